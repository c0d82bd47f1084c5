"""A tiny scalar autograd, ``Value``, for the backpropagation chapter.

Each ``Value`` remembers the values it was computed from and how to pass a gradient back to
them; ``backward()`` walks the graph from the output in reverse topological order, applying
the chain rule once per node. The layers of ``dlbook.nn`` do the same by hand, per layer.
"""

import math

import numpy as np


class Value:
    """A scalar that records the computation producing it.

    ``data``: the number; ``grad``: dOutput/dself after ``output.backward()``;
    ``label``: an optional name shown in graph drawings.
    """

    def __init__(self, data: float, children: tuple = (), op: str = "", label: str = ""):
        self.data = float(data)
        self.grad = 0.0
        self.children = children
        self.op = op
        self.label = label
        self._backward = lambda: None  # passes self.grad on to the children

    # -- arithmetic --------------------------------------------------------------------------
    def __add__(self, other):
        other = as_value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def backward():  # d(a + b)/da = d(a + b)/db = 1
            self.grad += out.grad
            other.grad += out.grad

        out._backward = backward
        return out

    def __mul__(self, other):
        other = as_value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def backward():  # d(ab)/da = b, d(ab)/db = a
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = backward
        return out

    def __pow__(self, exponent: float):
        if isinstance(exponent, Value):
            raise TypeError("Value ** Value is not supported: the exponent must be a number")
        out = Value(ieee(np.power, self.data, exponent), (self,), f"**{exponent:g}")

        def backward():  # d(aⁿ)/da = n aⁿ⁻¹; a⁰ = 1 is flat even at 0, where 0·0⁻¹ = 0·∞
            if exponent != 0:
                self.grad += exponent * ieee(np.power, self.data, exponent - 1) * out.grad

        out._backward = backward
        return out

    def __rpow__(self, base: float):
        out = Value(ieee(np.power, base, self.data), (self,), f"{base:g}**")

        def backward():  # d(bᵃ)/da = bᵃ ln b; 0ᵃ = 0 is flat for a > 0 (and torch's 0 at a = 0)
            if not (base == 0 and self.data >= 0):
                self.grad += out.data * ieee(np.log, base) * out.grad

        out._backward = backward
        return out

    def _unary(self, data: float, derivative: float, op: str):
        """A one-input operation whose local derivative is ``derivative``."""
        out = Value(data, (self,), op)

        def backward():
            self.grad += derivative * out.grad

        out._backward = backward
        return out

    def exp(self):
        e = ieee(np.exp, self.data)
        return self._unary(e, e, "exp")  # d eᵃ/da = eᵃ

    def log(self):
        inverse = ieee(np.divide, 1, self.data)
        return self._unary(ieee(np.log, self.data), inverse, "log")  # d ln a/da = 1/a

    def tanh(self):
        t = math.tanh(self.data)
        return self._unary(t, 1 - t * t, "tanh")  # d tanh/da = 1 − tanh²

    def sigmoid(self):
        e = math.exp(-abs(self.data))  # never overflows, whatever the sign of data
        s = 1 / (1 + e) if self.data >= 0 else e / (1 + e)
        return self._unary(s, s * (1 - s), "sigmoid")  # dσ/da = σ(1 − σ)

    def relu(self):
        return self._unary(max(self.data, 0.0), float(self.data > 0), "relu")

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-as_value(other))

    def __truediv__(self, other):
        return self * as_value(other) ** -1

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        return as_value(other) - self

    def __rtruediv__(self, other):
        return as_value(other) / self

    # -- backpropagation ---------------------------------------------------------------------
    def backward(self):
        """Fill ``.grad`` of every value this one depends on with d(self)/d(value).

        Gradients are computed afresh on each call (torch would add them to the old ones).
        """
        for node in self.graph():
            node.grad = 0.0
        self.grad = 1.0  # d(self)/d(self)
        for node in reversed(self.graph()):
            node._backward()

    def graph(self) -> list["Value"]:
        """Every value this one was computed from, each after its children (topological)."""
        order, seen = [], set()

        def visit(node):
            if id(node) not in seen:
                seen.add(id(node))
                for child in node.children:
                    visit(child)
                order.append(node)

        visit(self)
        return order

    def __repr__(self):
        name = f"{self.label}: " if self.label else ""
        return f"Value({name}data={self.data:.4g}, grad={self.grad:.4g})"


def as_value(x) -> Value:
    return x if isinstance(x, Value) else Value(x)


def ieee(f, *args) -> float:
    """``f(*args)`` in float64 as IEEE 754, and so torch, defines it where Python raises:
    1/0 = ∞, 0/0 = nan, ln 0 = −∞, e¹⁰⁰⁰ = ∞, (−8)^⅓ = nan (not a complex number)."""
    with np.errstate(all="ignore"):  # here ∞ and nan are the answers, not mistakes to warn of
        return float(f(*(np.float64(a) for a in args)))


from dlbook.autograd.draw import draw_graph  # noqa: E402  (draws Values, so comes after them)

__all__ = ["Value", "draw_graph"]
