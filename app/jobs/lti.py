"""The LTI tasks: a score to a platform's grade book, a course's members into its team."""

from __future__ import annotations

from app.services import jobs, lti_grades, lti_roster


@jobs.task("lti.send_score")
def send_score(attempt_id: int) -> str:
    """Send an attempt's current score to the line item of the link it came from."""
    return lti_grades.send_score(attempt_id)


@jobs.task("lti.sync_roster")
def sync_roster(context_id: int, requested_by: int | None = None) -> int:
    """Fill a course's team from the platform's member list; the team's id."""
    return lti_roster.sync_roster(context_id, requested_by).team_id
