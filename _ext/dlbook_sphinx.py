"""Sphinx glue for the bilingual book.

Sphinx builds in one language (here English). The Korean pages still need to read as Korean:

- ``<html lang="ko">``, so that browsers, screen readers and search engines treat them as Korean;
- the interface in Korean (search, contents, previous / next, header buttons, footer): while a
  Korean page is written, Sphinx and the themes translate through Korean catalogues, the words
  below first and the catalogues Sphinx and sphinx-book-theme ship for the rest;
- search in Korean: their search box goes to ``search-ko.html``, a Korean search page whose
  results list the Korean chapters first.

The book also gets a bilingual ``404.html``, Korean first. Page addresses do not change.
The scripts this adds to some pages live in ``_ext/static``: Jupyter Book puts every script
under ``_static`` on every page.
"""

import gettext
import shutil
from pathlib import Path

import sphinx
import sphinx.locale
import sphinx_book_theme
from docutils import nodes

STATIC = Path(__file__).parent / "static"
KOREAN_PREFIX = "chapters/ko/"
KOREAN_SEARCH = "search-ko"
NOT_FOUND = "404"

# English interface label -> Korean. Looked up before the Korean catalogues of Sphinx and
# sphinx-book-theme, which lack the labels of pydata-sphinx-theme and word some others oddly
# ("Contents" -> "내용", "By" -> "으로").
KOREAN = {
    # header, sidebars, footer (pydata-sphinx-theme, sphinx-book-theme)
    "Skip to main content": "본문으로 건너뛰기",
    "Back to top": "맨 위로",
    "Search": "검색",
    "Search this book...": "이 책에서 검색…",
    "Site navigation": "사이트 탐색",
    "Section Navigation": "구역 탐색",
    "Version warning": "버전 경고",
    "Announcement": "공지",
    "On this page": "이 페이지의 목차",
    "Contents": "목차",
    "Download this page": "이 페이지 내려받기",
    "Download source file": "원본 파일 내려받기",
    "Download notebook file": "노트북 파일 내려받기",
    "Print to PDF": "PDF로 인쇄",
    "Fullscreen mode": "전체 화면",
    "Color mode": "색상 모드",
    "Light": "밝게",
    "Dark": "어둡게",
    "System Settings": "시스템 설정 따르기",
    "Toggle navigation": "탐색 메뉴 열기/닫기",
    "previous": "이전",
    "next": "다음",
    "previous page": "이전 페이지",
    "next page": "다음 페이지",
    "Breadcrumb": "이동 경로",
    "Home": "처음",
    "By": "지은이:",
    "dlbook contributors": "dlbook 기여자 일동",
    "© Copyright %(copyright)s.": "© %(copyright)s. 저작권 보유.",
    # search page
    "Error": "오류",
    "Please activate JavaScript to enable the search functionality.":
        "검색하려면 JavaScript를 켜 주세요.",
    # Sphinx's links beside headings, figures, tables and code
    "Link to this heading": "이 제목으로 가는 링크",
    "Link to this image": "이 그림으로 가는 링크",
    "Link to this table": "이 표로 가는 링크",
    "Link to this code": "이 코드로 가는 링크",
    "Link to this equation": "이 식으로 가는 링크",
    "Link to this definition": "이 정의로 가는 링크",
    # MyST-NB's folded code cells
    "Show code cell source": "코드 보기",
    "Hide code cell source": "코드 숨기기",
    "Show code cell output": "출력 보기",
    "Hide code cell output": "출력 숨기기",
    "Show code cell outputs": "출력 보기",
    "Hide code cell outputs": "출력 숨기기",
    "Show code cell content": "코드 셀 보기",
    "Hide code cell content": "코드 셀 숨기기",
}

# Labels the themes write straight into their templates, not through gettext: replaced in the
# written Korean pages.
KOREAN_HTML = {
    'title="Toggle primary sidebar"': 'title="탐색 메뉴 열기/닫기"',
    'title="Toggle secondary sidebar"': 'title="목차 열기/닫기"',
    'aria-label="Main"': 'aria-label="책 목차"',
    '<nav aria-label="Page">': '<nav aria-label="페이지 목차">',
    'aria-label="Toggle hidden content"': 'aria-label="숨긴 내용 보기/숨기기"',
}

# Where the Korean catalogues of the two message domains the templates use live.
CATALOGUES = {
    "sphinx": Path(sphinx.locale.__file__).parent,
    "booktheme": Path(sphinx_book_theme.get_html_theme_path()) / "static" / "locales",
}
# Sphinx's Korean messages for its JavaScript (search results, "Hide Search Matches").
SPHINX_KOREAN_JS = CATALOGUES["sphinx"] / "ko" / "LC_MESSAGES" / "sphinx.js"

NOT_FOUND_BODY = """\
<section lang="ko">
  <h1>페이지를 찾을 수 없습니다</h1>
  <p>찾으시는 페이지가 없습니다. 주소가 바뀌었거나 잘못 입력되었을 수 있습니다.
     <a href="{index}">첫 페이지</a>에서 다시 시작하거나
     <a href="{search_ko}">검색</a>해 보세요.</p>
</section>
<section lang="en">
  <h2>Page not found</h2>
  <p>There is no page at this address: it may have moved, or the address may be mistyped.
     Start again from the <a href="{index}">first page</a>, or <a href="{search}">search</a>.</p>
</section>
"""

# The host shows 404.html at the missing address itself, so its relative links would point under
# that address: when shown under chapters/, they are made to start from the book's root.
NOT_FOUND_BASE = """
<script>
  (() => {
    const at = location.pathname.lastIndexOf("/chapters/");
    if (at >= 0) {
      const base = document.createElement("base");
      base.href = location.pathname.slice(0, at + 1);
      document.head.prepend(base);
    }
  })();
</script>"""


def is_korean(pagename):
    return pagename.startswith(KOREAN_PREFIX) or pagename in (KOREAN_SEARCH, NOT_FOUND)


class KoreanMessages(gettext.NullTranslations):
    """The words of ``KOREAN`` first, then the shipped Korean catalogue."""

    def __init__(self, fallback):
        super().__init__()
        self.add_fallback(fallback)

    def gettext(self, message):
        return KOREAN.get(message) or super().gettext(message)


def prepare_translators(app):
    """The English translators Sphinx set up, and Korean ones for the same message domains."""
    app.dlbook_translators = {
        "en": {domain: sphinx.locale.translators["general", domain] for domain in CATALOGUES},
        "ko": {domain: KoreanMessages(gettext.translation(domain, path, ["ko"], fallback=True))
               for domain, path in CATALOGUES.items()},
    }


def speak(app, language):
    """Make Sphinx, the themes and the page templates translate into ``language``."""
    translators = app.dlbook_translators[language]
    for domain, translator in translators.items():
        sphinx.locale.translators["general", domain] = translator
    if templates := getattr(app.builder, "templates", None):
        templates.environment.install_gettext_translations(translators["sphinx"])


def translate_page_body(app, doctree, docname):
    """Before a page's body is written: its language for Sphinx's labels, Korean cell prompts."""
    if not hasattr(app, "dlbook_translators"):
        return
    speak(app, "ko" if is_korean(docname) else "en")
    if is_korean(docname):
        korean = app.dlbook_translators["ko"]["sphinx"]
        for node in doctree.findall(nodes.Element):
            for key in ("prompt_show", "prompt_hide"):  # MyST-NB's folded code cells
                if isinstance(node.get(key), str):
                    node[key] = korean.gettext(node[key])


def choose_page_language(app, pagename, templatename, context, doctree):
    """Runs before the themes fill in a page's labels: they translate in the page's language."""
    speak(app, "ko" if is_korean(pagename) else "en")


def korean_page_context(app, pagename, templatename, context, doctree):
    """Runs after the themes: what they set outside gettext, and the Korean search."""
    if pagename == KOREAN_SEARCH:
        # Templates treat it as the search page: pydata-sphinx-theme then loads the search
        # scripts once, not twice.
        context["pagename"] = "search"
    if pagename in ("search", KOREAN_SEARCH):
        app.add_js_file("dlbook-search.js", loading_method="defer")
    if not is_korean(pagename):
        return
    korean = app.dlbook_translators["ko"]["sphinx"]
    context["language"] = "ko"
    for key in ("theme_search_bar_text", "author"):
        if isinstance(context.get(key), str):
            context[key] = korean.gettext(context[key])
    pathto = context["pathto"]
    context["pathto"] = lambda name, *args, **kwargs: pathto(
        KOREAN_SEARCH if name == "search" else name, *args, **kwargs)
    app.add_js_file("translations-ko.js")
    app.add_js_file("dlbook-ko.js")


def extra_pages(app):
    """The Korean search page and the 404 page, rendered by the theme like any page."""
    yield KOREAN_SEARCH, {}, "search.html"

    def uri(page):
        return app.builder.get_target_uri(page)

    body = NOT_FOUND_BODY.format(
        index=uri(app.config.root_doc), search=uri("search"), search_ko=uri(KOREAN_SEARCH))
    yield NOT_FOUND, {
        "title": "페이지를 찾을 수 없습니다 · Page not found",
        "body": body,
        "metatags": NOT_FOUND_BASE,
    }, "page.html"


def finish_korean_pages(app, exception):
    """Korean pages: the labels the themes write outside gettext."""
    if exception is not None or not hasattr(app, "dlbook_translators"):
        return
    speak(app, "en")
    outdir = Path(app.outdir)
    pages = [*(outdir / KOREAN_PREFIX).rglob("*.html"),
             outdir / f"{KOREAN_SEARCH}.html", outdir / f"{NOT_FOUND}.html"]
    for page in pages:
        html = original = page.read_text(encoding="utf-8")
        for english, korean in KOREAN_HTML.items():
            html = html.replace(english, korean)
        if html != original:
            page.write_text(html, encoding="utf-8")


def start(app):
    """The scripts for some pages, Sphinx's Korean messages for its scripts, the translators."""
    if app.builder.format == "html":
        app.config.html_static_path.append(str(STATIC))
        static = Path(app.outdir, "_static")
        static.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SPHINX_KOREAN_JS, static / "translations-ko.js")
        prepare_translators(app)


def number_no_figures(app, config):
    """The chapters number their own figures (그림 3.1 / Figure 3.1, in the caption); Sphinx's
    book-wide "Fig. N", which sphinx-jupyterbook-latex turns back on whatever _config.yml says,
    would put an English number before every Korean caption."""
    config.numfig = False


def setup(app):
    app.connect("config-inited", number_no_figures, priority=900)
    app.connect("builder-inited", start)
    app.connect("doctree-resolved", translate_page_body)
    app.connect("html-page-context", choose_page_language, priority=100)
    app.connect("html-page-context", korean_page_context, priority=900)
    app.connect("html-collect-pages", extra_pages)
    app.connect("build-finished", finish_korean_pages)
    # A page is translated while it is written, through Sphinx's shared translators: Sphinx
    # writes one page at a time.
    return {"parallel_read_safe": True, "parallel_write_safe": False}
