"""Input-output requirements and the cost-push price model: closed forms, identities, the real BEA tables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from econ.errors import ParameterError
from econ.models import io
from econ.sources import bea
from econ.sources.bea import IOTable


def _table(kind: str, matrix: pd.DataFrame, **blocks: pd.DataFrame) -> IOTable:
    empty = pd.DataFrame(index=matrix.index, columns=pd.Index([], dtype=object), dtype="float64")
    return IOTable(
        kind=kind,  # type: ignore[arg-type]
        level="summary",
        year=2023,
        matrix=matrix,
        final_demand=blocks.get("final_demand", empty),
        value_added=blocks.get("value_added", pd.DataFrame(columns=matrix.columns, dtype="float64")),
        row_totals=pd.DataFrame(dtype="float64"),
        column_totals=pd.DataFrame(dtype="float64"),
    )


@pytest.fixture()
def mini(fixtures: Path) -> tuple[IOTable, IOTable, IOTable]:
    folder = fixtures / "bea"
    return (
        bea.read(folder / "Mini_Use_2023.csv"),
        bea.read(folder / "Mini_Make_2023.csv"),
        bea.read(folder / "Mini_Import_2023.csv"),
    )


@pytest.fixture(scope="module")
def real(shared_data: Path) -> tuple[IOTable, IOTable, IOTable]:
    folder = shared_data / "bea"
    return (
        bea.read(folder / "Summary_Use_2023_PRO_BeforeRedef_17sch.csv"),
        bea.read(folder / "Summary_Make_2023_BeforeRedef_17sch.csv"),
        bea.read(folder / "Summary_Import_2023_BeforeRedef_17sch.csv"),
    )


def test_one_sector_leontief() -> None:
    a, g = 0.3, 200.0
    use = _table("use", pd.DataFrame([[a * g]], index=["X"], columns=["X"]))
    make = _table("make", pd.DataFrame([[g]], index=["X"], columns=["X"]))
    total = io.total_requirements(use, make)
    assert total.loc["X", "X"] == pytest.approx(1.0 / (1.0 - a), abs=1e-12)


def test_scrap_keeps_industry_output(mini: tuple[IOTable, IOTable, IOTable]) -> None:
    use, make, _ = mini
    c = io.coefficients(use, make)
    scrap = c.commodities.get_loc("Used")
    assert np.all(c.D[:, scrap] == 0)
    # BEA ch. 12 eq. (9): g = W q, with q excluding scrap (its column of W is zero).
    np.testing.assert_allclose(c.W @ c.q, c.g, rtol=1e-12)
    # Scrap ratio of motor vehicles: 15 of 200.
    assert c.scrap_ratio[c.industries.get_loc("3361MV")] == pytest.approx(15 / 200)


def test_total_requirements_reproduce_commodity_output(mini: tuple[IOTable, IOTable, IOTable]) -> None:
    use, make, _ = mini
    total = io.total_requirements(use, make)
    final = use.final_demand.sum(axis=1)
    q = make.matrix.sum(axis=0).reindex(total.index)
    np.testing.assert_allclose(
        total.to_numpy() @ final.reindex(total.index).to_numpy(), q.to_numpy(), atol=1e-9
    )
    # The scrap column is a unit vector: delivering scrap to final users requires no production.
    assert total["Used"].to_dict() == {code: float(code == "Used") for code in total.index}


def test_three_kinds_are_consistent(mini: tuple[IOTable, IOTable, IOTable]) -> None:
    use, make, _ = mini
    c = io.coefficients(use, make)
    cc = io.total_requirements(use, make)
    ic = io.total_requirements(use, make, kind="industry_by_commodity")
    ii = io.total_requirements(use, make, kind="industry_by_industry")
    np.testing.assert_allclose(ic.to_numpy(), c.W @ cc.to_numpy(), atol=1e-12)
    # (I − WB)⁻¹ W = W (I − BW)⁻¹
    np.testing.assert_allclose(ii.to_numpy() @ c.W, ic.to_numpy(), atol=1e-12)
    with pytest.raises(ParameterError, match="kind"):
        io.total_requirements(use, make, kind="commodity")  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="make: expected a BEA make table"):
        io.total_requirements(use, use)


def test_domestic_requirements_below_total(mini: tuple[IOTable, IOTable, IOTable]) -> None:
    use, make, imports = mini
    total = io.total_requirements(use, make)
    domestic = io.domestic_requirements(use, make, imports)
    assert (domestic.to_numpy() <= total.to_numpy() + 1e-12).all()
    assert (np.diag(domestic) >= 1.0).all()


def _neumann_prices(use: IOTable, make: IOTable, imports: IOTable, shock: float) -> np.ndarray:
    """Cost push by iteration: each round passes last round's cost increases on, until nothing moves."""
    c = io.coefficients(use, make)
    m = imports.matrix.reindex(index=c.commodities, columns=c.industries, fill_value=0.0).to_numpy()
    bm = m / c.g
    bd = c.B - bm
    prices = np.zeros(len(c.commodities))
    for _ in range(2000):
        new = (shock * bm.sum(axis=0) + prices @ bd) @ c.W
        if np.max(np.abs(new - prices)) < 1e-16:
            break
        prices = new
    return new


def test_one_percent_import_shock_raises_prices_by_import_content(
    mini: tuple[IOTable, IOTable, IOTable],
) -> None:
    use, make, imports = mini
    effects = io.cost_push(use, make, imports, 0.01)
    content = io.import_content(use, make, imports)
    np.testing.assert_allclose(effects.commodity.to_numpy(), 0.01 * content.to_numpy(), atol=1e-15)
    np.testing.assert_allclose(
        effects.commodity.to_numpy(), _neumann_prices(use, make, imports, 0.01), atol=1e-12
    )
    # Households: F010 mixes domestic (at the domestic price change) and imported purchases (at 1%).
    pce_use, pce_imp = use.final_demand["F010"], imports.final_demand["F010"].reindex(use.commodities)
    expected = ((pce_use - pce_imp) * effects.commodity + pce_imp * 0.01).sum() / pce_use.sum()
    assert effects.pce == pytest.approx(expected, abs=1e-15)
    assert 0 < effects.pce < 0.01


def test_zero_shock_and_markup_choice(mini: tuple[IOTable, IOTable, IOTable]) -> None:
    use, make, imports = mini
    zero = io.cost_push(use, make, imports, 0.0)
    assert np.all(zero.commodity == 0) and np.all(zero.industry == 0) and zero.pce == 0
    shock = pd.Series({"111CA": 0.10})
    dollar = io.cost_push(use, make, imports, shock, markup="constant_dollar")
    percent = io.cost_push(use, make, imports, shock, markup="constant_percentage")
    assert (percent.industry >= dollar.industry - 1e-15).all()
    assert percent.pce > dollar.pce > 0
    with pytest.raises(ParameterError, match="markup"):
        io.cost_push(use, make, imports, 0.01, markup="fixed")  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="import_price_change: unknown commodity codes"):
        io.cost_push(use, make, imports, pd.Series({"9999": 0.1}))


@pytest.mark.real_data
def test_real_total_requirements(real: tuple[IOTable, IOTable, IOTable]) -> None:
    use, make, _ = real
    total = io.total_requirements(use, make)
    assert total.shape == (73, 73)
    # Independent route: (I − BW)⁻¹ = I + B (I − WB)⁻¹ W, with explicit inverses.
    c = io.coefficients(use, make)
    n_ind = len(c.industries)
    other = np.eye(len(c.commodities)) + c.B @ np.linalg.inv(np.eye(n_ind) - c.W @ c.B) @ c.W
    np.testing.assert_allclose(total.to_numpy(), other, atol=1e-9, rtol=0)
    # BEA's character: diagonal ≥ 1, no negative entries, output multipliers between 1 and 3.
    values = total.to_numpy()
    assert (np.diag(values) >= 1).all() and values.min() > -1e-12
    multipliers = total.drop(index=["Used", "Other"]).sum(axis=0).drop(["Used", "Other"])
    assert multipliers.between(1.0, 3.0).all()
    off = np.array(total.to_numpy(), copy=True)
    np.fill_diagonal(off, 0)
    largest = pd.DataFrame(off, index=total.index, columns=total.columns).stack().nlargest(5)
    assert ("211", "324") in largest.index  # crude oil into refining
    mv = total["3361MV"].drop("3361MV").nlargest(3)
    assert {"42", "331"} <= set(mv.index)  # wholesale trade and primary metals into motor vehicles
    # The quantity identity q = (I − BW)⁻¹ e holds to BEA's rounding.
    q = make.matrix.sum(axis=0).reindex(total.index).to_numpy()
    e = use.final_demand.sum(axis=1).reindex(total.index).to_numpy()
    mask = q > 1000
    np.testing.assert_allclose((values @ e)[mask], q[mask], rtol=1e-3)


@pytest.mark.real_data
def test_real_price_model(real: tuple[IOTable, IOTable, IOTable]) -> None:
    use, make, imports = real
    effects = io.cost_push(use, make, imports, 0.01)
    content = io.import_content(use, make, imports)
    np.testing.assert_allclose(effects.commodity.to_numpy(), 0.01 * content.to_numpy(), atol=1e-15)
    assert content.idxmax() in {"3361MV", "324", "331"}
    assert 0.0005 < effects.pce < 0.003  # a 1% rise in every import price: ~0.1% on PCE
    domestic = io.domestic_requirements(use, make, imports)
    total = io.total_requirements(use, make)
    # Domestic ≤ total, up to the few cells where BEA's Use minus Import is negative (e.g. farm products
    # sold by nondefense government, used goods in air and water transport): below 0.001 there.
    assert (domestic.to_numpy() <= total.to_numpy() + 1e-3).all()
    assert (domestic.to_numpy() <= total.to_numpy() + 1e-9).mean() > 0.99


def test_aggregate_keeps_totals_and_scrap(mini: tuple[IOTable, IOTable, IOTable]) -> None:
    use, make, imports = mini
    grouped = [io.aggregate(t, {"111CA": "GOODS", "3361MV": "GOODS"}) for t in (use, make, imports)]
    assert list(grouped[0].matrix.columns) == ["GOODS", "GFGD"]
    assert list(grouped[0].matrix.index) == ["GOODS", "GFGD", "Used", "Other"]
    assert grouped[0].matrix.to_numpy().sum() == pytest.approx(use.matrix.to_numpy().sum())
    assert grouped[1].matrix.loc["GOODS", "Used"] == 25.0
    total = io.total_requirements(grouped[0], grouped[1])
    assert total.loc["Used", "Used"] == 1.0 and (np.diag(total) >= 1).all()


def test_embedded_tables_run() -> None:
    from econ.models import illustrative

    use, make, imports = illustrative.tables()
    assert use.matrix.shape == (12, 10) and make.matrix.shape == (10, 12)
    assert set(use.final_demand.columns) == {"F010", "F040", "F050", "F0OT"}
    effects = io.cost_push(use, make, imports, 0.01)
    assert 0.0005 < effects.pce < 0.003


@pytest.mark.real_data
def test_embedded_tables_are_the_aggregated_real_ones(real: tuple[IOTable, IOTable, IOTable]) -> None:
    from econ.models import illustrative

    embedded = illustrative.tables()
    keep = {code: code for code in embedded[0].industries if code != "OTHER"}
    for mine, table in zip(embedded, real, strict=True):
        aggregated = io.aggregate(table, keep, other="OTHER")
        matrix = aggregated.matrix.reindex(index=mine.matrix.index, columns=mine.matrix.columns)
        np.testing.assert_allclose(mine.matrix.to_numpy(), matrix.to_numpy(), atol=0.5)
        if not mine.final_demand.empty:
            np.testing.assert_allclose(
                mine.final_demand.sum(axis=1),
                aggregated.final_demand.sum(axis=1).loc[mine.final_demand.index],
                atol=2.5,
            )
    np.testing.assert_allclose(
        embedded[0].value_added.to_numpy().sum(), real[0].value_added.to_numpy().sum(), atol=30
    )


def test_real_bea_files_are_found_then_the_embedded_aggregate(fixtures: Path, tmp_path: Path) -> None:
    from econ.panel import input_output
    from econ.panel.inputs import bea_tables

    folder = tmp_path / "bea" / "2024-09"
    folder.mkdir(parents=True)
    for kind, name in (
        ("Use", "Summary_Use_2023_PRO_BeforeRedef.csv"),
        ("Make", "Summary_Make_2023_BeforeRedef.csv"),
        ("Import", "Summary_Import_2023_BeforeRedef.csv"),
    ):
        (folder / name).write_bytes((fixtures / "bea" / f"Mini_{kind}_2023.csv").read_bytes())
    (folder / "Summary_Use_2023_PUR_BeforeRedef.csv").write_text("purchasers' prices are not used")
    files = bea_tables(tmp_path / "bea")
    assert [path.name for path in files] == [
        "Summary_Use_2023_PRO_BeforeRedef.csv",
        "Summary_Make_2023_BeforeRedef.csv",
        "Summary_Import_2023_BeforeRedef.csv",
    ]
    found = input_output.read_tables(files)
    assert not found.embedded and found.use.matrix.shape == (5, 3) and "PRO" in found.source
    assert bea_tables(tmp_path / "nothing") == ()
    fallback = input_output.read_tables(())
    assert fallback.embedded and fallback.use.matrix.shape == (12, 10)


def test_io_tables_survive_the_catalog_round_trip(fixtures: Path) -> None:
    """What the build writes long is what the models get back: every block, BEA's order, the titles."""
    from econ.panel import input_output

    for tables in (input_output.read_tables(()), _mini_tables(fixtures)):
        again = input_output.from_frame(input_output.to_frame(tables), input_output.record(tables))
        assert again.embedded == tables.embedded and again.source == tables.source
        for before, after in zip(
            (tables.use, tables.make, tables.imports), (again.use, again.make, again.imports), strict=True
        ):
            pd.testing.assert_frame_equal(after.matrix, before.matrix, check_names=False)
            if not before.final_demand.empty:
                pd.testing.assert_frame_equal(after.final_demand, before.final_demand, check_names=False)
            if not before.value_added.empty:
                pd.testing.assert_frame_equal(after.value_added, before.value_added, check_names=False)
            assert after.names == before.names and after.level == before.level


def _mini_tables(fixtures: Path):
    from econ.panel import input_output

    return input_output.read_tables(
        tuple(fixtures / "bea" / f"Mini_{kind}_2023.csv" for kind in ("Use", "Make", "Import"))
    )
