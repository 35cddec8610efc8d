"""Validation of the canonical tables: every problem at once, each with its fix.

:func:`validate` coerces a table to its canonical dtypes (:mod:`creditlab.io.tables`), checks it
against the rules of its schema (:func:`creditlab.io.schemas.table_schema`, run as vectorised
checks on the numpy/Arrow columns: pandera is not imported) and the cross-table rules,
and either returns the coerced table or raises :class:`~creditlab.exceptions.ValidationError`
listing every :class:`~creditlab.exceptions.Problem`. :func:`problems` returns the list without
raising.

Problem kinds (``Problem.check``)
---------------------------------
``missing_column``, ``misspelled_column``, ``duplicate_column``, ``dtype`` (unparseable date,
number or boolean), ``date_range`` (date before 1900 or after 2200, a typo), ``not_null``,
``choices``, ``min_value`` (negative amount where the column is not signed), ``unique`` /
``duplicate_key``, row rules (``due_date_not_before_issue_date``, ``amount_sign_matches_doc_type``,
the accounting identities ``total_assets_identity`` ..., ``balance_sheet_balances``; see
:data:`creditlab.io.rules.ROW_RULES`), and with ``invoices=``: ``unknown_invoice`` (payments or
disputes pointing at an invoice that is not in ``invoices``) and ``over_allocated`` (allocations
to an invoice exceeding its amount by more than 0.01 EUR). Within an invoices table,
``unknown_related_invoice`` flags credit notes pointing at a missing invoice.

Row numbers in the problems are the index labels of ``df`` (``read_table`` reports file lines).
"""

from __future__ import annotations

import difflib
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from creditlab.exceptions import InputError, Problem, ValidationError
from creditlab.io.rules import row_rules
from creditlab.tables import Column, Table, _table

__all__ = ["validate", "problems", "ALLOCATION_TOLERANCE", "TRUE_TOKENS", "FALSE_TOKENS"]

#: Over-allocation tolerance in euros (rounding of split payments).
ALLOCATION_TOLERANCE = 0.01
#: Words read as True / False in boolean columns (lower-cased, stripped). Empty = False.
TRUE_TOKENS = ("true", "1", "1.0", "yes", "y", "oui", "o", "vrai", "x")
FALSE_TOKENS = ("false", "0", "0.0", "no", "n", "non", "faux", "")
_MIN_DATE = pd.Timestamp("1900-01-01")
_MAX_DATE = pd.Timestamp("2200-12-31")
_MAX_ROWS_KEPT = 100_000


def _rows(index: pd.Index, mask) -> tuple:
    """Index labels where ``mask`` is True (at most _MAX_ROWS_KEPT kept)."""
    sel = index[np.asarray(mask, dtype=bool)]
    return tuple(sel[:_MAX_ROWS_KEPT].tolist())


def _show(values, n: int = 3) -> str:
    """First distinct values, repr'd, for a message."""
    uniq = pd.unique(pd.Series(list(values), dtype=object))
    shown = ", ".join(repr(v) for v in uniq[:n])
    return shown + (f" (+{len(uniq) - n} other values)" if len(uniq) > n else "")


# ----------------------------------------------------------------------------- coercion
def _coerce_column(s: pd.Series, col: Column, stripped: bool = False
                   ) -> tuple[pd.Series, pd.Series, str]:
    """Cast one column; return (cast series, mask of unparseable values, expected text).
    ``stripped``: text columns already stripped, blanks missing (``read_table``'s values)."""
    present = s.notna()
    if col.dtype == "date":
        if isinstance(s.dtype, pd.DatetimeTZDtype):
            s = s.dt.tz_localize(None)
        if pd.api.types.is_datetime64_any_dtype(s.dtype):
            out = s
        else:
            if s.dtype == object:  # mixed cells (spreadsheets): strip the strings only
                text = s.map(lambda v: v.strip() or None if isinstance(v, str) else v)
            else:
                text = s.astype("str").str.strip()
                text = text.where(text != "", None)
            present = text.notna()
            out = pd.to_datetime(text, errors="coerce", format="ISO8601")
        bad = present & out.isna()
        out_range = out.notna() & ((out < _MIN_DATE) | (out > _MAX_DATE))
        out = out.where(~out_range)
        return out.astype("datetime64[ns]"), bad | out_range, "a date (YYYY-MM-DD)"
    if col.dtype in ("float", "int"):
        if pd.api.types.is_bool_dtype(s.dtype):
            s = s.astype("float64")
        if pd.api.types.is_numeric_dtype(s.dtype):
            out = s.astype("float64")
        else:
            text = s.astype("str").str.strip()
            text = text.where(text != "", None)
            present = text.notna()
            out = pd.to_numeric(text, errors="coerce").astype("float64")
        bad = present & out.isna()
        if col.dtype == "int":
            frac = out.notna() & (out != np.round(out))
            bad = bad | frac
            out = out.where(~frac)
            if not out.isna().any():
                out = out.astype("int64")
            return out, bad, "an integer"
        bad = bad | np.isinf(out.to_numpy(dtype="float64"))
        return out.where(~bad), bad, "a number (decimal point, no thousands separator)"
    if col.dtype == "bool":
        if pd.api.types.is_bool_dtype(s.dtype) and not s.isna().any():
            return s.astype(bool), pd.Series(False, index=s.index), "a boolean"
        text = s.astype("str").str.strip().str.lower().fillna("")
        is_true = text.isin(TRUE_TOKENS)
        is_false = text.isin(FALSE_TOKENS)
        bad = ~(is_true | is_false)
        return is_true.astype(bool), bad, "a boolean (True/False, oui/non, vrai/faux, 1/0)"
    # str
    if stripped and isinstance(s.dtype, pd.StringDtype):
        return s.astype("str"), pd.Series(False, index=s.index), "a text"
    if pd.api.types.is_float_dtype(s.dtype):
        vals = s.to_numpy(dtype="float64")
        finite = vals[~np.isnan(vals)]
        if finite.size and np.all(finite == np.round(finite)):  # ids read as floats: 42.0 -> "42"
            s = s.astype("Int64")
    out = s.astype("str")
    out = out.where(out.isna() | (out.str.strip() != ""), None).astype("str")
    return out, pd.Series(False, index=s.index), "a text"


def _coerce(df: pd.DataFrame, spec: Table, stripped: bool = False
            ) -> tuple[pd.DataFrame, list[Problem], dict]:
    out = df.copy()
    found: list[Problem] = []
    bad_masks: dict[str, pd.Series] = {}
    for col in spec.columns:
        if col.name not in out.columns:
            continue
        s, bad, expected = _coerce_column(out[col.name], col, stripped)
        bad = pd.Series(np.asarray(bad, dtype=bool), index=out.index)
        out[col.name] = s
        if bad.any():
            bad_masks[col.name] = bad
            got = df.loc[bad.to_numpy(), col.name]
            if col.dtype == "date":
                fix = (f"write {col.name} as YYYY-MM-DD (read French dd/mm/yyyy files with "
                       "creditlab.io.read_table, or use pd.to_datetime(..., dayfirst=True))")
            elif col.dtype in ("float", "int"):
                fix = (f"write {col.name} as plain numbers; read files with decimal commas or "
                       "thousands separators with creditlab.io.read_table")
            else:
                fix = f"write {col.name} as True/False (oui/non, vrai/faux and 1/0 are accepted)"
            found.append(Problem(spec.name, col.name, "dtype",
                                 f"expected {expected}, got {_show(got)}", fix,
                                 _rows(out.index, bad)))
    return out, found, bad_masks


def _add_missing_optional(out: pd.DataFrame, spec: Table) -> pd.DataFrame:
    """Add absent optional columns (missing values, False for booleans), canonical order first."""
    for col in spec.columns:
        if col.name in out.columns or col.required or not col.listed:
            continue
        if col.dtype == "bool":
            out[col.name] = False
        elif col.dtype == "date":
            out[col.name] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
        elif col.dtype in ("float", "int"):
            out[col.name] = np.nan
        else:
            out[col.name] = pd.Series(np.nan, index=out.index, dtype="str")
    canon = [c for c in spec.names if c in out.columns]
    return out[canon + [c for c in out.columns if c not in set(canon)]]


def _defaults(out: pd.DataFrame, spec: Table) -> pd.DataFrame:
    """Values implied by the others: an invoice without ``doc_type`` is an invoice when its
    ``amount_ttc`` is positive or zero, a credit note when negative (the sign carries it)."""
    if spec.name == "invoices" and "doc_type" in out.columns:
        amt = pd.to_numeric(out["amount_ttc"], errors="coerce") if "amount_ttc" in out.columns \
            else pd.Series(np.nan, index=out.index)
        blank = out["doc_type"].isna()
        if blank.any():  # a missing amount is reported on its own
            out["doc_type"] = out["doc_type"].astype(object).where(
                ~blank, np.where(amt < 0, "credit_note", "invoice")).astype("str")
    return out


# ----------------------------------------------------------------------------- checks
def _column_problems(df: pd.DataFrame, spec: Table) -> list[Problem]:
    found = []
    cols = [str(c) for c in df.columns]
    dup = sorted({c for c in cols if cols.count(c) > 1})
    for c in dup:
        found.append(Problem(spec.name, c, "duplicate_column",
                             f"expected one column named {c!r}, got {cols.count(c)}",
                             f"drop or rename the extra {c!r} columns"))
    canon = spec.names
    absent = [c for c in canon if c not in cols]
    unknown = [c for c in cols if c not in canon]
    suggested: dict[str, str] = {}
    for u in unknown:
        # camelCase to snake_case, and the same kind of column (…_date, …_id, amount_…): a
        # header "InvoiceDate" is never proposed as invoice_id
        snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", u.strip()).lower().replace(" ", "_")
        kind = snake.rsplit("_", 1)[-1]
        same_kind = [c for c in absent if kind in c.split("_")]
        match = difflib.get_close_matches(snake, same_kind, n=1, cutoff=0.75)
        if match:
            suggested[match[0]] = u
            found.append(Problem(
                spec.name, u, "misspelled_column",
                f"unknown column: {u} → did you mean {match[0]}?",
                f"rename column {u!r} to {match[0]!r} (df.rename(columns={{{u!r}: {match[0]!r}}}) "
                f"or read_table(..., columns={{{u!r}: {match[0]!r}}}))"))
    for c in absent:
        if not spec.column(c).required:
            continue
        if c in suggested:
            fix = f"rename column {suggested[c]!r} to {c!r}"
        else:
            fix = (f"add column {c!r} ({spec.column(c).label_fr}: {spec.column(c).description}) "
                   f"or map your column to it with read_table(..., columns={{'your name': {c!r}}})"
                   f" — in creditlab.toml: [columns.{spec.name}] \"your name\" = \"{c}\"")
        found.append(Problem(spec.name, c, "missing_column",
                             f"required column {c!r} is missing (got columns {cols})", fix))
    return found


def _arrow_text(s: pd.Series):
    """``s`` as an Arrow string array when it is a pandas string column (None otherwise)."""
    if not isinstance(s.dtype, pd.StringDtype):
        return None
    try:
        arr = pa.array(s)
    except (pa.ArrowException, TypeError, ValueError):  # pragma: no cover - odd storage
        return None
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def _duplicated(s: pd.Series) -> np.ndarray:
    """Rows whose non-missing value occurs more than once (every occurrence), as pandera's
    column uniqueness reports them. One hash pass when the column is unique (the usual case)."""
    present = s.notna().to_numpy()
    arr = _arrow_text(s)
    if arr is not None and len(pc.unique(arr.drop_null())) == int(present.sum()):
        return np.zeros(len(s), dtype=bool)
    return s.duplicated(keep=False).to_numpy() & present


def _key_codes(s: pd.Series) -> np.ndarray:
    """Integer codes of a key column, missing values one code of their own (as pandas'
    ``duplicated`` treats them: equal to each other)."""
    arr = _arrow_text(s)
    if arr is not None:
        enc = pc.dictionary_encode(arr, null_encoding="encode")
        return np.asarray(enc.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    return pd.factorize(s, use_na_sentinel=False)[0].astype(np.int64)


def _key_duplicated(out: pd.DataFrame, key: list[str]) -> np.ndarray:
    """Rows whose key (several columns) occurs more than once: ``out.duplicated(key,
    keep=False)`` on the integer codes of each column (one Arrow dictionary encoding per
    column, then integers)."""
    codes = np.zeros(len(out), dtype=np.int64)
    for c in key:
        k = _key_codes(out[c])
        codes = codes * (int(k.max()) + 1 if len(k) else 1) + k
    return pd.Series(codes).duplicated(keep=False).to_numpy()


def _schema_problems(out: pd.DataFrame, spec: Table, bad_masks: dict) -> list[Problem]:
    """The column checks of the table's schema (:func:`creditlab.io.schemas.table_schema`) on
    the numpy/Arrow columns: missing values, integer dtype, uniqueness (of a column, of the key),
    allowed codes, minimum values. Same problems, in the same order, as the pandera schema
    (``tests/io/test_io_validate_fast.py`` compares both on hostile tables); a row already
    reported as unparseable (``bad_masks``) is not reported again."""
    found: list[Problem] = []
    index = out.index
    key = [k for k in spec.key if k in out.columns] if len(spec.key) > 1 else []
    if key:
        dmask = _key_duplicated(out, key)
        # a key missing in full is reported as missing values, not as a duplicate (pandera
        # drops missing values from the failure cases), its rows are listed with the others
        if (dmask & out[key].notna().any(axis=1).to_numpy()).any():
            keys = out.loc[dmask, key].drop_duplicates().head(3)
            found.append(Problem(spec.name, ", ".join(key), "duplicate_key",
                                 f"expected one row per ({', '.join(key)}), got duplicated "
                                 f"keys {[tuple(r) for r in keys.itertuples(index=False)]}",
                                 "remove the duplicated rows or merge them into one",
                                 _rows(index, dmask)))
    for col in spec.columns:
        if col.name not in out.columns:
            continue
        s = out[col.name]
        known = ~bad_masks[col.name].to_numpy() if col.name in bad_masks else \
            np.ones(len(s), dtype=bool)
        null = s.isna().to_numpy()
        if not col.nullable and (null & known).any():
            mask = null & known
            found.append(Problem(spec.name, col.name, "not_null",
                                 f"expected a value on every row, got {int(mask.sum())} missing",
                                 f"fill {col.name} ({col.label_fr}) on these rows or drop them",
                                 _rows(index, mask)))
        if col.dtype == "int" and s.dtype != np.int64 and (null & known).any():
            mask = null & known  # pandera cannot read these rows as int64
            found.append(Problem(spec.name, col.name, "dtype",
                                 f"expected dtype dtype('int64'), got {_show(s[mask])}",
                                 f"convert {col.name} to its canonical type", _rows(index, mask)))
        if col.unique:
            mask = _duplicated(s) & known
            if mask.any():
                found.append(Problem(spec.name, col.name, "unique",
                                     f"expected unique values, got duplicates {_show(s[mask])}",
                                     f"make {col.name} unique: remove duplicated rows or "
                                     "renumber", _rows(index, mask)))
        if col.choices is not None:
            mask = ~null & ~np.asarray(s.isin(col.choices), dtype=bool) & known
            if mask.any():
                got = s[mask]
                near = []
                for v in pd.unique(got.astype("str"))[:3]:
                    m = difflib.get_close_matches(str(v).strip().lower(), list(col.choices),
                                                  n=1, cutoff=0.6)
                    if m:
                        near.append(f"{v!r} → {m[0]!r}")
                hint = f" (e.g. {', '.join(near)})" if near else ""
                found.append(Problem(spec.name, col.name, "choices",
                                     f"expected one of {list(col.choices)}, got {_show(got)}",
                                     f"replace the other values of {col.name} by one of the "
                                     f"allowed codes{hint}", _rows(index, mask)))
        if col.min_value is not None:
            with np.errstate(invalid="ignore"):
                below = np.asarray(pd.to_numeric(s, errors="coerce") < col.min_value,
                                   dtype=bool)
            mask = below & ~null & known
            if mask.any():
                found.append(Problem(spec.name, col.name, "min_value",
                                     f"expected {col.name} >= {col.min_value:g}, got "
                                     f"{_show(s[mask])}",
                                     f"{col.name} is not signed: enter it as a positive amount "
                                     "(or correct the sign of the row)", _rows(index, mask)))
    return found


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:.2f}"
    if isinstance(v, pd.Timestamp):
        return v.strftime("%Y-%m-%d")
    return repr(v)


def _rule_problems(out: pd.DataFrame, spec: Table) -> list[Problem]:
    found = []
    for rule in row_rules(spec.name):
        ok = rule.ok(out)
        if ok.all():
            continue
        bad = ~ok
        if rule.describe is not None:
            got = rule.describe(out.loc[bad.to_numpy()])
        else:
            sample = out.loc[bad.to_numpy(), list(rule.columns)[:4]].head(2)
            got = f"{int(bad.sum())} row(s) such as " + "; ".join(
                ", ".join(f"{k}={_fmt(v)}" for k, v in row.items())
                for row in sample.to_dict("records"))
        found.append(Problem(spec.name, rule.column, rule.name,
                             f"expected {rule.expected}, got {got}", rule.fix,
                             _rows(out.index, bad)))
    return found


def _invoice_ids(invoices: pd.DataFrame) -> pd.Series:
    if not isinstance(invoices, pd.DataFrame) or "invoice_id" not in invoices.columns:
        raise InputError("invoices", "the canonical invoices table (with invoice_id)",
                         type(invoices).__name__,
                         "pass invoices=creditlab.io.read_table(path, 'invoices')")
    return invoices["invoice_id"].astype("str")


def _reference_problems(out: pd.DataFrame, spec: Table, invoices) -> list[Problem]:
    found = []
    if spec.name == "invoices" and {"related_invoice_id", "invoice_id"} <= set(out.columns):
        rel = out["related_invoice_id"]
        bad = rel.notna().to_numpy().copy()  # few credit notes name an invoice: those only
        bad[bad] = ~_isin(rel[bad], out["invoice_id"])
        if bad.any():
            found.append(Problem(spec.name, "related_invoice_id", "unknown_related_invoice",
                                 f"expected an invoice_id of this table, got {_show(rel[bad])}",
                                 "correct related_invoice_id or leave it empty when the credit "
                                 "note corrects no listed invoice", _rows(out.index, bad)))
    if invoices is None or spec.name not in ("payments", "disputes") or \
            "invoice_id" not in out.columns:
        return found
    ids = _invoice_ids(invoices)
    inv_id = out["invoice_id"]
    pos = _positions(inv_id, ids)  # first matching invoice row, -1 when absent
    unknown = inv_id.notna().to_numpy() & (pos < 0)
    if unknown.any():
        found.append(Problem(spec.name, "invoice_id", "unknown_invoice",
                             f"expected an invoice_id present in invoices, got {_show(inv_id[unknown])}",
                             "correct the invoice number, add the missing invoice to the invoices "
                             "table, or leave invoice_id empty for cash on account",
                             _rows(out.index, unknown)))
    if spec.name == "payments" and "amount" in out.columns and "amount_ttc" in invoices.columns:
        due_all = pd.to_numeric(invoices["amount_ttc"], errors="coerce").to_numpy(dtype="float64")
        known = inv_id.notna().to_numpy() & (pos >= 0)
        paid = pd.to_numeric(out["amount"], errors="coerce").to_numpy(dtype="float64")
        paid = np.where(np.isnan(paid), 0.0, paid)  # as groupby-sum: missing amounts count 0
        alloc_all = np.bincount(pos[known], weights=paid[known], minlength=len(due_all))
        # invoices with at least one allocation, in order of first appearance in the table
        first, order = np.unique(pos[known], return_index=True)
        hit = first[np.argsort(order, kind="stable")]
        alloc, due = alloc_all[hit], due_all[hit]
        with np.errstate(invalid="ignore"):
            over = ((due >= 0) & (alloc > due + ALLOCATION_TOLERANCE)) | \
                   ((due < 0) & (alloc < due - ALLOCATION_TOLERANCE))
        if over.any():
            gap = np.abs(alloc - due)[over]
            worst = np.argsort(-gap, kind="stable")[:3]
            names = ids.to_numpy()[hit[over]]
            got = ", ".join(f"{names[k]}: allocated {alloc[over][k]:.2f} for amount_ttc "
                            f"{due[over][k]:.2f}" for k in worst)
            rows = known & np.isin(pos, hit[over])
            found.append(Problem(spec.name, "amount", "over_allocated",
                                 f"expected allocations per invoice <= its amount_ttc "
                                 f"(+{ALLOCATION_TOLERANCE} EUR), got {int(over.sum())} "
                                 f"over-allocated invoice(s): {got}",
                                 "reduce the allocated amounts or move the excess to an "
                                 "unallocated line (empty invoice_id: cash on account)",
                                 _rows(out.index, rows)))
    return found


def _check(df, table: str, invoices, stripped: bool = False
           ) -> tuple[pd.DataFrame, list[Problem]]:
    spec = _table(table)
    if not isinstance(df, pd.DataFrame):
        raise InputError("df", f"a pandas DataFrame with the columns of table {table!r}",
                         type(df).__name__, "build it with creditlab.io.read_table(path, table)")
    found = _column_problems(df, spec)
    if any(p.check == "duplicate_column" for p in found):
        df = df.loc[:, ~df.columns.duplicated()]  # check the rest on the first of each name
    out, type_problems, bad_masks = _coerce(df, spec, stripped)
    found += type_problems
    out = _add_missing_optional(out, spec)
    out = _defaults(out, spec)
    found += _schema_problems(out, spec, bad_masks)
    found += _rule_problems(out, spec)
    found += _reference_problems(out, spec, invoices)
    return out, found


def problems(df: pd.DataFrame, table: str, *, invoices: pd.DataFrame | None = None
             ) -> list[Problem]:
    """Every problem of ``df`` as a canonical ``table``, without raising.

    Parameters
    ----------
    df : DataFrame
        The table, with canonical column names (values may still be text).
    table : str
        Canonical table name (``creditlab.io.TABLES``).
    invoices : DataFrame, optional
        The invoices table, to check that payments/disputes point at known invoices and that no
        invoice is over-allocated (allocations > ``amount_ttc`` + 0.01 EUR).

    Returns
    -------
    list of Problem
        Empty when the table is valid. Row numbers are index labels of ``df``.
    """
    return _check(df, table, invoices)[1]


def validate(df: pd.DataFrame, table: str, *, invoices: pd.DataFrame | None = None,
             lazy: bool = True) -> pd.DataFrame:
    """Check a canonical table and return it coerced to canonical dtypes.

    Coercion: dates from ``datetime`` or ISO-8601 text to ``datetime64[ns]``; numbers from
    numbers or text with a decimal point to float64 (int64 for integer columns); booleans from
    True/False, oui/non, vrai/faux, 1/0 (empty = False); ids and codes to strings (``42.0`` read
    from a spreadsheet becomes ``"42"``). Absent optional columns are added (missing values,
    False for booleans) and the canonical columns come first, in canonical order; extra columns
    are kept after them.

    Parameters
    ----------
    df, table, invoices
        See :func:`problems`.
    lazy : bool, default True
        Collect every problem before raising. ``lazy=False`` reports only the first one.

    Returns
    -------
    DataFrame
        The coerced table (same index as ``df``).

    Raises
    ------
    ValidationError
        Listing each problem: column, rows (index labels), what was expected, what was got, fix.
    InputError
        When ``table`` is not a canonical table or ``df`` is not a DataFrame.
    """
    out, found = _check(df, table, invoices)
    if found:
        raise ValidationError(table, found if lazy else found[:1])
    return out


def _isin(s: pd.Series, values: pd.Series) -> np.ndarray:
    """``s.isin(values)`` as a numpy bool array, Arrow strings compared inside Arrow.

    pandas' ``ArrowStringArray.isin`` turns every value of ``values`` into a Python scalar first
    (a Python loop over a million invoice ids); ``pyarrow.compute.is_in`` does the same test in
    C++. Other dtypes (object columns with mixed types, numbers) go through ``Series.isin``.
    A missing value matches a missing value, as in pandas.
    """
    values = pd.Series(values)
    arrays = _arrow_strings(s, values)
    if arrays is not None:
        a, v = arrays
        if 4 * len(a) < len(v):  # few values looked up among many (credit notes' invoices):
            # keep the values that some element of ``s`` equals, probing the large side
            # against the small one's hash table instead of hashing the large side into one
            v = v.filter(pc.is_in(v, value_set=pc.unique(a)))
        return pc.is_in(a, value_set=v).fill_null(False).to_numpy(zero_copy_only=False)
    return np.asarray(s.isin(values), dtype=bool)


def _arrow_strings(s: pd.Series, values: pd.Series):
    """``(s, values)`` as Arrow arrays of one string type when both are pandas strings (None
    otherwise, or when Arrow cannot take them): the fast path of :func:`_isin`/:func:`_positions`."""
    if not (isinstance(s.dtype, pd.StringDtype) and isinstance(values.dtype, pd.StringDtype)):
        return None
    try:
        a, v = pa.array(s), pa.array(values)
        if isinstance(v, pa.ChunkedArray):
            v = v.combine_chunks()
        return a, v.cast(a.type)
    except (pa.ArrowException, TypeError, ValueError):
        return None


def _positions(s: pd.Series, values: pd.Series) -> np.ndarray:
    """Position in ``values`` of the first value equal to each element of ``s`` (-1: absent).

    Arrow strings are looked up inside Arrow (``pyarrow.compute.index_in``: one hash table, no
    Python scalar per value); other dtypes through a pandas index of the first occurrences.
    """
    values = pd.Series(values)
    arrays = _arrow_strings(s, values)
    if arrays is not None:
        got = pc.index_in(arrays[0], value_set=arrays[1]).fill_null(-1)
        return np.asarray(got.to_numpy(zero_copy_only=False), dtype=np.int64)
    idx = pd.Index(values)
    keep = ~idx.duplicated()
    got = idx[keep].get_indexer(pd.Index(s))
    return np.where(got >= 0, np.flatnonzero(keep)[np.maximum(got, 0)], -1).astype(np.int64)
