"""Mistake: the LR finder does not restore the model and the optimizer, so the caller gets back
a model wrecked by the diverging rates (and a second sweep starts from there)."""

CAUGHT_BY = ("lr_finder.restores_model_and_optimizer", "lr_finder.deterministic")
CONTRACT = "restores"


def lr_finder(model, loss_fn, batches, optimizer, min_lr=1e-7, max_lr=10.0, num_steps=100,
              beta=0.98, diverge_factor=4.0):
    # the reference's sweep, in the same namespace, without the copies around it
    return _sweep(model, loss_fn, batches, optimizer, min_lr, max_lr,  # noqa: F821
                  num_steps, beta, diverge_factor)
