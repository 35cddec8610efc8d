"""The mises en situation of issue 17 point 2 added on the demo portfolio, the trainee's own
company and the simulated customers (guarantee, dispute, sales representative, payment plan
of a customer in difficulty)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from creditlab import exercises as E
from creditlab.exceptions import InputError
from creditlab.limits import CreditPolicy, check_order


@pytest.fixture(scope="module")
def dossier():
    return E.customer_file("ms_limite_commande")


def test_the_customer_file_is_a_real_demo_customer_and_the_order_overruns(dossier, demo):
    cid = dossier.customer_id
    assert cid in set(demo["customers"]["customer_id"])
    assert len(dossier.accounts) == 3 and dossier.expected["proposed_limit"] > 0
    exposure = float(dossier.exposure["gross_exposure"])
    # the order is chosen so that creditlab's own limit is overrun: exposure + order > limit
    limit = dossier.expected["proposed_limit"]
    assert exposure < limit and exposure + dossier.order_amount > (1 + E.LIMIT_TOLERANCE) * limit
    assert dossier.expected["decision"] != "release" and dossier.expected["overrun"] > 0
    html = dossier._repr_html_()
    assert "Dossier client" in html and "_" not in html.split("<h4>")[1].split("</h4>")[0]
    assert E.customer_file() is dossier                      # computed once


def test_the_order_decision_is_the_one_check_order_gives(dossier, demo):
    from creditlab.receivables import open_items

    items = open_items(demo["invoices"], demo["payments"], dossier.as_of,
                       disputes=demo["disputes"])
    limits = pd.Series({dossier.customer_id: dossier.expected["proposed_limit"]})
    direct = check_order(dossier.customer_id, dossier.order_amount, demo["orders"], items,
                         dossier.as_of, customers=demo["customers"], policy=CreditPolicy.load(),
                         limits=limits)
    # without the ratings and events the over-limit reason alone already holds the order
    assert direct["decision"] != "release" and direct["overrun"] == pytest.approx(
        dossier.expected["overrun"])


def test_a_right_decision_meets_every_criterion_and_is_recorded(dossier, tmp_path):
    path = tmp_path / "alice.jsonl"
    limit = dossier.expected["proposed_limit"]
    words = {"need": "besoin", "rating_class": "classe", "net_worth": "fonds propres",
             "turnover": "chiffre d'affaires", "concentration": "concentration"}
    r = E.decide_limit("ms_limite_commande", f"{limit * 1.05:,.0f}".replace(",", " "),
                       "bloquer", words[dossier.expected["binding"]], trainee="alice",
                       results_path=path)
    assert r.ok and r.total == 4
    row = json.loads(path.read_text("utf-8"))
    assert row["exercise_id"] == "ms_limite_commande" and row["answer"]["commande"] == "bloquer"
    assert row["kind"] == "mise_en_situation" and row["ok"] is True


def test_each_wrong_choice_fails_its_own_criterion(dossier):
    limit = dossier.expected["proposed_limit"]
    too_high = E.decide_limit("ms_limite_commande", limit * 1.12, "bloquer")
    failed = set(too_high.table.loc[~too_high.table["ok"], "criterion"])
    assert failed == {"Limite dans la fourchette de la politique"}
    assert "trop haute" in str(too_high) and f"{limit:.0f}" not in str(too_high)
    # releasing breaks both order criteria with the policy's limit
    released = E.decide_limit("ms_limite_commande", limit, "libérer")
    assert set(released.table.loc[~released.table["ok"], "criterion"]) == {
        "Commande : décision cohérente avec votre limite",
        "Commande : décision conforme à la politique"}
    # with a limit large enough, releasing is coherent with one's own limit (not the policy)
    generous = E.decide_limit("ms_limite_commande", limit * 10, "libérer")
    ok = generous.table.set_index("criterion")["ok"]
    assert ok["Commande : décision cohérente avec votre limite"]
    assert not ok["Commande : décision conforme à la politique"]


def test_unanswered_and_unreadable_decisions():
    assert E.decide_limit("ms_limite_commande", None, None).ok is None
    with pytest.raises(InputError):
        E.decide_limit("ms_limite_commande", "beaucoup", "bloquer")
    with pytest.raises(InputError):
        E.decide_limit("ms_limite_commande", "45 000", "peut-être")
    with pytest.raises(InputError):
        E.customer_file("ms_inconnu")


ANSWERS = {"ca_ttc": "12 000 000", "encours_clients": "2 900 000", "part_echue": "22 %",
           "pertes": "90 000", "delai_contractuel": "45", "taux": "5 %",
           "cgv_penalites": "non", "limites": "oui", "relance_ecrite": "non",
           "garanties": "oui"}


def test_the_autodiagnostic_computes_dso_and_cost_by_hand(tmp_path):
    path = tmp_path / "bob.jsonl"
    d = E.autodiagnostic(ANSWERS, trainee="bob", results_path=path)
    # DSO = 2 900 000 × 365 / 12 000 000 = 88,21 days; cost = encours × 5 % = 145 000 €
    assert d.dso == pytest.approx(2_900_000 * 365 / 12_000_000)
    assert d.credit_cost == pytest.approx(145_000.0)
    failed = set(d.table.loc[~d.table["ok"], "criterion"].str.split(" ").str[0])
    assert failed == {"DSO", "Part", "Pertes", "CGV", "Un"}       # 88 − 45 > 15 j, 22 %, 0,75 %
    assert d.score == 3 and "145\u202f000" in str(d) and "88,2" in str(d)
    row = json.loads(path.read_text("utf-8"))
    assert row["exercise_id"] == "ms_autodiagnostic" and row["answer"]["dso"] == 88.2


def test_a_sound_company_passes_and_incomplete_answers_wait():
    good = {**ANSWERS, "encours_clients": "1 800 000", "part_echue": "0,08", "pertes": "30 000",
            "cgv_penalites": "oui", "relance_ecrite": "oui"}
    assert E.autodiagnostic(good).ok                    # DSO 54,75 j for 45 j terms
    assert E.autodiagnostic({**ANSWERS, "ca_ttc": None}).ok is None
    with pytest.raises(InputError):
        E.autodiagnostic({**ANSWERS, "limites": "parfois"})
    with pytest.raises(InputError):
        E.autodiagnostic({"ca_ttc": "1 000"})


@pytest.mark.parametrize("call_id", ["ms_negociation_garantie", "ms_litige_opportunite",
                                     "ms_commercial_blocage"])
def test_the_new_dialogues_branch_and_teach(call_id, tmp_path):
    path = tmp_path / "carl.jsonl"
    talk = E.dialogue(call_id, trainee="carl", results_path=path)
    spec = E.CALLS[call_id]
    assert spec["context"][:20] in talk.say()
    for step in spec["steps"]:
        good = next(k for k, (_, ok, _) in step["options"].items() if ok)
        out = talk.choose(good)
        assert out.startswith("✅")
    assert talk.done and talk.score == 4 and spec["lesson"] in talk.summary()
    assert json.loads(path.read_text("utf-8"))["ok"] is True
    # a poor first choice changes what the customer says next
    poor = E.dialogue(call_id)
    bad = next(k for k, (_, ok, _) in spec["steps"][0]["options"].items() if not ok)
    assert spec["steps"][1]["customer"]["poor"] in poor.choose(bad)


def test_the_right_option_is_not_the_longest_in_most_steps():
    steps = [s for k in ("ms_negociation_garantie", "ms_litige_opportunite",
                         "ms_commercial_blocage") for s in E.CALLS[k]["steps"]]
    longest_good = sum(max(s["options"].values(), key=lambda o: len(o[0]))[1] for s in steps)
    assert longest_good <= len(steps) / 3


@pytest.mark.parametrize("first, n, failed", [
    ("3 000", 6, set()),                                              # 6 × 4 500 in 180 days
    ("3 000", 5, {"Les échéances tiennent dans sa trésorerie"}),       # 5 400 a month
    ("2 000", 6, {"Premier versement suffisant (politique)",
                  "Les échéances tiennent dans sa trésorerie"}),       # 10 % = 3 000
    ("3 000", 7, {"Dette soldée dans le délai maximal", "Nombre de versements autorisé"}),
])
def test_the_plan_of_a_customer_in_difficulty(first, n, failed):
    r = E.negotiate_plan("ms_echeancier_difficulte", first, n)
    assert set(r.table.loc[~r.table["ok"], "criterion"]) == failed
