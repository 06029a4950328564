"""All models, imported here so that metadata and migrations see every table."""

from app.models.attempt import Attempt, AttemptItem, Response
from app.models.audit import AuditEvent
from app.models.bank import (
    Bank,
    BankAsset,
    Question,
    QuestionClause,
    QuestionOption,
    QuestionVersion,
    Scenario,
    current_scenarios,
)
from app.models.identity import UserIdentity
from app.models.job import Job, JobFile, JobState
from app.models.lti import LtiAccount, LtiContext, LtiKey, LtiLink, LtiNonce, LtiPlatform
from app.models.readiness_sums import (
    ReadinessBasis,
    ReadinessClass,
    ReadinessResult,
    ReadinessRevision,
    ReadinessSum,
)
from app.models.scheme import Scheme
from app.models.setting import Setting
from app.models.standard import Clause, ClauseMapping, Edition
from app.models.states import AttemptMode, AttemptStatus, QuestionStatus, label
from app.models.team import (
    DrillAssignment,
    Team,
    TeamInvitation,
    TeamMembership,
    TeamTarget,
    TeamTargetMember,
)
from app.models.translation import QuestionTranslation, ScenarioTranslation
from app.models.user import SYSTEM, Actor, ApiToken, Role, SystemActor, User, UserRole

__all__ = [
    "SYSTEM",
    "Actor",
    "ApiToken",
    "Attempt",
    "AttemptItem",
    "AttemptMode",
    "AttemptStatus",
    "AuditEvent",
    "Bank",
    "BankAsset",
    "Clause",
    "ClauseMapping",
    "DrillAssignment",
    "Edition",
    "Job",
    "JobFile",
    "JobState",
    "LtiAccount",
    "LtiContext",
    "LtiKey",
    "LtiLink",
    "LtiNonce",
    "LtiPlatform",
    "Question",
    "QuestionClause",
    "QuestionOption",
    "QuestionStatus",
    "QuestionTranslation",
    "QuestionVersion",
    "ReadinessBasis",
    "ReadinessClass",
    "ReadinessResult",
    "ReadinessRevision",
    "ReadinessSum",
    "Response",
    "Role",
    "Scenario",
    "ScenarioTranslation",
    "Scheme",
    "Setting",
    "SystemActor",
    "Team",
    "TeamInvitation",
    "TeamMembership",
    "TeamTarget",
    "TeamTargetMember",
    "User",
    "UserIdentity",
    "UserRole",
    "current_scenarios",
    "label",
]
