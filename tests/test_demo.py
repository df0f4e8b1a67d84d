"""The demo world: deterministic, in the real raw formats, calibrated to FACTS §3, truth recorded."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from econ import demo
from econ.demo import catalogue
from econ.errors import ParameterError

SMALL = 0.3  # the smallest scale at which every calibrated chapter has lines enough to hit its rate


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> demo.DemoWorld:
    folder = tmp_path_factory.mktemp("demo")
    return demo.write(seed=7, scale=SMALL, folder=folder, overrides={"passthrough": 0.8})


def _census_rows(folder: Path) -> list[dict[str, str]]:
    rows = []
    for path in sorted((folder / "census").glob("imports_hs10_*.json")):
        table = json.loads(path.read_text())
        header = table[0]
        rows.extend(dict(zip(header, row, strict=True)) for row in table[1:])
    return rows


def test_writes_the_real_formats(world: demo.DemoWorld) -> None:
    census = sorted((world.folder / "census").glob("imports_hs10_*.json"))
    assert [p.name for p in census] == [f"imports_hs10_{y}.json" for y in range(2017, 2026)]
    table = json.loads(census[0].read_text())
    assert table[0][:3] == ["I_COMMODITY", "CTY_CODE", "CTY_NAME"]
    assert all(isinstance(cell, str) for row in table[:50] for cell in row)  # every cell a string
    codes = {row[1] for row in table[1:]}
    assert "-" in codes and "5XXX" in codes  # the aggregates the real API mixes in
    hts = json.loads((world.folder / "hts" / "hts_2025_basic.json").read_text())
    kinds = {line["general"] for line in hts if line["general"]}
    assert "Free" in kinds
    assert any("¢" in text and "+" in text for text in kinds)  # compound rates
    assert any(text.endswith("%") for text in kinds)
    assert any(note["value"].startswith("See 9903.88.") for line in hts for note in (line["footnotes"] or []))


def test_deterministic_for_a_seed(tmp_path: Path) -> None:
    first = demo.write(seed=7, scale=0.02, folder=tmp_path / "a", overrides={"passthrough": 0.8})
    again = demo.write(seed=7, scale=0.02, folder=tmp_path / "b", overrides={"passthrough": 0.8})
    for path in first.files:
        twin = again.folder / path.relative_to(first.folder)
        assert path.read_bytes() == twin.read_bytes(), path.name
    other = demo.write(seed=8, scale=0.02, folder=tmp_path / "c")
    name = Path("census") / "imports_hs10_2024.json"
    assert (other.folder / name).read_bytes() != (first.folder / name).read_bytes()


def test_china_2024_calibrated_by_chapter(world: demo.DemoWorld) -> None:
    """China's 2024 value share and collected rate by chapter, recomputed from the raw file, within 10%."""
    value: dict[str, float] = defaultdict(float)
    duty: dict[str, float] = defaultdict(float)
    for row in _census_rows(world.folder):
        if row["CTY_CODE"] == "5700" and row["time"].startswith("2024"):
            value[row["I_COMMODITY"][:2]] += float(row["CON_VAL_MO"])
            duty[row["I_COMMODITY"][:2]] += float(row["CAL_DUT_MO"])
    total = sum(value.values())
    assert total == pytest.approx(catalogue.CHINA_2024_VALUE, rel=0.03)
    assert sum(duty.values()) / total == pytest.approx(catalogue.CHINA_2024_COLLECTED_RATE, rel=0.10)
    for chapter, (share, rate) in demo.CALIBRATED_CHAPTERS.items():
        assert value[chapter] / total == pytest.approx(share, rel=0.10), chapter
        assert duty[chapter] / value[chapter] == pytest.approx(rate, rel=0.10, abs=0.002), chapter


def test_sparse_like_real_trade(world: demo.DemoWorld) -> None:
    pairs = {
        (r["I_COMMODITY"], r["CTY_CODE"]) for r in _census_rows(world.folder) if r["SUMMARY_LVL"] == "DET"
    }
    products = {p for p, _ in pairs}
    partners = {c for _, c in pairs}
    assert len(partners) == len(demo.PARTNERS)
    assert len(pairs) < 0.7 * len(products) * len(partners)  # each product with a subset of partners


def test_truth_records_overrides(world: demo.DemoWorld) -> None:
    truth = json.loads((world.folder / "truth.json").read_text(encoding="utf-8"))
    assert truth["synthetic"] is True
    assert truth["seed"] == 7 and truth["scale"] == SMALL
    assert truth["parameters"]["passthrough"] == 0.8
    assert truth["parameters"]["import_elasticity"] == demo.TrueParameters().import_elasticity


def test_bad_overrides_name_the_parameter() -> None:
    with pytest.raises(ParameterError) as caught:
        demo.TrueParameters.with_overrides({"passthru": "1", "import_elasticity": "abc"})
    message = str(caught.value)
    assert "passthru" in message and "import_elasticity" in message
    with pytest.raises(ParameterError, match="import_elasticity"):
        demo.TrueParameters.with_overrides({"import_elasticity": 0.5})
