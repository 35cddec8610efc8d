"""datasets/README.md embeds the data dictionary rendered from tables.py (it never drifts)."""

from __future__ import annotations

import subprocess
import sys

import creditlab.io as cio
from creditlab.io.datasets import DATASETS_DIR
from creditlab.io.dictionary import BEGIN, END, data_dictionary_markdown
from creditlab.io.tables import TABLES


def test_readme_holds_the_generated_dictionary():
    readme = (DATASETS_DIR / "README.md").read_text(encoding="utf-8")
    generated = data_dictionary_markdown()
    assert generated in readme, (
        "datasets/README.md is out of date: regenerate its dictionary part with "
        "`python -m creditlab.io.dictionary`")
    assert readme.count(BEGIN) == 1 and readme.count(END) == 1
    for folder in ("demo/", "polish_bankruptcy/", "column_aliases.csv"):
        assert folder in readme


def test_dictionary_covers_every_column():
    md = data_dictionary_markdown()
    sections = md.split("\n### ")
    for table in TABLES.values():
        title = f"`{table.name}` — {table.label_fr}"
        section = next(s for s in sections if s.startswith(title))
        for col in table.columns:
            row = next(line for line in section.splitlines()
                       if line.startswith(f"| `{col.name}` |"))
            assert col.label_fr in row and col.description.split(" ")[0] in row
    assert "`total_assets` = `intangible_assets_gross`" in md
    assert "`payment_terms` | text: `cash`, `net_30`" in md


def test_module_entry_point_prints_it():
    out = subprocess.run([sys.executable, "-m", "creditlab.io.dictionary"], capture_output=True,
                         text=True, check=True)
    assert out.stdout == data_dictionary_markdown()


def test_public_api():
    for name in cio.__all__:
        assert hasattr(cio, name), name
    for name in ("TABLES", "columns_of", "required_columns", "FS_IDENTITIES", "FS_TOLERANCE",
                 "load_demo", "external_dir", "coerce_types", "PROJECT_ROOT", "DEMO_DIR",
                 "DATASETS_DIR", "validate", "problems", "read_table", "read_fec",
                 "fec_open_items", "data_dictionary_markdown", "PAYMENT_TERMS"):
        assert name in cio.__all__
