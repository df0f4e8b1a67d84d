"""reports/runs.yaml: the named runs and the grids that expand into runs.

Format::

    runs:                                  # name -> one notebook with its parameters
      tariff_timeline_china:
        notebook: tariff_timeline          # notebooks/tariff_timeline.ipynb
        parameters: {partner: "5700"}      # omitted parameters take the model's defaults
    grids:                                 # each grid expands into the product of its lists
      - name: "tariff_timeline_{partner}"  # str.format over the run's parameters
        notebook: tariff_timeline
        parameters: {dataset: demo}        # the same in every run of the grid
        grid: {partner: ["2010", "1220"]}  # one run per combination

Every run's parameters are checked against the notebook's model while loading, so a bad value is refused
before any kernel starts; all problems of all runs are reported together.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from econ import paths, yaml_files
from econ.errors import EconError, ParameterError
from econ.reports import params as params_module
from econ.reports.params import NotebookParameters

_RUN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
RESERVED_NAMES = frozenset({"index", "manifest", "runs"})
"""Names of the reports folder's own files (index.html, manifest.json, runs.yaml): a run so named would
overwrite one of them."""
COMPARISON_PREFIX = "compare-"
"""Comparison pages are reports/compare-<grid>.html; no run may take such a name."""


def reserved_problem(name: str) -> str | None:
    """Why `name` cannot be a run's name (it would overwrite another output), None when it can."""
    if name.lower() in RESERVED_NAMES:
        return f"reserved: reports/{name}.html or .json would overwrite the reports folder's own files"
    if name.lower().startswith(COMPARISON_PREFIX):
        return f"reserved: names starting with {COMPARISON_PREFIX!r} are the grids' comparison pages"
    return None


@dataclass(frozen=True)
class Run:
    """One report to build: a notebook, its validated parameters and the file it comes from."""

    name: str
    notebook: str
    notebook_path: Path
    parameters: NotebookParameters = field(repr=False)
    origin: str = "runs"
    """'runs' for a named run, 'grid <template>' for one expanded from a grid."""

    @property
    def values(self) -> dict[str, Any]:
        """The parameters as plain values (every parameter, defaults filled in), as papermill injects them."""
        return self.parameters.model_dump(mode="json")

    @property
    def dataset(self) -> str:
        return self.parameters.dataset

    @property
    def reads(self) -> tuple[str, ...]:
        return type(self.parameters).reads

    @property
    def reads_optional(self) -> tuple[str, ...]:
        return type(self.parameters).reads_optional

    def depends_on(self) -> dict[str, Path]:
        """Files outside the catalog and the code that the run's results depend on (its scenario file)."""
        return self.parameters.depends_on()


def expand_grid(
    template: str, fixed: Mapping[str, Any], grid: Mapping[str, Sequence[Any]]
) -> list[tuple[str, dict[str, Any]]]:
    """The (name, parameters) of every combination of `grid`, in the order the lists are written.

    The name is ``template.format(**parameters)``; e.g. ``"pe_{scenario}_{passthrough}"``.
    """
    names = list(grid)
    expanded = []
    for combination in itertools.product(*(grid[name] for name in names)):
        parameters = {**fixed, **dict(zip(names, combination, strict=True))}
        expanded.append((template.format(**parameters), parameters))
    return expanded


def load_runs(
    runs_file: str | Path | None = None,
    *,
    notebooks_dir: str | Path | None = None,
    select: Sequence[str] | None = None,
) -> list[Run]:
    """Read runs.yaml, expand its grids, validate every run; `select` keeps only the named runs.

    Raises ParameterError listing every problem (``run.parameter: message``) when anything is wrong.
    """
    path = Path(runs_file) if runs_file is not None else paths.runs_file()
    folder = Path(notebooks_dir) if notebooks_dir is not None else paths.notebooks_dir()
    if not path.is_file():
        raise ParameterError([("runs", f"{path} not found")])
    try:
        # a run named twice is refused (not the last one silently kept); dates stay text for the models
        document = yaml_files.load(path, what="runs file") or {}
    except EconError as error:  # already names the file and the line
        raise ParameterError([("runs", str(error))]) from None
    if not isinstance(document, dict) or set(document) - {"runs", "grids"}:
        raise ParameterError([("runs", f"{path}: expected a mapping with keys 'runs' and 'grids'")])

    problems: list[tuple[str, str]] = []
    specs: list[tuple[str, str, dict[str, Any], str]] = []  # name, notebook, parameters, origin
    named = document.get("runs") or {}
    if not isinstance(named, dict):
        problems.append(("runs", "expected a mapping of run name -> {notebook, parameters}"))
        named = {}
    for name, spec in named.items():
        notebook, parameters = _spec(str(name), spec, problems)
        if notebook is not None:
            specs.append((str(name), notebook, parameters, "runs"))
    grids = document.get("grids") or []
    if not isinstance(grids, list):
        problems.append(("grids", "expected a list of {name, notebook, parameters, grid}"))
        grids = []
    for number, spec in enumerate(grids, start=1):
        where = f"grids[{number}]"
        notebook, fixed = _spec(where, spec, problems)
        if notebook is None:
            continue
        template, grid = spec.get("name"), spec.get("grid") or {}
        if not isinstance(template, str) or not template:
            problems.append((f"{where}.name", "expected a name template such as 'pe_{scenario}'"))
            continue
        if not isinstance(grid, dict) or not all(isinstance(v, list) and v for v in grid.values()):
            problems.append((f"{where}.grid", "expected a mapping of parameter -> non-empty list of values"))
            continue
        try:
            expanded = expand_grid(template, fixed, grid)
        except (KeyError, IndexError, ValueError) as error:
            problems.append((f"{where}.name", f"template {template!r} names an unknown parameter ({error})"))
            continue
        specs.extend((name, notebook, parameters, f"grid {template}") for name, parameters in expanded)

    runs: list[Run] = []
    seen: dict[str, str] = {}
    for name, notebook, parameters, origin in specs:
        if not _RUN_NAME.match(name):
            problems.append((name, "run names may hold letters, digits, '_', '.' and '-' only"))
            continue
        reserved = reserved_problem(name)
        if reserved:
            problems.append((name, reserved))
            continue
        # case-blind: on macOS and Windows `Square` and `square` would be one file
        if name.lower() in seen:
            problems.append((name, f"run name used twice ({seen[name.lower()]} and {origin})"))
            continue
        seen[name.lower()] = origin
        notebook_path = folder / f"{notebook}.ipynb"
        if not notebook_path.is_file():
            problems.append((f"{name}.notebook", f"{notebook_path} not found"))
            continue
        if notebook not in params_module.models():
            problems.append((f"{name}.notebook", f"no parameter model declared for {notebook!r}"))
            continue
        found = params_module.problems(notebook, parameters)
        problems.extend((f"{name}.{parameter}", message) for parameter, message in found)
        if not found:
            model = params_module.validate(notebook, parameters)
            runs.append(Run(name, notebook, notebook_path, model, origin))

    if select:
        unknown = [name for name in select if name.lower() not in seen]
        problems.extend((name, f"no such run in {path}") for name in unknown)
        runs = [run for run in runs if run.name in set(select)]
    if problems:
        raise ParameterError(problems, context=str(path))
    return runs


def _spec(where: str, spec: Any, problems: list[tuple[str, str]]) -> tuple[str | None, dict[str, Any]]:
    if not isinstance(spec, dict) or not isinstance(spec.get("notebook"), str):
        problems.append((where, "expected a mapping with 'notebook' (and optionally 'parameters')"))
        return None, {}
    parameters = spec.get("parameters") or {}
    if not isinstance(parameters, dict):
        problems.append((f"{where}.parameters", "expected a mapping of parameter -> value"))
        return None, {}
    return spec["notebook"], dict(parameters)
