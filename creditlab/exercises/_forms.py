"""A questionnaire form for the notebooks: ratings 1-5, choices, free texts, one button.

:class:`Form` shows the items as ipywidgets (a row of 1-5 buttons per rated item, a check box
per choice, a text area per free text) and calls its ``on_submit`` with what the trainee
entered; :meth:`Form.submit` does the same without a browser (tests, or a trainee who prefers
typing a dict). Errors of the trainee (an item left unrated) are shown in French under the
button, never as a traceback.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from creditlab.exceptions import InputError

__all__ = ["Form"]


class Form:
    """A questionnaire: ``ratings`` and ``choices`` are ``(id, label)`` pairs, ``texts`` too.

    ``on_submit(ratings, choices, texts)`` receives ``{id: 1-5 or None}``, the list of chosen
    ids and ``{id: text}``; what it returns is kept in :attr:`result` and displayed.
    """

    def __init__(self, title: str, *, on_submit: Callable, button: str,
                 ratings: Sequence[tuple[str, str]] = (), scale: dict | None = None,
                 choices: Sequence[tuple[str, str]] = (), texts: Sequence[tuple[str, str]] = (),
                 show: Callable | None = None):
        self.title, self.on_submit, self.show = title, on_submit, show
        self.ratings, self.choices, self.texts = list(ratings), list(choices), list(texts)
        self.scale = scale or {}
        self.result = None
        self.error: str | None = None
        self.widget = None
        try:
            import ipywidgets as w  # optional: course
        except ImportError:  # pragma: no cover - ipywidgets comes with the course extra
            return
        legend = " · ".join(f"{k} = {v}" for k, v in self.scale.items())
        parts = [w.HTML(f"<h4>{html.escape(title)}</h4>"
                        + (f"<small>{html.escape(legend)}</small>" if legend else ""))]
        self._rate = {}
        for key, label in self.ratings:
            self._rate[key] = w.ToggleButtons(options=[(str(k), k) for k in self.scale] or
                                              [(str(k), k) for k in range(1, 6)], value=None,
                                              style={"button_width": "34px"})
            parts.append(w.HBox([self._rate[key], w.HTML(html.escape(label))]))
        self._check = {key: w.Checkbox(value=False, description=label, indent=False,
                                       layout=w.Layout(width="auto"))
                       for key, label in self.choices}
        parts += list(self._check.values())
        self._text = {}
        for key, label in self.texts:
            self._text[key] = w.Textarea(placeholder="écrivez ici", layout=w.Layout(width="90%"))
            parts += [w.HTML(f"<b>{html.escape(label)}</b>"), self._text[key]]
        send = w.Button(description=button, button_style="primary",
                        layout=w.Layout(width="auto"))
        self._out = w.Output()
        send.on_click(lambda _: self.submit(
            {k: b.value for k, b in self._rate.items()},
            [k for k, c in self._check.items() if c.value],
            {k: t.value for k, t in self._text.items()}))
        self.widget = w.VBox([*parts, send, self._out])

    def submit(self, ratings: dict | None = None, choices: Sequence[str] = (),
               texts: dict | None = None):
        """Submit answers as if entered in the form; returns the result (None on an error,
        whose French message is in :attr:`error`)."""
        self.error = None
        try:
            self.result = self.on_submit(dict(ratings or {}), list(choices), dict(texts or {}))
        except InputError as err:
            self.result = None
            got = f" (ici : {err.got})" if err.got not in (None, "") else ""
            self.error = f"⚠️ Attendu : {err.expected}{got}. {err.fix or ''}".strip()
        if self.widget is not None:
            from IPython.display import HTML, display  # optional: course

            self._out.clear_output()
            with self._out:
                if self.error:
                    display(HTML(f"<p style='color:#c00000'>{html.escape(self.error)}</p>"))
                elif self.show is not None:
                    self.show(self.result)
                else:
                    display(self.result)
        return self.result

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(label)}</li>"
                        for _, label in self.ratings + self.choices + self.texts)
        return f"<h4>{html.escape(self.title)}</h4><ul>{items}</ul>"

    def _ipython_display_(self):  # pragma: no cover - notebook display
        from IPython.display import HTML, display  # optional: course

        display(self.widget if self.widget is not None else HTML(self._repr_html_()))
