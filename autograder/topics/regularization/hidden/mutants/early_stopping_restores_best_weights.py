"""Mistake: when patience runs out, step loads best_state back into the model (Keras's
restore_best_weights). The docstring asks step only to record the metric, remember a copy of the
best state and return should_stop; it never says to change the model, so the caller's model
is silently rolled back to an earlier epoch's weights."""

CAUGHT_BY = ("EarlyStopping.best_state_keys_and_model_untouched",)
CONTRACT = "unchanged"
_ReferenceEarlyStopping = EarlyStopping  # noqa: F821 (a mutant patches the reference)


class EarlyStopping(_ReferenceEarlyStopping):
    def step(self, metric, model=None):
        stop = super().step(metric, model)
        if stop and model is not None and self.best_state is not None:
            model.load_state_dict(self.best_state)
        return stop
