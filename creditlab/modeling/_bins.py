"""The learned bins of one variable: bin codes of raw values (:func:`assign_bins`,
:func:`assign_categories`), :class:`VariableBinning` and the binning-table builders."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from creditlab.modeling._common import as_text, unique_inverse

TRENDS = ("auto", "ascending", "descending", "peak", "valley", "none", None)

#: Siddiqi (2006) reading of the information value: upper bounds and labels.
IV_STRENGTH = ((0.02, "useless"), (0.1, "weak"), (0.3, "medium"), (math.inf, "strong"))


def assign_bins(values: np.ndarray, edges: np.ndarray, specials: Sequence[float]) -> np.ndarray:
    """Bin code of every value: ``0..k-1`` intervals, then one code per special value, then the
    missing bin.

    Parameters
    ----------
    values : array of float
        Raw values (NaN = missing).
    edges : array of float
        The ``k − 1`` increasing inner cut points; interval ``j`` is ``[edges[j-1], edges[j])``.
    specials : sequence of float
        Declared special values, in order.

    Returns
    -------
    array of int64
        Codes; intervals ``0..k-1``, special value ``s`` → ``k + s``, NaN → ``k + len(specials)``.
    """
    values = np.asarray(values, dtype="float64")
    k = len(edges) + 1
    codes = np.searchsorted(edges, values, side="right").astype("int64")
    for j, v in enumerate(specials):
        codes[values == v] = k + j
    codes[np.isnan(values)] = k + len(specials)
    return codes


def assign_categories(values, groups: Sequence[Sequence[str]], specials: Sequence[str]
                      ) -> np.ndarray:
    """Bin code of every categorical value: ``0..k-1`` the groups of categories, then one code
    per special value, then the missing bin (``k + len(specials)``), then the **unseen** bin
    (``k + len(specials) + 1``) for a category absent from every group.

    Values are compared as ``str`` (see :func:`creditlab.modeling._common.as_text`); NaN and
    None are missing. Special values are tested before the groups.
    """
    text = as_text(values)
    k = len(groups)
    mapping = {c: g for g, members in enumerate(groups) for c in members}
    mapping.update({v: k + j for j, v in enumerate(specials)})
    miss = np.equal(text, None)
    out = np.full(text.size, k + len(specials), dtype="int64")
    if (~miss).any():
        uniq, inv = unique_inverse(text[~miss])  # str objects
        unseen = k + len(specials) + 1
        out[~miss] = np.array([mapping.get(u, unseen) for u in uniq], dtype="int64")[inv]
    return out


def _iv_strength(iv: float) -> str:
    for bound, lab in IV_STRENGTH:
        if iv < bound:
            return lab
    return "strong"  # pragma: no cover


@dataclass(frozen=True)
class VariableBinning:
    """The learned binning of one variable (fitted attribute of :class:`WoEBinner`).

    ``edges`` are the inner cut points (intervals ``[a, b)``); ``specials`` the declared special
    values; ``woe`` the WoE per bin code (intervals, specials, missing); ``table`` the binning
    table (see :meth:`WoEBinner.binning_table`).

    A **categorical** variable has ``categories`` (the groups of categories, one bin each;
    ``edges`` is empty) and its codes are groups, specials, missing, then ``unseen``
    (:func:`assign_categories`).
    """

    name: str
    edges: np.ndarray
    specials: tuple
    woe: np.ndarray
    trend: str | None
    iv: float
    #: the arguments of :func:`frame_table` (labels, kinds, lower, upper, n, b, woe, iv, G, B,
    #: empty): the table is built when first read (a fit of 64 variables builds none)
    parts: tuple = field(repr=False)
    categories: tuple[tuple[str, ...], ...] | None = None

    @cached_property
    def table(self) -> pd.DataFrame:
        """The binning table (see :meth:`WoEBinner.binning_table`)."""
        return frame_table(*self.parts)

    @property
    def is_categorical(self) -> bool:
        return self.categories is not None

    @property
    def n_intervals(self) -> int:
        """Number of regular bins (intervals, or groups of categories)."""
        return len(self.categories) if self.is_categorical else len(self.edges) + 1

    def codes(self, values) -> np.ndarray:
        """Bin codes of raw values (see :func:`assign_bins`, :func:`assign_categories`)."""
        if self.is_categorical:
            return assign_categories(values, self.categories, self.specials)
        return assign_bins(values, self.edges, self.specials)

    def transform(self, values) -> np.ndarray:
        """WoE of raw values."""
        return self.woe[self.codes(values)]


def _whole(v: np.ndarray) -> np.ndarray:
    """Counts as int64 when they are whole numbers (always, without weights), else floats."""
    return v.astype("int64") if np.all(v == np.round(v)) else v


def _fmt(v: float) -> str:
    if v == -np.inf:
        return "-inf"
    if v == np.inf:
        return "inf"
    return f"{v:.6g}"


def _round_sig(values: np.ndarray, digits: int) -> np.ndarray:
    """Round to ``digits`` significant digits (0 stays 0)."""
    if digits is None or values.size == 0:
        return values
    return np.array([float(f"{v:.{digits}g}") for v in values], dtype="float64")


def frame_table(labels, kinds, lower, upper, n, b, woe, iv, G, B, empty) -> pd.DataFrame:
    total = n.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(n > 0, b / n, np.nan)
    return pd.DataFrame({
        "bin": pd.array(labels, dtype="str"),
        "kind": pd.array(kinds, dtype="str"),
        "lower": lower, "upper": upper,
        "count": _whole(n), "share": n / total,
        "non_events": _whole(n - b), "events": _whole(b),
        "event_rate": rate,
        "dist_non_events": (n - b) / G, "dist_events": b / B,
        "woe": woe, "iv": iv, "empty_at_fit": empty,
    }, index=pd.RangeIndex(len(labels), name="code"))

def interval_parts(edges, specials, n, b, woe, iv, G, B, empty) -> tuple:
    """The :func:`frame_table` arguments of a numeric variable's bins."""
    k = len(edges) + 1
    lo = np.concatenate([[-np.inf], edges])
    hi = np.concatenate([edges, [np.inf]])
    labels = [f"[{_fmt(a)}, {_fmt(c)})" for a, c in zip(lo, hi, strict=True)]
    labels += [f"= {_fmt(v)}" for v in specials] + ["NaN"]
    kinds = ["interval"] * k + ["special"] * len(specials) + ["missing"]
    lower = np.concatenate([lo, np.full(len(specials) + 1, np.nan)])
    upper = np.concatenate([hi, np.full(len(specials) + 1, np.nan)])
    return (labels, kinds, lower, upper, n, b, woe, iv, G, B, empty)
