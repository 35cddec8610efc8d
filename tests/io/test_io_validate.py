"""creditlab.io.validate / problems / table_schema: every problem kind, all at once, with fixes."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest

import creditlab.io as cio
from creditlab.exceptions import InputError, Problem, ValidationError
from creditlab.io.tables import FS_IDENTITIES, TABLES


def _invoices():
    return pd.DataFrame({
        "invoice_id": ["F1", "F2", "F3"],
        "customer_id": ["C1", "C1", "C2"],
        "doc_type": ["invoice", "invoice", "credit_note"],
        "issue_date": ["2024-01-10", "2024-02-01", "2024-02-05"],
        "due_date": ["2024-03-10", "2024-04-01", "2024-02-05"],
        "amount_ttc": [120.0, 240.0, -60.0],
        "amount_ht": [100.0, 200.0, -50.0],
    })


def _payments():
    return pd.DataFrame({
        "payment_id": ["R1", "R2", "R2", "R3"],
        "customer_id": ["C1", "C1", "C1", "C2"],
        "payment_date": ["2024-03-01", "2024-04-01", "2024-04-01", "2024-04-02"],
        "amount": [120.0, 100.0, 50.0, 30.0],
        "invoice_id": ["F1", "F2", None, None],
        "method": ["virement", "cheque", "cheque", None],
    })


def _by_check(found):
    out = {}
    for p in found:
        out.setdefault(p.check, []).append(p)
    return out


def test_valid_table_is_coerced_and_completed():
    out = cio.validate(_invoices(), "invoices")
    assert list(out.columns) == cio.columns_of("invoices")  # optional columns added, in order
    assert out["issue_date"].dtype == "datetime64[ns]"
    assert out["amount_ttc"].dtype == "float64"
    assert out["disputed"].dtype == bool and not out["disputed"].any()
    assert out["currency"].isna().all()
    assert cio.problems(_invoices(), "invoices") == []
    pay = cio.validate(_payments(), "payments", invoices=out)
    assert pay["invoice_id"].isna().sum() == 2  # unallocated cash on account is allowed


def test_every_invoice_problem_reported_at_once():
    df = _invoices().rename(columns={"customer_id": "custmer_id"})
    df = pd.concat([df, df.iloc[[1]]], ignore_index=True)          # duplicate id (row 3)
    df.loc[0, "due_date"] = "2024-01-05"                           # before issue date
    df.loc[1, "issue_date"] = "31/02/2024"                         # unparseable date
    df["amount_ttc"] = df["amount_ttc"].astype(object)
    df.loc[2, "amount_ttc"] = "douze"                              # not a number
    df.loc[3, "doc_type"] = "avoir"                                # outside choices
    df.loc[2, "due_date"] = None                                   # missing required value
    with pytest.raises(ValidationError) as info:
        cio.validate(df, "invoices")
    err = info.value
    kinds = _by_check(err.problems)
    assert set(kinds) >= {"misspelled_column", "missing_column", "unique", "dtype", "choices",
                          "not_null", "due_date_not_before_issue_date"}
    assert all(isinstance(p, Problem) for p in err.problems)
    msg = str(err)
    assert "custmer_id → did you mean customer_id?" in msg
    assert "rename column 'custmer_id' to 'customer_id'" in msg
    dates = [p for p in kinds["dtype"] if p.column == "issue_date"][0]
    assert dates.rows == (1,) and "'31/02/2024'" in dates.message and "YYYY-MM-DD" in dates.fix
    assert [p for p in kinds["dtype"] if p.column == "amount_ttc"][0].rows == (2,)
    assert kinds["unique"][0].column == "invoice_id" and kinds["unique"][0].rows == (1, 3)
    assert kinds["due_date_not_before_issue_date"][0].rows == (0,)
    assert "'avoir'" in kinds["choices"][0].message and kinds["choices"][0].rows == (3,)
    assert kinds["not_null"][0].column == "due_date"
    for p in err.problems:  # every message says the column and the fix
        assert p.fix and (p.column or "") in str(p)
    # problems() returns the same list without raising
    assert [p.check for p in cio.problems(df, "invoices")] == [p.check for p in err.problems]
    # lazy=False: only the first one
    with pytest.raises(ValidationError) as first:
        cio.validate(df, "invoices", lazy=False)
    assert len(first.value.problems) == 1


def test_signs_and_negative_amounts():
    df = _invoices()
    df.loc[0, "amount_ttc"] = -120.0   # an invoice with a negative amount
    df.loc[2, "amount_ht"] = 50.0      # HT with the other sign than TTC
    kinds = _by_check(cio.problems(df, "invoices"))
    assert kinds["amount_sign_matches_doc_type"][0].rows == (0,)
    assert kinds["amount_ht_same_sign"][0].rows == (0, 2)
    orders = pd.DataFrame({"order_id": ["O1", "O2"], "customer_id": ["C1", "C1"],
                           "order_date": ["2024-01-01", "2024-01-02"], "amount_ttc": [10.0, -5.0],
                           "status": ["accepted", "shipped"],
                           "ship_date": [None, "2023-12-31"]})
    kinds = _by_check(cio.problems(orders, "orders"))
    assert kinds["min_value"][0].column == "amount_ttc" and kinds["min_value"][0].rows == (1,)
    assert "not signed" in kinds["min_value"][0].fix
    assert kinds["ship_date_not_before_order_date"][0].rows == (1,)


def test_payments_unknown_and_over_allocated_invoices():
    inv = cio.validate(_invoices(), "invoices")
    pay = _payments()
    pay.loc[3, "invoice_id"] = "F99"       # unknown invoice
    pay.loc[2, "invoice_id"] = "F1"        # F1 now gets 120 + 50 > 120
    pay = pd.concat([pay, pay.iloc[[0]]], ignore_index=True)  # duplicate (payment_id, invoice_id)
    found = cio.problems(pay, "payments", invoices=inv)
    kinds = _by_check(found)
    assert kinds["unknown_invoice"][0].rows == (3,) and "'F99'" in kinds["unknown_invoice"][0].message
    over = kinds["over_allocated"][0]
    assert "F1: allocated 290.00 for amount_ttc 120.00" in over.message
    assert set(over.rows) == {0, 2, 4}
    assert kinds["duplicate_key"][0].rows == (0, 4)
    # within tolerance: 120.005 allocated on 120 is fine
    ok = pd.DataFrame({"payment_id": ["R1", "R2"], "customer_id": ["C1", "C1"],
                       "payment_date": ["2024-03-01", "2024-03-02"], "amount": [60.0, 60.005],
                       "invoice_id": ["F1", "F1"]})
    assert cio.problems(ok, "payments", invoices=inv) == []
    with pytest.raises(InputError, match="invoices"):
        cio.problems(ok, "payments", invoices=pd.DataFrame({"x": [1]}))


def test_financial_statements_must_balance(demo):
    fs = demo["financial_statements"].head(4).copy()
    assert cio.problems(fs, "financial_statements") == []
    fs.loc[fs.index[0], "cash"] += 100.0            # assets no longer add up
    fs.loc[fs.index[1], "total_liabilities"] += 50.0  # liabilities add-up and balance
    fs.loc[fs.index[2], "net_income"] += 1.5        # within the 2 EUR tolerance: fine
    kinds = _by_check(cio.problems(fs, "financial_statements"))
    assert kinds["total_assets_identity"][0].rows == (fs.index[0],)
    assert "-100.00" in kinds["total_assets_identity"][0].message
    assert kinds["total_liabilities_identity"][0].rows == (fs.index[1],)
    assert kinds["balance_sheet_balances"][0].rows == (fs.index[1],)
    assert "net_income_identity" not in kinds
    assert set(FS_IDENTITIES) == {"total_assets", "equity", "total_liabilities", "net_income"}


def test_demo_tables_validate(demo):
    for name, df in demo.items():
        inv = demo["invoices"] if name in ("payments", "disputes") else None
        out = cio.validate(df, name, invoices=inv)
        assert list(out.columns)[: len(cio.columns_of(name))] == cio.columns_of(name)
        assert len(out) == len(df)


def test_text_values_coerced_like_a_csv():
    df = pd.DataFrame({"customer_id": [42.0, 7.0], "event_type": ["liquidation", "sauvegarde"],
                       "event_date": ["2024-05-01", "2024-06-01 00:00:00"], "source": [None, "x"]})
    out = cio.validate(df, "events")
    assert out["customer_id"].tolist() == ["42", "7"]  # ids read as floats lose their ".0"
    assert out["event_date"].tolist() == [pd.Timestamp("2024-05-01"), pd.Timestamp("2024-06-01")]
    cust = pd.DataFrame({"customer_id": ["C1"], "name": ["A"], "sector": ["industrie"],
                         "size_class": ["pme"], "segment": ["x"], "payment_terms": ["net_60"],
                         "founded_date": ["1066-10-14"]})
    kinds = _by_check(cio.problems(cust, "customers"))
    assert kinds["dtype"][0].column == "founded_date"  # implausible year caught, not overflowed


def test_duplicate_columns_and_bad_arguments():
    df = _invoices()
    df.columns = ["invoice_id", "customer_id", "doc_type", "issue_date", "issue_date",
                  "amount_ttc", "amount_ht"]
    assert _by_check(cio.problems(df, "invoices"))["duplicate_column"][0].column == "issue_date"
    # the other problems are still reported at once (checked on the first issue_date)
    df["amount_ttc"] = "abc"
    found = _by_check(cio.problems(df, "invoices"))
    assert set(found) == {"duplicate_column", "missing_column", "dtype"}
    assert found["missing_column"][0].column == "due_date"
    assert found["dtype"][0].column == "amount_ttc"
    with pytest.raises(InputError, match="table"):
        cio.validate(_invoices(), "factures")
    with pytest.raises(InputError, match="df"):
        cio.validate([1, 2], "invoices")


def test_schemas_are_derived_from_tables():
    for name, spec in TABLES.items():
        schema = cio.table_schema(name)
        assert isinstance(schema, pa.DataFrameSchema)
        assert list(schema.columns) == spec.names
        for col in spec.columns:
            sc = schema.columns[col.name]
            assert sc.nullable == col.nullable and sc.required == col.required
            assert sc.unique == col.unique
            assert any("isin" in str(c) for c in sc.checks) == (col.choices is not None)
        if len(spec.key) > 1:
            assert list(schema.unique) == list(spec.key)
    # the schema itself rejects a row that breaks a row rule
    bad = cio.validate(_invoices(), "invoices")
    bad.loc[0, "due_date"] = pd.Timestamp("2023-01-01")
    with pytest.raises(pa.errors.SchemaErrors):
        cio.table_schema("invoices").validate(bad, lazy=True)
