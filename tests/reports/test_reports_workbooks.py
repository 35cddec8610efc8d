"""The dashboard tables and the dunning list as formatted workbooks, read back with openpyxl;
the dunning list as a French CSV."""

from __future__ import annotations

import dataclasses

import openpyxl
import pandas as pd
import pytest

from creditlab.reports import load_inputs
from creditlab.reports.workbook import EXCEL_FORMATS, write_dashboard_files

MONEY = EXCEL_FORMATS["money"]


def _header(ws) -> list:
    return [c.value for c in ws[1]]


def _column(ws, title):
    j = _header(ws).index(title) + 1
    return [row[0].value for row in ws.iter_rows(min_row=2, min_col=j, max_col=j)]


def _no_formula(book) -> None:
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "@")), cell.value


def _layout(ws, n_rows: int) -> None:
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref.startswith("A1:") and ws.auto_filter.ref.endswith(str(n_rows + 1))
    assert all(c.font.bold for c in ws[1])
    assert all(ws.column_dimensions[c.column_letter].width >= 10 for c in ws[1])


@pytest.fixture(scope="module")
def demo():
    return load_inputs()


def test_dashboard_workbook(demo, tmp_path):
    from creditlab.reports.dashboard import build_dashboard

    dash = build_dashboard(demo, "fr", check=False)
    paths = write_dashboard_files(dash, tmp_path)
    assert paths[-1].name == "tableau_de_bord.xlsx"
    assert {p.name for p in paths[:-1]} >= {"kpi_historique.csv", "risques_clients.csv"}
    book = openpyxl.load_workbook(paths[-1])
    assert book.sheetnames[:5] == ["Indicateurs mensuels", "Risques clients",
                                   "Commandes bloquées", "Litiges par motif", "Surveillance"]
    assert book.sheetnames[-1] == "Colonnes"
    kpi = book["Indicateurs mensuels"]
    _layout(kpi, len(dash.history))
    assert _header(kpi)[:3] == ["fin de mois", "Encours clients TTC", "Non échu TTC"]
    assert kpi["A2"].number_format == "DD/MM/YYYY" and kpi["A2"].value.hour == 0
    assert kpi["B2"].number_format == MONEY
    cei = _header(kpi).index("CEI mensuel") + 1
    assert kpi.cell(2, cei).number_format == "0.0%" and 0 < kpi.cell(2, cei).value < 1
    expo = book["Risques clients"]
    _layout(expo, len(dash.exposure.by_customer))
    assert _header(expo)[:3] == ["code client", "raison sociale", "encours ouvert"]
    assert expo["B2"].value == "Outillage Dumont SAS"        # the name beside the code
    assert expo["C2"].number_format == MONEY
    assert set(_column(expo, "en dépassement")[:-1]) <= {"Oui", "Non"}
    total = expo.cell(expo.max_row, 1)
    assert total.value == "Total" and total.font.bold
    risk = _header(expo).index("risque net") + 1
    assert expo.cell(expo.max_row, risk).value == pytest.approx(
        dash.exposure.by_customer["net_exposure"].sum())
    causes = book["Litiges par motif"]
    assert _header(causes)[:2] == ["motif du litige", "litiges ouverts"]
    assert set(_column(causes, "motif du litige")[:-1]) <= {
        "prix", "quantité", "qualité", "livraison", "administratif"}
    assert causes["F2"].number_format == MONEY                  # the "0-30 j" amounts
    helps = book["Colonnes"]
    assert _header(helps) == ["feuille", "colonne", "définition", "contenu"]
    assert ["Risques clients", "encours ouvert", "Factures ouvertes du client, avoirs déduits.",
            "montant en euros TTC, au centime"] in [
        [c.value for c in row] for row in helps.iter_rows(min_row=2)]
    rows = {(r[0], r[1]): r[3] for r in helps.iter_rows(min_row=2, values_only=True)}
    assert rows[("Indicateurs mensuels", "CA HT du mois")] == "montant en euros HT, au centime"
    _no_formula(book)


def test_dunning_list_csv_and_workbook(demo, tmp_path):
    from creditlab.reports.dunning import build_dunning_report

    report = build_dunning_report(demo, check=False)
    report.write(tmp_path, pdf="no")
    csv = pd.read_csv(tmp_path / "plan_relances.csv", sep=";", decimal=",",
                      encoding="utf-8-sig", dtype={"code client": str})
    assert len(csv) == len(report.actions)
    assert list(csv.columns[:4]) == ["n° d'action", "code client", "raison sociale", "scénario"]
    assert csv["montant net"].sum() == pytest.approx(report.actions["net_amount"].sum(), abs=0.01)
    assert "registered_letter" not in set(csv["canal"])            # words, not codes
    assert set(csv["scénario"]) <= {"Grands comptes", "PME fiables", "Clients à risque",
                                   "Nouveaux clients"}
    raw = (tmp_path / "plan_relances.csv").read_text(encoding="utf-8-sig")
    assert "False" not in raw and "True" not in raw
    book = openpyxl.load_workbook(tmp_path / "plan_relances.xlsx")
    assert book.sheetnames == ["Actions du jour", "Factures relancées", "Litiges bloquants",
                               "Dossiers à escalader", "Colonnes"]
    acts = book["Actions du jour"]
    _layout(acts, len(report.actions))
    net = _header(acts).index("montant net") + 1
    assert acts.cell(2, net).number_format == MONEY
    assert acts.cell(acts.max_row, net).value == pytest.approx(
        report.actions["net_amount"].sum())
    inv = book["Factures relancées"]
    due = _header(inv).index("échéance") + 1
    assert inv.cell(2, due).number_format == "DD/MM/YYYY"
    blocked = book["Litiges bloquants"]
    assert set(_column(blocked, "motif du litige")[:-1]) <= {
        "prix", "quantité", "qualité", "livraison", "administratif"}
    _no_formula(book)


def test_dunning_list_neutralises_formulas_and_english_csv(tmp_path):
    from creditlab.dunning import load_policy
    from creditlab.reports.dunning import build_dunning_report

    inv, pay, cus = (tmp_path / n for n in ("i.csv", "p.csv", "c.csv"))
    inv.write_text("invoice_id;customer_id;doc_type;issue_date;due_date;amount_ttc;amount_ht\n"
                   "F1;C1;invoice;2025-01-01;2025-01-31;5000;4166.67\n", encoding="utf-8")
    pay.write_text("payment_id;customer_id;payment_date;amount;invoice_id\n"
                   "R0;C1;2025-03-05;0.01;\n", encoding="utf-8")
    cus.write_text("customer_id;name;sector;size_class;segment;payment_terms\n"
                   "C1;=HYPERLINK(\"http://x\");industrie;pme;PME;net_30\n", encoding="utf-8")
    inputs = load_inputs("2025-03-31", invoices=str(inv), payments=str(pay), customers=str(cus))
    policy = dataclasses.replace(load_policy(), sender={"name": "Dupont SAS",
                                                        "address": "1 rue X\n69002 Lyon",
                                                        "email": "c@dupont.fr"})
    report = build_dunning_report(inputs, promises=None, policy=policy)
    report.write(tmp_path / "fr", pdf="no")
    book = openpyxl.load_workbook(tmp_path / "fr" / "plan_relances.xlsx")
    _no_formula(book)
    assert book["Actions du jour"]["C2"].value == "'=HYPERLINK(\"http://x\")"
    en = build_dunning_report(inputs, promises=None, policy=policy, lang="en")
    en.write(tmp_path / "en", pdf="no")
    csv = (tmp_path / "en" / "dunning_plan.csv").read_text(encoding="utf-8")
    head, first = csv.splitlines()[:2]
    assert head.startswith("action id,customer id,name,scenario")
    assert ',"\'=HYPERLINK' in first
    assert (tmp_path / "en" / "dunning_plan.xlsx").is_file()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_workbook_column_has_a_definition(demo, tmp_path, lang):
    """The "Colonnes" sheet of the three workbooks defines every column of every sheet in one
    sentence of the run's language (not the column's kind, not its code)."""
    from creditlab.reports.aged import build_aged_report
    from creditlab.reports.dashboard import build_dashboard
    from creditlab.reports.dunning import build_dunning_report

    build_aged_report(demo, lang=lang, check=False).write(tmp_path)
    write_dashboard_files(build_dashboard(demo, lang, check=False), tmp_path)
    build_dunning_report(demo, lang=lang, check=False).write(tmp_path, pdf="no")
    books = sorted(tmp_path.glob("*.xlsx"))
    assert len(books) == 3
    kinds = {"montant en euros TTC, au centime", "amount in euros incl. VAT, to the cent",
             "texte", "text", "nombre entier", "whole number"}
    for path in books:
        book = openpyxl.load_workbook(path)
        helps = book.worksheets[-1]
        assert helps.title == ("Colonnes" if lang == "fr" else "Columns")
        defined = {(r[0], r[1]): r[2] for r in helps.iter_rows(min_row=2, values_only=True)}
        for ws in book.worksheets[:-1]:
            for column in _header(ws):
                definition = defined.get((ws.title, column))
                assert definition, (path.name, ws.title, column)
                assert definition.endswith(".") and len(definition.split()) >= 3, definition
                assert definition not in kinds and "_" not in definition, definition
        if lang == "en":
            assert not any("é" in d for d in defined.values())
        if path.name == "aged_balance.xlsx":   # same words, two columns: amounts vs yes/no
            first, last = book.sheetnames[0], book.sheetnames[3]
            word = "litiges" if lang == "fr" else "disputed"
            assert defined[(first, word)].startswith(("Montant ouvert", "Open amount"))
            assert defined[(last, "litige" if lang == "fr" else "disputed")].startswith(
                ("Oui", "Yes"))


def test_column_definition_lookup():
    from creditlab.reports.tables import column_definition

    assert column_definition("net_exposure") == "Risque net : risque brut moins les garanties."
    assert column_definition("net_exposure", "en").startswith("Net exposure")
    assert column_definition("encours ouvert") is None   # words are not guessed
    assert column_definition("31-60 j") == column_definition("31-60 d", "fr")
    assert "31 à 60 jours" in column_definition("31-60 j")
    assert "more than 90 days" in column_definition("> 90 d", "en")
    assert column_definition("a user's own column") is None
    assert column_definition(("a", "tuple")) is None


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_disputes_by_cause_csv_in_words(demo, tmp_path, lang):
    """The dashboard's disputes-by-cause CSV names the causes in the run's language, as its
    workbook does (it kept the codes)."""
    from creditlab.labels import text
    from creditlab.reports.dashboard import build_dashboard

    dash = build_dashboard(demo, lang, check=False)
    write_dashboard_files(dash, tmp_path)
    codes = list(dash.ageing.index)
    assert {"price", "quality"} <= set(codes)
    if lang == "fr":
        csv = pd.read_csv(tmp_path / "litiges_par_motif.csv", sep=";", decimal=",",
                          encoding="utf-8-sig")
        assert csv.columns[0] == "motif du litige"
        assert {"prix", "qualité"} <= set(csv["motif du litige"])
        assert not set(csv["motif du litige"]) & {"price", "quality", "delivery"}
    else:
        csv = pd.read_csv(tmp_path / "disputes_by_cause.csv")
        assert csv.columns[0] == "dispute cause"
    assert list(csv.iloc[:, 0]) == [text(f"dispute_cause.{c}", lang) for c in codes]
    assert csv.iloc[:, 1].sum() == dash.ageing["n_open"].sum()


def test_dashboard_csv_headers_in_words(demo, tmp_path):
    """No code left in the dashboard CSVs' headers (the proposed limits' caps, the KPI
    history's month end were written as codes)."""
    import re

    from creditlab.reports.dashboard import build_dashboard

    for lang in ("fr", "en"):
        paths = write_dashboard_files(build_dashboard(demo, lang, check=False), tmp_path / lang)
        for path in paths[:-1]:
            head = path.read_text(encoding="utf-8-sig").splitlines()[0]
            codes = [h for h in re.split("[;,]", head) if re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+",
                                                                      h.strip('"'))]
            assert codes == [], (path.name, codes)
    head = (tmp_path / "fr" / "limites_proposees.csv").read_text(encoding="utf-8-sig")
    assert "plafond fonds propres" in head.splitlines()[0]
    assert (tmp_path / "fr" / "kpi_historique.csv").read_text(
        encoding="utf-8-sig").startswith("fin de mois;")


def test_dashboard_csv_dates_and_ages_as_the_report_shows_them(demo, tmp_path):
    """French CSVs carry French dates (31/12/2025) and the disputes' ages in whole days, as the
    page shows them (45.5 days was written 45,5); the English CSVs keep ISO dates."""
    import re

    from creditlab.reports.dashboard import build_dashboard

    dash = build_dashboard(demo, "fr", check=False)
    write_dashboard_files(dash, tmp_path / "fr")
    hist = (tmp_path / "fr" / "kpi_historique.csv").read_text(encoding="utf-8-sig").splitlines()
    first = hist[1].split(";")[0]
    month_end = dash.history.index[0]
    assert first == month_end.strftime("%d/%m/%Y")
    assert all(re.fullmatch(r"\d{2}/\d{2}/\d{4}", r.split(";")[0]) for r in hist[1:])
    ages = pd.read_csv(tmp_path / "fr" / "litiges_par_motif.csv", sep=";", decimal=",",
                       encoding="utf-8-sig", dtype=str)
    col = "âge moyen (jours)" if "âge moyen (jours)" in ages.columns else [
        c for c in ages.columns if "moyen" in c][0]
    expected = [f"{v:.0f}" for v in dash.ageing["avg_age_days"]]
    assert ages[col].tolist() == expected  # the page's f"{v:.0f}", not 45,5
    assert dash.ageing["avg_age_days"].round(0).ne(dash.ageing["avg_age_days"]).any()
    en = build_dashboard(demo, "en", check=False)
    write_dashboard_files(en, tmp_path / "en")
    row = (tmp_path / "en" / "kpi_history.csv").read_text(encoding="utf-8").splitlines()[1]
    assert row.split(",")[0] == month_end.strftime("%Y-%m-%d")
