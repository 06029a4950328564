"""The glossary rule: Chinese bank text that uses a rendering the glossary avoids.

Checked are a question's or case text's zh-Hans translation, and the source texts of a
bank written in zh-Hans. Each use of an avoided rendering (app.domain.glossary) is a
warning that names the field, the rendering, the term and the glossary's Chinese term.
The English beside a Chinese text is the English source, or else the item's English
translation; the glossary's cued renderings (需求 for a requirement) are checked only
where there is English beside them.

A short-answer item's accepted answers are not checked: they are what learners may
type, and a bank accepts the everyday renderings there on purpose (轻微不符合 beside
一般不符合).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from app.domain.glossary import Use, avoided_in
from app.domain.lint_bank import BankHit
from app.domain.lint_rules import WARNING, Context, Hit
from app.domain.messages import Message
from app.domain.records import BankRecord, QuestionRecord
from app.domain.translation import scenario_texts, source_texts

RULE = "glossary"
_NOT_CHECKED = frozenset({"answers"})
_TRADITIONAL = frozenset({"hant", "tw", "hk", "mo"})


def is_simplified_chinese(tag: str) -> bool:
    """Whether a language tag names Simplified Chinese (zh-Hans, zh, zh-CN…)."""
    parts = tag.lower().split("-")
    return parts[0] == "zh" and not _TRADITIONAL & set(parts[1:])


def field_texts(fields: dict[str, Any]) -> dict[str, str]:
    """Each text of translation-shaped fields by its path: `stem`, `options.b`,
    `pairs.p1.match`, `rubric.2.guidance`, `hints.1` (lists count from 1); accepted
    answers left out."""
    found: dict[str, str] = {}

    def walk(value: Any, path: tuple[str, ...]) -> None:
        if isinstance(value, str):
            found[".".join(path)] = value
        elif isinstance(value, dict):
            for key, part in value.items():
                walk(part, (*path, str(key)))
        elif isinstance(value, list):
            for n, part in enumerate(value):
                walk(part, (*path, str(n + 1)))

    for name, value in fields.items():
        if name not in _NOT_CHECKED:
            walk(value, (name,))
    return found


def uses(chinese: dict[str, Any], english: dict[str, Any] | None) -> list[tuple[str, Use]]:
    """(field, use) of every avoided rendering in Chinese fields, in field order, with the
    English fields of the same shape beside them (None: there are none)."""
    beside = field_texts(english) if english is not None else {}
    return [
        (path, use)
        for path, text in field_texts(chinese).items()
        for use in avoided_in(text, beside.get(path) if english is not None else None)
    ]


def _pairs(
    source: dict[str, Any], language: str, translations: dict[str, Any]
) -> Iterator[tuple[str | None, dict[str, Any], dict[str, Any] | None]]:
    """(translation's language or None for the source, Chinese fields, English fields or
    None) of each Chinese text of an item."""
    english = None
    if language == "en":
        english = source
    elif "en" in translations:
        english = translations["en"].fields
    if is_simplified_chinese(language):
        yield None, source, english
    for tag, t in sorted(translations.items()):
        if is_simplified_chinese(tag) and not is_simplified_chinese(language):
            yield tag, t.fields, english


def glossary_terms(q: QuestionRecord, ctx: Context) -> Iterator[Hit]:
    """Renderings the glossary avoids in the question's Chinese texts."""
    for tag, chinese, english in _pairs(source_texts(q), ctx.language, q.translations):
        for path, use in uses(chinese, english):
            avoided, term, preferred = use.avoid.text, use.term.english, use.term.chinese
            if tag is None:
                said = {"field": path, "avoided": avoided, "term": term, "preferred": preferred}
                yield Hit(WARNING, RULE, Message("lint.glossary_source", said))
            else:
                given = {
                    "language": tag,
                    "field": path,
                    "avoided": avoided,
                    "term": term,
                    "preferred": preferred,
                }
                yield Hit(WARNING, RULE, Message("lint.glossary_translation", given))


def case_text_hits(bank: BankRecord) -> list[BankHit]:
    """Renderings the glossary avoids in the bank's case texts' Chinese titles and texts."""
    found = []
    for case in bank.scenarios:
        texts: dict[str, Any] = dict(scenario_texts(case))
        for tag, chinese, english in _pairs(texts, bank.language, case.translations):
            for path, use in uses(chinese, english):
                avoided, term, preferred = use.avoid.text, use.term.english, use.term.chinese
                if tag is None:
                    said = {
                        "scenario": case.id,
                        "field": path,
                        "avoided": avoided,
                        "term": term,
                        "preferred": preferred,
                    }
                    message = Message("lint.case_glossary_source", said)
                else:
                    given = {
                        "scenario": case.id,
                        "language": tag,
                        "field": path,
                        "avoided": avoided,
                        "term": term,
                        "preferred": preferred,
                    }
                    message = Message("lint.case_glossary_translation", given)
                found.append(BankHit(WARNING, RULE, message))
    return found
