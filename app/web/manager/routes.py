"""The manager's pages: teams, their people and readiness targets."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3, not yet in its stubs

from app.analytics import overview, team_tables
from app.analytics import team_readiness as tr
from app.errors import DomainError
from app.localized import localized
from app.models import Role
from app.models.base import utcnow
from app.security import role_required
from app.services import team_invitations, team_membership, teams
from app.web.ids import optional_id, parse_id
from app.web.manager.forms import PersonForm, RemoveForm, RosterForm, TargetForm, TeamForm

bp = Blueprint("manager", __name__, url_prefix="/manage", template_folder="templates")
MANAGERS = (Role.MANAGER, Role.ADMIN)


@bp.route("/", methods=["GET", "POST"])
@role_required(*MANAGERS)
def home():
    """Managers: the teams they manage with their readiness at a glance, and a new team."""
    form = TeamForm()
    if form.validate_on_submit():
        try:
            team = teams.create_team(current_user, form.name.data, form.description.data or "")
        except DomainError as err:
            form.name.errors.append(err.message)
        else:
            flash(_("Team %(name)s created.", name=team.name), "success")
            return redirect(url_for("manager.people", team_id=team.id))
    return render_template(
        "manager/home.html",
        glances=team_tables.readiness_glance(current_user, utcnow()),
        thresholds={"ready": tr.READY_AT, "on_track": tr.ON_TRACK_AT, "rising": tr.RISING},
        form=form,
        invitations=team_invitations.for_invitee(current_user, "manager"),
    )


def _target_form() -> TargetForm:
    form = TargetForm()
    form.scheme.choices = [SelectChoice(s.code, localized(s, "title")) for s in overview.schemes()]
    return form


@bp.get("/teams/<int:team_id>/people")
@role_required(*MANAGERS)
def people(team_id: int):
    """Managers: a team's people and targets."""
    return _team_page(team_id, RosterForm(), [])


def _team_page(team_id: int, roster_form: RosterForm, roster_errors: list) -> str:
    """The team page, with the roster form as posted and its errors, if any."""
    return render_template(
        "manager/people.html",
        team=teams.get_team(current_user, team_id),
        people=overview.team_people(team_id),
        invitations=team_invitations.for_team(current_user, team_id),
        adds_directly=team_membership.adds_directly(current_user),
        targets=overview.team_targets(team_id),
        person_form=PersonForm(),
        remove_form=RemoveForm(),
        roster_form=roster_form,
        target_form=_target_form(),
        roster_errors=roster_errors,
    )


@bp.post("/teams/<int:team_id>/people")
@role_required(*MANAGERS)
def add_person(team_id: int):
    """Managers: invite a member or a manager by e-mail (admins add them at once)."""
    form = PersonForm()
    if form.validate_on_submit():
        email, role = (form.email.data or "").strip(), form.role.data
        outcome = team_membership.add_person(current_user, team_id, email, role)
        flash(*_person_message(outcome, email, role))
    else:
        flash(_("Enter an e-mail address."), "danger")
    return redirect(url_for("manager.people", team_id=team_id))


def _person_message(outcome: str, email: str, role: str) -> tuple[str, str]:
    """The flash message and category of an addition; never says whether the e-mail exists."""
    if outcome == "added":
        return _("%(email)s was added to the team.", email=email), "success"
    if outcome == "unchanged":
        return _("%(email)s is already invited or in the team.", email=email), "info"
    if role == "manager":
        return _(
            "Invitation recorded for %(email)s. If a manager has this e-mail, they will find "
            "it on their Teams page and join the team once they accept.",
            email=email,
        ), "success"
    return _(
        "Invitation recorded for %(email)s. If a learner has this e-mail, they will find it "
        "on their home page; they join the team, and you see their results, only once they "
        "accept.",
        email=email,
    ), "success"


@bp.post("/invitations/<int:invitation_id>/withdraw")
@role_required(*MANAGERS)
def withdraw_invitation(invitation_id: int):
    """Managers: withdraw a pending invitation of their team."""
    if not FlaskForm().validate_on_submit():
        return redirect(url_for("manager.home"))
    team_id = team_invitations.withdraw(current_user, invitation_id)
    flash(_("Invitation withdrawn."), "success")
    return redirect(url_for("manager.people", team_id=team_id))


@bp.post("/teams/<int:team_id>/people/remove")
@role_required(*MANAGERS)
def remove_person(team_id: int):
    """Managers: remove a member or a manager."""
    form = RemoveForm()
    if form.validate_on_submit():
        user_id = parse_id(form.user_id.data, "user_id")
        team_membership.remove_person(current_user, team_id, user_id, form.role.data or "")
        flash(_("Removed."), "success")
    return redirect(url_for("manager.people", team_id=team_id))


@bp.post("/teams/<int:team_id>/roster")
@role_required(*MANAGERS)
def roster(team_id: int):
    """Managers: add people from a CSV roster, all or nothing."""
    form = RosterForm()
    errors = []
    if form.validate_on_submit():
        report = team_membership.import_roster(current_user, team_id, form.roster.data.read())
        if not report.errors:
            flash(
                _(
                    "Roster imported: %(a)d added, %(i)d invited, %(u)d already invited or "
                    "in the team.",
                    a=report.added,
                    i=report.invited,
                    u=report.unchanged,
                ),
                "success",
            )
            return redirect(url_for("manager.people", team_id=team_id))
        errors = report.errors
    else:
        errors = [(0, "", _("Choose a CSV file."))]
    return _team_page(team_id, form, errors), 400


@bp.post("/teams/<int:team_id>/targets")
@role_required(*MANAGERS)
def add_target(team_id: int):
    """Managers: add a readiness target."""
    form = _target_form()
    if form.validate_on_submit():
        named = [e.strip() for e in (form.named.data or "").split(",") if e.strip()]
        assert form.due_on.data is not None  # DataRequired
        teams.add_target(
            current_user,
            team_id,
            form.scheme.data,
            form.due_on.data,
            float(form.share.data) / 100,
            named,
            form.note.data or "",
            due_time=form.due_time.data,
        )
        flash(_("Target added."), "success")
    else:
        problems = "; ".join(f"{form[k].label.text}: {v[0]}" for k, v in form.errors.items())
        flash(_("The target was not added: %(p)s", p=problems), "danger")
    return redirect(url_for("manager.people", team_id=team_id))


@bp.post("/targets/<int:target_id>/remove")
@role_required(*MANAGERS)
def remove_target(target_id: int):
    """Managers: delete a target."""
    form = FlaskForm()
    team_id = optional_id(request.form, "team_id")
    if form.validate_on_submit():
        teams.remove_target(current_user, target_id)
        flash(_("Target removed."), "success")
    return redirect(
        url_for("manager.people", team_id=team_id) if team_id else url_for("manager.home")
    )


# Page modules that add their routes to `bp`.
from app.web.manager import readiness  # noqa: E402,F401
