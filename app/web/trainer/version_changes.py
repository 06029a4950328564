"""How the trainer pages name the fields of a question's version that changed
(`app.domain.version_diff` gives their paths, such as ("options", "b", "text"))."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.domain.version_diff import Path
from app.web.trainer.routes import bp

FIELDS = {
    "type": _l("Type"),
    "stem": _l("Question"),
    "level": _l("Level"),
    "edition": _l("Edition"),
    "difficulty": _l("Difficulty"),
    "cognitive": _l("Thinking asked for"),
    "marks": _l("Marks"),
    "title": _l("Title"),
    "explanation": _l("Explanation"),
    "scenario": _l("Scenario"),
    "answer": _l("Key"),
    "feedback_true": _l("Feedback for True"),
    "feedback_false": _l("Feedback for False"),
    "model_answer": _l("Model answer"),
    "correct_feedback": _l("Feedback for a right answer"),
    "partial_feedback": _l("Feedback for a partly right answer"),
    "incorrect_feedback": _l("Feedback for a wrong answer"),
    "clauses": _l("Clauses"),
    "tags": _l("Tags"),
    "extra_matches": _l("Responses that match no premise"),
    "answers": _l("Accepted answers"),
}
# A part of a list, by the list's name; %(id)s is the part's id.
PARTS = {
    "options": _l("Option %(id)s"),
    "pairs": _l("Pair %(id)s"),
    "steps": _l("Step %(id)s"),
    "rubric": _l("Criterion %(id)s"),
    "categories": _l("Category %(id)s"),
    "items": _l("Item %(id)s"),
    "hints": _l("Hint %(id)s"),
}
CELLS = {
    "text": _l("text"),
    "correct": _l("correct"),
    "feedback": _l("feedback"),
    "prompt": _l("premise"),
    "match": _l("matching response"),
    "criterion": _l("criterion"),
    "marks": _l("marks"),
    "guidance": _l("guidance"),
    "category": _l("category"),
    "show_num_correct": _l("says how many parts are right"),
    "clear_wrong": _l("clears the wrong parts"),
}


@bp.app_template_filter("diff_label")
def diff_label(path: Path) -> str:
    """The name of a changed field as a trainer reads it: "Question", "Option b, text"."""
    names = path[1:] if path[0] == "data" and len(path) > 1 else path  # a plug-in's own
    if len(names) == 1:
        return str(FIELDS.get(names[0], names[0]))
    if len(names) == 3 and names[0] in PARTS:
        part = str(PARTS[names[0]]) % {"id": names[1]}
        return _("%(part)s, %(cell)s", part=part, cell=CELLS.get(names[2], names[2]))
    return " · ".join(names)
