"""Chapter 7's exercises: inverted dropout, standardization with the training statistics,
batch normalization in training mode."""

import numpy as np
from exercise_helpers import rejected


def dropout_forward(x, mask, p):
    return np.where(mask == 1, x / (1 - p), 0.0)


def test_dropout_forward_accepts_a_correct_answer(verdict):
    assert verdict("ch7.dropout_forward", dropout_forward)[0] is True


def test_dropout_forward_rejects_no_scaling(verdict):
    rejected(verdict, "ch7.dropout_forward", lambda x, mask, p: x * mask,
             {"en": "not scaled up by 1/(1 − p)", "ko": "1/(1 − p)로 키우지 않았습니다"},
             inputs=("x", "mask", "p"))


def test_dropout_forward_rejects_scaling_by_p(verdict):
    rejected(verdict, "ch7.dropout_forward", lambda x, mask, p: x * mask / p,
             {"en": "p is the probability of dropping", "ko": "p는 버릴 확률입니다"},
             inputs=("x", "mask", "p"))


def test_dropout_forward_rejects_the_evaluation_time_scaling(verdict):
    rejected(verdict, "ch7.dropout_forward", lambda x, mask, p: x * mask * (1 - p),
             {"en": "You multiplied by (1 − p)", "ko": "(1 − p)를 곱했습니다"},
             inputs=("x", "mask", "p"))


def test_dropout_forward_rejects_ignoring_the_mask(verdict):
    rejected(verdict, "ch7.dropout_forward", lambda x, mask, p: x / (1 - p),
             {"en": "The mask was not applied", "ko": "마스크를 쓰지 않았습니다"},
             inputs=("x", "mask", "p"))


def standardize_with_train_stats(X_train, X_test):
    mean, std = X_train.mean(axis=0), np.sqrt(((X_train - X_train.mean(axis=0)) ** 2).mean(axis=0))
    return (X_train - mean) / std, (X_test - mean) / std


def test_standardize_accepts_a_correct_answer(verdict):
    assert verdict("ch7.standardize_with_train_stats", standardize_with_train_stats)[0] is True


def test_standardize_rejects_the_test_sets_own_statistics(verdict):
    def leaky(X_train, X_test):
        return ((X_train - X_train.mean(axis=0)) / X_train.std(axis=0),
                (X_test - X_test.mean(axis=0)) / X_test.std(axis=0))

    rejected(verdict, "ch7.standardize_with_train_stats", leaky,
             {"en": "with their own mean", "ko": "자기 평균과 표준편차로"},
             inputs=("X_train", "X_test"))


def test_standardize_rejects_combined_statistics(verdict):
    def combined(X_train, X_test):
        both = np.concatenate([X_train, X_test])
        return ((X_train - both.mean(axis=0)) / both.std(axis=0),
                (X_test - both.mean(axis=0)) / both.std(axis=0))

    rejected(verdict, "ch7.standardize_with_train_stats", combined,
             {"en": "training and test data combined", "ko": "합친 통계"},
             inputs=("X_train", "X_test"))


def test_standardize_rejects_the_sample_standard_deviation(verdict):
    def ddof_1(X_train, X_test):
        mean, std = X_train.mean(axis=0), X_train.std(axis=0, ddof=1)
        return (X_train - mean) / std, (X_test - mean) / std

    rejected(verdict, "ch7.standardize_with_train_stats", ddof_1,
             {"en": "ddof=1", "ko": "ddof=1"}, inputs=("X_train", "X_test"))


def batchnorm_forward(x, gamma, beta, eps):
    mean = x.mean(axis=0)
    var = ((x - mean) ** 2).mean(axis=0)
    return gamma * (x - mean) / np.sqrt(var + eps) + beta


def test_batchnorm_forward_accepts_a_correct_answer(verdict):
    assert verdict("ch7.batchnorm_forward", batchnorm_forward)[0] is True


def test_batchnorm_forward_rejects_the_unbiased_variance(verdict):
    def unbiased(x, gamma, beta, eps):
        return gamma * (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0, ddof=1) + eps) + beta

    rejected(verdict, "ch7.batchnorm_forward", unbiased,
             {"en": "unbiased variance", "ko": "불편 분산"},
             inputs=("x", "gamma", "beta", "eps"))


def test_batchnorm_forward_rejects_eps_outside_the_square_root(verdict):
    def outside(x, gamma, beta, eps):
        return gamma * (x - x.mean(axis=0)) / (x.std(axis=0) + eps) + beta

    rejected(verdict, "ch7.batchnorm_forward", outside,
             {"en": "outside the square root", "ko": "제곱근 밖에서"},
             inputs=("x", "gamma", "beta", "eps"))


def test_batchnorm_forward_rejects_the_wrong_axis(verdict):
    def per_sample(x, gamma, beta, eps):
        mean, var = x.mean(axis=1, keepdims=True), x.var(axis=1, keepdims=True)
        return gamma * (x - mean) / np.sqrt(var + eps) + beta

    rejected(verdict, "ch7.batchnorm_forward", per_sample,
             {"en": "along the batch axis", "ko": "배치 축"},
             inputs=("x", "gamma", "beta", "eps"))
