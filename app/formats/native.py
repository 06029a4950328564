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
_PATTERN_HINTS = {
    "^[a-z0-9-]+$": "lowercase letters, digits and hyphens",
    "^[A-Za-z0-9._-]+$": "letters, digits, '.', '_' and '-' only",
    "^\\d{1,2}(\\.\\d{1,2}){0,3}$": 'a clause number such as "8.5.1"',
    "^[a-z]{2,3}(-[A-Za-z0-9]+)*$": "a language code such as en or pt-BR",
}
_KINDS = {
    "string": "text",
    "array": "a list",
    "object": "a mapping",
    "boolean": "true or false",
    "integer": "a whole number",
    "number": "a number",
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
        return _failed(Problem(Location(file=source), f"the YAML cannot be read: {error}"))
    except (DocumentTooLarge, RecursionError):
        message = "the YAML expands to far more values than a bank holds (nested aliases?)"
        return _failed(Problem(Location(file=source), message))
    return _result(data, source_map, source)


def read_json(content: str | bytes, source: str = "") -> ParseResult:
    """Read a native bank from JSON text, with every problem located by line."""
    text, problem = _decode(content, source)
    if problem:
        return _failed(problem)
    try:
        data, source_map = load_json(text)
    except json.JSONDecodeError as error:
        message = f"JSON syntax error: {error.msg} (column {error.colno})"
        if error.msg.startswith("Expecting property name"):
            message += "; is there a comma after the last field?"
        return _failed(Problem(Location(file=source, line=error.lineno), message))
    except RecursionError:
        return _failed(Problem(Location(file=source), "the JSON is nested too deeply"))
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
        message = "the file is not UTF-8 text; save it as UTF-8 and try again"
        return "", Problem(Location(file=source, line=line), message)


def _failed(problem: Problem) -> ParseResult:
    """The result of a file that could not be read at all."""
    return ParseResult(BankRecord(id="", title=""), [problem])


def _at(source: str, mark: yaml.Mark | None) -> Location:
    """The location of a YAML parser mark."""
    return Location(file=source, line=mark.line + 1 if mark else None)


def _yaml_message(error: yaml.MarkedYAMLError) -> str:
    """A parser error as one sentence, naming where the enclosing block began."""
    message = f"YAML syntax error: {error.problem}"
    if error.problem and "\\t" in error.problem:
        message += "; indent with spaces, not tabs"
    if error.context and error.context_mark:
        message += f" ({error.context} that starts on line {error.context_mark.line + 1})"
    return message


def _result(data: object, source_map: SourceMap, source: str) -> ParseResult:
    """Records and problems from parsed data."""
    reader = FieldReader(data, source, source_map)
    bank = bank_from_data(reader)
    for path, line in source_map.duplicates:
        message = f"{describe(data, path[:-1])}: {path[-1]} is given twice; the last one is used"
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


def _schema_message(data: object, path: Path, error: jsonschema.ValidationError) -> str:
    """A schema error in plain words."""
    if path and isinstance(path[-1], int):
        subject = describe(data, path)
    else:
        subject = f"{describe(data, path[:-1])}: {path[-1]}" if path else "the file"
    if error.validator == "pattern":
        hint = _PATTERN_HINTS.get(str(error.validator_value), "the documented form")
        return f"{subject} {error.instance!r} should be written as {hint}"
    if error.validator == "type":
        wanted = _KINDS.get(str(error.validator_value), str(error.validator_value))
        return f"{subject} must be {wanted}"
    if error.validator == "required":
        given = cast("dict[str, object]", error.instance)
        missing = [f for f in cast("list[str]", error.validator_value) if f not in given]
        return f"{describe(data, path)}: {', '.join(missing)} is missing"
    return f"{subject}: {error.message}"
