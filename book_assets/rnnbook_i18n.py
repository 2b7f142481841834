"""Links between the English book (at the root) and the Chinese edition (under zh/).

Every page links to its counterpart in the other language. A Chinese page whose prose has not
been translated yet (no locales/zh_CN/LC_MESSAGES/<page>.po) says so above the English text.
Display maths whose translation differs (notes in \\text{...}) is put in place by this module.
"""

from html import escape
from os import path
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.locale import init as init_locale
from sphinx.transforms import SphinxTransform
from sphinx.util.i18n import docname_to_domain

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


class TranslatedDisplayMaths(SphinxTransform):
    """Display maths with a translation (its notes in \\text{...}) shows the translated maths.

    Sphinx's Locale transform parses a literal node's translation as "::" and an indented block,
    which is reStructuredText; the MyST parser reads it as a paragraph "::", and Sphinx put that
    paragraph's text in the equation: equation 6.1 showed "::" on the Chinese page. So this runs
    just before Locale and puts the translated maths in place; Locale then finds no message for
    the new text and leaves it alone.
    """

    default_priority = 19  # sphinx.transforms.i18n.Locale is 20

    def apply(self, **kwargs):
        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        folders = [path.join(self.env.srcdir, folder) for folder in self.config.locale_dirs]
        catalog, found = init_locale(folders, self.config.language, domain)
        if not found:
            return
        for node in self.document.findall(nodes.math_block):
            message = node.rawsource or node.astext()  # as sphinx.util.nodes.extract_messages
            translated = catalog.gettext(message)
            if translated.strip() and translated != message:
                node[:] = [nodes.Text(translated)]
                node.rawsource = translated


def setup(app: Sphinx):
    app.connect("html-page-context", _language_bar)
    app.add_transform(TranslatedDisplayMaths)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
