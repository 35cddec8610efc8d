"""The French FEC (Fichier des écritures comptables) and the open customer items it holds.

Format: article A47 A-1 of the Livre des procédures fiscales (summary and source in
``../shared/external/fec_samples/FEC_SPEC.md``): one line per accounting line, the first line
holds the field names, fields separated by TAB or ``|``, dates ``AAAAMMJJ``, amounts with a
decimal comma, file name ``SirenFECAAAAMMJJ`` (AAAAMMJJ = closing date of the fiscal year).

:func:`read_fec` accepts every variant seen in real files: TAB or ``|``; UTF-8 with or without
BOM, else ISO 8859-15; LF, CRLF, CR or CR CR LF line ends; space-padded fixed-width values and
zero-padded amounts; a trailing separator; the 18-field layout, the 21/22-field layouts
(``DateRglt``, ``ModeRglt``, ``NatOp``, ``IdClient``), the ``Montant``/``Sens`` variant, header
case variants and the common ``EcrtureLet`` typo; a header repeated inside the file (split
files). Parsing is vectorised (pandas); Python only walks the lines to name a faulty one.

:func:`fec_open_items` derives the open customer items (accounts 411*) as of a date from the
lettering columns, in the open-items shape of ``creditlab.receivables.open_items``;
:func:`fec_ledger_tables` the canonical invoices and payments and :func:`fec_customers` the
customers' names (both in :mod:`creditlab.io.fec_ledger`, re-exported here).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from creditlab.exceptions import FileFormatError, InputError
from creditlab.io.readers import parse_dates

__all__ = ["FEC_FIELDS", "FEC_REQUIRED", "FECWarning", "read_fec", "fec_open_items",
           "fec_ledger_tables", "fec_customers"]

#: FEC field name (article A47 A-1) -> creditlab column (contract "FEC journal entries").
FEC_FIELDS: dict[str, str] = {
    "JournalCode": "journal_code",
    "JournalLib": "journal_lib",
    "EcritureNum": "entry_num",
    "EcritureDate": "entry_date",
    "CompteNum": "account",
    "CompteLib": "account_label",
    "CompAuxNum": "aux_account",
    "CompAuxLib": "aux_label",
    "PieceRef": "piece_ref",
    "PieceDate": "piece_date",
    "EcritureLib": "entry_label",
    "Debit": "debit",
    "Credit": "credit",
    "EcritureLet": "letter",
    "DateLet": "letter_date",
    "ValidDate": "valid_date",
    "Montantdevise": "fx_amount",
    "Idevise": "currency",
    "DateRglt": "payment_date",
    "ModeRglt": "payment_method",
    "NatOp": "nat_op",
    "IdClient": "client_id",
}
#: The 18 mandatory fields (``Debit``/``Credit`` may be replaced by ``Montant``/``Sens``).
FEC_REQUIRED = tuple(list(FEC_FIELDS)[:18])
_DATE_COLS = ("entry_date", "piece_date", "letter_date", "valid_date", "payment_date")
_TYPOS = {"ecrturelet": "EcritureLet", "ecriturelettrage": "EcritureLet",
          "montantdevises": "Montantdevise", "idevises": "Idevise"}


class FECWarning(UserWarning):
    """A FEC was read but does not comply with the format (e.g. empty ``ValidDate``)."""


def _key(name: str) -> str:
    s = unicodedata.normalize("NFKD", name.replace("\ufeff", "").strip())
    return "".join(ch for ch in s if not unicodedata.combining(ch)).lower()


_KNOWN = {_key(k): k for k in FEC_FIELDS} | _TYPOS | {"montant": "Montant", "sens": "Sens"}


def _decode(raw: bytes, path: Path) -> tuple[str, str]:
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as err:
            raise FileFormatError(path, f"invalid UTF-8 byte {raw[3 + err.start]:#04x} after a "
                                  "UTF-8 byte-order mark",
                                  line=raw[:3 + err.start].count(b"\n") + 1,
                                  fix="re-export the FEC in UTF-8 or ISO 8859-15") from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:4096]:
        raise FileFormatError(path, "UTF-16 or binary content; a FEC is ASCII, ISO 8859-15 or "
                              "UTF-8 (LPF art. A47 A-1, XII)", line=1,
                              fix="re-export the FEC in UTF-8")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("iso-8859-15"), "iso-8859-15"  # every byte is defined


def _parse_dates(s: pd.Series) -> pd.Series:
    """``AAAAMMJJ`` (the format); ISO and dd/mm/yyyy accepted from non-compliant generators."""
    out = pd.to_datetime(s, format="%Y%m%d", errors="coerce")
    retry = s.notna() & out.isna()
    if retry.any():
        iso = parse_dates(s[retry])
        out.loc[retry] = pd.to_datetime(iso, format="%Y-%m-%d", errors="coerce")
    return out.astype("datetime64[ns]")


def _parse_amounts(s: pd.Series) -> pd.Series:
    """Decimal comma, sign first or last (XII 2°), zero padding; empty = missing."""
    t = s.str.replace(r"[\s\u00a0\u202f]", "", regex=True)
    trail = t.str.match(r"^[0-9.,]+[-+]$", na=False)
    t = t.where(~trail, t.str.slice(-1) + t.str.slice(0, -1))
    t = t.str.replace(",", ".", regex=False)
    ok = t.str.match(r"^[-+]?(\d+\.?\d*|\.\d+)$", na=False)
    return pd.to_numeric(t.where(ok), errors="coerce").astype("float64")


def _fail(path, lines: np.ndarray, mask, message: str, field: str | None, fix: str,
          values: pd.Series | None = None):
    idx = np.flatnonzero(np.asarray(mask, dtype=bool))
    first = int(lines[idx[0]])
    got = f" (got {values.iloc[idx[0]]!r})" if values is not None else ""
    more = f"; {len(idx) - 1} other line(s) too" if len(idx) > 1 else ""
    raise FileFormatError(path, f"{message}{got}{more}", line=first, field=field, fix=fix)


def _check_entries(df: pd.DataFrame, path: Path, on_unbalanced: str, on_duplicates: str,
                   warn_list: list[str]) -> None:
    """Lines repeated identically (an entry exported twice would be counted twice) and entries
    (``JournalCode`` + ``EcritureNum``) whose debits and credits differ."""
    fields = [c for c in df.columns if c != "line"]
    key = [c for c in ("journal_code", "entry_num") if c in df.columns]
    if key:
        # an entry exported twice: every line of the entry is there (at least) twice. Two
        # identical lines beside other ones (two taxi rides of 15 EUR the same day) are normal.
        hashed = pd.util.hash_pandas_object(df[fields], index=False)
        groups = [df[k].fillna("") for k in key]
        count = hashed.groupby([*groups, hashed], sort=False).transform("size")
        twice = count.groupby(groups, sort=False).transform("min") >= 2
        if twice.any():
            first = df.loc[twice.to_numpy()].iloc[0]
            n_entries = df.loc[twice.to_numpy(), key].drop_duplicates().shape[0]
            msg = (f"{n_entries} entr(y/ies) exported twice (every line repeated), e.g. entry "
                   f"{' '.join(str(first[k]) for k in key)} from line {int(first['line'])}")
            if on_duplicates == "raise":
                raise FileFormatError(path, f"duplicated entries: {msg}",
                                      line=int(first["line"]), field="EcritureNum",
                                      fix="export the FEC again (an entry exported twice is "
                                          "counted twice), or pass on_duplicates='warn' when "
                                          "these lines are really distinct")
            warn_list.append(f"duplicated entries: {msg}")
    key = [c for c in ("journal_code", "entry_num") if c in df.columns]
    if not key:
        return
    net = (df["debit"] - df["credit"]).groupby([df[k] for k in key], sort=False).sum().round(2)
    bad = net[net.abs() >= 0.01]
    if len(bad):
        shown = ", ".join(f"{' '.join(map(str, k if isinstance(k, tuple) else (k,)))} "
                          f"(debit - credit = {v:,.2f})" for k, v in bad.head(3).items())
        first_line = int(df.set_index(key).loc[bad.index[0], "line"].min()) \
            if len(key) == 1 else int(df.set_index(key).loc[[bad.index[0]], "line"].min())
        msg = f"unbalanced FEC: {len(bad)} entr(y/ies) (JournalCode EcritureNum): {shown}"
        if on_unbalanced == "raise":
            raise FileFormatError(path, msg, line=first_line, field="EcritureNum",
                                  fix="every entry must balance: export the complete entries, or "
                                      "pass on_unbalanced='warn' to read it anyway")
        warn_list.append(msg)


def read_fec(path, *, on_unbalanced: str = "raise", on_duplicates: str = "raise"
             ) -> pd.DataFrame:
    """Read a FEC file into the journal-entries table (contract "FEC journal entries").

    Parameters
    ----------
    path : str or Path
        The FEC (``SirenFECAAAAMMJJ.txt``).
    on_unbalanced : {"raise", "warn"}, default "raise"
        What to do when total debit differs from total credit by 0.01 EUR or more: raise a
        FileFormatError, or only warn (:class:`FECWarning`) and record it in
        ``attrs["warnings"]``. The same applies to an entry (``JournalCode`` +
        ``EcritureNum``) whose debits and credits differ.
    on_duplicates : {"raise", "warn"}, default "raise"
        What to do with an entry whose every line is repeated identically (an entry exported
        twice would be counted twice).

    Returns
    -------
    DataFrame
        One row per FEC line: ``journal_code, journal_lib, entry_num, entry_date, account,
        account_label, aux_account, aux_label, piece_ref, piece_date, entry_label, debit,
        credit, letter, letter_date, valid_date, fx_amount, currency`` (+ ``payment_date,
        payment_method, nat_op, client_id`` when the file has them; any other field after
        them under its own name), then ``line`` (1-based line number, header = line 1).
        Dates are ``datetime64[ns]`` (NaT when empty); ``debit``/``credit`` float euros (an
        empty amount reads 0.0); ``fx_amount`` NaN when empty; empty texts are missing values;
        values are stripped of their padding. With ``Montant``/``Sens``, ``debit``/``credit``
        are rebuilt from them (``Sens`` = D/C or +1/-1).
        ``attrs``: ``source`` (file name), ``siren`` and ``closing_date`` (from a
        ``SirenFECAAAAMMJJ`` file name, else None), ``encoding``, ``separator``, ``warnings``
        (non-compliances that do not prevent reading: empty ``ValidDate``, account numbers
        not starting with three digits, an unbalanced file with ``on_unbalanced="warn"``).

    Raises
    ------
    FileFormatError
        Naming the file, the line and the field: missing file, empty file, no TAB/``|``
        separator, missing mandatory field in the header, a line with the wrong number of
        fields, an empty or unparseable ``EcritureDate``, an unparseable date or amount, a bad
        ``Sens``, an unbalanced file (``on_unbalanced="raise"``).
    """
    if on_duplicates not in ("raise", "warn"):
        raise InputError("on_duplicates", "'raise' or 'warn'", on_duplicates,
                         "pass on_duplicates='raise' (default) or 'warn'")
    if on_unbalanced not in ("raise", "warn"):
        raise InputError("on_unbalanced", "'raise' or 'warn'", on_unbalanced,
                         "pass on_unbalanced='warn' to read an unbalanced file anyway")
    path = Path(path)
    if not path.is_file():
        raise FileFormatError(path, "file not found" if not path.exists() else "not a file",
                              fix="check the path of the FEC")
    raw = path.read_bytes()
    text, encoding = _decode(raw, path)
    if not text.strip():
        raise FileFormatError(path, "empty file", line=1,
                              fix="export the FEC with its header line and its lines")
    text = re.sub(r"\r+\n", "\n", text)
    if "\n" not in text:
        text = text.replace("\r", "\n")
    lines = pd.Series(text.split("\n"), dtype="str")
    lines = lines.str.rstrip("\r")
    blank = lines.str.strip() == ""
    head_pos = int(np.flatnonzero(~blank.to_numpy())[0])
    header_line = lines.iloc[head_pos]
    head_no = head_pos + 1
    sep = "\t" if "\t" in header_line else "|" if "|" in header_line else None
    if sep is None:
        raise FileFormatError(path, "no TAB or '|' separator in the header", line=head_no,
                              fix="a FEC separates its fields with TAB or '|' (LPF art. "
                                  "A47 A-1, VI)")
    names = [n.strip().replace("\ufeff", "") for n in header_line.split(sep)]
    trailing = names[-1] == ""
    if trailing:
        names = names[:-1]
    if any(n == "" for n in names):
        pos = names.index("")
        raise FileFormatError(path, f"empty field name in position {pos + 1} of the header",
                              line=head_no, field=f"#{pos + 1}", fix="name every field")
    canon = [_KNOWN.get(_key(n), n) for n in names]
    twice = [c for i, c in enumerate(canon) if c in canon[:i]]
    if twice:
        pos = [i + 1 for i, c in enumerate(canon) if c == twice[0]]
        raise FileFormatError(path, f"field {twice[0]!r} appears twice in the header (positions "
                              f"{pos}: {[names[i - 1] for i in pos]})", line=head_no,
                              field=twice[0], fix="keep one column per field (rename or drop "
                              "the other one)")
    present = set(canon)
    amount_sens = "Montant" in present and "Sens" in present
    for field in FEC_REQUIRED:
        if field in present or (amount_sens and field in ("Debit", "Credit")):
            continue
        raise FileFormatError(path, f"mandatory field {field!r} missing from the header "
                              f"(got {names})", line=head_no, field=field,
                              fix="the first line must name the 18 fields of LPF art. A47 A-1")
    n = len(names)

    # data lines: non-blank, not a repeated header (split files, XIII)
    data = ~blank.to_numpy() & (np.arange(len(lines)) > head_pos)
    data &= (lines.str.strip() != header_line.strip()).to_numpy()
    body = lines[data]
    line_no = np.flatnonzero(data) + 1
    if body.empty:
        raise FileFormatError(path, "no line after the header", line=head_no + 1,
                              fix="export the FEC with its lines")
    seps = body.str.count(re.escape(sep)).to_numpy()
    has_trailing = body.str.rstrip(" ").str.endswith(sep).to_numpy()
    ok = (seps == n - 1) | ((seps == n) & has_trailing)
    if not ok.all():
        got = np.where(has_trailing, seps, seps + 1)
        bad = ~ok
        first = np.flatnonzero(bad)[0]
        # the field where the line stops matching the header: the first one missing, or the
        # last one when there are too many (often a separator inside a label before it)
        field = names[got[first]] if got[first] < n else names[-1]
        where = (f"fields from {field!r} on are missing" if got[first] < n
                 else f"{got[first] - n} value(s) too many by {field!r}")
        _fail(path, line_no, bad, f"expected {n} fields separated by {sep!r}, got "
              f"{got[first]} ({where})", field,
              "every line must have the header's fields, no more no less (a separator inside "
              "a label must be removed)")
    table = pd.read_csv(io.StringIO("\n".join(body.tolist())), sep=sep, header=None,
                        names=list(range(n + 1)), dtype=str, quoting=csv.QUOTE_NONE,
                        keep_default_na=False, na_filter=False, engine="c",
                        skip_blank_lines=False)
    if len(table) != len(body):  # pragma: no cover - guarded by the field-count check
        raise FileFormatError(path, f"read {len(table)} lines, expected {len(body)}",
                              fix="report this file to creditlab")
    table = table.iloc[:, :n]
    table.columns = canon
    raw_vals = {c: table[c].astype("str").str.strip() for c in canon}

    out: dict[str, pd.Series] = {}
    warn_list: list[str] = []
    for field, col in FEC_FIELDS.items():
        if field not in present:
            if field in FEC_REQUIRED:
                out[col] = pd.Series(np.nan, index=table.index, dtype="str")
            continue
        s = raw_vals[field]
        empty = s == ""
        if col in _DATE_COLS:
            if col == "entry_date" and empty.any():
                _fail(path, line_no, empty, "empty EcritureDate", field,
                      "every line needs its posting date (AAAAMMJJ)")
            val = s.where(~empty)
            parsed = _parse_dates(val)
            bad = (~empty & parsed.isna()).to_numpy()
            if bad.any():
                _fail(path, line_no, bad, "unparseable date", field,
                      "write dates as AAAAMMJJ (e.g. 20240131)", s)
            out[col] = parsed
        elif col in ("debit", "credit", "fx_amount"):
            parsed = _parse_amounts(s.where(~empty))
            bad = (~empty & parsed.isna()).to_numpy()
            if bad.any():
                _fail(path, line_no, bad, "unparseable amount", field,
                      "write amounts with a decimal comma and no thousands separator "
                      "(e.g. 1234,56)", s)
            out[col] = parsed.fillna(0.0) if col != "fx_amount" else parsed
        else:
            out[col] = s.where(~empty).astype("str")
    if amount_sens and not ("Debit" in present and "Credit" in present):
        s = raw_vals["Montant"]
        amount = _parse_amounts(s.where(s != ""))
        bad = ((s != "") & amount.isna()).to_numpy()
        if bad.any():
            _fail(path, line_no, bad, "unparseable amount", "Montant",
                  "write amounts with a decimal comma (e.g. 1234,56)", s)
        sens = raw_vals["Sens"].str.upper()
        is_d = sens.isin(["D", "+1"])
        is_c = sens.isin(["C", "-1"])
        bad = (~(is_d | is_c)).to_numpy()
        if bad.any():
            _fail(path, line_no, bad, "Sens must be D/C or +1/-1", "Sens",
                  "write the direction as D or C (or +1 / -1, no space)", raw_vals["Sens"])
        amount = amount.fillna(0.0)
        out["debit"] = amount.where(is_d, 0.0)
        out["credit"] = amount.where(is_c, 0.0)
    df = pd.DataFrame(out)
    order = [c for c in FEC_FIELDS.values() if c in df.columns]
    df = df[order]
    for extra in canon:
        if extra not in FEC_FIELDS and extra not in ("Montant", "Sens"):
            df[extra] = raw_vals[extra].where(raw_vals[extra] != "").astype("str")
    if amount_sens:
        df["amount"] = _parse_amounts(raw_vals["Montant"].where(raw_vals["Montant"] != ""))
        df["direction"] = raw_vals["Sens"].astype("str")
    df["line"] = line_no.astype("int64")
    df = df.reset_index(drop=True)

    # non-compliances that do not stop the reading
    if "valid_date" in df.columns and df["valid_date"].isna().any():
        k = int(df["valid_date"].isna().sum())
        warn_list.append(f"ValidDate empty on {k} of {len(df)} lines (mandatory, LPF art. "
                         "A47 A-1 VII)")
    acc = df["account"].astype("str")
    bad_acc = df["account"].notna() & ~acc.str.match(r"^\d{3}", na=False)
    if bad_acc.any():
        warn_list.append(f"{int(bad_acc.sum())} account number(s) do not start with three "
                         f"digits of the PCG, e.g. line {int(df.loc[bad_acc, 'line'].iloc[0])}")
    _check_entries(df, path, on_unbalanced, on_duplicates, warn_list)
    total_d, total_c = float(df["debit"].sum()), float(df["credit"].sum())
    if abs(round(total_d - total_c, 2)) >= 0.01:
        msg = (f"total debit {total_d:,.2f} differs from total credit {total_c:,.2f} "
               f"(gap {total_d - total_c:,.2f})")
        if on_unbalanced == "raise":
            raise FileFormatError(path, f"unbalanced FEC: {msg}", field="Debit/Credit",
                                  fix="export the complete fiscal year (every entry balances), "
                                      "or pass on_unbalanced='warn' to read it anyway")
        warn_list.append(f"unbalanced FEC: {msg}")
    for w in warn_list:
        warnings.warn(f"{path.name}: {w}", FECWarning, stacklevel=2)

    m = re.match(r"^(\d+)FEC(\d{8})", path.stem, flags=re.IGNORECASE)
    closing = pd.to_datetime(m.group(2), format="%Y%m%d", errors="coerce") if m else pd.NaT
    df.attrs.update({
        "source": path.name,
        "siren": m.group(1) if m else None,
        "closing_date": None if pd.isna(closing) else closing,
        "encoding": encoding,
        "separator": sep,
        "warnings": warn_list,
    })
    return df


# the customer accounts' documents, cash and names (re-exported: one public module)
from creditlab.io.fec_ledger import fec_customers, fec_ledger_tables, fec_open_items  # noqa: E402
