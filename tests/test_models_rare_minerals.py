"""The minerals panel (econ.panel.minerals) on USGS's real files and on small files of our own, and the demo
world's USGS files (econ.demo.minerals): same format, FACTS §4's figures, marked synthetic."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from econ.demo.minerals import SOURCE, write_usgs
from econ.errors import InputFormatError
from econ.models.rare_earths import inputs
from econ.panel.minerals import MEASURES, MINERALS_SCHEMA, commodity_name, minerals_panel
from econ.sources import usgs


def value(panel: pd.DataFrame, commodity: str, measure: str, *, year: int = 2024, detail: str | None = None,
          country: str | None = None) -> pd.Series:  # fmt: skip
    rows = panel[(panel["commodity"] == commodity) & (panel["measure"] == measure) & (panel["year"] == year)]
    if detail is not None:
        rows = rows[rows["detail"] == detail]
    if country is not None:
        rows = rows[rows["country"] == country]
    return rows.iloc[0]


def check_schema(panel: pd.DataFrame) -> None:
    assert list(panel.columns) == list(MINERALS_SCHEMA)
    for column, kind in MINERALS_SCHEMA.items():
        if kind == "str":
            assert pd.api.types.is_string_dtype(panel[column]) or pd.api.types.is_object_dtype(panel[column])
        else:
            assert str(panel[column].dtype) == kind, column
    assert set(panel["measure"]) <= set(MEASURES)


@pytest.mark.real_data
def test_minerals_panel_on_the_real_usgs_files(shared_data: Path) -> None:
    files = sorted((shared_data / "usgs").glob("*.csv"))
    panel = minerals_panel([usgs.read(p) for p in files])
    check_schema(panel)
    assert set(panel["source_file"]) - {""} == {p.name for p in files}
    # FACTS §4, from USGS MCS 2025.
    nir = value(panel, "rare earths", "net_import_reliance", detail="NIR_Compounds-Metals_t")
    assert nir["value"] == 80.0 and nir["flag"] == ""
    bound = value(panel, "rare earths", "net_import_reliance", year=2022, detail="NIR_Compounds-Metals_t")
    assert bound["value"] == 95.0 and bound["flag"] == ">"
    sources = value(
        panel, "rare earths", "net_import_reliance", detail="compounds and metals", country="United States"
    )
    assert "China" in sources["text"]
    in_fig2 = (panel["table"] == "net_import_reliance") & (panel["measure"] == "net_import_reliance")
    fig2 = panel[in_fig2 & (panel["commodity"] == "rare earths")].iloc[0]
    assert fig2["text"] == "China, Malaysia, Japan, Estonia"
    share = value(panel, "rare earths", "china_share_of_world_output")
    assert share["value"] == pytest.approx(100 * 270 / 390)
    assert value(panel, "rare earths", "price", detail="Price_Dy2O3_dkg")["value"] == 260.0
    assert value(panel, "rare earths", "price", detail="Price_TbO2_dkg")["value"] == 810.0
    germanium = value(panel, "germanium", "net_import_reliance", detail="NIR_ct")
    assert germanium["value"] == 50.0 and germanium["flag"] == ">"
    facts = inputs.mineral_facts(panel)
    assert facts.loc["compounds", "import_share"] == 0.8 and facts.loc["antimony", "import_share"] == 0.85
    assert facts.loc["gallium", "import_share"] == 1.0 and "bound" in facts.loc["germanium", "basis"]
    assert inputs.world_shares(panel).loc["gallium", "china_share_of_world"] == pytest.approx(750 / 760)


def test_minerals_panel_on_small_files_of_our_own(tmp_path: Path, fixtures: Path) -> None:
    nir = tmp_path / "fig2.csv"
    nir.write_text(
        "\ufeffSource,Import_Share_Order,Commodity,Net_Import_Reliance_pct_2024,Major_Import_Sources_2020_2023,Notes\r\n"
        'MCS2025,1,"GALLIUM, metal",100,"Japan, China",x\r\n'
        'MCS2025,2,"RARE EARTHS, compounds and metals",E,"China, Malaysia",\r\n',
        encoding="utf-8",
    )
    frames = [usgs.read(nir), usgs.read(fixtures / "usgs" / "mini_world_cp1252.csv")]
    frames.append(usgs.read(fixtures / "usgs" / "mini_salient_utf8.csv"))
    panel = minerals_panel(frames + frames[:1])  # the same file twice is read once
    check_schema(panel)
    gallium = value(panel, "gallium", "net_import_reliance")
    assert (gallium["value"], gallium["detail"], gallium["text"]) == (100.0, "metal", "Japan, China")
    exporter = value(panel, "rare earths", "net_import_reliance")
    assert math.isnan(exporter["value"]) and exporter["flag"] == "E"
    china = value(panel, "rare earths", "china_share_of_world_output")
    assert china["value"] == pytest.approx(100 * 270000 / 350000) and china["table"] == "derived"
    withheld = value(panel, "antimony", "us_production", year=2023)
    assert withheld["flag"] == "W"
    assert len(panel[panel["source_file"] == "fig2.csv"]) == 4  # two reliance rows, two ranks
    with pytest.raises(InputFormatError, match="not a USGS MCS table"):
        minerals_panel([pd.DataFrame({"a": [1]})])
    empty = minerals_panel([])
    check_schema(empty)
    assert empty.empty


def test_commodity_names() -> None:
    assert commodity_name("RARE EARTHS, compounds and metals") == ("rare earths", "compounds and metals")
    assert commodity_name("Rare earths (compounds and metals)") == ("rare earths", "compounds and metals")
    assert commodity_name("Gallium ") == ("gallium", "")


def test_demo_usgs_files_are_the_real_format_with_facts_figures_and_say_synthetic(tmp_path: Path) -> None:
    paths = write_usgs(tmp_path)
    assert (tmp_path / "README_SYNTHETIC.txt").read_text().startswith("Synthetic demo data")
    csvs = [p for p in paths if p.suffix == ".csv"]
    frames = [usgs.read(p) for p in csvs]
    kinds = {f.attrs["usgs_kind"] for f in frames}
    assert kinds == {
        "salient",
        "world",
        "net_import_reliance",
        "end_uses",
        "critical_minerals_salient",
        "price_growth",
    }
    for path in csvs:
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
        assert SOURCE.encode() in raw  # every file says what it is
    panel = minerals_panel(frames)
    check_schema(panel)
    facts = inputs.mineral_facts(panel)
    assert facts.loc["compounds", "net_import_reliance"] == 80.0
    assert facts.loc["antimony", "net_import_reliance"] == 85.0
    assert facts.loc["germanium", "flag"] == ">"
    bound = value(panel, "rare earths", "net_import_reliance", year=2021, detail="NIR_Compounds-Metals_t")
    assert (bound["value"], bound["flag"]) == (95.0, ">")
    assert value(panel, "rare earths", "china_share_of_world_output")["value"] == pytest.approx(
        100 * 270 / 390
    )
    assert value(panel, "rare earths", "price", detail="Price_TbO2_dkg")["value"] == 810.0
    assert write_usgs(tmp_path) == paths  # deterministic, rewritable
