"""The calibration report end to end through the CLI on data the demo does not hide, as a new
analyst would run it: German credit (text target good/bad, 13 text columns), the Polish year-1
ratios read from the public ARFF file, and the IBM receivables sample for an out-of-time split
with customers followed across periods.

The key check: **the backtest is of the exact exported model** — the exported JSON, scored
independently on the test rows (the same stratified split redone here with scikit-learn), gives
the grade counts and defaults of the report's backtest table.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from creditlab import cli
from creditlab.modeling import load_scorecard, roc_auc

GERMAN = Path(__file__).parents[1] / "modeling" / "data" / "germancredit.csv.gz"


def _run(tmp_path, *params, name="out"):
    out = tmp_path / name
    args = ["report", "run", "calibration"]
    for p in params:
        args += ["-p", p]
    return cli.main([*args, "--out", str(out)]), out / "calibration"


def _cell_outputs(nb_path, needle):
    nb = json.loads(Path(nb_path).read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code"
                and needle in "".join(c["source"]))
    return cell["outputs"]


def _backtest_table(nb_path) -> pd.DataFrame:
    """The report's backtest table (first output of its cell): grade, n, defaults, PD."""
    html = "".join(_cell_outputs(nb_path, "run.backtest_views()")[0]["data"]["text/html"])
    rows = re.findall(r"<tr>\s*<th>(\w+)</th>\s*<td>(\d+)</td>\s*<td>(\d+)</td>\s*"
                      r"<td>[^<]*</td>\s*<td>([\d.]+)</td>", html)
    assert rows, "no backtest table in the report"
    return pd.DataFrame(rows, columns=["grade", "n", "defaults", "pd"]).astype(
        {"n": int, "defaults": int, "pd": float}).set_index("grade")


def _markdown(nb_path, needle) -> list[str]:
    return ["".join(o["data"]["text/markdown"]) for o in _cell_outputs(nb_path, needle)
            if "text/markdown" in o.get("data", {})]


def _check_backtest_is_the_exported_model(folder, X_test, y_test):
    """Score the exported JSON on the test rows; its grades must give the backtest's counts."""
    model = load_scorecard(folder / "scorecard.json")
    applied = model.apply(X_test)
    grades = pd.Series(applied["grade"].to_numpy(), index=X_test.index)
    bt = _backtest_table(folder / "calibration.ipynb")
    n = grades.value_counts().reindex(bt.index, fill_value=0)
    d = pd.Series(y_test.to_numpy(), index=X_test.index).groupby(grades).sum().reindex(
        bt.index, fill_value=0)
    assert n.tolist() == bt["n"].tolist()
    assert d.tolist() == bt["defaults"].tolist()
    return model, applied, bt


def test_german_credit_with_a_portfolio_rate(tmp_path):
    """Text target (-p positive=bad), text columns used, PDs calibrated to 5 %: the backtest
    counts are the exported model's, and the 5 % level is said not to be testable on a 30 %
    sample (the backtest PDs are the exported central PDs without the known shift)."""
    from sklearn.model_selection import train_test_split

    from creditlab.modeling import logit
    from creditlab.modeling._logit import sigmoid

    code, folder = _run(tmp_path, f"dataset={GERMAN}", "target=creditability",
                        "positive=bad", "target_rate=0.05")
    assert code == 0
    raw = pd.read_csv(GERMAN)
    y = (raw["creditability"] == "bad").astype(int)
    X = raw.drop(columns=["creditability"])
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y,
                                                        random_state=0)
    model, applied, bt = _check_backtest_is_the_exported_model(folder, X_test, y_test)
    assert bt["n"].sum() == 300 and bt["defaults"].sum() == 90
    # text variables are in the exported model
    assert any(not pd.api.types.is_numeric_dtype(raw[f]) for f in model.features)
    # the exported PDs are at the portfolio level; the backtest compares them without the shift
    doc = json.loads((folder / "scorecard.json").read_text(encoding="utf-8"))
    shift = doc["calibration"]["shift"]
    assert shift == pytest.approx(float(logit(0.05) - logit(0.3)), abs=1e-9)
    central = pd.Series(doc["master_scale"]["central_pd"], index=doc["master_scale"]["labels"])
    np.testing.assert_allclose(bt["pd"], sigmoid(logit(central[bt.index].to_numpy()) - shift),
                               atol=6e-5)
    assert applied["pd"].mean() < 0.12          # portfolio level, not the sample's 30 %
    top = " ".join(_markdown(folder / "calibration.ipynb", "run.header()"))
    assert "taux du portefeuille (5,00\u00a0%)" in top and "ne peut pas être vérifié" in top
    assert top.startswith("**Validation : le modèle exporté passe ses tests**")
    # discrimination of the exported model on these data (about 0.78 is available)
    assert roc_auc(y_test, applied["pd"]) > 0.74


def test_polish_year_1_from_the_public_arff(external, tmp_path):
    """The Polish year-1 ratios as an analyst gets them (ARFF → CSV, target ``class``)."""
    from scipy.io import arff
    from sklearn.model_selection import train_test_split

    data, _ = arff.loadarff(external / "polish_bankruptcy" / "1year.arff")
    raw = pd.DataFrame(data)
    raw["class"] = raw["class"].str.decode("ascii").astype(int)
    path = tmp_path / "polish_1.csv"
    raw.to_csv(path, index=False)
    code, folder = _run(tmp_path, f"dataset={path}", "target=class")
    assert code == 0
    X = raw.drop(columns=["class"]).replace([np.inf, -np.inf], np.nan)
    _, X_test, _, y_test = train_test_split(X, raw["class"], test_size=0.3,
                                            stratify=raw["class"], random_state=0)
    _, applied, bt = _check_backtest_is_the_exported_model(folder, X_test, y_test)
    assert bt["defaults"].sum() == int(y_test.sum())
    assert roc_auc(y_test, applied["pd"]) > 0.85


def test_ibm_sample_out_of_time_exit_code_follows_the_verdict(external, tmp_path):
    """A date column (out-of-time test) and the customer followed across periods (migration
    matrix). US month-first dates are refused, not misread; once written ISO, the command's
    exit code follows the verdict at the top of the report."""
    src = external / "ibm_accounts_receivable" / "WA_Fn-UseC_-Accounts-Receivable.csv"
    if not src.exists():
        pytest.skip("IBM accounts-receivable sample absent")
    ar = pd.read_csv(src, dtype={"invoiceNumber": str, "customerID": str})
    ar["late"] = (ar["DaysLate"] > 0).astype(int)
    keep = ["customerID", "countryCode", "InvoiceDate", "InvoiceAmount", "Disputed",
            "PaperlessBill", "late"]          # not the settlement columns (they give the answer)
    us = tmp_path / "ar_us.csv"
    ar[keep].to_csv(us, index=False)
    base = ["target=late", "date_column=InvoiceDate", "id_column=customerID"]
    code, _ = _run(tmp_path, f"dataset={us}", *base, name="us")
    assert code != 0                          # 13/2/2013 is not a day-first date
    iso = tmp_path / "ar.csv"
    ar[keep].assign(InvoiceDate=pd.to_datetime(ar["InvoiceDate"], format="%m/%d/%Y")
                    .dt.strftime("%Y-%m-%d")).to_csv(iso, index=False)
    code, folder = _run(tmp_path, f"dataset={iso}", *base, "initial_auc=0.75",
                        "allow_red=true", name="allowed")
    assert code == 0
    nb = folder / "calibration.ipynb"
    top = _markdown(nb, "run.header()")
    assert top[1].startswith("Test hors période : les observations datées à partir du")
    toolkit = " ".join(_markdown(nb, "run.toolkit.views()"))
    assert "**Migrations de classe** de 100 clients" in toolkit
    assert "Largeur de bande pondérée (MWB, BCE)" in toolkit
    assert "**Variation de l'AUC** (BCE) : AUC initiale 0,7500" in toolkit
    failed = top[0].startswith("**⚠ Le modèle exporté échoue")
    assert failed or top[0].startswith("**Validation : le modèle exporté passe")
    code, _ = _run(tmp_path, f"dataset={iso}", *base, "initial_auc=0.75", name="strict")
    assert code == (1 if failed else 0)
