"""Language handling: French by default for trainees, ``lang="en"`` everywhere.

The one home of French and English number formatting: :func:`format_number`,
:func:`format_eur`, :func:`format_pct`, :func:`format_date` on Babel (CLDR locale data, fr_FR
and en_GB), used by the documents (:mod:`creditlab.documents`), the reports, the plot axes
(:mod:`creditlab.plots._axes`) and the notebook displays.

Words live in the label catalogue (:mod:`creditlab.labels`, ``data/labels/*.csv``): results
carry codes and translate at the edge (``to_frame(lang)``); the label dictionaries still
importable are read-only views of it (:func:`creditlab.labels.label_view`), which
:func:`label` reads like any ``{key: {"fr": ..., "en": ...}}`` mapping.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Literal

import pandas as pd
from babel.dates import format_date as babel_date
from babel.numbers import format_currency, format_decimal, format_percent

from creditlab.exceptions import InputError
from creditlab.tables import TABLES

Lang = Literal["fr", "en"]
LANGS: tuple[str, ...] = ("fr", "en")

__all__ = ["Lang", "LANGS", "LOCALES", "check_lang", "deprecated_lang", "pick", "label",
           "column_label", "format_number", "format_eur", "format_pct", "format_date"]


def check_lang(lang: str) -> str:
    """Return ``lang`` if supported, else raise a clear error."""
    if lang not in LANGS:
        raise InputError("lang", "'fr' or 'en'", lang, "use lang='fr' (default) or lang='en'")
    return lang


def deprecated_lang(lang: str | None, where: str) -> str:
    """A computation's ``lang`` argument kept for one release (its result holds codes): warn
    with a :class:`DeprecationWarning` and return it checked, ``"fr"`` when not given."""
    if lang is None:
        return "fr"

    warnings.warn(f"{where}(lang=...) is deprecated: results hold codes; ask for words at the "
                  "edge (to_frame(lang), in_words(lang), the module's *_words function)",
                  DeprecationWarning, stacklevel=3)
    return check_lang(lang)


def pick(lang: str, *, fr: str, en: str) -> str:
    """Choose the French or English text."""
    return fr if check_lang(lang) == "fr" else en


def label(labels: Mapping[str, Mapping[str, str]], key: str, lang: str = "fr") -> str:
    """Look ``key`` up in a ``{key: {"fr": ..., "en": ...}}`` dictionary; fall back to the key."""
    check_lang(lang)
    entry = labels.get(key)
    if entry is None:
        return key
    return entry.get(lang) or entry.get("fr") or key


def column_label(table: str, column: str, lang: str = "fr") -> str:
    """French label (or the English column name) of a canonical column."""
    check_lang(lang)
    try:
        col = TABLES[table].column(column)
    except KeyError:
        return column
    return col.label_fr if lang == "fr" else column.replace("_", " ")


#: Babel locale of each language: French of France; British English (day-first dates, the
#: euro sign before the amount and after the minus sign: ``-€1,558.76``).
LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def _pattern(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def _missing(value) -> bool:
    if value is None:
        return True
    try:
        return value != value  # NaN, pd.NA raise below
    except TypeError:
        return True


def format_number(value: float, lang: str = "fr", decimals: int = 0) -> str:
    """A number with ``decimals`` decimals and grouped thousands (Babel, CLDR data):
    ``1 234 567,5`` (fr: narrow no-break space, decimal comma) or ``1,234,567.5`` (en).
    NaN or None gives ``—``."""
    check_lang(lang)
    if _missing(value):
        return "—"
    return format_decimal(float(value), format=_pattern(decimals), locale=LOCALES[lang],
                          decimal_quantization=True)


def format_eur(value: float, lang: str = "fr", decimals: int = 2) -> str:
    """Format an amount in euros (Babel, CLDR data): ``1 234,56 €`` and ``-1 558,76 €`` (fr),
    ``€1,234.56`` and ``-€1,558.76`` (en). NaN or None gives ``—``."""
    check_lang(lang)
    if _missing(value):
        return "—"
    sign = "-" if float(value) < 0 and round(abs(float(value)), decimals) != 0 else ""
    body = format_currency(abs(float(value)), "EUR", format=None, locale=LOCALES[lang],
                           currency_digits=False, decimal_quantization=True,
                           group_separator=True) if decimals == 2 else None
    if body is None:
        number = format_number(abs(float(value)), lang, decimals)
        body = f"{number}\u00a0€" if lang == "fr" else f"€{number}"
    return sign + body


def format_pct(value: float, lang: str = "fr", decimals: int | None = 1) -> str:
    """Format a fraction as a percentage (Babel): 0.1234 → ``12,3 %`` (fr, no-break space) or
    ``12.3%`` (en). ``decimals=None``: as few decimals as the value needs, at most 2
    (``0.125 → 12,5 %``, ``0.1 → 10 %``). NaN or None gives ``—``."""
    check_lang(lang)
    if _missing(value):
        return "—"
    if decimals is None:
        x = round(float(value) * 100, 6)
        decimals = 0 if x == round(x) else (1 if x * 10 == round(x * 10) else 2)
    sign = "\u00a0%" if lang == "fr" else "%"  # no-break space before % in French
    return format_percent(float(value), format=_pattern(decimals) + sign, locale=LOCALES[lang],
                          decimal_quantization=True)


def format_date(value, lang: str = "fr", style: str = "short") -> str:
    """A date: ``short`` ``31/12/2025`` (fr) or ``2025-12-31`` (en, ISO, as the reports have
    always written it); ``long`` ``1er janvier 2026`` / ``1 January 2026`` (Babel month names).
    ``""`` for a missing date."""
    check_lang(lang)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    ts = pd.Timestamp(value)
    if style == "short":
        return ts.strftime("%d/%m/%Y" if lang == "fr" else "%Y-%m-%d")
    if style != "long":
        raise InputError("style", "'short' or 'long'", style, "use style='short' or 'long'")
    day = "1er" if (lang == "fr" and ts.day == 1) else str(ts.day)
    return f"{day} {babel_date(ts.date(), format='MMMM y', locale=LOCALES[lang])}"
