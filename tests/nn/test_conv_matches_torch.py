"""Conv2d equals torch.nn.Conv2d: output, dL/dx, dL/dW and dL/db over hypothesis-drawn shapes,
strides, paddings (ints, pairs, "same", "valid", every padding mode), dilations and groups."""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import dlbook.nn as nn
from dlbook.backend import to_device
from dlbook.nn.functional.conv import col2im, im2col
from dlbook.testing import assert_close, assert_module_matches_torch, parity_case, to_torch, twins
from dlbook.testing.strategies import arrays, float_dtypes

# torch warns that "same" with an even kernel may copy the input: true, and not our concern
pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same':UserWarning")

PADDING_MODES = ["zeros", "reflect", "replicate", "circular"]


@st.composite
def conv_configs(draw):
    """Keyword arguments of a Conv2d and an input shape it accepts (N, C, H, W)."""
    groups = draw(st.integers(1, 3), label="groups")
    depthwise = draw(st.booleans(), label="depthwise")
    in_channels = groups * (1 if depthwise else draw(st.integers(1, 3), label="C_in / groups"))
    out_channels = groups * draw(st.integers(1, 3), label="C_out / groups")
    kernel = draw(st.tuples(st.integers(1, 4), st.integers(1, 4)), label="kernel_size")
    dilation = draw(st.tuples(st.integers(1, 2), st.integers(1, 2)), label="dilation")
    stride = draw(st.tuples(st.integers(1, 3), st.integers(1, 3)), label="stride")
    padding = draw(st.one_of(st.integers(0, 2), st.tuples(st.integers(0, 2), st.integers(0, 2)),
                             st.sampled_from(["same", "valid"])), label="padding")
    if padding == "same":
        stride = (1, 1)  # torch refuses "same" with a stride
    mode = draw(st.sampled_from(PADDING_MODES), label="padding_mode")
    pads = (0, 0) if padding == "valid" else (
        tuple(d * (k - 1) for k, d in zip(kernel, dilation, strict=True)) if padding == "same"
        else padding if isinstance(padding, tuple) else (padding, padding))
    # an input the kernel fits in, and that reflect padding (pad < size) can mirror
    reach = [d * (k - 1) + 1 for k, d in zip(kernel, dilation, strict=True)]
    sides = [max(r - (2 * p if padding != "same" else p), p + 1, 1)
             + draw(st.integers(0, 4), label="extra") for r, p in zip(reach, pads, strict=True)]
    batch = draw(st.integers(1, 3), label="N")
    kwargs = dict(in_channels=in_channels, out_channels=out_channels, kernel_size=kernel,
                  stride=stride, padding=padding, dilation=dilation, groups=groups,
                  bias=draw(st.booleans(), label="bias"), padding_mode=mode)
    return kwargs, (batch, in_channels, *sides)


def compare(kwargs, x_shape, data, device, seed):
    """Build the twins from ``kwargs``, draw x and dL/dy, compare all four results."""
    dtype = data.draw(float_dtypes, label="dtype")
    torch.manual_seed(seed)
    ours, theirs = twins(nn.Conv2d(**kwargs), torch.nn.Conv2d(**kwargs), dtype, device)
    x = data.draw(arrays(dtype, x_shape, bound=2.0), label="x")
    with torch.no_grad():
        y_shape = tuple(theirs(to_torch(x, device)).shape)
    grad_out = data.draw(arrays(dtype, y_shape, bound=1.0), label="grad_out")
    assert_module_matches_torch(ours, theirs, to_device(x, device), to_device(grad_out, device),
                                device)


@given(data=st.data(), config=conv_configs(), seed=st.integers(0, 2**16))
def test_conv2d_matches_torch(device, data, config, seed):
    compare(*config, data, device, seed)


@pytest.mark.parametrize("kwargs, x_shape", [
    ({"in_channels": 1, "out_channels": 1, "kernel_size": 3}, (1, 1, 5, 5)),  # N = 1, C = 1
    ({"in_channels": 3, "out_channels": 4, "kernel_size": 2, "stride": 2}, (2, 3, 7, 6)),
    ({"in_channels": 2, "out_channels": 3, "kernel_size": (1, 3)}, (2, 2, 4, 9)),  # non-square
    ({"in_channels": 4, "out_channels": 8, "kernel_size": 3, "padding": 1, "groups": 4},
     (2, 4, 6, 6)),  # depthwise, two filters per channel
    ({"in_channels": 6, "out_channels": 4, "kernel_size": 3, "padding": "same", "groups": 2,
      "dilation": 2}, (1, 6, 7, 5)),
    ({"in_channels": 2, "out_channels": 2, "kernel_size": 4, "padding": "same"},
     (1, 2, 5, 6)),  # even kernel: "same" puts the extra row and column after, as torch
    ({"in_channels": 3, "out_channels": 2, "kernel_size": 3, "padding": (2, 1),
      "padding_mode": "reflect", "stride": (2, 1)}, (2, 3, 5, 4)),
    ({"in_channels": 3, "out_channels": 5, "kernel_size": 7, "stride": 2, "padding": 3,
      "bias": False}, (2, 3, 16, 16)),  # resnet's stem
], ids=["N1-C1", "stride2-pad0", "non-square", "depthwise", "same-dilated-groups",
        "same-even-kernel", "reflect", "resnet-stem"])
@given(data=st.data())
def test_conv2d_matches_torch_on_named_configurations(device, kwargs, x_shape, data):
    compare(kwargs, x_shape, data, device, seed=0)


def test_unbatched_input_is_one_image_as_in_torch(device):
    torch.manual_seed(0)
    ours, theirs = twins(nn.Conv2d(2, 3, 3, padding=1), torch.nn.Conv2d(2, 3, 3, padding=1),
                         np.float64, device)
    x = np.random.default_rng(0).standard_normal((2, 5, 4))
    grad_out = np.random.default_rng(1).standard_normal((3, 5, 4))
    assert_module_matches_torch(ours, theirs, to_device(x, device), to_device(grad_out, device),
                                device)


def test_an_empty_batch_gives_an_empty_output_and_zero_weight_gradients():
    conv = nn.Conv2d(2, 3, 3).double()
    y = conv(np.zeros((0, 2, 5, 5)))
    assert y.shape == (0, 3, 3, 3) == tuple(torch.nn.Conv2d(2, 3, 3)(torch.zeros(0, 2, 5, 5)).shape)
    assert conv.backward(np.zeros(y.shape)).shape == (0, 2, 5, 5)
    assert not conv.weight.grad.any() and not conv.bias.grad.any()


def test_functional_conv2d_matches_torch():
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((2, 4, 6, 5)), rng.standard_normal((6, 2, 3, 2))
    b = rng.standard_normal(6)
    expected = torch.nn.functional.conv2d(torch.from_numpy(x), torch.from_numpy(w),
                                          torch.from_numpy(b), stride=(2, 1), padding=1,
                                          dilation=(1, 2), groups=2)
    with parity_case("nn.functional.conv2d", "torch.nn.functional.conv2d"):
        assert_close(nn.functional.conv2d(x, w, b, stride=(2, 1), padding=1, dilation=(1, 2),
                                          groups=2), expected, name="conv2d")
        assert_close(nn.functional.conv2d(x[0], w, None, padding="same", groups=2),
                     torch.nn.functional.conv2d(torch.from_numpy(x[0]), torch.from_numpy(w),
                                                padding="same", groups=2), name="conv2d same")


def test_float32_stays_float32_through_forward_and_backward():
    conv = nn.Conv2d(3, 4, 3, groups=1)
    x = np.ones((2, 3, 6, 6), dtype=np.float32)
    y = conv(x)
    dx = conv.backward(np.ones_like(y))
    assert y.dtype == dx.dtype == conv.weight.grad.dtype == conv.bias.grad.dtype == np.float32


def test_im2col_is_a_view_whose_windows_are_the_receptive_fields():
    x = np.arange(2 * 3 * 5 * 6, dtype=float).reshape(2, 3, 5, 6)
    cols = im2col(x, (2, 3), stride=(2, 1), dilation=(1, 2))
    assert cols.shape == (2, 3, 2, 3, 2, 2) and np.shares_memory(cols, x)
    # tap (i, j) of output pixel (oh, ow) reads x[oh·2 + i, ow + 2j]
    assert cols[1, 2, 1, 2, 1, 1] == x[1, 2, 1 * 2 + 1, 1 + 2 * 2]


def test_col2im_is_the_adjoint_of_im2col():
    # <im2col(x), c> = <x, col2im(c)> for all x, c: the definition of the adjoint
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 7, 6))
    cols = im2col(x, (3, 2), stride=(2, 2), dilation=(2, 1))
    c = rng.standard_normal(cols.shape)
    assert np.vdot(cols, c) == pytest.approx(np.vdot(x, col2im(c, x.shape, (2, 2), (2, 1))))


def test_repr_matches_torch():
    for kwargs in ({"kernel_size": 3}, {"kernel_size": (1, 3), "stride": 2, "padding": (0, 1),
                                        "bias": False},
                   {"kernel_size": 3, "padding": "same", "dilation": 2, "groups": 2,
                    "padding_mode": "reflect"}):
        assert repr(nn.Conv2d(4, 6, **kwargs)) == repr(torch.nn.Conv2d(4, 6, **kwargs))


def test_initialisation_follows_torchs_bounds():
    # kaiming-uniform with a = √5: weights within ±1/√fan_in, biases too; fan_in = 2 · 3 · 3
    conv = nn.Conv2d(4, 64, 3, groups=2)
    bound = 1 / np.sqrt(2 * 3 * 3)
    assert np.abs(conv.weight.data).max() <= bound
    assert np.abs(conv.weight.data).max() > 0.9 * bound
    assert np.abs(conv.bias.data).max() <= bound
