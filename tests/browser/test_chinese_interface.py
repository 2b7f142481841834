"""The Chinese edition's interface speaks Chinese: a dropdown's hint said "Click to show".

sphinx-togglebutton writes its hints into every page and has no Chinese catalog, so
scripts/translations.py sets them for the Chinese build.
"""

import book_site
import pytest

HINTS = ("Click to show", "Click to hide")
# every page of the Chinese edition but zh/index.html, which only redirects to the introduction
CHINESE = [p for p in book_site.pages() if p.startswith("zh/") and p != "zh/index.html"]


def test_the_english_pages_have_the_hints():
    html = (book_site.HTML / "chapters/02_weights.html").read_text(encoding="utf-8")
    assert all(hint in html for hint in HINTS)  # so the test below looks for the right words


@pytest.mark.parametrize("page", CHINESE)
def test_a_chinese_page_has_no_english_hint(page):
    html = (book_site.HTML / page).read_text(encoding="utf-8")
    english = [hint for hint in HINTS if hint in html]
    assert not english, f"{page} shows English hints: {english}"
    assert "点击显示" in html
