"""The JSON API (`/api/v1`); it authenticates by bearer token only, never by cookie."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, g, jsonify, request, url_for

from app.analytics import overview, team_tables
from app.analytics import team_readiness as tr
from app.errors import Conflict, InvalidInput, Unauthenticated
from app.extensions import limiter
from app.messages import render_cells
from app.models import Attempt, AttemptMode, AttemptStatus, User
from app.models.base import utcnow
from app.queries import attempts as attempt_views
from app.services import answering, attempts, bank_assets, teams, tokens
from app.web.api.openapi import openapi_document
from app.web.asset_links import asset_reply

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _bearer_user() -> User | None:
    """The active user owning the request's unrevoked bearer token, if any."""
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    return tokens.user_for_token(header[7:].strip())


def token_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Refuse requests without a valid bearer token with a 401 JSON error."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        user = _bearer_user()
        if user is None:
            raise Unauthenticated("A valid bearer token is required.")
        g.api_user = user
        return view(*args, **kwargs)

    return wrapper


def _json_body() -> dict[str, Any]:
    """The request's JSON object, or a 400 saying what is wrong."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidInput("Send a JSON object with Content-Type: application/json.")
    return body


def _attempt_json(attempt: Attempt) -> dict[str, Any]:
    """An attempt with its items; keys only once the review policy allows."""
    reveal = attempt_views.may_reveal(attempt)
    return {
        "id": attempt.id,
        "scheme": attempt.scheme.code if attempt.scheme else None,
        "mode": attempt.mode,
        "status": attempt.status,
        "started_at": attempt.started_at.isoformat(),
        "deadline_at": attempt.deadline_at.isoformat() if attempt.deadline_at else None,
        "items": [item.to_dict() for item in attempt_views.item_views(attempt, reveal)],
        "result": attempt_views.visible_result(attempt, reveal),
    }


@bp.get("/openapi.json")
def openapi():
    """Public: the OpenAPI document of this API."""
    return jsonify(openapi_document(url_for("api.openapi", _external=True).rsplit("/", 1)[0]))


@bp.get("/banks/<int:bank_id>/assets/<name>")
@token_required
def bank_asset(bank_id: int, name: str):
    """Token holders who may see a question showing the file: the file (an item's texts
    refer to it as `asset:<name>`, its bank being the item's `bank`)."""
    return asset_reply(bank_assets.asset_for(g.api_user, bank_id, name))


@bp.get("/me")
@token_required
def me():
    """Token holders: who the token belongs to."""
    user = g.api_user
    return jsonify(id=user.id, email=user.email, name=user.display_name, roles=sorted(user.roles))


@bp.get("/schemes")
@token_required
def list_schemes():
    """Token holders: the qualification schemes."""
    return jsonify(
        schemes=[
            {
                "id": s.code,
                "title": s.title,
                "level": s.level,
                "items": s.item_count,
                "duration_minutes": s.duration_minutes,
                "pass_mark": s.pass_mark,
            }
            for s in overview.schemes()
        ]
    )


def _start_options(body: dict[str, Any]) -> attempts.StartOptions:
    """Start options from a JSON body, with plain errors for wrong types."""
    clauses = body.get("clauses", [])
    count = body.get("count", 20)
    if not isinstance(clauses, list) or not all(isinstance(c, str) for c in clauses):
        raise InvalidInput("'clauses' must be a list of clause numbers as strings.")
    if not isinstance(count, int) or isinstance(count, bool):
        raise InvalidInput("'count' must be a whole number.")
    language = body.get("language", "")
    if not isinstance(language, str):
        raise InvalidInput("'language' must be a language tag such as zh-Hans.")
    return attempts.StartOptions(
        mode=str(body.get("mode", AttemptMode.MOCK)),
        clauses=clauses,
        count=count,
        cbm=bool(body.get("cbm", False)),
        language=language,
    )


def _token_user_key() -> str:
    """Rate-limit key for token holders: per account, so learners behind one address
    (an office, a classroom) do not share one allowance."""
    return f"user:{g.api_user.id}"


@bp.post("/attempts")
@token_required
@limiter.limit("30 per minute", key_func=_token_user_key)
def start_attempt():
    """Learners: start an attempt — {"scheme": "foundation", "mode": "mock"}."""
    body = _json_body()
    if not isinstance(body.get("scheme"), str):
        raise InvalidInput("'scheme' is required: the id of a qualification scheme.")
    started = attempts.start_and_show(g.api_user, body["scheme"], _start_options(body))
    reply = {
        "id": started.attempt_id,
        "scheme": started.scheme,
        "mode": started.mode,
        "status": AttemptStatus.OPEN,
        "started_at": started.started_at.isoformat(),
        "deadline_at": started.deadline_at.isoformat() if started.deadline_at else None,
        "items": [item.to_dict() for item in started.items],
        "result": None,
    }
    return jsonify(reply), 201


@bp.get("/attempts/<int:attempt_id>")
@token_required
def get_attempt(attempt_id: int):
    """Learners: their attempt; while open, the items carry no keys."""
    attempt = answering.own_attempt(g.api_user, attempt_id)
    answering.expire_if_overdue(attempt)
    return jsonify(_attempt_json(attempt))


@bp.put("/attempts/<int:attempt_id>/responses/<int:position>")
@token_required
def save_response(attempt_id: int, position: int):
    """Learners: save the answer to one item — {"response": …, "confidence": 1-3}."""
    body = _json_body()
    if "response" not in body:
        raise InvalidInput("'response' is required (null clears the answer).")
    confidence = body.get("confidence")
    if confidence is not None and not isinstance(confidence, int):
        raise InvalidInput("'confidence' must be 1, 2 or 3.")
    saved = answering.record_answer(g.api_user, attempt_id, position, body["response"], confidence)
    return jsonify(saved_at=saved.isoformat(), position=position)


@bp.post("/attempts/<int:attempt_id>/submit")
@token_required
def submit(attempt_id: int):
    """Learners: submit; repeating it returns the same result."""
    attempt = answering.submit_attempt(g.api_user, attempt_id)
    result = attempt_views.visible_result(attempt, attempt_views.may_reveal(attempt))
    return jsonify(id=attempt.id, status=attempt.status, result=result)


@bp.get("/attempts/<int:attempt_id>/result")
@token_required
def result(attempt_id: int):
    """Learners: the result of a closed attempt, with items reviewed when allowed."""
    attempt = answering.own_attempt(g.api_user, attempt_id)
    answering.expire_if_overdue(attempt)
    if attempt.status == AttemptStatus.OPEN:
        raise Conflict("The attempt is still open; submit it first.")
    return jsonify(_attempt_json(attempt))


@bp.get("/teams/<int:team_id>/readiness")
@token_required
def team_readiness(team_id: int):
    """Managers' tokens: a team's targets and members' readiness, per scheme."""
    user: User = g.api_user
    team = teams.get_team(user, team_id)
    active = {s.code: s for s in overview.schemes()}
    code = request.args.get("scheme")
    if code is not None and code not in active:
        raise InvalidInput(f"Unknown scheme {code!r}; use one of {', '.join(active)}.")
    chosen = [active[code]] if code else (tr.target_schemes(team.id) or list(active.values()))
    return jsonify(team_tables.readiness_document(team, chosen, utcnow(), render_cells))
