"""The scalar autograd gives torch's values and gradients: on random expressions, and where
IEEE arithmetic gives infinities and nans."""

import math

import matplotlib
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from dlbook.autograd import Value, draw_graph
from dlbook.testing import parity_case, record_comparison

matplotlib.use("Agg")

# Each step of an expression, written once for Value and torch; the shapes of "/", "inverse"
# and "log" keep every denominator and logarithm away from 0.
UNARY = {
    "exp": lambda a: a.exp(),
    "tanh": lambda a: a.tanh(),
    "sigmoid": lambda a: a.sigmoid(),
    "relu": lambda a: a.relu(),
    "log": lambda a: (a * a + 1).log(),
    "square": lambda a: a**2,
    "neg": lambda a: -a,
    "inverse": lambda a: 1 / (a * a + 1),
    "power of 2": lambda a: 2**a,
}
BINARY = {
    "+": lambda a, b: a + b,
    "*": lambda a, b: a * b,
    "-": lambda a, b: a - b,
    "/": lambda a, b: a / (b * b + 1),
}


@st.composite
def expressions(draw):
    """Random leaves and a random sequence of operations over them and earlier results."""
    leaves = draw(st.lists(st.floats(-3, 3, allow_nan=False), min_size=1, max_size=4))
    steps = draw(st.lists(st.tuples(st.sampled_from([*UNARY, *BINARY]), st.integers(0, 99),
                                    st.integers(0, 99)), min_size=1, max_size=12))
    return leaves, steps


def evaluate(leaves, steps, make):
    nodes = [make(x) for x in leaves]
    inputs = list(nodes)
    for op, i, j in steps:
        a, b = nodes[i % len(nodes)], nodes[j % len(nodes)]
        nodes.append(BINARY[op](a, b) if op in BINARY else UNARY[op](a))
    return inputs, nodes[-1]


@given(expressions())
def test_values_and_gradients_match_torch(expression):
    leaves, steps = expression
    ours_in, ours_out = evaluate(leaves, steps, Value)
    theirs_in, theirs_out = evaluate(
        leaves, steps, lambda x: torch.tensor(x, dtype=torch.float64, requires_grad=True))
    ours_out.backward()
    theirs_out.backward()
    assert math.isclose(ours_out.data, theirs_out.item(), rel_tol=1e-9, abs_tol=1e-12)
    with parity_case("Value", "torch.Tensor"):  # for the validation report
        record_comparison(ours_out.data, theirs_out)
        for ours, theirs in zip(ours_in, theirs_in, strict=True):
            expected = 0.0 if theirs.grad is None else theirs.grad.item()
            assert math.isclose(ours.grad, expected, rel_tol=1e-9, abs_tol=1e-9)
            record_comparison(ours.grad, expected)


def test_a_value_used_twice_gets_both_gradients():
    a = Value(3.0)
    (a * a + a).backward()  # d/da (a² + a) = 2a + 1
    assert a.grad == 7.0


def test_backward_twice_gives_the_same_gradients():
    a = Value(0.5)
    y = (a * 2).tanh()
    y.backward()
    first = a.grad
    y.backward()
    assert a.grad == first


def test_sigmoid_saturates_without_overflow():
    assert Value(-1000.0).sigmoid().data == 0.0 and Value(1000.0).sigmoid().data == 1.0


def test_a_value_exponent_is_refused():
    with pytest.raises(TypeError, match="exponent must be a number"):
        Value(2.0) ** Value(3.0)


def test_graph_lists_children_before_parents_and_draws():
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    c = a * b + a
    order = c.graph()
    assert order.index(a) < order.index(c) and order.index(b) < order.index(c)
    fig = draw_graph(c, engine="matplotlib")
    labels = [t.get_text() for t in fig.axes[0].texts if t.get_text()]  # arrows have no text
    assert len(labels) == len(order) + 2  # a box per value, a circle per operation
    assert "a\ndata 1.0000\ngrad 0.0000" in labels and "*" in labels


# Where Python's floats raise or go complex, torch follows IEEE 754. Each case: the expression,
# its inputs, and torch's value and gradients (one per input) there.
INF, NAN = math.inf, math.nan
EDGE_CASES = {
    "1 / 0": (lambda a, b: a / b, (1, 0), INF, (INF, -INF)),
    "-1 / 0": (lambda a, b: a / b, (-1, 0), -INF, (INF, INF)),
    "0 / 0": (lambda a, b: a / b, (0, 0), NAN, (INF, NAN)),
    "1 / a at 0": (lambda a: 1 / a, (0,), INF, (-INF,)),
    "log 0": (lambda a: a.log(), (0,), -INF, (INF,)),
    "log -1": (lambda a: a.log(), (-1,), NAN, (-1.0,)),
    "exp 1000": (lambda a: a.exp(), (1000,), INF, (INF,)),
    "a ** 400 at 10": (lambda a: a**400, (10,), INF, (INF,)),
    "a ** (1/3) at -8": (lambda a: a ** (1 / 3), (-8,), NAN, (NAN,)),
    "a ** 0.5 at 0": (lambda a: a**0.5, (0,), 0.0, (INF,)),
    "a ** -1 at 0": (lambda a: a**-1, (0,), INF, (-INF,)),
    "a ** 0 at 0": (lambda a: a**0, (0,), 1.0, (0.0,)),
    "2 ** a at 3": (lambda a: 2**a, (3,), 8.0, (8 * math.log(2),)),
    "2 ** a at -1.5": (lambda a: 2**a, (-1.5,), 2**-1.5, (2**-1.5 * math.log(2),)),
    "2 ** a at 2000": (lambda a: 2**a, (2000,), INF, (INF,)),
    "0 ** a at 2": (lambda a: 0**a, (2,), 0.0, (0.0,)),
    "0 ** a at 0": (lambda a: 0**a, (0,), 1.0, (0.0,)),
    "0 ** a at -1": (lambda a: 0**a, (-1,), INF, (-INF,)),
    "-2 ** a at 0.5": (lambda a: (-2) ** a, (0.5,), NAN, (NAN,)),
    "-2 ** a at 3": (lambda a: (-2) ** a, (3,), -8.0, (NAN,)),
}


def same(x: float, y: float) -> bool:
    return math.isclose(x, y, rel_tol=1e-12) or (math.isnan(x) and math.isnan(y))


@pytest.mark.parametrize("name", EDGE_CASES)
def test_infinities_and_nans_match_torch(name):
    f, inputs, value, grads = EDGE_CASES[name]
    ours = [Value(x) for x in inputs]
    theirs = [torch.tensor(float(x), dtype=torch.float64, requires_grad=True) for x in inputs]
    our_out, their_out = f(*ours), f(*theirs)
    our_out.backward()
    their_out.backward()
    assert same(our_out.data, value) and same(their_out.item(), value)
    for our, their, grad in zip(ours, theirs, grads, strict=True):
        assert same(our.grad, grad) and same(their.grad.item(), grad)
