"""Cached reference tables cannot be changed from outside (issue: mutable global state).

Each public loader is called, what it returned is edited in place, and then the loader and a
computation that reads the same table must give what they gave before the edit.
"""

from __future__ import annotations

import pandas as pd
import pytest

import creditlab.io as cio
from creditlab import legal
from creditlab.exceptions import ValidationError
from creditlab.finance import default_raci, factoring_contracts, factoring_cost
from creditlab.io.reference import risk_stakes_grid
from creditlab.quiz import load_quiz, load_self_assessment
from creditlab.scores.ratings import normalise_rating, rating_scales
from creditlab.statements.fec import load_pcg_mapping


def _penalty():
    # 1 000 € due 2025-01-31, paid 2025-03-31: 59 days at 13.15 % (H1 2025: ECB 3.15 % + 10)
    return float(legal.late_penalties(1000.0, "2025-01-31", "2025-03-31")["penalty"].iloc[0])


def test_ecb_table_edit_changes_no_penalty():
    before = _penalty()
    assert before == pytest.approx(1000 * 0.1315 * 59 / 365)
    r = legal.ecb_rates()
    r["mro"] *= 10
    r.loc[0, "source"] = "edited"
    assert _penalty() == before
    assert legal.ecb_rates()["mro"].max() < 0.05
    assert (legal.ecb_rates()["source"] != "edited").all()


def test_legal_rate_table_edit_changes_no_floor():
    before = legal.minimum_contract_rate("2025-10-01")
    t = legal.legal_rates()
    t["professional"] = 1.0
    t["start"] = pd.Timestamp("1990-01-01")
    assert legal.minimum_contract_rate("2025-10-01") == before
    assert len(legal.legal_rates()) > 10


def test_cache_clear_still_reloads():
    legal.ecb_rates.cache_clear()
    legal.legal_rates.cache_clear()
    assert _penalty() == pytest.approx(1000 * 0.1315 * 59 / 365)


def test_term_caps_edit_changes_no_check():
    before = legal.check_terms("net_75")
    assert not before.compliant
    caps = legal.term_caps()
    caps[caps.select_dtypes("number").columns] = 999
    assert legal.check_terms("net_75") == before
    assert legal.term_caps().equals(legal.term_caps())
    assert not legal.term_caps().equals(caps)


def test_alias_tables_edit_changes_no_reading(tmp_path):
    text = ("N° facture;Code client;Type de pièce;Date facture;Date échéance;Montant TTC;Montant HT\n"
            "F-001;C001;Avoir;15/03/2024;14/05/2024;-120,00;-100,00\n")
    p = tmp_path / "factures.csv"
    p.write_text(text, encoding="utf-8")
    before = cio.read_table(p, "invoices")
    assert before["doc_type"].tolist() == ["credit_note"]
    cols = cio.load_column_aliases()
    cols["canonical"] = "nothing"
    vals = cio.readers.load_value_aliases()
    vals["canonical"] = "invoice"
    pd.testing.assert_frame_equal(cio.read_table(p, "invoices"), before)
    assert (cio.load_column_aliases()["canonical"] != "nothing").all()


def test_schema_edit_changes_no_validation():
    schema = cio.table_schema("invoices")
    n = len(schema.columns)
    schema.columns.clear()
    assert len(cio.table_schema("invoices").columns) == n
    bad = pd.DataFrame({"invoice_id": ["F1"], "customer_id": ["C1"], "doc_type": ["bogus"],
                        "issue_date": ["2024-01-10"], "due_date": ["2024-03-10"],
                        "amount_ttc": [120.0], "amount_ht": [100.0]})
    with pytest.raises(ValidationError, match="doc_type"):
        cio.validate(bad, "invoices")


def test_rating_scales_edit_changes_no_normalisation():
    before = normalise_rating("bdf", "3++")
    s = rating_scales()
    s["risk_index"] = 0.0
    s["provider"] = "none"
    assert normalise_rating("bdf", "3++") == before
    assert len(rating_scales()) > 20


def test_risk_stakes_grid_edit_is_local():
    g = risk_stakes_grid()
    g.loc[:, "action"] = "edited"
    assert (risk_stakes_grid()["action"] != "edited").all()


def test_factoring_contracts_edit_changes_no_cost():
    before = factoring_cost(500_000, 60, commission_rate=0.009, index_rate=0.002, margin=0.03)
    t = factoring_contracts()
    t["financing"] = False
    t["label"] = "edited"
    after = factoring_cost(500_000, 60, commission_rate=0.009, index_rate=0.002, margin=0.03)
    pd.testing.assert_series_equal(after.table, before.table)
    assert after.features == before.features
    assert (factoring_contracts()["label"] != "edited").all()


def test_default_raci_edit_is_local():
    r = default_raci()
    r.iloc[:, :] = "X"
    assert (default_raci() != "X").any().any()


def test_pcg_mapping_edit_is_local():
    m = load_pcg_mapping("2024")
    m["aggregate"] = "ignore"
    assert (load_pcg_mapping("2024")["aggregate"] != "ignore").any()


def test_quiz_and_self_assessment_edits_are_local():
    q = load_quiz(1)
    opts = q.questions.loc[0, "options"]
    opts["z"] = "edited"
    assert "z" not in load_quiz(1).questions.loc[0, "options"]
    sa = load_self_assessment()
    label = sa.themes[0]["label"]
    sa.themes[0]["label"] = "edited"
    sa.themes[0]["questions"].append("edited")
    fresh = load_self_assessment()
    assert fresh.themes[0]["label"] == label
    assert "edited" not in fresh.themes[0]["questions"]
