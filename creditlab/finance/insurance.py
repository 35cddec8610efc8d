"""Credit insurance (assurance-crédit): policy terms, claim indemnities, declaration deadlines and
uninsured exposure (insuring versus self-insuring: :mod:`creditlab.finance.insurance_choice`).

Sources: DOMAIN.md §8 (MEDIUM: contract practice varies by policy) —
https://assurance-professionnelle.pagesjaunes.fr/astuce/voir/747081/pourcentage-garantie-par-l-assurance-credit ;
https://assurance-professionnelle.pagesjaunes.fr/astuce/voir/747079/assurance-credit-et-la-franchise ;
https://assurance-professionnelle.pagesjaunes.fr/astuce/voir/747075/cout-de-l-assurance-credit ;
http://www.e-assurance-credit.com/assurance-credit/assurance-credit-indemnisation.php ;
https://www.assurance-credit-entreprise.fr/glossary/delais-carence/ .

Indemnity of one claim (whole-turnover policy)::

    net loss      = max(unpaid − recoveries, 0)                (HT unless basis="ttc")
    covered loss  = min(net loss, agreement)                  agreement = agrément on the buyer
    covered loss  = 0 if net loss < claim threshold           franchise individuelle atteinte
    covered loss  = max(covered loss − deductible, 0)         franchise individuelle déduite
    would-be      = quotité × covered loss
    annual franchise: the would-be indemnities of a policy year are summed in date order and
    only the part above the annual franchise is paid (a 50 k loss at 90 % counts 45 k toward a
    100 k franchise — pagesjaunes); then the annual cap (limite de décaissement) applies.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from creditlab._checks import as_date_column
from creditlab.exceptions import InputError
from creditlab.finance import _common as c
from creditlab.finance.codes import AmountBasis
from creditlab.i18n import check_lang, format_eur, format_pct
from creditlab.labels import label_view
from creditlab.receivables import resolve_items

__all__ = [
    "CreditInsurancePolicy",
    "claim_indemnities",
    "ClaimIndemnities",
    "declaration_deadlines",
    "uninsured_exposure",
    "UninsuredExposure",
    "INSURANCE_LABELS",
]

INSURANCE_LABELS = label_view("insurance")

_BASES = tuple(AmountBasis)


@dataclass(frozen=True)
class CreditInsurancePolicy:
    """Terms of a whole-turnover credit-insurance policy (all amounts in euros).

    Parameters
    ----------
    insured_share : float, default 0.90
        Quotité garantie, fraction of the covered loss indemnified (60-95 %, DOMAIN.md §8).
    deductible_per_claim : float, default 0
        Franchise individuelle déduite: amount deducted from each covered loss.
    claim_threshold : float, default 0
        Franchise individuelle atteinte ("petit sinistre"): a claim whose net loss is below it is
        not indemnified; above it, it is indemnified in full (nothing deducted).
    annual_deductible : float, default 0
        Franchise annuelle, in indemnity terms (quotité applied): indemnities start once the
        year's would-be indemnities exceed it.
    max_indemnity : float or None, default None
        Limite de décaissement: cap on the indemnities paid per policy year (typically 20-40 ×
        the annual premium); None = no cap.
    premium_rate : float, default 0.003
        Premium as a fraction of the insured turnover (≈ 0.1 %-1 %, DOMAIN.md §8; ours).
    minimum_premium : float, default 0
        Annual minimum premium.
    max_credit_days : int, default 120
        Durée maximale de crédit the insured may grant (ours).
    max_extension_days : int, default 60
        Prorogation allowed without the insurer (≤ 60 days is common, DOMAIN.md §8).
    declaration_days : int, default 60
        Deadline to declare a menace de sinistre, in days after the original due date
        (≈ 2-4 months, DOMAIN.md §8; ours: 60, the cautious end, the same as the default dunning
        policy's ``insurer_notification_days`` — a credit charter refuses two different values).
    waiting_days : int, default 150
        Délai de carence: days from the declaration to the presumed-insolvency indemnity
        (3-6 months today, DOMAIN.md §8; ours: 150).
    discretionary_limit : float, default 0
        Cover of buyers without a named agreement (limite discrétionnaire / non-dénommé).
    basis : {"ht", "ttc"}, default "ht"
        Amount indemnified: most French policies indemnify HT (VAT on the irrecoverable debt is
        recovered from the tax authority, DOMAIN.md §8); check the policy wording.
    policy_year_start_month : int, default 1
        First month of the policy year (annual deductible and cap are per policy year).
    name : str
        Free label (insurer, contract number).
    """

    insured_share: float = 0.90
    deductible_per_claim: float = 0.0
    claim_threshold: float = 0.0
    annual_deductible: float = 0.0
    max_indemnity: float | None = None
    premium_rate: float = 0.003
    minimum_premium: float = 0.0
    max_credit_days: int = 120
    max_extension_days: int = 60
    declaration_days: int = 60
    waiting_days: int = 150
    discretionary_limit: float = 0.0
    basis: Literal["ht", "ttc"] = "ht"
    policy_year_start_month: int = 1
    name: str = ""

    def __post_init__(self) -> None:
        c.scalar("insured_share", self.insured_share, lo=0.0, hi=1.0, lo_open=True,
                 fix="give the quotité as a fraction, e.g. 0.9 for 90 %")
        for f in ("deductible_per_claim", "claim_threshold", "annual_deductible",
                  "minimum_premium", "discretionary_limit"):
            c.scalar(f, getattr(self, f), lo=0.0, fix=f"give {f} in euros (>= 0)")
        if self.max_indemnity is not None:
            c.scalar("max_indemnity", self.max_indemnity, lo=0.0, lo_open=True,
                     fix="give the annual cap in euros (> 0) or None for no cap")
        c.scalar("premium_rate", self.premium_rate, lo=0.0, hi=0.2,
                 fix="give the premium rate as a fraction of turnover, e.g. 0.003 for 0.3 %")
        for f in ("max_credit_days", "max_extension_days", "declaration_days", "waiting_days"):
            v = getattr(self, f)
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or not 0 <= v <= 3650:
                raise InputError(f, "a whole number of days in [0, 3650]", v)
        if self.basis not in _BASES:
            raise InputError("basis", "'ht' or 'ttc'", self.basis,
                             "most French policies indemnify the HT amount: basis='ht'")
        m = self.policy_year_start_month
        if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or not 1 <= m <= 12:
            raise InputError("policy_year_start_month", "a month number 1-12", m)

    # -- construction / export ------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CreditInsurancePolicy:
        """Build from a dict (unknown keys raise, naming them)."""
        if not isinstance(data, Mapping):
            raise InputError("data", "a dict of policy terms", type(data).__name__)
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise InputError("data", f"keys among {sorted(known)}", unknown,
                             "remove or rename the unknown keys")
        return cls(**dict(data))

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def replace(self, **changes) -> CreditInsurancePolicy:
        return dataclasses.replace(self, **changes)

    # -- premium ---------------------------------------------------------------------------------
    def premium(self, insured_turnover):
        """Annual premium: ``max(premium_rate × insured turnover, minimum_premium)`` (euros).

        ``insured_turnover`` is the declared turnover on insured buyers (euros excl. VAT: the
        "chiffre d'affaires assurable" is the turnover HT less the exclusions of the policy;
        scalar or array-like; a Series keeps its index).
        """
        t = c.number("insured_turnover", insured_turnover, lo=0.0,
                     fix="give the insured turnover in euros (>= 0)")
        return c.wrap(np.maximum(self.premium_rate * t, self.minimum_premium), insured_turnover,
                      name="premium")

    def summary(self) -> pd.DataFrame:
        """The policy's parameters (index ``parameter``) and their values (``value``), in codes."""
        rows = [(k, v) for k, v in self.to_dict().items() if not (k == "name" and not v)]
        out = pd.DataFrame(rows, columns=["parameter", "value"])
        return out.set_index("parameter")

    def to_frame(self, lang: str = "fr") -> pd.DataFrame:
        """The parameters in words, values formatted (euros, % and the basis in capitals)."""
        check_lang(lang)
        rows = []
        for k, v in self.summary()["value"].items():
            if k in ("insured_share", "premium_rate"):
                shown = format_pct(v, lang, 2)
            elif k in ("deductible_per_claim", "claim_threshold", "annual_deductible",
                       "minimum_premium", "discretionary_limit"):
                shown = format_eur(v, lang, 0)
            elif k == "max_indemnity":
                shown = format_eur(v, lang, 0) if v is not None else (
                    "aucune" if lang == "fr" else "none")
            elif k == "basis":
                shown = v.upper()
            else:
                shown = str(v)
            rows.append((INSURANCE_LABELS[k][lang], shown))
        out = pd.DataFrame(rows, columns=[INSURANCE_LABELS["parameter"][lang],
                                          INSURANCE_LABELS["value"][lang]])
        return out.set_index(INSURANCE_LABELS["parameter"][lang])

    def _repr_html_(self) -> str:
        return "<h4>Police d'assurance-crédit</h4>" + self.to_frame().to_html(escape=True)


def _policy(policy) -> CreditInsurancePolicy:
    if isinstance(policy, CreditInsurancePolicy):
        return policy
    if isinstance(policy, Mapping):
        return CreditInsurancePolicy.from_dict(policy)
    raise InputError("policy", "a CreditInsurancePolicy or a dict of its terms",
                     type(policy).__name__, "build one with CreditInsurancePolicy(...)")


def _cover(net_loss: np.ndarray, agreement: np.ndarray, p: CreditInsurancePolicy):
    """Vectorised single-claim cover: (covered loss after individual franchises, would-be
    indemnity). NaN agreement = no named agreement → discretionary limit."""
    agr = np.where(np.isnan(agreement), p.discretionary_limit, agreement)
    covered = np.minimum(net_loss, agr)
    covered = np.where(net_loss < p.claim_threshold, 0.0, covered)
    covered = np.maximum(covered - p.deductible_per_claim, 0.0)
    return covered, p.insured_share * covered


def _agreement_column(df: pd.DataFrame, table: str) -> np.ndarray:
    for col in ("agreement", "insurer_agreement"):
        if col in df.columns:
            return c.column(df, col, table, lo=0.0, allow_nan=True,
                            fix="give the agreement in euros (>= 0; empty = no named agreement)")
    raise InputError(table, "an 'agreement' (or 'insurer_agreement') column", "none",
                     "add the insurer's agrément per buyer (empty = not named, 0 = refused)")


# ---------------------------------------------------------------------------------------------
# claims
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class ClaimIndemnities(c.ResultMixin):
    """Result of :func:`claim_indemnities`: one row per claim (input index kept, rows in the
    input order) and the totals per policy year."""

    table: pd.DataFrame
    policy: CreditInsurancePolicy

    _title = {"fr": "Indemnisation des sinistres", "en": "Claim indemnities"}
    _labels = INSURANCE_LABELS

    @property
    def total_indemnity(self) -> float:
        return float(self.table["indemnity"].sum())

    def by_year(self) -> pd.DataFrame:
        cols = ["net_loss", "covered_loss", "would_be_indemnity", "franchise_consumed",
                "indemnity", "retained"]
        g = self.table.groupby("policy_year")
        out = g[cols].sum()
        out.insert(0, "n_claims", g.size())
        return out

    def summary(self) -> pd.DataFrame:
        """Totals per policy year (:meth:`by_year`), in codes."""
        return self.by_year()


def claim_indemnities(claims: pd.DataFrame,
                      policy: CreditInsurancePolicy | Mapping) -> ClaimIndemnities:
    """Indemnity of each claim under a credit-insurance policy (vectorised over claims).

    Parameters
    ----------
    claims : DataFrame
        One row per claim: ``unpaid_ht`` (or ``unpaid_ttc`` when ``policy.basis == "ttc"``),
        ``agreement`` or ``insurer_agreement`` (agrément on the buyer, euros, same basis; empty
        = no named agreement → the policy's discretionary limit; 0 = refused → nothing covered);
        optional ``recoveries`` (amounts recovered, same basis, default 0) and ``claim_date``
        (fait générateur; orders the claims and sets the policy year — without it all claims
        are one policy year, in the input order).
    policy : CreditInsurancePolicy or dict

    Returns
    -------
    ClaimIndemnities
        ``table`` adds ``policy_year, net_loss, covered_loss, would_be_indemnity,
        franchise_consumed, indemnity, retained`` (retained = net loss − indemnity).

    Notes
    -----
    DOMAIN.md §8. T15 (pagesjaunes): unpaid 40 k, agreement 30 k, quotité 90 % → 27 k
    indemnity, 13 k retained. Annual franchise (same source): franchise 100 k, 90 %: a 50 k
    loss counts 45 k toward the franchise. Recoveries above the unpaid amount give a net loss
    of 0 (clipped).
    """
    p = _policy(policy)
    amount_col = f"unpaid_{p.basis}"
    fix = (f"add {amount_col} (the unpaid amount {p.basis.upper()})" + (
        "; HT = TTC / (1 + VAT rate), or set basis='ttc' if the policy indemnifies TTC"
        if p.basis == "ht" else ""))
    df = c.require_columns(claims, "claims", (amount_col,), fix)
    unpaid = c.column(df, amount_col, "claims", lo=0.0)
    agreement = _agreement_column(df, "claims")
    rec = (c.column(df, "recoveries", "claims", lo=0.0) if "recoveries" in df.columns
           else np.zeros(len(df)))
    if "claim_date" in df.columns:
        dates = pd.to_datetime(df["claim_date"], errors="coerce")
        if dates.isna().any():
            raise InputError("claims.claim_date", "a date on every claim",
                             df.loc[dates.isna(), "claim_date"].head(5).tolist(),
                             "fill claim_date (date of the fait générateur) or drop the column")
        year = (dates.dt.year - (dates.dt.month < p.policy_year_start_month)).to_numpy()
        key = dates.to_numpy()
    else:
        year = np.zeros(len(df), dtype="int64")
        key = np.arange(len(df))
    net = np.maximum(unpaid - rec, 0.0)
    covered, would_be = _cover(net, agreement, p)
    work = pd.DataFrame({"year": year, "key": key, "pos": np.arange(len(df)),
                         "would_be": would_be})
    work = work.sort_values(["year", "key", "pos"], kind="stable")
    g = work.groupby("year", sort=False)["would_be"]
    cum = g.cumsum().to_numpy()
    prev = cum - work["would_be"].to_numpy()
    f = p.annual_deductible
    after_franchise = np.maximum(cum - f, 0.0) - np.maximum(prev - f, 0.0)
    work["after"] = after_franchise
    paid = after_franchise
    if p.max_indemnity is not None:
        cum_paid = work.groupby("year", sort=False)["after"].cumsum().to_numpy()
        prev_paid = cum_paid - after_franchise
        paid = np.minimum(cum_paid, p.max_indemnity) - np.minimum(prev_paid, p.max_indemnity)
    order = work["pos"].to_numpy()
    indemnity = np.empty(len(df))
    indemnity[order] = paid
    consumed = np.empty(len(df))
    consumed[order] = work["would_be"].to_numpy() - after_franchise
    out = df.copy()
    out["policy_year"] = year if "claim_date" in df.columns else "all"
    out["net_loss"] = net
    out["covered_loss"] = covered
    out["would_be_indemnity"] = would_be
    out["franchise_consumed"] = consumed
    out["indemnity"] = indemnity
    out["retained"] = net - indemnity
    return ClaimIndemnities(table=out, policy=p)


# ---------------------------------------------------------------------------------------------
# deadlines
# ---------------------------------------------------------------------------------------------
def declaration_deadlines(items, policy: CreditInsurancePolicy | Mapping, as_of=None, *,
                          alert_days: int = 15) -> pd.DataFrame:
    """Deadline to declare each unpaid invoice to the insurer (menace de sinistre).

    Parameters
    ----------
    items : OpenItems or DataFrame
        Open items (``Ledger.at(as_of)``, or a DataFrame of the
        ``creditlab.receivables.open_items`` shape): ``customer_id, invoice_id, due_date,
        open_amount``; optional ``doc_type`` (only invoices are kept), ``issue_date`` (checks
        the maximum credit period) and ``disputed``. Rows with ``open_amount <= 0`` are
        ignored.
    policy : CreditInsurancePolicy or dict
    as_of : date-like
        Date of the analysis. Required with a DataFrame; with OpenItems it may be left out and,
        if given, must be their date (an error says how to recompute).
    alert_days : int, default 15
        An overdue invoice whose deadline is at most this many days away is "declare_now".

    Returns
    -------
    DataFrame
        One row per open invoice, sorted by deadline: ``customer_id, invoice_id, due_date,
        open_amount, days_past_due, declaration_deadline`` (= due date + declaration_days),
        ``days_left`` (negative = missed), ``carence_end`` (end of the waiting period if
        declared on the deadline), ``status`` ("not_due", "watch", "declare_now", "missed"),
        and when ``issue_date`` is given ``credit_days`` and
        ``over_max_credit`` (terms longer than the policy allows: the insurer may refuse cover).

    Notes
    -----
    DOMAIN.md §8: declaration within ≈ 2-4 months after the original due date; carence 3-6
    months (http://e-assurance-credit.com/assurance-credit/assurance-credit-gestion-contentieux.php).
    The deadline runs from the *original* due date, extensions (prorogations) do not move it
    unless the policy says so.
    """
    p = _policy(policy)
    if isinstance(alert_days, bool) or not isinstance(alert_days, (int, np.integer)) or \
            alert_days < 0:
        raise InputError("alert_days", "a whole number of days >= 0", alert_days)
    items, asof = resolve_items(items, as_of)
    df = c.require_columns(items, "items", ("customer_id", "invoice_id", "due_date",
                                            "open_amount"),
                           "pass the output of creditlab.receivables.open_items")
    amount = c.column(df, "open_amount", "items")
    keep = amount > 0
    if "doc_type" in df.columns:
        keep &= (df["doc_type"] == "invoice").to_numpy()
    d = df.loc[keep].copy()
    # typed dates read ISO or French day-first (05/12/2025 is the 5th of December)
    due = as_date_column(d["due_date"], "items.due_date", allow_missing=True)
    if due.isna().any():
        raise InputError("items.due_date", "a due date on every open invoice",
                         d.loc[due.isna(), "invoice_id"].head(5).tolist(),
                         "fill the missing due dates (creditlab.legal computes them from terms)")
    cols = ["customer_id", "invoice_id"]
    out = d[cols].copy()
    out["due_date"] = due.dt.normalize()
    out["open_amount"] = amount[keep]
    out["days_past_due"] = (asof - out["due_date"]).dt.days.astype("int64")
    out["declaration_deadline"] = out["due_date"] + pd.to_timedelta(p.declaration_days, "D")
    out["days_left"] = (out["declaration_deadline"] - asof).dt.days.astype("int64")
    out["carence_end"] = out["declaration_deadline"] + pd.to_timedelta(p.waiting_days, "D")
    status = np.select(
        [out["days_past_due"] <= 0, out["days_left"] < 0, out["days_left"] <= alert_days],
        ["not_due", "missed", "declare_now"], default="watch")
    out["status"] = pd.array(status, dtype="str")
    if "disputed" in d.columns:
        out["disputed"] = d["disputed"].fillna(False).astype(bool)
    if "issue_date" in d.columns:
        issue = as_date_column(d["issue_date"], "items.issue_date", allow_missing=True)
        out["credit_days"] = (out["due_date"] - issue.dt.normalize()).dt.days
        out["over_max_credit"] = (out["credit_days"] > p.max_credit_days).fillna(False)
    return out.sort_values(["declaration_deadline", "customer_id", "invoice_id"],
                           kind="stable")


# ---------------------------------------------------------------------------------------------
# uninsured exposure
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class UninsuredExposure(c.ResultMixin):
    """Result of :func:`uninsured_exposure`: per-customer split and portfolio totals."""

    table: pd.DataFrame
    policy: CreditInsurancePolicy

    _title = {"fr": "Risque non assuré", "en": "Uninsured exposure"}
    _labels = INSURANCE_LABELS

    @property
    def total(self) -> pd.Series:
        return self.table[["exposure", "covered_loss", "insured", "retained_share", "excess",
                           "uninsured"]].sum()

    def top_ups(self, n: int = 10) -> pd.DataFrame:
        """Customers with the largest uncovered excess — over their agreement, without one or
        with a cancelled one (candidates for an agreement request or a guarantee)."""
        t = self.table[self.table["excess"] > 0.005]
        return t.sort_values("excess", ascending=False, kind="stable").head(n)

    def summary(self) -> pd.DataFrame:
        """Per status (codes, then ``total``): number of customers ``n`` and amounts."""
        cols = ["exposure", "insured", "retained_share", "excess", "uninsured"]
        g = self.table.groupby("status")
        out = g[cols].sum()
        out.insert(0, "n", g.size())
        out.loc["total"] = [len(self.table), *self.total[cols].tolist()]
        out.index.name = None
        return out


def uninsured_exposure(exposure, policy: CreditInsurancePolicy | Mapping, *,
                       exposure_col: str = "net_exposure") -> UninsuredExposure:
    """Split each customer's exposure into insured, retained share and excess over agreement.

    Parameters
    ----------
    exposure : DataFrame or Exposure
        One row per customer (index = customer_id) with the exposure column and
        ``insurer_agreement`` (or ``agreement``; empty = not named → discretionary limit,
        0 = refused/cancelled). ``creditlab.receivables.exposure(...).by_customer`` fits.
    policy : CreditInsurancePolicy or dict
    exposure_col : str, default "net_exposure"

    Returns
    -------
    UninsuredExposure
        ``table``: ``exposure`` (negatives → 0), ``agreement``, ``covered_loss`` =
        min(exposure, agreement), ``insured`` = quotité × covered, ``retained_share`` = covered
        − insured, ``excess`` = exposure − covered, ``uninsured`` = exposure − insured, and
        ``status`` (covered, over_agreement, no_agreement, cancelled, discretionary,
        no_exposure).

    Notes
    -----
    DOMAIN.md §8 (pagesjaunes: 40 k exposure, 30 k agreement, 90 % → 27 k insured, 13 k borne
    = 10 k excess + 3 k retained share). Individual and annual franchises are not applied here
    (they depend on the claims of the year): this is the maximum insured amount. The amounts
    are compared as given (exposure is TTC in creditlab; an agreement is a maximum exposure).
    """
    p = _policy(policy)
    if hasattr(exposure, "by_customer"):
        exposure = exposure.by_customer
    df = c.require_columns(exposure, "exposure", (exposure_col,),
                           "pass creditlab.receivables.exposure(...).by_customer or a table "
                           "with net_exposure and insurer_agreement per customer")
    exp = np.maximum(c.column(df, exposure_col, "exposure"), 0.0)
    agr = _agreement_column(df, "exposure")
    eff = np.where(np.isnan(agr), p.discretionary_limit, agr)
    covered = np.minimum(exp, eff)
    insured = p.insured_share * covered
    status = np.select(
        [exp <= 0.005, np.isnan(agr) & (p.discretionary_limit <= 0), np.isnan(agr),
         agr == 0, exp > eff + 0.005],
        ["no_exposure", "no_agreement", "discretionary", "cancelled", "over_agreement"],
        default="covered")
    out = pd.DataFrame({"exposure": exp, "agreement": agr, "covered_loss": covered,
                        "insured": insured, "retained_share": covered - insured,
                        "excess": exp - covered, "uninsured": exp - insured,
                        "status": pd.array(status, dtype="str")}, index=df.index)
    return UninsuredExposure(table=out, policy=p)
