"""Charts of the credit dashboard: KPI trends, exposure, limits, disputes, credit hold.

Every function takes ``ax=None`` (a new figure is created) and returns the Axes. They compute
nothing new: they draw the results of ``creditlab.receivables.kpi``, ``.exposure`` and
``creditlab.limits``.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib
import numpy as np
import pandas as pd

from creditlab.exceptions import InputError
from creditlab.i18n import check_lang, label
from creditlab.labels import label_view
from creditlab.plots._axes import axes_or_new, eur_axis, pct_axis
from creditlab.receivables.kpi.catalogue import kpi_label, kpi_unit
from creditlab.receivables.kpi.snapshot import dispute_ageing_words

__all__ = ["plot_kpi_trend", "plot_dso", "plot_receivables_split", "plot_top_exposures",
           "plot_limit_gap", "plot_disputes_by_cause", "plot_hold", "plot_insured_split",
           "CAUSE_LABELS"]

CAUSE_LABELS = label_view("dispute_cause")
_COLORS = {"current": "#4c9f70", "past_due": "#f0a202", "over_90": "#d1495b",
           "insured": "#2e86ab", "uninsured": "#d1495b", "need": "#bbbbbb",
           "proposed": "#2e86ab", "dso": "#1b4965", "countback": "#5fa8d3", "bpdso": "#4c9f70"}


def _kpi_label(name: str, lang: str) -> str:
    return kpi_label(name, lang)


def _is_fraction(code: str) -> bool:
    """True when the KPI catalogue says ``code`` is a fraction (percent axis)."""
    try:
        return kpi_unit(code) == "fraction"
    except InputError:  # a column of the user's own, not a KPI of the catalogue
        return False


def _single(history: pd.DataFrame, group) -> pd.DataFrame:
    if isinstance(history.index, pd.MultiIndex):
        if group is None:
            raise ValueError("history is grouped: pass group=... (one value of the `by` level)")
        return history.xs(group, level=0)
    return history


def plot_kpi_trend(history: pd.DataFrame, kpis: Sequence[str] = ("overdue_ratio",), ax=None, *,
                   group=None, lang: str = "fr", title: str | None = None):
    """Lines of one or more KPIs of :func:`~creditlab.receivables.kpi_history` over months.

    For a grouped history, pass ``group`` to draw one group, or a single KPI to draw every group.
    """
    check_lang(lang)
    ax = axes_or_new(ax, (8, 4))
    kpis = list(kpis)
    if isinstance(history.index, pd.MultiIndex) and group is None and len(kpis) == 1:
        for key, sub in history[kpis[0]].groupby(level=0):
            ax.plot(sub.index.get_level_values(-1), sub.to_numpy(), marker=".", label=str(key))
        ax.set_ylabel(_kpi_label(kpis[0], lang))
    else:
        h = _single(history, group)
        for k in kpis:
            ax.plot(h.index, h[k], marker=".", label=_kpi_label(k, lang))
    if all(_is_fraction(k) for k in kpis):  # the unit comes from the KPI catalogue
        pct_axis(ax.yaxis, lang)
    ax.legend(loc="best", fontsize="small")
    ax.grid(alpha=0.3)
    if title:
        ax.set_title(title)
    ax.figure.autofmt_xdate()
    return ax


def plot_dso(history: pd.DataFrame, ax=None, *, group=None, lang: str = "fr"):
    """DSO (simple and countback) with the BPDSO; the shaded gap is the ADD (days late)."""
    check_lang(lang)
    ax = axes_or_new(ax, (8, 4))
    h = _single(history, group)
    x = h.index
    ax.plot(x, h["dso_simple"], color=_COLORS["dso"], marker=".",
            label=_kpi_label("dso_simple", lang))
    ax.plot(x, h["dso_countback"], color=_COLORS["countback"], marker=".", linestyle="--",
            label=_kpi_label("dso_countback", lang))
    ax.plot(x, h["bpdso"], color=_COLORS["bpdso"], marker=".", label=_kpi_label("bpdso", lang))
    ax.fill_between(x, h["bpdso"], h["dso_simple"], color=_COLORS["past_due"], alpha=0.2,
                    label=_kpi_label("add", lang))
    ax.set_ylabel("jours" if lang == "fr" else "days")
    ax.set_ylim(bottom=0)
    ax.set_title("DSO, BPDSO et retard (ADD)" if lang == "fr" else "DSO, BPDSO and ADD")
    ax.legend(loc="best", fontsize="small")
    ax.grid(alpha=0.3)
    ax.figure.autofmt_xdate()
    return ax


def plot_receivables_split(history: pd.DataFrame, ax=None, *, group=None, lang: str = "fr"):
    """Stacked receivables at each month end: not yet due, past due ≤ 90 days, > 90 days."""
    check_lang(lang)
    ax = axes_or_new(ax, (8, 4))
    h = _single(history, group)
    cur = h["current_ttc"].clip(lower=0)
    o90 = h["over_90_ttc"].clip(lower=0)
    mid = (h["past_due_ttc"] - h["over_90_ttc"]).clip(lower=0)
    names = (("non échu", "échu ≤ 90 j", "échu > 90 j") if lang == "fr"
             else ("not yet due", "past due ≤ 90 d", "past due > 90 d"))
    ax.stackplot(h.index, cur, mid, o90, labels=names,
                 colors=[_COLORS["current"], _COLORS["past_due"], _COLORS["over_90"]], alpha=0.85)
    eur_axis(ax.yaxis, lang)
    ax.set_title("Encours clients TTC" if lang == "fr" else "Receivables (incl. VAT)")
    ax.legend(loc="upper left", fontsize="small")
    ax.grid(alpha=0.3)
    ax.figure.autofmt_xdate()
    return ax


def plot_top_exposures(exp, ax=None, *, n: int = 10, lang: str = "fr",
                       names: pd.Series | None = None):
    """Largest net exposures, split insured / uninsured, with the credit limit as a tick.

    ``names`` (customer_id → name, e.g. ``customers.set_index("customer_id")["name"]``) labels
    the bars with the customer's name instead of its id."""
    check_lang(lang)
    ax = axes_or_new(ax, (8, 0.45 * n + 1.5))
    top = exp.top(n).iloc[::-1]
    y = np.arange(len(top))
    ax.barh(y, top["insured"], color=_COLORS["insured"],
            label="part assurée" if lang == "fr" else "insured")
    ax.barh(y, top["uninsured"], left=top["insured"], color=_COLORS["uninsured"], alpha=0.8,
            label="part non assurée" if lang == "fr" else "uninsured")
    lim = top["credit_limit"]
    ok = lim.notna().to_numpy()
    ax.scatter(lim.to_numpy()[ok], y[ok], marker="|", s=300, color="black", zorder=3,
               label="limite de crédit" if lang == "fr" else "credit limit")
    ticks = [str(i) for i in top.index]
    if names is not None:
        ticks = [f"{names.get(i, i)} ({i})" for i in top.index]
    ax.set_yticks(y, ticks)
    eur_axis(ax.xaxis, lang)
    ax.set_title("Premiers risques (net des garanties)" if lang == "fr"
                 else "Top exposures (net of guarantees)")
    ax.legend(loc="lower right", fontsize="small")
    ax.grid(axis="x", alpha=0.3)
    return ax


def plot_insured_split(exp, ax=None, *, lang: str = "fr"):
    """Portfolio net exposure: insured vs uninsured (pie)."""
    check_lang(lang)
    ax = axes_or_new(ax, (4.5, 4.5))
    tot = exp.total
    vals = [max(tot["insured"], 0.0), max(tot["uninsured"], 0.0)]
    names = (["assuré", "non assuré"] if lang == "fr" else ["insured", "uninsured"])
    if sum(vals) <= 0:
        ax.text(0.5, 0.5, "aucun risque" if lang == "fr" else "no exposure", ha="center")
        ax.set_axis_off()
        return ax
    ax.pie(vals, labels=names, colors=[_COLORS["insured"], _COLORS["uninsured"]],
           autopct=lambda p: f"{p:.0f} %" if lang == "fr" else f"{p:.0f}%", startangle=90)
    ax.set_title("Risque net assuré / non assuré" if lang == "fr"
                 else "Net exposure insured / uninsured")
    return ax


def plot_limit_gap(proposal, ax=None, n: int = 15, *, lang: str | None = None):
    """Need vs proposed limit for the customers with the largest gap (``proposal.plot_gap``).

    ``lang`` defaults to the proposal's default language (French); the binding constraints
    are named in it.
    """
    lang = check_lang(lang or getattr(proposal, "lang", "fr"))
    t = proposal.in_words(lang).sort_values("gap_to_need", ascending=False).head(n).iloc[::-1]
    ax = axes_or_new(ax, (8, 0.4 * max(len(t), 1) + 1.5))
    y = np.arange(len(t))
    ax.barh(y, t["need"], color=_COLORS["need"],
            label="besoin commercial" if lang == "fr" else "commercial need")
    ax.barh(y, t["proposed_limit"], height=0.5, color=_COLORS["proposed"],
            label="limite proposée" if lang == "fr" else "proposed limit")
    ax.set_yticks(y, [f"{i} ({b})" for i, b in zip(t.index, t["binding_label"], strict=False)],
                  fontsize="small")
    eur_axis(ax.xaxis, lang)
    ax.set_title("Écart au besoin : contrainte limitante" if lang == "fr"
                 else "Gap to need: binding constraint")
    ax.legend(loc="lower right", fontsize="small")
    ax.grid(axis="x", alpha=0.3)
    return ax


def plot_disputes_by_cause(ageing: pd.DataFrame, ax=None, *, lang: str = "fr"):
    """Open disputed amounts by cause, stacked by age bucket (output of ``dispute_ageing``)."""
    check_lang(lang)
    ax = axes_or_new(ax, (8, 4))
    fixed = {"n_open", "amount_ttc", "avg_age_days", "max_age_days"}
    buckets = [c for c in ageing.columns if c not in fixed]
    words = dispute_ageing_words(ageing[buckets].iloc[:0], lang).columns  # codes or words
    names = [label(CAUSE_LABELS, str(i), lang) for i in ageing.index]
    left = np.zeros(len(ageing))
    cmap = matplotlib.colormaps["YlOrRd"]
    for k, b in enumerate(buckets):
        vals = ageing[b].to_numpy(dtype="float64")
        ax.barh(names, vals, left=left, color=cmap(0.25 + 0.7 * k / max(len(buckets) - 1, 1)),
                label=words[k])
        left += vals
    eur_axis(ax.xaxis, lang)
    ax.set_title("Litiges ouverts par motif et ancienneté" if lang == "fr"
                 else "Open disputes by cause and age")
    ax.legend(loc="lower right", fontsize="small")
    ax.grid(axis="x", alpha=0.3)
    return ax


def plot_hold(report, ax=None, *, lang: str = "fr"):
    """Amount of orders held or blocked, by reason (an order may count under several)."""
    check_lang(lang)
    ax = axes_or_new(ax, (8, 4))
    br = report.by_reason(lang)
    if br.empty:
        ax.text(0.5, 0.5, "aucune commande bloquée" if lang == "fr" else "no order on hold",
                ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    br = br.iloc[::-1]
    ax.barh(br.index, br["amount_ttc"], color=_COLORS["over_90"], alpha=0.8)
    for y, (amt, n) in enumerate(zip(br["amount_ttc"], br["n_orders"], strict=False)):
        ax.text(amt, y, f" {n}", va="center", fontsize="small")
    eur_axis(ax.xaxis, lang)
    ax.set_title("Commandes bloquées par motif (nombre en bout de barre)" if lang == "fr"
                 else "Orders on hold by reason (count at bar end)")
    ax.grid(axis="x", alpha=0.3)
    return ax
