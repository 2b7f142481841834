"""Links between the English book (at the root) and the Chinese edition (under zh/).

Every page links to its counterpart in the other language. A Chinese page whose prose has not
been translated yet (no locales/zh_CN/LC_MESSAGES/<page>.po) says so above the English text.
Display maths whose translation differs (notes in \\text{...}) is put in place by this module,
and so are the translated alt texts of figures and animations.
"""

import re
from html import escape, unescape
from os import path
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.locale import init as init_locale
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
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


def _catalog(transform):
    """The page's translations (a catalog that translates nothing in the English build)."""
    domain = docname_to_domain(transform.env.docname, transform.config.gettext_compact)
    folders = [path.join(transform.env.srcdir, folder) for folder in transform.config.locale_dirs]
    return init_locale(folders, transform.config.language, domain)


# an animation's image in its HTML (rnnbook.plotting.animation writes the alt)
ANIMATION_ALT = re.compile(r'(<img id="_anim_img\w+" alt=")([^"]*)(")')


class TranslatedFigureTexts(SphinxPostTransform):
    """A figure's or animation's alt text in the page's language.

    Sphinx translates an image's alt only when it reads the page, and myst-nb makes a notebook's
    output images later, when it writes the page, so the Chinese edition's screen readers read the
    English alt texts. scripts/translations.py puts them into each page's catalog; this
    looks them up.
    """

    default_priority = 410  # after myst-nb has made the images, and after FigureAltText (400)
    formats = ("html",)

    def run(self, **kwargs):
        catalog, found = _catalog(self)
        if not found:
            return
        for image in self.document.findall(nodes.image):
            if image.get("alt"):
                image["alt"] = catalog.gettext(image["alt"])
        for raw in self.document.findall(nodes.raw):
            if "html" in raw.get("format", "").split() and ANIMATION_ALT.search(raw.astext()):
                text = ANIMATION_ALT.sub(
                    lambda m: (
                        m.group(1) + escape(catalog.gettext(unescape(m.group(2)))) + m.group(3)
                    ),
                    raw.astext(),
                )
                raw[:] = [nodes.Text(text)]


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
        catalog, found = _catalog(self)
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
    app.add_post_transform(TranslatedFigureTexts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
