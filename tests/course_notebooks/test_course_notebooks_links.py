"""Links and headers of the course notebooks (issue 8, item 6).

- every relative link in a markdown cell of ``notebooks/**/*.ipynb`` and ``exercises/**/*.ipynb``
  (``[text](target)``, ``![alt](image)``, ``<a href="...">``, ``<img src="...">``) resolves to an
  existing file or directory, relative to the notebook;
- the first markdown cell of each course notebook (``notebooks/NN_*.ipynb``) has a level-1 title
  and a list of prerequisites ("Prérequis").

Links inside code (fenced blocks, inline code) are not links and are ignored; web links
(``http:``, ``https:``, ``mailto:``) and in-page anchors (``#...``) are out of scope (no network
in the test suite).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").rglob("*.ipynb")) + sorted(
    (ROOT / "exercises").rglob("*.ipynb"))
NOTEBOOKS = [p for p in NOTEBOOKS if ".ipynb_checkpoints" not in p.parts]
COURSE = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

#: Course notebooks whose first cell is owned by another engineer and still lacks the
#: prerequisites list (strict xfail: the test fails as soon as it is fixed, so the entry is
#: removed then).
KNOWN_MISSING_PREREQUISITES: set[str] = set()

_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.S | re.M)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_MD_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HTML_LINK = re.compile(r"<(?:a|img)\b[^>]*?\b(?:href|src)\s*=\s*[\"']([^\"']+)[\"']", re.I)
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", re.I)


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def links(markdown: str) -> list[str]:
    """Relative link targets of a markdown text, without fragment or query, URL-decoded."""
    text = _INLINE_CODE.sub("", _FENCE.sub("", markdown))
    out = []
    for target in _MD_LINK.findall(text) + _HTML_LINK.findall(text):
        if _EXTERNAL.match(target):
            continue
        target = unquote(target.split("#", 1)[0].split("?", 1)[0])
        if target:
            out.append(target)
    return out


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


# ------------------------------------------------------------------ the link extractor itself
def test_links_extractor_finds_relative_links_and_skips_the_rest():
    md = ("Voir [la partie 1](01_enjeux.ipynb#section), ![graphe](img/a%20b.png), "
          "<a href='../datasets/x.csv'>x</a>, [web](https://example.org), [ancre](#haut), "
          "`[code](pas_un_lien.ipynb)`\n```\n[bloc](pas_non_plus.ipynb)\n```\n"
          "[mail](mailto:a@b.fr) [titre](autre.ipynb \"titre\")")
    assert links(md) == ["01_enjeux.ipynb", "img/a b.png", "autre.ipynb", "../datasets/x.csv"]


def test_there_are_course_notebooks():
    names = {p.name for p in COURSE}
    assert {"00_prise_en_main.ipynb", "01_enjeux_credit_management.ipynb",
            "05_pilotage.ipynb", "06_negociation.ipynb"} <= names


# ------------------------------------------------------------------ every link resolves
@pytest.mark.parametrize("path", NOTEBOOKS, ids=_rel)
def test_relative_links_resolve(path: Path):
    broken = []
    for i, cell in enumerate(_cells(path)):
        if cell.get("cell_type") != "markdown":
            continue
        for target in links(_source(cell)):
            resolved = (path.parent / target).resolve()
            if not resolved.exists():
                broken.append(f"cell {i}: {target!r} -> {resolved} does not exist")
    assert not broken, f"{_rel(path)} has broken links:\n" + "\n".join(broken)


# ------------------------------------------------------------------ course notebook headers
def _header_problems(path: Path) -> list[str]:
    md = [c for c in _cells(path) if c.get("cell_type") == "markdown"]
    if not md:
        return ["no markdown cell"]
    first = _source(md[0])
    problems = []
    lines = [ln.strip() for ln in first.splitlines()]
    if not any(ln.startswith("# ") and len(ln) > 2 for ln in lines):
        problems.append("the first markdown cell has no level-1 title ('# ...')")
    at = next((i for i, ln in enumerate(lines) if re.search(r"pr[ée]requis", ln, re.I)), None)
    if at is None:
        problems.append("the first markdown cell does not list the prerequisites ('Prérequis')")
    else:
        after_colon = lines[at].split(":", 1)[1].strip(" *") if ":" in lines[at] else ""
        items = [ln for ln in lines[at + 1:] if re.match(r"^([-*+]|\d+[.)])\s+\S", ln)]
        if not after_colon and not items:
            problems.append("'Prérequis' is followed by neither text nor a list")
    return problems


@pytest.mark.parametrize("path", COURSE, ids=lambda p: p.name)
def test_course_notebook_has_title_and_prerequisites(path: Path, request):
    if path.name in KNOWN_MISSING_PREREQUISITES:
        request.applymarker(pytest.mark.xfail(
            strict=True, reason="first cell owned by another part: prerequisites to add"))
    problems = _header_problems(path)
    assert not problems, f"{path.name}: " + "; ".join(problems)


def test_header_check_detects_missing_parts(tmp_path: Path):
    def nb(text: str) -> Path:
        p = tmp_path / "99_x.ipynb"
        p.write_text(json.dumps({"cells": [{"cell_type": "markdown", "source": text}]}),
                     encoding="utf-8")
        return p

    assert _header_problems(nb("# Titre\n\n**Prérequis** :\n\n- la partie 0\n")) == []
    assert _header_problems(nb("# Titre\n\nPrérequis : aucun\n")) == []
    assert len(_header_problems(nb("Pas de titre\n\nPrérequis : aucun"))) == 1
    assert len(_header_problems(nb("# Titre\n\nObjectifs : ...\n"))) == 1
    assert len(_header_problems(nb("# Titre\n\n**Prérequis** :\n\nrien ici\n"))) == 1
