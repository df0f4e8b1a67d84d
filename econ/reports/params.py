"""Each notebook's parameters, declared once and typed.

One pydantic model per notebook, named after it. A model says which parameters the notebook's cell tagged
``parameters`` takes (names, types, defaults) and, in ``reads``, which outputs of the processed catalog the
notebook reads (panels, ``io_tables``, ``truth``), so that the cache key covers exactly the data it depends
on. Adding a notebook is a few lines::

    class Passthrough(NotebookParameters):
        notebook: ClassVar[str] = "passthrough"
        reads: ClassVar[tuple[str, ...]] = ("imports",)
        partner: CensusCode = "5700"
        elasticity: float = 0.9

Every model inherits ``dataset`` (demo or real), which picks the processed data the run reads. Validation is
strict: YAML ``5700`` (an int) is refused for a Census code, because ``"0003"`` would lose its zeros. A
parameter whose values belong to another part of the package takes that part's type — the dataset from
`econ.manifest`, a pass-through preset from `econ.models.trade`, a scenario checked by `econ.tariffs`
(a shipped name or an existing file, parsed and checked against the timeline) — so a typo is refused
here, with every other problem, before any kernel starts. A test keeps each model in agreement with its
notebook's ``parameters`` cell.

One module of some 430 lines, on purpose: pyfixest-style, every parameter model and its checks in one
place, so that a notebook's parameters, their types and what each run needs are read side by side.
"""

from __future__ import annotations

import ast
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

import nbformat
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from econ.errors import EconError, ParameterError
from econ.estimate import ClusterColumn, PassthroughMeasure
from econ.estimate import Outcome as DesignOutcome
from econ.manifest import Dataset
from econ.models.trade import PassthroughSetting

Month = Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
"""A month as "YYYY-MM"."""
CensusCode = Annotated[str, StringConstraints(pattern=r"^[0-9A-Z]{4}$")]
"""A Census country code, four characters with leading zeros ("5700" China, "2010" Mexico)."""

_MODELS: dict[str, type[NotebookParameters]] = {}


@dataclass(frozen=True)
class Need:
    """What a run needs of one processed output: the output itself, and where the notebook says so, the
    months it reads ("YYYY-MM", first and last) and its level (``hs10``, ``summary``), with why."""

    output: str
    months: tuple[str, str] | None = None
    level: str | None = None
    optional: bool = False
    why: str = ""


class NotebookParameters(BaseModel):
    """Base of every notebook's parameter model: strict types, unknown names refused."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    notebook: ClassVar[str] = ""
    """The notebook's file name without .ipynb; the model is registered under it."""
    reads: ClassVar[tuple[str, ...]] = ()
    """Outputs of data/processed/<dataset>/ the notebook reads (their hashes enter the key)."""
    reads_optional: ClassVar[tuple[str, ...]] = ()
    """Outputs the notebook uses when the dataset has them (hashed into the key; absent is no error)."""

    def depends_on(self) -> dict[str, Path]:
        """Files outside the catalog and the package code that this run's results depend on, by name (a
        scenario file): their hashes enter the run's key, so editing one reruns exactly the runs naming it."""
        return {}

    def needs(self) -> list[Need]:
        """What this run needs of the processed data (`econ.reports.needs` checks it before any kernel
        starts). By default each output of `reads` (and `reads_optional`, optional); a model whose
        notebook reads given months or a given level says so by overriding this."""
        return [Need(name) for name in self.reads] + [
            Need(name, optional=True) for name in self.reads_optional
        ]

    dataset: Dataset = "demo"

    # Any model with `start` and `end` (months or days as ISO text, which sort as dates do) gets this check.
    @field_validator("end", check_fields=False)
    @classmethod
    def _end_after_start(cls, end: str, info: ValidationInfo) -> str:
        start = info.data.get("start")
        if start is not None and end < start:
            raise ValueError(f"must not be before start ({start})")
        return end

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if cls.notebook:
            _MODELS[cls.notebook] = cls


# --------------------------------------------------------------------------- the suite's notebooks


ImportsPanel = Literal["imports", "imports_naics"]
"""The import panel a notebook reads: Census HS10 × partner × month (values, quantities, duties), or Census
NAICS industry × partner × month (values and duties only) — `econ.panel.views.IMPORT_PANELS`."""


class TariffTimeline(NotebookParameters):
    """notebooks/tariff_timeline.ipynb: statutory and collected tariff rates, one partner against the rest.

    Reads the import panel named by `imports_panel` (the other is not needed), the tariff lines, and where
    the dataset has them exports (China's tariff on US goods) and, for the NAICS panel, HS10 values and the
    industries panel (the weights of the statutory average by industry)."""

    notebook: ClassVar[str] = "tariff_timeline"
    reads: ClassVar[tuple[str, ...]] = ("tariff_lines",)
    reads_optional: ClassVar[tuple[str, ...]] = (
        "imports", "imports_naics", "imports_annual", "exports", "industries",
    )  # fmt: skip

    partner: CensusCode = "5700"
    start: Month = "2017-01"
    end: Month = "2025-12"
    imports_panel: ImportsPanel = "imports"

    def needs(self) -> list[Need]:
        if self.imports_panel == "imports_naics":
            # collected rates need only the window; the statutory averages are weighted where the dataset
            # also holds HS10 values and the concordance (optional: the page says when it cannot)
            return [
                Need("imports_naics", months=(self.start, self.end), why="the months shown"),
                Need("tariff_lines"),
                *(
                    Need(name, optional=True)
                    for name in ("imports", "imports_annual", "exports", "industries")
                ),
            ]
        # The fixed weights come from 2017 when the data hold it, else from their first full year
        # (`econ.panel.views.weight_year`): the run needs only the months it shows.
        why = "the months shown and the 2017 weights" if self.start <= "2017-12" else "the months shown"
        return [
            Need("imports", months=(self.start, self.end), why=f"{why} ({self.start} to {self.end})"),
            Need("exports", optional=True, why="China's tariff on US goods, weighted by 2017 exports"),
            Need("tariff_lines"),
        ]


Day = Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")]
"""A date as "YYYY-MM-DD"."""
Share = Annotated[float, Field(ge=0.0, le=1.0)]
"""A fraction between 0 and 1."""
StandardError = Annotated[float, Field(ge=0.0)]


class GenevaReduction(NotebookParameters):
    """notebooks/geneva_reduction.ipynb: the partial-equilibrium effect of a tariff scenario on a date.

    Reads the import panel named by `imports_panel` for the base year: HS10 lines (each line's tariffs
    from the schedule) or NAICS industries (the collected rates, with the scenario's change from the
    schedule: `econ.models.base_year`), the tariff lines, the input-output tables and, with HS10 data,
    the industries panel where the concordances were given."""

    notebook: ClassVar[str] = "geneva_reduction"
    reads: ClassVar[tuple[str, ...]] = ("tariff_lines", "io_tables")  # tariff_lines: the schedule
    # the import panel named by `imports_panel`; NAICS and BEA codes of HS10 lines when concordances exist
    reads_optional: ClassVar[tuple[str, ...]] = ("imports", "imports_naics", "industries")

    scenario: str = "no_geneva"
    """A scenario of `econ.tariffs` (``no_geneva``, ``rollback_2024``, …) or the path of a scenario file."""
    date: Day = "2025-06-15"
    base_year: int = 2024
    passthrough: PassthroughSetting = "border_2025"
    passthrough_se: StandardError = 0.02
    sigma: Annotated[float, Field(gt=0.0)] = 2.5
    sigma_se: StandardError = 0.4
    eta: Annotated[float, Field(gt=0.0)] = 1.5
    eta_se: StandardError = 0.4
    draws: Annotated[int, Field(ge=1)] = 200
    imports_panel: ImportsPanel = "imports"
    """HS10 lines × partner (``imports``) or NAICS industries × partner (``imports_naics``, values and
    duties only: pass-through cannot be estimated on it)."""

    @field_validator("scenario")
    @classmethod
    def _known_scenario(cls, scenario: str) -> str:
        return _check_scenario(scenario)

    @field_validator("imports_panel")
    @classmethod
    def _estimable(cls, imports_panel: str, info: ValidationInfo) -> str:
        if imports_panel == "imports_naics" and info.data.get("passthrough") == "estimated":
            raise ValueError(
                "passthrough: estimated needs import prices (unit values of the HS10 panel's quantities); "
                "the NAICS panel has values and duties only: run it with a preset (border_2025)"
            )
        return imports_panel

    def needs(self) -> list[Need]:
        year = (f"{self.base_year}-01", f"{self.base_year}-12")
        return [
            Need(self.imports_panel, months=year, why=f"the base year {self.base_year}"),
            Need("tariff_lines"),
            Need("io_tables"),
            Need("industries", optional=True),
        ]

    def depends_on(self) -> dict[str, Path]:
        from econ.tariffs.scenarios import scenario_file

        return {f"scenario {self.scenario}": scenario_file(self.scenario)}


class Passthrough(NotebookParameters):
    """notebooks/passthrough.ipynb: pass-through, import demand, the 2025 design, inference, diversion."""

    notebook: ClassVar[str] = "passthrough"
    reads: ClassVar[tuple[str, ...]] = ("tariff_lines",)  # tariff_lines: panel.schedule()
    # the import panel named by `imports_panel`; the demo world's true parameters
    reads_optional: ClassVar[tuple[str, ...]] = ("imports", "imports_naics", "truth")

    imports_panel: ImportsPanel = "imports"
    """HS10 (pass-through, σ, η, the 2025 design, diversion) or NAICS (values only: the import value
    response to the 2025 events and the collected-rate series)."""

    horizon: Annotated[int, Field(ge=1)] = 12
    cluster: ClusterColumn = "product_id"
    """The column standard errors are clustered by (econ.estimate.ClusterColumn)."""
    measure: PassthroughMeasure = "statutory"
    outcome: DesignOutcome = "value"
    event_pre: Annotated[int, Field(le=-2)] = -6
    event_post: Annotated[int, Field(ge=0)] = 12
    threshold: Annotated[float, Field(ge=0.0)] = 0.05
    bootstrap_reps: Annotated[int, Field(ge=99)] = 199

    def needs(self) -> list[Need]:
        # A short panel is not refused: the page says in one line what the estimators need and shows the
        # collected-rate series, which any months allow.
        return [
            Need(self.imports_panel, level="hs10" if self.imports_panel == "imports" else None),
            Need("tariff_lines"),
            Need("truth", optional=True),
        ]


class RareEarthRestrictions(NotebookParameters):
    """notebooks/rare_earth_restrictions.ipynb: China's rare-earth controls — observed shipments, losses,
    compliance and the published estimates (defaults of the shock path from `rare_earth_parameters`)."""

    notebook: ClassVar[str] = "rare_earth_restrictions"
    reads: ClassVar[tuple[str, ...]] = ("minerals", "io_tables")
    # The restricted imports: from the HS10 imports panel, else Comtrade's world trade, else the package's
    # sourced 2024 table (an assumption the report lists).
    reads_optional: ClassVar[tuple[str, ...]] = ("imports", "world_trade")

    base_year: int = 2024
    start: Month = "2024-11"
    end: Month = "2025-12"
    inventory_weeks: Annotated[float, Field(ge=0.0)] = 4.0
    """Weeks of normal use held in stock when a control begins."""
    restriction: Share = 0.9
    """The hypothesis shown beside the observed path: the share of China's supply withheld."""
    hypothesis_start: Day = "2025-04-04"
    rerouting: Share = 0.0
    """Share of what China withholds replaced through third countries, in the hypothesis only."""
    agreed_share: Annotated[float, Field(gt=0.0)] = 1.0
    """The agreed level as a share of the pre-control flow — an assumption: no source states a quantity."""

    def needs(self) -> list[Need]:
        # every trade source has a fallback (econ.models.rare_earths.choice): none is required
        return [
            Need("minerals", why="USGS net import reliance and China's shares"),
            Need("io_tables", why="the economy the shortfall runs through (BEA's summary tables or the "
                 "embedded ten-industry aggregate)"),
            Need("imports", optional=True,
                 why=f"Census HS10 imports of the controlled lines in {self.base_year}, and their months"),
            Need("world_trade", optional=True,
                 why="UN Comtrade's US imports of the controlled HS codes, where Census HS10 is absent"),
        ]  # fmt: skip


def _check_scenario(scenario: str) -> str:
    """A scenario name or file that `econ.tariffs` can load and apply to the timeline, else ValueError
    saying what is wrong (an unknown name, a missing file, a bad key or date inside it)."""
    from econ.tariffs import load_scenario, load_timeline

    try:
        load_scenario(scenario, timeline=load_timeline())
    except EconError as error:
        raise ValueError(str(error)) from None
    return scenario


# --------------------------------------------------------------------------- lookup and validation


def models() -> dict[str, type[NotebookParameters]]:
    """Every registered model, by notebook name."""
    return dict(_MODELS)


def model_for(notebook: str) -> type[NotebookParameters]:
    """The parameter model of `notebook` (its file name without .ipynb)."""
    try:
        return _MODELS[notebook]
    except KeyError:
        known = ", ".join(sorted(_MODELS)) or "none"
        raise ParameterError(
            [("notebook", f"no parameter model declared for {notebook!r} (known: {known})")],
            context=f"notebook {notebook!r}",
        ) from None


def problems(notebook: str, parameters: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Every problem with `parameters` for `notebook`, as (parameter name, message); empty when valid."""
    model = model_for(notebook)
    try:
        model.model_validate(dict(parameters))
    except ValidationError as error:
        return [_describe(model, item) for item in error.errors()]
    return []


def validate(
    notebook: str, parameters: Mapping[str, Any], *, context: str | None = None
) -> NotebookParameters:
    """The validated parameters of one run, defaults filled in; ParameterError lists every problem."""
    found = problems(notebook, parameters)
    if found:
        raise ParameterError(found, context=context or f"notebook {notebook!r}")
    return model_for(notebook).model_validate(dict(parameters))


def _describe(model: type[NotebookParameters], item: Any) -> tuple[str, str]:
    name = ".".join(str(part) for part in item["loc"]) or "(parameters)"
    if item["type"] == "extra_forbidden":
        declared = ", ".join(model.model_fields)
        return name, f"unknown parameter (the notebook {model.notebook!r} declares: {declared})"
    message = item["msg"].removeprefix("Value error, ")
    return name, f"{message} (got {item['input']!r})"


# --------------------------------------------------------------------------- the notebook's own cell


def parameters_cell(path: str | Path) -> dict[str, tuple[str | None, Any]]:
    """The assignments of the notebook cell tagged ``parameters``: name -> (annotation text, default).

    The cell must be plain assignments of literals (``partner: str = "5700"`` or ``partner = "5700"``);
    anything else is reported, because papermill injects parameters by overriding exactly those names.
    """
    notebook = nbformat.read(str(path), as_version=4)
    cells = [cell for cell in notebook.cells if "parameters" in cell.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise ParameterError(
            [("parameters", f"{path}: expected one cell tagged 'parameters', found {len(cells)}")]
        )
    declared: dict[str, tuple[str | None, Any]] = {}
    for statement in ast.parse(cells[0].source).body:
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            name, annotation, value = statement.target.id, ast.unparse(statement.annotation), statement.value
        elif (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
        ):
            name, annotation, value = statement.targets[0].id, None, statement.value
        elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue  # a docstring-like comment string
        else:
            raise ParameterError(
                [("parameters", f"{path}: line {statement.lineno} is not a plain assignment")]
            )
        if value is None:
            raise ParameterError([(name, f"{path}: the parameters cell gives no default")])
        declared[name] = (annotation, ast.literal_eval(value))
    return declared


def disagreements(
    model: type[NotebookParameters], declared: Mapping[str, tuple[str | None, Any]]
) -> list[str]:
    """Where `model` and a notebook's parameters cell differ (names, defaults, types); empty if none."""
    found: list[str] = []
    fields = model.model_fields
    for name in sorted(set(fields) - set(declared)):
        found.append(f"{name}: in the model but not in the notebook's parameters cell")
    for name in sorted(set(declared) - set(fields)):
        found.append(f"{name}: in the notebook's parameters cell but not in the model")
    for name in sorted(set(fields) & set(declared)):
        annotation, default = declared[name]
        field = fields[name]
        if field.default != default or type(field.default) is not type(default):
            found.append(f"{name}: default {default!r} in the notebook, {field.default!r} in the model")
        base = _base_type(field.annotation)
        if annotation is not None and annotation != base.__name__:
            found.append(f"{name}: annotated {annotation} in the notebook, {base.__name__} in the model")
        if not isinstance(default, base):
            found.append(f"{name}: notebook default {default!r} is not a {base.__name__}")
    return found


def _base_type(annotation: Any) -> type:
    """The plain type a field holds: Literal["a"] -> str, Annotated[str, ...] -> str, list[str] -> list."""
    origin = typing.get_origin(annotation)
    if origin is Literal:
        kinds = {type(value) for value in typing.get_args(annotation)}
        return kinds.pop() if len(kinds) == 1 else object
    if origin is Annotated:
        return _base_type(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return object
    if origin is not None:
        return origin
    return annotation if isinstance(annotation, type) else object
