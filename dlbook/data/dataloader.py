"""DataLoader: a dataset served in (shuffled) mini-batches, with torch's semantics."""

import math

import numpy as np

from dlbook.data.dataset import TensorDataset
from dlbook.random import default_generator


class DataLoader:
    """Iterates over ``dataset`` in batches of ``batch_size`` samples.

    ``len(loader)`` is the number of batches per epoch: ⌈N / batch_size⌉, or ⌊N / batch_size⌋
    with ``drop_last``. With ``shuffle`` every epoch draws a new order from ``generator``
    (dlbook's default generator, seeded by ``dlbook.manual_seed``, when none is given).
    Each batch is a tuple of arrays stacked along a new first axis: (batch_size, *).
    """

    def __init__(self, dataset, batch_size: int = 1, shuffle: bool = False,
                 drop_last: bool = False, generator: np.random.Generator | None = None):
        if batch_size < 1:
            raise ValueError(f"DataLoader: batch_size must be a positive integer, got {batch_size}")
        self.dataset, self.batch_size = dataset, batch_size
        self.shuffle, self.drop_last, self.generator = shuffle, drop_last, generator

    def __len__(self):
        n = len(self.dataset)
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def __iter__(self):
        n = len(self.dataset)
        if self.shuffle:
            order = (self.generator or default_generator()).permutation(n)
        else:
            order = np.arange(n)
        for start in range(0, len(self) * self.batch_size, self.batch_size):
            yield self._batch(order[start:start + self.batch_size])

    def _batch(self, indices):
        if isinstance(self.dataset, TensorDataset):  # fancy indexing: one copy, no Python loop
            return self.dataset[indices]
        samples = [self.dataset[int(i)] for i in indices]
        if isinstance(samples[0], tuple):
            return tuple(np.stack(field) for field in zip(*samples, strict=True))
        return np.stack(samples)
