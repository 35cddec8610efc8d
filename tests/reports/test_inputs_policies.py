"""The configuration's ``[limits]`` policy drives the dashboard (it was ignored), and
``creditlab check`` loads both policy files."""

from __future__ import annotations

from pathlib import Path

import pytest

import creditlab
from creditlab.reports import load_inputs
from creditlab.reports.checking import check_config
from creditlab.reports.dashboard import build_dashboard

DEFAULT = Path(creditlab.__file__).parent / "data" / "credit_policy_default.toml"


def _config(tmp_path: Path, policy_text: str) -> Path:
    (tmp_path / "credit.toml").write_text(policy_text, encoding="utf-8")
    cfg = tmp_path / "creditlab.toml"
    cfg.write_text('[limits]\npolicy = "credit.toml"\n', encoding="utf-8")
    return cfg


@pytest.fixture(scope="module")
def default_dashboard():
    return build_dashboard(load_inputs())


def test_the_limits_policy_of_the_configuration_changes_the_dashboard(tmp_path,
                                                                       default_dashboard):
    text = DEFAULT.read_text(encoding="utf-8")
    assert "insured_share = 0.90" in text
    cfg = _config(tmp_path, text.replace("insured_share = 0.90", "insured_share = 0.45")
                  .replace("cap = 10000.0", "cap = 5000.0"))
    inputs = load_inputs(config=cfg)  # no [inputs]: the demo, under the company's policy
    assert inputs.limits_policy == tmp_path / "credit.toml"
    dash = build_dashboard(inputs)
    assert dash.policy.insured_share == 0.45
    before, after = default_dashboard.exposure.total, dash.exposure.total
    # insured = covered exposure x quotité: half the quotité, half the insured amount
    assert before["insured"] > 0
    assert after["insured"] == pytest.approx(before["insured"] / 2)
    assert after["net_exposure"] == pytest.approx(before["net_exposure"])
    # the published headline carries the new figure
    def words(dashboard):
        return dashboard.exposure_tables()[0].data.replace("\u202f", " ").replace("\xa0", " ")

    head_before, head_after = words(default_dashboard), words(dash)
    assert "dont assuré 28 232 383 €" in head_before
    assert "dont assuré 14 116 192 €" in head_after  # 28 232 383.095 / 2 = 14 116 191.55
    # the no-financials cap of the policy bounds the limits proposed (10 000 -> 5 000 EUR)
    cap_before = default_dashboard.proposal.table["cap_no_financials"].dropna()
    cap_after = dash.proposal.table["cap_no_financials"].dropna()
    assert cap_before.max() == 10000.0 and cap_after.max() == 5000.0


def test_without_configuration_the_bundled_policy(default_dashboard):
    assert default_dashboard.inputs.limits_policy is None
    assert default_dashboard.policy.insured_share == 0.90


def test_check_loads_the_policy_files(tmp_path):
    cfg = _config(tmp_path, "[need\nmethod = 1\n")  # broken TOML
    problems, _ = check_config(cfg)
    assert any(p.startswith("[limits] policy credit.toml") for p in problems), problems
    cfg.write_text('[limits]\npolicy = "credit.toml"\n[dunning]\npolicy = "relances.toml"\n',
                   encoding="utf-8")
    (tmp_path / "credit.toml").write_text(DEFAULT.read_text(encoding="utf-8"),
                                          encoding="utf-8")
    (tmp_path / "relances.toml").write_text("steps = 3\n", encoding="utf-8")
    problems, _ = check_config(cfg)
    assert [p.split(":")[0] for p in problems if "policy" in p] == \
        ["[dunning] policy relances.toml"], problems


def test_the_dunning_policy_of_the_configuration_reaches_the_dunning_report(tmp_path):
    """A notebook or script calling build_dunning_report(inputs) without ``policy=`` gets the
    configuration's ``[dunning]`` policy, not the bundled one (it was ignored outside the CLI)."""
    from creditlab.reports.dunning import build_dunning_report

    default = Path(creditlab.__file__).parent / "data" / "dunning_policy_default.toml"
    text = default.read_text(encoding="utf-8")
    assert "min_amount = 50.0" in text
    (tmp_path / "relance.toml").write_text(text.replace("min_amount = 50.0", "min_amount = 777.0"),
                                           encoding="utf-8")
    cfg = tmp_path / "creditlab.toml"
    cfg.write_text('[dunning]\npolicy = "relance.toml"\n', encoding="utf-8")
    report = build_dunning_report(load_inputs(config=cfg))
    assert report.policy.min_amount == 777.0
    assert build_dunning_report(load_inputs()).policy.min_amount == 50.0


def test_dashboard_summaries_show_words_not_codes(default_dashboard):
    """The orders-on-hold and limits summaries name the decisions and binding constraints in
    words (they showed the codes release/hold/block and need/net_worth)."""
    hold = default_dashboard.hold_tables()[0].to_html()
    limits = default_dashboard.limit_tables()[0].to_html()
    for code in (">release<", ">hold<", ">block<", ">need<", ">net_worth<"):
        assert code not in hold and code not in limits
    assert ">libérée<" in hold and ">besoin commercial<" in limits


def test_fec_with_terms_outside_the_codes_says_why_no_limit(tmp_path):
    """A real FEC with 90-day terms: the dashboard is built (its overdue ratio 1 + 2e-16 of float
    noise is not "above 1"), and the limits section says the customers have no payment terms
    and how to set them — not "no customers file"."""
    from creditlab.io.datasets import external_dir

    ext = external_dir("fec_samples")
    if ext is None:
        pytest.skip("../shared/external absent")
    inputs = load_inputs("2023-12-31", fec=ext / "000000000FEC20231231.txt", fec_terms_days=90,
                         force_as_of=True)
    board = build_dashboard(inputs)  # check() passes
    assert inputs.get("customers") is not None
    said = str(board.limit_tables()[0].data)
    assert "sans délai de paiement" in said and "fec_terms_days" in said
    with_terms = build_dashboard(load_inputs("2023-12-31", fec=ext / "000000000FEC20231231.txt",
                                             fec_terms_days=30, force_as_of=True))
    assert with_terms.proposal is not None
