"""Mistake: SGD.step(closure) returns the loss as a Python float (loss.item()) instead of what the
closure returned; the docstring says "call it ... and return its loss", as torch.optim.SGD does, so
code that calls .backward() or .detach() on the returned loss breaks."""

CAUGHT_BY = ("SGD.step_return_types",)
CONTRACT = "returns"

_ReferenceSGD = SGD  # noqa: F821 (a mutant is a patch over the reference)


class SGD(_ReferenceSGD):
    def step(self, closure=None):
        loss = super().step(closure)
        return None if loss is None else loss.item()
