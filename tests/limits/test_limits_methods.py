"""Credit-limit methods, combination, rating adjustment, review schedule (DOMAIN.md §5)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creditlab.exceptions import InputError
from creditlab.limits import (
    CreditPolicy,
    capacity_caps,
    commercial_need,
    limit_inputs,
    propose_limits,
    statement_aggregates,
)

ASOF = pd.Timestamp("2025-12-31")


def t19_policy() -> CreditPolicy:
    """The mydsomanager / etrepaye setting of T19: 35 % of TNW and 5 % of turnover for the
    customer's grade, no other cap, no rating haircut, no rounding."""
    return CreditPolicy.load().updated({
        "methods": {"net_worth": {"k": {"2": 0.35}}, "turnover": {"k": {"2": 0.05}},
                    "concentration": {"enabled": False}},
        "rating_coefficient": {"2": 1.0}, "rounding": {"step": 0.0}})


def t19_inputs() -> pd.DataFrame:
    # need 50 000 € = monthly sales × (60 + 30) / 30 → monthly sales 16 666.67
    return pd.DataFrame({"monthly_sales_ttc": [50_000 / 3], "payment_terms": ["net_60"],
                         "equity": [80_000.0], "turnover_ht": [700_000.0], "rating_class": [2]},
                        index=pd.Index(["X"], name="customer_id"))


def test_t19_most_restrictive_is_net_worth():
    """T19 — DOMAIN.md §5.2 / §12 (mydsomanager, Bertrand Mazuir's etrepaye tool): need 50 000 €,
    TNW 80 000 € × 35 % = 28 000, turnover 700 000 € × 5 % = 35 000 → limit 28 000 €, binding
    constraint = % of net worth. https://www.mydsomanager.com/online-help.php?question=34"""
    prop = propose_limits(t19_inputs(), t19_policy(), as_of=ASOF)
    codes = prop.table.loc["X"]
    assert codes["remedy_codes"] == "shorter_terms;guarantee;deposit"
    assert codes["shorter_terms_days"] == 20 and codes["deposit_share"] == pytest.approx(0.44)
    assert np.isnan(codes["insurance_topup"])
    assert not {"binding_label", "remedy", "remedies"} & set(prop.table)
    row = prop.in_words().loc["X"]
    assert row["need"] == pytest.approx(50_000.0)
    assert row["cap_net_worth"] == pytest.approx(28_000.0)
    assert row["cap_turnover"] == pytest.approx(35_000.0)
    assert row["proposed_limit"] == pytest.approx(28_000.0)
    assert row["binding"] == "net_worth"
    assert row["binding_label"] == "% des fonds propres"
    assert row["gap_to_need"] == pytest.approx(22_000.0)
    # the remedy names the shorter terms that would fit: 28 000 × 30 / 16 666.67 − 30 = 20 days
    assert "20 jours" in row["remedy"]
    assert "garantie" in row["remedies"] and "acompte" in row["remedies"]


def test_default_policy_applies_rating_coefficient_and_rounding():
    # class 2 coefficient 0.75 (DOMAIN.md §5.1, illustrative) → 28 000 × 0.75 = 21 000
    pol = CreditPolicy.load().updated({"methods": {"concentration": {"enabled": False}}})
    row = propose_limits(t19_inputs(), pol, as_of=ASOF).table.loc["X"]
    assert row["proposed_limit"] == pytest.approx(21_000.0)
    assert row["binding"] == "net_worth"
    inp = t19_inputs().assign(equity=80_333.0)  # 0.35 × 80 333 × 0.75 = 21 087.4 → 21 000
    row = propose_limits(inp, pol, as_of=ASOF).table.loc["X"]
    assert row["proposed_limit"] == pytest.approx(21_000.0)


def test_class_4_is_cash_only_and_review_schedule():
    inp = pd.concat([t19_inputs().assign(rating_class=c).rename(index={"X": f"C{c}"})
                     for c in (1, 2, 3, 4)])
    prop = propose_limits(inp, as_of=ASOF)
    t = prop.in_words()
    assert t.loc["C4", "remedy_codes"] == "cash"
    assert t.loc["C4", "proposed_limit"] == 0.0
    assert t.loc["C4", "binding"] == "rating_class"
    assert "comptant" in t.loc["C4", "remedy"]
    assert (t["proposed_limit"].diff().dropna() <= 0).all()  # worse class, lower limit
    # review months by class (policy [review]): 12, 12, 6, 3
    assert list(t["next_review"]) == [pd.Timestamp("2026-12-31"), pd.Timestamp("2026-12-31"),
                                      pd.Timestamp("2026-06-30"), pd.Timestamp("2026-03-31")]
    inp2 = inp.assign(last_review=pd.Timestamp("2025-10-15"))
    assert propose_limits(inp2, as_of=ASOF).table.loc["C3", "next_review"] == pd.Timestamp(
        "2026-04-15")


def test_need_methods():
    # monthly_sales: monthly × (terms + lag) / 30 (DOMAIN.md §5.2)
    inp = pd.DataFrame({"monthly_sales_ttc": [30_000.0, 30_000.0],
                        "payment_terms": ["eom45_a", "cash"]}, index=["a", "b"])
    need = commercial_need(inp)
    assert need["a"] == pytest.approx(30_000 * (60 + 30) / 30)
    assert need["b"] == pytest.approx(30_000 * 1.0)
    # AFDCC variant: (EC + FAE + EF) × CDP × CCP (https://www.afdcc.fr/assiette-de-calcul-...)
    afdcc = CreditPolicy.load().updated({"need": {"method": "afdcc"}})
    inp = pd.DataFrame({"payment_terms": ["eom45_a", "net_30", "net_30"],
                        "orders_accepted": [1_000.0, 1_000.0, 1_000.0],
                        "shipped_not_invoiced": [2_000.0, 2_000.0, 2_000.0],
                        "open_receivables": [7_000.0, 7_000.0, -500.0],
                        "avg_days_late": [-3.0, 40.0, np.nan]}, index=["a", "b", "c"])
    need = commercial_need(inp, afdcc)
    assert need["a"] == pytest.approx(10_000 * 1.1 * 1.1)  # eom CDP 1.1, early payer CCP 1.1
    assert need["b"] == pytest.approx(10_000 * 1.0 * 0.8)  # 40 days late → CCP 0.8
    assert need["c"] == pytest.approx(3_000 * 1.0 * 1.0)   # credit balance counts 0


def test_capacity_methods_each_configurable():
    pol = CreditPolicy.load().updated({"methods": {
        "working_capital": {"enabled": True}, "purchases": {"enabled": True},
        "sector": {"enabled": True}, "net_worth": {"basis": "tangible"}}})
    inp = pd.DataFrame({"monthly_sales_ttc": [10_000.0, 10_000.0],
                        "payment_terms": ["net_60", "net_60"], "rating_class": [1, 3],
                        "equity": [100_000.0, -20_000.0], "intangible_assets": [20_000.0, 0.0],
                        "working_capital": [50_000.0, -10_000.0],
                        "turnover_ht": [1_000_000.0, 500_000.0],
                        "purchases_ht": [600_000.0, 300_000.0],
                        "sector": ["construction", "unknown"]}, index=["a", "b"])
    caps = capacity_caps(inp, pol, own_annual_sales_ttc=2_000_000.0)
    assert caps.loc["a", "net_worth"] == pytest.approx(0.50 * 80_000)  # tangible, class 1
    assert caps.loc["b", "net_worth"] == 0.0  # negative net worth → no capacity
    assert caps.loc["a", "working_capital"] == pytest.approx(5_000.0)
    assert caps.loc["b", "working_capital"] == 0.0
    assert caps.loc["a", "turnover"] == pytest.approx(100_000.0)
    assert caps.loc["b", "turnover"] == pytest.approx(0.025 * 500_000)
    assert caps.loc["a", "purchases"] == pytest.approx(60_000.0)
    assert caps.loc["a", "concentration"] == pytest.approx(100_000.0)  # 5 % of own sales
    assert caps.loc["a", "sector"] == pytest.approx(120_000 * 70 / 365)
    assert np.isnan(caps.loc["b", "sector"])  # unknown sector → method not available
    assert caps["no_financials"].isna().all()  # both have accounts
    equity_basis = pol.updated({"methods": {"net_worth": {"basis": "equity"}}})
    assert capacity_caps(inp, equity_basis).loc["a", "net_worth"] == pytest.approx(50_000.0)


def test_no_financials_cap_and_default_concentration():
    inp = pd.DataFrame({"monthly_sales_ttc": [50_000.0, 5_000.0],
                        "payment_terms": ["net_30", "net_30"]}, index=["a", "b"])
    prop = propose_limits(inp, as_of=ASOF)
    t = prop.table
    # no accounts: 10 000 € cap (policy), × 0.75 for the unrated (class 2) customer
    assert t.loc["a", "cap_no_financials"] == 10_000.0
    assert t.loc["a", "binding"] == "no_financials"
    assert t.loc["a", "proposed_limit"] == pytest.approx(7_500.0)
    # concentration: 5 % × 12 × (50 000 + 5 000)
    assert t.loc["a", "cap_concentration"] == pytest.approx(0.05 * 12 * 55_000)
    assert t.loc["b", "binding"] == "need"


def test_combination_rules_and_insurer():
    inp = t19_inputs()
    avg = t19_policy().updated({"combination": {"rule": "average"}})
    row = propose_limits(inp, avg, as_of=ASOF).table.loc["X"]
    assert row["proposed_limit"] == pytest.approx((28_000 + 35_000) / 2)
    assert row["binding"] == "average_capacity"
    w = t19_policy().updated({"combination": {"rule": "weighted"}})  # net worth weight 2
    row = propose_limits(inp, w, as_of=ASOF).table.loc["X"]
    assert row["proposed_limit"] == pytest.approx((2 * 28_000 + 35_000) / 3)
    ins = t19_policy().updated({"methods": {"insurer": {"insured_only": True,
                                                        "self_retained_tolerance": 2_000.0}}})
    prop = propose_limits(inp.assign(insurer_agreement=15_000.0), ins, as_of=ASOF)
    assert prop.table.loc["X", "insurance_topup"] == pytest.approx(35_000.0)
    row = prop.in_words().loc["X"]
    assert row["proposed_limit"] == pytest.approx(17_000.0)
    assert row["binding"] == "insurer"
    assert "complément d'assurance de 35 000" in row["remedies"].replace("\u202f", " ")
    en = propose_limits(inp, t19_policy(), as_of=ASOF).in_words("en").loc["X"]
    assert en["remedy"] == "shorter terms: payment within 20 days at most"
    with pytest.raises(TypeError):
        propose_limits(inp, t19_policy(), as_of=ASOF, lang="en")  # words: in_words(lang)
    assert en["binding_label"] == "% of net worth" and "guarantee" in en["remedies"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 200_000), st.sampled_from(["net_30", "net_60", "cash",
                                                                   "eom45_b"]),
                          st.one_of(st.none(), st.floats(-50_000, 2_000_000)),
                          st.one_of(st.none(), st.floats(0, 20_000_000)),
                          st.one_of(st.none(), st.integers(1, 4)),
                          st.one_of(st.none(), st.floats(0, 500_000))),
                min_size=1, max_size=6),
       st.booleans(), st.booleans())
def test_most_restrictive_never_above_any_single_cap(rows, insured_only, wc):
    """Property (issue #5): with rule = most_restrictive the proposed limit is never above the
    need nor any single method's cap (nor the insurer cap when insured_only)."""
    inp = pd.DataFrame(rows, columns=["monthly_sales_ttc", "payment_terms", "equity",
                                      "turnover_ht", "rating_class", "insurer_agreement"],
                       index=[f"c{i}" for i in range(len(rows))])
    inp["working_capital"] = inp["equity"]
    pol = CreditPolicy.load().updated({"methods": {"insurer": {"insured_only": insured_only},
                                                   "working_capital": {"enabled": wc}}})
    t = propose_limits(inp, pol, as_of=ASOF).table
    caps = t[[c for c in t.columns if c.startswith("cap_")] + ["need", "insurer_cap"]]
    bound = caps.min(axis=1, skipna=True)
    assert (t["proposed_limit"] <= bound + 1e-6).all()
    assert (t["proposed_limit"] >= 0).all()
    assert (t["gap_to_need"] >= 0).all()


def test_bad_inputs():
    with pytest.raises(InputError, match="payment_terms"):
        propose_limits(t19_inputs().assign(payment_terms=None), as_of=ASOF)
    with pytest.raises(InputError, match="payment_terms"):
        propose_limits(t19_inputs().assign(payment_terms="net_90"), as_of=ASOF)
    with pytest.raises(InputError, match="rating_class"):
        propose_limits(t19_inputs().assign(rating_class=7), as_of=ASOF)
    with pytest.raises(InputError, match="monthly_sales_ttc"):
        propose_limits(t19_inputs().assign(monthly_sales_ttc=-1.0), as_of=ASOF)
    with pytest.raises(InputError, match="as_of"):
        propose_limits(t19_inputs(), as_of=None)
    with pytest.raises(InputError, match="inputs"):
        propose_limits(t19_inputs().iloc[:0], as_of=ASOF)
    with pytest.raises(InputError, match="turnover_ht"):
        propose_limits(t19_inputs().assign(turnover_ht=-5.0), as_of=ASOF)
    with pytest.raises(InputError, match="own_annual_sales_ttc"):
        capacity_caps(t19_inputs(), own_annual_sales_ttc=-1.0)
    nullable = t19_inputs().assign(rating_class=pd.array([pd.NA], dtype="Int64"))
    assert propose_limits(nullable, as_of=ASOF).table.loc["X", "rating_class"] == 2  # unrated
    # term_days given directly overrides the (missing) code
    inp = t19_inputs().drop(columns="payment_terms").assign(term_days=60.0)
    assert propose_limits(inp, t19_policy(), as_of=ASOF).table.loc["X", "proposed_limit"] == \
        pytest.approx(28_000.0)


def _fs(cid, year, **over):
    base = dict(customer_id=cid, fiscal_year=year, fiscal_year_end=pd.Timestamp(f"{year}-12-31"),
                equity=390_000.0, intangible_assets_gross=20_000.0,
                tangible_assets_gross=600_000.0, financial_assets_gross=10_000.0,
                depreciation_fixed_assets=300_000.0, provisions_risks=10_000.0,
                long_term_debt=150_000.0, sales_goods=400_000.0, production_sold=1_100_000.0,
                purchases_goods=260_000.0, purchases_materials=420_000.0,
                external_charges=250_000.0)
    base.update(over)
    return base


def test_limit_inputs_from_canonical_tables():
    customers = pd.DataFrame({"customer_id": ["A", "B"], "payment_terms": ["net_60", "net_30"],
                              "sector": ["industrie", "services"],
                              "credit_limit": [30_000.0, np.nan],
                              "insurer_agreement": [20_000.0, np.nan]})
    invoices = pd.DataFrame({"invoice_id": ["F1", "F2", "F3"], "customer_id": ["A", "A", "B"],
                             "issue_date": pd.to_datetime(["2024-11-30", "2025-03-01",
                                                           "2025-12-31"]),
                             "amount_ttc": [99_999.0, 120_000.0, 24_000.0]})
    fs = pd.DataFrame([_fs("A", 2023, equity=1.0), _fs("A", 2024), _fs("A", 2026)])
    items = pd.DataFrame({"customer_id": ["A", "A"], "open_amount": [5_000.0, -1_000.0]})
    orders = pd.DataFrame({"order_id": ["O1", "O2"], "customer_id": ["A", "B"],
                           "order_date": pd.to_datetime(["2025-12-01", "2025-12-20"]),
                           "amount_ttc": [3_000.0, 2_000.0], "status": ["shipped", "accepted"],
                           "ship_date": pd.to_datetime(["2025-12-05", None])})
    beh = pd.DataFrame({"avg_days_late": [12.0]}, index=pd.Index(["A"], name="customer_id"))
    inp = limit_inputs(customers, invoices, ASOF, financial_statements=fs, items=items,
                       orders=orders, behaviour=beh, ratings=pd.Series({"A": 1}))
    assert inp.loc["A", "monthly_sales_ttc"] == pytest.approx(10_000.0)  # F1 is too old
    assert inp.loc["B", "monthly_sales_ttc"] == pytest.approx(2_000.0)
    assert inp.loc["A", "equity"] == 390_000.0  # 2024 accounts (2026 not closed yet)
    # FRNG = equity + provisions + LT debt − net fixed assets (DOMAIN.md §0)
    assert inp.loc["A", "working_capital"] == pytest.approx(390_000 + 10_000 + 150_000 - 330_000)
    assert inp.loc["A", "turnover_ht"] == 1_500_000.0
    assert inp.loc["A", "purchases_ht"] == 930_000.0
    assert np.isnan(inp.loc["B", "equity"])
    assert inp.loc["A", "open_receivables"] == 4_000.0
    assert inp.loc["A", "shipped_not_invoiced"] == 3_000.0
    assert inp.loc["B", "orders_accepted"] == 2_000.0
    assert inp.loc["A", "rating_class"] == 1 and np.isnan(inp.loc["B", "rating_class"])
    assert inp.loc["A", "avg_days_late"] == 12.0
    prop = propose_limits(inp, as_of=ASOF)
    assert set(prop.table.index) == {"A", "B"}
    assert prop.table.loc["A", "change"] == pytest.approx(
        prop.table.loc["A", "proposed_limit"] - 30_000.0)
    s = prop.summary()  # codes
    assert s.loc["total", "n_customers"] == 2
    assert s.loc["total", "proposed_limit"] == pytest.approx(prop.table["proposed_limit"].sum())
    assert set(s.index) - {"total"} == set(prop.table["binding"])
    f = prop.to_frame()  # words
    assert f.loc["total", "clients"] == 2
    assert set(f.index) - {"total"} == set(prop.in_words()["binding_label"])
    assert "<table" in prop._repr_html_()
    with pytest.raises(InputError, match="financial_statements"):
        statement_aggregates(fs.drop(columns="equity"), ASOF)
    with pytest.raises(InputError, match="payment_terms"):
        limit_inputs(customers.drop(columns="payment_terms"), invoices, ASOF)
