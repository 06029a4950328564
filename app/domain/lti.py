"""What an LTI link opens, as it travels in the link's custom parameters, and what the
LTI roles of a person in a course make of them in Clausewise.

A course author picks the activity at deep linking; the platform stores the custom
parameters we return and sends them back with every launch of the link, so the link
needs nothing kept on our side to know what it opens. Errors are codes with parameters
(`ActivityError.message`), rendered by the layers above.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from app.domain.messages import Message

KINDS = ("mock", "drill", "practice")
MAX_CLAUSES = 50
MIN_COUNT, MAX_COUNT = 1, 100
DEFAULT_COUNT = {"drill": 10, "practice": 20}
CLAUSE = re.compile(r"\d{1,2}(\.\d{1,2}){0,4}", re.ASCII)
SCHEME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}", re.ASCII)
# The custom parameter names we write and read (a platform may add its own beside them).
PREFIX = "clausewise_"


class ActivityError(ValueError):
    """The activity named by a link is not one Clausewise offers; `message` says why
    (codes lti.activity_kind · _scheme · _clauses · _count · _no_clauses)."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.code)
        self.message = message


@dataclass(frozen=True)
class Activity:
    """A mock exam of a scheme, a drill of chosen clauses, or a practice set."""

    kind: str
    scheme: str
    clauses: tuple[str, ...] = field(default=())
    count: int = 0

    def as_dict(self) -> dict[str, object]:
        """The activity as stored on a link (JSON)."""
        return {
            "kind": self.kind,
            "scheme": self.scheme,
            "clauses": list(self.clauses),
            "count": self.count,
        }


def _count_error() -> Message:
    """The number of questions is outside what a set may hold."""
    return Message("lti.activity_count", {"least": MIN_COUNT, "most": MAX_COUNT})


def make_activity(kind: str, scheme: str, clauses: Iterable[str], count: int | None) -> Activity:
    """A checked activity: a known kind, a scheme code, clause numbers (a drill needs at
    least one) and, for drills and practice sets, 1 to 100 questions (mocks take the
    scheme's own number and ignore clauses)."""
    if kind not in KINDS:
        raise ActivityError(Message("lti.activity_kind", {"kind": kind}))
    if not SCHEME.fullmatch(scheme):
        raise ActivityError(Message("lti.activity_scheme", {"scheme": scheme}))
    if kind == "mock":
        return Activity("mock", scheme)
    numbers = tuple(dict.fromkeys(c.strip() for c in clauses if c.strip()))
    if len(numbers) > MAX_CLAUSES or not all(CLAUSE.fullmatch(c) for c in numbers):
        raise ActivityError(Message("lti.activity_clauses", {"most": MAX_CLAUSES}))
    if kind == "drill" and not numbers:
        raise ActivityError(Message("lti.activity_no_clauses"))
    size = DEFAULT_COUNT[kind] if count is None else count
    if not MIN_COUNT <= size <= MAX_COUNT:
        raise ActivityError(_count_error())
    return Activity(kind, scheme, numbers, size)


def to_custom(activity: Activity) -> dict[str, str]:
    """The link's custom parameters (LTI custom values are strings)."""
    custom = {f"{PREFIX}activity": activity.kind, f"{PREFIX}scheme": activity.scheme}
    if activity.kind != "mock":
        custom[f"{PREFIX}count"] = str(activity.count)
        if activity.clauses:
            custom[f"{PREFIX}clauses"] = ",".join(activity.clauses)
    return custom


def from_custom(custom: Mapping[str, object]) -> Activity | None:
    """The activity named by a launch's custom parameters; None when they name none
    (a link placed by hand, without deep linking). ActivityError when malformed."""
    kind = custom.get(f"{PREFIX}activity")
    if kind is None:
        return None
    scheme = custom.get(f"{PREFIX}scheme", "")
    clauses = custom.get(f"{PREFIX}clauses", "")
    count = custom.get(f"{PREFIX}count")
    if not isinstance(kind, str) or not isinstance(scheme, str) or not isinstance(clauses, str):
        raise ActivityError(Message("lti.activity_kind", {"kind": str(kind)}))
    number: int | None = None
    if count not in (None, ""):
        text = str(count).strip()
        if not text.isascii() or not text.isdigit():
            raise ActivityError(_count_error())
        number = int(text)
    return make_activity(kind.strip(), scheme.strip(), clauses.split(","), number)


# LTI roles (LTI Core 1.3, role vocabularies). Context roles say what a person is in
# the course; institution roles stand in when a launch carries none (some platforms send
# only those); of the system roles only administrators matter here.
_MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership"
_INSTITUTION = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#"
_ADMIN_ROLES = {
    "http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator",
    "http://purl.imsglobal.org/vocab/lis/v2/system/person#SysAdmin",
    _INSTITUTION + "Administrator",
}
_TEACHING = {"Instructor", "ContentDeveloper", "Administrator"}
_INSTITUTION_STANDING = {
    "Student": "learner",
    "Learner": "learner",
    "Instructor": "instructor",
    "Faculty": "instructor",
}


def _context_role(uri: str) -> str | None:
    """The principal context role a role URI names: `…/membership#Instructor` and its
    sub-roles `…/membership/Instructor#TeachingAssistant` alike; the short form
    `Instructor` (deprecated, still sent by some platforms) too."""
    if uri.startswith(_MEMBERSHIP + "#"):
        return uri.partition("#")[2]
    if uri.startswith(_MEMBERSHIP + "/"):
        return uri[len(_MEMBERSHIP) + 1 :].partition("#")[0]
    if "/" not in uri and "#" not in uri:
        return uri
    return None


def course_standing(roles: Iterable[str]) -> frozenset[str]:
    """What the roles make of a person: "learner", "instructor" (instructors, content
    developers and course administrators, teaching assistants included) and "admin"
    (the platform's administrators). Mentors, guests and the like get nothing."""
    found: set[str] = set()
    institution: set[str] = set()
    for uri in roles:
        if uri in _ADMIN_ROLES:
            found.add("admin")
        elif uri.startswith(_INSTITUTION):
            institution.add(_INSTITUTION_STANDING.get(uri[len(_INSTITUTION) :], ""))
        elif (role := _context_role(uri)) == "Learner":
            found.add("learner")
        elif role in _TEACHING:
            found.add("instructor")
    if not found & {"learner", "instructor"}:  # no context role: the institution's count
        found |= institution - {""}
    return frozenset(found)
