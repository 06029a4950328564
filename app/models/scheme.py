"""Qualification schemes and their exam blueprints."""

from __future__ import annotations

import copy
from typing import Any, NamedTuple

from sqlalchemy import JSON, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.blueprint import Blueprint, parse_blueprint
from app.domain.wording import Wording, wording
from app.extensions import Model


class _Parsed(NamedTuple):
    """A parsed blueprint with the section translations it was given."""

    blueprint: Blueprint
    wording: dict[str, Any]


class Scheme(Model):
    """A qualification exam modelled on a public format, with its blueprint as data."""

    __tablename__ = "schemes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16))
    disclaimer: Mapped[str] = mapped_column(Text, default="")
    duration_minutes: Mapped[int] = mapped_column(Integer)
    item_count: Mapped[int] = mapped_column(Integer)
    pass_mark: Mapped[float] = mapped_column(Float)
    review_policy: Mapped[str] = mapped_column(String(16), default="immediately")
    blueprint: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(default=True)
    # Wording in other languages, kept apart from the blueprint so that rewording never
    # changes the blueprint the readiness calibration and kept results are checked against.
    # language tag → {"title", "disclaimer", "description"}
    translations: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON, default=dict)
    # section id → language tag → {"title": …}
    section_translations: Mapped[dict[str, dict[str, dict[str, str]]]] = mapped_column(
        JSON, default=dict
    )

    @property
    def description(self) -> str:
        """What the exam asks of a candidate, in English (from the blueprint's data)."""
        return str((self.blueprint or {}).get("description") or "")

    @property
    def exam_blueprint(self) -> Blueprint:
        """The blueprint as a checked type, its section titles carrying their translations
        (parsed again when the stored data changes)."""
        cached = self.__dict__.get("_parsed_blueprint")
        wording = self.section_translations or {}
        if cached is None or cached.blueprint.source != self.blueprint or cached.wording != wording:
            cached = _Parsed(parse_blueprint(self.blueprint, wording), copy.deepcopy(wording))
            self.__dict__["_parsed_blueprint"] = cached
        return cached.blueprint

    def wording(self, field: str = "title") -> Wording:
        """`title`, `disclaimer` or `description` with its translations, to be shown in
        the reader's language later (`app.localized`)."""
        return wording(str(getattr(self, field)), self.translations, field)

    @property
    def practice_levels(self) -> list[str]:
        """The question levels its exam, practice sets and drills draw from."""
        levels = self.exam_blueprint.levels
        return list(levels) if levels else [self.level]
