"""Gradient clipping, as in ``torch.nn.utils``: call it between backward and ``optimizer.step()``.

Both functions change ``p.grad`` in place, on NumPy or CuPy arrays alike, and skip the
parameters whose ``.grad`` is None.
"""

import numpy as np

from dlbook.backend import get_array_module
from dlbook.nn.parameter import Parameter


def clip_grad_norm_(parameters, max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False):
    """Scale all gradients together so that their joint norm is at most ``max_norm``.

    The total norm treats every gradient as one long vector g (the norms of the single
    gradients, taken together):

        ‖g‖_p = (Σ |g_i|^p)^(1/p),      ‖g‖_inf = max |g_i|
        clip_coef = min(max_norm / (‖g‖ + 1e-6), 1)
        grad ← grad · clip_coef   for every parameter (in place)

    so gradients under the limit are left alone (clip_coef = 1) and a gradient over it keeps
    its direction. ``parameters``: a Parameter or an iterable of them.
    ``norm_type``: p (1, 2, ...) or ``math.inf``.

    Returns the total norm before clipping, a 0-d array in the gradients' dtype and on their
    device, as torch returns a 0-d tensor (``float(...)`` gives the number). With no gradient
    at all it is 0.0 (float32, as ``torch.tensor(0.0)``).
    Raises RuntimeError for a nan or inf total norm when ``error_if_nonfinite`` is True.
    """
    grads = _grads(parameters)
    if not grads:
        return np.asarray(0.0, dtype=np.float32)
    xp = get_array_module(*grads)
    norm_type = float(norm_type)
    # Norm of the per-gradient norms: the same number as the norm of all entries together.
    norms = [xp.linalg.norm(g.ravel(), ord=norm_type) for g in grads]
    total_norm = xp.asarray(xp.linalg.norm(xp.stack(norms), ord=norm_type))
    if error_if_nonfinite and not bool(xp.isfinite(total_norm)):
        raise RuntimeError(
            f"clip_grad_norm_: the total norm of order {norm_type} of the gradients is "
            f"{float(total_norm)}, so they cannot be clipped; pass error_if_nonfinite=False "
            "to scale them by it anyway")
    clip_coef = xp.minimum(float(max_norm) / (total_norm + 1e-6), 1.0)
    for g in grads:
        g *= clip_coef.astype(g.dtype)
    return total_norm


def clip_grad_value_(parameters, clip_value: float):
    """Clip every gradient entry into [−clip_value, clip_value], in place.

    ``parameters``: a Parameter or an iterable of them. Returns None, as torch.
    """
    clip_value = float(clip_value)
    for g in _grads(parameters):
        get_array_module(g).clip(g, -clip_value, clip_value, out=g)


def _grads(parameters):
    """The gradients, not None, of a Parameter or an iterable of Parameters."""
    if isinstance(parameters, Parameter):
        parameters = [parameters]
    return [p.grad for p in parameters if p.grad is not None]


__all__ = ["clip_grad_norm_", "clip_grad_value_"]
