"""Optimizers and learning-rate schedulers, named as in ``torch.optim`` (filled in chapter 6)."""
