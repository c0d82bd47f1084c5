"""Chapter 0: the mean squared error, and the bias–variance decomposition."""

import numpy as np

import dlbook.nn.functional as F
from dlbook.exercises.exercise import Case, Exercise, Mistake, Text, same_as


def _mse_case(rng):
    y = rng.normal(size=rng.integers(2, 30))
    return y + rng.normal(0, 0.5, y.size), y


# the learner writes mse(y_pred, y): y_pred (n,), y (n,) -> mean of (ŷ − y)², a number
MSE = Exercise(
    id="ch0.mse",
    args=("y_pred", "y"),
    reference=F.mse_loss,
    random_case=_mse_case,
    edge_cases=(
        Case(Text("예측이 모두 맞음", "perfect predictions"),
             (np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 3.0]))),
        Case(Text("샘플 하나", "a single example"), (np.array([2.5]), np.array([3.0]))),
        Case(Text("큰 값", "large values"),
             (np.array([1e6, -1e6, 3e6]), np.array([0.0, 1e6, 3e6]))),
        Case(Text("float32", "float32"),
             (np.array([0.5, 1.5, -2.0], np.float32), np.array([1.0, 1.0, 1.0], np.float32))),
    ),
    mistakes=(
        Mistake(Text("제곱 오차를 더하기만 했습니다. 평균을 내려면 샘플 수 n으로 나누어야 "
                     "합니다(np.mean).",
                     "You summed the squared errors: divide by the number of samples n for the "
                     "mean (np.mean)."),
                same_as(lambda y_pred, y: np.sum((y_pred - y) ** 2))),
        Mistake(Text("절댓값의 평균은 평균 절대 오차(MAE)입니다. MSE는 오차를 제곱해서 평균을 "
                     "냅니다.",
                     "The mean of the absolute errors is the mean absolute error (MAE); the MSE "
                     "squares the errors before averaging."),
                same_as(lambda y_pred, y: np.mean(np.abs(y_pred - y)))),
        Mistake(Text("오차를 제곱하지 않으면 양의 오차와 음의 오차가 서로 지워집니다. (ŷ − y)²의 "
                     "평균을 구하세요.",
                     "Without squaring, positive and negative errors cancel out: average "
                     "(ŷ − y)²."),
                same_as(lambda y_pred, y: np.mean(y_pred - y))),
        Mistake(Text("제곱근을 씌우면 RMSE가 됩니다. MSE에는 제곱근이 없습니다.",
                     "The square root makes it the RMSE; the MSE has no square root."),
                same_as(lambda y_pred, y: np.sqrt(np.mean((y_pred - y) ** 2)))),
    ),
    hint=Text("MSE = (1/n) Σ (ŷᵢ − yᵢ)²: 차이를 제곱한 다음 평균을 냅니다.",
              "MSE = (1/n) Σ (ŷᵢ − yᵢ)²: square the differences, then average them."),
)


def _bias_variance_case(rng):
    truth = np.sin(2 * np.pi * np.linspace(0, 1, rng.integers(2, 15)))
    n_sets = rng.integers(2, 12)
    preds = truth + rng.normal(0, 0.3) + rng.normal(0, 0.5, (n_sets, truth.size))
    return preds, truth


_truth = np.array([0.0, 1.0, 0.0, -1.0])

# bias_variance(preds, truth): preds (sets, points), truth (points,) -> (bias², variance)
BIAS_VARIANCE = Exercise(
    id="ch0.bias_variance",
    args=("preds", "truth"),
    outputs=("bias2", "variance"),
    # as in section 0.5: the average model f̄ is the mean over the training sets (axis 0)
    reference=lambda preds, truth: (np.mean((preds.mean(axis=0) - truth) ** 2),
                                    np.mean(preds.var(axis=0))),
    random_case=_bias_variance_case,
    edge_cases=(
        Case(Text("훈련 데이터 한 벌", "one training set"), (np.array([_truth + 0.5]), _truth)),
        Case(Text("모두 같은 예측", "identical predictions"),
             (np.tile(_truth + 0.5, (4, 1)), _truth)),
        Case(Text("편향 없는 평균 모델", "an unbiased average model"),
             (np.array([_truth + 0.2, _truth - 0.2]), _truth)),
        Case(Text("점 하나", "a single point"), (np.array([[1.0], [2.0], [4.0]]), np.array([2.0]))),
    ),
    mistakes=(
        Mistake(Text("분산을 n − 1로 나누었습니다(ddof=1). 이 장의 분산은 훈련 데이터 벌 수로 "
                     "나눕니다: preds.var(axis=0).",
                     "You divided by n − 1 (ddof=1); the chapter's variance divides by the number "
                     "of training sets: preds.var(axis=0)."),
                same_as(lambda preds, truth: (np.mean((preds.mean(axis=0) - truth) ** 2),
                                              np.mean(preds.var(axis=0, ddof=1))))),
        Mistake(Text("편향을 제곱하지 않고 평균을 냈습니다. 양과 음의 편향이 서로 지워지지 않도록 "
                     "점마다 제곱한 다음 평균을 내세요.",
                     "You averaged the bias without squaring it: square it at each point, then "
                     "average, so that positive and negative biases do not cancel."),
                same_as(lambda preds, truth: (np.mean(preds.mean(axis=0) - truth),
                                              np.mean(preds.var(axis=0))))),
        Mistake(Text("참 함수 f(x) 주위의 퍼짐을 재면 분산이 아니라 기대 제곱 오차(편향² + 분산)가 "
                     "됩니다. 분산은 평균 모델 f̄(x) 주위의 퍼짐입니다.",
                     "The spread around the truth f(x) is the expected squared error (bias² + "
                     "variance), not the variance: measure the spread around the average model "
                     "f̄(x)."),
                same_as(lambda preds, truth: (np.mean((preds.mean(axis=0) - truth) ** 2),
                                              np.mean((preds - truth) ** 2)))),
        Mistake(Text("preds의 한 행이 훈련 데이터 한 벌입니다. 분산은 같은 점에서 "
                     "훈련 데이터 벌들 사이의 퍼짐이므로 axis=0을 따라 구합니다.",
                     "Each row of preds is one training set: the variance is the spread across "
                     "the training sets at the same point, along axis=0."),
                same_as(lambda preds, truth: (np.mean((preds.mean(axis=0) - truth) ** 2),
                                              np.mean(preds.var(axis=1))))),
    ),
    hint=Text("평균 모델 f̄는 훈련 데이터 벌들에 대한 평균(axis=0)입니다. 편향²은 점마다 (f̄ − f)²의 "
              "평균, 분산은 점마다 f̄ 주위로 예측이 퍼진 정도(분산)의 평균입니다.",
              "The average model f̄ is the mean over the training sets (axis=0). Bias² averages "
              "(f̄ − f)² over the points; the variance averages, over the points, how widely "
              "the predictions spread around f̄."),
)

# exercise 2.2: the expected squared error for bias² 0.04, variance 0.05, σ² 0.09
EXPECTED_ERROR = Exercise(
    id="ch0.expected_error",
    args=(),
    reference=lambda: 0.04 + 0.05 + 0.09,  # bias² + variance + σ²
    mistakes=(
        Mistake(Text("0.09는 잡음 σ²만의 값이거나, 잡음을 뺀 편향² + 분산입니다. 기대 제곱 오차는 "
                     "세 항을 모두 더합니다.",
                     "0.09 is the noise σ² alone, or bias² + variance without the noise: the "
                     "expected squared error adds all three terms."),
                same_as(0.09)),
        Mistake(Text("한 항이 빠졌습니다. 편향², 분산, 잡음 σ²을 모두 더하세요.",
                     "A term is missing: add bias², variance and the noise σ²."),
                same_as(0.04 + 0.09, 0.05 + 0.09)),
    ),
    hint=Text("점 x에서의 기대 제곱 오차 = 편향² + 분산 + σ²입니다. 잡음의 분산은 약 0.09입니다.",
              "The expected squared error at x is bias² + variance + σ², and the noise variance "
              "is about 0.09."),
)

EXERCISES = (MSE, BIAS_VARIANCE, EXPECTED_ERROR)
