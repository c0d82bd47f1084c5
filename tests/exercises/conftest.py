"""Fixtures for the exercise tests: a check() whose printed verdict comes back as text."""

import pytest

from dlbook.exercises import check, use_language


@pytest.fixture(autouse=True)
def english_afterwards():
    """Every test starts, and leaves the module, in the default language."""
    use_language("en")
    yield
    use_language("en")


@pytest.fixture
def verdict(capsys):
    """verdict(exercise_id, answer, lang) -> (what check returned, what it printed)."""
    def run(exercise_id, answer, lang=None):
        passed = check(exercise_id, answer, lang=lang)
        return passed, capsys.readouterr().out

    return run
