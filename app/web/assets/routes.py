"""A bank's files, served from the app: `/banks/<id>/assets/<name>`.

The service decides who may see a file (`bank_assets.asset_for`); the reply names the
type told from the bytes at import, forbids the browser to guess another, asks it to
show rather than save, and lets it keep the file for a while: a file of that name only
changes with a new import, and the ETag (its SHA-256) tells a changed one apart.
"""

from __future__ import annotations

from flask import Blueprint, Response, request
from flask_login import current_user

from app.models import Role
from app.security import role_required
from app.services import bank_assets

bp = Blueprint("assets", __name__)
CACHE_CONTROL = "private, max-age=3600"


@bp.get("/banks/<int:bank_id>/assets/<name>")
@role_required(Role.LEARNER, Role.TRAINER, Role.ADMIN)
def bank_asset(bank_id: int, name: str) -> Response:
    """Anyone who may see a question showing the file: the file's bytes."""
    row = bank_assets.asset_for(current_user, bank_id, name)
    reply = Response(row.data, mimetype=row.media_type)
    reply.headers["X-Content-Type-Options"] = "nosniff"
    reply.headers["Content-Disposition"] = f'inline; filename="{row.name}"'
    reply.headers["Cache-Control"] = CACHE_CONTROL
    reply.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    reply.set_etag(row.sha256)
    reply.make_conditional(request)
    return reply
