"""How each QTI interaction becomes a Clausewise question type.

choiceInteraction -> single_choice (maxChoices 1), true_false (two choices True/False) or
multiple_response; orderInteraction -> ordering; matchInteraction -> matching;
textEntryInteraction -> short_answer; extendedTextInteraction -> essay.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from xml.etree.ElementTree import Element

from app.domain.records import (
    Location,
    OptionRecord,
    PairRecord,
    Problem,
    QuestionRecord,
    RubricCriterion,
    StepRecord,
)
from app.formats.grader_notes import read_grader_notes
from app.formats.html_markdown import element_node
from app.formats.qti_model import (
    Declaration,
    ItemReader,
    attr,
    children,
    descendants,
    kind,
    markdown_of,
)
from app.formats.xml_support import format_number, local_name


def _choices(interaction: Element, path: str, wanted: str) -> list[tuple[str, str, str, str]]:
    """(identifier, markdown text, feedback, path) of each choice of an interaction."""
    found = []
    for el, el_path in children(interaction, path, wanted):
        feedback = [markdown_of(f) for f in el if kind(f) == "feedbackInline"]
        text = markdown_of(el)
        found.append((attr(el, "identifier") or "", text, "\n\n".join(feedback), el_path))
    return found


def _values(reader: ItemReader, decl: Declaration) -> list[tuple[str, str]] | None:
    """correctResponse values, else positively mapped keys; None (and an error) if none."""
    values = decl.correct or [(key, path) for key, mapped, path in decl.mapping if mapped > 0]
    if not values:
        reader.error(
            f"responseDeclaration '{decl.identifier}' has no correctResponse, so Clausewise "
            "cannot tell which answer is right",
            decl.path,
        )
        return None
    return values


def _correct(
    reader: ItemReader, decl: Declaration, known: set[str], interaction: Element
) -> list[str] | None:
    """The choice identifiers named as correct, each checked against the choices."""
    values = _values(reader, decl)
    if values is None:
        return None
    name = local_name(interaction.tag)
    for value, path in values:
        if value not in known:
            reader.error(
                f"correctResponse names '{value}', but the {name} has no choice with "
                f"identifier '{value}'",
                path,
            )
    return [value for value, _ in values]


def build_choice(reader: ItemReader, el: Element, path: str, q: QuestionRecord) -> None:
    """Single choice, true/false or multiple response, by maxChoices and the choice texts."""
    decl = reader.declaration(el, path)
    choices = _choices(el, path, "simpleChoice")
    if len(choices) < 2:
        reader.error(f"the {local_name(el.tag)} needs at least two choices", path)
    raw_max = attr(el, "maxChoices") or "1"
    if not raw_max.strip().isdigit():
        reader.error(f"maxChoices '{raw_max}' is not a whole number", path)
        return
    correct = _correct(reader, decl, {c[0] for c in choices}, el) if decl else None
    if correct is None:
        return
    texts = sorted(c[1].strip().lower() for c in choices)
    if int(raw_max) == 1 and texts == ["false", "true"]:
        _true_false(reader, q, choices, correct)
        return
    q.options = [OptionRecord(i, text, i in correct, fb) for i, text, fb, _ in choices]
    q.type = "single_choice" if int(raw_max) == 1 else "multiple_response"
    if q.type == "single_choice" and len(set(correct)) != 1:
        reader.error(
            f"maxChoices is 1 but correctResponse names {len(set(correct))} choices; "
            "exactly one is needed",
            decl.path if decl else path,
        )
    elif q.type == "multiple_response" and len(set(correct)) == 1:
        q.type = "single_choice"
        reader.warn("only one choice is correct, so it is read as single choice", path)
    elif q.type == "multiple_response" and len(set(correct)) >= len(choices):
        reader.error(
            "every choice is correct; multiple response needs at least one wrong choice", path
        )


def _true_false(
    reader: ItemReader,
    q: QuestionRecord,
    choices: list[tuple[str, str, str, str]],
    correct: list[Any],
) -> None:
    by_text = {text.strip().lower(): (ident, feedback) for ident, text, feedback, _ in choices}
    q.type = "true_false"
    q.answer = by_text["true"][0] in correct
    q.feedback_true, q.feedback_false = by_text["true"][1], by_text["false"][1]
    if len(set(correct)) != 1:
        reader.error("a true/false item needs exactly one correct choice")


def build_order(reader: ItemReader, el: Element, path: str, q: QuestionRecord) -> None:
    """Ordering: the steps in the order correctResponse gives."""
    q.type = "ordering"
    decl = reader.declaration(el, path)
    choices = {ident: text for ident, text, _, _ in _choices(el, path, "simpleChoice")}
    correct = _correct(reader, decl, set(choices), el) if decl else None
    if correct is None or reader.failed:
        return
    if sorted(correct) != sorted(choices):
        reader.error(
            f"correctResponse lists {len(correct)} identifiers for {len(choices)} choices; "
            "an ordering needs every choice exactly once",
            decl.path if decl else path,
        )
        return
    q.steps = [StepRecord(ident, choices[ident]) for ident in correct]


def build_match(reader: ItemReader, el: Element, path: str, q: QuestionRecord) -> None:
    """Matching: directedPair values pair a prompt of the first set with a response."""
    q.type = "matching"
    decl = reader.declaration(el, path)
    sets = children(el, path, "simpleMatchSet")
    if len(sets) != 2:
        reader.error(f"the matchInteraction needs two simpleMatchSet elements; it has {len(sets)}")
        return
    prompts = {i: t for i, t, _, _ in _choices(*sets[0], "simpleAssociableChoice")}
    targets = {i: t for i, t, _, _ in _choices(*sets[1], "simpleAssociableChoice")}
    values = _values(reader, decl) if decl else None
    if decl is None or values is None:
        return
    paired: dict[str, str] = {}
    for value, value_path in values:
        parts = value.split()
        if len(parts) != 2:
            reader.error(
                f"correctResponse value '{value}' is not a pair of identifiers", value_path
            )
            continue
        source, target = parts if parts[0] in prompts else reversed(parts)
        if source not in prompts or target not in targets:
            reader.error(f"'{value}' does not pair a prompt with a response", value_path)
        elif source in paired:
            reader.error(f"prompt '{source}' is paired more than once", value_path)
        else:
            paired[source] = target
    for source in prompts:
        if source not in paired and not reader.failed:
            reader.error(f"prompt '{source}' has no pair in correctResponse", decl.path)
    q.pairs = [PairRecord(s, prompts[s], targets[paired[s]]) for s in prompts if s in paired]
    used = set(paired.values())
    q.extra_matches = [text for ident, text in targets.items() if ident not in used]


def build_text_entry(reader: ItemReader, el: Element, path: str, q: QuestionRecord) -> None:
    """Short answer: correctResponse values and positively mapped keys are accepted."""
    q.type = "short_answer"
    decl = reader.declaration(el, path)
    if decl is None:
        return
    found = [v for v, _ in decl.correct] + [k for k, mapped, _ in decl.mapping if mapped > 0]
    q.answers = list(dict.fromkeys(a for a in found if a))
    if not q.answers:
        reader.error(
            f"responseDeclaration '{decl.identifier}' has neither a correctResponse nor a "
            "mapping entry with a positive value, so no answer would be accepted",
            decl.path,
        )


def build_extended_text(reader: ItemReader, el: Element, path: str, q: QuestionRecord) -> None:
    """Essay: rubric and model answer from a scorer rubricBlock written by Clausewise."""
    q.type = "essay"
    body = next(e for e in reader.root if kind(e) == "itemBody")
    blocks = [e for e, _ in descendants(body, "") if kind(e) == "rubricBlock"]
    scorer = [b for b in blocks if "scorer" in (attr(b, "view") or "").split()]
    decl = reader.declarations.get(attr(el, "responseIdentifier") or "")
    for block in scorer:
        notes = read_grader_notes(element_node(block))
        for message in notes.errors:
            reader.error(message, path)
        if notes.rubric:
            q.rubric = notes.rubric
        q.model_answer = notes.model_answer or q.model_answer
    if not q.model_answer and decl is not None and decl.correct:
        q.model_answer = "\n".join(v for v, _ in decl.correct)
    if q.rubric:
        q.marks = sum(c.marks for c in q.rubric)
        return
    q.rubric = [RubricCriterion("Overall answer", q.marks, "")]
    message = (
        f"{reader.label}: it has no Clausewise rubric, so one criterion worth "
        f"{format_number(q.marks)} marks was made"
    )
    reader.rubric_warning = Problem(Location(file=reader.source, path=path), message, "warning")


BUILDERS: dict[str, Callable[[ItemReader, Element, str, QuestionRecord], None]] = {
    "choiceInteraction": build_choice,
    "orderInteraction": build_order,
    "matchInteraction": build_match,
    "textEntryInteraction": build_text_entry,
    "extendedTextInteraction": build_extended_text,
}
