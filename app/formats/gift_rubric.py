"""An essay's rubric and model answer in GIFT's general feedback, for Moodle's graders.

GIFT has no grader information: Moodle's GIFT import keeps only an essay's question
text and general feedback. So the export appends the rubric and the model answer to the
general feedback as a Markdown block (Moodle shows it to graders, and to learners when
the quiz's review shows general feedback), while the `// clausewise:` comment keeps them
exactly, marks per criterion included. Reading back, Clausewise takes the block off the
explanation when it is exactly the one the comment's rubric gives.
"""

from __future__ import annotations

from app.domain.records import QuestionRecord, RubricCriterion
from app.formats.xml_support import format_number


def rubric_block(rubric: list[RubricCriterion], model_answer: str) -> str:
    """The Markdown block: a heading, one line per criterion, then the model answer."""
    lines = ["**Marking rubric**", ""]
    for c in rubric:
        guidance = f": {c.guidance}" if c.guidance else ""
        lines.append(f"- {c.criterion} ({format_number(c.marks)} marks){guidance}")
    if model_answer:
        lines += ["", "**Model answer**", "", model_answer]
    return "\n".join(lines)


def with_rubric(q: QuestionRecord) -> str:
    """The general feedback of a question: its explanation, then an essay's rubric block."""
    if q.type != "essay" or not q.rubric:
        return q.explanation
    block = rubric_block(q.rubric, q.model_answer)
    return f"{q.explanation}\n\n{block}" if q.explanation else block


def without_rubric(q: QuestionRecord) -> str:
    """The explanation without the rubric block the export appended, when exactly there."""
    if q.type != "essay" or not q.rubric:
        return q.explanation
    block = rubric_block(q.rubric, q.model_answer).strip()
    text = q.explanation.rstrip()
    if not text.endswith(block):
        return q.explanation
    return text[: -len(block)].rstrip()
