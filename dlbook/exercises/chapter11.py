"""Chapter 11: one step of an LSTM cell, one step of a GRU cell, and the parameters of a
recurrent layer."""

import numpy as np

import dlbook.nn.functional as F
from dlbook.exercises.exercise import Case, Exercise, Mistake, Text, same_as
from dlbook.nn.functional.rnn import gru_forward, lstm_forward

GATES = {"RNN": 1, "LSTM": 4, "GRU": 3}  # the blocks stacked in weight_ih and weight_hh


def _lstm_cell(x, h, c, weight_ih, weight_hh, bias_ih, bias_hh):
    """One step of dlbook's LSTM: a sequence of length 1 through ``lstm_forward``."""
    step = lstm_forward(x[None], h, c, weight_ih, weight_hh, bias_ih, bias_hh)
    return step.h_n, step.c_n


def _lstm_variant(x, h, c, weight_ih, weight_hh, bias_ih, bias_hh, order="ifgo",
                  g_act=np.tanh, h_of_c=np.tanh, input_gate=True):
    """An LSTM step written out, with the knobs the typical mistakes turn."""
    pre = x @ weight_ih.T + bias_ih + h @ weight_hh.T + bias_hh
    blocks = dict(zip(order, np.split(pre, 4, axis=-1), strict=True))
    i, f, o = F.sigmoid(blocks["i"]), F.sigmoid(blocks["f"]), F.sigmoid(blocks["o"])
    g = g_act(blocks["g"])
    c_new = f * c + (i * g if input_gate else g)
    return o * h_of_c(c_new), c_new


def _lstm_case_of_size(rng, n, features, hidden):
    return (rng.normal(0, 1, (n, features)), rng.normal(0, 0.5, (n, hidden)),
            rng.normal(0, 1, (n, hidden)), rng.normal(0, 0.7, (4 * hidden, features)),
            rng.normal(0, 0.7, (4 * hidden, hidden)), rng.normal(0, 0.5, 4 * hidden),
            rng.normal(0, 0.5, 4 * hidden))


def _lstm_case(rng):
    n, features, hidden = (int(rng.integers(1, 5)), int(rng.integers(1, 5)),
                           int(rng.integers(1, 4)))
    return _lstm_case_of_size(rng, n, features, hidden)


def _fixed_lstm_case(n, features, hidden, dtype=np.float64, zero_state=False, scale=1.0):
    """A case of its own seed; ``scale`` multiplies the weights and biases (saturating gates)."""
    x, h, c, *params = _lstm_case_of_size(np.random.default_rng(100 * n + 10 * features + hidden),
                                           n, features, hidden)
    if zero_state:
        h, c = np.zeros_like(h), np.zeros_like(c)
    return tuple(a.astype(dtype) for a in (x, h, c, *(scale * p for p in params)))


_LSTM_ARGS = ("x", "h", "c", "weight_ih", "weight_hh", "bias_ih", "bias_hh")

# lstm_cell(x (N, I), h (N, H), c (N, H), weight_ih (4H, I), weight_hh (4H, H),
#           bias_ih (4H,), bias_hh (4H,)) -> (h_new (N, H), c_new (N, H))
LSTM_CELL = Exercise(
    id="ch11.lstm_cell",
    args=_LSTM_ARGS,
    outputs=("h_new", "c_new"),
    reference=_lstm_cell,
    random_case=_lstm_case,
    edge_cases=(
        Case(Text("0에서 시작하는 상태(h = c = 0)", "a state starting at zero (h = c = 0)"),
             _fixed_lstm_case(2, 3, 2, zero_state=True)),
        Case(Text("샘플 하나, 은닉 크기 1", "one sample, hidden size 1"),
             _fixed_lstm_case(1, 2, 1)),
        Case(Text("포화된 게이트(큰 가중치)", "saturated gates (large weights)"),
             _fixed_lstm_case(3, 2, 2, scale=20.0)),
        Case(Text("float32", "float32"), _fixed_lstm_case(2, 3, 3, dtype=np.float32)),
    ),
    mistakes=(
        Mistake(Text("(c_new, h_new)의 순서로 돌려주었습니다. 새 은닉 상태 h_new가 먼저, 새 셀 "
                     "상태 c_new가 나중입니다(nn.LSTMCell과 같은 순서).",
                     "You returned (c_new, h_new): the new hidden state h_new comes first, the "
                     "new cell state c_new second (the order of nn.LSTMCell)."),
                same_as(lambda *args: _lstm_cell(*args)[::-1])),
        Mistake(Text("게이트의 순서가 다릅니다. PyTorch와 dlbook은 4H개의 사전 활성화를 "
                     "[i, f, g, o] 순서로 쌓습니다. 셋째 블록이 후보 g(tanh), 넷째가 출력 "
                     "게이트 o(시그모이드)입니다.",
                     "The gates are in another order: PyTorch and dlbook stack the 4H "
                     "pre-activations as [i, f, g, o], the third block the candidate g (tanh), "
                     "the fourth the output gate o (sigmoid)."),
                same_as(*(lambda *args, order=order: _lstm_variant(*args, order=order)
                          for order in ("ifog", "fiog", "figo", "gifo", "igfo")))),
        Mistake(Text("h_new = o ⊙ c_new로 계산했습니다. 셀 상태는 tanh를 거쳐 나갑니다. "
                     "h_new = o ⊙ tanh(c_new)입니다.",
                     "You computed h_new = o ⊙ c_new: the cell state goes out through a tanh, "
                     "h_new = o ⊙ tanh(c_new)."),
                same_as(lambda *args: _lstm_variant(*args, h_of_c=lambda c: c))),
        Mistake(Text("후보 g에 시그모이드를 썼습니다. 게이트 i, f, o는 0과 1 사이의 비율이라 "
                     "시그모이드를 쓰지만, 셀에 쓸 값 g는 −1과 1 사이에서 부호를 가지도록 "
                     "tanh를 씁니다.",
                     "You applied a sigmoid to the candidate g: the gates i, f and o are shares "
                     "between 0 and 1, hence sigmoids, but g, the value written into the cell, "
                     "takes a sign between −1 and 1 with a tanh."),
                same_as(lambda *args: _lstm_variant(*args, g_act=F.sigmoid))),
        Mistake(Text("입력 게이트를 빠뜨렸습니다. 새 값은 i만큼만 들어갑니다. "
                     "c_new = f ⊙ c + i ⊙ g입니다.",
                     "The input gate is missing: the new value goes in only as far as i lets "
                     "it, c_new = f ⊙ c + i ⊙ g."),
                same_as(lambda *args: _lstm_variant(*args, input_gate=False))),
        Mistake(Text("편향 하나를 빠뜨렸습니다. PyTorch와 dlbook의 순환 층에는 편향이 두 개, "
                     "bias_ih와 bias_hh가 있고 둘 다 사전 활성화에 더합니다.",
                     "One of the biases is missing: the recurrent layers of PyTorch and dlbook "
                     "have two, bias_ih and bias_hh, and both are added to the "
                     "pre-activations."),
                same_as(lambda x, h, c, w_ih, w_hh, b_ih, b_hh:
                        _lstm_cell(x, h, c, w_ih, w_hh, b_ih, 0 * b_hh),
                        lambda x, h, c, w_ih, w_hh, b_ih, b_hh:
                        _lstm_cell(x, h, c, w_ih, w_hh, 0 * b_ih, b_hh))),
    ),
    hint=Text("a = x W_ihᵀ + b_ih + h W_hhᵀ + b_hh (N, 4H)를 [i, f, g, o]로 넷으로 나누고, "
              "i, f, o에는 시그모이드, g에는 tanh를 씌웁니다. c_new = f ⊙ c + i ⊙ g, "
              "h_new = o ⊙ tanh(c_new)입니다.",
              "Split a = x W_ihᵀ + b_ih + h W_hhᵀ + b_hh (N, 4H) into four, [i, f, g, o]; "
              "apply a sigmoid to i, f and o and a tanh to g. Then c_new = f ⊙ c + i ⊙ g and "
              "h_new = o ⊙ tanh(c_new)."),
)


def _gru_cell(x, h, weight_ih, weight_hh, bias_ih, bias_hh):
    """One step of dlbook's GRU: a sequence of length 1 through ``gru_forward``."""
    return gru_forward(x[None], h, weight_ih, weight_hh, bias_ih, bias_hh).h_n


def _gru_variant(x, h, weight_ih, weight_hh, bias_ih, bias_hh, order="rzn", keep_old="z",
                 reset="after bias", n_act=np.tanh):
    """A GRU step written out, with the knobs the typical mistakes turn."""
    from_x = dict(zip(order, np.split(x @ weight_ih.T + bias_ih, 3, axis=-1), strict=True))
    w_hh = dict(zip(order, np.split(weight_hh, 3), strict=True))
    b_hh = dict(zip(order, np.split(bias_hh, 3), strict=True))
    r = F.sigmoid(from_x["r"] + h @ w_hh["r"].T + b_hh["r"])
    z = F.sigmoid(from_x["z"] + h @ w_hh["z"].T + b_hh["z"])
    if reset == "after bias":  # torch: r ⊙ (W_hn h + b_hn)
        hidden_n = r * (h @ w_hh["n"].T + b_hh["n"])
    elif reset == "before bias":  # r ⊙ (W_hn h) + b_hn
        hidden_n = r * (h @ w_hh["n"].T) + b_hh["n"]
    else:  # "on h": W_hn (r ⊙ h) + b_hn, the original GRU of Cho et al. (2014)
        hidden_n = (r * h) @ w_hh["n"].T + b_hh["n"]
    n = n_act(from_x["n"] + hidden_n)
    return (1 - z) * n + z * h if keep_old == "z" else z * n + (1 - z) * h


def _gru_case_of_size(rng, n, features, hidden):
    return (rng.normal(0, 1, (n, features)), rng.normal(0, 0.7, (n, hidden)),
            rng.normal(0, 0.7, (3 * hidden, features)), rng.normal(0, 0.7, (3 * hidden, hidden)),
            rng.normal(0, 0.5, 3 * hidden), rng.normal(0, 0.5, 3 * hidden))


def _gru_case(rng):
    n, features, hidden = (int(rng.integers(1, 5)), int(rng.integers(1, 5)),
                           int(rng.integers(1, 4)))
    return _gru_case_of_size(rng, n, features, hidden)


def _fixed_gru_case(n, features, hidden, dtype=np.float64, zero_state=False):
    """A case of its own seed."""
    x, h, *params = _gru_case_of_size(np.random.default_rng(100 * n + 10 * features + hidden),
                                      n, features, hidden)
    if zero_state:
        h = np.zeros_like(h)
    return tuple(a.astype(dtype) for a in (x, h, *params))


# gru_cell(x (N, I), h (N, H), weight_ih (3H, I), weight_hh (3H, H), bias_ih (3H,),
#          bias_hh (3H,)) -> h_new (N, H)
GRU_CELL = Exercise(
    id="ch11.gru_cell",
    args=("x", "h", "weight_ih", "weight_hh", "bias_ih", "bias_hh"),
    reference=_gru_cell,
    random_case=_gru_case,
    edge_cases=(
        Case(Text("0에서 시작하는 상태(h = 0)", "a state starting at zero (h = 0)"),
             _fixed_gru_case(2, 3, 2, zero_state=True)),
        Case(Text("샘플 하나, 은닉 크기 1", "one sample, hidden size 1"), _fixed_gru_case(1, 2, 1)),
        Case(Text("float32", "float32"), _fixed_gru_case(3, 2, 3, dtype=np.float32)),
    ),
    mistakes=(
        Mistake(Text("z와 1 − z가 바뀌었습니다. PyTorch와 dlbook에서 z는 이전 상태를 남기는 "
                     "몫입니다. h_new = (1 − z) ⊙ n + z ⊙ h입니다. (z가 새 값의 몫인 교재도 "
                     "있지만, 그러면 학습된 가중치가 PyTorch와 맞지 않습니다.)",
                     "z and 1 − z are swapped: in PyTorch and dlbook, z is the share of the old "
                     "state that is kept, h_new = (1 − z) ⊙ n + z ⊙ h. (Some texts make z the "
                     "share of the new value, but then the learned weights do not match "
                     "PyTorch's.)"),
                same_as(lambda *args: _gru_variant(*args, keep_old="1 - z"))),
        Mistake(Text("리셋 게이트를 곱하기 전에 h에 곱했습니다(Cho 등의 원래 GRU). PyTorch와 "
                     "dlbook은 W_hn h + b_hn을 먼저 계산한 뒤 r을 곱합니다. "
                     "n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))입니다.",
                     "You applied the reset gate to h before the product (the original GRU of "
                     "Cho et al.): PyTorch and dlbook compute W_hn h + b_hn first and then "
                     "multiply by r, n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))."),
                same_as(lambda *args: _gru_variant(*args, reset="on h"))),
        Mistake(Text("b_hn이 r ⊙ (…) 밖에 있습니다. 리셋 게이트는 b_hn까지 함께 곱합니다. "
                     "r ⊙ (W_hn h + b_hn)입니다.",
                     "b_hn is outside r ⊙ (…): the reset gate multiplies b_hn too, "
                     "r ⊙ (W_hn h + b_hn)."),
                same_as(lambda *args: _gru_variant(*args, reset="before bias"))),
        Mistake(Text("게이트의 순서가 다릅니다. PyTorch와 dlbook은 3H개의 행을 [r, z, n] 순서로 "
                     "쌓습니다. 리셋 게이트가 먼저, 업데이트 게이트가 다음, 후보가 마지막입니다.",
                     "The gates are in another order: PyTorch and dlbook stack the 3H rows as "
                     "[r, z, n], the reset gate first, then the update gate, then the "
                     "candidate."),
                same_as(lambda *args: _gru_variant(*args, order="zrn"))),
        Mistake(Text("후보 n에 시그모이드를 썼습니다. 후보는 tanh로 −1과 1 사이의 값을 냅니다.",
                     "You applied a sigmoid to the candidate n: it takes values between −1 "
                     "and 1 through a tanh."),
                same_as(lambda *args: _gru_variant(*args, n_act=F.sigmoid))),
    ),
    hint=Text("x W_ihᵀ + b_ih와 h W_hhᵀ + b_hh를 각각 [r, z, n]으로 셋으로 나눕니다. "
              "r과 z는 두 쪽의 합에 시그모이드, n = tanh(x 쪽 n + r ⊙ h 쪽 n), "
              "h_new = (1 − z) ⊙ n + z ⊙ h입니다.",
              "Split x W_ihᵀ + b_ih and h W_hhᵀ + b_hh into three each, [r, z, n]. r and z "
              "are sigmoids of the two sides' sums, n = tanh(x side's n + r ⊙ h side's n), "
              "and h_new = (1 − z) ⊙ n + z ⊙ h."),
)


def _recurrent_parameters(mode, input_size, hidden_size, num_layers):
    """G blocks of (weights from the input, weights from h, two biases) per layer; layer k > 0
    reads the H features of the layer below."""
    gates = GATES[mode]
    first = gates * hidden_size * (input_size + hidden_size + 2)
    later = gates * hidden_size * (hidden_size + hidden_size + 2)
    return first + (num_layers - 1) * later


def _parameters_case(rng):
    return (str(rng.choice(list(GATES))), int(rng.choice([1, 2, 3, 10, 16, 32, 50])),
            int(rng.choice([4, 8, 20, 32, 64, 128])), int(rng.integers(1, 4)))


def _with_gates(count):
    """The count for another number of gates: the same formula, G replaced."""
    def wrong(mode, input_size, hidden_size, num_layers):
        per_gate = _recurrent_parameters("RNN", input_size, hidden_size, num_layers)
        return count(mode) * per_gate
    return wrong


_PARAMETER_ARGS = ("mode", "input_size", "hidden_size", "num_layers")

# recurrent_parameters(mode "RNN" | "LSTM" | "GRU", input_size, hidden_size, num_layers) -> int
RECURRENT_PARAMETERS = Exercise(
    id="ch11.recurrent_parameters",
    args=_PARAMETER_ARGS,
    reference=_recurrent_parameters,
    random_case=_parameters_case,
    edge_cases=(
        Case(Text("11.6절의 RNN", "section 11.6's RNN"), ("RNN", 2, 32, 1)),
        Case(Text("11.6절의 LSTM", "section 11.6's LSTM"), ("LSTM", 2, 32, 1)),
        Case(Text("11.6절의 GRU", "section 11.6's GRU"), ("GRU", 2, 32, 1)),
        Case(Text("두 층 LSTM", "a two-layer LSTM"), ("LSTM", 10, 20, 2)),
        Case(Text("입력이 은닉 크기보다 큰 세 층 GRU", "a three-layer GRU wider in than across"),
             ("GRU", 100, 8, 3)),
    ),
    mistakes=(
        Mistake(Text("편향을 하나만 셌습니다. PyTorch와 dlbook의 순환 층은 게이트마다 편향이 "
                     "두 벌(bias_ih와 bias_hh), 층마다 2·G·H개입니다.",
                     "You counted one bias: the recurrent layers of PyTorch and dlbook have two "
                     "sets per gate (bias_ih and bias_hh), 2·G·H per layer."),
                same_as(lambda mode, i, h, n: _recurrent_parameters(mode, i, h, n)
                        - GATES[mode] * h * n)),
        Mistake(Text("편향을 빠뜨렸습니다. 층마다 bias_ih와 bias_hh, 모두 2·G·H개가 있습니다.",
                     "The biases are missing: every layer has bias_ih and bias_hh, 2·G·H in "
                     "all."),
                same_as(lambda mode, i, h, n: _recurrent_parameters(mode, i, h, n)
                        - 2 * GATES[mode] * h * n)),
        Mistake(Text("게이트 수 G를 곱하지 않았습니다. LSTM은 블록 네 개(i, f, g, o), GRU는 "
                     "세 개(r, z, n)를 쌓으므로 단순 RNN의 4배, 3배입니다.",
                     "The number of gates G is missing: an LSTM stacks four blocks (i, f, g, "
                     "o) and a GRU three (r, z, n), so they have 4 and 3 times a simple RNN's "
                     "parameters."),
                same_as(_with_gates(lambda mode: 1))),
        Mistake(Text("게이트 수가 다릅니다. 단순 RNN은 G = 1, LSTM은 G = 4(i, f, g, o), GRU는 "
                     "G = 3(r, z, n)입니다.",
                     "The number of gates is off: G = 1 for a simple RNN, G = 4 for an LSTM "
                     "(i, f, g, o) and G = 3 for a GRU (r, z, n)."),
                same_as(_with_gates(lambda mode: {"RNN": 1, "LSTM": 3, "GRU": 4}[mode]),
                        _with_gates(lambda mode: {"RNN": 1, "LSTM": 3, "GRU": 2}[mode]),
                        _with_gates(lambda mode: {"RNN": 1, "LSTM": 4, "GRU": 2}[mode]))),
        Mistake(Text("두 번째 층부터도 input_size를 썼습니다. 층 k > 0은 아래층의 출력, 곧 "
                     "hidden_size개의 특성을 받으므로 weight_ih_lk의 모양은 (G·H, H)입니다.",
                     "You used input_size for the later layers too: layer k > 0 reads the output "
                     "of the layer below, hidden_size features, so weight_ih_lk has shape "
                     "(G·H, H)."),
                same_as(lambda mode, i, h, n: n * _recurrent_parameters(mode, i, h, 1))),
        Mistake(Text("첫 층만 셌습니다. num_layers개의 층이 저마다 매개변수를 가집니다.",
                     "You counted the first layer only: each of the num_layers layers has "
                     "parameters of its own."),
                same_as(lambda mode, i, h, n: _recurrent_parameters(mode, i, h, 1))),
    ),
    hint=Text("층 하나는 weight_ih (G·H, 입력 특성), weight_hh (G·H, H), bias_ih와 bias_hh "
              "(G·H,)를 가집니다. G는 RNN 1, LSTM 4, GRU 3이고, 두 번째 층부터 입력 특성은 "
              "H입니다.",
              "One layer has weight_ih (G·H, input features), weight_hh (G·H, H), and bias_ih "
              "and bias_hh (G·H,), with G = 1 for RNN, 4 for LSTM and 3 for GRU; from the "
              "second layer on, the input features are H."),
)

EXERCISES = (LSTM_CELL, GRU_CELL, RECURRENT_PARAMETERS)
