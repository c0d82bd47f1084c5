"""One source, two languages: every prose block has its twin, and the notebooks are fresh."""

import re
import shutil

import make_notebooks as mk
import nbformat
import pytest
import yaml

SOURCES = sorted(mk.SOURCES.glob("*.md"))
HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
LETTER = re.compile(r"[^\W\d_]")
# Code, math, HTML tags, link targets and (term twins) are not prose of either language.
NOT_PROSE = re.compile(
    r"```.*?```|`[^`]*`|\$\$.*?\$\$|\$[^$]*\$|<[^>]*>|\]\([^)]*\)|\([^()]*\)", re.S
)


def hangul_share(text: str) -> float:
    """Share of Hangul among the letters of the prose in ``text``."""
    prose = NOT_PROSE.sub(" ", text)
    return len(HANGUL.findall(prose)) / max(len(LETTER.findall(prose)), 1)


def notebooks(lang):
    return sorted((mk.ROOT / "chapters" / lang).glob("*.ipynb"))


def test_there_are_chapters():
    assert SOURCES, "no chapter sources in chapters/src"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_generated_notebooks_are_fresh(source):
    assert mk.stale(source) == [], "run `make notebooks` and commit the result"


def test_both_trees_hold_exactly_the_chapters_of_the_sources():
    expected = [s.stem for s in SOURCES]
    assert [p.stem for p in notebooks("ko")] == expected
    assert [p.stem for p in notebooks("en")] == expected


def test_toc_lists_every_chapter_in_both_parts_in_the_same_order():
    toc = yaml.safe_load((mk.ROOT / "_toc.yml").read_text(encoding="utf-8"))
    parts = {p["caption"]: [c["file"] for c in p["chapters"]] for p in toc["parts"]}
    stems = [s.stem for s in SOURCES]
    # the chapters first, then the appendices (pages made otherwise), the same in both parts
    assert parts["한국어"][:len(stems)] == [f"chapters/ko/{s}" for s in stems]
    assert [page.replace("/ko/", "/en/") for page in parts["한국어"]] == parts["English"]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_each_prose_block_is_written_in_its_own_language(source):
    cells = mk.parse(source.read_text(encoding="utf-8"), source.name)
    for cell in (c for c in cells if c.kind == "prose"):
        where = f"{source.name}:{cell.line}"
        assert hangul_share(cell.text["ko"]) > 0.5, f"{where}: the ko block is not Korean"
        assert hangul_share(cell.text["en"]) < 0.05, f"{where}: the en block is not English"


@pytest.mark.parametrize("lang", mk.LANGS)
def test_notebooks_show_no_source_markup_and_link_their_twin(lang):
    for path in notebooks(lang):
        nb = nbformat.read(path, as_version=4)
        assert nb.cells[0].source == f"[{mk.SWITCH_LABEL[lang]}](../{mk.OTHER[lang]}/{path.name})"
        for cell in nb.cells:
            assert not re.search(r"^%% (ko|en|code)", cell.source, re.M), f"{path.name}: marker"
            assert "«" not in cell.source, f"{path.name}: unresolved «ko|en» string"


def test_prose_share_ignores_math_code_and_term_twins():
    assert hangul_share("경사하강법(gradient descent)은 $w - \\eta g$ 로 `w -= g` 씁니다") == 1.0
    assert hangul_share("Gradient descent (경사하강법) is plain English.") == 0.0
    assert hangul_share("손실 loss") == 2 / 6


def test_a_korean_block_without_its_english_twin_is_rejected():
    with pytest.raises(mk.SourceError, match="has no '%% en' twin"):
        mk.parse("%% ko\n안녕하세요\n%% code\nx = 1\n")


def test_an_english_block_without_its_korean_twin_is_rejected():
    with pytest.raises(mk.SourceError, match="not preceded by its '%% ko' twin"):
        mk.parse("%% code\nx = 1\n%% en\nHello\n")


def test_an_empty_twin_is_rejected():
    with pytest.raises(mk.SourceError, match="empty '%% en' cell"):
        mk.parse("%% ko\n안녕하세요\n%% en\n\n%% code\nx = 1\n")


def test_localized_strings_take_the_notebook_language():
    (cell,) = mk.parse('%% code nbval-ignore-output\nplt.title("«손실|Loss»")\n')
    assert cell.source("ko") == 'plt.title("손실")'
    assert cell.source("en") == 'plt.title("Loss")'
    assert cell.tags == ["nbval-ignore-output"]


def test_a_hand_edited_notebook_is_reported_stale(tmp_path, monkeypatch):
    source = SOURCES[0]
    for sub in ("src", "ko", "en"):
        shutil.copytree(mk.ROOT / "chapters" / sub, tmp_path / "chapters" / sub)
    monkeypatch.setattr(mk, "ROOT", tmp_path)
    copy = tmp_path / "chapters" / "src" / source.name
    assert mk.stale(copy) == []

    path = tmp_path / "chapters" / "en" / f"{source.stem}.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[-1].source += "\nAn edit made in the notebook instead of the source."
    nbformat.write(nb, path)
    assert mk.stale(copy) == [f"chapters/en/{source.stem}.ipynb is stale against {source.name}"]
