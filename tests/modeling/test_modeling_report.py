"""The calibration report notebook: structure, and a full run through the report runner."""

from __future__ import annotations

import json

import nbformat

from creditlab.reports import report_info, reports_dir, run_report


def test_calibration_report_structure():
    path = reports_dir() / "calibration.ipynb"
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert all(not c.get("outputs") and c.get("execution_count") is None
               for c in nb.cells if c.cell_type == "code")
    text = "\n".join(c.source for c in nb.cells)
    assert "/work/" not in text and "pip install" not in text
    info = report_info("calibration")
    assert info.title == "Documentation du modèle de score de défaillance"
    params = info.parameters
    for name, default in (("dataset", '"demo"'), ("target", "None"), ("features", "None"),
                          ("pdo", "20"), ("base_score", "600"), ("base_odds", "50"),
                          ("lang", '"fr"'), ("output_dir", "None")):
        assert params[name]["default"] == default, name
    assert {"n_grades", "seed"} <= set(params)


def test_calibration_report_runs_on_polish_5(tmp_path):
    """Runs the report through the runner (papermill) and checks the published exports."""
    paths = run_report("calibration", {"dataset": "polish_5"}, out=tmp_path, progress=False)
    names = {p.name for p in paths} if isinstance(paths, list | tuple) else set()
    files = {p.name for p in tmp_path.rglob("*") if p.is_file()}
    assert {"scorecard.json", "scorecard.sql"} <= files | names
    doc = json.loads(next(tmp_path.rglob("scorecard.json")).read_text(encoding="utf-8"))
    assert doc["format"] == "creditlab.scorecard/1"
    assert doc["metadata"]["auc_test"] > 0.85 and doc["scaling"]["pdo"] == 20
    assert len(doc["master_scale"]["labels"]) == 6
    sql = next(tmp_path.rglob("scorecard.sql")).read_text(encoding="utf-8")
    assert sql.startswith("SELECT *, (") and sql.count("CASE") == len(doc["variables"])
