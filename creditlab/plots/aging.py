"""Plots of the aged balance (balance âgée). Every function takes ``ax=None`` and returns the Axes.

They draw an :class:`creditlab.receivables.AgedBalance` and compute nothing new.
"""

from __future__ import annotations

import textwrap

import numpy as np

from creditlab.exceptions import InputError
from creditlab.i18n import check_lang, format_eur
from creditlab.plots._axes import axes_or_new, eur_axis

__all__ = ["plot_aged_buckets", "plot_top_overdue"]

_TEXT = {
    "euros": {"fr": "montant (€)", "en": "amount (€)"},
    "buckets_title": {"fr": "Encours par tranche d'ancienneté", "en": "Receivables by age bucket"},
    "top_title": {"fr": "Clients les plus en retard (montant échu)",
                  "en": "Most overdue (past-due amount)"},
    "top_title_groups": {"fr": "Groupes les plus en retard (montant échu)",
                         "en": "Most overdue groups (past-due amount)"},
    "nothing": {"fr": "aucun montant échu", "en": "nothing past due"},
}
#: Bucket colours from "not yet due" (green) to the oldest bucket (dark red); disputed in grey,
#: unapplied credits (``credits="separate"``) in blue.
_COLORS = ("#4c9a5a", "#f2c94c", "#f2994a", "#e0603f", "#b3261e", "#7a1712", "#4a0d0a")
_DISPUTED_COLOR = "#8c8c8c"
_CREDITS_COLOR = "#4a7ab5"


def _bucket_colors(n: int, with_not_due: bool) -> list[str]:
    if with_not_due:
        rest = list(_COLORS[1:])
        return [_COLORS[0]] + [rest[min(i, len(rest) - 1)] for i in range(n - 1)]
    return [_COLORS[1:][min(i, len(_COLORS) - 2)] for i in range(n)]


def _check_result(aged) -> None:
    if not hasattr(aged, "bucket_columns") or not hasattr(aged, "table"):
        raise InputError("aged", "an AgedBalance (creditlab.receivables.aged_balance)",
                         type(aged).__name__, "pass the result of aged_balance(...)")


def plot_aged_buckets(aged, ax=None, lang: str | None = None):
    """Bar chart of the total open amount per age bucket, disputes and unapplied credits.

    The disputed and unapplied-credits columns are drawn when the aged balance shows them.

    Parameters
    ----------
    aged : AgedBalance
    ax : matplotlib Axes, optional
    lang : {"fr", "en"} or None
        Language of the labels (None: French).

    Returns
    -------
    matplotlib Axes
    """
    _check_result(aged)
    ax = axes_or_new(ax)
    lang = check_lang(lang or "fr")
    words = aged.words(lang)
    cols = list(aged.bucket_columns)
    colors = _bucket_colors(len(cols), aged.basis == "due_date")
    if aged.disputed_column is not None:
        cols.append(aged.disputed_column)
        colors.append(_DISPUTED_COLOR)
    credits_column = getattr(aged, "credits_column", None)
    if credits_column is not None:
        cols.append(credits_column)
        colors.append(_CREDITS_COLOR)
    values = aged.totals[cols].to_numpy(dtype="float64")
    bars = ax.bar(range(len(cols)), values, color=colors)
    ticks = [textwrap.fill(words[c], 16) if c == credits_column else words[c]
             for c in cols]  # long label
    ax.set_xticks(range(len(cols)), ticks)
    ax.axhline(0, color="black", linewidth=0.6)
    for rect, v in zip(bars, values, strict=True):
        ax.annotate(format_eur(v, lang, 0), (rect.get_x() + rect.get_width() / 2, v),
                    ha="center", va="bottom" if v >= 0 else "top", fontsize=8)
    ax.set_ylabel(_TEXT["euros"][lang])
    ax.set_title(_TEXT["buckets_title"][lang])
    ax.yaxis.set_major_formatter(lambda v, _pos: format_eur(v, lang, 0))
    return ax


def plot_top_overdue(aged, n: int = 10, ax=None, lang: str | None = None):
    """Stacked horizontal bars of the ``n`` groups with the largest past-due amounts.

    One bar per group (largest on top), split by past-due bucket (``basis="due_date"``) or by age
    bucket (``basis="issue_date"``), with the disputed column when the aged balance shows it
    separately and the unapplied credits (``credits="separate"``) drawn left of zero.
    ``lang`` gives the language of the labels (None: French).

    Returns
    -------
    matplotlib Axes
    """
    _check_result(aged)
    ax = axes_or_new(ax)
    lang = check_lang(lang or "fr")
    words = aged.words(lang)
    top = aged.top_overdue(n)
    cols = list(aged.past_due_columns)
    colors = _bucket_colors(len(aged.bucket_columns), aged.basis == "due_date")
    colors = colors[1:] if aged.basis == "due_date" else colors
    if aged.disputed == "separate":
        cols.append(aged.disputed_column)
        colors.append(_DISPUTED_COLOR)
    credits_column = getattr(aged, "credits_column", None)
    if credits_column is not None:
        cols.append(credits_column)
        colors.append(_CREDITS_COLOR)
    title = _TEXT["top_title" if aged.by == ("customer_id",) else "top_title_groups"][lang]
    ax.set_title(title)
    if top.empty:
        ax.text(0.5, 0.5, _TEXT["nothing"][lang], ha="center", va="center",
                transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    data = aged.table.loc[top.index, cols].to_numpy(dtype="float64")[::-1]
    names = top["name"] if aged.names is not None else None
    labels = [str(i) if not isinstance(i, tuple) else " / ".join(map(str, i)) for i in top.index]
    if names is not None:
        labels = [f"{lab} {nm}"[:40] for lab, nm in zip(labels, names, strict=True)]
    labels = labels[::-1]
    y = np.arange(len(labels))
    left_pos = np.zeros(len(labels))
    left_neg = np.zeros(len(labels))
    for j, (c, color) in enumerate(zip(cols, colors, strict=True)):
        v = data[:, j]
        left = np.where(v >= 0, left_pos, left_neg)
        ax.barh(y, v, left=left, color=color, label=words[c])
        left_pos += np.where(v >= 0, v, 0.0)
        left_neg += np.where(v < 0, v, 0.0)
    ax.set_yticks(y, labels)
    ax.axvline(0, color="black", linewidth=0.6)
    ax.set_xlabel(_TEXT["euros"][lang])
    eur_axis(ax.xaxis, lang)  # compact ticks: a long bar axis would overlap
    ax.legend(fontsize=8, loc="lower right")
    return ax
