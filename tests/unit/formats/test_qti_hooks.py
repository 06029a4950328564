"""QTI reads and writes each question type through the type's own QtiHooks."""

from __future__ import annotations

import dataclasses
import io
import zipfile

import defusedxml.ElementTree as SafeET
import pytest

from app.domain.messages import Message
from app.formats import qti, qti_interactions, type_formats
from app.formats.qti_interactions import QtiHooks, qti_hooks, reader_for
from app.formats.texts import QTI
from app.messages import render
from tests.unit.formats.sample import every_type_bank

ORIGINAL = [
    "single_choice",
    "true_false",
    "multiple_response",
    "short_answer",
    "essay",
    "matching",
    "ordering",
]
QTI21 = "http://www.imsglobal.org/xsd/imsqti_v2p1"


@pytest.mark.parametrize("key", [*ORIGINAL, "classification"])
def test_every_type_qti_can_hold_gives_its_hooks_in_its_formats_package(key):
    hooks = type_formats.hooks(key).qti
    assert isinstance(hooks, QtiHooks)
    assert hooks.write.__module__ == f"app.question_types.{key}.formats"
    assert hooks.read.__module__ == f"app.question_types.{key}.formats"


def test_each_shared_interaction_has_exactly_one_fallback_type():
    by_interaction: dict[str, list[QtiHooks]] = {}
    for key in [*ORIGINAL, "classification"]:
        hooks = qti_hooks(key)
        assert hooks is not None
        by_interaction.setdefault(hooks.interaction, []).append(hooks)
    for interaction, found in by_interaction.items():
        assert len([h for h in found if h.claims is None]) == 1, interaction


def _item(interaction: str, correct: str = "a") -> bytes:
    values = "".join(f"<value>{v}</value>" for v in correct.split())
    return (
        f'<assessmentItem xmlns="{QTI21}" identifier="x" title="X">'
        '<responseDeclaration identifier="R" cardinality="single" baseType="identifier">'
        f"<correctResponse>{values}</correctResponse></responseDeclaration>"
        f"<itemBody><p>Pick.</p>{interaction}</itemBody></assessmentItem>"
    ).encode()


CHOICES = (
    '<simpleChoice identifier="a">{}</simpleChoice><simpleChoice identifier="b">{}</simpleChoice>'
)


@pytest.mark.parametrize(
    ("max_choices", "texts", "expected"),
    [
        ("1", ("True", "False"), "true_false"),
        ("1", ("Yes", "No"), "single_choice"),
        ("0", ("True", "False"), "multiple_response"),
        ("2", ("Yes", "No"), "multiple_response"),
    ],
)
def test_choice_interactions_go_to_the_one_type_that_claims_them(max_choices, texts, expected):
    body = (
        f'<choiceInteraction responseIdentifier="R" maxChoices="{max_choices}">'
        f"{CHOICES.format(*texts)}</choiceInteraction>"
    )
    element = SafeET.fromstring(
        body.replace("<choiceInteraction", f'<choiceInteraction xmlns="{QTI21}"', 1)
    )
    assert reader_for(element) is qti_hooks(expected)


def test_a_type_without_a_qti_hook_is_skipped_on_export_and_never_read(monkeypatch):
    real = type_formats.hooks

    def without_ordering(key: str) -> type_formats.TypeFormats:
        found = real(key)
        return dataclasses.replace(found, qti=None) if key == "ordering" else found

    monkeypatch.setattr(type_formats, "hooks", without_ordering)
    bank = every_type_bank()
    exported = qti.write(bank)
    assert [(s.kind, s.name) for s in exported.skipped] == [("ordering", "q-order")]
    order_item = (
        f'<assessmentItem xmlns="{QTI21}" identifier="o" title="Order"><itemBody>'
        '<orderInteraction responseIdentifier="R"/></itemBody></assessmentItem>'
    )
    result = qti.read(order_item.encode(), "order.xml")
    assert result.bank.questions == []
    assert [u.kind for u in result.unsupported] == ["orderInteraction"]


def test_the_writer_asks_the_type_hook_for_the_interaction(monkeypatch):
    real = qti_hooks("true_false")
    assert real is not None

    def write(q):
        parts = real.write(q)
        parts.body[0].set("class", "from-the-hook")
        return parts

    swapped = dataclasses.replace(real, write=write)
    original = qti_interactions.qti_hooks
    monkeypatch.setattr(
        "app.formats.qti_package.qti_hooks",
        lambda key: swapped if key == "true_false" else original(key),
    )
    data = qti.write(every_type_bank()).data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b'class="from-the-hook"' in archive.read("items/q-tf.xml")
        assert b'class="from-the-hook"' not in archive.read("items/q-single.xml")


def test_reader_problems_are_messages_with_qti_codes_and_the_same_words():
    xml = _item('<choiceInteraction responseIdentifier="R" maxChoices="1"></choiceInteraction>')
    result = qti.read(xml, "x.xml")
    messages = [p.message for p in result.errors]
    assert all(isinstance(m, Message) and m.code in QTI for m in messages)
    assert [render(m) for m in messages] == [
        "item 'X': the choiceInteraction needs at least two choices",
        "item 'X': correctResponse names 'a', but the choiceInteraction has no choice with "
        "identifier 'a'",
    ]
    body = f'<choiceInteraction responseIdentifier="R">{CHOICES.format("Yes", "No")}'
    (error,) = qti.read(_item(f"{body}</choiceInteraction>", "a b"), "x.xml").errors
    assert render(error.message) == (
        "item 'X': maxChoices is 1 but correctResponse names 2 choices; exactly one is needed"
    )
