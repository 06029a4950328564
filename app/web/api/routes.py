"""The JSON API (`/api/v1`); it authenticates by bearer token only."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, g, jsonify, request

from app.errors import Unauthenticated
from app.models import User
from app.services import tokens

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


@bp.get("/me")
@token_required
def me():
    """Token holders: who the token belongs to."""
    user: User = g.api_user
    return jsonify(id=user.id, email=user.email, name=user.display_name, roles=sorted(user.roles))
