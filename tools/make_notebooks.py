"""Turn each bilingual chapter source into a Korean and an English notebook.

A source (``chapters/src/NN_name.md``) is a run of cells, each opened by a marker line:

    %% ko                  Korean prose (MyST Markdown) ...
    %% en                  ... always followed by its English twin
    %% code [tag ...]      Python, written once; cell tags such as hide-input may follow

The tag ``solution`` marks the stored solution of an exercise: the book folds the whole cell,
output and all (the output of a check may give the answer away), behind "풀이 보기" / "Show
solution", the words of the solutions written out in the prose.

In code, ``«한국어|English»`` stands for text that differs by language: the Korean
notebook gets the left side, the English one the right side. It works anywhere in a line, in
strings and in comments alike, so that a notebook's comments are in its language:

    y_hat = w * x + b          # «예측값, 모양 (100, 1)|predictions, shape (100, 1)»
    ax.set_title("«손실|Loss»")

A code cell that draws a figure starts with option lines ``#| key: value``, which are taken out
of the generated code:

    %% code
    #| caption: «두 후보 직선과 잔차|Two candidate lines and their residuals»
    #| alt: «점 100개와 두 직선, 점에서 직선까지 빨간 세로선|100 points, two lines, red …»
    fig, axes = plt.subplots(1, 2)
    ...

Both are required and both are written «한국어|English». The figures of a chapter are numbered
in order, from the chapter number of the file name: the third captioned cell of
``03_gradient_descent.md`` is 그림 3.3 / Figure 3.3, and the prose refers to it by that name.
The notebook of each language stores the caption ("그림 3.3: …" / "Figure 3.3: …") and the alt
text in the cell's metadata, where MyST-NB finds them: ``mystnb.figure.caption`` wraps the
image in a figure with that caption below it, ``mystnb.image.alt`` becomes its alt text. The
cell must show exactly one output besides printed text: its image. No Sphinx label is set, since
the number is ours; _ext/dlbook_sphinx.py turns Sphinx's own numbering off (numfig, which
Jupyter Book turns on and which writes an English "Fig. N" before every caption).

Prose is linked to the glossary (``chapters/glossary.yml``, see tools/make_glossary.py): in each
chapter and language, the first bold use of every glossary term links to its entry on the
glossary page of that language. The source stays as it is.

    python tools/make_notebooks.py            # write the glossary pages, then write and
                                              # execute chapters/{ko,en}/NN_name.ipynb
    python tools/make_notebooks.py --check    # fail if a notebook or a glossary page is stale
"""

import argparse
import os
import platform
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import make_glossary
import nbformat

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "chapters" / "src"
LANGS = ("ko", "en")
OTHER = {"ko": "en", "en": "ko"}
SWITCH_LABEL = {"ko": "English version →", "en": "한국어판 →"}
MARKER = re.compile(r"^%% (ko|en|code)\b(.*)$")
LOCALIZED = re.compile(r"«([^|»]*)\|([^»]*)»")
OPTION = re.compile(r"^#\| ?([\w-]+): ?(.*)$")
FIGURE_OPTIONS = ("caption", "alt")
FIGURE_LABEL = {"ko": "그림", "en": "Figure"}
SOLUTION_PROMPTS = {
    "ko": {"code_prompt_show": "풀이 보기", "code_prompt_hide": "풀이 숨기기"},
    "en": {"code_prompt_show": "Show solution", "code_prompt_hide": "Hide solution"},
}


class SourceError(ValueError):
    """A chapter source that breaks the format: names the file and line."""


@dataclass
class Cell:
    """One cell of a source: prose in both languages, or code written once."""

    kind: str  # "prose" or "code"
    text: dict[str, str] = field(default_factory=dict)  # prose: {"ko": ..., "en": ...}
    code: str = ""
    tags: list[str] = field(default_factory=list)
    line: int = 0
    options: dict[str, str] = field(default_factory=dict)  # code: the '#| key: value' lines

    def source(self, lang: str) -> str:
        if self.kind == "prose":
            return self.text[lang]
        return localize(self.code, lang)

    def option(self, key: str, lang: str) -> str:
        return localize(self.options[key], lang).strip()


def localize(text: str, lang: str) -> str:
    """``text`` with every «한국어|English» replaced by the side of ``lang``."""
    return LOCALIZED.sub(lambda m: m.group(1 if lang == "ko" else 2), text)


def code_cell(body: str, tags: list[str], name: str, number: int) -> Cell:
    """A code cell, its leading '#| key: value' lines taken out as options and checked."""
    lines, options = body.splitlines(), {}
    while lines and (match := OPTION.match(lines[0])):
        key, value = match.groups()
        where = f"{name}:{number + 1 + len(options)}"
        if key not in FIGURE_OPTIONS:
            raise SourceError(f"{where}: unknown cell option '#| {key}:' ({FIGURE_OPTIONS})")
        if not LOCALIZED.search(value):
            raise SourceError(f"{where}: '#| {key}:' must be written «한국어|English»")
        options[key] = value
        lines.pop(0)
    if options and set(options) != set(FIGURE_OPTIONS):
        raise SourceError(f"{name}:{number}: a figure cell needs both '#| caption:' and '#| alt:'")
    code = "\n".join(lines).strip("\n")
    if not code.strip():
        raise SourceError(f"{name}:{number}: '%% code' cell has options but no code")
    return Cell("code", code=code, tags=tags, line=number, options=options)


def parse(text: str, name: str = "<source>") -> list[Cell]:
    """Split a source into cells, checking that every prose block has its other language."""
    blocks, current = [], None
    for number, line in enumerate(text.splitlines(), start=1):
        match = MARKER.match(line)
        if match:
            current = [match.group(1), match.group(2).split(), number, []]
            blocks.append(current)
        elif current is None:
            if line.strip():
                raise SourceError(f"{name}:{number}: text before the first '%% ko|en|code' marker")
        else:
            current[3].append(line)

    cells = []
    for kind, tags, number, lines in blocks:
        body = "\n".join(lines).strip("\n")
        if not body.strip():
            raise SourceError(f"{name}:{number}: empty '%% {kind}' cell")
        if kind == "code":
            cells.append(code_cell(body, tags, name, number))
        elif kind == "ko":
            cells.append(Cell("prose", text={"ko": body}, line=number))
        elif cells and cells[-1].kind == "prose" and set(cells[-1].text) == {"ko"}:
            cells[-1].text["en"] = body
        else:
            raise SourceError(f"{name}:{number}: '%% en' block not preceded by its '%% ko' twin")
    for cell in cells:
        if cell.kind == "prose" and "en" not in cell.text:
            raise SourceError(f"{name}:{cell.line}: '%% ko' block has no '%% en' twin after it")
    return cells


def figure_metadata(cell: Cell, lang: str, number: str) -> dict:
    """MyST-NB's cell metadata for a figure: caption below the image, alt text on it."""
    caption = f"{FIGURE_LABEL[lang]} {number}: {cell.option('caption', lang)}"
    return {"figure": {"caption": caption}, "image": {"alt": cell.option("alt", lang)}}


def render(cells: list[Cell], lang: str, stem: str,
           glossary: list[make_glossary.Entry] | None = None) -> nbformat.NotebookNode:
    """The notebook of one language, unexecuted: a language switch, then the cells, the first
    use of each glossary term linked and the figures captioned."""
    other = OTHER[lang]
    switch = nbformat.v4.new_markdown_cell(
        f"[{SWITCH_LABEL[lang]}](../{other}/{stem}.ipynb)", id=f"{lang}-switch"
    )
    switch.metadata["tags"] = ["language-switch"]
    nb = nbformat.v4.new_notebook(cells=[switch])
    glossary = make_glossary.load() if glossary is None else glossary
    prose = iter(make_glossary.link_first_uses(
        [c.source(lang) for c in cells if c.kind == "prose"], lang, glossary))
    chapter, figures = make_glossary.chapter_number(stem), 0
    for index, cell in enumerate(cells):
        cell_id = f"{lang}-{index:03d}"
        if cell.kind == "prose":
            nb.cells.append(nbformat.v4.new_markdown_cell(next(prose), id=cell_id))
        else:
            new = nbformat.v4.new_code_cell(cell.source(lang), id=cell_id)
            if "solution" in cell.tags:
                new.metadata["tags"] = ["hide-cell" if t == "solution" else t for t in cell.tags]
                new.metadata["mystnb"] = SOLUTION_PROMPTS[lang]
            elif cell.tags:
                new.metadata["tags"] = cell.tags
            if cell.options:
                figures += 1
                new.metadata["mystnb"] = figure_metadata(cell, lang, f"{chapter}.{figures}")
            nb.cells.append(new)
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
        "dlbook": {"language": lang, "source": f"chapters/src/{stem}.md"},
    }
    return nb


def skeleton(nb: nbformat.NotebookNode) -> list[tuple]:
    """What a notebook must share with its source: cell types, sources, tags and figure
    metadata (not outputs)."""
    return [(c.cell_type, c.source, c.metadata.get("tags", []), c.metadata.get("mystnb"))
            for c in nb.cells]


def is_figure(cell: nbformat.NotebookNode) -> bool:
    """A captioned code cell of a notebook."""
    return cell.cell_type == "code" and "figure" in cell.metadata.get("mystnb", {})


def image_outputs(cell: nbformat.NotebookNode) -> list[dict]:
    """The outputs of a code cell that MyST-NB would wrap in its figure: all but printed text."""
    shown = ("display_data", "execute_result")
    return [o for o in cell.get("outputs", []) if o.output_type in shown]


def figure_problems(nb: nbformat.NotebookNode, name: str) -> list[str]:
    """Captioned cells of an executed notebook that do not show exactly one image."""
    problems = []
    for index, cell in enumerate(nb.cells):
        if is_figure(cell):
            shown = image_outputs(cell)
            if len(shown) != 1 or "image/png" not in shown[0].get("data", {}):
                problems.append(f"{name}: cell {index} has a caption but shows "
                                f"{len(shown)} outputs, not one image")
    return problems


def target(stem: str, lang: str) -> Path:
    return ROOT / "chapters" / lang / f"{stem}.ipynb"


def stale(source: Path, glossary: list[make_glossary.Entry] | None = None) -> list[str]:
    """Notebooks of ``source`` that are missing or differ from what it would generate."""
    cells = parse(source.read_text(encoding="utf-8"), str(source))
    glossary = make_glossary.load() if glossary is None else glossary
    problems = []
    for lang in LANGS:
        path = target(source.stem, lang)
        if not path.exists():
            problems.append(f"{path.relative_to(ROOT)} is missing")
            continue
        nb = nbformat.read(path, as_version=4)
        if skeleton(nb) != skeleton(render(cells, lang, source.stem, glossary)):
            problems.append(f"{path.relative_to(ROOT)} is stale against {source.name}")
        elif any(c.cell_type == "code" and c.execution_count is None for c in nb.cells):
            problems.append(f"{path.relative_to(ROOT)} has unexecuted cells")
    return problems


def same_blas_kernels() -> None:
    """Make the notebooks' kernels run the same BLAS code on every x86-64 CPU.

    OpenBLAS picks its kernels by CPU (SkylakeX on one machine, Haswell on the next), and the
    kernels sum float32 products in different orders: a chaotic run (batch size 1, a deep plain
    network) then prints different digits. The stored outputs come from the Haswell kernels,
    which every x86-64 CPU with AVX2 runs. The kernels inherit it from this process's
    environment; set before they start, by ``execute`` and by the tests' conftest.
    """
    if platform.machine().lower() in ("x86_64", "amd64"):
        os.environ.setdefault("OPENBLAS_CORETYPE", "Haswell")


def execute(nb: nbformat.NotebookNode, cwd: Path) -> None:
    """Run every cell in a fresh kernel of this interpreter, storing outputs."""
    from nbclient import NotebookClient

    same_blas_kernels()

    # nbclient needs widget state to run an ipywidgets cell; the notebook keeps none, or the
    # book would load the widget scripts from a CDN. Widgets are for Jupyter; the book shows
    # a static figure instead.
    NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(cwd)}}).execute()
    nb.metadata.pop("widgets", None)


def build(source: Path, glossary: list[make_glossary.Entry] | None = None) -> None:
    cells = parse(source.read_text(encoding="utf-8"), str(source))
    for lang in LANGS:
        path = target(source.stem, lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        nb = render(cells, lang, source.stem, glossary)
        print(f"executing {path.relative_to(ROOT)}", flush=True)
        execute(nb, path.parent)
        if problems := figure_problems(nb, source.name):
            raise SourceError("\n".join(problems))
        nbformat.write(nb, path)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale notebooks")
    parser.add_argument("chapters", nargs="*", help="source stems to build (default: all)")
    args = parser.parse_args(argv)
    sources = sorted(SOURCES.glob("*.md"))
    if args.chapters:
        sources = [s for s in sources if s.stem in args.chapters]
    glossary = make_glossary.load()
    if args.check:
        problems = make_glossary.stale() + [p for s in sources for p in stale(s, glossary)]
        print("\n".join(problems) or f"{len(sources)} chapters and the glossary up to date")
        return 1 if problems else 0
    make_glossary.write()
    for source in sources:
        build(source, glossary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
