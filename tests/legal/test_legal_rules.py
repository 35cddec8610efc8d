"""French payment terms, rate tables and late-payment penalties (DOMAIN.md §7, §12, §14.3-4)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creditlab import legal
from creditlab.exceptions import InputError, ReferenceDataError


# ------------------------------------------------------------------ payment terms
@pytest.mark.parametrize("issue, a, b, net60", [
    # DOMAIN.md §7.1 table (service-public F23211, quoted by legavox), T12
    ("2025-01-02", "2025-03-17", "2025-02-28", "2025-03-03"),
    ("2025-10-05", "2025-12-15", "2025-11-30", "2025-12-04"),
    # 22 Oct: method B gives 31 Dec (December has 31 days; the scribd sheet's "30" is wrong)
    ("2025-10-22", "2025-12-15", "2025-12-31", "2025-12-21"),
])
def test_45_days_end_of_month_both_methods(issue, a, b, net60):
    assert legal.due_date(issue, "eom45_a") == pd.Timestamp(a)
    assert legal.due_date(issue, "eom45_b") == pd.Timestamp(b)
    assert legal.due_date(issue, "net_60") == pd.Timestamp(net60)


def test_month_ends_and_leap_years():
    # 31 Jan 2024 (leap year): end of January + 45 = 16 Mar; +45 = 16 Mar then end of month
    assert legal.due_date("2024-01-31", "eom45_a") == pd.Timestamp("2024-03-16")
    assert legal.due_date("2024-01-31", "eom45_b") == pd.Timestamp("2024-03-31")
    # 29 Feb 2024 + 30 days; 15 Jan 2024 + 45 then end of month lands on 29 Feb
    assert legal.due_date("2024-02-29", "net_30") == pd.Timestamp("2024-03-30")
    assert legal.due_date("2024-01-15", "eom45_b") == pd.Timestamp("2024-02-29")
    assert legal.due_date("2025-01-14", "eom45_b") == pd.Timestamp("2025-02-28")
    assert legal.due_date("2025-01-15", "eom45_b") == pd.Timestamp("2025-03-31")
    assert legal.due_date("2025-03-10", "cash") == pd.Timestamp("2025-03-10")
    assert legal.due_date("2025-03-10", "transport_30") == pd.Timestamp("2025-04-09")
    assert legal.due_date("2025-03-10", "periodic_45") == pd.Timestamp("2025-04-24")


def test_due_date_is_vectorised_and_keeps_the_index():
    issue = pd.Series(pd.to_datetime(["2025-01-02", "2025-10-22", "2025-10-05"]), index=[7, 8, 9])
    terms = pd.Series(["eom45_a", "eom45_b", "net_60"], index=[7, 8, 9])
    out = legal.due_date(issue, terms)
    assert list(out.index) == [7, 8, 9]
    assert list(out) == [pd.Timestamp("2025-03-17"), pd.Timestamp("2025-12-31"),
                         pd.Timestamp("2025-12-04")]


def test_due_date_bad_inputs():
    with pytest.raises(InputError, match="terms"):
        legal.due_date("2025-01-02", "45 jours")
    with pytest.raises(InputError, match="issue_date"):
        legal.due_date(pd.Series([pd.NaT]), "net_30")


@pytest.mark.parametrize("terms, kw, ok", [
    ("net_60", {}, True), ("net_75", {}, False), ("eom45_a", {}, True), ("eom60_b", {}, False),
    ("net_30", {"sector": "transport"}, True), ("net_45", {"sector": "transport"}, False),
    ("eom45_a", {"sector": "transport"}, False), ("net_45", {"periodic": True}, True),
    ("net_60", {"periodic": True}, False),
])
def test_terms_compliance(terms, kw, ok):
    res = legal.check_terms(terms, **kw)
    assert res.compliant is ok
    assert ("NON conforme" in res.message) is (not ok)
    assert res.source.startswith("Code de commerce")


# ------------------------------------------------------------------ rates
@pytest.mark.parametrize("date, ecb, default, floor", [
    # DOMAIN.md §7.4 table; T14 (2024 S1: default 14.50 %, floor 15.21 % > default)
    ("2024-03-15", 0.045, 0.145, 0.1521),
    ("2024-07-01", 0.0425, 0.1425, 0.1476),   # not the September MRO (13.65 % is wrong)
    ("2025-11-30", 0.0215, 0.1215, 0.0828),
    ("2022-12-31", 0.0, 0.10, 0.0231),        # hike of 27 Jul 2022 applies from 2023 S1 only
    ("2023-01-01", 0.025, 0.125, 0.0618),
    ("2026-02-01", 0.0215, 0.1215, 0.0786),
])
def test_half_year_rates(date, ecb, default, floor):
    assert legal.ecb_rate_for_half_year(date) == pytest.approx(ecb)
    assert legal.default_penalty_rate(date) == pytest.approx(default)
    assert legal.minimum_contract_rate(date) == pytest.approx(floor)


def test_rate_table_carries_sources_and_matches_domain():
    t = legal.penalty_rate_table()
    row = t.set_index("half_year").loc["2024 S1"]
    assert row["contract_floor"] > row["default_rate"]      # the 2024 anomaly
    assert legal.ecb_rates()["source"].str.len().min() > 10
    assert legal.legal_rates()["checked_on"].notna().all()


def test_dates_outside_the_tables_raise():
    with pytest.raises(ReferenceDataError, match="ecb_mro_rates.csv"):
        legal.default_penalty_rate("2027-03-01")
    with pytest.raises(ReferenceDataError, match="legal_interest_rates.csv"):
        legal.minimum_contract_rate("2010-03-01")
    with pytest.raises(InputError, match="creditor"):
        legal.legal_interest_rate("2025-01-01", creditor="bank")


# ------------------------------------------------------------------ penalties
def test_worked_example_t11():
    """DOMAIN.md §7.2 / T11: 10 000 € due 30 Sep 2025 paid 30 Nov 2025 → 61 d, 203.05 € + 40 €."""
    r = legal.late_penalties(10_000, "2025-09-30", "2025-11-30").iloc[0]
    assert r["days_late"] == 61
    assert r["penalty_rounded"] == 203.05
    assert r["indemnity"] == legal.FIXED_INDEMNITY_EUR == 40.0
    assert r["average_rate"] == pytest.approx(0.1215)


def test_period_spanning_two_half_years_is_split():
    # due 31 May 2025, paid 31 Aug 2025: 30 days at 13.15 % (S1) + 62 days at 12.15 % (S2)
    r = legal.late_penalties(10_000, "2025-05-31", "2025-08-31").iloc[0]
    expected = 10_000 * (0.1315 * 30 + 0.1215 * 62) / 365
    assert r["days_late"] == 92
    assert r["penalty"] == pytest.approx(expected, rel=1e-12)
    b = legal.penalty_breakdown(10_000, "2025-05-31", "2025-08-31")
    assert list(b["days"].iloc[:-1]) == [30, 62]
    assert b.loc["total", "penalty"] == pytest.approx(round(expected, 2))
    # a single rate over the whole period (the rate of the due date) would be wrong
    assert r["penalty"] != pytest.approx(10_000 * 0.1315 * 92 / 365, rel=1e-6)


def test_on_time_or_early_payment_costs_nothing():
    r = legal.late_penalties(pd.Series([500.0, 500.0]), pd.Series(["2025-09-30"] * 2),
                             pd.Series(["2025-09-30", "2025-09-01"]))
    assert (r["days_late"] == 0).all() and (r["penalty"] == 0).all()
    assert (r["indemnity"] == 0).all() and r["average_rate"].isna().all()


def test_contract_rate_below_the_floor_warns_and_applies_the_floor():
    with pytest.warns(legal.PenaltyRateWarning, match="plancher"):
        r = legal.late_penalties(10_000, "2024-02-29", "2024-03-30", contract_rate=0.145)
    # 2024 S1 floor 15.21 % > "BCE + 10" clause: the floor applies (DOMAIN.md §7.4)
    assert r["average_rate"].iloc[0] == pytest.approx(0.1521)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r2 = legal.late_penalties(10_000, "2025-09-30", "2025-11-30", contract_rate=0.15)
    assert r2["penalty"].iloc[0] == pytest.approx(10_000 * 0.15 * 61 / 365)


def test_penalties_are_vectorised_and_keep_the_index():
    idx = pd.Index(["F1", "F2", "F3"])
    r = legal.late_penalties(pd.Series([1000.0, 2000.0, 0.0], index=idx),
                             pd.Series(pd.to_datetime(["2025-01-31", "2025-06-30", "2025-03-01"]),
                                       index=idx),
                             pd.Series(pd.to_datetime(["2025-02-10"] * 3), index=idx))
    assert list(r.index) == list(idx)
    assert list(r["days_late"]) == [10, 0, 0]
    assert r.loc["F1", "penalty"] == pytest.approx(1000 * 0.1315 * 10 / 365)


@pytest.mark.parametrize("kwargs, name", [
    ({"amount": -5, "due_date": "2025-01-01", "end_date": "2025-02-01"}, "amount"),
    ({"amount": 5, "due_date": None, "end_date": "2025-02-01"}, "due_date"),
    ({"amount": [1, 2], "due_date": ["2025-01-01"] * 3, "end_date": "2025-02-01"}, "same length"),
    ({"amount": 5, "due_date": "2025-01-01", "end_date": "2025-02-01", "contract_rate": 12},
     "contract_rate"),
])
def test_bad_inputs_are_named(kwargs, name):
    with pytest.raises(InputError, match=name):
        legal.late_penalties(**kwargs)


def test_round_cents_half_up():
    assert list(legal.round_cents([0.005, 1.015, 203.045, -2.675, 2.5])) == \
        [0.01, 1.02, 203.05, -2.68, 2.5]


@settings(max_examples=60, deadline=None)
@given(amount=st.floats(0, 1e6), extra=st.integers(0, 400), k=st.floats(0, 10))
def test_penalty_is_monotonic_in_time_and_linear_in_amount(amount, extra, k):
    due = pd.Timestamp("2024-05-20")
    end1 = due + pd.Timedelta(days=extra)
    end2 = end1 + pd.Timedelta(days=30)
    p1 = legal.late_penalties(amount, due, end1)["penalty"].iloc[0]
    p2 = legal.late_penalties(amount, due, end2)["penalty"].iloc[0]
    assert p2 >= p1
    pk = legal.late_penalties(amount * k, due, end1)["penalty"].iloc[0]
    assert pk == pytest.approx(k * p1, rel=1e-9, abs=1e-9)
    assert np.isfinite(p1)


# ------------------------------------------------------------------ audit additions
# DOMAIN.md §7.4, every row: half-year, MRO in force on 1 Jan / 1 Jul (%), default rate
# (MRO + 10), legal rate "professionnels / autres cas" (%), floor 3 × legal (%), legal rate
# "particuliers" (%). Sources: the legal-rate arrêtés as compiled in DOMAIN.md §7.4
# (agenceobjectifpaiement.com 2016-2024, legalnews.fr / lemoniteur.fr 2015, cna2c.fr 2025 S2,
# legifiscal.fr 2026 S1: arrêté of 15 Dec 2025) and the ECB MRO changes of §7.3.
DOMAIN_7_4 = [
    ("2015 S1", 0.05, 10.05, 0.93, 2.79, 4.06), ("2015 S2", 0.05, 10.05, 0.99, 2.97, 4.29),
    ("2016 S1", 0.05, 10.05, 1.01, 3.03, 4.54), ("2016 S2", 0.00, 10.00, 0.93, 2.79, 4.35),
    ("2017 S1", 0.00, 10.00, 0.90, 2.70, 4.16), ("2017 S2", 0.00, 10.00, 0.90, 2.70, 3.94),
    ("2018 S1", 0.00, 10.00, 0.89, 2.67, 3.73), ("2018 S2", 0.00, 10.00, 0.88, 2.64, 3.60),
    ("2019 S1", 0.00, 10.00, 0.86, 2.58, 3.40), ("2019 S2", 0.00, 10.00, 0.87, 2.61, 3.26),
    ("2020 S1", 0.00, 10.00, 0.87, 2.61, 3.15), ("2020 S2", 0.00, 10.00, 0.84, 2.52, 3.11),
    ("2021 S1", 0.00, 10.00, 0.79, 2.37, 3.14), ("2021 S2", 0.00, 10.00, 0.76, 2.28, 3.12),
    ("2022 S1", 0.00, 10.00, 0.76, 2.28, 3.13), ("2022 S2", 0.00, 10.00, 0.77, 2.31, 3.15),
    ("2023 S1", 2.50, 12.50, 2.06, 6.18, 4.47), ("2023 S2", 4.00, 14.00, 4.22, 12.66, 6.82),
    ("2024 S1", 4.50, 14.50, 5.07, 15.21, 8.01), ("2024 S2", 4.25, 14.25, 4.92, 14.76, 8.16),
    ("2025 S1", 3.15, 13.15, 3.71, 11.13, 7.21), ("2025 S2", 2.15, 12.15, 2.76, 8.28, 6.65),
    ("2026 S1", 2.15, 12.15, 2.62, 7.86, 6.67),
]


def test_shipped_tables_match_every_row_of_domain_7_4():
    t = legal.penalty_rate_table().set_index("half_year")
    assert list(t.index) == [r[0] for r in DOMAIN_7_4]      # no half-year missing or extra
    for half, ecb, default, pro, floor, ind in DOMAIN_7_4:
        row = t.loc[half]
        got = [row["ecb_rate"], row["default_rate"], row["legal_rate_professional"],
               row["contract_floor"], row["legal_rate_individual"]]
        assert got == pytest.approx([ecb / 100, default / 100, pro / 100, floor / 100,
                                     ind / 100], abs=1e-12), half
    for table in (legal.ecb_rates(), legal.legal_rates()):
        assert table["source"].str.strip().str.len().gt(10).all()
        assert table["checked_on"].notna().all()
    # 2026 S2 is not published yet (DOMAIN.md §7.4): a clear error, not a stale rate
    with pytest.raises(ReferenceDataError, match="2026-07-01"):
        legal.late_penalties(1000, "2026-06-30", "2026-07-02")


@pytest.fixture
def edited_table(monkeypatch):
    """Replace a shipped rate table by an edited copy (as a user updating it would)."""
    from creditlab.legal import rates

    def use(name: str, df: pd.DataFrame):
        original = rates._read
        monkeypatch.setattr(rates, "_read", lambda n: df.copy() if n == name else original(n))
        rates.ecb_rates.cache_clear()
        rates.legal_rates.cache_clear()

    yield use
    monkeypatch.undo()
    rates.ecb_rates.cache_clear()
    rates.legal_rates.cache_clear()


def test_a_malformed_table_update_names_the_line(edited_table):
    from creditlab.legal import rates

    ecb = rates._read("ecb_mro_rates.csv")
    row = ecb.iloc[[-1]].assign(change_date="2026-02-04", mro_pct="2,00 %")
    edited_table("ecb_mro_rates.csv", pd.concat([ecb, row], ignore_index=True))
    with pytest.raises(ReferenceDataError, match=r"mro_pct.*line\(s\) 24"):
        legal.default_penalty_rate("2025-10-01")
    lr = rates._read("legal_interest_rates.csv")
    dup = pd.concat([lr, lr.iloc[[-1]]], ignore_index=True)
    edited_table("legal_interest_rates.csv", dup)
    with pytest.raises(ReferenceDataError, match="half-year appears twice"):
        legal.minimum_contract_rate("2025-10-01")
    edited_table("legal_interest_rates.csv", lr.assign(source=[""] + [s for s in lr["source"][1:]]))
    with pytest.raises(ReferenceDataError, match="source"):
        legal.legal_rates()


def test_a_valid_table_update_is_used(edited_table):
    """Adding the 2026 S2 row (hypothetical values) makes 2026 S2 computable."""
    from creditlab.legal import rates

    lr = rates._read("legal_interest_rates.csv")
    row = lr.iloc[[-1]].assign(year=2026, half=2, professional_pct=2.50, individual_pct=6.50)
    edited_table("legal_interest_rates.csv", pd.concat([lr, row], ignore_index=True))
    assert legal.minimum_contract_rate("2026-08-01") == pytest.approx(0.075)


@pytest.mark.parametrize("sector", ["transports", "alimentaire", 3])
def test_terms_unknown_sector_is_an_error_not_the_general_cap(sector):
    # a misspelt "transport" must not give net_60 the general 60-day cap (L441-11 II: 30 days)
    with pytest.raises(InputError, match="sector"):
        legal.check_terms("net_60", sector=sector)
    assert not legal.check_terms("net_60", sector=" Transport ").compliant
    assert legal.check_terms("net_60", sector="general").compliant
    # the customers table's own sector groups are accepted (general caps but for transport)
    assert legal.check_terms("net_60", sector="industrie").compliant
    assert not legal.check_terms("net_45", sector="transport").compliant


def test_penalty_over_29_february():
    # leap year: due 28 Feb 2024, paid 1 Mar 2024 → 2 days late (29 Feb and 1 Mar) at 14.50 %
    r = legal.late_penalties(36_500, "2024-02-28", "2024-03-01").iloc[0]
    assert r["days_late"] == 2
    assert r["penalty"] == pytest.approx(36_500 * 0.145 * 2 / 365)


def test_more_bad_penalty_inputs():
    with pytest.raises(InputError, match="amount"):
        legal.late_penalties(float("inf"), "2025-01-01", "2025-02-01")
    with pytest.raises(InputError, match="contract_rate"):
        legal.late_penalties(5, "2025-01-01", "2025-02-01", contract_rate="douze")
    # a rate given as text is read as a number, and the floor warning still formats it
    with pytest.warns(legal.PenaltyRateWarning, match="15.21"):
        r = legal.late_penalties(1000, "2024-02-29", "2024-03-30", contract_rate="0.10")
    assert r["average_rate"].iloc[0] == pytest.approx(0.1521)
