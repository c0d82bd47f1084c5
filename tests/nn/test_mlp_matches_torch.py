"""A whole MLP: same state in both, same loss and gradients, and its state back into torch."""

import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import dlbook.nn as nn
from dlbook.backend import to_device
from dlbook.testing import assert_close, to_numpy, to_torch, twins
from dlbook.testing.strategies import float_dtypes


def both_mlps():
    ours = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 8), nn.Tanh(),
                         nn.Linear(8, 3))
    theirs = torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.ReLU(), torch.nn.Linear(16, 8),
                                 torch.nn.Tanh(), torch.nn.Linear(8, 3))
    return ours, theirs


@settings(max_examples=20)
@given(seed=st.integers(0, 2**16), dtype=float_dtypes, steps=st.integers(1, 3))
def test_mlp_loss_gradients_and_sgd_steps_match_torch(device, seed, dtype, steps):
    torch.manual_seed(seed)
    ours, theirs = twins(*both_mlps(), dtype, device)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((10, 4)).astype(dtype)
    labels = rng.integers(0, 3, size=10)
    criterion, torch_criterion = nn.CrossEntropyLoss(), torch.nn.CrossEntropyLoss()
    for _ in range(steps):  # a few hand-written SGD steps, so that errors would compound
        ours.zero_grad()
        theirs.zero_grad()
        loss = criterion(ours(to_device(x, device)), to_device(labels, device))
        ours.backward(criterion.backward())
        loss_t = torch_criterion(theirs(to_torch(x, device)), to_torch(labels, device))
        loss_t.backward()
        assert_close(np.asarray(loss, dtype=dtype), loss_t, name="loss")
        torch_params = dict(theirs.named_parameters())
        for name, param in ours.named_parameters():
            assert_close(param.grad, torch_params[name].grad, name=f"dL/d{name}")
            param.data -= 0.1 * param.grad
        with torch.no_grad():
            for p in theirs.parameters():
                p -= 0.1 * p.grad

    back = both_mlps()[1].to(device=device, dtype=theirs[0].weight.dtype)
    back.load_state_dict({k: to_torch(v, device) for k, v in ours.state_dict().items()})
    with torch.no_grad():
        assert_close(to_numpy(ours(to_device(x, device))), back(to_torch(x, device)),
                     name="outputs after the round trip")
