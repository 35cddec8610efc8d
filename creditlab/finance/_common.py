"""Shared helpers of :mod:`creditlab.finance`: input checks, broadcasting, words, result protocol.

Every public function of the package validates its numbers here so a bad input always raises
:class:`~creditlab.exceptions.InputError` naming the parameter, what was expected, what was got
and the fix — never a silently wrong number.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from creditlab._checks import require_columns, round_cents, safe_div  # noqa: F401 (shared)
from creditlab._results import Result
from creditlab.exceptions import InputError
from creditlab.i18n import check_lang
from creditlab.labels import text as catalogue_text

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"

#: Day-count bases accepted for annual rates (exact year or banking year).
DAY_COUNTS = (365, 360)

ArrayLike = Any  # float | np.ndarray | pd.Series


def number(name: str, value: Any, *, lo: float | None = None, hi: float | None = None,
           lo_open: bool = False, hi_open: bool = False, fix: str | None = None,
           allow_nan: bool = False) -> np.ndarray:
    """Check a scalar or array-like of numbers and return it as a float64 array.

    Parameters
    ----------
    name : str
        Parameter name used in the error message.
    lo, hi : float, optional
        Bounds; closed unless ``lo_open`` / ``hi_open``.
    allow_nan : bool
        When False (default) a NaN raises.

    Raises
    ------
    InputError
        Not numeric (strings, booleans, None), NaN, or out of bounds.
    """
    if value is None or isinstance(value, (bool, np.bool_, str, bytes)):
        raise InputError(name, _expected(lo, hi, lo_open, hi_open), value,
                         fix or f"pass a number for {name}")
    if isinstance(value, pd.Series | pd.Index) and value.dtype == bool:
        raise InputError(name, _expected(lo, hi, lo_open, hi_open), "booleans",
                         fix or f"pass numbers for {name}")
    try:
        arr = np.asarray(value, dtype="float64")
    except (TypeError, ValueError):
        shown = value if np.ndim(value) == 0 else list(np.ravel(value))[:5]
        raise InputError(name, _expected(lo, hi, lo_open, hi_open), shown,
                         fix or f"pass numbers for {name}") from None
    if not allow_nan and np.isnan(arr).any():
        raise InputError(name, _expected(lo, hi, lo_open, hi_open) + " (not NaN)",
                         _show(arr, np.isnan(arr)), fix or f"fill the missing values of {name}")
    bad = np.zeros(arr.shape, dtype=bool)
    if lo is not None:
        bad |= (arr <= lo) if lo_open else (arr < lo)
    if hi is not None:
        bad |= (arr >= hi) if hi_open else (arr > hi)
    bad &= ~np.isnan(arr)
    if bad.any():
        raise InputError(name, _expected(lo, hi, lo_open, hi_open), _show(arr, bad),
                         fix or f"pass {name} within the bounds")
    return arr


def scalar(name: str, value: Any, **kw) -> float:
    """Like :func:`number` for one number; returns a Python float."""
    arr = number(name, value, **kw)
    if arr.ndim != 0:
        raise InputError(name, "a single number", f"an array of shape {arr.shape}",
                         f"pass one value for {name}")
    return float(arr)


def _show(arr: np.ndarray, mask: np.ndarray):
    if arr.ndim == 0:
        return float(arr)
    return arr[mask][:5].tolist()


def _expected(lo, hi, lo_open, hi_open) -> str:
    if lo is None and hi is None:
        return "a number"
    if hi is None:
        return f"a number {'>' if lo_open else '>='} {lo:g}"
    if lo is None:
        return f"a number {'<' if hi_open else '<='} {hi:g}"
    return (f"a number in {'(' if lo_open else '['}{lo:g}, {hi:g}{')' if hi_open else ']'}")


def rate(name: str, value: Any, *, allow_zero: bool = True, hi: float = 10.0) -> np.ndarray:
    """An annual rate as a fraction (0.05 = 5 %): never negative, at most ``hi`` (1000 %)."""
    return number(name, value, lo=0.0, lo_open=not allow_zero, hi=hi,
                  fix=f"give {name} as a fraction >= 0 (e.g. 0.05 for 5 %)")


def fraction(name: str, value: Any, *, lo_open: bool = False, hi_open: bool = False,
             example: str = "0.9") -> np.ndarray:
    """A share in [0, 1] (bounds open on request)."""
    return number(name, value, lo=0.0, hi=1.0, lo_open=lo_open, hi_open=hi_open,
                  fix=f"give {name} as a fraction (e.g. {example}), not a percentage")


def day_count(value: Any) -> int:
    """Check the day-count basis (365 = exact year, 360 = banking year)."""
    if isinstance(value, bool) or value not in DAY_COUNTS:
        raise InputError("day_count", "365 or 360", value,
                         "use 365 (exact, DOMAIN.md §10) or 360 (banking convention)")
    return int(value)


def wrap(result: np.ndarray, *inputs: Any, name: str | None = None):
    """Give ``result`` the shape of the inputs: a Series (index of the first Series input),
    a float for all-scalar inputs, else the ndarray."""
    for x in inputs:
        if isinstance(x, pd.Series):
            if len(x) != np.size(result):
                raise InputError("inputs", "Series and arrays of the same length",
                                 f"lengths {len(x)} and {np.size(result)}",
                                 "align the inputs (same index) before calling")
            return pd.Series(np.asarray(result, dtype="float64").reshape(len(x)), index=x.index,
                             name=name)
    result = np.asarray(result, dtype="float64")
    if result.ndim == 0:
        return float(result)
    return result


def broadcast(**arrays: np.ndarray) -> dict[str, np.ndarray]:
    """Broadcast named arrays together, with a clear error when shapes disagree."""
    try:
        out = np.broadcast_arrays(*arrays.values())
    except ValueError:
        shapes = {k: np.shape(v) for k, v in arrays.items()}
        raise InputError("inputs", "scalars or arrays of the same length", shapes,
                         "pass scalars or Series/arrays of one common length") from None
    return dict(zip(arrays, out, strict=True))


def column(df: pd.DataFrame, col: str, table: str, **kw) -> np.ndarray:
    """Check a numeric column with :func:`number`, naming it ``table.col`` in errors."""
    s = df[col]
    if s.dtype == bool:
        raise InputError(f"{table}.{col}", "numbers", "booleans", f"pass numbers in {col}")
    try:
        values = pd.to_numeric(s, errors="raise").to_numpy(dtype="float64", na_value=np.nan)
    except (TypeError, ValueError):
        raise InputError(f"{table}.{col}", "numbers", s.head(5).tolist(),
                         f"convert {col} to numbers (euros, fractions or days)") from None
    return number(f"{table}.{col}", values, **kw)


def text(labels: Mapping[str, Mapping[str, str]], key: str, lang: str) -> str:
    """Label lookup that fails loudly on a missing key (programming error)."""
    check_lang(lang)
    return labels[key][lang]


def _word(labels: Mapping[str, Mapping[str, str]], code, lang: str):
    if not isinstance(code, str):
        return code
    if code in labels:
        return labels[code][lang]
    return catalogue_text(code, lang)


def words(df: pd.DataFrame, labels: Mapping[str, Mapping[str, str]], lang: str, *,
          values: tuple[str, ...] = ()) -> pd.DataFrame:
    """A copy of ``df`` (in codes) in words: column names, index labels, axis names and the
    values of the code columns ``values``, from ``labels`` (a label view of the catalogue) and
    else from the catalogue itself; codes known to neither pass through unchanged."""
    lang = check_lang(lang)
    out = df.copy()
    for col in values:
        if col in out.columns:
            out[col] = out[col].map(lambda v: _word(labels, v, lang))
    out.columns = pd.Index([_word(labels, k, lang) for k in out.columns],
                           name=_word(labels, out.columns.name, lang))
    if out.index.dtype == object or pd.api.types.is_string_dtype(out.index.dtype):
        out.index = pd.Index([_word(labels, k, lang) for k in out.index])
    out.index.name = _word(labels, df.index.name, lang)
    return out


class ResultMixin(Result):
    """The result protocol for finance results (:class:`creditlab._results.Result`).

    ``summary()`` returns the result's table in codes (English column names, index labels and
    code values); ``to_frame(lang="fr")`` is the same table in words, from the label view
    ``_labels`` (catalogue keys ``<area>.<code>``) and the catalogue; ``_repr_html_`` shows the
    French table (escaped) under the result's title. Results define ``_title`` and ``_labels``
    and list in ``_code_columns`` the columns whose values are codes.
    """

    _title: Mapping[str, str] = {"fr": "Résultat", "en": "Result"}
    _labels: Mapping[str, Mapping[str, str]] = {}

    def summary(self) -> pd.DataFrame:  # pragma: no cover - overridden
        raise NotImplementedError

    def to_frame(self, lang: str = "fr") -> pd.DataFrame:
        """``summary()`` in words (``"fr"`` or ``"en"``)."""
        return words(self.summary(), self._labels, lang, values=self._code_columns)

    def _repr_html_(self) -> str:
        return f"<h4>{html.escape(self._title['fr'])}</h4>" + self.to_frame("fr").to_html(
            float_format=lambda v: f"{v:,.2f}", na_rep="—", escape=True)
