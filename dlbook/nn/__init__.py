"""Neural-network building blocks, named as in ``torch.nn``."""

from dlbook.nn import functional, init
from dlbook.nn.activation import LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from dlbook.nn.container import Sequential
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
    "BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss", "Flatten", "Identity", "L1Loss",
    "LeakyReLU", "Linear", "LogSoftmax", "MSELoss", "Module", "NLLLoss", "Parameter", "ReLU",
    "Sequential", "Sigmoid", "Softmax", "Tanh", "functional", "init",
]
