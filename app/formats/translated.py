"""Translations in the formats that write each language as a whole copy of an item.

Moodle XML (multilang texts), QTI (one item file per language) and the spreadsheets (a
row per translation) write a translated item as the item itself with the translation's
texts (`question_in`, `case_in`), through the same code that writes the source. Their
readers read such a copy as an item too, and turn it back into a translation of the
source (`read_back`): its fields are the copy's texts in the shape of
`app.domain.translation`, made from the source as it stands (current) unless the file
says which source texts it was made from.

Only translations that fit their source are written (`fitting`), and in the formats that
cannot keep a translation's source hash only current ones; `left_out` warns about the
others.
"""

from __future__ import annotations

import dataclasses

from app.domain import translation
from app.domain.localized import fits, localize, localize_scenario
from app.domain.messages import Message
from app.domain.records import (
    BankRecord,
    Location,
    Problem,
    QuestionRecord,
    ScenarioRecord,
    TranslationRecord,
)

# The formats that keep each translation's source hash: the others cannot tell a stale
# translation from a current one, so they leave stale ones out.
KEEP_HASHES = frozenset({"yaml", "json", "qti"})


def fitting(q: QuestionRecord, current_only: bool = False) -> dict[str, TranslationRecord]:
    """The question's translations that fit it (and, if `current_only`, were made from
    its texts as they are), by language tag, in tag order. None fits an item whose type
    cannot translate its own fields (`data`): a copy would show them untranslated."""
    now = translation.source_hash(q) if current_only else None
    return {
        tag: t
        for tag, t in sorted(q.translations.items())
        if (now is None or t.source_hash == now) and fits(q, t)
    }


def fitting_cases(s: ScenarioRecord, current_only: bool = False) -> dict[str, TranslationRecord]:
    """The case text's translations that fit it (and, if `current_only`, are current),
    by language tag, in tag order."""
    now = translation.scenario_hash(s) if current_only else None
    return {
        tag: t
        for tag, t in sorted(s.translations.items())
        if (now is None or t.source_hash == now) and not translation.scenario_problems(s, t)
    }


def left_out(bank: BankRecord, fmt: str) -> list[Problem]:
    """A warning for each translation that is not written: one that does not fit its
    source (a copy could not show it faithfully), and in a format that cannot keep its
    source hash, a stale one (it would come back as current)."""
    found: list[Problem] = []
    current_only = fmt not in KEEP_HASHES
    items: list[tuple[str, dict[str, TranslationRecord], set[str], set[str]]] = [
        (s.id, s.translations, set(fitting_cases(s)), set(fitting_cases(s, current_only)))
        for s in bank.scenarios
    ]
    items += [
        (q.id, q.translations, set(fitting(q)), set(fitting(q, current_only)))
        for q in bank.questions
    ]
    for item, translations, fit, kept in items:
        for tag in sorted(set(translations) - kept):
            params = {"item": item, "language": tag, "format": fmt}
            if tag in fit:
                message = Message("export.translation_stale", params)
            else:
                message = Message("export.translation_misfit", params)
            found.append(Problem(Location(path=item), message, "warning"))
    return found


def question_in(q: QuestionRecord, t: TranslationRecord) -> QuestionRecord:
    """The question as written in the translation's language: the same ids, keys, marks
    and order with the translated texts; its accepted answers are the translation's own."""
    shown = localize(q, t)
    return dataclasses.replace(
        shown, answers=list(t.fields.get("answers", q.answers)), translated_from=None
    )


def case_in(s: ScenarioRecord | None, t: TranslationRecord | None) -> ScenarioRecord | None:
    """A case text in a translation's language (as it is when it has none there)."""
    return None if s is None else localize_scenario(s, t)


def read_back(
    q: QuestionRecord,
    shown: QuestionRecord,
    language: str,
    source_language: str,
    made_from: str | None = None,
) -> TranslationRecord:
    """The translation that a copy of the question in `language` holds; `made_from`
    is the source hash the file gives, if any (else the source as it stands)."""
    now = translation.source_hash(q)
    fields = translation.source_texts(shown)
    t = TranslationRecord(
        language, source_language, made_from or now, fields, assumed_hash=not made_from
    )
    t.status = translation.status_of(t, now)
    return t


def case_read_back(
    s: ScenarioRecord,
    shown: ScenarioRecord,
    language: str,
    source_language: str,
    made_from: str | None = None,
) -> TranslationRecord:
    """The translation that a copy of a case text in `language` holds."""
    now = translation.scenario_hash(s)
    fields = translation.scenario_texts(shown)
    t = TranslationRecord(
        language, source_language, made_from or now, fields, assumed_hash=not made_from
    )
    t.status = translation.status_of(t, now)
    return t


def misfits(q: QuestionRecord, t: TranslationRecord) -> tuple[list[Message], str]:
    """What does not fit between a question and a translation read back, and how bad
    it is: an error in a current translation (an import leaves it out), a warning in a
    stale one, whose source may since have gained or lost parts (as in the native
    format)."""
    found = [message for _place, message in translation.problems(q, t)]
    return found, "error" if t.status == translation.CURRENT else "warning"


def case_misfits(s: ScenarioRecord, t: TranslationRecord) -> list[Message]:
    """What does not fit between a case text and a translation read back (errors)."""
    return [message for _place, message in translation.scenario_problems(s, t)]


def keeps(found: list[Message], severity: str) -> bool:
    """Whether a translation with these misfits is kept: when it fits, or is stale."""
    return not found or severity == "warning"
