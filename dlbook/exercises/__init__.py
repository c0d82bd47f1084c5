"""Exercises that check themselves: ``check("ch4.sigmoid_backward", my_function)``.

A chapter's import cell calls ``use_language("ko")`` or ``use_language("en")`` once. An exercise
cell then ends with ``check(exercise_id, answer)``: it runs the learner's function and a hidden
reference on the same 20 seeded random cases and a few edge cases, prints what was tried or the
first case that failed (its input, the expected and the received values, a hint aimed at the
mistake when it is a typical one), and returns True or False. An exercise that asks for a number
takes the number itself. Needs NumPy alone.
"""

from dlbook.exercises import (
    chapter0,
    chapter1,
    chapter2,
    chapter3,
    chapter4,
    chapter5,
    chapter6,
    chapter7,
    chapter8,
    chapter9,
    chapter10,
    chapter11,
    chapter12,
)
from dlbook.exercises.exercise import Exercise
from dlbook.exercises.runner import run

EXERCISES: dict[str, Exercise] = {
    exercise.id: exercise
    for chapter in (chapter0, chapter1, chapter2, chapter3, chapter4, chapter5, chapter6, chapter7,
                    chapter8, chapter9, chapter10, chapter11, chapter12)
    for exercise in chapter.EXERCISES
}
LANGUAGES = ("ko", "en")

_language = "en"


def use_language(lang: str) -> None:
    """Write every later message in ``lang``: "ko" or "en" (the default)."""
    global _language
    _language = _checked(lang)


def check(exercise_id: str, answer, lang: str | None = None) -> bool:
    """Check ``answer`` (a function, or a number where one is asked for) against exercise
    ``exercise_id``; print the verdict in ``lang`` (default: ``use_language``'s) and return it.

    An answer that raises, or returns something that is not the answer, gets False and a
    message saying why; it never raises out of here.
    """
    lang = _language if lang is None else _checked(lang)
    passed, message = run(find(exercise_id), answer, lang)
    print(message)
    return passed


def solution(exercise_id: str):
    """The reference answer: a function, or the number for an exercise that asks for one."""
    exercise = find(exercise_id)
    return exercise.reference if exercise.args else exercise.reference()


def find(exercise_id: str) -> Exercise:
    """The exercise with this id; a KeyError naming every known id if there is none."""
    try:
        return EXERCISES[exercise_id]
    except KeyError:
        known = ", ".join(EXERCISES)
        raise KeyError(f"unknown exercise {exercise_id!r}; known exercises: {known}") from None


def _checked(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {lang!r}")
    return lang


__all__ = ["EXERCISES", "LANGUAGES", "Exercise", "check", "find", "solution", "use_language"]
