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


def is_array(x) -> bool:
    """True for a NumPy or CuPy array: what layers take as input."""
    return isinstance(x, np.ndarray) or (cupy is not None and isinstance(x, cupy.ndarray))


def as_dtype(dtype, default=np.float32) -> np.dtype:
    """The NumPy dtype of ``dtype``: a NumPy dtype, its name, or a torch dtype (torch.float64).

    ``None`` gives ``default``, float32 like torch's default dtype. torch is never imported.
    """
    if dtype is None:
        return np.dtype(default)
    if type(dtype).__module__ == "torch":  # torch.float64 prints as "torch.float64"
        return np.dtype(str(dtype).removeprefix("torch."))
    return np.dtype(dtype)


def as_device(device) -> str:
    """A device name ("cpu", "cuda", "cuda:0") from a string or a torch.device."""
    return str(device)
