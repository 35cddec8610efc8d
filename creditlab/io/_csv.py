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
