"""Recurrent networks: one time step of each cell, a whole sequence through one layer, and the
backward functions that undo them (backpropagation through time, BPTT).

Shapes: L time steps, N sequences in the batch, I input features, H hidden units. Every cell
computes its gates' pre-activations as x W_ihᵀ + b_ih + h W_hhᵀ + b_hh, with the gates stacked
along the last axis in torch's order: RNN [h] (H), LSTM [i f g o] (4H), GRU [r z n] (3H).

    RNN    h' = tanh(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh)          (or relu)
    LSTM   i, f, o = σ(·), g = tanh(·);   c' = f ⊙ c + i ⊙ g;   h' = o ⊙ tanh(c')
    GRU    r, z = σ(·);   n = tanh(x W_inᵀ + b_in + r ⊙ (h W_hnᵀ + b_hn))
           h' = (1 − z) ⊙ n + z ⊙ h

A step function (``lstm_step``) takes the pre-activations and does the rest. A sequence
function (``lstm_forward``) runs the steps over time; its backward (``lstm_backward``) runs them
in reverse, each step (``lstm_step_backward``) turning dL/dh' (and dL/dc') into the gradients
of the pre-activations and of the state before.

Only what depends on the step before stays in the loops over time; the rest is done for the
whole sequence at once, as a few large array operations instead of many small ones:

- forward: x W_ihᵀ + b of every step is one matmul before the loop; inside it, h W_hhᵀ gives
  all the gates in one matmul;
- backward: each step's local derivatives (σ' = σ(1 − σ), tanh' = 1 − tanh², the factors of
  each product) depend only on the forward's values, so ``*_local_derivatives`` computes them
  for every step before the loop, which then only multiplies in the gradient coming back;
  dL/dx, dW_ih, dW_hh and the bias gradients come after it, each one matmul over all steps.

Buffers for the whole sequence (states, gates) are allocated once. Arrays may be NumPy or CuPy
and keep the input's dtype.
"""

from typing import NamedTuple

from dlbook.backend import get_array_module


def sigmoid_(a):
    """σ(a) in place, as ½(1 + tanh(a/2)): one tanh, no overflowing exp and no temporaries
    (replaces ``F.sigmoid``, which allocates a new array at each of its operations)."""
    xp = get_array_module(a)
    a *= 0.5
    xp.tanh(a, out=a)
    a += 1
    a *= 0.5
    return a


def split_gates(gates, count: int):
    """The ``count`` gates stacked along the last axis, as views: (…, count·H) -> count × (…, H)."""
    size = gates.shape[-1] // count
    return [gates[..., k * size:(k + 1) * size] for k in range(count)]


def input_projection(x, weight_ih, *biases):
    """x W_ihᵀ + the given biases for every time step at once: (L, N, I) -> (L, N, G·H).

    One matmul over the L·N rows instead of one per time step; a bias that is None is skipped.
    """
    length, batch, features = x.shape
    projected = (x.reshape(-1, features) @ weight_ih.T).reshape(length, batch, len(weight_ih))
    for bias in biases:
        if bias is not None:
            projected += bias
    return projected


def weight_gradients(grad_gates_x, x, grad_gates_h, h_prev):
    """dL/dW_ih, dL/dW_hh, dL/db_ih, dL/db_hh summed over every time step and sequence.

    grad_gates_x, grad_gates_h: (L, N, G·H), the gradients of x W_ihᵀ + b_ih and of
    h W_hhᵀ + b_hh at each step (equal but for GRU's n gate); x: (L, N, I); h_prev: (L, N, H),
    the state each step read. dW = Σ_t gᵀ_t x_t is one matmul over all L·N rows.
    """
    def rows(a):
        return a.reshape(-1, a.shape[-1])

    return {"weight_ih": rows(grad_gates_x).T @ rows(x),
            "weight_hh": rows(grad_gates_h).T @ rows(h_prev),
            "bias_ih": rows(grad_gates_x).sum(axis=0),
            "bias_hh": rows(grad_gates_h).sum(axis=0)}


def _initial_gradient(grad, like):
    """A writable copy of the gradient of a final state, zeros for None (the loss ignores it)."""
    xp = get_array_module(like)
    return xp.zeros_like(like) if grad is None else grad.astype(like.dtype, copy=True)


def _state_buffer(initial, length: int):
    """(L + 1, N, H) for the states h_0 … h_L of a sequence, with h_0 = ``initial`` filled in."""
    xp = get_array_module(initial)
    states = xp.empty((length + 1, *initial.shape), dtype=initial.dtype)
    states[0] = initial
    return states


# -- Elman RNN ---------------------------------------------------------------------------------
class RNNSequence(NamedTuple):
    """What ``rnn_forward`` keeps for ``rnn_backward``: the input and every state."""

    x: object            # (L, N, I)
    hs: object           # (L + 1, N, H): h_0, h_1, …, h_L
    nonlinearity: str    # "tanh" or "relu"

    @property
    def output(self):    # (L, N, H): h_t of every step
        return self.hs[1:]

    @property
    def h_n(self):       # (N, H)
        return self.hs[-1]


def rnn_step(pre, nonlinearity: str, out):
    """h' = tanh(pre) or relu(pre), written into ``out``. pre, out: (N, H)."""
    xp = get_array_module(pre)
    if nonlinearity == "tanh":
        return xp.tanh(pre, out=out)
    return xp.maximum(pre, 0, out=out)


def rnn_local_derivatives(seq: RNNSequence):
    """dh_t/dpre_t of every step: tanh' = 1 − h_t², or relu' = 1 where h_t > 0 (0 at 0, as
    torch). (L, N, H)."""
    h = seq.output
    return 1 - h * h if seq.nonlinearity == "tanh" else (h > 0).astype(h.dtype)


def rnn_step_backward(grad_h, local):
    """dL/dpre = dL/dh' ⊙ dh'/dpre, written over ``local`` (the step's local derivatives).
    grad_h, local: (N, H)."""
    local *= grad_h
    return local


def rnn_forward(x, h0, weight_ih, weight_hh, bias_ih=None, bias_hh=None,
                nonlinearity: str = "tanh"):
    """An Elman RNN over a sequence: h_t = act(x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh).

    x: (L, N, I), h0: (N, H), W_ih: (H, I), W_hh: (H, H), biases (H,) or None.
    Returns an ``RNNSequence``: ``.output`` (L, N, H) and ``.h_n`` (N, H).
    """
    pre = input_projection(x, weight_ih, bias_ih, bias_hh)  # (L, N, H), both biases once
    hs = _state_buffer(h0, len(x))
    for t in range(len(x)):
        pre[t] += hs[t] @ weight_hh.T
        rnn_step(pre[t], nonlinearity, out=hs[t + 1])
    return RNNSequence(x, hs, nonlinearity)


def rnn_backward(grad_output, grad_h_n, seq: RNNSequence, weight_ih, weight_hh):
    """Backpropagation through time of ``rnn_forward``.

    grad_output: (L, N, H) dL/doutput; grad_h_n: (N, H); either may be None (zero).
    Returns (dL/dx (L, N, I), dL/dh0 (N, H), {"weight_ih": …, "weight_hh": …, "bias_ih": …,
    "bias_hh": …}).
    """
    grad_pre = rnn_local_derivatives(seq)  # (L, N, H), each step's row becomes dL/dpre_t
    grad_h = _initial_gradient(grad_h_n, seq.h_n)
    for t in reversed(range(len(seq.x))):
        if grad_output is not None:  # h_t feeds the output and the next step
            grad_h += grad_output[t]
        rnn_step_backward(grad_h, grad_pre[t])
        grad_h = grad_pre[t] @ weight_hh  # h_{t−1} reached pre_t through W_hh
    grads = weight_gradients(grad_pre, seq.x, grad_pre, seq.hs[:-1])
    grad_x = input_projection(grad_pre, weight_ih.T)  # dL/dx = g W_ih, all steps at once
    return grad_x, grad_h, grads


# -- LSTM --------------------------------------------------------------------------------------
class LSTMSequence(NamedTuple):
    """What ``lstm_forward`` keeps for ``lstm_backward``."""

    x: object            # (L, N, I)
    hs: object           # (L + 1, N, H): h_0 … h_L
    cs: object           # (L + 1, N, H): c_0 … c_L
    gates: object        # (L, N, 4H): i, f, g, o of every step, after their σ or tanh
    tanh_cs: object      # (L, N, H): tanh(c_t)

    @property
    def output(self):
        return self.hs[1:]

    @property
    def h_n(self):
        return self.hs[-1]

    @property
    def c_n(self):
        return self.cs[-1]


def lstm_step(gates, c, h_out, c_out, tanh_c_out):
    """One LSTM step from its pre-activations ``gates`` (N, 4H) = [i f g o], activated in place.

    c: (N, H), the cell state before. Writes c' = f ⊙ c + i ⊙ g, tanh(c') and h' = o ⊙ tanh(c')
    into ``c_out``, ``tanh_c_out`` and ``h_out`` (each (N, H)).
    """
    xp = get_array_module(gates)
    size = c.shape[-1]
    sigmoid_(gates[..., :2 * size])  # i, f: how much to write, how much to keep
    xp.tanh(gates[..., 2 * size:3 * size], out=gates[..., 2 * size:3 * size])  # g: what to write
    sigmoid_(gates[..., 3 * size:])  # o: how much to show
    i, f, g, o = split_gates(gates, 4)
    xp.multiply(f, c, out=c_out)
    c_out += i * g
    xp.tanh(c_out, out=tanh_c_out)
    xp.multiply(o, tanh_c_out, out=h_out)


def lstm_local_derivatives(seq: LSTMSequence):
    """What backward multiplies the gradients by, for every step at once.

    Returns ``local`` (L, N, 4H): the derivatives of c' by the pre-activations of i, f and g,
    g σ'(i), c σ'(f) and i tanh'(g), and of h' by that of o, tanh(c') σ'(o); and ``dh_dc``
    (L, N, H) = o tanh'(c'), the derivative of h' by c'.
    """
    xp = get_array_module(seq.gates)
    i, f, g, o = split_gates(seq.gates, 4)
    local = xp.empty_like(seq.gates)
    local_i, local_f, local_g, local_o = split_gates(local, 4)
    xp.multiply(g, i * (1 - i), out=local_i)  # c' = f ⊙ c + i ⊙ g
    xp.multiply(seq.cs[:-1], f * (1 - f), out=local_f)
    xp.multiply(i, 1 - g * g, out=local_g)
    xp.multiply(seq.tanh_cs, o * (1 - o), out=local_o)  # h' = o ⊙ tanh(c')
    return local, o * (1 - seq.tanh_cs * seq.tanh_cs)


def lstm_step_backward(grad_h, grad_c, f, local, dh_dc):
    """One step back: from dL/dh' and dL/dc' (N, H) to dL/d(pre-activations), written over
    ``local`` (N, 4H, the step's local derivatives), and to dL/dc, returned.

    f: the step's forget gate (N, H); dh_dc: its o ⊙ tanh'(c') (N, H).
    """
    grad_c = grad_c + grad_h * dh_dc  # c' reaches the loss directly and through h'
    by_gate = local.reshape(len(local), 4, local.shape[-1] // 4)  # (N, 4, H), a view
    by_gate[:, :3] *= grad_c[:, None]  # i, f and g act through c'
    by_gate[:, 3] *= grad_h  # o acts through h'
    return grad_c * f  # c' = f ⊙ c + …


def lstm_forward(x, h0, c0, weight_ih, weight_hh, bias_ih=None, bias_hh=None):
    """An LSTM over a sequence. x: (L, N, I), h0, c0: (N, H), W_ih: (4H, I), W_hh: (4H, H),
    biases (4H,) or None. Returns an ``LSTMSequence``: ``.output`` (L, N, H), ``.h_n``, ``.c_n``.
    """
    xp = get_array_module(x)
    gates = input_projection(x, weight_ih, bias_ih, bias_hh)  # (L, N, 4H), kept for backward
    hs, cs = _state_buffer(h0, len(x)), _state_buffer(c0, len(x))
    tanh_cs = xp.empty(hs[1:].shape, dtype=hs.dtype)
    for t in range(len(x)):
        gates[t] += hs[t] @ weight_hh.T  # the recurrent part: all four gates in one matmul
        lstm_step(gates[t], cs[t], hs[t + 1], cs[t + 1], tanh_cs[t])
    return LSTMSequence(x, hs, cs, gates, tanh_cs)


def lstm_backward(grad_output, grad_h_n, grad_c_n, seq: LSTMSequence, weight_ih, weight_hh):
    """Backpropagation through time of ``lstm_forward``.

    grad_output: (L, N, H); grad_h_n, grad_c_n: (N, H); any may be None (zero). Returns
    (dL/dx (L, N, I), dL/dh0, dL/dc0 (N, H), {"weight_ih": …, "weight_hh": …, "bias_ih": …,
    "bias_hh": …}).
    """
    grad_gates, dh_dc = lstm_local_derivatives(seq)  # each step's row becomes its gradient
    forget = split_gates(seq.gates, 4)[1]
    grad_h = _initial_gradient(grad_h_n, seq.h_n)
    grad_c = _initial_gradient(grad_c_n, seq.c_n)
    for t in reversed(range(len(seq.x))):
        if grad_output is not None:  # h_t feeds the output and the next step
            grad_h += grad_output[t]
        grad_c = lstm_step_backward(grad_h, grad_c, forget[t], grad_gates[t], dh_dc[t])
        grad_h = grad_gates[t] @ weight_hh  # h_{t−1} reached every gate through W_hh
    grads = weight_gradients(grad_gates, seq.x, grad_gates, seq.hs[:-1])
    grad_x = input_projection(grad_gates, weight_ih.T)  # dL/dx = g W_ih, all steps at once
    return grad_x, grad_h, grad_c, grads


# -- GRU ---------------------------------------------------------------------------------------
class GRUSequence(NamedTuple):
    """What ``gru_forward`` keeps for ``gru_backward``."""

    x: object            # (L, N, I)
    hs: object           # (L + 1, N, H): h_0 … h_L
    gates: object        # (L, N, 3H): r, z, n of every step, after their σ or tanh
    hidden_n: object     # (L, N, H): h_{t−1} W_hnᵀ + b_hn, which r scales

    @property
    def output(self):
        return self.hs[1:]

    @property
    def h_n(self):
        return self.hs[-1]


def gru_step(gates, gates_h, h, hidden_n_out, h_out):
    """One GRU step. gates: (N, 3H) = x W_ihᵀ + b_ih for [r z n], activated in place;
    gates_h: (N, 3H) = h W_hhᵀ + b_hh; h: (N, H), the state before.

    Writes h W_hnᵀ + b_hn into ``hidden_n_out`` and h' = n + z ⊙ (h − n), which is
    (1 − z) ⊙ n + z ⊙ h, into ``h_out``.
    """
    xp = get_array_module(gates)
    size = h.shape[-1]
    gates[..., :2 * size] += gates_h[..., :2 * size]
    sigmoid_(gates[..., :2 * size])  # r: how much of h the candidate sees; z: how much h to keep
    r, z, n = split_gates(gates, 3)
    hidden_n_out[...] = gates_h[..., 2 * size:]
    n += r * hidden_n_out  # n = tanh(x W_inᵀ + b_in + r ⊙ (h W_hnᵀ + b_hn))
    xp.tanh(n, out=n)
    xp.subtract(h, n, out=h_out)
    h_out *= z
    h_out += n


def gru_local_derivatives(seq: GRUSequence):
    """What backward multiplies dL/dh' by, for every step at once: the derivatives of h' by
    the pre-activations of r, z and n, on the x side (``local_x``, (L, N, 3H)) and on the h
    side (``local_h``: the same, but for n's, which r scales there)."""
    xp = get_array_module(seq.gates)
    r, z, n = split_gates(seq.gates, 3)
    local_x = xp.empty_like(seq.gates)
    local_r, local_z, local_n = split_gates(local_x, 3)
    xp.multiply(1 - z, 1 - n * n, out=local_n)  # h' = (1 − z) ⊙ n + z ⊙ h, n = tanh(·)
    xp.multiply(seq.hs[:-1] - n, z * (1 - z), out=local_z)
    xp.multiply(local_n * seq.hidden_n, r * (1 - r), out=local_r)  # r ⊙ (h W_hnᵀ + b_hn)
    local_h = local_x.copy()
    split_gates(local_h, 3)[2][...] *= r
    return local_x, local_h


def gru_step_backward(grad_h, z, local_x, local_h):
    """One step back: dL/dh' (N, H) times the local derivatives gives the gradients of the
    pre-activations, written over ``local_x`` and ``local_h`` (N, 3H). Returns dL/dh along the
    direct path h' = … + z ⊙ h; the path through W_hh (local_h W_hh) is the caller's to add.
    """
    for local in (local_x, local_h):
        local.reshape(len(local), 3, local.shape[-1] // 3)[...] *= grad_h[:, None]  # (N, 3, H)
    return grad_h * z


def gru_forward(x, h0, weight_ih, weight_hh, bias_ih=None, bias_hh=None):
    """A GRU over a sequence. x: (L, N, I), h0: (N, H), W_ih: (3H, I), W_hh: (3H, H), biases
    (3H,) or None. Returns a ``GRUSequence``: ``.output`` (L, N, H) and ``.h_n`` (N, H).
    """
    xp = get_array_module(x)
    gates = input_projection(x, weight_ih, bias_ih)  # (L, N, 3H); b_hh sits inside r ⊙ (…)
    hs = _state_buffer(h0, len(x))
    hidden_n = xp.empty(hs[1:].shape, dtype=hs.dtype)
    for t in range(len(x)):
        gates_h = hs[t] @ weight_hh.T  # all three gates in one matmul
        if bias_hh is not None:
            gates_h += bias_hh
        gru_step(gates[t], gates_h, hs[t], hidden_n[t], hs[t + 1])
    return GRUSequence(x, hs, gates, hidden_n)


def gru_backward(grad_output, grad_h_n, seq: GRUSequence, weight_ih, weight_hh):
    """Backpropagation through time of ``gru_forward``.

    grad_output: (L, N, H); grad_h_n: (N, H); either may be None (zero). Returns (dL/dx
    (L, N, I), dL/dh0 (N, H), {"weight_ih": …, "weight_hh": …, "bias_ih": …, "bias_hh": …}).
    """
    grad_gates_x, grad_gates_h = gru_local_derivatives(seq)  # rows become the gradients
    update = split_gates(seq.gates, 3)[1]
    grad_h = _initial_gradient(grad_h_n, seq.h_n)
    for t in reversed(range(len(seq.x))):
        if grad_output is not None:  # h_t feeds the output and the next step
            grad_h += grad_output[t]
        grad_direct = gru_step_backward(grad_h, update[t], grad_gates_x[t], grad_gates_h[t])
        grad_h = grad_direct + grad_gates_h[t] @ weight_hh
    grads = weight_gradients(grad_gates_x, seq.x, grad_gates_h, seq.hs[:-1])
    grad_x = input_projection(grad_gates_x, weight_ih.T)  # dL/dx = g W_ih, all steps at once
    return grad_x, grad_h, grads
