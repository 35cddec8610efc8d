"""Cost of customer credit (coût du crédit client) and its impact on BFR, margin, result, ROCE.

Formulas (DOMAIN.md §10.2, §10.3, SOLID arithmetic)::

    average receivables (TTC)  = sales TTC × DSO / D                 D = 365 (or 360)
    annual financing cost      = average receivables × financing rate
    cost of one extra DSO day  = sales TTC / D × rate
    cost of a late invoice     = amount × rate × days late / D
    cash released (DSO a → b)  = sales TTC × (a − b) / D
    compensatory sales         = loss HT / net margin rate

The financing rate is the company's cost of short-term money: overdraft rate, factoring cost
or WACC (etrepaye.fr uses the weighted cost of financing,
http://www.etrepaye.fr/blog/2013/11/05/mise-a-jour-de-l-outil-cout-du-credit-client-b65.php).
DSO and receivables are TTC (they are financed incl. VAT); bad-debt economics use HT amounts
(VAT on an irrecoverable debt is recovered) — DOMAIN.md §14 pitfalls 5 and 7.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from creditlab._drawing import drawn_by
from creditlab.exceptions import InputError
from creditlab.finance import _common as c
from creditlab.i18n import check_lang, format_eur, format_pct
from creditlab.labels import label_view

__all__ = [
    "average_receivables",
    "financing_cost",
    "cost_per_dso_day",
    "late_invoice_cost",
    "cash_released",
    "compensatory_sales",
    "credit_cost",
    "CreditCost",
    "COST_LABELS",
]

_MAX_DAYS = 3650.0

COST_LABELS = label_view("cost")


# ---------------------------------------------------------------------------------------------
# elementary formulas (vectorised: scalars, arrays or Series; a Series input keeps its index)
# ---------------------------------------------------------------------------------------------
def _sales(name, value):
    return c.number(name, value, lo=0.0, fix=f"give {name} in euros (>= 0)")


def _days(name, value):
    return c.number(name, value, lo=0.0, hi=_MAX_DAYS,
                    fix=f"give {name} in days, between 0 and {_MAX_DAYS:g}")


def average_receivables(sales_ttc, dso_days, *, day_count: int = 365):
    """Average customer receivables (encours clients moyen), TTC.

    Parameters
    ----------
    sales_ttc : float or array-like
        Annual credit sales incl. VAT (euros, >= 0).
    dso_days : float or array-like
        Days sales outstanding (days, 0-3650).
    day_count : {365, 360}

    Returns
    -------
    float, ndarray or Series (index of a Series input)
        ``sales_ttc × dso_days / day_count`` in euros.

    Notes
    -----
    DOMAIN.md §10.2. T18: 1.2 M€ TTC, DSO 60 → 197 260.27 €.
    """
    d = c.day_count(day_count)
    a = c.broadcast(s=_sales("sales_ttc", sales_ttc), t=_days("dso_days", dso_days))
    return c.wrap(a["s"] * a["t"] / d, sales_ttc, dso_days, name="average_receivables")


def financing_cost(sales_ttc, dso_days, rate, *, day_count: int = 365):
    """Annual cost of financing the customer credit: average receivables × rate.

    Parameters
    ----------
    sales_ttc : float or array-like
        Annual credit sales incl. VAT (euros).
    dso_days : float or array-like
        DSO in days.
    rate : float or array-like
        Annual financing rate as a fraction (0.05 = 5 %), >= 0.
    day_count : {365, 360}

    Returns
    -------
    float, ndarray or Series
        Euros per year. Never decreases when ``dso_days`` increases (property-tested).

    Notes
    -----
    DOMAIN.md §10.2. T18: 1.2 M€, 60 days, 5 % → 9 863.01 €/year.
    """
    d = c.day_count(day_count)
    a = c.broadcast(s=_sales("sales_ttc", sales_ttc), t=_days("dso_days", dso_days),
                    r=c.rate("rate", rate))
    return c.wrap(a["s"] * a["t"] / d * a["r"], sales_ttc, dso_days, rate, name="financing_cost")


def cost_per_dso_day(sales_ttc, rate, *, day_count: int = 365):
    """Annual cost of one extra day of DSO: ``sales_ttc / day_count × rate`` (euros/year).

    Notes
    -----
    DOMAIN.md §10.2 (1.2 M€ at 5 % → 164.38 € per day of DSO and per year).
    """
    d = c.day_count(day_count)
    a = c.broadcast(s=_sales("sales_ttc", sales_ttc), r=c.rate("rate", rate))
    return c.wrap(a["s"] / d * a["r"], sales_ttc, rate, name="cost_per_dso_day")


def late_invoice_cost(amount, days_late, rate, *, day_count: int = 365):
    """Financing cost of an invoice paid late: ``amount × rate × days_late / day_count``.

    Parameters
    ----------
    amount : float or array-like
        Invoice amount TTC (euros, >= 0) — the cash that is missing.
    days_late : float or array-like
        Days after the due date (>= 0; use 0 for invoices paid on time).
    rate : float or array-like
        Annual financing rate (fraction).

    Notes
    -----
    DOMAIN.md §10.2. This is the company's *cost*, not the late-payment penalty it may claim
    (that is ``creditlab.legal``: ECB rate + 10 points, DOMAIN.md §7.2).
    """
    d = c.day_count(day_count)
    a = c.broadcast(m=c.number("amount", amount, lo=0.0, fix="give invoice amounts >= 0 (euros)"),
                    t=c.number("days_late", days_late, lo=0.0, hi=_MAX_DAYS,
                               fix="use 0 for an invoice paid on time, never negative"),
                    r=c.rate("rate", rate))
    return c.wrap(a["m"] * a["r"] * a["t"] / d, amount, days_late, rate, name="late_cost")


def cash_released(sales_ttc, dso_days, target_dso_days, *, day_count: int = 365):
    """Cash released (one-off) by bringing DSO from ``dso_days`` to ``target_dso_days``.

    Returns ``sales_ttc × (dso_days − target_dso_days) / day_count`` in euros: positive when
    DSO falls, negative (cash absorbed) when it rises. It is also the fall of the BFR.

    Notes
    -----
    DOMAIN.md §10.2 (difference of two average receivables).
    """
    d = c.day_count(day_count)
    a = c.broadcast(s=_sales("sales_ttc", sales_ttc), a=_days("dso_days", dso_days),
                    b=_days("target_dso_days", target_dso_days))
    return c.wrap(a["s"] * (a["a"] - a["b"]) / d, sales_ttc, dso_days, target_dso_days,
                  name="cash_released")


def compensatory_sales(loss_ht, net_margin):
    """Sales needed to offset a bad debt (chiffre d'affaires compensatoire).

    Parameters
    ----------
    loss_ht : float or array-like
        Loss excluding VAT (euros, >= 0): the VAT on an irrecoverable debt is recovered.
    net_margin : float or array-like
        Net margin rate as a fraction in (0, 1]: operating income / sales (cabinetphenix) or net
        profit / sales (graydon) — sources differ, say which one you use.

    Returns
    -------
    float, ndarray or Series
        ``loss_ht / net_margin`` in euros (HT).

    Raises
    ------
    InputError
        A margin of zero or below: no amount of sales offsets a loss when nothing is earned.

    Notes
    -----
    DOMAIN.md §10.3, T17: 1 000 € at 5 % → 20 000 €
    (https://www.cabinetphenix.fr/quest-le-chiffre-daffaires-compensatoire/ ;
    https://graydon.be/en/node/889).
    """
    a = c.broadcast(
        loss=c.number("loss_ht", loss_ht, lo=0.0, fix="give the loss in euros HT (>= 0)"),
        m=c.number("net_margin", net_margin, lo=0.0, lo_open=True, hi=1.0,
                   fix="give the net margin as a fraction > 0 (e.g. 0.05 for 5 %); with a "
                       "zero or negative margin no sales can offset a loss"))
    return c.wrap(a["loss"] / a["m"], loss_ht, net_margin, name="compensatory_sales")


# ---------------------------------------------------------------------------------------------
# the full picture for one company
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class CreditCost(c.ResultMixin):
    """Cost of customer credit of a company, now and at a target DSO.

    Built by :func:`credit_cost`; every amount in euros per year unless said otherwise.
    ``table`` holds one row per metric and the columns ``current``, ``target``, ``change``
    (target and change are NaN without a target DSO; metrics whose inputs were not given are
    left out).
    """

    sales_ttc: float
    dso_days: float
    rate: float
    target_dso_days: float | None
    day_count: int
    table: pd.DataFrame

    _title = {"fr": "Coût du crédit client", "en": "Cost of customer credit"}
    _labels = COST_LABELS

    @property
    def average_receivables(self) -> float:
        return float(self.table.loc["average_receivables", "current"])

    @property
    def financing_cost(self) -> float:
        return float(self.table.loc["financing_cost", "current"])

    @property
    def cost_per_dso_day(self) -> float:
        return float(self.table.loc["cost_per_dso_day", "current"])

    @property
    def cash_released(self) -> float:
        """Cash released by moving to the target DSO (NaN without a target)."""
        return float(-self.table.loc["average_receivables", "change"])

    @property
    def financing_saving(self) -> float:
        """Yearly financing cost saved at the target DSO (NaN without a target)."""
        return float(-self.table.loc["financing_cost", "change"])

    def metric(self, key: str, which: str = "current") -> float:
        """One value of ``table`` (NaN when the metric was not computed)."""
        if key not in self.table.index:
            return float("nan")
        return float(self.table.loc[key, which])

    def curve(self, dso_days=None) -> pd.DataFrame:
        """Average receivables and financing cost over a range of DSO values (default 0 to
        twice the larger of the current and target DSO, 61 points)."""
        if dso_days is None:
            top = min(max(self.dso_days, self.target_dso_days or 0.0, 1.0) * 2, _MAX_DAYS)
            dso_days = np.linspace(0.0, top, 61)
        days = _days("dso_days", dso_days)
        return pd.DataFrame({
            "dso_days": days,
            "average_receivables": average_receivables(self.sales_ttc, days,
                                                       day_count=self.day_count),
            "financing_cost": financing_cost(self.sales_ttc, days, self.rate,
                                             day_count=self.day_count)})

    def summary(self) -> pd.DataFrame:
        """The metrics table in codes (index ``metric``; ``current`` and, with a target DSO,
        ``target`` and ``change``); :meth:`to_frame` gives it in words."""
        out = self.table.copy()
        if self.target_dso_days is None:
            out = out[["current"]]
        return out

    def explain(self, lang: str = "fr") -> str:
        """Two sentences a credit manager can say to a CFO."""
        lang = check_lang(lang)
        eur = lambda v: format_eur(v, lang, 0)  # noqa: E731
        if lang == "fr":
            s = (f"Avec un DSO de {self.dso_days:g} jours, l'encours clients moyen est de "
                 f"{eur(self.average_receivables)} et coûte {eur(self.financing_cost)} par an "
                 f"au taux de {format_pct(self.rate, lang, 2)} ; chaque jour de DSO coûte "
                 f"{eur(self.cost_per_dso_day)} par an.")
            if self.target_dso_days is not None:
                s += (f" Ramener le DSO à {self.target_dso_days:g} jours libère "
                      f"{eur(self.cash_released)} de trésorerie et économise "
                      f"{eur(self.financing_saving)} de frais financiers par an.")
            return s
        s = (f"At a DSO of {self.dso_days:g} days, average receivables are "
             f"{eur(self.average_receivables)}, costing {eur(self.financing_cost)} a year at "
             f"{format_pct(self.rate, lang, 2)}; each DSO day costs {eur(self.cost_per_dso_day)} "
             "a year.")
        if self.target_dso_days is not None:
            s += (f" Bringing DSO to {self.target_dso_days:g} days releases "
                  f"{eur(self.cash_released)} of cash and saves {eur(self.financing_saving)} "
                  "of interest a year.")
        return s

    #: Financing cost as a function of DSO, current and target marked.
    plot_curve = drawn_by("creditlab.plots.finance", "plot_credit_cost")


def credit_cost(sales_ttc: float, dso_days: float, rate: float, *,
                target_dso_days: float | None = None, vat_rate: float = 0.20,
                sales_ht: float | None = None, operating_income: float | None = None,
                net_income: float | None = None, capital_employed: float | None = None,
                bfr: float | None = None, tax_rate: float = 0.25,
                net_margin: float | None = None, day_count: int = 365) -> CreditCost:
    """Cost of customer credit and the effect of a DSO change on BFR, margin, result and ROCE.

    Parameters
    ----------
    sales_ttc : float
        Annual credit sales incl. VAT (euros).
    dso_days : float
        Current DSO (days).
    rate : float
        Annual financing rate (fraction): overdraft, factoring or WACC.
    target_dso_days : float, optional
        DSO to compare with; gives the ``target`` and ``change`` columns.
    vat_rate : float, default 0.20
        Used only to derive ``sales_ht = sales_ttc / (1 + vat_rate)`` when ``sales_ht`` is not
        given (French standard rate).
    sales_ht : float, optional
        Annual sales excl. VAT (euros), the denominator of margins.
    operating_income : float, optional
        Résultat d'exploitation (euros/year). Gives the operating margin, the margin after the
        credit cost (an economic view: the credit granted is a cost of serving customers, booked
        as interest in the accounts) and the share of operating income the credit cost eats
        (NaN when operating income <= 0: a share of a loss means nothing).
    net_income : float, optional
        Current net income (euros/year), which already bears the current financing cost. At the
        target: ``net_income + saving × (1 − tax_rate)`` (interest is tax-deductible).
    capital_employed : float, optional
        Capitaux engagés = fixed assets + BFR (euros). ROCE = operating income × (1 − tax_rate)
        / capital employed; at the target the capital employed falls by the cash released
        (used to repay debt). NaN when capital employed <= 0.
    bfr : float, optional
        Current working-capital need (euros); at the target it falls by the cash released.
    tax_rate : float, default 0.25
        Corporate income tax rate (France 2022+: 25 %).
    net_margin : float, optional
        Net margin rate (fraction > 0): adds the sales needed to earn the financing cost
        (``cost / net_margin``, the logic of compensatory sales, DOMAIN.md §10.3).
    day_count : {365, 360}

    Returns
    -------
    CreditCost

    Notes
    -----
    DOMAIN.md §10.2 (T18: 1.2 M€ TTC, 60 days, 5 % → 197 260.27 € of receivables,
    9 863.01 €/year) and §10.3.
    """
    d = c.day_count(day_count)
    s = c.scalar("sales_ttc", sales_ttc, lo=0.0, fix="give annual sales TTC in euros (>= 0)")
    dso = c.scalar("dso_days", dso_days, lo=0.0, hi=_MAX_DAYS)
    r = c.scalar("rate", rate, lo=0.0, hi=10.0, fix="give the rate as a fraction (0.05 = 5 %)")
    tgt = None if target_dso_days is None else c.scalar("target_dso_days", target_dso_days,
                                                        lo=0.0, hi=_MAX_DAYS)
    tax = c.scalar("tax_rate", tax_rate, lo=0.0, hi=1.0, hi_open=True,
                   fix="give the tax rate as a fraction in [0, 1), e.g. 0.25")
    if sales_ht is None:
        vat = c.scalar("vat_rate", vat_rate, lo=0.0, hi=1.0, fix="e.g. 0.20 for 20 % VAT")
        ht = s / (1 + vat)
    else:
        ht = c.scalar("sales_ht", sales_ht, lo=0.0)
        if ht > s + 0.005:
            raise InputError("sales_ht", f"at most sales_ttc ({s:,.2f})", ht,
                             "sales excl. VAT cannot exceed sales incl. VAT")

    def at(days: float) -> dict[str, float]:
        rec = s * days / d
        return {"dso_days": days, "average_receivables": rec, "financing_cost": rec * r,
                "cost_per_dso_day": s / d * r}

    cur = at(dso)
    tg = at(tgt) if tgt is not None else {k: np.nan for k in cur}
    released = cur["average_receivables"] - tg["average_receivables"]
    saving = cur["financing_cost"] - tg["financing_cost"]
    rows: dict[str, tuple[float, float]] = {k: (cur[k], tg[k]) for k in cur}
    if bfr is not None:
        b = c.scalar("bfr", bfr)
        rows["bfr"] = (b, b - released)
    if operating_income is not None:
        oi = c.scalar("operating_income", operating_income)
        margin = float(c.safe_div(oi, ht))
        rows["operating_margin"] = (margin, margin)
        rows["operating_margin_after_credit"] = (
            float(c.safe_div(oi - cur["financing_cost"], ht)),
            float(c.safe_div(oi - tg["financing_cost"], ht)))
        share = lambda cost: float(c.safe_div(cost, oi)) if oi > 0 else np.nan  # noqa: E731
        rows["credit_cost_share"] = (share(cur["financing_cost"]), share(tg["financing_cost"]))
    if net_income is not None:
        ni = c.scalar("net_income", net_income)
        rows["net_income"] = (ni, ni + saving * (1 - tax))
    if capital_employed is not None:
        ce = c.scalar("capital_employed", capital_employed)
        ce_t = ce - released
        rows["capital_employed"] = (ce, ce_t)
        if operating_income is not None:
            nopat = oi * (1 - tax)
            roce = lambda k: float(c.safe_div(nopat, k)) if k > 0 else np.nan  # noqa: E731
            rows["roce"] = (roce(ce), roce(ce_t))
    if net_margin is not None:
        m = c.scalar("net_margin", net_margin, lo=0.0, lo_open=True, hi=1.0,
                     fix="give the net margin as a fraction > 0 (e.g. 0.05)")
        rows["equivalent_sales"] = (cur["financing_cost"] / m, tg["financing_cost"] / m)
    table = pd.DataFrame.from_dict(rows, orient="index", columns=["current", "target"])
    table["change"] = table["target"] - table["current"]
    table.index.name = "metric"
    return CreditCost(sales_ttc=s, dso_days=dso, rate=r, target_dso_days=tgt, day_count=d,
                      table=table)
