"""Checks of the settings of :class:`creditlab.modeling.WoEBinner` (a mixin: trends, special
values and user cut points per column)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from creditlab.exceptions import InputError
from creditlab.modeling._bins import TRENDS
from creditlab.modeling._common import check_choice, check_number


class BinnerSettings:
    """The parameter checks of :class:`creditlab.modeling.WoEBinner`."""

    def _check_params(self, columns: Sequence[str], cat: Sequence[str] = ()
                      ) -> tuple[dict, dict]:
        check_choice(self.prebinning, "prebinning", ("quantile", "tree"))
        check_choice(self.method, "method", ("optimal", "greedy"))
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
