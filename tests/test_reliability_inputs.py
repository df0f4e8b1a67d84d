"""Bad input everywhere: every reader fed mutated copies of real-format files, every parameter model fed
random values (hypothesis).

The promise under test: a reader either parses the file or raises the project's own error
(`econ.errors.EconError`) with a message naming the file — never an exception from deep inside pandas,
json, csv, openpyxl or the codecs. A parameter model either accepts a value or raises ParameterError naming
the parameter. The mutations are those a download or a hand edit produces: truncated at any byte, columns
reordered or dropped, wrong types in cells, stray cp1252/latin-1 bytes and BOMs, re-encoded text, empty
files, and a few of these at once.

Runs are derandomized (a fixed seed per test) so CI sees the same examples every time; raising
ECON_FUZZ_EXAMPLES explores further on demand, ECON_FUZZ_RANDOM=1 with fresh random examples
(`ECON_FUZZ_RANDOM=1 ECON_FUZZ_EXAMPLES=2000 pytest tests/test_reliability_inputs.py`).
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from econ import concord
from econ.errors import EconError, ParameterError
from econ.reports import params
from econ.sources import bea, bls, census, comtrade, hts, usgs

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = int(os.environ.get("ECON_FUZZ_EXAMPLES", "60"))

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    # the same examples on every run, so CI is deterministic; ECON_FUZZ_RANDOM=1 explores new ones
    derandomize=not os.environ.get("ECON_FUZZ_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

Reader = Callable[[Path], Any]

# fixture file (under tests/fixtures/) → (reader, structure of the file)
READERS: dict[str, tuple[Reader, str]] = {
    "census/imports_hs10_2024.json": (census.read, "json"),
    "census/exports_hs_yearmonth.json": (census.read, "json"),
    "hts/chapter85_excerpt.json": (hts.read, "json"),
    "hts/hts_2025_revision_3.csv": (hts.read, "csv"),
    "bls/ei.data.0.Current": (bls.read, "tsv"),
    "bls/ei.series": (bls.read, "tsv"),
    "bls/ei.footnote": (bls.read, "tsv"),
    "bls/api_EIUCOCHNTOT.json": (bls.read, "json"),
    "bea/Mini_Use_2023.csv": (bea.read, "csv"),
    "bea/Mini_Make_2023.csv": (bea.read, "csv"),
    "bea/Mini_Import_2023.csv": (bea.read, "csv"),
    "bea/Mini_IndustryCodeName.csv": (bea.read_codes, "csv"),
    "bea/Mini_GrossOutput.csv": (bea.read_gross_output, "csv"),
    "usgs/mini_salient_utf8.csv": (usgs.read, "csv"),
    "usgs/mini_world_cp1252.csv": (usgs.read, "csv"),
    "comtrade/semiconductors_annual.csv": (comtrade.read, "csv"),
    "comtrade/us_imports_china_2024m.json": (comtrade.read, "json"),
    "concord/hs-10d-test-exp-code.txt": (concord.read_hs_naics, "text"),
    "concord/countryCodes_small.txt": (concord.read_country_codes, "text"),
    "concord/census_to_iso3_small.csv": (concord.read_country_codes, "csv"),
    "concord/bea_naics_concordance_small.xlsx": (concord.read_bea_naics, "binary"),
}

# --------------------------------------------------------------------------------------------- mutations

STRAY_BYTES = [
    b"\x92",  # cp1252 right quote
    b"\xe9",  # latin-1 é
    b"\xa0",  # non-breaking space (latin-1)
    b"\x96",  # cp1252 en dash
    b"\xff\xfe",  # a UTF-16 BOM in the middle
    b"\xef\xbb\xbf",  # a UTF-8 BOM in the middle
    b"\x00",
    b"\xc3",  # a lone UTF-8 lead byte
    "é".encode(),
    b"\r",
    b'"',
    b",",
    b"\t",
    b"\n",
]
BOMS = [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf\xef\xbb\xbf"]
WRONG_CELLS = [
    "",
    "abc",
    "-",
    "(D)",
    "NaN",
    "nan",
    "null",
    "1e999",
    "-1e999",
    "12,3",
    "1.2.3",
    "0x1F",
    "٣",  # an Arabic-Indic digit
    "9" * 40,
    "-0",
    " 5 ",
    "ÿ",
    "<html>",
    '"',
    "2024-13",
    "M14",
    "9999999999999999999999",
]
JSON_VALUES = st.one_of(
    st.sampled_from(WRONG_CELLS),
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.just([]),
    st.just({}),
    st.just([["x"]]),
    st.just({"a": None}),
)


def _text(data: bytes) -> str:
    return data.decode("utf-8-sig", errors="replace")


def _delimited(data: bytes, delimiter: str) -> list[list[str]]:
    try:
        return list(csv.reader(io.StringIO(_text(data), newline=""), delimiter=delimiter))
    except csv.Error:  # already broken by an earlier mutation: leave it to the byte-level ones
        return []


def _join(rows: list[list[str]], delimiter: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


@st.composite
def _structural(draw: st.DrawFn, data: bytes, kind: str) -> bytes:
    """A change that keeps the file well-formed in its syntax but wrong in its content."""
    if kind in ("csv", "tsv"):
        delimiter = "," if kind == "csv" else "\t"
        rows = _delimited(data, delimiter)
        width = max((len(row) for row in rows), default=0)
        if not width:
            return data
        how = draw(st.sampled_from(["reorder", "cell", "drop_column", "duplicate_row", "ragged"]))
        if how == "reorder":
            order = draw(st.permutations(range(width)))
            rows = [[row[i] if i < len(row) else "" for i in order] for row in rows]
        elif how == "cell":
            for _ in range(draw(st.integers(1, 3))):
                r = draw(st.integers(0, len(rows) - 1))
                if rows[r]:
                    c = draw(st.integers(0, len(rows[r]) - 1))
                    rows[r][c] = draw(st.sampled_from(WRONG_CELLS))
        elif how == "drop_column":
            c = draw(st.integers(0, width - 1))
            rows = [row[:c] + row[c + 1 :] for row in rows]
        elif how == "duplicate_row":
            r = draw(st.integers(0, len(rows) - 1))
            rows.insert(r, list(rows[r]))
        else:
            r = draw(st.integers(0, len(rows) - 1))
            rows[r] = rows[r][: draw(st.integers(0, len(rows[r])))]
        return _join(rows, delimiter)
    if kind == "json":
        try:
            tree = json.loads(_text(data))
        except ValueError:
            return data
        if isinstance(tree, list) and tree and all(isinstance(row, list) and row for row in tree):
            # the Census array of arrays: reorder its columns, or break one cell
            if draw(st.booleans()):
                width = max(len(row) for row in tree)
                order = draw(st.permutations(range(width)))
                tree = [[row[i] for i in order if i < len(row)] for row in tree]
            else:
                r = draw(st.integers(0, len(tree) - 1))
                if tree[r]:
                    tree[r][draw(st.integers(0, len(tree[r]) - 1))] = draw(JSON_VALUES)
        else:
            tree = draw(_json_leaf_change(tree))
        return json.dumps(tree).encode("utf-8")
    if kind == "text":
        lines = _text(data).splitlines()
        if not lines:
            return data
        r = draw(st.integers(0, len(lines) - 1))
        line = lines[r]
        start = draw(st.integers(0, len(line)))
        end = draw(st.integers(start, min(len(line), start + 12)))
        lines[r] = line[:start] + draw(st.sampled_from(WRONG_CELLS)) + line[end:]
        return "\n".join(lines).encode("utf-8")
    return data


@st.composite
def _json_leaf_change(draw: st.DrawFn, tree: Any) -> Any:
    """Replace (or delete) one value somewhere in a JSON document."""
    tree = json.loads(json.dumps(tree))
    containers: list[Any] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict | list) and node:
            containers.append(node)
            for child in node.values() if isinstance(node, dict) else node:
                walk(child)

    walk(tree)
    if not containers:
        return draw(JSON_VALUES)
    node = draw(st.sampled_from(containers))
    key = draw(st.sampled_from(list(node))) if isinstance(node, dict) else draw(st.integers(0, len(node) - 1))
    if isinstance(node, dict) and draw(st.booleans()):
        del node[key]
    else:
        node[key] = draw(JSON_VALUES)
    return tree


@st.composite
def _mutation(draw: st.DrawFn, data: bytes, kind: str) -> bytes:
    how = draw(st.sampled_from(["truncate", "stray", "bom", "encode", "structure", "empty", "blank"]))
    if how == "truncate":
        return data[: draw(st.integers(0, max(len(data) - 1, 0)))]
    if how == "stray":
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.sampled_from(STRAY_BYTES)) + data[at:]
    if how == "bom":
        return draw(st.sampled_from(BOMS)) + data
    if how == "encode":
        if kind == "binary":
            return data
        encoding = draw(st.sampled_from(["cp1252", "latin-1", "utf-16", "utf-8-sig"]))
        return _text(data).replace("\ufffd", "\u00e9").encode(encoding, errors="replace")
    if how == "structure":
        return draw(_structural(data, kind))
    if how == "empty":
        return b""
    return draw(st.sampled_from([b"\n", b"   \n\n", b"\xef\xbb\xbf", b"\r\n\r\n", b"{}", b"[]", b"[[]]"]))


@st.composite
def mutated(draw: st.DrawFn, data: bytes, kind: str) -> bytes:
    """One to three mutations in a row (a truncated file re-encoded by a spreadsheet, and so on)."""
    for _ in range(draw(st.integers(1, 3))):
        data = draw(_mutation(data, kind))
    return data


# ------------------------------------------------------------------------------------------------ readers


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="econ-fuzz-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _check_reader(reader: Reader, folder: Path, name: str, content: bytes) -> None:
    """Write `content` under the fixture's own name (readers take hints from it) and read it."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    path = folder / name
    path.write_bytes(content)
    try:
        result = reader(path)
    except EconError as error:
        assert name in str(error), f"{type(error).__name__} does not name the file: {error}"
        return
    except Exception as error:  # the failure this test exists to catch
        pytest.fail(
            f"{reader.__module__}.{reader.__name__} leaked {type(error).__name__}: {error!r:.300}\n"
            f"input ({len(content)} bytes): {content[:300]!r}"
        )
    assert result is not None
    if isinstance(result, pd.DataFrame):
        assert result.columns.is_unique, f"duplicate columns {list(result.columns)}"


def test_fixtures_parse_unmutated(scratch: Path) -> None:
    """The baseline: every fixture reads cleanly as it is, so a failure below is the mutation's doing."""
    for name, (reader, _) in READERS.items():
        source = FIXTURES / name
        reader(source)


CASES = list(READERS)


@pytest.mark.parametrize("name", CASES)
def test_reader_survives_mutated_files(name: str, scratch: Path) -> None:
    reader, kind = READERS[name]
    original = (FIXTURES / name).read_bytes()
    folder = scratch / name.replace("/", "_")

    @FUZZ
    @given(content=mutated(original, kind))
    def check(content: bytes) -> None:
        _check_reader(reader, folder, Path(name).name, content)

    check()


def test_a_mutation_is_caught_when_a_reader_leaks(scratch: Path) -> None:
    """The checker itself can fail: a reader that lets json's error through is reported."""

    def leaky(path: Path) -> Any:
        return json.loads(path.read_text())

    with pytest.raises(pytest.fail.Exception, match="leaked JSONDecodeError"):
        _check_reader(leaky, scratch / "leaky", "x.json", b"[1, 2")
    with pytest.raises(AssertionError, match="does not name the file"):

        def vague(path: Path) -> Any:
            raise EconError("something is wrong somewhere")

        _check_reader(vague, scratch / "vague", "x.json", b"[]")


# --------------------------------------------------------------------------------------- parameter models

NAMES = st.one_of(
    st.sampled_from(sorted({name for model in params.models().values() for name in model.model_fields})),
    st.text(min_size=1, max_size=12),
)
VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**12), max_value=10**12),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=20),
        st.sampled_from(["5700", "0003", "2025-05", "2025-13", "2025-06-15", "demo", "real", "<script>"]),
    ),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=6,
)


@pytest.mark.parametrize("notebook", sorted(params.models()))
def test_parameter_models_accept_or_name_the_parameter(notebook: str) -> None:
    model = params.model_for(notebook)

    @FUZZ
    @given(values=st.dictionaries(NAMES, VALUES, max_size=4))
    def check(values: dict[str, Any]) -> None:
        try:
            validated = params.validate(notebook, values, context=f"run test of {notebook}")
        except ParameterError as error:
            assert error.problems, "a ParameterError must list its problems"
            named = {name for name, _ in error.problems}
            # every problem is pinned to a parameter the caller gave (or the model's own field)
            assert named <= set(values) | set(model.model_fields), (named, values)
            for name in named:
                assert name in str(error)
            return
        except Exception as error:
            pytest.fail(f"{notebook}: {type(error).__name__} leaked for {values!r}: {error!r:.300}")
        # accepted: every given value is the one the run will see
        assert set(values) <= set(type(validated).model_fields)
        for name, value in values.items():
            assert getattr(validated, name) == value or value != value  # NaN is not equal to itself

    check()
