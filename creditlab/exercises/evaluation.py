"""The course's evaluation loop: positioning, final quiz, self-evaluation, action plan, satisfaction.

One list of skills (``creditlab/data/course_skills.csv``: the programme's skills, each with the
QCM questions that validate it) serves every step, so before and after can be compared:

1. :func:`positioning` — before the course, the trainee rates each skill from 1 to 5 and may
   write what they expect (``notebooks/00b_positionnement.ipynb``);
2. :func:`final_quiz` — at the end, a QCM made of the questions of ``data/quiz.toml`` that
   validate the skills, scored per skill by :func:`skill_results`;
3. :func:`self_evaluation` — the trainee rates the same skills again; :func:`plot_skills_radar`
   draws before and after on one radar;
4. :func:`action_plan` — the trainee picks actions from the course's recommendations
   (``data/course_actions.csv``) and writes objectives; :meth:`PersonalActionPlan.save` writes a
   one-page HTML document, and its PDF when a headless Chromium is present;
5. :func:`satisfaction` — the end-of-session evaluation ("évaluation à chaud",
   ``data/course_satisfaction.csv``: ratings 1-5 and two free texts).

Every step is saved like the checks (:func:`creditlab.exercises.session`: one JSON line per
item in the trainee's results file; kinds ``positionnement``, ``evaluation_finale``,
``auto_evaluation``, ``plan_action``, ``satisfaction``) and summarised by
:func:`creditlab.exercises.collect` in the trainer's view. Ratings and texts are recorded with
``ok`` null (there is no right answer); the final quiz is graded like the other QCM.

This module is imported as ``creditlab.exercises.evaluation`` (it builds on
:mod:`creditlab.exercises.quiz`, which records through :mod:`creditlab.exercises._results`).
"""

from __future__ import annotations

import html
import json
import numbers
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from creditlab.documents import find_browser, html_to_pdf
from creditlab.exceptions import InputError
from creditlab.exercises._data import data_csv, data_toml
from creditlab.exercises._forms import Form
from creditlab.exercises._radar import plot_skills_radar
from creditlab.exercises._results import record_results, trainee_slug
from creditlab.exercises.group import styled
from creditlab.exercises.quiz import Quiz, QuizResult

__all__ = ["SCALE", "skills", "blank_ratings", "SkillRatings", "positioning", "self_evaluation",
           "final_quiz", "skill_results", "recommended_actions", "PersonalActionPlan",
           "action_plan", "satisfaction_questions", "satisfaction", "plot_skills_radar",
           "my_positioning", "final_quiz_widget", "positioning_form", "self_evaluation_form", "action_plan_form",
           "satisfaction_form"]

#: The 1-5 rating of a skill, as the questionnaires explain it.
SCALE = {1: "je découvre", 2: "j'en connais les notions", 3: "je le fais avec de l'aide",
         4: "je le fais seul(e)", 5: "je pourrais l'expliquer à un collègue"}
POSITIONING_PART = 0
END_PART = 7


def skills() -> pd.DataFrame:
    """The programme's skills: index ``id``; ``part`` (course part), ``short`` (radar label),
    ``label`` (the skill as the questionnaires state it), ``quiz`` (list of question ids that
    validate it in the final quiz), ``programme`` (the programme point it comes from)."""
    table = data_csv("course_skills.csv")
    table["part"] = table["part"].astype(int)
    table["quiz"] = table["quiz"].str.split(";")
    return table.set_index("id")


def blank_ratings() -> dict[str, None]:
    """``{skill id: None}`` for every skill: the dict a trainee fills in a notebook."""
    return dict.fromkeys(skills().index)


def _ratings(ratings: dict, name: str) -> pd.Series:
    """Validated ratings, one integer 1-5 per skill (French messages)."""
    if not isinstance(ratings, dict):
        raise InputError(name, "un dictionnaire {compétence: note de 1 à 5}",
                         type(ratings).__name__, "partez de blank_ratings() et remplissez-le")
    ids = skills().index
    unknown = sorted(set(ratings) - set(ids))
    if unknown:
        raise InputError(name, f"des compétences parmi {list(ids)}", unknown,
                         "gardez les identifiants de blank_ratings()")
    missing = [k for k in ids if ratings.get(k) is None]
    if missing:
        raise InputError(name, "une note de 1 à 5 pour chaque compétence", missing,
                         "donnez une note à chacune des compétences listées (1 = je découvre, "
                         "5 = je pourrais l'expliquer)")
    bad = {k: v for k, v in ratings.items()
           if isinstance(v, bool) or not isinstance(v, numbers.Real) or v not in SCALE}
    if bad:
        raise InputError(name, "des notes entières de 1 à 5", bad,
                         "notez avec 1, 2, 3, 4 ou 5")
    return pd.Series({k: int(ratings[k]) for k in ids}, name="note", dtype=int)


@dataclass(frozen=True)
class SkillRatings:
    """A trainee's ratings of the skills (1-5) at one moment ("avant" or "après")."""

    moment: str
    ratings: pd.Series
    comment: str = ""

    def summary(self) -> pd.DataFrame:
        """The ratings with the skills' labels and the meaning of each rating (French)."""
        sk = skills()
        return pd.DataFrame({"compétence": sk["label"], "note": self.ratings,
                             "signification": self.ratings.map(SCALE)})

    def plot_radar(self, before: SkillRatings | None = None, ax=None):
        """Radar of these ratings (with ``before``'s, when given, as the "avant" shape)."""
        labels = skills()["short"]
        if before is None:
            return plot_skills_radar(self.ratings, labels=labels, ax=ax)
        return plot_skills_radar(before.ratings, self.ratings, labels=labels, ax=ax)

    def _repr_html_(self) -> str:
        return self.summary().to_html(escape=True)


def _record(rows, kind: str, part: int, trainee, results_path) -> None:
    record_results([(k, None, v) for k, v in rows], part=part, kind=kind, trainee=trainee,
                   results_path=results_path)


def positioning(ratings: dict, comment: str = "", *, trainee: str | None = None,
                results_path: str | os.PathLike | None = None) -> SkillRatings:
    """The positioning questionnaire (before the course): each skill rated 1-5, free text.

    Saved for the trainer's view (kind ``positionnement``, one line per skill, ``answer`` = the
    rating; the text under ``commentaire``) when a :func:`~creditlab.exercises.session` is
    open or ``trainee`` and ``results_path`` are given.

    Raises
    ------
    InputError
        A skill unrated, unknown, or rated outside 1-5 (French message naming the skills).
    """
    notes = _ratings(ratings, "ratings")
    rows = list(notes.items()) + ([("commentaire", str(comment).strip())]
                                  if str(comment).strip() else [])
    _record(rows, "positionnement", POSITIONING_PART, trainee, results_path)
    return SkillRatings("avant", notes, str(comment).strip())


def self_evaluation(ratings: dict, *, trainee: str | None = None,
                    results_path: str | os.PathLike | None = None) -> SkillRatings:
    """The self-evaluation of acquired skills (end of the course), on the same skills and
    scale as :func:`positioning` (kind ``auto_evaluation``)."""
    notes = _ratings(ratings, "ratings")
    _record(list(notes.items()), "auto_evaluation", END_PART, trainee, results_path)
    return SkillRatings("après", notes)


def final_quiz() -> Quiz:
    """The end-of-course evaluation quiz: the QCM questions that validate the skills (the
    ``quiz`` column of :func:`skills`), in the order of the skills; graded answers are
    recorded with kind ``evaluation_finale``, part 7."""
    wanted = [q for qs in skills()["quiz"] for q in qs]
    questions = pd.DataFrame(data_toml("quiz.toml")["question"]).set_index("id")
    missing = sorted(set(wanted) - set(questions.index))
    if missing:    # a data error, caught by the tests
        raise InputError("course_skills.csv", "question ids of quiz.toml", missing,
                         "fix the quiz column of creditlab/data/course_skills.csv")
    return Quiz(END_PART, questions.loc[wanted].reset_index(), kind="evaluation_finale")


def skill_results(result: QuizResult, threshold: float = 2 / 3) -> pd.DataFrame:
    """Score of the final quiz per skill: questions, right answers, rate, validated.

    A skill is validated ("acquise") when at least ``threshold`` of its questions are right
    (2 out of 3 by default; 1 out of 2 is not enough).
    """
    sk = skills()
    ok = result.table.set_index("id")["ok"]
    rows = [{"id": k, "compétence": s.short, "questions": len(s.quiz),
             "justes": int(ok.reindex(s.quiz).fillna(False).sum())} for k, s in sk.iterrows()]
    out = pd.DataFrame(rows).set_index("id")
    out["réussite"] = out["justes"] / out["questions"]
    out["acquise"] = out["réussite"] >= threshold - 1e-12
    return out


def final_quiz_widget(*, trainee: str | None = None,
                      results_path: str | os.PathLike | None = None):
    """The final quiz as ipywidgets; once validated, the score, the explanations and the
    table of skills validated (:func:`skill_results`) are shown."""
    return final_quiz().widget(
        trainee=trainee, results_path=results_path,
        after=lambda res: styled(skill_results(res).set_index("compétence"),
                                 percent=["réussite"]))


def recommended_actions() -> pd.DataFrame:
    """The course's recommendations a trainee picks from for the action plan: index ``id``,
    ``skill`` (the skill it applies), ``action`` (French)."""
    return data_csv("course_actions.csv").set_index("id")


@dataclass(frozen=True)
class PersonalActionPlan:
    """A trainee's personal action plan (plan d'action personnel).

    ``actions`` are ids of :func:`recommended_actions`; ``objectives`` are the trainee's own
    sentences (what, by when, how to measure it).
    """

    trainee: str
    actions: tuple[str, ...]
    objectives: tuple[str, ...]
    made_on: date = field(default_factory=date.today)

    def table(self) -> pd.DataFrame:
        """The chosen actions with the skill each one develops."""
        acts = recommended_actions().loc[list(self.actions)]
        return pd.DataFrame({"action": acts["action"],
                             "compétence": acts["skill"].map(skills()["short"])})

    def to_html(self) -> str:
        """The plan as a one-page A4 HTML document (every text escaped)."""
        e = html.escape
        actions = "".join(f"<tr><td>{e(r.action)}</td><td>{e(str(r.compétence))}</td>"
                          "<td class='box'></td></tr>" for r in self.table().itertuples())
        objectives = "".join(f"<li>{e(o)}</li>" for o in self.objectives)
        return f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Plan d'action personnel — {e(self.trainee)}</title>
<style>
@page {{ size: A4; margin: 18mm; }}
body {{ font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; color: #222; }}
h1 {{ font-size: 16pt; color: #1f4e79; margin-bottom: 2mm; }}
h2 {{ font-size: 12pt; color: #1f4e79; margin-top: 6mm; }}
table {{ border-collapse: collapse; width: 100%; }}
td, th {{ border: 1px solid #9dc3e6; padding: 2mm; vertical-align: top; }}
th {{ background: #deebf7; text-align: left; }}
td.box {{ width: 18mm; }}
.meta {{ color: #555; }}
</style></head><body>
<h1>Plan d'action personnel</h1>
<p class="meta">Formation credit management (2 jours) — {e(self.trainee)} — établi le
{self.made_on:%d/%m/%Y}</p>
<h2>Les actions que je retiens</h2>
<table><tr><th>Action</th><th>Compétence</th><th>Fait le</th></tr>{actions}</table>
<h2>Mes objectifs</h2>
<ol>{objectives}</ol>
<h2>Point d'étape</h2>
<p>Dans trois mois : ce qui est fait, ce qui reste à faire, ce qui m'a aidé ou freiné.</p>
</body></html>
"""

    def save(self, folder: str | os.PathLike = ".", *, pdf: bool = True) -> dict[str, Path]:
        """Write ``plan_action_<slug>.html`` in ``folder`` and, with ``pdf`` and a headless
        Chromium on this machine, its PDF (:func:`creditlab.documents.html_to_pdf`).

        Returns ``{"html": path}`` plus ``"pdf"`` when one was written, or ``"pdf_absent"``
        with the reason when Chromium is not installed (the HTML prints from any browser).
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"plan_action_{trainee_slug(self.trainee) or 'stagiaire'}.html"
        target.write_text(self.to_html(), encoding="utf-8")
        out: dict[str, Path] = {"html": target}
        if pdf:
            if find_browser() is None:
                out["pdf_absent"] = Path("Chromium absent : imprimez le HTML depuis un navigateur")
            else:
                out["pdf"] = html_to_pdf(target)
        return out

    def _repr_html_(self) -> str:
        e = html.escape
        return (f"<p><strong>Plan d'action de {e(self.trainee)}</strong></p>"
                + self.table().to_html(index=False, escape=True)
                + "<ol>" + "".join(f"<li>{e(o)}</li>" for o in self.objectives) + "</ol>")


def action_plan(actions, objectives, *, trainee: str | None = None,
                results_path: str | os.PathLike | None = None) -> PersonalActionPlan:
    """The personal action plan: ``actions`` picked among :func:`recommended_actions` (1 to
    5 ids) and ``objectives`` written by the trainee (a sentence or a list of sentences).

    Saved for the trainer's view (kind ``plan_action``: the ids under ``actions``, the
    objectives under ``objectifs``). The name on the document is ``trainee``, else the
    session's, else "stagiaire".

    Raises
    ------
    InputError
        No action, more than 5, an unknown id, or no objective (French messages).
    """
    known = recommended_actions().index
    actions = [actions] if isinstance(actions, str) else list(actions or ())
    unknown = [a for a in actions if a not in known]
    if unknown:
        raise InputError("actions", "des identifiants de recommended_actions()", unknown,
                         "choisissez dans la colonne id du tableau des actions")
    if not 1 <= len(actions) <= 5:
        raise InputError("actions", "de 1 à 5 actions", len(actions),
                         "retenez les actions que vous mènerez vraiment (5 au plus)")
    objectives = [objectives] if isinstance(objectives, str) else list(objectives or ())
    objectives = [" ".join(str(o).split()) for o in objectives if str(o).strip()]
    if not objectives:
        raise InputError("objectives", "au moins un objectif écrit", "aucun",
                         "écrivez ce que vous ferez, pour quand, et comment vous le mesurerez")
    _record([("actions", list(dict.fromkeys(actions))), ("objectifs", " / ".join(objectives))],
            "plan_action", END_PART, trainee, results_path)
    name = trainee or os.environ.get("CREDITLAB_TRAINEE") or "stagiaire"
    return PersonalActionPlan(name, tuple(dict.fromkeys(actions)), tuple(objectives))


def satisfaction_questions() -> pd.DataFrame:
    """The end-of-session questions: index ``id``; ``question``; ``kind`` (``note`` 1-5 or
    ``texte``)."""
    return data_csv("course_satisfaction.csv").set_index("id")


def satisfaction(ratings: dict, texts: dict | None = None, *, trainee: str | None = None,
                 results_path: str | os.PathLike | None = None) -> pd.DataFrame:
    """The end-of-session evaluation ("évaluation à chaud"): every ``note`` question rated 1-5,
    the ``texte`` questions answered freely (optional). Saved with kind ``satisfaction``.

    Returns the answers as a table (question, réponse).

    Raises
    ------
    InputError
        A rating missing, unknown or outside 1-5 (French message).
    """
    qs = satisfaction_questions()
    notes = qs.index[qs["kind"] == "note"]
    texts = {k: " ".join(str(v).split()) for k, v in (texts or {}).items() if str(v).strip()}
    unknown = sorted((set(ratings) - set(notes)) | (set(texts) - set(qs.index[qs["kind"] == "texte"])))
    if unknown:
        raise InputError("ratings", f"des questions parmi {list(qs.index)}", unknown,
                         "gardez les identifiants du questionnaire")
    missing = [k for k in notes if ratings.get(k) is None]
    bad = {k: v for k, v in ratings.items()
           if isinstance(v, bool) or not isinstance(v, numbers.Real) or v not in SCALE}
    if missing or bad:
        raise InputError("ratings", "une note entière de 1 à 5 à chaque question",
                         missing or bad, "notez chaque question de 1 (pas du tout d'accord) "
                         "à 5 (tout à fait d'accord)")
    rows = [(k, int(ratings[k])) for k in notes] + list(texts.items())
    _record(rows, "satisfaction", END_PART, trainee, results_path)
    return pd.DataFrame({"question": [qs.loc[k, "question"] for k, _ in rows],
                         "réponse": [v for _, v in rows]})


# ---------------------------------------------------------------- forms for the notebooks
def my_positioning(results_path: str | os.PathLike | None = None) -> SkillRatings | None:
    """The trainee's own positioning read back from their results file (the session's by
    default): the last rating of each skill, or None when there is none (or it is incomplete).
    Damaged lines are ignored here; the trainer's view lists them."""
    path = results_path or os.environ.get("CREDITLAB_RESULTS")
    if not path or not Path(path).is_file():
        return None
    notes: dict[str, object] = {}
    for line in Path(path).read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(rec, dict) and rec.get("kind") == "positionnement":
            notes[str(rec.get("exercise_id"))] = rec.get("answer")
    ids = skills().index
    if not all(notes.get(k) in SCALE for k in ids):
        return None
    return SkillRatings("avant", pd.Series({k: int(notes[k]) for k in ids}, name="note"))


def _show_ratings(before_of: callable):
    def show(result: SkillRatings) -> None:
        from IPython.display import display  # optional: course

        display(result)
        result.plot_radar(before_of())
        plt.show()
    return show


def _skill_items() -> list[tuple[str, str]]:
    return list(skills()["label"].items())


def positioning_form(*, trainee: str | None = None,
                     results_path: str | os.PathLike | None = None) -> Form:
    """The positioning questionnaire as a form: each skill rated 1-5 and a free text; on
    « Enregistrer », :func:`positioning` saves it and the radar is drawn."""
    return Form("Questionnaire de positionnement", button="Enregistrer mon positionnement",
                ratings=_skill_items(), scale=SCALE,
                texts=[("commentaire", "Ce que j'attends de la formation, une situation que je "
                        "veux savoir traiter")],
                on_submit=lambda r, _c, t: positioning(r, t.get("commentaire", ""),
                                                       trainee=trainee,
                                                       results_path=results_path),
                show=_show_ratings(lambda: None))


def self_evaluation_form(before: SkillRatings | None = None, *, trainee: str | None = None,
                         results_path: str | os.PathLike | None = None) -> Form:
    """The self-evaluation of acquired skills as a form; the radar compares it with
    ``before`` (default: the trainee's own positioning, :func:`my_positioning`)."""
    return Form("Auto-évaluation des compétences acquises", button="Enregistrer mon "
                "auto-évaluation", ratings=_skill_items(), scale=SCALE,
                on_submit=lambda r, _c, _t: self_evaluation(r, trainee=trainee,
                                                            results_path=results_path),
                show=_show_ratings(lambda: before or my_positioning(results_path)))


def action_plan_form(folder: str | os.PathLike = "plan_action", *, trainee: str | None = None,
                     results_path: str | os.PathLike | None = None) -> Form:
    """The personal action plan as a form: tick 1 to 5 actions, write objectives (one per
    line); on « Enregistrer », the plan is saved and written to ``folder`` (HTML, and PDF
    when Chromium is present)."""
    def submit(_r, chosen, texts):
        plan = action_plan(chosen, (texts.get("objectifs") or "").splitlines(),
                           trainee=trainee, results_path=results_path)
        return plan, plan.save(folder)

    def show(result) -> None:
        from IPython.display import HTML, display  # optional: course

        plan, files = result
        display(plan)
        display(HTML("<p>Document : " + ", ".join(
            html.escape(str(v)) for v in files.values()) + "</p>"))

    return Form("Mon plan d'action personnel", button="Enregistrer mon plan d'action",
                choices=list(recommended_actions()["action"].items()),
                texts=[("objectifs", "Mes objectifs, un par ligne : quoi, pour quand, comment "
                        "je saurai que c'est fait")],
                on_submit=submit, show=show)


def satisfaction_form(*, trainee: str | None = None,
                      results_path: str | os.PathLike | None = None) -> Form:
    """The end-of-session evaluation as a form (ratings 1-5 from « pas du tout d'accord » to
    « tout à fait d'accord », two free texts)."""
    qs = satisfaction_questions()
    return Form("Évaluation de la formation", button="Envoyer mon évaluation",
                ratings=list(qs.loc[qs["kind"] == "note", "question"].items()),
                scale={1: "pas du tout d'accord", 2: "plutôt pas", 3: "moyennement",
                       4: "plutôt d'accord", 5: "tout à fait d'accord"},
                texts=list(qs.loc[qs["kind"] == "texte", "question"].items()),
                on_submit=lambda r, _c, t: satisfaction(r, t, trainee=trainee,
                                                        results_path=results_path))
