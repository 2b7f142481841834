"""A local web server for the built book and a headless Chromium, shared by the browser tests
(how Chromium is started and the book served: scripts/chromium.py, shared with `make pdf`)."""

import book_site
import chromium
import pytest


@pytest.fixture(scope="session")
def server():
    """The origin (http://127.0.0.1:PORT) serving _build/html until the tests end."""
    if not book_site.HTML.is_dir():
        pytest.fail(f"no built book at {book_site.HTML}: run `make book` first")
    with chromium.serve(book_site.HTML) as origin:
        yield origin


@pytest.fixture(scope="session")
def browser():
    if chromium.missing():
        pytest.fail(chromium.missing())
    from playwright import sync_api

    with sync_api.sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    """A fresh browser profile per test, a desktop-sized window."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    yield context
    context.close()
