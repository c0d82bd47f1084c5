"""Which array library holds an array: NumPy on the CPU, CuPy on a GPU.

The device follows the data, as in torch: code written as ``xp = get_array_module(x)``
runs unchanged on either. CuPy is optional; without it everything is NumPy.
"""

import numpy as np

try:
    import cupy
except ImportError:  # no GPU stack: NumPy only
    cupy = None


def get_array_module(*arrays):
    """Return ``cupy`` if any of ``arrays`` lives on a GPU, else ``numpy``."""
    if cupy is not None:
        for a in arrays:
            if isinstance(a, cupy.ndarray):
                return cupy
    return np


def to_device(x, device: str):
    """Copy array ``x`` to ``device`` ("cpu" or "cuda"), returning a NumPy or CuPy array."""
    if device == "cpu":
        return cupy.asnumpy(x) if cupy is not None and isinstance(x, cupy.ndarray) else x
    if device.startswith("cuda"):
        if cupy is None:
            raise RuntimeError(f"device {device!r} needs CuPy, which is not installed")
        return cupy.asarray(x)
    raise ValueError(f"unknown device {device!r}: expected 'cpu' or 'cuda'")
