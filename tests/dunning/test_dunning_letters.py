"""Dunning letters, batch rendering and legal escalation.

Legal mentions: Code de commerce L441-10 II and D441-5 (DOMAIN.md §7.2); injonction de payer
CPC art. 1405-1425 and the 5 000 € small-claims threshold (CPCE L125-1, DOMAIN.md §7.5);
insurer notification ≈ 2-4 months after the due date (DOMAIN.md §8).
"""

from __future__ import annotations

import pandas as pd
import pytest
from strategies import make_open_items

from creditlab.dunning import (
    cases_in_words,
    cases_to_escalate,
    injunction_file,
    insurer_deadlines,
    load_policy,
    plan_actions,
    promises_status,
    render_batch,
    render_letter,
    status_words,
)
from creditlab.dunning.letters import format_amount, round_cents
from creditlab.exceptions import InputError

AS_OF = pd.Timestamp("2025-12-31")
NNBSP, NBSP = "\u202f", "\u00a0"


def _norm(s: str) -> str:
    return s.replace(NNBSP, " ").replace(NBSP, " ")


def _items() -> pd.DataFrame:
    return make_open_items([
        ("C1", "A1", "invoice", "2025-11-21", "2025-12-21", 1000.0, 1000.0, False),
        ("C1", "A2", "invoice", "2025-10-01", "2025-12-01", 1234.565, 1234.565, False),
        ("C1", "A3", "invoice", "2025-12-15", "2026-01-14", 300.0, 300.0, False),
        ("C5", "E2", "invoice", "2025-09-01", "2025-11-11", 10000.0, 10000.0, False),
        ("C5", "E3", "invoice", "2025-09-01", "2025-11-20", 500.0, 500.0, True),
    ])


def _customers() -> pd.DataFrame:
    return pd.DataFrame({"customer_id": ["C1", "C5"], "name": ["Alpha SARL", "Epsilon SA"],
                         "segment": ["PME", "grands comptes"], "rating_class": [1, 1],
                         "insurer_agreement": [20000.0, 50000.0]})


CUST = {"customer_id": "C1", "name": "Alpha SARL"}


# ------------------------------------------------------------------ formatting
def test_round_cents_half_up_and_french_format():
    assert round_cents(1.005) == 1.01 and round_cents(2.675) == 2.68
    assert round_cents(0.125) == 0.13 and round_cents(-0.125) == -0.13
    assert round_cents(203.045) == 203.05
    assert _norm(format_amount(1234.565)) == "1 234,57 €"
    assert format_amount(1234.565, "en") == "€1,234.57"


@pytest.mark.parametrize("kind", ["courtesy", "reminder_1", "reminder_2", "formal_notice",
                                  "statement", "phone_script"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_kind_renders_html_and_text_with_legal_mentions(kind, lang):
    it = _items()
    it = it[it["customer_id"] == "C1"]
    letter = render_letter(kind, CUST, it, as_of=AS_OF, lang=lang, claim_interest=False)
    for out in (letter.html, letter.text):
        assert "Alpha SARL" in out and "A2" in out
        assert "L441-10" in out
        assert ("40 €" in out) if lang == "fr" else ("€40" in out)
    assert letter.html.startswith("<!DOCTYPE html>") and "</html>" in letter.html
    assert "<" not in letter.text.replace("<script", "")  # plain text, no markup
    # the principal is rounded half-up to the cent: 1000 + 1234.565 (+ 300 not yet due)
    total = "2 534,57 €" if lang == "fr" else "€2,534.57"
    assert total in _norm(letter.text) or kind in ("courtesy",)


def test_phone_script_has_four_steps():
    it = _items()[lambda d: d["customer_id"] == "C1"]
    s = render_letter("phone_script", CUST, it, as_of=AS_OF).text
    heads = ["1. Préparer l'appel", "2. S'identifier et exposer les faits",
             "3. Obtenir un engagement", "4. Confirmer par écrit"]
    pos = [s.index(h) for h in heads]
    assert pos == sorted(pos)


def test_statement_has_ageing_buckets_from_aged_balance():
    it = _items()[lambda d: d["customer_id"] == "C1"]
    s = _norm(render_letter("statement", CUST, it, as_of=AS_OF).text)
    # A3 not yet due (300), A1 10 days (1000), A2 30 days (1234.565): 1-30 j bucket
    assert "non échu" in s and "1-30 j" in s
    assert "300,00 €" in s and "2 234,57 €" in s and "2 534,57 €" in s


def test_formal_notice_claims_indemnities_and_registered_mention():
    it = _items()[lambda d: d["customer_id"] == "C1"]
    letter = render_letter("formal_notice", CUST, it, as_of=AS_OF, channel="registered_letter")
    t = _norm(letter.text)
    assert "Lettre recommandée avec accusé de réception" in t
    assert "80,00 €" in t  # two late invoices × 40 € (D441-5); A3 is not late
    assert "1344" in t and "8 janvier 2026" in t  # eight days to pay


def test_html_escapes_customer_data():
    evil = {"customer_id": "C<1>", "name": "<script>alert(1)</script>"}
    it = _items()[lambda d: d["customer_id"] == "C1"].assign(invoice_id=["<b>x</b>", "A2", "A3"])
    letter = render_letter("reminder_1", evil, it, as_of=AS_OF)
    assert "<script>" not in letter.html and "&lt;script&gt;alert(1)&lt;/script&gt;" in letter.html
    assert "<b>x</b>" not in letter.html and "&lt;b&gt;x&lt;/b&gt;" in letter.html
    assert "<script>alert(1)</script>" in letter.text  # text stays text


def test_letter_bad_inputs():
    it = _items()[lambda d: d["customer_id"] == "C1"]
    with pytest.raises(InputError, match="due_date"):
        render_letter("reminder_1", CUST, it.assign(due_date=[pd.NaT, AS_OF, AS_OF]),
                      as_of=AS_OF)
    with pytest.raises(InputError, match="open_amount"):
        render_letter("reminder_1", CUST, it.assign(open_amount=[-5.0, 1.0, 1.0]), as_of=AS_OF)
    with pytest.raises(InputError, match="kind"):
        render_letter("threat", CUST, it, as_of=AS_OF)
    with pytest.raises(InputError, match="lang"):
        render_letter("reminder_1", CUST, it, as_of=AS_OF, lang="de")
    with pytest.raises(InputError, match="items"):
        render_letter("reminder_1", CUST, it.iloc[:0], as_of=AS_OF)


def test_batch_writes_one_letter_per_customer_and_records_failures(tmp_path):
    plan = plan_actions(_items(), load_policy(), AS_OF, customers=_customers())
    assert set(plan.actions["customer_id"]) == {"C1", "C5"}
    broken_items = plan.items.copy()
    broken_items.loc[broken_items["customer_id"] == "C5", "due_date"] = pd.NaT
    from dataclasses import replace

    broken = replace(plan, items=broken_items)
    res = render_batch(broken, out_dir=tmp_path, customers=_customers())
    assert res.failed["customer_id"].tolist() == ["C5"]
    assert "due_date" in res.failed["reason"].iloc[0]
    assert res.written["customer_id"].tolist() == ["C1"]
    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) == 2 and all(not f.startswith(".") for f in files)  # no temp file left
    html = (tmp_path / files[0]).read_text(encoding="utf-8")
    assert "Alpha SARL" in html
    ok = render_batch(plan, out_dir=tmp_path / "all", customers=_customers())
    assert ok.failed.empty and len(ok.written) == 2


# ------------------------------------------------------------------ escalation
def _history(plan):
    return plan.approve().to_history()


def test_injunction_file_summary():
    items = _items()
    plan = plan_actions(items, load_policy(), AS_OF, customers=_customers())
    hist = _history(plan)  # C5: mise en demeure (J+45) sent on 2025-12-31
    f = injunction_file(items, pd.Timestamp("2026-01-31"), history=hist,
                        customers=_customers(), customer_ids=["C5"])
    s = f.summary.loc["C5"]
    assert s["principal"] == pytest.approx(10000.0)  # E3 disputed: left out (CPC 1405)
    assert s["n_invoices"] == 1 and s["indemnities"] == pytest.approx(40.0)
    assert s["n_reminders"] == 1 and s["formal_notice_date"] == AS_OF
    assert not s["small_claim"]  # > 5 000 €
    t = _norm(f.text("C5"))
    assert "INJONCTION DE PAYER" in t and "E2" in t and "E3" not in t
    assert "10 000,00 €" in t and "31/12/2025" in t and "1406" in t
    assert "Epsilon SA" in f.html("C5")
    with pytest.raises(InputError):
        injunction_file(items[items["disputed"]], AS_OF)


def test_insurer_deadlines():
    """Deadline = oldest overdue due date + 60 days (default policy, DOMAIN.md §8)."""
    d = insurer_deadlines(_items(), load_policy(), AS_OF, customers=_customers())
    c5 = d.loc["C5"]  # oldest overdue E2 due 2025-11-11 (disputes do not stop the deadline)
    assert c5["deadline"] == pd.Timestamp("2026-01-10") and c5["days_left"] == 10
    assert c5["status"] == "urgent"  # within the 15-day warning
    assert "status_label" not in d.columns
    assert status_words(d).loc["C5", "status_label"] == "urgent"
    assert status_words(d, "en").columns.tolist()[-1] == "status_label"
    with pytest.raises(TypeError):
        insurer_deadlines(_items(), load_policy(), AS_OF, lang="en")
    assert d.loc["C1", "deadline"] == pd.Timestamp("2026-01-30")
    assert d.loc["C1", "status"] == "ok"
    late = insurer_deadlines(_items(), load_policy(), "2026-01-20", customers=_customers())
    assert late.loc["C5", "status"] == "missed"
    none = insurer_deadlines(_items(), load_policy().updated(insurer_notification_days=None),
                             AS_OF)
    assert none.empty


def test_promises_and_cases_to_escalate():
    promises = pd.DataFrame({"customer_id": ["C1", "C1", "C5"],
                             "promise_date": pd.to_datetime(["2025-12-20", "2026-01-05",
                                                             "2025-12-01"]),
                             "amount": [1000.0, 1234.57, 10.0],
                             "invoice_ids": ["A1", "A2", "ZZ"]})
    st = promises_status(promises, _items(), AS_OF)
    assert st["status"].tolist() == ["broken", "due", "kept"]  # ZZ is no longer open
    cases = cases_to_escalate(_items(), load_policy(), AS_OF, promises=promises,
                              customers=_customers())
    assert "broken_promise" in cases.loc["C1", "reasons"].split(";")
    words = cases_in_words(cases, load_policy())
    assert "promesse non tenue" in words.loc["C1", "reasons"]
    assert cases.loc["C5", "escalation"] == "mise_en_demeure"  # J+45 reached (50 days)
    assert "escalation_step" in cases.loc["C5", "reasons"].split(";")
    assert "étape d'escalade atteinte" in words.loc["C5", "reasons"]
    assert words.loc["C5", "escalation_label"] == "mise en demeure à envoyer"
    later = cases_to_escalate(_items(), load_policy(), "2026-03-01", customers=_customers())
    assert "beyond_last_step" in later.loc["C5", "reasons"]
    assert "au-delà de la dernière étape" in cases_in_words(later).loc["C5", "reasons"]
    assert "beyond the last step" in cases_in_words(later, lang="en").loc["C5", "reasons"]
    with pytest.raises(TypeError):
        promises_status(promises, _items(), AS_OF, lang="en")


def test_injunction_file_principal_matches_its_invoice_lines_to_the_cent():
    """Half-up rounding of the principal and total (a document for the court): 1000.005 € is
    printed 1 000,01 € on the invoice line, so the principal must say the same."""
    it = pd.DataFrame({"customer_id": ["X"], "invoice_id": ["F1"], "doc_type": ["invoice"],
                       "due_date": pd.to_datetime(["2025-11-01"]), "open_amount": [1000.005]})
    f = injunction_file(it, AS_OF, require_formal_notice=False)
    s = f.summary.loc["X"]
    assert s["principal"] == 1000.01
    assert s["total"] == pytest.approx(1000.01 + s["penalties"] + 40.0)
    t = _norm(f.text("X"))
    assert t.count("1 000,01 €") == 2 and "1 000,00 €" not in t


def test_english_letter_date_line_has_no_stray_space():
    it = _items()[lambda d: d["customer_id"] == "C1"]
    letter = render_letter("reminder_1", CUST, it, as_of=AS_OF, lang="en")
    assert "Paris, 31 December 2025" in letter.text and "Paris, 31 December 2025" in letter.html
    assert "Paris, le 31 décembre 2025" in render_letter("reminder_1", CUST, it, as_of=AS_OF).text


def test_injunction_file_names_the_channels_of_the_reminders_in_french():
    """The file is read by a lawyer or the court: 'lettre recommandée AR', not a code."""
    it = pd.DataFrame({"customer_id": ["X"], "invoice_id": ["F1"], "doc_type": ["invoice"],
                       "due_date": pd.to_datetime(["2025-08-01"]), "open_amount": [1000.0]})
    hist = pd.DataFrame({"customer_id": ["X", "X"], "date": pd.to_datetime(["2025-09-01",
                                                                            "2025-09-20"]),
                         "step": ["relance 2 J+30", "mise en demeure J+45"],
                         "step_day": [30, 45], "template": ["reminder_2", "formal_notice"],
                         "channel": ["letter, phone", "registered_letter"],
                         "invoice_ids": ["F1", "F1"], "status": ["sent", "sent"]})
    f = injunction_file(it, AS_OF, history=hist)
    t = f.text("X")
    assert "lettre recommandée AR" in t and "courrier, téléphone" in t
    assert "registered_letter" not in t and "registered_letter" not in f.html("X")
    en = injunction_file(it, AS_OF, history=hist, lang="en").text("X")
    assert "registered letter" in en


def test_injunction_file_only_claims_invoices_under_a_formal_notice_whose_delay_passed():
    """CPC art. 1405 and the legal path (art. 1344 C. civ.): F1 got a mise en demeure on
    10/11/2025, F2 a second reminder only, F3 a mise en demeure on 28/11/2025 (less than 8 days
    before 03/12/2025); F0 is due since 15/10/2020: more than 5 years (L110-4)."""
    it = pd.DataFrame({"customer_id": "X", "invoice_id": ["F0", "F1", "F2", "F3"],
                       "doc_type": "invoice",
                       "due_date": pd.to_datetime(["2020-10-15", "2025-09-15", "2025-09-30",
                                                   "2025-10-10"]),
                       "open_amount": [300.0, 1200.0, 800.0, 450.0]})
    hist = pd.DataFrame({
        "customer_id": "X", "date": pd.to_datetime(["2025-11-10", "2025-11-10", "2025-11-20",
                                                    "2025-11-28"]),
        "step": ["mise en demeure", "mise en demeure", "relance 2", "mise en demeure"],
        "step_day": [45, 45, 30, 45],
        "template": ["formal_notice", "formal_notice", "reminder_2", "formal_notice"],
        "escalation": ["mise_en_demeure", "mise_en_demeure", "", "mise_en_demeure"],
        "channel": "registered_letter", "invoice_ids": ["F1", "F0", "F2", "F3"],
        "status": "sent"})
    f = injunction_file(it, "2025-12-03", history=hist)
    assert f.invoices["invoice_id"].tolist() == ["F0", "F1"]
    assert f.invoices["time_barred"].tolist() == [True, False]
    assert f.invoices["formal_notice_date"].tolist() == [pd.Timestamp("2025-11-10")] * 2
    s = f.summary.loc["X"]
    assert s["principal"] == 1500.0 and s["n_time_barred"] == 1
    assert s["small_claim"]                              # ≤ 5 000 € (CPCE L125-1)
    t = _norm(f.text("X"))
    assert "Prescription : 1 facture" in t and "petites créances" in t
    # three days later F3's delay has passed too; a shorter documented delay also works
    assert "F3" in set(injunction_file(it, "2025-12-06", history=hist).invoices["invoice_id"])
    assert "F3" in set(injunction_file(it, "2025-12-03", history=hist,
                                       formal_notice_days=5).invoices["invoice_id"])
    with pytest.raises(InputError, match="mise en demeure"):
        injunction_file(it, "2025-12-03")                # no history: no formal notice
