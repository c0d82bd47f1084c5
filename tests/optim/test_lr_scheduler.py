"""Every lr scheduler gives torch's learning rates, epoch by epoch, and torch's state_dict.

Each case builds the same scheduler, by the same call, on a dlbook optimizer and on a torch
one, and compares ``get_last_lr()`` and every ``group["lr"]`` after construction and after
each of 100 steps.
"""

import math

import numpy as np
import pytest
import torch

import dlbook.optim as optim
import dlbook.optim.lr_scheduler as lr_scheduler
from dlbook.nn import Parameter
from dlbook.testing import parity_case, record_comparison

EPOCHS = 100
LRS = {"one group": [0.1], "two groups": [0.1, 0.01]}


def optimizers(lrs, hyper=None):
    """A dlbook and a torch optimizer with one param group per lr in ``lrs``.

    ``hyper``: {"momentum": 0.9} gives SGD with momentum, {"betas": (0.9, 0.999)} Adam.
    """
    hyper = hyper or {"momentum": 0.0}
    ours = [{"params": [Parameter(np.zeros(2))], "lr": lr} for lr in lrs]
    theirs = [{"params": [torch.nn.Parameter(torch.zeros(2))], "lr": lr} for lr in lrs]
    if "betas" in hyper:
        betas = hyper["betas"]
        return optim.Adam(ours, betas=betas), torch.optim.Adam(theirs, betas=betas)
    return (optim.SGD(ours, momentum=hyper["momentum"]),
            torch.optim.SGD(theirs, momentum=hyper["momentum"]))


def assert_same_lrs(scheduler, torch_scheduler, keys=("lr",)):
    """get_last_lr() and each group's ``keys`` equal torch's to float rounding (1e-12)."""
    pairs = [(scheduler.get_last_lr(), torch_scheduler.get_last_lr())]
    for key in keys:
        pairs.append(([g[key] for g in scheduler.optimizer.param_groups],
                      [g[key] for g in torch_scheduler.optimizer.param_groups]))
    for ours, theirs in pairs:
        ours, theirs = np.asarray(ours, dtype=np.float64), np.asarray(theirs, dtype=np.float64)
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=0)
        record_comparison(ours, theirs)


def step_both(*schedulers):
    """Torch's order: optimizer.step() (a no-op here: no gradients), then scheduler.step()."""
    for scheduler in schedulers:
        scheduler.optimizer.step()
        scheduler.step()


def twin_schedulers(name, lrs, kwargs, hyper=None):
    ours, theirs = optimizers(lrs, hyper)
    return (getattr(lr_scheduler, name)(ours, **kwargs),
            getattr(torch.optim.lr_scheduler, name)(theirs, **kwargs))


def two_lambdas(epoch):  # a module-level function: saved as None in state_dict, as in torch
    return 0.95 ** epoch


CASES = {
    "StepLR(30)": ("StepLR", {"step_size": 30}),
    "StepLR(7, 0.5)": ("StepLR", {"step_size": 7, "gamma": 0.5}),
    "StepLR(1, 0.9)": ("StepLR", {"step_size": 1, "gamma": 0.9}),
    "MultiStepLR([30, 80])": ("MultiStepLR", {"milestones": [30, 80]}),
    "MultiStepLR([10, 10, 50], 0.5)": ("MultiStepLR", {"milestones": [10, 10, 50], "gamma": 0.5}),
    "ExponentialLR(0.95)": ("ExponentialLR", {"gamma": 0.95}),
    "ExponentialLR(0.5)": ("ExponentialLR", {"gamma": 0.5}),
    "CosineAnnealingLR(100)": ("CosineAnnealingLR", {"T_max": 100}),
    "CosineAnnealingLR(30, 1e-3)": ("CosineAnnealingLR", {"T_max": 30, "eta_min": 1e-3}),
    "CosineAnnealingLR(7) past T_max": ("CosineAnnealingLR", {"T_max": 7}),
    "LambdaLR(0.95**t)": ("LambdaLR", {"lr_lambda": two_lambdas}),
    "LambdaLR(warmup)": ("LambdaLR", {"lr_lambda": lambda t: min(1.0, (t + 1) / 10)}),
    "OneCycleLR(0.1, 100)": ("OneCycleLR", {"max_lr": 0.1, "total_steps": EPOCHS,
                                            "cycle_momentum": False}),
    "OneCycleLR(linear, epochs)": ("OneCycleLR", {"max_lr": 0.5, "epochs": 10,
                                                  "steps_per_epoch": 10,
                                                  "anneal_strategy": "linear",
                                                  "cycle_momentum": False}),
    "OneCycleLR(three_phase)": ("OneCycleLR", {"max_lr": 1.0, "total_steps": 120,
                                               "pct_start": 0.25, "div_factor": 10.0,
                                               "final_div_factor": 100.0, "three_phase": True,
                                               "cycle_momentum": False}),
}


@pytest.mark.parametrize("lrs", LRS.values(), ids=LRS.keys())
@pytest.mark.parametrize("case", CASES)
def test_scheduler_lrs_match_torch_for_100_epochs(case, lrs):
    name, kwargs = CASES[case]
    scheduler, torch_scheduler = twin_schedulers(name, lrs, kwargs)
    with parity_case(of=f"optim.lr_scheduler.{name}", twin=f"torch.optim.lr_scheduler.{name}"):
        assert_same_lrs(scheduler, torch_scheduler)  # epoch 0, set by the constructor
        for _ in range(EPOCHS):
            step_both(scheduler, torch_scheduler)
            assert_same_lrs(scheduler, torch_scheduler)


def test_lambda_lr_takes_one_function_per_group():
    kwargs = {"lr_lambda": [lambda t: t // 30, two_lambdas]}
    scheduler, torch_scheduler = twin_schedulers("LambdaLR", [0.1, 0.01], kwargs)
    with parity_case(of="optim.lr_scheduler.LambdaLR", twin="torch.optim.lr_scheduler.LambdaLR"):
        for _ in range(EPOCHS):
            step_both(scheduler, torch_scheduler)
            assert_same_lrs(scheduler, torch_scheduler)


@pytest.mark.parametrize("case", CASES)
def test_state_dict_has_torchs_keys_and_values(case):
    name, kwargs = CASES[case]
    scheduler, torch_scheduler = twin_schedulers(name, [0.1, 0.01], kwargs)
    for _ in range(13):
        step_both(scheduler, torch_scheduler)
    ours, theirs = scheduler.state_dict(), torch_scheduler.state_dict()
    assert list(ours) == list(theirs)
    assert "optimizer" not in ours
    for key in ("last_epoch", "_step_count", "base_lrs", "_last_lr"):
        assert ours[key] == pytest.approx(theirs[key], rel=1e-12), key


def resumed(name, kwargs, saved_optimizer, state_dict, build):
    """A new scheduler of ``build``'s library on a fresh optimizer holding ``saved_optimizer``'s
    hyperparameters (lr, initial_lr, ...), loaded with ``state_dict``, as after a checkpoint."""
    saved_groups = [{k: v for k, v in g.items() if k != "params"}
                    for g in saved_optimizer.param_groups]
    hyper = {"momentum": saved_groups[0].get("momentum", 0.0)}
    ours, theirs = optimizers([g["lr"] for g in saved_groups], hyper)
    optimizer = ours if build is lr_scheduler else theirs
    for group, saved in zip(optimizer.param_groups, saved_groups, strict=True):
        group.update(saved)
    scheduler = getattr(build, name)(optimizer, **kwargs)
    scheduler.load_state_dict(state_dict)
    return scheduler


@pytest.mark.parametrize("case", CASES)
def test_scheduler_resumes_from_state_dict_as_torch(case):
    """Stopped after 37 epochs and rebuilt from (optimizer groups, state_dict), dlbook goes on
    as an uninterrupted torch run; so does dlbook loaded with torch's state_dict."""
    name, kwargs = CASES[case]
    scheduler, torch_scheduler = twin_schedulers(name, [0.1, 0.01], kwargs)
    for _ in range(37):
        step_both(scheduler, torch_scheduler)
    ours = resumed(name, kwargs, scheduler.optimizer, scheduler.state_dict(), lr_scheduler)
    from_torch = resumed(name, kwargs, torch_scheduler.optimizer, torch_scheduler.state_dict(),
                         lr_scheduler)
    with parity_case(of=f"optim.lr_scheduler.{name}", twin=f"torch.optim.lr_scheduler.{name}"):
        for _ in range(EPOCHS - 37):
            step_both(torch_scheduler)
            for scheduler in (ours, from_torch):
                step_both(scheduler)
                assert_same_lrs(scheduler, torch_scheduler)


@pytest.mark.parametrize("case", [c for c in CASES if not c.startswith("OneCycleLR")])
def test_last_epoch_argument_resumes_as_torch(case):
    """``last_epoch=k`` on groups that hold ``initial_lr``: torch's first step from there."""
    name, kwargs = CASES[case]
    ours, theirs = optimizers([0.05, 0.02])
    for optimizer in (ours, theirs):
        for group in optimizer.param_groups:
            group["initial_lr"] = 2 * group["lr"]
    scheduler = getattr(lr_scheduler, name)(ours, last_epoch=41, **kwargs)
    torch_scheduler = getattr(torch.optim.lr_scheduler, name)(theirs, last_epoch=41, **kwargs)
    with parity_case(of=f"optim.lr_scheduler.{name}", twin=f"torch.optim.lr_scheduler.{name}"):
        assert_same_lrs(scheduler, torch_scheduler)
        for _ in range(30):
            step_both(scheduler, torch_scheduler)
            assert_same_lrs(scheduler, torch_scheduler)


def test_resuming_without_initial_lr_is_a_key_error():
    ours, theirs = optimizers([0.1])
    with pytest.raises(KeyError):
        torch.optim.lr_scheduler.StepLR(theirs, 10, last_epoch=5)
    with pytest.raises(KeyError, match="StepLR.*initial_lr"):
        lr_scheduler.StepLR(ours, 10, last_epoch=5)


# -- OneCycleLR's momentum ---------------------------------------------------------------------
MOMENTUM_CASES = {
    "SGD momentum, cos": ({"momentum": 0.9}, {}),
    "SGD momentum, linear, three phases": ({"momentum": 0.9},
                                           {"anneal_strategy": "linear", "three_phase": True,
                                            "base_momentum": [0.8, 0.7],
                                            "max_momentum": 0.99}),
    "Adam betas": ({"betas": (0.9, 0.999)}, {"max_lr": [0.01, 0.003], "pct_start": 0.4}),
}


@pytest.mark.parametrize("case", MOMENTUM_CASES)
def test_one_cycle_cycles_momentum_as_torch(case):
    hyper, extra = MOMENTUM_CASES[case]
    key = "betas" if "betas" in hyper else "momentum"
    kwargs = {"max_lr": 0.1, "total_steps": EPOCHS, **extra}
    scheduler, torch_scheduler = twin_schedulers("OneCycleLR", [0.1, 0.01], kwargs, hyper)
    with parity_case(of="optim.lr_scheduler.OneCycleLR",
                     twin="torch.optim.lr_scheduler.OneCycleLR"):
        assert_same_lrs(scheduler, torch_scheduler, keys=("lr", key))
        for _ in range(EPOCHS):
            step_both(scheduler, torch_scheduler)
            assert_same_lrs(scheduler, torch_scheduler, keys=("lr", key))
    assert list(scheduler.state_dict()) == list(torch_scheduler.state_dict())


def test_one_cycle_raises_past_total_steps_as_torch():
    scheduler, torch_scheduler = twin_schedulers("OneCycleLR", [0.1],
                                                 {"max_lr": 0.1, "total_steps": 10})
    for _ in range(10):  # steps 1..10: the last reaches total_steps and is allowed
        step_both(scheduler, torch_scheduler)
    with pytest.raises(ValueError, match="Tried to step 11 times"):
        step_both(torch_scheduler)
    with pytest.raises(ValueError, match="OneCycleLR: tried to step 11 times"):
        scheduler.step()


# -- ReduceLROnPlateau -------------------------------------------------------------------------
def plateauing_metric(seed=0):
    """A validation loss that falls, flattens out and wobbles: 1/(1 + t/10) + noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(EPOCHS)
    return 1 / (1 + t / 10) + 0.01 * rng.standard_normal(EPOCHS)


PLATEAU_CASES = {
    "defaults": ({}, 1),
    "patience 3, factor 0.5, cooldown 2": ({"patience": 3, "factor": 0.5, "cooldown": 2}, 1),
    "abs threshold, min_lr per group": ({"patience": 2, "threshold_mode": "abs",
                                         "threshold": 1e-3, "min_lr": [1e-3, 1e-4]}, 1),
    "max mode": ({"mode": "max", "patience": 1, "factor": 0.3}, -1),
    "max mode, abs, patience 0, eps": ({"mode": "max", "threshold_mode": "abs", "patience": 0,
                                        "factor": 0.5, "eps": 1e-3}, -1),
}


@pytest.mark.parametrize("case", PLATEAU_CASES)
def test_reduce_lr_on_plateau_matches_torch(case):
    kwargs, sign = PLATEAU_CASES[case]
    scheduler, torch_scheduler = twin_schedulers("ReduceLROnPlateau", [0.1, 0.01], kwargs)
    with parity_case(of="optim.lr_scheduler.ReduceLROnPlateau",
                     twin="torch.optim.lr_scheduler.ReduceLROnPlateau"):
        assert_same_lrs(scheduler, torch_scheduler)
        for metric in sign * plateauing_metric():
            scheduler.step(metric)
            torch_scheduler.step(torch.tensor(metric))  # torch takes a 0-d tensor, as we do
            assert_same_lrs(scheduler, torch_scheduler)
    assert len(set(scheduler.get_last_lr())) > 1 or case == "defaults"  # it did reduce
    assert list(scheduler.state_dict()) == list(torch_scheduler.state_dict())
    assert scheduler.state_dict()["best"] == torch_scheduler.state_dict()["best"]


def test_reduce_lr_on_plateau_resumes_from_torchs_state_dict():
    kwargs = {"patience": 3, "factor": 0.5, "cooldown": 2}
    metrics = plateauing_metric(seed=1)
    scheduler, torch_scheduler = twin_schedulers("ReduceLROnPlateau", [0.1, 0.01], kwargs)
    for metric in metrics[:40]:
        torch_scheduler.step(metric)
    for group, saved in zip(scheduler.optimizer.param_groups,
                            torch_scheduler.optimizer.param_groups, strict=True):
        group["lr"] = saved["lr"]
    scheduler.load_state_dict(torch_scheduler.state_dict())
    with parity_case(of="optim.lr_scheduler.ReduceLROnPlateau",
                     twin="torch.optim.lr_scheduler.ReduceLROnPlateau"):
        for metric in metrics[40:]:
            scheduler.step(metric)
            torch_scheduler.step(metric)
            assert_same_lrs(scheduler, torch_scheduler)


# -- bad arguments -----------------------------------------------------------------------------
BAD_ARGUMENTS = {
    "factor >= 1": ("ReduceLROnPlateau", {"factor": 1.0}),
    "unknown mode": ("ReduceLROnPlateau", {"mode": "avg"}),
    "unknown threshold_mode": ("ReduceLROnPlateau", {"threshold_mode": "pct"}),
    "min_lr per group, wrong count": ("ReduceLROnPlateau", {"min_lr": [0.0, 0.0, 0.0]}),
    "no total_steps": ("OneCycleLR", {"max_lr": 0.1}),
    "epochs without steps_per_epoch": ("OneCycleLR", {"max_lr": 0.1, "epochs": 3}),
    "total_steps 0": ("OneCycleLR", {"max_lr": 0.1, "total_steps": 0}),
    "epochs -1": ("OneCycleLR", {"max_lr": 0.1, "epochs": -1, "steps_per_epoch": 3}),
    "pct_start > 1": ("OneCycleLR", {"max_lr": 0.1, "total_steps": 10, "pct_start": 1.5}),
    "unknown anneal_strategy": ("OneCycleLR", {"max_lr": 0.1, "total_steps": 10,
                                               "anneal_strategy": "exp"}),
    "max_lr per group, wrong count": ("OneCycleLR", {"max_lr": [0.1], "total_steps": 10}),
    "lr_lambda per group, wrong count": ("LambdaLR", {"lr_lambda": [two_lambdas]}),
}


@pytest.mark.parametrize("case", BAD_ARGUMENTS)
def test_bad_argument_is_a_value_error_naming_the_scheduler(case):
    name, kwargs = BAD_ARGUMENTS[case]
    ours, theirs = optimizers([0.1, 0.01])
    with pytest.raises(ValueError):
        getattr(torch.optim.lr_scheduler, name)(theirs, **kwargs)
    with pytest.raises(ValueError, match=name):
        getattr(lr_scheduler, name)(ours, **kwargs)


def test_one_cycle_momentum_needs_an_optimizer_with_momentum():
    ours = optim.Adagrad([Parameter(np.zeros(2))], lr=0.1)
    theirs = torch.optim.Adagrad([torch.nn.Parameter(torch.zeros(2))], lr=0.1)
    with pytest.raises(ValueError, match="momentum"):
        torch.optim.lr_scheduler.OneCycleLR(theirs, max_lr=0.1, total_steps=10)
    with pytest.raises(ValueError, match="OneCycleLR.*momentum"):
        lr_scheduler.OneCycleLR(ours, max_lr=0.1, total_steps=10)
    lr_scheduler.OneCycleLR(ours, max_lr=0.1, total_steps=10, cycle_momentum=False)


def test_scheduler_writes_the_lr_the_optimizer_reads():
    p = Parameter(np.zeros(1))
    optimizer = optim.SGD([{"params": [p], "lr": 0.1}, {"params": [Parameter(np.zeros(1))]}],
                          lr=0.01)
    scheduler = lr_scheduler.ExponentialLR(optimizer, gamma=0.5)
    assert [g["initial_lr"] for g in optimizer.param_groups] == [0.1, 0.01]
    for lr in (0.1, 0.05, 0.025):  # the lr of each step: p -= lr · grad
        p.grad = np.ones(1)
        before = p.data.copy()
        optimizer.step()
        np.testing.assert_allclose(before - p.data, [lr])
        scheduler.step()
    assert scheduler.get_last_lr() == [g["lr"] for g in optimizer.param_groups]
    assert math.isclose(scheduler.get_last_lr()[1], 0.01 * 0.5 ** 3)
