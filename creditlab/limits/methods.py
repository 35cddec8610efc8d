"""Credit-limit methods (DOMAIN.md §5), their combination, rating adjustment and review schedule.

There is no legal formula for a credit limit: the practice combines a *commercial need* with
*capacity caps* computed from the customer's accounts and our own exposure policy, applies a
*risk-class coefficient*, and keeps the most restrictive result (DOMAIN.md §5.2). Each method is
switched on or off and parameterised in a :class:`~creditlab.limits.policy.CreditPolicy`.

Everything is vectorised over customers: one row per customer in, one row per customer out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from creditlab._checks import as_date_column, as_of_date
from creditlab._drawing import drawn_by
from creditlab._results import Result
from creditlab.exceptions import InputError
from creditlab.i18n import check_lang
from creditlab.labels import label_view, text
from creditlab.limits.policy import CAPACITY_METHODS, CLASSES, CreditPolicy
from creditlab.limits.words import limit_words
from creditlab.receivables import resolve_items

__all__ = [
    "LIMIT_INPUTS",
    "LIMIT_COLUMN_LABELS",
    "METHOD_LABELS",
    "commercial_need",
    "capacity_caps",
    "propose_limits",
    "limit_inputs",
    "statement_aggregates",
    "LimitProposal",
]

#: Columns :func:`propose_limits` reads (one row per customer, index = customer_id).
LIMIT_INPUTS: dict[str, str] = {
    "monthly_sales_ttc": "expected monthly sales to the customer, incl. VAT (EUR) — required",
    "payment_terms": "payment-term code (customers.payment_terms); or give term_days",
    "term_days": "average days from invoice to due date (overrides payment_terms)",
    "rating_class": "internal risk class 1 (best) ... 4 (worst); empty = policy's unrated class",
    "equity": "capitaux propres (EUR)",
    "intangible_assets": "immobilisations incorporelles (EUR), for the tangible net worth",
    "working_capital": "fonds de roulement net global (EUR)",
    "turnover_ht": "customer's turnover excl. VAT (EUR)",
    "purchases_ht": "customer's purchases + external charges excl. VAT (EUR)",
    "sector": "sector group (customers.sector), for the sector method",
    "insurer_agreement": "credit insurer's agreement (EUR); 0 = cancelled; empty = not insured",
    "open_receivables": "open receivables TTC (AFDCC EF)",
    "shipped_not_invoiced": "shipped not invoiced TTC (AFDCC FAE)",
    "orders_accepted": "orders accepted not shipped TTC (AFDCC EC)",
    "avg_days_late": "average days late at payment (AFDCC CCP)",
    "credit_limit": "current credit limit (EUR), shown next to the proposal",
    "last_review": "date of the last limit review (next review counted from it)",
}

#: French / English names of the methods (the binding constraint).
METHOD_LABELS = label_view("limit_method")

#: French / English labels of the columns of :class:`LimitProposal` tables.
LIMIT_COLUMN_LABELS = label_view("limit_column")

_FINANCIAL_METHODS = ("net_worth", "working_capital", "turnover", "purchases")


def _col(df: pd.DataFrame, name: str) -> pd.Series:
    """A numeric column, or all-NaN when absent."""
    if name not in df.columns:
        return pd.Series(np.nan, index=df.index, dtype="float64")
    s = df[name]
    if s.dtype == bool or not (pd.api.types.is_numeric_dtype(s) or s.isna().all()):
        raise InputError(f"inputs.{name}", "numbers (euros or days)", str(s.dtype),
                         "convert with pd.to_numeric")
    return s.astype("float64")


def _classes(inputs: pd.DataFrame, policy: CreditPolicy) -> pd.Series:
    unrated = int(policy.get("classes.unrated"))
    if "rating_class" not in inputs.columns:
        return pd.Series(unrated, index=inputs.index, dtype="int64")
    raw = pd.to_numeric(inputs["rating_class"], errors="coerce").astype("float64")
    bad = raw.notna() & ~raw.isin(CLASSES)
    bad |= inputs["rating_class"].notna() & raw.isna()
    if bad.any():
        raise InputError("inputs.rating_class", f"a class in {CLASSES} or empty",
                         inputs.loc[bad, "rating_class"].head(5).to_dict(),
                         "map external ratings to the internal classes first")
    return raw.fillna(unrated).astype("int64")


def _term_days(inputs: pd.DataFrame, policy: CreditPolicy) -> pd.Series:
    table = policy.term_days
    if "term_days" in inputs.columns:
        days = _col(inputs, "term_days")
    else:
        days = pd.Series(np.nan, index=inputs.index, dtype="float64")
    if "payment_terms" in inputs.columns:
        codes = inputs["payment_terms"]
        mapped = codes.map(table).astype("float64")
        unknown = codes.notna() & mapped.isna()
        if unknown.any():
            raise InputError("inputs.payment_terms", f"a payment-term code in {sorted(table)}",
                             codes[unknown].head(5).to_dict(),
                             "add the code to need.term_days in the policy")
        days = days.fillna(mapped)
    missing = days.isna()
    if missing.any():
        raise InputError("inputs.payment_terms", "payment terms for every customer",
                         f"missing for {list(days.index[missing][:5])}",
                         "fill customers.payment_terms (or a term_days column)")
    if (days < 0).any():
        raise InputError("inputs.term_days", "days >= 0", days[days < 0].head(5).to_dict())
    return days


def _nonneg(s: pd.Series, name: str) -> pd.Series:
    if (s < 0).any():
        raise InputError(f"inputs.{name}", "amounts >= 0", s[s < 0].head(5).to_dict(),
                         "check the sign convention (amounts are positive)")
    return s


def commercial_need(inputs: pd.DataFrame, policy: CreditPolicy | None = None) -> pd.Series:
    """Commercial need (besoin commercial) per customer, TTC euros.

    ``monthly_sales`` method: ``monthly_sales_ttc × (term_days + billing_lag_days) / 30``.
    ``afdcc`` method: ``(EC + FAE + EF) × CDP × CCP`` with EC = orders accepted not shipped,
    FAE = shipped not invoiced, EF = open receivables (negative balances count 0), CDP the
    payment-term coefficient and CCP the payment-behaviour coefficient (1 when unknown).

    Source: DOMAIN.md §5.1-5.2; AFDCC https://www.afdcc.fr/assiette-de-calcul-dune-limite-de-
    credit-etat-de-lart/ (the coefficient values are the policy's, ours by default).
    """
    policy = policy or CreditPolicy.load()
    term = _term_days(inputs, policy)
    if policy.get("need.method") == "monthly_sales":
        if "monthly_sales_ttc" not in inputs.columns:
            raise InputError("inputs.monthly_sales_ttc", "a column of expected monthly sales TTC",
                             "missing", "build the inputs with creditlab.limits.limit_inputs")
        monthly = _nonneg(_col(inputs, "monthly_sales_ttc").fillna(0.0), "monthly_sales_ttc")
        lag = float(policy.get("need.billing_lag_days"))
        return (monthly * (term + lag) / 30.0).rename("need")
    ec = _col(inputs, "orders_accepted").fillna(0.0).clip(lower=0)
    fae = _col(inputs, "shipped_not_invoiced").fillna(0.0).clip(lower=0)
    ef = _col(inputs, "open_receivables").fillna(0.0).clip(lower=0)
    cdp_table = {k: float(v) for k, v in policy.get("need.afdcc.cdp").items()}
    if "payment_terms" in inputs.columns:
        cdp = inputs["payment_terms"].map(cdp_table).astype("float64").fillna(1.0)
    else:
        cdp = pd.Series(1.0, index=inputs.index)
    bounds = policy.get("need.afdcc.ccp_days_late")
    coefs = np.asarray(policy.get("need.afdcc.ccp"), dtype="float64")
    late = _col(inputs, "avg_days_late")
    pos = np.searchsorted(np.asarray(bounds, dtype="float64"), late.to_numpy(), side="left")
    ccp = pd.Series(np.where(late.isna(), 1.0, coefs[np.minimum(pos, len(coefs) - 1)]),
                    index=inputs.index)
    return ((ec + fae + ef) * cdp * ccp).rename("need")


def capacity_caps(inputs: pd.DataFrame, policy: CreditPolicy | None = None, *,
                  own_annual_sales_ttc: float | None = None) -> pd.DataFrame:
    """Every enabled capacity cap per customer (columns = method names, NaN = not available).

    - ``net_worth``: k(class) × equity, or × (equity − intangible assets) for the tangible basis;
      a negative net worth gives 0.
    - ``working_capital``: k × max(FRNG, 0).
    - ``turnover`` / ``purchases``: k(class) × the customer's turnover / purchases HT.
    - ``concentration``: k × our own annual sales TTC (default: 12 × Σ monthly_sales_ttc).
    - ``sector``: 12 × monthly sales × sector days / 365.
    - ``no_financials``: a fixed cap, only for customers with no financial method available.

    Source: DOMAIN.md §5.1 (mydsomanager, leanpay, legifiscal, autoprestige; values are the
    policy's).
    """
    policy = policy or CreditPolicy.load()
    cls = _classes(inputs, policy)
    caps: dict[str, pd.Series] = {}
    if policy.enabled("net_worth"):
        k = cls.map(policy.class_map("methods.net_worth.k"))
        base = _col(inputs, "equity")
        if policy.get("methods.net_worth.basis") == "tangible":
            base = base - _col(inputs, "intangible_assets").fillna(0.0)
        caps["net_worth"] = k * base.clip(lower=0)
    if policy.enabled("working_capital"):
        caps["working_capital"] = (float(policy.get("methods.working_capital.k"))
                                   * _col(inputs, "working_capital").clip(lower=0))
    if policy.enabled("turnover"):
        k = cls.map(policy.class_map("methods.turnover.k"))
        caps["turnover"] = k * _nonneg(_col(inputs, "turnover_ht"), "turnover_ht")
    if policy.enabled("purchases"):
        k = cls.map(policy.class_map("methods.purchases.k"))
        caps["purchases"] = k * _nonneg(_col(inputs, "purchases_ht"), "purchases_ht")
    monthly = _col(inputs, "monthly_sales_ttc").fillna(0.0)
    if policy.enabled("concentration"):
        own = own_annual_sales_ttc
        if own is None:
            own = float(12.0 * monthly.clip(lower=0).sum())
        if isinstance(own, bool) or not isinstance(own, (int, float)) or own < 0:
            raise InputError("own_annual_sales_ttc", "our own annual sales TTC (euros, >= 0)", own)
        caps["concentration"] = pd.Series(float(policy.get("methods.concentration.k")) * own,
                                          index=inputs.index)
    if policy.enabled("sector"):
        table = {k: float(v) for k, v in policy.get("methods.sector.days").items()}
        sector = (inputs["sector"] if "sector" in inputs.columns
                  else pd.Series(np.nan, index=inputs.index))
        caps["sector"] = 12.0 * monthly * sector.map(table).astype("float64") / 365.0
    if policy.enabled("no_financials"):
        fin = [caps[m] for m in _FINANCIAL_METHODS if m in caps]
        none = (pd.concat(fin, axis=1).notna().sum(axis=1) == 0 if fin
                else pd.Series(True, index=inputs.index))
        caps["no_financials"] = pd.Series(
            np.where(none, float(policy.get("methods.no_financials.cap")), np.nan),
            index=inputs.index)
    out = pd.DataFrame({m: caps[m] for m in CAPACITY_METHODS if m in caps}, index=inputs.index)
    return out.astype("float64")


def _months_ahead(dates: pd.Series, months: pd.Series) -> pd.Series:
    out = pd.Series(pd.NaT, index=dates.index, dtype="datetime64[ns]")
    for m in sorted(months.unique()):  # at most 4 classes
        sel = months == m
        out[sel] = dates[sel] + pd.DateOffset(months=int(m))
    return out


def propose_limits(inputs: pd.DataFrame, policy: CreditPolicy | None = None, *, as_of,
                   own_annual_sales_ttc: float | None = None) -> LimitProposal:
    """Propose a credit limit per customer, name the binding constraint and suggest a remedy.

    Steps (DOMAIN.md §5.2)::

        need       = commercial need (policy.need.method)
        capacity   = combination of the available capacity caps (policy.combination.rule)
        base       = min(need, capacity)          # binding = the smallest term
        acceptable = base × rating_coefficient(class)
        if insured_only: acceptable = min(acceptable, insurer_agreement + tolerance)
        proposed   = acceptable rounded down to policy.rounding.step

    With ``rule = "most_restrictive"`` the proposed limit is never above the need nor any single
    capacity cap (rating coefficients are <= 1 by construction of the policy).

    Parameters
    ----------
    inputs : DataFrame
        One row per customer (index = customer_id), columns of :data:`LIMIT_INPUTS`
        (build it with :func:`limit_inputs`). ``monthly_sales_ttc`` and the payment terms are
        required; missing financial columns make those methods unavailable for the customer.
    policy : CreditPolicy, optional
        Default: the bundled ``credit_policy_default.toml``.
    as_of : date-like
        Date of the proposal; the next review is counted from ``last_review`` or from it.
    own_annual_sales_ttc : float, optional
        Our own annual sales TTC for the concentration cap (default 12 × Σ monthly sales).

    Returns
    -------
    LimitProposal
        ``.table`` per customer, codes and numbers: ``rating_class, term_days, need,
        cap_<method>..., capacity, base, rating_coefficient, insurer_cap, proposed_limit,
        binding`` (code of the binding constraint), ``gap_to_need, remedy_codes`` (``;``-separated
        codes of :data:`~creditlab.limits.words.REMEDY_CODES`, first = suggested),
        ``insurance_topup`` (euros), ``shorter_terms_days``, ``deposit_share`` (fraction of the
        need), NaN where not suggested, ``next_review`` (+ ``credit_limit`` and ``change`` when
        the inputs have a current limit). The words (``binding_label``, ``remedy``,
        ``remedies``) are in :meth:`LimitProposal.in_words`.
    """
    policy = policy or CreditPolicy.load()
    asof = as_of_date(as_of)
    if not isinstance(inputs, pd.DataFrame) or len(inputs) == 0:
        raise InputError("inputs", "a non-empty DataFrame, one row per customer",
                         type(inputs).__name__, "build it with creditlab.limits.limit_inputs")
    if not inputs.index.is_unique:
        raise InputError("inputs.index", "one row per customer (unique customer_id)",
                         list(inputs.index[inputs.index.duplicated()][:5]))
    cls = _classes(inputs, policy)
    term = _term_days(inputs, policy)
    need = commercial_need(inputs, policy)
    caps = capacity_caps(inputs, policy, own_annual_sales_ttc=own_annual_sales_ttc)
    rule = policy.rule
    cap_values = caps.to_numpy()
    has_cap = np.isfinite(cap_values).any(axis=1) if caps.shape[1] else np.zeros(len(caps), bool)
    finite = np.where(np.isfinite(cap_values), cap_values, np.inf)
    if rule == "most_restrictive":
        if caps.shape[1]:
            capacity = np.where(has_cap, finite.min(axis=1), np.nan)
            cap_name = np.where(has_cap, caps.columns.to_numpy()[finite.argmin(axis=1)], "")
        else:
            capacity = np.full(len(caps), np.nan)
            cap_name = np.full(len(caps), "", dtype=object)
    else:
        weights = np.ones(caps.shape[1])
        if rule == "weighted":
            table = policy.get("combination.weights")
            weights = np.asarray([float(table.get(m, 1.0)) for m in caps.columns])
        w = np.where(np.isfinite(cap_values), weights[None, :], 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            capacity = np.where(has_cap, np.nansum(np.nan_to_num(cap_values) * w, axis=1)
                                / w.sum(axis=1), np.nan)
        cap_name = np.where(has_cap, "average_capacity" if rule == "average"
                            else "weighted_capacity", "")
    need_v = need.to_numpy()
    use_cap = np.isfinite(capacity) & (capacity < need_v)
    base = np.where(use_cap, capacity, need_v)
    binding = np.where(use_cap, cap_name, "need").astype(object)
    coef = cls.map(policy.class_map("rating_coefficient")).to_numpy()
    acceptable = base * coef
    agreement = _col(inputs, "insurer_agreement").to_numpy()
    insurer_cap = np.full(len(inputs), np.nan)
    if policy.enabled("insurer") and policy.get("methods.insurer.insured_only"):
        insurer_cap = agreement + float(policy.get("methods.insurer.self_retained_tolerance"))
        lower = np.isfinite(insurer_cap) & (insurer_cap < acceptable)
        acceptable = np.where(lower, insurer_cap, acceptable)
        binding = np.where(lower, "insurer", binding)
    binding = np.where(coef == 0, "rating_class", binding)
    step = float(policy.get("rounding.step"))
    proposed = np.floor(acceptable / step + 1e-9) * step if step > 0 else acceptable
    proposed = np.maximum(proposed, 0.0)
    gap = np.maximum(need_v - proposed, 0.0)

    table = pd.DataFrame({"rating_class": cls, "term_days": term, "need": need_v},
                         index=inputs.index)
    for m in caps.columns:
        table[f"cap_{m}"] = caps[m]
    table["capacity"] = capacity
    table["base"] = base
    table["rating_coefficient"] = coef
    table["insurer_cap"] = insurer_cap
    table["proposed_limit"] = proposed
    table["binding"] = pd.array(binding, dtype="str")
    table["gap_to_need"] = gap
    _remedies(table, inputs, policy, agreement)
    last = (as_date_column(inputs["last_review"], "inputs.last_review", allow_missing=True)
            if "last_review" in inputs.columns
            else pd.Series(pd.NaT, index=inputs.index, dtype="datetime64[ns]"))
    last = last.fillna(asof.normalize()).astype("datetime64[ns]")
    months = cls.map(policy.class_map("review.months")).astype("int64")
    table["next_review"] = _months_ahead(last, months)
    if "credit_limit" in inputs.columns:
        table["credit_limit"] = _col(inputs, "credit_limit")
        table["change"] = table["proposed_limit"] - table["credit_limit"]
    table.index.name = inputs.index.name or "customer_id"
    return LimitProposal(table=table, policy=policy, as_of=asof.normalize())


def _remedies(table: pd.DataFrame, inputs: pd.DataFrame, policy: CreditPolicy,
              agreement: np.ndarray) -> None:
    """Remedies when the proposed limit is below the need, as codes and amounts (in place):
    ``remedy_codes``, ``insurance_topup``, ``shorter_terms_days``, ``deposit_share``."""
    idx = table.index
    gap = table["gap_to_need"]
    need = table["need"]
    prop = table["proposed_limit"]
    lag = float(policy.get("need.billing_lag_days"))
    monthly = _col(inputs, "monthly_sales_ttc").fillna(0.0)
    short = gap > 0.005
    cash = short & (table["rating_coefficient"] == 0)
    agr = pd.Series(agreement, index=idx)
    topup_amt = (need - agr).clip(lower=0)
    topup = short & ~cash & agr.notna() & (topup_amt > 0.005)
    with np.errstate(divide="ignore", invalid="ignore"):
        new_terms = np.floor(prop * 30.0 / monthly.where(monthly > 0) - lag)
    terms_ok = short & ~cash & new_terms.notna() & (new_terms >= 0) & (
        new_terms < table["term_days"])
    guar = short & ~cash
    share = (gap / need.where(need > 0)).fillna(0.0)
    masks = {"cash": cash, "insurance_topup": topup, "shorter_terms": terms_ok,
             "guarantee": guar, "deposit": guar}
    codes = pd.Series("", index=idx, dtype=object)
    for code, mask in masks.items():  # five codes, vectorised over customers
        codes = codes.where(~mask.to_numpy(bool), codes + code + ";")
    table["remedy_codes"] = codes.str.rstrip(";").astype("str")
    table["insurance_topup"] = topup_amt.where(topup)
    table["shorter_terms_days"] = new_terms.where(terms_ok)
    table["deposit_share"] = share.where(guar)


@dataclass(frozen=True, eq=False)
class LimitProposal(Result):
    """Proposed credit limits per customer (``table``) with the policy that produced them.

    :meth:`summary` is in codes (the binding constraint: ``need``, ``insurer``...),
    :meth:`to_frame` in words (French by default); :meth:`in_words` is ``table`` with the
    binding constraint's name and the remedies in words.
    """

    table: pd.DataFrame
    policy: CreditPolicy
    as_of: pd.Timestamp

    def summary(self) -> pd.DataFrame:
        """Per binding constraint (codes, ``total`` row last): customers, Σ need, Σ proposed
        limit, Σ gap to need (euros)."""
        t = self.table
        g = t.groupby("binding")
        out = pd.DataFrame({"n_customers": g.size(), "need": g["need"].sum(),
                            "proposed_limit": g["proposed_limit"].sum(),
                            "gap_to_need": g["gap_to_need"].sum()})
        out.loc["total"] = [
            len(t), t["need"].sum(), t["proposed_limit"].sum(), t["gap_to_need"].sum()]
        out["n_customers"] = out["n_customers"].astype("int64")
        out.index.name = "binding"
        return out

    def to_frame(self, lang: str = "fr") -> pd.DataFrame:
        """:meth:`summary` in words (French by default)."""
        lang = check_lang(lang)
        out = self.summary()
        out.index = pd.Index([text("total", lang) if k == "total"
                              else METHOD_LABELS.get(k, {}).get(lang, k) for k in out.index],
                             name=LIMIT_COLUMN_LABELS["binding_label"][lang])
        out.columns = [LIMIT_COLUMN_LABELS[c][lang] for c in out.columns]
        return out

    def in_words(self, lang: str = "fr") -> pd.DataFrame:
        """``table`` with ``binding_label``, ``remedy`` and ``remedies`` in words
        (:func:`creditlab.limits.words.limit_words`; default French)."""
        return limit_words(self.table, lang)

    def shortfalls(self, n: int | None = None, lang: str = "fr") -> pd.DataFrame:
        """Customers whose proposed limit is below the need, largest gap first (binding
        constraint and remedy in words)."""
        t = self.in_words(lang)
        t = t[t["gap_to_need"] > 0.005].sort_values("gap_to_need", ascending=False)
        cols = ["rating_class", "need", "proposed_limit", "binding_label", "gap_to_need",
                "remedy"]
        return t[cols].head(n) if n else t[cols]

    #: Bars of the largest gaps between need and proposed limit
    #: (:func:`creditlab.plots.kpi.plot_limit_gap`); returns the Axes.
    plot_gap = drawn_by("creditlab.plots.kpi", "plot_limit_gap")

    def _repr_html_(self) -> str:
        return self.to_frame().to_html(float_format=lambda v: f"{v:,.0f}", escape=True)


# --------------------------------------------------------------------------------------------
# building the inputs from the canonical tables
# --------------------------------------------------------------------------------------------

def statement_aggregates(financial_statements: pd.DataFrame, as_of) -> pd.DataFrame:
    """Latest accounts closed on or before ``as_of`` per customer, as limit inputs.

    Columns: ``fiscal_year, equity, intangible_assets`` (gross: the table has no net
    intangible line — conservative for the tangible net worth), ``working_capital``
    (FRNG = equity + provisions for risks + long-term debt − net fixed assets, DOMAIN.md §0
    capitaux permanents − actif immobilisé), ``turnover_ht`` (sales of goods + production sold)
    and ``purchases_ht`` (purchases of goods and materials + external charges, leanpay's
    "achats + autres achats et charges externes").
    """
    need = ("customer_id", "fiscal_year", "fiscal_year_end", "equity", "intangible_assets_gross",
            "tangible_assets_gross", "financial_assets_gross", "depreciation_fixed_assets",
            "provisions_risks", "long_term_debt", "sales_goods", "production_sold",
            "purchases_goods", "purchases_materials", "external_charges")
    missing = [c for c in need if c not in financial_statements.columns]
    if missing:
        raise InputError("financial_statements", f"columns {list(need)}", f"missing {missing}",
                         "pass the canonical financial_statements table")
    asof = as_of_date(as_of)
    fs = financial_statements[financial_statements["fiscal_year_end"] <= asof]
    fs = fs.sort_values(["customer_id", "fiscal_year_end"]).drop_duplicates("customer_id",
                                                                             keep="last")
    fixed_net = (fs["intangible_assets_gross"] + fs["tangible_assets_gross"]
                 + fs["financial_assets_gross"] - fs["depreciation_fixed_assets"])
    out = pd.DataFrame({
        "fiscal_year": fs["fiscal_year"].to_numpy(),
        "equity": fs["equity"].to_numpy(),
        "intangible_assets": fs["intangible_assets_gross"].to_numpy(),
        "working_capital": (fs["equity"] + fs["provisions_risks"] + fs["long_term_debt"]
                            - fixed_net).to_numpy(),
        "turnover_ht": (fs["sales_goods"] + fs["production_sold"]).to_numpy(),
        "purchases_ht": (fs["purchases_goods"] + fs["purchases_materials"]
                         + fs["external_charges"]).to_numpy(),
    }, index=pd.Index(fs["customer_id"].to_numpy(), name="customer_id"))
    return out


def limit_inputs(customers: pd.DataFrame, invoices: pd.DataFrame, as_of=None, *,
                 financial_statements: pd.DataFrame | None = None,
                 items=None, orders: pd.DataFrame | None = None,
                 behaviour: pd.DataFrame | None = None, ratings: pd.Series | None = None,
                 sales_months: int = 12) -> pd.DataFrame:
    """Assemble the per-customer inputs of :func:`propose_limits` from the canonical tables.

    Parameters
    ----------
    customers, invoices : DataFrame
        Canonical tables. Expected monthly sales = TTC sales of the last ``sales_months`` months
        up to ``as_of`` / ``sales_months``.
    as_of : date-like
        Date of the inputs. Required, except when ``items`` are OpenItems: then it is their
        date (a different ``as_of`` is an error).
    financial_statements : DataFrame, optional
        Latest accounts closed on or before ``as_of`` (see :func:`statement_aggregates`).
    items : OpenItems or DataFrame, optional
        Open items at ``as_of`` (``Ledger.at(as_of)`` or ``creditlab.receivables.open_items``)
        → ``open_receivables``.
    orders : DataFrame, optional
        Canonical orders → ``shipped_not_invoiced`` and ``orders_accepted``.
    behaviour : DataFrame, optional
        ``creditlab.receivables.payment_behaviour`` output → ``avg_days_late``.
    ratings : Series, optional
        Internal risk class (1-4) by customer_id.
    """
    for col in ("customer_id", "payment_terms"):
        if col not in customers.columns:
            raise InputError("customers", f"a column {col!r}", "missing",
                             "pass the canonical customers table")
    if items is not None:
        items, asof = resolve_items(items, as_of)
    else:
        asof = as_of_date(as_of)
    cust = customers.drop_duplicates("customer_id").set_index("customer_id")
    out = pd.DataFrame(index=pd.Index(cust.index, name="customer_id"))
    start = asof - pd.DateOffset(months=int(sales_months))
    inv = invoices[(invoices["issue_date"] > start) & (invoices["issue_date"] <= asof)]
    sales = inv.groupby("customer_id")["amount_ttc"].sum()
    out["monthly_sales_ttc"] = (sales.reindex(out.index).fillna(0.0) / sales_months).clip(lower=0)
    for col in ("payment_terms", "sector", "credit_limit", "insurer_agreement"):
        if col in cust.columns:
            out[col] = cust[col]
    if financial_statements is not None:
        agg = statement_aggregates(financial_statements, asof)
        out = out.join(agg.drop(columns=["fiscal_year"]), how="left")
    if items is not None:
        out["open_receivables"] = items.groupby("customer_id")["open_amount"].sum().reindex(
            out.index).fillna(0.0)
    if orders is not None:
        o = orders[orders["order_date"] <= asof]
        shipped = o["status"].eq("shipped")
        if "ship_date" in o.columns:
            shipped &= o["ship_date"].isna() | (o["ship_date"] <= asof)
        out["shipped_not_invoiced"] = o[shipped].groupby("customer_id")["amount_ttc"].sum() \
            .reindex(out.index).fillna(0.0)
        out["orders_accepted"] = o[~shipped].groupby("customer_id")["amount_ttc"].sum() \
            .reindex(out.index).fillna(0.0)
    if behaviour is not None and "avg_days_late" in behaviour.columns:
        out["avg_days_late"] = behaviour["avg_days_late"].reindex(out.index)
    if ratings is not None:
        out["rating_class"] = pd.to_numeric(pd.Series(ratings), errors="coerce").astype(
            "float64").reindex(out.index)
    return out
