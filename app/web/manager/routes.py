"""The manager's pages."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from app.analytics import overview
from app.security import Role, role_required

bp = Blueprint("manager", __name__, url_prefix="/manage", template_folder="templates")


@bp.get("/")
@role_required(Role.MANAGER)
def home():
    """Managers: the teams they manage."""
    return render_template(
        "manager/home.html", teams=overview.managed_teams(current_user), schemes=overview.schemes()
    )
