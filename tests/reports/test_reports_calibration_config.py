"""The calibration report reads its sample from creditlab.toml ([calibration]) like the other
reports read their ledger files (``creditlab report run calibration --config FILE``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creditlab.config import load_config
from creditlab.exceptions import InputError
from creditlab.reports.calibration import load_sample


@pytest.fixture
def configured(tmp_path):
    rng = np.random.default_rng(2)
    n = 500
    x1 = rng.normal(size=n)
    cat = rng.choice(["loyer", "auto", "travaux"], size=n)
    p = 1 / (1 + np.exp(2.0 - 1.5 * x1 - (cat == "auto")))
    status = np.where(rng.random(n) < p, "bad", "good")
    (tmp_path / "data").mkdir()
    pd.DataFrame({"r1": x1, "objet": cat, "statut": status}).to_csv(
        tmp_path / "data" / "demandes.csv", index=False)
    cfg = tmp_path / "creditlab.toml"
    cfg.write_text('[calibration]\napplications = "data/demandes.csv"\ntarget = "statut"\n'
                   'positive = "bad"\n', encoding="utf-8")
    return cfg, status


def test_config_section_read_and_paths_resolved(configured):
    cfg, _ = configured
    sec = load_config(cfg).calibration
    assert sec["applications"] == cfg.parent / "data" / "demandes.csv"
    assert (sec["target"], sec["positive"]) == ("statut", "bad")


def test_unknown_calibration_key_refused(tmp_path):
    cfg = tmp_path / "creditlab.toml"
    cfg.write_text('[calibration]\nfichier = "x.csv"\n', encoding="utf-8")
    with pytest.raises(InputError, match="applications"):
        load_config(cfg)


def test_load_sample_from_the_config_and_arguments_win(configured):
    cfg, status = configured
    s = load_sample(config=cfg)
    assert len(s.y) == 500 and int(s.y.sum()) == int((status == "bad").sum())
    assert "objet" in s.X.columns and "statut" not in s.X.columns
    # an explicit argument wins over the file: the target coded the other way round
    s2 = load_sample(config=cfg, positive="good")
    assert int(s2.y.sum()) == int((status == "good").sum())


def test_cli_report_run_calibration_with_config(configured, tmp_path):
    from creditlab import cli

    cfg, _ = configured
    out = tmp_path / "out"
    assert cli.main(["report", "run", "calibration", "--config", str(cfg), "-p",
                     "allow_red=true", "--out", str(out)]) == 0
    html = (out / "calibration" / "calibration.html").read_text(encoding="utf-8")
    assert "demandes.csv" in html


def test_check_validates_the_calibration_sample(configured):
    """``creditlab check`` reads the [calibration] sample too: a target label absent from the
    file is reported with the other problems, before any scheduled run."""
    from creditlab.reports.checking import check_config

    cfg, _ = configured
    problems, _ = check_config(cfg)
    assert not [p for p in problems if p.startswith("[calibration]")]
    cfg.write_text(cfg.read_text(encoding="utf-8").replace('positive = "bad"', 'positive = "mauvais"'),
                   encoding="utf-8")
    problems, _ = check_config(cfg)
    assert any(p.startswith("[calibration]") and "mauvais" in p for p in problems)
