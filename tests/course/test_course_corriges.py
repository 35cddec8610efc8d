"""Step-by-step corrigés: every numeric case shows its working (formula, figures substituted,
intermediate results, interpretation), computed from the case's data, ending on the checker's
expected answer."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest

import creditlab.exercises as E
from creditlab.exceptions import InputError
from creditlab.exercises._working import WORKINGS

ROOT = Path(__file__).resolve().parents[2]
NUMERIC = [e.id for e in E.EXERCISES.values() if e.kind != "choice"]
MIN_STEPS = 2


def test_every_numeric_case_has_a_working_and_only_choice_cases_do_not():
    assert sorted(WORKINGS) == sorted(NUMERIC) and len(NUMERIC) == 20
    choice = [e.id for e in E.EXERCISES.values() if e.kind == "choice"]
    assert all(E.model_answer(c) for c in choice)          # explained by their model answer
    with pytest.raises(InputError, match="model_answer"):
        E.working(choice[0])


@pytest.mark.parametrize("exercise_id", NUMERIC)
def test_the_working_ends_on_the_checkers_answer(exercise_id):
    w = E.working(exercise_id)
    assert len(w.steps) >= MIN_STEPS
    for s in w.steps:
        assert s.label and s.formula and re.search(r"\d", s.figures) and re.search(r"\d", s.result)
    expected = E.expected_answer(exercise_id)
    last = w.steps[-1].value
    if isinstance(expected, pd.Timestamp):
        assert pd.Timestamp(last) == expected
    else:
        assert math.isclose(float(last), float(expected), rel_tol=1e-9, abs_tol=1e-9)
    assert E.check(exercise_id, last).ok is True
    assert len(w.interpretation) > 40 and w.interpretation.endswith(".")
    table = w.to_frame()
    assert list(table.columns) == ["étape", "formule", "calcul", "résultat"]
    assert "<ol>" in w._repr_html_()


def test_the_figures_come_from_the_data_not_from_typed_text():
    data = dict(E.EXERCISES["p1_cout_credit"].data, ca_ttc=2_400_000)
    steps, sentence = WORKINGS["p1_cout_credit"](data)
    def plain(text):
        return re.sub(r"\s", " ", text)          # babel's narrow no-break spaces
    assert "2 400 000" in plain(steps[0].figures)
    assert steps[-1].value == pytest.approx(2 * E.expected_answer("p1_cout_credit"))
    assert "19 726" in plain(sentence)


def test_hand_computed_workings():
    # countback: 180 000 = March 90 000 (31 d) + February 60 000 (28 d) + 30/75 of January (31 d)
    cb = E.working("p5_dso_countback")
    assert [round(s.value, 4) for s in cb.steps] == [31, 28, 12.4, 71.4]
    # penalties over two half-years: 10 000 × 13,15 % × 30/365 + 10 000 × 12,15 % × 62/365
    pen = E.working("p4_penalites_semestres")
    assert pen.steps[0].value == 92
    assert [round(s.value, 2) for s in pen.steps[1:3]] == [108.08, 206.38]
    assert pen.steps[-1].value == 314.47
    # AUC: 7 of the 9 (defaulter, non-defaulter) pairs rank the defaulter lower
    auc = E.working("p3_auc")
    assert [s.value for s in auc.steps[:2]] == [9, 7.0]
    # limit: min(50 000, 35 % × 80 000, 5 % × 700 000)
    assert [s.value for s in E.working("p2_limite").steps] == [28_000, 35_000, 28_000]
    # CEI: (6 200 + 3 630 − 6 340) / (6 200 + 3 630 − 3 590)
    assert [s.value for s in E.working("p5_cei").steps[:2]] == [3_490, 6_240]


@pytest.mark.parametrize("path", sorted((ROOT / "exercises" / "solutions").glob("*.ipynb")),
                         ids=lambda p: p.name)
def test_each_corrige_shows_the_working_of_each_numeric_case(path):
    cells = json.loads(path.read_text("utf-8"))["cells"]
    text = ["".join(c["source"]) for c in cells]
    part = int(re.match(r"part(\d)", path.name).group(1))
    for ex in E.exercises_of_part(part):
        if ex.kind == "choice":
            continue
        answer = next(i for i, t in enumerate(text) if f'expected_answer("{ex.id}")' in t)
        checked = next(i for i, t in enumerate(text) if f'check("{ex.id}"' in t)
        shown = [i for i, t in enumerate(text) if f'working("{ex.id}")' in t]
        assert len(shown) == 1 and answer < shown[0] < checked, ex.id
        method = text[shown[0] - 1]
        assert cells[shown[0] - 1]["cell_type"] == "markdown" and "pas à pas" in method, ex.id
        assert len(re.findall(r"^\d+\. ", method, re.M)) >= MIN_STEPS, ex.id
