"""Cost of customer credit (creditlab.finance.cost) — DOMAIN.md §10.2, §10.3 and test vectors
T17, T18."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creditlab.exceptions import InputError
from creditlab.finance import (
    average_receivables,
    cash_released,
    compensatory_sales,
    cost_per_dso_day,
    credit_cost,
    financing_cost,
    late_invoice_cost,
)


# --- worked examples ---------------------------------------------------------------------------
def test_t18_average_receivables_and_financing_cost():
    # DOMAIN.md §10.2 / §12 T18 (example "ours", recomputed): CA TTC 1.2 M€, DSO 60 d, 5 %
    # → receivables 197 260.27 €, 9 863.01 €/year.
    assert average_receivables(1_200_000, 60) == pytest.approx(197_260.27, abs=0.005)
    assert financing_cost(1_200_000, 60, 0.05) == pytest.approx(9_863.01, abs=0.005)


def test_t18_360_day_basis():
    # Same example on a 360-day year: 1.2 M × 60 / 360 = 200 000 € → 10 000 €/year.
    assert average_receivables(1_200_000, 60, day_count=360) == pytest.approx(200_000.0)
    assert financing_cost(1_200_000, 60, 0.05, day_count=360) == pytest.approx(10_000.0)


def test_t17_compensatory_sales():
    # DOMAIN.md §10.3 / T17: 1 000 € loss at 5 % net margin → 20 000 € of sales
    # (https://www.cabinetphenix.fr/quest-le-chiffre-daffaires-compensatoire/). Also the two
    # other rows of the studylibfr table: 5 000 € at 5 % and 10 000 € at 10 % → 100 000 €.
    assert compensatory_sales(1_000, 0.05) == pytest.approx(20_000.0)
    out = compensatory_sales(np.array([5_000.0, 10_000.0]), np.array([0.05, 0.10]))
    np.testing.assert_allclose(out, [100_000.0, 100_000.0])


def test_cost_per_dso_day_and_late_invoice():
    # DOMAIN.md §10.2: one DSO day = CA TTC / 365 × rate; late invoice = amount × rate × days/365.
    assert cost_per_dso_day(1_200_000, 0.05) == pytest.approx(1_200_000 / 365 * 0.05)
    assert cost_per_dso_day(1_200_000, 0.05) == pytest.approx(164.3836, abs=1e-4)
    assert late_invoice_cost(10_000, 61, 0.05) == pytest.approx(10_000 * 0.05 * 61 / 365)
    assert late_invoice_cost(10_000, 0, 0.05) == 0.0


def test_one_extra_day_equals_difference_of_costs():
    # cost of one extra DSO day is the slope of the financing cost in DSO
    diff = financing_cost(1_200_000, 61, 0.05) - financing_cost(1_200_000, 60, 0.05)
    assert diff == pytest.approx(cost_per_dso_day(1_200_000, 0.05))


def test_cash_released_sign():
    # 1.2 M€, 60 → 45 days: 1.2 M × 15 / 365 = 49 315.07 € released; the reverse absorbs cash.
    assert cash_released(1_200_000, 60, 45) == pytest.approx(49_315.07, abs=0.005)
    assert cash_released(1_200_000, 45, 60) == pytest.approx(-49_315.07, abs=0.005)


def test_series_keep_index_and_vectorise():
    sales = pd.Series([1_200_000.0, 600_000.0, 0.0], index=["A", "B", "C"])
    dso = pd.Series([60.0, 30.0, 90.0], index=["A", "B", "C"])
    out = financing_cost(sales, dso, 0.05)
    assert isinstance(out, pd.Series)
    assert list(out.index) == ["A", "B", "C"]
    assert out["A"] == pytest.approx(9_863.01, abs=0.005)
    assert out["B"] == pytest.approx(600_000 * 30 / 365 * 0.05)
    assert out["C"] == 0.0
    arr = financing_cost(1_200_000, np.array([30.0, 60.0]), 0.05)
    assert isinstance(arr, np.ndarray) and arr.shape == (2,)


# --- credit_cost: the full picture ----------------------------------------------------------
def test_credit_cost_full_picture_hand_computed():
    r = credit_cost(1_200_000, 60, 0.05, target_dso_days=45, sales_ht=1_000_000,
                    operating_income=80_000, net_income=50_000, capital_employed=600_000,
                    bfr=250_000, tax_rate=0.25, net_margin=0.05)
    rec60 = 1_200_000 * 60 / 365
    rec45 = 1_200_000 * 45 / 365
    released = rec60 - rec45
    saving = (rec60 - rec45) * 0.05
    assert r.average_receivables == pytest.approx(rec60)
    assert r.financing_cost == pytest.approx(rec60 * 0.05)
    assert r.cash_released == pytest.approx(released)
    assert r.financing_saving == pytest.approx(saving)
    assert r.metric("bfr", "target") == pytest.approx(250_000 - released)
    assert r.metric("operating_margin") == pytest.approx(0.08)
    assert r.metric("operating_margin_after_credit") == pytest.approx(
        (80_000 - rec60 * 0.05) / 1_000_000)
    assert r.metric("credit_cost_share") == pytest.approx(rec60 * 0.05 / 80_000)
    # interest is tax-deductible: net income rises by saving × (1 − 25 %)
    assert r.metric("net_income", "target") == pytest.approx(50_000 + saving * 0.75)
    # ROCE = EBIT × (1 − t) / capital employed; the cash released repays capital
    assert r.metric("roce") == pytest.approx(80_000 * 0.75 / 600_000)
    assert r.metric("roce", "target") == pytest.approx(80_000 * 0.75 / (600_000 - released))
    assert r.metric("equivalent_sales") == pytest.approx(rec60 * 0.05 / 0.05)
    assert r.table.loc["financing_cost", "change"] == pytest.approx(-saving)


def test_credit_cost_summary_languages_and_html():
    r = credit_cost(1_200_000, 60, 0.05, target_dso_days=50)
    codes = r.summary()               # codes: the protocol of creditlab._results.Result
    assert list(codes.columns) == ["current", "target", "change"]
    assert codes.index.name == "metric"
    assert codes.loc["financing_cost", "current"] == pytest.approx(9_863.013699)
    fr = r.to_frame()                 # words, French by default
    assert "coût de financement annuel" in fr.index
    assert list(fr.columns) == ["actuel", "cible", "écart"] and fr.index.name == "indicateur"
    assert fr.loc["coût de financement annuel", "actuel"] == pytest.approx(9_863.013699)
    en = r.to_frame("en")
    assert "annual financing cost" in en.index
    assert "<table" in r._repr_html_()
    text = r.explain()
    assert "197 260" in text.replace("\u202f", " ") and "jours" in text
    assert "releases" in r.explain("en")
    no_target = credit_cost(1_200_000, 60, 0.05)
    assert list(no_target.summary().columns) == ["current"]
    assert list(no_target.to_frame().columns) == ["actuel"]
    with pytest.raises(InputError):
        r.to_frame("de")
    assert np.isnan(no_target.cash_released)


def test_credit_cost_default_sales_ht_from_vat():
    r = credit_cost(1_200_000, 60, 0.05, operating_income=50_000, vat_rate=0.2)
    assert r.metric("operating_margin") == pytest.approx(50_000 / 1_000_000)


def test_credit_cost_share_nan_when_operating_loss():
    r = credit_cost(1_200_000, 60, 0.05, operating_income=-10_000)
    assert np.isnan(r.metric("credit_cost_share"))


def test_credit_cost_curve_is_monotone():
    r = credit_cost(1_200_000, 60, 0.05, target_dso_days=40)
    curve = r.curve()
    assert curve["financing_cost"].is_monotonic_increasing
    assert curve["dso_days"].iloc[0] == 0 and curve["financing_cost"].iloc[0] == 0


# --- properties ------------------------------------------------------------------------------
@settings(max_examples=200, deadline=None)
@given(sales=st.floats(0, 1e9), rate=st.floats(0, 1), d1=st.floats(0, 3650),
       d2=st.floats(0, 3650), basis=st.sampled_from([365, 360]))
def test_property_longer_dso_never_lowers_financing_cost(sales, rate, d1, d2, basis):
    lo, hi = sorted((d1, d2))
    assert financing_cost(sales, hi, rate, day_count=basis) >= financing_cost(
        sales, lo, rate, day_count=basis)


@settings(max_examples=100, deadline=None)
@given(sales=st.floats(0, 1e9), d1=st.floats(0, 3650), d2=st.floats(0, 3650))
def test_property_cash_released_is_difference_of_receivables(sales, d1, d2):
    assert cash_released(sales, d1, d2) == pytest.approx(
        average_receivables(sales, d1) - average_receivables(sales, d2), abs=1e-6 * (1 + sales))


# --- bad inputs ------------------------------------------------------------------------------
@pytest.mark.parametrize("call, name", [
    (lambda: financing_cost(1e6, 60, -0.05), "rate"),
    (lambda: financing_cost(-1e6, 60, 0.05), "sales_ttc"),
    (lambda: financing_cost(1e6, -5, 0.05), "dso_days"),
    (lambda: financing_cost(1e6, 60, 0.05, day_count=366), "day_count"),
    (lambda: financing_cost(1e6, 60, "5%"), "rate"),
    (lambda: financing_cost(1e6, float("nan"), 0.05), "dso_days"),
    (lambda: financing_cost(1e6, 60, True), "rate"),
    (lambda: compensatory_sales(1_000, 0.0), "net_margin"),
    (lambda: compensatory_sales(1_000, -0.05), "net_margin"),
    (lambda: compensatory_sales(-1_000, 0.05), "loss_ht"),
    (lambda: compensatory_sales(1_000, 5), "net_margin"),
    (lambda: late_invoice_cost(1_000, -3, 0.05), "days_late"),
    (lambda: credit_cost(1e6, 60, 0.05, tax_rate=1.0), "tax_rate"),
    (lambda: credit_cost(1e6, 60, 0.05, sales_ht=2e6), "sales_ht"),
    (lambda: credit_cost(1e6, 60, 0.05, net_margin=0), "net_margin"),
    (lambda: credit_cost(1e6, 60, 0.05).to_frame("de"), "lang"),
])
def test_bad_inputs_raise_input_error_with_fix(call, name):
    with pytest.raises(InputError) as exc:
        call()
    assert exc.value.name == name
    assert "expected" in str(exc.value)


def test_zero_margin_error_explains_fix():
    with pytest.raises(InputError, match="no sales can offset a loss"):
        compensatory_sales(1_000, 0.0)


def test_misaligned_series_raise():
    with pytest.raises(InputError):
        financing_cost(pd.Series([1.0, 2.0]), np.array([1.0, 2.0, 3.0]), 0.05)
