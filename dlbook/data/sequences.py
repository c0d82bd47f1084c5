"""Small generated sequence data sets for the recurrent chapters (10 and 11).

Each is drawn from an ``np.random.Generator`` (dlbook's default generator when None), so the
same generator state gives the same sequences. Sequences come batch first, (N, T, features),
float32 as the rest of ``dlbook.data``: pass ``batch_first=True`` to the recurrent layers.
"""

import numpy as np

from dlbook.random import default_generator


def adding_problem(n_samples: int, seq_len: int, generator=None):
    """The adding problem (Hochreiter & Schmidhuber, 1997): add the two marked numbers.

    Each sequence has ``seq_len`` time steps of two features: a value drawn uniformly from
    [0, 1), and a marker that is 1 at exactly two steps and 0 elsewhere. One marked step lies in
    the first half of the sequence (t < T // 2), the other in the second half, so the first
    number must be remembered over T/2 steps or more on average. The target is the sum of the
    two marked values, in [0, 2). Always answering 1, the mean of the target, gives a mean
    squared error of 1/6 ≈ 0.167 (the variance of the sum of two U(0, 1)): a model does
    better than that only if it finds and adds the marked values.

    Args:
        n_samples: N, the number of sequences.
        seq_len: T ≥ 2, the number of time steps.
        generator: an ``np.random.Generator``; dlbook's default generator when None.

    Returns:
        x: (N, T, 2) float32, x[..., 0] the values and x[..., 1] the markers;
        y: (N, 1) float32, the sum of the two marked values.
    """
    if seq_len < 2:
        raise ValueError(f"adding_problem: seq_len must be at least 2, got {seq_len}")
    rng = default_generator() if generator is None else generator
    values = rng.random((n_samples, seq_len))
    half = seq_len // 2
    first = rng.integers(0, half, size=n_samples)          # a step in the first half
    second = rng.integers(half, seq_len, size=n_samples)   # and one in the second half
    rows = np.arange(n_samples)
    markers = np.zeros((n_samples, seq_len))
    markers[rows, first] = 1
    markers[rows, second] = 1
    x = np.stack([values, markers], axis=-1).astype(np.float32)
    y = (x[rows, first, 0] + x[rows, second, 0])[:, None]   # the sum of the float32 values
    return x, y


__all__ = ["adding_problem"]
