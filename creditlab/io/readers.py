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

__all__ = ["read_table", "check_formats", "load_column_aliases", "load_value_aliases", "normalise_header",
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


def parse_dates(s: pd.Series, order: str | None = None) -> pd.Series:
    """Normalise date text to ISO ``YYYY-MM-DD`` (vectorised); unparseable values kept as is.

    Accepts ISO dates (with or without a time), ``dd/mm/yyyy`` (also with ``-`` or ``.``),
    ``dd/mm/yy`` (20yy) and ``yyyymmdd``. ``order`` (``"dmy"`` or ``"mdy"``) is the order of
    the slashed dates; None: day first unless some value has a second part above 12 and none a
    first part above 12 (a single column; :func:`read_table` decides once per file instead).
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
    month_first = (order == "mdy") if order is not None else \
        bool((b > 12).any() and not (a > 12).any())
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
    # a year such as 1025 is a typing error, outside what datetime64[ns] holds: kept as text,
    # the validation names its row
    ok = frame.notna().all(axis=1) & frame["year"].between(1900, 2200)
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


_DATE_ORDERS = {"dmy": "dmy", "jj/mm/aaaa": "dmy", "dd/mm/yyyy": "dmy", "day_first": "dmy",
                "mdy": "mdy", "mm/jj/aaaa": "mdy", "mm/dd/yyyy": "mdy", "month_first": "mdy"}
_FORMAT_KEYS = ("date_order", "decimal", "thousands", "encoding", "header_row")
_FIX_ORDER = ('declare the order of the dates: date_order = "JJ/MM/AAAA" (or "MM/JJ/AAAA") '
              'in the [formats] section of creditlab.toml, or read_table(..., '
              'formats={"date_order": "dmy"})')


def check_formats(formats) -> dict:
    """The ``[formats]`` settings of a file, checked: ``date_order`` (``"dmy"``/``"JJ/MM/AAAA"``
    or ``"mdy"``/``"MM/JJ/AAAA"``), ``decimal`` (``","`` or ``"."``), ``thousands`` (``" "``,
    ``"."``, ``","``, ``"'"`` or ``""``), ``encoding`` (a Python codec name), ``header_row``
    (1-based line of the header, for files with title lines). Every key is optional."""
    if formats is None:
        return {}
    if not isinstance(formats, dict):
        raise InputError("formats", "a dict such as {'date_order': 'dmy', 'decimal': ','}",
                         type(formats).__name__, "pass a dict (the [formats] section)")
    unknown = sorted(set(formats) - set(_FORMAT_KEYS))
    if unknown:
        raise InputError("formats", f"keys among {list(_FORMAT_KEYS)}", unknown,
                         "remove or correct these keys of [formats]")
    out = dict(formats)
    if "date_order" in out:
        key = str(out["date_order"]).strip().lower()
        if key not in _DATE_ORDERS:
            raise InputError("formats.date_order", '"JJ/MM/AAAA" (day first) or "MM/JJ/AAAA" '
                             "(month first)", out["date_order"], 'write date_order = "JJ/MM/AAAA"')
        out["date_order"] = _DATE_ORDERS[key]
    if "decimal" in out and out["decimal"] not in (",", "."):
        raise InputError("formats.decimal", '"," or "."', out["decimal"],
                         'write decimal = "," (French) or "."')
    if "thousands" in out and out["thousands"] not in (" ", ".", ",", "'", ""):
        raise InputError("formats.thousands", '" ", ".", ",", "\'" or ""', out["thousands"],
                         'write thousands = " " (French) or "" (none)')
    if "decimal" in out and out.get("thousands") == out["decimal"]:
        raise InputError("formats.thousands", "a separator other than the decimal one",
                         out["thousands"], "correct decimal or thousands")
    if "encoding" in out:
        try:
            codecs.lookup(str(out["encoding"]))
        except LookupError:
            raise InputError("formats.encoding", "a codec name such as utf-8 or cp1252",
                             out["encoding"], 'write encoding = "utf-8" or "cp1252"') from None
    if "header_row" in out and (not isinstance(out["header_row"], int) or out["header_row"] < 1):
        raise InputError("formats.header_row", "the line number (1, 2, ...) of the header",
                         out["header_row"], "write header_row = 3 when two title lines come first")
    return out


def _text_columns(df: pd.DataFrame, spec, kinds) -> dict[str, pd.Series]:
    out = {}
    for col in spec.columns:
        if col.name in df.columns and col.dtype in kinds:
            s = df[col.name]
            if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
                t = (_cells_to_text(s) if s.dtype == object else s).astype("str").str.strip()
                out[col.name] = t.where(s.notna() & (t != ""))
    return out


def _first_line(t: pd.Series, mask) -> object:
    hit = t.index[np.asarray(mask, dtype=bool)]
    return hit[0] if len(hit) else None


def _file_date_order(df, spec, declared, french, path) -> str | None:
    """One order of the slashed dates for the whole file: declared, else settled by a value
    whose first (or second) part is above 12, else day first for a French file; an error when
    columns disagree or when nothing settles it."""
    if declared:
        return declared
    first_dmy = first_mdy = ambiguous = None
    for name, t in _text_columns(df, spec, ("date",)).items():
        fr = t.str.extract(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?: .*)?$")
        a = pd.to_numeric(fr[0], errors="coerce")
        b = pd.to_numeric(fr[1], errors="coerce")
        dmy = (a > 12) & (a <= 31) & (b <= 12)
        mdy = (b > 12) & (b <= 31) & (a <= 12)
        if first_dmy is None and dmy.any():
            first_dmy = (name, _first_line(t, dmy), t[dmy].iloc[0])
        if first_mdy is None and mdy.any():
            first_mdy = (name, _first_line(t, mdy), t[mdy].iloc[0])
        amb = (a <= 12) & (b <= 12) & (a != b)
        if ambiguous is None and amb.any():
            ambiguous = (name, _first_line(t, amb), t[amb].iloc[0])
    if first_dmy and first_mdy:
        raise FileFormatError(
            path, f"dates are day first in column {first_dmy[0]!r} ({first_dmy[2]!r}, line "
            f"{first_dmy[1]}) but month first in column {first_mdy[0]!r} ({first_mdy[2]!r}, "
            f"line {first_mdy[1]}): one order per file", field=first_mdy[0], fix=_FIX_ORDER)
    if first_dmy or first_mdy:
        return "dmy" if first_dmy else "mdy"
    if ambiguous is None or french:
        return "dmy"
    raise FileFormatError(
        path, f"dates such as {ambiguous[2]!r} can be day first or month first and no date of the "
        "file settles it (no part above 12)", line=ambiguous[1], field=ambiguous[0],
        fix=_FIX_ORDER)


_CLEAN = rf"[{_SPACES}€']|EUR"


def _file_decimal(df, spec, declared, sep, path) -> str | None:
    """The decimal separator of the whole file: declared, else seen (``12,50`` or ``1.234,56``
    say comma; ``12.5`` or ``1,234.56`` say point), else a comma in a ``;``-separated file."""
    if declared:
        return declared
    comma = dot = None
    for name, t in _text_columns(df, spec, ("float", "int")).items():
        t = t.str.replace(_CLEAN, "", regex=True).str.strip("()+-")
        c_dec = t.str.match(r"^[0-9.]*,\d{1,2}$|^[0-9.]*,\d{4,}$|^\d{1,3}(\.\d{3})+,\d*$",
                            na=False)
        d_dec = t.str.match(r"^[0-9,]*\.\d{1,2}$|^[0-9,]*\.\d{4,}$|^\d{1,3}(,\d{3})+\.\d*$",
                            na=False)
        if comma is None and c_dec.any():
            comma = (name, _first_line(t, c_dec), t[c_dec].iloc[0])
        if dot is None and d_dec.any():
            dot = (name, _first_line(t, d_dec), t[d_dec].iloc[0])
    if comma and dot:
        raise FileFormatError(
            path, f"numbers use a decimal comma in column {comma[0]!r} ({comma[2]!r}, line "
            f"{comma[1]}) but a decimal point in column {dot[0]!r} ({dot[2]!r}, line {dot[1]})",
            field=dot[0], fix='correct these values, or declare decimal = "," (or ".") in the '
            "[formats] section of creditlab.toml")
    if comma or dot:
        return "," if comma else "."
    return "," if sep == ";" else None


def _strict_numbers(t: pd.Series, name: str, decimal: str, thousands: str | None, path
                    ) -> pd.Series:
    """Number text read with a known decimal separator: a value whose other separator is not
    the (declared or seen) thousands one is an error, never a silently different number."""
    other = "." if decimal == "," else ","
    c = t.str.replace(_CLEAN, "", regex=True)
    if thousands not in (None, "", " ", "'"):
        other_ok = thousands == other
    else:
        grouped = c.str.match(rf"^[(+-]?\d{{1,3}}(\{other}\d{{3}})+\{decimal}\d*[)-]?$", na=False) \
            | c.str.match(rf"^[(+-]?\d{{1,3}}(\{other}\d{{3}}){{2,}}[)-]?$", na=False)
        other_ok = bool(grouped.any()) or (decimal == "." and thousands is None)
    has_other = c.str.contains(other, regex=False, na=False)
    if has_other.any():
        well = c.str.match(rf"^[(+-]?\d{{1,3}}(\{other}\d{{3}})+(\{decimal}\d*)?[)-]?$", na=False)
        bad = has_other & ~(well & other_ok)
        if bad.any():
            v = t[bad].iloc[0]
            what = "decimal comma" if decimal == "," else "decimal point"
            raise FileFormatError(
                path, f"{v!r} in a file with a {what}: is {other!r} a thousands separator or a "
                "decimal one?", line=_first_line(t, bad), field=name,
                fix=f'declare thousands = "{other}" in the [formats] section of creditlab.toml '
                    f"when it is a thousands separator, else correct the value")
        c = c.str.replace(other, "", regex=False)
    if decimal == ",":
        c = c.str.replace(",", ".", regex=False)
    paren = c.str.match(r"^\(.*\)$", na=False)
    c = c.where(~paren, "-" + c.str.slice(1, -1))
    trail = c.str.match(r"^[0-9.]+-$", na=False)
    c = c.where(~trail, "-" + c.str.slice(0, -1))
    c = c.str.replace(r"^\+", "", regex=True)
    return c.where(t.notna(), None)


def _map_values(s: pd.Series, mapping: dict) -> pd.Series:
    """``[values.TABLE.COLUMN]``: the user's codes to canonical ones (exact, then normalised)."""
    exact = {str(k).strip(): v for k, v in mapping.items()}
    norm = {normalise_header(k): v for k, v in mapping.items()}
    t = s.astype("str").str.strip()
    mapped = t.map(exact)
    mapped = mapped.where(mapped.notna(), t.map(normalise_header, na_action="ignore").map(norm))
    return t.where(mapped.isna(), mapped).where(s.notna(), None)


def _normalise_values(df: pd.DataFrame, table: str, sep: str | None, formats: dict | None = None,
                      values: dict | None = None, path=None) -> pd.DataFrame:
    spec = _table(table)
    formats = formats or {}
    decimal = _file_decimal(df, spec, formats.get("decimal"), sep, path)
    order = _file_date_order(df, spec, formats.get("date_order"),
                             sep == ";" or decimal == ",", path)
    out = df.copy()
    for name, mapping in (values or {}).items():
        if name not in spec.names or not isinstance(mapping, dict):
            raise InputError(f"values.{table}.{name}", f"a column of table {table!r} mapped "
                             "to a table {'your code': 'canonical code'}", name,
                             f'write [values.{table}.doc_type] with lines such as "AV" = '
                             '"credit_note"')
        if name in out.columns:
            out[name] = _map_values(out[name], mapping)
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
            s = (parse_numbers(s, sep=sep) if decimal is None else
                 _strict_numbers(s, col.name, decimal, formats.get("thousands"), path))
        elif col.dtype == "date":
            s = parse_dates(s, order)
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
    except UnicodeDecodeError as err:
        bad_at = err.start
    # a UTF-8 file with one line in cp1252 (pasted from another tool) must not be decoded
    # entirely as cp1252: every accent of the other lines would be garbled
    if re.search(rb"[\xc2-\xf4][\x80-\xbf]+", raw[:bad_at]) or \
            _valid_utf8_multibyte(raw[bad_at:]):
        line = raw[:bad_at].count(b"\n") + 1
        raise FileFormatError(path, f"UTF-8 file with a non-UTF-8 byte {raw[bad_at]:#04x} "
                              f"(offset {bad_at})", line=line,
                              fix=f"correct line {line} (probably pasted from a cp1252 file) or "
                                  "re-export the whole file as UTF-8") from None
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as err:
        raise FileFormatError(path, f"unreadable encoding: neither UTF-8 nor cp1252 (byte "
                              f"{raw[err.start]:#04x} at offset {err.start})",
                              line=raw[:err.start].count(b"\n") + 1,
                              fix="re-export the file as UTF-8 ('CSV UTF-8' in Excel)") from None


def _valid_utf8_multibyte(raw: bytes) -> bool:
    """True when ``raw`` holds a well-formed UTF-8 multi-byte sequence (an accent in UTF-8)."""
    for m in re.finditer(rb"[\xc2-\xf4][\x80-\xbf]{1,3}", raw):
        try:
            m.group().decode("utf-8")
            return True
        except UnicodeDecodeError:
            continue
    return False


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


def _decode_as(raw: bytes, path: Path, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as err:
        raise FileFormatError(path, f"byte {raw[err.start]:#04x} is not {encoding}",
                              line=raw[:err.start].count(b"\n") + 1,
                              fix="correct the encoding in the [formats] section (utf-8, cp1252) "
                                  "or the line") from None


def _unreadable(path: Path, err: Exception, lines: list[str], first: int, fix: str
                ) -> FileFormatError:
    """A tokenizer error as a message: an unclosed quote is named by its line."""
    quote_line = next((i + 1 for i, ln in enumerate(lines[first:], first)
                       if ln.count('"') % 2), None)
    if quote_line is not None:
        return FileFormatError(path, 'unreadable CSV: a quote (") opens a value that is never '
                               "closed", line=quote_line,
                               fix='remove the stray quote or close it; a quote inside a value '
                                   'is written twice ("like ""this""")')
    return FileFormatError(path, f"unreadable CSV ({err})".strip(), fix=fix)


def _read_csv(path: Path, formats: dict | None = None) -> tuple[pd.DataFrame, np.ndarray, str]:
    formats = formats or {}
    raw = path.read_bytes()
    text = (_decode_as(raw, path, formats["encoding"]) if formats.get("encoding")
            else _decode(raw, path))
    if not text.strip():
        raise FileFormatError(path, "empty file", line=1,
                              fix="export the table with its header line and rows")
    lines = text.splitlines()
    first = next(i for i, ln in enumerate(lines) if ln.strip())
    if formats.get("header_row"):
        first = formats["header_row"] - 1
        if first >= len(lines):
            raise FileFormatError(path, f"header_row = {first + 1} but the file has "
                                  f"{len(lines)} lines", fix="correct header_row in [formats]")
    sep = _sniff_sep(lines[first])
    fix = (f"every line must have as many {sep!r}-separated fields as the header; quote values "
           "containing the separator")
    try:
        header = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, nrows=0, skiprows=first,
                             quoting=csv.QUOTE_MINIMAL).columns
    except pd.errors.ParserError as err:
        raise _unreadable(path, err, lines, first, fix) from None
    _no_duplicate_headers(path, next(csv.reader([lines[first]], delimiter=sep)), first + 1)
    n = len(header)
    # one spare column: a separator at the end of the data lines only (a common export) must
    # not shift the columns (pandas would take the first one as the index)
    try:
        df = pd.read_csv(io.StringIO(text), sep=sep, header=None, names=list(range(n + 1)),
                         dtype=str, keep_default_na=False, na_values=[], skip_blank_lines=False,
                         skiprows=first + 1, quoting=csv.QUOTE_MINIMAL)
    except pd.errors.ParserError as err:  # more than n + 1 fields, an unclosed quote
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(err))
        if m is None:
            raise _unreadable(path, err, lines, first, fix) from None
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
    out, found = _check(df, table, invoices)
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
