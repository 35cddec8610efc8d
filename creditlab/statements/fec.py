"""Financial statements from a FEC (fichier des écritures comptables).

``from_fec(fec, fiscal_year_end)`` builds the trial balance by PCG account (and auxiliary
account) from the journal lines, maps each balance onto the canonical ``financial_statements``
aggregates with a versioned mapping of PCG account ranges (``creditlab/data/pcg_mapping_*.csv``)
and returns one statements row that satisfies ``FS_IDENTITIES``.

Mapping versions (selected from the first day of the fiscal year):

- ``2024``: PCG of règlement ANC 2014-03 — fiscal years opened before 1 January 2025.
- ``2025``: règlement ANC 2022-06 (modernisation des états financiers) — fiscal years opened
  from 1 January 2025: disposals move to 657/757, the quote-part of investment subsidies to 747,
  transferts de charges (79) are abolished. creditlab keeps those items in their own columns
  (``asset_disposal_proceeds``, ``book_value_disposed``, ``investment_subsidies_released``),
  which its SIG chain places in the exceptional result: to compare with a 2025 liasse (where
  they are operating items) add them back. DOMAIN.md §0 asks to re-check this mapping against
  the 2025 PCG before relying on it.

Mapping rule: an account matches a row when its first ``len(prefix_from)`` characters lie between
``prefix_from`` and ``prefix_to``; the longest matching prefix wins, and a row for the balance's
side (``debit``/``credit``) beats an ``any`` row of the same length. The side is that of the
balance of each (account, auxiliary account) pair when ``by_aux`` (liasse practice: a supplier
with a debit balance is an "autre créance"), else of the account. ``amount = sign × (debit −
credit)`` is added to ``aggregate``.

Sources: LPF art. A47 A-1 (FEC content: closing entries excluded, so the result of the year is
the balance of classes 6 and 7); PCG account list; liasse 2050-2053 line contents; see the
``source`` column of each mapping row.

Checked against real tax returns (``tests/statements/test_statements_fec.py``): on the FEC
samples of ``../shared/external/fec_samples`` (neolegal-fr/fec-reader, MIT), every tax-return
box of ``liasse_expected/`` that maps to a creditlab aggregate (or a sum of them) agrees within
**2 € per box** (boxes are rounded to the euro, creditlab keeps the cents; largest gap seen
0.97 €): 43 boxes of forms 2050-2053 (``123456789FEC20500930``), 25 boxes of form 2033
(``000000000FEC20231231``), 11 boxes of forms 2139-A/B (``0000000001FEC20220831``, a farm).
Boxes that differ or are not compared, and why:

- 2033 box 166 (fournisseurs): 4 631 in the file, 9 795.40 here. creditlab decides the side of
  each auxiliary supplier account separately (liasse practice) and moves 5 164.40 € of debit
  supplier balances to "autres créances"; the file's own checked box 072 only adds up that way.
  ``by_aux=False`` gives the netted 4 631 again.
- 2033 boxes 126 + 134 (réserves, report à nouveau): 76 554 in the file, 78 137.11 here: the
  1 583.35 € balance of account 12 (previous result not yet appropriated; a FEC has no closing
  entries) is put in ``retained_earnings``.
- 2050 FA/FB (ventes de marchandises): not compared, the source project puts 708 in sales of
  goods (creditlab: production vendue, PCG); its checked totals FC and FI agree with creditlab.
- 2050 DV (emprunts et dettes financières divers, incl. comptes courants d'associés): not
  compared, creditlab's table keeps 455 in ``other_payables``.
- 2050 GH: not compared, its expected value is a copy of GG.
"""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd

from creditlab._cache import reference_cache
from creditlab._checks import as_date
from creditlab.exceptions import InputError, Problem, ValidationError
from creditlab.statements._common import FS_TABLE, check_choice
from creditlab.tables import FS_IDENTITIES, FS_TOLERANCE, columns_of

__all__ = ["MAPPING_VERSIONS", "load_pcg_mapping", "mapping_version_for", "fec_balances",
           "map_balances", "from_fec"]

#: Available mapping versions and the first fiscal-year start date each applies to.
MAPPING_VERSIONS: dict[str, pd.Timestamp] = {
    "2024": pd.Timestamp("1900-01-01"),
    "2025": pd.Timestamp("2025-01-01"),
}
_MAPPING_COLUMNS = ("prefix_from", "prefix_to", "side", "aggregate", "sign", "label_fr",
                    "source", "note")
_RAW_FEC_NAMES = {"CompteNum": "account", "CompteLib": "account_label",
                  "CompAuxNum": "aux_account", "CompAuxLib": "aux_label", "Debit": "debit",
                  "Credit": "credit", "EcritureDate": "entry_date", "JournalCode": "journal_code"}
_FS_AGGREGATES = frozenset(c for t in FS_IDENTITIES.values() for _, c in t)


@reference_cache(maxsize=8)
def _read_mapping(version: str) -> pd.DataFrame:
    path = resources.files("creditlab.data").joinpath(f"pcg_mapping_{version}.csv")
    with resources.as_file(path) as p:
        df = pd.read_csv(p, dtype=str, keep_default_na=False)
    return _validate_mapping(df, f"pcg_mapping_{version}.csv")


def _validate_mapping(df: pd.DataFrame, name: str) -> pd.DataFrame:
    missing = [c for c in _MAPPING_COLUMNS[:5] if c not in df.columns]
    if missing:
        raise InputError(f"{name}", f"columns {list(_MAPPING_COLUMNS)}", f"missing {missing}",
                         "use the layout of creditlab/data/pcg_mapping_2024.csv")
    out = df.copy()
    for c in ("prefix_from", "prefix_to", "side", "aggregate"):
        out[c] = out[c].astype(str).str.strip()
    out["sign"] = pd.to_numeric(out["sign"], errors="raise").astype("int64")
    bad_len = out["prefix_from"].str.len() != out["prefix_to"].str.len()
    bad_side = ~out["side"].isin(["any", "debit", "credit"])
    valid_aggs = _FS_AGGREGATES | {"ignore"}
    bad_agg = ~out["aggregate"].isin(valid_aggs)
    for mask, what in ((bad_len, "prefix_from and prefix_to of the same length"),
                       (bad_side, "side in any/debit/credit"),
                       (bad_agg, "aggregate = a financial_statements line or 'ignore'")):
        if mask.any():
            raise InputError(name, what, out.loc[mask, ["prefix_from", "prefix_to", "side",
                                                      "aggregate"]].head(3).to_dict("records"),
                             "correct the mapping rows")
    out["length"] = out["prefix_from"].str.len()
    # overlapping ranges at the same length and side would make the result order-dependent
    for (length, side), g in out.groupby(["length", "side"]):
        g = g.sort_values("prefix_from")
        overlap = g["prefix_from"].to_numpy()[1:] <= g["prefix_to"].to_numpy()[:-1]
        if overlap.any():
            raise InputError(name, f"non-overlapping ranges for prefixes of length {length} "
                             f"and side {side!r}", g[["prefix_from", "prefix_to"]].to_dict("records"),
                             "split or remove the overlapping rows")
    for c in _MAPPING_COLUMNS[5:]:
        if c not in out.columns:
            out[c] = ""
    return out.reset_index(drop=True)


def load_pcg_mapping(version: str = "2024") -> pd.DataFrame:
    """The PCG account-range → aggregate mapping of ``version`` (a copy).

    Columns: ``prefix_from``, ``prefix_to``, ``side`` (any/debit/credit), ``aggregate`` (a
    ``financial_statements`` line or ``ignore``), ``sign`` (amount = sign × (debit − credit)),
    ``label_fr``, ``source``, ``note``, ``length``.
    """
    check_choice(version, "version", tuple(MAPPING_VERSIONS))
    return _read_mapping(version)


def mapping_version_for(fiscal_year_start) -> str:
    """Mapping version applicable to a fiscal year starting on ``fiscal_year_start``."""
    start = as_date(fiscal_year_start, "fiscal_year_start")
    version = "2024"
    for v, since in MAPPING_VERSIONS.items():
        if start >= since:
            version = v
    return version


def _normalise_fec(fec: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(fec, pd.DataFrame):
        raise InputError("fec", "a DataFrame of FEC lines (creditlab.io.read_fec)",
                         type(fec).__name__, "read the file with creditlab.io.read_fec(path)")
    df = fec.rename(columns={k: v for k, v in _RAW_FEC_NAMES.items() if k in fec.columns
                             and v not in fec.columns})
    missing = [c for c in ("account", "debit", "credit") if c not in df.columns]
    if missing:
        raise InputError(f"fec.{missing[0]}", "FEC columns account, debit, credit "
                         "(CompteNum, Debit, Credit)", f"missing {missing}",
                         "read the file with creditlab.io.read_fec(path)")
    return df


def fec_balances(fec: pd.DataFrame, *, by_aux: bool = True) -> pd.DataFrame:
    """Trial balance of a FEC: one row per account (and auxiliary account when ``by_aux``).

    Parameters
    ----------
    fec : DataFrame
        FEC lines in the format of ``creditlab.io.read_fec`` (``account``, ``debit``,
        ``credit``; ``aux_account``, ``account_label`` used when present). Raw FEC column names
        (``CompteNum``, ``Debit``, ``Credit``, ``CompAuxNum``) are accepted too.
    by_aux : bool
        Balance each (account, auxiliary account) pair separately, so that the debit or credit
        side is decided per customer / supplier.

    Returns
    -------
    DataFrame
        ``account``, ``aux_account`` (empty when none), ``account_label``, ``debit``, ``credit``
        (sums, euros), ``balance`` (= debit − credit). Rows with a zero balance are kept.
    """
    df = _normalise_fec(fec)
    acc = df["account"].astype("str").str.strip()
    if acc.isna().any() or (acc == "").any():
        bad = df.index[(acc.isna() | (acc == "")).to_numpy()][:5].tolist()
        raise InputError("fec.account", "an account number on every line", f"empty at rows {bad}",
                         "fill CompteNum (the PCG account) on every FEC line")
    debit = pd.to_numeric(df["debit"], errors="coerce")
    credit = pd.to_numeric(df["credit"], errors="coerce")
    if debit.isna().any() or credit.isna().any():
        raise InputError("fec.debit", "numeric debit and credit amounts",
                         "non-numeric or missing values",
                         "read the file with creditlab.io.read_fec (decimal comma handled)")
    if by_aux and "aux_account" in df.columns:
        aux = df["aux_account"].astype("str").fillna("").str.strip()
    else:
        aux = pd.Series("", index=df.index, dtype="str")
    label = (df["account_label"].astype("str").fillna("") if "account_label" in df.columns
             else pd.Series("", index=df.index, dtype="str"))
    g = pd.DataFrame({"account": acc, "aux_account": aux, "account_label": label,
                      "debit": debit.astype("float64"), "credit": credit.astype("float64")})
    out = (g.groupby(["account", "aux_account"], sort=True, observed=True)
           .agg(account_label=("account_label", "first"), debit=("debit", "sum"),
                credit=("credit", "sum"))
           .reset_index())
    out["balance"] = (out["debit"] - out["credit"]).round(2)
    return out


def _resolve(accounts: np.ndarray, sides: np.ndarray, mapping: pd.DataFrame) -> np.ndarray:
    """Index of the mapping row for each (account, side), -1 when none matches."""
    n = len(accounts)
    best = np.full(n, -1, dtype=np.int64)
    best_score = np.full(n, -1, dtype=np.int64)
    acc = pd.Series(accounts, dtype="str")
    for length in sorted(mapping["length"].unique()):
        pref = acc.str.slice(0, int(length)).to_numpy(dtype=object)
        rows = mapping.index[mapping["length"] == length].to_numpy()
        lo = mapping.loc[rows, "prefix_from"].to_numpy(dtype=object)
        hi = mapping.loc[rows, "prefix_to"].to_numpy(dtype=object)
        side = mapping.loc[rows, "side"].to_numpy(dtype=object)
        inside = (pref[:, None] >= lo[None, :]) & (pref[:, None] <= hi[None, :])
        inside &= np.asarray([len(p) == length for p in pref])[:, None]
        side_ok = (side[None, :] == "any") | (side[None, :] == sides[:, None])
        match = inside & side_ok
        # score: length first, then side-specific over "any"
        score = np.where(match, int(length) * 2 + (side[None, :] != "any"), -1)
        j = score.argmax(axis=1)
        s = score[np.arange(n), j]
        better = s > best_score
        best[better] = rows[j[better]]
        best_score[better] = s[better]
    return best


def map_balances(balances: pd.DataFrame, mapping: pd.DataFrame | str = "2024") -> pd.DataFrame:
    """Attach the mapping row to every balance of :func:`fec_balances`.

    Parameters
    ----------
    balances : DataFrame
        Output of :func:`fec_balances`.
    mapping : DataFrame or str
        A mapping version (``"2024"``, ``"2025"``) or a mapping table in the same layout.

    Returns
    -------
    DataFrame
        ``balances`` plus ``side`` (debit/credit of the balance), ``prefix_from``,
        ``prefix_to``, ``aggregate`` (NaN when no row matches), ``sign`` and ``amount``
        (= sign × balance, euros).
    """
    table = (load_pcg_mapping(mapping) if isinstance(mapping, str)
             else _validate_mapping(mapping, "mapping"))
    out = balances.copy()
    out["side"] = np.where(out["balance"] < 0, "credit", "debit")
    idx = _resolve(out["account"].to_numpy(dtype=object), out["side"].to_numpy(dtype=object),
                   table)
    found = idx >= 0
    safe = np.where(found, idx, 0)
    for c in ("prefix_from", "prefix_to", "aggregate"):
        out[c] = pd.Series(np.where(found, table[c].to_numpy(dtype=object)[safe], None),
                           index=out.index, dtype="str")
    out["sign"] = np.where(found, table["sign"].to_numpy()[safe], 0).astype("int64")
    out["amount"] = out["sign"] * out["balance"]
    return out


def from_fec(fec: pd.DataFrame, fiscal_year_end, *, customer_id: str | None = None,
             fiscal_year_start=None, mapping: pd.DataFrame | str | None = None,
             by_aux: bool = True, on_unmapped: str = "raise") -> pd.DataFrame:
    """One ``financial_statements`` row from a FEC journal.

    Parameters
    ----------
    fec : DataFrame
        FEC lines (``creditlab.io.read_fec`` output; see :func:`fec_balances`).
    fiscal_year_end : date-like
        Closing date of the fiscal year. Lines dated after it (``entry_date``) raise
        :class:`InputError`: a FEC holds one fiscal year.
    customer_id : str, optional
        Id of the firm in the output (default ``fec.attrs["siren"]``, else ``"FEC"``).
    fiscal_year_start : date-like, optional
        First day of the fiscal year (default: the earliest ``entry_date``, else 12 months
        before the end). Sets ``months`` and the mapping version.
    mapping : str or DataFrame, optional
        Mapping version or table (default: :func:`mapping_version_for` the start date).
    by_aux : bool
        Decide debit/credit sides per auxiliary account (see :func:`fec_balances`).
    on_unmapped : {"raise", "ignore"}
        An account of classes 1-7 with a non-zero balance that no mapping row covers raises an
        :class:`InputError` listing the accounts, or (``"ignore"``) is left out — the balance
        sheet then no longer balances and a :class:`ValidationError` follows unless the amounts
        cancel out.

    Returns
    -------
    DataFrame
        One row with every ``financial_statements`` column: the mapped lines, ``net_income``
        (balance of classes 6-7), ``equity``, ``total_assets`` and ``total_liabilities`` from
        ``FS_IDENTITIES``; ``discounted_bills`` = 0 (off-balance-sheet, not in a FEC),
        ``market_value_equity`` and ``headcount`` NaN. ``attrs``: ``balances`` (the mapped trial
        balance), ``mapping_version``, ``fiscal_year_start``.

    Raises
    ------
    ValidationError
        When total assets differ from total liabilities by more than ``FS_TOLERANCE`` (an
        unbalanced FEC).

    Notes
    -----
    Agreement with real tax returns: within 2 € per box on the public FEC samples, with the
    differing boxes and their reasons listed in the module docstring
    (``help(creditlab.statements.fec)``).
    """
    check_choice(on_unmapped, "on_unmapped", ("raise", "ignore"))
    df = _normalise_fec(fec)
    end = as_date(fiscal_year_end, "fiscal_year_end")
    dates = None
    if "entry_date" in df.columns:
        dates = pd.to_datetime(df["entry_date"], errors="coerce")
        late = dates > end
        if late.any():
            raise InputError("fec.entry_date", f"entries dated on or before fiscal_year_end "
                             f"{end.date()}",
                             f"{int(late.sum())} line(s) dated up to {dates.max().date()}",
                             "pass the real closing date of the fiscal year (the file name's "
                             "date may be wrong) or split the FEC by fiscal year")
    if fiscal_year_start is not None:
        start = as_date(fiscal_year_start, "fiscal_year_start")
    elif dates is not None and dates.notna().any():
        start = dates.min()
    else:
        start = end - pd.DateOffset(years=1) + pd.Timedelta(days=1)
    if start > end:
        raise InputError("fiscal_year_start", f"a date on or before {end.date()}", str(start),
                         "pass the first day of the fiscal year")
    version = mapping_version_for(start) if mapping is None else (
        mapping if isinstance(mapping, str) else "custom")
    bal = map_balances(fec_balances(df, by_aux=by_aux),
                       version if isinstance(mapping, str) or mapping is None else mapping)
    nonzero = bal["balance"].abs() >= 0.005
    unmapped = nonzero & bal["aggregate"].isna()
    if unmapped.any() and on_unmapped == "raise":
        acc = (bal.loc[unmapped].groupby("account")["balance"].sum().round(2))
        raise InputError("fec.account", f"accounts covered by the PCG mapping {version}",
                         acc.head(10).to_dict(),
                         "add rows for these accounts to a copy of the mapping "
                         "(creditlab.statements.load_pcg_mapping()) and pass mapping=..., or "
                         "on_unmapped='ignore'")
    used = bal[bal["aggregate"].notna() & (bal["aggregate"] != "ignore")]
    sums = used.groupby("aggregate")["amount"].sum()
    row: dict[str, object] = dict.fromkeys(columns_of(FS_TABLE), 0.0)
    for name, value in sums.items():
        row[name] = float(value)
    for total in ("net_income", "equity", "total_liabilities", "total_assets"):
        row[total] = float(sum(sign * float(row[c]) for sign, c in FS_IDENTITIES[total]))
    row["market_value_equity"] = np.nan
    row["headcount"] = np.nan
    cid = customer_id or fec.attrs.get("siren") or "FEC"
    months = max(1, int(round((end - start).days / (365.25 / 12))))
    row.update(customer_id=str(cid), fiscal_year=int(end.year), fiscal_year_end=end,
               months=months)
    out = pd.DataFrame([row])
    out["customer_id"] = out["customer_id"].astype("str")
    out["fiscal_year"] = out["fiscal_year"].astype("int64")
    out["months"] = out["months"].astype("int64")
    out["fiscal_year_end"] = out["fiscal_year_end"].astype("datetime64[ns]")
    gap = float(out["total_assets"].iloc[0] - out["total_liabilities"].iloc[0])
    if abs(gap) > FS_TOLERANCE:
        raise ValidationError(FS_TABLE, [Problem(
            FS_TABLE, "total_assets", "fec_balanced",
            f"total assets − total liabilities = {gap:,.2f} € after mapping the FEC "
            f"(sum of debits − credits = {bal['balance'].sum():,.2f} €)",
            "check that the FEC is complete (opening entries included) and balanced, and that "
            "every account is mapped", ())])
    out.attrs["balances"] = bal
    out.attrs["mapping_version"] = version
    out.attrs["fiscal_year_start"] = start
    if version == "2025" or (mapping is None and start >= MAPPING_VERSIONS["2025"]):
        out.attrs["note"] = ("ANC 2022-06 mapping: disposals and the quote-part of investment "
                             "subsidies are kept in creditlab's exceptional block")
    return out

