"""The inputs of the risk-points grid, assembled from the canonical tables.

:func:`risk_inputs` turns ``customers``, ``financial_statements``, payment behaviour, external
ratings and insolvency events into the columns the default grid
(``creditlab/data/risk_points_default.toml``) reads: company age, risk index (worst of the
external rating and the financial score), equity ratio, payment incidents, days late,
dependence, sector. :func:`creditlab.scores.risk_points` then scores them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from creditlab._checks import as_of_date
from creditlab.exceptions import InputError
from creditlab.labels import label_view
from creditlab.scores.altman import altman
from creditlab.scores.conan_holder import conan_holder
from creditlab.scores.ratings import combine_ratings

__all__ = ["risk_inputs", "CONAN_HOLDER_BAND_RISK", "ALTMAN_ZONE_RISK", "SCORE_SOURCES"]

#: Risk index (0 best … 1 worst) given to each Conan-Holder band when no external rating exists
#: (ours: midpoints chosen so that the default grid gives 0 / 1 / 3 / 4 points).
CONAN_HOLDER_BAND_RISK = {"very_good": 0.1, "caution": 0.3, "warning": 0.7, "danger": 0.9}
#: Same for the Altman zones (ours).
ALTMAN_ZONE_RISK = {"safe": 0.1, "grey": 0.5, "distress": 0.9}
#: The ``risk_source`` codes of :func:`risk_inputs` and their words (read-only view of the
#: catalogue keys ``risk_source.<code>``: ``{code: {"fr": ..., "en": ...}}``):
#: ``external_rating`` or the financial score that set the risk index.
SCORE_SOURCES = label_view("risk_source")


def _latest_statements(statements: pd.DataFrame, as_of) -> pd.DataFrame:
    fs = statements
    if "fiscal_year_end" in fs.columns and as_of is not None:
        fs = fs[pd.to_datetime(fs["fiscal_year_end"]) <= as_of_date(as_of)]
    return fs.sort_values(["customer_id", "fiscal_year"]).groupby("customer_id").tail(1)


def risk_inputs(customers: pd.DataFrame, *, as_of, statements: pd.DataFrame | None = None,
                payment_behaviour: pd.DataFrame | None = None,
                ratings: pd.DataFrame | None = None, events: pd.DataFrame | None = None,
                dependence: pd.Series | None = None) -> pd.DataFrame:
    """Assemble the inputs of the default grid from the canonical tables.

    Parameters
    ----------
    customers : DataFrame
        ``customers`` table (``customer_id``, ``founded_date``, ``sector``; the sector sets
        the validity domain of the scores).
    as_of : date-like
        Date of the analysis (company age, latest statements closed on or before it, ratings
        not after it, events on or before it).
    statements : DataFrame, optional
        ``financial_statements``: the latest fiscal year closed by ``as_of`` gives
        ``equity_ratio`` (capitaux propres / total du bilan) and the financial score
        (Conan-Holder band or Altman Z″ zone, see Notes).
    payment_behaviour : DataFrame, optional
        ``creditlab.receivables.payment_behaviour`` output (indexed by ``customer_id``):
        ``avg_days_late``.
    ratings : DataFrame, optional
        External ratings (``customer_id``, ``provider``, ``grade``, ``date`` ...), combined with
        :func:`creditlab.scores.combine_ratings` (worst, 2 years max).
    events : DataFrame, optional
        ``events`` (insolvency proceedings): any event on or before ``as_of`` counts as a payment
        incident, as does a defaulted external rating. Without ``events`` and ``ratings`` the
        ``payment_incidents`` input is missing.
    dependence : Series, optional
        Our share of the customer's purchases, indexed by ``customer_id``.

    Returns
    -------
    DataFrame indexed by ``customer_id``: ``company_age_years``, ``risk_index`` (worst of the
    combined external rating and the financial score risk), ``risk_source`` (code of what set
    ``risk_index``: ``external_rating`` or the score, see below; in words:
    :func:`creditlab.scores.risk_input_words`), ``equity_ratio``,
    ``payment_incidents``, ``avg_days_late``, ``dependence_share``, ``sector``.

    Notes
    -----
    Financial score, on the latest statements, the valid one first: the Conan-Holder band risk
    (:data:`CONAN_HOLDER_BAND_RISK`) where Conan-Holder is valid — industrial firm with CA HT
    in 1.5-75 M€ (DOMAIN.md §1.3), sector taken from ``customers.sector`` —
    (``risk_source`` ``conan_holder``); otherwise the Altman Z″ zone risk
    (:data:`ALTMAN_ZONE_RISK`; Z″ is Altman's model for non-manufacturers and private firms,
    book equity, DOMAIN.md §4) where Z″ is defined (``altman_z_double_prime``, or
    ``altman_unknown_sector`` when the customer has no sector); otherwise the Conan-Holder band,
    outside its validity domain (``conan_holder_outside``). See :data:`SCORE_SOURCES`.
    """
    if as_of is None:
        raise InputError("as_of", "the analysis date", None, "pass as_of='2025-12-31'")
    as_of = as_of_date(as_of)
    if "customer_id" not in customers.columns:
        raise InputError("customers.customer_id", "a customer_id column", "missing",
                         "pass the canonical customers table")
    dup = customers["customer_id"][customers["customer_id"].duplicated()]
    if len(dup):
        raise InputError("customers.customer_id", "one row per customer",
                         pd.unique(dup)[:5].tolist(), "drop the duplicated customers")
    cust = customers.set_index("customer_id")
    out = pd.DataFrame(index=cust.index)
    if "founded_date" in cust.columns:
        founded = pd.to_datetime(cust["founded_date"])
        out["company_age_years"] = (as_of - founded).dt.days / 365.25
    else:
        out["company_age_years"] = np.nan
    ch_risk = pd.Series(np.nan, index=out.index)
    score_name = pd.Series(SCORE_SOURCES["conan_holder"], index=out.index)
    out["equity_ratio"] = np.nan
    if statements is not None:
        last = _latest_statements(statements, as_of)
        last = last[last["customer_id"].isin(out.index)]
        if len(last):
            # validity flags need the sector: the customers' sector, else the statements' own
            sector = None
            if "sector" in cust.columns:
                sec = last["customer_id"].map(cust["sector"])
                if "sector" in last.columns:
                    sec = sec.fillna(last["sector"])
                sector = sec.to_numpy(dtype=object)
            ch = conan_holder(last, sector=sector)
            band_risk = ch["band"].map(CONAN_HOLDER_BAND_RISK).to_numpy(dtype="float64")
            ch_valid = ch["valid"].to_numpy(dtype=bool) & ~np.isnan(band_risk)
            zpp = altman(last, "z_double_prime", sector=sector)
            zone_risk = zpp["zone"].map(ALTMAN_ZONE_RISK).to_numpy(dtype="float64")
            zpp_flagged = ~zpp["valid"].to_numpy(dtype=bool)   # sector unknown
            # Conan-Holder where valid; else Altman Z″ where defined; else Conan-Holder, flagged
            used_altman = ~ch_valid & ~np.isnan(zone_risk)
            ch_outside = ~ch_valid & ~used_altman & ~np.isnan(band_risk)
            ids = last["customer_id"].to_numpy()
            ch_risk = pd.Series(np.where(used_altman, zone_risk, band_risk),
                                index=ids).reindex(out.index)
            name = np.select(
                [used_altman & zpp_flagged, used_altman, ch_outside],
                ["altman_unknown_sector", "altman_z_double_prime", "conan_holder_outside"],
                "conan_holder")
            score_name = pd.Series(name, index=ids).reindex(out.index)
            ta = last["total_assets"].to_numpy(dtype="float64")
            with np.errstate(divide="ignore", invalid="ignore"):
                er = np.where(ta > 0, last["equity"].to_numpy(dtype="float64") / ta, np.nan)
            out["equity_ratio"] = pd.Series(er, index=ids).reindex(out.index)
    ext = pd.Series(np.nan, index=out.index)
    ext_default = pd.Series(False, index=out.index)
    if ratings is not None and len(ratings):
        comb = combine_ratings(ratings, as_of=as_of)
        ext = comb["risk_index"].reindex(out.index)
        ext_default = comb["any_default"].reindex(out.index).fillna(False).astype(bool)
    both = pd.concat([ext.rename("ext"), ch_risk.rename("ch")], axis=1)
    out["risk_index"] = both.max(axis=1, skipna=True)
    name = score_name.fillna("conan_holder").to_numpy(dtype=object)
    src = np.where(both["ext"].notna() & both["ch"].notna(),
                   np.where(both["ext"] >= both["ch"], "external_rating", name),
                   np.where(both["ext"].notna(), "external_rating",
                            np.where(both["ch"].notna(), name, "")))
    out["risk_source"] = pd.Series(src, index=out.index, dtype="str")
    if events is not None or ratings is not None:
        inc = ext_default.copy()
        if events is not None and len(events):
            ev = events[pd.to_datetime(events["event_date"]) <= as_of]
            inc = inc | out.index.isin(ev["customer_id"].unique())
        out["payment_incidents"] = inc.astype(bool)
    else:
        out["payment_incidents"] = pd.Series(pd.NA, index=out.index, dtype="boolean")
    if payment_behaviour is not None:
        pb = payment_behaviour
        if "customer_id" in pb.columns:
            pb = pb.set_index("customer_id")
        if "avg_days_late" not in pb.columns:
            raise InputError("payment_behaviour.avg_days_late", "the payment_behaviour contract "
                             "columns (avg_days_late ...)", list(pb.columns)[:6],
                             "use creditlab.receivables.payment_behaviour(invoices, payments, as_of)")
        out["avg_days_late"] = pb["avg_days_late"].reindex(out.index)
    else:
        out["avg_days_late"] = np.nan
    out["dependence_share"] = (dependence.reindex(out.index) if dependence is not None
                               else np.nan)
    out["sector"] = cust["sector"] if "sector" in cust.columns else pd.NA
    return out
