"""The monthly credit dashboard's tables: KPI panel, ratings and their changes, watch list.

What the ``credit_dashboard`` report notebook used to define in its cells, as tested functions:

- :func:`kpi_panel` — the KPIs of the month, the previous month and 11 months ago, formatted;
- the watch list (:mod:`creditlab.reports.watch`, re-exported here): :func:`rating_at`,
  :func:`rating_changes`, :func:`downgrades`, :func:`insolvencies`, :func:`insolvencies_view`;
- :func:`over_limit` — customers over their credit limit with the limit proposed for them;
- :func:`open_orders` — the accepted orders not yet shipped at a date (those the credit hold
  decides on);
- :func:`check_kpis` — the consistency checks of the report (history against open items);
- :func:`plot_kpi_panel`, :func:`plot_exposure_panel` — the report's two figure panels.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from creditlab._checks import as_of_date
from creditlab._safety import escape_frame
from creditlab.exceptions import InputError
from creditlab.i18n import check_lang, format_eur, format_pct
from creditlab.labels import text
from creditlab.limits import (
    HOLD_COLUMN_LABELS,
    LIMIT_COLUMN_LABELS,
    CreditPolicy,
    credit_hold,
    limit_inputs,
    propose_limits,
)
from creditlab.plots import kpi as kplots
from creditlab.receivables import aged_balance, payment_behaviour
from creditlab.receivables.exposure import EXPOSURE_LABELS, exposure
from creditlab.receivables.kpi import (
    KPI_LABELS,
    dispute_ageing,
    dispute_ageing_words,
    kpi_history,
    note_text,
    receivables_status,
)
from creditlab.reports.common import format_count, open_disputes, say, styled, summary_in_words
from creditlab.reports.watch import (
    downgrades,
    insolvencies,
    insolvencies_view,
    rating_at,
    rating_changes,
)

__all__ = ["KPI_PANEL_ROWS", "dashboard_labels", "kpi_panel", "check_kpis", "rating_at",
           "rating_changes", "downgrades", "insolvencies", "insolvencies_view", "over_limit",
           "open_orders", "plot_kpi_panel", "plot_exposure_panel", "exposure_top",
           "check_limits", "CreditDashboard", "build_dashboard", "OVER_LIMIT_COLUMNS",
           "HELD_COLUMNS", "herfindahl_text"]

#: KPI codes of the panel of section 1, in display order.
KPI_PANEL_ROWS = ("receivables_ttc", "past_due_ttc", "over_90_ttc", "sales_ttc", "dso_simple",
                  "dso_countback", "bpdso", "add", "cei", "cei_12m", "overdue_ratio",
                  "share_over_90", "weighted_days_past_due", "avg_days_to_pay", "avg_days_late",
                  "dispute_rate", "limit_utilisation", "n_over_limit")
_FRACTIONS = {"cei", "cei_12m", "overdue_ratio", "share_over_90", "dispute_rate",
              "limit_utilisation"}
_DAYS = {"dso_simple", "dso_countback", "bpdso", "add", "weighted_days_past_due",
         "avg_days_to_pay", "avg_days_late"}
_COUNTS = {"n_over_limit"}

#: Columns of the dashboard's own tables → catalogue key of their words.
_OWN_COLUMNS = {"name": "name", "class_before": "report_class_before",
                "class_now": "report_class_now", "rationale": "report_rationale",
                "event_type": "report_event_type", "event_date": "report_event_date",
                "customer_id": "report_customer", "order_id": "report_order_id"}


def dashboard_labels() -> dict[str, dict[str, str]]:
    """Words of every column the dashboard shows: ``{code: {"fr": ..., "en": ...}}``."""
    own = {code: {"fr": text(key, "fr"), "en": text(key, "en")}
           for code, key in _OWN_COLUMNS.items()}
    return {**KPI_LABELS, **EXPOSURE_LABELS, **LIMIT_COLUMN_LABELS, **HOLD_COLUMN_LABELS, **own}


def _kpi_value(code: str, value, lang: str) -> str:
    if pd.isna(value):
        return "—"
    if code in _FRACTIONS:
        return format_pct(value, lang)
    if code in _DAYS:
        return f"{value:.1f} j".replace(".", ",") if lang == "fr" else f"{value:.1f} d"
    if code in _COUNTS:
        return f"{value:.0f}"
    return format_eur(value, lang, 0)


def kpi_panel(history: pd.DataFrame, lang: str = "fr",
              rows: tuple[str, ...] = KPI_PANEL_ROWS) -> pd.DataFrame:
    """The KPIs of the last month of ``history``, the month before and the first month, as text.

    Parameters
    ----------
    history : DataFrame
        :func:`creditlab.receivables.kpi.kpi_history` output, one row per month end (at least
        two rows).
    lang : {"fr", "en"}
        Words of the rows and columns, number formats (euros without cents, percentages with
        one decimal, days with one decimal, counts as whole numbers, "—" for NaN).

    Returns
    -------
    DataFrame
        Index: the KPI names in words; columns: this month, previous month, 11 months ago (the
        first row of ``history``).
    """
    check_lang(lang)
    if len(history) < 1:
        raise InputError("history", "a KPI history of at least one month", len(history),
                         "start the history earlier")
    # a short ledger (a company on its first months) has fewer columns, never zero months
    cols = {text("report_this_month", lang): history.iloc[-1]}
    if len(history) >= 2:
        cols[text("report_previous_month", lang)] = history.iloc[-2]
    if len(history) >= 3:
        cols[text("report_months_ago", lang, n=len(history) - 1)] = history.iloc[0]
    return pd.DataFrame({c: [_kpi_value(k, r[k], lang) for k in rows] for c, r in cols.items()},
                        index=[KPI_LABELS[k][lang] for k in rows])


def _require(condition, message: str) -> None:
    if not bool(condition):
        raise AssertionError(message)


def check_kpis(history: pd.DataFrame, items: pd.DataFrame, status: pd.Series) -> None:
    """The report's checks of section 1: the month-end history and the open items of the month
    agree (receivables, current, over 90 days to the cent), ratios in range, ADD = DSO − BPDSO.

    Raises
    ------
    AssertionError
        A check failed (the report fails and names it).
    """
    now = history.iloc[-1]
    _require(abs(now["receivables_ttc"] - items["open_amount"].sum()) < 0.01,
             "history and open items disagree on the receivables")
    _require(abs(now["current_ttc"] - status["current_ttc"]) < 0.01,
             "history and status disagree on the current receivables")
    _require(abs(now["over_90_ttc"] - status["over_90_ttc"]) < 0.01,
             "history and status disagree on the receivables over 90 days")
    # a ratio that cannot be computed (short history, no sales) is NaN with its note; open
    # credit notes past due larger than the past-due invoices give a negative overdue ratio
    _require(not now["overdue_ratio"] > 1 + 1e-9 and not now["dso_simple"] < 0,
             "overdue ratio above 1 or DSO negative")
    _require(not abs(now["add"] - (now["dso_simple"] - now["bpdso"])) >= 1e-9,
             "ADD != DSO - BPDSO")


def exposure_top(exposure, customers: pd.DataFrame | None = None, n: int = 10) -> pd.DataFrame:
    """The ``n`` largest net exposures (section 3's table), with the customer's name when the
    customers table has one."""
    cols = ["open_receivables", "shipped_not_invoiced", "orders_accepted", "net_exposure",
            "credit_limit", "insured", "uninsured", "share"]
    top = exposure.top(n)[cols]
    if customers is not None and "name" in customers.columns:
        top.insert(0, "name", customers.set_index("customer_id")["name"].reindex(top.index))
    return top


def over_limit(exposure, proposal=None, lang: str = "fr") -> pd.DataFrame:
    """Customers over their credit limit, largest overrun first, with the limit proposed
    (``proposed_limit, binding_label, remedy`` from a :class:`~creditlab.limits` proposal, the
    words in ``lang``)."""
    over = exposure.over_limit()
    if proposal is not None:
        words = proposal.in_words(lang)
        over = over.join(words[["proposed_limit", "binding_label", "remedy"]], how="left")
    return over


def open_orders(orders: pd.DataFrame, as_of) -> pd.DataFrame:
    """Orders accepted on or before ``as_of`` and not shipped by then (a shipped order without
    a ship date counts as shipped)."""
    asof = as_of_date(as_of)
    shipped = orders["status"].eq("shipped") & (orders["ship_date"].isna()
                                                 | (orders["ship_date"] <= asof))
    return orders[(orders["order_date"] <= asof) & ~shipped]


def plot_kpi_panel(history: pd.DataFrame, lang: str = "fr"):
    """Section 1's 2×2 panel: DSO, receivables split, arrears and disputes, CEI. Returns the
    Figure."""
    fig, axes = plt.subplots(2, 2, figsize=(13, 8))
    kplots.plot_dso(history, ax=axes[0, 0], lang=lang)
    kplots.plot_receivables_split(history, ax=axes[0, 1], lang=lang)
    kplots.plot_kpi_trend(history, ["overdue_ratio", "share_over_90", "dispute_rate"],
                          ax=axes[1, 0], lang=lang, title=text("report_arrears_disputes", lang))
    kplots.plot_kpi_trend(history, ["cei", "cei_12m"], ax=axes[1, 1], lang=lang,
                          title=text("report_cei_title", lang))
    fig.tight_layout()
    return fig


def plot_exposure_panel(exposure, customers: pd.DataFrame | None = None, lang: str = "fr"):
    """Section 3's panel: the 10 largest exposures and the insured split. Returns the Figure."""
    fig, axes = plt.subplots(1, 2, figsize=(13, 5), gridspec_kw={"width_ratios": [2, 1]})
    names = (customers.set_index("customer_id")["name"]
             if customers is not None and "name" in customers else None)
    kplots.plot_top_exposures(exposure, ax=axes[0], n=10, lang=lang, names=names)
    kplots.plot_insured_split(exposure, ax=axes[1], lang=lang)
    fig.tight_layout()
    return fig


def herfindahl_text(value: float, lang: str = "fr") -> str:
    """The Herfindahl index with three decimals, decimal comma in French."""
    s = "—" if value is None or np.isnan(value) else f"{value:.3f}"
    return s.replace(".", ",") if lang == "fr" else s


#: Columns of the over-limit table (section 4) and of the orders on hold (section 5).
OVER_LIMIT_COLUMNS = ["net_exposure", "credit_limit", "overrun", "proposed_limit", "binding_label"]
HELD_COLUMNS = ["customer_id", "amount_ttc", "decision_label", "reason_text", "release_condition",
                "days_waiting"]


def check_limits(proposal, over: pd.DataFrame) -> None:
    """Section 4's checks: each proposed limit is at most the most restrictive cap and the need;
    listed overruns are positive; gaps to the need are not negative."""
    t = proposal.table
    caps = t[[c for c in t.columns if c.startswith("cap_")] + ["need"]].min(axis=1)
    _require((t["proposed_limit"] <= caps + 1e-6).all(), "a proposed limit exceeds a cap")
    _require((over["overrun"] > 0).all() and (t["gap_to_need"] >= 0).all(),
             "a non-positive overrun or a negative gap to the need")


def eur(value, lang: str = "fr") -> str:
    """Euros without cents, as the dashboard shows them."""
    return format_eur(value, lang, 0)


def pct(value, lang: str = "fr") -> str:
    """A fraction as a percentage with one decimal."""
    return format_pct(value, lang)


@dataclass(frozen=True, eq=False)
class CreditDashboard:
    """Everything the monthly dashboard shows, computed once by :func:`build_dashboard`.

    Attributes hold the domain results (``history``, ``aged``, ``exposure``, ``rating``,
    ``proposal``, ``hold``, ``ageing``, ``downgrades``, ``insolvencies``); the methods render
    them in ``lang`` for the report (tables, sentences, figures) and compute nothing new.
    """

    inputs: object
    lang: str
    policy: object
    history: pd.DataFrame
    aged: object
    exposure: object
    rating: pd.DataFrame
    proposal: object
    over: pd.DataFrame
    hold: object
    ageing: pd.DataFrame
    downgrades: pd.DataFrame
    insolvencies: pd.DataFrame

    @property
    def labels(self) -> dict[str, dict[str, str]]:
        return dashboard_labels()

    def _styled(self, frame, **kw):  # a result object: its summary, index codes in words
        frame = frame if isinstance(frame, pd.DataFrame) else summary_in_words(frame, self.lang)
        return styled(frame, self.lang, labels=self.labels, **kw)

    def _say(self, key, **fields):
        return say(key, self.lang, **fields)

    # --- section texts and tables -----------------------------------------------------------
    def as_of_line(self):
        inv, pay = self.inputs.get("invoices"), self.inputs.get("payments")
        return self._say("report_dashboard_as_of", as_of=self.inputs.as_of,
                         n_docs=format_count(len(inv), self.lang),
                         n_pay=format_count(len(pay), self.lang))

    def kpis(self) -> list:
        """Section 1: the KPI panel and, when some are missing, why."""
        notes = note_text(self.history.iloc[-1]["notes"], self.lang)
        short = ([self._say("report_short_history", n=len(self.history),
                            first=self.inputs.get("invoices")["issue_date"].min())]
                 if len(self.history) < 12 else [])
        return [kpi_panel(self.history, self.lang)] + short + (
            [self._say("report_missing_values", notes=notes)] if notes else [])

    def aged_summary(self):
        """The aged balance's totals by bucket (its own column words), formatted."""
        s, lang = escape_frame(self.aged.to_frame(self.lang)), self.lang
        return s.style.format({s.columns[0]: lambda v: format_eur(v, lang, 0),
                               s.columns[1]: lambda v: format_pct(v, lang)})

    def exposure_tables(self) -> list:
        tot, conc = self.exposure.total, self.exposure.concentration()
        top = exposure_top(self.exposure, self.inputs.get("customers"))
        return [self._say("report_exposure_headline", net=eur(tot["net_exposure"], self.lang),
                          insured=eur(tot["insured"], self.lang),
                          top10=pct(conc["top10"], self.lang),
                          hhi=herfindahl_text(conc["hhi"], self.lang)),
                self._styled(top, money=[c for c in top.columns if c not in ("name", "share")],
                             pct=["share"])]

    def limit_tables(self) -> list:
        if self.proposal is None:  # no customers file, or customers without payment terms
            cust = self.inputs.get("customers")
            return [self._say("report_no_customers_file" if cust is None
                              else "report_no_payment_terms")]
        return [self._styled(self.proposal,
                             money=["need", "proposed_limit", "gap_to_need"]),
                self._say("report_over_limit_headline", n=len(self.over),
                          overrun=eur(self.over["overrun"].sum(), self.lang)),
                self._styled(self.over[OVER_LIMIT_COLUMNS].head(15),
                             money=OVER_LIMIT_COLUMNS[:4])]

    def hold_tables(self) -> list:
        held = self.hold.on_hold(self.lang)
        return [self._styled(self.hold, money=["amount_ttc"]),
                self._styled(held[HELD_COLUMNS].head(20), money=["amount_ttc"])]

    def dispute_table(self):
        if self.inputs.get("disputes") is None:
            # no dated disputes: the invoices' own flag, the rule of the aged balance
            items = self.inputs.items.items
            flagged = items[items["disputed"]]
            return self._say("report_disputes_from_flag", n=len(flagged),
                             amount=eur(flagged["open_amount"].sum(), self.lang))
        money = [c for c in self.ageing.columns
                 if c not in ("n_open", "avg_age_days", "max_age_days")]
        return self._styled(self.ageing, money=money, num=["avg_age_days", "max_age_days"])

    def watch_list(self) -> list:
        """Section 7: downgrades and insolvency proceedings, each with its headline."""
        f = self.insolvencies
        return [self._say("report_downgrades_headline", n=len(self.downgrades)),
                self._styled(self.downgrades.head(15), money=["net_exposure"],
                             num=["class_before", "class_now"]),
                self._say("report_insolvencies_headline", n=len(f),
                          exposure=eur(f["net_exposure"].sum(), self.lang)),
                self._styled(insolvencies_view(f, self.lang),
                             money=["open_receivables", "net_exposure"])]

    # --- figures ----------------------------------------------------------------------------
    def plot_kpis(self):
        return plot_kpi_panel(self.history, self.lang)

    def plot_aged(self):
        fig, axes = plt.subplots(1, 2, figsize=(13, 4.5))
        self.aged.plot_buckets(ax=axes[0], lang=self.lang)
        self.aged.plot_top(n=10, ax=axes[1], lang=self.lang)
        fig.tight_layout()
        return fig

    def plot_exposure(self):
        return plot_exposure_panel(self.exposure, self.inputs.get("customers"), self.lang)

    def plot_limits(self):
        if self.proposal is None:
            return None
        fig, ax = plt.subplots(figsize=(10, 6))
        self.proposal.plot_gap(ax=ax, n=12, lang=self.lang)
        fig.tight_layout()
        return fig

    def plot_hold(self):
        fig, ax = plt.subplots(figsize=(10, 4))
        kplots.plot_hold(self.hold, ax=ax, lang=self.lang)
        fig.tight_layout()
        return fig

    def plot_disputes(self):
        fig, ax = plt.subplots(figsize=(10, 4))
        kplots.plot_disputes_by_cause(self.ageing, ax=ax, lang=self.lang)
        fig.tight_layout()
        return fig

    # --- files ------------------------------------------------------------------------------
    def files(self) -> dict[str, pd.DataFrame]:
        """The tables written by the report: ``{catalogue file key: table}``."""
        out = {"report_file_kpi_history": self.history,
               "report_file_customer_exposure": self.exposure.by_customer,
               "report_file_orders_on_hold": self.hold.on_hold(self.lang),
               "report_file_disputes_by_cause": self.ageing,
               "report_file_watch_list": self.downgrades}
        if self.proposal is not None:
            out["report_file_proposed_limits"] = self.proposal.in_words(self.lang).drop(
                columns="remedy_codes")  # the remedies are in words beside
        return out

    def check(self) -> None:
        """Every check of the report (the figures a changed number would break).

        Raises
        ------
        AssertionError
            Naming the check that failed.
        """
        items, as_of = self.inputs.items.items, self.inputs.as_of
        check_kpis(self.history, items, receivables_status(items, as_of).loc["total"])
        _require(abs(self.aged.totals[self.aged.total_column]
                     - self.history.iloc[-1]["receivables_ttc"]) < 0.01,
                 "aged balance and KPI history disagree on the receivables")
        tot = self.exposure.total
        _require((self.exposure.by_customer["net_exposure"] >= 0).all(), "negative exposure")
        _require(abs(tot["insured"] + tot["uninsured"] - tot["net_exposure"]) < 0.01,
                 "insured + uninsured != net exposure")
        if self.proposal is not None:
            check_limits(self.proposal, self.over)
        held = self.hold.on_hold(self.lang)
        _require(len(self.hold.decisions) == len(open_orders(self.inputs.table("orders"), as_of)),
                 "not one credit-hold decision per open order")
        _require((held["release_condition"].str.len() > 0).all(),
                 "an order on hold without a release condition")

        _require(self.ageing["n_open"].sum()
                 == len(open_disputes(self.inputs.table("disputes"), as_of)),
                 "dispute ageing does not count every open dispute")


def build_dashboard(inputs, lang: str = "fr", policy=None, *, check: bool = True
                    ) -> CreditDashboard:
    """Compute every table of the monthly credit dashboard from the report's inputs.

    Parameters
    ----------
    inputs : ReportInputs
        :func:`creditlab.reports.load_inputs` output (tables, open items at ``as_of``).
    lang : {"fr", "en"}
        Language of the labels in the domain results that still carry words (credit hold,
        limits, ratings, dispute ageing) and of the rendering.
    policy : CreditPolicy, optional
        Credit policy (default: the configuration's ``[limits]`` policy, else the bundled one).
    check : bool, default True
        Run :meth:`CreditDashboard.check`.

    Notes
    -----
    The KPI history covers the 12 month ends up to ``as_of``; the dated disputes (when given)
    decide what is disputed both in the history and in the open items; without a customers
    file no limit is proposed (``proposal`` is None).
    """
    check_lang(lang)
    policy = policy if policy is not None else CreditPolicy.load(inputs.limits_policy)
    as_of, items = inputs.as_of, inputs.items.items
    inv, pay = inputs.get("invoices"), inputs.get("payments")
    cust, fs = inputs.get("customers"), inputs.get("financial_statements")
    ords, disp, evts = (inputs.table(t) for t in ("orders", "disputes", "events"))
    # 12 month ends, but none before the ledger's first month (a company on its first fiscal
    # year): months without any document would show zeros as if they were figures
    first_month = inv["issue_date"].min().to_period("M")
    start = max((as_of.to_period("M") - 11), first_month).to_timestamp()
    history = kpi_history(inv, pay, start, as_of,
                          disputes=inputs.get("disputes"), customers=cust)
    aged = aged_balance(items, as_of, customers=cust)
    exp = exposure(items, ords, as_of, customers=cust, insured_share=policy.insured_share)
    tables = {"customers": cust, "financial_statements": fs, "events": evts, "lang": lang}
    rating = rating_at(as_of, inv, pay, **tables)
    classes = rating["rating_class"].astype("float64")
    proposal = None
    if cust is not None and "payment_terms" in cust:  # no terms known: no limit to propose
        lim = limit_inputs(cust, inv, as_of, financial_statements=fs, items=items, orders=ords,
                           behaviour=payment_behaviour(inv, pay, as_of), ratings=classes)
        proposal = propose_limits(lim, policy, as_of=as_of)
    hold = credit_hold(ords, items, as_of, customers=cust, policy=policy, ratings=classes,
                       disputes=disp, events=evts)
    year_ago = as_of - pd.DateOffset(years=1)
    # no rating a year ago on a ledger that did not exist then: no downgrade to report
    before = (rating_at(year_ago, inv, pay, **tables) if year_ago >= inv["issue_date"].min()
              else rating.iloc[0:0])
    out = CreditDashboard(
        inputs=inputs, lang=lang, policy=policy, history=history, aged=aged, exposure=exp,
        rating=rating, proposal=proposal, over=over_limit(exp, proposal, lang), hold=hold,
        ageing=dispute_ageing_words(dispute_ageing(disp, as_of), lang),
        downgrades=downgrades(rating_changes(before, rating), exp.by_customer, rating),
        insolvencies=insolvencies(evts, exp.by_customer, as_of))
    if check:
        out.check()
    return out
