"""Every report notebook is parameters, calls and prose: the rules of DESIGN.md, checked."""

from __future__ import annotations

import ast
import re

import nbformat
import pytest

from creditlab.reports import list_reports, reports_dir

REPORTS = ("aged_balance", "calibration", "credit_dashboard", "dunning")
#: Ledger reports read their inputs through creditlab.reports.load_inputs only.
LEDGER_REPORTS = ("aged_balance", "credit_dashboard", "dunning")
MAX_CODE_LINES = 60


def _nb(name):
    return nbformat.read(reports_dir() / f"{name}.ipynb", as_version=4)


def _code_lines(nb) -> int:
    """Non-blank, non-comment lines of every code cell (the parameters cell included)."""
    return sum(1 for c in nb.cells if c.cell_type == "code"
               for line in c.source.splitlines()
               if line.strip() and not line.strip().startswith("#"))


def test_every_report_is_listed_from_the_package():
    assert reports_dir().parts[-2:] == ("reports", "notebooks")
    assert [i.name for i in list_reports()] == list(REPORTS)


@pytest.mark.parametrize("name", REPORTS)
def test_report_notebook_only_calls(name):
    nb = _nb(name)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert sum("parameters" in c.metadata.get("tags", []) for c in code) == 1
    assert _code_lines(nb) <= MAX_CODE_LINES, f"{name}: {_code_lines(nb)} code lines"
    for c in code:
        tree = ast.parse(c.source)
        defs = [n for n in ast.walk(tree)
                if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
                              | ast.Lambda)]
        assert not defs, f"{name}: a definition in a cell: {c.source.splitlines()[0]!r}"
        assert not c.get("outputs") and c.get("execution_count") is None
    text = "\n".join(c.source for c in code)
    assert "/work/" not in text and "pip install" not in text
    if name in LEDGER_REPORTS:
        assert "load_inputs(as_of" in text
        # one input policy: no reading of tables nor the demo's date in the notebook
        for forbidden in ("read_table", "load_demo", "DEMO_AS_OF", "read_csv", "open_items("):
            assert forbidden not in text, f"{name}: {forbidden} in the notebook"


def test_code_line_count_counts_what_it_should():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1\n\n# comment\ny = 2  # trailing\n"),
                nbformat.v4.new_markdown_cell("text\nmore")]
    assert _code_lines(nb) == 2


def test_list_does_not_execute_notebooks(tmp_path):
    nb = nbformat.v4.new_notebook()
    marker = tmp_path / "executed.txt"
    params = nbformat.v4.new_code_cell("output_dir = None\n")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# Titre"), params,
                nbformat.v4.new_code_cell(f"open({str(marker)!r}, 'w').write('x')")]
    d = tmp_path / "reports"
    d.mkdir()
    nbformat.write(nb, d / "side_effect.ipynb")
    [info] = list_reports(d)
    assert info.title == "Titre" and not marker.exists()
    assert re.fullmatch(r"side_effect — Titre\n    output_dir = None", info.describe())
