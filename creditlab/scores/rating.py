"""Customer rating: combine scores, external ratings, risk points and payment behaviour into one
rating class with a short French rationale; rank the portfolio by risk and by stakes.

Method (documented default to tune, ours — DOMAIN.md §11 gives the principle, not the weights):

1. Each available component is put on the internal risk index (0 = best … 1 = worst):

   - ``scores``: Conan-Holder band (very_good 0.1, caution 0.3, warning 0.7, danger 0.9) or
     Altman zone (saine 0.1, grise 0.5, détresse 0.9), or a ``risk_index`` column. With
     :func:`creditlab.scores.classic_scores` output the valid score is chosen first: the
     Conan-Holder band where it is valid (industrial firm, CA HT 1.5-75 M€, DOMAIN.md §1.3),
     otherwise the Altman Z″ zone (non-manufacturers / private firms, DOMAIN.md §4) where it is
     defined, otherwise the Conan-Holder band flagged "hors domaine de validité"; a score used
     outside its validity domain counts with half its weight;
   - ``external``: combined external ratings (:func:`creditlab.scores.combine_ratings`,
     worst rating by default);
   - ``risk_points``: total points / maximum points of the grid;
   - ``payment``: 0.5 × min(1, max(0, average days late) / 45) + 0.5 × share of the amount paid
     late (payment-behaviour contract of :mod:`creditlab.receivables`).

2. Combined risk = weighted mean of the available components (default weights: scores 0.3,
   external 0.3, risk points 0.2, payment 0.2, renormalised over what is available).

3. Rating class (the classes of :mod:`creditlab.limits`): 1 risque faible (< 0.25),
   2 risque moyen (< 0.45), 3 risque élevé (< 0.65), 4 risque très élevé (≥ 0.65);
   a default (Banque de France P, Coface DRA 0, insolvency proceedings) forces class 4.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from creditlab._checks import as_of_date
from creditlab.exceptions import InputError
from creditlab.i18n import check_lang
from creditlab.io.reference import risk_stakes_grid
from creditlab.labels import label_view
from creditlab.scores.codes import CONAN_HOLDER_LEGACY_CODES, AltmanZone, ConanHolderBand
from creditlab.scores.grid_inputs import ALTMAN_ZONE_RISK, CONAN_HOLDER_BAND_RISK
from creditlab.scores.ratings import combine_ratings

__all__ = ["RatingPolicy", "RATING_CLASS_LABELS", "customer_rating", "rank_portfolio",
           "QUADRANTS"]

RATING_CLASS_LABELS = label_view("rating_class", cast=int)



def _quadrants() -> dict:
    """(high risk, high stakes) → {"fr": (label, action), "en": (label, action)}, read from
    ``creditlab/data/risk_stakes_matrix.csv`` (the grid of :func:`creditlab.finance.risk_stakes_matrix`)."""
    grids = {lang: risk_stakes_grid(lang) for lang in ("fr", "en")}
    return {(r["risk_level"] == "high", r["stakes_level"] == "high"):
            {lang: (g.at[i, "label"], g.at[i, "action"]) for lang, g in grids.items()}
            for i, r in grids["fr"].iterrows()}


#: Risk × stakes quadrants: (high risk, high stakes) → label and suggested action, per language,
#: from the shared grid ``creditlab/data/risk_stakes_matrix.csv``.
QUADRANTS = _quadrants()


@dataclass(frozen=True)
class RatingPolicy:
    """Weights and thresholds of :func:`customer_rating` (documented default to tune)."""

    weights: dict = field(default_factory=lambda: {"scores": 0.3, "external": 0.3,
                                                   "risk_points": 0.2, "payment": 0.2})
    class_bounds: tuple[float, float, float] = (0.25, 0.45, 0.65)
    days_late_full_risk: float = 45.0
    invalid_score_weight_factor: float = 0.5
    source: str = "creditlab default (ours), DOMAIN.md §11 principle"

    def __post_init__(self):
        unknown = set(self.weights) - {"scores", "external", "risk_points", "payment"}
        if unknown or any(w < 0 for w in self.weights.values()):
            raise InputError("policy.weights", "weights >= 0 for scores, external, risk_points, "
                             "payment", self.weights, "fix the weights")
        b = self.class_bounds
        if len(b) != 3 or not (0 < b[0] < b[1] < b[2] < 1):
            raise InputError("policy.class_bounds", "three increasing bounds in (0, 1)", b,
                             "e.g. (0.25, 0.45, 0.65)")


_CH_CODES = frozenset(str(b) for b in ConanHolderBand)
_ZONE_CODES = frozenset(str(z) for z in AltmanZone)


def _scores_component(scores: pd.DataFrame, policy: RatingPolicy, fr: bool):
    """Risk index, French/English text and weight factor of the scores component.

    Score choice (as :func:`creditlab.scores.risk_inputs`): the Conan-Holder band where it is
    valid (industrial firm, CA HT 1.5-75 M€, DOMAIN.md §1.3); otherwise the Altman Z″ zone
    (non-manufacturers and private firms, book equity, DOMAIN.md §4) where it is defined;
    otherwise the Conan-Holder band, flagged outside its validity domain. A score used outside
    its validity domain counts with ``policy.invalid_score_weight_factor`` of its weight.
    """
    s = scores.set_index("customer_id") if "customer_id" in scores.columns else scores
    if s.index.has_duplicates:
        if "fiscal_year" in s.columns:
            s = s.sort_values("fiscal_year").groupby(level=0).tail(1)
        else:
            raise InputError("scores.customer_id", "one row per customer (latest fiscal year)",
                             s.index[s.index.duplicated()][:5].tolist(),
                             "keep the latest fiscal year per customer")

    lg = "fr" if fr else "en"

    def flag(col):
        return s[col].fillna(False).astype(bool) if col in s.columns else None

    outside = " (hors domaine de validité)" if fr else " (outside validity domain)"
    if "risk_index" in s.columns:
        risk = pd.to_numeric(s["risk_index"], errors="coerce")
        text = pd.Series("score", index=s.index, dtype="str")
        valid = flag("valid")
    elif "band" in s.columns or "ch_band" in s.columns:
        band = s["band"] if "band" in s.columns else s["ch_band"]
        # codes saved before the English codes (tres_bonne, prudence, alerte) are still read
        risk = band.replace(CONAN_HOLDER_LEGACY_CODES).map(CONAN_HOLDER_BAND_RISK).astype("float64")
        label = band.replace(CONAN_HOLDER_LEGACY_CODES).map(
            lambda c: ConanHolderBand(c).label(lg) if c in _CH_CODES else c)
        text = ("score Conan-Holder : " if fr else "Conan-Holder score: ") + \
            label.astype("str").fillna("")
        valid = flag("valid") if "band" in s.columns else flag("ch_valid")
        if "zpp_zone" in s.columns:  # classic_scores output: Altman Z″ when CH is not valid
            ch_valid = valid if valid is not None else pd.Series(False, index=s.index)
            z_risk = s["zpp_zone"].map(ALTMAN_ZONE_RISK).astype("float64")
            use_z = ~(ch_valid & risk.notna()) & z_risk.notna()
            z_label = s["zpp_zone"].map(
                lambda c: AltmanZone(c).label(lg) if c in _ZONE_CODES else c)
            z_text = ("score Altman Z″ : " if fr else "Altman Z″ score: ") + \
                z_label.astype("str").fillna("")
            z_valid = flag("zpp_valid")
            # Z″ is valid for every known sector: not valid = sector unknown
            z_text = z_text.where(z_valid if z_valid is not None else True,
                                  z_text + (" (secteur inconnu)" if fr else " (unknown sector)"))
            risk = risk.where(~use_z, z_risk)
            text = text.where(~use_z, z_text)
            if z_valid is not None:
                valid = ch_valid.where(~use_z, z_valid)
            elif valid is not None:
                valid = valid.where(~use_z, True)
            outside = pd.Series(outside, index=s.index, dtype="str").where(~use_z, "")
    elif "zone" in s.columns:
        risk = s["zone"].map(ALTMAN_ZONE_RISK).astype("float64")
        text = ("score d'Altman : " if fr else "Altman score: ") + \
            s["zone"].map(lambda c: AltmanZone(c).label(lg) if c in _ZONE_CODES else c
                          ).astype("str").fillna("")
        valid = flag("valid")
    else:
        raise InputError("scores", "a column risk_index, band (Conan-Holder) or zone (Altman)",
                         list(s.columns)[:8], "pass creditlab.scores.conan_holder(...) output "
                         "indexed by customer_id")
    factor = pd.Series(1.0, index=s.index)
    if valid is not None:
        invalid = ~valid
        factor[invalid] = policy.invalid_score_weight_factor
        text = text.where(~invalid, text + outside)
    return risk, text, factor


def customer_rating(customers=None, *, scores: pd.DataFrame | None = None,
                    external: pd.DataFrame | None = None, risk_points=None,
                    payment_behaviour: pd.DataFrame | None = None,
                    events: pd.DataFrame | None = None, as_of=None,
                    policy: RatingPolicy | None = None, lang: str = "fr") -> pd.DataFrame:
    """Rate every customer from the available information.

    Parameters
    ----------
    customers : DataFrame, Index or list, optional
        The customers to rate (``customer_id`` column, index or ids). Default: every customer
        found in the components.
    scores : DataFrame, optional
        Indexed by ``customer_id`` (or with that column; latest fiscal year kept):
        Conan-Holder output (``band``), Altman output (``zone``), :func:`classic_scores`
        (``ch_band``, ``zpp_zone`` …) or a ``risk_index`` column; ``valid`` lowers the weight
        when False. From :func:`classic_scores` the Conan-Holder band is used where it is valid
        (``ch_valid``), otherwise the Altman Z″ zone where defined, otherwise the Conan-Holder
        band flagged outside its domain; compute the scores with the customers' ``sector``
        (``classic_scores(fs, sector=...)``), else every firm is of unknown sector.
    external : DataFrame, optional
        External ratings, raw (``customer_id``, ``provider``, ``grade``, ``date`` …) or already
        combined (:func:`creditlab.scores.combine_ratings`, indexed by ``customer_id``).
    risk_points : RiskPointsResult, optional
        Output of :func:`creditlab.scores.risk_points`.
    payment_behaviour : DataFrame, optional
        ``creditlab.receivables.payment_behaviour`` output (indexed by ``customer_id``;
        ``avg_days_late``, ``share_paid_late``, ``n_invoices_paid``).
    events : DataFrame, optional
        Insolvency proceedings (``customer_id``, ``event_date``); an event on or before
        ``as_of`` forces class 4.
    as_of : date-like, optional
        Date of the analysis (filters external ratings and events).
    policy : RatingPolicy, optional
    lang : {"fr", "en"}
        Language of ``rationale`` (the only text of the result).

    Returns
    -------
    DataFrame indexed by ``customer_id``: ``risk_scores``, ``risk_external``,
    ``risk_points``, ``risk_payment`` (components, 0-1, NaN when absent), ``risk_index``
    (combined), ``rating_class`` (1-4, Int64; <NA> when no information), ``n_components``,
    ``default`` (forced class 4), ``rationale`` (short text in ``lang``). The class in words
    (``rating_label``: risque faible ... non noté) is added by
    :func:`creditlab.scores.rating_words`.
    """
    check_lang(lang)
    fr = lang == "fr"
    policy = policy or RatingPolicy()
    comps: dict[str, pd.Series] = {}
    texts: dict[str, pd.Series] = {}
    factors: dict[str, pd.Series] = {}
    default = pd.Series(dtype=bool)
    if scores is not None:
        r, t, f = _scores_component(scores, policy, fr)
        comps["scores"], texts["scores"], factors["scores"] = r, t, f
    if external is not None and len(external):
        comb = external if "risk_index" in external.columns and "detail" in external.columns \
            else combine_ratings(external, as_of=as_of)
        comps["external"] = comb["risk_index"]
        texts["external"] = ("note externe " if fr else "external rating ") + \
            comb["detail"].astype("str")
        default = default.combine(comb["any_default"].astype(bool), lambda a, b: a or b,
                                  fill_value=False)
    if risk_points is not None:
        tab = risk_points.table
        comps["risk_points"] = tab["total"] / tab["max_points"]
        texts["risk_points"] = (("points de risque " if fr else "risk points ")
                                + tab["total"].map("{:g}".format) + "/"
                                + tab["max_points"].map("{:g}".format)
                                + (" (classe " if fr else " (class ")
                                + tab["risk_class"].astype(str) + ")")
    if payment_behaviour is not None:
        pb = payment_behaviour.set_index("customer_id") if "customer_id" in \
            payment_behaviour.columns else payment_behaviour
        need = [c for c in ("avg_days_late", "share_paid_late") if c not in pb.columns]
        if need:
            raise InputError(f"payment_behaviour.{need[0]}", "the payment-behaviour contract "
                             "(avg_days_late, share_paid_late, ...)", f"missing {need}",
                             "use creditlab.receivables.payment_behaviour(invoices, payments, "
                             "as_of)")
        late = pd.to_numeric(pb["avg_days_late"], errors="coerce")
        share = pd.to_numeric(pb["share_paid_late"], errors="coerce")
        risk = 0.5 * (late.clip(lower=0) / policy.days_late_full_risk).clip(upper=1.0) \
            + 0.5 * share.clip(0, 1)
        if "n_invoices_paid" in pb.columns:
            risk = risk.where(pd.to_numeric(pb["n_invoices_paid"], errors="coerce") > 0)
        comps["payment"] = risk
        texts["payment"] = (("paiements : retard moyen " if fr else "payments: average ")
                            + late.round(0).map("{:g}".format)
                            + (" j, " if fr else " days late, ")
                            + (share * 100).round(0).map("{:g}".format)
                            + (" % payés en retard" if fr else " % paid late"))
    if events is not None and len(events):
        ev = events
        if as_of is not None:
            ev = ev[pd.to_datetime(ev["event_date"]) <= as_of_date(as_of)]
        ev_ids = pd.Series(True, index=pd.Index(ev["customer_id"].unique()))
        default = default.combine(ev_ids, lambda a, b: a or b, fill_value=False)
    if not comps and customers is None:
        raise InputError("customer_rating", "at least one component (scores, external, "
                         "risk_points, payment_behaviour)", None, "pass one of them")
    if customers is None:
        ids = pd.Index(sorted(set().union(*[set(s.index) for s in comps.values()])))
    elif isinstance(customers, pd.DataFrame):
        ids = pd.Index(customers["customer_id"] if "customer_id" in customers.columns
                       else customers.index)
    else:
        ids = pd.Index(customers)
    ids.name = "customer_id"
    out = pd.DataFrame(index=ids)
    names = ("scores", "external", "risk_points", "payment")
    num = np.zeros(len(ids))
    den = np.zeros(len(ids))
    n_comp = np.zeros(len(ids), dtype=np.int64)
    contrib = {}
    for k in names:
        col = f"risk_{k}" if k != "risk_points" else "risk_points"
        if k in comps:
            r = comps[k].reindex(ids).to_numpy(dtype="float64")
            w = policy.weights.get(k, 0.0) * (factors[k].reindex(ids).fillna(1.0).to_numpy()
                                               if k in factors else 1.0)
            have = ~np.isnan(r)
            num += np.where(have, w * r, 0.0)
            den += np.where(have, w, 0.0)
            n_comp += have & (np.asarray(w) > 0)
            contrib[k] = np.where(have, w * r, -1.0)
        else:
            r = np.full(len(ids), np.nan)
            contrib[k] = np.full(len(ids), -1.0)
        out[col] = r
    with np.errstate(divide="ignore", invalid="ignore"):
        combined = np.where(den > 0, num / den, np.nan)
    is_default = default.reindex(ids).fillna(False).astype(bool).to_numpy() \
        if len(default) else np.zeros(len(ids), dtype=bool)
    b = policy.class_bounds
    cls = np.where(combined < b[0], 1, np.where(combined < b[1], 2,
                                                 np.where(combined < b[2], 3, 4))).astype(float)
    cls = np.where(np.isnan(combined), np.nan, cls)
    cls = np.where(is_default, 4.0, cls)
    out["risk_index"] = combined
    out["rating_class"] = pd.array(np.where(np.isnan(cls), pd.NA, cls), dtype="Int64")
    out["n_components"] = n_comp
    out["default"] = is_default
    out["rationale"] = _rationale(ids, cls, combined, is_default, contrib, texts, fr)
    return out


def _rationale(ids, cls, combined, is_default, contrib, texts, fr) -> pd.Series:
    """Head ("Classe 3 — risque élevé (indice 0,58)") + the components ordered by contribution."""
    names = list(contrib)
    mat = np.column_stack([contrib[k] for k in names])
    order = np.argsort(-mat, axis=1, kind="stable")
    phrase = np.column_stack([
        (texts[k].reindex(ids).fillna("").astype(str).to_numpy(dtype=object)
         if k in texts else np.full(len(ids), "", dtype=object)) for k in names])
    phrase = np.where(mat >= 0, phrase, "")
    ordered = np.take_along_axis(phrase, order, axis=1)
    body = pd.Series([""] * len(ids), index=ids, dtype="str")
    for j in range(ordered.shape[1]):
        part = pd.Series(ordered[:, j], index=ids, dtype="str")
        has = part != ""
        sep = np.where(body != "", " ; ", "")
        body = body.where(~has, body + pd.Series(sep, index=ids, dtype="str") + part)
    word = "Classe" if fr else "Class"
    heads = {float(c): f"{word} {c} — {v['fr' if fr else 'en']}"
             for c, v in RATING_CLASS_LABELS.items()}
    head = pd.Series(cls, index=ids).map(heads).fillna(
        "Non noté : aucune information" if fr else "Not rated: no information").astype("str")
    idx = pd.Series(combined, index=ids).round(2).map(
        lambda v: "" if np.isnan(v) else (f" (indice {v:.2f})".replace(".", ",") if fr
                                          else f" (index {v:.2f})"))
    dflt = pd.Series(np.where(is_default, " — défaut ou procédure collective" if fr
                              else " — default or insolvency proceedings", ""), index=ids)
    colon, sep = (" : ", " ; ") if fr else (": ", "; ")   # French typography puts a space
    return (head + idx.astype(str) + dflt.astype(str)
            + np.where(body != "", colon, "") + body.str.replace(" ; ", sep)).astype("str")


def rank_portfolio(rating: pd.DataFrame, exposure: pd.Series, *,
                   risk_threshold: float | None = None, stakes_threshold: float | None = None) -> pd.DataFrame:
    """Classement du portefeuille by risk, by stakes and by risk × stakes.

    Parameters
    ----------
    rating : DataFrame
        Output of :func:`customer_rating` (``risk_index``, ``rating_class``), indexed by
        ``customer_id``.
    exposure : Series
        Exposure (encours, euros) indexed by ``customer_id``; customers absent from it have 0.
    risk_threshold : float, optional
        Risk index from which the risk is "high" (default: the class-3 bound of the default
        policy, 0.45).
    stakes_threshold : float, optional
        Exposure from which the stakes are "high" (default: the 80th percentile of the positive
        exposures — the Pareto 20/80 reading).

    Returns
    -------
    DataFrame indexed by ``customer_id``, sorted by ``rank_priority``: ``exposure``,
    ``risk_index``, ``rating_class``, ``risk_x_stakes`` (risk index × positive exposure, euros:
    a loss-weighted priority, not an expected loss), ``rank_risk`` (1 = riskiest),
    ``rank_stakes`` (1 = largest exposure), ``rank_priority``, ``share_of_exposure``,
    ``high_risk``, ``high_stakes``, ``quadrant`` (code: ``critical``, ``strategic``,
    ``restrict``, ``routine``: the grid shared with :func:`creditlab.finance.risk_stakes_matrix`,
    ``creditlab/data/risk_stakes_matrix.csv``); :func:`creditlab.scores.portfolio_words` adds
    the quadrant's ``label`` and ``action`` in words (see :data:`QUADRANTS`).
    """
    for c in ("risk_index", "rating_class"):
        if c not in rating.columns:
            raise InputError(f"rating.{c}", "the output of customer_rating", "missing",
                             "rate the customers with creditlab.scores.customer_rating first")
    if not isinstance(exposure, pd.Series):
        raise InputError("exposure", "a Series of exposures indexed by customer_id",
                         type(exposure).__name__, "e.g. open items summed by customer")
    if exposure.index.has_duplicates:
        raise InputError("exposure", "one value per customer", "duplicated ids",
                         "sum the exposure per customer first")
    ids = rating.index
    expo = pd.to_numeric(exposure, errors="coerce").reindex(ids).fillna(0.0)
    risk = rating["risk_index"].astype("float64")
    pos = expo.clip(lower=0)
    rt = 0.45 if risk_threshold is None else float(risk_threshold)
    st = (float(pos[pos > 0].quantile(0.8)) if (pos > 0).any() else 0.0) \
        if stakes_threshold is None else float(stakes_threshold)
    out = pd.DataFrame({"exposure": expo, "risk_index": risk,
                        "rating_class": rating["rating_class"]}, index=ids)
    out["risk_x_stakes"] = risk.fillna(0.0) * pos
    out["rank_risk"] = risk.rank(ascending=False, method="min", na_option="bottom").astype(int)
    out["rank_stakes"] = expo.rank(ascending=False, method="min").astype(int)
    out["rank_priority"] = out["risk_x_stakes"].rank(ascending=False, method="min").astype(int)
    total = pos.sum()
    out["share_of_exposure"] = pos / total if total > 0 else 0.0
    out["high_risk"] = (risk >= rt).fillna(False).astype(bool)
    out["high_stakes"] = (pos >= st) & (pos > 0)
    code = out["high_risk"].astype(int) * 2 + out["high_stakes"].astype(int)
    grid = risk_stakes_grid("fr")
    by_code = {int(r == "high") * 2 + int(s == "high"): q for r, s, q in zip(
        grid["risk_level"], grid["stakes_level"], grid["quadrant"], strict=True)}
    out["quadrant"] = code.map(by_code).astype("str")
    out.attrs["risk_threshold"] = rt
    out.attrs["stakes_threshold"] = st
    return out.sort_values(["rank_priority", "rank_risk"])
