"""QCM data, grading and the self-assessment (plain functions, no browser)."""

from __future__ import annotations

import json

import matplotlib
import pytest

from creditlab import quiz as Q
from creditlab.exceptions import InputError

matplotlib.use("Agg")


@pytest.mark.parametrize("part", range(1, 7))
def test_quiz_data_is_valid(part):
    qz = Q.load_quiz(part)
    assert len(qz.questions) >= 4
    assert qz.questions["id"].is_unique
    for q in qz.questions.itertuples():
        assert q.correct and set(q.correct) <= set(q.options), q.id
        assert len(q.options) >= 3 and len(q.explanation) > 20


def test_grading_counts_right_answers_and_exports(tmp_path):
    qz = Q.load_quiz(4)
    right = {q.id: q.correct[0] for q in qz.questions.itertuples()}
    res = qz.grade(right)
    assert res.score == res.total == len(qz.questions)
    first = qz.questions["id"].iloc[0]
    wrong_letter = next(k for k in qz.questions["options"].iloc[0] if k not in right[first])
    path = tmp_path / "bob.jsonl"
    res2 = qz.grade({**right, first: wrong_letter}, trainee="bob", results_path=path)
    assert res2.score == res.total - 1
    assert not res2.table.set_index("id").loc[first, "ok"]
    lines = [json.loads(x) for x in path.read_text().splitlines()]
    assert len(lines) == res.total and sum(r["ok"] for r in lines) == res2.score
    assert qz.grade({}).score == 0
    assert qz.widget() is not None


def test_bad_quiz_inputs():
    with pytest.raises(InputError, match="part"):
        Q.load_quiz(9)
    with pytest.raises(InputError, match="answers"):
        Q.load_quiz(1).grade({"zz": "a"})


def test_self_assessment_scores_and_radar():
    sa = Q.load_self_assessment()
    answers = {t["id"]: [3] * len(t["questions"]) for t in sa.themes}
    answers["relance"] = [0, 1, 0]
    s = sa.score(answers)
    assert s.loc["politique", "maturity"] == 1.0
    assert s.loc["relance", "maturity"] == pytest.approx(1 / 9)
    assert s.loc["relance", "recommendation"] and not s.loc["politique", "recommendation"]
    ax = sa.plot_radar(s)
    assert ax.name == "polar"
    with pytest.raises(InputError, match="relance"):
        sa.score({**answers, "relance": [5, 0, 0]})
    with pytest.raises(InputError, match="litiges"):
        sa.score({k: v for k, v in answers.items() if k != "litiges"})
    assert Q.self_assessment_widget() is not None


def test_quiz_feedback_is_in_french_and_letters_are_checked():
    qz = Q.load_quiz(1)
    res = qz.grade({"q1_1": " B ", "q1_2": "a"})              # case and spaces are forgiven
    table = res.summary()
    assert list(table.columns) == ["question", "votre réponse", "résultat", "explication"]
    assert list(table["résultat"][:2]) == ["✅ juste", "❌ faux"]
    assert "votre réponse" in res._repr_html_() and f"Score : 1 / {len(qz.questions)}" in res._repr_html_()
    with pytest.raises(InputError, match=r"answers\['q1_1'\].*option letters"):
        qz.grade({"q1_1": "z"})


def test_quiz_questions_are_data_with_explanations_for_every_part():
    from importlib import resources

    text = resources.files("creditlab.data").joinpath("quiz.toml").read_text("utf-8")
    assert text.count("\n[[question]]") == sum(len(Q.load_quiz(p).questions) for p in range(1, 7))


def test_self_assessment_report_is_french_and_weakest_first():
    sa = Q.load_self_assessment()
    answers = {t["id"]: [2] * len(t["questions"]) for t in sa.themes}
    answers["litiges"] = [0, 0, 1]
    report = sa.report(sa.score(answers))
    assert list(report.columns) == ["thème", "maturité", "recommandation"]
    assert report.iloc[0]["thème"] == "Litiges" and report.iloc[0]["recommandation"]
    assert (report.iloc[1:]["recommandation"] == "").all()     # 2/3 ≥ 0.5: no recommendation
    assert len(sa.scale) == 4


def _longest_share(questions) -> float:
    """Share of questions whose right option is strictly the longest of its options."""
    longest = 0
    for options, correct in questions:
        sizes = {k: len(v) for k, v in options.items()}
        top = max(sizes.values())
        winners = [k for k, n in sizes.items() if n == top]
        longest += len(winners) == 1 and winners[0] in correct
    return longest / len(questions)


def test_the_right_option_is_not_given_away_by_its_length():
    # issue 17: the right answer was the longest in 18 of 24 quiz questions
    qs = [(q.options, list(q.correct)) for p in range(1, 7)
          for q in Q.load_quiz(p).questions.itertuples()]
    assert _longest_share(qs) <= 1 / 3
    for options, _ in qs:                        # comparable lengths: no option twice another
        sizes = [len(v) for v in options.values()]
        assert max(sizes) <= 2.2 * min(sizes) + 4, options


def test_objection_options_are_not_given_away_by_their_length():
    from creditlab import exercises as E

    cases = [(e.choices, [e.solve(e.data)]) for e in E.EXERCISES.values()
             if e.kind == "choice" and e.id.startswith("p6_objection")]
    assert len(cases) >= 4 and _longest_share(cases) <= 1 / 3
    for options, _ in cases:
        sizes = [len(v) for v in options.values()]
        assert max(sizes) <= 1.5 * min(sizes), options


def test_explanations_cite_sources_trainees_can_open():
    from creditlab import exercises as E

    texts = [q.explanation for p in range(1, 7) for q in Q.load_quiz(p).questions.itertuples()]
    texts += [e.hint + e.model_answer + e.statement for e in E.EXERCISES.values()]
    texts += [p.hint for p in E.PROMPTS.values()]
    for text in texts:
        assert "DOMAIN" not in text and "§" not in text, text
    quiz = texts[:sum(len(Q.load_quiz(p).questions) for p in range(1, 7))]
    # every quiz explanation names a law article, the glossary or a part of the course
    assert all(("Partie" in t or "art." in t or "glossaire" in t) for t in quiz), quiz
