"""The one place where layers check their input and word the error (STYLE: checks at the door)."""

import numpy as np


def check_shape(module, x, ok: bool, expected: str, what: str = "input"):
    """Raise ValueError naming ``module``, the ``expected`` shape of ``what``, and the actual."""
    if not ok:
        raise ValueError(f"{module.label()}: expected {what} {expected}, got {tuple(x.shape)}")


def check_dtype(module, x):
    """Raise TypeError unless ``x`` has the float dtype of ``module``'s parameters."""
    dtype = module.dtype
    if dtype is not None and x.dtype != dtype:
        fix = "model.double()" if x.dtype == np.float64 else "model.float()"
        raise TypeError(f"{module.label()}: input is {x.dtype} but the parameters are {dtype};"
                        f" use {fix} or x.astype(np.{dtype})")
