"""GIFT, Moodle's plain-text question format: read it into bank records and write it back.

See docs/formats/gift.md for how each GIFT form maps onto Clausewise question types.
"""

from __future__ import annotations

from app.formats.gift_read import read
from app.formats.gift_write import write

__all__ = ["read", "write"]
