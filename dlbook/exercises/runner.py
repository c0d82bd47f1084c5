"""Running an answer against the reference, case by case, and naming what went wrong."""

import numpy as np

from dlbook.exercises import messages
from dlbook.exercises.exercise import (
    Exercise,
    Mistake,
    Text,
    as_function,
    call,
    first_difference,
    is_sequence,
    same,
)

RANDOM_CASES = 20


def run(exercise: Exercise, answer, lang: str) -> tuple[bool, str]:
    """Compare ``answer`` with the reference on every case: (True, the pass message), or
    (False, the message for the first case that differs or raises)."""
    answer = as_function(answer)
    for where, args in cases(exercise):
        expected = call(exercise.reference, args)
        try:
            received = call(answer, args)
        except Exception as error:  # the learner's bug is reported, never raised
            hint = exercise.hint.in_language(lang)
            return False, messages.raised(exercise, where, args, error, hint, lang)
        if not same(expected, received):
            part, _, _ = first_difference(exercise, expected, received)
            hints = diagnose(exercise, args, expected, received, lang)
            return False, messages.differs(exercise, where, args, expected, received, part,
                                           hints, lang)
    random_cases = RANDOM_CASES if exercise.random_case else 0
    return True, messages.passed(exercise, random_cases, received, lang)


def cases(exercise: Exercise):
    """(where, args) of every case: the random ones, the same on every run, then the edges."""
    if not exercise.args:
        yield messages.THE_QUESTION, ()
        return
    if exercise.random_case:
        rng = np.random.default_rng(0)
        for i in range(1, RANDOM_CASES + 1):
            yield messages.RANDOM_CASE.format(i=i, n=RANDOM_CASES), exercise.random_case(rng)
    for case in exercise.edge_cases:
        where = Text(messages.EDGE_CASE.ko.format(label=case.label.ko),
                     messages.EDGE_CASE.en.format(label=case.label.en))
        yield where, case.args


def diagnose(exercise: Exercise, args: tuple, expected, received, lang: str) -> list[str]:
    """The exercise's message for a mistake it recognises; otherwise what the values show (in
    the first part that differs) and the exercise's hint."""
    for mistake in exercise.mistakes:
        if _spots(mistake, args, expected, received):
            return [mistake.message.in_language(lang)]
    _, expected, received = first_difference(exercise, expected, received)
    return [*what_the_values_show(expected, received, args, lang),
            exercise.hint.in_language(lang)]


def _spots(mistake: Mistake, args: tuple, expected, received) -> bool:
    try:
        return bool(mistake.spotted(args, expected, received))
    except Exception:  # an answer too odd for the test: not this mistake
        return False


def what_the_values_show(expected, received, args: tuple, lang: str) -> list[str]:
    """What any exercise can tell from the two values and the input's sizes: None returned, a
    wrong count or shape, a nan, a flipped sign, a factor of N or another constant."""
    if received is None:
        return [messages.RETURNED_NONE.in_language(lang)]
    if isinstance(expected, (tuple, list)):
        if is_sequence(received) and len(received) != len(expected):
            return [messages.COUNT.in_language(lang, n=len(expected), m=len(received))]
        return []
    try:
        r = np.asarray(received, dtype=float)
    except (TypeError, ValueError):
        return [messages.NOT_NUMBERS.in_language(lang, kind=type(received).__name__)]
    e = np.asarray(expected, dtype=float)
    if r.shape != e.shape:
        transposed = r.ndim == 2 and r.shape == e.shape[::-1]
        template = messages.TRANSPOSED if transposed else messages.SHAPE
        return [template.in_language(lang, expected=e.shape, received=r.shape)]
    if np.all(np.isfinite(e)) and not np.all(np.isfinite(r)):
        return [messages.NOT_FINITE.in_language(lang)]
    if np.any(e) and np.allclose(r, -e):
        return [messages.SIGN.in_language(lang)]
    factor = constant_factor(e, r)
    if factor is None:
        return []
    n = round(factor)
    if np.isclose(factor, n) and n in batch_sizes(args):
        return [messages.TIMES_N.in_language(lang, n=n)]
    if np.count_nonzero(e) >= 2:  # a single number is some multiple of any other
        return [messages.FACTOR.in_language(lang, factor=f"{factor:.4g}")]
    return []


def batch_sizes(args: tuple) -> set[int]:
    """The sizes a mean may divide by: each input array's length and number of elements."""
    arrays = [a for a in args if isinstance(a, np.ndarray) and a.ndim]
    return {n for a in arrays for n in (len(a), a.size) if n > 1}


def constant_factor(expected: np.ndarray, received: np.ndarray) -> float | None:
    """c when received = c × expected for a c other than 0 and 1."""
    nonzero = expected != 0
    if not nonzero.any() or np.any(received[~nonzero] != 0):
        return None
    ratios = received[nonzero] / expected[nonzero]
    c = ratios.flat[0]
    if c == 0 or np.isclose(c, 1) or not np.allclose(ratios, c, rtol=1e-4):
        return None
    return float(c)
