"""Small fixes to the book's HTML, loaded by _config.yml as a local Sphinx extension."""

import hashlib
import re
from collections import Counter
from pathlib import Path

from docutils import nodes
from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput
from pybtex.plugin import register_plugin
from pybtex.style.formatting.alpha import Style as AlphaStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting.author_year_title import SortingStyle
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform


class AuthorYearLabels(BaseLabelStyle):
    """Bibliography labels that match the citations in the text: [Rumelhart et al., 1986].

    pybtex's default labels ([RHW86]) would not look like the author-year citations readers
    click on; two works with the same label in one list get 1986a, 1986b.
    """

    def format_labels(self, sorted_entries):
        labels = [self._label(entry) for entry in sorted_entries]
        repeated = {label for label, n in Counter(labels).items() if n > 1}
        suffix = Counter()
        for label in labels:
            if label in repeated:
                suffix[label] += 1
                yield f"{label}{chr(ord('a') + suffix[label] - 1)}"
            else:
                yield label

    @staticmethod
    def _label(entry):
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        names = [" ".join(n.render_as("text") for n in p.rich_last_names) for p in people]
        if len(names) > 2:
            who = f"{names[0]} et al."
        else:
            who = " and ".join(names) or entry.fields.get("title", entry.key)
        return f"{who}, {entry.fields.get('year', 'n.d.')}"


class AuthorYearSorting(SortingStyle):
    """Sorted by author, year, title, with an author in braces ({American National Election
    Studies}) sorted by its name, not after z."""

    def person_key(self, person):
        return super().person_key(person).replace("{", "").replace("}", "")


class AuthorYearStyle(AlphaStyle):
    """pybtex's alpha style with author-year labels, sorted by author, year and title."""

    default_label_style = "rnnbook_author_year"
    default_sorting_style = "rnnbook_author_year"


def _key(script):
    """What makes two script tags the same: file (None and '' alike), priority, attributes."""
    return (script.filename or "", script.priority, tuple(sorted(script.attributes.items())))


def drop_duplicate_scripts(app, pagename, templatename, context, doctree):
    """Write each script tag once.

    Extensions that register an inline script after the builder has started (sphinx-thebe's
    `THEBE_JS_URL` constants, sphinx-togglebutton's selector) get it written twice by Sphinx 7.4:
    the builder keeps the first copy with filename None, and `prepare_writing` adds the registry's
    copy again with filename '', which its duplicate check does not see as equal. The second
    `const THEBE_JS_URL` then throws "Identifier has already been declared" on every page.
    """
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    seen, unique = set(), []
    for script in scripts:
        key = _key(script) if hasattr(script, "attributes") else (str(script),)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


class SolutionPrompts(SphinxPostTransform):
    """A code cell tagged `solution` opens with "Show solution", not "Show code cell source".

    MyST-NB gives every hidden cell the same prompt, so a reader could not tell an exercise's
    solution from the plotting code of a figure. Runs just before MyST-NB's HideInputCells
    (priority 199), which copies the prompts into the toggle it builds.
    """

    default_priority = 198
    formats = ("html",)
    # (show, hide) for a solution and for other hidden code, by the book's language; the Chinese
    # edition showed MyST-NB's English prompts
    PROMPTS = {
        "en": {"solution": ("Show solution", "Hide solution"), "code": None},
        "zh_CN": {"solution": ("显示解答", "隐藏解答"), "code": ("显示代码", "隐藏代码")},
    }

    def run(self, **kwargs):
        prompts = self.PROMPTS.get(self.config.language, self.PROMPTS["en"])
        for cell in self.document.findall(nodes.container):
            if cell.get("nb_element") != "cell_code" or not cell.get("hide_mode"):
                continue
            solution = "solution" in (cell.get("cell_metadata") or {}).get("tags", [])
            chosen = prompts["solution" if solution else "code"]
            if chosen:
                cell["prompt_show"], cell["prompt_hide"] = chosen
            if solution:
                cell["classes"].append("rnnbook-solution")


def visit_hidden_cell(self, node):
    """MyST-NB's toggle, without its aria-label "Toggle hidden content".

    The label hid the words a reader sees ("Show solution", "Show code cell source") from a screen
    reader and voice control (axe-core: label-content-name-mismatch); the summary's text names it.
    """
    self.body.append(f'<details class="admonition hide {" ".join(node["classes"])}">\n<summary>\n')
    for state, key in (("collapsed", "prompt_show"), ("expanded", "prompt_hide")):
        self.body.append(f'<p class="{state} admonition-title">{self.encode(node[key])}</p>\n')
    self.body.append("</summary>\n")


# TeX in a caption, read aloud as words: \rho -> rho, W_{hh} -> W_hh, \| -> |
_TEX = [
    (re.compile(r"\\(left|right|big|Big|mathrm|text|operatorname)\b"), ""),
    (re.compile(r"\\([A-Za-z]+)"), r"\1"),
    (re.compile(r"\\(.)"), r"\1"),
    (re.compile(r"[{}$]"), ""),
]


def plain(text):
    for pattern, replacement in _TEX:
        text = pattern.sub(replacement, text)
    return re.sub(r"\s+", " ", text).strip()


class FigureAltText(SphinxPostTransform):
    """A figure's image without its own alt text gets its caption's first sentence as alt.

    Sphinx would otherwise write the file's path (alt="../_images/<hash>.png"), which a screen
    reader reads out. A figure whose caption does not say what it shows sets its own alt in the
    cell's metadata (`mystnb: image: alt: ...`), which this leaves alone.
    """

    default_priority = 400
    formats = ("html",)

    def run(self, **kwargs):
        for figure in self.document.findall(nodes.figure):
            caption = next(iter(figure.findall(nodes.caption)), None)
            for image in figure.findall(nodes.image):
                if image.get("alt") and image["alt"] != image.get("uri"):
                    continue
                if caption is None:
                    continue
                text = plain(caption.astext())
                first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0].rstrip(".")
                image["alt"] = first


class PunctuationAroundMaths(SphinxPostTransform):
    """A full stop or comma right after inline maths, and "(" right before it, stay on its line.

    Typeset maths is an inline block, so the browser may break the line between it and the "."
    that follows, leaving the full stop alone at the start of the next line (or "(" alone at the
    end of the line before).
    """

    default_priority = 400
    formats = ("html",)
    # and the full-width marks of the Chinese edition: ， 。 ： ； 、 ） ！ ？ and （
    PUNCTUATION = re.compile(
        r"^[.,;:!?)\u2019\u201d\uff0c\u3002\uff1a\uff1b\u3001\uff09\uff01\uff1f]+"
    )
    OPENING = ("(", "\uff08")

    def run(self, **kwargs):
        for math in list(self.document.findall(nodes.math)):
            parent = math.parent
            if parent is None or isinstance(parent, nodes.inline):
                continue
            index = parent.index(math)
            before = parent[index - 1] if index > 0 else None
            after = parent[index + 1] if index + 1 < len(parent) else None
            bracket = isinstance(before, nodes.Text) and str(before).endswith(self.OPENING)
            match = self.PUNCTUATION.match(str(after)) if isinstance(after, nodes.Text) else None
            if not bracket and not match:
                continue
            # by position, never by value: docutils' Text nodes compare equal as strings, so
            # parent.replace(after, ...) took the first "," of the paragraph, not this one
            first = index - 1 if bracket else index
            del parent[first : index + (2 if match else 1)]
            group = nodes.inline(classes=["rnnbook-nowrap"])
            pieces = [group]
            if bracket:
                group += nodes.Text(str(before)[-1])
                pieces.insert(0, nodes.Text(str(before)[:-1]))
            group += math
            if match:
                group += nodes.Text(match.group(0))
                pieces.append(nodes.Text(str(after)[match.end() :]))
            for offset, piece in enumerate(p for p in pieces if p.astext()):  # no empty text
                parent.insert(first + offset, piece)


class NoBreakBeforePercent(SphinxPostTransform):
    """ "21 %" keeps its "%": the space before it does not break ("%" began a line on a phone)."""

    default_priority = 400
    formats = ("html",)
    SPACED = re.compile(r"(\d) %")

    def run(self, **kwargs):
        for text in list(self.document.findall(nodes.Text)):
            if text.parent is None or isinstance(
                text.parent, nodes.FixedTextElement | nodes.literal | nodes.math
            ):
                continue  # code and its output are shown as they are
            if self.SPACED.search(str(text)):
                text.parent.replace(text, nodes.Text(self.SPACED.sub("\\1\u00a0%", str(text))))


# patterns in the theme's and docutils' HTML that axe-core reports, and what replaces them, in
# every language the book is built in (checked by tests/browser: a theme upgrade that changes
# them shows up as an axe violation)
HTML_FIXES = [
    # a list of citations whose items said role="doc-biblioentry" (deprecated), so the list had no
    # list items (axe: aria-required-children, critical)
    (re.compile(r'role="doc-biblioentry"'), 'role="listitem"'),
    # the search field's label "Search" hid its visible "Ctrl+K" (label-content-name-mismatch)
    (re.compile(r'(<button class="btn search-button-field [^>]*?) aria-label="[^"]*"'), r"\1"),
    # the colour-mode icons' titles ("Light", "Dark") are visible text that the button's label
    # "Color mode" lacked
    (re.compile(r'(<i class="theme-switch [^>]*?data-mode="\w+")\s*title="[^"]*"'), r"\1"),
    # not for axe: a solution's title "Solution to<a> Exercise 2.1</a>" underlined the space before
    # "Exercise"; the space goes before the link
    (
        re.compile(r'(<p class="admonition-title">[^<]*?)(<a class="reference internal" [^>]*>) '),
        r"\1 \2",
    ),
    # not for axe: every figure links to its image at full size, so that on a phone, where a
    # figure of several panels is a strip of thumbnails, a tap opens it to zoom into (a figure
    # already linked, from an earlier build of the same page, is left as it is)
    (
        re.compile(
            r'(<a class="rnnbook-zoom"[^>]*>)?(<img alt="[^"]*" src="([^"]*_images/[^"]+)" />)'
        ),
        lambda m: (
            m.group(0)
            if m.group(1)
            else f'<a class="rnnbook-zoom" href="{m.group(3)}">{m.group(2)}</a>'
        ),
    ),
]


# an entry of a chapter's reference list and its label: [TensorFlow team, 2025a]
CITATION_LABEL = re.compile(
    r'<div class="citation" id="([^"]+)"[^>]*>\s*<span class="label">'
    r'<span class="fn-bracket">\[</span>(.*?)<span class="fn-bracket">\]</span>'
)
# a link in the text to such an entry; its text may hold tags ("Cho <em>et al.</em>, 2014")
CITATION_LINK = re.compile(r'(<a class="reference internal" href="#([^"]+)"[^>]*>)(.*?)</a>')


def citations_name_their_entry(html):
    """A citation in the text ends with its entry's letter: "TensorFlow team, 2025a".

    The reference list tells apart two works of one author and year by a letter (AuthorYearLabels),
    but sphinxcontrib-bibtex writes the citations in the text without it, so chapter 8's three
    "TensorFlow team, 2025" could not be told apart.
    """
    # a label that links back to its one citation is itself a link: its text is the label
    found = ((key, re.sub(r"<[^>]+>", "", label)) for key, label in CITATION_LABEL.findall(html))
    labels = {key: label for key, label in found if re.search(r"\d{4}[a-z]$", label)}

    def with_letter(link):
        label = labels.get(link.group(2))
        if label is None or not link.group(3).endswith(label[-5:-1]):
            return link.group(0)  # not a lettered entry, or already has its letter
        return f"{link.group(1)}{link.group(3)}{label[-1]}</a>"

    return CITATION_LINK.sub(with_letter, html) if labels else html


# interface words of the theme, Sphinx and matplotlib's animations that have no Simplified Chinese
# catalog: the Chinese edition showed "Search this book...", "Open issue", "Once / Loop / Reflect"
# and English tooltips and screen-reader labels (tests/browser/test_chinese_interface.py)
CHINESE_INTERFACE = {
    "Search this book...": "搜索本书……",
    "Open issue": "创建议题",
    "Repository": "源码库",
    "Source repositories": "源码库",
    "Color mode": "颜色模式",
    "Main": "主导航",
    "Page": "本页导航",
    "Toggle primary sidebar": "显示或隐藏主侧栏",
    "Toggle secondary sidebar": "显示或隐藏次侧栏",
    "Launch on Binder": "在 Binder 上运行",
    "Launch interactive content": "运行交互式内容",
    "Binder logo": "Binder 标志",
    "Link to this heading": "链接到此标题",
    "Link to this term": "链接到此术语",
    "Link to this image": "链接到此图片",
    "Link to this equation": "链接到此公式",
    "列印成 PDF": "打印为 PDF",  # the theme's word is not Simplified Chinese usage
    # matplotlib's animation controls (to_jshtml)
    "Play": "播放",
    "Play backwards": "倒放",
    "Pause": "暂停",
    "First frame": "第一帧",
    "Last frame": "最后一帧",
    "Previous frame": "上一帧",
    "Next frame": "下一帧",
    "Increase speed": "加快",
    "Decrease speed": "减慢",
    "Repetition mode": "重复方式",
    "frame": "帧",
    "Once": "一次",
    "Loop": "循环",
    "Reflect": "往返",
}
INTERFACE_TEXT = re.compile(
    r'((?:title|aria-label|data-bs-title|placeholder|alt)="'
    r'|<span class="btn__text-container">|<label for="_anim_radio\d_\w+">)([^"<]+)(?=["<])'
)


def interface_in_chinese(html):
    """The interface words of CHINESE_INTERFACE in Chinese, wherever they are a whole value."""
    return INTERFACE_TEXT.sub(
        lambda m: m.group(1) + CHINESE_INTERFACE.get(m.group(2).strip(), m.group(2)), html
    )


def fix_html(app, exception):
    """Apply HTML_FIXES to every page written (the theme's templates are not the book's)."""
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = original = page.read_text(encoding="utf-8")
        for pattern, replacement in HTML_FIXES:
            text = pattern.sub(replacement, text)
        text = citations_name_their_entry(text)
        if (app.config.language or "").startswith("zh"):
            text = interface_in_chinese(text)
        if text != original:
            page.write_text(text, encoding="utf-8")


def add_templates(app, config):
    """book_assets/templates holds the sidebar's links to the PDF and to the index."""
    config.templates_path.append(str(Path(__file__).parent / "templates"))


STATIC = Path(__file__).parent / "static"


def pages_outdated_by_assets(app, env, added, changed, removed):
    """Every page, when book_assets/static changed since the last build.

    Sphinx copies the static files only when some page is out of date, and each page names its
    stylesheet with a checksum: without this, `make book` after a change to rnnbook.css alone
    kept the old one."""
    digest = hashlib.sha256()
    for path in sorted(STATIC.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(STATIC).as_posix().encode() + path.read_bytes())
    if getattr(env, "rnnbook_assets", None) == digest.hexdigest():
        return []
    env.rnnbook_assets = digest.hexdigest()
    return sorted(env.found_docs - set(added) - set(changed))


def setup(app: Sphinx):
    register_plugin("pybtex.style.labels", "rnnbook_author_year", AuthorYearLabels)
    register_plugin("pybtex.style.sorting", "rnnbook_author_year", AuthorYearSorting)
    # _config.yml selects it with bibtex_default_style
    register_plugin("pybtex.style.formatting", "rnnbook_author_year", AuthorYearStyle)
    # after every extension's own html-page-context handlers have added their scripts
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    app.connect("config-inited", add_templates)
    app.connect("env-get-outdated", pages_outdated_by_assets)
    app.connect("build-finished", fix_html)
    app.add_post_transform(SolutionPrompts)
    app.add_post_transform(FigureAltText)
    app.add_post_transform(PunctuationAroundMaths)
    app.add_post_transform(NoBreakBeforePercent)
    app.add_node(HideCodeCellNode, override=True, html=(visit_hidden_cell, depart_HideCellInput))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
