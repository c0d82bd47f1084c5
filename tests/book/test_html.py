"""The built book, as Sphinx writes it and as a reader's browser shows it (offline)."""

import re
from pathlib import Path

import make_notebooks as mk
import pytest
import yaml

TOC = yaml.safe_load((mk.ROOT / "_toc.yml").read_text(encoding="utf-8"))
PAGES = {p["caption"]: [c["file"] for c in p["chapters"]] for p in TOC["parts"]}
KO_PAGES, EN_PAGES = PAGES["한국어"], PAGES["English"]
SCREENSHOTS = mk.ROOT / "_build" / "screenshots"
# Jupyter Book 1's sphinx-thebe declares this constant twice on every page; it is harmless.
KNOWN_CONSOLE_ERRORS = ("THEBE_JS_URL",)
# What an image's alt text looks like when it is only where the image came from.
FILE_NAME = re.compile(r"\.(png|svg|jpe?g|gif)\b|^[\w./-]+$", re.IGNORECASE)


def read(html, page):
    return (html / f"{page}.html").read_text(encoding="utf-8")


def test_every_toc_page_is_built(html):
    for page in ["index", *KO_PAGES, *EN_PAGES]:
        assert (html / f"{page}.html").exists(), page


def test_korean_pages_declare_korean_and_english_pages_english(html):
    for page in KO_PAGES:
        assert '<html lang="ko"' in read(html, page), page
    for page in EN_PAGES:
        assert '<html lang="en"' in read(html, page), page


def test_each_chapter_links_to_its_twin(html):
    for ko, en in zip(KO_PAGES, EN_PAGES, strict=True):
        stem = Path(ko).name
        assert f'href="../en/{stem}.html"' in read(html, ko)
        assert f'href="../ko/{stem}.html"' in read(html, en)


def test_every_page_names_the_books_icon_so_browsers_do_not_ask_for_favicon_ico(html):
    pages = [p for p in html.rglob("*.html") if "_static" not in p.parts]  # not theme templates
    assert len(pages) > 2 * len(KO_PAGES)
    for page in pages:
        assert '<link rel="icon" href="' in page.read_text(encoding="utf-8"), page.name


def test_no_page_fetches_scripts_or_styles_from_the_network(html):
    remote = re.compile(r'<(?:script|link)\b[^>]*\b(?:src|href)="(?:https?:)?//[^"]+"')
    for page in html.rglob("*.html"):
        found = remote.findall(page.read_text(encoding="utf-8"))
        assert not found, f"{page.relative_to(html)} loads {found}"


def open_page(tab, server, page):
    tab.goto(f"{server}/{page}.html", wait_until="networkidle")
    tab.evaluate("document.fonts.ready")
    return tab


def unexpected(errors):
    return [e for e in errors if not any(k in e for k in KNOWN_CONSOLE_ERRORS)]


@pytest.mark.browser
def test_reader_chooses_korean_then_switches_to_english(page, server):
    open_page(page, server, "index")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "index.png")
    # A real click on the card's title: the card's stretched link takes it, as for a reader.
    box = page.get_by_text("한국어로 읽기").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(f"**/{KO_PAGES[0]}.html")
    assert page.evaluate("document.documentElement.lang") == "ko"
    page.get_by_role("link", name=mk.SWITCH_LABEL["ko"]).first.click()
    page.wait_for_url(f"**/{EN_PAGES[0]}.html")
    assert page.evaluate("document.documentElement.lang") == "en"


@pytest.mark.browser
@pytest.mark.parametrize("chapter", KO_PAGES + EN_PAGES)
def test_chapter_renders_offline_without_errors(page, server, chapter):
    open_page(page, server, chapter)
    page.screenshot(path=SCREENSHOTS / f"{chapter.replace('/', '_')}.png", full_page=False)
    images = page.evaluate(
        "[...document.querySelectorAll('main img')].map(i => [i.naturalWidth, i.alt])")
    assert all(width > 0 for width, _ in images), f"figures not shown: {images}"
    if Path(chapter).name[0].isdigit():  # a chapter, not the glossary or the report
        assert images, "a chapter without figures"
    file_names = [alt for _, alt in images if not alt.strip() or FILE_NAME.search(alt)]
    assert file_names == [], "alt text must describe the image, not be empty or a file name"
    if page.locator("main .math").count():  # MathJax, served by the book, typesets the math
        page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise")
        page.evaluate("MathJax.startup.promise")
        assert page.locator("main mjx-container").count() >= page.locator("main .math").count()
    assert page.blocked == [], f"tried the network: {page.blocked}"
    assert unexpected(page.errors) == []


# Marks one visible element of each kind (tag and class) whose own text holds Hangul.
MARK_HANGUL_ELEMENTS = """() => {
  const kinds = [];
  for (const el of document.querySelectorAll("body *")) {
    const own = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.data).join("");
    const kind = el.tagName + "." + el.className;
    if (/[\\uac00-\\ud7a3]/.test(own) && el.getClientRects().length && !kinds.includes(kind)
        && !el.closest("mjx-assistive-mml")) {
      el.setAttribute("data-hangul", kinds.length);
      kinds.push(kind);
    }
  }
  return kinds;
}"""


@pytest.mark.browser
@pytest.mark.parametrize("page_name", ["index"] + KO_PAGES + EN_PAGES)
def test_hangul_is_drawn_with_the_books_web_font(page, server, page_name):
    # Ask Chromium which fonts it really drew each kind of element with (prose, headings,
    # navigation, code, math): Hangul drawn in a Latin font would be empty boxes.
    open_page(page, server, page_name)
    kinds = page.evaluate(MARK_HANGUL_ELEMENTS)
    assert kinds, "no Hangul on the page"
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    drawn = {}
    for index, kind in enumerate(kinds):
        selector = f'[data-hangul="{index}"]'
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        if fonts:  # Chromium reports nothing for some inline spans; their block is checked
            drawn[kind] = {f["familyName"] for f in fonts}
    assert len(drawn) >= len(kinds) // 2, f"too few elements measured: {drawn}"
    missing = {kind: fonts for kind, fonts in drawn.items() if "dlbook Hangul" not in fonts}
    assert missing == {}, f"Hangul drawn without the Hangul face: {missing}"
