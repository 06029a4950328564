"""The trainer's workspace: banks, import with a dry run, export and templates."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app import formats
from app.analytics import overview
from app.domain.records import ExportResult
from app.formats import spreadsheet
from app.models import Role
from app.queries import banks as bank_queries
from app.security import role_required
from app.services import bank_import, jobs, long_jobs, review
from app.web.exports import attachment
from app.web.trainer.forms import ConfirmImportForm, ImportForm

bp = Blueprint("trainer", __name__, url_prefix="/train", template_folder="templates")
MIME = {
    "yaml": "application/yaml",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",  # written with a byte order mark (Excel reads UTF-8)
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "gift": "text/plain",
    "aiken": "text/plain",
    "moodlexml": "application/xml",
    "qti": "application/zip",
}
SUFFIX = {"moodlexml": "xml", "qti": "zip", "aiken": "txt"}


@bp.get("/")
@role_required(Role.TRAINER, Role.ADMIN)
def home():
    """Trainers and admins: the question banks and their sizes."""
    return render_template(
        "trainer/home.html", banks=overview.bank_summaries(), formats=list(formats.FORMATS)
    )


def _options(form) -> bank_import.ImportOptions:
    """Import options from either import form."""
    return bank_import.ImportOptions(
        fmt=form.fmt.data or "auto",
        bank_code=form.bank_code.data or None,
        clause=form.clause.data or None,
        level=form.level.data or None,
        skip_unsupported=form.skip_unsupported.data in (True, "True", "y"),
        skip_invalid=form.skip_invalid.data in (True, "True", "y"),
        publish=form.after.data == "publish",
        review=form.after.data == "review",
    )


@bp.route("/import", methods=["GET", "POST"])
@role_required(Role.TRAINER, Role.ADMIN)
def import_banks():
    """Trainers: upload files; a dry run shows located errors or what would change."""
    form = ImportForm()
    form.offer_publishing(review.may_publish_own_work(current_user))
    if not form.validate_on_submit():
        return render_template("trainer/import.html", form=form, report=None)
    files = [(f.filename or "upload", f.read()) for f in request.files.getlist(form.files.name)]
    options = _options(form)
    options.dry_run = True
    if jobs.queue_configured():  # a worker checks the files; the page follows it
        job = long_jobs.start_import(current_user, files, options)
        return redirect(url_for("trainer.job_page", public_id=job.public_id))
    report = bank_import.import_files(current_user, files, options)
    confirm = None
    if report.ok:
        token = bank_import.stage_upload(current_user, current_app.instance_path, files)
        confirm = ConfirmImportForm(formdata=None, token=token, **_option_fields(options))
    return render_template("trainer/import.html", form=form, report=report, confirm=confirm)


def _option_fields(options: bank_import.ImportOptions) -> dict[str, str]:
    """Hidden-field values that carry the chosen options to the confirm step."""
    return {
        "fmt": options.fmt,
        "bank_code": options.bank_code or "",
        "clause": options.clause or "",
        "level": options.level or "",
        "skip_unsupported": str(options.skip_unsupported),
        "skip_invalid": str(options.skip_invalid),
        "after": "publish" if options.publish else "review" if options.review else "draft",
    }


@bp.post("/import/confirm")
@role_required(Role.TRAINER, Role.ADMIN)
def confirm_import():
    """Trainers: import the files of a clean dry run."""
    form = ConfirmImportForm()
    if not form.validate_on_submit() or not (form.token.data or form.job.data):
        abort(400)
    if form.job.data:  # the dry run was a job: so is the import, from the same files
        job = long_jobs.start_confirmed_import(current_user, form.job.data)
        return redirect(url_for("trainer.job_page", public_id=job.public_id))
    files = bank_import.staged_files(current_user, current_app.instance_path, form.token.data)
    report = bank_import.import_files(current_user, files, _options(form))
    if not report.ok:
        again = ImportForm(formdata=None)
        again.offer_publishing(review.may_publish_own_work(current_user))
        return render_template("trainer/import.html", form=again, report=report, confirm=None)
    created = sum(f.created for f in report.files)
    updated = sum(f.updated for f in report.files)
    flash(_("Imported: %(c)d new and %(u)d changed questions.", c=created, u=updated), "success")
    held = sum(f.held for f in report.files)
    if held:
        flash(
            ngettext(
                "%(num)d changed question stays in exams at its published version until "
                "its change is approved.",
                "%(num)d changed questions stay in exams at their published versions until "
                "their changes are approved.",
                held,
            ),
            "info",
        )
    return redirect(url_for("trainer.home"))


def _exported(code: str) -> tuple[str, ExportResult]:
    """The bank written in the request's format (?format=…, YAML by default): 400 for an
    unknown format, 404 for an unknown bank."""
    fmt = request.args.get("format", "yaml")
    if fmt not in formats.FORMATS:
        abort(400, _("Unknown format."))
    record = bank_queries.bank_record(code)
    if record is None:
        abort(404)
    return fmt, formats.write_bank(record, fmt)


@bp.get("/banks/<code>/export")
@role_required(Role.TRAINER, Role.ADMIN)
def export_bank(code: str):
    """Trainers: download a bank in any writable format (?format=…); with a job queue,
    a page that offers to prepare the file in the background."""
    if jobs.queue_configured():
        return export_start(code)
    fmt, result = _exported(code)
    reply = attachment(result.data, f"{code}.{SUFFIX.get(fmt, fmt)}", MIME[fmt])
    if result.skipped:
        reply.headers["X-Clausewise-Skipped"] = str(len(result.skipped))
    if result.warnings:  # parts of written questions the format leaves out, files it cannot carry
        reply.headers["X-Clausewise-Warnings"] = str(len(result.warnings))
    return reply


@bp.get("/banks/<code>/export/report")
@role_required(Role.TRAINER, Role.ADMIN)
def export_report(code: str):
    """Trainers: what an export in a format (?format=…) leaves out, before downloading it."""
    fmt, result = _exported(code)
    return render_template("trainer/export_report.html", code=code, fmt=fmt, result=result)


@bp.get("/template.<kind>")
@role_required(Role.TRAINER, Role.ADMIN)
def template(kind: str):
    """Trainers: the spreadsheet template with one example row per question type."""
    if kind not in ("csv", "xlsx"):
        abort(404)
    data = spreadsheet.template_csv() if kind == "csv" else spreadsheet.template_xlsx()
    return attachment(data, f"clausewise-template.{kind}", MIME[kind])


# Page modules that add their routes to `bp`.
from app.web.trainer import (  # noqa: E402,F401
    analysis,
    authoring,
    background,
    backtest,
    bulk,
    editor_preview,
    marking,
    translations,
    version_changes,
)
from app.web.trainer.background import export_start  # noqa: E402
