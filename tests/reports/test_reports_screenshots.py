"""The dashboard page and a letter rendered to PNG in a real headless browser (Chromium):
non-blank, at A4 width, charts drawn. Skipped without Chromium."""

from __future__ import annotations

import pytest

from creditlab.documents import find_browser, page_widths, screenshot

pytestmark = pytest.mark.skipif(find_browser() is None,
                                reason="no headless Chromium (Debian: apt-get install "
                                       "chromium); the screenshot checks need one")

A4_WIDTH, A4_HEIGHT = 794, 1123      # 21 x 29.7 cm at 96 dpi


def _ink(png):
    """Shares of non-white pixels: whole page, left half, right half, top and bottom thirds,
    and of coloured pixels (charts)."""
    import numpy as np
    from PIL import Image

    img = Image.open(png).convert("RGB")
    a = np.asarray(img).astype(int)
    h, w = a.shape[:2]
    dark = a.sum(axis=2) < 3 * 235
    coloured = (a.max(axis=2) - a.min(axis=2)) > 60
    return img.size, {"all": dark.mean(), "left": dark[:, : w // 2].mean(),
                      "right": dark[:, w // 2:].mean(), "top": dark[: h // 3].mean(),
                      "bottom": dark[2 * h // 3:].mean(), "colour": coloured.mean()}


def test_dashboard_page_in_a_browser(tmp_path, monkeypatch):
    from creditlab.reports.runner import run_report

    # MPLBACKEND=Agg (as the test commands set it) reaches the kernel and keeps the charts
    # out of the page; a report run by cron has the notebook's inline backend
    monkeypatch.delenv("MPLBACKEND", raising=False)
    run_report("credit_dashboard", {}, tmp_path, "fr")
    html = tmp_path / "credit_dashboard" / "credit_dashboard.html"
    widths = page_widths(html, width=A4_WIDTH)
    height = widths["scroll_height"]               # the whole page, whatever its length
    assert 4000 < height < 30000, widths
    size, ink = _ink(screenshot(html, tmp_path / "dashboard.png", width=A4_WIDTH,
                                height=height))
    assert size == (A4_WIDTH, height)
    assert ink["all"] > 0.02, ink                  # text and charts, not a blank page
    assert ink["left"] > 0.01 and ink["right"] > 0.005, ink   # the page fills its width
    assert ink["top"] > 0.01 and ink["bottom"] > 0.01, ink    # and its length
    assert ink["colour"] > 0.002, ink              # the charts are drawn
    # every table fits the A4 width: none cut off on the right or scrolling in its box
    assert "creditlab-page" in html.read_text(encoding="utf-8")
    assert widths["width"] == A4_WIDTH
    assert widths["scroll_width"] <= A4_WIDTH and widths["overflowing"] == [], widths


@pytest.mark.parametrize("name", ["aged_balance", "dunning"])
def test_other_report_pages_fit_a4_width(tmp_path, name):
    from creditlab.reports.runner import run_report

    html = run_report(name, {}, tmp_path, "fr")["html"]
    widths = page_widths(html, width=A4_WIDTH)
    assert widths["scroll_width"] <= A4_WIDTH and widths["overflowing"] == [], widths


def test_page_widths_sees_a_table_cut_off(tmp_path):
    import pandas as pd

    from creditlab.documents import REPORT_PAGE_CSS

    wide = pd.DataFrame([[1234567.89] * 14], columns=[f"colonne numéro {i}" for i in range(14)])
    page = tmp_path / "wide.html"
    box = '<div style="overflow-x:auto">{}</div>'
    page.write_text(f"<html><head></head><body>{box.format(wide.to_html())}</body></html>",
                    encoding="utf-8")
    cut = page_widths(page, width=A4_WIDTH)
    assert cut["overflowing"] and any(o.startswith("table") for o in cut["overflowing"])
    narrow = tmp_path / "narrow.html"
    narrow.write_text(f"<html><head>{REPORT_PAGE_CSS}</head><body>"
                      f"{box.format(wide.iloc[:, :4].to_html())}</body></html>",
                      encoding="utf-8")
    fits = page_widths(narrow, width=A4_WIDTH)
    assert fits["overflowing"] == [] and fits["scroll_width"] <= A4_WIDTH


def test_letter_in_a_browser(tmp_path):
    import pandas as pd

    from creditlab.dunning import render_letter

    items = pd.DataFrame({"customer_id": ["C1", "C1"], "invoice_id": ["A1", "A2"],
                          "issue_date": pd.to_datetime(["2025-09-21", "2025-10-01"]),
                          "due_date": pd.to_datetime(["2025-10-21", "2025-11-01"]),
                          "amount_ttc": [1000.0, 1234.56], "open_amount": [1000.0, 1234.56]})
    letter = render_letter("formal_notice", {"customer_id": "C1", "name": "Rousseau SAS",
                                             "address": "4 avenue des Tilleuls\n13001 Marseille"},
                           items, as_of="2025-12-31")
    path = tmp_path / "letter.html"
    path.write_text(letter.html, encoding="utf-8")
    size, ink = _ink(screenshot(path, tmp_path / "letter.png", width=A4_WIDTH,
                                height=A4_HEIGHT))
    assert size == (A4_WIDTH, A4_HEIGHT)
    assert 0.01 < ink["all"] < 0.5, ink            # printed text on a white sheet
    assert ink["left"] > 0.005 and ink["right"] > 0.002 and ink["top"] > 0.01, ink
