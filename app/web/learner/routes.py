"""The learner's pages."""

from __future__ import annotations

from flask import Blueprint, render_template

from app.analytics import overview
from app.security import Role, role_required

bp = Blueprint("learner", __name__, url_prefix="/learn", template_folder="templates")


@bp.get("/")
@role_required(Role.LEARNER)
def home():
    """Learners: the qualification schemes they can prepare for."""
    return render_template(
        "learner/home.html",
        schemes=overview.schemes(),
        counts=overview.published_counts_by_level(),
    )
