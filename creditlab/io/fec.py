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
lettering columns, in the open-items shape of ``creditlab.receivables.open_items``.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from creditlab._checks import as_of_date
from creditlab.exceptions import FileFormatError, InputError
from creditlab.io._demo import coerce_types
from creditlab.io.readers import parse_dates
from creditlab.receivables.items import OpenItems

__all__ = ["FEC_FIELDS", "FEC_REQUIRED", "FECWarning", "read_fec", "fec_open_items",
           "fec_ledger_tables"]

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
_SALES_ACCOUNT = "70"


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


# ----------------------------------------------------------------------------- open items
_OPEN_ITEMS_COLUMNS = ["customer_id", "invoice_id", "doc_type", "issue_date", "due_date",
                       "amount_ttc", "paid_amount", "open_amount", "disputed"]


def fec_open_items(fec: pd.DataFrame, as_of, *, accounts: str | Sequence[str] = "411",
                   default_terms_days: int = 30,
                   sales_journals: Sequence[str] | None = None) -> OpenItems:
    """Open customer items as of a date, from the lettering of a FEC.

    Rules
    -----
    - Customer lines are those whose ``account`` starts with one of ``accounts`` (default
      ``"411"``); ``customer_id`` is ``aux_account`` when present, else ``account``.
    - Lines with ``entry_date`` after ``as_of`` are ignored.
    - A line is **closed** when it is lettered (``letter`` non-empty) with ``letter_date`` on or
      before ``as_of`` — a letter without ``letter_date`` counts as lettered on time — *and*
      its lettering group (same account, customer and letter, among those closed lines)
      balances to the cent. A group that does not balance (partial lettering) stays open, line
      by line, so that the open items always add up to the 411 balance as of ``as_of``.
    - Each open line is a document: a net debit is an ``invoice``; a net credit is a
      ``credit_note`` when it is posted in a sales journal, else ``unallocated_cash``
      (payments not yet matched). Sales journals are ``sales_journals`` when given, else the
      journals holding a credit on a sales account (70*).
    - ``invoice_id`` = ``piece_ref`` (else ``journal_code-entry_num``, else ``L<line>``).
    - ``issue_date`` = ``piece_date`` (else ``entry_date``); for cash the ``entry_date``.
    - ``due_date`` = ``issue_date + default_terms_days`` (the FEC holds no due date; its
      ``DateRglt`` is the date of a payment, never used as a due date); for cash the
      ``entry_date``.
    - Amounts are signed as in the open-items contract: ``amount_ttc = open_amount = debit -
      credit`` (invoices > 0, credit notes and cash < 0), ``paid_amount = 0`` (lettering is
      all or nothing); ``disputed`` is False (the FEC does not record disputes). Lines with a
      zero amount are dropped.

    Parameters
    ----------
    fec : DataFrame
        Output of :func:`read_fec` (columns ``account, aux_account, debit, credit, entry_date,
        letter, letter_date, journal_code, entry_num, piece_ref, piece_date``; ``line`` and
        ``payment_date`` optional).
    as_of : date-like
        Date of the analysis.
    accounts : str or sequence of str, default "411"
        Account-number prefixes of the customer accounts (e.g. ``("411", "416")``).
    default_terms_days : int, default 30
        Days from issue to due date (the customers' payment terms).
    sales_journals : sequence of str, optional
        Journal codes of the sales journals (detected from 70* lines when None).

    Returns
    -------
    OpenItems
        ``.as_of`` is the date of the analysis; ``.items`` holds the open-items contract columns
        (``customer_id, invoice_id, doc_type, issue_date, due_date, amount_ttc, paid_amount,
        open_amount, disputed``) followed by ``account, journal_code, entry_num, letter,
        line``; one row per open line, sorted by customer and issue date. ``.items.attrs``:
        ``source``, ``partial_letters`` (number of lettering groups kept open because they do
        not balance).
    """
    if not isinstance(fec, pd.DataFrame):
        raise InputError("fec", "a DataFrame of FEC lines (creditlab.io.read_fec)",
                         type(fec).__name__, "read the file with creditlab.io.read_fec(path)")
    needed = ["account", "debit", "credit", "entry_date", "letter", "letter_date"]
    missing = [c for c in needed if c not in fec.columns]
    if missing:
        raise InputError(f"fec.{missing[0]}", f"FEC columns {needed}", list(fec.columns),
                         "read the file with creditlab.io.read_fec(path)")
    as_of = as_of_date(as_of)
    prefixes = (accounts,) if isinstance(accounts, str) else tuple(accounts)
    if not prefixes or not all(isinstance(p, str) and p for p in prefixes):
        raise InputError("accounts", "an account prefix or a sequence of them", accounts,
                         "pass e.g. accounts='411' or accounts=('411', '416')")
    if not isinstance(default_terms_days, int | np.integer) or default_terms_days < 0:
        raise InputError("default_terms_days", "a non-negative integer number of days",
                         default_terms_days, "pass e.g. default_terms_days=30")

    def col(name, default=np.nan, dtype="str"):
        if name in fec.columns:
            return fec[name]
        return pd.Series(default, index=fec.index, dtype=dtype)

    account = fec["account"].astype("str").str.strip()
    entry_date = pd.to_datetime(fec["entry_date"]).astype("datetime64[ns]")
    journal = col("journal_code").astype("str")
    if sales_journals is None:
        sales = set(journal[account.str.startswith(_SALES_ACCOUNT, na=False)
                            & (pd.to_numeric(fec["credit"]) > 0)].dropna())
    else:
        sales = set(sales_journals)
    keep = (account.str.startswith(prefixes, na=False) & (entry_date <= as_of)).to_numpy()
    f = fec.loc[keep]
    acc = account[keep]
    aux = col("aux_account")[keep].astype("str").str.strip()
    customer = aux.where(aux.notna() & (aux != ""), acc)
    net = (pd.to_numeric(f["debit"]).fillna(0.0) - pd.to_numeric(f["credit"]).fillna(0.0))
    letter = f["letter"].astype("str").str.strip()
    letter = letter.where(letter != "")
    let_date = pd.to_datetime(f["letter_date"]).astype("datetime64[ns]")
    lettered = letter.notna() & (let_date.isna() | (let_date <= as_of))
    groups = pd.DataFrame({"acc": acc, "cust": customer, "letter": letter, "net": net})[lettered]
    group_sum = groups.groupby(["acc", "cust", "letter"], sort=False)["net"].transform("sum")
    balanced = pd.Series(False, index=f.index)
    balanced.loc[groups.index] = group_sum.abs() < 0.005
    closed = lettered & balanced
    partial = groups.loc[~(group_sum.abs() < 0.005)].drop_duplicates(["acc", "cust", "letter"])

    open_ = (~closed) & (net.abs() >= 0.005)
    o = f.loc[open_.to_numpy()]
    net_o = net[open_].round(2)
    jr = journal[keep][open_]
    doc_type = np.where(net_o > 0, "invoice",
                        np.where(jr.isin(sales), "credit_note", "unallocated_cash"))
    piece = col("piece_ref")[keep][open_].astype("str").str.strip()
    entry_num = col("entry_num")[keep][open_].astype("str").str.strip()
    line = col("line", default=np.nan, dtype="float64")[keep][open_]
    fallback = (jr.fillna("") + "-" + entry_num.fillna("")).where(jr.notna() & entry_num.notna())
    fallback = fallback.fillna("L" + line.astype("Int64").astype("str"))
    invoice_id = piece.where(piece.notna() & (piece != ""), fallback)
    e_date = entry_date[keep][open_]
    piece_date = pd.to_datetime(col("piece_date", pd.NaT, "datetime64[ns]")[keep][open_])
    is_cash = doc_type == "unallocated_cash"
    issue = piece_date.fillna(e_date).where(~is_cash, e_date).astype("datetime64[ns]")
    # DateRglt is the date of a payment, not a due date: the terms decide
    due = issue + pd.Timedelta(days=int(default_terms_days))
    due = due.where(~is_cash, e_date).astype("datetime64[ns]")
    items = pd.DataFrame({
        "customer_id": customer[open_].astype("str"),
        "invoice_id": invoice_id.astype("str"),
        "doc_type": pd.Series(doc_type, index=o.index, dtype="str"),
        "issue_date": issue,
        "due_date": due,
        "amount_ttc": net_o.astype("float64"),
        "paid_amount": 0.0,
        "open_amount": net_o.astype("float64"),
        "disputed": False,
        "account": acc[open_].astype("str"),
        "journal_code": jr.astype("str"),
        "entry_num": entry_num.astype("str"),
        "letter": letter[open_].astype("str"),
        "line": line.astype("Int64"),
    })
    items = items.sort_values(["customer_id", "issue_date", "invoice_id"], kind="stable")
    items = items.reset_index(drop=True)
    items.attrs.update({"source": fec.attrs.get("source"), "partial_letters": len(partial)})
    return OpenItems(items, as_of)


# ----------------------------------------------------------------------------- ledger tables
def _overlap(left: pd.DataFrame, right: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """Pairs of intervals ``[start, end)`` of ``left`` and ``right`` in the same group that
    overlap, with the overlap length ``amount`` (cents)."""
    pairs = left.merge(right, on=key, suffixes=("_l", "_r"))
    amt = (np.minimum(pairs["end_l"], pairs["end_r"])
           - np.maximum(pairs["start_l"], pairs["start_r"]))
    return pairs.assign(amount=amt)[amt > 0]


def fec_ledger_tables(fec: pd.DataFrame, *, accounts: str | Sequence[str] = ("411", "416"),
                      terms_days: int = 30, sales_journals: Sequence[str] | None = None
                      ) -> dict[str, pd.DataFrame]:
    """The canonical ``invoices`` and ``payments`` tables of the customer accounts of a FEC.

    Rules
    -----
    - Customer lines: ``account`` starting with one of ``accounts`` (411 and 416 by default);
      ``customer_id`` = ``aux_account`` when present, else ``account``.
    - A net debit line is an invoice; a net credit line in a sales journal (the journals
      crediting a 70* account, or ``sales_journals``) a credit note; any other net credit
      line is cash received (a payment dated ``entry_date``).
    - ``invoice_id`` = ``piece_ref`` (else ``journal_code-entry_num``), made unique with the
      FEC line number when repeated; ``issue_date`` = ``piece_date`` (else ``entry_date``);
      ``due_date`` = ``issue_date + terms_days`` — never ``DateRglt``, a payment date.
    - Lettering (``EcritureLet``, per account and customer) says what settles what: inside a
      group, cash pays the invoices in date order (a payment spanning two invoices is split)
      and credit notes are netted against the last invoices (``related_invoice_id``); cash
      beyond the group's invoices, and cash not lettered, stays on account.

    Returns
    -------
    dict
        ``{"invoices": ..., "payments": ...}`` with canonical columns (``payments`` has one row
        per allocation, ``payment_id`` = ``R<line>`` or ``R<line>-<k>``).
    """
    if not isinstance(fec, pd.DataFrame) or "account" not in fec.columns:
        raise InputError("fec", "a DataFrame of FEC lines (creditlab.io.read_fec)",
                         type(fec).__name__, "read the file with creditlab.io.read_fec(path)")
    prefixes = (accounts,) if isinstance(accounts, str) else tuple(accounts)

    def col(name):
        return fec[name] if name in fec.columns else pd.Series(np.nan, index=fec.index,
                                                                dtype="object")

    account = fec["account"].astype("str").str.strip()
    journal = col("journal_code").astype("str")
    if sales_journals is None:
        sales = set(journal[account.str.startswith(_SALES_ACCOUNT, na=False)
                            & (pd.to_numeric(fec["credit"]) > 0)].dropna())
    else:
        sales = set(sales_journals)
    f = fec.loc[account.str.startswith(prefixes, na=False).to_numpy()].copy()
    if f.empty:
        raise InputError("fec", f"lines on the customer accounts {list(prefixes)}",
                         "no such line", "check the accounts setting (411, 416...) of the FEC")
    acc = account[f.index]
    aux = col("aux_account")[f.index].astype("str").str.strip()
    f["customer_id"] = aux.where(aux.notna() & (aux != "") & (aux != "nan"), acc)
    cents = ((pd.to_numeric(f["debit"]).fillna(0.0) - pd.to_numeric(f["credit"]).fillna(0.0))
             * 100).round().astype("int64")
    f["cents"] = cents
    f = f[cents != 0]
    jr = journal[f.index]
    f["kind"] = np.where(f["cents"] > 0, "invoice",
                         np.where(jr.isin(sales), "credit_note", "cash"))
    line = col("line")[f.index]
    f["line_no"] = line.fillna(pd.Series(np.arange(len(f)) + 2, index=f.index)).astype("int64")
    piece = col("piece_ref")[f.index].astype("str").str.strip()
    ent = col("entry_num")[f.index].astype("str").str.strip()
    doc_id = piece.where(piece.notna() & (piece != "") & (piece != "nan"), jr + "-" + ent)
    docs = f["kind"] != "cash"
    repeated = doc_id.duplicated(keep=False) & docs
    f["doc_id"] = doc_id.where(~repeated, doc_id + "/L" + f["line_no"].astype("str"))
    entry = pd.to_datetime(f["entry_date"]).astype("datetime64[ns]")
    pdate = pd.to_datetime(col("piece_date")[f.index]).astype("datetime64[ns]")
    f["issue"] = pdate.fillna(entry)
    f["entry"] = entry
    letter = col("letter")[f.index].astype("str").str.strip()
    f["group"] = np.where(letter.notna() & (letter != "") & (letter != "nan"),
                          acc + "|" + f["customer_id"] + "|" + letter, "")
    key = ["group"]
    lettered = f[f["group"] != ""]
    inv = lettered[lettered["kind"] == "invoice"].sort_values(["group", "issue", "line_no"])
    inv = inv.assign(end=inv.groupby("group")["cents"].cumsum())
    inv = inv.assign(start=inv["end"] - inv["cents"])
    total = inv.groupby("group")["cents"].sum()
    cash = lettered[lettered["kind"] == "cash"].sort_values(["group", "entry", "line_no"])
    cash = cash.assign(end=(-cash["cents"]).groupby(cash["group"]).cumsum())
    cash = cash.assign(start=cash["end"] + cash["cents"])
    cn = lettered[lettered["kind"] == "credit_note"].sort_values(["group", "issue", "line_no"])
    # credit notes laid from the end of the group's invoices backwards
    cn_end = total.reindex(cn["group"]).fillna(0).to_numpy() - \
        (-cn["cents"]).groupby(cn["group"]).cumsum().to_numpy() - cn["cents"].to_numpy()
    cn = cn.assign(end=cn_end, start=cn_end + cn["cents"].to_numpy())
    cols = ["group", "start", "end"]
    pay_alloc = _overlap(cash[[*cols, "line_no"]], inv[[*cols, "doc_id"]], key)
    cn_alloc = _overlap(cn[[*cols, "doc_id"]], inv[[*cols, "doc_id"]], key) \
        .sort_values("amount", ascending=False).drop_duplicates("doc_id_l")
    related = dict(zip(cn_alloc["doc_id_l"], cn_alloc["doc_id_r"], strict=True))

    documents = f[docs]
    invoices = pd.DataFrame({
        "invoice_id": documents["doc_id"].astype("str"),
        "customer_id": documents["customer_id"].astype("str"),
        "doc_type": np.where(documents["kind"] == "invoice", "invoice", "credit_note"),
        "issue_date": documents["issue"],
        "due_date": documents["issue"] + pd.Timedelta(days=int(terms_days)),
        "amount_ttc": documents["cents"] / 100.0,
        "related_invoice_id": documents["doc_id"].map(related),
    }).reset_index(drop=True)
    invoices["due_date"] = invoices["due_date"].where(invoices["doc_type"] == "invoice",
                                                      invoices["issue_date"])
    cash_all = f[f["kind"] == "cash"]
    allocated = pay_alloc.groupby("line_no")["amount"].sum()
    rest = (-cash_all.set_index("line_no")["cents"]).sub(allocated, fill_value=0)
    rest = rest[rest != 0]
    info = cash_all.set_index("line_no")
    alloc_rows = pd.DataFrame({
        "line_no": pay_alloc["line_no"].to_numpy(),
        "invoice_id": pay_alloc["doc_id"].to_numpy(),
        "cents": pay_alloc["amount"].to_numpy()})
    rest_rows = pd.DataFrame({"line_no": rest.index.to_numpy(), "invoice_id": None,
                              "cents": rest.to_numpy()})
    rows = pd.concat([alloc_rows, rest_rows], ignore_index=True).sort_values(
        "line_no", kind="stable")
    k = rows.groupby("line_no").cumcount()
    n = rows.groupby("line_no")["line_no"].transform("size")
    pid = "R" + rows["line_no"].astype("str")
    payments = pd.DataFrame({
        "payment_id": pid.where(n == 1, pid + "-" + (k + 1).astype("str")),
        "customer_id": info["customer_id"].reindex(rows["line_no"]).to_numpy(),
        "payment_date": info["entry"].reindex(rows["line_no"]).to_numpy(),
        "amount": rows["cents"].to_numpy() / 100.0,
        "invoice_id": rows["invoice_id"].to_numpy(),
        "method": None}).reset_index(drop=True)
    return {"invoices": coerce_types(invoices, "invoices"),
            "payments": coerce_types(payments, "payments")}
