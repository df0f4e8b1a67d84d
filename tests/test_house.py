"""The house rules that keep the flow one-way: sources → panel → notebooks → reports.

* Notebooks and models read everything through the processed catalog (`econ.panel`): nothing under
  econ/models/ or notebooks/ may open a file, build a path, or reach data/raw (econ.paths, econ.sources
  readers, econ.demo). Checked on the source, so that a new side door fails here before any report runs.
* A report's key follows what it depends on: editing a scenario file reruns exactly the runs that name
  it; editing a timeline row (package data) reruns every run; a misspelt scenario is refused before any
  kernel starts.
"""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

import pytest

from econ import manifest, paths
from econ.errors import ParameterError
from econ.reports import pipeline, runs

PACKAGE = Path(manifest.__file__).parent
NOTEBOOK_SOURCES = sorted(paths.notebooks_dir().glob("*.py"))
MODEL_SOURCES = sorted((PACKAGE / "models").rglob("*.py"))

# What a model or a notebook may import from the package: the catalog, the economics, the house style.
_FORBIDDEN_MODULES = ("econ.paths", "econ.demo", "econ.sources", "econ.atomic", "econ.manifest", "pathlib")
_ALLOWED_FROM = {("econ.sources.bea", "IOTable")}  # the type of the tables the catalog hands over
_READERS = {"read_csv", "read_parquet", "read_excel", "read_json", "read_table", "read_fwf", "read_pickle"}


def _package_data(func: ast.expr) -> bool:
    """`resources.files("econ…").joinpath(…).read_text()`: the package's own facts, which travel with the
    code (and its hash), not a data file of the user's."""
    node = func.value if isinstance(func, ast.Attribute) else None
    while isinstance(node, ast.Call | ast.Attribute):
        if isinstance(node, ast.Call):
            callee = node.func
            if (
                isinstance(callee, ast.Attribute)
                and callee.attr == "files"
                and isinstance(callee.value, ast.Name)
                and callee.value.id == "resources"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and str(node.args[0].value).startswith("econ")
            ):
                return True
            node = callee
        else:
            node = node.value
    return False


def _side_doors(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # a docstring may say where data must never come from; only code can open it
    docstrings = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    found = []
    for node in ast.walk(tree):
        if id(node) in docstrings:
            continue
        where = f"{path.relative_to(paths.checkout())}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(_FORBIDDEN_MODULES):
                    found.append(f"{where}: imports {alias.name}")
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            for alias in node.names:
                full = f"{module}.{alias.name}"
                if (module, alias.name) in _ALLOWED_FROM:
                    continue
                if module.startswith(_FORBIDDEN_MODULES) or full.startswith(_FORBIDDEN_MODULES):
                    found.append(f"{where}: imports {full}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if "data/raw" in node.value or "raw_dir" in node.value:
                found.append(f"{where}: names data/raw")
        elif isinstance(node, ast.Call):
            func = node.func
            name = (
                func.id
                if isinstance(func, ast.Name)
                else func.attr
                if isinstance(func, ast.Attribute)
                else ""
            )
            if name in {"open", "read_text", "read_bytes", "Path"} and not _package_data(func):
                found.append(f"{where}: calls {name}()")
            elif name in _READERS:
                first = node.args[0] if node.args else None
                from_memory = isinstance(first, ast.Call) and "StringIO" in (
                    getattr(first.func, "attr", ""),
                    getattr(first.func, "id", ""),
                )
                if not from_memory:
                    found.append(f"{where}: calls {name}() on a file")
    return found


@pytest.mark.parametrize("path", NOTEBOOK_SOURCES + MODEL_SOURCES, ids=lambda p: p.name)
def test_notebooks_and_models_open_no_file(path: Path) -> None:
    assert _side_doors(path) == []


def test_the_side_door_check_can_fail(tmp_path: Path) -> None:
    bad = paths.checkout() / "notebooks" / ".side_door_probe.py"
    try:
        bad.write_text(
            "from econ import paths\nimport pandas as pd\n"
            "frame = pd.read_csv(paths.raw_dir('bea') / 'use.csv')\nopen('data/raw/x')\n"
            "from importlib import resources\n"
            "facts = resources.files('econ.models').joinpath('data/x.csv').read_text()\n"  # allowed
            "mine = resources.files('mine').joinpath('x.csv').read_text()\n",
            encoding="utf-8",
        )
        problems = _side_doors(bad)
    finally:
        bad.unlink()
    assert len(problems) == 5, problems


# ------------------------------------------------------------------------------- what reruns and why


@pytest.fixture()
def every_run(econ_home: Path) -> list[runs.Run]:
    """The real runs.yaml over stand-ins for every processed output its notebooks read."""
    loaded = runs.load_runs()
    needed = sorted({name for run in loaded for name in run.reads + run.reads_optional})
    for dataset in sorted({run.dataset for run in loaded}):
        folder = econ_home / "data" / "processed" / dataset
        folder.mkdir(parents=True)
        outputs = {}
        for name in needed:
            (folder / f"{name}.parquet").write_bytes(name.encode())
            outputs[name] = {
                "path": f"{name}.parquet",
                "sha256": manifest.sha256_file(folder / f"{name}.parquet"),
            }
        record = {"dataset": dataset, "outputs": outputs, "inputs": {}}
        (folder / "manifest.json").write_text(json.dumps(record), encoding="utf-8")
    return loaded


def _built(decisions: list[pipeline.Decision]) -> dict[str, dict]:
    """The records a successful build of every decision would leave (what the next plan compares with),
    with the page and figures each record names (carrying its key, as a real build's do)."""
    folder = paths.reports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    records = {}
    for d in decisions:
        record = {"status": "ok", "key": d.key.key, "key_parts": d.key.parts}
        for kind in ("html", "json"):
            path = folder / f"{d.run.name}.{kind}"
            path.write_text(f"stand-in for {d.run.name}, key {d.key.key}")
            record[kind], record[f"{kind}_sha256"] = path.name, manifest.sha256_file(path)
        records[d.run.name] = record
    return records


def _plan(loaded: list[runs.Run], previous: dict) -> dict[str, tuple[str, str]]:
    decisions = pipeline.plan(loaded, force=False, show_code=False, previous=previous)
    return {d.run.name: (d.action, d.reason) for d in decisions}


def test_editing_a_scenario_file_reruns_exactly_its_runs(every_run, tmp_path: Path, monkeypatch) -> None:
    from econ.tariffs import scenarios

    copies = tmp_path / "scenarios"
    shutil.copytree(PACKAGE / "tariffs" / "scenarios", copies)
    monkeypatch.setattr(scenarios, "scenario_file", lambda name: copies / f"{name}.yaml")
    first = pipeline.plan(every_run, force=False, show_code=False, previous={})
    assert {action for action, _ in _plan(every_run, _built(first)).values()} == {"skip"}

    scenario = copies / "no_geneva.yaml"
    scenario.write_text(scenario.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    plan = _plan(every_run, _built(first))
    rerun = {name for name, (action, _) in plan.items() if action == "run"}
    naming = {run.name for run in every_run if run.values.get("scenario") == "no_geneva"}
    assert naming and rerun == naming
    assert all(plan[name][1] == "scenario no_geneva file changed" for name in naming)


def test_editing_a_timeline_row_reruns_every_run(every_run, tmp_path: Path, monkeypatch) -> None:
    copy = tmp_path / "econ"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(manifest, "_PACKAGE", copy)
    first = pipeline.plan(every_run, force=False, show_code=False, previous={})
    assert {action for action, _ in _plan(every_run, _built(first)).values()} == {"skip"}

    timeline = copy / "tariffs" / "data" / "timeline.csv"
    rows = timeline.read_text(encoding="utf-8").splitlines()
    rows[1] = rows[1].replace(",0.25,", ",0.26,", 1)  # one rate of one dated change
    timeline.write_text("\n".join(rows) + "\n", encoding="utf-8")
    plan = _plan(every_run, _built(first))
    assert {name: action for name, (action, _) in plan.items()} == {run.name: "run" for run in every_run}
    assert {reason for _, reason in plan.values()} == {"econ code changed"}


def test_a_misspelt_scenario_is_refused_before_any_kernel(tmp_path: Path) -> None:
    path = tmp_path / "runs.yaml"
    path.write_text(
        "runs:\n  typo:\n    notebook: geneva_reduction\n"
        "    parameters: {dataset: demo, scenario: no_genva}\n"
        "  missing:\n    notebook: geneva_reduction\n    parameters: {scenario: /nowhere/mine.yaml}\n",
        encoding="utf-8",
    )
    with pytest.raises(ParameterError) as caught:
        runs.load_runs(path)
    problems = dict(caught.value.problems)
    assert "unknown scenario 'no_genva'" in problems["typo.scenario"]
    assert "/nowhere/mine.yaml does not exist" in problems["missing.scenario"]


def _refusal_of_an_edited_scenario(tmp_path: Path, old: str, new: str) -> tuple[Path, str]:
    """The shipped no_geneva scenario with `old` replaced by `new`, as a run's scenario file: the file and
    the one-line problem the runs file is refused with (before any kernel)."""
    mine = tmp_path / "mine.yaml"
    text = (PACKAGE / "tariffs" / "scenarios" / "no_geneva.yaml").read_text(encoding="utf-8")
    mine.write_text(text.replace(old, new, 1), encoding="utf-8")
    path = tmp_path / "runs.yaml"
    path.write_text(
        f"runs:\n  mine:\n    notebook: geneva_reduction\n    parameters: {{scenario: {mine}}}\n",
        encoding="utf-8",
    )
    with pytest.raises(ParameterError) as caught:
        runs.load_runs(path)
    return mine, dict(caught.value.problems)["mine.scenario"]


def test_a_scenario_with_a_bad_date_is_refused_naming_file_and_key(tmp_path: Path) -> None:
    mine, message = _refusal_of_an_edited_scenario(tmp_path, "from: 2025-05-14", "from: 2025-13-14")
    assert str(mine) in message and "2025-13-14" in message


def test_a_scenario_with_a_key_twice_is_refused_naming_file_and_line(tmp_path: Path) -> None:
    # YAML would keep the last `rate:` silently: a scenario that says two things must say neither.
    mine, message = _refusal_of_an_edited_scenario(
        tmp_path, "    rate: 1.25\n", "    rate: 1.25\n    rate: 0.10\n"
    )
    assert str(mine) in message and "rate" in message, message
