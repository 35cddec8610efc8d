"""Payment-term rules as StrEnums of English codes with their words in the catalogue."""

from __future__ import annotations

import pytest

from creditlab import labels, legal
from creditlab.legal import TermBasis, TermKind, TermRegime


def test_parse_terms_gives_term_kinds():
    assert legal.parse_terms("eom45_b") == (TermKind.EOM_B, 45)
    assert legal.parse_terms("net_60") == ("net", 60)
    assert legal.parse_terms("cash")[0] is TermKind.NET


def test_check_terms_regime_and_basis_are_codes():
    c = legal.check_terms("eom45_a")
    assert c.regime is TermRegime.GENERAL and c.basis is TermBasis.EOM and c.compliant
    t = legal.check_terms("net_45", sector="transport")
    assert (t.regime, t.basis, t.max_days, t.compliant) == ("transport", "net", 30, False)
    assert "transport cap" in t.explain("en") and "NON conforme" in t.message
    assert t.explain("fr") == t.message
    with pytest.raises(TypeError):
        legal.check_terms("net_45", sector="transport", lang="en")  # words: explain(lang)
    caps = legal.term_caps()
    assert set(caps["regime"]) <= set(TermRegime) and set(caps["basis"]) <= set(TermBasis)


@pytest.mark.parametrize("vocab", [TermKind, TermRegime, TermBasis])
def test_words_in_both_languages(vocab):
    keys = set(labels.catalogue()["key"])
    for m in vocab:
        assert m.key in keys and m.label("fr") and m.label("en")
