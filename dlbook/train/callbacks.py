"""Callbacks: code that ``fit`` runs after every epoch, as in Keras.

``fit`` gives each callback the model (``set_model``), then calls ``on_train_begin()``,
``on_epoch_end(epoch, logs)`` after every epoch and ``on_train_end()``. A callback stops
training by setting ``self.stop_training = True``.
"""

import copy

import numpy as np

from dlbook.io import save


class Callback:
    """The hooks ``fit`` calls; each does nothing until a subclass overrides it."""

    stop_training = False

    def set_model(self, model):
        self.model = model

    def on_train_begin(self):
        pass

    def on_epoch_end(self, epoch: int, logs: dict):
        pass

    def on_train_end(self):
        pass


class _Monitor(Callback):
    """Follows one logged value (``monitor``) and tells whether an epoch improved on the best."""

    def __init__(self, monitor: str, mode: str, min_delta: float = 0.0):
        if mode not in ("min", "max"):
            raise ValueError(f"{type(self).__name__}: mode must be 'min' or 'max', got {mode!r}")
        self.monitor, self.mode, self.min_delta = monitor, mode, abs(min_delta)

    def on_train_begin(self):
        self.best = np.inf if self.mode == "min" else -np.inf
        self.best_epoch = None

    def improved(self, logs: dict) -> bool:
        """True when ``logs[monitor]`` beats the best so far by more than ``min_delta``."""
        if self.monitor not in logs:
            raise KeyError(f"{type(self).__name__}: monitor {self.monitor!r} is not logged; the"
                           f" logs have {sorted(logs)} (val_… needs fit(..., val_loader=...))")
        value = logs[self.monitor]
        if self.mode == "min":
            return value < self.best - self.min_delta
        return value > self.best + self.min_delta


class EarlyStopping(_Monitor):
    """Stop when ``monitor`` has not improved by more than ``min_delta`` for ``patience`` epochs.

    ``mode="min"`` for a loss, ``"max"`` for an accuracy. With ``restore_best`` the model ends
    training with the weights of its best epoch (Keras restores them only when it stops early;
    here they are restored whenever training ends). ``best_epoch`` and ``stopped_epoch``
    (None if training ran all its epochs) tell what happened.
    """

    def __init__(self, monitor: str = "val_loss", patience: int = 5, min_delta: float = 0.0,
                 mode: str = "min", restore_best: bool = True):
        super().__init__(monitor, mode, min_delta)
        self.patience, self.restore_best = patience, restore_best

    def on_train_begin(self):
        super().on_train_begin()
        self.wait, self.stopped_epoch, self.best_state = 0, None, None
        self.stop_training = False

    def on_epoch_end(self, epoch, logs):
        if self.improved(logs):
            self.best, self.best_epoch, self.wait = logs[self.monitor], epoch, 0
            if self.restore_best:  # a copy: the optimizer updates the arrays in place
                self.best_state = copy.deepcopy(self.model.state_dict())
            return
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch, self.stop_training = epoch, True

    def on_train_end(self):
        if self.restore_best and self.best_state is not None:
            self.model.load_state_dict(self.best_state)


class ModelCheckpoint(_Monitor):
    """Save the model's ``state_dict()`` to ``path`` with ``dlbook.save`` after an epoch.

    With ``save_best_only`` only epochs that improve ``monitor`` are saved (each over the
    last); otherwise every epoch. ``path`` may name the epoch and logged values, as in Keras:
    ``"ckpt-{epoch:02d}-{val_loss:.3f}.npz"``.
    """

    def __init__(self, path, monitor: str = "val_loss", mode: str = "min",
                 save_best_only: bool = True):
        super().__init__(monitor, mode)
        self.path, self.save_best_only = path, save_best_only

    def on_epoch_end(self, epoch, logs):
        if self.save_best_only:
            if not self.improved(logs):
                return
            self.best, self.best_epoch = logs[self.monitor], epoch
        save(self.model.state_dict(), str(self.path).format(epoch=epoch, **logs))
