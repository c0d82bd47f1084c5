"""Chapter 0's exercises: the MSE, bias² and variance, the expected squared error."""

import re

import numpy as np
from exercise_helpers import number, rejected, sections


def test_mse_accepts_a_correct_answer(verdict):
    def mse(y_pred, y):
        errors = y_pred - y
        return errors @ errors / len(errors)

    assert verdict("ch0.mse", mse)[0] is True


def test_mse_rejects_a_sum_and_names_the_missing_mean(verdict):
    found = rejected(verdict, "ch0.mse", lambda y_pred, y: np.sum((y_pred - y) ** 2),
                     {"en": "divide by the number of samples n", "ko": "샘플 수 n으로 나누어야"},
                     inputs=("y_pred", "y"))
    n = int(re.search(r"shape \((\d+),\)", found["Input"]).group(1))
    ratio = number(found["Received"]) / number(found["Expected"])  # both printed to 4 decimals
    assert abs(ratio - n) < 0.01 * n


def test_mse_rejects_the_mean_absolute_error(verdict):
    rejected(verdict, "ch0.mse", lambda y_pred, y: np.mean(np.abs(y_pred - y)),
             {"en": "mean absolute error (MAE)", "ko": "평균 절대 오차(MAE)"},
             inputs=("y_pred", "y"))


def test_mse_rejects_unsquared_errors(verdict):
    rejected(verdict, "ch0.mse", lambda y_pred, y: np.mean(y_pred - y),
             {"en": "positive and negative errors cancel", "ko": "서로 지워집니다"},
             inputs=("y_pred", "y"))


def test_bias_variance_accepts_a_correct_answer(verdict):
    def bias_variance(preds, truth):
        average = preds.sum(axis=0) / len(preds)
        return ((average - truth) ** 2).mean(), ((preds - average) ** 2).mean()

    assert verdict("ch0.bias_variance", bias_variance)[0] is True


def test_bias_variance_rejects_an_unbiased_variance_and_names_the_variance(verdict):
    def with_ddof(preds, truth):
        return np.mean((preds.mean(axis=0) - truth) ** 2), np.mean(preds.var(axis=0, ddof=1))

    found = rejected(verdict, "ch0.bias_variance", with_ddof,
                     {"en": "(ddof=1)", "ko": "(ddof=1)"}, inputs=("preds", "truth"))
    assert found["First difference"] == "variance"
    assert found["Expected"].startswith("bias2 = ") and "variance = " in found["Received"]


def test_bias_variance_rejects_the_spread_around_the_truth(verdict):
    def around_truth(preds, truth):
        return np.mean((preds.mean(axis=0) - truth) ** 2), np.mean((preds - truth) ** 2)

    rejected(verdict, "ch0.bias_variance", around_truth,
             {"en": "measure the spread around the average model",
              "ko": "평균 모델 f̄(x) 주위의 퍼짐"},
             inputs=("preds", "truth"))


def test_bias_variance_rejects_a_missing_variance(verdict):
    rejected(verdict, "ch0.bias_variance", lambda preds, truth: (0.0,),
             {"en": "The answer has 2 items; yours has 1.",
              "ko": "항목 2개로 되어 있는데, 받은 값은 1개"},
             inputs=("preds", "truth"))


def test_expected_error_accepts_the_number_or_a_function_returning_it(verdict):
    assert verdict("ch0.expected_error", 0.18)[0] is True
    assert verdict("ch0.expected_error", lambda: 0.04 + 0.05 + 0.09)[0] is True


def test_expected_error_rejects_the_noise_alone_without_giving_the_answer_away(verdict):
    passed, text = verdict("ch0.expected_error", 0.09)
    assert passed is False
    assert text.startswith("❌ Not yet: 0.09 is not the answer.")
    assert "adds all three terms" in sections(text)["Hint"]
    assert "0.18" not in text
    passed, text = verdict("ch0.expected_error", 0.09, "ko")
    assert text.startswith("❌ 아직 정답이 아닙니다. 받은 답: 0.09")
    assert "세 항을 모두 더합니다" in sections(text)["힌트"]


def test_expected_error_rejects_a_missing_term(verdict):
    for answer in (0.13, 0.14):
        passed, text = verdict("ch0.expected_error", answer)
        assert passed is False
        assert "A term is missing" in sections(text)["Hint"]
