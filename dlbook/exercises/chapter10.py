"""Chapter 10: one step of a recurrent network, the parameters of an nn.RNN, the gradient
through k steps of a one-value tanh RNN, and clipping gradients by their total norm."""

import numpy as np

from dlbook.exercises.exercise import Case, Exercise, Mistake, Text, same_as


def _rnn_step(x, h, weight_ih, weight_hh, bias_ih, bias_hh):
    """h' = tanh(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh), batch rows, as nn.RNNCell."""
    return np.tanh(x @ weight_ih.T + bias_ih + h @ weight_hh.T + bias_hh)


def _step_case(rng):
    n, i, h = int(rng.integers(1, 5)), int(rng.integers(1, 5)), int(rng.integers(1, 5))
    return (rng.normal(0, 1, (n, i)), rng.uniform(-1, 1, (n, h)), rng.normal(0, 0.8, (h, i)),
            rng.normal(0, 0.8, (h, h)), rng.normal(0, 0.3, h), rng.normal(0, 0.3, h))


# section 10.3's tiny RNN: x_1 = 1 from h_0 = 0, then x_2 = 2 from h_1
_W_x = np.array([[0.5], [-1.0]])
_W_h = np.array([[0.1, 0.4], [-0.3, 0.2]])
_b_ih, _b_hh = np.array([0.0, 0.1]), np.zeros(2)
_h_1 = np.tanh(np.array([[0.5, -0.9]]))

# rnn_step(x (N, I), h (N, H), weight_ih (H, I), weight_hh (H, H), bias_ih (H,), bias_hh (H,))
#     -> h' (N, H)
RNN_STEP = Exercise(
    id="ch10.rnn_step",
    args=("x", "h", "weight_ih", "weight_hh", "bias_ih", "bias_hh"),
    reference=_rnn_step,
    random_case=_step_case,
    edge_cases=(
        Case(Text("10.3절의 첫 단계 (h_0 = 0)", "section 10.3's first step (h_0 = 0)"),
             (np.array([[1.0]]), np.zeros((1, 2)), _W_x, _W_h, _b_ih, _b_hh)),
        Case(Text("10.3절의 둘째 단계", "section 10.3's second step"),
             (np.array([[2.0]]), _h_1, _W_x, _W_h, _b_ih, _b_hh)),
        Case(Text("입력과 은닉 상태의 크기가 같을 때", "input and hidden state of the same size"),
             (np.array([[1.0, -2.0]]), np.array([[0.5, 0.25]]), _W_h, _W_x @ _W_x.T,
              _b_ih, _b_hh)),
        Case(Text("float32", "float32"),
             (np.array([[1.0], [2.0]], dtype=np.float32), np.zeros((2, 2), dtype=np.float32),
              _W_x.astype(np.float32), _W_h.astype(np.float32), _b_ih.astype(np.float32),
              _b_hh.astype(np.float32))),
    ),
    mistakes=(
        Mistake(Text("tanh가 빠졌습니다. 새 은닉 상태는 두 완전 연결 층의 합에 tanh를 적용한 "
                     "값입니다.",
                     "The tanh is missing: the new hidden state is tanh applied to the sum of the "
                     "two fully connected layers."),
                same_as(lambda x, h, wi, wh, bi, bh: x @ wi.T + bi + h @ wh.T + bh)),
        Mistake(Text("편향이 하나 빠졌습니다. PyTorch와 dlbook의 순환 층은 b_ih와 b_hh 두 편향을 "
                     "모두 더합니다.",
                     "One of the biases is missing: the recurrent layers of PyTorch and dlbook add "
                     "both biases, b_ih and b_hh."),
                same_as(lambda x, h, wi, wh, bi, bh: np.tanh(x @ wi.T + h @ wh.T + bh),
                        lambda x, h, wi, wh, bi, bh: np.tanh(x @ wi.T + bi + h @ wh.T))),
        Mistake(Text("가중치를 전치하지 않고 곱했습니다. 배치가 행으로 쌓여 있으므로 x @ W_ihᵀ, "
                     "h @ W_hhᵀ입니다(W_ih는 (H, I), W_hh는 (H, H)).",
                     "The weights were not transposed: with the batch stacked in rows it is "
                     "x @ W_ihᵀ and h @ W_hhᵀ (W_ih is (H, I), W_hh is (H, H))."),
                same_as(lambda x, h, wi, wh, bi, bh: np.tanh(x @ wi.T + bi + h @ wh + bh),
                        lambda x, h, wi, wh, bi, bh: np.tanh(x @ wi + bi + h @ wh + bh))),
        Mistake(Text("tanh 대신 시그모이드를 썼습니다. nn.RNN의 기본 활성화 함수는 tanh입니다.",
                     "You used the sigmoid instead of tanh: nn.RNN's default activation is tanh."),
                same_as(lambda x, h, wi, wh, bi, bh:
                        1 / (1 + np.exp(-(x @ wi.T + bi + h @ wh.T + bh))))),
    ),
    hint=Text("h' = np.tanh(x @ weight_ih.T + bias_ih + h @ weight_hh.T + bias_hh)입니다.",
              "h' = np.tanh(x @ weight_ih.T + bias_ih + h @ weight_hh.T + bias_hh)."),
)


def _rnn_parameters(input_size, hidden_size, num_layers):
    """Per layer: weight_ih (H, features in), weight_hh (H, H) and two biases (H,); layer 0
    reads the input, every later layer the hidden states of the layer below."""
    total = 0
    for layer in range(num_layers):
        features = input_size if layer == 0 else hidden_size
        total += hidden_size * features + hidden_size * hidden_size + 2 * hidden_size
    return total


def _parameters_case(rng):
    return (int(rng.integers(1, 65)), int(rng.choice([4, 8, 16, 32, 64, 128])),
            int(rng.integers(1, 5)))


# rnn_parameters(input_size, hidden_size, num_layers) -> int
RNN_PARAMETERS = Exercise(
    id="ch10.rnn_parameters",
    args=("input_size", "hidden_size", "num_layers"),
    reference=_rnn_parameters,
    random_case=_parameters_case,
    edge_cases=(
        Case(Text("10.2절의 nn.RNN(2, 32)", "section 10.2's nn.RNN(2, 32)"), (2, 32, 1)),
        Case(Text("10.3절의 작은 RNN", "section 10.3's tiny RNN"), (1, 2, 1)),
        Case(Text("두 층", "two layers"), (2, 32, 2)),
        Case(Text("입력이 은닉 상태보다 클 때, 세 층",
                  "an input wider than the hidden state, three layers"), (300, 16, 3)),
    ),
    mistakes=(
        Mistake(Text("편향을 층마다 하나만 셌습니다. Keras의 SimpleRNN은 그렇지만, PyTorch와 "
                     "dlbook의 순환 층에는 b_ih와 b_hh가 있어 층마다 2H개입니다.",
                     "You counted one bias per layer: Keras's SimpleRNN has one, but the recurrent "
                     "layers of PyTorch and dlbook have b_ih and b_hh, 2H per layer."),
                same_as(lambda i, h, n: _rnn_parameters(i, h, n) - n * h)),
        Mistake(Text("둘째 층부터의 입력을 input_size로 셌습니다. 층 k > 0은 아래층의 은닉 상태를 "
                     "받으므로 weight_ih_l{k}의 모양은 (H, H)입니다.",
                     "The layers after the first were given input_size inputs: layer k > 0 reads "
                     "the hidden states of the layer below, so weight_ih_l{k} has shape (H, H)."),
                same_as(lambda i, h, n: n * (h * i + h * h + 2 * h))),
        Mistake(Text("weight_hh가 빠졌습니다. 층마다 은닉 상태에서 은닉 상태로 가는 H × H 가중치가 "
                     "있습니다.",
                     "weight_hh is missing: every layer has an H × H weight from hidden state to "
                     "hidden state."),
                same_as(lambda i, h, n: _rnn_parameters(i, h, n) - n * h * h)),
        Mistake(Text("층 수를 곱하지 않았습니다. num_layers개의 층이 저마다 가중치와 편향을 "
                     "가집니다.",
                     "The layers were not all counted: each of the num_layers layers has weights "
                     "and biases of its own."),
                same_as(lambda i, h, n: _rnn_parameters(i, h, 1))),
    ),
    hint=Text("층마다 H · (입력 특성 수) + H · H + 2H개이고, 입력 특성 수는 첫 층이 input_size, "
              "나머지 층이 H입니다.",
              "Each layer has H · (input features) + H · H + 2H, with input_size input features "
              "for the first layer and H for the others."),
)


def _bptt_factor(w, h):
    """dh_k/dh_0 of h_t = tanh(w h_{t−1} + u_t), from the states h = [h_0, h_1, …, h_k]:
    the product of w (1 − h_t²) over t = 1 … k (1 for k = 0)."""
    return float(np.prod(w * (1 - np.asarray(h)[1:] ** 2)))


def _states(w, inputs, h0=0.0):
    """The states [h_0, …, h_k] of h_t = tanh(w h_{t−1} + u_t)."""
    h = [h0]
    for u in inputs:
        h.append(float(np.tanh(w * h[-1] + u)))
    return np.array(h)


def _factor_case(rng):
    w = float(rng.uniform(-2, 2))
    k = int(rng.integers(1, 16))
    return w, _states(w, rng.normal(0, 0.5, k), float(rng.uniform(-0.5, 0.5)))


# bptt_factor(w, h [h_0, …, h_k]) -> float
BPTT_FACTOR = Exercise(
    id="ch10.bptt_factor",
    args=("w", "h"),
    reference=_bptt_factor,
    random_case=_factor_case,
    edge_cases=(
        Case(Text("한 단계", "a single step"), (0.9, np.array([0.0, 0.5]))),
        Case(Text("0단계: h_0의 자기 자신에 대한 도함수",
                  "no step at all: h_0 with respect to itself"), (1.5, np.array([0.3]))),
        Case(Text("포화된 tanh", "a saturated tanh"), (3.0, _states(3.0, [2.0] * 6, 0.2))),
        Case(Text("음수 가중치", "a negative weight"),
             (-1.2, _states(-1.2, [0.1, -0.3, 0.2, 0.0]))),
    ),
    mistakes=(
        Mistake(Text("tanh의 도함수가 빠졌습니다. 한 단계마다 w만이 아니라 w(1 − h_t²)이 "
                     "곱해집니다.",
                     "The derivative of tanh is missing: each step multiplies by w (1 − h_t²), not "
                     "by w alone."),
                same_as(lambda w, h: float(w ** (len(h) - 1)))),
        Mistake(Text("단계가 하나 어긋났습니다. 단계 t의 도함수 ∂h_t/∂h_{t−1} = w(1 − h_t²)는 "
                     "새 상태 h_t로 계산하므로 h_1, …, h_k를 쓰고 h_0은 쓰지 않습니다.",
                     "The steps are off by one: the derivative of step t, ∂h_t/∂h_{t−1} = "
                     "w (1 − h_t²), uses the new state h_t, so it takes h_1, …, h_k, never h_0."),
                same_as(lambda w, h: float(np.prod(w * (1 - np.asarray(h)[:-1] ** 2))),
                        lambda w, h: float(np.prod(w * (1 - np.asarray(h) ** 2))))),
        Mistake(Text("tanh의 도함수는 1 − h가 아니라 1 − h²입니다.",
                     "The derivative of tanh is 1 − h², not 1 − h."),
                same_as(lambda w, h: float(np.prod(w * (1 - np.asarray(h)[1:]))))),
        Mistake(Text("단계마다의 도함수를 더했습니다. 연쇄 법칙은 곱합니다.",
                     "You added the steps' derivatives: the chain rule multiplies them."),
                same_as(lambda w, h: float(np.sum(w * (1 - np.asarray(h)[1:] ** 2))))),
    ),
    hint=Text("∂h_k/∂h_0 = ∏_{t=1}^{k} w (1 − h_t²), 파이썬으로는 "
              "np.prod(w * (1 - h[1:] ** 2))입니다.",
              "∂h_k/∂h_0 = ∏_{t=1}^{k} w (1 − h_t²); in Python, np.prod(w * (1 - h[1:] ** 2))."),
)


def _clip(grads, max_norm):
    """Every gradient times min(1, max_norm / total norm), the total norm taken over all of them
    together (clip_grad_norm_ without its 1e-6, returning new arrays)."""
    total = np.sqrt(sum(float(np.sum(g ** 2)) for g in grads))
    scale = min(1.0, max_norm / total) if total > 0 else 1.0
    return [g * scale for g in grads]


def _clip_case(rng):
    shapes = [tuple(int(d) for d in rng.integers(1, 4, size=int(rng.integers(1, 3))))
              for _ in range(int(rng.integers(1, 4)))]
    spread = float(10 ** rng.uniform(-1, 1.5))
    return [rng.normal(0, spread, s) for s in shapes], float(rng.uniform(1, 5))


def _each_on_its_own(grads, max_norm):
    return [_clip([g], max_norm)[0] for g in grads]


def _scaled_to_max_norm(grads, max_norm):
    total = np.sqrt(sum(float(np.sum(g ** 2)) for g in grads))
    return [g * max_norm / total for g in grads]


_a, _b = np.full((2, 2), 30.0), np.full((2, 2), -40.0)

# clip_by_total_norm(grads [arrays], max_norm) -> [arrays of the same shapes]
CLIP_BY_TOTAL_NORM = Exercise(
    id="ch10.clip_by_total_norm",
    args=("grads", "max_norm"),
    reference=_clip,
    random_case=_clip_case,
    edge_cases=(
        Case(Text("10.7절의 예: 길이 100을 1로", "section 10.7's example: length 100 down to 1"),
             ([_a, _b], 1.0)),
        Case(Text("이미 짧은 기울기", "a gradient that is already short"),
             ([_a / 1000, _b / 1000], 1.0)),
        Case(Text("각각은 짧지만 합치면 긴 기울기", "gradients short one by one but long together"),
             ([np.array([0.8]), np.array([0.8])], 1.0)),
        Case(Text("기울기 하나", "a single gradient"), ([np.array([3.0, 4.0])], 2.0)),
    ),
    mistakes=(
        Mistake(Text("기울기를 하나씩 따로 잘랐습니다. clip_grad_norm_은 모든 기울기를 이어 붙인 "
                     "한 벡터의 길이를 재어, 모두를 같은 비율로 줄입니다. 그래야 업데이트의 방향이 "
                     "바뀌지 않습니다.",
                     "You clipped each gradient on its own: clip_grad_norm_ measures the length of "
                     "all the gradients joined into one vector and shrinks them all by the same "
                     "factor, so that the direction of the update stays the same."),
                same_as(_each_on_its_own)),
        Mistake(Text("짧은 기울기까지 max_norm 길이로 늘렸습니다. 클리핑은 길이가 max_norm보다 "
                     "길 때만 줄이고, 짧은 기울기는 그대로 둡니다. "
                     "min(1, max_norm / 길이)배입니다.",
                     "You stretched short gradients up to max_norm as well: clipping only shrinks "
                     "a gradient longer than max_norm and leaves short ones alone, a factor of "
                     "min(1, max_norm / length)."),
                same_as(_scaled_to_max_norm)),
        Mistake(Text("원소 값을 잘랐습니다(np.clip). 그것은 clip_grad_value_가 하는 일로, "
                     "기울기의 방향이 바뀝니다. 여기서는 길이를 재어 전체를 같은 비율로 줄입니다.",
                     "You clipped the element values (np.clip): that is what clip_grad_value_ "
                     "does, and it changes the direction of the gradient. Here the length is "
                     "measured and everything is shrunk by the same factor."),
                same_as(lambda grads, max_norm: [np.clip(g, -max_norm, max_norm) for g in grads])),
    ),
    hint=Text("길이는 np.sqrt(sum((g ** 2).sum() for g in grads))이고, 모든 기울기에 "
              "min(1, max_norm / 길이)를 곱합니다.",
              "The length is np.sqrt(sum((g ** 2).sum() for g in grads)); multiply every "
              "gradient by min(1, max_norm / length)."),
)

EXERCISES = (RNN_STEP, RNN_PARAMETERS, BPTT_FACTOR, CLIP_BY_TOTAL_NORM)
