"""Interrupted and concurrent writers: real `econ build` and `econ report` processes killed with SIGKILL
part-way, and two writers started at once on one ECON_HOME.

What must hold after every kill: the previous outputs are all there, complete and loadable
(`econ.panel.load` checks each file against the manifest's hash), and the next run completes. A kill is
placed two ways: by the clock (the process is somewhere in its work), and deterministically at the N-th
os.replace of the process (tests/fixtures/reliability/kill_at_replace.py), which reaches every step of a
commit — a new file renamed in beside an old manifest, the instant between two folder renames.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from econ import panel
from econ.reports import cache

KILLER = Path(__file__).parent / "fixtures" / "reliability" / "kill_at_replace.py"
PANELS = ("tariff_lines", "imports", "exports", "industries", "minerals", "io_tables")


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "ECON_HOME": str(home), **extra}
    if "ECON_LOCK_TIMEOUT" not in extra:
        env.pop("ECON_LOCK_TIMEOUT", None)  # the default wait, whatever the caller's shell says
    return env


def econ(home: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "econ.cli", *args],
        env=_env(home, **extra),
        capture_output=True,
        text=True,
        timeout=300,
    )


def start(home: Path, *args: str, **extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "econ.cli", *args],
        env=_env(home, **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def kill_at_replace(home: Path, n: int, when: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(KILLER), *args],
        env=_env(home, ECON_TEST_KILL_AT=str(n), ECON_TEST_KILL_WHEN=when),
        capture_output=True,
        text=True,
        timeout=300,
    )


def load_all(home: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, pd.DataFrame]:
    """Every panel, read the way notebooks read them (hash checked against the manifest, schema checked)."""
    monkeypatch.setenv("ECON_HOME", str(home))
    return {name: panel.load(name) for name in PANELS}


def assert_same(loaded: dict[str, pd.DataFrame], baseline: dict[str, pd.DataFrame]) -> None:
    for name in PANELS:
        pd.testing.assert_frame_equal(loaded[name], baseline[name], obj=name)


def processed(home: Path) -> Path:
    return home / "data" / "processed"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo world, built once; the tests work on it in turn, each leaving it built."""
    home = tmp_path_factory.mktemp("reliability") / "home"
    for args in (("demo", "--scale", "0.05"), ("build",)):
        done = econ(home, *args)
        assert done.returncode == 0, done.stderr
    return home


def new_month_of_data(home: Path) -> None:
    """Change one import value in the raw files, as a monthly revision does, so that the next build writes
    panels that differ from the committed ones (a rebuild of unchanged inputs rewrites identical bytes, and
    a torn commit would go unnoticed)."""
    path = home / "data" / "raw" / "demo" / "census" / "imports_hs10_2024.json"
    table = json.loads(path.read_text())
    column = table[0].index("CON_VAL_MO")
    row = next(r for r in table[1:] if r[table[0].index("SUMMARY_LVL")] == "DET")
    row[column] = str(int(float(row[column])) + 1)
    path.write_text(json.dumps(table))


def differs(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> bool:
    return not a["imports"].equals(b["imports"])


# ------------------------------------------------------------------------------------------ econ build


@pytest.mark.parametrize("delay", [1.5])  # reading the raw files or in the tariff engine
def test_build_killed_by_the_clock_keeps_the_previous_panels(
    world: Path, delay: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    previous = load_all(world, monkeypatch)
    new_month_of_data(world)
    process = start(world, "build")
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    if process.returncode == -signal.SIGKILL:
        assert_same(load_all(world, monkeypatch), previous)
    else:  # a fast machine finished first: then the new panels, whole
        assert process.returncode == 0 and differs(load_all(world, monkeypatch), previous)


def test_build_killed_while_writing_parquet(world: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Killed the moment a new Parquet file is being written (polled for)."""
    previous = load_all(world, monkeypatch)
    new_month_of_data(world)
    staging = processed(world) / ".demo.new"
    process = start(world, "build")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(staging.glob(".*.tmp")):
        if process.poll() is not None:
            pytest.fail(f"the build finished before a temporary file was seen: {process.stderr.read()}")
        time.sleep(0.002)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    assert staging.is_dir()  # the kill did land mid-write
    assert_same(load_all(world, monkeypatch), previous)


# The os.replace calls of `econ build` on the demo, in order: one per Parquet file (the imports one per
# year), truth.json and then manifest.json into the staging folder, demo/ -> .demo.old/, .demo.new/ ->
# demo/. (A kill while the staging folder is being filled is test_build_killed_while_writing_parquet.)
# From the staging manifest on the new set is complete; from the first folder rename on, readers get it.
COMMIT_STEPS = [
    (0, "after", False, "the staging folder complete with its manifest; demo/ untouched"),
    (1, "after", True, "between the two renames: no demo/ at all"),
    (2, "after", True, "swapped; the previous set not yet removed"),
]


def manifest_written(home: Path) -> int:
    """Which os.replace of a build writes the staging manifest: after every Parquet file and truth.json."""
    return len(list((processed(home) / "demo").rglob("*.parquet"))) + 2


def committed_files(home: Path) -> list[str]:
    return sorted(
        str(path.relative_to(processed(home) / "demo")) for path in (processed(home) / "demo").rglob("*")
    )


@pytest.mark.parametrize(
    ("step", "when", "committed", "state"), COMMIT_STEPS, ids=[s[3].split(";")[0] for s in COMMIT_STEPS]
)
def test_build_killed_at_each_commit_step(
    world: Path, step: int, when: str, committed: bool, state: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected_files = committed_files(world)
    n = manifest_written(world) + step
    previous = load_all(world, monkeypatch)
    new_month_of_data(world)
    done = kill_at_replace(world, n, when, "build")
    assert done.returncode == -signal.SIGKILL, done.stderr
    folder = processed(world) / "demo"
    assert folder.exists() == (step != 1)  # the kill landed where it was aimed
    # Readers get one complete set at every step, even with no demo/ folder: the previous one until the
    # swap begins, the new one (whole, hash-checked) from then on. Never a new file beside an old manifest.
    seen = load_all(world, monkeypatch)
    assert cache.MISSING not in cache.input_hashes("demo", PANELS).values()  # `econ report` sees them too
    if committed:
        assert differs(seen, previous)
    else:
        assert_same(seen, previous)
    # The next build repairs what the kill left: it finishes the swap (then has nothing to do) or discards
    # the staging folder and builds the new month.
    rebuilt = panel.build(dataset="demo")
    if not committed:
        assert not rebuilt.skipped  # (committed: skipped, unless a colleague's edit moved the code hash)
    assert sorted(p.name for p in processed(world).iterdir()) == ["demo"], "leftovers not cleaned"
    assert committed_files(world) == expected_files
    after = load_all(world, monkeypatch)
    assert differs(after, previous)
    if committed:
        assert_same(after, seen)


def test_next_build_after_kills_completes(world: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    previous = load_all(world, monkeypatch)
    new_month_of_data(world)
    done = econ(world, "build")
    assert done.returncode == 0, done.stderr
    assert "demo: built" in done.stdout
    assert differs(load_all(world, monkeypatch), previous)


def test_demo_killed_part_way_keeps_the_previous_world(world: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`econ demo` (another seed) killed after several of its files are written: the raw world is the
    previous one, file for file, and the next build finds nothing to redo."""
    raw = world / "data" / "raw"

    def fingerprint() -> dict[str, str]:
        return {
            str(p.relative_to(raw)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(raw.rglob("*"))
            if p.is_file()
        }

    before = fingerprint()
    done = kill_at_replace(world, 6, "after", "demo", "--scale", "0.05", "--seed", "7")
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert (raw / ".demo.new" / "census").is_dir()  # part of a new world was written, off to the side
    assert {k: v for k, v in fingerprint().items() if not k.startswith(".demo.new")} == before
    monkeypatch.setenv("ECON_HOME", str(world))
    panel.build(dataset="demo")
    assert sorted(p.name for p in raw.iterdir()) == ["demo"]  # the build cleared the leftovers
    assert fingerprint() == before


# ----------------------------------------------------------------------------------------- econ report


def report_state(home: Path) -> dict[str, str]:
    """The reports folder as a reader sees it: each page complete, the manifest and index readable."""
    reports = home / "reports"
    manifest = json.loads((reports / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["runs"]["tariff_timeline"]["status"] == "ok"
    for page in ("tariff_timeline.html", "index.html"):
        text = (reports / page).read_text(encoding="utf-8")
        assert text.rstrip().endswith("</html>"), f"{page} is cut short"
    assert "tariff_timeline.html" in (reports / "index.html").read_text(encoding="utf-8")
    figures = json.loads((reports / "tariff_timeline.json").read_text(encoding="utf-8"))
    # (not the run key: it hashes the econ package, which colleagues edit while the suite runs)
    return {"started": figures["started"], "headline": json.dumps(figures["headline"], sort_keys=True)}


@pytest.fixture(scope="module")
def reported(world: Path) -> dict[str, str]:
    done = econ(world, "report", "tariff_timeline")
    assert done.returncode == 0, done.stderr
    return report_state(world)


@pytest.mark.slow
@pytest.mark.parametrize("delay", [4.0])  # the notebook is executing in its kernel
def test_report_killed_by_the_clock_keeps_the_previous_reports(
    world: Path, reported: dict[str, str], delay: float
) -> None:
    process = start(world, "report", "--force", "tariff_timeline")
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    if process.returncode == -signal.SIGKILL:
        assert report_state(world) == reported
    else:  # a fast machine finished first: then the new report, whole
        assert process.returncode == 0 and report_state(world) != reported


@pytest.mark.slow
def test_report_killed_between_page_and_manifest(world: Path, reported: dict[str, str]) -> None:
    """Killed after the new figures are staged, while the new page is half written (a temporary file in
    the staging folder) and before the manifest commits them (econ.reports.commit; every rename of the
    commit is killed in tests/test_reports_reliability.py)."""
    done = kill_at_replace(world, 2, "before", "report", "--force", "tariff_timeline")
    assert done.returncode == -signal.SIGKILL, done.stderr
    staged = world / "reports" / ".staged" / "tariff_timeline"
    assert list(staged.glob(".tariff_timeline.html.*.tmp"))  # the kill landed mid-write
    assert report_state(world) == reported  # the previous page, figures and record, untouched
    # the next report completes and clears the staging folder away
    again = econ(world, "report", "tariff_timeline")
    assert again.returncode == 0, again.stderr
    report_state(world)
    assert not list((world / "reports").glob(".*.tmp")) and not staged.parent.exists()


# ------------------------------------------------------------------------------------ one writer at once


class PausedBuild:
    """An `econ build` that holds still (holding the lock) just before it swaps its new panels in, until
    released: a slow writer caught mid-commit, for as long as a test needs."""

    def __init__(self, home: Path, folder: Path) -> None:
        self.mark, self.release_file = folder / "paused", folder / "release"
        env = _env(home, ECON_TEST_KILL_AT=str(manifest_written(home) + 1), ECON_TEST_KILL_WHEN="pause")
        env.update(ECON_TEST_PAUSE_MARK=str(self.mark), ECON_TEST_PAUSE_RELEASE=str(self.release_file))
        self.process = subprocess.Popen(
            [sys.executable, str(KILLER), "build"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        while not self.mark.exists():
            assert self.process.poll() is None and time.monotonic() < deadline, self.process.communicate()
            time.sleep(0.01)

    def finish(self) -> tuple[str, str]:
        self.release_file.touch()
        out, err = self.process.communicate(timeout=120)
        assert self.process.returncode == 0, err
        return out, err


def wait_for_text(path: Path, text: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while text not in path.read_text():
        assert process.poll() is None and time.monotonic() < deadline, path.read_text()
        time.sleep(0.01)


def test_second_build_gives_up_with_one_line_when_the_wait_is_short(
    world: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    new_month_of_data(world)
    first = PausedBuild(world, tmp_path)
    second = econ(world, "build", "--force", ECON_LOCK_TIMEOUT="0.5")
    assert first.process.poll() is None  # the first still held the lock when the second gave up
    first.finish()
    assert second.returncode == 2
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 2, lines  # "waiting up to 0.5 s", then the error; no traceback
    assert "waiting up to 0.5 s" in lines[0]
    assert lines[1].startswith("econ: error: ") and "locked by another econ build or report" in lines[1]
    assert "ECON_LOCK_TIMEOUT" in lines[1]
    assert second.stdout == ""  # it built nothing
    load_all(world, monkeypatch)  # the first's panels, whole (each file checked against the manifest)
    assert sorted(p.name for p in processed(world).iterdir()) == ["demo"]


def test_second_build_waits_with_a_message_and_never_interleaves(
    world: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    new_month_of_data(world)
    first = PausedBuild(world, tmp_path)
    log = tmp_path / "second.err"
    with open(log, "w") as err:
        second = subprocess.Popen(
            [sys.executable, "-m", "econ.cli", "build", "--force"], env=_env(world), stderr=err, text=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_text(log, "waiting up to 600 s", second)
        # While the second waits, the first's commit is as it was left: untouched by the second.
        assert sorted(p.name for p in processed(world).iterdir()) == [".demo.new", "demo"]
        first.finish()
        first_commit = (processed(world) / "demo").stat().st_ino
        second.wait(timeout=120)
    assert second.returncode == 0, log.read_text()
    assert "another econ build or report is writing" in log.read_text()
    # two whole commits, one after the other; nothing left over
    assert (processed(world) / "demo").stat().st_ino != first_commit
    assert sorted(p.name for p in processed(world).iterdir()) == ["demo"]
    load_all(world, monkeypatch)


@pytest.mark.slow
def test_report_cannot_start_during_a_build(world: Path, reported: dict[str, str], tmp_path: Path) -> None:
    """`econ report` takes the same lock: started during a build it says so and gives up cleanly."""
    new_month_of_data(world)
    build = PausedBuild(world, tmp_path)
    report = econ(world, "report", "tariff_timeline", ECON_LOCK_TIMEOUT="0")
    build.finish()
    assert report.returncode == 2
    assert "locked by another econ build or report" in report.stderr.strip().splitlines()[-1]
    assert report_state(world) == reported


def test_bad_lock_timeout_is_refused(world: Path) -> None:
    done = econ(world, "build", ECON_LOCK_TIMEOUT="soon")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "econ: error: invalid parameters: ECON_LOCK_TIMEOUT: expected a number of seconds >= 0, got 'soon'"
    )
