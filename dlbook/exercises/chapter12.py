"""Chapter 12 (performance): the floating-point operations of a Linear layer's training step, and
the memory of im2col's columns."""

from dlbook.exercises.exercise import Case, Exercise, Mistake, Text, same_as
from dlbook.nn.functional.conv import conv_output_size


def _linear_training_flops(batch, in_features, out_features):
    """Forward y = x Wᵀ, then dL/dx = g W and dL/dW = gᵀ x: three products of the same size,
    each N·in·out multiply-adds of 2 FLOPs (the bias's N·out additions are left out)."""
    return 3 * 2 * batch * in_features * out_features


def _linear_case(rng):
    return (int(rng.choice([1, 8, 32, 64, 256, 1000])), int(rng.integers(1, 2049)),
            int(rng.integers(1, 1025)))


# linear_training_flops(batch, in_features, out_features) -> int
LINEAR_TRAINING_FLOPS = Exercise(
    id="ch12.linear_training_flops",
    args=("batch", "in_features", "out_features"),
    reference=_linear_training_flops,
    random_case=_linear_case,
    edge_cases=(
        Case(Text("벤치마크 MLP의 첫 층", "the benchmark MLP's first layer"), (256, 784, 512)),
        Case(Text("샘플 하나", "a single sample"), (1, 784, 512)),
        Case(Text("출력 하나", "a single output"), (64, 10, 1)),
    ),
    mistakes=(
        Mistake(Text("순전파만 셌습니다. 역전파에서도 같은 크기의 행렬 곱셈이 두 번, "
                     "dL/dx = g W와 dL/dW = gᵀ x가 있습니다.",
                     "Only the forward pass was counted: the backward pass does two more matrix "
                     "products of the same size, dL/dx = g W and dL/dW = gᵀ x."),
                same_as(lambda batch, in_features, out_features:
                        2 * batch * in_features * out_features)),
        Mistake(Text("곱셈-덧셈 하나를 FLOP 하나로 셌습니다. 곱셈과 덧셈은 FLOP 두 개입니다.",
                     "Each multiply-add was counted as one FLOP: a multiplication and an "
                     "addition are two."),
                same_as(lambda batch, in_features, out_features:
                        3 * batch * in_features * out_features)),
        Mistake(Text("역전파의 행렬 곱셈을 하나만 셌습니다. 입력의 기울기와 가중치의 기울기, "
                     "둘 다 필요합니다.",
                     "Only one of the backward products was counted: both the input's gradient "
                     "and the weight's are needed."),
                same_as(lambda batch, in_features, out_features:
                        4 * batch * in_features * out_features)),
        Mistake(Text("배치 크기 N을 곱하지 않았습니다. 샘플마다 같은 계산을 합니다.",
                     "The batch size N is missing: every sample takes the same work."),
                same_as(lambda batch, in_features, out_features:
                        6 * in_features * out_features)),
    ),
    hint=Text("행렬 곱셈 (N × in) · (in × out)은 곱셈-덧셈 N·in·out번, FLOP 2·N·in·out개입니다. "
              "학습 한 스텝에는 이런 곱셈이 세 번 있습니다.",
              "A matrix product (N × in) · (in × out) takes N·in·out multiply-adds, 2·N·in·out "
              "FLOPs; a training step does three such products."),
)


def _im2col_bytes(batch, channels, size, kernel_size, stride, padding):
    """float32 columns of a square input and kernel: C·K² rows, N·OH·OW columns, 4 bytes each."""
    out = conv_output_size(size + 2 * padding, kernel_size, stride)
    return 4 * channels * kernel_size ** 2 * batch * out * out


def _im2col_case(rng):
    kernel, stride, padding = (int(rng.choice([1, 3, 5, 7])), int(rng.integers(1, 3)),
                               int(rng.integers(0, 4)))
    size = int(rng.integers(max(kernel - 2 * padding, 1), 65))
    return (int(rng.choice([1, 8, 64])), int(rng.choice([1, 3, 16, 64])), size, kernel, stride,
            padding)


# im2col_bytes(batch, channels, size, kernel_size, stride, padding) -> int
IM2COL_BYTES = Exercise(
    id="ch12.im2col_bytes",
    args=("batch", "channels", "size", "kernel_size", "stride", "padding"),
    reference=_im2col_bytes,
    random_case=_im2col_case,
    edge_cases=(
        Case(Text("벤치마크의 Conv2d", "the benchmark's Conv2d"), (64, 16, 28, 3, 1, 1)),
        Case(Text("1 × 1 커널: 복사가 입력 크기와 같습니다",
                  "a 1 × 1 kernel: the columns are as large as the input"), (8, 64, 14, 1, 1, 0)),
        Case(Text("ResNet의 첫 층", "ResNet's first layer"), (8, 3, 64, 7, 2, 3)),
        Case(Text("패딩 없이 스트라이드 2", "stride 2 without padding"), (1, 1, 9, 3, 2, 0)),
    ),
    mistakes=(
        Mistake(Text("바이트가 아니라 원소 수를 돌려주었습니다. float32 원소 하나는 4바이트입니다.",
                     "That is the number of elements, not bytes: a float32 element takes 4 "
                     "bytes."),
                same_as(lambda *args: _im2col_bytes(*args) // 4)),
        Mistake(Text("커널 크기 K²을 곱하지 않았습니다. 출력 위치마다 C·K²개의 값을 한 열로 "
                     "복사합니다. 그래서 im2col은 입력보다 대략 K²배 큽니다.",
                     "The kernel area K² is missing: every output position copies C·K² values "
                     "into its column. That is why im2col is about K² times larger than the "
                     "input."),
                same_as(lambda *args: _im2col_bytes(*args) // args[3] ** 2)),
        Mistake(Text("출력 크기 대신 입력 크기 H × W를 썼습니다. 열은 출력 위치마다 하나이고, "
                     "출력의 한 변은 ⌊(H + 2P − K) / S⌋ + 1입니다.",
                     "The input size H × W was used instead of the output's: there is one column "
                     "per output position, and a side of the output is ⌊(H + 2P − K) / S⌋ + 1."),
                same_as(lambda batch, channels, size, kernel_size, stride, padding:
                        4 * channels * kernel_size ** 2 * batch * size * size)),
        Mistake(Text("배치 크기 N을 곱하지 않았습니다. 배치의 이미지마다 열이 따로 있습니다.",
                     "The batch size N is missing: each image of the batch has its own columns."),
                same_as(lambda batch, channels, *rest: _im2col_bytes(1, channels, *rest))),
    ),
    hint=Text("행은 C·K²개, 열은 N·OH·OW개, 원소마다 4바이트입니다. "
              "OH = ⌊(H + 2P − K) / S⌋ + 1 (8장).",
              "C·K² rows, N·OH·OW columns, 4 bytes per element, with "
              "OH = ⌊(H + 2P − K) / S⌋ + 1 (chapter 8)."),
)

EXERCISES = (LINEAR_TRAINING_FLOPS, IM2COL_BYTES)
