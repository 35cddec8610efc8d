"""Words of the formula scores, produced at the edge from their codes.

:func:`~creditlab.scores.conan_holder`, :func:`~creditlab.scores.altman` and
:func:`~creditlab.scores.classic_scores` return codes: ``band`` (``very_good`` ...), ``zone``
(``safe`` ...), ``reason`` (why a score is NaN) and ``validity_note`` (why it is outside its
validity domain) as ``;``-separated codes of the catalogue (``score_reason.<code>``,
``score_note.<code>`` in ``creditlab/data/labels/scores.csv``). :func:`score_words` adds the
words a person reads.
"""

from __future__ import annotations

import pandas as pd

from creditlab.i18n import check_lang
from creditlab.io.reference import risk_stakes_grid
from creditlab.labels import text
from creditlab.scores.ratings import _band_labels

__all__ = ["score_words", "portfolio_words", "rating_words", "grade_words", "risk_input_words"]

_LABELS = {"band": "conan_holder_band", "zone": "altman_zone"}
_TEXTS = {"reason": "score_reason", "validity_note": "score_note"}


def _codes_to_words(s: pd.Series, prefix: str, lang: str) -> pd.Series:
    words = {c: "; ".join(text(f"{prefix}.{k}", lang) for k in c.split(";") if k)
             for c in s.dropna().unique()}
    return s.map(words).astype("str")


def score_words(scores: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """A scores table with its codes in words (French by default).

    Adds ``<x>_label`` next to every band or zone column (``band`` → ``band_label``,
    ``ch_band`` → ``ch_band_label``, ``zpp_zone`` → ``zpp_zone_label``, ...) and writes the
    ``reason`` and ``validity_note`` columns (and their prefixed forms) in words, ``"; "``
    separated. Works on the output of :func:`~creditlab.scores.conan_holder`,
    :func:`~creditlab.scores.altman` (and their ``*_from_ratios``) and
    :func:`~creditlab.scores.classic_scores`. Missing codes stay missing.
    """
    lang = check_lang(lang)
    out = scores.copy()
    for col in list(out.columns):
        kind = col.rsplit("_", 1)[-1] if "_" in col else col
        if col in _LABELS or kind in _LABELS and col.endswith("_" + kind):
            prefix = _LABELS[kind]
            words = out[col].map(lambda c, p=prefix: text(f"{p}.{c}", lang)
                                 if isinstance(c, str) else c)
            out.insert(out.columns.get_loc(col) + 1, f"{col}_label", words.astype("str"))
    for col in list(out.columns):
        for name, prefix in _TEXTS.items():
            if col == name or col.endswith("_" + name):
                out[col] = _codes_to_words(out[col], prefix, lang)
    return out


def portfolio_words(ranking: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """A :func:`~creditlab.scores.rank_portfolio` table with its quadrant in words.

    ``quadrant`` (code) becomes the quadrant's label (« critique : risque élevé et enjeu
    fort » ...) and ``action`` (the approach suggested for it) is added after it, both from the
    grid shared with :func:`creditlab.finance.risk_stakes_matrix`.
    """
    grid = risk_stakes_grid(check_lang(lang)).set_index("quadrant")
    out = ranking.copy()
    codes = out["quadrant"]
    out["quadrant"] = codes.map(grid["label"]).astype("str")
    out.insert(out.columns.get_loc("quadrant") + 1, "action",
               codes.map(grid["action"]).astype("str"))
    return out


def rating_words(rating: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """A :func:`~creditlab.scores.customer_rating` table with ``rating_label`` (the class in
    words: risque faible ... risque très élevé, « non noté » without a class) after
    ``rating_class``."""
    lang = check_lang(lang)
    out = rating.copy()
    words = out["rating_class"].map(
        lambda c: text("rating_not_rated", lang) if pd.isna(c)
        else text(f"rating_class.{int(c)}", lang)).astype("str")
    out.insert(out.columns.get_loc("rating_class") + 1, "rating_label", words)
    return out


def grade_words(ratings: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """A :func:`~creditlab.scores.normalise_ratings` table with ``grade_label`` (the grade in
    words from the provider's scale, ``rating_scales.csv``: « cote 4+ », « DRA 6 », « risque
    faible » for Creditsafe 51-70) after ``grade_band``."""
    labels = _band_labels(check_lang(lang))
    out = ratings.copy()
    key = pd.MultiIndex.from_arrays([out["provider"], out["scale_version"], out["grade_band"]])
    words = pd.Series(labels.reindex(key).to_numpy(), index=out.index)
    out.insert(out.columns.get_loc("grade_band") + 1, "grade_label",
               words.fillna(out["grade_band"]).astype("str"))
    return out


def risk_input_words(inputs: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """A :func:`~creditlab.scores.risk_inputs` table with ``risk_source_label`` (what set the
    risk index in words: « note externe », « score Altman Z″ (secteur inconnu) » ...) after
    ``risk_source``; an empty source (no risk index) stays empty."""
    lang = check_lang(lang)
    out = inputs.copy()
    words = out["risk_source"].map(
        lambda c: text(f"risk_source.{c}", lang) if isinstance(c, str) and c else "")
    out.insert(out.columns.get_loc("risk_source") + 1, "risk_source_label", words.astype("str"))
    return out
