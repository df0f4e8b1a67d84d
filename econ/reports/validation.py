"""Validation beside results: each headline figure of a page beside the published figures it should be
read against (FACTS §5, compiled in ``econ/data/anchors.csv`` with their sources) and, on the demo world,
the truth it was written with — with the reason for any gap in one sentence.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from econ import formatting
from econ.reports.headline import Figure

ANCHORS = Path(__file__).resolve().parent.parent / "data" / "anchors.csv"


@dataclass(frozen=True)
class Anchor:
    """A published figure: what it measures, its value (and range) in a unit of `econ.formatting`."""

    anchor: str
    measure: str
    value: float
    unit: formatting.Unit
    low: float | None
    high: float | None
    source: str

    def text(self) -> str:
        shown = formatting.quantity(self.value, self.unit)
        if self.low is not None and self.high is not None:
            shown = f"{formatting.interval(self.low, self.high, self.unit)}"
        return shown


@cache
def anchors() -> dict[str, Anchor]:
    """Every published figure of FACTS §5 that a page may be checked against, by its id."""
    with open(ANCHORS, encoding="utf-8", newline="") as handle:
        return {
            row["anchor"]: Anchor(
                row["anchor"],
                row["measure"],
                float(row["value"]),
                formatting.check_unit(row["unit"]),
                float(row["low"]) if row["low"] else None,
                float(row["high"]) if row["high"] else None,
                row["source"],
            )
            for row in csv.DictReader(handle)
        }


def anchor(name: str) -> Anchor:
    try:
        return anchors()[name]
    except KeyError:
        raise KeyError(f"no published anchor {name!r} in {ANCHORS} (known: {', '.join(anchors())})") from None


@dataclass(frozen=True)
class Check:
    """One line of the validation block: our figure, the anchors it is read against, the demo's truth
    (when the dataset is the demo world) and why they may differ."""

    ours: Figure
    against: Sequence[str] = ()
    truth: float | None = None
    reason: str = ""


def validation_html(checks: Sequence[Check], *, synthetic: bool) -> str:
    """The validation block as an HTML table (escaped), one row per check."""
    head = ["Our figure", "Value", "Published", "Source"] + (["Truth (demo world)"] if synthetic else [])
    head.append("Why they may differ")
    rows = []
    for check in checks:
        found = [anchor(name) for name in check.against]
        published = "; ".join(a.text() for a in found) or formatting.MISSING
        sources = "; ".join(a.source for a in found) or formatting.MISSING
        cells = [check.ours.label, check.ours.text(), published, sources]
        if synthetic:
            cells.append(
                formatting.quantity(check.truth, check.ours.unit) if check.truth is not None else "—"
            )
        cells.append(check.reason or formatting.MISSING)
        rows.append("<tr>" + "".join(f"<td>{formatting.html(cell)}</td>" for cell in cells) + "</tr>")
    header = "".join(f'<th scope="col">{formatting.html(cell)}</th>' for cell in head)
    return (
        '<table class="econ-table econ-validation"><caption>Beside the published figures</caption>'
        f"<thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


class ValidationBlock:
    def __init__(self, html: str) -> None:
        self.html = html

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, object]:
        return {"text/html": self.html, "text/plain": "validation beside the published figures"}


def show(checks: Sequence[Check], *, synthetic: bool) -> ValidationBlock:
    """The validation block for a page (IPython displays it)."""
    return ValidationBlock(validation_html(checks, synthetic=synthetic))
