"""Bilingual prose of the report notebooks: every French markdown cell is tagged ``lang:fr`` and
followed by its English twin tagged ``lang:en`` (creditlab.reports.select_language), so that a run
with ``-p lang=en`` shows English headings and explanations only, and the default (French) run
French only."""

from __future__ import annotations

import html
import re

import nbformat
import pytest

from creditlab.reports import report_info, reports_dir, run_report, select_language

REPORTS = ("aged_balance", "calibration", "credit_dashboard", "dunning")
#: English and French runs of every report (the French dashboard is run by
#: tests/receivables/test_kpi_dashboard.py). The report notebooks live in the package now, out
#: of reach of the suite's nbval run over notebooks/: these runs are their default runs.
RUNS = [(name, "en") for name in REPORTS] + [("aged_balance", "fr"), ("dunning", "fr"),
                                              ("calibration", "fr")]


def _notebook(name: str):
    return nbformat.read(reports_dir() / f"{name}.ipynb", as_version=4)


def _lang(cell) -> str | None:
    tags = [t for t in cell.metadata.get("tags", []) if t.startswith("lang:")]
    return tags[0].removeprefix("lang:") if tags else None


def _pairs(nb) -> list[tuple]:
    """(French cell, English cell) of each bilingual pair, in notebook order."""
    cells = nb.cells
    return [(c, cells[i + 1]) for i, c in enumerate(cells[:-1]) if _lang(c) == "fr"]


def _normalise(text: str) -> str:
    """Text without Markdown emphasis/code marks and with single spaces."""
    return " ".join(re.sub(r"[*`_]", "", text).split())


def _prose_lines(cell) -> list[str]:
    """The cell's lines as they read once rendered: no heading, list marks nor emphasis."""
    out = []
    for line in cell.source.splitlines():
        line = re.sub(r"^\s*(#+|\d+\.|-)\s+", "", line)
        line = _normalise(line)
        if line:
            out.append(line)
    return out


def _title(cell) -> str:
    return cell.source.splitlines()[0].lstrip("#").strip()


def _visible_text(path) -> str:
    """Visible text of a report's HTML page: no scripts, styles, <title> nor images."""
    s = path.read_text(encoding="utf-8")
    s = re.sub(r"<(script|style|title)[^>]*>.*?</\1>", " ", s, flags=re.S)
    s = re.sub(r"<img[^>]*>", " ", s)
    return _normalise(html.unescape(re.sub(r"<[^>]+>", "", s)))


def _contains(text: str, line: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(line)}(?!\w)", text) is not None


@pytest.mark.parametrize("name", REPORTS)
def test_every_markdown_cell_has_its_twin(name):
    nb = _notebook(name)
    markdown = [c for c in nb.cells if c.cell_type == "markdown"]
    untagged = [c.source.splitlines()[0] for c in markdown if _lang(c) is None]
    assert not untagged, f"{name}: markdown cells without a lang:fr / lang:en tag: {untagged}"
    pairs = _pairs(nb)
    assert len(pairs) * 2 == len(markdown), f"{name}: every lang:fr cell is followed by lang:en"
    ids = [c.get("id") for c in nb.cells]
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"[0-9a-f]{8}", i) for i in ids)
    for fr, en in pairs:
        assert en.cell_type == "markdown" and _lang(en) == "en", fr.source.splitlines()[0]
        # the same heading structure (levels), the English text really translated
        levels = [[ln.split()[0] for ln in c.source.splitlines() if ln.startswith("#")]
                  for c in (fr, en)]
        assert levels[0] == levels[1], (name, fr.source.splitlines()[0])
        assert fr.source != en.source
    # the first markdown cell (the HTML <title>) starts with a title line in both languages
    assert [_lang(c) for c in markdown[:2]] == ["fr", "en"]
    assert all(c.source.startswith("# ") for c in markdown[:2])
    assert report_info(name).title == _title(markdown[0])  # French, the notebooks' default


@pytest.mark.parametrize("name", REPORTS)
def test_select_language_keeps_one_language(name):
    nb = _notebook(name)
    for lang in ("fr", "en"):
        kept = select_language(nb, lang)
        assert {_lang(c) for c in kept.cells} <= {None, lang}
        assert len(kept.cells) == len(nb.cells) - len(_pairs(nb))


@pytest.fixture(scope="module", params=RUNS, ids=lambda r: f"{r[0]}-{r[1]}")
def run(request, tmp_path_factory):
    name, lang = request.param
    out = tmp_path_factory.mktemp(f"{name}_{lang}")
    params = {"lang": "en"} if lang == "en" else {}  # French: the notebook's default
    return name, lang, run_report(name, params, out=out, progress=False)


def test_report_prose_in_the_run_language_only(run):
    name, lang, paths = run
    page = paths["html"].read_text(encoding="utf-8")
    text = _visible_text(paths["html"])
    pairs = _pairs(_notebook(name))
    shown, hidden = (1, 0) if lang == "en" else (0, 1)
    title = _title(pairs[0][shown])
    assert re.search(r"<title>\s*(.*?)\s*</title>", page, flags=re.S).group(1) == title
    assert text.startswith(title)
    missing, leaked = [], []
    for pair in pairs:
        own = _prose_lines(pair[shown])
        other = [ln for ln in _prose_lines(pair[hidden]) if ln not in own]
        missing += [ln for ln in own if not _contains(text, ln)]
        leaked += [ln for ln in other if _contains(text, ln)]
    assert not leaked, f"{name} ({lang}): prose of the other language in the HTML: {leaked}"
    assert not missing, f"{name} ({lang}): prose missing from the HTML: {missing}"
    # the executed notebook holds the run's language only too
    executed = nbformat.read(paths["notebook"], as_version=4)
    assert {_lang(c) for c in executed.cells} <= {None, lang}
