"""The files a report writes for a person: formatted workbooks and CSV in the reader's language."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest

from creditlab.reports.common import write_csv, write_csvs
from creditlab.reports.workbook import EXCEL_FORMATS, Sheet, write_workbook


@pytest.fixture
def frame():
    return pd.DataFrame({
        "client": ["C1", "=HYPERLINK(\"x\")", "C3"],
        "montant": [1234.5, -12.345, 0.1 + 0.2],
        "part": [0.4171, 0.125, 1.0],
        "jours": [3, 45, 120],
        "échéance": pd.to_datetime(["2025-01-31", "2025-02-28", "2025-12-31"]),
    })


def test_workbook_formats_totals_and_help_sheet(frame, tmp_path):
    path = write_workbook(tmp_path / "x.xlsx", [
        Sheet("détail", frame, money=("montant",), pct=("part",), ints=("jours",), totals=True,
              notes={"client": "code du client"})], "fr")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["détail", "Colonnes"]
    ws = book["détail"]
    assert [c.value for c in ws[1]] == list(frame.columns)
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:E4"
    assert ws["B2"].value == 1234.5 and ws["B2"].number_format == EXCEL_FORMATS["money"]
    assert ws["C3"].number_format == "0.0%" and ws["D3"].number_format == "#,##0"
    assert ws["E2"].value == dt.datetime(2025, 1, 31) and ws["E2"].number_format == "DD/MM/YYYY"
    assert ws["A3"].value == "'=HYPERLINK(\"x\")" and ws["A3"].data_type == "s"
    # the totals row: values, not formulas; money and whole numbers summed, shares not
    assert [c.value for c in ws[5]][:4] == ["Total", pytest.approx(1234.5 - 12.345 + 0.3),
                                            None, 168]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert ws.column_dimensions["A"].width >= len('=HYPERLINK("x")')
    help_rows = [[c.value for c in r] for r in book["Colonnes"].iter_rows()]
    assert help_rows[0] == ["feuille", "colonne", "définition", "contenu"]
    assert help_rows[1] == ["détail", "client", "code du client", "texte"]
    # words of the user's own are not guessed a definition ("part" of what?)
    assert help_rows[2][2:] == [None, "montant en euros TTC, au centime"]
    assert help_rows[3][2:] == [None, "part en pourcentage"]


def test_workbook_in_english(frame, tmp_path):
    book = openpyxl.load_workbook(write_workbook(tmp_path / "x.xlsx",
                                                 [Sheet("detail", frame, money=("montant",))],
                                                 "en"))
    assert book.sheetnames == ["detail", "Columns"]


def test_csv_french_convention_rounded(tmp_path):
    df = pd.DataFrame({"encours": [33412871.850000046, -1558.755], "part": [0.41716, 0.125],
                       "nom": ["-Dupont", "-12,5"]})
    text = write_csv(df, tmp_path / "f.csv", "fr", index=False, money=["encours"]) \
        .read_text(encoding="utf-8-sig")
    assert text.splitlines() == ["encours;part;nom", "33412871,85;0,4172;'-Dupont",
                                 "-1558,76;0,125;-12,5"]
    en = write_csv(df, tmp_path / "e.csv", "en", index=False, money=["encours"]) \
        .read_text(encoding="utf-8")
    assert en.splitlines()[1] == "33412871.85,0.4172,'-Dupont"


def test_csv_dates_french_day_first_english_iso(tmp_path):
    df = pd.DataFrame({"due": pd.to_datetime(["2025-01-31", None])},
                      index=pd.DatetimeIndex(["2025-12-31", "2026-01-31"], name="month_end"))
    fr = write_csv(df, tmp_path / "f.csv", "fr").read_text(encoding="utf-8-sig").splitlines()
    assert fr[1:] == ["31/12/2025;31/01/2025", "31/01/2026;"]
    en = write_csv(df, tmp_path / "e.csv", "en").read_text(encoding="utf-8").splitlines()
    assert en[1:] == ["2025-12-31,2025-01-31", "2026-01-31,"]


def test_tables_csv_days_rounded_as_shown(tmp_path):
    """A KPI in days keeps one decimal (kpi_format), another count of days whole days."""
    from creditlab.reports.workbook import write_tables

    df = pd.DataFrame({"dso_simple": [45.26, 12.0], "avg_age_days": [45.5, 3.2]},
                      index=pd.Index(["a", "b"], name="customer_id"))
    paths = write_tables({"report_file_customer_exposure": df}, tmp_path, "fr",
                         workbook="report_file_dashboard_xlsx")
    rows = paths[0].read_text(encoding="utf-8-sig").splitlines()
    assert [r.split(";")[1:] for r in rows[1:]] == [["45,3", "46"], ["12,0", "3"]]


def test_csvs_headers_in_words(tmp_path):
    df = pd.DataFrame({"customer_id": ["C1"], "net_exposure": [10.004], "over_limit": [True]})
    labels = {"over_limit": {"fr": "en dépassement", "en": "over limit"}}
    (fr,) = write_csvs({"report_file_customer_exposure": df}, tmp_path, "fr", labels=labels)
    assert fr.name == "risques_clients.csv"
    head, row = fr.read_text(encoding="utf-8-sig").splitlines()[:2]
    assert head == "code client;net_exposure;en dépassement"  # unknown names kept
    assert row == "C1;10,0;oui"  # to the cent (money by its name), words for True
    (en,) = write_csvs({"report_file_customer_exposure": df}, tmp_path, "en", labels=labels)
    assert en.name == "customer_exposure.csv"
    assert en.read_text().splitlines()[1].endswith(",yes")
