"""Every optimizer, under every combination of its flags, follows torch.optim step for step.

The same small MLP is trained twice, by dlbook and by its torch twin (same weights, same
batch, MSELoss), for 25 steps; the parameters must stay equal to the dtype's tolerance.
``TwinRun`` is shared with test_optimizer_state.py.
"""

import inspect
import itertools

import numpy as np
import pytest
import torch

import dlbook.nn as nn
import dlbook.optim as optim
from dlbook.backend import to_device
from dlbook.testing import assert_close, parity_case, to_torch, twins

STEPS = 25
DTYPES = [np.float64, np.float32]


class TwinRun:
    """A dlbook MLP and its torch twin with the same weights, a fixed batch, and a training
    step for each: forward, MSELoss, backward, ``optimizer.step()``."""

    def __init__(self, dtype, device: str = "cpu", seed: int = 0):
        torch.manual_seed(seed)
        self.ours, self.theirs = twins(
            nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 3)),
            torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3)),
            dtype, device)
        rng = np.random.default_rng(seed)
        x = rng.standard_normal((16, 4)).astype(dtype)
        y = rng.standard_normal((16, 3)).astype(dtype)
        self.x, self.y = to_device(x, device), to_device(y, device)
        self.x_t, self.y_t = to_torch(x, device), to_torch(y, device)
        self.criterion = nn.MSELoss()

    def step_ours(self, optimizer, steps: int = 1):
        for _ in range(steps):
            optimizer.zero_grad()
            self.criterion(self.ours(self.x), self.y)
            self.ours.backward(self.criterion.backward())
            optimizer.step()

    def step_theirs(self, optimizer, steps: int = 1):
        for _ in range(steps):
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(self.theirs(self.x_t), self.y_t).backward()
            optimizer.step()

    def assert_same_parameters(self, what: str):
        theirs = dict(self.theirs.named_parameters())
        for name, param in self.ours.named_parameters():
            assert_close(param.data, theirs[name].detach(), name=f"{what}: {name}")


def combinations(**flags):
    """Every combination of the flags' values, as keyword dicts."""
    return [dict(zip(flags, values, strict=True)) for values in itertools.product(*flags.values())]


# The flags of each optimizer, each at zero/off and at a non-zero value (maximize: every
# combination for SGD and Adam, all flags on for the others). The lr moves the weights in 25
# steps yet keeps gradient ascent (maximize) out of tanh's saturation, where float32's
# 1 − tanh² loses its digits in either library.
CONFIGS = {
    "SGD": [dict(lr=0.01, **c) for c in combinations(
        momentum=[0, 0.9], dampening=[0, 0.1], nesterov=[False, True], weight_decay=[0, 0.01],
        maximize=[False, True]) if not (c["nesterov"] and (c["momentum"] == 0 or c["dampening"]))],
    "Adagrad": [dict(lr=0.05, **c) for c in combinations(
        lr_decay=[0, 0.1], weight_decay=[0, 0.01], initial_accumulator_value=[0, 0.1],
        maximize=[False])] + [dict(lr=0.05, lr_decay=0.1, weight_decay=0.01,
                                   initial_accumulator_value=0.1, maximize=True)],
    "RMSprop": [dict(lr=0.002, **c) for c in combinations(
        momentum=[0, 0.9], centered=[False, True], weight_decay=[0, 0.01],
        maximize=[False])] + [dict(lr=0.002, momentum=0.9, centered=True, weight_decay=0.01,
                                   maximize=True)],
    "Adam": [dict(lr=0.01, **c) for c in combinations(
        amsgrad=[False, True], weight_decay=[0, 0.01], maximize=[False, True])],
    "AdamW": [dict(lr=0.01, **c) for c in combinations(
        amsgrad=[False, True], weight_decay=[0, 0.01], maximize=[False, True])],
}
CASES = [pytest.param(name, config, id=f"{name}-" + "-".join(f"{k}={v}" for k, v in
                                                             config.items()))
         for name, configs in CONFIGS.items() for config in configs]


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize(("name", "config"), CASES)
def test_optimizer_follows_torch_for_25_steps(device, name, config, dtype):
    run = TwinRun(dtype, device)
    ours = getattr(optim, name)(run.ours.parameters(), **config)
    theirs = getattr(torch.optim, name)(run.theirs.parameters(), **config)
    with parity_case(of=f"optim.{name}", twin=f"torch.optim.{name}"):
        run.step_ours(ours, STEPS)
        run.step_theirs(theirs, STEPS)
        run.assert_same_parameters(f"{name}({config}) after {STEPS} steps")


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize(("name", "config"), [("SGD", dict(momentum=0.9)), ("Adagrad", {}),
                                              ("RMSprop", {}), ("Adam", {}), ("AdamW", {})])
def test_two_param_groups_with_their_own_lr_follow_torch(device, name, config, dtype):
    run = TwinRun(dtype, device)

    def groups(model):  # the first layer at the default lr, the last at its own
        return [{"params": model[0].parameters()}, {"params": model[2].parameters(), "lr": 0.05}]

    ours = getattr(optim, name)(groups(run.ours), **config)
    theirs = getattr(torch.optim, name)(groups(run.theirs), **config)
    assert [g["lr"] for g in ours.param_groups] == [g["lr"] for g in theirs.param_groups]
    with parity_case(of=f"optim.{name}", twin=f"torch.optim.{name}"):
        run.step_ours(ours, STEPS)
        run.step_theirs(theirs, STEPS)
        run.assert_same_parameters(f"{name} with two param groups")


@pytest.mark.parametrize("name", list(CONFIGS))
def test_optimizer_arguments_and_defaults_are_torchs(name):
    """Code written for dlbook runs under torch: same names, defaults, positional order."""
    ours = inspect.signature(getattr(optim, name)).parameters
    theirs = inspect.signature(getattr(torch.optim, name)).parameters
    for arg, parameter in ours.items():
        assert arg in theirs, f"{name}: torch has no argument {arg!r}"
        assert parameter.default == theirs[arg].default, f"{name}({arg}=...) default"
    positional = [a for a, p in ours.items() if p.kind is p.POSITIONAL_OR_KEYWORD]
    assert positional == list(theirs)[:len(positional)], f"{name}: positional order"
