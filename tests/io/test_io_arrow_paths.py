"""The Arrow paths of ``read_table`` (CSV parse, plain numbers/dates/booleans converted inside
Arrow) give exactly what the pandas/text paths give, and hand over to them on every irregular
file so that the errors keep naming the line."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import creditlab.io._csv as csv_mod
import creditlab.io._values as values_mod
from creditlab.exceptions import FileFormatError, ValidationError
from creditlab.io import read_table

HEADER = "invoice_id;customer_id;doc_type;issue_date;due_date;amount_ttc;disputed"


def _slow(monkeypatch):
    """Force the previous paths: pandas' parser and the text normalisation of every column."""
    monkeypatch.setattr(csv_mod, "_arrow_rows", lambda *a, **k: None)
    monkeypatch.setattr(values_mod, "_plain_columns", lambda *a, **k: {})


def _both(tmp_path, text, table="invoices", encoding="utf-8", **kw):
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode(encoding))
    fast = read_table(path, table, **kw)
    with pytest.MonkeyPatch.context() as mp:
        _slow(mp)
        slow = read_table(path, table, **kw)
    pd.testing.assert_frame_equal(fast, slow)
    return fast


def test_plain_file_same_frame_and_values(tmp_path):
    text = (HEADER + "\n"
            "F1;C1;invoice;2025-01-31;2025-03-02;1200.50;False\n"
            "F2;C1;Facture;2025-02-28;2025-03-30;12.5;oui\n"
            "\n"
            ";;;;;;\n"
            "F3;C2;avoir;2025-03-01;2025-03-01;-100;\n")
    out = _both(tmp_path, text)
    assert out["invoice_id"].tolist() == ["F1", "F2", "F3"]
    assert out["amount_ttc"].tolist() == [1200.5, 12.5, -100.0]
    assert out["disputed"].tolist() == [False, True, False]
    assert out["issue_date"].tolist() == [pd.Timestamp("2025-01-31"), pd.Timestamp("2025-02-28"),
                                          pd.Timestamp("2025-03-01")]
    assert str(out["issue_date"].dtype) == "datetime64[ns]"


def test_trailing_separator_on_every_line_and_crlf(tmp_path):
    text = (HEADER + "\r\n"
            "F1;C1;invoice;2025-01-31;2025-03-02;1200.50;False;\r\n"
            "F2;C1;invoice;2025-02-28;2025-03-30;12;False;\r\n")
    out = _both(tmp_path, text)
    assert out["amount_ttc"].tolist() == [1200.5, 12.0]


def test_quoted_separator_and_newline_in_a_value(tmp_path):
    text = ('invoice_id,customer_id,doc_type,issue_date,due_date,amount_ttc,note\n'
            'F1,C1,invoice,2025-01-31,2025-03-02,10.5,"a, b"\n'
            'F2,C1,invoice,2025-01-31,2025-03-02,3,"two\nlines ""quoted"""\n')
    out = _both(tmp_path, text)
    assert out["note"].tolist()[1] == 'two\nlines "quoted"'


def test_cp1252_and_bom_files(tmp_path):
    text = (HEADER + "\nF1;Céline;invoice;31/01/2025;02/03/2025;1 200,50;non\n")
    out = _both(tmp_path, text, encoding="cp1252")
    assert out["customer_id"].tolist() == ["Céline"] and out["amount_ttc"].tolist() == [1200.5]
    out = _both(tmp_path, "\ufeff" + text)
    assert out["amount_ttc"].tolist() == [1200.5]


def test_comma_decimal_file_with_a_dot_value_is_still_an_error(tmp_path):
    # ';' file: a decimal comma elsewhere, so "1.234" must not be read as 1.234 by the fast path
    text = (HEADER + "\nF1;C1;invoice;2025-01-31;2025-03-02;1.234;False\n"
            "F2;C1;invoice;2025-01-31;2025-03-02;12,5;False\n")
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FileFormatError, match="1.234"):
        read_table(path, "invoices")


def test_plain_dot_decimals_in_a_semicolon_file_give_the_same_numbers(tmp_path):
    text = (HEADER + "\nF1;C1;invoice;2025-01-31;2025-03-02;1.234;False\n"
            "F2;C1;invoice;2025-01-31;2025-03-02;12.5;False\n")
    out = _both(tmp_path, text)
    assert out["amount_ttc"].tolist() == [1.234, 12.5]


def test_impossible_or_out_of_range_dates_named_as_before(tmp_path):
    for bad in ("2025-02-30", "1850-01-01"):
        text = HEADER + f"\nF1;C1;invoice;{bad};2025-03-02;10;False\n"
        path = tmp_path / "t.csv"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ValidationError) as fast:
            read_table(path, "invoices")
        with pytest.MonkeyPatch.context() as mp:
            _slow(mp)
            with pytest.raises(ValidationError) as slow:
                read_table(path, "invoices")
        assert str(fast.value) == str(slow.value) and "line 2" in str(fast.value)


@pytest.mark.parametrize("body, line", [
    ("F1;C1;invoice;2025-01-31;2025-03-02;10;False\nF2;C1;invoice;2025-01-31;2025-03-02;10;False;x\n", 3),
    ("F1;C1;invoice;2025-01-31;2025-03-02;10;False;x;y\n", 2),
    ('F1;C1;invoice;2025-01-31;2025-03-02;10;"False\n', 2),
])
def test_malformed_lines_still_named(tmp_path, body, line):
    path = tmp_path / "t.csv"
    path.write_text(HEADER + "\n" + body, encoding="utf-8")
    with pytest.raises(FileFormatError) as err:
        read_table(path, "invoices")
    assert f"line {line}" in str(err.value)


_number = st.one_of(
    st.integers(-10**9, 10**9).map(str),
    st.decimals(-10**7, 10**7, places=2, allow_nan=False).map(lambda d: f"{d:.2f}"),
    st.decimals(-10**3, 10**3, places=5, allow_nan=False).map(lambda d: f"{d:.5f}"),
    st.sampled_from(["", " 12.5 ", "1 234,50", "(12,50)", "12,50-", "abc"]))
_date = st.one_of(st.dates(pd.Timestamp("1950-01-01").date(), pd.Timestamp("2150-12-31").date())
                  .map(str), st.sampled_from(["", "31/01/2025", "2025-02-30", "20250131"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(_number, _date, st.sampled_from(["True", "non", "", "1", "peut-être"])),
                     min_size=1, max_size=12),
       sep=st.sampled_from([";", ","]))
def test_fast_and_slow_paths_agree_on_generated_files(tmp_path, rows, sep):
    head = sep.join(["invoice_id", "customer_id", "issue_date", "due_date", "amount_ttc",
                     "disputed"])
    q = (lambda v: f'"{v}"') if sep == "," else (lambda v: v)
    lines = [sep.join([f"F{i}", "C1", d, "2025-12-31", q(n), b])
             for i, (n, d, b) in enumerate(rows)]
    path = tmp_path / "g.csv"
    path.write_text(head + "\n" + "\n".join(lines) + "\n", encoding="utf-8")

    def outcome():
        try:
            return read_table(path, "invoices", validate=False)
        except (FileFormatError, ValidationError) as err:
            return f"{type(err).__name__}: {err}"

    fast = outcome()
    with pytest.MonkeyPatch.context() as mp:
        _slow(mp)
        slow = outcome()
    if isinstance(fast, str) or isinstance(slow, str):
        assert fast == slow
    else:
        pd.testing.assert_frame_equal(fast, slow)
