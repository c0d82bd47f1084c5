"""Every backward agrees with finite differences, independently of torch."""

import numpy as np
import pytest

import dlbook
import dlbook.nn as nn
from dlbook.testing import gradcheck

rng = np.random.default_rng(0)
X = rng.standard_normal((4, 3))
INDICES = np.array([0, 2, 1, 2])
BINARY = (rng.random((4, 3)) > 0.5).astype(float)
X3, X4 = rng.standard_normal((3, 2, 4)), rng.standard_normal((3, 2, 2, 2))


def batchnorm(layer, x, train: bool):
    """``layer`` in float64 with γ, β and running statistics away from 1, 0, 0, 1."""
    layer.double()
    if layer.affine:
        layer.weight.data = rng.uniform(0.5, 2.0, layer.num_features)
        layer.bias.data = rng.uniform(-1.0, 1.0, layer.num_features)
    with dlbook.no_grad():
        layer(3 * x + 1)  # one training step moves the running statistics
    return layer.train(train)


class FixedDraws:
    """A generator that draws the same numbers every time: a Dropout mask held still while
    finite differences call the layer again and again."""

    def __init__(self, shape):
        self.draws = rng.random(shape)

    def random(self, shape):
        return self.draws

CASES = {
    "Linear": (nn.Linear(3, 2), X),
    "Identity": (nn.Identity(), X),
    "Flatten": (nn.Flatten(), rng.standard_normal((2, 3, 2))),
    "ReLU": (nn.ReLU(), X),
    "LeakyReLU": (nn.LeakyReLU(0.1), X),
    "Sigmoid": (nn.Sigmoid(), X),
    "Tanh": (nn.Tanh(), X),
    "Softmax": (nn.Softmax(dim=1), X),
    "LogSoftmax": (nn.LogSoftmax(dim=0), X),
    "Conv2d": (nn.Conv2d(2, 3, (2, 3), stride=(2, 1), padding=1, dilation=(1, 2)),
               rng.standard_normal((2, 2, 4, 5))),
    "Conv2d depthwise reflect": (nn.Conv2d(2, 4, 3, padding=1, groups=2, padding_mode="reflect"),
                                 rng.standard_normal((2, 2, 4, 3))),
    "MaxPool2d": (nn.MaxPool2d(2, stride=1, padding=1), X4),
    "AvgPool2d": (nn.AvgPool2d(2, stride=1, padding=1, count_include_pad=False), X4),
    "AdaptiveAvgPool2d": (nn.AdaptiveAvgPool2d((3, 1)), X4),
    "ReLU6": (nn.ReLU6(), 4 * X),
    "MLP": (nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 2)), X),
    "MSELoss": (nn.MSELoss(), X, X.T[:, :1].T.repeat(4, 0)),
    "L1Loss": (nn.L1Loss(reduction="sum"), X, np.zeros_like(X) + 0.5),
    "BCELoss": (nn.BCELoss(), 1 / (1 + np.exp(-X)), BINARY),
    "BCEWithLogitsLoss": (nn.BCEWithLogitsLoss(pos_weight=np.array([1.0, 2.0, 0.5])), X, BINARY),
    "CrossEntropyLoss": (nn.CrossEntropyLoss(weight=np.array([1.0, 2.0, 0.5]),
                                             label_smoothing=0.1), X, INDICES),
    "CrossEntropyLoss-probabilities": (nn.CrossEntropyLoss(), X, np.full((4, 3), 1 / 3)),
    "NLLLoss": (nn.NLLLoss(reduction="none"), X, INDICES),
    "Dropout-train": (nn.Dropout(0.4, generator=FixedDraws(X.shape)), X),
    "Dropout-eval": (nn.Dropout(0.4).eval(), X),
    "BatchNorm1d-train": (batchnorm(nn.BatchNorm1d(3), X, train=True), X),
    "BatchNorm1d-eval": (batchnorm(nn.BatchNorm1d(3), X, train=False), X),
    "BatchNorm1d-(N, C, L)-train": (batchnorm(nn.BatchNorm1d(2), X3, train=True), X3),
    "BatchNorm1d-affine-False": (batchnorm(nn.BatchNorm1d(2, affine=False), X3, train=True), X3),
    "BatchNorm2d-train": (batchnorm(nn.BatchNorm2d(2), X4, train=True), X4),
    "BatchNorm2d-eval": (batchnorm(nn.BatchNorm2d(2), X4, train=False), X4),
    "BatchNorm2d-no-running-stats-eval": (batchnorm(nn.BatchNorm2d(2, track_running_stats=False),
                                                    X4, train=False), X4),
}


@pytest.mark.parametrize("name", CASES)
def test_backward_agrees_with_finite_differences(name):
    module, *inputs = CASES[name]
    assert gradcheck(module.double(), *inputs)


def test_gradcheck_catches_a_wrong_backward():
    class WrongSigmoid(nn.Sigmoid):
        def backward(self, grad_out):
            return grad_out * self.y  # forgot the (1 − σ) factor

    with pytest.raises(AssertionError, match="gradient of input differs"):
        gradcheck(WrongSigmoid(), X)


def test_gradcheck_insists_on_float64():
    with pytest.raises(TypeError, match="needs float64"):
        gradcheck(nn.Linear(3, 2), X)


def test_gradcheck_passes_a_transposed_input():
    x = np.random.default_rng(1).standard_normal((3, 4)).T  # (4, 3), a view in F order
    assert not x.flags.c_contiguous
    assert gradcheck(nn.Linear(3, 2).double(), x)


def test_gradcheck_passes_a_fortran_ordered_weight():
    layer = nn.Linear(3, 2).double()
    layer.weight.data = np.asfortranarray(layer.weight.data)
    assert not layer.weight.data.flags.c_contiguous
    assert gradcheck(layer, X)


def test_gradcheck_catches_a_wrong_backward_on_a_transposed_input():
    class DoubledTanh(nn.Tanh):
        def backward(self, grad_out):
            return 2 * super().backward(grad_out)  # a stray factor of 2

    x = np.random.default_rng(1).standard_normal((3, 4)).T
    with pytest.raises(AssertionError, match="gradient of input differs"):
        gradcheck(DoubledTanh(), x)
