"""Headline figures and the story of a page: the few numbers a report stands for, handed from the kernel
to the runner.

A notebook calls ``headline(passthrough=0.93)`` for plain numbers, or gives each figure its unit, period
and interval with `Figure`::

    headline(cost_to_buyers=Figure(-12.3e9, "usd_bn", label="Cost to buyers", low=-14e9, high=-10e9,
                                   period="a year, at 2024 trade"))

That displays one output carrying the figures twice: as ``application/vnd.econ.headline+json`` (read back
by the runner from the executed notebook into ``reports/<run>.json``, each `Figure` as an object with its
value, unit, interval and period) and as a small HTML table the reader sees. `story` states the page's
title, the question it answers and its three lead figures: the runner puts the title at the top of the
page and in the index, and the figures in cards under it. Nothing is written to disk by the kernel: the
executed notebook is the only channel.
"""

from __future__ import annotations

import json
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from econ import formatting

HEADLINE_MIME = "application/vnd.econ.headline+json"
STORY_MIME = "application/vnd.econ.story+json"

Plain = str | int | float | bool | None


@dataclass(frozen=True)
class Figure:
    """One headline figure: its value in the storage convention of its unit (`econ.formatting.Unit`:
    fractions for percent, dollars for $ billion), what it is, its interval and the period it covers."""

    value: Plain
    unit: formatting.Unit = "ratio"
    label: str = ""
    low: float | None = None
    high: float | None = None
    interval: str = "5–95%"
    """What the interval is (the 5th to 95th percentile of parameter draws, a 95% confidence interval)."""
    period: str = ""
    note: str = ""
    """One phrase a reader needs to read the sign or the scale ("negative: a saving to buyers")."""
    decimals: int | None = None
    """Decimals to show where the unit's default would round the figure away (0.05% of GDP)."""

    def __post_init__(self) -> None:
        formatting.check_unit(self.unit)
        for name in ("value", "low", "high"):
            object.__setattr__(self, name, _plain(f"{self.label or 'figure'}.{name}", getattr(self, name)))

    def text(self) -> str:
        """The figure in words: ``−$12.3 billion (5–95%: −$14.0 to −$10.0 billion)``."""
        shown = self.shown()
        if self.low is None or self.high is None:
            return shown
        return f"{shown} ({self.interval}: {self.range()})"

    def shown(self) -> str:
        """The value with its unit, at the figure's decimals."""
        return formatting.quantity(self.value, self.unit, decimals=self.decimals)

    def range(self) -> str:
        """The interval with its unit, at the figure's decimals."""
        return formatting.interval(self.low, self.high, self.unit, decimals=self.decimals)

    def as_json(self) -> dict[str, Plain]:
        return {
            "value": self.value,
            "unit": self.unit,
            "label": self.label,
            "low": self.low,
            "high": self.high,
            "interval": self.interval if self.low is not None else None,
            "period": self.period,
            "note": self.note,
        } | ({"decimals": self.decimals} if self.decimals is not None else {})

    @classmethod
    def from_json(cls, record: Any) -> Figure:
        """A figure from `as_json`'s object, or from a plain value (shown as a ratio, or as text)."""
        if isinstance(record, dict) and "value" in record and "unit" in record:
            return cls(
                record["value"],
                record["unit"],
                label=str(record.get("label") or ""),
                low=record.get("low"),
                high=record.get("high"),
                interval=str(record.get("interval") or "5–95%"),
                period=str(record.get("period") or ""),
                note=str(record.get("note") or ""),
                decimals=record.get("decimals"),
            )
        unit: formatting.Unit = "ratio" if formatting.is_finite_number(record) else "text"
        return cls(record if not isinstance(record, dict) else str(record), unit)


def _plain(name: str, value: Any) -> Plain:
    # numpy and pandas scalars become Python numbers so that the figure survives JSON unchanged
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        return None if math.isnan(number) else number
    raise TypeError(
        f"headline figure {name!r} must be a number, a string, a bool or None; got {type(value).__name__}"
    )


def _json(value: Any) -> Any:
    return value.as_json() if isinstance(value, Figure) else value


def headline_bundle(figures: Mapping[str, Any]) -> dict[str, Any]:
    """The MIME bundle for `figures`: the machine-readable JSON, an HTML table and plain text."""

    def shown(name: str, value: Any) -> tuple[str, str]:
        figure = value if isinstance(value, Figure) else Figure.from_json(value)
        return figure.label or name.replace("_", " "), figure.text()

    rows = [shown(name, value) for name, value in figures.items()]
    cells = "".join(
        f"<tr><th>{formatting.html(label)}</th><td>{formatting.html(text)}</td></tr>" for label, text in rows
    )
    return {
        HEADLINE_MIME: {name: _json(value) for name, value in figures.items()},
        "text/html": f'<table class="econ-headline"><caption>Headline figures</caption>{cells}</table>',
        "text/plain": "\n".join(f"{label}: {text}" for label, text in rows),
    }


def headline(figures: Mapping[str, Any] | None = None, /, **named: Any) -> dict[str, Any]:
    """Show the report's headline figures and mark them for `reports/<run>.json`.

    Call it once or several times; later calls add figures (a repeated name keeps the last value).
    Returns the figures (plain Python values, and the `Figure`s as given). Outside IPython it only
    returns them.
    """
    merged: dict[str, Any] = {**(dict(figures) if figures else {}), **named}
    plain = {
        str(name): value if isinstance(value, Figure) else _plain(str(name), value)
        for name, value in merged.items()
    }
    json.dumps({name: _json(value) for name, value in plain.items()})  # fail here, not in the runner
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython ships with ipykernel
        return plain
    if get_ipython() is not None:
        display(headline_bundle(plain), raw=True)
    return plain


def headlines_from_notebook(notebook: Any) -> dict[str, Any]:
    """Collect every headline output of an executed notebook, in cell order (later names win)."""
    figures: dict[str, Any] = {}
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []) or []:
            data = output.get("data") or {}
            if HEADLINE_MIME in data:
                value = data[HEADLINE_MIME]
                if isinstance(value, str):  # some writers store JSON MIME data as text
                    value = json.loads(value)
                figures.update(value)
    return figures


def story_bundle(title: str, question: str, lead: Mapping[str, Figure], answer: str = "") -> dict[str, Any]:
    """The MIME bundle of `story`: the story's JSON for the runner and the cards the reader sees."""
    cards = "".join(
        '<div class="econ-card">'
        f'<div class="econ-card-label">{formatting.html(figure.label or name.replace("_", " "))}</div>'
        + f'<div class="econ-card-value">{formatting.html(figure.shown())}'
        + "</div>"
        + (
            f'<div class="econ-card-interval">{formatting.html(figure.interval)}: '
            f"{formatting.html(figure.range())}</div>"
            if figure.low is not None and figure.high is not None
            else ""
        )
        + (f'<div class="econ-card-period">{formatting.html(figure.period)}</div>' if figure.period else "")
        + (f'<div class="econ-card-note">{formatting.html(figure.note)}</div>' if figure.note else "")
        + "</div>"
        for name, figure in lead.items()
    )
    answer_html = f'<p class="econ-answer">{formatting.html(answer)}</p>' if answer else ""
    return {
        STORY_MIME: {"title": title, "question": question, "lead": list(lead), "answer": answer},
        "text/html": (
            f'<section class="econ-story"><p class="econ-question">{formatting.html(question)}</p>'
            f'<div class="econ-cards">{cards}</div>{answer_html}</section>'
        ),
        "text/plain": f"{title}\n{question}\n"
        + "\n".join(f"{figure.label or name}: {figure.text()}" for name, figure in lead.items()),
    }


def story(*, title: str, question: str, lead: Mapping[str, Figure], answer: str = "") -> None:
    """State the page's title, the question it answers and its lead figures (three, each a `Figure`).

    The runner takes the title for the page and the index, and shows the figures as cards at the top;
    they are also headline figures (in ``reports/<run>.json``). `answer` is one sentence, generated from
    the figures, that answers the question. Call it once, early: it is the first screen of the page.
    """
    if not title.strip() or not question.strip():
        raise ValueError("a story needs a title and a question")
    if not 1 <= len(lead) <= 4 or not all(isinstance(figure, Figure) for figure in lead.values()):
        raise ValueError("a story leads with one to four headline figures, each a Figure (three is best)")
    bundle = story_bundle(title, question, lead, answer)
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython ships with ipykernel
        return
    if get_ipython() is not None:
        lead_json = {name: figure.as_json() for name, figure in lead.items()}
        display({**bundle, HEADLINE_MIME: lead_json}, raw=True)


def story_from_notebook(notebook: Any) -> dict[str, Any]:
    """The story an executed notebook stated (the last, if several), else an empty dict."""
    found: dict[str, Any] = {}
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []) or []:
            data = output.get("data") or {}
            if STORY_MIME in data:
                value = data[STORY_MIME]
                found = json.loads(value) if isinstance(value, str) else dict(value)
    return found
