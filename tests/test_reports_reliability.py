"""`econ report` against an adversarial user (issue 17, the report side): reserved and repeated run names,
the lock at zero timeout, hand-edited and deleted outputs, a commit killed at every rename, a full disk.

The kill tests run real `econ report` processes on the fixture notebooks (tests/fixtures/reports/
kill_report.py SIGKILLs at the N-th os.replace) and check after each kill, and after recovery, the HTML ↔
JSON ↔ manifest consistency check (`econ.reports.commit.verify`).
"""

from __future__ import annotations

import errno
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from filelock import FileLock
from reports_world import WORLD  # the report tests' world, loaded once (tests/ is on sys.path)

from econ import atomic, cli, manifest, paths
from econ.errors import ParameterError
from econ.reports import commit, pipeline, runs

FIXTURES = Path(__file__).parent / "fixtures" / "reports"
RUNS = FIXTURES / "runs.yaml"
KILLER = FIXTURES / "kill_report.py"


def _runs_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "runs.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------- run names


@pytest.mark.parametrize("name", ["index", "manifest", "Index", "runs", "compare-square_x"])
def test_a_run_named_like_another_output_is_refused(tmp_path: Path, name: str) -> None:
    path = _runs_file(
        tmp_path, f"runs:\n  {name}: {{notebook: fx_square}}\n  fine: {{notebook: fx_square}}\n"
    )
    with pytest.raises(ParameterError) as caught:
        runs.load_runs(path, notebooks_dir=FIXTURES)
    assert [problem for problem, _ in caught.value.problems] == [name]
    assert "reserved" in str(caught.value)


def test_a_grid_cannot_expand_into_a_reserved_name(tmp_path: Path) -> None:
    path = _runs_file(
        tmp_path, 'grids:\n  - {name: "{label}", notebook: fx_other, grid: {label: [index, manifest, ok]}}\n'
    )
    with pytest.raises(ParameterError) as caught:
        runs.load_runs(path, notebooks_dir=FIXTURES)
    assert sorted(problem for problem, _ in caught.value.problems) == ["index", "manifest"]


def test_the_same_run_twice_is_one_line_naming_the_file_and_both_lines(
    tmp_path: Path, econ_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _runs_file(
        tmp_path,
        "runs:\n  twice: {notebook: fx_square}\n  other: {notebook: fx_other}\n"
        "  twice: {notebook: fx_other}\n",
    )
    monkeypatch.setattr(paths, "runs_file", lambda: path)
    monkeypatch.setattr(paths, "notebooks_dir", lambda: FIXTURES)
    assert cli.main(["report", "--dry-run"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    assert str(path) in lines[0] and "'twice' appears twice (lines 2 and 4)" in lines[0]


def test_two_runs_differing_only_in_case_are_refused(tmp_path: Path) -> None:
    path = _runs_file(tmp_path, "runs:\n  Square: {notebook: fx_square}\n  square: {notebook: fx_square}\n")
    with pytest.raises(ParameterError, match="run name used twice"):
        runs.load_runs(path, notebooks_dir=FIXTURES)


# ----------------------------------------------------------------------------------------------- the lock


def test_a_zero_lock_timeout_gives_one_line(
    econ_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ECON_LOCK_TIMEOUT", "0")
    with FileLock(str(econ_home / ".econ.lock")):
        code = cli.main(["build"])
    err = capsys.readouterr().err
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines  # the README promises one line
    assert lines[0].startswith("econ: error: ") and "locked by another econ build or report" in lines[0]


# ---------------------------------------------------------------------------------- outputs and records


def _committed_record(folder: Path, name: str, key: str = "k" * 64) -> dict:
    hashes = commit.stage(folder, name, html=f"<html>page {key}</html>", figures={"key": key})
    record = {"status": "ok", "key": key, "html": f"{name}.html", "json": f"{name}.json"}
    record.update(html_sha256=hashes["html"], json_sha256=hashes["json"])
    commit.move_into_place(folder, name, record)
    return record


def test_a_hand_edited_or_deleted_report_is_rebuilt_not_skipped(econ_home: Path) -> None:
    folder = econ_home / "reports"
    record = _committed_record(folder, "r")
    assert commit.problems(folder, "r", record) == []
    assert not (folder / commit.STAGING).exists()  # a finished commit leaves nothing staged
    (folder / "r.html").write_text("<html>edited by hand k</html>")
    assert commit.problems(folder, "r", record) == ["r.html: changed since it was built (edited or damaged)"]
    (folder / "r.html").unlink()
    (folder / "r.json").unlink()
    assert commit.problems(folder, "r", record) == ["r.json: missing", "r.html: missing"]


def test_plan_rebuilds_a_run_whose_page_was_edited(econ_home: Path) -> None:
    WORLD.write_processed(econ_home)
    [run] = runs.load_runs(RUNS, notebooks_dir=FIXTURES, select=["square_1.0"])
    key = pipeline.plan([run], force=False, show_code=False, previous={})[0].key
    folder = paths.reports_dir()
    record = {**_committed_record(folder, run.name, key.key), "key_parts": key.parts}
    [decision] = pipeline.plan([run], force=False, show_code=False, previous={run.name: record})
    assert decision.action == "skip"
    page = folder / f"{run.name}.html"
    page.write_text(page.read_text().replace("page", "a page improved by hand"))
    [decision] = pipeline.plan([run], force=False, show_code=False, previous={run.name: record})
    assert (decision.action, decision.reason) == (
        "run",
        "report files do not match their record: "
        "square_1.0.html: changed since it was built (edited or damaged)",
    )


def test_a_commit_killed_between_its_renames_stands_and_is_finished(econ_home: Path) -> None:
    folder = econ_home / "reports"
    old = _committed_record(folder, "r", key="o" * 64)
    hashes = commit.stage(folder, "r", html=f"<html>new {'n' * 64}</html>", figures={"key": "n" * 64})
    new = {
        **old,
        "key": "n" * 64,
        "html_sha256": hashes["html"],
        "json_sha256": hashes["json"],
        "moving": True,
    }
    document = {"format": manifest.REPORTS_FORMAT, "runs": {"r": new}}
    manifest.write_reports_manifest(folder, document)  # the commit point
    os.replace(commit.staged_path(folder, "r", "json"), folder / "r.json")  # one of two renames done
    # the new figures in place, the new page still staged: the record's files are all there, whole
    assert commit.verify(folder, document) == []
    assert commit.committed_file(folder, "r", new, "html") == commit.staged_path(folder, "r", "html")
    assert commit.recover(folder, document)
    assert (folder / "r.html").read_text().startswith("<html>new") and not (folder / commit.STAGING).exists()
    assert commit.verify(folder, {"runs": {"r": {**new, "moving": False}}}) == []


# ------------------------------------------------------------------------------------------ kernels


def _state(home: Path) -> dict:
    """The reports folder as a reader finds it, checked: manifest readable, every built run's page and
    figures agreeing with its record and with each other, the index whole."""
    folder = home / "reports"
    document = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert commit.verify(folder, document) == []
    assert (folder / "index.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    record = document["runs"]["square_1.0"]
    figures = json.loads(commit.committed_file(folder, "square_1.0", record, "json").read_text())
    page = commit.committed_file(folder, "square_1.0", record, "html").read_text()
    assert figures["key"] == record["key"] and record["key"] in page and page.rstrip().endswith("</html>")
    return {"started": record["started"], "moving": bool(record.get("moving"))}


def _killed(home: Path, at: int, *, canned: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ECON_HOME": str(home), "ECON_TEST_KILL_AT": str(at)}
    if canned:
        env["ECON_TEST_CANNED"] = "1"
    return subprocess.run(
        [sys.executable, str(KILLER), "square_1.0"], env=env, capture_output=True, text=True, timeout=300
    )


@pytest.mark.slow
def test_report_killed_at_ten_moments_is_never_a_mix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    WORLD.write_processed(home)
    first = _killed(home, 0, canned=False)  # a whole build with its kernel, counting its renames
    assert first.returncode == 0, first.stderr
    total = int(re.search(r"REPLACES=(\d+)", first.stdout).group(1))
    assert total >= 9, first.stdout  # the staged files, manifest, renames, manifest, index...
    previous = _state(home)
    # nine renames spread over the commit (every one of the first nine: each step of the protocol; the
    # notebook's result canned, since the kernel is not what is killed there), and one kill by the clock
    # while the notebook runs in its kernel
    moments = list(range(1, min(total, 9) + 1))
    seen = []
    for at in [*moments, "clock"]:
        if at == "clock":
            env = {**os.environ, "ECON_HOME": str(home), "ECON_TEST_KILL_AT": "0"}
            process = subprocess.Popen([sys.executable, str(KILLER), "square_1.0"], env=env,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
            time.sleep(3.0)
            process.send_signal(signal.SIGKILL)
            process.communicate(timeout=60)
        else:
            done = _killed(home, at)
            assert done.returncode == -signal.SIGKILL, (at, done.stderr[-2000:])
        state = _state(home)  # the check holds right after the kill
        assert state["started"] in (previous["started"], state["started"])
        seen.append((at, state["started"] != previous["started"], state["moving"]))
        # recovery, as the next `econ report` does first, under the lock: the check holds after it too
        monkeypatch.setenv("ECON_HOME", str(home))
        atomic.sweep(home / "reports")
        pipeline._recover(home / "reports")
        recovered = _state(home)
        assert not recovered["moving"] and recovered["started"] == state["started"]
        assert (
            not list((home / "reports").glob(".*.tmp")) and not (home / "reports" / commit.STAGING).exists()
        )
        previous = recovered
    # some kills left the previous run, some the new one — never a mix; and the next report completes
    assert {new for _, new, _ in seen} == {True, False}, seen
    assert any(moving for _, _, moving in seen), (
        seen
    )  # a kill landed between the commit point and the renames
    done = _killed(home, 0, canned=False)
    assert done.returncode == 0, done.stderr
    _state(home)


@pytest.mark.slow
def test_a_write_failure_stops_the_report_at_once_and_names_the_file(
    econ_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    WORLD.write_processed(econ_home)
    path = _runs_file(
        tmp_path,
        "runs:\n  quick: {notebook: fx_square}\n  slow: {notebook: fx_slow, parameters: {seconds: 300.0}}\n",
    )
    real = atomic.write_text

    def disk_full(target, text):
        if Path(target).name == "quick.html":
            raise OSError(errno.ENOSPC, "No space left on device")
        real(target, text)

    monkeypatch.setattr(atomic, "write_text", disk_full)
    monkeypatch.setattr(manifest, "code_hash", lambda package=None: "frozen-for-tests")
    monkeypatch.setattr(paths, "runs_file", lambda: path)
    monkeypatch.setattr(paths, "notebooks_dir", lambda: FIXTURES)
    clock = time.monotonic()
    code = cli.main(["report", "--jobs", "2"])
    elapsed = time.monotonic() - clock
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert elapsed < 120, f"the slow run was waited for ({elapsed:.0f} s)"  # it sleeps 300 s
    assert len(err) == 1 and str(econ_home / "reports" / "quick.html") in err[0], err
    assert "No space left on device" in err[0]
    assert not (econ_home / "reports" / "quick.html").exists()
