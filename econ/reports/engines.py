"""Engines that run many `RunTask`s: inline, a pool of local worker processes, or a Dask cluster.

Each engine hands every task to `econ.reports.execute.execute_run` somewhere and yields the results as
they finish. Local workers are `python -m econ.reports.worker` processes (one kernel at a time each);
the Dask engine submits the same function to a cluster.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import IO, Literal

from econ.errors import ParameterError
from econ.reports.execute import RunResult, RunTask, execute_run
from econ.reports.worker import read_frame, write_frame

Engine = Literal["inline", "processes", "dask"]
ENGINES: tuple[Engine, ...] = ("inline", "processes", "dask")


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
        assert self.process.stdin is not None and self.process.stdout is not None  # both are pipes
        self.stdin: IO[bytes] = self.process.stdin
        self.stdout: IO[bytes] = self.process.stdout

    def run(self, task: RunTask) -> RunResult:
        try:
            write_frame(self.stdin, task)
            result = read_frame(self.stdout)
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

    def kill(self) -> None:
        """Stop at once, whatever the worker is doing."""
        with contextlib.suppress(OSError):
            self.process.kill()
        self.process.wait()
        with contextlib.suppress(OSError):
            self.stdin.close()
        self.log.close()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.stdin.close()
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

    pool = concurrent.futures.ThreadPoolExecutor(max_workers=min(jobs, len(tasks)))
    finished = False
    futures: dict[concurrent.futures.Future[RunResult], RunTask] = {}
    try:
        futures = {pool.submit(run, task): task for task in tasks}
        for future in concurrent.futures.as_completed(futures):
            try:
                yield future.result()
            except Exception as error:
                yield _lost(futures[future], error)
        finished = True
    finally:
        # Left early (the caller stopped: a write failed, Ctrl-C): the runs in flight are abandoned at
        # once — their workers killed (each kernel exits with its parent) — not waited for.
        for future in futures if not finished else ():
            future.cancel()
        for worker in workers:
            if not finished:
                worker.kill()
            elif worker.alive:
                worker.close()
        pool.shutdown(wait=True, cancel_futures=True)


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
