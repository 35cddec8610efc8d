"""The report catalogue: find the report notebooks, read their title and parameters.

What ``creditlab report list`` needs, and only that: the notebooks shipped with the package
(``creditlab/reports/notebooks/``, found with :mod:`importlib.resources`), read with :mod:`json`
(not nbformat), and their ``parameters`` cell parsed with :mod:`ast`. It imports nothing heavier
than the standard library, so listing the reports starts in a fraction of a second;
:mod:`creditlab.reports.runner` runs them (and re-exports these names).
"""

from __future__ import annotations

import ast
import io
import json
import os
import tokenize
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from creditlab.exceptions import InputError

__all__ = ["ReportInfo", "list_reports", "report_info", "parse_value", "reports_dir",
           "RUNNER_PARAMETERS"]

#: Parameters set by the runner itself (never by the user).
RUNNER_PARAMETERS = ("output_dir",)


@dataclass(frozen=True)
class ReportInfo:
    """What :func:`list_reports` knows about a report notebook."""

    name: str
    path: Path
    title: str
    #: name → {"name", "default" (source text), "annotation", "help" (the line's comment)}
    parameters: dict[str, dict[str, str]]

    def describe(self) -> str:
        """Multi-line text: name, title, then one line per parameter (default and comment)."""
        lines = [f"{self.name} — {self.title}" if self.title else self.name]
        for p in self.parameters.values():
            extra = f"  # {p['help']}" if p.get("help") else ""
            typ = f": {p['annotation']}" if p.get("annotation") else ""
            lines.append(f"    {p['name']}{typ} = {p['default']}{extra}")
        return "\n".join(lines)


def reports_dir(path: str | os.PathLike | None = None) -> Path:
    """Directory of the report notebooks: ``path``, ``$CREDITLAB_REPORTS_DIR`` or the notebooks
    shipped with the package (``creditlab/reports/notebooks``, located with
    :mod:`importlib.resources`: the same in an editable and in a regular install)."""
    if path is not None:
        return Path(path)
    env = os.environ.get("CREDITLAB_REPORTS_DIR")
    if env:
        return Path(env)

    return Path(str(resources.files("creditlab.reports").joinpath("notebooks")))


def parse_value(text: str) -> Any:
    """Type a command-line parameter value the way papermill's ``-p`` does.

    ``"True"``/``"False"`` → bool, ``"None"`` → None, an integer → int, a float → float, anything
    else stays a string (``"2025-12-31"``, ``"0,30,60,90"``, a path).
    """
    if text == "True":
        return True
    if text == "False":
        return False
    if text == "None":
        return None
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text


def _first_markdown_line(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                line = line.strip().lstrip("#").strip()
                if line:
                    return line
    return ""


def _notebook_path(name: str, directory: Path) -> Path:
    available = sorted(p.stem for p in directory.glob("*.ipynb")) if directory.is_dir() else []
    if not isinstance(name, str) or not name or "/" in name or "\\" in name \
            or name.startswith(".") or name not in available:
        raise InputError("report", f"one of {available} (notebooks in {directory})", name,
                         "run 'creditlab report list' to see the available reports")
    return directory / f"{name}.ipynb"


def _parse_parameters(source: str) -> dict[str, dict[str, str]]:
    """Parameters declared by a ``parameters`` cell: name → name, default, annotation, help.

    Parsed with :mod:`ast` (every top-level assignment) and :mod:`tokenize` (the comment on the
    assignment's last line is its help), so any valid Python cell works — papermill's own
    line-based parser skips lines with an ``=`` in the comment.
    """

    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        raise InputError("parameters cell", "valid Python", f"{err.msg} (line {err.lineno})",
                         "fix the notebook's parameters cell") from None
    comments: dict[int, str] = {}
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            comments[tok.start[0]] = tok.string.lstrip("#").strip()
    out: dict[str, dict[str, str]] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            annotation = ""
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names = [node.target.id]
            annotation = ast.get_source_segment(source, node.annotation) or ""
        else:
            continue
        default = ast.get_source_segment(source, node.value) if node.value is not None else ""
        for name in names:
            out[name] = {"name": name, "default": default or "", "annotation": annotation,
                         "help": comments.get(node.end_lineno, "")}
    return out


def _parameter_cell_index(nb) -> int | None:
    for i, cell in enumerate(nb.cells):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            return i
    return None


def _declared(nb) -> dict[str, dict[str, str]]:
    index = _parameter_cell_index(nb)
    return {} if index is None else _parse_parameters(nb.cells[index].source)


class _Node(dict):
    """A dict read with attributes too (``nb.cells``, ``cell.source``), as nbformat's
    ``NotebookNode``, for reading a notebook without importing nbformat."""

    def __getattr__(self, key: str):
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None


def _node(obj):
    if isinstance(obj, dict):
        return _Node({k: _node(v) for k, v in obj.items()})
    if isinstance(obj, list):
        return [_node(v) for v in obj]
    return obj


def _read_notebook(path: Path):
    """The notebook at ``path`` for reading its cells (title, tags, parameters cell).

    A v4 notebook is parsed with :mod:`json` (cell sources joined as nbformat does):
    ``import nbformat`` costs 1-2 s of CPU (jsonschema builds an IRI grammar at import), which
    ``creditlab report list`` need not pay. Another version goes through ``nbformat.read``.
    """

    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (ValueError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict) or data.get("nbformat") != 4 \
            or not isinstance(data.get("cells"), list):
        import nbformat  # optional: reports

        return nbformat.read(path, as_version=4)
    nb = _node(data)
    for cell in nb.cells:
        if isinstance(cell, dict) and isinstance(cell.get("source"), list):
            cell["source"] = "".join(cell["source"])
    return nb


def report_info(name: str, directory: str | os.PathLike | None = None) -> ReportInfo:
    """Name, title (first markdown line) and parameters of one report notebook."""
    directory = reports_dir(directory)
    path = _notebook_path(name, directory)
    nb = _read_notebook(path)
    return ReportInfo(name=name, path=path, title=_first_markdown_line(nb),
                      parameters=_declared(nb))


def list_reports(directory: str | os.PathLike | None = None) -> list[ReportInfo]:
    """Every report notebook of :func:`reports_dir` (or ``directory``), sorted by name.

    Reads the notebooks' JSON only (title, parameters cell); nothing is executed.
    """
    directory = reports_dir(directory)
    if not directory.is_dir():
        return []
    return [report_info(p.stem, directory) for p in sorted(directory.glob("*.ipynb"))
            if not p.stem.startswith(".")]
