"""Datasets, the DataLoader and small offline data sets, named as in ``torch.utils.data``."""

from dlbook.data.dataloader import DataLoader, default_collate
from dlbook.data.dataset import Dataset, TensorDataset
from dlbook.data.datasets import (
    load_diabetes,
    load_digits,
    make_moons,
    noisy_line,
    train_val_split,
)

__all__ = ["DataLoader", "Dataset", "TensorDataset", "default_collate", "load_diabetes",
           "load_digits", "make_moons", "noisy_line", "train_val_split"]
