"""Small fixes to the book's HTML, loaded by _config.yml as a local Sphinx extension."""

from sphinx.application import Sphinx


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
    # after every extension's own html-page-context handlers have added their scripts
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
