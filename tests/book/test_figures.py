"""Figures are numbered and captioned, with alt text, and code comments are in the notebook's
language (tools/make_notebooks.py: '#| caption:' and '#| alt:' lines, «한국어|English»)."""

import io
import re
import tokenize
from html.parser import HTMLParser

import make_glossary as mg
import make_notebooks as mk
import nbformat
import pytest

CHAPTERS = sorted(mk.SOURCES.glob("*.md"))
HANGUL = re.compile(r"[\uac00-\ud7a3]")
# An English word of three or more letters that is not code: not part of a name or a call
# (np.log, x_1, plot(), `nn.Linear`) and not an abbreviation in capitals (MSE, RSS).
ENGLISH_WORD = re.compile(r"(?<![\w.\\`])[A-Za-z][a-z]{2,}(?![\w(`]|\.\w)")
DIRECTIVE = re.compile(r"^(noqa|type:|pragma|fmt:|isort:|ruff:)")
FIGURE_CELL = """\
%% code
#| caption: «손실 곡선|The loss curve»
#| alt: «내려가는 곡선|A falling curve»
plt.plot(losses)   # «손실을 그립니다|plot the loss»
plt.show()
"""


def notebook(lang, source):
    return nbformat.read(mk.target(source.stem, lang), as_version=4)


def comments(code: str) -> list[str]:
    """The text of every comment in ``code`` (not '#' inside strings)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError):  # not plain Python: read it line by line
        return [line.split("#", 1)[1].strip() for line in code.splitlines() if "#" in line]
    return [t.string.lstrip("#").strip() for t in tokens if t.type == tokenize.COMMENT]


def english_prose(comment: str) -> bool:
    """A comment in English words rather than code or a formula: two English words of three
    letters or more, and no Hangul. '# dσ/dx = σ(1 − σ)', '# (100, 1)', '# noqa: E501' and
    '# see nn.Linear' are not; '# two guesses (w, b)' is."""
    if HANGUL.search(comment) or DIRECTIVE.match(comment):
        return False
    return len(ENGLISH_WORD.findall(re.sub(r"`[^`]*`", " ", comment))) >= 2


def english_comments(nb) -> list[str]:
    return [f"cell {i}: # {text}" for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
            for text in comments(cell.source) if english_prose(text)]


def shows_an_image(cell) -> bool:
    return any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))


# --- the source syntax --------------------------------------------------------------------------

def test_figure_options_become_metadata_and_leave_the_code():
    cells = mk.parse(FIGURE_CELL + FIGURE_CELL.replace("손실 곡선", "두 번째"), "03_x.md")
    ko, en = mk.render(cells, "ko", "03_x", []), mk.render(cells, "en", "03_x", [])
    assert ko.cells[1].source == 'plt.plot(losses)   # 손실을 그립니다\nplt.show()'
    assert en.cells[1].source == 'plt.plot(losses)   # plot the loss\nplt.show()'
    assert ko.cells[1].metadata["mystnb"] == {
        "figure": {"caption": "그림 3.1: 손실 곡선"}, "image": {"alt": "내려가는 곡선"}}
    assert en.cells[1].metadata["mystnb"] == {
        "figure": {"caption": "Figure 3.1: The loss curve"}, "image": {"alt": "A falling curve"}}
    assert ko.cells[2].metadata["mystnb"]["figure"]["caption"] == "그림 3.2: 두 번째"


def test_a_changed_caption_makes_the_notebook_stale():
    cells = mk.parse(FIGURE_CELL, "03_x.md")
    before = mk.skeleton(mk.render(cells, "en", "03_x", []))
    cells[0].options["caption"] = "«다른 설명|Another caption»"
    assert mk.skeleton(mk.render(cells, "en", "03_x", [])) != before


@pytest.mark.parametrize("cell, message", [
    ("%% code\n#| caption: «손실|Loss»\nplt.show()\n", "needs both"),
    ("%% code\n#| caption: Loss\n#| alt: «곡선|A curve»\nplt.show()\n", "must be written «"),
    ("%% code\n#| label: fig-loss\nplt.show()\n", "unknown cell option"),
    ("%% code\n#| caption: «손실|Loss»\n#| alt: «곡선|A curve»\n", "options but no code"),
])
def test_a_broken_figure_cell_is_rejected(cell, message):
    with pytest.raises(mk.SourceError, match=message):
        mk.parse(cell, "03_x.md")


def test_a_captioned_cell_must_show_exactly_one_image():
    cell = nbformat.v4.new_code_cell("plt.show()", metadata={"mystnb": {"figure": {}}})
    nb = nbformat.v4.new_notebook(cells=[cell])
    assert mk.figure_problems(nb, "x") == [
        "x: cell 0 has a caption but shows 0 outputs, not one image"]
    cell.outputs = [nbformat.v4.new_output("display_data", data={"image/png": "iVBO"}),
                    nbformat.v4.new_output("stream", text="printed text is fine\n")]
    assert mk.figure_problems(nb, "x") == []


def test_english_prose_comments_are_told_from_code_and_formulas():
    assert english_prose("two guesses (w, b)")
    assert english_prose("Korean font and the book's plot style, once per notebook")
    for comment in ["dσ/dx = σ(1 − σ)", "(100, 1)", "noqa: E501", "x: (100, 1) in [0, 10)",
                    "see nn.Linear", "MSE and RSS", "짐작해 본 (w, b) 두 쌍", "plt.show()",
                    "residuals"]:  # one word is let through: the rule wants two
        assert not english_prose(comment), comment
    assert comments('s = "# not a comment"  # «주석|a comment»') == ["«주석|a comment»"]


# --- the notebooks --------------------------------------------------------------------------

@pytest.mark.parametrize("lang", mk.LANGS)
def test_captioned_cells_show_one_image_each(lang):
    for source in CHAPTERS:
        assert mk.figure_problems(notebook(lang, source), source.name) == []


def test_captioned_cells_have_their_comments_in_korean():
    """A cell converted to a captioned figure has its comments converted too."""
    for source in CHAPTERS:
        nb = notebook("ko", source)
        captioned = nbformat.v4.new_notebook(cells=[c for c in nb.cells if mk.is_figure(c)])
        assert english_comments(captioned) == [], source.name


def test_chapter_3_shows_the_worked_example():
    for lang, label in (("ko", "그림 3.1: "), ("en", "Figure 3.1: ")):
        nb = notebook(lang, mk.SOURCES / "03_gradient_descent.md")
        first = next(c for c in nb.cells if c.cell_type == "code" and shows_an_image(c))
        assert first.metadata["mystnb"]["figure"]["caption"].startswith(label)
        assert first.metadata["mystnb"]["image"]["alt"]


@pytest.mark.parametrize("source", CHAPTERS, ids=lambda s: s.stem)
def test_every_figure_has_a_numbered_caption_and_alt_text(source):
    for lang, label in (("ko", "그림"), ("en", "Figure")):
        nb = notebook(lang, source)
        missing = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and shows_an_image(c)
                   and not (c.metadata.get("mystnb", {}).get("figure", {}).get("caption", "")
                            .startswith(f"{label} {mg.chapter_number(source.stem)}.")
                            and c.metadata["mystnb"].get("image", {}).get("alt"))]
        assert missing == [], f"{lang}: cells {missing} draw a figure without caption or alt text"


@pytest.mark.parametrize("source", CHAPTERS, ids=lambda s: s.stem)
def test_korean_notebooks_have_korean_comments(source):
    assert english_comments(notebook("ko", source)) == [], "write them «한국어|English»"


# --- the built book ---------------------------------------------------------------------------

class Figures(HTMLParser):
    """Each <figure> of a page: the alt text of its image and the text of its caption."""

    def __init__(self):
        super().__init__()
        self.figures, self.in_figure, self.in_caption = [], False, False

    def handle_starttag(self, tag, attrs):
        if tag == "figure":
            self.figures.append({"alt": None, "caption": ""})
            self.in_figure = True
        elif self.in_figure and tag == "img" and self.figures[-1]["alt"] is None:
            self.figures[-1]["alt"] = dict(attrs).get("alt")
        elif self.in_figure and tag == "span" and ("class", "caption-text") in attrs:
            self.in_caption = True

    def handle_endtag(self, tag):
        if tag == "span":
            self.in_caption = False
        elif tag == "figure":
            self.in_figure = False

    def handle_data(self, data):
        if self.in_caption:
            self.figures[-1]["caption"] += data


def squash(caption):
    """The letters and digits of a caption: Sphinx renders its Markdown, math and quotes."""
    return re.sub(r"[\W_]", "", caption)


def built_figures(html, lang, source):
    parser = Figures()
    parser.feed((html / "chapters" / lang / f"{source.stem}.html").read_text(encoding="utf-8"))
    return parser.figures


@pytest.mark.parametrize("lang", mk.LANGS)
def test_built_figures_carry_the_caption_and_alt_text_of_their_language(html, lang):
    for source in CHAPTERS:
        expected = [(c.metadata.mystnb.image.alt, c.metadata.mystnb.figure.caption)
                    for c in notebook(lang, source).cells if mk.is_figure(c)]
        built = [(f["alt"], squash(f["caption"])) for f in built_figures(html, lang, source)]
        assert [(a, squash(c)) for a, c in expected] == built, source.stem
        for _, caption in expected:
            assert caption.startswith(("그림 ", "Figure ")[lang == "en"])


def test_korean_captions_carry_no_english_figure_number(html):
    page = (html / "chapters" / "ko" / "03_gradient_descent.html").read_text(encoding="utf-8")
    assert "그림 3.1: " in page
    assert 'class="caption-number"' not in page
