"""Execute runs: papermill in a fresh kernel, then nbconvert, one kernel per OS process.

`execute_run` is the unit of work. It takes a `RunTask` (everything it needs, notebook source included)
and returns a `RunResult` (the HTML, the headline figures, or the failed notebook) without writing into
the reports folder itself: the parent writes every output atomically. That keeps the unit the same on
three engines — the parent process (``jobs=1``), a pool of local processes (``jobs=N``) and a Dask cluster
(``scheduler=ADDRESS`` or ``dask_workers=N``), where a worker on another machine needs no copy of the
checkout, only the processed data under the same ECON_HOME path.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Literal

import nbformat

from econ.errors import ParameterError
from econ.reports.headline import headlines_from_notebook
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
            page = render_html(
                executed,
                title=task.title,
                run=task.name,
                parameters=task.parameters,
                is_demo=task.is_demo,
                provenance={**task.provenance, "started": started, "duration_s": duration},
                show_code=task.show_code,
            )
        except Exception as error:  # a rendering bug must not take the other runs down
            message = f"rendering failed: {type(error).__name__}: {error}"
            failed = _with_error_note(executed, task.name, message + "\n\n" + traceback.format_exc())
            return RunResult(
                task.name, False, started, duration, error=message, failed_notebook=nbformat.writes(failed)
            )
    return RunResult(task.name, True, started, duration, html=page, headline=headline)


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


# --------------------------------------------------------------------------- engines


def check_engine(*, jobs: int, scheduler: str | None, dask_workers: int | None) -> Engine:
    """Which engine the options ask for; refuses contradictory or out-of-range options."""
    problems = []
    if jobs < 1:
        problems.append(("jobs", f"must be at least 1 (got {jobs})"))
    if dask_workers is not None and dask_workers < 1:
        problems.append(("dask_workers", f"must be at least 1 (got {dask_workers})"))
    if scheduler and dask_workers:
        problems.append(("scheduler", "give either a scheduler address or --dask-workers, not both"))
    if problems:
        raise ParameterError(problems, context="econ report")
    if scheduler or dask_workers:
        return "dask"
    return "processes" if jobs > 1 else "inline"


def execute_tasks(
    tasks: Sequence[RunTask],
    *,
    jobs: int = 1,
    scheduler: str | None = None,
    dask_workers: int | None = None,
) -> Iterator[RunResult]:
    """Run `tasks` on the engine the options name, yielding results as they finish."""
    engine = check_engine(jobs=jobs, scheduler=scheduler, dask_workers=dask_workers)
    if not tasks:
        return
    if engine == "inline":
        for task in tasks:
            yield execute_run(task)
    elif engine == "processes":
        yield from _on_processes(tasks, jobs)
    else:
        yield from _on_dask(tasks, scheduler=scheduler, dask_workers=dask_workers)


def _lost(task: RunTask, error: BaseException) -> RunResult:
    # The worker itself died (out of memory, killed): no executed notebook to keep.
    now = datetime.now(UTC).isoformat(timespec="seconds")
    return RunResult(task.name, False, now, 0.0, error=f"worker lost: {type(error).__name__}: {error}")


class _LocalWorker:
    """One `python -m econ.reports.worker` process, fed one task at a time by one thread of the parent."""

    def __init__(self) -> None:
        # the worker's and its kernels' stderr, kept for error messages; closed in close()
        self.log = tempfile.TemporaryFile()  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "econ.reports.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
        )

    def run(self, task: RunTask) -> RunResult:
        from econ.reports.worker import read_frame, write_frame

        try:
            write_frame(self.process.stdin, task)
            result = read_frame(self.process.stdout)
        except OSError as error:
            result, reason = None, f"{type(error).__name__}: {error}"
        else:
            reason = "the worker process ended"
        if result is None:
            self.log.seek(0)
            tail = self.log.read().decode(errors="replace").strip().splitlines()[-5:]
            self.close()
            message = f"{reason} (exit status {self.process.returncode}): " + " | ".join(tail)
            return _lost(task, RuntimeError(message))
        return result

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def _on_processes(tasks: Sequence[RunTask], jobs: int) -> Iterator[RunResult]:
    # N threads, each driving its own worker process; a worker that died is replaced for the next task.
    local = threading.local()
    workers: list[_LocalWorker] = []
    guard = threading.Lock()

    def run(task: RunTask) -> RunResult:
        worker = getattr(local, "worker", None)
        if worker is None or not worker.alive:
            worker = local.worker = _LocalWorker()
            with guard:
                workers.append(worker)
        return worker.run(task)

    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=min(jobs, len(tasks))) as pool:
            futures = {pool.submit(run, task): task for task in tasks}
            for future in concurrent.futures.as_completed(futures):
                try:
                    yield future.result()
                except Exception as error:
                    yield _lost(futures[future], error)
    finally:
        for worker in workers:
            if worker.alive:
                worker.close()


def _on_dask(
    tasks: Sequence[RunTask], *, scheduler: str | None, dask_workers: int | None
) -> Iterator[RunResult]:
    from distributed import Client, LocalCluster, as_completed

    with contextlib.ExitStack() as stack:
        if scheduler:
            client = stack.enter_context(Client(scheduler))
        else:
            # Loopback only, one thread per worker: each worker runs one kernel at a time.
            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=dask_workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                )
            )
            client = stack.enter_context(Client(cluster))
        futures = {client.submit(execute_run, task, pure=False): task for task in tasks}
        for future in as_completed(list(futures)):
            try:
                yield future.result()
            except Exception as error:
                yield _lost(futures[future], error)
