"""The dunning journal (creditlab.dunning.journal) and the weekly run (``creditlab dunning``).

What is asserted: only the letters actually written are recorded as issued, in one transaction;
a failed letter stays pending and is planned again; eight unattended weekly runs repeat no action
and never skip a legal step (a mise en demeure before any injonction de payer, with its 8-day
delay — DOMAIN.md §7.5, the délai of the mise en demeure, art. 1344 Code civil); a run killed
mid-way leaves the journal as it was; ids stay text.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from creditlab.cli import main
from creditlab.dunning import EventKind, Journal, load_policy, plan_actions, run_dunning
from creditlab.dunning.journal import resolve_journal_path
from creditlab.exceptions import InputError
from creditlab.reports.dunning import read_history

START = pd.Timestamp("2025-12-31")
N_CUSTOMERS = 30


def _text_ids(s: pd.Series) -> pd.Series:
    # C00044 -> 000044: ids with leading zeros, which must never become numbers
    return s.astype("str").str.replace("C", "0", regex=False)


@pytest.fixture(scope="module")
def small(demo):
    """30 demo customers, with ids made of digits and leading zeros."""
    keep = demo["customers"]["customer_id"].head(N_CUSTOMERS)
    out = {}
    for t in ("customers", "invoices", "payments", "disputes"):
        df = demo[t][demo[t]["customer_id"].isin(keep)].copy()
        df["customer_id"] = _text_ids(df["customer_id"])
        out[t] = df
    return out


def _ledger(small):
    return {k: small[k] for k in ("invoices", "payments", "disputes")}


def _run(small, tmp_path, as_of, journal, **kw):
    return run_dunning(_ledger(small), as_of, journal, customers=small["customers"],
                       out=tmp_path / "out", **kw)


# --------------------------------------------------------------------------- the store
def test_journal_is_append_only(tmp_path):
    j = Journal(tmp_path / "j.sqlite")
    j.postpone("000044", "2026-01-15", why="litige", date="2025-12-05", who="test")
    con = sqlite3.connect(tmp_path / "j.sqlite")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("UPDATE events SET why = 'x'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("DELETE FROM events")
    con.close()
    ev = j.events()
    assert len(ev) == 1 and ev.loc[0, "who"] == "test" and ev.loc[0, "why"] == "litige"


def test_ids_and_dates_stay_text_and_day_first(tmp_path):
    j = Journal(tmp_path / "j.sqlite")
    j.postpone("000044", "15/01/2026", why="litige", date="05/12/2025")
    h = j.history()
    assert h.loc[0, "customer_id"] == "000044"
    assert h.loc[0, "date"] == pd.Timestamp("2025-12-05")     # 5 December, never 12 May
    assert h.loc[0, "until"] == pd.Timestamp("2026-01-15")
    assert h.loc[0, "status"] == "postponed"


def test_history_csv_keeps_leading_zeros_and_reads_j_plus_days(tmp_path):
    csv = tmp_path / "h.csv"
    csv.write_text("action_id,date,customer_id,step_day,invoice_ids,status,until\n"
                   "a1,05/12/2025,000044,J+15,F1;F2,sent,\n"
                   "a2,2025-12-06,000045,30,F3,postponed,2026-01-10\n")
    h = read_history(csv)
    from creditlab.dunning.inputs import _check_history

    c = _check_history(h)
    assert c["customer_id"].tolist() == ["000044", "000045"]
    assert c["step_day"].tolist() == [15, 30]
    assert c["date"].tolist() == [pd.Timestamp("2025-12-05"), pd.Timestamp("2025-12-06")]
    bad = h.assign(step_day=["J+quinze", "30"])
    with pytest.raises(InputError, match="step_day"):
        _check_history(bad)


def test_postponement_matches_text_ids_and_cancel_lifts_it(small, tmp_path):
    j = Journal(tmp_path / "j.sqlite")
    plan = plan_actions(_ledger(small), None, START, j.history(START),
                        customers=small["customers"])
    # a customer with an ordinary (non-insurer) action: the postponement applies to it
    a = plan.actions[plan.actions["escalation"].fillna("") != "insurer_notification"]
    cid = a["customer_id"].iloc[0]
    assert cid.startswith("0")
    aid = j.postpone(cid, "2026-01-20", why="litige commercial", date="2025-12-20")
    again = plan_actions(_ledger(small), None, START, j.history(START),
                         customers=small["customers"])
    assert cid not in set(again.actions["customer_id"])
    assert len(again.actions) == len(plan.actions) - 1
    j.cancel(aid, why="litige réglé")
    back = plan_actions(_ledger(small), None, START, j.history(START),
                        customers=small["customers"])
    assert cid in set(back.actions["customer_id"])


def test_promise_postpones_until_its_date(small, tmp_path):
    j = Journal(tmp_path / "j.sqlite")
    plan = plan_actions(_ledger(small), None, START, None, customers=small["customers"])
    a = plan.actions[plan.actions["escalation"].fillna("") != "insurer_notification"]
    cid = a["customer_id"].iloc[0]
    j.promise(cid, "2026-01-10", 1234.5, invoice_ids=["F1", "F2"], date="2025-12-28")
    ev = j.events()
    assert ev.loc[0, "kind"] == "promised" and ev.loc[0, "amount"] == 1234.5
    assert ev.loc[0, "invoice_ids"] == "F1;F2"
    during = plan_actions(_ledger(small), None, START, j.history(START),
                          customers=small["customers"])
    after = plan_actions(_ledger(small), None, "2026-01-10", j.history("2026-01-10"),
                         customers=small["customers"])
    assert cid not in set(during.actions["customer_id"])
    assert cid in set(after.actions["customer_id"])
    with pytest.raises(InputError, match="amount"):
        j.promise(cid, "2026-01-10", -5, date="2025-12-28")


# --------------------------------------------------------------------------- weekly runs
def test_eight_unattended_weekly_runs(small, tmp_path):
    j = Journal(tmp_path / "j.sqlite")
    delay = load_policy().escalation_delay_days
    dates = [START + pd.Timedelta(days=7 * w) for w in range(8)]
    for d in dates:
        r = _run(small, tmp_path, d, j)
        assert r.n_failed == 0
        assert r.n_issued == len(r.plan.actions)
        assert len(list(r.letters_dir.glob("*.html"))) == r.n_issued
    ev = j.events()
    issued = ev[ev["kind"] == EventKind.ISSUED]
    assert len(issued) > 60                                     # the runs did something
    assert set(ev["kind"]) == {"planned", "issued"}
    assert j.pending().empty
    # one letter per customer and run, never the same action twice
    assert not issued.duplicated(["date", "customer_id"]).any()
    assert issued["action_id"].is_unique
    per_inv = issued.assign(invoice_id=issued["invoice_ids"].str.split(";")).explode(
        "invoice_id")
    # a legal step or the insurer's notification is never made twice for an invoice
    legal = per_inv[per_inv["escalation"].notna()]
    assert not legal.duplicated(["invoice_id", "escalation"]).any()
    # an ordinary reminder lists only invoices never chased at that step (or a later one)
    # before: no invoice gets the same reminder twice; a legal letter is due to at least one
    per_inv = per_inv.sort_values("event_id")
    seen: dict[str, int] = {}
    for _, letter in per_inv.groupby("event_id", sort=True):
        day = int(letter["step_day"].iloc[0])
        fresh = [seen.get(i, -10_000) < day for i in letter["invoice_id"]]
        assert (all(fresh) if pd.isna(letter["escalation"].iloc[0]) else any(fresh)), letter
        for i in letter["invoice_id"]:
            seen[i] = max(seen.get(i, -10_000), day)
    # never skip a legal step: an injonction de payer only after a mise en demeure issued
    # at least `delay` days before, for every invoice it lists
    med = per_inv[per_inv["escalation"] == "mise_en_demeure"].groupby("invoice_id")["date"].min()
    inj = per_inv[per_inv["escalation"] == "injonction_de_payer"]
    assert len(inj) > 0
    first = pd.to_datetime(med.reindex(inj["invoice_id"]).to_numpy())
    assert (first.notna()).all()
    assert ((pd.to_datetime(inj["date"]).to_numpy() - first.to_numpy())
            >= pd.Timedelta(days=delay)).all()
    # ids are text all along
    assert issued["customer_id"].str.match(r"^0\d{5}$").all()
    # the same day again: nothing more to do
    again = _run(small, tmp_path, dates[-1], j)
    assert again.plan.actions.empty and again.n_issued == 0


def test_failed_letter_stays_pending_and_is_planned_again(small, tmp_path, monkeypatch):
    import creditlab.dunning.letters as letters

    real = letters.render_letter

    def failing(kind, *a, **kw):
        if kind == "formal_notice":
            raise InputError("rates", "a rate for the period", "none", "update the table")
        return real(kind, *a, **kw)

    j = Journal(tmp_path / "j.sqlite")
    monkeypatch.setattr(letters, "render_letter", failing)
    r1 = _run(small, tmp_path, START, j)
    failed = set(r1.batch.failed["action_id"])
    assert failed and r1.n_issued == len(r1.plan.actions) - len(failed)
    assert set(j.pending()["action_id"]) == failed
    sent = j.history()
    assert not sent["action_id"].isin(failed).any()           # never recorded as sent
    assert not any((r1.letters_dir / f"{a}_formal_notice.html").exists() for a in failed)
    monkeypatch.setattr(letters, "render_letter", real)
    r2 = _run(small, tmp_path, START + pd.Timedelta(days=7), j)
    assert r2.n_failed == 0
    # the formal notices come back a week later (after the insurer's notification when one
    # falls due: it goes first, plan rules), and the old pending actions are closed
    customers = set(r1.plan.actions.loc[r1.plan.actions["action_id"].isin(failed),
                                        "customer_id"])
    notices = r2.plan.actions[r2.plan.actions["escalation"].isin(
        ["mise_en_demeure", "insurer_notification"])]
    assert customers <= set(notices["customer_id"])
    assert (notices["escalation"] == "mise_en_demeure").sum() >= len(customers) - 1
    assert j.pending().empty
    ev = j.events()
    assert set(ev.loc[ev["kind"] == "cancelled", "action_id"]) == failed


def test_dry_run_records_nothing(small, tmp_path):
    j = Journal(tmp_path / "j.sqlite")
    r = _run(small, tmp_path, START, j, dry_run=True)
    assert len(r.plan.actions) > 0 and r.n_issued == 0
    assert len(list(r.letters_dir.glob("*.html"))) == len(r.plan.actions)
    assert j.events().empty


def test_void_brings_the_step_back(small, tmp_path):
    j = Journal(tmp_path / "j.sqlite")
    r = _run(small, tmp_path, START, j)
    aid = r.plan.actions["action_id"].iloc[0]
    with pytest.raises(InputError, match="void"):
        j.cancel(aid, why="erreur")                             # an issued letter is voided
    j.void(aid, why="envoyée au mauvais client")
    plan = plan_actions(_ledger(small), None, START, j.history(START),
                        customers=small["customers"])
    assert plan.actions["action_id"].tolist() == [aid]
    with pytest.raises(InputError):
        j.void(aid, why="deux fois")


def test_interrupted_run_rolls_back(small, tmp_path):
    j = Journal(tmp_path / "j.sqlite")

    def interrupt(rows):
        for i, row in enumerate(rows):
            if i == 5:
                raise KeyboardInterrupt
            yield row

    with pytest.raises(KeyboardInterrupt):
        _run(small, tmp_path, START, j, _rows_hook=interrupt)
    assert j.events().empty
    r = _run(small, tmp_path, START, j)
    assert r.n_issued == len(r.plan.actions) > 0


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX kill")
def test_run_killed_mid_way_leaves_the_journal_consistent(small, tmp_path):
    """A real SIGKILL in the middle of the recording transaction."""
    j = Journal(tmp_path / "j.sqlite")
    j.postpone("000001", "2026-03-01", why="avant", date="2025-12-01")
    before = j.events()
    for t in ("invoices", "payments", "disputes", "customers"):
        small[t].to_pickle(tmp_path / f"{t}.pkl")
    script = textwrap.dedent(f"""
        import os, signal
        import pandas as pd
        from creditlab.dunning import Journal, run_dunning
        t = {{n: pd.read_pickle(r"{tmp_path}/" + n + ".pkl")
             for n in ("invoices", "payments", "disputes", "customers")}}
        def kill(rows):
            for i, row in enumerate(rows):
                if i == 7:
                    os.kill(os.getpid(), signal.SIGKILL)
                yield row
        run_dunning({{k: t[k] for k in ("invoices", "payments", "disputes")}}, "2025-12-31",
                    Journal(r"{tmp_path}/j.sqlite"), customers=t["customers"],
                    out=r"{tmp_path}/out", _rows_hook=kill)
    """)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          timeout=300)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()[-2000:]
    after = Journal(tmp_path / "j.sqlite").events()
    pd.testing.assert_frame_equal(after, before)               # nothing half-recorded
    assert list((tmp_path / "out").glob(".*.partial"))         # letters left unpublished
    r = _run(small, tmp_path, START, j)
    assert r.n_issued == len(r.plan.actions) > 0
    assert len(j.events()) == len(before) + 2 * r.n_issued


# --------------------------------------------------------------------------- configuration, CLI
def test_journal_named_in_the_policy_lives_beside_it(tmp_path, monkeypatch):
    default = Path(load_policy().source or "")
    from creditlab.dunning.policy import _DATA_DIR, DEFAULT_POLICY_FILE

    toml = (_DATA_DIR / DEFAULT_POLICY_FILE).read_text(encoding="utf-8")
    (tmp_path / "cfg").mkdir()
    p = tmp_path / "cfg" / "relances.toml"
    p.write_text('journal = "relances.sqlite"\n' + toml, encoding="utf-8")
    pol = load_policy(p)
    assert Path(pol.journal) == tmp_path / "cfg" / "relances.sqlite"
    assert resolve_journal_path(None, pol) == tmp_path / "cfg" / "relances.sqlite"
    assert resolve_journal_path(tmp_path / "x.sqlite", pol) == tmp_path / "x.sqlite"
    monkeypatch.delenv("CREDITLAB_JOURNAL", raising=False)
    with pytest.raises(InputError, match="journal"):
        resolve_journal_path(None, load_policy())
    monkeypatch.setenv("CREDITLAB_JOURNAL", str(tmp_path / "env.sqlite"))
    assert resolve_journal_path(None, load_policy()) == tmp_path / "env.sqlite"
    del default


def test_cli_run_failed_letters_exit_non_zero(small, tmp_path, monkeypatch, capsys):
    import creditlab.dunning.letters as letters

    for t in ("invoices", "payments", "disputes", "customers"):
        small[t].to_csv(tmp_path / f"{t}.csv", index=False)
    real = letters.render_letter

    def failing(kind, *a, **kw):
        if kind == "formal_notice":
            raise InputError("rates", "a rate for the period", "none", "update the table")
        return real(kind, *a, **kw)

    monkeypatch.setattr(letters, "render_letter", failing)
    files = [f"--{t}={tmp_path / (t + '.csv')}" for t in
             ("invoices", "payments", "disputes", "customers")]
    jpath = str(tmp_path / "j.sqlite")
    rc = main(["dunning", "run", "--journal", jpath, "--as-of", "31/12/2025",
               "--out", str(tmp_path / "out"), *files, "--dry-run"])
    err = capsys.readouterr().err
    assert rc == 1 and "stay pending" in err
    assert Journal(jpath).events().empty                      # dry run: nothing recorded
    rc = main(["dunning", "run", "--journal", jpath, "--as-of", "31/12/2025",
               "--out", str(tmp_path / "out"), *files])
    out, err = capsys.readouterr()
    n_failed = int(err.split(" letter(s) failed")[0].split()[-1])
    assert rc == 1 and n_failed == len(Journal(jpath).pending()) > 0
    assert "letters issued and recorded" in out
    rc = main(["dunning", "list", "--journal", jpath, "--pending"])
    assert rc == 0 and "formal_notice" not in capsys.readouterr().err
    rc = main(["dunning", "postpone", "000003", "--until", "2026-02-01", "--why", "litige",
               "--as-of", "2025-12-31", "--journal", jpath])
    assert rc == 0
    rc = main(["dunning", "postpone", "000003", "--until", "2025-02-01", "--why", "litige",
               "--as-of", "2025-12-31", "--journal", jpath])
    assert rc == 2 and "until" in capsys.readouterr().err
    rc = main(["dunning", "list", "--journal", jpath, "--customer", "000003"])
    assert rc == 0 and "postponed" in capsys.readouterr().out
