"""Imports point the way docs/architecture.md draws them: lower packages never reach up."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"

# Package → the app packages it may import (besides itself). Packages not listed here
# (web, cli, services) sit on top; their one rule is below.
MAY_IMPORT = {
    # The plug-in finder (app/question_types/__init__.py) imports nothing of the app; each
    # plug-in's parts are checked against their own layer below.
    "domain": {"question_types"},
    "formats": {"domain", "question_types"},
    "models": {"domain", "extensions"},
    "queries": {"domain", "extensions", "models"},
    "analytics": {"domain", "extensions", "models", "queries"},
}


def _imported_packages(package: str, pattern: str = "*.py") -> dict[str, set[str]]:
    """Each app package imported by `package`, with the modules that import it."""
    found: dict[str, set[str]] = {}
    for path in (APP / package).rglob(pattern):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
                if node.module == "app":
                    names = [f"app.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                if parts[0] == "app" and len(parts) > 1 and parts[1] != package:
                    found.setdefault(parts[1], set()).add(str(path.relative_to(APP.parent)))
    return found


@pytest.mark.parametrize("package", sorted(MAY_IMPORT))
def test_lower_packages_import_only_what_lies_below_them(package):
    imported = _imported_packages(package)
    wrong = {
        name: sorted(where) for name, where in imported.items() if name not in MAY_IMPORT[package]
    }
    assert not wrong, f"app/{package} imports {wrong}"


def test_services_never_import_web_or_cli():
    assert not {"web", "cli"} & _imported_packages("services").keys()


def test_a_blueprint_never_imports_another_blueprint():
    audiences = {p.parent.name for p in (APP / "web").glob("*/__init__.py")}
    for audience in sorted(audiences):
        for path in (APP / "web" / audience).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module:
                    parts = node.module.split(".")
                    if parts[:2] == ["app", "web"] and len(parts) > 2:
                        assert parts[2] == audience or parts[2] not in audiences, path


# A plug-in part sits in the layer it is named for.
PART_MAY_IMPORT = {
    "domain.py": {"domain"},
    "formats.py": {"domain", "formats"},
    "__init__.py": set(),
}


@pytest.mark.parametrize("part", sorted(PART_MAY_IMPORT))
def test_question_type_parts_import_only_their_layer(part):
    imported = _imported_packages("question_types", part)
    wrong = {name: sorted(where) for name, where in imported.items()}
    wrong = {k: v for k, v in wrong.items() if k not in PART_MAY_IMPORT[part]}
    assert not wrong, f"question-type {part} imports {wrong}"
