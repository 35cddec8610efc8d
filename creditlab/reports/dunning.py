"""The weekly dunning report's inputs, tables, checks and files (:func:`build_dunning_report`).

What the ``dunning`` report notebook used to compute in its cells: the history and promises
read with the report's policy (:func:`read_history`, :func:`report_promises`), today's action
plan with its checks (one action per customer, minimum amount, disputes excluded, no repeat
once the history is completed, legal steps never skipped), the actions table in words, the
promises' follow-up, the disputes blocking collection with their cause, the cases to escalate
and the insurer's deadlines, the letters and CSV files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from creditlab import dunning as dn
from creditlab._checks import check_choice
from creditlab._safety import escape_frame, neutralise_frame, unneutralise_frame
from creditlab.documents import PLACEHOLDERS, check_letterhead
from creditlab.dunning import (
    dunning_labels,
    empty_history,
    injunction_file,
    plan_actions,
    read_promises,
    render_batch,
)
from creditlab.dunning.escalation import DEMO_PROMISES_FILE
from creditlab.exceptions import InputError
from creditlab.i18n import check_lang, format_eur
from creditlab.labels import text
from creditlab.reports.common import dispute_causes, say
from creditlab.reports.printing import PDF_MODES, print_batch
from creditlab.reports.tables import page_table
from creditlab.reports.workbook import write_dunning_files
from creditlab.synth import DEMO_AS_OF

__all__ = ["DunningReport", "build_dunning_report", "read_history", "report_promises",
           "promises_path",
           "ACTION_COLUMNS", "CASE_COLUMNS"]

#: Columns of the actions table and of the cases to escalate, in display order.
ACTION_COLUMNS = ["customer_id", "name", "step", "channel", "n_invoices", "net_amount",
                  "max_days_past_due", "penalties", "indemnities", "assignee"]
CASE_COLUMNS = ["name", "max_days_past_due", "overdue_amount", "n_invoices", "step",
                "escalation_label", "broken_promises", "reasons"]
_STATUSES = ["kept", "broken", "due", "pending", "to_check"]


def _require(condition, message: str) -> None:
    if not bool(condition):
        raise AssertionError(message)


def read_history(path: str | os.PathLike | None) -> pd.DataFrame:
    """The dunning history (CSV written by earlier runs, append-only), or an empty history.

    Raises
    ------
    InputError
        The file does not exist.
    """
    if not path:
        return empty_history()
    if not Path(path).is_file():
        raise InputError("history", "an existing CSV file of earlier actions", str(path),
                         "check the path, or leave history out for a first run")

    # ids are text (000044 stays 000044); dates are read by the history check (ISO or French
    # day-first, never month-first); cells neutralised against formulas are read back as written
    return unneutralise_frame(pd.read_csv(
        path, dtype={c: str for c in ("action_id", "customer_id", "invoice_ids", "date", "until",
                                      "step_day")},
        keep_default_na=False, na_values={"amount": [""]}))


def promises_path(promises, inputs):
    """The promises file of the run: ``"demo"`` is the example file of the demo portfolio
    (:data:`creditlab.dunning.escalation.DEMO_PROMISES_FILE`; only with the demo data, and only
    where that file is present — not in a wheel install), a path stays, None means none."""
    if isinstance(promises, str) and promises == "demo":
        # the example concerns the demo customers only
        return DEMO_PROMISES_FILE if inputs.is_demo and DEMO_PROMISES_FILE.is_file() else None
    return promises or None


def report_promises(promises, inputs) -> pd.DataFrame | None:
    """Promises to pay for the run (see :func:`promises_path`), read and checked against the
    customers and invoices; None when there are none."""
    path = promises_path(promises, inputs)
    if path is None:
        return None
    return read_promises(path, customers=inputs.get("customers"),
                         invoices=inputs.get("invoices"))


def _ledger_tables(inputs) -> dict:
    # the dunning functions take the ledger tables (they match the documents themselves and
    # read the customers' payment history); the open items of the same date are inputs.items
    return {"invoices": inputs.get("invoices"), "payments": inputs.get("payments"),
            "disputes": inputs.get("disputes"), "events": inputs.get("events")}


def _eur(value, lang):
    return format_eur(value, lang)


@dataclass(frozen=True, eq=False)
class DunningReport:
    """The dunning report at ``inputs.as_of`` (see :func:`build_dunning_report`).

    ``plan`` is in codes; ``actions`` (its actions), ``promise_status``, ``cases`` and
    ``deadlines`` carry the words of the run's language (``status_label``,
    ``escalation_label``, ``reasons``, ``step``, ``assignee``, ``penalty_note``)."""

    inputs: object
    policy: object
    history: pd.DataFrame
    promises: pd.DataFrame | None
    promises_file: object
    plan: object
    promise_status: pd.DataFrame
    cases: pd.DataFrame
    deadlines: pd.DataFrame
    lang: str

    @property
    def actions(self) -> pd.DataFrame:
        """The plan's actions with ``assignee`` and ``penalty_note`` in the run's language
        (:meth:`ActionPlan.in_words`)."""
        return self.plan.in_words(self.lang)

    @property
    def ledger(self) -> dict:
        """The ledger tables the dunning functions read (invoices, payments, disputes)."""
        return _ledger_tables(self.inputs)

    @property
    def items(self) -> pd.DataFrame:
        """The open items at ``as_of`` (the letters' statement of account)."""
        return self.inputs.items.items

    def _say(self, key, **fields):
        return say(key, self.lang, **fields)

    # --- words and tables -------------------------------------------------------------------
    def data_line(self) -> str:
        return text("report_dunning_data_line", self.lang,
                    source=self.inputs.source_label(self.lang),
                    n_docs=len(self.inputs.get("invoices")), as_of=self.inputs.as_of,
                    n_hist=len(self.history))

    def steps(self) -> pd.DataFrame:
        """The policy's steps, channels, templates, escalations and roles in words."""
        steps = self.policy.steps_table(self.lang).drop(columns="name")
        return steps.assign(**{c: steps[c].map(lambda v: dunning_labels(v, self.lang))
                               for c in ("channels", "template", "escalation", "assignee")})

    def scenario_words(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` with its ``scenario`` codes replaced by the policy's scenario labels (the
        part before " : ", e.g. "Grands comptes") and, in English, its ``step`` names by the
        steps' English names (:meth:`creditlab.dunning.Step.label`)."""
        if "scenario" not in frame.columns:
            return frame
        if self.lang != "fr" and "step" in frame.columns:
            steps = self.policy.steps_table(self.lang).drop_duplicates(["scenario", "name"])
            en = steps.set_index(["scenario", "name"])["label"].reindex(
                pd.MultiIndex.from_frame(frame[["scenario", "step"]].astype(object))).to_numpy()
            frame = frame.assign(step=frame["step"].where(pd.isna(en), en))
        words = {k: sc.label(self.lang).split(" : ")[0].split(": ")[0]
                 for k, sc in self.policy.scenarios.items()}
        return frame.assign(scenario=frame["scenario"].map(lambda v: words.get(v, v)))

    def steps_view(self):
        """The policy's steps as the page shows them (French headers, Oui/Non)."""
        return page_table(self.scenario_words(self.steps().drop(columns="step_index")),
                          self.lang)

    def plan_view(self):
        """Actions per step (:meth:`ActionPlan.summary`) with words and formatted amounts."""
        summary = self.plan.summary()
        labels = {c: {"fr": text(f"plan.{c}", "fr"), "en": text(f"plan.{c}", "en")}
                  for c in summary.columns}
        return page_table(summary, self.lang, labels=labels, values=("step",))

    def failed_view(self, batch):
        """The letters that failed (customer, action, reason), or nothing when none did."""
        return page_table(batch.failed, self.lang) if len(batch.failed) else None

    def urgent_view(self, n: int = 15):
        """Insurer notifications urgent or late, as the page shows them."""
        return page_table(self.urgent().drop(columns="status"), self.lang, n=n,
                          customers=self.inputs.get("customers"))

    def actions_headline(self):
        a = self.actions
        return self._say("report_dunning_actions", n=len(a),
                         amount=_eur(a["net_amount"].sum(), self.lang),
                         n_pre=int((a["step_day"] <= 0).sum()))

    def actions_table(self, n: int = 25):
        """The first ``n`` actions: step name and channel in words, amounts formatted."""
        a, lang = self.actions, self.lang
        names = self.policy.steps_table(lang).set_index(["scenario", "day"])["label"]
        keys = pd.MultiIndex.from_frame(
            a[["scenario", "step_day"]].set_axis(["scenario", "day"], axis=1))
        table = a[ACTION_COLUMNS].assign(channel=a["channel"].map(
            lambda v: dunning_labels(v, lang)), step=names.reindex(keys).to_numpy())
        _require(not table["channel"].str.contains("registered_letter|_").any(),
                 "a channel shown as a code")
        return page_table(table, lang, n=n)

    def warnings(self) -> list:
        """One Markdown warning per distinct penalty note of the actions."""
        a = self.actions
        return [self._say("report_warning", note=note)
                for note in a.loc[a["penalty_note"] != "", "penalty_note"].unique()]

    def write(self, out, *, pdf: str = "auto"):
        """Letters (``lettres/``: HTML, text and PDF per action, and the postal letters merged
        in ``lettres_a_imprimer.pdf``: :func:`creditlab.reports.printing.print_batch`; ``pdf``
        is ``"auto"``, ``"required"`` or ``"no"``), ``plan_relances.csv`` and
        ``historique_a_ajouter.csv`` (``history_to_append.csv`` in English runs: the history
        lines of the letters actually written, in codes: a
        failed letter is not in it; the weekly job ``creditlab dunning run`` records them in
        the journal itself). Returns a :class:`~creditlab.reports.printing.LetterFiles` (it
        unpacks as the letters batch and the letters folder); checks one file per letter
        written.

        Raises
        ------
        InputError
            The policy's letterhead is still the example one and the data are not the demo
            (:func:`creditlab.documents.check_letterhead`: letters to real customers must carry
            the company's own name, address and e-mail); ``pdf="required"`` without Chromium.
        """
        check_letterhead(self.policy.sender, demo=self.inputs.is_demo)
        check_choice(pdf, "pdf", PDF_MODES)
        out = Path(out)
        letters_dir = out / "lettres"
        batch = render_batch(self.plan, out_dir=letters_dir,
                             customers=self.inputs.get("customers"), history=self.history,
                             ledger_items=self.items, lang=self.lang)
        _require(len(batch.written) + len(batch.failed) == len(self.actions),
                 "not one letter (or failure) per action")
        _require(len(list(letters_dir.glob("*.html"))) == len(batch.written),
                 "not one HTML file per letter written")
        write_dunning_files(self, out)  # plan_relances.csv and .xlsx, in words
        safe = neutralise_frame  # no formula from a customer name (OWASP CSV injection)
        # only the letters actually written are history (a failed one is planned again)
        written = self.plan.approve(batch.written["action_id"].tolist()) if len(
            batch.written) else self.plan
        safe(written.to_history()).to_csv(out / text("report_file_history_to_append", self.lang),
                                          index=False)
        return print_batch(batch, letters_dir, self.actions, out, pdf=pdf, lang=self.lang)

    def letters_line(self, batch, letters_dir=None) -> str:
        """Letters written (and failed), then the sentence about the PDFs when ``batch`` is
        the :class:`~creditlab.reports.printing.LetterFiles` of :meth:`write`."""
        files = batch if hasattr(batch, "note") else None
        if files is not None:
            batch, letters_dir = files
        line = text("report_dunning_letters", self.lang, n=len(batch.written),
                    folder=Path(letters_dir).name, n_failed=len(batch.failed))
        return f"{line}\n{files.note}" if files is not None and files.note else line

    def promises_counts(self) -> pd.Series:
        """Number of promises per status (kept, broken, due, pending, to_check)."""
        return self.promise_status["status"].value_counts().reindex(_STATUSES, fill_value=0)

    def promises_view(self) -> list:
        """Section "promises": the headline and the promises table (or "no promises file")."""
        if self.promises is None:
            return [self._say("report_no_promises")]
        lang, pst, n = self.lang, self.promise_status, self.promises_counts()
        tail = (text("report_promises_to_check", lang, n=n["to_check"]) if n["to_check"]
                else ".")
        owed = pst.loc[pst["status"] == "broken", "open_remaining"].sum()
        head = self._say("report_promises_headline", n=len(pst), kept=n["kept"],
                         broken=n["broken"], owed=_eur(owed, lang), due=n["due"],
                         pending=n["pending"], tail=tail)
        shown = pst.sort_values(["status", "promise_date"])[
            ["customer_id", "promise_date", "amount", "invoice_ids", "open_remaining",
             "status_label"]]
        if lang == "fr":
            shown.columns = ["client", "date promise", "montant promis", "factures",
                             "reste dû", "statut"]
        date_fmt = "{:%d/%m/%Y}" if lang == "fr" else "{:%Y-%m-%d}"
        return [head, escape_frame(shown).style.format({shown.columns[2]: lambda v: _eur(v, lang),
                                          shown.columns[4]: lambda v: _eur(v, lang),
                                          shown.columns[1]: date_fmt}).hide(axis="index")]

    def blocked(self) -> pd.DataFrame:
        """Past-due disputed invoices excluded from the plan, with their dispute's cause when
        the dated disputes are known."""
        blocked = self.plan.blocked.copy()
        disputes = self.inputs.get("disputes")
        if disputes is not None and len(blocked):
            causes = dispute_causes(blocked["invoice_id"], self.inputs.as_of, disputes=disputes)
            if causes is not None:
                blocked["cause"] = causes
        return blocked

    def blocked_view(self, n: int = 15) -> list:
        b = self.blocked()
        return [self._say("report_dunning_blocked", n=len(b),
                          amount=_eur(b["open_amount"].sum(), self.lang)),
                page_table(b.sort_values("open_amount", ascending=False).drop(
                    columns=["disputed", "scenario"], errors="ignore"), self.lang, n=n,
                    values={"cause": "dispute_cause.", "doc_type": ""},
                    customers=self.inputs.get("customers"))]

    def declarations_view(self, n: int = 15) -> list:
        """Section "claims to declare": customers under insolvency proceedings, out of the
        plan, with the deadline and the amount to declare (L622-24, R622-24, L622-28)."""
        c = self.plan.claims_to_declare
        cols = ["proceeding", "judgment_date", "deadline", "deadline_estimated",
                "n_invoices", "principal", "penalties", "indemnities", "declared"]
        head = self._say("report_dunning_declarations", n=len(c),
                         amount=_eur(c["declared"].sum() if len(c) else 0.0, self.lang),
                         n_estimated=int(c["deadline_estimated"].sum()) if len(c) else 0)
        return [head, page_table(c[cols], self.lang, n=n, values=("proceeding",),
                                 customers=self.inputs.get("customers"))]

    def urgent(self) -> pd.DataFrame:
        """Insurer notifications urgent or late."""
        return self.deadlines[self.deadlines["status"].isin(["urgent", "missed"])]

    def cases_view(self, n: int = 15) -> list:
        c = self.cases
        if "name" not in c.columns:  # no customers file: the customer id stands for the name
            c = c.assign(name=c.index.astype(str))
        return [self._say("report_dunning_cases", n=len(c),
                          amount=_eur(c["overdue_amount"].sum(), self.lang),
                          n_urgent=len(self.urgent())),
                page_table(c[CASE_COLUMNS], self.lang, n=n)]

    def injunction(self):
        """The payment-order file (text) of the first customer the plan proposes one for, or
        a sentence saying why there is none today."""
        inj = self.actions[self.actions["escalation"] == "injonction_de_payer"]
        if not len(inj):
            return self._say("report_no_injunction", days=self.policy.escalation_delay_days)
        cid = inj["customer_id"].iloc[0]
        f = injunction_file(self.plan.items, self.inputs.as_of, history=self.history,
                            customers=self.inputs.get("customers"), customer_ids=[cid],
                            lang=self.lang)
        _require(f.summary["total"].iloc[0] >= f.summary["principal"].iloc[0] > 0,
                 "payment-order total below its principal")
        return f.text(cid)

    # --- checks -----------------------------------------------------------------------------
    def check(self) -> None:
        """The report's key checks (see the module docstring).

        Raises
        ------
        AssertionError
            Naming the check that failed.
        """
        a, pol, hist, asof = self.actions, self.policy, self.history, self.inputs.as_of
        _require(a["action_id"].is_unique and a["customer_id"].is_unique,
                 "more than one action per customer")
        _require(((a["net_amount"] >= pol.min_amount)
                  | (a["escalation"] == "insurer_notification")).all(),
                 "an action below the policy's minimum amount")
        _require(not a["invoice_ids"].str.split(";").explode().isin(
            self.plan.blocked["invoice_id"]).any(), "a disputed invoice is chased")
        listed = self.plan.items.groupby("action_id")["open_amount"].sum()
        _require((listed.reindex(a["action_id"]).to_numpy().round(2)
                  == a["amount"].round(2)).all(), "an action's amount != its invoices'")
        again = plan_actions(self.ledger, pol, asof,
                             pd.concat([hist, self.plan.approve().to_history()]),
                             customers=self.inputs.get("customers"))
        _require(again.actions.empty, "re-running with the completed history repeats actions")
        claimed = a.loc[a["escalation"].isin(["injonction_de_payer", "collection_agency"]),
                        "invoice_ids"].str.split(";").explode()
        if "escalation" in hist.columns:
            med = hist[(hist["escalation"] == "mise_en_demeure")
                       & hist["status"].isin(["sent", "skipped"])]
            med = med.assign(invoice_id=med["invoice_ids"].astype(str).str.split(";")) \
                .explode("invoice_id")
            first = med.groupby("invoice_id")["date"].min().reindex(claimed.to_numpy())
            _require((first <= asof - pd.Timedelta(days=pol.escalation_delay_days)).all(),
                     "a payment order without a formal notice sent long enough ago")
        # promises
        pst = self.promise_status
        if self.promises is not None:
            _require(len(pst) == len(self.promises), "not one status per promise")

            if self.promises_file == DEMO_PROMISES_FILE and asof == pd.Timestamp(DEMO_AS_OF):
                # key figures of the example, at the demo's date
                _require(self.promises_counts().to_dict() == {"kept": 3, "broken": 3, "due": 2,
                                                               "pending": 2, "to_check": 0},
                         "the demo promises' statuses changed")
        # blocked disputes
        items = self.items
        overdue_disputed = items[items["disputed"] & (items["open_amount"] > 0)
                                 & (items["doc_type"] == "invoice") & (items["due_date"] < asof)]
        _require(abs(self.plan.blocked["open_amount"].sum()
                     - overdue_disputed["open_amount"].sum()) < 0.005,
                 "blocked invoices != past-due disputed invoices")
        # cases
        c = self.cases
        _require(c.index.is_unique and (c["overdue_amount"].fillna(0) >= 0).all(),
                 "cases not unique per customer or negative overdue")
        _require(set(pst.loc[pst["status"] == "broken", "customer_id"])
                 <= set(c.index[c["broken_promises"] > 0]), "a broken promise not escalated")
        notified = hist.loc[hist.get("escalation", pd.Series(dtype=str)) == "mise_en_demeure",
                            "customer_id"]
        _require(not ((c["next_action"] == "injonction_de_payer")
                      & ~c.index.isin(notified)).any(),
                 "a payment order announced without a formal notice")


def with_company_letterhead(policy, company):
    """``policy`` whose letterhead takes the configuration's ``[company]`` values wherever the
    policy's ``[sender]`` still holds the example (or nothing); a sender the policy file sets
    itself is kept. ``company`` None or empty: ``policy`` unchanged."""
    if not company:
        return policy
    sender = dict(policy.sender)
    for key, value in company.items():
        if str(value).strip() and str(sender.get(key, "")).strip() in ("", *PLACEHOLDERS):
            sender[key] = str(value)
    return replace(policy, sender=sender)


def build_dunning_report(inputs, *, history=None, promises="demo", policy=None,
                         lang: str = "fr", check: bool = True) -> DunningReport:
    """Plan the day's dunning actions and compute the follow-up tables of the report.

    Parameters
    ----------
    inputs : ReportInputs
        :func:`creditlab.reports.load_inputs` output.
    history : path or DataFrame, optional
        Earlier actions (:func:`read_history` for a path; None: none).
    promises : path, "demo" or None
        See :func:`report_promises`.
    policy : path or DunningPolicy, optional
        Dunning policy TOML (None: the configuration's ``[dunning]`` policy carried by
        ``inputs``, else the bundled default).
    lang : {"fr", "en"}
    check : bool, default True
        Run :meth:`DunningReport.check`.
    """
    check_lang(lang)
    hist = history if isinstance(history, pd.DataFrame) else read_history(history)
    path = promises_path(promises, inputs)
    prom = report_promises(path, inputs)
    if policy is None:
        policy = getattr(inputs, "dunning_policy", None)
    pol = policy if isinstance(policy, dn.DunningPolicy) else dn.load_policy(policy)
    pol = with_company_letterhead(pol, getattr(inputs, "company", None))
    ledger, asof, cust = _ledger_tables(inputs), inputs.as_of, inputs.get("customers")
    plan = dn.plan_actions(ledger, pol, asof, hist, customers=cust)
    report = DunningReport(
        inputs=inputs, policy=pol, history=hist, promises=prom,
        promises_file=path, plan=plan,
        promise_status=dn.status_words(dn.promises_status(prom, ledger, asof), lang),
        cases=dn.cases_in_words(dn.cases_to_escalate(ledger, pol, asof, hist, promises=prom,
                                                     customers=cust), pol, lang),
        deadlines=dn.status_words(dn.insurer_deadlines(ledger, pol, asof, customers=cust,
                                                       history=hist), lang),
        lang=lang)
    if check:
        report.check()
    return report
