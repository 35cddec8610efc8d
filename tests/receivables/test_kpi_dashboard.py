"""The monthly credit dashboard (issue #5, criterion 5): French by default, English with
``-p lang=en`` — every heading, label and text of the English HTML is English."""

from __future__ import annotations

import html
import re

import pytest

from creditlab.limits import (
    DECISION_LABELS,
    HOLD_COLUMN_LABELS,
    HOLD_REASONS,
    LIMIT_COLUMN_LABELS,
    METHOD_LABELS,
)
from creditlab.receivables.exposure import EXPOSURE_LABELS
from creditlab.receivables.kpi import KPI_LABELS
from creditlab.reports import run_report

#: French words of the report's own prose (headings, titles, file names).
FRENCH_PROSE = ("Indicateurs du mois", "Balance âgée", "Risque par client", "Limites de crédit",
                "Commandes bloquées", "Litiges par motif", "Liste de surveillance",
                "Fichiers produits", "Arrêté au", "ce mois", "pièces", "dégradation",
                "procédure", "redressement", "kpi_historique", "commandes_bloquees")


#: The notebook's title cell in each language (markdown cells tagged lang:fr / lang:en).
TITLES = {"fr": "Tableau de bord crédit mensuel", "en": "Monthly credit dashboard"}


def _text(path, lang) -> str:
    """Visible text of an HTML report: no scripts, styles, images nor <title>; the first line
    (the notebook title, in the run's language only) is checked and dropped."""
    s = path.read_text(encoding="utf-8")
    assert re.search(r"<title>\s*(.*?)\s*</title>", s, flags=re.S).group(1) == TITLES[lang]
    s = re.sub(r"<(script|style|title)[^>]*>.*?</\1>", " ", s, flags=re.S)
    s = re.sub(r"data:image/[^\"']+", " ", s)
    text = html.unescape(re.sub(r"<[^>]+>", " ", s))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines[0].removesuffix("¶").strip() == TITLES[lang]
    other = TITLES["en" if lang == "fr" else "fr"]
    assert all(other not in line for line in lines), other
    return "\n".join(lines[1:])


def _french_labels() -> set[str]:
    out = set(FRENCH_PROSE)
    for table in (KPI_LABELS, EXPOSURE_LABELS, LIMIT_COLUMN_LABELS, METHOD_LABELS,
                  HOLD_COLUMN_LABELS, HOLD_REASONS, DECISION_LABELS):
        out |= {v["fr"] for v in table.values() if v["fr"] != v["en"] and len(v["fr"]) > 4}
    return out


@pytest.fixture(scope="module", params=["fr", "en"])
def dashboard(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(f"dash_{request.param}")
    paths = run_report("credit_dashboard", {"lang": request.param}, out=out, progress=False)
    return request.param, paths


def test_dashboard_speaks_the_requested_language(dashboard):
    lang, paths = dashboard
    text = _text(paths["html"], lang)
    if lang == "fr":
        for heading in ("1. Indicateurs du mois", "2. Balance âgée", "5. Commandes bloquées",
                        "7. Liste de surveillance", "DSO par épuisement", "Arrêté au 31/12/2025"):
            assert heading in text, heading
        assert "kpi_historique.csv" in text
        return
    for heading in ("1. KPIs of the month", "2. Aged balance", "5. Orders on hold",
                    "7. Watch list", "DSO, countback", "As of 2025-12-31"):
        assert heading in text, heading
    french = sorted(w for w in _french_labels()
                    if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text))
    assert not french, f"French labels in the English dashboard: {french}"
    assert "kpi_history.csv" in text and "orders_on_hold.csv" in text


def test_dashboard_files(dashboard):
    lang, paths = dashboard
    names = {p.name for p in paths["dir"].iterdir()}
    expected = ({"kpi_historique.csv", "risques_clients.csv", "commandes_bloquees.csv",
                 "litiges_par_motif.csv", "surveillance.csv", "limites_proposees.csv"}
                if lang == "fr" else
                {"kpi_history.csv", "customer_exposure.csv", "orders_on_hold.csv",
                 "disputes_by_cause.csv", "watch_list.csv", "proposed_limits.csv"})
    assert expected <= names
    first = (paths["dir"] / ("kpi_historique.csv" if lang == "fr" else "kpi_history.csv"))
    header = first.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("fin de mois;" if lang == "fr" else "month end,")
