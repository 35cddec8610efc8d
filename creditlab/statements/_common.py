"""Shared helpers of ``creditlab.statements`` and ``creditlab.scores``: input checks, safe division
with a reason, and the compact "why is this NaN" column.

Not public API: the public functions re-exported in ``creditlab.statements`` use these.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
import pyarrow as pa

from creditlab._checks import check_choice  # noqa: F401 (shared)
from creditlab._checks import safe_div as _safe_div
from creditlab.exceptions import InputError, Problem
from creditlab.tables import TABLES

FS_TABLE = "financial_statements"
#: Columns of financial_statements that may be absent: treated as 0 (``discounted_bills``) or NaN.
OPTIONAL_ZERO = ("discounted_bills",)
OPTIONAL_NAN = ("market_value_equity", "headcount")


def check_frame(fs: object, name: str = "fs") -> pd.DataFrame:
    """Raise a clear error unless ``fs`` is a DataFrame with at least one column."""
    if not isinstance(fs, pd.DataFrame):
        raise InputError(name, "a pandas DataFrame in the financial_statements format",
                         type(fs).__name__,
                         "pass the canonical financial_statements table (creditlab.io.load_demo"
                         "('financial_statements') shows the format)")
    return fs


def require_columns(fs: pd.DataFrame, columns: Iterable[str], name: str = "fs") -> None:
    """Raise :class:`InputError` naming every required column missing from ``fs``.

    A present column must be numeric (float/int/bool); a text column raises too.
    """
    check_frame(fs, name)
    cols = list(dict.fromkeys(columns))
    missing = [c for c in cols if c not in fs.columns]
    if missing:
        labels = ", ".join(f"{c} ({_label(c)})" for c in missing)
        raise InputError(f"{name}.{missing[0]}" if len(missing) == 1 else name,
                         f"the financial_statements column(s) {missing}",
                         f"missing: {labels}",
                         "add the missing line(s) to the statements (0 when the line is empty); "
                         "see creditlab.io.tables.FINANCIAL_STATEMENTS for the definitions")
    bad = [c for c in cols if not (pd.api.types.is_numeric_dtype(fs[c])
                                   or pd.api.types.is_bool_dtype(fs[c]))]
    if bad:
        raise InputError(f"{name}.{bad[0]}", "a numeric column (euros, float)",
                         str(fs[bad[0]].dtype),
                         "convert with pd.to_numeric or creditlab.io.datasets.coerce_types(df, "
                         "'financial_statements')")


def _label(col: str) -> str:
    try:
        return TABLES[FS_TABLE].column(col).label_fr
    except KeyError:
        return col


def problem_rows(fs: pd.DataFrame, bad: np.ndarray) -> tuple:
    """Row labels for a :class:`Problem`: index, with customer id and fiscal year when known."""
    idx = fs.index[bad]
    if {"customer_id", "fiscal_year"} <= set(fs.columns):
        keys = fs.loc[bad, ["customer_id", "fiscal_year"]].astype(str).agg(" ".join, axis=1)
        return tuple(f"{i} ({k})" for i, k in zip(idx, keys, strict=True))
    return tuple(idx)


def empty_values(fs: pd.DataFrame, columns: Iterable[str]) -> tuple[np.ndarray, Problem | None]:
    """Rows with an empty value in one of ``columns``, and the problem naming those columns.

    Used by the consistency checks: an empty line would otherwise surface as an unexplained
    "gap nan €". Optional columns (``discounted_bills`` …) are skipped: they default to 0/NaN.
    """
    cols = [c for c in dict.fromkeys(columns) if c in fs.columns and c not in OPTIONAL_ZERO
            and c not in OPTIONAL_NAN]
    mask = np.zeros(len(fs), dtype=bool)
    empty_cols = []
    for c in cols:
        m = fs[c].isna().to_numpy()
        if m.any():
            mask |= m
            empty_cols.append(c)
    if not empty_cols:
        return mask, None
    labels = ", ".join(f"{c} ({_label(c)})" for c in empty_cols[:6])
    more = f" (+{len(empty_cols) - 6} more)" if len(empty_cols) > 6 else ""
    return mask, Problem(FS_TABLE, empty_cols[0], "no_empty_lines",
                         f"{int(mask.sum())} row(s) with an empty value in {labels}{more}",
                         "enter 0 for a line that is empty in the accounts, or call with "
                         "check='flag' (the figures depending on it are then NaN)",
                         problem_rows(fs, mask))


def col(fs: pd.DataFrame, name: str) -> np.ndarray:
    """Column as a float64 numpy array; optional columns default to 0 or NaN when absent."""
    if name in fs.columns:
        s = fs[name]
        if s.dtype == np.float64:  # a read-only view of the column, no copy
            arr = s.to_numpy()
        else:
            arr = pd.to_numeric(s, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        if name in OPTIONAL_ZERO:
            return np.nan_to_num(arr, nan=0.0)
        return arr
    if name in OPTIONAL_ZERO:
        return np.zeros(len(fs))
    if name in OPTIONAL_NAN:
        return np.full(len(fs), np.nan)
    raise InputError(f"fs.{name}", "a financial_statements column", "missing",
                     "add the column (see creditlab.io.tables)")


def safe_div(num: np.ndarray, den: np.ndarray, *, positive: bool = False) -> tuple[np.ndarray,
                                                                                     np.ndarray]:
    """Divide, returning NaN (never inf) where the denominator is 0 (or <= 0 if ``positive``).

    Returns ``(ratio, undefined)`` where ``undefined`` marks rows made NaN by the denominator rule
    (not rows that were NaN because an input was missing).
    """
    den = np.asarray(den, dtype="float64")
    undefined = (den <= 0) if positive else (den == 0)
    return _safe_div(np.asarray(num, dtype="float64"), np.where(undefined, 0.0, den)), undefined


def text_series(codes: np.ndarray, strings, index: pd.Index) -> pd.Series:
    """A ``str`` Series taking ``strings[code]`` per row (``code < 0``: missing), built in Arrow.

    Same values and dtype as ``pd.Series(np.array(strings, dtype=object)[codes], dtype="str")``
    without a Python object per row: a dictionary array (integer codes + the few strings) decoded
    by Arrow.
    """
    codes = np.asarray(codes)
    strings = [str(x) for x in strings]
    if len(codes) == 0:
        return pd.Series(np.array([*strings, None], dtype=object)[codes], index=index,
                         dtype="str")
    mask = codes < 0
    dic = pa.DictionaryArray.from_arrays(
        pa.array(np.where(mask, 0, codes).astype(np.int32), mask=mask if mask.any() else None),
        pa.array(strings or [""], type=pa.large_string()))
    try:
        values = pd.arrays.ArrowStringArray(dic.cast(pa.large_string()),
                                            dtype=pd.StringDtype("pyarrow", na_value=np.nan))
    except (TypeError, ValueError):  # pragma: no cover - pandas without Arrow strings
        return pd.Series(np.array([*strings, None], dtype=object)[codes], index=index,
                         dtype="str")
    out = pd.Series(values, index=index)
    return out if out.dtype == "str" else out.astype("str")


def reasons_codes(flags: Mapping[str, np.ndarray], texts: Mapping[str, str], n: int,
                  sep: str = "; ") -> tuple[np.ndarray, list[str]]:
    """:func:`reasons_column` as (code per row, distinct texts): ``texts[code]`` is the row's."""
    keys = [k for k in flags if np.any(flags[k])]
    if not keys:
        return np.zeros(n, dtype=np.int64), [""]
    mat = np.column_stack([np.asarray(flags[k], dtype=bool) for k in keys])
    if len(keys) <= 62:
        codes = mat.astype(np.int64) @ (np.int64(1) << np.arange(len(keys), dtype=np.int64))
    else:  # pragma: no cover - more than 62 ratios is not foreseen
        codes = mat.astype(object) @ np.array([1 << i for i in range(len(keys))], dtype=object)
    if len(keys) <= 20:  # sorted distinct patterns without a sort: a table of 2**k flags
        seen = np.zeros(1 << len(keys), dtype=bool)
        seen[codes] = True
        uniq, inv = np.flatnonzero(seen), (np.cumsum(seen) - 1)[codes]
    else:
        uniq, inv = np.unique(codes, return_inverse=True)
    strings = [sep.join(texts[k] for i, k in enumerate(keys) if (int(u) >> i) & 1)
               for u in uniq]
    return inv.reshape(-1), strings


def reasons_series(flags: Mapping[str, np.ndarray], texts: Mapping[str, str],
                   index: pd.Index, sep: str = "; ") -> pd.Series:
    """:func:`reasons_column` as a ``str`` Series on ``index`` (built from codes in Arrow)."""
    codes, strings = reasons_codes(flags, texts, len(index), sep)
    return text_series(codes, strings, index)


def reasons_column(flags: Mapping[str, np.ndarray], texts: Mapping[str, str], n: int,
                   sep: str = "; ") -> np.ndarray:
    """Build one text per row joining ``texts[k]`` for every ``flags[k]`` true in that row.

    Vectorised: rows are grouped by their flag pattern, so the cost is one join per distinct
    pattern, not per row. Rows without any flag get ``""``.
    """
    codes, strings = reasons_codes(flags, texts, n, sep)
    return np.asarray(strings, dtype=object)[codes]


def as_series_like(values: object, index: pd.Index, name: str, dtype: str | None = None):
    """Broadcast a scalar, a sequence or a Series onto ``index`` (Series are aligned by index)."""
    if values is None:
        return pd.Series(np.nan, index=index, name=name)
    if isinstance(values, pd.Series):
        if not values.index.equals(index):
            values = values.reindex(index)
        return values.rename(name)
    if np.isscalar(values) or isinstance(values, str):
        return pd.Series([values] * len(index), index=index, name=name, dtype=dtype)
    values = list(values) if not isinstance(values, np.ndarray) else values
    if len(values) != len(index):
        raise InputError(name, f"a scalar, a Series aligned on the statements or {len(index)} values",
                         f"{len(values)} values", "pass one value per row of the statements")
    return pd.Series(values, index=index, name=name, dtype=dtype)
