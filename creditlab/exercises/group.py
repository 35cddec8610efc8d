"""The trainer's view of a real group: every results file under a folder, read without failing.

:func:`collect` reads every ``*.jsonl`` results file below a folder (hidden folders such as
``.ipynb_checkpoints`` skipped, and ``datasets/`` folders: each trainee's copy of the course
holds the example group of ``datasets/course_results_example``, which is not the trainee's work)
and returns a :class:`GroupResults`. Layouts it reads:

- **the training-room server**: ``ROOM/trainees/<slug>/`` is each trainee's copy of the course,
  where :func:`creditlab.exercises.session` writes ``resultats/<slug>.jsonl`` next to the
  notebooks (``ROOM/trainees/<slug>/notebooks/resultats/<slug>.jsonl``,
  ``ROOM/trainees/<slug>/exercises/resultats/<slug>.jsonl``): pass ``ROOM`` or
  ``ROOM/trainees``;
- a folder of trainee folders gathered by hand (``groupe/alice/resultats/alice.jsonl``, ...);
- a flat folder of results files (``groupe/alice.jsonl``, ``groupe/marie-claire.jsonl``).

A trainee is identified by the name written in the lines (spaces and accents kept, runs of
spaces collapsed), so a trainee whose lines sit in several files (two notebooks folders, two
machines) is one trainee. Damaged lines and unreadable files are skipped and listed, in French,
in :attr:`GroupResults.problems`; they never stop the view. Parts nobody has reached yet are
simply absent (a group at the end of day 1, a late joiner who starts at part 2): rates are
computed on the answers given, and a missing part is NaN (shown "—"), never 0 %.
"""

from __future__ import annotations

import html
import json
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from creditlab.exceptions import InputError
from creditlab.exercises._catalogue import EXERCISES
from creditlab.exercises._data import data_csv, data_toml, question_texts
from creditlab.exercises._dialogue import CALLS, PLAN_CASES
from creditlab.exercises._prompts import PROMPTS
from creditlab.exercises._results import latest_results
from creditlab.exercises._roleplay import CASES, OBJECTIONS
from creditlab.i18n import format_number, format_pct

__all__ = ["collect", "GroupResults", "PARTS", "KINDS", "GRADED_KINDS", "QUESTIONNAIRE_KINDS",
           "item_titles", "styled"]

#: Parts of the course as the trainer view names them (0: positioning, 7: final evaluation).
PARTS = {0: "0. Positionnement", 1: "1. Enjeux", 2: "2. Solvabilité", 3: "3. Calibration",
         4: "4. Relance", 5: "5. Pilotage", 6: "6. Négociation", 7: "7. Évaluation finale"}
#: Kinds of lines that are graded (``ok`` true or false) and their French names.
KINDS = {"exercise": "cas pratiques", "quiz": "QCM", "mise_en_situation": "mises en situation",
         "autodiagnostic": "autodiagnostic", "evaluation_finale": "QCM final"}
GRADED_KINDS = tuple(KINDS)
#: Questionnaire lines (no right answer: ``ok`` is null, ``answer`` holds the rating or text).
QUESTIONNAIRE_KINDS = ("positionnement", "auto_evaluation", "satisfaction", "plan_action")
_REQUIRED = ("trainee", "exercise_id", "part", "ok")
_COLUMNS = ["trainee", "exercise_id", "part", "ok", "timestamp", "kind", "answer", "source",
            "line"]


def item_titles() -> dict[str, str]:
    """French title of every item a results line can name (cases, questions, role plays,
    questionnaire items), for the trainer's tables."""
    titles = {e.id: e.title for e in EXERCISES.values()}
    titles.update(question_texts())
    titles.update({k: p.title for k, p in PROMPTS.items()})
    titles.update({k: v["statement"][:60] + "…"
                   for k, v in {**CASES, **OBJECTIONS, **PLAN_CASES}.items()})
    titles.update({k: "Appel de relance en 4 temps" for k in CALLS})
    titles.update({f"auto_{t['id']}": "Autodiagnostic : " + t["label"]
                   for t in data_toml("selfassessment.toml")["theme"]})
    titles.update(dict(zip(*data_csv("course_skills.csv")[["id", "short"]].T.values,
                           strict=True)))
    titles.update(dict(zip(*data_csv("course_satisfaction.csv")[["id", "question"]].T.values,
                           strict=True)))
    titles.update({"commentaire": "Commentaire libre", "actions": "Actions choisies",
                   "objectifs": "Objectifs"})
    return titles


def styled(table: pd.DataFrame, percent=(), decimals: int = 1, na_rep: str = "—"):
    """A pandas Styler of ``table`` for French readers, safe with text typed by trainees.

    Every cell and header is HTML-escaped (names, answers and letters are text typed by
    people); ``percent`` columns (fractions) show as ``70 %``, other float columns with a
    decimal comma and ``decimals`` digits, booleans as ``oui``/``non``; NaN as ``na_rep``.
    """
    percent = [c for c in percent if c in table.columns]
    style = table.style.format(escape="html", na_rep=na_rep)
    floats = [c for c in table.columns
              if c not in percent and pd.api.types.is_float_dtype(table[c])]
    bools = [c for c in table.columns if pd.api.types.is_bool_dtype(table[c])]
    if floats:
        style = style.format(lambda v: format_number(v, "fr", decimals), subset=floats,
                             na_rep=na_rep)
    if bools:
        style = style.format(lambda v: "oui" if v else "non", subset=bools)
    if percent:
        style = style.format(lambda v: format_pct(v, "fr", 0), subset=percent, na_rep=na_rep)
    return style.format_index(escape="html", axis=0).format_index(escape="html", axis=1)


def _problem(rows: list, source: str, line, text: str) -> None:
    rows.append({"fichier": source, "ligne": line, "problème": text})


def _read_line(raw: str) -> tuple[dict | None, str | None]:
    """One results line as a clean record, or the French reason it is skipped."""
    try:
        rec = json.loads(raw)
    except json.JSONDecodeError:
        return None, "ligne illisible (ce n'est pas du JSON)"
    if not isinstance(rec, dict):
        return None, "ligne illisible (un objet JSON était attendu)"
    missing = [k for k in _REQUIRED if k not in rec]
    if missing:
        return None, "clé(s) manquante(s) : " + ", ".join(missing)
    name = " ".join(str(rec["trainee"] or "").split())
    if not name:
        return None, "nom du stagiaire vide"
    try:
        part = int(rec["part"])
    except (TypeError, ValueError):
        return None, f"partie illisible : {str(rec['part'])[:30]!r}"
    kind = str(rec.get("kind") or "exercise")
    ok = rec["ok"]
    if kind in QUESTIONNAIRE_KINDS:
        ok = None
    elif not isinstance(ok, bool):
        return None, f"résultat « ok » illisible : {str(ok)[:30]!r}"
    return {"trainee": name, "exercise_id": str(rec["exercise_id"]), "part": part, "ok": ok,
            "timestamp": str(rec.get("timestamp") or ""), "kind": kind,
            "answer": rec.get("answer")}, None


def collect(folder: str | os.PathLike) -> GroupResults:
    """Read every trainee's results under ``folder`` (see the module docstring for layouts).

    Never fails on a trainee's file: an unreadable file, a damaged line or a line without its
    keys is skipped and listed in :attr:`GroupResults.problems` (file, line, reason in French).
    An empty folder gives an empty group (the start of the day), with that stated as a problem.

    Raises
    ------
    InputError
        ``folder`` does not exist or is not a folder (message in French).
    """
    root = Path(folder)
    if not root.is_dir():
        raise InputError("dossier", "un dossier contenant les résultats des stagiaires",
                         str(folder), "vérifiez le chemin (dossier de la salle ROOM, ROOM/"
                         "trainees, ou dossier où vous avez rassemblé les fichiers *.jsonl)")
    files = sorted(p for p in root.rglob("*.jsonl")
                   if not any(part.startswith(".") or part == "datasets"
                              for part in p.relative_to(root).parent.parts))
    rows: list[dict] = []
    problems: list[dict] = []
    for path in files:
        source = path.relative_to(root).as_posix()
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            _problem(problems, source, None, f"fichier illisible ({type(err).__name__})")
            continue
        if not text.strip():
            _problem(problems, source, None, "fichier vide (aucune réponse enregistrée)")
        for n, raw in enumerate(text.splitlines(), start=1):
            if raw.strip():
                rec, why = _read_line(raw)
                if rec is None:
                    _problem(problems, source, n, why)
                else:
                    rows.append({**rec, "source": source, "line": n})
    if not files:
        _problem(problems, ".", None, "aucun fichier de résultats (*.jsonl) pour l'instant : "
                 "les stagiaires ont-ils lancé session(\"prénom\") ?")
    attempts = pd.DataFrame(rows, columns=_COLUMNS)
    attempts["part"] = attempts["part"].astype(int)
    return GroupResults(attempts, pd.DataFrame(problems, columns=["fichier", "ligne", "problème"]),
                        str(root))


@dataclass(frozen=True)
class GroupResults:
    """What a group has done, read by :func:`collect`.

    Attributes
    ----------
    attempts : DataFrame
        Every valid line (``trainee, exercise_id, part, ok, timestamp, kind, answer, source,
        line``), every attempt kept.
    problems : DataFrame
        Skipped files and lines: ``fichier, ligne, problème`` (French).
    folder : str
        The folder read.
    """

    attempts: pd.DataFrame
    problems: pd.DataFrame
    folder: str = ""
    _titles: dict = field(default_factory=item_titles, repr=False, compare=False)

    # ---------------------------------------------------------------- graded answers
    @cached_property
    def latest(self) -> pd.DataFrame:
        """The last attempt of each trainee at each graded item, with ``partie`` and ``type``."""
        graded = self.attempts[self.attempts["kind"].isin(GRADED_KINDS)]
        last = latest_results(graded) if len(graded) else graded.copy()
        return last.assign(ok=last["ok"].astype(bool), partie=last["part"].map(PARTS),
                           type=last["kind"].map(KINDS))

    @property
    def trainees(self) -> pd.DataFrame:
        """One row per trainee: answers given, parts started, first and last answer, files."""
        a = self.attempts
        if a.empty:
            return pd.DataFrame(columns=["réponses", "parties commencées", "première réponse",
                                         "dernière réponse", "fichiers"]).rename_axis("stagiaire")
        g = a.groupby("trainee")
        out = pd.DataFrame({
            "réponses": g.size(),
            "parties commencées": g["part"].agg(lambda p: ", ".join(str(x) for x in sorted(set(p)))),
            "première réponse": g["timestamp"].min(),
            "dernière réponse": g["timestamp"].max(),
            "fichiers": g["source"].agg(lambda s: ", ".join(sorted(set(s))))})
        return out.rename_axis("stagiaire")

    def by_part(self) -> pd.DataFrame:
        """Success rate (0-1) of each trainee (rows) in each part reached (columns).

        A part the trainee has not reached is NaN, never 0: a late joiner is not failing.
        """
        res = self.latest
        if res.empty:
            return pd.DataFrame(dtype=float).rename_axis("stagiaire")
        table = res.pivot_table(index="trainee", columns="part", values="ok", aggfunc="mean")
        table = table.reindex(columns=sorted(table.columns)).rename(columns=PARTS)
        table.columns.name = "partie"
        return table.rename_axis("stagiaire")

    def group_by_part(self) -> pd.DataFrame:
        """Per part reached: trainees who answered, answers, success by type and overall."""
        res = self.latest
        if res.empty:
            return pd.DataFrame(columns=["stagiaires", "réponses", "ensemble"])
        g = res.groupby("part")
        by_type = res.pivot_table(index="part", columns="type", values="ok", aggfunc="mean")
        out = pd.concat([g["trainee"].nunique().rename("stagiaires"), g.size().rename("réponses"),
                         by_type, g["ok"].mean().rename("ensemble")], axis=1)
        out.index = out.index.map(PARTS)
        out.index.name = "partie"
        out.columns.name = None
        return out

    def by_exercise(self) -> pd.DataFrame:
        """Per item (case, question, role play): trainees who answered and success rate
        (columns ``partie, type, code, intitulé, stagiaires, réussite``; ``code``: the item's id)."""
        res = self.latest
        cols = ["partie", "type", "code", "intitulé", "stagiaires", "réussite"]
        if res.empty:
            return pd.DataFrame(columns=cols)
        out = (res.groupby(["part", "type", "exercise_id"])["ok"].agg(["size", "mean"])
               .reset_index().rename(columns={"size": "stagiaires", "mean": "réussite"}))
        out["partie"] = out["part"].map(PARTS)
        out["intitulé"] = out["exercise_id"].map(self._titles).fillna(out["exercise_id"])
        out = out.sort_values(["part", "type", "exercise_id"]).rename(columns={"exercise_id": "code"})
        return out[cols].reset_index(drop=True)

    def to_review(self, threshold: float = 0.5) -> pd.DataFrame:
        """Items that fewer than ``threshold`` of the trainees who answered got right, worst
        first (the items to take up again in session)."""
        table = self.by_exercise()
        return (table[table["réussite"] < threshold]
                .sort_values(["réussite", "partie"], kind="stable").reset_index(drop=True))

    def wrong_answers(self, top: int = 3) -> pd.DataFrame:
        """The most common wrong answers per item (last attempts), ``top`` per item at most.

        Answers are compared as typed, trimmed and lowercased (``"b"`` and ``" B"`` are one
        answer); questions left unanswered (``—``) are not wrong answers to discuss; written productions of role plays are left out (see :meth:`productions`).
        Columns ``partie, code, intitulé, réponse, stagiaires`` (``code``: the item's id).
        """
        res = self.latest
        cols = ["partie", "code", "intitulé", "réponse", "stagiaires"]
        wrong = res[~res["ok"] & res["answer"].notna() & (res["kind"] != "mise_en_situation")]
        if wrong.empty:
            return pd.DataFrame(columns=cols)
        text = wrong["answer"].map(lambda v: json.dumps(v, ensure_ascii=False)
                                   if isinstance(v, dict | list) else str(v))
        wrong = wrong.assign(réponse=text.str.strip().str.lower().str.slice(0, 80))
        wrong = wrong[~wrong["réponse"].isin(["", "—", "none", "nan"])]   # left unanswered
        if wrong.empty:
            return pd.DataFrame(columns=cols)
        counts = (wrong.groupby(["part", "exercise_id", "réponse"])["trainee"].nunique()
                  .rename("stagiaires").reset_index()
                  .sort_values(["part", "exercise_id", "stagiaires", "réponse"],
                               ascending=[True, True, False, True]))
        counts = counts.groupby("exercise_id", sort=False).head(top)
        counts["partie"] = counts["part"].map(PARTS)
        counts["intitulé"] = counts["exercise_id"].map(self._titles).fillna(counts["exercise_id"])
        counts = counts.rename(columns={"exercise_id": "code"})
        return counts.sort_values(["stagiaires", "part"], ascending=[False, True],
                                  kind="stable")[cols].reset_index(drop=True)

    def productions(self) -> pd.DataFrame:
        """Every written production of the role plays (letters, arguments, plans), as typed."""
        p = self.attempts[self.attempts["kind"] == "mise_en_situation"]
        return (p[["trainee", "exercise_id", "ok", "timestamp", "answer"]]
                .rename(columns={"trainee": "stagiaire", "exercise_id": "cas",
                                 "ok": "tous critères", "answer": "production"})
                .reset_index(drop=True))

    # ---------------------------------------------------------------- questionnaires
    def _questionnaire(self, kind: str) -> pd.DataFrame:
        q = self.attempts[self.attempts["kind"] == kind]
        return latest_results(q) if len(q) else q

    def skills(self) -> pd.DataFrame:
        """Self-rated skills (1-5): the group's mean before (positioning) and after (end of
        course), the number of trainees who rated each, and the progress in points.

        Only trainees who rated a skill count in its mean (NaN when nobody has).
        """
        skills = data_csv("course_skills.csv").set_index("id")
        out = pd.DataFrame({"compétence": skills["short"]})
        for kind, name in (("positionnement", "avant"), ("auto_evaluation", "après")):
            q = self._questionnaire(kind)
            q = q[q["exercise_id"].isin(skills.index)]
            notes = pd.to_numeric(q["answer"], errors="coerce")
            g = notes.groupby(q["exercise_id"])
            out[name] = g.mean().reindex(skills.index)
            out[f"stagiaires ({name})"] = g.count().reindex(skills.index).fillna(0).astype(int)
        out["progrès"] = out["après"] - out["avant"]
        return out.rename_axis("id")

    def satisfaction(self) -> pd.DataFrame:
        """Satisfaction ratings (1-5): mean, number of answers and share rating 4 or 5, per
        question of ``data/course_satisfaction.csv`` (NaN when nobody answered yet)."""
        questions = data_csv("course_satisfaction.csv")
        questions = questions[questions["kind"] == "note"].set_index("id")["question"]
        q = self._questionnaire("satisfaction")
        q = q[q["exercise_id"].isin(questions.index)]
        notes = pd.to_numeric(q["answer"], errors="coerce")
        g = notes.groupby(q["exercise_id"])
        return pd.DataFrame({"question": questions,
                             "moyenne": g.mean().reindex(questions.index),
                             "réponses": g.count().reindex(questions.index).fillna(0).astype(int),
                             "satisfaits (4-5)": (notes >= 4).groupby(q["exercise_id"]).mean()
                             .reindex(questions.index)}).rename_axis("id")

    def comments(self) -> pd.DataFrame:
        """Free texts of the positioning and satisfaction questionnaires, as typed."""
        q = self.attempts[self.attempts["kind"].isin(["positionnement", "satisfaction"])
                          & self.attempts["answer"].map(lambda v: isinstance(v, str) and bool(v.strip()))]
        q = latest_results(q) if len(q) else q
        return (q.assign(questionnaire=q["kind"], question=q["exercise_id"].map(self._titles)
                         .fillna(q["exercise_id"]))
                [["trainee", "questionnaire", "question", "answer"]]
                .rename(columns={"trainee": "stagiaire", "answer": "réponse"})
                .reset_index(drop=True))

    def action_plans(self) -> pd.DataFrame:
        """Each trainee's personal action plan: actions chosen and objectives written."""
        q = self._questionnaire("plan_action")
        actions = data_csv("course_actions.csv").set_index("id")["action"]
        rows = []
        for trainee, part in q.groupby("trainee"):      # one row per trainee, a handful
            answers = dict(zip(part["exercise_id"], part["answer"], strict=True))
            chosen = answers.get("actions") or []
            rows.append({"stagiaire": trainee,
                         "actions": " ; ".join(actions.get(a, str(a)) for a in chosen),
                         "objectifs": answers.get("objectifs") or ""})
        return pd.DataFrame(rows, columns=["stagiaire", "actions", "objectifs"])

    def final_scores(self) -> pd.DataFrame:
        """Score of each trainee at the final evaluation quiz (right answers, questions, rate)."""
        f = self.latest[self.latest["kind"] == "evaluation_finale"]
        g = f.groupby("trainee")["ok"]
        return pd.DataFrame({"score": g.sum().astype(int), "questions": g.size(),
                             "réussite": g.mean()}).rename_axis("stagiaire")

    # ---------------------------------------------------------------- summaries
    def message(self) -> str:
        """One French sentence on the group (who, how much, weakest part, problems)."""
        n = self.attempts["trainee"].nunique()
        if n == 0:
            return "Aucun résultat pour l'instant." + (
                f" {len(self.problems)} problème(s) de lecture." if len(self.problems) else "")
        res = self.latest
        text = (f"{n} stagiaire(s), {len(self.attempts)} ligne(s) lue(s), {len(res)} réponse(s) "
                "notée(s) après la dernière tentative de chacun")
        if len(res):
            parts = self.group_by_part()["ensemble"]
            text += (f" ; réussite moyenne {res['ok'].mean():.0%}".replace("%", " %")
                     + f", partie la plus fragile : {parts.idxmin()}")
        if len(self.problems):
            text += f" ; {len(self.problems)} problème(s) de lecture (voir problems)"
        return text + "."

    def _repr_html_(self) -> str:
        body = f"<p>{html.escape(self.message())}</p>"
        if not self.latest.empty:
            body += styled(self.group_by_part(),
                           percent=[*KINDS.values(), "ensemble"]).to_html()
        return body

    def __repr__(self) -> str:
        return f"GroupResults({self.folder!r}: {self.message()})"

