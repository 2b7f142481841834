"""The whole book as one PDF, printed by headless Chromium from the built HTML (`make pdf`).

Every page of _toc.yml is opened in Debian's chromium (driven by Playwright, whose own browser
download is never used), printed to A4 with the book's print stylesheet (book_assets/static/
rnnbook.css: no sidebars, no toggle bars, hidden plotting code left out, solutions printed open
under a "Solution" label), and the pages are joined behind a title page with the contents, using
poppler's pdfunite. Nothing is fetched: the book is served from _build/html on 127.0.0.1.

    python scripts/book_pdf.py [--html _build/html] [--out _build/html/rnnbook.pdf]

Links between pages point at the published book (html.baseurl in _config.yml); links inside a
page stay inside the PDF. The footer gives the page's title and its number in the whole PDF, the
number the contents give (CSS margin boxes, with the page counter started where the page starts).
"""

import html
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import chromium
import cli
import yaml

ROOT = Path(__file__).resolve().parent.parent
MARGIN = {"top": "16mm", "bottom": "18mm", "left": "16mm", "right": "16mm"}
# A4 with the margins above; the footer in the bottom margin: the page's title and its page number
# in the whole book (Chromium's own footer template can only count from 1 in every page printed)
PAGE_STYLE = """
@page {{
  size: A4;
  margin: {top} {right} {bottom} {left};
  @bottom-left {{ content: {title}; font: 8px "DejaVu Sans", sans-serif; color: #555; }}
  @bottom-right {{ content: counter(page); font: 8px "DejaVu Sans", sans-serif; color: #555; }}
}}
@page :first {{ counter-increment: page {first}; }}
"""

# run in each page before printing: wait for images, maths and fonts; open the solutions; send
# links to other pages to the published book
PREPARE = (
    "async (published) => {"
    + chromium.SETTLE
    + """
  document.querySelectorAll("div.rnnbook-solution details").forEach((d) => { d.open = true; });
  // an animation prints its last frame, where the whole motion has been drawn
  for (const slider of document.querySelectorAll("div.animation input.anim-slider")) {
    slider.value = slider.max;
    slider.dispatchEvent(new Event("input"));
  }
  // a block taller than about 40 % of a printed page may split across pages: moved whole to
  // the next page it left most of this one empty
  for (const block of document.querySelectorAll("article table, div.cell_input, div.cell_output")) {
    if (block.getBoundingClientRect().height > 400) block.classList.add("rnnbook-may-split");
  }
  await new Promise((done) => setTimeout(done, 500));  // the toggles' fade-in
  const root = new URL(document.documentElement.dataset.content_root || "./", location.href);
  for (const a of document.querySelectorAll("article a[href]")) {
    const url = new URL(a.getAttribute("href"), location.href);
    if (url.origin !== location.origin) continue;
    if (url.pathname === location.pathname) { a.setAttribute("href", url.hash || "#"); continue; }
    a.setAttribute("href", published + url.href.slice(root.href.length));
  }
  const h1 = document.querySelector("article h1");
  return h1 ? h1.textContent.replace(/#$/, "").trim() : document.title;
}
"""
)


def css_string(text):
    """text as a quoted CSS string."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


def toc_pages():
    """The book's pages in reading order, as paths in the built HTML ('chapters/05_bptt.html')."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part.get("chapters", [])]
    return [f"{file}.html" for file in files]


def page_count(pdf):
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(
        next(line.split()[-1] for line in info.stdout.splitlines() if line.startswith("Pages:"))
    )


def title_page(book, author, chapters):
    """The title page and contents as HTML: chapters = [(title, first page), ...]."""
    rows = "".join(
        f"<tr><td>{html.escape(title)}</td><td class='n'>{page}</td></tr>"
        for title, page in chapters
    )
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(book)}</title><style>
body {{ font-family: "DejaVu Sans", sans-serif; color: #222; }}
h1 {{ font-size: 28px; margin: 60mm 0 6mm; }} p {{ font-size: 14px; }}
h2 {{ font-size: 18px; margin-top: 0; break-before: page; }}
table {{ width: 100%; border-collapse: collapse; font-size: 13px; }}
td {{ padding: 4px 0; border-bottom: 1px dotted #bbb; }} td.n {{ text-align: right; }}
</style></head><body><h1>{html.escape(book)}</h1><p>{html.escape(author)}</p>
<p>Printed from the HTML book; its interactive parts (hidden plotting code, launch buttons) are
online. Solutions to the exercises are printed after each exercise.</p>
<h2>Contents</h2><table>{rows}</table></body></html>"""


def main():
    parser = cli.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    out = args.out or args.html / "rnnbook.pdf"
    if not (args.html / "index.html").is_file():
        sys.exit(f"no built book at {args.html}: run `make book` first")
    for tool in ("pdfunite", "pdfinfo"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: apt-get install poppler-utils")
    if chromium.missing():
        sys.exit(chromium.missing())
    from playwright.sync_api import sync_playwright

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    published = config["html"]["baseurl"].rstrip("/") + "/"
    with chromium.serve(args.html) as origin, tempfile.TemporaryDirectory() as tmp:
        with sync_playwright() as playwright:
            browser = chromium.launch(playwright)
            tab = browser.new_page(viewport={"width": 1280, "height": 900})
            parts, chapters, next_page = [], [], 3  # the title page and one page of contents first
            for number, page in enumerate(toc_pages()):
                response = tab.goto(f"{origin}/{page}", wait_until="load")
                if response is None or not response.ok:
                    sys.exit(f"{page} (listed in _toc.yml) is not in {args.html}: run `make book`")
                title = tab.evaluate(PREPARE, published)
                style = PAGE_STYLE.format(title=css_string(title), first=next_page, **MARGIN)
                tab.add_style_tag(content=style)
                part = Path(tmp) / f"{number:02d}.pdf"
                tab.pdf(
                    path=part,
                    prefer_css_page_size=True,
                    print_background=True,
                    outline=True,
                    tagged=True,
                )
                parts.append(part)
                chapters.append((title, next_page))
                next_page += page_count(part)
            tab.set_content(title_page(config["title"], config["author"], chapters))
            front = Path(tmp) / "front.pdf"
            tab.pdf(path=front, format="A4", margin=MARGIN, tagged=True)
            if page_count(front) != 2:
                sys.exit(f"the title page and contents took {page_count(front)} pages, not 2")
            browser.close()
            out.parent.mkdir(parents=True, exist_ok=True)
            subprocess.run(["pdfunite", str(front), *map(str, parts), str(out)], check=True)
    print(f"{out}: {page_count(out)} pages, {len(parts)} chapters and pages of the book")


if __name__ == "__main__":
    main()
