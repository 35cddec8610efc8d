"""Late-payment penalties and the 40 € recovery indemnity (L441-10 II, D441-5 Code de commerce).

Rules (DOMAIN.md §7.2, pitfalls §14.3):

- penalties run from the day after the due date, without any reminder, to the payment date
  (or the date of the computation) — ``days = end_date − due_date``;
- penalty = amount due TTC × annual rate × days / 365, the rate of each **half-year** being the
  one fixed on 1 January / 1 July: a late period spanning two half-years is split at the boundary;
- the default (supplétif) rate is the ECB rate of the half-year + 10 points; a contractual rate
  may be set instead but not below 3 × the professional legal rate — a lower contractual rate is
  replaced by that floor, with a warning naming both rates;
- a fixed indemnity of 40 € is due per late invoice (not per day), not subject to VAT.

Worked example (DOMAIN.md §7.2, T11): 10 000 € due 2025-09-30 paid 2025-11-30 → 61 days at
12.15 % → 203.05 € + 40 €.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from creditlab._checks import as_date, round_cents
from creditlab.exceptions import InputError
from creditlab.legal.rates import date_values, default_penalty_rate, minimum_contract_rate

__all__ = ["late_penalties", "penalties_by_period", "penalty_breakdown", "round_cents", "FIXED_INDEMNITY_EUR",
           "PenaltyRateWarning"]

#: Indemnité forfaitaire pour frais de recouvrement per late invoice (D441-5).
FIXED_INDEMNITY_EUR = 40.0
_DAY_COUNT = 365


class PenaltyRateWarning(UserWarning):
    """A contractual penalty rate is below the legal floor (3 × the legal interest rate)."""


def _series(x, name: str, n: int | None, index) -> pd.Series:
    if isinstance(x, pd.Series):
        return x.reset_index(drop=True)
    if np.ndim(x) == 0:
        return pd.Series([x] * (n or 1))
    return pd.Series(list(x))


def _half_starts(first: pd.Timestamp, last: pd.Timestamp) -> pd.DatetimeIndex:
    start = pd.Timestamp(first.year, 1 if first.month <= 6 else 7, 1)
    return pd.date_range(start, last, freq="6MS")


def late_penalties(amount, due_date, end_date, *, contract_rate: float | None = None) -> pd.DataFrame:
    """Penalty and indemnity of late invoices, vectorised.

    Parameters
    ----------
    amount : float or Series
        Amount due TTC (euros, >= 0): the open amount during the late period.
    due_date, end_date : date-like or Series
        Due date printed on the invoice; payment date (or date of the computation).
    contract_rate : float, optional
        Contractual annual rate as a fraction (0.12 = 12 %). None: the default rate
        (ECB of the half-year + 10 points). Below the floor of a half-year it is replaced by
        the floor (3 × legal rate) for that half-year, with a :class:`PenaltyRateWarning`.

    Returns
    -------
    DataFrame (index of ``amount`` when it is a Series) with ``amount``, ``due_date``,
    ``end_date``, ``days_late`` (0 when paid on time), ``penalty`` (euros, unrounded),
    ``penalty_rounded`` (cents, half-up), ``indemnity`` (40 € when late, else 0),
    ``average_rate`` (day-weighted rate over the late period; NaN when not late).

    Raises
    ------
    InputError
        Negative or missing amount, missing or unparseable dates, inputs of different lengths.
    creditlab.exceptions.ReferenceDataError
        A late day falls in a half-year outside the rate tables.
    """
    index = next((x.index for x in (amount, due_date, end_date) if isinstance(x, pd.Series)),
                 None)
    lens = {len(x) for x in (amount, due_date, end_date) if np.ndim(x) > 0}
    if len(lens) > 1:
        raise InputError("amount/due_date/end_date", "inputs of the same length", sorted(lens),
                         "pass one value per invoice (or a scalar)")
    n = lens.pop() if lens else 1
    amt = pd.to_numeric(_series(amount, "amount", n, index), errors="coerce").astype("float64")
    if not np.isfinite(amt.to_numpy()).all() or (amt < 0).any():
        raise InputError("amount", "finite amounts due >= 0 (euros TTC)",
                         "missing, non-numeric, infinite or negative value(s)",
                         "pass the open amount of each late invoice; credit notes are not late")
    due = date_values(_series(due_date, "due_date", n, index), "due_date")
    end = date_values(_series(end_date, "end_date", n, index), "end_date")
    for s, name in ((due, "due_date"), (end, "end_date")):
        if s.isna().any():
            raise InputError(name, "a date for every invoice", "missing value(s)",
                             f"fill {name} (a missing due date cannot be late)")
    if contract_rate is not None:
        try:
            rate_in = float(contract_rate)
        except (TypeError, ValueError):
            rate_in = float("nan")
        if not (0 <= rate_in < 1):
            raise InputError("contract_rate", "an annual rate as a fraction in [0, 1)",
                             contract_rate, "write 12 % as 0.12")
        contract_rate = rate_in

    d0 = due.to_numpy().astype("datetime64[D]").astype("int64")   # last day not late
    d1 = end.to_numpy().astype("datetime64[D]").astype("int64")   # last late day
    days = np.maximum(d1 - d0, 0)
    late = days > 0
    weighted = np.zeros(n)                  # Σ rate × days
    if late.any():
        first = pd.Timestamp((d0[late] + 1).min(), unit="D")
        last = pd.Timestamp(d1[late].max(), unit="D")
        starts = _half_starts(first, last)
        below = []
        for hs in starts:                   # one pass per half-year, not per invoice
            he = hs + pd.DateOffset(months=6) - pd.Timedelta(days=1)
            hs_d = int(np.datetime64(hs.date(), "D").astype("int64"))
            he_d = int(np.datetime64(he.date(), "D").astype("int64"))
            overlap = np.clip(np.minimum(d1, he_d) - np.maximum(d0 + 1, hs_d) + 1, 0, None)
            overlap = np.where(late, overlap, 0)
            if not overlap.any():
                continue
            if contract_rate is None:
                rate = float(default_penalty_rate(hs))
            else:
                floor = float(minimum_contract_rate(hs))
                rate = max(float(contract_rate), floor)
                if float(contract_rate) < floor - 1e-12:
                    below.append((hs, floor))
            weighted += rate * overlap
        if below:
            hs, floor = below[0]
            half = f"{hs.year} S{1 if hs.month == 1 else 2}"
            msg = (f"taux contractuel {contract_rate:.2%} inférieur au plancher légal "
                   f"(3 × taux d'intérêt légal = {floor:.2%} en {half}, L441-10 II) : "
                   "le plancher est appliqué")
            warnings.warn(msg, PenaltyRateWarning, stacklevel=2)
    penalty = amt.to_numpy() * weighted / _DAY_COUNT
    with np.errstate(invalid="ignore", divide="ignore"):
        avg = np.where(late, weighted / np.where(late, days, 1), np.nan)
    out = pd.DataFrame({
        "amount": amt.to_numpy(), "due_date": due.to_numpy(), "end_date": end.to_numpy(),
        "days_late": days.astype("int64"), "penalty": penalty,
        "penalty_rounded": round_cents(penalty),
        "indemnity": np.where(late, FIXED_INDEMNITY_EUR, 0.0), "average_rate": avg,
    })
    if index is not None:
        out.index = index
    return out


def penalty_breakdown(amount: float, due_date, end_date, *,
                      contract_rate: float | None = None) -> pd.DataFrame:
    """Per half-year detail of one late invoice (for letters and training).

    Columns ``period_start, period_end, days, rate, penalty`` (unrounded) and a last row
    ``total`` with the rounded total in ``penalty``.
    """
    res = late_penalties(amount, due_date, end_date, contract_rate=contract_rate)
    days = int(res["days_late"].iloc[0])
    if days == 0:
        return pd.DataFrame(columns=["period_start", "period_end", "days", "rate", "penalty"])
    first = as_date(due_date, "due_date") + pd.Timedelta(days=1)
    last = as_date(end_date, "end_date")
    rows = []
    for hs in _half_starts(first, last):
        he = hs + pd.DateOffset(months=6) - pd.Timedelta(days=1)
        a, b = max(first, hs), min(last, he)
        if b < a:
            continue
        n = (b - a).days + 1
        rate = (float(default_penalty_rate(hs)) if contract_rate is None
                else max(float(contract_rate), float(minimum_contract_rate(hs))))
        rows.append({"period_start": a, "period_end": b, "days": n, "rate": rate,
                     "penalty": float(amount) * rate * n / _DAY_COUNT})
    table = pd.DataFrame(rows)
    total = pd.DataFrame([{"period_start": first, "period_end": last, "days": days,
                           "rate": float(res["average_rate"].iloc[0]),
                           "penalty": float(res["penalty_rounded"].iloc[0])}],
                         index=["total"])
    return pd.concat([table, total])


def penalties_by_period(invoices: pd.DataFrame, payments: pd.DataFrame | None, end_date, *,
                        stop_dates: pd.Series | None = None,
                        contract_rate: float | None = None) -> pd.DataFrame:
    """Penalties of each invoice on the balance still due in each sub-period (vectorised).

    L441-10 II Code de commerce: penalties run day by day on the sum still due. The late period
    of an invoice — from the day after its due date to ``end_date`` (or its stop date, e.g. the
    judgment opening insolvency proceedings, L622-28) — is cut at each partial payment; each
    sub-period accrues on the balance open during it, and :func:`late_penalties` splits it
    again at each rate half-year. A payment made on day *d* leaves day *d* at the former
    balance (as :func:`late_penalties` counts a payment date as a late day).

    Worked example: 1 200 € due 30 April, 500 € paid 15 May, end 30 June →
    (1 200 × 15 + 700 × 46) × rate / 365.

    Parameters
    ----------
    invoices : DataFrame
        ``invoice_id``, ``due_date``, ``amount_ttc`` (euros TTC; rows with a non-positive
        amount, e.g. credit notes, get no penalty).
    payments : DataFrame or None
        ``invoice_id``, ``payment_date``, ``amount`` (allocated payments; rows without an
        invoice or dated after the end are ignored).
    end_date : date-like or Series aligned on ``invoices``
        Last day penalties run to (the computation date).
    stop_dates : Series aligned on ``invoices``, optional
        Per invoice, a date after which no interest runs (NaT: none).
    contract_rate : float, optional
        As :func:`late_penalties`.

    Returns
    -------
    DataFrame indexed like ``invoices``: ``invoice_id``, ``balance_at_end`` (euros still due at
    the end), ``last_payment_date`` (NaT when none), ``n_periods`` (sub-periods accruing),
    ``late_days`` (days with a positive balance after the due date), ``penalty``
    (unrounded) and ``penalty_rounded`` (cents, half-up), ``indemnity`` (40 € when the
    invoice had any late day, D441-5).

    Raises
    ------
    InputError
        Missing columns or dates; ReferenceDataError as :func:`late_penalties`.
    """
    for col in ("invoice_id", "due_date", "amount_ttc"):
        if col not in invoices.columns:
            raise InputError(f"invoices.{col}", "invoice_id, due_date, amount_ttc",
                             f"missing {col}", "pass the invoices table")
    inv = invoices.reset_index(drop=True)
    n = len(inv)
    due = date_values(inv["due_date"], "invoices.due_date").to_numpy()
    end = date_values(end_date if np.ndim(end_date) else [end_date] * n, "end_date").to_numpy()
    last_day = end                          # payments up to it lower the balance
    if stop_dates is not None:
        stop = date_values(pd.Series(stop_dates).reset_index(drop=True), "stop_dates")
        end = np.where(stop.notna().to_numpy() & (stop.to_numpy() < end), stop.to_numpy(), end)
    amount = pd.to_numeric(inv["amount_ttc"], errors="coerce").fillna(0.0).to_numpy("float64")
    ids = inv["invoice_id"].astype("str")
    pos = pd.Series(np.arange(n), index=ids)
    if pos.index.duplicated().any():
        raise InputError("invoices.invoice_id", "unique invoice ids",
                         ids[pos.index.duplicated()].head(5).tolist())
    if payments is not None and len(payments):
        pay = payments[payments["invoice_id"].notna()]
        pay = pd.DataFrame({"row": pos.reindex(pay["invoice_id"].astype("str")).to_numpy(),
                            "date": date_values(pay["payment_date"], "payments.payment_date")
                            .to_numpy(),
                            "amount": pd.to_numeric(pay["amount"], errors="coerce")
                            .fillna(0.0).to_numpy("float64")}).dropna(subset=["row", "date"])
        pay["row"] = pay["row"].astype("int64")
        pay = pay[pay["date"].to_numpy() <= last_day[pay["row"].to_numpy()]]
        # several payments of one day are one reduction
        pay = pay.groupby(["row", "date"], as_index=False)["amount"].sum().sort_values(
            ["row", "date"])
    else:
        pay = pd.DataFrame({"row": pd.Series(dtype="int64"),
                            "date": pd.Series(dtype="datetime64[ns]"),
                            "amount": pd.Series(dtype="float64")})
    rows = pay["row"].to_numpy()
    paid_before = pay.groupby("row")["amount"].cumsum().to_numpy() - pay["amount"].to_numpy()
    # sub-periods: (previous breakpoint, payment date] at the balance before the payment, and
    # (last breakpoint, end] at the final balance; the first breakpoint is the due date
    prev = pay.groupby("row")["date"].shift(1).to_numpy()
    start = np.where(pd.isna(prev), due[rows], prev).astype("datetime64[ns]")
    seg = pd.DataFrame({"row": rows, "start": start, "end": pay["date"].to_numpy(),
                        "balance": amount[rows] - paid_before})
    total_paid = pay.groupby("row")["amount"].sum().reindex(np.arange(n), fill_value=0.0)
    last_pay = pay.groupby("row")["date"].max().reindex(np.arange(n))
    tail_start = np.where(last_pay.isna().to_numpy(), due, last_pay.to_numpy())
    tail = pd.DataFrame({"row": np.arange(n), "start": tail_start.astype("datetime64[ns]"),
                         "end": end, "balance": amount - total_paid.to_numpy()})
    seg = pd.concat([seg, tail], ignore_index=True)
    # only the late part of each sub-period accrues (a payment before the due date lowers the
    # balance from the start), on a positive balance
    seg["start"] = np.maximum(seg["start"].to_numpy(), due[seg["row"].to_numpy()])
    seg["end"] = np.minimum(seg["end"].to_numpy(), end[seg["row"].to_numpy()])
    seg = seg[(seg["end"] > seg["start"]) & (seg["balance"] > 0.005)
              & (amount[seg["row"].to_numpy()] > 0)]
    if len(seg):
        res = late_penalties(seg["balance"].to_numpy(), seg["start"].reset_index(drop=True),
                             seg["end"].reset_index(drop=True), contract_rate=contract_rate)
        seg = seg.assign(penalty=res["penalty"].to_numpy(), days=res["days_late"].to_numpy())
    else:
        seg = seg.assign(penalty=pd.Series(dtype="float64"), days=pd.Series(dtype="int64"))
    g = seg.groupby("row")
    penalty = g["penalty"].sum().reindex(np.arange(n), fill_value=0.0).to_numpy()
    late_days = g["days"].sum().reindex(np.arange(n), fill_value=0).to_numpy("int64")
    out = pd.DataFrame({
        "invoice_id": ids.to_numpy(),
        "balance_at_end": np.round(amount - total_paid.to_numpy(), 2),
        "last_payment_date": last_pay.to_numpy(dtype="datetime64[ns]"),
        "n_periods": g.size().reindex(np.arange(n), fill_value=0).to_numpy("int64"),
        "late_days": late_days, "penalty": penalty, "penalty_rounded": round_cents(penalty),
        "indemnity": np.where(late_days > 0, FIXED_INDEMNITY_EUR, 0.0),
    }, index=invoices.index)
    return out
