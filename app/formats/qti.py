"""IMS QTI: read QTI 2.1 and 3.0 items and content packages, write QTI 2.1 packages.

`read` takes a single item file or a zip package (told apart by the zip magic bytes).
See docs/formats/qti.md for how interactions map to Clausewise types and where the
Clausewise metadata lives in a package.
"""

from __future__ import annotations

from app.domain.records import BankRecord, ExportResult, ParseResult
from app.formats.qti_package import empty_bank, read_package, write_package
from app.formats.qti_read import read_item
from app.formats.safe_zip import is_zip

__all__ = ["read", "write"]


def read(content: bytes, source: str = "<input>") -> ParseResult:
    """Read a QTI item file or content package; bad input gives located problems."""
    if is_zip(content):
        return read_package(content, source)
    result = ParseResult(empty_bank(source, "qti-import"))
    item = read_item(content, source)
    result.problems.extend(item.problems)
    if item.rubric_warning is not None:
        result.problems.append(item.rubric_warning)
    if item.unsupported is not None:
        result.unsupported.append(item.unsupported)
    if item.scenario is not None:
        result.bank.scenarios.append(item.scenario)
    if item.language is not None:
        result.bank.language = item.language
        result.bank.given.add("language")
    if item.question is not None:
        result.bank.questions.append(item.question)
        if item.question.title and source == "<input>":
            result.bank.title = item.question.title
    return result


def write(bank: BankRecord) -> ExportResult:
    """A QTI 2.1 content package (zip) of a bank, with the questions it had to skip."""
    return write_package(bank)
