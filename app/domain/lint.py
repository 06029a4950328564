"""The item-writing linter: flaws that make questions easy to guess or hard to learn from.

`lint_banks` runs the one-question rules of `app.domain.lint_rules` on every item, the
bank-level statistics (is the key too often the longest option, or too often in one
position?) on every bank, and the stem comparisons across all banks. Pure Python: it
reads records and returns findings; it never touches files, Flask or the database.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from app.domain.lint_bank import bank_hits
from app.domain.lint_glossary import case_text_hits
from app.domain.lint_rules import ERROR, WARNING, Context, question_hits
from app.domain.messages import Message
from app.domain.records import BankRecord, Location, QuestionRecord
from app.domain.translation import scenario_hash

NEAR_DUPLICATE = 0.8
SHINGLE = 3
_PUNCTUATION = re.compile(r"[^\w\s]|_")
_POSITIONS = "ABCDEFGH"

# A finding's place in the report: bank index, then question index (-1 for the bank).
_Order = tuple[int, int]


@dataclass(frozen=True)
class Finding:
    """One flaw the linter found, in a question or in a bank as a whole."""

    severity: str
    rule: str
    question_id: str | None
    bank_id: str
    location: Location | None
    message: Message


def lint_banks(banks: list[BankRecord], clause_numbers: set[str]) -> list[Finding]:
    """Every item-writing finding of the banks, in bank and question order."""
    known = frozenset(clause_numbers)
    knows_2011 = any(number.startswith("2011:") for number in known)
    ordered: list[tuple[_Order, Finding]] = []
    for b, bank in enumerate(banks):
        context = Context(known, {s.id: s for s in bank.scenarios}, knows_2011, bank.language)
        for i, q in enumerate(bank.questions):
            for hit in question_hits(q, context):
                finding = Finding(hit.severity, hit.rule, q.id, bank.id, q.location, hit.message)
                ordered.append(((b, i), finding))
        ordered += [((b, -1), f) for f in key_longest(bank) + key_position(bank)]
        ordered += [((b, -1), f) for f in stale_case_translations(bank)]
        where = _bank_location(bank)
        ordered += [
            ((b, -1), Finding(hit.severity, hit.rule, None, bank.id, where, hit.message))
            for hit in [*case_text_hits(bank), *bank_hits(bank)]
        ]
    ordered += stem_findings(banks)
    ordered.sort(key=lambda pair: pair[0])
    return [finding for _, finding in ordered]


def stale_case_translations(bank: BankRecord) -> list[Finding]:
    """Case texts whose translations were made from an earlier title or text."""
    found = []
    for case in bank.scenarios:
        now = scenario_hash(case)
        for tag, t in sorted(case.translations.items()):
            if t.source_hash != now:
                params = {
                    "scenario": case.id,
                    "language": tag,
                    "made_from": t.source_hash,
                    "now": now,
                }
                message = Message("lint.case_translation_stale", params)
                where = _bank_location(bank)
                found.append(Finding(WARNING, "translation-stale", None, bank.id, where, message))
    return found


def summary(findings: list[Finding]) -> dict[str, int]:
    """How many findings there are of each severity."""
    counts = Counter(f.severity for f in findings)
    return {ERROR: counts[ERROR], WARNING: counts[WARNING]}


def key_longest(bank: BankRecord) -> list[Finding]:
    """Flags a bank whose key is the uniquely longest option far more often than chance."""
    items = [(q, k) for q, k in _keyed(bank) if len(q.options) >= 3]
    if len(items) < 10:
        return []
    longest = sum(1 for q, k in items if _uniquely_longest(q, k))
    share = longest / len(items)
    chance = sum(1 / len(q.options) for q, _ in items) / len(items)
    if share > 0.6:
        severity = ERROR
    elif share > 2 * chance and share > 0.4:
        severity = WARNING
    else:
        return []
    # Shares go as percentages, which the sentence prints without decimals.
    message = Message(
        "lint.key_longest",
        {"longest": longest, "items": len(items), "share": share * 100, "chance": chance * 100},
    )
    return [Finding(severity, "key-longest", None, bank.id, _bank_location(bank), message)]


def key_position(bank: BankRecord) -> list[Finding]:
    """Flags a bank whose four-option keys favour or avoid a position."""
    items = [k for q, k in _keyed(bank) if len(q.options) == 4]
    if len(items) < 20:
        return []
    counts = Counter(items)
    shares = [counts[p] / len(items) for p in range(4)]
    if all(0.1 <= share <= 0.4 for share in shares):
        return []
    expected = len(items) / 4
    chi_square = sum((counts[p] - expected) ** 2 / expected for p in range(4))
    figures = ", ".join(
        f"{_POSITIONS[p]} {counts[p]} ({share:.0%})" for p, share in enumerate(shares)
    )
    message = Message(
        "lint.key_position", {"items": len(items), "figures": figures, "chi_square": chi_square}
    )
    return [Finding(WARNING, "key-position", None, bank.id, _bank_location(bank), message)]


@dataclass(frozen=True)
class _Stem:
    """A question's stem prepared for comparison."""

    order: _Order
    bank_id: str
    question: QuestionRecord
    scope: tuple[str, str] | None
    text: str
    shingles: frozenset[int]


def stem_findings(banks: list[BankRecord]) -> list[tuple[_Order, Finding]]:
    """Identical stems (errors) and near-identical ones (warnings) across all banks."""
    stems = _stems(banks)
    findings: list[tuple[_Order, Finding]] = []
    first_in_scope: dict[tuple[tuple[str, str] | None, str], _Stem] = {}
    first_anywhere: dict[str, _Stem] = {}
    repeated: set[int] = set()
    for n, stem in enumerate(stems):
        first = first_in_scope.setdefault((stem.scope, stem.text), stem)
        seen = first_anywhere.setdefault(stem.text, stem)
        if first is not stem:
            findings.append((stem.order, _duplicate(stem, first)))
        elif seen is not stem:
            # The same words on another scenario ask about a different case.
            findings.append((stem.order, _near_duplicate(stem, seen, 1.0)))
        else:
            continue
        repeated.add(n)
    best: dict[int, tuple[float, int]] = {}
    for i, j, similarity in near_duplicate_pairs([s.shingles for s in stems]):
        later, earlier = max(i, j), min(i, j)
        if later not in repeated and similarity > best.get(later, (0.0, 0))[0]:
            best[later] = (similarity, earlier)
    for later, (similarity, earlier) in sorted(best.items()):
        stem, other = stems[later], stems[earlier]
        findings.append((stem.order, _near_duplicate(stem, other, similarity)))
    return findings


def near_duplicate_pairs(
    sets: list[frozenset[int]], threshold: float = NEAR_DUPLICATE
) -> list[tuple[int, int, float]]:
    """Index pairs of sets whose Jaccard similarity reaches the threshold, with it.

    A prefix filter keeps this near linear: with the elements of each set ranked rarest
    first, two sets this similar must share an element among the first
    `size - ceil(threshold * size) + 1` of either, so only sets sharing one are compared.
    """
    frequency = Counter(element for s in sets for element in s)
    index: dict[int, list[int]] = defaultdict(list)
    pairs: list[tuple[int, int, float]] = []
    for i in sorted(range(len(sets)), key=lambda n: len(sets[n])):
        ranked = sorted(sets[i], key=lambda element: (frequency[element], element))
        prefix = ranked[: len(ranked) - math.ceil(threshold * len(ranked) - 1e-9) + 1]
        candidates = {j for element in prefix for j in index[element]}
        for j in sorted(candidates):
            # Sets are visited smallest first, so this is the size filter.
            if len(sets[j]) >= threshold * len(sets[i]) - 1e-9:
                similarity = len(sets[i] & sets[j]) / len(sets[i] | sets[j])
                if similarity >= threshold:
                    pairs.append((min(i, j), max(i, j), similarity))
        for element in prefix:
            index[element].append(i)
    return sorted(pairs)


def normalise_stem(stem: str) -> str:
    """A stem without case, punctuation or spacing differences."""
    return " ".join(_PUNCTUATION.sub(" ", stem.casefold()).split())


def _stems(banks: list[BankRecord]) -> list[_Stem]:
    """Every non-empty stem of the banks, normalised and cut into word shingles."""
    stems = []
    for b, bank in enumerate(banks):
        for i, q in enumerate(bank.questions):
            text = normalise_stem(q.stem)
            if not text:
                continue
            words = text.split()
            grams = [tuple(words[n : n + SHINGLE]) for n in range(len(words) - SHINGLE + 1)]
            shingles = frozenset(hash(g) for g in grams or [tuple(words)])
            scope = (bank.id, q.scenario) if q.scenario else None
            stems.append(_Stem((b, i), bank.id, q, scope, text, shingles))
    return stems


def _duplicate(stem: _Stem, first: _Stem) -> Finding:
    """An identical stem in the same setting (no scenario, or the same one)."""
    q, other = stem.question, first.question
    if other.location:
        message = Message(
            "lint.stem_duplicate", {"other": other.id, "location": str(other.location)}
        )
    else:
        message = Message("lint.stem_duplicate_in_bank", {"other": other.id, "bank": first.bank_id})
    return Finding(ERROR, "stem-duplicate", q.id, stem.bank_id, q.location, message)


def _near_duplicate(stem: _Stem, other: _Stem, similarity: float) -> Finding:
    """A stem whose word sequences mostly repeat another's."""
    # The similarity goes as a percentage, which the sentence prints without decimals.
    q, first = stem.question, other.question
    share = similarity * 100
    if first.location:
        message = Message(
            "lint.stem_near_duplicate",
            {"share": share, "other": first.id, "location": str(first.location)},
        )
    else:
        message = Message(
            "lint.stem_near_duplicate_in_bank",
            {"share": share, "other": first.id, "bank": other.bank_id},
        )
    return Finding(WARNING, "stem-near-duplicate", q.id, stem.bank_id, q.location, message)


def _keyed(bank: BankRecord) -> list[tuple[QuestionRecord, int]]:
    """Single-choice items of the bank with exactly one key, and the key's position."""
    items = []
    for q in bank.questions:
        keys = [n for n, option in enumerate(q.options) if option.correct]
        if q.type == "single_choice" and len(keys) == 1:
            items.append((q, keys[0]))
    return items


def _uniquely_longest(q: QuestionRecord, key: int) -> bool:
    """True when the key is longer than every other option."""
    sizes = [len(option.text.strip()) for option in q.options]
    return all(size < sizes[key] for n, size in enumerate(sizes) if n != key)


def _bank_location(bank: BankRecord) -> Location | None:
    """The bank's file, taken from its questions' locations."""
    files = [q.location.file for q in bank.questions if q.location and q.location.file]
    return Location(file=files[0]) if files else None
