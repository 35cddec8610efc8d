"""Layers one way: no import circle in the package, computations never import plots, plots
compute nothing, and every result's ``plot_*`` reaches its plot function (issue: layering)."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "creditlab"
#: Areas whose layering this step fixed (dunning's own circle is another helper's work).
AREAS = ("finance", "modeling", "io", "legal", "scores", "statements", "synth", "quiz",
         "exercises", "widgets", "i18n", "plots.finance", "plots.solvency", "plots._axes",
         "limits", "dunning.plan", "plots.dunning", "plots.kpi")
COMPUTATIONS = ("creditlab.finance", "creditlab.modeling", "creditlab.scores",
                "creditlab.statements", "creditlab.legal", "creditlab.io", "creditlab.synth",
                "creditlab.limits", "creditlab.dunning.plan")
PLOTS = ("creditlab.plots", "creditlab.modeling.plots")


def _modules() -> dict[str, Path]:
    out = {}
    for p in PKG.rglob("*.py"):
        parts = p.relative_to(PKG.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = p
    return out


def _imports(mods: dict[str, Path]) -> dict[str, set[tuple[str, bool]]]:
    """module → {(imported creditlab module, at function level?)}."""
    def resolve(name: str) -> str | None:
        while name and name not in mods:
            name = name.rpartition(".")[0]
        return name or None

    edges: dict[str, set] = defaultdict(set)
    for name, path in mods.items():
        def visit(node, nested, name=name):
            for ch in ast.iter_child_nodes(node):
                if isinstance(ch, ast.If) and "TYPE_CHECKING" in ast.unparse(ch.test):
                    continue
                if isinstance(ch, ast.ImportFrom) and ch.module and not ch.level:
                    targets = [ch.module] + [f"{ch.module}.{a.name}" for a in ch.names]
                elif isinstance(ch, ast.Import):
                    targets = [a.name for a in ch.names]
                else:
                    visit(ch, nested or isinstance(ch, ast.FunctionDef | ast.AsyncFunctionDef),
                          name)
                    continue
                for t in targets:
                    r = resolve(t) if t.startswith("creditlab") else None
                    if r and r != name and not r.startswith(name + "."):
                        edges[name].add((r, nested))
        visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return edges


def _in_areas(name: str) -> bool:
    return any(name == f"creditlab.{a}" or name.startswith(f"creditlab.{a}.") for a in AREAS)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in list(graph):
        if v not in index:
            strong(v)
    return out


def test_no_import_circle_even_through_function_level_imports():
    edges = _imports(_modules())
    graph = {a: {b for b, _ in bs} for a, bs in edges.items()}
    circles = [c for c in _cycles(graph) if any(_in_areas(m) for m in c)]
    assert circles == []


def test_computations_never_import_plots_and_plots_never_import_computations():
    edges = _imports(_modules())
    for a, bs in edges.items():
        if not _in_areas(a):
            continue
        for b, _ in bs:
            if a.startswith(COMPUTATIONS) and not a.startswith(PLOTS):
                assert not b.startswith(PLOTS), f"{a} imports the plot module {b}"
            if a in ("creditlab.plots.finance", "creditlab.modeling.plots"):
                assert not b.startswith(COMPUTATIONS) or b in (
                    "creditlab.modeling._constants",), f"{a} imports the computation {b}"


def test_computation_packages_load_without_matplotlib():
    code = ("import sys, creditlab.finance, creditlab.modeling, creditlab.scores, "
            "creditlab.statements, creditlab.legal, creditlab.io, creditlab.synth; "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=PKG.parent)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("module", ["creditlab.legal", "creditlab.synth", "creditlab.io",
                                    "creditlab.io.tables", "creditlab.statements",
                                    "creditlab.scores", "creditlab.finance", "creditlab.modeling",
                                    "creditlab.exercises", "creditlab.i18n"])
def test_each_package_imports_first_in_a_fresh_process(module):
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True, cwd=PKG.parent)


# ---------------------------------------------------------------- the whole package
#: Modules over the ~600-line budget (DESIGN.md), with their size when the budget was set: they
#: may shrink, not grow, and no other module may join them. Split them when next touched.
LINE_BUDGET = 600
OVER_BUDGET = {
}


def test_no_module_over_the_line_budget_and_none_growing():
    sizes = {str(p.relative_to(PKG.parent)): len(p.read_text(encoding="utf-8").splitlines())
             for p in PKG.rglob("*.py")}
    new = {p: n for p, n in sizes.items() if n > LINE_BUDGET and p not in OVER_BUDGET}
    grown = {p: (sizes.get(p), cap) for p, cap in OVER_BUDGET.items() if sizes.get(p, 0) > cap}
    assert new == {}, f"split these modules (DESIGN.md, ~{LINE_BUDGET} lines): {new}"
    assert grown == {}, f"over-budget modules that grew (size, cap): {grown}"


def test_no_import_circle_anywhere_in_the_package():
    edges = _imports(_modules())
    graph = {a: {b for b, _ in bs} for a, bs in edges.items()}
    assert _cycles(graph) == []


def test_result_plot_methods_are_drawn_by_hooks_to_importable_plot_functions():
    """Every ``plot_*`` of a result class is a ``drawn_by`` hook naming a plot module and a
    function that exist (the result's module never imports the plot module)."""
    import importlib

    from creditlab._drawing import drawn_by
    from creditlab.dunning.plan import ActionPlan
    from creditlab.limits.methods import LimitProposal
    from creditlab.statements.position import SectorPosition

    for cls, name in ((ActionPlan, "plot_by_step"), (LimitProposal, "plot_gap"),
                      (SectorPosition, "plot")):
        hook = cls.__dict__[name]
        assert isinstance(hook, drawn_by), (cls, name)
        assert hook.module.startswith("creditlab.plots.")
        assert callable(getattr(importlib.import_module(hook.module), hook.function))


def _folder(module: str) -> str:
    """The folder-level unit of a module: its sub-package or top-level module of creditlab."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _folder_graph() -> dict[str, dict[str, list[str]]]:
    """unit → {imported unit: [importing modules]}, function-level imports included."""
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for a, bs in _imports(_modules()).items():
        for b, _ in bs:
            if _folder(a) != _folder(b):
                graph[_folder(a)][_folder(b)].append(f"{a} -> {b}")
    return graph


def test_no_two_way_edge_between_folders():
    """A package that imports another is never imported back by it, not even inside a function
    (io ↔ synth, io ↔ receivables and quiz ↔ exercises were; their shared definitions moved
    down to ``creditlab.tables`` and ``creditlab._demo``, the quiz into ``creditlab.exercises``)."""
    graph = _folder_graph()
    two_way = sorted((a, b, sorted(graph[a][b])[:3], sorted(graph[b][a])[:3])
                     for a in list(graph) for b in list(graph[a])
                     if a < b and a in graph.get(b, {}))
    assert two_way == [], two_way


def test_no_circle_between_folders():
    graph = _folder_graph()
    assert _cycles({a: set(bs) for a, bs in graph.items()}) == []


def test_the_data_model_sits_below_the_readers_and_the_computations():
    """``creditlab.tables`` imports nothing of creditlab but the errors, and the historical
    ``creditlab.io.tables`` / ``creditlab.quiz`` names still hand out the same objects."""
    import creditlab.io.tables as old
    import creditlab.quiz as quiz
    import creditlab.tables as new
    from creditlab.exercises import quiz as moved

    assert {b for b, _ in _imports(_modules())["creditlab.tables"]} == {"creditlab.exceptions"}
    assert old.TABLES is new.TABLES and old.DISPUTE_CAUSES is new.DISPUTE_CAUSES
    assert old.__all__ == new.__all__
    assert quiz.load_quiz is moved.load_quiz and quiz.Quiz is moved.Quiz


#: The one deliberate deferred loading of creditlab's own modules outside the package faces
#: (PEP 562 ``__getattr__`` of ``creditlab``, ``io``, ``plots``, ``receivables``, ``reports``) and
#: the ``drawn_by`` plot hooks: the command line's table of sub-commands (DESIGN.md, Layering).
IMPORTLIB_USERS = {"creditlab/__init__.py", "creditlab/io/__init__.py", "creditlab/plots/__init__.py",
                   "creditlab/receivables/__init__.py", "creditlab/reports/__init__.py",
                   "creditlab/_drawing.py", "creditlab/cli.py"}


def _function_level_imports() -> list[tuple[str, int, str, str]]:
    """(file, line, imported top-level module, statement) of every import inside a function."""
    out = []
    for path in sorted(PKG.rglob("*.py")):
        rel = str(path.relative_to(PKG.parent))
        tree = ast.parse(path.read_text(encoding="utf-8"))
        seen = set()
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(fn):
                if isinstance(node, ast.Import | ast.ImportFrom) and node.lineno not in seen:
                    seen.add(node.lineno)
                    if isinstance(node, ast.ImportFrom):
                        top = "creditlab" if node.level else (node.module or "").split(".")[0]
                    else:
                        top = node.names[0].name.split(".")[0]
                    out.append((rel, node.lineno, top, ast.unparse(node)))
    return out


#: Third-party packages that ``pyproject.toml`` does not install with creditlab (its extras, or
#: what an extra brings: mistune comes with nbconvert, traitlets with JupyterHub): the only ones a
#: function may import, on the line that needs them, marked ``# optional: <extra>``.
OPTIONAL = {"IPython": ("course", "reports"), "ipywidgets": ("course",),
            "jupyterlab": ("course",), "pypdf": ("reports",), "nbformat": ("reports",),
            "nbconvert": ("reports",), "papermill": ("reports",), "jupyter_client": ("reports",),
            "mistune": ("reports",), "jupyterhub": ("room",), "traitlets": ("room",),
            "duckdb": ("duckdb",)}


def test_function_level_imports_only_for_optional_dependencies():
    """Layers one way with every import at the top of its module: an import hidden in a function
    may neither keep a circle importable nor hide a module's real dependencies. Only an optional
    dependency is imported where it is needed, with a comment naming its extra; the command line
    defers its sub-commands through one table (``creditlab.cli._COMMANDS``), not through import
    statements."""
    wrong = []
    for f, line, top, stmt in _function_level_imports():
        text = (PKG.parent / f).read_text(encoding="utf-8").splitlines()[line - 1]
        extras = OPTIONAL.get(top, ())
        if not any(f"optional: {extra}" in text for extra in extras):
            wrong.append(f"{f}:{line}: {stmt}")
    assert wrong == [], "move these imports to the top of their module (or mark an optional one)"


def test_the_optional_allow_list_holds_no_core_dependency():
    import re
    import tomllib

    meta = tomllib.loads((PKG.parent / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = {re.split(r"[<>=\[ ]", d)[0].lower().replace("-", "_")
            for d in meta["dependencies"]}
    extras = set(meta["optional-dependencies"])
    assert core and not {m.lower() for m in OPTIONAL} & core
    assert {e for es in OPTIONAL.values() for e in es} <= extras


def test_optional_dependencies_are_never_imported_at_module_level():
    found = []
    for path in PKG.rglob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import | ast.ImportFrom) and not getattr(node, "level", 0):
                names = [node.module] if isinstance(node, ast.ImportFrom) else \
                    [a.name for a in node.names]
                found += [f"{path.name}: {n}" for n in names if n.split(".")[0] in OPTIONAL]
    assert found == []


def test_importlib_loads_creditlab_modules_only_in_the_documented_places():
    users = {str(p.relative_to(PKG.parent)) for p in PKG.rglob("*.py")
             if "import_module(" in p.read_text(encoding="utf-8")
             or "__import__(" in p.read_text(encoding="utf-8")}
    assert users <= IMPORTLIB_USERS, sorted(users - IMPORTLIB_USERS)


def test_the_command_line_starts_without_the_package_behind_its_commands():
    """``creditlab --help`` and ``creditlab report list`` load the command table and the report
    listing only (standard library), not pandas, the exercises or the document renderer."""
    code = ("import sys, io, contextlib\n"
            "from creditlab.cli import main\n"
            "for argv in (['report', 'list'], ['--help']):\n"
            "    with contextlib.redirect_stdout(io.StringIO()):\n"
            "        try:\n"
            "            main(argv)\n"
            "        except SystemExit:\n"
            "            pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('creditlab')))\n"
            "print(sorted({'pandas', 'numpy', 'jinja2', 'bleach'} & set(sys.modules)))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=PKG.parent).stdout.splitlines()
    assert out == [str(["creditlab", "creditlab._exit", "creditlab.cli", "creditlab.exceptions",
                        "creditlab.reports",
                        "creditlab.reports.listing"]), "[]"]
