"""Chapter 11's exercises: one LSTM step, one GRU step, and the parameters of a recurrent layer."""

import numpy as np
import pytest
import torch
from exercise_helpers import rejected

from dlbook.exercises.chapter11 import (
    _gru_case,
    _gru_cell,
    _lstm_case,
    _lstm_cell,
    _recurrent_parameters,
)

LSTM_ARGS = ("x", "h", "c", "weight_ih", "weight_hh", "bias_ih", "bias_hh")
GRU_ARGS = ("x", "h", "weight_ih", "weight_hh", "bias_ih", "bias_hh")
PARAMETER_ARGS = ("mode", "input_size", "hidden_size", "num_layers")


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def lstm_cell(x, h, c, weight_ih, weight_hh, bias_ih, bias_hh, order="ifgo", h_of_c=np.tanh):
    a = x @ weight_ih.T + bias_ih + h @ weight_hh.T + bias_hh
    gates = dict(zip(order, np.split(a, 4, axis=1), strict=True))
    i, f, g, o = (sigmoid(gates["i"]), sigmoid(gates["f"]), np.tanh(gates["g"]),
                  sigmoid(gates["o"]))
    c_new = f * c + i * g
    return o * h_of_c(c_new), c_new


def gru_cell(x, h, weight_ih, weight_hh, bias_ih, bias_hh, swap_z=False, reset_on_h=False):
    xr, xz, xn = np.split(x @ weight_ih.T + bias_ih, 3, axis=1)
    hr, hz, hn = np.split(h @ weight_hh.T + bias_hh, 3, axis=1)
    r, z = sigmoid(xr + hr), sigmoid(xz + hz)
    if reset_on_h:
        w_hn, b_hn = np.split(weight_hh, 3)[2], np.split(bias_hh, 3)[2]
        n = np.tanh(xn + (r * h) @ w_hn.T + b_hn)
    else:
        n = np.tanh(xn + r * hn)
    return z * n + (1 - z) * h if swap_z else (1 - z) * n + z * h


def recurrent_parameters(mode, input_size, hidden_size, num_layers):
    gates = {"RNN": 1, "LSTM": 4, "GRU": 3}[mode]
    total = 0
    for layer in range(num_layers):
        features = input_size if layer == 0 else hidden_size
        total += gates * hidden_size * (features + hidden_size) + 2 * gates * hidden_size
    return total


# --- the references are torch's ---------------------------------------------------------------

def test_the_lstm_reference_is_torchs_lstm_cell():
    rng = np.random.default_rng(0)
    for _ in range(10):
        x, h, c, *params = _lstm_case(rng)
        cell = torch.nn.LSTMCell(x.shape[1], h.shape[1], dtype=torch.float64)
        with torch.no_grad():
            for p, value in zip(cell.parameters(), params, strict=True):
                p.copy_(torch.from_numpy(value))
            h_new, c_new = cell(torch.from_numpy(x), (torch.from_numpy(h), torch.from_numpy(c)))
        ours = _lstm_cell(x, h, c, *params)
        np.testing.assert_allclose(ours[0], h_new.numpy(), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(ours[1], c_new.numpy(), rtol=1e-10, atol=1e-12)


def test_the_gru_reference_is_torchs_gru_cell():
    rng = np.random.default_rng(0)
    for _ in range(10):
        x, h, *params = _gru_case(rng)
        cell = torch.nn.GRUCell(x.shape[1], h.shape[1], dtype=torch.float64)
        with torch.no_grad():
            for p, value in zip(cell.parameters(), params, strict=True):
                p.copy_(torch.from_numpy(value))
            h_new = cell(torch.from_numpy(x), torch.from_numpy(h))
        np.testing.assert_allclose(_gru_cell(x, h, *params), h_new.numpy(), rtol=1e-10,
                                   atol=1e-12)


@pytest.mark.parametrize("mode", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize(("input_size", "hidden_size", "num_layers"),
                         [(2, 32, 1), (10, 20, 2), (100, 8, 3)])
def test_the_parameter_count_is_torchs(mode, input_size, hidden_size, num_layers):
    layer = getattr(torch.nn, mode)(input_size, hidden_size, num_layers)
    expected = sum(p.numel() for p in layer.parameters())
    assert _recurrent_parameters(mode, input_size, hidden_size, num_layers) == expected


# --- one LSTM step -------------------------------------------------------------------------------

def test_lstm_cell_accepts_a_correct_answer(verdict):
    assert verdict("ch11.lstm_cell", lstm_cell)[0] is True


def test_lstm_cell_rejects_the_gates_in_another_order(verdict):
    rejected(verdict, "ch11.lstm_cell", lambda *args: lstm_cell(*args, order="ifog"),
             {"en": "[i, f, g, o]", "ko": "[i, f, g, o]"}, inputs=LSTM_ARGS)


def test_lstm_cell_rejects_a_missing_tanh_on_the_cell_state(verdict):
    rejected(verdict, "ch11.lstm_cell", lambda *args: lstm_cell(*args, h_of_c=lambda c: c),
             {"en": "o ⊙ tanh(c_new)", "ko": "o ⊙ tanh(c_new)"}, inputs=LSTM_ARGS)


def test_lstm_cell_rejects_the_two_states_swapped(verdict):
    rejected(verdict, "ch11.lstm_cell", lambda *args: lstm_cell(*args)[::-1],
             {"en": "You returned (c_new, h_new)", "ko": "(c_new, h_new)의 순서로"},
             inputs=LSTM_ARGS)


def test_lstm_cell_rejects_a_missing_bias(verdict):
    def one_bias(x, h, c, weight_ih, weight_hh, bias_ih, bias_hh):
        return lstm_cell(x, h, c, weight_ih, weight_hh, bias_ih, np.zeros_like(bias_hh))

    rejected(verdict, "ch11.lstm_cell", one_bias,
             {"en": "One of the biases is missing", "ko": "편향 하나를 빠뜨렸습니다"},
             inputs=LSTM_ARGS)


# --- one GRU step --------------------------------------------------------------------------------

def test_gru_cell_accepts_a_correct_answer(verdict):
    assert verdict("ch11.gru_cell", gru_cell)[0] is True


def test_gru_cell_rejects_z_and_one_minus_z_swapped(verdict):
    rejected(verdict, "ch11.gru_cell", lambda *args: gru_cell(*args, swap_z=True),
             {"en": "z and 1 − z are swapped", "ko": "z와 1 − z가 바뀌었습니다"},
             inputs=GRU_ARGS)


def test_gru_cell_rejects_the_reset_gate_applied_to_h(verdict):
    rejected(verdict, "ch11.gru_cell", lambda *args: gru_cell(*args, reset_on_h=True),
             {"en": "original GRU of Cho et al.", "ko": "원래 GRU"}, inputs=GRU_ARGS)


# --- the parameters of a recurrent layer ---------------------------------------------------------

def test_recurrent_parameters_accepts_a_correct_answer(verdict):
    assert verdict("ch11.recurrent_parameters", recurrent_parameters)[0] is True


def test_recurrent_parameters_rejects_a_single_bias(verdict):
    def one_bias(mode, input_size, hidden_size, num_layers):
        gates = {"RNN": 1, "LSTM": 4, "GRU": 3}[mode]
        return (recurrent_parameters(mode, input_size, hidden_size, num_layers)
                - gates * hidden_size * num_layers)

    rejected(verdict, "ch11.recurrent_parameters", one_bias,
             {"en": "You counted one bias", "ko": "편향을 하나만"}, inputs=PARAMETER_ARGS)


def test_recurrent_parameters_rejects_the_gates_left_out(verdict):
    rejected(verdict, "ch11.recurrent_parameters",
             lambda mode, i, h, n: recurrent_parameters("RNN", i, h, n),
             {"en": "The number of gates G is missing", "ko": "게이트 수 G를"},
             inputs=PARAMETER_ARGS)


def test_recurrent_parameters_rejects_input_size_in_every_layer(verdict):
    rejected(verdict, "ch11.recurrent_parameters",
             lambda mode, i, h, n: n * recurrent_parameters(mode, i, h, 1),
             {"en": "input_size for the later layers", "ko": "두 번째 층부터도"},
             inputs=PARAMETER_ARGS)
