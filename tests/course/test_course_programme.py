"""docs/programme.csv: every point of the three programmes has a notebook section and a
practice item that exist."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from creditlab import exercises as E
from creditlab.quiz import load_quiz

ROOT = Path(__file__).resolve().parents[2]
PROGRAMME = pd.read_csv(ROOT / "docs" / "programme.csv", dtype={"point": int})
KINDS = {"calcul", "décision", "QCM", "mise en situation", "réflexion"}
QUIZ_IDS = {q for p in range(1, 7) for q in load_quiz(p).questions["id"]}


def _notebook(rel: str) -> list[dict]:
    return json.loads((ROOT / rel).read_text("utf-8"))["cells"]


def _headings(cells) -> set[str]:
    return {line.lstrip("#").strip() for c in cells if c["cell_type"] == "markdown"
            for line in "".join(c["source"]).splitlines() if line.startswith("#")}


def _code(cells) -> str:
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


def test_the_62_points_are_listed_once():
    assert list(PROGRAMME.columns) == ["point", "programme", "title", "notebook", "section",
                                       "practice", "practice_kind"]
    assert list(PROGRAMME["point"]) == list(range(1, 63))
    assert PROGRAMME.notna().all().all()
    assert set(PROGRAMME["practice_kind"]) <= KINDS
    assert set(PROGRAMME["programme"].str.split().str[0]) == {"000", "002", "004", "card"}


@pytest.mark.parametrize("row", list(PROGRAMME.itertuples()), ids=lambda r: f"point{r.point}")
def test_each_point_has_its_section_and_practice(row):
    cells = _notebook(row.notebook)
    assert row.section in _headings(cells), (row.point, row.section)
    practice = row.practice
    if practice == "autodiagnostic":
        assert "self_assessment_widget()" in _code(cells)
    elif practice in E.PROMPTS:
        asked = "\n".join(_code(_notebook(p.relative_to(ROOT).as_posix()))
                          for p in sorted((ROOT / "notebooks").glob("0*.ipynb")))
        assert f'a_vous("{practice}"' in asked
    elif practice in QUIZ_IDS:
        pass
    elif practice.startswith("ms_"):
        assert practice in {**E.CASES, **E.OBJECTIONS, **E.CALLS, **E.PLAN_CASES,
                            **E.SITUATIONS, **E.STEERING}
        exercises = "\n".join(_code(_notebook(p.relative_to(ROOT).as_posix()))
                               for p in sorted((ROOT / "exercises").glob("part*.ipynb")))
        assert f'"{practice}"' in exercises
    else:
        assert practice in E.EXERCISES, (row.point, practice)


def test_the_absent_points_of_the_review_are_now_taught():
    # issue 17: business failures, legal prerequisites, commercial stakes, prospect file,
    # limit-review events had no teaching at all
    for point in (2, 33, 34, 35, 54):
        row = PROGRAMME.set_index("point").loc[point]
        assert row["section"] in _headings(_notebook(row["notebook"]))
    text = "\n".join("".join(c["source"]) for c in _notebook("notebooks/04_relance_recouvrement.ipynb"))
    for words in ("CGV", "clause pénale", "réserve de propriété", "L624-16", "1231-5"):
        assert words in text


def test_mises_en_situation_are_listed():
    kinds = PROGRAMME.set_index("point")["practice_kind"]
    assert (kinds == "mise en situation").sum() >= 12
    # and the programme points practised by a mise en situation of parts 2-5 (notebooks 02-05)
    rows = PROGRAMME[(kinds == "mise en situation").to_numpy()]
    assert rows["notebook"].str.contains("0[2-5]_").sum() >= 12


def _part(case) -> int:
    return case["part"] if isinstance(case, dict) else case.part


def test_twelve_mises_en_situation_are_played_in_the_exercises():
    # issue 17 point 2: at least 12 mises en situation across parts 2-5, each in a part's
    # exercise notebook
    every = {**E.CASES, **E.OBJECTIONS, **E.CALLS, **E.PLAN_CASES, **E.SITUATIONS,
             **E.STEERING}
    assert all(k.startswith("ms_") for k in every)
    in_parts_2_to_5 = [k for k, case in every.items() if 2 <= _part(case) <= 5]
    assert len(in_parts_2_to_5) >= 12, in_parts_2_to_5
    assert {_part(every[k]) for k in in_parts_2_to_5} >= {2, 4, 5}
    exercises = "\n".join(_code(_notebook(p.relative_to(ROOT).as_posix()))
                           for p in sorted((ROOT / "exercises").glob("part*.ipynb")))
    assert [k for k in every if f'"{k}"' not in exercises] == []
