"""``creditlab course [DIR]``: copy the trainee course into a working folder and open JupyterLab.

The course is the three folders ``notebooks/``, ``exercises/`` (with ``solutions/``) and
``datasets/`` (demo portfolio, glossary, examples). They are found

- in a source checkout: at the top of the repository (``make lab`` and nbval use them there);
- in an installed wheel: in the package, as ``creditlab/_course/`` (``setup.py`` maps the three
  folders into the package, so ``pip install "creditlab[course]"`` is enough).

The copy keeps the same layout, so the notebooks' relative links (``../datasets/...``) work.
Files already in the working folder are kept (a trainee's work is never overwritten) unless
``overwrite=True``. Paths are handled with :mod:`pathlib` only (Windows paths work).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from creditlab.exceptions import InputError

__all__ = ["COURSE_FOLDERS", "CourseCopy", "course_source", "copy_course", "lab_command",
           "run_course"]

#: The folders of the course, in the order they are copied.
COURSE_FOLDERS = ("notebooks", "exercises", "datasets")

_SKIP = {"__pycache__", ".ipynb_checkpoints", "__init__.py"}


def course_source() -> Path:
    """The folder holding ``notebooks/``, ``exercises/`` and ``datasets/``.

    The source checkout wins over the packaged copy (developers see their edits).

    Raises
    ------
    InputError
        Neither a checkout nor the packaged course has the three folders.
    """
    package = Path(__file__).resolve().parent
    for root in (package.parent, package / "_course"):
        if all((root / name).is_dir() for name in COURSE_FOLDERS):
            return root
    raise InputError("course files", f"the folders {', '.join(COURSE_FOLDERS)}",
                     f"none found next to {package}",
                     'reinstall the package: pip install --force-reinstall "creditlab[course]"')


@dataclass(frozen=True)
class CourseCopy:
    """What :func:`copy_course` did: the working folder, files copied and files kept."""

    folder: Path
    copied: tuple[Path, ...]
    kept: tuple[Path, ...]

    def describe(self) -> str:
        """One French sentence for the command line."""
        text = f"Cours copié dans {self.folder} : {len(self.copied)} fichier(s) copié(s)"
        if self.kept:
            text += f", {len(self.kept)} fichier(s) déjà présent(s) conservé(s)"
        return text + "."


def copy_course(folder: str | os.PathLike = "creditlab-cours", *,
                overwrite: bool = False) -> CourseCopy:
    """Copy the course into ``folder`` (created if needed).

    Parameters
    ----------
    folder : path
        Working folder; relative paths are taken from the current directory.
    overwrite : bool
        Replace files that already exist (default False: the trainee's work is kept).

    Returns
    -------
    CourseCopy
        Paths are relative to ``folder``.
    """
    dest = Path(folder).expanduser().resolve()
    if dest.exists() and not dest.is_dir():
        raise InputError("DIR", "a folder (new or existing)", f"the file {dest}",
                         "choose another name for the working folder")
    source = course_source()
    copied: list[Path] = []
    kept: list[Path] = []
    for name in COURSE_FOLDERS:
        for path in sorted((source / name).rglob("*")):
            rel = path.relative_to(source)
            if path.is_dir() or _SKIP.intersection(rel.parts) or path.suffix == ".pyc":
                continue
            target = dest / rel
            if target.exists() and not overwrite:
                kept.append(rel)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            copied.append(rel)
    return CourseCopy(dest, tuple(copied), tuple(kept))


def _has_jupyterlab() -> bool:
    try:
        import jupyterlab  # noqa: F401 - optional: course
    except ImportError:
        return False
    return True


def _is_root() -> bool:
    geteuid = getattr(os, "geteuid", None)  # absent on Windows
    return geteuid is not None and geteuid() == 0


def lab_command(folder: str | os.PathLike, *, browser: bool = True,
                allow_root: bool | None = None) -> list[str]:
    """The command that starts JupyterLab on ``folder`` with this Python.

    ``allow_root`` defaults to "running as root" (JupyterLab refuses root without it).
    """
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={Path(folder)}"]
    if not browser:
        cmd.append("--no-browser")
    if _is_root() if allow_root is None else allow_root:
        cmd.append("--allow-root")
    return cmd


def run_course(folder: str | os.PathLike = "creditlab-cours", *, launch: bool = True,
               browser: bool = True, overwrite: bool = False) -> int:
    """Copy the course, print what was done, then (``launch``) run JupyterLab; exit code."""
    if launch and not _has_jupyterlab():
        raise InputError("jupyterlab", "JupyterLab installed (extra 'course')", "not installed",
                         'pip install "creditlab[course]" (or use --no-launch to copy only)')
    done = copy_course(folder, overwrite=overwrite)
    print(done.describe())
    print(f"Commencez par {Path('notebooks') / '00_prise_en_main.ipynb'}.")
    if not launch:
        return 0
    return subprocess.call(lab_command(done.folder, browser=browser), cwd=done.folder)


def add_parser(sub) -> None:
    """Register ``creditlab course`` on the CLI's subparsers."""
    course = sub.add_parser(
        "course", help="copy the trainee course into a folder and open JupyterLab",
        description="Copy the course (notebooks, exercises, datasets) into DIR, keeping files "
                    "already there, then start JupyterLab on it.")
    course.add_argument("dir", nargs="?", default="creditlab-cours",
                        help="working folder (default: creditlab-cours)")
    course.add_argument("--no-browser", action="store_true",
                        help="start JupyterLab without opening a browser")
    course.add_argument("--no-launch", action="store_true",
                        help="copy only, do not start JupyterLab")
    course.add_argument("--overwrite", action="store_true",
                        help="replace files already in DIR (default: keep them)")
    course.set_defaults(handler=lambda args: run_course(
        args.dir, launch=not args.no_launch, browser=not args.no_browser,
        overwrite=args.overwrite))
