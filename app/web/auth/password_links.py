"""Forgotten passwords, invitations to choose one, and unsubscribing from drill e-mails:
pages reached from an e-mail, without signing in."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.errors import InvalidInput
from app.extensions import csrf, limiter
from app.services import mail, notifications, password_reset
from app.services.account_links import Purpose
from app.web.after_response import after_response
from app.web.auth import sso_mode, throttle
from app.web.auth.forms import DrillEmailsForm, ForgotPasswordForm, NewPasswordForm
from app.web.auth.routes import bp


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(throttle.reset_per_address, methods=["POST"], error_message=throttle.reset_refusal)
@limiter.limit(
    throttle.reset_per_account,
    key_func=throttle.reset_account_key,
    methods=["POST"],
    error_message=throttle.reset_refusal,
)
def forgot_password():
    """Public: ask for a reset link; the same answer, as fast, whether or not the address
    has an account (the work is done after the answer is sent). Not in SSO-only mode."""
    if sso_mode.passwords_off():
        abort(404)
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        email = (form.email.data or "").strip()
        after_response(password_reset.request_reset, email)
        flash(
            _(
                "If an account has the address %(email)s, a link to choose a new password is "
                "on its way there. It works once, for a limited time. Nothing arrived? Check "
                "the spam folder, or ask an administrator.",
                email=email,
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form, mail_on=mail.mail_is_on())


def _choose_password(token: str, purpose: Purpose):
    """The new-password form of a reset or invitation link, and its answer."""
    if sso_mode.passwords_off():
        abort(404)  # SSO-only mode: no password is chosen here
    try:
        user = password_reset.user_for_link(token, purpose)
    except password_reset.DeadLink as err:
        return render_template("auth/dead_link.html", message=err.message), 410
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            revoked = password_reset.set_password_by_link(token, purpose, form.new.data or "")
        except password_reset.DeadLink as err:
            return render_template("auth/dead_link.html", message=err.message), 410
        except InvalidInput as err:
            form.new.errors = [*form.new.errors, err.message]
        else:
            flash(_("Your password is saved. Sign in with it now."), "success")
            if revoked:
                flash(
                    ngettext(
                        "%(num)d API token of this account has been revoked, so that no token "
                        "made before this new password still works. Create new ones on your "
                        "profile page if you need them.",
                        "%(num)d API tokens of this account have been revoked, so that no token "
                        "made before this new password still works. Create new ones on your "
                        "profile page if you need them.",
                        revoked,
                    ),
                    "info",
                )
            return redirect(url_for("auth.login"))
    return render_template("auth/choose_password.html", form=form, user=user, purpose=purpose)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Public, with a live reset link: choose a new password; every session ends."""
    return _choose_password(token, "reset")


@bp.route("/welcome/<token>", methods=["GET", "POST"])
def welcome(token: str):
    """Public, with a live invitation link: choose the first password of a new account."""
    return _choose_password(token, "invite")


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058 one-click: mail programs POST without a form; the link is the secret
def unsubscribe(token: str):
    """Public, with a signed link: stop drill e-mails (GET asks, POST does it)."""
    user = notifications.unsubscribe_user(token)
    if user is None:
        message = _("This unsubscribe link is not valid. Sign in to change your e-mails.")
        return render_template("auth/dead_link.html", message=message), 404
    done = False
    if request.method == "POST":
        notifications.unsubscribe(token)
        done = True
    return render_template("auth/unsubscribe.html", user=user, done=done)


@bp.post("/profile/e-mails")
@login_required
def drill_emails():
    """Signed-in users: turn drill e-mails on or off."""
    form = DrillEmailsForm()
    if form.validate_on_submit():
        notifications.set_drill_emails(current_user, bool(form.drill_emails.data))
        if form.drill_emails.data:
            flash(_("You will get an e-mail when a drill is assigned."), "success")
        else:
            flash(_("You will no longer get e-mails about drills."), "success")
    return redirect(url_for("auth.profile"))
