"""RNN, LSTM and GRU, and their cells, equal torch's: outputs, final states, dL/dx, the gradients
of the initial states and of every parameter, over hypothesis-drawn sizes, sequence lengths,
layouts, layer counts and directions; plus finite differences, state_dict round trips, dropout
and the cells stepped by hand."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import dlbook
from dlbook.backend import to_device
from dlbook.nn import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNCell
from dlbook.nn.module import Module
from dlbook.testing import (
    assert_close,
    assert_close_to_scale,
    gradcheck,
    parity_case,
    to_numpy,
    to_torch,
    torch_dtype,
    twin_names,
    twins,
)
from dlbook.testing.strategies import float_dtypes

LAYERS = {  # name -> (dlbook class, torch class, extra keyword arguments)
    "RNN tanh": (RNN, torch.nn.RNN, {"nonlinearity": "tanh"}),
    "RNN relu": (RNN, torch.nn.RNN, {"nonlinearity": "relu"}),
    "LSTM": (LSTM, torch.nn.LSTM, {}),
    "GRU": (GRU, torch.nn.GRU, {}),
}
CELLS = {
    "RNNCell tanh": (RNNCell, torch.nn.RNNCell, {"nonlinearity": "tanh"}),
    "RNNCell relu": (RNNCell, torch.nn.RNNCell, {"nonlinearity": "relu"}),
    "LSTMCell": (LSTMCell, torch.nn.LSTMCell, {}),
    "GRUCell": (GRUCell, torch.nn.GRUCell, {}),
}


def normal(rng, shape, dtype, device, scale=1.0):
    """scale · N(0, 1) values, not hypothesis's arrays: those favour runs of equal values, whose
    float32 gradients are sums of cancelling terms, roundoff rather than digits."""
    return to_device((scale * rng.standard_normal(shape)).astype(dtype), device)


def as_tuple(state):
    return state if isinstance(state, tuple) else (state,)


def torch_loss(outputs, grads, device):
    """Σ output·g over every output whose gradient is given: what backward(g, …) stands for."""
    return sum((out * to_torch(g, device)).sum()
               for out, g in zip(outputs, grads, strict=True) if g is not None)


# -- whole layers --------------------------------------------------------------------------------
@st.composite
def layer_configs(draw):
    """Keyword arguments of a layer, the sequence length L and the batch N (None: unbatched)."""
    kwargs = {
        "input_size": draw(st.integers(1, 4), label="input_size"),
        "hidden_size": draw(st.integers(1, 4), label="hidden_size"),
        "num_layers": draw(st.integers(1, 3), label="num_layers"),
        "bias": draw(st.booleans(), label="bias"),
        "batch_first": draw(st.booleans(), label="batch_first"),
        "bidirectional": draw(st.booleans(), label="bidirectional"),
    }
    length = draw(st.integers(1, 6), label="L")
    batch = draw(st.one_of(st.none(), st.integers(1, 3)), label="N (None: unbatched)")
    return kwargs, length, batch


def compare_layer(name, kwargs, length, batch, dtype, given, device, seed, close=assert_close):
    """Run the twins on a random input, initial state and upstream gradients; compare all
    with ``close``. ``given``: whether hx is given, then whether each final state has a
    gradient.
    """
    ours_class, torch_class, extra = LAYERS[name]
    torch.manual_seed(seed)
    ours, theirs = twins(ours_class(**kwargs, **extra), torch_class(**kwargs, **extra), dtype,
                         device)
    rng = np.random.default_rng(seed)
    features, hidden = kwargs["input_size"], kwargs["hidden_size"]
    directions = 2 if kwargs["bidirectional"] else 1
    if batch is None:
        x_shape, state_shape = (length, features), (directions * kwargs["num_layers"], hidden)
    else:
        x_shape = (batch, length, features) if kwargs["batch_first"] else (length, batch, features)
        state_shape = (directions * kwargs["num_layers"], batch, hidden)
    x = normal(rng, x_shape, dtype, device)
    n_states = 2 if name == "LSTM" else 1
    states = [normal(rng, state_shape, dtype, device, 0.5) for _ in range(n_states)]
    given_hx, *given_grads = given
    hx = (tuple(states) if n_states == 2 else states[0]) if given_hx else None

    output, final = ours(x, hx)
    grad_output = normal(rng, output.shape, dtype, device)
    grad_final = [normal(rng, state_shape, dtype, device) if g else None
                  for g in given_grads[:n_states]]
    grad_x = ours.backward(grad_output, *grad_final)

    x_t = to_torch(x, device, requires_grad=True)
    # without hx, torch starts from zeros: given explicitly, they get a gradient to compare
    states_t = [to_torch(s if given_hx else s * 0, device, requires_grad=True) for s in states]
    output_t, final_t = theirs(x_t, tuple(states_t) if n_states == 2 else states_t[0])
    torch_loss([output_t, *as_tuple(final_t)], [grad_output, *grad_final], device).backward()

    with parity_case(*twin_names(ours, theirs)):
        close(output, output_t, name=f"{name} output")
        for state, state_t in zip(as_tuple(final), as_tuple(final_t), strict=True):
            close(state, state_t, name=f"{name} final state")
        close(grad_x, x_t.grad, name=f"{name} dL/dx")
        for key, state_t in zip(("grad_hx", "grad_cx"), states_t, strict=False):
            close(getattr(ours, key), state_t.grad, name=f"{name} {key}")
        grads = {n: p.grad for n, p in ours.named_parameters()}
        torch_grads = {n: p.grad for n, p in theirs.named_parameters()}
        assert list(grads) == list(torch_grads)
        for key, grad in grads.items():
            close(grad, torch_grads[key], name=f"{name} dL/d{key}")


@pytest.mark.parametrize("name", LAYERS)
@given(config=layer_configs(), dtype=float_dtypes,
       given=st.tuples(st.booleans(), st.booleans(), st.booleans()), seed=st.integers(0, 2**16))
def test_recurrent_layer_matches_torch(device, name, config, dtype, given, seed):
    compare_layer(name, *config, dtype, given, device, seed)


@pytest.mark.parametrize("name", LAYERS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_a_longer_sequence_matches_torch(device, name, dtype):
    """T = 40 steps of a two-layer bidirectional layer: gradients pass through many steps."""
    config = {"input_size": 5, "hidden_size": 6, "num_layers": 2, "bias": True,
              "batch_first": True, "bidirectional": True}
    compare_layer(name, config, 40, 3, dtype, (True, True, True), device, seed=0,
                  close=assert_close_to_scale)


@pytest.mark.parametrize("name", LAYERS)
def test_a_loss_on_the_final_state_only_matches_torch(device, name):
    """backward(grad_h_n=…) with no gradient for the output: a classifier reading h_n."""
    ours_class, torch_class, extra = LAYERS[name]
    torch.manual_seed(0)
    ours, theirs = twins(ours_class(3, 4, num_layers=2, **extra),
                         torch_class(3, 4, num_layers=2, **extra), np.float64, device)
    rng = np.random.default_rng(0)
    x = normal(rng, (5, 2, 3), np.float64, device)
    _, final = ours(x)
    grad_h_n = normal(rng, (2, 2, 4), np.float64, device)
    grad_x = ours.backward(grad_h_n=grad_h_n)
    x_t = to_torch(x, device, requires_grad=True)
    _, final_t = theirs(x_t)
    (as_tuple(final_t)[0] * to_torch(grad_h_n, device)).sum().backward()
    with parity_case(*twin_names(ours, theirs)):
        assert_close(grad_x, x_t.grad, name=f"{name} dL/dx")
        assert_close(ours.weight_hh_l0.grad, theirs.weight_hh_l0.grad, name="dL/dW_hh_l0")


def test_float32_stays_float32_through_forward_and_backward():
    for layer in (RNN(3, 4), LSTM(3, 4, bidirectional=True), GRU(3, 4, num_layers=2)):
        x = np.ones((5, 2, 3), dtype=np.float32)
        output, final = layer(x)
        grad_x = layer.backward(np.ones_like(output))
        arrays = [output, *as_tuple(final), grad_x, layer.grad_hx,
                  *(p.grad for p in layer.parameters())]
        assert all(a.dtype == np.float32 for a in arrays)


def test_gradients_accumulate_over_backward_calls_until_zero_grad():
    layer = LSTM(2, 3).double()
    x = np.random.default_rng(0).standard_normal((4, 1, 2))
    output, _ = layer(x)
    layer.backward(np.ones_like(output))
    once = layer.weight_ih_l0.grad.copy()
    output, _ = layer(x)
    layer.backward(np.ones_like(output))
    np.testing.assert_allclose(layer.weight_ih_l0.grad, 2 * once)
    layer.zero_grad()
    assert layer.weight_ih_l0.grad is None


def test_a_layer_called_twice_then_undone_twice_matches_torch(device):
    """One encoder over two sequences before any backward: its calls are undone last in,
    first out, and the parameter gradients of both add up."""
    torch.manual_seed(0)
    ours, theirs = twins(GRU(3, 4), torch.nn.GRU(3, 4), np.float64, device)
    rng = np.random.default_rng(0)
    xs = [normal(rng, (length, 2, 3), np.float64, device) for length in (4, 2)]
    grads = [normal(rng, (length, 2, 4), np.float64, device) for length in (4, 2)]
    outputs = [ours(x)[0] for x in xs]  # held: a call whose output is dropped is freed
    grad_xs = [ours.backward(g) for g in reversed(grads)][::-1]
    xs_t = [to_torch(x, device, requires_grad=True) for x in xs]
    torch_loss([theirs(x_t)[0] for x_t in xs_t], grads, device).backward()
    with parity_case(*twin_names(ours, theirs)):
        for grad_x, x_t in zip(grad_xs, xs_t, strict=True):
            assert_close(grad_x, x_t.grad, name="dL/dx")
        for name, param in ours.named_parameters():
            assert_close(param.grad, theirs.get_parameter(name).grad, name=f"dL/d{name}")
    del outputs


# -- cells ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", CELLS)
@given(data=st.data(), input_size=st.integers(1, 4), hidden_size=st.integers(1, 4),
       batch=st.one_of(st.none(), st.integers(1, 3)), bias=st.booleans(),
       given_hx=st.booleans(), seed=st.integers(0, 2**16))
def test_cell_matches_torch(device, name, data, input_size, hidden_size, batch, bias, given_hx,
                            seed):
    ours_class, torch_class, extra = CELLS[name]
    dtype = data.draw(float_dtypes, label="dtype")
    torch.manual_seed(seed)
    ours, theirs = twins(ours_class(input_size, hidden_size, bias, **extra),
                         torch_class(input_size, hidden_size, bias, **extra), dtype, device)
    rng = np.random.default_rng(seed)
    lead = () if batch is None else (batch,)
    x = normal(rng, (*lead, input_size), dtype, device)
    n_states = 2 if name == "LSTMCell" else 1
    states = [normal(rng, (*lead, hidden_size), dtype, device, 0.5) for _ in range(n_states)]
    hx = (tuple(states) if n_states == 2 else states[0]) if given_hx else None
    out = ours(x, hx)
    grads = [normal(rng, (*lead, hidden_size), dtype, device) for _ in range(n_states)]
    grad_x = ours.backward(*grads)

    x_t = to_torch(x, device, requires_grad=True)
    states_t = [to_torch(s if given_hx else s * 0, device, requires_grad=True) for s in states]
    out_t = theirs(x_t, tuple(states_t) if n_states == 2 else states_t[0])
    torch_loss(as_tuple(out_t), grads, device).backward()
    with parity_case(*twin_names(ours, theirs)):
        for value, value_t in zip(as_tuple(out), as_tuple(out_t), strict=True):
            assert_close(value, value_t, name=f"{name} output")
        assert_close(grad_x, x_t.grad, name=f"{name} dL/dx")
        for key, state_t in zip(("grad_hx", "grad_cx"), states_t, strict=False):
            assert_close(getattr(ours, key), state_t.grad, name=f"{name} {key}")
        for key, param in ours.named_parameters():
            assert_close(param.grad, theirs.get_parameter(key).grad, name=f"{name} dL/d{key}")


@pytest.mark.parametrize("name", ["RNN tanh", "LSTM", "GRU"])
@given(data=st.data(), length=st.integers(1, 5), seed=st.integers(0, 2**16))
def test_a_cell_stepped_over_time_by_hand_equals_torchs_layer(device, name, data, length, seed):
    """The loop a learner writes with a cell, forward over time and backward in reverse, gives
    the layer's output, dL/dx and parameter gradients."""
    ours_class, torch_class, extra = LAYERS[name]
    cell_class = {"RNN tanh": RNNCell, "LSTM": LSTMCell, "GRU": GRUCell}[name]
    dtype = data.draw(float_dtypes, label="dtype")
    torch.manual_seed(seed)
    theirs = torch_class(3, 4, **extra).to(device=device, dtype=torch_dtype(dtype))
    cell = cell_class(3, 4).to(np.dtype(dtype)).to(device)
    cell.load_state_dict({key.removesuffix("_l0"): value
                          for key, value in theirs.state_dict().items()})
    rng = np.random.default_rng(seed)
    x = normal(rng, (length, 2, 3), dtype, device)
    grad_output = normal(rng, (length, 2, 4), dtype, device)

    state, outputs = None, []
    for t in range(length):
        state = cell(x[t], state)
        outputs.append(as_tuple(state)[0])
    grad_state, grad_xs = None, []
    for t in reversed(range(length)):  # each step gets dL/dh_t from the output and the future
        grad_h = grad_output[t] + (0 if grad_state is None else grad_state[0])
        grad_xs.append(cell.backward(grad_h, *([] if grad_state is None else grad_state[1:])))
        grad_state = (cell.grad_hx, cell.grad_cx) if name == "LSTM" else (cell.grad_hx,)
    x_t = to_torch(x, device, requires_grad=True)
    output_t, _ = theirs(x_t)
    (output_t * to_torch(grad_output, device)).sum().backward()
    with parity_case(type(cell).__name__, f"torch.nn.{type(theirs).__name__}"):
        assert_close(np.stack([to_numpy(o) for o in outputs]), output_t, name="outputs")
        assert_close(np.stack([to_numpy(g) for g in grad_xs[::-1]]), x_t.grad, name="dL/dx")
        for key, param in cell.named_parameters():
            assert_close(param.grad, theirs.get_parameter(key + "_l0").grad, name=f"dL/d{key}")


# -- finite differences (independent of torch) ---------------------------------------------------
class Flattened(Module):
    """A recurrent layer seen as one function of one vector [x, hx (, cx)] to one vector
    [output, h_n (, c_n)], the form gradcheck takes: it then checks dL/dx, dL/dhx and every
    parameter's gradient at once."""

    def __init__(self, layer, x_shape, state_shape):
        super().__init__()
        self.layer = layer
        self.pieces = [x_shape] + [state_shape] * len(layer.states)

    def forward(self, v):
        x, *states = _split(v, self.pieces)
        output, final = self.layer(x, tuple(states) if len(states) == 2 else states[0])
        self.output_shape = output.shape
        return np.concatenate([a.ravel() for a in (output, *as_tuple(final))])

    def backward(self, grad):
        grads = _split(grad, [self.output_shape] + self.pieces[1:])
        grad_x = self.layer.backward(*grads)
        grad_states = [getattr(self.layer, f"grad_{s}x") for s in self.layer.states]
        return np.concatenate([a.ravel() for a in (grad_x, *grad_states)])


def _split(v, shapes):
    ends = np.cumsum([math.prod(s) for s in shapes])[:-1]
    return [piece.reshape(s) for piece, s in zip(np.split(v, ends), shapes, strict=True)]


class FixedDraws:
    """A generator drawing the same numbers every time: dropout masks held still while finite
    differences call the layer again and again."""

    def __init__(self, seed=0):
        self.rng = np.random.default_rng(seed)
        self.draws = {}

    def random(self, shape):
        if shape not in self.draws:
            self.draws[shape] = self.rng.random(shape)
        return self.draws[shape]

    def uniform(self, low, high, size):
        return self.rng.uniform(low, high, size)


GRADCHECKS = {
    "RNN tanh": lambda: RNN(2, 3, num_layers=2, bidirectional=True),
    "RNN relu": lambda: RNN(2, 3, nonlinearity="relu", batch_first=True),
    "LSTM": lambda: LSTM(2, 3, num_layers=2, bidirectional=True),
    "GRU": lambda: GRU(2, 3, num_layers=2, bidirectional=True),
    "LSTM dropout": lambda: LSTM(2, 3, num_layers=2, dropout=0.5, generator=FixedDraws()),
    "GRU no bias": lambda: GRU(2, 3, bias=False, batch_first=True),
}


@pytest.mark.parametrize("name", GRADCHECKS)
def test_backpropagation_through_time_agrees_with_finite_differences(name):
    layer = GRADCHECKS[name]().double()
    directions = 2 if layer.bidirectional else 1
    x_shape = (2, 4, 2) if layer.batch_first else (4, 2, 2)  # N = 2, L = 4
    state_shape = (directions * layer.num_layers, 2, 3)
    v = np.random.default_rng(1).standard_normal(
        math.prod(x_shape) + len(layer.states) * math.prod(state_shape))
    assert gradcheck(Flattened(layer, x_shape, state_shape), v)


class FlattenedStep(Module):
    """A cell seen as one function of [x, h (, c)] to [h' (, c')], for gradcheck."""

    def __init__(self, cell, batch):
        super().__init__()
        self.cell = cell
        self.states = [(batch, cell.hidden_size)] * len(cell.states)
        self.pieces = [(batch, cell.input_size), *self.states]

    def forward(self, v):
        x, *states = _split(v, self.pieces)
        out = self.cell(x, tuple(states) if len(states) == 2 else states[0])
        return np.concatenate([a.ravel() for a in as_tuple(out)])

    def backward(self, grad):
        grad_x = self.cell.backward(*_split(grad, self.states))
        grad_states = [getattr(self.cell, f"grad_{s}x") for s in self.cell.states]
        return np.concatenate([a.ravel() for a in (grad_x, *grad_states)])


@pytest.mark.parametrize("cell", [RNNCell(2, 3, nonlinearity="relu"), LSTMCell(2, 3),
                                  GRUCell(2, 3, bias=False)],
                         ids=["RNNCell", "LSTMCell", "GRUCell"])
def test_cells_agree_with_finite_differences(cell):
    step = FlattenedStep(cell.double(), batch=2)
    v = np.random.default_rng(2).standard_normal(sum(math.prod(p) for p in step.pieces))
    assert gradcheck(step, v)


# -- dropout -------------------------------------------------------------------------------------
def test_dropout_between_layers_keeps_each_value_with_probability_1_minus_p():
    layer = LSTM(4, 50, num_layers=3, dropout=0.3, generator=np.random.default_rng(0))
    layer(np.ones((20, 10, 4), dtype=np.float32))
    masks = layer.dropout_masks
    assert len(masks) == 2  # between the three layers, none after the last
    for mask in masks:
        assert set(np.unique(mask)) == {0.0, np.float32(1 / 0.7)}
        assert abs((mask > 0).mean() - 0.7) < 0.02


def test_dropout_is_the_identity_in_eval_mode_like_torch():
    torch.manual_seed(0)
    ours, theirs = twins(GRU(3, 4, num_layers=2, dropout=0.5), torch.nn.GRU(3, 4, 2, dropout=0.5),
                         np.float64)
    ours.eval(), theirs.eval()
    x = np.random.default_rng(0).standard_normal((5, 2, 3))
    output, _ = ours(x)
    with parity_case(*twin_names(ours, theirs)):
        assert_close(output, theirs(torch.from_numpy(x))[0], name="eval output")
    assert ours.dropout_masks == [None]


def test_dropout_in_training_draws_a_new_mask_per_call_and_none_in_eval():
    layer = RNN(3, 5, num_layers=2, dropout=0.5).double()
    x = np.random.default_rng(0).standard_normal((4, 2, 3))
    first, _ = layer(x)
    second, _ = layer(x)
    evaluated, _ = layer.eval()(x)
    assert not np.allclose(first, second)
    assert not np.allclose(first, evaluated) and not np.allclose(second, evaluated)
    # backward (BPTT through the mask) agrees with finite differences: see the gradcheck of
    # "LSTM dropout" above


def test_the_same_seed_gives_the_same_initial_weights_and_masks():
    def run():
        dlbook.manual_seed(7)
        layer = LSTM(3, 4, num_layers=2, dropout=0.5)
        output, _ = layer(np.ones((3, 2, 3), dtype=np.float32))
        return layer.weight_hh_l1.data, output

    (w1, out1), (w2, out2) = run(), run()
    assert np.array_equal(w1, w2) and np.array_equal(out1, out2)


# -- parameters, state_dict and printing -----------------------------------------------------------
@pytest.mark.parametrize("name", LAYERS)
@pytest.mark.parametrize("kwargs", [{}, {"num_layers": 3, "bidirectional": True},
                                    {"num_layers": 2, "bias": False}])
def test_state_dict_has_torchs_keys_order_and_shapes(name, kwargs):
    ours_class, torch_class, extra = LAYERS[name]
    ours, theirs = ours_class(5, 7, **kwargs, **extra), torch_class(5, 7, **kwargs, **extra)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for key, value in theirs.state_dict().items():
        assert ours.state_dict()[key].shape == tuple(value.shape), key
    assert [[p.shape for p in ps] for ps in ours.all_weights] == [
        [tuple(p.shape) for p in ps] for ps in theirs.all_weights]


@pytest.mark.parametrize("name", LAYERS)
def test_state_dict_round_trip_torch_to_dlbook_to_torch_keeps_the_outputs(name):
    ours_class, torch_class, extra = LAYERS[name]
    torch.manual_seed(0)
    source = torch_class(3, 4, num_layers=2, bidirectional=True, **extra).double()
    ours = ours_class(3, 4, num_layers=2, bidirectional=True, **extra).double()
    ours.load_state_dict(source.state_dict())
    back = torch_class(3, 4, num_layers=2, bidirectional=True, **extra).double()
    back.load_state_dict({k: torch.from_numpy(v) for k, v in ours.state_dict().items()})
    x = np.random.default_rng(0).standard_normal((5, 2, 3))
    with torch.no_grad():
        expected, _ = source(torch.from_numpy(x))
        again, _ = back(torch.from_numpy(x))
    output, _ = ours(x)
    with parity_case(*twin_names(ours, source)):
        assert_close(output, expected, name="dlbook output")
    assert torch.equal(again, expected)


def test_cells_have_torchs_state_dict():
    for name, (ours_class, torch_class, extra) in CELLS.items():
        for bias in (True, False):
            ours, theirs = ours_class(3, 5, bias, **extra), torch_class(3, 5, bias, **extra)
            assert list(ours.state_dict()) == list(theirs.state_dict()), name
            for key, value in theirs.state_dict().items():
                assert ours.state_dict()[key].shape == tuple(value.shape), key


def test_initialisation_is_uniform_within_one_over_root_hidden_size():
    for layer in (LSTM(10, 64, num_layers=2), GRUCell(10, 64), RNN(3, 16, bias=False)):
        bound = 1 / math.sqrt(layer.hidden_size)
        values = np.concatenate([p.data.ravel() for p in layer.parameters()])
        assert values.min() >= -bound and values.max() <= bound
        assert values.min() < -0.9 * bound and values.max() > 0.9 * bound


def test_a_generator_of_its_own_gives_the_same_weights_whatever_the_default_does():
    a = GRU(3, 4, generator=np.random.default_rng(5))
    dlbook.manual_seed(123)
    b = GRU(3, 4, generator=np.random.default_rng(5))
    for p, q in zip(a.parameters(), b.parameters(), strict=True):
        assert np.array_equal(p.data, q.data)


@pytest.mark.parametrize("args, kwargs", [
    ((10, 20), {}), ((10, 20, 2), {}), ((10, 20), {"batch_first": True, "bidirectional": True}),
    ((10, 20), {"bias": False, "dropout": 0.5, "num_layers": 3}),
])
@pytest.mark.filterwarnings("ignore:dropout option adds dropout")
def test_repr_matches_torch(args, kwargs):
    for ours_class, torch_class in ((RNN, torch.nn.RNN), (LSTM, torch.nn.LSTM),
                                    (GRU, torch.nn.GRU)):
        assert repr(ours_class(*args, **kwargs)) == repr(torch_class(*args, **kwargs))
    assert repr(RNN(10, 20, nonlinearity="relu")) == repr(torch.nn.RNN(10, 20,
                                                                       nonlinearity="relu"))


def test_cell_repr_matches_torch():
    for ours_class, torch_class in ((RNNCell, torch.nn.RNNCell), (LSTMCell, torch.nn.LSTMCell),
                                    (GRUCell, torch.nn.GRUCell)):
        assert repr(ours_class(10, 20)) == repr(torch_class(10, 20))
        assert repr(ours_class(10, 20, bias=False)) == repr(torch_class(10, 20, bias=False))
    assert repr(RNNCell(3, 4, nonlinearity="relu")) == repr(torch.nn.RNNCell(3, 4,
                                                                              nonlinearity="relu"))


@pytest.mark.parametrize("ours_class, torch_class", [(RNN, torch.nn.RNN), (LSTM, torch.nn.LSTM),
                                                     (GRU, torch.nn.GRU)])
def test_an_empty_batch_gives_torchs_empty_output_and_zero_gradients(ours_class, torch_class):
    ours = ours_class(3, 2, batch_first=True, bidirectional=True).double()
    x = np.zeros((0, 4, 3))
    output, _ = ours(x)
    expected, _ = torch_class(3, 2, batch_first=True, bidirectional=True)(torch.zeros(0, 4, 3))
    assert output.shape == tuple(expected.shape) == (0, 4, 4)
    assert ours.backward(np.zeros(output.shape)).shape == (0, 4, 3)
    assert all(not p.grad.any() for p in ours.parameters())
