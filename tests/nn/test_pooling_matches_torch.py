"""MaxPool2d, AvgPool2d and AdaptiveAvgPool2d equal torch's: output and dL/dx over
hypothesis-drawn windows, strides, paddings, dilations and ceil_mode; ties in max pooling send
the gradient where torch sends it."""

import numpy as np
import pytest
import torch
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import dlbook.nn as nn
from dlbook.backend import to_device
from dlbook.nn.functional.pooling import pool_output_size
from dlbook.testing import assert_close, assert_module_matches_torch, parity_case, to_torch
from dlbook.testing.strategies import arrays, float_dtypes


def pair(data, low, high, label):
    return data.draw(st.tuples(st.integers(low, high), st.integers(low, high)), label=label)


def window_config(data, dilated: bool):
    """kernel_size, stride, padding (at most half the window, torch's rule), dilation, and an
    input side (H, W) at least one window wide."""
    kernel = pair(data, 1, 4, "kernel_size")
    stride = data.draw(st.one_of(st.none(), st.tuples(st.integers(1, 3), st.integers(1, 3))),
                       label="stride")
    dilation = pair(data, 1, 2, "dilation") if dilated else (1, 1)
    reach = [d * (k - 1) + 1 for k, d in zip(kernel, dilation, strict=True)]
    padding = tuple(data.draw(st.integers(0, k // 2), label="padding") for k in kernel)
    sides = tuple(max(r - 2 * p, 1) + data.draw(st.integers(0, 5), label="extra")
                  for r, p in zip(reach, padding, strict=True))
    return kernel, stride, padding, dilation, sides


def every_window_sees_the_input(sides, kernel, stride, padding, dilation, ceil_mode):
    """False when a dilated window falls wholly in the padding, e.g. kernel 2, dilation 2,
    padding 1 over one row reads rows −1 and 1 only. torch accepts it, then its backward writes
    before the gradient's buffer (torch 2.14: "double free or corruption" a few tests later)."""
    for size, k, s, p, d in zip(sides, kernel, stride or kernel, padding, dilation, strict=True):
        for o in range(pool_output_size(size, k, s, p, d, ceil_mode)):
            if not any(0 <= o * s - p + j * d < size for j in range(k)):
                return False
    return True


def compare(ours, theirs, x, device):
    with torch.no_grad():
        y_shape = tuple(theirs(to_torch(x, device)).shape)
    grad_out = np.random.default_rng(0).standard_normal(y_shape).astype(x.dtype)
    assert_module_matches_torch(ours, theirs, to_device(x, device), to_device(grad_out, device),
                                device)


@given(data=st.data(), batch=st.integers(1, 3), channels=st.integers(1, 3),
       ceil_mode=st.booleans(), ties=st.booleans())
def test_max_pool2d_matches_torch(device, data, batch, channels, ceil_mode, ties):
    kernel, stride, padding, dilation, sides = window_config(data, dilated=True)
    assume(every_window_sees_the_input(sides, kernel, stride, padding, dilation, ceil_mode))
    dtype = data.draw(float_dtypes, label="dtype")
    shape = (batch, channels, *sides)
    # ties: a few distinct values, so most windows hold equal maxima
    x = data.draw(hnp.arrays(dtype, shape, elements=st.sampled_from([0.0, 1.0, 2.0])) if ties
                  else arrays(dtype, shape), label="x")
    kwargs = dict(kernel_size=kernel, stride=stride, padding=padding, dilation=dilation,
                  ceil_mode=ceil_mode)
    compare(nn.MaxPool2d(**kwargs), torch.nn.MaxPool2d(**kwargs), x, device)


@given(data=st.data(), batch=st.integers(1, 3), channels=st.integers(1, 3),
       ceil_mode=st.booleans(), count_include_pad=st.booleans(),
       divisor_override=st.one_of(st.none(), st.integers(1, 5)))
def test_avg_pool2d_matches_torch(device, data, batch, channels, ceil_mode, count_include_pad,
                                  divisor_override):
    kernel, stride, padding, _, sides = window_config(data, dilated=False)
    dtype = data.draw(float_dtypes, label="dtype")
    x = data.draw(arrays(dtype, (batch, channels, *sides)), label="x")
    kwargs = dict(kernel_size=kernel, stride=stride, padding=padding, ceil_mode=ceil_mode,
                  count_include_pad=count_include_pad, divisor_override=divisor_override)
    compare(nn.AvgPool2d(**kwargs), torch.nn.AvgPool2d(**kwargs), x, device)


@given(data=st.data(), batch=st.integers(1, 3), channels=st.integers(1, 3),
       sides=st.tuples(st.integers(1, 9), st.integers(1, 9)),
       output_size=st.one_of(st.integers(1, 5),
                             st.tuples(st.one_of(st.none(), st.integers(1, 5)),
                                       st.one_of(st.none(), st.integers(1, 5)))))
def test_adaptive_avg_pool2d_matches_torch(device, data, batch, channels, sides, output_size):
    dtype = data.draw(float_dtypes, label="dtype")
    x = data.draw(arrays(dtype, (batch, channels, *sides)), label="x")
    compare(nn.AdaptiveAvgPool2d(output_size), torch.nn.AdaptiveAvgPool2d(output_size), x,
            device)


@pytest.mark.parametrize("ours, theirs", [
    (nn.MaxPool2d(3, stride=2, padding=1), torch.nn.MaxPool2d(3, stride=2, padding=1)),
    (nn.AvgPool2d(2), torch.nn.AvgPool2d(2)),
    (nn.AdaptiveAvgPool2d(1), torch.nn.AdaptiveAvgPool2d(1)),
], ids=["max", "avg", "adaptive"])
def test_unbatched_input_is_one_image_as_in_torch(device, ours, theirs):
    compare(ours, theirs, np.random.default_rng(1).standard_normal((2, 5, 6)), device)


def test_max_pool2d_ties_give_the_gradient_to_the_first_maximum_as_torch():
    x = np.array([[[[1.0, 1.0], [1.0, 1.0]]]])  # one window, four equal maxima
    pool = nn.MaxPool2d(2)
    pool(x)
    assert pool.backward(np.ones((1, 1, 1, 1)))[0, 0].tolist() == [[1.0, 0.0], [0.0, 0.0]]
    x_t = torch.from_numpy(x).requires_grad_()
    torch.nn.functional.max_pool2d(x_t, 2).sum().backward()
    assert x_t.grad[0, 0].tolist() == [[1.0, 0.0], [0.0, 0.0]]


def test_overlapping_windows_add_their_gradients():
    # 3 × 3 windows of stride 1 over 4 × 4: the centre maximum wins all four windows
    x = np.zeros((1, 1, 4, 4))
    x[0, 0, 1, 1] = 5.0
    pool = nn.MaxPool2d(3, stride=1)
    assert pool(x).tolist() == [[[[5.0, 5.0], [5.0, 5.0]]]]
    assert pool.backward(np.ones((1, 1, 2, 2)))[0, 0, 1, 1] == 4.0


def test_return_indices_match_torch():
    x = np.random.default_rng(2).standard_normal((2, 3, 7, 6))
    y, indices = nn.MaxPool2d(3, stride=2, padding=1, dilation=(1, 2), ceil_mode=True,
                              return_indices=True)(x)
    y_t, indices_t = torch.nn.MaxPool2d(3, stride=2, padding=1, dilation=(1, 2), ceil_mode=True,
                                        return_indices=True)(torch.from_numpy(x))
    with parity_case("MaxPool2d", "torch.nn.MaxPool2d"):
        assert_close(y, y_t, name="max")
    assert np.array_equal(indices, indices_t.numpy()) and indices.dtype == np.int64


def test_functional_poolings_match_torch():
    x = np.random.default_rng(3).standard_normal((2, 3, 7, 5))
    x_t = torch.from_numpy(x)
    F, F_t = nn.functional, torch.nn.functional
    with parity_case("nn.functional pooling", "torch.nn.functional pooling"):
        assert_close(F.max_pool2d(x, 3, 2, 1, ceil_mode=True),
                     F_t.max_pool2d(x_t, 3, 2, 1, ceil_mode=True), name="max_pool2d")
        assert_close(F.avg_pool2d(x, (2, 3), 1, (1, 0), count_include_pad=False),
                     F_t.avg_pool2d(x_t, (2, 3), 1, (1, 0), count_include_pad=False),
                     name="avg_pool2d")
        assert_close(F.adaptive_avg_pool2d(x, (3, None)), F_t.adaptive_avg_pool2d(x_t, (3, None)),
                     name="adaptive_avg_pool2d")


@pytest.mark.parametrize("pool", [nn.MaxPool2d(2), nn.AvgPool2d(2), nn.AdaptiveAvgPool2d(2)])
def test_float32_stays_float32(pool):
    x = np.ones((2, 3, 4, 4), dtype=np.float32)
    y = pool(x)
    assert y.dtype == pool.backward(np.ones_like(y)).dtype == np.float32


@pytest.mark.parametrize("pool", [nn.MaxPool2d(2), nn.AvgPool2d(2), nn.AdaptiveAvgPool2d(2)])
def test_an_empty_batch_pools_to_an_empty_output(pool):
    y = pool(np.zeros((0, 3, 4, 4)))
    assert y.shape == (0, 3, 2, 2)
    assert pool.backward(y).shape == (0, 3, 4, 4)


@pytest.mark.parametrize("ours, theirs", [
    (nn.MaxPool2d(3, stride=2, padding=1), torch.nn.MaxPool2d(3, stride=2, padding=1)),
    (nn.AvgPool2d(3, stride=2), torch.nn.AvgPool2d(3, stride=2)),
    (nn.AdaptiveAvgPool2d((1, 1)), torch.nn.AdaptiveAvgPool2d((1, 1))),
])
def test_repr_matches_torch(ours, theirs):
    assert repr(ours) == repr(theirs)


def test_max_pool2d_lets_a_nan_win_its_window_as_torch():
    x = np.arange(32, dtype=np.float64).reshape(1, 2, 4, 4)
    x[0, 0, 1, 0] = x[0, 1, 2, 3] = np.nan  # one NaN in each of two windows
    pool = nn.MaxPool2d(2, return_indices=True)
    y, indices = pool(x)
    grad_x = pool.backward(np.arange(1.0, 9.0).reshape(1, 2, 2, 2))
    x_t = torch.from_numpy(x).requires_grad_()
    y_t, indices_t = torch.nn.functional.max_pool2d(x_t, 2, return_indices=True)
    y_t.backward(torch.arange(1.0, 9.0, dtype=torch.float64).reshape(1, 2, 2, 2))
    np.testing.assert_array_equal(y, y_t.detach().numpy())  # NaN where torch has NaN
    assert np.isnan(y[0, 0, 0, 0]) and np.isnan(y[0, 1, 1, 1])
    np.testing.assert_array_equal(indices, indices_t.numpy())
    np.testing.assert_array_equal(grad_x, x_t.grad.numpy())
