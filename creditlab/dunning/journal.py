"""The dunning journal: what was planned, issued, skipped, postponed, promised, cancelled, voided.

One SQLite file (standard library :mod:`sqlite3`), named by the policy (``journal = "..."`` in
its TOML) or given to the command (``creditlab dunning run --journal PATH``). Every fact is an
**append-only event** (a trigger refuses ``UPDATE`` and ``DELETE``) with who recorded it, when
(UTC time of recording), the business date it concerns and why:

=============  ===========================================================================
``planned``    an action of a weekly run (written before its letter is rendered).
``issued``     its letter (or script, file) was actually written: counts as *sent*.
``skipped``    a step deliberately passed (counts as done: the next step may follow).
``postponed``  no action for the customer until ``until`` (except the insurer's notice).
``promised``   a promise to pay (amount, invoices) by ``until``: postpones like the above.
``cancelled``  withdraws a pending planned action, a postponement or a promise.
``voided``     a letter issued by mistake: it no longer counts as sent (the step comes back).
``declared``   a declaration of claim written for a customer in proceedings (once per
               proceeding: :mod:`creditlab.dunning.declarations`); ``until`` its deadline.
=============  ===========================================================================

:meth:`Journal.history` turns the events into the history table
:func:`~creditlab.dunning.plan_actions` reads (statuses ``sent``, ``skipped``, ``postponed``);
:func:`run_dunning` is the weekly job: read the journal, plan, render the letters into a staging
folder, record in **one transaction** the planned actions and, as issued, only the letters
actually written, then publish the folder. A letter that failed stays *pending* (planned, not
issued): it is planned again by the next run, and the command exits non-zero. A run killed
before the commit leaves no trace in the journal (SQLite's transaction is atomic); a run killed
between the commit and the rename of the folder leaves ``.<run_id>.partial`` with letters the
journal knows as issued (:meth:`Journal.runs` lists them).

Ids (customers, invoices, actions) are stored as text: ``000044`` stays ``000044``.
"""

from __future__ import annotations

import getpass
import os
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

import pandas as pd

from creditlab._checks import as_date, finite_number
from creditlab.dunning.codes import ActionStatus, HistoryStatus
from creditlab.dunning.declarations import write_declarations
from creditlab.dunning.inputs import HISTORY_COLUMNS, empty_history
from creditlab.dunning.letters import render_batch
from creditlab.dunning.plan import plan_actions
from creditlab.dunning.policy import load_policy
from creditlab.exceptions import InputError

__all__ = ["Journal", "EventKind", "EVENT_COLUMNS", "RunResult", "run_dunning",
           "resolve_journal_path"]


class EventKind(StrEnum):
    """Kinds of journal events (module docstring)."""

    PLANNED = "planned"
    ISSUED = "issued"
    SKIPPED = "skipped"
    POSTPONED = "postponed"
    PROMISED = "promised"
    CANCELLED = "cancelled"
    VOIDED = "voided"
    DECLARED = "declared"


#: Columns of an event, in the order of the table.
EVENT_COLUMNS = ("event_id", "run_id", "kind", "recorded_at", "who", "why", "action_id", "date",
                 "customer_id", "scenario", "step", "step_day", "template", "channel",
                 "escalation", "invoice_ids", "amount", "until", "document")
_TEXT_COLUMNS = ("run_id", "kind", "recorded_at", "who", "why", "action_id", "date",
                 "customer_id", "scenario", "step", "template", "channel", "escalation",
                 "invoice_ids", "until", "document")

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS events (
    event_id    INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id      TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ({", ".join(repr(k.value) for k in EventKind)})),
    recorded_at TEXT NOT NULL,
    who         TEXT NOT NULL CHECK (who <> ''),
    why         TEXT NOT NULL DEFAULT '',
    action_id   TEXT NOT NULL,
    date        TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    scenario    TEXT, step TEXT, step_day INTEGER, template TEXT, channel TEXT,
    escalation  TEXT, invoice_ids TEXT NOT NULL DEFAULT '', amount REAL, until TEXT,
    document    TEXT
);
CREATE INDEX IF NOT EXISTS events_action ON events (action_id);
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the dunning journal is append-only: record a new event'); END;
CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the dunning journal is append-only: record a cancelled or voided event'); END;
"""

#: events that close a planned action (it is no longer pending)
_CLOSING = (EventKind.ISSUED, EventKind.SKIPPED, EventKind.POSTPONED, EventKind.CANCELLED)


def _migrate(con: sqlite3.Connection) -> None:
    """A journal created before the ``declared`` kind: its CHECK constraint would refuse it.
    The table is rebuilt with every event, in one transaction (all or nothing)."""
    row = con.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'events'"
                      ).fetchone()
    if row is None or "'declared'" in row[0]:
        return
    con.executescript("BEGIN; DROP TRIGGER IF EXISTS events_no_update; "
                      "DROP TRIGGER IF EXISTS events_no_delete; DROP INDEX IF EXISTS "
                      "events_action; ALTER TABLE events RENAME TO events_v1;" + _SCHEMA
                      + "INSERT INTO events SELECT * FROM events_v1; DROP TABLE events_v1; "
                      "COMMIT;")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _who(who: str | None) -> str:
    if who is not None:
        if not isinstance(who, str) or not who.strip():
            raise InputError("who", "the name of the person or job recording", who,
                             "pass who='Jeanne Martin' (or leave it out: the system user)")
        return who.strip()
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no user name in some containers
        return "creditlab"


def _iso(value, name: str) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return as_date(value, name).strftime("%Y-%m-%d")


def resolve_journal_path(journal=None, policy=None) -> Path:
    """The journal file: ``journal`` when given, else the policy's ``journal``, else the
    ``CREDITLAB_JOURNAL`` environment variable.

    Raises
    ------
    InputError
        None of the three names a file.
    """
    path = journal or getattr(policy, "journal", None) or os.environ.get("CREDITLAB_JOURNAL")
    if not path:
        raise InputError("journal", "the path of the dunning journal (SQLite file)", "none",
                         "pass --journal PATH, set journal = \"relances.sqlite\" in the policy "
                         "TOML, or set CREDITLAB_JOURNAL")
    return Path(path)


class Journal:
    """An append-only journal of dunning events in one SQLite file (module docstring).

    Parameters
    ----------
    path : path
        The SQLite file (created with its schema when missing; its folder must exist).
    """

    def __init__(self, path):
        self.path = Path(path)
        if not self.path.parent.is_dir():
            raise InputError("journal", "a file in an existing folder", str(self.path),
                             "create the folder first")
        con = self._connect()
        try:
            _migrate(con)
            con.executescript(_SCHEMA)
        finally:
            con.close()

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=30)
        con.execute("PRAGMA foreign_keys = ON")
        return con

    def __repr__(self) -> str:
        return f"Journal({str(self.path)!r})"

    # ------------------------------------------------------------------ writing
    def record(self, rows: list[dict], *, who: str | None = None, run_id: str | None = None,
               _rows_hook=None) -> int:
        """Append events (dicts of :data:`EVENT_COLUMNS`) in one transaction; returns how many.

        Either every row is recorded or none (an error or a kill mid-way rolls back)."""
        who = _who(who)
        run_id = run_id or _new_run_id()
        stamp = _now()
        prepared = [self._prepare(r, who, run_id, stamp) for r in rows]
        cols = [c for c in EVENT_COLUMNS if c != "event_id"]
        sql = f"INSERT INTO events ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        values = (tuple(r[c] for c in cols) for r in prepared)
        if _rows_hook is not None:      # tests: interrupt the transaction mid-way
            values = _rows_hook(values)
        con = self._connect()
        try:
            with con:                   # one transaction: commit, or roll back on any error
                con.executemany(sql, values)
        finally:
            con.close()
        return len(prepared)

    @staticmethod
    def _prepare(row: dict, who: str, run_id: str, stamp: str) -> dict:
        unknown = set(row) - set(EVENT_COLUMNS)
        if unknown:
            raise InputError("event", f"keys among {list(EVENT_COLUMNS)}", sorted(unknown))
        kind = row.get("kind")
        if kind not in {k.value for k in EventKind}:
            raise InputError("kind", f"one of {[k.value for k in EventKind]}", kind)
        out = {c: None for c in EVENT_COLUMNS}
        out.update(row)
        for c in ("action_id", "customer_id"):
            if out[c] is None or str(out[c]).strip() == "":
                raise InputError(c, "a non-empty id", out[c])
        out.update(run_id=run_id, who=row.get("who") or who, recorded_at=stamp,
                   why=str(row.get("why") or ""), kind=str(kind))
        out["date"] = _iso(out["date"], "date")
        if out["date"] is None:
            raise InputError("date", "the business date of the event", None)
        out["until"] = _iso(out["until"], "until")
        for c in _TEXT_COLUMNS:
            if not isinstance(out[c], str) and pd.isna(out[c]):
                out[c] = "" if c == "invoice_ids" else None
            elif not isinstance(out[c], str):
                out[c] = str(out[c])
        if out["step_day"] is not None and not pd.isna(out["step_day"]):
            out["step_day"] = int(out["step_day"])
        else:
            out["step_day"] = None
        if out["amount"] is not None and not pd.isna(out["amount"]):
            out["amount"] = float(out["amount"])
        else:
            out["amount"] = None
        out.pop("event_id", None)
        return out

    # ------------------------------------------------------------------ reading
    def events(self) -> pd.DataFrame:
        """Every event, in the order recorded; ids and dates as text (ISO)."""
        con = self._connect()
        try:
            df = pd.read_sql_query("SELECT * FROM events ORDER BY event_id", con,
                                   dtype={c: "object" for c in _TEXT_COLUMNS})
        finally:
            con.close()
        return df

    def _latest(self, ev: pd.DataFrame, kinds) -> pd.DataFrame:
        return ev[ev["kind"].isin([str(k) for k in kinds])]

    def pending(self) -> pd.DataFrame:
        """Planned actions not yet issued, skipped, postponed nor cancelled (e.g. a letter that
        failed): their latest ``planned`` event."""
        ev = self.events()
        closed = set(self._latest(ev, _CLOSING)["action_id"])
        planned = ev[(ev["kind"] == EventKind.PLANNED) & ~ev["action_id"].isin(closed)]
        return planned.drop_duplicates("action_id", keep="last").reset_index(drop=True)

    def action(self, action_id: str) -> pd.DataFrame:
        """The events of one action (raises :class:`InputError` when there are none)."""
        ev = self.events()
        out = ev[ev["action_id"] == str(action_id)]
        if out.empty:
            raise InputError("action_id", "an action recorded in the journal", action_id,
                             "see 'creditlab dunning list'")
        return out

    def history(self, as_of=None) -> pd.DataFrame:
        """The history table of :func:`~creditlab.dunning.plan_actions` (``HISTORY_COLUMNS``):
        issued letters not voided (``sent``), skipped steps, postponements and promises not
        cancelled (``postponed`` until their date); events dated after ``as_of`` are left out
        (a cancellation or a voiding applies whatever its date: it corrects the record).
        """
        ev = self.events()
        # a cancellation or a voiding corrects the record whenever it is made
        voided = set(ev.loc[ev["kind"] == EventKind.VOIDED, "action_id"])
        cancelled = set(ev.loc[ev["kind"] == EventKind.CANCELLED, "action_id"])
        if as_of is not None:
            ev = ev[ev["date"] <= as_of_iso(as_of)]
        sent = ev[(ev["kind"] == EventKind.ISSUED) & ~ev["action_id"].isin(voided)]
        skipped = ev[ev["kind"] == EventKind.SKIPPED]
        post = ev[ev["kind"].isin([EventKind.POSTPONED, EventKind.PROMISED])
                  & ~ev["action_id"].isin(cancelled)]
        parts = [sent.assign(status=HistoryStatus.SENT.value),
                 skipped.assign(status=HistoryStatus.SKIPPED.value),
                 post.assign(status=HistoryStatus.POSTPONED.value)]
        rows = pd.concat(parts, ignore_index=True)
        if rows.empty:
            return empty_history()
        out = pd.DataFrame({
            "action_id": rows["action_id"].astype("str"),
            "date": pd.to_datetime(rows["date"], format="%Y-%m-%d"),
            "customer_id": rows["customer_id"].astype("str"),
            "scenario": rows["scenario"].fillna("").astype("str"),
            "step": rows["step"].fillna("").astype("str"),
            # postponements are not steps: day -inf would be ideal, any day below the
            # courtesy steps does (plan_actions reads only sent/skipped rows' days)
            "step_day": pd.to_numeric(rows["step_day"]).fillna(-10_000).astype("int64"),
            "template": rows["template"].fillna("").astype("str"),
            "channel": rows["channel"].fillna("").astype("str"),
            "escalation": rows["escalation"].fillna("").astype("str"),
            "invoice_ids": rows["invoice_ids"].fillna("").astype("str"),
            "amount": pd.to_numeric(rows["amount"]).astype("float64"),
            "status": rows["status"].astype("str"),
            "until": pd.to_datetime(rows["until"], format="%Y-%m-%d"),
            "reason": rows["why"].fillna("").astype("str"),
        })
        return out.sort_values(["date", "action_id"], kind="stable").reset_index(drop=True)[
            list(HISTORY_COLUMNS)]

    def runs(self) -> pd.DataFrame:
        """One row per run: run id, who, when, business date, planned and issued counts."""
        ev = self.events()
        if ev.empty:
            return pd.DataFrame(columns=["run_id", "who", "recorded_at", "date", "planned",
                                         "issued"])
        g = ev.groupby("run_id", sort=False)
        return pd.DataFrame({
            "who": g["who"].first(), "recorded_at": g["recorded_at"].first(),
            "date": g["date"].first(),
            "planned": g["kind"].apply(lambda k: int((k == EventKind.PLANNED).sum())),
            "issued": g["kind"].apply(lambda k: int((k == EventKind.ISSUED).sum())),
        }).reset_index()

    # ------------------------------------------------------------------ human events
    def _customer_event(self, kind, customer_id, *, date, until=None, why="", who=None,
                        amount=None, invoice_ids="") -> str:
        cid = str(customer_id).strip()
        if not cid:
            raise InputError("customer_id", "a customer id", customer_id)
        day = as_date(date, "date")
        action_id = f"{day:%Y%m%d}-{cid}-{kind}-{uuid.uuid4().hex[:6]}"
        self.record([{"kind": kind, "action_id": action_id, "customer_id": cid,
                      "date": day, "until": until, "why": why, "amount": amount,
                      "invoice_ids": invoice_ids}], who=who)
        return action_id

    def postpone(self, customer_id, until, *, why: str, date=None, who=None) -> str:
        """Record that ``customer_id`` gets no action (except the insurer's notification)
        until ``until`` (after ``date``, default today); returns the event's action id."""
        date = pd.Timestamp.today().normalize() if date is None else as_date(date, "date")
        u = as_date(until, "until")
        if u <= date:
            raise InputError("until", f"a date after {date:%Y-%m-%d}", f"{u:%Y-%m-%d}",
                             "postpone to a later date")
        if not str(why).strip():
            raise InputError("why", "the reason of the postponement", why,
                             "e.g. --why 'litige commercial en cours'")
        return self._customer_event(EventKind.POSTPONED, customer_id, date=date, until=u,
                                    why=why, who=who)

    def promise(self, customer_id, promise_date, amount, *, invoice_ids=(), why: str = "",
                date=None, who=None) -> str:
        """Record a promise to pay ``amount`` euros by ``promise_date``: the customer is not
        chased before that date; returns the event's action id."""
        date = pd.Timestamp.today().normalize() if date is None else as_date(date, "date")
        u = as_date(promise_date, "promise_date")
        if u <= date:
            raise InputError("promise_date", f"a date after {date:%Y-%m-%d}", f"{u:%Y-%m-%d}")
        amt = finite_number(amount, "amount")
        if amt <= 0:
            raise InputError("amount", "a positive amount in euros", amount)
        ids = invoice_ids if isinstance(invoice_ids, str) else ";".join(map(str, invoice_ids))
        return self._customer_event(EventKind.PROMISED, customer_id, date=date, until=u,
                                    why=why or "promesse de paiement", who=who, amount=amt,
                                    invoice_ids=ids)

    def _follow(self, kind, action_id, why, who, allowed) -> None:
        if not str(why).strip():
            raise InputError("why", f"the reason why the action is {kind}", why)
        ev = self.action(action_id)
        last = ev.iloc[-1]
        kinds = set(ev["kind"])
        if not kinds & {str(k) for k in allowed} or (kinds & {EventKind.CANCELLED,
                                                             EventKind.VOIDED}):
            raise InputError("action_id", f"an action that can be {kind} "
                             f"(events {[str(k) for k in allowed]}, not yet cancelled/voided)",
                             f"{action_id}: {sorted(kinds)}", "see 'creditlab dunning list'")
        self.record([{"kind": kind, "action_id": last["action_id"],
                      "customer_id": last["customer_id"],
                      "date": pd.Timestamp.today().normalize(), "why": why,
                      "scenario": last["scenario"], "step": last["step"],
                      "step_day": last["step_day"], "template": last["template"],
                      "channel": last["channel"], "escalation": last["escalation"],
                      "invoice_ids": last["invoice_ids"], "amount": last["amount"]}], who=who)

    def cancel(self, action_id, *, why: str, who=None) -> None:
        """Withdraw a pending planned action, a postponement or a promise."""
        ev = self.action(action_id)
        if EventKind.ISSUED in set(ev["kind"]):
            raise InputError("action_id", "an action not issued (a sent letter is voided)",
                             action_id, f"creditlab dunning void {action_id} --why ...")
        self._follow(EventKind.CANCELLED, action_id, why, who,
                     (EventKind.PLANNED, EventKind.POSTPONED, EventKind.PROMISED))

    def void(self, action_id, *, why: str, who=None) -> None:
        """Void a letter issued by mistake: it no longer counts as sent, its step comes back
        (a voided declaration of claim is written again by the next run)."""
        self._follow(EventKind.VOIDED, action_id, why, who,
                     (EventKind.ISSUED, EventKind.DECLARED))

    def declared(self) -> set[str]:
        """Ids of the declarations of claim recorded and not voided."""
        ev = self.events()
        voided = set(ev.loc[ev["kind"] == EventKind.VOIDED, "action_id"])
        return set(ev.loc[ev["kind"] == EventKind.DECLARED, "action_id"]) - voided


def as_of_iso(value) -> str:
    return as_date(value, "as_of").strftime("%Y-%m-%d")


def _new_run_id(as_of=None) -> str:
    tag = "" if as_of is None else f"{as_date(as_of, 'as_of'):%Y%m%d}-"
    return f"{tag}{uuid.uuid4().hex[:8]}"


# --------------------------------------------------------------------------- weekly run
@dataclass(frozen=True, eq=False)
class RunResult:
    """Result of :func:`run_dunning`: the plan, the letters batch, the run id, the folder of
    the letters (the preview folder for a dry run), the counts, and the claims to declare
    (``declarations``: :data:`~creditlab.dunning.declarations.DECLARATION_COLUMNS`, one row
    per customer in proceedings, ``status`` written / recorded / failed) and ``lang``, the
    language of the letters and of :attr:`warnings`."""

    plan: object
    batch: object
    run_id: str
    letters_dir: Path | None
    dry_run: bool
    declarations: pd.DataFrame | None = None
    lang: str = "fr"

    @property
    def n_issued(self) -> int:
        return 0 if self.dry_run else len(self.batch.written)

    @property
    def n_failed(self) -> int:
        """Letters and declarations that could not be written (they stay to do)."""
        d = self.declarations
        return len(self.batch.failed) + (0 if d is None else int((d["status"] == "failed")
                                                               .sum()))

    @property
    def warnings(self) -> list[str]:
        """One line per distinct reason why penalties could not be computed (a rate table not
        covering the period: the letters then state the legal rule instead of an amount)."""
        a = self.plan.in_words(self.lang)
        notes = a.loc[a["penalties"].isna() & (a["penalty_note"] != ""), "penalty_note"]
        return [str(n) for n in notes.unique()]

    @property
    def n_lower_bound(self) -> int:
        """Letters whose penalties are a minimum (partly paid invoices without payment dates:
        an open-items export); the letters and the plan's ``penalty_note`` say so."""
        return int(self.plan.actions["penalties_lower_bound"].sum())


def _action_rows(plan, kind, actions: pd.DataFrame, documents=None) -> list[dict]:
    cols = ["action_id", "customer_id", "scenario", "step", "step_day", "template", "channel",
            "escalation", "invoice_ids", "amount"]
    a = actions[cols].copy()
    a["date"] = plan.as_of
    a["kind"] = str(kind)
    if documents is not None:
        a["document"] = a["action_id"].map(documents)
    return a.to_dict("records")


def run_dunning(ledger, as_of, journal, *, policy=None, customers=None, out="output",
                dry_run: bool = False, who: str | None = None, lang: str = "fr",
                ledger_items=None, _rows_hook=None) -> RunResult:
    """The weekly dunning job: read the journal, plan, render, record what was written.

    Parameters
    ----------
    ledger, as_of, customers
        As :func:`~creditlab.dunning.plan_actions`.
    journal : Journal or path
    policy : DunningPolicy, optional
    out : path
        The letters go to ``OUT/<run_id>/`` (rendered first in ``OUT/.<run_id>.partial``,
        renamed once the journal has recorded them).
    dry_run : bool
        Plan and render into ``OUT/preview-<run_id>/`` without recording anything.
    who : str, optional
        Recorded with the events (default: the system user).
    lang : {"fr", "en"}
        Language of the letters, the declarations and the warnings (the plan is in codes).

    Returns
    -------
    RunResult
        The failed letters (``result.batch.failed``) stay pending in the journal.
    """
    j = journal if isinstance(journal, Journal) else Journal(journal)
    policy = load_policy() if policy is None else policy
    history = j.history(as_of)
    plan = plan_actions(ledger, policy, as_of, history, customers=customers)
    run_id = _new_run_id(plan.as_of)
    out = Path(out)
    staging = out / (f"preview-{run_id}" if dry_run else f".{run_id}.partial")
    batch = render_batch(plan, out_dir=staging, customers=customers, history=history,
                         ledger_items=ledger_items, lang=lang)
    # customers newly in proceedings: their declaration of claim, once (L622-24)
    declarations, declared = write_declarations(plan, staging, done=j.declared(),
                                                customers=customers, lang=lang)
    if dry_run:
        return RunResult(plan, batch, run_id, staging, True, declarations, lang)
    final = out / run_id
    staging.mkdir(parents=True, exist_ok=True)  # a run with nothing to write still publishes
    for row in declared:
        row["document"] = str(final / row["document"])
    written_docs = declarations["status"] == "written"
    declarations.loc[written_docs, "document"] = declarations.loc[written_docs, "document"].map(
        lambda p: str(final / Path(p).name))
    written = batch.written
    docs = dict(zip(written["action_id"], written["html"].map(
        lambda p: str(final / Path(p).name)), strict=True)) if len(written) else {}
    issued = plan.actions[plan.actions["action_id"].isin(list(docs))]
    # the actions left pending by earlier runs (failed letters) are planned again today when
    # still due: the earlier ones are closed in the same transaction
    stale = j.pending()
    stale = stale[~stale["action_id"].isin(plan.actions["action_id"])]
    rows = ([{"kind": EventKind.CANCELLED, "action_id": r.action_id,
              "customer_id": r.customer_id, "date": plan.as_of,
              "why": f"replanned by run {run_id}", "invoice_ids": r.invoice_ids,
              "step_day": r.step_day, "escalation": r.escalation}
             for r in stale.itertuples(index=False)]
            + _action_rows(plan, EventKind.PLANNED, plan.actions)
            + _action_rows(plan, EventKind.ISSUED, issued, docs) + declared)
    j.record(rows, who=who, run_id=run_id, _rows_hook=_rows_hook)
    os.replace(staging, final)
    return RunResult(plan, batch, run_id, final, False, declarations, lang)


#: Plan statuses a weekly run renders (a review done in a notebook is recorded as events).
RENDERED = (ActionStatus.PROPOSED.value, ActionStatus.APPROVED.value)
