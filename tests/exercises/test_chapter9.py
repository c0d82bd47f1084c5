"""Chapter 9's exercises: the multiply-adds of a depthwise separable convolution, the weights of
a bottleneck block, the gradient through a residual block."""

import numpy as np
import torch
from exercise_helpers import rejected

import dlbook.nn as nn
from dlbook.exercises import solution
from dlbook.models import Bottleneck, summary

SEPARABLE_INPUTS = ("out_h", "out_w", "kernel_size", "in_channels", "out_channels")


def separable_mult_adds(out_h, out_w, kernel_size, in_channels, out_channels):
    positions = out_h * out_w
    depthwise = positions * kernel_size * kernel_size * in_channels
    return depthwise, positions * in_channels * out_channels


def test_separable_mult_adds_accepts_a_correct_answer(verdict):
    assert verdict("ch9.separable_mult_adds", separable_mult_adds)[0] is True


def test_separable_mult_adds_is_what_summary_counts():
    depthwise = nn.Conv2d(8, 8, 3, stride=2, padding=1, groups=8, bias=False)
    pointwise = nn.Conv2d(8, 24, 1, bias=False)
    rows = summary(nn.Sequential(depthwise, pointwise), (1, 8, 15, 15), verbose=False).rows
    assert solution("ch9.separable_mult_adds")(8, 8, 3, 8, 24) == tuple(r.mult_adds for r in rows)


def test_separable_mult_adds_rejects_a_depthwise_charged_for_every_output_channel(verdict):
    rejected(verdict, "ch9.separable_mult_adds",
             lambda h, w, k, c_in, c_out: (h * w * k * k * c_in * c_out, h * w * c_in * c_out),
             {"en": "charged for the output channels", "ko": "출력 채널 수까지 곱했습니다"},
             inputs=SEPARABLE_INPUTS)


def test_separable_mult_adds_rejects_a_pointwise_with_the_kernel_area(verdict):
    rejected(verdict, "ch9.separable_mult_adds",
             lambda h, w, k, c_in, c_out: (h * w * k * k * c_in, h * w * k * k * c_in * c_out),
             {"en": "with no K²", "ko": "K²은 곱하지 않습니다"}, inputs=SEPARABLE_INPUTS)


def test_separable_mult_adds_rejects_parameter_counts(verdict):
    rejected(verdict, "ch9.separable_mult_adds",
             lambda h, w, k, c_in, c_out: (k * k * c_in, c_in * c_out),
             {"en": "that is the number of parameters", "ko": "매개변수의 수입니다"},
             inputs=SEPARABLE_INPUTS)


def test_separable_mult_adds_rejects_swapped_values(verdict):
    rejected(verdict, "ch9.separable_mult_adds",
             lambda *args: separable_mult_adds(*args)[::-1],
             {"en": "swapped", "ko": "순서가 바뀌었습니다"}, inputs=SEPARABLE_INPUTS)


def bottleneck_params(channels, width):
    reduce, conv3x3, expand = channels * width, width * width * 9, width * channels
    return reduce + conv3x3 + expand


def test_bottleneck_params_accepts_a_correct_answer(verdict):
    assert verdict("ch9.bottleneck_params", bottleneck_params)[0] is True


def test_bottleneck_params_counts_the_convolutions_of_dlbooks_bottleneck():
    block = Bottleneck(256, 64)
    conv_weights = sum(m.weight.data.size for m in block.modules() if isinstance(m, nn.Conv2d))
    assert solution("ch9.bottleneck_params")(256, 64) == conv_weights == 69_632


def test_bottleneck_params_rejects_a_3x3_without_its_nine(verdict):
    rejected(verdict, "ch9.bottleneck_params",
             lambda channels, width: 2 * channels * width + width * width,
             {"en": "lost its K² = 9", "ko": "K² = 9를 빠뜨렸습니다"},
             inputs=("channels", "width"))


def test_bottleneck_params_rejects_a_3x3_on_the_wide_channels(verdict):
    rejected(verdict, "ch9.bottleneck_params",
             lambda channels, width: 2 * channels * width + 9 * channels * channels,
             {"en": "counted on the wide channels", "ko": "넓은 채널"},
             inputs=("channels", "width"))


def test_bottleneck_params_rejects_a_single_1x1(verdict):
    rejected(verdict, "ch9.bottleneck_params",
             lambda channels, width: channels * width + 9 * width * width,
             {"en": "Only one of the two 1 × 1", "ko": "하나만 셌습니다"},
             inputs=("channels", "width"))


def residual_input_grad(grad_y, jacobian):
    return grad_y @ (np.eye(len(grad_y)) + jacobian)


def test_residual_input_grad_accepts_a_correct_answer(verdict):
    assert verdict("ch9.residual_input_grad", residual_input_grad)[0] is True


def test_residual_input_grad_matches_torch_autograd():
    rng = np.random.default_rng(0)
    W, x, grad_y = rng.normal(size=(4, 4)), rng.normal(size=4), rng.normal(size=4)

    def branch(v):
        return torch.tanh(torch.from_numpy(W) @ v)

    x_t = torch.from_numpy(x).requires_grad_()
    (x_t + branch(x_t)).backward(torch.from_numpy(grad_y))
    jacobian = torch.autograd.functional.jacobian(branch, torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(solution("ch9.residual_input_grad")(grad_y, jacobian),
                               x_t.grad.numpy(), rtol=1e-12)


def test_residual_input_grad_rejects_the_plain_layers_gradient(verdict):
    rejected(verdict, "ch9.residual_input_grad", lambda grad_y, jacobian: grad_y @ jacobian,
             {"en": "through the skip connection is missing", "ko": "스킵 연결로 오는 기울기"},
             inputs=("grad_y", "jacobian"))


def test_residual_input_grad_rejects_a_transposed_jacobian(verdict):
    rejected(verdict, "ch9.residual_input_grad",
             lambda grad_y, jacobian: grad_y + jacobian @ grad_y,
             {"en": "applied transposed", "ko": "전치해서"}, inputs=("grad_y", "jacobian"))


def test_residual_input_grad_rejects_the_skip_alone(verdict):
    rejected(verdict, "ch9.residual_input_grad", lambda grad_y, jacobian: grad_y,
             {"en": "through the branch F is missing", "ko": "가지 F를 지나는"},
             inputs=("grad_y", "jacobian"))
