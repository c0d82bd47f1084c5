"""Learning-rate schedulers, as in ``torch.optim.lr_scheduler``.

A scheduler reads and writes nothing but ``optimizer.param_groups``: each ``step()`` computes
the next learning rate of every group and stores it in ``group["lr"]``, where the optimizer's
next ``step()`` finds it. Call it after ``optimizer.step()``::

    scheduler = StepLR(optimizer, step_size=30, gamma=0.1)
    for epoch in range(100):
        train_one_epoch(model, optimizer)      # optimizer.step() inside
        scheduler.step()

Formulas and rounding follow torch's: the recursive schedules (StepLR, MultiStepLR,
ExponentialLR, CosineAnnealingLR) update the current ``group["lr"]`` step by step as torch
does, so the sequences agree with torch's to the last bit. ``state_dict()`` has torch's keys,
so a scheduler's state moves between the two in one call.
"""

import math
import types
from collections import Counter


class LRScheduler:
    """Base class: keeps ``last_epoch`` and writes ``get_lr()`` into each group's ``"lr"``.

    On construction each group gets ``"initial_lr"`` (its lr now; kept if already there) and
    the scheduler takes its first step, to epoch 0, so ``group["lr"]`` holds the epoch-0 value.
    ``last_epoch=k`` resumes a run after epoch ``k``; the groups must then hold
    ``"initial_lr"`` already (from the optimizer's saved state), as in torch.
    Subclasses implement ``get_lr()``: the learning rates of epoch ``self.last_epoch``.
    """

    def __init__(self, optimizer, last_epoch: int = -1):
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(
                        f"{type(self).__name__}: param_groups[{i}] has no 'initial_lr', needed "
                        f"to resume with last_epoch={last_epoch}; load the optimizer's state "
                        "first, or start with last_epoch=-1")
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._initial_step()

    def _initial_step(self):
        """The step made by the constructor: to epoch 0, or to ``last_epoch + 1`` when resuming."""
        self._step_count = 0
        self._is_initial = True  # ExponentialLR and CosineAnnealingLR keep the lr they find
        self._get_lr_called_within_step = False  # unused: torch's flag, kept for its keys
        self.step()
        self._is_initial = False

    def get_lr(self) -> list[float]:
        raise NotImplementedError

    def step(self):
        """Advance one epoch: ``last_epoch += 1`` and ``group["lr"] = get_lr()[i]``."""
        self._step_count += 1
        self.last_epoch += 1
        for group, lr in zip(self.optimizer.param_groups, self.get_lr(), strict=True):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def get_last_lr(self) -> list[float]:
        """The learning rate of each param group after the last ``step()``."""
        return self._last_lr

    def state_dict(self) -> dict:
        """Every attribute but the optimizer: torch's keys and values."""
        return {key: value for key, value in self.__dict__.items() if key != "optimizer"}

    def load_state_dict(self, state_dict: dict):
        """Restore a ``state_dict()`` (dlbook's or torch's)."""
        self.__dict__.update(state_dict)


class LambdaLR(LRScheduler):
    """lr_t = initial_lr · lr_lambda(t).

    ``lr_lambda``: one function of the epoch t for every group, or a list, one per group.
    """

    def __init__(self, optimizer, lr_lambda, last_epoch: int = -1):
        n_groups = len(optimizer.param_groups)
        if isinstance(lr_lambda, list | tuple):
            if len(lr_lambda) != n_groups:
                raise ValueError(f"LambdaLR: expected {n_groups} lr_lambdas (one per param "
                                 f"group), got {len(lr_lambda)}")
            self.lr_lambdas = list(lr_lambda)
        else:
            self.lr_lambdas = [lr_lambda] * n_groups
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        return [base_lr * fn(self.last_epoch)
                for fn, base_lr in zip(self.lr_lambdas, self.base_lrs, strict=True)]

    def state_dict(self):
        """As the base's, but a function is saved as None, a callable object as its __dict__."""
        state = {key: value for key, value in self.__dict__.items()
                 if key not in ("optimizer", "lr_lambdas")}
        state["lr_lambdas"] = [None if isinstance(fn, types.FunctionType) else fn.__dict__.copy()
                               for fn in self.lr_lambdas]
        return state

    def load_state_dict(self, state_dict):
        state_dict = dict(state_dict)
        lr_lambdas = state_dict.pop("lr_lambdas")
        self.__dict__.update(state_dict)
        for fn, saved in zip(self.lr_lambdas, lr_lambdas, strict=True):
            if saved is not None:
                fn.__dict__.update(saved)


class StepLR(LRScheduler):
    """lr_t = initial_lr · gamma^⌊t / step_size⌋: decay by ``gamma`` every ``step_size`` epochs."""

    def __init__(self, optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1):
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        lrs = [group["lr"] for group in self.optimizer.param_groups]
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return lrs
        return [lr * self.gamma for lr in lrs]  # lr_t = gamma · lr_{t−1} at each multiple


class MultiStepLR(LRScheduler):
    """lr_t = initial_lr · gamma^(number of milestones ≤ t).

    ``milestones``: increasing epoch indices; one given twice decays twice.
    """

    def __init__(self, optimizer, milestones, gamma: float = 0.1, last_epoch: int = -1):
        self.milestones = Counter(milestones)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        times = self.milestones[self.last_epoch]  # 0 when t is no milestone
        return [group["lr"] * self.gamma ** times if times else group["lr"]
                for group in self.optimizer.param_groups]


class ExponentialLR(LRScheduler):
    """lr_t = initial_lr · gamma^t, applied as lr_t = gamma · lr_{t−1}."""

    def __init__(self, optimizer, gamma: float, last_epoch: int = -1):
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self._is_initial:  # the constructor's step keeps the lr it finds
            return [group["lr"] for group in self.optimizer.param_groups]
        return [group["lr"] * self.gamma for group in self.optimizer.param_groups]


class CosineAnnealingLR(LRScheduler):
    r"""Cosine annealing from initial_lr down to ``eta_min`` over ``T_max`` epochs.

    Closed form: lr_t = eta_min + (initial_lr − eta_min) · (1 + cos(π t / T_max)) / 2.
    Applied recursively, as torch does, so that it composes with other changes to the lr:

        lr_t = eta_min + (lr_{t−1} − eta_min) · (1 + cos(π t / T_max)) / (1 + cos(π (t−1) / T_max))

    Past T_max the lr climbs back up (a cosine of period 2·T_max); where the ratio's
    denominator is 0 (t − 1 = T_max, 3·T_max, ...) the step adds
    (initial_lr − eta_min) · (1 − cos(π / T_max)) / 2 instead.
    """

    def __init__(self, optimizer, T_max: int, eta_min: float = 0.0,  # noqa: N803 (torch's name)
                 last_epoch: int = -1):
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        t, T, eta_min = self.last_epoch, self.T_max, self.eta_min  # noqa: N806
        groups = self.optimizer.param_groups
        if self._is_initial:
            return [group["lr"] for group in groups]
        if self._step_count == 1 and t > 0:  # first step after resuming: the closed form
            return [eta_min + (base_lr - eta_min) * (1 + math.cos(t * math.pi / T)) / 2
                    for base_lr in self.base_lrs]
        if (t - 1 - T) % (2 * T) == 0:  # leaving the minimum: 1 + cos(π (t−1)/T) = 0
            return [group["lr"] + (base_lr - eta_min) * (1 - math.cos(math.pi / T)) / 2
                    for base_lr, group in zip(self.base_lrs, groups, strict=True)]
        return [(1 + math.cos(math.pi * t / T)) / (1 + math.cos(math.pi * (t - 1) / T))
                * (group["lr"] - eta_min) + eta_min for group in groups]


class OneCycleLR(LRScheduler):
    """The 1cycle policy: lr rises from max_lr / div_factor to ``max_lr``, then anneals to
    max_lr / (div_factor · final_div_factor), over ``total_steps`` steps (one per batch).

    Phases (two, or three with ``three_phase=True``), each annealing by ``anneal_strategy``,
    from start to end as pct goes 0 → 1 through the phase:
        'cos':    end + (start − end) · (1 + cos(π · pct)) / 2
        'linear': start + (end − start) · pct
    Two phases: initial → max over the first pct_start of the steps, max → min after.
    Three: initial → max, max → initial (symmetric), initial → min.
    With ``cycle_momentum`` the momentum (or Adam's beta1) moves the opposite way, between
    ``max_momentum`` and ``base_momentum``. Stepping past ``total_steps`` is a ValueError.
    ``max_lr``, ``base_momentum``, ``max_momentum``: a number, or a list with one per group.
    """

    def __init__(self, optimizer, max_lr, total_steps: int | None = None,
                 epochs: int | None = None, steps_per_epoch: int | None = None,
                 pct_start: float = 0.3, anneal_strategy: str = "cos",
                 cycle_momentum: bool = True, base_momentum=0.85, max_momentum=0.95,
                 div_factor: float = 25.0, final_div_factor: float = 1e4,
                 three_phase: bool = False, last_epoch: int = -1):
        self.optimizer = optimizer
        if total_steps is not None:
            if not isinstance(total_steps, int) or total_steps <= 0:
                raise ValueError(f"OneCycleLR: expected a positive integer total_steps, "
                                 f"got {total_steps}")
            self.total_steps = total_steps
        elif epochs is not None and steps_per_epoch is not None:
            for name, value in (("epochs", epochs), ("steps_per_epoch", steps_per_epoch)):
                if not isinstance(value, int) or value <= 0:
                    raise ValueError(f"OneCycleLR: expected a positive integer {name}, "
                                     f"got {value}")
            self.total_steps = epochs * steps_per_epoch
        else:
            raise ValueError("OneCycleLR: give either total_steps or both epochs and "
                             "steps_per_epoch")

        # Each phase ends at step end_step and names the group keys it anneals between.
        up = {"end_step": float(pct_start * self.total_steps) - 1,
              "start_lr": "initial_lr", "end_lr": "max_lr",
              "start_momentum": "max_momentum", "end_momentum": "base_momentum"}
        if three_phase:
            self._schedule_phases = [
                up,
                {"end_step": float(2 * pct_start * self.total_steps) - 2,
                 "start_lr": "max_lr", "end_lr": "initial_lr",
                 "start_momentum": "base_momentum", "end_momentum": "max_momentum"},
                {"end_step": self.total_steps - 1,
                 "start_lr": "initial_lr", "end_lr": "min_lr",
                 "start_momentum": "max_momentum", "end_momentum": "max_momentum"},
            ]
        else:
            self._schedule_phases = [
                up,
                {"end_step": self.total_steps - 1,
                 "start_lr": "max_lr", "end_lr": "min_lr",
                 "start_momentum": "base_momentum", "end_momentum": "max_momentum"},
            ]

        if not isinstance(pct_start, float) or not 0 <= pct_start <= 1:
            raise ValueError(f"OneCycleLR: expected a float pct_start in [0, 1], got {pct_start}")
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(f"OneCycleLR: anneal_strategy must be 'cos' or 'linear', "
                             f"got {anneal_strategy!r}")
        self._anneal_func_type = anneal_strategy

        groups = optimizer.param_groups
        max_lrs = _per_group("max_lr", max_lr, groups)
        if last_epoch == -1:
            for group, group_max_lr in zip(groups, max_lrs, strict=True):
                group["initial_lr"] = group_max_lr / div_factor
                group["max_lr"] = group_max_lr
                group["min_lr"] = group["initial_lr"] / final_div_factor

        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            if not all("momentum" in group or "betas" in group for group in groups):
                raise ValueError("OneCycleLR: cycle_momentum=True needs an optimizer with "
                                 "momentum or betas (pass cycle_momentum=False)")
            self.use_beta1 = "betas" in groups[0]
            max_momentums = _per_group("max_momentum", max_momentum, groups)
            base_momentums = _per_group("base_momentum", base_momentum, groups)
            if last_epoch == -1:
                for group, m_max, m_base in zip(groups, max_momentums, base_momentums, strict=True):
                    self._set_momentum(group, m_max)
                    group["max_momentum"] = m_max
                    group["base_momentum"] = m_base
        super().__init__(optimizer, last_epoch)

    def _set_momentum(self, group, momentum):
        if self.use_beta1:
            group["betas"] = (momentum, *group["betas"][1:])
        else:
            group["momentum"] = momentum

    def _anneal(self, start, end, pct):
        if self._anneal_func_type == "cos":
            return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
        return (end - start) * pct + start

    def get_lr(self):
        step = self.last_epoch
        if step > self.total_steps:
            raise ValueError(f"OneCycleLR: tried to step {step} times, but total_steps is "
                             f"{self.total_steps}")
        lrs = []
        for group in self.optimizer.param_groups:
            start_step = 0.0
            for i, phase in enumerate(self._schedule_phases):  # find the phase holding step
                if step <= phase["end_step"] or i == len(self._schedule_phases) - 1:
                    pct = (step - start_step) / (phase["end_step"] - start_step)
                    lrs.append(self._anneal(group[phase["start_lr"]], group[phase["end_lr"]],
                                            pct))
                    if self.cycle_momentum:
                        self._set_momentum(group, self._anneal(group[phase["start_momentum"]],
                                                               group[phase["end_momentum"]],
                                                               pct))
                    break
                start_step = phase["end_step"]
        return lrs


class ReduceLROnPlateau(LRScheduler):
    """lr ← max(lr · factor, min_lr) once ``metrics`` has not improved for ``patience`` epochs.

    ``step(metrics)`` takes the monitored value (a validation loss, say). It improves when
        mode='min': metrics < best · (1 − threshold)   (threshold_mode='rel')
                    metrics < best − threshold         (threshold_mode='abs')
        mode='max': metrics > best · (1 + threshold)   or   metrics > best + threshold.
    After a reduction, ``cooldown`` epochs pass before bad epochs count again. A reduction
    smaller than ``eps`` is skipped. ``min_lr``: a number, or a list with one per group.
    """

    def __init__(self, optimizer, mode: str = "min", factor: float = 0.1, patience: int = 10,
                 threshold: float = 1e-4, threshold_mode: str = "rel", cooldown: int = 0,
                 min_lr=0, eps: float = 1e-8):
        if factor >= 1.0:
            raise ValueError(f"ReduceLROnPlateau: factor should be < 1.0, got {factor}")
        self.factor = factor
        self.optimizer = optimizer
        n_groups = len(optimizer.param_groups)
        if isinstance(min_lr, list | tuple):
            if len(min_lr) != n_groups:
                raise ValueError(f"ReduceLROnPlateau: expected {n_groups} min_lrs (one per "
                                 f"param group), got {len(min_lr)}")
            self.default_min_lr = None
            self.min_lrs = list(min_lr)
        else:
            self.default_min_lr = min_lr
            self.min_lrs = [min_lr] * n_groups
        self.patience = patience
        self.cooldown = cooldown
        self.eps = eps
        self.last_epoch = 0
        self._last_lr = [group["lr"] for group in optimizer.param_groups]
        if mode not in ("min", "max"):
            raise ValueError(f"ReduceLROnPlateau: mode {mode!r} is unknown (use 'min' or 'max')")
        if threshold_mode not in ("rel", "abs"):
            raise ValueError(f"ReduceLROnPlateau: threshold mode {threshold_mode!r} is unknown "
                             "(use 'rel' or 'abs')")
        self.mode_worse = math.inf if mode == "min" else -math.inf
        self.mode = mode
        self.threshold = threshold
        self.threshold_mode = threshold_mode
        self.best = self.mode_worse
        self.cooldown_counter = 0
        self.num_bad_epochs = 0

    def step(self, metrics):
        """One epoch with value ``metrics``: count a bad epoch or a new best; reduce if due."""
        current = float(metrics)
        self.last_epoch += 1
        if self._is_better(current, self.best):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.cooldown_counter > 0:  # in cooldown: bad epochs do not count
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0
        if self.num_bad_epochs > self.patience:
            self._reduce_lr()
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def _reduce_lr(self):
        for group, min_lr in zip(self.optimizer.param_groups, self.min_lrs, strict=True):
            old_lr = float(group["lr"])
            new_lr = max(old_lr * self.factor, min_lr)
            if old_lr - new_lr > self.eps:
                group["lr"] = new_lr

    def _is_better(self, a, best):
        if self.mode == "min":
            return a < (best * (1.0 - self.threshold) if self.threshold_mode == "rel"
                        else best - self.threshold)
        return a > (best * (self.threshold + 1.0) if self.threshold_mode == "rel"
                    else best + self.threshold)


def _per_group(name, value, groups):
    """``value`` for each param group: a list/tuple with one per group, or one number for all."""
    if isinstance(value, list | tuple):
        if len(value) != len(groups):
            raise ValueError(f"OneCycleLR: {name} must have one value per param group: "
                             f"got {len(value)} values for {len(groups)} groups")
        return list(value)
    return [value] * len(groups)


__all__ = ["CosineAnnealingLR", "ExponentialLR", "LRScheduler", "LambdaLR", "MultiStepLR",
           "OneCycleLR", "ReduceLROnPlateau", "StepLR"]
