"""Korean pages speak Korean: the interface around a chapter, search and the 404 page.

The book is built once in English; _ext/dlbook_sphinx.py translates the interface of the pages
under chapters/ko, of the Korean search page and of the 404 page. The fixtures (the built book,
its server, an offline Chromium tab) come from conftest.py.
"""

import re

import pytest
import yaml
from test_html import EN_PAGES, KO_PAGES, SCREENSHOTS, mk, open_page, read, unexpected

COPYRIGHT = yaml.safe_load((mk.ROOT / "_config.yml").read_text(encoding="utf-8"))["copyright"]

# What the reader sees around a chapter: (where, CSS selector, attribute or None for the text,
# Korean, English). Every element the selector finds must carry the label.
LABELS = [
    ("skip link", "#pst-skip-link a", None, "본문으로 건너뛰기", "Skip to main content"),
    ("search box", "form.bd-search input[name=q]", "placeholder", "이 책에서 검색…",
     "Search this book..."),
    ("search button", "button.search-button-field", "aria-label", "검색", "Search"),
    ("search button text", ".search-button__default-text", None, "검색", "Search"),
    ("contents", ".page-toc.tocsection.onthispage", None, "목차", "Contents"),
    ("download button", ".dropdown-download-buttons > button", "aria-label",
     "이 페이지 내려받기", "Download this page"),
    (".ipynb entry", ".btn-download-source-button", "title", "원본 파일 내려받기",
     "Download source file"),
    (".pdf entry", ".btn-download-pdf-button", "title", "PDF로 인쇄", "Print to PDF"),
    ("fullscreen", ".btn-fullscreen-button", "title", "전체 화면", "Fullscreen mode"),
    ("theme button", ".theme-switch-button", "aria-label", "색상 모드", "Color mode"),
    ("light theme", ".theme-switch[data-mode=light]", "title", "밝게", "Light"),
    ("dark theme", ".theme-switch[data-mode=dark]", "title", "어둡게", "Dark"),
    ("system theme", ".theme-switch[data-mode=auto]", "title", "시스템 설정 따르기",
     "System Settings"),
    ("navigation toggle", "button.primary-toggle.btn", "title", "탐색 메뉴 열기/닫기",
     "Toggle primary sidebar"),
    ("contents toggle", "button.secondary-toggle.btn", "title", "목차 열기/닫기",
     "Toggle secondary sidebar"),
    ("previous", ".left-prev .prev-next-subtitle", None, "이전", "previous"),
    ("previous page", "a.left-prev", "title", "이전 페이지", "previous page"),
    ("back to top", "#pst-back-to-top", None, "맨 위로", "Back to top"),
    ("author", ".component-author", None, "지은이: dlbook 기여자 일동", "By dlbook contributors"),
    ("copyright", "p.copyright", None, f"© {COPYRIGHT}. 저작권 보유.", f"© Copyright {COPYRIGHT}."),
    ("heading links", ":is(h1, h2, h3, h4) > a.headerlink", "title", "이 제목으로 가는 링크",
     "Link to this heading"),
]
# Only on some pages: the last page has no next one, not every page has code or folded cells.
LABELS_WHERE_PRESENT = [
    ("copy button", ".copybtn", "data-tooltip", "복사", "Copy"),
    ("next", ".right-next .prev-next-subtitle", None, "다음", "next"),
    ("next page", "a.right-next", "title", "다음 페이지", "next page"),
    ("folded code", ".cell:not(.tag_hide-cell) > details.hide p.collapsed", None, "코드 보기",
     "Show code cell source"),
    ("folded solution", ".tag_hide-cell > details.hide p.collapsed", None, "풀이 보기",
     "Show solution"),
]

# The label of each element a selector finds. Bootstrap moves a tooltip's title aside, and
# Font Awesome turns an icon's title into the <title> of the SVG it draws.
LABELS_OF = """([selector, attribute]) => [...document.querySelectorAll(selector)].map(el =>
  attribute ? el.getAttribute(attribute) ?? el.getAttribute("data-bs-original-title")
                ?? el.querySelector("title")?.textContent
            : el.textContent.trim())"""


def shown_labels(tab, table, language):
    """{where: (labels found, label expected)} for the rows of ``table``."""
    column = 3 if language == "ko" else 4
    return {row[0]: (tab.evaluate(LABELS_OF, [row[1], row[2]]), row[column]) for row in table}


def check_labels(tab, language):
    found = shown_labels(tab, LABELS, language)
    missing = [where for where, (labels, _) in found.items() if not labels]
    assert missing == [], f"not on the page: {missing}"
    found |= shown_labels(tab, LABELS_WHERE_PRESENT, language)
    wrong = {where: labels for where, (labels, expected) in found.items()
             if any(label != expected for label in labels)}
    assert wrong == {}, f"labels not in the page's language: {wrong}"


@pytest.mark.browser
@pytest.mark.parametrize("chapter", KO_PAGES)
def test_korean_pages_show_korean_interface_labels(page, server, chapter):
    open_page(page, server, chapter)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"ui_{chapter.replace('/', '_')}.png")
    check_labels(page, "ko")
    assert page.blocked == [], f"tried the network: {page.blocked}"
    assert unexpected(page.errors) == []


@pytest.mark.browser
@pytest.mark.parametrize("chapter", EN_PAGES)
def test_english_pages_keep_the_english_interface(page, server, chapter):
    open_page(page, server, chapter)
    check_labels(page, "en")
    assert unexpected(page.errors) == []


@pytest.mark.browser
def test_korean_tooltips_are_drawn_with_the_hangul_face(page, server):
    # Bootstrap's tooltips have their own font: without the book's Hangul face a reader without a
    # Korean font sees empty boxes (test_html.py checks the rest of the page).
    open_page(page, server, KO_PAGES[1])
    page.locator(".btn-fullscreen-button").hover()
    tooltip = page.locator(".tooltip.show .tooltip-inner")
    tooltip.wait_for()
    assert tooltip.inner_text() == "전체 화면"
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": ".tooltip.show "
                                          ".tooltip-inner"})["nodeId"]
    fonts = {f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode",
                                               {"nodeId": node})["fonts"]}
    assert "dlbook Hangul" in fonts, fonts


def test_no_english_label_is_left_in_the_korean_pages_attributes(html):
    english = {row[4] for row in LABELS + LABELS_WHERE_PRESENT}
    attribute = re.compile(r'\b(?:title|aria-label|placeholder|data-bs-title)="([^"]*)"')
    for chapter in KO_PAGES:
        left = english & set(attribute.findall(read(html, chapter)))
        assert not left, f"{chapter}: {left}"


def test_korean_pages_search_the_korean_search_page(html):
    for chapter in KO_PAGES:
        assert 'action="../../search-ko.html"' in read(html, chapter), chapter
    for chapter in EN_PAGES:
        assert 'action="../../search.html"' in read(html, chapter), chapter
    assert '<html lang="ko"' in read(html, "search-ko")


@pytest.mark.browser
@pytest.mark.parametrize(("language", "results_page"), [("ko", "search-ko"), ("en", "search")])
def test_search_lists_pages_in_the_searchers_language_first(page, server, language, results_page):
    # A reader on a chapter types into the search dialog (Ctrl+K) and presses Enter.
    chapter = (KO_PAGES if language == "ko" else EN_PAGES)[1]
    open_page(page, server, chapter)
    page.keyboard.press("Control+k")
    query = page.locator("#pst-search-dialog input[name=q]")
    query.fill("gradient")
    query.press("Enter")
    page.wait_for_url(f"**/{results_page}.html?q=gradient")
    # Sphinx writes the summary once the search has finished.
    page.wait_for_function("document.querySelector('#search-results .search-summary')"
                           "?.textContent.trim()")
    if language == "ko":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "ui_search-ko.png")
        summary = page.locator("#search-results .search-summary").inner_text()
        assert re.search(r"[\uac00-\ud7a3]", summary), summary
        assert page.locator("main h1").first.inner_text() == "검색"
        assert page.locator("#search-results h2").text_content() == "검색 결과"
    assert page.evaluate("document.documentElement.lang") == language
    links = page.evaluate(
        "[...document.querySelectorAll('#search-results li a')].map(a => a.getAttribute('href'))")
    languages = [m[1] for link in links if (m := re.match(r"chapters/(ko|en)/", link))]
    assert {"ko", "en"} <= set(languages), links  # the query is found in both languages
    assert languages == sorted(languages, key=lambda found: found != language), links
    assert page.blocked == [], f"tried the network: {page.blocked}"
    assert unexpected(page.errors) == []


@pytest.mark.browser
def test_404_page_is_korean_first_then_english(page, server, html):
    tab = open_page(page, server, "404")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=SCREENSHOTS / "ui_404.png")
    assert tab.evaluate("document.documentElement.lang") == "ko"
    sections = tab.evaluate(
        "[...document.querySelectorAll('main section[lang]')].map(s => s.lang)")
    assert sections == ["ko", "en"]
    assert tab.locator("main h1").last.inner_text() == "페이지를 찾을 수 없습니다"
    assert tab.locator("#pst-skip-link a").inner_text() == "본문으로 건너뛰기"
    for link in tab.evaluate("[...document.querySelectorAll('main section a')].map(a => a.href)"):
        assert (html / link.removeprefix(server + "/")).is_file(), link
    assert tab.blocked == [], f"tried the network: {tab.blocked}"
    assert unexpected(tab.errors) == []


@pytest.mark.browser
def test_404_page_shown_at_a_missing_chapter_address_still_finds_the_book(page, server, html):
    # A host shows 404.html at the missing address itself, here under chapters/ko/.
    missing = f"{server}/chapters/ko/99_missing.html"
    page.route(missing, lambda route: route.fulfill(status=404, path=html / "404.html"))
    page.goto(missing, wait_until="networkidle")
    assert page.evaluate("getComputedStyle(document.querySelector('.bd-header')).display") == "flex"
    for link in page.evaluate("[...document.querySelectorAll('main section a')].map(a => a.href)"):
        assert (html / link.removeprefix(server + "/")).is_file(), link
    # Chromium fetches ahead of the page's script that sets the book's root, in vain; those
    # requests fail, the page then loads what it needs.
    errors = [e for e in unexpected(page.errors) if not e.startswith("Failed to load resource")]
    assert errors == []
