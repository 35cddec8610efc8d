"""The trainer kit: timetable (14 h, from the notebooks' durations), handouts without code, slides."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from creditlab.cli import main
from creditlab.exceptions import InputError
from creditlab.kit import HALF_DAY_MINUTES, build_kit, notebook_info, timetable

ROOT = Path(__file__).resolve().parents[2]
COURSE = sorted(p for p in (ROOT / "notebooks").glob("*.ipynb") if p.stem != "trainer_view")
EXERCISES = sorted((ROOT / "exercises").glob("*.ipynb"))


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    out = tmp_path_factory.mktemp("formateur")
    assert main(["kit", str(out)]) == 0
    return out


def test_timetable_is_two_days_of_14_hours(kit):
    with (kit / "emploi_du_temps.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert sum(int(r["minutes"]) for r in rows) == 14 * 60
    for day in ("Jour 1", "Jour 2"):
        assert sum(int(r["minutes"]) for r in rows if r["jour"] == day) == 7 * 60
    text = (kit / "emploi_du_temps.md").read_text(encoding="utf-8")
    assert "**14 h 00**" in text
    assert "12:30 – 13:30" not in text  # lunch is not a session
    for kind in ("Questionnaire de positionnement", "QCM", "Jeu de rôle", "Cas pratiques",
                 "plan d'action personnel", "évaluation à chaud"):
        assert kind in text


def test_every_course_notebook_and_exercise_is_in_the_timetable_with_its_own_duration():
    sessions = timetable()
    by_material = {s.material: s for s in sessions}
    for path in COURSE:
        if path.stem.startswith("03_"):  # analyst track: a demonstration in the trainee course
            continue
        rel = f"notebooks/{path.name}"
        assert by_material[rel].minutes == notebook_info(path)[1], rel
    for path in EXERCISES:
        if not path.stem.startswith("part3"):
            assert f"exercises/{path.name}" in by_material, path.name
    # sessions follow one another without gaps within each half-day
    for a, b in zip(sessions, sessions[1:], strict=False):
        if (a.day, a.half) == (b.day, b.half):
            assert b.start == a.start + a.minutes


def test_every_notebook_has_a_handout_without_code_and_slides(kit):
    for path in COURSE + EXERCISES:
        html = (kit / "supports" / f"{path.stem}.html").read_text(encoding="utf-8")
        title = notebook_info(path)[0] if path in COURSE else None
        assert "import creditlab" not in html and "from creditlab" not in html, path.name
        if title:
            assert title.split(" — ")[0] in html
    for path in COURSE:
        slides = (kit / "diapositives" / f"{path.stem}.slides.html").read_text(encoding="utf-8")
        assert "reveal" in slides and "<section" in slides
        assert "import creditlab" not in slides
    index = (kit / "README.md").read_text(encoding="utf-8")
    assert "emploi_du_temps.md" in index
    assert all(f"supports/{p.stem}.html" in index for p in COURSE + EXERCISES)


def _notebook(path: Path, markdown: str) -> Path:
    path.write_text(json.dumps({"cells": [{"cell_type": "markdown", "metadata": {},
                                           "source": [markdown]}],
                                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}),
                    encoding="utf-8")
    return path


def test_notebook_info_reads_the_duration_or_the_upper_bound(tmp_path):
    assert notebook_info(_notebook(tmp_path / "a.ipynb", "# Partie A\n\n**Durée** : 35 minutes.")) \
        == ("Partie A", 35)
    assert notebook_info(_notebook(tmp_path / "b.ipynb", "# B\n\n**Objectifs** (30 à 60 minutes)")) \
        == ("B", 60)
    with pytest.raises(InputError, match="duration"):
        notebook_info(_notebook(tmp_path / "c.ipynb", "# C\n\nsans durée"))


def test_a_half_day_that_overflows_is_refused(tmp_path):
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    _notebook(tmp_path / "notebooks" / "02_solvabilite.ipynb",
              f"# Partie 2\n\n**Durée** : {HALF_DAY_MINUTES} minutes.")
    with pytest.raises(InputError, match="après-midi"):
        timetable(tmp_path)
    built = build_kit(tmp_path / "out", documents=False)  # the real course fits
    assert sum(s.minutes for s in built["timetable"]) == 14 * 60
    assert (tmp_path / "out" / "emploi_du_temps.md").is_file()
    assert not (tmp_path / "out" / "supports").exists()


def test_handouts_are_printed_to_pdf_when_chromium_is_there(kit):
    from creditlab.documents import find_browser, pdf_page_count

    if find_browser() is None:
        pytest.skip("no headless Chromium on this machine (Debian: apt-get install chromium): "
                    "the kit is built without PDF handouts")
    index = (kit / "README.md").read_text(encoding="utf-8")
    for path in COURSE + EXERCISES:
        pdf = kit / "supports" / f"{path.stem}.pdf"
        assert pdf.read_bytes()[:5] == b"%PDF-" and pdf_page_count(pdf) >= 1, path.name
        assert f"supports/{path.stem}.pdf" in index


def test_without_chromium_the_kit_says_why_there_is_no_pdf(tmp_path, monkeypatch, capsys):
    import creditlab.documents

    monkeypatch.setattr(creditlab.documents, "find_browser", lambda: None)
    src = tmp_path / "course"
    (src / "notebooks").mkdir(parents=True)
    (src / "exercises").mkdir()
    for path in COURSE:
        shutil.copy(path, src / "notebooks" / path.name)
    built = build_kit(tmp_path / "out", source=src)
    assert built["handouts"] and built["pdfs"] == []
    assert "Chromium absent" in built["pdf_skipped"]
    assert not list((tmp_path / "out" / "supports").glob("*.pdf"))


def test_the_analyst_track_is_presented_apart(kit):
    from creditlab.kit import ANALYST_TRACK

    assert all((ROOT / a).is_file() for a in ANALYST_TRACK)
    sessions = timetable()
    # the group never runs an analyst notebook in a workshop: part 3 is a demonstration
    assert not [s for s in sessions if s.material in ANALYST_TRACK]
    (demo,) = [s for s in sessions if s.part == "3"]
    assert demo.kind == "Démonstration" and "parcours analyste" in demo.title
    index = (kit / "README.md").read_text(encoding="utf-8")
    assert "Deux parcours" in index and "parcours analyste" in index
    assert "03_calibration_score.pdf)) — parcours analyste" in index or \
        "03_calibration_score.html) — parcours analyste" in index
