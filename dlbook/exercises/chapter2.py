"""Chapter 2: the MSE gradient, and cross-entropy on logits with its gradient p − y."""

import numpy as np

import dlbook.nn.functional as F
from dlbook.exercises.exercise import Case, Exercise, Mistake, Text, same_as


def _mse_case(rng):
    shape = rng.integers(1, 5, size=rng.integers(1, 3))
    shape[0] += 1  # at least two samples
    y = rng.normal(size=shape)
    return y + rng.normal(0, 0.5, shape), y


# mse_backward(y_pred, y): both (*) -> dL/dŷ (*) of L = mean of (ŷ − y)²
MSE_BACKWARD = Exercise(
    id="ch2.mse_backward",
    args=("y_pred", "y"),
    reference=lambda y_pred, y: F.mse_loss_backward(1.0, y_pred, y),  # dL/dŷ for L itself
    random_case=_mse_case,
    edge_cases=(
        Case(Text("원소 하나", "a single element"), (np.array([2.0]), np.array([3.0]))),
        Case(Text("예측이 모두 맞음", "perfect predictions"), (np.ones((2, 2)), np.ones((2, 2)))),
        Case(Text("2×3 행렬", "a 2×3 matrix"),
             (np.array([[2.5, 5.0, 4.0], [8.0, 0.0, 1.0]]), np.array([[3.0, 5.0, 2.5],
                                                                    [7.0, 1.0, 1.0]]))),
        Case(Text("float32", "float32"),
             (np.array([0.5, 1.5, -2.0], np.float32), np.array([1.0, 1.0, 1.0], np.float32))),
    ),
    mistakes=(
        Mistake(Text("손실이 평균이므로 기울기도 원소 수 N으로 나눕니다: 2(ŷ − y)/N. N은 "
                     "y_pred.size, 곧 모든 원소의 수입니다.",
                     "The loss is a mean, so its gradient is divided by the number of elements: "
                     "2(ŷ − y)/N, with N = y_pred.size, every element."),
                same_as(lambda y_pred, y: 2 * (y_pred - y))),
        Mistake(Text("len(y_pred)는 행의 수입니다. MSELoss는 모든 원소에 대해 평균을 내므로 "
                     "y_pred.size로 나눕니다.",
                     "len(y_pred) counts the rows only: MSELoss averages over every element, so "
                     "divide by y_pred.size."),
                same_as(lambda y_pred, y: 2 * (y_pred - y) / len(y_pred))),
        Mistake(Text("(ŷ − y)²를 미분하면 2(ŷ − y)입니다. 2를 빠뜨렸습니다.",
                     "The derivative of (ŷ − y)² is 2(ŷ − y): the 2 is missing."),
                same_as(lambda y_pred, y: (y_pred - y) / y_pred.size)),
        Mistake(Text("부호가 반대입니다. ŷ로 미분하면 2(ŷ − y)/N이므로, 예측이 정답보다 크면 "
                     "기울기가 양수입니다.",
                     "The sign is flipped: differentiating by ŷ gives 2(ŷ − y)/N, positive where "
                     "the prediction is above the target."),
                same_as(lambda y_pred, y: 2 * (y - y_pred) / y_pred.size)),
    ),
    hint=Text("L = (1/N) Σ (ŷᵢ − yᵢ)²이므로 ∂L/∂ŷᵢ = 2(ŷᵢ − yᵢ)/N입니다. y_pred와 같은 모양으로 "
              "돌려주세요.",
              "L = (1/N) Σ (ŷᵢ − yᵢ)², so ∂L/∂ŷᵢ = 2(ŷᵢ − yᵢ)/N; return it in y_pred's shape."),
)


def _classification_case(rng):
    n, classes = rng.integers(1, 8), rng.integers(2, 6)
    return rng.normal(0, 2, (n, classes)), rng.integers(0, classes, n)


def _picked(values, labels):
    """values[i, labels[i]] for every sample i: the entries of the correct classes."""
    return values[np.arange(len(labels)), labels]


def _naive_softmax(z):
    return np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)


def _onehot(z, labels):
    return np.eye(z.shape[-1])[labels]


_CLASSIFICATION_EDGES = (
    Case(Text("2.4절의 예", "the example of section 2.4"),
         (np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]]), np.array([0, 2]))),
    Case(Text("큰 로짓", "large logits"), (np.array([[1000.0, 0.0, -1000.0]]), np.array([1]))),
    Case(Text("float32 로짓", "float32 logits"),
         (np.array([[100.0, 0.0, -100.0], [0.0, 50.0, 0.0]], np.float32), np.array([2, 1]))),
    Case(Text("샘플 하나", "a single example"), (np.array([[0.3, -1.2, 2.0, 0.0]]), np.array([3]))),
    Case(Text("클래스 하나", "a single class"), (np.array([[2.0], [-1.0]]), np.array([0, 0]))),
)

# cross_entropy(logits, labels): logits (N, C), labels (N,) integers -> the mean loss
CROSS_ENTROPY = Exercise(
    id="ch2.cross_entropy",
    args=("logits", "labels"),
    reference=F.cross_entropy,
    random_case=_classification_case,
    edge_cases=_CLASSIFICATION_EDGES,
    mistakes=(
        Mistake(Text("확률을 exp(z) / Σ exp(z)로 구하면 큰 로짓에서 exp가 넘쳐(오버플로) 손실이 "
                     "inf나 nan이 됩니다. 로그-합-지수 기법을 쓰세요: "
                     "log pₖ = (zₖ − m) − log Σⱼ exp(zⱼ − m), m = maxⱼ zⱼ.",
                     "Computing the probabilities as exp(z) / Σ exp(z) overflows at large logits, "
                     "and the loss comes out inf or nan: use the log-sum-exp trick, "
                     "log pₖ = (zₖ − m) − log Σⱼ exp(zⱼ − m) with m = maxⱼ zⱼ."),
                same_as(lambda z, labels: -np.mean(np.log(_picked(_naive_softmax(z), labels))))),
        Mistake(Text("소프트맥스는 안정적으로 구했지만, 아주 작은 확률이 0으로 반올림되어 log "
                     "0 = −inf가 됩니다. 확률의 log를 취하지 말고 log p = z − m − log Σ "
                     "exp(z − m)을 바로 계산하세요.",
                     "The softmax is stable, but a tiny probability rounds to 0 and log 0 = −inf: "
                     "do not take the log of probabilities, compute log p = z − m − "
                     "log Σ exp(z − m) directly."),
                same_as(lambda z, labels: -np.mean(np.log(_picked(F.softmax(z, dim=-1), labels))))),
        Mistake(Text("샘플의 손실을 더하기만 했습니다. CrossEntropyLoss의 기본값은 "
                     "평균(reduction=\"mean\")이므로 배치 크기 N으로 나누세요.",
                     "You summed the samples' losses: CrossEntropyLoss averages by default "
                     "(reduction=\"mean\"), so divide by the batch size N."),
                same_as(lambda z, labels: -np.sum(_picked(F.log_softmax(z, dim=-1), labels)))),
        Mistake(Text("손실은 음의 로그 가능도 −log p입니다. 마이너스 부호를 빠뜨리면 손실이 음수가 "
                     "됩니다.",
                     "The loss is the negative log-likelihood, −log p: without the minus sign it "
                     "comes out negative."),
                same_as(lambda z, labels: -F.cross_entropy(z, labels))),
    ),
    hint=Text("샘플마다 정답 클래스의 로그 확률 log p_y를 골라 부호를 바꾸고 평균을 냅니다. log "
              "p = z − m − log Σ exp(z − m)(m은 행의 최댓값)으로 구하면 큰 로짓에서도 안전합니다.",
              "For each sample, take the log-probability of its correct class, log p_y, flip its "
              "sign and average; log p = z − m − log Σ exp(z − m), with m the row's maximum, "
              "stays finite for large logits."),
)

# cross_entropy_backward(logits, labels): (N, C), (N,) -> dL/dlogits (N, C)
CROSS_ENTROPY_BACKWARD = Exercise(
    id="ch2.cross_entropy_backward",
    args=("logits", "labels"),
    reference=lambda logits, labels: F.cross_entropy_backward(1.0, logits, labels),
    random_case=_classification_case,
    edge_cases=_CLASSIFICATION_EDGES,
    mistakes=(
        Mistake(Text("손실이 배치의 평균이므로 기울기도 배치 크기 N으로 나눕니다: (p − y)/N.",
                     "The loss is the batch mean, so the gradient is divided by the batch size N "
                     "too: (p − y)/N."),
                same_as(lambda z, labels: F.softmax(z, dim=-1) - _onehot(z, labels))),
        Mistake(Text("부호가 반대입니다. 로짓에 대한 기울기는 p − y입니다. 정답 클래스의 로짓은 "
                     "p − 1 < 0을 받아 경사하강법에서 올라갑니다.",
                     "The sign is flipped: the gradient with respect to the logits is p − y, so "
                     "the correct class's logit gets p − 1 < 0 and gradient descent raises it."),
                same_as(lambda z, labels: (_onehot(z, labels) - F.softmax(z, dim=-1)) / len(z))),
        Mistake(Text("로짓 z가 아니라 소프트맥스 확률 p = softmax(z)에서 원-핫 정답을 뺍니다.",
                     "Subtract the one-hot target from the softmax probabilities p = softmax(z), "
                     "not from the logits z."),
                same_as(lambda z, labels: (z - _onehot(z, labels)) / len(z))),
        Mistake(Text("exp(z)가 넘쳐서(오버플로) nan이 됩니다. 소프트맥스를 구하기 전에 행마다 "
                     "최댓값을 빼세요: z − z.max(axis=-1, keepdims=True).",
                     "exp(z) overflows to nan: subtract each row's maximum before the softmax, "
                     "z − z.max(axis=-1, keepdims=True)."),
                same_as(lambda z, labels: (_naive_softmax(z) - _onehot(z, labels)) / len(z))),
    ),
    hint=Text("∂L/∂z = (softmax(z) − onehot(y)) / N입니다. 원-핫 정답은 np.eye(C)[labels]로 만들 "
              "수 있습니다.",
              "∂L/∂z = (softmax(z) − onehot(y)) / N; np.eye(C)[labels] makes the one-hot "
              "targets."),
)

EXERCISES = (MSE_BACKWARD, CROSS_ENTROPY, CROSS_ENTROPY_BACKWARD)
