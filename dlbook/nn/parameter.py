"""``Parameter``: a trainable array that acts like the array it holds."""

import numpy as np

from dlbook.backend import get_array_module


class Parameter(np.lib.mixins.NDArrayOperatorsMixin):
    """A trainable array: ``.data`` holds its values, ``.grad`` dL/d(data) or None.

    It reads like its array (``np.asarray(p)``, ``p.shape``, ``p.T``, ``p * 2``, ``p.sum()``),
    and in-place arithmetic writes into ``.data``, so torch's manual update
    ``p -= lr * p.grad`` runs unchanged. With ``requires_grad=False`` backward leaves ``.grad``
    alone (a frozen parameter).
    """

    __hash__ = object.__hash__  # elementwise == would make it unhashable; keep identity, as torch

    def __init__(self, data, requires_grad: bool = True):
        self.data = data
        self.grad = None
        self.requires_grad = requires_grad

    def accumulate_grad(self, grad):
        """Add ``grad`` to ``.grad``: a parameter used twice gets the sum of both gradients."""
        if self.requires_grad:
            self.grad = grad if self.grad is None else self.grad + grad

    def requires_grad_(self, requires_grad: bool = True):
        self.requires_grad = requires_grad
        return self

    # -- the array it holds ------------------------------------------------------------------
    @property
    def shape(self):
        return self.data.shape

    @property
    def dtype(self):
        return self.data.dtype

    @property
    def ndim(self):
        return self.data.ndim

    @property
    def T(self):  # noqa: N802  (NumPy's and torch's name)
        return self.data.T

    @property
    def device(self) -> str:
        return "cpu" if get_array_module(self.data) is np else "cuda"

    def size(self, dim: int | None = None):
        """The shape, or the length of dimension ``dim``, as torch's ``size()``."""
        return self.data.shape if dim is None else self.data.shape[dim]

    def numel(self) -> int:
        return self.data.size

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.data, dtype=dtype)

    def __array_ufunc__(self, ufunc, method, *inputs, out=None, **kwargs):
        # Unwrap every Parameter; with out=(p,) write into p.data and hand p back, so that
        # p -= g leaves p a Parameter.
        inputs = tuple(_data(x) for x in inputs)
        if out is not None:
            kwargs["out"] = tuple(_data(x) for x in out)
        result = getattr(ufunc, method)(*inputs, **kwargs)
        return out[0] if out is not None and len(out) == 1 else result

    def __getattr__(self, name):
        # Anything else an array has (p.sum(), p.reshape(...), p.item()) comes from .data.
        if name.startswith("__") or "data" not in self.__dict__:
            raise AttributeError(f"'Parameter' object has no attribute '{name}'")
        return getattr(self.data, name)

    def __len__(self):
        return len(self.data)

    def __getitem__(self, index):
        return self.data[index]

    def __setitem__(self, index, value):
        self.data[index] = value

    def __repr__(self):
        return f"Parameter containing:\n{self.data!r}"


def _data(x):
    return x.data if isinstance(x, Parameter) else x
