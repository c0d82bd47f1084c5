"""``Module``: the machinery every layer shares. It knows nothing of any layer.

A module's ``forward`` keeps what its ``backward(grad_out)`` needs by assigning it to ``self``
(``self.x = x``); ``backward`` adds each parameter's gradient to ``.grad`` (accumulating, as
torch does, until ``zero_grad()``) and returns the gradient of the input. Each forward call
keeps its own saved values, so a module may run several times before its backwards, which
undo the calls last in, first out (see ``graph.py``).
"""

import functools
from collections import OrderedDict, namedtuple
from collections.abc import Mapping

import numpy as np

from dlbook.backend import as_device, as_dtype, get_array_module, is_array, to_device
from dlbook.nn import graph
from dlbook.nn.parameter import Parameter

IncompatibleKeys = namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])


class Module:
    """Base class of every layer and network, with torch.nn.Module's API.

    Assigning a ``Parameter`` or a ``Module`` to an attribute registers it, so that
    ``parameters()``, ``state_dict()`` and ``to()`` find it. Subclasses call
    ``super().__init__()`` first, as in torch.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # Every forward call saves into a record of its own; backward undoes the newest one.
        if "forward" in cls.__dict__:
            cls.forward = _recorded(cls.forward, graph.run_forward)
        if "backward" in cls.__dict__:
            cls.backward = _recorded(cls.backward, graph.run_backward)

    def __init__(self):
        object.__setattr__(self, "_pending", [])   # forward calls not yet undone by backward
        object.__setattr__(self, "_running", [])   # the calls whose forward/backward is running
        object.__setattr__(self, "_why_empty", "never")  # why no call is left to undo
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_modules", OrderedDict())
        self.training = True

    # -- registration ------------------------------------------------------------------------
    def __setattr__(self, name, value):
        params, modules = self.__dict__.get("_parameters"), self.__dict__.get("_modules")
        if params is None:  # Module.__init__ has not run: nothing to register into
            if isinstance(value, Parameter | Module):
                kind = "parameters" if isinstance(value, Parameter) else "module"
                raise AttributeError(f"cannot assign {kind} before Module.__init__() call")
            object.__setattr__(self, name, value)
        elif isinstance(value, Parameter):
            self._unset(name)
            params[name] = value
        elif name in params:
            _check_assignable(value, name, "parameter", "Parameter")
            params[name] = value
        elif isinstance(value, Module):
            self._unset(name)
            modules[name] = value
        elif name in modules:
            _check_assignable(value, name, "child module", "Module")
            modules[name] = value
        elif name in self._buffers:  # a new value for a buffer, e.g. a running mean
            self._buffers[name] = value
        elif self._running and name not in self.__dict__:
            self._running[-1].saved[name] = value  # saved by this forward call for its backward
        else:
            object.__setattr__(self, name, value)

    def __getattr__(self, name):
        # Only called when normal lookup fails: the registries, then the values a forward saved
        # (of the call now running, or else of the newest call awaiting its backward).
        for registry in ("_parameters", "_buffers", "_modules"):
            found = self.__dict__.get(registry, {})
            if name in found:
                return found[name]
        calls = self.__dict__.get("_running") or self.__dict__.get("_pending")
        if calls and name in calls[-1].saved:
            return calls[-1].saved[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name):
        for registry in ("_parameters", "_buffers", "_modules"):
            if name in self.__dict__.get(registry, {}):
                del self.__dict__[registry][name]
                return
        object.__delattr__(self, name)

    def _unset(self, name):
        """Forget ``name`` as a plain attribute, a buffer or a child before registering it anew."""
        self.__dict__.pop(name, None)
        for registry in ("_parameters", "_buffers", "_modules"):
            self.__dict__[registry].pop(name, None)

    def register_buffer(self, name: str, array):
        """Keep ``array`` as state that is saved and moved with the module but not trained."""
        self._unset(name)
        self._buffers[name] = array

    def register_parameter(self, name: str, param):
        """Register ``param`` (a Parameter, or None for an absent one such as bias=False)."""
        _check_assignable(param, name, "parameter", "Parameter")
        self._unset(name)
        self._parameters[name] = param

    def add_module(self, name: str, module):
        """Register ``module`` as the child ``name``, refusing anything that is not a Module."""
        if not isinstance(module, Module) and module is not None:
            raise TypeError(f"{typename(module)} is not a Module subclass")
        self._unset(name)
        self._modules[name] = module

    register_module = add_module

    # -- computation -------------------------------------------------------------------------
    def forward(self, *inputs):
        raise NotImplementedError(f"{type(self).__name__} does not define forward")

    def backward(self, grad_out):
        raise NotImplementedError(f"{type(self).__name__} does not define backward")

    def __call__(self, *inputs, **kwargs):
        return self.forward(*inputs, **kwargs)

    # -- traversal: each module and parameter once, however often it is used (torch) ---------
    def named_children(self):
        seen = set()
        for name, module in self._modules.items():
            if module is not None and id(module) not in seen:
                seen.add(id(module))
                yield name, module

    def children(self):
        for _, module in self.named_children():
            yield module

    def named_modules(self, memo=None, prefix: str = "", remove_duplicate: bool = True):
        """This module, then every submodule depth first, with dotted names as torch gives."""
        memo = set() if memo is None else memo
        if remove_duplicate:
            if id(self) in memo:
                return
            memo.add(id(self))
        yield prefix, self
        for name, child in self._modules.items():
            if child is not None:
                yield from child.named_modules(memo, f"{prefix}.{name}" if prefix else name,
                                               remove_duplicate)

    def modules(self):
        for _, module in self.named_modules():
            yield module

    def named_parameters(self, prefix: str = "", recurse: bool = True,
                         remove_duplicate: bool = True):
        yield from self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True):
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(self, prefix: str = "", recurse: bool = True,
                      remove_duplicate: bool = True):
        yield from self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True):
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    def _named_members(self, registry: str, prefix: str, recurse: bool, remove_duplicate: bool):
        seen = set()
        modules = (self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
                   if recurse else [(prefix, self)])
        for module_name, module in modules:
            for name, member in getattr(module, registry).items():
                if member is None or (remove_duplicate and id(member) in seen):
                    continue
                seen.add(id(member))
                yield (f"{module_name}.{name}" if module_name else name), member

    # -- state -------------------------------------------------------------------------------
    def state_dict(self):
        """Parameters and buffers by torch's keys and in torch's order (``0.weight``, ...).

        A module used twice appears under both names, as in torch.
        """
        state = OrderedDict()
        self._save_to(state, "")
        return state

    def _save_to(self, state, prefix):
        for name, param in self._parameters.items():
            if param is not None:
                state[prefix + name] = param.data
        for name, buffer in self._buffers.items():
            if buffer is not None:
                state[prefix + name] = buffer
        for name, child in self._modules.items():
            if child is not None:
                child._save_to(state, f"{prefix}{name}.")

    def load_state_dict(self, state_dict, strict: bool = True):
        """Copy values from ``state_dict`` (NumPy arrays or torch tensors) into this module.

        Values are cast to each parameter's own dtype and device, as torch does. With
        ``strict``, a missing or unexpected key is an error; a wrong shape always is.
        """
        if not isinstance(state_dict, Mapping):
            hint = "; pass model.state_dict()" if isinstance(state_dict, Module) else ""
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}{hint}.")
        own = self.state_dict()
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        errors = []
        if strict and missing:
            errors.append("Missing key(s) in state_dict: " + ", ".join(map(repr, missing)))
        if strict and unexpected:
            errors.append("Unexpected key(s) in state_dict: " + ", ".join(map(repr, unexpected)))
        values = {}
        for key in [k for k in own if k in state_dict]:
            value = state_dict[key]
            if not (is_array(value) or hasattr(value, "detach")):
                errors.append(f'While copying the parameter named "{key}", expected an array or'
                              f" a torch tensor from checkpoint but received {type(value)}")
                continue
            value = _to_numpy(value)
            if value.shape != own[key].shape:
                errors.append(f"size mismatch for {key}: copying a param with shape {value.shape}"
                              f" from checkpoint, the shape in current model is {own[key].shape}")
            values[key] = value
        if errors:
            raise RuntimeError(f"Error(s) in loading state_dict for {type(self).__name__}:\n\t"
                               + "\n\t".join(errors))
        for module_name, module in self.named_modules(remove_duplicate=False):
            prefix = f"{module_name}." if module_name else ""
            for name, param in module._parameters.items():
                if param is not None and prefix + name in values:
                    param.data = _like(values[prefix + name], param.data)
            for name, buffer in module._buffers.items():
                if buffer is not None and prefix + name in values:
                    module._buffers[name] = _like(values[prefix + name], buffer)
        return IncompatibleKeys(missing, unexpected)

    # -- modes and conversions ---------------------------------------------------------------
    def train(self, mode: bool = True):
        for module in self.modules():
            module.training = mode
        return self

    def eval(self):
        return self.train(False)

    def apply(self, fn):
        """Call ``fn`` on every submodule, then on this module (e.g. to initialise weights)."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    def requires_grad_(self, requires_grad: bool = True):
        """Freeze (False) or unfreeze every parameter: frozen ones get no ``.grad``."""
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True):
        """Forget every parameter's gradient: ``.grad = None`` (torch's default), or zeros."""
        for param in self.parameters():
            if set_to_none or param.grad is None:
                param.grad = None
            else:
                param.grad[...] = 0

    def to(self, *args, device=None, dtype=None):
        """Move to a device ("cpu", "cuda") and/or cast floating state to a float dtype.

        As torch: ``to("cuda")``, ``to(np.float64)``, ``to("cpu", torch.float64)``,
        ``to(device=..., dtype=...)``. Returns self.
        """
        for arg in args:  # a string or torch.device is a device; anything else a dtype
            if isinstance(arg, str) or type(arg).__name__ == "device":
                device = arg
            else:
                dtype = arg
        if dtype is not None:
            dtype = as_dtype(dtype)
            if dtype.kind != "f":
                raise TypeError("Module.to only accepts floating point dtypes, but got desired"
                                f" dtype={dtype}")
        for module in self.modules():
            for param in module._parameters.values():
                if param is not None:
                    param.data = _convert(param.data, device, dtype)
                    param.grad = None if param.grad is None else _convert(param.grad, device,
                                                                          dtype)
            for name, buffer in module._buffers.items():
                if buffer is not None:
                    module._buffers[name] = _convert(buffer, device, dtype)
        return self

    def float(self):
        return self.to(np.float32)

    def double(self):
        return self.to(np.float64)

    @property
    def dtype(self):
        """The dtype of this module's parameters (None for a module without any)."""
        first = next(self.parameters(), None)
        return None if first is None else first.dtype

    # -- copying: a copy starts with no forward calls to undo --------------------------------
    def __getstate__(self):
        return {**self.__dict__, "_pending": [], "_running": [], "_why_empty": "never"}

    # -- printing ----------------------------------------------------------------------------
    def extra_repr(self) -> str:
        return ""

    def __repr__(self):
        children = [f"({name}): {_indent(repr(child))}" for name, child in self._modules.items()]
        if not children:
            return self.label()
        lines = ([self.extra_repr()] if self.extra_repr() else []) + children
        return f"{type(self).__name__}(\n  " + "\n  ".join(lines) + "\n)"

    def label(self) -> str:
        """How errors name this module: ``Linear(in_features=3, out_features=2, bias=True)``."""
        return f"{type(self).__name__}({self.extra_repr()})"


def _recorded(method, run):
    """Wrap a subclass's forward or backward so that ``run`` gives it its call's record.

    A ``super().forward(x)`` from an override runs inside the override's record.
    """
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if "_pending" not in self.__dict__:
            raise RuntimeError(f"{type(self).__name__}: Module.__init__() was not called;"
                               " start __init__ with super().__init__()")
        if getattr(type(self), method.__name__) is not wrapper:  # called through super()
            return method(self, *args, **kwargs)
        return run(self, method, args, kwargs)

    return wrapper


def _check_assignable(value, name: str, kind: str, expected: str):
    if value is not None and not isinstance(value, Parameter if kind == "parameter" else Module):
        raise TypeError(f"cannot assign '{typename(value)}' as {kind} '{name}'"
                        f" (dlbook.nn.{expected} or None expected)")


def typename(obj) -> str:
    """A class or an object's class as torch names it: ``numpy.ndarray``, ``list``."""
    if not hasattr(obj, "__qualname__"):  # an instance: name its class
        obj = type(obj)
    module = getattr(obj, "__module__", "") or ""
    return obj.__qualname__ if module in ("", "builtins") else f"{module}.{obj.__qualname__}"


def _indent(text: str) -> str:
    return text.replace("\n", "\n  ")


def _to_numpy(value):
    if hasattr(value, "detach"):  # a torch tensor, on any device
        return value.detach().cpu().numpy()
    return to_device(value, "cpu")


def _like(value, reference):
    """``value`` with the dtype and on the device of ``reference``."""
    xp = get_array_module(reference)
    return xp.asarray(value.astype(reference.dtype, copy=True))


def _convert(array, device, dtype):
    """``array`` on ``device`` and, if floating point, of ``dtype`` (None: leave as is)."""
    if device is not None:
        array = to_device(array, as_device(device))
    if dtype is not None and array.dtype.kind == "f":
        array = array.astype(dtype)
    return array
