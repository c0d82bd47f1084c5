"""Chapter 3's exercises: one gradient-descent step for linear regression, standardization."""

import numpy as np
from exercise_helpers import rejected


def gradient_step(X, y, w, b, lr):
    r = X @ w + b - y
    n = len(X)
    return w - lr * 2 / n * X.T @ r, b - lr * 2 / n * r.sum()


def test_gradient_step_accepts_a_correct_answer(verdict):
    assert verdict("ch3.gradient_step", gradient_step)[0] is True


def test_gradient_step_rejects_a_step_uphill(verdict):
    rejected(verdict, "ch3.gradient_step", lambda X, y, w, b, lr: gradient_step(X, y, w, b, -lr),
             {"en": "gradient descent goes against it", "ko": "기울기의 반대 방향으로"},
             inputs=("X", "y", "w", "b", "lr"))


def test_gradient_step_rejects_a_sum_in_place_of_a_mean(verdict):
    rejected(verdict, "ch3.gradient_step",
             lambda X, y, w, b, lr: gradient_step(X, y, w, b, lr * len(X)),
             {"en": "divided by N", "ko": "N으로 나눕니다"}, inputs=("X", "y", "w", "b", "lr"))


def test_gradient_step_rejects_a_bias_left_behind_and_names_it(verdict):
    found = rejected(verdict, "ch3.gradient_step",
                     lambda X, y, w, b, lr: (gradient_step(X, y, w, b, lr)[0], b),
                     {"en": "The bias moves too", "ko": "편향 b도"}, inputs=("X", "y", "w", "b"))
    assert found["First difference"] == "b"


def test_gradient_step_rejects_a_transposed_weight_gradient(verdict):
    def row_gradient(X, y, w, b, lr):
        r = X @ w + b - y
        return w - lr * 2 / len(X) * (r.T @ X), b - lr * 2 / len(X) * r.sum()

    found = rejected(verdict, "ch3.gradient_step", row_gradient,
                     {"en": "w keeping its shape (d, 1)", "ko": "w의 모양 (d, 1)은 그대로"},
                     inputs=("X", "y", "w"))
    assert found["First difference"] == "w"


def standardize(X_train, X):
    mu = X_train.mean(axis=0)
    sigma = np.sqrt(((X_train - mu) ** 2).mean(axis=0))
    return (X - mu) / sigma


def test_standardize_accepts_a_correct_answer(verdict):
    assert verdict("ch3.standardize", standardize)[0] is True


def test_standardize_rejects_statistics_of_the_data_being_scaled(verdict):
    rejected(verdict, "ch3.standardize", lambda X_train, X: standardize(X, X),
             {"en": "data leakage", "ko": "데이터 누수"}, inputs=("X_train", "X"))


def test_standardize_rejects_an_unbiased_standard_deviation(verdict):
    rejected(verdict, "ch3.standardize",
             lambda X_train, X: (X - X_train.mean(0)) / X_train.std(0, ddof=1),
             {"en": "(ddof=1)", "ko": "(ddof=1)"}, inputs=("X_train", "X"))


def test_standardize_rejects_min_max_normalization(verdict):
    def min_max(X_train, X):
        low, high = X_train.min(axis=0), X_train.max(axis=0)
        return (X - low) / (high - low)

    rejected(verdict, "ch3.standardize", min_max,
             {"en": "That is min–max normalization", "ko": "최소-최대 정규화"},
             inputs=("X_train", "X"))
