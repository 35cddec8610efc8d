"""Read canonical tables from what people really export: CSV, Excel, Parquet.

:func:`read_table` detects the CSV dialect (separator ``;``, ``,``, tab or ``|``; encoding UTF-8,
UTF-8 with BOM, UTF-16 with BOM or cp1252), maps the headers to canonical column names (an
explicit ``columns=`` mapping, else the alias map shipped in ``creditlab/data/column_aliases.csv``,
matched ignoring case, accents, punctuation and the little words *de, du, des, la, le, of, the*),
normalises French values (decimal comma, spaces/non-breaking spaces as thousands separators,
dd/mm/yyyy dates, oui/non booleans, French codes such as *Avoir* or *Chèque* via
``creditlab/data/value_aliases.csv``) and validates the result with
:func:`creditlab.io.validate` — every problem at once, rows named by their line in the file.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import io
import re
import unicodedata
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from creditlab._cache import reference_cache
from creditlab.exceptions import FileFormatError, InputError, ValidationError
from creditlab.io.tables import TABLES, Column, _table
from creditlab.io.validate import FALSE_TOKENS, TRUE_TOKENS, _check

__all__ = ["read_table", "load_column_aliases", "load_value_aliases", "normalise_header",
           "parse_numbers", "parse_dates", "CSV_EXTENSIONS", "EXCEL_EXTENSIONS",
           "PARQUET_EXTENSIONS"]

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
CSV_EXTENSIONS = (".csv", ".txt", ".tsv")
EXCEL_EXTENSIONS = (".xlsx", ".xlsm", ".xls")
PARQUET_EXTENSIONS = (".parquet", ".pq")
_SEPARATORS = (";", "\t", ",", "|")
_STOPWORDS = {"de", "du", "des", "d", "la", "le", "les", "l", "of", "the"}
_NUMBER_WORDS = {"no": "n", "num": "n", "numero": "n", "nr": "n"}
_SPACES = "\u00a0\u202f\u2009\u2007 "


# ----------------------------------------------------------------------------- headers
def normalise_header(text: object) -> str:
    """Key used to match headers: lower case, no accents, no punctuation, no little words.

    ``"N° de facture"``, ``"Numéro facture"`` and ``"n_facture"`` all give ``"n facture"``.
    """
    s = unicodedata.normalize("NFKD", str(text).replace("\ufeff", ""))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    s = re.sub(r"[^0-9a-z]+", " ", s).split()
    return " ".join(_NUMBER_WORDS.get(w, w) for w in s if w not in _STOPWORDS)


@reference_cache(maxsize=1)
def load_column_aliases() -> pd.DataFrame:
    """The alias map ``creditlab/data/column_aliases.csv`` (table, canonical, alias, lang, source).

    Besides the listed aliases, every canonical column name and its French label
    (``tables.py``) match themselves. A ``key`` column holds :func:`normalise_header` of the alias.
    A copy: editing it changes no later reading.
    """
    df = pd.read_csv(DATA_DIR / "column_aliases.csv", dtype=str, keep_default_na=False)
    auto = [(t.name, c.name, a, lang, "creditlab/io/tables.py")
            for t in TABLES.values() for c in t.columns
            for a, lang in ((c.name, "en"), (c.label_fr, "fr"))]
    df = pd.concat([df, pd.DataFrame(auto, columns=df.columns)], ignore_index=True)
    df["key"] = df["alias"].map(normalise_header)
    return df


@cache
def _alias_lookup(table: str) -> dict[str, str]:
    aliases = load_column_aliases.shared()
    sub = aliases[aliases["table"] == table].drop_duplicates(["key", "canonical"])
    clash = sub[sub.duplicated("key", keep=False)]
    if not clash.empty:  # guarded by a test; a broken data file must not map silently
        raise InputError("column_aliases.csv", "one canonical column per alias and table",
                         clash[["table", "alias", "canonical"]].to_dict("records"),
                         "remove the ambiguous alias from creditlab/data/column_aliases.csv")
    return dict(zip(sub["key"], sub["canonical"], strict=True))


@reference_cache(maxsize=1)
def load_value_aliases() -> pd.DataFrame:
    """French/English wordings of coded values (``creditlab/data/value_aliases.csv``), a copy."""
    df = pd.read_csv(DATA_DIR / "value_aliases.csv", dtype=str, keep_default_na=False)
    df["key"] = df["alias"].map(normalise_header)
    return df


def _map_headers(df: pd.DataFrame, table: str, columns: dict | None, path) -> pd.DataFrame:
    spec = _table(table)
    headers = [str(c).replace("\ufeff", "").strip() for c in df.columns]
    df.columns = headers
    target: dict[str, str] = {}
    if columns is not None:
        if not isinstance(columns, dict):
            raise InputError("columns", "a dict {'header in your file': 'canonical name'}",
                             type(columns).__name__, "pass e.g. columns={'Réf': 'invoice_id'}")
        by_key = {normalise_header(h): h for h in headers}
        for theirs, canon in columns.items():
            if canon not in spec.names:
                raise InputError(f"columns[{theirs!r}]", f"a column of table {table!r}: "
                                 f"{spec.names}", canon, "map to a canonical column name")
            h = theirs if theirs in headers else by_key.get(normalise_header(theirs))
            if h is None:
                raise InputError(f"columns[{theirs!r}]", f"a header of {Path(path).name}",
                                 theirs, f"use one of the file's headers: {headers}")
            target[h] = canon
    lookup = _alias_lookup(table)
    for h in headers:
        if h in target:
            continue
        if h in spec.names:
            target[h] = h
        elif normalise_header(h) in lookup:
            target[h] = lookup[normalise_header(h)]
    # one header per canonical column: exact names and explicit mappings win over aliases
    chosen: dict[str, str] = {}
    for canon in dict.fromkeys(target.values()):
        cands = [h for h, c in target.items() if c == canon]
        if len(cands) > 1:
            strong = [h for h in cands if h == canon or (columns and h in target
                                                         and _explicit(columns, h, headers))]
            if len(strong) == 1:
                cands = strong
            else:
                raise InputError("columns", f"one header of {Path(path).name} for column "
                                 f"{canon!r}", cands,
                                 f"say which one to use: read_table(..., columns={{{cands[0]!r}: "
                                 f"{canon!r}}})")
        chosen[cands[0]] = canon
    return df.rename(columns=chosen)


def _explicit(columns: dict, header: str, headers: list[str]) -> bool:
    keys = {normalise_header(k) for k in columns}
    return header in columns or normalise_header(header) in keys


# ----------------------------------------------------------------------------- values
def parse_numbers(s: pd.Series, *, sep: str | None = None) -> pd.Series:
    """Normalise number text to ``"1234.56"`` (vectorised); unparseable values are kept as is.

    Accepts spaces, non-breaking and narrow spaces and (with a comma decimal) dots as thousands
    separators, a decimal comma or point, ``€``/``EUR``, a leading ``+``, a trailing minus
    (``"12,50-"``) and accounting parentheses (``"(12,50)"`` = -12.50). A single separator
    followed by exactly three digits (``"1,234"``) is ambiguous: it is read like the column's
    other values, else as a decimal comma — except in a comma-separated file, where it is a
    thousands separator.
    """
    t = s.astype("str").str.strip()
    present = s.notna() & (t != "")
    fast = pd.to_numeric(t.where(present), errors="coerce")
    if not (present & fast.isna()).any():  # plain numbers only: nothing to normalise
        return t.where(present, None)
    t = t.str.replace(rf"[{_SPACES}€']|EUR", "", regex=True)
    paren = t.str.match(r"^\(.*\)$", na=False)
    t = t.where(~paren, "-" + t.str.slice(1, -1))
    trail = t.str.match(r"^[0-9.,]+-$", na=False)
    t = t.where(~trail, "-" + t.str.slice(0, -1))
    t = t.str.replace(r"^\+", "", regex=True)
    n_comma = t.str.count(",")
    n_dot = t.str.count(r"\.")
    last = t.str.extract(r"([.,])(\d*)$")
    last_sep, tail = last[0], last[1].str.len()
    both = (n_comma > 0) & (n_dot > 0)
    def_comma = (both & (last_sep == ",")) | ((n_comma == 1) & (n_dot == 0) & (tail != 3))
    def_dot = (both & (last_sep == ".")) | ((n_dot == 1) & (n_comma == 0) & (tail != 3))
    col_fr, col_en = bool(def_comma.any()), bool(def_dot.any())
    amb_comma = (n_comma == 1) & (n_dot == 0) & (tail == 3)
    amb_dot = (n_dot == 1) & (n_comma == 0) & (tail == 3)
    comma_dec = def_comma | (amb_comma & (col_fr or (not col_en and sep != ",")))
    dot_dec = def_dot | (amb_dot & ~(col_fr and not col_en))
    comma_dec = comma_dec.fillna(False).astype(bool)
    dot_dec = dot_dec.fillna(False).astype(bool)
    as_comma = t.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    as_dot = t.str.replace(",", "", regex=False)
    as_int = t.str.replace(r"[.,]", "", regex=True)
    out = as_int.where(~dot_dec, as_dot).where(~comma_dec, as_comma)
    looks_number = t.str.match(r"^-?[0-9][0-9.,]*$", na=False) | t.str.match(
        r"^-?[.,][0-9]+$", na=False)
    out = out.where(looks_number, s.astype("str").str.strip())
    return out.where(s.notna() & (t != ""), None)


def parse_dates(s: pd.Series) -> pd.Series:
    """Normalise date text to ISO ``YYYY-MM-DD`` (vectorised); unparseable values kept as is.

    Accepts ISO dates (with or without a time), ``dd/mm/yyyy`` (also with ``-`` or ``.``; day
    first — unless some value has a second part above 12 and none a first part above 12: then
    the column is read month first, as US exports), ``dd/mm/yy`` (20yy) and ``yyyymmdd``.
    """
    t = s.astype("str").str.strip()
    present = s.notna() & (t != "")
    fast = pd.to_datetime(t.where(present), format="%Y-%m-%d", errors="coerce")
    if not (present & fast.isna()).any():  # ISO dates only
        return t.where(present, None)
    iso = t.str.extract(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T].*)?$")
    fr = t.str.extract(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?: .*)?$")
    compact = t.str.extract(r"^(\d{4})(\d{2})(\d{2})$")
    a = pd.to_numeric(fr[0], errors="coerce")
    b = pd.to_numeric(fr[1], errors="coerce")
    month_first = bool((b > 12).any() and not (a > 12).any())
    day, month = (b, a) if month_first else (a, b)
    year = pd.to_numeric(fr[2], errors="coerce")
    year = year.where(year >= 100, year + 2000)
    parts = {
        "year": pd.to_numeric(iso[0], errors="coerce").fillna(year).fillna(
            pd.to_numeric(compact[0], errors="coerce")),
        "month": pd.to_numeric(iso[1], errors="coerce").fillna(month).fillna(
            pd.to_numeric(compact[1], errors="coerce")),
        "day": pd.to_numeric(iso[2], errors="coerce").fillna(day).fillna(
            pd.to_numeric(compact[2], errors="coerce")),
    }
    frame = pd.DataFrame(parts)
    ok = frame.notna().all(axis=1)
    parsed = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    if ok.any():
        parsed.loc[ok] = pd.to_datetime(frame.loc[ok].astype("int64"), errors="coerce")
    out = parsed.dt.strftime("%Y-%m-%d")
    keep = s.astype("str").str.strip()
    out = out.where(parsed.notna(), keep)
    return out.where(s.notna() & (t != ""), None)


def _parse_bools(s: pd.Series) -> pd.Series:
    t = s.astype("str").str.strip().str.lower()
    out = pd.Series(np.where(t.isin(TRUE_TOKENS), "True",
                             np.where(t.isin(FALSE_TOKENS), "False", s.astype("str"))),
                    index=s.index, dtype="str")
    return out.where(s.notna(), "False")


def _parse_choices(s: pd.Series, table: str, col: Column) -> pd.Series:
    """Canonical choice values (aliases and header-normalised spellings), NA kept.

    The normaliser runs once per distinct value (``pd.factorize``), not once per row: an export
    of a million invoices has a handful of distinct ``doc_type`` / ``currency`` values.
    """
    t = s.astype("str").str.strip()
    codes, uniques = pd.factorize(t, use_na_sentinel=True)
    if len(uniques) == 0:
        return t
    lookup = _choice_lookup(table, col)
    canonical = [lookup.get(normalise_header(u), u) for u in uniques]
    values = pd.array(canonical, dtype=t.dtype).take(codes, allow_fill=True)
    return pd.Series(values, index=t.index, name=t.name)


def _choice_lookup(table: str, col: Column) -> dict[str, str]:
    """``{normalised spelling: canonical value}`` for one choice column (value aliases first)."""
    vals = load_value_aliases.shared()
    sub = vals[(vals["table"] == table) & (vals["column"] == col.name)]
    lookup = dict(zip(sub["key"], sub["canonical"], strict=True))
    lookup.update({normalise_header(c): c for c in col.choices})
    return lookup


def _cells_to_text(s: pd.Series) -> pd.Series:
    """Spreadsheet cells (objects) to text: dates ISO, integral floats without ``.0``."""
    def cell(v):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return None
        if isinstance(v, bool | np.bool_):
            return "True" if v else "False"
        if hasattr(v, "strftime"):
            return v.strftime("%Y-%m-%d")
        if isinstance(v, float) and v == int(v):
            return str(int(v))
        return str(v)
    return s.map(cell).astype("str")


def _normalise_values(df: pd.DataFrame, table: str, sep: str | None) -> pd.DataFrame:
    spec = _table(table)
    out = df.copy()
    for col in spec.columns:
        if col.name not in out.columns:
            continue
        s = out[col.name]
        if not (s.dtype == object or pd.api.types.is_string_dtype(s.dtype)):
            continue  # typed column (Parquet, Excel numbers): validate coerces it
        if s.dtype == object:
            s = _cells_to_text(s)
        s = s.str.strip()
        s = s.where(s != "", None)
        if col.dtype in ("float", "int"):
            s = parse_numbers(s, sep=sep)
        elif col.dtype == "date":
            s = parse_dates(s)
        elif col.dtype == "bool":
            s = _parse_bools(s)
        elif col.choices:
            s = _parse_choices(s, table, col)
        out[col.name] = s
    return out


# ----------------------------------------------------------------------------- files
def _decode(raw: bytes, path: Path) -> str:
    if raw.startswith(b"PK\x03\x04"):
        raise FileFormatError(path, "this is a zip/Excel file, not a text CSV",
                              fix="give it its real extension (.xlsx) or export it as CSV")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            try:
                return raw.decode(enc)
            except UnicodeDecodeError as err:
                raise FileFormatError(path, f"invalid {enc} byte at offset {err.start}",
                                      line=raw[:err.start].count(b"\n") + 1,
                                      fix="re-export the file as UTF-8") from None
    if b"\x00" in raw[:4096]:
        raise FileFormatError(path, "binary content (NUL bytes): not a text CSV",
                              fix="export the table as CSV (UTF-8) or pass the original file")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as err:
        raise FileFormatError(path, f"unreadable encoding: neither UTF-8 nor cp1252 (byte "
                              f"{raw[err.start]:#04x} at offset {err.start})",
                              line=raw[:err.start].count(b"\n") + 1,
                              fix="re-export the file as UTF-8 ('CSV UTF-8' in Excel)") from None


def _sniff_sep(header: str) -> str:
    bare = re.sub(r'"[^"]*"', "", header)
    counts = {sep: bare.count(sep) for sep in _SEPARATORS}
    best = max(_SEPARATORS, key=lambda s: counts[s])
    return best if counts[best] else ","


def _no_duplicate_headers(path: Path, names, line: int) -> None:
    """A header naming a column twice is an error (pandas would silently read the second copy
    as ``name.1`` and keep only the first)."""
    seen: set[str] = set()
    for name in names:
        key = str(name).strip()
        if key and key in seen:
            raise FileFormatError(path, "a column appears twice in the header", line=line,
                                  field=key, fix="rename or delete one of the two columns")
        seen.add(key)


def _read_csv(path: Path) -> tuple[pd.DataFrame, np.ndarray, str]:
    raw = path.read_bytes()
    text = _decode(raw, path)
    if not text.strip():
        raise FileFormatError(path, "empty file", line=1,
                              fix="export the table with its header line and rows")
    lines = text.splitlines()
    first = next(i for i, ln in enumerate(lines) if ln.strip())
    sep = _sniff_sep(lines[first])
    fix = (f"every line must have as many {sep!r}-separated fields as the header; quote values "
           "containing the separator")
    header = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, nrows=0, skiprows=first,
                         quoting=csv.QUOTE_MINIMAL).columns
    _no_duplicate_headers(path, next(csv.reader([lines[first]], delimiter=sep)), first + 1)
    n = len(header)
    # one spare column: a separator at the end of the data lines only (a common export) must
    # not shift the columns (pandas would take the first one as the index)
    try:
        df = pd.read_csv(io.StringIO(text), sep=sep, header=None, names=list(range(n + 1)),
                         dtype=str, keep_default_na=False, na_values=[], skip_blank_lines=False,
                         skiprows=first + 1, quoting=csv.QUOTE_MINIMAL)
    except pd.errors.ParserError as err:  # more than n + 1 fields
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(err))
        if m is None:  # pragma: no cover - other tokenizer errors
            raise FileFormatError(path, f"unreadable CSV ({err})".strip(), fix=fix) from None
        raise FileFormatError(path, f"{m.group(3)} fields, the header has {n}",
                              line=int(m.group(2)), fix=fix) from None
    if not isinstance(df.index, pd.RangeIndex):  # pandas took the surplus of line 1 as index
        raise FileFormatError(path, f"{n + 1 + df.index.nlevels} fields, the header has {n}",
                              line=first + 2, fix=fix)
    line_no = np.arange(len(df)) + first + 2
    spare = df.pop(n)
    extra = (spare.str.strip() != "").to_numpy()
    if extra.any():
        i = int(np.flatnonzero(extra)[0])
        raise FileFormatError(path, f"{n + 1} fields, the header has {n} (extra value "
                              f"{spare.iloc[i]!r} after column {header[-1]!r})",
                              line=int(line_no[i]), field=str(header[-1]), fix=fix)
    df.columns = header
    empty = (df.fillna("").astype("str").apply(lambda c: c.str.strip()) == "").all(axis=1)
    df = df.loc[~empty.to_numpy()]
    line_no = line_no[~empty.to_numpy()]
    unnamed = [c for c in df.columns if str(c).startswith("Unnamed:")
               and (df[c].fillna("").str.strip() == "").all()]
    return df.drop(columns=unnamed), line_no, sep


def _read_excel(path: Path, sheet_name) -> tuple[pd.DataFrame, np.ndarray]:
    engine = "openpyxl" if path.suffix.lower() != ".xls" else None
    try:
        df = pd.read_excel(path, sheet_name=sheet_name, dtype=object, engine=engine)
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
                              engine=engine)
    _no_duplicate_headers(path, [v for v in first_row.iloc[0].tolist() if pd.notna(v)]
                          if len(first_row) else [], 1)
    empty = df.isna().all(axis=1).to_numpy()
    line_no = np.arange(len(df)) + 2
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
               validate: bool = True, invoices: pd.DataFrame | None = None) -> pd.DataFrame:
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
    path = Path(path)
    if not path.exists():
        raise FileFormatError(path, "file not found",
                              fix=f"check the path (current folder: {Path.cwd()})")
    if path.is_dir():
        raise FileFormatError(path, "is a folder, not a file", fix="pass the path of a file")
    ext = path.suffix.lower()
    sep = None
    if ext in CSV_EXTENSIONS:
        df, line_no, sep = _read_csv(path)
        where = "line"
    elif ext in EXCEL_EXTENSIONS:
        if path.stat().st_size == 0:
            raise FileFormatError(path, "empty file", fix="pass a saved Excel workbook")
        df, line_no = _read_excel(path, sheet_name)
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
    df = _normalise_values(df, table, sep)
    df.index = pd.Index(line_no, name=where)
    out, found = _check(df, table, invoices)
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
