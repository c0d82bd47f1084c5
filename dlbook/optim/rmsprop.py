"""RMSprop: divide the gradient by a running root mean square of recent gradients."""

from dlbook.backend import get_array_module
from dlbook.optim.optimizer import Optimizer, check_at_least_zero


class RMSprop(Optimizer):
    """RMSprop (Hinton, 2012), as torch.optim.RMSprop.

    For each parameter θ with gradient g (every array the shape of θ)::

        g ← g + weight_decay · θ                      (L2 penalty, if weight_decay ≠ 0)
        v ← alpha · v + (1 − alpha) · g²              (mean square, v₀ = 0)
        ḡ ← ḡ + (1 − alpha) · (g − ḡ)                 (mean, if centered; ḡ₀ = 0)
        d = √(v − ḡ²) + eps  (centered)   or   √v + eps
        b ← momentum · b + g / d,   θ ← θ − lr · b    (if momentum > 0; b₀ = 0)
        θ ← θ − lr · g / d                            (otherwise)

    ``maximize`` uses −g. State: ``"step"``, ``"square_avg"`` v, and ``"grad_avg"`` ḡ
    (centered) and ``"momentum_buffer"`` b (momentum > 0).
    """

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, *, maximize=False):
        check_at_least_zero(self, lr=lr, eps=eps, momentum=momentum, weight_decay=weight_decay,
                            alpha=alpha)
        super().__init__(params, dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps,
                                      centered=centered, weight_decay=weight_decay,
                                      maximize=maximize))

    def step(self, closure=None):
        """Update every parameter that has a gradient; return ``closure()``'s loss, if given."""
        loss = closure() if closure is not None else None
        for group, param, grad, state in self._gradients():
            xp = get_array_module(param)
            alpha, momentum = group["alpha"], group["momentum"]
            if not state:
                state["step"] = 0
                state["square_avg"] = xp.zeros_like(param)
                if momentum > 0:
                    state["momentum_buffer"] = xp.zeros_like(param)
                if group["centered"]:
                    state["grad_avg"] = xp.zeros_like(param)
            state["step"] += 1
            if group["weight_decay"] != 0:
                grad = grad + group["weight_decay"] * param
            square_avg = state["square_avg"]
            square_avg *= alpha
            square_avg += (1 - alpha) * grad * grad
            if group["centered"]:
                grad_avg = state["grad_avg"]
                grad_avg += (1 - alpha) * (grad - grad_avg)
                avg = xp.sqrt(square_avg - grad_avg * grad_avg)  # √Var[g] rather than √E[g²]
            else:
                avg = xp.sqrt(square_avg)
            avg += group["eps"]
            if momentum > 0:
                buf = state["momentum_buffer"]
                buf *= momentum
                buf += grad / avg
                param -= group["lr"] * buf
            else:
                param -= group["lr"] * grad / avg
        return loss
