"""CSV files of :func:`creditlab.io.read_table`: encoding, separator and the parse itself, every
malformed line named by its number."""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv

from creditlab.exceptions import FileFormatError

_SEPARATORS = (";", "\t", ",", "|")


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


def _arrow_rows(data: bytes, sep: str, skip: int, n: int):
    """The data lines as an Arrow table of text columns (Arrow's multi-threaded CSV reader), or
    None when Arrow cannot read them as ``n`` fields per line (nor ``n + 1`` on every line: a
    separator closing each data line). The pandas path then reads the file and names the line.

    Empty fields are empty strings and blank lines rows of nulls, as pandas gives them with
    ``keep_default_na=False``; quotes as pandas' ``QUOTE_MINIMAL`` (doubled inside a value,
    newlines allowed inside quotes).
    """
    if data.count(b'"') % 2:  # a quote never closed: Arrow would read on to the end of the file
        return None
    for k in (n, n + 1):
        names = [f"f{i}" for i in range(k)]
        try:
            return pv.read_csv(
                io.BytesIO(data),
                read_options=pv.ReadOptions(column_names=names, skip_rows=skip,
                                            block_size=1 << 24),
                parse_options=pv.ParseOptions(delimiter=sep, quote_char='"', double_quote=True,
                                              newlines_in_values=True, ignore_empty_lines=False),
                convert_options=pv.ConvertOptions(
                    column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False,
                    quoted_strings_can_be_null=False))
        except (pa.ArrowInvalid, pa.ArrowException):
            continue
    return None


def _blank_rows(table) -> np.ndarray:
    """Rows whose every field is empty or blank (a row of separators, a blank line); the other
    columns are looked at only on the rows whose first field is blank."""
    def blank(col):
        return np.asarray(pc.equal(pc.utf8_trim_whitespace(col.fill_null("")), "")
                          .to_numpy(zero_copy_only=False), dtype=bool)

    empty = blank(table.column(0))
    if empty.any() and table.num_columns > 1:
        rows = np.flatnonzero(empty)
        rest = table.take(rows)
        keep = np.ones(len(rows), dtype=bool)
        for col in rest.columns[1:]:
            keep &= blank(col)
        empty[rows[~keep]] = False
    return empty


def _first_line_of(text: str, header_row: int | None, path: Path) -> tuple[int, str]:
    """0-based number and text of the header line: the declared one, else the first non-blank
    (without splitting the whole file into lines)."""
    pos = 0
    for i, m in enumerate(_LINE_END.finditer(text)):
        line = text[pos:m.start()]
        if (header_row and i == header_row - 1) or (not header_row and line.strip()):
            return i, line
        pos = m.end()
    n = len(text.splitlines())
    raise FileFormatError(path, f"header_row = {header_row} but the file has {n} lines",
                          fix="correct header_row in [formats]")


_LINE_END = re.compile(r"\r\n|\r|\n|$")


def _read_csv(path: Path, formats: dict | None = None) -> tuple[pd.DataFrame, np.ndarray, str]:
    formats = formats or {}
    raw = path.read_bytes()
    text = (_decode_as(raw, path, formats["encoding"]) if formats.get("encoding")
            else _decode(raw, path))
    if not text or text.isspace():
        raise FileFormatError(path, "empty file", line=1,
                              fix="export the table with its header line and rows")
    first, head = _first_line_of(text, formats.get("header_row"), path)
    sep = _sniff_sep(head)
    fix = (f"every line must have as many {sep!r}-separated fields as the header; quote values "
           "containing the separator")
    try:
        header = pd.read_csv(io.StringIO(head), sep=sep, dtype=str, nrows=0,
                             quoting=csv.QUOTE_MINIMAL).columns
    except pd.errors.ParserError as err:
        raise _unreadable(path, err, text.splitlines(), first, fix) from None
    _no_duplicate_headers(path, next(csv.reader([head], delimiter=sep)), first + 1)
    n = len(header)
    table = _arrow_rows(text.encode("utf-8"), sep, first + 1, n)
    if table is None:
        df = _pandas_rows(path, text, sep, first, n, fix)
    else:
        df = table.to_pandas()
        df.columns = range(table.num_columns)
    line_no = np.arange(len(df)) + first + 2
    if n in df.columns:
        spare = df.pop(n)
        extra = (spare.str.strip() != "").to_numpy()
        if extra.any():
            i = int(np.flatnonzero(extra)[0])
            raise FileFormatError(path, f"{n + 1} fields, the header has {n} (extra value "
                                  f"{spare.iloc[i]!r} after column {header[-1]!r})",
                                  line=int(line_no[i]), field=str(header[-1]), fix=fix)
    df.columns = header
    if table is not None:
        empty = _blank_rows(table.select(range(n)))
    else:
        empty = (df.fillna("").astype("str").apply(lambda c: c.str.strip()) == "").all(
            axis=1).to_numpy()
    if empty.any():
        df = df.loc[~empty]
        line_no = line_no[~empty]
    unnamed = [c for c in df.columns if str(c).startswith("Unnamed:")
               and (df[c].fillna("").str.strip() == "").all()]
    return df.drop(columns=unnamed), line_no, sep


def _pandas_rows(path: Path, text: str, sep: str, first: int, n: int, fix: str) -> pd.DataFrame:
    """The data lines read by pandas' parser (``n + 1`` columns: a separator at the end of the
    data lines only, a common export, must not shift the columns), every malformed line named."""
    try:
        df = pd.read_csv(io.StringIO(text), sep=sep, header=None, names=list(range(n + 1)),
                         dtype=str, keep_default_na=False, na_values=[], skip_blank_lines=False,
                         skiprows=first + 1, quoting=csv.QUOTE_MINIMAL)
    except pd.errors.ParserError as err:  # more than n + 1 fields, an unclosed quote
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(err))
        if m is None:
            raise _unreadable(path, err, text.splitlines(), first, fix) from None
        raise FileFormatError(path, f"{m.group(3)} fields, the header has {n}",
                              line=int(m.group(2)), fix=fix) from None
    if not isinstance(df.index, pd.RangeIndex):  # pandas took the surplus of line 1 as index
        raise FileFormatError(path, f"{n + 1 + df.index.nlevels} fields, the header has {n}",
                              line=first + 2, fix=fix)
    return df
