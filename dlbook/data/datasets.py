"""Small data sets that need no download: scikit-learn's bundled ones, or generated.

Features come as float32 (the dtype of dlbook's parameters), class labels as int64.
"""

import numpy as np

from dlbook.data.dataset import check_same_length
from dlbook.random import default_generator


def load_digits():
    """8×8 images of handwritten digits (1,797 samples). X: (1797, 64) in [0, 16], y: (1797,)."""
    from sklearn import datasets

    digits = datasets.load_digits()
    return digits.data.astype(np.float32), digits.target.astype(np.int64)


def load_diabetes():
    """Disease progression of 442 patients from 10 measurements.

    X: (442, 10), each column centred and scaled to unit Euclidean norm by scikit-learn (so its
    standard deviation is 1/√442, not 1: standardise it before gradient descent);
    y: (442, 1), the progression one year later (25 … 346).
    """
    from sklearn import datasets

    diabetes = datasets.load_diabetes()
    return diabetes.data.astype(np.float32), diabetes.target.astype(np.float32).reshape(-1, 1)


def make_moons(n_samples: int = 200, noise: float = 0.1, random_state: int = 0):
    """Two interleaving half circles. X: (n_samples, 2), y: (n_samples,) in {0, 1}."""
    from sklearn import datasets

    X, y = datasets.make_moons(n_samples, noise=noise, random_state=random_state)
    return X.astype(np.float32), y.astype(np.int64)


def noisy_line(n_samples: int = 100, slope: float = 2.0, intercept: float = 1.0,
               noise: float = 1.0, low: float = 0.0, high: float = 10.0, random_state: int = 0):
    """Points y = slope·x + intercept + N(0, noise²), x uniform in [low, high).

    Shapes: x (n_samples, 1), y (n_samples, 1).
    """
    rng = np.random.default_rng(random_state)
    x = rng.uniform(low, high, size=(n_samples, 1))
    y = slope * x + intercept + noise * rng.standard_normal((n_samples, 1))
    return x.astype(np.float32), y.astype(np.float32)


def train_val_split(*arrays, val_fraction: float = 0.2, generator=None):
    """Shuffle the samples once and split each array: (a_train, b_train, …, a_val, b_val, …)."""
    check_same_length("train_val_split", arrays)
    n = len(arrays[0])
    if not 0 < val_fraction < 1:
        raise ValueError(f"train_val_split: val_fraction must be in (0, 1), got {val_fraction}")
    order = (generator or default_generator()).permutation(n)
    n_val = round(n * val_fraction)
    train, val = order[n_val:], order[:n_val]
    return tuple(a[train] for a in arrays) + tuple(a[val] for a in arrays)
