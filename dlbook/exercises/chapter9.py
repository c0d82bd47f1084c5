"""Chapter 9: the multiply-adds of a depthwise separable convolution, the weights of a
bottleneck block, and the gradient that flows back through a residual block."""

import numpy as np

from dlbook.exercises.exercise import Case, Exercise, Mistake, Text, same_as
from dlbook.nn.functional.conv import multiply_adds


def _separable_mult_adds(out_h, out_w, kernel_size, in_channels, out_channels):
    """(depthwise, pointwise) multiply-adds, as dlbook's summary counts them: each output value
    of a convolution sums C_in / groups · K · K products."""
    k = kernel_size
    depthwise = multiply_adds((1, in_channels, out_h, out_w), (in_channels, 1, k, k))
    pointwise = multiply_adds((1, out_channels, out_h, out_w), (out_channels, in_channels, 1, 1))
    return depthwise, pointwise


def _separable_case(rng):
    size = int(rng.choice([1, 4, 7, 8, 14, 16, 28, 32]))
    return (size, size, int(rng.choice([1, 3, 5, 7])), int(rng.choice([1, 3, 8, 16, 32, 64])),
            int(rng.choice([8, 16, 64, 128, 256])))


def _standard(out_h, out_w, kernel_size, in_channels, out_channels):
    """What an ordinary K × K convolution costs: H·W·K²·C_in·C_out."""
    return out_h * out_w * kernel_size ** 2 * in_channels * out_channels


# separable_mult_adds(out_h, out_w, kernel_size, in_channels, out_channels)
#     -> (depthwise, pointwise), two ints
SEPARABLE_MULT_ADDS = Exercise(
    id="ch9.separable_mult_adds",
    args=("out_h", "out_w", "kernel_size", "in_channels", "out_channels"),
    reference=_separable_mult_adds,
    random_case=_separable_case,
    outputs=("depthwise", "pointwise"),
    edge_cases=(
        Case(Text("9.2절의 예: 16 × 16, 3 × 3, 채널 3 → 256",
                  "section 9.2's example: 16 × 16, 3 × 3, 3 → 256 channels"), (16, 16, 3, 3, 256)),
        Case(Text("MobileNetV1의 첫 블록", "MobileNetV1's first block"), (112, 112, 3, 32, 64)),
        Case(Text("높이와 너비가 다른 출력", "an output whose height and width differ"),
             (4, 6, 3, 8, 16)),
        Case(Text("입력 채널 하나", "a single input channel"), (8, 8, 3, 1, 16)),
    ),
    mistakes=(
        Mistake(Text("깊이별 합성곱에 출력 채널 수까지 곱했습니다. 깊이별 합성곱은 입력 채널마다 "
                     "K × K 필터 하나만 쓰므로 출력 채널이 C_in개이고, 출력값 하나는 곱셈 K²번으로 "
                     "나옵니다. 비용은 H·W·K²·C_in입니다.",
                     "The depthwise convolution was charged for the output channels too. It "
                     "has one K × K filter per input channel, so C_in output channels, each "
                     "value made of K² products: it costs H·W·K²·C_in."),
                lambda args, expected, received: _same_part(received, 0, _standard(*args))),
        Mistake(Text("점별 합성곱은 1 × 1 합성곱입니다. 출력값 하나가 C_in개의 곱을 더하므로 "
                     "비용은 H·W·C_in·C_out이고, K²은 곱하지 않습니다.",
                     "The pointwise convolution is a 1 × 1 convolution: each output value sums "
                     "C_in products, so it costs H·W·C_in·C_out, with no K²."),
                lambda args, expected, received: _same_part(received, 1, _standard(*args))),
        Mistake(Text("출력의 크기 H·W를 곱하지 않았습니다. 그것은 매개변수의 수입니다. "
                     "곱셈-덧셈 수는 필터가 출력의 모든 위치에서 한 번씩 계산되므로 H·W배입니다.",
                     "The output size H·W was left out: that is the number of parameters. A "
                     "filter is applied once at every output position, so the multiply-adds are "
                     "H·W times as many."),
                same_as(lambda out_h, out_w, kernel_size, in_channels, out_channels:
                        (kernel_size ** 2 * in_channels, in_channels * out_channels))),
        Mistake(Text("깊이별 합성곱에 입력 채널 수를 곱하지 않았습니다. 채널마다 필터가 하나씩, "
                     "모두 C_in개 있습니다.",
                     "The depthwise convolution was not multiplied by the input channels: there "
                     "is one filter per channel, C_in of them."),
                lambda args, expected, received: _same_part(
                    received, 0, args[0] * args[1] * args[2] ** 2)),
        Mistake(Text("두 값의 순서가 바뀌었습니다. (깊이별, 점별) 순서로 돌려주세요.",
                     "The two values are swapped: return (depthwise, pointwise)."),
                same_as(lambda *args: _separable_mult_adds(*args)[::-1])),
    ),
    hint=Text("깊이별: H·W·K²·C_in (채널마다 K × K 필터 하나), 점별: H·W·C_in·C_out "
              "(1 × 1 필터 C_out개). H, W는 출력의 높이와 너비입니다.",
              "Depthwise: H·W·K²·C_in (one K × K filter per channel); pointwise: H·W·C_in·C_out "
              "(C_out filters of 1 × 1). H and W are the output's height and width."),
)


def _same_part(received, index, value) -> bool:
    """Whether part ``index`` of a tuple answer is ``value``."""
    try:
        return int(received[index]) == value
    except (TypeError, ValueError, IndexError):
        return False


def _bottleneck_params(channels, width):
    """Weights of the three convolutions of a bottleneck block (no biases: a BatchNorm follows
    each): 1×1 channels → width, 3×3 width → width, 1×1 width → channels."""
    return channels * width + 3 * 3 * width * width + width * channels


def _bottleneck_case(rng):
    width = int(rng.choice([4, 16, 32, 64, 128, 256, 512]))
    return int(rng.choice([1, 2, 4])) * width * 4 // int(rng.choice([1, 2, 4])), width


# bottleneck_params(channels, width) -> int: the convolution weights of one bottleneck block
BOTTLENECK_PARAMS = Exercise(
    id="ch9.bottleneck_params",
    args=("channels", "width"),
    reference=_bottleneck_params,
    random_case=_bottleneck_case,
    edge_cases=(
        Case(Text("9.6절의 256 → 64 → 256", "section 9.6's 256 → 64 → 256"), (256, 64)),
        Case(Text("ResNet-50의 layer3 블록", "a block of ResNet-50's layer3"), (1024, 256)),
        Case(Text("줄이지 않는 블록", "a block that does not narrow"), (64, 64)),
    ),
    mistakes=(
        Mistake(Text("가운데 3 × 3 합성곱의 K² = 9를 빠뜨렸습니다. 필터 하나가 width개 채널마다 "
                     "3 × 3 가중치를 가지므로 width · width · 9개입니다.",
                     "The middle 3 × 3 convolution lost its K² = 9: each of its width filters "
                     "holds 3 × 3 weights for each of width channels, width · width · 9 in all."),
                same_as(lambda channels, width: 2 * channels * width + width * width)),
        Mistake(Text("3 × 3 합성곱을 넓은 채널(channels)에서 계산했습니다. 병목 블록은 1 × 1 "
                     "합성곱으로 채널을 width개로 줄인 다음 그 좁은 곳에서만 3 × 3을 계산합니다.",
                     "The 3 × 3 convolution was counted on the wide channels: a bottleneck block "
                     "first narrows to width channels with a 1 × 1 convolution and only then "
                     "computes the 3 × 3, where it is narrow."),
                same_as(lambda channels, width: 2 * channels * width + 9 * channels * channels,
                        lambda channels, width: 2 * channels * width + 9 * channels * width)),
        Mistake(Text("1 × 1 합성곱 두 개 가운데 하나만 셌습니다. 채널을 줄이는 것과 다시 늘리는 "
                     "것, 둘 다 channels · width개의 가중치가 있습니다.",
                     "Only one of the two 1 × 1 convolutions was counted: the one that narrows "
                     "and the one that widens again both hold channels · width weights."),
                same_as(lambda channels, width: channels * width + 9 * width * width)),
        Mistake(Text("이것은 3 × 3 합성곱 두 개(channels → channels)의 가중치입니다. 병목 블록의 "
                     "세 합성곱을 세어 보세요.",
                     "That is the weights of two 3 × 3 convolutions, channels → channels: count "
                     "the three convolutions of the bottleneck block instead."),
                same_as(lambda channels, width: 2 * 9 * channels * channels)),
    ),
    hint=Text("1 × 1 (channels → width): channels·width, 3 × 3 (width → width): 9·width², "
              "1 × 1 (width → channels): width·channels를 더합니다.",
              "Add 1 × 1 (channels → width): channels·width, 3 × 3 (width → width): 9·width², "
              "and 1 × 1 (width → channels): width·channels."),
)


def _residual_input_grad(grad_y, jacobian):
    """dL/dx for y = x + F(x): dL/dx = dL/dy (I + ∂F/∂x), with jacobian[i, j] = ∂F_i/∂x_j."""
    return grad_y + grad_y @ jacobian


def _residual_case(rng):
    d = int(rng.integers(1, 6))
    return rng.normal(0, 1, d), rng.normal(0, 0.5, (d, d))


_g = np.array([1.0, -2.0, 0.5])
_J = np.array([[0.2, 0.5, 0.0], [-0.1, 0.3, 0.4], [0.0, 0.0, -0.6]])

# residual_input_grad(grad_y (D,), jacobian (D, D)) -> grad_x (D,), for y = x + F(x)
RESIDUAL_INPUT_GRAD = Exercise(
    id="ch9.residual_input_grad",
    args=("grad_y", "jacobian"),
    reference=_residual_input_grad,
    random_case=_residual_case,
    edge_cases=(
        Case(Text("F = 0인 블록(항등 사상)", "a block with F = 0 (the identity mapping)"),
             (_g, np.zeros((3, 3)))),
        Case(Text("대칭이 아닌 야코비 행렬", "a Jacobian that is not symmetric"), (_g, _J)),
        Case(Text("입력을 지우는 F(x) = −x", "F(x) = −x, which cancels its input"),
             (_g, -np.eye(3))),
        Case(Text("특성 하나", "a single feature"), (np.array([2.0]), np.array([[0.25]]))),
    ),
    mistakes=(
        Mistake(Text("스킵 연결로 오는 기울기를 빠뜨렸습니다. 이것은 스킵 없는 평범한 층의 "
                     "기울기 dL/dy · ∂F/∂x입니다. y = x + F(x)이므로 ∂y/∂x = I + ∂F/∂x이고, "
                     "dL/dy가 I를 지나 그대로 한 번 더 더해집니다.",
                     "The gradient through the skip connection is missing: this is the gradient "
                     "of a plain layer, dL/dy · ∂F/∂x. Since y = x + F(x), ∂y/∂x = I + ∂F/∂x, "
                     "and dL/dy comes through the I unchanged, added once more."),
                same_as(lambda grad_y, jacobian: grad_y @ jacobian)),
        Mistake(Text("야코비 행렬을 전치해서 곱했습니다. jacobian[i, j] = ∂F_i/∂x_j이므로 "
                     "dL/dx_j = Σ_i dL/dy_i · jacobian[i, j], 곧 grad_y @ jacobian입니다.",
                     "The Jacobian was applied transposed: jacobian[i, j] = ∂F_i/∂x_j, so "
                     "dL/dx_j = Σ_i dL/dy_i · jacobian[i, j], that is grad_y @ jacobian."),
                same_as(lambda grad_y, jacobian: grad_y + jacobian @ grad_y,
                        lambda grad_y, jacobian: jacobian @ grad_y)),
        Mistake(Text("가지 F를 지나는 기울기를 빠뜨렸습니다. 스킵 연결은 dL/dy를 그대로 넘기고, "
                     "F를 지나는 길은 grad_y @ jacobian을 넘깁니다. 두 길의 기울기를 더합니다.",
                     "The gradient through the branch F is missing: the skip passes dL/dy on "
                     "unchanged, the path through F passes grad_y @ jacobian, and the two add."),
                same_as(lambda grad_y, jacobian: grad_y)),
        Mistake(Text("행렬 곱 대신 원소별 곱을 했습니다. 출력의 모든 성분 y_i가 입력 x_j에 "
                     "기대므로 i에 대해 더해야 합니다: grad_y @ jacobian.",
                     "That is an elementwise product, not a matrix product: every output y_i "
                     "depends on x_j, so sum over i: grad_y @ jacobian."),
                same_as(lambda grad_y, jacobian: grad_y * (1 + np.diag(jacobian)),
                        lambda grad_y, jacobian: grad_y + grad_y * jacobian.sum(axis=0))),
    ),
    hint=Text("y = x + F(x)이므로 ∂y/∂x = I + ∂F/∂x입니다. "
              "dL/dx = dL/dy (I + J) = grad_y + grad_y @ jacobian.",
              "y = x + F(x), so ∂y/∂x = I + ∂F/∂x, and "
              "dL/dx = dL/dy (I + J) = grad_y + grad_y @ jacobian."),
)

EXERCISES = (SEPARABLE_MULT_ADDS, BOTTLENECK_PARAMS, RESIDUAL_INPUT_GRAD)
