"""Course materials: exercise notebooks in step with the catalogue, the glossary and its links."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from creditlab import exercises as E

ROOT = Path(__file__).resolve().parents[2]
PARTS = range(1, 7)


def _notebook(part: int, solution: bool) -> tuple[Path, str]:
    folder = ROOT / "exercises" / ("solutions" if solution else "")
    (path,) = folder.glob(f"part{part}_*.ipynb")
    cells = json.loads(path.read_text("utf-8"))["cells"]
    return path, "\n".join("".join(c["source"]) for c in cells)


@pytest.mark.parametrize("solution", [False, True], ids=["stagiaire", "corrige"])
@pytest.mark.parametrize("part", PARTS)
def test_exercise_notebooks_follow_the_catalogue(part, solution):
    path, text = _notebook(part, solution)
    ids = re.findall(r'check\("([a-z0-9_]+)"', text)
    assert ids == [e.id for e in E.exercises_of_part(part)], path.name
    for ex in E.exercises_of_part(part):
        assert ex.statement.split("\n")[0] in text, (path.name, ex.id)   # same statement
    if not solution:
        # every answer starts unanswered, so the notebook runs and says "pas encore répondu"
        assert len(re.findall(r"reponse_\d+ = None", text)) == len(ids)
        assert "session(None)" in text
        for ex_id in ids:
            assert E.check(ex_id, None).ok is None


def test_glossary_is_complete():
    g = pd.read_csv(ROOT / "datasets" / "glossary_fr_en.csv")
    assert list(g.columns) == ["term_fr", "term_en", "definition_fr", "part"]
    assert g.notna().all().all() and g["term_fr"].is_unique
    assert set(g["part"]) == set(PARTS)
    assert (g["definition_fr"].str.len() > 20).all()
    terms = " ".join(g["term_fr"]).lower()
    for word in ["auc", "gini", "fonds de garantie", "autodiagnostic", "pd d'équilibre",
                 "dso", "cei", "affacturage", "assurance-crédit", "échéancier", "mise en demeure"]:
        assert word in terms, word


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")),
                         ids=lambda p: p.name)
def test_course_notebooks_link_the_glossary(path):
    cells = json.loads(path.read_text("utf-8"))["cells"]
    md = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert "../datasets/glossary_fr_en.csv)" in md


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")),
                         ids=lambda p: p.name)
def test_course_notebooks_pin_their_key_figures(path):
    cells = json.loads(path.read_text("utf-8"))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert code.count("assert ") >= 5, "a course notebook asserts its key figures"
    if path.name not in {"02_solvabilite.ipynb", "03_calibration_score.ipynb"}:
        # parts 0, 1, 4, 5, 6 pin their figures in one REFERENCE table (02 and 03 inline)
        assert "REFERENCE = {" in code and "assert not ecarts" in code
