"""A first launch naming the e-mail of an account with a password or a staff role: the
page that asks its owner to sign in (or, signed in already, to confirm), and the link
made when they do.

The launch waits in the signed session (PENDING). Any sign-in in this browser settles
it (Flask-Login's user_logged_in, whatever the way in: password, single sign-on, a link
by e-mail): signed in to the account the e-mail names, the link is made and the next
visit to the page continues to what the launch opened; signed in to another, nothing is
linked and the waiting link is dropped. A remember-me cookie is no sign-in here.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, user_logged_in

from app.errors import DomainError
from app.models import User
from app.services import lti_launch, lti_pending
from app.web.lti.forms import ActionForm
from app.web.lti.routes import PENDING, bp, open_launched

CONTINUE = "lti_linked_continue"  # session: where a sign-in that linked continues to


def _linked() -> None:
    """Say that the link is made."""
    flash(
        _(
            "Your course account is now linked to this Clausewise account: from now on, "
            "your course signs you in to it."
        ),
        "success",
    )


@user_logged_in.connect
def _settle_on_sign_in(_app: Any, user: User, **_extra: Any) -> None:
    """Someone signed in while a launch waited here: link it when they signed in to the
    account its e-mail names; else drop it, saying why."""
    pending = session.pop(PENDING, None)
    if pending is None:
        return
    try:
        launched = lti_launch.confirm_link(user, pending)
    except DomainError as err:
        flash(err.message, "danger")
        return
    _linked()
    session[CONTINUE] = open_launched(launched)


@bp.get("/account-link")
def account_link():
    """Anyone with a launch waiting in this browser: what linking it needs (signing in,
    or, signed in as its account, a confirmation); right after a sign-in that linked it,
    on to what the launch opens."""
    after = session.pop(CONTINUE, None)
    if after:
        return redirect(after)
    if PENDING not in session:
        return redirect(url_for("auth.index"))
    try:
        waiting = lti_pending.waiting(session[PENDING])
        if current_user.is_authenticated:
            lti_pending.check_owner(current_user, waiting.pending)
    except DomainError as err:
        session.pop(PENDING, None)
        flash(err.message, "danger")
        return redirect(url_for("auth.index"))
    return render_template(
        "lti/account_link.html",
        waiting=waiting,
        minutes=lti_pending.LIFETIME // 60,
        form=ActionForm(),
    )


@bp.get("/account-link/sign-in")
def sign_in_to_link():
    """Anyone with a launch waiting here: the sign-in page, which links it once they
    sign in to the account its e-mail names."""
    if PENDING not in session:
        return redirect(url_for("auth.index"))
    try:
        waiting = lti_pending.waiting(session[PENDING])
    except DomainError as err:
        session.pop(PENDING, None)
        flash(err.message, "danger")
        return redirect(url_for("auth.index"))
    flash(_("Sign in to the account with your course's e-mail address to link it."), "info")
    address = waiting.owner.email
    return redirect(url_for("auth.login", next=url_for("lti.account_link"), email=address))


@bp.post("/account-link")
@login_required
def confirm_account_link():
    """The account a waiting launch's e-mail names, signed in already: link it and go
    on to what the launch opens."""
    ActionForm().validate_on_submit() or abort(400)
    pending = session.pop(PENDING, None)
    if pending is None:
        return redirect(url_for("auth.index"))
    try:
        launched = lti_launch.confirm_link(current_user, pending)
    except DomainError as err:
        flash(err.message, "danger")
        return redirect(url_for("auth.index"))
    _linked()
    return redirect(open_launched(launched), 303)


@bp.post("/account-link/cancel")
def cancel_account_link():
    """Anyone with a launch waiting here: drop it; nothing is linked."""
    ActionForm().validate_on_submit() or abort(400)
    session.pop(PENDING, None)
    flash(_("Nothing was linked."), "info")
    return redirect(url_for("auth.index"))
