"""creditlab.io.read_table: CSV dialects, French exports, Excel, Parquet, header aliases, bad inputs."""

from __future__ import annotations

import pandas as pd
import pytest

import creditlab.io as cio
from creditlab.exceptions import FileFormatError, InputError, ValidationError
from creditlab.io.readers import load_value_aliases, normalise_header, parse_dates, parse_numbers
from creditlab.io.tables import TABLES

FR_INVOICES = (
    "N° facture;Code client;Type de pièce;Date facture;Date échéance;Montant TTC;Montant HT;"
    "Litige;Motif du litige;Commentaire\n"
    "F-001;C001;Facture;15/03/2024;14/05/2024;1\u202f234,56;1\u00a0028,80;non;;réglé\n"
    "\n"
    "F-002;C002;Avoir;16/03/2024;16/03/2024;-120,00;-100,00;Oui;Qualité;\n"
    "F-003;C001;FACTURE;17/03/2024;31/05/2024;2 400,5;2000,42;;;à relancer\n"
)


def _write(tmp_path, name, text, encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_french_csv_semicolon_decimal_comma_cp1252(tmp_path):
    # narrow no-break space does not exist in cp1252: the cp1252 file uses NBSP and a space
    p = _write(tmp_path, "factures.csv", FR_INVOICES.replace("\u202f", "\u00a0"), "cp1252")
    df = cio.read_table(p, "invoices")
    assert df["invoice_id"].tolist() == ["F-001", "F-002", "F-003"]
    assert df["doc_type"].tolist() == ["invoice", "credit_note", "invoice"]
    assert df["amount_ttc"].tolist() == [1234.56, -120.0, 2400.5]
    assert df["amount_ht"].tolist() == [1028.80, -100.0, 2000.42]
    assert df["issue_date"].tolist() == [pd.Timestamp("2024-03-15"), pd.Timestamp("2024-03-16"),
                                         pd.Timestamp("2024-03-17")]
    assert df["due_date"].iloc[0] == pd.Timestamp("2024-05-14")
    assert df["disputed"].tolist() == [False, True, False]
    assert df["dispute_cause"].tolist()[1] == "quality"
    assert df["Commentaire"].tolist()[2] == "à relancer"  # accents decoded from cp1252, kept extra
    assert list(df.columns[: len(cio.columns_of("invoices"))]) == cio.columns_of("invoices")


def test_utf8_bom_narrow_spaces_and_tab(tmp_path):
    p = _write(tmp_path, "f.tsv", "\ufeff" + FR_INVOICES.replace(";", "\t"))
    df = cio.read_table(p, "invoices")
    assert df["amount_ttc"].iloc[0] == 1234.56  # U+202F thousands separator


def test_english_csv(tmp_path):
    text = ('Invoice Number,Customer ID,Document type,Invoice date,Due Date,Amount,Net amount,'
            'Currency\n'
            'INV1,K1,Invoice,2024-01-31,2024-03-01,"1,234.50","1,028.75",EUR\n'
            'INV2,K2,Credit note,2024-02-15,2024-02-15,-60.00,-50.00,EUR\n')
    df = cio.read_table(_write(tmp_path, "inv.csv", text), "invoices")
    assert df["amount_ttc"].tolist() == [1234.5, -60.0]
    assert df["amount_ht"].tolist() == [1028.75, -50.0]
    assert df["doc_type"].tolist() == ["invoice", "credit_note"]
    assert df["customer_id"].tolist() == ["K1", "K2"]


def test_payments_french_headers_and_methods(tmp_path):
    text = ("N° de règlement;Code client;Date de règlement;Montant;N° facture;Mode de règlement\n"
            "R1;C1;02/04/2024;1 000,00;F1;Chèque\n"
            "R2;C1;03/04/2024;50;;Virement bancaire\n")
    inv = pd.DataFrame({"invoice_id": ["F1"], "amount_ttc": [1000.0]})
    df = cio.read_table(_write(tmp_path, "reglements.csv", text), "payments", invoices=inv)
    assert df["method"].tolist() == ["cheque", "virement"]
    assert df["invoice_id"].isna().tolist() == [False, True]
    assert df["payment_date"].iloc[0] == pd.Timestamp("2024-04-02")
    with pytest.raises(ValidationError, match="over-allocated"):
        cio.read_table(_write(tmp_path, "r2.csv", text.replace("1 000,00", "1 500,00")),
                       "payments", invoices=inv)


def test_explicit_columns_mapping_wins(tmp_path):
    text = "Réf;Tiers;Jour;Total;Fin;HT;Genre\nA1;C1;2024-01-02;10;2024-02-02;8;facture\n"
    p = _write(tmp_path, "x.csv", text)
    with pytest.raises(ValidationError, match="missing"):
        cio.read_table(p, "invoices")  # 'Tiers' maps to customer_id, the rest is unknown
    mapping = {"Réf": "invoice_id", "Jour": "issue_date", "Total": "amount_ttc",
               "Fin": "due_date", "HT": "amount_ht", "Genre": "doc_type", "tiers": "customer_id"}
    df = cio.read_table(p, "invoices", columns=mapping)
    assert df.loc[0, ["invoice_id", "customer_id", "amount_ttc"]].tolist() == ["A1", "C1", 10.0]
    # explicit mapping beats an alias: 'Montant' would be amount_ttc, here it is amount_ht
    text2 = ("N° facture;Code client;Type;Date;Date échéance;Montant;Montant TTC\n"
             "F1;C1;facture;2024-01-02;2024-02-02;8;10\n")
    df2 = cio.read_table(_write(tmp_path, "y.csv", text2), "invoices",
                         columns={"Montant": "amount_ht"})
    assert df2.loc[0, ["amount_ht", "amount_ttc"]].tolist() == [8.0, 10.0]
    with pytest.raises(InputError, match="amount_ttc"):  # two headers for one column
        cio.read_table(_write(tmp_path, "z.csv", text2), "invoices")
    with pytest.raises(InputError, match="Nope"):
        cio.read_table(p, "invoices", columns={"Nope": "invoice_id"})
    with pytest.raises(InputError, match="not_a_column"):
        cio.read_table(p, "invoices", columns={"Réf": "not_a_column"})


def test_xlsx_round_trip(tmp_path, demo):
    inv = demo["invoices"].head(50)
    p = tmp_path / "factures.xlsx"
    inv.to_excel(p, index=False, sheet_name="Factures")
    back = cio.read_table(p, "invoices", sheet_name="Factures")
    pd.testing.assert_frame_equal(back, inv.reset_index(drop=True), check_dtype=True)
    # French headers in a workbook, ids typed as numbers by Excel
    fr = pd.DataFrame({"Code client": [1001, 1002], "Raison sociale": ["A SA", "B SARL"],
                       "Secteur": ["industrie", "services"], "Taille": ["PME", "ETI"],
                       "Segment": ["x", "y"], "Conditions de paiement": ["net_60", "net_30"],
                       "Date de création": [pd.Timestamp("2001-02-03"), None]})
    fr.to_excel(tmp_path / "clients.xlsx", index=False)
    c = cio.read_table(tmp_path / "clients.xlsx", "customers")
    assert c["customer_id"].tolist() == ["1001", "1002"]
    assert c["size_class"].tolist() == ["pme", "eti"]
    assert c["founded_date"].iloc[0] == pd.Timestamp("2001-02-03")


def test_parquet(tmp_path, demo):
    pay = demo["payments"].head(100)
    p = tmp_path / "payments.parquet"
    pay.to_parquet(p)
    back = cio.read_table(p, "payments", invoices=demo["invoices"])
    pd.testing.assert_frame_equal(back, pay.reset_index(drop=True))
    bad = pay.copy()
    bad.loc[bad.index[3], "amount"] = 5e9  # over-allocation named by its 1-based row
    bad.to_parquet(p)
    with pytest.raises(ValidationError, match="row 4"):
        cio.read_table(p, "payments", invoices=demo["invoices"])


def test_bad_inputs(tmp_path):
    with pytest.raises(FileFormatError, match="file not found"):
        cio.read_table(tmp_path / "absent.csv", "invoices")
    with pytest.raises(FileFormatError, match="empty file"):
        cio.read_table(_write(tmp_path, "empty.csv", ""), "invoices")
    with pytest.raises(FileFormatError, match="empty file"):
        cio.read_table(_write(tmp_path, "blank.csv", "\n  \n"), "invoices")
    with pytest.raises(InputError, match="table"):
        cio.read_table(_write(tmp_path, "a.csv", "x\n1\n"), "factures")
    with pytest.raises(FileFormatError, match="unknown extension '.docx'"):
        cio.read_table(_write(tmp_path, "a.docx", "x\n1\n"), "invoices")
    with pytest.raises(FileFormatError, match="zip/Excel"):
        p = tmp_path / "book.xlsx"
        pd.DataFrame({"a": [1]}).to_excel(p, index=False)
        cio.read_table(p.rename(tmp_path / "book.csv"), "invoices")
    with pytest.raises(FileFormatError, match="line 3"):
        cio.read_table(_write(tmp_path, "fields.csv", "a;b\n1;2\n1;2;3\n"), "invoices")
    with pytest.raises(FileFormatError, match="Excel workbook"):
        cio.read_table(_write(tmp_path, "fake.xlsx", "not a workbook"), "invoices")
    with pytest.raises(FileFormatError, match="Parquet"):
        cio.read_table(_write(tmp_path, "fake.parquet", "not parquet"), "invoices")


EN_HEADER = "invoice_id;customer_id;doc_type;issue_date;due_date;amount_ttc;amount_ht\n"


def test_trailing_separator_on_data_lines_only_does_not_shift_columns(tmp_path):
    # a ';' at the end of every data line but not of the header (a common export): pandas
    # would take the first column as the index and shift every value by one column
    text = EN_HEADER + ("F1;C1;invoice;2024-01-01;2024-02-01;10,50;8,75;\n"
                        "F2;C1;credit_note;2024-01-05;2024-01-05;-2;-1,67;\n")
    df = cio.read_table(_write(tmp_path, "t.csv", text), "invoices")
    assert df["invoice_id"].tolist() == ["F1", "F2"]
    assert df["amount_ttc"].tolist() == [10.5, -2.0]
    assert df["amount_ht"].tolist() == [8.75, -1.67]


@pytest.mark.parametrize("ext", [".csv", ".xlsx"])
def test_a_column_named_twice_is_an_error_not_a_silent_copy(tmp_path, ext):
    # pandas reads a repeated header as 'amount_ht.1' and keeps only the first copy
    text = EN_HEADER.replace("amount_ht", "amount_ht;amount_ht") + \
        "F1;C1;invoice;2024-01-01;2024-02-01;10;8;9\n"
    path = _write(tmp_path, "t.csv", text)
    if ext == ".xlsx":
        rows = [line.split(";") for line in text.strip().splitlines()]
        pd.DataFrame(rows[1:], columns=rows[0]).to_excel(tmp_path / "t.xlsx", index=False)
        path = tmp_path / "t.xlsx"
    with pytest.raises(FileFormatError, match=r"line 1, field 'amount_ht': a column appears "
                                              r"twice"):
        cio.read_table(path, "invoices")


@pytest.mark.parametrize("lines,match", [
    # surplus on the first data line (pandas would silently use it as an index)
    ("F1;C1;invoice;2024-01-01;2024-02-01;10;8;9;9\n", r"line 2: 9 fields, the header has 7"),
    # one non-empty value too many: named with the column it follows
    ("F1;C1;invoice;2024-01-01;2024-02-01;10;8\nF2;C1;invoice;2024-01-01;2024-02-01;10;8;X\n",
     r"line 3, field 'amount_ht': 8 fields, the header has 7 \(extra value 'X'"),
    # two too many further down (each case is also read after two blank lines)
    ("F1;C1;invoice;2024-01-01;2024-02-01;10;8\nF2;C1;invoice;2024-01-01;2024-02-01;10;8;X;Y\n",
     r"line 3: 9 fields, the header has 7"),
])
def test_surplus_fields_are_named_by_line(tmp_path, lines, match):
    with pytest.raises(FileFormatError, match=match):
        cio.read_table(_write(tmp_path, "r.csv", EN_HEADER + lines), "invoices")
    with pytest.raises(FileFormatError, match=match.replace("line 2", "line 4").replace(
            "line 3", "line 5")):
        cio.read_table(_write(tmp_path, "r.csv", "\n\n" + EN_HEADER + lines), "invoices")


def test_unparseable_date_names_column_and_line(tmp_path):
    text = FR_INVOICES.replace("16/03/2024;16/03/2024", "16/03/2024;32/13/2024")
    with pytest.raises(ValidationError) as info:
        cio.read_table(_write(tmp_path, "f.csv", text), "invoices")
    msg = str(info.value)
    assert "f.csv" in msg and "invoices.due_date" in msg and "'32/13/2024'" in msg
    assert "[rows: line 4]" in msg  # header = line 1, blank line 3 counted
    assert info.value.problems[0].fix.startswith("correct due_date on these rows of the file")
    assert "read_table" not in msg  # validate()'s generic advice would send the user in a loop
    # validate=False returns the table for inspection, the bad column left as text
    df = cio.read_table(_write(tmp_path, "f.csv", text), "invoices", validate=False)
    assert df["due_date"].tolist()[1] == "32/13/2024"
    assert df["amount_ttc"].dtype == "float64"


@pytest.mark.parametrize("raw,expected", [
    ("1 234,56", "1234.56"), ("1\u00a0234,56", "1234.56"), ("1\u202f234,56 €", "1234.56"),
    ("1.234,56", "1234.56"), ("1,234.56", "1234.56"), ("-12,5", "-12.5"), ("12,50-", "-12.50"),
    ("(12,50)", "-12.50"), ("+3", "3"), ("1.234.567", "1234567"), ("0,5", "0.5"),
    ("abc", "abc"), ("12.5", "12.5"),
])
def test_parse_numbers(raw, expected):
    got = parse_numbers(pd.Series([raw], dtype="str")).iloc[0]
    if expected == "abc":
        assert got == "abc"  # left as is: validate reports it with its row
    else:
        assert float(got) == float(expected)


def test_parse_numbers_ambiguous_thousands():
    """'1,234' alone: decimal comma in a ';' file, thousands in a ',' file, like its column."""
    s = pd.Series(["1,234"], dtype="str")
    assert parse_numbers(s, sep=";").iloc[0] == "1.234"
    assert parse_numbers(s, sep=",").iloc[0] == "1234"
    col = pd.Series(["1,234", "10,50"], dtype="str")   # column uses decimal commas
    assert parse_numbers(col, sep=",").tolist() == ["1.234", "10.50"]
    col = pd.Series(["1,234", "10.50"], dtype="str")   # column uses decimal points
    assert parse_numbers(col, sep=";").tolist() == ["1234", "10.50"]


def test_parse_dates_dayfirst_and_us():
    fr = parse_dates(pd.Series(["05/03/2024", "2024-03-06", "20240307", "08.03.24", "x"]))
    assert fr.tolist() == ["2024-03-05", "2024-03-06", "2024-03-07", "2024-03-08", "x"]
    us = parse_dates(pd.Series(["03/25/2024", "03/05/2024"]))  # a month-first column
    assert us.tolist() == ["2024-03-25", "2024-03-05"]


def test_alias_map_is_consistent():
    aliases = cio.load_column_aliases()
    assert list(aliases.columns[:5]) == ["table", "canonical", "alias", "lang", "source"]
    assert (aliases["source"].str.len() > 0).all()
    assert set(aliases["lang"]) <= {"fr", "en"}
    for table, g in aliases.groupby("table"):
        assert table in TABLES
        assert set(g["canonical"]) <= set(TABLES[table].names)
        clash = g.drop_duplicates(["key", "canonical"]).duplicated("key", keep=False)
        assert not clash.any(), g[clash]
    inv = aliases[aliases["table"] == "invoices"].drop_duplicates("key").set_index("key")[
        "canonical"]
    for header, canon in [("N° facture", "invoice_id"), ("Numéro de pièce", "invoice_id"),
                          ("Date échéance", "due_date"), ("Montant TTC", "amount_ttc"),
                          ("Code client", "customer_id"), ("Invoice Number", "invoice_id"),
                          ("Due Date", "due_date"), ("DATE D'ECHEANCE", "due_date")]:
        assert inv[normalise_header(header)] == canon, header
    keys = aliases.drop_duplicates(["table", "key"]).set_index(["table", "key"])["canonical"]
    assert keys[("customers", normalise_header("Raison sociale"))] == "name"
    assert keys[("payments", normalise_header("Date de règlement"))] == "payment_date"
    vals = load_value_aliases()
    for t, c in vals[["table", "column"]].drop_duplicates().itertuples(index=False):
        col = TABLES[t].column(c)
        assert set(vals[(vals["table"] == t) & (vals["column"] == c)]["canonical"]) <= set(
            col.choices)
