"""Every message code the lower layers emit has whole sentences whose placeholders match."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pandas as pd
import pytest

from app.domain.messages import Message
from app.domain.records import Location, Problem
from app.formats.type_formats import cannot_write
from app.messages import TEXTS, render, render_cells, render_location, render_problem

APP = Path(__file__).resolve().parents[2] / "app"
PLACEHOLDER = re.compile(r"%\((\w+)\)")


def emitted() -> list[tuple[str, str, ast.Call, set[str] | None]]:
    """(file, code, call, parameter names) of every `Message(...)` written in app/.

    Parameters given as a dict literal, or as a name bound to dict literals in the same
    function, are named; None when they cannot be read from the source.
    """
    found = []
    for path in sorted(APP.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for scope in [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef))]:
            dicts = _dict_names(scope)
            for node in ast.walk(scope):
                if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Message":
                    code = node.args[0] if node.args else None
                    assert isinstance(code, ast.Constant), f"{path}: a Message code is literal"
                    params = _params(node, dicts)
                    found.append((str(path.relative_to(APP)), code.value, node, params))
    unique = {(where, id(call)): (where, code, call, p) for where, code, call, p in found}
    return list(unique.values())


def _dict_names(scope: ast.AST) -> dict[str, set[str]]:
    """Names bound to dict literals with constant keys in `scope`, and those keys."""
    names: dict[str, set[str]] = {}
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
            keys = {k.value for k in node.value.keys if isinstance(k, ast.Constant)}
            for target in node.targets:
                if isinstance(target, ast.Name):
                    names.setdefault(target.id, set()).update(keys)
    return names


def _params(call: ast.Call, dicts: dict[str, set[str]]) -> set[str] | None:
    """The parameter names a Message call passes (empty when it passes none)."""
    params = call.args[1] if len(call.args) > 1 else None
    if params is None:
        return set()
    if isinstance(params, ast.Dict) and all(isinstance(k, ast.Constant) for k in params.keys):
        return {k.value for k in params.keys}
    if isinstance(params, ast.Name):
        return dicts.get(params.id)
    return None


def placeholders(text: str | tuple[str, str]) -> set[str]:
    """The `%(name)s` names of a sentence (both forms of a plural one)."""
    forms = text if isinstance(text, tuple) else (text,)
    return set().union(*(PLACEHOLDER.findall(form) for form in forms))


def test_the_lower_layers_emit_messages():
    assert {code.split(".")[0] for _, code, _, _ in emitted()} >= {"readiness", "items"}


@pytest.mark.parametrize(
    "where, code, call, given", emitted(), ids=lambda v: v if type(v) is str else ""
)
def test_every_emitted_code_has_sentences_with_its_parameters(where, code, call, given):
    assert code in TEXTS, f"{where}: {code} has no entry in app.messages.TEXTS"
    text = TEXTS[code]
    counted = any(k.arg == "count" for k in call.keywords)
    assert counted == isinstance(text, tuple), f"{where}: {code} counts only if it has plurals"
    assert given is not None, f"{where}: {code}: write its parameters as a dict literal"
    assert given | ({"num"} if counted else set()) == placeholders(text), f"{where}: {code}"


def test_every_sentence_is_used():
    assert set(TEXTS) == {code for _, code, _, _ in emitted()}


def test_plural_sentences_count_with_num():
    for code, text in TEXTS.items():
        if isinstance(text, tuple):
            assert "num" in placeholders(text), code


def test_messages_render_as_the_english_they_replace():
    one = Message("readiness.more_answers", {"section": "Operation of the SMS"}, count=1)
    several = Message("readiness.more_answers_overall", count=3)
    assert render(one) == "Operation of the SMS: 1 more answer"
    assert render((one, several)) == (
        "Operation of the SMS: 1 more answer; across the exam: 3 more answers"
    )
    assert render(Message("items.very_easy", {"facility": 0.951, "limit": 0.9})) == (
        "very easy: facility 0.95 is above 0.90"
    )
    assert render(()) == "" and render(float("nan")) == "" and render("as is") == "as is"


def test_tables_render_their_message_cells_only():
    frame = pd.DataFrame({"name": ["A", "B"], "missing": [(Message("readiness.no_answers"),), ()]})
    assert render_cells(frame).to_dict("list") == {
        "name": ["A", "B"],
        "missing": ["No answers yet", ""],
    }


@pytest.mark.parametrize(
    "location",
    [
        Location("bank.yaml", line=3),
        Location("bank.csv", row=4, column="B (type)"),
        Location("bank.csv", row=4),
        Location("quiz.xml", path="quiz/question[2]"),
        Location("quiz.xml"),
        Location(line=7),
        Location(),
    ],
)
def test_locations_render_as_the_english_of_their_log_form(location: Location):
    assert render_location(location) == str(location)


def test_a_problem_renders_its_place_severity_and_sentence_as_one_line():
    problem = Problem(
        Location("b.csv", row=2, column="F (correct)"),
        Message("sheet.correct_empty", {"letter": "C", "lower": "c"}),
    )
    assert render_problem(problem) == (
        "b.csv: row 2, column F (correct): error: correct names option C, but option_c is empty"
    )
    warning = Problem(Location("b.yaml", line=4), "as is", "warning")
    assert render_problem(warning) == "b.yaml:4: warning: as is"


def test_a_cannot_write_reason_names_the_format_and_the_type():
    assert render(cannot_write("classification", "qti")) == (
        "QTI 2.1 cannot express a classification question"
    )
