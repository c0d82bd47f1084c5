"""A module used more than once before its backward gives torch's gradients (DESIGN §4, reuse).

Each forward call keeps its own saved values; backward undoes the calls last in, first out;
what nothing can reach any more is freed, and ``no_grad()`` keeps nothing at all.
"""

import gc
import tracemalloc

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import dlbook
import dlbook.nn as nn
from dlbook.backend import to_device
from dlbook.testing import assert_close, assert_module_matches_torch, to_torch, twins
from dlbook.testing.strategies import arrays, float_dtypes


def draw_input(data, dtype, shape, device):
    return to_device(data.draw(arrays(dtype, shape, bound=2.0), label="x"), device)


@given(data=st.data(), batch=st.integers(1, 5), width=st.integers(1, 6), seed=st.integers(0, 99))
def test_one_relu_used_twice_matches_torch(device, data, batch, width, seed):
    torch.manual_seed(seed)
    relu, torch_relu = nn.ReLU(), torch.nn.ReLU()
    ours = nn.Sequential(nn.Linear(width, width), relu, nn.Linear(width, 3), relu)
    theirs = torch.nn.Sequential(torch.nn.Linear(width, width), torch_relu,
                                 torch.nn.Linear(width, 3), torch_relu)
    dtype = data.draw(float_dtypes, label="dtype")
    twins(ours, theirs, dtype, device)
    x = draw_input(data, dtype, (batch, width), device)
    grad_out = draw_input(data, dtype, (batch, 3), device)
    assert_module_matches_torch(ours, theirs, x, grad_out, device)


@given(data=st.data(), batch=st.integers(1, 5), width=st.integers(1, 6), seed=st.integers(0, 99))
def test_a_linear_tied_to_itself_matches_torch(device, data, batch, width, seed):
    torch.manual_seed(seed)
    lin, torch_lin = nn.Linear(width, width), torch.nn.Linear(width, width)
    ours = nn.Sequential(lin, nn.Tanh(), lin)
    theirs = torch.nn.Sequential(torch_lin, torch.nn.Tanh(), torch_lin)
    dtype = data.draw(float_dtypes, label="dtype")
    twins(ours, theirs, dtype, device)
    x = draw_input(data, dtype, (batch, width), device)
    grad_out = draw_input(data, dtype, (batch, width), device)
    assert_module_matches_torch(ours, theirs, x, grad_out, device)


def test_a_tied_parameter_is_yielded_once_like_torch():
    lin = nn.Linear(3, 3)
    ours, theirs = nn.Sequential(lin, nn.Tanh(), lin), torch.nn.Sequential(*[torch.nn.Linear(3, 3)])
    torch_lin = theirs[0]
    theirs.append(torch.nn.Tanh()).append(torch_lin)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert len(list(ours.parameters())) == len(list(theirs.parameters())) == 2
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    assert list(ours.state_dict()) == list(theirs.state_dict())  # both names, as torch
    assert repr(ours).replace("dlbook.nn", "") == repr(theirs)


class Unrolled(nn.Module):
    """h_{t+1} = tanh(W h_t + b), T times with one Linear: a cell stepped over time."""

    def __init__(self, width, steps):
        super().__init__()
        self.cell, self.act, self.steps = nn.Linear(width, width), nn.Tanh(), steps

    def forward(self, h):
        for _ in range(self.steps):
            h = self.act(self.cell(h))
        return h

    def backward(self, grad_out):
        for _ in range(self.steps):
            grad_out = self.cell.backward(self.act.backward(grad_out))
        return grad_out


class TorchUnrolled(torch.nn.Module):
    def __init__(self, width, steps):
        super().__init__()
        self.cell, self.act, self.steps = torch.nn.Linear(width, width), torch.nn.Tanh(), steps

    def forward(self, h):
        for _ in range(self.steps):
            h = self.act(self.cell(h))
        return h


@given(data=st.data(), batch=st.integers(1, 4), width=st.integers(1, 5), steps=st.integers(1, 6),
       seed=st.integers(0, 99))
def test_a_cell_applied_t_times_inside_a_module_matches_torch(device, data, batch, width, steps,
                                                               seed):
    torch.manual_seed(seed)
    ours, theirs = Unrolled(width, steps), TorchUnrolled(width, steps)
    dtype = data.draw(float_dtypes, label="dtype")
    twins(ours, theirs, dtype, device)
    x = draw_input(data, dtype, (batch, width), device)
    grad_out = draw_input(data, dtype, (batch, width), device)
    assert_module_matches_torch(ours, theirs, x, grad_out, device)


@given(data=st.data(), width=st.integers(1, 5), steps=st.integers(1, 6), seed=st.integers(0, 99))
def test_a_cell_stepped_by_the_learner_then_undone_step_by_step_matches_torch(
        device, data, width, steps, seed):
    torch.manual_seed(seed)
    cell, torch_cell = nn.Linear(width, width), torch.nn.Linear(width, width)
    act = nn.Tanh()
    dtype = data.draw(float_dtypes, label="dtype")
    twins(cell, torch_cell, dtype, device)
    h = draw_input(data, dtype, (2, width), device)
    h_t = to_torch(h, device, requires_grad=True)
    h0_t = h_t
    for _ in range(steps):  # the loop a learner writes; h is rebound each step
        h = act(cell(h))
        h_t = torch.tanh(torch_cell(h_t))
    grad = draw_input(data, dtype, h.shape, device)
    h_t.backward(to_torch(grad, device))
    for _ in range(steps):
        grad = cell.backward(act.backward(grad))
    assert_close(grad, h0_t.grad, name="dL/dh0")
    assert_close(cell.weight.grad, torch_cell.weight.grad, name="dL/dW")
    assert_close(cell.bias.grad, torch_cell.bias.grad, name="dL/db")


def test_two_separate_forwards_are_undone_last_in_first_out_like_torch():
    torch.manual_seed(0)
    ours, theirs = twins(nn.Linear(3, 2), torch.nn.Linear(3, 2), np.float64)
    criterion = nn.MSELoss()
    rng = np.random.default_rng(0)
    a, b, target = rng.standard_normal((4, 3)), rng.standard_normal((5, 3)), np.zeros((1, 2))
    loss_a = criterion(ours(a), np.broadcast_to(target, (4, 2)))
    loss_b = criterion(ours(b), np.broadcast_to(target, (5, 2)))
    ours.backward(criterion.backward())  # b's graph: the newest
    ours.backward(criterion.backward())  # then a's
    torch_loss = sum(torch.nn.functional.mse_loss(theirs(to_torch(x)), torch.zeros(len(x), 2,
                     dtype=torch.float64)) for x in (a, b))
    torch_loss.backward()
    assert loss_a + loss_b == pytest.approx(torch_loss.item(), rel=1e-12)
    assert_close(ours.weight.grad, theirs.weight.grad)


def test_per_token_losses_summed_as_floats_still_backpropagate():
    # A decoder step per token, its loss added to a float total: each criterion call is undone.
    torch.manual_seed(0)
    cell, torch_cell = twins(nn.Linear(3, 3), torch.nn.Linear(3, 3), np.float64)
    criterion, tanh = nn.MSELoss(), nn.Tanh()
    targets = np.random.default_rng(1).standard_normal((4, 2, 3))
    h = h_t = np.ones((2, 3))
    h_t = to_torch(h_t)
    total, torch_total = 0.0, 0.0
    for target in targets:
        h = tanh(cell(h))
        total += criterion(h, target)
        h_t = torch.tanh(torch_cell(h_t))
        torch_total = torch_total + torch.nn.functional.mse_loss(h_t, to_torch(target))
    torch_total.backward()
    grad_h = np.zeros((2, 3))
    for _ in targets:
        grad_h = cell.backward(tanh.backward(grad_h + criterion.backward()))
    assert total == pytest.approx(torch_total.item(), rel=1e-12)
    assert_close(cell.weight.grad, torch_cell.weight.grad)


def test_a_second_backward_after_one_forward_is_an_error_like_torch():
    model = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
    y = model(np.ones((1, 2), dtype=np.float32))
    model.backward(np.ones_like(y))
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        model.backward(np.ones_like(y))
    criterion = nn.MSELoss()
    loss = criterion(y, np.zeros_like(y))
    criterion.backward()
    with pytest.raises(RuntimeError, match="a second time"):
        criterion.backward()
    assert loss >= 0


def test_backward_after_the_output_was_dropped_and_another_forward_says_so():
    model = nn.Linear(2, 2)
    model(np.ones((1, 2), dtype=np.float32))  # output dropped at once
    other = model(np.ones((3, 2), dtype=np.float32))
    model.backward(np.ones_like(other))
    with pytest.raises(RuntimeError, match="freed"):
        model.backward(np.ones((1, 2), dtype=np.float32))
    model(np.ones((1, 2), dtype=np.float32))
    nn.ReLU()(np.ones(2))  # any forward frees what no output leads to
    with pytest.raises(RuntimeError, match="freed when its output could no longer be reached"):
        model.backward(np.ones((1, 2), dtype=np.float32))


def test_values_saved_by_forward_are_readable_until_backward():
    relu, x = nn.ReLU(), np.array([-1.0, 2.0])
    y = relu(x)
    np.testing.assert_array_equal(relu.x, x)  # what forward kept, as in the chapters
    relu.backward(np.ones_like(y))
    with pytest.raises(AttributeError):
        relu.x  # noqa: B018  (freed with its call)


def mlp():
    return nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 256), nn.Sigmoid(),
                         nn.Linear(256, 10))


def growth_in_bytes(step, calls: int) -> int:
    """Memory still held after ``calls`` more calls of ``step`` than a short warm-up."""
    gc.collect()
    tracemalloc.start()
    for _ in range(5):
        step()
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    for _ in range(calls):
        step()
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return after - before


def test_an_evaluation_loop_without_backward_keeps_memory_flat():
    model, criterion = mlp(), nn.CrossEntropyLoss()
    x = np.ones((128, 64), dtype=np.float32)
    y = np.zeros(128, dtype=np.int64)
    one_graph = 128 * (256 * 3 + 10) * 4  # the activations one forward keeps: ~400 kB
    assert growth_in_bytes(lambda: model(x), 100) < one_graph
    assert growth_in_bytes(lambda: criterion(model(x), y), 100) < one_graph
    accuracy = []
    assert growth_in_bytes(lambda: accuracy.append((model(x).argmax(1) == y).mean()),
                           100) < one_graph


def test_no_grad_keeps_nothing_for_backward():
    model = mlp()
    x = np.ones((128, 64), dtype=np.float32)
    with dlbook.no_grad():
        assert not dlbook.is_grad_enabled()
        y = model(x)
        outputs = [model(x) for _ in range(3)]
    assert dlbook.is_grad_enabled() and len(outputs) == 3
    assert all(not m._pending for m in model.modules())
    with pytest.raises(RuntimeError, match=r"under dlbook\.no_grad\(\)"):
        model.backward(np.ones_like(y))


def test_no_grad_is_a_decorator_too_and_enable_grad_switches_back():
    @dlbook.no_grad()
    def evaluate():
        with dlbook.enable_grad():
            inner = dlbook.is_grad_enabled()
        return dlbook.is_grad_enabled(), inner

    @dlbook.no_grad
    def bare():
        return dlbook.is_grad_enabled()

    assert evaluate() == (False, True) and bare() is False and dlbook.is_grad_enabled()


def test_no_grad_restores_the_mode_after_an_error():
    with pytest.raises(ZeroDivisionError), dlbook.no_grad():
        1 / 0  # noqa: B018
    assert dlbook.is_grad_enabled()


def test_outputs_dropped_from_a_held_input_are_freed():
    # h stays alive; the calls that used it and whose outputs were dropped do not pile up
    encoder, head = nn.Linear(64, 256), nn.Sequential(nn.Linear(256, 256), nn.Sigmoid())
    h = encoder(np.ones((128, 64), dtype=np.float32))
    assert growth_in_bytes(lambda: head(h), 100) < 128 * 256 * 4
    assert h.shape == (128, 256)


def test_many_losses_kept_in_a_list_do_not_slow_later_calls():
    import time

    criterion, x = nn.MSELoss(), np.linspace(0, 1, 40)

    def seconds_per_call():
        start = time.perf_counter()
        for _ in range(300):
            criterion(2 * x, x)
        return (time.perf_counter() - start) / 300

    alone = min(seconds_per_call() for _ in range(5))
    kept = [criterion(w * x, x) for w in np.linspace(-1, 3, 2000)]  # a loss curve, as chapter 2
    crowded = min(seconds_per_call() for _ in range(5))
    # Scanning the 2,000 kept records on every call made calls about 140 times slower; the
    # margin of 3 leaves room for a busy machine.
    assert len(kept) == 2000 and crowded < 3 * alone
