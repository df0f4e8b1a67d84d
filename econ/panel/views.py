"""What the notebooks take of the panels when the data have one shape or another.

Real users hold different data: HS10 imports with quantities for every partner (a full Census pull), or
only the NAICS panel (values and calculated duties by industry × partner × month), an annual HS10 pull
for one year, exports or none. The notebooks ask here, so that each says on the page what it could and
could not do with what is there:

* `imports_choice` — which import panel a run reads, and the one line to show when it is not built;
* `collected` — collected duty rates (duty ÷ value) of any panel by any grouping;
* `weight_year` — the base year of fixed weights: `preferred` (2017, before the Section 301 tariffs, as in
  PIIE's chart) when the data hold all of it, else the first full calendar year they hold;
* `monthly_span` — whether a monthly panel spans enough years for the estimators, in one line if not;
* `year_of_record`, `partner_summary` — the year and the figures a timeline page leads with;
* `with_notes` — a call's logged warnings as sentences for the page instead of console lines.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from econ.errors import EconError
from econ.manifest import Dataset
from econ.panel import catalog

T = TypeVar("T")

IMPORT_PANELS: dict[str, str] = {
    "imports": "Census imports by HS10 × partner × month (values, quantities, duties)",
    "imports_naics": "Census imports by NAICS industry × partner × month (values and duties, no quantities)",
}


def imports_choice(dataset: Dataset, wanted: str) -> str:
    """`wanted` when the dataset has that import panel; else an error in one line saying what it has."""
    if wanted not in IMPORT_PANELS:
        raise EconError(f"imports_panel {wanted!r}: expected one of {', '.join(IMPORT_PANELS)}")
    built = catalog.available(dataset)
    if wanted in built:
        return wanted
    others = [name for name in IMPORT_PANELS if name in built]
    hint = f"; it has {others[0]}: run with imports_panel: {others[0]}" if others else ""
    raise EconError(f"dataset {dataset} has no {wanted} panel ({IMPORT_PANELS[wanted]}){hint}")


def collected(frame: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """``value``, ``duty`` and ``collected_rate`` (total duty ÷ total value; NaN where no value) by `by`."""
    sums = frame.groupby(list(by), observed=True, as_index=False)[["value", "duty"]].sum()
    sums["collected_rate"] = sums["duty"] / sums["value"].where(sums["value"] > 0)
    return sums


def full_years(months: pd.Series) -> list[int]:
    """Calendar years in which `months` (datetimes) cover all twelve months."""
    stamps = pd.to_datetime(pd.Series(months)).dt.to_period("M").drop_duplicates()
    counts = stamps.groupby(stamps.dt.year).size()
    return [int(str(year)) for year, n in counts.items() if n == 12]


def weight_year(months: pd.Series, *, preferred: int = 2017) -> int:
    """The base year for fixed weights: `preferred` when all its months are there, else the first full
    calendar year (an EconError when the data hold none)."""
    years = full_years(months)
    if not years:
        raise EconError("no full calendar year of imports to take fixed weights from")
    return preferred if preferred in years else years[0]


def monthly_span(months: pd.Series, *, years: int = 3) -> str | None:
    """None when a monthly panel spans at least `years` full calendar years; else one line saying what the
    estimators need and what the data have."""
    have = full_years(months)
    if len(have) >= years:
        return None
    stamps = pd.to_datetime(pd.Series(months))
    span = f"{stamps.min():%Y-%m} to {stamps.max():%Y-%m}" if len(stamps) else "no months"
    return (
        f"The estimates need a monthly panel over at least {years} full years (12-month differences, "
        f"events against a 2024 reference); this one has {len(have)} ({span})."
    )


def fixed_weights(hs10: pd.DataFrame, *, partner: str, preferred: int = 2017) -> tuple[int, pd.DataFrame]:
    """The base year (`weight_year`) and the partner's imports by ``hs10`` in it — the fixed weights of
    `econ.tariffs.average_tariff` — from a monthly HS10 panel (``imports``) or an annual one
    (``imports_annual``, whose whole years are those with ``months`` = 12)."""
    own = hs10[hs10["partner"].astype(str) == partner]
    if "year" in own.columns:
        whole = sorted(int(y) for y in own.loc[own["months"] == 12, "year"].unique())
        if not whole:
            raise EconError(f"no whole year of HS10 imports from {partner} to take fixed weights from")
        year = preferred if preferred in whole else whole[0]
        rows = own[own["year"] == year]
    else:
        year = weight_year(own["month"], preferred=preferred)
        rows = own[pd.to_datetime(own["month"]).dt.year == year]
    weights = rows.groupby(["hs10", "partner"], observed=True)["value"].sum().reset_index()
    return year, weights


def industry_panel(naics: pd.DataFrame) -> pd.DataFrame:
    """The NAICS panel in the columns the estimators of `econ.estimate` read (``hs10`` the product key,
    here the NAICS code; ``statutory_rate`` the tariff, here the **collected** rate, since the panel has no
    product lines to evaluate the schedule on). Without quantities only value outcomes can be estimated."""
    missing = [c for c in ("naics", "partner", "month", "value", "duty", "collected_rate") if c not in naics]
    if missing:
        raise EconError(f"industry_panel: the NAICS panel lacks column(s) {missing}")
    return naics.assign(hs10=naics["naics"].astype(str), statutory_rate=naics["collected_rate"])


def spans(months: pd.Series, first: str, last: str) -> bool:
    """Whether the months run from `first` or earlier to `last` or later ("YYYY-MM")."""
    stamps = pd.to_datetime(pd.Series(months))
    return bool(len(stamps)) and stamps.min() <= pd.Timestamp(first) and stamps.max() >= pd.Timestamp(last)


def year_of_record(months: pd.Series, *, preferred: int = 2024) -> int:
    """The year a page's annual figures are for: `preferred` (2024, the last year before the 2025 tariffs)
    when the months cover all of it, else the last full calendar year, else the last year there is."""
    years = full_years(months)
    if preferred in years:
        return preferred
    if years:
        return years[-1]
    return int(pd.to_datetime(pd.Series(months)).max().year)


def partner_summary(frame: pd.DataFrame, *, partner: str, year: int) -> dict[str, Any]:
    """The figures a timeline page leads with, computed once: the partner's imports and duty in `year`,
    their collected rate, and the month of the highest monthly collected rate with that rate and the
    last month's."""
    own = frame[frame["partner"].astype(str) == partner]
    in_year = own[pd.to_datetime(own["month"]).dt.year == year]
    monthly = collected(own, by=["month"]).set_index("month")["collected_rate"].dropna()
    value, duty = float(in_year["value"].sum()), float(in_year["duty"].sum())
    return {
        "year": year,
        "value": value,
        "duty": duty,
        "collected_rate": duty / value if value > 0 else None,
        "peak_month": monthly.idxmax() if len(monthly) else None,
        "peak_rate": float(monthly.max()) if len(monthly) else None,
        "last_month": monthly.index.max() if len(monthly) else None,
        "last_rate": float(monthly.iloc[-1]) if len(monthly) else None,
        "monthly": monthly,
    }


def with_notes(call: Callable[..., T], *args: Any, **kwargs: Any) -> tuple[T, list[str]]:
    """`call(*args, **kwargs)` and the warnings the package logged meanwhile, as sentences for the page
    (the page says them in words; the console and the page show no warning lines)."""
    records: list[str] = []

    class _Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    keep = _Keep(level=logging.WARNING)
    root = logging.getLogger("econ")
    propagate = root.propagate
    root.addHandler(keep)
    root.propagate = False
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = call(*args, **kwargs)
    finally:
        root.removeHandler(keep)
        root.propagate = propagate
    records.extend(str(w.message) for w in caught)
    return result, list(dict.fromkeys(records))


def event_effects(design: Any, estimator: str = "twfe") -> pd.DataFrame:
    """The 2025 design's effects by event for one estimator (`econ.estimate.did_2025`), in log points and
    as percentage changes with their 95% intervals (``change``, ``change_low``, ``change_high``); empty
    when there is no design."""
    columns = ["effect", "ci_low", "ci_high", "change", "change_low", "change_high"]
    if design is None:
        return pd.DataFrame(columns=columns)
    rows = design.events[design.events["estimator"] == estimator].set_index("event")
    out = rows[["effect", "ci_low", "ci_high"]].astype("float64")
    out["change"] = np.expm1(out["effect"])
    out["change_low"] = np.expm1(out["ci_low"])
    out["change_high"] = np.expm1(out["ci_high"])
    return out[columns]


def effect(design: Any, event: str, estimator: str) -> float | None:
    """One event's effect (log points) by one estimator of the 2025 design, None when not estimated."""
    if design is None:
        return None
    rows = design.events[(design.events["event"] == event) & (design.events["estimator"] == estimator)]
    return float(rows["effect"].iloc[0]) if len(rows) else None


def naics_names(frame: pd.DataFrame) -> dict[str, str]:
    """Each NAICS code of a panel by name: the 2017 NAICS title (`econ.names.industry`), else the Census
    file's own label (``NAICS CODE 336, TRANSPORTATION EQUIPMENT`` → ``Transportation equipment``), so
    that a page never shows a bare code."""
    from econ import names

    labels = frame.drop_duplicates("naics").set_index("naics")
    own = labels["naics_name"] if "naics_name" in labels else pd.Series(dtype=object)
    out: dict[str, str] = {}
    for code in labels.index.astype(str):
        title = names.industry(code, "naics")
        if title.startswith("NAICS ") and isinstance(own.get(code), str):
            text = own[code].split(", ", 1)[-1] if own[code].upper().startswith("NAICS CODE") else own[code]
            title = text[:1].upper() + text[1:].lower().replace(" & ", " and ")
        out[code] = title
    return out


_WORDS = {"mfn": "MFN", "ieepa": "IEEPA", "ave": "ad valorem equivalents", "china": "China's"}


def layer_name(layer: str) -> str:
    """A tariff layer or reconciliation term as a reader names it: ``section301`` → ``Section 301``,
    ``ieepa_fentanyl`` → ``IEEPA fentanyl``, ``ave`` → ``ad valorem equivalents``."""
    words = []
    for word in layer.split("_"):
        if word.startswith("section") and word[7:].isdigit():
            words.append(f"Section {word[7:]}")
        else:
            words.append(_WORDS.get(word, word.replace("-", " ")))
    text = " ".join(words)
    return text[:1].upper() + text[1:]
