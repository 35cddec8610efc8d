"""Term codes naming a regime are checked against that regime's cap (L441-11 II Code de
commerce: transport, 30 days from the invoice date, public order; periodic invoices, 45 days
from the invoice date, L441-10 I and CGI art. 289 I 3); an unknown regime is an error."""

from __future__ import annotations

import pandas as pd
import pytest

from creditlab.exceptions import InputError
from creditlab.legal import check_terms, due_date
from creditlab.legal.terms import term_regime


@pytest.mark.parametrize(("code", "ok", "cap"), [
    ("transport_45", False, 30), ("transport_31", False, 30), ("transport_30", True, 30),
    ("periodic_60", False, 45), ("periodic_46", False, 45), ("periodic_45", True, 45),
    ("net_60", True, 60), ("net_61", False, 60), ("eom45_b", True, 45),
])
def test_regime_codes_use_their_own_cap(code, ok, cap):
    res = check_terms(code)
    assert res.compliant is ok and res.max_days == cap
    if not ok:
        assert "NON conforme" in res.message


def test_the_code_regime_wins_over_a_general_sector_and_conflicts_are_errors():
    assert not check_terms("transport_45", sector="industrie").compliant
    assert check_terms("net_25", sector="transport").compliant
    with pytest.raises(InputError, match="consistent"):
        check_terms("periodic_45", sector="transport")
    with pytest.raises(InputError, match="consistent"):
        check_terms("transport_30", periodic=True)


def test_unknown_regime_is_an_error():
    with pytest.raises(InputError, match="regime"):
        check_terms("agri_60")
    with pytest.raises(InputError):
        due_date("2025-03-10", "agri_60")
    assert term_regime("net_30") is None and term_regime("eom30_a") is None
    assert term_regime("transport_20") == "transport"
    # a transport term counts from the invoice date: 10/03/2025 + 20 days = 30/03/2025
    assert due_date("10/03/2025", "transport_20") == pd.Timestamp("2025-03-30")
