"""Item-writing rules that look at a whole bank: cues a candidate learns across items.

One item with a throwaway distractor is a small flaw; the same throwaway in forty items
is a rule a test-wise candidate learns ("never pick the certification body"). These
rules count patterns across a bank and flag the ones a guesser could exploit:

- `tf_absolute`: in true/false items, an absolute word (always, never, only, ...) goes
  with one truth value, so "absolute means false" scores far above a guess;
- `recurring_distractor`: a phrase recurs in the wrong options of many items and almost
  never in a key;
- `clause_stems`: too many stems name a clause number, so items test the numbering.

Pure Python, like the rest of the linter: records in, (severity, rule, message) out.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import NamedTuple

from app.domain.lint_rules import WARNING
from app.domain.messages import Message
from app.domain.records import BankRecord, QuestionRecord

# Sweeping or limiting words, as a test-wise candidate reads them.
ABSOLUTE = re.compile(
    r"\b(?:only|always|never|all|every|any|none|no one|solely|entirely|exclusively)\b",
    re.IGNORECASE,
)
# A clause number in a stem: "clause 8", "section 9.2", or any dotted number like 8.5.1.
CLAUSE_NUMBER = re.compile(
    r"\b(?:clauses?|section)\s+\d{1,2}(?:\.\d{1,2}){0,3}\b|\b\d{1,2}\.\d{1,2}(?:\.\d{1,2}){0,2}\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# Words a phrase may not start or end with: a phrase is about its content words.
_GLUE_WORDS = """a an the of to in and or for by on at as is are be was were with that this
    these those it its from but than then so such their they them which who whose because
    since when while if"""
_GLUE = frozenset(_GLUE_WORDS.split())

# true/false: at least this many items, and at least this many with an absolute word,
# before the heuristic's score means anything; it is flagged above this share.
TF_MIN_ITEMS = 8
TF_MIN_ABSOLUTE = 3
TF_LIMIT = 0.75
# A distractor phrase: in wrong options of at least this many items (and this share of
# the bank's choice items), and in keys at most this share as often.
PHRASE_MIN_ITEMS = 8
PHRASE_MIN_SHARE = 0.04
PHRASE_KEY_RATIO = 0.1
PHRASES_REPORTED = 5
# Stems naming a clause number: at most this share of a bank's items.
CLAUSE_STEM_LIMIT = 0.25
CLAUSE_STEM_MIN_ITEMS = 12


class BankHit(NamedTuple):
    """One thing a bank-level rule found."""

    severity: str
    rule: str
    message: Message


def bank_hits(bank: BankRecord) -> list[BankHit]:
    """Every bank-level hit, in rule order."""
    return [*tf_absolute(bank), *recurring_distractor(bank), *clause_stems(bank)]


def tf_absolute(bank: BankRecord) -> list[BankHit]:
    """Flags true/false items whose truth a candidate can read off absolute words."""
    items = [q for q in bank.questions if q.type == "true_false" and q.answer is not None]
    absolute = [q for q in items if ABSOLUTE.search(q.stem)]
    if len(items) < TF_MIN_ITEMS or len(absolute) < TF_MIN_ABSOLUTE:
        return []
    plain = [q for q in items if not ABSOLUTE.search(q.stem)]
    # "absolute means false, otherwise true", and its reverse
    means_false = sum(1 for q in absolute if not q.answer) + sum(1 for q in plain if q.answer)
    means_true = len(items) - means_false
    score = max(means_false, means_true)
    if score / len(items) < TF_LIMIT:
        return []
    absolute_false = sum(1 for q in absolute if not q.answer)
    plain_true = sum(1 for q in plain if q.answer)
    if means_false >= means_true:
        message = Message(
            "lint.tf_absolute_false",
            {
                "score": score,
                "items": len(items),
                "absolute": len(absolute),
                "absolute_false": absolute_false,
                "plain": len(plain),
                "plain_true": plain_true,
            },
        )
    else:
        message = Message(
            "lint.tf_absolute_true",
            {
                "score": score,
                "items": len(items),
                "absolute": len(absolute),
                "absolute_true": len(absolute) - absolute_false,
                "plain": len(plain),
                "plain_false": len(plain) - plain_true,
            },
        )
    return [BankHit(WARNING, "tf-absolute", message)]


def recurring_distractor(bank: BankRecord) -> list[BankHit]:
    """Flags phrases that recur in many items' wrong options and almost never in a key.

    The phrases of one repeated option come together: a phrase is reported only when
    most of the options it appears in are not those of a phrase already reported.
    """
    choice = [q for q in bank.questions if q.options and any(o.correct for o in q.options)]
    options: dict[str, set[tuple[int, int]]] = {}
    items: dict[str, set[int]] = {}
    in_key: Counter[str] = Counter()
    for n, q in enumerate(choice):
        for m, option in enumerate(q.options):
            if option.correct:
                continue
            for phrase in _phrases(option.text):
                options.setdefault(phrase, set()).add((n, m))
                items.setdefault(phrase, set()).add(n)
        in_key.update({p for o in q.options if o.correct for p in _phrases(o.text)})
    least = max(PHRASE_MIN_ITEMS, PHRASE_MIN_SHARE * len(choice))
    flagged = [
        phrase
        for phrase, where in items.items()
        if len(where) >= least and in_key[phrase] <= PHRASE_KEY_RATIO * len(where)
    ]
    # most items first; then the phrase with fewest linking words, then the shortest
    flagged.sort(key=lambda p: (-len(items[p]), _glue_count(p), len(p), p))
    reported: list[set[tuple[int, int]]] = []
    hits: list[BankHit] = []
    for phrase in flagged:
        where = options[phrase]
        if any(len(where & other) > len(where) / 2 for other in reported):
            continue
        reported.append(where)
        message = Message(
            "lint.recurring_distractor",
            {"phrase": phrase, "wrong": len(items[phrase]), "key": in_key[phrase]},
        )
        hits.append(BankHit(WARNING, "recurring-distractor", message))
        if len(hits) == PHRASES_REPORTED:
            break
    return hits


def _glue_count(phrase: str) -> int:
    """How many linking words a phrase holds."""
    return sum(1 for word in phrase.split() if word in _GLUE)


def _phrases(text: str) -> set[str]:
    """The two- and three-word phrases of an option, lower-cased."""
    words = [w.casefold() for w in _WORD.findall(text)]
    found: set[str] = set()
    for size in (2, 3):
        for i in range(len(words) - size + 1):
            gram = words[i : i + size]
            if gram[0] not in _GLUE and gram[-1] not in _GLUE:
                found.add(" ".join(gram))
    return found


def clause_stems(bank: BankRecord) -> list[BankHit]:
    """Flags a bank where too many stems name a clause number."""
    items = bank.questions
    if len(items) < CLAUSE_STEM_MIN_ITEMS:
        return []
    named = sum(1 for q in items if names_clause(q))
    share = named / len(items)
    if share <= CLAUSE_STEM_LIMIT:
        return []
    params = {
        "named": named,
        "items": len(items),
        "share": share * 100,
        "limit": CLAUSE_STEM_LIMIT * 100,
    }
    return [BankHit(WARNING, "clause-stems", Message("lint.clause_stems", params))]


def names_clause(q: QuestionRecord) -> bool:
    """True when the question's stem names a clause number."""
    return bool(CLAUSE_NUMBER.search(q.stem))
