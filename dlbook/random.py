"""The random number generator behind every draw dlbook makes (init, dropout, shuffling)."""

import numpy as np

_generator = np.random.default_rng(0)


def manual_seed(seed: int) -> np.random.Generator:
    """Reseed dlbook's default generator, like ``torch.manual_seed``; returns it."""
    global _generator
    _generator = np.random.default_rng(seed)
    return _generator


def default_generator() -> np.random.Generator:
    """The generator used when a function is not handed one explicitly."""
    return _generator
