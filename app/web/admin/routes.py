"""Administration: accounts, roles and the organization's settings."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.analytics import overview
from app.errors import Conflict, InvalidInput
from app.models import Role
from app.security import role_required
from app.services import account_invitations, job_admin, mail, time_zones, user_admin, users
from app.web.admin.forms import (
    ConfirmForm,
    OrganizationSettingsForm,
    UserCreateForm,
    UserEditForm,
)
from app.web.sessions import keep_this_session

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


def _page_number() -> int:
    """The `page` query parameter: a page number from 1, anything else is the first page."""
    raw = request.args.get("page", "1").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 7 else 1


@bp.get("/")
@role_required(Role.ADMIN)
def home():
    """Admins: the accounts, searched by name or e-mail, a page at a time."""
    found = user_admin.search_users(current_user, request.args.get("q", ""), _page_number())
    return render_template(
        "admin/home.html",
        found=found,
        users=found.users,
        counts=overview.role_counts(),
        has_password=users.has_password,
        job_counts=job_admin.counts(current_user),
    )


@bp.route("/users/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def create_user():
    """Admins: create an account, inviting its owner or typing a first password."""
    form = UserCreateForm(time_zone=time_zones.organization_zone())
    if form.validate_on_submit():
        roles = {Role(r) for r in form.roles.data or []}
        try:
            if form.password.data:
                user = users.create_user(
                    current_user,
                    form.email.data,
                    form.name.data,
                    form.password.data,
                    roles,
                    time_zone=form.time_zone.data,
                )
            else:
                invited = account_invitations.invite_user(
                    current_user,
                    form.email.data,
                    form.name.data,
                    roles,
                    time_zone=form.time_zone.data,
                )
                return _invited_page(invited)
        except (InvalidInput, Conflict) as err:
            flash(err.message, "danger")
        else:
            flash(_("Account %(email)s created.", email=user.email), "success")
            return redirect(url_for("admin.home"))
    return render_template("admin/user_new.html", form=form, mail_on=mail.mail_is_on())


def _invited_page(invited: account_invitations.Invited):
    """After an invitation: back to the list, or, with mail off, the link to hand over."""
    if invited.mailed:
        flash(
            _(
                "Account %(email)s created; an invitation to choose a password is on its way.",
                email=invited.user.email,
            ),
            "success",
        )
        return redirect(url_for("admin.home"))
    return render_template("admin/invited.html", invited=[(invited.user.email, invited.link)])


@bp.post("/users/<int:user_id>/invitation")
@role_required(Role.ADMIN)
def resend_invitation(user_id: int):
    """Admins: a fresh invitation for an account without a password (older links die)."""
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("admin.edit_user", user_id=user_id))
    try:
        invited = account_invitations.resend_invitation(current_user, user_id)
    except Conflict as err:
        flash(err.message, "danger")
        return redirect(url_for("admin.edit_user", user_id=user_id))
    return _invited_page(invited)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_user(user_id: int):
    """Admins: change an account's roles or deactivate it."""
    user = users.get_user(current_user, user_id)
    form = UserEditForm(
        roles=sorted(r.value for r in user.roles), active=user.active, time_zone=user.time_zone
    )
    if form.validate_on_submit():
        roles = {Role(r) for r in form.roles.data or []}
        try:
            users.update_account(
                current_user,
                user.id,
                roles,
                bool(form.active.data),
                time_zone=form.time_zone.data,
            )
        except (InvalidInput, Conflict) as err:
            flash(err.message, "danger")
        else:
            keep_this_session()  # an admin who changed their own roles stays signed in here
            flash(_("Account %(email)s updated.", email=user.email), "success")
            return redirect(url_for("admin.home"))
    return render_template(
        "admin/user_edit.html",
        form=form,
        user=user,
        has_password=users.has_password(user),
        confirm_form=ConfirmForm(formdata=None),
        mail_on=mail.mail_is_on(),
    )


@bp.route("/settings", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def settings():
    """Admins: the organization's settings (its time zone, which new accounts start with)."""
    form = OrganizationSettingsForm(time_zone=time_zones.organization_zone())
    if form.validate_on_submit():
        zone = time_zones.set_organization_zone(current_user, form.time_zone.data)
        flash(_("The organization's time zone is now %(zone)s.", zone=zone), "success")
        return redirect(url_for("admin.settings"))
    return render_template("admin/settings.html", form=form), 400 if form.errors else 200


# Page modules that add their routes to `bp`.
from app.web.admin import accounts, jobs, lti, organization  # noqa: E402,F401
