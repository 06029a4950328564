"""Item-writing rules that look at one question at a time.

Each rule is a small function of a question and its bank's context that yields hits:
a severity, a rule id and a message code with its parameters (worded in `app.messages`).
`app.domain.lint` adds the question's id, bank and location, and runs the rules that
compare questions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from app.domain.messages import Message
from app.domain.records import OptionRecord, QuestionRecord, ScenarioRecord
from app.domain.translation import source_hash

ERROR = "error"
WARNING = "warning"
MIN_EXPLANATION = 80

_CLAUSE_REFERENCE = re.compile(
    r"\b\d{1,2}(?:\.\d{1,2}){1,3}\b|\bclauses?\b|\bISO(?:/IEC)?\s*\d", re.IGNORECASE
)
# Clause 1 (the series, certification) and 3 (terms) have no clause worth citing.
_GENERAL_CLAUSES = frozenset({"1", "3"})
_CATCH_ALL = re.compile(
    r"\b(?:all|none) of the above\b"
    r"|\bboth \(?[a-e]\)? and \(?[a-e]\)?(?!\w)"
    r"|\bneither \(?[a-e]\)? nor \(?[a-e]\)?(?!\w)",
    re.IGNORECASE,
)
_NEGATIVES = r"not|except|least|never"
_EMPHASISED = re.compile(
    rf"(\*\*|\*|__|_)\s*(?:{_NEGATIVES})\s*\1|<(strong|b|em)>\s*(?:{_NEGATIVES})\s*</\2>",
    re.IGNORECASE,
)
# Phrases that contain a negative word but do not turn the question around.
_NOT_NEGATIVE = re.compile(r"\bat least\b|\bnot only\b|\bor not\b|\bif not\b", re.IGNORECASE)
_SHOUTED = re.compile(r"\b(?:NOT|EXCEPT|LEAST|NEVER)\b")
# A lower-case negative counts only in the asking clause: after the question word, with no
# comma between, so that "If X is not done, how ...?" and "…, for example by not …" pass.
_ASKED = re.compile(
    rf"\b(?:which|what|who|whom|whose|when|where|why|how)\b[^,;:?]*?\b(?P<word>{_NEGATIVES}|cannot)\b",
    re.IGNORECASE,
)
_QUESTION_WORD = re.compile(r"^\W*(?:which|what|who|whom|whose|when|where|why|how)\b", re.I)
_SENTENCE_BREAK = re.compile(r"(?<=[.?!:])\s+|\n\s*\n")
_WORD = re.compile(r"[^\W\d_]+")
_CAPITALISED = re.compile(r"(?<![\w'])[A-Z][^\W\d_]*[a-z][^\W\d_]*")


def _word_set(words: str) -> frozenset[str]:
    """The words of a space-separated list."""
    return frozenset(words.split())


_STOPWORDS = _word_set(
    """about above according across after again against among answer applies apply based
    because before being below best between cannot choose correct could describe describes
    during every example false first following further given having least likely might never
    option other others scenario shall should since statement their there these thing things
    those through true under until where which while whose within without would"""
)
# Words every ISO/IEC 20000 item uses; a key that repeats them gives nothing away.
_DOMAIN_WORDS = _word_set(
    """audit auditor clause information management organization organisation process
    requirement service standard system"""
)
_CALENDAR = _word_set(
    """january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday"""
)
_SCENARIO_WORDS = frozenset({"scenario", "case"})


class Hit(NamedTuple):
    """One thing a rule found wrong with a question."""

    severity: str
    rule: str
    message: Message


@dataclass(frozen=True)
class Context:
    """What question rules need beyond the question: clause numbers, the bank's scenarios
    and the bank's language (its source texts')."""

    clause_numbers: frozenset[str]
    scenarios: dict[str, ScenarioRecord] = field(default_factory=dict)
    knows_2011: bool = False
    language: str = "en"


Rule = Callable[[QuestionRecord, Context], Iterator[Hit]]


def explanation_missing(q: QuestionRecord, ctx: Context) -> Iterator[Hit]:
    """An item without an explanation teaches the learner nothing after answering."""
    if not q.explanation.strip():
        yield Hit(ERROR, "explanation-missing", Message("lint.explanation_missing"))


def explanation_short(q: QuestionRecord, ctx: Context) -> Iterator[Hit]:
    """An explanation under 80 characters rarely covers both the key and a distractor."""
    size = len(q.explanation.strip())
    if 0 < size < MIN_EXPLANATION:
        message = Message("lint.explanation_short", {"size": size, "minimum": MIN_EXPLANATION})
        yield Hit(WARNING, "explanation-short", message)


def explanation_no_clause(q: QuestionRecord, ctx: Context) -> Iterator[Hit]:
    """The explanation should point to the clause the answer rests on."""
    text = q.explanation.strip()
    exempt = bool(q.clauses) and set(q.clauses) <= _GENERAL_CLAUSES
    if text and not exempt and not _CLAUSE_REFERENCE.search(text):
        yield Hit(WARNING, "explanation-no-clause", Message("lint.explanation_no_clause"))


def clause_unknown(q: QuestionRecord, ctx: Context) -> Iterator[Hit]:
    """Clause tags missing from the edition's clause tree ("2011:" entries for 2011 items)."""
    if q.edition == "2018":
        prefix = ""
    elif q.edition == "2011" and ctx.knows_2011:
        prefix = "2011:"
    else:
        return
    for clause in q.clauses:
        if clause.strip() and prefix + clause.strip() not in ctx.clause_numbers:
            message = Message("lint.clause_unknown", {"clause": clause, "edition": q.edition})
            yield Hit(ERROR, "clause-unknown", message)


def all_none_above(q: QuestionRecord, ctx: Context) -> Iterator[Hit]:
    """Options that point at other options let a partly informed candidate guess."""
    for option in q.options:
        found = _CATCH_ALL.search(option.text)
        if found:
            message = Message("lint.all_none_above", {"option": option.id, "words": found.group(0)})
            yield Hit(ERROR, "all-none-above", message)


def negative_stem(q: QuestionRecord, ctx: Context) -> Iterator[Hit]:
    """A negative word in the question sentence, unless it is emphasised, is easily missed."""
    sentence = question_sentence(q.stem)
    plain = _NOT_NEGATIVE.sub(" ", _EMPHASISED.sub(" ", sentence))
    found = _SHOUTED.search(plain)
    word = found.group(0) if found else None
    if word is None and (sentence.rstrip().endswith("?") or _QUESTION_WORD.match(sentence)):
        asked = _ASKED.search(plain)
        word = asked.group("word") if asked else None
    if word:
        message = Message("lint.negative_stem", {"word": word, "capitals": word.upper()})
        yield Hit(WARNING, "negative-stem", message)


def key_word_clue(q: QuestionRecord, ctx: Context) -> Iterator[Hit]:
    """A distinctive word of the question repeated by the key alone points a guesser at it."""
    key = _single_key(q)
    if key is None:
        return
    # Words of a case description are not clues; the asking sentence is where they tell.
    asked, in_key = content_words(question_sentence(q.stem)), content_words(key.text)
    shared = [root for root in asked if root in in_key]
    if not shared:
        return
    in_distractors = {w for o in q.options if o is not key for w in content_words(o.text)}
    clues = [asked[root] for root in shared if root not in in_distractors]
    if clues:
        quoted = ", ".join(f'"{word}"' for word in clues)
        message = Message("lint.key_word_clue", {"words": quoted})
        yield Hit(WARNING, "key-word-clue", message)


def short_distractor(q: QuestionRecord, ctx: Context) -> Iterator[Hit]:
    """Distractors much shorter than the key, or than the other options, are easy to rule out."""
    key = _single_key(q)
    if key is None:
        return
    key_size = len(key.text.strip())
    for option in q.options:
        if option is key:
            continue
        size, words = len(option.text.strip()), word_count(option.text)
        others = [word_count(o.text) for o in q.options if o is not option]
        average = sum(others) / len(others)
        if key_size >= 30 and size < 0.4 * key_size:
            message = Message(
                "lint.short_distractor_characters",
                {"option": option.id, "size": size, "key_size": key_size},
            )
            yield Hit(WARNING, "short-distractor", message)
        elif words < 3 and average >= 7:
            message = Message(
                "lint.short_distractor_words",
                {"option": option.id, "words": words, "average": average},
            )
            yield Hit(WARNING, "short-distractor", message)


def scenario_unused(q: QuestionRecord, ctx: Context) -> Iterator[Hit]:
    """A scenario item whose stem never refers to the case can be answered without it."""
    scenario = ctx.scenarios.get(q.scenario) if q.scenario else None
    if scenario is None:
        return
    stem = q.stem.casefold()
    words = {_root(w) for w in _WORD.findall(stem)}
    if words & _SCENARIO_WORDS or scenario.title.strip().casefold() in stem:
        return
    if words & scenario_names(scenario.title, scenario.text):
        return
    message = Message("lint.scenario_unused", {"scenario": scenario.id})
    yield Hit(WARNING, "scenario-unused", message)


def choice_count(q: QuestionRecord, ctx: Context) -> Iterator[Hit]:
    """Foundation exams use single-choice items with four options."""
    if q.type == "single_choice" and q.level == "foundation" and len(q.options) != 4:
        message = Message("lint.choice_count", {"options": len(q.options)})
        yield Hit(WARNING, "choice-count", message)


def translation_stale(q: QuestionRecord, ctx: Context) -> Iterator[Hit]:
    """A translation made from source texts that have changed since may now say
    something else: learners see the source until it is brought up to date."""
    if not q.translations:
        return
    now = source_hash(q)
    for tag, t in sorted(q.translations.items()):
        if t.source_hash != now:
            found = {"language": tag, "made_from": t.source_hash, "now": now}
            yield Hit(WARNING, "translation-stale", Message("lint.translation_stale", found))


QUESTION_RULES: tuple[Rule, ...] = (
    explanation_missing,
    explanation_short,
    explanation_no_clause,
    clause_unknown,
    all_none_above,
    negative_stem,
    key_word_clue,
    short_distractor,
    scenario_unused,
    choice_count,
    translation_stale,
)


def question_hits(q: QuestionRecord, ctx: Context) -> Iterator[Hit]:
    """Every hit of every question rule, in rule order."""
    for rule in all_question_rules():
        yield from rule(q, ctx)


@lru_cache(maxsize=1)
def all_question_rules() -> tuple[Rule, ...]:
    """The rules above followed by the test-wise cue rules of `app.domain.lint_cues` and
    the glossary rule of `app.domain.lint_glossary`."""
    # Imported here because those rules build on this module's Hit and Context.
    from app.domain.lint_cues import CUE_RULES
    from app.domain.lint_glossary import glossary_terms

    return (*QUESTION_RULES, *CUE_RULES, glossary_terms)


def question_sentence(stem: str) -> str:
    """The sentence that asks: the last one ending in "?", else the stem's last sentence."""
    sentences = [s for s in _SENTENCE_BREAK.split(stem.strip()) if s.strip()]
    asking = [s for s in sentences if s.rstrip().endswith("?")]
    return (asking or sentences or [""])[-1]


def content_words(text: str) -> dict[str, str]:
    """Distinctive words of a text (5+ letters, not stopwords), keyed by their singular."""
    found: dict[str, str] = {}
    for word in _WORD.findall(text.casefold()):
        root = _root(word)
        if len(word) >= 5 and root not in _STOPWORDS and root not in _DOMAIN_WORDS:
            found.setdefault(root, word)
    return found


def word_count(text: str) -> int:
    """How many words a text has."""
    return len(text.split())


@lru_cache(maxsize=256)
def scenario_names(title: str, text: str) -> frozenset[str]:
    """Proper nouns of a scenario: capitalised title words and mid-sentence capitals of its text."""
    names = set(_CAPITALISED.findall(title))
    for sentence in _SENTENCE_BREAK.split(text):
        names.update(_CAPITALISED.findall(sentence, 1))
    folded = {_root(name.casefold()) for name in names if len(name) >= 3}
    return frozenset(folded - _STOPWORDS - _DOMAIN_WORDS - _CALENDAR - {"the"})


def _single_key(q: QuestionRecord) -> OptionRecord | None:
    """The one correct option of a well-formed single-choice item."""
    if q.type != "single_choice" or len(q.options) < 2:
        return None
    keys = [o for o in q.options if o.correct]
    return keys[0] if len(keys) == 1 else None


@lru_cache(maxsize=8192)
def _root(word: str) -> str:
    """A crude singular, so that "changes" and "change" count as one word."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word
