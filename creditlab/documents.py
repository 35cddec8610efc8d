"""The single document renderer: one Jinja2 environment, one set of formatters.

Documents (dunning letters and the phone-call script, the injonction de payer file, the credit
charter) render figures that are **already computed**: a template receives amounts, dates and
texts, it never calls a computation. This module is the presentation layer's only place for

- the Jinja2 environment (:func:`render`): templates are named ``"<area>/<file>"`` (``area`` =
  ``dunning`` or ``finance``, the ``templates/`` folder of that package) and rendered in a
  *format*: ``html`` (autoescape on: a customer called ``<script>`` stays text), ``text`` or
  ``markdown`` (no escaping; Markdown escaping is explicit with the ``inline`` / ``cell``
  filters). A template extends or includes siblings of its area by their file name;
- the formatters, French by default, English with ``lang="en"``: :func:`format_amount`
  (euros, rounded to the cent half-up as a document prints them: ``1 234,56 €`` /
  ``€1,234.56``), :func:`format_date_long` (``1er janvier 2026`` / ``1 January 2026``),
  :func:`format_date_short` (``31/12/2025`` / ``2025-12-31``), :func:`format_percent`
  (``12,15 %`` / ``12.15%``).
"""

from __future__ import annotations

import html as _html
import json
import os
import re
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd
from markupsafe import Markup, escape

from creditlab._checks import round_cents
from creditlab.exceptions import InputError
from creditlab.i18n import check_lang, format_eur, format_pct

__all__ = ["render", "environment", "FORMATS", "format_amount", "format_date_long",
           "format_date_short", "format_percent", "markdown_inline", "check_letterhead",
           "postal_address", "LETTERHEAD_FIELDS", "ADDRESS_COLUMNS", "PLACEHOLDERS",
           "html_to_pdf", "merge_pdfs", "print_letters", "screenshot", "find_browser",
           "pdf_page_count", "page_widths", "REPORT_PAGE_CSS"]

#: Output formats of :func:`render`; only ``html`` escapes.
FORMATS = ("html", "text", "markdown")
_PACKAGE = Path(__file__).resolve().parent
#: Template folders by area.
_AREAS = {"dunning": _PACKAGE / "dunning" / "templates",
          "finance": _PACKAGE / "finance" / "templates"}

_MONTHS = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}


# --------------------------------------------------------------------------- formatters
def format_amount(value: float, lang: str = "fr", decimals: int = 2) -> str:
    """Euros as a document prints them: ``1 234,56 €`` (fr) or ``€1,234.56`` (en).

    With ``decimals=2`` the amount is first rounded to the cent half-up
    (:func:`creditlab._checks.round_cents`: ``1.005 → 1,01 €``). NaN or None gives ``—``.
    """
    if value is None or value != value:
        return format_eur(float("nan"), lang)
    v = float(value)
    return format_eur(round_cents(v) if decimals == 2 else v, lang, decimals)


def format_date_long(value, lang: str = "fr") -> str:
    """``31 décembre 2025`` (fr, ``1er`` for the first day) or ``31 December 2025`` (en)."""
    check_lang(lang)
    ts = pd.Timestamp(value)
    day = "1er" if (lang == "fr" and ts.day == 1) else str(ts.day)
    return f"{day} {_MONTHS[lang][ts.month - 1]} {ts.year}"


def format_date_short(value, lang: str = "fr") -> str:
    """``31/12/2025`` (fr) or ``2025-12-31`` (en); ``""`` for a missing date."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return pd.Timestamp(value).strftime("%d/%m/%Y" if check_lang(lang) == "fr" else "%Y-%m-%d")


def format_percent(value: float, lang: str = "fr", decimals: int | None = None) -> str:
    """A fraction as a percentage: ``0.1215 → 12,15 %`` (fr) or ``12.15%`` (en).

    ``decimals=None`` shows as few decimals as the value needs, at most 2 (``0.1 → 10 %``,
    ``0.125 → 12,5 %``). NaN gives ``—``.
    """
    if decimals is None and value is not None and value == value:
        x = round(float(value) * 100, 6)
        decimals = 0 if x == round(x) else (1 if x * 10 == round(x * 10) else 2)
    return format_pct(value if value is None else float(value), lang,
                      2 if decimals is None else decimals)


_MD_SPECIAL = "\\`*_[]<>|#"


def markdown_inline(value: Any) -> str:
    """Inline text from the caller (names, labels) for Markdown: one line, Markdown and HTML
    special characters backslash-escaped, so a name such as ``<script>`` or ``A*B`` stays
    text (pipes too: safe in a table cell)."""
    s = str(value).replace("\r", " ").replace("\n", " ")
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in s)


# --------------------------------------------------------------------------- filters
def _paras_html(value) -> Markup:
    """Blank-line separated paragraphs → ``<p>``; ``## `` lines → ``<h3>``; ``- `` → list."""
    text = str(value) if isinstance(value, Markup) else str(escape(value))
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [ln.strip() for ln in block.strip().splitlines() if ln.strip()]
        if not lines:
            continue
        bullets = []
        para = []
        for ln in lines:
            if ln.startswith("## "):
                out.append(f"<h3>{ln[3:]}</h3>")
            elif ln.startswith("- "):
                bullets.append(f"<li>{ln[2:]}</li>")
            else:
                para.append(ln)
        if para:
            out.append("<p>" + " ".join(para) + "</p>")
        if bullets:
            out.append("<ul>" + "".join(bullets) + "</ul>")
    return Markup("\n".join(out))


def _paras_text(value) -> str:
    out = []
    for block in re.split(r"\n\s*\n", str(value).strip()):
        lines = [ln.strip() for ln in block.strip().splitlines() if ln.strip()]
        if not lines:
            continue
        chunk = []
        para = []
        for ln in lines:
            if ln.startswith("## "):
                chunk.append(ln[3:])
                chunk.append("-" * len(ln[3:]))
            elif ln.startswith("- "):
                chunk.append("  * " + ln[2:])
            else:
                para.append(ln)
        if para:
            chunk.append(" ".join(para))
        out.append("\n".join(chunk))
    return "\n\n".join(out)


@jinja2.pass_eval_context
def _paras(eval_ctx, value):
    """Paragraphs of a letter body: HTML when the template escapes, plain text otherwise."""
    return _paras_html(value) if eval_ctx.autoescape else _paras_text(value)


# --------------------------------------------------------------------------- environment
class _Loader(jinja2.BaseLoader):
    """Loads ``"<format>:<area>/<file>"`` from the ``templates/`` folder of the area."""

    def __init__(self) -> None:
        self._loaders = {area: jinja2.FileSystemLoader(str(path)) for area, path in _AREAS.items()}

    def get_source(self, environment, template):
        _, _, rest = template.partition(":")
        area, _, name = rest.partition("/")
        if area not in self._loaders:
            raise jinja2.TemplateNotFound(template)
        return self._loaders[area].get_source(environment, name)


class _Environment(jinja2.Environment):
    def join_path(self, template: str, parent: str) -> str:
        """``{% extends "layout.html.j2" %}`` names a sibling: same format, same area."""
        if ":" in template:
            return template
        return f"{parent.rsplit('/', 1)[0]}/{template}"


def _autoescape(name: str | None) -> bool:
    return bool(name) and name.startswith("html:")


@cache
def environment() -> jinja2.Environment:
    """The package's one Jinja2 environment (strict undefined, autoescape for ``html:``)."""
    env = _Environment(loader=_Loader(), autoescape=_autoescape,
                       undefined=jinja2.StrictUndefined, trim_blocks=False,
                       lstrip_blocks=False, keep_trailing_newline=True)
    env.filters["paras"] = _paras
    env.filters["inline"] = markdown_inline
    env.filters["cell"] = markdown_inline
    return env


def render(template: str, fmt: str, /, **context) -> str:
    """Render ``template`` (``"dunning/courtesy_fr.j2"``) in ``fmt`` (:data:`FORMATS`).

    The context holds figures already computed and formatted; ``fmt`` is passed to the
    template too.
    """
    if fmt not in FORMATS:
        raise InputError("fmt", f"one of {FORMATS}", fmt, "use 'html', 'text' or 'markdown'")
    area = template.partition("/")[0]
    if area not in _AREAS:
        raise InputError("template", f"'<area>/<file>' with an area among {sorted(_AREAS)}",
                         template, "e.g. 'dunning/courtesy_fr.j2'")
    return environment().get_template(f"{fmt}:{template}").render(fmt=fmt, **context)


# --------------------------------------------------------------------------- letterhead
#: Letterhead fields a letter can show (``[sender]`` of the dunning policy, or the
#: ``[company]`` mapping of the configuration): the company's legal name, service, postal
#: address (lines separated by ``\n``), SIREN, phone, e-mail, IBAN, logo (path or URL), city of
#: the date line and signatory.
LETTERHEAD_FIELDS = ("name", "department", "address", "siren", "phone", "email", "iban", "logo",
                     "city", "signatory")
#: Values of the bundled example letterhead: a letter carrying one of them cannot be sent.
PLACEHOLDERS = ("Votre société SAS", "1 rue de l'Exemple, 75001 Paris", "credit@example.fr")

#: Columns of a customers table that make up the postal address, in the order of the lines
#: (French postal standard NF Z 10-011: street lines, then postcode and city, then country).
ADDRESS_COLUMNS = ("address", "address_line1", "address_line2", "address_line3", "postal_code",
                   "city", "country")


def check_letterhead(sender, *, demo: bool = False) -> None:
    """Refuse letters with the example letterhead, except on the demo portfolio.

    Raises
    ------
    InputError
        ``sender`` has no name, or one of its fields is still a value of :data:`PLACEHOLDERS`
        (name, address, e-mail of the example), and ``demo`` is False.
    """
    if demo:
        return
    fields = {k: ("" if v is None else str(v)) for k, v in dict(sender or {}).items()}
    stale = sorted(k for k, v in fields.items() if v.strip() in PLACEHOLDERS)
    if not fields.get("name", "").strip() or stale:
        raise InputError("letterhead (sender)",
                         "your company's name, address, e-mail (and SIREN, phone, IBAN, logo)",
                         {k: fields[k] for k in stale} or fields.get("name", ""),
                         "set the [sender] section of your dunning policy TOML (policy=...), "
                         "e.g. name = \"Dupont Industrie SAS\", address = \"12 rue ...\\n69002 "
                         "Lyon\", siren = \"123 456 789\", email = \"credit@dupont.fr\"; the "
                         "example letterhead is only accepted on the demo portfolio")


def postal_address(customer) -> str:
    """The postal address of ``customer`` (a mapping or a row of the customers table) as lines
    separated by ``\\n``: the ``address`` / ``address_line1..3`` columns, then ``postal_code``
    and ``city`` on one line, then ``country`` unless it is France (``FR``). Missing or empty
    fields are skipped; ``""`` when nothing is known."""
    def get(key) -> str:
        try:
            v = customer.get(key)
        except AttributeError:
            return ""
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            return ""
        return str(v).strip()

    lines = [ln.strip() for k in ADDRESS_COLUMNS[:4] for ln in get(k).splitlines() if ln.strip()]
    town = " ".join(p for p in (get("postal_code"), get("city").upper()) if p)
    if town:
        lines.append(town)
    country = get("country")
    if country and country.upper() not in ("FR", "FRA", "FRANCE"):
        lines.append(country.upper())
    return "\n".join(lines)


# --------------------------------------------------------------------------- PDF and screenshots
def find_browser() -> str | None:
    """A headless Chromium on this machine (``$CREDITLAB_CHROMIUM``, else ``chromium``,
    ``chromium-browser``, ``google-chrome`` on the PATH), or None."""
    env = os.environ.get("CREDITLAB_CHROMIUM")
    if env:
        return env if shutil.which(env) or Path(env).is_file() else None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _browser(args: list[str], timeout: float) -> str:
    browser = find_browser()
    if browser is None:
        raise InputError("browser", "a headless Chromium (Debian: apt-get install chromium)",
                         None, "install Chromium or set CREDITLAB_CHROMIUM to its path")
    with tempfile.TemporaryDirectory(prefix="creditlab-chromium-") as profile:
        cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-extensions", f"--user-data-dir={profile}", *args]
        done = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise InputError("browser", "a successful headless Chromium run", done.returncode,
                         done.stderr.decode(errors="replace")[-400:])
    return done.stdout.decode(errors="replace")


def html_to_pdf(html_path, pdf_path=None, *, timeout: float = 120) -> Path:
    """Print an HTML document to PDF (A4, the document's ``@page`` margins) with headless
    Chromium (``--print-to-pdf``). Returns the PDF path (``html_path`` with ``.pdf`` by
    default).

    Chromium was chosen over WeasyPrint and fpdf2: it is one Debian package with no Python
    build dependency (WeasyPrint needs Pango and cairo libraries, fpdf2 would mean drawing the
    letters a second time instead of printing the HTML the e-mail version shares).

    Raises
    ------
    InputError
        No Chromium found (the fix says how to install one), or Chromium failed.
    """
    html_path = Path(html_path).resolve()
    pdf_path = Path(pdf_path) if pdf_path else html_path.with_suffix(".pdf")
    _browser(["--no-pdf-header-footer", "--print-to-pdf-no-header",
              f"--print-to-pdf={pdf_path.resolve()}", html_path.as_uri()], timeout)
    if not pdf_path.is_file():
        raise InputError("pdf", "a PDF written by Chromium", str(pdf_path),
                         "check that Chromium can read the HTML file")
    return pdf_path


def screenshot(html_path, png_path, *, width: int = 1200, height: int = 1600,
               timeout: float = 120) -> Path:
    """A PNG screenshot of an HTML page in headless Chromium (for visual checks)."""
    html_path = Path(html_path).resolve()
    png_path = Path(png_path).resolve()
    _browser([f"--screenshot={png_path}", f"--window-size={width},{height}",
              "--hide-scrollbars", html_path.as_uri()], timeout)
    return png_path


#: CSS of a report page (added to the ``<head>`` of the HTML the report runner writes): the
#: tables fit the width of an A4 page (smaller type, tighter cells, headers wrapping between
#: words) instead of scrolling out of sight in their output area.
REPORT_PAGE_CSS = """<style id="creditlab-page">
.jp-RenderedHTMLCommon table { font-size: 10px; max-width: 100%; }
.jp-RenderedHTMLCommon th, .jp-RenderedHTMLCommon td { padding: 0.25em 0.3em;
  white-space: normal; }
.jp-RenderedHTMLCommon thead th { vertical-align: bottom; }
</style>
"""

#: Measures the page once loaded and writes the result in the DOM for ``--dump-dom``.
_WIDTH_PROBE = """<script>
window.addEventListener("load", function () {
  var w = window.innerWidth, over = [];
  document.querySelectorAll("table, img, pre, div").forEach(function (el) {
    var r = el.getBoundingClientRect();
    if (r.right > w + 1 || el.scrollWidth > el.clientWidth + 1)
      over.push(el.tagName.toLowerCase() + "." + (el.className || "") + " right="
                + Math.round(r.right) + " scroll=" + el.scrollWidth + "/" + el.clientWidth);
  });
  var p = document.createElement("pre");
  p.id = "creditlab-widths";
  var doc = document.documentElement;
  p.textContent = JSON.stringify({width: w, scroll_width: doc.scrollWidth,
    scroll_height: doc.scrollHeight, overflowing: over});
  document.body.appendChild(p);
});
</script>
"""


def page_widths(html_path, *, width: int = 794, height: int = 1123,
                timeout: float = 120) -> dict:
    """How an HTML page fits a window ``width`` pixels wide (794 = A4 at 96 dpi) in headless
    Chromium: ``{"width", "scroll_width", "scroll_height"`` (the document's),
    ``"overflowing"``: the tables,
    images and blocks that stick out on the right or scroll inside their box (a table cut off
    in its output area), as ``"tag.class right=… scroll=…/…"``}.

    The page is loaded from a copy holding a small measuring script (the original is left as
    it is); Chromium's ``--dump-dom`` returns the measure.
    """
    page = Path(html_path).read_text(encoding="utf-8")
    cut = page.rfind("</body>")
    cut = len(page) if cut < 0 else cut
    with tempfile.TemporaryDirectory(prefix="creditlab-widths-") as tmp:
        probe = Path(tmp) / "page.html"
        probe.write_text(page[:cut] + _WIDTH_PROBE + page[cut:], encoding="utf-8")
        dom = _browser([f"--window-size={width},{height}", "--hide-scrollbars",
                        "--virtual-time-budget=5000", "--dump-dom", probe.as_uri()], timeout)
    found = re.search(r'<pre id="creditlab-widths">(.*?)</pre>', dom, re.S)
    if not found:
        raise InputError("page", "a page Chromium loads and measures", str(html_path),
                         "check that the HTML file opens in a browser")

    return json.loads(_html.unescape(found.group(1)))


def pdf_page_count(pdf_path) -> int:
    """Number of pages of a PDF (read with pypdf, of the ``reports`` extra; without it, its
    ``/Type /Page`` objects are counted, enough for the files Chromium writes)."""
    try:
        from pypdf import PdfReader  # optional: reports
    except ImportError:  # pragma: no cover - the reports extra installs pypdf
        data = Path(pdf_path).read_bytes()
        return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))
    return len(PdfReader(str(pdf_path)).pages)


#: Link target that marks where each letter starts in the one-run print of a batch (removed
#: from the PDFs written).
_MARK = "https://creditlab.invalid/letter/"


def _pypdf():
    try:
        import pypdf  # optional: reports
    except ImportError:
        raise InputError("pypdf", "the pypdf package (reports extra)", None,
                         'pip install "creditlab[reports]"') from None
    return pypdf


def print_letters(html_paths, pdf_paths=None, *, timeout: float = 600) -> list[Path]:
    """Print HTML letters to one PDF each, with a single headless-Chromium run.

    Starting Chromium once per letter takes seconds each (200 letters: minutes), so the
    letters are laid out one after the other in one HTML document, each starting on a new
    sheet, printed once, and the PDF is cut back into letters with pypdf: each letter carries
    an invisible link to ``https://creditlab.invalid/letter/<n>`` in its first page's corner,
    which tells on which page it starts (the link is removed from the PDFs written). A letter
    longer than a page keeps all its pages.

    Parameters
    ----------
    html_paths : sequence of paths
        The letters (complete HTML documents of :func:`render`; the first one's ``<head>``
        styles them all).
    pdf_paths : sequence of paths, optional
        Where to write each PDF; default: beside each HTML file, with ``.pdf``.

    Returns
    -------
    list of Path
        The PDFs written, in the order of ``html_paths``.

    Raises
    ------
    InputError
        No letters, no Chromium (the fix says how to install it), no pypdf, or a letter whose
        start was not found in the printed document.
    """
    pypdf = _pypdf()
    html_paths = [Path(p) for p in html_paths]
    if not html_paths:
        raise InputError("letters", "at least one letter to print", 0, "render letters first")
    pdf_paths = ([p.with_suffix(".pdf") for p in html_paths] if pdf_paths is None
                 else [Path(p) for p in pdf_paths])
    parts = []
    for p in html_paths:
        html = p.read_text(encoding="utf-8")
        body = re.search(r"<body[^>]*>(.*)</body>", html, flags=re.S)
        head = re.search(r"<head[^>]*>(.*)</head>", html, flags=re.S)
        parts.append((head.group(1) if head else "", body.group(1) if body else html))
    marks = "position: absolute; top: 0; left: 0; width: 2mm; height: 2mm; display: block"
    pages = "\n".join(
        f'<section style="break-before: page; position: relative">'
        f'<a href="{_MARK}{i}" style="{marks}"></a>{body}</section>'
        for i, (_, body) in enumerate(parts))
    doc = f"<!DOCTYPE html><html><head>{parts[0][0]}</head><body>{pages}</body></html>"
    with tempfile.TemporaryDirectory(prefix="creditlab-print-") as tmp:
        src = Path(tmp) / "letters.html"
        src.write_text(doc, encoding="utf-8")
        reader = pypdf.PdfReader(str(html_to_pdf(src, Path(tmp) / "letters.pdf",
                                                 timeout=timeout)))
        starts = {}
        for number, page in enumerate(reader.pages):
            kept = []
            for ref in page.get("/Annots") or []:
                uri = str(ref.get_object().get("/A", {}).get("/URI", ""))
                if uri.startswith(_MARK):
                    starts.setdefault(int(uri[len(_MARK):]), number)
                else:
                    kept.append(ref)
            if "/Annots" in page:
                page[pypdf.generic.NameObject("/Annots")] = pypdf.generic.ArrayObject(kept)
        if sorted(starts) != list(range(len(parts))):
            raise InputError("letters", "every letter found in the printed document",
                             f"{len(starts)} of {len(parts)}",
                             "print the letters one by one with html_to_pdf")
        bounds = [starts[i] for i in range(len(parts))] + [len(reader.pages)]
        for i, target in enumerate(pdf_paths):
            writer = pypdf.PdfWriter()
            for number in range(bounds[i], bounds[i + 1]):
                writer.add_page(reader.pages[number])
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "wb") as fh:
                writer.write(fh)
    return pdf_paths


def merge_pdfs(paths, out_path) -> Path:
    """One PDF for printing a run's letters: the PDFs of ``paths`` one after the other (pypdf).
    HTML letters in ``paths`` are printed first (:func:`print_letters`, into a temporary
    folder)."""
    pypdf = _pypdf()
    paths = [Path(p) for p in paths]
    if not paths:
        raise InputError("letters", "at least one letter to merge", 0, "render letters first")
    with tempfile.TemporaryDirectory(prefix="creditlab-merge-") as tmp:
        html = [p for p in paths if p.suffix.lower() != ".pdf"]
        printed = dict(zip(html, print_letters(
            html, [Path(tmp) / f"{i}.pdf" for i in range(len(html))]), strict=True)) \
            if html else {}
        writer = pypdf.PdfWriter()
        for p in paths:
            writer.append(str(printed.get(p, p)))
        out_path = Path(out_path)
        with open(out_path, "wb") as fh:
            writer.write(fh)
    return out_path
