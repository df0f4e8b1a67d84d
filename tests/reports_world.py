"""The report tests' world (tests/fixtures/reports/world.py: its parameter models and processed files),
loaded once per process under one module name, so that its notebook models register once whichever
report test file imports it first."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

FIXTURES = Path(__file__).parent / "fixtures" / "reports"
_NAME = "econ_reports_test_world"


def _load() -> ModuleType:
    if _NAME not in sys.modules:
        spec = importlib.util.spec_from_file_location(_NAME, FIXTURES / "world.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[_NAME] = module
        spec.loader.exec_module(module)
    return sys.modules[_NAME]


WORLD = _load()
