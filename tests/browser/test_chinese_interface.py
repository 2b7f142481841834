"""The Chinese edition's interface speaks Chinese.

It said "Click to show" on every dropdown, "Search this book..." in the search field, "Open issue"
in the header, "Once / Loop / Reflect" under the animations, and its screen readers read English
tooltips, labels and figure descriptions: sphinx-togglebutton, the theme and matplotlib have no
Simplified Chinese catalog for them, and Sphinx does not translate the alt texts of notebook
outputs. scripts/translations.py and book_assets (rnnbook_html.CHINESE_INTERFACE,
rnnbook_i18n.TranslatedFigureTexts) put them in Chinese.
"""

import re

import book_site
import pytest

HINTS = ("Click to show", "Click to hide")
# every page of the Chinese edition but zh/index.html, which only redirects to the introduction
CHINESE = [p for p in book_site.pages() if p.startswith("zh/") and p != "zh/index.html"]
# what a reader sees or a screen reader reads out: attributes, header buttons, animation controls
INTERFACE = re.compile(
    r'(?:title|aria-label|data-bs-title|placeholder|alt)="([^"]+)"'
    r'|<span class="btn__text-container">([^<]+)<|<label for="_anim_radio\d_\w+">([^<]+)<'
)
HAN = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
# may stay as they are: a name, file types, and a reference's title (author, title, year)
KEPT = {"Binder", ".ipynb", ".pdf", ".md"}
REFERENCE = re.compile(r"\b(1[89]|20)\d\d\b")


def read(page):
    return (book_site.HTML / page).read_text(encoding="utf-8")


def test_the_english_pages_have_the_hints():
    html = read("chapters/02_weights.html")
    assert all(hint in html for hint in HINTS)  # so the test below looks for the right words


@pytest.mark.parametrize("page", CHINESE)
def test_a_chinese_page_has_no_english_interface(page):
    html = read(page)
    assert not [hint for hint in HINTS if hint in html], f"{page} shows English toggle hints"
    assert "点击显示" in html
    values = ("".join(groups).strip() for groups in INTERFACE.findall(html))
    english = sorted(
        {v for v in values if not HAN.search(v) and v not in KEPT and not REFERENCE.search(v)}
    )
    assert not english, f"{page}: interface text or alt text not in Chinese: {english[:5]}"


def test_the_chinese_figures_are_described_in_chinese():
    # the animations (chapters 4-6) and figures with their own alt text (chapters 1-3, 8, 9)
    for page in ("zh/chapters/01_neurons.html", "zh/chapters/05_bptt.html"):
        alts = re.findall(r'<img [^>]*alt="([^"]+)"', read(page))
        assert alts and all(HAN.search(alt) for alt in alts), (page, alts)
