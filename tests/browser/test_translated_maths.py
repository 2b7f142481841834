"""The Chinese edition shows the English edition's display maths: only notes in \\text{} differ.

Sphinx once put "::" in place of every display equation whose notes were translated (equation 6.1
and three others on the Chinese pages): book_assets/rnnbook_i18n.py puts the translation in place.
"""

import re

import book_site
import pytest

DISPLAY = re.compile(r'<div class="math notranslate nohighlight"[^>]*>(.*?)</div>', re.S)
EQNO = re.compile(r'<span class="eqno">.*?</span>', re.S)
NOTE = re.compile(r"\\text\{[^{}]*\}")
CHINESE = [p for p in book_site.pages() if p.startswith("zh/chapters/")]


def display_maths(page):
    html = (book_site.HTML / page).read_text(encoding="utf-8")
    # line breaks inside the maths may differ; TeX ignores them
    return [
        re.sub(r"\s+", "", NOTE.sub(r"\\text{}", EQNO.sub("", m))) for m in DISPLAY.findall(html)
    ]


def test_there_are_chinese_pages_with_maths():
    assert len(CHINESE) >= 10 and display_maths("zh/chapters/06_lstm_gru.html")


@pytest.mark.parametrize("page", CHINESE)
def test_display_maths_is_the_english_maths(page):
    english, chinese = display_maths(page.removeprefix("zh/")), display_maths(page)
    assert len(chinese) == len(english), f"{page}: {len(chinese)} equations, English {len(english)}"
    changed = [(e[:80], c[:80]) for e, c in zip(english, chinese, strict=True) if e != c]
    assert not changed, f"{page}: display maths differs from the English: {changed}"
