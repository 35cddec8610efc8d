"""Language handling: French by default for trainees, ``lang="en"`` everywhere.

Modules keep their own label dictionaries next to the code that uses them and call
:func:`pick` or :func:`label`; nothing here needs editing when a module adds labels.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from creditlab.exceptions import InputError
from creditlab.io.tables import TABLES

Lang = Literal["fr", "en"]
LANGS: tuple[str, ...] = ("fr", "en")

__all__ = ["Lang", "LANGS", "check_lang", "pick", "label", "column_label", "format_eur",
           "format_pct"]


def check_lang(lang: str) -> str:
    """Return ``lang`` if supported, else raise a clear error."""
    if lang not in LANGS:
        raise InputError("lang", "'fr' or 'en'", lang, "use lang='fr' (default) or lang='en'")
    return lang


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


def format_eur(value: float, lang: str = "fr", decimals: int = 2) -> str:
    """Format an amount in euros: ``1 234,56 €`` (fr) or ``€1,234.56`` (en)."""
    check_lang(lang)
    if value is None or value != value:  # NaN
        return "—"
    s = f"{value:,.{decimals}f}"
    if lang == "fr":
        s = s.replace(",", "\u202f").replace(".", ",")
        return f"{s}\u00a0€"
    return f"€{s}"


def format_pct(value: float, lang: str = "fr", decimals: int = 1) -> str:
    """Format a fraction as a percentage: 0.1234 → ``12,3 %`` (fr) or ``12.3%`` (en)."""
    check_lang(lang)
    if value is None or value != value:
        return "—"
    s = f"{100 * value:.{decimals}f}"
    return f"{s.replace('.', ',')}\u00a0%" if lang == "fr" else f"{s}%"
