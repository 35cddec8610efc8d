"""One date order and one decimal separator per file; what cannot be told is an error naming the
column, the line and the setting to add (issue 13, "no silent wrong date or number")."""

from __future__ import annotations

import pandas as pd
import pytest

import creditlab.io as cio
from creditlab.exceptions import FileFormatError, InputError

HEADER = "invoice_id,customer_id,issue_date,due_date,amount_ttc\n"


def _write(tmp_path, name, text, encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return p


def test_us_file_read_month_first_in_every_column(tmp_path):
    # before: issue_date (days <= 12 only) read day first, due_date month first
    text = HEADER + "F1,C1,03/05/2025,04/20/2025,100.00\nF2,C1,02/01/2025,03/03/2025,50.00\n"
    df = cio.read_table(_write(tmp_path, "us.csv", text), "invoices")
    assert df["issue_date"].tolist() == [pd.Timestamp("2025-03-05"), pd.Timestamp("2025-02-01")]
    assert df["due_date"].tolist() == [pd.Timestamp("2025-04-20"), pd.Timestamp("2025-03-03")]


def test_columns_disagreeing_on_the_order_is_an_error(tmp_path):
    text = HEADER + "F1,C1,25/03/2025,04/20/2025,100.00\n"
    with pytest.raises(FileFormatError, match=r"day first in column 'issue_date'.*month first in "
                                              r"column 'due_date'.*date_order"):
        cio.read_table(_write(tmp_path, "mixed.csv", text), "invoices")


def test_ambiguous_comma_file_is_an_error_naming_the_setting(tmp_path):
    text = HEADER + "F1,C1,03/05/2025,04/06/2025,100.00\n"
    p = _write(tmp_path, "amb.csv", text)
    with pytest.raises(FileFormatError, match=r"amb.csv, line 2, field 'issue_date'.*'03/05/2025'"
                                              r".*date_order = \"JJ/MM/AAAA\""):
        cio.read_table(p, "invoices")
    df = cio.read_table(p, "invoices", formats={"date_order": "MM/JJ/AAAA"})
    assert df["issue_date"].iloc[0] == pd.Timestamp("2025-03-05")
    df = cio.read_table(p, "invoices", formats={"date_order": "JJ/MM/AAAA"})
    assert df["issue_date"].iloc[0] == pd.Timestamp("2025-05-03")


def test_french_file_reads_ambiguous_dates_day_first(tmp_path):
    text = HEADER.replace(",", ";") + "F1;C1;03/05/2025;04/06/2025;100,00\n"
    df = cio.read_table(_write(tmp_path, "fr.csv", text), "invoices")
    assert df["issue_date"].iloc[0] == pd.Timestamp("2025-05-03")


def test_dot_in_a_decimal_comma_file_is_never_a_decimal(tmp_path):
    # before: 1.234 read as 1.234 euros in a ';'-separated French file
    text = HEADER.replace(",", ";") + "F1;C1;15/01/2025;15/02/2025;1.234\nF2;C1;15/01/2025;15/02/2025;500\n"
    p = _write(tmp_path, "fr.csv", text)
    with pytest.raises(FileFormatError, match=r"line 2, field 'amount_ttc'.*'1.234'.*thousands "
                                              r"= \"\.\""):
        cio.read_table(p, "invoices")
    df = cio.read_table(p, "invoices", formats={"thousands": "."})
    assert df["amount_ttc"].tolist() == [1234.0, 500.0]
    # a file showing its thousands dots elsewhere (1.234,56) settles it
    text2 = text.replace(";500\n", ";1.500,25\n")
    df = cio.read_table(_write(tmp_path, "fr2.csv", text2), "invoices")
    assert df["amount_ttc"].tolist() == [1234.0, 1500.25]


def test_decimal_comma_and_point_in_one_file_is_an_error(tmp_path):
    text = ("invoice_id\tcustomer_id\tissue_date\tdue_date\tamount_ttc\tamount_ht\n"
            "F1\tC1\t2025-01-15\t2025-02-15\t120,50\t100.5\n")
    with pytest.raises(FileFormatError, match=r"decimal comma in column 'amount_ttc'.*decimal "
                                              r"point in column 'amount_ht'"):
        cio.read_table(_write(tmp_path, "t.tsv", text), "invoices")


def test_utf8_file_with_one_cp1252_line_names_the_line(tmp_path):
    raw = (HEADER + "F1,Café,2025-01-15,2025-02-15,10\n").encode("utf-8") + \
        "F2,Crème,2025-01-15,2025-02-15,10\n".encode("cp1252")
    with pytest.raises(FileFormatError, match=r"line 3: UTF-8 file with a non-UTF-8 byte"):
        cio.read_table(_write(tmp_path, "mixed.csv", raw), "invoices")
    # a genuine cp1252 file is still read
    ok = (HEADER + "F2,Crème,2025-01-15,2025-02-15,10\n").encode("cp1252")
    assert cio.read_table(_write(tmp_path, "cp.csv", ok), "invoices")["customer_id"][0] == "Crème"


def test_stray_quote_is_a_message_naming_the_line(tmp_path):
    text = HEADER + 'F1,"C1,2025-01-15,2025-02-15,10\nF2,C1,2025-01-15,2025-02-15,10\n'
    with pytest.raises(FileFormatError, match=r"line 2: unreadable CSV: a quote"):
        cio.read_table(_write(tmp_path, "q.csv", text), "invoices")


def test_year_1025_is_a_row_problem_not_a_traceback(tmp_path):
    text = HEADER + "F1,C1,15/01/1025,15/02/2025,10\n"
    with pytest.raises(cio.ValidationError if hasattr(cio, "ValidationError") else Exception,
                       match=r"issue_date.*line 2"):
        cio.read_table(_write(tmp_path, "y.csv", text), "invoices")


def test_minimal_invoice_export_and_sign_defaults(tmp_path):
    # the five columns of a typical export; no doc type, no HT: negative = credit note
    text = ("N° facture;Client;Date facture;Échéance;Montant TTC\n"
            "F1;C1;15/01/2025;15/02/2025;1 200,00\nA1;C1;20/01/2025;20/01/2025;-200,00\n")
    df = cio.read_table(_write(tmp_path, "min.csv", text), "invoices")
    assert df["doc_type"].tolist() == ["invoice", "credit_note"]
    assert df["amount_ht"].isna().all() and df["amount_ttc"].tolist() == [1200.0, -200.0]


def test_values_mapping_and_bad_formats(tmp_path):
    text = HEADER.replace(",amount_ttc", ",doc_type,amount_ttc") + \
        "F1,C1,2025-01-15,2025-02-15,FA,10\nA1,C1,2025-01-15,2025-02-15,AV,-10\n"
    p = _write(tmp_path, "v.csv", text)
    df = cio.read_table(p, "invoices", values={"doc_type": {"FA": "invoice", "AV": "credit_note"}})
    assert df["doc_type"].tolist() == ["invoice", "credit_note"]
    with pytest.raises(InputError, match="formats.date_order"):
        cio.read_table(p, "invoices", formats={"date_order": "YYYY"})
    with pytest.raises(InputError, match="formats"):
        cio.read_table(p, "invoices", formats={"dates": "dmy"})


def test_rolling_export_credit_note_of_an_invoice_before_the_cut(tmp_path):
    text = ("invoice_id,customer_id,doc_type,issue_date,due_date,amount_ttc,related_invoice_id\n"
            "F9,C1,invoice,2025-01-15,2025-02-15,100,\n"
            "A1,C1,credit_note,2025-01-20,2025-01-20,-30,F0-BEFORE-THE-CUT\n")
    df = cio.read_table(_write(tmp_path, "roll.csv", text), "invoices")
    assert df["related_invoice_id"].tolist()[1] == "F0-BEFORE-THE-CUT"


def test_excel_title_rows_are_skipped(tmp_path):
    pytest.importorskip("openpyxl")
    p = tmp_path / "balance.xlsx"
    with pd.ExcelWriter(p) as xw:
        pd.DataFrame([["Balance âgée au 31/12/2025"], [None]]).to_excel(
            xw, index=False, header=False)
        pd.DataFrame({"invoice_id": ["F1"], "customer_id": ["C1"],
                      "issue_date": [pd.Timestamp("2025-11-02")],
                      "due_date": [pd.Timestamp("2025-12-02")], "amount_ttc": [99.5]}).to_excel(
            xw, index=False, startrow=2)
    df = cio.read_table(p, "invoices")
    assert df["amount_ttc"].tolist() == [99.5] and df["invoice_id"].tolist() == ["F1"]


def test_hints_never_propose_a_date_header_for_an_id(tmp_path):
    text = "InvoiceNo,CustomerID,InvoiceDate,DueDate,InvoiceAmount\nA1,C1,2025-11-01,2025-12-01,100\n"
    with pytest.raises(cio.ValidationError if hasattr(cio, "ValidationError") else Exception
                       ) as info:
        cio.read_table(_write(tmp_path, "us.csv", text), "invoices")
    msg = str(info.value)
    assert "'InvoiceDate' to 'invoice_id'" not in msg  # before: the hint of issue 13
    assert "rename column 'DueDate' to 'due_date'" in msg
    assert '[columns.invoices] "your name" = "issue_date"' in msg
    assert "doc_type" not in msg  # absent doc type: invoices by default, not a second problem


def test_ibm_sample_month_first_with_settlement_dates(external):
    path = external / "ibm_accounts_receivable" / "WA_Fn-UseC_-Accounts-Receivable.csv"
    if not path.is_file():
        pytest.skip("the public IBM accounts-receivable sample is absent from ../shared/external")
    cols = {"invoiceNumber": "invoice_id", "customerID": "customer_id",
            "InvoiceDate": "issue_date", "DueDate": "due_date", "InvoiceAmount": "amount_ttc",
            "SettledDate": "settled_date", "Disputed": "disputed"}
    df = cio.read_table(path, "invoices", columns=cols)
    raw = pd.read_csv(path, dtype=str)
    # US file: every date column month first (1/26/2013 is the 26th of January)
    expected = pd.to_datetime(raw["InvoiceDate"], format="%m/%d/%Y")
    assert (df["issue_date"] == expected).all()
    assert (df["settled_date"] == pd.to_datetime(raw["SettledDate"], format="%m/%d/%Y")).all()
    assert df["amount_ttc"].sum() == pytest.approx(raw["InvoiceAmount"].astype(float).sum())
    assert (df["doc_type"] == "invoice").all() and len(df) == 2466


def test_mutated_exports_give_messages_never_tracebacks(tmp_path):
    # issue 13 measured 16 tracebacks on 1 500 mutated files; 1 500 gave none here, 100 kept
    import random
    from pathlib import Path

    from creditlab.exceptions import CreditlabError

    base = (Path(__file__).parents[1] / "exports" / "sage" / "factures.csv").read_bytes()
    rng = random.Random(13)
    tokens = [b'"', b";", b"\n", b",", b".", b"-", b"1025", b"\xe9", b"\xc3", b"32", b" ", b"",
              b"\x00", b"/"]
    p = tmp_path / "m.csv"
    for i in range(100):
        b = bytearray(base)
        for _ in range(rng.randint(1, 3)):
            pos = rng.randrange(len(b))
            op = rng.random()
            if op < 0.4:
                b[pos:pos + 1] = rng.choice(tokens)
            elif op < 0.7:
                b[pos:pos] = rng.choice(tokens)
            else:
                del b[pos:pos + rng.randint(1, 5)]
        p.write_bytes(bytes(b))
        try:
            cio.read_table(p, "invoices", formats={"encoding": "cp1252"} if i % 2 else None)
        except CreditlabError:
            pass
