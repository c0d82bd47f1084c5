"""F.sigmoid, F.tanh, F.relu, F.relu6 and their backwards against torch, on every device."""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import dlbook.nn.functional as F
from dlbook.backend import to_device
from dlbook.testing import assert_close, parity_case, torch_forward_backward
from dlbook.testing.strategies import arrays, float_dtypes, shapes

# (dlbook forward, dlbook backward, what backward needs: "x" or "y", torch twin)
ACTIVATIONS = {
    "sigmoid": (F.sigmoid, F.sigmoid_backward, "y", torch.sigmoid),
    "tanh": (F.tanh, F.tanh_backward, "y", torch.tanh),
    "relu": (F.relu, F.relu_backward, "x", torch.relu),
    "relu6": (F.relu6, F.relu6_backward, "x", torch.nn.functional.relu6),
}


@st.composite
def input_and_grad(draw):
    """x and an upstream gradient of the same random shape and float dtype."""
    dtype, shape = draw(float_dtypes), draw(shapes())
    return draw(arrays(dtype, shape)), draw(arrays(dtype, shape, bound=1.0))


@pytest.mark.parametrize("name", ACTIVATIONS)
@given(data=input_and_grad())
def test_activation_forward_and_backward_match_torch(name, device, data):
    forward, backward, needs, torch_fn = ACTIVATIONS[name]
    x, grad_out = (to_device(a, device) for a in data)

    y = forward(x)
    dx = backward(grad_out, y if needs == "y" else x)

    y_t, dx_t = torch_forward_backward(torch_fn, x, grad_out, device)
    with parity_case(f"F.{name}", f"torch.{torch_fn.__name__}"):
        assert_close(y, y_t, name=f"{name} forward")
        assert_close(dx, dx_t, name=f"{name} backward")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_saturates_without_overflow(dtype):
    x = np.array([-1e4, -800.0, 0.0, 800.0, 1e4], dtype=dtype)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        y = F.sigmoid(x)
    np.testing.assert_array_equal(y, np.array([0.0, 0.0, 0.5, 1.0, 1.0], dtype=dtype))
    assert y.dtype == dtype


def test_relu_gradient_at_zero_is_zero_like_torch():
    x = np.array([-1.0, 0.0, 2.0])
    np.testing.assert_array_equal(F.relu_backward(np.ones(3), x), [0.0, 0.0, 1.0])


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_keeps_float32(name):
    forward, backward, needs, _ = ACTIVATIONS[name]
    x = np.linspace(-3, 3, 7, dtype=np.float32)
    y = forward(x)
    dx = backward(np.ones_like(x), y if needs == "y" else x)
    assert (y.dtype, dx.dtype) == (np.float32, np.float32)
