"""The weekly run's declarations of claim: written once per customer newly in proceedings.

A customer under a collective proceeding leaves the dunning plan at the judgment date
(:mod:`creditlab.dunning.insolvency`); its claims must instead be **declared** to the
mandataire judiciaire or liquidateur within two months of the BODACC publication (Code de
commerce L622-24, R622-24). :func:`write_declarations` renders, for every customer of
``plan.claims_to_declare`` whose declaration is not yet in the journal, the
``declaration_de_creance`` document (HTML to print and sign, and text), and returns the rows
that :func:`creditlab.dunning.run_dunning` records as ``declared`` events in the same
transaction as the letters. The declaration's id is ``<customer>-declaration-<judgment
AAAAMMJJ>``: one per proceeding series (a redressement converted into a liquidation keeps the
first judgment: claims declared in the first proceeding need not be declared again, L641-3), so
a second weekly run does not write it again; voiding it (``creditlab dunning void``) makes the
next run write it again.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from creditlab.dunning.insolvency import declaration_de_creance
from creditlab.dunning.letters import _safe_name, write_atomic
from creditlab.exceptions import CreditlabError

__all__ = ["DECLARATION_COLUMNS", "declaration_id", "write_declarations"]

#: Columns of :attr:`RunResult.declarations` (one row per customer with claims to declare).
DECLARATION_COLUMNS = ["action_id", "customer_id", "name", "proceeding", "judgment_date",
                       "deadline", "deadline_estimated", "days_left", "n_invoices", "declared",
                       "status", "document", "reason"]


def declaration_id(customer_id: str, judgment_date) -> str:
    """The stable id of a customer's declaration in the journal."""
    return f"{customer_id}-declaration-{pd.Timestamp(judgment_date):%Y%m%d}"


def _names(customers: pd.DataFrame | None) -> pd.Series:
    if customers is None or "name" not in customers.columns:
        return pd.Series(dtype="str")
    c = customers.drop_duplicates("customer_id")
    return pd.Series(c["name"].astype("str").to_numpy(), index=c["customer_id"].astype("str"))


def write_declarations(plan, out_dir: Path, *, done: set[str], customers=None,
                       sender=None, lang: str = "fr") -> tuple[pd.DataFrame, list[dict]]:
    """Render the declarations not yet recorded; list every claim to declare.

    Parameters
    ----------
    plan : ActionPlan
        Today's plan (its :attr:`~creditlab.dunning.ActionPlan.claims_to_declare` and the
        invoices behind them).
    out_dir : Path
        Folder of the run's documents (``<action_id>_declaration_de_creance.html`` / ``.txt``).
    done : set of str
        Ids of the declarations already recorded in the journal (not voided).
    customers : DataFrame, optional
        For the customers' names (else their ids).
    sender : mapping, optional
        The creditor's letterhead (default: the plan policy's sender).

    Returns
    -------
    (DataFrame, list of dict)
        One row per customer with claims to declare (:data:`DECLARATION_COLUMNS`; ``status``
        ``written``, ``recorded`` — declared by an earlier run — or ``failed`` with its
        ``reason``; ``document`` the HTML file written this run), sorted by deadline; and
        the journal rows (kind ``declared``) of the declarations written.
    """
    summary = plan.claims_to_declare
    if summary is None or len(summary) == 0:
        return pd.DataFrame(columns=DECLARATION_COLUMNS), []
    invoices = plan.declarations[1]
    sender = plan.policy.sender if sender is None else sender
    names = _names(customers)
    rows, events = [], []
    for cid, r in summary.iterrows():  # one per customer in proceedings: a handful
        cid = str(cid)
        aid = declaration_id(cid, r["judgment_date"])
        name = str(names.get(cid, cid))
        row = {"action_id": aid, "customer_id": cid, "name": name,
               "proceeding": r["proceeding"], "judgment_date": r["judgment_date"],
               "deadline": r["deadline"], "deadline_estimated": bool(r["deadline_estimated"]),
               "days_left": int(r["days_left"]), "n_invoices": int(r["n_invoices"]),
               "declared": float(r["declared"]), "status": "recorded", "document": "",
               "reason": ""}
        if aid not in done:
            try:
                out_dir.mkdir(parents=True, exist_ok=True)
                # the customer id is user data: a file-name-safe stem, written atomically as
                # the letters are (a reader never sees half a declaration)
                html = out_dir / f"{_safe_name(aid)}_declaration_de_creance.html"
                for fmt, path in (("html", html), ("text", html.with_suffix(".txt"))):
                    write_atomic(path, declaration_de_creance(
                        summary, invoices, cid, customer_name=name, sender=sender,
                        as_of=plan.as_of, lang=lang, fmt=fmt))
            except (CreditlabError, OSError) as err:
                row.update(status="failed", reason=str(err))
            else:
                row.update(status="written", document=str(html))
                ids = invoices.loc[invoices["customer_id"] == cid, "invoice_id"]
                estimated = " (délai compté depuis le jugement : publication au BODACC " \
                    "inconnue)" if row["deadline_estimated"] else ""
                events.append({
                    "kind": "declared", "action_id": aid, "customer_id": cid,
                    "date": plan.as_of, "template": "declaration_de_creance",
                    "invoice_ids": ";".join(map(str, ids)), "amount": row["declared"],
                    "until": r["deadline"], "document": html.name,
                    "why": f"{r['proceeding']} : jugement du {r['judgment_date']:%d/%m/%Y}, "
                           f"déclaration avant le {r['deadline']:%d/%m/%Y}{estimated}"})
        rows.append(row)
    out = pd.DataFrame(rows, columns=DECLARATION_COLUMNS)
    return out.sort_values(["deadline", "customer_id"], kind="stable").reset_index(drop=True), \
        events
