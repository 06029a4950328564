"""What a learner sees in another language: the same parts, ids, order and key; only texts
change, and a translation that does not cover the version is not used at all."""

from __future__ import annotations

import dataclasses

import pytest

from app.domain import localized, question_types, translation
from app.domain.answer_ids import secret_order
from tests.unit.formats.sample import translate, translated_bank

SECRET = "0123456789abcdef0123456789abcdef"


def _questions():
    return {q.type: q for q in translated_bank().questions}


@pytest.mark.parametrize("kind", ["single_choice", "multiple_response", "matching", "ordering"])
def test_a_translated_item_shows_the_same_ids_in_the_same_order(kind):
    source = _questions()[kind]
    shown = localized.localize(source, source.translations["zh-Hans"])
    qtype = question_types.get(kind)
    order = secret_order(SECRET, "1", qtype.shuffle_ids(source))
    assert qtype.shuffle_ids(shown) == qtype.shuffle_ids(source)
    ids = question_types.answer_ids(SECRET, 1, source)
    before = qtype.learner_view(source, order, ids)
    after = qtype.learner_view(shown, order, question_types.answer_ids(SECRET, 1, shown))
    for part in ("options", "prompts", "matches", "steps"):
        if part in before:
            assert [p["id"] for p in after[part]] == [p["id"] for p in before[part]]
            assert all(p["text"].startswith("译：") for p in after[part])
    assert after["stem"].startswith("译：") and "correct" not in str(after)


@pytest.mark.parametrize("kind", ["single_choice", "multiple_response", "matching", "ordering"])
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
