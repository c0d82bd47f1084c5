"""Neural-network building blocks, named as in ``torch.nn``."""

from dlbook.nn import functional, init, utils
from dlbook.nn.activation import LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from dlbook.nn.batchnorm import BatchNorm1d, BatchNorm2d
from dlbook.nn.container import Sequential
from dlbook.nn.dropout import Dropout
from dlbook.nn.flatten import Flatten
from dlbook.nn.linear import Identity, Linear
from dlbook.nn.loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
)
from dlbook.nn.module import Module
from dlbook.nn.parameter import Parameter

__all__ = [
    "BCELoss", "BCEWithLogitsLoss", "BatchNorm1d", "BatchNorm2d", "CrossEntropyLoss", "Dropout",
    "Flatten", "Identity", "L1Loss", "LeakyReLU", "Linear", "LogSoftmax", "MSELoss", "Module",
    "NLLLoss", "Parameter", "ReLU", "Sequential", "Sigmoid", "Softmax", "Tanh", "functional",
    "init", "utils",
]
