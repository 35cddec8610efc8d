"""Out-of-core engine (DuckDB over Parquet) gives the in-memory figures to the cent."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

duckdb = pytest.importorskip("duckdb")

from creditlab import synth  # noqa: E402
from creditlab.exceptions import InputError  # noqa: E402
from creditlab.receivables import Ledger, aged_balance, open_items  # noqa: E402
from creditlab.receivables.buckets import bucket_codes  # noqa: E402
from creditlab.receivables.outofcore import ParquetLedger  # noqa: E402


def _hand_ledger():
    """Partial payment, credit note netting its invoice, cash on account, disputed invoice,
    a document issued after as_of and a payment dated after it."""
    inv = pd.DataFrame({
        "invoice_id": ["F1", "F2", "A1", "F3", "F4", "F5"],
        "customer_id": ["C1", "C1", "C1", "C2", "C2", "C2"],
        "doc_type": ["invoice", "invoice", "credit_note", "invoice", "invoice", "invoice"],
        "issue_date": pd.to_datetime(["2025-09-01", "2025-11-20", "2025-12-01", "2025-10-01",
                                      "2025-12-10", "2026-01-05"]),
        "due_date": pd.to_datetime(["2025-10-01", "2025-12-20", "2025-12-01", "2025-10-31",
                                    "2026-01-10", "2026-02-05"]),
        "amount_ttc": [1200.00, 600.00, -100.00, 300.00, 450.50, 99.00],
        "related_invoice_id": [None, None, "F2", None, None, None],
        "disputed": [False, False, False, True, False, False],
    })
    pay = pd.DataFrame({
        "payment_id": ["R1", "R2", "R3", "R4"],
        "customer_id": ["C1", "C2", "C2", "C1"],
        "payment_date": pd.to_datetime(["2025-10-15", "2025-12-15", "2025-12-20", "2026-01-02"]),
        "amount": [200.00, 80.25, 50.00, 600.00],
        "invoice_id": ["F1", None, "F3", "F2"],
    })
    return inv, pay


def _write(tmp_path, inv, pay):
    inv.to_parquet(tmp_path / "invoices.parquet", index=False)
    pay.to_parquet(tmp_path / "payments.parquet", index=False)
    return tmp_path / "invoices.parquet", tmp_path / "payments.parquet"


def _same_items(got: pd.DataFrame, want: pd.DataFrame) -> None:
    cols = ["customer_id", "invoice_id", "doc_type", "issue_date", "due_date", "amount_ttc",
            "paid_amount", "open_amount", "disputed"]
    a = got[cols].sort_values("invoice_id").reset_index(drop=True)
    b = want[cols].sort_values("invoice_id").reset_index(drop=True)
    for c in ("amount_ttc", "paid_amount", "open_amount"):
        a[c], b[c] = np.rint(a[c] * 100).astype(int), np.rint(b[c] * 100).astype(int)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)


def test_hand_ledger_open_items_and_aged_balance(tmp_path):
    inv, pay = _hand_ledger()
    ledger = Ledger.from_parquet(*_write(tmp_path, inv, pay))
    assert isinstance(ledger, ParquetLedger)
    items = ledger.open_items("2025-12-31")
    _same_items(items, open_items(inv, pay, "2025-12-31"))
    by_id = items.set_index("invoice_id")["open_amount"]
    # hand-computed: F1 1200 - 200; F2 600 netted by A1's 100; R2 is cash on account
    assert by_id["F1"] == 1000.00 and by_id["F2"] == 500.00 and "A1" not in by_id
    assert by_id["R2"] == -80.25 and by_id["F3"] == 250.00 and by_id["F4"] == 450.50
    assert "F5" not in by_id  # issued after as_of
    aged = ledger.aged_balance("2025-12-31")
    assert list(aged.columns) == [*bucket_codes((0, 30, 60, 90)), "disputed", "total"]
    # C1: F1 due 2025-10-01 → 91 days past due; F2 due 2025-12-20 → 11 days
    assert aged.loc["C1", "dpd_over_90"] == 1000.00 and aged.loc["C1", "dpd_1_30"] == 500.00
    # C2: F3 disputed (250), F4 not yet due (450.50), cash R2 paid 2025-12-15 → 16 days
    assert aged.loc["C2", "disputed"] == 250.00 and aged.loc["C2", "not_due"] == 450.50
    assert aged.loc["C2", "dpd_1_30"] == -80.25
    assert aged.loc["C2", "total"] == pytest.approx(620.25)
    total = ledger.aged_balance("2025-12-31", by=None)
    assert total.index.tolist() == ["total"] and total["total"].iloc[0] == pytest.approx(2120.25)
    ledger.close()


@pytest.mark.parametrize("as_of", ["2025-06-30", "2025-12-31"])
def test_generated_ledger_equals_in_memory(tmp_path, as_of):
    tables = synth.make_portfolio(seed=3, n_customers=60)
    inv, pay = tables["invoices"], tables["payments"]
    (tmp_path / "inv").mkdir()
    # a folder of several Parquet files is one table
    half = len(inv) // 2
    inv.iloc[:half].to_parquet(tmp_path / "inv" / "part-0.parquet", index=False)
    inv.iloc[half:].to_parquet(tmp_path / "inv" / "part-1.parquet", index=False)
    pay.to_parquet(tmp_path / "payments.parquet", index=False)
    ledger = ParquetLedger(tmp_path / "inv", tmp_path / "payments.parquet",
                           memory_limit="256MB", temp_directory=tmp_path / "spill", threads=2)
    want_items = open_items(inv, pay, as_of)
    _same_items(ledger.open_items(as_of), want_items)
    want = aged_balance(want_items, as_of, buckets=(0, 30, 60, 90), by="customer_id").groups
    got = ledger.aged_balance(as_of)
    assert len(got) == len(want) > 10
    assert list(got.columns) == list(want.columns)  # the same codes
    assert np.array_equal(np.rint(got.to_numpy() * 100), np.rint(want.to_numpy() * 100))
    written = ledger.open_items(as_of, path=tmp_path / "items.parquet")
    assert len(pd.read_parquet(written)) == len(want_items)


def test_bad_sources_and_columns(tmp_path):
    inv, pay = _hand_ledger()
    inv_path, pay_path = _write(tmp_path, inv, pay)
    with pytest.raises(InputError, match="invoices"):
        ParquetLedger(tmp_path / "nothing.parquet", pay_path)
    inv.drop(columns=["due_date"]).to_parquet(tmp_path / "bad.parquet", index=False)
    with pytest.raises(InputError, match="due_date"):
        ParquetLedger(tmp_path / "bad.parquet", pay_path)
    ledger = ParquetLedger(inv_path, pay_path)
    with pytest.raises(InputError, match="by"):
        ledger.aged_balance("2025-12-31", by="segment")
    # no related_invoice_id / disputed columns: nothing netted, nothing disputed
    inv.drop(columns=["related_invoice_id", "disputed"]).to_parquet(tmp_path / "min.parquet",
                                                                    index=False)
    bare = ParquetLedger(tmp_path / "min.parquet", pay_path).open_items("2025-12-31")
    assert bare.set_index("invoice_id").loc["F2", "open_amount"] == 600.00
    assert not bare["disputed"].any()
