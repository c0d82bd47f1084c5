"""The glossary (용어집): one data file against the chapters, two pages, and the links between.

chapters/glossary.yml is checked against what the chapters' prose really writes (see
tools/make_glossary.py for the patterns): every term twin a chapter introduces has an entry, every
entry is used, and both languages introduce it in the entry's chapter. The pages and the links
from the chapters are checked as generated, as Sphinx builds them, and as a reader follows them.
"""

import re
from html import unescape

import make_glossary as mg
import make_notebooks as mk
import nbformat
import pytest
from myst_parser.mdit_to_docutils.base import default_slugify
from test_html import open_page

ENTRIES = mg.load()
USES = {lang: mg.uses(lang) for lang in mg.LANGS}
HEADING = re.compile(r"^(#{2,3}) (.+)$", re.M)
LINK = re.compile(r"\[(\*\*[^\]\n]+\*\*)\]\(glossary\.md#([^)\s]+)\)")


def where(use: mg.Use) -> str:
    return f"chapter {use.chapter}: **{use.term}** ({use.twin})"


@pytest.mark.parametrize("lang", mg.LANGS)
def test_every_term_twin_the_chapters_introduce_is_in_the_glossary(lang):
    known = mg.index(ENTRIES, lang)
    missing = [where(u) for u in USES[lang]
               if u.twin is not None and mg.normalize(u.term) not in known]
    assert missing == [], f"add these to {mg.GLOSSARY.name} (or as ko_forms / en_forms)"


def test_every_entry_is_used_in_both_languages():
    unused = [f"{e.ko} · {e.en}: not in bold in the {lang} prose of any chapter"
              for e in ENTRIES for lang in mg.LANGS
              if mg.first_chapter(e, lang, USES[lang]) is None]
    assert unused == []


def test_both_languages_introduce_each_entry_in_its_chapter():
    wrong = []
    for e in ENTRIES:
        found = {lang: mg.first_chapter(e, lang, USES[lang]) for lang in mg.LANGS}
        if found != {"ko": e.chapter, "en": e.chapter}:
            wrong.append(f"{e.ko} · {e.en}: glossary says chapter {e.chapter}, prose {found}")
    assert wrong == []


@pytest.mark.parametrize("lang", mg.LANGS)
def test_the_twin_a_chapter_gives_is_the_entrys_other_term(lang):
    other = mg.OTHER[lang]
    known = mg.index(ENTRIES, lang)
    wrong = []
    for use in (u for u in USES[lang] if u.twin is not None):
        entry = known.get(mg.normalize(use.term))
        if entry is None:
            continue  # reported as missing
        names = set(entry.forms(other)) | {mg.normalize(entry.abbr)} - {""}
        if not names & set(mg.twin_parts(use.twin)):
            wrong.append(f"{where(use)}: the entry's {other} term is {entry.term(other)!r}")
    assert wrong == []


def test_each_chapter_links_the_same_entries_in_both_languages():
    for source in sorted(mk.SOURCES.glob("*.md")):
        cells = mk.parse(source.read_text(encoding="utf-8"), source.name)
        linked = {}
        for lang in mg.LANGS:
            nb = mk.render(cells, lang, source.stem, ENTRIES)
            anchors = {mg.anchor(e, lang): e.en for e in ENTRIES}
            linked[lang] = {anchors[a] for c in nb.cells if c.cell_type == "markdown"
                            for _, a in LINK.findall(c.source)}
        assert linked["ko"] == linked["en"], source.name


def test_no_two_entries_share_a_term_or_an_anchor():
    for lang in mg.LANGS:
        terms = [e.term(lang) for e in ENTRIES]
        anchors = [mg.anchor(e, lang) for e in ENTRIES]
        assert len(set(terms)) == len(terms), lang
        assert len(set(anchors)) == len(anchors), lang


def test_the_anchor_is_mysts_slug_of_the_heading():
    for e in ENTRIES:
        for lang in mg.LANGS:
            assert mg.anchor(e, lang) == default_slugify(e.heading(lang))


def test_the_glossary_pages_are_fresh():
    assert mg.stale() == [], "run `make notebooks` (or tools/make_glossary.py)"


def page_entries(lang):
    """The (group, heading) of each entry, in the order the generated page lists them."""
    text = mg.page_path(lang).read_text(encoding="utf-8")
    group, found = None, []
    for level, title in HEADING.findall(text):
        if level == "##":
            group = title
        else:
            found.append((group, title))
    return found


def test_korean_entries_are_in_ganada_order_latin_first():
    found = page_entries("ko")
    assert [h for _, h in found] == [e.heading("ko") for e in mg.ordered(ENTRIES, "ko")]
    terms = [h.split(" · ")[0] for _, h in found]
    latin = [t for t in terms if re.match(r"[A-Za-z]", t)]
    assert terms[:len(latin)] == latin, "terms in Latin letters come first"
    assert latin == sorted(latin, key=str.casefold)
    hangul = [re.sub(r"[\s\-–]", "", t) for t in terms[len(latin):]]
    assert hangul == sorted(hangul), "가나다 order (Hangul syllables in code point order)"
    # ㄱ holds 가…깋 and 까…낗 (ㄲ), ㄴ from 나, and so on: the last group starting at or before
    starts = dict(zip("ㄱㄴㄷㄹㅁㅂㅅㅇㅈㅊㅋㅌㅍㅎ", "가나다라마바사아자차카타파하", strict=True))
    for group, term in zip((g for g, _ in found), terms, strict=True):
        if not re.match(r"[A-Za-z]", term):
            expected = [g for g, start in starts.items() if start <= term[0]][-1]
            assert group == expected, f"{term} under {group}, not {expected}"
        else:
            assert group == mg.LATIN_GROUP, term


def test_english_entries_are_in_case_insensitive_a_to_z_order():
    found = page_entries("en")
    assert [h for _, h in found] == [e.heading("en") for e in mg.ordered(ENTRIES, "en")]
    terms = [e.en for e in mg.ordered(ENTRIES, "en")]
    assert terms == sorted(terms, key=str.casefold)
    assert all(group == h[0].upper() for group, h in found)


def test_each_entry_links_the_chapter_that_introduces_it_in_its_language():
    for lang in mg.LANGS:
        text = mg.page_path(lang).read_text(encoding="utf-8")
        for e in ENTRIES:
            block = text.split(f"\n### {e.heading(lang)}\n", 1)[1].split("\n#", 1)[0]
            assert e.definition(lang) in block
            stem = next(s.stem for s in mk.SOURCES.glob("*.md")
                        if mg.chapter_number(s.stem) == e.chapter)
            assert f"]({stem}.ipynb)" in block, (lang, e.en)


def test_only_the_first_bold_use_in_a_chapter_is_linked():
    entry = mg.Entry(ko="경사하강법", en="gradient descent", chapter=3, ko_def="…", en_def="…")
    blocks = [
        "# **경사하강법** in a heading\n`**경사하강법**` $**x**$ [**경사하강법**](elsewhere.md)",
        "**경사하강법**(gradient descent)은 … **경사하강법**을 되풀이합니다.",
        "다시 **경사하강법**.",
    ]
    linked = mg.link_first_uses(blocks, "ko", [entry])
    assert linked[0] == blocks[0]  # headings, code, math and links are left alone
    assert linked[1] == ("[**경사하강법**](glossary.md#경사하강법--gradient-descent)"
                         "(gradient descent)은 … **경사하강법**을 되풀이합니다.")
    assert linked[2] == blocks[2]


def test_english_twins_inside_the_bold_and_after_it_are_read():
    text = "**mean squared error (MSE, 평균 제곱 오차)** and **XOR** (exclusive OR, 배타적 논리합)"
    spans = list(mg.bold_spans(text, "en"))
    assert [(s.text, s.twin) for s in spans] == [
        ("mean squared error", "MSE, 평균 제곱 오차"), ("XOR", "exclusive OR, 배타적 논리합")]
    spans = list(mg.bold_spans("**배치의 수**(10)와 **모델**(model)", "ko"))
    assert [(s.text, s.twin) for s in spans] == [("배치의 수", None), ("모델", "model")]


def test_a_data_file_with_a_duplicate_or_a_missing_key_is_rejected(tmp_path):
    path = tmp_path / "glossary.yml"
    path.write_text("- {ko: 손실, en: loss, chapter: 1, ko_def: 가, en_def: a}\n"
                    "- {ko: 손실, en: cost, chapter: 2, ko_def: 나, en_def: b}\n", encoding="utf-8")
    with pytest.raises(mg.GlossaryError, match="'손실' is also in"):
        mg.load(path)
    path.write_text("- {ko: 손실, en: loss, chapter: 1, ko_def: 가}\n", encoding="utf-8")
    with pytest.raises(mg.GlossaryError, match="missing \\['en_def'\\]"):
        mg.load(path)


@pytest.mark.parametrize("lang", mg.LANGS)
def test_notebook_links_point_to_an_entry_of_their_own_language(lang):
    anchors = {mg.anchor(e, lang) for e in ENTRIES}
    for path in sorted((mk.ROOT / "chapters" / lang).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        targets = [a for c in nb.cells if c.cell_type == "markdown"
                   for _, a in LINK.findall(c.source)]
        assert targets, f"{path.name} links no glossary entry"
        assert set(targets) <= anchors, f"{path.name}: {set(targets) - anchors}"


# --- the built book ----------------------------------------------------------------------------

HTML_LINK = re.compile(
    r'<a class="reference internal" href="([^"]*glossary\.html#[^"]*)">(.*?)</a>')
HTML_ENTRY = re.compile(r'<section id="([^"]+)">\s*<h3>(.*?)<a class="headerlink"', re.S)


def text_of(html_fragment):
    return unescape(re.sub(r"<[^>]+>", "", html_fragment)).strip()


def entry_of(link_text, lang):
    """The entry a linked bold term stands for: 'weights (가중치)' -> weight."""
    term = link_text
    if lang == "en" and (inside := mg.TRAILING_TWIN.match(term)):
        term = inside.group(1)
    return mg.index(ENTRIES, lang)[mg.normalize(term)]


@pytest.mark.parametrize("lang", mg.LANGS)
def test_built_links_land_on_the_entry_in_the_same_language(html, lang):
    glossary = (html / "chapters" / lang / "glossary.html").read_text(encoding="utf-8")
    headings = {anchor: text_of(title) for anchor, title in HTML_ENTRY.findall(glossary)}
    assert len(headings) == len(ENTRIES)
    for source in sorted(mk.SOURCES.glob("*.md")):
        page = (html / "chapters" / lang / f"{source.stem}.html").read_text(encoding="utf-8")
        links = HTML_LINK.findall(page)
        assert links, f"{lang}/{source.stem}: no glossary links"
        for href, inner in links:
            assert href.startswith("glossary.html#"), f"{lang}/{source.stem}: {href}"
            entry = entry_of(text_of(inner), lang)
            assert headings.get(href.split("#")[1]) == entry.heading(lang), (source.stem, href)


@pytest.mark.browser
@pytest.mark.parametrize("lang, heading", [("ko", "경사하강법 · gradient descent"),
                                           ("en", "gradient descent · 경사하강법")])
def test_reader_follows_a_glossary_link_to_the_entry_in_the_same_language(
        page, server, lang, heading):
    open_page(page, server, f"chapters/{lang}/03_gradient_descent")
    page.locator("main a[href*='glossary.html#']").first.click()
    page.wait_for_url(f"**/chapters/{lang}/glossary.html#*")
    assert page.evaluate("document.documentElement.lang") == lang
    landed = page.evaluate(
        "document.getElementById(decodeURIComponent(location.hash.slice(1)))"
        ".querySelector('h3').textContent")
    assert landed.rstrip("#") == heading
