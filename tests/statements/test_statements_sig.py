"""SIG chain, CAF (two methods), functional balance sheet and balance-sheet masses."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creditlab.exceptions import InputError, ValidationError
from creditlab.statements import (
    balance_masses,
    caf,
    functional_balance_sheet,
    sig,
)
from creditlab.statements._testing import make_statements, worked_example


# ----------------------------------------------------------------------------- worked example
def test_worked_example_aggregates_domain_1_4():
    """DOMAIN.md §1.4 (Conan-Holder worked example): EBE 120, VA 450, CA HT 1 500, charges de
    personnel 300; capitaux permanents 550, dettes totales 600, réalisable et disponible 350."""
    ex = worked_example()
    s = sig(ex).iloc[0]
    assert s["revenue"] == 1500
    assert s["value_added"] == 450
    assert s["personnel_charges"] == 300
    assert s["ebe"] == 120
    assert s["operating_result"] == 100
    assert s["financial_result"] == -15
    assert s["current_result_before_tax"] == 85
    assert s["net_income_computed"] == 50 and s["net_income_ok"]
    m = balance_masses(ex).iloc[0]
    assert m["permanent_capital"] == 550
    assert m["total_debt"] == 600
    assert m["quick_assets"] == 350
    assert m["working_capital"] == 200  # DOMAIN.md §4 worked example (WC 200)
    assert m["total_liabilities_excl_equity"] == 600  # DOMAIN.md §4 (TL 600)


def test_worked_example_functional_balance_sheet():
    """FRNG = ressources stables − emplois stables = (400 + 250 + 0 + 150) − 600 = 200;
    BFR = (300 + 250 + 0) − (250 + 100) + (50 − 50) = 200; TN = 50 − 50 = 0."""
    fb = functional_balance_sheet(worked_example()).iloc[0]
    assert fb["frng"] == 200
    assert fb["bfr_operating"] == 200
    assert fb["bfr_non_operating"] == 0
    assert fb["net_cash"] == 0
    assert fb["balance_ok"]


def test_worked_example_caf_both_methods():
    """CAF additive = 50 + 20 (dotations) = 70; subtractive = EBE 120 − 15 − 35 = 70."""
    c = caf(worked_example()).iloc[0]
    assert c["caf_additive"] == 70
    assert c["caf_subtractive"] == 70
    assert c["caf_gap"] == 0


# ------------------------------------------------------------- independent recomputation
def _independent_sig(fs: pd.DataFrame) -> pd.DataFrame:
    """Recompute from raw columns with the liasse grouping (2052/2053 totals), not the SIG
    chain: résultat d'exploitation = total produits d'exploitation − total charges
    d'exploitation; résultat net = total des produits − total des charges."""
    prod_expl = (fs.sales_goods + fs.production_sold + fs.production_stocked
                 + fs.production_capitalised + fs.operating_subsidies + fs.operating_reversals
                 + fs.other_operating_income)
    charges_expl = (fs.purchases_goods + fs.change_stock_goods + fs.purchases_materials
                    + fs.change_stock_materials + fs.external_charges + fs.taxes + fs.wages
                    + fs.social_charges + fs.operating_provisions + fs.other_operating_charges)
    prod_fin = fs.financial_income + fs.financial_reversals
    charges_fin = fs.interest_charges + fs.other_financial_charges + fs.financial_provisions
    prod_exc = (fs.exceptional_income + fs.asset_disposal_proceeds
                + fs.investment_subsidies_released + fs.exceptional_reversals)
    charges_exc = fs.exceptional_charges + fs.book_value_disposed + fs.exceptional_provisions
    total_prod = prod_expl + prod_fin + prod_exc
    total_charges = (charges_expl + charges_fin + charges_exc + fs.employee_profit_sharing
                     + fs.income_tax)
    va = (fs.sales_goods + fs.production_sold + fs.production_stocked
          + fs.production_capitalised) - (fs.purchases_goods + fs.change_stock_goods
                                          + fs.purchases_materials + fs.change_stock_materials
                                          + fs.external_charges)
    return pd.DataFrame({
        "value_added": va,
        "ebe": va + fs.operating_subsidies - fs.taxes - fs.wages - fs.social_charges,
        "operating_result": prod_expl - charges_expl,
        "financial_result": prod_fin - charges_fin,
        "exceptional_result": prod_exc - charges_exc,
        "net_income_computed": total_prod - total_charges,
    })


def test_sig_matches_independent_recomputation_generated():
    fs = make_statements(300, seed=3, years=2)
    ours = sig(fs)
    ref = _independent_sig(fs)
    for c in ref.columns:
        np.testing.assert_allclose(ours[c], ref[c], rtol=1e-12, atol=1e-6, err_msg=c)
    np.testing.assert_allclose(ours["net_income_computed"], fs["net_income"], atol=1e-6)


def test_sig_matches_independent_recomputation_demo(demo_fs):
    """Independent recomputation on the demo statements (synthetic portfolio)."""
    ours = sig(demo_fs)
    ref = _independent_sig(demo_fs)
    for c in ref.columns:
        np.testing.assert_allclose(ours[c], ref[c], rtol=1e-9, atol=0.01, err_msg=c)
    assert ours["net_income_ok"].all()
    assert caf(demo_fs)["caf_gap"].abs().max() <= 2.0
    assert functional_balance_sheet(demo_fs)["balance_ok"].all()


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 40))
def test_caf_methods_agree_and_frng_identity_property(seed, n):
    """Invariants: additive CAF = subtractive CAF; FRNG − BFR = TN (balanced statements)."""
    fs = make_statements(n, seed=seed)
    c = caf(fs)
    np.testing.assert_allclose(c["caf_additive"], c["caf_subtractive"], atol=1e-6)
    fb = functional_balance_sheet(fs)
    np.testing.assert_allclose(fb["frng"] - fb["bfr"], fb["net_cash"], atol=1e-6)


def test_index_preserved_and_vectorised():
    fs = make_statements(5, seed=1)
    fs.index = pd.Index(["a", "b", "c", "d", "e"], name="key")
    for out in (sig(fs), caf(fs), functional_balance_sheet(fs), balance_masses(fs)):
        assert list(out.index) == ["a", "b", "c", "d", "e"]
        assert out.index.name == "key"


def test_discounted_bills_move_receivables_and_treasury():
    """EENE (liasse YS) are added back to the BFR and to the treasury liabilities: the BFR and
    the TN move by the same amount, FRNG is unchanged."""
    ex = worked_example()
    base = functional_balance_sheet(ex).iloc[0]
    ex["discounted_bills"] = 40.0
    with_eene = functional_balance_sheet(ex).iloc[0]
    assert with_eene["frng"] == base["frng"]
    assert with_eene["bfr_operating"] == base["bfr_operating"] + 40
    assert with_eene["net_cash"] == base["net_cash"] - 40
    assert with_eene["balance_ok"]


# ---------------------------------------------------------------------------- bad inputs
def test_inconsistent_net_income_raises_or_flags():
    ex = pd.concat([worked_example()] * 2, ignore_index=True)
    ex.loc[1, "net_income"] = 60.0  # reported result does not match the lines
    with pytest.raises(ValidationError) as e:
        sig(ex)
    assert "net_income" in str(e.value)
    flagged = sig(ex, check="flag")
    assert flagged["net_income_ok"].tolist() == [True, False]
    assert flagged.loc[1, "net_income_gap"] == pytest.approx(10.0)
    with pytest.raises(ValidationError):
        caf(ex)
    assert caf(ex, check="flag").loc[1, "caf_gap"] == pytest.approx(10.0)


def test_unbalanced_balance_sheet_raises():
    ex = worked_example()
    ex["cash"] = 80.0  # assets no longer equal liabilities
    with pytest.raises(ValidationError) as e:
        functional_balance_sheet(ex)
    assert "FRNG" in str(e.value)
    assert not functional_balance_sheet(ex, check="flag")["balance_ok"].iloc[0]


def test_missing_line_names_the_column():
    ex = worked_example().drop(columns=["external_charges"])
    with pytest.raises(InputError) as e:
        sig(ex)
    assert "external_charges" in str(e.value)
    assert "autres achats et charges externes" in str(e.value)
    ex = worked_example().drop(columns=["trade_payables", "cash"])
    with pytest.raises(InputError) as e:
        functional_balance_sheet(ex)
    assert "trade_payables" in str(e.value) and "cash" in str(e.value)


def test_text_column_and_bad_arguments():
    ex = worked_example()
    ex["wages"] = ex["wages"].astype(str)
    with pytest.raises(InputError, match="wages"):
        sig(ex)
    with pytest.raises(InputError, match="check"):
        sig(worked_example(), check="ignore")
    with pytest.raises(InputError, match="DataFrame"):
        sig([1, 2, 3])


def test_missing_value_propagates_as_nan_not_wrong_number():
    ex = worked_example()
    ex["taxes"] = np.nan
    out = sig(ex, check="flag").iloc[0]
    assert np.isnan(out["ebe"]) and np.isnan(out["net_income_computed"])
    assert not out["net_income_ok"]
    assert out["value_added"] == 450  # unaffected lines stay right


def test_empty_line_raises_naming_the_column_not_a_nan_gap():
    """An empty line (NaN) is named with its French label and its rows, separately from the rows
    whose lines are filled but do not add up (no unexplained "gaps [nan] €")."""
    ex = pd.concat([worked_example()] * 3, ignore_index=True)
    ex["fiscal_year"] = [2022, 2023, 2024]
    ex.loc[0, "wages"] = np.nan
    ex.loc[1, "net_income"] = 60.0
    for fn in (sig, caf):
        with pytest.raises(ValidationError) as e:
            fn(ex)
        problems = {p.check: p for p in e.value.problems}
        assert problems["no_empty_lines"].column == "wages"
        assert "salaires et traitements" in problems["no_empty_lines"].message
        assert problems["no_empty_lines"].rows == ("0 (EX001 2022)",)
        assert "[nan]" not in str(e.value)
        other = problems["sig_net_income" if fn is sig else "caf_methods_agree"]
        assert other.rows == ("1 (EX001 2023)",)
    bal = worked_example()
    bal["cash"] = np.nan
    with pytest.raises(ValidationError, match=r"empty value in cash \(disponibilités\)") as e:
        functional_balance_sheet(bal)
    assert [p.check for p in e.value.problems] == ["no_empty_lines"]
    assert np.isnan(functional_balance_sheet(bal, check="flag")["net_cash"].iloc[0])
