"""Shared mechanics of the report notebooks: output folder, parameters, exports, shown tables.

Presentation only: these functions format, label and write results already computed by the
domain packages; they compute no figure of their own.

- :func:`output_folder` — the folder a report writes to (the runner's staging folder);
- :func:`parse_buckets` — the ``buckets`` parameter (``"0,30,60,90"``) as whole days;
- :func:`write_csv`, :func:`write_csvs` — the CSV convention of the reports: French runs write
  ``;`` separated, decimal comma, UTF-8 with BOM (Excel in French opens them as they are);
  English runs write ``,`` and a decimal point;
- formatted Excel workbooks are written by :mod:`creditlab.reports.workbook`;
- :func:`open_disputes`, :func:`dispute_causes` — disputes open at a date and the cause of each
  disputed invoice, shown by the aged balance and dunning reports;
- :func:`say` — a sentence of the label catalogue (``creditlab/data/labels/reports.csv``) as
  Markdown;
- :func:`styled` — a table with its column names in words and money, percentages and whole
  numbers formatted in the run's language.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from creditlab._checks import as_of_date, round_cents
from creditlab._safety import escape_frame, escape_text, neutralise_frame
from creditlab.exceptions import InputError
from creditlab.i18n import check_lang, format_eur, format_number, format_pct, label
from creditlab.labels import text, unit_of

__all__ = ["output_folder", "parse_buckets", "write_csv", "write_csvs", "open_disputes",
           "dispute_causes", "say", "styled", "summary_in_words", "file_name", "format_count"]


def output_folder(output_dir: str | os.PathLike | None, prefix: str = "creditlab_report_") -> Path:
    """``output_dir`` (created if needed), or a new temporary folder when it is None (a report
    opened in Jupyter rather than run by ``creditlab report run``)."""
    out = Path(output_dir) if output_dir else Path(tempfile.mkdtemp(prefix=prefix))
    out.mkdir(parents=True, exist_ok=True)
    return out


def parse_buckets(buckets) -> tuple[int, ...]:
    """Bucket edges in days past due: ``"0,30,60,90"`` or a sequence of whole numbers.

    Raises
    ------
    InputError
        A part that is not a whole number.
    """
    try:
        if isinstance(buckets, str):
            return tuple(int(b) for b in buckets.split(","))
        return tuple(int(b) for b in buckets)
    except (TypeError, ValueError):
        raise InputError("buckets", "whole numbers of days separated by commas", buckets,
                         'e.g. -p buckets="0,30,60,90"') from None


def format_count(n: int, lang: str = "fr") -> str:
    """A whole number with thousands separated: ``12 345`` (narrow no-break space, fr) or
    ``12,345`` (en)."""
    return format_number(int(n), lang, 0)


def file_name(key: str, lang: str = "fr") -> str:
    """Name of an output file in the run's language (catalogue key ``file_...``)."""
    return text(key, lang)


def write_csv(frame: pd.DataFrame, path: str | os.PathLike, lang: str = "fr", *,
              index: bool = True, money: Iterable[str] = (), decimals: int = 4) -> Path:
    """Write ``frame`` as CSV in the convention of the run's language (see module docstring).

    Dates: ``31/12/2025`` in French runs, ISO ``2025-12-31`` in English runs.
    Numbers: the ``money`` columns are rounded to the cent (half-up,
    :func:`creditlab._checks.round_cents`), other decimal columns to ``decimals`` places
    (``33412871.850000046`` is written ``33412871,85``, a share ``0,4172``).
    Text cells that a spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@``, tab, CR
    first, not a number) are prefixed with ``'`` (:func:`creditlab._safety.neutralise_frame`).
    """
    path = Path(path)
    frame = neutralise_frame(frame)
    money = set(money)
    for c in frame.columns:
        if pd.api.types.is_float_dtype(frame[c]):
            frame[c] = round_cents(frame[c]) if c in money else frame[c].round(decimals)
    if check_lang(lang) == "fr":  # dates day-first as a French reader writes them
        frame.to_csv(path, sep=";", decimal=",", encoding="utf-8-sig", index=index,
                     date_format="%d/%m/%Y")
    else:  # ISO dates
        frame.to_csv(path, index=index)
    return path


def write_csvs(frames: Mapping[str, pd.DataFrame | None], out: str | os.PathLike,
               lang: str = "fr", *, labels: Mapping[str, Mapping[str, str]] | None = None
               ) -> list[Path]:
    """Write each frame of ``{file key: frame}`` to ``out`` under its name in ``lang``
    (:func:`file_name`); None frames are skipped. Column and index names are written in words
    (``labels``, else the label catalogue; a name known to neither is kept), money columns
    (unit ``eur...`` in the catalogue) to the cent, True/False as "oui"/"non" ("yes"/"no"). Returns the paths written."""
    out = Path(out)
    labels = labels or {}
    written = []
    for key, frame in frames.items():
        if frame is None:
            continue

        names = {c: _words(c, labels, lang) for c in frame.columns}
        shown = frame.rename(columns=names)
        yes_no = {True: text("report_yes", lang), False: text("report_no", lang)}
        for c in shown.columns:
            if pd.api.types.is_bool_dtype(shown[c]):
                shown[c] = shown[c].map(yes_no)
        if frame.index.name:
            shown.index.name = _words(frame.index.name, labels, lang)
        money = [names[c] for c in frame.columns if isinstance(c, str) and _is_money(c)]
        keep_index = any(n is not None for n in frame.index.names)  # not a row counter
        written.append(write_csv(shown, out / file_name(key, lang), lang, money=money,
                                 index=keep_index))
    return written


def _is_money(column: str) -> bool:
    return unit_of(column).startswith("eur") or column.endswith(("_ttc", "_amount", "_exposure")) or column in (
            "credit_limit", "overrun", "proposed_limit", "need", "gap_to_need", "insured",
            "uninsured")


def open_disputes(disputes: pd.DataFrame | None, as_of) -> pd.DataFrame:
    """Disputes open at ``as_of``: opened on or before it, not closed or closed after it."""
    if disputes is None:
        return pd.DataFrame(columns=["invoice_id", "opened_date", "closed_date", "cause"])
    asof = as_of_date(as_of)
    return disputes[(disputes["opened_date"] <= asof)
                    & (disputes["closed_date"].isna() | (disputes["closed_date"] > asof))]


def dispute_causes(invoice_ids: pd.Series, as_of, *, disputes: pd.DataFrame | None = None,
                   invoices: pd.DataFrame | None = None) -> pd.Series | None:
    """Cause of the dispute of each invoice of ``invoice_ids`` (same index), or None when unknown.

    From the dated disputes table when it has a ``cause`` column (the first dispute open at
    ``as_of`` on the invoice), else from the invoices' ``dispute_cause`` column; NaN for an
    invoice without a known cause.
    """
    if disputes is not None and "cause" in disputes.columns:
        causes = open_disputes(disputes, as_of).drop_duplicates("invoice_id")
        return invoice_ids.map(causes.set_index("invoice_id")["cause"])
    if invoices is not None and "dispute_cause" in invoices.columns:
        return invoice_ids.map(invoices.set_index("invoice_id")["dispute_cause"])
    return None


def say(key: str, lang: str = "fr", **fields):
    """The catalogue sentence ``key`` in ``lang``, fields filled, as IPython Markdown.

    Text fields are HTML-escaped (a customer name is data, never markup)."""
    from IPython.display import Markdown  # optional: reports

    return Markdown(text(key, lang, **{k: escape_text(v) for k, v in fields.items()}))


def _words(column, labels: Mapping[str, Mapping[str, str]], lang: str) -> object:
    if not isinstance(column, str):
        return column
    return label(labels, column, lang) if column in labels else text(column, lang)


def summary_in_words(result, lang: str = "fr") -> pd.DataFrame:
    """``result.summary()`` with its index codes in words (``result.to_frame(lang)``'s index);
    the columns keep their codes, so that :func:`styled` formats and names them."""
    out = result.summary()
    out.index = result.to_frame(lang).index
    return out


def styled(frame: pd.DataFrame, lang: str = "fr", *, money: Iterable[str] = (),
           pct: Iterable[str] = (), num: Iterable[str] = (),
           labels: Mapping[str, Mapping[str, str]] | None = None, decimals: int = 0):
    """``frame`` with its column and index names in words, formatted for display.

    Parameters
    ----------
    money, pct, num : column names
        Euro amounts (``decimals`` decimals), fractions shown as percentages, whole numbers.
        NaN shows as "—".
    labels : dict, optional
        ``{code: {"fr": ..., "en": ...}}`` words of the columns; other columns are looked up in
        the label catalogue, else keep their name.

    Returns
    -------
    pandas.io.formats.style.Styler
        Text cells, index labels and column names HTML-escaped
        (:func:`creditlab._safety.escape_frame`).
    """
    labels = labels or {}
    fmt = {c: (lambda v: format_eur(v, lang, decimals)) for c in money}
    fmt |= {c: (lambda v: format_pct(v, lang)) for c in pct}
    fmt |= {c: (lambda v: "—" if pd.isna(v) else f"{v:.0f}") for c in num}
    names = {c: _words(c, labels, lang) for c in frame.columns}
    shown = frame.rename(columns=names)
    if frame.index.name:
        shown.index.name = _words(frame.index.name, labels, lang)
    shown = escape_frame(shown)
    names = {c: escape_text(n) for c, n in names.items()}
    return shown.style.format({names[c]: f for c, f in fmt.items() if c in names}, na_rep="—")
