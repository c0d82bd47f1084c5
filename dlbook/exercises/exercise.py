"""What an exercise is made of, and how an answer is compared with the reference."""

import copy
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np


class Text(NamedTuple):
    """A message in the book's two languages."""

    ko: str
    en: str

    def in_language(self, lang: str, **fields) -> str:
        """The message in ``lang`` ("ko" or "en"), with ``fields`` filled into its {braces}."""
        text = getattr(self, lang)
        return text.format(**fields) if fields else text  # hints may hold braces of their own

    def format(self, **fields) -> "Text":
        """Both messages with ``fields`` filled in."""
        return Text(self.ko.format(**fields), self.en.format(**fields))


class Case(NamedTuple):
    """One call of the answer: its arguments, and the name the messages give it."""

    label: Text
    args: tuple


class Mistake(NamedTuple):
    """A typical wrong answer: ``spotted(args, expected, received)`` recognises it."""

    message: Text
    spotted: Callable[[tuple, Any, Any], bool]


@dataclass(frozen=True)
class Exercise:
    """A self-checking exercise: the learner's function against ``reference``, case by case.

    ``args`` names the arguments the function takes, in order. An exercise whose answer is a
    number has none: ``reference`` is then a function of no arguments, and the learner may
    pass the number itself. ``random_case(rng)`` draws the arguments of one random case;
    ``edge_cases`` follow the random ones. ``outputs`` names the values of a tuple answer.
    ``hint`` is shown on a failure that no ``mistakes`` entry recognises.
    """

    id: str
    args: tuple[str, ...]
    reference: Callable
    hint: Text
    random_case: Callable[[np.random.Generator], tuple] | None = None
    edge_cases: tuple[Case, ...] = ()
    mistakes: tuple[Mistake, ...] = ()
    outputs: tuple[str, ...] = ()


def as_function(answer) -> Callable:
    """The answer as a function: a number stands for a function of no arguments returning it."""
    return answer if callable(answer) else lambda: answer


def call(function: Callable, args: tuple):
    """``function(*args)`` on copies of ``args``, NumPy's floating-point warnings silenced.

    Copies, because an answer may change its inputs in place (``z -= z.max()``); silenced,
    because the message explains a nan better than "overflow encountered in exp".
    """
    args = copy.deepcopy(args)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return function(*args)


def same(expected, received) -> bool:
    """Whether ``received`` equals ``expected``: the same structure and shapes, integers
    exactly, floats to within rounding (looser for float32)."""
    if isinstance(expected, (tuple, list)):
        return (is_sequence(received) and len(received) == len(expected)
                and all(same(e, r) for e, r in zip(expected, received, strict=True)))
    expected = np.asarray(expected)
    try:
        received = np.asarray(received)
    except ValueError:  # a ragged list cannot be an array
        return False
    if received.dtype.kind not in "biuf" or received.shape != expected.shape:
        return False
    if expected.dtype.kind in "biu":
        return bool(np.all(received == expected))
    rtol, atol = (1e-4, 1e-6) if expected.dtype == np.float32 else (1e-6, 1e-9)
    return bool(np.allclose(received, expected, rtol=rtol, atol=atol, equal_nan=True))


def is_sequence(value) -> bool:
    """A tuple, a list, or an array with at least one axis: what a tuple answer may come as."""
    return isinstance(value, (tuple, list)) or (isinstance(value, np.ndarray) and value.ndim > 0)


def first_difference(exercise: Exercise, expected, received):
    """(name, expected part, received part) of the first value of a tuple answer that differs;
    (None, expected, received) when the answer is not a tuple of named values."""
    if exercise.outputs and is_sequence(received) and len(received) == len(expected):
        for name, e, r in zip(exercise.outputs, expected, received, strict=True):
            if not same(e, r):
                return name, e, r
    return None, expected, received


def same_as(*wrong_answers) -> Callable[[tuple, Any, Any], bool]:
    """A ``Mistake.spotted`` test: the learner's value is what one of ``wrong_answers`` gives."""
    def spotted(args, expected, received):
        return any(_gives(wrong, args, received) for wrong in wrong_answers)

    return spotted


def _gives(wrong_answer, args: tuple, received) -> bool:
    try:
        return same(call(as_function(wrong_answer), args), received)
    except Exception:  # the wrong answer may fail where the learner's did not
        return False
