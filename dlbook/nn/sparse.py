"""Embedding: a lookup table of learnt vectors, one row per index (a word, a token, a category)."""

import numpy as np

from dlbook.backend import as_dtype, get_array_module
from dlbook.nn.checks import check_float_dtype, check_indices, check_shape
from dlbook.nn.module import Module
from dlbook.nn.parameter import Parameter
from dlbook.random import default_generator


class Embedding(Module):
    """y = weight[indices]: row i of the table for each index i. The same as a one-hot vector
    of i times the weight matrix, without building the one-hot vector.

    Shape: indices (*) of any shape, integers in [0, num_embeddings) -> y (*, embedding_dim),
    in the weight's dtype. Parameter ``weight`` (num_embeddings, embedding_dim), drawn from
    N(0, 1) as torch (by ``generator``, an ``np.random.Generator`` that torch's Embedding does
    not take; dlbook's default generator when None), or ``_weight`` when given.

    ``padding_idx`` (negative counts from the end, as torch) marks a row that stands for
    "no token": initialised to zeros and never updated, since backward gives it no gradient.

    ``backward(grad_out)`` adds dL/dweight to ``weight.grad``: each index's gradient row is
    added to its row of the table, and an index that occurs several times adds up (NumPy's
    ``np.add.at``). It returns None: integer indices have no gradient.

    ``max_norm``, ``scale_grad_by_freq`` and ``sparse`` are torch's arguments; dlbook accepts
    only their defaults (no renormalisation, no scaling by frequency, a dense gradient).
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, padding_idx: int | None = None,
                 max_norm: float | None = None, norm_type: float = 2.0,
                 scale_grad_by_freq: bool = False, sparse: bool = False, _weight=None,
                 _freeze: bool = False, device=None, dtype=None, generator=None):
        super().__init__()
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        if padding_idx is not None:
            if not -num_embeddings <= padding_idx < num_embeddings:
                raise ValueError(f"Embedding({num_embeddings}, {embedding_dim}): Padding_idx must"
                                 f" be within num_embeddings, got padding_idx={padding_idx}")
            padding_idx %= num_embeddings  # −1 is the last row, as in torch
        self.padding_idx = padding_idx
        self.max_norm, self.norm_type = max_norm, norm_type
        self.scale_grad_by_freq, self.sparse = scale_grad_by_freq, sparse
        for name, default in (("max_norm", None), ("scale_grad_by_freq", False),
                              ("sparse", False)):
            if getattr(self, name) != default:
                raise NotImplementedError(f"{self.label()}: {name}={getattr(self, name)!r} is not"
                                          f" implemented in dlbook; use {name}={default}")
        if _weight is None:
            dtype = check_float_dtype(self.label(), as_dtype(dtype))
            self.weight = Parameter(np.empty((num_embeddings, embedding_dim), dtype=dtype))
            self.reset_parameters(generator)
        else:
            check_shape(self, _weight, tuple(_weight.shape) == (num_embeddings, embedding_dim),
                        f"({num_embeddings}, {embedding_dim})", "_weight")
            check_float_dtype(self.label(), _weight.dtype)
            self.weight = Parameter(_weight, requires_grad=not _freeze)
        if device is not None:
            self.to(device)

    @classmethod
    def from_pretrained(cls, embeddings, freeze: bool = True, padding_idx: int | None = None,
                        **kwargs):
        """An Embedding holding the array ``embeddings`` (num_embeddings, embedding_dim) as its
        weight, frozen (no gradient) unless ``freeze=False``, as torch's."""
        rows, dim = embeddings.shape
        return cls(rows, dim, padding_idx, _weight=embeddings, _freeze=freeze, **kwargs)

    def reset_parameters(self, generator=None):
        rng = generator or default_generator()
        xp = get_array_module(self.weight.data)
        self.weight.data[...] = xp.asarray(rng.standard_normal(self.weight.shape))
        if self.padding_idx is not None:
            self.weight.data[self.padding_idx] = 0  # the "no token" row starts at zero

    def forward(self, indices):
        check_indices(self, indices, self.num_embeddings)
        self.indices = indices  # backward adds the gradient back into these rows
        return get_array_module(self.weight.data).take(self.weight.data, indices, axis=0)

    def backward(self, grad_out):
        check_shape(self, grad_out, grad_out.shape == (*self.indices.shape, self.embedding_dim),
                    f"{(*self.indices.shape, self.embedding_dim)} (the output's shape)",
                    "grad_out")
        xp = get_array_module(grad_out)
        grad_weight = xp.zeros_like(self.weight.data)
        # rows add up where an index repeats: np.add.at, not grad_weight[indices] += …
        xp.add.at(grad_weight, self.indices.ravel(), grad_out.reshape(-1, self.embedding_dim))
        if self.padding_idx is not None:
            grad_weight[self.padding_idx] = 0
        self.weight.accumulate_grad(grad_weight)

    def extra_repr(self):
        text = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            text += f", padding_idx={self.padding_idx}"
        return text
