"""Which languages a learner may sit a scheme's exams in, and which one to offer first.

A scheme's items are the live questions at its levels. Each shows in its source language
(its bank's) or in any language it has an up-to-date translation in; a language is
offered when at least one item has it, with the share of items that have it, so a
learner knows how much of an exam would fall back to the source. Two grouped queries for
all schemes.

A translation counts when it was made from its question's live version's texts: its
source hash equals the one stored with the version (`QuestionVersion.source_hash`), as
`app.domain.localized.usable` requires; a stale one does not, and its item shows in its
source. The share is exact but for an item of a plug-in type that cannot translate its
own fields (`data`), which `usable` keeps in its source whatever its translation holds
(no bundled type is such).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.extensions import db
from app.models import Bank, Question, QuestionTranslation, QuestionVersion, Scheme

# The interface language is offered first when at least this share of items has it.
DEFAULT_COVERAGE = 0.5


@dataclass(frozen=True)
class LanguageChoice:
    """A language a scheme's exams can be sat in."""

    tag: str  # BCP 47, such as "zh-Hans"
    items: int  # the scheme's items in it (source, or an up-to-date translation)
    total: int  # the scheme's items

    @property
    def share(self) -> float:
        """The share of the scheme's items shown in this language."""
        return self.items / self.total if self.total else 0.0


def _counts() -> tuple[dict[str, dict[str, int]], dict[str, int]]:
    """Level → language → live items shown in it (in their source language or in a
    translation made from their live version's texts); level → live items."""
    live = Question.live_version_id == QuestionVersion.id
    sources = db.session.execute(
        select(QuestionVersion.level, Bank.language, func.count())
        .join(Question, live)
        .join(Bank, Bank.id == Question.bank_id)
        .group_by(QuestionVersion.level, Bank.language)
    )
    shown: dict[str, dict[str, int]] = {}
    totals: dict[str, int] = {}
    for level, language, count in sources:
        shown.setdefault(level, {})[language] = shown.get(level, {}).get(language, 0) + count
        totals[level] = totals.get(level, 0) + count
    translated = db.session.execute(
        select(QuestionVersion.level, QuestionTranslation.language, func.count())
        .join(Question, live)
        .join(
            QuestionTranslation,
            (QuestionTranslation.question_id == Question.id)
            & (QuestionTranslation.source_hash == QuestionVersion.source_hash),
        )
        .group_by(QuestionVersion.level, QuestionTranslation.language)
    )
    for level, language, count in translated:
        per_level = shown.setdefault(level, {})
        per_level[language] = per_level.get(language, 0) + count
    return shown, totals


def choices_by_scheme(schemes: list[Scheme]) -> dict[str, list[LanguageChoice]]:
    """Scheme code → its languages, the most widely shown first."""
    shown, totals = _counts()
    found: dict[str, list[LanguageChoice]] = {}
    for scheme in schemes:
        levels = scheme.practice_levels
        total = sum(totals.get(level, 0) for level in levels)
        items: dict[str, int] = {}
        for level in levels:
            for language, count in shown.get(level, {}).items():
                items[language] = items.get(language, 0) + count
        ranked = sorted(items.items(), key=lambda pair: (-pair[1], pair[0]))
        found[scheme.code] = [LanguageChoice(tag, count, total) for tag, count in ranked]
    return found


def default_choice(choices: list[LanguageChoice], interface: str) -> str:
    """The learner's interface language when enough of the items have it, else the
    language most items show in ("" when the scheme has no items)."""
    for choice in choices:
        if choice.tag == interface and choice.share >= DEFAULT_COVERAGE:
            return choice.tag
    return choices[0].tag if choices else ""
