"""The single document renderer: one Jinja2 environment, one set of formatters."""

from __future__ import annotations

import pandas as pd
import pytest

from creditlab import documents as doc
from creditlab.exceptions import InputError


def test_amounts_round_half_up_and_format_by_language():
    assert doc.format_amount(1.005) == "1,01\u00a0€"
    assert doc.format_amount(1234.565, "en") == "€1,234.57"
    assert doc.format_amount(-2.675) == "-2,68\u00a0€"
    assert doc.format_amount(203.045) == "203,05\u00a0€"
    assert doc.format_amount(1234567.0, "fr") == "1\u202f234\u202f567,00\u00a0€"
    assert doc.format_amount(5000.0, "fr", 0) == "5\u202f000\u00a0€"
    assert doc.format_amount(float("nan")) == "—"
    assert doc.format_amount(None, "en") == "—"


def test_dates_and_percents():
    assert doc.format_date_long("2026-01-01") == "1er janvier 2026"
    assert doc.format_date_long(pd.Timestamp("2025-12-31"), "en") == "31 December 2025"
    assert doc.format_date_short("2025-12-05") == "05/12/2025"
    assert doc.format_date_short(pd.Timestamp("2025-12-05"), "en") == "2025-12-05"
    assert doc.format_date_short(pd.NaT) == "" and doc.format_date_short(None) == ""
    assert doc.format_percent(0.1215, "fr") == "12,15\u00a0%"
    assert doc.format_percent(0.125, "en") == "12.5%"
    assert doc.format_percent(0.1, "fr") == "10\u00a0%"
    assert doc.format_percent(0.1, "en", decimals=2) == "10.00%"


def test_one_environment_escapes_html_only():
    env = doc.environment()
    assert env is doc.environment()
    html = env.from_string("{{ name }}")
    # templates from a string get no name: never escaped; named html: templates are
    assert html.render(name="<b>") == "<b>"
    assert doc._autoescape("html:dunning/x.j2") and not doc._autoescape("text:dunning/x.j2")
    assert not doc._autoescape("markdown:finance/x.j2") and not doc._autoescape(None)
    assert doc.markdown_inline("A*B <script>|x\nnext") == "A\\*B \\<script\\>\\|x next"


def test_letters_and_injunction_file_share_the_environment():
    ctx = {"lang": "fr", "customer_id": "C1", "name": "<script>alert(1)</script>",
           "date_long": "31 décembre 2025", "principal": "1,00 €", "penalties": "—",
           "indemnities": "40,00 €", "total": "41,00 €", "n_invoices": 1, "max_dpd": 10,
           "small_claim": True, "formal_notice_date": "", "invoices": [], "reminders": []}
    html = doc.render("dunning/injunction_file_fr.j2", "html", **ctx)
    text = doc.render("dunning/injunction_file_fr.j2", "text", **ctx)
    assert "&lt;script&gt;" in html and "<script>alert" not in html
    assert "<script>alert(1)</script>" in text and "<html" not in text
    with pytest.raises(InputError, match="fmt"):
        doc.render("dunning/injunction_file_fr.j2", "pdf", **ctx)
    with pytest.raises(InputError, match="template"):
        doc.render("nowhere/x.j2", "html")


def test_letters_charter_and_injunction_file_render_through_the_one_environment(demo):
    from creditlab import dunning as dn
    from creditlab.finance import credit_charter
    from creditlab.receivables import Ledger

    items = Ledger.from_tables(demo["invoices"], demo["payments"]).at("2025-12-31")
    cid = items.items.loc[items.items["open_amount"] > 0, "customer_id"].iloc[0]
    dn.render_letter("reminder_1", {"customer_id": cid}, items)
    credit_charter(company="ACME", lang="en")
    names = {key[1] for key in doc.environment().cache.keys()}
    assert {"html:dunning/reminder_1_fr.j2", "html:dunning/layout.html.j2",
            "text:dunning/reminder_1_fr.j2", "text:dunning/layout.txt.j2",
            "markdown:finance/credit_charter_en.md.j2"} <= names
