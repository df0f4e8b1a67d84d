"""Executed notebook -> one self-contained HTML page.

nbconvert's HTMLExporter on the JupyterLab template, with images embedded as data URIs and the blocks
that would fetch scripts from the web (require.js, MathJax, Mermaid, widgets) emptied, so the page opens
the same from an e-mail attachment on a train. Around the notebook's own output the page gets: the
synthetic-data banner when the dataset is the demo world, the title (the notebook's `story`, which follows
its scenario and parameters, else its first heading), the parameters that differ from the notebook's
defaults, a download of the run's figures as JSON, and the provenance section at the end (every
parameter, input hashes, versions).

Nothing on the page runs but the page's own scripts: a Content-Security-Policy admits exactly the scripts
this module adds (by their sha256: the Vega-Lite library and the few lines that draw the interactive
figures of `econ.plots`), images and downloads only as data: URIs, and no request to anywhere. So text
from a data file that was not escaped on its way — a country name holding ``<script>`` or an
``onerror=`` attribute — is inert even then; every value this module places (parameters, names,
versions) is escaped besides.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Mapping
from typing import Any

import nbformat
from jinja2 import DictLoader
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor

from econ.formatting import download_link
from econ.reports.stories import parameter_value

DEMO_BANNER = "Synthetic demo data — not real statistics"

_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}
<meta http-equiv="Content-Security-Policy" content="{{ resources.econ.csp }}">
<style type="text/css">{{ resources.econ.css }}</style>
{%- endblock html_head_css -%}
{%- block body_header -%}
{{ super() }}
{{ resources.econ.header }}
{%- endblock body_header -%}
{% block body_footer %}
{{ resources.econ.footer }}
{{ resources.econ.scripts }}
{{ super() }}
{% endblock body_footer %}
"""

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
.econ-banner { background: #b00020; color: #fff; font: bold 1.05em sans-serif; padding: 0.5em 1em;
  text-align: center; }
.econ-header, .econ-provenance { font-family: sans-serif; margin: 1em 2em; max-width: 70em; }
.econ-header h1 { margin: 0.2em 0 0.3em; font-size: 1.9em; line-height: 1.2; }
.econ-header .econ-run { color: #555; margin: 0.2em 0; }
.econ-header table, .econ-provenance table, table.econ-headline, table.econ-table { border-collapse: collapse;
  margin: 0.5em 0; }
.econ-header th, .econ-header td, .econ-provenance th, .econ-provenance td, table.econ-headline th,
table.econ-headline td { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; }
.econ-provenance { border-top: 2px solid #888; padding-top: 0.5em; font-size: 0.9em; }
.econ-provenance td { word-break: break-all; }
.econ-story { margin: 0.4em 0 1em; }
.econ-question { font-size: 1.2em; color: #333; margin: 0 0 0.6em; }
.econ-cards { display: flex; flex-wrap: wrap; gap: 0.8em; }
.econ-card { border: 1px solid #c9d3df; border-left: 5px solid #1f4e79; border-radius: 4px;
  padding: 0.5em 0.9em; min-width: 14em; max-width: 22em; background: #f7f9fc; }
.econ-card-label { font-size: 0.9em; color: #333; font-weight: 600; }
.econ-card-value { font-size: 1.7em; font-weight: 700; color: #1f4e79; margin: 0.1em 0; }
.econ-card-interval, .econ-card-period, .econ-card-note { font-size: 0.85em; color: #555; }
.econ-answer { font-size: 1.05em; max-width: 60em; }
table.econ-table { font-size: 0.92em; }
table.econ-table th, table.econ-table td { border-bottom: 1px solid #ddd; padding: 0.25em 0.7em; }
table.econ-table thead th { border-bottom: 2px solid #888; vertical-align: bottom; }
table.econ-table td.num, table.econ-table th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.econ-table td, table.econ-table th.text, table.econ-table th[scope="row"],
table.econ-table thead th { text-align: left; }
table.econ-table tr.econ-other td { font-style: italic; color: #444; }
table.econ-table tr.econ-total td { font-weight: 700; border-top: 2px solid #888; }
table.econ-table caption { caption-side: top; text-align: left; font-weight: 600; padding-bottom: 0.3em; }
.econ-table-note, .econ-download { font-size: 0.85em; color: #555; margin: 0.2em 0 0.8em; }
a.econ-download-link { margin-right: 1em; }
figure.econ-figure { margin: 0.5em 0 1.2em; max-width: 100%; }
figure.econ-figure img { max-width: 100%; height: auto; }
figure.econ-figure figcaption { font-size: 0.85em; color: #555; max-width: 60em; }
.econ-chart.econ-drawn img.econ-static { display: none; }
.jp-OutputArea-output pre { white-space: pre-wrap; }
"""


def _table(rows: Mapping[str, Any]) -> str:
    cells = "".join(
        f"<tr><th>{html.escape(str(name))}</th><td>{html.escape(_text(value))}</td></tr>"
        for name, value in rows.items()
    )
    return f"<table>{cells}</table>"


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def header_html(
    *,
    title: str,
    run: str,
    parameters: Mapping[str, Any],
    is_demo: bool,
    changed: Mapping[str, Any] | None = None,
    downloads: str = "",
) -> str:
    """The top of the page: banner on demo data, the title, the parameters that differ from the defaults
    (every parameter is in the provenance section), downloads of the run's figures."""
    banner = f'<div class="econ-banner" role="alert">{html.escape(DEMO_BANNER)}</div>' if is_demo else ""
    shown = parameters if changed is None else changed
    if shown:
        settings = ", ".join(
            f"<code>{html.escape(str(name))}</code> = {html.escape(parameter_value(str(name), value))}"
            for name, value in shown.items()
        )
        line = (
            f"Parameters changed from the notebook's defaults: {settings}."
            if changed is not None
            else settings
        )
    else:
        line = "The notebook's default parameters."
    return (
        f'{banner}<header class="econ-header"><h1>{html.escape(title)}</h1>'
        f'<p class="econ-run">Run <code>{html.escape(run)}</code>. <span id="parameters">{line}</span> '
        "Every parameter, the data and the code it ran on are listed under "
        '<a href="#provenance">Provenance</a> at the end.</p>'
        f"{downloads}</header>"
    )


def footer_html(provenance: Mapping[str, Any]) -> str:
    """The provenance section: parameters, dataset, input hashes, git state, package versions, time taken."""
    git = provenance.get("git") or {}
    if git.get("commit") is None:
        commit = "unknown (not a git checkout)"
    else:
        dirty = {True: " (uncommitted changes)", False: " (clean)", None: ""}[git.get("dirty")]
        commit = f"{git['commit']}{dirty}"
    summary = {
        "dataset": provenance.get("dataset"),
        "git commit": commit,
        "started": provenance.get("started"),
        "time taken": f"{provenance.get('duration_s', 0):.1f} s",
        "run key": provenance.get("key"),
        "host": provenance.get("host"),
    }
    return (
        '<section class="econ-provenance" id="provenance"><h2>Provenance</h2>'
        f"{_table(summary)}"
        f"<h3>Parameters</h3>{_table(provenance.get('parameters') or {})}"
        f"<h3>Input data (sha256)</h3>{_table(provenance.get('inputs') or {'(none)': ''})}"
        f"<h3>Package versions</h3>{_table(provenance.get('packages') or {})}"
        "</section>"
    )


def notebook_title(notebook: Any, fallback: str) -> str:
    """The notebook's first markdown heading, else `fallback` in words."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return fallback.replace("_", " ").capitalize()


_H1 = re.compile(r"^# [^\n]*\n?", re.MULTILINE)


def _drop_headings(notebook: Any) -> None:
    # One h1 per page: the story's title, which follows the run's scenario; the notebook's own generic
    # heading (kept for readers of the notebook in JupyterLab) would contradict it.
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            cell.source = _H1.sub("", cell.source)


def _script_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def content_security_policy(scripts: list[str]) -> str:
    """The page's policy: its own `scripts` (by hash) and nothing else; data: images; no requests."""
    allowed = " ".join(_script_hash(script) for script in scripts)
    # Vega compiles its expressions with Function(): 'unsafe-eval' admits that, and nothing inline.
    script_src = f"script-src {allowed} 'unsafe-eval'" if scripts else "script-src 'none'"
    return (
        f"default-src 'none'; {script_src}; style-src 'unsafe-inline'; img-src data:; font-src data:; "
        "connect-src 'none'; form-action 'none'; base-uri 'none'"
    )


def render_html(
    notebook: Any,
    *,
    title: str,
    run: str,
    parameters: Mapping[str, Any],
    is_demo: bool,
    provenance: Mapping[str, Any],
    show_code: bool = False,
    changed: Mapping[str, Any] | None = None,
    headline: Mapping[str, Any] | None = None,
    story: Mapping[str, Any] | None = None,
) -> str:
    """The executed `notebook` as one self-contained HTML page (see the module docstring).

    `story` (what `econ.reports.story` stated) gives the title; `changed` the parameters that differ
    from the notebook's defaults; `headline` the figures offered for download as JSON.
    """
    from econ.plots import CHART_CLASS, chart_scripts

    notebook = nbformat.from_dict(notebook)
    if story and story.get("title"):
        title = str(story["title"])
        _drop_headings(notebook)
    notebook.metadata["title"] = title
    exporter = HTMLExporter(
        template_name="lab",
        template_file="econ_report.html.j2",
        extra_loaders=[DictLoader({"econ_report.html.j2": _TEMPLATE})],
        embed_images=True,
        exclude_input=not show_code,
        exclude_input_prompt=not show_code,
        exclude_output_prompt=True,
        anchor_link_text="",
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(
            remove_cell_tags=("remove_cell",), remove_input_tags=("remove_input",), enabled=True
        ),
        enabled=True,
    )
    figures = {
        "run": run,
        "title": title,
        "parameters": dict(parameters),
        "headline": dict(headline or {}),
        "story": dict(story or {}),
        "dataset": provenance.get("dataset"),
    }
    downloads = (
        '<p class="econ-download">'
        + download_link(
            json.dumps(figures, indent=2, ensure_ascii=False, default=str).encode(),
            filename=f"{run}.json",
            mime="application/json",
            label="Download the headline figures (JSON: values, units, periods, intervals)",
        )
        + "</p>"
    )
    # The chart library only on pages that have charts: 0.9 MB that a page of tables does without.
    uses_charts = any(
        CHART_CLASS in str(output.get("data", {}).get("text/html", ""))
        for cell in notebook.cells
        for output in cell.get("outputs", []) or []
    )
    scripts = chart_scripts() if uses_charts else []
    resources = {
        "econ": {
            "css": _CSS,
            "csp": content_security_policy(scripts),
            "header": header_html(
                title=title,
                run=run,
                parameters=parameters,
                is_demo=is_demo,
                changed=changed,
                downloads=downloads,
            ),
            "footer": footer_html(provenance),
            "scripts": "".join(f"<script>{script}</script>" for script in scripts),
        }
    }
    body, _ = exporter.from_notebook_node(notebook, resources=resources)
    return body
