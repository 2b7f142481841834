"""Links between the English book (at the root) and the Chinese edition (under zh/).

Every page links to its counterpart in the other language. A Chinese page whose prose has not
been translated yet (no locales/zh_CN/LC_MESSAGES/<page>.po) says so above the English text.
"""

from html import escape
from pathlib import Path

from sphinx.application import Sphinx

CHINESE = "zh_CN"
LINKS = {
    # language of the page: (counterpart's folder from the root, its language tag, link text)
    "en": ("zh/", "zh-Hans", "简体中文"),
    CHINESE: ("../", "en", "English"),
}
UNTRANSLATED = "本页尚未译成中文，下面是英文原文。"


def _language_bar(app: Sphinx, pagename, templatename, context, doctree):
    if doctree is None or "body" not in context:
        return
    language = app.config.language if app.config.language == CHINESE else "en"
    folder, tag, text = LINKS[language]
    up = "../" * pagename.count("/")
    href = escape(f"{up}{folder}{pagename}.html")
    bar = f'<p class="rnnbook-language"><a href="{href}" hreflang="{tag}" lang="{tag}">{text}</a>'
    if language == CHINESE and not _translated(app, pagename):
        bar += f' <span class="rnnbook-untranslated">{UNTRANSLATED}</span>'
    context["body"] = bar + "</p>\n" + context["body"]


def _translated(app, pagename):
    catalogs = Path(app.srcdir) / "locales" / CHINESE / "LC_MESSAGES"
    return (catalogs / f"{pagename}.po").exists()


def setup(app: Sphinx):
    app.connect("html-page-context", _language_bar)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
