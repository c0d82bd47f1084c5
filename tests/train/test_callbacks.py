"""EarlyStopping and ModelCheckpoint follow a scripted validation loss epoch by epoch."""

import copy

import numpy as np
import pytest

import dlbook
import dlbook.nn as nn
from dlbook.data import DataLoader, TensorDataset
from dlbook.optim import SGD
from dlbook.train import Callback, EarlyStopping, ModelCheckpoint, fit


class ScriptedValLoss:
    """MSE while training; under no_grad (validation) the next value of ``script`` instead."""

    def __init__(self, script):
        self.mse, self.script = nn.MSELoss(), iter(script)

    def __call__(self, outputs, targets):
        loss = self.mse(outputs, targets)
        return loss if dlbook.is_grad_enabled() else next(self.script)

    def backward(self):
        return self.mse.backward()


class Snapshots(Callback):
    """A copy of the model's state_dict after every epoch."""

    def __init__(self):
        self.states = []

    def on_epoch_end(self, epoch, logs):
        self.states.append(copy.deepcopy(self.model.state_dict()))


def train(script, *callbacks, epochs=None):
    """Fit a linear model for len(script) epochs with ``script`` as the val losses."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((32, 3)).astype(np.float32)
    y = x @ np.array([[1.0], [-2.0], [0.5]], dtype=np.float32)
    dlbook.manual_seed(0)
    model = nn.Linear(3, 1)
    snapshots = Snapshots()
    history = fit(model, ScriptedValLoss(script), SGD(model.parameters(), lr=0.05),
                  DataLoader(TensorDataset(x, y), batch_size=8),
                  DataLoader(TensorDataset(x, y), batch_size=32),  # one batch: one value
                  epochs=epochs or len(script), callbacks=[snapshots, *callbacks],
                  progress=False)
    return model, history, snapshots.states


def assert_state_equal(actual, expected):
    assert list(actual) == list(expected)
    for key in expected:
        np.testing.assert_array_equal(actual[key], expected[key])


def test_early_stopping_stops_after_patience_epochs_without_improvement():
    stopper = EarlyStopping(patience=3)
    _, history, _ = train([1.0, 0.8, 0.9, 0.7, 0.75, 0.72, 0.71, 0.6, 0.5], stopper)
    assert history.epochs == [1, 2, 3, 4, 5, 6, 7]
    assert history["val_loss"] == [1.0, 0.8, 0.9, 0.7, 0.75, 0.72, 0.71]
    assert (stopper.best, stopper.best_epoch, stopper.stopped_epoch) == (0.7, 4, 7)


def test_early_stopping_restores_the_weights_of_the_best_epoch():
    model, _, states = train([1.0, 0.8, 0.9, 0.7, 0.75, 0.72, 0.71], EarlyStopping(patience=3))
    assert_state_equal(model.state_dict(), states[3])  # epoch 4
    assert not np.array_equal(states[3]["weight"], states[-1]["weight"])


def test_early_stopping_restores_the_best_weights_even_without_stopping():
    stopper = EarlyStopping(patience=5)
    model, _, states = train([1.0, 0.5, 0.6, 0.7], stopper)
    assert stopper.stopped_epoch is None
    assert_state_equal(model.state_dict(), states[1])


def test_early_stopping_without_restore_keeps_the_last_weights():
    model, _, states = train([1.0, 0.8, 0.9, 0.95], EarlyStopping(patience=2, restore_best=False))
    assert_state_equal(model.state_dict(), states[-1])


def test_an_improvement_must_exceed_min_delta():
    stopper = EarlyStopping(patience=2, min_delta=0.05)
    _, history, _ = train([1.0, 0.96, 0.951, 0.9], stopper)  # drops of 0.04, 0.049
    assert history.epochs == [1, 2, 3] and stopper.best_epoch == 1


def test_mode_max_follows_an_accuracy():
    stopper = EarlyStopping(monitor="val_accuracy", patience=2, mode="max", restore_best=False)
    stopper.on_train_begin()
    for epoch, value in enumerate([0.5, 0.6, 0.6, 0.55], start=1):
        stopper.on_epoch_end(epoch, {"val_accuracy": value})
    assert (stopper.best_epoch, stopper.stopped_epoch, stopper.stop_training) == (2, 4, True)


def test_a_monitor_that_is_not_logged_is_a_clear_error():
    stopper = EarlyStopping()
    stopper.on_train_begin()
    with pytest.raises(KeyError, match="'val_loss' is not logged.*val_loader"):
        stopper.on_epoch_end(1, {"loss": 0.3, "lr": 0.1})


def test_a_bad_mode_is_refused():
    with pytest.raises(ValueError, match="mode must be 'min' or 'max'"):
        EarlyStopping(mode="minimum")


def test_model_checkpoint_saves_the_best_epoch_for_dlbook_load(tmp_path):
    path = tmp_path / "best.npz"
    checkpoint = ModelCheckpoint(path)
    _, _, states = train([1.0, 0.5, 0.7, 0.6], checkpoint)
    assert checkpoint.best_epoch == 2
    assert_state_equal(dlbook.load(path), states[1])


def test_model_checkpoint_can_save_every_epoch_under_a_pattern(tmp_path):
    checkpoint = ModelCheckpoint(tmp_path / "epoch{epoch:02d}-{val_loss:.1f}.npz",
                                 save_best_only=False)
    _, _, states = train([1.0, 0.5, 0.7], checkpoint)
    names = ["epoch01-1.0.npz", "epoch02-0.5.npz", "epoch03-0.7.npz"]
    assert sorted(p.name for p in tmp_path.iterdir()) == names
    assert_state_equal(dlbook.load(tmp_path / names[2]), states[2])
