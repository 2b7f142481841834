"""The page as a reader sees it: nothing cut off, figures readable, accessible, printable.

At 1280x800 and at 768 px wide, no display equation, table, code block, output, figure or box
sticks out of the text column or hides its end behind a scroll bar; every figure is shown at 80%
of its drawn size or more and has alt text that is not a file name; axe-core finds no critical or
serious accessibility violation; formulas are not keyboard stops; the whole-book PDF exists, is
newer than the pages, and holds every page of the table of contents. At a phone's 390 px, the page
does not scroll sideways and no inline formula runs past the column outside a box that scrolls.

Problems that need a chapter's notebook changed are listed in KNOWN, each with what is wrong; the
test fails when a listed problem is gone, so that the list only shrinks. The numbers of a run are
written to _build/reading-report.json (chapters/testing.md quotes them).
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import book_site
import chromium
import pytest
import yaml
from test_pages import open_page

# every page but the start pages, which only redirect to the introduction (measured as itself)
PAGES = [p for p in book_site.pages() if p.rsplit("/", 1)[-1] != "index.html"]
PDF = book_site.HTML / "rnnbook.pdf"
AXE = Path(os.environ.get("AXE", book_site.ROOT / "_build/axe/node_modules/axe-core/axe.min.js"))
WIDTHS = (1280, 768)
# a figure may be scaled down to 80% of its drawn size: the book's 10-point labels at 100 dpi stay
# at 11 CSS px, a legend's 8 points at 9 px (rnnbook/plotting.py draws them to fit the column)
MIN_SCALE = 0.8
SERIOUS = ("critical", "serious")

# (page without the zh/ prefix, check, what): a problem that the chapter's notebook must fix.
# `what` is the start of the element's text (overflow), or the id of the figure or, without one,
# of the section holding the image (scale, alt).
KNOWN: set[tuple[str, str, str]] = set()  # none left (chapter 7's two equations are split)

# Runs in a page: what sticks out of the column or is cut, the figures, and the tab stops.
MEASURE = (
    "async () => {"
    + chromium.SETTLE
    + """
  await new Promise((done) => setTimeout(done, 400));  // rnnbook.js runs after load
  const article = document.querySelector("article.bd-article");
  if (!article) return null;
  const style = getComputedStyle(article);
  const right = article.getBoundingClientRect().right - parseFloat(style.paddingRight);
  const text = (el) => (el.textContent || "").trim().replace(/\\s+/g, "").slice(0, 60);
  const where = (el) => {
    const figure = el.closest("figure[id]");
    return figure ? figure.id : (el.closest("section[id]") || {}).id || "";
  };
  const boxes = "pre, table, mjx-container[display='true'], figure, img, div.cell_input, "
    + "div.cell_output, div.admonition, details, dl, blockquote, div.animation";
  const overflow = [];
  for (const el of article.querySelectorAll(boxes)) {
    const box = el.getBoundingClientRect();
    if (box.width === 0) continue;
    const hidden = el.scrollWidth > el.clientWidth + 1 && el.tagName !== "IMG";
    if (hidden || box.right > right + 1) {
      const width = Math.max(el.scrollWidth, Math.round(box.width));
      overflow.push({ tag: el.tagName.toLowerCase(), text: text(el), width,
        room: Math.round(right - box.left) });
    }
  }
  const figures = images.filter((img) => article.contains(img) && img.naturalWidth > 0
    && !img.closest("div.animation")).map((img) => ({
      where: where(img), src: img.getAttribute("src"), alt: img.getAttribute("alt") || "",
      scale: img.width / img.naturalWidth, drawn: img.naturalWidth, shown: img.width,
    }));
  const stops = [...document.querySelectorAll("mjx-container")].filter((m) => m.tabIndex >= 0
    && !(m.scrollWidth > m.clientWidth + 1)).length;
  return { overflow, figures, stops };
}
"""
)

# Runs in a page at a phone's width: the page itself must not scroll sideways, and inline maths
# must not run past the column unless it is inside a box that scrolls (rnnbook.js, rnnbook.css).
PHONE = (
    "async () => {"
    + chromium.SETTLE
    + """
  await new Promise((done) => setTimeout(done, 400));  // rnnbook.js runs after load
  const article = document.querySelector("article.bd-article");
  if (!article) return null;
  const right = article.getBoundingClientRect().right
    - parseFloat(getComputedStyle(article).paddingRight);
  const root = document.documentElement;
  const scrolls = ".rnnbook-wide-maths, mjx-container[display='true'], pre, table, "
    + ".pst-scrollable-table-container";
  const cut = [...article.querySelectorAll("mjx-container:not([display='true'])")]
    .filter((m) => !m.parentElement.closest(scrolls) && m.getBoundingClientRect().right > right + 1)
    .map((m) => (m.textContent || "").slice(0, 40));
  // anything else (an animation's player, a figure, a box) must end inside the column; a
  // heading's link mark is shown only under a mouse pointer
  const wide = [...article.querySelectorAll("*")]
    .filter((e) => !e.closest("mjx-container, a.headerlink") && !e.matches(scrolls)
      && !e.parentElement.closest(scrolls)
      && e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().right > right + 1)
    .map((e) => e.tagName.toLowerCase() + "." + [...e.classList].join(".") + " "
      + Math.round(e.getBoundingClientRect().right - right) + " px");
  return { sideways: root.scrollWidth > root.clientWidth + 1, cut, wide };
}
"""
)
PHONE_SIZE = {"width": 390, "height": 844}

AXE_RUN = """
async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return { version: axe.version, violations: result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")), count: v.nodes.length })) };
}
"""


def _known(page, check):
    page = page.removeprefix("zh/")
    return {what for p, c, what in KNOWN if p == page and c == check}


@pytest.fixture(scope="session")
def report():
    """Collects each page's numbers and writes them to _build/reading-report.json at the end."""
    numbers = {"pages": {}}
    yield numbers
    path = book_site.HTML.parent / "reading-report.json"
    path.write_text(json.dumps(numbers, indent=1, ensure_ascii=False, sort_keys=True))


def _is_a_file_name(alt, src):
    """Empty, the image's address, or a path or file name (no spaces, an image's extension)."""
    alt = alt.strip()
    return (
        not alt or alt == src or re.fullmatch(r"\S*(/\S*|\.(png|jpe?g|svg|gif))", alt) is not None
    )


@pytest.mark.parametrize("page", PAGES)
def test_page_as_a_reader_sees_it(context, server, page, report):
    if not AXE.is_file():
        pytest.fail(f"no axe-core at {AXE}: `make browser-test` installs it from npm")
    tab, problems = open_page(context, server, page)
    seen = {}
    for width in WIDTHS:
        tab.set_viewport_size({"width": width, "height": 800})
        seen[width] = tab.evaluate(MEASURE)
    if seen[1280] is None:  # a page without an article: the search page
        return
    tab.set_viewport_size(PHONE_SIZE)
    phone = tab.evaluate(PHONE)
    tab.set_viewport_size({"width": 1280, "height": 800})
    tab.add_script_tag(path=str(AXE))
    axe = tab.evaluate(AXE_RUN)
    serious = [v for v in axe["violations"] if v["impact"] in SERIOUS]
    figures = seen[1280]["figures"]
    small = [f for f in figures if f["scale"] < MIN_SCALE]
    no_alt = [f for f in figures if _is_a_file_name(f["alt"], f["src"])]
    report["axe"] = axe["version"]
    report["pages"][page] = {
        "overflowing elements at 1280 px": len(seen[1280]["overflow"]),
        "overflowing elements at 768 px": len(seen[768]["overflow"]),
        "figures": len(figures),
        "figures scaled below 80%": len(small),
        "figures without alt text": len(no_alt),
        "axe critical or serious violations": sum(v["count"] for v in serious),
        "axe violations of any impact": sum(v["count"] for v in axe["violations"]),
        "formulas that are tab stops": seen[1280]["stops"],
    }

    assert not problems, f"{page}:\n" + "\n".join(problems)
    assert not serious, f"{page}: axe-core {axe['version']}:\n" + json.dumps(serious, indent=1)
    assert seen[1280]["stops"] == 0, f"{page}: {seen[1280]['stops']} formulas are tab stops"
    assert not phone["sideways"], f"{page}: at 390 px the page scrolls sideways"
    assert not phone["cut"], f"{page}: at 390 px inline maths is cut off: {phone['cut']}"
    assert not phone["wide"], f"{page}: at 390 px past the column's edge: {phone['wide'][:5]}"
    unexpected, found = [], set()
    for width in WIDTHS:
        for item in seen[width]["overflow"]:
            known = [k for k in _known(page, "overflow") if item["text"].startswith(k)]
            found.update(known)
            if not known:
                unexpected.append(f"{width} px: {item}")
    assert not unexpected, f"{page}: wider than the column, or cut off:\n" + "\n".join(unexpected)
    for check, bad, say in [
        ("scale", small, f"shown below {MIN_SCALE:.0%} of its drawn size"),
        ("alt", no_alt, "without alt text that says what it shows"),
    ]:
        known = _known(page, check)
        unexpected = [f for f in bad if f["where"] not in known]
        assert not unexpected, f"{page}: figures {say}:\n" + json.dumps(unexpected, indent=1)
        found.update(f"{check}:{f['where']}" for f in bad)
    listed = {what for p, c, what in KNOWN if p == page.removeprefix("zh/") and c == "overflow"}
    listed |= {f"{c}:{w}" for p, c, w in KNOWN if p == page.removeprefix("zh/") and c != "overflow"}
    gone = listed - found
    assert not gone, f"{page}: fixed, so remove from KNOWN in {__file__}: {sorted(gone)}"


def test_formulas_and_solutions_read_as_such(context, server):
    """Solutions say "Show solution"; plotting code says "Show code cell source"."""
    tab, _ = open_page(context, server, "chapters/04_recurrence.html")
    solution = tab.locator("div.rnnbook-solution summary").first
    assert solution.inner_text().strip() == "Show solution"
    code = tab.locator("div.tag_hide-input:not(.rnnbook-solution) summary").first
    assert code.inner_text().strip() == "Show code cell source"
    bar = "(s) => getComputedStyle(s.parentElement).borderLeftColor"  # the box's left bar
    assert solution.evaluate(bar) != code.evaluate(bar), "a solution's toggle looks like code's"
    # and its green bar fills the box, with no white strip at either side
    box = solution.evaluate(
        "(s) => [s.getBoundingClientRect(), s.parentElement.getBoundingClientRect()]"
        ".map((r) => [r.left, r.right])"
    )
    border = solution.evaluate(
        "(s) => parseFloat(getComputedStyle(s.parentElement).borderLeftWidth)"
    )
    assert abs(box[0][0] - box[1][0] - border) < 1 and abs(box[0][1] - box[1][1]) < 1, box
    # and in the reader's language in the Chinese edition
    tab, _ = open_page(context, server, "zh/chapters/04_recurrence.html")
    assert tab.locator("div.rnnbook-solution summary").first.inner_text().strip() == "显示解答"
    code = tab.locator("div.tag_hide-input:not(.rnnbook-solution) summary").first
    assert code.inner_text().strip() == "显示代码"


FONTS = """() => Object.fromEntries(["div.cell_input pre", "div.cell_output pre", "p", "mjx-c"]
  .map((css) => [css, getComputedStyle(document.querySelector("article " + css)).fontFamily]))"""


def test_the_chinese_edition_sets_code_and_maths_as_the_english_does(context, server):
    """Only the Chinese words of an English page get a CJK face: on the Chinese edition's pages a
    rule on the page's language gave code, outputs and maths a CJK face ("LST M", tables askew)."""
    english, _ = open_page(context, server, "chapters/06_lstm_gru.html")
    chinese, _ = open_page(context, server, "zh/chapters/06_lstm_gru.html")
    fonts = english.evaluate(FONTS), chinese.evaluate(FONTS)
    for css in ("div.cell_input pre", "div.cell_output pre", "mjx-c"):
        assert fonts[0][css] == fonts[1][css], f"{css}: {fonts[0][css]} / {fonts[1][css]}"
    assert "CJK" not in fonts[0]["p"], f"English text in a CJK face: {fonts[0]['p']}"
    glossary, _ = open_page(context, server, "chapters/glossary.html")
    term = glossary.locator("dl.glossary span[lang]").first
    assert "CJK" in term.evaluate("(t) => getComputedStyle(t).fontFamily"), "no CJK face"


def test_sidebar_shows_the_title_once_and_links_the_pdf_and_index(context, server):
    tab, _ = open_page(context, server, "chapters/07_generation.html")
    tab.evaluate("() => new Promise((done) => setTimeout(done, 300))")
    assert tab.evaluate("() => document.querySelector('div.bd-sidebar').scrollTop") == 0
    title = yaml.safe_load((book_site.ROOT / "_config.yml").read_text())["title"]
    nav = tab.locator(".bd-sidebar-primary nav.bd-docs-nav").inner_text()
    assert title not in nav, "the book's title is listed again among the chapters"
    more = tab.locator("nav.rnnbook-more a")
    hrefs = more.evaluate_all("(links) => links.map((a) => a.getAttribute('href'))")
    assert [h.rsplit("/", 1)[-1] for h in hrefs] == ["rnnbook.pdf", "genindex.html"], hrefs


def test_the_book_prints_as_one_pdf():
    """make pdf wrote the whole book, after the pages it prints, with every chapter in it."""
    assert PDF.is_file(), f"no {PDF}: run `make pdf`"
    assert shutil.which("pdftotext"), "pdftotext is missing: apt-get install poppler-utils"
    newest = max((book_site.HTML / p).stat().st_mtime for p in PAGES if not p.startswith("zh/"))
    assert PDF.stat().st_mtime >= newest, "the PDF is older than the book's pages: run `make pdf`"
    info = subprocess.run(["pdfinfo", PDF], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    text = subprocess.run(["pdftotext", PDF, "-"], capture_output=True, text=True, check=True)
    contents = text.stdout.split("\f")[1]
    toc = yaml.safe_load((book_site.ROOT / "_toc.yml").read_text())
    files = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    titles = []
    for file in files:
        html = (book_site.HTML / f"{file}.html").read_text(encoding="utf-8")
        article = html[html.index("<article") :]
        h1 = re.search(r"<h1[^>]*>(.*?)<a class=\"headerlink\"", article, re.S).group(1)
        titles.append(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", h1)).strip())
    missing = [t for t in titles if t not in re.sub(r"\s+", " ", contents)]
    assert not missing, f"the PDF's contents lack: {missing}"
    assert pages >= 2 + len(files) * 3, f"{pages} pages for {len(files)} pages of the book"
