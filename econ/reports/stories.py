"""The words of a page, generated from its numbers: titles that follow the run's scenario, the question,
and every sentence that states a comparison — so that a sentence cannot say "less" beside a figure that
shows more, or "115 points" beside a table that shows another cut.

Also the figures several pages quote, computed once here from the tariff timeline (`geneva_cut`), so that
each page reads the same number rather than writing its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from econ import formatting
from econ.reports.headline import Figure


@dataclass(frozen=True)
class RateChange:
    """One layer's rate on one partner just before and from a dated change, with the row's source."""

    before: float
    after: float
    effective: str
    source: str

    @property
    def points(self) -> float:
        """The cut as a difference of fractions (1.15 for 125% → 10%)."""
        return self.before - self.after


def geneva_cut(timeline: Any | None = None) -> RateChange:
    """The US reciprocal (IEEPA) rate on China just before and from the Geneva accord's entry into force
    (2025-05-14), read from the tariff timeline."""
    import pandas as pd

    from econ.tariffs import load_timeline

    rows = (timeline or load_timeline()).rows
    china = rows[(rows["layer"] == "ieepa_reciprocal") & (rows["partner"] == "china_hk_macao")]
    china = china.sort_values("effective")
    effective = pd.Timestamp("2025-05-14")
    before = china[china["effective"] < effective].iloc[-1]
    after = china[china["effective"] == effective].iloc[-1]
    return RateChange(float(before["rate"]), float(after["rate"]), "2025-05-14", str(after["source"]))


def scenario_phrase(description: str, name: str) -> str:
    """A scenario in a few words: its description up to the first colon or full stop ("No Geneva accord",
    "Back to the 2024 schedule"), else its name in words."""
    text = " ".join(description.split())
    for mark in (":", ". ", " — "):
        if mark in text:
            text = text.split(mark, 1)[0]
            break
    text = text.strip().rstrip(".")
    return text if 3 <= len(text) <= 60 else name.replace("_", " ")


_PASSTHROUGH_WORDS = {
    "border": "full pass-through",
    "retail": "retail pass-through (0.2)",
    "estimated": "pass-through and σ estimated on the data",
}


def comparison_title(*, scenario: str, date: str, passthrough: str = "border_2025") -> str:
    """The title of a page comparing the tariffs in force on `date` with a scenario (`scenario_phrase`);
    a pass-through other than the default preset (border_2025) is named, so two runs never share a title."""
    title = f"US tariffs in force on {formatting.day(date)} against “{scenario}”: effects by US industry"
    extra = _PASSTHROUGH_WORDS.get(passthrough)
    return f"{title}, {extra}" if extra else title


def comparison_question(*, scenario: str, date: str) -> str:
    return (
        f"How much more or less do US buyers pay, and how do imports, tariff revenue and prices differ, "
        f"with the tariffs in force on {formatting.day(date)} than under “{scenario}”?"
    )


def direction(value: float, *, more: str, less: str, same: str = "no different") -> str:
    """The word for a difference's sign ("more"/"less"), `same` when it rounds to zero in $ billion."""
    if formatting.is_missing(value) or round(abs(float(value)) / 1e9, 1) == 0:
        return same
    return more if value > 0 else less


def cost_sentence(cost: Figure, *, scenario: str, date: str) -> str:
    """US buyers' cost under the tariffs in force against the scenario, in words from the figure."""
    word = direction(float(cost.value or 0), more="more", less="less")
    size = formatting.quantity(abs(float(cost.value or 0)), cost.unit)
    period = f" {cost.period}" if cost.period else ""
    if word == "no different":
        return f"With the tariffs in force on {formatting.day(date)}, US buyers pay as under “{scenario}”."
    interval = ""
    if cost.low is not None and cost.high is not None:
        low, high = sorted((abs(cost.low), abs(cost.high)))
        same_sign = (cost.low > 0) == (cost.high > 0)
        interval = (
            f" ({cost.interval}: {formatting.interval(low, high, cost.unit)} {word})"
            if same_sign
            else f" ({cost.interval}: from {formatting.quantity(cost.low, cost.unit)} to "
            f"{formatting.quantity(cost.high, cost.unit)}, so the sign is uncertain)"
        )
    return (
        f"With the tariffs in force on {formatting.day(date)}, US buyers pay {size} {word}{period}"
        f"{interval} than under “{scenario}”."
    )


def imports_sentence(change: Figure, *, scenario: str) -> str:
    word = direction(float(change.value or 0), more="more", less="less")
    if word == "no different":
        return f"Imports are about the same as under “{scenario}”."
    size = formatting.quantity(abs(float(change.value or 0)), change.unit)
    return (
        f"The US imports {size} {word}{' ' + change.period if change.period else ''} than under “{scenario}”."
    )


def cut_sentence(cut: RateChange) -> str:
    """The Geneva cut in words, from the timeline: "cut … by 115.0 points, from 125.0% to 10.0%"."""
    return (
        "The Geneva accord cut the US reciprocal tariff on China by "
        f"{formatting.quantity(cut.points, 'points')}, "
        f"from {formatting.quantity(cut.before, 'percent')} to {formatting.quantity(cut.after, 'percent')} "
        f"(from {formatting.day(cut.effective)}; {cut.source})."
    )


def parameter_value(name: str, value: Any) -> str:
    """A parameter's value as a reader wants it: a partner by name, a scenario by what it says."""
    # a partner parameter holds a Census code: the reader wants the country
    if name == "partner" and isinstance(value, str):
        from econ import names

        return f"{names.country(value)} ({value})"
    # a scenario parameter names a file: the reader wants what the scenario says, in a few words
    if name == "scenario" and isinstance(value, str):
        return f"{_scenario_words(value)} ({value})"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _scenario_words(scenario: str) -> str:
    from econ.errors import EconError
    from econ.tariffs import load_scenario

    try:
        return scenario_phrase(load_scenario(scenario).description, scenario)
    except (EconError, OSError):  # a scenario file since moved or broken: its name will do
        return scenario.replace("_", " ")
