"""Item-writing rules for test-wise cues: wording that gives the key away without knowledge.

These rules build on the hit and context types of `app.domain.lint_rules`, which runs
them with its other one-question rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from app.domain.lint_rules import WARNING, Context, Hit, Rule
from app.domain.messages import Message
from app.domain.records import OptionRecord, QuestionRecord

# Sweeping or limiting words are rarely true of a standard, so test-wise candidates
# strike out options that use them.
_ABSOLUTE = re.compile(
    r"\b(?:only|always|never|all|every|none|solely|exclusively)\b", re.IGNORECASE
)
_CHOICE_TYPES = frozenset({"single_choice", "multiple_response"})


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


CUE_RULES: tuple[Rule, ...] = (absolute_distractors,)
