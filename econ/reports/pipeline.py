"""`econ report`: load the runs, decide what to rebuild and why, execute, write every output.

runs.yaml ──load_runs──▶ validated runs ──plan──▶ run / skip (with the reason)
    ──execute_tasks──▶ results ──▶ reports/<run>.html, <run>.json, _failed/<run>.ipynb,
                                   manifest.json, index.html
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from tqdm import tqdm

from econ import atomic, manifest, paths
from econ.lock import home_lock
from econ.reports import cache, commit, index, needs
from econ.reports.engines import check_engine, execute_tasks
from econ.reports.execute import RunResult, RunTask
from econ.reports.provenance import build_provenance
from econ.reports.render import notebook_title
from econ.reports.runs import Run, load_runs

Action = Literal["run", "skip", "blocked"]


@dataclass(frozen=True)
class Decision:
    """What a build will do with one run, and why."""

    run: Run
    action: Action
    reason: str
    key: cache.RunKey


@dataclass
class ReportOutcome:
    """The result of `run_reports`: `ok` is False when any run failed or could not start."""

    decisions: list[Decision]
    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    """Run name -> error message."""
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        if self.dry_run:
            return not any(decision.action == "blocked" for decision in self.decisions)
        return not self.failed


def plan(runs: Sequence[Run], *, force: bool, show_code: bool, previous: dict[str, Any]) -> list[Decision]:
    """Decide for each run whether to execute it, comparing its key with the previous build's record."""
    code = manifest.code_hash()
    folder = paths.reports_dir()
    decisions = []
    action: Action
    for run in runs:
        key = cache.run_key(run, code=code, show_code=show_code)
        record = previous.get(run.name) or {}
        if key.missing_inputs:
            where = paths.processed_dir() / run.dataset
            action, reason = (
                "blocked",
                (
                    f"processed {', '.join(key.missing_inputs)} not found in {where} "
                    f"(run `econ build --data {run.dataset}` first)"
                ),
            )
        elif unmet := needs.cannot_serve(run.parameters):
            action, reason = "blocked", unmet
        elif force:
            action, reason = "run", "forced (--force)"
        elif not record or record.get("status") == "not built":
            action, reason = "run", "never built"
        elif record.get("status") != "ok" or not record.get("key"):
            action, reason = "run", "failed last time"
        elif damaged := commit.problems(folder, run.name, record):
            action, reason = "run", "report files do not match their record: " + "; ".join(damaged)
        elif record["key"] != key.key:
            action, reason = "run", "; ".join(cache.why_changed(record.get("key_parts") or {}, key.parts))
        else:
            action, reason = "skip", f"unchanged since {record.get('started', 'the last build')}"
        decisions.append(Decision(run, action, reason or "key changed", key))
    return decisions


def run_reports(
    runs: list[str] | None = None,
    *,
    jobs: int = 1,
    force: bool = False,
    dry_run: bool = False,
    show_code: bool = False,
    scheduler: str | None = None,
    dask_workers: int | None = None,
    runs_file: str | Path | None = None,
    notebooks_dir: str | Path | None = None,
    echo: Callable[[str], None] = print,
    progress: bool = True,
) -> ReportOutcome:
    """Build the reports of runs.yaml (all, or the named `runs`); see the module docstring.

    Parameters are validated and the engine options checked before anything executes; a bad parameter
    raises econ.errors.ParameterError listing every problem. `runs_file` and `notebooks_dir` default to
    the checkout's reports/runs.yaml and notebooks/.
    """
    check_engine(jobs=jobs, scheduler=scheduler, dask_workers=dask_workers)
    every_run = load_runs(runs_file, notebooks_dir=notebooks_dir)
    selected = load_runs(runs_file, notebooks_dir=notebooks_dir, select=runs) if runs else every_run
    folder = paths.reports_dir()

    def decide() -> tuple[dict[str, Any], ReportOutcome]:
        record = manifest.read_reports_manifest(folder)
        decisions = plan(selected, force=force, show_code=show_code, previous=record["runs"])
        for decision in decisions:
            verb = {"run": "would run" if dry_run else "run", "skip": "skip", "blocked": "cannot run"}
            echo(f"{verb[decision.action]:>10}  {decision.run.name}: {decision.reason}")
        return record, ReportOutcome(decisions, dry_run=dry_run)

    if dry_run:
        return decide()[1]

    # Decide under the lock: another `econ report` may have just rebuilt what this one would.
    with home_lock("report"):
        # A report killed outright (SIGKILL, power cut) leaves hidden temporary files and perhaps a commit
        # part-way (econ.reports.commit): finish it before deciding anything.
        for leftover in (folder, folder / "_failed"):
            atomic.sweep(leftover)
        _recover(folder)
        previous, outcome = decide()
        decisions = outcome.decisions
        shared = build_provenance()
        to_run = [decision for decision in decisions if decision.action == "run"]
        records: dict[str, Any] = dict(previous["runs"])
        for decision in decisions:
            if decision.action == "skip":
                outcome.skipped.append(decision.run.name)
                records[decision.run.name] = {
                    **records[decision.run.name],
                    "last_action": "skipped",
                    "reason": decision.reason,
                }
            elif decision.action == "blocked":
                outcome.failed[decision.run.name] = decision.reason
                records[decision.run.name] = _record(
                    decision, status="failed", last_action="blocked", error=decision.reason
                )
        blocked = len(outcome.failed)
        tasks = [_task(decision, shared=shared, show_code=show_code) for decision in to_run]
        by_name = {decision.run.name: decision for decision in to_run}
        bar = tqdm(
            total=len(tasks), desc="reports", unit="run", file=sys.stderr, disable=not progress or None
        )
        # How many run at once, for the progress bar: a remote cluster's size is not known here.
        width = dask_workers or (len(tasks) if scheduler else jobs)
        stopped = False
        try:
            for result in execute_tasks(tasks, jobs=jobs, scheduler=scheduler, dask_workers=dask_workers):
                try:
                    _write_result(folder, by_name[result.name], result, shared, records, every_run)
                except commit.ReportWriteError:
                    # A full disk or a folder that went away: stop now (leaving the loop stops the engine
                    # and the runs in flight); the record on disk is the last one committed.
                    stopped = True
                    raise
                if result.ok:
                    outcome.built.append(result.name)
                else:
                    outcome.failed[result.name] = result.error or "failed"
                bar.update(1)
                remaining = len(tasks) - len(outcome.built) - (len(outcome.failed) - blocked)
                running = min(width, remaining)
                bar.set_postfix_str(
                    f"done {len(outcome.built)}, running {running}, failed {len(outcome.failed)}"
                )
        finally:
            bar.close()
            if not stopped:
                _write_record(folder, records, every_run, shared)

    _summarise(outcome, folder, echo)
    return outcome


def changed_parameters(run: Run) -> dict[str, Any]:
    """The run's parameters that differ from its notebook's defaults (what the page and index show)."""
    defaults = type(run.parameters)().model_dump(mode="json")
    return {name: value for name, value in run.values.items() if defaults.get(name) != value}


def _task(decision: Decision, *, shared: dict[str, Any], show_code: bool) -> RunTask:
    run = decision.run
    source = run.notebook_path.read_text(encoding="utf-8")
    processed = manifest.dataset_manifest_or_none(run.dataset)
    # The banner follows the processed data, not the notebook's word: only data recorded as real lose it.
    is_demo = processed is None or processed.synthetic
    dataset = (
        processed.dataset if processed else f"{run.dataset} (no processed manifest; treated as synthetic)"
    )
    import nbformat

    title = f"{notebook_title(nbformat.reads(source, as_version=4), run.notebook)} — {run.name}"
    provenance = {
        **shared,
        "dataset": dataset,
        "parameters": run.values,
        "inputs": {**decision.key.parts["inputs"], **decision.key.parts["files"]},
        "key": decision.key.key,
    }
    return RunTask(
        name=run.name,
        notebook=source,
        parameters=run.values,
        changed=changed_parameters(run),
        title=title,
        is_demo=is_demo,
        home=str(paths.home()),
        provenance=provenance,
        show_code=show_code,
    )


def _record(decision: Decision, **fields: Any) -> dict[str, Any]:
    run = decision.run
    return {
        "notebook": run.notebook,
        "parameters": run.values,
        "changed": changed_parameters(run),
        "origin": run.origin,
        "dataset": run.dataset,
        "reason": decision.reason,
        "key": None,
        "key_parts": decision.key.parts,
        **fields,
    }


def _write_result(
    folder: Path,
    decision: Decision,
    result: RunResult,
    shared: dict[str, Any],
    records: dict[str, Any],
    every_run: Sequence[Run],
) -> None:
    """Commit one run's outputs with its record (econ.reports.commit) and leave the record in `records`."""
    name = decision.run.name
    failed_path = folder / "_failed" / f"{name}.ipynb"
    timing = {"started": result.started, "duration_s": round(result.duration_s, 3)}
    if not result.ok:
        kept = result.failed_notebook
        if kept is not None:
            commit.write_or_stop(failed_path, lambda: atomic.write_text(failed_path, kept))
        relative = f"_failed/{name}.ipynb" if result.failed_notebook is not None else None
        records[name] = _record(
            decision,
            status="failed",
            last_action="failed",
            error=result.error,
            failed_notebook=relative,
            **timing,
        )
        _write_record(folder, records, every_run, shared)
        return
    figures = {
        "run": name,
        "notebook": decision.run.notebook,
        "parameters": decision.run.values,
        "dataset": decision.run.dataset,
        "headline": result.headline,
        "story": result.story,
        "key": decision.key.key,
        "git": shared.get("git"),
        **timing,
    }
    hashes = commit.stage(folder, name, html=result.html or "", figures=figures)
    record = _record(
        decision,
        status="ok",
        last_action="built",
        key=decision.key.key,
        html=f"{name}.html",
        json=f"{name}.json",
        html_sha256=hashes["html"],
        json_sha256=hashes["json"],
        headline=result.headline,
        story=result.story,
        **timing,
    )
    records[name] = {**record, "moving": True}
    _write_record(folder, records, every_run, shared)  # the commit point
    commit.write_or_stop(folder / f"{name}.html", lambda: commit.move_into_place(folder, name, record))
    records[name] = record
    commit.write_or_stop(failed_path, lambda: failed_path.unlink(missing_ok=True))
    _write_record(folder, records, every_run, shared)


def _recover(folder: Path) -> None:
    document = manifest.read_reports_manifest(folder)
    if commit.recover(folder, document):
        for record in document["runs"].values():
            record.pop("moving", None)
        commit.write_or_stop(folder / manifest.MANIFEST, lambda: _write_documents(folder, document))


def _write_record(
    folder: Path, records: dict[str, Any], every_run: Sequence[Run], shared: dict[str, Any]
) -> None:
    # Only runs still in runs.yaml are listed; one never built appears as "not built".
    runs = {}
    for run in every_run:
        runs[run.name] = records.get(run.name) or {
            "notebook": run.notebook,
            "parameters": run.values,
            "changed": changed_parameters(run),
            "origin": run.origin,
            "dataset": run.dataset,
            "status": "not built",
        }
    document = {
        "format": manifest.REPORTS_FORMAT,
        "updated": datetime.now(UTC).isoformat(timespec="seconds"),
        **shared,
        "runs": runs,
    }
    commit.write_or_stop(folder / manifest.MANIFEST, lambda: _write_documents(folder, document))


def _write_documents(folder: Path, document: dict[str, Any]) -> None:
    manifest.write_reports_manifest(folder, document)
    index.write_index(folder, document)


def _summarise(outcome: ReportOutcome, folder: Path, echo: Callable[[str], None]) -> None:
    echo(
        f"{len(outcome.built)} built, {len(outcome.skipped)} skipped, {len(outcome.failed)} failed; "
        f"index at {folder / 'index.html'}"
    )
    for name, error in outcome.failed.items():
        kept = folder / "_failed" / f"{name}.ipynb"
        where = f"executed notebook kept at {kept}" if kept.exists() else "no notebook was executed"
        echo(f"FAILED {name}: {error}\n       {where}")


def describe(outcome: ReportOutcome) -> str:
    """The outcome as JSON text (for logs and tests)."""
    return json.dumps(
        {"built": outcome.built, "skipped": outcome.skipped, "failed": outcome.failed, "ok": outcome.ok},
        indent=2,
    )
