"""Dunning letters and the phone-call script (Jinja2 templates, French and English).

:func:`render_letter` renders one letter (HTML ready to print and plain text for email) for a
customer and its items; :func:`render_batch` writes one letter per action of an
:class:`~creditlab.dunning.plan.ActionPlan` into a folder, records the failed rows and carries on.

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
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pandas as pd
from markupsafe import Markup, escape

from creditlab.exceptions import CreditlabError, InputError
from creditlab.i18n import check_lang, format_eur, format_pct
from creditlab.receivables import OPEN_ITEM_COLUMNS, OpenItems, resolve_items

__all__ = ["render_letter", "render_batch", "Letter", "BatchResult", "LETTER_KINDS",
           "LETTER_LABELS", "round_cents", "format_amount", "format_date_long"]

LETTER_KINDS = ("courtesy", "reminder_1", "reminder_2", "formal_notice", "statement",
                "phone_script")
_TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"

#: Per kind: default claims, which items are listed, days to pay, legal mention.
_KIND_SPEC = {
    "courtesy": {"interest": False, "fees": False, "reply_days": 0},
    "reminder_1": {"interest": False, "fees": False, "reply_days": 0},
    "reminder_2": {"interest": True, "fees": True, "reply_days": 8},
    "formal_notice": {"interest": True, "fees": True, "reply_days": 8},
    "statement": {"interest": False, "fees": False, "reply_days": 0},
    "phone_script": {"interest": False, "fees": False, "reply_days": 0},
}

_MONTHS = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}

#: Labels of the letters (French / English).
LETTER_LABELS: dict[str, dict[str, str]] = {
    "colon": {"fr": "\u00a0:", "en": ":"},
    "phone": {"fr": "Tél.", "en": "Tel."},
    "customer_ref": {"fr": "Réf. client", "en": "Customer ref."},
    "to": {"fr": "À", "en": "To"},
    "on": {"fr": "le", "en": ""},
    "subject": {"fr": "Objet", "en": "Subject"},
    "invoice": {"fr": "Pièce", "en": "Document"},
    "issue_date": {"fr": "Date", "en": "Date"},
    "due_date": {"fr": "Échéance", "en": "Due date"},
    "due_date_short": {"fr": "Échéance", "en": "Due"},
    "days_late": {"fr": "Jours de retard", "en": "Days late"},
    "days_short": {"fr": "Retard", "en": "Late"},
    "amount_ttc": {"fr": "Montant TTC", "en": "Amount"},
    "open_amount": {"fr": "Reste dû", "en": "Open"},
    "penalty": {"fr": "Pénalités", "en": "Penalties"},
    "ageing": {"fr": "Ancienneté du solde", "en": "Ageing of the balance"},
    "total_due": {"fr": "Total du principal", "en": "Total principal"},
    "total_penalties": {"fr": "Pénalités de retard", "en": "Late-payment penalties"},
    "total_indemnities": {"fr": "Indemnités forfaitaires (40 € par facture)",
                          "en": "Fixed indemnities (€40 per invoice)"},
    "total_claimed": {"fr": "Total réclamé", "en": "Total claimed"},
    "registered": {"fr": "Lettre recommandée avec accusé de réception",
                   "en": "Registered letter with acknowledgement of receipt"},
    "legal_rate": {
        "fr": "Conditions de règlement (article L441-10 du Code de commerce) : tout retard de "
              "paiement rend exigibles, dès le lendemain de la date d'échéance et sans qu'un "
              "rappel soit nécessaire, des pénalités de retard au taux de refinancement de la "
              "Banque centrale européenne majoré de 10 points{rate}, ainsi qu'une indemnité "
              "forfaitaire pour frais de recouvrement de 40 € par facture (article D441-5 du "
              "Code de commerce), sans préjudice d'une indemnisation complémentaire sur "
              "justificatifs.",
        "en": "Payment terms (article L441-10 of the French Commercial Code): any late payment "
              "makes due, from the day after the due date and without any reminder, "
              "late-payment penalties at the European Central Bank refinancing rate plus 10 "
              "points{rate}, and a fixed recovery indemnity of €40 per invoice (article D441-5 "
              "of the French Commercial Code), without prejudice to further justified "
              "compensation."},
    "rate_of": {"fr": " (soit {rate} pour le semestre en cours)",
                "en": " ({rate} for the current half-year)"},
    "penalty_unavailable": {
        "fr": "Montant des pénalités non calculé (module creditlab.legal indisponible).",
        "en": "Penalty amount not computed (creditlab.legal module unavailable)."},
}


def _l(key: str, lang: str) -> str:
    return LETTER_LABELS[key][lang]


# --------------------------------------------------------------------------- formatting
def round_cents(value: float) -> float:
    """Round an amount in euros to the cent, half-up (away from zero on ties).

    Uses the decimal representation of the float (``repr``), so ``1.005 → 1.01`` and
    ``2.675 → 2.68`` (binary floats would give 1.0 and 2.67 with ``round``). NaN stays NaN.
    """
    if value is None or value != value:
        return float("nan")
    return float(Decimal(repr(float(value))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def format_amount(value: float, lang: str = "fr") -> str:
    """Amount rounded to the cent half-up: ``1 234,56 €`` (fr) or ``€1,234.56`` (en)."""
    return format_eur(round_cents(value), lang)


def format_date_long(ts, lang: str = "fr") -> str:
    """``31 décembre 2025`` (fr, ``1er`` for the first day) or ``31 December 2025`` (en)."""
    ts = pd.Timestamp(ts)
    day = "1er" if (lang == "fr" and ts.day == 1) else str(ts.day)
    return f"{day} {_MONTHS[lang][ts.month - 1]} {ts.year}"


def _date_short(ts, lang: str) -> str:
    if ts is None or pd.isna(ts):
        return ""
    return pd.Timestamp(ts).strftime("%d/%m/%Y" if lang == "fr" else "%Y-%m-%d")


def _paras_html(value) -> Markup:
    """Blank-line separated paragraphs → ``<p>``; ``## `` lines → ``<h3>``; ``- `` → list."""
    text = str(value) if isinstance(value, Markup) else str(escape(value))
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [ln.strip() for ln in block.strip().splitlines() if ln.strip()]
        if not lines:
            continue
        bullets = []
        para = []
        for ln in lines:
            if ln.startswith("## "):
                out.append(f"<h3>{ln[3:]}</h3>")
            elif ln.startswith("- "):
                bullets.append(f"<li>{ln[2:]}</li>")
            else:
                para.append(ln)
        if para:
            out.append("<p>" + " ".join(para) + "</p>")
        if bullets:
            out.append("<ul>" + "".join(bullets) + "</ul>")
    return Markup("\n".join(out))


def _paras_text(value) -> str:
    out = []
    for block in re.split(r"\n\s*\n", str(value).strip()):
        lines = [ln.strip() for ln in block.strip().splitlines() if ln.strip()]
        if not lines:
            continue
        chunk = []
        para = []
        for ln in lines:
            if ln.startswith("## "):
                chunk.append(ln[3:])
                chunk.append("-" * len(ln[3:]))
            elif ln.startswith("- "):
                chunk.append("  * " + ln[2:])
            else:
                para.append(ln)
        if para:
            chunk.append(" ".join(para))
        out.append("\n".join(chunk))
    return "\n\n".join(out)


_ENVS: dict[str, object] = {}


def _env(fmt: str):
    """The Jinja2 environment for ``html`` (autoescape on) or ``txt`` (autoescape off)."""
    if fmt not in _ENVS:
        import jinja2

        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(_TEMPLATE_DIR)),
            autoescape=(fmt == "html"), undefined=jinja2.StrictUndefined,
            trim_blocks=False, lstrip_blocks=False, keep_trailing_newline=True)
        env.filters["paras"] = _paras_html if fmt == "html" else _paras_text
        _ENVS[fmt] = env
    return _ENVS[fmt]


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
    addr = customer.get("address")
    addr = "" if addr is None or (not isinstance(addr, str) and pd.isna(addr)) else str(addr)
    return {"customer_id": cid, "name": name, "address": addr}


def _items(items: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(items, pd.DataFrame):
        raise InputError("items", "a DataFrame of open items", type(items).__name__,
                         "pass the customer's open items (creditlab.receivables.open_items)")
    required = ("invoice_id", "due_date", "open_amount")
    missing = [c for c in required if c not in items.columns]
    if missing:
        raise InputError("items columns", f"at least {list(required)}", f"missing {missing}",
                         "pass open items (creditlab.receivables.open_items)")
    if len(items) == 0:
        raise InputError("items", "at least one item", "an empty table",
                         "no letter is needed for a customer without open items")
    it = items.copy()
    it["due_date"] = pd.to_datetime(it["due_date"], errors="coerce")
    nat = it["due_date"].isna()
    if nat.any():
        raise InputError("items.due_date", "a due date on every row",
                         f"missing for {it.loc[nat, 'invoice_id'].astype(str).head(5).tolist()}",
                         "fill due_date before printing a letter")
    amt = pd.to_numeric(it["open_amount"], errors="coerce")
    bad = ~np.isfinite(amt.to_numpy(dtype="float64", na_value=np.nan))
    if bad.any():
        raise InputError("items.open_amount", "a finite amount on every row",
                         f"missing for {it.loc[bad, 'invoice_id'].astype(str).head(5).tolist()}",
                         "fill open_amount")
    it["open_amount"] = amt.astype("float64")
    if "doc_type" not in it.columns:
        it["doc_type"] = np.where(it["open_amount"] >= 0, "invoice", "credit_note")
    neg = ((it["doc_type"] == "invoice").to_numpy(dtype=bool, na_value=False)
           & (it["open_amount"] < 0).to_numpy())
    if neg.any():
        raise InputError("items.open_amount", "a positive amount for invoices",
                         f"negative for {it.loc[neg, 'invoice_id'].astype(str).head(5).tolist()}",
                         "credit notes must have doc_type='credit_note'")
    if "issue_date" not in it.columns:
        it["issue_date"] = it["due_date"]
    if "amount_ttc" not in it.columns:
        it["amount_ttc"] = it["open_amount"]
    it["issue_date"] = pd.to_datetime(it["issue_date"], errors="coerce").fillna(it["due_date"])
    return it.sort_values(["due_date", "invoice_id"]).reset_index(drop=True)


def _rate_text(as_of: pd.Timestamp, lang: str, penalty_rate: float | None) -> str:
    """The half-year default penalty rate, when creditlab.legal (or the caller) gives it."""
    rate = penalty_rate
    if rate is None:
        from creditlab.dunning.plan import _legal

        legal = _legal()
        try:
            rate = float(legal.default_penalty_rate(as_of)) if legal is not None else None
        except (CreditlabError, LookupError, ValueError):
            rate = None
    if rate is None or rate != rate:
        return ""
    # rates are fractions in creditlab (0.1215 = 12.15 %)
    return _l("rate_of", lang).format(rate=format_pct(rate, lang, decimals=2))


def _penalties(it: pd.DataFrame, as_of: pd.Timestamp, claim_interest: bool,
               claim_fees: bool) -> tuple[pd.DataFrame, bool, float]:
    """Penalty and indemnity per late invoice (columns ``penalty``, ``indemnity``).

    Returns the items, whether penalties could be computed and the fixed indemnity used."""
    late = ((it["due_date"] < as_of) & (it["doc_type"] == "invoice")
            & (it["open_amount"] > 0)).to_numpy()
    from creditlab.dunning.plan import _legal

    legal = _legal()
    has_legal = legal is not None
    fixed = float(legal.FIXED_INDEMNITY_EUR) if has_legal else 40.0
    ok = True
    if "indemnity" not in it.columns:
        it["indemnity"] = np.where(late & claim_fees, fixed, 0.0)
    if "penalty" not in it.columns or it.loc[late, "penalty"].isna().any():
        pen = np.zeros(len(it))
        if claim_interest and late.any():
            if has_legal:
                sub = it[late]
                res = legal.late_penalties(sub["open_amount"], sub["due_date"],
                                           pd.Series(as_of, index=sub.index))
                pen[late] = np.asarray(res["penalty_rounded"], dtype="float64")
            else:
                pen[late] = np.nan
                ok = False
        it["penalty"] = pen
    it["penalty"] = it["penalty"].where(late, 0.0) if claim_interest else 0.0
    it["indemnity"] = it["indemnity"].where(late, 0.0) if claim_fees else 0.0
    return it, ok, fixed


def _ageing(it: pd.DataFrame, as_of: pd.Timestamp, lang: str) -> list[dict]:
    from creditlab.receivables import aged_balance

    full = it.copy()
    for c, default in (("paid_amount", 0.0), ("disputed", False)):
        if c not in full.columns:
            full[c] = default
    full["customer_id"] = full.get("customer_id", "customer").astype("str") \
        if "customer_id" in full.columns else "customer"
    full = full[list(OPEN_ITEM_COLUMNS)]
    full["issue_date"] = full[["issue_date", "due_date"]].min(axis=1).clip(upper=as_of)
    aged = aged_balance(full, as_of, disputed="include", lang=lang)
    tot = aged.totals
    cols = [*aged.bucket_columns, aged.total_column]
    return [{"label": str(c), "amount": format_amount(float(tot[c]), lang)} for c in cols]


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
    if kind not in _KIND_SPEC:
        raise InputError("kind", f"one of {LETTER_KINDS}", kind,
                         "injunction files are rendered by creditlab.dunning.injunction_file")
    cust = _customer(customer)
    table, asof = resolve_items(items, as_of)
    if isinstance(items, OpenItems) and cust["customer_id"] and "customer_id" in table.columns:
        table = table[table["customer_id"].astype("str") == cust["customer_id"]]
    it = _items(table)
    spec = _KIND_SPEC[kind]
    ci = spec["interest"] if claim_interest is None else bool(claim_interest)
    cf = spec["fees"] if claim_fees is None else bool(claim_fees)
    if sender is None:
        from creditlab.dunning.policy import load_policy

        sender = load_policy().sender
    sender = {k: ("" if v is None else str(v)) for k, v in dict(sender).items()}
    for k in ("name", "department", "address", "email", "phone", "city", "signatory"):
        sender.setdefault(k, "")

    it, pen_ok, _fixed = _penalties(it, asof, ci, cf)
    dpd = (asof - it["due_date"]).dt.days
    overdue = dpd > 0
    principal = round_cents(float(it["open_amount"].sum()))
    penalties = round_cents(float(it["penalty"].sum())) if pen_ok else float("nan")
    indemnities = round_cents(float(it["indemnity"].sum()))
    total = round_cents(principal + (0.0 if not ci or not pen_ok else penalties)
                        + (indemnities if cf else 0.0))

    def fa(v: float) -> str:
        return format_amount(v, lang)

    rows = [{"invoice_id": str(r.invoice_id), "issue_date": _date_short(r.issue_date, lang),
             "due_date": _date_short(r.due_date, lang), "days_past_due": int(d) if d > 0 else "",
             "amount_ttc": fa(r.amount_ttc), "open_amount": fa(r.open_amount),
             "penalty": fa(r.penalty) if (ci and pen_ok and d > 0) else ""}
            for r, d in zip(it.itertuples(index=False), dpd, strict=True)]
    totals = [{"label": _l("total_due", lang), "amount": fa(principal)}]
    if ci:
        totals.append({"label": _l("total_penalties", lang),
                       "amount": fa(penalties) if pen_ok else "—"})
    if cf:
        totals.append({"label": _l("total_indemnities", lang), "amount": fa(indemnities)})
    if ci or cf:
        totals.append({"label": _l("total_claimed", lang), "amount": fa(total)})
    legal_text = _l("legal_rate", lang).format(rate=_rate_text(asof, lang, penalty_rate))
    if ci and not pen_ok:
        legal_text += " " + _l("penalty_unavailable", lang)
    rd = spec["reply_days"] if reply_days is None else int(reply_days)
    oldest = it.loc[overdue, "due_date"].min() if overdue.any() else it["due_date"].min()
    ctx = {
        "lang": lang, "L": {k: v[lang] for k, v in LETTER_LABELS.items()},
        "customer": cust, "sender": sender, "rows": rows, "totals": totals,
        "n_items": len(it), "total_due": fa(principal),
        "overdue_total": fa(float(it.loc[overdue, "open_amount"].sum())),
        "penalties_total": fa(penalties) if (ci and pen_ok) else "",
        "indemnities_total": fa(indemnities), "total_claimed": fa(total),
        "claim_interest": ci, "claim_fees": cf,
        "max_dpd": int(max(dpd.max(), 0)), "oldest_due": _date_short(oldest, lang),
        "date_long": format_date_long(asof, lang), "date_short": _date_short(asof, lang),
        "reply_date": format_date_long(asof + pd.Timedelta(days=rd), lang),
        "show_penalty_col": bool(ci and pen_ok), "is_script": kind == "phone_script",
        "legal_mention": legal_text,
        "channel_note": _l("registered", lang) if channel == "registered_letter" else "",
        "ageing": _ageing(it, asof, lang) if kind == "statement" else [],
    }
    name = f"{kind}_{lang}.j2"
    html = _env("html").get_template(name).render(layout="layout.html.j2", **ctx)
    text = _env("txt").get_template(name).render(layout="layout.txt.j2", **ctx)
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    m = re.search(r"^(?:Objet|Subject)\s?: (.*)$", text, flags=re.M)
    subject = m.group(1).strip() if m else text.splitlines()[0]
    return Letter(kind=kind, customer_id=cust["customer_id"], lang=lang, subject=subject,
                  html=html, text=text, total_claimed=total)


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
                 history: pd.DataFrame | None = None, statuses=("proposed", "approved"),
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
        Default: the plan's language.
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
    lang = plan.lang if lang is None else check_lang(lang)
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
            if act.template == "injunction_file":
                from creditlab.dunning.escalation import injunction_file

                f = injunction_file(items, plan.as_of, history=history,
                                    customers=pd.DataFrame([cust]), lang=lang)
                html, text = f.html(act.customer_id), f.text(act.customer_id)
            else:
                if act.template == "statement" and ledger_items is not None:
                    items = ledger_items[ledger_items["customer_id"] == act.customer_id]
                letter = render_letter(
                    act.template, cust, items, as_of=plan.as_of, lang=lang, sender=sender,
                    claim_interest=bool(act.claim_interest), claim_fees=bool(act.claim_fees),
                    channel="registered_letter" if "registered_letter" in str(act.channel)
                    else None)
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
