"""What one forward call saves for its backward, and when that is freed.

A module may run several times before a backward: one ReLU used twice, a Linear tied to
itself, a cell stepped over time. So every forward call gets a record of its own, a ``Call``.
What ``forward`` assigns to ``self`` (``self.x = x``) goes into the record of that call, and
``backward`` undoes the newest call not yet undone (last in, first out), reading its record.
Calls a forward makes to other modules belong to it; its backward undoes them.

Saved values are freed as torch frees a graph: by the backward that uses them, or when the
output of the call can no longer be reached. For that, a call from outside any forward (a
*root* call such as ``model(x)`` or ``criterion(y, t)``) hands back a fresh view of its
output and watches it through a weak reference; before the next root call, records that
nothing reachable leads to are dropped. Under ``dlbook.no_grad()`` nothing is kept at all.
"""

import math
import weakref

import numpy as np

from dlbook.backend import is_array
from dlbook.grad_mode import is_grad_enabled
from dlbook.nn.checks import check_shape

_forwards: list["Call"] = []    # the calls whose forward is running, innermost last
_backwards: list["Call"] = []   # the calls whose backward is running, innermost last
_roots: dict[int, "Call"] = {}  # root calls saved and not yet undone, by id, oldest first
_prune_at = 0                   # past a few saved root calls, look again at this many
_handed_out: dict[int, tuple] = {}  # id(view) -> (weak ref to the view, its call, the array)


class Call:
    """One forward call of ``module``: the values it saved and the calls made inside it."""

    __slots__ = ("module", "saved", "inner", "sources", "outputs", "shapes", "is_root", "done")

    def __init__(self, module, is_root: bool):
        self.module = module
        self.saved = {}       # name -> value, from ``self.name = value`` in forward
        self.inner = []       # the calls this forward made, in order
        self.sources = []     # root calls whose outputs this root call took as inputs
        self.outputs = []     # weak references to what a root call handed back
        self.shapes = []      # the shape of each output (None for a float), to check gradients
        self.is_root = is_root
        self.done = False     # undone by backward, or dropped


class ScalarOutput(float):
    """A Python float that a root call returns (a loss): a float that can be watched weakly."""

    __slots__ = ("__weakref__",)


def run_forward(module, forward, args, kwargs):
    """Call ``forward(module, *args, **kwargs)`` with a record to save into; keep the record."""
    keep = is_grad_enabled()
    is_root = not _forwards
    call = Call(module, is_root)
    if keep and is_root:
        _drop_unreachable_now_and_then()
        args, kwargs = _unwrap(args, call), _unwrap(kwargs, call)
    _forwards.append(call)
    module._running.append(call)
    try:
        output = forward(module, *args, **kwargs)
    finally:
        module._running.pop()
        _forwards.pop()
    if not keep:
        module._why_empty = "no_grad"
        return output
    call.shapes = [None if _is_float(o) else tuple(o.shape) for o in _leaves(output)]
    module._pending.append(call)
    if not is_root:
        _forwards[-1].inner.append(call)
        return output
    _roots[id(call)] = call
    return _hand_out(output, call)


def run_backward(module, backward, args, kwargs):
    """Undo the newest call of ``module`` not yet undone: ``backward`` reads its saved values."""
    call = _newest_call(module)
    _check_gradients(module, call, args, kwargs)
    _remove(call)
    module._why_empty = "undone"
    _backwards.append(call)
    module._running.append(call)
    try:
        return backward(module, *args, **kwargs)
    finally:
        module._running.pop()
        _backwards.pop()
        for inner in call.inner:  # what this backward did not undo can never be undone
            _drop(inner)


def _newest_call(module):
    # Inside a backward, undo the newest call this module made for it; else the newest of all.
    if _backwards:
        for call in reversed(_backwards[-1].inner):
            if call.module is module and not call.done:
                return call
    if module._pending:
        return module._pending[-1]
    raise RuntimeError(f"{module.label()}: {_WHY_NOTHING_TO_UNDO[module._why_empty]}")


_WHY_NOTHING_TO_UNDO = {
    "never": "backward() called before forward()",
    "undone": "Trying to backward through the graph a second time, or after the saved values"
              " were freed: each forward call is undone by one backward, and a call whose output"
              " was dropped is freed at the next forward; run forward again, keeping its output",
    "no_grad": "the forward ran under dlbook.no_grad(), which saves nothing for backward",
    "dropped": "what its forward saved was freed when its output could no longer be reached;"
               " keep the output (y = model(x)) until backward",
}


def _check_gradients(module, call, args, kwargs):
    """Each gradient has its output's shape; only a one-element output may go without one."""
    if not args and not kwargs:
        for shape in call.shapes:
            if shape is not None and math.prod(shape) != 1:
                raise RuntimeError(f"{module.label()}: backward() needs grad_out for an output of"
                                   f" shape {shape}: grad can be implicitly created only for"
                                   " scalar outputs")
    # None holds its output's place: rnn.backward(None, grad_h_n) checks grad_h_n against h_n
    for grad, shape in zip(_leaves(args, keep_none=True), call.shapes, strict=False):
        if shape is not None and grad is not None:
            ok = grad.shape == shape if is_array(grad) else math.prod(shape) == 1
            check_shape(module, grad, ok, f"{shape} (the output's shape)", "grad_out")


def _is_float(value) -> bool:
    return isinstance(value, float) and not isinstance(value, np.generic)


def _leaves(value, keep_none: bool = False):
    """The arrays and floats in ``value``, looking inside tuples and lists (and its Nones, with
    ``keep_none``)."""
    if isinstance(value, tuple | list):
        return [leaf for item in value for leaf in _leaves(item, keep_none)]
    keep = is_array(value) or isinstance(value, float | np.generic) or (keep_none and value is None)
    return [value] if keep else []


# -- root calls: handing out outputs and freeing what cannot be reached -----------------------
def _hand_out(output, call):
    """A fresh view of each array (a weakly referable float for a float) that ``call`` watches.

    The view, not the array, goes to the caller: saved values may hold the array itself
    (Sigmoid keeps its output), and must not keep their own call alive.
    """
    if isinstance(output, tuple | list):
        return _rebuild(output, [_hand_out(item, call) for item in output])
    if isinstance(output, np.generic):  # NumPy turns 0-d results into scalars; torch keeps 0-d
        output = np.asarray(output)
    if is_array(output):
        view = output.view()
        key = id(view)
        ref = weakref.ref(view, lambda ref, key=key: _forget(key, ref))
        _handed_out[key] = (ref, call, output)
    elif isinstance(output, float):
        view = ScalarOutput(output)
        ref = weakref.ref(view)
    else:
        return output
    call.outputs.append(ref)
    return view


def _rebuild(sequence, items):
    """``items`` in a sequence of the type of ``sequence`` (a namedtuple takes them one by one)."""
    return type(sequence)(*items) if hasattr(sequence, "_fields") else type(sequence)(items)


def _forget(key, ref):
    if key in _handed_out and _handed_out[key][0] is ref:
        del _handed_out[key]


def _unwrap(value, call):
    """Replace outputs of earlier root calls by their arrays, noting those calls as sources."""
    if isinstance(value, dict):
        return {name: _unwrap(item, call) for name, item in value.items()}
    if isinstance(value, tuple | list):
        return _rebuild(value, [_unwrap(item, call) for item in value])
    entry = _handed_out.get(id(value))
    if entry is None or entry[0]() is not value:
        return value
    call.sources.append(entry[1])
    return entry[2]


def _drop_unreachable_now_and_then():
    """Drop unreachable calls before each root call while few are saved, else now and then.

    A learner may keep hundreds of losses in a list; looking through all of them before every
    call would cost more than the calls, so past a few dozen saved calls the next look waits
    until their number has doubled: a constant cost per call, and memory at most twice what
    is reachable. An evaluation loop keeps nothing and is freed call by call.
    """
    global _prune_at
    if len(_roots) <= _FEW or len(_roots) >= _prune_at:
        _drop_unreachable()
        _prune_at = 2 * len(_roots)


_FEW = 64


def _drop_unreachable():
    """Drop the root calls that no output still held leads to.

    A root call is kept while one of its outputs is alive, and so is every call it took
    inputs from. A loss (a call whose outputs are floats) whose value was not kept stays while
    a call it took inputs from stays, so ``total += criterion(y, t)`` still backpropagates.
    """
    kept = set()

    def keep(call):
        if id(call) not in kept:
            kept.add(id(call))
            for source in call.sources:
                keep(source)

    for call in _roots.values():
        if any(ref() is not None for ref in call.outputs):
            keep(call)
    for call in _roots.values():
        is_loss = call.shapes and all(shape is None for shape in call.shapes)
        if is_loss and any(id(source) in kept for source in call.sources):
            keep(call)
    for call in [call for call in _roots.values() if id(call) not in kept]:
        _drop(call)


def _remove(call):
    call.done = True
    pending = call.module._pending
    for i in range(len(pending) - 1, -1, -1):
        if pending[i] is call:
            del pending[i]
            break
    if call.is_root:
        del _roots[id(call)]


def _drop(call):
    """Free ``call`` and every call made inside it."""
    if call.done:
        return
    _remove(call)
    call.module._why_empty = "dropped"
    for inner in call.inner:
        _drop(inner)
