"""Chapter 6's exercises: one step of SGD with momentum, one step of Adam."""

import numpy as np
import pytest
import torch
from exercise_helpers import rejected

MOMENTUM_INPUTS = ("theta", "grad", "velocity", "lr", "momentum")
ADAM_INPUTS = ("theta", "grad", "m", "v", "t", "lr", "beta1", "beta2", "eps")


def momentum_step(theta, grad, velocity, lr, momentum):
    velocity = momentum * velocity + grad
    return theta - lr * velocity, velocity


def adam_step(theta, grad, m, v, t, lr, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def adam_changed(*, corrected=True, t_shift=0, eps_inside=False, sign=1):
    """adam_step with one of the usual mistakes."""
    def step(theta, grad, m, v, t, lr, beta1, beta2, eps):
        t = t + t_shift
        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * grad**2
        m_hat, v_hat = (m / (1 - beta1**t), v / (1 - beta2**t)) if corrected else (m, v)
        denom = np.sqrt(v_hat + eps) if eps_inside else np.sqrt(v_hat) + eps
        return theta - sign * lr * m_hat / denom, m, v

    return step


def test_momentum_step_accepts_a_correct_answer(verdict):
    assert verdict("ch6.momentum_step", momentum_step)[0] is True


def test_momentum_step_matches_torch_sgd_over_several_steps():
    from dlbook.exercises import solution

    rng = np.random.default_rng(0)
    theta, velocity = rng.normal(size=5), np.zeros(5)
    param = torch.nn.Parameter(torch.from_numpy(theta.copy()))
    opt = torch.optim.SGD([param], lr=0.1, momentum=0.9)
    for _ in range(5):
        grad = rng.normal(size=5)
        theta, velocity = solution("ch6.momentum_step")(theta, grad, velocity, 0.1, 0.9)
        param.grad = torch.from_numpy(grad)
        opt.step()
    np.testing.assert_allclose(theta, param.detach().numpy(), rtol=1e-12)


def test_momentum_step_rejects_a_velocity_left_unchanged(verdict):
    rejected(verdict, "ch6.momentum_step",
             lambda theta, grad, velocity, lr, momentum:
             (theta - lr * (momentum * velocity + grad), velocity),
             {"en": "came back unchanged", "ko": "갱신하지 않고"}, inputs=MOMENTUM_INPUTS)


def test_momentum_step_rejects_a_sign_error(verdict):
    rejected(verdict, "ch6.momentum_step",
             lambda theta, grad, velocity, lr, momentum:
             (theta + lr * (momentum * velocity + grad), momentum * velocity + grad),
             {"en": "stepped up the gradient", "ko": "기울기 방향으로 올라갔습니다"},
             inputs=MOMENTUM_INPUTS)


def test_momentum_step_rejects_stepping_with_the_old_velocity(verdict):
    rejected(verdict, "ch6.momentum_step",
             lambda theta, grad, velocity, lr, momentum:
             (theta - lr * velocity, momentum * velocity + grad),
             {"en": "with the old velocity", "ko": "옛 속도로"}, inputs=MOMENTUM_INPUTS)


def test_momentum_step_rejects_a_damped_buffer(verdict):
    def damped(theta, grad, velocity, lr, momentum):
        velocity = momentum * velocity + (1 - momentum) * grad
        return theta - lr * velocity, velocity

    rejected(verdict, "ch6.momentum_step", damped,
             {"en": "adds g itself", "ko": "g를 그대로 더합니다"}, inputs=MOMENTUM_INPUTS)


def test_momentum_step_rejects_the_classical_form(verdict):
    def classical(theta, grad, velocity, lr, momentum):
        velocity = momentum * velocity - lr * grad
        return theta + velocity, velocity

    rejected(verdict, "ch6.momentum_step", classical,
             {"en": "classical form", "ko": "고전적 모멘텀"}, inputs=MOMENTUM_INPUTS)


def test_momentum_step_rejects_nesterov(verdict):
    def nesterov(theta, grad, velocity, lr, momentum):
        velocity = momentum * velocity + grad
        return theta - lr * (grad + momentum * velocity), velocity

    rejected(verdict, "ch6.momentum_step", nesterov,
             {"en": "Nesterov's step", "ko": "네스테로프"}, inputs=MOMENTUM_INPUTS)


def test_adam_step_accepts_a_correct_answer(verdict):
    assert verdict("ch6.adam_step", adam_step)[0] is True


def test_adam_step_matches_torch_adam_over_several_steps():
    rng = np.random.default_rng(1)
    theta, m, v = rng.normal(size=4), np.zeros(4), np.zeros(4)
    param = torch.nn.Parameter(torch.from_numpy(theta.copy()))
    opt = torch.optim.Adam([param], lr=0.01, betas=(0.8, 0.99), eps=1e-6)
    from dlbook.exercises import solution
    for t in range(1, 8):
        grad = rng.normal(size=4)
        theta, m, v = solution("ch6.adam_step")(theta, grad, m, v, t, 0.01, 0.8, 0.99, 1e-6)
        param.grad = torch.from_numpy(grad)
        opt.step()
    np.testing.assert_allclose(theta, param.detach().numpy(), rtol=1e-12)


@pytest.mark.parametrize("mistake, hint", [
    (adam_changed(corrected=False), {"en": "bias correction is missing", "ko": "편향 보정"}),
    (adam_changed(t_shift=-1), {"en": "1 on the first", "ko": "첫 스텝에서 1"}),
    (adam_changed(t_shift=1), {"en": "without adding 1", "ko": "1을 더하지 말고"}),
    (adam_changed(eps_inside=True), {"en": "outside the square root", "ko": "제곱근 밖에서"}),
    (adam_changed(sign=-1), {"en": "stepped up the gradient", "ko": "기울기 방향으로"}),
], ids=["no bias correction", "t from 0", "t + 1", "eps inside the root", "sign"])
def test_adam_step_rejects_the_usual_mistakes(verdict, mistake, hint):
    rejected(verdict, "ch6.adam_step", mistake, hint, inputs=ADAM_INPUTS)


def test_adam_step_rejects_moments_left_unchanged(verdict):
    def stale(theta, grad, m, v, t, lr, beta1, beta2, eps):
        return adam_step(theta, grad, m, v, t, lr, beta1, beta2, eps)[0], m, v

    found = rejected(verdict, "ch6.adam_step", stale,
                     {"en": "came back unchanged", "ko": "갱신하지 않고"}, inputs=ADAM_INPUTS)
    assert found["First difference"].strip() == "m"


def test_adam_step_rejects_keras_placement_of_eps(verdict):
    def keras(theta, grad, m, v, t, lr, beta1, beta2, eps):
        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * grad**2
        return theta - lr * np.sqrt(1 - beta2**t) / (1 - beta1**t) * m / (np.sqrt(v) + eps), m, v

    rejected(verdict, "ch6.adam_step", keras, {"en": "Keras's formula", "ko": "Keras의 식"},
             inputs=ADAM_INPUTS)
