"""Legal escalation: cases to escalate, injonction de payer files, insurer deadlines, promises.

- :func:`cases_to_escalate` — customers whose oldest overdue invoice reached a step with a legal
  escalation, or went past the last step of their scenario, or who broke a promise to pay;
- :func:`injunction_file` — the summary a lawyer or the tribunal de commerce needs for a
  requête en injonction de payer (CPC art. 1405-1425, DOMAIN.md §7.5): principal, invoices,
  reminders sent with their dates, penalties (L441-10 II) and indemnities (D441-5), total;
- :func:`insurer_deadlines` — the date by which the credit insurer must be notified of an unpaid
  invoice (déclaration de menace de sinistre, ≈ 2-4 months after the due date, DOMAIN.md §8)
  when the policy defines ``insurer_notification_days``;
- :func:`promises_status` — promises to pay: kept, broken, due, pending; :func:`read_promises`
  reads and checks a promises file (the demo's example: :data:`DEMO_PROMISES_FILE`); both live
  in :mod:`creditlab.dunning.promises` and are re-exported here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from creditlab._checks import round_cents
from creditlab.documents import format_amount, format_date_long, format_date_short, render
from creditlab.dunning.claims import late_charges
from creditlab.dunning.codes import (
    Escalation,
    EscalationReason,
    HistoryStatus,
    InsurerStatus,
    NextAction,
    PromiseStatus,
    Template,
)
from creditlab.dunning.inputs import _SEP, _check_history, _resolve_ledger, ledger_payments
from creditlab.dunning.legal_path import _reached_steps, legal_next_action
from creditlab.dunning.plan import plan_actions
from creditlab.dunning.policy import (
    DUNNING_LABELS,
    DunningPolicy,
    _customer_frame,
    dunning_labels,
    load_policy,
)
from creditlab.dunning.promises import (  # noqa: F401  (re-exported)
    DEMO_PROMISES_FILE,
    ESCALATION_LABELS,
    PROMISE_COLUMNS,
    _overdue,
    promises_status,
    read_promises,
    status_words,
)
from creditlab.exceptions import InputError
from creditlab.i18n import check_lang

__all__ = ["cases_to_escalate", "cases_in_words", "injunction_file", "InjunctionFile",
           "insurer_deadlines", "promises_status", "status_words", "read_promises", "PROMISE_COLUMNS", "ESCALATION_LABELS",
           "DEMO_PROMISES_FILE"]

# --------------------------------------------------------------------------- cases
def cases_to_escalate(ledger, policy: DunningPolicy | None = None, as_of=None,
                      history: pd.DataFrame | None = None, *, promises=None,
                      customers: pd.DataFrame | None = None) -> pd.DataFrame:
    """Customers to escalate at ``as_of`` (one row per customer), in codes.

    A customer is a case when its oldest eligible overdue invoice (not disputed when the policy
    excludes disputes) has reached a step with an ``escalation`` (reason ``escalation_step``),
    or is past the last step of its scenario (``beyond_last_step``: the amicable path is over),
    or when it broke a promise to pay (``broken_promise``, :func:`promises_status`).

    Returns
    -------
    DataFrame indexed by ``customer_id``: ``name`` (when known), ``scenario``,
    ``max_days_past_due``, ``overdue_amount`` (euros), ``n_invoices``, ``step`` (name of the
    step reached by the oldest invoice, as in the policy), ``step_escalation`` (escalation of the reached step, else of the scenario's
    last escalation step), ``next_action`` (what is really next for the oldest invoice, by the
    plan's rule — :func:`creditlab.dunning.plan.legal_next_action`: the legal path is never
    skipped, DOMAIN.md §7.5: ``formal_notice_to_send``, ``formal_notice_delay``,
    ``injonction_de_payer``, ``collection_agency``, ``awaiting_next_step``,
    ``legal_path_done``; ``""`` when no legal step is reached), ``escalation`` (the escalation
    to make: ``mise_en_demeure`` when it is still to send, else ``step_escalation``),
    ``last_step_done`` (the history holds the scenario's last step for
    the oldest invoice), ``last_action_date``, ``broken_promises``, ``reasons`` (codes of
    :class:`~creditlab.dunning.codes.EscalationReason`, ``;``-separated:
    ``escalation_step``, ``beyond_last_step``, ``broken_promise``); sorted by overdue amount
    descending. :func:`cases_in_words` gives the step, the reasons and ``escalation_label``
    ("mise en demeure à envoyer", "délai de la mise en demeure en cours"...) in words.
    ``lang`` is no longer a parameter (passing it raises ``TypeError``).
    """
    items, customers, _, asof = _resolve_ledger(ledger, as_of, customers)
    policy = load_policy() if policy is None else policy
    plan = plan_actions(ledger, policy, asof, None, customers=customers)
    od = _overdue(items, asof, policy.exclude_disputed)
    hist = _check_history(history)
    hist = hist[hist["date"] <= asof]
    g = od.groupby("customer_id")
    out = pd.DataFrame({"max_days_past_due": g["days_past_due"].max(),
                        "overdue_amount": g["open_amount"].sum().round(2),
                        "n_invoices": g.size()})
    out["scenario"] = plan.profile["scenario"].reindex(out.index)
    steps = policy.steps_table()
    last = steps.groupby("scenario").last()
    esc_steps = steps.dropna(subset=["escalation"])
    last_esc = esc_steps.groupby("scenario")["escalation"].last()
    out["last_day"] = out["scenario"].map(last["day"]).astype("float64")
    # reached step of the oldest invoice, by the plan's rule
    out["step_day"] = _reached_steps(out["scenario"].to_numpy(dtype=object),
                                     out["max_days_past_due"].to_numpy(dtype="int64"),
                                     policy)[0]
    key = steps.set_index(["scenario", "day"])
    pairs = list(zip(out["scenario"], out["step_day"], strict=True))
    found = key.reindex(pd.MultiIndex.from_tuples(pairs)) if pairs else key.iloc[:0]
    out["step"] = found["name"].to_numpy() if pairs else []   # the policy's step name
    step_esc = found["escalation"].to_numpy() if pairs else np.array([])
    beyond = (out["max_days_past_due"] > out["last_day"]).to_numpy()
    out["step_escalation"] = np.where(pd.notna(step_esc), step_esc,
                                      out["scenario"].map(last_esc).to_numpy())
    # what is really next for the oldest invoice, by the plan's own rule (the legal path is
    # never skipped, DOMAIN.md §7.5)
    oldest_items = od.sort_values(["days_past_due", "invoice_id"]).groupby(
        "customer_id").tail(1).set_index("customer_id").reindex(out.index)
    nxt = legal_next_action(oldest_items.reset_index(), out["scenario"].to_numpy(dtype=object),
                            policy, asof, history) if len(out) else np.array([], dtype=object)
    out["next_action"] = nxt
    sent_to = {NextAction.FORMAL_NOTICE_TO_SEND: Escalation.FORMAL_NOTICE.value,
               NextAction.PAYMENT_ORDER: Escalation.PAYMENT_ORDER.value,
               NextAction.COLLECTION_AGENCY: Escalation.COLLECTION_AGENCY.value}
    out["escalation"] = [sent_to.get(a, e) for a, e in zip(nxt, out["step_escalation"],
                                                            strict=True)]
    # history: last step done for the oldest invoice, last action date
    if len(hist):
        ex = hist[hist["status"] == HistoryStatus.SENT].assign(
            invoice_id=lambda d: d["invoice_ids"].str.split(_SEP)).explode("invoice_id")
        done_inv = ex.groupby("invoice_id")["step_day"].max()
        done_day = oldest_items["invoice_id"].map(done_inv)   # the same oldest invoice
        out["last_step_done"] = (done_day >= out["last_day"]).fillna(False).astype(bool)
        out["last_action_date"] = hist.groupby("customer_id")["date"].max().reindex(out.index)
    else:
        out["last_step_done"] = False
        out["last_action_date"] = pd.NaT
    pr = promises_status(promises, items, asof)
    broken = pr[pr["status"] == PromiseStatus.BROKEN].groupby("customer_id").size() if len(pr) else \
        pd.Series(dtype="int64")
    out["broken_promises"] = broken.reindex(out.index, fill_value=0).astype("int64")
    # customers with a broken promise but nothing eligible overdue are still cases
    extra = broken.index.difference(out.index)
    if len(extra):
        add = pd.DataFrame(index=extra)
        add["broken_promises"] = broken.reindex(extra).astype("int64")
        out = pd.concat([out, add])
        beyond = np.concatenate([beyond, np.zeros(len(extra), dtype=bool)])
    has_step_esc = out["step"].notna() & out["escalation"].notna() & pd.Series(
        np.concatenate([pd.notna(step_esc), np.zeros(len(extra), dtype=bool)]), index=out.index)
    reasons = pd.DataFrame({
        EscalationReason.ESCALATION_STEP.value: has_step_esc.to_numpy(),
        EscalationReason.BEYOND_LAST_STEP.value: beyond,
        EscalationReason.BROKEN_PROMISE.value: (out["broken_promises"] > 0).to_numpy()},
        index=out.index)
    keep = reasons.any(axis=1)
    out, reasons = out[keep], reasons[keep]
    out["reasons"] = reasons.apply(
        lambda r: _SEP.join(k for k in reasons.columns if r[k]), axis=1) \
        if len(reasons) else pd.Series(dtype="str")
    out["next_action"] = out["next_action"].fillna("")
    if customers is not None and "name" in customers.columns:
        out.insert(0, "name", _customer_frame(customers)["name"].reindex(out.index))
    out.index.name = "customer_id"
    out = out.drop(columns=["last_day", "step_day"]).sort_values("overdue_amount",
                                                                  ascending=False)
    return out


def cases_in_words(cases: pd.DataFrame, policy: DunningPolicy | None = None,
                   lang: str = "fr") -> pd.DataFrame:
    """:func:`cases_to_escalate` in words: ``step`` as the policy names it in ``lang``
    (:meth:`Step.label <creditlab.dunning.steps.Step.label>`), ``reasons`` as labels
    (``"; "``-separated: "étape d'escalade atteinte; promesse non tenue"), and
    ``escalation_label`` after ``escalation`` (label of ``next_action``, else of
    ``escalation``: "mise en demeure à envoyer", "délai de la mise en demeure en cours",
    "injonction de payer"...). ``policy`` must be the one the cases were computed with
    (default: the bundled policy)."""
    lang = check_lang(lang)
    policy = load_policy() if policy is None else policy
    out = cases.copy()
    steps = policy.steps_table(lang).drop_duplicates(["scenario", "name"]).set_index(
        ["scenario", "name"])["label"]
    if len(out):
        keys = pd.MultiIndex.from_arrays([out["scenario"].astype("object"),
                                          out["step"].astype("object")])
        label = steps.reindex(keys).to_numpy(dtype=object)
        out["step"] = np.where(pd.notna(label), label, out["step"].to_numpy(dtype=object))
    out["reasons"] = out["reasons"].fillna("").astype("str").map(
        lambda r: "; ".join(ESCALATION_LABELS[k][lang] for k in r.split(_SEP) if k))
    words = [ESCALATION_LABELS[a][lang] if a in ESCALATION_LABELS
             else DUNNING_LABELS[a][lang] if a in DUNNING_LABELS
             else DUNNING_LABELS[e][lang] if isinstance(e, str) and e in DUNNING_LABELS
             else "" for a, e in zip(out["next_action"], out["escalation"], strict=True)]
    out.insert(out.columns.get_loc("escalation") + 1, "escalation_label",
               pd.Series(words, index=out.index, dtype="object"))
    return out


# --------------------------------------------------------------------------- injunction
@dataclass(frozen=True)
class InjunctionFile:
    """Injonction de payer file(s): one summary row per customer, the invoices and reminders.

    Attributes
    ----------
    summary : DataFrame indexed by ``customer_id``: ``name``, ``principal`` (euros TTC still
        open), ``n_invoices``, ``oldest_due_date``, ``max_days_past_due``, ``n_reminders``,
        ``first_reminder``, ``last_reminder``, ``formal_notice_date`` (NaT when the history has
        none), ``penalties`` (NaN when an ECB rate of the period is missing from the rate tables),
        ``indemnities``,
        ``total``, ``small_claim`` (principal and penalties ≤ 5 000 €: the procédure simplifiée
        de recouvrement des petites créances is available, CPCE L125-1), ``n_time_barred``
        (invoices more than 5 years past due, L110-4: to withdraw).
    invoices : DataFrame — the invoices claimed, with ``days_past_due``, ``penalty``,
        ``indemnity``, ``formal_notice_date`` (the mise en demeure naming it),
        ``limitation_date`` (due date + 5 years, L110-4) and ``time_barred``.
    reminders : DataFrame — the history rows sent to those customers (date, step, channel).
    """

    summary: pd.DataFrame
    invoices: pd.DataFrame
    reminders: pd.DataFrame
    as_of: pd.Timestamp
    lang: str = "fr"

    def _context(self, customer_id: str) -> dict:
        if customer_id not in self.summary.index:
            raise InputError("customer_id", f"one of {list(self.summary.index)[:5]}",
                             customer_id, "pick a customer of the file")
        lang = self.lang
        s = self.summary.loc[customer_id]

        def fa(v: float) -> str:
            return format_amount(v, lang) if v == v else "—"

        inv = self.invoices[self.invoices["customer_id"] == customer_id]
        rem = self.reminders[self.reminders["customer_id"] == customer_id]
        return {
            "lang": lang, "customer_id": customer_id,
            "name": s["name"] if isinstance(s["name"], str) else customer_id,
            "date_long": format_date_long(self.as_of, lang),
            "principal": fa(s["principal"]), "penalties": fa(s["penalties"]),
            "indemnities": fa(s["indemnities"]), "total": fa(s["total"]),
            "n_invoices": int(s["n_invoices"]), "max_dpd": int(s["max_days_past_due"]),
            "small_claim": bool(s["small_claim"]),
            "n_time_barred": int(s.get("n_time_barred", 0)),
            "formal_notice_date": format_date_short(s["formal_notice_date"], lang),
            "invoices": [{"invoice_id": str(r.invoice_id),
                          "issue_date": format_date_short(r.issue_date, lang),
                          "due_date": format_date_short(r.due_date, lang),
                          "days_past_due": int(r.days_past_due),
                          "open_amount": fa(r.open_amount), "penalty": fa(r.penalty)}
                         for r in inv.itertuples(index=False)],
            "reminders": [{"date": format_date_short(r.date, lang), "step": str(r.step),
                           "channel": dunning_labels(r.channel, lang)}
                          for r in rem.itertuples(index=False)],
        }

    def _render(self, customer_id: str, fmt: str) -> str:
        return render(f"dunning/injunction_file_{self.lang}.j2", fmt,
                      **self._context(customer_id))

    def text(self, customer_id: str) -> str:
        """Plain-text file summary for one customer."""
        return re.sub(r"\n{3,}", "\n\n", self._render(customer_id, "text")).strip() + "\n"

    def html(self, customer_id: str) -> str:
        """HTML file summary for one customer (data escaped)."""
        return self._render(customer_id, "html")

    def _repr_html_(self) -> str:
        return self.summary._repr_html_()


def injunction_file(ledger, as_of=None, *, history: pd.DataFrame | None = None,
                    customers: pd.DataFrame | None = None, customer_ids=None,
                    lang: str = "fr", exclude_disputed: bool = True,
                    formal_notice_days: int = 8,
                    require_formal_notice: bool = True) -> InjunctionFile:
    """Build the injonction de payer file of one or more customers.

    Parameters
    ----------
    ledger : open items (or :attr:`ActionPlan.items` rows), or a mapping / tuple with invoices
        and payments.
    as_of : date-like
        Date of the file; penalties are accrued to it.
    history : DataFrame, optional
        Dunning history: the ``sent`` rows naming the claimed invoices are listed as reminders;
        the latest ``formal_notice`` (mise en demeure) date is reported.
    customers : DataFrame, optional
        ``customer_id, name``.
    customer_ids : list, optional
        Restrict to these customers (default: every customer with an overdue invoice).
    exclude_disputed : bool
        Disputed invoices are left out: an injonction de payer needs a claim of determined
        amount that is not seriously contested (CPC art. 1405).
    formal_notice_days : int, default 8
        Délai laissé par la mise en demeure: an invoice is claimed only when a mise en demeure
        naming it (a ``sent`` history row with escalation ``mise_en_demeure`` or template
        ``formal_notice``) was sent at least this many days before ``as_of`` (the policy's
        ``escalation_delay_days``; art. 1344 Code civil).
    require_formal_notice : bool, default True
        False is the documented override (e.g. a claim whose formal notice was sent outside
        creditlab, or a training example): every overdue invoice is listed, with its
        ``formal_notice_date`` NaT.

    Notes
    -----
    Penalties: :func:`creditlab.legal.late_penalties` on the open amount of each invoice from
    the day after its due date to ``as_of`` (L441-10 II); indemnity 40 € per late invoice
    (D441-5), both by :func:`creditlab.dunning.claims.late_charges`. When an ECB rate of the
    period is missing from the rate tables the penalties are NaN (the file shows "—") and the
    total excludes them.
    """
    check_lang(lang)
    items, customers, _, asof = _resolve_ledger(ledger, as_of, customers)
    od = _overdue(items, asof, exclude_disputed)
    if customer_ids is not None:
        ids = [customer_ids] if isinstance(customer_ids, str) else list(customer_ids)
        od = od[od["customer_id"].isin(ids)]
    if od.empty:
        raise InputError("ledger", "at least one overdue, undisputed invoice", "none",
                         "an injonction de payer needs an unpaid claim")
    od = od.copy()
    # the legal path: only invoices under a mise en demeure whose delay has passed
    med = _formal_notices(history, asof)
    od["formal_notice_date"] = pd.to_datetime(med).astype("datetime64[ns]").reindex(
        od["invoice_id"].astype("str")).to_numpy()
    if require_formal_notice:
        limit = asof - pd.Timedelta(days=int(formal_notice_days))
        od = od[od["formal_notice_date"].notna() & (od["formal_notice_date"] <= limit)]
        if od.empty:
            raise InputError("history", "invoices under a mise en demeure sent at least "
                             f"{int(formal_notice_days)} days before {asof:%Y-%m-%d}",
                             "none", "send the mise en demeure first (the plan's legal "
                             "path), or pass require_formal_notice=False if it was sent "
                             "outside creditlab")
    # limitation between merchants: 5 years from the due date (L110-4, art. 2224 C. civ.)
    od["limitation_date"] = od["due_date"] + pd.DateOffset(years=5)
    od["time_barred"] = od["limitation_date"] <= asof
    if "issue_date" not in od.columns:
        od["issue_date"] = od["due_date"]
    # every listed invoice is late: penalties (NaN when a rate is missing) and the indemnity
    od["penalty"], od["indemnity"], _ = late_charges(od, asof, np.ones(len(od), dtype=bool),
                                                     claim_interest=True, claim_fees=True,
                                                     payments=ledger_payments(ledger))
    g = od.groupby("customer_id")
    s = pd.DataFrame({
        "principal": round_cents(g["open_amount"].sum()), "n_invoices": g.size(),
        "oldest_due_date": g["due_date"].min(), "max_days_past_due": g["days_past_due"].max(),
        "penalties": g["penalty"].sum(min_count=1).where(~g["penalty"].apply(
            lambda x: x.isna().any()), np.nan),
        "indemnities": g["indemnity"].sum(),
        "n_time_barred": g["time_barred"].sum().astype("int64")})
    hist = _check_history(history)
    hist = hist[(hist["date"] <= asof) & (hist["status"] == HistoryStatus.SENT)]
    if len(hist):
        ex = hist.assign(invoice_id=lambda d: d["invoice_ids"].str.split(_SEP)) \
            .explode("invoice_id")
        ex = ex[ex["invoice_id"].isin(od["invoice_id"])]
        rem = ex.drop(columns="invoice_id").drop_duplicates(
            subset=[c for c in ("action_id", "date", "customer_id", "step") if c in ex.columns])
    else:
        rem = hist
    for c in ("step", "channel", "template"):
        if c not in rem.columns:
            rem = rem.assign(**{c: ""})
    rem = rem.sort_values("date")
    rg = rem.groupby("customer_id")["date"]
    s["n_reminders"] = rg.size().reindex(s.index, fill_value=0).astype("int64")
    s["first_reminder"] = rg.min().reindex(s.index)
    s["last_reminder"] = rg.max().reindex(s.index)
    fn = rem[rem["template"] == Template.FORMAL_NOTICE].groupby("customer_id")["date"].max()
    s["formal_notice_date"] = fn.reindex(s.index).astype("datetime64[ns]")
    s["total"] = round_cents(s["principal"] + s["penalties"].fillna(0.0) + s["indemnities"])
    s["small_claim"] = (s["principal"] + s["penalties"].fillna(0.0)) <= 5000.0
    name = None
    if customers is not None and "name" in customers.columns:
        name = _customer_frame(customers)["name"].reindex(s.index)
    s.insert(0, "name", name if name is not None else pd.Series(np.nan, index=s.index,
                                                                dtype=object))
    s.index.name = "customer_id"
    inv_cols = ["customer_id", "invoice_id", "issue_date", "due_date", "days_past_due",
                "open_amount", "penalty", "indemnity", "formal_notice_date",
                "limitation_date", "time_barred"]
    return InjunctionFile(summary=s, invoices=od[inv_cols].reset_index(drop=True),
                          reminders=rem[["customer_id", "date", "step", "channel",
                                         "template"]].reset_index(drop=True),
                          as_of=asof, lang=lang)


def _formal_notices(history, asof) -> pd.Series:
    """First date a mise en demeure naming each invoice was sent (on or before ``asof``)."""
    if history is None:
        return pd.Series(dtype="datetime64[ns]")
    h = _check_history(history)
    h = h[(h["date"] <= asof) & (h["status"] == HistoryStatus.SENT)]
    is_med = pd.Series(False, index=h.index)
    if "escalation" in h.columns:
        is_med |= h["escalation"] == Escalation.FORMAL_NOTICE
    if "template" in h.columns:
        is_med |= h["template"] == Template.FORMAL_NOTICE
    h = h[is_med.to_numpy()]
    if h.empty:
        return pd.Series(dtype="datetime64[ns]")
    ex = h.assign(invoice_id=h["invoice_ids"].str.split(_SEP)).explode("invoice_id")
    return ex.groupby("invoice_id")["date"].min()


# --------------------------------------------------------------------------- insurer
def insurer_deadlines(ledger, policy: DunningPolicy | None = None, as_of=None, *,
                      customers: pd.DataFrame | None = None,
                      history: pd.DataFrame | None = None) -> pd.DataFrame:
    """Deadline of the credit insurer's notification (menace de sinistre) per insured customer.

    ``deadline = oldest overdue due date + policy.insurer_notification_days`` (DOMAIN.md §8:
    the unpaid invoice must be declared within ≈ 2-4 months of the original due date; the
    exact delay is in each policy). Insured customers: ``customers.insurer_agreement`` > 0
    (all customers when the column or the table is absent).

    Returns
    -------
    DataFrame indexed by ``customer_id``: ``oldest_due_date``, ``deadline``, ``days_left``
    (negative = missed), ``overdue_amount``, ``n_invoices``, ``notified`` (the history holds a
    sent ``insurer_notification`` step for the customer), ``status`` (``missed``, ``urgent``
    within ``insurer_warning_days``, ``ok``, ``notified``); sorted by deadline. Empty when
    the policy has no ``insurer_notification_days``. The status in words:
    :func:`creditlab.dunning.status_words` (``lang`` is no longer a parameter).
    """
    items, customers, _, asof = _resolve_ledger(ledger, as_of, customers)
    policy = load_policy() if policy is None else policy
    cols = ["oldest_due_date", "deadline", "days_left", "overdue_amount", "n_invoices",
            "notified", "status"]
    if policy.insurer_notification_days is None:
        return pd.DataFrame(columns=cols).rename_axis("customer_id")
    od = _overdue(items, asof, False)
    if customers is not None and "insurer_agreement" in customers.columns:
        agr = _customer_frame(customers)["insurer_agreement"]
        insured = agr[pd.to_numeric(agr, errors="coerce") > 0].index
        od = od[od["customer_id"].isin(insured)]
    g = od.groupby("customer_id")
    out = pd.DataFrame({"oldest_due_date": g["due_date"].min(),
                        "overdue_amount": g["open_amount"].sum().round(2),
                        "n_invoices": g.size()})
    out["deadline"] = out["oldest_due_date"] + pd.Timedelta(days=policy.insurer_notification_days)
    out["days_left"] = (out["deadline"] - asof).dt.days.astype("int64")
    hist = _check_history(history)
    hist = hist[(hist["date"] <= asof) & (hist["status"] == HistoryStatus.SENT)]
    if "escalation" in hist.columns and len(hist):
        notified = hist.loc[hist["escalation"] == Escalation.INSURER_NOTIFICATION,
                            "customer_id"]
    else:
        notified = pd.Series(dtype="str")
    out["notified"] = out.index.isin(notified)
    out["status"] = np.select(
        [out["notified"].to_numpy(), out["days_left"].to_numpy() < 0,
         out["days_left"].to_numpy() <= policy.insurer_warning_days],
        [InsurerStatus.NOTIFIED.value, InsurerStatus.MISSED.value, InsurerStatus.URGENT.value],
        default=InsurerStatus.OK.value)
    out.index.name = "customer_id"
    return out[cols].sort_values("deadline")
