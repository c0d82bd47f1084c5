"""The built book, its server and an offline Chromium tab (from test_html.py), for every test of
the book here. Module-scoped: each test module builds the book once."""

from test_html import browser, html, page, server  # noqa: F401
