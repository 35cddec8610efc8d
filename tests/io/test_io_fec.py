"""creditlab.io.read_fec and fec_open_items.

The FEC format is article A47 A-1 of the Livre des procédures fiscales (summary:
``../shared/external/fec_samples/FEC_SPEC.md``). The four real samples (neolegal-fr/fec-reader,
MIT; see SOURCE.md there) are read when ``../shared/external`` is present; synthetic variants
written to ``tmp_path`` cover every layout without it.
"""

from __future__ import annotations

import warnings
from decimal import Decimal

import pandas as pd
import pytest

import creditlab.io as cio
from creditlab.exceptions import FileFormatError, InputError
from creditlab.io.fec import FEC_FIELDS, FECWarning
from creditlab.receivables import OpenItems

F18 = list(FEC_FIELDS)[:18]
F22 = list(FEC_FIELDS)

# (journal, num, date, account, aux, piece, piece_date, debit, credit, letter, letter_date)
LEDGER = [
    ("VE", "1", "20240110", "411000", "C1", "F1", "20240110", "1200,00", "0,00", "A", "20240215"),
    ("VE", "1", "20240110", "706000", "", "F1", "20240110", "0,00", "1000,00", "", ""),
    ("VE", "1", "20240110", "445710", "", "F1", "20240110", "0,00", "200,00", "", ""),
    ("BQ", "2", "20240215", "411000", "C1", "R1", "20240215", "0,00", "1200,00", "A", "20240215"),
    ("BQ", "2", "20240215", "512000", "", "R1", "20240215", "1200,00", "0,00", "", ""),
    ("VE", "3", "20240120", "411000", "C2", "F2", "20240120", "600,00", "0,00", "B", "20240410"),
    ("VE", "3", "20240120", "706000", "", "F2", "20240120", "0,00", "600,00", "", ""),
    ("BQ", "4", "20240410", "411000", "C2", "R2", "20240410", "0,00", "600,00", "B", "20240410"),
    ("BQ", "4", "20240410", "512000", "", "R2", "20240410", "600,00", "0,00", "", ""),
    ("VE", "5", "20240125", "411000", "C2", "AV1", "20240125", "0,00", "120,00", "", ""),
    ("VE", "5", "20240125", "706000", "", "AV1", "20240125", "100,00", "0,00", "", ""),
    ("VE", "5", "20240125", "445710", "", "AV1", "20240125", "20,00", "0,00", "", ""),
    ("BQ", "6", "20240301", "411000", "C1", "R3", "20240301", "0,00", "300,00", "", ""),
    ("BQ", "6", "20240301", "512000", "", "R3", "20240301", "300,00", "0,00", "", ""),
    ("VE", "7", "20240305", "411000", "C1", "F3", "20240305", "480,00", "0,00", "", ""),
    ("VE", "7", "20240305", "706000", "", "F3", "20240305", "0,00", "480,00", "", ""),
    ("VE", "8", "20240201", "411000", "C1", "F4", "20240201", "1000,00", "0,00", "C", "20240310"),
    ("VE", "8", "20240201", "706000", "", "F4", "20240201", "0,00", "1000,00", "", ""),
    ("BQ", "9", "20240310", "411000", "C1", "R4", "20240310", "0,00", "400,00", "C", "20240310"),
    ("BQ", "9", "20240310", "512000", "", "R4", "20240310", "400,00", "0,00", "", ""),
    ("VE", "10", "20240401", "411000", "C1", "F5", "20240401", "50,00", "0,00", "", ""),
    ("VE", "10", "20240401", "706000", "", "F5", "20240401", "0,00", "50,00", "", ""),
    ("VE", "11", "20240105", "411000", "C2", "F6", "20240105", "70,00", "0,00", "D", ""),
    ("VE", "11", "20240105", "706000", "", "F6", "20240105", "0,00", "70,00", "", ""),
    ("BQ", "12", "20240106", "411000", "C2", "R6", "20240106", "0,00", "70,00", "D", ""),
    ("BQ", "12", "20240106", "512000", "", "R6", "20240106", "70,00", "0,00", "", ""),
]


def _records(ledger=LEDGER, fields22=False):
    out = []
    for j, num, date, acc, aux, piece, pdate, d, c, let, letd in ledger:
        row = [j, "Ventes" if j == "VE" else "Banque", num, date, acc, f"Compte {acc}", aux,
               f"Client {aux}" if aux else "", piece, pdate, f"Ecriture {num}", d, c, let, letd,
               "20240430", "", ""]
        if fields22:
            row += ["20240415" if piece == "F3" else "", "VIR" if j == "BQ" else "", "", aux]
        out.append(row)
    return out


def write_fec(path, *, sep="\t", eol="\n", bom=False, trailing=False, fields22=False,
              encoding="utf-8", ledger=LEDGER, header=None, pad=0):
    names = header or (F22 if fields22 else F18)
    rows = [names, *_records(ledger, fields22)]
    if pad:
        rows = [[f"{v:<{pad}}" for v in r] for r in rows]
    text = eol.join(sep.join(r) + (sep if trailing else "") for r in rows) + eol
    data = text.encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


# ---------------------------------------------------------------------- synthetic variants
@pytest.mark.parametrize("variant", [
    dict(), dict(sep="|"), dict(bom=True), dict(eol="\r\r\n"), dict(eol="\r\n"), dict(eol="\r"),
    dict(sep="|", trailing=True, pad=12), dict(fields22=True), dict(encoding="iso-8859-15"),
])
def test_read_fec_variants(tmp_path, variant):
    p = write_fec(tmp_path / "123456789FEC20241231.txt", **variant)
    df = cio.read_fec(p)
    assert len(df) == len(LEDGER)
    assert df["line"].tolist() == list(range(2, len(LEDGER) + 2))
    assert list(df.columns[:18]) == list(FEC_FIELDS.values())[:18]
    assert ("payment_date" in df.columns) == bool(variant.get("fields22"))
    assert df["debit"].sum() == pytest.approx(6090.0) and df["credit"].sum() == pytest.approx(6090.0)
    assert df["entry_date"].dtype == "datetime64[ns]" and df["letter_date"].isna().sum() == 20
    assert df.loc[0, "account"] == "411000"
    assert pd.isna(df.loc[1, "aux_account"]) and df.loc[0, "aux_account"] == "C1"
    assert df.loc[0, "letter_date"] == pd.Timestamp("2024-02-15")
    assert df["currency"].isna().all() and df["fx_amount"].isna().all()
    assert df.attrs["siren"] == "123456789"
    assert df.attrs["closing_date"] == pd.Timestamp("2024-12-31")
    assert df.attrs["separator"] == variant.get("sep", "\t")


def test_header_variants_and_montant_sens(tmp_path):
    header = [h.upper() if h != "EcritureLet" else "EcrtureLet" for h in F18]
    df = cio.read_fec(write_fec(tmp_path / "x.txt", header=header))
    assert df["letter"].notna().sum() == 8 and df.attrs["siren"] is None
    # Montant / Sens instead of Debit / Credit (LPF A47 A-1, VII 2° and X)
    rows = []
    for r in _records():
        debit, credit = r[11], r[12]
        rows.append(r[:11] + ([debit, "D"] if debit != "0,00" else [credit, "-1"]) + r[13:])
    names = [*F18[:11], "Montant", "Sens", *F18[13:]]
    p = tmp_path / "ms.txt"
    p.write_text("\n".join("\t".join(r) for r in [names, *rows]) + "\n", encoding="utf-8")
    ms = cio.read_fec(p)
    assert ms["debit"].sum() == pytest.approx(6090.0) and ms["credit"].sum() == pytest.approx(6090.0)
    assert ms.loc[3, "credit"] == 1200.0 and ms.loc[3, "debit"] == 0.0


def test_signed_amounts_and_repeated_header(tmp_path):
    p = write_fec(tmp_path / "a.txt")
    text = p.read_text(encoding="utf-8")
    lines = text.splitlines()
    # split file: the header repeated in the middle (LPF A47 A-1, XIII) is skipped
    p.write_text("\n".join([*lines[:5], lines[0], *lines[5:]]) + "\n", encoding="utf-8")
    df = cio.read_fec(p)
    assert len(df) == len(LEDGER) and df["line"].iloc[4] == 7
    # sign on the right (XII 2°): 0,00 / 10,00- pair on an extra balanced entry
    extra = ["OD", "Divers", "99", "20240131", "471000", "Attente", "", "", "X", "20240131", "x",
             "10,00-", "0,00", "", "", "20240430", "", ""]
    extra2 = [*extra[:4], "472000", *extra[5:11], "0,00", "10,00-", *extra[13:]]
    p.write_text("\n".join([*lines, "\t".join(extra), "\t".join(extra2)]) + "\n",
                 encoding="utf-8")
    df = cio.read_fec(p)
    assert df["debit"].iloc[-2] == -10.0 and df["credit"].iloc[-1] == -10.0


@pytest.mark.parametrize("mutate,line,field,match", [
    (lambda r: r.__setitem__(11, "12,3x"), 4, "Debit", "unparseable amount"),
    (lambda r: r.__setitem__(3, "20241345"), 4, "EcritureDate", "unparseable date"),
    (lambda r: r.__setitem__(3, ""), 4, "EcritureDate", "empty EcritureDate"),
    (lambda r: r.__setitem__(14, "2024-99-01"), 4, "DateLet", "unparseable date"),
    (lambda r: r.append("extra"), 4, F18[-1], r"expected 18 fields.*1 value\(s\) too many"),
    # the last two fields are empty: the line then ends with a separator, read as a trailing one
    (lambda r: r.pop(), 4, F18[16], "got 16 .fields from 'Montantdevise' on are missing"),
])
def test_malformed_line_named(tmp_path, mutate, line, field, match):
    records = _records()
    mutate(records[2])
    p = tmp_path / "bad.txt"
    p.write_text("\n".join("\t".join(r) for r in [F18, *records]) + "\n", encoding="utf-8")
    with pytest.raises(FileFormatError, match=match) as info:
        cio.read_fec(p)
    err = info.value
    assert err.line == line and err.field == field
    assert f"bad.txt, line {line}" in str(err) and "Fix:" in str(err)


def test_bad_files(tmp_path):
    with pytest.raises(FileFormatError, match="file not found"):
        cio.read_fec(tmp_path / "absent.txt")
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(FileFormatError, match="empty file"):
        cio.read_fec(tmp_path / "empty.txt")
    (tmp_path / "csv.txt").write_text("a;b;c\n1;2;3\n")
    with pytest.raises(FileFormatError, match="no TAB or '\\|' separator"):
        cio.read_fec(tmp_path / "csv.txt")
    with pytest.raises(FileFormatError, match="'PieceRef' missing") as info:
        cio.read_fec(write_fec(tmp_path / "h.txt", header=[h if h != "PieceRef" else "Piece"
                                                              for h in F18]))
    assert info.value.line == 1 and info.value.field == "PieceRef"
    with pytest.raises(FileFormatError, match=r"'Debit' appears twice.*\[12, 19\]") as info:
        cio.read_fec(write_fec(tmp_path / "d.txt", header=[*F18, "DEBIT"]))  # was AttributeError
    assert info.value.line == 1 and info.value.field == "Debit"
    (tmp_path / "head.txt").write_text("\t".join(F18) + "\n")
    with pytest.raises(FileFormatError, match="no line after the header"):
        cio.read_fec(tmp_path / "head.txt")
    unbalanced = [*LEDGER, ("OD", "13", "20240131", "471000", "", "X", "20240131", "5,00",
                            "0,00", "", "")]
    p = write_fec(tmp_path / "u.txt", ledger=unbalanced)
    with pytest.raises(FileFormatError, match="unbalanced FEC"):
        cio.read_fec(p)
    with pytest.warns(FECWarning, match="unbalanced"):
        df = cio.read_fec(p, on_unbalanced="warn")
    assert any("unbalanced" in w for w in df.attrs["warnings"])
    with pytest.raises(InputError, match="on_unbalanced"):
        cio.read_fec(p, on_unbalanced="ignore")


def test_missing_valid_date_is_reported(tmp_path):
    p = write_fec(tmp_path / "v.txt")
    p.write_text(p.read_text().replace("\t20240430\t", "\t\t"))
    with pytest.warns(FECWarning, match="ValidDate empty on 26 of 26 lines"):
        df = cio.read_fec(p)
    assert df["valid_date"].isna().all()


# ---------------------------------------------------------------------- open items
def test_fec_open_items_known_answer(tmp_path):
    """Hand-built ledger (LEDGER): lettered on or before as_of = closed; lettered after = open;
    partial lettering (C: 1000 vs 400) kept open; letter without DateLet (D) = closed."""
    fec = cio.read_fec(write_fec(tmp_path / "l.txt"))
    result = cio.fec_open_items(fec, "2024-03-31")
    assert isinstance(result, OpenItems) and result.as_of == pd.Timestamp("2024-03-31")
    assert "as_of" not in result.items.attrs  # the date travels on the OpenItems only
    items = result.items
    assert list(items.columns[:9]) == ["customer_id", "invoice_id", "doc_type", "issue_date",
                                       "due_date", "amount_ttc", "paid_amount", "open_amount",
                                       "disputed"]
    got = {(r.customer_id, r.invoice_id, r.doc_type, r.open_amount)
           for r in items.itertuples()}
    assert got == {("C1", "F3", "invoice", 480.0), ("C1", "R3", "unallocated_cash", -300.0),
                   ("C1", "F4", "invoice", 1000.0), ("C1", "R4", "unallocated_cash", -400.0),
                   ("C2", "F2", "invoice", 600.0), ("C2", "AV1", "credit_note", -120.0)}
    f3 = items.set_index("invoice_id").loc["F3"]
    assert f3["issue_date"] == pd.Timestamp("2024-03-05")
    assert f3["due_date"] == pd.Timestamp("2024-04-04")  # + default_terms_days = 30
    r3 = items.set_index("invoice_id").loc["R3"]
    assert r3["issue_date"] == r3["due_date"] == pd.Timestamp("2024-03-01")
    assert (items["amount_ttc"] == items["open_amount"]).all() and (items["paid_amount"] == 0).all()
    assert not items["disputed"].any() and items.attrs["partial_letters"] == 1
    # the open items add up to the 411 balance as of the date
    c = fec[fec["account"].str.startswith("411") & (fec["entry_date"] <= "2024-03-31")]
    assert items["open_amount"].sum() == pytest.approx((c["debit"] - c["credit"]).sum())
    assert items["open_amount"].sum() == pytest.approx(1260.0)
    # a month later, B is lettered (closed), F5 is issued
    later = cio.fec_open_items(fec, "2024-04-30", default_terms_days=60).items
    assert set(later["invoice_id"]) == {"F3", "R3", "F4", "R4", "AV1", "F5"}
    assert later["open_amount"].sum() == pytest.approx(710.0)
    assert later.set_index("invoice_id").loc["F5", "due_date"] == pd.Timestamp("2024-05-31")
    # before anything is lettered
    early = cio.fec_open_items(fec, "2024-01-31").items
    assert set(early["invoice_id"]) == {"F1", "F2", "AV1"}


def test_fec_open_items_22_fields_due_date_and_aged_balance(tmp_path):
    fec = cio.read_fec(write_fec(tmp_path / "l22.txt", fields22=True))
    items = cio.fec_open_items(fec, "2024-03-31")
    f3 = items.items.set_index("invoice_id").loc["F3"]
    # DateRglt (2024-04-15) is a payment date, never the due date: issue date + terms
    assert f3["due_date"] == f3["issue_date"] + pd.Timedelta(days=30)
    f3_60 = cio.fec_open_items(fec, "2024-03-31", default_terms_days=60).items \
        .set_index("invoice_id").loc["F3"]
    assert f3_60["due_date"] == f3["issue_date"] + pd.Timedelta(days=60)
    receivables = pytest.importorskip("creditlab.receivables")
    aged = receivables.aged_balance(items)  # the date comes with the items
    assert aged.as_of == pd.Timestamp("2024-03-31")
    with pytest.raises(InputError, match="2024-03-31"):
        receivables.aged_balance(items, "2024-04-30")
    table = aged.summary() if hasattr(aged, "summary") else aged
    assert table.select_dtypes("number").to_numpy().sum() != 0


def test_fec_open_items_bad_inputs(tmp_path):
    fec = cio.read_fec(write_fec(tmp_path / "l.txt"))
    with pytest.raises(InputError, match="as_of"):
        cio.fec_open_items(fec, "pas une date")
    with pytest.raises(InputError, match="fec.letter"):
        cio.fec_open_items(fec.drop(columns=["letter"]), "2024-03-31")
    with pytest.raises(InputError, match="fec"):
        cio.fec_open_items([1], "2024-03-31")
    with pytest.raises(InputError, match="accounts"):
        cio.fec_open_items(fec, "2024-03-31", accounts=[])
    with pytest.raises(InputError, match="default_terms_days"):
        cio.fec_open_items(fec, "2024-03-31", default_terms_days=-1)
    assert cio.fec_open_items(fec, "2024-03-31", accounts=("416",)).items.empty
    with pytest.raises(InputError, match="as_of"):
        cio.fec_open_items(fec, "12/31/2024")  # month-first dates are never guessed


# ---------------------------------------------------------------------- real samples
SAMPLES = ["0000000001FEC20220831.txt", "000000000FEC20231231.txt", "111111111FEC20221231.TXT",
           "123456789FEC20500930.txt"]


@pytest.mark.parametrize("name", SAMPLES)
def test_real_samples(external, name):
    """Row count = non-header lines; total debit = total credit to the cent (decimal sums, as
    in SOURCE.md: 10,186,219.81 / 1,265,350.82 / 225,682.23 / 8,258,083.73)."""
    path = external / "fec_samples" / name
    if not path.exists():
        pytest.skip(f"{name} absent")
    raw = path.read_bytes().replace(b"\r\r\n", b"\n")
    n_lines = sum(1 for ln in raw.split(b"\n") if ln.strip()) - 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FECWarning)
        df = cio.read_fec(path)
    assert len(df) == n_lines
    debit = sum(Decimal(str(v)) for v in df["debit"].round(2))
    credit = sum(Decimal(str(v)) for v in df["credit"].round(2))
    assert debit == credit
    expected = {"0000000001FEC20220831.txt": "10186219.81", "000000000FEC20231231.txt":
                "1265350.82", "111111111FEC20221231.TXT": "225682.23",
                "123456789FEC20500930.txt": "8258083.73"}[name]
    assert debit == Decimal(expected)
    assert df["entry_date"].notna().all() and df["line"].iloc[0] == 2
    assert not df["currency"].fillna("").str.contains("\r").any()  # CR CR LF handled
    assert not df["journal_code"].str.endswith(" ").any()            # padding stripped
    items = cio.fec_open_items(df, df["entry_date"].max()).items
    c = df[df["account"].str.startswith("411")]
    assert items["open_amount"].sum() == pytest.approx((c["debit"] - c["credit"]).sum(), abs=0.01)


def test_entry_exported_twice_and_unbalanced_entry_are_named(tmp_path):
    # an entry exported twice balances, and would be counted twice: an error naming it
    twice = [*LEDGER, *[r for r in LEDGER if r[1] == LEDGER[0][1] and r[0] == LEDGER[0][0]]]
    with pytest.raises(FileFormatError, match=r"EcritureNum.*duplicated entries: 1 entr\(y/ies\) "
                                              r"exported twice.*entry VE 1 from line 2"):
        cio.read_fec(write_fec(tmp_path / "twice.txt", ledger=twice))
    with pytest.warns(cio.FECWarning, match="exported twice"):
        cio.read_fec(write_fec(tmp_path / "twice2.txt", ledger=twice), on_duplicates="warn")
    # two entries whose errors cancel out: the total balances, each entry does not
    shifted = [*LEDGER,
               ("OD", "98", "20240131", "471000", "", "X", "20240131", "5,00", "0,00", "", ""),
               ("OD", "99", "20240131", "471000", "", "X", "20240131", "0,00", "5,00", "", "")]
    with pytest.raises(FileFormatError, match=r"unbalanced FEC: 2 entr.*OD 98 \(debit - credit "
                                              r"= 5.00\)"):
        cio.read_fec(write_fec(tmp_path / "shift.txt", ledger=shifted))


def test_real_fec_samples_read_without_false_duplicates(external):
    folder = external / "fec_samples"
    if not folder.is_dir():
        pytest.skip("the public FEC samples are absent from ../shared/external")
    for f in sorted(folder.glob("*FEC*.[tT][xX][tT]")):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", cio.FECWarning)
            fec = cio.read_fec(f)  # identical lines inside one entry are normal
        assert len(fec) > 900


def test_fec_ledger_tables_balance_and_lettering(tmp_path):
    from creditlab.receivables import Ledger

    fec = cio.read_fec(write_fec(tmp_path / "l.txt"))
    t = cio.fec_ledger_tables(fec, terms_days=45)
    inv = t["invoices"].set_index("invoice_id")
    assert inv.loc["F1", "due_date"] == inv.loc["F1", "issue_date"] + pd.Timedelta(days=45)
    cio.validate(t["invoices"], "invoices")
    cio.validate(t["payments"], "payments", invoices=t["invoices"])
    for as_of in ("2024-01-31", "2024-02-29", "2024-04-30"):
        items = Ledger.from_tables(t["invoices"], t["payments"]).at(as_of)
        # independent: the balance of the 411 lines dated on or before as_of
        m = fec["account"].astype(str).str.startswith("411") & (fec["entry_date"] <= as_of)
        assert items.total == pytest.approx(float((fec["debit"] - fec["credit"])[m].sum()))
    # lettered: R1 pays F1 (group A), dated on its own entry date
    pay = t["payments"].set_index("invoice_id")
    assert pay.loc["F1", "amount"] == 1200.0
    assert pay.loc["F1", "payment_date"] == pd.Timestamp("2024-02-15")


def test_fec_ledger_tables_on_real_samples(external):
    from creditlab.receivables import Ledger

    folder = external / "fec_samples"
    if not folder.is_dir():
        pytest.skip("the public FEC samples are absent from ../shared/external")
    for f in sorted(folder.glob("*FEC*.[tT][xX][tT]")):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", cio.FECWarning)
            fec = cio.read_fec(f)
        t = cio.fec_ledger_tables(fec)
        as_of = fec["entry_date"].max()
        items = Ledger.from_tables(t["invoices"], t["payments"]).at(as_of)
        m = fec["account"].astype(str).str.startswith(("411", "416"))
        expected = float((fec["debit"] - fec["credit"])[m].sum())
        assert items.total == pytest.approx(expected, abs=0.005), f.name
