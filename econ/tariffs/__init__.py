"""US and Chinese tariffs 2018–2026 as dated layers, evaluated for whole panels; scenarios; statutory
beside collected rates.

    from econ.tariffs import Schedule
    schedule = Schedule(products)                   # or Schedule.from_hts(paths)
    panel = schedule.rates(frame)                    # hs8/hs10, partner, date -> layers + total
    panel = schedule.monthly_rates(frame, scenario="no_geneva")   # month -> day-weighted averages

The timeline is data (econ/tariffs/data/timeline.csv, one row per dated change with its instrument and
source); scenarios are YAML overrides (econ/tariffs/scenarios/).
"""

from econ.tariffs.collected import (
    average_tariff,
    base_year_weights,
    collected_vs_statutory,
    piie_dates,
    published_averages,
    us_china_averages,
)
from econ.tariffs.engine import OUTPUT_LAYERS, Flow, Schedule
from econ.tariffs.scenarios import Scenario, load_scenario, scenario_names
from econ.tariffs.timeline import LAYERS, Timeline, load_timeline

__all__ = [
    "LAYERS",
    "OUTPUT_LAYERS",
    "Flow",
    "Scenario",
    "Schedule",
    "Timeline",
    "average_tariff",
    "base_year_weights",
    "collected_vs_statutory",
    "load_scenario",
    "load_timeline",
    "piie_dates",
    "published_averages",
    "scenario_names",
    "us_china_averages",
]
