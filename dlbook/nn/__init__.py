"""Neural-network building blocks, named as in ``torch.nn``."""

from dlbook.nn import functional

__all__ = ["functional"]
