"""Moodle XML: read a Moodle question export, write a bank Moodle can import.

See docs/formats/moodle-xml.md for how each Moodle question type maps to Clausewise.
"""

from __future__ import annotations

from app.formats.moodle_read import read
from app.formats.moodle_write import write

__all__ = ["read", "write"]
