"""Practical cases: checkers accept the right answer, reject a wrong one without revealing it."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from creditlab import exercises as E
from creditlab.exceptions import InputError

# Independent oracles: DOMAIN.md §12 test vectors (T1, T3, T6, T7, T10, T11, T12, T17, T18, T19)
# and hand computations for the others.
ORACLES = {
    "p1_cout_credit": 9863.01,           # T18
    "p1_ca_compensatoire": 20_000.0,     # T17
    "p1_jour_dso": 1_200_000 * 0.05 / 365,
    "p2_conan_holder": 14.9633,          # T1
    "p2_altman": 3.1730,                 # T3 (Z'')
    "p2_limite": 28_000.0,               # T19
    "p3_woe": -0.693147,                 # ln((80/800)/(20/100)) = ln 0.5
    "p3_pdo": 640.0,                     # 600 + 20 × log2(200/50)
    "p3_auc": 7 / 9,                     # 7 of 9 (bad, good) pairs ordered
    "p4_penalites": 203.05,              # T11
    "p4_penalites_semestres": 314.47,    # 10 000 × (13.15 % × 30 + 12.15 % × 62) / 365
    "p5_dso_simple": 72.0,               # T6
    "p5_dso_countback": 71.4,            # T6
    "p5_cei": 0.55929,                   # T7
    "p6_escompte": 0.37245,              # T10
    "p6_escompte_max": 0.05 * 50 / 365 / (1 + 0.05 * 50 / 365),
}


def test_at_least_three_cases_per_part():
    for part in range(1, 7):
        assert len(E.exercises_of_part(part)) >= 3, part


@pytest.mark.parametrize("ex_id, value", sorted(ORACLES.items()))
def test_solver_matches_the_published_value(ex_id, value):
    assert E.expected_answer(ex_id) == pytest.approx(value, abs=1e-2 if value > 10 else 1e-4)


@pytest.mark.parametrize("ex_id", sorted(E.EXERCISES))
def test_right_answer_accepted_wrong_rejected_without_revealing(ex_id):
    ex = E.exercise(ex_id)
    right = E.expected_answer(ex_id)
    assert E.check(ex_id, right).ok is True
    if ex.kind == "date":
        wrong = pd.Timestamp(right) + pd.Timedelta(days=1)
    elif ex.kind == "choice":
        wrong = next(k for k in ex.choices if k != right)
    else:
        wrong = right * 1.2 + 1
    fb = E.check(ex_id, wrong)
    assert fb.ok is False and fb.hint
    text = str(fb) + fb._repr_html_()
    if ex.kind == "choice":          # the feedback never names an option letter
        assert f"« {right}" not in text and f"{right})" not in text
        return
    for shown in {f"{right}", f"{right:.2f}" if isinstance(right, float) else "",
                  f"{right:.1f}" if isinstance(right, float) else ""} - {""}:
        assert shown not in text


def test_unanswered_is_not_an_error():
    fb = E.check("p4_echeance", None)
    assert fb.ok is None and "pas encore répondu" in str(fb)
    assert E.check("p4_echeance", ...).ok is None


def test_french_formats_are_accepted():
    assert E.check("p5_cei", "55,93 %").ok
    assert E.check("p5_cei", 55.93).ok
    assert E.check("p4_echeance", "2025-12-31").ok
    assert E.check("p6_objection", " B ").ok


def test_results_are_exported_for_the_trainer(tmp_path):
    path = tmp_path / "alice.jsonl"
    E.check("p1_cout_credit", 9863.01, trainee="alice", results_path=path)
    E.check("p1_jour_dso", 1.0, trainee="alice", results_path=path)
    E.check("p1_ca_compensatoire", None, trainee="alice", results_path=path)   # not recorded
    rows = [json.loads(x) for x in path.read_text().splitlines()]
    assert [r["ok"] for r in rows] == [True, False]
    table = E.load_results(tmp_path)
    assert set(table.columns) >= {"trainee", "exercise_id", "part", "ok"}


def test_unknown_exercise_and_empty_results_folder(tmp_path):
    with pytest.raises(InputError, match="exercise_id"):
        E.check("p9_nope", 1)
    with pytest.raises(InputError, match="folder"):
        E.load_results(tmp_path)
