"""The web registry: each question-type plug-in's templates and form readers.

A plug-in's templates live in its package's `templates/` folder and are reached as
`question_types/<key>/<name>.html`. Pages include them by that convention:

- `answer.html`: the controls of the learner's answer form (in `learner/_question.html`);
- `form_attributes.html` (optional): extra attributes of that form, for its script;
- `key.html`: the correct answer, shown in a review;
- `response.html`: the learner's own answer, on the result page;
- `editor.html` (optional): the type's own section of the trainer's question editor
  (`trainer/question_edit.html` includes it; shared row macros are in
  `trainer/_editor_rows.html`).

A plug-in's `web.py` exports `WEB`, a `TypeWeb` with the readers of posted forms and the
editor's hooks. Types without one read the answer from the single field `response`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader
from werkzeug.datastructures import MultiDict

from app import question_types as plugins
from app.domain.records import QuestionRecord

# The editor's list rows by list name (`options`, `pairs`…), each row a dict of its cells.
Rows = dict[str, list[dict[str, Any]]]


def _single_response(form: MultiDict) -> Any:
    """The answer of a type whose form posts one `response` field."""
    return form.get("response")


@dataclass(frozen=True)
class TypeWeb:
    """How the pages of one question type read what a person posted."""

    # The learner's raw response (in public ids) from the posted answer form;
    # raises InvalidInput when the form cannot be an answer.
    read_answer: Callable[[MultiDict], Any] = _single_response
    # The type's own `QuestionRecord.data` from the posted editor form, and the
    # editor's values for a record (None when new); None when the type has no data.
    read_editor: Callable[[MultiDict], dict[str, Any]] | None = None
    editor_values: Callable[[Any], dict[str, Any]] | None = None
    # The editor, for a type whose content is in the shared fields of QuestionRecord
    # (options, pairs…). `editor_fields`: WTForms fields (name -> unbound field) the
    # type adds to the editor's QuestionForm, e.g. true/false's key.
    editor_fields: Mapping[str, Any] = field(default_factory=dict)
    # Set the type's own fields of a record from the posted editor: (form, raw data, record).
    read_record: Callable[[Any, MultiDict, QuestionRecord], None] | None = None
    # Put a stored record's own fields into the editor's form fields: (form, record).
    fill_form: Callable[[Any, QuestionRecord], None] | None = None
    # The list rows the editor shows: the record's (stored, or the one a refused save of
    # an existing question made), else what was posted for a new question (None when
    # nothing was posted), else blank rows to fill in.
    editor_rows: Callable[[QuestionRecord | None, MultiDict | None], Rows] | None = None
    # The help under the editor's Marks field (a lazy string), if the type needs one.
    marks_help: Any = None


_PLAIN = TypeWeb()


@cache
def _registry() -> dict[str, TypeWeb]:
    """Every plug-in's `web.WEB` by type key, loaded on first use."""
    found: dict[str, TypeWeb] = {}
    for package in plugins.packages():
        module = plugins.part(package, "web")
        if module is not None:
            found[package] = module.WEB
    return found


def hooks(key: str) -> TypeWeb:
    """The web parts of the type `key` (a single `response` field when it gives none)."""
    return _registry().get(key, _PLAIN)


def install_templates(app: Flask) -> None:
    """Let templates include `question_types/<key>/<name>.html` from each plug-in package."""
    root = Path(plugins.__file__).parent
    per_type = {
        package: FileSystemLoader(root / package / "templates")
        for package in plugins.packages()
        if (root / package / "templates").is_dir()
    }
    loaders = [app.jinja_env.loader, PrefixLoader({"question_types": PrefixLoader(per_type)})]
    app.jinja_env.loader = ChoiceLoader([loader for loader in loaders if loader is not None])
