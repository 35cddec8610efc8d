"""The README's ten-line example runs on the demo files and gives the documented objects."""

from __future__ import annotations

import re

import pandas as pd

from creditlab.io.datasets import DEMO_DIR, PROJECT_ROOT


def test_readme_example_runs(tmp_path):
    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    # the user's exports: a French CSV for invoices and an Excel file for payments
    inv = pd.read_csv(DEMO_DIR / "invoices.csv")
    inv.rename(columns={"invoice_id": "N° facture", "due_date": "Date d'échéance"}).to_csv(
        tmp_path / "factures.csv", sep=";", decimal=",", index=False, encoding="cp1252")
    pd.read_csv(DEMO_DIR / "payments.csv").to_excel(tmp_path / "reglements.xlsx", index=False)
    code = code.replace('"factures.csv"', repr(str(tmp_path / "factures.csv")))
    code = code.replace('"reglements.xlsx"', repr(str(tmp_path / "reglements.xlsx")))
    ns: dict = {}
    exec(compile(code, "README.md", "exec"), ns)       # noqa: S102 - our own README
    ab = ns["ab"]
    total = ab.totals[ab.total_column]
    assert abs(total - ns["items"].items["open_amount"].sum()) < 0.01
    assert ns["items"].as_of == pd.Timestamp("2025-12-31") == ab.as_of
    assert len(ab.top_overdue(10)) == 10
