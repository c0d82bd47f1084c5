"""Convolution layers: Conv2d, with stride, padding, dilation and groups, as torch's."""

import numpy as np

from dlbook.backend import as_dtype
from dlbook.nn import functional as F
from dlbook.nn import init
from dlbook.nn.checks import (
    check_array,
    check_channels,
    check_conv_arguments,
    check_dtype,
    check_float_dtype,
    check_kernel_fits,
)
from dlbook.nn.functional.conv import pair
from dlbook.nn.module import Module
from dlbook.nn.parameter import Parameter


class Conv2d(Module):
    """y[n, o] = b[o] + Σ_c W[o, c] ⋆ x[n, c]: each filter slides over the image
    (a cross-correlation, as torch's; no kernel flip).

    Shape: x (N, C_in, H, W) or unbatched (C_in, H, W) -> y (N, C_out, OH, OW), with
    OH = ⌊(H + pad_top + pad_bottom − dilation·(KH − 1) − 1) / stride⌋ + 1 (and OW alike).
    ``kernel_size``, ``stride``, ``padding`` and ``dilation`` take an int or a pair; ``padding``
    also "valid" (none) or "same" (the output keeps H × W; stride 1 only). With ``groups`` = G
    the channels split into G groups, each filter seeing only its own group's C_in / G channels
    (G = C_in: a depthwise convolution). ``padding_mode``: "zeros", "reflect", "replicate" or
    "circular". Parameters ``weight`` (C_out, C_in / G, KH, KW) and ``bias`` (C_out,),
    initialised as torch: kaiming-uniform with a = √5, bias U(±1/√fan_in).
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0,
                 dilation=1, groups: int = 1, bias: bool = True, padding_mode: str = "zeros",
                 device=None, dtype=None, generator=None):
        super().__init__()
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.kernel_size, self.stride = pair(kernel_size), pair(stride)
        self.dilation = pair(dilation)
        self.padding = padding if isinstance(padding, str) else pair(padding)
        self.padding_mode = padding_mode
        check_conv_arguments(self)
        dtype = check_float_dtype(self.label(), as_dtype(dtype))
        self.weight = Parameter(np.empty((out_channels, in_channels // groups, *self.kernel_size),
                                         dtype=dtype))
        if bias:
            self.bias = Parameter(np.empty(out_channels, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters(generator)
        if device is not None:
            self.to(device)

    def reset_parameters(self, generator=None):
        init.torch_default_(self.weight.data, None if self.bias is None else self.bias.data,
                            generator)

    def forward(self, x):
        check_array(self, x)
        check_channels(self, x, {4: f"(N, {self.in_channels}, H, W)",
                                 3: f"({self.in_channels}, H, W)"}, self.in_channels,
                       channel_axis=-3)
        check_dtype(self, x)
        self.unbatched = x.ndim == 3  # torch accepts one image (C, H, W): run it as a batch of 1
        if self.unbatched:
            x = x[None]
        self.input_shape = x.shape
        self.pads = F.conv.padding_amounts(self.padding, self.kernel_size, self.dilation)
        x = F.conv.pad2d(x, self.pads, self.padding_mode)
        check_kernel_fits(self, x.shape[-2:],
                          F.conv.receptive_field(self.kernel_size, self.dilation))
        self.padded_shape = x.shape
        y, self.cols = F.conv.conv2d_forward(  # backward needs the columns for dL/dW
            x, self.weight.data, None if self.bias is None else self.bias.data, self.stride,
            self.dilation, self.groups)
        return y[0] if self.unbatched else y

    def backward(self, grad_out):
        if self.unbatched:
            grad_out = grad_out[None]
        grad_x, grad_weight, grad_bias = F.conv.conv2d_backward(
            grad_out, self.cols, self.weight.data, self.padded_shape, self.stride,
            self.dilation, self.groups)
        self.weight.accumulate_grad(grad_weight)
        if self.bias is not None:
            self.bias.accumulate_grad(grad_bias)
        grad_x = F.conv.pad2d_backward(grad_x, self.pads, self.padding_mode, self.input_shape)
        return grad_x[0] if self.unbatched else grad_x

    def extra_repr(self):
        text = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size},"
                f" stride={self.stride}")
        if self.padding != (0, 0):
            text += f", padding={self.padding}"
        if self.dilation != (1, 1):
            text += f", dilation={self.dilation}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self._parameters.get("bias", True) is None:  # errors in __init__ come before it exists
            text += ", bias=False"
        if self.padding_mode != "zeros":
            text += f", padding_mode={self.padding_mode}"
        return text
