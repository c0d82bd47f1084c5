"""Datasets: indexable collections of samples, as ``torch.utils.data``."""


class Dataset:
    """A collection of samples: ``dataset[i]`` is one sample, ``len(dataset)`` their number."""

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} does not define __getitem__")

    def __len__(self):
        raise NotImplementedError(f"{type(self).__name__} does not define __len__")


class TensorDataset(Dataset):
    """Samples made of arrays that share their first dimension: ``dataset[i] = (X[i], y[i])``.

    Shapes: each array (N, *).
    """

    def __init__(self, *arrays):
        check_same_length("TensorDataset", arrays)
        self.arrays = arrays

    def __getitem__(self, index):
        return tuple(a[index] for a in self.arrays)

    def __len__(self):
        return len(self.arrays[0])


def check_same_length(owner: str, arrays):
    """Raise ValueError, naming ``owner`` and every shape, unless the arrays share their length.

    No arrays at all is refused too: there would be no samples to count.
    """
    if not arrays:
        raise ValueError(f"{owner}: expected at least one array, got none")
    if len({len(a) for a in arrays}) > 1:
        shapes = ", ".join(str(tuple(a.shape)) for a in arrays)
        raise ValueError(f"{owner}: expected arrays of the same length, got {shapes}")
