"""Start-up of the report commands: listing reads the notebooks' JSON, imports no Jupyter stack."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from creditlab.reports import list_reports, reports_dir
from creditlab.reports.runner import _declared, _first_markdown_line, _read_notebook

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("path", sorted(reports_dir().glob("*.ipynb")), ids=lambda p: p.stem)
def test_json_reader_sees_what_nbformat_sees(path):
    ours, ref = _read_notebook(path), nbformat.read(path, as_version=4)
    assert [c.source for c in ours.cells] == [c.source for c in ref.cells]
    assert [c.cell_type for c in ours.cells] == [c.cell_type for c in ref.cells]
    assert _first_markdown_line(ours) == _first_markdown_line(ref) != ""
    assert _declared(ours) == _declared(ref) and "output_dir" in _declared(ours)


def test_other_notebook_versions_go_through_nbformat(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Titre\ntexte")]
    path = tmp_path / "r.ipynb"
    nbformat.write(nb, path)
    assert _first_markdown_line(_read_notebook(path)) == "Titre"
    v3 = {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Ancien\n"]}]}]}
    path.write_text(json.dumps(v3), encoding="utf-8")
    old = _read_notebook(path)  # converted by nbformat
    assert old.metadata["orig_nbformat"] == 3 and _first_markdown_line(old) == "Ancien"


def test_report_list_imports_neither_nbformat_nor_pandas():
    code = ("import sys, io, contextlib\n"
            "from creditlab.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
            "    assert main(['report', 'list']) == 0\n"
            "assert 'credit_dashboard' in out.getvalue()\n"
            "heavy = sorted({'nbformat', 'jsonschema', 'papermill', 'pandas', 'nbconvert'}"
            " & set(sys.modules))\n"
            "print(heavy)\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
    assert [i.name for i in list_reports()] == sorted(p.stem for p in reports_dir().glob("*.ipynb"))


def test_skip_iri_grammar_only_before_jsonschema():
    code = ("import sys\n"
            "from creditlab.reports.runner import skip_iri_grammar\n"
            "assert skip_iri_grammar() is True\n"
            "import nbformat\n"
            "nb = nbformat.v4.new_notebook(); nbformat.validate(nb)\n"
            "assert sys.modules['rfc3987_syntax'] is None\n"
            "assert skip_iri_grammar() is False\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          check=False)
    assert proc.returncode == 0, proc.stderr
