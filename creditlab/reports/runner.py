"""The report runner: run a parameterised report notebook and publish it.

A report is a notebook ``NAME.ipynb`` shipped with the package (``creditlab/reports/notebooks/``,
package data found with :mod:`importlib.resources`, so that a regular ``pip install`` lists and
runs them) with one cell tagged ``parameters`` and a parameter ``output_dir = None``. :func:`run_report`

1. checks the parameters against the notebook's own (an unknown name is an error listing them);
2. creates a staging directory ``OUT/.NAME.tmp-XXXXXXXX`` next to the final one and executes the
   notebook there with papermill, injecting ``output_dir`` = the staging directory (every file
   the notebook writes there is part of the report);
3. writes the executed notebook ``NAME.ipynb`` and an HTML rendering ``NAME.html`` without code
   cells (nbconvert, inputs and prompts excluded; outputs sanitised by :func:`sanitise_outputs`,
   so a customer name cannot publish a script) into the staging directory;
4. publishes the staging directory as ``OUT/NAME/`` with renames only (``os.replace``): the
   previous ``OUT/NAME`` is first renamed aside, the staging directory renamed into place, then
   the old one deleted (put back if the second rename fails). Nothing is ever written in
   ``OUT/NAME`` itself, so a reader never sees a half-written file and a re-run replaces the
   whole set of outputs at once (for the instant between the two renames ``OUT/NAME`` is absent);
5. on failure, publishes nothing: the previous ``OUT/NAME`` is left untouched, the executed
   notebook (with the error) is kept as ``OUT/NAME.failed.ipynb`` and :class:`ReportError` names
   the failing cell (index, the line that raised — else the cell's first line — and the
   exception). A later successful run removes that stale ``NAME.failed.ipynb``.

Bilingual prose: a markdown cell tagged ``lang:fr`` or ``lang:en`` is kept only when the run's
``lang`` parameter (given, else the notebook's default) matches its tag; untagged cells are
always kept. A report thus carries its text in both languages and the executed notebook and
the HTML page hold one (:func:`select_language`); the HTML title is the first markdown line of the
run's language, and ``creditlab report list`` shows the first one of the file (French).

The kernel's own process output (ipykernel's warnings, "KeyboardInterrupt caught in kernel"
at shutdown) goes to a log, so a cron job stays quiet on success; the log is kept as
``OUT/NAME.failed.kernel.log`` beside the failed notebook when the run fails. The kernel draws
charts inline whatever ``MPLBACKEND`` the caller set.

The command line (``creditlab report ...``, :mod:`creditlab.cli`) is a thin shell over
:func:`list_reports` and :func:`run_report`.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from creditlab._safety import clean_html, clean_markdown
from creditlab.documents import REPORT_PAGE_CSS
from creditlab.exceptions import InputError, ReportError
from creditlab.i18n import check_lang
from creditlab.reports._warmup import start_warm_up
from creditlab.reports.listing import (  # noqa: F401 - the catalogue's names, re-exported
    RUNNER_PARAMETERS,
    ReportInfo,
    _declared,
    _first_markdown_line,
    _notebook_path,
    _parameter_cell_index,
    _parse_parameters,
    _read_notebook,
    list_reports,
    parse_value,
    report_info,
    reports_dir,
)

__all__ = ["ReportInfo", "list_reports", "report_info", "run_report", "parse_value",
           "reports_dir", "select_language", "sanitise_outputs", "RUNNER_PARAMETERS"]


def skip_iri_grammar() -> bool:
    """Spare the current process the IRI grammar jsonschema builds when first imported.

    ``import nbformat`` (papermill, nbconvert) imports jsonschema, whose format checkers import
    the optional ``rfc3987_syntax``, which compiles a Lark grammar at import: 1.3-1.6 s of CPU on
    every ``creditlab report run``, for "iri" format checks that no notebook schema uses. Marking
    the module absent (``sys.modules[...] = None``, Python's documented way to make an import
    fail) makes jsonschema skip those two checkers. Done only when jsonschema is not yet
    imported and only by the command line (a process of its own); returns whether it was done.
    """
    if "jsonschema" in sys.modules or "rfc3987_syntax" in sys.modules:
        return False
    sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]
    return True


def _lang_tag(cell) -> str | None:
    for tag in cell.get("metadata", {}).get("tags", []):
        if isinstance(tag, str) and tag.startswith("lang:"):
            return tag[len("lang:"):]
    return None


def select_language(nb, lang: str):
    """Copy of notebook ``nb`` without the cells tagged for another language.

    A cell tagged ``lang:fr`` (``lang:en``) is kept only when ``lang`` is "fr" ("en"); untagged
    cells are kept. Used by :func:`run_report` with the run's ``lang``.
    """
    check_lang(lang)
    out = copy.deepcopy(nb)
    out.cells = [out.cells[i] for i in _kept_cells(out, lang)]
    return out


def _kept_cells(nb, lang: str | None) -> list[int]:
    """Indices of the cells of ``nb`` a run in ``lang`` keeps (all when ``lang`` is None)."""
    return [i for i, c in enumerate(nb.cells) if lang is None or _lang_tag(c) in (None, lang)]


def _run_lang(params: dict[str, Any], declared: dict[str, dict[str, str]]) -> str | None:
    """The ``lang`` of a run: the parameter given, else the notebook's literal default."""
    if "lang" in params:
        return params["lang"]
    if "lang" not in declared:
        return None
    try:
        value = ast.literal_eval(declared["lang"]["default"])
    except (ValueError, SyntaxError):
        return None
    return value if isinstance(value, str) else None


#: Output types never published: they would run code in the reader's browser.
_ACTIVE_OUTPUTS = ("application/javascript", "text/javascript",
                   "application/vnd.jupyter.widget-view+json")


def sanitise_outputs(nb):
    """Copy of executed notebook ``nb`` whose outputs carry no live markup.

    Every ``text/html`` output goes through :func:`creditlab._safety.clean_html` (tables,
    text and images kept; scripts, event handlers, ``<svg>``/``<iframe>`` escaped as text),
    every ``text/markdown`` output through :func:`creditlab._safety.clean_markdown`;
    JavaScript and widget outputs are dropped, and an SVG image is dropped when the output
    has another representation (else escaped). The report's own markdown cells (authored
    text, not data) are kept as they are.
    """
    def text(value):
        return "".join(value) if isinstance(value, list) else str(value)

    out = copy.deepcopy(nb)
    for cell in out.cells:
        for output in cell.get("outputs", []):
            data = output.get("data")
            if not data:
                continue
            for mime in _ACTIVE_OUTPUTS:
                data.pop(mime, None)
            if "text/html" in data:
                data["text/html"] = clean_html(text(data["text/html"]))
            if "text/markdown" in data:
                data["text/markdown"] = clean_markdown(text(data["text/markdown"]))
            if "image/svg+xml" in data:
                if len(data) > 1:
                    data.pop("image/svg+xml")
                else:
                    data["text/html"] = clean_html(text(data.pop("image/svg+xml")))
            if not data:
                data["text/plain"] = ""
    return out


def _html(nb, title: str) -> str:
    """HTML rendering of an executed notebook without code cells nor prompts; the outputs are
    sanitised first (:func:`sanitise_outputs`), so data cannot publish live markup."""
    from nbconvert import HTMLExporter  # optional: reports

    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    body = exporter.from_notebook_node(sanitise_outputs(nb), resources={"metadata": {"name": title}})[0]
    return body.replace("</head>", REPORT_PAGE_CSS + "</head>", 1)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _publish_dir(staging: Path, final: Path) -> None:
    """Replace directory ``final`` by ``staging`` using renames only (see module docstring)."""
    if final.is_symlink() or (final.exists() and not final.is_dir()):
        raise InputError("out", "a directory for the report outputs", str(final),
                         f"remove or rename the file {final}")
    if not final.exists():
        os.replace(staging, final)
        return
    old = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{final.name}.old-"))
    os.rmdir(old)  # only reserve a unique name
    os.replace(final, old)
    try:
        os.replace(staging, final)
    except BaseException:
        os.replace(old, final)  # put the previous good output back
        raise
    shutil.rmtree(old, ignore_errors=True)


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _failing_line(err) -> int | None:
    """Line (1-based) of the failing cell that raised, from IPython's ``Cell In[N], line L``."""
    found = None
    for frame in err.traceback or []:
        for m in re.finditer(r"Cell In\[(\d+)\], line (\d+)", _ANSI.sub("", str(frame))):
            if err.exec_count is None or int(m.group(1)) == err.exec_count:
                found = int(m.group(2))
    return found


def _failure_message(name: str, err, nb_run, failed_path: Path,
                     positions: list[int] | None = None) -> str:
    """Name the failing cell by its index in the report notebook, the line that raised (else
    the cell's first line), the error. ``nb_run`` is the notebook executed; ``positions`` maps
    its cells to their index in the report's file (language cells of the other language were
    left out, see :func:`select_language`)."""
    index = err.cell_index
    param = _parameter_cell_index(nb_run)
    if param is not None and index > param:  # papermill injected one cell after "parameters"
        index -= 1
    if positions is not None and 0 <= index < len(positions):
        index = positions[index]
    lines = (err.source or "").splitlines()
    at = _failing_line(err)
    if at is not None and 0 < at <= len(lines) and lines[at - 1].strip():
        where = f", line {at}: {lines[at - 1].strip()!r}"
    else:
        where = ": " + repr(next((ln.strip() for ln in lines if ln.strip()), ""))
    count = f" (In [{err.exec_count}])" if err.exec_count is not None else ""
    return (f"report {name!r} failed in cell {index}{count} of {name}.ipynb{where}\n"
            f"  {err.ename}: {err.evalue}\n"
            f"  executed notebook kept for diagnosis: {failed_path}")


_INLINE = "module://matplotlib_inline.backend_inline"  # the kernel's charts go on the page


def _kernel_manager_class(log):
    """A kernel manager whose kernel process writes its stdout and stderr to ``log``."""
    from jupyter_client.manager import AsyncKernelManager  # optional: reports

    class LoggedKernelManager(AsyncKernelManager):
        async def start_kernel(self, **kw):
            kw.update({k: kw.get(k, log) for k in ("stdout", "stderr")})
            kw["env"] = {**kw.get("env", os.environ), "MPLBACKEND": _INLINE}
            await super().start_kernel(**kw)
            start_warm_up()  # the export's first-call costs, paid on the other core meanwhile

    return LoggedKernelManager


def run_report(name: str, parameters: dict[str, Any] | None = None,
               out: str | os.PathLike = "output", lang: str | None = None, *,
               reports_directory: str | os.PathLike | None = None,
               progress: bool | None = None, timeout: float | None = None,
               kernel_name: str | None = None) -> dict[str, Path]:
    """Run report ``name`` and publish its outputs atomically into ``out/name/``.

    Parameters
    ----------
    name : str
        Report name: a notebook ``NAME.ipynb`` of :func:`reports_dir` (see :func:`list_reports`).
    parameters : dict, optional
        Values for the notebook's parameters (names must exist in its ``parameters`` cell;
        ``output_dir`` is set by the runner).
    out : path, default "output"
        Directory receiving ``NAME/`` (created if needed).
    lang : {"fr", "en"}, optional
        Sets the notebook's ``lang`` parameter (the notebook must have one).
    reports_directory : path, optional
        Where to find the notebooks (default :func:`reports_dir`).
    progress : bool, optional
        Show papermill's progress bar; default: only when stderr is a terminal.
    timeout : float, optional
        Maximum seconds per cell (None = no limit).
    kernel_name : str, optional
        Jupyter kernel (default: the notebook's kernelspec, ``python3``).

    Returns
    -------
    dict of Path
        ``"dir"`` (``out/NAME``), ``"notebook"`` (executed ``NAME.ipynb``), ``"html"``
        (``NAME.html``) and one entry per other file the notebook wrote, keyed by its path
        relative to ``out/NAME``.

    Raises
    ------
    InputError
        Unknown report, unknown parameter, bad ``lang``, ``out`` not usable.
    ReportError
        A cell failed; the message names it (index in ``NAME.ipynb``, first source line,
        exception) and ``error.failed_notebook`` is the kept ``out/NAME.failed.ipynb``;
        the kernel's process output is kept as ``out/NAME.failed.kernel.log``.
    """
    import nbformat  # optional: reports
    import papermill  # optional: reports
    from papermill.exceptions import PapermillExecutionError  # optional: reports

    directory = reports_dir(reports_directory)
    nb_path = _notebook_path(name, directory)
    params = dict(parameters or {})
    nb_source = nbformat.read(nb_path, as_version=4)
    declared = _declared(nb_source)
    if lang is not None:
        check_lang(lang)
        params["lang"] = lang
    for key in params:
        if key in RUNNER_PARAMETERS:
            raise InputError(f"parameter {key!r}", "a parameter the user may set", key,
                             "output_dir is set by the runner; use out=... (--out DIR)")
        if key not in declared:
            raise InputError(f"parameter {key!r}",
                             f"one of the parameters of {name}: {sorted(declared)}", key,
                             f"run 'creditlab report list' to see {name}'s parameters")
    for key in RUNNER_PARAMETERS:
        if key not in declared:
            raise InputError(f"{name}.ipynb", f"a parameter {key} = None in its parameters cell",
                             sorted(declared), "add it to the notebook's parameters cell")

    run_lang = _run_lang(params, declared)   # select_language checks it
    to_run = select_language(nb_source, run_lang) if run_lang is not None else nb_source
    positions = _kept_cells(nb_source, run_lang)   # run cell → cell of the report's file

    out_dir = Path(out).resolve()
    blocker = next((p for p in (out_dir, *out_dir.parents) if p.exists()), None)
    if blocker is not None and not blocker.is_dir():  # before: a bare FileExistsError
        raise InputError("out", "a folder (created when absent)", f"{blocker} is a file",
                         "pass --out with a folder name, e.g. --out rapports")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputError("out", "a folder that can be created and written", str(out_dir),
                         f"choose another --out folder ({err.strerror})") from None
    if (out_dir / name).exists() and not (out_dir / name).is_dir():
        raise InputError("out", f"no file named {name!r} in the output folder",
                         str(out_dir / name), "move that file or choose another --out folder")
    final = out_dir / name
    failed_path = out_dir / f"{name}.failed.ipynb"
    failed_log = out_dir / f"{name}.failed.kernel.log"
    for stale in (failed_path, failed_log):  # a former failure's files would mislead
        stale.unlink(missing_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out_dir, prefix=f".{name}.tmp-"))
    staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; publish with usual rights
    executed = staging / f"{name}.ipynb"
    params["output_dir"] = str(staging)
    if progress is None:
        progress = bool(getattr(sys.stderr, "isatty", lambda: False)())
    engine_kwargs = {"execution_timeout": timeout} if timeout is not None else {}
    log_fd, log_name = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.kernel-", suffix=".log")
    kernel_log = Path(log_name)
    kernel_log.chmod(0o666 & ~_umask())
    ok = False
    try:
        try:
            with os.fdopen(log_fd, "w", encoding="utf-8") as log:
                nb = papermill.execute_notebook(
                    to_run, str(executed), parameters=params, progress_bar=progress,
                    kernel_name=kernel_name, cwd=os.getcwd(),
                    kernel_manager_class=_kernel_manager_class(log), **engine_kwargs)
        except PapermillExecutionError as err:
            os.replace(executed, failed_path)
            exc = ReportError(_failure_message(name, err, to_run, failed_path, positions))
            exc.failed_notebook = failed_path
            exc.cell_source = err.source
            raise exc from None
        except Exception as err:  # kernel died, timeout, ...: keep what was executed
            if executed.exists():
                os.replace(executed, failed_path)
            exc = ReportError(f"report {name!r} could not run: {type(err).__name__}: {err}"
                              + (f"\n  executed notebook kept for diagnosis: {failed_path}"
                                 if failed_path.exists() else "")
                              + f"\n  kernel messages: {failed_log}")
            exc.failed_notebook = failed_path if failed_path.exists() else None
            raise exc from err
        try:
            html_path = staging / f"{name}.html"
            html_path.write_text(_html(nb, _first_markdown_line(to_run) or name),
                                 encoding="utf-8")
            warned = staging / ".warnings.txt"  # the report's warnings (printing.WARNINGS_FILE)
            if warned.is_file():
                sys.stderr.write(warned.read_text(encoding="utf-8"))
                warned.unlink()
            _publish_dir(staging, final)
        except Exception as err:  # rendering or publishing: keep the executed notebook
            if executed.exists():
                os.replace(executed, failed_path)
            exc = ReportError(f"report {name!r} ran but could not be published: "
                              f"{type(err).__name__}: {err}"
                              + (f"\n  executed notebook kept: {failed_path}"
                                 if failed_path.exists() else ""))
            exc.failed_notebook = failed_path if failed_path.exists() else None
            raise exc from err
        ok = True
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
        if ok:
            kernel_log.unlink(missing_ok=True)
        else:
            with contextlib.suppress(OSError):
                os.replace(kernel_log, failed_log)
    result: dict[str, Path] = {"dir": final, "notebook": final / f"{name}.ipynb",
                               "html": final / f"{name}.html"}
    for f in sorted(final.rglob("*")):
        if f.is_file() and f not in (result["notebook"], result["html"]):
            result[str(f.relative_to(final))] = f
    return result
