"""Signing in and out, the profile page, the front door and the health check."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import text

from app.errors import InvalidInput
from app.extensions import db, limiter
from app.integrations import oidc
from app.models import Role
from app.security import safe_next_url
from app.services import mail, sso, time_zones, tokens, users
from app.web.auth import sso_mode, throttle
from app.web.auth.forms import (
    LanguageForm,
    LoginForm,
    LogoutForm,
    PasswordChangeForm,
    TimeZoneForm,
    TokenForm,
)
from app.web.auth.sso_mode import SIGNED_IN_WITH
from app.web.database_errors import with_retry_after
from app.web.language import SESSION_KEY as LANGUAGE_KEY
from app.web.sessions import keep_this_session

bp = Blueprint("auth", __name__, template_folder="templates")

# Where each role lands after signing in, most specific first.
HOME_BY_ROLE = (
    (Role.ADMIN, "admin.home"),
    (Role.MANAGER, "manager.home"),
    (Role.TRAINER, "trainer.home"),
    (Role.LEARNER, "learner.home"),
)


def home_endpoint() -> str:
    """The home page endpoint of the signed-in user's most specific role."""
    for role, endpoint in HOME_BY_ROLE:
        if current_user.has_any_role(role):
            return endpoint
    return "auth.profile"


@bp.get("/")
def index():
    """Public: send visitors to their home page, or to the sign-in page."""
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint()))
    return redirect(url_for("auth.login"))


_LOGIN_LIMITS = (
    limiter.limit(throttle.per_address, methods=["POST"], error_message=throttle.refusal),
    limiter.limit(
        throttle.per_account,
        key_func=throttle.account_key,
        methods=["POST"],
        error_message=throttle.refusal,
    ),
)


def _login_limits(view):
    """Both sign-in limits: per client address and per e-mail typed."""
    for limit in reversed(_LOGIN_LIMITS):
        view = limit(view)
    return view


def _login_page(form: LoginForm, *, emergency: bool = False, status: int = 200):
    """The sign-in page: issuer buttons, and the password form unless passwords are off."""
    page = render_template(
        "auth/login.html",
        form=form,
        providers=oidc.providers(),
        passwords=emergency or not sso_mode.passwords_off(),
        emergency=emergency,
        emergency_link=bool(sso_mode.emergency_admin()) and not emergency,
        # No reset link where mail is off or passwords are (SSO-only mode).
        can_reset=mail.mail_is_on() and not sso_mode.passwords_off(),
    )
    return page, status


@bp.route("/login", methods=["GET", "POST"])
@_login_limits
def login():
    """Public: the sign-in form; one message for every failure (no account enumeration).
    `?email=` fills in the address (a page that named it already sends people here)."""
    form = LoginForm(next=request.args.get("next", ""), email=request.args.get("email", "")[:254])
    if request.method == "POST" and sso_mode.passwords_off():
        flash(sso_mode.refusal(), "danger")
        return _login_page(form, status=403)
    if form.validate_on_submit():
        user = users.authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(safe_next_url(form.next.data) or url_for(home_endpoint()))
        flash(_("The e-mail address or password is not correct."), "danger")
    elif current_user.is_authenticated and request.method == "GET":
        return redirect(url_for(home_endpoint()))
    return _login_page(form)


@bp.route("/login/emergency", methods=["GET", "POST"])
@_login_limits
def emergency_login():
    """Public, in SSO-only mode with SSO_EMERGENCY_ADMIN set: that administrator's password
    sign-in (404 otherwise)."""
    allowed = sso_mode.emergency_admin()
    if not allowed:
        abort(404)
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = sso.emergency_sign_in(form.email.data or "", form.password.data or "", allowed)
        if user is not None:
            login_user(user, remember=False)
            return redirect(safe_next_url(form.next.data) or url_for(home_endpoint()))
        flash(_("The e-mail address or password is not correct."), "danger")
    return _login_page(form, emergency=True)


@bp.post("/logout")
@login_required
def logout():
    """Signed-in users: end the session (POST with a CSRF token); after a single sign-on
    with OIDC_<NAME>_LOGOUT, offer to sign out at the issuer too."""
    signed_in_with = session.pop(SIGNED_IN_WITH, None) or {}
    logout_user()
    settings = oidc.provider(signed_in_with.get("provider", ""))
    if settings is not None and signed_in_with.get("id_token"):
        back = url_for("auth.login", _external=True)
        there = oidc.logout_url(settings, signed_in_with["id_token"], back)
        if there:
            # A link, not a redirect: the page's form-action 'self' would stop a redirect
            # away from this site after the sign-out form.
            return render_template("auth/signed_out.html", provider=settings, there=there)
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
@limiter.limit(
    throttle.password_checks,
    key_func=throttle.signed_in_account_key,
    methods=["POST"],
    deduct_when=throttle.wrong_password_given,
    error_message=throttle.password_refusal,
)
def profile():
    """Signed-in users: their account details and the password change form."""
    form = PasswordChangeForm()
    if request.method == "POST" and not _may_change_password():
        flash(sso_mode.refusal(), "danger")
        return redirect(url_for("auth.profile"))
    if form.validate_on_submit():
        try:
            users.change_password(current_user, form.current.data, form.new.data)
        except users.WrongPassword as err:
            throttle.note_wrong_password()
            form.current.errors = [*form.current.errors, err.message]
        except InvalidInput as err:
            form.new.errors = [*form.new.errors, err.message]
        else:
            keep_this_session()  # every other session and remember-me cookie has ended
            flash(
                _("Your password has been changed. Your other sessions have been signed out."),
                "success",
            )
            return redirect(url_for("auth.profile"))
    return _profile_page(form=form)


def _may_change_password() -> bool:
    """Whether the profile page offers a password change to the signed-in user."""
    return not sso_mode.passwords_off() and users.has_password(current_user)


def _profile_page(**forms: Any) -> str:
    """The profile page with `forms` (the one just posted) and blank others."""
    return render_template(
        "auth/profile.html",
        **{
            "form": PasswordChangeForm(formdata=None),
            "token_form": TokenForm(formdata=None),
            "zone_form": TimeZoneForm(formdata=None, time_zone=current_user.time_zone),
            "tokens": tokens.list_tokens(current_user),
            "new_token": None,
            "may_change_password": _may_change_password(),
            "sign_in_with": [
                oidc.provider_label(issuer) for issuer in sso.issuers_of(current_user)
            ],
            **forms,
        },
    )


@bp.post("/profile/time-zone")
@login_required
def set_time_zone():
    """Signed-in users: choose the time zone their pages show times in."""
    form = TimeZoneForm()
    if form.validate_on_submit():
        try:
            zone = time_zones.set_own_zone(current_user, form.time_zone.data)
        except time_zones.UnknownZone as err:
            form.time_zone.errors = [*form.time_zone.errors, err.message]
        else:
            refresh()  # this request's flash already speaks of the new zone
            flash(_("Times are now shown in the %(zone)s time zone.", zone=zone), "success")
            return redirect(url_for("auth.profile"))
    return _profile_page(zone_form=form), 400


@bp.post("/profile/tokens")
@login_required
def create_token():
    """Signed-in users: create an API token, shown once."""
    form = TokenForm()
    new_token = None
    if form.validate_on_submit():
        _token, new_token = tokens.create_token(current_user, form.name.data)
    return _profile_page(token_form=form, new_token=new_token)


@bp.post("/profile/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    """Signed-in users: revoke one of their API tokens."""
    if not LogoutForm().validate_on_submit():
        return redirect(url_for("auth.profile"))
    tokens.revoke_token(current_user, token_id)
    flash(_("The token was revoked."), "success")
    return redirect(url_for("auth.profile"))


@bp.post("/language")
def set_language():
    """Anyone: choose the interface language, kept in this browser's session and, when
    signed in, on the profile; then back to the page the switcher was on."""
    form = LanguageForm()
    if not form.validate_on_submit():
        raise InvalidInput(_("The language form was incomplete; nothing was changed."))
    choice = (form.language.data or "").strip() or None
    users.check_language(choice)
    if current_user.is_authenticated:
        users.set_language(current_user, choice)
    if choice is None:
        session.pop(LANGUAGE_KEY, None)
    else:
        session[LANGUAGE_KEY] = choice
    return redirect(safe_next_url(form.next.data) or url_for("auth.index"))


@bp.get("/healthz")
@limiter.exempt
def healthz():
    """Public: JSON health of the app and its database."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as err:  # report, don't crash: this is what health checks are for
        failed = jsonify(status="error", database="unreachable", detail=type(err).__name__)
        failed.status_code = 503
        return with_retry_after(failed)
    return jsonify(status="ok", database="ok")


# Page modules that add their routes to `bp`.
from app.web.auth import invitations, password_links, sso_routes  # noqa: E402,F401
