"""The benchmark suite measures what it says: every workload runs in each library, the
*Deep Learning from Scratch* peers compute what torch computes, and the statistics are right.
(The timings themselves run by `make bench`, never here.)"""

import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import torch

from benchmarks import peers
from benchmarks.harness import quartiles, ratios, time_interleaved
from benchmarks.run import table
from benchmarks.workloads import WORKLOADS


@pytest.mark.parametrize("workload", WORKLOADS, ids=lambda w: w.name)
def test_every_workload_runs_in_each_library_with_the_same_shapes(workload):
    libs = ["dlbook", "torch"] + (["peer"] if workload.peer else [])
    outputs = {lib: workload.build(lib, "cpu")() for lib in libs}
    outputs["torch"] = outputs["torch"].detach().numpy()
    shapes = {lib: output.shape for lib, output in outputs.items()}
    assert len(set(shapes.values())) == 1, shapes
    assert all(output.dtype == np.float32 for output in outputs.values())


def test_peer_convolution_equals_torch_forward_and_backward():
    rng = np.random.default_rng(0)
    x, w, b = (rng.standard_normal(shape) for shape in [(2, 3, 6, 7), (4, 3, 3, 3), (4,)])
    g = rng.standard_normal((2, 4, 6, 7))
    conv = peers.Convolution(w, b, pad=1)
    x_t, w_t, b_t = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    y_t = torch.nn.functional.conv2d(x_t, w_t, b_t, padding=1)
    y_t.backward(torch.tensor(g))
    np.testing.assert_allclose(conv.forward(x), y_t.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(conv.backward(g), x_t.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose(conv.dW, w_t.grad.numpy(), rtol=1e-12)


def test_peer_pooling_equals_torch_forward_and_backward():
    rng = np.random.default_rng(1)
    x, g = rng.standard_normal((2, 3, 6, 8)), rng.standard_normal((2, 3, 3, 4))
    pool = peers.Pooling(2, 2, stride=2)
    x_t = torch.tensor(x, requires_grad=True)
    y_t = torch.nn.functional.max_pool2d(x_t, 2)
    y_t.backward(torch.tensor(g))
    np.testing.assert_array_equal(pool.forward(x), y_t.detach().numpy())
    np.testing.assert_array_equal(pool.backward(g), x_t.grad.numpy())


def test_peer_mlp_pieces_equal_torch():
    rng = np.random.default_rng(2)
    x, w, b = (rng.standard_normal(shape) for shape in [(5, 4), (4, 3), (3,)])
    t = rng.integers(0, 3, 5)
    fc, relu, loss = peers.Affine(w, b), peers.Relu(), peers.SoftmaxWithLoss()
    value = loss.forward(relu.forward(fc.forward(x)), t)
    grad_x = fc.backward(relu.backward(loss.backward()))
    x_t = torch.tensor(x, requires_grad=True)
    logits_t = torch.relu(x_t @ torch.tensor(w) + torch.tensor(b))
    loss_t = torch.nn.functional.cross_entropy(logits_t, torch.tensor(t))
    loss_t.backward()
    np.testing.assert_allclose(value, loss_t.item(), rtol=1e-6)  # the book's log(y + 1e-7)
    np.testing.assert_allclose(grad_x, x_t.grad.numpy(), rtol=1e-12)


def test_peer_time_lstm_equals_torch_lstm():
    rng = np.random.default_rng(3)
    n, steps, d, h = 3, 4, 5, 6
    wx, wh, b = (rng.standard_normal(shape) for shape in [(d, 4 * h), (h, 4 * h), (4 * h,)])
    xs, dhs = rng.standard_normal((n, steps, d)), rng.standard_normal((n, steps, h))
    lstm = peers.TimeLSTM(wx, wh, b)
    hs = lstm.forward(xs)
    dxs = lstm.backward(dhs)
    torch_lstm = torch.nn.LSTM(d, h, batch_first=True, dtype=torch.float64)
    order = np.r_[2 * h:3 * h, 0:h, h:2 * h, 3 * h:4 * h]  # the book's f, g, i, o -> i, f, g, o
    with torch.no_grad():
        torch_lstm.weight_ih_l0.copy_(torch.tensor(wx.T[order]))
        torch_lstm.weight_hh_l0.copy_(torch.tensor(wh.T[order]))
        torch_lstm.bias_ih_l0.copy_(torch.tensor(b[order]))
        torch_lstm.bias_hh_l0.zero_()
    xs_t = torch.tensor(xs, requires_grad=True)
    hs_t, _ = torch_lstm(xs_t)
    hs_t.backward(torch.tensor(dhs))
    np.testing.assert_allclose(hs, hs_t.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(dxs, xs_t.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(lstm.dWx.T[order], torch_lstm.weight_ih_l0.grad.numpy(), rtol=1e-10)


def test_quartiles_of_known_values():
    assert quartiles([1, 2, 3, 4, 5]) == {"median": 3, "q1": 2, "q3": 4}


def test_ratios_are_taken_repeat_by_repeat_against_torch():
    times = {"dlbook": [2.0, 3.0, 8.0], "torch": [1.0, 2.0, 4.0], "peer": [4.0, 4.0, 4.0]}
    result = ratios(times)
    assert result["dlbook"] == {"median": 2.0, "q1": 1.75, "q3": 2.0}
    assert result["peer"]["median"] == 2.0 and "torch" not in result


def test_interleaved_timing_gives_each_step_its_repeats_in_proportion():
    steps = {"slow": lambda: time.sleep(0.004), "fast": lambda: time.sleep(0.001)}
    times = time_interleaved(steps, repeats=3, min_block_s=0.01, pause_s=0)
    assert [len(v) for v in times.values()] == [3, 3]
    assert 2 < np.median(times["slow"]) / np.median(times["fast"]) < 5


def test_peak_memory_sees_a_temporary_of_64_mib():
    # in a fresh process: in this one, earlier tests may have left memory that gets reused
    code = ("import numpy as np; from benchmarks.harness import peak_rss_growth;"
            " print(peak_rss_growth(lambda: np.ones(8 * 2**20).sum()))")  # 8 Mi float64
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True, cwd=Path(__file__).parents[2])
    assert 60 < float(out.stdout) < 80


def test_the_table_shows_ratios_targets_and_memory():
    result = {"name": "conv2d", "target": 4.0, "ms": {"dlbook": 30.0, "torch": 10.0},
              "ratio": {"dlbook": {"median": 3.0, "q1": 2.5, "q3": 3.5},
                        "peer": {"median": 6.0, "q1": 5.0, "q3": 7.0}},
              "memory_mib": {"dlbook": 30.0, "torch": 60.0, "peer": 50.0}}
    text = table([result])
    assert "| conv2d | 3.00 | 2.50–3.50 | ≤ 4 | 6.00 | 30.00 | 10.00 |" in text
    assert "| conv2d | 30.0 | 60.0 | 50.0 |" in text
    json.dumps(result)
