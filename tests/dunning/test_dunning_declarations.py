"""The weekly run writes the declaration of claim of a customer newly in proceedings, records it
once in the journal, and lists the deadlines (Code de commerce L622-24, R622-24)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from creditlab.cli import main
from creditlab.dunning import EventKind, Journal, claims_to_declare, run_dunning
from creditlab.dunning.declarations import declaration_id

START = pd.Timestamp("2025-12-31")
JUDGMENT = pd.Timestamp("2025-12-15")
PUBLICATION = pd.Timestamp("2025-12-22")   # deadline: 22/02/2026 (two months, R622-24)


@pytest.fixture(scope="module")
def case(demo):
    """30 demo customers, ids with leading zeros; the one with the most open invoices issued
    before the judgment goes into liquidation (judgment 15/12/2025, BODACC 22/12/2025)."""
    keep = demo["customers"]["customer_id"].head(30)
    out = {}
    for t in ("customers", "invoices", "payments", "disputes"):
        df = demo[t][demo[t]["customer_id"].isin(keep)].copy()
        df["customer_id"] = df["customer_id"].astype("str").str.replace("C", "0")
        out[t] = df
    empty = pd.DataFrame({"customer_id": pd.Series([], dtype="str"), "event_type": [],
                          "event_date": pd.Series([], dtype="datetime64[ns]")})
    _, rows = claims_to_declare(out["invoices"], out["payments"], empty, START)
    inv = out["invoices"]
    before = inv[(inv["issue_date"] < JUDGMENT) & (inv["doc_type"] == "invoice")]
    paid = out["payments"].groupby("invoice_id")["amount"].sum()
    open_ = before[before["amount_ttc"] - before["invoice_id"].map(paid).fillna(0) > 0.005]
    cid = open_["customer_id"].value_counts().index[0]
    out["events"] = pd.DataFrame({"customer_id": [cid], "event_type": ["liquidation"],
                                  "event_date": [JUDGMENT], "publication_date": [PUBLICATION],
                                  "source": ["BODACC"]})
    out["cid"] = cid
    return out


def _ledger(case):
    return {k: case[k] for k in ("invoices", "payments", "disputes", "events")}


def test_two_weekly_runs_write_the_declaration_once(case, tmp_path):
    j = Journal(tmp_path / "j.sqlite")
    cid = case["cid"]
    name = case["customers"].set_index("customer_id").loc[cid, "name"]
    first = run_dunning(_ledger(case), START, j, customers=case["customers"],
                        out=tmp_path / "out")
    d = first.declarations.set_index("customer_id")
    assert list(d.index) == [cid] and d.loc[cid, "status"] == "written"
    assert d.loc[cid, "deadline"] == pd.Timestamp("2026-02-22")
    assert d.loc[cid, "days_left"] == 53 and not d.loc[cid, "deadline_estimated"]
    # the customer left the plan at the judgment: no letter, a declaration instead
    assert cid not in set(first.plan.actions["customer_id"])
    summary, rows = claims_to_declare(case["invoices"], case["payments"], case["events"],
                                      START)
    declared = float(summary.loc[cid, "declared"])
    assert d.loc[cid, "declared"] == pytest.approx(declared) and declared > 0
    # principal + penalties to the judgment + 40 EUR per invoice late at the judgment
    assert declared == pytest.approx(summary.loc[cid, "principal"] + summary.loc[cid, "penalties"]
                                     + 40.0 * int((rows["indemnity"] > 0).sum()))
    doc = first.letters_dir / f"{declaration_id(cid, JUDGMENT)}_declaration_de_creance.html"
    assert d.loc[cid, "document"] == str(doc) and doc.is_file()
    html = doc.read_text(encoding="utf-8")
    assert "22 février 2026" in html and "liquidateur" in html and name in html
    assert doc.with_suffix(".txt").is_file()
    ev = j.events()
    dec = ev[ev["kind"] == EventKind.DECLARED]
    assert len(dec) == 1 and dec.iloc[0]["customer_id"] == cid
    assert dec.iloc[0]["until"] == "2026-02-22" and dec.iloc[0]["amount"] == pytest.approx(
        declared)
    assert dec.iloc[0]["document"] == str(doc)
    assert set(dec.iloc[0]["invoice_ids"].split(";")) == set(rows["invoice_id"])
    # a week later: listed with its deadline, not written again
    second = run_dunning(_ledger(case), START + pd.Timedelta(days=7), j,
                         customers=case["customers"], out=tmp_path / "out")
    d2 = second.declarations.set_index("customer_id")
    assert d2.loc[cid, "status"] == "recorded" and d2.loc[cid, "days_left"] == 46
    assert not list(second.letters_dir.glob("*declaration*"))
    assert (j.events()["kind"] == EventKind.DECLARED).sum() == 1
    # voided (sent by mistake): the next run writes it again
    j.void(declaration_id(cid, JUDGMENT), why="mauvais liquidateur", who="test")
    third = run_dunning(_ledger(case), START + pd.Timedelta(days=14), j,
                        customers=case["customers"], out=tmp_path / "out")
    assert third.declarations.set_index("customer_id").loc[cid, "status"] == "written"


def test_dry_run_previews_the_declaration_without_recording(case, tmp_path):
    j = Journal(tmp_path / "j.sqlite")
    r = run_dunning(_ledger(case), START, j, customers=case["customers"],
                    out=tmp_path / "out", dry_run=True)
    assert r.declarations["status"].tolist() == ["written"]
    assert list(r.letters_dir.glob("*declaration_de_creance.html"))
    assert j.events().empty


def test_cli_lists_the_deadlines_on_stderr(case, tmp_path, capsys):
    for t in ("invoices", "payments", "disputes", "customers", "events"):
        case[t].to_csv(tmp_path / f"{t}.csv", index=False)
    files = [f"--{t}={tmp_path / (t + '.csv')}" for t in
             ("invoices", "payments", "disputes", "customers", "events")]
    jpath = str(tmp_path / "j.sqlite")
    args = ["dunning", "run", "--journal", jpath, "--out", str(tmp_path / "out"), *files]
    assert main([*args, "--as-of", "31/12/2025"]) == 0
    err = capsys.readouterr().err
    line = [ln for ln in err.splitlines() if ln.strip().startswith(case["cid"])]
    assert "claims to declare" in err and len(line) == 1
    assert "(liquidation)" in line[0] and "before 22/02/2026 (53 days left)" in line[0]
    assert "declaration written:" in line[0]
    assert main([*args, "--as-of", "07/01/2026"]) == 0
    err = capsys.readouterr().err
    assert "before 22/02/2026 (46 days left)" in err
    assert "declaration already recorded in the journal" in err


def test_a_journal_made_before_declarations_is_migrated(tmp_path):
    path = tmp_path / "old.sqlite"
    con = sqlite3.connect(path)
    old_kinds = "'planned', 'issued', 'skipped', 'postponed', 'promised', 'cancelled', 'voided'"
    con.executescript(f"""
    CREATE TABLE events (event_id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ({old_kinds})), recorded_at TEXT NOT NULL,
        who TEXT NOT NULL CHECK (who <> ''), why TEXT NOT NULL DEFAULT '',
        action_id TEXT NOT NULL, date TEXT NOT NULL, customer_id TEXT NOT NULL,
        scenario TEXT, step TEXT, step_day INTEGER, template TEXT, channel TEXT,
        escalation TEXT, invoice_ids TEXT NOT NULL DEFAULT '', amount REAL, until TEXT,
        document TEXT);
    CREATE TRIGGER events_no_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'the dunning journal is append-only'); END;
    INSERT INTO events (run_id, kind, recorded_at, who, action_id, date, customer_id)
    VALUES ('r1', 'issued', '2025-12-01T08:00:00+00:00', 'cron', 'a1', '2025-12-01', '000044');
    """)
    con.close()
    j = Journal(path)
    j.record([{"kind": "declared", "action_id": "000044-declaration-20251215",
               "customer_id": "000044", "date": "2025-12-31", "until": "2026-02-22"}],
             who="test")
    ev = j.events()
    assert ev["kind"].tolist() == ["issued", "declared"]
    assert ev.loc[0, "customer_id"] == "000044" and ev.loc[0, "event_id"] == 1
    assert j.declared() == {"000044-declaration-20251215"}
    con = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("DELETE FROM events")
    con.close()


def test_a_customer_id_with_a_path_separator_stays_in_the_output_folder(case, tmp_path):
    """The customer id is user data: ``../A/B`` names a file inside ``out``, not a path."""
    bad = "../A/B"
    moved = {k: (v.replace({"customer_id": {case["cid"]: bad}}) if isinstance(v, pd.DataFrame)
                 else v) for k, v in case.items()}
    res = run_dunning(_ledger(moved), START, Journal(tmp_path / "j.sqlite"),
                      customers=moved["customers"], out=tmp_path / "out")
    d = res.declarations.set_index("customer_id")
    assert d.loc[bad, "status"] == "written"
    doc = Path(d.loc[bad, "document"])
    assert doc.parent.parent == tmp_path / "out" and doc.name.startswith(".._A_B-")
    assert doc.is_file() and doc.with_suffix(".txt").is_file()
    assert not any(p.name.endswith(".tmp") for p in doc.parent.iterdir())
