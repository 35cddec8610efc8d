"""The label dictionaries kept importable are read-only views of the catalogue (data/labels)."""

from __future__ import annotations

import pytest

from creditlab.finance import (
    COST_LABELS,
    FACTORING_LABELS,
    INSURANCE_LABELS,
    MARGINAL_LABELS,
    NEGOTIATION_LABELS,
)
from creditlab.finance.charter_labels import _METHOD_LABELS
from creditlab.labels import catalogue, label_view, text
from creditlab.limits import HOLD_COLUMN_LABELS, LIMIT_COLUMN_LABELS, METHOD_LABELS
from creditlab.plots.kpi import CAUSE_LABELS
from creditlab.scores.rating import RATING_CLASS_LABELS
from creditlab.statements.balance import BALANCE_LABELS
from creditlab.statements.sig import CAF_LABELS, SIG_LABELS

VIEWS = {"cost": COST_LABELS, "marginal": MARGINAL_LABELS, "factoring": FACTORING_LABELS,
         "insurance": INSURANCE_LABELS, "negotiation": NEGOTIATION_LABELS,
         "charter_method": _METHOD_LABELS, "limit_method": METHOD_LABELS,
         "limit_column": LIMIT_COLUMN_LABELS, "hold_column": HOLD_COLUMN_LABELS,
         "rating_class": RATING_CLASS_LABELS, "balance": BALANCE_LABELS, "sig": SIG_LABELS,
         "caf": CAF_LABELS, "dispute_cause": CAUSE_LABELS}


@pytest.mark.parametrize("prefix", sorted(VIEWS))
def test_view_is_the_catalogue(prefix):
    view = VIEWS[prefix]
    keys = [k for k in catalogue()["key"] if k.startswith(prefix + ".")]
    assert len(view) == len(keys) > 0
    for code, words in view.items():
        assert words["fr"] == text(f"{prefix}.{code}", "fr")
        assert words["en"] == text(f"{prefix}.{code}", "en")


@pytest.mark.parametrize("prefix", sorted(VIEWS))
def test_view_is_read_only(prefix):
    view = VIEWS[prefix]
    code = next(iter(view))
    with pytest.raises(TypeError):
        view[code] = {"fr": "x", "en": "x"}
    with pytest.raises(TypeError):
        view[code]["fr"] = "x"


def test_words_unchanged_by_the_move():
    # the displayed words are those the dictionaries held before they moved to the catalogue
    assert COST_LABELS["dso_days"] == {"fr": "DSO (jours)", "en": "DSO (days)"}
    assert INSURANCE_LABELS["declare_now"]["fr"] == "à déclarer maintenant"
    assert METHOD_LABELS["net_worth"]["fr"] == "% des fonds propres"
    assert _METHOD_LABELS["net_worth"]["fr"] == "% des capitaux propres"
    assert HOLD_COLUMN_LABELS["release_condition"]["en"] == "to release"
    assert SIG_LABELS["ebe"]["fr"] == "excédent brut d'exploitation (EBE)"
    assert list(RATING_CLASS_LABELS) == [1, 2, 3, 4]
    assert RATING_CLASS_LABELS[4]["fr"] == "risque très élevé"


def test_label_view_of_an_unknown_prefix_is_empty():
    assert dict(label_view("no_such_prefix")) == {}
