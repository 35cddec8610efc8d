"""Monotonic binning and weight of evidence (WoE) for numeric ratios.

:class:`WoEBinner` is a scikit-learn transformer: ``fit(X, y)`` learns, per variable, cut points
that respect a monotonic event-rate trend, a minimum bin share and a maximum number of bins;
``transform(X)`` replaces each value by the WoE of its bin. It needs no solver: pre-binning by
quantiles or a shallow decision tree, then greedy merging of adjacent bins (a closed sequence of
three steps, each preserving what the previous one established):

1. **minimum share**: while an interval bin holds fewer than ``min_bin_share`` × n observations
   (n = all rows, missing included), merge it with the neighbour whose event rate is closest;
2. **monotonic trend**: pool-adjacent-violators (PAVA) merging until the event rate is strictly
   increasing (``"ascending"``: the higher the ratio, the riskier) or strictly decreasing
   (``"descending"``); ``"auto"`` runs both and keeps the one with the higher information value;
   ``None`` skips the step. Merging only sums counts, so step 1 stays satisfied;
3. **maximum bins**: while there are more than ``max_bins`` interval bins, merge the adjacent pair
   whose merger loses the least information value (a merged rate lies between its parts, so
   monotonicity is kept).

**Intervals** are left-closed: a bin ``[a, b)`` holds ``a <= x < b``; the first starts at −inf and
the last ends at +inf, so every finite value has a bin at transform time. Cut points are rounded
to ``edge_digits`` significant digits at fit time (readable tables and SQL).

**Missing values and special values.** NaN goes to its own bin; each user-declared special value
(e.g. ``-999`` for "not applicable", or ``0`` for "no inventory") gets its own bin and is
excluded from the intervals. The same rule is applied at fit and at transform
(:func:`assign_bins`). A missing or special bin that was **empty at fit** gets WoE 0 (the
population average, ``unseen="neutral"``) or the WoE of the riskiest bin (``unseen="worst"``).

**Sign convention (documented, tested).** With ``y = 1`` for the event (default) and ``0`` for the
non-event ("good"), creditlab uses the Siddiqi convention

    WoE_i = ln( %good_i / %bad_i ),   %good_i = good_i / G,   %bad_i = bad_i / B,
    IV = Σ_i (%good_i − %bad_i) · WoE_i

so a **positive WoE is safer than average** and a negative WoE riskier; a logistic regression of
``y`` (the default) on WoE variables therefore has **negative** coefficients. Source: N. Siddiqi,
*Credit Risk Scorecards* (Wiley, 2006), ch. 6; IV reading: < 0.02 useless, 0.02-0.1 weak,
0.1-0.3 medium, > 0.3 strong (same source).

**Small-count smoothing.** A bin without goods or without bads has an infinite WoE. Each count is
increased by ``smoothing`` (default 0.5, the Haldane-Anscombe correction) before computing the
distributions, over the K non-empty bins of the variable:

    %good_i = (good_i + s) / (G + s·K),   %bad_i = (bad_i + s) / (B + s·K).

``smoothing=0`` gives the textbook formula (a zero count then yields ±inf, reported as an error).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.validation import check_is_fitted, validate_data

from creditlab._drawing import drawn_by
from creditlab.exceptions import InputError
from creditlab.modeling._common import (
    as_model_frame,
    as_text,
    check_choice,
    check_number,
    check_target,
)

__all__ = ["WoEBinner", "VariableBinning", "assign_bins", "assign_categories", "woe_iv", "TRENDS",
           "IV_STRENGTH"]

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
    miss = np.array([v is None for v in text], dtype=bool)
    codes = pd.Series(text, dtype=object).map(mapping)
    out = codes.fillna(k + len(specials) + 1).to_numpy(dtype="int64", copy=True)
    out[miss] = k + len(specials)
    return out


def woe_iv(good: np.ndarray, bad: np.ndarray, smoothing: float = 0.5,
           total_good: float | None = None, total_bad: float | None = None
           ) -> tuple[np.ndarray, np.ndarray]:
    """WoE and IV contribution of each bin (creditlab convention ``ln(%good / %bad)``).

    Parameters
    ----------
    good, bad : arrays
        Non-event and event counts per bin (bins with no observation at all are ignored and get
        NaN).
    smoothing : float, default 0.5
        Added to every count of a non-empty bin (see the module docstring).
    total_good, total_bad : float, optional
        Totals G and B (default: the sums of ``good`` and ``bad``).

    Returns
    -------
    woe, iv : arrays
        ``woe_i = ln(%good_i / %bad_i)``, ``iv_i = (%good_i − %bad_i) · woe_i``; NaN for empty
        bins. With ``smoothing=0`` a bin without goods (or bads) gives −inf (or +inf).

    Source: Siddiqi (2006), *Credit Risk Scorecards*, ch. 6.
    """
    good = np.asarray(good, dtype="float64")
    bad = np.asarray(bad, dtype="float64")
    nonempty = (good + bad) > 0
    K = int(nonempty.sum())
    G = good.sum() if total_good is None else float(total_good)
    B = bad.sum() if total_bad is None else float(total_bad)
    with np.errstate(divide="ignore", invalid="ignore"):
        pg = (good + smoothing) / (G + smoothing * K)
        pb = (bad + smoothing) / (B + smoothing * K)
        woe = np.log(pg / pb)
        iv = np.where(np.isfinite(woe), (pg - pb) * woe, np.inf)
    woe = np.where(nonempty, woe, np.nan)
    iv = np.where(nonempty, iv, np.nan)
    return woe, iv


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
    table: pd.DataFrame = field(repr=False)
    categories: tuple[tuple[str, ...], ...] | None = None

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


def _counts(codes: np.ndarray, y: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    n = np.bincount(codes, minlength=k).astype("float64")
    b = np.bincount(codes, weights=y, minlength=k)
    return n, b


def _merge(edges: np.ndarray, n: np.ndarray, b: np.ndarray, i: int):
    """Merge interval bins i and i + 1 (drop the edge between them)."""
    n = n.copy()
    b = b.copy()
    n[i] += n[i + 1]
    b[i] += b[i + 1]
    return np.delete(edges, i), np.delete(n, i + 1), np.delete(b, i + 1)


def _drop_empty(edges, n, b):
    while n.size > 1 and (n == 0).any():
        i = int(np.flatnonzero(n == 0)[0])
        j = i if i < n.size - 1 else i - 1  # merge with the next bin (previous for the last)
        edges, n, b = _merge(edges, n, b, j)
    return edges, n, b


def _min_share(edges, n, b, min_count: float):
    while n.size > 1 and n.min() < min_count:
        i = int(np.argmin(n))
        rate = b / n
        if i == 0:
            j = 0
        elif i == n.size - 1:
            j = i - 1
        else:
            left, right = abs(rate[i] - rate[i - 1]), abs(rate[i] - rate[i + 1])
            if left < right or (left == right and n[i - 1] <= n[i + 1]):
                j = i - 1
            else:
                j = i
        edges, n, b = _merge(edges, n, b, j)
    return edges, n, b


def _pava(edges, n, b, ascending: bool):
    """Pool adjacent violators until the event rate is strictly monotonic."""
    blocks: list[list[float]] = []  # [n, b, first bin index]
    for i in range(n.size):
        cur = [n[i], b[i], i]
        while blocks:
            pn, pb, _ = blocks[-1]
            # rate_prev >= rate_cur (ascending) <=> pb * cur_n >= cur_b * pn (exact on counts)
            lhs, rhs = pb * cur[0], cur[1] * pn
            violates = lhs >= rhs if ascending else lhs <= rhs
            if not violates:
                break
            prev = blocks.pop()
            cur = [prev[0] + cur[0], prev[1] + cur[1], prev[2]]
        blocks.append(cur)
    starts = [int(blk[2]) for blk in blocks]
    new_edges = edges[[s - 1 for s in starts[1:]]] if len(starts) > 1 else edges[:0]
    return (new_edges, np.array([blk[0] for blk in blocks], dtype="float64"),
            np.array([blk[1] for blk in blocks], dtype="float64"))


def _unimodal(edges, n, b, peak: bool, max_bins: int, G, B, smoothing):
    """Best unimodal binning: for every position of the turn, PAVA rising then falling
    (``peak``) or falling then rising (valley) on each side, then the maximum-bins merging;
    the highest IV wins (a merger of adjacent bins keeps a unimodal sequence unimodal)."""
    best, best_iv = None, -np.inf
    k = n.size
    for m in range(1, k + 1):
        left = _pava(edges[:m - 1], n[:m], b[:m], peak)
        if m < k:
            right = _pava(edges[m:], n[m:], b[m:], not peak)
            cand = (np.concatenate([left[0], [edges[m - 1]], right[0]]),
                    np.concatenate([left[1], right[1]]), np.concatenate([left[2], right[2]]))
        else:
            cand = left
        cand = _max_bins(*cand, max_bins, G, B, smoothing)
        iv = _iv_total(cand[1], cand[2], G, B, smoothing)
        if iv > best_iv + 1e-12:
            best, best_iv = cand, iv
    return best


def _iv_total(n, b, G, B, smoothing) -> float:
    _, iv = woe_iv(n - b, b, smoothing, G, B)
    return float(np.nansum(iv))


def _max_bins(edges, n, b, max_bins: int, G, B, smoothing):
    while n.size > max_bins:
        _, iv = woe_iv(n - b, b, smoothing, G, B)
        pair_n = n[:-1] + n[1:]
        pair_b = b[:-1] + b[1:]
        _, iv_pair = woe_iv(pair_n - pair_b, pair_b, smoothing, G, B)
        loss = iv[:-1] + iv[1:] - iv_pair
        edges, n, b = _merge(edges, n, b, int(np.argmin(loss)))
    return edges, n, b


class WoEBinner(TransformerMixin, BaseEstimator):
    """Monotonic optimal-enough binning and WoE encoding of numeric variables.

    Parameters
    ----------
    prebinning : {"quantile", "tree"}, default "quantile"
        Initial cut points: ``n_prebins`` quantiles of the regular (non-missing, non-special)
        values, or the thresholds of a decision tree with at most ``n_prebins`` leaves (each at
        least ``min_bin_share`` of the rows).
    n_prebins : int, default 20
        Number of initial bins (2 to 100).
    max_bins : int, default 6
        Maximum number of interval bins after merging (missing and special bins come on top).
    min_bin_share : float, default 0.05
        Minimum share of all rows (missing included) in an interval bin, in (0, 0.5].
    monotonic_trend : {"auto", "ascending", "descending", "peak", "valley", "none", None} or \
dict, default "auto"
        Trend of the **event rate** as the value grows: ``"ascending"`` (risk grows with the
        ratio, e.g. debt / assets), ``"descending"`` (e.g. profitability), ``"auto"`` (the one
        with the higher IV), ``"peak"`` (rising then falling, e.g. a ratio risky at both
        ends), ``"valley"`` (falling then rising): every position of the turn is tried and the
        highest IV kept; ``"none"``/``None`` (no constraint). A dict ``{column: trend}`` sets it per
        variable (others use ``"auto"``).
    special_values : sequence of float or dict, optional
        Values that get their own bin (codes such as ``-999``). A list applies to every
        variable; a dict ``{column: [values]}`` to the named ones.
    smoothing : float, default 0.5
        Count added to each non-empty bin before computing WoE (see module docstring).
    unseen : {"neutral", "worst"}, default "neutral"
        WoE of a missing/special bin that was empty at fit (and of an unseen category when no
        rare category was pooled): 0, or that of the riskiest bin.
    user_splits : dict, optional
        ``{column: [cut points]}``: the analyst's own inner cut points of numeric columns,
        used as given (no pre-binning, no merging); :meth:`split_bin` and :meth:`merge_bins`
        edit a fitted binner this way.
    unseen_category : {"worst", "neutral", "other"}, default "worst"
        Declared rule for a category never seen at fit (the ``unseen`` row of the binning
        table, exported with the model): the WoE of the riskiest bin (conservative: a new
        category is a change of process to investigate), 0 (population average), or that of
        the group holding the pooled rare categories (``"worst"`` when none was pooled).
    edge_digits : int or None, default 4
        Significant digits of the cut points (None: no rounding).
    categorical : "auto" or list of str, default "auto"
        Columns binned as categories. ``"auto"``: the text, object and category columns of a
        DataFrame; a list adds columns holding codes (e.g. an integer region code). Values are
        compared as ``str``.
    cat_cutoff : float, default 0.01
        **Rare categories** (declared rule): a category holding less than ``cat_cutoff`` of the
        rows is pooled with the other rare ones into one "other" category before grouping.
        Categories are then sorted by event rate (monotonic-by-WoE ordering) and adjacent ones
        merged exactly as numeric bins (minimum share, then maximum bins by least IV loss).
        **Unseen categories** (absent at fit) follow ``unseen_category``.
        Missing values and declared special values (strings, ``special_values={col: [...]}``)
        have their own bins.

    Attributes
    ----------
    variables_ : dict[str, VariableBinning]
        Learned binning per variable.
    iv_ : Series
        Information value per variable (float, sorted as the input columns).
    feature_names_in_ : ndarray of str
        Column names seen at fit (only when X is a DataFrame with string column names).
    n_features_in_ : int
    n_events_, n_nonevents_ : int
        Counts of 1 and 0 in the training target.

    Examples
    --------
    >>> binner = WoEBinner(max_bins=5).fit(X, y)          # doctest: +SKIP
    >>> binner.binning_table("Attr1")                       # doctest: +SKIP
    >>> woe = binner.set_output(transform="pandas").transform(X)   # doctest: +SKIP
    """

    def __init__(self, *, prebinning: str = "quantile", n_prebins: int = 20, max_bins: int = 6,
                 min_bin_share: float = 0.05, monotonic_trend="auto", special_values=None,
                 smoothing: float = 0.5, unseen: str = "neutral", edge_digits: int | None = 4,
                 categorical="auto", cat_cutoff: float = 0.01, unseen_category: str = "worst",
                 user_splits=None):
        self.prebinning = prebinning
        self.n_prebins = n_prebins
        self.max_bins = max_bins
        self.min_bin_share = min_bin_share
        self.monotonic_trend = monotonic_trend
        self.special_values = special_values
        self.smoothing = smoothing
        self.unseen = unseen
        self.edge_digits = edge_digits
        self.categorical = categorical
        self.cat_cutoff = cat_cutoff
        self.unseen_category = unseen_category
        self.user_splits = user_splits

    # ------------------------------------------------------------------ settings
    def _check_params(self, columns: Sequence[str], cat: Sequence[str] = ()
                      ) -> tuple[dict, dict]:
        check_choice(self.prebinning, "prebinning", ("quantile", "tree"))
        check_number("n_prebins", self.n_prebins, 2, 100, integer=True)
        check_number("max_bins", self.max_bins, 1, 100, integer=True)
        check_number("min_bin_share", self.min_bin_share, 0, 0.5, lo_open=True)
        check_number("smoothing", self.smoothing, 0, 10)
        check_choice(self.unseen, "unseen", ("neutral", "worst"))
        if self.edge_digits is not None:
            check_number("edge_digits", self.edge_digits, 1, 17, integer=True)
        check_number("cat_cutoff", self.cat_cutoff, 0, 0.5)
        check_choice(self.unseen_category, "unseen_category", ("worst", "neutral", "other"))
        cols = set(columns)
        trend = self.monotonic_trend
        if isinstance(trend, Mapping):
            unknown = [c for c in trend if c not in cols]
            if unknown:
                raise InputError("monotonic_trend", "keys that are columns of X", unknown[:5],
                                 "fix the column names")
            for c, t in trend.items():
                check_choice(t, f"monotonic_trend[{c!r}]", TRENDS)
            trends = {c: trend.get(c, "auto") for c in columns}
        else:
            check_choice(trend, "monotonic_trend", TRENDS)
            trends = dict.fromkeys(columns, trend)
        sv = self.special_values
        if sv is None:
            specials = {c: () for c in columns}
        elif isinstance(sv, Mapping):
            unknown = [c for c in sv if c not in cols]
            if unknown:
                raise InputError("special_values", "keys that are columns of X", unknown[:5],
                                 "fix the column names")
            specials = {c: (self._check_text_specials(f"special_values[{c!r}]", sv.get(c, ()))
                            if c in cat else
                            self._check_specials(f"special_values[{c!r}]", sv.get(c, ())))
                        for c in columns}
        else:
            common = self._check_specials("special_values", sv)
            # a common list of numbers applies to the numeric columns only
            specials = {c: (() if c in cat else common) for c in columns}
        return trends, specials

    def _check_splits(self, columns, cat) -> dict:
        us = self.user_splits
        if us is None:
            return {}
        if not isinstance(us, Mapping):
            raise InputError("user_splits", "a dict {column: [cut points]}", type(us).__name__,
                             "e.g. user_splits={'Attr1': [0.0, 0.05]}")
        out = {}
        for c, edges in us.items():
            if c not in columns or c in cat:
                raise InputError("user_splits", "keys that are numeric columns of X", c,
                                 "fix the column name")
            vals = self._check_specials(f"user_splits[{c!r}]", edges)
            if list(vals) != sorted(vals):
                raise InputError(f"user_splits[{c!r}]", "increasing cut points", list(vals),
                                 "sort them")
            out[c] = np.asarray(vals, dtype="float64")
        return out

    def split_bin(self, var: str, at: float, X, y) -> WoEBinner:
        """A new binner, refitted on ``(X, y)``, where ``var``'s cut points are the fitted ones
        plus ``at`` (manual split); its ``user_splits`` keep the edit (a Scorecard built with
        ``binning=`` this binner keeps it too)."""
        edges = sorted({*self._edges_of(var), float(at)})
        return self._with_splits(var, edges, X, y)

    def merge_bins(self, var: str, code: int, X, y) -> WoEBinner:
        """A new binner, refitted on ``(X, y)``, where ``var``'s interval bins ``code`` and
        ``code + 1`` are merged (manual merge); see :meth:`split_bin`."""
        edges = list(self._edges_of(var))
        if not (isinstance(code, int | np.integer) and 0 <= code < len(edges)):
            raise InputError("code", f"an interval bin of {var!r} with a right neighbour "
                             f"(0 to {len(edges) - 1})", code, "read binning_table(var)")
        del edges[int(code)]
        return self._with_splits(var, edges, X, y)

    def _edges_of(self, var: str) -> np.ndarray:
        check_is_fitted(self, "variables_")
        if var not in self.variables_ or self.variables_[var].is_categorical:
            raise InputError("var", "a numeric fitted column", var, "check the column name")
        return self.variables_[var].edges

    def _with_splits(self, var, edges, X, y) -> WoEBinner:
        from sklearn.base import clone

        splits = dict(self.user_splits or {})
        splits[var] = [float(e) for e in edges]
        return clone(self).set_params(user_splits=splits).fit(X, y)

    @staticmethod
    def _check_text_specials(name: str, values) -> tuple[str, ...]:
        if isinstance(values, str | bytes) or not isinstance(values, Sequence | np.ndarray):
            raise InputError(name, "a list of categories", values,
                             "e.g. special_values={'purpose': ['unknown']}")
        out = [str(v) for v in values if not pd.isna(v)]
        if len(out) != len(values) or len(set(out)) != len(out):
            raise InputError(name, "distinct, non-missing categories (missing values always "
                             "have their own bin)", list(values), "remove the duplicates")
        return tuple(out)

    @staticmethod
    def _check_specials(name: str, values) -> tuple[float, ...]:
        if isinstance(values, str | bytes) or not isinstance(values, Sequence | np.ndarray):
            raise InputError(name, "a list of numbers", values, "e.g. special_values=[-999]")
        out = []
        for v in values:
            if isinstance(v, bool) or not isinstance(v, int | float | np.integer | np.floating) \
                    or not np.isfinite(v):
                raise InputError(name, "finite numbers (NaN always has its own bin)", v,
                                 "remove it")
            out.append(float(v))
        if len(set(out)) != len(out):
            raise InputError(name, "distinct values", values, "remove the duplicates")
        return tuple(out)

    # ------------------------------------------------------------------ fit
    def fit(self, X, y):
        """Learn the bins and WoE of every column of ``X`` for the 0/1 target ``y``.

        Text, object and category columns are binned as categories (see ``categorical``).

        Raises
        ------
        InputError
            Target not 0/1 or with one class, infinite values, a column that is entirely
            missing (or special), or a constant column without missing values.
        """
        validate_data(self, X, reset=True, skip_check_array=True)
        df, cat = as_model_frame(X, categorical=self.categorical)
        yv = check_target(y)
        if len(yv) != len(df):
            raise InputError("y", f"{len(df)} values (one per row of X)", len(yv),
                             "align X and y")
        trends, specials = self._check_params(df.columns, cat)
        splits = self._check_splits(df.columns, cat)
        self.n_events_ = int(yv.sum())
        self.n_nonevents_ = int(len(yv) - self.n_events_)
        self.categorical_ = list(cat)
        self.variables_ = {c: (self._fit_categorical(c, df[c].to_numpy(), yv, specials[c])
                               if c in cat else
                               self._fit_one(c, df[c].to_numpy(), yv, trends[c], specials[c],
                                             splits.get(c)))
                           for c in df.columns}
        self.iv_ = pd.Series({c: v.iv for c, v in self.variables_.items()}, name="iv",
                             dtype="float64")
        self._columns = list(df.columns)
        return self

    def _prebin(self, x: np.ndarray, y: np.ndarray, n_total: int) -> np.ndarray:
        if self.prebinning == "quantile":
            q = np.quantile(x, np.linspace(0, 1, self.n_prebins + 1)[1:-1])
        else:
            leaf = max(1, int(math.ceil(self.min_bin_share * n_total)))
            tree = DecisionTreeClassifier(max_leaf_nodes=self.n_prebins,
                                          min_samples_leaf=min(leaf, max(1, x.size // 2)),
                                          random_state=0)
            tree.fit(x.reshape(-1, 1), y)
            q = tree.tree_.threshold[tree.tree_.feature >= 0]
        q = _round_sig(np.unique(q), self.edge_digits)
        q = np.unique(q)
        # an edge at or below the minimum leaves an empty first bin: drop it here
        return q[(q > x.min()) & (q <= x.max())]

    def _fit_one(self, name: str, x: np.ndarray, y: np.ndarray, trend, specials, user=None
                 ) -> VariableBinning:
        miss = np.isnan(x)
        spec = np.isin(x, specials) if specials else np.zeros(x.shape, dtype=bool)
        regular = ~miss & ~spec
        if not regular.any():
            what = "entirely missing" if miss.all() else "only missing or special values"
            raise InputError(f"X[{name!r}]", "at least one regular (non-missing) value", what,
                             f"drop the column {name!r}: it carries no information")
        xr, yr = x[regular], y[regular]
        if xr.min() == xr.max() and not (miss.any() or spec.any()):
            raise InputError(f"X[{name!r}]", "a variable taking at least two values",
                             f"a constant column (always {xr[0]:g})",
                             f"drop the column {name!r}: it cannot separate defaults")
        n_total = x.size
        G, B = float(len(y) - y.sum()), float(y.sum())
        edges = self._prebin(xr, yr, n_total) if user is None else np.asarray(user)
        n, b = _counts(np.searchsorted(edges, xr, side="right"), yr.astype("float64"),
                       edges.size + 1)
        if user is None:
            edges, n, b = _drop_empty(edges, n, b)
            edges, n, b = _min_share(edges, n, b, self.min_bin_share * n_total)
        s = self.smoothing
        if user is not None:
            chosen = "user"
        elif trend in ("ascending", "descending"):
            edges, n, b = _pava(edges, n, b, trend == "ascending")
            chosen = trend
        elif trend in ("peak", "valley"):
            edges, n, b = _unimodal(edges, n, b, trend == "peak", self.max_bins, G, B, s)
            chosen = trend
        elif trend == "auto":
            asc = _pava(edges, n, b, True)
            desc = _pava(edges, n, b, False)
            asc = _max_bins(*asc, self.max_bins, G, B, s)
            desc = _max_bins(*desc, self.max_bins, G, B, s)
            iv_a, iv_d = _iv_total(asc[1], asc[2], G, B, s), _iv_total(desc[1], desc[2], G, B, s)
            (edges, n, b), chosen = (asc, "ascending") if iv_a >= iv_d else (desc, "descending")
        else:
            chosen = None
        if user is None:
            edges, n, b = _max_bins(edges, n, b, self.max_bins, G, B, s)
        if n.size == 1:
            chosen = None  # a single interval has no trend

        # special and missing bins
        k = n.size
        codes = assign_bins(x, edges, specials)
        n_all, b_all = _counts(codes, y.astype("float64"), k + len(specials) + 1)
        good = n_all - b_all
        woe, iv = woe_iv(good, b_all, s, G, B)
        if not np.all(np.isfinite(woe[n_all > 0])):
            raise InputError("smoothing", "a value > 0 when a bin has no good or no bad",
                             f"smoothing={s} and an infinite WoE for {name!r}",
                             "use smoothing=0.5 (default)")
        empty = n_all == 0
        fill = 0.0 if self.unseen == "neutral" else float(np.nanmin(woe))
        woe = np.where(empty, fill, woe)
        iv = np.where(empty, 0.0, iv)
        table = self._table(name, edges, specials, n_all, b_all, woe, iv, G, B, empty)
        return VariableBinning(name=name, edges=edges, specials=tuple(specials), woe=woe,
                               trend=chosen, iv=float(iv.sum()), table=table)

    def _fit_categorical(self, name: str, x: np.ndarray, y: np.ndarray, specials
                         ) -> VariableBinning:
        """Group the categories of one text column (see ``cat_cutoff`` in the class docstring)."""
        miss = np.array([v is None for v in x], dtype=bool)
        spec = np.isin(x.astype(str), list(specials)) & ~miss if specials else \
            np.zeros(x.shape, dtype=bool)
        regular = ~miss & ~spec
        if not regular.any():
            what = "entirely missing" if miss.all() else "only missing or special values"
            raise InputError(f"X[{name!r}]", "at least one regular (non-missing) value", what,
                             f"drop the column {name!r}: it carries no information")
        xr, yr = x[regular], y[regular].astype("float64")
        cats, inv = np.unique(xr.astype(str), return_inverse=True)
        if cats.size == 1 and not (miss.any() or spec.any()):
            raise InputError(f"X[{name!r}]", "a variable taking at least two values",
                             f"a constant column (always {str(cats[0])!r})",
                             f"drop the column {name!r}: it cannot separate defaults")
        n_total = x.size
        G, B = float(len(y) - y.sum()), float(y.sum())
        n_c = np.bincount(inv, minlength=cats.size).astype("float64")
        b_c = np.bincount(inv, weights=yr, minlength=cats.size)
        # rare categories pooled into one "other" category (declared rule)
        rare = n_c < self.cat_cutoff * n_total
        members: list[list[str]] = [[c] for c in cats[~rare]]
        n_u, b_u = list(n_c[~rare]), list(b_c[~rare])
        other = None
        if rare.any():
            other = len(members)
            members.append(list(cats[rare]))
            n_u.append(n_c[rare].sum())
            b_u.append(b_c[rare].sum())
        n_u, b_u = np.array(n_u), np.array(b_u)
        # monotonic-by-WoE ordering: sort by (smoothed) event rate, ties by name
        s = self.smoothing
        rate = (b_u + s) / (n_u + 2 * s) if s > 0 else b_u / n_u
        order = np.lexsort((np.arange(rate.size), rate))
        n, b = n_u[order], b_u[order]
        edges = np.arange(n.size - 1, dtype="float64") + 0.5  # boundaries between positions
        edges, n, b = _min_share(edges, n, b, self.min_bin_share * n_total)
        edges, n, b = _pava(edges, n, b, True)
        edges, n, b = _max_bins(edges, n, b, self.max_bins, G, B, s)
        group_of = np.searchsorted(edges, np.arange(order.size), side="right")
        groups: list[list[str]] = [[] for _ in range(n.size)]
        other_group = None
        for pos, u in enumerate(order):
            groups[group_of[pos]].extend(members[u])
            if u == other:
                other_group = int(group_of[pos])
        groups_t = tuple(tuple(sorted(g)) for g in groups)
        k = len(groups_t)
        codes = assign_categories(x, groups_t, specials)
        n_all, b_all = _counts(codes, y.astype("float64"), k + len(specials) + 2)
        woe, iv = woe_iv(n_all - b_all, b_all, s, G, B)
        if not np.all(np.isfinite(woe[n_all > 0])):
            raise InputError("smoothing", "a value > 0 when a bin has no good or no bad",
                             f"smoothing={s} and an infinite WoE for {name!r}",
                             "use smoothing=0.5 (default)")
        empty = n_all == 0
        fill = 0.0 if self.unseen == "neutral" else float(np.nanmin(woe))
        woe = np.where(empty, fill, woe)
        iv = np.where(empty, 0.0, iv)
        rule = self.unseen_category
        if rule == "other" and other_group is not None:
            woe[-1] = woe[other_group]
        else:
            woe[-1] = 0.0 if rule == "neutral" else float(np.nanmin(woe[~empty]))
        labels = ["{" + ", ".join(g) + "}" for g in groups_t]
        labels += [f"= {v}" for v in specials] + ["NaN", "unseen"]
        kinds = (["category"] * k + ["special"] * len(specials) + ["missing", "unseen"])
        table = self._frame_table(labels, kinds, np.full(len(labels), np.nan),
                                  np.full(len(labels), np.nan), n_all, b_all, woe, iv, G, B,
                                  empty)
        return VariableBinning(name=name, edges=np.empty(0), specials=tuple(specials), woe=woe,
                               trend="categorical", iv=float(iv.sum()), table=table,
                               categories=groups_t)

    @staticmethod
    def _frame_table(labels, kinds, lower, upper, n, b, woe, iv, G, B, empty) -> pd.DataFrame:
        total = n.sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.where(n > 0, b / n, np.nan)
        return pd.DataFrame({
            "bin": pd.array(labels, dtype="str"),
            "kind": pd.array(kinds, dtype="str"),
            "lower": lower, "upper": upper,
            "count": n.astype("int64"), "share": n / total,
            "non_events": (n - b).astype("int64"), "events": b.astype("int64"),
            "event_rate": rate,
            "dist_non_events": (n - b) / G, "dist_events": b / B,
            "woe": woe, "iv": iv, "empty_at_fit": empty,
        }, index=pd.RangeIndex(len(labels), name="code"))

    @staticmethod
    def _table(name, edges, specials, n, b, woe, iv, G, B, empty) -> pd.DataFrame:
        k = len(edges) + 1
        lo = np.concatenate([[-np.inf], edges])
        hi = np.concatenate([edges, [np.inf]])
        labels = [f"[{_fmt(a)}, {_fmt(c)})" for a, c in zip(lo, hi, strict=True)]
        labels += [f"= {_fmt(v)}" for v in specials] + ["NaN"]
        kinds = ["interval"] * k + ["special"] * len(specials) + ["missing"]
        lower = np.concatenate([lo, np.full(len(specials) + 1, np.nan)])
        upper = np.concatenate([hi, np.full(len(specials) + 1, np.nan)])
        return WoEBinner._frame_table(labels, kinds, lower, upper, n, b, woe, iv, G, B, empty)

    # ------------------------------------------------------------------ use
    def _frame(self, X) -> pd.DataFrame:
        check_is_fitted(self, "variables_")
        df, cat = as_model_frame(X, columns=self._columns,
                                 categorical=getattr(self, "categorical_", None) or None)
        validate_data(self, X, reset=False, skip_check_array=True)
        wrong = [c for c in cat if c in self.variables_
                 and not self.variables_[c].is_categorical]
        if wrong:
            raise InputError(f"X[{wrong[0]!r}]", "numbers (the column was numeric at fit)",
                             f"dtype {df[wrong[0]].dtype}",
                             "convert with pd.to_numeric, or refit with the column as text")
        if not isinstance(X, pd.DataFrame):
            df.columns = self._columns
        return df

    def transform(self, X):
        """WoE of every value (same bins as at fit; NaN and special values in their bins).

        Returns an array of shape (n, n_features) — or a DataFrame after
        ``set_output(transform="pandas")``.
        """
        df = self._frame(X)
        out = np.column_stack([self.variables_[c].transform(df[c].to_numpy())
                               for c in self._columns])
        return out

    def transform_bins(self, X) -> pd.DataFrame:
        """Bin code of every value (DataFrame of int64, same index and columns as ``X``)."""
        df = self._frame(X)
        return pd.DataFrame({c: self.variables_[c].codes(df[c].to_numpy())
                             for c in self._columns}, index=df.index)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self, "variables_")
        return np.asarray(self._columns, dtype=object)

    def binning_table(self, var: str, totals: bool = False) -> pd.DataFrame:
        """Binning table of one variable.

        Columns: ``bin`` (label: ``[a, b)``, ``= v`` for a special value, ``NaN``), ``kind``,
        ``lower``, ``upper``, ``count``, ``share`` (of all rows), ``non_events``, ``events``,
        ``event_rate`` (NaN for an empty bin), ``dist_non_events`` (%good), ``dist_events``
        (%bad), ``woe`` (``ln(%good/%bad)`` with smoothing), ``iv``, ``empty_at_fit``.
        ``totals=True`` appends a ``Total`` row.
        """
        check_is_fitted(self, "variables_")
        if var not in self.variables_:
            raise InputError("var", f"one of the fitted columns {self._columns[:5]}...", var,
                             "check the column name")
        t = self.variables_[var].table
        if totals:
            tot = pd.DataFrame({
                "bin": ["Total"], "kind": ["total"], "lower": [np.nan], "upper": [np.nan],
                "count": [int(t["count"].sum())], "share": [1.0],
                "non_events": [int(t["non_events"].sum())], "events": [int(t["events"].sum())],
                "event_rate": [t["events"].sum() / t["count"].sum()],
                "dist_non_events": [1.0], "dist_events": [1.0], "woe": [np.nan],
                "iv": [t["iv"].sum()], "empty_at_fit": [False]}, index=pd.Index(["total"]))
            t = pd.concat([t.astype({"bin": "str", "kind": "str"}), tot.astype(
                {"bin": "str", "kind": "str"})])
        return t.copy()

    def summary(self) -> pd.DataFrame:
        """One row per variable: ``iv``, ``strength`` (Siddiqi reading), ``n_bins`` (intervals),
        ``trend`` (``categorical`` for a text column), ``missing_share``, ``special_share``;
        sorted by decreasing IV."""
        check_is_fitted(self, "variables_")
        rows = []
        for c, v in self.variables_.items():
            t = v.table
            rows.append({"variable": c, "iv": v.iv, "strength": _iv_strength(v.iv),
                         "n_bins": v.n_intervals, "trend": v.trend or "none",
                         "missing_share": float(t.loc[t["kind"] == "missing", "share"].sum()),
                         "special_share": float(t.loc[t["kind"] == "special", "share"].sum())})
        out = pd.DataFrame(rows).set_index("variable")
        out["strength"] = out["strength"].astype("str")
        out["trend"] = out["trend"].astype("str")
        return out.sort_values("iv", ascending=False)

    def _repr_html_(self) -> str:
        try:
            check_is_fitted(self, "variables_")
        except Exception:  # noqa: BLE001 - not fitted: sklearn's own repr
            return f"<pre>{self!r}</pre>"
        return self.summary().to_html(float_format=lambda v: f"{v:.4f}")

    #: Draw with :func:`creditlab.modeling.plots.plot_variable_binning`; returns the Axes.
    plot_binning = drawn_by("creditlab.modeling.plots", "plot_variable_binning")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.target_tags.required = True
        return tags
