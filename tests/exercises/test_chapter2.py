"""Chapter 2's exercises: the MSE gradient, cross-entropy on logits and its gradient."""

import numpy as np
from exercise_helpers import number, rejected


def test_mse_backward_accepts_a_correct_answer(verdict):
    assert verdict("ch2.mse_backward", lambda y_pred, y: 2 * (y_pred - y) / np.size(y_pred))[0]


def test_mse_backward_rejects_a_missing_division_by_n(verdict):
    rejected(verdict, "ch2.mse_backward", lambda y_pred, y: 2 * (y_pred - y),
             {"en": "N = y_pred.size", "ko": "원소 수 N으로 나눕니다"}, inputs=("y_pred", "y"))


def test_mse_backward_rejects_dividing_by_the_rows_only(verdict):
    rejected(verdict, "ch2.mse_backward", lambda y_pred, y: 2 * (y_pred - y) / len(y_pred),
             {"en": "len(y_pred) counts the rows only", "ko": "len(y_pred)는 행의 수"},
             inputs=("y_pred", "y"))


def test_mse_backward_rejects_a_flipped_sign(verdict):
    rejected(verdict, "ch2.mse_backward", lambda y_pred, y: 2 * (y - y_pred) / y_pred.size,
             {"en": "The sign is flipped", "ko": "부호가 반대입니다"}, inputs=("y_pred", "y"))


def cross_entropy(logits, labels):
    log_sum_exp = np.logaddexp.reduce(logits, axis=1)
    return np.mean(log_sum_exp - logits[np.arange(len(labels)), labels])


def test_cross_entropy_accepts_a_log_sum_exp_answer(verdict):
    assert verdict("ch2.cross_entropy", cross_entropy)[0] is True


def test_cross_entropy_rejects_the_log_of_naive_probabilities(verdict):
    def naive(logits, labels):
        p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
        return -np.mean(np.log(p[np.arange(len(labels)), labels]))

    found = rejected(verdict, "ch2.cross_entropy", naive,
                     {"en": "log-sum-exp trick", "ko": "로그-합-지수 기법"},
                     inputs=("logits", "labels"))
    assert found["Input"].startswith("logits = [[ 1000.     0. -1000.]]")
    assert (found["Expected"], found["Received"]) == ("1000.", "inf")


def test_cross_entropy_rejects_a_missing_minus_sign(verdict):
    found = rejected(verdict, "ch2.cross_entropy", lambda z, y: -cross_entropy(z, y),
                     {"en": "negative log-likelihood", "ko": "음의 로그 가능도"},
                     inputs=("logits", "labels"))
    assert number(found["Received"]) == -number(found["Expected"])


def test_cross_entropy_rejects_a_sum_over_the_batch(verdict):
    rejected(verdict, "ch2.cross_entropy", lambda z, y: len(y) * cross_entropy(z, y),
             {"en": "divide by the batch size N", "ko": "배치 크기 N으로 나누세요"},
             inputs=("logits", "labels"))


def cross_entropy_backward(logits, labels):
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(labels)), labels] -= 1  # p − y, with y one-hot
    return p / len(labels)


def test_cross_entropy_backward_accepts_p_minus_y_over_n(verdict):
    assert verdict("ch2.cross_entropy_backward", cross_entropy_backward)[0] is True


def test_cross_entropy_backward_rejects_a_missing_mean(verdict):
    rejected(verdict, "ch2.cross_entropy_backward",
             lambda z, y: len(y) * cross_entropy_backward(z, y),
             {"en": "(p − y)/N", "ko": "배치 크기 N으로 나눕니다"}, inputs=("logits", "labels"))


def test_cross_entropy_backward_rejects_y_minus_p(verdict):
    rejected(verdict, "ch2.cross_entropy_backward", lambda z, y: -cross_entropy_backward(z, y),
             {"en": "gradient descent raises it", "ko": "부호가 반대입니다"},
             inputs=("logits", "labels"))


def test_cross_entropy_backward_rejects_logits_in_place_of_probabilities(verdict):
    rejected(verdict, "ch2.cross_entropy_backward",
             lambda z, y: (z - np.eye(z.shape[1])[y]) / len(y),
             {"en": "not from the logits z", "ko": "소프트맥스 확률 p = softmax(z)에서"},
             inputs=("logits", "labels"))
