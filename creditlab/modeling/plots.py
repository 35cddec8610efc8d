"""Charts of the modeling results (presentation only: they compute nothing new).

Every function takes a result (or a table) and ``ax=None`` (a new figure when None), draws, and
returns the Axes. Labels are French by default, ``lang="en"`` for English.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from creditlab.exceptions import InputError
from creditlab.i18n import check_lang, pick
from creditlab.modeling._constants import PSI_BOUNDS
from creditlab.plots._axes import axes_or_new

__all__ = ["plot_binning_table", "plot_points", "plot_roc", "plot_cap", "plot_calibration",
           "plot_backtest", "plot_stability", "plot_csi", "plot_master_scale",
           "plot_score_distribution", "plot_fold_auc",
           "plot_variable_binning", "plot_scorecard_points"]

_LIGHT_COLORS = {"green": "#2e7d32", "amber": "#f9a825", "red": "#c62828", "none": "#9e9e9e"}


def _ax(ax, figsize=(6.4, 3.6)):
    return axes_or_new(ax, figsize)


def plot_binning_table(table: pd.DataFrame, var: str, ax=None, lang: str = "fr"):
    """Bars: share of each bin (left axis); line: event rate (right axis)."""
    check_lang(lang)
    ax = _ax(ax)
    t = table[table["kind"] != "total"]
    x = np.arange(len(t))
    ax.bar(x, t["share"], color="#90caf9", label=pick(lang, fr="part de l'effectif",
                                                       en="share of the sample"))
    ax.set_xticks(x, t["bin"].tolist(), rotation=35, ha="right", fontsize=8)
    ax.set_ylabel(pick(lang, fr="part de l'effectif", en="share"))
    ax2 = ax.twinx()
    ax2.plot(x, t["event_rate"], "o-", color="#c62828",
             label=pick(lang, fr="taux de défaut", en="event rate"))
    ax2.set_ylabel(pick(lang, fr="taux de défaut", en="event rate"))
    ax2.set_ylim(bottom=0)
    ax.set_title(pick(lang, fr=f"{var} — classes et taux de défaut",
                      en=f"{var} — bins and event rate"))
    return ax


def plot_variable_binning(binner, var: str, ax=None, lang: str = "fr"):
    """:func:`plot_binning_table` of one variable of a fitted :class:`~creditlab.modeling.WoEBinner`
    (``binner.plot_binning(var)``). Returns the Axes."""
    return plot_binning_table(binner.binning_table(var), var, ax=ax, lang=lang)


def plot_scorecard_points(scorecard, var: str, ax=None, lang: str = "fr"):
    """Points per bin of one selected variable of a fitted
    :class:`~creditlab.modeling.Scorecard` (``scorecard.plot_points(var)``). Returns the Axes."""
    features = getattr(scorecard, "features_", None)
    if features is None:
        raise InputError("scorecard", "a fitted Scorecard", type(scorecard).__name__,
                         "call fit(X, y) first")
    if var not in features:
        raise InputError("var", f"one of the selected variables {features}", var,
                         "pick a selected variable")
    table = scorecard.points_table_
    return plot_points(table[table["variable"] == var], var, ax=ax, lang=lang)


def plot_points(points_table: pd.DataFrame, var: str, ax=None, lang: str = "fr"):
    """Points of each bin of one variable."""
    check_lang(lang)
    ax = _ax(ax)
    x = np.arange(len(points_table))
    ax.bar(x, points_table["points"], color="#5c6bc0")
    ax.set_xticks(x, points_table["bin"].tolist(), rotation=35, ha="right", fontsize=8)
    ax.set_ylabel("points")
    ax.set_title(pick(lang, fr=f"{var} — points par classe", en=f"{var} — points per bin"))
    return ax


def plot_roc(result, ax=None, lang: str = "fr", label: str | None = None):
    """ROC curve with the diagonal."""
    check_lang(lang)
    ax = _ax(ax, (4.5, 4.5))
    lab = label or f"AUC = {result.auc:.3f}"
    ax.plot(result.roc["fpr"], result.roc["tpr"], label=lab)
    ax.plot([0, 1], [0, 1], "--", color="grey", lw=0.8)
    ax.set_xlabel(pick(lang, fr="taux de faux positifs (sains rejetés)",
                       en="false positive rate"))
    ax.set_ylabel(pick(lang, fr="taux de vrais positifs (défauts détectés)",
                       en="true positive rate"))
    ax.set_title(pick(lang, fr="Courbe ROC", en="ROC curve"))
    ax.legend(loc="lower right")
    return ax


def plot_cap(result, ax=None, lang: str = "fr", label: str | None = None):
    """CAP (cumulative accuracy profile) with the random and perfect models."""
    check_lang(lang)
    ax = _ax(ax, (4.5, 4.5))
    lab = label or f"AR = {result.accuracy_ratio:.3f}"
    ax.plot(result.cap["population_share"], result.cap["events_share"], label=lab)
    pi = result.n_events / result.n
    ax.plot([0, pi, 1], [0, 1, 1], ":", color="black", lw=0.8,
            label=pick(lang, fr="modèle parfait", en="perfect model"))
    ax.plot([0, 1], [0, 1], "--", color="grey", lw=0.8)
    ax.set_xlabel(pick(lang, fr="part de la population (du plus risqué au moins risqué)",
                       en="share of the population (riskiest first)"))
    ax.set_ylabel(pick(lang, fr="part des défauts capturés", en="share of defaults captured"))
    ax.set_title(pick(lang, fr="Courbe CAP", en="CAP curve"))
    ax.legend(loc="lower right")
    return ax


def plot_calibration(result, ax=None, lang: str = "fr"):
    """Observed default rate (with its Jeffreys 95 % interval) against the mean PD per group."""
    check_lang(lang)
    ax = _ax(ax, (4.5, 4.5))
    t = result.table
    err = np.vstack([t["observed_rate"] - t["observed_low"],
                     t["observed_high"] - t["observed_rate"]])
    ax.errorbar(t["mean_pd"], t["observed_rate"], yerr=np.maximum(err, 0), fmt="o",
                capsize=3, label=pick(lang, fr="taux observé", en="observed rate"))
    hi = float(max(t["mean_pd"].max(), t["observed_high"].max()) * 1.05)
    ax.plot([0, hi], [0, hi], "--", color="grey", lw=0.8)
    ax.set_xlabel(pick(lang, fr="PD moyenne prévue", en="mean predicted PD"))
    ax.set_ylabel(pick(lang, fr="taux de défaut observé", en="observed default rate"))
    ax.set_title(pick(lang, fr=f"Calibration (HL p = {result.hl_pvalue:.3f})",
                      en=f"Calibration (HL p = {result.hl_pvalue:.3f})"))
    ax.legend(loc="upper left")
    return ax


def plot_backtest(result, ax=None, lang: str = "fr"):
    """Per grade: PD of the grade (line) and observed rate (bars coloured by traffic light)."""
    check_lang(lang)
    ax = _ax(ax)
    t = result.table
    x = np.arange(len(t))
    colors = [_LIGHT_COLORS.get(v, "#9e9e9e") for v in t["light"]]
    ax.bar(x, t["observed_rate"].fillna(0), color=colors,
           label=pick(lang, fr="taux observé", en="observed rate"))
    ax.plot(x, t["pd"], "k_", markersize=18, mew=2, label=pick(lang, fr="PD de la classe",
                                                                  en="grade PD"))
    ax.set_xticks(x, t.index.tolist())
    ax.set_yscale("log")
    ax.set_xlabel(pick(lang, fr="classe de l'échelle", en="grade"))
    ax.set_ylabel(pick(lang, fr="taux de défaut (échelle log)", en="default rate (log)"))
    ax.set_title(pick(lang, fr="Backtest par classe (feux tricolores)",
                      en="Backtest per grade (traffic lights)"))
    ax.legend(loc="upper left")
    return ax


def plot_stability(result, ax=None, lang: str = "fr"):
    """Reference and current shares per bin, with the PSI in the title."""
    check_lang(lang)
    ax = _ax(ax)
    t = result.table
    x = np.arange(len(t))
    ax.bar(x - 0.2, t["expected_share"], width=0.4,
           label=pick(lang, fr="référence", en="reference"))
    ax.bar(x + 0.2, t["actual_share"], width=0.4, label=pick(lang, fr="actuel", en="current"))
    ax.set_xticks(x, t["bin"].tolist(), rotation=35, ha="right", fontsize=8)
    ax.set_ylabel(pick(lang, fr="part", en="share"))
    ax.set_title(f"PSI({result.name}) = {result.psi:.3f}")
    ax.legend()
    return ax


def plot_csi(result, ax=None, lang: str = "fr"):
    """CSI per variable (horizontal bars) with the 0.10 and 0.25 reading lines."""
    check_lang(lang)
    ax = _ax(ax)
    t = result.table.sort_values("csi")
    ax.barh(t.index.tolist(), t["csi"], color="#7986cb")
    for b in PSI_BOUNDS:
        ax.axvline(b, ls="--", color="grey", lw=0.8)
    ax.set_xlabel("CSI")
    ax.set_title(pick(lang, fr="Stabilité par variable", en="Stability per variable"))
    return ax


def plot_master_scale(scale, ax=None, lang: str = "fr"):
    """PD range of each grade (log axis) and its central PD, coloured by risk class."""
    check_lang(lang)
    ax = _ax(ax)
    s = scale.summary()
    colors = {1: "#2e7d32", 2: "#9ccc65", 3: "#f9a825", 4: "#c62828"}
    y = np.arange(len(s))
    ax.barh(y, s["pd_max"] - s["pd_min"], left=s["pd_min"],
            color=[colors[c] for c in s["rating_class"]], alpha=0.7)
    ax.plot(s["central_pd"], y, "k|", markersize=14, mew=2)
    ax.set_yticks(y, s.index.tolist())
    ax.set_xscale("log")
    ax.set_xlabel(pick(lang, fr="PD (échelle log)", en="PD (log scale)"))
    ax.set_title(pick(lang, fr="Échelle maîtresse : bornes et PD centrale",
                      en="Master scale: bounds and central PD"))
    return ax


def plot_score_distribution(points, y, ax=None, lang: str = "fr", bins: int = 30):
    """Histograms of the points of defaults and non-defaults (densities)."""
    check_lang(lang)
    ax = _ax(ax)
    p = np.asarray(points, dtype="float64")
    yv = np.asarray(y)
    edges = np.histogram_bin_edges(p[~np.isnan(p)], bins=bins)
    ax.hist(p[yv == 0], bins=edges, density=True, alpha=0.6,
            label=pick(lang, fr="sains", en="non-defaults"))
    ax.hist(p[yv == 1], bins=edges, density=True, alpha=0.6,
            label=pick(lang, fr="défaillants", en="defaults"))
    ax.set_xlabel("points")
    ax.set_ylabel(pick(lang, fr="densité", en="density"))
    ax.set_title(pick(lang, fr="Distribution des points", en="Points distribution"))
    ax.legend()
    return ax


def plot_fold_auc(result, ax=None, lang: str = "fr"):
    """Box plot of the fold AUCs per model of a :class:`~creditlab.modeling.ComparisonResult`
    (:func:`creditlab.modeling.compare_models`). Returns the Axes."""
    check_lang(lang)
    ax = _ax(ax)
    names = list(result.summary().index)
    ax.boxplot([result.folds.loc[result.folds["model"] == m, "auc"] for m in names])
    ax.set_xticks(range(1, len(names) + 1), names, rotation=20)
    ax.set_ylabel("AUC")
    ax.set_title(pick(lang, fr=f"AUC en validation croisée ({result.n_splits} plis)",
                      en=f"Cross-validated AUC ({result.n_splits} folds)"))
    return ax
