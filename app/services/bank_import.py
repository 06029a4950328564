"""Importing question banks: everything is validated before anything is written.

One call imports one or more files. Any error in any file means nothing is written;
`dry_run` reports what would change. Re-importing updates questions by their stable
id: unchanged questions stay as they are, changed ones get a new version. New versions
follow the editor's review rule (`app.services.review`): a published question's live
version stays in exams until its change is approved. An existing bank keeps the
metadata the file does not carry itself.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select

from app import formats
from app.domain.records import Location, ParseResult, Problem
from app.domain.validation import validate_bank
from app.errors import NotFound, PermissionDenied
from app.extensions import db
from app.models import Actor, Clause, Edition, Question, Role, User
from app.services import audit
from app.services.bank_assets import size_problems
from app.services.bank_writer import write_bank_records
from app.services.review import import_route


@dataclass
class ImportOptions:
    """Choices a trainer makes for one import."""

    fmt: str = "auto"
    bank_code: str | None = None
    clause: str | None = None
    level: str | None = None
    dry_run: bool = False
    skip_unsupported: bool = False
    skip_invalid: bool = False  # import the valid questions of a file, list the others
    publish: bool = False  # publish new and changed questions at once (review rule permitting)
    review: bool = False  # send new and changed questions for review


@dataclass
class FileReport:
    """What one file held and what importing it did (or would do)."""

    source: str
    bank_code: str = ""
    questions: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    held: int = 0  # changed questions whose live version stays in exams until approved
    new_bank: bool = False
    bank_changes: list[tuple[str, str, str]] = field(default_factory=list)
    files_added: int = 0
    files_changed: int = 0
    translations: int = 0  # translations added or replaced (never new versions)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)  # invalid items left out, with why


@dataclass
class ImportReport:
    """The outcome of an import: written only if `ok` and not a dry run."""

    files: list[FileReport]
    dry_run: bool
    written: bool = False

    @property
    def errors(self) -> list[Problem]:
        """Every error of every file."""
        return [p for f in self.files for p in f.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        """True when no file has an error."""
        return not self.errors


def known_clauses() -> dict[str, set[str]]:
    """Clause numbers per edition code, from the loaded clause trees."""
    rows = db.session.execute(select(Edition.code, Clause.number).join(Clause.edition))
    result: dict[str, set[str]] = {}
    for code, number in rows:
        result.setdefault(code, set()).add(number)
    return result


def may_import(actor: Actor) -> None:
    """Trainers and admins import, and the operator (SYSTEM) at the command line."""
    if not actor.has_any_role(Role.TRAINER, Role.ADMIN):
        raise PermissionDenied(_("Only trainers and administrators may import question banks."))


def _reference_problems(name: str, result: ParseResult, loaded: set[str]) -> list[Problem]:
    """One error for a file whose clauses cannot be checked: their clause tree is not loaded."""
    missing = sorted({q.edition for q in result.bank.questions if q.clauses} - loaded)
    if not missing:
        return []
    message = _(
        "The clause tree of edition %(editions)s is not loaded, so the clauses cannot be "
        "checked and nothing can be imported. Load the reference data with "
        "`flask --app wsgi reference load` (or run `flask --app wsgi setup`), then "
        "import again.",
        editions=", ".join(missing),
    )
    return [Problem(Location(file=name), message)]


def _apply_options(result: ParseResult, options: ImportOptions) -> None:
    """Apply the import-wide bank id, clause and level to what was read."""
    bank = result.bank
    if options.bank_code:
        bank.id = options.bank_code
    for q in bank.questions:
        if q.derived_id and not q.id.startswith(f"{bank.id}-"):
            q.id = f"{bank.id}-{q.id}"  # made up from a title: scoped to its bank
        if options.clause and not q.clauses:
            q.clauses.append(options.clause)
        if options.level:
            q.level = options.level


def _unsupported_problems(result: ParseResult, options: ImportOptions) -> list[Problem]:
    """Unsupported items are errors unless the trainer chose to skip them (or to skip
    whatever cannot be imported)."""
    skip = options.skip_unsupported or options.skip_invalid
    severity = "warning" if skip else "error"
    hint = "" if skip else " (use --skip-unsupported to import the rest)"
    return [
        Problem(u.location, f"{u.kind} item '{u.name}' is not supported{hint}", severity)
        for u in result.unsupported
    ]


def _check(
    names: list[str],
    results: list[ParseResult],
    options: ImportOptions,
    clauses: dict[str, set[str]],
) -> list[FileReport]:
    """Every problem of every file: reading, unsupported items, validation, and ids
    shared across files or owned by another bank."""
    reports = []
    for name, result in zip(names, results, strict=True):
        problems = result.problems + _unsupported_problems(result, options)
        if not result.errors:
            problems += _reference_problems(name, result, set(clauses))
            problems += validate_bank(result.bank, clauses)
            problems += size_problems(name, result.bank)
        reports.append(
            FileReport(name, result.bank.id, len(result.bank.questions), problems=problems)
        )
    for report, extra in zip(reports, _cross_problems(results), strict=True):
        report.problems += extra
    return reports


def _leave_out_invalid(report: FileReport, result: ParseResult) -> list[Problem]:
    """Partial mode: leave out the questions with an error and the items that could not
    be read at a place in the file; return those errors (nothing when something else
    is wrong).

    An error about the file as a whole (its bank, its encoding, a missing clause tree,
    nothing readable at all) still stops the import: it says nothing about one item.
    What is left is checked again by the caller, so nothing invalid slips through.
    """
    errors = [p for p in report.problems if p.severity == "error"]
    if not errors or not result.bank.questions:
        return []
    located = {q.location for q in result.bank.questions if q.location is not None}
    unread = result.errors  # items the reader could not make into questions
    if any(p.location not in located and p not in unread for p in errors):
        return []  # about the file, or about something that leaving out would not mend
    # Each error leaves out a question or a reading error: every round makes progress.
    bad = {p.location for p in errors}
    result.bank.questions = [q for q in result.bank.questions if q.location not in bad]
    result.problems = [p for p in result.problems if p not in unread]
    return errors


def _cross_problems(results: list[ParseResult]) -> list[list[Problem]]:
    """Question ids must be unique across the files and not belong to another bank."""
    keys = [q.id for r in results for q in r.bank.questions]
    owners = dict(_existing_owners(keys))
    seen: dict[str, str] = {}
    per_file: list[list[Problem]] = []
    for result in results:
        found = []
        for q in result.bank.questions:
            where = q.location or Location(path=q.id)
            if q.id in seen and seen[q.id] != result.bank.id:
                found.append(Problem(where, f"question {q.id}: id also used in {seen[q.id]}"))
            seen.setdefault(q.id, result.bank.id)
            owner = owners.get(q.id)
            if owner is not None and owner != result.bank.id:
                found.append(
                    Problem(where, f"question {q.id}: id already belongs to bank '{owner}'")
                )
        per_file.append(found)
    return per_file


def _existing_owners(keys: list[str]) -> Iterable[tuple[str, str]]:
    """(question key, bank code) for keys already in the database, in chunks."""
    from app.models import Bank

    for start in range(0, len(keys), 5000):
        chunk = keys[start : start + 5000]
        stmt = select(Question.key, Bank.code).join(Bank).where(Question.key.in_(chunk))
        yield from db.session.execute(stmt)


Progress = Callable[[int, int, str], None]  # (steps done, steps in all, the next step)


def _no_progress(_done: int, _total: int, _step: str) -> None:
    """Nobody follows an import run in the request (the page waits for it)."""


def import_files(
    actor: Actor,
    files: list[tuple[str, bytes]],
    options: ImportOptions,
    progress: Progress = _no_progress,
) -> ImportReport:
    """Validate every file, then write all of them in one transaction (or nothing).
    `progress` hears of each step: reading each file, checking, writing each file."""
    may_import(actor)
    route = import_route(actor, options.publish, options.review)
    clauses = known_clauses()
    total = 2 * len(files) + 1
    results = []
    for index, (name, content) in enumerate(files):
        progress(index, total, _("Reading %(file)s", file=name))
        results.append(formats.read_file(content, name, options.fmt))
    for result in results:
        _apply_options(result, options)
    names = [name for name, _content in files]
    progress(len(files), total, _("Checking the questions"))
    reports = _check(names, results, options, clauses)
    skipped: list[list[Problem]] = [[] for _name in names]
    # Partial mode: leave out what failed and check the rest again, as a whole. A file
    # with reading errors is validated only once they are gone, so a second round may
    # find more; each round leaves out at least one item, so this ends.
    while options.skip_invalid:
        pairs = zip(reports, results, strict=True)
        found = [_leave_out_invalid(report, result) for report, result in pairs]
        if not any(found):
            break
        skipped = [before + now for before, now in zip(skipped, found, strict=True)]
        reports = _check(names, results, options, clauses)
    for report, left_out in zip(reports, skipped, strict=True):
        report.skipped = left_out
    outcome = ImportReport(reports, options.dry_run)
    if not outcome.ok:
        return outcome
    for index, (report, result) in enumerate(zip(reports, results, strict=True)):
        progress(len(files) + 1 + index, total, _("Writing %(file)s", file=report.source))
        done = write_bank_records(actor, result.bank, route)
        for name in (
            "created",
            "updated",
            "unchanged",
            "held",
            "new_bank",
            "bank_changes",
            "files_added",
            "files_changed",
            "translations",
        ):
            setattr(report, name, getattr(done, name))
    if options.dry_run:
        db.session.rollback()
        return outcome
    audit.record(
        actor,
        "banks.imported",
        "bank",
        ",".join(r.bank_code for r in reports),
        files=[r.source for r in reports],
        route=route,
        created=sum(r.created for r in reports),
        updated=sum(r.updated for r in reports),
        bank_changes=[c[0] for r in reports for c in r.bank_changes],
        translations=sum(r.translations for r in reports),
    )
    db.session.commit()
    outcome.written = True
    return outcome


def stage_upload(actor: User, instance_path: str, files: list[tuple[str, bytes]]) -> str:
    """Keep uploaded files after a clean dry run so the trainer can confirm the import."""
    may_import(actor)
    token = secrets.token_urlsafe(16)
    folder = Path(instance_path) / "uploads" / token
    folder.mkdir(parents=True)
    names = []
    for index, (name, content) in enumerate(files):
        (folder / f"{index}.bin").write_bytes(content)
        names.append(name)
    (folder / "meta.json").write_text(json.dumps({"user": actor.id, "names": names}))
    return token


def staged_files(actor: User, instance_path: str, token: str) -> list[tuple[str, bytes]]:
    """The files an actor staged under `token` (NotFound for anyone else's)."""
    folder = Path(instance_path) / "uploads" / token
    meta = folder / "meta.json"
    if not token.replace("-", "").replace("_", "").isalnum() or not meta.is_file():
        raise NotFound(_("That upload has expired; upload the file again."))
    data = json.loads(meta.read_text())
    if data["user"] != actor.id:
        raise NotFound(_("That upload has expired; upload the file again."))
    return [(n, (folder / f"{i}.bin").read_bytes()) for i, n in enumerate(data["names"])]
