"""Translations in the native format: lossless round trips, statuses worked out again,
and misfits reported at their file:line."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from app.domain import translation
from app.formats import native
from app.messages import render
from tests.unit.formats.sample import translate, translated_bank

SCHEMA = Path(__file__).resolve().parents[3] / "question_banks/schema/bank.schema.json"


@pytest.mark.parametrize(
    ("write", "read_back"),
    [(native.write_yaml, native.read_yaml), (native.write_json, native.read_json)],
)
def test_a_bank_with_translations_of_every_type_round_trips_exactly(write, read_back):
    bank = translated_bank()
    result = read_back(write(bank).data, "bank")
    assert result.problems == []
    assert result.bank == bank
    assert write(result.bank).data == write(bank).data
    assert all(
        t.status == "current" for q in result.bank.questions for t in q.translations.values()
    )


def test_the_written_file_passes_the_json_schema():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    data = yaml.safe_load(native.write_yaml(translated_bank()).data)
    jsonschema.validate(data, schema)
    assert data["questions"][0]["translations"]["zh-Hans"]["status"] == "current"


ONE = """\
format: clausewise-bank/1
bank: {id: b, title: B, language: en}
questions:
  - id: q1
    type: single_choice
    clauses: ["8.6.1"]
    stem: What comes first?
    options:
      - {id: a, text: Record it, correct: true}
      - {id: b, text: Close it}
    explanation: Clause 8.6.1.
    translations:
      zh-Hans:
        source_language: en
        source_hash: @HASH@
        status: current
        stem: 首先做什么？
        options: @OPTIONS@
        explanation: 第 8.6.1 条。
"""


def _file(options: str = "{a: 记录, b: 关闭}", made_from: str | None = None) -> str:
    plain = ONE.replace("@HASH@", "x").replace("@OPTIONS@", "{a: 记录, b: 关闭}")
    source = native.read_yaml(plain).bank.questions[0]
    made_from = made_from or translation.source_hash(source)
    return ONE.replace("@HASH@", made_from).replace("@OPTIONS@", options)


def _problems(text: str) -> list[tuple[int | None, str, str]]:
    result = native.read_yaml(text, "bank.yaml")
    return [(p.location.line, p.severity, render(p.message)) for p in result.problems]


def test_a_current_translation_reads_cleanly_and_carries_its_texts():
    result = native.read_yaml(_file(), "bank.yaml")
    assert result.problems == []
    t = result.bank.questions[0].translations["zh-Hans"]
    assert t.status == "current"
    assert t.fields == {
        "stem": "首先做什么？",
        "options": {"a": "记录", "b": "关闭"},
        "explanation": "第 8.6.1 条。",
    }


def test_an_option_id_the_question_lacks_is_an_error_at_its_line():
    found = _problems(_file(options="\n          a: 记录\n          b: 关闭\n          e: 多余"))
    assert (
        21,
        "error",
        "q1, translation zh-Hans: options names e, which the source does not have",
    ) in found


def test_a_missing_field_and_an_extra_field_are_errors_at_the_translation():
    text = _file().replace("        explanation: 第 8.6.1 条。\n", "        title: 标题\n")
    found = _problems(text)
    assert (
        13,
        "error",
        "q1, translation zh-Hans: explanation is missing; the source has it",
    ) in found
    assert (19, "error", "q1, translation zh-Hans: title is not in the source; remove it") in found


def test_an_unknown_field_name_is_an_error_with_a_spelling_hint():
    found = _problems(_file().replace("        stem: 首先", "        stme: 首先"))
    assert any(
        line == 17 and "unknown field 'stme' (did you mean stem?)" in text
        for line, _s, text in found
    )


def test_a_rubric_of_another_length_is_an_error_at_the_rubric():
    text = """\
bank: {id: b, title: B}
questions:
  - id: e1
    type: essay
    clauses: ["10.1"]
    marks: 2
    stem: Write a statement.
    rubric:
      - {criterion: Requirement, marks: 1, guidance: Names the clause}
      - {criterion: Evidence, marks: 1}
    translations:
      zh-Hans:
        stem: 写一份陈述。
        rubric:
          - {criterion: 要求, guidance: 指出条款}
"""
    found = _problems(text)
    assert (
        14,
        "error",
        "e1, translation zh-Hans: rubric has 1 entry; the source has 2, and they follow its order",
    ) in found


def test_a_translation_without_a_source_hash_is_taken_as_current():
    text = _file().replace("        source_hash: ", "        # source_hash: ")
    result = native.read_yaml(text, "bank.yaml")
    q = result.bank.questions[0]
    assert result.problems == []
    assert q.translations["zh-Hans"].source_hash == translation.source_hash(q)
    assert q.translations["zh-Hans"].status == "current"


def test_the_status_is_worked_out_again_and_a_stale_misfit_is_only_a_warning():
    text = _file(options="{a: 记录, b: 关闭, e: 旧选项}", made_from="0123456789ab")
    result = native.read_yaml(text, "bank.yaml")
    assert result.bank.questions[0].translations["zh-Hans"].status == "stale"
    assert [p.severity for p in result.problems] == ["warning"]
    assert result.errors == []


def test_bad_tags_the_bank_language_and_a_wrong_status_are_errors():
    text = _file().replace("      zh-Hans:", "      Chinese:")
    assert any("Chinese is not a language tag" in t for _l, _s, t in _problems(text))
    text = _file().replace("      zh-Hans:", "      en:")
    assert any("en is the bank's own language" in t for _l, _s, t in _problems(text))
    text = _file().replace("status: current", "status: done")
    assert (
        16,
        "error",
        "translation zh-Hans: status must be current or stale; found done",
    ) in _problems(text)
    text = _file().replace("source_language: en", "source_language: fr")
    assert any(
        "source_language fr is not the bank's language en" in t for _l, _s, t in _problems(text)
    )


def test_matches_must_keep_the_sources_sharing_in_translation():
    q = translated_bank().questions[3]  # matching: three pairs, three distinct matches
    t = translate(q)
    t.fields["pairs"]["p2"]["match"] = t.fields["pairs"]["p1"]["match"]
    assert [m.code for _p, m in translation.problems(q, t)] == ["translation.matches_alike"]
    q.pairs[1].match = q.pairs[0].match  # now p1 and p2 share one match in the source
    t = translate(q)
    t.fields["pairs"]["p2"]["match"] = "另一个"
    assert [m.code for _p, m in translation.problems(q, t)] == ["translation.shared_match"]


def test_the_source_hash_follows_the_texts_only():
    q = translated_bank().questions[0]
    before = translation.source_hash(q)
    q.options[1].correct, q.difficulty, q.marks = True, 3, 2.0
    q.stem = q.stem + "  \n"
    assert translation.source_hash(q) == before  # keys, marks and outer whitespace do not count
    q.options[1].text = "Raise a change request first"
    assert translation.source_hash(q) != before


@pytest.mark.parametrize(("fmt", "items"), [("gift", 8), ("aiken", 1)])
def test_formats_without_translations_say_they_leave_them_out(fmt, items):
    """GIFT and Aiken have no place for a second language (Aiken holds the single
    choice item alone, and no case text)."""
    from app import formats

    bank = translated_bank()
    if fmt == "aiken":
        bank.questions, bank.scenarios = bank.questions[:1], []
    result = formats.write_bank(bank, fmt)
    lost = [w for w in result.warnings if w.message.code == "export.translations_lost"]
    noun = "item" if items == 1 else "items"
    assert [render(w.message) for w in lost] == [
        f"{fmt} cannot carry translations, so those of {items} {noun} are left out; "
        "export YAML, JSON, CSV, XLSX, Moodle XML or QTI to keep them"
    ]
    for carrying in ("yaml", "csv", "xlsx", "moodlexml", "qti"):
        found = formats.write_bank(translated_bank(), carrying).warnings
        assert not [w for w in found if "translation" in w.message.code], carrying


def test_the_readme_translation_example_reads_cleanly_and_is_current():
    import re

    readme = (SCHEMA.parents[1] / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(bank: \{id: example-translations.*?)```", readme, re.S)
    assert block is not None
    result = native.read_yaml(block.group(1), "README.md")
    assert result.problems == []
    assert result.bank.questions[0].translations["zh-Hans"].status == "current"


# --- a plug-in type's own texts: classification's categories and items -------------

CLASSIFIED = """\
format: clausewise-bank/1
bank: {id: b, title: B, language: en}
questions:
  - id: c1
    type: classification
    clauses: ["8.6"]
    stem: Sort each record.
    categories:
      - {id: inc, text: Incident}
      - {id: req, text: Service request}
    items:
      - {id: i1, text: Printer down, category: inc}
      - {id: i2, text: New laptop, category: req}
    translations:
      zh-Hans:
        stem: 给每条记录分类。
        data:
          categories: {inc: 事件, req: 服务请求}
          items:
            i1: 打印机故障
            i2: 新笔记本电脑
"""


@pytest.mark.parametrize(
    ("write", "read_back"),
    [(native.write_yaml, native.read_yaml), (native.write_json, native.read_json)],
)
def test_a_translated_classification_round_trips_with_its_categories_and_items(write, read_back):
    from app.domain.records import BankRecord
    from tests.unit.formats.sample import translated_classification

    bank = BankRecord(id="b", title="B", questions=[translated_classification()])
    written = write(bank).data
    result = read_back(written, "bank")
    assert result.problems == []
    assert result.bank == bank
    t = result.bank.questions[0].translations["zh-Hans"]
    assert t.status == "current"
    assert t.fields["data"]["categories"] == {"inc": "译：Incident", "req": "译：Service request"}
    entry = yaml.safe_load(written)["questions"][0]["translations"]["zh-Hans"]
    assert list(entry)[-2:] == ["data", "explanation"]  # the parts, then the later texts
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(entry, {"$ref": "#/$defs/translation", "$defs": schema["$defs"]})


def test_a_classification_translation_in_a_file_reads_cleanly():
    result = native.read_yaml(CLASSIFIED, "bank.yaml")
    assert result.problems == []
    t = result.bank.questions[0].translations["zh-Hans"]
    assert t.fields["data"] == {
        "categories": {"inc": "事件", "req": "服务请求"},
        "items": {"i1": "打印机故障", "i2": "新笔记本电脑"},
    }


def test_a_classification_translation_that_misfits_is_an_error_at_its_line():
    lines = CLASSIFIED.replace("            i2: 新笔记本电脑\n", "            i9: 多余\n")
    found = _problems(lines)
    assert (
        21,
        "error",
        "c1, translation zh-Hans: data.items names i9, which the source does not have",
    ) in found
    lacks = "c1, translation zh-Hans: data.items lacks i2, which the source has"
    assert (19, "error", lacks) in found
    flat = CLASSIFIED.replace("categories: {inc: 事件, req: 服务请求}", "categories: 事件")
    wrong = _problems(flat)
    assert (18, "error", "data.categories must map ids to texts, such as {a: …, b: …}") in wrong
