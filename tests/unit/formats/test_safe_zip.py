"""safe_zip: uploaded packages are unpacked only when nothing about them is dangerous."""

from __future__ import annotations

import io
import zipfile

import pytest

from app.domain.records import Location
from app.formats.safe_zip import is_zip, open_package
from app.messages import render


def make_zip(entries: list[zipfile.ZipInfo | str], data: bytes = b"<x/>") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in entries:
            archive.writestr(entry, data)
    return buffer.getvalue()


def test_a_plain_package_unpacks_to_its_files():
    files = open_package(make_zip(["imsmanifest.xml", "items/a.xml"]), "ok.zip")
    assert files == {"imsmanifest.xml": b"<x/>", "items/a.xml": b"<x/>"}


def test_directories_are_not_files():
    files = open_package(make_zip(["items/", "items/a.xml"]), "dirs.zip")
    assert files == {"items/a.xml": b"<x/>"}


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("../evil.xml", "contains '..'"),
        ("items/../../evil.xml", "contains '..'"),
        ("/etc/passwd", "absolute path"),
        ("C:/Windows/evil.xml", "absolute path"),
        ("items\\..\\evil.xml", "backslash"),
    ],
)
def test_names_that_could_escape_the_package_are_refused(name, words):
    problems = open_package(make_zip(["imsmanifest.xml", name]), "evil.zip")
    assert isinstance(problems, list)
    (problem,) = problems
    assert problem.location == Location(file="evil.zip", path=name)
    assert words in render(problem.message)


def test_symlinks_are_refused():
    link = zipfile.ZipInfo("items/link.xml")
    link.external_attr = 0o120777 << 16
    (problem,) = open_package(make_zip([link], b"/etc/passwd"), "link.zip")
    assert problem.location.path == "items/link.xml"
    assert "symbolic link" in render(problem.message)


def test_too_many_entries_are_refused():
    (problem,) = open_package(make_zip([f"f{n}.xml" for n in range(5)]), "many.zip", max_files=3)
    assert render(problem.message) == "the archive holds 5 entries; at most 3 are accepted"
    assert problem.location == Location(file="many.zip")


def test_too_many_bytes_in_total_are_refused():
    data = make_zip(["a.xml", "b.xml"], b"x" * 600)
    (problem,) = open_package(data, "big.zip", max_total=1000)
    assert (
        render(problem.message)
        == "the archive would unpack to 1,200 bytes; at most 1,000 are accepted"
    )


def test_a_zip_bomb_is_refused_by_its_compression_ratio():
    data = make_zip(["imsmanifest.xml", "bomb.xml"], bytes(20_000_000))
    (bomb, other) = open_package(data, "bomb.zip")
    assert {bomb.location.path, other.location.path} == {"imsmanifest.xml", "bomb.xml"}
    assert "looks like a zip bomb" in render(bomb.message)


def test_small_files_that_compress_well_are_fine():
    files = open_package(make_zip(["blank.xml"], b" " * 50_000), "small.zip")
    assert files == {"blank.xml": b" " * 50_000}


def test_a_corrupt_zip_is_reported_not_raised():
    data = make_zip(["imsmanifest.xml"])
    (problem,) = open_package(data[: len(data) // 2], "cut.zip")
    assert problem.location == Location(file="cut.zip")
    assert render(problem.message).startswith("the file is not a readable zip archive")


def test_an_entry_with_a_bad_checksum_is_reported():
    data = bytearray(make_zip(["a.xml"], b"hello world, hello zip" * 10))
    header_end = 30 + len("a.xml")
    data[header_end + 5] ^= 0xFF  # damage the compressed bytes
    problems = open_package(bytes(data), "crc.zip")
    assert isinstance(problems, list)
    assert problems[0].location.path == "a.xml"
    assert render(problems[0].message).startswith("the entry could not be unpacked")


def test_repeated_entry_names_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.xml", b"1")
        with pytest.warns(UserWarning, match="Duplicate name"):
            archive.writestr("a.xml", b"2")
    (problem,) = open_package(buffer.getvalue(), "dup.zip")
    assert render(problem.message) == "the entry name appears twice in the archive"


def test_every_reason_to_refuse_is_reported_at_once():
    link = zipfile.ZipInfo("link")
    link.external_attr = 0o120777 << 16
    problems = open_package(make_zip(["../up.xml", link, "ok.xml"]), "all.zip")
    assert [p.location.path for p in problems] == ["../up.xml", "link"]


def test_zip_magic_is_recognised():
    assert is_zip(make_zip(["a.xml"]))
    assert not is_zip(b"<?xml version='1.0'?><quiz/>")
