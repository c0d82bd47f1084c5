"""Neural-network building blocks, named as in ``torch.nn``."""

from dlbook.nn import functional, init, utils
from dlbook.nn.activation import LeakyReLU, LogSoftmax, ReLU, ReLU6, Sigmoid, Softmax, Tanh
from dlbook.nn.batchnorm import BatchNorm1d, BatchNorm2d
from dlbook.nn.container import Sequential
from dlbook.nn.conv import Conv2d
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
from dlbook.nn.pooling import AdaptiveAvgPool2d, AvgPool2d, MaxPool2d
from dlbook.nn.rnn import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNCell
from dlbook.nn.sparse import Embedding

__all__ = [
    "AdaptiveAvgPool2d", "AvgPool2d", "BCELoss", "BCEWithLogitsLoss", "BatchNorm1d", "BatchNorm2d",
    "Conv2d", "CrossEntropyLoss", "Dropout", "Embedding", "Flatten", "GRU", "GRUCell", "Identity",
    "L1Loss", "LSTM", "LSTMCell", "LeakyReLU", "Linear", "LogSoftmax", "MSELoss", "MaxPool2d",
    "Module", "NLLLoss", "Parameter", "RNN", "RNNCell", "ReLU", "ReLU6",
    "Sequential", "Sigmoid", "Softmax", "Tanh", "functional", "init", "utils",
]
