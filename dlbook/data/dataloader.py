"""DataLoader: a dataset served in (shuffled) mini-batches, and default_collate, as in torch."""

import collections.abc
import math

import numpy as np

from dlbook.backend import get_array_module
from dlbook.data.dataset import TensorDataset
from dlbook.random import default_generator

_NOT_COLLATABLE = "default_collate: batch must contain arrays, numbers, dicts or lists; found {}"


def default_collate(batch):
    """Merge a list of samples into one batch, as ``torch.utils.data.default_collate``.

    Arrays and NumPy scalars are stacked along a new first axis in their own dtype: B samples
    of shape (*) give (B, *). Python floats give float64, ints int64, bools bool; strings and
    bytes come back as the sequence they came in. Containers are collated field by field: a
    dict gives a dict, a namedtuple the same namedtuple, a tuple or a list gives a list.
    """
    elem = batch[0]
    if isinstance(elem, (str, bytes)):
        return batch
    xp = get_array_module(elem)
    if isinstance(elem, (xp.ndarray, np.generic)):
        if elem.dtype.kind in "SUO":  # strings and Python objects: refused, as torch does
            raise TypeError(_NOT_COLLATABLE.format(elem.dtype))
        return xp.stack(batch)
    if isinstance(elem, (bool, int, float)):
        return np.array(batch)  # NumPy picks what torch.tensor does: bool, int64 or float64
    if isinstance(elem, collections.abc.Mapping):
        return {key: default_collate([sample[key] for sample in batch]) for key in elem}
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # a namedtuple
        return type(elem)(*(default_collate(field) for field in zip(*batch, strict=True)))
    if isinstance(elem, collections.abc.Sequence):
        if any(len(sample) != len(elem) for sample in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        return [default_collate(field) for field in zip(*batch, strict=True)]
    raise TypeError(_NOT_COLLATABLE.format(type(elem)))


class DataLoader:
    """Iterates over ``dataset`` in batches of ``batch_size`` samples, as torch's DataLoader.

    ``len(loader)`` is the number of batches per epoch: ⌈N / batch_size⌉, or ⌊N / batch_size⌋
    with ``drop_last``. With ``shuffle`` every epoch draws a new order from ``generator``
    (dlbook's default generator, seeded by ``dlbook.manual_seed``, when none is given).
    Each batch is ``collate_fn`` of the list of its samples, ``default_collate`` unless another
    is given: a list of arrays (batch_size, *) for tuple samples, a dict of them for dict
    samples. ``batch_size=None`` turns batching off: each sample comes as it is.
    Samples are loaded in the main process, so ``num_workers`` must be 0.
    """

    def __init__(self, dataset, batch_size: int | None = 1, shuffle: bool = False, *,
                 num_workers: int = 0, collate_fn=None, drop_last: bool = False,
                 generator: np.random.Generator | None = None):
        if batch_size is None:
            if drop_last:
                raise ValueError("batch_size=None option disables auto-batching and is mutually "
                                 "exclusive with drop_last")
        elif isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size <= 0:
            raise ValueError("batch_size should be a positive integer value, "
                             f"but got batch_size={batch_size}")
        if num_workers != 0:
            raise ValueError("DataLoader: dlbook loads samples in the main process, so "
                             f"num_workers must be 0, got {num_workers}")
        if generator is not None and not isinstance(generator, np.random.Generator):
            raise TypeError("DataLoader: generator must be a numpy.random.Generator, such as "
                            f"np.random.default_rng(seed); got {type(generator)}")
        if collate_fn is None and batch_size is not None:
            collate_fn = default_collate
        self.dataset, self.batch_size, self.shuffle = dataset, batch_size, shuffle
        self.num_workers, self.collate_fn = num_workers, collate_fn
        self.drop_last, self.generator = drop_last, generator

    def __len__(self):
        n = len(self.dataset)
        if self.batch_size is None:
            return n
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def __iter__(self):
        n = len(self.dataset)
        if self.shuffle:
            order = (self.generator or default_generator()).permutation(n)
        else:
            order = np.arange(n)
        if self.batch_size is None:
            for i in order:
                sample = self.dataset[int(i)]
                yield sample if self.collate_fn is None else self.collate_fn(sample)
            return
        for start in range(0, len(self) * self.batch_size, self.batch_size):
            yield self._batch(order[start:start + self.batch_size])

    def _batch(self, indices):
        # A subclass may change its samples, so only TensorDataset itself takes the shortcut.
        if self.collate_fn is default_collate and type(self.dataset) is TensorDataset:
            return list(self.dataset[indices])  # default_collate by fancy indexing: no loop
        return self.collate_fn([self.dataset[int(i)] for i in indices])
