"""The e-mail-ready summary written beside each report: figures, changes since the previous
run, decisions, files; data escaped."""

from __future__ import annotations

import dataclasses
import json

import pytest

from creditlab.reports import load_inputs
from creditlab.reports.emails import Figure, aged_email, dunning_email, write_email


def test_second_run_shows_the_changes_since_the_first(tmp_path):
    out = tmp_path / "rapport"
    out.mkdir()
    (out / "plan.csv").write_text("x", encoding="utf-8")
    (out / "lettres").mkdir()
    (out / "lettres" / "a.html").write_text("x", encoding="utf-8")
    first = write_email(out, "dunning", "2026-11-01",
                        [Figure("email_fig_total", 1_196_285.0),
                         Figure("email_fig_share_past_due", 0.20, "pct"),
                         Figure("email_fig_actions", 10, "count")], [])
    text1 = first["text"].read_text(encoding="utf-8")
    assert "Encours : 1\u202f196\u202f285,00\xa0€\n" in text1
    assert "première exécution" in text1 and "rien à décider aujourd'hui" in text1
    assert json.loads(first["summary"].read_text())["as_of"] == "2026-11-01"
    second = write_email(out, "dunning", "2026-12-01",
                         [Figure("email_fig_total", 1_234_567.89),
                          Figure("email_fig_share_past_due", 0.215, "pct"),
                          Figure("email_fig_actions", 7, "count")],
                         ["2 lettres à signer <b>Dupont</b>"])
    text2 = second["text"].read_text(encoding="utf-8")
    # 1 234 567,89 / 1 196 285 - 1 = +3,2 %
    assert ("Encours : 1\u202f234\u202f567,89\xa0€ (+3,2\xa0% depuis le 01/11/2026)"
            in text2)
    assert "Part échue : 21,5\xa0% (+1,5 pt depuis le 01/11/2026)" in text2
    assert "Actions du jour : 7 (−3 depuis le 01/11/2026)" in text2
    assert "- dunning.html\n" in text2 and "- plan.csv\n" in text2
    assert "- lettres/ (1 fichiers)" in text2 and "summary.json" not in text2
    html = second["html"].read_text(encoding="utf-8")
    assert "<li>2 lettres à signer &lt;b&gt;Dupont&lt;/b&gt;</li>" in html
    assert "<b>Dupont" not in html


def test_previous_run_found_in_the_published_folder(tmp_path):
    published, staged = tmp_path / "aged_balance", tmp_path / ".aged_balance.tmp-x"
    published.mkdir()
    staged.mkdir()
    write_email(published, "aged_balance", "2026-10-31", [Figure("email_fig_total", 100.0)], [])
    text = write_email(staged, "aged_balance", "2026-11-30",
                       [Figure("email_fig_total", 110.0)], [])["text"].read_text("utf-8")
    assert "Encours : 110,00\xa0€ (+10,0\xa0% depuis le 31/10/2026)" in text


POISON = "<script>alert(1)</script>Dupont SA"


def test_reports_messages_on_demo_and_poisoned_names(tmp_path):
    from creditlab.reports.aged import build_aged_report
    from creditlab.reports.dunning import build_dunning_report

    inputs = load_inputs()
    cust = inputs.get("customers").copy()
    cust["name"] = POISON
    poisoned = dataclasses.replace(inputs, tables={**inputs.tables, "customers": cust})
    aged = build_aged_report(poisoned, check=False)
    (tmp_path / "a").mkdir()
    mail = aged_email(aged, tmp_path / "a")
    html = mail["html"].read_text(encoding="utf-8")
    txt = mail["text"].read_text(encoding="utf-8")
    assert "Balance âgée au 31/12/2025" in txt and "Encours : 32\u202f849\u202f412,22\xa0€" in txt
    assert "clients ont un retard de plus de 90 jours" in txt
    assert POISON in txt
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;Dupont SA" in html
    report = build_dunning_report(inputs, check=False)
    (tmp_path / "d").mkdir()
    txt = dunning_email(report, tmp_path / "d")["text"].read_text(encoding="utf-8")
    a = report.actions
    postal = a["channel"].str.contains(r"\bletter\b|registered_letter", regex=True)
    assert (f"{int(postal.sum())} lettres à signer et poster, dont "
            f"{int(a['channel'].str.contains('registered_letter').sum())} en recommandé") in txt


@pytest.mark.parametrize("lang", ["en"])
def test_english_message(tmp_path, lang):
    paths = write_email(tmp_path, "credit_dashboard", "2026-12-31",
                        [Figure("email_fig_dso", 61.25, "days")], [], lang=lang)
    assert paths["text"].read_text("utf-8").startswith("Credit dashboard at 2026-12-31\n")
    assert "DSO: 61.2 d" in paths["text"].read_text("utf-8") or \
        "DSO: 61.3 d" in paths["text"].read_text("utf-8")


def test_two_runs_of_the_aged_balance_on_different_dates(tmp_path):
    """The demo's aged balance at 30/11/2025 then at 31/12/2025 in the same folder: the second
    message gives each figure's change since the first run, computed from the two reports."""
    from creditlab.reports.aged import build_aged_report

    nov = build_aged_report(load_inputs("2025-11-30"), check=False)
    dec = build_aged_report(load_inputs("2025-12-31"), check=False)
    aged_email(nov, tmp_path)
    txt = aged_email(dec, tmp_path)["text"].read_text(encoding="utf-8")
    change = dec.total / nov.total - 1
    sign = "+" if change >= 0 else "−"
    shown = f"{abs(change) * 100:.1f}".replace(".", ",")
    assert "Encours : " in txt
    assert f"({sign}{shown}\xa0% depuis le 30/11/2025)" in txt.splitlines()[4]
    assert txt.count("depuis le 30/11/2025") == 4          # every headline figure
    assert "première exécution" not in txt


def test_dashboard_message(tmp_path):
    from creditlab.reports.dashboard import build_dashboard
    from creditlab.reports.emails import dashboard_email

    dash = build_dashboard(load_inputs(), "fr", check=False)
    txt = dashboard_email(dash, tmp_path)["text"].read_text(encoding="utf-8")
    on_hold = dash.hold.on_hold()
    assert txt.startswith("Tableau de bord du poste clients au 31/12/2025\n")
    assert "- Encours : 32\u202f849\u202f412,22\xa0€\n" in txt
    assert f"- {len(on_hold)} commandes bloquées (" in txt
    over = int(dash.exposure.by_customer["over_limit"].sum())
    assert f"- {over} clients au-delà de leur limite de crédit" in txt
