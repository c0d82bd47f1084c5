"""Weight initialisation, as ``torch.nn.init``: fills an array in place from a seeded generator."""

import math

from dlbook.random import default_generator


def uniform_(array, a: float = 0.0, b: float = 1.0, generator=None):
    """Fill ``array`` with draws from U(a, b); returns it."""
    rng = generator or default_generator()
    array[...] = rng.uniform(a, b, size=array.shape)
    return array


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The gain torch uses to keep activations' variance steady through a layer."""
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        return math.sqrt(2.0 / (1 + slope**2))
    gains = {"linear": 1.0, "sigmoid": 1.0, "tanh": 5.0 / 3, "relu": math.sqrt(2.0)}
    return gains[nonlinearity]


def fan_in(array) -> int:
    """Inputs feeding one output unit: in_features × kernel size."""
    receptive_field = math.prod(array.shape[2:])
    return array.shape[1] * receptive_field


def kaiming_uniform_(array, a: float = 0.0, nonlinearity: str = "leaky_relu", generator=None):
    """He initialisation: U(−bound, bound) with bound = gain · √(3 / fan_in).

    An array with no elements is left as it is (torch: "a no-op").
    """
    if array.size == 0:
        return array
    bound = calculate_gain(nonlinearity, a) * math.sqrt(3.0 / fan_in(array))
    return uniform_(array, -bound, bound, generator)


def torch_default_(weight, bias=None, generator=None):
    """How torch's Linear and Conv2d start: W kaiming-uniform with a = √5 (U(±1/√fan_in)), and
    the bias U(±1/√fan_in); with no inputs there is no fan-in to scale by, and torch draws the
    bias from U(0, 0). Fills ``weight`` (and ``bias`` unless None) in place."""
    kaiming_uniform_(weight, a=math.sqrt(5), generator=generator)
    if bias is not None:
        inputs = fan_in(weight)
        bound = 1 / math.sqrt(inputs) if inputs > 0 else 0
        uniform_(bias, -bound, bound, generator)
