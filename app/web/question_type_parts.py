"""The web registry: each question-type plug-in's templates and form readers.

A plug-in's templates live in its package's `templates/` folder and are reached as
`question_types/<key>/<name>.html`. Pages include them by that convention:

- `answer.html`: the controls of the learner's answer form (in `learner/_question.html`);
- `form_attributes.html` (optional): extra attributes of that form, for its script;
- `key.html`: the correct answer, shown in a review;
- `response.html`: the learner's own answer, on the result page;
- `editor.html` (optional): the trainer editor's fields for the type's own `data`.

A plug-in's `web.py` exports `WEB`, a `TypeWeb` with the readers of posted forms. Types
without one read the answer from the single field `response`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from flask import Flask
from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader
from werkzeug.datastructures import MultiDict

from app import question_types as plugins


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
