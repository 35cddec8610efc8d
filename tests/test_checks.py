"""creditlab._checks: one home for the checks every package shares."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from creditlab._checks import as_date, check_choice, finite_number, round_cents, safe_div
from creditlab.exceptions import InputError


@pytest.mark.parametrize("value, expected", [
    ("2025-12-31", "2025-12-31"),
    ("31/12/2025", "2025-12-31"),
    ("01/12/2025", "2025-12-01"),          # French: the 1st of December, never 12 January
    ("5.3.2026", "2026-03-05"),
    ("2026-02-28T17:45", "2026-02-28"),
    (dt.date(2024, 2, 29), "2024-02-29"),
    (pd.Timestamp("2025-06-30 23:30", tz="Europe/Paris"), "2025-06-30"),  # local calendar day
    (np.datetime64("2025-05-05"), "2025-05-05"),
])
def test_as_date_reads_iso_and_french(value, expected):
    assert as_date(value) == pd.Timestamp(expected)


@pytest.mark.parametrize("value, words", [
    ("12/31/2025", "month-first"), ("31/06/2025", "real calendar date"),
    ("1025-01-01", "year between"), ("hier", "2025-12-31"), (None, "explicitly"),
    (pd.NaT, "explicitly"), (20251231, "a date"), ("2025-12", "2025-12-31"),
])
def test_as_date_refuses_with_a_fix(value, words):
    with pytest.raises(InputError, match="as_of") as err:
        as_date(value, "as_of")
    assert words in str(err.value)


def test_round_cents_half_up_on_decimal_ties():
    # Values a document prints: ties go away from zero, whatever their binary representation.
    assert round_cents(1.005) == 1.01
    assert round_cents(2.675) == 2.68
    assert round_cents(-2.675) == -2.68
    assert round_cents(203.045) == 203.05
    assert round_cents(0.125) == 0.13
    out = round_cents(np.array([1000.005, np.nan, -0.004]))
    assert out[0] == 1000.01 and np.isnan(out[1]) and out[2] == 0.0
    assert not np.signbit(out[2])
    s = round_cents(pd.Series([0.015, 0.025], index=["a", "b"]))
    assert s.to_dict() == {"a": 0.02, "b": 0.03}


def test_safe_div_never_infinite():
    assert np.isnan(safe_div(1.0, 0.0))
    assert np.isnan(safe_div(1.0, np.nan))
    np.testing.assert_allclose(safe_div(np.array([1.0, 3.0]), np.array([0.0, 4.0])),
                               [np.nan, 0.75])
    s = safe_div(pd.Series([2.0, 4.0], index=["x", "y"]), pd.Series([4.0, 0.0], index=["x", "y"]))
    assert s["x"] == 0.5 and np.isnan(s["y"])


def test_choices_and_numbers():
    assert check_choice("fr", "lang", ("fr", "en")) == "fr"
    with pytest.raises(InputError, match="lang: expected one of"):
        check_choice("de", "lang", ("fr", "en"))
    assert finite_number(3, "days", minimum=0) == 3.0
    for bad in (True, "12", np.inf, -1):
        with pytest.raises(InputError, match="days"):
            finite_number(bad, "days", minimum=0)
