"""Optimizer state: torch's layout and names, a run saved by one library and continued by the
other, ``zero_grad``, and parameters that have no gradient."""

import numpy as np
import pytest
import torch
from test_optimizers_match_torch import DTYPES, TwinRun

import dlbook.optim as optim
from dlbook.optim.optimizer import state_dict_to_torch
from dlbook.testing import assert_close, parity_case

# Each optimizer with every flag that adds state switched on, so every state key is there.
ALL_STATE = {
    "SGD": dict(lr=0.01, momentum=0.9, dampening=0.1, weight_decay=0.01),
    "Adagrad": dict(lr=0.05, lr_decay=0.1, weight_decay=0.01, initial_accumulator_value=0.1),
    "RMSprop": dict(lr=0.002, momentum=0.9, centered=True, weight_decay=0.01),
    "Adam": dict(lr=0.01, amsgrad=True, weight_decay=0.01),
    "AdamW": dict(lr=0.01, amsgrad=True, weight_decay=0.1),
}
SAVED_AT, STEPS = 10, 25
optimizers = pytest.mark.parametrize("name", list(ALL_STATE))
dtypes = pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])


def two_groups(model):
    """The first layer in one group, the last in another with its own lr."""
    return [{"params": model[0].parameters()}, {"params": model[2].parameters(), "lr": 0.003}]


def both(name, run, groups=two_groups):
    """The optimizer ``name`` from dlbook and from torch, each on its own MLP of ``run``."""
    return (getattr(optim, name)(groups(run.ours), **ALL_STATE[name]),
            getattr(torch.optim, name)(groups(run.theirs), **ALL_STATE[name]))


@optimizers
def test_state_dict_has_torchs_layout_names_and_values(name):
    # float64 only: float32's state holds sums such as RMSprop's Σ g/√v, whose small
    # entries carry the rounding of the large ones (the parameters are compared in float32).
    run = TwinRun(np.float64)
    ours, theirs = both(name, run)
    run.step_ours(ours, SAVED_AT)
    run.step_theirs(theirs, SAVED_AT)
    ours, theirs = ours.state_dict(), theirs.state_dict()
    assert [g["params"] for g in ours["param_groups"]] == [[0, 1], [2, 3]]
    assert [g["params"] for g in theirs["param_groups"]] == [[0, 1], [2, 3]]
    for group, torch_group in zip(ours["param_groups"], theirs["param_groups"], strict=True):
        assert {k: torch_group[k] for k in group} == group  # torch adds foreach, fused, ...
    assert ours["state"].keys() == theirs["state"].keys()
    with parity_case(of=f"optim.{name}", twin=f"torch.optim.{name}"):
        for index, state in ours["state"].items():
            assert state.keys() == theirs["state"][index].keys(), f"{name}: state names"
            for key, value in state.items():
                if key == "step":
                    assert value == SAVED_AT == theirs["state"][index]["step"].item()
                else:
                    assert_close(value, theirs["state"][index][key], name=f"{name} {key}")


@optimizers
@dtypes
def test_torch_continues_a_run_saved_by_dlbook(name, dtype):
    run = TwinRun(dtype)
    ours, theirs = both(name, run)
    run.step_ours(ours, SAVED_AT)
    run.step_theirs(theirs, SAVED_AT)
    resumed = getattr(torch.optim, name)(two_groups(run.theirs))  # its defaults, then our state
    resumed.load_state_dict(state_dict_to_torch(ours.state_dict()))
    with parity_case(of=f"optim.{name}", twin=f"torch.optim.{name}"):
        run.step_ours(ours, STEPS - SAVED_AT)
        run.step_theirs(resumed, STEPS - SAVED_AT)
        run.assert_same_parameters(f"{name}: torch resumed from dlbook's step {SAVED_AT}")


@optimizers
@dtypes
def test_dlbook_continues_a_run_saved_by_torch(name, dtype):
    run = TwinRun(dtype)
    ours, theirs = both(name, run)
    run.step_ours(ours, SAVED_AT)
    run.step_theirs(theirs, SAVED_AT)
    resumed = getattr(optim, name)(two_groups(run.ours))
    resumed.load_state_dict(theirs.state_dict())
    with parity_case(of=f"optim.{name}", twin=f"torch.optim.{name}"):
        run.step_ours(resumed, STEPS - SAVED_AT)
        run.step_theirs(theirs, STEPS - SAVED_AT)
        run.assert_same_parameters(f"{name}: dlbook resumed from torch's step {SAVED_AT}")


@optimizers
def test_state_dict_survives_dlbook_to_torch_to_dlbook(name):
    run = TwinRun(np.float64)
    ours, theirs = both(name, run)
    run.step_ours(ours, SAVED_AT)
    run.step_theirs(theirs, SAVED_AT)
    via_torch = getattr(torch.optim, name)(two_groups(run.theirs))
    via_torch.load_state_dict(state_dict_to_torch(ours.state_dict()))
    back = getattr(optim, name)(two_groups(run.ours))
    back.load_state_dict(via_torch.state_dict())
    for group, saved in zip(back.param_groups, ours.param_groups, strict=True):
        assert {k: group[k] for k in saved if k != "params"} == {
            k: v for k, v in saved.items() if k != "params"}
        assert all(p is q for p, q in zip(group["params"], saved["params"], strict=True))
    assert isinstance(back.state_dict()["state"][0].get("step", 0), int)
    with parity_case(of=f"optim.{name}", twin=f"torch.optim.{name}"):
        run.step_ours(back, STEPS - SAVED_AT)
        run.step_theirs(via_torch, STEPS - SAVED_AT)
        run.assert_same_parameters(f"{name}: dlbook -> torch -> dlbook at step {SAVED_AT}")


@optimizers
def test_parameter_without_gradient_is_skipped_as_torch_does(name):
    """A parameter left out of the loss (grad None) keeps its value and gets no state."""
    run = TwinRun(np.float64)
    ours, theirs = both(name, run)
    frozen = run.ours[0].bias.data.copy()
    for _ in range(STEPS):
        ours.zero_grad()
        run.criterion(run.ours(run.x), run.y)
        run.ours.backward(run.criterion.backward())
        run.ours[0].bias.grad = None
        ours.step()
        theirs.zero_grad()
        torch.nn.functional.mse_loss(run.theirs(run.x_t), run.y_t).backward()
        run.theirs[0].bias.grad = None
        theirs.step()
    np.testing.assert_array_equal(run.ours[0].bias.data, frozen)
    with parity_case(of=f"optim.{name}", twin=f"torch.optim.{name}"):
        run.assert_same_parameters(f"{name} with the first bias frozen")
    frozen_state = {0, 1, 2, 3} if name == "Adagrad" else {0, 2, 3}  # torch fills Adagrad's
    assert ours.state_dict()["state"].keys() == theirs.state_dict()["state"].keys() == frozen_state
    if name == "Adagrad":  # ... at construction, and a skipped parameter keeps it untouched
        assert ours.state[run.ours[0].bias]["step"] == 0


def test_zero_grad_sets_gradients_to_none_by_default():
    run = TwinRun(np.float64)
    optimizer = optim.SGD(run.ours.parameters())
    run.step_ours(optimizer)
    assert all(p.grad is not None for p in run.ours.parameters())
    optimizer.zero_grad()
    assert all(p.grad is None for p in run.ours.parameters())


def test_zero_grad_set_to_none_false_zeroes_the_same_arrays():
    run = TwinRun(np.float64)
    optimizer = optim.SGD(run.ours.parameters())
    run.step_ours(optimizer)
    grads = [p.grad for p in run.ours.parameters()]
    optimizer.zero_grad(set_to_none=False)
    for param, grad in zip(run.ours.parameters(), grads, strict=True):
        assert param.grad is grad and not grad.any()


def test_sgd_without_momentum_keeps_no_state_as_torch():
    run = TwinRun(np.float64)
    ours, theirs = optim.SGD(run.ours.parameters()), torch.optim.SGD(run.theirs.parameters())
    run.step_ours(ours, 2)
    run.step_theirs(theirs, 2)
    assert ours.state_dict()["state"] == theirs.state_dict()["state"] == {}


def test_load_state_dict_keeps_the_saved_groups_own_keys():
    """As torch: the saved hyperparameters win, and keys such as a scheduler's initial_lr stay."""
    run = TwinRun(np.float64)
    saved = optim.Adam(run.ours.parameters(), lr=0.05).state_dict()
    saved["param_groups"][0]["initial_lr"] = 0.05
    optimizer = optim.Adam(run.ours.parameters())
    optimizer.load_state_dict(saved)
    assert optimizer.param_groups[0]["lr"] == optimizer.param_groups[0]["initial_lr"] == 0.05
    assert optimizer.param_groups[0]["params"] == list(run.ours.parameters())


def test_step_returns_the_closures_loss():
    run = TwinRun(np.float64)
    optimizer, losses = optim.Adam(run.ours.parameters()), []

    def closure():  # recomputes the loss and the gradients, as torch's closures do
        optimizer.zero_grad()
        losses.append(run.criterion(run.ours(run.x), run.y))
        run.ours.backward(run.criterion.backward())
        return losses[-1]

    assert optimizer.step(closure) == losses[-1]
    assert optimizer.step() is None
