"""Finite-difference check of a module's backward, independent of torch."""

import numpy as np

from dlbook.backend import get_array_module
from dlbook.grad_mode import no_grad


def gradcheck(module, *inputs, eps: float = 1e-6, rtol: float = 1e-5, atol: float = 1e-7,
              seed: int = 0) -> bool:
    """Check ``module.backward`` against central differences, in float64.

    The first of ``inputs`` is differentiated (the others, such as a loss's target, are held
    fixed), and so is every parameter. For an array output y the scalar checked is Σ g·y with
    a random g; a loss that returns a float is checked as it is. Returns True, or raises
    AssertionError naming the first gradient that disagrees.
    """
    x, rest = inputs[0], inputs[1:]
    for name, array in [("input", x)] + [(n, p.data) for n, p in module.named_parameters()]:
        if array.dtype != np.float64:
            raise TypeError(f"gradcheck needs float64, but {name} is {array.dtype}: "
                            "use module.double() and x.astype(np.float64)")
    xp = get_array_module(x)
    module.zero_grad()
    output = module(x, *rest)
    g = 1.0 if np.isscalar(output) else xp.asarray(np.random.default_rng(seed).standard_normal(
        output.shape))
    analytic = {"input": module.backward(g)}
    analytic.update({n: p.grad for n, p in module.named_parameters()})

    @no_grad()  # only the value is needed: keep nothing for a backward
    def objective():
        out = module(x, *rest)
        return out if np.isscalar(out) else float((out * g).sum())

    targets = {"input": x} | {n: p.data for n, p in module.named_parameters()}
    for name, array in targets.items():
        numeric = _central_differences(objective, array, eps)
        if not np.allclose(_host(analytic[name]), numeric, rtol=rtol, atol=atol):
            worst = np.max(np.abs(_host(analytic[name]) - numeric))
            raise AssertionError(f"gradcheck: {type(module).__name__} gradient of {name} differs"
                                 f" from finite differences by up to {worst:.3g}")
    return True


def _central_differences(objective, array, eps):
    """(f(a + ε) − f(a − ε)) / 2ε for each element of ``array``, perturbed in place.

    Elements are written through ``array`` itself, whatever its memory order: ``reshape(-1)``
    of a transposed or F-ordered array is a copy, which the objective would never read.
    """
    grad = np.zeros(array.shape)
    for index in np.ndindex(array.shape):
        original = array[index].item()
        array[index] = original + eps
        up = objective()
        array[index] = original - eps
        down = objective()
        array[index] = original
        grad[index] = (up - down) / (2 * eps)
    return grad


def _host(array):
    return array.get() if hasattr(array, "get") else np.asarray(array)
