"""The calibration report's package functions: the sample's policy and the fitted run."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from creditlab.exceptions import InputError
from creditlab.reports.calibration import fit_calibration, load_sample


@pytest.fixture
def user_file(tmp_path):
    rng = np.random.default_rng(1)
    n = 600
    x1, x2 = rng.normal(size=n), rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(2.5 - 1.5 * x1))).astype(int)
    df = pd.DataFrame({"r1": x1, "r2": x2, "defaut": y, "constante": 1.0, "vide": np.nan,
                       "nom": "x"})
    df.loc[0, "r2"] = np.inf          # a zero denominator: missing, not infinite
    path = tmp_path / "clients.csv"
    df.to_csv(path, index=False)
    return path, df


def test_load_sample_user_file(user_file, tmp_path):
    path, df = user_file
    s = load_sample(str(path), "defaut")
    assert list(s.X.columns) == ["r1", "r2"] and s.unusable == ["constante", "vide"]
    assert s.ignored == ["nom"] and s.source == "clients.csv"
    assert np.isnan(s.X.loc[0, "r2"]) and s.y.name == "default"
    assert s.y.tolist() == df["defaut"].tolist()
    assert s.defaults == {"max_bins": 5, "min_bin_share": 0.05, "max_features": None}
    assert s.set_aside_line("fr") == ("Colonnes écartées : vides ou constantes "
                                      "['constante', 'vide'], non numériques ['nom'].")
    summary = s.summary("en")
    assert summary.loc["clients.csv", "observations"] == 600
    assert summary.loc["clients.csv", "defaults"] == int(df["defaut"].sum())
    assert list(load_sample(str(path), "defaut", "r1").X.columns) == ["r1"]
    with pytest.raises(InputError, match="features"):
        load_sample(str(path), "defaut", "r1,r9")
    with pytest.raises(InputError, match="target"):
        load_sample(str(path), None)
    with pytest.raises(InputError, match="dataset"):
        load_sample(str(tmp_path / "absent.csv"), "defaut")
    bad = tmp_path / "oui_non.csv"
    df.assign(defaut=np.where(df["defaut"] == 1, "oui", "non")).to_csv(bad, index=False)
    with pytest.raises(InputError, match=r"0/1 column.*\['non', 'oui'\]"):
        load_sample(str(bad), "defaut")


def test_fit_and_exports(user_file, tmp_path):
    path, df = user_file
    run = fit_calibration(load_sample(str(path), "defaut"), seed=0)   # every check runs
    assert len(run.y_train) == 420 and len(run.y_test) == 180
    assert run.y_train.sum() + run.y_test.sum() == df["defaut"].sum()
    assert run.scorecard.features_ == ["r1"]      # r2 is noise
    assert run.settings["max_bins"] == 5 and run.settings["max_features"] is None
    split = run.split_table()
    assert split["n"].tolist() == [420, 180]
    key = run.key_figures()
    assert key["AUC test"] == run.disc_test.auc and 0.5 < key["AUC test"] <= 1
    model, json_path, sql_path = run.write(tmp_path)
    doc = json.loads(json_path.read_text(encoding="utf-8"))
    assert doc["metadata"]["target"] == "defaut" and doc["metadata"]["n_test"] == 180
    assert doc["scaling"]["pdo"] == 20
    assert sql_path.read_text(encoding="utf-8").startswith("SELECT *, (")
    assert run.files_line(model, json_path, sql_path).startswith(
        "Fichiers écrits : `scorecard.json`, `scorecard.sql` — 1 variables")


def test_demo_sample_has_years(demo):
    s = load_sample("demo", lang="en")
    assert s.defaults["max_bins"] == 3 and s.info is not None
    assert s.source.startswith("demo financial statements, failure within 18 months "
                               "(observed up to 2025-12-31)")
    assert s.years().to_numpy().sum() == len(s.y)
