"""``fit``: the training loop of chapter 5, written once, with history, metrics and callbacks.

One epoch is the loop every chapter writes by hand::

    for x, y in train_loader:
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        model.backward(loss_fn.backward())
        optimizer.step()

``fit`` repeats it for ``epochs`` epochs and after each one evaluates on ``val_loader``, steps
the scheduler, records everything in a ``History`` and asks the callbacks whether to stop.
"""

from tqdm.auto import tqdm  # a widget in Jupyter, a text bar on stderr in a terminal

from dlbook.grad_mode import no_grad
from dlbook.optim.lr_scheduler import ReduceLROnPlateau
from dlbook.train.history import History


def fit(model, loss_fn, optimizer, train_loader, val_loader=None, epochs: int = 1,
        metrics=None, scheduler=None, callbacks=(), progress: bool = True) -> History:
    """Train ``model`` for ``epochs`` epochs; return the ``History`` of every epoch's logs.

    Args:
        model: a Module; ``model(x)`` gives the outputs that ``loss_fn`` compares with ``y``.
        loss_fn: a loss module (``nn.CrossEntropyLoss()``): ``loss_fn(outputs, y)`` returns a
            float and ``loss_fn.backward()`` dL/doutputs.
        optimizer: anything with ``zero_grad()``, ``step()`` and ``param_groups``.
        train_loader, val_loader: iterables of batches ``(x, y)``, as a DataLoader gives;
            x (N, *) and y (N, *) with the same N.
        metrics: ``{"accuracy": accuracy}``, name → function(outputs, y) → float, averaged
            over the samples of an epoch, on the training batches and on ``val_loader``.
        scheduler: stepped once per epoch; ``ReduceLROnPlateau`` is stepped with the
            validation loss (the training loss without ``val_loader``).
        callbacks: ``EarlyStopping``, ``ModelCheckpoint`` or any ``Callback``.
        progress: show a progress bar over the epochs, with the last losses.

    Each epoch logs "loss", then each metric, then "val_loss" and "val_<metric>" with
    ``val_loader``, then "lr": the learning rate of ``param_groups[0]`` that the epoch
    trained with. The losses and metrics are means over samples (a batch of 10 counts 10
    times), taken while the parameters changed, as chapter 5 explains.
    """
    metrics = dict(metrics or {})
    history = History()
    for callback in callbacks:
        callback.set_model(model)
        callback.on_train_begin()
    with tqdm(total=epochs, disable=not progress) as bar:  # one step per epoch
        for epoch in range(1, epochs + 1):
            lr = optimizer.param_groups[0]["lr"]
            logs = train_one_epoch(model, loss_fn, optimizer, train_loader, metrics)
            if val_loader is not None:
                val_logs = evaluate(model, loss_fn, val_loader, metrics)
                logs.update({f"val_{name}": value for name, value in val_logs.items()})
            logs["lr"] = lr
            history.append(epoch, logs)

            if isinstance(scheduler, ReduceLROnPlateau):  # it steps on a metric
                scheduler.step(logs.get("val_loss", logs["loss"]))
            elif scheduler is not None:
                scheduler.step()
            bar.set_postfix({k: v for k, v in logs.items() if k.endswith("loss")}, refresh=False)
            bar.update()
            for callback in callbacks:
                callback.on_epoch_end(epoch, logs)
            if any(callback.stop_training for callback in callbacks):
                break
    for callback in callbacks:
        callback.on_train_end()
    return history


def train_one_epoch(model, loss_fn, optimizer, loader, metrics=None) -> dict:
    """One pass over ``loader`` in training mode, one update per batch.

    Returns {"loss": mean loss, name: mean metric, …}, means over the samples.
    """
    model.train()
    means = _Means()
    for x, y in loader:
        optimizer.zero_grad()
        outputs = model(x)
        loss = loss_fn(outputs, y)
        model.backward(loss_fn.backward())
        optimizer.step()
        means.add(loss, outputs, y, metrics)
    return means.result("train_loader")


@no_grad()
def evaluate(model, loss_fn, loader, metrics=None) -> dict:
    """Loss and metrics of ``model`` over ``loader``, in eval mode and without gradients.

    Returns {"loss": mean loss, name: mean metric, …}, means over the samples. The model is
    left in eval mode; ``fit`` switches it back to training mode for the next epoch.
    """
    model.eval()
    means = _Means()
    for x, y in loader:
        outputs = model(x)
        means.add(loss_fn(outputs, y), outputs, y, metrics)
    return means.result("loader")


class _Means:
    """Running means over samples of the loss and the metrics, batch by batch."""

    def __init__(self):
        self.sums, self.count = {}, 0

    def add(self, loss, outputs, targets, metrics):
        n = len(targets)  # a batch counts as many times as it has samples
        values = {"loss": loss} | {name: f(outputs, targets) for name, f in (metrics or {}).items()}
        for name, value in values.items():
            self.sums[name] = self.sums.get(name, 0.0) + n * float(value)
        self.count += n

    def result(self, loader_name: str) -> dict:
        if self.count == 0:
            raise ValueError(f"{loader_name} gave no batches")
        return {name: total / self.count for name, total in self.sums.items()}


def accuracy(outputs, targets) -> float:
    """The fraction of samples whose predicted class is the target.

    Shapes: outputs (N, C) logits (or probabilities) with targets (N,) class indices: the
    prediction is the argmax. Outputs (N,) or (N, 1), one logit per sample, with targets of
    the same number of 0/1 labels: the prediction is 1 where the logit is > 0.
    """
    if outputs.ndim == 1 or outputs.shape[-1] == 1:
        predicted = outputs.reshape(-1) > 0  # σ(z) > 0.5 exactly when z > 0
        targets = targets.reshape(-1)
    else:
        predicted = outputs.argmax(axis=-1)
    return float((predicted == targets).mean())
