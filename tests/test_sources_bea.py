"""BEA input-output reader: own miniatures (CSV and BEA's xlsx layout), the real summary tables, bad input."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from econ.errors import InputFormatError
from econ.sources import bea
from econ.sources.fetch import bea as fetch_bea
from econ.sources.fetch.options import FetchOptions

USE = "Summary_Use_2023_PRO_BeforeRedef_17sch.csv"
MAKE = "Summary_Make_2023_BeforeRedef_17sch.csv"
IMPORT = "Summary_Import_2023_BeforeRedef_17sch.csv"


@pytest.fixture()
def mini(fixtures: Path) -> Path:
    return fixtures / "bea"


def _plain_csv(path: Path) -> tuple[list[str], dict[str, list[str]]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    return rows[0], {row[0]: row[1:] for row in rows[1:]}


# ---------------------------------------------------------------------------------------------- miniatures


def test_mini_use_blocks_are_split_and_typed(mini: Path) -> None:
    use = bea.read(mini / "Mini_Use_2023.csv")
    assert (use.kind, use.level, use.year) == ("use", "summary", 2023)
    assert list(use.matrix.index) == ["111CA", "3361MV", "GFGD", "Used", "Other"]
    assert list(use.matrix.columns) == ["111CA", "3361MV", "GFGD"]
    assert list(use.final_demand.columns) == ["F010", "F040", "F050", "F06C"]
    assert list(use.value_added.index) == ["V001", "V002", "V003"]
    assert list(use.row_totals.index) == ["Total Intermediate", "Total Value Added", "Total Industry Output"]
    assert use.matrix.dtypes.eq("float64").all()
    assert use.matrix.loc["3361MV", "3361MV"] == 40.0
    # Industry output from the blocks equals the published total row.
    np.testing.assert_allclose(
        use.industry_output().to_numpy(),
        use.row_totals.loc["Total Industry Output", use.industries].to_numpy(),
    )
    np.testing.assert_allclose(
        use.commodity_output().to_numpy(), use.column_totals["Total Commodity Output"].loc[use.commodities]
    )


def test_mini_make_and_import(mini: Path) -> None:
    make = bea.read(mini / "Mini_Make_2023.csv")
    assert make.kind == "make"
    assert make.matrix.index.name == "industry" and make.matrix.columns.name == "commodity"
    assert make.matrix.loc["3361MV", "Used"] == 15.0
    assert make.final_demand.empty and make.value_added.empty
    imports = bea.read(mini / "Mini_Import_2023.csv")
    assert imports.kind == "import"
    assert list(imports.column_totals.columns) == ["T001", "T004"]
    # BEA's Import table: T004 is the sum of the final-use columns including F050 (= −imports).
    np.testing.assert_allclose(imports.final_demand.sum(axis=1), imports.column_totals["T004"])


def test_table_kind_explicit_and_unknown(mini: Path, tmp_path: Path) -> None:
    copy = tmp_path / "table.csv"
    copy.write_bytes((mini / "Mini_Make_2023.csv").read_bytes())
    with pytest.raises(InputFormatError, match="cannot tell"):
        bea.read(copy)
    assert bea.read(copy, table="make").kind == "make"
    with pytest.raises(InputFormatError, match="unknown table kind"):
        bea.read(copy, table="supply")  # type: ignore[arg-type]


def _bea_workbook(path: Path) -> None:
    """BEA's published layout: titles, a code row, a name row, '...' cells, T-codes, footnotes."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for year, scale in (("2022", 1.0), ("2023", 2.0)):
        sheet = book.create_sheet(year)
        sheet.append(["The Use of Commodities by Industries - Summary"])
        sheet.append(["[Millions of dollars]"])
        sheet.append([])
        sheet.append(["Code", "Commodity Description", "111CA", "3361MV", "T001", "F010", "T019"])
        sheet.append([None, None, "Farms", "Motor vehicles", "Total Intermediate", "PCE", "Total use"])
        sheet.append(["111CA", "Farms", 10 * scale, 20 * scale, 30 * scale, 5 * scale, 35 * scale])
        sheet.append(["3361MV", "Motor vehicles", "...", 40 * scale, 40 * scale, 60 * scale, 100 * scale])
        sheet.append(["T005", "Total Intermediate", 10 * scale, 60 * scale, 70 * scale, None, None])
        sheet.append(["V001", "Compensation of employees", 50 * scale, 100 * scale, 150 * scale, None, None])
        sheet.append(["T008", "Total Industry Output", 60 * scale, 160 * scale, None, None, None])
        sheet.append([])
        sheet.append(["Legend / Footnotes:"])
        sheet.append(["... Not applicable"])
    book.save(path)


def test_xlsx_sheet_per_year(tmp_path: Path) -> None:
    path = tmp_path / "IOUse_Before_Redefinitions_PRO_Summary.xlsx"
    _bea_workbook(path)
    latest = bea.read(path)
    assert latest.year == 2023
    assert latest.matrix.loc["111CA", "3361MV"] == 40.0
    assert latest.matrix.loc["3361MV", "111CA"] == 0.0  # '...' is zero
    assert latest.names["3361MV"] == "Motor vehicles"
    assert list(latest.value_added.index) == ["V001"]
    assert list(latest.row_totals.index) == ["T005", "T008"]
    assert list(latest.column_totals.columns) == ["T001", "T019"]
    earlier = bea.read(path, year=2022)
    assert earlier.year == 2022
    np.testing.assert_allclose(earlier.matrix.to_numpy() * 2, latest.matrix.to_numpy())
    with pytest.raises(InputFormatError, match="no sheet named '1999'"):
        bea.read(path, year=1999)


def test_xlsx_text_in_matrix_names_sheet_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "IOUse_bad.xlsx"
    _bea_workbook(path)
    book = openpyxl.load_workbook(path)
    book["2023"]["D6"] = "n/a"
    book.save(path)
    with pytest.raises(InputFormatError) as info:
        bea.read(path, year=2023)
    message = str(info.value)
    assert "sheet '2023'" in message and "row 6 (111CA)" in message and "column 3361MV" in message


def test_truncated_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "IOMake_truncated.xlsx"
    _bea_workbook(path)
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(InputFormatError, match="not a readable xlsx"):
        bea.read(path)


# ---------------------------------------------------------------------------------------------- bad CSV


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (lambda lines: [*lines[:3], lines[3].rsplit(",", 3)[0]], r"row 4 \(GFGD\).*fields"),
        (lambda lines: ["x,y,z", *lines[1:]], "no header row of BEA codes"),
        (
            lambda lines: [lines[0], lines[1].replace("20.0", "twenty", 1), *lines[2:]],
            r"row 2 \(111CA\), column 3361MV",
        ),
        (lambda lines: [*lines[:2], lines[1], *lines[2:]], "duplicated row code '111CA'"),
        (lambda lines: [], "file is empty"),
    ],
    ids=["truncated", "wrong-header", "text-in-number", "duplicated-code", "empty"],
)
def test_bad_csv_is_named(mini: Path, tmp_path: Path, edit, match: str) -> None:  # type: ignore[no-untyped-def]
    lines = (mini / "Mini_Use_2023.csv").read_text().splitlines()
    path = tmp_path / "Bad_Use_2023.csv"
    path.write_text("\n".join(edit(lines)) + "\n")
    with pytest.raises(InputFormatError, match=match) as info:
        bea.read(path)
    assert str(path) in str(info.value)


def test_codes_and_gross_output_miniatures(mini: Path) -> None:
    codes = bea.read_codes(mini / "Mini_IndustryCodeName.csv")
    assert list(codes["code"]) == ["111CA", "3361MV", "GFGD"]
    gross = bea.read_gross_output(mini / "Mini_GrossOutput.csv")
    assert len(gross) == 6 and gross["year"].dtype == "int64"
    assert gross.loc[(gross.industry == "3361MV") & (gross.year == 2023), "gross_output"].item() == 200.0


def test_bad_gross_output(tmp_path: Path) -> None:
    path = tmp_path / "go.csv"
    path.write_text("rownames,2022,2023\n111CA,1.0,x\n")
    with pytest.raises(InputFormatError, match=r"row 2 \(111CA\), year 2023"):
        bea.read_gross_output(path)


# ---------------------------------------------------------------------------------------------- real samples


@pytest.mark.real_data
def test_real_use_table(shared_data: Path) -> None:
    path = shared_data / "bea" / USE
    use = bea.read(path)
    assert (use.kind, use.level, use.year) == ("use", "summary", 2023)
    assert use.matrix.shape == (73, 71)  # 71 commodities + Used + Other; 71 industries
    assert use.final_demand.shape == (73, 20)
    assert list(use.value_added.index) == ["V001", "V002", "V003"]
    header, rows = _plain_csv(path)
    # Totals recomputed independently from the raw text, to BEA's rounding (±10 $ million).
    intermediate = header.index("Total Intermediate") - 1
    for code in ("111CA", "3361MV", "Other"):
        cells = [float(x) for x in rows[code]]
        assert abs(sum(cells[:71]) - cells[intermediate]) <= 10
        assert use.matrix.loc[code].sum() == pytest.approx(sum(cells[:71]), abs=1e-6)
    industry_output = [float(x) for x in rows["Total Industry Output"][:71]]
    np.testing.assert_allclose(use.industry_output().to_numpy(), industry_output, atol=10)


@pytest.mark.real_data
def test_real_make_and_import_tables(shared_data: Path) -> None:
    make = bea.read(shared_data / "bea" / MAKE)
    assert make.matrix.shape == (71, 73)
    _, rows = _plain_csv(shared_data / "bea" / MAKE)
    independent = np.array([float(x) for x in rows["Total Commodity Output"][:73]])
    # BEA rounds each cell: column sums differ from the published total by a few $ million.
    np.testing.assert_allclose(make.commodity_output().to_numpy(), independent, atol=10)
    assert make.row_totals.loc["Total Commodity Output"].to_numpy() == pytest.approx(independent)
    imports = bea.read(shared_data / "bea" / IMPORT)
    assert imports.matrix.shape == (73, 71) and imports.final_demand.shape == (73, 20)
    np.testing.assert_allclose(imports.matrix.sum(axis=1), imports.column_totals["T001"], atol=10)
    np.testing.assert_allclose(imports.final_demand.sum(axis=1), imports.column_totals["T004"], atol=10)
    # Imports are recorded negative in F050 and equal the uses of imports.
    uses = imports.matrix.sum(axis=1) + imports.final_demand.drop(columns="F050").sum(axis=1)
    np.testing.assert_allclose(uses, -imports.final_demand["F050"], atol=10)


@pytest.mark.real_data
def test_real_code_lists_and_gross_output(shared_data: Path) -> None:
    industries = bea.read_codes(shared_data / "bea" / "Summary_IndustryCodeName_2017.csv")
    commodities = bea.read_codes(shared_data / "bea" / "Summary_CommodityCodeName_2017.csv")
    assert len(industries) == 71 and len(commodities) == 73
    use = bea.read(shared_data / "bea" / USE)
    assert set(industries["code"]) == set(use.industries)
    assert set(commodities["code"]) == set(use.commodities)
    gross = bea.read_gross_output(shared_data / "bea" / "Summary_GrossOutput_IO_17sch.csv")
    assert gross["year"].min() == 1997 and gross["year"].max() == 2023
    assert gross["industry"].nunique() == 71
    go_2023 = gross[gross.year == 2023].set_index("industry")["gross_output"]
    np.testing.assert_allclose(go_2023.reindex(use.industries), use.industry_output(), rtol=1e-6, atol=10)


# ---------------------------------------------------------------------------------------------- fetch


def _zip_of(files: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_fetch_saves_zip_and_extracts_workbooks(httpserver, econ_home: Path, mini: Path) -> None:  # type: ignore[no-untyped-def]
    body = _zip_of(
        {"AllTablesIO/Mini_Use_2023.csv": (mini / "Mini_Use_2023.csv").read_bytes(), "README.txt": b"x"}
    )
    httpserver.expect_ordered_request("/static/AllTablesIO.zip").respond_with_data("busy", status=500)
    httpserver.expect_ordered_request("/static/AllTablesIO.zip").respond_with_data(body)
    options = FetchOptions(vintage="2024-09", base_url=httpserver.url_for("/static/"), backoff=0.0)
    saved = fetch_bea.fetch(options=options)
    folder = econ_home / "data" / "raw" / "bea" / "2024-09"
    assert saved == [folder / "AllTablesIO.zip", folder / "Mini_Use_2023.csv"]
    assert (folder / "AllTablesIO.zip").read_bytes() == body
    assert bea.read(saved[1]).matrix.shape == (5, 3)
    # A second run does not ask the server again.
    assert fetch_bea.fetch(options=options)[0] == saved[0]
    assert len(httpserver.log) == 2


def test_fetch_refuses_a_broken_zip(httpserver, econ_home: Path, mini: Path) -> None:  # type: ignore[no-untyped-def]
    body = _zip_of({"Mini_Use_2023.csv": (mini / "Mini_Use_2023.csv").read_bytes()})
    httpserver.expect_request("/static/AllTablesIO.zip").respond_with_data(body[: len(body) // 2])
    from econ.errors import FetchError

    with pytest.raises(FetchError, match="broken archive"):
        fetch_bea.fetch(options=FetchOptions(vintage="v", base_url=httpserver.url_for("/static/"), retries=0))
    assert not (econ_home / "data" / "raw" / "bea" / "v" / "AllTablesIO.zip").exists()


def test_fetch_offline_names_the_endpoint(econ_home: Path) -> None:
    import socket

    from econ.errors import OfflineError

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(OfflineError, match=f"127.0.0.1:{port}"):
        fetch_bea.fetch(options=FetchOptions(vintage="x", base_url=f"http://127.0.0.1:{port}/", retries=0))


def test_xlsx_names_row_above_codes_and_detail_level(tmp_path: Path) -> None:
    path = tmp_path / "IOMake_Before_Redefinitions_DET.xlsx"
    codes = [f"{i:04d}A0" for i in range(1, 102)]  # 101 detail industries
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "2017"
    sheet.append(["The Make of Commodities by Industries - Detail"])
    sheet.append([None, None, *[f"Industry number {i}" for i in range(1, 102)], "Total Industry Output"])
    sheet.append(["Code", "Industry Description", *codes, "T008"])
    for i, code in enumerate(codes):
        row = [0.0] * 101
        row[i] = 10.0 + i
        sheet.append([code, f"Industry number {i + 1}", *row, 10.0 + i])
    book.save(path)
    make = bea.read(path)
    assert (make.kind, make.level, make.year) == ("make", "detail", 2017)
    assert make.matrix.shape == (101, 101) and make.matrix.loc["0005A0", "0005A0"] == 14.0
    np.testing.assert_allclose(make.matrix.sum(axis=1), make.column_totals["T008"])
