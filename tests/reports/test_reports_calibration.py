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
    # 'nom' is a text column holding one value: constant (text columns are categories now)
    assert list(s.X.columns) == ["r1", "r2"] and s.unusable == ["constante", "vide", "nom"]
    assert s.ignored == [] and s.source == "clients.csv"
    assert s.set_aside.values.tolist() == [["constante", "constant"], ["vide", "empty"],
                                           ["nom", "constant"]]
    assert np.isnan(s.X.loc[0, "r2"]) and s.y.name == "default"
    assert s.y.tolist() == df["defaut"].tolist()
    assert s.defaults == {"max_bins": 5, "min_bin_share": 0.05, "max_features": None}
    assert s.set_aside_line("fr") == ("Colonnes écartées : vides ou constantes "
                                      "['constante', 'vide', 'nom'], non numériques [].")
    assert s.set_aside_table("fr").columns.tolist() == ["colonne", "motif"]
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
    with pytest.raises(InputError, match=r"0/1 column.*\['non', 'oui'\].*positive=<label>"):
        load_sample(str(bad), "defaut")
    # labels with positive= name the default
    s2 = load_sample(str(bad), "defaut", positive="oui")
    assert s2.y.tolist() == df["defaut"].tolist() and s2.positive == "oui"
    with pytest.raises(InputError, match="positive"):
        load_sample(str(bad), "defaut", positive="yes")


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


@pytest.fixture
def mixed_file(tmp_path):
    """Numbers, text categories, an identifier, a date column, a good/bad target."""
    rng = np.random.default_rng(3)
    n = 1500
    x1 = rng.normal(size=n)
    region = rng.choice(["nord", "sud", "est", "ouest"], size=n)
    risk = {"nord": -1.0, "sud": 0.8, "est": 0.0, "ouest": 0.3}
    logit = -1.5 + 1.2 * x1 + np.array([risk[r] for r in region])
    y = rng.random(n) < 1 / (1 + np.exp(-logit))
    df = pd.DataFrame({"x1": x1, "region": region, "client": [f"C{i:05d}" for i in range(n)],
                       "date": pd.date_range("2021-01-01", periods=n, freq="D")
                       .strftime("%d/%m/%Y"), "statut": np.where(y, "bad", "good")})
    path = tmp_path / "mixed.csv"
    df.to_csv(path, index=False)
    return path, df


def test_text_columns_used_and_every_column_set_aside_listed(mixed_file):
    path, df = mixed_file
    s = load_sample(str(path), "statut", positive="bad", date_column="date")
    assert s.categorical == ["region"] and list(s.X.columns) == ["x1", "region"]
    assert s.set_aside.values.tolist() == [["date", "date_column"], ["client", "identifier"]]
    assert s.set_aside_table("en").iloc[1].tolist() == [
        "client", "identifier (a distinct value per row)"]
    run = fit_calibration(s, seed=0)
    assert "region" in run.scorecard.features_
    # out-of-time: every test row is dated on or after every training row
    dates = s.dates
    assert dates[run.X_test.index].min() >= dates[run.X_train.index].max()
    assert run.settings["test_from"] == dates[run.X_test.index].min()
    assert len(run.y_test) == pytest.approx(0.3 * len(df), abs=2)
    assert "hors période" in run.validation_line()
    # the challenger keeps the categories (gradient boosting on native categorical splits)
    assert run.challengers["auc_test"].notna().all()
    assert run.verdict() == [] and run.verdict_line().startswith("**Validation : le modèle")


def test_backtest_uses_the_exported_model_and_a_portfolio_rate_is_not_tested_on_the_sample(
        user_file):
    from creditlab.modeling import logit

    path, df = user_file
    sample = load_sample(str(path), "defaut")
    run = fit_calibration(sample, seed=0, target_rate=0.02)
    model = run.model()
    applied = model.apply(run.X_test)
    # the grades backtested are the exported model's grades
    assert (applied["grade"].to_numpy() == run.grades_test.to_numpy()).all()
    # the expected PD of each grade is the exported central PD without the calibration shift
    bt = run.backtest.table
    central = pd.Series(run.scale.central_pd, index=list(run.scale.labels))
    back = pd.Series(1 / (1 + np.exp(-(logit(central.to_numpy()) - run.calibrator.shift_))),
                     index=central.index)
    np.testing.assert_allclose(bt["pd"].to_numpy(), back.reindex(bt.index).to_numpy())
    assert run.shift < 0 and run.verdict() == []    # formerly red grades and HL p = 0
    assert "taux du portefeuille (2,00\u00a0%)" in run.validation_line()
    # what was done before: portfolio-level PDs against the sample's outcomes, all red
    from creditlab.modeling import backtest_grades

    old = backtest_grades(run.y_test.to_numpy(), run.grades_test.to_numpy(), run.scale)
    assert old.n_red >= 3
    assert run.portfolio_test["n"] == len(run.y_test)


def test_failing_model_says_so_and_stops_unless_allowed(mixed_file, tmp_path):
    from creditlab.reports.calibration import ModelValidationError

    path, df = mixed_file
    # the latest 30 % of the rows default much more often: the model's PDs are too low there
    late = np.arange(len(df)) >= 0.7 * len(df)
    df = df.assign(statut=np.where(late & (np.arange(len(df)) % 2 == 0), "bad", df["statut"]))
    drift = tmp_path / "drift.csv"
    df.to_csv(drift, index=False)
    run = fit_calibration(load_sample(str(drift), "statut", positive="bad",
                                      date_column="date"), seed=0)
    assert "portfolio_jeffreys" in run.verdict()
    assert run.verdict_line().startswith("**⚠ Le modèle exporté échoue")
    with pytest.raises(ModelValidationError, match="allow_red=true"):
        run.require_valid()
    run.require_valid(allow_red=True)


def test_cli_exits_non_zero_on_a_failing_model_unless_allow_red(mixed_file, tmp_path, capsys):
    from creditlab import cli

    path, df = mixed_file
    late = np.arange(len(df)) >= 0.7 * len(df)
    df = df.assign(statut=np.where(late & (np.arange(len(df)) % 2 == 0), "bad", df["statut"]))
    drift = tmp_path / "drift.csv"
    df.to_csv(drift, index=False)
    args = ["report", "run", "calibration", "-p", f"dataset={drift}", "-p", "target=statut",
            "-p", "positive=bad", "-p", "date_column=date"]
    out = tmp_path / "out"
    assert cli.main([*args, "--out", str(out)]) == 1
    assert "allow_red=true" in capsys.readouterr().err
    assert not (out / "calibration").exists()
    assert cli.main([*args, "-p", "allow_red=true", "--out", str(out)]) == 0
    html = (out / "calibration" / "calibration.html").read_text(encoding="utf-8")
    assert "échoue à ses propres tests" in html
