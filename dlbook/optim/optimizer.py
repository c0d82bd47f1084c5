"""``Optimizer``: the machinery every optimizer shares, with torch.optim.Optimizer's API.

An optimizer holds its parameters in *param groups*: dicts of ``"params"`` (a list of
Parameters) and the group's hyperparameters (``"lr"``, ...), so that parts of a model can
train at different rates. ``step()`` updates, in place, every parameter that has a ``.grad``;
what an update rule remembers between steps (a step count, moving averages) lives in
``state[param]`` under torch's names, so ``state_dict()`` moves between dlbook and torch.

The checks at the bottom are the one place where optimizers word their errors.
"""

from collections import defaultdict
from collections.abc import Mapping

import numpy as np

from dlbook.backend import is_array, to_device
from dlbook.nn.parameter import Parameter


class Optimizer:
    """Base class: param groups, ``state``, ``zero_grad``, ``state_dict``/``load_state_dict``.

    ``params`` is an iterable of Parameters, or of dicts (param groups) each holding
    ``"params"`` and any hyperparameters that differ from ``defaults``. Subclasses check their
    arguments, call ``super().__init__(params, defaults)`` and define ``step()``.
    """

    def __init__(self, params, defaults: dict):
        self.defaults = defaults
        self.state = defaultdict(dict)  # Parameter -> its state, filled by step()
        self.param_groups = []
        groups = _as_list(self, params)
        if not groups:
            raise ValueError(f"{type(self).__name__}: optimizer got an empty parameter list")
        if not isinstance(groups[0], Mapping):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group: dict):
        """Add a group: its ``"params"`` and hyperparameters, the defaults filling the rest."""
        group = dict(param_group)
        params = group["params"]  # a group may hold a lone Parameter, as in torch
        group["params"] = [params] if isinstance(params, Parameter) else _as_list(self, params)
        for param in group["params"]:
            if not isinstance(param, Parameter):
                hint = "; pass model.parameters()" if hasattr(param, "parameters") else ""
                raise TypeError(f"{type(self).__name__}: can only optimize Parameters, but one"
                                f" of the params is {type(param).__name__}{hint}")
        for name, default in self.defaults.items():
            group.setdefault(name, default)
        taken = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in taken for p in group["params"]):
            raise ValueError(f"{type(self).__name__}: some parameters appear in more than one"
                             " parameter group")
        self.param_groups.append(group)

    def zero_grad(self, set_to_none: bool = True):
        """Forget every gradient: ``.grad = None`` (torch's default), or zero it in place."""
        for group in self.param_groups:
            for param in group["params"]:
                if set_to_none or param.grad is None:
                    param.grad = None
                else:
                    param.grad[...] = 0

    def step(self, closure=None):
        raise NotImplementedError(f"{type(self).__name__} does not define step")

    def _gradients(self):
        """(group, parameter array, gradient, state) for each parameter with a gradient.

        The loop every ``step`` runs. Torch skips a parameter whose ``.grad`` is None (it
        took no part in the loss). With ``maximize`` the gradient is negated: ascent.
        """
        for group in self.param_groups:
            for param in group["params"]:
                if param.grad is not None:
                    grad = -param.grad if group["maximize"] else param.grad
                    yield group, param.data, grad, self.state[param]

    # -- saving and loading, in torch's layout ------------------------------------------------
    def state_dict(self) -> dict:
        """``{"state": {index: {...}}, "param_groups": [{..., "params": [indices]}]}``.

        Parameters are numbered in order across the groups, as torch does; the state holds the
        optimizer's own arrays (not copies), as torch's holds its tensors.
        """
        index = {id(p): i for i, p in enumerate(p for g in self.param_groups for p in g["params"])}
        groups = [{**{k: v for k, v in g.items() if k != "params"},
                   "params": [index[id(p)] for p in g["params"]]} for g in self.param_groups]
        state = {index[id(p)]: dict(s) for p, s in self.state.items() if s}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: Mapping):
        """Load a ``state_dict()`` of this optimizer, from dlbook or torch.

        Torch tensors become NumPy (or CuPy) arrays in each parameter's dtype and device;
        torch's tensor ``"step"`` becomes an int. The saved hyperparameters replace the
        groups' own, as in torch.
        """
        name = f"{type(self).__name__}.load_state_dict"
        saved = state_dict["param_groups"]
        if len(saved) != len(self.param_groups):
            raise ValueError(f"{name}: loaded state dict has a different number of parameter"
                             f" groups ({len(saved)}) than the optimizer"
                             f" ({len(self.param_groups)})")
        for i, (ours, theirs) in enumerate(zip(self.param_groups, saved, strict=True)):
            if len(ours["params"]) != len(theirs["params"]):
                raise ValueError(f"{name}: loaded state dict's parameter group {i} has"
                                 f" {len(theirs['params'])} parameters, the optimizer's has"
                                 f" {len(ours['params'])}")
            missing = [k for k in self.defaults if k not in theirs]
            if missing:
                raise ValueError(f"{name}: loaded parameter group {i} lacks {missing}: it is the"
                                 f" state of another optimizer, not {type(self).__name__}")
        state = defaultdict(dict)
        for ours, theirs in zip(self.param_groups, saved, strict=True):
            for param, index in zip(ours["params"], theirs["params"], strict=True):
                if index in state_dict["state"]:
                    state[param] = {key: _state_value(name, param, key, value)
                                    for key, value in state_dict["state"][index].items()}
        self.state = state
        self.param_groups = [{**theirs, "params": ours["params"]}
                             for ours, theirs in zip(self.param_groups, saved, strict=True)]

    def __repr__(self):
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {v}" for k, v in sorted(group.items()) if k != "params"]
        return "\n".join(lines + [")"])


def state_dict_to_torch(state_dict: Mapping) -> dict:
    """A dlbook optimizer ``state_dict()`` that a torch optimizer's ``load_state_dict`` takes.

    Torch wants tensors where dlbook keeps arrays, and a float32 tensor for ``"step"``;
    everything else (the indices, the hyperparameters) is the same in both.
    """
    import torch

    def tensor(key, value):
        if key == "step":
            return torch.tensor(float(value), dtype=torch.float32)
        return torch.tensor(to_device(value, "cpu")) if is_array(value) else value

    return {"state": {i: {k: tensor(k, v) for k, v in s.items()}
                      for i, s in state_dict["state"].items()},
            "param_groups": [dict(g) for g in state_dict["param_groups"]]}


# -- checks: the one place where optimizers word their errors (as torch's, naming dlbook's) ----
def check_at_least_zero(owner, **values):
    """Raise ValueError naming ``owner`` for the first of ``values`` (lr=..., ...) below 0."""
    for name, value in values.items():
        if not value >= 0:  # `not >=` refuses NaN as well
            what = "learning rate" if name == "lr" else f"{name} value"
            raise ValueError(f"{type(owner).__name__}: Invalid {what}: {value} ({name} must be"
                             " >= 0)")


def check_betas(owner, betas):
    """Raise ValueError naming ``owner`` unless both betas lie in [0, 1)."""
    for i, beta in enumerate(betas):
        if not 0 <= beta < 1:
            raise ValueError(f"{type(owner).__name__}: Invalid beta parameter at index {i}:"
                             f" {beta} (betas must lie in [0, 1))")


def check_nesterov(owner, nesterov: bool, momentum, dampening):
    """Raise ValueError naming ``owner`` for Nesterov momentum without momentum or with
    dampening: its look-ahead step is defined for an undamped velocity only."""
    if nesterov and (momentum <= 0 or dampening != 0):
        raise ValueError(f"{type(owner).__name__}: Nesterov momentum requires a momentum and"
                         f" zero dampening, got momentum={momentum}, dampening={dampening}")


def _as_list(owner, params) -> list:
    """``params`` as a list, refusing a lone Parameter or a set (no order) as torch does."""
    if isinstance(params, Parameter):
        raise TypeError(f"{type(owner).__name__}: params argument given to the optimizer should"
                        " be an iterable of Parameters or dicts, but got a single"
                        f" {type(params).__name__}; wrap it in a list")
    if isinstance(params, set):
        raise TypeError(f"{type(owner).__name__}: optimizer parameters need to be organized in"
                        " ordered collections, but the ordering of a set changes between runs;"
                        " use a list")
    return list(params)


def _state_value(owner: str, param, key: str, value):
    """A saved state value for ``param``: an array of its dtype and device, an int step."""
    if hasattr(value, "detach"):  # a torch tensor
        value = value.detach().cpu().numpy()
    if key == "step":
        return int(value)  # torch keeps a float32 tensor; the count is an integer
    if not is_array(value):
        return value
    if value.shape != param.shape:
        raise ValueError(f"{owner}: state {key!r} has shape {tuple(value.shape)} but its"
                         f" parameter has shape {tuple(param.shape)}")
    return to_device(np.array(to_device(value, "cpu"), dtype=param.dtype), param.device)
