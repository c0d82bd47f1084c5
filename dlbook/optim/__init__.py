"""Optimizers and learning-rate schedulers, named as in ``torch.optim`` (chapter 6)."""

from dlbook.optim import lr_scheduler
from dlbook.optim.adagrad import Adagrad
from dlbook.optim.adam import Adam, AdamW
from dlbook.optim.optimizer import Optimizer
from dlbook.optim.rmsprop import RMSprop
from dlbook.optim.sgd import SGD

__all__ = ["SGD", "Adagrad", "Adam", "AdamW", "Optimizer", "RMSprop", "lr_scheduler"]
