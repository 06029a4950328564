"""The glossary: docs/zh-glossary.md shows the rows the code owns, and the lint's
`glossary` rule warns of the renderings they avoid, naming the term, the Chinese term
and the field, but not of the senses and phrases the glossary allows."""

from __future__ import annotations

import re
from pathlib import Path

from app.domain import glossary
from app.domain.glossary import avoided_in
from app.domain.lint import lint_banks
from app.domain.records import BankRecord, QuestionRecord, ScenarioRecord, TranslationRecord
from app.messages import render, render_finding
from tests.unit.domain.test_lint import CLAUSES, item

PAGE = Path(__file__).resolve().parents[3] / "docs" / "zh-glossary.md"


def test_the_page_shows_exactly_the_rows_the_code_owns() -> None:
    page = PAGE.read_text(encoding="utf-8")
    for heading, table in glossary.page_tables():
        found = re.search(rf"## {re.escape(heading)}\n\n((?:\|.*\n)+)", page)
        assert found, heading
        assert found.group(1).rstrip("\n") == table, (
            f"docs/zh-glossary.md's {heading!r} table differs from app/domain/glossary.py: "
            "print the tables with `python -m app.domain.glossary` and paste them in"
        )


def test_every_row_is_sound() -> None:
    terms = [*glossary.STANDARD, *glossary.AUDIT, *glossary.OWN_WORDS]
    assert len({t.english for t in terms}) == len(terms)
    for term in terms:
        for avoid in term.avoid:
            assert avoid.text and avoid.text not in term.chinese, term.english
            assert all(avoid.text in phrase for phrase in avoid.allowed), term.english
            if avoid.cue:
                assert avoid.when, f"{term.english}: a cued rendering says when in brackets"
                re.compile(avoid.cue)


def _said(chinese: str, english: str | None = None) -> list[tuple[str, str]]:
    return [(u.avoid.text, u.term.chinese) for u in avoided_in(chinese, english)]


def test_a_plain_rendering_is_found_once_with_the_term_it_stands_for() -> None:
    assert _said("审计师说审计发现须经审计组确认。") == [("审计师", "审核员"), ("审计", "审核")]
    assert _said("这是服务管理体系的要求。") == []


def test_a_rendering_inside_a_longer_avoided_one_is_left_to_it() -> None:
    assert _said("外部供应商和服务供应商") == [
        ("外部供应商", "外部供方"),
        ("服务供应商", "服务提供方"),
    ]


def test_the_phrases_a_rendering_is_allowed_in_are_not_flagged() -> None:
    assert _said("网络运营商与客户经理在剩余时间内审核该服务。", "The customer") == []
    assert _said("网络运营商负责服务的运营。") == [("运营", "运行")]


def test_a_cued_rendering_needs_the_english_sense_and_no_chinese_term_beside_it() -> None:
    english = "The customer's complaint was closed."
    assert _said("客户的投诉已关闭。", english) == [("客户", "顾客")]
    assert _said("客户的投诉已关闭。") == []  # no English beside it
    assert _said("认证机构通知了客户。", "The certification body told its client.") == []
    assert _said("顾客和客户经理都同意。", english) == []
    demand = "Demand management analyses current and forecast demand for services."
    assert _said("需求管理分析服务需求。", demand) == []
    unmet = "The requirement of clause 8.3.3 is not met."
    assert _said("第 8.3.3 条的需求没有得到满足。", unmet) == [("需求", "要求")]
    assert _said("将这一需求与现有容量进行比较。", "Compare that requirement with capacity.") == []


def test_a_rendering_left_to_the_reader_is_never_flagged() -> None:
    assert _said("记录了一项不符合项。", "A nonconformity was raised.") == []


def _zh(**fields: object) -> dict[str, TranslationRecord]:
    return {"zh-Hans": TranslationRecord("zh-Hans", "en", "", dict(fields))}


def test_the_lint_warns_naming_the_field_the_rendering_and_the_term() -> None:
    q = item(
        "q1",
        translations=_zh(
            stem="客户首先向服务台报告什么？",
            options={"a": "记录", "b": "通知供应商", "c": "等待", "d": "升级"},
            explanation="第 8.6.1 条要求审计事件。",
        ),
        stem="What does the customer report first to the service desk?",
    )
    found = lint_banks([BankRecord("b", "B", questions=[q])], CLAUSES)
    glossary_findings = [f for f in found if f.rule == "glossary"]
    assert [f.severity for f in glossary_findings] == ["warning"] * 3
    assert [render(f.message) for f in glossary_findings] == [
        "the zh-Hans translation's stem uses “客户”, which the glossary avoids for "
        "“customer”; write “顾客”",
        "the zh-Hans translation's options.b uses “供应商”, which the glossary avoids for "
        "“supplier”; write “供方”",
        "the zh-Hans translation's explanation uses “审计”, which the glossary avoids for "
        "“audit”; write “审核”",
    ]
    assert render_finding(glossary_findings[0]).startswith("b: warning [glossary] q1: ")


def test_accepted_answers_are_not_checked() -> None:
    q = QuestionRecord(
        "q1",
        "short_answer",
        "Which grade has a finding that does not stop certification?",
        clauses=["8.6.1"],
        answers=["minor nonconformity"],
        translations=_zh(answers=["一般不符合", "轻微不符合"]),
    )
    found = lint_banks([BankRecord("b", "B", questions=[q])], CLAUSES)
    assert [f for f in found if f.rule == "glossary"] == []


def test_a_bank_written_in_chinese_is_checked_with_its_english_translation_beside_it() -> None:
    q = item(
        "q1",
        stem="客户向供应商投诉。",
        explanation="第 8.6.1 条要求记录事件并由客户确认。",
        translations={
            "en": TranslationRecord("en", "zh-Hans", "", {"stem": "The customer complains."})
        },
    )
    chinese = BankRecord("zh", "中文题库", language="zh-Hans", questions=[q])
    said = [render(f.message) for f in lint_banks([chinese], CLAUSES) if f.rule == "glossary"]
    assert said == [
        "its stem uses “客户”, which the glossary avoids for “customer”; write “顾客”",
        "its stem uses “供应商”, which the glossary avoids for “supplier”; write “供方”",
    ]  # the explanation's 客户 has no English beside it


def test_case_texts_are_checked_too() -> None:
    case = ScenarioRecord("sc-1", "The desk", "The desk has 12 agents.")
    case.translations = _zh(title="服务台", text="服务台把事故转给供应商。")
    bank = BankRecord("b", "B", scenarios=[case], questions=[item()])
    said = [render(f.message) for f in lint_banks([bank], CLAUSES) if f.rule == "glossary"]
    assert said == [
        "case text sc-1: the zh-Hans translation's text uses “事故”, which the glossary avoids "
        "for “incident”; write “事件”",
        "case text sc-1: the zh-Hans translation's text uses “供应商”, which the glossary "
        "avoids for “supplier”; write “供方”",
    ]
