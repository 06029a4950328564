"""Administration: accounts, roles and the organization's settings."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.analytics import overview
from app.errors import Conflict, InvalidInput
from app.models import Role
from app.security import role_required
from app.services import time_zones, users
from app.web.admin.forms import OrganizationSettingsForm, UserCreateForm, UserEditForm
from app.web.sessions import keep_this_session

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


@bp.get("/")
@role_required(Role.ADMIN)
def home():
    """Admins: every account with its roles and state."""
    return render_template(
        "admin/home.html", users=users.list_users(current_user), counts=overview.role_counts()
    )


@bp.route("/users/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def create_user():
    """Admins: create an account."""
    form = UserCreateForm(time_zone=time_zones.organization_zone())
    if form.validate_on_submit():
        roles = {Role(r) for r in form.roles.data or []}
        try:
            user = users.create_user(
                current_user,
                form.email.data,
                form.name.data,
                form.password.data,
                roles,
                time_zone=form.time_zone.data,
            )
        except (InvalidInput, Conflict) as err:
            flash(err.message, "danger")
        else:
            flash(_("Account %(email)s created.", email=user.email), "success")
            return redirect(url_for("admin.home"))
    return render_template("admin/user_new.html", form=form)


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
    return render_template("admin/user_edit.html", form=form, user=user)


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
from app.web.admin import organization  # noqa: E402,F401
