"""Read canonical tables from what people really export: CSV, Excel, Parquet.

:func:`read_table` detects the CSV dialect (separator ``;``, ``,``, tab or ``|``; encoding UTF-8,
UTF-8 with BOM, UTF-16 with BOM or cp1252), maps the headers to canonical column names (an
explicit ``columns=`` mapping, else the alias map shipped in ``creditlab/data/column_aliases.csv``,
matched ignoring case, accents, punctuation and the little words *de, du, des, la, le, of, the*),
normalises French values (decimal comma, spaces/non-breaking spaces as thousands separators,
dd/mm/yyyy dates, oui/non booleans, French codes such as *Avoir* or *Chèque* via
``creditlab/data/value_aliases.csv``) and validates the result with
:func:`creditlab.io.validate` — every problem at once, rows named by their line in the file.

The work is split by responsibility: ``_csv`` (encoding, separator, parse), ``_headers``
(header matching, alias maps), ``_values`` (numbers, dates, codes; one convention per file).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd

from creditlab.exceptions import FileFormatError, InputError, ValidationError
from creditlab.io._csv import _no_duplicate_headers, _read_csv
from creditlab.io._headers import (
    _map_headers,
    load_column_aliases,
    load_value_aliases,
    normalise_header,
)
from creditlab.io._values import _normalise_values, check_formats, parse_dates, parse_numbers
from creditlab.io.validate import _check
from creditlab.tables import _table

__all__ = ["read_table", "check_formats", "load_column_aliases", "load_value_aliases", "normalise_header",
           "parse_numbers", "parse_dates", "CSV_EXTENSIONS", "EXCEL_EXTENSIONS",
           "PARQUET_EXTENSIONS"]

CSV_EXTENSIONS = (".csv", ".txt", ".tsv")
EXCEL_EXTENSIONS = (".xlsx", ".xlsm", ".xls")
PARQUET_EXTENSIONS = (".parquet", ".pq")


def _excel_header_row(path: Path, sheet_name, engine) -> int:
    """0-based row of the header of a sheet with title lines above its table: the first row
    filled as widely as the widest row of the first 30 (a title fills one or two cells)."""
    head = pd.read_excel(path, sheet_name=sheet_name, header=None, nrows=30, dtype=object,
                         engine=engine)
    if not isinstance(head, pd.DataFrame) or head.empty:
        return 0
    filled = head.notna().sum(axis=1)
    return int(np.flatnonzero(filled.to_numpy() >= max(2, int(filled.max())))[0]) \
        if filled.max() >= 2 else 0


def _read_excel(path: Path, sheet_name, header_row: int | None = None
                ) -> tuple[pd.DataFrame, np.ndarray]:
    engine = "openpyxl" if path.suffix.lower() != ".xls" else None
    try:
        skip = (header_row - 1) if header_row else _excel_header_row(path, sheet_name, engine)
        df = pd.read_excel(path, sheet_name=sheet_name, dtype=object, engine=engine,
                           skiprows=skip)
    except ImportError as err:
        raise FileFormatError(path, f"cannot read {path.suffix} files here ({err})",
                              fix="save the workbook as .xlsx (or install xlrd for .xls)") from None
    except ValueError as err:
        raise FileFormatError(path, f"cannot read the sheet ({err})",
                              fix="pass sheet_name= with an existing sheet name or index") from None
    except Exception as err:  # zipfile.BadZipFile, openpyxl errors...
        raise FileFormatError(path, f"not a readable Excel workbook ({type(err).__name__}: "
                              f"{err})", fix="open and re-save it in Excel as .xlsx") from None
    if isinstance(df, dict):
        raise InputError("sheet_name", "one sheet (a name or an index)", sheet_name,
                         "pass sheet_name=0 or the name of the sheet")
    first_row = pd.read_excel(path, sheet_name=sheet_name, header=None, nrows=1, dtype=object,
                              engine=engine, skiprows=skip)
    _no_duplicate_headers(path, [v for v in first_row.iloc[0].tolist() if pd.notna(v)]
                          if len(first_row) else [], skip + 1)
    empty = df.isna().all(axis=1).to_numpy()
    line_no = np.arange(len(df)) + 2 + skip
    unnamed = [c for c in df.columns if str(c).startswith("Unnamed:") and df[c].isna().all()]
    return df.loc[~empty].drop(columns=unnamed), line_no[~empty]


def _read_parquet(path: Path) -> tuple[pd.DataFrame, np.ndarray]:
    try:
        df = pd.read_parquet(path)
    except Exception as err:  # pyarrow.ArrowInvalid and friends
        raise FileFormatError(path, f"not a readable Parquet file ({type(err).__name__}: {err})",
                              fix="write it with DataFrame.to_parquet") from None
    return df.reset_index(drop=True), np.arange(len(df)) + 1


def _fix_in_file(problem, spec) -> str:
    """The fix of an unparseable value read from a file: the value itself must change (the
    generic fix of ``validate`` advises reading the file with read_table, done already)."""
    if problem.check != "dtype" or problem.column not in spec.names:
        return problem.fix
    kind = spec.column(problem.column).dtype
    if kind == "date":
        return (f"correct {problem.column} on these rows of the file (dates such as 31/12/2024, "
                "2024-12-31 or 20241231 are read)")
    if kind in ("float", "int"):
        return (f"correct {problem.column} on these rows of the file (numbers such as 1234,56, "
                "1 234,56 or 1234.56 are read)")
    return problem.fix


def read_table(path, table: str, columns: dict[str, str] | None = None, *, sheet_name=0,
               validate: bool = True, invoices: pd.DataFrame | None = None,
               formats: dict | None = None, values: dict | None = None) -> pd.DataFrame:
    """Read a canonical table from a CSV, Excel or Parquet file.

    Parameters
    ----------
    path : str or Path
        ``.csv``/``.txt``/``.tsv`` (separator ``;``, ``,``, tab or ``|`` detected from the header;
        UTF-8, UTF-8 with BOM, UTF-16 with BOM or cp1252), ``.xlsx``/``.xlsm`` (openpyxl; ``.xls``
        needs xlrd) or ``.parquet``.
    table : str
        Canonical table name (``creditlab.io.TABLES``): customers, invoices, payments, orders,
        disputes, financial_statements, events.
    columns : dict, optional
        ``{"header in the file": "canonical name"}``; wins over the alias map. Headers matched
        neither way are kept as extra columns.
    sheet_name : str or int, default 0
        Excel sheet.
    validate : bool, default True
        Validate with :func:`creditlab.io.validate` (raises on any problem). ``False`` returns
        the renamed table with normalised text values and canonical dtypes where every value
        parses, for inspection.
    invoices : DataFrame, optional
        Passed to the validation of payments / disputes (unknown and over-allocated invoices).
    formats : dict, optional
        The file's conventions (the ``[formats]`` section of ``creditlab.toml``, see
        :func:`check_formats`): ``date_order``, ``decimal``, ``thousands``, ``encoding``,
        ``header_row``. Each is detected on the whole file when not given: one date order and
        one decimal separator per file; a file where they cannot be told (dates such as
        05/03/2025 only, outside a ``;``-separated French file; ``1.234`` in a decimal-comma
        file) is an error naming the column, the line and the setting to add — never a silent
        guess.
    values : dict, optional
        ``{column: {"your code": "canonical code"}}`` (``[values.TABLE]``), applied before the
        built-in French wordings, e.g. ``{"doc_type": {"AV": "credit_note", "FA": "invoice"}}``.

    Returns
    -------
    DataFrame
        Canonical columns first (canonical order, absent optional columns added), then extra
        columns; a fresh RangeIndex.

    Raises
    ------
    InputError
        Unknown table, bad ``columns`` mapping, two headers for one column.
    FileFormatError
        Missing file, unknown extension, empty file, unreadable encoding, malformed lines.
    ValidationError
        Every problem of the table; rows are named by their line in the file (``line 7``; for
        Excel the sheet row, for Parquet the 1-based row).
    """
    _table(table)
    formats = check_formats(formats)
    path = Path(path)
    if not path.exists():
        raise FileFormatError(path, "file not found",
                              fix=f"check the path (current folder: {Path.cwd()})")
    if path.is_dir():
        raise FileFormatError(path, "is a folder, not a file", fix="pass the path of a file")
    ext = path.suffix.lower()
    sep = None
    if ext in CSV_EXTENSIONS:
        df, line_no, sep = _read_csv(path, formats)
        where = "line"
    elif ext in EXCEL_EXTENSIONS:
        if path.stat().st_size == 0:
            raise FileFormatError(path, "empty file", fix="pass a saved Excel workbook")
        df, line_no = _read_excel(path, sheet_name, formats.get("header_row"))
        where = "row"
    elif ext in PARQUET_EXTENSIONS:
        if path.stat().st_size == 0:
            raise FileFormatError(path, "empty file", fix="pass a Parquet file")
        df, line_no = _read_parquet(path)
        where = "row"
    else:
        raise FileFormatError(path, f"unknown extension {ext or '(none)'!r}",
                              fix=f"use one of {CSV_EXTENSIONS + EXCEL_EXTENSIONS + PARQUET_EXTENSIONS}"
                                  " (or creditlab.io.read_fec for a FEC)")
    df = _map_headers(df, table, columns, path)
    df.index = pd.Index(line_no, name=where)
    df = _normalise_values(df, table, sep, formats, values, path)
    out, found = _check(df, table, invoices, stripped=True)  # values stripped just above
    # a rolling export ("last 12 months") holds credit notes of invoices issued before its
    # first line: the ledger allows it (the credit note stays open on its own)
    found = [p for p in found if p.check != "unknown_related_invoice"]
    if validate and found:
        spec = _table(table)
        located = [dataclasses.replace(p, rows=tuple(f"{where} {r}" for r in p.rows),
                                       fix=_fix_in_file(p, spec))
                   for p in found]
        err = ValidationError(table, located)
        err.args = (f"{path.name}: {err.args[0]}",)
        raise err
    if not validate and found:
        bad_cols = {p.column for p in found if p.check == "dtype"}
        for c in bad_cols & set(out.columns):
            out[c] = df[c] if c in df.columns else out[c]
    return out.reset_index(drop=True)
