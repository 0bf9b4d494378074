"""Mistake: counting the entries of state_dict(), which includes buffers (BatchNorm's running
statistics and its batch counter) and lists a shared parameter under every name that uses it."""

CAUGHT_BY = ("count_module_parameters.tied_weights_and_buffers",)


def count_module_parameters(module, trainable_only=False):
    return int(sum(t.numel() for t in module.state_dict().values()))
