"""Adagrad: a per-coordinate learning rate, shrinking with the gradients seen so far."""

from dlbook.backend import get_array_module
from dlbook.optim.optimizer import Optimizer, check_at_least_zero


class Adagrad(Optimizer):
    """Adagrad (Duchi et al., 2011), as torch.optim.Adagrad.

    For each parameter θ with gradient g, step t = 1, 2, … (every array the shape of θ)::

        g ← g + weight_decay · θ                      (L2 penalty, if weight_decay ≠ 0)
        lr_t = lr / (1 + (t − 1) · lr_decay)
        s ← s + g²                                    (s starts at initial_accumulator_value)
        θ ← θ − lr_t · g / (√s + eps)

    ``maximize`` uses −g. State: ``"step"`` t and ``"sum"`` s.
    """

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10, *, maximize=False):
        check_at_least_zero(self, lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                            initial_accumulator_value=initial_accumulator_value, eps=eps)
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, eps=eps,
                                      weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value,
                                      maximize=maximize))

    def add_param_group(self, param_group: dict):
        super().add_param_group(param_group)
        group = self.param_groups[-1]
        for param in group["params"]:  # torch fills Adagrad's state now, not at the first step
            xp = get_array_module(param.data)
            self.state[param] = {"step": 0, "sum": xp.full_like(
                param.data, group["initial_accumulator_value"])}

    def step(self, closure=None):
        """Update every parameter that has a gradient; return ``closure()``'s loss, if given."""
        loss = closure() if closure is not None else None
        for group, param, grad, state in self._gradients():
            xp = get_array_module(param)
            state["step"] += 1
            if group["weight_decay"] != 0:
                grad = grad + group["weight_decay"] * param
            lr = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])
            state["sum"] += grad * grad
            param -= lr * grad / (xp.sqrt(state["sum"]) + group["eps"])
        return loss
