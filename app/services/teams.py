"""Teams, their readiness targets and drills.

Admins manage every team; a manager manages the teams they are a manager of (creating a
team makes its creator a manager of it). Who joins a team, and how, is in
`team_membership` (people) and `team_invitations` (a manager's invitations).
"""

from __future__ import annotations

from datetime import date, datetime, time

from flask_babel import format_percent, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.domain.time_zones import deadline_at
from app.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from app.extensions import db
from app.localized import localized
from app.models import (
    Actor,
    Clause,
    DrillAssignment,
    Edition,
    Role,
    Scheme,
    Team,
    TeamMembership,
    TeamTarget,
    TeamTargetMember,
    User,
)
from app.queries import banks as bank_queries
from app.services import audit, notifications

ROLES = ("member", "manager")
DRILL_SIZES = (5, 50)  # the fewest and most questions a drill may ask for


class ShortBankForDrill(Conflict):
    """The bank holds fewer published questions on the clause, for the scheme, than asked.

    `available` says how many it holds; a drill of that many can be assigned when it is
    at least the smallest drill (`can_offer`).
    """

    def __init__(self, clause: str, scheme: Scheme, asked: int, available: int) -> None:
        self.clause, self.asked, self.available = clause, asked, available
        title = localized(scheme, "title")
        super().__init__(_short_drill_message(clause, title, asked, available))

    @property
    def can_offer(self) -> bool:
        """Whether a smaller drill of every available question is allowed."""
        return self.available >= DRILL_SIZES[0]


def _short_drill_message(clause: str, scheme: str, asked: int, available: int) -> str:
    """Asked and available, in one sentence, and what the manager can do about it."""
    if available == 0:
        return _(
            "You asked for %(asked)d questions on clause %(c)s, but the bank has no published "
            "question on it for %(s)s, so nobody could do this drill. Choose another clause, "
            "or ask a trainer for questions.",
            asked=asked,
            c=clause,
            s=scheme,
        )
    if available < DRILL_SIZES[0]:
        return ngettext(
            "You asked for %(asked)d questions on clause %(c)s, but the bank has only "
            "%(num)d published question on it for %(s)s, and a drill has at least "
            "%(least)d. Choose a broader clause, or ask a trainer for questions.",
            "You asked for %(asked)d questions on clause %(c)s, but the bank has only "
            "%(num)d published questions on it for %(s)s, and a drill has at least "
            "%(least)d. Choose a broader clause, or ask a trainer for questions.",
            available,
            asked=asked,
            c=clause,
            s=scheme,
            least=DRILL_SIZES[0],
        )
    return ngettext(
        "You asked for %(asked)d questions on clause %(c)s, but the bank has only %(num)d "
        "published question on it for %(s)s. Assign a drill of %(num)d question instead, "
        "or ask a trainer for more.",
        "You asked for %(asked)d questions on clause %(c)s, but the bank has only %(num)d "
        "published questions on it for %(s)s. Assign a drill of %(num)d questions instead, "
        "or ask a trainer for more.",
        available,
        asked=asked,
        c=clause,
        s=scheme,
    )


def _require_team_role(actor: User) -> None:
    """Only admins and managers work with teams."""
    if not actor.has_any_role(Role.ADMIN, Role.MANAGER):
        raise PermissionDenied(_("Only managers and administrators manage teams."))


def manages(actor: User, team_id: int) -> bool:
    """True when the actor is an admin or one of the team's managers."""
    if actor.has_any_role(Role.ADMIN):
        return True
    return (
        db.session.scalar(
            select(TeamMembership.id).where(
                TeamMembership.team_id == team_id,
                TeamMembership.user_id == actor.id,
                TeamMembership.role == "manager",
            )
        )
        is not None
    )


def get_team(actor: User, team_id: int) -> Team:
    """A team the actor manages; others look like missing teams."""
    _require_team_role(actor)
    team = db.session.get(Team, team_id)
    if team is None or not manages(actor, team_id):
        raise NotFound(_("No such team."))
    return team


def create_team(actor: User, name: str, description: str = "") -> Team:
    """A new team; a manager who creates it becomes its manager."""
    _require_team_role(actor)
    name = name.strip()
    if not name or len(name) > 120:
        raise InvalidInput(_("A team needs a name of at most 120 characters."))
    if db.session.scalar(select(Team.id).where(func.lower(Team.name) == name.lower())):
        raise InvalidInput(_("A team called %(name)s already exists.", name=name))
    team = Team(name=name, description=description.strip())
    db.session.add(team)
    db.session.flush()
    if actor.has_any_role(Role.MANAGER):
        db.session.add(TeamMembership(team_id=team.id, user_id=actor.id, role="manager"))
    audit.record(actor, "team.created", "team", team.id, name=name)
    db.session.commit()
    return team


def active_user_by_email(email: str) -> User | None:
    """An active account by e-mail, case-insensitively."""
    return db.session.scalars(
        select(User).where(func.lower(User.email) == email.strip().lower(), User.active)
    ).first()


def typed_deadline(actor: Actor, day: date, at: time | None = None) -> datetime:
    """The UTC moment of a deadline typed as a day (and a time, else 23:59) on the
    actor's clocks: "12 December 23:59" in Asia/Shanghai is 15:59 UTC."""
    return deadline_at(day, at, actor.time_zone)


def add_target(
    actor: User,
    team_id: int,
    scheme_code: str,
    due_on: date,
    required_share: float = 1.0,
    named_emails: list[str] | None = None,
    note: str = "",
    due_time: time | None = None,
) -> TeamTarget:
    """A readiness target: a share of members, or named members, ready by a deadline
    typed as a day and a time (else the end of the day) on the manager's clocks."""
    get_team(actor, team_id)
    scheme = db.session.scalars(select(Scheme).where(Scheme.code == scheme_code)).first()
    if scheme is None:
        raise InvalidInput(_("No such qualification scheme: %(s)s.", s=scheme_code))
    if not 0 < required_share <= 1:
        raise InvalidInput(
            _(
                "The share of members must be more than %(low)s and at most %(high)s.",
                low=format_percent(0),
                high=format_percent(1),
            )
        )
    named: list[User] = []
    for email in named_emails or []:
        user = active_user_by_email(email)
        if user is None or not db.session.scalar(
            select(TeamMembership.id).where(
                TeamMembership.team_id == team_id,
                TeamMembership.user_id == user.id,
                TeamMembership.role == "member",
            )
        ):
            raise InvalidInput(_("%(e)s is not a member of this team.", e=email))
        named.append(user)
    target = TeamTarget(
        team_id=team_id,
        scheme_id=scheme.id,
        required_share=1.0 if named else required_share,
        due_at=typed_deadline(actor, due_on, due_time),
        note=note.strip()[:200],
    )
    target.named_members = [TeamTargetMember(user_id=u.id) for u in named]
    db.session.add(target)
    db.session.flush()
    audit.record(actor, "team.target_added", "team", team_id, target=target.id)
    db.session.commit()
    return target


def remove_target(actor: User, target_id: int) -> None:
    """Delete a target of a team the actor manages."""
    target = db.session.get(TeamTarget, target_id)
    if target is None:
        raise NotFound(_("No such target."))
    get_team(actor, target.team_id)
    db.session.delete(target)
    audit.record(actor, "team.target_removed", "team", target.team_id, target=target_id)
    db.session.commit()


def get_member(actor: User, team_id: int, user_id: int) -> User:
    """A member of a team the actor manages; anyone else looks missing."""
    get_team(actor, team_id)
    user = db.session.get(User, user_id)
    if user is None or not _is_member(team_id, user_id):
        raise NotFound(_("No such member in this team."))
    return user


def _is_member(team_id: int, user_id: int) -> bool:
    return (
        db.session.scalar(
            select(TeamMembership.id).where(
                TeamMembership.team_id == team_id,
                TeamMembership.user_id == user_id,
                TeamMembership.role == "member",
            )
        )
        is not None
    )


def assign_drill(
    actor: User,
    team_id: int,
    scheme_code: str,
    clause: str,
    questions: int = 10,
    note: str = "",
    due_on: date | None = None,
    due_time: time | None = None,
) -> DrillAssignment:
    """Ask a team's members to drill a clause; it shows on their home pages until done.
    Its deadline, if any, is typed as for `add_target`.

    Refused (ShortBankForDrill, nothing written) when the bank holds fewer published
    questions on the clause, at the scheme's levels, than the drill asks for.
    """
    get_team(actor, team_id)
    if due_on is None and due_time is not None:
        raise InvalidInput(_("A deadline time needs a day: choose the day too."))
    scheme = db.session.scalars(
        select(Scheme).where(Scheme.code == scheme_code, Scheme.active.is_(True))
    ).first()
    if scheme is None:
        raise InvalidInput(_("No such qualification scheme: %(s)s.", s=scheme_code))
    clause = clause.strip()
    known = db.session.scalar(
        select(Clause.id)
        .join(Edition, Edition.id == Clause.edition_id)
        .where(Edition.code == "2018", Clause.number == clause)
    )
    if known is None:
        raise InvalidInput(_("%(c)s is not a clause of ISO/IEC 20000-1:2018.", c=clause))
    if not DRILL_SIZES[0] <= questions <= DRILL_SIZES[1]:
        raise InvalidInput(
            _("A drill has between %(a)d and %(b)d questions.", a=DRILL_SIZES[0], b=DRILL_SIZES[1])
        )
    duplicate = db.session.scalar(
        select(DrillAssignment.id).where(
            DrillAssignment.team_id == team_id,
            DrillAssignment.scheme_id == scheme.id,
            DrillAssignment.clause == clause,
        )
    )
    if duplicate is not None:
        raise Conflict(_("This team already has a drill on clause %(c)s.", c=clause))
    available = bank_queries.drill_supply([clause], scheme.practice_levels)[clause]
    if available < questions:
        raise ShortBankForDrill(clause, scheme, questions, available)
    drill = DrillAssignment(
        team_id=team_id,
        scheme_id=scheme.id,
        clause=clause,
        questions=questions,
        note=note.strip()[:200],
        due_at=None if due_on is None else typed_deadline(actor, due_on, due_time),
        created_by_id=actor.id,
    )
    db.session.add(drill)
    db.session.flush()
    audit.record(actor, "team.drill_assigned", "team", team_id, drill=drill.id, clause=clause)
    notifications.drill_assigned(drill)  # mailed to the team's learners once committed
    db.session.commit()
    return drill


def withdraw_drill(actor: User, drill_id: int) -> int:
    """Withdraw a drill assignment of a team the actor manages; returns the team id."""
    drill = db.session.get(DrillAssignment, drill_id)
    if drill is None:
        raise NotFound(_("No such drill."))
    team_id = drill.team_id
    get_team(actor, team_id)
    db.session.delete(drill)
    audit.record(actor, "team.drill_withdrawn", "team", team_id, drill=drill_id)
    db.session.commit()
    return team_id
