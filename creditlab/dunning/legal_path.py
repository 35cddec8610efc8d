"""The legal path of each item (DOMAIN.md §7.5): reached steps, legal steps done, what is next.

The rules are those of :mod:`creditlab.dunning.plan` (module docstring): the legal chain
(:data:`~creditlab.dunning.policy.LEGAL_ESCALATIONS`) is never skipped, a later legal step waits
``policy.escalation_delay_days`` after the latest one done, the insurer's notification is
outside the chain and never delayed. :func:`legal_next_action` tells, per item, what is really
next; the private helpers are shared by the action plan and the escalation cases.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from creditlab._checks import as_date_column
from creditlab.dunning.codes import Escalation, NextAction
from creditlab.dunning.inputs import _DONE, _SEP, _check_history
from creditlab.dunning.policy import LEGAL_ESCALATIONS, DunningPolicy
from creditlab.receivables import resolve_items

__all__ = ["legal_next_action", "NEXT_ACTIONS"]


def _reached_steps(scen: np.ndarray, dpd: np.ndarray,
                   policy: DunningPolicy) -> tuple[np.ndarray, np.ndarray]:
    """Day (NaN when none) and index (-1) of the step each item reaches in its scenario."""
    reached = np.full(len(dpd), np.nan)
    reached_idx = np.full(len(dpd), -1, dtype="int64")
    for name, sc in policy.scenarios.items():
        m = scen == name
        if not m.any():
            continue
        days = sc.days
        idx = np.searchsorted(days, dpd[m], side="right") - 1
        reached_idx[m] = idx
        reached[m] = np.where(idx >= 0, days[np.maximum(idx, 0)], np.nan)
    return reached, reached_idx


def _done_exploded(done_rows: pd.DataFrame) -> pd.DataFrame:
    """History rows done (sent / skipped), one row per invoice they name (``invoice_id``)."""
    if not len(done_rows):
        return done_rows.assign(invoice_id=pd.Series(dtype="str"))
    return done_rows.assign(invoice_id=done_rows["invoice_ids"].str.split(_SEP)) \
        .explode("invoice_id")


#: What is really next on the legal path of an item (:func:`legal_next_action`).
NEXT_ACTIONS = tuple(NextAction)


def legal_next_action(items, scenario, policy: DunningPolicy, as_of=None,
                      history: pd.DataFrame | None = None) -> np.ndarray:
    """What is really next on the legal path (DOMAIN.md §7.5) for each item, by the plan's rule.

    Same rule as :func:`plan_actions` (the legal chain is never skipped, the next legal step
    waits ``policy.escalation_delay_days`` after the latest one done): ``formal_notice_to_send``
    (a legal step is reached and no mise en demeure was done), ``formal_notice_delay`` (the
    next legal step is reached but the delay since the latest one done still runs), the
    escalation of the next legal step when it is due (``injonction_de_payer``,
    ``collection_agency``), ``awaiting_next_step`` (a legal step done, the next one not reached
    yet), ``legal_path_done`` (every legal step of the scenario done), ``""`` (no legal step
    reached nor done).

    Parameters
    ----------
    items : OpenItems or DataFrame with ``invoice_id`` and ``due_date``
        With :class:`~creditlab.receivables.OpenItems`, ``as_of`` is their date.
    scenario : array-like of scenario names, one per item.
    as_of : date-like
        Required with a DataFrame; with OpenItems it may be left out and must otherwise be
        their date.
    history : DataFrame, optional
        History of actions (as in :func:`plan_actions`).
    """
    items, asof = resolve_items(items, as_of)
    hist = _check_history(history)
    hist = hist[hist["date"] <= asof]
    scen = np.asarray(scenario, dtype=object)
    due = as_date_column(items["due_date"], "items.due_date")
    dpd = (asof - due).dt.days.to_numpy(dtype="int64")
    _, reached_idx = _reached_steps(scen, dpd, policy)
    exploded = _done_exploded(hist[hist["status"].isin(_DONE)])
    st = _escalation_state(items.reset_index(drop=True), scen, reached_idx, dpd, exploded,
                           policy, asof)
    h, reach, due = st["legal_done"], st["legal_next_reached"], st["legal_due"]
    nxt = st["legal_next"]
    out = np.full(len(items), "", dtype=object)
    out[(h >= 0) & ~reach] = NextAction.AWAITING_NEXT_STEP.value
    out[st["legal_complete"] & (h >= 0)] = NextAction.LEGAL_PATH_DONE.value
    out[reach & ~due] = NextAction.FORMAL_NOTICE_DELAY.value
    out[reach & due & (nxt == Escalation.FORMAL_NOTICE)] = NextAction.FORMAL_NOTICE_TO_SEND.value
    other = reach & due & (nxt != Escalation.FORMAL_NOTICE)
    out[other] = nxt[other]
    return out


def _done_dates(exploded: pd.DataFrame, step, by_escalation: bool,
                invoice_ids: pd.Series) -> np.ndarray:
    """First date each invoice of ``invoice_ids`` had ``step`` done (sent or skipped; NaT when
    never): matched on the history's ``escalation`` column when it has one, else on
    ``step_day``."""
    sel = (exploded["escalation"] == step.escalation) if by_escalation \
        else (exploded["step_day"] == step.day)
    first = exploded[sel.to_numpy(dtype=bool, na_value=False)].groupby("invoice_id")["date"].min()
    return first.astype("datetime64[ns]").reindex(invoice_ids.to_numpy()).to_numpy(
        dtype="datetime64[ns]")


def _escalation_state(items: pd.DataFrame, scen: np.ndarray, reached_idx: np.ndarray,
                      dpd: np.ndarray, exploded: pd.DataFrame, policy: DunningPolicy,
                      asof: pd.Timestamp) -> dict[str, np.ndarray]:
    """Per item: the legal step due (never skipped), the insurer's notification due (never
    delayed), and the legal progress used to list items (loops over scenarios and steps only).

    Keys: ``legal_due``/``legal_day`` (earliest legal step of the scenario reached and not done,
    its prerequisites done and the delay passed), ``escalation_reached`` (a legal step not done
    is reached: no ordinary step is planned instead, even while the delay runs),
    ``insurer_due``/``insurer_day``, ``legal_done`` (position in the scenario's legal chain of
    the latest legal step done, -1 none), ``legal_done_date`` (its first date), ``legal_next``
    (escalation of the next legal step of the chain, of the last one when all are done; None
    without chain), ``legal_next_reached`` (that next step is reached) and ``legal_complete``
    (every legal step of the chain done).
    """
    n = len(items)
    delay = np.timedelta64(int(policy.escalation_delay_days), "D")
    asof64 = np.datetime64(asof, "ns")
    by_escalation = "escalation" in exploded.columns
    out = {"legal_due": np.zeros(n, dtype=bool), "legal_day": np.full(n, np.nan),
           "escalation_reached": np.zeros(n, dtype=bool),
           "insurer_due": np.zeros(n, dtype=bool), "insurer_day": np.full(n, np.nan),
           "legal_done": np.full(n, -1, dtype="int64"),
           "legal_done_date": np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]"),
           "legal_next": np.full(n, None, dtype=object),
           "legal_next_reached": np.zeros(n, dtype=bool),
           "legal_complete": np.zeros(n, dtype=bool)}
    inv = items["invoice_id"]
    deadline = policy.insurer_notification_days
    # past the notification step, still within the insurer's deadline (no deadline: no)
    within = dpd <= deadline if deadline is not None else np.zeros(n, dtype=bool)
    for name, sc in policy.scenarios.items():
        m = scen == name
        if not m.any():
            continue
        ids, idx = inv[m], reached_idx[m]
        chain = [(i, st) for i, st in enumerate(sc.steps) if st.escalation in LEGAL_ESCALATIONS]
        h = np.full(int(m.sum()), -1, dtype="int64")
        h_date = np.full(int(m.sum()), np.datetime64("NaT"), dtype="datetime64[ns]")
        for k, (_, st) in enumerate(chain):  # ascending: the latest legal step done wins
            d = _done_dates(exploded, st, by_escalation, ids)
            h = np.where(~np.isnat(d), k, h)
            h_date = np.where(~np.isnat(d), d, h_date)
        out["legal_done"][m], out["legal_done_date"][m] = h, h_date
        if chain:
            pos = np.array([i for i, _ in chain], dtype="int64")
            nxt = h + 1  # next legal step of the chain, reached when its index <= reached
            has_next = nxt < len(chain)
            nxt_idx = pos[np.minimum(nxt, len(chain) - 1)]
            reach = has_next & (nxt_idx <= idx)
            waited = (h < 0) | (h_date + delay <= asof64)
            codes = np.array([st.escalation for _, st in chain], dtype=object)
            out["legal_next"][m] = codes[np.minimum(nxt, len(chain) - 1)]
            out["legal_next_reached"][m] = reach
            out["legal_complete"][m] = ~has_next
            out["escalation_reached"][m] = reach
            out["legal_due"][m] = reach & waited
            out["legal_day"][m] = np.where(reach & waited, sc.days[nxt_idx], np.nan)
        # a legal step already done is not planned again by the ordinary rule (e.g. a mise en
        # demeure done at another step day under a former scenario)
        done_legal_reached = np.zeros(int(m.sum()), dtype=bool)
        for k, (i, _) in enumerate(chain):
            done_legal_reached |= (idx == i) & (h >= k)
        out["escalation_reached"][m] |= done_legal_reached
        for i, st in enumerate(sc.steps):  # insurer: reached, or passed within its deadline
            if st.escalation != Escalation.INSURER_NOTIFICATION:
                continue
            d = _done_dates(exploded, st, by_escalation, ids)
            due = np.isnat(d) & ((idx == i) | ((idx > i) & within[m]))
            out["insurer_due"][m] |= due
            sub = out["insurer_day"][m]
            out["insurer_day"][m] = np.where(due, float(st.day), sub)
            # a notification already done is not planned again by the ordinary rule
            out["escalation_reached"][m] |= (idx == i) & ~np.isnat(d)
    return out


def _listable(item_step: np.ndarray, scen: np.ndarray, esc: dict[str, np.ndarray],
              policy: DunningPolicy) -> np.ndarray:
    """True where an item may be listed in its customer's action at ``item_step`` (loops over
    scenarios and steps only): at the insurer's notification, the items not yet notified that
    need it; at the first legal step (mise en demeure), the items whose legal path has not
    started; at a later legal step, the items for which it is the next legal step, due (earlier
    steps done, delay passed); at an ordinary step, the items whose legal path has not started
    (no friendly reminder for an invoice under formal notice). No invoice gets a step twice."""
    ok = np.zeros(len(item_step), dtype=bool)
    started = esc["legal_done"] >= 0
    for name, sc in policy.scenarios.items():
        in_scen = scen == name
        k = 0
        for st in sc.steps:
            at = in_scen & (item_step == st.day)
            if st.escalation == Escalation.INSURER_NOTIFICATION:
                ok[at] = esc["insurer_due"][at]
            elif st.escalation in LEGAL_ESCALATIONS:
                ok[at] = ~started[at] if k == 0 else (esc["legal_due"][at]
                                                      & (esc["legal_day"][at] == st.day))
                k += 1
            else:
                ok[at] = ~started[at]
    return ok
