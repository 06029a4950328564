"""Standards editions, their clause trees, and mappings between editions."""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model


class Edition(Model):
    """One edition of ISO/IEC 20000-1, identified by its year code ("2018")."""

    __tablename__ = "editions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    # language tag → {"title": …}, from the clause-tree file (English stays in `title`)
    translations: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON, default=dict)

    clauses: Mapped[list[Clause]] = relationship(
        back_populates="edition", order_by="Clause.sort_key"
    )


class Clause(Model):
    """A numbered clause of an edition, with its short title and parent clause."""

    __tablename__ = "clauses"
    __table_args__ = (UniqueConstraint("edition_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id"), index=True)
    number: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    # language tag → {"title": …}, from the clause-tree file (English stays in `title`)
    translations: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON, default=dict)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("clauses.id"))
    depth: Mapped[int] = mapped_column(Integer)
    sort_key: Mapped[str] = mapped_column(String(32), index=True)

    edition: Mapped[Edition] = relationship(back_populates="clauses")


class ClauseMapping(Model):
    """A correspondence from a clause of one edition to a clause of another."""

    __tablename__ = "clause_mappings"
    __table_args__ = (UniqueConstraint("from_clause_id", "to_clause_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    from_clause_id: Mapped[int] = mapped_column(ForeignKey("clauses.id"), index=True)
    to_clause_id: Mapped[int] = mapped_column(ForeignKey("clauses.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
