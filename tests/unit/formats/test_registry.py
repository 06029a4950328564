"""The format registry: telling formats apart, and reading and writing through it."""

from __future__ import annotations

import importlib
import importlib.util
import io
import zipfile

import pytest

from app.formats import FORMATS, detect_format, read_file, write_bank
from app.formats.spreadsheet import template_xlsx
from app.messages import render
from tests.unit.formats.sample import every_type_bank


def qti_package() -> bytes:
    """A minimal IMS content package."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("imsmanifest.xml", "<manifest/>")
        archive.writestr("item1.xml", "<assessmentItem identifier='i1'/>")
    return out.getvalue()


SAMPLES = {
    "yaml": ("bank.txt", b"# my bank\nbank:\n  id: x\n  title: X\nquestions: []\n"),
    "json": ("upload", b'  {"bank": {"id": "x", "title": "X"}, "questions": []}'),
    "moodlexml": (
        "export.xml",
        b'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n<question type="truefalse"/></quiz>',
    ),
    "qti": ("item.xml", b'<?xml version="1.0"?>\n<assessmentItem identifier="q1"/>'),
    "aiken": ("questions.txt", b"What is 2+2?\nA. 3\nB. 4\nANSWER: B\n"),
    "gift": ("questions.txt", b"::Q1:: Is the sky blue? {T}\n\n::Q2:: Pick {=yes ~no}\n"),
    "csv": ("upload.txt", b"#bank: id=x\nid;type;stem;correct\nq1;true_false;True?;true\n"),
}


@pytest.mark.parametrize("expected", sorted(SAMPLES))
def test_formats_are_recognised_by_their_content(expected: str):
    filename, content = SAMPLES[expected]
    assert detect_format(filename, content) == expected


def test_qti_3_items_and_packages_are_qti():
    assert detect_format("i.xml", b"<qti-assessment-item identifier='a'/>") == "qti"
    assert detect_format("package.zip", qti_package()) == "qti"
    assert detect_format("package.bin", qti_package()) == "qti"


def test_a_workbook_is_told_apart_from_a_qti_zip():
    assert detect_format("upload.bin", template_xlsx()) == "xlsx"


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("bank.yaml", "yaml"),
        ("bank.YML", "yaml"),
        ("bank.json", "json"),
        ("bank.csv", "csv"),
        ("bank.xlsx", "xlsx"),
        ("quiz.gift", "gift"),
    ],
)
def test_extensions_decide_first(filename: str, expected: str):
    assert detect_format(filename, b"whatever is inside") == expected


def test_unrecognisable_content_raises_a_clear_error():
    with pytest.raises(ValueError, match=r"cannot tell the format of notes\.txt"):
        detect_format("notes.txt", b"Just some notes without any structure.")


@pytest.mark.parametrize("fmt", ["yaml", "json", "csv", "xlsx"])
def test_banks_go_through_the_registry_and_back(fmt: str):
    bank = every_type_bank()
    data = write_bank(bank, fmt).data
    result = read_file(data, f"sample.{fmt}")
    assert result.problems == []
    assert result.bank == bank


def test_reading_an_unknown_file_gives_a_problem_not_an_exception():
    result = read_file(b"plain words", "notes.txt")
    assert [render(p.message)[:30] for p in result.errors] == ["cannot tell the format of note"]
    assert render(read_file(b"x", "a.csv", fmt="pdf").errors[0].message).startswith(
        "unknown format"
    )


def test_writing_an_unknown_format_raises():
    with pytest.raises(ValueError, match="unknown format 'pdf'"):
        write_bank(every_type_bank(), "pdf")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_registered_codec_exposes_its_functions(fmt: str):
    spec = FORMATS[fmt]
    if importlib.util.find_spec(spec.module) is None:
        pytest.skip(f"{spec.module} is not written yet")
    module = importlib.import_module(spec.module)
    assert callable(getattr(module, spec.read))
    assert callable(getattr(module, spec.write)) == spec.can_write
