"""The demo-portfolio generator: determinism, bundled files, consistency and realism."""

from __future__ import annotations

import pandas as pd
import pytest

from creditlab import synth
from creditlab.exceptions import InputError
from creditlab.io.datasets import DEMO_DIR, load_demo
from creditlab.io.tables import FS_IDENTITIES, TABLES, columns_of


@pytest.fixture(scope="module")
def small():
    return synth.make_portfolio(seed=11, n_customers=120)


def test_bundled_demo_equals_regeneration_from_its_seed():
    """DESIGN.md 'Determinism': the CSVs in datasets/demo are make_portfolio() with defaults."""
    assert (DEMO_DIR / "invoices.csv").exists(), "run: python -m creditlab.synth"
    bundled = load_demo()
    fresh = synth.make_portfolio()
    assert set(bundled) == set(fresh) == set(TABLES)
    for name in TABLES:
        pd.testing.assert_frame_equal(bundled[name], fresh[name], check_dtype=True, obj=name)


def test_same_seed_same_tables_other_seed_other_tables(small):
    again = synth.make_portfolio(seed=11, n_customers=120)
    for name in TABLES:
        pd.testing.assert_frame_equal(small[name], again[name])
    other = synth.make_portfolio(seed=12, n_customers=120)
    assert not other["invoices"]["amount_ttc"].equals(small["invoices"]["amount_ttc"])


def test_canonical_columns_and_dtypes(small):
    for name, df in small.items():
        assert list(df.columns) == columns_of(name)
    inv = small["invoices"]
    assert inv["issue_date"].dtype == "datetime64[ns]"
    assert inv["amount_ttc"].dtype == "float64"
    assert inv["invoice_id"].is_unique
    assert small["customers"]["customer_id"].is_unique


def test_every_table_passes_validation(small):
    cio = pytest.importorskip("creditlab.io")
    if not hasattr(cio, "validate"):
        pytest.skip("creditlab.io.validate not available")
    for name in ("customers", "invoices", "orders", "disputes", "financial_statements",
                 "events"):
        cio.validate(small[name], name)
    cio.validate(small["payments"], "payments", invoices=small["invoices"])


def test_statements_balance_and_add_up_exactly(small):
    fs = small["financial_statements"]
    for total, terms in FS_IDENTITIES.items():
        rebuilt = sum(sign * fs[col] for sign, col in terms)
        assert (rebuilt - fs[total]).abs().max() < 0.5, total
    assert (fs["total_assets"] - fs["total_liabilities"]).abs().max() < 0.5
    # equity rolls forward: E_t - E_(t-1) = NI_t - dividends (dividends >= 0)
    fs = fs.sort_values(["customer_id", "fiscal_year"])
    prev = fs.groupby("customer_id")["equity"].shift()
    dividends = prev + fs["net_income"] - fs["equity"]
    assert (dividends.dropna() > -0.5).all()


def test_ledger_is_consistent(small):
    inv, pay = small["invoices"], small["payments"]
    assert (inv["due_date"] >= inv["issue_date"]).all()
    assert (inv.loc[inv.doc_type == "invoice", "amount_ttc"] > 0).all()
    assert (inv.loc[inv.doc_type == "credit_note", "amount_ttc"] < 0).all()
    assert inv["issue_date"].max() <= synth.DEMO_AS_OF
    assert pay["payment_date"].max() <= synth.DEMO_AS_OF
    alloc = pay.dropna(subset=["invoice_id"]).groupby("invoice_id")["amount"].sum()
    amount = inv.set_index("invoice_id")["amount_ttc"].reindex(alloc.index)
    assert amount.notna().all(), "payments allocated to unknown invoices"
    assert (alloc <= amount + 0.005).all(), "over-allocated invoices"
    # credit notes point at an earlier invoice of the same customer
    cn = inv[inv.doc_type == "credit_note"]
    rel = inv.set_index("invoice_id").loc[cn["related_invoice_id"]]
    assert (rel["customer_id"].to_numpy() == cn["customer_id"].to_numpy()).all()
    assert (rel["issue_date"].to_numpy() <= cn["issue_date"].to_numpy()).all()
    # some cash on account, some disputes open at the as-of date
    assert pay["invoice_id"].isna().any()
    assert inv["disputed"].any()
    assert set(small["disputes"]["cause"]) <= set(TABLES["disputes"].column("cause").choices)


def test_failures_stop_sales_and_accounts(small):
    ev = small["events"]
    assert len(ev) > 0
    liq = ev[ev.event_type == "liquidation"].groupby("customer_id")["event_date"].min()
    inv = small["invoices"]
    after = inv["customer_id"].map(liq)
    assert not ((inv["doc_type"] == "invoice") & (inv["issue_date"] >= after)).any()
    first = ev.groupby("customer_id")["event_date"].min()
    fs = small["financial_statements"]
    filed = fs["fiscal_year_end"] + pd.Timedelta(days=150)
    assert not (filed >= fs["customer_id"].map(first)).any()


def test_weak_customers_fail_more_and_pay_later():
    """The signal scoring needs: failed firms had lower equity ratios and paid later."""
    t = synth.make_portfolio(seed=3, n_customers=600)
    fs = t["financial_statements"]
    failed = fs["customer_id"].isin(t["events"]["customer_id"])
    eq = fs["equity"] / fs["total_assets"]
    assert eq[failed].median() < eq[~failed].median() - 0.05
    from creditlab.receivables import payment_behaviour

    beh = payment_behaviour(t["invoices"], t["payments"], synth.DEMO_AS_OF)
    fail_ids = t["events"]["customer_id"].unique()
    late = beh["avg_days_late"]
    assert late[late.index.isin(fail_ids)].median() > late[~late.index.isin(fail_ids)].median()


def test_august_is_quieter_than_october(small):
    m = small["invoices"].query("doc_type == 'invoice'")["issue_date"].dt.month
    assert (m == 8).sum() < (m == 10).sum()


def test_size_parameter_scales_the_ledger():
    t = synth.make_portfolio(seed=5, n_customers=50, invoices_per_customer_month=10)
    n = (t["invoices"]["doc_type"] == "invoice").sum()
    assert 50 * 24 * 10 * 0.6 < n < 50 * 24 * 10 * 1.2


@pytest.mark.parametrize("kwargs, name", [
    ({"seed": -1}, "seed"), ({"seed": 1.5}, "seed"), ({"n_customers": 3}, "n_customers"),
    ({"as_of": "2024-03-01"}, "as_of"), ({"invoices_per_customer_month": 0},
                                         "invoices_per_customer_month"),
])
def test_bad_parameters_are_named(kwargs, name):
    with pytest.raises(InputError, match=name):
        synth.make_portfolio(**kwargs)


def test_write_portfolio_is_atomic(tmp_path, small, monkeypatch):
    out = synth.write_portfolio(small, tmp_path / "demo")
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{n}.csv" for n in TABLES)
    before = (out / "invoices.csv").read_bytes()

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", boom)
    with pytest.raises(OSError):
        synth.write_portfolio(small, out)
    assert (out / "invoices.csv").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["demo"]


def test_demo_cents_are_rounded_half_up_like_documents():
    """synth rounds with creditlab._checks.round_cents (half-up), not numpy's half-even:
    credit note A2023-0000068 is -800.43 € TTC at 20 % VAT, -667.025 € HT → -667.03 €."""
    inv = load_demo()["invoices"].set_index("invoice_id")
    assert inv.loc["A2023-0000068", "amount_ttc"] == -800.43
    assert inv.loc["A2023-0000068", "amount_ht"] == -667.03
