"""5-04 losses: Losses from logits, stably: MSE, MAE, Huber, BCE, cross-entropy, hinge, focal,
KL."""
