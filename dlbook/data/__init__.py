"""Datasets and the DataLoader, named as in ``torch.utils.data`` (filled in chapter 5)."""
