"""Every loss, with every reduction and option, equals torch's in value and gradient."""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import dlbook.nn as nn
import dlbook.nn.functional as F
from dlbook.backend import to_device
from dlbook.testing import assert_loss_matches_torch, to_torch
from dlbook.testing.strategies import arrays, float_dtypes, shapes

reductions = st.sampled_from(["mean", "sum", "none"])


def compare(data, device, criterion, torch_criterion, input, target, reduction):
    input, target = to_device(input, device), to_device(target, device)
    grad_out = None
    if reduction == "none":
        loss_shape = tuple(torch_criterion(to_torch(input), to_torch(target)).shape)
        grad_out = to_device(data.draw(arrays(input.dtype, loss_shape, bound=1.0)), device)
    assert_loss_matches_torch(criterion, torch_criterion, input, target, device, grad_out)


@pytest.mark.parametrize("ours, theirs", [(nn.MSELoss, torch.nn.MSELoss),
                                          (nn.L1Loss, torch.nn.L1Loss)])
@given(data=st.data(), dtype=float_dtypes, shape=shapes(), reduction=reductions)
def test_regression_losses_match_torch(device, ours, theirs, data, dtype, shape, reduction):
    input, target = data.draw(arrays(dtype, shape)), data.draw(arrays(dtype, shape))
    compare(data, device, ours(reduction=reduction), theirs(reduction=reduction), input, target,
            reduction)


@given(data=st.data(), dtype=float_dtypes, shape=shapes(min_dims=1), reduction=reductions,
       weighted=st.booleans())
def test_bce_matches_torch(device, data, dtype, shape, reduction, weighted):
    p = F.sigmoid(data.draw(arrays(dtype, shape)))  # probabilities, 0 and 1 included
    target = data.draw(arrays(dtype, shape, bound=1.0)) ** 2
    weight = data.draw(arrays(dtype, shape[-1:], bound=2.0)) if weighted else None
    compare(data, device, nn.BCELoss(to_device(weight, device) if weighted else None,
                                     reduction=reduction),
            torch.nn.BCELoss(to_torch(weight, device) if weighted else None, reduction=reduction),
            p, target, reduction)


@given(data=st.data(), dtype=float_dtypes, shape=shapes(min_dims=1), reduction=reductions,
       options=st.sampled_from(["plain", "weight", "pos_weight"]))
def test_bce_with_logits_matches_torch(device, data, dtype, shape, reduction, options):
    logits = data.draw(arrays(dtype, shape, bound=30.0))
    target = (data.draw(arrays(dtype, shape, bound=1.0)) > 0).astype(dtype)
    extra = data.draw(arrays(dtype, shape[-1:], bound=3.0)) ** 2
    ours = {options: to_device(extra, device)} if options != "plain" else {}
    theirs = {options: to_torch(extra, device)} if options != "plain" else {}
    compare(data, device, nn.BCEWithLogitsLoss(reduction=reduction, **ours),
            torch.nn.BCEWithLogitsLoss(reduction=reduction, **theirs), logits, target, reduction)


@st.composite
def classification(draw, probabilities: bool):
    """Logits (N, C, d…) or (C,), and class-index or class-probability targets."""
    dtype = draw(float_dtypes)
    n, c = draw(st.integers(1, 5)), draw(st.integers(2, 6))
    extra = draw(st.sampled_from([(), (3,), None]))  # None: a single unbatched sample (C,)
    shape = (c,) if extra is None else (n, c) + extra
    logits = draw(arrays(dtype, shape, bound=20.0))
    if probabilities:
        target = F.softmax(draw(arrays(dtype, shape, bound=3.0)), dim=0 if extra is None else 1)
    else:
        index_shape = () if extra is None else (n,) + extra
        target = draw(hnp.arrays(np.int64, index_shape, elements=st.integers(0, c - 1)))
        if target.ndim and draw(st.booleans()):
            target.reshape(-1)[0] = -100  # one ignored sample
    weight = draw(st.none() | arrays(dtype, (c,), bound=2.0).map(lambda w: np.abs(w) + 0.1))
    return logits, target, weight


@given(data=st.data(), probabilities=st.booleans(), reduction=reductions,
       smoothing=st.sampled_from([0.0, 0.1, 0.3]))
def test_cross_entropy_matches_torch(device, data, probabilities, reduction, smoothing):
    logits, target, weight = data.draw(classification(probabilities), label="case")
    compare(data, device,
            nn.CrossEntropyLoss(_dev(weight, device), reduction=reduction,
                                label_smoothing=smoothing),
            torch.nn.CrossEntropyLoss(_tor(weight, device), reduction=reduction,
                                      label_smoothing=smoothing),
            logits, target, reduction)


@given(data=st.data(), case=classification(probabilities=False), reduction=reductions)
def test_nll_loss_matches_torch(device, data, case, reduction):
    logits, target, weight = case
    log_p = F.log_softmax(logits, dim=0 if logits.ndim == 1 else 1)
    compare(data, device, nn.NLLLoss(_dev(weight, device), reduction=reduction),
            torch.nn.NLLLoss(_tor(weight, device), reduction=reduction), log_p, target, reduction)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_losses_stay_finite_and_match_torch_on_extreme_logits(device, dtype):
    logits = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4]], dtype=dtype)
    classes = np.array([1, 0])
    binary = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]], dtype=dtype)
    for ours, theirs, target in [
        (nn.CrossEntropyLoss(), torch.nn.CrossEntropyLoss(), classes),
        (nn.CrossEntropyLoss(label_smoothing=0.1), torch.nn.CrossEntropyLoss(label_smoothing=0.1),
         classes),
        (nn.BCEWithLogitsLoss(), torch.nn.BCEWithLogitsLoss(), binary),
    ]:
        x, t = to_device(logits, device), to_device(target, device)
        loss = ours(x, t)
        assert np.isfinite(loss) and np.all(np.isfinite(to_device(ours.backward(), "cpu")))
        assert_loss_matches_torch(ours, theirs, x, t, device)


def test_bce_clamps_log_at_minus_100_like_torch():
    p, target = np.array([0.0, 1.0]), np.array([1.0, 0.0])
    assert nn.BCELoss()(p, target) == 100.0
    assert torch.nn.BCELoss()(torch.tensor(p), torch.tensor(target)).item() == 100.0


def _dev(weight, device):
    return None if weight is None else to_device(weight, device)


def _tor(weight, device):
    return None if weight is None else to_torch(weight, device)
