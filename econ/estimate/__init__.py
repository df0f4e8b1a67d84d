"""Estimation on import panels: least squares and PPML with absorbed fixed effects, and the tariff
questions asked of them.

Core (one concern per module): `absorbed_ols`, `absorbed_iv` (ols), `ppml` (ppml), the demeaning engine
(demean), fixed-effect codes and singletons (fixed_effects), standard errors (vcov), results and tidy
tables (results). Domain: `passthrough`, `import_demand`, `event_study` with `plot_event_study`,
`did_tariff_cut`, `trade_diversion`. Simulated panels with known truth: `simulate_import_panel`.
"""

from econ.estimate.did import TariffCutDiD, did_tariff_cut
from econ.estimate.diversion import trade_diversion
from econ.estimate.event_study import EventStudy, event_study, plot_event_study
from econ.estimate.import_demand import import_demand
from econ.estimate.ols import absorbed_iv, absorbed_ols
from econ.estimate.passthrough import passthrough
from econ.estimate.ppml import ppml
from econ.estimate.results import Result, stack
from econ.estimate.simulate import simulate_import_panel

__all__ = [
    "EventStudy",
    "Result",
    "TariffCutDiD",
    "absorbed_iv",
    "absorbed_ols",
    "did_tariff_cut",
    "event_study",
    "import_demand",
    "passthrough",
    "plot_event_study",
    "ppml",
    "simulate_import_panel",
    "stack",
    "trade_diversion",
]
