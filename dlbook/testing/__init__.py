"""Helpers that prove dlbook equal to PyTorch: conversions, tolerances and comparisons.

The tests use these; so can a learner checking their own layer against torch.
"""

import numpy as np

from dlbook.backend import to_device

# float64 agrees with torch to rounding; float32 to its ~7 significant digits.
TOLERANCES = {
    np.dtype(np.float64): {"rtol": 1e-10, "atol": 1e-12},
    np.dtype(np.float32): {"rtol": 1e-5, "atol": 1e-6},
}


def to_numpy(x):
    """A NumPy copy of a NumPy/CuPy array or a torch tensor (any device)."""
    if hasattr(x, "detach"):
        return x.detach().cpu().numpy()
    return to_device(x, "cpu")


def to_torch(x, device: str = "cpu", requires_grad: bool = False):
    """A torch tensor on ``device`` with the values and dtype of array ``x`` (NumPy or CuPy)."""
    import torch

    return torch.tensor(to_numpy(x), device=device, requires_grad=requires_grad)


def assert_close(actual, expected, *, name: str = "value"):
    """Assert ``actual`` (dlbook) equals ``expected`` (torch) in dtype and, within tolerance, value.

    The tolerance follows the dtype of ``actual``: see ``TOLERANCES``.
    """
    actual, expected = to_numpy(actual), to_numpy(expected)
    assert actual.dtype == expected.dtype, f"{name}: dtype {actual.dtype}, torch {expected.dtype}"
    assert actual.shape == expected.shape, f"{name}: shape {actual.shape}, torch {expected.shape}"
    np.testing.assert_allclose(actual, expected, err_msg=name, **TOLERANCES[actual.dtype])


def torch_forward_backward(fn, x, grad_out, device: str = "cpu"):
    """Torch's answer: ``y = fn(x)`` and dL/dx for upstream gradient ``grad_out``, on ``device``."""
    x_t = to_torch(x, device, requires_grad=True)
    y_t = fn(x_t)
    y_t.backward(to_torch(grad_out, device))
    return y_t, x_t.grad


__all__ = [
    "TOLERANCES",
    "assert_close",
    "to_numpy",
    "to_torch",
    "torch_forward_backward",
]
