"""Batch normalisation: BatchNorm1d and BatchNorm2d, on one base class ``_BatchNorm`` as in torch.

Each channel c is normalised over every value it takes in the batch (over N, and over L or
H, W), then scaled and shifted by learnt γ_c (``weight``) and β_c (``bias``):

    μ = mean(x),  σ² = mean((x − μ)²),  x̂ = (x − μ) / √(σ² + ε),  y = γ x̂ + β

Training uses the batch's μ and biased σ², and keeps running averages of them for evaluation.
"""

import math

import numpy as np

from dlbook.backend import as_dtype, get_array_module
from dlbook.nn.checks import (
    check_array,
    check_channels,
    check_dtype,
    check_float_dtype,
    check_values_per_channel,
)
from dlbook.nn.module import Module
from dlbook.nn.parameter import Parameter


class _BatchNorm(Module):
    """What BatchNorm1d and BatchNorm2d share; they differ only in the input ranks they accept.

    Training (``train()``): normalise with the batch's mean and biased variance (dividing by
    the m values per channel) and update the running statistics,

        running_mean ← (1 − momentum) · running_mean + momentum · μ
        running_var  ← (1 − momentum) · running_var  + momentum · σ² · m / (m − 1)

    (the unbiased variance, as torch); ``momentum=None`` makes them the plain average of every
    batch so far, with momentum = 1 / num_batches_tracked. Evaluation (``eval()``): normalise
    with the running statistics; without them (``track_running_stats=False``), with the batch's.

    Parameters ``weight`` (C,) = 1 and ``bias`` (C,) = 0 when ``affine`` (``bias=False`` drops
    β alone, as torch's keyword); buffers ``running_mean`` (C,) = 0, ``running_var`` (C,) = 1
    and ``num_batches_tracked`` (an int64 count) when ``track_running_stats``: torch's
    state_dict keys, in torch's order. Buffers take the parameters' float dtype.
    """

    layouts: dict[int, str]  # each accepted rank -> the shape it names, e.g. {4: "(N, C, H, W)"}

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1,
                 affine: bool = True, track_running_stats: bool = True, device=None, dtype=None,
                 *, bias: bool = True):
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        dtype = check_float_dtype(type(self).__name__, as_dtype(dtype))
        if affine:
            self.weight = Parameter(np.ones(num_features, dtype=dtype))  # γ
            if bias:
                self.bias = Parameter(np.zeros(num_features, dtype=dtype))  # β
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if track_running_stats:
            self.register_buffer("running_mean", np.zeros(num_features, dtype=dtype))
            self.register_buffer("running_var", np.ones(num_features, dtype=dtype))
            self.register_buffer("num_batches_tracked", np.array(0, dtype=np.int64))
        else:
            for name in ("running_mean", "running_var", "num_batches_tracked"):
                self.register_buffer(name, None)
        if device is not None:
            self.to(device)

    def reset_running_stats(self):
        """Running mean 0, running variance 1, no batches seen."""
        if self.track_running_stats:
            xp = get_array_module(self.running_mean)
            self.running_mean = xp.zeros_like(self.running_mean)
            self.running_var = xp.ones_like(self.running_var)
            self.num_batches_tracked = xp.zeros_like(self.num_batches_tracked)

    def reset_parameters(self):
        """γ = 1, β = 0 and fresh running statistics."""
        self.reset_running_stats()
        if self.weight is not None:
            self.weight.data[...] = 1
        if self.bias is not None:
            self.bias.data[...] = 0

    @property
    def dtype(self):
        """The float dtype inputs must have: the parameters', else the running statistics'."""
        if self.weight is None and self.running_mean is not None:
            return self.running_mean.dtype
        return super().dtype

    def forward(self, x):
        check_array(self, x)
        check_channels(self, x, self.layouts, self.num_features)
        check_dtype(self, x)
        xp = get_array_module(x)
        use_batch_stats = self.training or (self.running_mean is None
                                            and self.running_var is None)
        if use_batch_stats:
            check_values_per_channel(self, x)
        if self.training and self.track_running_stats:
            self.num_batches_tracked += 1  # in place: it stays a 0-d int64 array, as in torch
        m = x.size // self.num_features  # values per channel
        x3 = _as_ncl(x)  # (N, C, L): one layout for (N, C), (N, C, L) and (N, C, H, W)
        length = x3.shape[2]
        if not use_batch_stats:
            mean, var = self.running_mean, self.running_var
        elif m == 0:  # an empty batch: nothing to average, the statistics stay (torch)
            mean, var = xp.zeros(self.num_features, x.dtype), xp.ones(self.num_features, x.dtype)
        else:
            mean = _channel_sum(x3) / m
        self.x_centred = x3 - _per_channel(mean, length)  # backward needs x − μ, 1/√(σ² + ε)
        if use_batch_stats and m > 0:
            var = _channel_dot(self.x_centred, self.x_centred) / m  # biased: divides by m
            if self.training and self.track_running_stats:
                self._update_running_stats(mean, var, count=m)
        self.inv_std = 1 / xp.sqrt(var + self.eps)
        self.batch_stats = use_batch_stats  # and whether μ and σ² depended on x
        # y = γ x̂ + β = (x − μ) · γ / √(σ² + ε) + β: x̂ is never stored, one pass fewer
        y = self.x_centred * _per_channel(self._scale(), length)
        if self.bias is not None:
            y += _per_channel(self.bias.data, length)
        return y.reshape(x.shape)

    def _scale(self):
        """γ / √(σ² + ε), per channel: what multiplies x − μ (γ = 1 without ``affine``)."""
        return self.inv_std if self.weight is None else self.weight.data * self.inv_std

    def _update_running_stats(self, mean, var, count: int):
        if self.momentum is None:  # the cumulative average of every batch so far
            momentum = 1 / float(self.num_batches_tracked)
        else:
            momentum = self.momentum
        unbiased_var = var * (count / (count - 1))
        self.running_mean = (1 - momentum) * self.running_mean + momentum * mean
        self.running_var = (1 - momentum) * self.running_var + momentum * unbiased_var

    def backward(self, grad_out):
        x_centred, inv_std = self.x_centred, self.inv_std
        g, length = _as_ncl(grad_out), x_centred.shape[2]
        grad_beta = _channel_sum(g)  # dL/dβ = Σ g
        grad_gamma = _channel_dot(g, x_centred) * inv_std  # dL/dγ = Σ g x̂
        if self.weight is not None:
            self.weight.accumulate_grad(grad_gamma)
        if self.bias is not None:
            self.bias.accumulate_grad(grad_beta)
        scale = self._scale()
        grad_x = g * _per_channel(scale, length)
        if not self.batch_stats:  # μ and σ² are constants: x̂ is x shifted and scaled
            return grad_x.reshape(grad_out.shape)  # dL/dx = γ g / √(σ² + ε)
        # μ and σ² depend on every x of the channel; over its m values, with dL/dx̂ = γ g,
        # dL/dx = (m dL/dx̂ − Σ dL/dx̂ − x̂ Σ dL/dx̂ · x̂) / (m √(σ² + ε))
        #       = γ / √(σ² + ε) · (g − Σ g / m − x̂ Σ g x̂ / m),  x̂ = (x − μ) / √(σ² + ε)
        m = max(x_centred.size // self.num_features, 1)  # max: an empty batch has no gradient
        grad_x -= x_centred * _per_channel(scale * inv_std * grad_gamma / m, length)
        grad_x -= _per_channel(scale * grad_beta / m, length)
        return grad_x.reshape(grad_out.shape)

    def extra_repr(self):
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum},"
                f" affine={self.affine}, bias={self.bias is not None},"
                f" track_running_stats={self.track_running_stats}")


class BatchNorm1d(_BatchNorm):
    """Batch normalisation of features (N, C) or of sequences (N, C, L), per channel C.

    Shape: x (N, C) or (N, C, L) -> y of the same shape and dtype. μ and σ² of channel c are
    taken over its m = N (or N·L) values: y = γ (x − μ) / √(σ² + ε) + β. See ``_BatchNorm``.
    """

    @property
    def layouts(self):
        return {2: f"(N, {self.num_features})", 3: f"(N, {self.num_features}, L)"}


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of images (N, C, H, W), per channel C.

    Shape: x (N, C, H, W) -> y of the same shape and dtype. μ and σ² of channel c are taken
    over its m = N·H·W values: y = γ (x − μ) / √(σ² + ε) + β. See ``_BatchNorm``.
    """

    @property
    def layouts(self):
        return {4: f"(N, {self.num_features}, H, W)"}


def _as_ncl(x):
    """(N, C, *) as (N, C, L), L the product of the trailing axes (1 for (N, C))."""
    return x.reshape(*x.shape[:2], math.prod(x.shape[2:]))


def _channel_sum(x):
    """x: (N, C, L) -> (C,), each channel's sum over N and L.

    As a matrix-vector product with ones, then a sum over N: BLAS reads x once, where
    ``x.sum(axis=(0, 2))`` strides through it axis by axis.
    """
    xp = get_array_module(x)
    return (x @ xp.ones(x.shape[2], dtype=x.dtype)).sum(axis=0)


def _channel_dot(a, b):
    """Σ a·b per channel: (N, C, L) twice -> (C,), without the product as an array."""
    xp = get_array_module(a)
    return xp.einsum("ncl,ncl->nc", a, b).sum(axis=0)


def _per_channel(values, length: int):
    """A (C,) vector as a (C, L) block, each channel's value repeated along its row: broadcast
    against (N, C, L). (A (C, 1) column broadcasts too, but then NumPy's inner loop runs over
    one row at a time with a repeated scalar, about twice as slow as over two whole blocks.)"""
    xp = get_array_module(values)
    return xp.repeat(values, length).reshape(-1, length)
