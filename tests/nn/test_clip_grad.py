"""clip_grad_norm_ and clip_grad_value_ change gradients as torch's do and return its norm."""

import math

import numpy as np
import pytest
import torch

from dlbook.backend import to_device
from dlbook.nn import Parameter
from dlbook.nn.utils import clip_grad_norm_, clip_grad_value_
from dlbook.testing import assert_close, parity_case, to_torch

SHAPES = [(3, 4), (4,), (2, 2, 3), ()]


def twin_parameters(dtype, device, seed=0, with_none=True):
    """Parameters with random gradients (and one without) and their torch twins."""
    rng = np.random.default_rng(seed)
    ours, theirs = [], []
    for shape in SHAPES:
        data = rng.standard_normal(shape).astype(dtype)
        p, p_t = Parameter(to_device(data, device)), torch.nn.Parameter(to_torch(data, device))
        p.grad = to_device(rng.standard_normal(shape).astype(dtype), device)
        p_t.grad = to_torch(p.grad, device)
        ours.append(p)
        theirs.append(p_t)
    if with_none:  # a parameter that took no part in the loss: skipped
        ours.append(Parameter(to_device(np.ones(3, dtype), device)))
        theirs.append(torch.nn.Parameter(to_torch(np.ones(3, dtype), device)))
    return ours, theirs


def assert_same_grads(ours, theirs, name):
    for i, (p, p_t) in enumerate(zip(ours, theirs, strict=True)):
        assert (p.grad is None) == (p_t.grad is None)
        if p.grad is not None:
            assert_close(p.grad, p_t.grad, name=f"{name} grad {i}")


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("norm_type", [1.0, 2.0, math.inf, 3.0])
@pytest.mark.parametrize("scale", [0.3, 3.0], ids=["over the limit", "under the limit"])
def test_clip_grad_norm_matches_torch(device, dtype, norm_type, scale):
    ours, theirs = twin_parameters(dtype, device)
    full_norm = float(torch.nn.utils.get_total_norm([p.grad for p in theirs if p.grad
                                                     is not None], norm_type))
    max_norm = scale * full_norm  # scale < 1: clipped; > 1: left alone
    with parity_case(of="nn.utils.clip_grad_norm_", twin="torch.nn.utils.clip_grad_norm_"):
        total = clip_grad_norm_(ours, max_norm, norm_type=norm_type)
        total_t = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type=norm_type)
        assert_close(total, total_t, name="total norm")  # a 0-d array of the grads' dtype
        assert_same_grads(ours, theirs, "clip_grad_norm_")
    clipped = float(torch.nn.utils.get_total_norm([p.grad for p in theirs[:-1]], norm_type))
    assert clipped == pytest.approx(min(max_norm, full_norm), rel=1e-5)


def test_clip_grad_norm_takes_a_single_parameter_and_a_generator():
    ours, theirs = twin_parameters(np.float64, "cpu", seed=1)
    with parity_case(of="nn.utils.clip_grad_norm_", twin="torch.nn.utils.clip_grad_norm_"):
        assert_close(clip_grad_norm_(ours[0], 0.5), torch.nn.utils.clip_grad_norm_(theirs[0], 0.5))
        assert_close(clip_grad_norm_((p for p in ours), 1.0, norm_type="inf"),
                     torch.nn.utils.clip_grad_norm_((p for p in theirs), 1.0, norm_type="inf"))
        assert_same_grads(ours, theirs, "clip_grad_norm_")


def test_clip_grad_norm_without_gradients_returns_zero_as_torch():
    total = clip_grad_norm_([Parameter(np.ones(2))], 1.0)
    total_t = torch.nn.utils.clip_grad_norm_([torch.nn.Parameter(torch.ones(2))], 1.0)
    assert_close(total, total_t, name="total norm")


def test_clip_grad_norm_refuses_a_nonfinite_norm_when_asked():
    ours, theirs = twin_parameters(np.float64, "cpu", with_none=False)
    ours[0].grad[0, 0] = theirs[0].grad[0, 0] = np.inf
    with pytest.raises(RuntimeError, match="non-finite"):
        torch.nn.utils.clip_grad_norm_(theirs, 1.0, error_if_nonfinite=True)
    with pytest.raises(RuntimeError, match="clip_grad_norm_.*inf"):
        clip_grad_norm_(ours, 1.0, error_if_nonfinite=True)
    with np.errstate(invalid="ignore"):  # inf · 0 = nan: the default scales by it, as torch
        assert np.isinf(clip_grad_norm_(ours, 1.0))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("clip_value", [0.1, 1.0, 10.0])
def test_clip_grad_value_matches_torch(device, dtype, clip_value):
    ours, theirs = twin_parameters(dtype, device, seed=2)
    with parity_case(of="nn.utils.clip_grad_value_", twin="torch.nn.utils.clip_grad_value_"):
        assert clip_grad_value_(ours, clip_value) is None
        torch.nn.utils.clip_grad_value_(theirs, clip_value)
        assert_same_grads(ours, theirs, "clip_grad_value_")
    assert all(np.abs(p.grad).max() <= dtype(clip_value) for p in ours if p.grad is not None)


def test_clipping_works_in_place_on_the_parameters_gradients():
    p = Parameter(np.zeros(2))
    grad = np.array([3.0, 4.0])
    p.grad = grad
    assert float(clip_grad_norm_(p, 1.0)) == 5.0
    assert p.grad is grad
    np.testing.assert_allclose(grad, [0.6, 0.8], rtol=1e-6)
