"""Every layer's forward, input gradient and parameter gradients equal torch's (hypothesis)."""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import dlbook.nn as nn
from dlbook.backend import to_device
from dlbook.testing import assert_module_matches_torch, torch_dtype, twins
from dlbook.testing.strategies import arrays, float_dtypes, shapes


def check_against_torch(module, torch_module, x_shape, data, device):
    """Draw x and an upstream gradient, then compare the twins on ``device``."""
    dtype = data.draw(float_dtypes, label="dtype")
    twins(module, torch_module, dtype, device)
    x = to_device(data.draw(arrays(dtype, x_shape), label="x"), device)
    with torch.no_grad():
        y_shape = tuple(torch_module(torch.zeros(x_shape, dtype=torch_dtype(dtype))
                                     .to(device)).shape)
    grad_out = to_device(data.draw(arrays(dtype, y_shape, bound=1.0), label="grad_out"), device)
    assert_module_matches_torch(module, torch_module, x, grad_out, device)


@given(data=st.data(), in_features=st.integers(1, 8), out_features=st.integers(1, 8),
       bias=st.booleans(), batch=shapes(min_dims=0, max_dims=2), seed=st.integers(0, 2**16))
def test_linear_matches_torch(device, data, in_features, out_features, bias, batch, seed):
    torch.manual_seed(seed)
    check_against_torch(nn.Linear(in_features, out_features, bias),
                        torch.nn.Linear(in_features, out_features, bias),
                        batch + (in_features,), data, device)


ELEMENTWISE = {
    "ReLU": (nn.ReLU, torch.nn.ReLU, {}),
    "ReLU6": (nn.ReLU6, torch.nn.ReLU6, {}),
    "LeakyReLU": (nn.LeakyReLU, torch.nn.LeakyReLU, {"negative_slope": 0.2}),
    "Sigmoid": (nn.Sigmoid, torch.nn.Sigmoid, {}),
    "Tanh": (nn.Tanh, torch.nn.Tanh, {}),
    "Identity": (nn.Identity, torch.nn.Identity, {}),
}


@pytest.mark.parametrize("name", ELEMENTWISE)
@given(data=st.data(), shape=shapes(min_dims=0, max_dims=4))
def test_elementwise_layer_matches_torch(device, name, data, shape):
    ours, theirs, kwargs = ELEMENTWISE[name]
    check_against_torch(ours(**kwargs), theirs(**kwargs), shape, data, device)


def test_relu_takes_torchs_inplace_flag_and_prints_it_as_torch():
    # torchvision's models build ReLU(inplace=True); dlbook returns a new array all the same
    x = np.array([-1.0, 2.0])
    assert nn.ReLU(inplace=True)(x).tolist() == [0.0, 2.0] and x.tolist() == [-1.0, 2.0]
    for ours, theirs in ((nn.ReLU, torch.nn.ReLU), (nn.ReLU6, torch.nn.ReLU6)):
        assert repr(ours(inplace=True)) == repr(theirs(inplace=True))
        assert repr(ours()) == repr(theirs())


@pytest.mark.parametrize("ours, theirs", [(nn.Softmax, torch.nn.Softmax),
                                          (nn.LogSoftmax, torch.nn.LogSoftmax)])
@given(data=st.data(), shape=shapes(min_dims=1, max_dims=4))
def test_softmax_layers_match_torch_along_any_dim(device, ours, theirs, data, shape):
    dim = data.draw(st.integers(-len(shape), len(shape) - 1), label="dim")
    check_against_torch(ours(dim), theirs(dim), shape, data, device)


@given(data=st.data(), shape=shapes(min_dims=2, max_dims=5))
def test_flatten_matches_torch(device, data, shape):
    start = data.draw(st.integers(0, len(shape) - 1), label="start_dim")
    end = data.draw(st.integers(start, len(shape) - 1), label="end_dim")
    end -= data.draw(st.sampled_from([0, len(shape)]), label="negative end")  # −1 style too
    check_against_torch(nn.Flatten(start, end), torch.nn.Flatten(start, end), shape, data, device)


@given(data=st.data(), sizes=st.lists(st.integers(1, 6), min_size=2, max_size=5),
       batch=st.integers(1, 5), seed=st.integers(0, 2**16))
def test_sequential_mlp_matches_torch(device, data, sizes, batch, seed):
    ours, theirs = [], []
    for i, (n_in, n_out) in enumerate(zip(sizes, sizes[1:], strict=False)):
        ours.append(nn.Linear(n_in, n_out))
        theirs.append(torch.nn.Linear(n_in, n_out))
        if i < len(sizes) - 2:
            ours.append(nn.Tanh())
            theirs.append(torch.nn.Tanh())
    torch.manual_seed(seed)
    for layer in theirs:
        if hasattr(layer, "reset_parameters"):
            layer.reset_parameters()
    check_against_torch(nn.Sequential(*ours), torch.nn.Sequential(*theirs), (batch, sizes[0]),
                        data, device)
