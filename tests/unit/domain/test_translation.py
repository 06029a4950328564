"""What a learner sees in another language: the same parts, ids, order and key; only texts
change, and a translation that does not cover the version is not used at all."""

from __future__ import annotations

import dataclasses

import pytest

from app.domain import localized, question_types, translation
from app.domain.answer_ids import secret_order
from app.domain.question_types.base import QuestionType
from app.domain.records import QuestionRecord
from app.question_types.classification.domain import Classification
from tests.unit.formats.sample import translate, translated_bank, translated_classification

SECRET = "0123456789abcdef0123456789abcdef"


def _questions():
    return {q.type: q for q in [*translated_bank().questions, translated_classification()]}


KINDS = ["single_choice", "multiple_response", "matching", "ordering", "classification"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_translated_item_shows_the_same_ids_in_the_same_order(kind):
    source = _questions()[kind]
    shown = localized.localize(source, source.translations["zh-Hans"])
    qtype = question_types.get(kind)
    order = secret_order(SECRET, "1", qtype.shuffle_ids(source))
    assert qtype.shuffle_ids(shown) == qtype.shuffle_ids(source)
    ids = question_types.answer_ids(SECRET, 1, source)
    before = qtype.learner_view(source, order, ids)
    after = qtype.learner_view(shown, order, question_types.answer_ids(SECRET, 1, shown))
    for part in ("options", "prompts", "matches", "steps", "items", "categories"):
        if part in before:
            assert [p["id"] for p in after[part]] == [p["id"] for p in before[part]]
            assert all(p["text"].startswith("译：") for p in after[part])
    assert after["stem"].startswith("译：") and "correct" not in str(after)


@pytest.mark.parametrize("kind", KINDS)
def test_a_response_to_the_translation_is_stored_and_graded_as_one_to_the_source(kind):
    source = _questions()[kind]
    shown = localized.localize(source, source.translations["zh-Hans"])
    qtype = question_types.get(kind)
    key = qtype.correct_response(source)
    assert qtype.correct_response(shown) == key
    public = qtype.public_response(shown, key, question_types.answer_ids(SECRET, 1, shown))
    parsed = qtype.parse_response(shown, public, question_types.answer_ids(SECRET, 1, shown))
    assert parsed == qtype.parse_response(
        source, public, question_types.answer_ids(SECRET, 1, source)
    )
    assert qtype.grade(shown, parsed) == qtype.grade(source, parsed) == 1.0
    assert qtype.random_guess(shown) == qtype.random_guess(source)


def test_a_short_answer_in_translation_accepts_its_answers_and_the_sources():
    source = _questions()["short_answer"]
    source.translations["zh-Hans"].fields["answers"] = ["第 8.6.3 条", "8.6.3"]
    shown = localized.localize(source, source.translations["zh-Hans"])
    qtype = question_types.get("short_answer")
    assert qtype.grade(shown, "第 8.6.3 条") == 1.0
    assert qtype.grade(shown, "clause 8.6.3") == 1.0  # the source's answers still count
    assert qtype.grade(source, "第 8.6.3 条") == 0.0  # shown in English: only English ones
    assert qtype.correct_response(shown) == "第 8.6.3 条"


def test_a_translation_that_does_not_cover_the_version_is_not_shown():
    source = _questions()["single_choice"]
    t = source.translations["zh-Hans"]
    del t.fields["options"]["d"]  # say, the source gained option d since the translation
    assert not localized.usable(source, t)
    record, language = localized.present(source, "en", "zh-Hans", source.translations)
    assert (record, language) == (source, "en")
    t.fields["options"]["d"] = "译：d"
    record, language = localized.present(source, "en", "zh-Hans", source.translations)
    assert language == "zh-Hans" and record.translated_from is source


def test_a_stale_translation_is_not_shown_until_it_is_brought_up_to_date():
    """The source moved on (here its key's option now says something else): learners see
    the source, never a translation that may contradict the key they are marked by."""
    source = _questions()["single_choice"]
    t = source.translations["zh-Hans"]
    assert localized.present(source, "en", "zh-Hans", source.translations)[1] == "zh-Hans"
    changed = dataclasses.replace(
        source, options=[dataclasses.replace(source.options[0], text="A reworded option")]
    )
    changed.options += source.options[1:]
    assert translation.status_of(t, translation.source_hash(changed)) == "stale"
    assert localized.fits(changed, t) and not localized.usable(changed, t)
    assert localized.present(changed, "en", "zh-Hans", changed.translations) == (changed, "en")
    t.source_hash = translation.source_hash(changed)  # a trainer confirms it
    record, language = localized.present(changed, "en", "zh-Hans", changed.translations)
    assert language == "zh-Hans" and record.translated_from is changed


def test_the_source_hash_kept_on_a_shared_record_is_never_copied_to_a_changed_one():
    source = _questions()["true_false"]
    now = translation.current_hash(source)
    assert now == translation.source_hash(source) == source.source_hash_seen
    reworded = dataclasses.replace(source, explanation=source.explanation + " (reworded)")
    assert reworded.source_hash_seen is None
    assert translation.current_hash(reworded) != now


def test_an_answer_given_in_a_translation_is_graded_by_it_even_once_it_is_stale():
    """The learner was shown the item in Chinese when it was drawn; the translation has
    moved on since (for a newer version): their Chinese answer still counts."""
    source = _questions()["short_answer"]
    t = source.translations["zh-Hans"]
    t.fields["answers"] = ["第 8.6.3 条"]
    t.source_hash = "0" * translation.HASH_DIGITS
    assert localized.present(source, "en", "zh-Hans", source.translations)[1] == "en"
    graded = localized.for_answers(source, "en", "zh-Hans", source.translations)
    qtype = question_types.get("short_answer")
    assert qtype.grade(graded, "第 8.6.3 条") == 1.0
    assert qtype.grade(graded, "clause 8.6.3") == 1.0
    assert localized.for_answers(source, "en", "en", source.translations) is source


def test_a_case_text_follows_its_translation_or_stays_in_its_source():
    case = translated_bank().scenarios[0]
    shown, language = localized.present_case(case, "en", "zh-Hans", case.translations)
    assert (shown.title, language) == ("译：A service desk", "zh-Hans")
    assert localized.present_case(case, "en", "fr", case.translations) == (case, "en")
    retold = dataclasses.replace(case, text=case.text + " It has since grown.")
    assert localized.present_case(retold, "en", "zh-Hans", retold.translations) == (retold, "en")


def test_interface_locales_name_content_languages():
    assert translation.interface_tag("zh_Hans") == "zh-Hans"
    assert translation.interface_tag("zh") == "zh-Hans"
    assert translation.interface_tag("en") == "en"


def test_translate_helper_gives_a_current_translation():
    q = _questions()["essay"]
    assert translation.problems(q, translate(q)) == []


# --- a plug-in type's own texts (`data`) --------------------------------------------


def test_a_classifications_categories_and_items_are_source_texts_keyed_by_their_ids():
    q = _questions()["classification"]
    assert translation.source_texts(q)["data"] == {
        "categories": {"inc": "Incident", "req": "Service request"},
        "items": {
            "i1": "The printer on floor 2 is down",
            "i2": "A new starter needs a laptop",
            "i3": "Users cannot log in",
        },
    }
    before = translation.source_hash(q)
    q.data["items"][2]["category"] = "req"  # the key is not a text
    assert translation.source_hash(q) == before
    q.data["categories"][1]["text"] = "Request"
    assert translation.source_hash(q) != before


def test_a_translated_classification_is_shown_to_learners_in_its_language():
    q = _questions()["classification"]
    record, language = localized.present(q, "en", "zh-Hans", q.translations)
    assert language == "zh-Hans" and record.translated_from is q
    assert record.data == {
        "categories": [
            {"id": "inc", "text": "译：Incident"},
            {"id": "req", "text": "译：Service request"},
        ],
        "items": [
            {"id": "i1", "text": "译：The printer on floor 2 is down", "category": "inc"},
            {"id": "i2", "text": "译：A new starter needs a laptop", "category": "req"},
            {"id": "i3", "text": "译：Users cannot log in", "category": "inc"},
        ],
    }
    assert q.data["categories"][0]["text"] == "Incident"  # the source is left as it was


def _codes(q: QuestionRecord, fields: dict) -> list[tuple[tuple, str]]:
    t = translation.problems(q, dataclasses.replace(q.translations["zh-Hans"], fields=fields))
    return [(place, m.code) for place, m in t]


def test_a_translation_of_a_classification_must_cover_every_category_and_item():
    q = _questions()["classification"]
    good = q.translations["zh-Hans"].fields
    assert translation.problems(q, q.translations["zh-Hans"]) == []
    without = {k: v for k, v in good.items() if k != "data"}
    assert _codes(q, without) == [((), "translation.missing")]
    lacking = good | {
        "data": {"categories": good["data"]["categories"], "items": {"i1": "一", "i2": "二"}}
    }
    assert _codes(q, lacking) == [(("data", "items"), "translation.missing_parts")]
    extra = good | {"data": good["data"] | {"items": good["data"]["items"] | {"i9": "九"}}}
    assert _codes(q, extra) == [(("data", "items", "i9"), "translation.unknown_part")]
    group = good | {"data": good["data"] | {"colours": {"r": "红"}}}
    assert _codes(q, group) == [(("data", "colours"), "translation.unknown_part")]
    no_group = good | {"data": {"items": good["data"]["items"]}}
    assert _codes(q, no_group) == [(("data",), "translation.missing_parts")]
    empty = good | {"data": good["data"] | {"categories": {"inc": "事件", "req": " "}}}
    assert _codes(q, empty) == [(("data", "categories", "req"), "translation.empty")]
    alike = good | {"data": good["data"] | {"categories": {"inc": "事件", "req": "事件"}}}
    assert _codes(q, alike) == [(("data", "categories"), "translation.repeated")]


def test_the_problems_of_a_classifications_translation_read_as_the_others_do():
    from app.messages import render

    q = _questions()["classification"]
    t = q.translations["zh-Hans"]
    t.fields["data"]["items"]["i9"] = "九"
    del t.fields["data"]["categories"]["req"]
    said = sorted(render(m) for _place, m in translation.problems(q, t))
    assert said == [
        "q-class, translation zh-Hans: data.categories lacks req, which the source has",
        "q-class, translation zh-Hans: data.items names i9, which the source does not have",
    ]


def test_a_type_that_cannot_translate_its_data_keeps_its_source_texts(monkeypatch):
    """The base class's default: a plug-in that says nothing of its `data` texts shows
    its items in their source language only, whatever the translation carries."""
    q = _questions()["classification"]
    t = q.translations["zh-Hans"]
    assert QuestionType.data_texts(Classification(), q) is None
    kept = QuestionType.translated_data(Classification(), q, {"items": {"i1": "一"}})
    assert kept == q.data and kept is not q.data
    monkeypatch.setattr(Classification, "data_texts", QuestionType.data_texts)
    del t.fields["data"]
    t.source_hash = translation.source_hash(q)
    assert translation.problems(q, t) == []  # its other texts fit…
    assert not localized.fits(q, t) and not localized.usable(q, t)  # …but it is not shown
    assert localized.present(q, "en", "zh-Hans", q.translations) == (q, "en")
    assert localized.for_answers(q, "en", "zh-Hans", q.translations) is q


def test_a_type_without_data_is_translated_as_before():
    q = _questions()["single_choice"]
    assert "data" not in translation.source_texts(q)
    assert localized.usable(q, q.translations["zh-Hans"])
