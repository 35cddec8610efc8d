"""PDF letters of a dunning run: one PDF per letter and one merged PDF to print.

:func:`print_batch` prints the letters a :func:`creditlab.dunning.render_batch` wrote (HTML)
through the package's headless-Chromium renderer (:func:`creditlab.documents.print_letters`:
one Chromium run for the whole batch) and gathers the postal ones (channel ``letter`` or
``registered_letter``) in one PDF for printing (:func:`creditlab.documents.merge_pdfs`).
Phone-call scripts are not printed. Without Chromium (or pypdf) the run goes on: the HTML and
text letters are there, the result carries a sentence saying that no PDF was produced and how
to get them, and a warning goes to stderr; ``pdf="required"`` makes that an error instead.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from creditlab._checks import check_choice
from creditlab.documents import find_browser, merge_pdfs, pdf_page_count, print_letters
from creditlab.exceptions import InputError
from creditlab.labels import text

__all__ = ["PDF_MODES", "LetterFiles", "print_batch"]

#: ``auto``: PDFs when Chromium is there, else a note; ``required``: no Chromium is an error;
#: ``no``: HTML and text only.
PDF_MODES = ("auto", "required", "no")
#: A file of the report's folder holding warnings for the operator: ``creditlab report run``
#: prints it on its stderr and does not publish it.
WARNINGS_FILE = ".warnings.txt"
#: Letter kinds that are not printed (the phone-call script is read on the phone).
_NOT_PRINTED = ("phone_script",)


@dataclass(frozen=True)
class LetterFiles:
    """What a dunning run wrote for its letters.

    ``batch`` (:class:`creditlab.dunning.BatchResult`; ``batch.written`` has a ``pdf`` column,
    ``""`` for a letter without PDF), ``letters_dir``, ``merged`` (the PDF to print, None when
    there is none), ``pages`` (its page count), ``note`` (the sentence of the report about the
    PDFs, in the run's language). Unpacks as ``batch, letters_dir`` like the older return value.
    """

    batch: object
    letters_dir: Path
    merged: Path | None = None
    pages: int = 0
    note: str = ""
    pdfs: list = field(default_factory=list)

    def __iter__(self):
        return iter((self.batch, self.letters_dir))

    def __getitem__(self, i):   # indexes like the older (batch, letters_dir) tuple
        return (self.batch, self.letters_dir)[i]

    def __len__(self) -> int:
        return 2

    @property
    def produced(self) -> bool:
        """True when the PDFs were written."""
        return bool(self.pdfs)


def _why_not(lang: str) -> tuple[str, str] | None:
    """(reason, fix) when PDFs cannot be produced on this machine, else None."""
    try:
        import pypdf  # noqa: F401 - optional: reports
    except ImportError:
        return text("report_pdf_no_pypdf", lang), text("report_pdf_no_pypdf_fix", lang)
    if find_browser() is None:
        return text("report_pdf_no_browser", lang), text("report_pdf_no_browser_fix", lang)
    return None


def print_batch(batch, letters_dir, actions: pd.DataFrame, out, *, pdf: str = "auto",
                lang: str = "fr") -> LetterFiles:
    """PDFs of the letters of ``batch`` (beside their HTML) and the merged PDF to print.

    Parameters
    ----------
    batch : BatchResult
        The letters written (``written``: action_id, kind, html).
    letters_dir : path
        Their folder.
    actions : DataFrame
        The plan's actions (``action_id``, ``channel``): postal letters are those whose
        channel names ``letter`` or ``registered_letter``.
    out : path
        The report's folder: the merged PDF is written there (``lettres_a_imprimer.pdf``,
        ``letters_to_print.pdf`` in English).
    pdf : {"auto", "required", "no"}
        See :data:`PDF_MODES`.

    Raises
    ------
    InputError
        ``pdf="required"`` and Chromium or pypdf is missing (the fix says how to install them).
    """
    check_choice(pdf, "pdf", PDF_MODES)
    written = batch.written.assign(pdf="")
    done = LetterFiles(batch=batch, letters_dir=Path(letters_dir))
    if pdf == "no":
        return LetterFiles(batch=_with(batch, written), letters_dir=Path(letters_dir),
                           note=text("report_pdf_off", lang))
    missing = _why_not(lang)
    if missing is not None:
        why, fix = missing
        if pdf == "required":
            raise InputError("pdf", "Chromium and pypdf to print the letters (pdf=required)",
                             why, fix)
        note = text("report_pdf_missing", lang, why=why, fix=fix)
        print(f"creditlab: {note}", file=sys.stderr)
        # ``creditlab report run`` prints it on its own stderr (the kernel's goes to the page)
        with open(Path(out) / WARNINGS_FILE, "a", encoding="utf-8") as fh:
            fh.write(f"creditlab: {note}\n")
        return LetterFiles(batch=_with(batch, written), letters_dir=done.letters_dir, note=note)
    printed = written[~written["kind"].isin(_NOT_PRINTED)]
    if not len(printed):
        return LetterFiles(batch=_with(batch, written), letters_dir=done.letters_dir,
                           note=text("report_pdf_done_no_print", lang, n=0,
                                     folder=done.letters_dir.name))
    pdfs = print_letters(printed["html"].tolist())
    written.loc[printed.index, "pdf"] = [str(p) for p in pdfs]
    channel = written["action_id"].map(actions.set_index("action_id")["channel"]).fillna("")
    postal = written[(written["pdf"] != "")
                     & channel.str.contains(r"\bletter\b|registered_letter", regex=True)]
    folder = done.letters_dir.name
    if not len(postal):
        return LetterFiles(batch=_with(batch, written), letters_dir=done.letters_dir,
                           pdfs=pdfs, note=text("report_pdf_done_no_print", lang,
                                                n=len(pdfs), folder=folder))
    merged = merge_pdfs(postal["pdf"].tolist(),
                        Path(out) / text("report_file_letters_print", lang))
    pages = pdf_page_count(merged)
    return LetterFiles(batch=_with(batch, written), letters_dir=done.letters_dir, merged=merged,
                       pages=pages, pdfs=pdfs,
                       note=text("report_pdf_done", lang, n=len(pdfs), folder=folder,
                                 merged=merged.name, pages=pages, n_print=len(postal)))


def _with(batch, written: pd.DataFrame):
    return replace(batch, written=written)
