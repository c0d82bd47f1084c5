"""BatchNorm1d and BatchNorm2d equal torch's: forward, gradients and running statistics, in
training and in evaluation, on random shapes and both float dtypes (hypothesis)."""

import math

import numpy as np
import pytest
import torch
from hypothesis import assume, given
from hypothesis import strategies as st

import dlbook.nn as nn
from dlbook.backend import to_device
from dlbook.testing import (
    assert_close,
    assert_module_matches_torch,
    parity_case,
    to_numpy,
    twin_names,
    twins,
)
from dlbook.testing.strategies import float_dtypes

# name -> (dlbook class, torch class, the shape of x drawn from N, C)
LAYERS = {
    "BatchNorm1d (N, C)": (nn.BatchNorm1d, torch.nn.BatchNorm1d, lambda n, c, d: (n, c)),
    "BatchNorm1d (N, C, L)": (nn.BatchNorm1d, torch.nn.BatchNorm1d,
                              lambda n, c, d: (n, c, d.draw(st.integers(1, 5), label="L"))),
    "BatchNorm2d (N, C, H, W)": (nn.BatchNorm2d, torch.nn.BatchNorm2d,
                                 lambda n, c, d: (n, c, *d.draw(st.tuples(st.integers(1, 4),
                                                                          st.integers(1, 4)),
                                                                label="H, W"))),
}

MOMENTA = st.sampled_from([0.1, 0.3, None])  # torch's default, another, a cumulative average


def draw_shape(data, name, dtype):
    """(N, C, …) with m = N·L or N·H·W values per channel: at least 2, as training needs, and
    at least 4 in float32. With m = 2 the output is ±1 whatever x (up to ε), so dL/dx is
    roundoff that float32 gets to no digit (torch's own is 50% off the exact value there)."""
    n, c = data.draw(st.integers(1, 6), label="N"), data.draw(st.integers(1, 4), label="C")
    shape = LAYERS[name][2](n, c, data)
    assume(n * math.prod(shape[2:]) >= (4 if dtype == np.float32 else 2))
    return shape


def draw_normal(data, dtype, shape, device, label, scales):
    """Normal values of a drawn spread and offset: scale · (z + offset), z ~ N(0, 1).

    Not hypothesis's own arrays: it favours channels of nearly equal values (x) or of one
    repeated value (grad_out), whose normalised output or input gradient is pure roundoff,
    magnified up to 1/√ε, where float32 results differ by design rather than by error.
    """
    seed = data.draw(st.integers(0, 2**32 - 1), label=f"{label} seed")
    scale = data.draw(st.sampled_from(scales), label=f"{label} scale")
    offset = data.draw(st.sampled_from([-1.0, 0.0, 1.0]), label=f"{label} offset")
    z = np.random.default_rng(seed).standard_normal(shape)
    return to_device((scale * (z + offset)).astype(dtype), device)


def compare_step(layer, torch_layer, shape, dtype, data, device):
    """One call compared with torch: output, dL/dx, dL/dγ and dL/dβ."""
    # dL/dx is a difference of terms of the size of |γ g| / σ: kept near 1 (σ ≥ 1, |g| ≤ 1)
    # so that float32's roundoff in it stays under the absolute tolerance, 1e-6
    x = draw_normal(data, dtype, shape, device, "x", scales=[1.0, 3.0])
    grad_out = draw_normal(data, dtype, shape, device, "grad_out", scales=[0.1, 0.3])
    assert_module_matches_torch(layer, torch_layer, x, grad_out, device)


def make_twins(name, data, device, **kwargs):
    """A dlbook layer and its torch twin with random γ and β, in one dtype on ``device``."""
    ours, theirs, _ = LAYERS[name]
    dtype = data.draw(float_dtypes, label="dtype")
    shape = draw_shape(data, name, dtype)
    torch.manual_seed(data.draw(st.integers(0, 2**16), label="torch seed"))
    torch_layer = theirs(shape[1], **kwargs)
    if torch_layer.affine:
        with torch.no_grad():  # away from γ = 1, β = 0, so that the affine step counts
            torch_layer.weight.uniform_(0.5, 1.5)
            if torch_layer.bias is not None:
                torch_layer.bias.uniform_(-1.0, 1.0)
    layer, torch_layer = twins(ours(shape[1], **kwargs), torch_layer, dtype, device)
    return layer, torch_layer, shape, dtype


def assert_running_stats_match(layer, torch_layer):
    """The buffers equal torch's: running mean and variance to tolerance, the count exactly."""
    assert list(layer.state_dict()) == list(torch_layer.state_dict())
    with parity_case(*twin_names(layer, torch_layer)):
        for key in ("running_mean", "running_var"):
            assert_close(getattr(layer, key), getattr(torch_layer, key), name=key)
    count = to_numpy(layer.num_batches_tracked)
    assert count.dtype == np.int64 and count.shape == ()
    assert int(count) == int(torch_layer.num_batches_tracked)


def train_steps(layer, torch_layer, shape, dtype, data, device):
    """A few training steps, each compared with torch."""
    layer.train(), torch_layer.train()
    for _ in range(data.draw(st.integers(1, 3), label="steps")):
        compare_step(layer, torch_layer, shape, dtype, data, device)


def eval_step(layer, torch_layer, shape, dtype, data, device):
    layer.eval(), torch_layer.eval()
    compare_step(layer, torch_layer, shape, dtype, data, device)


@pytest.mark.parametrize("name", LAYERS)
@given(data=st.data(), momentum=MOMENTA, affine=st.booleans())
def test_batchnorm_trains_and_evaluates_like_torch(device, name, data, momentum, affine):
    layer, torch_layer, shape, dtype = make_twins(name, data, device, momentum=momentum,
                                                  affine=affine)
    train_steps(layer, torch_layer, shape, dtype, data, device)
    assert_running_stats_match(layer, torch_layer)
    eval_step(layer, torch_layer, shape, dtype, data, device)  # with the running statistics
    assert_running_stats_match(layer, torch_layer)  # evaluation leaves them alone


@pytest.mark.parametrize("name", LAYERS)
@given(data=st.data(), affine=st.booleans())
def test_batchnorm_without_running_stats_always_uses_the_batch_like_torch(device, name, data,
                                                                           affine):
    layer, torch_layer, shape, dtype = make_twins(name, data, device, affine=affine,
                                                  track_running_stats=False)
    assert list(layer.state_dict()) == list(torch_layer.state_dict())
    train_steps(layer, torch_layer, shape, dtype, data, device)
    eval_step(layer, torch_layer, shape, dtype, data, device)  # still the batch's statistics


@given(data=st.data())
def test_batchnorm_without_beta_matches_torch(device, data):
    layer, torch_layer, shape, dtype = make_twins("BatchNorm2d (N, C, H, W)", data, device,
                                                  bias=False)
    assert list(layer.state_dict()) == list(torch_layer.state_dict())
    train_steps(layer, torch_layer, shape, dtype, data, device)


@pytest.mark.parametrize("ours, theirs", [(nn.BatchNorm1d, torch.nn.BatchNorm1d),
                                          (nn.BatchNorm2d, torch.nn.BatchNorm2d)])
def test_batchnorm_starts_with_torchs_state_and_repr(ours, theirs):
    layer, torch_layer = ours(3), theirs(3)
    assert repr(layer) == repr(torch_layer)
    state, torch_state = layer.state_dict(), torch_layer.state_dict()
    assert list(state) == ["weight", "bias", "running_mean", "running_var",
                           "num_batches_tracked"] == list(torch_state)
    for key, value in state.items():
        np.testing.assert_array_equal(value, torch_state[key].numpy())
        assert value.dtype == torch_state[key].numpy().dtype, key  # float32; int64 count
    assert [k for k in ours(3, affine=False).state_dict()] == list(
        theirs(3, affine=False).state_dict())


def test_batchnorm_state_moves_to_torch_and_back():
    x = np.random.default_rng(0).standard_normal((8, 3, 5)).astype(np.float32)
    layer, torch_layer = nn.BatchNorm1d(3, momentum=None), torch.nn.BatchNorm1d(3)
    for _ in range(3):
        layer(x * 2 + 1)
    torch_layer.load_state_dict({k: torch.as_tensor(v) for k, v in layer.state_dict().items()})
    assert int(torch_layer.num_batches_tracked) == 3
    fresh = nn.BatchNorm1d(3)
    fresh.load_state_dict(torch_layer.state_dict())
    fresh.eval(), torch_layer.eval()
    with parity_case("BatchNorm1d", "torch.nn.BatchNorm1d"):
        assert_close(fresh(x), torch_layer(torch.from_numpy(x)))
    assert repr(fresh.num_batches_tracked) == "array(3)"


def test_batchnorm_double_converts_the_buffers_but_not_the_count():
    layer = nn.BatchNorm2d(2).double()
    assert {k: v.dtype for k, v in layer.state_dict().items()} == {
        "weight": np.float64, "bias": np.float64, "running_mean": np.float64,
        "running_var": np.float64, "num_batches_tracked": np.int64}
    assert nn.BatchNorm2d(2, affine=False, dtype=np.float64).running_var.dtype == np.float64


def test_batchnorm_passes_an_empty_batch_and_keeps_its_statistics_like_torch():
    layer, torch_layer = nn.BatchNorm1d(3), torch.nn.BatchNorm1d(3)
    x = np.zeros((0, 3), dtype=np.float32)
    assert_module_matches_torch(layer, torch_layer, x, x)
    assert_running_stats_match(layer, torch_layer)
