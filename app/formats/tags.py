"""Conventions for carrying Clausewise metadata in other tools' tags and categories.

Moodle XML tags, QTI metadata and GIFT comments have no clause or level fields, so
Clausewise writes and reads them as tags: `clause:8.5.1`, `level:foundation`,
`difficulty:2`, `edition:2011`. A bare clause number (`8.5.1`) as a tag or as a
segment of a category path is read as a clause too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.domain.records import COGNITIVE_LEVELS, LEVELS, QuestionRecord

_CLAUSE = re.compile(r"^(?:clause\s*[:=]\s*)?(\d{1,2}(?:\.\d{1,2}){0,3})\b", re.IGNORECASE)
_KEYED = re.compile(r"^(level|difficulty|cognitive|edition)\s*[:=]\s*(\S+)$", re.IGNORECASE)


@dataclass
class TagMeta:
    """Metadata found in a list of tags, and the tags that were not metadata."""

    clauses: list[str] = field(default_factory=list)
    level: str | None = None
    difficulty: int | None = None
    cognitive: str | None = None
    edition: str | None = None
    other: list[str] = field(default_factory=list)


def read_tags(tags: list[str]) -> TagMeta:
    """Split tags into clause, level, difficulty and edition metadata and the rest."""
    meta = TagMeta()
    for raw in tags:
        tag = raw.strip()
        if not tag:
            continue
        keyed = _KEYED.match(tag)
        clause = _CLAUSE.match(tag)
        if keyed:
            key, value = keyed.group(1).lower(), keyed.group(2).lower()
            if key == "level" and value in LEVELS:
                meta.level = value
            elif key == "difficulty" and value.isdigit():
                meta.difficulty = int(value)
            elif key == "cognitive" and value in COGNITIVE_LEVELS:
                meta.cognitive = value
            elif key == "edition":
                meta.edition = value
            else:
                meta.other.append(tag)
        elif clause and (tag.lower().startswith("clause") or clause.group(0) == tag):
            if clause.group(1) not in meta.clauses:
                meta.clauses.append(clause.group(1))
        else:
            meta.other.append(tag)
    return meta


def clauses_from_category(category: str) -> list[str]:
    """Clause numbers named by segments of a category path such as `ISO/8.5.1 Change`."""
    found: list[str] = []
    for segment in re.split(r"[/|]", category):
        match = _CLAUSE.match(segment.strip())
        if match and "." in match.group(1) and match.group(1) not in found:
            found.append(match.group(1))
    return found


def apply_tags(question: QuestionRecord, tags: list[str], category: str = "") -> None:
    """Fill a question's clauses, level, difficulty, edition and tags from source tags."""
    meta = read_tags(tags)
    clauses = meta.clauses or clauses_from_category(category)
    for clause in clauses:
        if clause not in question.clauses:
            question.clauses.append(clause)
    if meta.level:
        question.level = meta.level
    if meta.difficulty is not None:
        question.difficulty = meta.difficulty
    if meta.cognitive is not None:
        question.cognitive = meta.cognitive
    if meta.edition:
        question.edition = meta.edition
    question.tags.extend(t for t in meta.other if t not in question.tags)


def write_tags(question: QuestionRecord) -> list[str]:
    """The tags that carry a question's metadata into a format without such fields."""
    tags = [f"clause:{c}" for c in question.clauses]
    tags += [f"level:{question.level}", f"difficulty:{question.difficulty}"]
    if question.cognitive is not None:
        tags.append(f"cognitive:{question.cognitive}")
    if question.edition != "2018":
        tags.append(f"edition:{question.edition}")
    return tags + list(question.tags)
