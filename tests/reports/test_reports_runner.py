"""The report runner and the CLI, end to end on a tiny notebook written in tmp_path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from creditlab import cli
from creditlab.exceptions import InputError, ReportError
from creditlab.reports import list_reports, parse_value, run_report

CODE_MARKER = "CODE_ONLY_MARKER_7f3a"


def write_tiny(directory: Path, name: str = "tiny") -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    params = nbformat.v4.new_code_cell(
        "x = 1  # a number\nfail = False\nlabel = 'run'\noutput_dir = None\n")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Petit rapport de test\n\nTexte."),
        params,
        nbformat.v4.new_code_cell(
            "import pathlib, tempfile\n"
            f"_unused = '{CODE_MARKER}'\n"
            "out = pathlib.Path(output_dir or tempfile.mkdtemp())\n"
            "(out / f'{label}.txt').write_text(str(x))\n"
            "print('valeur', x * 2)"),
        nbformat.v4.new_code_cell("assert not fail, 'échec demandé'\nprint('fin')"),
    ]
    path = directory / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.fixture
def reports(tmp_path):
    d = tmp_path / "reports"
    d.mkdir()
    write_tiny(d)
    return d


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith("."))


def test_parse_value_like_papermill():
    assert parse_value("True") is True and parse_value("False") is False
    assert parse_value("None") is None
    assert parse_value("42") == 42 and isinstance(parse_value("42"), int)
    assert parse_value("0.5") == 0.5
    assert parse_value("2025-12-31") == "2025-12-31"
    assert parse_value("0,30,60,90") == "0,30,60,90"
    assert parse_value("data/factures.csv") == "data/factures.csv"


def test_list_reports(reports):
    [info] = list_reports(reports)
    assert info.name == "tiny" and info.title == "Petit rapport de test"
    assert list(info.parameters) == ["x", "fail", "label", "output_dir"]
    assert info.parameters["x"]["default"] == "1"
    text = info.describe()
    assert "x = 1  # a number" in text and "output_dir" in text


def test_run_publishes_then_replaces_atomically(reports, tmp_path):
    out = tmp_path / "out"
    paths = run_report("tiny", {"x": 5, "label": "first"}, out=out, reports_directory=reports)
    final = out / "tiny"
    assert paths["dir"] == final
    assert paths["notebook"] == final / "tiny.ipynb" and paths["html"] == final / "tiny.html"
    assert paths["first.txt"].read_text() == "5"
    html = paths["html"].read_text(encoding="utf-8")
    assert "valeur 10" in html                  # outputs are there
    assert CODE_MARKER not in html               # code cells are not
    assert "Petit rapport de test" in html
    executed = nbformat.read(paths["notebook"], as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert "x = 5" in injected[0].source and "output_dir" in injected[0].source
    assert leftovers(out) == []                  # no staging directory left behind

    # a re-run replaces the whole set: the file of the first run disappears
    paths2 = run_report("tiny", {"x": 7, "label": "second"}, out=out, reports_directory=reports)
    assert paths2["second.txt"].read_text() == "7"
    assert not (final / "first.txt").exists()
    assert sorted(p.name for p in final.iterdir()) == ["second.txt", "tiny.html", "tiny.ipynb"]
    assert leftovers(out) == []


def test_failure_keeps_previous_outputs(reports, tmp_path):
    out = tmp_path / "out"
    good = run_report("tiny", {"x": 3}, out=out, reports_directory=reports)
    before = {p.name: p.read_bytes() for p in good["dir"].iterdir()}
    with pytest.raises(ReportError) as err:
        run_report("tiny", {"x": 4, "fail": True}, out=out, reports_directory=reports)
    msg = str(err.value)
    # cell index in tiny.ipynb (markdown 0, parameters 1, code 2, failing 3), its first line,
    # the exception, and where the failed notebook is
    assert "cell 3" in msg and "assert not fail" in msg
    assert "AssertionError" in msg and "échec demandé" in msg
    failed = out / "tiny.failed.ipynb"
    assert err.value.failed_notebook == failed and str(failed) in msg
    nb = nbformat.read(failed, as_version=4)
    assert any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))
    after = {p.name: p.read_bytes() for p in (out / "tiny").iterdir()}
    assert after == before                       # previous good output untouched
    assert leftovers(out) == []
    # the next success removes the stale failed notebook
    run_report("tiny", {"x": 3}, out=out, reports_directory=reports)
    assert not failed.exists()


def test_publish_failure_keeps_the_executed_notebook(reports, tmp_path, monkeypatch):
    # the notebook ran but the HTML could not be written: a ReportError, the executed notebook
    # kept, the previous good output untouched, no staging folder left
    from creditlab.reports import runner as rp

    out = tmp_path / "out"
    good = run_report("tiny", {"x": 3}, out=out, reports_directory=reports)
    before = {p.name: p.read_bytes() for p in good["dir"].iterdir()}

    def broken(nb, title):
        raise OSError("disk full")

    monkeypatch.setattr(rp, "_html", broken)
    with pytest.raises(ReportError, match="could not be published: OSError: disk full") as err:
        run_report("tiny", {"x": 5}, out=out, reports_directory=reports)
    assert err.value.failed_notebook == out / "tiny.failed.ipynb"
    assert "valeur 10" in (out / "tiny.failed.ipynb").read_text(encoding="utf-8")
    assert {p.name: p.read_bytes() for p in (out / "tiny").iterdir()} == before
    assert leftovers(out) == []


def test_failure_names_the_line_that_raised(reports, tmp_path):
    nb = nbformat.read(reports / "tiny.ipynb", as_version=4)
    nb.cells[3].source = "y = 2\nz = {}\nprint(z['absent'])\nprint('fin')"
    nbformat.write(nb, reports / "deep.ipynb")
    with pytest.raises(ReportError) as err:
        run_report("deep", out=tmp_path, reports_directory=reports)
    msg = str(err.value)
    assert "failed in cell 3 (In [4]) of deep.ipynb, line 3: \"print(z['absent'])\"" in msg
    assert "KeyError: 'absent'" in msg


def _bilingual(reports: Path) -> None:
    """tiny.ipynb with a lang parameter and one markdown cell per language before the last."""
    nb = nbformat.read(reports / "tiny.ipynb", as_version=4)
    nb.cells[1].source += "lang = 'fr'\n"
    fr = nbformat.v4.new_markdown_cell("## Résultat du contrôle")
    fr.metadata["tags"] = ["lang:fr"]
    en = nbformat.v4.new_markdown_cell("## Result of the check")
    en.metadata["tags"] = ["lang:en"]
    nb.cells[3:3] = [fr, en]
    nbformat.write(nb, reports / "bilingual.ipynb")


@pytest.mark.parametrize("lang, shown, hidden", [(None, "Résultat du contrôle", "Result of"),
                                                 ("en", "Result of the check", "Résultat du")])
def test_language_cells_follow_the_lang_parameter(reports, tmp_path, lang, shown, hidden):
    # a report carries its prose in both languages; the run shows the one asked (default: the
    # notebook's own lang), in the HTML page and in the executed notebook
    _bilingual(reports)
    paths = run_report("bilingual", out=tmp_path, reports_directory=reports, lang=lang)
    for key in ("html", "notebook"):
        text = paths[key].read_text(encoding="utf-8")
        assert shown in text and hidden not in text


def test_language_cells_do_not_shift_the_failing_cell_index(reports, tmp_path):
    # the failing cell is named by its index in the report's file, cells of the other
    # language included
    _bilingual(reports)
    with pytest.raises(ReportError, match=r"failed in cell 5 \(In \[4\]\) of bilingual.ipynb"):
        run_report("bilingual", {"fail": True}, out=tmp_path, reports_directory=reports)
    with pytest.raises(InputError, match="lang"):
        run_report("bilingual", {"lang": "de"}, out=tmp_path, reports_directory=reports)


def test_kernel_process_output_kept_out_of_the_terminal(reports, tmp_path, capfd):
    """A cron job stays quiet on success: ipykernel's "running over TCP without encryption"
    warning and jupyter_client's shutdown interrupt ("KeyboardInterrupt caught in kernel") go
    to a log, deleted on success and kept beside the failed notebook on failure."""
    out = tmp_path / "out"
    run_report("tiny", out=out, reports_directory=reports, progress=False)
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""
    assert sorted(p.name for p in out.iterdir()) == ["tiny"]
    with pytest.raises(ReportError):
        run_report("tiny", {"fail": True}, out=out, reports_directory=reports, progress=False)
    captured = capfd.readouterr()
    assert "IPKernelApp" not in captured.out + captured.err
    assert (out / "tiny.failed.kernel.log").is_file() and leftovers(out) == []
    run_report("tiny", out=out, reports_directory=reports, progress=False)
    assert sorted(p.name for p in out.iterdir()) == ["tiny"]   # stale failure files removed


def test_bad_names_and_parameters(reports, tmp_path):
    with pytest.raises(InputError, match=r"\['tiny'\]"):
        run_report("nope", out=tmp_path, reports_directory=reports)
    with pytest.raises(InputError, match=r"\['fail', 'label', 'output_dir', 'x'\]"):
        run_report("tiny", {"y": 1}, out=tmp_path, reports_directory=reports)
    with pytest.raises(InputError, match="output_dir is set by the runner"):
        run_report("tiny", {"output_dir": "/tmp"}, out=tmp_path, reports_directory=reports)
    with pytest.raises(InputError, match="lang"):   # tiny has no lang parameter
        run_report("tiny", out=tmp_path, lang="en", reports_directory=reports)
    with pytest.raises(InputError, match="report"):
        run_report("../tiny", out=tmp_path, reports_directory=reports)
    assert not any(tmp_path.glob("tiny*"))


def test_cli_list_and_run(reports, tmp_path, capsys):
    assert cli.main(["report", "list", "--reports-dir", str(reports)]) == 0
    listed = capsys.readouterr().out
    assert "tiny — Petit rapport de test" in listed and "fail = False" in listed

    out = tmp_path / "out"
    code = cli.main(["report", "run", "tiny", "--reports-dir", str(reports), "--out", str(out),
                     "-p", "x=2", "-p", "label=cli"])
    captured = capsys.readouterr()
    assert code == 0
    assert captured.out.strip() == str(out / "tiny" / "tiny.html")
    assert "Executing" not in captured.err      # no progress bar when stderr is not a TTY
    assert (out / "tiny" / "cli.txt").read_text() == "2"

    code = cli.main(["report", "run", "tiny", "--reports-dir", str(reports), "--out", str(out),
                     "-p", "fail=True"])
    err = capsys.readouterr().err
    assert code == 1 and "cell 3" in err and "tiny.failed.ipynb" in err

    assert cli.main(["report", "run", "nope", "--reports-dir", str(reports)]) == 2
    assert "['tiny']" in capsys.readouterr().err
    assert cli.main(["report", "run", "tiny", "--reports-dir", str(reports),
                     "-p", "zzz=1"]) == 2
    assert "x" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["report", "run", "tiny", "-p", "no_equal_sign"])


def test_cli_subprocess_list(reports):
    proc = subprocess.run([sys.executable, "-m", "creditlab.cli", "report", "list",
                           "--reports-dir", str(reports)], capture_output=True, text=True,
                          check=False, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("tiny — Petit rapport de test")
    # the packaged entry point is declared
    import tomllib

    meta = tomllib.loads((Path(cli.__file__).parents[1] / "pyproject.toml").read_text())
    assert meta["project"]["scripts"]["creditlab"] == "creditlab.cli:main"
    json.dumps(meta)  # plain data


def test_parameters_cell_parsing():
    """Any valid Python parameters cell is understood (papermill's parser skips '=' comments)."""
    from creditlab.reports.runner import _parse_parameters

    params = _parse_parameters(
        "a = None  # chemin ; None = démo\n"
        "b: int = 3\n"
        "# a comment line\n"
        "c = [0, 30,\n"
        "     60]  # bornes\n"
        "d = e = 'x'\n")
    assert list(params) == ["a", "b", "c", "d", "e"]
    assert params["a"]["help"] == "chemin ; None = démo" and params["a"]["default"] == "None"
    assert params["b"]["annotation"] == "int" and params["b"]["default"] == "3"
    assert params["c"]["default"] == "[0, 30,\n     60]" and params["c"]["help"] == "bornes"
    assert params["e"]["default"] == "'x'"
    with pytest.raises(InputError, match="parameters cell"):
        _parse_parameters("a = (")
