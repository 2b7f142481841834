"""book_assets/rnnbook_html.py: the book's own changes to the HTML, on small docutils trees."""

import sys
from pathlib import Path

from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "book_assets"))
import rnnbook_html  # noqa: E402


def paragraph(*children):
    document = new_document("test", get_default_settings(Parser))
    para = nodes.paragraph("", "", *children)
    document += para
    return document, para


def test_punctuation_after_maths_keeps_every_comma_where_it_was():
    # "**Leaky units**,\n$h$ with $0 < a$,\nslow": the first "," equals the second as a string
    document, para = paragraph(
        nodes.strong(text="Leaky units"),
        nodes.Text(",\n"),
        nodes.math(text="h"),
        nodes.Text(" with "),
        nodes.math(text="0 < a"),
        nodes.Text(",\n"),
        nodes.Text("slow"),
    )
    rnnbook_html.PunctuationAfterMaths(document).run()
    assert para.astext() == "Leaky units,\nh with 0 < a,\nslow"
    groups = list(para.findall(nodes.inline))
    assert [g.astext() for g in groups] == ["0 < a,"]
    assert "rnnbook-nowrap" in groups[0]["classes"]


def test_punctuation_after_maths_splits_the_text_that_follows():
    document, para = paragraph(nodes.math(text="x"), nodes.Text(". Next sentence"))
    rnnbook_html.PunctuationAfterMaths(document).run()
    assert para.astext() == "x. Next sentence"
    assert [g.astext() for g in para.findall(nodes.inline)] == ["x."]


def test_punctuation_after_maths_holds_full_width_marks_too():
    # the Chinese edition: "，" or "。" alone at the start of a line is as wrong as "."
    document, para = paragraph(
        nodes.Text("权重 "),
        nodes.math(text="W"),
        nodes.Text("，偏置 "),
        nodes.math(text="b"),
        nodes.Text("。"),
    )
    rnnbook_html.PunctuationAfterMaths(document).run()
    assert para.astext() == "权重 W，偏置 b。"
    assert [g.astext() for g in para.findall(nodes.inline)] == ["W，", "b。"]


def test_an_opening_bracket_before_maths_stays_with_it():
    # "an unseen context (" at a line's end, "c(h)=0) passes" on the next
    document, para = paragraph(
        nodes.Text("a context ("),
        nodes.math(text="c(h)=0"),
        nodes.Text(") passes, and ("),
        nodes.math(text="x"),
        nodes.Text(" alone"),
    )
    rnnbook_html.PunctuationAfterMaths(document).run()
    assert para.astext() == "a context (c(h)=0) passes, and (x alone"
    assert [g.astext() for g in para.findall(nodes.inline)] == ["(c(h)=0)", "(x"]


def fixed(html):
    for pattern, replacement in rnnbook_html.HTML_FIXES:
        html = pattern.sub(replacement, html)
    return html


def test_every_figure_links_to_its_image_once():
    img = '<img alt="Two panels" src="../_images/ab12.png" />'
    once = fixed(f"<figure>{img}</figure>")
    assert once == f'<figure><a class="rnnbook-zoom" href="../_images/ab12.png">{img}</a></figure>'
    assert fixed(once) == once  # fix_html runs over every page at every build
