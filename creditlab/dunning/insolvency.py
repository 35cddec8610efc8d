"""Customers under insolvency proceedings: out of dunning, claims to declare.

Code de commerce: the judgment opening a sauvegarde, a redressement or a liquidation judiciaire
forbids paying claims born before it (L622-7) and stops individual actions to be paid
(L622-21; L631-14 and L641-3 apply them to redressement and liquidation): from the judgment
date the customer leaves the dunning plan. The creditor must **declare** its claim to the
mandataire judiciaire (liquidateur in a liquidation) within **two months of the publication of
the judgment in the BODACC** (L622-24, R622-24; four months for a creditor domiciled outside
metropolitan France, not handled here). Legal and contractual interest stops running at the
judgment (L622-28): the declared amount is the principal still due, the late-payment penalties
accrued **up to the judgment** and the 40 € indemnity of each invoice late at the judgment
(D441-5). Retention of title must be claimed within three months of the publication
(L624-9); guarantees (caution, assurance-crédit) are called separately and the credit insurer's
notification deadline still applies (:func:`creditlab.dunning.insurer_deadlines`).

The ``events`` table (:data:`creditlab.io.tables.EVENTS`): ``customer_id, event_type
(sauvegarde, redressement, liquidation), event_date`` (the judgment), optionally
``publication_date`` (BODACC). When the publication date is unknown the deadline is counted from
the judgment — earlier than the legal one, so never late — and flagged
(``deadline_estimated``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from creditlab._checks import as_date, as_date_column, round_cents
from creditlab.documents import format_amount, format_date_long, format_date_short, render
from creditlab.exceptions import InputError
from creditlab.i18n import check_lang
from creditlab.legal import FIXED_INDEMNITY_EUR, penalties_by_period

__all__ = ["PROCEEDINGS", "proceedings_at", "claims_to_declare", "declaration_de_creance",
           "DECLARATION_MONTHS"]

#: Event types opening a collective proceeding (L620-1, L631-1, L640-1 Code de commerce).
PROCEEDINGS = ("sauvegarde", "redressement", "liquidation")
#: Months to declare a claim from the BODACC publication (R622-24).
DECLARATION_MONTHS = 2
_LABELS = {"sauvegarde": {"fr": "sauvegarde", "en": "safeguard"},
           "redressement": {"fr": "redressement judiciaire", "en": "judicial reorganisation"},
           "liquidation": {"fr": "liquidation judiciaire", "en": "judicial liquidation"}}
_RECEIVER = {"sauvegarde": {"fr": "mandataire judiciaire", "en": "creditors' representative"},
             "redressement": {"fr": "mandataire judiciaire", "en": "creditors' representative"},
             "liquidation": {"fr": "liquidateur", "en": "liquidator"}}


def proceedings_at(events: pd.DataFrame | None, as_of) -> pd.DataFrame:
    """The proceeding each customer is under at ``as_of`` (judgment on or before it).

    Returns
    -------
    DataFrame indexed by ``customer_id`` (text): ``proceeding`` (the latest opened),
    ``judgment_date`` (of the first judgment of the series: the claims are those born before
    it), ``publication_date`` (NaT when unknown), ``deadline`` (publication + 2 months, or
    judgment + 2 months when the publication is unknown), ``deadline_estimated`` (bool),
    ``days_left`` (to the deadline, negative when passed). Empty without events.

    Raises
    ------
    InputError
        Missing columns, an unknown event type, unreadable dates.
    """
    asof = as_date(as_of, "as_of")
    cols = ["proceeding", "judgment_date", "publication_date", "deadline",
            "deadline_estimated", "days_left"]
    if events is None or len(events) == 0:
        return pd.DataFrame(columns=cols).rename_axis("customer_id")
    missing = [c for c in ("customer_id", "event_type", "event_date") if c not in events.columns]
    if missing:
        raise InputError("events columns", "customer_id, event_type, event_date",
                         f"missing {missing}", "pass the events table (creditlab.io.tables)")
    ev = events.copy()
    ev["customer_id"] = ev["customer_id"].astype("str")
    ev["event_type"] = ev["event_type"].astype("str").str.strip().str.lower()
    bad = ~ev["event_type"].isin(PROCEEDINGS)
    if bad.any():
        raise InputError("events.event_type", f"one of {list(PROCEEDINGS)}",
                         sorted(set(ev.loc[bad, "event_type"]))[:5])
    ev["event_date"] = as_date_column(ev["event_date"], "events.event_date")
    pub = (as_date_column(ev["publication_date"], "events.publication_date",
                          allow_missing=True) if "publication_date" in ev.columns
           else pd.Series(pd.NaT, index=ev.index, dtype="datetime64[ns]"))
    ev["publication_date"] = pub
    ev = ev[ev["event_date"] <= asof].sort_values(["customer_id", "event_date"])
    if ev.empty:
        return pd.DataFrame(columns=cols).rename_axis("customer_id")
    g = ev.groupby("customer_id")
    first = g.first()
    out = pd.DataFrame({"proceeding": g["event_type"].last(),
                        "judgment_date": first["event_date"],
                        "publication_date": first["publication_date"]})
    known = out["publication_date"].notna()
    base = out["publication_date"].where(known, out["judgment_date"])
    out["deadline"] = base + pd.DateOffset(months=DECLARATION_MONTHS)
    out["deadline_estimated"] = ~known
    out["days_left"] = (out["deadline"] - asof).dt.days.astype("int64")
    out.index.name = "customer_id"
    return out[cols]


def claims_to_declare(invoices: pd.DataFrame, payments: pd.DataFrame | None,
                      events: pd.DataFrame | None, as_of) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The claims to declare for every customer under a proceeding at ``as_of``.

    A claim is an invoice issued before the judgment with an amount still due at ``as_of``
    (payments made after the judgment are unlikely but are taken into account). Penalties run
    on the balance of each sub-period up to the judgment and stop there (L622-28); the 40 €
    indemnity is due for each invoice late at the judgment (D441-5).

    Returns
    -------
    (summary, invoices)
        ``summary`` indexed by ``customer_id``: proceeding, judgment and publication dates,
        deadline (flagged when estimated), ``n_invoices``, ``principal``, ``penalties``,
        ``indemnities``, ``declared`` (euros, rounded to the cent), ``days_left``.
        ``invoices``: one row per declared invoice (``customer_id, invoice_id, issue_date,
        due_date, principal, penalty, indemnity``).
    """
    proc = proceedings_at(events, as_of)
    inv_cols = ["customer_id", "invoice_id", "issue_date", "due_date", "principal", "penalty",
                "indemnity"]
    if proc.empty:
        empty = pd.DataFrame(columns=[*proc.columns, "n_invoices", "principal", "penalties",
                                      "indemnities", "declared"]).rename_axis("customer_id")
        return empty, pd.DataFrame(columns=inv_cols)
    inv = invoices.copy()
    inv["customer_id"] = inv["customer_id"].astype("str")
    if "doc_type" in inv.columns:
        inv = inv[inv["doc_type"] == "invoice"]
    inv = inv[inv["customer_id"].isin(proc.index)]
    judgment = proc["judgment_date"].reindex(inv["customer_id"]).to_numpy()
    inv = inv[inv["issue_date"].to_numpy() < judgment].reset_index(drop=True)
    judgment = proc["judgment_date"].reindex(inv["customer_id"]).reset_index(drop=True)
    res = penalties_by_period(inv, payments, as_of, stop_dates=judgment)
    owed = res["balance_at_end"].to_numpy() > 0.005
    late_at_judgment = (inv["due_date"] < judgment).to_numpy()
    rows = pd.DataFrame({
        "customer_id": inv["customer_id"], "invoice_id": inv["invoice_id"].astype("str"),
        "issue_date": inv["issue_date"], "due_date": inv["due_date"],
        "principal": res["balance_at_end"].to_numpy(),
        "penalty": res["penalty_rounded"].to_numpy(),
        "indemnity": np.where(late_at_judgment, FIXED_INDEMNITY_EUR, 0.0)})[owed]
    g = rows.groupby("customer_id")
    s = proc.loc[proc.index.isin(rows["customer_id"])].copy()
    s["n_invoices"] = g.size().reindex(s.index).astype("int64")
    s["principal"] = round_cents(g["principal"].sum().reindex(s.index))
    s["penalties"] = round_cents(g["penalty"].sum().reindex(s.index))
    s["indemnities"] = g["indemnity"].sum().reindex(s.index)
    s["declared"] = round_cents(s["principal"] + s["penalties"] + s["indemnities"])
    return s.sort_values("deadline"), rows.reset_index(drop=True)[inv_cols]


def declaration_de_creance(summary: pd.DataFrame, invoices: pd.DataFrame, customer_id: str, *,
                           customer_name: str = "", sender=None, as_of=None,
                           lang: str = "fr", fmt: str = "text") -> str:
    """The declaration of claim (déclaration de créance, L622-24/L622-25, R622-23) of one
    customer, to send to the mandataire judiciaire or liquidateur.

    It states the proceeding and judgment, the amount declared broken down into principal,
    penalties accrued to the judgment and indemnities, the invoices, the deadline (flagged
    when counted from the judgment), and reminds retention of title (L624-9: three months)
    and guarantees.
    """
    check_lang(lang)
    cid = str(customer_id)
    if cid not in summary.index:
        raise InputError("customer_id", "a customer under a proceeding with claims to declare",
                         cid, "see claims_to_declare(...)[0].index")
    r = summary.loc[cid]
    rows = invoices[invoices["customer_id"] == cid]
    sender = {k: ("" if v is None else str(v)) for k, v in dict(sender or {}).items()}
    for k in ("name", "address", "signatory"):
        sender.setdefault(k, "")
    asof = pd.Timestamp.today().normalize() if as_of is None else as_date(as_of, "as_of")

    def fa(v):
        return format_amount(float(v), lang)

    ctx = {
        "customer_id": cid, "name": customer_name or cid, "sender": sender,
        "proceeding": _LABELS[r["proceeding"]][lang],
        "receiver": _RECEIVER[r["proceeding"]][lang],
        "judgment_date": format_date_long(r["judgment_date"], lang),
        "publication_date": ("" if pd.isna(r["publication_date"])
                             else format_date_long(r["publication_date"], lang)),
        "deadline": format_date_long(r["deadline"], lang),
        "deadline_estimated": bool(r["deadline_estimated"]),
        "principal": fa(r["principal"]), "penalties": fa(r["penalties"]),
        "indemnities": fa(r["indemnities"]), "declared": fa(r["declared"]),
        "n_invoices": int(r["n_invoices"]), "date_long": format_date_long(asof, lang),
        "invoices": [{"invoice_id": str(x.invoice_id),
                      "issue_date": format_date_short(x.issue_date, lang),
                      "due_date": format_date_short(x.due_date, lang),
                      "principal": fa(x.principal), "penalty": fa(x.penalty),
                      "indemnity": fa(x.indemnity)} for x in rows.itertuples(index=False)],
    }
    return render(f"dunning/declaration_de_creance_{lang}.j2", fmt, **ctx)
