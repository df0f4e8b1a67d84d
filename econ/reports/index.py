"""reports/index.html and reports/manifest.json: the record of every run.

manifest.json (format 1)::

    {"format": 1, "updated": ISO time, "git": {"commit", "dirty"}, "packages": {...},
     "runs": {name: {"notebook", "parameters", "dataset", "status": "ok"|"failed"|"not built",
                     "last_action": "built"|"skipped"|"failed"|"blocked", "reason", "key", "key_parts",
                     "started", "duration_s", "html", "json", "failed_notebook", "error", "headline"}}}

Paths inside are relative to the reports folder, so a copied folder stays valid.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from econ import atomic

FORMAT = 1


def read_manifest(folder: Path) -> dict[str, Any]:
    """The previous build's manifest, or an empty one (a missing or unreadable manifest rebuilds all)."""
    try:
        document = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {"format": FORMAT, "runs": {}}
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        return {"format": FORMAT, "runs": {}}
    document.setdefault("runs", {})
    return document


def write_manifest(folder: Path, manifest: Mapping[str, Any]) -> None:
    atomic.write_json(folder / "manifest.json", dict(manifest))


def index_html(manifest: Mapping[str, Any]) -> str:
    """A self-contained page listing every run: status, parameters, dataset, when, how long, link."""
    rows = []
    for name, record in sorted(manifest.get("runs", {}).items()):
        status = record.get("status", "not built")
        if status == "ok" and record.get("html"):
            link = f'<a href="{html.escape(record["html"])}">{html.escape(name)}</a>'
        elif record.get("failed_notebook"):
            failed = html.escape(record["failed_notebook"])
            link = f'{html.escape(name)} (<a href="{failed}">failed notebook</a>)'
        else:
            link = html.escape(name)
        parameters = ", ".join(
            f"{html.escape(str(key))}={html.escape(json.dumps(value, ensure_ascii=False))}"
            for key, value in (record.get("parameters") or {}).items()
        )
        duration = record.get("duration_s")
        rows.append(
            f'<tr class="status-{html.escape(status.replace(" ", "-"))}">'
            f"<td>{link}</td><td>{html.escape(status)}</td>"
            f"<td>{html.escape(str(record.get('notebook', '')))}</td>"
            f"<td>{html.escape(str(record.get('dataset', '')))}</td><td>{parameters}</td>"
            f"<td>{html.escape(str(record.get('started') or '—'))}</td>"
            f"<td>{'—' if duration is None else f'{duration:.1f} s'}</td>"
            f"<td>{html.escape(str(record.get('error') or record.get('reason') or ''))}</td></tr>"
        )
    demo_runs = sum(1 for record in manifest.get("runs", {}).values() if record.get("dataset") == "demo")
    banner = (
        f'<p class="synthetic">{demo_runs} of these reports run on the synthetic demo world '
        "(dataset demo): illustrations of the method, not real statistics.</p>"
        if demo_runs
        else ""
    )
    git = manifest.get("git") or {}
    commit = git.get("commit") or "unknown"
    dirty = " (uncommitted changes)" if git.get("dirty") else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>econ reports</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; }}
th, td {{ border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }}
tr.status-failed td {{ background: #fde7e9; }}
tr.status-not-built td {{ color: #777; }}
p.synthetic {{ background: #b00020; color: white; padding: 0.5em 1em; font-weight: bold; }}
</style></head>
<body><h1>econ reports</h1>
{banner}
<p>Updated {html.escape(str(manifest.get("updated", "")))} from commit {html.escape(commit)}{dirty}.</p>
<table><thead><tr><th>Run</th><th>Status</th><th>Notebook</th><th>Dataset</th><th>Parameters</th>
<th>Ran at (UTC)</th><th>Time taken</th><th>Note</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table></body></html>
"""


def write_index(folder: Path, manifest: Mapping[str, Any]) -> None:
    atomic.write_text(folder / "index.html", index_html(manifest))
