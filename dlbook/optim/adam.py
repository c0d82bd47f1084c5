"""Adam and AdamW: momentum and RMSprop together, with bias-corrected moment estimates."""

from dlbook.backend import get_array_module
from dlbook.optim.optimizer import Optimizer, check_at_least_zero, check_betas


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015), as torch.optim.Adam.

    For each parameter θ with gradient g, step t = 1, 2, … (every array the shape of θ)::

        g ← g + weight_decay · θ         (L2 penalty; AdamW instead: θ ← θ − lr · wd · θ)
        m ← m + (1 − β₁) · (g − m)                    (mean of g, m₀ = 0)
        v ← β₂ · v + (1 − β₂) · g²                    (mean of g², v₀ = 0)
        v̂ = max(v̂, v)  (amsgrad)   or   v̂ = v
        θ ← θ − lr / (1 − β₁ᵗ) · m / (√v̂ / √(1 − β₂ᵗ) + eps)

    The factors 1 − βᵗ undo the pull of m₀ = v₀ = 0 towards zero in the first steps.
    ``maximize`` uses −g. State: ``"step"`` t, ``"exp_avg"`` m, ``"exp_avg_sq"`` v and, with
    amsgrad, ``"max_exp_avg_sq"`` v̂.
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, maximize=False, decoupled_weight_decay=False):
        check_at_least_zero(self, lr=lr, eps=eps, weight_decay=weight_decay)
        check_betas(self, betas)
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps,
                                      weight_decay=weight_decay, amsgrad=amsgrad,
                                      maximize=maximize,
                                      decoupled_weight_decay=decoupled_weight_decay))

    def step(self, closure=None):
        """Update every parameter that has a gradient; return ``closure()``'s loss, if given."""
        loss = closure() if closure is not None else None
        for group, param, grad, state in self._gradients():
            xp = get_array_module(param)
            (beta1, beta2), lr, weight_decay = group["betas"], group["lr"], group["weight_decay"]
            if not state:
                state["step"] = 0
                state["exp_avg"] = xp.zeros_like(param)
                state["exp_avg_sq"] = xp.zeros_like(param)
                if group["amsgrad"]:
                    state["max_exp_avg_sq"] = xp.zeros_like(param)
            state["step"] += 1
            t, exp_avg, exp_avg_sq = state["step"], state["exp_avg"], state["exp_avg_sq"]
            if weight_decay != 0 and group["decoupled_weight_decay"]:
                param *= 1 - lr * weight_decay  # AdamW: decay θ itself, outside the moments
            elif weight_decay != 0:
                grad = grad + weight_decay * param
            # in place, reusing one scratch array `work`: on large parameters, a new array for
            # every operation of `m + (1 - β₁) * (g - m)` costs more than the arithmetic
            work = grad - exp_avg
            work *= 1 - beta1
            exp_avg += work  # m ← m + (1 − β₁)(g − m)
            xp.multiply(grad, 1 - beta2, out=work)
            work *= grad
            exp_avg_sq *= beta2
            exp_avg_sq += work  # v ← β₂ v + (1 − β₂) g²
            if group["amsgrad"]:
                xp.maximum(state["max_exp_avg_sq"], exp_avg_sq, out=state["max_exp_avg_sq"])
                exp_avg_sq = state["max_exp_avg_sq"]
            denom = xp.sqrt(exp_avg_sq, out=work)
            denom /= (1 - beta2**t) ** 0.5
            denom += group["eps"]  # √v̂ + eps = √v / √(1 − β₂ᵗ) + eps
            update = lr / (1 - beta1**t) * exp_avg  # lr m̂, m̂ = m / (1 − β₁ᵗ)
            update /= denom
            param -= update  # θ ← θ − lr m̂ / (√v̂ + eps)
        return loss


class AdamW(Adam):
    """AdamW (Loshchilov & Hutter, 2019), as torch.optim.AdamW: Adam with decoupled weight
    decay. Each step first shrinks θ ← θ − lr · weight_decay · θ, then takes Adam's step on the
    plain gradient, so the decay is not rescaled by √v̂. Default weight_decay=1e-2.
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False, *, maximize=False):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize,
                         decoupled_weight_decay=True)
