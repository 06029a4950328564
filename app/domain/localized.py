"""Items as a learner sees them in another language: the same parts, ids, order and
key as the source, with the translated texts.

A translation is used only when it was made from the texts of the version shown and
covers every part of it (`usable`); otherwise the item shows in its source language, so
that no text in another language can say what the source no longer does, nor any part
point at a new option. `localize` swaps texts, never parts (a plug-in type's own
fields too, through its `translated_data`), and short answers accept the translated
answers besides the source ones. A case text follows its question: it
shows in the question's language where it has a translation, else in its source.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from app.domain import question_types
from app.domain.records import (
    HintRecord,
    OptionRecord,
    PairRecord,
    QuestionRecord,
    RubricCriterion,
    ScenarioRecord,
    StepRecord,
    TranslationRecord,
)
from app.domain.translation import (
    LATER_TEXT_FIELDS,
    TEXT_FIELDS,
    current_hash,
    data_texts,
    problems,
    scenario_hash,
    scenario_problems,
)


def usable(q: QuestionRecord, t: TranslationRecord) -> bool:
    """Whether learners may see the question in this translation: it was made from the
    source texts as they are in this version (it is not stale) and covers every field
    the source has."""
    return t.source_hash == current_hash(q) and fits(q, t)


def fits(q: QuestionRecord, t: TranslationRecord) -> bool:
    """Whether the translation covers every field the question has, stale or not. An
    item whose type cannot translate its own fields (`data`) keeps its source texts."""
    return data_texts(q) is not None and not problems(q, t)


def localize(q: QuestionRecord, t: TranslationRecord) -> QuestionRecord:
    """The question as a learner sees it in the translation's language: the same ids,
    key, marks and order, with the translated texts (see `usable` first).

    Accepted short answers are the translated ones, then the source's. The record keeps
    its source in `translated_from`, which a type whose parts are named by their texts
    (matching) uses to name them as the source does.
    """
    f = t.fields
    texts = {name: f.get(name, getattr(q, name)) for name in (*TEXT_FIELDS, *LATER_TEXT_FIELDS)}
    options, feedback = f.get("options", {}), f.get("option_feedback", {})
    pairs, steps = f.get("pairs", {}), f.get("steps", {})
    return dataclasses.replace(
        q,
        **texts,
        options=[
            OptionRecord(o.id, options.get(o.id, o.text), o.correct, feedback.get(o.id, o.feedback))
            for o in q.options
        ],
        pairs=[_pair(p, pairs.get(p.id)) for p in q.pairs],
        extra_matches=list(f.get("extra_matches", q.extra_matches)),
        steps=[StepRecord(s.id, steps.get(s.id, s.text)) for s in q.steps],
        answers=list(dict.fromkeys([*f.get("answers", []), *q.answers])),
        rubric=[_line(c, _nth(f.get("rubric"), n)) for n, c in enumerate(q.rubric)],
        hints=[
            HintRecord(_nth(f.get("hints"), n) or h.text, h.show_num_correct, h.clear_wrong)
            for n, h in enumerate(q.hints)
        ],
        data=_data(q, f.get("data")),
        translations={},
        translated_from=q,
    )


def _data(q: QuestionRecord, given: Any) -> dict[str, Any]:
    """The type's own fields with their translated texts, where its type translates them."""
    if not isinstance(given, dict) or data_texts(q) is None:
        return q.data
    return question_types.get(q.type).translated_data(q, given)


def _nth(values: list[Any] | None, n: int) -> Any:
    """The n-th of a translated list, or None past its end."""
    return values[n] if values is not None and n < len(values) else None


def _pair(p: PairRecord, given: Any) -> PairRecord:
    """A pair with its translated prompt and match, where given."""
    given = given if isinstance(given, dict) else {}
    return PairRecord(p.id, given.get("prompt", p.prompt), given.get("match", p.match))


def _line(c: RubricCriterion, given: Any) -> RubricCriterion:
    """A rubric line with its translated criterion and guidance, where given."""
    given = given if isinstance(given, dict) else {}
    return RubricCriterion(
        given.get("criterion", c.criterion), c.marks, given.get("guidance", c.guidance)
    )


def localize_scenario(s: ScenarioRecord, t: TranslationRecord | None) -> ScenarioRecord:
    """A case text in a translation's language (the source where it has no text)."""
    if t is None:
        return s
    return ScenarioRecord(s.id, t.fields.get("title") or s.title, t.fields.get("text") or s.text)


def present(
    q: QuestionRecord,
    source_language: str,
    wanted: str | None,
    translations: dict[str, TranslationRecord],
) -> tuple[QuestionRecord, str]:
    """The record a learner sees when `wanted` is asked for, and the language it is in:
    the translation when it is usable, else the source."""
    t = translations.get(wanted) if wanted and wanted != source_language else None
    if t is not None and usable(q, t):
        return localize(q, t), t.language
    return q, source_language


def for_answers(
    q: QuestionRecord,
    source_language: str,
    language: str | None,
    translations: dict[str, TranslationRecord],
) -> QuestionRecord:
    """The record an answer given in `language` is graded by: the translation as it
    stands whenever it still covers the question, stale or not. The item was shown in
    that language when it was drawn, so a translation brought up to date since (for a
    newer version) still holds the answers the learner may have given; the source's
    answers are accepted as well."""
    t = translations.get(language) if language and language != source_language else None
    return localize(q, t) if t is not None and fits(q, t) else q


def present_case(
    s: ScenarioRecord,
    source_language: str,
    wanted: str | None,
    translations: dict[str, TranslationRecord],
) -> tuple[ScenarioRecord, str]:
    """A case text in `wanted` where it has a usable translation (made from its texts as
    they are, covering them), else in its source."""
    t = translations.get(wanted) if wanted and wanted != source_language else None
    if t is not None and t.source_hash == scenario_hash(s) and not scenario_problems(s, t):
        return localize_scenario(s, t), t.language
    return s, source_language
