"""Execute one run: papermill in a fresh kernel, then nbconvert — the unit of work of every engine.

`execute_run` is the unit of work. It takes a `RunTask` (everything it needs, notebook source included)
and returns a `RunResult` (the HTML, the headline figures, or the failed notebook) without writing into
the reports folder itself: the parent writes every output atomically. That keeps the unit the same on
three engines of `econ.reports.engines` — the parent process (``jobs=1``), a pool of local processes
(``jobs=N``) and a Dask cluster (``scheduler=ADDRESS`` or ``dask_workers=N``), where a worker on another
machine needs no copy of the checkout, only the processed data under the same ECON_HOME path.
"""

from __future__ import annotations

import os
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Literal

import nbformat

from econ.reports.headline import headlines_from_notebook, story_from_notebook
from econ.reports.render import render_html

KERNEL = "python3"
Engine = Literal["inline", "processes", "dask"]
ENGINES: tuple[Engine, ...] = ("inline", "processes", "dask")


@dataclass(frozen=True)
class RunTask:
    """One run, ready to execute anywhere: the notebook's JSON, its parameters and what the page shows."""

    name: str
    notebook: str
    """The notebook file's JSON text."""
    parameters: dict[str, Any]
    title: str
    is_demo: bool
    home: str
    """ECON_HOME the kernel reads processed data from."""
    provenance: dict[str, Any] = field(default_factory=dict)
    show_code: bool = False
    changed: dict[str, Any] = field(default_factory=dict)
    """The parameters that differ from the notebook's defaults (the page's header shows these)."""
    cell_timeout: float | None = None


@dataclass(frozen=True)
class RunResult:
    """What came back from one run; `html` on success, `failed_notebook` (JSON text) on failure."""

    name: str
    ok: bool
    started: str
    duration_s: float
    html: str | None = None
    headline: dict[str, Any] = field(default_factory=dict)
    story: dict[str, Any] = field(default_factory=dict)
    """The notebook's `econ.reports.story`: title, question, lead figures (empty when it stated none)."""
    error: str | None = None
    failed_notebook: str | None = None


def _kernel_manager(*, home: str, cwd: str, log: IO[bytes]) -> type:
    """A kernel manager for one run: its kernel reads ECON_HOME=`home`, starts in `cwd` and writes its
    own stderr (start-up chatter, crash messages) to `log` instead of the terminal.

    Handing these to the kernel, rather than setting os.environ and chdir around papermill, keeps a
    worker process's state untouched, so one Dask worker may run several runs in threads.
    """
    from jupyter_client import AsyncKernelManager

    class RunKernelManager(AsyncKernelManager):
        async def start_kernel(self, **kw: Any) -> None:  # type: ignore[override]
            kw["env"] = {**os.environ, "ECON_HOME": home}
            kw["cwd"] = cwd
            kw["stderr"] = log
            await self._async_start_kernel(**kw)

    return RunKernelManager


def execute_run(task: RunTask) -> RunResult:
    """Execute one notebook with papermill and render it; never raises for a failing notebook."""
    import papermill  # imported here: the kernel-side `econ.reports.headline` must stay light

    started = datetime.now(UTC).isoformat(timespec="seconds")
    clock = time.perf_counter()
    with (
        tempfile.TemporaryDirectory(prefix=f"econ-report-{task.name}-") as scratch,
        open(Path(scratch) / "kernel.log", "w+b") as kernel_log,
    ):
        source, executed_path = Path(scratch) / "source.ipynb", Path(scratch) / "executed.ipynb"
        source.write_text(task.notebook, encoding="utf-8")
        try:
            executed = papermill.execute_notebook(
                str(source),
                str(executed_path),
                parameters=task.parameters,
                kernel_name=KERNEL,
                progress_bar=False,
                request_save_on_cell_execute=False,
                execution_timeout=task.cell_timeout,
                kernel_manager_class=_kernel_manager(home=task.home, cwd=scratch, log=kernel_log),
            )
        except Exception as error:
            duration = time.perf_counter() - clock
            message = _error_message(error)
            if not getattr(error, "ename", None):  # not an exception in a cell: the kernel itself failed
                message += _tail(kernel_log)
            partial = executed_path if executed_path.exists() else source
            failed = _with_error_note(nbformat.read(str(partial), as_version=4), task.name, message)
            return RunResult(
                task.name, False, started, duration, error=message, failed_notebook=nbformat.writes(failed)
            )
        duration = time.perf_counter() - clock
        try:
            headline = headlines_from_notebook(executed)
            story = story_from_notebook(executed)
            page = render_html(
                executed,
                title=task.title,
                run=task.name,
                parameters=task.parameters,
                is_demo=task.is_demo,
                provenance={**task.provenance, "started": started, "duration_s": duration},
                show_code=task.show_code,
                changed=task.changed,
                headline=headline,
                story=story,
            )
        except Exception as error:  # a rendering bug must not take the other runs down
            message = f"rendering failed: {type(error).__name__}: {error}"
            failed = _with_error_note(executed, task.name, message + "\n\n" + traceback.format_exc())
            return RunResult(
                task.name, False, started, duration, error=message, failed_notebook=nbformat.writes(failed)
            )
    return RunResult(task.name, True, started, duration, html=page, headline=headline, story=story)


def _tail(log: IO[bytes], lines: int = 8) -> str:
    # The kernel's own stderr says why it died (killed, out of memory); papermill's error does not.
    log.flush()
    log.seek(0)
    text = log.read().decode(errors="replace").strip().splitlines()
    interesting = [line for line in text if "without encryption" not in line][-lines:]
    return ("\n\nkernel stderr:\n" + "\n".join(interesting)) if interesting else ""


def _error_message(error: BaseException) -> str:
    ename, evalue = getattr(error, "ename", None), getattr(error, "evalue", None)
    if ename:
        cell = getattr(error, "exec_count", None)
        return f"{ename}: {evalue}" + (f" (cell [{cell}])" if cell is not None else "")
    return f"{type(error).__name__}: {error}"


def _with_error_note(notebook: Any, run: str, message: str) -> Any:
    note = nbformat.v4.new_markdown_cell(
        f"**econ report: run `{run}` failed.**\n\n```\n{message}\n```\n\n"
        "The cells below are as executed up to the failure (papermill marks the failing cell)."
    )
    note.metadata["tags"] = ["econ-error"]
    notebook.cells.insert(0, note)
    return notebook
