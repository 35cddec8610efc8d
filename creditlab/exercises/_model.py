"""The data of a practical case (:class:`Exercise`), its classic wrong answers (:class:`Trap`)
and the feedback a check returns (:class:`Feedback`)."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["Exercise", "Feedback", "Trap"]


@dataclass(frozen=True)
class Trap:
    """A classic wrong answer of one exercise, recomputed from the exercise data.

    ``solve(data)`` computes what a trainee making this mistake finds (e.g. the same formula
    on 360 days instead of 365); when the answer matches it within the exercise tolerance, the
    feedback gives ``hint``, which names the mistake and never the expected value.
    """

    solve: Callable[[dict], float]
    hint: str


@dataclass(frozen=True)
class Exercise:
    """One practical case: statement, data, how to compute the answer, tolerance and hint.

    ``tolerance`` is absolute for a number (in the exercise unit) and in percentage points for
    a percent; it is stated with the question (:func:`creditlab.exercises.question`).
    ``traps`` are the classic wrong answers recognised by recomputing them.
    """

    id: str
    part: int
    title: str
    statement: str
    data: dict
    solve: Callable[[dict], object]
    kind: str = "number"          # number | percent | date | choice | text
    tolerance: float = 0.01       # absolute (number), in percentage points (percent)
    hint: str = ""
    unit: str = ""
    choices: dict = field(default_factory=dict)
    model_answer: str = ""        # worked answer shown once the trainee got it right
    traps: tuple[Trap, ...] = ()
    tolerance_note: str = ""      # the tolerance in words when it is relative ("à 0,5 % près")


@dataclass(frozen=True)
class Feedback:
    """Result of a check: ``ok`` is True, False or None (not answered yet).

    ``reading`` says how a typed answer was read (e.g. "20.000" read as 20 000) when that was
    not obvious, so the trainee can correct a typing slip rather than the method.
    """

    exercise_id: str
    ok: bool | None
    message: str
    hint: str = ""
    reading: str = ""

    def __bool__(self) -> bool:
        return bool(self.ok)

    def __str__(self) -> str:
        read = f"ℹ️ {self.reading}\n" if self.reading else ""
        return read + self.message + (f"\n💡 Indice : {self.hint}" if self.hint else "")

    def _repr_html_(self) -> str:
        color = {True: "#1b7f3b", False: "#b3261e", None: "#6b6b6b"}[self.ok]
        hint = f"<br><em>Indice : {html.escape(self.hint)}</em>" if self.hint else ""
        read = f"<small>{html.escape(self.reading)}</small><br>" if self.reading else ""
        message = html.escape(self.message).replace("\n", "<br>")
        return (f'<div style="border-left:4px solid {color};padding:4px 10px">{read}'
                f"<strong>{self.exercise_id}</strong> — {message}{hint}</div>")

    def __repr__(self) -> str:
        return str(self)
