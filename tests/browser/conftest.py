"""A local web server for the built book and a headless Chromium, shared by the browser tests."""

import functools
import http.server
import os
import threading

import book_site
import pytest

# Debian's chromium; Playwright's own browser download is not used (and not reachable here)
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# as root and on a closed network: no sandbox, no GPU, and no background calls to Google's hosts
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def server():
    """The origin (http://127.0.0.1:PORT) serving _build/html until the tests end."""
    if not book_site.HTML.is_dir():
        pytest.fail(f"no built book at {book_site.HTML}: run `make book` first")
    handler = functools.partial(_QuietHandler, directory=str(book_site.HTML))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright import sync_api
    except ImportError:
        pytest.fail("the browser test needs Playwright: pip install -e '.[browser]'")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"no browser at {CHROMIUM}: `apt-get install chromium`, or set CHROMIUM")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    """A fresh browser profile per test, a desktop-sized window."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    yield context
    context.close()
