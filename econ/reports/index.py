"""reports/index.html, the front page, and reports/compare-<grid>.html, one page per grid: drawn from the
record of runs (reports/manifest.json, read and written by `econ.manifest`).

The index lists each run by the title its page states (`econ.reports.story`), with the question it answers,
its lead figures (units and intervals, through `econ.formatting`), the dataset, its status and only the
parameters that differ from its notebook's defaults. A grid's runs are grouped under a link to their
comparison page: the headline figures side by side, the parameters that differ between the runs
highlighted, and one figure across the runs (the first lead figure with its interval).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from econ import atomic, formatting
from econ.reports.headline import Figure
from econ.reports.runs import COMPARISON_PREFIX
from econ.reports.stories import parameter_value

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5em 2em; max-width: 90em;
  color: #222; }
h1 { margin-bottom: 0.2em; } h2 { margin-top: 1.4em; border-bottom: 1px solid #ccc; }
p.synthetic { background: #b00020; color: white; padding: 0.5em 1em; font-weight: bold; }
.run { border: 1px solid #d5dce5; border-left: 5px solid #1f4e79; border-radius: 4px; margin: 0.8em 0;
  padding: 0.6em 1em; background: #fbfcfe; }
.run.status-failed { border-left-color: #b00020; background: #fdf1f2; }
.run.status-not-built { border-left-color: #999; color: #555; }
.run h3 { margin: 0 0 0.2em; font-size: 1.15em; } .run .question { margin: 0.1em 0 0.4em; color: #333; }
.figures { display: flex; flex-wrap: wrap; gap: 0.6em 1.6em; margin: 0.3em 0; }
.figure .label { font-size: 0.85em; color: #555; } .figure .value { font-size: 1.25em; font-weight: 700; }
.figure .interval { font-size: 0.8em; color: #555; }
.meta { font-size: 0.85em; color: #555; } .meta code { font-size: 0.95em; }
table { border-collapse: collapse; margin: 0.6em 0; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3em 0.7em; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #888; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.differs td, tr.differs th { background: #fff4cc; }
figure { margin: 1em 0; } figure img { max-width: 100%; }
.econ-chart.econ-drawn img.econ-static { display: none; }
"""


def build_note(record: Mapping[str, Any]) -> str:
    """What the last `econ report` did with a run, in words: built now (and why), up to date, failed."""
    action, reason = record.get("last_action"), str(record.get("reason") or "")
    if action == "built":
        # the reason is the cache's ("never built", "parameters changed: …"): say it as the cause
        if reason == "never built":
            return "built in this run (its first build)"
        return f"built in this run: {reason}" if reason else "built in this run"
    if action == "skipped":
        return "up to date (unchanged since it was built)"
    if action in ("failed", "blocked"):
        return f"failed: {record.get('error') or reason}"
    return "not built yet: run econ report"


def _figures(record: Mapping[str, Any]) -> dict[str, Figure]:
    headline = record.get("headline") or {}
    return {name: Figure.from_json(value) for name, value in headline.items()}


def lead_figures(record: Mapping[str, Any], count: int = 3) -> dict[str, Figure]:
    """The figures a run leads with: its story's, else its first `count` headline figures with a unit."""
    figures = _figures(record)
    story = record.get("story") or {}
    names = [name for name in story.get("lead") or [] if name in figures]
    if not names:
        names = [name for name, figure in figures.items() if figure.unit != "text"][:count]
    return {name: figures[name] for name in names}


def run_title(name: str, record: Mapping[str, Any]) -> str:
    """The title the run's page states, else its notebook in words with the parameters it changes."""
    story = record.get("story") or {}
    if story.get("title"):
        return str(story["title"])
    notebook = str(record.get("notebook") or name).replace("_", " ").capitalize()
    changed = record.get("changed") or {}
    if not changed:
        return notebook
    return f"{notebook}: " + ", ".join(
        f"{key} {parameter_value(key, value)}" for key, value in changed.items()
    )


def _figure_html(name: str, figure: Figure) -> str:
    interval = (
        f'<div class="interval">{html.escape(figure.interval)}: {html.escape(figure.range())}</div>'
        if figure.low is not None and figure.high is not None
        else ""
    )
    label = figure.label or name.replace("_", " ")
    # a label that names its period already ("US imports from China, 2024") does not repeat it
    period = f", {figure.period}" if figure.period and figure.period not in label else ""
    return (
        f'<div class="figure"><div class="label">{html.escape(label + period)}</div>'
        f'<div class="value">{html.escape(figure.shown())}</div>'
        f"{interval}</div>"
    )


def _settings(values: Mapping[str, Any]) -> str:
    return ", ".join(
        f"<code>{html.escape(str(key))}</code> = {html.escape(parameter_value(str(key), value))}"
        for key, value in values.items()
    )


def run_label(name: str, parameters: Mapping[str, Any], differs: Sequence[str]) -> str:
    """A run among the runs of its grid, by the parameters that set it apart ("restriction 0.9")."""
    if not differs:
        return name
    return ", ".join(
        f"{key.replace('_', ' ')} {parameter_value(key, parameters.get(key))}" for key in differs
    )


def _value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _run_html(name: str, record: Mapping[str, Any]) -> str:
    status = str(record.get("status", "not built"))
    if status == "ok" and record.get("html"):
        title = f'<a href="{html.escape(str(record["html"]))}">{html.escape(run_title(name, record))}</a>'
    else:
        title = html.escape(run_title(name, record))
    failed = (
        f' — <a href="{html.escape(str(record["failed_notebook"]))}">the failed notebook</a>'
        if record.get("failed_notebook")
        else ""
    )
    story = record.get("story") or {}
    question = (
        f'<p class="question">{html.escape(str(story["question"]))}</p>' if story.get("question") else ""
    )
    figures = "".join(_figure_html(key, figure) for key, figure in lead_figures(record).items())
    changed = record.get("changed")
    settings = (
        f"parameters changed from the defaults: {_settings(changed)}"
        if changed
        else "the notebook's default parameters"
        if changed is not None
        else f"parameters: {_settings(record.get('parameters') or {})}"
    )
    duration = record.get("duration_s")
    when = f"ran {html.escape(str(record.get('started')))} UTC" if record.get("started") else "never ran"
    took = f" in {duration:.0f} s" if isinstance(duration, int | float) else ""
    return (
        f'<div class="run status-{html.escape(status.replace(" ", "-"))}"><h3>{title}</h3>{question}'
        f'<div class="figures">{figures}</div>'
        f'<p class="meta">Run <code>{html.escape(name)}</code> · '
        f"notebook {html.escape(str(record.get('notebook', '')))}"
        f" · dataset {html.escape(str(record.get('dataset', '')))} · status {html.escape(status)} · "
        f"{settings} · {when}{took} · {html.escape(build_note(record))}{failed}</p></div>"
    )


def comparison_name(origin: str) -> str:
    """The file name of a grid's comparison page: ``grid geneva_reduction_{scenario}`` →
    ``compare-geneva_reduction_scenario.html``."""
    template = origin.removeprefix("grid ").strip()
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", template.replace("{", "").replace("}", "")).strip("_.")
    return f"{COMPARISON_PREFIX}{slug or 'grid'}.html"


def grids(manifest: Mapping[str, Any]) -> dict[str, list[str]]:
    """Each grid's comparison page name -> its runs, in the order of the record (a grid of one run has
    no comparison page: `write_index` writes pages for grids of two or more)."""
    found: dict[str, list[str]] = {}
    for name, record in (manifest.get("runs") or {}).items():
        origin = str(record.get("origin") or "")
        if origin.startswith("grid "):
            found.setdefault(comparison_name(origin), []).append(name)
    return found


def _page(title: str, body: str, *, scripts: list[str] | None = None) -> str:
    from econ.reports.render import content_security_policy

    scripts = scripts or []
    script_tags = "".join(f"<script>{script}</script>" for script in scripts)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy(scripts)}">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head>\n<body>{body}{script_tags}</body></html>\n"
    )


def _banner(records: Mapping[str, Any]) -> str:
    # the pages a reader can open: a demo run never built in this home is no page of the synthetic world
    demo_runs = sum(
        1 for record in records.values() if record.get("dataset") == "demo" and not _waiting(record)
    )
    if not demo_runs:
        return ""
    return (
        f'<p class="synthetic">{demo_runs} of these reports run on the synthetic demo world '
        "(dataset demo): illustrations of the method, not real statistics.</p>"
    )


def _waiting(record: Mapping[str, Any]) -> bool:
    """Never built in this home (not a failure: a failed run stays where it belongs, with its error)."""
    return str(record.get("status", "not built")) not in ("ok", "failed")


def index_html(manifest: Mapping[str, Any]) -> str:
    """The front page: every run, grouped by grid, with a link to each grid's comparison page; runs never
    built in this home (the real runs beside a demo build) listed last, with what builds them."""
    records: Mapping[str, Any] = manifest.get("runs", {})
    in_grid = grids(manifest)
    grouped = {name for names in in_grid.values() for name in names}
    sections = []
    single = [name for name in records if name not in grouped and not _waiting(records[name])]
    if single:
        sections.append("<h2>Reports</h2>" + "".join(_run_html(name, records[name]) for name in single))
    for page, every in in_grid.items():
        names = [name for name in every if not _waiting(records[name])]
        if not names:
            continue
        notebook = str(records[names[0]].get("notebook", "")).replace("_", " ").capitalize()
        built = [name for name in names if records[name].get("status") == "ok"]
        heading = (
            f'{html.escape(notebook)}: {len(names)} runs of one grid (<a href="{html.escape(page)}">compare '
            "them side by side</a>)"
            if len(built) > 1
            else f"{html.escape(notebook)}: {len(names)} run{'s' if len(names) > 1 else ''} of one grid"
        )
        sections.append(f"<h2>{heading}</h2>" + "".join(_run_html(name, records[name]) for name in names))
    waiting = [name for name in records if _waiting(records[name])]
    if waiting:
        datasets = {records[name].get("dataset") for name in waiting}
        how = (
            " ".join(
                [
                    *(["The demo runs: <code>make reports</code>."] if "demo" in datasets else []),
                    *(
                        [
                            "The runs on the agencies' own files need them in data/raw/ (README, “Real "
                            "data”), then <code>make real</code>."
                        ]
                        if "real" in datasets
                        else []
                    ),
                ]
            )
            or "<code>econ report</code> builds them."
        )
        sections.append(
            f'<h2>Not built here</h2><p class="meta">{how}</p>'
            + "".join(_run_html(name, records[name]) for name in waiting)
        )
    git = manifest.get("git") or {}
    commit = git.get("commit") or "unknown"
    dirty = " (with uncommitted changes)" if git.get("dirty") else ""
    body = (
        "<h1>US–China tariffs and critical-mineral controls: the reports</h1>"
        f"{_banner(records)}"
        f'<p class="meta">Updated {html.escape(str(manifest.get("updated", "")))} UTC from commit '
        f"{html.escape(str(commit)[:12])}{dirty}. Each report is one self-contained page.</p>"
        + "".join(sections)
    )
    return _page("econ reports", body)


def comparison_html(manifest: Mapping[str, Any], names: list[str]) -> str:
    """One grid's runs side by side (see the module docstring)."""
    from econ import plots

    records = {name: manifest["runs"][name] for name in names}
    parameters = {name: record.get("parameters") or {} for name, record in records.items()}
    keys = list(dict.fromkeys(key for values in parameters.values() for key in values))
    differs = {key for key in keys if len({_value(values.get(key)) for values in parameters.values()}) > 1}
    figures = {name: _figures(record) for name, record in records.items()}
    # text figures (the scenario's name, the date) repeat the parameters above them
    figure_names = list(
        dict.fromkeys(
            key for found in figures.values() for key, figure in found.items() if figure.unit != "text"
        )
    )
    varying = [key for key in keys if key in differs]
    labels = {name: run_label(name, parameters[name], varying) for name in names}
    head = "".join(
        f'<th scope="col"><a href="{html.escape(str(records[name].get("html") or ""))}">'
        f"{html.escape(labels[name])}</a></th>"
        if records[name].get("status") == "ok"
        else f'<th scope="col">{html.escape(labels[name])} '
        f"({html.escape(str(records[name].get('status')))})</th>"
        for name in names
    )
    rows = []
    for key in figure_names:
        sample = next(found[key] for found in figures.values() if key in found)
        label = sample.label or key.replace("_", " ")
        cells = "".join(
            '<td class="num">'
            + (html.escape(figures[name][key].text()) if key in figures[name] else formatting.MISSING)
            + "</td>"
            for name in names
        )
        rows.append(f'<tr><th scope="row">{html.escape(label)}</th>{cells}</tr>')
    # the figures first, then the parameters that produced them (the differing ones highlighted)
    for key in keys:
        mark = ' class="differs"' if key in differs else ""
        cells = "".join(
            f"<td>{html.escape(parameter_value(key, parameters[name].get(key)))}</td>" for name in names
        )
        rows.append(f'<tr{mark}><th scope="row">parameter <code>{html.escape(key)}</code></th>{cells}</tr>')
    table = f"<table><thead><tr><th></th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    chart_html, scripts = "", []
    leads = [lead_figures(record) for record in records.values()]
    first = next((next(iter(lead)) for lead in leads if lead), None)
    if first is not None:
        chart_html = _comparison_chart(first, figures, names, labels)
        scripts = plots.chart_scripts()
    notebook = str(records[names[0]].get("notebook", "")).replace("_", " ").capitalize()
    title = f"{notebook}: {len(names)} runs side by side"
    varied = ", ".join(sorted(differs)) or "nothing"
    body = (
        f"<h1>{html.escape(title)}</h1>{_banner(records)}"
        f'<p class="meta"><a href="index.html">All reports</a> · the runs differ in: '
        f"{html.escape(varied)} (highlighted).</p>{chart_html}{table}"
    )
    return _page(title, body, scripts=scripts)


def _comparison_chart(
    key: str, figures: Mapping[str, Mapping[str, Figure]], names: list[str], labels: Mapping[str, str]
) -> str:
    import altair as alt
    import pandas as pd

    from econ import plots

    rows = []
    for name in names:
        figure = figures[name].get(key)
        if figure is None or not formatting.is_finite_number(figure.value):
            continue
        scale = formatting.display_scale(figure.unit) if figure.unit != "usd" else 1e-9
        rows.append(
            {
                "run": labels[name],
                "value": float(figure.value) * scale,  # type: ignore[arg-type]
                "low": None if figure.low is None else figure.low * scale,
                "high": None if figure.high is None else figure.high * scale,
            }
        )
    if not rows:
        return ""
    sample = next(figures[name][key] for name in names if key in figures[name])
    unit = "usd_bn" if sample.unit == "usd" else sample.unit
    axis = formatting.header(sample.label or key.replace("_", " "), unit, period=sample.period or None)
    data = pd.DataFrame(rows)
    base = alt.Chart(data).encode(y=alt.Y("run:N", sort=None, title=None, axis=alt.Axis(labelLimit=360)))
    bars = base.mark_bar(color=plots.PALETTE[0]).encode(
        x=alt.X("value:Q", title=axis, scale=alt.Scale(zero=True)), tooltip=["run", "value"]
    )
    layers = bars
    if data["low"].notna().any():  # whiskers only where the runs give intervals
        layers = bars + base.mark_rule(color="black").encode(x="low:Q", x2="high:Q")
    chart = layers.properties(width=620, height=40 * len(rows), title=axis)
    shown = plots.chart(
        chart,
        alt=f"Bar chart of {axis} for each run of the grid, with intervals where the runs give them.",
        caption=f"{axis}, one bar per run"
        + (f"; lines: {sample.interval}." if data["low"].notna().any() else "."),
        data=data,
        name=key,
    )
    return shown.html


def write_index(folder: Path, manifest: Mapping[str, Any]) -> None:
    """Write the index and every grid's comparison page."""
    runs = manifest.get("runs") or {}
    for page, names in grids(manifest).items():
        # a comparison needs two pages to compare: runs never built here (another dataset's) are left out
        built = [name for name in names if runs[name].get("status") == "ok"]
        if len(built) > 1:
            atomic.write_text(folder / page, comparison_html(manifest, built))
    atomic.write_text(folder / "index.html", index_html(manifest))
