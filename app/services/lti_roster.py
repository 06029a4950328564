"""Names and Role Provisioning: a course's members fill a Clausewise team named after
the course; its learners become members and its instructors managers.

An instructor who launched from the course (or an administrator, or a manager of the
course's team) asks for it; the `lti.sync_roster` job fetches the member list and writes
the team in one transaction, so asking again only brings it up to date. Everyone on the
list is found or created as a launch would (app.services.lti_identity); members the
platform marks Inactive or Deleted leave the team; people the team holds who are not on
the list (added by hand) stay.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from app.domain.lti import course_standing
from app.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from app.extensions import db
from app.integrations import lti_http
from app.models import SYSTEM, LtiContext, Role, Team, TeamMembership, User
from app.models.base import utcnow
from app.services import audit, jobs, lti_identity, lti_keys, teams
from app.services.lti_platforms import as_protocol

log = logging.getLogger(__name__)
GONE = ("Inactive", "Deleted")


@dataclass
class RosterOutcome:
    """What a sync did to the team."""

    team_id: int
    added: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: int = 0


def may_sync(actor: User, context: LtiContext, taught: bool) -> bool:
    """Admins; managers who launched from the course as its instructor; the team's managers."""
    if actor.has_any_role(Role.ADMIN):
        return True
    if taught and actor.has_any_role(Role.MANAGER):
        return True
    return context.team_id is not None and teams.manages(actor, context.team_id)


def request_sync(actor: User, context_id: int, taught: bool) -> LtiContext:
    """Queue the filling of the course's team from its member list."""
    context = db.session.get(LtiContext, context_id)
    enabled = current_app.config.get("LTI_ENABLED")
    if context is None or not enabled or not may_sync(actor, context, taught):
        raise NotFound(_("No such course."))
    if not context.platform.active:
        raise PermissionDenied(_("The platform of this course is no longer registered."))
    if not context.memberships_url:
        raise InvalidInput(
            _(
                "The platform sends no member list for this course: turn on its names and "
                "roles service for Clausewise (docs/lti-moodle.md), then launch again."
            )
        )
    jobs.enqueue("lti.sync_roster", context_id=context.id, requested_by=actor.id)
    return context


def _free_name(wanted: str) -> str:
    """`wanted`, or with a number added when a team already has that name."""
    base = (wanted.strip() or "Course")[:110]
    name, n = base, 1
    while db.session.scalar(select(Team.id).where(func.lower(Team.name) == name.lower())):
        n += 1
        name = f"{base} ({n})"
    return name


def _team(context: LtiContext) -> Team:
    """The course's team, created (named after the course) when it has none."""
    if context.team is not None:
        return context.team
    team = Team(
        name=_free_name(context.title or context.label or context.context_id),
        description=f"{context.platform.name}: {context.label or context.context_id}",
    )
    db.session.add(team)
    db.session.flush()
    context.team_id = team.id
    audit.record(SYSTEM, "team.created", "team", team.id, name=team.name, lti_context=context.id)
    return team


def _place(team: Team, user: User, roles: set[str], outcome: RosterOutcome) -> None:
    """Give the user these team roles (member, manager) unless they have them."""
    held = set(
        db.session.scalars(
            select(TeamMembership.role).where(
                TeamMembership.team_id == team.id, TeamMembership.user_id == user.id
            )
        )
    )
    for role in sorted(roles - held):
        db.session.add(TeamMembership(team_id=team.id, user_id=user.id, role=role))
        audit.record(SYSTEM, f"team.{role}_added", "team", team.id, user_id=user.id, via="lti")
        outcome.added += 1
    if roles <= held:
        outcome.unchanged += 1


def _remove(team: Team, platform_id: int, subject: str, outcome: RosterOutcome) -> None:
    """Take a member the platform marks as gone out of the team."""
    account = lti_identity.account_of(platform_id, subject)
    if account is None:
        return
    gone = db.session.execute(
        delete(TeamMembership).where(
            TeamMembership.team_id == team.id, TeamMembership.user_id == account.user_id
        )
    )
    if gone.rowcount:  # type: ignore[attr-defined]
        audit.record(SYSTEM, "team.member_removed", "team", team.id, user_id=account.user_id)
        outcome.removed += 1


def _team_roles(user: User, lti_roles: tuple[str, ...]) -> set[str]:
    """The team roles a course role gives: learners are members, instructors managers
    (when their account holds the manager role, which the registration may not give)."""
    standing = course_standing(lti_roles)
    wanted = set()
    if "learner" in standing and user.has_any_role(Role.LEARNER):
        wanted.add("member")
    if standing & {"instructor", "admin"} and user.has_any_role(Role.MANAGER):
        wanted.add("manager")
    return wanted


def sync_roster(context_id: int, requested_by: int | None = None) -> RosterOutcome:
    """Fetch the course's members and bring its team up to date (the job's body). Raises
    lti_http.ServiceFailed when the platform fails, to be retried."""
    context = db.session.get(LtiContext, context_id)
    if context is None or not context.memberships_url or not context.platform.active:
        raise NotFound(_("No such course."))
    platform = context.platform
    members = lti_http.memberships(
        as_protocol(platform),
        lti_keys.signing_key(),
        context.memberships_url,
        current_app.config["LTI_HTTP_TIMEOUT"],
    )  # fetched before anything is written: no transaction waits for the platform
    team = _team(context)
    outcome = RosterOutcome(team_id=team.id)
    for member in members:
        if member.status in GONE:
            _remove(team, platform.id, member.user_id, outcome)
            continue
        person = lti_identity.Person(member.user_id, member.roles, member.email, member.name)
        try:
            with db.session.begin_nested():
                user, _account = lti_identity.user_for(platform, person)
                _place(team, user, _team_roles(user, member.roles), outcome)
        except DomainError as err:
            outcome.skipped += 1
            log.info("roster of course %s: member %s skipped: %s", context.id, member.user_id, err)
    context.synced_at = utcnow()
    audit.record(
        SYSTEM,
        "lti.roster_synced",
        "lti_context",
        context.id,
        team=team.id,
        requested_by=requested_by,
        added=outcome.added,
        removed=outcome.removed,
        skipped=outcome.skipped,
    )
    db.session.commit()
    return outcome
