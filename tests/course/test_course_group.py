"""The trainer's view on a real group: any subset of parts, damaged files, late joiners, names
with spaces and accents, folders of trainee folders (room server layout) or flat folders."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

import creditlab.exercises as E
from creditlab.exceptions import InputError
from creditlab.exercises import collect, session, trainee_slug
from creditlab.quiz import load_quiz

PAYLOAD = "<img src=x onerror=alert(1)>"


def _write(path: Path, rows: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")
    return path


def _line(trainee, item, part, ok, ts="2026-03-02T10:00:00", kind="exercise", answer=None):
    row = {"trainee": trainee, "exercise_id": item, "part": part, "ok": ok, "timestamp": ts,
           "kind": kind}
    if answer is not None:
        row["answer"] = answer
    return row


@pytest.fixture
def room(tmp_path):
    """A room at the end of day 1: two trainees did only part 1, one also part 2 (on two
    notebooks folders), a late joiner only part 2, one damaged file, one empty file."""
    t = tmp_path / "trainees"
    _write(t / "marie-claire" / "exercises" / "resultats" / "marie-claire.jsonl", [
        _line("Marie Claire", "p1_cout_credit", 1, False, answer="9 000"),
        _line("Marie Claire", "p1_cout_credit", 1, True, ts="2026-03-02T10:05:00",
              answer="9 863,01"),
        _line("Marie Claire", "p1_jour_dso", 1, False, answer="100"),
        _line("Marie Claire", "q1_1", 1, False, kind="quiz", answer="a")])
    _write(t / "zoe-n-diaye" / "exercises" / "resultats" / "zoe-n-diaye.jsonl", [
        _line("Zoé  N'Diaye", "p1_cout_credit", 1, True, answer="9863"),
        _line("Zoé N'Diaye", "p1_jour_dso", 1, False, answer="100"),
        _line("Zoé N'Diaye", "q1_1", 1, True, kind="quiz", answer="b")])
    # the same trainee also answered in the course notebooks' folder
    _write(t / "zoe-n-diaye" / "notebooks" / "resultats" / "zoe-n-diaye.jsonl", [
        _line("Zoé N'Diaye", "p2_limite", 2, True, answer="50 000")])
    # late joiner: arrived for part 2
    _write(t / "luc" / "exercises" / "resultats" / "luc.jsonl", [
        _line("Luc", "p2_limite", 2, False, ts="2026-03-02T15:00:00", answer="100")])
    # damaged: one good line, one broken line, one line without its keys, a bad ok
    (t / "eve" / "exercises" / "resultats").mkdir(parents=True)
    (t / "eve" / "exercises" / "resultats" / "eve.jsonl").write_text(
        json.dumps(_line("Eve", "p1_jour_dso", 1, True)) + "\n{pas du json\n"
        + json.dumps({"trainee": "Eve"}) + "\n"
        + json.dumps(_line("Eve", "p1_cout_credit", 1, "oui")) + "\n", encoding="utf-8")
    (t / "paul" / "resultats").mkdir(parents=True)
    (t / "paul" / "resultats" / "paul.jsonl").write_text("", encoding="utf-8")
    (t / "bin").mkdir()
    (t / "bin" / "bin.jsonl").write_bytes(b"\xff\xfe\x00garbage")
    # each trainee's copy of the course holds the example group: not the trainee's work
    _write(t / "luc" / "datasets" / "course_results_example" / "alice.jsonl",
           [_line("alice", "p1_jour_dso", 1, True)])
    # a checkpoint copy is not read twice
    _write(t / "luc" / "exercises" / ".ipynb_checkpoints" / "luc.jsonl",
           [_line("Luc", "p2_limite", 2, True)])
    return tmp_path


def test_a_group_that_only_did_part_1_and_a_late_joiner(room):
    g = collect(room)
    assert set(g.trainees.index) == {"Marie Claire", "Zoé N'Diaye", "Luc", "Eve"}
    by_part = g.by_part()
    assert list(by_part.columns) == ["1. Enjeux", "2. Solvabilité"]
    # Marie Claire: last attempts p1_cout_credit ok, p1_jour_dso wrong, q1_1 wrong → 1/3
    assert by_part.loc["Marie Claire", "1. Enjeux"] == pytest.approx(1 / 3)
    assert math.isnan(by_part.loc["Marie Claire", "2. Solvabilité"])   # not reached: not 0
    assert math.isnan(by_part.loc["Luc", "1. Enjeux"])                 # late joiner
    assert by_part.loc["Luc", "2. Solvabilité"] == 0
    # Zoé's two files are one trainee (spaces in the name collapsed)
    assert g.by_part().loc["Zoé N'Diaye"].tolist() == [pytest.approx(2 / 3), 1.0]
    assert g.trainees.loc["Zoé N'Diaye", "parties commencées"] == "1, 2"
    group = g.group_by_part()
    assert group.loc["1. Enjeux", "stagiaires"] == 3
    assert group.loc["2. Solvabilité", "stagiaires"] == 2
    assert group.loc["2. Solvabilité", "ensemble"] == 0.5
    # 3 (Marie Claire) + 3 (Zoé) + 1 (Eve) part-1 answers, 4 right
    assert group.loc["1. Enjeux", "ensemble"] == pytest.approx(4 / 7)


def test_damaged_files_are_named_skipped_and_do_not_stop_the_view(room):
    g = collect(room)
    problems = g.problems
    by_file = problems.groupby("fichier")["ligne"].apply(list).to_dict()
    assert by_file["trainees/eve/exercises/resultats/eve.jsonl"] == [2, 3, 4]
    assert "trainees/paul/resultats/paul.jsonl" in by_file     # empty file named
    assert "trainees/bin/bin.jsonl" in by_file                 # not UTF-8
    assert problems["problème"].str.contains("JSON").any()
    assert problems["problème"].str.contains("clé").any()
    assert not any(".ipynb_checkpoints" in f for f in problems["fichier"])
    assert "problème(s) de lecture" in g.message()
    # Eve's good line is kept
    assert g.by_part().loc["Eve", "1. Enjeux"] == 1.0


def test_the_room_folder_the_trainees_folder_and_a_flat_folder_read_the_same(room, tmp_path):
    a = collect(room)
    b = collect(room / "trainees")
    assert a.latest[["trainee", "exercise_id", "ok"]].equals(b.latest[["trainee", "exercise_id", "ok"]])
    flat = tmp_path / "flat"
    flat.mkdir()
    for f in (room / "trainees").rglob("*.jsonl"):
        if not {".ipynb_checkpoints", "datasets"} & set(f.parts) and f.parent.parent.name != "notebooks":
            (flat / f"{f.parent.parent.parent.name}-{f.name}").write_bytes(f.read_bytes())
    assert set(collect(flat).trainees.index) == {"Marie Claire", "Zoé N'Diaye", "Luc", "Eve"}


def test_common_wrong_answers_and_items_to_review(room):
    g = collect(room)
    wrong = g.wrong_answers()
    top = wrong.iloc[0]
    assert (top["code"], top["réponse"], top["stagiaires"]) == ("p1_jour_dso", "100", 2)
    # Marie Claire's first wrong attempt at p1_cout_credit is superseded by her right answer
    assert "9 000" not in set(wrong["réponse"])
    review = g.to_review()
    assert list(review["code"]) == ["p1_jour_dso"]    # p2_limite and q1_1: 1 of 2
    assert review.loc[review["code"] == "p1_jour_dso", "réussite"].item() == pytest.approx(1 / 3)
    assert review["intitulé"].notna().all() and not (review["intitulé"] == review["code"]).any()


def test_an_empty_or_missing_folder(tmp_path):
    g = collect(tmp_path)
    assert g.attempts.empty and g.by_part().empty and g.wrong_answers().empty
    assert g.message().startswith("Aucun résultat")
    assert "session" in g.problems["problème"].iloc[0]
    assert g.skills()["avant"].isna().all()
    with pytest.raises(InputError, match="dossier"):
        collect(tmp_path / "absent")


def test_trainee_text_is_escaped_in_the_html(tmp_path):
    _write(tmp_path / "x.jsonl", [_line(PAYLOAD, "p1_jour_dso", 1, False, answer=PAYLOAD),
                                  _line(PAYLOAD, "commentaire", 0, None, kind="positionnement",
                                        answer=PAYLOAD)])
    g = collect(tmp_path)
    pages = [g._repr_html_(),
             E.group.styled(g.by_part(), percent=list(g.by_part().columns)).to_html(),
             E.group.styled(g.wrong_answers()).to_html(),
             E.group.styled(g.comments()).to_html()]
    for page in pages:
        assert "<img src=x" not in page
    assert any("&lt;img src=x onerror=alert(1)&gt;" in p for p in pages[1:])


@pytest.mark.parametrize(("name", "slug"), [("Marie Claire", "marie-claire"),
                                            ("Zoé N'Diaye", "zoe-n-diaye"),
                                            ("  Émile   Dupont-Ætt ", "emile-dupont-aett"),
                                            ("alice", "alice")])
def test_session_accepts_names_with_spaces_and_accents(tmp_path, monkeypatch, name, slug):
    monkeypatch.setenv("CREDITLAB_TRAINEE", "")
    monkeypatch.setenv("CREDITLAB_RESULTS", "")
    path = session(name, tmp_path)
    try:
        assert path == tmp_path / f"{slug}.jsonl" and trainee_slug(name) == slug
        E.check("p1_jour_dso", 164.38)
        load_quiz(1).grade({"q1_1": "b"})
    finally:
        session(None)
    g = collect(tmp_path)
    assert list(g.trainees.index) == [" ".join(name.split())]
    quiz = g.latest[g.latest["kind"] == "quiz"].set_index("exercise_id")["answer"]
    assert quiz["q1_1"] == "b" and quiz["q1_2"] == "—"     # QCM answers are kept now


@pytest.mark.parametrize("bad", ["../../etc/x", "a/b", "", "   ", "<b>", "--"])
def test_session_refuses_paths_and_empty_names_in_french(tmp_path, bad):
    with pytest.raises(InputError, match="prénom") as err:
        session(bad, tmp_path)
    assert "session(" in str(err.value)
    assert not list(tmp_path.iterdir())


def test_the_trainer_view_notebook_runs_on_a_real_group(room):
    """The notebook that crashed on a group that only did part 1 (issue 16) now runs on one,
    with a damaged file, a late joiner and questionnaires."""
    import nbformat
    from nbclient import NotebookClient

    from creditlab.exercises import evaluation as ev

    ids = list(ev.skills().index)
    path = room / "trainees" / "marie-claire" / "notebooks" / "resultats" / "marie-claire.jsonl"
    ev.positioning(dict.fromkeys(ids, 2), PAYLOAD, trainee="Marie Claire", results_path=path)
    root = Path(__file__).resolve().parents[2]
    nb = nbformat.read(root / "notebooks" / "trainer_view.ipynb", as_version=4)
    assert "parameters" in nb.cells[1].metadata["tags"]
    nb.cells[1].source = f"dossier = {str(room)!r}"
    NotebookClient(nb, timeout=300, resources={"metadata": {"path": str(root / "notebooks")}}
                   ).execute()
    outputs = [out for cell in nb.cells for out in cell.get("outputs", [])]
    assert not [o for o in outputs if o["output_type"] == "error"]
    html = "".join(o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {}))
    text = "".join(o.get("text", "") for o in outputs)
    assert "4 stagiaire(s)" in text and "problème(s) de lecture" in text
    assert "Marie Claire" in html and "eve.jsonl" in html
    assert "&lt;img src=x" in html and "<img src=x" not in html


def test_the_example_group_inside_a_trainees_course_copy_is_not_read(room):
    g = collect(room)
    assert "alice" not in set(g.attempts["trainee"])
    assert not g.attempts["source"].str.contains("datasets/").any()
