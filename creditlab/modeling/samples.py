"""Development samples for a failure score: one row per set of financial statements, the
ratios as features, and the target "collective proceedings opened within N months after the
fiscal year end".

Target definition (the usual one of French failure scores, e.g. Banque de France's score and
Conan & Holder: failure = opening of a *procédure collective* — sauvegarde, redressement or
liquidation judiciaire — published in the BODACC):

- ``1`` when the first proceeding of the firm opens in ``(fiscal_year_end, fiscal_year_end +
  horizon]``;
- ``0`` when no proceeding opened by ``fiscal_year_end + horizon`` and that date is on or before
  ``as_of`` (the outcome window is fully observed);
- excluded (``status``) when the firm had already failed at the fiscal year end
  (``already_failed``: the statements of a firm in proceedings describe another risk), or when
  the window ends after ``as_of`` without a failure (``censored``: we do not know yet).

The same firm contributes one row per fiscal year (a panel); a period split
(:func:`period_split`) keeps the later years for out-of-time validation.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from creditlab._checks import as_of_date, require_columns
from creditlab.exceptions import InputError
from creditlab.modeling._common import check_number
from creditlab.statements import ratios

__all__ = ["failure_target", "failure_sample", "period_split"]

_EVENT_TYPES = ("sauvegarde", "redressement", "liquidation")


def _require(df, name: str, cols: Sequence[str]) -> None:
    require_columns(df, name, cols,
                    "load the canonical table (creditlab.io.load_demo or the readers)")


def failure_target(statements: pd.DataFrame, events: pd.DataFrame, as_of,
                   horizon_months: int = 12, *,
                   event_types: Sequence[str] = _EVENT_TYPES) -> pd.DataFrame:
    """Failure target of every set of statements (see the module docstring).

    Parameters
    ----------
    statements : DataFrame
        ``financial_statements`` rows with ``customer_id`` and ``fiscal_year_end`` (datetime).
    events : DataFrame
        ``events`` table: ``customer_id``, ``event_type``, ``event_date``.
    as_of : date-like
        End of the observation of the outcomes (explicit: no clock is read).
    horizon_months : int, default 12
        Length of the outcome window after the fiscal year end, in months (1 to 120).
    event_types : sequence of str
        Proceedings that count as a failure (default all three).

    Returns
    -------
    DataFrame indexed like ``statements``: ``failure_date`` (first proceeding, NaT when none),
    ``window_end``, ``target`` (Int64: 1, 0, or missing when excluded) and ``status`` (str:
    ``"failed"``, ``"healthy"``, ``"already_failed"``, ``"censored"``).
    """
    check_number("horizon_months", horizon_months, 1, 120, integer=True)
    _require(statements, "statements", ("customer_id", "fiscal_year_end"))
    _require(events, "events", ("customer_id", "event_type", "event_date"))
    as_of = as_of_date(as_of)
    unknown = sorted(set(event_types) - set(_EVENT_TYPES))
    if unknown or not len(event_types):
        raise InputError("event_types", f"a non-empty subset of {_EVENT_TYPES}", unknown,
                         "pick proceedings among sauvegarde, redressement, liquidation")
    ev = events[events["event_type"].isin(list(event_types))]
    first = pd.to_datetime(ev.groupby("customer_id")["event_date"].min())
    fye = pd.to_datetime(statements["fiscal_year_end"])
    if fye.isna().any():
        raise InputError("statements['fiscal_year_end']", "a date on every row",
                         f"{int(fye.isna().sum())} missing", "fill the fiscal year end")
    fail = statements["customer_id"].map(first)
    fail = pd.to_datetime(fail)
    end = fye + pd.DateOffset(months=int(horizon_months))
    already = fail.notna() & (fail <= fye)
    failed = fail.notna() & (fail > fye) & (fail <= end)
    censored = ~already & ~failed & (end > as_of)
    status = np.select([already.to_numpy(), failed.to_numpy(), censored.to_numpy()],
                       ["already_failed", "failed", "censored"], "healthy")
    target = pd.array(np.where(failed, 1, 0), dtype="Int64")
    target[(already | censored).to_numpy()] = pd.NA
    return pd.DataFrame({"failure_date": fail, "window_end": end, "target": target,
                         "status": pd.array(status, dtype="str")}, index=statements.index)


def failure_sample(statements: pd.DataFrame, events: pd.DataFrame, as_of,
                   horizon_months: int = 12, *, ratio_names: Sequence[str] | None = None,
                   event_types: Sequence[str] = _EVENT_TYPES, vat_rate: float = 0.2
                   ) -> tuple[pd.DataFrame, pd.Series, pd.DataFrame]:
    """Development sample: ratios of :func:`creditlab.statements.ratios` and the failure target.

    Returns
    -------
    X : DataFrame
        One float column per ratio (NaN where a ratio is undefined), rows with a known target.
    y : Series
        ``failure`` (int64, 1 = proceedings within ``horizon_months``), aligned with ``X``.
    info : DataFrame
        ``customer_id``, ``fiscal_year``, ``fiscal_year_end``, ``failure_date``, ``status`` of
        every kept row (for period splits and the data summary).
    """
    tgt = failure_target(statements, events, as_of, horizon_months, event_types=event_types)
    r = ratios(statements, vat_rate, names=ratio_names, check="flag")
    keep = tgt["target"].notna().to_numpy()
    num = [c for c in r.columns if c not in ("customer_id", "fiscal_year", "consistent",
                                             "nan_reasons")]
    X = r.loc[keep, num].astype("float64")
    y = tgt.loc[keep, "target"].astype("int64").rename("failure")
    cols = [c for c in ("customer_id", "fiscal_year", "fiscal_year_end") if c in statements]
    info = pd.concat([statements.loc[keep, cols], tgt.loc[keep, ["failure_date", "status"]]],
                     axis=1)
    return X, y, info


def period_split(periods, test_from) -> tuple[np.ndarray, np.ndarray]:
    """Boolean masks (train, test): rows whose period is before / at or after ``test_from``
    (out-of-time validation). ``periods`` is e.g. ``info["fiscal_year"]``."""
    p = pd.Series(periods)
    test = (p >= test_from).to_numpy()
    if test.all() or not test.any():
        raise InputError("test_from", "a period leaving rows on both sides", test_from,
                         f"pick a value between {p.min()} and {p.max()}")
    return ~test, test
