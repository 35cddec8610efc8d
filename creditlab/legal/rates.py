"""Reference rates for French late-payment penalties (L441-10 II Code de commerce).

Two versioned tables ship as package data, each with a ``source`` and a ``checked_on`` column:

- ``creditlab/data/ecb_mro_rates.csv`` — ECB main refinancing operations (MRO) rate by change
  date (``change_date, mro_pct``). The rate applying to a half-year is the one **in force on
  1 January / 1 July** (semester fixing, DOMAIN.md §7.2-7.3), not the rate on the day of delay.
- ``creditlab/data/legal_interest_rates.csv`` — taux de l'intérêt légal per half-year
  (``year, half, professional_pct, individual_pct``), the two rates set by arrêté since 2015.

Rates are returned as **fractions** (0.1215 = 12.15 %).

Updating the tables
-------------------
- ECB: add a row ``change_date, mro_pct`` for each new decision (effective date of the MRO change)
  from https://www.ecb.europa.eu/stats/policy_and_exchange_rates/key_ecb_interest_rates/ and set
  ``checked_on`` of every row to the date you checked (the table is trusted up to the latest
  ``checked_on``: a half-year whose fixing date is later raises ReferenceDataError).
- Legal rate: add the row ``year, half`` from the arrêté published in the Journal officiel
  (late June / late December; e.g. https://www.legifrance.gouv.fr, search "taux de l'intérêt
  légal"), with the professional ("autres cas") and individual rates in percent.
- Keep the ``source`` of every row and set ``checked_on``; then run
  ``pytest tests/legal`` (the tests pin DOMAIN.md §7.4) and add the new half-year to that table.
  The files are checked when loaded (numeric rates, one row per date / half-year, a source and a
  ``checked_on`` date on every row): a malformed edit raises ReferenceDataError naming the line.
  Tables are cached per session: restart the kernel (or call ``ecb_rates.cache_clear()`` and
  ``legal_rates.cache_clear()``) after editing them. The loaders return copies: editing a
  returned DataFrame changes no computation.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from creditlab._cache import reference_cache
from creditlab._checks import as_date
from creditlab.exceptions import InputError, ReferenceDataError

__all__ = [
    "ecb_rates",
    "legal_rates",
    "half_year_start",
    "ecb_rate_for_half_year",
    "legal_interest_rate",
    "default_penalty_rate",
    "minimum_contract_rate",
    "penalty_rate_table",
    "PENALTY_MARGIN",
    "user_rates_dir",
    "rate_coverage",
    "add_ecb_rate",
    "add_legal_rate",
]

#: Points added to the ECB rate for the default (supplétif) penalty rate (L441-10 II).
PENALTY_MARGIN = 0.10
#: Contractual floor: three times the legal rate (L441-10 II).
FLOOR_MULTIPLIER = 3.0

_ECB_FILE = "ecb_mro_rates.csv"
_LEGAL_FILE = "legal_interest_rates.csv"


def user_rates_dir() -> Path:
    """Folder of the rates added by the user (``creditlab rates add``), beside the package's
    tables: ``$CREDITLAB_RATES_DIR``, else ``$XDG_CONFIG_HOME/creditlab``, else
    ``~/.config/creditlab``. Its ``ecb_mro_rates.csv`` and ``legal_interest_rates.csv`` (same
    columns as the package's) are read after the package's tables."""
    env = os.environ.get("CREDITLAB_RATES_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "creditlab"


def _read(name: str) -> pd.DataFrame:
    with resources.files("creditlab.data").joinpath(name).open("r", encoding="utf-8") as f:
        df = pd.read_csv(f)
    df["origin"] = "package"
    user = user_rates_dir() / name
    if user.is_file():
        extra = pd.read_csv(user)
        if list(extra.columns) != [c for c in df.columns if c != "origin"]:
            raise ReferenceDataError(f"{user}: the header must be "
                                     f"{','.join(c for c in df.columns if c != 'origin')}")
        df = pd.concat([df, extra.assign(origin=str(user))], ignore_index=True)
    return df


def _bad(name: str, what: str, rows, fix: str) -> ReferenceDataError:
    """The error for a malformed row of a shipped rate table (rows are CSV line numbers)."""
    lines = ", ".join(str(int(r) + 2) for r in list(rows)[:5])   # +1 header, +1 one-based
    return ReferenceDataError(f"creditlab/data/{name}: {what} (line(s) {lines}); {fix} "
                              "(see 'Updating the tables' in creditlab.legal.rates)")


def _check_common(df: pd.DataFrame, name: str, columns: tuple[str, ...],
                  rate_columns: tuple[str, ...]) -> None:
    """Columns present, rates numeric and finite, a source and a valid checked_on on every row.

    Checked when a table is loaded, so that a hand-edited update fails with the line at fault
    instead of giving a wrong rate."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ReferenceDataError(f"creditlab/data/{name}: missing column(s) {missing}; the "
                                 f"header must be {','.join(columns)}")
    for c in rate_columns:
        v = pd.to_numeric(df[c], errors="coerce")
        bad = ~np.isfinite(v.to_numpy(dtype="float64", na_value=np.nan))
        if bad.any():
            raise _bad(name, f"{c} must be a number in percent such as 2.15",
                       np.flatnonzero(bad), "write the rate without the % sign")
    src = df["source"].astype("str").str.strip()
    bad = df["source"].isna().to_numpy() | (src == "").to_numpy()
    if bad.any():
        raise _bad(name, "every row needs a source", np.flatnonzero(bad),
                   "cite the publication the rate comes from")
    checked = pd.to_datetime(df["checked_on"], errors="coerce")
    if checked.isna().any():
        raise _bad(name, "checked_on must be a date such as 2026-01-05",
                   np.flatnonzero(checked.isna().to_numpy()), "write the date you checked")


@reference_cache(maxsize=1)
def ecb_rates() -> pd.DataFrame:
    """The ECB MRO table (``change_date``, ``mro`` as a fraction, ``source``, ``checked_on``).

    A copy: editing it changes no later computation (edit the CSV file and call
    ``ecb_rates.cache_clear()`` instead).
    """
    df = _read(_ECB_FILE)
    _check_common(df, _ECB_FILE, ("change_date", "mro_pct", "source", "checked_on"),
                  ("mro_pct",))
    dates = pd.to_datetime(df["change_date"], errors="coerce")
    if dates.isna().any():
        raise _bad(_ECB_FILE, "change_date must be a date such as 2025-06-11",
                   np.flatnonzero(dates.isna().to_numpy()), "write the effective date")
    if dates.duplicated().any():
        raise _bad(_ECB_FILE, "change_date appears twice", np.flatnonzero(dates.duplicated()),
                   "keep one row per MRO change")
    df["change_date"] = dates.astype("datetime64[ns]")
    df["checked_on"] = pd.to_datetime(df["checked_on"]).astype("datetime64[ns]")
    df["mro"] = df["mro_pct"] / 100.0
    return df.sort_values("change_date", ignore_index=True)


@reference_cache(maxsize=1)
def legal_rates() -> pd.DataFrame:
    """The legal-rate table, one row per half-year (rates as fractions).

    A copy: editing it changes no later computation (edit the CSV file and call
    ``legal_rates.cache_clear()`` instead).
    """
    df = _read(_LEGAL_FILE)
    _check_common(df, _LEGAL_FILE, ("year", "half", "professional_pct", "individual_pct",
                                     "source", "checked_on"),
                  ("year", "half", "professional_pct", "individual_pct"))
    bad = ~df["half"].isin([1, 2]).to_numpy() | (df["year"] % 1 != 0).to_numpy()
    if bad.any():
        raise _bad(_LEGAL_FILE, "year must be a whole year and half 1 (January-June) or 2 "
                   "(July-December)", np.flatnonzero(bad), "fix the year / half columns")
    dup = df.duplicated(["year", "half"]).to_numpy()
    if dup.any():
        raise _bad(_LEGAL_FILE, "a half-year appears twice", np.flatnonzero(dup),
                   "keep one row per half-year")
    df["year"] = df["year"].astype("int64")
    df["half"] = df["half"].astype("int64")
    df["professional"] = df["professional_pct"] / 100.0
    df["individual"] = df["individual_pct"] / 100.0
    df["start"] = pd.to_datetime(dict(year=df["year"], month=np.where(df["half"] == 1, 1, 7),
                                      day=1)).astype("datetime64[ns]")
    return df.sort_values("start", ignore_index=True)


def date_values(values, name: str = "date") -> pd.Series:
    """Dates given by a user (scalar, list, array or Series) as a ``datetime64[ns]`` Series.

    Each value is read like :func:`creditlab._checks.as_date`: Timestamps and dates as they are,
    strings in ISO (``2025-01-31``) or French (``31/01/2025``, day first) form only — a
    month-first ``01/31/2025`` is an error, never a guess. Midnight, timezone dropped; missing
    values stay NaT (the caller decides). A Series keeps its index. Each distinct value is parsed
    once, so the cost follows the number of distinct dates, not of invoices.

    Raises
    ------
    InputError
        An unreadable, impossible or month-first date, a year outside 1900-2200.
    """
    index = values.index if isinstance(values, pd.Series) else None
    if isinstance(values, pd.Series | pd.Index):
        arr = values.to_numpy()
    else:
        arr = np.asarray([values] if np.ndim(values) == 0 else list(values), dtype=object)
    if isinstance(getattr(values, "dtype", None), pd.DatetimeTZDtype):
        arr = pd.DatetimeIndex(values).tz_localize(None).to_numpy()
    if np.issubdtype(arr.dtype, np.datetime64):
        out = pd.DatetimeIndex(arr).astype("datetime64[ns]").normalize()
    else:
        codes, uniq = pd.factorize(np.asarray(arr, dtype=object))
        parsed = [as_date(u, name, allow_none=True) for u in uniq] + [pd.NaT]
        out = pd.DatetimeIndex(parsed).astype("datetime64[ns]")[codes]  # -1 (missing) → NaT
    return pd.Series(out, index=index)


def _dates(date, name: str = "date") -> pd.DatetimeIndex:
    """Any date-like (scalar, list, Series) as a DatetimeIndex; NaT raises."""
    idx = pd.DatetimeIndex(date_values(date, name))
    if idx.isna().any():
        raise InputError(name, "dates (no missing value)", date,
                         "fill the missing dates before computing rates")
    return idx.normalize()


def half_year_start(date) -> pd.DatetimeIndex | pd.Timestamp:
    """1 January or 1 July of the half-year containing each date."""
    idx = _dates(date)
    out = pd.DatetimeIndex(pd.to_datetime(dict(year=idx.year, month=np.where(idx.month <= 6, 1, 7),
                                               day=1)))
    return out[0] if np.ndim(date) == 0 else out


def _scalar_or(date, values: np.ndarray):
    return float(values[0]) if np.ndim(date) == 0 else values


def ecb_rate_for_half_year(date):
    """ECB MRO rate in force on the fixing date (1 Jan / 1 Jul) of the date's half-year.

    Returns a fraction (scalar for a scalar date, array otherwise).

    Raises
    ------
    ReferenceDataError
        The fixing date is before the first row or after the table's ``checked_on`` date.
    """
    fixing = pd.DatetimeIndex(np.atleast_1d(half_year_start(date)))
    t = ecb_rates.shared()
    first, checked = t["change_date"].iloc[0], t["checked_on"].max()
    bad = (fixing < first) | (fixing > checked)
    if bad.any():
        d = fixing[bad][0]
        raise ReferenceDataError(
            f"no ECB rate for the half-year starting {d:%Y-%m-%d} in creditlab/data/{_ECB_FILE} "
            f"(covers {first:%Y-%m-%d} to {checked:%Y-%m-%d}); add the MRO changes from "
            "https://www.ecb.europa.eu/stats/policy_and_exchange_rates/key_ecb_interest_rates/ "
            "and update checked_on (see creditlab.legal.rates)")
    pos = np.searchsorted(t["change_date"].to_numpy(), fixing.to_numpy(), side="right") - 1
    return _scalar_or(date, t["mro"].to_numpy()[pos])


def legal_interest_rate(date, creditor: str = "professional"):
    """Taux de l'intérêt légal of the date's half-year (fraction).

    ``creditor="professional"`` is the "autres cas" rate (creditor acting for professional needs),
    ``"individual"`` the rate for creditors who are natural persons not acting professionally.
    """
    if creditor not in ("professional", "individual"):
        raise InputError("creditor", "'professional' or 'individual'", creditor,
                         "use 'professional' for a business creditor")
    start = pd.DatetimeIndex(np.atleast_1d(half_year_start(date)))
    t = legal_rates.shared().set_index("start")
    missing = ~start.isin(t.index)
    if missing.any():
        d = start[missing][0]
        raise ReferenceDataError(
            f"no legal interest rate for the half-year starting {d:%Y-%m-%d} in "
            f"creditlab/data/{_LEGAL_FILE} (covers {t.index.min():%Y-%m-%d} to "
            f"{t.index.max():%Y-%m-%d}); add the row from the arrêté published in the Journal "
            "officiel (see creditlab.legal.rates)")
    return _scalar_or(date, t.loc[start, creditor].to_numpy())


def default_penalty_rate(date):
    """Default (supplétif) late-payment rate: ECB rate of the half-year + 10 points (fraction).

    Source: L441-10 II Code de commerce; DOMAIN.md §7.2 (H2 2025: 2.15 % + 10 = 12.15 %).
    """
    return ecb_rate_for_half_year(date) + PENALTY_MARGIN


def minimum_contract_rate(date):
    """Floor of a contractual penalty rate: 3 × the professional legal rate (fraction).

    In 2024 this floor exceeded the default rate (H1 2024: 15.21 % > 14.50 %, DOMAIN.md §7.4).
    """
    return FLOOR_MULTIPLIER * legal_interest_rate(date, "professional")


def penalty_rate_table(start="2015-01-01", end=None) -> pd.DataFrame:
    """Per half-year: ECB rate, default penalty rate, legal rates and contractual floor."""
    t = legal_rates.shared()
    end = t["start"].max() if end is None else as_date(end, "end")
    t = t[(t["start"] >= as_date(start, "start")) & (t["start"] <= end)]
    ecb_t = ecb_rates.shared()
    ok = t["start"] <= ecb_t["checked_on"].max()
    t = t[ok]
    ecb = ecb_rate_for_half_year(t["start"])
    return pd.DataFrame({
        "half_year": t["year"].astype(str) + " S" + t["half"].astype(str),
        "start": t["start"].to_numpy(),
        "ecb_rate": ecb,
        "default_rate": ecb + PENALTY_MARGIN,
        "legal_rate_professional": t["professional"].to_numpy(),
        "contract_floor": FLOOR_MULTIPLIER * t["professional"].to_numpy(),
        "legal_rate_individual": t["individual"].to_numpy(),
    }).reset_index(drop=True)


# --------------------------------------------------------------------------- coverage, additions
def _half_label(start: pd.Timestamp) -> str:
    return f"{start.year} S{1 if start.month <= 6 else 2}"


def rate_coverage() -> pd.DataFrame:
    """What the rate tables cover: one row per table (``ecb``, ``legal``) with the first and
    last half-year covered, the number of rows added by the user and the user file."""
    ecb, legal = ecb_rates.shared(), legal_rates.shared()
    ecb_last = half_year_start(ecb["checked_on"].max())
    return pd.DataFrame({
        "table": ["ecb", "legal"],
        "first_half_year": [_half_label(half_year_start(ecb["change_date"].iloc[0])),
                            _half_label(legal["start"].iloc[0])],
        "last_half_year": [_half_label(ecb_last), _half_label(legal["start"].iloc[-1])],
        "user_rows": [int((ecb["origin"] != "package").sum()),
                      int((legal["origin"] != "package").sum())],
        "user_file": [str(user_rates_dir() / _ECB_FILE), str(user_rates_dir() / _LEGAL_FILE)],
    })


def _parse_half(half) -> pd.Timestamp:
    """``2026-S2``, ``2026 S2``, or a date (its half-year) → 1 January / 1 July."""
    text = str(half).strip().upper().replace(" ", "-")
    if "-S" in text:
        year, _, h = text.partition("-S")
        if year.isdigit() and h in ("1", "2"):
            return pd.Timestamp(int(year), 1 if h == "1" else 7, 1)
        raise InputError("half_year", "a half-year such as 2026-S2", half)
    return pd.Timestamp(half_year_start(as_date(half, "half_year")))


def _source(source: str) -> str:
    if not isinstance(source, str) or len(source.strip()) < 8:
        raise InputError("source", "the official publication of the rate (URL or reference)",
                         source, "e.g. --source 'ECB press release 2026-06-..; "
                         "https://www.ecb.europa.eu/...'")
    return source.strip()


def _append_user_row(name: str, row: dict) -> Path:
    folder = user_rates_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    new = pd.DataFrame([row])
    if path.is_file():
        new = pd.concat([pd.read_csv(path), new], ignore_index=True)
    tmp = path.with_suffix(".csv.tmp")
    new.to_csv(tmp, index=False)
    os.replace(tmp, path)
    ecb_rates.cache_clear()
    legal_rates.cache_clear()
    return path


def _pct(value, name: str, low: float, high: float) -> float:
    v = float(value)
    if not np.isfinite(v) or not low <= v <= high:
        raise InputError(name, f"a rate in percent between {low} and {high}", value,
                         "write 2.15 for 2.15 %")
    return v


def add_ecb_rate(half_year, mro_pct, *, source: str, checked_on=None) -> Path:
    """Add the ECB MRO rate in force on the fixing date (1 January / 1 July) of ``half_year``
    to the user's table (:func:`user_rates_dir`), with its official ``source``.

    The row is dated at the fixing date: it gives the rate of that half-year (the one the
    penalties use, L441-10 II) and extends the coverage to it.

    Raises
    ------
    InputError
        A half-year already covered with another rate (fix the table instead), a rate outside
        -1..20 %, no source.
    """
    start = _parse_half(half_year)
    rate = _pct(mro_pct, "mro_pct", -1.0, 20.0)
    src = _source(source)
    t = ecb_rates.shared()
    if start <= t["checked_on"].max() and start >= t["change_date"].iloc[0]:
        known = float(ecb_rate_for_half_year(start)) * 100.0
        if abs(known - rate) > 1e-9:
            raise InputError("mro_pct", f"the rate of the covered half-year {_half_label(start)}"
                             f" ({known:.2f} %)", rate,
                             "a covered half-year is not overwritten: check the source")
        return user_rates_dir() / _ECB_FILE
    checked = start if checked_on is None else as_date(checked_on, "checked_on")
    return _append_user_row(_ECB_FILE, {"change_date": f"{start:%Y-%m-%d}", "mro_pct": rate,
                                        "source": src, "checked_on": f"{checked:%Y-%m-%d}"})


def add_legal_rate(half_year, professional_pct, individual_pct, *, source: str,
                   checked_on=None) -> Path:
    """Add the taux de l'intérêt légal of ``half_year`` (arrêté published in the Journal
    officiel) to the user's table, with its ``source``.

    Raises
    ------
    InputError
        A half-year already in the tables, a rate outside 0..20 %, no source.
    """
    start = _parse_half(half_year)
    pro = _pct(professional_pct, "professional_pct", 0.0, 20.0)
    ind = _pct(individual_pct, "individual_pct", 0.0, 20.0)
    src = _source(source)
    if (legal_rates.shared()["start"] == start).any():
        raise InputError("half_year", "a half-year not yet in the legal-rate table",
                         _half_label(start), "a published rate is not overwritten")
    checked = pd.Timestamp.today().normalize() if checked_on is None else as_date(
        checked_on, "checked_on")
    return _append_user_row(_LEGAL_FILE, {
        "year": start.year, "half": 1 if start.month == 1 else 2, "professional_pct": pro,
        "individual_pct": ind, "source": src, "checked_on": f"{checked:%Y-%m-%d}"})
