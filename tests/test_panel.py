"""Processed panels: built from raw files, schema-checked, hashed, verified on load, rebuilt when bad."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from econ import demo, panel, paths
from econ.errors import EconError, InputFormatError, IntegrityError

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ECON_HOME", str(home))
        demo.write(seed=3, scale=0.05)
        panel.build(dataset="demo")
    return home


@pytest.fixture()
def home(built: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ECON_HOME", str(built))
    return built


def test_imports_panel_matches_raw_totals(home: Path) -> None:
    imports = panel.load("imports")
    # Independent total from the raw files: detail rows only.
    value = duty = 0.0
    for path in (home / "data/raw/demo/census").glob("imports_hs10_*.json"):
        table = json.loads(path.read_text())
        col = {name: i for i, name in enumerate(table[0])}
        for row in table[1:]:
            if row[col["SUMMARY_LVL"]] == "DET":
                value += float(row[col["CON_VAL_MO"]])
                duty += float(row[col["CAL_DUT_MO"]])
    assert imports["value"].sum() == pytest.approx(value)
    assert imports["duty"].sum() == pytest.approx(duty)
    assert not imports.duplicated(["hs10", "partner", "month"]).any()


def test_exports_panel_carries_chinas_retaliation(home: Path) -> None:
    exports = panel.load("exports")
    total = 0.0
    for path in (home / "data/raw/demo/census").glob("exports_hs10_*.json"):
        table = json.loads(path.read_text())
        col = {name: i for i, name in enumerate(table[0])}
        total += sum(float(r[col["ALL_VAL_MO"]]) for r in table[1:] if r[col["SUMMARY_LVL"]] == "DET")
    assert exports["value"].sum() == pytest.approx(total)
    soybeans = exports[(exports["hs10"] == "1201900000") & (exports["partner"] == "5700")].set_index("month")
    assert soybeans.loc["2017-06-01", "china_retaliation"] == 0.0
    assert soybeans.loc["2019-06-01", "china_retaliation"] == pytest.approx(0.25)  # List 1 retaliation
    assert soybeans.loc["2025-06-01", "china_retaliation"] >= 0.10  # Geneva's 10% on all US goods
    canada = exports[exports["partner"] == "1220"]
    assert (canada["china_retaliation"] == 0).all()


def test_industries_come_through_the_concordances(home: Path) -> None:
    """The demo writes a Census HS10 concordance and BEA's NAICS workbook; the build joins them."""
    industries = panel.load("industries").set_index("hs10")
    imports = panel.load("imports", columns=["hs10"])
    assert set(imports["hs10"]) == set(industries.index)
    assert (industries["naics_match"] == "exact").all() and (industries["bea_match"] == "exact").all()
    # FACTS §4: magnets → NAICS 332999 (BEA 332); rare-earth compounds → 325180 (BEA 325).
    assert industries.loc["8505110070", ["naics", "bea_summary"]].tolist() == ["332999", "332"]
    assert industries.loc["2846908090", ["naics", "bea_summary"]].tolist() == ["325180", "325"]
    joins = {join["join"]: join for join in panel.manifest().coverage["joins"]}
    assert joins["HS10 → NAICS"]["exact"] == 1.0 and joins["HS10 → NAICS"]["top"] == []


def test_derived_columns_and_ids(home: Path) -> None:
    imports = panel.load("imports")
    positive = imports[(imports["quantity"] > 0) & (imports["value"] > 0)]
    np.testing.assert_allclose(positive["unit_value"], positive["value"] / positive["quantity"])
    np.testing.assert_allclose(positive["collected_rate"], positive["duty"] / positive["value"])
    assert imports.loc[imports["quantity"] == 0, "unit_value"].isna().all()
    assert imports.groupby("hs10")["product_id"].nunique().eq(1).all()
    assert imports["product_id"].nunique() == imports["hs10"].nunique()
    first = imports.loc[imports["month"] == imports["month"].min(), "month_id"].iloc[0]
    assert first == 2017 * 12
    china = imports[(imports["partner"] == "5700") & (imports["month"] == "2025-06-01")]
    assert (china["ieepa_fentanyl"] > 0).all()  # the tariff engine's layers are in the panel


def test_second_build_is_skipped_and_force_rebuilds(home: Path) -> None:
    assert panel.build(dataset="demo").skipped
    assert not panel.build(dataset="demo", force=True).skipped


def test_corrupted_parquet_is_named_and_rebuilt(home: Path) -> None:
    path = paths.processed_dir() / "demo" / "imports" / "2024.parquet"
    original = path.read_bytes()
    path.write_bytes(original[: len(original) // 2])  # truncated
    with pytest.raises(IntegrityError, match=r"imports/2024\.parquet"):
        panel.load("imports")
    rebuilt = panel.build(dataset="demo")
    assert not rebuilt.skipped
    assert len(panel.load("imports")) > 0


def test_unknown_panel_and_columns(home: Path) -> None:
    with pytest.raises(EconError, match="unknown panel"):
        panel.load("exports_by_moon")
    with pytest.raises(EconError, match="no columns"):
        panel.load("imports", columns=["hs10", "moonshine"])
    subset = panel.load("imports", columns=["hs10", "value"])
    assert list(subset.columns) == ["hs10", "value"]


def test_missing_data_says_what_to_run(econ_home: Path) -> None:
    with pytest.raises(EconError, match=r"econ demo"):
        panel.build(dataset="demo")
    with pytest.raises(EconError, match=r"econ build"):
        panel.load("imports")


def test_truncated_census_file_names_the_file(econ_home: Path) -> None:
    demo.write(seed=3, scale=0.02)
    path = econ_home / "data/raw/demo/census/imports_hs10_2019.json"
    path.write_text(path.read_text()[:5000])
    with pytest.raises(InputFormatError, match=r"imports_hs10_2019\.json"):
        panel.build(dataset="demo")
    assert not (econ_home / "data/processed/demo/imports").exists()  # nothing half-written


def test_duplicate_rows_across_files_are_refused(econ_home: Path) -> None:
    demo.write(seed=3, scale=0.02)
    census = econ_home / "data/raw/demo/census"
    (census / "imports_hs10_2024_copy.json").write_bytes((census / "imports_hs10_2024.json").read_bytes())
    with pytest.raises(InputFormatError, match=r"the same rows are in .*imports_hs10_2024_copy\.json"):
        panel.build(dataset="demo")


def test_schema_check_names_the_column() -> None:
    frame = pd.DataFrame({c: pd.Series(dtype="float64") for c in panel.IMPORTS_SCHEMA})
    with pytest.raises(Exception, match="hs10"):
        panel.check_schema(frame, "imports", where="test")


def test_real_files_build_the_same_panels_as_the_demo(home: Path, tmp_path: Path, monkeypatch) -> None:
    """`econ build --data real` reads files dropped into data/raw/<source>/<vintage>/ the same way."""
    import shutil

    real_home = tmp_path / "real"
    demo_raw = home / "data/raw/demo"
    for source, pattern in (("census", "*.json"), ("hts", "*.json"), ("concord", "*")):
        folder = real_home / "data/raw" / source / ("" if source == "concord" else "2026-11")
        folder.mkdir(parents=True, exist_ok=True)
        for path in (demo_raw / source).glob(pattern):
            shutil.copy(path, folder / path.name)
    # An older vintage, broken: building from the newer vintage alone never reads it.
    old = real_home / "data/raw/census/2026-01"
    old.mkdir()
    (old / "imports_hs10_2024.json").write_text('[["I_COMMODITY","CTY_CODE"],["8505110070","5700"]]')
    # BEA's tables beside them: the real dataset runs on them, the demo world never does.
    bea = real_home / "data/raw/bea/2024-09"
    bea.mkdir(parents=True)
    for kind in ("Use", "Make", "Import"):
        name = f"Summary_{kind}_2023{'_PRO' if kind == 'Use' else ''}_BeforeRedef.csv"
        shutil.copy(FIXTURES / "bea" / f"Mini_{kind}_2023.csv", bea / name)
    monkeypatch.setenv("ECON_HOME", str(real_home))
    built = panel.build(dataset="real", vintage="2026-11")
    assert set(built.outputs) == {"imports", "exports", "industries", "tariff_lines", "io_tables"}
    tables = panel.io_tables("real")
    assert not tables.embedded and tables.use.matrix.shape == (5, 3)
    assert built.outputs["io_tables"]["embedded"] is False
    monkeypatch.setenv("ECON_HOME", str(home))
    demo_imports = panel.load("imports", "demo")
    monkeypatch.setenv("ECON_HOME", str(real_home))
    pd.testing.assert_frame_equal(panel.load("imports", "real"), demo_imports)
    monkeypatch.setenv("ECON_HOME", str(home))
    demo_industries = panel.load("industries", "demo")
    monkeypatch.setenv("ECON_HOME", str(real_home))
    pd.testing.assert_frame_equal(panel.load("industries", "real"), demo_industries)
    assert "Real data" in panel.dataset_note("real")


def test_a_demo_build_never_reads_real_tables(home: Path, tmp_path: Path, monkeypatch) -> None:
    """Real BEA files under data/raw/bea change nothing for the demo: its economy is the embedded one,
    and its manifest and catalog say so."""
    import shutil

    bea = home / "data/raw/bea/2024-09"
    bea.mkdir(parents=True, exist_ok=True)
    for kind in ("Use", "Make", "Import"):
        name = f"Summary_{kind}_2023{'_PRO' if kind == 'Use' else ''}_BeforeRedef.csv"
        shutil.copy(FIXTURES / "bea" / f"Mini_{kind}_2023.csv", bea / name)
    try:
        built = panel.build(dataset="demo", force=True)
        assert built.outputs["io_tables"]["embedded"] is True
        assert not any("bea" in name for name in built.inputs)
        tables = panel.io_tables("demo")
        assert tables.embedded and tables.use.matrix.shape == (12, 10)
        assert panel.truth("demo")["synthetic"] is True
    finally:
        shutil.rmtree(home / "data/raw/bea")


def test_writing_the_same_demo_again_leaves_the_build_up_to_date(econ_home: Path) -> None:
    """`make reports` twice in a row: the demo comes out byte for byte the same, so nothing rebuilds."""
    demo.write(seed=5, scale=0.02)
    assert not panel.build(dataset="demo").skipped
    demo.write(seed=5, scale=0.02)
    assert panel.build(dataset="demo").skipped


def _hashes(manifest: panel.Manifest) -> dict[str, str]:
    return {name: record["sha256"] for name, record in manifest.outputs.items()}


def test_worker_processes_and_a_dask_cluster_build_the_same_panels(econ_home: Path) -> None:
    """The file and year tasks run here, in two processes, or on a Dask cluster reached by its address
    on loopback: byte for byte the same panels (the imports panel spans several years and files)."""
    distributed = pytest.importorskip("distributed")
    demo.write(seed=4, scale=0.03)
    here = panel.build(dataset="demo", force=True)
    assert len(here.outputs["imports"]["parts"]) > 1
    pool = panel.build(dataset="demo", force=True, jobs=2)
    assert _hashes(pool) == _hashes(here)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        on_dask = panel.build(dataset="demo", force=True, scheduler=cluster.scheduler_address)
    assert _hashes(on_dask) == _hashes(here)
    assert on_dask.coverage == here.coverage


def test_a_build_with_no_workers_is_refused(econ_home: Path) -> None:
    with pytest.raises(EconError, match="--jobs must be at least 1"):
        panel.build(dataset="demo", jobs=0)
