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


def test_parameters_cell_parsed_by_papermill():
    """papermill skips (with a warning at every run) a parameter line holding two '=' signs."""
    nb = nbformat.read(reports_dir() / "calibration.ipynb", as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    lines = [ln for ln in cell.source.splitlines() if ln.strip() and not ln.startswith("#")]
    assert all(ln.count("=") == 1 for ln in lines), [ln for ln in lines if ln.count("=") != 1]


def test_label_table_french_columns_and_values():
    import numpy as np
    import pandas as pd

    from creditlab.modeling import WoEBinner, label_table

    rng = np.random.default_rng(0)
    X = pd.DataFrame({"ratio": rng.normal(size=400)})
    y = (rng.random(400) < 1 / (1 + np.exp(2 - X["ratio"]))).astype(int)
    b = WoEBinner(max_bins=3).fit(X, y)
    t = b.binning_table("ratio")
    fr = label_table(t)
    assert list(fr.columns[:3]) == ["classe", "type", "borne basse"]
    assert set(fr["type"]) <= {"intervalle", "manquant"}
    assert fr.index.name == "code" and (fr["effectif"].to_numpy() == t["count"].to_numpy()).all()
    s = label_table(b.summary())
    assert s.loc["ratio", "tendance"] == "croissante" and "pouvoir prédictif" in s.columns
    metrics = pd.DataFrame({"value": [0.8, 0.6]}, index=pd.Index(["auc", "gini"], name="metric"))
    m = label_table(metrics, index=True)
    assert list(m.index) == ["AUC", "Gini"] and m.index.name == "indicateur"
    en = label_table(t, "en")
    assert "event rate" in en.columns and set(en["kind"]) == set(t["kind"])
    assert list(t.columns[:2]) == ["bin", "kind"]  # the input is not modified
    # the selection table's free-text details are rendered in French
    sel = pd.DataFrame({"status": ["selected", "not_entered", "correlated", "low_iv"],
                        "detail": ["entered, BIC 1234.5", "does not lower the AIC",
                                   "|r| = 0.912 with Attr5", "IV 0.0100 < 0.02"]})
    assert label_table(sel)["détail"].tolist() == [
        "entrée, BIC 1234,5", "ne fait pas baisser le critère AIC", "|r| = 0,912 avec Attr5",
        "IV 0,0100 < 0,02"]
    assert label_table(sel, "en")["detail"].tolist() == sel["detail"].tolist()


def test_calibration_report_on_a_user_file(tmp_path):
    """A CSV with a target column: empty and constant columns are set aside (reported, not
    fatal); a target that is not 0/1 stops the report with a clear message."""
    import numpy as np
    import pytest

    from creditlab.exceptions import ReportError
    from creditlab.io.polish import load_polish

    X, y = load_polish(5)
    data = X[["Attr1", "Attr2", "Attr27", "Attr34"]].assign(defaut=y.to_numpy(), constante=1.0,
                                                             vide=np.nan, nom="x")
    good = tmp_path / "clients.csv"
    data.to_csv(good, index=False)
    run_report("calibration", {"dataset": str(good), "target": "defaut"}, out=tmp_path / "ok",
               progress=False)
    doc = json.loads(next((tmp_path / "ok").rglob("scorecard.json")).read_text(encoding="utf-8"))
    assert {v["name"] for v in doc["variables"]} <= {"Attr1", "Attr2", "Attr27", "Attr34"}
    executed = next((tmp_path / "ok").rglob("calibration.ipynb")).read_text(encoding="utf-8")
    # the table of the columns set aside, with their reason, at the top
    assert "colonne(s) écartée(s)" in executed and "constante" in executed
    assert executed.index("colonne(s) écartée(s)") < executed.index("Apprentissage et test")
    assert "le modèle exporté passe ses tests" in executed
    bad = tmp_path / "clients_oui_non.csv"
    data.assign(defaut=np.where(y == 1, "oui", "non")).to_csv(bad, index=False)
    with pytest.raises(ReportError, match=r"target: expected a 0/1 column.*\['non', 'oui'\]"):
        run_report("calibration", {"dataset": str(bad), "target": "defaut"},
                   out=tmp_path / "bad", progress=False)
