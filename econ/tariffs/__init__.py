"""US and Chinese tariffs 2018–2026 as dated layers, evaluated for whole panels; scenarios; statutory
beside collected rates.

    from econ.tariffs import Schedule
    schedule = Schedule.from_lines(tariff_lines)          # the processed tariff_lines panel
    panel = schedule.rates(frame)                          # hs8/hs10, partner, date -> layers + total + flags
    panel = schedule.monthly_rates(frame, scenario="no_geneva")   # month -> day-weighted averages
    note = projection_note(frame["month"])                 # a visible note past the known-through date

The timeline is data (econ/tariffs/data/: timeline.csv, one row per dated change with its instrument and
source; the line-exact product lists; the date it is known through); scenarios are YAML overrides
(econ/tariffs/scenarios/).
"""

from econ.tariffs.ave import ad_valorem_equivalents
from econ.tariffs.collected import (
    RECONCILIATION_TERMS,
    average_tariff,
    base_year_weights,
    collected_vs_statutory,
    compare_with_trackers,
    piie_dates,
    published_averages,
    published_by_partner,
    reconcile,
    us_china_averages,
)
from econ.tariffs.engine import FLAG_COLUMNS, OUTPUT_LAYERS, Flow, IeepaEnd, Schedule
from econ.tariffs.known import known_through, projection_note
from econ.tariffs.scenarios import Scenario, load_scenario, scenario_names
from econ.tariffs.stacking import US_LAYERS
from econ.tariffs.timeline import DUTY_LAYERS, LAYERS, Timeline, load_timeline

__all__ = [
    "DUTY_LAYERS",
    "FLAG_COLUMNS",
    "LAYERS",
    "OUTPUT_LAYERS",
    "RECONCILIATION_TERMS",
    "US_LAYERS",
    "Flow",
    "IeepaEnd",
    "Scenario",
    "Schedule",
    "Timeline",
    "ad_valorem_equivalents",
    "average_tariff",
    "base_year_weights",
    "collected_vs_statutory",
    "compare_with_trackers",
    "known_through",
    "load_scenario",
    "load_timeline",
    "piie_dates",
    "projection_note",
    "published_averages",
    "published_by_partner",
    "reconcile",
    "scenario_names",
    "us_china_averages",
]
