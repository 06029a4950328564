"""Reading one QTI assessment item, version 2.1 or 3.0, into a Clausewise question.

The item's interaction decides the question type: the type whose QtiHooks read it (see
qti_interactions); an item with an interaction no type reads, or with several
interactions, is unsupported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from app.domain.messages import Message
from app.domain.records import Location, Problem, QuestionRecord, ScenarioRecord, Unsupported
from app.formats.html_markdown import node_to_markdown
from app.formats.html_tree import Node, element_node, text_content
from app.formats.languages import tag_of
from app.formats.qti_feedback import read_feedback
from app.formats.qti_interactions import reader_for, supported
from app.formats.qti_model import (
    SCENARIO_CLASS,
    Declaration,
    ItemReader,
    attr,
    children,
    descendants,
    kind,
    markdown_of,
)
from app.formats.xml_support import XML_LANG, local_name, parse_number, parse_xml, slugify


@dataclass
class ItemRead:
    """What reading one item gave: a question, an unsupported item or problems."""

    question: QuestionRecord | None = None
    scenario: ScenarioRecord | None = None
    unsupported: Unsupported | None = None
    problems: list[Problem] = field(default_factory=list)
    rubric_warning: Problem | None = None
    # The item's `identifier` and the language of its texts (`xml:lang`, as a tag).
    identifier: str = ""
    language: str | None = None


def read_item(content: bytes, source: str) -> ItemRead:
    """Read one assessmentItem (QTI 2.1) or qti-assessment-item (QTI 3.0) file."""
    lines: dict[int, int] = {}
    root = parse_xml(content, source, lines)
    if isinstance(root, Problem):
        return ItemRead(problems=[root])
    name = local_name(root.tag)
    if kind(root) != "assessmentItem":
        if name == "manifest":
            message = Message("qti.manifest_root", {"element": name})
        else:
            message = Message("qti.wrong_root", {"element": name})
        return ItemRead(problems=[Problem(Location(file=source, path=name), message)])
    reader = ItemReader(root, name, source)
    reader.note_lines(lines)
    read = _read_root(reader)
    read.problems = reader.problems
    read.rubric_warning = reader.rubric_warning
    read.identifier = attr(root, "identifier") or ""
    read.language = tag_of(root.get(XML_LANG) or "")
    if reader.failed:
        read.question = None
    return read


def _read_root(reader: ItemReader) -> ItemRead:
    root, path = reader.root, reader.path
    _read_declarations(reader)
    bodies = children(root, path, "itemBody")
    if not bodies:
        reader.error(Message("qti.no_item_body"))
        return ItemRead()
    body, body_path = bodies[0]
    found = [(el, p) for el, p in descendants(body, body_path) if kind(el).endswith("Interaction")]
    title = root.get("title") or ""
    identifier = attr(root, "identifier") or ""
    if not found:  # text only, like a Moodle description: nothing to answer or score
        where_at = reader.location(body_path)
        return ItemRead(unsupported=Unsupported("no interaction", title or identifier, where_at))
    known = supported()
    other = [(el, p) for el, p in found if kind(el) not in known]
    if other or len(found) > 1:
        el, where = (other or found[1:])[0]
        name = " + ".join(local_name(e.tag) for e, _ in found) if not other else local_name(el.tag)
        where_at = reader.location(where)
        return ItemRead(unsupported=Unsupported(name, title or identifier, where_at))
    interaction, interaction_path = found[0]
    if _ungraded(reader, interaction):  # a survey item: nothing is right, nothing to score
        where_at = reader.location(interaction_path)
        name = f"{local_name(interaction.tag)} without a correct response"
        return ItemRead(unsupported=Unsupported(name, title or identifier, where_at))
    hooks = reader_for(interaction)
    if hooks is None:  # only types that claim items read it, and none claims this one
        where_at = reader.location(interaction_path)
        name = local_name(interaction.tag)
        return ItemRead(unsupported=Unsupported(name, title or identifier, where_at))
    question = _common(reader, body, interaction, identifier, title)
    hooks.read(reader, interaction, interaction_path, question)
    read_feedback(reader, question, interaction)
    return ItemRead(question=question, scenario=_scenario(body))


def _ungraded(reader: ItemReader, interaction: Element) -> bool:
    """An interaction (other than free text) whose declaration names no correct value
    and maps none to positive marks."""
    if kind(interaction) == "extendedTextInteraction":
        return False
    decl = reader.declarations.get(attr(interaction, "responseIdentifier") or "")
    if decl is None:
        return False  # the type's reader says the declaration is missing
    return not decl.correct and not any(mapped > 0 for _key, mapped, _path in decl.mapping)


def _common(
    reader: ItemReader, body: Element, interaction: Element, identifier: str, title: str
) -> QuestionRecord:
    prompts = [markdown_of(p) for p in interaction if kind(p) == "prompt"]
    stem = "\n\n".join(t for t in [markdown_of(body), *prompts] if t)
    q = QuestionRecord(id=identifier or slugify(title, "item"), type="", stem=stem, title=title)
    q.derived_id = not identifier
    q.location = reader.location()
    q.marks = _marks(reader)
    if not stem:
        reader.error(Message("qti.no_stem"), _body_path(reader))
    scenario = _scenario(body)
    if scenario is not None:
        q.scenario = scenario.id
    return q


def _body_path(reader: ItemReader) -> str:
    """The path of the item body (the item's when it has none)."""
    found = children(reader.root, reader.path, "itemBody")
    return found[0][1] if found else reader.path


def _read_declarations(reader: ItemReader) -> None:
    for el, path in children(reader.root, reader.path, "responseDeclaration"):
        decl = Declaration(attr(el, "identifier") or "", path)
        for correct, correct_path in children(el, path, "correctResponse"):
            for value, value_path in children(correct, correct_path, "value"):
                decl.correct.append(((value.text or "").strip(), value_path))
        for mapping, mapping_path in children(el, path, "mapping"):
            for entry, entry_path in children(mapping, mapping_path, "mapEntry"):
                mapped = parse_number(attr(entry, "mappedValue"))
                key = (attr(entry, "mapKey") or "").strip()
                decl.mapping.append((key, mapped if mapped is not None else 0.0, entry_path))
        reader.declarations[decl.identifier] = decl


def _marks(reader: ItemReader) -> float:
    for el in reader.root:
        if kind(el) != "outcomeDeclaration":
            continue
        if attr(el, "identifier") == "MAXSCORE":
            values = [v.text for d in el if kind(d) == "defaultValue" for v in d]
            found = parse_number(values[0] if values else None)
            if found is not None:
                return found
        if attr(el, "identifier") == "SCORE":
            found = parse_number(attr(el, "normalMaximum"))
            if found is not None:
                return found
    return 1.0


def _scenario(body: Element) -> ScenarioRecord | None:
    """A scenario block written by Clausewise: `<div class="clausewise-scenario">`."""
    for el in body.iter():
        if SCENARIO_CLASS not in (el.get("class") or "").split():
            continue
        node = element_node(el)
        heading = next((c for c in node.children if isinstance(c, Node) and c.tag[:1] == "h"), None)
        title = " ".join(text_content(heading).split()) if heading is not None else ""
        node.children = [c for c in node.children if c is not heading]
        scenario_id = (el.get("id") or "").removeprefix("scenario-") or slugify(title, "scenario")
        return ScenarioRecord(scenario_id, title, node_to_markdown(node))
    return None
