"""Factoring (affacturage): contract types as data, cost simulator, comparison with a bank
overdraft and with credit insurance.

Cost components (DOMAIN.md §9, MEDIUM — values vary by factor)::

    receivables outstanding  = factored sales TTC × DSO / 365
    guarantee fund           = outstanding × fund rate          (retenue, 10-15 %, not financed)
    financeable              = outstanding − guarantee fund
    amount drawn             = financeable × usage
    factoring commission     = max(rate × factored sales TTC, annual minimum)
    financing commission     = (index + margin) × amount drawn × days / 360
    total cost               = factoring commission + financing commission + fees

Worked example (factoexpert, http://www.factoexpert.com/e-p/200/combien-coutent-l-affacturage-et-l-assurance-cr-dit):
500 k€ factored, DSO 60, 0.9 %, Euribor 3M + 3 % ≈ 3.2 %, fund 10 % → ≈ 6.9 k€ = 1.38 %.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from creditlab._cache import reference_cache
from creditlab.exceptions import InputError
from creditlab.finance import _common as c
from creditlab.finance.codes import FactoringContract
from creditlab.finance.insurance import CreditInsurancePolicy, _policy
from creditlab.i18n import check_lang, format_eur, format_pct
from creditlab.labels import label_view

__all__ = [
    "factoring_contracts",
    "FACTORING_FEATURES",
    "factoring_cost",
    "FactoringCost",
    "compare_financing",
    "FACTORING_LABELS",
]

#: Boolean features of a contract type (columns of ``factoring_contracts.csv``).
FACTORING_FEATURES = ("notification", "collection_by_factor", "guarantee", "financing")

FACTORING_LABELS = label_view("factoring")


@reference_cache()
def _contracts() -> pd.DataFrame:
    df = pd.read_csv(c.DATA_DIR / "factoring_contracts.csv")
    for f in FACTORING_FEATURES:
        df[f] = df[f].astype(bool)
    return df.set_index("contract_type")


def factoring_contracts(lang: str = "fr") -> pd.DataFrame:
    """The factoring contract types with their features (data file with a source column).

    Returns
    -------
    DataFrame
        Index ``contract_type`` (classic, notified_not_managed, confidential, reverse,
        collection_mandate); columns ``label``, the booleans ``notification,
        collection_by_factor, guarantee, financing``, ``initiator`` (supplier/buyer),
        ``debtor_pays`` (factor/supplier), ``description``, ``cost_note``, ``source``.

    Notes
    -----
    ``creditlab/data/factoring_contracts.csv``; DOMAIN.md §9
    (https://affacturage.pagesjaunes.fr/comprendre/affacturage-types and others in the file).
    """
    check_lang(lang)
    df = _contracts.shared()
    out = pd.DataFrame({"label": df[f"label_{lang}"]}, index=df.index)
    for f in (*FACTORING_FEATURES, "initiator", "debtor_pays"):
        out[f] = df[f]
    out["description"] = df[f"description_{lang}"]
    out["cost_note"] = df[f"cost_note_{lang}"]
    out["source"] = df["source"]
    return out


def _contract(contract_type: str) -> pd.Series:
    df = _contracts.shared()
    if contract_type not in tuple(FactoringContract) or contract_type not in df.index:
        raise InputError("contract_type", f"one of {list(df.index)}", contract_type,
                         "see creditlab.finance.factoring_contracts()")
    return df.loc[contract_type].copy()


@dataclass(frozen=True, eq=False)
class FactoringCost(c.ResultMixin):
    """Result of :func:`factoring_cost` (euros for one period of ``days`` days, a year by
    default).

    ``table`` has one row per item: ``outstanding, guarantee_fund, financeable, drawn,
    factoring_commission, financing_commission, fees, total_cost, cost_share_of_sales,
    effective_annual_rate``.
    """

    contract_type: str
    factored_sales_ttc: float
    dso_days: float
    financing_rate: float
    usage: float
    days: int
    features: dict
    table: pd.Series

    _title = {"fr": "Coût de l'affacturage", "en": "Cost of factoring"}
    _labels = FACTORING_LABELS

    def __getattr__(self, name: str):
        table = self.__dict__.get("table")
        if table is not None and name in table.index:
            return float(table[name])
        raise AttributeError(name)

    def summary(self) -> pd.DataFrame:
        """One row per component (index ``component``), column ``amount`` (euros; the two
        shares ``cost_share_of_sales`` and ``effective_annual_rate`` are fractions)."""
        out = pd.DataFrame({"amount": self.table.astype("float64")})
        out.index.name = "component"
        return out

    def to_frame(self, lang: str = "fr") -> pd.DataFrame:
        """The components in words, amounts formatted (euros, the two shares in %)."""
        lang = check_lang(lang)
        shown = []
        for k, v in self.table.items():
            if k in ("cost_share_of_sales", "effective_annual_rate"):
                shown.append(format_pct(v, lang, 2))
            else:
                shown.append(format_eur(v, lang, 0))
        out = pd.DataFrame({FACTORING_LABELS["amount"][lang]: shown},
                           index=[FACTORING_LABELS[k][lang] for k in self.table.index])
        out.index.name = FACTORING_LABELS["component"][lang]
        return out


def factoring_cost(factored_sales_ttc: float, dso_days: float, *, commission_rate: float,
                   margin: float, index_rate: float = 0.0, guarantee_fund_rate: float = 0.10,
                   usage: float | None = None, minimum_commission: float = 0.0,
                   fixed_fees: float = 0.0, per_invoice_fee: float = 0.0, n_invoices: int = 0,
                   contract_type: str = "classic", days: int = 365) -> FactoringCost:
    """Yearly cost of a factoring contract, total and as an effective annual rate.

    Parameters
    ----------
    factored_sales_ttc : float
        Sales assigned to the factor over the period, incl. VAT (euros).
    dso_days : float
        DSO of the factored receivables (days): sets the average receivables at the factor
        (``sales × DSO / 365``).
    commission_rate : float
        Commission d'affacturage on TTC sales (fraction; 0.1 %-2.5 % in the sources).
    margin : float
        Margin over the index of the financing commission (fraction, e.g. 0.03).
    index_rate : float, default 0
        Index of the financing commission (Euribor 3M or TBB, fraction). Factoring contracts
        floor a negative Euribor at 0: pass 0 then.
    guarantee_fund_rate : float, default 0.10
        Retenue de garantie: share of the outstanding withheld and not financed (10-15 %).
    usage : float, optional
        Average share of the available financing actually drawn (0-1); default 1 for contracts
        with financing, 0 otherwise (a collection mandate has no financing).
    minimum_commission : float, default 0
        Annual minimum of the factoring commission (often 70-80 % of the expected commission).
    fixed_fees : float, default 0
        File set-up and other fixed fees for the period (euros).
    per_invoice_fee, n_invoices : float, int
        Per-invoice handling fee and number of invoices assigned.
    contract_type : str, default "classic"
        A row of :func:`factoring_contracts`.
    days : int, default 365
        Length of the period in days; the financing commission counts ``days / 360``.

    Returns
    -------
    FactoringCost
        ``total_cost``, ``cost_share_of_sales`` (total / factored sales) and
        ``effective_annual_rate`` (total / average amount drawn, annualised by 365 / days;
        NaN when nothing is drawn).

    Notes
    -----
    DOMAIN.md §9. Factoexpert example: 500 000 € at DSO 60 → outstanding 82 191.78 €, 90 %
    available = 73 972.60 € (the source rounds it to 75 000 €); commission 0.9 % = 4 500 €;
    financing 3.2 % — the source computes 75 000 × 3.2 % = 2 400 € for the year; with the
    days/360 convention over 365 days the exact figure is 73 972.60 × 3.2 % × 365/360 =
    2 400.00 € too (the 365 of the DSO and of the year cancel out), whereas 73 972.60 × 3.2 %
    = 2 367 € ignores the /360 convention. Total 6 900 € = 1.38 % of factored sales; at 70 %
    usage 1 680 € of financing, total 6 180 € (source: 1.7 k€ and 6.2 k€, rounded).
    """
    feat = _contract(contract_type)
    features = {f: bool(feat[f]) for f in FACTORING_FEATURES}
    s = c.scalar("factored_sales_ttc", factored_sales_ttc, lo=0.0)
    dso = c.scalar("dso_days", dso_days, lo=0.0, hi=3650.0)
    com = c.scalar("commission_rate", commission_rate, lo=0.0, hi=0.2,
                   fix="give the commission as a fraction of TTC sales, e.g. 0.009 for 0.9 %")
    mrg = c.scalar("margin", margin, lo=0.0, hi=1.0,
                   fix="give the margin over the index as a fraction >= 0, e.g. 0.03")
    idx = c.scalar("index_rate", index_rate, lo=0.0, hi=1.0,
                   fix="factoring contracts floor a negative Euribor at 0: pass 0")
    fund = c.scalar("guarantee_fund_rate", guarantee_fund_rate, lo=0.0, hi=1.0, hi_open=True,
                    fix="give the holdback as a fraction, e.g. 0.10")
    if usage is None:
        u = 1.0 if features["financing"] else 0.0
    else:
        u = c.scalar("usage", usage, lo=0.0, hi=1.0, fix="give usage as a fraction in [0, 1]")
        if u > 0 and not features["financing"]:
            raise InputError("usage", f"0 for a {contract_type!r} contract (no financing)", u,
                             "use a contract type with financing, or usage=0")
    min_com = c.scalar("minimum_commission", minimum_commission, lo=0.0)
    fees = c.scalar("fixed_fees", fixed_fees, lo=0.0)
    per_inv = c.scalar("per_invoice_fee", per_invoice_fee, lo=0.0)
    if isinstance(n_invoices, bool) or not isinstance(n_invoices, (int, np.integer)) or \
            n_invoices < 0:
        raise InputError("n_invoices", "a whole number >= 0", n_invoices)
    if isinstance(days, bool) or not isinstance(days, (int, np.integer)) or not 1 <= days <= 3650:
        raise InputError("days", "a whole number of days in [1, 3650]", days,
                         "365 for a year")
    outstanding = s * dso / 365.0
    withheld = outstanding * fund if features["financing"] else 0.0
    financeable = outstanding - withheld if features["financing"] else 0.0
    drawn = financeable * u
    rate = idx + mrg
    commission = max(com * s, min_com)
    financing = drawn * rate * days / 360.0
    other = fees + per_inv * n_invoices
    total = commission + financing + other
    table = pd.Series({
        "outstanding": outstanding, "guarantee_fund": withheld, "financeable": financeable,
        "drawn": drawn, "factoring_commission": commission, "financing_commission": financing,
        "fees": other, "total_cost": total,
        "cost_share_of_sales": float(c.safe_div(total, s)),
        "effective_annual_rate": float(c.safe_div(total * 365.0 / days, drawn)),
    }, dtype="float64")
    return FactoringCost(contract_type=contract_type, factored_sales_ttc=s, dso_days=dso,
                         financing_rate=rate, usage=u, days=int(days), features=features,
                         table=table)


def compare_financing(factoring: FactoringCost, *, overdraft_rate: float,
                      overdraft_fees: float = 0.0,
                      insurance: CreditInsurancePolicy | Mapping | None = None,
                      insured_turnover: float | None = None,
                      inhouse_collection_cost: float = 0.0) -> pd.DataFrame:
    """Factoring against a bank overdraft of the same amount, with and without credit insurance.

    Parameters
    ----------
    factoring : FactoringCost
        Result of :func:`factoring_cost`; its amount drawn and period are reused.
    overdraft_rate : float
        All-in annual rate of the overdraft (fraction), counted ``days / 360``.
    overdraft_fees : float, default 0
        Commitment / highest-overdraft commissions for the period (euros).
    insurance : CreditInsurancePolicy or dict, optional
        Adds the row "overdraft + credit insurance" (premium on ``insured_turnover``).
    insured_turnover : float, optional
        Premium base (euros), required with ``insurance``: the insurable turnover declared to
        the insurer, excl. VAT (CA assurable HT), not the factored sales TTC.
    inhouse_collection_cost : float, default 0
        Yearly cost of doing dunning and collection in-house (euros): what factoring with
        collection by the factor saves. Added to the overdraft rows and to the factoring row
        when the contract leaves collection to the client.

    Returns
    -------
    DataFrame
        Index = option code (``factoring``, ``overdraft``, ``overdraft_insurance``), columns
        ``financing_cost, commission_and_fees, insurance_premium,
        inhouse_collection_cost, total, share_of_sales`` and what the option covers:
        ``financing, guarantee, collection`` (booleans).

    Notes
    -----
    The options do not buy the same thing: factoring includes collection and (except a
    collection mandate) the bad-debt guarantee; an overdraft only finances. Compare totals of
    options that cover the same needs (DOMAIN.md §9, factoexpert compares factoring with
    credit insurance on the same basis).
    """
    if not isinstance(factoring, FactoringCost):
        raise InputError("factoring", "a FactoringCost (factoring_cost(...))",
                         type(factoring).__name__)
    od = c.scalar("overdraft_rate", overdraft_rate, lo=0.0, hi=1.0,
                  fix="give the overdraft rate as a fraction, e.g. 0.06")
    od_fees = c.scalar("overdraft_fees", overdraft_fees, lo=0.0)
    inhouse = c.scalar("inhouse_collection_cost", inhouse_collection_cost, lo=0.0)
    f = factoring
    t = f.table
    od_cost = float(t["drawn"]) * od * f.days / 360.0
    rows = {
        "factoring": {
            "financing_cost": float(t["financing_commission"]),
            "commission_and_fees": float(t["factoring_commission"] + t["fees"]),
            "insurance_premium": 0.0,
            "inhouse_collection_cost": 0.0 if f.features["collection_by_factor"] else inhouse,
            "financing": f.features["financing"], "guarantee": f.features["guarantee"],
            "collection": f.features["collection_by_factor"]},
        "overdraft": {
            "financing_cost": od_cost, "commission_and_fees": od_fees, "insurance_premium": 0.0,
            "inhouse_collection_cost": inhouse,
            "financing": True, "guarantee": False, "collection": False},
    }
    if insurance is not None:
        p = _policy(insurance)
        if insured_turnover is None:
            raise InputError("insured_turnover", "the turnover declared to the insurer (euros)",
                             None, "pass insured_turnover=... with insurance=...")
        prem = float(p.premium(c.scalar("insured_turnover", insured_turnover, lo=0.0)))
        rows["overdraft_insurance"] = {
            "financing_cost": od_cost, "commission_and_fees": od_fees, "insurance_premium": prem,
            "inhouse_collection_cost": inhouse,
            "financing": True, "guarantee": True, "collection": False}
    out = pd.DataFrame.from_dict(rows, orient="index")
    money = ["financing_cost", "commission_and_fees", "insurance_premium",
             "inhouse_collection_cost"]
    out["total"] = out[money].sum(axis=1)
    out["share_of_sales"] = c.safe_div(out["total"].to_numpy(), f.factored_sales_ttc)
    out = out[[*money, "total", "share_of_sales", "financing", "guarantee", "collection"]]
    out.index.name = "option"
    return out
