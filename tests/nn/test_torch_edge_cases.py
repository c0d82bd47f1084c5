"""Where torch has an answer, dlbook gives it: empty batches, promoted loss dtypes, the implicit
softmax dim, float class indices and out-of-range classes in the functional API."""

import warnings

import numpy as np
import pytest
import torch

import dlbook.nn as nn
import dlbook.nn.functional as F
from dlbook.testing import (
    assert_close,
    assert_loss_matches_torch,
    assert_module_matches_torch,
    to_numpy,
    to_torch,
    twins,
)

LAYERS = {
    "Linear": (lambda: nn.Linear(3, 2), lambda: torch.nn.Linear(3, 2), (0, 3)),
    "ReLU": (nn.ReLU, torch.nn.ReLU, (0, 3)),
    "LeakyReLU": (nn.LeakyReLU, torch.nn.LeakyReLU, (0, 3)),
    "Sigmoid": (nn.Sigmoid, torch.nn.Sigmoid, (0, 3)),
    "Tanh": (nn.Tanh, torch.nn.Tanh, (0, 3)),
    "Softmax": (lambda: nn.Softmax(1), lambda: torch.nn.Softmax(1), (0, 3)),
    "LogSoftmax": (lambda: nn.LogSoftmax(1), lambda: torch.nn.LogSoftmax(1), (0, 3)),
    "Softmax over an empty dim": (lambda: nn.Softmax(1), lambda: torch.nn.Softmax(1), (3, 0)),
    "LogSoftmax over an empty dim": (lambda: nn.LogSoftmax(-1), lambda: torch.nn.LogSoftmax(-1),
                                     (2, 0)),
    "Flatten": (nn.Flatten, torch.nn.Flatten, (0, 3, 2)),
    "Identity": (nn.Identity, torch.nn.Identity, (0, 3)),
    "MLP": (lambda: nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)),
            lambda: torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(),
                                        torch.nn.Linear(4, 2)), (0, 3)),
}


@pytest.mark.parametrize("name", LAYERS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_an_empty_batch_passes_every_layer_like_torch(name, dtype):
    ours, theirs, shape = LAYERS[name]
    module, torch_module = twins(ours(), theirs(), dtype)
    x = np.zeros(shape, dtype=dtype)
    y_shape = tuple(torch_module(torch.zeros(shape, dtype=to_torch(x).dtype)).shape)
    assert_module_matches_torch(module, torch_module, x, np.zeros(y_shape, dtype=dtype))


LOSSES = {
    "MSELoss": (nn.MSELoss, torch.nn.MSELoss, np.zeros((0, 3))),
    "L1Loss": (nn.L1Loss, torch.nn.L1Loss, np.zeros((0, 3))),
    "BCELoss": (nn.BCELoss, torch.nn.BCELoss, np.zeros((0, 3))),
    "BCEWithLogitsLoss": (nn.BCEWithLogitsLoss, torch.nn.BCEWithLogitsLoss, np.zeros((0, 3))),
    "CrossEntropyLoss": (nn.CrossEntropyLoss, torch.nn.CrossEntropyLoss,
                         np.zeros(0, dtype=np.int64)),
    "CrossEntropyLoss, probabilities": (nn.CrossEntropyLoss, torch.nn.CrossEntropyLoss,
                                        np.zeros((0, 3))),
    "NLLLoss": (nn.NLLLoss, torch.nn.NLLLoss, np.zeros(0, dtype=np.int64)),
}


@pytest.mark.parametrize("name", LOSSES)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_an_empty_batch_gives_every_loss_torchs_value(name, reduction):
    ours, theirs, target = LOSSES[name]
    x = np.zeros((0, 3))
    target = target if target.dtype.kind == "i" else target.astype(x.dtype)
    loss_shape = theirs(reduction="none")(to_torch(x), to_torch(target)).shape
    grad_out = np.zeros(tuple(loss_shape)) if reduction == "none" else None
    assert_loss_matches_torch(ours(reduction=reduction), theirs(reduction=reduction), x, target,
                              grad_out=grad_out)


@pytest.mark.filterwarnings("ignore:Initializing zero-element tensors is a no-op")
def test_linear_with_no_inputs_constructs_like_torch():
    ours, theirs = nn.Linear(0, 3), torch.nn.Linear(0, 3)
    assert ours.weight.shape == (3, 0) and not ours.bias.data.any()
    y = ours(np.zeros((2, 0), dtype=np.float32))
    assert_close(y, theirs(torch.zeros(2, 0)))


# -- loss dtypes -------------------------------------------------------------------------------
PROMOTING = {
    "MSELoss": (nn.MSELoss, torch.nn.MSELoss, lambda rng: rng.standard_normal((4, 3))),
    "L1Loss": (nn.L1Loss, torch.nn.L1Loss, lambda rng: rng.standard_normal((4, 3))),
    "BCEWithLogitsLoss": (nn.BCEWithLogitsLoss, torch.nn.BCEWithLogitsLoss,
                          lambda rng: rng.random((4, 3))),
    "CrossEntropyLoss": (nn.CrossEntropyLoss, torch.nn.CrossEntropyLoss,
                         lambda rng: rng.dirichlet(np.ones(3), size=4)),
}


@pytest.mark.parametrize("name", PROMOTING)
@pytest.mark.parametrize("dtypes", [(np.float32, np.float64), (np.float64, np.float32)])
@pytest.mark.parametrize("reduction", ["mean", "none"])
def test_a_target_of_another_float_dtype_is_promoted_like_torch(name, dtypes, reduction):
    ours, theirs, draw = PROMOTING[name]
    rng = np.random.default_rng(0)
    x, target = rng.standard_normal((4, 3)).astype(dtypes[0]), draw(rng).astype(dtypes[1])
    loss = ours(reduction=reduction)(x, target)
    x_t = to_torch(x, requires_grad=True)
    loss_t = theirs(reduction=reduction)(x_t, to_torch(target))
    if reduction == "none":
        assert loss.dtype == to_numpy(loss_t).dtype  # torch's dtype, not always the input's
        np.testing.assert_allclose(loss, to_numpy(loss_t), rtol=1e-6)  # float32 steps inside
        criterion = ours(reduction=reduction)
        criterion(x, target)
        grad = criterion.backward(np.ones(loss.shape, dtype=loss.dtype))
        loss_t.backward(torch.ones_like(loss_t))
    else:
        assert loss == pytest.approx(loss_t.item(), rel=1e-6)
        criterion = ours(reduction=reduction)
        criterion(x, target)
        grad = criterion.backward()
        loss_t.backward()
    assert grad.dtype == x.dtype  # dL/dinput keeps the input's dtype
    assert_close(grad, x_t.grad)


@pytest.mark.parametrize("ours, theirs", [(nn.MSELoss, torch.nn.MSELoss),
                                          (nn.L1Loss, torch.nn.L1Loss)])
def test_an_integer_regression_target_takes_the_inputs_dtype_like_torch(ours, theirs):
    x, target = np.linspace(-1, 1, 6, dtype=np.float32).reshape(2, 3), np.arange(6).reshape(2, 3)
    assert_loss_matches_torch(ours(), theirs(), x, target)


def test_bce_refuses_a_target_of_another_dtype_like_torch():
    x = np.full(3, 0.5, dtype=np.float32)
    with pytest.raises(RuntimeError, match="Found dtype Double but expected Float"):
        torch.nn.BCELoss()(to_torch(x), torch.ones(3, dtype=torch.float64))
    with pytest.raises(TypeError, match=r"BCELoss\(\): target is float64 but the input is float32"):
        nn.BCELoss()(x, np.ones(3))


@pytest.mark.parametrize("loss", [nn.CrossEntropyLoss(), nn.NLLLoss(), F.cross_entropy,
                                  F.nll_loss])
def test_float_class_indices_are_refused_saying_indices_must_be_integers(loss):
    with pytest.raises(TypeError, match="class indices must be integers"):
        loss(np.zeros((3, 4)), np.array([0.0, 1.0, 2.0]))


@pytest.mark.parametrize("function, torch_function, bad", [
    (F.cross_entropy, torch.nn.functional.cross_entropy, 4),
    (F.nll_loss, torch.nn.functional.nll_loss, -1),
])
def test_the_functional_losses_refuse_a_class_out_of_range_like_torch(function, torch_function,
                                                                      bad):
    target = np.array([0, 1, bad])
    with pytest.raises(IndexError, match=f"Target {bad} is out of bounds"):
        torch_function(torch.zeros(3, 4), to_torch(target))
    with pytest.raises(IndexError, match=f"target {bad} is out of range for 4 classes"):
        function(np.zeros((3, 4)), target)
    with pytest.raises(IndexError, match=f"target {bad} is out of range"):
        getattr(F, function.__name__ + "_backward")(1.0, np.zeros((3, 4)), target)


@pytest.mark.parametrize("criterion", [nn.MSELoss, nn.L1Loss, nn.BCELoss, nn.BCEWithLogitsLoss,
                                       nn.CrossEntropyLoss, nn.NLLLoss])
def test_a_loss_with_reduction_none_needs_a_gradient_like_torch(criterion):
    x, target = np.full((2, 3), 0.5), np.full((2, 3), 0.25)
    if criterion in (nn.CrossEntropyLoss, nn.NLLLoss):
        target = np.array([0, 2])
    loss = criterion(reduction="none")
    loss(x, target)
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar"):
        loss.backward()


# -- Softmax without dim -----------------------------------------------------------------------
@pytest.mark.parametrize("ours, theirs", [(nn.Softmax, torch.nn.Softmax),
                                          (nn.LogSoftmax, torch.nn.LogSoftmax)])
@pytest.mark.parametrize("shape", [(), (4,), (2, 3), (2, 3, 4), (2, 3, 4, 2)])
def test_softmax_without_dim_follows_torchs_implicit_rule_and_warns(ours, theirs, shape):
    x = np.random.default_rng(0).standard_normal(shape)
    with pytest.warns(UserWarning, match="Implicit dimension choice") as ours_warnings:
        module = ours()
        y = module(x)
    with pytest.warns(UserWarning, match="Implicit dimension choice") as theirs_warnings:
        y_t = theirs()(to_torch(x))
    assert str(ours_warnings[0].message) == str(theirs_warnings[0].message)
    assert_close(y, y_t)
    assert repr(module) == repr(theirs())


def test_softmax_with_a_dim_does_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nn.Softmax(dim=1)(np.zeros((2, 3)))
        F.log_softmax(np.zeros((2, 3)), dim=-1)


@pytest.mark.parametrize("dim", [0, -1])
def test_softmax_of_a_0d_input_along_its_only_dim_is_one_like_torch(dim):
    y = nn.Softmax(dim)(np.array(2.5))
    assert_close(y, torch.nn.Softmax(dim)(torch.tensor(2.5, dtype=torch.float64)))
