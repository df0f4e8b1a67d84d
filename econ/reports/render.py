"""Executed notebook -> one self-contained HTML page.

nbconvert's HTMLExporter on the JupyterLab template, with images embedded as data URIs and the blocks
that would fetch scripts from the web (require.js, MathJax, Mermaid, widgets) emptied, so the page opens
the same from an e-mail attachment on a train. Around the notebook's own output the page gets: the title,
the synthetic-data banner when the dataset is the demo world, the parameters at the top, and the
provenance section at the end. Every value that came from outside (parameters, names, versions) is
HTML-escaped before it reaches the page.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from typing import Any

import nbformat
from jinja2 import DictLoader
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor

DEMO_BANNER = "Synthetic demo data — not real statistics"

_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}
<style type="text/css">{{ resources.econ.css }}</style>
{%- endblock html_head_css -%}
{%- block body_header -%}
{{ super() }}
{{ resources.econ.header }}
{%- endblock body_header -%}
{% block body_footer %}
{{ resources.econ.footer }}
{{ super() }}
{% endblock body_footer %}
"""

_CSS = """
.econ-banner { background: #b00020; color: #fff; font: bold 1.1em sans-serif; padding: 0.6em 1em;
  text-align: center; }
.econ-header, .econ-provenance { font-family: sans-serif; margin: 1em 2em; }
.econ-header h1 { margin-bottom: 0.2em; }
.econ-header table, .econ-provenance table, table.econ-headline { border-collapse: collapse;
  margin: 0.5em 0; }
.econ-header th, .econ-header td, .econ-provenance th, .econ-provenance td, table.econ-headline th,
table.econ-headline td { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; }
.econ-provenance { border-top: 2px solid #888; padding-top: 0.5em; font-size: 0.9em; }
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


def header_html(*, title: str, run: str, parameters: Mapping[str, Any], is_demo: bool) -> str:
    """The top of the page: banner on demo data, the title, the run's parameters."""
    banner = f'<div class="econ-banner" role="alert">{html.escape(DEMO_BANNER)}</div>' if is_demo else ""
    return (
        f'{banner}<header class="econ-header"><h1>{html.escape(title)}</h1>'
        f"<p>Run <code>{html.escape(run)}</code></p>"
        f'<section id="parameters"><h2>Parameters</h2>{_table(parameters)}</section></header>'
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


def render_html(
    notebook: Any,
    *,
    title: str,
    run: str,
    parameters: Mapping[str, Any],
    is_demo: bool,
    provenance: Mapping[str, Any],
    show_code: bool = False,
) -> str:
    """The executed `notebook` as one self-contained HTML page (see the module docstring)."""
    notebook = nbformat.from_dict(notebook)
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
    resources = {
        "econ": {
            "css": _CSS,
            "header": header_html(title=title, run=run, parameters=parameters, is_demo=is_demo),
            "footer": footer_html(provenance),
        }
    }
    body, _ = exporter.from_notebook_node(notebook, resources=resources)
    return body
