"""Customers' names from a FEC's auxiliary accounts (CompAuxNum / CompAuxLib), used by the
aged balance, the dunning plan and letters, and the dashboard on FEC input."""

from __future__ import annotations

import warnings
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest

import creditlab.io as cio
from creditlab.exceptions import InputError
from creditlab.io.fec import FEC_FIELDS, FECWarning
from creditlab.reports import load_inputs

HEAD = "\t".join(list(FEC_FIELDS)[:18]) + "\n"

# (journal, num, date, account, account label, aux, aux label, piece, debit, credit, letter)
ROWS = [
    # C1 invoiced under its former name once, then twice under its current one
    ("VE", "1", "20251002", "411000", "Clients", "C1", "Bleu SARL", "F1", "1200,00", "0,00", ""),
    ("VE", "1", "20251002", "706000", "Ventes", "", "", "F1", "0,00", "1200,00", ""),
    ("VE", "2", "20251010", "411000", "Clients", "C1", "Bleu SAS", "F2", "600,00", "0,00", ""),
    ("VE", "2", "20251010", "706000", "Ventes", "", "", "F2", "0,00", "600,00", ""),
    ("VE", "3", "20251020", "411000", "Clients", "C1", "Bleu SAS", "F3", "300,00", "0,00", ""),
    ("VE", "3", "20251020", "706000", "Ventes", "", "", "F3", "0,00", "300,00", ""),
    # C2: an auxiliary account without label -> named by its id
    ("VE", "4", "20251005", "411000", "Clients", "C2", "", "F4", "480,00", "0,00", ""),
    ("VE", "4", "20251005", "706000", "Ventes", "", "", "F4", "0,00", "480,00", ""),
    # a doubtful customer on 416 without auxiliary account: the account and its label
    ("OD", "5", "20251001", "416000", "Clients douteux", "", "", "D1", "240,00", "0,00", ""),
    ("OD", "5", "20251001", "706000", "Ventes", "", "", "D1", "0,00", "240,00", ""),
    # a supplier: never a customer
    ("AC", "6", "20251003", "401000", "Fournisseurs", "F9", "Acier SA", "A1", "0,00", "90,00",
     ""),
    ("AC", "6", "20251003", "607000", "Achats", "", "", "A1", "90,00", "0,00", ""),
]


def _fec(path, rows=ROWS):
    lines = [f"{j}\tJournal {j}\t{n}\t{d}\t{a}\t{al}\t{x}\t{xl}\t{p}\t{d}\tlib\t{de}\t{cr}\t"
             f"{le}\t\t{d}\t\t\n" for j, n, d, a, al, x, xl, p, de, cr, le in rows]
    path.write_text(HEAD + "".join(lines), encoding="utf-8")
    return path


def test_fec_customers_names_from_auxiliary_accounts(tmp_path):
    fec = cio.read_fec(_fec(tmp_path / "123456789FEC20251231.txt"))
    got = cio.fec_customers(fec)
    expected = pd.DataFrame({"customer_id": ["416000", "C1", "C2"],
                             "name": ["Clients douteux", "Bleu SAS", "C2"],
                             "account": ["416000", "411000", "411000"]}).astype("str")
    pd.testing.assert_frame_equal(got, expected)
    # the same ids as the ledger tables and the open items
    tables = cio.fec_ledger_tables(fec)
    assert set(tables["invoices"]["customer_id"]) == set(got["customer_id"])
    assert set(cio.fec_open_items(fec, "2025-12-31", accounts=("411", "416"))
               .items["customer_id"]) == set(got["customer_id"])
    assert list(cio.fec_customers(fec, accounts="416")["customer_id"]) == ["416000"]
    # a tie between two labels: the latest line's label
    tie = cio.read_fec(_fec(tmp_path / "tie.txt", ROWS[:4]))
    assert cio.fec_customers(tie).set_index("customer_id").loc["C1", "name"] == "Bleu SAS"
    none = cio.fec_customers(fec, accounts="419")
    assert none.empty and list(none.columns) == ["customer_id", "name", "account"]
    with pytest.raises(InputError, match="accounts"):
        cio.fec_customers(fec, accounts=())


def test_reports_on_a_fec_name_the_customers(tmp_path):
    from creditlab.reports.aged import build_aged_report
    from creditlab.reports.dashboard import build_dashboard, exposure_top
    from creditlab.reports.dunning import build_dunning_report

    path = _fec(tmp_path / "123456789FEC20251231.txt")
    inputs = load_inputs("2025-11-30", fec=str(path), fec_terms_days=30)
    cust = inputs.tables["customers"].set_index("customer_id")
    assert cust.loc["C1", "name"] == "Bleu SAS" and cust.loc["C1", "payment_terms"] == "net_30"
    # aged balance: every customer of the top table is named, C1's amount is 2 100
    top = build_aged_report(inputs).top(10)  # French column words
    assert top.loc["C1", "raison sociale"] == "Bleu SAS" and top.loc["C2", "raison sociale"] == "C2"
    assert top.loc["C1", "échu"] == pytest.approx(2100.0)
    # dunning: the plan and the cases carry the names, not the account numbers
    report = build_dunning_report(inputs, promises=None)
    actions = report.actions
    assert set(actions.loc[actions["customer_id"] == "C1", "name"]) == {"Bleu SAS"}
    # dashboard: the exposure table names the customers; limits use the FEC terms (net_30)
    dash = build_dashboard(inputs)
    names = exposure_top(dash.exposure, inputs.get("customers"))["name"]
    assert names.loc["C1"] == "Bleu SAS" and names.loc["416000"] == "Clients douteux"
    assert dash.proposal is not None


def test_letters_on_a_fec_carry_the_name(tmp_path):
    from creditlab.reports.dunning import build_dunning_report

    _fec(tmp_path / "123456789FEC20251231.txt")
    cfg = tmp_path / "creditlab.toml"
    cfg.write_text('[company]\nname = "Ateliers Test SAS"\naddress = "4 quai des Essais\\n69002 '
                   'Lyon"\nsiren = "123 456 789"\nemail = "credit@ateliers-test.fr"\n\n'
                   '[inputs]\nfec = "123456789FEC20251231.txt"\n', encoding="utf-8")
    inputs = load_inputs("2025-11-30", config=cfg)
    report = build_dunning_report(inputs, promises=None)
    written = report.write(tmp_path / "out")
    batch = written[0]
    texts = [p.read_text(encoding="utf-8") for p in (tmp_path / "out").rglob("*.html")]
    assert batch is not None and any("Bleu SAS" in t for t in texts)
    assert not any("Bleu SARL" in t for t in texts)


def test_a_customers_file_beside_the_fec_wins(tmp_path):
    path = _fec(tmp_path / "123456789FEC20251231.txt")
    cust = tmp_path / "clients.csv"
    cust.write_text("customer_id;name;sector;size_class;segment;payment_terms\n"
                    "C1;Bleu Industries;industrie;pme;PME;net_60\n"
                    "C2;Vert SA;industrie;pme;PME;net_30\n"
                    "416000;Douteux SA;industrie;pme;PME;net_30\n", encoding="utf-8")
    inputs = load_inputs("2025-11-30", fec=str(path), customers=str(cust))
    got = inputs.tables["customers"].set_index("customer_id")["name"]
    assert got.loc["C1"] == "Bleu Industries" and got.loc["C2"] == "Vert SA"


# ---------------------------------------------------------------------- real samples
NAMED = {"0000000001FEC20220831.txt": ("CCALIX", "JARDINS DE CALIXTE", 17),
         "000000000FEC20231231.txt": ("CCHQ", "RECETTE CHQ", 4),
         "111111111FEC20221231.TXT": ("41100540", "BOURGOIN DISTRIBUT", 34),
         "123456789FEC20500930.txt": ("411100000", "CLIENTS", 1)}


@pytest.mark.parametrize("name", sorted(NAMED))
def test_real_samples_customers(external, name):
    path = external / "fec_samples" / name
    if not path.exists():
        pytest.skip(f"{name} absent")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FECWarning)
        fec = cio.read_fec(path)
    cust = cio.fec_customers(fec)
    cid, label, n = NAMED[name]
    assert len(cust) == n and cust["customer_id"].is_unique
    assert cust.set_index("customer_id").loc[cid, "name"] == label
    assert cust["name"].notna().all() and (cust["name"] != cust["customer_id"]).all()
    invoices = cio.fec_ledger_tables(fec)["invoices"]
    assert set(invoices["customer_id"]) <= set(cust["customer_id"])


def test_real_sample_open_items_match_the_tax_return(external, tmp_path):
    """The 411 open items of 123456789FEC20500930 at its last entry add up to the tax return's
    box BX "Clients et comptes rattachés" of the expected outputs (128 201 EUR, rounded), and
    the aged balance built from the FEC names the customer from CompteLib."""
    from creditlab.reports.aged import build_aged_report

    path = external / "fec_samples" / "123456789FEC20500930.txt"
    box = external / "fec_samples" / "liasse_expected" / "123456789FEC20500930-expected.csv"
    if not path.exists() or not box.exists():
        pytest.skip("sample absent")
    expected = {ln.split(",")[0].strip(): ln.split(",")[1].strip()
                for ln in box.read_text(encoding="utf-8").splitlines() if "," in ln}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FECWarning)
        fec = cio.read_fec(path)
        last = fec["entry_date"].max()
        inputs = load_inputs(last, fec=str(path))
    total = inputs.items.items["open_amount"].sum()
    assert total == pytest.approx(128200.50, abs=0.005)
    euros = Decimal(f"{total:.2f}").quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    assert euros == int(expected["BX"]) == 128201  # the return rounds half up
    assert list(inputs.tables["customers"]["name"]) == ["CLIENTS"]
    report = build_aged_report(inputs)
    assert report.total == pytest.approx(total)


def test_weekly_dunning_run_from_the_configuration_on_a_fec(tmp_path, capsys):
    """``creditlab dunning run --config``: the FEC of [inputs], the [company] letterhead, the
    customers named from their auxiliary accounts, the letters recorded in the journal."""
    from creditlab.cli import main
    from creditlab.dunning import Journal

    _fec(tmp_path / "123456789FEC20251231.txt")
    cfg = tmp_path / "creditlab.toml"
    cfg.write_text('[company]\nname = "Ateliers Test SAS"\naddress = "4 quai des Essais\\n69002 '
                   'Lyon"\nsiren = "123 456 789"\nemail = "credit@ateliers-test.fr"\n\n'
                   '[inputs]\nfec = "123456789FEC20251231.txt"\n', encoding="utf-8")
    jpath = tmp_path / "relances.sqlite"
    rc = main(["dunning", "run", "--config", str(cfg), "--journal", str(jpath), "--as-of",
               "30/11/2025", "--out", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert rc == 0 and "letters issued and recorded" in out
    issued = Journal(jpath).events().query("kind == 'issued'")
    assert "C1" in set(issued["customer_id"])
    pages = [p.read_text(encoding="utf-8") for p in (tmp_path / "out").rglob("*C1*.html")]
    assert pages and all("Bleu SAS" in p and "Ateliers Test SAS" in p for p in pages)
