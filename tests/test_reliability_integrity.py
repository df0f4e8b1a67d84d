"""Integrity of processed data beyond tests/test_panel.py (which truncates a Parquet file under a good
manifest): a damaged manifest, a missing one, a hand-edited one, a file swapped for another valid Parquet
file — each named on load and repaired by the next `econ build`, never silently used."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from econ import demo, panel
from econ.errors import EconError, IntegrityError

PANELS = ("tariff_lines", "imports", "exports", "industries", "minerals", "io_tables")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("integrity") / "home"
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("ECON_HOME", str(home))
        demo.write(seed=5, scale=0.02)
        panel.build(dataset="demo")
    return home


@pytest.fixture(scope="module")
def expected(pristine: Path) -> dict[str, pd.DataFrame]:
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("ECON_HOME", str(pristine))
        return {name: panel.load(name) for name in PANELS}


@pytest.fixture()
def home(pristine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private copy of the built home for a test to damage."""
    copy = tmp_path / "home"
    shutil.copytree(pristine, copy)
    monkeypatch.setenv("ECON_HOME", str(copy))
    yield copy


def folder(home: Path) -> Path:
    return home / "data" / "processed" / "demo"


def rebuilt_is_whole(home: Path, expected: dict[str, pd.DataFrame]) -> None:
    """`econ build` (not forced) notices the damage, rebuilds, and everything loads as before."""
    manifest = panel.build(dataset="demo")
    assert not manifest.skipped
    for name in PANELS:
        pd.testing.assert_frame_equal(panel.load(name), expected[name], obj=name)


def test_truncated_parquet_and_missing_manifest(home: Path, expected: dict[str, pd.DataFrame]) -> None:
    target = folder(home) / "imports" / "2024.parquet"
    target.write_bytes(target.read_bytes()[:1000])
    (folder(home) / "manifest.json").unlink()
    with pytest.raises(EconError, match=r"no processed demo data .* run `econ demo && econ build`"):
        panel.load("imports")
    rebuilt_is_whole(home, expected)


@pytest.mark.parametrize(
    "damage",
    [b"", b'{"dataset": "demo", "outputs": {"imports": {"pa', b"\x00" * 64, b"[]"],
    ids=["empty", "truncated", "zeros", "not an object"],
)
def test_unreadable_manifest_is_named_and_rebuilt(
    home: Path, expected: dict[str, pd.DataFrame], damage: bytes
) -> None:
    target = folder(home) / "imports" / "2024.parquet"
    target.write_bytes(target.read_bytes()[:1000])  # and a truncated panel beside it
    (folder(home) / "manifest.json").write_bytes(damage)
    with pytest.raises(IntegrityError, match=r"manifest\.json: unreadable manifest"):
        panel.load("imports")
    if damage == b"":  # one rebuild is enough: before the fix, the build itself stopped on a bad manifest
        rebuilt_is_whole(home, expected)


@pytest.mark.parametrize(
    ("edit", "named", "rebuild"),
    [
        (lambda m: m["outputs"]["exports"].update(sha256="0" * 64), "exports.parquet: contents do not", True),
        (
            lambda m: m["outputs"]["exports"].update(path="../../raw/demo/truth.json"),
            "is not a file name",
            False,
        ),
        (
            lambda m: m["outputs"]["exports"].update(path="tariff_lines.parquet"),
            "tariff_lines.parquet: contents do",
            False,
        ),
        (lambda m: m.update(outputs=[1, 2]), "'outputs' is missing or not a dict", True),
        (lambda m: m["outputs"].update(exports="exports.parquet"), "outputs.exports is not an object", False),
        (lambda m: m["outputs"]["exports"].pop("sha256"), "outputs.exports.sha256 is missing", False),
        (
            lambda m: m["outputs"]["imports"]["parts"][0].update(sha256="0" * 64),
            "the hash of imports does not match its parts",
            False,
        ),
        (
            lambda m: m["outputs"]["imports"]["parts"][0].update(path="../exports.parquet"),
            "parts.0..path '../exports.parquet' is not a file name",
            False,
        ),
    ],
    ids=[
        "hash",
        "path outside",
        "path to another panel",
        "outputs a list",
        "record a string",
        "no hash",
        "a year's hash",
        "a year outside",
    ],
)
def test_hand_edited_manifest_is_named(
    home: Path, expected: dict[str, pd.DataFrame], edit, named: str, rebuild: bool
) -> None:
    path = folder(home) / "manifest.json"
    record = json.loads(path.read_text())
    edit(record)
    path.write_text(json.dumps(record))
    with pytest.raises(EconError, match=named):
        panel.load("imports" if "imports" in named or "parts" in named else "exports")
    if rebuild:  # (a rebuild takes two seconds: two kinds of edit are enough to show it)
        rebuilt_is_whole(home, expected)


def test_parquet_swapped_for_another_valid_one(home: Path, expected: dict[str, pd.DataFrame]) -> None:
    """A well-formed Parquet file with other contents (an older copy dropped in by hand) is refused too."""
    shutil.copyfile(folder(home) / "exports.parquet", folder(home) / "imports" / "2024.parquet")
    with pytest.raises(IntegrityError, match=r"imports/2024\.parquet: contents do not match"):
        panel.load("imports")
    rebuilt_is_whole(home, expected)


def test_listed_file_missing(home: Path, expected: dict[str, pd.DataFrame]) -> None:
    (folder(home) / "tariff_lines.parquet").unlink()
    with pytest.raises(IntegrityError, match=r"tariff_lines\.parquet: missing"):
        panel.load("tariff_lines")


JSON_LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=8), st.just([]), st.just({}), st.just("../x")
)


def test_any_edit_of_the_manifest_is_caught_or_harmless(pristine: Path, tmp_path: Path) -> None:
    """Property: whatever single value of manifest.json is changed or deleted, loading a panel either gives
    exactly the built data or raises the project's error naming the manifest or the panel's file."""
    original = (folder(pristine) / "manifest.json").read_text()
    home = tmp_path / "home"
    shutil.copytree(pristine, home)
    manifest_path = folder(home) / "manifest.json"

    def places(node: object, trail: tuple = ()) -> list[tuple]:
        found = [trail] if trail else []
        if isinstance(node, dict):
            for key, child in node.items():
                found += places(child, (*trail, key))
        elif isinstance(node, list):
            for index, child in enumerate(node):
                found += places(child, (*trail, index))
        return found

    spots = places(json.loads(original))

    @settings(max_examples=60, deadline=None, derandomize=True, database=None)
    @given(spot=st.sampled_from(spots), value=JSON_LEAVES, delete=st.booleans(), name=st.sampled_from(PANELS))
    def check(spot: tuple, value: object, delete: bool, name: str) -> None:
        record = json.loads(original)
        node = record
        for key in spot[:-1]:
            node = node[key]
        if delete and isinstance(node, dict):
            del node[spot[-1]]
        else:
            node[spot[-1]] = value
        manifest_path.write_text(json.dumps(record))
        with pytest.MonkeyPatch.context() as monkeypatch:
            monkeypatch.setenv("ECON_HOME", str(home))
            try:
                frame = panel.load(name)
            except EconError as error:
                assert "manifest.json" in str(error) or ".parquet" in str(error), str(error)
                return
            except Exception as error:
                pytest.fail(f"{spot} -> {value!r}: {type(error).__name__} leaked: {error}")
            # accepted: then it must be the very data that was built
            split = folder(pristine) / name  # the imports: one file per year
            files = (
                sorted(split.glob("*.parquet")) if split.is_dir() else [folder(pristine) / f"{name}.parquet"]
            )
            expected = pd.concat([pd.read_parquet(path) for path in files], ignore_index=True)
            pd.testing.assert_frame_equal(frame.reset_index(drop=True), expected.reset_index(drop=True))

    check()


def test_bad_new_input_leaves_the_previous_panels(home: Path, expected: dict[str, pd.DataFrame]) -> None:
    """A malformed file arriving with a monthly update stops the build with the file named; the panels
    already built stay as they were and nothing half-built is left beside them."""
    from econ.errors import InputFormatError

    raw = home / "data" / "raw" / "demo" / "census" / "imports_hs10_2025.json"
    raw.write_bytes(raw.read_bytes()[:-500])  # cut off mid-download
    with pytest.raises(InputFormatError, match=r"imports_hs10_2025\.json"):
        panel.build(dataset="demo", force=True)
    assert sorted(p.name for p in (home / "data" / "processed").iterdir()) == ["demo"]
    for name in PANELS:
        pd.testing.assert_frame_equal(panel.load(name), expected[name], obj=name)
