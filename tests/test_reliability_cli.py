"""The command line under bad input: every subcommand, given a bad file, option or environment, prints one
line on stderr (no traceback unless `--debug`) and exits non-zero.

In-process (`econ.cli.main`) for speed; tests/test_end_to_end.py checks the same through a real process.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from econ import cli, paths

FIXTURES = Path(__file__).parent / "fixtures"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as exit_:  # argparse's own refusal of an option
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, f"expected one line, got:\n{err}"
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture()
def unwritable_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An ECON_HOME that cannot be created: its parent is a file (chmod does not stop root, this does)."""
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    home = blocker / "home"
    monkeypatch.setenv("ECON_HOME", str(home))
    return home


# ------------------------------------------------------------------------------------------------- demo


def test_demo_bad_scale_is_one_line(econ_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "demo", "--scale", "-1")
    assert code == 2
    assert "scale" in one_line(err) and "positive" in err


def test_demo_unparsable_option_is_refused_by_argparse(
    econ_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "demo", "--scale", "lots")
    assert code == 2
    assert err.strip().splitlines()[-1] == "econ demo: error: argument --scale: invalid float value: 'lots'"
    assert "Traceback" not in err


@pytest.mark.parametrize("command", [("demo", "--scale", "0.01"), ("build",), ("report", "--dry-run")])
def test_unwritable_home_is_one_line(
    unwritable_home: Path, command: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, *command)
    assert code == 2
    line = one_line(err)
    assert line.startswith("econ: error: ") and str(unwritable_home.parent) in line
    assert "ECON_HOME" in line


# ------------------------------------------------------------------------------------------------ build


def test_build_with_a_truncated_input_names_the_file(
    econ_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from econ import demo

    demo.write(seed=3, scale=0.02)
    census = econ_home / "data/raw/demo/census/imports_hs10_2018.json"
    census.write_bytes(census.read_bytes()[:3000])
    code, out, err = run(capsys, "build")
    assert code == 2
    line = one_line(err)
    assert "imports_hs10_2018.json" in line and "truncated" in line
    assert out == ""
    assert not (econ_home / "data/processed/demo").exists()  # nothing written
    # --debug shows where it came from
    with pytest.raises(Exception, match="imports_hs10_2018"):
        cli.main(["--debug", "build"])


def test_build_bad_dataset_option(econ_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "build", "--data", "imaginary")
    assert code == 2 and "invalid choice: 'imaginary'" in err and "Traceback" not in err


def test_bad_lock_timeout_is_one_line(
    econ_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    monkeypatch.setenv("ECON_LOCK_TIMEOUT", "-3")
    code, _, err = run(capsys, "build")
    assert code == 2 and "ECON_LOCK_TIMEOUT" in one_line(err)


def test_a_bug_is_one_line_that_says_so(
    econ_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from econ import panel

    def broken(**_: object) -> None:
        raise KeyError("hs10")

    monkeypatch.setattr(panel, "build", broken)
    code, _, err = run(capsys, "build")
    assert code == 1
    line = one_line(err)
    assert "internal error, a bug in econ: KeyError" in line and "econ --debug build" in line
    with pytest.raises(KeyError):
        cli.main(["--debug", "build"])


# ----------------------------------------------------------------------------------------------- report


@pytest.fixture()
def runs_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "runs.yaml"
    monkeypatch.setattr(paths, "runs_file", lambda: path)
    return path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("runs:\n  a: {notebook: tariff_timeline\n  b: [", "not valid YAML"),  # YAML's message spans lines
        ("runs:\n  a: {notebook: no_such_notebook}\n", "no_such_notebook.ipynb not found"),
        ("runs:\n  a: {notebook: tariff_timeline, parameters: {partner: 5700}}\n", "a.partner"),
        ("runs:\n  a: {notebook: tariff_timeline, parameters: {colour: red}}\n", "unknown parameter"),
        ("- just\n- a list\n", "expected a mapping"),
    ],
    ids=["yaml", "missing notebook", "wrong type", "unknown parameter", "not a mapping"],
)
def test_report_bad_runs_file_is_one_line(
    econ_home: Path, runs_yaml: Path, text: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    runs_yaml.write_text(text)
    code, _, err = run(capsys, "report")
    assert code == 2
    line = one_line(err)
    assert expected in line and str(runs_yaml) in line
    assert not (econ_home / "reports").exists()  # refused before anything was written


def test_report_missing_runs_file_and_bad_options(
    econ_home: Path, runs_yaml: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "report")
    assert code == 2 and "not found" in one_line(err)
    code, _, err = run(capsys, "report", "--jobs", "0")
    assert code == 2 and "jobs" in one_line(err)
    code, _, err = run(capsys, "report", "--jobs", "many")
    assert code == 2 and "invalid int value: 'many'" in err


# ------------------------------------------------------------------------------------------------ fetch


def test_fetch_bad_options_are_refused(econ_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "fetch", "census", "--year", "2024", "--months", "0-13")
    assert code == 2 and "Traceback" not in err
    code, _, err = run(capsys, "fetch", "census", "--year", "1999", "--vintage", "v")
    assert code == 2 and "year" in one_line(err)
    code, _, err = run(capsys, "fetch", "census", "--year", "2024", "--vintage", "../outside")
    assert code == 2 and "vintage" in one_line(err)


def test_fetch_into_an_unwritable_home_is_one_line(
    unwritable_home: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    httpserver.expect_request("/ts/imports/hs").respond_with_data(json.dumps([["I_COMMODITY"], ["85"]]))
    code, _, err = run(
        capsys, "fetch", "census", "--year", "2024", "--months", "1", "--base-url", httpserver.url_for("/ts")
    )
    assert code == 2
    assert str(unwritable_home.parent) in one_line(err)


def test_fetch_agency_answers_html_is_one_line(
    econ_home: Path, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """The Census API's answer to a bad key: an HTML page with status 200. Refused, nothing cached."""
    page = (FIXTURES / "census" / "invalid_key.html").read_bytes()
    httpserver.expect_request("/ts/imports/hs").respond_with_data(page, content_type="text/html")
    code, _, err = run(capsys, "fetch", "census", "--year", "2024", "--months", "1", "--vintage", "v",
                         "--base-url", httpserver.url_for("/ts"))  # fmt: skip
    assert code == 2
    assert "HTML" in one_line(err) or "html" in err
    folder = econ_home / "data/raw/census/v"
    assert not folder.exists() or not [p for p in folder.iterdir() if p.is_file()]
