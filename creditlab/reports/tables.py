"""Tables in words: the column names, code values and number formats a person reads.

One place decides how a report column is shown, for the HTML page, the workbooks and the CSV
files alike (:mod:`creditlab.reports.workbook`):

- its **name** (:func:`column_words`): the report's own labels, else the label catalogue under
  the code (``customer_id`` → "code client"), else under ``col.<code>``
  (``creditlab/data/labels/documents.csv``: ``days_left`` → "jours restants"), else the code;
- its **kind** (:func:`column_kind`): ``money``, ``pct``, ``days``, ``int``, ``date``, ``bool``
  or ``text``, from the catalogue's unit, else the dtype and a few name rules (``*_amount``,
  ``*_ttc``, ``share``, ``*_ratio``...);
- its **values**: booleans as "Oui"/"Non" ("Yes"/"No"), code columns in words (dispute causes
  ``dispute_cause.<code>``, the dunning vocabularies), numbers with Babel's French or English
  separators (:mod:`creditlab.i18n`), dates ``31/12/2025`` (``2025-12-31``).

:func:`page_table` returns the escaped, formatted Styler of a report page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import pandas as pd

from creditlab._safety import escape_frame, escape_text
from creditlab.dunning import dunning_labels
from creditlab.i18n import check_lang, format_eur, format_number, format_pct
from creditlab.labels import _load, text, unit_of
from creditlab.reports.common import _is_money, _words

__all__ = ["column_words", "column_kind", "column_definition", "in_words", "page_table",
           "value_words", "KINDS"]

KINDS = ("money", "pct", "days", "int", "date", "bool", "text")
_PCT_NAMES = ("share", "utilisation", "limit_utilisation")


def _key(code: str) -> str | None:
    keys = _catalogue_keys()
    if code in keys:
        return code
    return f"col.{code}" if f"col.{code}" in keys else None


def _catalogue_keys() -> frozenset:
    return frozenset(_load()[0])


def column_words(code, lang: str = "fr", labels: Mapping | None = None):
    """The name of column ``code`` in ``lang`` (see the module docstring); non-text codes
    (a bucket edge, a tuple) are returned as they are."""
    if not isinstance(code, str):
        return code
    if labels and code in labels:
        return _words(code, labels, lang)
    key = _key(code)
    return text(key, lang) if key else code


#: An ageing bucket's name: "31-60 j" ("31-60 d"), "> 90 j".
_BUCKET = re.compile(r"^(?:(\d+)-(\d+)|> ?(\d+)) ?[jd]$")


def column_definition(code, lang: str = "fr") -> str | None:
    """One sentence saying what column ``code`` holds, in ``lang``: the catalogue key
    ``coldef.<code>`` (``creditlab/data/labels/documents.csv``); an ageing bucket ("31-60 j",
    "> 90 j") has a definition from its bounds. None when no definition is known (a column's
    words are not looked up: "part" or "montant" would get another table's definition)."""
    if not isinstance(code, str):
        return None
    bucket = _BUCKET.match(code.strip())
    if bucket:
        low, high, over = bucket.groups()
        return (text("coldef_bucket_over", lang, days=over) if over
                else text("coldef_bucket", lang, low=low, high=high))
    key = f"coldef.{code}"
    return text(key, lang) if key in _catalogue_keys() else None


def column_kind(code, series: pd.Series | None = None) -> str:
    """The kind of column ``code`` (:data:`KINDS`), from the catalogue's unit, else the dtype
    of ``series`` and the name."""
    series = pd.Series(dtype=object) if series is None else series
    if pd.api.types.is_bool_dtype(series):
        return "bool"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    name = code if isinstance(code, str) else ""
    key = _key(name) if name else None
    unit = unit_of(key) if key else ""
    numeric = pd.api.types.is_numeric_dtype(series)
    if unit.startswith("eur") or (numeric and name and _is_money(name)):
        return "money"
    if unit == "fraction" or (numeric and (name in _PCT_NAMES or name.endswith(("_ratio",
                                                                                 "_rate")))):
        return "pct"
    if unit == "days" or (numeric and ("days" in name.split("_") or name.endswith("_j"))):
        return "days"
    if unit == "count" or pd.api.types.is_integer_dtype(series):
        return "int"
    return "text"


def value_words(value, prefix: str, lang: str = "fr"):
    """A code value in words: the catalogue key ``<prefix><value>`` (e.g.
    ``dispute_cause.quality`` → "qualité"), else the dunning vocabularies, else the value."""
    if not isinstance(value, str) or not value:
        return value
    for key in (f"{prefix}{value}", value):
        if key in _catalogue_keys():
            return text(key, lang)

    words = ", ".join(dunning_labels(part.strip(), lang) for part in value.split(","))
    return words


def in_words(frame: pd.DataFrame, lang: str = "fr", *, labels: Mapping | None = None,
             values: Mapping[str, str] | Iterable[str] = (), index: bool = False,
             customers: pd.DataFrame | None = None) -> tuple[pd.DataFrame, dict]:
    """``frame`` with French (English) column names, Oui/Non and code values in words.

    Parameters
    ----------
    labels : dict, optional
        ``{code: {"fr": ..., "en": ...}}`` words that win over the catalogue.
    values : mapping or iterable
        Code columns whose values are shown in words: ``{column: key prefix}`` (e.g.
        ``{"cause": "dispute_cause."}``), or column names (dunning vocabularies).
    index : bool
        Turn the index into the first columns first (a named index always is).
    customers : DataFrame, optional
        ``customer_id, name``: a ``name`` column is added after ``customer_id`` when the frame
        has none.

    Returns
    -------
    (DataFrame, dict)
        The table in words and ``{column in words: kind}`` (:func:`column_kind` of the codes).
    """
    shown, kinds, _ = _in_words(frame, lang, labels=labels, values=values, index=index,
                                customers=customers)
    return shown, kinds


def _in_words(frame, lang, *, labels=None, values=(), index=False, customers=None):
    """:func:`in_words`, plus ``{column in words: code}``."""
    check_lang(lang)
    out = frame.reset_index() if (index or any(n is not None for n in frame.index.names)) \
        else frame.copy()
    if (customers is not None and "customer_id" in out.columns and "name" not in out.columns
            and "name" in customers.columns):
        names = customers.drop_duplicates("customer_id").set_index("customer_id")["name"]
        out.insert(out.columns.get_loc("customer_id") + 1, "name",
                   out["customer_id"].map(names))
    prefixes = dict(values) if isinstance(values, Mapping) else dict.fromkeys(values, "")
    for col, prefix in prefixes.items():
        if col in out.columns:
            out[col] = out[col].map(lambda v, p=prefix: value_words(v, p, lang))
    kinds = {c: column_kind(c, out[c]) for c in out.columns}
    yes_no = {True: text("report_yes", lang).capitalize(),
              False: text("report_no", lang).capitalize()}
    for c, kind in kinds.items():
        if kind == "bool":
            out[c] = out[c].map(yes_no)
    names = {c: column_words(c, lang, labels) for c in out.columns}
    if len(set(names.values())) < len(names):  # two codes with the same words: keep both
        seen: dict = {}
        for c, n in names.items():
            seen[n] = seen.get(n, 0) + 1
            if seen[n] > 1:
                names[c] = f"{n} ({c})"
    out = out.rename(columns=names)
    return out, {names[c]: k for c, k in kinds.items()}, {n: c for c, n in names.items()}


def _formatter(kind: str, lang: str):
    if kind == "money":
        return lambda v: format_eur(v, lang)
    if kind == "pct":
        return lambda v: format_pct(v, lang)
    if kind == "days":
        return lambda v: "—" if pd.isna(v) else format_number(v, lang, 0)
    if kind == "int":
        return lambda v: "—" if pd.isna(v) else format_number(v, lang, 0)
    if kind == "date":
        fmt = "%d/%m/%Y" if lang == "fr" else "%Y-%m-%d"
        return lambda v: "" if pd.isna(v) else pd.Timestamp(v).strftime(fmt)
    return None


def page_table(frame: pd.DataFrame, lang: str = "fr", *, n: int | None = None, **kw):
    """The Styler a report page shows: :func:`in_words` (``kw``), then money, percentages,
    days, counts and dates formatted for ``lang``, "—" for missing numbers, every text cell,
    name and index label HTML-escaped, no row numbers."""
    shown, kinds = in_words(frame if n is None else frame.head(n), lang, **kw)
    fmts = {escape_text(c): f for c, k in kinds.items() if (f := _formatter(k, lang))}
    shown = escape_frame(shown)
    return shown.style.format(fmts, na_rep="—").hide(axis="index")
