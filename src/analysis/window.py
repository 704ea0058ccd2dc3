"""The one rule for a date window, used by every analysis.

A row is kept when its own window ``[first, last]`` overlaps ``[start, end]``
(either bound may be None: open).  A row's window runs from its first date column
to its last; where one of them is missing, the other stands for both; a row with
no date at all is kept (undated rows are standing facts: a membership, a
movement whose day no source gives).
"""

from __future__ import annotations

import pandas as pd


def overlaps(df: pd.DataFrame, first: str, last: str | None = None, start: str | None = None, end: str | None = None) -> pd.Series:
    """Boolean mask: rows of ``df`` whose ``[first, last]`` window overlaps ``[start, end]``."""
    lo = df[first]
    hi = df[last] if last else lo
    lo, hi = lo.fillna(hi), hi.fillna(lo)
    keep = pd.Series(True, index=df.index)
    if start:
        keep &= hi.isna() | (hi >= pd.Timestamp(start))
    if end:
        keep &= lo.isna() | (lo <= pd.Timestamp(end))
    return keep


def within(df: pd.DataFrame, first: str, last: str | None = None, start: str | None = None, end: str | None = None) -> pd.DataFrame:
    """The rows of ``df`` that :func:`overlaps` keeps, with a fresh index."""
    return df[overlaps(df, first, last, start, end)].reset_index(drop=True)
