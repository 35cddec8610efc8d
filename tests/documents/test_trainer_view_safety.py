"""A crafted trainee results file cannot publish markup in the trainer view."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
PAYLOAD = "<img src=x onerror=alert(1)>"


def test_trainer_view_escapes_trainee_names(tmp_path):
    example = ROOT / "datasets" / "course_results_example"
    for src in example.glob("*.jsonl"):
        lines = [json.loads(ln) for ln in src.read_text(encoding="utf-8").splitlines() if ln]
        for rec in lines:
            rec["trainee"] = PAYLOAD + rec["trainee"]
        (tmp_path / src.name).write_text("\n".join(json.dumps(r) for r in lines) + "\n",
                                         encoding="utf-8")
    nb = nbformat.read(ROOT / "notebooks" / "trainer_view.ipynb", as_version=4)
    nb.cells[1].source = f"dossier = {str(tmp_path)!r}"
    NotebookClient(nb, timeout=300, resources={"metadata": {"path": str(ROOT / "notebooks")}}
                   ).execute()
    html = [out["data"]["text/html"] for cell in nb.cells for out in cell.get("outputs", [])
            if "text/html" in out.get("data", {})]
    assert html and any("&lt;img src=x onerror=alert(1)&gt;" in h for h in html)
    assert not any("<img src=x" in h for h in html)
