"""The scalar autograd gives torch's values and gradients on random expressions."""

import math

import matplotlib
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from dlbook.autograd import Value, draw_graph

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
    for ours, theirs in zip(ours_in, theirs_in, strict=True):
        expected = 0.0 if theirs.grad is None else theirs.grad.item()
        assert math.isclose(ours.grad, expected, rel_tol=1e-9, abs_tol=1e-9)


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
