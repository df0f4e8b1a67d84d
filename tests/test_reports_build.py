"""econ.reports end to end on the fixture notebooks: one shared build (four runs, one failing), then the
incremental, failure and Dask behaviour measured against it. Kernels are slow to start here, so every
test that can reads the shared build and only three more runs execute (one rerun, two on Dask).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from reports_world import WORLD  # the report tests' world, loaded once (tests/ is on sys.path)

from econ import manifest
from econ.errors import ParameterError
from econ.reports import engines, execute, pipeline
from econ.reports.render import DEMO_BANNER

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parent / "fixtures" / "reports"
RUNS = FIXTURES / "runs.yaml"
OK_RUNS = ["label_script", "square_1.0", "square_3.0"]


def _build(
    home: Path, monkeypatch: pytest.MonkeyPatch, **options
) -> tuple[pipeline.ReportOutcome, list[str]]:
    monkeypatch.setenv("ECON_HOME", str(home))
    lines: list[str] = []
    outcome = pipeline.run_reports(
        runs_file=options.pop("runs_file", RUNS),
        notebooks_dir=FIXTURES,
        echo=lines.append,
        progress=False,
        **options,
    )
    return outcome, lines


@pytest.fixture(scope="module", autouse=True)
def frozen_code():
    """Other engineers edit econ/ while these tests run; the package hash must not move under them
    (its effect on the key is tested on a package of its own in test_reports_units)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(manifest, "code_hash", lambda package=None: "frozen-for-tests")
        yield


@pytest.fixture(scope="module")
def built(frozen_code, tmp_path_factory: pytest.TempPathFactory):
    """The fixture runs built once, in the test process (the cheapest engine), in their own ECON_HOME."""
    home = tmp_path_factory.mktemp("reports") / "econ_home"
    WORLD.write_processed(home)
    with pytest.MonkeyPatch.context() as monkeypatch:
        outcome, lines = _build(home, monkeypatch, jobs=1)
    return home, outcome, lines


@pytest.fixture()
def copy_of_build(built, econ_home: Path) -> Path:
    """A private copy of the shared build, as ECON_HOME, for tests that change things."""
    shutil.rmtree(econ_home)
    shutil.copytree(built[0], econ_home)
    return econ_home


def test_failing_run_leaves_the_others_built(built):
    home, outcome, lines = built
    reports = home / "reports"
    assert not outcome.ok
    assert sorted(outcome.built) == OK_RUNS
    assert list(outcome.failed) == ["broken"] and "deliberate failure" in outcome.failed["broken"]
    for name in OK_RUNS:
        assert (reports / f"{name}.html").is_file() and (reports / f"{name}.json").is_file()
    assert not (reports / "broken.html").exists()
    kept = json.loads((reports / "_failed" / "broken.ipynb").read_text())
    assert "deliberate failure" in "".join(kept["cells"][0]["source"])  # the error at the top
    summary = "\n".join(lines)
    assert "FAILED broken" in summary and str(reports / "_failed" / "broken.ipynb") in summary


def test_cli_exits_non_zero_when_a_run_fails(built, monkeypatch):
    from econ import cli

    monkeypatch.setattr(pipeline, "run_reports", lambda *a, **k: built[1])
    monkeypatch.setattr("econ.reports.run_reports", lambda *a, **k: built[1])
    assert cli.main(["report"]) == 1


def test_headline_figures_reach_the_run_json(built):
    home = built[0]
    figures = json.loads((home / "reports" / "square_3.0.json").read_text())
    assert figures["headline"] == {"square": 9.0, "dataset": "demo", "sees_data": True}
    assert figures["parameters"] == {"dataset": "demo", "x": 3.0}
    label = json.loads((home / "reports" / "label_script.json").read_text())
    assert label["headline"] == {"label_length": len("<script>alert('x')</script>")}


def test_kernel_reads_the_home_of_its_task_not_of_the_caller(built, tmp_path, monkeypatch):
    home = built[0]
    monkeypatch.setenv("ECON_HOME", str(tmp_path / "somewhere_else"))
    [run] = runner_runs(["square_1.0"])
    decision = pipeline.plan([run], force=True, show_code=False, previous={})[0]
    monkeypatch.setenv("ECON_HOME", str(home))
    task = pipeline._task(decision, shared={}, show_code=False)
    monkeypatch.setenv("ECON_HOME", str(tmp_path / "somewhere_else"))
    result = execute.execute_run(task)
    assert result.ok and result.headline["sees_data"] is True
    assert os.environ["ECON_HOME"] == str(tmp_path / "somewhere_else")  # the caller's state untouched


def runner_runs(names):
    from econ.reports.runs import load_runs

    return load_runs(RUNS, notebooks_dir=FIXTURES, select=names)


def test_report_html_is_self_contained_with_provenance(built):
    home = built[0]
    page = (home / "reports" / "square_3.0.html").read_text()
    references = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)["']""", page)
    assert any(ref.startswith("data:image/png;base64,") for ref in references)
    assert all(ref.startswith(("data:", "#")) for ref in references), references
    assert not re.search(r"<link\b|<script\b[^>]*\bsrc=|@import|file://", page)
    assert str(home) not in page  # no path of this machine leaks into the page
    assert "<title>Square fixture — square_3.0</title>" in page
    provenance = page[page.index('id="provenance"') :]
    imports_sha = json.loads((home / "data/processed/demo/manifest.json").read_text())["outputs"]["imports"]
    assert imports_sha["sha256"] in provenance
    commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=False).stdout
    if commit.strip():
        assert commit.strip() in provenance
    assert "time taken" in provenance and "papermill" in provenance
    assert DEMO_BANNER in page


def test_parameter_with_script_is_escaped(built):
    page = (built[0] / "reports" / "label_script.html").read_text()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(" in page


def test_index_and_manifest_list_every_run(built):
    reports = built[0] / "reports"
    manifest = json.loads((reports / "manifest.json").read_text())
    assert {name: run["status"] for name, run in manifest["runs"].items()} == {
        "label_script": "ok",
        "square_1.0": "ok",
        "square_3.0": "ok",
        "broken": "failed",
    }
    index = (reports / "index.html").read_text()
    for name in OK_RUNS:
        assert f'href="{name}.html"' in index
    assert 'href="_failed/broken.ipynb"' in index
    assert "<code>x</code> = 3.0" in index and "&lt;script&gt;" in index and "<script>alert" not in index
    assert 'href="compare-square_x.html"' in index  # the grid's comparison page
    comparison = (reports / "compare-square_x.html").read_text()
    assert "square_1.0" in comparison and "square_3.0" in comparison and 'class="differs"' in comparison
    assert ">x 1.0</a></th>" in comparison  # each run headed by what sets it apart, not by its file name
    umask = os.umask(0)
    os.umask(umask)
    for path in [reports / "index.html", reports / "manifest.json", reports / "square_1.0.html"]:
        assert path.stat().st_mode & 0o777 == 0o666 & ~umask  # shareable, not econ.atomic's 0600


def test_second_run_skips_everything_and_says_why(copy_of_build, monkeypatch):
    monkeypatch.setattr(engines, "execute_run", lambda task: pytest.fail(f"{task.name} was executed"))
    monkeypatch.setattr(
        engines._LocalWorker, "run", lambda self, task: pytest.fail(f"{task.name} was executed")
    )
    locks = []
    real_lock = pipeline.home_lock
    monkeypatch.setattr(pipeline, "home_lock", lambda task: locks.append(task) or real_lock(task))
    outcome, lines = _build(copy_of_build, monkeypatch, runs=OK_RUNS, jobs=2)
    assert outcome.ok and outcome.built == [] and sorted(outcome.skipped) == OK_RUNS
    assert all(re.match(r"\s*skip\s+\S+: unchanged since 20", line) for line in lines[:3]), lines
    assert locks == ["report"]
    _, dry = _build(copy_of_build, monkeypatch, dry_run=True)
    assert any(re.match(r"\s*would run\s+broken: failed last time", line) for line in dry), dry


def test_changing_one_parameter_reruns_exactly_that_run(copy_of_build, monkeypatch, tmp_path):
    changed = RUNS.read_text().replace("x: [1.0, 3.0]", "x: [1.0, 4.0]").replace("alert('x')", "alert('y')")
    runs_file = tmp_path / "runs.yaml"
    runs_file.write_text(changed)
    outcome, _ = _build(copy_of_build, monkeypatch, runs_file=runs_file, dry_run=True)
    actions = {d.run.name: (d.action, d.reason) for d in outcome.decisions}
    assert actions["square_1.0"][0] == "skip"
    assert actions["square_4.0"] == ("run", "never built")
    assert actions["label_script"][0] == "run"
    assert actions["label_script"][1].startswith("parameters changed: label ")


def test_changing_one_processed_file_reruns_exactly_its_readers(copy_of_build, monkeypatch):
    WORLD.write_processed(copy_of_build, contents={"imports": b"imports v1", "tariffs": b"tariffs v2"})
    before = {name: (copy_of_build / "reports" / f"{name}.html").stat().st_mtime_ns for name in OK_RUNS}
    # on local worker processes (--jobs 2): the engine the shared build did not use
    outcome, lines = _build(copy_of_build, monkeypatch, runs=OK_RUNS, jobs=2)
    assert outcome.ok and outcome.built == ["label_script"]
    assert sorted(outcome.skipped) == ["square_1.0", "square_3.0"]
    assert any("input tariffs changed" in line for line in lines), lines
    after = {name: (copy_of_build / "reports" / f"{name}.html").stat().st_mtime_ns for name in OK_RUNS}
    assert [name for name in OK_RUNS if after[name] != before[name]] == ["label_script"]


@pytest.mark.parametrize("how", ["dask_workers", "scheduler"])
def test_local_dask_cluster_builds_the_same_reports(how, built, econ_home, monkeypatch):
    distributed = pytest.importorskip("distributed")
    WORLD.write_processed(econ_home)
    # one run and one worker each: a Dask worker's start-up costs seconds on this machine
    runs = ["square_1.0"] if how == "dask_workers" else ["square_3.0"]
    if how == "dask_workers":
        outcome, _ = _build(econ_home, monkeypatch, runs=runs, dask_workers=1)
    else:  # a cluster started elsewhere, reached by its address
        with distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
        ) as cluster:
            assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
            outcome, _ = _build(econ_home, monkeypatch, runs=runs, scheduler=cluster.scheduler_address)
    assert outcome.ok and sorted(outcome.built) == runs
    for name in runs:
        ours = json.loads((econ_home / "reports" / f"{name}.json").read_text())
        theirs = json.loads((built[0] / "reports" / f"{name}.json").read_text())
        assert ours["headline"] == theirs["headline"] and ours["key"] == theirs["key"]
        page = (econ_home / "reports" / f"{name}.html").read_text()
        assert 'id="provenance"' in page and "data:image/png;base64," in page


CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium not installed at /usr/bin/chromium")
def test_chromium_renders_the_figure(built):
    from chromium_page import open_page

    for page in ("square_1.0.html", "index.html", "compare-square_x.html"):
        rendered = open_page(built[0] / "reports" / page)
        assert rendered.decoded == rendered.images and rendered.no_alt == 0, (page, rendered)
        assert rendered.drawn == rendered.charts, (page, rendered)
        assert rendered.console == [], (page, rendered.console)
    assert open_page(built[0] / "reports" / "compare-square_x.html").charts == 1


def test_data_option_keeps_the_runs_on_that_dataset(copy_of_build, monkeypatch, tmp_path):
    runs_file = tmp_path / "runs.yaml"
    runs_file.write_text(
        RUNS.read_text().replace(
            "  broken:\n", "  on_real:\n    notebook: fx_other\n    parameters: {dataset: real}\n  broken:\n"
        )
    )
    outcome, _ = _build(copy_of_build, monkeypatch, runs_file=runs_file, data="real", dry_run=True)
    assert [decision.run.name for decision in outcome.decisions] == ["on_real"]
    outcome, _ = _build(copy_of_build, monkeypatch, runs_file=runs_file, data="demo", dry_run=True)
    assert "on_real" not in {decision.run.name for decision in outcome.decisions}
    with pytest.raises(ParameterError, match=r"no run on dataset 'real' among square_1\.0"):
        _build(copy_of_build, monkeypatch, data="real", runs=["square_1.0"], dry_run=True)
