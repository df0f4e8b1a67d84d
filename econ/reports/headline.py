"""Headline figures: the few numbers a report stands for, handed from the kernel to the runner.

A notebook calls ``headline(passthrough=0.93, duty_collected_bn=78.2)`` (or ``headline({...})``). That
displays one output carrying the figures twice: as ``application/vnd.econ.headline+json`` (read back by
the runner from the executed notebook into ``reports/<run>.json``) and as a small HTML table the reader
sees. Nothing is written to disk by the kernel: the executed notebook is the only channel.
"""

from __future__ import annotations

import html
import json
import math
import numbers
from collections.abc import Mapping
from typing import Any

HEADLINE_MIME = "application/vnd.econ.headline+json"

Figure = str | int | float | bool | None


def _plain(name: str, value: Any) -> Figure:
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


def headline_bundle(figures: Mapping[str, Any]) -> dict[str, Any]:
    """The MIME bundle for `figures`: the machine-readable JSON, an HTML table and plain text."""
    rows = "".join(
        f"<tr><th>{html.escape(name)}</th><td>{html.escape(_format(value))}</td></tr>"
        for name, value in figures.items()
    )
    return {
        HEADLINE_MIME: dict(figures),
        "text/html": f'<table class="econ-headline"><caption>Headline figures</caption>{rows}</table>',
        "text/plain": "\n".join(f"{name}: {_format(value)}" for name, value in figures.items()),
    }


def headline(figures: Mapping[str, Any] | None = None, /, **named: Any) -> dict[str, Figure]:
    """Show the report's headline figures and mark them for `reports/<run>.json`.

    Call it once or several times; later calls add figures (a repeated name keeps the last value).
    Returns the figures as plain Python values. Outside IPython it only returns them.
    """
    merged: dict[str, Any] = {**(dict(figures) if figures else {}), **named}
    plain = {str(name): _plain(str(name), value) for name, value in merged.items()}
    json.dumps(plain)  # fail here, in the notebook, rather than later in the runner
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython ships with ipykernel
        return plain
    if get_ipython() is not None:
        display(headline_bundle(plain), raw=True)
    return plain


def headlines_from_notebook(notebook: Any) -> dict[str, Figure]:
    """Collect every headline output of an executed notebook, in cell order (later names win)."""
    figures: dict[str, Figure] = {}
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []) or []:
            data = output.get("data") or {}
            if HEADLINE_MIME in data:
                value = data[HEADLINE_MIME]
                if isinstance(value, str):  # some writers store JSON MIME data as text
                    value = json.loads(value)
                figures.update(value)
    return figures


def _format(value: Figure) -> str:
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1e6 else f"{value:,.0f}"
    return "—" if value is None else str(value)
