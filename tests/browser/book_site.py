"""The built HTML book as files: its pages, the ids each page defines, and where a link points."""

import functools
import os
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

ROOT = Path(__file__).resolve().parents[2]
HTML = Path(os.environ.get("BOOK_HTML", ROOT / "_build" / "html"))
SCREENSHOTS = ROOT / "_build" / "screenshots"
# folders of the build that hold assets and copies of sources, not pages
NOT_PAGES = {"_static", "_sources", "_images"}
# attributes that make the browser load or navigate to another file
LINK_ATTRIBUTES = {
    "a": "href",
    "link": "href",
    "img": "src",
    "script": "src",
    "source": "src",
    "iframe": "src",
}


def pages():
    """Every HTML page of the build, as paths relative to HTML ('chapters/01_neurons.html')."""
    found = [p.relative_to(HTML).as_posix() for p in HTML.rglob("*.html")]
    # the Chinese edition under zh/ has its own _static/ (with the theme's template snippets)
    return sorted(p for p in found if not NOT_PAGES & set(p.split("/")[:-1]))


class _Scan(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.links = set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        target = attrs.get(LINK_ATTRIBUTES.get(tag, ""))
        if target is not None:
            self.links.append((tag, target))


@functools.cache
def scan(page):
    """(ids defined in the page, [(tag, href or src), ...]) for a page relative to HTML."""
    parser = _Scan()
    parser.feed((HTML / page).read_text(encoding="utf-8"))
    return frozenset(parser.ids), tuple(parser.links)


def broken(page, target):
    """Why `target`, found in `page`, does not resolve inside the book; None when it does.

    External addresses (another scheme or host) are not the book's to check and return None.
    """
    base = f"http://book.invalid/{page}"
    url = urlsplit(urljoin(base, target))
    if url.scheme != "http" or url.netloc != "book.invalid":
        return None
    path = unquote(url.path.lstrip("/"))
    file = HTML / path
    if path == "" or path.endswith("/"):
        file = file / "index.html"
    if not file.is_file():
        return f"{target!r}: no file {file.relative_to(HTML).as_posix()}"
    if url.fragment and file.suffix == ".html":
        fragment = unquote(url.fragment)
        if fragment not in scan(file.relative_to(HTML).as_posix())[0]:
            return f"{target!r}: no id {fragment!r} in {file.relative_to(HTML).as_posix()}"
    return None
