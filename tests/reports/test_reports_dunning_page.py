"""The French dunning report page: no raw table left (codes, True/False, unformatted amounts),
dispute causes in French, no internal file names or paths in the text."""

from __future__ import annotations

import re

import pytest

from creditlab.reports.runner import run_report

FORBIDDEN = ("claim_fees", "claim_interest", "days_left", "net_amount", "customer_id",
             "max_days_past_due", "True", "False", "331911.85", "DOMAIN.md", "papermill",
             "/tmp/", "creditlab_report_", "deadline_estimated", "overdue_amount")


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    out = tmp_path_factory.mktemp("dunning_page")
    run_report("dunning", {"pdf": "no"}, out, "fr")
    return (out / "dunning" / "dunning.html").read_text(encoding="utf-8")


def _visible(html: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def test_no_raw_table_or_internal_name_on_the_french_page(page):
    text = _visible(page)
    found = [w for w in FORBIDDEN if w in text]
    assert found == []
    # Babel amounts, Oui/Non, causes and headers in French
    assert "331\u202f911,85\xa0€" in page
    assert re.search(r">\s*(Oui|Non)\s*<", page)
    assert "motif du litige" in page and re.search(r">\s*(qualité|prix|livraison)\s*<", page)
    assert "indemnité de 40 € réclamée" in page and "jours restants" in page
    assert "grands_comptes" not in text and "Grands comptes" in text    # scenario labels
    assert not re.search(r">\s*(quality|price|delivery|quantity|administrative)\s*<", page)
