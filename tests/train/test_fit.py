"""fit runs chapter 5's loop epoch after epoch: the same updates, the logs Keras keeps."""

import numpy as np
import pytest

import dlbook
import dlbook.nn as nn
from dlbook.data import DataLoader, TensorDataset
from dlbook.optim import SGD
from dlbook.optim.lr_scheduler import ReduceLROnPlateau, StepLR
from dlbook.train import Callback, History, accuracy, evaluate, fit


def points(n=120, seed=0):
    """2-D points labelled by the quadrant sign (x₀·x₁ > 0): not linearly separable."""
    x = np.random.default_rng(seed).uniform(-1, 1, size=(n, 2)).astype(np.float32)
    return x, (x[:, 0] * x[:, 1] > 0).astype(np.int64)


def loaders(batch_size=16):
    x, y = points()
    train = DataLoader(TensorDataset(x[:90], y[:90]), batch_size=batch_size, shuffle=True,
                       generator=np.random.default_rng(0))
    return train, DataLoader(TensorDataset(x[90:], y[90:]), batch_size=batch_size)


def mlp(seed=0):
    dlbook.manual_seed(seed)
    return nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 2))


def run(epochs=3, **kwargs):
    model, (train, val) = mlp(), loaders()
    optimizer = SGD(model.parameters(), lr=0.5)
    history = fit(model, nn.CrossEntropyLoss(), optimizer, train, val, epochs=epochs,
                  metrics={"accuracy": accuracy}, progress=False, **kwargs)
    return model, history


def test_fit_lowers_the_loss_and_learns_the_quadrants():
    _, history = run(epochs=40)
    assert history["loss"][-1] < 0.5 * history["loss"][0]
    assert history["val_loss"][-1] < 0.5 * history["val_loss"][0]
    assert history["accuracy"][-1] >= 0.9 and history["val_accuracy"][-1] >= 0.8


def test_history_logs_every_name_once_per_epoch():
    _, history = run(epochs=3)
    assert isinstance(history, History) and len(history) == 3
    assert history.epochs == [1, 2, 3]
    assert list(history.history) == ["loss", "accuracy", "val_loss", "val_accuracy", "lr"]
    assert all(len(values) == 3 for values in history.history.values())
    assert history["loss"] is history.history["loss"]
    assert all(isinstance(v, float) for values in history.history.values() for v in values)
    assert history["lr"] == [0.5, 0.5, 0.5]


def test_history_repr_is_a_table_of_the_epochs():
    _, history = run(epochs=2)
    lines = repr(history).splitlines()
    assert lines[0] == "History(2 epochs)"
    assert lines[1].split() == ["epoch", "loss", "accuracy", "val_loss", "val_accuracy", "lr"]
    assert lines[2].split()[0] == "1" and lines[3].split()[-1] == "0.5"


def test_a_long_history_repr_shows_its_first_and_last_five_epochs():
    history = History()
    for epoch in range(1, 21):
        history.append(epoch, {"loss": 1 / epoch})
    rows = [line.split()[0] for line in repr(history).splitlines()[2:]]
    assert rows == ["1", "2", "3", "4", "5", "…", "16", "17", "18", "19", "20"]


def test_fit_equals_the_loop_written_by_hand():
    model, history = run(epochs=3)

    by_hand, train = mlp(), loaders()[0]  # fit also validates: that must change nothing
    criterion, optimizer = nn.CrossEntropyLoss(), SGD(by_hand.parameters(), lr=0.5)
    losses = []
    for _ in range(3):
        by_hand.train()
        total, count = 0.0, 0
        for x, y in train:
            optimizer.zero_grad()
            loss = criterion(by_hand(x), y)
            by_hand.backward(criterion.backward())
            optimizer.step()
            total, count = total + loss * len(y), count + len(y)
        losses.append(total / count)

    assert history["loss"] == losses
    for key, value in by_hand.state_dict().items():
        np.testing.assert_array_equal(model.state_dict()[key], value)


def test_the_epoch_loss_is_the_mean_over_samples_not_over_batches():
    x, y = points(10)
    loader = DataLoader(TensorDataset(x, y), batch_size=4)  # batches of 4, 4 and 2
    model, criterion = mlp(), nn.CrossEntropyLoss()
    history = fit(model, criterion, SGD(model.parameters(), lr=0.0), loader, loader,
                  metrics={"accuracy": accuracy}, progress=False)
    with dlbook.no_grad():
        outputs = model(x)
    assert history["loss"][0] == pytest.approx(criterion(outputs, y), rel=1e-6)
    assert history["val_loss"][0] == pytest.approx(criterion(outputs, y), rel=1e-6)
    assert history["val_accuracy"][0] == pytest.approx(accuracy(outputs, y))


class Probe(nn.Identity):
    """Identity that notes, for every forward call, (training mode, grad mode)."""

    def __init__(self):
        super().__init__()
        self.calls = []

    def forward(self, x):
        self.calls.append((self.training, dlbook.is_grad_enabled()))
        return super().forward(x)


def test_validation_runs_in_eval_mode_under_no_grad_and_keeps_no_records():
    probe = Probe()
    model, (train, val) = nn.Sequential(mlp(), probe), loaders()
    criterion = nn.CrossEntropyLoss()
    fit(model, criterion, SGD(model.parameters(), lr=0.1), train, val, epochs=2, progress=False)

    per_epoch = len(train) + len(val)
    assert len(probe.calls) == 2 * per_epoch
    for epoch in range(2):
        calls = probe.calls[epoch * per_epoch:(epoch + 1) * per_epoch]
        assert calls == [(True, True)] * len(train) + [(False, False)] * len(val)
    # Every training forward was undone by its backward; validation saved nothing.
    assert all(module._pending == [] for module in [*model.modules(), criterion])


def test_evaluate_alone_leaves_the_model_in_eval_mode():
    model, (_, val) = mlp(), loaders()
    logs = evaluate(model, nn.CrossEntropyLoss(), val, {"accuracy": accuracy})
    assert list(logs) == ["loss", "accuracy"] and not model.training
    assert dlbook.is_grad_enabled()


class CountingScheduler:
    def __init__(self):
        self.steps = 0

    def step(self):
        self.steps += 1


def test_the_scheduler_steps_once_per_epoch():
    scheduler = CountingScheduler()
    run(epochs=4, scheduler=scheduler)
    assert scheduler.steps == 4


def test_lr_logs_the_rate_each_epoch_trained_with():
    model, (train, _) = mlp(), loaders()
    optimizer = SGD(model.parameters(), lr=0.8)
    history = fit(model, nn.CrossEntropyLoss(), optimizer, train, epochs=5,
                  scheduler=StepLR(optimizer, step_size=2, gamma=0.5), progress=False)
    assert history["lr"] == pytest.approx([0.8, 0.8, 0.4, 0.4, 0.2])
    assert "val_loss" not in history


class RecordingPlateau(ReduceLROnPlateau):
    def step(self, metrics):
        self.seen = [*getattr(self, "seen", []), metrics]
        super().step(metrics)


@pytest.mark.parametrize("with_val", [True, False])
def test_reduce_lr_on_plateau_steps_on_the_val_loss_or_else_the_loss(with_val):
    model, (train, val) = mlp(), loaders()
    optimizer = SGD(model.parameters(), lr=0.5)
    scheduler = RecordingPlateau(optimizer, patience=0)
    history = fit(model, nn.CrossEntropyLoss(), optimizer, train, val if with_val else None,
                  epochs=3, scheduler=scheduler, progress=False)
    assert scheduler.seen == history["val_loss" if with_val else "loss"]


class StopAfter(Callback):
    def __init__(self, epoch):
        self.epoch, self.seen = epoch, []

    def on_epoch_end(self, epoch, logs):
        self.seen.append((epoch, sorted(logs)))
        self.stop_training = epoch == self.epoch


def test_a_callback_sees_each_epochs_logs_and_can_stop_training():
    callback = StopAfter(2)
    _, history = run(epochs=5, callbacks=[callback])
    assert history.epochs == [1, 2]
    names = sorted(["loss", "accuracy", "val_loss", "val_accuracy", "lr"])
    assert callback.seen == [(1, names), (2, names)] and callback.model is not None


def test_the_progress_bar_writes_to_stderr_only_and_can_be_turned_off(capsys):
    model, (train, _) = mlp(), loaders()
    fit(model, nn.CrossEntropyLoss(), SGD(model.parameters(), lr=0.1), train, epochs=2)
    out, err = capsys.readouterr()
    assert out == "" and "2/2" in err and "loss=" in err
    fit(model, nn.CrossEntropyLoss(), SGD(model.parameters(), lr=0.1), train, epochs=2,
        progress=False)
    assert capsys.readouterr() == ("", "")


def test_an_empty_loader_is_an_error():
    model = mlp()
    with pytest.raises(ValueError, match="train_loader gave no batches"):
        fit(model, nn.CrossEntropyLoss(), SGD(model.parameters()), [], progress=False)


def test_accuracy_takes_the_argmax_of_logits():
    logits = np.array([[2.0, 1.0, 0.0], [0.0, 0.5, 3.0], [1.0, 4.0, 0.0], [0.0, 0.0, 1.0]])
    assert accuracy(logits, np.array([0, 2, 0, 2])) == 0.75


@pytest.mark.parametrize("shape", [(4,), (4, 1)])
def test_accuracy_thresholds_a_single_logit_at_zero(shape):
    logits = np.array([-2.0, 0.5, 3.0, -0.1]).reshape(shape)
    assert accuracy(logits, np.array([0.0, 1.0, 0.0, 1.0]).reshape(shape)) == 0.5
