"""book_assets/rnnbook_html.py: the book's own changes to the HTML, on small docutils trees."""

import sys
from pathlib import Path

import pytest
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


def test_punctuation_around_maths_keeps_every_comma_where_it_was():
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
    rnnbook_html.PunctuationAroundMaths(document).run()
    assert para.astext() == "Leaky units,\nh with 0 < a,\nslow"
    groups = list(para.findall(nodes.inline))
    assert [g.astext() for g in groups] == ["0 < a,"]
    assert "rnnbook-nowrap" in groups[0]["classes"]


@pytest.mark.parametrize(
    "children, grouped",
    [
        # the text after the full stop goes on after the group
        ([nodes.math(text="x"), nodes.Text(". Next sentence")], ["x."]),
        # the Chinese edition: "，" or "。" alone at the start of a line is as wrong as "."
        (
            [nodes.Text("权重 "), nodes.math(text="W"), nodes.Text("，偏置 "), nodes.math(text="b")]
            + [nodes.Text("。")],
            ["W，", "b。"],
        ),
        # "an unseen context (" was left at a line's end, "c(h)=0) passes" on the next
        (
            [nodes.Text("a context ("), nodes.math(text="c(h)=0"), nodes.Text(") passes, and (")]
            + [nodes.math(text="x"), nodes.Text(" alone")],
            ["(c(h)=0)", "(x"],
        ),
    ],
)
def test_punctuation_around_maths_stays_with_it(children, grouped):
    document, para = paragraph(*children)
    text = "".join(child.astext() for child in children)
    rnnbook_html.PunctuationAroundMaths(document).run()
    assert para.astext() == text  # nothing lost, nothing moved
    assert [g.astext() for g in para.findall(nodes.inline)] == grouped
    assert all("rnnbook-nowrap" in g["classes"] for g in para.findall(nodes.inline))


def fixed(html):
    for pattern, replacement in rnnbook_html.HTML_FIXES:
        html = pattern.sub(replacement, html)
    return html


def test_every_figure_links_to_its_image_once():
    img = '<img alt="Two panels" src="../_images/ab12.png" />'
    once = fixed(f"<figure>{img}</figure>")
    assert once == f'<figure><a class="rnnbook-zoom" href="../_images/ab12.png">{img}</a></figure>'
    assert fixed(once) == once  # fix_html runs over every page at every build


def test_a_citation_names_its_entry_with_the_entry_letter():
    entry = (
        '<div class="citation" id="id{n}" role="listitem">\n<span class="label">'
        '<span class="fn-bracket">[</span>TensorFlow team, 2025{letter}'
        '<span class="fn-bracket">]</span></span>'
    )
    cite = '<a class="reference internal" href="#id{n}" title="t">{text}</a>'
    html = (
        cite.format(n=1, text="TensorFlow team, 2025")
        + cite.format(n=2, text="2025")
        + cite.format(n=3, text="Elman, 1990")
        + cite.format(n=4, text="Cho <em>et al.</em>, 2014")
        + entry.format(n=1, letter="a")
        + entry.format(n=2, letter="b")
        + entry.format(n=3, letter="").replace("TensorFlow team, 2025", "Elman, 1990")
        # an entry cited once: its label links back to the citation
        + entry.format(n=4, letter="").replace(
            "TensorFlow team, 2025", '<a role="doc-backlink" href="#c4">Cho et al., 2014b</a>'
        )
    )
    fixed_once = rnnbook_html.citations_name_their_entry(html)
    assert cite.format(n=1, text="TensorFlow team, 2025a") in fixed_once
    assert cite.format(n=2, text="2025b") in fixed_once  # a textual citation's year
    assert cite.format(n=3, text="Elman, 1990") in fixed_once
    assert cite.format(n=4, text="Cho <em>et al.</em>, 2014b") in fixed_once
    assert rnnbook_html.citations_name_their_entry(fixed_once) == fixed_once  # every build


def apply_html_fixes(html):
    for pattern, replacement in rnnbook_html.HTML_FIXES:
        html = pattern.sub(replacement, html)
    return html


@pytest.mark.parametrize("words", ["Solution to", "\u89e3\u7b54"])  # English, Chinese
def test_a_solution_title_does_not_underline_the_space_before_its_exercise(words):
    link = '<a class="reference internal" href="#ch02-ex-bowl">'
    title = f'<p class="admonition-title">{words}{link} Exercise 2.2</a></p>'
    fixed = apply_html_fixes(title)
    assert fixed == f'<p class="admonition-title">{words} {link}Exercise 2.2</a></p>'
    assert apply_html_fixes(fixed) == fixed  # every build


def test_a_percent_sign_stays_with_its_number():
    document, para = paragraph(
        nodes.Text("shares of 5.2 %, 1.6 % and 21 %"), nodes.literal(text="print('21 %')")
    )
    para += nodes.literal_block(text="21 %")
    rnnbook_html.NoBreakBeforePercent(document).run()
    assert para[0].astext() == "shares of 5.2\u00a0%, 1.6\u00a0% and 21\u00a0%"
    assert para[1].astext() == "print('21 %')" and para[2].astext() == "21 %"  # code untouched
