"""The mises en situation of parts 2, 4 and 5 (issue 17 point 2): the expected figures are
creditlab's, checked here by hand; each criterion can fail; answers are recorded."""

from __future__ import annotations

import json
import time

import pytest

from creditlab import exercises as E
from creditlab.exceptions import InputError
from creditlab.exercises._situations_steering import _expected_dso

RIGHT = {
    "ms_tableau_de_bord_dg": {"messages": ["dso_down", "over90_up", "overdue_high"],
                              "decision": "old_debts"},
    "ms_assurance_ou_affacturage": {"option": "factoring", "gap": "33 187,50 €",
                                    "reasons": ["cheaper_total", "collection", "guarantee"]},
    "ms_objectif_dso": {"target": "60", "cash": "197 260 €",
                        "actions": ["preventive", "disputes", "invoice_fast"]},
    "ms_revue_limite_degradation": {"limit": "30 000", "orders": "hold_new",
                                    "guarantee": "gapd", "guarantee_amount": "60 000 €",
                                    "review": "6"},
    "ms_promesse_non_tenue": {"status": "broken", "next": "injonction_de_payer",
                              "reasons": ["notice_delay", "undisputed", "stage_reached"]},
}


def _fails(rubric) -> list[str]:
    return list(rubric.table.loc[~rubric.table["ok"], "criterion"])


def test_five_cases_in_parts_2_4_5():
    assert {c["part"] for c in E.STEERING.values()} == {2, 4, 5}
    assert sum(c["part"] == 5 for c in E.STEERING.values()) == 3
    assert set(RIGHT) == set(E.STEERING)


@pytest.mark.parametrize("case_id", sorted(RIGHT))
def test_the_right_answers_meet_every_criterion_and_are_recorded(case_id, tmp_path):
    path = tmp_path / "alice.jsonl"
    start = time.perf_counter()
    r = E.play_situation(case_id, RIGHT[case_id], trainee="alice", results_path=path)
    assert time.perf_counter() - start < 5
    assert r.ok, str(r)
    row = json.loads(path.read_text("utf-8"))
    assert row["exercise_id"] == case_id and row["kind"] == "mise_en_situation"
    assert row["part"] == E.STEERING[case_id]["part"] and row["ok"] is True


def test_financing_figures_by_hand():
    e = E.expected_figures("ms_assurance_ou_affacturage")
    t = e["table"]
    drawn = 3_000_000 * 75 / 365 * 0.90                      # 554 794,52 € advanced
    assert t.loc["factoring", "total"] == pytest.approx(0.008 * 3_000_000
                                                        + drawn * 0.025 * 365 / 360)  # 38 062,50
    assert t.loc["overdraft_insurance", "total"] == pytest.approx(
        drawn * 0.06 * 365 / 360 + 0.003 * 2_500_000 + 30_000)                       # 71 250
    assert e["best"] == "factoring" and e["gap"] == pytest.approx(33_187.50)


def test_financing_wrong_choice_and_classic_gap_mistakes_are_diagnosed():
    a = dict(RIGHT["ms_assurance_ou_affacturage"])
    r = E.play_situation("ms_assurance_ou_affacturage",
                         {**a, "option": "overdraft_insurance", "reasons": ["cheaper_total",
                                                                            "guarantee"]})
    assert _fails(r) == ["L'offre la moins chère à couverture égale",
                         "Des raisons vraies pour l'offre choisie"]
    # forgetting the in-house collection cost: 71 250 - 30 000 - 38 062,50 = 3 187,50
    r = E.play_situation("ms_assurance_ou_affacturage", {**a, "gap": "3 187,5"})
    assert _fails(r) == ["L'écart de coût annuel"]
    assert "relance faite en interne" in r.table.set_index("criterion").loc[
        "L'écart de coût annuel", "advice"]
    # forgetting the premium: 33 187,50 - 7 500 = 25 687,50
    r = E.play_situation("ms_assurance_ou_affacturage", {**a, "gap": "25 687,50"})
    assert "prime" in str(r)
    assert "33" not in r.table.loc[~r.table["ok"], "advice"].str.cat()   # never the figure


def test_dso_cash_released_by_hand_and_mistakes():
    assert _expected_dso(60)["cash"] == pytest.approx(6_000_000 * 12 / 365)   # 197 260,27 €
    a = RIGHT["ms_objectif_dso"]
    r = E.play_situation("ms_objectif_dso", {**a, "cash": "200 000"})        # 360 days
    assert _fails(r) == ["La trésorerie libérée par votre objectif"] and "360" in str(r)
    r = E.play_situation("ms_objectif_dso", {**a, "target": "40", "cash": "525 000"})
    assert _fails(r) == ["Un objectif ambitieux et atteignable"]           # below the terms
    r = E.play_situation("ms_objectif_dso", {**a, "actions": ["preventive", "longer_terms"]})
    assert _fails(r) == ["Des actions qui réduisent le DSO", "Au moins deux actions efficaces"]


def test_limit_review_by_hand():
    e = E.expected_figures("ms_revue_limite_degradation")
    # need 30 000 × (60 + 30) / 30 = 90 000; caps in class 3: tangible net worth
    # (400 000 - 50 000) × 20 % = 70 000, turnover 2 400 000 × 2,5 % = 60 000 (binding),
    # concentration 5 % × 20 M = 1 M; × class-3 coefficient 50 % = 30 000
    assert e["after"]["need"] == 90_000 and e["after"]["binding"] == "turnover"
    assert e["limit"] == 30_000 and e["guarantee"] == 60_000
    # before the downgrade (class 2): min(90 000, 122 500, 120 000) × 75 % = 67 500
    assert e["before"]["proposed_limit"] == 67_500
    assert e["orders"] == "hold_new" and e["review"] == "6"
    a = RIGHT["ms_revue_limite_degradation"]
    r = E.play_situation("ms_revue_limite_degradation",
                         {**a, "limit": "67 500", "orders": "keep", "review": "12"})
    assert _fails(r) == ["Nouvelle limite conforme à la politique", "Les commandes",
                         "La prochaine revue"]
    assert "avant la dégradation" in str(r)


def test_broken_promise_by_hand():
    e = E.expected_figures("ms_promesse_non_tenue")
    assert e["status"] == "broken" and e["next"] == "injonction_de_payer"
    assert e["days_past_due"] == [108, 93] and e["since_notice"] == 37   # 16/02/2026
    a = RIGHT["ms_promesse_non_tenue"]
    r = E.play_situation("ms_promesse_non_tenue",
                         {**a, "next": "formal_notice", "reasons": ["promise_cancels"]})
    assert _fails(r) == ["L'étape suivante du chemin judiciaire", "Des raisons exactes",
                         "Au moins deux raisons"]


def test_dashboard_messages_are_read_from_the_kpis(demo):
    from creditlab.receivables import kpi

    h = kpi.kpi_history(demo["invoices"], demo["payments"], "2025-11-01", "2025-12-31",
                        disputes=demo["disputes"], customers=demo["customers"])
    nov, dec = h.iloc[-2], h.iloc[-1]
    e = E.expected_figures("ms_tableau_de_bord_dg")
    assert e["truth"]["dso_down"] is bool(dec["dso_simple"] < nov["dso_simple"]) is True
    assert e["truth"]["cei_down"] is False and e["truth"]["over90_up"] is True
    assert e["worst"] == "share_over_90" and e["decision"] == "old_debts"
    r = E.play_situation("ms_tableau_de_bord_dg",
                         {"messages": ["dso_up", "cei_down"], "decision": "nothing"})
    assert r.score == 0
    text = str(E.situation_file("ms_tableau_de_bord_dg"))
    assert "64,6" in text and "6,1\xa0%" in text         # the file shows the December figures


def test_empty_and_unreadable_answers():
    assert E.play_situation("ms_objectif_dso", {}).ok is None
    assert E.play_situation("ms_objectif_dso", {"target": "", "cash": None}).ok is None
    form = E.situation_form("ms_objectif_dso")
    assert form.submit({**RIGHT["ms_objectif_dso"], "cash": "beaucoup"}) is None
    assert form.error.startswith("⚠️ Attendu")
    assert form.submit({**RIGHT["ms_revue_limite_degradation"], "orders": "maybe"}) is None
    form = E.situation_form("ms_revue_limite_degradation")
    assert form.submit(RIGHT["ms_revue_limite_degradation"]).ok
    with pytest.raises(InputError, match="case_id"):
        E.play_situation("ms_nope", {"a": 1})


def test_the_forms_show_choices_without_python():
    form = E.situation_form("ms_assurance_ou_affacturage")
    html = form._repr_html_()
    assert "3 000 000" in html and "reponse" not in html
    if form.widget is not None:                       # ipywidgets installed
        import ipywidgets as w

        kinds = {type(c).__name__ for c in form.widget.children}
        assert {"RadioButtons", "Text", "Checkbox", "Button"} <= kinds
        assert all(not isinstance(c, w.Textarea) for c in form.widget.children)


def test_the_right_option_is_not_the_longest_one():
    # issue 17 point 4: knowledge, not length (at most a third of the one-option questions)
    longest = total = 0
    for case_id, answers in RIGHT.items():
        for key, _, kind, options in E.STEERING[case_id]["questions"]:
            if kind != "one":
                continue
            total += 1
            longest += max(options, key=lambda o: len(options[o])) == answers[key]
    assert total >= 6 and longest <= total / 3


def test_the_trainer_view_reads_the_answers(tmp_path):
    for case_id, answers in RIGHT.items():
        E.play_situation(case_id, answers, trainee="bob", results_path=tmp_path / "bob.jsonl")
    E.play_situation("ms_objectif_dso", {**RIGHT["ms_objectif_dso"], "target": "80"},
                     trainee="bob", results_path=tmp_path / "bob.jsonl")
    table = E.load_results(tmp_path)
    assert set(table["kind"]) == {"mise_en_situation"} and len(table) == 6
    assert table.groupby("part").size().to_dict() == {2: 1, 4: 1, 5: 4}
    last = E.latest_results(table).set_index("exercise_id")
    assert not last.loc["ms_objectif_dso", "ok"]                     # the latest attempt
    assert table.iloc[-1]["answer"]["target"] == "80"


@pytest.mark.parametrize(("typed", "words"), [
    ("67 500", "avant la dégradation"),        # the class-2 limit kept
    ("60 000", "sans appliquer le coefficient"),  # the lowest cap, coefficient forgotten
    ("45 000", "l'ancienne classe"),           # 60 000 × 75 % (class 2's coefficient)
    ("35 000", "pas le plus bas"),             # net-worth cap 70 000 × 50 %: not the lowest
    ("10 000", "trop basse"),
])
def test_classic_limit_mistakes_are_diagnosed(typed, words):
    r = E.play_situation("ms_revue_limite_degradation",
                         {**RIGHT["ms_revue_limite_degradation"], "limit": typed})
    advice = r.table.set_index("criterion").loc["Nouvelle limite conforme à la politique"]
    assert not advice["ok"] and words in advice["advice"]


def test_guarantee_of_the_exposure_only_is_diagnosed():
    # 82 000 of exposure - 30 000 of limit = 52 000: the need (90 000) is what must be served
    r = E.play_situation("ms_revue_limite_degradation",
                         {**RIGHT["ms_revue_limite_degradation"], "guarantee_amount": "52 000"})
    assert _fails(r) == ["Le montant de la garantie"] and "besoin commercial à venir" in str(r)


def test_the_widget_grades_what_is_clicked(tmp_path):
    w = pytest.importorskip("ipywidgets")
    form = E.situation_form("ms_promesse_non_tenue", trainee="carole",
                            results_path=tmp_path / "carole.jsonl")
    kids = form.widget.children
    radios = [c for c in kids if isinstance(c, w.RadioButtons)]
    radios[0].value, radios[1].value = "broken", "injonction_de_payer"
    for c in kids:
        if isinstance(c, w.Checkbox) and c.description in (
                "Le délai laissé par la mise en demeure est écoulé.",
                "La créance n'est pas contestée."):
            c.value = True
    next(c for c in kids if isinstance(c, w.Button)).click()
    assert form.result is not None and form.result.ok, str(form.result)
    assert "carole" in (tmp_path / "carole.jsonl").read_text("utf-8")
