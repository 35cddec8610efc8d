"""The aged-balance report's package functions on a small known ledger (no notebook run)."""

from __future__ import annotations

import pandas as pd
import pytest

from creditlab import cli
from creditlab.reports import load_inputs
from creditlab.reports.aged import build_aged_report

# the same ledger as test_reports_aged_balance: at 30/06/2024, C1: F1 1 000 open 107 days late,
# F2 600 not due; C2: F3 360 disputed (cause Prix, read as the code price), F4 480 51 days late, AV1 −120 and R9 −300
# unallocated in 1-30 j
INVOICES = (
    "N° facture;Code client;Type;Date facture;Date d'échéance;Montant TTC;Montant HT;Litige;"
    "Motif litige\n"
    "F1;C1;Facture;15/01/2024;15/03/2024;1 200,00;1 000,00;non;\n"
    "F2;C1;Facture;01/06/2024;31/07/2024;600,00;500,00;non;\n"
    "F3;C2;Facture;01/05/2024;31/05/2024;360,00;300,00;oui;Prix\n"
    "AV1;C2;Avoir;10/06/2024;10/06/2024;-120,00;-100,00;non;\n"
    "F4;C2;Facture;10/04/2024;10/05/2024;480,00;400,00;non;\n"
)
PAYMENTS = ("N° règlement;Code client;Date règlement;Montant;N° facture\n"
            "R1;C1;01/04/2024;200,00;F1\n"
            "R9;C2;20/06/2024;300,00;\n")


@pytest.fixture
def files(tmp_path):
    inv, pay = tmp_path / "factures.csv", tmp_path / "reglements.csv"
    inv.write_bytes(INVOICES.encode("cp1252"))
    pay.write_bytes(PAYMENTS.encode("cp1252"))
    return str(inv), str(pay)


def test_aged_report_known_answer(files, tmp_path):
    inv, pay = files
    report = build_aged_report(load_inputs("2024-06-30", invoices=inv, payments=pay))
    assert report.total == 2020.0
    assert report.past_due == 1000.0 + 480.0 - 420.0   # disputes excluded, credits aged
    assert report.disputed_amount == 360.0
    d = report.disputed
    assert d["invoice_id"].tolist() == ["F3"] and d["cause"].tolist() == ["price"]
    assert list(d.columns) == ["customer_id", "invoice_id", "due_date", "days_past_due",
                               "open_amount", "cause"]
    assert report.top(10).index.tolist() == ["C1", "C2"]
    assert report.data_line() == ("factures.csv : 5 pièces, 2 lignes de règlement, "
                                  "arrêté au 30/06/2024")
    assert report.disputed_line() == "1 pièces en litige pour 360,00\xa0€"
    head = report.headline().data
    assert head.startswith("**Encours net au 30/06/2024 : 2\u202f020,00\xa0€** sur 2 clients")
    assert "échu hors litiges : 1\u202f060,00\xa0€ (52,5\xa0%)" in head
    paths = report.write(tmp_path)
    assert [p.name for p in paths] == ["aged_balance.csv", "aged_balance.xlsx"]
    sheets = pd.read_excel(paths[1], sheet_name=None)
    assert list(sheets) == ["balance", "retards", "litiges", "détail", "Colonnes"]
    assert sheets["litiges"].iloc[0].tolist()[1:2] == ["F3"]
    assert sheets["litiges"].iloc[0].tolist()[-1] == "price"
    assert sheets["balance"].iloc[-1].tolist()[-1] == 2020.0


def test_aged_report_in_english_and_grouped(files, demo):
    inv, pay = files
    report = build_aged_report(load_inputs("2024-06-30", invoices=inv, payments=pay),
                               lang="en")
    assert report.data_line() == "factures.csv: 5 documents, 2 payment lines, as of 2024-06-30"
    assert report.column_words()["open_amount"] == "open amount"
    # grouped by segment on the demo: the by-customer balance is computed separately
    by_segment = build_aged_report(load_inputs(), by="segment")
    assert by_segment.aged.by == ("segment",) and by_segment.by_customer.by == ("customer_id",)
    assert abs(by_segment.by_customer.totals[by_segment.by_customer.total_column]
               - by_segment.total) < 0.01


def test_cli_user_files_without_as_of_exit_1(files, tmp_path, capsys):
    inv, pay = files
    out = tmp_path / "out"
    code = cli.main(["report", "run", "aged_balance", "-p", f"invoices={inv}",
                     "-p", f"payments={pay}", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert "as_of" in err and "-p as_of=YYYY-MM-DD" in err
    assert not (out / "aged_balance").exists()          # nothing published
    assert (out / "aged_balance.failed.ipynb").is_file()
