"""Recurrent layers: RNN, LSTM and GRU over whole sequences, and the cells RNNCell, LSTMCell and
GRUCell for one time step, with torch's arguments, parameter names, shapes and formulas.

The math lives in ``dlbook.nn.functional.rnn``; these modules check the input, lay it out as
(L, N, features), stack the layers and directions, and keep what backpropagation through time
(``backward``) needs. A cell is the same math run for a sequence of length 1.
"""

import math
import warnings

import numpy as np

from dlbook.backend import as_dtype, get_array_module
from dlbook.nn import init
from dlbook.nn.checks import (
    check_array,
    check_dtype,
    check_exact,
    check_features,
    check_float_dtype,
    check_rnn_arguments,
    check_shape,
)
from dlbook.nn.functional.rnn import (
    gru_backward,
    gru_forward,
    lstm_backward,
    lstm_forward,
    rnn_backward,
    rnn_forward,
)
from dlbook.nn.module import Module
from dlbook.nn.parameter import Parameter
from dlbook.random import default_generator


def _uniform_init(module, generator):
    """U(−1/√hidden_size, 1/√hidden_size) for every weight and bias, in torch's order."""
    bound = 1 / math.sqrt(module.hidden_size)
    for param in module.parameters():
        init.uniform_(param.data, -bound, bound, generator)


class RNNBase(Module):
    """What RNN, LSTM and GRU share: ``num_layers`` layers stacked, each run in one direction or
    (``bidirectional``) two, the reverse one reading the sequence from its end.

    Shapes, with D = 2 if bidirectional else 1 and H = hidden_size:

    - x: (L, N, input_size), or (N, L, input_size) with ``batch_first``, or unbatched
      (L, input_size);
    - output: x's layout with D·H features: the last layer's h_t at every step t, the
      directions side by side;
    - each state (hx, h_n; LSTM's c too): (D·num_layers, N, H), or (D·num_layers, H)
      unbatched, ordered layer by layer, forward before reverse.

    Layer k > 0 reads the output of layer k − 1 through dropout of probability ``dropout`` in
    training mode (not after the last layer).

    Parameters of layer k, with the suffix "_reverse" for the reverse direction, in torch's
    order: ``weight_ih_l{k}`` (G·H, features in), ``weight_hh_l{k}`` (G·H, H), and with
    ``bias`` ``bias_ih_l{k}``, ``bias_hh_l{k}`` (G·H,), G gates stacked in torch's order; each
    drawn from U(−1/√H, 1/√H) as torch. ``generator`` (an ``np.random.Generator``, not an
    argument of torch's) draws the initial weights and the dropout masks; dlbook's default
    generator when None.

    ``backward`` is backpropagation through time: it adds every parameter's gradient to its
    ``.grad``, returns dL/dx and keeps the gradient of each initial state in ``grad_hx`` (LSTM:
    also ``grad_cx``), in hx's shape; when no hx was given it is the gradient of the zero state.
    """

    mode: str        # "RNN_TANH", "RNN_RELU", "LSTM" or "GRU"
    gates = 1        # G: the gates stacked in each weight
    states = ("h",)  # the recurrent states: h, and LSTM's cell state c

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 device=None, dtype=None, generator=None):
        super().__init__()
        self.input_size, self.hidden_size, self.num_layers = input_size, hidden_size, num_layers
        self.bias, self.batch_first, self.bidirectional = bias, batch_first, bidirectional
        self.dropout, self.generator = dropout, generator
        check_rnn_arguments(self)
        self.dropout = float(dropout)
        if dropout > 0 and num_layers == 1:
            warnings.warn("dropout option adds dropout after all but last recurrent layer, so"
                          " non-zero dropout expects num_layers greater than 1, but got"
                          f" dropout={dropout} and num_layers={num_layers}", stacklevel=3)
        dtype = check_float_dtype(self.label(), as_dtype(dtype))
        self._all_weights = []  # the names of each layer's and direction's parameters
        for layer in range(num_layers):
            for direction in range(self.num_directions):
                features = input_size if layer == 0 else hidden_size * self.num_directions
                shapes = {"weight_ih": (self.gates * hidden_size, features),
                          "weight_hh": (self.gates * hidden_size, hidden_size)}
                if bias:
                    shapes |= {"bias_ih": (self.gates * hidden_size,),
                               "bias_hh": (self.gates * hidden_size,)}
                suffix = f"_l{layer}" + ("_reverse" if direction else "")
                for kind, shape in shapes.items():
                    setattr(self, kind + suffix, Parameter(np.empty(shape, dtype=dtype)))
                self._all_weights.append([kind + suffix for kind in shapes])
        self.reset_parameters(generator)
        for state in self.states:  # set here, so that backward's new values outlive its call
            setattr(self, f"grad_{state}x", None)
        if device is not None:
            self.to(device)

    @property
    def num_directions(self) -> int:
        return 2 if self.bidirectional else 1

    @property
    def all_weights(self):
        """Each layer's and direction's parameters, [[weight_ih_l0, weight_hh_l0, …], …]."""
        return [[self._parameters[name] for name in names] for names in self._all_weights]

    def reset_parameters(self, generator=None):
        _uniform_init(self, generator)

    def flatten_parameters(self):
        """Nothing to do: torch packs its weights for cuDNN here. Kept so torch code runs."""

    # -- the functional math of one direction of one layer: each subclass's own ----------------
    def _run(self, x, states, weights):
        """``rnn_forward``, ``lstm_forward`` or ``gru_forward`` of x (L, N, I) from ``states``,
        a tuple of (N, H) arrays."""
        raise NotImplementedError

    def _run_backward(self, grad_output, grad_final, sequence, weights):
        """Its backward: (dL/dx, a tuple of dL/d(initial states), {kind: gradient})."""
        raise NotImplementedError

    def _unpack(self, hx):
        """The initial states in ``hx`` as a tuple, with the names errors give them."""
        return (hx,), ("hx",)

    # -- forward and backward through the stack ----------------------------------------------
    def forward(self, x, hx=None):
        check_array(self, x)
        sequence = "(N, L, {})" if self.batch_first else "(L, N, {})"
        check_features(self, x, {3: sequence.format(self.input_size),
                                 2: f"unbatched (L, {self.input_size})"}, self.input_size)
        check_dtype(self, x)
        length = x.shape[1 if self.batch_first and x.ndim == 3 else 0]
        check_shape(self, x, length > 0, f"{sequence.format(self.input_size)} with L ≥ 1")
        self.unbatched = x.ndim == 2  # one sequence (L, I): run as a batch of 1
        x = self._to_steps(x)
        states = self._initial_states(x, hx)  # a tuple of (D·num_layers, N, H)
        xp = get_array_module(x)
        final = tuple(xp.empty_like(s) for s in states)
        self.sequences = []  # per layer, per direction: what its forward kept for backward
        self.dropout_masks = []  # per layer but the last: the mask on its output, or None
        for layer in range(self.num_layers):
            outputs, sequences = [], []
            for direction in range(self.num_directions):
                k = layer * self.num_directions + direction
                # the reverse direction is the same recurrence over the reversed sequence
                seq = self._run(x[::-1] if direction else x, tuple(s[k] for s in states),
                                self._weights(k))
                for f, state in zip(final, self.states, strict=True):
                    f[k] = getattr(seq, f"{state}_n")
                outputs.append(seq.output[::-1] if direction else seq.output)
                sequences.append(seq)
            self.sequences.append(sequences)
            x = outputs[0] if len(outputs) == 1 else xp.concatenate(outputs, axis=-1)
            if layer < self.num_layers - 1:
                x = self._dropout(x)
        output = self._from_steps(x)
        final = tuple(f[:, 0] for f in final) if self.unbatched else final
        self.output_shape, self.final_shape = output.shape, final[0].shape  # backward checks
        return output, final[0] if len(final) == 1 else final

    def _dropout(self, x):
        """x with each element zeroed with probability p and the rest scaled by 1/(1 − p) in
        training mode (inverted dropout, as nn.Dropout); the mask is kept for backward."""
        if not self.training or self.dropout == 0:
            self.dropout_masks.append(None)
            return x
        rng = default_generator() if self.generator is None else self.generator
        keep = rng.random(x.shape) >= self.dropout
        scale = 0.0 if self.dropout == 1 else 1 / (1 - self.dropout)
        mask = get_array_module(x).asarray(keep.astype(x.dtype) * scale)
        self.dropout_masks.append(mask)
        return x * mask

    def _initial_states(self, x, hx):
        """The initial states as a tuple of (D·num_layers, N, H): zeros when hx is None."""
        xp = get_array_module(x)
        shape = (self.num_layers * self.num_directions, x.shape[1], self.hidden_size)
        if hx is None:
            return tuple(xp.zeros(shape, dtype=x.dtype) for _ in self.states)
        given, names = self._unpack(hx)
        expected = (shape[0], shape[2]) if self.unbatched else shape
        for state, name in zip(given, names, strict=True):
            check_exact(self, state, expected, name, x.dtype)
        return tuple(s[:, None] for s in given) if self.unbatched else tuple(given)

    def _backward_through_time(self, grad_output, grad_final: dict):
        """dL/dx from dL/doutput (None: zero) and ``grad_final``, the gradients of the final
        states by name ({"grad_h_n": …}; None: zero).

        Goes through the layers from the last to the first and through each direction's
        sequence in reverse; fills every parameter's .grad, keeps dL/d(initial states).
        """
        x = self.sequences[0][0].x  # (L, N, I)
        xp, dtype = get_array_module(x), x.dtype
        if grad_output is None:  # the loss reads only the final states
            grad_output = xp.zeros(self.output_shape, dtype=dtype)
        check_exact(self, grad_output, self.output_shape, "grad_output", dtype)
        for name, g in grad_final.items():
            if g is not None:
                check_exact(self, g, self.final_shape, name, dtype)
        grad = self._to_steps(grad_output)
        grad_final = [None if g is None else (g[:, None] if self.unbatched else g)
                      for g in grad_final.values()]
        shape = (self.num_layers * self.num_directions, x.shape[1], self.hidden_size)
        grad_initial = [xp.empty(shape, dtype=dtype) for _ in self.states]
        size = self.hidden_size
        for layer in reversed(range(self.num_layers)):
            if layer < self.num_layers - 1 and self.dropout_masks[layer] is not None:
                grad = grad * self.dropout_masks[layer]  # the mask on this layer's output
            grad_input = 0
            for direction in range(self.num_directions):
                k = layer * self.num_directions + direction
                grad_out = grad[..., direction * size:(direction + 1) * size]
                grad_x, grad_states, grads = self._run_backward(
                    grad_out[::-1] if direction else grad_out,
                    tuple(None if g is None else g[k] for g in grad_final),
                    self.sequences[layer][direction], self._weights(k))
                for g, g0 in zip(grad_initial, grad_states, strict=True):
                    g[k] = g0
                self._accumulate(k, grads)
                grad_input = grad_input + (grad_x[::-1] if direction else grad_x)
            grad = grad_input
        for state, g in zip(self.states, grad_initial, strict=True):
            setattr(self, f"grad_{state}x", g[:, 0] if self.unbatched else g)
        return self._from_steps(grad)

    def _to_steps(self, a):
        """A sequence in the caller's layout, (N, L, …) with batch_first or (L, …) unbatched,
        as (L, N, …): a view."""
        if self.unbatched:
            return a[:, None]
        return a.swapaxes(0, 1) if self.batch_first else a

    def _from_steps(self, a):
        """(L, N, …) back to the caller's layout: a view."""
        if self.unbatched:
            return a[:, 0]
        return a.swapaxes(0, 1) if self.batch_first else a

    def _weights(self, k):
        """(W_ih, W_hh, b_ih, b_hh) of layer-direction ``k`` as arrays; None for no bias."""
        params = tuple(self._parameters[name].data for name in self._all_weights[k])
        return params if self.bias else (*params, None, None)

    def _accumulate(self, k, grads):
        """Add each of ``grads`` ({"weight_ih": …}) to the .grad of its parameter in ``k``."""
        for name in self._all_weights[k]:
            self._parameters[name].accumulate_grad(grads[name.split("_l")[0]])

    def extra_repr(self):
        text = f"{self.input_size}, {self.hidden_size}"
        if self.num_layers != 1:
            text += f", num_layers={self.num_layers}"
        if self.bias is not True:
            text += f", bias={self.bias}"
        if self.batch_first is not False:
            text += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            text += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            text += f", bidirectional={self.bidirectional}"
        return text


class RNN(RNNBase):
    """An Elman RNN: h_t = tanh(x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh), or relu with
    ``nonlinearity="relu"``. See ``RNNBase`` for the shapes, parameters (G = 1) and arguments.

    ``forward(x, hx=None)`` returns (output, h_n); hx defaults to zeros.
    ``backward(grad_output, grad_h_n=None)`` returns dL/dx and keeps dL/dhx in ``grad_hx``;
    None stands for a zero gradient (``backward(grad_h_n=g)`` when the loss reads only h_n).
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                 nonlinearity: str = "tanh", bias: bool = True, batch_first: bool = False,
                 dropout: float = 0.0, bidirectional: bool = False, device=None, dtype=None,
                 generator=None):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNN: Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or"
                             " 'relu'.")
        self.nonlinearity = nonlinearity
        self.mode = "RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU"
        super().__init__(input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, device, dtype, generator)

    def _run(self, x, states, weights):
        return rnn_forward(x, *states, *weights, nonlinearity=self.nonlinearity)

    def _run_backward(self, grad_output, grad_final, sequence, weights):
        grad_x, grad_h0, grads = rnn_backward(grad_output, *grad_final, sequence, *weights[:2])
        return grad_x, (grad_h0,), grads

    def backward(self, grad_output=None, grad_h_n=None):
        return self._backward_through_time(grad_output, {"grad_h_n": grad_h_n})


class LSTM(RNNBase):
    """Long short-term memory: per step, from the gates' pre-activations
    x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh, stacked [i f g o] as torch,

        i, f, o = σ(·),  g = tanh(·),  c_t = f ⊙ c_{t−1} + i ⊙ g,  h_t = o ⊙ tanh(c_t)

    See ``RNNBase`` for the shapes, parameters (G = 4) and arguments. ``proj_size`` (torch's
    projected LSTM) is not implemented: only 0 is accepted.

    ``forward(x, hx=None)`` with hx = (h_0, c_0) returns (output, (h_n, c_n)); hx defaults to
    zeros. ``backward(grad_output, grad_h_n=None, grad_c_n=None)`` returns dL/dx and keeps
    dL/dh_0 in ``grad_hx`` and dL/dc_0 in ``grad_cx``; None stands for a zero gradient.
    """

    mode, gates, states = "LSTM", 4, ("h", "c")

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 proj_size: int = 0, device=None, dtype=None, generator=None):
        if proj_size != 0:
            raise NotImplementedError(f"LSTM: proj_size={proj_size} is not implemented in dlbook;"
                                      " use proj_size=0 and, if needed, a Linear on the output")
        self.proj_size = proj_size
        super().__init__(input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, device, dtype, generator)

    def _unpack(self, hx):
        if not isinstance(hx, tuple | list) or len(hx) != 2:
            raise TypeError(f"{self.label()}: expected hx as a tuple (h_0, c_0), got"
                            f" {type(hx).__name__}")
        return tuple(hx), ("hx[0] (h_0)", "hx[1] (c_0)")

    def _run(self, x, states, weights):
        return lstm_forward(x, *states, *weights)

    def _run_backward(self, grad_output, grad_final, sequence, weights):
        grad_x, grad_h0, grad_c0, grads = lstm_backward(grad_output, *grad_final, sequence,
                                                        *weights[:2])
        return grad_x, (grad_h0, grad_c0), grads

    def backward(self, grad_output=None, grad_h_n=None, grad_c_n=None):
        return self._backward_through_time(grad_output,
                                           {"grad_h_n": grad_h_n, "grad_c_n": grad_c_n})


class GRU(RNNBase):
    """Gated recurrent unit: per step, with r, z, n stacked in that order as torch,

        r = σ(x W_irᵀ + b_ir + h W_hrᵀ + b_hr),   z = σ(x W_izᵀ + b_iz + h W_hzᵀ + b_hz)
        n = tanh(x W_inᵀ + b_in + r ⊙ (h W_hnᵀ + b_hn)),   h' = (1 − z) ⊙ n + z ⊙ h

    See ``RNNBase`` for the shapes, parameters (G = 3) and arguments.

    ``forward(x, hx=None)`` returns (output, h_n); hx defaults to zeros.
    ``backward(grad_output, grad_h_n=None)`` returns dL/dx and keeps dL/dhx in ``grad_hx``;
    None stands for a zero gradient.
    """

    mode, gates = "GRU", 3

    def _run(self, x, states, weights):
        return gru_forward(x, *states, *weights)

    def _run_backward(self, grad_output, grad_final, sequence, weights):
        grad_x, grad_h0, grads = gru_backward(grad_output, *grad_final, sequence, *weights[:2])
        return grad_x, (grad_h0,), grads

    def backward(self, grad_output=None, grad_h_n=None):
        return self._backward_through_time(grad_output, {"grad_h_n": grad_h_n})


# -- cells: one time step ------------------------------------------------------------------------
class RNNCellBase(Module):
    """What RNNCell, LSTMCell and GRUCell share: one time step of their layer's recurrence.

    Shapes, with H = hidden_size: x (N, input_size) or unbatched (input_size,); each state
    (N, H) or (H,). Parameters ``weight_ih`` (G·H, input_size), ``weight_hh`` (G·H, H) and,
    with ``bias``, ``bias_ih``, ``bias_hh`` (G·H,), drawn from U(−1/√H, 1/√H) as torch;
    ``generator`` (not an argument of torch's) draws them.

    A cell may be called at every step of a time loop before any backward: each call keeps its
    own values, and ``backward`` undoes the calls last in, first out. ``backward`` adds to every
    parameter's ``.grad``, returns dL/dx and keeps dL/dh in ``grad_hx`` (LSTMCell: dL/dc in
    ``grad_cx`` too) for the backward of the step before.
    """

    gates = 1
    states = ("h",)

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device=None,
                 dtype=None, generator=None):
        super().__init__()
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        dtype = check_float_dtype(self.label(), as_dtype(dtype))
        gate_size = self.gates * hidden_size
        self.weight_ih = Parameter(np.empty((gate_size, input_size), dtype=dtype))
        self.weight_hh = Parameter(np.empty((gate_size, hidden_size), dtype=dtype))
        if bias:
            self.bias_ih = Parameter(np.empty(gate_size, dtype=dtype))
            self.bias_hh = Parameter(np.empty(gate_size, dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters(generator)
        for state in self.states:  # set here, so that backward's new values outlive its call
            setattr(self, f"grad_{state}x", None)
        if device is not None:
            self.to(device)

    def reset_parameters(self, generator=None):
        _uniform_init(self, generator)

    def _enter(self, x, hx, names=("hx",)):
        """x as (N, I) and the states as a tuple of (N, H), zeros for None, after the checks."""
        check_array(self, x)
        check_features(self, x, {2: f"(N, {self.input_size})", 1: f"({self.input_size},)"},
                       self.input_size)
        check_dtype(self, x)
        self.unbatched = x.ndim == 1  # one sample (I,): run as a batch of 1
        x = x[None] if self.unbatched else x
        xp = get_array_module(x)
        if hx is None:
            return x, tuple(xp.zeros((len(x), self.hidden_size), dtype=x.dtype)
                            for _ in self.states)
        given = (hx,) if len(self.states) == 1 else tuple(hx)
        expected = (self.hidden_size,) if self.unbatched else (len(x), self.hidden_size)
        for state, name in zip(given, names, strict=True):
            check_exact(self, state, expected, name, x.dtype)
        return x, tuple(s[None] for s in given) if self.unbatched else given

    def _leave(self, array):
        """(N, …) back to the caller's layout: the batch axis removed for an unbatched input."""
        return array[0] if self.unbatched else array

    def _grad(self, grad, name):
        """dL/d(an output) as (N, H), checked; None (zero) stays None."""
        if grad is None:
            return None
        shape = (self.hidden_size,) if self.unbatched else self.step.h_n.shape
        check_exact(self, grad, shape, name, self.step.hs.dtype)
        return grad[None] if self.unbatched else grad

    def _weights(self):
        return tuple(None if p is None else p.data
                     for p in (self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh))

    def _accumulate(self, grads):
        for name, grad in grads.items():
            param = getattr(self, name)
            if param is not None:
                param.accumulate_grad(grad)

    def extra_repr(self):
        text = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            text += f", bias={self.bias}"
        if getattr(self, "nonlinearity", "tanh") != "tanh":
            text += f", nonlinearity={self.nonlinearity}"
        return text


class RNNCell(RNNCellBase):
    """h' = tanh(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh), or relu with ``nonlinearity="relu"``.

    ``forward(x, hx=None)`` returns h'; ``backward(grad_h)`` returns dL/dx and keeps dL/dh in
    ``grad_hx``. See ``RNNCellBase`` for shapes and parameters (G = 1).
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 nonlinearity: str = "tanh", device=None, dtype=None, generator=None):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNNCell: Unknown nonlinearity: {nonlinearity}. Select from 'tanh'"
                             " or 'relu'.")
        self.nonlinearity = nonlinearity
        super().__init__(input_size, hidden_size, bias, device, dtype, generator)

    def forward(self, x, hx=None):
        x, states = self._enter(x, hx)
        # one step is a sequence of length 1
        self.step = rnn_forward(x[None], *states, *self._weights(),
                                nonlinearity=self.nonlinearity)
        return self._leave(self.step.h_n)

    def backward(self, grad_h):
        # h' is both the step's output and its final state: dL/dh' enters as the latter
        grad_x, grad_h0, grads = rnn_backward(None, self._grad(grad_h, "grad_h"), self.step,
                                              *self._weights()[:2])
        self._accumulate(grads)
        self.grad_hx = self._leave(grad_h0)
        return self._leave(grad_x[0])


class LSTMCell(RNNCellBase):
    """One LSTM step: gates [i f g o] from x W_ihᵀ + b_ih + h W_hhᵀ + b_hh,
    c' = f ⊙ c + i ⊙ g, h' = o ⊙ tanh(c').

    ``forward(x, hx=None)`` with hx = (h, c) returns (h', c'). ``backward(grad_h, grad_c=None)``
    returns dL/dx and keeps dL/dh in ``grad_hx``, dL/dc in ``grad_cx``; None stands for a zero
    gradient. See ``RNNCellBase`` for shapes and parameters (G = 4).
    """

    gates, states = 4, ("h", "c")

    def forward(self, x, hx=None):
        if hx is not None and (not isinstance(hx, tuple | list) or len(hx) != 2):
            raise TypeError(f"{self.label()}: expected hx as a tuple (h, c), got"
                            f" {type(hx).__name__}")
        x, states = self._enter(x, hx, names=("hx[0] (h)", "hx[1] (c)"))
        self.step = lstm_forward(x[None], *states, *self._weights())
        return self._leave(self.step.h_n), self._leave(self.step.c_n)

    def backward(self, grad_h=None, grad_c=None):
        grad_x, grad_h0, grad_c0, grads = lstm_backward(
            None, self._grad(grad_h, "grad_h"), self._grad(grad_c, "grad_c"), self.step,
            *self._weights()[:2])
        self._accumulate(grads)
        self.grad_hx, self.grad_cx = self._leave(grad_h0), self._leave(grad_c0)
        return self._leave(grad_x[0])


class GRUCell(RNNCellBase):
    """One GRU step: r, z = σ(·), n = tanh(x W_inᵀ + b_in + r ⊙ (h W_hnᵀ + b_hn)),
    h' = (1 − z) ⊙ n + z ⊙ h.

    ``forward(x, hx=None)`` returns h'; ``backward(grad_h)`` returns dL/dx and keeps dL/dh in
    ``grad_hx``. See ``RNNCellBase`` for shapes and parameters (G = 3).
    """

    gates = 3

    def forward(self, x, hx=None):
        x, states = self._enter(x, hx)
        self.step = gru_forward(x[None], *states, *self._weights())
        return self._leave(self.step.h_n)

    def backward(self, grad_h):
        grad_x, grad_h0, grads = gru_backward(None, self._grad(grad_h, "grad_h"), self.step,
                                              *self._weights()[:2])
        self._accumulate(grads)
        self.grad_hx = self._leave(grad_h0)
        return self._leave(grad_x[0])
