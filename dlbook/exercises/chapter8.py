"""Chapter 8: the output size of a convolution, a convolution (cross-correlation) by hand, the
parameters of a Conv2d, and 2 × 2 max pooling."""

import numpy as np

import dlbook.nn.functional as F
from dlbook.exercises.exercise import Case, Exercise, Mistake, Text, same_as
from dlbook.nn.functional.conv import conv_output_size as _padded_output_size


def _conv_output_size(size, kernel, padding, stride):
    """OH = ⌊(H + 2P − K) / S⌋ + 1, from dlbook's own formula for an already padded input."""
    return _padded_output_size(size + 2 * padding, kernel, stride)


def _output_size_case(rng):
    kernel, padding, stride = (int(rng.integers(1, 8)), int(rng.integers(0, 4)),
                               int(rng.integers(1, 5)))
    size = int(rng.integers(max(kernel - 2 * padding, 1), 65))  # the kernel fits the padded input
    return size, kernel, padding, stride


# two mistakes that agree on some inputs: padding on one side only, and the +1 left out
_one_side = same_as(lambda size, kernel, padding, stride:
                    (size + padding - kernel) // stride + 1)
_no_plus_one = same_as(lambda size, kernel, padding, stride:
                       (size + 2 * padding - kernel) // stride)

# conv_output_size(size, kernel, padding, stride) -> int
CONV_OUTPUT_SIZE = Exercise(
    id="ch8.conv_output_size",
    args=("size", "kernel", "padding", "stride"),
    reference=_conv_output_size,
    random_case=_output_size_case,
    edge_cases=(
        Case(Text("패딩 없이 3 × 3", "3 × 3 without padding"), (8, 3, 0, 1)),
        Case(Text("크기를 지키는 패딩", "padding that keeps the size"), (8, 3, 1, 1)),
        Case(Text("나누어떨어지지 않는 스트라이드", "a stride that does not divide evenly"),
             (8, 3, 0, 2)),
        Case(Text("ResNet의 첫 층", "ResNet's first layer"), (224, 7, 3, 2)),
        Case(Text("입력과 크기가 같은 커널", "a kernel as large as the input"), (5, 5, 0, 1)),
        Case(Text("1 × 1 커널", "a 1 × 1 kernel"), (7, 1, 0, 3)),
    ),
    mistakes=(
        Mistake(Text("나눗셈의 결과를 내림하지 않았습니다. 마지막 창이 입력 밖으로 나가면 그 창은 "
                     "버리므로 ⌊(H + 2P − K) / S⌋처럼 내림합니다. 파이썬에서는 // 를 쓰세요.",
                     "The quotient was not rounded down: a last window that would stick out of "
                     "the input is dropped, hence ⌊(H + 2P − K) / S⌋. In Python, use //."),
                same_as(lambda size, kernel, padding, stride:
                        (size + 2 * padding - kernel) / stride + 1,
                        lambda size, kernel, padding, stride:
                        round((size + 2 * padding - kernel) / stride) + 1,
                        lambda size, kernel, padding, stride:
                        -(-(size + 2 * padding - kernel) // stride) + 1)),
        Mistake(Text("패딩을 한쪽에만 더했거나(패딩은 양쪽에 붙으므로 2P를 더합니다) +1이 "
                     "빠졌습니다(첫 창은 위치 0에 놓입니다). 이 입력에서는 두 실수가 같은 값을 "
                     "냅니다.",
                     "Either the padding was added on one side only (it goes on both sides: add "
                     "2P), or the +1 is missing (the first window sits at position 0): on this "
                     "input the two mistakes give the same value."),
                lambda args, expected, received: (_one_side(args, expected, received)
                                                  and _no_plus_one(args, expected, received))),
        Mistake(Text("패딩은 양쪽에 붙습니다. 위와 아래(왼쪽과 오른쪽)에 P줄씩이므로 2P를 "
                     "더하세요.",
                     "Padding goes on both sides: P rows at the top and P at the bottom (P "
                     "columns left and right), so add 2P."),
                _one_side),
        Mistake(Text("+1이 빠졌습니다. 첫 창은 위치 0에 놓이고, 그 뒤로 S칸씩 몇 번 더 움직일 수 "
                     "있는지를 센 것이 ⌊(H + 2P − K) / S⌋입니다.",
                     "The +1 is missing: the first window sits at position 0, and "
                     "⌊(H + 2P − K) / S⌋ counts how many more steps of S it can take."),
                _no_plus_one),
        Mistake(Text("스트라이드로 나누지 않았습니다. 창이 S칸씩 건너뛰므로 (H + 2P − K)를 "
                     "S로 나눕니다.",
                     "The stride was left out: the window jumps S positions at a time, so "
                     "(H + 2P − K) is divided by S."),
                same_as(lambda size, kernel, padding, stride: size + 2 * padding - kernel + 1)),
    ),
    hint=Text("출력 크기는 OH = ⌊(H + 2P − K) / S⌋ + 1, 파이썬으로는 "
              "(size + 2 * padding - kernel) // stride + 1입니다.",
              "The output size is OH = ⌊(H + 2P − K) / S⌋ + 1; in Python, "
              "(size + 2 * padding - kernel) // stride + 1."),
)


def _correlate2d(x, w):
    """What Conv2d computes for one channel, one filter, no padding, stride 1 and no bias."""
    return F.conv2d(x[None, None], w[None, None])[0, 0]


def _true_convolution(x, w):
    return _correlate2d(x, w[::-1, ::-1])


def _correlate_case(rng):
    kh, kw = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    h, w = kh + int(rng.integers(0, 5)), kw + int(rng.integers(0, 5))
    return rng.normal(0, 1, (h, w)), rng.normal(0, 1, (kh, kw))


_x = np.array([[3.0, 0.0, 1.0, 2.0], [1.0, 5.0, 8.0, 9.0], [2.0, 7.0, 2.0, 5.0],
               [0.0, 1.0, 3.0, 1.0]])
_sobel = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])

# correlate2d(x (H, W), w (KH, KW)) -> y (H − KH + 1, W − KW + 1)
CORRELATE2D = Exercise(
    id="ch8.correlate2d",
    args=("x", "w"),
    reference=_correlate2d,
    random_case=_correlate_case,
    edge_cases=(
        Case(Text("8.2절의 4 × 4 이미지와 소벨 필터",
                  "section 8.2's 4 × 4 image and a Sobel filter"), (_x, _sobel)),
        Case(Text("직사각형 필터", "a rectangular filter"), (_x, np.array([[1.0, 2.0, 3.0],
                                                                        [0.0, -1.0, 0.5]]))),
        Case(Text("이미지와 크기가 같은 필터", "a filter as large as the image"),
             (_x[:3, :3], _sobel)),
        Case(Text("1 × 1 필터", "a 1 × 1 filter"), (_x, np.array([[2.0]]))),
        Case(Text("직사각형 이미지", "a rectangular image"), (_x[:3], _sobel[:2, :2])),
        Case(Text("float32", "float32"), (_x.astype(np.float32), _sobel.astype(np.float32))),
    ),
    mistakes=(
        Mistake(Text("필터를 위아래, 좌우로 뒤집었습니다. 수학의 합성곱은 그렇게 하지만, "
                     "딥러닝의 합성곱 층(Conv2d)은 뒤집지 않은 교차 상관을 계산합니다. "
                     "y[i, j] = Σ x[i + u, j + v] · w[u, v]입니다.",
                     "You flipped the filter upside down and left to right: the convolution of "
                     "mathematics does, but a deep-learning convolution layer (Conv2d) computes "
                     "the unflipped cross-correlation, y[i, j] = Σ x[i + u, j + v] · w[u, v]."),
                same_as(_true_convolution)),
        Mistake(Text("출력이 한 줄 작습니다. 필터가 놓일 수 있는 위치는 H − KH + 1개입니다. "
                     "range(H - KH + 1)로 도세요.",
                     "The output is one row short: a filter fits at H − KH + 1 positions. Loop "
                     "over range(H - KH + 1)."),
                same_as(lambda x, w: _correlate2d(x, w)[:-1, :-1],
                        lambda x, w: _correlate2d(x, w)[:-1],
                        lambda x, w: _correlate2d(x, w)[:, :-1])),
        Mistake(Text("곱한 값을 더하지 않고 평균을 냈습니다. 합성곱은 원소별 곱의 합입니다.",
                     "You averaged the products instead of adding them: a convolution is the sum "
                     "of the elementwise products."),
                same_as(lambda x, w: _correlate2d(x, w) / w.size)),
    ),
    hint=Text("OH, OW = H − KH + 1, W − KW + 1이고, 출력마다 "
              "y[i, j] = (x[i:i + KH, j:j + KW] * w).sum()입니다.",
              "OH, OW = H − KH + 1, W − KW + 1, and each output is "
              "y[i, j] = (x[i:i + KH, j:j + KW] * w).sum()."),
)


def _conv2d_parameters(in_channels, out_channels, kernel_size, bias):
    """C_out · C_in · K · K weights, plus C_out biases."""
    return out_channels * in_channels * kernel_size * kernel_size + (out_channels if bias else 0)


def _parameters_case(rng):
    return (int(rng.choice([1, 3, 8, 16, 32, 64])), int(rng.choice([4, 8, 16, 32, 64, 128])),
            int(rng.choice([1, 3, 5, 7])), bool(rng.integers(0, 2)))


# conv2d_parameters(in_channels, out_channels, kernel_size, bias) -> int
CONV2D_PARAMETERS = Exercise(
    id="ch8.conv2d_parameters",
    args=("in_channels", "out_channels", "kernel_size", "bias"),
    reference=_conv2d_parameters,
    random_case=_parameters_case,
    edge_cases=(
        Case(Text("RGB 이미지에 3 × 3 필터 64개", "64 filters of 3 × 3 on an RGB image"),
             (3, 64, 3, True)),
        Case(Text("편향 없음", "no bias"), (3, 64, 3, False)),
        Case(Text("1 × 1 합성곱", "a 1 × 1 convolution"), (256, 64, 1, True)),
        Case(Text("8.8절의 두 번째 합성곱 층", "section 8.8's second convolution layer"),
             (8, 16, 3, True)),
    ),
    mistakes=(
        Mistake(Text("편향을 빠뜨렸습니다. bias=True이면 출력 채널(필터)마다 편향이 하나씩, "
                     "C_out개 있습니다.",
                     "The biases are missing: with bias=True there is one per output channel "
                     "(per filter), C_out in all."),
                same_as(lambda in_channels, out_channels, kernel_size, bias:
                        out_channels * in_channels * kernel_size ** 2)),
        Mistake(Text("입력 채널 수를 곱하지 않았습니다. 필터 하나의 모양은 (C_in, K, K)로, "
                     "입력 채널마다 K × K 가중치를 따로 가집니다.",
                     "The input channels were not counted: one filter has shape (C_in, K, K), "
                     "a K × K slice of weights for every input channel."),
                same_as(lambda in_channels, out_channels, kernel_size, bias:
                        out_channels * kernel_size ** 2 + (out_channels if bias else 0),
                        lambda in_channels, out_channels, kernel_size, bias:
                        out_channels * kernel_size ** 2)),
        Mistake(Text("커널 크기를 제곱하지 않았습니다. K × K 필터에는 가중치가 K²개 있습니다.",
                     "The kernel size was not squared: a K × K filter holds K² weights."),
                same_as(lambda in_channels, out_channels, kernel_size, bias:
                        out_channels * in_channels * kernel_size + (out_channels if bias else 0))),
        Mistake(Text("편향은 필터마다 하나입니다. 입력 채널마다, 또는 가중치마다 있는 것이 "
                     "아닙니다.",
                     "There is one bias per filter, not one per input channel or per weight."),
                same_as(lambda in_channels, out_channels, kernel_size, bias:
                        out_channels * in_channels * (kernel_size ** 2 + (1 if bias else 0)),
                        lambda in_channels, out_channels, kernel_size, bias:
                        out_channels * in_channels * kernel_size ** 2 * (2 if bias else 1))),
    ),
    hint=Text("가중치 (C_out, C_in, K, K)의 원소 수 C_out · C_in · K²에, bias=True이면 편향 "
              "C_out개를 더합니다.",
              "The weight (C_out, C_in, K, K) has C_out · C_in · K² elements; with bias=True "
              "add the C_out biases."),
)


def _max_pool(x):
    """dlbook's max pooling, 2 × 2 windows and stride 2, on a single (H, W) map."""
    return F.max_pool2d(x[None], 2)[0]


def _pool_case(rng):
    h, w = 2 * int(rng.integers(1, 5)), 2 * int(rng.integers(1, 5))
    return (rng.normal(0, 1, (h, w)),)


def _blocks(x):
    """(H/2, W/2, 2, 2): the 2 × 2 windows of x, one per output position."""
    h, w = x.shape
    return x.reshape(h // 2, 2, w // 2, 2).transpose(0, 2, 1, 3)


_pool_x = np.array([[1.0, 3.0, 2.0, 0.0], [4.0, 2.0, 1.0, 5.0], [0.0, 1.0, 7.0, 2.0],
                    [3.0, 2.0, 4.0, 6.0]])

# max_pool2x2(x (H, W), H and W even) -> y (H / 2, W / 2)
MAX_POOL2X2 = Exercise(
    id="ch8.max_pool2x2",
    args=("x",),
    reference=_max_pool,
    random_case=_pool_case,
    edge_cases=(
        Case(Text("8.6절의 4 × 4 예", "section 8.6's 4 × 4 example"), (_pool_x,)),
        Case(Text("음수뿐인 입력", "only negative values"), (-_pool_x - 1,)),
        Case(Text("창 하나", "a single window"), (np.array([[1.0, -2.0], [0.5, 0.0]]),)),
        Case(Text("직사각형 입력", "a rectangular input"), (_pool_x[:2],)),
        Case(Text("float32", "float32"), (_pool_x.astype(np.float32),)),
    ),
    mistakes=(
        Mistake(Text("평균을 냈습니다. 최대 풀링은 창마다 가장 큰 값을 고릅니다.",
                     "You took the mean: max pooling picks the largest value of each window."),
                same_as(lambda x: _blocks(x).mean(axis=(2, 3)))),
        Mistake(Text("창이 한 칸씩 움직였습니다(스트라이드 1). 2 × 2 최대 풀링의 스트라이드는 "
                     "2라서, 창이 겹치지 않고 출력은 (H/2, W/2)입니다.",
                     "The window moved one position at a time (stride 1): 2 × 2 max pooling has "
                     "stride 2, so its windows do not overlap and the output is (H/2, W/2)."),
                same_as(lambda x: F.max_pool2d(x[None], 2, stride=1)[0])),
        Mistake(Text("가로와 세로가 바뀐 창에서 최댓값을 골랐습니다. 출력 (i, j)의 창은 "
                     "x[2i:2i + 2, 2j:2j + 2]입니다.",
                     "The windows were taken with rows and columns mixed up: the window of "
                     "output (i, j) is x[2i:2i + 2, 2j:2j + 2]."),
                same_as(lambda x: x.reshape(x.shape[0] // 2, x.shape[1] // 2, 4).max(axis=2))),
    ),
    hint=Text("출력 (i, j)는 x[2i:2i + 2, 2j:2j + 2].max()입니다. "
              "x.reshape(H // 2, 2, W // 2, 2).max(axis=(1, 3))로 한 번에 계산할 수도 있습니다.",
              "Output (i, j) is x[2i:2i + 2, 2j:2j + 2].max(); "
              "x.reshape(H // 2, 2, W // 2, 2).max(axis=(1, 3)) does all of them at once."),
)

EXERCISES = (CONV_OUTPUT_SIZE, CORRELATE2D, CONV2D_PARAMETERS, MAX_POOL2X2)
