"""Exports shaped like the common French tools, each with its creditlab.toml, through
``creditlab check`` and the scheduled reports (issue 13, point 7).

Each folder holds a small export and the configuration a user would write for it: Sage
(cp1252, ``;``, French codes), Cegid (open items with their remaining amount, ``|``), EBP
(UTF-8 with BOM, two-digit years, a settlement date per invoice), Odoo (English headers, ISO
dates, ``2,350.75``), SAP FBL5N (``01.10.2025``, ``1.190,00``, trailing minus, clearing date),
an Excel workbook with title rows, and a FEC. The open balances are computed by hand below,
document by document, and for the FEC independently from its raw lines.
"""

from __future__ import annotations

import csv
import io
import warnings
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pandas as pd
import pytest

from creditlab.cli import main
from creditlab.config import init_config, load_config
from creditlab.reports import load_inputs
from creditlab.reports.checking import check_config

HERE = Path(__file__).parent
AS_OF = "31/12/2025"

#: Open amount per document at 31/12/2025, by hand from each file.
EXPECTED = {
    # FA2501 1 200 paid by RG01; FA2502 3 480,50 − RG02 1 000; FA2503 open; AV2501 (no
    # invoice named) stays a credit line of its own
    "sage": {"FA2502": 2480.50, "FA2503": 960.00, "AV2501": -480.50},
    # the "Solde" column: C-1004 settled (0,00)
    "cegid": {"C-1001": 500.00, "C-1002": 750.00, "C-1003": 1250.00},
    # F00045 settled on 28/11/25; the others open (A00012 negative: a credit note)
    "ebp": {"F00046": 2160.00, "F00047": 720.00, "A00012": -240.00},
    # "Amount Due": INV/2025/00101 paid; the refund open
    "odoo": {"INV/2025/00102": 2350.75, "INV/2025/00103": 399.99, "RINV/2025/00007": -99.99},
    # 1800000123 cleared on 15.11.2025; 119,00- is a credit memo (DG)
    "sap": {"1800000124": 2380.00, "1800000125": 595.00, "1600000011": -119.00},
    # "Reste à payer"; F-9003 paid
    "excel": {"F-9001": 1800.00, "F-9002": 120.50},
    # FV101 lettered with VIR1, FV102 + AV11 with VIR2; VIR3 (not lettered) on account
    "fec": {"FV103": 3600.00, "R18": -1000.00},  # cash on account named by its FEC line
}
EXPORTS = sorted(EXPECTED)


def _config(name: str) -> Path:
    return HERE / name / "creditlab.toml"


def _fec_balance(path: Path) -> float:
    """Independent: Σ debit − credit of the 411/416 lines, read with the csv module."""
    total = 0.0
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["CompteNum"].startswith(("411", "416")):
                total += float(row["Debit"].replace(",", ".")) - float(
                    row["Credit"].replace(",", "."))
    return round(total, 2)


def _run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rc = main(list(argv))
    return rc, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("name", EXPORTS)
def test_check_then_open_items_match_the_hand_computation(name):
    rc, out, err = _run_cli("check", "--config", str(_config(name)), "--as-of", AS_OF)
    assert rc == 0, err
    total = sum(EXPECTED[name].values())
    assert f"open balance {total:,.2f} EUR" in out
    inputs = load_inputs(AS_OF, config=_config(name))
    got = inputs.items.items.set_index("invoice_id")["open_amount"].round(2).to_dict()
    assert got == pytest.approx(EXPECTED[name])
    if name == "fec":
        assert total == _fec_balance(HERE / "fec" / "123456789FEC20251231.txt")


@pytest.mark.parametrize("name", EXPORTS)
def test_aged_balance_dashboard_and_dunning_agree(name):
    from creditlab.reports.aged import build_aged_report
    from creditlab.reports.dashboard import build_dashboard
    from creditlab.reports.dunning import build_dunning_report

    inputs = load_inputs(AS_OF, config=_config(name))
    total = sum(EXPECTED[name].values())
    aged = build_aged_report(inputs)
    assert aged.total == pytest.approx(total)
    dash = build_dashboard(inputs)  # short histories (a few months) included
    assert dash.aged.totals[dash.aged.total_column] == pytest.approx(total)
    assert dash.history.iloc[-1]["receivables_ttc"] == pytest.approx(total)
    dunning = build_dunning_report(inputs, promises=None)
    assert dunning.items["open_amount"].sum() == pytest.approx(total)


def test_configuration_details():
    sage = load_config(_config("sage"))
    assert sage.company["name"] == "Exemple Sage SAS"
    assert sage.formats_for("invoices") == {"encoding": "cp1252"}
    fec = load_config(_config("fec"))
    assert fec.fec_terms_days == 45 and fec.inputs["fec"].name.startswith("123456789FEC")
    items = load_inputs(AS_OF, config=_config("fec")).items.items.set_index("invoice_id")
    # due = issue + 45 days (the terms), the FEC having no due date
    assert items.loc["FV103", "due_date"] == pd.Timestamp("2025-12-01") + pd.Timedelta(days=45)


def test_check_lists_every_problem_with_its_fix(tmp_path):
    cfg = init_config(tmp_path)
    text = cfg.read_text(encoding="utf-8")
    assert "[company]" in text and "raison sociale" in text and "[formats]" in text
    (tmp_path / "factures.csv").write_text(
        "invoice_id;customer_id;issue_date;due_date;amount_ttc\n"
        "F1;C1;03/05/2025;04/06/2025;1.234\n", encoding="utf-8")
    rc, out, err = _run_cli("check", "--config", str(cfg), "--as-of", "2025-06-30")
    assert rc == 1 and out == ""
    # both problems at once: the ambiguous number of the invoices, the missing payments file
    assert "'1.234'" in err and 'thousands = "."' in err
    assert "reglements.csv" in err and "file not found" in err
    assert "2 problem(s)" in err
    problems, _ = check_config(cfg)
    assert len(problems) == 2
    rc, _, err = _run_cli("init", str(tmp_path))
    assert rc == 1 and "creditlab.toml" in err
    rc, _, err = _run_cli("check", "--config", str(tmp_path / "absent.toml"))
    assert rc == 1 and "absent.toml" in err


@pytest.mark.parametrize("name,report", [("sage", "aged_balance"), ("sap", "aged_balance"),
                                         ("fec", "aged_balance"), ("sage", "credit_dashboard"),
                                         ("fec", "dunning")])
def test_scheduled_run_from_the_configuration(name, report, tmp_path):
    # what the cron line runs: creditlab report run NAME --config FILE --as-of DATE
    rc, out, err = _run_cli("report", "run", report, "--config", str(_config(name)),
                            "--as-of", AS_OF, "--out", str(tmp_path))
    assert rc == 0, err
    html = Path(out.strip()).read_text(encoding="utf-8")
    if report == "aged_balance":
        total = f"{sum(EXPECTED[name].values()):,.2f}".replace(",", "\u202f").replace(".", ",")
        assert f"Encours net au 31/12/2025 : {total}" in html
    if report == "dunning":
        # the letters carry the configuration's [company] letterhead, not the example one
        # (this FEC has no action due at the date: the run passes the letterhead check)
        for letter in tmp_path.rglob("lettres/*.html"):
            page = letter.read_text(encoding="utf-8")
            assert "Ateliers Test Cron SAS" in page and "Votre société SAS" not in page
    # a date far from the documents is refused, with the fix
    rc, _, err = _run_cli("report", "run", report, "--config", str(_config(name)),
                          "--as-of", "2026-06-30", "--out", str(tmp_path / "late"))
    assert rc == 1 and "force_as_of" in err
