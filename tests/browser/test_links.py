"""Every link and asset reference in the built book's HTML resolves to a file and an id in it."""

import book_site
import pytest

PAGES = book_site.pages()


def test_the_book_was_built():
    assert book_site.HTML.is_dir(), f"no built book at {book_site.HTML}: run `make book` first"
    assert "index.html" in PAGES and len(PAGES) >= 4, PAGES


@pytest.mark.parametrize("page", PAGES)
def test_internal_links_resolve(page):
    _, links = book_site.scan(page)
    problems = [f"<{tag}> {why}" for tag, t in links if (why := book_site.broken(page, t))]
    assert not problems, f"{page}:\n" + "\n".join(problems)


@pytest.mark.parametrize("page", PAGES)
def test_no_address_outside_the_book_is_loaded(page):
    """Scripts, styles, images and fonts all come from the book itself: it works offline."""
    _, links = book_site.scan(page)
    loaded = [(tag, t) for tag, t in links if tag != "a" and ("://" in t or t.startswith("//"))]
    # <link rel=canonical> names the published address; it is never fetched
    external = [t for tag, t in loaded if not t.startswith("https://rnnbook.github.io/rnnbook/")]
    assert not external, f"{page} loads from the network: {external}"
