"""The fast reader of Census files (DuckDB) against the careful one (econ.sources.census.read).

Every file the fast way takes must give exactly the rows the careful way gives; every file it declines
must come out of `read_file_part` with exactly the careful reader's error or notes. The files are our own
fixtures in the API's format, mutations of them written here, and the real samples where present.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from econ.errors import InputFormatError
from econ.panel import census_files
from econ.sources import census_bulk

HEADER = [
    "I_COMMODITY",
    "CTY_CODE",
    "CTY_NAME",
    "CON_VAL_MO",
    "CAL_DUT_MO",
    "UNIT_QY1",
    "SUMMARY_LVL",
    "time",
]
ROWS = [
    ["8505110070", "-", "TOTAL FOR ALL COUNTRIES", "1523400", "38085", "KG", "CGP", "2024-11"],
    ["8505110070", "0003", "EUROPEAN UNION", "120000", "3000", "KG", "CGP", "2024-11"],
    ["8505110070", "5700", "CHINA", "1203400", "30085", "KG", "DET", "2024-11"],
    ["8505110070", "5880", "JAPAN", "200000", "", "KG", "DET", "2024-11"],
    ["8505110070", "5880", "JAPAN", "210000", None, "KG", "DET", "2024-12"],
    ["8541430010", "5700", "CHINA", "99", "1", None, "DET", "2024-12"],
]


def china(
    value: str = "1", *, code: str | None = "5700", name: str = "CHINA", month: str = "2024-11"
) -> list:
    """One row of China (or of whatever `code` and `name` say) for line 8505110070."""
    return ["8505110070", code, name, value, "1", "KG", "DET", month]


def write(folder: Path, name: str, header: list[str] | None, rows: list[list[object]]) -> Path:
    """A file as the API writes it: one row per line."""
    path = folder / name
    lines = [json.dumps(row) for row in ([header] if header is not None else []) + rows]
    path.write_text("[" + ",\n".join(lines) + "]\n")
    return path


def both_ways(path: Path, tmp_path: Path) -> tuple[census_files.FilePart, census_files.FilePart]:
    fast = census_files.read_file_part(path, path.name, tmp_path / "fast" / "000000")
    careful = census_files._careful_part(path, path.name, tmp_path / "careful" / "000000")
    return fast, careful


def assert_same(fast: census_files.FilePart, careful: census_files.FilePart) -> None:
    assert (fast.kind, fast.problems, fast.filled) == (careful.kind, careful.problems, careful.filled)
    assert (fast.part is None) == (careful.part is None)
    if fast.part is not None and careful.part is not None:
        a, b = pq.read_table(fast.part), pq.read_table(careful.part)
        assert a.schema.remove_metadata() == b.schema.remove_metadata()
        assert a.equals(b), (a.slice(0, 5).to_pandas(), b.slice(0, 5).to_pandas())


def test_a_plain_file_is_read_the_fast_way_with_the_careful_rows(tmp_path: Path) -> None:
    path = write(tmp_path, "imports_hs10_2024.json", HEADER, ROWS)
    fast, careful = both_ways(path, tmp_path)
    assert fast.fast and not careful.fast
    assert_same(fast, careful)
    table = pq.read_table(fast.part)
    # groupings and totals left out; a blank duty and a null one both missing, not zero
    assert table.num_rows == 4
    assert table.column("cal_dut").null_count == 2
    assert table.column("period").type == pa.timestamp("us")


def test_the_fixtures_and_a_repeated_predicate_column_agree(fixtures: Path, tmp_path: Path) -> None:
    for path in sorted((fixtures / "census").glob("*.json")):
        fast, careful = both_ways(path, tmp_path / path.stem)
        assert_same(fast, careful)
    # the fixture of a month repeats I_COMMODITY at the end (a predicate): the fast way takes it
    fast, _ = both_ways(fixtures / "census" / "imports_hs10_2024.json", tmp_path / "again")
    assert fast.fast


def _mutations(tmp_path: Path) -> dict[str, Path]:
    wide = [*ROWS[:3], [*ROWS[3], "extra"]]
    return {
        "an HTML page": _text(tmp_path / "key.json", "<html><body>Invalid Key</body></html>"),
        "an empty body": _text(tmp_path / "empty.json", ""),
        "truncated JSON": _text(tmp_path / "cut.json", json.dumps([HEADER, *ROWS])[:-40]),
        "a row of the wrong width": write(tmp_path, "wide.json", HEADER, wide),
        "a value that is not a number": write(
            tmp_path,
            "text.json",
            HEADER,
            [*ROWS[:2], ["8505110070", "5700", "CHINA", "12O0", "1", "KG", "DET", "2024-11"]],
        ),
        "a month that is not a month": write(
            tmp_path,
            "month.json",
            HEADER,
            [["8505110070", "5700", "CHINA", "1", "1", "KG", "DET", "2024-13"]],
        ),
        "a country without a code": write(
            tmp_path,
            "nocode.json",
            HEADER,
            [["8505110070", None, "GERMANY", "1", "1", "KG", "DET", "2024-11"]],
        ),
        "a code that is no country or grouping": write(
            tmp_path, "odd.json", HEADER, [["8505110070", "57A0", "CHINA", "1", "1", "KG", "DET", "2024-11"]]
        ),
        "a key twice": write(tmp_path, "twice.json", HEADER, [*ROWS, ROWS[2]]),
        "YEAR and MONTH columns": write(
            tmp_path,
            "ym.json",
            ["I_COMMODITY", "CTY_CODE", "CON_VAL_MO", "YEAR", "MONTH"],
            [["8505110070", "5700", "1", "2024", "11"]],
        ),
        "no month at all": write(
            tmp_path, "nomonth.json", ["I_COMMODITY", "CTY_CODE", "CON_VAL_MO"], [["1", "5700", "1"]]
        ),
        "a header without rows": write(tmp_path, "header.json", HEADER, []),
        "only groupings": write(tmp_path, "groups.json", HEADER, ROWS[:2]),
    }


def _text(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    "case",
    [
        "an HTML page",
        "an empty body",
        "truncated JSON",
        "a row of the wrong width",
        "a value that is not a number",
        "a month that is not a month",
        "a country without a code",
        "a code that is no country or grouping",
        "a key twice",
        "YEAR and MONTH columns",
        "no month at all",
        "a header without rows",
    ],
)
def test_what_needs_judging_goes_the_careful_way_and_says_what_it_always_said(
    case: str, tmp_path: Path
) -> None:
    path = _mutations(tmp_path)[case]
    assert census_bulk.read_rows(path, source_file=path.name) is None
    try:
        careful = census_files._careful_part(path, path.name, tmp_path / "careful" / "000000")
    except InputFormatError as error:
        with pytest.raises(InputFormatError) as raised:
            census_files.read_file_part(path, path.name, tmp_path / "fast" / "000000")
        assert str(raised.value) == str(error)
    else:
        fast = census_files.read_file_part(path, path.name, tmp_path / "fast" / "000000")
        assert not fast.fast
        assert_same(fast, careful)


def test_a_file_of_groupings_only_is_said_the_same_both_ways(tmp_path: Path) -> None:
    path = _mutations(tmp_path)["only groupings"]
    fast, careful = both_ways(path, tmp_path)
    assert fast.fast and fast.kind is None
    assert_same(fast, careful)


def test_the_check_can_fail(tmp_path: Path) -> None:
    """The comparison sees a single changed cell (else the tests above would prove nothing)."""
    path = write(tmp_path, "imports_hs10_2024.json", HEADER, ROWS)
    fast, careful = both_ways(path, tmp_path)
    changed = pq.read_table(fast.part).to_pandas()
    changed.loc[0, "con_val"] += 1
    pq.write_table(pa.Table.from_pandas(changed, preserve_index=False), fast.part)
    with pytest.raises(AssertionError):
        assert_same(fast, careful)


def test_real_samples_read_the_same_both_ways(shared_data: Path, tmp_path: Path) -> None:
    files = sorted((shared_data / "census").glob("*.json"))
    files += sorted((shared_data / "census" / "naics_monthly").glob("*.json"))[:2]
    assert files
    for path in files:
        fast, careful = both_ways(path, tmp_path / path.stem)
        assert_same(fast, careful)
