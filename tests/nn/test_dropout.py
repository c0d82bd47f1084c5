"""Dropout: inverted dropout with repeatable masks; torch's Dropout in evaluation, for p = 0 and
p = 1, and in training on torch's own mask.

Training masks come from different generators in dlbook and torch, so training is compared
with torch on torch's mask: a stand-in generator hands dlbook the draws that keep exactly the
elements torch kept, and outputs and input gradients are then compared with torch's.
"""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import dlbook
import dlbook.nn as nn
from dlbook.backend import to_device
from dlbook.testing import assert_close, assert_module_matches_torch, parity_case, to_torch, twins
from dlbook.testing.strategies import arrays, float_dtypes, shapes

P = st.sampled_from([0.1, 0.5, 0.8])


def draw_twins(data, p, device, train: bool):
    dtype = data.draw(float_dtypes, label="dtype")
    layer, torch_layer = twins(nn.Dropout(p), torch.nn.Dropout(p), dtype, device)
    return layer.train(train), torch_layer.train(train), dtype


@given(data=st.data(), shape=shapes(min_dims=0, max_dims=4), p=P)
def test_dropout_in_eval_mode_is_the_identity_like_torch(device, data, shape, p):
    layer, torch_layer, dtype = draw_twins(data, p, device, train=False)
    x = to_device(data.draw(arrays(dtype, shape), label="x"), device)
    grad_out = to_device(data.draw(arrays(dtype, shape, bound=1.0), label="grad_out"), device)
    assert_module_matches_torch(layer, torch_layer, x, grad_out, device)


@pytest.mark.parametrize("p", [0.0, 1.0])
@given(data=st.data(), shape=shapes(min_dims=0, max_dims=4))
def test_dropout_with_p_0_or_1_trains_like_torch(device, data, shape, p):
    """p = 0 keeps every element and p = 1 none: no randomness, so torch's output is known."""
    layer, torch_layer, dtype = draw_twins(data, p, device, train=True)
    x = to_device(data.draw(arrays(dtype, shape), label="x"), device)
    grad_out = to_device(data.draw(arrays(dtype, shape, bound=1.0), label="grad_out"), device)
    assert_module_matches_torch(layer, torch_layer, x, grad_out, device)


class TorchsMask:
    """A stand-in generator whose draws keep exactly the elements that ``keep`` marks:
    1 (≥ p, kept) where torch kept an element, 0 (< p, dropped) where it dropped one."""

    def __init__(self, keep):
        self.keep = keep

    def random(self, shape):
        assert shape == self.keep.shape
        return self.keep.astype(np.float64)


@given(data=st.data(), shape=shapes(min_dims=1, max_dims=4), p=P, seed=st.integers(0, 2**16))
def test_dropout_in_training_matches_torch_on_torchs_mask(device, data, shape, p, seed):
    layer, torch_layer, dtype = draw_twins(data, p, device, train=True)
    x = to_device(data.draw(arrays(dtype, shape), label="x"), device)
    grad_out = to_device(data.draw(arrays(dtype, shape, bound=1.0), label="grad_out"), device)
    torch.manual_seed(seed)
    x_t = to_torch(x, device, requires_grad=True)
    y_t = torch_layer(x_t)
    y_t.backward(to_torch(grad_out, device))
    torch.manual_seed(seed)  # the same draws again, on ones: torch's mask, scaled
    mask = torch_layer(torch.ones_like(x_t)).detach().cpu().numpy()
    layer.generator = TorchsMask(mask != 0)
    y = layer(x)
    dx = layer.backward(grad_out)
    with parity_case("Dropout", "torch.nn.Dropout"):
        assert_close(y, y_t, name="Dropout forward")
        assert_close(dx, x_t.grad, name="Dropout dL/dx")


def test_dropout_keeps_each_element_with_probability_1_minus_p():
    p, n = 0.3, 400_000
    y = nn.Dropout(p)(np.ones(n, dtype=np.float32))
    kept = np.count_nonzero(y) / n
    bound = 5 * np.sqrt(p * (1 - p) / n)  # five standard deviations of the kept fraction
    assert abs(kept - (1 - p)) < bound


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dropout_scales_kept_elements_by_exactly_1_over_1_minus_p(dtype):
    p = 0.3
    x = np.random.default_rng(0).standard_normal((50, 40)).astype(dtype)
    y = nn.Dropout(p)(x)
    kept = y != 0
    assert y.dtype == dtype
    np.testing.assert_array_equal(y[kept], x[kept] * dtype(1 / (1 - p)))
    assert 0 < kept.mean() < 1


def test_dropout_in_eval_mode_returns_its_input_and_gradient_unchanged():
    layer = nn.Dropout(0.5).eval()
    x, grad_out = np.arange(6.0).reshape(2, 3), np.ones((2, 3))
    np.testing.assert_array_equal(layer(x), x)
    np.testing.assert_array_equal(layer.backward(grad_out), grad_out)


def test_the_same_seed_gives_the_same_mask():
    x = np.ones((20, 30), dtype=np.float32)
    dlbook.manual_seed(7)
    first = nn.Dropout(0.5)(x)
    dlbook.manual_seed(7)
    second = nn.Dropout(0.5)(x)
    dlbook.manual_seed(8)
    other = nn.Dropout(0.5)(x)
    np.testing.assert_array_equal(first, second)
    assert not np.array_equal(first, other)


def test_a_generator_of_its_own_repeats_its_masks_whatever_the_default_does():
    x = np.ones((20, 30))
    first = nn.Dropout(0.5, generator=np.random.default_rng(3))(x)
    dlbook.manual_seed(99)
    second = nn.Dropout(0.5, generator=np.random.default_rng(3))(x)
    np.testing.assert_array_equal(first, second)


def test_each_call_draws_a_new_mask_and_backward_uses_its_own_calls_mask():
    layer, x = nn.Dropout(0.5), np.ones((10, 10))
    y1 = layer(x)
    y2 = layer(x)
    assert not np.array_equal(y1, y2)
    grad_out = np.full((10, 10), 3.0)
    np.testing.assert_array_equal(layer.backward(grad_out), 3 * y2)  # last in, first out
    np.testing.assert_array_equal(layer.backward(grad_out), 3 * y1)


@pytest.mark.parametrize("shape", [(), (0,), (0, 3), (2, 0, 4)])
def test_dropout_passes_scalars_and_empty_batches(shape):
    layer = nn.Dropout(0.5)
    x = np.ones(shape, dtype=np.float32)
    y = layer(x)
    assert y.shape == shape and y.dtype == np.float32
    assert layer.backward(np.ones(shape, dtype=np.float32)).shape == shape


def test_inplace_dropout_writes_into_its_input():
    x = np.ones((8, 8))
    y = nn.Dropout(0.5, inplace=True)(x)
    np.testing.assert_array_equal(x, y)
    assert set(np.unique(x)) == {0.0, 2.0}


def test_dropout_of_p_1_zeros_everything_as_torch_does():
    x = np.array([1.0, -2.0, np.inf])
    with parity_case("Dropout", "torch.nn.Dropout"), np.errstate(invalid="ignore"):
        assert_close(nn.Dropout(1.0)(x), torch.nn.Dropout(1.0)(torch.from_numpy(x)))  # inf·0: nan


def test_dropout_repr_and_state_match_torch():
    assert repr(nn.Dropout(0.2)) == repr(torch.nn.Dropout(0.2))
    assert nn.Dropout().state_dict() == {}
    layer = nn.Dropout()
    nn.Sequential(nn.Linear(2, 2), layer).eval()
    assert layer.training is False
