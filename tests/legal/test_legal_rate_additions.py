"""Rate tables that never stop the job: coverage, a half-year added with its source
(``creditlab rates``), letters stating the legal rule when a period is not covered.

Legal basis: L441-10 II Code de commerce (default rate = ECB MRO rate in force on 1 January /
1 July + 10 points; 40 € indemnity D441-5). The 2026 S2 rate below (1.90 %) is a made-up test
value stored in a temporary folder, not a published figure.
"""

from __future__ import annotations

import pandas as pd
import pytest

from creditlab.cli import main
from creditlab.dunning import render_letter
from creditlab.exceptions import InputError
from creditlab.legal import default_penalty_rate, late_penalties
from creditlab.legal import rates as R


@pytest.fixture()
def rates_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CREDITLAB_RATES_DIR", str(tmp_path / "rates"))
    R.ecb_rates.cache_clear()
    R.legal_rates.cache_clear()
    yield tmp_path / "rates"
    monkeypatch.delenv("CREDITLAB_RATES_DIR")
    R.ecb_rates.cache_clear()
    R.legal_rates.cache_clear()


def test_bundled_tables_cover_up_to_2026_s1(rates_dir):
    cov = R.rate_coverage().set_index("table")
    assert cov.loc["ecb", "last_half_year"] == "2026 S1"
    assert cov.loc["legal", "last_half_year"] == "2026 S1"
    assert (cov["user_rows"] == 0).all()
    # 2026 S1: MRO 2.15 % on 1 January 2026 (unchanged since 11 June 2025) → 12.15 %
    assert default_penalty_rate("2026-03-15") == pytest.approx(0.1215)
    assert R.legal_interest_rate("2026-03-15") == pytest.approx(0.0262)


def test_added_half_year_is_used_with_its_source(rates_dir):
    path = R.add_ecb_rate("2026-S2", 1.90, source="test: made-up ECB figure for 2026 S2")
    assert path == rates_dir / "ecb_mro_rates.csv"
    assert "made-up" in path.read_text()
    assert default_penalty_rate("2026-09-15") == pytest.approx(0.119)
    # 2 000 € due 31/10/2026, at 31/12/2026: 61 days × 11.90 % × 2 000 / 365 = 39.78 €
    res = late_penalties(pd.Series([2000.0]), pd.Series([pd.Timestamp("2026-10-31")]),
                         pd.Series([pd.Timestamp("2026-12-31")]))
    assert float(res["penalty_rounded"].iloc[0]) == pytest.approx(39.78, abs=0.005)
    cov = R.rate_coverage().set_index("table")
    assert cov.loc["ecb", "last_half_year"] == "2026 S2" and cov.loc["ecb", "user_rows"] == 1
    # a covered half-year is never overwritten with another figure; the same one is a no-op
    with pytest.raises(InputError, match="covered half-year"):
        R.add_ecb_rate("2026-S1", 2.00, source="another source text")
    R.add_ecb_rate("2026-S1", 2.15, source="same figure, nothing added")
    assert R.rate_coverage().set_index("table").loc["ecb", "user_rows"] == 1
    with pytest.raises(InputError, match="source"):
        R.add_ecb_rate("2027-S1", 1.9, source="")
    R.add_legal_rate("2026 S2", 2.5, 6.5, source="test: made-up arrêté for 2026 S2")
    assert R.minimum_contract_rate("2026-08-01") == pytest.approx(0.075)
    with pytest.raises(InputError, match="half_year"):
        R.add_legal_rate("2026-S1", 2.5, 6.5, source="already published, refused")


def test_letter_of_an_uncovered_period_states_the_rule_then_the_amount(rates_dir):
    items = pd.DataFrame({"invoice_id": ["F9"], "due_date": [pd.Timestamp("2026-10-31")],
                          "open_amount": [2000.0]})
    before = render_letter("formal_notice", {"customer_id": "000044"}, items,
                           as_of="2026-12-31")
    assert "taux BCE + 10 points : à parfaire" in before.text
    assert before.total_claimed == pytest.approx(2040.0)          # principal + 40 €
    R.add_ecb_rate("2026-S2", 1.90, source="test: made-up ECB figure for 2026 S2")
    after = render_letter("formal_notice", {"customer_id": "000044"}, items,
                          as_of="2026-12-31")
    assert "à parfaire" not in after.text
    assert after.total_claimed == pytest.approx(2079.78)          # + 39.78 € penalties


def test_rates_command(rates_dir, capsys):
    assert main(["rates"]) == 0
    out, _ = capsys.readouterr()
    assert "2026 S1" in out
    assert main(["rates", "add-ecb", "2026-S2", "1.90", "--source", "test: made-up figure"]) == 0
    out, _ = capsys.readouterr()
    assert "2026 S2" in out
    assert main(["rates", "add-ecb", "2026-S1", "3.00", "--source", "test: wrong figure"]) == 2
    assert "covered half-year" in capsys.readouterr().err
