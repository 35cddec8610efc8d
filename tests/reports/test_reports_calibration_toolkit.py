"""The bank analyst's toolkit in the calibration report: Jeffreys tests, AUC change, long-run
average (TTC), margin of conservatism, migration matrix with the ECB's MWB."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creditlab.exceptions import InputError
from creditlab.reports.calibration import fit_calibration, load_sample
from creditlab.reports.calibration_toolkit import read_default_rates

RATES = [0.020, 0.025, 0.030, 0.040, 0.035, 0.020]   # 2017-2022, mean 0.17 / 6


def _panel(tmp_path, n_cust=400, seed=5):
    """The same customers observed at four year ends: id, date, a ratio, a region, good/bad."""
    rng = np.random.default_rng(seed)
    base = rng.normal(size=n_cust)
    region = rng.choice(["nord", "sud", "est"], size=n_cust)
    frames = []
    for year in (2019, 2020, 2021, 2022):
        x1 = base + rng.normal(scale=0.4, size=n_cust)
        logit = -2.0 + 1.3 * x1 + np.where(region == "sud", 0.7, 0.0)
        bad = rng.random(n_cust) < 1 / (1 + np.exp(-logit))
        frames.append(pd.DataFrame({"client": [f"K{i:04d}" for i in range(n_cust)], "x1": x1,
                                    "region": region, "date": f"31/12/{year}",
                                    "statut": np.where(bad, "bad", "good")}))
    path = tmp_path / "panel.csv"
    pd.concat(frames, ignore_index=True).to_csv(path, index=False)
    rates = tmp_path / "taux.csv"
    pd.DataFrame({"year": range(2017, 2023), "default_rate": RATES}).to_csv(rates, index=False)
    return path, rates


@pytest.fixture(scope="module")
def full(tmp_path_factory):
    path, rates = _panel(tmp_path_factory.mktemp("toolkit"))
    sample = load_sample(str(path), "statut", positive="bad", date_column="date",
                         id_column="client")
    run = fit_calibration(sample, seed=0, initial_auc=0.80, default_rates=rates, moc=0.002)
    return run, path, rates


def test_id_column_is_set_aside_and_kept(full):
    run, _, _ = full
    s = run.sample
    assert s.set_aside.values.tolist() == [["date", "date_column"], ["client", "id_column"]]
    assert "client" not in s.X.columns and s.ids.iloc[0] == "K0000"
    assert s.set_aside_table("fr").iloc[1].tolist() == [
        "client", "identifiant du client (matrice de migration)"]


def test_jeffreys_blocks_are_the_backtest_of_the_exported_model(full):
    run, _, _ = full
    j = run.toolkit.jeffreys
    assert list(j.index) == [*run.backtest.table.index, "portfolio"]
    np.testing.assert_allclose(j["jeffreys_pvalue"].iloc[:-1],
                               run.backtest.table["jeffreys_pvalue"])
    assert j.loc["portfolio", "n"] == len(run.y_test) == j["n"].iloc[:-1].sum()
    assert j.loc["portfolio", "jeffreys_pvalue"] == run.portfolio_test["pvalue"]
    assert j.loc["portfolio", "pd"] == pytest.approx(run.pd_test.mean())
    t = run.toolkit.jeffreys_table()
    assert "p-value de Jeffreys" in t.columns and t.index[-1] == "portefeuille"


def test_auc_change_on_the_exported_pds(full):
    from creditlab.modeling import roc_auc

    run, _, _ = full
    a = run.toolkit.auc_change
    assert a["auc_initial"] == 0.80
    # the exported PDs rank like the integer points: the AUC of the test points
    assert a["auc_current"] == pytest.approx(roc_auc(run.y_test, run.pd_test))
    assert a["auc_current"] == pytest.approx(run.disc_points.auc)
    assert a["statistic"] == pytest.approx((0.80 - a["auc_current"]) / a["std_err"])
    assert "auc_change" not in run.verdict()


def test_long_run_average_anchoring_and_margin(full):
    from creditlab.modeling import logit
    from creditlab.modeling._logit import sigmoid

    run, _, _ = full
    r = run.toolkit.long_run
    assert r["rate"] == pytest.approx(0.17 / 6) and r["years"] == 6
    assert not r["short_history"]
    # the TTC shift moves the mean training PD onto the long-run average
    assert sigmoid(logit(run.pd_train) + r["shift"]).mean() == pytest.approx(0.17 / 6)
    assert r["pit_mean"] == pytest.approx(run.pd_train.mean()) and r["shift"] < 0
    g = run.toolkit.grade_pds
    np.testing.assert_allclose(g["pd_pit"], run.scale.central_pd)
    np.testing.assert_allclose(g["pd_ttc"], sigmoid(logit(run.scale.central_pd) + r["shift"]))
    np.testing.assert_allclose(g["pd_final"], g["pd_ttc"] + 0.002)
    assert (np.diff(g["pd_ttc"]) > 0).all()
    # the exported model is not changed: its PDs are still the backtested ones
    applied = run.model().apply(run.X_test)
    np.testing.assert_allclose(applied["pd"], run.pd_test, rtol=1e-12)


def test_migration_matrix_between_the_periods_by_hand(full):
    run, _, _ = full
    m = run.toolkit.migration
    s = run.sample
    model = run.model()
    # independent recomputation: the exported model's grades of each customer's last row of
    # each period (2019-2020 | 2021-2022: the cut falls on the 2021 year end)
    dev, oot = run.X_train, run.X_test
    assert s.dates[oot.index].min() == pd.Timestamp("2021-12-31")

    def last(X):
        return (pd.DataFrame({"id": s.ids[X.index], "d": s.dates[X.index],
                              "g": model.apply(X)["grade"].to_numpy()})
                .sort_values("d").groupby("id")["g"].last())

    last_dev, last_oot = last(dev), last(oot)
    both = last_dev.index.intersection(last_oot.index)
    assert m["n"] == len(both) == 400      # every customer is in both periods
    expected = pd.crosstab(last_dev[both], last_oot[both]).reindex(
        index=list(run.scale.labels), columns=list(run.scale.labels), fill_value=0)
    assert m["counts"].to_numpy().tolist() == expected.to_numpy().tolist()
    assert 0 < m["mwb_upper"] <= 1 and 0 < m["mwb_lower"] <= 1
    assert m["stable"] + m["upgrades"] + m["downgrades"] == pytest.approx(1.0)


def test_views_in_french_and_english(full):
    from dataclasses import replace

    run, _, _ = full
    views = run.toolkit.views()
    words = " ".join(v.data for v in views if hasattr(v, "data"))
    assert "Tests de Jeffreys" in words and "Variation de l'AUC" in words
    assert "point dans le cycle" in words and "à travers le cycle" in words
    assert "2,83\u00a0% sur 6 ans (2017-2022" in words
    assert "Marge de conservatisme** de 0,20\u00a0%" in words
    assert "Largeur de bande pondérée (MWB, BCE)" in words and "400 clients" in words
    assert not any("donner" in v.data for v in views if hasattr(v, "data"))
    en = " ".join(v.data for v in replace(run.toolkit, lang="en").views() if hasattr(v, "data"))
    assert "through the cycle" in en and "2.83% over 6 years" in en
    assert "Matrix weighted bandwidth" in en


def test_each_block_says_what_it_needs_when_its_input_is_missing(tmp_path):
    path, _ = _panel(tmp_path, n_cust=300, seed=7)
    # no id column: no migration; no initial AUC, history or margin
    run = fit_calibration(load_sample(str(path), "statut", positive="bad",
                                      date_column="date"), seed=0)
    tk = run.toolkit
    assert (tk.auc_change, tk.long_run, tk.moc, tk.grade_pds, tk.migration) == (
        None, None, None, None, None)
    needs = [v.data for v in tk.views() if hasattr(v, "data")][1:]
    assert len(needs) == 4 and all("donner" in n for n in needs)
    assert "`initial_auc`" in needs[0] and "`default_rates`" in needs[1]
    assert "`moc`" in needs[2] and "`id_column`" in needs[3]
    assert tk.summary()["migration_n"] == 0 and np.isnan(tk.summary()["mwb_upper"])
    # a margin alone is applied to the exported central PDs
    tk2 = fit_calibration(run.sample, seed=0, moc=0.01).toolkit
    np.testing.assert_allclose(tk2.grade_pds["pd_final"],
                               np.minimum(tk2.grade_pds["pd_pit"] + 0.01, 1))


def test_a_significant_fall_of_the_auc_fails_the_model(full):
    from dataclasses import replace

    from creditlab.reports.calibration import ModelValidationError
    from creditlab.reports.calibration_toolkit import analyst_toolkit

    run, _, _ = full
    worse = replace(run, toolkit=analyst_toolkit(run, initial_auc=0.99))
    assert worse.toolkit.auc_change["light"] == "red"
    assert "auc_change" in worse.verdict()
    assert "baisse de l'AUC" in worse.verdict_line()
    with pytest.raises(ModelValidationError, match="auc_change"):
        worse.require_valid()


def test_read_default_rates_refuses_what_it_cannot_read(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text("year,default_rate\n2021,0.02\n2020,0.03\n", encoding="utf-8")
    r = read_default_rates(p)
    assert r["year"].tolist() == [2020, 2021] and r["default_rate"].tolist() == [0.03, 0.02]
    p.write_text("year,default_rate\n2021,2.1\n", encoding="utf-8")
    with pytest.raises(InputError, match="fractions"):
        read_default_rates(p)
    p.write_text("annee,taux\n2021,0.02\n", encoding="utf-8")
    with pytest.raises(InputError, match="year,default_rate"):
        read_default_rates(p)
    p.write_text("year,default_rate\n2021,0.02\n2021,0.03\n", encoding="utf-8")
    with pytest.raises(InputError, match="each year once"):
        read_default_rates(p)
    with pytest.raises(InputError, match="default_rates"):
        read_default_rates(tmp_path / "absent.csv")


def test_read_default_rates_reads_a_french_export_and_checks_a_table(tmp_path):
    """A French export (``;``, decimal comma, cp1252) and a header with spaces read like any
    export; a table passed instead of a file gets the same checks (not a KeyError)."""
    p = tmp_path / "taux.csv"
    p.write_bytes("year;default_rate\n2019;0,021\n2020;0,034\n".encode("cp1252"))
    assert read_default_rates(p)["default_rate"].tolist() == [0.021, 0.034]
    p.write_text("year, default_rate\n2019, 0.021\n", encoding="utf-8")
    assert read_default_rates(p)["year"].tolist() == [2019]
    ok = read_default_rates(pd.DataFrame({"year": [2020, 2019], "default_rate": [0.03, 0.02]}))
    assert ok["year"].tolist() == [2019, 2020]
    with pytest.raises(InputError, match="fractions"):
        read_default_rates(pd.DataFrame({"year": [2019], "default_rate": [2.0]}))
    with pytest.raises(InputError, match="year,default_rate"):
        read_default_rates(pd.DataFrame({"yr": [2019]}))


def test_config_keys_of_the_toolkit(tmp_path):
    from creditlab.config import load_config
    from creditlab.reports.checking import check_config

    path, rates = _panel(tmp_path, n_cust=50)
    cfg = tmp_path / "creditlab.toml"
    cfg.write_text(f'[calibration]\napplications = "{path.name}"\ntarget = "statut"\n'
                   'positive = "bad"\ndate_column = "date"\nid_column = "client"\n'
                   f'initial_auc = 0.8\ndefault_rates = "{rates.name}"\nmoc = 0.002\n',
                   encoding="utf-8")
    sec = load_config(cfg).calibration
    assert sec["default_rates"] == rates and (sec["initial_auc"], sec["moc"]) == (0.8, 0.002)
    s = load_sample(config=cfg)
    assert s.options == {"initial_auc": 0.8, "default_rates": rates, "moc": 0.002}
    assert s.ids is not None and "client" not in s.X.columns
    assert not [p for p in check_config(cfg)[0] if p.startswith("[calibration]")]
    rates.write_text("year,default_rate\n2021,3\n", encoding="utf-8")
    assert any("default_rates" in p for p in check_config(cfg)[0])
    cfg.write_text('[calibration]\ninitial_auc = "high"\n', encoding="utf-8")
    with pytest.raises(InputError, match="initial_auc"):
        load_config(cfg)
    cfg.write_text('[calibration]\nmoc = 2\n', encoding="utf-8")
    with pytest.raises(InputError, match="moc"):
        load_config(cfg)


def test_cli_report_shows_the_toolkit(full, tmp_path):
    from creditlab import cli

    _, path, rates = full
    out = tmp_path / "out"
    assert cli.main(["report", "run", "calibration", "-p", f"dataset={path}",
                     "-p", "target=statut", "-p", "positive=bad", "-p", "date_column=date",
                     "-p", "id_column=client", "-p", "initial_auc=0.8",
                     "-p", f"default_rates={rates}", "-p", "moc=0.002",
                     "--out", str(out)]) == 0
    html = (out / "calibration" / "calibration.html").read_text(encoding="utf-8")
    assert "Boîte à outils de l'analyste bancaire" in html
    assert "Largeur de bande pondérée" in html and "à travers le cycle" in html
    assert "PD avec marge" in html


def test_month_first_dates_are_refused_with_the_reason(tmp_path):
    """US M/D/YYYY dates are never read (some would pass as day-first): the error says so."""
    path = tmp_path / "us.csv"
    pd.DataFrame({"x1": [0.1, 0.2, 0.3, 0.4], "d": ["1/2/2013", "1/26/2013", "2/3/2013",
                                                   "12/30/2013"],
                  "y": [0, 1, 0, 1]}).to_csv(path, index=False)
    with pytest.raises(InputError, match=r"2 unreadable.*month-first \(US M/D/YYYY\)"):
        load_sample(str(path), "y", date_column="d")
    pd.DataFrame({"x1": [0.1, 0.2], "d": ["2013-01-02", "soon"], "y": [0, 1]}).to_csv(
        path, index=False)
    with pytest.raises(InputError, match="fix the dates or drop the rows"):
        load_sample(str(path), "y", date_column="d")
