"""Chapter 4's exercises: the backward passes of the sigmoid and of a linear layer."""

import numpy as np
from exercise_helpers import rejected, sections


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def test_sigmoid_backward_accepts_a_correct_answer(verdict):
    assert verdict("ch4.sigmoid_backward", lambda grad_out, y: grad_out * (y - y * y))[0] is True


def test_sigmoid_backward_rejects_the_sigmoid_applied_twice(verdict):
    def twice(grad_out, y):  # the slip of section 4.6's BrokenSigmoid
        s = sigmoid(y)
        return grad_out * s * (1 - s)

    rejected(verdict, "ch4.sigmoid_backward", twice,
             {"en": "y is already σ(x)", "ko": "y는 이미 σ(x)입니다"}, inputs=("grad_out", "y"))


def test_sigmoid_backward_rejects_a_missing_upstream_gradient(verdict):
    rejected(verdict, "ch4.sigmoid_backward", lambda grad_out, y: y * (1 - y),
             {"en": "multiply the local gradient y(1 − y) by the upstream gradient",
              "ko": "상위 기울기 grad_out을 곱해야"}, inputs=("grad_out", "y"))


def test_sigmoid_backward_rejects_the_derivative_of_tanh(verdict):
    rejected(verdict, "ch4.sigmoid_backward", lambda grad_out, y: grad_out * (1 - y ** 2),
             {"en": "derivative of tanh", "ko": "tanh의 도함수"}, inputs=("grad_out", "y"))


def linear_backward(grad_out, x, weight):
    dx = np.einsum("no,oi->ni", grad_out, weight)
    dW = np.einsum("no,ni->oi", grad_out, x)
    return dx, dW, grad_out.sum(axis=0)


def test_linear_backward_accepts_a_correct_answer(verdict):
    assert verdict("ch4.linear_backward", linear_backward)[0] is True


def test_linear_backward_rejects_a_transposed_weight_gradient(verdict):
    found = rejected(verdict, "ch4.linear_backward", lambda g, x, W: (g @ W, x.T @ g, g.sum(0)),
                     {"en": "weight is (out, in)", "ko": "(출력, 입력)"},
                     inputs=("grad_out", "x", "weight"))
    assert found["First difference"] == "dW"
    assert "dx = " in found["Expected"] and "db = " in found["Received"]


def test_linear_backward_rejects_a_bias_gradient_averaged_over_the_batch(verdict):
    found = rejected(verdict, "ch4.linear_backward", lambda g, x, W: (g @ W, g.T @ x, g.mean(0)),
                     {"en": "the sum over the batch", "ko": "배치에 대한 합"},
                     inputs=("grad_out", "x", "weight"))
    assert found["First difference"] == "db"


def test_linear_backward_rejects_an_answer_without_dx(verdict):
    rejected(verdict, "ch4.linear_backward", lambda g, x, W: (g.T @ x, g.sum(0)),
             {"en": "The answer has 3 items; yours has 2.", "ko": "항목 3개로 되어 있는데"},
             inputs=("grad_out", "x", "weight"))


def test_linear_backward_reports_a_product_that_does_not_fit(verdict):
    passed, text = verdict("ch4.linear_backward", lambda g, x, W: (g @ W.T, g.T @ x, g.sum(0)))
    assert passed is False
    found = sections(text)
    assert found["Called as"] == "answer(grad_out, x, weight)"
    assert found["Error"].startswith("ValueError: matmul")
    assert "dx = gW" in found["Hint"]
