"""Item-writing rules for test-wise cues: wording that gives the key away without knowledge.

These rules build on the hit and context types of `app.domain.lint_rules`, which runs
them with its other one-question rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from app.domain.lint_rules import WARNING, Context, Hit, Rule
from app.domain.messages import Message
from app.domain.records import OptionRecord, QuestionRecord

# Sweeping or limiting words are rarely true of a standard, so test-wise candidates
# strike out options that use them.
_ABSOLUTE = re.compile(
    r"\b(?:only|always|never|all|every|none|solely|exclusively)\b", re.IGNORECASE
)
_CHOICE_TYPES = frozenset({"single_choice", "multiple_response"})
_WORD = re.compile(r"[^\W\d_]+")
# A scenario item restates its case when this share of its stem's three-word runs is
# copied from the case text; short stems ("In Exhibit 2, which …") are left alone.
RESTATE_SHARE = 0.4
RESTATE_MIN_WORDS = 15


def absolute_distractors(q: QuestionRecord, ctx: Context) -> Iterator[Hit]:
    """Every distractor speaks in absolutes and no key does: a guesser strikes them all."""
    if q.type not in _CHOICE_TYPES:
        return
    keys = [o for o in q.options if o.correct]
    wrong = [o for o in q.options if not o.correct]
    if not keys or not wrong:
        return
    if all(absolute_words(o) for o in wrong) and not any(absolute_words(o) for o in keys):
        found = sorted({word for o in wrong for word in absolute_words(o)})
        quoted = ", ".join(f'"{word}"' for word in found)
        key_ids = ", ".join(o.id for o in keys)
        message = Message("lint.absolute_distractors", {"words": quoted, "keys": key_ids})
        yield Hit(WARNING, "absolute-distractors", message)


def absolute_words(option: OptionRecord) -> list[str]:
    """The absolute or limiting words of an option, lower-cased, in order of appearance."""
    return [word.casefold() for word in _ABSOLUTE.findall(option.text)]


def scenario_restates(q: QuestionRecord, ctx: Context) -> Iterator[Hit]:
    """A scenario item that copies the facts it needs from the case needs no case."""
    scenario = ctx.scenarios.get(q.scenario) if q.scenario else None
    if scenario is None:
        return
    stem = _words(q.stem)
    if len(stem) < RESTATE_MIN_WORDS:
        return
    runs = [stem[i : i + 3] for i in range(len(stem) - 2)]
    case = _runs(scenario.text)
    share = sum(1 for run in runs if run in case) / len(runs)
    if share >= RESTATE_SHARE:
        message = Message("lint.scenario_restates", {"scenario": scenario.id, "share": share * 100})
        yield Hit(WARNING, "scenario-restates", message)


def _words(text: str) -> tuple[str, ...]:
    """The words of a text, lower-cased."""
    return tuple(w.casefold() for w in _WORD.findall(text))


@lru_cache(maxsize=256)
def _runs(text: str) -> frozenset[tuple[str, ...]]:
    """Every run of three words of a case text (cached: many items share one case)."""
    words = _words(text)
    return frozenset(words[i : i + 3] for i in range(len(words) - 2))


# Marks that shape an option ("Minor: the lapse is isolated"); the key alone using one,
# or alone lacking it, sets it apart from the distractors.
_FORM_MARKS = (":", ";", " — ", " – ", " - ", "(")


def key_form(q: QuestionRecord, ctx: Context) -> Iterator[Hit]:
    """The one key of a choice item is the only option written in its form."""
    keys = [o for o in q.options if o.correct]
    if q.type not in _CHOICE_TYPES or len(keys) != 1 or len(q.options) < 3:
        return
    key, others = keys[0], [o for o in q.options if not o.correct]
    for mark in _FORM_MARKS:
        if mark in key.text and not any(mark in o.text for o in others):
            message = Message("lint.key_form_only_with", {"key": key.id, "mark": mark.strip()})
            yield Hit(WARNING, "key-form", message)
            return
        if mark not in key.text and all(mark in o.text for o in others):
            message = Message("lint.key_form_only_without", {"key": key.id, "mark": mark.strip()})
            yield Hit(WARNING, "key-form", message)
            return


CUE_RULES: tuple[Rule, ...] = (absolute_distractors, scenario_restates, key_form)
