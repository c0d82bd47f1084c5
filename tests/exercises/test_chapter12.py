"""Chapter 12's exercises: the FLOPs of a Linear layer's training step and the bytes of im2col's
columns, both held to what dlbook actually does."""

import numpy as np
from exercise_helpers import rejected

from dlbook.exercises import solution
from dlbook.nn.functional.conv import conv2d_forward, pad2d

LINEAR_INPUTS = ("batch", "in_features", "out_features")
IM2COL_INPUTS = ("batch", "channels", "size", "kernel_size", "stride", "padding")


def linear_training_flops(batch, in_features, out_features):
    return 6 * batch * in_features * out_features


def im2col_bytes(batch, channels, size, kernel_size, stride, padding):
    side = (size + 2 * padding - kernel_size) // stride + 1
    return 4 * channels * kernel_size * kernel_size * batch * side * side


def test_linear_training_flops_accepts_a_correct_answer(verdict):
    assert verdict("ch12.linear_training_flops", linear_training_flops)[0] is True


def test_linear_training_flops_of_the_benchmark_mlp():
    flops = solution("ch12.linear_training_flops")
    assert flops(256, 784, 512) + flops(256, 512, 10) == 624_427_008


def test_linear_training_flops_rejects_the_forward_pass_alone(verdict):
    rejected(verdict, "ch12.linear_training_flops", lambda n, i, o: 2 * n * i * o,
             {"en": "Only the forward pass was counted", "ko": "순전파만 셌습니다"},
             inputs=LINEAR_INPUTS)


def test_linear_training_flops_rejects_multiply_adds_counted_as_one(verdict):
    rejected(verdict, "ch12.linear_training_flops", lambda n, i, o: 3 * n * i * o,
             {"en": "counted as one FLOP", "ko": "FLOP 하나로 셌습니다"}, inputs=LINEAR_INPUTS)


def test_linear_training_flops_rejects_one_backward_product(verdict):
    rejected(verdict, "ch12.linear_training_flops", lambda n, i, o: 4 * n * i * o,
             {"en": "Only one of the backward products", "ko": "하나만 셌습니다"},
             inputs=LINEAR_INPUTS)


def test_linear_training_flops_rejects_a_missing_batch(verdict):
    rejected(verdict, "ch12.linear_training_flops", lambda n, i, o: 6 * i * o,
             {"en": "The batch size N is missing", "ko": "배치 크기 N을 곱하지"},
             inputs=LINEAR_INPUTS)


def test_im2col_bytes_accepts_a_correct_answer(verdict):
    assert verdict("ch12.im2col_bytes", im2col_bytes)[0] is True


def test_im2col_bytes_is_the_size_of_dlbooks_columns():
    x = np.zeros((2, 3, 9, 9), dtype=np.float32)
    weight = np.zeros((4, 3, 3, 3), dtype=np.float32)
    _, cols = conv2d_forward(pad2d(x, (1, 1, 1, 1)), weight, stride=(2, 2))
    assert solution("ch12.im2col_bytes")(2, 3, 9, 3, 2, 1) == cols.nbytes == 5_400


def test_im2col_bytes_rejects_a_count_of_elements(verdict):
    rejected(verdict, "ch12.im2col_bytes", lambda *args: im2col_bytes(*args) // 4,
             {"en": "number of elements, not bytes", "ko": "원소 수를 돌려주었습니다"},
             inputs=IM2COL_INPUTS)


def test_im2col_bytes_rejects_a_missing_kernel_area(verdict):
    rejected(verdict, "ch12.im2col_bytes", lambda *args: im2col_bytes(*args) // args[3] ** 2,
             {"en": "The kernel area K² is missing", "ko": "커널 크기 K²을 곱하지"},
             inputs=IM2COL_INPUTS)


def test_im2col_bytes_rejects_the_input_size_for_the_output(verdict):
    rejected(verdict, "ch12.im2col_bytes",
             lambda n, c, size, k, s, p: 4 * c * k * k * n * size * size,
             {"en": "The input size H × W was used", "ko": "입력 크기 H × W를 썼습니다"},
             inputs=IM2COL_INPUTS)


def test_im2col_bytes_rejects_a_missing_batch(verdict):
    rejected(verdict, "ch12.im2col_bytes", lambda n, *rest: im2col_bytes(1, *rest),
             {"en": "The batch size N is missing", "ko": "배치 크기 N을 곱하지"},
             inputs=IM2COL_INPUTS)
