"""load_inputs: the one input-loading policy of the reports (demo, or user files with as_of)."""

from __future__ import annotations

import pandas as pd
import pytest

from creditlab.exceptions import InputError
from creditlab.receivables import Ledger, OpenItems
from creditlab.reports import empty_table, load_inputs
from creditlab.reports.common import (
    dispute_causes,
    format_count,
    open_disputes,
    parse_buckets,
    write_csv,
)

INVOICES = ("N° facture;Code client;Type;Date facture;Date d'échéance;Montant TTC;Montant HT\n"
            "F1;C1;Facture;15/01/2024;15/03/2024;1 200,00;1 000,00\n"
            "F2;C1;Facture;01/06/2024;31/07/2024;600,00;500,00\n"
            "F3;C2;Facture;01/07/2024;31/07/2024;360,00;300,00\n")
PAYMENTS = ("N° règlement;Code client;Date règlement;Montant;N° facture\n"
            "R1;C1;01/04/2024;200,00;F1\n")


@pytest.fixture
def files(tmp_path):
    inv, pay = tmp_path / "factures.csv", tmp_path / "reglements.csv"
    inv.write_bytes(INVOICES.encode("cp1252"))
    pay.write_bytes(PAYMENTS.encode("cp1252"))
    return str(inv), str(pay)


def test_user_files_known_answer(files):
    inv, pay = files
    got = load_inputs("30/06/2024", invoices=inv, payments=pay, customers=None)
    assert got.as_of == pd.Timestamp("2024-06-30") and not got.is_demo
    assert got.source == "factures.csv" and got.source_label("en") == "factures.csv"
    assert isinstance(got.ledger, Ledger) and isinstance(got.items, OpenItems)
    assert got.items.as_of == got.as_of
    # F1 1 200 − 200 paid, F2 600 open; F3 issued after the date is not there
    open_ = got.items.items.set_index("invoice_id")["open_amount"].to_dict()
    assert open_ == {"F1": 1000.0, "F2": 600.0}
    assert set(got.tables) == {"invoices", "payments"}
    assert got.get("customers") is None
    assert list(got.table("orders").columns)[:2] == list(empty_table("orders").columns)[:2]
    assert got.table("orders").empty
    with pytest.raises(TypeError):
        got.tables["customers"] = pd.DataFrame()  # read-only mapping


def test_user_files_require_as_of_never_the_demo_date(files):
    inv, pay = files
    with pytest.raises(InputError, match=r"as_of.*-p as_of=YYYY-MM-DD.*demo's date is never"):
        load_inputs(None, invoices=inv, payments=pay)
    with pytest.raises(InputError, match=r"as_of: expected a real calendar date.*'2024-13-01'"):
        load_inputs("2024-13-01", invoices=inv, payments=pay)
    with pytest.raises(InputError, match="payments"):
        load_inputs("2024-06-30", invoices=inv)
    with pytest.raises(InputError, match="invoices"):
        load_inputs("2024-06-30", payments=pay)
    with pytest.raises(InputError, match="absent.csv"):
        load_inputs("2024-06-30", invoices=inv, payments=pay, customers="absent.csv")
    with pytest.raises(InputError, match="input tables"):
        load_inputs("2024-06-30", invoices=inv, payments=pay, invoice=inv)


def test_demo_defaults_to_its_date_and_accepts_another(demo):
    got = load_inputs(invoices=None, payments=None)
    assert got.is_demo and got.as_of == pd.Timestamp("2025-12-31")
    assert got.source_label("fr") == "portefeuille de démonstration"
    assert set(got.tables) >= {"invoices", "payments", "customers", "disputes", "orders"}
    assert len(got.items) > 0 and got.items.total > 0
    earlier = load_inputs("2025-06-30")
    assert earlier.as_of == pd.Timestamp("2025-06-30") and earlier.items.as_of == earlier.as_of
    # the items are those of the ledger at that date (documents issued later are not there)
    assert (earlier.items.items["issue_date"] <= pd.Timestamp("2025-06-30")).all()


def test_common_helpers(tmp_path):
    assert parse_buckets("0,30,60,90") == (0, 30, 60, 90) and parse_buckets([0, 45]) == (0, 45)
    with pytest.raises(InputError, match="buckets"):
        parse_buckets("0,30,soixante")
    assert format_count(12345, "fr") == "12\u202f345" and format_count(12345, "en") == "12,345"
    frame = pd.DataFrame({"a": [1.5, 2.25]}, index=pd.Index(["x", "y"], name="k"))
    fr = write_csv(frame, tmp_path / "fr.csv", "fr").read_bytes()
    assert fr.startswith(b"\xef\xbb\xbfk;a\n") and b"x;1,5\n" in fr
    assert write_csv(frame, tmp_path / "en.csv", "en").read_text() == "k,a\nx,1.5\ny,2.25\n"
    disputes = pd.DataFrame({
        "invoice_id": ["F1", "F2", "F3"], "cause": ["prix", "qualité", "délai"],
        "opened_date": pd.to_datetime(["2024-01-10", "2024-02-01", "2024-07-01"]),
        "closed_date": pd.to_datetime(["2024-03-01", None, None])})
    assert list(open_disputes(disputes, "2024-06-30")["invoice_id"]) == ["F2"]
    causes = dispute_causes(pd.Series(["F1", "F2", "F3"]), "2024-06-30", disputes=disputes)
    assert causes.isna().tolist() == [True, False, True] and causes[1] == "qualité"
    inv = pd.DataFrame({"invoice_id": ["F1"], "dispute_cause": ["prix"]})
    assert dispute_causes(pd.Series(["F1"]), "2024-06-30", invoices=inv).tolist() == ["prix"]
    assert dispute_causes(pd.Series(["F1"]), "2024-06-30") is None


@pytest.mark.parametrize("name", ["credit_dashboard", "dunning"])
def test_ledger_reports_refuse_user_files_without_as_of(name, files, tmp_path):
    # before, the dashboard silently analysed a user's files at the demo's date (2025-12-31)
    from creditlab.exceptions import ReportError
    from creditlab.reports import run_report

    inv, pay = files
    with pytest.raises(ReportError, match=r"InputError: as_of: expected the reporting date of "
                                          r"your files.*-p as_of=YYYY-MM-DD"):
        run_report(name, {"invoices": inv, "payments": pay}, out=tmp_path, progress=False)
    assert not (tmp_path / name).exists()


# --------------------------------------------------------------------------- issue 13
def test_as_of_far_from_the_files_is_an_error_unless_forced(files):
    inv, pay = files
    # last document 01/07/2024: 45 days later is accepted, 46 are not
    assert load_inputs("2024-08-15", invoices=inv, payments=pay).as_of == pd.Timestamp("2024-08-15")
    with pytest.raises(InputError, match=r"as_of: expected a date at most 45 days after the last "
                                         r"document of the files \(01/07/2024\).*force_as_of"):
        load_inputs("2024-08-16", invoices=inv, payments=pay)
    with pytest.raises(InputError, match=r"on or after the first document \(15/01/2024\)"):
        load_inputs("2023-12-31", invoices=inv, payments=pay)
    got = load_inputs("2030-01-01", invoices=inv, payments=pay, force_as_of=True)
    assert got.items.total == pytest.approx(1000.0 + 600.0 + 360.0)
    # never month first: 01/07/2024 is the 1st of July
    assert load_inputs("01/07/2024", invoices=inv, payments=pay).as_of == pd.Timestamp("2024-07-01")


def test_empty_export_is_a_message(tmp_path, files):
    _, pay = files
    empty = tmp_path / "vide.csv"
    empty.write_text(INVOICES.splitlines()[0] + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"invoices: expected at least one document"):
        load_inputs("2024-06-30", invoices=str(empty), payments=pay)


def test_open_items_export_without_payments(tmp_path):
    # the remaining amount per document (solde): the settled part is paid by as_of
    p = tmp_path / "encours.csv"
    p.write_text("N° facture;Client;Date facture;Échéance;Montant TTC;Reste dû\n"
                 "F1;C1;15/05/2024;15/06/2024;1 200,00;1 000,00\n"
                 "F2;C2;01/06/2024;01/07/2024;600,00;600,00\n"
                 "F3;C2;01/04/2024;01/05/2024;300,00;0,00\n"
                 "A1;C1;20/05/2024;20/05/2024;-100,00;-100,00\n", encoding="utf-8")
    got = load_inputs("2024-06-30", invoices=str(p))
    open_ = got.items.items.set_index("invoice_id")["open_amount"].to_dict()
    assert open_ == {"F1": 1000.0, "F2": 600.0, "A1": -100.0}
    assert got.items.total == pytest.approx(1500.0)


def test_settled_dates_without_payments(tmp_path):
    p = tmp_path / "factures.csv"
    p.write_text("invoice_id,customer_id,issue_date,due_date,amount_ttc,settled_date\n"
                 "F1,C1,2024-05-15,2024-06-15,1200.00,2024-06-20\n"
                 "F2,C1,2024-06-01,2024-07-01,600.00,\n"
                 "F3,C2,2024-06-05,2024-07-05,300.00,2024-07-10\n", encoding="utf-8")
    got = load_inputs("2024-06-30", invoices=str(p))
    # F1 settled before as_of; F3 settled after it: still open on the 30th
    assert got.items.items.set_index("invoice_id")["open_amount"].to_dict() == {
        "F2": 600.0, "F3": 300.0}


def test_reports_run_without_customers_file(files):
    from creditlab.reports.aged import build_aged_report
    from creditlab.reports.dunning import build_dunning_report

    inv, pay = files
    inputs = load_inputs("2024-06-30", invoices=inv, payments=pay)
    report = build_dunning_report(inputs, promises=None)
    cases = report.cases_view()[1].data  # before: KeyError "['name'] not in index"
    assert (cases["raison sociale"] == cases["code client"].astype(str)).all()
    build_aged_report(inputs)


def test_fec_input_and_configuration(tmp_path):
    from creditlab.config import init_config, load_config
    from creditlab.reports.checking import check_config

    fec = tmp_path / "123456789FEC20241231.txt"
    head = ("JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\t"
            "CompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\t"
            "EcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise\tDateRglt\tModeRglt\t"
            "NatOp\tIdClient\n")
    rows = [("VE", "1", "20241105", "411000", "C1", "F1", "1200,00", "0,00", "A", "20241210"),
            ("VE", "1", "20241105", "706000", "", "F1", "0,00", "1200,00", "", ""),
            ("VE", "2", "20241120", "411000", "C2", "F2", "600,00", "0,00", "", ""),
            ("VE", "2", "20241120", "706000", "", "F2", "0,00", "600,00", "", ""),
            ("BQ", "3", "20241210", "411000", "C1", "R1", "0,00", "1200,00", "A", "20241210"),
            ("BQ", "3", "20241210", "512000", "", "R1", "1200,00", "0,00", "", "")]
    fec.write_text(head + "".join(
        f"{j}\tJ\t{n}\t{d}\t{a}\tlib\t{x}\t{x}\t{p}\t{d}\tlib\t{de}\t{cr}\t{le}\t{ld}\t{d}\t\t\t"
        "20250131\t\t\t\n" for j, n, d, a, x, p, de, cr, le, ld in rows), encoding="utf-8")
    got = load_inputs("2024-12-31", fec=str(fec), fec_terms_days=60)
    items = got.items.items.set_index("invoice_id")
    # F1 paid by R1 (lettered A); F2 open, due 60 days after issue, never DateRglt (31/01/2025)
    assert list(items.index) == ["F2"] and items.loc["F2", "open_amount"] == 600.0
    assert items.loc["F2", "due_date"] == pd.Timestamp("2024-11-20") + pd.Timedelta(days=60)
    with pytest.raises(InputError, match="fec"):
        load_inputs("2024-12-31", fec=str(fec), invoices=str(fec))
    # the same through creditlab.toml
    cfg = init_config(tmp_path / "societe")
    text = cfg.read_text(encoding="utf-8").replace('invoices = "factures.csv"\npayments = '
                                                   '"reglements.csv"\n', "")
    text = text.replace('# fec = "123456789FEC20251231.txt"', f'fec = "{fec}"')
    text = text.replace("# fec_terms_days = 30", "fec_terms_days = 60")
    cfg.write_text(text, encoding="utf-8")
    assert load_config(cfg).fec_terms_days == 60
    problems, inputs = check_config(cfg, "2024-12-31")
    assert problems == [] and inputs.items.total == 600.0
    with pytest.raises(InputError, match="creditlab.toml"):
        init_config(tmp_path / "societe")


def test_reports_agree_on_disputes_and_proceedings(tmp_path):
    # one dispute rule (the invoices' flag without a dated disputes table) in every report,
    # and a customer in proceedings counted once, at its latest proceeding
    from creditlab.reports.aged import build_aged_report
    from creditlab.reports.dashboard import build_dashboard, insolvencies

    inv = tmp_path / "factures.csv"
    inv.write_text("invoice_id,customer_id,issue_date,due_date,amount_ttc,disputed\n"
                   "F1,C1,2024-05-02,2024-06-01,1000.00,oui\n"
                   "F2,C1,2024-05-10,2024-06-09,400.00,non\n"
                   "F3,C2,2024-06-01,2024-07-01,250.00,oui\n"
                   "F4,C2,2024-06-03,2024-07-03,90.00,\n", encoding="utf-8")
    pay = tmp_path / "reglements.csv"
    pay.write_text("payment_id,customer_id,payment_date,amount,invoice_id\n"
                   "R1,C1,2024-06-10,400.00,F2\n", encoding="utf-8")
    ev = tmp_path / "procedures.csv"
    ev.write_text("customer_id,event_type,event_date\nC2,redressement,2024-03-01\n"
                  "C2,liquidation,2024-06-15\n", encoding="utf-8")
    inputs = load_inputs("2024-06-30", invoices=str(inv), payments=str(pay), events=str(ev))
    aged = build_aged_report(inputs)
    assert aged.disputed_amount == 1250.0  # F1 + F3, by hand
    dash = build_dashboard(inputs)
    assert "1\u202f250" in dash.dispute_table().data  # the same amount, not "no dispute"
    failures = dash.insolvencies
    assert list(failures["customer_id"]) == ["C2"]
    assert failures["event_type"].tolist() == ["liquidation"]
    assert failures["net_exposure"].sum() == pytest.approx(250.0 + 90.0)  # once, not twice
    events = inputs.get("events")
    assert len(insolvencies(events, dash.exposure.by_customer, "2024-05-31")) == 1  # redressement
