"""The Chinese edition keeps up with the English: stale or untranslated paragraphs, changed maths,
code or link targets, and terms that differ from the glossary's all fail."""

import importlib.util
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("translations", ROOT / "scripts/translations.py")
translations = importlib.util.module_from_spec(spec)
spec.loader.exec_module(translations)


def test_every_translated_page_is_up_to_date_and_uses_the_glossary_terms():
    found = translations.problems(translations.extract())
    report = [f"{where}: {what}: {english[:80]!r}" for where, what, english in found]
    assert not found, "\n".join(report)


def test_the_introduction_at_least_is_translated():
    assert "chapters/00_introduction" in translations.translated_pages()


def test_glossary_terms_are_read_with_their_preferred_chinese_term():
    terms = translations.glossary_terms()
    assert terms["neuron"] == "神经元"
    assert terms["logistic function"] == terms["sigmoid"] == "Sigmoid 函数"
    assert terms["backpropagation through time"] == "随时间反向传播"
    assert len(terms) > 60


def _catalog(path, pairs):
    catalog = Catalog(locale="zh_CN")
    for english, chinese in pairs:
        catalog[english] = Message(english, chinese, locations=[("chapters/x.md", 1)])
    translations.write(catalog, path)
    return path


def test_a_changed_english_sentence_makes_its_translation_stale(tmp_path):
    po = _catalog(tmp_path / "x.po", [("The gradient vanishes.", "梯度消失了。")])
    same = _catalog(tmp_path / "same.pot", [("The gradient vanishes.", "")])
    changed = _catalog(tmp_path / "changed.pot", [("The gradient vanishes quickly.", "")])
    assert not any(m.fuzzy for m in translations.merged(same, po) if m.id)
    stale = [m for m in translations.merged(changed, po) if m.id]
    assert [m.fuzzy for m in stale] == [True]


@pytest.mark.parametrize(
    ("english", "chinese", "complaint"),
    [
        ("A neuron sums $x w$.", "一个神经元对 $xw$ 求和。", "maths"),
        ("Call `lstm.step`.", "调用 `lstm.forward`。", "code"),
        ("See the {doc}`glossary <glossary>`.", "见{doc}`术语表 <testing>`。", "cross-reference"),
        ("The forget gate opens.", "保持门打开。", "forget gate"),
        ("Backpropagation through time.", "时间反向传播。", "backpropagation through time"),
    ],
)
def test_a_translation_that_changes_maths_code_links_or_terms_is_reported(
    english, chinese, complaint
):
    terms = translations.glossary_terms()
    found = list(translations._check(Message(english, chinese), terms))
    assert any(complaint in issue for issue in found), found


def test_a_term_inside_a_longer_term_asks_only_for_the_longer_ones_chinese():
    terms = {"bias": "偏置", "exposure bias": "曝光偏差"}
    assert list(translations._check(Message("Exposure bias.", "曝光偏差。"), terms)) == []
    found = list(translations._check(Message("Exposure bias and a bias.", "曝光偏差。"), terms))
    assert found == ["term 'bias' should be '偏置' (glossary)"]


@pytest.mark.parametrize(
    ("english", "asks"),
    [
        ("A window of eight words.", True),
        ("Windows of eight words.", True),
        ("**Window** size.", True),
        ("Use WSL on Windows.", False),
        ("It runs on Windows.", False),
    ],
)
def test_a_term_is_found_in_lower_case_or_where_a_sentence_starts(english, asks):
    found = list(translations._check(Message(english, "。"), {"window": "窗口"}))
    assert bool(found) == asks, found


def test_a_faithful_translation_passes():
    message = Message(
        "The forget gate of an LSTM keeps $c_t$; see {doc}`the glossary <glossary>` and `lstm`.",
        "长短期记忆网络的遗忘门保持 $c_t$；见{doc}`术语表 <glossary>` 和 `lstm`。",
    )
    assert list(translations._check(message, translations.glossary_terms())) == []


def test_a_term_reference_may_show_chinese_text_but_keeps_its_target():
    english = "Each {term}`activation function` is nonlinear."
    kept = Message(english, "每个{term}`激活函数 <activation function>`都是非线性的。")
    as_is = Message(english, "每个{term}`activation function`（激活函数）都是非线性的。")
    lost = Message(english, "每个{term}`激活函数`都是非线性的。")
    terms = {"activation function": "激活函数"}
    assert list(translations._check(kept, terms)) == []
    assert list(translations._check(as_is, terms)) == []
    assert "cross-reference" in list(translations._check(lost, terms))[0]


def test_a_glossary_entry_keeps_its_english_name_in_the_glossary():
    terms = {"neuron": "神经元"}
    assert list(translations._check(Message("neuron", "neuron"), terms)) == []
    assert list(translations._check(Message("neuron", "神经细胞"), terms)) != []


@pytest.mark.parametrize(
    ("english", "words"),
    [
        ("1468", False),
        ("7.1e-15", False),
        ("$T = 100$", False),
        ("`make test`", False),
        ("458 A4 pages", True),
        ("1468 passed in 307 s", True),
        ("Adam", True),
    ],
)
def test_a_number_or_formula_alone_needs_no_translation(english, words):
    assert translations._has_words(english) == words


def test_an_acronym_may_stay_and_a_latex_command_is_not_a_term():
    terms = {"LSTM": "长短期记忆网络", "tanh": "双曲正切函数", "neuron": "神经元"}
    assert list(translations._check(Message("An LSTM layer.", "一个 LSTM 层。"), terms)) == []
    assert list(translations._check(Message("\nh = \\tanh(a)\n", "\nh = \\tanh(a)\n"), terms)) == []
    maths = "\ny = \\operatorname{tanh}(a)\n"
    assert list(translations._check(Message(maths, maths), terms)) == []
    found = list(translations._check(Message("A neuron and tanh.", "一个单元。"), terms))
    assert len(found) == 2  # a lower-case term must be translated


def test_a_key_cited_twice_in_one_paragraph_is_reported():
    """Sphinx would give both citations of the translated paragraph one id."""
    twice = "Adding {cite}`le2015`; markers in halves {cite}`le2015`."
    once = "Adding, with markers in halves {cite}`le2015`."
    complaint = "le2015 cited twice in one paragraph: cite it once, in the English too"
    assert list(translations._check(Message(twice, "加法 {cite}`le2015`。"), {})) == [complaint]
    assert list(
        translations._check(Message(once, "加法 {cite}`le2015`，又 {cite}`le2015`。"), {})
    ) == [complaint]
    assert list(translations._check(Message(once, "加法 {cite}`le2015`。"), {})) == []


def test_the_chinese_sidebar_gets_the_parts_captions_from_the_catalog():
    import yaml

    toc = yaml.safe_load(translations.chinese_toc().read_text(encoding="utf-8"))
    assert [part["caption"] for part in toc["parts"]] == [
        "基础",
        "循环神经网络",
        "基础之外",
        "关于本书",
    ]


def test_a_role_written_as_code_is_code_not_a_cross_reference():
    english = "Add the `{exercise}` block, the `solution` cell."
    chinese = "添加 `{exercise}` 块、`solution` 单元格。"
    assert list(translations._check(Message(english, chinese), {})) == []


def test_a_term_whose_chinese_is_latin_may_keep_its_english_form():
    terms = {"logit": "Logits", "neuron": "神经元"}
    assert list(translations._check(Message("One logit.", "一个 logit。"), terms)) == []
    assert list(translations._check(Message("One neuron.", "一个 neuron。"), terms)) != []
