"""Payment plans (échéanciers): instalment schedule with interest and penalties, and what a plan
costs the seller."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from creditlab._checks import as_date
from creditlab._drawing import drawn_by
from creditlab.exceptions import InputError
from creditlab.finance import _common as c
from creditlab.finance.negotiation_labels import NEGOTIATION_LABELS
from creditlab.i18n import check_lang

__all__ = ["payment_plan", "PaymentPlan", "FREQUENCIES", "NEGOTIATION_LABELS"]

#: Instalment frequencies and their number of periods per year.
FREQUENCIES = {"weekly": 52, "monthly": 12, "quarterly": 4}


# ---------------------------------------------------------------------------------------------
# payment plans
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class PaymentPlan(c.ResultMixin):
    """An instalment plan (échéancier) and its cash schedule.

    ``schedule`` columns: ``instalment`` (1..n), ``date``, ``opening_balance``, ``principal``,
    ``interest``, ``penalties``, ``payment``, ``closing_balance`` — euros rounded to cents
    (half-up), the last instalment absorbing the rounding so that principal sums to the amount.
    """

    amount: float
    n_instalments: int
    frequency: str
    annual_rate: float
    method: str
    penalties: float
    waive_penalties: bool
    schedule: pd.DataFrame

    _title = {"fr": "Échéancier", "en": "Payment plan"}
    _labels = NEGOTIATION_LABELS

    @property
    def total_interest(self) -> float:
        return float(self.schedule["interest"].sum())

    @property
    def total_paid(self) -> float:
        return float(self.schedule["payment"].sum())

    @property
    def penalties_waived(self) -> float:
        return self.penalties if self.waive_penalties else 0.0

    @property
    def first_date(self) -> pd.Timestamp:
        return self.schedule["date"].iloc[0]

    @property
    def last_date(self) -> pd.Timestamp:
        return self.schedule["date"].iloc[-1]

    def cost_to_seller(self, reference_date, financing_rate: float, *,
                       day_count: int = 365) -> pd.Series:
        """What the plan costs the seller compared with being paid in full on
        ``reference_date`` (the original due date, or today for an overdue debt).

        Returns
        -------
        Series
            ``financing_cost`` = Σ principal × rate × days after the reference date / D,
            ``interest_received``, ``penalties_received``, ``penalties_waived``,
            ``net_cost`` = financing cost − interest − penalties received (> 0: the plan
            costs the seller), ``net_cost_share`` (of the amount), ``average_delay_days``
            (principal-weighted), ``duration_days`` (to the last instalment).

        Notes
        -----
        First-order cost (same formula as a late invoice, DOMAIN.md §10.2); the interest and
        penalties are taken at face value (not discounted). Instalments dated before the
        reference date reduce the cost (negative delay).
        """
        D = c.day_count(day_count)
        r = c.scalar("financing_rate", financing_rate, lo=0.0, hi=10.0,
                     fix="give the rate as a fraction >= 0, e.g. 0.05")
        ref = _date("reference_date", reference_date)
        sch = self.schedule
        delay = (sch["date"] - ref).dt.days.to_numpy(dtype="float64")
        principal = sch["principal"].to_numpy()
        fin = float((principal * r * delay / D).sum())
        interest = self.total_interest
        pen = float(sch["penalties"].sum())
        net = fin - interest - pen
        return pd.Series({
            "financing_cost": fin, "interest_received": interest, "penalties_received": pen,
            "penalties_waived": self.penalties_waived, "net_cost": net,
            "net_cost_share": float(c.safe_div(net, self.amount)),
            "average_delay_days": float(c.safe_div((principal * delay).sum(),
                                                      principal.sum())),
            "duration_days": float(delay[-1]),
        })

    def summary(self) -> pd.DataFrame:
        """The schedule in codes with a ``total`` row (index ``instalment``: "1".."n", "total";
        the total row has no date and no balances)."""
        sch = self.schedule.copy()
        total = {k: sch[k].sum() for k in ("principal", "interest", "penalties", "payment")}
        total.update({"instalment": "total", "date": pd.NaT, "opening_balance": np.nan,
                      "closing_balance": np.nan})
        sch["instalment"] = sch["instalment"].astype("str")
        sch = pd.concat([sch, pd.DataFrame([total])], ignore_index=True)
        return sch.set_index("instalment")

    def to_frame(self, lang: str = "fr") -> pd.DataFrame:
        """The schedule in words, dates written day-first in French (ISO in English)."""
        lang = check_lang(lang)
        sch = self.summary()
        sch["date"] = sch["date"].dt.strftime("%d/%m/%Y" if lang == "fr" else "%Y-%m-%d") \
            .fillna("")
        return c.words(sch, self._labels, lang)

    #: Instalments (principal, interest, penalties) and the remaining balance.
    plot_schedule = drawn_by("creditlab.plots.finance", "plot_payment_plan")


def _date(name: str, value) -> pd.Timestamp:
    return as_date(value, name)


def _whole(name: str, value, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not lo <= value <= hi:
        raise InputError(name, f"a whole number in [{lo}, {hi}]", value)
    return int(value)


def payment_plan(amount: float, n_instalments: int, first_date, *,
                 frequency: Literal["weekly", "monthly", "quarterly"] = "monthly",
                 annual_rate: float = 0.0, method: Literal["annuity", "linear"] = "annuity",
                 penalties: float = 0.0, waive_penalties: bool = True,
                 penalties_timing: Literal["first", "spread", "last"] = "first") -> PaymentPlan:
    """Build an instalment plan (échéancier) and its cash schedule.

    Parameters
    ----------
    amount : float
        Principal to reschedule (euros TTC, > 0).
    n_instalments : int
        Number of instalments (1-120).
    first_date : date-like
        Date of the first instalment; the next ones follow ``frequency`` (monthly dates keep
        the day of month, clipped to the month end: 31 Jan → 28/29 Feb).
    frequency : {"weekly", "monthly", "quarterly"}
    annual_rate : float, default 0
        Contractual interest rate of the plan (fraction); the periodic rate is proportional
        (``annual_rate / periods per year``), the usual convention of French schedules.
    method : {"annuity", "linear"}
        "annuity": constant instalments (principal + interest); "linear": constant principal.
    penalties : float, default 0
        Late-payment penalties and fixed indemnities accrued so far (euros, see
        ``creditlab.legal``).
    waive_penalties : bool, default True
        True: the penalties are abandoned in exchange for the plan (shown as
        ``penalties_waived``); False: they are collected with the instalments.
    penalties_timing : {"first", "spread", "last"}
        When collected penalties are paid: with the first instalment, spread evenly, or with
        the last.

    Returns
    -------
    PaymentPlan
    """
    p = c.scalar("amount", amount, lo=0.0, lo_open=True, fix="give the amount in euros (> 0)")
    n = _whole("n_instalments", n_instalments, 1, 120)
    first = _date("first_date", first_date)
    if frequency not in FREQUENCIES:
        raise InputError("frequency", f"one of {tuple(FREQUENCIES)}", frequency)
    if method not in ("annuity", "linear"):
        raise InputError("method", "'annuity' (constant instalments) or 'linear' (constant "
                         "principal)", method)
    if penalties_timing not in ("first", "spread", "last"):
        raise InputError("penalties_timing", "'first', 'spread' or 'last'", penalties_timing)
    if not isinstance(waive_penalties, (bool, np.bool_)):
        raise InputError("waive_penalties", "True or False", waive_penalties)
    r = c.scalar("annual_rate", annual_rate, lo=0.0, hi=1.0,
                 fix="give the plan's interest rate as a fraction >= 0, e.g. 0.05")
    pen = c.scalar("penalties", penalties, lo=0.0, fix="give accrued penalties in euros (>= 0)")
    k = np.arange(n)
    if frequency == "weekly":
        dates = first + pd.to_timedelta(7 * k, unit="D")
    else:
        step = 1 if frequency == "monthly" else 3
        dates = pd.DatetimeIndex([first + pd.DateOffset(months=int(step * i)) for i in k])
    i = r / FREQUENCIES[frequency]
    # instalment amounts with cent rounding; the last instalment closes the balance exactly
    principal = np.empty(n)
    interest = np.empty(n)
    opening = np.empty(n)
    bal = c.round_cents(p)
    if method == "annuity":
        pay = c.round_cents(bal / n if i == 0 else bal * i / (1 - (1 + i) ** -n))
    else:
        lin = c.round_cents(bal / n)
    for j in range(n):  # n <= 120 instalments: a plain loop over the schedule, not over data
        opening[j] = bal
        interest[j] = c.round_cents(bal * i)
        if j == n - 1:
            principal[j] = bal
        elif method == "annuity":
            principal[j] = min(c.round_cents(pay - interest[j]), bal)
        else:
            principal[j] = min(lin, bal)
        bal = c.round_cents(bal - principal[j])
    pens = np.zeros(n)
    if pen > 0 and not waive_penalties:
        if penalties_timing == "first":
            pens[0] = pen
        elif penalties_timing == "last":
            pens[-1] = pen
        else:
            # cents rounded down so the last instalment's remainder is never negative
            share = np.floor(round(pen * 100, 6) / n) / 100
            pens[:] = share
            pens[-1] = c.round_cents(pen - share * (n - 1))
    schedule = pd.DataFrame({
        "instalment": k + 1, "date": pd.DatetimeIndex(dates),
        "opening_balance": opening, "principal": principal, "interest": interest,
        "penalties": pens,
    })
    schedule["payment"] = c.round_cents(schedule["principal"] + schedule["interest"]
                                        + schedule["penalties"])
    schedule["closing_balance"] = c.round_cents(schedule["opening_balance"]
                                                - schedule["principal"])
    return PaymentPlan(amount=p, n_instalments=n, frequency=frequency, annual_rate=r,
                       method=method, penalties=pen, waive_penalties=bool(waive_penalties),
                       schedule=schedule)


