"""Plots of the solvency part: ratio trends, score distribution by rating class, a firm against
its sector's quartiles, risk × stakes matrix, risk-points contributions.

Every function takes ``ax=None`` (a new figure is created) and returns the Axes. They draw
results computed by :mod:`creditlab.statements` and :mod:`creditlab.scores`; nothing new is
computed here beyond what a picture needs (positions, scaling).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from creditlab.exceptions import InputError
from creditlab.i18n import check_lang
from creditlab.plots._axes import axes_or_new
from creditlab.statements.ratios import ratio_catalogue, ratio_words

__all__ = ["plot_ratio_trends", "plot_score_distribution", "plot_sector_quartiles",
           "plot_risk_stakes_matrix", "plot_risk_points"]

_CLASS_COLORS = {1: "#2e7d32", 2: "#f9a825", 3: "#ef6c00", 4: "#c62828"}


def plot_ratio_trends(trends: pd.DataFrame, customer_id: str | None = None, *,
                      lang: str = "fr", ax=None):
    """Year-over-year lines of a firm's ratios (fractions in %, days or years on a second axis).

    Parameters
    ----------
    trends : DataFrame
        The output of :func:`creditlab.statements.ratio_trends` (``unit`` and one column per
        fiscal year; ``label`` when already in words); this function draws it and computes
        nothing.
    customer_id : str, optional
        Named in the title.
    lang : {"fr", "en"}
        Language of the axes, title and ratios' names (unless ``trends`` has a ``label``).

    At most two units can be mixed (the second one goes on a twin axis).
    """
    check_lang(lang)
    if not isinstance(trends, pd.DataFrame) or "unit" not in trends.columns:
        raise InputError("trends", "the output of creditlab.statements.ratio_trends",
                         type(trends).__name__,
                         "pass st.ratio_trends(fs, customer_id, names=[...]) (the plot no "
                         "longer computes the ratios)")
    # the ratios' names in ``lang`` (a table already in words keeps its own labels)
    t = trends if "label" in trends.columns else ratio_words(trends, lang)
    years = [c for c in t.columns if isinstance(c, int | np.integer)]
    units = list(dict.fromkeys(t["unit"]))
    if len(units) > 2:
        raise InputError("names", "ratios with at most two different units", units,
                         "plot fractions and days separately")
    ax = axes_or_new(ax)
    axes = {units[0]: ax}
    if len(units) == 2:
        axes[units[1]] = ax.twinx()
    styles = ["-o", "--s", ":^", "-.d", "-v", "--x"]
    for i, (_name, row) in enumerate(t.iterrows()):
        a = axes[row["unit"]]
        vals = row[years].astype(float).to_numpy()
        factor = 100.0 if row["unit"] == "fraction" else 1.0
        a.plot(years, vals * factor, styles[i % len(styles)], color=f"C{i}",
               label=f"{row['label']}")
    unit_lab = {"fraction": "%", "days": "jours" if lang == "fr" else "days",
                "years": "années" if lang == "fr" else "years",
                "times": "fois" if lang == "fr" else "times"}
    for u, a in axes.items():
        a.set_ylabel(unit_lab.get(u, u))
    ax.set_xticks(years)
    ax.set_xlabel("exercice" if lang == "fr" else "fiscal year")
    handles = sum((a.get_legend_handles_labels()[0] for a in axes.values()), [])
    labels = sum((a.get_legend_handles_labels()[1] for a in axes.values()), [])
    ax.legend(handles, labels, fontsize=8, loc="best")
    title = "Évolution des ratios" if lang == "fr" else "Ratio trends"
    ax.set_title(f"{title} — {customer_id}" if customer_id is not None else title)
    ax.grid(alpha=0.3)
    return ax


def plot_score_distribution(scores: pd.Series, rating_class: pd.Series, *,
                            score_label: str = "score", lang: str = "fr", ax=None):
    """Box plot of a score by rating class (both Series aligned on the same index)."""
    check_lang(lang)
    df = pd.concat([pd.to_numeric(scores, errors="coerce").rename("score"),
                    rating_class.rename("cls")], axis=1).dropna()
    if df.empty:
        raise InputError("scores", "scores and rating classes sharing an index", "no common row",
                         "align both Series on customer_id")
    classes = sorted(df["cls"].astype(int).unique())
    data = [df.loc[df["cls"].astype(int) == c, "score"].to_numpy() for c in classes]
    ax = axes_or_new(ax)
    bp = ax.boxplot(data, patch_artist=True)
    ax.set_xticks(range(1, len(classes) + 1), [str(c) for c in classes])
    for patch, c in zip(bp["boxes"], classes, strict=True):
        patch.set_facecolor(_CLASS_COLORS.get(c, "#90a4ae"))
        patch.set_alpha(0.6)
    for i, d in enumerate(data, start=1):
        ax.text(i, ax.get_ylim()[1], f"n={len(d)}", ha="center", va="top", fontsize=8)
    ax.set_xlabel("classe de risque" if lang == "fr" else "rating class")
    ax.set_ylabel(score_label)
    ax.set_title(f"Distribution du {score_label} par classe" if lang == "fr"
                 else f"{score_label} by rating class")
    ax.grid(axis="y", alpha=0.3)
    return ax


def plot_sector_quartiles(position, ax=None, *, lang: str = "fr"):
    """A firm's ratios against its sector's quartiles.

    Each ratio is shown on its own row, scaled as (value − sector median) / (Q3 − Q1): the grey
    box is the sector's interquartile range, the dot the firm (green when on the favourable side
    given the ratio's direction, red otherwise).

    Parameters
    ----------
    position : SectorPosition
        From :func:`creditlab.statements.sector_position` (every number drawn is in its
        ``table``); also ``position.plot(ax=None, lang=...)``.
    lang : {"fr", "en"}
    """
    check_lang(lang)
    if not all(hasattr(position, a) for a in ("table", "customer_id", "fiscal_year", "sector")):
        raise InputError("position", "a SectorPosition", type(position).__name__,
                         "pass creditlab.statements.sector_position(ratio_table, sector, "
                         "customer_id) (the plot no longer computes the quartiles)")
    t = position.table
    names = list(t.index)
    labels = ratio_catalogue(lang).loc[names, "label"]
    ax = axes_or_new(ax)
    ylabels = []
    for i, (name, r) in enumerate(t.iterrows()):
        y = len(names) - 1 - i
        ylabels.append((y, labels[name]))
        if not r["comparable"]:
            ax.text(0, y, "secteur non comparable" if lang == "fr" else "no sector benchmark",
                    ha="center", va="center", fontsize=8, color="grey")
            continue
        ax.add_patch(plt.Rectangle((r["box_left"], y - 0.3), 1.0, 0.6, color="#b0bec5",
                                   alpha=0.7))
        ax.plot([0, 0], [y - 0.3, y + 0.3], color="#37474f", lw=2)
        if np.isnan(r["value"]):
            ax.text(0, y + 0.35, "n.d.", ha="center", fontsize=8)
            continue
        ax.plot(r["position"], y, "o", ms=9, color="#2e7d32" if r["favourable"] else "#c62828")
        v = r["value"]
        txt = f"{v * 100:.1f} %" if r["unit"] == "fraction" else f"{v:.1f}"
        ax.annotate(txt, (r["position"], y), xytext=(6, 6), textcoords="offset points",
                    fontsize=8)
    ax.set_yticks([y for y, _ in ylabels], [lab for _, lab in ylabels], fontsize=8)
    ax.set_ylim(-0.7, len(names) - 0.3)
    ax.set_xlim(-3.2, 3.2)
    ax.axvline(0, color="#37474f", lw=0.5, ls=":")
    ax.set_xlabel("écart à la médiane du secteur (en intervalles interquartiles)" if lang == "fr"
                  else "distance to the sector median (in interquartile ranges)")
    cid, year, sec = position.customer_id, position.fiscal_year, position.sector
    ax.set_title(f"{cid} ({year}) face au secteur {sec}" if lang == "fr"
                  else f"{cid} ({year}) against sector {sec}")
    return ax


def plot_risk_stakes_matrix(ranking: pd.DataFrame, *, annotate: int = 5, lang: str = "fr",
                            ax=None):
    """Risk × stakes matrix: exposure (x, log scale) against the risk index (y), coloured by
    rating class, with the thresholds of :func:`creditlab.scores.rank_portfolio`."""
    check_lang(lang)
    for c in ("exposure", "risk_index", "rating_class"):
        if c not in ranking.columns:
            raise InputError(f"ranking.{c}", "the output of rank_portfolio", "missing",
                             "rank the portfolio with creditlab.scores.rank_portfolio")
    df = ranking[(ranking["exposure"] > 0) & ranking["risk_index"].notna()]
    ax = axes_or_new(ax)
    for c, g in df.groupby(df["rating_class"].astype("Int64")):
        ax.scatter(g["exposure"], g["risk_index"], s=25, alpha=0.7,
                   color=_CLASS_COLORS.get(int(c), "grey"),
                   label=("classe " if lang == "fr" else "class ") + str(c))
    ax.set_xscale("log")
    rt = ranking.attrs.get("risk_threshold")
    st = ranking.attrs.get("stakes_threshold")
    if rt is not None:
        ax.axhline(rt, color="grey", ls="--", lw=1)
    if st:
        ax.axvline(st, color="grey", ls="--", lw=1)
    top = df.sort_values("rank_priority").head(annotate) if "rank_priority" in df.columns \
        else df.head(0)
    for cid, r in top.iterrows():
        ax.annotate(str(cid), (r["exposure"], r["risk_index"]), xytext=(4, 4),
                    textcoords="offset points", fontsize=7)
    ax.set_xlabel("encours (€, échelle log)" if lang == "fr" else "exposure (€, log scale)")
    ax.set_ylabel("indice de risque (0 = meilleur, 1 = défaut)" if lang == "fr"
                  else "risk index (0 = best, 1 = default)")
    ax.set_ylim(-0.02, 1.02)
    ax.set_title("Matrice risque × enjeu" if lang == "fr" else "Risk × stakes matrix")
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(alpha=0.3)
    return ax


def plot_risk_points(result, customer_id=None, ax=None, lang="fr"):
    """Weighted points per criterion: one customer, or the mean per risk class (stacked bars);
    the criteria named in ``lang`` (French by default)."""
    fr = check_lang(lang) == "fr"
    names = {c.name: (c.label_fr if fr else c.label_en) for c in result.grid.criteria}
    ax = axes_or_new(ax)
    if customer_id is not None:
        if customer_id not in result.points.index:
            raise InputError("customer_id", "a customer scored by risk_points", customer_id,
                             "see result.failures for customers not scored")
        pts = result.points.loc[customer_id]
        ax.barh([names[k] for k in pts.index], pts.to_numpy(), color="#5c6bc0")
        ax.set_xlabel("points pondérés" if fr else "weighted points")
        row = result.table.loc[customer_id]
        ax.set_title(f"{customer_id} : {row['total']:g} pts — classe {row['risk_class']}"
                      if fr else f"{customer_id}: {row['total']:g} pts — class "
                      f"{row['risk_class']}")
        ax.invert_yaxis()
        return ax
    mean = result.points.groupby(result.table["risk_class"]).mean()
    bottom = np.zeros(len(mean))
    for i, k in enumerate(mean.columns):
        ax.bar(mean.index.astype(str), mean[k].to_numpy(), bottom=bottom, label=names[k],
               color=f"C{i}")
        bottom += mean[k].to_numpy()
    ax.set_xlabel("classe de risque" if fr else "risk class")
    ax.set_ylabel("points pondérés moyens" if fr else "mean weighted points")
    ax.set_title("Contribution des critères par classe" if fr else "Criteria by risk class")
    ax.legend(fontsize=7)
    return ax
