"""Sphinx glue for the bilingual book.

Sphinx builds in one language; the Korean pages still need ``<html lang="ko">`` so that
browsers, screen readers and search engines treat them as Korean.
"""

KOREAN_PREFIX = "chapters/ko/"


def set_page_language(app, pagename, templatename, context, doctree):
    if pagename.startswith(KOREAN_PREFIX):
        context["language"] = "ko"


def setup(app):
    app.connect("html-page-context", set_page_language)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
