"""Renaming a bank file's references in everything a bank record says."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any

from app.domain.records import BankRecord


def rename_references(record: BankRecord, old: str, new: str) -> None:
    """Make every `](asset:old)` of the record's case texts and questions `](asset:new)`."""
    before, after = f"](asset:{old})", f"](asset:{new})"
    for case in record.scenarios:
        case.text = case.text.replace(before, after)
    for question in record.questions:
        _rename_fields(question, before, after)


def _rename_fields(item: Any, before: str, after: str) -> None:
    """Rename inside a (mutable) record's fields, in place; frozen ones (locations) stay."""
    if type(item).__dataclass_params__.frozen:
        return
    for f in fields(item):
        setattr(item, f.name, _renamed(getattr(item, f.name), before, after))


def _renamed(value: Any, before: str, after: str) -> Any:
    if isinstance(value, str):
        return value.replace(before, after) if before in value else value
    if isinstance(value, list):
        return [_renamed(v, before, after) for v in value]
    if isinstance(value, dict):
        return {k: _renamed(v, before, after) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        _rename_fields(value, before, after)
    return value
