"""Headless Chromium on the built book: one place for how it is started, how the book is served
to it, and how a page is waited for. Used by `make pdf` (scripts/book_pdf.py) and by the browser
tests (tests/browser/)."""

import contextlib
import functools
import http.server
import os
import threading

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

# The first lines of every script run in a loaded page (inside `async () => { ... }`): make lazy
# images load and wait for them, for MathJax and for the fonts, so the page is as a reader sees it.
SETTLE = """
  const images = [...document.images];
  images.forEach((img) => { img.loading = "eager"; });
  await Promise.all(images.map((img) => img.complete ? null : new Promise((done) => {
    img.addEventListener("load", done); img.addEventListener("error", done);
  })));
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
  await document.fonts.ready;
"""


def missing():
    """Why Chromium cannot be driven here (one line), or None."""
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright is missing: pip install -e '.[browser]' (make pdf installs it)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"no browser at {CHROMIUM}: apt-get install chromium, or set CHROMIUM"
    return None


def launch(playwright):
    """Chromium, started the one way this project starts it."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serve(folder):
    """The origin (http://127.0.0.1:PORT) serving `folder` on a free port, until the block ends."""
    handler = functools.partial(_Quiet, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
