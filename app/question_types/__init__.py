"""Question-type plug-ins: one package per item type, found by looking in this folder.

A plug-in package `app/question_types/<key>/` holds up to three parts, one per layer,
so the import directions of the architecture still hold:

- `domain.py` (required): `TYPE`, the type's `QuestionType` (validation, learner view,
  response parsing, grading). Pure: it imports only `app.domain` and the standard library.
- `formats.py` (optional): `FORMATS`, a `TypeFormats` (app/formats/type_formats.py) with
  the type's readers and writers per file format. A format the type gives no hook for
  reports its items as skipped on export, with the reason.
- `web.py` (optional): `WEB`, a `TypeWeb` (app/web/question_type_parts.py) naming the
  learner and editor template partials (in the package's `templates/` folder) and
  turning posted forms into a raw response or record fields.

Each layer has its own registry that imports only its own part of every package, by
name, when first asked (`app.domain.question_types`, `app.formats.type_formats`,
`app.web.question_type_parts`). Nothing else lists the types: adding a type is adding a
package here.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def packages() -> list[str]:
    """The names of every plug-in package, in alphabetical order."""
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if m.ispkg)


def part(package: str, name: str) -> ModuleType | None:
    """The `name` part (domain, formats, web) of a plug-in package; None if it has none."""
    module = f"{__name__}.{package}.{name}"
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as missing:
        if missing.name != module:
            raise
        return None
