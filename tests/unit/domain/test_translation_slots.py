"""The side-by-side editor's slots: one per source text, in written order; the texts
given for them make translation fields of the source's shape, which fit every type."""

from __future__ import annotations

import pytest

from app.domain import translation
from app.domain.translation_slots import ANSWERS, fields_from, slots, values
from tests.unit.formats.sample import translated_bank, translated_classification


def _questions():
    return {q.type: q for q in [*translated_bank().questions, translated_classification()]}


@pytest.mark.parametrize("kind", sorted(_questions()))
def test_every_types_stored_translation_goes_through_the_slots_unchanged(kind):
    q = _questions()[kind]
    stored = q.translations["zh-Hans"]
    shown = slots(translation.source_texts(q))
    assert fields_from(shown, values(stored.fields, shown)) == stored.fields
    assert translation.problems(q, stored) == []


def test_slots_follow_the_written_order_and_name_each_part():
    q = _questions()["single_choice"]
    paths = [slot.path for slot in slots(translation.source_texts(q))]
    assert paths[:3] == [("title",), ("stem",), ("options", "a")]
    assert paths.index(("explanation",)) > paths.index(("options", "c"))
    assert paths[-1] == ("hints", 0)
    essay = [slot.path for slot in slots(translation.source_texts(_questions()["essay"]))]
    assert ("rubric", 0, "criterion") in essay


def test_answers_are_one_slot_of_lines_and_blank_slots_stay_empty_texts():
    q = _questions()["short_answer"]
    shown = slots(translation.source_texts(q))
    answers = next(slot for slot in shown if slot.path == ANSWERS)
    assert answers.lines and answers.source == "\n".join(q.answers)
    made = fields_from(shown, {ANSWERS: " 事件 \r\n\r\n事件记录\r\n", ("stem",): "  "})
    assert made["answers"] == ["事件", "事件记录"] and made["stem"] == ""
    assert ("stem",) in [place for place, _m in translation.problems(q, _record(q, made))]


def test_a_part_the_source_gained_since_shows_empty():
    q = _questions()["single_choice"]
    stored = dict(q.translations["zh-Hans"].fields)
    stored["options"] = {k: v for k, v in stored["options"].items() if k != "b"}
    shown = slots(translation.source_texts(q))
    assert values(stored, shown)[("options", "b")] == ""


def _record(q, fields):
    from app.domain.records import TranslationRecord

    return TranslationRecord("zh-Hans", "en", translation.source_hash(q), fields)


def test_a_plug_in_types_own_texts_are_slots_after_the_parts():
    q = _questions()["classification"]
    paths = [slot.path for slot in slots(translation.source_texts(q))]
    assert paths == [
        ("stem",),
        ("data", "categories", "inc"),
        ("data", "categories", "req"),
        ("data", "items", "i1"),
        ("data", "items", "i2"),
        ("data", "items", "i3"),
        ("explanation",),
    ]
