"""Processed panels: raw agency files → typed Parquet with a manifest.

`build(dataset=...)` reads the raw files of one dataset (the synthetic ``demo`` world or the ``real`` files
fetched or dropped into data/raw/), evaluates the tariff schedule on them, and writes Parquet panels to
data/processed/<dataset>/ together with ``manifest.json`` (each output's sha256 and row count, each input's
sha256, the dataset, the econ version). `load(name, dataset=...)` reads a panel back, checking the
manifest's hash (a corrupted or truncated file is named, never silently used) and the schema.

Panels never fetch and never parse agency formats themselves: that is `econ.sources`.

The ``imports`` panel — one row per HS10 × partner × month as the Census API reports it:

====================== ========== ===========================================================
column                 type       meaning
====================== ========== ===========================================================
hs10, hs8, hs6         str        HS codes with leading zeros, no dots
chapter                str        HS chapter ("85")
partner                str        Census country code ("5700" China)
partner_name           str        Census country name
month                  datetime   first day of the month
value                  float64    imports for consumption, USD (CON_VAL_MO)
general_value          float64    general imports, USD (GEN_VAL_MO)
duty                   float64    calculated duty, USD (CAL_DUT_MO)
quantity               float64    first quantity (CON_QY1_MO), 0 where none is collected
quantity_unit          str        its unit (UNIT_QY1)
unit_value             float64    value / quantity (NaN where quantity is 0)
unit_value_incl_duty   float64    (value + duty) / quantity
collected_rate         float64    duty / value (NaN where value is 0)
mfn … ieepa_reciprocal float64    statutory layers from econ.tariffs, month averages by days in force
statutory_rate         float64    their stacked total
product_id             int32      integer id of hs10, for absorbed fixed effects
partner_id             int16      integer id of partner
month_id               int32      year·12 + month − 1
====================== ========== ===========================================================
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

import econ
from econ import atomic, paths
from econ.errors import EconError, InputFormatError, IntegrityError, SchemaError
from econ.lock import home_lock

log = logging.getLogger(__name__)

Dataset = Literal["demo", "real"]
DATASETS: tuple[str, ...] = ("demo", "real")

TARIFF_LAYERS: tuple[str, ...] = ("mfn", "section301", "section232", "ieepa_fentanyl", "ieepa_reciprocal")

# column → type: "str" (any string dtype), "datetime", "float64", "list" (object cells) or an exact dtype.
# Every trade panel starts with the same keys: product codes, partner and month.
TRADE_KEYS: dict[str, str] = {
    "hs10": "str",
    "hs8": "str",
    "hs6": "str",
    "chapter": "str",
    "partner": "str",
    "partner_name": "str",
    "month": "datetime",
}
IMPORTS_SCHEMA: dict[str, str] = {
    **TRADE_KEYS,
    "value": "float64",
    "general_value": "float64",
    "duty": "float64",
    "quantity": "float64",
    "quantity_unit": "str",
    "unit_value": "float64",
    "unit_value_incl_duty": "float64",
    "collected_rate": "float64",
    **{layer: "float64" for layer in TARIFF_LAYERS},
    "statutory_rate": "float64",
    "product_id": "int32",
    "partner_id": "int16",
    "month_id": "int32",
}
# US exports (Census exports/hs, ALL_VAL_MO) with China's retaliatory tariff from the tariff engine: the
# weights and rates of "China's tariff on US goods".
EXPORTS_SCHEMA: dict[str, str] = {
    **TRADE_KEYS,
    "value": "float64",
    "china_retaliation": "float64",
    "month_id": "int32",
}

# Each HS10 line of the imports panel with its industries (econ.concord: the Census HS10 → NAICS
# concordance, falling back to HS8 then HS6, and BEA's NAICS workbook); `naics_match` and `bea_match` say
# how each was found, "None" where it was not.
INDUSTRIES_SCHEMA: dict[str, str] = {
    "hs10": "str",
    "naics": "str",
    "naics_match": "str",
    "bea_summary": "str",
    "bea_detail": "str",
    "bea_match": "str",
}

# The tariff schedule's numbered lines as `econ.sources.hts.read` gives them (one revision), so that
# notebooks rebuild the schedule from processed data and never parse raw files.
TARIFF_LINES_SCHEMA: dict[str, str] = {
    "hts8": "str",
    "hts10": "str",
    "description": "str",
    "general": "str",
    "rate_kind": "str",
    "mfn_ad_valorem": "float64",
    "chapter99": "list",
    "revision": "str",
}
SCHEMAS: dict[str, dict[str, str]] = {
    "imports": IMPORTS_SCHEMA,
    "exports": EXPORTS_SCHEMA,
    "industries": INDUSTRIES_SCHEMA,
    "tariff_lines": TARIFF_LINES_SCHEMA,
}


# -------------------------------------------------------------------------------------------- manifest


@dataclass
class Manifest:
    """The record of one dataset's processed outputs and the raw inputs they came from."""

    dataset: str
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)
    code: str = ""
    created: str = ""
    econ_version: str = econ.__version__
    skipped: bool = False
    notes: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, folder: Path) -> Manifest | None:
        """The manifest in `folder`, None if there is none; IntegrityError if it is unreadable or malformed
        (truncated, edited by hand), naming the file and the field."""
        path = folder / "manifest.json"
        if not path.exists():
            return None

        def bad(problem: str) -> IntegrityError:
            return IntegrityError(f"{path}: unreadable manifest ({problem}); run `econ build --force`")

        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            raise bad(str(error)) from None
        if not isinstance(raw, dict):
            raise bad("not a JSON object")
        for key, kind in (("dataset", str), ("outputs", dict), ("inputs", dict)):
            if not isinstance(raw.get(key), kind):
                raise bad(f"{key!r} is missing or not a {kind.__name__}")
        for name, record in raw["outputs"].items():
            if not isinstance(record, dict):
                raise bad(f"outputs.{name} is not an object")
            for key in ("path", "sha256"):
                if not isinstance(record.get(key), str) or not record[key]:
                    raise bad(f"outputs.{name}.{key} is missing or not text")
            # a plain file name inside the folder: a hand-edited "../x" must not send load() elsewhere
            if Path(record["path"]).name != record["path"] or record["path"].startswith("."):
                raise bad(f"outputs.{name}.path {record['path']!r} is not a file name in {folder}")
        return cls(
            dataset=raw["dataset"],
            outputs=raw["outputs"],
            inputs=raw["inputs"],
            code=str(raw.get("code", "")),
            created=str(raw.get("created", "")),
            econ_version=str(raw.get("econ_version", "")),
            notes=[str(note) for note in raw.get("notes") or []]
            if isinstance(raw.get("notes"), list)
            else [],
        )

    def write(self, folder: Path) -> None:
        record = {
            "dataset": self.dataset,
            "synthetic": self.dataset == "demo",
            "created": self.created,
            "econ_version": self.econ_version,
            "code": self.code,
            "outputs": self.outputs,
            "inputs": self.inputs,
            "notes": self.notes,
        }
        atomic.write_json(folder / "manifest.json", record)

    def summary_lines(self) -> list[str]:
        verb = "up to date" if self.skipped else "built"
        lines = [f"{self.dataset}: {verb} ({len(self.inputs)} raw files)"]
        for name, out in self.outputs.items():
            lines.append(f"  {name}: {out['rows']:,} rows → {out['path']}")
        lines.extend(f"  note: {note}" for note in self.notes)
        return lines


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def code_hash() -> str:
    """A hash of the econ package's source: panels are rebuilt when the code that makes them changes."""
    digest = hashlib.sha256()
    package = Path(econ.__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".yaml", ".yml", ".csv", ".json"}:
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class RawInputs:
    """The raw files one dataset's panels are built from."""

    census_imports: tuple[Path, ...]
    hts: tuple[Path, ...]
    census_exports: tuple[Path, ...] = ()  # optional: without them there is no exports panel
    # optional, together: the Census HS10 concordance and BEA's NAICS workbook (the industries panel)
    concordances: tuple[Path, ...] = ()

    def all(self) -> tuple[Path, ...]:
        return self.census_imports + self.census_exports + self.hts + self.concordances


def find_inputs(dataset: Dataset) -> RawInputs:
    """Locate the raw files of a dataset; say plainly which sources are missing.

    Real data sit in data/raw/<source>/<vintage>/. Census files are taken from every vintage, a file name
    (one month or year of one query) from its newest vintage only, so a month fetched again is not counted
    twice. The HTS is one revision: the newest vintage's JSON export (its CSV when no JSON is there).
    """
    if dataset == "demo":
        root = paths.demo_dir()
        census = tuple(sorted((root / "census").glob("imports_hs10_*.json")))
        exports = tuple(sorted((root / "census").glob("exports_hs10_*.json")))
        hts = tuple(sorted((root / "hts").glob("*.json")))
        concord_folder = root / "concord"
        hint = "run `econ demo` first"
    else:
        root = paths.raw_dir()
        census = _newest_by_name(root / "census", "*/imports_hs*.json")
        exports = _newest_by_name(root / "census", "*/exports_hs*.json")
        hts = ()
        for vintage in sorted((root / "hts").glob("*/"), reverse=True):
            found = sorted(vintage.glob("*.json")) or sorted(vintage.glob("*.csv"))
            if found:
                hts = (found[-1],)
                break
        concord_folder = root / "concord"
        hint = "run `econ fetch census` and `econ fetch hts`, or drop the agencies' files there (see README)"
    hs_naics = sorted(concord_folder.glob("hs-10d-*imp*.txt")) or sorted(concord_folder.glob("hs-10d-*.txt"))
    bea_naics = sorted(concord_folder.glob("*NAICS*.xlsx"))
    concordances = (hs_naics[-1], bea_naics[-1]) if hs_naics and bea_naics else ()
    missing = [name for name, files in (("census imports", census), ("hts", hts)) if not files]
    if missing:
        raise EconError(f"{dataset} data: no {' and no '.join(missing)} files under {root}; {hint}")
    return RawInputs(census_imports=census, hts=hts, census_exports=exports, concordances=concordances)


def _newest_by_name(folder: Path, pattern: str) -> tuple[Path, ...]:
    newest: dict[str, Path] = {}
    for path in sorted(folder.glob(pattern)):  # vintage folders sort by name, the newest last
        newest[path.name] = path
    return tuple(sorted(newest.values()))


# ----------------------------------------------------------------------------------------------- build


def _read_census(files: Sequence[Path], *, needed: set[str], expected: str) -> pd.DataFrame:
    from econ.sources import census

    frames = []
    for path in files:
        frame = census.read(path)
        absent = needed - set(frame.columns)
        if absent:
            raise InputFormatError(path, f"missing variables {sorted(absent)}", expected=expected)
        frame["source_file"] = path.name
        frames.append(frame)
    data = pd.concat(frames, ignore_index=True)
    duplicated = data.duplicated(["commodity", "partner", "period"], keep=False)
    if duplicated.any():
        first = data[duplicated].iloc[0]
        raise InputFormatError(
            first["source_file"],
            f"duplicate row for HS10 {first['commodity']}, partner {first['partner']}, {first['period']}",
            expected="one row per commodity × country × month across the census files",
        )
    return data


def tariff_lines(inputs: RawInputs) -> pd.DataFrame:
    """The numbered lines of the HTS revision the dataset uses (see TARIFF_LINES_SCHEMA)."""
    from econ.sources import hts

    lines = pd.concat([hts.read(path) for path in inputs.hts], ignore_index=True)
    lines = lines.loc[lines["hts8"].notna().to_numpy()].reset_index(drop=True)
    frame = lines[[c for c in TARIFF_LINES_SCHEMA if c != "chapter99"]].astype(
        {c: "str" for c, kind in TARIFF_LINES_SCHEMA.items() if kind == "str"}
    )
    frame["mfn_ad_valorem"] = lines["mfn_ad_valorem"].astype("float64")
    frame["chapter99"] = [
        list(refs) if isinstance(refs, list | tuple | np.ndarray) else [] for refs in lines["chapter99"]
    ]
    frame["hts10"] = lines["hts10"].astype("str")  # missing on 8-digit lines
    return frame[list(TARIFF_LINES_SCHEMA)]


def schedule(dataset: Dataset = "demo") -> Any:
    """The tariff schedule (`econ.tariffs.Schedule`) of a built dataset, from its processed tariff lines."""
    return _schedule_from_lines(load("tariff_lines", dataset))


def _schedule_from_lines(lines: pd.DataFrame) -> Any:
    from econ.tariffs import Schedule

    hts10 = lines["hts10"].where(lines["hts10"].str.len() == 10)
    products = pd.DataFrame(
        {
            "hs8": lines["hts8"].to_numpy(),
            "hs10": hts10.astype(object).where(hts10.notna(), None).to_numpy(),
            "mfn_ad_valorem": lines["mfn_ad_valorem"].to_numpy(),
            "chapter99": lines["chapter99"].to_numpy(),
        }
    )
    return Schedule(products)


def _trade_keys(raw: pd.DataFrame) -> pd.DataFrame:
    """The keys every trade panel starts with (TRADE_KEYS), from Census rows read by econ.sources.census."""
    bad = raw["commodity"].str.len() != 10
    if bad.any():
        row = raw[bad].iloc[0]
        raise InputFormatError(
            row["source_file"], f"commodity {row['commodity']!r} is not an HS10 code", expected="10 digits"
        )
    hs10 = raw["commodity"].astype(str)
    return pd.DataFrame(
        {
            "hs10": hs10,
            "hs8": hs10.str[:8],
            "hs6": hs10.str[:6],
            "chapter": hs10.str[:2],
            "partner": raw["partner"].astype(str),
            "partner_name": raw.get("partner_name", raw["partner"]).astype(str),
            "month": raw["period"].dt.to_timestamp(),
        }
    )


def _month_id(month: pd.Series) -> pd.Series:
    """year·12 + month − 1: consecutive integers, so differences in months are differences of ids."""
    return (month.dt.year * 12 + month.dt.month - 1).astype("int32")


def imports_panel(raw: pd.DataFrame, lines: pd.DataFrame) -> pd.DataFrame:
    """The imports panel from Census imports/hs rows and the HTS lines (see the module docstring)."""
    panel = _trade_keys(raw).assign(
        value=raw["con_val_mo"].astype("float64"),
        general_value=raw.get("gen_val_mo", raw["con_val_mo"]).astype("float64"),
        duty=raw["cal_dut_mo"].astype("float64"),
        # Census collects no quantity for some lines (unit X); a file may lack the variable altogether.
        quantity=raw.get("con_qy1_mo", pd.Series(0.0, index=raw.index)).astype("float64"),
        quantity_unit=raw.get("unit_qy1", pd.Series("", index=raw.index)).astype(str),
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        quantity = panel["quantity"].where(panel["quantity"] > 0)
        panel["unit_value"] = panel["value"] / quantity
        panel["unit_value_incl_duty"] = (panel["value"] + panel["duty"]) / quantity
        panel["collected_rate"] = panel["duty"] / panel["value"].where(panel["value"] > 0)

    rates = _schedule_from_lines(lines).monthly_rates(panel[["hs10", "hs8", "partner", "month"]])
    for layer in TARIFF_LAYERS:
        panel[layer] = rates[layer].to_numpy(dtype="float64")
    panel["statutory_rate"] = rates["total"].to_numpy(dtype="float64")

    panel["product_id"] = pd.factorize(panel["hs10"], sort=True)[0].astype("int32")
    panel["partner_id"] = pd.factorize(panel["partner"], sort=True)[0].astype("int16")
    panel["month_id"] = _month_id(panel["month"])
    panel = panel.sort_values(["hs10", "partner", "month"], ignore_index=True)
    return panel[list(IMPORTS_SCHEMA)]


def industries_panel(
    imports: pd.DataFrame, hs_naics: Path, bea_naics: Path
) -> tuple[pd.DataFrame, list[Any]]:
    """HS10 → NAICS → BEA summary and detail for every HS10 line of the imports panel, with the match
    reports (shares of import value matched exactly, through a parent code, and not at all)."""
    from econ import concord

    lines = imports.groupby("hs10", as_index=False, observed=True)["value"].sum()
    with_naics, naics_report = concord.hs10_to_naics(lines, concord.read_hs_naics(hs_naics))
    bea = concord.read_bea_naics(bea_naics)
    with_summary, summary_report = concord.naics_to_bea(with_naics, bea, level="summary")
    with_detail, _ = concord.naics_to_bea(with_naics, bea, level="detail")
    table = pd.DataFrame(
        {
            "hs10": lines["hs10"].astype(str),
            "naics": with_naics["naics"].astype(str),
            "naics_match": with_naics["naics_match"].astype(str),
            "bea_summary": with_summary["bea_summary"].astype(str),
            "bea_detail": with_detail["bea_detail"].astype(str),
            "bea_match": with_summary["bea_match"].astype(str),
        }
    )
    return table[list(INDUSTRIES_SCHEMA)], [naics_report, summary_report]


def available(dataset: Dataset = "demo") -> set[str]:
    """The processed panels a built dataset has (the industries panel needs concordance files)."""
    return set(manifest(dataset).outputs)


def exports_panel(raw: pd.DataFrame, lines: pd.DataFrame) -> pd.DataFrame:
    """The exports panel from Census exports/hs rows: value and China's retaliatory tariff."""
    panel = _trade_keys(raw).assign(value=raw["all_val_mo"].astype("float64"))
    rates = _schedule_from_lines(lines).monthly_rates(
        panel[["hs10", "hs8", "partner", "month"]], flow="exports"
    )
    panel["china_retaliation"] = rates["china_retaliation"].to_numpy(dtype="float64")
    panel["month_id"] = _month_id(panel["month"])
    panel = panel.sort_values(["hs10", "partner", "month"], ignore_index=True)
    return panel[list(EXPORTS_SCHEMA)]


def check_schema(frame: pd.DataFrame, name: str, *, where: str) -> None:
    """Raise SchemaError unless `frame` has exactly the columns and types of panel `name`."""
    schema = SCHEMAS[name]
    problems = []
    missing = [col for col in schema if col not in frame.columns]
    if missing:
        problems.append(f"missing columns {missing}")
    extra = [col for col in frame.columns if col not in schema]
    if extra:
        problems.append(f"unexpected columns {extra}")
    for col, kind in schema.items():
        if col not in frame.columns:
            continue
        dtype = frame[col].dtype
        ok = {
            "str": pd.api.types.is_string_dtype(dtype) or pd.api.types.is_object_dtype(dtype),
            "datetime": pd.api.types.is_datetime64_any_dtype(dtype),
            "float64": dtype == np.float64,
            "list": pd.api.types.is_object_dtype(dtype),
        }.get(kind, str(dtype) == kind)
        if not ok:
            problems.append(f"column {col!r} is {dtype}, expected {kind}")
    if problems:
        raise SchemaError(f"{where}: panel {name!r} does not match its schema: " + "; ".join(problems))


def build(*, dataset: Dataset = "demo", force: bool = False) -> Manifest:
    """Build the processed panels of `dataset`; skip when inputs and code are unchanged (unless `force`)."""
    if dataset not in DATASETS:
        raise EconError(f"unknown dataset {dataset!r}; expected one of {', '.join(DATASETS)}")
    with home_lock("build"):
        if dataset == "demo":  # an `econ demo` killed mid-swap: finish it before reading the world
            atomic.recover_folder(paths.demo_dir(), complete="truth.json")
        folder = paths.processed_dir() / dataset
        atomic.recover_folder(folder, complete=_MARKER)
        inputs = find_inputs(dataset)
        input_hashes = {str(_relative(p)): sha256_file(p) for p in inputs.all()}
        code = code_hash()
        try:
            previous = Manifest.read(folder)
        except IntegrityError as error:
            log.warning("%s; rebuilding", error)
            previous = None
        if not force and previous is not None and previous.inputs == input_hashes and previous.code == code:
            try:
                verify(previous, folder)
            except IntegrityError as error:
                log.warning("%s; rebuilding", error)
            else:
                previous.skipped = True
                return previous

        lines = tariff_lines(inputs)
        raw = _read_census(
            inputs.census_imports,
            needed={"commodity", "partner", "period", "con_val_mo", "cal_dut_mo"},
            expected="an imports/hs response with CON_VAL_MO, CAL_DUT_MO, CTY_CODE and time",
        )
        imports = imports_panel(raw, lines)
        panels = [("tariff_lines", lines), ("imports", imports)]
        if inputs.census_exports:
            raw = _read_census(
                inputs.census_exports,
                needed={"commodity", "partner", "period", "all_val_mo"},
                expected="an exports/hs response with ALL_VAL_MO, CTY_CODE and time",
            )
            panels.append(("exports", exports_panel(raw, lines)))
        notes: list[str] = []
        if inputs.concordances:
            table, reports = industries_panel(imports, *inputs.concordances)
            panels.append(("industries", table))
            notes += [str(report) for report in reports]
        else:
            notes.append("no concordance files under concord/: no industries panel (NAICS, BEA)")
        for name, frame in panels:
            check_schema(frame, name, where="econ build")
        # Everything is written into a staging folder first and swapped in as a whole, so a build killed
        # at any moment leaves the previous panels and their manifest together, never a new Parquet file
        # beside the old manifest.
        staging = atomic.staging_folder(folder)
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        try:
            outputs: dict[str, dict[str, Any]] = {}
            for name, frame in panels:
                out = staging / f"{name}.parquet"
                atomic.write_parquet(frame, out)
                outputs[name] = {"path": out.name, "sha256": sha256_file(out), "rows": len(frame)}
            outputs["imports"]["months"] = [
                imports["month"].min().strftime("%Y-%m"),
                imports["month"].max().strftime("%Y-%m"),
            ]
            manifest = Manifest(
                dataset=dataset,
                outputs=outputs,
                inputs=input_hashes,
                code=code,
                created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                notes=notes,
            )
            manifest.write(staging)  # last: a staging folder with a manifest is complete
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)  # a failed (not killed) build leaves nothing behind
            raise
        atomic.swap_folder(staging, folder)
        return manifest


# The commit protocol of a build is econ.atomic's folder swap: the panels and then manifest.json are
# written into data/processed/.demo.new/, which replaces data/processed/demo/ as a whole. A build killed
# at any moment leaves readers one complete set (`atomic.committed_folder` finds it even in the instant
# between the two renames); the next build finishes or discards what the kill left (`atomic.recover_folder`).
_MARKER = "manifest.json"


def _relative(path: Path) -> Path:
    try:
        return path.resolve().relative_to(paths.raw_dir().resolve())
    except ValueError:
        return path


# ------------------------------------------------------------------------------------------------ load


def verify(manifest: Manifest, folder: Path, names: Iterable[str] | None = None) -> None:
    """Check each output's sha256 against the manifest; raise IntegrityError naming the first bad file."""
    for name in names or manifest.outputs:
        record = manifest.outputs[name]
        path = folder / record["path"]
        if not path.exists():
            raise IntegrityError(f"{path}: missing (the manifest lists it); run `econ build`")
        if sha256_file(path) != record["sha256"]:
            raise IntegrityError(
                f"{path}: contents do not match the manifest's hash (corrupted, truncated or edited); "
                "run `econ build --force`"
            )


def manifest(dataset: Dataset = "demo") -> Manifest:
    """The manifest of a built dataset (raises if the dataset has not been built)."""
    folder = atomic.committed_folder(paths.processed_dir() / dataset, complete=_MARKER)
    found = Manifest.read(folder)
    if found is None:
        hint = "econ demo && econ build" if dataset == "demo" else "econ build --data real"
        raise EconError(f"no processed {dataset} data under {folder}; run `{hint}`")
    return found


def dataset_note(dataset: Dataset) -> str:
    """One paragraph (Markdown) saying what data a report stands on — plainly synthetic for the demo."""
    found = manifest(dataset)
    if dataset == "demo":
        return (
            "**Synthetic demo data — not real statistics.** This report runs on the demo world written by "
            "`econ demo`: made-up trade flows in the Census and USITC formats, calibrated to published 2024 "
            "totals, with known true parameters. Its figures illustrate the method, not the US economy. "
            f"(Built {found.created}.)"
        )
    return f"Real data: Census and USITC files under data/raw/, built {found.created}."


def load(name: str, dataset: Dataset = "demo", *, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Read processed panel `name` of `dataset`, after checking its hash against the manifest."""
    if name not in SCHEMAS:
        raise EconError(f"unknown panel {name!r}; expected one of {', '.join(SCHEMAS)}")
    folder = atomic.committed_folder(paths.processed_dir() / dataset, complete=_MARKER)
    found = manifest(dataset)
    if name not in found.outputs:
        raise EconError(f"{folder / 'manifest.json'}: no panel {name!r}; run `econ build --data {dataset}`")
    verify(found, folder, [name])
    path = folder / found.outputs[name]["path"]
    unknown = [c for c in columns or () if c not in SCHEMAS[name]]
    if unknown:
        raise EconError(f"panel {name!r} has no columns {unknown}; it has {list(SCHEMAS[name])}")
    try:
        frame = pq.read_table(path, columns=list(columns) if columns else None).to_pandas()
    except (OSError, ValueError) as error:
        raise IntegrityError(f"{path}: unreadable Parquet ({error}); run `econ build --force`") from None
    if columns is None:
        check_schema(frame, name, where=str(path))
    return frame
