"""Score calibration workbench: binning/WoE, scorecard, PD calibration, master scale,
validation and export.

Estimators (scikit-learn conventions: settings in ``__init__``, ``fit`` returns ``self``,
learned values end in ``_``, usable in a ``Pipeline``):

- :class:`WoEBinner` — monotonic binning and WoE (no solver dependency);
- :class:`Scorecard` — binning + logistic regression (or LDA), selection by IV and stepwise
  AIC/BIC, scaling to integer points, reason codes;
- :class:`PDCalibrator` — Platt / isotonic calibration and prior shift to a portfolio rate.

Objects and functions: :class:`MasterScale`, :func:`prior_shift`, the validation functions
(:func:`discrimination`, :func:`calibration_test`, :func:`backtest_grades`,
:func:`population_stability`, :func:`characteristic_stability`), :class:`ScorecardModel` with
JSON and SQL export, :func:`compare_models` for the challengers (LDA, gradient boosting), and
:func:`failure_sample` (ratios + "procédure collective within N months" target).

WoE sign convention: ``WoE = ln(%good / %bad)`` — positive means safer than average.
"""

from creditlab.modeling.binning import IV_STRENGTH, VariableBinning, WoEBinner, assign_bins, woe_iv
from creditlab.modeling.calibration import PDCalibrator, logit, prior_shift
from creditlab.modeling.challengers import (
    ComparisonResult,
    QuantileClipper,
    challenger_models,
    compare_models,
)
from creditlab.modeling.export import (
    ScorecardModel,
    VariablePoints,
    load_scorecard,
    save_scorecard,
)
from creditlab.modeling.irb import (
    anchor_to_long_run,
    auc_change_test,
    jeffreys_test,
    long_run_average,
    margin_of_conservatism,
    migration_matrix,
)
from creditlab.modeling.labels import label_table
from creditlab.modeling.masterscale import DEFAULT_CLASS_PD_BOUNDS, MasterScale
from creditlab.modeling.samples import failure_sample, failure_target, period_split
from creditlab.modeling.scorecard import Scaling, Scorecard, reason_codes_from_points
from creditlab.modeling.validation import (
    PSI_BOUNDS,
    TRAFFIC_LIGHT_LEVELS,
    BacktestResult,
    CalibrationResult,
    CharacteristicStabilityResult,
    DiscriminationResult,
    StabilityResult,
    backtest_grades,
    brier_score,
    calibration_test,
    characteristic_stability,
    delong_ci,
    discrimination,
    hosmer_lemeshow,
    ks_statistic,
    population_stability,
    psi,
    roc_auc,
)

__all__ = [
    # binning
    "WoEBinner", "VariableBinning", "assign_bins", "woe_iv", "IV_STRENGTH",
    # scorecard
    "Scorecard", "Scaling", "reason_codes_from_points",
    # calibration and master scale
    "PDCalibrator", "prior_shift", "logit", "jeffreys_test", "MasterScale", "DEFAULT_CLASS_PD_BOUNDS",
    # the bank analyst's toolkit (irb)
    "long_run_average", "anchor_to_long_run", "margin_of_conservatism", "migration_matrix",
    "auc_change_test",
    # validation
    "discrimination", "calibration_test", "backtest_grades", "population_stability",
    "characteristic_stability", "psi", "roc_auc", "delong_ci", "ks_statistic", "brier_score",
    "hosmer_lemeshow", "DiscriminationResult", "CalibrationResult", "BacktestResult",
    "StabilityResult", "CharacteristicStabilityResult", "PSI_BOUNDS", "TRAFFIC_LIGHT_LEVELS",
    # export
    "ScorecardModel", "VariablePoints", "save_scorecard", "load_scorecard",
    # development samples (statements + proceedings)
    "failure_target", "failure_sample", "period_split",
    # display labels (French by default)
    "label_table",
    # challengers
    "challenger_models", "compare_models", "ComparisonResult", "QuantileClipper",
]
