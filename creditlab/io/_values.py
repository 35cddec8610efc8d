"""Value normalisation of :func:`creditlab.io.read_table`: French numbers, dates, booleans and
coded values of text columns, with one decimal separator and one date order per file."""

from __future__ import annotations

import codecs

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from creditlab.exceptions import FileFormatError, InputError
from creditlab.io._headers import load_value_aliases, normalise_header
from creditlab.io.validate import FALSE_TOKENS, TRUE_TOKENS
from creditlab.tables import Column, _table

_SPACES = "\u00a0\u202f\u2009\u2007 "


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
    """Boolean text to ``"True"``/``"False"`` (missing: False); other values kept for the
    validation to name. A column of known tokens only comes back as a bool column."""
    t = s.astype("str").str.strip().str.lower()
    codes, uniques = pd.factorize(t.where(s.notna()), use_na_sentinel=True)
    known = set(TRUE_TOKENS) | set(FALSE_TOKENS)
    if all(u in known for u in uniques):
        truth = np.array([u in TRUE_TOKENS for u in uniques] + [False], dtype=bool)
        return pd.Series(truth[codes], index=s.index, name=s.name)
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


def _file_date_order(df, spec, declared, french, path, texts=None, plain=()) -> str | None:
    """One order of the slashed dates for the whole file: declared, else settled by a value
    whose first (or second) part is above 12, else day first for a French file; an error when
    columns disagree or when nothing settles it. ``texts``: the stripped text columns when
    already computed; ``plain``: columns of ISO dates only (no slashed date to look at)."""
    if declared:
        return declared
    first_dmy = first_mdy = ambiguous = None
    texts = _text_columns(df, spec, ("date",)) if texts is None else texts
    for name, t in texts.items():
        if name in plain or spec.column(name).dtype != "date":
            continue
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


def _file_decimal(df, spec, declared, sep, path, texts=None, plain=()) -> str | None:
    """The decimal separator of the whole file: declared, else seen (``12,50`` or ``1.234,56``
    say comma; ``12.5`` or ``1,234.56`` say point), else a comma in a ``;``-separated file.
    ``texts``: the stripped text columns when already computed; ``plain``: columns of plain
    numbers (``_PLAIN["number"]``), where only a decimal point can be seen."""
    if declared:
        return declared
    comma = dot = None
    texts = _text_columns(df, spec, ("float", "int")) if texts is None else texts
    for name, t in texts.items():
        if spec.column(name).dtype not in ("float", "int"):
            continue
        if name in plain:
            d_dec = t.str.match(r"^-?\d*\.(?:\d{1,2}|\d{4,})$", na=False)
            if dot is None and d_dec.any():
                dot = (name, _first_line(t, d_dec), t[d_dec].iloc[0])
            continue
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


# what most exports hold: ISO dates, numbers with an optional decimal point and no separator
_PLAIN = {"date": r"^\d{4}-\d{2}-\d{2}$", "number": r"^-?\d+(?:\.\d+)?$"}


def _plain_columns(texts: dict[str, pd.Series], spec) -> dict[str, str]:
    """``{column: "date" or "number"}`` for the text columns whose every value is plain
    (tested inside Arrow, one regular-expression pass per column)."""
    out = {}
    for name, t in texts.items():
        kind = "date" if spec.column(name).dtype == "date" else "number"
        try:
            arr = pa.array(t, from_pandas=True)
        except (pa.ArrowException, TypeError, ValueError):  # pragma: no cover - odd objects
            continue
        if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
            continue
        if pc.all(pc.match_substring_regex(arr, _PLAIN[kind]), skip_nulls=True).as_py() \
                in (True, None):
            out[name] = kind
    return out


def _typed(t: pd.Series, kind: str, decimal: str | None):
    """A plain column converted as the text path would, inside Arrow (None: leave it to the
    text path).

    Numbers: read with a decimal point (correctly rounded), unless the file's decimal is a comma
    and the column holds a point (then a thousands separator or an error, decided by
    ``_strict_numbers``). Dates: every value a real calendar day within 1900-2200 (others are
    named by the validation from their text).
    """
    arr = pa.array(t, from_pandas=True)
    if kind == "number":
        if decimal == "," and pc.any(pc.match_substring(arr, ".")).as_py():
            return None
        values = pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False)
        return pd.Series(values, index=t.index, name=t.name, dtype="float64")
    try:
        days = pc.cast(arr, pa.date32())
    except pa.ArrowInvalid:  # 2024-02-30 and the like: the validation names them
        return None
    lo, hi = pc.min_max(days).values()
    if lo.is_valid and (lo.as_py().year < 1900 or hi.as_py().year > 2200):
        return None
    values = days.cast(pa.timestamp("ns")).to_numpy(zero_copy_only=False)
    return pd.Series(values, index=t.index, name=t.name, dtype="datetime64[ns]")


def _normalise_values(df: pd.DataFrame, table: str, sep: str | None, formats: dict | None = None,
                      values: dict | None = None, path=None) -> pd.DataFrame:
    spec = _table(table)
    formats = formats or {}
    texts = _text_columns(df, spec, ("float", "int", "date"))
    plain = {} if formats.get("thousands") else _plain_columns(texts, spec)
    decimal = _file_decimal(df, spec, formats.get("decimal"), sep, path, texts, plain)
    order = _file_date_order(df, spec, formats.get("date_order"),
                             sep == ";" or decimal == ",", path, texts, plain)
    out = df.copy()
    for name, mapping in (values or {}).items():
        if name not in spec.names or not isinstance(mapping, dict):
            raise InputError(f"values.{table}.{name}", f"a column of table {table!r} mapped "
                             "to a table {'your code': 'canonical code'}", name,
                             f'write [values.{table}.doc_type] with lines such as "AV" = '
                             '"credit_note"')
        if name in out.columns:
            out[name] = _map_values(out[name], mapping)
            plain.pop(name, None)
    for col in spec.columns:
        if col.name not in out.columns:
            continue
        s = out[col.name]
        if not (s.dtype == object or pd.api.types.is_string_dtype(s.dtype)):
            continue  # typed column (Parquet, Excel numbers): validate coerces it
        if col.name in plain:  # fast path, the same values as the text path below
            typed = _typed(texts[col.name], plain[col.name], decimal)
            if typed is not None:
                out[col.name] = typed
                continue
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
