"""The Chinese edition: the English notebooks are the one source of code and outputs; only the
prose is translated, paragraph by paragraph, with Sphinx's gettext workflow.

    python scripts/translations.py extract          # English paragraphs -> _build/gettext/*.pot
    python scripts/translations.py update [PAGE...] # merge them into locales/ (PAGE starts a page)
    python scripts/translations.py check            # stale, untranslated, terms, maths and code
    python scripts/translations.py build            # the Chinese HTML into _build/html/zh

A page is translated when locales/zh_CN/LC_MESSAGES/<page>.po exists; every other page is shown
in English in the Chinese edition, under a banner that says so.
"""

import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from babel.messages import pofile
from cli import ArgumentParser

ROOT = Path(__file__).resolve().parent.parent
LANGUAGE = "zh_CN"
LOCALES = ROOT / "locales"
CATALOGS = LOCALES / LANGUAGE / "LC_MESSAGES"
BUILD = ROOT / "_build"
GLOSSARY = ROOT / "chapters" / "glossary.md"
# what differs in the Chinese edition's configuration; everything else comes from _config.yml
CHINESE = {
    "title": "循环神经网络：从零实现，再用 Keras 实现",
    "language": LANGUAGE,
    "search": "zh",  # Sphinx's Chinese search splits words with jieba
    # sphinx-togglebutton's hints on a closed or open dropdown (it ships no Chinese catalog)
    "togglebutton_hint": "点击显示",
    "togglebutton_hint_hide": "点击隐藏",
}
# maths and code are never translated: each must reappear in the translation unchanged
# a role such as {doc}`glossary <glossary>`: its text is translated, its target is not
ROLE = re.compile(r"(?<!`)\{([\w:-]+)\}`([^`]*)`")  # not `{exercise}`, which is code
UNTRANSLATED = re.compile(r"\$\$.+?\$\$|\$[^$\n]+\$|``[^`]+``|`[^`\n]+`", re.S)


def book_config(language=None):
    """_config.yml with absolute paths (so it works from _build/) and the given language."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config["bibtex_bibfiles"] = [str(ROOT / f) for f in config["bibtex_bibfiles"]]
    sphinx = config["sphinx"]
    sphinx["local_extensions"] = {k: str(ROOT / v) for k, v in sphinx["local_extensions"].items()}
    settings = sphinx["config"]
    settings["html_static_path"] = [str(ROOT / p) for p in settings["html_static_path"]]
    settings["gettext_compact"] = False  # one catalog per page, so a page is translated or not
    settings["locale_dirs"] = [str(LOCALES)]
    if language:
        config["title"] = CHINESE["title"]
        settings["language"] = language
        settings["html_search_language"] = CHINESE["search"]
        settings["html_baseurl"] = ""
        settings["togglebutton_hint"] = CHINESE["togglebutton_hint"]
        settings["togglebutton_hint_hide"] = CHINESE["togglebutton_hint_hide"]
    path = BUILD / f"_config.{language or 'en'}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def jupyter_book(*args):
    """Run jupyter-book from the venv this script runs in; stop with its output if it fails."""
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", *args, str(ROOT)]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")


def extract(out=BUILD / "i18n"):
    """Every English paragraph, heading and caption of the book, one .pot catalog per page."""
    shutil.rmtree(out / "_build" / "gettext", ignore_errors=True)
    jupyter_book(
        "--builder", "custom", "--custom-builder", "gettext",
        "--config", str(book_config()), "--path-output", str(out),
    )  # fmt: skip
    add_figure_texts(out / "_build" / "gettext")
    return out / "_build" / "gettext"


# an animation's alt text in a stored output (rnnbook.plotting.animation writes it)
ANIMATION_ALT = re.compile(r'<img id="_anim_img\w+" alt="([^"]*)"')


def figure_texts(notebook):
    """(cell, alt text) of every figure with its own alt and every animation of a notebook."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    for index, cell in enumerate(cells):
        alt = cell.get("metadata", {}).get("mystnb", {}).get("image", {}).get("alt")
        if alt:
            yield index, alt
        for output in cell.get("outputs", []):
            page = output.get("data", {}).get("text/html", "")
            for found in ANIMATION_ALT.findall("".join(page)):
                yield index, html.unescape(found)


def add_figure_texts(templates):
    """Sphinx extracts no alt text of a notebook's outputs (myst-nb makes their images when it
    writes a page, after the gettext builder has read it): add them to the page's template."""
    for notebook in sorted((ROOT / "chapters").glob("*.ipynb")):
        template = templates / "chapters" / f"{notebook.stem}.pot"
        catalog = read(template)
        for index, alt in figure_texts(notebook):
            catalog.add(alt, locations=[(f"chapters/{notebook.name}", index)])
        with open(template, "wb") as f:
            pofile.write_po(f, catalog, width=100)


def read(path):
    with open(path, "rb") as f:
        return pofile.read_po(f)


def write(catalog, path):
    """Write a catalog with the project's header and locations relative to the repository."""
    catalog.project, catalog.version = "rnnbook", ""
    catalog.copyright_holder = catalog.last_translator = "The rnnbook authors"
    catalog.language_team, catalog.msgid_bugs_address = "rnnbook <zh_CN>", ""
    for message in catalog:
        message.locations = [(re.sub(r"^(\.\./)+", "", f), n) for f, n in message.locations]
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        pofile.write_po(f, catalog, width=100, omit_header=False, include_previous=True)


def translated_pages():
    """Pages with a catalog: 'chapters/00_introduction', ..."""
    return sorted(str(p.relative_to(CATALOGS).with_suffix("")) for p in CATALOGS.rglob("*.po"))


def merged(template_path, catalog_path):
    """The page's catalog updated to the current English: changed paragraphs become fuzzy."""
    catalog = read(catalog_path)
    catalog.update(read(template_path), no_fuzzy_matching=False)
    return catalog


def update(pages):
    """Bring every translated page (and the pages named, new ones) up to the current English."""
    english = sorted(
        str(p.relative_to(ROOT).with_suffix(""))
        for p in (ROOT / "chapters").iterdir()
        if p.suffix in (".md", ".ipynb")
    )
    for page in pages:  # refused before anything is extracted or written
        if page not in english:
            sys.exit(f"no English page {page!r} (PAGES=): expected one of {english}")
    templates = extract()
    for page in sorted(set(translated_pages()) | set(pages)):
        template = templates / f"{page}.pot"
        if not template.exists():
            sys.exit(f"no English page {page!r}: expected one of {sorted(_pages(templates))}")
    for page in sorted(set(translated_pages()) | set(pages)):
        template = templates / f"{page}.pot"
        target = CATALOGS / f"{page}.po"
        if target.exists():
            catalog = merged(template, target)
        else:
            catalog = read(template)
            catalog.locale = LANGUAGE
        write(catalog, target)
        print(f"{target.relative_to(ROOT)}: {_summary(catalog)}")


def _pages(templates):
    return {str(p.relative_to(templates).with_suffix("")) for p in templates.rglob("*.pot")}


def _summary(catalog):
    messages = [m for m in catalog if m.id]
    done = sum(bool(m.string) and not m.fuzzy for m in messages)
    return f"{done} of {len(messages)} paragraphs translated"


def glossary_terms():
    """{English term: Chinese term} from the glossary (the first Chinese term, the preferred)."""
    terms, names = {}, []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        chinese = re.match(r'\s+<span lang="zh-Hans">(.+?)</span>', line)
        if chinese:
            preferred = re.split(r"[，,]", chinese.group(1))[0].strip()
            terms.update(dict.fromkeys(names, preferred))
            names = []
        elif line and not line[0].isspace() and not line.startswith(("#", "`", ":", "{")):
            names.append(line.strip())
        else:
            names = []
    return terms


def problems(templates):
    """(page:line, what is wrong, the English) for every translated page."""
    terms = glossary_terms()
    found = []
    for page in translated_pages():
        template = templates / f"{page}.pot"
        if not template.exists():
            found.append((page, "translation of a page the book no longer has", ""))
            continue
        for message in merged(template, CATALOGS / f"{page}.po"):
            if not message.id or not _has_words(message.id):
                continue  # a number or a formula alone (a table cell) reads the same in Chinese
            where = ", ".join(f"{Path(f).name}:{n}" for f, n in message.locations[:1]) or page
            english = message.id if isinstance(message.id, str) else message.id[0]
            if not message.string:
                found.append((where, "not translated", english))
            elif message.fuzzy:
                found.append((where, "the English changed; update the translation", english))
            else:
                found.extend((where, issue, english) for issue in _check(message, terms))
    return found


def _has_words(english):
    """Whether a paragraph has words to translate once its maths, code and links are set aside."""
    return re.search(r"[A-Za-z]{2,}", UNTRANSLATED.sub(" ", ROLE.sub(" ", english))) is not None


def _check(message, terms):
    """What a finished translation must keep: maths, code and link targets verbatim, and the
    glossary's term for every glossary term in the English."""
    english = message.id
    for role, text in ROLE.findall(english):
        target = re.search(r"<([^>]+)>$", text)
        # {term}`softmax` may become {term}`软最大 <softmax>`: the target is what must stay
        kept = [f"<{target.group(1)}>`"] if target else [f"`{text}`", f"<{text}>`"]
        if f"{{{role}}}`" not in message.string or not any(k in message.string for k in kept):
            yield f"cross-reference changed or missing: {{{role}}}`{text}`"
    if english in terms and message.string == english:
        return  # a glossary entry's own name stays English there; its Chinese is given beside it
    for text in (english, message.string):
        cited = [k.strip() for role, keys in ROLE.findall(text) if role.startswith("cite")
                 for k in keys.split(",")]  # fmt: skip
        for key in sorted({k for k in cited if cited.count(k) > 1}):
            # Sphinx gives a translated paragraph's citations of one key one id between them,
            # so the bibliography's back-link to the other points nowhere
            yield f"{key} cited twice in one paragraph: cite it once, in the English too"
    prose = ROLE.sub(" ", english)
    for span in UNTRANSLATED.findall(prose):
        if span not in message.string:
            yield f"maths or code changed or missing: {span}"
    prose = UNTRANSLATED.sub(" ", prose)
    # longest term first, and a term found is blanked out, so that "bias" inside "exposure bias"
    # does not also ask for the Chinese of "bias"
    for term in sorted(terms, key=len, reverse=True):
        pattern = _mention(term)
        if pattern.search(prose):
            # an acronym may stay as it is, as Chinese textbooks write LSTM 单元
            kept = _ACRONYM.fullmatch(term) and re.search(rf"\b{term}\b", message.string)
            # a term whose Chinese is itself Latin (Logits, NaN) may keep its English form
            latin = terms[term].isascii() and term.lower() in message.string.lower()
            if terms[term] not in message.string and not kept and not latin:
                yield f"term {term!r} should be {terms[term]!r} (glossary)"
            prose = pattern.sub(" ", prose)


_ACRONYM = re.compile(r"[A-Z][A-Za-z]*[A-Z]")  # LSTM, GRU, BPTT, ReLU


def _mention(term):
    """A glossary term as the English uses it: a name or acronym (LSTM) as written; a lower-case
    term in lower case, or capitalised where a sentence or a bold phrase starts, so that the name
    Windows is not the term window."""
    # not a LaTeX command or its argument: \tanh and \operatorname{softmax} are maths
    word = rf"(?<![\\{{]){re.escape(term)}s?\b"
    if term != term.lower():
        return re.compile(rf"\b{word}")
    capital = re.escape(term[0].upper() + term[1:])
    return re.compile(rf"\b{word}|(?:^|[.!?:;]\s+|\*\*){capital}s?\b")


def check():
    found = problems(extract())
    for where, what, english in found:
        print(f"{where}: {what}: {english[:100]!r}")
    pages = translated_pages()
    print(f"{len(pages)} translated pages checked ({', '.join(pages)}): {len(found)} problems")
    return 1 if found else 0


def chinese_toc():
    """_toc.yml with the parts' captions in Chinese (the sidebar shows them; Sphinx does not
    translate them there), taken from the introduction's catalog, where they are extracted."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    catalog = read(CATALOGS / "chapters" / "00_introduction.po")
    for part in toc.get("parts", []):
        message = catalog.get(part["caption"])
        if message and message.string and not message.fuzzy:
            part["caption"] = message.string
    path = BUILD / f"_toc.{LANGUAGE}.yml"
    path.write_text(yaml.safe_dump(toc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def build():
    """The Chinese edition into _build/html/zh, beside the English one in _build/html."""
    out = BUILD / "zh"
    # --all: a changed catalog changes other pages too (titles in the neighbours' prev/next
    # links), which an incremental build would leave stale
    jupyter_book("-W", "-n", "--keep-going", "--all", "--config", str(book_config(LANGUAGE)),
                 "--toc", str(chinese_toc()), "--path-output", str(out))  # fmt: skip
    target = BUILD / "html" / "zh"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(out / "_build" / "html", target)
    print(f"Chinese edition: file://{target}/index.html")


def main(argv=None):
    parser = ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("extract", help="the English paragraphs into _build/i18n/_build/gettext")
    start = commands.add_parser("update", help="merge the English into every translated page")
    start.add_argument("pages", nargs="*", help="pages to start translating: chapters/01_neurons")
    commands.add_parser("check", help="fail on stale or untranslated paragraphs, wrong terms")
    commands.add_parser("build", help="build the Chinese HTML into _build/html/zh")
    args = parser.parse_args(argv)
    if args.command == "extract":
        print(extract())
    elif args.command == "update":
        update(args.pages)
    elif args.command == "check":
        return check()
    else:
        build()
    return 0


if __name__ == "__main__":
    sys.exit(main())
