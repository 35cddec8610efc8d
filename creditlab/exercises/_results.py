"""Trainees' results for the trainer's view: one JSON line per checked answer.

:func:`session` sets who is answering and where results go; :func:`record_results` appends;
:func:`load_results` and :func:`latest_results` read a folder of results files back.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from datetime import datetime
from pathlib import Path

import pandas as pd

from creditlab.exceptions import InputError

__all__ = ["record_results", "session", "load_results", "latest_results", "trainee_slug"]

_NAME = re.compile(r"[\w .'’-]+")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o",
                            "Ø": "O"})


def trainee_slug(name: str) -> str:
    """The file name stem of a trainee's results: ``"Zoé N'Diaye"`` → ``"zoe-n-diaye"``.

    Accents are dropped, letters lowercased, every run of other characters becomes one ``-``;
    the same stem names the trainee's folder on the room server (``ROOM/trainees/<slug>/``).
    """
    ascii_name = unicodedata.normalize("NFKD", str(name).translate(_LIGATURES)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


def _jsonable(answer):
    """The answer as stored: numbers and strings as they are, anything else as text."""
    if answer is None or isinstance(answer, bool | int | float | str):
        return answer if not (isinstance(answer, float) and answer != answer) else None
    if isinstance(answer, dict | list | tuple):
        return json.loads(json.dumps(answer, ensure_ascii=False, default=str))
    return str(answer)


def record_results(outcomes, *, part: int, kind: str, trainee: str | None = None,
                   results_path: str | os.PathLike | None = None) -> Path | None:
    """Append ``(exercise_id, ok)`` or ``(exercise_id, ok, answer)`` outcomes to the trainee's
    results file (one JSON line each: ``trainee, exercise_id, part, ok, timestamp, kind`` and
    ``answer`` when given: what the trainee typed or wrote, kept for the trainer's view).

    ``trainee`` and ``results_path`` default to those set by :func:`session`; without both,
    nothing is written. Returns the file written, or None.
    """
    path = results_path or os.environ.get("CREDITLAB_RESULTS")
    trainee = trainee or os.environ.get("CREDITLAB_TRAINEE")
    if not (path and trainee):
        return None
    now = datetime.now().isoformat(timespec="seconds")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with Path(path).open("a", encoding="utf-8") as f:
        for exercise_id, ok, *answer in outcomes:
            row = {"trainee": trainee, "exercise_id": exercise_id, "part": part, "ok": ok,
                   "timestamp": now, "kind": kind}
            if answer:
                row["answer"] = _jsonable(answer[0])
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return Path(path)


def session(trainee: str | None, folder: str | os.PathLike = "resultats") -> Path | None:
    """Record this trainee's checks and quizzes in ``folder/<slug>.jsonl`` from now on.

    ``trainee`` is the name as the trainee writes it, spaces and accents included
    (``session("Marie Claire")``, ``session("Zoé N'Diaye")``): it is kept as written in every
    line, and the file is named by :func:`trainee_slug` (``marie-claire.jsonl``,
    ``zoe-n-diaye.jsonl``). Sets ``CREDITLAB_TRAINEE`` and ``CREDITLAB_RESULTS`` for this Python
    session, so that :func:`check` and :meth:`creditlab.quiz.Quiz.grade` (and its widget) export
    without extra arguments. ``session(None)`` records nothing (the default in the course
    notebooks), except on the training-room server (``creditlab room``), where it keeps the
    trainee's login. Returns the results file, or None.

    Raises
    ------
    InputError
        A name that is empty or holds characters other than letters, digits, spaces, ``'``,
        ``.``, ``-``, ``_`` (a path such as ``../x`` is refused); the message is in French.
    """
    if trainee is None:   # stop recording (an earlier session of this kernel included) ...
        for key in ("TRAINEE", "RESULTS"):   # ... except the login of the room server
            os.environ.pop(f"CREDITLAB_{key}", None)
            if os.environ.get(f"CREDITLAB_ROOM_{key}"):   # set by creditlab.room
                os.environ[f"CREDITLAB_{key}"] = os.environ[f"CREDITLAB_ROOM_{key}"]
        return Path(os.environ["CREDITLAB_RESULTS"]) if "CREDITLAB_RESULTS" in os.environ else None
    name = " ".join(str(trainee).split())
    if not name or not _NAME.fullmatch(name) or not trainee_slug(name):
        raise InputError("trainee", "un prénom (et un nom) : lettres, chiffres, espaces, "
                         "apostrophe, '.', '-' ou '_'", trainee,
                         'écrivez par exemple session("Marie Claire") ou session("alice")')
    Path(folder).mkdir(parents=True, exist_ok=True)
    path = (Path(folder) / f"{trainee_slug(name)}.jsonl").resolve()   # absolute: chdir-proof
    os.environ["CREDITLAB_TRAINEE"] = name
    os.environ["CREDITLAB_RESULTS"] = str(path)
    return path


def load_results(folder: str | os.PathLike) -> pd.DataFrame:
    """Every ``*.jsonl`` results file of a folder as one table (the trainer's view).

    Columns ``trainee, exercise_id, part, ok, timestamp, kind`` (``kind`` is "exercise" for
    lines written before it was recorded). Every attempt is kept: see :func:`latest_results`.
    """
    files = sorted(Path(folder).glob("*.jsonl"))
    if not files:
        raise InputError("folder", "a folder holding *.jsonl results files", str(folder),
                         "point to the folder where trainees' results were exported")
    rows = []
    for f in files:
        for n, line in enumerate(f.read_text("utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                raise InputError(f"{f.name} line {n}", "one JSON object per line",
                                 line[:80], "remove or fix the damaged line") from None
            missing = {"trainee", "exercise_id", "part", "ok"} - set(rec)
            if missing:
                raise InputError(f"{f.name} line {n}", "keys trainee, exercise_id, part, ok",
                                 sorted(missing), "export results with creditlab.exercises."
                                 "check(..., trainee=...) or Quiz.grade(..., trainee=...)")
            rows.append(rec)
    table = pd.DataFrame(rows)
    if "kind" not in table:
        table["kind"] = "exercise"
    table["kind"] = table["kind"].fillna("exercise")
    if "timestamp" not in table:
        table["timestamp"] = ""
    return table


def latest_results(results: pd.DataFrame) -> pd.DataFrame:
    """Keep the last attempt of each trainee at each exercise or question.

    A trainee who fails, reads the hint and succeeds has both lines in the export; the group's
    standing is the final answer. Order: timestamp, then file order for equal timestamps.
    """
    ordered = results.reset_index(drop=True)
    ordered = ordered.assign(_order=range(len(ordered))).sort_values(["timestamp", "_order"],
                                                                       kind="stable")
    last = ordered.drop_duplicates(["trainee", "kind", "exercise_id"], keep="last")
    return last.sort_values("_order").drop(columns="_order").reset_index(drop=True)
