"""What a question type tells QTI, and the shared vocabulary its readers use.

Each type that QTI can hold gives a `QtiHooks` in its `formats.py` (the `qti` slot of
`TypeFormats`): the interaction it is written as, how to write it and how to read it
back. Several types may share an interaction: choiceInteraction is single_choice,
true_false or multiple_response, matchInteraction is matching or classification. For
such an interaction the reader asks each type's `claims` whether an item is of that
type (claims must exclude one another); an item no type claims goes to the one type
without `claims`, the interaction's fallback. A type without a QTI hook is skipped on
export and never produced on import.

The helpers below read what several types share: choices, correctResponse values and
directedPair pairs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element

from app.domain import question_types
from app.domain.messages import Message
from app.domain.records import QuestionRecord
from app.formats import type_formats
from app.formats.qti_model import Declaration, ItemReader, attr, children, kind, markdown_of
from app.formats.xml_support import local_name


@dataclass(frozen=True)
class ItemParts:
    """A question's share of its item: body elements, response declaration and scoring.

    `body` goes into the itemBody after the stem (the interaction, wrapped or preceded
    by whatever the type needs); `processing` is "match" (all marks when the response
    equals the correct response, else none), "map" (mapResponse), "successions" (the
    share of the correct order's neighbouring pairs kept) or None (no scoring).
    """

    body: list[Element]
    declaration: Element | None
    processing: str | None


@dataclass(frozen=True)
class QtiHooks:
    """How one question type is written to and read from a QTI 2.1 item."""

    # The QTI 2 name of the interaction the type is written as and read from.
    interaction: str
    # The item parts of a question of this type.
    write: Callable[[QuestionRecord], ItemParts]
    # Fill a question (stem, marks and explanation already read) from its interaction;
    # report problems through the reader. It sets `q.type`.
    read: Callable[[ItemReader, Element, str, QuestionRecord], None]
    # Whether an interaction of this kind is of this type; None for the fallback type.
    claims: Callable[[Element], bool] | None = None
    # When set, the response is copied to a FEEDBACK outcome of this cardinality, so that
    # a choice's feedbackInline shows (choice types).
    feedback: str | None = None
    # Extra fields of the `<cw:question>` manifest metadata.
    metadata: Callable[[QuestionRecord], dict[str, Any]] | None = None


def qti_hooks(key: str) -> QtiHooks | None:
    """The QTI hooks of the type `key`, or None when QTI cannot hold it."""
    found: QtiHooks | None = type_formats.hooks(key).qti
    return found


def _all_hooks() -> list[QtiHooks]:
    found = (qti_hooks(key) for key in question_types.keys())  # noqa: SIM118 (not a dict)
    return [h for h in found if h is not None]


def supported() -> frozenset[str]:
    """The interactions some question type reads."""
    return frozenset(h.interaction for h in _all_hooks())


def reader_for(interaction: Element) -> QtiHooks | None:
    """The type hooks that read an interaction: the one that claims it, else the fallback."""
    found = [h for h in _all_hooks() if h.interaction == kind(interaction)]
    claimed = [h for h in found if h.claims is not None and h.claims(interaction)]
    fallback = [h for h in found if h.claims is None]
    chosen = claimed or fallback
    return chosen[0] if chosen else None


Choice = tuple[str, str, str, str]


def choices(interaction: Element, path: str, wanted: str) -> list[Choice]:
    """(identifier, markdown text, feedback, path) of each choice of an interaction."""
    found = []
    for el, el_path in children(interaction, path, wanted):
        feedback = [markdown_of(f) for f in el if kind(f) == "feedbackInline"]
        text = markdown_of(el)
        found.append((attr(el, "identifier") or "", text, "\n\n".join(feedback), el_path))
    return found


def choice_interaction(
    reader: ItemReader, el: Element, path: str
) -> tuple[Declaration | None, list[Choice]]:
    """A choiceInteraction's declaration and simpleChoices; fewer than two is an error."""
    decl = reader.declaration(el, path)
    found = choices(el, path, "simpleChoice")
    if len(found) < 2:
        reader.error(Message("qti.too_few_choices", {"interaction": local_name(el.tag)}), path)
    return decl, found


def max_choices(interaction: Element) -> int | None:
    """An interaction's maxChoices (1 when absent), or None when it is not a whole number."""
    raw = attr(interaction, "maxChoices") or "1"
    return int(raw) if raw.strip().isdigit() else None


def is_true_false(interaction: Element) -> bool:
    """One answer among exactly two choices reading True and False."""
    texts = sorted(c[1].strip().lower() for c in choices(interaction, "", "simpleChoice"))
    return max_choices(interaction) == 1 and texts == ["false", "true"]


def values(reader: ItemReader, decl: Declaration) -> list[tuple[str, str]] | None:
    """correctResponse values, else positively mapped keys; None (and an error) if none."""
    found = decl.correct or [(key, path) for key, mapped, path in decl.mapping if mapped > 0]
    if not found:
        reader.error(
            Message("qti.no_correct_response", {"declaration": decl.identifier}), decl.path
        )
        return None
    return found


def correct(
    reader: ItemReader, decl: Declaration, known: set[str], interaction: Element
) -> list[str] | None:
    """The choice identifiers named as correct, each checked against the choices."""
    found = values(reader, decl)
    if found is None:
        return None
    name = local_name(interaction.tag)
    for value, path in found:
        if value not in known:
            reader.error(Message("qti.unknown_choice", {"value": value, "interaction": name}), path)
    return [value for value, _ in found]


@dataclass(frozen=True)
class PairMessages:
    """The complaints of `read_pairs`, so each type names its two sets its own way."""

    unknown: Callable[[str], Message]  # a value that does not pair a source with a target
    repeated: Callable[[str], Message]  # a source paired more than once
    missing: Callable[[str], Message]  # a source paired with nothing


def match_sets(reader: ItemReader, el: Element, path: str) -> list[list[Choice]] | None:
    """The choices of a matchInteraction's two simpleMatchSets, or None (and an error)."""
    sets = children(el, path, "simpleMatchSet")
    if len(sets) != 2:
        reader.error(Message("qti.match_sets", {"count": len(sets)}), path)
        return None
    return [choices(*found, "simpleAssociableChoice") for found in sets]


def read_pairs(
    reader: ItemReader,
    decl: Declaration,
    sources: dict[str, str],
    targets: dict[str, str],
    say: PairMessages,
) -> dict[str, str] | None:
    """Source identifier -> target identifier from directedPair values, each checked.

    Every source must be paired exactly once; the pair may be written either way round.
    """
    found = values(reader, decl)
    if found is None:
        return None
    paired: dict[str, str] = {}
    for value, value_path in found:
        parts = value.split()
        if len(parts) != 2:
            reader.error(Message("qti.not_a_pair", {"value": value}), value_path)
            continue
        source, target = parts if parts[0] in sources else reversed(parts)
        if source not in sources or target not in targets:
            reader.error(say.unknown(value), value_path)
        elif source in paired:
            reader.error(say.repeated(source), value_path)
        else:
            paired[source] = target
    for source in sources:
        if source not in paired and not reader.failed:
            reader.error(say.missing(source), decl.path)
    return paired
