"""Lean building blocks of the formula scores: code columns and guarded denominators.

The scores return their zones, bands, reasons and validity notes as codes; a pandas
``Categorical`` built from integer positions holds them without one Python string per row (the
words come at the edge: :func:`creditlab.scores.score_words`). A denominator is guarded once and
reused by every ratio that divides by it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from creditlab.statements._common import reasons_codes


def code_column(positions: np.ndarray, codes: Sequence[str]) -> pd.Categorical:
    """A ``category`` column taking ``codes[position]`` per row (``position < 0``: missing).

    The categories are ``codes`` in their given order (worst first for bands and zones), so the
    column sorts from the worst and keeps the same dtype whatever codes a table happens to hold.
    """
    return pd.Categorical.from_codes(np.asarray(positions), dtype=_dtype(tuple(map(str, codes))),
                                     validate=False)


@lru_cache(maxsize=256)
def _dtype(codes: tuple[str, ...]) -> pd.CategoricalDtype:
    """The (immutable) categorical dtype of some codes, built once."""
    return pd.CategoricalDtype(list(codes), ordered=False)


def flag_column(flags: Mapping[str, np.ndarray], codes: Mapping[str, str], n: int) -> pd.Categorical:
    """``;``-separated codes of the flags true in each row, as a ``category`` column.

    ``""`` where no flag is set; one category per distinct combination present.
    """
    positions, strings = reasons_codes(flags, codes, n, sep=";")
    return pd.Categorical.from_codes(positions, dtype=_dtype(tuple(strings)), validate=False)


def denominator(den: np.ndarray, *, positive: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """``den`` with NaN where a ratio over it is undefined, and the rule's mask.

    Returns ``(guarded, undefined)``: ``guarded`` is ``den`` where it is finite and non-zero
    (``> 0`` with ``positive``), NaN elsewhere, so ``num / guarded`` is the ratio of
    :func:`creditlab.statements._common.safe_div` (NaN, never inf) without its extra passes;
    ``undefined`` marks the rows made NaN by the zero (or non-positive) rule only.
    """
    den = np.asarray(den, dtype="float64")
    undefined = (den <= 0) if positive else (den == 0)
    guarded = np.where(undefined | ~np.isfinite(den), np.nan, den)
    return guarded, undefined
