"""Every exercise is asked in its chapter: each notebook checks its chapter's exercises with the
stored solution, in a cell folded whole behind "풀이 보기" / "Show solution" (its output can give
the answer away), and the check passed when the notebook was generated."""

import re

import make_notebooks as mk
import nbformat
import pytest

from dlbook.exercises import EXERCISES

CHECK_CALL = re.compile(r'^passed = check\("(ch(\d+)\.\w+)", \w+\)', re.MULTILINE)
VERDICT = {"ko": "✅ 통과", "en": "✅ Passed"}


def checked_cells(lang, stem):
    nb = nbformat.read(mk.target(stem, lang), as_version=4)
    return [(CHECK_CALL.search(c.source), c) for c in nb.cells
            if c.cell_type == "code" and 'check("' in c.source]


@pytest.mark.parametrize("lang", mk.LANGS)
def test_each_chapter_checks_its_exercises_and_no_other(lang):
    for source in sorted(mk.SOURCES.glob("*.md")):
        number = str(int(source.stem[:2]))
        asked = [match.group(1) for match, _ in checked_cells(lang, source.stem)]
        registered = sorted(e for e in EXERCISES if e.startswith(f"ch{number}."))
        assert sorted(asked) == registered, source.stem
        assert len(asked) >= 2, f"{source.stem}: at least two self-checking exercises"


@pytest.mark.parametrize("lang", mk.LANGS)
def test_solution_cells_are_folded_whole_and_passed(lang):
    for source in sorted(mk.SOURCES.glob("*.md")):
        for match, cell in checked_cells(lang, source.stem):
            assert match, f"{source.stem}: write the call as passed = check(id, answer)"
            assert cell.metadata.get("tags") == ["hide-cell"], match.group(1)
            assert cell.metadata["mystnb"] == mk.SOLUTION_PROMPTS[lang], match.group(1)
            printed = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
            assert printed.startswith(VERDICT[lang]), (match.group(1), printed[:200])
