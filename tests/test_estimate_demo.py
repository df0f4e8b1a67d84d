"""Truth tests on the demo world (econ.demo writes raw files and truth.json; econ.panel builds the panel).

Building the demo world end to end takes ~20 s on this machine even at the smallest scale, so these are
marked slow; the fast truth tests on in-memory simulated panels are in test_estimate_domain.py.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from econ.estimate import import_demand, passthrough

pytestmark = pytest.mark.slow

TRUTH = {"passthrough": 0.8, "import_elasticity": 3.5}


@pytest.fixture(scope="module")
def demo_world(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, dict, Path]:
    demo = pytest.importorskip("econ.demo")
    panel = pytest.importorskip("econ.panel")
    home = tmp_path_factory.mktemp("econ_home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ECON_HOME", str(home))
        demo.write(seed=3, scale=0.02, overrides=TRUTH)
        panel.build(dataset="demo")
        frame = panel.load("imports", dataset="demo")
        truth = panel.truth("demo")
    return frame, truth, home


def test_truth_json_has_the_overrides(demo_world):
    _, truth, _ = demo_world
    assert truth["synthetic"] is True
    for key, value in TRUTH.items():
        assert truth["parameters"][key] == pytest.approx(value)


def test_passthrough_within_two_se_of_truth(demo_world):
    frame, truth, _ = demo_world
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fits = passthrough(frame, horizon=12)
    rho = truth["parameters"]["passthrough"]
    incl, excl = fits["duty_inclusive"], fits["duty_exclusive"]
    name = incl.coef.index[0]
    assert abs(incl.coef[name] - rho) <= 2 * incl.se[name]
    assert abs(excl.coef[name] - (rho - 1)) <= 2 * excl.se[name]


def test_import_elasticity_within_two_se_of_truth(demo_world):
    frame, truth, _ = demo_world
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = import_demand(frame, horizon=12)["quantity"]
    sigma = truth["parameters"]["import_elasticity"]
    assert abs(fit.coef.iloc[0] + sigma) <= 2 * fit.se.iloc[0]


def test_passthrough_notebook_runs_on_the_demo(demo_world, tmp_path, monkeypatch):
    papermill = pytest.importorskip("papermill")
    nbformat = pytest.importorskip("nbformat")
    _, _, home = demo_world
    monkeypatch.setenv("ECON_HOME", str(home))
    source = Path(__file__).parents[1] / "notebooks" / "passthrough.ipynb"
    stored = nbformat.read(source, as_version=4)
    assert all(not cell.get("outputs") for cell in stored.cells if cell.cell_type == "code")
    assert any("parameters" in cell.metadata.get("tags", []) for cell in stored.cells)
    out = tmp_path / "passthrough.ipynb"
    papermill.execute_notebook(str(source), str(out), parameters={"dataset": "demo"}, progress_bar=False)
    from econ.reports.headline import headlines_from_notebook

    figures = headlines_from_notebook(nbformat.read(out, as_version=4))
    assert figures["synthetic_data"] is True
    assert (
        abs(figures["passthrough_duty_inclusive"] - TRUTH["passthrough"])
        < 3 * figures["passthrough_duty_inclusive_se"]
    )
    text = out.read_text()
    assert "synthetic demo world" in text
