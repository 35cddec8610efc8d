"""Dunning report PDFs: one per letter, one merged PDF to print, a clear note without Chromium."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from creditlab.documents import find_browser, pdf_page_count
from creditlab.exceptions import InputError
from creditlab.reports import load_inputs
from creditlab.reports.dunning import build_dunning_report

needs_browser = pytest.mark.skipif(find_browser() is None,
                                   reason="no headless Chromium (Debian: apt-get install "
                                          "chromium); the PDF checks need one")

# at 31/03/2025 C1 owes 5 000 € due 31/01 (59 days late) and C3 2 000 € due 15/12/2024
INVOICES = ("invoice_id;customer_id;doc_type;issue_date;due_date;amount_ttc;amount_ht;disputed\n"
            "F1;C1;invoice;2025-01-01;2025-01-31;5000;4166.67;non\n"
            "F3;C3;invoice;2024-11-15;2024-12-15;2000;1666.67;non\n")
CUSTOMERS = ("customer_id;name;sector;size_class;segment;payment_terms;address_line1;"
             "postal_code;city;country\n"
             "C1;Rousseau SAS;industrie;pme;PME;net_30;4 avenue des Tilleuls;13001;Marseille;FR\n"
             "C3;Brel SPRL;industrie;pme;PME;net_30;Rue Haute 1;1000;Bruxelles;BE\n")
SENDER = {"name": "Dupont Industrie SAS", "address": "12 rue de la République\n69002 Lyon",
          "email": "credit@dupont.fr", "siren": "123 456 789", "city": "Lyon"}


@pytest.fixture
def small(tmp_path):
    inv, pay, cus = (tmp_path / n for n in ("factures.csv", "reglements.csv", "clients.csv"))
    inv.write_text(INVOICES, encoding="utf-8")
    pay.write_text("payment_id;customer_id;payment_date;amount;invoice_id\n"
                   "R0;C1;2025-03-05;0.01;\n", encoding="utf-8")
    cus.write_text(CUSTOMERS, encoding="utf-8")
    return load_inputs("2025-03-31", invoices=str(inv), payments=str(pay), customers=str(cus))


def _report(small):
    from creditlab.dunning import load_policy

    policy = dataclasses.replace(load_policy(), sender=SENDER)
    return build_dunning_report(small, promises=None, policy=policy)


def test_letters_carry_the_postal_address_of_the_customers_table(small, tmp_path):
    files = _report(small).write(tmp_path, pdf="no")
    texts = {r.customer_id: open(r.txt, encoding="utf-8").read()
             for r in files.batch.written.itertuples()}
    assert "4 avenue des Tilleuls\n13001 MARSEILLE" in texts["C1"]
    assert "Rue Haute 1\n1000 BRUXELLES\nBE" in texts["C3"]
    assert files.note == 'PDF non demandés (pdf="no")' and not files.produced
    assert (files.batch.written["pdf"] == "").all()


def test_without_chromium_letters_are_written_and_the_report_says_so(small, tmp_path,
                                                                      monkeypatch, capsys):
    monkeypatch.setenv("CREDITLAB_CHROMIUM", str(tmp_path / "no-such-browser"))
    report = _report(small)
    files = report.write(tmp_path / "auto")
    batch, letters_dir = files                     # unpacks as before
    assert len(batch.written) == 2 and len(list(letters_dir.glob("*.html"))) == 2
    assert not list(letters_dir.glob("*.pdf")) and files.merged is None
    assert files.note.startswith("PDF non produits : aucun Chromium sur cette machine.")
    assert "apt-get install chromium" in files.note and "CREDITLAB_CHROMIUM" in files.note
    assert "PDF non produits" in capsys.readouterr().err
    line = report.letters_line(files)
    assert line.startswith("2 lettres écrites dans lettres/, 0 en erreur\nPDF non produits")
    with pytest.raises(InputError, match="pdf") as err:
        report.write(tmp_path / "required", pdf="required")
    assert "apt-get install chromium" in str(err.value)
    with pytest.raises(InputError, match="pdf"):
        report.write(tmp_path / "bad", pdf="yes")


@needs_browser
def test_one_pdf_per_letter_and_one_merged_pdf_to_print(tmp_path):
    """The demo run: every letter but the phone scripts as PDF (A4, no marker link left),
    the postal letters merged: pages of the merged PDF = sum of their pages."""
    import pypdf

    report = build_dunning_report(load_inputs(), promises=None)
    files = report.write(tmp_path)
    w = files.batch.written
    printed = w[w["kind"] != "phone_script"]
    assert len(printed) > 100 and (printed["pdf"] != "").all()
    assert (w.loc[w["kind"] == "phone_script", "pdf"] == "").all()
    assert sorted(p.name for p in files.letters_dir.glob("*.pdf")) == sorted(
        pd.Series(printed["pdf"]).map(lambda p: p.rsplit("/", 1)[-1]))
    pages = printed.set_index("action_id")["pdf"].map(pdf_page_count)
    assert (pages >= 1).all()
    channel = w["action_id"].map(report.actions.set_index("action_id")["channel"])
    postal = w[(w["kind"] != "phone_script")
               & channel.str.contains(r"\bletter\b|registered_letter", regex=True)]
    assert 0 < len(postal) < len(printed)
    assert files.merged.name == "lettres_a_imprimer.pdf"
    assert pdf_page_count(files.merged) == files.pages == pages[postal["action_id"]].sum()
    first = pypdf.PdfReader(printed["pdf"].iloc[0])
    box = first.pages[0].mediabox
    assert abs(float(box.width) - 595) < 1 and abs(float(box.height) - 842) < 1   # A4
    for page in pypdf.PdfReader(files.merged).pages:
        for a in page.get("/Annots") or []:
            assert "creditlab.invalid" not in str(a.get_object().get("/A", {}))
    # each letter's PDF is that letter: its customer's name is on its first page
    row = printed.iloc[-1]
    name = report.actions.set_index("action_id").loc[row["action_id"], "name"]
    assert name.split()[0] in pypdf.PdfReader(row["pdf"]).pages[0].extract_text()
    assert "PDF dans lettres/" in files.note and "lettres_a_imprimer.pdf" in files.note


def test_report_run_without_chromium_warns_on_stderr_and_succeeds(tmp_path, monkeypatch,
                                                                   capfd):
    """``creditlab report run dunning`` on a machine without Chromium: the run succeeds, the
    page says no PDF was produced and how to get them, the runner's stderr warns."""
    from creditlab.reports.runner import run_report

    monkeypatch.setenv("CREDITLAB_CHROMIUM", str(tmp_path / "no-such-browser"))
    result = run_report("dunning", {"promises": None}, tmp_path / "out", "fr")
    err = capfd.readouterr().err
    assert "creditlab: PDF non produits : aucun Chromium sur cette machine." in err
    page = result["html"].read_text(encoding="utf-8")
    assert "PDF non produits" in page and "apt-get install chromium" in page
    assert not (result["dir"] / ".warnings.txt").exists()
    assert not list((result["dir"] / "lettres").glob("*.pdf"))
    assert list((result["dir"] / "lettres").glob("*.html"))


def test_report_run_with_pdf_required_fails_with_the_fix_without_chromium(tmp_path,
                                                                          monkeypatch):
    from creditlab.exceptions import ReportError
    from creditlab.reports.runner import run_report

    monkeypatch.setenv("CREDITLAB_CHROMIUM", str(tmp_path / "no-such-browser"))
    with pytest.raises(ReportError) as err:
        run_report("dunning", {"promises": None, "pdf": "required"}, tmp_path / "out", "fr")
    message = str(err.value)
    assert "pdf" in message and "apt-get install chromium" in message
    assert not (tmp_path / "out" / "dunning").exists()        # nothing published
