"""Scenarios: small declarative overrides of the timeline's layers from a date (YAML).

Format (``econ/tariffs/scenarios/<name>.yaml`` or any file a user passes)::

    name: no_geneva
    description: the 145% on China kept after 2025-05-14
    parameters:            # optional defaults, overridable by keyword: scenario("escalation", rate=0.6)
      rate: 1.25
    overrides:
      - layer: ieepa_reciprocal      # one of the timeline layers
        partner: china_hk_macao      # 'all', a partner group or a Census code; default 'all'
        coverage: all                # optional; see below
        from: 2025-05-14             # YYYY-MM-DD
        rate: ${rate}                # a fraction, or ${parameter}; or `hold: true` instead of a rate
        note: why

An override drops the timeline's rows of that layer (and partner key, and coverage, when given) dated on
or after ``from``; with ``rate`` it then adds one row setting that rate from ``from``; with ``hold: true``
the rate in force the day before simply continues. When ``coverage`` is omitted, rows of every coverage
group of the layer are dropped, and the new rate applies to every group present for layers read by group
(``section301``, ``section232``, exemptions) and to ``all`` for the others; when ``partner`` is omitted rows
of every partner key are dropped and the new row applies to ``all``. Name the partner key the timeline
uses for that layer (``china_hk_macao`` for the reciprocal duty on China, ``china_hk`` for fentanyl,
``china_mainland`` for Section 301 and China's retaliation): an override for "5700" alone leaves later rows
of the group in force after their dates. Unknown keys, layers,
partners, coverage groups, parameters and malformed dates are rejected with the file and the key named.
There is no ``until``: an override holds to the end of the schedule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from econ import yaml_files
from econ.errors import EconError, ScenarioError
from econ.tariffs.timeline import (
    EXEMPTIONS,
    LAYERS,
    Timeline,
    check_partner_key,
    known_coverages,
    parse_date,
)

_TOP_KEYS = {"name", "description", "parameters", "overrides", "source", "notes"}
_OVERRIDE_KEYS = {"layer", "partner", "coverage", "from", "rate", "hold", "note"}
_PARAM = re.compile(r"^\$\{(\w+)\}$")
_MULTI_COVERAGE_LAYERS = {"section301", "section232", "section232_all_in", *EXEMPTIONS}


@dataclass(frozen=True)
class Override:
    layer: str
    start: pd.Timestamp
    partner: str | None
    coverage: str | None
    rate: float | None  # None: hold the rate in force the day before
    note: str = ""


@dataclass(frozen=True)
class Scenario:
    """A validated scenario: its name, description and overrides (parameters already substituted)."""

    name: str
    description: str
    overrides: tuple[Override, ...]
    parameters: dict[str, Any] = field(default_factory=dict)
    path: str = ""

    @property
    def key(self) -> tuple:
        """Identifies the evaluated overrides (for caching compiled schedules)."""
        return tuple((o.layer, o.start, o.partner, o.coverage, o.rate) for o in self.overrides)

    def apply(self, timeline: Timeline) -> Timeline:
        """The timeline with this scenario's overrides applied, revalidated against its coverage."""
        rows = timeline.rows
        for o in self.overrides:
            unknown = self._check_against(o, timeline)
            if unknown:
                raise ScenarioError(f"scenario {self.name} ({self.path}): {unknown}")
            hit = (rows["layer"] == o.layer) & (rows["effective"] >= o.start)
            if o.partner is not None:
                hit &= rows["partner"] == o.partner
            coverages = self._coverages(o, timeline)
            if o.coverage is not None:
                hit &= rows["coverage"].isin(coverages)
            rows = rows.loc[~hit.to_numpy()]
            if o.rate is not None:
                added = pd.DataFrame(
                    {
                        "layer": o.layer,
                        "coverage": coverages,
                        "partner": o.partner or "all",
                        "effective": o.start,
                        "rate": o.rate,
                        "instrument": f"scenario {self.name}",
                        "source": self.path or f"scenario {self.name}",
                        "note": o.note,
                    }
                )
                rows = pd.concat(
                    [rows, added.astype({"effective": rows["effective"].dtype})], ignore_index=True
                )
        return timeline.with_rows(rows.reset_index(drop=True))

    @staticmethod
    def _coverages(o: Override, timeline: Timeline) -> list[str]:
        if o.coverage is not None:
            return [o.coverage]
        if o.layer in _MULTI_COVERAGE_LAYERS:
            present = timeline.rows.loc[timeline.rows["layer"] == o.layer, "coverage"]
            return sorted(set(present))
        return ["all"]

    @staticmethod
    def _check_against(o: Override, timeline: Timeline) -> str | None:
        if o.partner is not None:
            expected = check_partner_key(o.partner, timeline.partner_groups)
            if expected:
                return f"unknown partner {o.partner!r} (expected {expected})"
        if o.coverage is not None and o.coverage not in known_coverages(o.layer, timeline.coverage):
            return f"unknown coverage {o.coverage!r} for layer {o.layer}"
        return None


def scenario_names() -> list[str]:
    """The scenarios shipped with the package."""
    folder = resources.files("econ.tariffs") / "scenarios"
    return sorted(p.name[: -len(".yaml")] for p in folder.iterdir() if p.name.endswith(".yaml"))


def scenario_file(name_or_path: str | PathLike[str]) -> Path:
    """The file of a shipped scenario (by name) or a user's (by path); ScenarioError when there is none."""
    text = str(name_or_path)
    if text.endswith((".yaml", ".yml")) or "/" in text or "\\" in text:
        path = Path(text)
        if not path.is_file():
            raise ScenarioError(f"scenario file {path} does not exist")
        return path
    if text not in scenario_names():
        raise ScenarioError(
            f"unknown scenario {text!r} "
            f"(expected one of {', '.join(scenario_names())} or a path to a .yaml file)"
        )
    return Path(str(resources.files("econ.tariffs") / "scenarios" / f"{text}.yaml"))


def load_scenario(
    name_or_path: str | PathLike[str], *, timeline: Timeline | None = None, **parameters: Any
) -> Scenario:
    """Load and validate a scenario by name (shipped) or path; keyword arguments set its parameters.

    When `timeline` is given, partners and coverage groups are checked against it as well.
    """
    path = scenario_file(name_or_path)
    try:
        # duplicate keys refused; dates kept as text, so a bad one is reported with its key below
        doc = yaml_files.load(path, what="scenario file")
    except EconError as exc:
        raise ScenarioError(str(exc)) from None
    scenario = parse_scenario(doc, path=str(path), parameters=parameters)
    if timeline is not None:
        scenario.apply(timeline)  # raises on unknown partners or coverage, naming the scenario
    return scenario


def parse_scenario(
    doc: Any, *, path: str = "<scenario>", parameters: dict[str, Any] | None = None
) -> Scenario:
    """Validate a parsed YAML document; every problem is collected and reported with its key."""
    problems: list[str] = []
    if not isinstance(doc, dict):
        raise ScenarioError(f"{path}: a scenario is a mapping with keys name, description, overrides")
    for key in doc:
        if key not in _TOP_KEYS:
            problems.append(f"unknown key {key!r} (expected {', '.join(sorted(_TOP_KEYS))})")
    name = doc.get("name")
    if not isinstance(name, str) or not name:
        problems.append("name: missing or not a string")
    declared = doc.get("parameters") or {}
    if not isinstance(declared, dict):
        problems.append("parameters: expected a mapping of name: default")
        declared = {}
    given = dict(parameters or {})
    for key in given:
        if key not in declared:
            problems.append(
                f"parameter {key!r} is not declared by this scenario (declared: {sorted(declared)})"
            )
    values = {**declared, **given}
    overrides_doc = doc.get("overrides")
    if overrides_doc is None:
        overrides_doc = []
    if not isinstance(overrides_doc, list):
        problems.append("overrides: expected a list")
        overrides_doc = []
    overrides: list[Override] = []
    for i, item in enumerate(overrides_doc):
        where = f"overrides[{i}]"
        if not isinstance(item, dict):
            problems.append(f"{where}: expected a mapping")
            continue
        item = {k: _substitute(v, values, f"{where}.{k}", problems) for k, v in item.items()}
        for key in item:
            if key not in _OVERRIDE_KEYS:
                problems.append(
                    f"{where}: unknown key {key!r} (expected {', '.join(sorted(_OVERRIDE_KEYS))})"
                )
        layer = item.get("layer")
        if layer not in LAYERS:
            problems.append(f"{where}.layer: unknown layer {layer!r} (expected one of {', '.join(LAYERS)})")
        start = parse_date(item.get("from"))
        if start is None:
            problems.append(f"{where}.from: {item.get('from')!r} is not a date (expected YYYY-MM-DD)")
        partner = item.get("partner")
        if partner is not None:
            partner = str(partner)
            if not (partner == "all" or re.match(r"^[a-z_]+$", partner) or re.match(r"^\d{4}$", partner)):
                problems.append(
                    f"{where}.partner: {partner!r} is not 'all', a group name or a 4-digit Census code"
                )
        coverage = item.get("coverage")
        rate = item.get("rate")
        hold = item.get("hold", False)
        if rate is not None and hold:
            problems.append(f"{where}: give either rate or hold: true, not both")
        if rate is None and not hold:
            problems.append(f"{where}: missing rate (a fraction, 1.25 for 125%) or hold: true")
        if rate is not None:
            if isinstance(rate, bool) or not isinstance(rate, int | float) or not (0 <= float(rate) <= 10):
                problems.append(f"{where}.rate: {rate!r} is not a fraction between 0 and 10 (125% is 1.25)")
                rate = None
            else:
                rate = float(rate)
        if layer in LAYERS and start is not None and (rate is not None or hold):
            overrides.append(
                Override(
                    layer=layer,
                    start=start,
                    partner=partner,
                    coverage=None if coverage is None else str(coverage),
                    rate=rate,
                    note=str(item.get("note", "")),
                )
            )
    if problems:
        raise ScenarioError(f"invalid scenario {path}: " + "; ".join(problems))
    return Scenario(
        name=str(name),
        description=str(doc.get("description", "")),
        overrides=tuple(overrides),
        parameters=values,
        path=path,
    )


def _substitute(value: Any, values: dict[str, Any], where: str, problems: list[str]) -> Any:
    if isinstance(value, str):
        match = _PARAM.match(value.strip())
        if match:
            if match.group(1) not in values:
                problems.append(f"{where}: unknown parameter {match.group(1)!r} (declared: {sorted(values)})")
                return None
            return values[match.group(1)]
    return value
