"""Administrators' bulk account work: deactivating selected accounts, importing a CSV."""

from __future__ import annotations

import base64
import binascii

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.errors import Conflict, InvalidInput
from app.models import Role
from app.security import role_required
from app.services import mail, user_admin, user_import
from app.web.admin.forms import ConfirmForm, UserImportForm
from app.web.admin.routes import bp
from app.web.ids import parse_id

# A file to copy from: the column names are the same in every language.
EXAMPLE_CSV = (
    "email,name,roles,language,teams\n"
    "ana@example.org,Ana Lima,learner,en,Service desk\n"
    "li.wei@example.org,李伟,learner;manager,zh,Service desk|Auditors"
)


def _selected_ids() -> list[int]:
    """The account ids ticked in the form (`user_id`, repeated)."""
    return [parse_id(value, "user_id") for value in request.form.getlist("user_id")]


@bp.post("/users/deactivate")
@role_required(Role.ADMIN)
def confirm_deactivation():
    """Admins: the accounts ticked on the list, to confirm before they are deactivated."""
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("admin.home"))
    try:
        chosen = user_admin.users_by_ids(current_user, _selected_ids())
    except InvalidInput as err:
        flash(err.message, "danger")
        return redirect(url_for("admin.home"))
    return render_template(
        "admin/deactivate_confirm.html", chosen=chosen, form=ConfirmForm(formdata=None)
    )


@bp.post("/users/deactivate/confirm")
@role_required(Role.ADMIN)
def deactivate_users():
    """Admins: deactivate the confirmed accounts, all or none."""
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("admin.home"))
    try:
        count = user_admin.deactivate_users(current_user, _selected_ids())
    except (InvalidInput, Conflict) as err:
        flash(err.message, "danger")
        return redirect(url_for("admin.home"))
    flash(
        ngettext(
            "%(num)d account was deactivated; its sessions and API tokens have ended.",
            "%(num)d accounts were deactivated; their sessions and API tokens have ended.",
            count,
        ),
        "success",
    )
    return redirect(url_for("admin.home"))


def _uploaded(form: UserImportForm) -> bytes | None:
    """The CSV: a new upload, or the checked content sent back to import it."""
    if form.file.data:
        return form.file.data.read()
    if form.content.data:
        try:
            return base64.b64decode(form.content.data, validate=True)
        except (binascii.Error, ValueError):
            return None
    return None


@bp.route("/users/import", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def import_users():
    """Admins: create and update accounts from a CSV; checked first, then imported."""
    form = UserImportForm()
    report = None
    content = None
    status = 200
    if form.validate_on_submit():
        content = _uploaded(form)
        if content is None:
            flash(_("Choose a CSV file."), "danger")
            status = 400
        else:
            dry_run = request.form.get("action") != "import"
            report = user_import.import_users(current_user, content, dry_run=dry_run)
            status = 400 if report.errors else 200
    return (
        render_template(
            "admin/user_import.html",
            form=form,
            report=report,
            content=base64.b64encode(content).decode("ascii") if content else "",
            mail_on=mail.mail_is_on(),
            example=EXAMPLE_CSV,
        ),
        status,
    )
