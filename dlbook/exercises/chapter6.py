"""Chapter 6: one step of SGD with momentum, and one step of Adam, on NumPy arrays."""

import numpy as np

import dlbook.nn as nn
import dlbook.optim as optim
from dlbook.exercises.exercise import Case, Exercise, Mistake, Text, same_as


def _momentum_step(theta, grad, velocity, lr, momentum):
    """One step of dlbook's SGD(lr, momentum), its buffer set to ``velocity`` beforehand."""
    param = nn.Parameter(theta.copy())
    param.grad = grad
    opt = optim.SGD([param], lr=lr, momentum=momentum)
    opt.state[param]["momentum_buffer"] = velocity.copy()
    opt.step()
    return param.data, opt.state[param]["momentum_buffer"]


def _momentum_case(rng):
    shape = tuple(rng.integers(1, 5, size=rng.integers(1, 3)))
    return (rng.normal(0, 1, shape), rng.normal(0, 1, shape), rng.normal(0, 1, shape),
            float(rng.choice([0.01, 0.1, 0.5])), float(rng.choice([0.5, 0.9, 0.99])))


_theta2 = np.array([1.0, -2.0])
_grad2 = np.array([0.5, 0.25])

# momentum_step(theta, grad, velocity, lr, momentum): arrays of one shape -> (theta, velocity)
MOMENTUM_STEP = Exercise(
    id="ch6.momentum_step",
    args=("theta", "grad", "velocity", "lr", "momentum"),
    outputs=("theta", "velocity"),
    reference=_momentum_step,
    random_case=_momentum_case,
    edge_cases=(
        Case(Text("첫 스텝: 속도 0", "the first step: zero velocity"),
             (_theta2, _grad2, np.zeros(2), 0.1, 0.9)),
        Case(Text("기울기 0: 관성만으로 움직입니다", "zero gradient: coasting on momentum"),
             (_theta2, np.zeros(2), np.array([1.0, -1.0]), 0.1, 0.9)),
        Case(Text("float32", "float32"),
             (_theta2.astype(np.float32), _grad2.astype(np.float32),
              np.array([0.2, -0.1], np.float32), 0.01, 0.9)),
    ),
    mistakes=(
        Mistake(Text("속도(버퍼)를 갱신하지 않고 그대로 돌려주었습니다. 다음 스텝이 쓸 수 있도록 "
                     "b ← μ b + g를 돌려주세요.",
                     "The velocity (buffer) came back unchanged: return the new b ← μ b + g, "
                     "which the next step needs."),
                lambda args, expected, received: (
                    np.allclose(received[0], expected[0])
                    and np.allclose(received[1], args[2])
                    and not np.allclose(args[2], expected[1]))),
        Mistake(Text("기울기 방향으로 올라갔습니다: θ ← θ − lr · b입니다.",
                     "You stepped up the gradient: θ ← θ − lr · b."),
                same_as(lambda theta, grad, velocity, lr, momentum: (
                    theta + lr * (momentum * velocity + grad), momentum * velocity + grad))),
        Mistake(Text("θ를 옛 속도로 옮겼습니다. 먼저 b ← μ b + g로 속도를 갱신하고, 그 새 b로 "
                     "θ ← θ − lr · b를 계산합니다.",
                     "θ moved with the old velocity: first update b ← μ b + g, then step with "
                     "the new b, θ ← θ − lr · b."),
                same_as(lambda theta, grad, velocity, lr, momentum: (
                    theta - lr * velocity, momentum * velocity + grad))),
        Mistake(Text("torch의 SGD(dampening=0)는 g를 그대로 더합니다: b ← μ b + g. (1 − μ) g를 "
                     "더하는 것은 지수 이동 평균이고, 걸음이 1 − μ배로 작아집니다.",
                     "torch's SGD (dampening=0) adds g itself: b ← μ b + g. Adding (1 − μ) g "
                     "makes an exponential moving average, whose steps are 1 − μ times shorter."),
                same_as(lambda theta, grad, velocity, lr, momentum: (
                    theta - lr * (momentum * velocity + (1 - momentum) * grad),
                    momentum * velocity + (1 - momentum) * grad))),
        Mistake(Text("이것은 고전적 모멘텀의 꼴입니다(v ← μ v − lr · g, θ ← θ + v). 이 연습문제의 "
                     "velocity는 torch의 버퍼 b이므로 b ← μ b + g, θ ← θ − lr · b입니다.",
                     "This is the classical form (v ← μ v − lr · g, θ ← θ + v). Here velocity is "
                     "torch's buffer b: b ← μ b + g, θ ← θ − lr · b."),
                same_as(lambda theta, grad, velocity, lr, momentum: (
                    theta + momentum * velocity - lr * grad, momentum * velocity - lr * grad))),
        Mistake(Text("네스테로프 모멘텀의 걸음(θ ← θ − lr · (g + μ b))입니다. 이 연습문제는 "
                     "nesterov=False인 평범한 모멘텀입니다: θ ← θ − lr · b.",
                     "That is Nesterov's step, θ ← θ − lr · (g + μ b); this exercise is plain "
                     "momentum, nesterov=False: θ ← θ − lr · b."),
                same_as(lambda theta, grad, velocity, lr, momentum: (
                    theta - lr * (grad + momentum * (momentum * velocity + grad)),
                    momentum * velocity + grad))),
    ),
    hint=Text("b = momentum · velocity + grad를 구한 다음 (theta − lr · b, b)를 돌려줍니다.",
              "Compute b = momentum · velocity + grad, then return (theta − lr · b, b)."),
)


def _adam_step(theta, grad, m, v, t, lr, beta1, beta2, eps):
    """One step of dlbook's Adam, its state set to step t − 1 with moments m and v."""
    param = nn.Parameter(theta.copy())
    param.grad = grad
    opt = optim.Adam([param], lr=lr, betas=(beta1, beta2), eps=eps)
    opt.state[param] = {"step": t - 1, "exp_avg": m.copy(), "exp_avg_sq": v.copy()}
    opt.step()
    state = opt.state[param]
    return param.data, state["exp_avg"], state["exp_avg_sq"]


def _adam_variant(theta, grad, m, v, t, lr, beta1, beta2, eps, *, t_used=None, corrected=True,
                  eps_inside=False, sign=1, square=True):
    """Adam with one thing changed, for recognising the usual mistakes."""
    t = t if t_used is None else t_used
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * (grad * grad if square else grad)
    m_hat, v_hat = (m / (1 - beta1**t), v / (1 - beta2**t)) if corrected else (m, v)
    denom = np.sqrt(v_hat + eps) if eps_inside else np.sqrt(v_hat) + eps
    return theta - sign * lr * m_hat / denom, m, v


def _adam_keras(theta, grad, m, v, t, lr, beta1, beta2, eps):
    """Keras's Adam: eps added to √v, the bias corrections folded into the step size."""
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    return theta - lr * np.sqrt(1 - beta2**t) / (1 - beta1**t) * m / (np.sqrt(v) + eps), m, v


def _adam_case(rng):
    # θ near 0 and a large eps, so that a wrong step shows in the digits check prints
    shape = tuple(rng.integers(1, 5, size=rng.integers(1, 3)))
    scale = float(rng.choice([0.1, 1.0, 10.0]))  # a gradient's scale, and so its moments'
    return (rng.normal(0, 0.01, shape), rng.normal(0, scale, shape),
            rng.normal(0, 0.3 * scale, shape), rng.uniform(0, scale**2, shape),
            int(rng.integers(1, 40)), float(rng.choice([1e-3, 1e-2, 0.1])),
            float(rng.choice([0.9, 0.8])), float(rng.choice([0.999, 0.99])),
            float(rng.choice([0.01, 0.1])))


_zeros2 = np.zeros(2)

# adam_step(theta, grad, m, v, t, lr, beta1, beta2, eps): arrays of one shape, t = 1, 2, …
# the number of this step -> (theta, m, v)
ADAM_STEP = Exercise(
    id="ch6.adam_step",
    args=("theta", "grad", "m", "v", "t", "lr", "beta1", "beta2", "eps"),
    outputs=("theta", "m", "v"),
    reference=_adam_step,
    random_case=_adam_case,
    edge_cases=(
        Case(Text("첫 스텝: t = 1, m = v = 0", "the first step: t = 1, m = v = 0"),
             (_theta2, np.array([0.5, -0.001]), _zeros2, _zeros2, 1, 0.1, 0.9, 0.999, 1e-8)),
        Case(Text("작은 기울기: eps가 중요합니다", "tiny gradients: eps matters"),
             (_theta2, np.array([1e-4, -1e-5]), np.array([1e-4, 0.0]), np.array([1e-8, 1e-10]),
              3, 0.01, 0.9, 0.999, 1e-3)),
        Case(Text("오래 학습한 뒤: t = 1000", "long into training: t = 1000"),
             (_theta2, _grad2, np.array([0.4, 0.2]), np.array([0.2, 0.05]), 1000, 1e-3, 0.9,
              0.999, 1e-8)),
        Case(Text("float32", "float32"),
             (_theta2.astype(np.float32), _grad2.astype(np.float32), np.zeros(2, np.float32),
              np.zeros(2, np.float32), 1, 1e-3, 0.9, 0.999, 1e-8)),
    ),
    mistakes=(
        Mistake(Text("편향 보정이 빠졌습니다. m과 v는 0에서 출발하므로 처음 몇 스텝에는 0 쪽으로 "
                     "치우칩니다. m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ)로 나누세요.",
                     "The bias correction is missing: m and v start at 0, so in the first steps "
                     "they lean towards 0. Divide: m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ)."),
                same_as(lambda *args: _adam_variant(*args, corrected=False))),
        Mistake(Text("t는 이번 스텝의 번호로, 첫 스텝에서 1입니다. t − 1을 쓰면 첫 스텝에서 "
                     "1 − β⁰ = 0으로 나누게 됩니다.",
                     "t is the number of this step, 1 on the first: using t − 1 divides by "
                     "1 − β⁰ = 0 on the first step."),
                same_as(lambda *args: _adam_variant(*args, t_used=args[4] - 1))),
        Mistake(Text("t는 이미 이번 스텝의 번호입니다. 1을 더하지 말고 그대로 β₁ᵗ, β₂ᵗ에 쓰세요.",
                     "t already is the number of this step: use it as it is in β₁ᵗ and β₂ᵗ, "
                     "without adding 1."),
                same_as(lambda *args: _adam_variant(*args, t_used=args[4] + 1))),
        Mistake(Text("eps는 제곱근 밖에서 더합니다: √v̂ + eps (torch와 dlbook의 식). √(v̂ + eps)가 "
                     "아닙니다.",
                     "eps goes outside the square root: √v̂ + eps (torch's and dlbook's formula), "
                     "not √(v̂ + eps)."),
                same_as(lambda *args: _adam_variant(*args, eps_inside=True))),
        Mistake(Text("eps를 편향 보정 전의 √v에 더했습니다(Keras의 식). torch와 dlbook은 보정한 "
                     "v̂에 더합니다: √v̂ + eps, v̂ = v / (1 − β₂ᵗ).",
                     "eps was added to √v before the bias correction (Keras's formula); torch "
                     "and dlbook add it to the corrected one: √v̂ + eps, v̂ = v / (1 − β₂ᵗ)."),
                same_as(_adam_keras)),
        Mistake(Text("기울기 방향으로 올라갔습니다: θ ← θ − lr · m̂ / (√v̂ + eps)입니다.",
                     "You stepped up the gradient: θ ← θ − lr · m̂ / (√v̂ + eps)."),
                same_as(lambda *args: _adam_variant(*args, sign=-1))),
        Mistake(Text("v는 기울기의 제곱의 이동 평균입니다: v ← β₂ v + (1 − β₂) g².",
                     "v is the moving average of the squared gradient: v ← β₂ v + (1 − β₂) g²."),
                same_as(lambda *args: _adam_variant(*args, square=False))),
        Mistake(Text("β₁과 β₂가 바뀌었습니다. m은 β₁ (0.9)로, v는 β₂ (0.999)로 평균합니다.",
                     "β₁ and β₂ are swapped: m averages with β₁ (0.9), v with β₂ (0.999)."),
                same_as(lambda theta, grad, m, v, t, lr, beta1, beta2, eps: _adam_variant(
                    theta, grad, m, v, t, lr, beta2, beta1, eps))),
        Mistake(Text("θ는 맞게 움직였지만 m이나 v를 갱신하지 않고 돌려주었습니다. 다음 스텝이 "
                     "쓸 새 m과 v를 돌려주세요.",
                     "θ moved correctly, but m or v came back unchanged: return the new m and v, "
                     "which the next step needs."),
                lambda args, expected, received: (
                    np.allclose(received[0], expected[0])
                    and (np.allclose(received[1], args[2]) or np.allclose(received[2], args[3])))),
    ),
    hint=Text("m ← β₁ m + (1 − β₁) g, v ← β₂ v + (1 − β₂) g², m̂ = m / (1 − β₁ᵗ), "
              "v̂ = v / (1 − β₂ᵗ), θ ← θ − lr · m̂ / (√v̂ + eps); (θ, m, v)를 돌려줍니다.",
              "m ← β₁ m + (1 − β₁) g, v ← β₂ v + (1 − β₂) g², m̂ = m / (1 − β₁ᵗ), "
              "v̂ = v / (1 − β₂ᵗ), θ ← θ − lr · m̂ / (√v̂ + eps); return (θ, m, v)."),
)

EXERCISES = (MOMENTUM_STEP, ADAM_STEP)
