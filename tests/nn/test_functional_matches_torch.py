"""The functional API on its own: each F.<name> and F.<name>_backward equal
torch.nn.functional.<name> in value and dL/dinput (the layers' tests check them from inside)."""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import dlbook.nn.functional as F
from dlbook.backend import is_array, to_device
from dlbook.testing import assert_close, parity_case, to_torch
from dlbook.testing.strategies import arrays, float_dtypes, shapes

reductions = st.sampled_from(["mean", "sum", "none"])


def compare(data, device, name, x, *rest, needs=None, **options):
    """F.<name>(x, *rest, **options) and its backward against torch's, on ``device``.

    ``needs`` is what an activation's backward takes besides grad_out ("x" or "y"); a loss's
    backward takes (grad_out, input, target, ...). F.linear has no backward function.
    """
    x, rest = to_device(x, device), [to_device(r, device) for r in rest]
    options = {k: to_device(v, device) if is_array(v) else v for k, v in options.items()}
    x_t = to_torch(x, device, requires_grad=True)
    y_t = getattr(torch.nn.functional, name)(
        x_t, *[to_torch(r, device) for r in rest],
        **{k: to_torch(v, device) if is_array(v) else v for k, v in options.items()})
    grad_out = to_device(data.draw(arrays(x.dtype, tuple(y_t.shape), bound=1.0),
                                   label="grad_out"), device)
    y_t.backward(to_torch(grad_out, device))
    y = getattr(F, name)(x, *rest, **options)
    backward = getattr(F, f"{name}_backward", None)
    with parity_case(f"F.{name}", f"torch.nn.functional.{name}"):
        assert_close(y, y_t, name=f"F.{name}")
        if backward is not None:
            saved = [{"x": x, "y": y}[needs]] if needs else [x, *rest]
            assert_close(backward(grad_out, *saved, **options), x_t.grad,
                         name=f"F.{name}_backward")


@given(data=st.data(), dtype=float_dtypes, shape=shapes(), slope=st.sampled_from([0.01, 0.2]))
def test_leaky_relu_matches_torch(device, data, dtype, shape, slope):
    compare(data, device, "leaky_relu", data.draw(arrays(dtype, shape)), needs="x",
            negative_slope=slope)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@given(data=st.data(), dtype=float_dtypes, shape=shapes(min_dims=1))
def test_softmax_functions_match_torch_along_any_dim(device, name, data, dtype, shape):
    dim = data.draw(st.integers(-len(shape), len(shape) - 1), label="dim")
    compare(data, device, name, data.draw(arrays(dtype, shape)), needs="y", dim=dim)


@given(data=st.data(), dtype=float_dtypes, batch=shapes(max_dims=2), n_in=st.integers(1, 6),
       n_out=st.integers(1, 6), bias=st.booleans())
def test_linear_matches_torch(device, data, dtype, batch, n_in, n_out, bias):
    weight = data.draw(arrays(dtype, (n_out, n_in), bound=1.0), label="weight")
    b = data.draw(arrays(dtype, (n_out,), bound=1.0), label="bias") if bias else None
    compare(data, device, "linear", data.draw(arrays(dtype, batch + (n_in,))), weight, bias=b)


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss"])
@given(data=st.data(), dtype=float_dtypes, shape=shapes(), reduction=reductions)
def test_regression_losses_match_torch(device, name, data, dtype, shape, reduction):
    compare(data, device, name, data.draw(arrays(dtype, shape)), data.draw(arrays(dtype, shape)),
            reduction=reduction)


@given(data=st.data(), dtype=float_dtypes, shape=shapes(min_dims=1), reduction=reductions,
       weighted=st.booleans())
def test_binary_cross_entropy_matches_torch(device, data, dtype, shape, reduction, weighted):
    p = F.sigmoid(data.draw(arrays(dtype, shape)))
    target = data.draw(arrays(dtype, shape, bound=1.0)) ** 2
    weight = data.draw(arrays(dtype, shape[-1:], bound=2.0)) if weighted else None
    compare(data, device, "binary_cross_entropy", p, target, weight=weight, reduction=reduction)


@given(data=st.data(), dtype=float_dtypes, shape=shapes(min_dims=1), reduction=reductions,
       pos_weighted=st.booleans())
def test_binary_cross_entropy_with_logits_matches_torch(device, data, dtype, shape, reduction,
                                                        pos_weighted):
    logits = data.draw(arrays(dtype, shape, bound=30.0))
    target = (data.draw(arrays(dtype, shape, bound=1.0)) > 0).astype(dtype)
    pos_weight = data.draw(arrays(dtype, shape[-1:], bound=3.0)) ** 2 if pos_weighted else None
    compare(data, device, "binary_cross_entropy_with_logits", logits, target, reduction=reduction,
            pos_weight=pos_weight)


@st.composite
def logits_and_classes(draw):
    """Logits (N, C) or (N, C, d) and class indices (N,) or (N, d), one of them maybe ignored."""
    dtype, n, c = draw(float_dtypes), draw(st.integers(1, 5)), draw(st.integers(2, 6))
    extra = draw(st.sampled_from([(), (3,)]))
    target = draw(hnp.arrays(np.int64, (n,) + extra, elements=st.integers(0, c - 1)))
    if draw(st.booleans()):
        target.reshape(-1)[0] = -100
    return draw(arrays(dtype, (n, c) + extra, bound=20.0)), target


@given(data=st.data(), case=logits_and_classes(), reduction=reductions)
def test_nll_loss_matches_torch(device, data, case, reduction):
    logits, target = case
    compare(data, device, "nll_loss", F.log_softmax(logits, dim=1), target, reduction=reduction)


@given(data=st.data(), case=logits_and_classes(), reduction=reductions,
       smoothing=st.sampled_from([0.0, 0.1]))
def test_cross_entropy_matches_torch(device, data, case, reduction, smoothing):
    logits, target = case
    compare(data, device, "cross_entropy", logits, target, reduction=reduction,
            label_smoothing=smoothing)
