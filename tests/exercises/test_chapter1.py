"""Chapter 1's exercises: the perceptron learning rule, ReLU's derivative, softmax."""

import numpy as np
from exercise_helpers import rejected


def perceptron_update(w, b, x, t, lr):
    y = 1 if np.dot(w, x) + b > 0 else 0
    error = t - y
    return w + lr * error * x, b + lr * error


def test_perceptron_update_accepts_a_correct_answer(verdict):
    assert verdict("ch1.perceptron_update", perceptron_update)[0] is True


def test_perceptron_update_rejects_a_step_that_fires_at_zero(verdict):
    def fires_at_zero(w, b, x, t, lr):
        y = 1 if np.dot(w, x) + b >= 0 else 0
        return w + lr * (t - y) * x, b + lr * (t - y)

    found = rejected(verdict, "ch1.perceptron_update", fires_at_zero,
                     {"en": "1 only for a > 0", "ko": "a > 0일 때만 1"},
                     inputs=("w", "b", "x", "t", "lr"))
    assert found["Input"].startswith("w = [0.5 0.5]")  # the edge case whose weighted sum is 0
    assert found["Expected"] == "w = [0.6 0.6]\nb = -0.9"
    assert found["Received"] == "w = [0.5 0.5]\nb = -1."


def test_perceptron_update_rejects_a_flipped_correction(verdict):
    rejected(verdict, "ch1.perceptron_update",
             lambda w, b, x, t, lr: perceptron_update(w, b, x, t, -lr),
             {"en": "goes the wrong way", "ko": "고치는 방향이 반대"}, inputs=("w", "b", "x"))


def test_perceptron_update_rejects_a_bias_that_never_moves(verdict):
    rejected(verdict, "ch1.perceptron_update",
             lambda w, b, x, t, lr: (perceptron_update(w, b, x, t, lr)[0], b),
             {"en": "The bias b changes too", "ko": "편향 b도"}, inputs=("w", "b", "x"))


def test_relu_derivative_accepts_a_correct_answer(verdict):
    assert verdict("ch1.relu_derivative", lambda x: np.where(x > 0, 1.0, 0.0))[0] is True


def test_relu_derivative_rejects_a_slope_of_one_at_zero(verdict):
    found = rejected(verdict, "ch1.relu_derivative", lambda x: (x >= 0).astype(float),
                     {"en": "use 0 there", "ko": "도함수를 0으로 씁니다"}, inputs=("x",))
    assert found["Input"] == "x = [0.]   (shape (1,), float64)"
    assert (found["Expected"], found["Received"]) == ("[0.]", "[1.]")


def test_relu_derivative_rejects_relu_itself(verdict):
    rejected(verdict, "ch1.relu_derivative", lambda x: np.maximum(x, 0),
             {"en": "That is ReLU itself", "ko": "ReLU 자체"}, inputs=("x",))


def test_relu_derivative_rejects_a_transposed_result(verdict):
    found = rejected(verdict, "ch1.relu_derivative", lambda x: (x > 0).T * 1.0,
                     {"en": "transposed (.T)", "ko": "전치하지(.T)"}, inputs=("x",))
    assert "The shape is (3, 4), the reverse of the answer's (4, 3)" in found["Hint"]


def softmax(z):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def test_softmax_accepts_a_stable_answer(verdict):
    assert verdict("ch1.softmax", softmax)[0] is True


def test_softmax_rejects_the_formula_as_written_which_overflows(verdict):
    naive = rejected(verdict, "ch1.softmax", lambda z: np.exp(z) / np.exp(z).sum(-1, keepdims=True),
                     {"en": "subtract each row's largest logit", "ko": "가장 큰 값을 빼세요"},
                     inputs=("z",))
    assert naive["Received"] == "[[nan nan  0.]]"


def test_softmax_rejects_subtracting_the_maximum_of_the_whole_array(verdict):
    def global_max(z):
        e = np.exp(z - z.max())
        return e / e.sum(axis=-1, keepdims=True)

    found = rejected(verdict, "ch1.softmax", global_max,
                     {"en": "Subtract each row's own maximum", "ko": "그 행의 최댓값을 빼세요"},
                     inputs=("z",))
    assert found["Input"].startswith("z = [[1000.  999.]")
    assert found["Received"] == "[[0.7311 0.2689]\n [   nan    nan]]"


def test_softmax_rejects_sums_without_keepdims(verdict):
    def without_keepdims(z):
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1)

    rejected(verdict, "ch1.softmax", without_keepdims,
             {"en": "Without keepdims=True", "ko": "keepdims=True가 없어서"}, inputs=("z",))
