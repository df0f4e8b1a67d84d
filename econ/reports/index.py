"""reports/index.html: the front page, drawn from the record of runs (reports/manifest.json, read and
written by `econ.manifest`).
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from econ import atomic


def build_note(record: Mapping[str, Any]) -> str:
    """What the last `econ report` did with a run, in words: built now (and why), up to date, failed."""
    action, reason = record.get("last_action"), str(record.get("reason") or "")
    if action == "built":
        return f"built in this run ({reason})" if reason else "built in this run"
    if action == "skipped":
        return f"up to date: {reason}" if reason else "up to date"
    if action in ("failed", "blocked"):
        return f"failed: {record.get('error') or reason}"
    return "not built yet: run `econ report`"


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
            f"<td>{html.escape(build_note(record))}</td></tr>"
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
