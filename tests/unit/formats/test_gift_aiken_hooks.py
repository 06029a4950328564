"""GIFT and Aiken reach each question type only through its hooks (`TypeFormats.gift/aiken`)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.domain import question_types
from app.domain.messages import Message
from app.domain.records import BankRecord, Location, OptionRecord, QuestionRecord, Unsupported
from app.formats import aiken, gift, texts, type_formats
from app.formats.aiken import AikenHooks
from app.formats.gift_answers import GiftHooks, Reporter
from app.messages import render

GIFT_TYPES = {
    "ordering",
    "single_choice",
    "multiple_response",
    "true_false",
    "short_answer",
    "essay",
    "matching",
}


def _swap(monkeypatch: pytest.MonkeyPatch, key: str, **slots: object) -> None:
    """Give the type `key` other GIFT/Aiken hooks for one test."""
    registry = type_formats._registry()
    monkeypatch.setitem(registry, key, replace(type_formats.hooks(key), **slots))


def _choice() -> QuestionRecord:
    options = [OptionRecord("a", "Yes", True), OptionRecord("b", "No", False)]
    return QuestionRecord("q1", "single_choice", "Agree?", options=options)


def test_the_original_types_give_gift_hooks_and_single_choice_the_aiken_hook() -> None:
    keys = question_types.keys()
    gift_hooks = {k for k in keys if type_formats.hooks(k).gift is not None}
    aiken_hooks = {k for k in keys if type_formats.hooks(k).aiken is not None}
    assert gift_hooks == GIFT_TYPES
    assert all(isinstance(type_formats.hooks(k).gift, GiftHooks) for k in gift_hooks)
    assert aiken_hooks == {"single_choice"}
    assert isinstance(type_formats.hooks("single_choice").aiken, AikenHooks)


def test_each_answer_block_kind_is_claimed_by_exactly_one_type() -> None:
    hooks = [type_formats.hooks(k).gift for k in GIFT_TYPES]
    claims = [kind for hook in hooks if hook is not None for kind in hook.kinds]
    assert sorted(claims) == sorted(
        ["choice", "weighted_choice", "true_false", "short_answer", "essay", "matching", "ordering"]
    )


def test_the_gift_writer_takes_the_answer_lines_from_the_types_hook(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hook = type_formats.hooks("single_choice").gift
    assert hook is not None
    _swap(monkeypatch, "single_choice", gift=replace(hook, write=lambda q: ["\t=Only this"]))
    data = gift.write(BankRecord("b", "B", questions=[_choice()])).data.decode()
    assert "[markdown]Agree?{\n\t=Only this\n}" in data


def test_a_type_without_a_gift_hook_is_skipped_and_never_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _swap(monkeypatch, "single_choice", gift=None)
    assert gift.write(BankRecord("b", "B", questions=[_choice()])).skipped == [
        Unsupported("single_choice", "q1", Location(file="", path="q1"))
    ]
    result = gift.read(b"::One::Agree?{=Yes ~No}\n\n::Two::True?{T}\n", "b.gift")
    assert [q.type for q in result.bank.questions] == ["true_false"]
    assert result.unsupported == [Unsupported("choice", "One", Location("b.gift", 1))]


def test_the_gift_reader_gives_a_block_to_the_type_claiming_its_kind(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def read(ctx: Reporter, q: QuestionRecord, body: str, base: int) -> None:
        q.answers = [body.strip()]
        ctx.error(base, Message("gift.accepted_empty", {"question": ctx.label}), "warning")

    essay = type_formats.hooks("essay").gift
    short = type_formats.hooks("short_answer").gift
    assert essay is not None and short is not None
    _swap(monkeypatch, "essay", gift=replace(essay, kinds=()))
    _swap(monkeypatch, "short_answer", gift=replace(short, kinds=("essay",), read=read))
    result = gift.read(b"::Open::Write.{}\n", "b.gift")
    assert [(q.type, q.answers) for q in result.bank.questions] == [("short_answer", [""])]
    assert [render(p.message) for p in result.problems] == [
        "question 'Open': an accepted answer (=) is empty"
    ]


def test_the_aiken_writer_and_reader_go_through_the_types_hook(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def read(q: QuestionRecord, options: list[tuple[str, str]], answer: str) -> None:
        q.options = [OptionRecord(f"x{k}", text, k == answer) for k, text in options]

    _swap(
        monkeypatch, "single_choice", aiken=AikenHooks(write=lambda q: (["P", "Q"], 1), read=read)
    )
    written = aiken.write(BankRecord("b", "B", questions=[_choice()])).data
    assert written == b"Agree?\nA. P\nB. Q\nANSWER: B\n"
    back = aiken.read(written, "b.txt").bank.questions[0]
    assert [(o.id, o.correct) for o in back.options] == [("xA", False), ("xB", True)]


def test_without_an_aiken_hook_every_question_is_skipped_and_items_are_unsupported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _swap(monkeypatch, "single_choice", aiken=None)
    result = aiken.write(BankRecord("b", "B", questions=[_choice()]))
    assert (result.data, [s.name for s in result.skipped]) == (b"", ["q1"])
    read = aiken.read(b"Agree?\nA. Yes\nB. No\nANSWER: A\n", "b.txt")
    assert read.bank.questions == []
    assert read.unsupported == [Unsupported("choice", "Agree?", Location("b.txt", 1))]


@pytest.mark.parametrize("code", sorted(texts.GIFT))
def test_every_gift_and_aiken_code_renders_with_its_prefix(code: str) -> None:
    assert code.split(".")[0] in {"gift", "aiken"}
    params = {
        name: "x"
        for name in (
            "question",
            "field",
            "kind",
            "reason",
            "fields",
            "id",
            "scenario",
            "levels",
            "first",
            "last",
            "ids",
            "items",
            "text",
            "weight",
            "rule",
            "number",
            "pair",
            "letter",
            "value",
            "line",
            "byte",
            "stem",
        )
    }
    said = render(Message(code, params, 2))
    assert "%(" not in said and "%%" not in said
