"""Tables as a trainee reads them: French headers, French numbers, Oui/Non.

Results keep stable English codes as column names (``customer_id``, ``dpd_1_30``,
``open_amount``) so that code and tests can rely on them. :func:`show` returns a copy for the
screen: column and index names in words (the course's own labels, ``course.<code>`` keys of
``creditlab/data/labels/course.csv`` that change nothing else in the package, then the label
catalogue, then the French labels of the canonical tables of :mod:`creditlab.io.tables`), code
values
translated (``invoice`` → « facture »), booleans as « Oui » / « Non », dates as 31/12/2025 and
numbers in the French convention of :mod:`creditlab.i18n` (Babel: ``1 234 567 €``,
``12,5 %``, ``0,56``). The unit of a column (euros, fraction, days, count) comes from the
catalogue; ``eur=``, ``pct=``, ``decimals=`` override it for the columns named.

The table returned is a :class:`pandas.io.formats.style.Styler` over the translated copy: the
cells keep their numbers (the display only formats them) and the HTML escapes every value, so
a customer name from an ERP export cannot inject markup.

>>> show(items.head())                                              # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from creditlab.i18n import check_lang, format_date, format_eur, format_number, format_pct
from creditlab.labels import text, unit_of
from creditlab.tables import TABLES

__all__ = ["show", "french_frame", "column_words", "YES_NO"]

#: The words of a boolean cell.
YES_NO = {"fr": ("Oui", "Non"), "en": ("Yes", "No")}

_SNAKE = re.compile(r"^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)+$")
_DOT_DECIMAL = re.compile(r"^-?\d+\.\d+$")


def _table_label(name: str) -> str | None:
    for table in TABLES.values():
        try:
            return table.column(name).label_fr
        except KeyError:
            continue
    return None


def _word(key: str, lang: str) -> str:
    """The course's words for a code (``course.<code>`` in ``data/labels/course.csv``: they
    change no other output of the package), else the catalogue's, else the code itself."""
    course = text(f"course.{key}", lang)
    return course if course != f"course.{key}" else text(key, lang)


def column_words(name, lang: str = "fr"):
    """The words of a column or index name: the catalogue, then the canonical tables' French
    labels; an unknown code keeps its words with spaces for underscores (never snake_case on
    screen). Non-strings are returned unchanged."""
    if not isinstance(name, str):
        return name
    words = _word(name, lang)
    if words != name:
        return words
    if lang == "fr":
        label = _table_label(name)
        if label:
            return label
        if name in TABLES:
            return TABLES[name].label_fr
    return name.replace("_", " ") if _SNAKE.match(name) else name


def _unit(name) -> str:
    if not isinstance(name, str):
        return ""
    unit = unit_of(f"course.{name}") or unit_of(name)
    if unit:
        return unit
    for table in TABLES.values():
        try:
            if table.column(name).unit == "EUR":
                return "eur"
        except KeyError:
            continue
    return ""


def _cell_formatter(series: pd.Series, unit: str, lang: str, decimals: int | None):
    yes, no = YES_NO[lang]
    if series.dtype == object:
        values = series.dropna()
        if len(values) and all(isinstance(v, int | float | np.integer | np.floating)
                               and not isinstance(v, bool | np.bool_) for v in values):
            series = series.astype(float)
    if pd.api.types.is_bool_dtype(series.dtype):
        return lambda v: "—" if pd.isna(v) else (yes if v else no)
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return lambda v: format_date(v, lang) or "—"
    if not pd.api.types.is_numeric_dtype(series.dtype):
        def other(v):
            if isinstance(v, bool | np.bool_):
                return yes if v else no
            if isinstance(v, pd.Timestamp):
                return format_date(v, lang)
            if isinstance(v, str):
                if lang == "fr" and _DOT_DECIMAL.match(v):  # a grade typed "12.5"
                    return v.replace(".", ",")
                return _word(v, lang)
            if isinstance(v, float | np.floating):
                return format_number(v, lang, 2)
            if isinstance(v, list | tuple | set | np.ndarray):  # a list of codes
                return ", ".join(other(x) for x in v) or "—"
            return "—" if v is None or (np.ndim(v) == 0 and pd.isna(v)) else str(v)
        return other
    if unit in ("eur", "eur_ttc", "eur_ht"):
        d = decimals
        if d is None:  # cents on invoice-sized amounts, whole euros on portfolio totals
            biggest = series.abs().max()
            d = 0 if (pd.isna(biggest) or biggest >= 100_000) else 2
        return lambda v: format_eur(v, lang, d)
    if unit in ("fraction", "rate"):
        d = 1 if decimals is None else decimals
        return lambda v: format_pct(v, lang, d)
    if decimals is None:
        values = series.dropna().to_numpy(dtype=float)
        integral = bool(len(values) and np.all(np.isclose(values, np.round(values), rtol=0,
                                                          atol=1e-9)))
        small = bool(len(values)) and float(np.nanmax(np.abs(values))) < 1
        decimals = (0 if (integral or unit == "count") else 1 if unit == "days"
                    else 4 if small else 2)
    return lambda v, d=decimals: format_number(v, lang, d)


def french_frame(df: pd.DataFrame | pd.Series, lang: str = "fr", *, eur: Iterable = (),
                 pct: Iterable = (), decimals: dict | int | None = None,
                 rows: bool = False) -> pd.DataFrame:
    """A copy of ``df`` for reading: every cell as text in ``lang`` (numbers, percentages,
    euros, dates, Oui/Non, code values), column and index names in words.

    Parameters
    ----------
    df : DataFrame or Series
    lang : {"fr", "en"}
    eur, pct : column names
        Columns shown as euros (cents unless the column reaches 100 000 €) or as percentages of a
        fraction (0.125 → 12,5 %), whatever their catalogue unit.
    decimals : int or {column: int}, optional
        Decimals of the columns named (or of every numeric column); by default euros without
        cents from 100 000 €, percentages with one decimal, whole numbers without decimals, others with 2 (4 when all are below 1).
    rows : bool, default False
        The units go by row (a table of indicators × periods: ``summary()`` of a result, a
        KPI table transposed): each row is formatted by the unit of its index label, and
        ``eur``/``pct``/``decimals`` name rows.

    Returns
    -------
    DataFrame
        Same shape and order, strings only; NaN shown as « — ».
    """
    check_lang(lang)
    if isinstance(df, pd.Series):
        df = df.to_frame(df.name if df.name is not None else "value")
    if rows:
        return french_frame(df.T, lang, eur=eur, pct=pct, decimals=decimals).T
    eur, pct = set(eur), set(pct)
    out = {}
    for position, col in enumerate(df.columns):  # by position: duplicated names survive
        unit = ("eur" if col in eur else "fraction" if col in pct else _unit(col)) \
            if isinstance(col, str) else ""
        d = decimals.get(col) if isinstance(decimals, dict) else decimals
        series = df.iloc[:, position]
        fmt = _cell_formatter(series, unit, lang, d)
        out[position] = [("—" if (not isinstance(v, str) and np.ndim(v) == 0 and pd.isna(v))
                          else fmt(v)) for v in series.tolist()]
    shown = pd.DataFrame(out, index=df.index, columns=range(len(df.columns)))
    shown.columns = [column_words(c, lang) for c in df.columns]
    if isinstance(shown.index, pd.DatetimeIndex):
        shown.index = [format_date(v, lang) for v in shown.index]
        shown.index.name = column_words(df.index.name, lang)
    elif shown.index.dtype == object or pd.api.types.is_string_dtype(shown.index.dtype):
        shown.index = shown.index.map(lambda v: column_words(v, lang)
                                      if isinstance(v, str) else v)
    shown.index.names = [column_words(n, lang) for n in df.index.names]
    return shown


def show(df: pd.DataFrame | pd.Series, lang: str = "fr", *, eur: Iterable = (),
         pct: Iterable = (), decimals: dict | int | None = None, rows: bool = False,
         index: bool = True):
    """:func:`french_frame` ready to display in a notebook (a Styler: numbers right-aligned,
    every value HTML-escaped, the index hidden with ``index=False``)."""
    shown = french_frame(df, lang, eur=eur, pct=pct, decimals=decimals, rows=rows)
    if rows or isinstance(df, pd.Series):
        numeric = list(shown.columns)
    else:
        numeric = [column_words(c, lang) for c in df.columns
                   if pd.api.types.is_numeric_dtype(df[c].dtype)]
    numeric = [c for c in numeric if c in shown.columns and shown.columns.is_unique]
    styler = shown.style.format(escape="html").format_index(escape="html", axis=1)
    if index:
        styler = styler.format_index(escape="html", axis=0)
    else:
        styler = styler.hide(axis="index")
    if numeric:
        styler = styler.set_properties(subset=numeric, **{"text-align": "right"})
    return styler
