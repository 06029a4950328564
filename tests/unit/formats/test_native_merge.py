"""Merging translation sidecars into bank files: text inserted, nothing else touched."""

from __future__ import annotations

import difflib

from app.domain import translation
from app.formats import native
from app.formats.native_merge import merge
from app.messages import render

BANK = """\
# A bank with comments that must survive.
format: clausewise-bank/1
bank:
  id: b
  title: B
  language: en
scenarios:
  - id: sc-desk
    title: The desk
    text: |
      The desk has 12 agents.
      # not a comment: part of the text
questions:
  # --- incidents ---
  - id: q1
    type: single_choice
    clauses: ["8.6.1"]
    scenario: sc-desk
    stem: |
      What comes first?
    options:
      - {id: a, text: Record it, correct: true}
      - {id: b, text: Close it}
    explanation: Clause 8.6.1.  # a trailing comment
  - id: q2
    type: true_false
    clauses: ["5.1"]
    stem: Top management may delegate accountability.
    answer: false
    explanation: |
      Clause 5.1 keeps it with top management.

      # not a comment either
    translations:
      fr:
        stem: La direction peut déléguer sa responsabilité.
        explanation: L'article 5.1 la garde à la direction.

  # --- the end ---
"""

SIDECAR = """\
bank: b
questions:
  q1:
    stem: 首先做什么？
    options: {a: 记录, b: 关闭}
    explanation: 第 8.6.1 条。
  q2: {stem: 最高管理者可以转授其职责。, explanation: 第 5.1 条将职责保留在最高管理者。}
scenarios:
  sc-desk: {title: 服务台, text: 服务台有 12 名坐席。}
"""


def _lost_lines(original: str, merged: str) -> list[str]:
    """The original's lines the merge did not keep (difflib: deleted or replaced)."""
    before, after = original.split("\n"), merged.split("\n")
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    return [
        line
        for tag, i1, i2, _j1, _j2 in matcher.get_opcodes()
        if tag in ("delete", "replace")
        for line in before[i1:i2]
    ]


def test_a_merge_adds_translation_blocks_and_keeps_comments_and_layout():
    merged = merge(BANK, SIDECAR, "zh-Hans", "b.yaml", "side.yaml")
    assert merged.problems == []
    assert merged.questions == ["q1", "q2"] and merged.scenarios == ["sc-desk"]
    for kept in (
        "# A bank with comments",
        "# --- incidents ---",
        "# a trailing comment",
        "# --- the end ---",
    ):
        assert kept in merged.text
    # Lines were only added (q2's block was written again, keeping its fr entry).
    assert _lost_lines(BANK, merged.text) == []
    result = native.read_yaml(merged.text, "b.yaml")
    assert result.problems == []
    q1, q2 = result.bank.questions
    assert q1.translations["zh-Hans"].fields["options"] == {"a": "记录", "b": "关闭"}
    assert q1.translations["zh-Hans"].source_hash == translation.source_hash(q1)
    assert q1.translations["zh-Hans"].status == "current"
    assert set(q2.translations) == {"fr", "zh-Hans"}
    assert q2.explanation.endswith("# not a comment either\n")
    assert result.bank.scenarios[0].translations["zh-Hans"].fields["title"] == "服务台"
    assert result.bank.scenarios[0].text.endswith("# not a comment: part of the text\n")


def test_merging_the_same_sidecar_twice_changes_nothing_more():
    once = merge(BANK, SIDECAR, "zh-Hans", "b.yaml", "side.yaml").text
    assert merge(once, SIDECAR, "zh-Hans", "b.yaml", "side.yaml").text == once


def test_entries_that_do_not_fit_are_reported_at_the_sidecar_line_and_left_out():
    sidecar = SIDECAR.replace("{a: 记录, b: 关闭}", "{a: 记录, b: 关闭, c: 多余}")
    merged = merge(BANK, sidecar, "zh-Hans", "b.yaml", "side.yaml")
    found = [(p.location.file, p.location.line, render(p.message)) for p in merged.problems]
    assert (
        "side.yaml",
        5,
        "q1, translation zh-Hans: options names c, which the source does not have",
    ) in found
    assert merged.questions == ["q2"]
    assert "首先做什么" not in merged.text


def test_an_unknown_item_and_a_missing_language_are_reported():
    merged = merge(
        BANK, "bank: b\nquestions:\n  q7: {stem: 无}\n", "zh-Hans", "b.yaml", "side.yaml"
    )
    assert [(p.location.line, render(p.message)) for p in merged.problems] == [
        (3, "questions: the bank has no item q7")
    ]
    merged = merge(BANK, SIDECAR, None, "b.yaml", "side.yaml")
    assert merged.failed and merged.text == BANK
    assert "names no language" in render(merged.problems[0].message)
    with_language = merge(BANK, "language: zh-Hans\n" + SIDECAR, None, "b.yaml", "side.yaml")
    assert with_language.problems == [] and with_language.questions == ["q1", "q2"]


def test_a_sidecar_translates_a_classifications_categories_and_items():
    from tests.unit.formats.test_native_translations import CLASSIFIED

    bank, _sep, _entry = CLASSIFIED.partition("    translations:\n")
    sidecar = """\
bank: b
questions:
  c1:
    stem: 给每条记录分类。
    data:
      categories: {inc: 事件, req: 服务请求}
      items: {i1: 打印机故障, i2: 新笔记本电脑}
"""
    merged = merge(bank, sidecar, "zh-Hans", "b.yaml", "side.yaml")
    assert merged.problems == [] and merged.questions == ["c1"]
    result = native.read_yaml(merged.text, "b.yaml")
    assert result.problems == []
    t = result.bank.questions[0].translations["zh-Hans"]
    assert t.status == "current"
    assert t.fields["data"]["items"] == {"i1": "打印机故障", "i2": "新笔记本电脑"}
