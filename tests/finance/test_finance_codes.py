"""Factoring and insurance kinds as StrEnums of English codes with their words."""

from __future__ import annotations

import pytest

from creditlab import labels
from creditlab.exceptions import InputError
from creditlab.finance import (
    AmountBasis,
    CreditInsurancePolicy,
    FactoringContract,
    factoring_contracts,
    factoring_cost,
)


def test_contract_types_match_the_data_file_and_its_words():
    t = factoring_contracts()
    assert list(t.index) == list(FactoringContract)
    for code, label in t["label"].items():
        assert FactoringContract(code).label("fr") == label
    assert (factoring_contracts("en")["label"]
            == [FactoringContract(c).label("en") for c in t.index]).all()


def test_enum_members_are_accepted_where_codes_are():
    a = factoring_cost(100_000, 60, commission_rate=0.01, index_rate=0.02, margin=0.01,
                       contract_type=FactoringContract.CONFIDENTIAL)
    b = factoring_cost(100_000, 60, commission_rate=0.01, index_rate=0.02, margin=0.01,
                       contract_type="confidential")
    assert a.table.equals(b.table)
    with pytest.raises(InputError, match="contract_type"):
        factoring_cost(100_000, 60, commission_rate=0.01, index_rate=0.02, margin=0.01,
                       contract_type="classique")
    assert CreditInsurancePolicy(premium_rate=0.003, basis=AmountBasis.TTC).basis == "ttc"
    with pytest.raises(InputError, match="basis"):
        CreditInsurancePolicy(premium_rate=0.003, basis="HT")


@pytest.mark.parametrize("vocab", [FactoringContract, AmountBasis])
def test_words_in_both_languages(vocab):
    keys = set(labels.catalogue()["key"])
    for m in vocab:
        assert m.key in keys and m.label("fr") and m.label("en")
