"""Turn each bilingual chapter source into a Korean and an English notebook.

A source (``chapters/src/NN_name.md``) is a run of cells, each opened by a marker line:

    %% ko                  Korean prose (MyST Markdown) ...
    %% en                  ... always followed by its English twin
    %% code [tag ...]      Python, written once; cell tags such as hide-input may follow

In code, ``«한국어|English»`` stands for a string that differs by language: the Korean
notebook gets the left side, the English one the right side.

    python tools/make_notebooks.py            # write and execute chapters/{ko,en}/NN_name.ipynb
    python tools/make_notebooks.py --check    # fail if a notebook is stale against its source
"""

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "chapters" / "src"
LANGS = ("ko", "en")
OTHER = {"ko": "en", "en": "ko"}
SWITCH_LABEL = {"ko": "English version →", "en": "한국어판 →"}
MARKER = re.compile(r"^%% (ko|en|code)\b(.*)$")
LOCALIZED = re.compile(r"«([^|»]*)\|([^»]*)»")


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

    def source(self, lang: str) -> str:
        if self.kind == "prose":
            return self.text[lang]
        return LOCALIZED.sub(lambda m: m.group(1 if lang == "ko" else 2), self.code)


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
            cells.append(Cell("code", code=body, tags=tags, line=number))
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


def render(cells: list[Cell], lang: str, stem: str) -> nbformat.NotebookNode:
    """The notebook of one language, unexecuted: a language switch, then the cells."""
    other = OTHER[lang]
    switch = nbformat.v4.new_markdown_cell(
        f"[{SWITCH_LABEL[lang]}](../{other}/{stem}.ipynb)", id=f"{lang}-switch"
    )
    switch.metadata["tags"] = ["language-switch"]
    nb = nbformat.v4.new_notebook(cells=[switch])
    for index, cell in enumerate(cells):
        cell_id = f"{lang}-{index:03d}"
        if cell.kind == "prose":
            nb.cells.append(nbformat.v4.new_markdown_cell(cell.source(lang), id=cell_id))
        else:
            new = nbformat.v4.new_code_cell(cell.source(lang), id=cell_id)
            if cell.tags:
                new.metadata["tags"] = cell.tags
            nb.cells.append(new)
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
        "dlbook": {"language": lang, "source": f"chapters/src/{stem}.md"},
    }
    return nb


def skeleton(nb: nbformat.NotebookNode) -> list[tuple]:
    """What a notebook must share with its source: cell types, sources and tags (not outputs)."""
    return [(c.cell_type, c.source, c.metadata.get("tags", [])) for c in nb.cells]


def target(stem: str, lang: str) -> Path:
    return ROOT / "chapters" / lang / f"{stem}.ipynb"


def stale(source: Path) -> list[str]:
    """Notebooks of ``source`` that are missing or differ from what it would generate."""
    cells = parse(source.read_text(encoding="utf-8"), str(source))
    problems = []
    for lang in LANGS:
        path = target(source.stem, lang)
        if not path.exists():
            problems.append(f"{path.relative_to(ROOT)} is missing")
            continue
        nb = nbformat.read(path, as_version=4)
        if skeleton(nb) != skeleton(render(cells, lang, source.stem)):
            problems.append(f"{path.relative_to(ROOT)} is stale against {source.name}")
        elif any(c.cell_type == "code" and c.execution_count is None for c in nb.cells):
            problems.append(f"{path.relative_to(ROOT)} has unexecuted cells")
    return problems


def execute(nb: nbformat.NotebookNode, cwd: Path) -> None:
    """Run every cell in a fresh kernel of this interpreter, storing outputs."""
    from nbclient import NotebookClient

    # nbclient needs widget state to run an ipywidgets cell; the notebook keeps none, or the
    # book would load the widget scripts from a CDN. Widgets are for Jupyter; the book shows
    # a static figure instead.
    NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False,
                   resources={"metadata": {"path": str(cwd)}}).execute()
    nb.metadata.pop("widgets", None)


def build(source: Path) -> None:
    cells = parse(source.read_text(encoding="utf-8"), str(source))
    for lang in LANGS:
        path = target(source.stem, lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        nb = render(cells, lang, source.stem)
        print(f"executing {path.relative_to(ROOT)}", flush=True)
        execute(nb, path.parent)
        nbformat.write(nb, path)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale notebooks")
    parser.add_argument("chapters", nargs="*", help="source stems to build (default: all)")
    args = parser.parse_args(argv)
    sources = sorted(SOURCES.glob("*.md"))
    if args.chapters:
        sources = [s for s in sources if s.stem in args.chapters]
    if args.check:
        problems = [p for s in sources for p in stale(s)]
        print("\n".join(problems) or f"{len(sources)} chapters up to date")
        return 1 if problems else 0
    for source in sources:
        build(source)
    return 0


if __name__ == "__main__":
    sys.exit(main())
