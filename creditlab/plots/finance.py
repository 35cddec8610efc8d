"""Plots of the economics of customer credit (:mod:`creditlab.finance` results).

Every function takes a result and ``ax=None`` and returns the Axes; they draw results and compute
nothing (the numbers come in the result). This module imports no computation module: results
name their drawing function (:class:`creditlab._drawing.drawn_by`), so ``result.plot_*()``
works without a circle.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.patches import Rectangle

from creditlab.exceptions import InputError
from creditlab.i18n import check_lang, format_eur, format_pct
from creditlab.labels import text
from creditlab.plots._axes import axes_or_new

__all__ = [
    "plot_credit_cost",
    "plot_marginal_analysis",
    "plot_pareto",
    "plot_risk_stakes",
    "plot_insurance_comparison",
    "plot_financing_comparison",
    "plot_payment_plan",
    "plot_discount_curve",
]

_T = {
    "dso": {"fr": "DSO (jours)", "en": "DSO (days)"},
    "cost_year": {"fr": "coût de financement (€/an)", "en": "financing cost (€/year)"},
    "credit_cost_title": {"fr": "Coût du crédit client selon le DSO",
                          "en": "Cost of customer credit by DSO"},
    "current": {"fr": "actuel", "en": "current"},
    "target": {"fr": "cible", "en": "target"},
    "euros": {"fr": "€ par an", "en": "€ per year"},
    "margin": {"fr": "marge espérée", "en": "expected margin"},
    "el": {"fr": "perte attendue", "en": "expected loss"},
    "fin": {"fr": "coût de financement", "en": "financing cost"},
    "other": {"fr": "autres coûts", "en": "other costs"},
    "net": {"fr": "contribution nette", "en": "net contribution"},
    "marginal_title": {"fr": "Analyse marginale par segment", "en": "Marginal analysis by segment"},
    "share_customers": {"fr": "part des clients", "en": "share of customers"},
    "share_value": {"fr": "part cumulée de la valeur", "en": "cumulative share of value"},
    "pareto_title": {"fr": "Courbe de Pareto (ABC)", "en": "Pareto curve (ABC)"},
    "risk": {"fr": "risque", "en": "risk"},
    "stakes": {"fr": "enjeu", "en": "stakes"},
    "high": {"fr": "élevé", "en": "high"},
    "low": {"fr": "faible", "en": "low"},
    "matrix_title": {"fr": "Matrice risque × enjeu (nombre de clients)",
                     "en": "Risk × stakes matrix (number of customers)"},
    "premium": {"fr": "prime", "en": "premium"},
    "retained": {"fr": "pertes conservées", "en": "retained losses"},
    "losses": {"fr": "pertes", "en": "losses"},
    "insured": {"fr": "assurance-crédit", "en": "credit insurance"},
    "self": {"fr": "auto-assurance", "en": "self-insurance"},
    "quantile": {"fr": "mauvaise année (quantile {q})", "en": "bad year ({q} quantile)"},
    "insurance_title": {"fr": "Coût annuel attendu : assurer ou non",
                        "en": "Expected yearly cost: insure or not"},
    "financing_cost": {"fr": "financement", "en": "financing"},
    "commission_and_fees": {"fr": "commissions et frais", "en": "commissions and fees"},
    "insurance_premium": {"fr": "prime d'assurance", "en": "insurance premium"},
    "inhouse_collection_cost": {"fr": "recouvrement interne", "en": "in-house collection"},
    "financing_title": {"fr": "Affacturage, découvert, assurance-crédit : coût annuel",
                        "en": "Factoring, overdraft, credit insurance: yearly cost"},
    "principal": {"fr": "capital", "en": "principal"},
    "interest": {"fr": "intérêts", "en": "interest"},
    "penalties": {"fr": "pénalités", "en": "penalties"},
    "balance": {"fr": "capital restant dû", "en": "balance"},
    "plan_title": {"fr": "Échéancier", "en": "Payment plan"},
    "discount": {"fr": "escompte", "en": "discount"},
    "rate": {"fr": "taux annuel équivalent", "en": "equivalent annual rate"},
    "simple": {"fr": "taux simple", "en": "simple rate"},
    "effective": {"fr": "taux effectif (composé)", "en": "effective rate (compounded)"},
    "financing_rate": {"fr": "coût de financement", "en": "cost of money"},
    "discount_title": {"fr": "Taux équivalent d'un escompte {td:g} / net {tn:g} jours",
                       "en": "Equivalent rate of a discount {td:g} / net {tn:g} days"},
}


def _need(obj, attrs: tuple[str, ...], what: str, hint: str) -> None:
    if not all(hasattr(obj, a) for a in attrs):
        raise InputError("result", what, type(obj).__name__, hint)


def _eur_axis(ax, lang: str, axis: str = "y") -> None:
    fmt = lambda v, _pos: format_eur(v, lang, 0)  # noqa: E731
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def plot_credit_cost(result, ax=None, *, dso_days=None, lang: str | None = None):
    """Financing cost against DSO (a straight line through 0), current and target marked.

    Parameters
    ----------
    result : CreditCost
        From :func:`creditlab.finance.credit_cost`.
    ax : matplotlib Axes, optional
    dso_days : array-like, optional
        DSO grid (default 0 to twice the larger DSO).
    """
    _need(result, ("curve", "dso_days", "financing_cost"), "a CreditCost",
          "pass the result of creditlab.finance.credit_cost(...)")
    lang = check_lang(lang or "fr")
    ax = axes_or_new(ax)
    curve = result.curve(dso_days)
    ax.plot(curve["dso_days"], curve["financing_cost"], color="#345", linewidth=2)
    pts = [("current", result.dso_days, result.financing_cost, "#b3261e")]
    if result.target_dso_days is not None:
        pts.append(("target", result.target_dso_days,
                    result.metric("financing_cost", "target"), "#4c9a5a"))
    for key, x, y, color in pts:
        ax.scatter([x], [y], color=color, zorder=3, s=50)
        ax.annotate(f"{_T[key][lang]} : {x:g} j → {format_eur(y, lang, 0)}" if lang == "fr"
                    else f"{_T[key][lang]}: {x:g} d → {format_eur(y, lang, 0)}",
                    (x, y), textcoords="offset points", xytext=(8, -14 if key == "target" else 6),
                    fontsize=9, color=color)
    ax.set_xlabel(_T["dso"][lang])
    ax.set_ylabel(_T["cost_year"][lang])
    ax.set_title(_T["credit_cost_title"][lang])
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    _eur_axis(ax, lang)
    ax.grid(alpha=0.3)
    return ax


def plot_marginal_analysis(result, ax=None, *, lang: str | None = None):
    """Per segment: expected margin (up), expected loss, financing and other costs (down),
    net contribution (diamond)."""
    _need(result, ("table",), "a MarginalAnalysis",
          "pass the result of creditlab.finance.marginal_analysis(...)")
    t = result.table
    lang = check_lang(lang or "fr")
    ax = axes_or_new(ax)
    x = np.arange(len(t))
    w = 0.6
    ax.bar(x, t["expected_margin"], w, color="#4c9a5a", label=_T["margin"][lang])
    bottom = np.zeros(len(t))
    for col, color, key in (("expected_loss", "#b3261e", "el"),
                            ("financing_cost", "#f2994a", "fin"),
                            ("other_costs", "#8c8c8c", "other")):
        v = t[col].to_numpy()
        if col == "other_costs" and not (v > 0).any():
            continue
        ax.bar(x, -v, w, bottom=bottom, color=color, label=_T[key][lang])
        bottom -= v
    ax.scatter(x, t["net_contribution"], marker="D", color="black", zorder=3,
               label=_T["net"][lang])
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_xticks(x, [str(i) for i in t.index])
    ax.set_ylabel(_T["euros"][lang])
    ax.set_title(_T["marginal_title"][lang])
    _eur_axis(ax, lang)
    ax.legend(fontsize=8)
    return ax


def plot_pareto(result, ax=None, *, lang: str | None = None):
    """Pareto curve of an ABC segmentation with the class thresholds."""
    _need(result, ("table", "thresholds", "labels"), "an AbcSegmentation",
          "pass the result of creditlab.finance.abc_segmentation(...)")
    lang = check_lang(lang or "fr")
    t = result.table.sort_values("rank")
    n = len(t)
    ax = axes_or_new(ax)
    xs = np.arange(1, n + 1) / n
    colors = {lab: col for lab, col in zip(result.labels, ("#b3261e", "#f2994a", "#4c9a5a",
                                                            "#345", "#8c8c8c"), strict=False)}
    ax.plot(np.r_[0, xs], np.r_[0, t["cumulative_share"].to_numpy()], color="#345")
    for lab in result.labels:
        m = (t["abc_class"] == lab).to_numpy()
        if m.any():
            ax.scatter(xs[m], t["cumulative_share"].to_numpy()[m], s=12,
                       color=colors.get(lab, "#345"), label=f"{lab} ({int(m.sum())})", zorder=3)
    for th in result.thresholds:
        ax.axhline(th, color="grey", linestyle="--", linewidth=0.8)
        ax.annotate(format_pct(th, lang, 0), (1.0, th), ha="right", va="bottom", fontsize=8)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.xaxis.set_major_formatter(lambda v, _p: format_pct(v, lang, 0))
    ax.yaxis.set_major_formatter(lambda v, _p: format_pct(v, lang, 0))
    ax.set_xlabel(_T["share_customers"][lang])
    ax.set_ylabel(_T["share_value"][lang])
    ax.set_title(_T["pareto_title"][lang])
    ax.legend(fontsize=8, loc="lower right")
    return ax


def plot_risk_stakes(result, ax=None, *, lang: str | None = None):
    """2 × 2 matrix of customer counts (risk rows, stakes columns) with quadrant labels."""
    _need(result, ("table", "counts"), "a RiskStakesMatrix",
          "pass the result of creditlab.finance.risk_stakes_matrix(...)")
    lang = check_lang(lang or "fr")
    ax = axes_or_new(ax, (6, 5))
    levels = ["high", "low"]
    t = result.table
    ct = pd.crosstab(t["risk_level"], t["stakes_level"]).reindex(
        index=levels, columns=levels[::-1], fill_value=0)
    if getattr(result, "grid", None) is None:
        raise InputError("result.grid", "the quadrant grid of the matrix", None,
                         "build the result with creditlab.finance.risk_stakes_matrix(...)")
    grid = result.grid.set_index(["risk_level", "stakes_level"])
    words = result.quadrants(lang).set_index("quadrant")
    prio_colors = {1: "#e8a09a", 2: "#f5c98f", 3: "#f7e3a1", 4: "#b9dbb9"}
    for i, r in enumerate(ct.index):
        for j, s in enumerate(ct.columns):
            g = grid.loc[(r, s)] if (r, s) in grid.index else None
            color = prio_colors.get(int(g["priority"]), "white") if g is not None else "white"
            ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=color,
                                   edgecolor="white", linewidth=3))
            label = str(words.loc[g["quadrant"], "label"]).split(":")[0].strip() \
                if g is not None else ""
            ax.text(j, i, f"{int(ct.iat[i, j])}\n{label}", ha="center", va="center",
                    fontsize=11)
    ax.set_xlim(-0.5, 1.5)
    ax.set_ylim(1.5, -0.5)
    ax.set_xticks([0, 1], [_T[s][lang] for s in ct.columns])
    ax.set_yticks([0, 1], [_T[r][lang] for r in ct.index])
    ax.set_xlabel(_T["stakes"][lang])
    ax.set_ylabel(_T["risk"][lang])
    ax.set_title(_T["matrix_title"][lang])
    return ax


def plot_insurance_comparison(result, ax=None, *, lang: str | None = None):
    """Expected yearly cost insured (premium + retained losses) against self-insured, with the
    bad-year quantile when simulated."""
    _need(result, ("table", "premium", "quantile"), "an InsuranceComparison",
          "pass the result of creditlab.finance.insure_vs_self_insure(...)")
    lang = check_lang(lang or "fr")
    t = result.table
    ax = axes_or_new(ax, (7, 4.5))
    retained = t.loc["expected_cost", "insured"] - result.premium
    ax.bar([0], [result.premium], color="#345", label=_T["premium"][lang])
    ax.bar([0], [retained], bottom=[result.premium], color="#f2994a",
           label=_T["retained"][lang])
    ax.bar([1], [t.loc["expected_cost", "self_insured"]], color="#b3261e",
           label=_T["losses"][lang])
    q = t.loc["quantile_cost"]
    if np.isfinite(q["insured"]):
        ax.scatter([0, 1], [q["insured"], q["self_insured"]], marker="_", s=900, color="black",
                   zorder=3,
                   label=_T["quantile"][lang].format(q=format_pct(result.quantile, lang, 0)))
    ax.set_xticks([0, 1], [_T["insured"][lang], _T["self"][lang]])
    top = np.nanmax([t.loc["expected_cost"].max(), q.max()])
    ax.set_ylim(0, max(float(top), 1.0) * 1.3)
    ax.set_ylabel(_T["euros"][lang])
    ax.set_title(_T["insurance_title"][lang])
    _eur_axis(ax, lang)
    ax.legend(fontsize=8, loc="upper center", ncol=2)
    return ax


def plot_financing_comparison(table: pd.DataFrame, ax=None, *, lang: str = "fr"):
    """Stacked yearly cost per option (output of :func:`creditlab.finance.compare_financing`)."""
    check_lang(lang)
    cols = ["financing_cost", "commission_and_fees", "insurance_premium",
            "inhouse_collection_cost"]
    if not isinstance(table, pd.DataFrame) or not set(cols) <= set(table.columns):
        raise InputError("table", "the DataFrame of creditlab.finance.compare_financing",
                         type(table).__name__)
    ax = axes_or_new(ax)
    x = np.arange(len(table))
    bottom = np.zeros(len(table))
    for col, color in zip(cols, ("#345", "#f2994a", "#4c9a5a", "#8c8c8c"), strict=True):
        v = table[col].to_numpy(dtype="float64")
        if not (v > 0).any():
            continue
        ax.bar(x, v, 0.6, bottom=bottom, color=color, label=_T[col][lang])
        bottom += v
    for xi, tot in zip(x, bottom, strict=True):
        ax.annotate(format_eur(tot, lang, 0), (xi, tot), ha="center", va="bottom", fontsize=9)
    ax.set_ylim(0, max(float(bottom.max()), 1.0) * 1.18)
    labels = (table["label"] if "label" in table.columns  # a table already in words
              else table.index.map(lambda k: text(f"factoring.{k}", lang)))
    ax.set_xticks(x, [str(v) for v in labels])
    ax.set_ylabel(_T["euros"][lang])
    ax.set_title(_T["financing_title"][lang])
    _eur_axis(ax, lang)
    ax.legend(fontsize=8)
    return ax


def plot_payment_plan(plan, ax=None, *, lang: str | None = None):
    """Instalments (principal, interest, penalties stacked) and the remaining balance."""
    _need(plan, ("schedule", "amount"), "a PaymentPlan",
          "pass the result of creditlab.finance.payment_plan(...)")
    lang = check_lang(lang or "fr")
    s = plan.schedule
    ax = axes_or_new(ax)
    x = np.arange(len(s))
    bottom = np.zeros(len(s))
    for col, color in (("principal", "#345"), ("interest", "#f2994a"),
                       ("penalties", "#b3261e")):
        v = s[col].to_numpy(dtype="float64")
        if col != "principal" and not (v > 0).any():
            continue
        ax.bar(x, v, 0.6, bottom=bottom, color=color, label=_T[col][lang])
        bottom += v
    ax.plot(x, s["closing_balance"], color="#4c9a5a", marker="o", label=_T["balance"][lang])
    fmt = "%d/%m/%y" if lang == "fr" else "%Y-%m-%d"
    ax.set_xticks(x, s["date"].dt.strftime(fmt).tolist(), rotation=45 if len(s) > 6 else 0)
    ax.set_ylabel("€")
    ax.set_title(_T["plan_title"][lang])
    _eur_axis(ax, lang)
    ax.legend(fontsize=8)
    return ax


def plot_discount_curve(curve, ax=None, *, lang: str | None = None):
    """Equivalent annual rate (simple and compounded) as a function of the discount, with the
    cost of money and the maximum discount worth offering.

    Parameters
    ----------
    curve : DiscountCurve
        From :func:`creditlab.finance.discount_curve` (every number drawn is in it).
    ax : matplotlib Axes, optional
    """
    _need(curve, ("table", "discount_days", "net_days", "financing_rate", "max_discount"),
          "a DiscountCurve", "pass creditlab.finance.discount_curve(discount_days, net_days, "
          "financing_rate=...)")
    lang = check_lang(lang or "fr")
    discount_days, net_days = curve.discount_days, curve.net_days
    financing_rate, t = curve.financing_rate, curve.table
    ax = axes_or_new(ax)
    ax.plot(t["discount"], t["simple_rate"], color="#345", label=_T["simple"][lang])
    ax.plot(t["discount"], t["effective_rate"], color="#f2994a", linestyle="--",
            label=_T["effective"][lang])
    if financing_rate is not None:
        ax.axhline(financing_rate, color="#b3261e", linewidth=1,
                   label=f"{_T['financing_rate'][lang]} {format_pct(financing_rate, lang, 1)}")
        m = curve.max_discount
        ax.axvline(m, color="#b3261e", linestyle=":", linewidth=1)
        ax.annotate(format_pct(m, lang, 2), (m, financing_rate), textcoords="offset points",
                    xytext=(4, 6), fontsize=9, color="#b3261e")
    ax.xaxis.set_major_formatter(lambda v, _p: format_pct(v, lang, 1))
    ax.yaxis.set_major_formatter(lambda v, _p: format_pct(v, lang, 0))
    ax.set_xlabel(_T["discount"][lang])
    ax.set_ylabel(_T["rate"][lang])
    ax.set_title(_T["discount_title"][lang].format(td=discount_days, tn=net_days))
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return ax
