"""The credit dashboard's watch list: ratings at a date, their changes, insolvencies.

- :func:`rating_at` — every customer's rating class at a date, from the accounts closed and the
  payments received by then (a rating is only as good as what was known at the date);
- :func:`rating_changes`, :func:`downgrades` — the rating class a year ago against now, and the
  customers whose class worsened with the exposure still carried;
- :func:`insolvencies` — insolvency proceedings opened over the last year with the exposure
  still carried; :func:`insolvencies_view` shows them with the proceeding's type in words.

Class numbers grow with risk (1 = best); a *downgrade* is a class number that went up.
Used by :func:`creditlab.reports.dashboard.build_dashboard` (which re-exports these names).
"""

from __future__ import annotations

import pandas as pd

from creditlab._checks import as_of_date
from creditlab.i18n import check_lang
from creditlab.labels import text
from creditlab.receivables import payment_behaviour
from creditlab.scores import classic_scores, customer_rating

__all__ = ["rating_at", "rating_changes", "downgrades", "insolvencies", "insolvencies_view"]

_EVENTS = {"sauvegarde": "report_event_sauvegarde", "redressement": "report_event_redressement",
           "liquidation": "report_event_liquidation"}


def rating_at(date, invoices: pd.DataFrame, payments: pd.DataFrame, *,
              customers: pd.DataFrame | None = None,
              financial_statements: pd.DataFrame | None = None,
              events: pd.DataFrame | None = None, lang: str = "fr") -> pd.DataFrame:
    """Every customer's rating at ``date``, from what was known then.

    The classic scores use the financial statements whose fiscal year ended on or before
    ``date`` (each score's validity domain set by the customer's ``sector`` when known), the
    payment behaviour the payments received by ``date``, the events those dated by ``date``.

    Returns
    -------
    DataFrame
        :func:`creditlab.scores.customer_rating` output (``rating_class``, ``rationale``, ...),
        indexed by ``customer_id``.
    """
    date = as_of_date(date, "date")
    fs = financial_statements
    statements = fs[fs["fiscal_year_end"] <= date] if fs is not None else None
    sector = (statements["customer_id"].map(customers.set_index("customer_id")["sector"])
              if statements is not None and customers is not None and "sector" in customers
              else None)
    scores = (classic_scores(statements, sector=sector)
              if statements is not None and len(statements) else None)
    return customer_rating(customers, scores=scores,
                           payment_behaviour=payment_behaviour(invoices, payments, date),
                           events=events, as_of=date, lang=lang)


def rating_changes(before: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    """Rating class before and now of the customers rated at both dates.

    Returns
    -------
    DataFrame
        ``class_before``, ``class_now`` (float), indexed by ``customer_id``; customers without a
        class at either date are left out.
    """
    return pd.DataFrame({"class_before": before["rating_class"].astype("float64"),
                         "class_now": now["rating_class"].astype("float64")}).dropna()


def downgrades(changes: pd.DataFrame, exposure_by_customer: pd.DataFrame,
               rating: pd.DataFrame) -> pd.DataFrame:
    """The watch list's downgrades: customers whose class number went up, largest net exposure
    first, with the exposure still carried and today's rating rationale.

    Returns
    -------
    DataFrame
        ``class_before, class_now, net_exposure, rationale``, indexed by ``customer_id``
        (``net_exposure`` NaN for a customer without exposure data).
    """
    down = changes[changes["class_now"] > changes["class_before"]]
    down = down.join(exposure_by_customer[["net_exposure"]], how="left")
    down = down.join(rating[["rationale"]], how="left")
    return down.sort_values("net_exposure", ascending=False)


def insolvencies(events: pd.DataFrame | None, exposure_by_customer: pd.DataFrame, as_of, *,
                 years: int = 1) -> pd.DataFrame:
    """Insolvency proceedings dated in the ``years`` years up to ``as_of`` (excluded start,
    included end), with the customer's open receivables and net exposure still carried.

    Returns
    -------
    DataFrame
        One row per customer whose latest proceeding (on or before ``as_of``) falls in the
        window: the events' columns plus ``open_receivables``, ``net_exposure`` (NaN for a
        customer without exposure). A customer with several proceedings (redressement, then
        liquidation) appears once, at the latest: its exposure is not counted twice.
    """
    asof = as_of_date(as_of)
    if events is None:
        events = pd.DataFrame(columns=["customer_id", "event_type", "event_date"])
    known = events[events["event_date"] <= asof]
    # one row per customer, at its latest proceeding (a redressement turned into a liquidation
    # is one customer at risk: its exposure is counted once)
    latest = known.sort_values("event_date", kind="stable").drop_duplicates("customer_id",
                                                                            keep="last")
    recent = latest[latest["event_date"] > asof - pd.DateOffset(years=years)]
    return recent.merge(exposure_by_customer[["open_receivables", "net_exposure"]],
                        left_on="customer_id", right_index=True, how="left")


def insolvencies_view(failures: pd.DataFrame, lang: str = "fr", n: int = 15) -> pd.DataFrame:
    """The ``n`` latest proceedings for display: type and date in words, by customer."""
    check_lang(lang)
    view = failures.sort_values("event_date", ascending=False).head(n).set_index(
        "customer_id")[["event_type", "event_date", "open_receivables", "net_exposure"]]
    view["event_type"] = view["event_type"].map(
        lambda e: text(_EVENTS[e], lang) if e in _EVENTS else e)
    view["event_date"] = view["event_date"].dt.strftime("%d/%m/%Y" if lang == "fr"
                                                        else "%Y-%m-%d")
    return view
