"""``Parameter`` and ``Module``: the machinery every layer shares. It knows nothing of any layer.

A module's ``forward`` keeps what its ``backward(grad_out)`` needs; ``backward`` adds each
parameter's gradient to ``.grad`` (accumulating, as torch does, until ``zero_grad()``) and
returns the gradient of the input.
"""

import functools
from collections import OrderedDict, namedtuple

import numpy as np

from dlbook.backend import get_array_module, to_device

IncompatibleKeys = namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])


class Parameter:
    """A trainable array: ``.data`` holds its values, ``.grad`` dL/d(data) or None."""

    def __init__(self, data):
        self.data = data
        self.grad = None

    @property
    def shape(self):
        return self.data.shape

    @property
    def dtype(self):
        return self.data.dtype

    def accumulate_grad(self, grad):
        """Add ``grad`` to ``.grad``: a parameter used twice gets the sum of both gradients."""
        self.grad = grad if self.grad is None else self.grad + grad

    def __repr__(self):
        return f"Parameter containing:\n{self.data!r}"


class Module:
    """Base class of every layer and network, with torch.nn.Module's API.

    Assigning a ``Parameter`` or a ``Module`` to an attribute registers it, so that
    ``parameters()``, ``state_dict()`` and ``to()`` find it.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # A backward before any forward gets a clear error, not an AttributeError on a cache.
        if "forward" in cls.__dict__:
            cls.forward = _marks_forward(cls.forward)
        if "backward" in cls.__dict__:
            cls.backward = _needs_forward(cls.backward)

    def __init__(self):
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_modules", OrderedDict())
        self.training = True

    # -- registration ------------------------------------------------------------------------
    def __setattr__(self, name, value):
        if isinstance(value, Parameter):
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._modules[name] = value
        elif name in self._buffers:  # a new value for a buffer, e.g. a running mean
            self._buffers[name] = value
        else:
            object.__setattr__(self, name, value)

    def __getattr__(self, name):
        # Only called when normal lookup fails: look in the registries.
        for registry in ("_parameters", "_buffers", "_modules"):
            found = self.__dict__.get(registry, {})
            if name in found:
                return found[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def register_buffer(self, name: str, array):
        """Keep ``array`` as state that is saved and moved with the module but not trained."""
        self._buffers[name] = array

    # -- computation -------------------------------------------------------------------------
    def forward(self, *inputs):
        raise NotImplementedError(f"{type(self).__name__} does not define forward")

    def backward(self, grad_out):
        raise NotImplementedError(f"{type(self).__name__} does not define backward")

    def __call__(self, *inputs):
        return self.forward(*inputs)

    # -- traversal ---------------------------------------------------------------------------
    def named_children(self):
        yield from self._modules.items()

    def children(self):
        for _, module in self.named_children():
            yield module

    def named_modules(self, prefix: str = ""):
        """This module, then every submodule depth first, with dotted names as torch gives."""
        yield prefix, self
        for name, child in self.named_children():
            yield from child.named_modules(f"{prefix}.{name}" if prefix else name)

    def modules(self):
        for _, module in self.named_modules():
            yield module

    def named_parameters(self, prefix: str = ""):
        yield from self._named_members("_parameters", prefix)

    def parameters(self):
        for _, param in self.named_parameters():
            yield param

    def named_buffers(self, prefix: str = ""):
        yield from self._named_members("_buffers", prefix)

    def _named_members(self, registry: str, prefix: str):
        for module_name, module in self.named_modules(prefix):
            for name, member in getattr(module, registry).items():
                yield (f"{module_name}.{name}" if module_name else name), member

    # -- state -------------------------------------------------------------------------------
    def state_dict(self):
        """Parameters and buffers by torch's keys and in torch's order (``0.weight``, ...)."""
        state = OrderedDict()
        self._save_to(state, "")
        return state

    def _save_to(self, state, prefix):
        for name, param in self._parameters.items():
            state[prefix + name] = param.data
        for name, buffer in self._buffers.items():
            state[prefix + name] = buffer
        for name, child in self._modules.items():
            child._save_to(state, f"{prefix}{name}.")

    def load_state_dict(self, state_dict, strict: bool = True):
        """Copy values from ``state_dict`` (NumPy arrays or torch tensors) into this module.

        Values are cast to each parameter's own dtype and device, as torch does. With
        ``strict``, a missing or unexpected key is an error; a wrong shape always is.
        """
        own = self.state_dict()
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        errors = []
        if strict and missing:
            errors.append("Missing key(s) in state_dict: " + ", ".join(map(repr, missing)))
        if strict and unexpected:
            errors.append("Unexpected key(s) in state_dict: " + ", ".join(map(repr, unexpected)))
        values = {}
        for key in own.keys() & state_dict.keys():
            value = _to_numpy(state_dict[key])
            if value.shape != own[key].shape:
                errors.append(f"size mismatch for {key}: copying a param with shape {value.shape}"
                              f" from checkpoint, the shape in current model is {own[key].shape}")
            values[key] = value
        if errors:
            raise RuntimeError(f"Error(s) in loading state_dict for {type(self).__name__}:\n\t"
                               + "\n\t".join(errors))
        for module_name, module in self.named_modules():
            prefix = f"{module_name}." if module_name else ""
            for name, param in module._parameters.items():
                if prefix + name in values:
                    param.data = _like(values[prefix + name], param.data)
            for name, buffer in module._buffers.items():
                if prefix + name in values:
                    module._buffers[name] = _like(values[prefix + name], buffer)
        return IncompatibleKeys(missing, unexpected)

    # -- modes and conversions ---------------------------------------------------------------
    def train(self, mode: bool = True):
        for module in self.modules():
            module.training = mode
        return self

    def eval(self):
        return self.train(False)

    def zero_grad(self):
        """Forget every parameter's gradient (``.grad = None``, torch's default)."""
        for param in self.parameters():
            param.grad = None

    def to(self, target):
        """Move to a device ("cpu", "cuda") or cast floating state to a dtype; returns self."""
        if isinstance(target, str):
            convert = lambda a: to_device(a, target)  # noqa: E731
        else:
            dtype = np.dtype(target)
            convert = lambda a: a.astype(dtype) if a.dtype.kind == "f" else a  # noqa: E731
        for module in self.modules():
            for param in module._parameters.values():
                param.data = convert(param.data)
                param.grad = None if param.grad is None else convert(param.grad)
            for name, buffer in module._buffers.items():
                module._buffers[name] = convert(buffer)
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

    # -- printing ----------------------------------------------------------------------------
    def extra_repr(self) -> str:
        return ""

    def __repr__(self):
        children = [f"({name}): {_indent(repr(child))}" for name, child in self.named_children()]
        if not children:
            return self.label()
        lines = ([self.extra_repr()] if self.extra_repr() else []) + children
        return f"{type(self).__name__}(\n  " + "\n  ".join(lines) + "\n)"

    def label(self) -> str:
        """How errors name this module: ``Linear(in_features=3, out_features=2, bias=True)``."""
        return f"{type(self).__name__}({self.extra_repr()})"


def _marks_forward(forward):
    @functools.wraps(forward)
    def wrapper(self, *inputs):
        object.__setattr__(self, "_forward_done", True)
        return forward(self, *inputs)

    return wrapper


def _needs_forward(backward):
    @functools.wraps(backward)
    def wrapper(self, *args):
        if not self.__dict__.get("_forward_done"):
            raise RuntimeError(f"{self.label()}: backward() called before forward()")
        return backward(self, *args)

    return wrapper


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
