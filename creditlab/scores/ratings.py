"""External ratings as inputs, normalised onto one internal risk scale.

creditlab does not recompute the Banque de France or AFDCC scores (their coefficients are not
public, DOMAIN.md §2-§3, pitfall 8): their outputs, and those of credit insurers and information
providers, are *inputs* with a provider, a date, a scale version and an explicit direction.
The scales live in ``creditlab/data/rating_scales.csv`` (one row per grade, or per band for
continuous scores, with a ``source`` column).

Internal scale (documented convention of creditlab, not a probability of default):

- ``risk_index`` in [0, 1]: 0 = best grade of the scale, 1 = default / insolvency proceedings.
  Ordinal scales (Banque de France) place their grades evenly from 0 up to just below 1, the
  default grade P at 1; numeric scales are mapped linearly (AFDCC: 1 − note/20; Coface DRA:
  (10 − DRA)/10, DRA 0 = default; Allianz Trade: (grade − 1)/9; Creditsafe: 1 − score/100).
- ``risk_grade`` 1 … 10 = ``min(10, 1 + floor(10 × risk_index))``: 1 = least risk,
  10 = highest risk (default).

Providers: ``bdf`` (cote de crédit, ``scale_version`` "2022" = 1+ … 8, P, 0 since 8 January 2022,
or "pre2022" = 3++ … 9, P, 0; "0" = not rated, no risk index), ``afdcc`` (note /20, 20 best),
``coface_dra`` (0-10, 10 best, 0 = default), ``allianz_trade`` (1-10, 1 best), ``creditsafe``
(0-100, 100 best). Sources: DOMAIN.md §2.3, §3, §11.2.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import numpy as np
import pandas as pd

from creditlab._cache import reference_cache
from creditlab._checks import as_of_date
from creditlab.exceptions import InputError
from creditlab.i18n import check_lang
from creditlab.scores.codes import RatingProvider
from creditlab.statements._common import check_choice

__all__ = ["PROVIDERS", "BDF_2022_SCALE_DATE", "ExternalRating", "rating_scales",
           "normalise_rating", "normalise_ratings", "combine_ratings", "risk_grade"]

#: Date the Banque de France switched to the 22-position scale (1+ … 8).
BDF_2022_SCALE_DATE = pd.Timestamp("2022-01-08")
#: Provider codes (:class:`~creditlab.scores.codes.RatingProvider` members).
PROVIDERS = tuple(RatingProvider)


@reference_cache(maxsize=1)
def _scales() -> pd.DataFrame:
    path = resources.files("creditlab.data").joinpath("rating_scales.csv")
    with resources.as_file(path) as p:
        df = pd.read_csv(p, dtype=str, keep_default_na=False)
    for c in ("value_min", "value_max", "order", "risk_index"):
        df[c] = pd.to_numeric(df[c].replace("", np.nan), errors="raise")
    for c in ("is_default", "is_unrated"):
        df[c] = df[c].str.lower().eq("true")
    # the band code: the grade on ordinal scales, "<min>-<max>" on continuous ones
    rng = df["value_min"].map("{:g}".format) + "-" + df["value_max"].map("{:g}".format)
    df["band"] = df["grade"].where(df["kind"] == "ordinal", rng)
    return df


def rating_scales(provider: str | None = None) -> pd.DataFrame:
    """The rating scales (a copy), optionally for one provider."""
    df = _scales.shared()
    if provider is not None:
        check_choice(provider, "provider", PROVIDERS)
        df = df[df["provider"] == provider]
    return df.reset_index(drop=True).copy()


def risk_grade(risk_index) -> np.ndarray:
    """Internal risk grade 1 (best) … 10 (worst) from a risk index in [0, 1]; NaN stays NaN."""
    r = np.asarray(risk_index, dtype="float64")
    g = np.minimum(10.0, 1.0 + np.floor(10.0 * np.clip(r, 0.0, 1.0)))
    return np.where(np.isnan(r), np.nan, g)


@dataclass(frozen=True)
class ExternalRating:
    """One external rating with its provider, scale, direction and internal risk."""

    provider: str
    grade: str
    scale_version: str
    date: pd.Timestamp | None
    direction: str
    rated: bool
    is_default: bool
    risk_index: float
    risk_grade: float
    grade_band: str

    def summary(self) -> pd.DataFrame:
        """One row in codes (the fields)."""
        return pd.DataFrame([self.__dict__])

    def words(self, lang: str = "fr") -> str:
        """The grade in words from the provider's scale: « cote 4+ », « risque faible »."""
        return str(_band_labels(check_lang(lang)).get(
            (self.provider, self.scale_version, self.grade_band), self.grade_band))

    def to_frame(self, lang: str = "fr") -> pd.DataFrame:
        """:meth:`summary` with ``grade_label`` (:meth:`words`) after ``grade_band``."""
        out = self.summary()
        out.insert(out.columns.get_loc("grade_band") + 1, "grade_label", self.words(lang))
        return out

    def _repr_html_(self) -> str:
        return self.to_frame().to_html(index=False, escape=True)


def _band_labels(lang: str) -> pd.Series:
    """Words of every grade band, indexed by (provider, scale_version, grade_band): the
    ``label_fr`` / ``label_en`` of ``rating_scales.csv``."""
    return _scales.shared().set_index(["provider", "scale_version", "band"])[f"label_{lang}"]


def _clean_grade(g) -> str:
    if g is None or (isinstance(g, float) and np.isnan(g)):
        return ""
    s = str(g).strip().upper().replace("\u2212", "-").replace("\u2013", "-").replace(" ", "")
    if s.endswith(".0") and s[:-2].isdigit():
        s = s[:-2]
    return s


def normalise_ratings(ratings: pd.DataFrame) -> pd.DataFrame:
    """Normalise external ratings (vectorised).

    Parameters
    ----------
    ratings : DataFrame
        Columns ``provider`` (one of :data:`PROVIDERS`) and ``grade`` (str or number);
        optional ``date`` (rating date), ``scale_version`` (required for Banque de France grades
        that exist in both scales when no date says which one applies), ``customer_id``.

    Returns
    -------
    DataFrame
        The input columns plus ``scale_version`` (resolved), ``grade`` (canonical text),
        ``direction`` ("lower_is_better" / "higher_is_better"), ``rated`` (False for BdF "0"),
        ``is_default``, ``risk_index`` (0 best … 1 default), ``risk_grade`` (1 … 10) and
        ``grade_band`` (code: the grade on ordinal scales, the band of a continuous scale as
        ``"<min>-<max>"``, e.g. Creditsafe 62 → ``"51-70"``). The grade in words (« cote 4+ »,
        « risque faible »): :func:`creditlab.scores.grade_words`.

    Raises
    ------
    InputError
        Unknown provider, or a grade that is not on the provider's scale (every invalid value is
        listed), or an ambiguous Banque de France grade without ``scale_version`` or ``date``.
    """
    if not isinstance(ratings, pd.DataFrame):
        raise InputError("ratings", "a DataFrame with columns provider and grade",
                         type(ratings).__name__, "build pd.DataFrame({'provider': ..., 'grade': ...})")
    missing = [c for c in ("provider", "grade") if c not in ratings.columns]
    if missing:
        raise InputError(f"ratings.{missing[0]}", "columns provider and grade", f"missing {missing}",
                         "add the missing column")
    out = ratings.copy()
    prov = out["provider"].astype("str").str.strip().str.lower()
    bad = ~prov.isin(PROVIDERS)
    if bad.any():
        raise InputError("ratings.provider", f"one of {PROVIDERS}", sorted(set(prov[bad]))[:5],
                         "use the provider codes of creditlab.scores.PROVIDERS")
    grade = out["grade"].map(_clean_grade)
    date = (pd.to_datetime(out["date"], errors="coerce") if "date" in out.columns
            else pd.Series(pd.NaT, index=out.index))
    version = (out["scale_version"].astype("object").where(out["scale_version"].notna(), "")
               .astype(str).str.strip() if "scale_version" in out.columns
               else pd.Series("", index=out.index, dtype="object"))
    scales = _scales.shared()
    # resolve the scale version
    default_version = scales.groupby("provider")["scale_version"].first()
    is_bdf = prov == "bdf"
    v = version.copy()
    nonbdf = ~is_bdf & (v == "")
    v[nonbdf] = prov[nonbdf].map(default_version)
    need = is_bdf & (v == "")
    if need.any():
        by_date = np.where(date >= BDF_2022_SCALE_DATE, "2022",
                           np.where(date.notna(), "pre2022", ""))
        bdf = scales[scales["provider"] == "bdf"]
        only_new = set(bdf.loc[bdf["scale_version"] == "2022", "grade"]) - set(
            bdf.loc[bdf["scale_version"] == "pre2022", "grade"])
        only_old = set(bdf.loc[bdf["scale_version"] == "pre2022", "grade"]) - set(
            bdf.loc[bdf["scale_version"] == "2022", "grade"])
        by_grade = np.where(grade.isin(only_new), "2022",
                            np.where(grade.isin(only_old), "pre2022", ""))
        guess = np.where(by_date != "", by_date, by_grade)
        v[need] = guess[need.to_numpy()]
        amb = need & (v == "")
        if amb.any():
            raise InputError("ratings.scale_version", "'2022' or 'pre2022' for Banque de France "
                             "grades that exist on both scales",
                             sorted(set(grade[amb]))[:5],
                             "add a scale_version column or the rating date (the 2022 scale "
                             "applies from 2022-01-08)")
    known_versions = scales.groupby("provider")["scale_version"].unique()
    bad_v = pd.Series([ver not in known_versions[p] for p, ver in zip(prov, v, strict=True)],
                      index=out.index)
    if bad_v.any():
        raise InputError("ratings.scale_version", "a scale version of rating_scales.csv",
                         sorted(set(v[bad_v]))[:5], "use '2022' or 'pre2022' for bdf")
    n = len(out)
    risk = np.full(n, np.nan)
    rated = np.ones(n, dtype=bool)
    default = np.zeros(n, dtype=bool)
    band = np.full(n, "", dtype=object)
    direction = prov.map(scales.groupby("provider")["direction"].first()).to_numpy(dtype=object)
    invalid = np.zeros(n, dtype=bool)
    ordinal = scales[scales["kind"] == "ordinal"]
    key = pd.MultiIndex.from_arrays([prov, v, grade])
    table = ordinal.set_index(["provider", "scale_version", "grade"])
    is_ord = prov.isin(ordinal["provider"].unique()).to_numpy()
    if is_ord.any():
        found = key.isin(table.index) & is_ord
        invalid |= is_ord & ~found
        hit = table.reindex(key[found])
        risk[found] = hit["risk_index"].to_numpy()
        rated[found] = ~hit["is_unrated"].to_numpy(dtype=bool)
        default[found] = hit["is_default"].to_numpy(dtype=bool)
        band[found] = hit["band"].to_numpy(dtype=object)
    cont = scales[scales["kind"] == "continuous"]
    for p, g in cont.groupby("provider"):
        m = (prov == p).to_numpy()
        if not m.any():
            continue
        val = pd.to_numeric(grade[m], errors="coerce").to_numpy(dtype="float64")
        lo, hi = g["value_min"].min(), g["value_max"].max()
        ok = ~np.isnan(val) & (val >= lo) & (val <= hi)
        invalid[np.flatnonzero(m)[~ok]] = True
        r = (hi - val) / (hi - lo) if g["direction"].iloc[0] == "higher_is_better" else \
            (val - lo) / (hi - lo)
        risk[np.flatnonzero(m)[ok]] = r[ok]
        g = g.sort_values("value_min")
        pos = np.clip(np.searchsorted(g["value_min"].to_numpy(), val, side="right") - 1, 0,
                      len(g) - 1)
        bands = g["band"].to_numpy(dtype=object)[pos]
        band[np.flatnonzero(m)[ok]] = bands[ok]
    if invalid.any():
        bad_rows = pd.DataFrame({"provider": prov[invalid], "scale_version": v[invalid],
                                 "grade": out["grade"][invalid]})
        listed = (bad_rows.drop_duplicates().head(10)
                  .apply(lambda r: f"{r['provider']}/{r['scale_version']}: {r['grade']!r}", axis=1)
                  .tolist())
        raise InputError("ratings.grade", "grades on the provider's scale (see "
                         "creditlab.scores.rating_scales())", listed,
                         "correct the grades; Banque de France: 1+ … 8, P, 0 since 2022, 3++ … 9, "
                         "P, 0 before; Coface DRA 0-10; Allianz Trade 1-10; AFDCC 0-20; "
                         "Creditsafe 0-100")
    out["provider"] = prov.astype("str")
    out["grade"] = grade.astype("str")
    out["scale_version"] = v.astype("str")
    out["date"] = date
    out["direction"] = pd.Series(direction, index=out.index, dtype="str")
    out["rated"] = rated
    out["is_default"] = default
    out["risk_index"] = risk
    out["risk_grade"] = risk_grade(risk)
    out["grade_band"] = pd.Series(band, index=out.index, dtype="str")
    return out


def normalise_rating(provider: str, grade, *, scale_version: str | None = None,
                     date=None) -> ExternalRating:
    """Normalise one external rating (see :func:`normalise_ratings`).

    Examples
    --------
    ``normalise_rating("coface_dra", 10).risk_index`` is 0.0 (best), ``normalise_rating("bdf",
    "P", scale_version="2022").is_default`` is True, ``normalise_rating("bdf", "9", date=
    "2023-05-01")`` raises (9 is not on the 2022 scale).
    """
    df = pd.DataFrame({"provider": [provider], "grade": [grade],
                       "scale_version": [scale_version], "date": [date]})
    r = normalise_ratings(df).iloc[0]
    return ExternalRating(
        provider=r["provider"], grade=r["grade"], scale_version=r["scale_version"],
        date=None if pd.isna(r["date"]) else pd.Timestamp(r["date"]),
        direction=r["direction"], rated=bool(r["rated"]), is_default=bool(r["is_default"]),
        risk_index=float(r["risk_index"]), risk_grade=float(r["risk_grade"]),
        grade_band=r["grade_band"])


def combine_ratings(ratings: pd.DataFrame, *, as_of=None, max_age_days: int | None = 730,
                    how: str = "worst") -> pd.DataFrame:
    """Combine several external ratings per customer onto the internal scale.

    Parameters
    ----------
    ratings : DataFrame
        Raw or normalised ratings with a ``customer_id`` column (normalised here if needed).
    as_of : date-like, optional
        Analysis date: ratings dated after it are ignored and, with ``max_age_days``, ratings
        older than that are ignored (stale). Undated ratings are kept.
    max_age_days : int or None, default 730
        Maximum age of a rating at ``as_of`` (ignored when ``as_of`` is None).
    how : {"worst", "mean"}
        Per customer, keep the latest rating of each provider, then take the worst (highest
        risk index; prudent default) or the mean.

    Returns
    -------
    DataFrame indexed by ``customer_id``: ``risk_index``, ``risk_grade``, ``n_ratings``,
    ``any_default``, ``worst_provider``, ``detail`` (short text, e.g. "bdf 5+, coface_dra 3";
    commas, so that it reads as one item in the " ; "-separated rationale of
    :func:`creditlab.scores.customer_rating`).
    """
    check_choice(how, "how", ("worst", "mean"))
    if "customer_id" not in ratings.columns:
        raise InputError("ratings.customer_id", "a customer_id column", "missing",
                         "add the customer each rating belongs to")
    df = ratings if "risk_index" in ratings.columns and "rated" in ratings.columns \
        else normalise_ratings(ratings)
    df = df[df["rated"]].copy()
    if as_of is not None:
        as_of = as_of_date(as_of)
        d = pd.to_datetime(df["date"])
        keep = d.isna() | (d <= as_of)
        if max_age_days is not None:
            keep &= d.isna() | ((as_of - d).dt.days <= max_age_days)
        df = df[keep]
    df = df.sort_values(["customer_id", "provider", "date"], na_position="first")
    latest = df.groupby(["customer_id", "provider"], sort=False).tail(1)
    g = latest.groupby("customer_id")
    if how == "worst":
        risk = g["risk_index"].max()
    else:
        risk = g["risk_index"].mean()
    idx = latest.loc[latest.groupby("customer_id")["risk_index"].idxmax()]
    detail = (latest.assign(t=latest["provider"] + " " + latest["grade"])
              .groupby("customer_id")["t"].agg(", ".join))
    out = pd.DataFrame({
        "risk_index": risk,
        "risk_grade": risk_grade(risk.to_numpy()),
        "n_ratings": g.size(),
        "any_default": g["is_default"].any(),
        "worst_provider": idx.set_index("customer_id")["provider"],
        "detail": detail,
    })
    out.index.name = "customer_id"
    return out
