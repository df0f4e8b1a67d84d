"""The catalog: everything a notebook or a model reads, from data/processed/<dataset>/ and its manifest.

Notebooks and models never open anything under data/raw. They ask the catalog:

    panel.load("imports", dataset)        # a Parquet panel, its hash checked against the manifest
    panel.io_tables(dataset)              # Use, Make and Import tables (BEA's, or the embedded aggregate)
    panel.truth(dataset)                  # the demo world's true parameters (demo datasets only)
    panel.schedule(dataset)               # the tariff schedule rebuilt from the processed tariff lines
    panel.dataset_note(dataset)           # one paragraph saying what the data are (synthetic or real)
    panel.rests_on(dataset, ["imports"])  # partners, months, vintages and coverage a report stands on
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from econ.errors import EconError, IntegrityError
from econ.formatting import markdown_text
from econ.manifest import Dataset, DatasetManifest, dataset_folder, dataset_manifest
from econ.panel import input_output, trade
from econ.panel.coverage import lines as coverage_lines
from econ.panel.schemas import SCHEMAS, check_schema


def manifest(dataset: Dataset = "demo") -> DatasetManifest:
    """The manifest of a built dataset (raises, saying how to build it, if there is none)."""
    return dataset_manifest(dataset)


def available(dataset: Dataset = "demo") -> set[str]:
    """The outputs a built dataset has (the industries panel needs concordance files, exports its files)."""
    return set(manifest(dataset).outputs)


def _verified_files(name: str, dataset: Dataset) -> list[Path]:
    """The files of output `name` (one, or one per year), each checked against the manifest's hash."""
    folder = dataset_folder(dataset)
    found = manifest(dataset)
    if name not in found.outputs:
        raise EconError(
            f"{folder / 'manifest.json'}: no {name!r} in dataset {dataset}; run `econ build --data {dataset}`"
        )
    found.verify(folder, [name])
    return [path for path, _ in found.files(folder, name)]


def load(
    name: str,
    dataset: Dataset = "demo",
    *,
    columns: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Read processed panel `name` of `dataset`, after checking its hash against the manifest.

    `columns` reads only those; `years` (for a panel kept one file per year, the imports) only those
    years — what a notebook on the full real dataset reads instead of all of it.
    """
    if name not in SCHEMAS:
        raise EconError(f"unknown panel {name!r}; expected one of {', '.join(SCHEMAS)}")
    unknown = [c for c in columns or () if c not in SCHEMAS[name]]
    if unknown:
        raise EconError(f"panel {name!r} has no columns {unknown}; it has {list(SCHEMAS[name])}")
    files = _verified_files(name, dataset)
    if years is not None:
        wanted = {f"{year}.parquet" for year in years}
        files = [path for path in files if path.name in wanted]
    tables = []
    for path in files:
        try:
            tables.append(pq.read_table(path, columns=list(columns) if columns else None))
        except (OSError, ValueError) as error:
            raise IntegrityError(f"{path}: unreadable Parquet ({error}); run `econ build --force`") from None
    if not tables:  # years the panel does not have: its columns, no rows
        frame = pq.read_table(_verified_files(name, dataset)[0], columns=list(columns) if columns else None)
        frame = frame.slice(0, 0).to_pandas()
    else:
        frame = pa.concat_tables(tables).to_pandas()
    if columns is None:
        check_schema(frame, name, where=str(files[0] if files else name))
    return frame


def io_tables(dataset: Dataset = "demo") -> input_output.IOTables:
    """The dataset's input-output tables, with what they are (``source``, ``embedded``)."""
    frame = load("io_tables", dataset)
    return input_output.from_frame(frame, manifest(dataset).outputs["io_tables"])


def truth(dataset: Dataset = "demo") -> dict[str, Any]:
    """The demo world's truth.json (true parameters under "parameters"); an error for real data."""
    if dataset == "real":
        raise EconError("the real dataset has no true parameters: only a demo world has a truth.json")
    [path] = _verified_files("truth", dataset)
    return dict(json.loads(path.read_text(encoding="utf-8")))


def schedule(dataset: Dataset = "demo") -> Any:
    """The tariff schedule (`econ.tariffs.Schedule`) of a built dataset, from its processed tariff lines."""
    return trade.schedule_from_lines(load("tariff_lines", dataset))


def rests_on(
    dataset: Dataset, outputs: Sequence[str], *, partner_names: Mapping[str, str] | None = None
) -> str:
    """What a report stands on, in Markdown, from the manifest alone: for each of `outputs` the dataset
    has, its rows, partners (named where `partner_names` gives them), months or years and level; the
    vintage folders of the raw files it was built from, by source; and the build's coverage lines."""
    found = manifest(dataset)
    lines = []
    for name in outputs:
        record = found.outputs.get(name)
        if record is None:
            continue
        panel = found.coverage.get("panels", {}).get(name)
        if panel:
            codes = [str(code) for code in panel.get("partner_codes", [])]
            shown = ", ".join(_partner(code, partner_names) for code in codes)
            first, last = panel["period"]
            lines.append(
                f"* `{name}`: {panel['rows']:,} rows, {len(codes)} partners ({shown}), {first} to {last}, "
                f"{panel['products']:,} {panel['level']} codes"
            )
        elif name == "io_tables":
            kind = "embedded in econ" if record.get("embedded") else "BEA's files"
            lines.append(
                f"* `io_tables`: {markdown_text(record.get('source'))} ({record.get('level')} level, "
                f"{record.get('industries')} industries, {record.get('year')}; {kind})"
            )
        else:
            lines.append(f"* `{name}`: {record.get('rows', 0):,} rows")
    vintages: dict[str, dict[str, int]] = {}
    for path in found.inputs:
        parts = Path(path).parts
        if len(parts) >= 3:
            vintages.setdefault(parts[0], {}).setdefault(parts[1], 0)
            vintages[parts[0]][parts[1]] += 1
        elif len(parts) == 2:
            vintages.setdefault(parts[0], {}).setdefault("(no vintage folder)", 0)
            vintages[parts[0]]["(no vintage folder)"] += 1
    if vintages:
        lines.append(
            "* raw files by source and vintage: "
            + "; ".join(
                f"{source} " + ", ".join(f"{v} ({n} files)" for v, n in sorted(folders.items()))
                for source, folders in sorted(vintages.items())
            )
        )
    joins = {key: value for key, value in found.coverage.items() if key != "panels"}  # panels: above
    # coverage lines quote codes and file names from the data: escaped like every text from a file
    lines += [f"* {markdown_text(line)}" for line in coverage_lines(joins)]
    return f"**The data this report rests on** (built {found.created}):\n\n" + "\n".join(lines)


def _partner(code: str, given: Mapping[str, str] | None) -> str:
    """A partner by name, escaped (names come from data files): the name the notebook gives (Census
    spells them in capitals), else the Census country list's, else the code (an ISO code of Comtrade)."""
    from econ import names

    name = (given or {}).get(code)
    if name:
        name = name.title() if name.isupper() else name
    elif code.isdigit():
        name = names.country(code)
    else:
        name = code
    return markdown_text(name)


def dataset_note(dataset: Dataset) -> str:
    """One paragraph (Markdown) saying what data a report stands on — plainly synthetic for the demo."""
    found = manifest(dataset)
    world = truth(dataset).get("world") if "truth" in found.outputs else None
    if world == "structural":
        return (
            "**Synthetic demo data — not real statistics.** This report runs on the *structural* demo world: "
            "made-up trade flows in the Census and USITC formats from a "
            "data-generating process the estimators did not write (exporters' prices adjusting with lags, "
            "anticipation, inventories, code changes, exclusions), with its own tariff table and known true "
            f"effects. Its figures test the methods, not the US economy. (Built {found.created}.)"
        )
    if found.synthetic:
        return (
            "**Synthetic demo data — not real statistics.** This report runs on the package's demo world: "
            "made-up trade flows in the Census and USITC formats, calibrated to published 2024 "
            "totals, with known true parameters. Its figures illustrate the method, not the US economy. "
            f"(Built {found.created}.)"
        )
    return f"Real data: Census and USITC files under data/raw/, built {found.created}."
