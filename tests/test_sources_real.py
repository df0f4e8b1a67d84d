"""Every real sample in ../shared/data through its reader (skipped where the folder is absent), and free
text planted in every reader's text fields coming back as data, unchanged."""

from __future__ import annotations

import csv
import fnmatch
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from econ import concord
from econ.sources import bea, bls, census, comtrade, hts, usgs
from econ.sources.notes import notes_of

# Real sample → its reader. A sample no reader takes is listed in NOT_READ with the reason, so that a new
# sample dropped into the folder fails here until it is routed.
ROUTES: list[tuple[str, Callable[[Path], Any]]] = [
    ("census/naics_monthly/imports_naics3_*.json", census.read),
    ("census/imports_naics_*.json", census.read),
    ("census/hs-10d-*-code.txt", concord.read_hs_naics),
    ("census/countryCodes.txt", concord.read_country_codes),
    ("census/census_codes.csv", concord.read_country_codes),
    ("census/census_to_iso3.csv", concord.read_country_codes),
    ("hts/chapter*.json", hts.read),
    ("hts/hts_*_edition.csv", hts.read),
    ("bls/*.series", bls.read_series),
    ("bls/*.series.excerpt", bls.read_series),
    ("bea/Summary_Use_*.csv", bea.read),
    ("bea/Summary_Make_*.csv", bea.read),
    ("bea/Summary_Import_*.csv", bea.read),
    ("bea/Summary_*CodeName_*.csv", bea.read_codes),
    ("bea/Summary_GrossOutput_*.csv", bea.read_gross_output),
    ("bea/BEA-NAICS-Concordance.xlsx", concord.read_bea_naics),
    ("usgs/*.csv", usgs.read),
    ("comtrade/*.csv", comtrade.read),
]
NOT_READ = {
    "PROVENANCE.md": "the folder's own notes",
    "hts/s301_product_lists.csv": "a compiled Section 301 list, read by the tariff schedule, not a source",
    "hts/ieepa_exempt_products.csv": "a compiled IEEPA exemption list, read by the tariff schedule",
    "bea/MasterCrosswalk2017.csv": "BEA's crosswalk; the NAICS concordance workbook is what is read",
    "usgs/*.xml": "the release's metadata",
}
# The findings the real samples are known to carry (file pattern → note kinds); any other is a failure.
EXPECTED_NOTES = {"census/naics_monthly/imports_naics3_*.json": {"missing_code"}}  # Germany has no CTY_CODE


def _relative(shared_data: Path) -> list[str]:
    return sorted(str(p.relative_to(shared_data)) for p in shared_data.rglob("*") if p.is_file())


@pytest.mark.real_data
def test_every_real_sample_has_a_reader_or_a_reason(shared_data: Path) -> None:
    unrouted = [
        name
        for name in _relative(shared_data)
        if not any(fnmatch.fnmatch(name, pattern) for pattern, _ in ROUTES)
        and not any(fnmatch.fnmatch(name, pattern) for pattern in NOT_READ)
    ]
    assert unrouted == []


@pytest.mark.real_data
@pytest.mark.parametrize(("pattern", "reader"), ROUTES, ids=[pattern for pattern, _ in ROUTES])
def test_real_samples_read(shared_data: Path, pattern: str, reader: Callable[[Path], Any]) -> None:
    paths = [shared_data / name for name in _relative(shared_data) if fnmatch.fnmatch(name, pattern)]
    assert paths, f"no sample matches {pattern}"
    for path in paths:
        result = reader(path)
        frames = [result] if isinstance(result, pd.DataFrame) else []
        if isinstance(result, bea.IOTable):
            assert result.matrix.size > 0
        for frame in frames:
            assert len(frame) > 0, path
            kinds = {note.kind for note in notes_of(frame)}
            assert kinds <= EXPECTED_NOTES.get(pattern, set()), (path, notes_of(frame))
            if reader in (census.read, hts.read, comtrade.read, usgs.read):
                assert set(frame["source_file"].astype(str)) == {str(path)}


# --- free text stays data ----------------------------------------------------------------------------------

PAYLOADS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')


def _json_text(text: str) -> str:
    return json.dumps(text)[1:-1]


def _csv_field(text: str) -> str:
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="").writerow([text])
    return out.getvalue()


# fixture, the text replaced, how the payload is written in that format, reader, column it comes back in
PLANTS: list[tuple[str, str, Callable[[str], str], Callable[[Path], Any], str]] = [
    ("census/imports_hs10_2024.json", "CHINA", _json_text, census.read, "partner_name"),
    (
        "hts/chapter85_excerpt.json",
        "Electric motors and generators (excluding generating sets):",
        _json_text,
        hts.read,
        "description",
    ),
    ("hts/hts_2025_revision_3.csv", '"Purebred breeding animals"', _csv_field, hts.read, "description"),
    ("bls/ei.series", "China-All Industries", str, bls.read_series, "series_name"),
    (
        "comtrade/us_imports_china_2024m.json",
        "Electro-magnets; permanent magnets",
        _json_text,
        comtrade.read,
        "cmd_desc",
    ),
    ("bea/Mini_IndustryCodeName.csv", "Farms", _csv_field, bea.read_codes, "name"),
    ("concord/countryCodes_small.txt", "Mexico  ", lambda text: text, concord.read_country_codes, "name"),
]


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize(("fixture", "old", "encode", "reader", "column"), PLANTS, ids=[p[0] for p in PLANTS])
def test_free_text_comes_back_unchanged(
    fixtures: Path,
    tmp_path: Path,
    payload: str,
    fixture: str,
    old: str,
    encode: Callable[[str], str],
    reader: Callable[[Path], Any],
    column: str,
) -> None:
    source = fixtures / fixture
    text = source.read_bytes().decode("utf-8")
    assert old in text
    planted = tmp_path / source.name
    planted.write_bytes(text.replace(old, encode(payload), 1).encode("utf-8"))
    frame = reader(planted)
    assert payload in set(frame[column].astype(str)), frame[column].tolist()


def test_usgs_country_names_come_back_unchanged(fixtures: Path, tmp_path: Path) -> None:
    source = fixtures / "usgs" / "mini_world_cp1252.csv"
    raw = source.read_bytes()
    for payload in PAYLOADS:
        planted = tmp_path / source.name
        planted.write_bytes(raw.replace(b"Burma", _csv_field(payload).encode("cp1252"), 1))
        assert payload in set(usgs.read(planted)["country"])
