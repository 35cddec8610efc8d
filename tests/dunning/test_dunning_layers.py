"""Dunning layers one way: no import circle, no function-level import, letters only format."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import creditlab
from creditlab.dunning import render_letter
from creditlab.dunning.claims import LetterFigures, late_charges, letter_figures
from creditlab.dunning.codes import LetterKind
from creditlab.dunning.letters import render_figures
from creditlab.exceptions import ReferenceDataError

PKG = Path(creditlab.__file__).resolve().parent
#: Function-level imports kept on purpose: (file, module) — pyplot only when a chart is drawn.
ALLOWED = {("limits/methods.py", "creditlab.plots.kpi")}


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for sub in ast.walk(node):
                if isinstance(sub, ast.Import):
                    yield from (a.name for a in sub.names)
                elif isinstance(sub, ast.ImportFrom):
                    yield sub.module


def test_no_function_level_imports_in_dunning_and_limits():
    found = set()
    for area in ("dunning", "limits"):
        for path in sorted((PKG / area).glob("*.py")):
            rel = f"{area}/{path.name}"
            found |= {(rel, m) for m in _imports(path)}
    assert found <= ALLOWED, found - ALLOWED


def _module_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.module for n in tree.body if isinstance(n, ast.ImportFrom) and n.module}


def test_no_import_circle_in_dunning():
    """escalation ↔ letters was a circle kept importable by function-level imports."""
    mods = {f"creditlab.dunning.{p.stem}": _module_imports(p)
            for p in (PKG / "dunning").glob("*.py") if p.stem != "__init__"}
    assert "creditlab.dunning.letters" not in mods["creditlab.dunning.escalation"]
    graph = {m: {d for d in deps if d in mods} for m, deps in mods.items()}
    done: set[str] = set()

    def visit(m, stack):
        assert m not in stack, f"import circle: {' -> '.join([*stack, m])}"
        if m in done:
            return
        for d in graph[m]:
            visit(d, [*stack, m])
        done.add(m)

    for m in graph:
        visit(m, [])
    assert done == set(graph)


def test_computations_do_not_load_pyplot():
    code = ("import sys, creditlab.dunning, creditlab.limits; "
            "print('matplotlib.pyplot' in sys.modules, 'creditlab.plots.kpi' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={"PYTHONPATH": str(PKG.parent), "PATH": ""})
    assert out.stdout.split() == ["False", "False"]


def test_letter_module_computes_nothing():
    """The renderer imports no computation: no penalties, no aged balance, no legal module."""
    tree = ast.parse((PKG / "dunning" / "letters.py").read_text(encoding="utf-8"))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
             for a in n.names}
    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not {"late_penalties", "aged_balance", "default_penalty_rate"} & names
    assert not any(m.startswith("creditlab.legal") for m in modules)


def _items():
    return pd.DataFrame({"invoice_id": ["F1", "F2"],
                         "due_date": pd.to_datetime(["2025-10-31", "2026-01-15"]),
                         "issue_date": pd.to_datetime(["2025-09-30", "2025-12-15"]),
                         "amount_ttc": [1000.0, 500.0], "open_amount": [1000.0, 500.0]})


def test_render_figures_prints_the_given_figures():
    """Figures made up by hand are printed as given: the renderer never recomputes them."""
    asof = pd.Timestamp("2025-12-31")
    f = letter_figures("formal_notice", _items(), asof)
    it = f.items.assign(penalty=[12.34, 0.0])
    made_up = LetterFigures(
        kind=LetterKind.FORMAL_NOTICE, as_of=asof, items=it, claim_interest=True,
        claim_fees=True, penalties_ok=True, penalty_error="", principal=1500.0,
        penalties=12.34, indemnities=40.0, total_claimed=1552.34, overdue_total=1000.0,
        max_days_past_due=61, oldest_due=pd.Timestamp("2025-10-31"),
        reply_date=pd.Timestamp("2026-01-08"), penalty_rate=0.2, ageing=None)
    letter = render_figures(made_up, {"customer_id": "C1", "name": "<b>Dupont</b>"})
    assert "12,34\u00a0€" in letter.text and "1\u202f552,34\u00a0€" in letter.text
    assert "20,00\u00a0%" in letter.text  # the rate given, not the legal one of the half-year
    assert "8 janvier 2026" in letter.text
    assert letter.total_claimed == 1552.34
    assert "&lt;b&gt;Dupont&lt;/b&gt;" in letter.html


def test_letter_figures_hand_computed():
    """10 000 € due 2025-09-30, 61 days late at 2025-11-30, H2-2025 rate 12.15 %: 203.05 €
    penalties + 40 € indemnity (DOMAIN.md §7.2, test vector T11)."""
    items = pd.DataFrame({"invoice_id": ["F"], "due_date": pd.to_datetime(["2025-09-30"]),
                          "open_amount": [10_000.0]})
    f = letter_figures("reminder_2", items, pd.Timestamp("2025-11-30"))
    assert f.penalties == pytest.approx(203.05, abs=0.005) and f.indemnities == 40.0
    assert f.total_claimed == pytest.approx(10_243.05, abs=0.005)
    assert f.max_days_past_due == 61 and f.penalty_rate == pytest.approx(0.1215)
    assert f.reply_date == pd.Timestamp("2025-12-08")
    # a courtesy reminder claims nothing; a statement carries the ageing
    f = letter_figures("statement", _items(), pd.Timestamp("2025-12-31"))
    assert f.total_claimed == 1500.0 and f.penalties == 0.0
    assert f.ageing == (500.0, 0.0, 0.0, 1000.0, 0.0, 1500.0)  # not due, 1-30 ... > 90, total


def test_letter_needing_a_missing_rate_states_the_legal_rule():
    # 2026 S2 is not in the rate tables (DOMAIN.md §7.4 "to be checked"): the formal notice
    # still goes out, stating the rule of L441-10 II instead of an amount, never a guess
    items = _items().assign(due_date=pd.to_datetime(["2026-08-31", "2026-12-15"]))
    letter = render_letter("formal_notice", {"customer_id": "C1"}, items, as_of="2026-12-31")
    assert "taux BCE + 10 points : à parfaire" in letter.text
    assert "pénalités de retard courent au taux BCE + 10 points" in letter.text
    f = letter_figures("formal_notice", items, pd.Timestamp("2026-12-31"))
    assert not f.penalties_ok and "ecb_mro_rates.csv" in f.penalty_error
    assert f.total_claimed == pytest.approx(f.principal + 80.0)   # 2 × 40 €, no penalty
    with pytest.raises(ReferenceDataError):    # the strict computation still refuses
        late_charges(items, pd.Timestamp("2026-12-31"), [True, True], claim_interest=True,
                     claim_fees=True, strict=True)
