"""French labels of the modeling tables (binning, selection, coefficients, validation, master
scale) for reports and course notebooks.

The tables keep English identifiers as column names (stable for code); :func:`label_table`
returns a copy for display with French column names and French category values (``lang="fr"``),
or with the identifiers made readable (``lang="en"``: underscores become spaces).
"""

from __future__ import annotations

import re

import pandas as pd

from creditlab.i18n import check_lang

__all__ = ["COLUMN_LABELS_FR", "VALUE_LABELS_FR", "label_table"]

#: French label of every column (and metric) name of the modeling result tables.
COLUMN_LABELS_FR = {
    # binning tables and summary
    "variable": "variable", "bin": "classe", "kind": "type", "code": "code",
    "lower": "borne basse", "upper": "borne haute", "count": "effectif", "share": "part",
    "non_events": "sains", "events": "défaillances", "event_rate": "taux de défaillance",
    "dist_non_events": "% des sains", "dist_events": "% des défaillants", "woe": "WoE",
    "iv": "IV", "empty_at_fit": "vide à l'apprentissage", "strength": "pouvoir prédictif",
    "n_bins": "nombre de classes", "trend": "tendance", "missing_share": "part manquante",
    "special_share": "part de valeurs spéciales",
    # selection and coefficients
    "status": "statut", "detail": "détail", "step": "étape", "coef": "coefficient",
    "std_err": "écart-type", "z": "z", "p_value": "p-value", "ci_low": "IC 95 % bas",
    "ci_high": "IC 95 % haut", "min_points": "points min", "max_points": "points max",
    "points_raw": "points (non arrondis)", "points": "points", "const": "constante",
    # scaling
    "base_score": "score de référence", "base_odds": "cote de référence", "pdo": "PDO",
    "factor": "facteur", "offset": "décalage",
    # discrimination and calibration
    "n": "observations", "auc": "AUC", "auc_ci_low (delong)": "AUC, IC bas (DeLong)",
    "auc_ci_high (delong)": "AUC, IC haut (DeLong)",
    "auc_ci_low (bootstrap)": "AUC, IC bas (bootstrap)",
    "auc_ci_high (bootstrap)": "AUC, IC haut (bootstrap)", "gini": "Gini",
    "accuracy_ratio": "ratio de précision (AR)", "ks": "KS", "ks_threshold": "seuil du KS",
    "auc_test": "AUC test", "gini_test": "Gini test", "default_rate": "taux de défaut observé",
    "mean_pd": "PD moyenne", "brier": "score de Brier", "brier_reference": "Brier de référence",
    "hosmer_lemeshow": "Hosmer-Lemeshow", "hl_df": "degrés de liberté HL",
    "hl_pvalue": "p-value HL",
    # master scale and backtest
    "grade": "classe", "pd_min": "PD min", "pd_max": "PD max", "central_pd": "PD centrale",
    "rating_class": "classe de risque", "class_label": "libellé", "defaults": "défaillances",
    "observed_rate": "taux observé", "pd": "PD", "expected": "défaillances attendues",
    "binomial_pvalue": "p-value binomiale", "jeffreys_pvalue": "p-value Jeffreys",
    "jeffreys_low": "Jeffreys 95 % bas", "jeffreys_high": "Jeffreys 95 % haut",
    "light": "feu",
    # stability
    "csi": "CSI", "points_shift": "décalage de points", "psi": "PSI",
    "expected_count": "effectif de référence", "actual_count": "effectif actuel",
    "expected_share": "part de référence", "actual_share": "part actuelle",
    "metric": "indicateur", "value": "valeur", "mean": "moyenne", "missing": "part manquante",
}

#: French label of the category values of those tables (status, trend, traffic light...).
VALUE_LABELS_FR = {
    "kind": {"interval": "intervalle", "special": "valeur spéciale", "missing": "manquant",
             "total": "total"},
    "strength": {"useless": "inutile", "weak": "faible", "medium": "moyen", "strong": "fort"},
    "trend": {"ascending": "croissante", "descending": "décroissante", "none": "aucune"},
    "status": {"selected": "retenue", "low_iv": "IV trop faible", "correlated": "corrélée",
               "not_entered": "non entrée", "wrong_sign": "signe contraire",
               "removed": "retirée", "max_features": "au-delà du maximum",
               "stable": "stable", "monitor": "à surveiller", "shift": "dérive"},
    "light": {"green": "vert", "amber": "orange", "red": "rouge", "none": "aucun"},
}


#: French rendering of the ``detail`` texts of ``Scorecard.selection_`` (regex, replacement),
#: applied in order; numbers get a decimal comma.
DETAIL_FR = (
    (r"^kept \(no selection\)$", "conservée (sans sélection)"),
    (r"^beyond max_features=(\d+)$", r"au-delà de max_features=\1"),
    (r"^entered, (\w+) ", r"entrée, \1 "),
    (r"^removed \(backward\), (\w+) ", r"retirée (pas arrière), \1 "),
    (r"^does not lower the (\w+)$", r"ne fait pas baisser le critère \1"),
    (r"^constant WoE$", "WoE constant"),
    (r" with ", " avec "),
    (r"^entering makes the coefficient of (.+) >= 0$", r"son entrée rend le coefficient de \1 >= 0"),
    (r"^coefficient (\S+) >= 0 in the final model$", r"coefficient \1 >= 0 dans le modèle final"),
    (r"(\d)\.(\d)", r"\1,\2"),
)


def _detail_fr(text):
    if not isinstance(text, str):
        return text
    for pattern, repl in DETAIL_FR:
        text = re.sub(pattern, repl, text)
    return text


def label_table(table: pd.DataFrame, lang: str = "fr", *, index: bool = False) -> pd.DataFrame:
    """Copy of a modeling table with display labels.

    Parameters
    ----------
    table : DataFrame
        A result table (``binning_table``, ``summary()``, ``selection_``, ...).
    lang : {"fr", "en"}
        French labels (default) or the English identifiers with spaces.
    index : bool, default False
        Also translate the index values (metric tables such as
        ``DiscriminationResult.summary()``); the index name is always translated.

    Returns
    -------
    DataFrame
        Same values and order; unknown names are kept as they are.
    """
    check_lang(lang)
    out = table.copy()
    if lang == "fr":
        if "detail" in out.columns:
            out["detail"] = out["detail"].map(_detail_fr)
        for col, mapping in VALUE_LABELS_FR.items():
            if col in out.columns:
                out[col] = out[col].map(lambda v, m=mapping: m.get(v, v) if isinstance(v, str)
                                        else v)

        def name(c):
            return COLUMN_LABELS_FR.get(c, c) if isinstance(c, str) else c
    else:
        def name(c):
            return c.replace("_", " ") if isinstance(c, str) else c

    if index:
        out.index = out.index.map(name)
    out.index.name = name(out.index.name)
    out.columns = out.columns.map(name)
    return out
