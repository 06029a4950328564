"""The vocabulary for reading QTI items: names, paths, visible text and complaints.

QTI 3.0 renames elements and attributes (`qti-choice-interaction`, `max-choices`); the
readers compare names through `kind` and `attr`, which accept both spellings, while
element paths in messages keep the names as the file spells them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from xml.etree.ElementTree import Element

from app.domain.messages import Message
from app.domain.records import Location, Problem
from app.formats.html_markdown import node_to_markdown
from app.formats.html_tree import element_node
from app.formats.xml_support import child_paths, local_name

SCENARIO_CLASS = "clausewise-scenario"
BLANK = "\x02"
_HIDDEN = frozenset(
    {"feedbackInline", "feedbackBlock", "rubricBlock", "modalFeedback", "templateBlock"}
    | {"templateInline", "printedVariable", "prompt"}
)
_LIST_KINDS = frozenset(
    {"simpleChoice", "simpleAssociableChoice", "simpleMatchSet", "value", "mapEntry"}
    | {"responseDeclaration", "outcomeDeclaration", "modalFeedback", "feedbackInline"}
)


@lru_cache(maxsize=256)
def qti_name(local: str) -> str:
    """The QTI 2 name of an element: `qti-choice-interaction` -> `choiceInteraction`."""
    if not local.startswith("qti-"):
        return local
    first, *rest = local[4:].split("-")
    return first + "".join(part.capitalize() for part in rest)


def kind(el: Element) -> str:
    """An element's QTI 2 name, whatever its version or namespace."""
    return qti_name(local_name(el.tag))


def attr(el: Element, name: str) -> str | None:
    """An attribute by its QTI 2 name, also found under its QTI 3 kebab-case name."""
    value = el.get(name)
    if value is None:
        value = el.get(re.sub(r"([A-Z])", lambda m: "-" + m.group(1).lower(), name))
    return value


def children(el: Element, path: str, wanted: str) -> list[tuple[Element, str]]:
    """Direct children of one QTI kind, with their element paths."""
    indexed = frozenset(local_name(c.tag) for c in el if kind(c) in _LIST_KINDS)
    return [(c, p) for c, p in child_paths(el, path, indexed) if kind(c) == wanted]


def descendants(el: Element, path: str) -> list[tuple[Element, str]]:
    """Every element below `el`, depth first, with its element path."""
    indexed = frozenset(local_name(c.tag) for c in el if kind(c) in _LIST_KINDS)
    found: list[tuple[Element, str]] = []
    for child, child_path in child_paths(el, path, indexed):
        found.append((child, child_path))
        found.extend(descendants(child, child_path))
    return found


def hide_non_text(el: Element) -> str | None:
    """Replacement text for elements that are not part of a question's visible text."""
    name = kind(el)
    if name in ("textEntryInteraction", "inlineChoiceInteraction"):
        return BLANK
    if name.endswith("Interaction") or name in _HIDDEN:
        return ""
    if SCENARIO_CLASS in (el.get("class") or "").split():
        return ""
    return None


def markdown_of(el: Element) -> str:
    """Markdown for the visible text inside an element; a text entry becomes a blank."""
    text = node_to_markdown(element_node(el, hide_non_text))
    blocks = [b for b in text.split("\n\n") if b.strip() != BLANK]
    return "\n\n".join(blocks).replace(BLANK, "_____")


@dataclass
class Declaration:
    """A responseDeclaration: correct values and mapping entries with their paths."""

    identifier: str
    path: str
    correct: list[tuple[str, str]] = field(default_factory=list)
    mapping: list[tuple[str, float, str]] = field(default_factory=list)


@dataclass
class ItemReader:
    """The item being read: its location, its declarations and its complaints."""

    root: Element
    path: str
    source: str
    problems: list[Problem] = field(default_factory=list)
    declarations: dict[str, Declaration] = field(default_factory=dict)
    failed: bool = False
    # Held back: manifest metadata may still supply the rubric this warning is about.
    rubric_warning: Problem | None = None
    # The line each element path starts on (see `note_lines`).
    lines: dict[str, int] = field(default_factory=dict)

    def note_lines(self, by_element: dict[int, int]) -> None:
        """Learn the line of every element path from lines noted by element id."""
        self.lines[self.path] = by_element.get(id(self.root), 0)
        for el, path in descendants(self.root, self.path):
            if id(el) in by_element:
                self.lines[path] = by_element[id(el)]

    def location(self, path: str | None = None) -> Location:
        """The file, the element path and the line of an element (or of the nearest
        element above it, for a path that names no element of the file)."""
        where = path or self.path
        line, above = None, where
        while above and line is None:  # else the line of the nearest element above it
            line = self.lines.get(above) or None
            above = above.rpartition("/")[0]
        return Location(file=self.source, line=line, path=where)

    def about(self, problem: Message | str) -> Message:
        """A problem prefixed with the item it is about (its title or identifier)."""
        name = self.root.get("title") or attr(self.root, "identifier") or ""
        if name:
            return Message("qti.item_problem", {"item": name, "problem": problem})
        return Message("qti.unnamed_item_problem", {"problem": problem})

    def error(self, message: Message | str, path: str | None = None) -> None:
        """Record an error that keeps this item out of the import."""
        self.failed = True
        self.problems.append(Problem(self.location(path), self.about(message)))

    def warn(self, message: Message | str, path: str | None = None) -> None:
        """Record a warning; the item is still imported."""
        self.problems.append(Problem(self.location(path), self.about(message), "warning"))

    def hold_rubric_warning(self, message: Message, path: str) -> None:
        """Keep a warning back until the manifest has had its say (see `rubric_warning`)."""
        self.rubric_warning = Problem(self.location(path), self.about(message), "warning")

    def declaration(self, interaction: Element, path: str) -> Declaration | None:
        """The responseDeclaration an interaction answers to, or an error."""
        identifier = attr(interaction, "responseIdentifier") or ""
        found = self.declarations.get(identifier)
        if found is None:
            params = {"interaction": local_name(interaction.tag), "response": identifier}
            self.error(Message("qti.no_declaration", params), path)
        return found
