"""Reading answers as a French trainee types them.

Numbers: decimal comma (``1 234,56``), spaces or dots as thousands separators (``12 500``,
``1.234.567``, ``20.000``), ``%`` and ``€`` (or "euros", "jours") accepted, typographic minus.
A single dot followed by exactly three digits is ambiguous: ``20.000`` cannot be a decimal
(nobody writes a useless trailing zero), so it is read as 20 000; ``3.173`` is read as a decimal
(the Python/English habit). Either way the reading is reported, so that the trainee can see how
the answer was understood. Dates are day first (``31/12/2025``) or ISO, never month first.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

__all__ = ["ReadNumber", "read_number", "read_date"]

_UNITS = re.compile(r"(€|euros?|eur|jours?|j)\s*$")
_DAY_FIRST = re.compile(r"^\s*\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\s*$")
_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")


@dataclass(frozen=True)
class ReadNumber:
    """A typed number: ``value`` (None when unreadable), ``percent`` when a % sign was typed,
    and ``note``, a French sentence saying how an ambiguous answer was read ("" otherwise)."""

    value: float | None
    percent: bool = False
    note: str = ""


def _fr(value: float) -> str:
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u202f").replace(".", ",")


def read_number(answer) -> ReadNumber:
    """Read ``1234.5``, ``"1 234,56 €"``, ``"55,93 %"``, ``"20.000"`` or ``"72 jours"``.

    Python numbers pass through. Returns ``ReadNumber(None)`` for anything else (text, several
    commas, a bool), never raises.
    """
    if isinstance(answer, bool) or answer is None:
        return ReadNumber(None)
    if isinstance(answer, int | float):
        value = float(answer)
        return ReadNumber(value if math.isfinite(value) else None)
    if not isinstance(answer, str):
        return ReadNumber(None)
    text = answer.strip().lower().replace("\u2212", "-").replace("\u2013", "-")
    for space in ("\u202f", "\u00a0", "\u2009"):
        text = text.replace(space, " ")
    percent = "%" in text
    text = text.replace("%", "").strip()
    text = _UNITS.sub("", text).strip()
    sign = ""
    if text[:1] in "+-" and text:
        sign, text = ("-" if text[0] == "-" else ""), text[1:].strip()
    # spaces only between groups of three digits (9 863, 1 234 567,5)
    if " " in text:
        head, *groups = text.split(" ")
        if not head.isdigit() or not all(re.fullmatch(r"\d{3}([.,]\d*)?", g) for g in groups):
            return ReadNumber(None)
        text = head + "".join(groups)
    note = ""
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):        # 1.234,56: dots group the thousands
            int_part, dec = text.rsplit(",", 1)
            if not _GROUPED.match(int_part):
                return ReadNumber(None)
            text = int_part.replace(".", "") + "." + dec
        else:                                        # 1,234.56 (English): read, and say so
            int_part, dec = text.rsplit(".", 1)
            if not re.fullmatch(r"\d{1,3}(,\d{3})+", int_part):
                return ReadNumber(None)
            text = int_part.replace(",", "") + "." + dec
            note = "virgule lue comme séparateur de milliers et point comme virgule décimale"
    elif "," in text:
        if text.count(",") > 1:
            return ReadNumber(None)
        text = text.replace(",", ".")
    elif text.count(".") > 1:
        if not _GROUPED.match(text):
            return ReadNumber(None)
        text = text.replace(".", "")
        note = "points lus comme séparateurs de milliers"
    elif re.fullmatch(r"[1-9]\d{0,2}\.\d{3}", text):
        if text.endswith("0"):                       # 20.000, 1.250: a thousands separator
            text = text.replace(".", "")
            note = "point lu comme séparateur de milliers (en français la virgule est décimale)"
        else:
            note = "point lu comme virgule décimale"
    if not re.fullmatch(r"\d+(\.\d*)?|\.\d+", text):
        return ReadNumber(None)
    value = float(sign + text)
    if note:
        note = f"Réponse lue : {sign}{_fr(abs(value))}{' %' if percent else ''} ({note})."
    return ReadNumber(value, percent, note)


def read_date(answer) -> pd.Timestamp | None:
    """A date from a date object, "2025-12-31" or the French "31/12/2025" (day first, never
    month first); None if unreadable or empty."""
    try:
        if isinstance(answer, str) and _DAY_FIRST.match(answer):
            text = answer.strip().replace(".", "/").replace("-", "/")
            ts = pd.to_datetime(text, format="%d/%m/%Y" if len(text.split("/")[-1]) == 4
                                else "%d/%m/%y")
        else:
            ts = pd.Timestamp(answer)
    except (TypeError, ValueError, OverflowError):
        return None
    return None if pd.isna(ts) else pd.Timestamp(ts).normalize()
