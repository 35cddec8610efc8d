"""Dunning letters and the phone-call script (Jinja2 templates, French and English).

:func:`render_letter` renders one letter (HTML ready to print and plain text for email) for a
customer and its items; :func:`render_batch` writes one letter per action of an
:class:`~creditlab.dunning.plan.ActionPlan` into a folder, records the failed rows and carries on.

The figures are computed before rendering (:func:`creditlab.dunning.claims.letter_figures`:
penalties and indemnities, totals, ageing of a statement); :func:`render_figures` only formats
them into the templates of the single document renderer (:mod:`creditlab.documents`).

Kinds (``LETTER_KINDS``): ``courtesy`` (relance préventive), ``reminder_1``, ``reminder_2``,
``formal_notice`` (mise en demeure, C. civ. 1344, 1231-6), ``statement`` (relevé de compte with
the ageing buckets of :func:`creditlab.receivables.aged_balance`) and ``phone_script`` (four
steps: prepare; identify and state the facts; obtain a commitment; confirm in writing).
``injunction_file`` actions are rendered by :func:`creditlab.dunning.injunction_file`.

Every letter carries the mandatory legal mentions of Code de commerce L441-10 II and D441-5
(DOMAIN.md §7.2): penalties due from the day after the due date without any reminder, at the ECB
main refinancing rate + 10 points (the rate of the half-year when known), and the 40 € fixed
recovery indemnity per late invoice. Amounts are rounded to the cent half-up and formatted the
French way (``1 234,56 €``, with narrow no-break spaces) or the English way (``€1,234.56``).
HTML templates escape all data (a customer called ``<script>`` stays text).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from creditlab._checks import round_cents
from creditlab.documents import (
    format_amount,
    format_date_long,
    format_date_short,
    format_percent,
    postal_address,
    render,
)
from creditlab.dunning.claims import LetterFigures, letter_figures
from creditlab.dunning.codes import ActionStatus, Channel, LetterKind, Template
from creditlab.dunning.escalation import injunction_file
from creditlab.dunning.policy import load_policy
from creditlab.exceptions import CreditlabError, InputError
from creditlab.i18n import check_lang
from creditlab.labels import catalogue, text
from creditlab.receivables import OpenItems, resolve_items
from creditlab.receivables.aging import bucket_labels

__all__ = ["render_letter", "render_figures", "render_batch", "Letter", "BatchResult",
           "LETTER_KINDS", "LETTER_LABELS", "round_cents", "format_amount", "format_date_long"]

#: Letter kinds (:class:`~creditlab.dunning.codes.LetterKind` codes).
LETTER_KINDS = tuple(LetterKind)

#: Words of the letters (French / English), read-only, from the label catalogue (keys
#: ``letter.<name>`` of ``creditlab/data/labels/dunning.csv``); kept for compatibility.
LETTER_LABELS = MappingProxyType({
    k.removeprefix("letter."): MappingProxyType({"fr": text(k, "fr"), "en": text(k, "en")})
    for k in catalogue()["key"] if k.startswith("letter.")})


def _l(key: str, lang: str) -> str:
    return text(f"letter.{key}", lang)


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class Letter:
    """A rendered letter: ``html`` (to print) and ``text`` (for email)."""

    kind: str
    customer_id: str
    lang: str
    subject: str
    html: str
    text: str
    total_claimed: float

    def _repr_html_(self) -> str:
        return self.html


@dataclass(frozen=True)
class BatchResult:
    """Result of :func:`render_batch`: ``written`` (one row per letter: action_id,
    customer_id, kind, html, txt paths) and ``failed`` (customer_id, action_id, reason)."""

    written: pd.DataFrame
    failed: pd.DataFrame
    out_dir: Path

    def summary(self) -> pd.DataFrame:
        return pd.DataFrame({"written": [len(self.written)], "failed": [len(self.failed)]})


# --------------------------------------------------------------------------- inputs
def _customer(customer) -> dict:
    if isinstance(customer, pd.Series):
        customer = customer.to_dict()
    if isinstance(customer, str):
        customer = {"customer_id": customer}
    if not isinstance(customer, Mapping):
        raise InputError("customer", "a mapping or Series with customer_id and name",
                         type(customer).__name__)
    cid = customer.get("customer_id")
    name = customer.get("name")
    if (cid is None or pd.isna(cid)) and (name is None or pd.isna(name)):
        raise InputError("customer", "a customer_id or a name", dict(customer),
                         "pass e.g. {'customer_id': 'C00042', 'name': 'Dupont SAS'}")
    cid = "" if cid is None or pd.isna(cid) else str(cid)
    name = cid if name is None or pd.isna(name) or not str(name).strip() else str(name)
    # the address block of the envelope window: street lines, postcode and city, country
    return {"customer_id": cid, "name": name, "address": postal_address(customer)}


# --------------------------------------------------------------------------- rendering
def render_letter(kind: str, customer, items, *, as_of=None, lang: str = "fr",
                  sender: Mapping[str, str] | None = None, claim_interest: bool | None = None,
                  claim_fees: bool | None = None, penalty_rate: float | None = None,
                  channel: str | None = None, reply_days: int | None = None) -> Letter:
    """Render one dunning letter or the phone-call script.

    Parameters
    ----------
    kind : str
        One of ``LETTER_KINDS``.
    customer : mapping or Series
        ``customer_id``, ``name`` (and optionally ``address``); all escaped in HTML.
    items : DataFrame or OpenItems
        The items to list: ``invoice_id, due_date, open_amount`` and optionally
        ``issue_date, amount_ttc, doc_type, disputed, penalty, indemnity`` (the
        :attr:`ActionPlan.items` rows of an action, or open items). ``penalty`` /
        ``indemnity`` are computed when absent (penalties via :mod:`creditlab.legal`). With
        :class:`~creditlab.receivables.OpenItems`, the rows of ``customer`` are listed (when
        the items have a ``customer_id`` column) and the date is theirs.
    as_of : date-like
        Date of the letter (penalties are accrued to it). Required with a DataFrame; with
        OpenItems it may be left out and must otherwise be their date.
    lang : {"fr", "en"}
    sender : mapping, optional
        Letterhead (``name, department, address, email, phone, city, signatory``); default:
        the ``[sender]`` of the default dunning policy.
    claim_interest, claim_fees : bool, optional
        Claim penalties / the 40 € indemnity; default by kind (``reminder_2`` and
        ``formal_notice`` claim both).
    penalty_rate : float, optional
        Annual default penalty rate (fraction) printed in the legal mention; default
        :func:`creditlab.legal.default_penalty_rate` of ``as_of`` when available.
    channel : str, optional
        ``registered_letter`` prints the "lettre recommandée AR" mention.
    reply_days : int, optional
        Days given to pay (reminder 2 and formal notice: 8 by default).

    Returns
    -------
    Letter
        ``html`` (complete document, styles for A4 printing) and ``text``.

    Raises
    ------
    InputError
        Unknown kind or language, missing due dates, non-finite or negative invoice amounts,
        no items.
    """
    check_lang(lang)
    if kind not in LETTER_KINDS:
        raise InputError("kind", f"one of {[str(k) for k in LETTER_KINDS]}", kind,
                         "injunction files are rendered by creditlab.dunning.injunction_file")
    cust = _customer(customer)
    table, asof = resolve_items(items, as_of)
    if isinstance(items, OpenItems) and cust["customer_id"] and "customer_id" in table.columns:
        table = table[table["customer_id"].astype("str") == cust["customer_id"]]
    figures = letter_figures(kind, table, asof, claim_interest=claim_interest,
                             claim_fees=claim_fees, penalty_rate=penalty_rate,
                             reply_days=reply_days)
    return render_figures(figures, cust, lang=lang, sender=sender, channel=channel)


def render_figures(figures: LetterFigures, customer, *, lang: str = "fr",
                   sender: Mapping[str, str] | None = None,
                   channel: str | None = None) -> Letter:
    """Render a letter from its figures (:func:`creditlab.dunning.claims.letter_figures`).

    Nothing is computed here: amounts, dates and the ageing are formatted (French or English)
    and placed in the templates; ``customer`` and ``sender`` are as in :func:`render_letter`.
    """
    check_lang(lang)
    if not isinstance(figures, LetterFigures):
        raise InputError("figures", "LetterFigures", type(figures).__name__,
                         "compute them with creditlab.dunning.claims.letter_figures")
    cust = _customer(customer)
    if sender is None:
        sender = load_policy().sender
    sender = {k: ("" if v is None else str(v)) for k, v in dict(sender).items()}
    for k in ("name", "department", "address", "email", "phone", "city", "signatory"):
        sender.setdefault(k, "")
    f = figures
    ci, cf, ok = f.claim_interest, f.claim_fees, f.penalties_ok

    def fa(v: float) -> str:
        return format_amount(v, lang)

    rows = [{"invoice_id": str(r.invoice_id), "issue_date": format_date_short(r.issue_date, lang),
             "due_date": format_date_short(r.due_date, lang),
             "days_past_due": int(r.days_past_due) if r.days_past_due > 0 else "",
             "amount_ttc": fa(r.amount_ttc), "open_amount": fa(r.open_amount),
             "penalty": fa(r.penalty) if (ci and ok and r.days_past_due > 0) else ""}
            for r in f.items.itertuples(index=False)]
    totals = [{"label": _l("total_due", lang), "amount": fa(f.principal)}]
    if ci:
        totals.append({"label": _l("total_penalties", lang),
                       "amount": fa(f.penalties) if ok else "—"})
    if cf:
        totals.append({"label": _l("total_indemnities", lang), "amount": fa(f.indemnities)})
    if ci or cf:
        totals.append({"label": _l("total_claimed", lang), "amount": fa(f.total_claimed)})
    rate = "" if f.penalty_rate is None else _l("rate_of", lang).format(
        rate=format_percent(f.penalty_rate, lang, decimals=2))
    legal_text = _l("legal_rate", lang).format(rate=rate)
    if ci and not ok:
        legal_text += " " + _l("penalty_unavailable", lang)
    lower = ci and ok and f.penalties_lower_bound  # partly paid, payment dates not known
    if lower:
        legal_text += " " + _l("penalty_lower_bound", lang)
    ageing = []
    if f.ageing is not None:
        labels = [*bucket_labels(lang=lang), _l("ageing_total", lang)]
        ageing = [{"label": lb, "amount": fa(v)} for lb, v in zip(labels, f.ageing, strict=True)]
    ctx = {
        "lang": lang, "L": {k: v[lang] for k, v in LETTER_LABELS.items()},
        "customer": cust, "sender": sender, "rows": rows, "totals": totals,
        "n_items": len(f.items), "total_due": fa(f.principal),
        "overdue_total": fa(f.overdue_total),
        "penalties_total": (fa(f.penalties) + (" au minimum" if lang == "fr" else " at least")
                            * lower) if (ci and ok) else "",
        "indemnities_total": fa(f.indemnities), "total_claimed": fa(f.total_claimed),
        "claim_interest": ci, "claim_fees": cf,
        "max_dpd": f.max_days_past_due, "oldest_due": format_date_short(f.oldest_due, lang),
        "date_long": format_date_long(f.as_of, lang),
        "date_short": format_date_short(f.as_of, lang),
        "reply_date": format_date_long(f.reply_date, lang),
        "show_penalty_col": bool(ci and ok), "is_script": f.kind == LetterKind.PHONE_SCRIPT,
        "legal_mention": legal_text,
        "channel_note": _l("registered", lang) if channel == Channel.REGISTERED_LETTER else "",
        "dated": _l("dated", lang).format(date=format_date_long(f.as_of, lang)),
        "ageing": ageing,
    }
    name = f"dunning/{f.kind}_{lang}.j2"
    html = render(name, "html", layout="layout.html.j2", **ctx)
    text = render(name, "text", layout="layout.txt.j2", **ctx)
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    m = re.search(r"^(?:Objet|Subject)\s?: (.*)$", text, flags=re.M)
    subject = m.group(1).strip() if m else text.splitlines()[0]
    return Letter(kind=str(f.kind), customer_id=cust["customer_id"], lang=lang, subject=subject,
                  html=html, text=text, total_claimed=f.total_claimed)


# --------------------------------------------------------------------------- batch
def _safe_name(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.+-]", "_", str(s))


def write_atomic(path: Path, content: str) -> None:
    """Write ``content`` to ``path`` atomically: a temporary file in the same folder, then
    ``os.replace`` (a reader never sees a half-written letter)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(content)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def render_batch(plan, *, out_dir, customers: pd.DataFrame | None = None,
                 lang: str | None = None, sender: Mapping[str, str] | None = None,
                 history: pd.DataFrame | None = None, statuses=(ActionStatus.PROPOSED.value, ActionStatus.APPROVED.value),
                 ledger_items: pd.DataFrame | None = None) -> BatchResult:
    """Write one letter per action of a plan (HTML and text), recording failures.

    Parameters
    ----------
    plan : ActionPlan
        Output of :func:`creditlab.dunning.plan_actions` (reviewed or not).
    out_dir : path
        Folder (created if needed). Files ``<action_id>_<kind>.html`` and ``.txt``, each written
        atomically (temporary file, then rename).
    customers : DataFrame, optional
        ``customer_id, name`` (and ``address``) for the recipient block; default: the names in
        the plan.
    lang : {"fr", "en"}, optional
        Language of the letters (default: French).
    sender : mapping, optional
        Default: the plan policy's sender.
    history : DataFrame, optional
        Passed to :func:`creditlab.dunning.injunction_file` for ``injunction_file`` actions
        (the reminders already sent).
    statuses : tuple of str
        Actions rendered (skipped and postponed ones are not).
    ledger_items : DataFrame, optional
        All open items at ``as_of``: statements list every open item of the customer (not only
        the overdue ones of the action) when given.

    Returns
    -------
    BatchResult
        ``written`` and ``failed`` (customer_id, action_id, reason): a failing action (bad data,
        unwritable file) is recorded and the others are still written.
    """
    lang = check_lang("fr" if lang is None else lang)
    sender = plan.policy.sender if sender is None else sender
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    acts = plan.actions[plan.actions["status"].isin(statuses)]
    names = {}
    if customers is not None and "customer_id" in customers.columns:
        names = customers.drop_duplicates("customer_id").set_index(
            customers["customer_id"].drop_duplicates().astype("str"))
    by_action = dict(tuple(plan.items.groupby("action_id", sort=False)))
    written, failed = [], []
    for act in acts.itertuples(index=False):
        try:
            if isinstance(names, pd.DataFrame) and act.customer_id in names.index:
                cust = names.loc[act.customer_id].to_dict()
                cust["customer_id"] = act.customer_id
            else:
                cust = {"customer_id": act.customer_id, "name": act.name}
            items = by_action.get(act.action_id)
            if items is None or items.empty:
                raise InputError("plan.items", f"the items of action {act.action_id}", "none",
                                 "recompute the plan with plan_actions")
            if act.template == Template.INJUNCTION_FILE:
                f = injunction_file(items, plan.as_of, history=history,
                                    customers=pd.DataFrame([cust]), lang=lang)
                html, text = f.html(act.customer_id), f.text(act.customer_id)
            else:
                if act.template == "statement" and ledger_items is not None:
                    items = ledger_items[ledger_items["customer_id"] == act.customer_id]
                letter = render_letter(
                    act.template, cust, items, as_of=plan.as_of, lang=lang, sender=sender,
                    claim_interest=bool(act.claim_interest), claim_fees=bool(act.claim_fees),
                    channel=Channel.REGISTERED_LETTER
                    if Channel.REGISTERED_LETTER in str(act.channel) else None)
                html, text = letter.html, letter.text
            stem = f"{_safe_name(act.action_id)}_{act.template}"
            write_atomic(out / f"{stem}.html", html)
            write_atomic(out / f"{stem}.txt", text)
            written.append({"action_id": act.action_id, "customer_id": act.customer_id,
                            "kind": act.template, "html": str(out / f"{stem}.html"),
                            "txt": str(out / f"{stem}.txt")})
        except (CreditlabError, OSError, ValueError, KeyError, TypeError) as err:
            failed.append({"customer_id": act.customer_id, "action_id": act.action_id,
                           "reason": f"{type(err).__name__}: {err}"})
    return BatchResult(
        written=pd.DataFrame(written, columns=["action_id", "customer_id", "kind", "html",
                                               "txt"]),
        failed=pd.DataFrame(failed, columns=["customer_id", "action_id", "reason"]),
        out_dir=out)
