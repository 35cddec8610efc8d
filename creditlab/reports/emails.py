"""An e-mail-ready summary of each scheduled report, written beside the report.

Each report (``aged_balance``, ``credit_dashboard``, ``dunning``) writes into its output
folder

- ``NAME.email.html`` and ``NAME.email.txt``: the headline figures (French numbers by
  default), their change since the previous run, what needs a decision (letters to sign,
  orders on hold, limits exceeded, claims to declare...) and the list of the report's files,
  every value from the data HTML-escaped;
- ``NAME.summary.json``: the headline figures of this run, which the next run compares with.
  The previous run's file is looked for in the same folder, else in ``../NAME/`` (where
  ``creditlab report run`` publishes the previous run while the new one is staged).

A cron line then mails the message with the system mailer (see the README).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from creditlab._safety import escape_text
from creditlab.i18n import check_lang, format_eur, format_number, format_pct
from creditlab.labels import text

__all__ = ["Figure", "write_email", "aged_email", "dashboard_email", "dunning_email"]


@dataclass(frozen=True)
class Figure:
    """A headline figure: catalogue key of its name, value, kind (``money``, ``pct``,
    ``days``, ``count``)."""

    key: str
    value: float
    kind: str = "money"


def _show(value, kind: str, lang: str) -> str:
    if kind == "money":
        return format_eur(value, lang)
    if kind == "pct":
        return format_pct(value, lang, 1)
    if kind == "days":
        return format_number(value, lang, 1) + (" j" if lang == "fr" else " d")
    return format_number(value, lang, 0)


def _change(fig: Figure, before, lang: str) -> str | None:
    """``+3,2 %`` (money: relative change), ``+1,5 pt`` (shares), ``+4`` (counts, days)."""
    if before is None or pd.isna(before) or pd.isna(fig.value):
        return None
    if fig.kind == "money":
        if before == 0:
            return None
        rel = fig.value / before - 1
        sign = "+" if rel >= 0 else "−"
        return sign + format_pct(abs(rel), lang, 1)
    diff = fig.value - before
    sign = "+" if diff >= 0 else "−"
    if fig.kind == "pct":
        return f"{sign}{format_number(abs(diff) * 100, lang, 1)} pt"
    return sign + format_number(abs(diff), lang, 1 if fig.kind == "days" else 0)


def _previous(out: Path, name: str) -> dict | None:
    for path in (out / f"{name}.summary.json", out.parent / name / f"{name}.summary.json"):
        if path.is_file():
            try:
                return json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return None
    return None


def _attachments(out: Path, name: str, lang: str) -> list[str]:
    shown = [f"{name}.html"]
    for p in sorted(out.iterdir()):
        if p.name.startswith((".", f"{name}.email", f"{name}.summary")) or p.name in shown:
            continue
        if p.is_dir():
            n = sum(1 for f in p.iterdir() if f.is_file())
            shown.append(text("email_folder_files", lang, name=p.name, n=n))
        else:
            shown.append(p.name)
    return shown


def write_email(out, name: str, as_of, figures: list[Figure], decisions: list[str],
                lang: str = "fr") -> dict[str, Path]:
    """Write ``NAME.email.html``, ``NAME.email.txt`` and ``NAME.summary.json`` into ``out``.

    Parameters
    ----------
    out : path
        The report's output folder (its files are listed as the attachments).
    name : str
        The report's name (``dunning``...): file names and the title (``email_title_<name>``).
    as_of : date-like
        The report's date.
    figures : list of Figure
        Headline figures; each is compared with the same key of the previous run.
    decisions : list of str
        Sentences of what needs a decision (plain text; escaped in the HTML).

    Returns
    -------
    dict
        ``{"html": path, "text": path, "summary": path}``.
    """
    check_lang(lang)
    out = Path(out)
    as_of = pd.Timestamp(as_of)
    date_fmt = "%d/%m/%Y" if lang == "fr" else "%Y-%m-%d"
    before = _previous(out, name)
    before_figs = (before or {}).get("figures", {})
    since = text("email_changes_since", lang,
                 date=pd.Timestamp(before["as_of"]).strftime(date_fmt)) if before else None
    lines = []
    for f in figures:
        shown = f"{text(f.key, lang)} : {_show(f.value, f.kind, lang)}" if lang == "fr" \
            else f"{text(f.key, lang)}: {_show(f.value, f.kind, lang)}"
        change = _change(f, before_figs.get(f.key), lang)
        if change and since:
            shown += f" ({change} {since})"
        lines.append(shown)
    title = text("email_subject", lang, title=text(f"email_title_{name}", lang),
                 as_of=as_of.strftime(date_fmt))
    decisions = list(decisions) or [text("email_no_decision", lang)]
    files = _attachments(out, name, lang)
    first = None if before else text("email_first_run", lang)
    footer = text("email_footer", lang, page=f"{name}.html")
    sections = [(text("email_figures", lang), lines + ([first] if first else [])),
                (text("email_decisions", lang), decisions),
                (text("email_attachments", lang), files)]
    txt = [title, "=" * len(title), ""]
    html = ['<!DOCTYPE html><html lang="' + lang + '"><head><meta charset="utf-8">',
            f"<title>{escape_text(title)}</title></head>",
            '<body style="font-family: sans-serif; font-size: 14px; color: #222">',
            f"<h2>{escape_text(title)}</h2>"]
    for head, items in sections:
        txt += [head, *[f"- {i}" for i in items], ""]
        html += [f"<h3>{escape_text(head)}</h3>", "<ul>",
                 *[f"<li>{escape_text(i)}</li>" for i in items], "</ul>"]
    txt.append(footer)
    html += [f"<p><small>{escape_text(footer)}</small></p>", "</body></html>"]
    paths = {"html": out / f"{name}.email.html", "text": out / f"{name}.email.txt",
             "summary": out / f"{name}.summary.json"}
    paths["html"].write_text("\n".join(html) + "\n", encoding="utf-8")
    paths["text"].write_text("\n".join(txt) + "\n", encoding="utf-8")
    paths["summary"].write_text(json.dumps(
        {"report": name, "as_of": as_of.strftime("%Y-%m-%d"),
         "figures": {f.key: (None if pd.isna(f.value) else float(f.value)) for f in figures}},
        indent=1), encoding="utf-8")
    return paths


# --------------------------------------------------------------------------- the reports
def aged_email(report, out) -> dict[str, Path]:
    """The aged balance's message: receivables, past due, share past due, in dispute; the
    customers more than 90 days late and the disputes to resolve."""
    lang, total = report.lang, report.total
    figs = [Figure("email_fig_total", total), Figure("email_fig_past_due", report.past_due),
            Figure("email_fig_share_past_due", report.past_due / total if total else float(
                "nan"), "pct"),
            Figure("email_fig_disputed", report.disputed_amount)]
    detail = report.detail
    late = detail[(detail["days_past_due"] > 90) & (detail["open_amount"] > 0)]
    decisions = []
    if len(late):
        by = late.groupby("customer_id")["open_amount"].sum().sort_values(ascending=False)
        cust = report.inputs.get("customers")
        names = (cust.drop_duplicates("customer_id").set_index("customer_id")["name"]
                 if cust is not None and "name" in cust.columns else pd.Series(dtype=str))
        decisions.append(text("email_dec_arrears", lang, n=len(by),
                              amount=format_eur(by.sum(), lang),
                              name=str(names.get(by.index[0], by.index[0]))))
    if len(report.disputed):
        decisions.append(text("email_dec_disputes", lang, n=len(report.disputed),
                              amount=format_eur(report.disputed["open_amount"].sum(), lang)))
    return write_email(out, "aged_balance", report.inputs.as_of, figs, decisions, lang)


def dashboard_email(dash, out) -> dict[str, Path]:
    """The dashboard's message: receivables, past due, DSO, customers over their limit, orders
    on hold; the orders to release, limits exceeded, downgrades and proceedings."""
    lang, last = dash.lang, dash.history.iloc[-1]
    on_hold = dash.hold.on_hold()
    over = int(dash.exposure.by_customer["over_limit"].sum())
    figs = [Figure("email_fig_total", last["receivables_ttc"]),
            Figure("email_fig_past_due", last["past_due_ttc"]),
            Figure("email_fig_dso", last["dso_simple"], "days"),
            Figure("email_fig_over_limit", over, "count"),
            Figure("email_fig_on_hold", len(on_hold), "count")]
    decisions = []
    if len(on_hold):
        decisions.append(text("email_dec_on_hold", lang, n=len(on_hold),
                              amount=format_eur(on_hold["amount_ttc"].sum(), lang)))
    if over:
        decisions.append(text("email_dec_over_limit", lang, n=over))
    if len(dash.downgrades) or len(dash.insolvencies):
        decisions.append(text("email_dec_watch", lang, n=len(dash.downgrades),
                              m=len(dash.insolvencies)))
    return write_email(out, "credit_dashboard", dash.inputs.as_of, figs, decisions, lang)


def dunning_email(report, out) -> dict[str, Path]:
    """The dunning report's message: actions, amount chased, penalties claimed; the letters to
    sign (registered ones), the formal notices and payment orders, the claims to declare, the
    insurer's deadlines, the broken promises."""
    lang, a = report.lang, report.actions
    figs = [Figure("email_fig_actions", len(a), "count"),
            Figure("email_fig_chased", a["net_amount"].sum()),
            Figure("email_fig_penalties", a["penalties"].sum())]
    channel = a["channel"].fillna("")
    postal = channel.str.contains(r"\bletter\b|registered_letter", regex=True)
    registered = channel.str.contains("registered_letter")
    decisions = []
    if postal.any():
        decisions.append(text("email_dec_letters", lang, n=int(postal.sum()),
                              registered=int(registered.sum())))
    legal = a["escalation"].isin(["mise_en_demeure", "injonction_de_payer"])
    if legal.any():
        decisions.append(text("email_dec_escalation", lang, n=int(legal.sum())))
    claims = report.plan.claims_to_declare
    if len(claims):
        decisions.append(text("email_dec_claims", lang, n=len(claims),
                              amount=format_eur(claims["declared"].sum(), lang)))
    if len(report.urgent()):
        decisions.append(text("email_dec_insurer", lang, n=len(report.urgent())))
    broken = int((report.promise_status["status"] == "broken").sum())
    if broken:
        decisions.append(text("email_dec_promises", lang, n=broken))
    return write_email(out, "dunning", report.inputs.as_of, figs, decisions, lang)
