"""Opening uploaded zip packages without trusting them.

A package is checked as a whole before any entry is decompressed: entry count, declared
sizes, compression ratios, names that could escape a folder, symlinks, encryption and
duplicate names. Entries are then read with a running size cap, so a header that lies
about its size cannot inflate past the limit either. Every refusal is a located Problem.

Readers that hand the archive to a library of their own (openpyxl for workbooks) call
`inspect_package` first with their own limits: the library only ever sees an archive
whose declared sizes passed, and Python's zipfile never inflates an entry past the size
its header declares.
"""

from __future__ import annotations

import io
import re
import stat
import struct
import zipfile
import zlib

from app.domain.messages import Message
from app.domain.records import Location, Problem

MAX_FILES = 2000
MAX_TOTAL = 200 * 1024 * 1024
MAX_RATIO = 100.0
# An Excel workbook of 10,000 questions holds about 7 MB of XML: 64 MB leaves ample room
# while keeping openpyxl's memory and time bounded (it needs several times the XML size).
WORKBOOK_MAX_FILES = 500
WORKBOOK_MAX_TOTAL = 64 * 1024 * 1024
# Entries below this size cannot do harm however well they compress, and tiny files
# (an empty item, a line of padding) compress far beyond any sane ratio.
RATIO_FLOOR = 1024 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")
# What a damaged archive can make zipfile raise, found by fuzzing: corrupt headers
# surface as more than BadZipFile.
_DAMAGED = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    NotImplementedError,
    RuntimeError,
    EOFError,
    zlib.error,
    struct.error,
    ValueError,
    OSError,
    IndexError,
)


def is_zip(content: bytes) -> bool:
    """Whether bytes start like a zip archive (local file header or empty archive)."""
    return content[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def open_package(
    content: bytes,
    source: str,
    max_files: int = MAX_FILES,
    max_total: int = MAX_TOTAL,
    max_ratio: float = MAX_RATIO,
) -> dict[str, bytes] | list[Problem]:
    """The files of a zip by name, or the Problems that made Clausewise refuse it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except _DAMAGED as exc:
        return [_unreadable(source, exc)]
    with archive:
        entries = archive.infolist()
        problems = _check(entries, source, max_files, max_total, max_ratio)
        if problems:
            return problems
        return _extract(archive, entries, source, max_total)


def inspect_package(
    content: bytes,
    source: str,
    max_files: int = MAX_FILES,
    max_total: int = MAX_TOTAL,
    max_ratio: float = MAX_RATIO,
) -> list[Problem]:
    """The Problems that make a zip unsafe to open, from its directory alone (nothing inflated)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return _check(archive.infolist(), source, max_files, max_total, max_ratio)
    except _DAMAGED as exc:
        return [_unreadable(source, exc)]


def _unreadable(source: str, exc: BaseException) -> Problem:
    return Problem(Location(file=source), Message("zip.unreadable", {"error": str(exc)}))


def _check(
    entries: list[zipfile.ZipInfo], source: str, max_files: int, max_total: int, max_ratio: float
) -> list[Problem]:
    problems: list[Problem] = []
    if len(entries) > max_files:
        params = {"entries": len(entries), "limit": max_files}
        message = Message("zip.too_many_entries", params)
        problems.append(Problem(Location(file=source), message))
    seen: set[str] = set()
    for entry in entries:
        problem = _entry_problem(entry, seen, max_ratio)
        if problem:
            problems.append(Problem(Location(file=source, path=entry.filename), problem))
        seen.add(entry.filename)
    total = sum(e.file_size for e in entries)
    if total > max_total:
        message = Message("zip.too_large", {"total": f"{total:,}", "limit": f"{max_total:,}"})
        problems.append(Problem(Location(file=source), message))
    return problems


def _entry_problem(entry: zipfile.ZipInfo, seen: set[str], max_ratio: float) -> Message | None:
    name = entry.filename
    if "\\" in name:
        return Message("zip.backslash")
    if name.startswith("/") or _DRIVE.match(name):
        return Message("zip.absolute")
    if ".." in name.split("/"):
        return Message("zip.parent")
    if stat.S_ISLNK(entry.external_attr >> 16):
        return Message("zip.symlink")
    if entry.flag_bits & 0x1:
        return Message("zip.encrypted")
    if name in seen:
        return Message("zip.twice")
    if entry.file_size >= RATIO_FLOOR:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if ratio > max_ratio:
            params = {
                "ratio": f"{ratio:,.0f}",
                "size": f"{entry.file_size:,}",
                "compressed": f"{entry.compress_size:,}",
                "limit": f"{max_ratio:,.0f}",
            }
            return Message("zip.bomb", params)
    return None


def _extract(
    archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], source: str, max_total: int
) -> dict[str, bytes] | list[Problem]:
    files: dict[str, bytes] = {}
    problems: list[Problem] = []
    budget = max_total
    for entry in entries:
        if entry.is_dir():
            continue
        try:
            with archive.open(entry) as handle:
                data = handle.read(min(entry.file_size, budget) + 1)
        except _DAMAGED as exc:
            message = Message("zip.entry_unreadable", {"error": str(exc)})
            problems.append(Problem(Location(file=source, path=entry.filename), message))
            continue
        if len(data) > entry.file_size or len(data) > budget:
            message = Message("zip.entry_too_large")
            problems.append(Problem(Location(file=source, path=entry.filename), message))
            break
        budget -= len(data)
        files[entry.filename] = data
    return problems or files
