"""CreditPolicy: the bundled default, round trip, updates and validation errors."""

from __future__ import annotations

from pathlib import Path

import pytest

import creditlab
from creditlab.exceptions import InputError
from creditlab.limits import CreditPolicy


def test_default_policy_loads_with_sources():
    pol = CreditPolicy.load()
    d = pol.to_dict()
    assert pol.rule == "most_restrictive"
    assert pol.insured_share == pytest.approx(0.9)  # DOMAIN.md §8 typical quotité
    # DOMAIN.md §5.1 illustrative rating coefficients 100/75/50/0 %
    assert pol.class_map("rating_coefficient") == {1: 1.0, 2: 0.75, 3: 0.5, 4: 0.0}
    assert pol.term_days["net_60"] == 60 and pol.term_days["cash"] == 0
    # every section documents where its values come from
    for section in ("classes", "need", "combination", "rating_coefficient", "review",
                    "exposure", "hold"):
        assert d[section]["source"], section
    for method in ("net_worth", "working_capital", "turnover", "purchases", "concentration",
                   "sector", "insurer", "no_financials"):
        assert d["methods"][method]["source"], method
    assert "source" in pol.summary().index.str.split(".").str[-1]
    assert "<table" in pol._repr_html_()


def test_round_trip_and_updated_is_a_new_policy(tmp_path):
    pol = CreditPolicy.load()
    again = CreditPolicy.from_dict(pol.to_dict())
    assert again.to_dict() == pol.to_dict()
    avg = pol.updated({"combination": {"rule": "average"}, "hold": {"overdue_days_hold": 45}})
    assert avg.rule == "average" and pol.rule == "most_restrictive"
    assert avg.get("hold.overdue_days_hold") == 45
    assert avg.get("hold.overdue_days_block") == pol.get("hold.overdue_days_block")
    d = pol.to_dict()
    d["combination"]["rule"] = "weighted"  # a copy: the policy itself is unchanged
    assert pol.rule == "most_restrictive"
    # a user's TOML file
    src = (pol.get("need.method"), pol.get("rounding.step"))
    path = tmp_path / "policy.toml"
    default = Path(creditlab.__file__).parent / "data" / "credit_policy_default.toml"
    text = default.read_text(encoding="utf-8").replace("step = 500.0", "step = 1000.0")
    path.write_text(text, encoding="utf-8")
    mine = CreditPolicy.load(path)
    assert mine.get("rounding.step") == 1000.0 and src[1] == 500.0


@pytest.mark.parametrize("changes, key", [
    ({"combination": {"rule": "optimistic"}}, "combination.rule"),
    ({"rating_coefficient": {"2": 1.2}}, "rating_coefficient"),
    ({"rating_coefficient": {"2": "high"}}, "rating_coefficient"),
    ({"need": {"method": "gut_feeling"}}, "need.method"),
    ({"hold": {"over_limit": "maybe"}}, "hold.over_limit"),
    ({"hold": {"overdue_days_block": 10}}, "hold.overdue_days_block"),
    ({"exposure": {"insured_share": 1.5}}, "exposure.insured_share"),
    ({"methods": {"net_worth": {"basis": "market"}}}, "methods.net_worth.basis"),
    ({"methods": {"turnover": {"enabled": "yes"}}}, "methods.turnover.enabled"),
    ({"classes": {"unrated": 9}}, "classes.unrated"),
    ({"need": {"afdcc": {"ccp": [1.0]}}}, "need.afdcc.ccp"),
    ({"need": {"term_days": {"net_90": -1}}}, "need.term_days.net_90"),
])
def test_invalid_values_name_their_key(changes, key):
    with pytest.raises(InputError, match=key.replace(".", r"\.")):
        CreditPolicy.load().updated(changes)


def test_missing_key_and_missing_file(tmp_path):
    d = CreditPolicy.load().to_dict()
    del d["review"]
    with pytest.raises(InputError, match="review"):
        CreditPolicy.from_dict(d)
    with pytest.raises(InputError, match="path"):
        CreditPolicy.load(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("this is = = not toml", encoding="utf-8")
    with pytest.raises(InputError, match="TOML"):
        CreditPolicy.load(bad)
    with pytest.raises(InputError, match="data"):
        CreditPolicy.from_dict(["not", "a", "dict"])
