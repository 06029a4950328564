"""`flask banks …`: import, export, validate, list and check coverage of question banks."""

from __future__ import annotations

import re
from pathlib import Path

import click
import yaml
from flask.cli import with_appcontext

from app import formats
from app.analytics import overview
from app.messages import render, render_finding, render_problem
from app.models import SYSTEM
from app.queries import banks as bank_queries
from app.services.bank_import import FileReport, ImportOptions, import_files

FORMAT_CHOICES = ["auto", *formats.FORMATS]


def _print_report(report: FileReport) -> None:
    """One file's problems, then its counts, bank changes and changes held for review."""
    for problem in report.problems:
        click.echo(f"  {render_problem(problem)}", err=problem.severity == "error")
    for problem in report.skipped:
        click.echo(f"  skipped: {render_problem(problem)}")
    click.echo(
        f"{report.source}: bank '{report.bank_code}', {report.questions} questions — "
        f"{report.created} new, {report.updated} changed, {report.unchanged} unchanged"
    )
    if report.new_bank:
        click.echo(f"  new bank '{report.bank_code}'")
    if report.translations:
        click.echo(f"  {report.translations} translation(s) added or changed")
    for name, old, new in report.bank_changes:
        click.echo(f"  bank {name}: {old!r} -> {new!r}")
    if report.held:
        click.echo(
            f"  {report.held} changed published question(s) stay in exams at their "
            "published version until the change is approved"
        )


def _read_paths(paths: tuple[str, ...]) -> list[tuple[str, bytes]]:
    """(name, bytes) of every file named."""
    return [(path, Path(path).read_bytes()) for path in paths]


@click.group("banks")
def banks_cli() -> None:
    """Question banks: import, export, validate, list, coverage."""


@banks_cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(FORMAT_CHOICES), default="auto")
@click.option("--bank", "bank_code", help="Import into this bank id, whatever the file says.")
@click.option("--clause", help="Clause for every question that has none (e.g. 8.5.1).")
@click.option("--level", type=click.Choice(["foundation", "practitioner", "auditor"]))
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--skip-unsupported", is_flag=True, help="Import the rest of a file.")
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="Import the valid questions and list every one left out (default: all or nothing).",
)
@click.option(
    "--publish",
    is_flag=True,
    help="Publish new and changed questions at once (the operator skips review).",
)
@click.option("--review", is_flag=True, help="Send new and changed questions for review.")
@with_appcontext
def import_command(paths: tuple[str, ...], **choices: object) -> None:
    """Import bank files; any error anywhere means nothing is written.

    Without --publish, new questions are drafts and a changed published question stays
    in exams at its published version until a trainer approves the change.
    """
    if choices["publish"] and choices["review"]:
        raise click.UsageError("Choose --publish or --review, not both.")
    result = import_files(SYSTEM, _read_paths(paths), ImportOptions(**choices))  # type: ignore[arg-type]
    for report in result.files:
        _print_report(report)
    if not result.ok:
        raise click.ClickException(f"{len(result.errors)} error(s); nothing was written.")
    click.echo("Dry run: nothing was written." if result.dry_run else "Imported.")


@banks_cli.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(FORMAT_CHOICES), default="auto")
@with_appcontext
def validate_command(paths: tuple[str, ...], fmt: str) -> None:
    """Check bank files without writing anything."""
    result = import_files(SYSTEM, _read_paths(paths), ImportOptions(fmt=fmt, dry_run=True))
    for report in result.files:
        _print_report(report)
    if not result.ok:
        raise click.ClickException(f"{len(result.errors)} error(s).")
    click.echo("Valid.")


@banks_cli.command("export")
@click.argument("bank_code")
@click.option("--format", "fmt", type=click.Choice(list(formats.FORMATS)), required=True)
@click.option("--output", required=True, type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def export_command(bank_code: str, fmt: str, output: str) -> None:
    """Write a bank's current questions to a file in any writable format."""
    record = bank_queries.bank_record(bank_code)
    if record is None:
        raise click.ClickException(f"No bank with id '{bank_code}'.")
    result = formats.write_bank(record, fmt)
    Path(output).write_bytes(result.data)
    for skipped in result.skipped:
        kind = f"{skipped.kind} ({render(skipped.reason)})" if skipped.reason else skipped.kind
        click.echo(f"  skipped {kind} item '{skipped.name}': {fmt} cannot express it")
    for warning in result.warnings:  # parts of written items the format leaves out
        click.echo(f"  {render_problem(warning)}")
    click.echo(f"Wrote {len(record.questions) - len(result.skipped)} questions to {output}.")


@banks_cli.command("merge-translations")
@click.argument("sidecars", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--language", help="Language tag of the translations (default: the file's).")
@click.option(
    "--banks-dir",
    type=click.Path(exists=True, file_okay=False),
    help="Folder of the bank files (default: the bundled banks).",
)
@click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
@with_appcontext
def merge_translations_command(
    sidecars: tuple[str, ...], language: str | None, banks_dir: str | None, dry_run: bool
) -> None:
    """Put translation sidecar files into the bank files they name, keeping the files'
    comments and layout; entries that do not fit their item are reported and left out."""
    from flask import current_app

    from app.formats.native_merge import merge, sidecar_bank

    root = Path(banks_dir or Path(current_app.config["QUESTION_BANKS_DIR"]) / "banks")
    texts: dict[Path, str] = {}
    trouble = False
    for side in sidecars:
        content = Path(side).read_text(encoding="utf-8")
        try:
            name = sidecar_bank(content)
        except yaml.YAMLError as error:
            click.echo(f"{side}: not readable as YAML: {error}", err=True)
            trouble = True
            continue
        path = root / f"{name}.yaml"
        if name is None or not re.fullmatch(r"[a-z0-9-]+", name) or not path.is_file():
            click.echo(f"{side}: bank: must name a bank file in {root}", err=True)
            trouble = True
            continue
        merged = merge(
            texts.get(path) or path.read_text(encoding="utf-8"), content, language, str(path), side
        )
        for problem in merged.problems:
            click.echo(f"  {render_problem(problem)}", err=problem.severity == "error")
        trouble |= bool(merged.problems)
        texts[path] = merged.text
        click.echo(
            f"{side}: {len(merged.questions)} questions and {len(merged.scenarios)} case texts "
            f"merged into {path}"
        )
    for path, text in texts.items():
        if not dry_run and text != path.read_text(encoding="utf-8"):
            path.write_text(text, encoding="utf-8")
    if dry_run:
        click.echo("Dry run: nothing was written.")
    if trouble:
        raise click.ClickException("Some translations were left out; see the problems above.")


@banks_cli.command("list")
@with_appcontext
def list_command() -> None:
    """Every bank with its question counts."""
    for bank in overview.bank_summaries():
        click.echo(
            f"{bank.code:20} {bank.total:6} questions {bank.published:6} published  {bank.title}"
        )


def _print_clause_table(items: list, numbers: list[str]) -> None:
    """Clause × level counts of published items, one clause a line."""
    from app.domain.coverage import clause_level_counts

    counts = clause_level_counts(items, numbers)
    click.echo(f"{'clause':10} {'foundation':>10} {'practitioner':>12} {'auditor':>8}")
    for number in numbers:
        row = counts.get(number, {})
        click.echo(
            f"{number:10} {row.get('foundation', 0):10} {row.get('practitioner', 0):12} "
            f"{row.get('auditor', 0):8}"
        )


@banks_cli.command("coverage")
@click.option("--scheme", "scheme_code", help="Check one scheme's blueprint (default: all).")
@with_appcontext
def coverage_command(scheme_code: str | None) -> None:
    """Published items per clause and level, and whether they fill each scheme's blueprint."""
    from app.domain.coverage import blueprint_fill

    items = bank_queries.published_items()
    _print_clause_table(items, bank_queries.clause_numbers())
    schemes = [s for s in overview.schemes() if scheme_code in (None, s.code)]
    if scheme_code and not schemes:
        raise click.ClickException(f"No scheme with id '{scheme_code}'.")
    short = False
    for scheme in schemes:
        report = blueprint_fill(items, scheme.exam_blueprint)
        click.echo(f"\n{scheme.title} ({scheme.code}):")
        for line in report.describe():
            click.echo(f"  {render(line)}")
        short |= not report.can_fill
    if short:
        raise click.ClickException("At least one scheme cannot be filled from published items.")


@banks_cli.command("lint")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option("--quiet", is_flag=True, help="Print errors only.")
@with_appcontext
def lint_command(paths: tuple[str, ...], quiet: bool) -> None:
    """Check items for writing flaws (default: the bundled banks); errors exit non-zero."""
    from flask import current_app

    from app.domain.lint import lint_banks, summary
    from app.services.reference import clause_numbers_from_files

    root = Path(current_app.config["QUESTION_BANKS_DIR"])
    chosen = paths or tuple(str(p) for p in sorted((root / "banks").glob("*.yaml")))
    results = [formats.read_file(Path(p).read_bytes(), p) for p in chosen]
    unreadable = [problem for r in results for problem in r.errors]
    for problem in unreadable:
        click.echo(render_problem(problem), err=True)
    findings = lint_banks([r.bank for r in results], clause_numbers_from_files(root))
    for finding in findings:
        if finding.severity == "error" or not quiet:
            click.echo(render_finding(finding))
    counts = summary(findings)
    questions = sum(len(r.bank.questions) for r in results)
    click.echo(
        f"{questions} questions in {len(results)} files: "
        f"{counts['error']} errors, {counts['warning']} warnings"
    )
    if counts["error"] or unreadable:
        raise click.ClickException("Item-writing errors found.")
