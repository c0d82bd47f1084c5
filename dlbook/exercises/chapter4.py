"""Chapter 4: the backward passes of the sigmoid and of a linear layer."""

import numpy as np

import dlbook
import dlbook.nn as nn
import dlbook.nn.functional as F
from dlbook.exercises.exercise import Case, Exercise, Mistake, Text, same_as


def _sigmoid_case(rng):
    shape = rng.integers(1, 5, size=rng.integers(1, 3))
    return rng.normal(0, 1, shape), F.sigmoid(rng.normal(0, 3, shape))


_y = np.array([0.1, 0.5, 0.9])

# sigmoid_backward(grad_out, y): both (*), y = σ(x) -> dL/dx (*)
SIGMOID_BACKWARD = Exercise(
    id="ch4.sigmoid_backward",
    args=("grad_out", "y"),
    reference=F.sigmoid_backward,
    random_case=_sigmoid_case,
    edge_cases=(
        Case(Text("0인 상위 기울기", "a zero upstream gradient"), (np.zeros(3), _y)),
        Case(Text("포화된 출력 0과 1", "saturated outputs 0 and 1"),
             (np.ones(3), np.array([0.0, 1.0, 0.5]))),
        Case(Text("큰 상위 기울기", "large upstream gradients"), (np.full(3, 1e6), _y)),
        Case(Text("원소 하나", "a single element"), (np.array([2.0]), np.array([0.25]))),
        Case(Text("float32", "float32"),
             (np.array([[1.0, -2.0]], np.float32), np.array([[0.3, 0.8]], np.float32))),
        Case(Text("빈 배치", "an empty batch"), (np.zeros((0, 3)), np.zeros((0, 3)))),
    ),
    mistakes=(
        Mistake(Text("y는 이미 σ(x)입니다. 시그모이드를 한 번 더 씌우면 σ(σ(x))에서의 미분값이 "
                     "됩니다. y(1 − y)를 그대로 쓰세요.",
                     "y is already σ(x): applying the sigmoid again gives the derivative at "
                     "σ(σ(x)). Use y(1 − y) as it is."),
                same_as(lambda grad_out, y: grad_out * F.sigmoid(y) * (1 - F.sigmoid(y)))),
        Mistake(Text("연쇄 법칙에 따라 국소 기울기 y(1 − y)에 상위 기울기 grad_out을 곱해야 "
                     "합니다.",
                     "The chain rule: multiply the local gradient y(1 − y) by the upstream "
                     "gradient grad_out."),
                same_as(lambda grad_out, y: y * (1 - y))),
        Mistake(Text("1 − y²은 tanh의 도함수입니다. 시그모이드의 도함수는 y(1 − y)입니다.",
                     "1 − y² is the derivative of tanh; the sigmoid's is y(1 − y)."),
                same_as(lambda grad_out, y: grad_out * (1 - y ** 2))),
    ),
    hint=Text("dσ/dx = σ(x)(1 − σ(x)) = y(1 − y)이므로 dL/dx = grad_out · y · (1 − y)입니다.",
              "dσ/dx = σ(x)(1 − σ(x)) = y(1 − y), so dL/dx = grad_out · y · (1 − y)."),
)


def _linear_backward(grad_out, x, weight):
    """dL/dx, dL/dW and dL/db of y = x Wᵀ + b, from dlbook's nn.Linear."""
    out_features, in_features = weight.shape
    # a generator of its own, so that checking an answer never moves dlbook's default one
    layer = nn.Linear(in_features, out_features, dtype=weight.dtype,
                      generator=np.random.default_rng(0))
    layer.weight.data[...] = weight
    with dlbook.enable_grad():  # check() may be called under dlbook.no_grad()
        layer(x)
        grad_x = layer.backward(grad_out)
    return grad_x, layer.weight.grad, layer.bias.grad


def _linear_case(rng):
    n, n_in = rng.integers(1, 6), rng.integers(2, 5)
    n_out = n_in + rng.integers(1, 3)  # never square, so that a transposed W shows
    grad_out, x = rng.normal(0, 1, (n, n_out)), rng.normal(0, 1, (n, n_in))
    return grad_out, x, rng.normal(0, 1, (n_out, n_in))


_W = np.array([[0.3, 0.25], [0.4, 0.35], [-0.5, 0.1]])  # 2 inputs, 3 outputs

# linear_backward(grad_out, x, weight): (N, out), (N, in), (out, in) -> (dx, dW, db)
LINEAR_BACKWARD = Exercise(
    id="ch4.linear_backward",
    args=("grad_out", "x", "weight"),
    outputs=("dx", "dW", "db"),
    reference=_linear_backward,
    random_case=_linear_case,
    edge_cases=(
        Case(Text("샘플 하나", "a batch of one"),
             (np.array([[0.2, -0.1, 0.5]]), np.array([[0.1, 0.2]]), _W)),
        Case(Text("0인 상위 기울기", "a zero upstream gradient"),
             (np.zeros((2, 3)), np.ones((2, 2)), _W)),
        Case(Text("float32", "float32"),
             (np.ones((2, 3), np.float32), np.array([[1.0, 2.0], [3.0, 4.0]], np.float32),
              _W.astype(np.float32))),
        Case(Text("빈 배치", "an empty batch"), (np.zeros((0, 3)), np.zeros((0, 2)), _W)),
    ),
    mistakes=(
        Mistake(Text("weight의 모양이 (출력, 입력)이므로 dW = gᵀx도 (출력, 입력)입니다. xᵀg는 "
                     "전치된 (입력, 출력)입니다.",
                     "weight is (out, in), so dW = gᵀx is (out, in) too; xᵀg is its transpose, "
                     "(in, out)."),
                same_as(lambda g, x, W: (g @ W, x.T @ g, g.sum(axis=0)))),
        Mistake(Text("편향의 기울기는 배치에 대한 합 g.sum(axis=0)입니다. 평균을 내면 배치 크기 "
                     "N만큼 작아집니다.",
                     "The bias gradient is the sum over the batch, g.sum(axis=0); the mean is N "
                     "times too small."),
                same_as(lambda g, x, W: (g @ W, g.T @ x, g.mean(axis=0)))),
        Mistake(Text("g.sum()은 모든 원소를 더해 숫자 하나가 됩니다. 출력마다 하나씩 나오도록 배치 "
                     "축을 따라 더하세요: g.sum(axis=0).",
                     "g.sum() adds every element into one number: sum along the batch axis, "
                     "g.sum(axis=0), to get one per output."),
                same_as(lambda g, x, W: (g @ W, g.T @ x, g.sum()))),
    ),
    hint=Text("y = xWᵀ + b이므로 연쇄 법칙에서 dx = gW, dW = gᵀx, db = g.sum(axis=0)입니다. 각 "
              "기울기는 미분하는 대상(x, W, b)과 모양이 같습니다.",
              "For y = xWᵀ + b the chain rule gives dx = gW, dW = gᵀx and db = g.sum(axis=0); "
              "each gradient has the shape of what it is the gradient of."),
)

EXERCISES = (SIGMOID_BACKWARD, LINEAR_BACKWARD)
