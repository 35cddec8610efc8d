"""The answer field of an exercise: the question, a text box, a « Vérifier » button and the
feedback, so that a trainee types an answer as on paper instead of Python syntax."""

from __future__ import annotations

import html
import os

from creditlab.exercises._check import HOW_TO_ANSWER, check, exercise, question

__all__ = ["answer_field", "AnswerField"]


class AnswerField:
    """An exercise's question with its answer box (ipywidgets).

    ``submit(text)`` checks ``text`` as if typed and clicked (returns the Feedback; also used by
    the button); ``widget`` is the ipywidgets box; ``feedback`` the last feedback (None before
    the first answer). Without ipywidgets, the question is still shown and
    ``check("id", "1 234,5")`` does the same.
    """

    def __init__(self, exercise_id: str, *, trainee: str | None = None,
                 results_path: str | os.PathLike | None = None, show_question: bool = True):
        self.exercise = exercise(exercise_id)
        self.trainee, self.results_path = trainee, results_path
        self.feedback = None
        self.show_question = show_question
        self.widget = None
        try:
            import ipywidgets as w  # optional: course
        except ImportError:  # pragma: no cover - ipywidgets is a dependency of the course
            return
        self._box = w.Text(placeholder="votre réponse, ex. 1 234,5", description="Réponse :",
                           layout=w.Layout(width="360px"))
        button = w.Button(description="Vérifier", button_style="primary")
        self._out = w.HTML()
        button.on_click(lambda _: self.submit(self._box.value))
        parts = []
        if show_question:
            parts.append(w.HTML(self._question_html()))
        parts += [w.HBox([self._box, button]), self._out]
        self.widget = w.VBox(parts)

    def _question_html(self) -> str:
        text = html.escape(question(self.exercise.id)).replace("\n", "<br>")
        return (f"<div><b>{self.exercise.id}</b> — {text}<br><small>{html.escape(HOW_TO_ANSWER)}"
                "</small></div>")

    def submit(self, text):
        """Check ``text`` (what the trainee typed) and show the feedback."""
        answer = None if isinstance(text, str) and not text.strip() else text
        self.feedback = check(self.exercise.id, answer, trainee=self.trainee,
                              results_path=self.results_path)
        if self.widget is not None:
            self._out.value = self.feedback._repr_html_()
        return self.feedback

    def __str__(self) -> str:
        return question(self.exercise.id) + "\n\n" + HOW_TO_ANSWER

    def _repr_html_(self) -> str:
        return self._question_html()

    def _ipython_display_(self):  # pragma: no cover - notebook display
        from IPython.display import HTML, display  # optional: course

        if self.widget is None:
            display(HTML(self._question_html()))
        else:
            display(self.widget)


def answer_field(exercise_id: str, *, trainee: str | None = None,
                 results_path: str | os.PathLike | None = None,
                 show_question: bool = True) -> AnswerField:
    """The question of an exercise with an answer box and a « Vérifier » button.

    The trainee types the answer as on paper ("1 234,56", "12 500 €", "4,5 %", "31/12/2025", "b");
    the feedback appears under the box, and is recorded like :func:`check` (``session``).
    """
    return AnswerField(exercise_id, trainee=trainee, results_path=results_path,
                       show_question=show_question)
