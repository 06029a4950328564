"""The review workflow of a question, as pure rules over its state.

A question has a newest (current) version, which its workflow status describes, and a
live version, which exams and practice draw. A new version never goes live by itself:
it waits beside the live one until a reviewer approves it, unless the saver may publish
at once. The editor and imports both go through `with_new_version`, and workflow actions
through `after_action`, so the rule lives in one place.

    draft → in review → published → retired (returned and restored questions go back
    to draft; a pending change may also be discarded, bringing back the live version)
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from app.domain.states import QuestionStatus

DRAFT, IN_REVIEW, PUBLISHED, RETIRED = (
    QuestionStatus.DRAFT,
    QuestionStatus.IN_REVIEW,
    QuestionStatus.PUBLISHED,
    QuestionStatus.RETIRED,
)
# What to do with a newly saved version: keep it as a draft, send it for review, publish.
ROUTES = ("draft", "review", "publish")
# status → {action: new status}
TRANSITIONS: dict[QuestionStatus, dict[str, QuestionStatus]] = {
    DRAFT: {"submit": IN_REVIEW, "retire": RETIRED},
    IN_REVIEW: {"approve": PUBLISHED, "return": DRAFT},
    PUBLISHED: {"retire": RETIRED},
    RETIRED: {"restore": DRAFT},
}


@dataclass(frozen=True)
class ReviewState:
    """A question's workflow status, its newest and live version ids, and who asked for
    the review under way (four eyes: someone else approves)."""

    status: QuestionStatus
    current: int | None
    live: int | None = None
    requested_by: int | None = None

    @property
    def pending(self) -> bool:
        """True when a newer version waits beside the live one."""
        return self.live is not None and self.live != self.current


def with_new_version(
    state: ReviewState, version: int, route: str, saver: int | None = None
) -> ReviewState:
    """The state after `version` is saved as the newest: the live version stays live
    unless the route is "publish". A retired question stays retired (restore it first)."""
    if route not in ROUTES:
        raise ValueError(f"unknown route {route!r}")
    if state.status == RETIRED:
        return replace(state, current=version, requested_by=None)
    if route == "publish":
        return ReviewState(PUBLISHED, version, version, None)
    if route == "review":
        return ReviewState(IN_REVIEW, version, state.live, saver)
    return ReviewState(DRAFT, version, state.live, None)


def actions(state: ReviewState) -> dict[str, QuestionStatus]:
    """Action → resulting status, for the actions the state allows."""
    allowed = dict(TRANSITIONS.get(state.status, {}))
    if state.pending and state.status in (DRAFT, IN_REVIEW):
        allowed["discard"] = PUBLISHED
    return allowed


def after_action(state: ReviewState, action: str, actor: int | None) -> ReviewState:
    """The state after a workflow action the state allows (see `actions`)."""
    status = actions(state)[action]
    if action == "submit":
        return replace(state, status=status, requested_by=actor)
    if action == "approve":
        return ReviewState(status, state.current, state.current, None)
    if action == "discard":
        return ReviewState(status, state.live, state.live, None)
    if action in ("retire", "restore"):
        return ReviewState(status, state.current, None, None)
    return replace(state, status=status, requested_by=None)
