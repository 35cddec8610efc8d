"""Mises en situation: letters and arguments graded on a rubric, a branching phone call,
a payment plan negotiated under constraints; answers kept for the trainer's view."""

from __future__ import annotations

import json

import pytest

from creditlab import exercises as E
from creditlab.exceptions import InputError

GOOD_REMINDER = """Madame, Monsieur,

Sauf erreur de notre part, les factures F2025-0912 (4 800,00 €, échue le 31/10/2025) et
F2025-0977 (2 400,00 €, échue le 15/11/2025) restent impayées malgré notre premier rappel,
soit 7 200,00 € TTC. Des pénalités de retard au taux légal courent depuis l'échéance, ainsi
qu'une indemnité forfaitaire de 40 € par facture (Code de commerce L441-10 II et D441-5).
Nous vous remercions de régler cette somme par virement (RIB joint) avant le 22/12/2025.

Veuillez agréer, Madame, Monsieur, nos salutations distinguées."""

# penalties computed by hand: 4 800 × 12,15 % × 71 / 365 = 113,44 ; 2 400 × 12,15 % × 56 / 365
# = 44,74 ; total 158,18 € ; indemnities 2 × 40 = 80 €
GOOD_NOTICE = GOOD_REMINDER.replace("Madame, Monsieur,\n", "Madame, Monsieur,\n\nObjet : mise "
                                    "en demeure de payer\n").replace(
    "avant le 22/12/2025.", "sous 8 jours, soit 7 200,00 € de principal, 158,18 € de pénalités "
    "et 80 € d'indemnités. À défaut, nous saisirons le tribunal d'une injonction de payer.")


def test_the_case_file_is_computed_with_the_legal_rate():
    f = E.case_file("ms_mise_en_demeure")
    assert list(f["penalites"]) == [113.44, 44.74]
    assert list(f["jours_de_retard"]) == [71, 56] and f["indemnite"].sum() == 80


def test_a_complete_letter_meets_every_criterion(tmp_path):
    path = tmp_path / "alice.jsonl"
    r = E.check_letter("ms_relance_ecrite", GOOD_REMINDER, trainee="alice", results_path=path)
    assert r.ok and r.score == r.total == 7, str(r)
    n = E.check_letter("ms_mise_en_demeure", GOOD_NOTICE)
    assert n.ok and n.total == 11, str(n)
    row = json.loads(path.read_text("utf-8"))
    assert row["kind"] == "mise_en_situation" and row["answer"] == GOOD_REMINDER


@pytest.mark.parametrize("change, criterion", [
    (("7 200,00 €", "7 000,00 €"), "Montant dû exact"),
    (("F2025-0977", "la deuxième facture"), "Factures identifiées (numéros)"),
    (("ainsi\nqu'une indemnité forfaitaire de 40 € par facture", ""), "Indemnité forfaitaire de 40 €"),
    (("nos salutations distinguées.", "Payez, c'est inadmissible !!"), "Ton courtois"),
    (("par virement (RIB joint) ", ""), "Moyen de paiement"),
    (("avant le 22/12/2025", "rapidement"), "Date limite de paiement"),
])
def test_each_missing_element_fails_its_own_criterion_only(change, criterion):
    text = GOOD_REMINDER.replace(*change)
    assert text != GOOD_REMINDER
    r = E.check_letter("ms_relance_ecrite", text)
    failed = list(r.table.loc[~r.table["ok"], "criterion"])
    assert failed == [criterion], str(r)
    assert r.table.set_index("criterion").loc[criterion, "advice"] in str(r)


def test_a_notice_with_wrong_penalties_is_told_so():
    text = GOOD_NOTICE.replace("158,18 €", "175,50 €")     # 360-day count, say
    r = E.check_letter("ms_mise_en_demeure", text)
    assert list(r.table.loc[~r.table["ok"], "criterion"]) == ["Pénalités chiffrées à l'euro près"]


def test_too_short_a_letter_is_an_input_error():
    with pytest.raises(InputError, match="text"):
        E.check_letter("ms_relance_ecrite", "Payez.")


GOOD_ARGUMENT = ("Je comprends, et je vous remercie de me le dire. Si je comprends bien, "
                 "c'est un décalage de quelques semaines ? Qu'est-ce qui vous permettrait de "
                 "régler une partie dès maintenant ? Je vous propose 4 000 € vendredi puis un "
                 "échéancier écrit pour le solde.")


def test_an_argument_is_scored_on_its_key_elements():
    r = E.check_argument("ms_objection_tresorerie", GOOD_ARGUMENT)
    assert r.ok and r.total == 6, str(r)
    bare = E.check_argument("ms_objection_tresorerie",
                            "Vous devez payer la facture maintenant, sinon nous allons vous "
                            "poursuivre devant le tribunal.")
    failed = set(bare.table.loc[~bare.table["ok"], "criterion"])
    assert failed == {"Empathie", "Questionnement", "Reformulation",
                      "Proposition gagnant-gagnant", "Engagement daté", "Relation préservée"}
    gift = E.check_argument("ms_objection_litige", GOOD_ARGUMENT + " Sinon, j'annule tout.")
    assert list(gift.table.loc[~gift.table["ok"], "criterion"]) == ["Relation préservée"]


def test_the_phone_call_branches_and_records_the_choices(tmp_path):
    path = tmp_path / "bob.jsonl"
    call = E.phone_call(trainee="bob", results_path=path)
    assert "Mme Roche" in call.say() and "1. Préparer" in call.say()
    out = call.choose("b")                        # a poor opening
    assert out.startswith("❌") and "De quelle facture parlez-vous" in out
    out = call.choose("B")
    assert out.startswith("✅") and "ancien acheteur" in out
    call.choose("b")
    final = call.choose("a")
    assert call.done and call.score == 3 and "3 / 4" in final
    row = json.loads(path.read_text("utf-8"))
    assert row["answer"] == ["b", "b", "b", "a"] and row["ok"] is False
    with pytest.raises(InputError):
        E.phone_call().choose("z")
    assert E.phone_call().widget() is not None


def test_every_step_has_exactly_one_good_option_of_comparable_length():
    for spec in E.CALLS.values():
        assert len(spec["steps"]) == 4
        for step in spec["steps"]:
            goods = [k for k, (_, good, _) in step["options"].items() if good]
            assert len(goods) == 1
            sizes = {k: len(t) for k, (t, _, _) in step["options"].items()}
            assert max(sizes.values()) <= 1.5 * min(sizes.values())


@pytest.mark.parametrize("first, n, every, failed", [
    ("4 000", 3, 30, set()),                                      # 8 000 in 3 × 2 667, 90 days
    ("4 000", 2, 30, {"Les échéances tiennent dans sa trésorerie"}),   # 2 × 4 000 > 3 000
    ("6 000", 2, 30, {"Le client peut verser le premier montant"}),
    ("2 000", 4, 30, {"Premier versement suffisant (politique)",
                      "Dette soldée dans le délai maximal",
                      "Nombre de versements autorisé"}),
    ("4 000", 3, 45, {"Dette soldée dans le délai maximal"}),           # 135 days
])
def test_the_payment_plan_is_judged_on_each_constraint(first, n, every, failed):
    r = E.negotiate_plan("ms_echeancier", first, n, every)
    assert set(r.table.loc[~r.table["ok"], "criterion"]) == failed, str(r)
    assert r.ok == (not failed)


def test_unanswered_productions_are_not_errors_and_fields_exist():
    assert E.check_letter("ms_relance_ecrite", "").ok is None
    assert E.check_argument("ms_objection_litige", None).ok is None
    assert E.negotiate_plan("ms_echeancier", None, None).ok is None
    for case in ("ms_relance_ecrite", "ms_objection_tresorerie"):
        box = E.writing_field(case)
        area, button, out = box.children[1], box.children[2], box.children[3]
        area.value = GOOD_REMINDER if case.startswith("ms_relance") else GOOD_ARGUMENT
        button.click()
        assert "critères remplis" in out.value
    with pytest.raises(InputError):
        E.writing_field("ms_nope")


def test_the_trainer_view_reads_productions_back(tmp_path):
    path = tmp_path / "chloe.jsonl"
    E.check_letter("ms_relance_ecrite", GOOD_REMINDER, trainee="chloe", results_path=path)
    E.negotiate_plan("ms_echeancier", "4 000", 3, trainee="chloe", results_path=path)
    E.check("p4_penalites", "203,05", trainee="chloe", results_path=path)
    table = E.load_results(tmp_path)
    assert list(table["kind"]) == ["mise_en_situation", "mise_en_situation", "exercise"]
    assert table.loc[0, "answer"] == GOOD_REMINDER
    assert table.loc[1, "answer"] == {"premier_versement": 4000.0, "echeances": 3,
                                      "tous_les_jours": 30}
    assert table.loc[2, "answer"] == "203,05" and bool(table.loc[2, "ok"])


def test_the_self_assessment_is_kept_for_the_trainer(tmp_path):
    from creditlab.quiz import load_self_assessment

    sa = load_self_assessment()
    answers = {t["id"]: [3] * len(t["questions"]) for t in sa.themes}
    first = sa.themes[0]["id"]
    answers[first] = [0] * len(sa.themes[0]["questions"])
    path = tmp_path / "dan.jsonl"
    scores = sa.score(answers, trainee="dan", results_path=path)
    rows = [json.loads(x) for x in path.read_text("utf-8").splitlines()]
    assert len(rows) == len(sa.themes) and {r["kind"] for r in rows} == {"autodiagnostic"}
    assert [r["ok"] for r in rows] == [False] + [True] * (len(rows) - 1)
    assert rows[0]["answer"] == answers[first] and scores.loc[first, "maturity"] == 0
