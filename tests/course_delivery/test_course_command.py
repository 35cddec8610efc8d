"""``creditlab course [DIR]``: the course copied into a working folder, JupyterLab's command."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from creditlab.cli import main
from creditlab.course import COURSE_FOLDERS, copy_course, course_source, lab_command
from creditlab.exceptions import InputError

ROOT = Path(__file__).resolve().parents[2]


def test_course_source_is_the_checkout_in_a_clone():
    assert course_source() == ROOT


def test_cli_copies_the_whole_course_into_a_folder_with_spaces_and_accents(tmp_path, capsys):
    dest = tmp_path / "Cours crédit client"
    assert main(["course", str(dest), "--no-launch"]) == 0
    for name in COURSE_FOLDERS:
        expected = sorted(p.relative_to(ROOT) for p in (ROOT / name).rglob("*")
                          if p.is_file() and ".ipynb_checkpoints" not in p.parts
                          and "__pycache__" not in p.parts)
        got = sorted(p.relative_to(dest) for p in (dest / name).rglob("*") if p.is_file())
        assert got == expected
    assert (dest / "notebooks" / "00_prise_en_main.ipynb").read_bytes() == \
        (ROOT / "notebooks" / "00_prise_en_main.ipynb").read_bytes()
    assert (dest / "exercises" / "solutions" / "part1_enjeux_corrige.ipynb").is_file()
    assert (dest / "datasets" / "glossary_fr_en.csv").is_file()
    assert (dest / "datasets" / "demo" / "invoices.csv").is_file()
    out = capsys.readouterr().out
    assert "Cours copié dans" in out and "00_prise_en_main.ipynb" in out


def test_a_second_copy_keeps_the_trainees_work_unless_overwrite(tmp_path):
    first = copy_course(tmp_path)
    assert first.copied and not first.kept
    mine = tmp_path / "exercises" / "part1_enjeux.ipynb"
    mine.write_text("my answers", encoding="utf-8")
    second = copy_course(tmp_path)
    assert not second.copied
    assert Path("exercises/part1_enjeux.ipynb") in second.kept
    assert mine.read_text(encoding="utf-8") == "my answers"
    assert "conservé" in second.describe()
    third = copy_course(tmp_path, overwrite=True)
    assert Path("exercises/part1_enjeux.ipynb") in third.copied
    assert mine.read_text(encoding="utf-8") != "my answers"


def test_a_file_in_place_of_the_folder_is_refused(tmp_path):
    target = tmp_path / "cours"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="DIR"):
        copy_course(target)
    assert main(["course", str(target), "--no-launch"]) == 2


def test_lab_command_options(tmp_path):
    cmd = lab_command(tmp_path, browser=False, allow_root=True)
    assert cmd[:3] == [sys.executable, "-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={tmp_path}" in cmd
    assert "--no-browser" in cmd and "--allow-root" in cmd
    cmd = lab_command(tmp_path, browser=True, allow_root=False)
    assert "--no-browser" not in cmd and "--allow-root" not in cmd


def test_core_import_needs_no_extra(tmp_path):
    """Every creditlab module imports with the notebook tooling absent; the course command then
    says which extra to install."""
    code = textwrap.dedent(f"""
        import importlib, pkgutil, sys
        BLOCKED = {{"jupyterlab", "ipywidgets", "IPython", "ipykernel", "papermill", "nbconvert",
                    "nbformat", "nbclient", "nbval"}}

        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in BLOCKED:
                    raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
                return None

        sys.meta_path.insert(0, Block())
        import creditlab
        names = [m.name for m in pkgutil.walk_packages(creditlab.__path__, "creditlab.")
                 if "._course" not in m.name and not m.name.endswith("__main__")]
        for name in names:
            importlib.import_module(name)
        from creditlab.cli import main
        assert main(["course", {str(tmp_path / "c")!r}, "--no-launch"]) == 0
        assert main(["course", {str(tmp_path / "d")!r}, "--no-browser"]) == 2
        assert main(["report", "list"]) == 0      # listing reads the notebooks' JSON only
        assert main(["report", "run", "aged_balance", "--out", {str(tmp_path / "r")!r}]) == 1
        print(len(names))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip().splitlines()[-1]) > 50
    assert 'pip install "creditlab[course]"' in done.stderr
    assert 'pip install "creditlab[reports]"' in done.stderr
