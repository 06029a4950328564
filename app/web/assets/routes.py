"""A bank's files, served from the app: `/banks/<id>/assets/<name>`.

The service decides who may see a file (`bank_assets.asset_for`); the reply is built by
`asset_links.asset_reply` (type from the bytes, nosniff, private cache, ETag).
"""

from __future__ import annotations

from flask import Blueprint, Response
from flask_login import current_user

from app.models import Role
from app.security import role_required
from app.services import bank_assets
from app.web.asset_links import asset_reply

bp = Blueprint("assets", __name__)


@bp.get("/banks/<int:bank_id>/assets/<name>")
@role_required(Role.LEARNER, Role.TRAINER, Role.ADMIN)
def bank_asset(bank_id: int, name: str) -> Response:
    """Anyone who may see a question showing the file: the file's bytes."""
    return asset_reply(bank_assets.asset_for(current_user, bank_id, name))
