"""Credit charter (charte crédit) generated from the policy parameters actually in use.

:func:`credit_charter` takes the sections as plain dicts or as any object with a ``to_dict()``
method — :class:`creditlab.limits.CreditPolicy` (limits and hold sections), the dunning policy of
``creditlab.dunning``, :class:`~creditlab.finance.insurance.CreditInsurancePolicy`,
:class:`~creditlab.finance.negotiation.NegotiationPolicy` — and renders a Markdown document
(French by default, ``lang="en"`` available) with Jinja2; :meth:`CreditCharter.to_html` gives a
standalone HTML page. Known keys get French labels and formatting; unknown keys are still shown
(raw), so a new policy setting is never silently dropped.
"""
from __future__ import annotations

import html as _html
from dataclasses import dataclass
from typing import Any

import pandas as pd

from creditlab._checks import as_date
from creditlab.documents import render
from creditlab.exceptions import InputError
from creditlab.finance.charter_labels import (
    CHARTER_SECTIONS,
    RACI_ROLES,
)
from creditlab.finance.charter_sections import (
    _as_dict,
    _dunning_section,
    _hold_rows,
    _insurance_rows,
    _limits_rows,
    _negotiation_rows,
    _raci,
    _same_declaration_deadline,
    _terms_rows,
    default_raci,
)
from creditlab.i18n import check_lang

__all__ = ["credit_charter", "CreditCharter", "default_raci", "RACI_ROLES", "CHARTER_SECTIONS"]


# ---------------------------------------------------------------------------------------------
# rendering
# ---------------------------------------------------------------------------------------------
_HTML_PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: "Segoe UI", Helvetica, Arial, sans-serif; max-width: 60em; margin: 2em auto;
       line-height: 1.45; color: #222; }}
table {{ border-collapse: collapse; margin: 0.6em 0 1.2em; }}
th, td {{ border: 1px solid #bbb; padding: 0.25em 0.6em; vertical-align: top; }}
th {{ background: #eef1f5; }}
blockquote {{ color: #8a4b00; border-left: 4px solid #e0a84f; margin-left: 0; padding-left: 1em; }}
h1 {{ border-bottom: 2px solid #345; }}
</style>
</head>
<body>
{body}
</body>
</html>
"""


@dataclass(frozen=True, eq=False)
class CreditCharter:
    """A generated credit charter.

    Attributes
    ----------
    markdown : str
        The document in Markdown (tables in GFM syntax).
    company : str
    lang : str
    present : tuple of str
        Sections built from the parameters given.
    missing : tuple of str
        Sections left "à compléter" (their parameters were not given).
    """

    markdown: str
    company: str
    lang: str
    present: tuple[str, ...]
    missing: tuple[str, ...]

    def to_markdown(self) -> str:
        return self.markdown

    def html_body(self) -> str:
        """The charter as an HTML fragment (raw HTML in the Markdown is escaped)."""
        import mistune  # optional: reports (nbconvert's)

        md = mistune.create_markdown(escape=True, plugins=["table"])
        return md(self.markdown)

    def to_html(self) -> str:
        """A standalone HTML page, ready to print."""
        title = ("Charte crédit — " if self.lang == "fr" else "Credit charter — ") + self.company
        return _HTML_PAGE.format(lang=self.lang, title=_html.escape(title),
                                 body=self.html_body())

    def summary(self) -> pd.DataFrame:
        status = {"fr": ("renseignée", "à compléter"), "en": ("filled in", "to complete")}
        rows = [(s, status[self.lang][0 if s in self.present else 1]) for s in CHARTER_SECTIONS]
        return pd.DataFrame(rows, columns=["section", "status"]).set_index("section")

    def _repr_html_(self) -> str:
        return self.html_body()

    def _repr_markdown_(self) -> str:
        return self.markdown


def credit_charter(*, company: str, terms: Any = None, limits: Any = None, hold: Any = None,
                   dunning: Any = None, raci: Any = None, insurance: Any = None,
                   negotiation: Any = None, version: str = "1.0", effective_date: Any = None,
                   approved_by: str | None = None, lang: str = "fr") -> CreditCharter:
    """Generate the credit charter from the policy parameters actually in use.

    Parameters
    ----------
    company : str
        Company name shown in the title.
    terms : dict or object with to_dict(), optional
        Payment terms: known keys ``standard_terms`` (a payment-term code such as "net_60" or
        text), ``max_days``, ``by_segment`` ({segment: code}), ``new_customers``,
        ``discount`` ({"rate": 0.01, "days": 10} or None = "pas d'escompte"),
        ``penalty_rate``, ``recovery_indemnity`` (euros), ``down_payment``,
        ``payment_methods``; other keys are shown as given.
    limits : CreditPolicy, dict or object with to_dict(), optional
        Limit methods and combination, shaped like ``creditlab/data/credit_policy_default.toml``
        (``need``, ``methods``, ``combination``, ``rating_coefficient``, ``review``,
        ``rounding``). Only enabled methods are listed.
    hold : CreditPolicy, dict or object with to_dict(), optional
        Credit-hold thresholds: the ``[hold]`` table of the policy (a dict holding a ``hold``
        key is accepted, so the same CreditPolicy can be passed for limits and hold).
    dunning : DunningPolicy, dict, list or object with to_dict(), optional
        The :class:`creditlab.dunning.DunningPolicy` in use (or its TOML shape), or just
        scenarios: ``{"scenarios": [{"name": ..., "steps": [{...}, ...], ...}]}``, a list of
        scenarios, or ``{name: [steps]}``. Step keys such as ``day``/``offset_days``,
        ``channel(s)``, ``template``, ``fees``, ``interest``, ``escalation``, ``assignee`` and
        their codes get French labels; others are shown as given. Next to ``scenarios``, a
        whole policy also gives the assignment rules (in order, then the default scenario),
        its settings (minimum amount, insurer deadline, profile bounds...) and
        ``exclude_disputed``, which decides the sentence on disputed invoices.
    raci : DataFrame or dict, optional
        Responsibilities: activities × roles with letters R, A, C, I (exactly one A per
        activity). None → the illustrative default of :func:`default_raci`, flagged as such.
    insurance : CreditInsurancePolicy or dict, optional
    negotiation : NegotiationPolicy or dict, optional
        Limits on payment plans (and ``max_discount``).
    version : str, default "1.0"
    effective_date : date-like, optional
        Date of effect (the document never reads the clock); None → "à compléter".
    approved_by : str, optional
    lang : {"fr", "en"}

    Returns
    -------
    CreditCharter
        ``markdown``, ``to_html()``, ``present`` and ``missing`` sections.
    """
    check_lang(lang)
    if not isinstance(company, str) or not company.strip():
        raise InputError("company", "the company name (non-empty text)", company)
    eff = None
    if effective_date is not None:
        ts = as_date(effective_date, "effective_date")
        eff = ts.strftime("%d/%m/%Y" if lang == "fr" else "%Y-%m-%d")
    ctx: dict[str, Any] = {"company": company.strip(), "version": str(version),
                           "effective_date": eff, "approved_by": approved_by}
    present: list[str] = []

    def section(name: str, obj: Any, build) -> dict:
        d = _as_dict(obj, name)
        if d is None:
            return {"present": False}
        present.append(name)
        return {"present": True, **build(d)}

    ctx["raci"] = _raci(raci, lang)
    present.append("raci")
    ctx["terms"] = section("terms", terms, lambda d: {"rows": _terms_rows(d, lang)})

    def build_limits(d):
        rows, methods = _limits_rows(d, lang)
        return {"rows": rows, "methods": methods}

    ctx["limits"] = section("limits", limits, build_limits)
    ctx["hold"] = section("hold", hold, lambda d: {"rows": _hold_rows(d, lang)})
    ctx["dunning"] = section("dunning", dunning, lambda d: _dunning_section(d, lang))
    _same_declaration_deadline(_as_dict(dunning, "dunning"), _as_dict(insurance, "insurance"))
    ctx["insurance"] = section("insurance", insurance,
                               lambda d: {"rows": _insurance_rows(d, lang)})
    ctx["negotiation"] = section("negotiation", negotiation,
                                 lambda d: {"rows": _negotiation_rows(d, lang)})
    md = render(f"finance/credit_charter_{lang}.md.j2", "markdown", **ctx)
    md = _squeeze_blank_lines(md)
    missing = tuple(s for s in CHARTER_SECTIONS if s not in present)
    return CreditCharter(markdown=md, company=company.strip(), lang=lang,
                         present=tuple(s for s in CHARTER_SECTIONS if s in present),
                         missing=missing)


def _squeeze_blank_lines(text: str) -> str:
    out: list[str] = []
    for line in text.splitlines():
        if not line.strip() and out and not out[-1].strip():
            continue
        out.append(line.rstrip())
    return "\n".join(out).strip() + "\n"

