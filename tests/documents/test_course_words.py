"""The course tables' headers are French words (``creditlab.display``, ``course.<code>`` keys of
``data/labels/course.csv``): codes that fell back to "top priority", "echu incontestable",
"auc mean" or "eom45 a" in the executed course notebooks now have their words."""

from __future__ import annotations

import pandas as pd
import pytest

from creditlab.display import column_words, french_frame

#: Headers and row labels read in the executed course notebooks (00-06, exercises) that were
#: shown as codes with spaces, or French without accents.
SEEN = ("top_priority", "echu_incontestable", "echu_total", "contre_proposition_echeances",
        "verdict_proposition", "taux_escompte_2_10_60", "dossiers_a_escalader",
        "factures_en_litige_echues", "part_echu_top10", "segments_a_refuser",
        "tresorerie_liberee_au_bpdso", "cout_affacturage_pme", "cout_financement_annuel",
        "part_assuree", "taux_echu_dec", "dso_comptable_dec", "dso_epuisement_dec",
        "dso_dec_2025", "cei_dec", "add_dec", "ca_2025_ttc", "caf_2024", "ebe_2024",
        "frng_2024", "conan_holder_2024", "accuracy_ratio", "auc_max", "auc_mean", "auc_min",
        "auc_std", "gini_mean", "central_pd", "pd_max", "pd_min", "class_label",
        "rating_class", "n_scored", "points_lost_1", "points_max", "reason_1",
        "risk_points_total", "band", "criterion", "dependence", "detail", "family", "formula",
        "grade", "input", "provider", "trend", "unit", "weight", "assignee", "channel",
        "escalation", "scenario", "template", "reasons", "const", "firm", "model", "critical",
        "strategic", "restrict", "routine", "hold", "limits", "dunning", "insurance",
        "negotiation", "terms", "net_30", "eom45_a", "eom45_b", "transport_30", "classic",
        "confidential", "reverse", "overdraft", "factoring")

#: French words written without their accents (what a French reader notices).
UNACCENTED = ("echu", "echeance", "liberee", "assuree", "tresorerie", "a escalader",
              "a refuser", "cout ", "epuisement", "detail", "critere", "modele")


@pytest.mark.parametrize("code", SEEN)
def test_course_header_in_french_words(code):
    words = column_words(code)
    assert words != code.replace("_", " "), words     # not the code with spaces
    assert "_" not in words
    low = words.lower()
    assert not any(u in low for u in UNACCENTED), words
    assert column_words(code, "en") and "_" not in column_words(code, "en")


def test_the_words_reach_a_shown_table():
    table = pd.DataFrame({"echu_incontestable": [1419863.94], "verdict_proposition": ["counter"],
                          "conditions": ["eom45_a"]}, index=["C00175"])
    shown = french_frame(table)
    assert list(shown.columns) == ["échu incontestable", "verdict sur la proposition",
                                   "conditions"]
    assert shown.iloc[0].tolist() == ["1\u202f419\u202f863,94", "contre-proposer",
                                      "fin de mois + 45 jours"]
    key = french_frame(pd.Series({"top_priority": "C00144"}))
    assert list(key.index) == ["client prioritaire"]
