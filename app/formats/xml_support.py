"""Plumbing shared by the XML bank formats: safe parsing, element paths, ids and numbers.

Every XML byte that enters Clausewise goes through `parse_xml`, which uses defusedxml so
entity bombs and external references are refused rather than expanded or fetched.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any
from xml.etree.ElementTree import Element, ParseError, SubElement, TreeBuilder

import defusedxml
import defusedxml.ElementTree as SafeET

from app.domain.messages import Message
from app.domain.records import Location, Problem, QuestionRecord

# The `xml:lang` attribute as ElementTree names it.
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_POSITION_SUFFIX = re.compile(r":\s*line \d+, column \d+$")
_ID_OK = re.compile(r"^[A-Za-z0-9._-]+$")


class _LineBuilder(TreeBuilder):
    """A tree builder that notes the line each element starts on, by the element's id."""

    def __init__(self, lines: dict[int, int]) -> None:
        super().__init__()
        self.lines = lines
        self.parser: Any = None  # the parser feeding this builder, set before feeding

    def start(self, tag: Any, attrs: Any) -> Element:
        """Build the element and note the line expat is at: its start tag's."""
        el = super().start(tag, attrs)
        self.lines[id(el)] = self.parser.parser.CurrentLineNumber
        return el


def _parse(content: bytes, lines: dict[int, int] | None) -> Element:
    if lines is None:
        return SafeET.fromstring(content)
    builder = _LineBuilder(lines)
    parser = SafeET.DefusedXMLParser(target=builder)  # the same safety as fromstring
    builder.parser = parser
    parser.feed(content)
    root: Element = parser.close()
    return root


def parse_xml(
    content: bytes, source: str, lines: dict[int, int] | None = None
) -> Element | Problem:
    """Parse XML bytes safely; a located Problem instead of an exception on bad input.

    With `lines`, the line each element starts on is noted there by the element's id
    (valid while the tree lives), so problems can name the line as well as the path.
    """
    try:
        return _parse(content, lines)
    except ParseError as exc:
        line, column = exc.position
        reason = _POSITION_SUFFIX.sub("", str(exc))
        where = Location(file=source, line=line, column=str(column + 1))
        params = {"line": line, "column": column + 1, "reason": reason}
        return Problem(where, Message("xml.not_well_formed", params))
    except defusedxml.EntitiesForbidden:
        return Problem(Location(file=source), Message("xml.entities"))
    except defusedxml.ExternalReferenceForbidden:
        return Problem(Location(file=source), Message("xml.external"))
    except LookupError as exc:  # an XML declaration naming an unknown encoding
        message = Message("xml.declaration", {"error": str(exc)})
        return Problem(Location(file=source, line=1), message)
    except (defusedxml.DefusedXmlException, ValueError) as exc:
        return Problem(Location(file=source), Message("xml.unreadable", {"error": str(exc)}))


def local_name(tag: str) -> str:
    """An element's name without its `{namespace}` part."""
    return tag.rsplit("}", 1)[-1]


def child_paths(
    parent: Element, parent_path: str, always_indexed: frozenset[str]
) -> Iterator[tuple[Element, str]]:
    """Each child with its element path; `[n]` counts same-named siblings from 1.

    Names in `always_indexed` (lists such as question or answer) always carry their index;
    other names carry it only when the name repeats among the siblings.
    """
    children = [c for c in parent if isinstance(c.tag, str)]
    totals = Counter(local_name(c.tag) for c in children)
    seen: Counter[str] = Counter()
    for child in children:
        name = local_name(child.tag)
        seen[name] += 1
        indexed = name in always_indexed or totals[name] > 1
        step = f"{name}[{seen[name]}]" if indexed else name
        yield child, f"{parent_path}/{step}"


def slugify(text: str, fallback: str = "item") -> str:
    """A lower-case `[a-z0-9-]` slug of some text, at most 60 characters."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")
    return slug or fallback


def question_id(idnumber: str, name: str, fallback: str) -> str:
    """A Clausewise question id from an external id, else a slug of the name."""
    if idnumber and _ID_OK.match(idnumber) and idnumber.strip("."):
        return idnumber
    if idnumber:
        return slugify(idnumber, fallback)
    return slugify(name, fallback) if name else fallback


def make_ids_unique(questions: list[QuestionRecord], problems: list[Problem]) -> None:
    """Give repeated question ids a numeric suffix, warning about each rename."""
    used: set[str] = set()
    for question in questions:
        if question.id not in used:
            used.add(question.id)
            continue
        number = 2
        while f"{question.id}-{number}" in used:
            number += 1
        new_id = f"{question.id}-{number}"
        where = question.location or Location()
        message = Message("xml.id_renamed", {"id": question.id, "new_id": new_id})
        problems.append(Problem(where, message, "warning"))
        question.id = new_id
        used.add(new_id)


def option_letter(index: int) -> str:
    """Option ids a, b, … z, then aa, ab, … for 0-based positions."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def format_number(value: float, places: int = 7) -> str:
    """A number without trailing zeros: 1.0 -> '1', 33.333333 -> '33.33333' (places=5)."""
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def parse_number(text: str | None) -> float | None:
    """A float from text, or None when the text is not a finite number."""
    try:
        value = float((text or "").strip())
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def sub(parent: Element, tag: str, text: str | None = None, **attrs: str) -> Element:
    """A new child element `tag` of `parent` with some text and attributes."""
    el = SubElement(parent, tag, attrs)
    el.text = text
    return el
