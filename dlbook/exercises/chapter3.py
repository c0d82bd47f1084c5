"""Chapter 3: one step of gradient descent for linear regression, and standardization."""

import numpy as np

import dlbook.nn.functional as F
from dlbook.exercises.exercise import Case, Exercise, Mistake, Text, same_as


def _gradient_step(X, y, w, b, lr):
    """One step on the MSE of ŷ = X w + b, its gradient taken from dlbook's MSELoss."""
    g = F.mse_loss_backward(1.0, X @ w + b, y)  # ∂L/∂ŷ = 2r/N
    return w - lr * X.T @ g, b - lr * g.sum()  # chain rule: ∂ŷ/∂w = X, ∂ŷ/∂b = 1


def _step_case(rng):
    n, d = rng.integers(2, 20), rng.integers(1, 4)
    X = rng.normal(0, 2, (n, d))
    y = X @ rng.normal(0, 1, (d, 1)) + rng.normal() + rng.normal(0, 0.3, (n, 1))
    return X, y, rng.normal(0, 1, (d, 1)), float(rng.normal()), float(rng.choice([0.01, 0.1]))


_X3 = np.array([[1.0], [2.0], [3.0]])  # exercise 3.1: three points on y = 2x + 1

# gradient_step(X, y, w, b, lr): X (N, d), y (N, 1), w (d, 1), b a number -> (w, b)
GRADIENT_STEP = Exercise(
    id="ch3.gradient_step",
    args=("X", "y", "w", "b", "lr"),
    outputs=("w", "b"),
    reference=_gradient_step,
    random_case=_step_case,
    edge_cases=(
        Case(Text("연습문제 1의 세 점", "the three points of exercise 1"),
             (_X3, 2 * _X3 + 1, np.zeros((1, 1)), 0.0, 0.1)),
        Case(Text("이미 최솟값", "already at the minimum"),
             (_X3, 2 * _X3 + 1, np.array([[2.0]]), 1.0, 0.1)),
        Case(Text("샘플 하나", "a single example"),
             (np.array([[1.0, -2.0]]), np.array([[0.5]]), np.array([[0.3], [0.1]]), 0.2, 0.1)),
        Case(Text("float32", "float32"),
             (_X3.astype(np.float32), (2 * _X3 + 1).astype(np.float32),
              np.array([[0.5]], np.float32), 0.0, 0.01)),
    ),
    mistakes=(
        Mistake(Text("기울기 방향으로 올라갔습니다. 경사하강법은 기울기의 반대 방향으로 갑니다: "
                     "w − η ∂L/∂w, b − η ∂L/∂b.",
                     "You stepped up the gradient: gradient descent goes against it, "
                     "w − η ∂L/∂w and b − η ∂L/∂b."),
                same_as(lambda X, y, w, b, lr: _gradient_step(X, y, w, b, -lr))),
        Mistake(Text("∂L/∂w = (2/N) Xᵀr에서 2를 빠뜨렸습니다. 제곱을 미분하면 2가 나옵니다.",
                     "The 2 of ∂L/∂w = (2/N) Xᵀr is missing: differentiating the square brings "
                     "it down."),
                same_as(lambda X, y, w, b, lr: _gradient_step(X, y, w, b, lr / 2))),
        Mistake(Text("MSE는 평균이므로 기울기도 N으로 나눕니다: (2/N) Xᵀr와 (2/N) Σ r.",
                     "The MSE is a mean, so its gradients are divided by N: (2/N) Xᵀr and "
                     "(2/N) Σ r."),
                same_as(lambda X, y, w, b, lr: _gradient_step(X, y, w, b, lr * len(X)))),
        Mistake(Text("편향 b도 b − η ∂L/∂b로 움직입니다. ∂L/∂b = (2/N) Σᵢ rᵢ입니다.",
                     "The bias moves too, b − η ∂L/∂b, with ∂L/∂b = (2/N) Σᵢ rᵢ."),
                same_as(lambda X, y, w, b, lr: (_gradient_step(X, y, w, b, lr)[0], b))),
    ),
    hint=Text("r = Xw + b − y, ∂L/∂w = (2/N) Xᵀr, ∂L/∂b = (2/N) Σ r를 구한 다음 "
              "(w − η ∂L/∂w, b − η ∂L/∂b)를 돌려줍니다. w의 모양 (d, 1)은 그대로입니다.",
              "With r = Xw + b − y, ∂L/∂w = (2/N) Xᵀr and ∂L/∂b = (2/N) Σ r; return "
              "(w − η ∂L/∂w, b − η ∂L/∂b), w keeping its shape (d, 1)."),
)


def _standardize_case(rng):
    n, d = rng.integers(3, 20), rng.integers(2, 5)
    centre, spread = rng.uniform(-10, 10, d), rng.uniform(0.1, 10, d)
    X_train = rng.normal(centre, spread, (n, d))
    return X_train, rng.normal(centre, spread, (rng.integers(2, 10), d))


_train = np.array([[1.0, 200.0], [2.0, 400.0], [4.0, 100.0], [5.0, 300.0]])

# standardize(X_train, X): X_train (N, d), X (M, d) -> X scaled by X_train's μ, σ (M, d)
STANDARDIZE = Exercise(
    id="ch3.standardize",
    args=("X_train", "X"),
    reference=lambda X_train, X: (X - X_train.mean(axis=0)) / X_train.std(axis=0),
    random_case=_standardize_case,
    edge_cases=(
        Case(Text("훈련 데이터 자신", "the training data themselves"), (_train, _train)),
        Case(Text("새 샘플 하나", "one new sample"), (_train, np.array([[3.0, 250.0]]))),
        Case(Text("크기가 아주 다른 특성", "features of very different sizes"),
             (_train * [1e-3, 1e4], np.array([[0.0, 0.0], [1e-3, 1e6]]))),
        Case(Text("float32", "float32"),
             (_train.astype(np.float32), np.array([[0.0, 0.0]], np.float32))),
    ),
    mistakes=(
        Mistake(Text("X 자신의 평균과 표준편차를 썼습니다(데이터 누수). 검증 데이터와 새 입력에도 "
                     "훈련 데이터에서 구한 μ와 σ를 그대로 씁니다.",
                     "You used X's own mean and standard deviation (data leakage): validation data "
                     "and new inputs are scaled with the μ and σ of the training data."),
                same_as(lambda X_train, X: (X - X.mean(axis=0)) / X.std(axis=0))),
        Mistake(Text("표준편차를 n − 1로 나누어 구했습니다(ddof=1). 표준화는 np.std의 "
                     "기본값(ddof=0)이나 scikit-learn의 StandardScaler처럼 n으로 나눕니다.",
                     "Your standard deviation divides by n − 1 (ddof=1); standardization divides "
                     "by n, as np.std does by default (ddof=0) and scikit-learn's StandardScaler "
                     "does."),
                same_as(lambda X_train, X: (X - X_train.mean(axis=0)) / X_train.std(axis=0,
                                                                                       ddof=1))),
        Mistake(Text("배열 전체의 평균과 표준편차를 썼습니다. 특성(열)마다 따로 구하세요: axis=0.",
                     "You used the mean and standard deviation of the whole array: compute them "
                     "for each feature (column), axis=0."),
                same_as(lambda X_train, X: (X - X_train.mean()) / X_train.std())),
        Mistake(Text("그것은 최소-최대 정규화입니다. 표준화는 평균을 빼고 표준편차로 나눕니다: "
                     "(X − μ)/σ.",
                     "That is min–max normalization; standardization subtracts the mean and "
                     "divides by the standard deviation: (X − μ)/σ."),
                same_as(lambda X_train, X: (X - X_train.min(axis=0))
                        / (X_train.max(axis=0) - X_train.min(axis=0)))),
        Mistake(Text("평균만 뺐습니다. 표준편차 σ로도 나누어야 특성들의 크기가 같아집니다.",
                     "You only subtracted the mean: divide by the standard deviation σ as well, "
                     "so that the features end up the same size."),
                same_as(lambda X_train, X: X - X_train.mean(axis=0))),
    ),
    hint=Text("훈련 데이터의 열마다 μ = X_train.mean(axis=0), σ = X_train.std(axis=0)를 구해 "
              "(X − μ)/σ를 돌려줍니다.",
              "Take each column's μ = X_train.mean(axis=0) and σ = X_train.std(axis=0) from the "
              "training data, and return (X − μ)/σ."),
)

EXERCISES = (GRADIENT_STEP, STANDARDIZE)
