"""The rooms of econ.sources: readers import no fetcher and no network code, only the CLI knows argparse,
every fetcher declares its options, takes one FetchOptions and builds its flags the same way."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

import econ.sources
from econ.sources import cli
from econ.sources.fetch import SOURCES, fetcher
from econ.sources.fetch.options import COMMON_OPTIONS, FetchOptions, Option

PACKAGE = Path(econ.sources.__file__).parent
READERS = sorted(p for p in PACKAGE.glob("*.py") if p.name not in ("__init__.py", "cli.py"))
FETCHERS = sorted((PACKAGE / "fetch").glob("*.py"))


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


@pytest.mark.parametrize("path", READERS, ids=[p.name for p in READERS])
def test_readers_know_no_fetcher_network_or_argparse(path: Path) -> None:
    imported = _imports(path)
    assert not [name for name in imported if name.startswith("econ.sources.fetch")]
    assert not imported & {"requests", "urllib3", "argparse", "econ.sources.cli"}


@pytest.mark.parametrize("path", FETCHERS, ids=[p.name for p in FETCHERS])
def test_fetchers_know_no_argparse(path: Path) -> None:
    assert "argparse" not in _imports(path)
    assert "econ.sources.cli" not in _imports(path)


@pytest.mark.parametrize("source", SOURCES)
def test_every_fetcher_declares_options_and_takes_fetch_options(source: str) -> None:
    module = fetcher(source)
    assert all(isinstance(option, Option) for option in module.OPTIONS)
    for function in (module.plan, module.fetch):
        signature = inspect.signature(function)
        assert signature.parameters["options"].kind is inspect.Parameter.KEYWORD_ONLY
        # every declared option is a keyword of the function: the flag mirrors the argument
        assert {option.name for option in module.OPTIONS} <= set(signature.parameters)
    flags = cli.build_parser(source).format_help()
    for option in (*module.OPTIONS, *COMMON_OPTIONS):
        assert option.flags in flags
    assert set(module.LIMITS)  # a rate limit for every source its downloads name


def test_common_flags_are_fetch_options_fields() -> None:
    fields = set(inspect.signature(FetchOptions).parameters)
    assert {option.name for option in COMMON_OPTIONS} <= fields
    with pytest.raises(ValueError, match="retries"):
        FetchOptions(retries=-1)
