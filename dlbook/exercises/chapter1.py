"""Chapter 1: the perceptron learning rule, ReLU's derivative, and a stable softmax."""

import numpy as np

import dlbook.nn.functional as F
from dlbook.exercises.exercise import Case, Exercise, Mistake, Text, same_as


def _perceptron_update(w, b, x, t, lr):
    """Rosenblatt's rule for one example (section 1.2.3); dlbook has no perceptron class."""
    y = int(w @ x + b > 0)  # the step function h(a)
    return w + lr * (t - y) * x, b + lr * (t - y)


def _perceptron_case(rng):
    d = rng.integers(2, 5)
    return (rng.normal(0, 1, d), rng.normal(0, 0.5), rng.integers(0, 2, d).astype(float),
            int(rng.integers(0, 2)), float(rng.choice([0.1, 0.5, 1.0])))


_and = np.array([0.5, 0.5])  # the AND gate of section 1.2.2 without its bias
_one_one = np.array([1.0, 1.0])

# perceptron_update(w, b, x, t, lr): w (d,), x (d,), b a number, t 0 or 1 -> (w, b)
PERCEPTRON_UPDATE = Exercise(
    id="ch1.perceptron_update",
    args=("w", "b", "x", "t", "lr"),
    outputs=("w", "b"),
    reference=_perceptron_update,
    random_case=_perceptron_case,
    edge_cases=(
        Case(Text("맞힌 샘플: 그대로", "a right answer: nothing changes"),
             (_and, -0.7, _one_one, 1, 0.1)),
        Case(Text("가중합이 정확히 0", "a weighted sum of exactly 0"),
             (_and, -1.0, _one_one, 1, 0.1)),
        Case(Text("0이어야 하는데 1을 출력", "output 1 where the target is 0"),
             (_and, -0.2, np.array([1.0, 0.0]), 0, 0.1)),
        Case(Text("1이어야 하는데 0을 출력", "output 0 where the target is 1"),
             (_and, -0.7, np.array([0.0, 1.0]), 1, 0.5)),
    ),
    mistakes=(
        Mistake(Text("계단 함수는 a > 0일 때만 1입니다. 가중합이 정확히 0이면 출력은 0입니다.",
                     "The step function is 1 only for a > 0: a weighted sum of exactly 0 gives "
                     "the output 0."),
                same_as(lambda w, b, x, t, lr: (w + lr * (t - int(w @ x + b >= 0)) * x,
                                                b + lr * (t - int(w @ x + b >= 0))))),
        Mistake(Text("고치는 방향이 반대입니다. 오차는 t − y입니다. 1이어야 하는데 0을 "
                     "출력했다면(t − y = +1) 가중합이 커지도록 w에 ηx를 더합니다.",
                     "The correction goes the wrong way: the error is t − y, so when the output "
                     "should have been 1 but was 0 (t − y = +1), add ηx to w to raise the "
                     "weighted sum."),
                same_as(lambda w, b, x, t, lr: _perceptron_update(w, b, x, t, -lr))),
        Mistake(Text("편향 b도 η(t − y)만큼 바꿉니다. b는 언제나 1인 입력에 곱하는 가중치라고 "
                     "생각하면 됩니다.",
                     "The bias b changes too, by η(t − y): think of it as the weight of an input "
                     "that is always 1."),
                same_as(lambda w, b, x, t, lr: (_perceptron_update(w, b, x, t, lr)[0], b))),
        Mistake(Text("오차에는 가중합 a가 아니라 계단 함수를 지난 출력 y = h(a)를 씁니다. y는 0 "
                     "아니면 1입니다.",
                     "The error uses the output y = h(a), 0 or 1, not the weighted sum a."),
                same_as(lambda w, b, x, t, lr: (w + lr * (t - (w @ x + b)) * x,
                                                b + lr * (t - (w @ x + b))))),
        Mistake(Text("학습률 η를 곱하지 않았습니다. 한 번에 고치는 크기는 η(t − y)입니다.",
                     "The learning rate η is missing: each correction is η(t − y)."),
                same_as(lambda w, b, x, t, lr: _perceptron_update(w, b, x, t, 1.0))),
    ),
    hint=Text("y = h(w·x + b)를 구한 다음 w ← w + η(t − y)x, b ← b + η(t − y)로 고칩니다. 맞힌 "
              "샘플(t = y)에서는 아무것도 바뀌지 않습니다.",
              "Compute y = h(w·x + b), then w ← w + η(t − y)x and b ← b + η(t − y); a right "
              "answer (t = y) changes nothing."),
)


def _relu_case(rng):
    shape = rng.integers(1, 6, size=rng.integers(1, 3))
    return (rng.normal(0, 2, shape),)


# relu_derivative(x): x (*) -> dReLU/dx (*), 1 where x > 0 and 0 elsewhere
RELU_DERIVATIVE = Exercise(
    id="ch1.relu_derivative",
    args=("x",),
    # backward with grad_out = 1 returns the derivative itself, as in section 1.5
    reference=lambda x: F.relu_backward(np.ones_like(x), x),
    random_case=_relu_case,
    edge_cases=(
        Case(Text("0", "zero"), (np.array([0.0]),)),
        Case(Text("0이 섞인 부호", "mixed signs with a zero"), (np.array([-2.0, 0.0, 3.0]),)),
        Case(Text("float32", "float32"), (np.array([[-1.5, 0.5], [0.0, 2.0]], np.float32),)),
        Case(Text("빈 배치", "an empty batch"), (np.zeros((0, 3)),)),
    ),
    mistakes=(
        Mistake(Text("x = 0에서는 미분할 수 없어서, PyTorch와 dlbook은 그곳의 도함수를 0으로 "
                     "씁니다. x > 0일 때만 1입니다.",
                     "ReLU has no derivative at x = 0; PyTorch and dlbook use 0 there, so the "
                     "derivative is 1 only for x > 0."),
                same_as(lambda x: (x >= 0).astype(x.dtype))),
        Mistake(Text("그것은 ReLU 자체, 곧 max(0, x)입니다. 도함수는 양수 쪽에서 1, 나머지에서 "
                     "0입니다.",
                     "That is ReLU itself, max(0, x); its derivative is 1 on the positive side and "
                     "0 elsewhere."),
                same_as(lambda x: np.maximum(x, 0))),
        Mistake(Text("음수 쪽의 기울기는 −1이 아니라 0입니다. ReLU는 음수를 모두 0으로 만드니까요.",
                     "The slope on the negative side is 0, not −1: ReLU flattens every negative "
                     "input to 0."),
                same_as(np.sign)),
    ),
    hint=Text("ReLU(x) = max(0, x)의 기울기는 x > 0에서 1, x ≤ 0에서 0입니다. x와 같은 모양의 "
              "배열을 돌려주세요.",
              "The slope of ReLU(x) = max(0, x) is 1 for x > 0 and 0 for x ≤ 0; return an array "
              "of x's shape."),
)


def _softmax_case(rng):
    shape = rng.integers(1, 6, size=rng.integers(1, 3))
    shape[-1] += 1  # at least two classes
    return (rng.normal(0, 3, shape),)


def _naive_softmax(z):
    return np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)


def _stable_exp(z):
    return np.exp(z - z.max(axis=-1, keepdims=True))


# softmax(z): z (*, C) -> probabilities (*, C) along the last axis, finite for any z
SOFTMAX = Exercise(
    id="ch1.softmax",
    args=("z",),
    reference=lambda z: F.softmax(z, dim=-1),
    random_case=_softmax_case,
    edge_cases=(
        Case(Text("큰 로짓", "large logits"), (np.array([[1000.0, 999.0, 0.0]]),)),
        Case(Text("float32 로짓 100", "float32 logits of 100"),
             (np.array([[100.0, 90.0, 0.0]], np.float32),)),
        Case(Text("크기가 아주 다른 행", "rows of very different sizes"),
             (np.array([[1000.0, 999.0], [1.0, 2.0]]),)),
        Case(Text("같은 로짓", "equal logits"), (np.zeros((2, 4)),)),
        Case(Text("클래스 하나", "a single class"), (np.array([[3.0], [-2.0]]),)),
        Case(Text("빈 배치", "an empty batch"), (np.zeros((0, 4)),)),
    ),
    mistakes=(
        Mistake(Text("exp(z)가 넘쳐서(오버플로) inf / inf = nan이 됩니다. 먼저 행마다 가장 큰 값을 "
                     "빼세요: z − z.max(axis=-1, keepdims=True). 결과는 바뀌지 않습니다.",
                     "exp(z) overflows and inf / inf gives nan: subtract each row's largest logit "
                     "first, z − z.max(axis=-1, keepdims=True); the result does not change."),
                same_as(_naive_softmax)),
        Mistake(Text("배열 전체의 최댓값을 뺐습니다. 그러면 다른 행보다 훨씬 작은 행은 exp가 모두 "
                     "0이 되어 0/0 = nan입니다. 행마다 그 행의 최댓값을 "
                     "빼세요(axis=-1, keepdims=True).",
                     "You subtracted the largest logit of the whole array: in a row far below the "
                     "others every exp becomes 0, and 0/0 = nan. Subtract each row's own maximum "
                     "(axis=-1, keepdims=True)."),
                same_as(lambda z: _naive_softmax(z - z.max()))),
        Mistake(Text("배열 전체의 합으로 나누었습니다. 소프트맥스는 샘플(행)마다 따로 정규화하므로 "
                     "axis=-1을 따라 keepdims=True로 더합니다.",
                     "You divided by the sum of the whole array: softmax normalises each sample "
                     "(row) on its own, so sum along axis=-1 with keepdims=True."),
                same_as(lambda z: np.exp(z - z.max()) / np.exp(z - z.max()).sum())),
        Mistake(Text("합에 keepdims=True가 없어서 (N,) 모양의 합이 행이 아닌 열을 따라 "
                     "퍼졌습니다(브로드캐스팅). sum(axis=-1, keepdims=True)로 (N, 1) 모양을 "
                     "지키세요.",
                     "Without keepdims=True the sums, of shape (N,), broadcast along the columns "
                     "instead of the rows: keep them (N, 1) with sum(axis=-1, keepdims=True)."),
                same_as(lambda z: _stable_exp(z) / _stable_exp(z).sum(axis=-1),
                        lambda z: np.exp(z - z.max(axis=-1)) / np.exp(z - z.max(axis=-1)).sum(-1))),
        Mistake(Text("열을 따라(axis=0) 정규화했습니다. 각 행이 샘플 하나의 점수이므로 axis=-1을 "
                     "따라 더합니다.",
                     "You normalised along the columns (axis=0): each row holds the scores of "
                     "one sample, so sum along axis=-1."),
                same_as(lambda z: F.softmax(z, dim=0))),
    ),
    hint=Text("softmax(z)ₖ = exp(zₖ) / Σⱼ exp(zⱼ)를 마지막 축을 따라(행마다) 계산합니다. 큰 "
              "로짓에서도 nan이 나오지 않도록 행의 최댓값을 먼저 빼세요.",
              "Compute softmax(z)ₖ = exp(zₖ) / Σⱼ exp(zⱼ) along the last axis (row by row), "
              "subtracting each row's maximum first so that large logits give no nan."),
)

EXERCISES = (PERCEPTRON_UPDATE, RELU_DERIVATIVE, SOFTMAX)
