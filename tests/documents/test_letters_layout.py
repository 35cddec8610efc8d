"""Letters that can be sent: letterhead, debtor's address in the envelope window, PDF."""

from __future__ import annotations

import re
import struct

import pandas as pd
import pytest

from creditlab.documents import (
    check_letterhead,
    find_browser,
    html_to_pdf,
    merge_pdfs,
    pdf_page_count,
    postal_address,
    screenshot,
)
from creditlab.dunning import load_policy, render_letter
from creditlab.exceptions import InputError

AS_OF = pd.Timestamp("2025-12-31")
SENDER = {"name": "Dupont Industrie SAS", "department": "Crédit clients",
          "address": "12 rue de la République\n69002 Lyon", "siren": "123 456 789",
          "email": "credit@dupont.fr", "phone": "04 72 00 00 00",
          "iban": "FR76 3000 6000 0112 3456 7890 189", "city": "Lyon",
          "signatory": "Claire Martin, responsable crédit"}
CUSTOMER = {"customer_id": "C1", "name": "Rousseau <b>SAS</b>",
            "address": "4 avenue des Tilleuls\n13001 MARSEILLE"}


def _items() -> pd.DataFrame:
    rows = [("C1", "A1", "invoice", "2025-09-21", "2025-10-21", 1000.0, 1000.0, False),
            ("C1", "A2", "invoice", "2025-10-01", "2025-11-01", 1234.56, 1234.56, False)]
    df = pd.DataFrame(rows, columns=["customer_id", "invoice_id", "doc_type", "issue_date",
                                     "due_date", "amount_ttc", "open_amount", "disputed"])
    return df.assign(issue_date=pd.to_datetime(df["issue_date"]),
                     due_date=pd.to_datetime(df["due_date"]))


def test_postal_address_lines():
    row = pd.Series({"address_line1": "4 avenue des Tilleuls", "address_line2": None,
                     "postal_code": "13001", "city": "Marseille", "country": "FR"})
    assert postal_address(row) == "4 avenue des Tilleuls\n13001 MARSEILLE"
    assert postal_address({"address": "Rue Haute 1", "postal_code": "1000",
                           "city": "Bruxelles", "country": "be"}) == \
        "Rue Haute 1\n1000 BRUXELLES\nBE"
    assert postal_address({"name": "x"}) == ""


def test_placeholder_letterhead_refused_outside_demo():
    example = load_policy().sender
    with pytest.raises(InputError, match=r"\[sender\]"):
        check_letterhead(example)
    with pytest.raises(InputError):
        check_letterhead({"name": ""})
    check_letterhead(example, demo=True)       # the demo may print the example
    check_letterhead(SENDER)                   # a real letterhead passes


def test_letter_carries_letterhead_and_debtor_address():
    letter = render_letter("formal_notice", CUSTOMER, _items(), as_of=AS_OF, sender=SENDER)
    html, text = letter.html, letter.text
    for part in ("SIREN : 123 456 789", "IBAN : FR76 3000 6000 0112 3456 7890 189",
                 "69002 Lyon", "credit@dupont.fr"):
        assert part.replace(" : ", "\xa0: ") in html or part in html, part
        assert part.replace(" : ", "\xa0: ") in text or part in text, part
    # the debtor's address, line by line, in the window block; the name escaped
    assert "Rousseau &lt;b&gt;SAS&lt;/b&gt;</b><br>4 avenue des Tilleuls<br>13001 MARSEILLE" \
        in html
    assert "4 avenue des Tilleuls\n13001 MARSEILLE" in text
    assert "position: absolute; top: 3cm; left: 8.9cm" in html   # DL window when printed


def test_letter_with_logo():
    letter = render_letter("reminder_1", CUSTOMER, _items(), as_of=AS_OF,
                           sender={**SENDER, "logo": "logo\".png"})
    assert '<img class="logo" src="logo&#34;.png"' in letter.html


needs_browser = pytest.mark.skipif(find_browser() is None,
                                   reason="no headless Chromium (Debian: apt-get install "
                                          "chromium); the PDF and screenshot checks need one")


@needs_browser
def test_letters_print_on_one_a4_page_each_and_merge(tmp_path):
    paths = []
    for kind in ("reminder_1", "formal_notice", "statement"):
        letter = render_letter(kind, CUSTOMER, _items(), as_of=AS_OF, sender=SENDER)
        path = tmp_path / f"{kind}.html"
        path.write_text(letter.html, encoding="utf-8")
        pdf = html_to_pdf(path)
        assert pdf.read_bytes()[:5] == b"%PDF-"
        assert pdf_page_count(pdf) == 1, kind
        # A4 portrait: 595 x 842 points
        box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf.read_bytes())
        assert abs(float(box.group(1)) - 595) < 1 and abs(float(box.group(2)) - 842) < 1
        paths.append(path)
    merged = merge_pdfs(paths, tmp_path / "lettres.pdf")
    assert pdf_page_count(merged) == 3


@needs_browser
def test_letter_screenshot(tmp_path):
    letter = render_letter("reminder_1", CUSTOMER, _items(), as_of=AS_OF, sender=SENDER)
    path = tmp_path / "l.html"
    path.write_text(letter.html, encoding="utf-8")
    png = screenshot(path, tmp_path / "l.png", width=900, height=1200).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (900, 1200)
    assert len(png) > 20_000   # a rendered page, not a blank one
