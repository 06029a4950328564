"""Spreadsheet bombs: a workbook's zip is checked like a QTI package before openpyxl opens it.

The bombs are built here with zipfile, streamed in chunks, so each test stays well under a
second and a few megabytes however much the archive claims to hold.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest

from app.formats import spreadsheet, xlsx_format
from app.formats.safe_zip import WORKBOOK_MAX_TOTAL
from app.messages import render

STRINGS = b"<si><t>" + b"A" * 40 + b"</t></si>"


def bomb(strings_bytes: int, level: int = 9, extra_files: int = 0) -> bytes:
    """The template workbook with a shared-strings part of `strings_bytes` bytes."""
    template = zipfile.ZipFile(io.BytesIO(spreadsheet.template_xlsx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for info in template.infolist():
            archive.writestr(info.filename, template.read(info))
        chunk = STRINGS * (1024 * 1024 // len(STRINGS))
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as handle:
            written = 0
            while written < strings_bytes:
                written += handle.write(chunk[: strings_bytes - written])
        for n in range(extra_files):
            archive.writestr(f"xl/media/image{n}.png", b"x")
    return buffer.getvalue()


@pytest.fixture
def openpyxl_must_not_open(monkeypatch):
    """Fail the test if openpyxl is asked to open the workbook."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("openpyxl opened a workbook that should have been refused")

    monkeypatch.setattr(xlsx_format.openpyxl, "load_workbook", refuse)


def test_a_shared_strings_bomb_is_refused_by_its_compression_ratio(openpyxl_must_not_open):
    data = bomb(40 * 1024 * 1024)
    assert len(data) < 200_000  # 40 MB of strings in a file smaller than one photo
    result = spreadsheet.read_xlsx(data, "bomb.xlsx")
    (problem,) = result.problems
    assert (problem.location.file, problem.location.path) == ("bomb.xlsx", "xl/sharedStrings.xml")
    assert "looks like a zip bomb" in render(problem.message)
    assert result.bank.questions == []


def test_a_bomb_compressed_below_the_ratio_limit_is_refused_by_its_total_size(
    openpyxl_must_not_open,
):
    data = bomb(WORKBOOK_MAX_TOTAL + 1024 * 1024, level=1)
    (problem,) = spreadsheet.read_xlsx(data, "wide.xlsx").problems
    assert problem.location.file == "wide.xlsx" and problem.location.path is None
    assert render(problem.message).startswith("the archive would unpack to")
    assert f"at most {WORKBOOK_MAX_TOTAL:,} are accepted" in render(problem.message)


def test_a_workbook_of_too_many_parts_is_refused(openpyxl_must_not_open):
    (problem,) = spreadsheet.read_xlsx(bomb(0, extra_files=600), "parts.xlsx").problems
    assert "entries; at most 500 are accepted" in render(problem.message)


def test_a_large_ordinary_workbook_still_imports():
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))
    from bench_import import make_bank

    bank = make_bank(2000)
    result = spreadsheet.read_xlsx(spreadsheet.write_xlsx(bank).data, "big.xlsx")
    assert result.problems == []
    assert len(result.bank.questions) == 2000
    assert result.bank.questions[-1].stem == bank.questions[-1].stem
