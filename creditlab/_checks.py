"""Shared checks of every package: dates, columns, numbers, choices, safe division, cents.

One home for the mechanics that every computation needs at its boundary, so that the same bad
input gets the same clear :class:`~creditlab.exceptions.InputError` everywhere (the parameter or
column, what was expected, what was got, the fix). Private: packages import from here; users see
only the errors.

Dates typed by a person are read in two forms only: ISO ``2025-12-31`` and French ``31/12/2025``
(day first). A month-first date is never guessed: ``12/31/2025`` is an error, ``01/12/2025`` is
the 1st of December.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from creditlab.exceptions import InputError

__all__ = ["as_date", "as_of_date", "require_frame", "require_columns", "check_choice",
           "finite_number", "safe_div", "round_cents"]

_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*$")
_FR = re.compile(r"^\s*(\d{1,2})[/.](\d{1,2})[/.](\d{4})\s*$")
#: Dates outside this range are typing errors (year 1025, 20255) rather than analysis dates.
_MIN_YEAR, _MAX_YEAR = 1900, 2200


def _from_parts(year: int, month: int, day: int, name: str, got: object) -> pd.Timestamp:
    try:
        return pd.Timestamp(_dt.date(year, month, day))
    except ValueError:
        raise InputError(name, "a real calendar date, ISO 2025-12-31 or French 31/12/2025 "
                         "(day first)", got,
                         "check the day and the month (a month-first date such as 12/31/2025 is "
                         "not accepted: write 31/12/2025 or 2025-12-31)") from None


def as_date(value: object, name: str = "date", *, allow_none: bool = False) -> pd.Timestamp | None:
    """A date given by a user as a midnight, timezone-naive :class:`pandas.Timestamp`.

    Accepts a Timestamp, ``datetime``, ``date``, ``numpy.datetime64``, or a string in ISO
    (``2025-12-31``, a time part is dropped) or French (``31/12/2025``, ``31.12.2025``) form.
    A timezone-aware value keeps its local calendar day. Years outside 1900-2200 are refused.

    Raises
    ------
    InputError
        ``None`` or NaT (unless ``allow_none``), an unreadable string, a month-first or impossible
        date, a year out of range.
    """
    expected = "a date, ISO 2025-12-31 or French 31/12/2025"
    if value is None or (not isinstance(value, str) and np.ndim(value) == 0
                         and pd.isna(value)):
        if allow_none:
            return None
        raise InputError(name, expected, value, f"pass {name} explicitly, e.g. '2025-12-31'")
    if isinstance(value, str):
        m = _ISO.match(value)
        if m:
            ts = _from_parts(int(m[1]), int(m[2]), int(m[3]), name, value)
        else:
            m = _FR.match(value)
            if not m:
                raise InputError(name, expected, value,
                                 "write the date as 2025-12-31 or 31/12/2025")
            ts = _from_parts(int(m[3]), int(m[2]), int(m[1]), name, value)
    elif isinstance(value, pd.Timestamp | _dt.datetime | _dt.date | np.datetime64):
        try:
            ts = pd.Timestamp(value)
        except (TypeError, ValueError, OverflowError):
            raise InputError(name, expected, value, "pass a date such as '2025-12-31'") from None
        if pd.isna(ts):
            if allow_none:
                return None
            raise InputError(name, expected, value, f"pass {name} explicitly, e.g. '2025-12-31'")
        if ts.tz is not None:
            ts = ts.tz_localize(None)
    else:
        raise InputError(name, expected, value, "pass a date such as '2025-12-31'")
    if not _MIN_YEAR <= ts.year <= _MAX_YEAR:
        raise InputError(name, f"a year between {_MIN_YEAR} and {_MAX_YEAR}", value,
                         "check the year (a typing error such as 1025 or 20255?)")
    return ts.normalize()


def as_of_date(as_of: object, name: str = "as_of") -> pd.Timestamp:
    """The analysis date (``as_of``) as a midnight Timestamp; see :func:`as_date`."""
    return as_date(as_of, name)


def require_frame(df: object, table: str, fix: str) -> pd.DataFrame:
    """``df`` must be a DataFrame."""
    if not isinstance(df, pd.DataFrame):
        raise InputError(table, "a pandas DataFrame", type(df).__name__, fix)
    return df


def require_columns(df: object, table: str, required: Iterable[str], fix: str) -> pd.DataFrame:
    """``df`` must be a DataFrame holding every column of ``required``."""
    require_frame(df, table, fix)
    required = list(required)
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise InputError(f"{table} columns", f"the columns {required}",
                         f"{list(df.columns)} (missing {missing})", fix)
    return df


def check_choice(value: object, name: str, choices: Sequence) -> object:
    """``value`` must be one of ``choices`` (strings compare to ``StrEnum`` members)."""
    if value not in choices:
        shown = [str(c) for c in choices]
        raise InputError(name, f"one of {shown}", value, f"use one of {shown}")
    return value


def finite_number(value: object, name: str, *, minimum: float | None = None,
                  maximum: float | None = None) -> float:
    """A finite real number (bool refused), optionally within ``[minimum, maximum]``."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | float | np.number):
        raise InputError(name, "a number", value, f"pass {name} as a number (decimal point)")
    x = float(value)
    if not np.isfinite(x):
        raise InputError(name, "a finite number", value, f"pass a finite {name}")
    if minimum is not None and x < minimum:
        raise InputError(name, f"a number >= {minimum}", value, f"pass {name} >= {minimum}")
    if maximum is not None and x > maximum:
        raise InputError(name, f"a number <= {maximum}", value, f"pass {name} <= {maximum}")
    return x


def safe_div(num, den):
    """``num / den`` element-wise, NaN where the denominator is 0 or NaN (never ±inf).

    Scalars give a float, arrays an array, Series a Series on ``num``'s index.
    """
    n = np.asarray(num, dtype="float64")
    d = np.asarray(den, dtype="float64")
    ok = (d != 0) & np.isfinite(d)
    out = np.where(ok, n / np.where(ok, d, 1.0), np.nan)
    if isinstance(num, pd.Series):
        return pd.Series(out, index=num.index, name=num.name)
    if isinstance(den, pd.Series):
        return pd.Series(out, index=den.index)
    return float(out) if out.ndim == 0 else out


def round_cents(x):
    """Round euros to the cent, half-up (away from zero on ties), as a document prints them.

    The amount in cents is nudged by a relative 1e-12 before rounding, which absorbs the binary
    representation of decimal ties: ``1.005 → 1.01``, ``203.045 → 203.05``,
    ``1000.005 → 1000.01``, ``-2.675 → -2.68``. NaN stays NaN. A scalar gives a float, an array an
    array, a Series a Series.
    """
    arr = np.asarray(x, dtype="float64")
    out = np.sign(arr) * np.floor(np.abs(arr) * 100.0 * (1 + 1e-12) + 0.5) / 100.0
    out = out + 0.0  # no negative zero
    if isinstance(x, pd.Series):
        return pd.Series(out, index=x.index, name=x.name)
    return float(out) if out.ndim == 0 else out


def as_date_column(values: pd.Series, name: str, *, allow_missing: bool = False) -> pd.Series:
    """A column of dates typed by a person as midnight, timezone-naive ``datetime64[ns]``.

    Datetime columns are normalised (a timezone keeps its local day); text and mixed columns are
    read value by value with :func:`as_date` (ISO ``2025-12-05`` or French ``05/12/2025``, day
    first — never month-first), each distinct value once. Missing values (NaN, None, ``""``)
    become NaT when ``allow_missing``, else an :class:`InputError` naming the rows.
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        s = values
        if getattr(s.dt, "tz", None) is not None:
            s = s.dt.tz_localize(None)
        out = s.astype("datetime64[ns]").dt.normalize()
    else:
        blank = values.isna() | values.map(lambda v: isinstance(v, str) and not v.strip())
        mapping = {v: as_date(v, name) for v in pd.unique(values[~blank])}
        out = values.where(~blank, None).map(mapping).astype("datetime64[ns]")
    if not allow_missing and out.isna().any():
        rows = [int(i) + 1 for i in np.flatnonzero(out.isna().to_numpy())[:5]]
        raise InputError(name, "a date on every row (ISO 2025-12-31 or French 31/12/2025)",
                         f"missing on row(s) {rows}", f"fill {name}")
    return out
