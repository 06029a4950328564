"""The registry of bank formats: detect a file's format, read it, write a bank.

Codec modules are imported only when a format is used, so a slow or optional codec
costs nothing until someone needs it. Every reader is `read(content, source) ->
ParseResult` and every writer `write(bank) -> ExportResult`.
"""

from __future__ import annotations

import importlib
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from app.domain.assets import references
from app.domain.messages import Message
from app.domain.records import BankRecord, ExportResult, Location, ParseResult, Problem
from app.formats import texts


class FormatError(ValueError):
    """A file or format name the registry cannot handle; `message` says why."""

    def __init__(self, message: Message) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        """The source English, for logs and tracebacks (people see it rendered)."""
        text = texts.TEXTS[self.message.code]
        return (text if isinstance(text, str) else text[0]) % dict(self.message.params)


@dataclass(frozen=True)
class FormatSpec:
    """Where a format's codec lives and what it can do."""

    module: str
    read: str
    write: str
    can_write: bool
    extensions: tuple[str, ...]


FORMATS: dict[str, FormatSpec] = {
    "yaml": FormatSpec("app.formats.native", "read_yaml", "write_yaml", True, (".yaml", ".yml")),
    "json": FormatSpec("app.formats.native", "read_json", "write_json", True, (".json",)),
    "csv": FormatSpec("app.formats.spreadsheet", "read_csv", "write_csv", True, (".csv",)),
    "xlsx": FormatSpec("app.formats.spreadsheet", "read_xlsx", "write_xlsx", True, (".xlsx",)),
    "gift": FormatSpec("app.formats.gift", "read", "write", True, (".gift",)),
    "aiken": FormatSpec("app.formats.aiken", "read", "write", True, (".aiken",)),
    "moodlexml": FormatSpec("app.formats.moodle_xml", "read", "write", True, ()),
    "qti": FormatSpec("app.formats.qti", "read", "write", True, (".zip",)),
}

_YAML_KEYS = re.compile(r"^(bank|questions|scenarios|format)\s*:", re.MULTILINE)
_AIKEN_ANSWER = re.compile(r"^\s*ANSWER\s*:\s*[A-Za-z]\s*$", re.MULTILINE)
_GIFT_BLOCK = re.compile(r"\{[^{}]*[=~#][^{}]*\}|\{\s*\}|\{\s*(T|F|TRUE|FALSE)\s*\}")
_CSV_HEADER = re.compile(r"^(#bank:.*\n)?\"?id\"?\s*[,;].*\btype\b.*\bstem\b", re.IGNORECASE)


def detect_format(filename: str, content: bytes) -> str:
    """The format of an uploaded file, by its extension and then by its content."""
    suffix = PurePath(filename).suffix.lower()
    by_extension = [name for name, spec in FORMATS.items() if suffix in spec.extensions]
    if by_extension and suffix != ".zip":
        return by_extension[0]
    found = _sniff(content)
    if found is None:
        raise FormatError(_unknown_file(filename))
    return found


def _sniff(content: bytes) -> str | None:
    """The format a file's content looks like, or None."""
    if content.startswith(b"PK\x03\x04"):
        return "xlsx" if _is_workbook(content) else "qti"
    text = content[:65536].decode("utf-8-sig", errors="replace").lstrip()
    head = text[:4096]
    checks: list[tuple[str, Callable[[], bool]]] = [
        ("moodlexml", lambda: "<quiz" in head),
        ("qti", lambda: any(t in head for t in ("<assessmentItem", "<qti-assessment-item"))),
        ("json", lambda: text[:1] in ("{", "[")),
        ("yaml", lambda: bool(_YAML_KEYS.search(text))),
        ("csv", lambda: bool(_CSV_HEADER.match(text))),
        ("aiken", lambda: bool(_AIKEN_ANSWER.search(text))),
        ("gift", lambda: bool(_GIFT_BLOCK.search(text))),
    ]
    return next((name for name, looks_like in checks if looks_like()), None)


def _is_workbook(content: bytes) -> bool:
    """True for a zip that is an Excel workbook rather than a QTI package."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _unknown_file(filename: str) -> Message:
    """Why a file's format cannot be told, with the extensions that would tell it."""
    extensions = ", ".join(_all_extensions())
    if filename:
        return Message("file.cannot_tell", {"file": filename, "extensions": extensions})
    return Message("file.cannot_tell_unnamed", {"extensions": extensions})


def _all_extensions() -> list[str]:
    """Every extension the registry recognises."""
    return [ext for spec in FORMATS.values() for ext in spec.extensions] + [".xml", ".txt"]


def _codec(fmt: str, attribute: str) -> Callable[..., Any]:
    """A format's reader or writer, importing its module on first use."""
    if fmt not in FORMATS:
        known = ", ".join(FORMATS)
        raise FormatError(Message("file.unknown_format", {"format": repr(fmt), "known": known}))
    spec = FORMATS[fmt]
    codec: Callable[..., Any] = getattr(
        importlib.import_module(spec.module), getattr(spec, attribute)
    )
    return codec


def read_file(content: bytes | str, filename: str, fmt: str = "auto") -> ParseResult:
    """Read a bank from an uploaded file in any known format; bad files give problems."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        name = detect_format(filename, data) if fmt == "auto" else fmt
        reader = _codec(name, "read")
    except FormatError as error:
        return ParseResult(
            BankRecord(id="", title=""), [Problem(Location(file=filename), error.message)]
        )
    result: ParseResult = reader(data, filename)
    return result


def write_bank(bank: BankRecord, fmt: str) -> ExportResult:
    """Write a bank in a format; ValueError for a format that cannot be written."""
    if fmt in FORMATS and not FORMATS[fmt].can_write:
        raise FormatError(Message("file.read_only", {"format": fmt}))
    result: ExportResult = _codec(fmt, "write")(bank)
    if fmt not in CARRY_FILES:
        result.warnings.extend(_files_left_behind(bank, fmt))
    if fmt not in CARRY_TRANSLATIONS:
        result.warnings.extend(_translations_left_behind(bank, fmt))
    elif fmt not in ("yaml", "json"):  # the native format keeps even those that misfit
        from app.formats.translated import left_out

        result.warnings.extend(left_out(bank, fmt))
    return result


# The formats that carry a bank's files with its questions.
CARRY_FILES = frozenset({"moodlexml", "qti"})
# The formats that carry translations: the native format, Moodle XML (multilang
# texts), QTI (an item file per language) and the spreadsheets (a row per translation).
CARRY_TRANSLATIONS = frozenset({"yaml", "json", "csv", "xlsx", "moodlexml", "qti"})


def _translations_left_behind(bank: BankRecord, fmt: str) -> list[Problem]:
    """One warning for a bank with translations written to a format that drops them."""
    items = sum(1 for q in bank.questions if q.translations)
    items += sum(1 for case in bank.scenarios if case.translations)
    if not items:
        return []
    message = Message("export.translations_lost", {"format": fmt}, count=items)
    return [Problem(Location(path=bank.id), message, "warning")]


def _files_left_behind(bank: BankRecord, fmt: str) -> list[Problem]:
    """A warning for each question (and case text) showing a file the format cannot carry."""
    from app.formats.asset_refs import question_references

    found: list[Problem] = []
    for case in bank.scenarios:
        for name in references(case.text):
            params = {"question": case.id, "name": name, "format": fmt}
            found.append(
                Problem(Location(path=case.id), Message("asset.not_exported", params), "warning")
            )
    for q in bank.questions:
        for name in question_references(q):
            params = {"question": q.id, "name": name, "format": fmt}
            found.append(
                Problem(Location(path=q.id), Message("asset.not_exported", params), "warning")
            )
    return found
