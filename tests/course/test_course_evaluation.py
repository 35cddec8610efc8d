"""The evaluation loop: positioning, final quiz, self-evaluation (radar), action plan,
satisfaction — each saved per trainee and summarised by the trainer's view."""

from __future__ import annotations

import json

import matplotlib
import pytest

from creditlab.documents import find_browser, pdf_page_count
from creditlab.exceptions import InputError
from creditlab.exercises import collect
from creditlab.exercises import evaluation as ev
from creditlab.quiz import load_quiz

matplotlib.use("Agg")


def test_skills_are_the_programmes_and_each_is_validated_by_existing_questions():
    sk = ev.skills()
    assert len(sk) == 10 and sk.index.is_unique
    assert set(sk["part"]) == {1, 2, 4, 5, 6}            # the trainee course, not the analyst track
    quiz_ids = {q for p in (1, 2, 4, 5, 6) for q in load_quiz(p).questions["id"]}
    for skill_id, qs in sk["quiz"].items():
        assert 2 <= len(qs) <= 3 and set(qs) <= quiz_ids, skill_id
        assert all(q[1] == str(sk.loc[skill_id, "part"]) for q in qs), skill_id
    actions = ev.recommended_actions()
    assert set(actions["skill"]) == set(sk.index)         # every skill has an action to pick


def test_final_quiz_is_scored_per_skill():
    quiz = ev.final_quiz()
    wanted = [q for qs in ev.skills()["quiz"] for q in qs]
    assert list(quiz.questions["id"]) == wanted and quiz.kind == "evaluation_finale"
    right = dict(zip(quiz.questions["id"], quiz.questions["correct"], strict=True))
    # all right on cout_credit (3/3), 2 of 3 on relance, 1 of 2 on litiges, nothing else
    answers = {"q1_1": right["q1_1"], "q1_2": right["q1_2"], "q1_4": right["q1_4"],
               "q4_4": right["q4_4"], "q4_8": right["q4_8"], "q4_7": right["q4_7"]}
    res = quiz.grade(answers)
    assert res.score == 6 and res.total == len(wanted)
    table = ev.skill_results(res)
    assert table.loc["cout_credit", ["justes", "questions"]].tolist() == [3, 3]
    assert table.loc["relance", "réussite"] == pytest.approx(2 / 3)
    assert table.loc["litiges", "réussite"] == 0.5
    assert table["acquise"].to_dict() == {k: k in {"cout_credit", "relance"} for k in table.index}


@pytest.mark.parametrize(("ratings", "match"), [
    ({"cout_credit": 3}, "chaque compétence"),
    ({**dict.fromkeys(ev.skills().index, 3), "x": 2}, "compétences parmi"),
    ({**dict.fromkeys(ev.skills().index, 3), "relance": 6}, "1 à 5"),
    ({**dict.fromkeys(ev.skills().index, 3), "relance": 2.5}, "1 à 5"),
    ({**dict.fromkeys(ev.skills().index, 3), "relance": True}, "1 à 5"),
    ([3, 4], "dictionnaire")])
def test_ratings_are_checked_with_french_messages(ratings, match):
    with pytest.raises(InputError, match=match):
        ev.positioning(ratings)


def _group(tmp_path):
    ids = list(ev.skills().index)
    path_a, path_b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    ev.positioning(dict.fromkeys(ids, 2), "Je veux savoir relancer", trainee="Marie Claire",
                   results_path=path_a)
    ev.positioning({**dict.fromkeys(ids, 1), "pilotage": 4}, trainee="Zoé N'Diaye",
                   results_path=path_b)
    # only Marie Claire has reached the end of the course
    ev.self_evaluation({**dict.fromkeys(ids, 4), "litiges": 3}, trainee="Marie Claire",
                       results_path=path_a)
    ev.final_quiz().grade({"q1_1": "b"}, trainee="Marie Claire", results_path=path_a)
    ev.action_plan(["charte", "cgv"], ["Charte validée par la DG avant le 30/06",
                                       "CGV revues avec le juriste"],
                   trainee="Marie Claire", results_path=path_a)
    notes = ev.satisfaction_questions().query("kind == 'note'").index
    ev.satisfaction({**dict.fromkeys(notes, 5), "rythme": 3}, {"ameliorations": "Plus de cas"},
                    trainee="Marie Claire", results_path=path_a)
    return collect(tmp_path)


def test_every_step_is_saved_and_summarised_in_the_trainer_view(tmp_path):
    g = _group(tmp_path)
    rows = [json.loads(x) for x in (tmp_path / "a.jsonl").read_text("utf-8").splitlines()]
    kinds = {r["kind"] for r in rows}
    assert kinds == {"positionnement", "auto_evaluation", "evaluation_finale", "plan_action",
                     "satisfaction"}
    assert all(r["ok"] is None for r in rows if r["kind"] != "evaluation_finale")
    skills = g.skills()
    # before: mean of 2 (Marie Claire) and 1 (Zoé); pilotage (2 + 4) / 2
    assert skills.loc["relance", "avant"] == 1.5 and skills.loc["pilotage", "avant"] == 3.0
    assert skills.loc["relance", "stagiaires (avant)"] == 2
    assert skills.loc["relance", "après"] == 4 and skills.loc["litiges", "après"] == 3
    assert skills.loc["relance", "stagiaires (après)"] == 1
    assert skills.loc["relance", "progrès"] == 2.5
    sat = g.satisfaction()
    assert sat.loc["rythme", "moyenne"] == 3 and sat.loc["rythme", "satisfaits (4-5)"] == 0
    assert sat.loc["objectifs", "réponses"] == 1
    comments = g.comments()
    assert set(comments["réponse"]) == {"Je veux savoir relancer", "Plus de cas"}
    plans = g.action_plans()
    assert plans.loc[0, "stagiaire"] == "Marie Claire"
    assert "charte crédit" in plans.loc[0, "actions"] and "juriste" in plans.loc[0, "objectifs"]
    final = g.final_scores()
    assert final.loc["Marie Claire", ["score", "questions"]].tolist() == [1, 29]
    # questionnaires do not count in the graded progress
    assert set(g.latest["kind"]) == {"evaluation_finale"}
    assert list(g.by_part().columns) == ["7. Évaluation finale"]


def test_numpy_ratings_are_ratings():
    import numpy as np

    notes = ev.positioning({k: np.int64(3) for k in ev.skills().index}).ratings
    assert notes.tolist() == [3] * len(notes)


def test_radar_before_after(tmp_path):
    ids = list(ev.skills().index)
    before = ev.positioning(dict.fromkeys(ids, 2))
    after = ev.self_evaluation({**dict.fromkeys(ids, 4), "litiges": 5})
    ax = after.plot_radar(before)
    assert ax.name == "polar" and len(ax.get_xticklabels()) == len(ids)
    lines = ax.get_lines()
    assert [list(line.get_ydata()) for line in lines] == [[2] * 11,
                                                          [4] * 7 + [5] + [4] * 3]
    assert {t.get_text() for t in ax.get_legend().get_texts()} == {"avant la formation",
                                                                   "après la formation"}


def test_action_plan_document_is_one_escaped_page(tmp_path):
    plan = ev.action_plan(["tableau_bord", "scenarios", "tableau_bord"],
                          "Publier le <script>DSO</script> chaque mois", trainee="Zoé N'Diaye")
    assert plan.actions == ("tableau_bord", "scenarios")
    page = plan.to_html()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "Zoé N&#x27;Diaye" in page and "Plan d'action personnel" in page
    out = plan.save(tmp_path, pdf=False)
    assert out["html"].name == "plan_action_zoe-n-diaye.html"
    with pytest.raises(InputError, match="1 à 5"):
        ev.action_plan([], "x")
    with pytest.raises(InputError, match="identifiants"):
        ev.action_plan(["inconnue"], "x")
    with pytest.raises(InputError, match="objectif"):
        ev.action_plan(["charte"], ["  "])


@pytest.mark.skipif(find_browser() is None, reason="no headless Chromium on this machine "
                    "(Debian: apt-get install chromium) — the PDF of the action plan is skipped")
def test_action_plan_pdf_is_one_page(tmp_path):
    plan = ev.action_plan(["charte", "cgv", "limites", "scenarios", "tableau_bord"],
                          ["Objectif " + str(i) for i in range(4)], trainee="Marie Claire")
    out = plan.save(tmp_path)
    assert out["pdf"].is_file() and pdf_page_count(out["pdf"]) == 1


def test_satisfaction_needs_every_rating():
    notes = ev.satisfaction_questions().query("kind == 'note'").index
    with pytest.raises(InputError, match="1 à 5"):
        ev.satisfaction(dict.fromkeys(notes[:-1], 4))
    with pytest.raises(InputError, match="questions parmi"):
        ev.satisfaction({**dict.fromkeys(notes, 4), "bonus": 5})
    table = ev.satisfaction(dict.fromkeys(notes, 4), {"points_forts": "  les cas  pratiques "})
    assert table["réponse"].tolist()[-1] == "les cas pratiques" and len(table) == len(notes) + 1


def test_forms_save_like_the_functions_and_show_french_errors(tmp_path, monkeypatch):
    from creditlab.exercises import session

    monkeypatch.setenv("CREDITLAB_TRAINEE", "")
    monkeypatch.setenv("CREDITLAB_RESULTS", "")
    ids = list(ev.skills().index)
    session("Marie Claire", tmp_path)
    try:
        form = ev.positioning_form()
        assert form.widget is not None and len(form.ratings) == len(ids)
        assert form.submit({"relance": 3}) is None and "chaque compétence" in form.error
        assert "Traceback" not in form.error
        assert ev.my_positioning() is None                      # nothing saved yet
        form.submit(dict.fromkeys(ids, 2), texts={"commentaire": "relancer sans fâcher"})
        assert form.error is None and form.result.moment == "avant"
        before = ev.my_positioning()
        assert before is not None and before.ratings.tolist() == [2] * len(ids)
        after = ev.self_evaluation_form().submit(dict.fromkeys(ids, 4))
        assert after.ratings.sum() == 4 * len(ids)
        plan_form = ev.action_plan_form(tmp_path / "plan")
        plan, files = plan_form.submit(choices=["charte", "limites"],
                                       texts={"objectifs": "Charte validée\n\nLimites revues"})
        assert plan.objectives == ("Charte validée", "Limites revues")
        assert files["html"].is_file() and plan.trainee == "Marie Claire"
        notes = ev.satisfaction_questions().query("kind == 'note'").index
        assert ev.satisfaction_form().submit(dict.fromkeys(notes, 4)) is not None
    finally:
        session(None)
    g = collect(tmp_path)
    assert g.skills()["progrès"].tolist() == [2.0] * len(ids)
    assert g.satisfaction()["moyenne"].tolist() == [4.0] * len(notes)
    assert list(g.comments()["réponse"]) == ["relancer sans fâcher"]


def test_final_quiz_widget_shows_the_skills_after_the_score(tmp_path, monkeypatch):
    import ipywidgets as w

    monkeypatch.setenv("CREDITLAB_TRAINEE", "")
    monkeypatch.setenv("CREDITLAB_RESULTS", "")
    box = ev.final_quiz_widget(trainee="Luc", results_path=tmp_path / "luc.jsonl")
    radios = [c.children[1] for c in box.children if isinstance(c, w.VBox)]
    assert len(radios) == len(ev.final_quiz().questions)
    radios[0].value = radios[0].options[0][1]
    button = next(c for c in box.children if isinstance(c, w.Button))
    button.click()
    rows = [json.loads(x) for x in (tmp_path / "luc.jsonl").read_text("utf-8").splitlines()]
    assert len(rows) == len(radios) and {r["kind"] for r in rows} == {"evaluation_finale"}
