"""econ.reports without kernels: parameter models, runs.yaml and grids, run keys, rendering, pairing."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from reports_world import WORLD  # the report tests' world, loaded once (tests/ is on sys.path)

from econ import cli, manifest, paths
from econ.errors import ParameterError
from econ.reports import cache, engines, headline, pairing, params, pipeline, runs
from econ.reports.headline import HEADLINE_MIME, headline_bundle, headlines_from_notebook
from econ.reports.render import DEMO_BANNER, render_html

FIXTURES = Path(__file__).parent / "fixtures" / "reports"


def _notebooks() -> list[Path]:
    return sorted(paths.notebooks_dir().glob("*.ipynb")) + sorted(FIXTURES.glob("*.ipynb"))


# --------------------------------------------------------------------------- parameters


def test_tariff_timeline_defaults_match_the_brief():
    model = params.model_for("tariff_timeline")
    # the import panel it reads is a parameter (HS10 or NAICS): both are hashed into the key when there
    assert model.reads == ("tariff_lines",)
    assert {"imports", "imports_naics", "exports"} <= set(model.reads_optional)
    values = model().model_dump()
    assert values == {"dataset": "demo", "partner": "5700", "start": "2017-01", "end": "2025-12",
                      "imports_panel": "imports"}  # fmt: skip
    needed = [need.output for need in model(imports_panel="imports_naics").needs() if not need.optional]
    assert needed == ["imports_naics", "tariff_lines"]


def test_every_problem_is_listed_by_parameter_name():
    with pytest.raises(ParameterError) as caught:
        params.validate(
            "tariff_timeline",
            {"dataset": "fake", "partner": 5700, "start": "2017-13", "colour": "red"},
        )
    names = [name for name, _ in caught.value.problems]
    assert sorted(names) == ["colour", "dataset", "partner", "start"]
    assert "unknown parameter" in dict(caught.value.problems)["colour"]
    assert "partner" in str(caught.value)


def test_end_before_start_is_refused_on_end():
    with pytest.raises(ParameterError) as caught:
        params.validate("tariff_timeline", {"start": "2024-05", "end": "2023-01"})
    assert [name for name, _ in caught.value.problems] == ["end"]


def test_unknown_notebook_has_no_model():
    with pytest.raises(ParameterError, match="no parameter model"):
        params.model_for("no_such_notebook")


@pytest.mark.parametrize("notebook", _notebooks(), ids=lambda path: path.stem)
def test_model_agrees_with_the_notebook_parameters_cell(notebook: Path):
    model = params.model_for(notebook.stem)
    assert params.disagreements(model, params.parameters_cell(notebook)) == []


@pytest.mark.parametrize(
    "notebook", sorted(paths.notebooks_dir().glob("*.ipynb")), ids=lambda path: path.stem
)
def test_model_reads_every_panel_the_notebook_loads(notebook: Path):
    # A panel missing from `reads` would leave the run's key blind to changes in it.
    source = "\n".join(cell.source for cell in nbformat.read(str(notebook), as_version=4).cells)
    loaded = set(re.findall(r"""panel\.load\(\s*["'](\w+)["']""", source))
    if re.search(r"panel\.schedule\(", source):
        loaded.add("tariff_lines")  # econ.panel.schedule() reads the processed tariff lines
    model = params.model_for(notebook.stem)
    assert loaded <= set(model.reads) | set(model.reads_optional)


def test_disagreement_is_detected():
    declared = {"dataset": ("str", "demo"), "x": ("int", 2), "extra": (None, 1)}
    found = params.disagreements(WORLD.FxSquare, declared)
    assert any(line.startswith("extra:") for line in found)
    assert any("x: default 2" in line for line in found)
    assert any("annotated int" in line for line in found)


def test_parameters_cell_refuses_computed_defaults(tmp_path: Path):
    cell = new_code_cell("import os\nx = 1")
    cell.metadata["tags"] = ["parameters"]
    path = tmp_path / "nb.ipynb"
    nbformat.write(new_notebook(cells=[cell]), str(path))
    with pytest.raises(ParameterError, match="not a plain assignment"):
        params.parameters_cell(path)


# --------------------------------------------------------------------------- runs.yaml and grids


def test_grid_expands_to_the_product_in_order():
    expanded = runs.expand_grid(
        "pe_{scenario}_{passthrough}",
        {"dataset": "demo"},
        {"scenario": ["geneva", "rollback"], "passthrough": [0.5, 1.0]},
    )
    assert [name for name, _ in expanded] == [
        "pe_geneva_0.5",
        "pe_geneva_1.0",
        "pe_rollback_0.5",
        "pe_rollback_1.0",
    ]
    assert expanded[3][1] == {"dataset": "demo", "scenario": "rollback", "passthrough": 1.0}


def test_fixture_runs_load_with_the_grid_expanded():
    loaded = runs.load_runs(FIXTURES / "runs.yaml", notebooks_dir=FIXTURES)
    assert [run.name for run in loaded] == ["label_script", "broken", "square_1.0", "square_3.0"]
    assert [run.values["x"] for run in loaded if run.notebook == "fx_square"] == [1.0, 3.0]
    assert loaded[0].reads == ("tariffs",)


def test_checkout_runs_yaml_parses():
    text = paths.runs_file().read_text(encoding="utf-8")
    assert "tariff_timeline" in text
    document = __import__("yaml").safe_load(text)
    for spec in document["runs"].values():
        params.validate(spec["notebook"], spec["parameters"])
    for grid in document["grids"]:
        for _, parameters in runs.expand_grid(grid["name"], grid["parameters"], grid["grid"]):
            params.validate(grid["notebook"], parameters)


def _write_runs(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "runs.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bad_runs_are_all_reported(tmp_path: Path):
    path = _write_runs(
        tmp_path,
        """
runs:
  a: {notebook: fx_square, parameters: {x: "abc", colour: red}}
  b: {notebook: nowhere}
grids:
  - {name: "sq_{y}", notebook: fx_square, grid: {x: [1.0]}}
  - {name: "dup", notebook: fx_square, grid: {x: [1.0, 2.0]}}
""",
    )
    with pytest.raises(ParameterError) as caught:
        runs.load_runs(path, notebooks_dir=FIXTURES)
    names = [name for name, _ in caught.value.problems]
    assert {"a.x", "a.colour", "b.notebook", "grids[1].name", "dup"} <= set(names)


def test_bad_parameter_refused_before_any_kernel(tmp_path: Path, econ_home: Path, monkeypatch):
    WORLD.write_processed(econ_home)
    started = []
    monkeypatch.setattr("jupyter_client.KernelManager.start_kernel", lambda *a, **k: started.append(a))
    monkeypatch.setattr(engines, "execute_run", lambda task: started.append(task))
    monkeypatch.setattr(engines, "_LocalWorker", lambda: started.append("worker"))
    path = _write_runs(
        tmp_path,
        """
runs:
  good: {notebook: fx_square, parameters: {x: 2.0}}
  bad: {notebook: fx_square, parameters: {x: "two", y: 1}}
""",
    )
    with pytest.raises(ParameterError) as caught:
        pipeline.run_reports(runs_file=path, notebooks_dir=FIXTURES, jobs=2, echo=lambda line: None)
    assert sorted(name for name, _ in caught.value.problems) == ["bad.x", "bad.y"]
    assert started == []
    assert not (econ_home / "reports").exists()


def test_unknown_run_name_is_refused():
    with pytest.raises(ParameterError, match="no such run"):
        runs.load_runs(FIXTURES / "runs.yaml", notebooks_dir=FIXTURES, select=["nope"])


def test_contradictory_engines_refused():
    with pytest.raises(ParameterError, match="scheduler"):
        engines.check_engine(jobs=1, scheduler="tcp://127.0.0.1:8786", dask_workers=2)
    with pytest.raises(ParameterError, match="jobs"):
        engines.check_engine(jobs=0, scheduler=None, dask_workers=None)
    assert engines.check_engine(jobs=3, scheduler=None, dask_workers=None) == "processes"


# --------------------------------------------------------------------------- keys and plans


def test_input_hashes_come_from_the_processed_manifest(econ_home: Path):
    WORLD.write_processed(econ_home)
    folder = econ_home / "data" / "processed" / "demo"
    from_manifest = cache.input_hashes("demo", ("imports",))
    assert from_manifest["imports"] != cache.MISSING
    assert cache.input_hashes("demo", ("nothing",)) == {"nothing": cache.MISSING}
    (folder / "manifest.json").unlink()  # without a manifest nothing is known to be built
    assert cache.input_hashes("demo", ("imports",)) == {"imports": cache.MISSING}


def test_the_demo_truth_enters_the_key_of_the_runs_that_read_it(econ_home: Path):
    run = runs.Run("p", "passthrough", Path("passthrough.ipynb"), params.validate("passthrough", {}))
    assert "truth" in run.reads_optional
    WORLD.write_processed(econ_home, contents={"imports": b"imports", "truth": b'{"passthrough": 0.9}'})
    first = cache.input_hashes("demo", run.reads + run.reads_optional)
    WORLD.write_processed(econ_home, contents={"imports": b"imports", "truth": b'{"passthrough": 0.8}'})
    second = cache.input_hashes("demo", run.reads + run.reads_optional)
    assert first["imports"] == second["imports"] and first["truth"] != second["truth"]
    reasons = cache.why_changed(
        {"inputs": first},
        {"notebook": None, "parameters": {}, "inputs": second, "code": None, "show_code": None},
    )
    assert reasons == [f"input truth changed ({first['truth'][:12]} -> {second['truth'][:12]})"]


def test_code_hash_follows_the_package_code_and_data(tmp_path: Path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "tariffs" / "data").mkdir(parents=True)
    (package / "tariffs" / "scenarios").mkdir(parents=True)
    (package / "sub" / "a.py").write_text("x = 1\n")
    (package / "b.txt").write_text("not code")
    (package / "tariffs" / "data" / "timeline.csv").write_text("layer,rate\nsection301,0.25\n")
    (package / "tariffs" / "scenarios" / "s.yaml").write_text("name: s\n")
    first = manifest.code_hash(package)
    (package / "b.txt").write_text("still not code")
    assert manifest.code_hash(package) == first
    (package / "tariffs" / "scenarios" / "s.yaml").write_text("name: t\n")
    assert manifest.code_hash(package) == first  # a scenario enters only the keys of runs that name it
    (package / "tariffs" / "data" / "timeline.csv").write_text("layer,rate\nsection301,0.10\n")
    second = manifest.code_hash(package)
    assert second != first  # package data is code: a timeline row changes every result
    (package / "sub" / "a.py").write_text("x = 2\n")
    assert manifest.code_hash(package) != second


def test_why_changed_names_each_part():
    old = {
        "notebook": "a",
        "parameters": {"x": 1.0},
        "inputs": {"imports": "aa"},
        "code": "c",
        "show_code": False,
    }
    new = {
        "notebook": "b",
        "parameters": {"x": 2.0},
        "inputs": {"imports": "bb"},
        "code": "d",
        "show_code": True,
    }
    reasons = cache.why_changed(old, new)
    assert reasons == [
        "notebook source changed",
        "parameters changed: x 1.0 -> 2.0",
        "input imports changed (aa -> bb)",
        "econ code changed",
        "code shown",
    ]


def test_missing_processed_data_blocks_without_a_kernel(econ_home: Path, monkeypatch, capsys):
    monkeypatch.setattr(engines, "execute_run", lambda task: pytest.fail("a kernel was started"))
    outcome = pipeline.run_reports(
        ["square_1.0"], runs_file=FIXTURES / "runs.yaml", notebooks_dir=FIXTURES, progress=False
    )
    assert not outcome.ok
    assert "econ build --data demo" in outcome.failed["square_1.0"]
    manifest = (econ_home / "reports" / "manifest.json").read_text()
    assert '"last_action": "blocked"' in manifest


def test_banner_follows_the_processed_manifest_not_the_run(econ_home: Path):
    run = runs.Run(
        "r", "fx_square", FIXTURES / "fx_square.ipynb", params.validate("fx_square", {"dataset": "real"})
    )

    def is_demo() -> bool:
        decision = pipeline.plan([run], force=True, show_code=False, previous={})[0]
        return pipeline._task(decision, shared={}, show_code=False).is_demo

    assert is_demo()  # no processed manifest at all: treated as synthetic
    WORLD.write_processed(econ_home, dataset="real")
    assert not is_demo()
    manifest = econ_home / "data" / "processed" / "real" / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"dataset": "real"', '"dataset": "demo"'))
    assert is_demo()  # a run that says "real" on data the manifest calls demo still gets the banner


def test_cli_dry_run_says_why(econ_home: Path, monkeypatch, capsys):
    WORLD.write_processed(econ_home)
    monkeypatch.setattr(paths, "runs_file", lambda: FIXTURES / "runs.yaml")
    monkeypatch.setattr(paths, "notebooks_dir", lambda: FIXTURES)
    assert cli.main(["report", "--dry-run", "square_1.0", "broken"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"would run\s+square_1\.0: never built", out)
    assert re.search(r"would run\s+broken: never built", out)
    assert "label_script" not in out
    assert not (econ_home / "reports").exists()  # a dry run writes nothing
    assert cli.main(["report", "--dry-run", "--force", "square_1.0"]) == 0
    assert "forced (--force)" in capsys.readouterr().out


# --------------------------------------------------------------------------- headline and rendering


def _executed_notebook() -> nbformat.NotebookNode:
    figure = new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"})
    figures = new_output("display_data", data=headline_bundle({"passthrough": 0.9, "n": 3}))
    later = new_output("display_data", data=headline_bundle({"n": 4}))
    return new_notebook(
        cells=[
            new_markdown_cell("# Tariff timeline\n\nWords."),
            new_code_cell("secret_code_marker = 1", outputs=[figure, figures]),
            new_code_cell("more()", outputs=[later]),
        ]
    )


def test_headlines_are_read_back_in_order():
    assert headlines_from_notebook(_executed_notebook()) == {"passthrough": 0.9, "n": 4}


def test_headline_returns_plain_values_and_refuses_objects():
    import numpy as np

    assert headline(a=np.float64(1.5), b=np.int32(2), c=float("nan")) == {"a": 1.5, "b": 2, "c": None}
    with pytest.raises(TypeError, match="'frame'"):
        headline(frame=object())
    assert HEADLINE_MIME.startswith("application/vnd.econ.")


def _render(**options) -> str:
    base = dict(
        title="Tariff timeline — t",
        run="t",
        parameters={"partner": "<script>alert(1)</script>"},
        is_demo=True,
        provenance={
            "git": {"commit": "abc123", "dirty": True},
            "inputs": {"imports": "f00d"},
            "duration_s": 1.25,
        },
    )
    return render_html(_executed_notebook(), **{**base, **options})


def test_html_hides_code_unless_asked():
    assert "secret_code_marker" not in _render()
    assert "secret_code_marker" in _render(show_code=True)


def test_html_is_self_contained_escaped_and_carries_provenance():
    page = _render()
    references = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)["']""", page)
    assert references and all(ref.startswith(("data:", "#")) for ref in references), references
    assert not re.search(r"<link\b|<script\b[^>]*\bsrc=|@import", page)
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'id="provenance"' in page and "abc123 (uncommitted changes)" in page and "f00d" in page
    assert 'id="parameters"' in page and page.index('id="parameters"') < page.index("Words.")
    assert page.index("Words.") < page.index('id="provenance"')
    assert "<title>Tariff timeline — t</title>" in page
    assert DEMO_BANNER in page
    assert DEMO_BANNER not in _render(is_demo=False)


# --------------------------------------------------------------------------- jupytext pairs


@pytest.mark.parametrize("folder", [paths.notebooks_dir(), FIXTURES], ids=["notebooks", "fixtures"])
def test_every_notebook_agrees_with_its_py_twin(folder: Path):
    assert pairing.check_pairs(folder) == {}


def test_a_drifted_pair_is_caught(tmp_path: Path):
    for suffix in (".ipynb", ".py"):
        shutil.copy(FIXTURES / f"fx_other{suffix}", tmp_path / f"fx_other{suffix}")
    script = tmp_path / "fx_other.py"
    script.write_text(script.read_text().replace("print(label)", "print(label.upper())"))
    problems = pairing.check_pair(tmp_path / "fx_other.ipynb")
    assert len(problems) == 1 and re.match(r"cell \d+: source differs", problems[0])
    script.unlink()
    assert "no paired" in pairing.check_pair(tmp_path / "fx_other.ipynb")[0]


def test_an_optional_panel_enters_the_key_but_its_absence_blocks_nothing():
    key = cache.RunKey(
        "k", {"inputs": {"imports": "abc", "industries": cache.MISSING}}, optional=("industries",)
    )
    assert key.missing_inputs == []
    required = cache.RunKey("k", {"inputs": {"imports": cache.MISSING}}, optional=("industries",))
    assert required.missing_inputs == ["imports"]
    assert "industries" in params.model_for("geneva_reduction").reads_optional


# --------------------------------------------------------------------------- what a run needs of the data


def test_dry_run_says_in_one_line_why_the_data_cannot_serve_a_run(
    econ_home: Path, tmp_path: Path, monkeypatch
):
    WORLD.write_processed(
        econ_home, contents={"imports": b"i", "exports": b"e", "tariff_lines": b"t", "io_tables": b"io"}
    )
    record = econ_home / "data" / "processed" / "demo" / "manifest.json"
    document = __import__("json").loads(record.read_text())
    document["outputs"]["imports"]["months"] = ["2019-01", "2024-06"]
    record.write_text(__import__("json").dumps(document))
    path = tmp_path / "runs.yaml"
    path.write_text(
        "runs:\n  timeline: {notebook: tariff_timeline}\n"
        "  geneva_2023: {notebook: geneva_reduction, parameters: {base_year: 2023}}\n"
        "  geneva_2024: {notebook: geneva_reduction, parameters: {base_year: 2024}}\n"
    )
    monkeypatch.setattr(engines, "execute_run", lambda task: pytest.fail("a kernel was started"))
    lines: list[str] = []
    outcome = pipeline.run_reports(runs_file=path, dry_run=True, echo=lines.append, progress=False)
    said = {line.split(":", 1)[0].split()[-1]: line for line in lines}
    assert not outcome.ok
    assert (
        "cannot run  timeline: imports covers 2019-01 to 2024-06; this run needs 2017-01 to 2025-12"
        in said["timeline"]
    )
    assert "the months shown and the 2017 weights" in said["timeline"]
    assert "would run" in said["geneva_2023"]  # 2023 is inside the panel's months
    assert (
        "cannot run  geneva_2024: imports covers 2019-01 to 2024-06; this run needs 2024-01 to 2024-12"
        in (said["geneva_2024"])
    )
    assert all(line.count("\n") == 0 for line in lines)


def test_every_model_says_what_it_needs():
    for name, model in params.models().items():
        needs = model().needs()
        assert {need.output for need in needs} >= set(model.reads), name


def test_a_run_of_a_grid_is_named_by_what_sets_it_apart() -> None:
    from econ.reports.index import build_note, run_label

    assert run_label("g_0.9", {"restriction": 0.9, "dataset": "demo"}, ["restriction"]) == "restriction 0.9"
    assert run_label("t_2010", {"partner": "2010"}, ["partner"]) == "partner Mexico (2010)"
    assert run_label("g", {"scenario": "no_geneva"}, ["scenario"]) == "scenario No Geneva accord (no_geneva)"
    assert run_label("only", {"x": 1}, []) == "only"
    assert (
        build_note({"last_action": "built", "reason": "never built"}) == "built in this run (its first build)"
    )
