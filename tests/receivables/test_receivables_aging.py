"""aged_balance: bucket edges, disputed modes, grouping, result object, properties, bad inputs.

Definitions: days_past_due = as_of − due_date; <= 0 is "current" / not yet due, >= 1 past due,
"> 90" is the CRF "over 90 days past due" bucket (DOMAIN.md §6.3 and §6.5, pitfall 6; CRF KPI
definitions http://www.crfweb.net/KpiCalculator/KpiDefs.asp).
"""

from __future__ import annotations

from functools import partial

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import ledgers, open_item_tables

from creditlab.exceptions import InputError
from creditlab.receivables import (
    AgedBalance,
    Ledger,
    aged_balance,
    bucket_codes,
    bucket_labels,
    open_items,
)

matplotlib.use("Agg")

AS_OF = pd.Timestamp("2025-06-30")


def items_frame(rows):
    """rows: (customer_id, invoice_id, doc_type, days_since_issue, days_past_due, open, disputed)."""
    recs = []
    for cust, iid, typ, since_issue, dpd, amt, disp in rows:
        recs.append({"customer_id": cust, "invoice_id": iid, "doc_type": typ,
                     "issue_date": AS_OF - pd.Timedelta(days=since_issue),
                     "due_date": AS_OF - pd.Timedelta(days=dpd),
                     "amount_ttc": amt, "paid_amount": 0.0, "open_amount": amt,
                     "disputed": disp})
    df = pd.DataFrame(recs)
    df["customer_id"] = df["customer_id"].astype("str")
    df["invoice_id"] = df["invoice_id"].astype("str")
    return df


@pytest.fixture
def items():
    return items_frame([
        ("C1", "F1", "invoice", 40, -20, 100.00, False),   # due in 20 days → non échu
        ("C1", "F2", "invoice", 60, 0, 200.00, False),     # due today → non échu
        ("C1", "F3", "invoice", 61, 1, 300.00, False),     # 1 day late → 1-30
        ("C1", "F4", "invoice", 90, 30, 400.00, False),    # 30 → 1-30
        ("C1", "F5", "invoice", 91, 31, 500.00, True),     # 31 → 31-60, disputed
        ("C2", "F6", "invoice", 120, 60, 600.00, False),   # 60 → 31-60
        ("C2", "F7", "invoice", 121, 61, 700.00, False),   # 61 → 61-90
        ("C2", "F8", "invoice", 150, 90, 800.00, False),   # 90 → 61-90
        ("C2", "F9", "invoice", 151, 91, 900.00, True),    # 91 → > 90, disputed
        ("C2", "A1", "credit_note", 10, 10, -50.00, False),  # credit note 10 days old → 1-30
        ("C3", "R1", "unallocated_cash", 5, 5, -25.00, False),
    ])


def test_bucket_edges_by_due_date(items):
    ab = aged_balance(items, AS_OF, disputed="include")
    t = ab.table
    assert list(t.columns) == ["not_due", "dpd_1_30", "dpd_31_60", "dpd_61_90", "dpd_over_90",
                               "of_which_disputed", "total"]
    assert t.loc["C1"].tolist() == [300.0, 700.0, 500.0, 0.0, 0.0, 500.0, 1500.0]
    assert t.loc["C2"].tolist() == [0.0, -50.0, 600.0, 1500.0, 900.0, 900.0, 2950.0]
    assert t.loc["C3"].tolist() == [0.0, -25.0, 0.0, 0.0, 0.0, 0.0, -25.0]
    assert t.loc["total"].tolist() == [300.0, 625.0, 1100.0, 1500.0, 900.0, 1400.0, 4425.0]
    assert t.index.name == "customer_id"
    assert ab.bucket_columns == ("not_due", "dpd_1_30", "dpd_31_60", "dpd_61_90", "dpd_over_90")


def test_disputed_separate_is_default(items):
    ab = aged_balance(items, AS_OF)
    t = ab.table
    assert ab.disputed_column == "disputed"
    # F5 (500, 31-60) and F9 (900, > 90) move out of their buckets into "litiges"
    assert t.loc["C1", "dpd_31_60"] == 0.0 and t.loc["C1", "disputed"] == 500.0
    assert t.loc["C2", "dpd_over_90"] == 0.0 and t.loc["C2", "disputed"] == 900.0
    assert t.loc["total", "total"] == 4425.0
    cols = [*ab.bucket_columns, "disputed"]
    assert (t[cols].sum(axis=1) == t["total"]).all()


def test_disputed_exclude(items):
    ab = aged_balance(items, AS_OF, disputed="exclude")
    assert ab.disputed_column is None and "disputed" not in ab.table.columns
    assert ab.table.loc["total", "total"] == 4425.0 - 1400.0


def test_bucket_edges_by_issue_date(items):
    ab = aged_balance(items, AS_OF, basis="issue_date", disputed="include")
    t = ab.table
    assert ab.bucket_columns == ("age_0_30", "age_31_60", "age_61_90", "age_over_90")
    assert list(ab.in_words().columns)[:4] == ["0-30 j", "31-60 j", "61-90 j", "> 90 j"]
    # days since issue: F1 40, F2 60, F3 61, F4 90, F5 91
    assert t.loc["C1"].tolist()[:4] == [0.0, 300.0, 700.0, 500.0]
    # C2: A1 10 → 0-30; F6..F9 ≥ 120 → > 90
    assert t.loc["C2"].tolist()[:4] == [-50.0, 0.0, 0.0, 3000.0]
    assert t.loc["C3"].tolist()[:4] == [-25.0, 0.0, 0.0, 0.0]


def test_custom_buckets_and_labels(items):
    assert bucket_labels((30, 60)) == ["non échu", "1-30 j", "31-60 j", "> 60 j"]
    assert bucket_labels((0, 1, 30), lang="en") == ["not yet due", "1 d", "2-30 d", "> 30 d"]
    assert bucket_labels((0, 45), basis="issue_date") == ["0-45 j", "> 45 j"]
    ab = aged_balance(items, AS_OF, buckets=[30, 60], disputed="include")
    assert ab.buckets == (0, 30, 60)
    assert ab.totals.tolist() == [300.0, 625.0, 1100.0, 2400.0, 1400.0, 4425.0]
    ab = aged_balance(items, AS_OF, buckets=(0,), disputed="include")
    assert ab.totals.tolist() == [300.0, 4125.0, 1400.0, 4425.0]


def test_bucket_codes_follow_the_edges():
    assert bucket_codes() == ["not_due", "dpd_1_30", "dpd_31_60", "dpd_61_90", "dpd_over_90"]
    assert bucket_codes((15, 45), "issue_date") == ["age_0_15", "age_16_45", "age_over_45"]
    assert len(bucket_codes((0, 10, 20))) == len(bucket_labels((0, 10, 20)))


def test_issue_basis_and_include_codes(items):
    ab = aged_balance(items, AS_OF, basis="issue_date", disputed="include", by=None)
    s = ab.summary()
    assert list(s.index) == [*bucket_codes(basis="issue_date"), "of_which_disputed", "total"]
    assert ab.to_frame().index[-2] == "dont litiges"
    assert ab.code_table().index.tolist() == ["total"]


def test_words_at_the_edge(items):
    """The table holds codes; in_words gives the former word table, French by default."""
    ab = aged_balance(items, AS_OF)
    en = ab.in_words("en")
    assert list(en.columns) == ["not yet due", "1-30 d", "31-60 d", "61-90 d", "> 90 d",
                                "disputed", "total"]
    assert en.index.name == "customer id" and en.index[-1] == "Total"
    fr = ab.in_words()
    assert list(fr.columns) == ["non échu", "1-30 j", "31-60 j", "61-90 j", "> 90 j",
                                "litiges", "total"]
    assert fr.index.name == "code client" and fr.loc["Total", "total"] == 4425.0
    assert (fr.to_numpy() == ab.table.to_numpy()).all()
    assert list(ab.summary().columns) == ["amount", "share"]
    with pytest.raises(TypeError):
        aged_balance(items, AS_OF, lang="en")  # lang left the computation
    with pytest.raises(InputError, match="lang"):
        ab.in_words("de")
    assert "Aged balance at 2025-06-30" in ab.to_html("en")


def test_group_by_customer_attribute(items):
    customers = pd.DataFrame({"customer_id": ["C1", "C2", "C3"],
                              "name": ["Alpha", "Beta", "Gamma"],
                              "segment": ["grands comptes", "PME", None],
                              "rating": [3, 5, 3]})
    ab = aged_balance(items, AS_OF, by="segment", customers=customers)
    t = ab.table
    assert list(t.index) == ["PME", "grands comptes", "not_set", "total"]
    assert list(ab.in_words().index) == ["PME", "grands comptes", "non renseigné", "Total"]
    assert ab.in_words("en").index.name == "segment"
    assert t.loc["grands comptes", "total"] == 1500.0
    assert t.loc["not_set", "total"] == -25.0
    by_rating = aged_balance(items, AS_OF, by="rating", customers=customers).table
    assert by_rating.loc[3, "total"] == 1475.0 and by_rating.loc[5, "total"] == 2950.0
    multi = aged_balance(items, AS_OF, by=["segment", "customer_id"], customers=customers)
    assert multi.table.loc[("PME", "C2"), "total"] == 2950.0
    assert multi.table.index[-1] == ("total", "")
    assert multi.in_words().index[-1] == ("Total", "")
    assert multi.in_words().index.names == ["segment", "code client"]
    # a column of items works without customers
    by_type = aged_balance(items, AS_OF, by="doc_type").table
    assert by_type.loc["credit_note", "total"] == -50.0
    whole = aged_balance(items, AS_OF, by=None).table
    assert list(whole.index) == ["total"] and whole.loc["total", "total"] == 4425.0


def test_group_errors(items):
    with pytest.raises(InputError, match="customers="):
        aged_balance(items, AS_OF, by="segment")
    customers = pd.DataFrame({"customer_id": ["C1", "C2"], "segment": ["a", "b"]})
    with pytest.raises(InputError, match="C3"):
        aged_balance(items, AS_OF, by="segment", customers=customers)
    with pytest.raises(InputError, match="by"):
        aged_balance(items, AS_OF, by="nope", customers=customers)
    dup = pd.concat([customers, customers])
    with pytest.raises(InputError, match="one row per customer"):
        aged_balance(items, AS_OF, by="segment", customers=dup)


def test_detail(items):
    ab = aged_balance(items, AS_OF, detail=True)
    d = ab.detail.set_index("invoice_id")
    assert d.loc["F2", "days_past_due"] == 0 and d.loc["F2", "bucket"] == "not_due"
    assert d.loc["F3", "days_past_due"] == 1 and d.loc["F3", "bucket"] == "dpd_1_30"
    assert d.loc["F9", "bucket"] == "dpd_over_90" and d.loc["F9", "days_since_issue"] == 151
    assert "doc_type_label" not in d.columns
    words = ab.detail_in_words().set_index("invoice_id")
    assert words.loc["F2", "bucket"] == "non échu" and words.loc["F9", "bucket"] == "> 90 j"
    assert words.loc["R1", "doc_type_label"] == "règlement non affecté"
    assert ab.detail_in_words("en").set_index("invoice_id").loc["F3", "bucket"] == "1-30 d"
    assert aged_balance(items, AS_OF).detail_in_words() is None
    assert aged_balance(items, AS_OF).detail is None


def test_result_object(items):
    customers = pd.DataFrame({"customer_id": ["C1", "C2", "C3"],
                              "name": ["Alpha", "Beta", "Gamma"]})
    ab = aged_balance(items, AS_OF, customers=customers)
    assert isinstance(ab, AgedBalance)
    with pytest.raises(AttributeError):
        ab.lang = "en"  # frozen
    s = ab.summary()  # codes
    assert s.loc["total", "amount"] == 4425.0 and s.loc["total", "share"] == 1.0
    assert s.loc["disputed", "share"] == pytest.approx(1400 / 4425)
    assert list(s.index) == ["not_due", "dpd_1_30", "dpd_31_60", "dpd_61_90", "dpd_over_90",
                             "disputed", "total"]
    words = ab.to_frame()  # the same in French words (the former summary)
    assert words.loc["litiges", "part"] == pytest.approx(1400 / 4425)
    assert list(words.columns) == ["montant", "part"] and words.index[1] == "1-30 j"
    assert ab.to_frame("en").loc["disputed", "amount"] == 1400.0
    codes = ab.code_table()
    assert list(codes.columns) == list(s.index) and codes.index.name == "customer_id"
    assert codes.loc["total", "total"] == 4425.0
    assert (codes.to_numpy() == ab.table.to_numpy()).all()
    top = ab.top_overdue(2)
    # past due (dpd >= 1, disputed included): C2 = 600+700+800+900−50 = 2950, C1 = 1200
    assert list(top.index) == ["C2", "C1"]
    assert top["past_due"].tolist() == [2950.0, 1200.0]
    assert top["name"].tolist() == ["Beta", "Alpha"]
    assert top["max_days_past_due"].tolist() == [91.0, 31.0]
    assert top.loc["C1", "share_past_due"] == pytest.approx(1200 / 1500)
    top_fr = ab.top_overdue(2, lang="fr")
    assert list(top_fr.columns[:4]) == ["raison sociale", "échu", "part échue", "retard max (j)"]
    assert top_fr["échu"].tolist() == [2950.0, 1200.0] and top_fr.index.name == "code client"
    assert list(ab.top_overdue(2, lang="en").columns[:2]) == ["name", "past due"]
    assert len(ab.top_overdue(1)) == 1
    html = ab._repr_html_()
    assert "Balance âgée au 30/06/2025" in html and "4\u202f425,00" in html
    assert "AgedBalance" in repr(ab)
    ax = ab.plot_buckets()
    assert len(ax.patches) == 6
    assert [t.get_text() for t in ax.get_xticklabels()][:2] == ["non échu", "1-30 j"]
    ax = ab.plot_buckets(lang="en")
    assert [t.get_text() for t in ax.get_xticklabels()][:2] == ["not yet due", "1-30 d"]
    assert ax.get_title() == "Receivables by age bucket"
    ax = ab.plot_top(n=2)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["C1 Alpha", "C2 Beta"]
    with pytest.raises(InputError, match="n"):
        ab.top_overdue(0)


# --------------------------------------------------------------------------- credits="separate"
@pytest.fixture
def credit_items():
    return items_frame([
        ("C1", "F1", "invoice", 75, 45, 1000.00, False),         # 45 d late → 31-60 (issue: 61-90)
        ("C1", "F2", "invoice", 20, -10, 300.00, False),         # not yet due (issue: 0-30)
        ("C1", "A1", "credit_note", 40, 40, -200.00, False),     # credit note → own column
        ("C1", "R1", "unallocated_cash", 5, 5, -150.50, False),  # unallocated cash → own column
        ("C2", "F3", "invoice", 130, 100, 800.00, True),         # disputed invoice → litiges
        ("C2", "A2", "credit_note", 12, 12, -80.00, True),       # disputed credit note → litiges
        ("C2", "F4", "invoice", 45, 15, 120.25, False),          # 15 d late → 1-30 (issue: 31-60)
    ])


CREDITS = "avoirs et règlements non affectés"


def test_credits_separate_by_due_date(credit_items):
    ab = aged_balance(credit_items, AS_OF, credits="separate")
    t = ab.table
    assert ab.credits == "separate" and ab.credits_column == "credits"
    assert list(t.columns) == ["not_due", "dpd_1_30", "dpd_31_60", "dpd_61_90", "dpd_over_90",
                               "disputed", "credits", "total"]
    # C1: F2 300 not due, F1 1 000 in 31-60, A1 −200 and R1 −150.50 → −350.50; total 949.50
    assert t.loc["C1"].tolist() == [300.0, 0.0, 1000.0, 0.0, 0.0, 0.0, -350.5, 949.5]
    # C2: F4 120.25 in 1-30; F3 800 and the disputed credit note A2 −80 stay in litiges (720)
    assert t.loc["C2"].tolist() == [0.0, 120.25, 0.0, 0.0, 0.0, 720.0, 0.0, 840.25]
    assert t.loc["total"].tolist() == [300.0, 120.25, 1000.0, 0.0, 0.0, 720.0, -350.5, 1789.75]
    # same net totals as credits="age", where A1 (40 d) and R1 (5 d) sit in 31-60 and 1-30
    aged = aged_balance(credit_items, AS_OF)
    assert "credits" not in aged.table.columns and aged.credits_column is None
    assert aged.table.loc["C1", "dpd_31_60"] == 800.0
    assert aged.table.loc["C1", "dpd_1_30"] == -150.5
    assert (aged.table["total"] == t["total"]).all()
    # past due = positive items only (the amount to collect); total stays the signed net
    assert ab.stats["past_due"].tolist() == [1000.0, 920.25]          # age: 649.50, 840.25
    assert aged.stats["past_due"].tolist() == [649.5, 840.25]
    assert ab.stats["gross"].tolist() == [1300.0, 920.25]
    assert ab.stats["total"].tolist() == [949.5, 840.25]
    assert "gross" not in aged.stats.columns


def test_credits_separate_by_issue_date(credit_items):
    t = aged_balance(credit_items, AS_OF, basis="issue_date", credits="separate").table
    assert list(t.columns) == ["age_0_30", "age_31_60", "age_61_90", "age_over_90", "disputed",
                               "credits", "total"]
    # days since issue: F2 20 → 0-30, F1 75 → 61-90, F4 45 → 31-60; credits not aged
    assert t.loc["C1"].tolist() == [300.0, 0.0, 1000.0, 0.0, 0.0, -350.5, 949.5]
    assert t.loc["C2"].tolist() == [0.0, 120.25, 0.0, 0.0, 720.0, 0.0, 840.25]
    assert t.loc["total"].tolist() == [300.0, 120.25, 1000.0, 0.0, 720.0, -350.5, 1789.75]


def test_credits_separate_with_disputed_include_and_exclude(credit_items):
    inc = aged_balance(credit_items, AS_OF, disputed="include", credits="separate").table
    assert list(inc.columns)[-3:] == ["of_which_disputed", "credits", "total"]
    # the disputed credit note A2 goes to the credits column and still counts in "dont litiges"
    assert inc.loc["C2"].tolist() == [0.0, 120.25, 0.0, 0.0, 800.0, 720.0, -80.0, 840.25]
    exc = aged_balance(credit_items, AS_OF, disputed="exclude", credits="separate").table
    assert list(exc.columns)[-2:] == ["credits", "total"]
    assert exc.loc["C2"].tolist() == [0.0, 120.25, 0.0, 0.0, 0.0, 0.0, 120.25]
    assert exc.loc["total", "credits"] == -350.5


def test_credits_separate_result_object(credit_items):
    customers = pd.DataFrame({"customer_id": ["C1", "C2"], "name": ["Alpha", "Beta"]})
    ab = aged_balance(credit_items, AS_OF, credits="separate", customers=customers)
    s = ab.summary()
    assert s.loc["credits", "amount"] == -350.5
    assert s.loc["credits", "share"] == pytest.approx(-350.5 / 1789.75)
    assert ab.to_frame().loc[CREDITS, "montant"] == -350.5
    top = ab.top_overdue()
    assert list(top.index) == ["C1", "C2"] and top["past_due"].tolist() == [1000.0, 920.25]
    # share past due of the positive open amounts: 1 000 / 1 300 and 920.25 / 920.25
    assert top["share_past_due"].tolist() == pytest.approx([1000 / 1300, 1.0])
    assert top["credits"].tolist() == [-350.5, 0.0] and top["total"].tolist() == [949.5, 840.25]
    html = ab._repr_html_()
    assert CREDITS in html and "-350,50\xa0€" in html
    ax = ab.plot_buckets()
    assert len(ax.patches) == 7 and ax.patches[-1].get_height() == -350.5
    ax = ab.plot_top()
    assert CREDITS in [t.get_text() for t in ax.get_legend().get_texts()]
    en = ab.in_words("en")
    assert ab.credits_column == "credits"
    assert list(en.columns)[-3:] == ["disputed", "unapplied credits", "total"]
    assert "unapplied credits" in [t.get_text() for t in
                                   ab.plot_top(lang="en").get_legend().get_texts()]
    issue = aged_balance(credit_items, AS_OF, credits="separate", basis="issue_date")
    assert issue.top_overdue()["credits"].tolist() == [-350.5, 0.0]
    issue.plot_top()


def test_empty_items(items):
    ab = aged_balance(items.iloc[:0], AS_OF)
    assert list(ab.table.index) == ["total"] and (ab.table.loc["total"] == 0).all()
    assert ab.summary()["share"].isna().all()         # 0/0 → NaN, never inf
    assert ab.top_overdue().empty
    ab.plot_top()


def test_bad_inputs(items):
    for bad in ((30, 0), (0, 30, 30), (-1, 30), (), "0,30", (0, 30.5), None, (0, True)):
        with pytest.raises(InputError, match="buckets"):
            aged_balance(items, AS_OF, buckets=bad)
    with pytest.raises(InputError, match="basis"):
        aged_balance(items, AS_OF, basis="payment_date")
    with pytest.raises(InputError, match="disputed"):
        aged_balance(items, AS_OF, disputed="hide")
    for bad in ("hide", "Separate", None, True, ["separate"]):
        with pytest.raises(InputError, match=r"credits: expected 'age' or 'separate'"):
            aged_balance(items, AS_OF, credits=bad)
    with pytest.raises(InputError, match="as_of"):
        aged_balance(items, None)
    with pytest.raises(InputError, match="open_amount"):
        aged_balance(items.drop(columns="open_amount"), AS_OF)
    with pytest.raises(InputError, match="issue_date"):
        aged_balance(items.drop(columns="issue_date"), AS_OF, basis="issue_date")
    bad = items.copy()
    bad.loc[0, "due_date"] = pd.NaT
    with pytest.raises(InputError, match=r"due_date.*F1"):
        aged_balance(bad, AS_OF)
    # items computed at a later date than as_of
    with pytest.raises(InputError, match="open_items"):
        aged_balance(items, AS_OF - pd.Timedelta(days=30))


# --------------------------------------------------------------------------- properties
random_items = partial(open_item_tables, as_of=AS_OF)


edges_st = st.lists(st.integers(0, 200), min_size=1, max_size=5, unique=True).map(sorted)


@settings(max_examples=100, deadline=None)
@given(random_items(), edges_st, st.sampled_from(["separate", "include", "exclude"]),
       st.sampled_from(["age", "separate"]), st.sampled_from(["due_date", "issue_date"]))
def test_buckets_sum_to_open_balance_to_the_cent(items, edges, mode, credits, basis):
    ab = aged_balance(items, AS_OF, buckets=edges, disputed=mode, credits=credits, basis=basis)
    t = ab.table
    cents = np.rint(t * 100).astype("int64")
    parts = list(ab.bucket_columns) + ([ab.disputed_column] if mode == "separate" else []) \
        + ([ab.credits_column] if credits == "separate" else [])
    assert (cents[parts].sum(axis=1) == cents[ab.total_column]).all()
    if credits == "separate":
        assert (t[list(ab.bucket_columns)] >= 0).all().all()          # buckets: amounts to collect
        assert (t[ab.credits_column] <= 0).all()
        assert (ab.stats["past_due"] >= 0).all()
        assert (ab.stats["past_due"] <= ab.stats["gross"]).all()
    kept = items if mode != "exclude" else items[~items["disputed"]]
    expected = int(np.rint(kept["open_amount"] * 100).sum())
    assert cents[ab.total_column].iloc[-1] == expected
    assert cents[ab.total_column].iloc[:-1].sum() == expected       # groups add up to the total
    assert (cents.iloc[:-1].sum(axis=0) == cents.iloc[-1]).all()   # so does every column


@settings(max_examples=60, deadline=None)
@given(random_items(), edges_st)
def test_issue_and_due_basis_give_the_same_totals(items, edges):
    due = aged_balance(items, AS_OF, buckets=edges, basis="due_date")
    issue = aged_balance(items, AS_OF, buckets=edges, basis="issue_date")
    assert (due.table["total"] == issue.table["total"]).all()
    assert (due.table["disputed"] == issue.table["disputed"]).all()
    include = aged_balance(items, AS_OF, buckets=edges, disputed="include")
    assert (include.table["total"] == due.table["total"]).all()
    assert (include.table["of_which_disputed"] == due.table["disputed"]).all()


@settings(max_examples=60, deadline=None)
@given(ledgers(), edges_st, st.sampled_from(["separate", "include", "exclude"]))
def test_aged_ledger_adds_up_to_the_open_items(case, edges, mode):
    """On drawn ledgers (partial payments, netted credit notes, cash on account, refunds, dated
    disputes): the aged balance of ledger.at(as_of) adds up to its open balance to the cent."""
    items = Ledger.from_tables(case.invoices, case.payments, disputes=case.disputes) \
        .at(case.as_of)
    ab = aged_balance(items, buckets=edges, disputed=mode)
    cents = np.rint(ab.table * 100).astype("int64")
    kept = items.items if mode != "exclude" else items.items[~items.items["disputed"]]
    assert cents[ab.total_column].iloc[-1] == int(np.rint(kept["open_amount"] * 100).sum())
    parts = list(ab.bucket_columns) + ([ab.disputed_column] if mode == "separate" else [])
    assert (cents[parts].sum(axis=1) == cents[ab.total_column]).all()


def test_on_open_items_from_the_ledger():
    """End to end from invoices and payments: the aged total equals the ledger balance."""
    inv = pd.DataFrame({
        "invoice_id": ["F1", "F2", "A1"], "customer_id": ["C1", "C1", "C2"],
        "doc_type": ["invoice", "invoice", "credit_note"],
        "issue_date": pd.to_datetime(["2025-01-15", "2025-05-20", "2025-06-01"]),
        "due_date": pd.to_datetime(["2025-03-16", "2025-07-19", "2025-06-01"]),
        "amount_ttc": [1000.0, 250.0, -40.0]})
    pay = pd.DataFrame({"payment_id": ["R1"], "customer_id": ["C1"],
                        "payment_date": pd.to_datetime(["2025-04-01"]), "amount": [400.0],
                        "invoice_id": ["F1"]})
    items = open_items(inv, pay, AS_OF)
    t = aged_balance(items, AS_OF).table
    # F1: 600 open, 106 days past due → > 90; F2 not yet due; A1 29 days → 1-30
    assert t.loc["C1", "dpd_over_90"] == 600.0 and t.loc["C1", "not_due"] == 250.0
    assert t.loc["C2", "dpd_1_30"] == -40.0
    assert t.loc["total", "total"] == 1000 + 250 - 40 - 400
