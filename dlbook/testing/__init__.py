"""Helpers that prove dlbook equal to PyTorch: conversions, tolerances and comparisons.

The tests use these; so can a learner checking their own layer against torch.
"""

from contextlib import contextmanager

import numpy as np

from dlbook.backend import get_array_module, to_device
from dlbook.testing.gradcheck import gradcheck

# float64 agrees with torch to rounding; float32 to its ~7 significant digits.
TOLERANCES = {
    np.dtype(np.float64): {"rtol": 1e-10, "atol": 1e-12},
    np.dtype(np.float32): {"rtol": 1e-5, "atol": 1e-6},
}


# Every comparison made by assert_close, for the report at the end of a test run:
# {dtype name: (number of comparisons, worst normwise relative error)}.
PARITY_RECORD: dict[str, tuple[int, float]] = {}

# The same comparisons by what was compared, for the validation report (tools/make_report.py):
# {(dlbook object, torch twin, dtype, device): [cases, comparisons, worst relative error]}.
# A comparison made outside any parity_case is filed under (None, None, dtype, device).
PARITY_ROWS: dict[tuple, list] = {}
_open_cases: list[dict] = []  # the parity cases being run, innermost last


def to_numpy(x):
    """A NumPy array of a NumPy/CuPy array or a torch tensor (on any device)."""
    if hasattr(x, "detach"):
        return x.detach().cpu().numpy()
    return to_device(x, "cpu")


def to_torch(x, device: str = "cpu", requires_grad: bool = False):
    """A torch tensor on ``device`` with the values and dtype of array ``x`` (NumPy or CuPy)."""
    import torch

    return torch.tensor(to_numpy(x), device=device, requires_grad=requires_grad)


def assert_close(actual, expected, *, name: str = "value"):
    """Assert ``actual`` (dlbook) equals ``expected`` (torch) in dtype and, within tolerance, value.

    The tolerance follows the dtype of ``actual``: see ``TOLERANCES``.
    """
    a, e = to_numpy(actual), to_numpy(expected)
    assert a.dtype == e.dtype, f"{name}: dtype {a.dtype}, torch {e.dtype}"
    assert a.shape == e.shape, f"{name}: shape {a.shape}, torch {e.shape}"
    np.testing.assert_allclose(a, e, err_msg=name, **TOLERANCES[a.dtype])
    record_comparison(actual, expected)


def assert_close_to_scale(actual, expected, *, name: str = "value", rtol: float | None = None):
    """Like ``assert_close``, but |actual − expected| ≤ rtol · max|expected| + atol everywhere:
    bounded by the array's largest value, not elementwise.

    For results that sum thousands of products (a deep network's weight gradients, backprop
    through many time steps): an element that is the small difference of large terms keeps
    their roundoff, tiny against the scale but large against itself. ``rtol`` defaults to the
    dtype's tolerance.
    """
    a, e = to_numpy(actual), to_numpy(expected)
    assert a.dtype == e.dtype, f"{name}: dtype {a.dtype}, torch {e.dtype}"
    assert a.shape == e.shape, f"{name}: shape {a.shape}, torch {e.shape}"
    tolerance = TOLERANCES[a.dtype]
    bound = ((tolerance["rtol"] if rtol is None else rtol) * np.abs(e).max(initial=0.0)
             + tolerance["atol"])
    np.testing.assert_allclose(a, e, rtol=0, atol=bound, err_msg=name)
    record_comparison(actual, expected)


@contextmanager
def parity_case(of: str, twin: str):
    """Count the comparisons made inside as one case of dlbook's ``of`` against torch's ``twin``.

    ``with parity_case("F.softmax", "torch.nn.functional.softmax"): ...``, or as the decorator
    of a hypothesis test under ``@given`` (one case per example). The helpers below open one
    per call; the validation report counts cases and comparisons per object.
    """
    _open_cases.append({"of": of, "twin": twin, "counted": set()})
    try:
        yield
    finally:
        _open_cases.pop()


def record_comparison(actual, expected):
    """Record how far ``actual`` (dlbook: NumPy, CuPy or a number) is from ``expected`` (torch).

    assert_close calls this; a test that compares by other means (exact equality, say) calls
    it too, so that the comparison reaches the report. The error is max|a − e| / max|e| over
    the finite values; magnitudes below atol/rtol count as atol/rtol: there the tolerance is
    absolute, and a roundoff of 1e-18 against an exact 0 is no relative error at all.
    """
    on_gpu = get_array_module(actual) is not np or getattr(expected, "is_cuda", False)
    device = "cuda" if on_gpu else "cpu"
    actual, expected = np.asarray(to_numpy(actual)), np.asarray(to_numpy(expected))
    dtype = actual.dtype.name
    finite = np.isfinite(expected)
    tolerance = TOLERANCES[actual.dtype]
    scale = float(np.max(np.abs(expected[finite]), initial=0.0))
    error = float(np.max(np.abs(actual[finite] - expected[finite]), initial=0.0))
    relative = error / max(scale, tolerance["atol"] / tolerance["rtol"])
    count, worst = PARITY_RECORD.get(dtype, (0, 0.0))
    PARITY_RECORD[dtype] = (count + 1, max(worst, relative))

    case = _open_cases[-1] if _open_cases else {"of": None, "twin": None, "counted": set()}
    row = PARITY_ROWS.setdefault((case["of"], case["twin"], dtype, device), [0, 0, 0.0])
    if (dtype, device) not in case["counted"]:  # the case's first comparison of this kind
        case["counted"].add((dtype, device))
        row[0] += 1
    row[1] += 1
    row[2] = max(row[2], relative)


def twin_names(module, torch_module):
    """The report's names of a dlbook module and its twin, ("Linear", "torch.nn.Linear"), or
    (None, None) for a module defined outside dlbook (a test's own composite)."""
    if not type(module).__module__.startswith("dlbook."):
        return None, None
    return type(module).__name__, f"torch.nn.{type(torch_module).__name__}"


def torch_forward_backward(fn, x, grad_out, device: str = "cpu"):
    """Torch's answer: ``y = fn(x)`` and dL/dx for upstream gradient ``grad_out``, on ``device``."""
    x_t = to_torch(x, device, requires_grad=True)
    y_t = fn(x_t)
    y_t.backward(to_torch(grad_out, device))
    return y_t, x_t.grad


def torch_dtype(dtype):
    """The torch dtype of a NumPy dtype."""
    import torch

    return {np.dtype(np.float32): torch.float32, np.dtype(np.float64): torch.float64}[
        np.dtype(dtype)]


def twins(module, torch_module, dtype, device: str = "cpu"):
    """Put ``module`` and ``torch_module`` in one state: torch's init, ``dtype``, ``device``."""
    torch_module.to(device=device, dtype=torch_dtype(dtype))
    module.to(np.dtype(dtype)).to(device)
    module.load_state_dict(torch_module.state_dict())
    return module, torch_module


def assert_module_matches_torch(module, torch_module, x, grad_out, device: str = "cpu"):
    """Forward, dL/dx and every parameter's gradient of ``module`` equal its torch twin's.

    Both must hold the same state (see ``twins``); ``x`` and ``grad_out`` are arrays on
    ``device``. The parameter names are compared too: they are the state_dict keys.
    """
    y = module(x)
    dx = module.backward(grad_out)
    x_t = to_torch(x, device, requires_grad=True)
    y_t = torch_module(x_t)
    y_t.backward(to_torch(grad_out, device))
    name = type(module).__name__
    with parity_case(*twin_names(module, torch_module)):
        assert_close(y, y_t, name=f"{name} forward")
        assert_close(dx, x_t.grad, name=f"{name} dL/dx")
        grads = {n: p.grad for n, p in module.named_parameters()}
        torch_grads = {n: p.grad for n, p in torch_module.named_parameters()}
        assert grads.keys() == torch_grads.keys()
        for key, grad in grads.items():
            assert_close(grad, torch_grads[key], name=f"{name} dL/d{key}")


def assert_loss_matches_torch(criterion, torch_criterion, input, target, device: str = "cpu",
                              grad_out=None):
    """The loss and dL/dinput of ``criterion`` equal its torch twin's.

    ``grad_out`` is the upstream gradient for reduction="none" (an array of the loss's shape).
    """
    loss = criterion(input, target)
    d_input = criterion.backward(1.0 if grad_out is None else grad_out)
    input_t = to_torch(input, device, requires_grad=True)
    loss_t = torch_criterion(input_t, to_torch(target, device))
    loss_t.backward(None if grad_out is None else to_torch(grad_out, device))
    name = type(criterion).__name__
    if grad_out is None:
        assert isinstance(loss, float), f"{name} should return a Python float, got {type(loss)}"
        loss = np.asarray(loss, dtype=to_numpy(input).dtype)
    with parity_case(*twin_names(criterion, torch_criterion)):
        assert_close(loss, loss_t, name=f"{name} loss")
        assert_close(d_input, input_t.grad, name=f"{name} dL/dinput")


__all__ = [
    "PARITY_RECORD",
    "PARITY_ROWS",
    "TOLERANCES",
    "assert_close",
    "assert_loss_matches_torch",
    "assert_module_matches_torch",
    "gradcheck",
    "parity_case",
    "record_comparison",
    "to_numpy",
    "to_torch",
    "torch_dtype",
    "torch_forward_backward",
    "twin_names",
    "twins",
]
