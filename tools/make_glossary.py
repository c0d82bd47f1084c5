"""The bilingual glossary (용어집): one data file, a page per language, links from the chapters.

``chapters/glossary.yml`` is a list of entries, one per term:

    - ko: 평균 제곱 오차                the Korean term, as the Korean chapters write it in bold
      en: mean squared error            the English term (lower case unless it is a name)
      abbr: MSE                         optional: the abbreviation the chapters give with it
      chapter: 0                        the chapter that introduces it
      ko_def: 예측과 정답의 차이를 ...      one or two sentences in Korean
      en_def: The mean of the squared ...   the same in English
      ko_forms: [...]                   optional: other spellings or names of the term, written
      en_forms: [...]                   in bold in that language or given as the other's twin

A chapter *introduces* a term where its prose writes the term in bold with its twin:

    Korean prose    **경사하강법**(gradient descent)
                    **평균 제곱 오차**(mean squared error, MSE)
    English prose   **gradient descent (경사하강법)**
                    **mean squared error (MSE, 평균 제곱 오차)**
                    **XOR** (exclusive OR, 배타적 논리합)

A term may also be *used* in bold without its twin (``**손실 함수**``); a glossary entry may be
such a term as long as both languages write it in bold. The entry's chapter is the first chapter
whose prose introduces it (or, for a term never given a twin in one language, first writes it in
bold); the Korean and the English chapters must agree (tests/book/test_glossary.py).

Pages. ``chapters/ko/glossary.md`` and ``chapters/en/glossary.md`` are generated, never edited:
each entry is a heading "term · twin", its definition, and a link to the chapter that introduces
it, in the page's language. Korean entries go in 가나다 order of the Korean term (Python's order
of Hangul syllables, spaces and hyphens ignored), grouped by initial consonant (ㄲ under ㄱ, and so
on); terms that begin with a Latin letter (ReLU, k-평균) come first, under "A–Z", in
case-insensitive A–Z order. English entries go in case-insensitive A–Z order of the English term.

Links. When ``make_notebooks.py`` renders a chapter in language L, the first bold use of each
glossary term in that chapter becomes a link to its entry on the glossary page of language L:
``**경사하강법**(gradient descent)`` becomes ``[**경사하강법**](glossary.md#…)(gradient descent)``.
The fragment is MyST's slug of the entry's heading (the pages turn on ``heading_anchors``), so the
link lands on the entry in the built book, and opens the glossary in Jupyter. Bold text in code,
math, headings and existing links is left alone; a term mentioned only in plain text is not linked.

    python tools/make_glossary.py            # write chapters/{ko,en}/glossary.md
    python tools/make_glossary.py --check    # fail if a page is stale against the data file
"""

import argparse
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "chapters" / "glossary.yml"
SOURCES = ROOT / "chapters" / "src"
LANGS = ("ko", "en")
PAGE_STEM = "glossary"
TITLE = {"ko": "용어집", "en": "Glossary"}
SWITCH_LABEL = {"ko": "English version →", "en": "한국어판 →"}  # as make_notebooks writes it
OTHER = {"ko": "en", "en": "ko"}
INTRO = {
    "ko": (
        "이 책이 소개하는 용어를 모았습니다. 각 항목은 한국어 용어와 영어 용어, 짧은 뜻풀이, "
        "그 용어를 처음 소개하는 장으로 이루어집니다. 한국어 용어의 가나다순으로 늘어놓았고, "
        "영문자로 시작하는 용어는 맨 앞의 A–Z에 모았습니다. 본문에서 용어가 장마다 처음 나오는 "
        "곳은 이 페이지의 항목으로 연결됩니다."
    ),
    "en": (
        "The terms this book introduces. Each entry gives the English term, its Korean twin, a "
        "short definition and the chapter that introduces it, in A–Z order of the English term. "
        "In the chapters, the first use of each term links to its entry here."
    ),
}
INTRODUCED_IN = {"ko": "처음 나오는 곳", "en": "Introduced in"}
LATIN_GROUP = "A–Z"
REQUIRED = ("ko", "en", "chapter", "ko_def", "en_def")
OPTIONAL = ("abbr", "ko_forms", "en_forms")

HANGUL = re.compile(r"[\uac00-\ud7a3]")
LATIN = re.compile(r"[A-Za-z]")
# Where bold text is not a term: code, math, headings, links, MyST comments and HTML.
PROTECTED = re.compile(
    r"```.*?```|~~~.*?~~~|\$\$.*?\$\$|`[^`\n]*`|(?<![\\$])\$[^$\n]+\$"
    r"|!?\[[^\]\n]*\]\([^)\n]*\)|^#[^\n]*|^%[^\n]*|<[^>\n]*>",
    re.S | re.M,
)
BOLD = re.compile(r"\*\*([^*\n]+?)\*\*")
PAREN_AFTER = re.compile(r" ?\(([^()\n]*)\)")
TRAILING_TWIN = re.compile(r"^(.*?) \(([^()]*)\)$")
# Initial consonants of Hangul syllables, ㄲ ㄸ ㅃ ㅆ ㅉ grouped with their plain twins.
INITIALS = "ㄱㄱㄴㄷㄷㄹㅁㅂㅂㅅㅅㅇㅈㅈㅊㅋㅌㅍㅎ"


class GlossaryError(ValueError):
    """A glossary data file that breaks the format."""


@dataclass
class Entry:
    ko: str
    en: str
    chapter: int
    ko_def: str
    en_def: str
    abbr: str = ""
    ko_forms: list[str] = field(default_factory=list)
    en_forms: list[str] = field(default_factory=list)

    def term(self, lang: str) -> str:
        return self.ko if lang == "ko" else self.en

    def forms(self, lang: str) -> list[str]:
        """Every bold spelling of the term in ``lang`` prose, normalised."""
        extra = self.ko_forms if lang == "ko" else self.en_forms
        return [normalize(f) for f in (self.term(lang), *extra)]

    def heading(self, lang: str) -> str:
        """'term · twin' in the page's language order; the abbreviation goes with English,
        and a twin spelled like the term or its abbreviation is not repeated ('ReLU')."""
        en = f"{self.en} ({self.abbr})" if self.abbr and self.abbr != self.ko else self.en
        if lang == "ko":
            return self.ko if en == self.ko else f"{self.ko} · {en}"
        en = f"{self.en} ({self.abbr})" if self.abbr else self.en
        return en if self.ko in (self.en, self.abbr) else f"{en} · {self.ko}"

    def definition(self, lang: str) -> str:
        return self.ko_def if lang == "ko" else self.en_def


@dataclass
class Bold:
    """A bold span in prose: where it is, its text, and the twin in parentheses, if any."""

    start: int
    end: int
    text: str  # the term as written, without the twin
    twin: str | None  # what the parentheses hold: '경사하강법' or 'MSE, 평균 제곱 오차'


def normalize(term: str) -> str:
    return " ".join(term.split()).casefold()


def slugify(title: str) -> str:
    """MyST's default heading slug (myst_parser's default_slugify): the link fragment."""
    return re.sub(r"[^\w\u4e00-\u9fff\- ]", "", title.lower().replace(" ", "-"))


def anchor(entry: Entry, lang: str) -> str:
    return slugify(entry.heading(lang))


def load(path: Path = GLOSSARY) -> list[Entry]:
    """The entries of the data file, checked for the keys and for duplicate terms."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise GlossaryError(f"{path.name}: expected a list of entries")
    entries, seen = [], {}
    for number, item in enumerate(data, start=1):
        where = f"{path.name}: entry {number} ({item.get('ko')} · {item.get('en')})"
        missing = [k for k in REQUIRED if item.get(k) in (None, "")]
        unknown = sorted(set(item) - set(REQUIRED) - set(OPTIONAL))
        if missing or unknown:
            raise GlossaryError(f"{where}: missing {missing}, unknown {unknown}")
        entry = Entry(**{k: item[k] for k in item})
        if not isinstance(entry.chapter, int):
            raise GlossaryError(f"{where}: chapter must be a number")
        for lang in LANGS:
            for form in entry.forms(lang):
                if (lang, form) in seen:
                    raise GlossaryError(f"{where}: {form!r} is also in {seen[lang, form]}")
                seen[lang, form] = where
        entries.append(entry)
    return entries


# --- reading the chapters -----------------------------------------------------------------

def bold_spans(text: str, lang: str) -> Iterator[Bold]:
    """Bold spans of ``text`` outside code, math, headings and links, with their twins."""
    position = 0
    for protected in [*PROTECTED.finditer(text), None]:
        stop = protected.start() if protected else len(text)
        for match in BOLD.finditer(text, position, stop):
            inner, twin = match.group(1).strip(), None
            if lang == "en" and (inside := TRAILING_TWIN.match(inner)):
                if HANGUL.search(inside.group(2)):
                    inner, twin = inside.group(1), inside.group(2)
            if twin is None and (after := PAREN_AFTER.match(text, match.end(), stop)):
                is_twin = LATIN.search if lang == "ko" else HANGUL.search
                if is_twin(after.group(1)):
                    twin = after.group(1)
            yield Bold(match.start(), match.end(), inner, twin)
        if protected:
            position = protected.end()


def chapter_number(stem: str) -> int:
    return int(stem.split("_", 1)[0])


def chapter_prose(lang: str) -> dict[str, list[str]]:
    """Each chapter's prose blocks in ``lang``, by source stem, in order."""
    import make_notebooks as mk  # noqa: PLC0415 (make_notebooks imports this module)

    chapters = {}
    for source in sorted(SOURCES.glob("*.md")):
        cells = mk.parse(source.read_text(encoding="utf-8"), source.name)
        chapters[source.stem] = [c.text[lang] for c in cells if c.kind == "prose"]
    return chapters


def chapter_title(blocks: list[str]) -> str:
    for block in blocks:
        if match := re.search(r"^# (.+)$", block, re.M):
            return match.group(1).strip()
    raise GlossaryError("a chapter without a '# title'")


@dataclass
class Use:
    """A bold span of a chapter: the chapter's number, the term as written, its twin if any."""

    chapter: int
    term: str
    twin: str | None


def uses(lang: str) -> list[Use]:
    """Every bold span of the chapters' ``lang`` prose, in reading order."""
    return [Use(chapter_number(stem), span.text, span.twin)
            for stem, blocks in chapter_prose(lang).items()
            for block in blocks for span in bold_spans(block, lang)]


def first_chapter(entry: Entry, lang: str, found: list[Use]) -> int | None:
    """The chapter that introduces ``entry`` in ``lang``: the first to write it in bold with its
    twin or, if no chapter gives the twin, the first to write it in bold at all."""
    forms = set(entry.forms(lang))
    mine = [use for use in found if normalize(use.term) in forms]
    introduced = [use.chapter for use in mine if use.twin is not None]
    return min(introduced or [use.chapter for use in mine], default=None)


def twin_parts(twin: str) -> list[str]:
    """'MSE, 평균 제곱 오차' -> ['mse', '평균 제곱 오차']."""
    return [normalize(part) for part in twin.split(",") if part.strip()]


# --- links from the chapters ---------------------------------------------------------------

def index(entries: list[Entry], lang: str) -> dict[str, Entry]:
    """Every normalised bold spelling in ``lang`` → its entry."""
    return {form: entry for entry in entries for form in entry.forms(lang)}


def link_first_uses(blocks: list[str], lang: str, entries: list[Entry]) -> list[str]:
    """The prose blocks of one chapter with the first bold use of each term linked."""
    lookup, done, linked = index(entries, lang), set(), []
    for block in blocks:
        pieces, position = [], 0
        for span in bold_spans(block, lang):
            entry = lookup.get(normalize(span.text))
            if entry is None or entry.en in done:
                continue
            done.add(entry.en)
            target = f"{PAGE_STEM}.md#{anchor(entry, lang)}"
            pieces += [block[position:span.start], f"[{block[span.start:span.end]}]({target})"]
            position = span.end
        linked.append("".join(pieces) + block[position:])
    return linked


# --- the pages -----------------------------------------------------------------------------

def sort_key(entry: Entry, lang: str) -> tuple:
    term = entry.term(lang)
    if lang == "en":
        return (term.casefold(), term)
    bare = re.sub(r"[\s\-–]", "", term)
    return (0 if LATIN.match(bare) else 1, bare.casefold(), term)


def group(entry: Entry, lang: str) -> str:
    """The letter group: 'A'… for English; 'ㄱ'… or 'A–Z' for Korean."""
    first = entry.term(lang)[0]
    if lang == "en":
        return first.upper()
    if HANGUL.match(first):
        return INITIALS[(ord(first) - 0xAC00) // 588]
    return LATIN_GROUP


def ordered(entries: list[Entry], lang: str) -> list[Entry]:
    return sorted(entries, key=lambda e: sort_key(e, lang))


def render_page(entries: list[Entry], lang: str, titles: dict[int, tuple[str, str]]) -> str:
    """The glossary page of ``lang`` in MyST Markdown; ``titles``: chapter → (stem, title)."""
    lines = [
        "---",
        "myst:",
        "  heading_anchors: 3",  # the entries' slugs are the chapters' link targets
        "---",
        "% Generated by tools/make_glossary.py from chapters/glossary.yml: edit those, not this.",
        "",
        f"[{SWITCH_LABEL[lang]}](../{OTHER[lang]}/{PAGE_STEM}.md)",
        "",
        f"# {TITLE[lang]}",
        "",
        INTRO[lang],
    ]
    current = None
    for entry in ordered(entries, lang):
        if group(entry, lang) != current:
            current = group(entry, lang)
            lines += ["", f"## {current}"]
        stem, title = titles[entry.chapter]
        lines += [
            "",
            f"### {entry.heading(lang)}",
            "",
            entry.definition(lang).strip(),
            "",
            f"{INTRODUCED_IN[lang]}: [{title}]({stem}.ipynb)",
        ]
    return "\n".join(lines) + "\n"


def page_path(lang: str) -> Path:
    return ROOT / "chapters" / lang / f"{PAGE_STEM}.md"


def pages() -> dict[Path, str]:
    """Every glossary page and the text it should hold."""
    entries = load()
    result = {}
    for lang in LANGS:
        titles = {chapter_number(stem): (stem, chapter_title(blocks))
                  for stem, blocks in chapter_prose(lang).items()}
        result[page_path(lang)] = render_page(entries, lang, titles)
    return result


def stale() -> list[str]:
    problems = []
    for path, text in pages().items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            problems.append(f"{path.relative_to(ROOT)} is stale against {GLOSSARY.name}")
    return problems


def write() -> None:
    for path, text in pages().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}", flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale pages")
    args = parser.parse_args(argv)
    if args.check:
        problems = stale()
        print("\n".join(problems) or "glossary pages up to date")
        return 1 if problems else 0
    write()
    return 0


if __name__ == "__main__":
    sys.exit(main())
