"""Administration of LTI 1.3: the tool's details and keys, and the platform registrations."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.models import LtiPlatform, Role
from app.security import role_required
from app.services import lti_keys, lti_platforms
from app.web.admin.lti_forms import ConfirmForm, PlatformForm
from app.web.admin.routes import bp


def _tool_urls() -> dict[str, str]:
    """The addresses a platform's administrator types into the tool's registration."""
    return {
        "tool": url_for("lti.launch", _external=True),
        "login": url_for("lti.login", _external=True),
        "redirect": url_for("lti.launch", _external=True),
        "jwks": url_for("lti.jwks", _external=True),
    }


@bp.get("/lti")
@role_required(Role.ADMIN)
def lti():
    """Admins: what to give a platform, the tool's keys, and the registered platforms."""
    return render_template(
        "admin/lti.html",
        enabled=bool(current_app.config.get("LTI_ENABLED")),
        urls=_tool_urls(),
        keys=lti_keys.published(),
        platforms=lti_platforms.list_platforms(current_user),
        form=ConfirmForm(),
    )


@bp.post("/lti/keys/rotate")
@role_required(Role.ADMIN)
def rotate_lti_key():
    """Admins: sign with a new key from now on (the old one stays published for a day)."""
    ConfirmForm().validate_on_submit() or abort(400)
    key = lti_keys.rotate(current_user)
    flash(_("A new key %(kid)s signs from now on.", kid=key.kid), "success")
    return redirect(url_for("admin.lti"))


def _registration(form: PlatformForm) -> lti_platforms.Registration:
    """The form's fields as the service takes them."""
    return lti_platforms.Registration(
        name=form.name.data or "",
        issuer=form.issuer.data or "",
        client_id=form.client_id.data or "",
        deployment_ids=(form.deployment_ids.data or "").splitlines(),
        auth_login_url=form.auth_login_url.data or "",
        auth_token_url=form.auth_token_url.data or "",
        auth_audience=form.auth_audience.data or "",
        jwks_url=form.jwks_url.data or "",
        public_key=form.public_key.data or "",
        instructor_roles=list(form.instructor_roles.data or []),
        admins_are_admins=bool(form.admins_are_admins.data),
        link_by_email=bool(form.link_by_email.data),
        active=bool(form.active.data),
    )


def _save(form: PlatformForm, platform: LtiPlatform | None):
    """Save a valid form, or show it again with each wrong field marked."""
    try:
        saved = lti_platforms.save_platform(
            current_user, platform.id if platform else None, _registration(form)
        )
    except lti_platforms.RegistrationInvalid as err:
        for name, message in err.fields.items():
            getattr(form, name).errors = [*getattr(form, name).errors, message]
        flash(err.message, "danger")
        return None
    flash(_("The platform %(name)s is saved.", name=saved.name), "success")
    return redirect(url_for("admin.lti"))


@bp.route("/lti/platforms/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_lti_platform():
    """Admins: register a platform."""
    defaults = lti_platforms.Registration()
    form = PlatformForm(
        instructor_roles=defaults.instructor_roles,
        link_by_email=defaults.link_by_email,
        active=defaults.active,
    )
    if form.validate_on_submit() and (done := _save(form, None)) is not None:
        return done
    return render_template(
        "admin/lti_platform.html", form=form, platform=None, urls=_tool_urls(), delete=None
    )


@bp.route("/lti/platforms/<int:platform_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_lti_platform(platform_id: int):
    """Admins: change a platform's registration."""
    platform = lti_platforms.get_platform(current_user, platform_id)
    data = {name: getattr(platform, name) for name in lti_platforms.FIELDS}
    form = PlatformForm(data={**data, "deployment_ids": "\n".join(platform.deployment_ids)})
    if form.validate_on_submit() and (done := _save(form, platform)) is not None:
        return done
    return render_template(
        "admin/lti_platform.html",
        form=form,
        platform=platform,
        urls=_tool_urls(),
        delete=ConfirmForm(),
    )


@bp.post("/lti/platforms/<int:platform_id>/delete")
@role_required(Role.ADMIN)
def delete_lti_platform(platform_id: int):
    """Admins: remove a registration (its people keep their accounts and results)."""
    ConfirmForm().validate_on_submit() or abort(400)
    lti_platforms.delete_platform(current_user, platform_id)
    flash(_("The registration was removed."), "success")
    return redirect(url_for("admin.lti"))
