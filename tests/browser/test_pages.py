"""Every page of the built book, opened in headless Chromium as a reader would open it.

Run with `make browser-test`, which builds the book, installs what this needs and serves nothing
itself: the `server` fixture serves _build/html on 127.0.0.1 for the duration of the tests.
"""

import re
from urllib.parse import urlsplit

import book_site
import chromium
import pytest
import yaml

PAGES = book_site.pages()
SOURCES = book_site.HTML / "_sources"
NOTEBOOK_PAGES = [p for p in PAGES if (SOURCES / p).with_suffix(".ipynb").exists()]
CONFIG = yaml.safe_load((book_site.ROOT / "_config.yml").read_text(encoding="utf-8"))
LAUNCH = CONFIG.get("launch_buttons") or {}

# Runs in the page once it has loaded: make lazy images load, wait for them, for MathJax and for
# the fonts, then report what a reader would see.
INSPECT = (
    "async () => {"
    + chromium.SETTLE
    + """

  const snippet = (el) => (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 80);
  const math = [...document.querySelectorAll(".math")];
  // the page's text, sidebars and print-only parts included, without code, typeset maths, scripts
  const article = document.body.cloneNode(true);
  article.querySelectorAll("pre, code, script, style, textarea, mjx-container, mjx-assistive-mml")
    .forEach((el) => el.remove());
  return {
    brokenImages: images.filter((img) => !(img.complete && img.naturalWidth > 0))
      .map((img) => img.getAttribute("src")),
    mathElements: math.length,
    mathContainers: document.querySelectorAll("mjx-container").length,
    untypeset: math.filter((el) => !el.querySelector("mjx-container")).map(snippet),
    mathErrors: [...document.querySelectorAll("mjx-merror, [data-mjx-error]")].map(snippet),
    prose: article.textContent,
    errorBlocks: [...document.querySelectorAll(
      ".output.stderr, .output.traceback, .output.error, .system-message, .problematic"
    )].map(snippet),
    links: [...document.querySelectorAll("a[href]")].map((a) => a.href),
    // a citation must lead to the bibliography at the end of its own page
    strayCitations: [...document.querySelectorAll(".bibtex-citation a")].filter((a) => {
      const entry = document.getElementById(decodeURIComponent(a.hash.slice(1)));
      return a.pathname !== location.pathname || !entry || !entry.matches(".citation");
    }).map((a) => `${a.textContent} -> ${a.getAttribute("href")}`),
  };
}
"""
)
# TeX that MathJax should have turned into maths, or that a bibliography entry left as it was
# (\texttt{...}); code and typeset maths are already removed from the text searched
RAW_TEX = re.compile(r"\\\(|\\\)|\\\[|\\\]|\$\$|\$[^$\s][^$\n]*\$|\\[a-zA-Z]{2,}")


def screenshot(tab, page, full=True):
    """What a reader sees first (NAME.png), and the whole page (NAME-full.png)."""
    book_site.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = page.replace("/", "__").removesuffix(".html")
    tab.screenshot(path=book_site.SCREENSHOTS / f"{name}.png")
    if full:
        tab.screenshot(path=book_site.SCREENSHOTS / f"{name}-full.png", full_page=True)


def open_page(context, server, page):
    """Load `page`, recording console errors, uncaught exceptions and every failed request."""
    problems = []
    tab = context.new_page()

    def only_the_book(route):
        if route.request.url.startswith(server + "/"):
            route.continue_()
        else:
            problems.append(f"request outside the book: {route.request.url}")
            route.abort()

    tab.route("**/*", only_the_book)
    tab.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    tab.on("pageerror", lambda e: problems.append(f"uncaught: {e}"))
    tab.on("requestfailed", lambda r: problems.append(f"failed: {r.url} {r.failure}"))
    tab.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))
    tab.goto(f"{server}/{page}", wait_until="load")
    if 'http-equiv="Refresh"' in (book_site.HTML / page.split("?")[0]).read_text()[:500]:
        # index.html only sends the reader on to the first chapter
        tab.wait_for_url(lambda url: not url.endswith(f"/{page}"))
        tab.wait_for_load_state("load")
    return tab, problems


@pytest.mark.parametrize("page", PAGES)
def test_page_reads_as_intended(context, server, page):
    tab, problems = open_page(context, server, page)
    seen = tab.evaluate(INSPECT)
    # a long chapter on a busy 2-core machine took over the default 30 s once (chapter 3)
    tab.wait_for_load_state("networkidle", timeout=120_000)
    screenshot(tab, page)

    assert not problems, f"{page}:\n" + "\n".join(problems)
    assert not seen["brokenImages"], f"{page}: images that did not load: {seen['brokenImages']}"
    assert not seen["untypeset"], f"{page}: maths MathJax did not typeset: {seen['untypeset']}"
    assert seen["mathContainers"] >= seen["mathElements"], seen
    assert not seen["mathErrors"], f"{page}: TeX errors: {seen['mathErrors']}"
    raw = [m.group(0) for m in RAW_TEX.finditer(seen["prose"])]
    assert not raw, f"{page}: raw TeX left in the text: {raw[:5]}"
    assert not seen["errorBlocks"], f"{page}: error or stderr blocks: {seen['errorBlocks']}"
    assert not seen["strayCitations"], f"{page}: citations leading away: {seen['strayCitations']}"
    shown = urlsplit(tab.url).path.lstrip("/")
    internal = [u for u in seen["links"] if u.startswith(server + "/")]
    broken = [why for u in internal if (why := book_site.broken(shown, u.removeprefix(server)))]
    assert not broken, f"{page}: links that do not resolve:\n" + "\n".join(broken)


def test_search_finds_lstm(context, server):
    tab, problems = open_page(context, server, "search.html?q=LSTM")
    results = tab.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=30_000)
    hrefs = [urlsplit(h).path for h in results.evaluate_all("(links) => links.map((a) => a.href)")]
    screenshot(tab, "search-LSTM")
    assert not problems, "\n".join(problems)
    assert any(h.startswith("/chapters/") for h in hrefs), hrefs
    assert all(book_site.broken("search.html", h) is None for h in hrefs), hrefs


@pytest.mark.parametrize("page", NOTEBOOK_PAGES)
def test_notebook_page_offers_download_and_launch(context, server, page):
    tab, _ = open_page(context, server, page)
    download = tab.locator(".dropdown-download-buttons a[href$='.ipynb']")
    assert download.count() == 1, f"{page}: no .ipynb download button"
    notebook = download.get_attribute("href")
    assert book_site.broken(page, notebook) is None, notebook
    launch = tab.locator(".dropdown-launch-buttons a").evaluate_all("(a) => a.map((x) => x.href)")
    stem = page.removesuffix(".html")
    services = ["mybinder.org"]
    # a JupyterHub button only where _config.yml names a hub (a course sets its own)
    if LAUNCH.get("jupyterhub_url"):
        services.append("/hub/user-redirect/git-pull")
    for service in services:
        assert any(service in url and stem in url for url in launch), (service, launch)
    # Colab would open the notebook without the book's package and data
    assert not any("colab" in url for url in launch), launch


def test_solutions_stay_hidden_until_asked(context, server):
    """Exercise solutions are dropdowns: closed on arrival, open on a click."""
    for page in NOTEBOOK_PAGES:
        tab, _ = open_page(context, server, page)
        solutions = tab.locator(".solution.dropdown")
        if solutions.count():
            break
    else:
        pytest.fail("no notebook page has a solution dropdown")
    first = solutions.first
    body = first.locator("section").first
    assert not body.is_visible(), f"{page}: a solution is open before it is asked for"
    first.locator("button.toggle-button").click()
    body.wait_for(state="visible", timeout=5_000)


@pytest.mark.parametrize("page", PAGES)
def test_page_fits_a_phone_screen(browser, server, page):
    """At 390 px wide nothing pushes the page sideways; wide code and tables scroll in place."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    try:
        tab, problems = open_page(context, server, page)
        tab.evaluate(INSPECT)
        width = tab.evaluate("() => document.scrollingElement.scrollWidth")
        screenshot(tab, page.removesuffix(".html") + "-phone.html", full=False)
        assert not problems, f"{page}:\n" + "\n".join(problems)
        assert width <= 390, f"{page} is {width} px wide on a 390 px screen"
    finally:
        context.close()
