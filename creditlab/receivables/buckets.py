"""Age buckets of the aged balance: edges, codes, labels (shared by the computation and its
result object).

Codes are stable (``not_due``, ``dpd_1_30``, …, ``dpd_over_90``; ``age_0_30``, … by issue date);
the words come from the label catalogue (``aging_*`` keys of
``creditlab/data/labels/receivables.csv``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

from creditlab.exceptions import InputError
from creditlab.i18n import check_lang
from creditlab.labels import text

__all__ = ["AGING_LABELS", "bucket_labels", "bucket_codes", "MISSING_GROUP"]

#: The group code of a customer whose grouping column (segment, sales_rep, ...) is empty, in
#: the aged balance, the snapshot KPIs and the KPI history alike (words: "non renseigné").
MISSING_GROUP = "not_set"

Basis = Literal["due_date", "issue_date"]
DisputedMode = Literal["separate", "include", "exclude"]
CreditsMode = Literal["age", "separate"]

_AGING_KEYS = ("not_due", "days", "disputed_separate", "disputed_include", "credits", "total",
               "total_row", "missing_group", "amount", "share", "past_due", "share_past_due",
               "max_days_past_due", "n_items", "name", "title_due_date", "title_issue_date",
               "days_past_due", "days_since_issue", "bucket", "rows_shown")
#: French / English labels used by the aged balance (columns, totals, summaries), read from the
#: label catalogue (keys ``aging_<key>`` of ``creditlab/data/labels/receivables.csv``).
AGING_LABELS: dict[str, dict[str, str]] = {
    k: {"fr": text(f"aging_{k}", "fr"), "en": text(f"aging_{k}", "en")} for k in _AGING_KEYS}


def _lbl(key: str, lang: str) -> str:
    return AGING_LABELS[key][lang]


def _check_buckets(buckets: object) -> tuple[int, ...]:
    """Validate bucket edges: non-empty, integers >= 0, strictly increasing; 0 prepended."""
    fix = "pass increasing whole numbers of days >= 0, e.g. buckets=(0, 30, 60, 90)"
    if isinstance(buckets, str | bytes) or not isinstance(buckets, Sequence | np.ndarray):
        raise InputError("buckets", "a sequence of day counts", buckets, fix)
    edges = list(buckets)
    if not edges:
        raise InputError("buckets", "at least one edge", buckets, fix)
    out = []
    for e in edges:
        if isinstance(e, bool | np.bool_) or not isinstance(e, int | float | np.integer |
                                                             np.floating):
            raise InputError("buckets", "whole numbers of days", buckets, fix)
        if not np.isfinite(e) or float(e) != int(e):
            raise InputError("buckets", "whole numbers of days", buckets, fix)
        out.append(int(e))
    if out[0] < 0:
        raise InputError("buckets", "edges >= 0", buckets, fix)
    if any(b <= a for a, b in zip(out, out[1:], strict=False)):
        raise InputError("buckets", "strictly increasing edges", buckets, fix)
    if out[0] > 0:
        out.insert(0, 0)
    return tuple(out)


def bucket_labels(buckets: Sequence[int] = (0, 30, 60, 90), basis: Basis = "due_date",
                  lang: str = "fr") -> list[str]:
    """Column labels of the age buckets, in order.

    ``basis="due_date"``: ``["non échu", "1-30 j", "31-60 j", "61-90 j", "> 90 j"]`` for the
    default edges; ``basis="issue_date"``: ``["0-30 j", "31-60 j", "61-90 j", "> 90 j"]``.
    """
    check_lang(lang)
    edges = _check_buckets(buckets)
    d = _lbl("days", lang)
    out = [_lbl("not_due", lang)] if basis == "due_date" else []
    for i in range(len(edges) - 1):
        lo = edges[i] + 1 if (basis == "due_date" or i > 0) else 0
        hi = edges[i + 1]
        out.append(f"{lo}-{hi} {d}" if hi > lo else f"{hi} {d}")
    out.append(f"> {edges[-1]} {d}")
    return out


def bucket_codes(buckets: Sequence[int] = (0, 30, 60, 90),
                 basis: Basis = "due_date") -> list[str]:
    """Stable codes of the age buckets, in order (the order of :func:`bucket_labels`).

    ``basis="due_date"``: ``["not_due", "dpd_1_30", "dpd_31_60", "dpd_61_90", "dpd_over_90"]``
    for the default edges; ``basis="issue_date"``: ``["age_0_30", "age_31_60", "age_61_90",
    "age_over_90"]``.
    """
    edges = _check_buckets(buckets)
    prefix = "dpd" if basis == "due_date" else "age"
    out = ["not_due"] if basis == "due_date" else []
    for i in range(len(edges) - 1):
        lo = edges[i] + 1 if (basis == "due_date" or i > 0) else 0
        out.append(f"{prefix}_{lo}_{edges[i + 1]}")
    out.append(f"{prefix}_over_{edges[-1]}")
    return out


def _bucket_codes(days: np.ndarray, edges: tuple[int, ...], basis: str) -> np.ndarray:
    """Column index of each item (0 = not yet due for the due-date basis)."""
    e = np.asarray(edges, dtype="int64")
    if basis == "due_date":
        # days <= 0 → 0; e0 < days <= e1 → 1; ...; days > ek → k + 1
        return np.searchsorted(e, days, side="left")
    # 0 <= days <= e1 → 0; e1 < days <= e2 → 1; ...; days > ek → k
    return np.searchsorted(e[1:], days, side="left")
