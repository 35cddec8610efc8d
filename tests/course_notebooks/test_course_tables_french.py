"""Every table a trainee reads in the course notebooks is French (issue 15 point 4).

Each course notebook (``notebooks/0*.ipynb``, ``exercises/part*.ipynb``) is executed and every
HTML table of its outputs is read: the test fails on a header written as a code
(``customer_id``, ``dpd_1_30``), a cell showing ``True``/``False`` or a number with a decimal
point (``331911.85``: French numbers have a decimal comma). :func:`creditlab.display.show` is
the way to display a table.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from creditlab.display import french_frame, show

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("0[0-6]_*.ipynb")) + sorted(
    (ROOT / "exercises").glob("part*.ipynb"))

_SNAKE = re.compile(r"^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)+$")
_DOT_DECIMAL = re.compile(r"^-?[\d,]*\d\.\d+$")  # 331911.85, 1,234.5


def _cells_of(table: str, tag: str) -> list[str]:
    return [html.unescape(re.sub(r"<[^>]+>", "", m)).strip()
            for m in re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", table, re.S)]


def table_problems(page: str) -> list[tuple[int, list[str]]]:
    """For each HTML table of ``page``: what a French reader should not see in it."""
    out = []
    for i, table in enumerate(re.findall(r"<table\b.*?</table>", page, re.S)):
        heads, cells = _cells_of(table, "th"), _cells_of(table, "td")
        bad = ([h for h in heads if _SNAKE.match(h)]
               + [c for c in cells if c in ("True", "False")]
               + [c for c in cells if _DOT_DECIMAL.match(c)])
        out.append((i, bad))
    return out


def test_the_scanner_sees_what_a_trainee_should_not():
    import pandas as pd

    raw = pd.DataFrame({"customer_id": ["C1"], "disputed": [True], "amount_ttc": [331911.85]})
    assert table_problems(raw.to_html())[0][1] == ["customer_id", "amount_ttc", "True",
                                               "331911.85"]
    assert table_problems(show(raw).to_html()) == [(0, [])]
    shown = french_frame(raw)
    assert list(shown.columns) == ["code client", "en litige", "montant TTC"]
    assert shown.iloc[0].tolist() == ["C1", "Oui", "331\u202f912\u00a0€"]


def test_show_formats_by_unit_and_escapes():
    import pandas as pd

    t = pd.DataFrame({"name": ["<script>x</script>"], "share": [0.125], "open_amount": [1558.7],
                      "n_items": [3.0]})
    shown = french_frame(t, pct=["share"])
    assert shown.iloc[0].tolist()[1:] == ["12,5\u00a0%", "1\u202f558,70\u00a0€", "3"]
    assert "<script>" not in show(t).to_html()


def test_show_keeps_duplicated_columns_rows_mode_and_english():
    import pandas as pd

    t = pd.DataFrame([[1.0, 2.5]], columns=["x", "x"])
    assert french_frame(t).iloc[0].tolist() == ["1", "2,50"]
    # a large amount with cents is not taken for a whole number
    assert french_frame(pd.Series([1419863.94]))["value"].iloc[0] == "1\u202f419\u202f863,94"
    kpis = pd.DataFrame({"nov": [0.25, 61.04], "dec": [0.125, 58.0]},
                        index=["overdue_ratio", "dso_simple"])
    rows = french_frame(kpis, rows=True)
    assert rows.loc[:, "nov"].tolist()[0].endswith("%") and rows.shape == (2, 2)
    assert "_" not in "".join(rows.index)
    en = french_frame(pd.DataFrame({"open_amount": [-1558.76], "ok": [False]}), lang="en")
    assert en.iloc[0].tolist() == ["-€1,558.76", "No"]
    key = french_frame(pd.Series({"segments": ["invoice", "credit_note"], "n": 3}), rows=True)
    assert key.iloc[:, 0].tolist() == ["facture, avoir", "3"]


def _executed(path: Path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    for attempt in (1, 2):  # a kernel started beside another (xdist) can lose its channels:
        nb = nbformat.read(path, as_version=4)  # no cell here takes a minute, so retry once
        try:
            nbclient.NotebookClient(nb, timeout=180, kernel_name="python3",
                                    resources={"metadata": {"path": str(path.parent)}}).execute()
            return nb
        except (CellTimeoutError, DeadKernelError):
            if attempt == 2:
                raise


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_displayed_table_is_french(path):
    nb = _executed(path)
    bad, n_tables = [], 0
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            page = output.get("data", {}).get("text/html")
            if not page:
                continue
            page = "".join(page) if isinstance(page, list) else page
            for _, problems in table_problems(page):
                n_tables += 1
                if problems:
                    bad.append((index, problems[:5]))
    assert bad == [], f"{path.name}: {len(bad)} of {n_tables} tables are not French: {bad}"
