"""Chapter 8's exercises: the output size of a convolution, a convolution by hand, the parameters
of a Conv2d, and 2 × 2 max pooling."""

import numpy as np
from exercise_helpers import number, rejected

SIZE_ARGS = ("size", "kernel", "padding", "stride")


def conv_output_size(size, kernel, padding, stride):
    return (size + 2 * padding - kernel) // stride + 1


def test_conv_output_size_accepts_a_correct_answer(verdict):
    assert verdict("ch8.conv_output_size", conv_output_size)[0] is True


def test_conv_output_size_rejects_a_quotient_not_rounded_down(verdict):
    def true_division(size, kernel, padding, stride):
        return (size + 2 * padding - kernel) / stride + 1

    found = rejected(verdict, "ch8.conv_output_size", true_division,
                     {"en": "not rounded down", "ko": "내림하지 않았습니다"}, inputs=SIZE_ARGS)
    assert number(found["Expected"]) == int(number(found["Expected"]))


def test_conv_output_size_rejects_padding_on_one_side(verdict):
    rejected(verdict, "ch8.conv_output_size",
             lambda size, kernel, padding, stride: (size + padding - kernel) // stride + 1,
             {"en": "add 2P", "ko": "2P를"}, inputs=SIZE_ARGS)


def test_conv_output_size_rejects_a_missing_plus_one(verdict):
    rejected(verdict, "ch8.conv_output_size",
             lambda size, kernel, padding, stride: (size + 2 * padding - kernel) // stride,
             {"en": "+1 is missing", "ko": "+1이"}, inputs=SIZE_ARGS)


def test_conv_output_size_rejects_ignoring_the_stride(verdict):
    rejected(verdict, "ch8.conv_output_size",
             lambda size, kernel, padding, stride: size + 2 * padding - kernel + 1,
             {"en": "The stride was left out", "ko": "스트라이드로 나누지 않았습니다"},
             inputs=SIZE_ARGS)


def correlate2d(x, w):
    kh, kw = w.shape
    oh, ow = x.shape[0] - kh + 1, x.shape[1] - kw + 1
    y = np.zeros((oh, ow), dtype=x.dtype)
    for i in range(oh):
        for j in range(ow):
            y[i, j] = (x[i:i + kh, j:j + kw] * w).sum()
    return y


def test_correlate2d_accepts_a_correct_answer(verdict):
    assert verdict("ch8.correlate2d", correlate2d)[0] is True


def test_correlate2d_accepts_a_vectorized_answer(verdict):
    def windows(x, w):
        view = np.lib.stride_tricks.sliding_window_view(x, w.shape)
        return np.einsum("ijuv,uv->ij", view, w)

    assert verdict("ch8.correlate2d", windows)[0] is True


def test_correlate2d_rejects_a_flipped_filter(verdict):
    rejected(verdict, "ch8.correlate2d", lambda x, w: correlate2d(x, w[::-1, ::-1]),
             {"en": "cross-correlation", "ko": "교차 상관"}, inputs=("x", "w"))


def test_correlate2d_rejects_an_output_one_row_short(verdict):
    def short(x, w):
        kh, kw = w.shape
        return np.array([[(x[i:i + kh, j:j + kw] * w).sum() for j in range(x.shape[1] - kw)]
                         for i in range(x.shape[0] - kh)])

    rejected(verdict, "ch8.correlate2d", short,
             {"en": "one row short", "ko": "한 줄 작습니다"}, inputs=("x", "w"))


def test_correlate2d_rejects_a_mean_of_the_products(verdict):
    rejected(verdict, "ch8.correlate2d", lambda x, w: correlate2d(x, w) / w.size,
             {"en": "averaged the products", "ko": "평균을 냈습니다"}, inputs=("x", "w"))


PARAMETER_ARGS = ("in_channels", "out_channels", "kernel_size", "bias")


def conv2d_parameters(in_channels, out_channels, kernel_size, bias):
    weights = out_channels * in_channels * kernel_size * kernel_size
    return weights + out_channels if bias else weights


def test_conv2d_parameters_accepts_a_correct_answer(verdict):
    assert verdict("ch8.conv2d_parameters", conv2d_parameters)[0] is True


def test_conv2d_parameters_rejects_missing_biases(verdict):
    rejected(verdict, "ch8.conv2d_parameters",
             lambda in_channels, out_channels, kernel_size, bias:
             out_channels * in_channels * kernel_size ** 2,
             {"en": "The biases are missing", "ko": "편향을 빠뜨렸습니다"}, inputs=PARAMETER_ARGS)


def test_conv2d_parameters_rejects_ignoring_the_input_channels(verdict):
    rejected(verdict, "ch8.conv2d_parameters",
             lambda in_channels, out_channels, kernel_size, bias:
             out_channels * kernel_size ** 2 + (out_channels if bias else 0),
             {"en": "input channels were not counted", "ko": "입력 채널 수를 곱하지"},
             inputs=PARAMETER_ARGS)


def test_conv2d_parameters_rejects_an_unsquared_kernel(verdict):
    rejected(verdict, "ch8.conv2d_parameters",
             lambda in_channels, out_channels, kernel_size, bias:
             out_channels * in_channels * kernel_size + (out_channels if bias else 0),
             {"en": "not squared", "ko": "제곱하지 않았습니다"}, inputs=PARAMETER_ARGS)


def test_conv2d_parameters_rejects_a_bias_per_input_channel(verdict):
    rejected(verdict, "ch8.conv2d_parameters",
             lambda in_channels, out_channels, kernel_size, bias:
             out_channels * in_channels * (kernel_size ** 2 + (1 if bias else 0)),
             {"en": "one bias per filter", "ko": "편향은 필터마다 하나"}, inputs=PARAMETER_ARGS)


def max_pool2x2(x):
    h, w = x.shape
    return x.reshape(h // 2, 2, w // 2, 2).max(axis=(1, 3))


def test_max_pool2x2_accepts_a_correct_answer(verdict):
    assert verdict("ch8.max_pool2x2", max_pool2x2)[0] is True


def test_max_pool2x2_rejects_average_pooling(verdict):
    rejected(verdict, "ch8.max_pool2x2",
             lambda x: x.reshape(x.shape[0] // 2, 2, x.shape[1] // 2, 2).mean(axis=(1, 3)),
             {"en": "You took the mean", "ko": "평균을 냈습니다"}, inputs=("x",))


def test_max_pool2x2_rejects_stride_one(verdict):
    def overlapping(x):
        return np.maximum(np.maximum(x[:-1, :-1], x[1:, :-1]), np.maximum(x[:-1, 1:], x[1:, 1:]))

    rejected(verdict, "ch8.max_pool2x2", overlapping,
             {"en": "stride 1", "ko": "스트라이드 1"}, inputs=("x",))


def test_max_pool2x2_messages_name_the_window_of_the_first_difference(verdict):
    passed, text = verdict("ch8.max_pool2x2", lambda x: x[::2, ::2])
    assert passed is False
    assert "x[2i:2i + 2, 2j:2j + 2]" in text
