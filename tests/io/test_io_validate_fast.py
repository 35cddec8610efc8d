"""The vectorised column checks of ``validate`` give the problems pandera's schema gave.

``_pandera_problems`` below is the former implementation of ``validate._schema_problems`` (the
pandera schema of ``creditlab.io.table_schema`` run lazily, its failure cases turned into
problems), kept here as the oracle: on hostile tables — missing values, duplicates of a column
and of a key, unknown codes, negative amounts, unparseable values, integers with holes — both
give the same problems, in the same order, with the same rows and messages.
"""

from __future__ import annotations

import difflib
import sys as _sys

import numpy as np
import pandas as pd
import pandera.errors as pae
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import creditlab.io.validate  # noqa: F401  (the module, not the function of creditlab.io)
from creditlab.exceptions import Problem
from creditlab.io.schemas import row_rules, table_schema
from creditlab.io.tables import _table

v = _sys.modules["creditlab.io.validate"]

_PANDERA_CHECKS = {
    "not_nullable": "not_null",
    "field_uniqueness": "unique",
    "multiple_fields_uniqueness": "duplicate_key",
    "isin": "choices",
    "greater_than_or_equal_to": "min_value",
}


def _pandera_problems(out, spec, bad_masks) -> list[Problem]:
    schema = table_schema(spec.name)
    try:
        schema.validate(out, lazy=True)
        return []
    except pae.SchemaErrors as err:
        fc = err.failure_cases.copy()
    rules = row_rules(spec.name)
    skip = {r.name for r in rules} | {r.expected for r in rules} | {"column_in_dataframe"}
    fc = fc[~fc["check"].astype("str").isin(skip)]
    found: list[Problem] = []
    pos = pd.Series(np.arange(len(out)), index=out.index)
    dup_done = False
    for (column, check), g in fc.groupby(["column", "check"], sort=False, dropna=False):
        check = str(check)
        kind = _PANDERA_CHECKS.get(check, _PANDERA_CHECKS.get(check.split("(")[0],
                                                             check.split("(")[0]))
        rows_idx = g["index"].dropna()
        if column in bad_masks and not rows_idx.empty:
            already = bad_masks[column]
            rows_idx = rows_idx[~rows_idx.isin(already.index[already.to_numpy()])]
            if rows_idx.empty:
                continue
        col = spec.column(column) if column in spec.names else None
        mask = pd.Series(False, index=out.index)
        if not rows_idx.empty:
            mask.iloc[pos.reindex(pd.Index(rows_idx.unique())).dropna().astype(int)
                      .to_numpy()] = True
        rows = v._rows(out.index, mask)
        got = g["failure_case"]
        if kind == "not_null":
            found.append(Problem(spec.name, column, "not_null",
                                 f"expected a value on every row, got {mask.sum()} missing",
                                 f"fill {column} ({col.label_fr if col else ''}) on these rows or "
                                 "drop them", rows))
        elif kind == "unique":
            found.append(Problem(spec.name, column, "unique",
                                 f"expected unique values, got duplicates {v._show(got)}",
                                 f"make {column} unique: remove duplicated rows or renumber",
                                 rows))
        elif kind == "duplicate_key":
            if dup_done:
                continue
            dup_done = True
            key = list(spec.key)
            dmask = out.duplicated(key, keep=False)
            keys = out.loc[dmask.to_numpy(), key].drop_duplicates().head(3)
            found.append(Problem(spec.name, ", ".join(key), "duplicate_key",
                                 f"expected one row per ({', '.join(key)}), got duplicated keys "
                                 f"{[tuple(r) for r in keys.itertuples(index=False)]}",
                                 "remove the duplicated rows or merge them into one",
                                 v._rows(out.index, dmask)))
        elif kind == "choices":
            near = []
            for val in pd.unique(got.astype("str"))[:3]:
                m = difflib.get_close_matches(str(val).strip().lower(), list(col.choices), n=1,
                                              cutoff=0.6)
                if m:
                    near.append(f"{val!r} → {m[0]!r}")
            hint = f" (e.g. {', '.join(near)})" if near else ""
            found.append(Problem(spec.name, column, "choices",
                                 f"expected one of {list(col.choices)}, got {v._show(got)}",
                                 f"replace the other values of {column} by one of the allowed "
                                 f"codes{hint}", rows))
        elif kind == "min_value":
            found.append(Problem(spec.name, column, "min_value",
                                 f"expected {column} >= {col.min_value:g}, got {v._show(got)}",
                                 f"{column} is not signed: enter it as a positive amount "
                                 "(or correct the sign of the row)", rows))
        elif kind == "dtype" or check.startswith("dtype"):
            found.append(Problem(spec.name, column, "dtype",
                                 f"expected dtype {check}, got {v._show(got)}",
                                 f"convert {column} to its canonical type", rows))
        else:
            found.append(Problem(spec.name, None if pd.isna(column) else column, kind,
                                 f"check {check} failed, got {v._show(got)}",
                                 "correct the values listed", rows))
    return found


def _both(df: pd.DataFrame, table: str):
    spec = _table(table)
    if any(c not in df.columns for c in spec.key):
        pytest.skip("pandera's conversion needs every key column")
    out, _, bad = v._coerce(df, spec)
    out = v._defaults(v._add_missing_optional(out, spec), spec)
    return v._schema_problems(out, spec, bad), _pandera_problems(out, spec, bad)


def _hostile_invoices():
    return pd.DataFrame({
        "invoice_id": ["F1", "F2", "F2", None, "F5", "F1", "F7", None],
        "customer_id": ["C1", None, "C2", "C2", "C3", "C3", None, "C4"],
        "doc_type": ["invoice", "facture", "credit_note", "bogus", "invoice", "bogus", None,
                     "invoice"],
        "issue_date": ["2024-01-10", "xx", "2024-02-05", None, "2024-02-05", "2024-02-05",
                       "2024-02-05", "1850-01-01"],
        "due_date": ["2024-03-10", "2024-04-01", "2024-02-05", "2024-02-05", None,
                     "2024-02-05", "2024-02-05", "2024-02-05"],
        "amount_ttc": [120.0, "abc", -60.0, 5, None, 1, 2, 3],
        "amount_ht": [100.0, 200.0, -50.0, -3, 1, 1, 1, 1],
        "currency": ["EUR", None, "USD", "EUR", "EUR", "EUR", "EUR", "EUR"],
        "dispute_cause": [None, "prix", "price", None, "bad", None, None, "qualite"],
    })


def _hostile_payments():
    return pd.DataFrame({
        "payment_id": ["R1", "R1", "R2", None, "R3", "R3", None, None],
        "customer_id": ["C1", "C1", None, "C2", "C2", "C2", "C5", "C5"],
        "payment_date": ["2024-03-01", "2024-03-01", "x", None, "2024-01-01", "2024-01-01",
                         "2024-01-02", "2024-01-02"],
        "amount": [1.0, 1.0, -2, None, 3, 3, "1,5", 2],
        "invoice_id": ["F1", "F1", None, "F9", None, None, "F3", "F3"],
        "method": ["virement", "cash", None, "cheque", "carte", "carte", "Chèque", None],
    })


def _hostile_customers(demo):
    c = demo["customers"].head(6).copy()
    c["credit_limit"] = c["credit_limit"].astype(object)
    c.loc[c.index[0], "credit_limit"] = -1
    c.loc[c.index[5], "credit_limit"] = "n/a"
    c.loc[c.index[1], "customer_id"] = c["customer_id"].iloc[2]
    c.loc[c.index[3], "customer_id"] = None
    c.loc[c.index[4], "customer_id"] = None
    c.loc[c.index[4], "sector"] = None
    c.loc[c.index[2], "size_class"] = "grande"
    return c


def _hostile_statements(demo):
    fs = demo["financial_statements"].head(8).copy()
    fs["months"] = fs["months"].astype(object)
    fs["fiscal_year"] = fs["fiscal_year"].astype(object)
    fs.loc[fs.index[0], "months"] = None
    fs.loc[fs.index[1], "months"] = 0
    fs.loc[fs.index[2], "fiscal_year"] = 2024.5
    fs.loc[fs.index[3], "revenue"] = -5
    fs.loc[fs.index[4], "customer_id"] = None
    fs.loc[fs.index[5], "fiscal_year"] = fs["fiscal_year"].iloc[6]
    fs.loc[fs.index[5], "customer_id"] = fs["customer_id"].iloc[6]
    return fs


def test_hostile_tables_same_problems_as_pandera(demo):
    cases = [(_hostile_invoices(), "invoices"), (_hostile_payments(), "payments"),
             (_hostile_customers(demo), "customers"), (_hostile_statements(demo),
                                                       "financial_statements")]
    for df, table in cases:
        fast, oracle = _both(df, table)
        assert fast == oracle, table
        assert len(fast) >= 3, table  # the tables are hostile: something is found
    # the checks found are the ones expected (not merely equal)
    fast, _ = _both(_hostile_invoices(), "invoices")
    by = {(p.column, p.check): p for p in fast}
    assert by[("invoice_id", "unique")].rows == (0, 1, 2, 5)  # missing ids are not duplicates
    assert by[("invoice_id", "not_null")].rows == (3, 7)
    assert by[("doc_type", "choices")].rows == (1, 3, 5)
    assert "'prix' → 'price'" in by[("dispute_cause", "choices")].fix
    fast, _ = _both(_hostile_payments(), "payments")
    assert fast[0].check == "duplicate_key" and fast[0].rows == (0, 1, 4, 5, 6, 7)
    fast, _ = _both(_hostile_statements(demo), "financial_statements")
    checks = {(p.column, p.check) for p in fast}
    assert {("months", "dtype"), ("months", "min_value"), ("fiscal_year", "dtype")} - checks \
        == {("fiscal_year", "dtype")}  # its hole is the unparseable 2024.5, reported once


def test_demo_tables_have_no_schema_problem(demo):
    for table in ("customers", "invoices", "payments", "financial_statements", "disputes"):
        fast, oracle = _both(demo[table], table)
        assert fast == oracle == []


_ids = st.sampled_from(["F1", "F2", "F3", "F10", None, "  ", "f1"])
_codes = st.sampled_from(["invoice", "credit_note", "Avoir", "bogus", None, ""])
_amounts = st.one_of(st.floats(-1e6, 1e6, allow_nan=False), st.none(),
                     st.sampled_from(["abc", "1,5", "-0"]))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_ids, _ids, _codes, _amounts, _ids, st.sampled_from(
    ["virement", "cheque", "espèces", None])), min_size=1, max_size=12))
def test_random_tables_same_problems_as_pandera(rows):
    inv = pd.DataFrame({
        "invoice_id": [r[0] for r in rows], "customer_id": [r[1] for r in rows],
        "doc_type": [r[2] for r in rows], "issue_date": "2024-01-01",
        "due_date": "2024-02-01", "amount_ttc": [r[3] for r in rows]})
    fast, oracle = _both(inv, "invoices")
    assert fast == oracle
    pay = pd.DataFrame({
        "payment_id": [r[4] for r in rows], "customer_id": [r[1] for r in rows],
        "payment_date": "2024-03-01", "amount": [r[3] for r in rows],
        "invoice_id": [r[0] for r in rows], "method": [r[5] for r in rows]})
    fast, oracle = _both(pay, "payments")
    assert fast == oracle


def test_validation_does_not_import_pandera():
    import subprocess
    import sys

    code = ("import sys, pandas as pd, creditlab.io as cio; "
            "cio.problems(pd.DataFrame({'invoice_id': ['F1', 'F1']}), 'invoices'); "
            "print('pandera' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_key_duplicates_of_a_large_table_as_pandas(seed):
    """On a larger table (codes of each key column, then integers) the rows found are still
    pandas' ``duplicated(key, keep=False)``."""
    rng = np.random.default_rng(seed)
    n = 3000
    inv = pd.Series([f"F{i}" for i in rng.permutation(n)], dtype="str")
    inv[rng.random(n) < 0.2] = None                       # cash on account
    if seed == 2:
        inv.iloc[5] = inv.iloc[6] = "F-dup"               # not unique: the general path
    pay = pd.Series([f"R{i}" for i in rng.integers(0, 400, n)], dtype="str")
    pay[rng.random(n) < 0.01] = None
    df = pd.DataFrame({"payment_id": pay, "invoice_id": inv})
    want = df.duplicated(["payment_id", "invoice_id"], keep=False).to_numpy()
    assert want.any()
    np.testing.assert_array_equal(v._key_duplicated(df, ["payment_id", "invoice_id"]), want)
