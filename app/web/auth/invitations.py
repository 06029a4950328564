"""Answering a team invitation: any signed-in user, for invitations to their own e-mail."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from app.security import safe_next_url
from app.services import team_invitations
from app.web.auth.routes import bp


def _back():
    """Back to the page the answer was given on (a local path), else the front door."""
    return redirect(safe_next_url(request.form.get("next")) or url_for("auth.index"))


@bp.post("/invitations/<int:invitation_id>/accept")
@login_required
def accept_invitation(invitation_id: int):
    """Signed-in users: join the team an invitation to their e-mail is for."""
    if FlaskForm().validate_on_submit():
        team = team_invitations.accept(current_user, invitation_id)
        flash(_("You joined %(team)s.", team=team.name), "success")
    return _back()


@bp.post("/invitations/<int:invitation_id>/decline")
@login_required
def decline_invitation(invitation_id: int):
    """Signed-in users: turn down an invitation to their e-mail."""
    if FlaskForm().validate_on_submit():
        team_invitations.decline(current_user, invitation_id)
        flash(_("Invitation declined."), "info")
    return _back()
