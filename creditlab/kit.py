"""The trainer kit (``creditlab kit [DIR]``, or ``python -m creditlab.kit``), built from the notebooks.

Builds, into ``DIR`` (default ``docs/formateur``):

- ``emploi_du_temps.md`` and ``emploi_du_temps.csv``: the two-day (14 h) timetable. Each course
  notebook's duration is read from the notebook itself (``**Durée** : 45 minutes`` or
  ``(30 à 60 minutes)``, upper bound); the other sessions (theory talks, practical cases, QCM,
  role plays, evaluations) have fixed durations in :data:`PLAN`; each half-day ends with an
  exchange slot taking what is left of its 3 h 30 (an error if a half-day overflows);
- ``supports/*.html``: printable trainee handouts without code (nbconvert, inputs removed),
  and ``supports/*.pdf`` printed by the headless Chromium of :mod:`creditlab.documents`
  (skipped, with the reason in the summary, when no Chromium is installed);
- ``diapositives/*.slides.html``: reveal.js slides (nbconvert). Cells tagged ``slide`` start a
  slide; without such tags every Markdown heading starts one. Code cells are left out;
- ``README.md``: the index of the kit.

Requires nbconvert (``pip install "creditlab[reports]"``) for the handouts and slides; the
timetable alone needs nothing (``build_kit(..., documents=False)``).
"""

from __future__ import annotations

import argparse
import copy
import csv
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from creditlab import documents as renderer
from creditlab.course import course_source
from creditlab.exceptions import InputError

__all__ = ["PLAN", "ANALYST_TRACK", "Session", "notebook_info", "timetable", "build_kit", "main"]

#: The analyst track (score calibration): not run by the group during the two days (its cells
#: fit and validate models for seconds each), shown as a 30-minute demonstration on day 1 and
#: followed apart by analysts; every other notebook is the trainee course.
ANALYST_TRACK = ("notebooks/03_calibration_score.ipynb", "exercises/part3_calibration.ipynb",
                 "exercises/solutions/part3_calibration_corrige.ipynb")

HALF_DAY_MINUTES = 210  # 3 h 30 of training per half-day, 7 h per day, 14 h in all
_HALF_DAYS = (("Jour 1", "matin", 9 * 60), ("Jour 1", "après-midi", 13 * 60 + 30),
              ("Jour 2", "matin", 9 * 60), ("Jour 2", "après-midi", 13 * 60 + 30))

# (kind, title, minutes or notebook, material, programme part); one list per half-day.
# A notebook entry ("notebooks/NAME.ipynb") takes the notebook's own duration.
PLAN: tuple[tuple[tuple[str, str, object, str, str], ...], ...] = (
    (("Accueil", "Accueil, objectifs, tour de table", 15, "", "—"),
     ("Évaluation", "Questionnaire de positionnement (compétences 1 à 5)",
      "notebooks/00b_positionnement.ipynb", "notebooks/00b_positionnement.ipynb", "—"),
     ("Atelier", "Prise en main de l'environnement", "notebooks/00_prise_en_main.ipynb",
      "notebooks/00_prise_en_main.ipynb", "0"),
     ("Exposé", "Les enjeux du credit management", 25,
      "diapositives/01_enjeux_credit_management.slides.html", "1"),
     ("Atelier", "Le coût du crédit client sur le portefeuille",
      "notebooks/01_enjeux_credit_management.ipynb",
      "notebooks/01_enjeux_credit_management.ipynb", "1"),
     ("Cas pratiques", "Cas pratiques de la partie 1", 40, "exercises/part1_enjeux.ipynb", "1"),
     ("QCM", "QCM de la partie 1", 10, "QCM partie 1", "1")),
    (("Exposé", "Analyser la solvabilité d'un client", 30,
      "diapositives/02_solvabilite.slides.html", "2"),
     ("Atelier", "Ratios, SIG, bilan fonctionnel, classes de risque",
      "notebooks/02_solvabilite.ipynb", "notebooks/02_solvabilite.ipynb", "2"),
     ("Cas pratiques", "Cas pratiques de la partie 2", 45, "exercises/part2_solvabilite.ipynb",
      "2"),
     ("QCM", "QCM de la partie 2", 10, "QCM partie 2", "2"),
     ("Démonstration", "Le score de défaillance : démonstration par le formateur "
      "(le notebook complet relève du parcours analyste)", 30,
      "diapositives/03_calibration_score.slides.html", "3")),
    (("Accueil", "Retour sur le jour 1 et questions", 15, "", "—"),
     ("Exposé", "Relance et recouvrement : étapes, pénalités, voies juridiques", 25,
      "diapositives/04_relance_recouvrement.slides.html", "4"),
     ("Atelier", "Plan de relance du portefeuille", "notebooks/04_relance_recouvrement.ipynb",
      "notebooks/04_relance_recouvrement.ipynb", "4"),
     ("Cas pratiques", "Cas pratiques de la partie 4", 40, "exercises/part4_relance.ipynb", "4"),
     ("Jeu de rôle", "Relance téléphonique d'un client en retard", 30, "", "4"),
     ("QCM", "QCM de la partie 4", 10, "QCM partie 4", "4")),
    (("Exposé", "Piloter le poste clients : indicateurs et tableau de bord", 15,
      "diapositives/05_pilotage.slides.html", "5"),
     ("Atelier", "DSO, balance âgée, tableau de bord", "notebooks/05_pilotage.ipynb",
      "notebooks/05_pilotage.ipynb", "5"),
     ("Cas pratiques", "Cas pratiques de la partie 5", 20, "exercises/part5_pilotage.ipynb", "5"),
     ("Atelier", "Négocier avec un client en retard", "notebooks/06_negociation.ipynb",
      "notebooks/06_negociation.ipynb", "6"),
     ("Jeu de rôle", "Négociation d'un échéancier (cas de la partie 6)", 30,
      "exercises/part6_negociation.ipynb", "6"),
     ("Évaluation", "QCM final, auto-évaluation, plan d'action personnel, évaluation à chaud",
      "notebooks/07_evaluation.ipynb", "notebooks/07_evaluation.ipynb", "—")),
)

_DURATION = re.compile(r"\*\*Durée\*\*\s*:\s*(\d+)\s*minutes")
_RANGE = re.compile(r"\((\d+)\s*à\s*(\d+)\s*minutes\)")


@dataclass(frozen=True)
class Session:
    """One row of the timetable (times in minutes from midnight)."""

    day: str
    half: str
    start: int
    minutes: int
    kind: str
    title: str
    material: str
    part: str

    @property
    def hours(self) -> str:
        """``09:00 – 09:15``."""
        end = self.start + self.minutes
        return f"{self.start // 60:02d}:{self.start % 60:02d} – {end // 60:02d}:{end % 60:02d}"


def notebook_info(path: str | Path) -> tuple[str, int]:
    """Title (first heading) and duration in minutes read from a course notebook.

    The duration is ``**Durée** : N minutes``, else the upper bound of ``(N à M minutes)``.

    Raises
    ------
    InputError
        No heading, or no duration in the notebook's Markdown.
    """
    path = Path(path)
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    title = next((line.lstrip("# ").strip() for line in text.splitlines()
                  if line.startswith("# ")), None)
    if title is None:
        raise InputError(path.name, "a Markdown title (# ...)", "none",
                         "add a first Markdown cell starting with '# '")
    if (found := _DURATION.search(text)) is not None:
        return title, int(found.group(1))
    if (found := _RANGE.search(text)) is not None:
        return title, int(found.group(2))
    raise InputError(path.name, "a duration ('**Durée** : N minutes' or '(N à M minutes)')",
                     "none", "state the notebook's duration in its first Markdown cell")


def timetable(source: str | Path | None = None) -> list[Session]:
    """The two-day timetable, notebook durations read from ``source`` (default: the course).

    Raises
    ------
    InputError
        A half-day's sessions exceed 3 h 30.
    """
    root = Path(source) if source is not None else course_source()
    sessions: list[Session] = []
    for (day, half, start), plan in zip(_HALF_DAYS, PLAN, strict=True):
        used = 0
        for kind, title, length, material, part in plan:
            minutes = notebook_info(root / length)[1] if isinstance(length, str) else int(length)
            sessions.append(Session(day, half, start + used, minutes, kind, title, material, part))
            used += minutes
        if used > HALF_DAY_MINUTES:
            raise InputError(f"{day} {half}", f"at most {HALF_DAY_MINUTES} minutes of sessions",
                             used, "shorten a session in creditlab.kit.PLAN or a notebook")
        if used < HALF_DAY_MINUTES:
            sessions.append(Session(day, half, start + used, HALF_DAY_MINUTES - used, "Échanges",
                                    "Questions, retours d'expérience, synthèse", "", "—"))
    return sessions


def _timetable_markdown(sessions: Sequence[Session]) -> str:
    total = sum(s.minutes for s in sessions)
    lines = ["# Emploi du temps — formation credit management (2 jours, 14 h)", "",
             "Document généré par `creditlab kit` à partir des notebooks : la durée de chaque "
             "atelier est celle qu'annonce son notebook. Les pauses (15 minutes le matin et "
             "l'après-midi) sont prises dans les sessions d'échanges ou au fil des ateliers ; "
             "déjeuner de 12 h 30 à 13 h 30.", ""]
    for day in ("Jour 1", "Jour 2"):
        lines += [f"## {day}", "",
                  "| Horaire | Durée | Type | Session | Support | Partie |",
                  "|---|---|---|---|---|---|"]
        for s in sessions:
            if s.day == day:
                support = f"`{s.material}`" if s.material.endswith((".ipynb", ".html")) \
                    else s.material
                lines.append(f"| {s.hours} | {s.minutes} min | {s.kind} | {s.title} | "
                             f"{support} | {s.part} |")
        lines.append("")
    lines += ["## Durée par partie du programme", "", "| Partie | Durée |", "|---|---|"]
    parts: dict[str, int] = {}
    for s in sessions:
        parts[s.part] = parts.get(s.part, 0) + s.minutes
    for part, minutes in parts.items():
        name = "Accueil, évaluations, échanges" if part == "—" else f"Partie {part}"
        lines.append(f"| {name} | {minutes // 60} h {minutes % 60:02d} |")
    lines += [f"| **Total** | **{total // 60} h {total % 60:02d}** |", ""]
    return "\n".join(lines)


def _slides_notebook(nb):
    """Copy of ``nb`` with slideshow metadata: tagged ``slide`` cells, else headings."""
    nb = copy.deepcopy(nb)
    tagged = any("slide" in c.metadata.get("tags", []) for c in nb.cells)
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            kind = "skip"
        elif tagged:
            kind = "slide" if "slide" in cell.metadata.get("tags", []) else "-"
        else:
            kind = "slide" if cell.source.lstrip().startswith(("# ", "## ")) else "-"
        cell.metadata["slideshow"] = {"slide_type": kind}
    return nb


def _pdfs(handouts: Sequence[Path]) -> tuple[list[Path], str]:
    """The handouts printed to PDF by headless Chromium, or none and the reason."""
    if renderer.find_browser() is None:
        return [], ("PDF non générés : Chromium absent (Debian : apt-get install chromium, "
                    "ou CREDITLAB_CHROMIUM=chemin du navigateur) ; les HTML s'impriment "
                    "depuis n'importe quel navigateur")
    return [renderer.html_to_pdf(h) for h in handouts], ""


def _documents(root: Path, out: Path) -> tuple[list[Path], list[Path]]:
    try:
        import nbformat  # optional: reports
        from nbconvert import HTMLExporter, SlidesExporter  # optional: reports
    except ImportError as err:
        raise InputError("nbconvert", "nbconvert installed (extra 'reports')", str(err),
                         'pip install "creditlab[reports]"') from err
    handout = HTMLExporter(exclude_input=True, exclude_input_prompt=True,
                           exclude_output_prompt=True)
    slides = SlidesExporter(exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    (out / "supports").mkdir(parents=True, exist_ok=True)
    (out / "diapositives").mkdir(parents=True, exist_ok=True)
    handouts, decks = [], []
    for folder in ("notebooks", "exercises"):
        for path in sorted((root / folder).glob("*.ipynb")):
            if path.stem == "trainer_view":
                continue
            nb = nbformat.read(path, as_version=4)
            body, _ = handout.from_notebook_node(nb)
            target = out / "supports" / f"{path.stem}.html"
            target.write_text(body, encoding="utf-8")
            handouts.append(target)
            if folder == "notebooks":
                body, _ = slides.from_notebook_node(_slides_notebook(nb))
                target = out / "diapositives" / f"{path.stem}.slides.html"
                target.write_text(body, encoding="utf-8")
                decks.append(target)
    return handouts, decks


def _index(sessions: Sequence[Session], handouts, decks, out: Path) -> str:
    lines = ["# Kit du formateur", "",
             "Généré par `creditlab kit` (ou `python -m creditlab.kit`) à partir des notebooks "
             "du cours ; relancez la commande après toute modification d'un notebook. Les "
             "supports et les diapositives (HTML volumineux) ne sont pas versionnés : "
             "`creditlab kit` ou `make kit` les recrée.", "",
             f"- [Emploi du temps](emploi_du_temps.md) : deux jours, "
             f"{sum(s.minutes for s in sessions) // 60} h, session par session "
             "(également en [CSV](emploi_du_temps.csv)).",
             "- **Deux parcours.** Le *parcours stagiaire* est celui du groupe pendant les deux "
             "jours : positionnement, parties 0 à 2 et 4 à 6, évaluation de fin de formation ; "
             "aucune de ses cellules ne fait attendre. Le *parcours analyste* (partie 3, "
             "calibration d'un score : " + ", ".join(f"`{a}`" for a in ANALYST_TRACK)
             + ", rapport `creditlab report run calibration`) est montré en démonstration "
             "de 30 minutes le jour 1 et suivi à part par les analystes : ses calculs "
             "(ajustement et validation de modèles) prennent plusieurs secondes.",
             "- Supports stagiaires imprimables, sans code (`supports/`, HTML et PDF quand "
             "Chromium est installé) :"]
    analyst = {Path(a).stem for a in ANALYST_TRACK}
    lines += [f"  - [{p.stem}](supports/{p.name})"
              + (f" ([PDF](supports/{p.stem}.pdf))" if p.with_suffix(".pdf").is_file() else "")
              + (" — parcours analyste" if p.stem in analyst else "")
              for p in handouts] or \
        ["  - non générés (`creditlab kit` sans `--timetable-only`)"]
    lines.append("- Diapositives des exposés (reveal.js, `diapositives/` ; flèches pour avancer) :")
    lines += [f"  - [{p.stem}](diapositives/{p.name})" for p in decks] or \
        ["  - non générées (`creditlab kit` sans `--timetable-only`)"]
    lines += ["- Corrigés des cas pratiques (`exercises/solutions/`) : chaque cas chiffré est "
              "corrigé pas à pas (formule, chiffres de l'énoncé, résultats intermédiaires, "
              "interprétation), calculé par creditlab.",
              "- Boucle d'évaluation : questionnaire de positionnement en début de jour 1 "
              "(`notebooks/00b_positionnement.ipynb`), QCM final par compétence, "
              "auto-évaluation avant/après en radar, plan d'action personnel (une page HTML/PDF) "
              "et évaluation à chaud en fin de jour 2 (`notebooks/07_evaluation.ipynb`).",
              "- Vue formateur (`notebooks/trainer_view.ipynb`) : avancement du groupe par "
              "partie et par cas, erreurs fréquentes, productions, questionnaires ; "
              "`collect(dossier)` lit le dossier de la salle (`ROOM/trainees/<stagiaire>/`), "
              "un dossier de dossiers de stagiaires ou un dossier de fichiers `*.jsonl`.",
              *(["- [Évaluer et suivre le groupe](evaluation_et_suivi.md) : la boucle "
                 "d'évaluation, la vue formateur et les deux parcours."]
                if (out / "evaluation_et_suivi.md").is_file() else []),
              "", "Les diapositives chargent reveal.js depuis un CDN : prévoir un accès internet "
              "dans la salle ou les ouvrir à l'avance.", ""]
    return "\n".join(lines)


def build_kit(out: str | Path = "docs/formateur", *, source: str | Path | None = None,
              documents: bool = True, pdf: bool = True) -> dict[str, object]:
    """Build the trainer kit into ``out``; returns the paths written and the timetable.

    Parameters
    ----------
    out : path
        Output folder (created).
    source : path, optional
        Folder with ``notebooks/`` and ``exercises/`` (default: the course, see
        :func:`creditlab.course.course_source`).
    documents : bool
        Also build the handouts and slides (needs nbconvert).
    pdf : bool
        Also print the handouts to PDF (needs a headless Chromium; without one, no PDF and the
        reason is in ``"pdf_skipped"``).

    Returns
    -------
    dict
        ``timetable`` (sessions), ``handouts``, ``pdfs``, ``slides`` (paths), ``pdf_skipped``
        (why no PDF was made, or ""), ``index``.
    """
    root = Path(source) if source is not None else course_source()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    sessions = timetable(root)
    (out / "emploi_du_temps.md").write_text(_timetable_markdown(sessions), encoding="utf-8")
    with (out / "emploi_du_temps.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["jour", "demi_journee", "horaire", "minutes", "type", "session",
                         "support", "partie"])
        for s in sessions:
            writer.writerow([s.day, s.half, s.hours, s.minutes, s.kind, s.title, s.material,
                             s.part])
    handouts, decks = _documents(root, out) if documents else ([], [])
    pdfs, skipped = _pdfs(handouts) if documents and pdf else ([], "")
    (out / "README.md").write_text(_index(sessions, handouts, decks, out), encoding="utf-8")
    return {"timetable": sessions, "handouts": handouts, "pdfs": pdfs, "slides": decks,
            "pdf_skipped": skipped, "index": out / "README.md"}


def _run(args) -> int:
    built = build_kit(args.dir, documents=not args.timetable_only, pdf=not args.no_pdf)
    total = sum(s.minutes for s in built["timetable"])
    print(f"Kit du formateur dans {Path(args.dir).resolve()} : emploi du temps "
          f"({total // 60} h {total % 60:02d}), {len(built['handouts'])} support(s) "
          f"dont {len(built['pdfs'])} en PDF, {len(built['slides'])} diaporama(s).")
    if built["pdf_skipped"]:
        print(built["pdf_skipped"])
    return 0


def add_parser(sub) -> None:
    """Register ``creditlab kit`` on the CLI's subparsers."""
    kit = sub.add_parser("kit", help="build the trainer kit (timetable, handouts, slides)",
                         description="Build the French trainer kit from the course notebooks.")
    kit.add_argument("dir", nargs="?", default="docs/formateur",
                     help="output folder (default: docs/formateur)")
    kit.add_argument("--timetable-only", action="store_true",
                     help="only the timetable (no nbconvert needed)")
    kit.add_argument("--no-pdf", action="store_true",
                     help="no PDF handouts (they need a headless Chromium)")
    kit.set_defaults(handler=_run)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m creditlab.kit [DIR]``."""
    parser = argparse.ArgumentParser(prog="python -m creditlab.kit")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["kit", *(sys.argv[1:] if argv is None else argv)])
    try:
        return args.handler(args)
    except InputError as err:
        print(f"creditlab: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
