"""``creditlab check``: every input file of a configuration read and checked, the policies
loaded, the calibration sample and its default-rate history read, and with a date the ledger
built (:func:`check_config`).

Apart from :mod:`creditlab.reports.inputs` because it reads the calibration sample, which needs
the modeling stack (scikit-learn, statsmodels): a report or a dunning run that only loads its
inputs does not import it.
"""

from __future__ import annotations

from pathlib import Path

from creditlab.config import load_config
from creditlab.dunning import load_policy
from creditlab.exceptions import CreditlabError
from creditlab.io import read_fec, read_table
from creditlab.limits import CreditPolicy
from creditlab.reports.calibration_sample import load_sample
from creditlab.reports.calibration_toolkit import read_default_rates
from creditlab.reports.inputs import load_inputs

__all__ = ["check_config"]


def _policy_problems(label: str, path: Path) -> list[str]:
    """The problem of a ``[dunning]``/``[limits]`` policy file that does not load, if any."""
    try:
        if label == "limits":
            CreditPolicy.load(path)
        else:
            load_policy(path)
    except CreditlabError as err:
        return [f"[{label}] policy {path.name}: {err}"]
    return []


def check_config(path, as_of=None, *, force_as_of: bool = False) -> tuple[list[str], object]:
    """Read every input of ``creditlab.toml``; every problem, each with its fix.

    Each file is read on its own (so that the problems of every file are listed), then, when
    all are readable, the ledger is built at ``as_of`` (when given).

    Returns
    -------
    (list of str, ReportInputs or None)
        The problems (empty when everything is ready) and the inputs when they loaded.
    """
    problems: list[str] = []
    try:
        cfg = load_config(path)
    except CreditlabError as err:
        return [str(err)], None
    if "invoices" not in cfg.inputs and "fec" not in cfg.inputs:
        problems.append(f"{cfg.path.name} [inputs]: no invoices file. Fix: add a line "
                        'invoices = "factures.csv"')
    for name, p in cfg.inputs.items():
        if name == "fec":
            try:
                read_fec(p)
            except CreditlabError as err:
                problems.append(f"[inputs] fec: {err}")
            continue
        if not p.is_file():
            problems.append(f"[inputs] {name}: file not found: {p}. Fix: check the path "
                            f"(relative to {cfg.path.parent})")
            continue
        try:
            read_table(p, name, columns=cfg.columns.get(name), formats=cfg.formats_for(name),
                       values=cfg.values.get(name))
        except CreditlabError as err:
            problems.append(f"[inputs] {name}: {err}")
    for label, pol in (("dunning", cfg.dunning_policy), ("limits", cfg.limits_policy)):
        if pol is not None and not pol.is_file():
            problems.append(f"[{label}] policy: file not found: {pol}. Fix: check the path")
        elif pol is not None:
            problems.extend(_policy_problems(label, pol))
    if cfg.calibration.get("applications") is not None:  # the calibration report's sample

        try:
            load_sample(config=cfg.path)
        except CreditlabError as err:
            problems.append(f"[calibration] {err}")
    if cfg.calibration.get("default_rates") is not None:  # the toolkit's default-rate history
        try:
            read_default_rates(cfg.calibration["default_rates"])
        except CreditlabError as err:
            problems.append(f"[calibration] {err}")
    if problems or as_of is None:
        return problems, None
    try:
        inputs = load_inputs(as_of, config=cfg.path, force_as_of=force_as_of)
    except CreditlabError as err:
        return [str(err)], None
    return [], inputs
