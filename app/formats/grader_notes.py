"""An essay's rubric and model answer as grader-facing HTML, shared by Moodle and QTI.

Moodle keeps them in an essay's `graderinfo`, QTI in a `rubricBlock view="scorer"`.
The rubric is a table with the class `clausewise-rubric` (criterion, marks, guidance);
the model answer sits verbatim in `<pre class="clausewise-model-answer">`, so Markdown
survives the trip unchanged while graders still read it as plain text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.domain.messages import Message
from app.domain.records import RubricCriterion
from app.formats.html_tree import Node, descendants, escape_text, text_content
from app.formats.xml_support import format_number, parse_number

RUBRIC_CLASS = "clausewise-rubric"
MODEL_ANSWER_CLASS = "clausewise-model-answer"


@dataclass
class GraderNotes:
    """An essay's rubric and model answer as found in grader-facing HTML."""

    rubric: list[RubricCriterion] = field(default_factory=list)
    model_answer: str = ""
    has_rubric: bool = False
    # What is wrong with the rubric table ("file.rubric_row").
    problems: list[Message] = field(default_factory=list)


def grader_notes_html(rubric: list[RubricCriterion], model_answer: str) -> str:
    """Grader-facing HTML: the rubric as a table and the model answer verbatim in a <pre>."""
    head = "<thead><tr><th>Criterion</th><th>Marks</th><th>Guidance</th></tr></thead>"
    rows = "".join(
        f"<tr><td>{escape_text(c.criterion)}</td><td>{format_number(c.marks)}</td>"
        f"<td>{escape_text(c.guidance)}</td></tr>"
        for c in rubric
    )
    text = f'<table class="{RUBRIC_CLASS}">{head}<tbody>{rows}</tbody></table>'
    if model_answer:
        text += f'<p>Model answer:</p><pre class="{MODEL_ANSWER_CLASS}">'
        text += f"{escape_text(model_answer)}</pre>"
    return text


def read_grader_notes(root: Node) -> GraderNotes:
    """The rubric table and model answer written by `grader_notes_html`, if present."""
    notes = GraderNotes()
    for node in descendants(root):
        if node.tag == "table" and node.has_class(RUBRIC_CLASS):
            notes.has_rubric = True
            _read_rubric_rows(node, notes)
        elif node.tag == "pre" and node.has_class(MODEL_ANSWER_CLASS):
            text = text_content(node)
            notes.model_answer = text[1:] if text.startswith("\n") else text
    return notes


def _read_rubric_rows(table: Node, notes: GraderNotes) -> None:
    rows = [r for r in descendants(table) if r.tag == "tr"]
    for number, row in enumerate(rows, start=1):
        cells = [c for c in row.children if isinstance(c, Node) and c.tag == "td"]
        if not cells:
            continue
        texts = [" ".join(text_content(c).split()) for c in cells] + ["", ""]
        marks = parse_number(texts[1])
        if not texts[0] or marks is None:
            params = {"row": number, "criterion": texts[0], "marks": texts[1]}
            notes.problems.append(Message("file.rubric_row", params))
            continue
        notes.rubric.append(RubricCriterion(texts[0], marks, texts[2]))
