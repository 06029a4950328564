"""The JSON API (`/api/v1`); it authenticates by bearer token only."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, g, jsonify, request
from sqlalchemy import select

from app.errors import Unauthenticated
from app.extensions import db
from app.models import ApiToken, User

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _bearer_user() -> User | None:
    """The active user owning the request's unrevoked bearer token, if any."""
    header = request.headers.get("Authorization", "")
    if not header.lower().startswith("bearer "):
        return None
    digest = hashlib.sha256(header[7:].strip().encode()).hexdigest()
    token = db.session.scalars(
        select(ApiToken).where(ApiToken.token_hash == digest, ApiToken.revoked_at.is_(None))
    ).first()
    return token.user if token is not None and token.user.active else None


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
