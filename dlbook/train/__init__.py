"""A small fit loop with progress bar, history and early stopping (chapter 7).

``history = fit(model, loss_fn, optimizer, train_loader, val_loader, epochs=20,
metrics={"accuracy": accuracy}, callbacks=[EarlyStopping(patience=3)])`` runs chapter 5's
loop epoch after epoch; ``dlbook.plot.history(history)`` draws the curves.
"""

from dlbook.train.callbacks import Callback, EarlyStopping, ModelCheckpoint
from dlbook.train.fit import accuracy, evaluate, fit, train_one_epoch
from dlbook.train.history import History

__all__ = ["Callback", "EarlyStopping", "History", "ModelCheckpoint", "accuracy", "evaluate",
           "fit", "train_one_epoch"]
