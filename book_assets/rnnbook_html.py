"""Small fixes to the book's HTML, loaded by _config.yml as a local Sphinx extension."""

from collections import Counter

from pybtex.plugin import register_plugin
from pybtex.style.formatting.alpha import Style as AlphaStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting.author_year_title import SortingStyle
from sphinx.application import Sphinx


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


def setup(app: Sphinx):
    register_plugin("pybtex.style.labels", "rnnbook_author_year", AuthorYearLabels)
    register_plugin("pybtex.style.sorting", "rnnbook_author_year", AuthorYearSorting)
    # _config.yml selects it with bibtex_default_style
    register_plugin("pybtex.style.formatting", "rnnbook_author_year", AuthorYearStyle)
    # after every extension's own html-page-context handlers have added their scripts
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
