"""Estimation on import panels: least squares and PPML with absorbed fixed effects, and the tariff
questions asked of them.

Core (one concern per module): `absorbed_ols`, `absorbed_iv` (ols), `ppml` (ppml), the demeaning engine
(demean), fixed-effect codes and singletons (fixed_effects), standard errors (vcov), results and tidy
tables (results). Designs: treatment from the statutory schedule (design), heterogeneity-robust
difference in differences (staggered: Sun–Abraham, Callaway–Sant'Anna, Gardner's two stage), the 2025
design of escalation, Geneva, Busan and the ruling (`did_2025`), inference with few treated clusters
(inference: wild cluster bootstrap, randomisation inference over partners). Domain: `passthrough`,
`import_demand` with the aggregate elasticity η (`aggregate_demand`) and the joint variance of the three
(`joint_parameters`), `value_response` (values without quantities: the NAICS panel),
`event_study` with `plot_event_study` and `plot_event_study_panels`, `trade_diversion`. Simulated panels with
known truth: `simulate_import_panel` (and the structural world, econ.demo.structural).

The option values other modules and the notebooks' parameter models use are declared here once:
`ClusterColumn`, `DidEstimator`, `PassthroughMeasure`, `Outcome`.
"""

from typing import Literal

from econ.estimate.did import DID_ESTIMATORS, Design2025, DidEstimator, Outcome, did_2025, old_contrasts
from econ.estimate.diversion import trade_diversion
from econ.estimate.event_study import (
    OUTCOME_WORDS,
    EventStudy,
    event_study,
    outcome_words,
    plot_event_study,
    plot_event_study_panels,
)
from econ.estimate.import_demand import aggregate_demand, import_demand, joint_parameters
from econ.estimate.inference import design_bootstrap, randomization_inference, wild_cluster_bootstrap
from econ.estimate.ols import absorbed_iv, absorbed_ols
from econ.estimate.passthrough import PassthroughMeasure, passthrough
from econ.estimate.ppml import ppml
from econ.estimate.results import Result, monte_carlo_table, stack
from econ.estimate.simulate import simulate_import_panel
from econ.estimate.staggered import StaggeredEstimate, callaway_santanna, sun_abraham, two_stage
from econ.estimate.values import value_response

ClusterColumn = Literal["product_id", "partner_id", "hs6", "hs8", "chapter"]
"""Columns of the imports panel that standard errors may be clustered by."""

CLUSTER_WORDS: dict[str, str] = {
    "product_id": "product",
    "partner_id": "partner",
    "hs6": "HS6 subheading",
    "hs8": "HS8 line",
    "chapter": "HS chapter",
}
"""Each `ClusterColumn` as a page says it ("standard errors clustered by product")."""

MEASURE_WORDS: dict[str, str] = {
    "statutory": "the duty-inclusive price built from the statutory rate",
    "collected_iv": "the collected rate, instrumented by the statutory one",
}
"""Each `PassthroughMeasure` as a page says it."""

__all__ = [
    "CLUSTER_WORDS",
    "DID_ESTIMATORS",
    "MEASURE_WORDS",
    "OUTCOME_WORDS",
    "ClusterColumn",
    "Design2025",
    "DidEstimator",
    "EventStudy",
    "Outcome",
    "PassthroughMeasure",
    "Result",
    "StaggeredEstimate",
    "absorbed_iv",
    "absorbed_ols",
    "aggregate_demand",
    "callaway_santanna",
    "design_bootstrap",
    "did_2025",
    "event_study",
    "import_demand",
    "joint_parameters",
    "monte_carlo_table",
    "old_contrasts",
    "outcome_words",
    "passthrough",
    "plot_event_study",
    "plot_event_study_panels",
    "ppml",
    "randomization_inference",
    "simulate_import_panel",
    "stack",
    "sun_abraham",
    "trade_diversion",
    "two_stage",
    "value_response",
    "wild_cluster_bootstrap",
]
