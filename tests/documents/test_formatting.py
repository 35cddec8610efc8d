"""One formatting layer (creditlab.i18n on Babel) for letters, reports and plot axes."""

from __future__ import annotations

import math

import pytest

from creditlab.i18n import format_date, format_eur, format_number, format_pct
from creditlab.plots._axes import compact_eur, pct_tick

NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.mark.parametrize("value, lang, decimals, expected", [
    (23521150, "fr", 0, f"23{NNBSP}521{NNBSP}150{NBSP}€"),     # not "23,521,150 €"
    (23521150, "en", 0, "€23,521,150"),
    (-1558.76, "en", 2, "-€1,558.76"),                          # not "€-1,558.76"
    (-1558.76, "fr", 2, f"-1{NNBSP}558,76{NBSP}€"),
    (1234.5, "fr", 2, f"1{NNBSP}234,50{NBSP}€"),
    (-0.001, "fr", 2, f"0,00{NBSP}€"),                         # no "-0,00 €"
    (math.nan, "fr", 2, "—"), (None, "en", 2, "—"),
])
def test_format_eur(value, lang, decimals, expected):
    assert format_eur(value, lang, decimals) == expected


@pytest.mark.parametrize("value, lang, decimals, expected", [
    (0.716, "fr", 1, f"71,6{NBSP}%"),                           # not "71.6%"
    (0.716, "en", 1, "71.6%"),
    (0.125, "fr", None, f"12,5{NBSP}%"), (0.1, "fr", None, f"10{NBSP}%"),
    (0.33333, "en", None, "33.33%"), (math.nan, "fr", 1, "—"),
])
def test_format_pct(value, lang, decimals, expected):
    assert format_pct(value, lang, decimals) == expected


def test_format_number_and_dates():
    assert format_number(1234567.5, "fr", 1) == f"1{NNBSP}234{NNBSP}567,5"
    assert format_number(1234567.5, "en", 1) == "1,234,567.5"
    assert format_date("2026-01-01", "fr", "long") == "1er janvier 2026"
    assert format_date("2025-12-31", "en", "long") == "31 December 2025"
    assert format_date("2025-12-31", "fr") == "31/12/2025"
    assert format_date(None) == ""


def test_plot_ticks():
    assert pct_tick(0.125, "fr") == f"12,5{NBSP}%"             # not rounded to "13 %"
    assert pct_tick(0.2, "en") == "20%"
    assert compact_eur(1_250_000, "fr") == f"1,25{NBSP}M€"
    assert compact_eur(-2000, "en") == "-€2k"
    assert compact_eur(250_000, "en") == "€250k"


def test_documents_use_the_same_layer():
    from creditlab.documents import format_amount, format_percent

    assert format_amount(-1558.755, "en") == "-€1,558.76"      # half-up to the cent first
    assert format_percent(0.125, "fr") == f"12,5{NBSP}%"
