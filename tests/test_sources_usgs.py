"""USGS Mineral Commodity Summaries reader: codes, encodings, differing columns, real samples, bad input."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from econ.errors import InputFormatError
from econ.sources import usgs
from econ.sources.fetch import usgs as fetch_usgs
from econ.sources.fetch.options import FetchOptions


@pytest.fixture()
def mini(fixtures: Path) -> Path:
    return fixtures / "usgs"


@pytest.mark.parametrize(
    ("cell", "value", "flag"),
    [
        ("1,300", 1300.0, ""),
        (">95", 95.0, ">"),
        ("<1", 1.0, "<"),
        ("E", math.nan, "E"),
        ("W", math.nan, "W"),
        ("NA", math.nan, "NA"),
        ("", math.nan, ""),
        (">17,000,000", 17e6, ">"),
        ("9.5", 9.5, ""),
    ],
)
def test_parse_value_codes(cell: str, value: float, flag: str) -> None:
    got_value, got_flag = usgs.parse_value(cell)
    assert got_flag == flag
    assert (math.isnan(got_value) and math.isnan(value)) or got_value == value


def test_parse_value_rejects_text() -> None:
    with pytest.raises(ValueError):
        usgs.parse_value("about 5")


def test_mini_salient_long_with_flags(mini: Path) -> None:
    frame = usgs.read(mini / "mini_salient_utf8.csv")
    assert frame.attrs["usgs_kind"] == "salient"
    assert list(frame.columns) == [
        "source",
        "commodity",
        "year",
        "variable",
        "unit",
        "value",
        "value_flag",
        "source_file",
    ]
    assert len(frame) == 3 * 4  # the empty trailing column is dropped
    nir = frame[frame.variable == "NIR_pc"].set_index("year")
    assert nir.loc[2022, "value"] == 83.0 and nir.loc[2022, "value_flag"] == ""
    assert nir.loc[2023, "value"] == 95.0 and nir.loc[2023, "value_flag"] == ">"
    assert math.isnan(nir.loc[2024, "value"]) and nir.loc[2024, "value_flag"] == "E"
    assert set(nir["unit"]) == {"percent"}
    oxide = frame[frame.variable == "Imports_Oxide_t"].set_index("year")
    assert oxide.loc[2022, "value"] == 16900.0 and oxide.loc[2022, "unit"] == "metric tons"
    mine = frame[frame.variable == "USprod_Mine_t"].set_index("year")["value_flag"]
    assert list(mine) == ["", "W", "NA"]


def test_mini_world_in_cp1252(mini: Path) -> None:
    frame = usgs.read(mini / "mini_world_cp1252.csv")
    assert frame.attrs["usgs_kind"] == "world"
    assert list(frame["country"]) == ["United States", "China", "Burma", "World total (rounded)"]
    assert "–" in frame.loc[1, "prod_notes"]
    assert frame["is_world_total"].tolist() == [False, False, False, True]
    assert frame.loc[3, "reserves_2024"] == 90_000_000 and frame.loc[3, "reserves_2024_flag"] == ">"
    assert frame.loc[2, "reserves_2024_flag"] == "NA"
    assert frame["prod_est_2024"].dtype == "float64"


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("DataSource,Commodity,Year,Imports_t\nMCS2025,Gallium,2024,lots\n", r"row 2, column Imports_t"),
        ("Foo,Bar,Baz\n1,2,3\n", "not one of the MCS data-release tables"),
        ("DataSource,Commodity,Year,Imports_t,Exports_t\nMCS2025,Gallium,2024,5\n", r"row 2.*fields"),
        (
            "DataSource,Commodity,Year,Imports_t\nMCS2025,Gallium,2024,5\nMCS2025,Gallium,2024,6\n",
            "appears twice",
        ),
        ("", "file is empty"),
    ],
    ids=["text-in-number", "wrong-header", "truncated", "duplicated-year", "empty"],
)
def test_bad_input_is_named(tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "mcs2025-galli_salient.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("cp1252"))
    with pytest.raises(InputFormatError, match=match) as info:
        usgs.read(path)
    assert str(path) in str(info.value)


# ---------------------------------------------------------------------------------------------- real samples

REAL = {
    "MCS2025_Fig10_Price_Growth_Rates.csv": ("price_growth", 40),
    "MCS2025_Fig2_Net_Import_Reliance.csv": ("net_import_reliance", 64),
    "MCS2025_Fig3_Major_Import_Sources.csv": ("import_sources", 43),
    "MCS2025_T4_Critical_Minerals_End_Use.csv": ("end_uses", 50),
    "MCS2025_T5_Critical_Minerals_Salient.csv": ("critical_minerals_salient", 31),
    "MCS2025_World_Data.csv": ("world", 1250),
    "mcs2025-antim_salient.csv": ("salient", 5 * 16),
    "mcs2025-galli_salient.csv": ("salient", 5 * 9),
    "mcs2025-germa_salient.csv": ("salient", 5 * 13),
    "mcs2025-rareee_salient.csv": ("salient", 5 * 19),
    "mcs2025-scand_salient.csv": ("salient", 5 * 10),
    "mcs2025-yttri_salient.csv": ("salient", 5 * 7),
}


@pytest.mark.real_data
@pytest.mark.parametrize("name", sorted(REAL))
def test_every_real_sample_reads(shared_data: Path, name: str) -> None:
    kind, rows = REAL[name]
    frame = usgs.read(shared_data / "usgs" / name)
    assert frame.attrs["usgs_kind"] == kind
    assert len(frame) == rows


def _raw_rows(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.reader(handle))


@pytest.mark.real_data
def test_real_salient_sums_equal_independent_parse(shared_data: Path) -> None:
    for name in [n for n, (k, _) in REAL.items() if k == "salient"]:
        path = shared_data / "usgs" / name
        frame = usgs.read(path)
        raw = _raw_rows(path)
        plain = 0.0
        for row in raw[1:]:
            for cell in row[3:]:
                text = cell.replace(",", "").strip()
                try:
                    plain += float(text)
                except ValueError:
                    continue
        assert frame.loc[frame.value_flag == "", "value"].sum() == pytest.approx(plain), name


@pytest.mark.real_data
def test_real_rare_earth_figures_match_facts(shared_data: Path) -> None:
    world = usgs.read(shared_data / "usgs" / "MCS2025_World_Data.csv")
    ree = world[(world.commodity == "Rare earths") & world.type.str.startswith("Mine production")]
    by_country = ree.set_index("country")["prod_est_2024"]
    assert by_country["China"] == 270_000 and by_country["World total (rounded)"] == 390_000  # FACTS §4
    countries = ree[~ree.is_world_total]["prod_est_2024"].sum()
    # USGS rounds the world total to two significant figures: the countries add to 393,950.
    assert countries == pytest.approx(390_000, rel=0.02)
    assert "Canada" in set(ree.country)  # trailing space stripped
    salient = usgs.read(shared_data / "usgs" / "mcs2025-rareee_salient.csv")
    nir = salient[salient.variable == "NIR_Compounds-Metals_t"].set_index("year")
    assert nir.loc[2024, "value"] == 80 and nir.loc[2023, "value_flag"] == ">"
    assert nir.loc[2024, "unit"] == "percent"
    concentrate = salient[salient.variable == "NIR_Concentrate_t"]
    assert set(concentrate.value_flag) == {"E"}  # net exporter of concentrate
    t5 = usgs.read(shared_data / "usgs" / "MCS2025_T5_Critical_Minerals_Salient.csv")
    assert t5["net_import_reliance_flag"].isin(["", ">", "<", "E", "W", "NA"]).all()


# ---------------------------------------------------------------------------------------------- fetch


def test_fetch_sciencebase_file_and_zip(httpserver, econ_home: Path, mini: Path) -> None:  # type: ignore[no-untyped-def]
    import io
    import zipfile

    csv_bytes = (mini / "mini_salient_utf8.csv").read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("grouped/mcs2025-antim_salient.csv", csv_bytes)
    item = "0123456789abcdef01234567"
    httpserver.expect_request(f"/get/{item}", query_string={"name": "grouped.zip"}).respond_with_data(
        buffer.getvalue()
    )
    httpserver.expect_request(f"/get/{item}", query_string={"name": "page.csv"}).respond_with_data(
        "<!DOCTYPE html><html>sign in</html>", content_type="text/html"
    )
    options = FetchOptions(vintage="mcs2025", base_url=httpserver.url_for("/get"), retries=0)
    saved = fetch_usgs.fetch(item=item, names=["grouped.zip"], options=options)
    folder = econ_home / "data" / "raw" / "usgs" / "mcs2025"
    assert saved == [folder / "grouped.zip", folder / "mcs2025-antim_salient.csv"]
    assert len(usgs.read(saved[1])) == 12
    from econ.errors import FetchError, ParameterError

    with pytest.raises(FetchError, match="web page"):
        fetch_usgs.fetch(item=item, names=["page.csv"], options=options)
    assert not (folder / "page.csv").exists()
    with pytest.raises(ParameterError, match="item"):
        fetch_usgs.fetch(item="not-an-id")


def test_econ_fetch_usgs_command_line(httpserver, econ_home: Path, mini: Path) -> None:  # type: ignore[no-untyped-def]
    from econ.sources import cli

    item = "0123456789abcdef01234567"
    httpserver.expect_request(
        f"/get/{item}", query_string={"name": "mcs2025-antim_salient.csv"}
    ).respond_with_data((mini / "mini_salient_utf8.csv").read_bytes())
    argv = ["--item", item, "--names", "mcs2025-antim_salient.csv", "--vintage", "v1", "--base-url"]
    assert cli.main("usgs", [*argv, httpserver.url_for("/get")]) == 0
    assert (econ_home / "data" / "raw" / "usgs" / "v1" / "mcs2025-antim_salient.csv").exists()
