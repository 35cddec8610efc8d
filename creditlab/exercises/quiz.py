"""Quizzes (QCM) per course part and the self-assessment of credit-management practices.

Questions, answers and explanations are data (``creditlab/data/quiz.toml``,
``creditlab/data/selfassessment.toml``). Grading and scoring are plain functions, so they run
without a browser; :meth:`Quiz.widget` and :func:`self_assessment_widget` wrap them in ipywidgets.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from creditlab.exceptions import InputError
from creditlab.exercises._data import data_toml as _toml
from creditlab.exercises._results import record_results

__all__ = ["Quiz", "QuizResult", "load_quiz", "SelfAssessment", "load_self_assessment",
           "self_assessment_widget"]


@dataclass(frozen=True)
class QuizResult:
    """Graded quiz: score (correct answers), total and the per-question table."""

    part: int
    score: int
    total: int
    table: pd.DataFrame

    @property
    def share(self) -> float:
        return self.score / self.total if self.total else float("nan")

    def summary(self) -> pd.DataFrame:
        """The graded questions with French headers, as shown to the trainee."""
        return pd.DataFrame({"question": self.table["question"],
                             "votre réponse": self.table["answer"],
                             "résultat": self.table["ok"].map({True: "✅ juste",
                                                               False: "❌ faux"}),
                             "explication": self.table["explanation"]})

    def _repr_html_(self) -> str:
        return (f"<p><strong>Score : {self.score} / {self.total}</strong></p>"
                + self.summary().to_html(index=False))


@dataclass(frozen=True)
class Quiz:
    """The QCM of one part: a table of questions (``id, text, options, correct, explanation``)."""

    part: int
    questions: pd.DataFrame
    kind: str = "quiz"

    def grade(self, answers: dict, *, trainee: str | None = None,
              results_path: str | os.PathLike | None = None,
              record: bool = True) -> QuizResult:
        """Grade ``{question_id: "b"}`` (or a list of letters for multi-answer questions).

        A question left out or answered ``None`` counts as wrong ("sans réponse").
        With ``trainee`` and ``results_path`` (or :func:`creditlab.exercises.session`) one JSON
        line per question is appended, like :func:`creditlab.exercises.check` (the chosen
        letters in ``answer``, for the trainer's common wrong answers); ``record=False`` grades
        without saving (a worked example in a notebook).
        """
        unknown = set(answers) - set(self.questions["id"])
        if unknown:
            raise InputError("answers", f"question ids among {list(self.questions['id'])}",
                             sorted(unknown), "use the ids shown with the questions")
        rows = []
        for q in self.questions.itertuples():    # a quiz has a handful of questions
            given = answers.get(q.id)
            given = [given] if isinstance(given, str) else list(given or ())
            chosen = sorted({str(g).strip().lower() for g in given})
            if set(chosen) - set(q.options):
                raise InputError(f"answers[{q.id!r}]", f"option letters among {list(q.options)}",
                                 given, "answer with the letter of an option")
            ok = bool(chosen) and chosen == sorted(q.correct)
            rows.append({"id": q.id, "question": q.text, "answer": ", ".join(chosen) or "—",
                         "ok": ok, "explanation": q.explanation})
        table = pd.DataFrame(rows)
        res = QuizResult(self.part, int(table["ok"].sum()), len(table), table)
        if record:
            record_results([(r["id"], r["ok"], r["answer"]) for r in rows], part=self.part,
                           kind=self.kind, trainee=trainee, results_path=results_path)
        return res

    def widget(self, *, trainee: str | None = None,
               results_path: str | os.PathLike | None = None, after=None):
        """ipywidgets QCM: radio buttons, a submit button, score and explanations after.

        ``trainee`` and ``results_path`` (or :func:`creditlab.exercises.session`, which sets
        both) export the graded answers for the trainer's view, as :meth:`grade` does.
        ``after(result)``, when given, returns something more to display under the score (the
        final quiz shows the skills validated).
        """
        import ipywidgets as w  # optional: course

        radios = {}
        boxes = []
        for q in self.questions.itertuples():
            r = w.RadioButtons(options=[(f"{k}. {v}", k) for k, v in q.options.items()],
                               value=None, layout=w.Layout(width="auto"))
            radios[q.id] = r
            boxes.append(w.VBox([w.HTML(f"<b>{q.text}</b>"), r]))
        out = w.Output()
        button = w.Button(description="Valider", button_style="primary")

        def submit(_):
            res = self.grade({k: r.value for k, r in radios.items() if r.value is not None},
                             trainee=trainee, results_path=results_path)
            out.clear_output()
            with out:
                from IPython.display import display  # optional: course

                display(res)
                if after is not None:
                    display(after(res))

        button.on_click(submit)
        return w.VBox([*boxes, button, out])


def load_quiz(part: int) -> Quiz:
    """The QCM of a course part (1-6)."""
    qs = pd.DataFrame(_toml("quiz.toml")["question"])
    if part not in set(qs["part"]):
        raise InputError("part", f"one of {sorted(set(qs['part']))}", part,
                         "pass the number of the course part")
    return Quiz(int(part), qs[qs["part"] == part].reset_index(drop=True))


@dataclass(frozen=True)
class SelfAssessment:
    """Autodiagnostic: themes with questions scored 0-3, maturity per theme, recommendations."""

    themes: tuple[dict, ...]
    scale: tuple[str, ...]

    def questions(self) -> pd.DataFrame:
        return pd.DataFrame([{"theme": t["id"], "label": t["label"], "n": i, "question": q}
                             for t in self.themes for i, q in enumerate(t["questions"])])

    def score(self, answers: dict[str, list[int]], *, trainee: str | None = None,
              results_path: str | os.PathLike | None = None) -> pd.DataFrame:
        """Maturity per theme (0-1) from ``{theme_id: [score 0-3 per question]}``.

        Every theme must be answered with one score per question; the recommendation is given
        for themes whose maturity is below 0.5. With ``trainee`` and ``results_path`` (or
        :func:`creditlab.exercises.session`) one line per theme is kept for the trainer's view
        (kind "autodiagnostic", ``ok`` = maturity of at least 0.5, ``answer`` = the scores).
        """
        rows = []
        for t in self.themes:
            vals = answers.get(t["id"])
            if vals is None or len(vals) != len(t["questions"]):
                raise InputError(f"answers[{t['id']!r}]",
                                 f"{len(t['questions'])} scores between 0 and 3", vals,
                                 "answer every question of every theme")
            arr = np.asarray(vals, dtype=float)
            if np.isnan(arr).any() or (arr < 0).any() or (arr > 3).any():
                raise InputError(f"answers[{t['id']!r}]", "scores between 0 and 3", vals,
                                 "use 0 = jamais … 3 = toujours et formalisé")
            m = float(arr.mean() / 3.0)
            rows.append({"theme": t["id"], "label": t["label"], "maturity": m,
                         "recommendation": t["recommendation"] if m < 0.5 else ""})
        table = pd.DataFrame(rows).set_index("theme")
        record_results([(f"auto_{k}", bool(r["maturity"] >= 0.5), list(answers[k]))
                        for k, r in table.iterrows()], part=1, kind="autodiagnostic",
                       trainee=trainee, results_path=results_path)
        return table

    def report(self, scores: pd.DataFrame) -> pd.DataFrame:
        """The scores of :meth:`score` with French headers, weakest theme first."""
        return (scores.sort_values("maturity")
                .rename(columns={"label": "thème", "maturity": "maturité",
                                 "recommendation": "recommandation"})
                .reset_index(drop=True))

    def plot_radar(self, scores: pd.DataFrame, ax=None):
        """Radar chart of the maturity per theme; returns the (polar) Axes."""

        labels = list(scores["label"])
        vals = list(scores["maturity"])
        ang = np.linspace(0, 2 * np.pi, len(vals), endpoint=False).tolist()
        if ax is None:
            _, ax = plt.subplots(figsize=(5, 5), subplot_kw={"projection": "polar"})
        ax.plot(ang + ang[:1], vals + vals[:1], color="#1f4e79")
        ax.fill(ang + ang[:1], vals + vals[:1], color="#1f4e79", alpha=0.25)
        ax.set_xticks(ang)
        ax.set_xticklabels(labels)
        ax.set_ylim(0, 1)
        ax.set_title("Maturité du credit management")
        return ax


def load_self_assessment() -> SelfAssessment:
    d = _toml("selfassessment.toml")
    return SelfAssessment(tuple(d["theme"]), tuple(d["scale"]))


def self_assessment_widget(*, trainee: str | None = None,
                           results_path: str | os.PathLike | None = None):
    """ipywidgets autodiagnostic: a slider per question, results table and radar on submit
    (kept for the trainer's view like :meth:`SelfAssessment.score`)."""
    import ipywidgets as w  # optional: course

    sa = load_self_assessment()
    sliders: dict[str, list] = {}
    boxes = []
    for t in sa.themes:
        sliders[t["id"]] = [w.SelectionSlider(options=[(lab, i) for i, lab in
                                                       enumerate(sa.scale)],
                                              value=1, description="",
                                              layout=w.Layout(width="300px"))
                            for _ in t["questions"]]
        boxes.append(w.HTML(f"<h4>{t['label']}</h4>"))
        boxes += [w.HBox([s, w.Label(q)]) for s, q in zip(sliders[t["id"]], t["questions"],
                                                           strict=True)]
    out = w.Output()
    button = w.Button(description="Voir mon diagnostic", button_style="primary")

    def submit(_):
        scores = sa.score({k: [s.value for s in v] for k, v in sliders.items()},
                          trainee=trainee, results_path=results_path)
        out.clear_output()
        with out:
            from IPython.display import display  # optional: course

            display(sa.report(scores).style.format({"maturité": "{:.0%}"}))
            sa.plot_radar(scores)
            plt.show()

    button.on_click(submit)
    return w.VBox([*boxes, button, out])
