"""Chapter 7: inverted dropout, standardization fitted on the training split, batch
normalization in training mode."""

import numpy as np

import dlbook.nn as nn
from dlbook.exercises.exercise import Case, Exercise, Mistake, Text, same_as


def _dropout_forward(x, mask, p):
    """Inverted dropout with a given keep-mask: y = x · mask / (1 − p)."""
    return x * mask / (1 - p)


def _dropout_case(rng):
    shape = tuple(rng.integers(1, 6, size=rng.integers(1, 3)))
    p = float(rng.choice([0.1, 0.2, 0.25, 0.5, 0.8]))
    return rng.normal(0, 1, shape), (rng.random(shape) >= p).astype(float), p


_x = np.array([[1.0, -2.0, 3.0, 0.5]])

# dropout_forward(x, mask, p): x (*), mask (*) of 0/1 (1 = kept), 0 ≤ p < 1 -> y (*)
DROPOUT_FORWARD = Exercise(
    id="ch7.dropout_forward",
    args=("x", "mask", "p"),
    reference=_dropout_forward,
    random_case=_dropout_case,
    edge_cases=(
        Case(Text("p = 0.5에서 절반을 남김", "half kept at p = 0.5"),
             (_x, np.array([[1.0, 0.0, 1.0, 0.0]]), 0.5)),
        Case(Text("드롭아웃 없음(p = 0)", "no dropout (p = 0)"), (_x, np.ones((1, 4)), 0.0)),
        Case(Text("p = 0.2에서 모두 남김", "everything kept at p = 0.2"),
             (_x, np.ones((1, 4)), 0.2)),
        Case(Text("모두 버림", "everything dropped"), (_x, np.zeros((1, 4)), 0.5)),
        Case(Text("float32", "float32"),
             (_x.astype(np.float32), np.array([[1, 1, 0, 1]], np.float32), 0.25)),
    ),
    mistakes=(
        Mistake(Text("남긴 값을 1/(1 − p)로 키우지 않았습니다. 그러면 출력의 기댓값이 (1 − p)x로 "
                     "줄어, 크기를 바꾸지 않는 평가 모드와 어긋납니다.",
                     "The kept values were not scaled up by 1/(1 − p): the output's expectation "
                     "shrinks to (1 − p)x and no longer matches evaluation mode, which does not "
                     "rescale."),
                same_as(lambda x, mask, p: x * mask)),
        Mistake(Text("p는 버릴 확률입니다. 남긴 값은 남길 확률 1 − p로 나누어야 기댓값이 x로 "
                     "유지됩니다.",
                     "p is the probability of dropping: divide the kept values by the probability "
                     "of keeping, 1 − p, so that the expectation stays x."),
                same_as(lambda x, mask, p: x * mask / p, lambda x, mask, p: x * mask * p)),
        Mistake(Text("(1 − p)를 곱했습니다. 역 드롭아웃은 학습 때 1 − p로 나눕니다. (1 − p)를 "
                     "곱하는 것은 평가 때 크기를 줄이는 옛 방식입니다.",
                     "You multiplied by (1 − p): inverted dropout divides by 1 − p during "
                     "training; multiplying by (1 − p) is the old way of shrinking at evaluation "
                     "time."),
                same_as(lambda x, mask, p: x * mask * (1 - p), lambda x, mask, p: x * (1 - p))),
        Mistake(Text("마스크를 쓰지 않았습니다. 마스크가 0인 원소는 0이 되어야 합니다.",
                     "The mask was not applied: elements where the mask is 0 must become 0."),
                same_as(lambda x, mask, p: x / (1 - p), lambda x, mask, p: x)),
        Mistake(Text("마스크를 뒤집었습니다. mask의 1은 '남김', 0은 '버림'입니다.",
                     "The mask was inverted: a 1 in mask means kept, a 0 dropped."),
                same_as(lambda x, mask, p: x * (1 - mask) / (1 - p))),
    ),
    hint=Text("y = x · mask / (1 − p): 마스크로 버린 뒤, 남긴 값을 남길 확률 1 − p로 나눕니다.",
              "y = x · mask / (1 − p): drop with the mask, then divide what is kept by the "
              "probability of keeping, 1 − p."),
)


def _standardize(X_train, X_test):
    """Both arrays standardized with the training split's mean and population std."""
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    return (X_train - mean) / std, (X_test - mean) / std


def _standardize_case(rng):
    n_train, n_test, d = int(rng.integers(4, 30)), int(rng.integers(1, 10)), int(rng.integers(1, 5))
    scale, shift = rng.uniform(0.5, 20, d), rng.uniform(-50, 50, d)
    return (rng.normal(0, 1, (n_train, d)) * scale + shift,
            rng.normal(0.5, 1.5, (n_test, d)) * scale + shift)


def _with_test_stats(X_train, X_test):
    return (_standardize(X_train, X_train)[0],
            (X_test - X_test.mean(axis=0)) / X_test.std(axis=0))


def _with_combined_stats(X_train, X_test):
    both = np.concatenate([X_train, X_test])
    mean, std = both.mean(axis=0), both.std(axis=0)
    return (X_train - mean) / std, (X_test - mean) / std


def _with_ddof_1(X_train, X_test):
    mean, std = X_train.mean(axis=0), X_train.std(axis=0, ddof=1)
    return (X_train - mean) / std, (X_test - mean) / std


_train = np.array([[1.0, 10.0], [2.0, 20.0], [3.0, 30.0], [6.0, 60.0]])

# standardize_with_train_stats(X_train (N, D), X_test (M, D)) -> (X_train_std, X_test_std)
STANDARDIZE_WITH_TRAIN_STATS = Exercise(
    id="ch7.standardize_with_train_stats",
    args=("X_train", "X_test"),
    reference=_standardize,
    random_case=_standardize_case,
    outputs=("X_train_std", "X_test_std"),
    edge_cases=(
        Case(Text("작은 예", "a small example"), (_train, np.array([[4.0, 40.0], [0.0, 0.0]]))),
        Case(Text("테스트 샘플 하나", "a single test sample"), (_train, np.array([[3.0, 30.0]]))),
        Case(Text("훈련 데이터와 다른 테스트 데이터", "test data unlike the training data"),
             (_train, np.array([[100.0, -5.0], [101.0, -6.0], [99.0, -4.0]]))),
        Case(Text("특성 하나", "a single feature"),
             (np.array([[0.0], [4.0]]), np.array([[2.0], [8.0]]))),
    ),
    mistakes=(
        Mistake(Text("테스트 데이터를 자기 평균과 표준편차로 표준화했습니다. 테스트 데이터는 새로 "
                     "들어올 데이터를 흉내 내므로, 통계는 훈련 데이터에서만 구해 그대로 써야 "
                     "합니다(데이터 누수). 샘플이 하나뿐인 테스트 데이터는 표준편차가 0이 되기도 "
                     "합니다.",
                     "The test data were standardized with their own mean and standard "
                     "deviation. Test data stand in for data yet to come, so the statistics must "
                     "come from the training data alone and be reused as they are (data "
                     "leakage); a test set of one sample would even have a standard deviation "
                     "of 0."),
                same_as(_with_test_stats)),
        Mistake(Text("훈련 데이터와 테스트 데이터를 합친 통계를 썼습니다. 테스트 데이터의 정보가 "
                     "전처리에 새어 들어갑니다(데이터 누수). 평균과 표준편차는 X_train에서만 "
                     "구하세요.",
                     "You used the statistics of training and test data combined, which leaks "
                     "information about the test data into the preprocessing (data leakage). "
                     "Take the mean and standard deviation of X_train alone."),
                same_as(_with_combined_stats)),
        Mistake(Text("ddof=1(표본 표준편차)을 썼습니다. 표준화에는 N으로 나누는 모집단 표준편차, "
                     "곧 NumPy의 기본값 X_train.std(axis=0)을 씁니다.",
                     "You used ddof=1 (the sample standard deviation): standardization divides "
                     "by the population standard deviation, which divides by N, NumPy's default "
                     "X_train.std(axis=0)."),
                same_as(_with_ddof_1)),
        Mistake(Text("평균과 표준편차를 특성(열)마다가 아니라 배열 전체에서 구했습니다. "
                     "axis=0을 주세요.",
                     "The mean and standard deviation were taken over the whole array rather "
                     "than per feature (column): pass axis=0."),
                same_as(lambda X_train, X_test: ((X_train - X_train.mean()) / X_train.std(),
                                                 (X_test - X_train.mean()) / X_train.std()))),
        Mistake(Text("평균만 뺐습니다. 표준편차로도 나누어야 합니다.",
                     "Only the mean was subtracted: divide by the standard deviation too."),
                same_as(lambda X_train, X_test: (X_train - X_train.mean(axis=0),
                                                 X_test - X_train.mean(axis=0)))),
    ),
    hint=Text("mean = X_train.mean(axis=0), std = X_train.std(axis=0)을 구한 다음 두 배열 모두 "
              "(X − mean) / std로 바꿉니다.",
              "Compute mean = X_train.mean(axis=0) and std = X_train.std(axis=0), then turn "
              "both arrays into (X − mean) / std."),
)


def _batchnorm_forward(x, gamma, beta, eps):
    """dlbook's BatchNorm1d in training mode, on a layer of its own."""
    layer = nn.BatchNorm1d(x.shape[1], eps=eps, dtype=x.dtype)
    layer.weight.data[...] = gamma
    layer.bias.data[...] = beta
    return layer(x)


def _batchnorm_case(rng):
    n, c = int(rng.integers(2, 9)), int(rng.integers(1, 5))
    return (rng.normal(rng.uniform(-3, 3, c), rng.uniform(0.5, 4, c), (n, c)),
            rng.uniform(0.5, 2, c), rng.normal(0, 1, c), float(rng.choice([1e-5, 0.1, 1.0])))


def _normalized(x, gamma, beta, eps, axis=0, ddof=0, inside=True):
    mean, var = x.mean(axis=axis, keepdims=True), x.var(axis=axis, ddof=ddof, keepdims=True)
    scale = np.sqrt(var + eps) if inside else np.sqrt(var) + eps
    return gamma * (x - mean) / scale + beta


_xb = np.array([[1.0, 10.0], [2.0, 0.0], [3.0, 20.0]])

# batchnorm_forward(x (N, C), gamma (C,), beta (C,), eps) -> y (N, C), training mode
BATCHNORM_FORWARD = Exercise(
    id="ch7.batchnorm_forward",
    args=("x", "gamma", "beta", "eps"),
    reference=_batchnorm_forward,
    random_case=_batchnorm_case,
    edge_cases=(
        Case(Text("작은 예와 큰 eps", "a small example with a large eps"),
             (_xb, np.ones(2), np.zeros(2), 1.0)),
        Case(Text("γ와 β가 있는 예", "with γ and β"),
             (_xb, np.array([2.0, 0.5]), np.array([1.0, -1.0]), 1e-5)),
        Case(Text("샘플 두 개", "two samples"), (np.array([[0.0], [4.0]]), np.ones(1),
                                                  np.zeros(1), 0.1)),
        Case(Text("값이 모두 같은 특성", "a feature whose values are all equal"),
             (np.array([[5.0, 1.0], [5.0, 2.0], [5.0, 4.0]]), np.ones(2), np.zeros(2), 1e-5)),
    ),
    mistakes=(
        Mistake(Text("불편 분산(ddof=1)을 썼습니다. 학습 모드의 배치 정규화는 배치의 N으로 나누는 "
                     "편향 분산으로 정규화합니다. 불편 분산은 이동 분산을 갱신할 때만 씁니다.",
                     "You used the unbiased variance (ddof=1): in training mode batch "
                     "normalization divides by the batch's N, the biased variance. The unbiased "
                     "one only goes into the running variance."),
                same_as(lambda x, gamma, beta, eps: _normalized(x, gamma, beta, eps, ddof=1))),
        Mistake(Text("eps를 제곱근 밖에서 더했습니다. √(σ² + ε)로 나누어야 합니다.",
                     "eps was added outside the square root: divide by √(σ² + ε)."),
                same_as(lambda x, gamma, beta, eps: _normalized(x, gamma, beta, eps,
                                                                inside=False))),
        Mistake(Text("샘플(행)마다 정규화했습니다. 배치 정규화는 특성(열)마다, 배치 축 axis=0을 "
                     "따라 평균과 분산을 구합니다.",
                     "You normalized each sample (row): batch normalization takes the mean and "
                     "variance of each feature (column), along the batch axis, axis=0."),
                same_as(lambda x, gamma, beta, eps: _normalized(x, gamma, beta, eps, axis=1))),
        Mistake(Text("γ와 β를 적용하지 않았습니다. 정규화한 값에 γ를 곱하고 β를 더하세요.",
                     "γ and β were not applied: multiply the normalized values by γ, then add β."),
                same_as(lambda x, gamma, beta, eps: _normalized(x, 1.0, 0.0, eps))),
        Mistake(Text("표준편차 대신 분산으로 나누었습니다. √(σ² + ε)로 나누세요.",
                     "You divided by the variance instead of the standard deviation: divide by "
                     "√(σ² + ε)."),
                same_as(lambda x, gamma, beta, eps: gamma * (x - x.mean(axis=0))
                        / (x.var(axis=0) + eps) + beta)),
    ),
    hint=Text("특성마다 μ = x.mean(axis=0), σ² = x.var(axis=0)을 구하고 "
              "y = γ (x − μ) / √(σ² + ε) + β를 계산합니다.",
              "Per feature, μ = x.mean(axis=0) and σ² = x.var(axis=0); then "
              "y = γ (x − μ) / √(σ² + ε) + β."),
)

EXERCISES = (DROPOUT_FORWARD, STANDARDIZE_WITH_TRAIN_STATS, BATCHNORM_FORWARD)
