"""Early-payment discount (escompte): equivalent annual rate and the maximum discount worth
offering.

Terms "d % if paid within t_d days, net t_n days" (DOMAIN.md §10.1, SOLID arithmetic)::

    simple annual rate     r   = d / (1 − d) × D / (t_n − t_d)          D = 365 (or 360)
    compounded (effective) r_e = (1 + d / (1 − d)) ^ (D / (t_n − t_d)) − 1

T10: 2/10 net 30 → 37.245 % (365), 36.735 % (360), 44.585 % effective.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from creditlab._drawing import drawn_by
from creditlab.exceptions import InputError
from creditlab.finance import _common as c
from creditlab.finance.negotiation_labels import NEGOTIATION_LABELS
from creditlab.i18n import check_lang, format_pct

__all__ = ["discount_annual_rate", "max_discount", "discount_analysis", "DiscountAnalysis",
           "discount_curve", "DiscountCurve"]


# ---------------------------------------------------------------------------------------------
# escompte
# ---------------------------------------------------------------------------------------------
def _discount_inputs(discount, discount_days, net_days):
    d = c.number("discount", discount, lo=0.0, hi=1.0, hi_open=True,
                 fix="give the discount as a fraction below 1, e.g. 0.02 for 2 %")
    td = c.number("discount_days", discount_days, lo=0.0, hi=3650.0)
    tn = c.number("net_days", net_days, lo=0.0, hi=3650.0)
    a = c.broadcast(d=d, td=td, tn=tn)
    bad = a["tn"] <= a["td"]
    if bad.any():
        raise InputError("net_days", "more days than discount_days",
                         {"discount_days": a["td"][bad][:5].tolist(),
                          "net_days": a["tn"][bad][:5].tolist()},
                         "the net term must come after the discount window (e.g. 2/10 net 30)")
    return a


def discount_annual_rate(discount, discount_days, net_days, *, day_count: int = 365,
                         compounded: bool = False):
    """Equivalent annual rate of an early-payment discount (escompte).

    Parameters
    ----------
    discount : float or array-like
        Discount as a fraction in [0, 1) (0.02 = 2 %).
    discount_days : float or array-like
        Days within which the discount applies (t_d).
    net_days : float or array-like
        Net term in days (t_n > t_d).
    day_count : {365, 360}
    compounded : bool, default False
        False: simple rate ``d / (1 − d) × D / (t_n − t_d)``; True: effective rate
        ``(1 / (1 − d)) ^ (D / (t_n − t_d)) − 1`` (it overflows to inf for absurd inputs such
        as a 90 % discount for one day).

    Returns
    -------
    float, ndarray or Series
        Annual rate as a fraction: the return a customer earns by paying early, or the cost
        the supplier bears to be paid early.

    Notes
    -----
    DOMAIN.md §10.1; T10: 2/10 net 30 → 0.37245 (365), 0.36735 (360), effective 0.44585.
    1/10 net 45 → 10.53 % (https://fr.ebrdbusinesslens.com/74-how-8698897-calculate-rate-forgoing-cash-discountl-31315).
    For a period of at most one year (t_n − t_d ≤ D) the effective rate is never below the
    simple rate (Bernoulli's inequality).
    """
    D = c.day_count(day_count)
    a = _discount_inputs(discount, discount_days, net_days)
    n = a["tn"] - a["td"]
    if compounded:
        with np.errstate(over="ignore"):
            r = np.expm1(-np.log1p(-a["d"]) * D / n)
    else:
        r = a["d"] / (1 - a["d"]) * D / n
    return c.wrap(r, discount, discount_days, net_days, name="annual_rate")


def max_discount(financing_rate, discount_days, net_days, *, day_count: int = 365,
                 compounded: bool = False):
    """Largest discount worth offering at a given cost of money (inverse of
    :func:`discount_annual_rate`).

    A supplier financing itself at ``financing_rate`` gains by offering a discount whose
    equivalent annual rate is at most that rate::

        simple:      d = x / (1 + x),  x = rate × (t_n − t_d) / D
        compounded:  d = 1 − (1 + rate) ^ (−(t_n − t_d) / D)

    Parameters
    ----------
    financing_rate : float or array-like
        Annual cost of money (fraction >= 0).
    discount_days, net_days : float or array-like
        Discount window and net term (days, net > discount).
    day_count : {365, 360}
    compounded : bool, default False

    Returns
    -------
    float, ndarray or Series
        Discount as a fraction in [0, 1).

    Notes
    -----
    Algebraic inverse of DOMAIN.md §10.1 (round trip tested). It ignores the risk reduction of
    being paid earlier, which may justify a little more.
    """
    D = c.day_count(day_count)
    r = c.rate("financing_rate", financing_rate)
    a = _discount_inputs(0.0, discount_days, net_days)
    b = c.broadcast(r=r, td=a["td"], tn=a["tn"])
    n = b["tn"] - b["td"]
    if compounded:
        d = -np.expm1(-np.log1p(b["r"]) * n / D)
    else:
        x = b["r"] * n / D
        d = x / (1 + x)
    return c.wrap(d, financing_rate, discount_days, net_days, name="max_discount")


@dataclass(frozen=True, eq=False)
class DiscountAnalysis(c.ResultMixin):
    """Result of :func:`discount_analysis`."""

    discount: float
    discount_days: float
    net_days: float
    simple_rate_365: float
    simple_rate_360: float
    effective_rate: float
    financing_rate: float | None
    max_discount: float | None

    _title = {"fr": "Taux de l'escompte", "en": "Discount rate"}
    _labels = NEGOTIATION_LABELS

    def summary(self) -> pd.DataFrame:
        """The equivalent rates (index ``metric``, column ``value``, fractions)."""
        keys = ["simple_rate_365", "simple_rate_360", "effective_rate"]
        vals = [self.simple_rate_365, self.simple_rate_360, self.effective_rate]
        if self.max_discount is not None:
            keys.append("max_discount")
            vals.append(self.max_discount)
        out = pd.DataFrame({"value": vals}, index=keys)
        out.index.name = "metric"
        return out

    def explain(self, lang: str = "fr") -> str:
        lang = check_lang(lang)
        p = lambda v: format_pct(v, lang, 2)  # noqa: E731
        terms = f"{p(self.discount)} / {self.discount_days:g} / {self.net_days:g}"
        if lang == "fr":
            s = (f"Un escompte {terms} équivaut à un taux annuel de {p(self.simple_rate_365)} "
                 f"(simple, base 365) ou {p(self.effective_rate)} (composé).")
            if self.financing_rate is not None:
                verdict = ("coûte plus cher" if self.simple_rate_365 > self.financing_rate
                           else "coûte moins cher")
                s += (f" Pour le fournisseur qui se finance à {p(self.financing_rate)}, il "
                      f"{verdict} que le financement ; l'escompte maximal justifié est "
                      f"{p(self.max_discount)}.")
            return s
        s = (f"A {terms} discount is worth an annual rate of {p(self.simple_rate_365)} (simple, "
             f"365 basis) or {p(self.effective_rate)} (compounded).")
        if self.financing_rate is not None:
            verdict = ("costs more" if self.simple_rate_365 > self.financing_rate
                       else "costs less")
            s += (f" For a supplier financed at {p(self.financing_rate)}, it {verdict} than "
                  f"borrowing; the largest discount worth offering is {p(self.max_discount)}.")
        return s


def discount_analysis(discount: float, discount_days: float, net_days: float, *,
                      financing_rate: float | None = None) -> DiscountAnalysis:
    """Simple (365 and 360) and effective rates of an escompte, and — given the supplier's cost
    of money — the largest discount worth offering on the same terms (simple, 365 basis).

    Notes
    -----
    DOMAIN.md §10.1, T10.
    """
    d = c.scalar("discount", discount, lo=0.0, hi=1.0, hi_open=True,
                 fix="give the discount as a fraction below 1, e.g. 0.02")
    fr = None if financing_rate is None else c.scalar(
        "financing_rate", financing_rate, lo=0.0, hi=10.0,
        fix="give the rate as a fraction >= 0, e.g. 0.05")
    td = c.scalar("discount_days", discount_days, lo=0.0, hi=3650.0)
    tn = c.scalar("net_days", net_days, lo=0.0, hi=3650.0)
    return DiscountAnalysis(
        discount=d, discount_days=td, net_days=tn,
        simple_rate_365=discount_annual_rate(d, td, tn, day_count=365),
        simple_rate_360=discount_annual_rate(d, td, tn, day_count=360),
        effective_rate=discount_annual_rate(d, td, tn, compounded=True),
        financing_rate=fr,
        max_discount=None if fr is None else max_discount(fr, td, tn))




@dataclass(frozen=True, eq=False)
class DiscountCurve:
    """Result of :func:`discount_curve`: the equivalent annual rates over a grid of discounts.

    ``table`` has one row per discount of the grid: ``discount`` (fraction), ``simple_rate`` and
    ``effective_rate`` (fractions, ``day_count`` basis). ``max_discount`` is the largest
    discount worth offering at ``financing_rate`` (None without a financing rate).
    """

    discount_days: float
    net_days: float
    day_count: int
    financing_rate: float | None
    max_discount: float | None
    table: pd.DataFrame

    #: Draw the curve (:func:`creditlab.plots.finance.plot_discount_curve`); returns the Axes.
    plot = drawn_by("creditlab.plots.finance", "plot_discount_curve")


def discount_curve(discount_days: float, net_days: float, *, financing_rate: float | None = None,
                   up_to: float = 0.05, points: int = 101,
                   day_count: int = 365) -> DiscountCurve:
    """Equivalent annual rate (simple and compounded) of discounts from 0 to ``up_to`` on the
    terms "discount if paid within ``discount_days``, net ``net_days``", and the maximum
    discount worth offering at ``financing_rate``.

    Parameters
    ----------
    discount_days, net_days : float
        Discount window and net term in days (``net_days > discount_days``).
    financing_rate : float, optional
        Supplier's cost of money (annual fraction); gives ``max_discount``.
    up_to : float, default 0.05
        Largest discount of the grid (fraction below 1).
    points : int, default 101
        Number of grid points.
    day_count : {365, 360}

    Notes
    -----
    DOMAIN.md §10.1 (formulas in :func:`discount_annual_rate` and :func:`max_discount`).
    """
    top = c.scalar("up_to", up_to, lo=0.0, hi=1.0, lo_open=True, hi_open=True,
                   fix="give the largest discount as a fraction below 1, e.g. 0.05")
    n = c.scalar("points", points, lo=2.0, hi=10_000.0)
    if not float(n).is_integer():
        raise InputError("points", "a whole number of grid points", points, "pass e.g. 101")
    fr = None if financing_rate is None else c.scalar(
        "financing_rate", financing_rate, lo=0.0, hi=10.0,
        fix="give the rate as a fraction >= 0, e.g. 0.05")
    td = c.scalar("discount_days", discount_days, lo=0.0, hi=3650.0)
    tn = c.scalar("net_days", net_days, lo=0.0, hi=3650.0)
    d = np.linspace(0.0, top, int(n))
    table = pd.DataFrame({
        "discount": d,
        "simple_rate": discount_annual_rate(d, td, tn, day_count=day_count),
        "effective_rate": discount_annual_rate(d, td, tn, day_count=day_count, compounded=True),
    })
    return DiscountCurve(discount_days=td, net_days=tn, day_count=int(day_count),
                         financing_rate=fr,
                         max_discount=None if fr is None else float(
                             max_discount(fr, td, tn, day_count=day_count)),
                         table=table)
