"""The trainer's workspace."""

from __future__ import annotations

from flask import Blueprint, render_template

from app.analytics import overview
from app.security import Role, role_required

bp = Blueprint("trainer", __name__, url_prefix="/train", template_folder="templates")


@bp.get("/")
@role_required(Role.TRAINER, Role.ADMIN)
def home():
    """Trainers and admins: the question banks and their sizes."""
    return render_template("trainer/home.html", banks=overview.bank_summaries())
