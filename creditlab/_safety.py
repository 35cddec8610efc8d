"""What keeps customer data inert in the documents a report publishes.

Customer names, ids, causes and notes come from ERP exports a credit manager does not control:
a name ``<script>alert(1)</script>Dupont SA`` or ``=HYPERLINK("http://…")`` must reach the HTML
page, the spreadsheet and the CSV file as text, never as markup or a formula.

- :func:`escape_frame` — a table whose text cells, index and column names are HTML-escaped,
  for a :class:`pandas.io.formats.style.Styler` (which does not escape by default);
- :func:`escape_text` — one value as HTML-escaped text (Markdown built from data);
- :func:`clean_html` — an HTML fragment (a notebook output) reduced to inert markup: tables,
  text, images; no script, no event handler, no ``javascript:`` link (bleach allow-list);
- :func:`neutralise_cell`, :func:`neutralise_frame` — the OWASP "CSV injection" defence for
  spreadsheet and CSV files: a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return that is not a number is prefixed with an apostrophe, so that Excel and
  LibreOffice show it as text; real numbers (``-12,5``, ``+33``) and non-text cells are left
  alone; :func:`unneutralise_frame` undoes it when such a file is read back by creditlab.

Source: OWASP, "CSV Injection" (https://owasp.org/www-community/attacks/CSV_Injection).
"""

from __future__ import annotations

import html
import re

import bleach
import pandas as pd

__all__ = ["escape_text", "escape_frame", "clean_html", "clean_markdown", "neutralise_cell",
           "neutralise_frame", "unneutralise_frame", "FORMULA_TRIGGERS"]

#: First characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d{1,3}([ \u00a0\u202f]\d{3})+|\d+)([.,]\d+)?(e[+-]?\d+)?$", re.I)


def _is_text(dtype) -> bool:
    return pd.api.types.is_object_dtype(dtype) \
        or isinstance(dtype, (pd.StringDtype, pd.CategoricalDtype)) \
        or pd.api.types.is_string_dtype(dtype)


def escape_text(value) -> object:
    """``value`` HTML-escaped when it is a string (``<`` ``>`` ``&`` and quotes), else as is."""
    return html.escape(value, quote=True) if isinstance(value, str) else value


def _escape_labels(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        return index.set_levels([lvl.map(escape_text) if _is_text(lvl.dtype) else lvl
                                 for lvl in index.levels])
    out = index.map(escape_text) if _is_text(index.dtype) else index.copy()
    out.name = escape_text(index.name)
    return out


def escape_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``frame`` with every string cell, index label and column name HTML-escaped.

    Numbers, dates and NaN are untouched (so a Styler still formats them); a string cell shows
    as the same text once rendered in a browser, never as markup.
    """
    out = frame.copy()
    text_cols = [c for c in out.columns if _is_text(out[c].dtype)]
    for c in text_cols:
        col = out[c]
        if isinstance(col.dtype, pd.CategoricalDtype):
            col = col.astype(object)
        out[c] = col.map(escape_text)
    out.columns = _escape_labels(out.columns)
    out.index = _escape_labels(out.index)
    return out


_TAGS = {"a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd",
         "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li",
         "ol", "p", "pre", "small", "span", "strong", "style", "sub", "sup", "table", "tbody",
         "td", "tfoot", "th", "thead", "tr", "u", "ul"}
_ATTRIBUTES = {"*": ["class", "id", "title", "colspan", "rowspan", "align"],
               "a": ["href"], "img": ["src", "alt", "width", "height"]}


def _cleaner():
    return bleach.Cleaner(tags=_TAGS, attributes=_ATTRIBUTES,
                          protocols={"http", "https", "mailto", "data"}, strip=False,
                          strip_comments=True)


_DATA_URL = re.compile(r"""(src|href)\s*=\s*["']?\s*data:(?!image/(png|jpeg|gif))""", re.I)


def clean_html(fragment: str) -> str:
    """``fragment`` with only inert markup left (bleach allow-list).

    Kept: tables (with the Styler's ``<style>`` block, ids and classes), text formatting,
    ``<img>`` of PNG/JPEG/GIF data and http(s) links. Escaped as text: ``<script>``, ``<svg>``,
    ``<iframe>``, ``<object>``, forms... Removed: event-handler attributes (``onload=``...),
    ``style=`` attributes and links to ``javascript:`` or non-image ``data:`` URLs.
    """
    out = _cleaner().clean(fragment)
    return _DATA_URL.sub(r"\1=", out)


def clean_markdown(text: str) -> str:
    """Markdown with any raw HTML in it made inert (:func:`clean_html`); Markdown syntax kept.

    Links to ``javascript:``/``vbscript:``/``data:`` targets are turned into plain text.
    """
    text = clean_html(text)
    return re.sub(r"\]\(\s*(javascript|vbscript|data):[^)\s]*\)?", "](#)", text, flags=re.I)


def neutralise_cell(value):
    """``value`` made inert for a spreadsheet: ``'`` prepended to a string starting with one
    of :data:`FORMULA_TRIGGERS` that is not a number; any other value returned unchanged."""
    if isinstance(value, str) and value and value[0] in FORMULA_TRIGGERS \
            and not _NUMBER.match(value):
        return "'" + value
    return value


def _neutralise_labels(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        return index.set_levels([lvl.map(neutralise_cell) if _is_text(lvl.dtype) else lvl
                                 for lvl in index.levels])
    if not _is_text(index.dtype):
        return index
    out = index.map(neutralise_cell)
    out.name = index.name
    return out


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``frame`` with :func:`neutralise_cell` applied to every text cell, index label
    and column name (numbers, dates and NaN untouched)."""
    out = frame.copy()
    for c in out.columns:
        col = out[c]
        if _is_text(col.dtype):
            out[c] = col.astype(object).map(neutralise_cell)
    out.columns = _neutralise_labels(out.columns)
    out.index = _neutralise_labels(out.index)
    return out


def unneutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Undo :func:`neutralise_frame` on a table read back from a file creditlab wrote: a
    leading ``'`` followed by a formula trigger is dropped."""
    out = frame.copy()

    def undo(v):
        if isinstance(v, str) and len(v) > 1 and v[0] == "'" and v[1] in FORMULA_TRIGGERS:
            return v[1:]
        return v

    for c in out.columns:
        if _is_text(out[c].dtype):
            out[c] = out[c].astype(object).map(undo)
    return out
