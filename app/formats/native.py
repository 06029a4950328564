"""Clausewise's own bank format, `clausewise-bank/1`, in YAML and JSON.

Reading reports, each at its file:line: syntax errors; the file's shape (missing or
unknown fields, values of the wrong kind) in plain words; and, when
`question_banks/schema/bank.schema.json` exists, what the JSON Schema still finds
(clause and id formats, for instance). Schema findings that `validate_bank` or the
shape check already state in plainer words are left out, so nothing is said twice:
the import service runs `app.domain.validation.validate_bank` on every format's result.
A valid bank is confirmed by a compiled validator (fastjsonschema) in milliseconds; only
a bank with findings goes through jsonschema, which lists every finding with its path.
Writing produces tidy, hand-editable YAML or JSON (indent 2) that reads back identically.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path as FilePath
from typing import cast

import fastjsonschema
import jsonschema
import yaml

from app.domain.messages import Message
from app.domain.records import BankRecord, ExportResult, Location, ParseResult, Problem
from app.formats.native_fields import FieldReader, describe
from app.formats.native_lines import DocumentTooLarge, Path, SourceMap, load_json, load_yaml
from app.formats.native_records import bank_from_data, bank_to_data
from app.formats.native_yaml import dump_yaml

SCHEMA_PATH = FilePath(__file__).resolve().parents[2] / "question_banks/schema/bank.schema.json"

# Schema rules that validate_bank or the shape check already explain in plain words.
_RESTATED = {
    "additionalProperties",
    "contains",
    "minContains",
    "maxContains",
    "minItems",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "enum",
    "minLength",
    None,  # a `false` schema: a field of another type, reported by the type registry
}
# The codes of the schema's patterns and kinds, in the words of the catalogue.
_PATTERN_HINTS = {
    "^[a-z0-9-]+$": Message("native.hint.slug"),
    "^[A-Za-z0-9._-]+$": Message("native.hint.item_id"),
    "^\\d{1,2}(\\.\\d{1,2}){0,3}$": Message("native.hint.clause"),
    "^[a-z]{2,3}(-[A-Za-z0-9]+)*$": Message("native.hint.language"),
}
_KINDS = {
    "string": Message("native.want.string"),
    "array": Message("native.want.array"),
    "object": Message("native.want.object"),
    "boolean": Message("native.want.boolean"),
    "integer": Message("native.want.integer"),
    "number": Message("native.want.number"),
}


def read_yaml(content: str | bytes, source: str = "") -> ParseResult:
    """Read a native bank from YAML text, with every problem located by line."""
    text, problem = _decode(content, source)
    if problem:
        return _failed(problem)
    try:
        data, source_map = load_yaml(text)
    except yaml.MarkedYAMLError as error:
        return _failed(Problem(_at(source, error.problem_mark), _yaml_message(error)))
    except yaml.YAMLError as error:
        message = Message("native.yaml_unreadable", {"error": str(error)})
        return _failed(Problem(Location(file=source), message))
    except (DocumentTooLarge, RecursionError):
        return _failed(Problem(Location(file=source), Message("native.yaml_too_large")))
    return _result(data, source_map, source)


def read_json(content: str | bytes, source: str = "") -> ParseResult:
    """Read a native bank from JSON text, with every problem located by line."""
    text, problem = _decode(content, source)
    if problem:
        return _failed(problem)
    try:
        data, source_map = load_json(text)
    except json.JSONDecodeError as error:
        params = {"error": error.msg, "column": error.colno}
        if error.msg.startswith("Expecting property name"):
            message = Message("native.json_syntax_comma", params)
        else:
            message = Message("native.json_syntax", params)
        return _failed(Problem(Location(file=source, line=error.lineno), message))
    except RecursionError:
        return _failed(Problem(Location(file=source), Message("native.json_too_deep")))
    return _result(data, source_map, source)


def write_yaml(bank: BankRecord) -> ExportResult:
    """The bank as tidy YAML: block text for multi-line fields, short entries on one line."""
    return ExportResult(dump_yaml(bank_to_data(bank)).encode("utf-8"))


def write_json(bank: BankRecord) -> ExportResult:
    """The bank as JSON indented by two spaces."""
    text = json.dumps(bank_to_data(bank), indent=2, ensure_ascii=False) + "\n"
    return ExportResult(text.encode("utf-8"))


def _decode(content: str | bytes, source: str) -> tuple[str, Problem | None]:
    """Text from bytes in UTF-8 (a byte-order mark is allowed)."""
    if isinstance(content, str):
        return content.removeprefix("\ufeff"), None
    try:
        return content.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        return "", Problem(Location(file=source, line=line), Message("native.not_utf8"))


def _failed(problem: Problem) -> ParseResult:
    """The result of a file that could not be read at all."""
    return ParseResult(BankRecord(id="", title=""), [problem])


def _at(source: str, mark: yaml.Mark | None) -> Location:
    """The location of a YAML parser mark."""
    return Location(file=source, line=mark.line + 1 if mark else None)


def _yaml_message(error: yaml.MarkedYAMLError) -> Message:
    """A parser error as one sentence, naming where the enclosing block began."""
    tabs = bool(error.problem and "\\t" in error.problem)
    if error.context and error.context_mark:
        params = {
            "error": error.problem,
            "context": error.context,
            "line": error.context_mark.line + 1,
        }
        if tabs:
            return Message("native.yaml_syntax_tabs_context", params)
        return Message("native.yaml_syntax_context", params)
    if tabs:
        return Message("native.yaml_syntax_tabs", {"error": error.problem})
    return Message("native.yaml_syntax", {"error": error.problem})


def _result(data: object, source_map: SourceMap, source: str) -> ParseResult:
    """Records and problems from parsed data."""
    reader = FieldReader(data, source, source_map)
    bank = bank_from_data(reader)
    for path, line in source_map.duplicates:
        params = {"where": describe(data, path[:-1]), "key": path[-1]}
        message = Message("native.given_twice", params)
        reader.problems.append(Problem(Location(file=source, line=line), message))
    problems = reader.problems + _schema_problems(data, reader, source)
    problems.sort(key=lambda p: p.location.line or 0)
    return ParseResult(bank, problems)


@cache
def _schema_validator(path: str) -> jsonschema.protocols.Validator | None:
    """The bank schema's validator, or None while the schema file does not exist."""
    schema_file = FilePath(path)
    if not schema_file.is_file():
        return None
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(schema)(schema)


@cache
def _fast_check(path: str) -> Callable[[object], object] | None:
    """A compiled validator that raises on the first finding, or None without a schema.

    fastjsonschema reads drafts up to 7. The bank schema uses 2020-12 only for `$defs`
    (which a `$ref` pointer reaches the same way) and for minContains/maxContains, whose
    findings are restated by validate_bank and never reported from the schema (_RESTATED).
    """
    schema_file = FilePath(path)
    if not schema_file.is_file():
        return None
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    return fastjsonschema.compile(schema)


def _passes_fast_check(data: object) -> bool:
    """True when the compiled validator finds nothing at all."""
    check = _fast_check(str(SCHEMA_PATH))
    if check is None:
        return True
    try:
        check(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def _schema_problems(data: object, reader: FieldReader, source: str) -> list[Problem]:
    """What the JSON Schema finds beyond the problems already reported."""
    validator = _schema_validator(str(SCHEMA_PATH))
    if validator is None or not isinstance(data, dict) or _passes_fast_check(data):
        return []
    problems = []
    for error in validator.iter_errors(data):
        path: Path = tuple(error.absolute_path)
        if error.validator in _RESTATED or _restated_id(path) or _covered(path, reader):
            continue
        location = Location(file=source, line=reader.source_map.line(path))
        problems.append(Problem(location, _schema_message(data, path, error)))
    return problems


def _restated_id(path: Path) -> bool:
    """Bank, scenario and question ids and scenario references: validate_bank checks them."""
    return path[-1:] in (("id",), ("scenario",)) and len(path) <= 3


def _covered(path: Path, reader: FieldReader) -> bool:
    """True when the shape check already reported this place or one that holds it."""
    return any(path[:end] in reader.reported for end in range(len(path) + 1))


def _schema_message(data: object, path: Path, error: jsonschema.ValidationError) -> Message:
    """A schema error in plain words."""
    subject: Message
    if path and isinstance(path[-1], int):
        subject = describe(data, path)
    elif path:
        subject = Message(
            "native.where.field", {"where": describe(data, path[:-1]), "key": path[-1]}
        )
    else:
        subject = Message("native.where.file")
    if error.validator == "pattern":
        hint = _PATTERN_HINTS.get(str(error.validator_value), Message("native.hint.other"))
        found = {"subject": subject, "value": repr(error.instance), "hint": hint}
        return Message("native.schema_pattern", found)
    if error.validator == "type":
        kind = str(error.validator_value)
        wanted: Message | str = _KINDS.get(kind, kind)
        return Message("native.schema_type", {"subject": subject, "kind": wanted})
    if error.validator == "required":
        given = cast("dict[str, object]", error.instance)
        missing = [f for f in cast("list[str]", error.validator_value) if f not in given]
        params = {"where": describe(data, path), "key": ", ".join(missing)}
        return Message("native.missing", params)
    return Message("native.schema_other", {"subject": subject, "error": error.message})
