"""What a checked LTI launch says, read from its claims into plain types.

The claims were checked by app.integrations.lti.verify_id_token (signature, issuer,
audience, nonce, deployment, version, message type and the claims each type requires);
here optional claims of a wrong shape are read as absent rather than refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.integrations import lti


@dataclass(frozen=True)
class Course:
    """The context (course) a launch comes from."""

    id: str
    title: str
    label: str


@dataclass(frozen=True)
class DeepLinkSettings:
    """Where and how to return the content items a course author picks."""

    return_url: str
    data: str | None
    accept_multiple: bool
    accept_lineitem: bool
    title: str


@dataclass(frozen=True)
class Launch:
    """One genuine launch: who, from where, into what, and which services come with it."""

    message_type: str
    subject: str
    deployment_id: str
    roles: tuple[str, ...]
    email: str = ""
    name: str = ""
    locale: str = ""
    course: Course | None = None
    resource_link_id: str = ""
    resource_link_title: str = ""
    custom: dict[str, Any] = field(default_factory=dict)
    lineitem_url: str = ""
    may_score: bool = False
    memberships_url: str = ""
    deep_link: DeepLinkSettings | None = None

    @property
    def is_deep_linking(self) -> bool:
        """True for a course author's request to pick content."""
        return self.message_type == lti.DEEP_LINKING_REQUEST


def _text(value: object, limit: int = 255) -> str:
    """A string claim trimmed and cut to `limit` characters; anything else is ""."""
    return value.strip()[:limit] if isinstance(value, str) else ""


def _url(value: object, limit: int = 500) -> str:
    """A URL claim, or "" when absent, not a string or too long to keep whole."""
    text = value.strip() if isinstance(value, str) else ""
    return text if len(text) <= limit else ""


def _mapping(value: object) -> Mapping[str, Any]:
    """A JSON object claim, or an empty one."""
    return value if isinstance(value, dict) else {}


def _name(claims: Mapping[str, Any]) -> str:
    """The person's name: `name`, else given and family names."""
    name = _text(claims.get("name"), 120)
    if name:
        return name
    parts = (_text(claims.get("given_name"), 60), _text(claims.get("family_name"), 60))
    return " ".join(p for p in parts if p)


def _course(claims: Mapping[str, Any]) -> Course | None:
    """The context claim, when it names a context."""
    context = _mapping(claims.get(lti.CONTEXT))
    course_id = _text(context.get("id"))
    if not course_id:
        return None
    return Course(course_id, _text(context.get("title")), _text(context.get("label")))


def _deep_link(claims: Mapping[str, Any]) -> DeepLinkSettings | None:
    """The deep linking settings of a deep linking request."""
    settings = _mapping(claims.get(lti.DL_SETTINGS))
    if not settings:
        return None
    data = settings.get("data")
    return DeepLinkSettings(
        return_url=_url(settings.get("deep_link_return_url"), 2000),
        data=data if isinstance(data, str) else None,
        accept_multiple=settings.get("accept_multiple") is True,
        accept_lineitem=settings.get("accept_lineitem") is not False,
        title=_text(settings.get("title")),
    )


def read_launch(claims: Mapping[str, Any]) -> Launch:
    """The launch that checked claims describe."""
    ags = _mapping(claims.get(lti.AGS_ENDPOINT))
    scopes = ags.get("scope")
    nrps = _mapping(claims.get(lti.NRPS_SERVICE))
    link = _mapping(claims.get(lti.RESOURCE_LINK))
    custom = _mapping(claims.get(lti.CUSTOM))
    return Launch(
        message_type=claims[lti.MESSAGE_TYPE],
        subject=claims["sub"],
        deployment_id=claims[lti.DEPLOYMENT_ID],
        roles=tuple(claims.get(lti.ROLES, ())),
        email=_text(claims.get("email"), 254),
        name=_name(claims),
        locale=_text(claims.get("locale"), 35),
        course=_course(claims),
        resource_link_id=_text(link.get("id")),
        resource_link_title=_text(link.get("title")),
        custom={str(k): v for k, v in custom.items()},
        lineitem_url=_url(ags.get("lineitem")),
        may_score=isinstance(scopes, list) and lti.SCOPE_SCORE in scopes,
        memberships_url=_url(nrps.get("context_memberships_url")),
        deep_link=_deep_link(claims),
    )
