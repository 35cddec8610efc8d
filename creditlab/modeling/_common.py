"""Input checks shared by the modeling estimators (clear errors, never a silently wrong number)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.exceptions import DataConversionWarning

from creditlab._checks import check_choice  # noqa: F401 (shared)
from creditlab.exceptions import InputError


def check_target(y, name: str = "y") -> np.ndarray:
    """Return ``y`` as an int64 array of 0/1 with both classes present.

    ``1`` is the event (default, bankruptcy), ``0`` the non-event. Booleans are accepted;
    floats only when they are exactly 0.0 or 1.0.

    Raises
    ------
    InputError
        Missing values, values other than 0/1 (strings, 2, -1 ...), or only one class.
    """
    if y is None:
        raise InputError(name, "a 0/1 target (1 = default); this estimator requires y to be "
                         "passed, but the target y is None", None,
                         "pass the target column to fit")
    arr = np.asarray(y.to_numpy() if isinstance(y, pd.Series | pd.DataFrame) else y)
    if arr.ndim == 2 and arr.shape[1] == 1:
        warnings.warn("A column-vector y was passed when a 1d array was expected; it is "
                      "raveled.", DataConversionWarning, stacklevel=3)
        arr = arr[:, 0]
    if arr.ndim != 1:
        raise InputError(name, "a 1-D 0/1 target", f"an array of shape {arr.shape}",
                         "pass a Series or a 1-D array")
    if arr.size == 0:
        raise InputError(name, "at least one observation of each class", "an empty target",
                         "pass a non-empty sample")
    if arr.dtype == bool:
        out = arr.astype("int64")
    else:
        try:
            num = pd.to_numeric(pd.Series(arr), errors="coerce").to_numpy(dtype="float64")
        except (TypeError, ValueError):  # pragma: no cover - defensive
            num = np.full(arr.shape, np.nan)
        bad = ~np.isin(num, (0.0, 1.0))
        if bad.any():
            shown = sorted({str(v) for v in pd.unique(pd.Series(arr)[bad])})[:5]
            finite = num[np.isfinite(num)]
            kind = ("Unknown label type: continuous" if finite.size and
                    not np.all(finite == np.round(finite)) else "Only binary classification is "
                    "supported.")
            raise InputError(name, "a binary target coded 0/1 (1 = default/event). " + kind,
                             f"values {shown}",
                             "recode the target, e.g. y = (status == 'failed').astype(int); "
                             "missing targets must be dropped")
        out = num.astype("int64")
    classes = np.unique(out)
    if classes.size < 2:
        raise InputError(name, "both classes 0 and 1 (at least one event and one non-event)",
                         f"only one class ({int(classes[0])})",
                         "use a sample holding defaults and non-defaults")
    return out


def as_float_frame(X, name: str = "X", columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Return ``X`` as a float64 DataFrame (numeric columns only, NaN allowed, no inf).

    A DataFrame keeps its column names; an array gets ``x0, x1, ...`` unless ``columns`` is
    given. Booleans and integers are converted to float.

    Raises
    ------
    InputError
        Not 2-D, empty, a non-numeric column (named), or an infinite value (column named).
    """
    if isinstance(X, pd.Series):
        X = X.to_frame()
    if isinstance(X, pd.DataFrame):
        df = X
        if columns is not None and list(map(str, df.columns)) != list(columns):
            df = df.copy()
        bad = [c for c in df.columns
               if not (pd.api.types.is_numeric_dtype(df[c]) or pd.api.types.is_bool_dtype(df[c]))]
        if bad:
            raise InputError(f"{name}[{bad[0]!r}]", "a numeric column (ratios as floats)",
                             f"dtype {df[bad[0]].dtype} ({len(bad)} non-numeric column(s): "
                             f"{bad[:5]})",
                             "this function takes numbers only: drop the text columns or encode "
                             "them (WoEBinner and Scorecard bin text columns as categories)")
        values = df.to_numpy(dtype="float64", na_value=np.nan)
        cols = [str(c) for c in df.columns]
        index = df.index
    else:
        if hasattr(X, "toarray") or hasattr(X, "tocsr"):
            raise InputError(name, "a dense table (DataFrame or 2-D array)", "a sparse matrix",
                             "convert with X.toarray()")
        arr = np.asarray(X)
        if arr.ndim != 2:
            raise InputError(name, "a 2-D table (DataFrame or 2-D array). Reshape your data",
                             f"an array of shape {arr.shape}",
                             "use X.reshape(-1, 1) for a single feature")
        if arr.dtype.kind == "c":
            raise InputError(name, "real numbers (Complex data not supported)",
                             f"dtype {arr.dtype}", "pass real values")
        if arr.dtype.kind in "SUM":
            raise InputError(name, "numeric values", f"dtype {arr.dtype}",
                             "convert to float")
        try:
            values = arr.astype("float64")
        except (TypeError, ValueError):
            raise InputError(name, "numeric values", f"dtype {arr.dtype}",
                             "convert to float") from None
        if np.iscomplexobj(arr):
            raise InputError(name, "real numbers", "complex values", "pass real values")
        cols = list(columns) if columns is not None else [f"x{i}" for i in range(arr.shape[1])]
        index = pd.RangeIndex(arr.shape[0])
    if values.shape[0] == 0 or values.shape[1] == 0:
        n, m = values.shape
        what = (f"0 sample(s) (shape={values.shape}) while a minimum of 1 is required" if n == 0
                else f"0 feature(s) (shape={values.shape}) while a minimum of 1 is required")
        raise InputError(name, "a non-empty table (at least 1 sample and 1 feature)",
                         what, "pass data")
    inf = np.isinf(values)
    if inf.any():
        j = int(np.flatnonzero(inf.any(axis=0))[0])
        raise InputError(f"{name}[{cols[j]!r}]", "finite values or NaN",
                         f"{int(inf[:, j].sum())} infinite value(s)",
                         "replace ±inf by NaN (a zero denominator is a missing ratio)")
    return pd.DataFrame(values, columns=cols, index=index)


def check_number(name: str, value, lo=None, hi=None, *, integer: bool = False,
                 lo_open: bool = False, hi_open: bool = False) -> None:
    """Raise InputError unless ``value`` is a real number in the given range."""
    ok = isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)
    if ok and integer:
        ok = float(value).is_integer()
    if ok:
        v = float(value)
        ok = np.isfinite(v)
        if lo is not None:
            ok = ok and (v > lo if lo_open else v >= lo)
        if hi is not None:
            ok = ok and (v < hi if hi_open else v <= hi)
    if not ok:
        rng = f"{'(' if lo_open else '['}{lo}, {hi}{')' if hi_open else ']'}"
        kind = "an integer" if integer else "a number"
        raise InputError(name, f"{kind} in {rng}", value, "fix the parameter")


def is_text_column(col: pd.Series) -> bool:
    """True for a column that holds categories (object, string or category dtype)."""
    return not (pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col))


def as_text(values) -> np.ndarray:
    """Categories as an object array of ``str`` with ``None`` for a missing value.

    Every non-missing value is converted with ``str`` (so ``1`` and ``"1"`` are the same
    category); NaN, None and ``pd.NA`` are missing. This is the rule of the fit, of the
    transform and of the exported model.
    """
    out = np.array(values, dtype=object, copy=True).reshape(-1)
    miss = np.asarray(pd.isna(out), dtype=bool)
    kept = out[~miss]
    if kept.size and set(map(type, kept)) != {str}:
        out[~miss] = [str(v) for v in kept]
    out[miss] = None
    return out


def unique_inverse(text: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(text, return_inverse=True)`` for an object array of ``str`` (no missing):
    the sorted distinct values and each row's position among them, by hashing the rows once
    (``pd.factorize``) and sorting only the distinct values — an object sort of every row
    compares Python strings one pair at a time."""
    codes, uniq = pd.factorize(text, use_na_sentinel=False)
    uniq = np.asarray(uniq, dtype=object)
    order = np.argsort(uniq, kind="stable")
    rank = np.empty(order.size, dtype="int64")
    rank[order] = np.arange(order.size)
    return uniq[order], rank[codes]


def as_model_frame(X, name: str = "X", columns: Sequence[str] | None = None,
                   categorical=None) -> tuple[pd.DataFrame, list[str]]:
    """Return ``(frame, categorical_columns)``: numeric columns as float64 (NaN allowed, no inf)
    and categorical columns as object arrays of ``str`` (``None`` = missing).

    ``categorical`` is ``"auto"``/None (text, object and category columns of a DataFrame are
    categorical), or a list of column names forced categorical (numeric codes included); text
    columns are always categorical. A 2-D array is numeric (as :func:`as_float_frame`).
    """
    if isinstance(X, pd.Series):
        X = X.to_frame()
    if not isinstance(X, pd.DataFrame):
        return as_float_frame(X, name, columns), []
    forced = [] if categorical in (None, "auto") else list(categorical)
    cols = [str(c) for c in X.columns]
    unknown = [c for c in forced if c not in cols]
    if unknown:
        raise InputError("categorical", f"columns of {name}", unknown[:5], "fix the names")
    cat = [c for c, orig in zip(cols, X.columns, strict=True)
           if c in forced or is_text_column(X[orig])]
    num_cols = [orig for c, orig in zip(cols, X.columns, strict=True) if c not in cat]
    if X.shape[0] == 0 or X.shape[1] == 0:
        return as_float_frame(X, name, columns), []
    parts = {}
    if num_cols:
        num = as_float_frame(X[num_cols], name)
        for c in num.columns:
            parts[c] = num[c].to_numpy()
    for c, orig in zip(cols, X.columns, strict=True):
        if c in cat:
            parts[c] = as_text(X[orig].to_numpy())
    # object dtype kept for the text columns (pandas would infer "str" and turn None to NaN)
    out = pd.DataFrame({c: (pd.Series(parts[c], index=X.index, dtype=object) if c in cat
                            else parts[c]) for c in cols}, index=X.index)
    return out, cat


def check_weights(sample_weight, n: int, name: str = "sample_weight") -> np.ndarray | None:
    """``sample_weight`` as a float64 array of ``n`` finite non-negative values with a positive
    sum, or None when not given."""
    if sample_weight is None:
        return None
    try:
        w = np.asarray(sample_weight, dtype="float64")
    except (TypeError, ValueError):
        raise InputError(name, "numbers (one weight per row)", type(sample_weight).__name__,
                         "pass a numeric array") from None
    if w.ndim != 1 or w.size != n:
        raise InputError(name, f"{n} weights (one per row of X)", f"shape {w.shape}",
                         "align the weights with X")
    if not np.all(np.isfinite(w)) or (w < 0).any() or w.sum() <= 0:
        raise InputError(name, "finite weights >= 0 with a positive sum",
                         "a negative, missing or infinite weight, or all zero",
                         "fix the weights (0 drops a row)")
    return w
