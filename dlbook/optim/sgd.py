"""SGD: stochastic gradient descent, with momentum, dampening and Nesterov's look-ahead."""

from dlbook.optim.optimizer import Optimizer, check_at_least_zero, check_nesterov


class SGD(Optimizer):
    """Stochastic gradient descent, as torch.optim.SGD.

    For each parameter θ with gradient g, step t (every array the shape of θ)::

        g ← g + weight_decay · θ                      (L2 penalty, if weight_decay ≠ 0)
        b ← g at t = 1,  else  momentum · b + (1 − dampening) · g     (if momentum ≠ 0)
        g ← g + momentum · b  (nesterov)   or   g ← b                  (if momentum ≠ 0)
        θ ← θ − lr · g

    ``maximize`` uses −g: gradient ascent. State: ``"momentum_buffer"`` b (momentum ≠ 0 only).
    """

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0,
                 nesterov=False, *, maximize=False):
        check_at_least_zero(self, lr=lr, momentum=momentum, weight_decay=weight_decay)
        check_nesterov(self, nesterov, momentum, dampening)
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov,
                                      maximize=maximize))

    def step(self, closure=None):
        """Update every parameter that has a gradient; return ``closure()``'s loss, if given."""
        loss = closure() if closure is not None else None
        for group, param, grad, state in self._gradients():
            momentum, weight_decay = group["momentum"], group["weight_decay"]
            if weight_decay != 0:
                grad = grad + weight_decay * param
            if momentum != 0:
                buf = state.get("momentum_buffer")
                if buf is None:
                    buf = state["momentum_buffer"] = grad.copy()  # b₁ = g₁, undamped
                else:
                    buf *= momentum
                    buf += (1 - group["dampening"]) * grad
                grad = grad + momentum * buf if group["nesterov"] else buf
            param -= group["lr"] * grad
        return loss
