"""Titles of the reference data inside tables, as columns of Wordings.

A table keeps a scheme's title as a `Wording` (English, with its translations), so that a
table cached per process serves readers of every language; the page or the export shows
it in the reader's language (`app.localized`, `app.messages.render_cells`). pandas would
store a column of strings in its string dtype, which need not keep the objects; these
columns are made with the object dtype instead.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence

import pandas as pd


def wording_column(
    values: Iterable[str], index: Sequence[Hashable] | pd.Index | None = None
) -> pd.Series:
    """A column holding `values` (Wordings) as they are."""
    return pd.Series(list(values), index=index, dtype=object)
