"""Builders of the trade panels from rows the readers give: imports, exports, industries, tariff lines.

Pure functions of frames: nothing here opens a file except through `econ.sources` readers handed a path
by `econ.panel.build`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import polars as pl

from econ.errors import InputFormatError, SchemaError
from econ.panel.schemas import (
    EXPORTS_SCHEMA,
    IMPORTS_ANNUAL_SCHEMA,
    IMPORTS_NAICS_SCHEMA,
    IMPORTS_SCHEMA,
    INDUSTRIES_SCHEMA,
    TARIFF_LAYERS,
    TARIFF_LINES_SCHEMA,
)
from econ.tariffs.engine import with_exclusion_references


def tariff_lines(files: Sequence[Path], *, strict: bool = False) -> tuple[pd.DataFrame, list[str]]:
    """The numbered lines of the HTS revision the dataset uses (see TARIFF_LINES_SCHEMA), and what the
    reader could not understand (rate texts it has never seen: their lines' MFN stays unknown, not 0)."""
    from econ.sources import hts
    from econ.sources.notes import notes_of

    frames = [hts.read(path, strict=strict) for path in files]
    notes = [note.message for frame in frames for note in notes_of(frame)]
    lines = pd.concat(frames, ignore_index=True)
    lines = lines.loc[lines["hts8"].notna().to_numpy()].reset_index(drop=True)
    frame = lines[[c for c in TARIFF_LINES_SCHEMA if c != "chapter99"]].astype(
        {c: "str" for c, kind in TARIFF_LINES_SCHEMA.items() if kind == "str"}
    )
    frame["mfn_ad_valorem"] = lines["mfn_ad_valorem"].astype("float64")
    # Section 301 references, and the product-exclusion headings the HTS prints on the description.
    frame["chapter99"] = with_exclusion_references(lines)
    frame["hts10"] = lines["hts10"].astype("str")  # missing on 8-digit lines
    return frame[list(TARIFF_LINES_SCHEMA)], notes


def schedule_from_lines(lines: pd.DataFrame) -> Any:
    """An `econ.tariffs.Schedule` built in memory from processed tariff lines."""
    from econ.tariffs import Schedule

    return Schedule.from_lines(lines)


def trade_keys(raw: pd.DataFrame) -> pd.DataFrame:
    """The keys every trade panel starts with (TRADE_KEYS), from Census rows read by econ.sources.census.

    Codes are cut and checked once per distinct code and spread over the rows (a year of HS10 imports
    has some 4 million rows and 20 thousand codes)."""
    product, codes = pd.factorize(raw["commodity"].astype(str))
    codes = pd.Index(codes, dtype=object)
    bad = codes.str.len() != 10
    if bad.any():
        row = raw[product == int(np.flatnonzero(bad)[0])].iloc[0]
        raise InputFormatError(
            row["source_file"], f"commodity {row['commodity']!r} is not an HS10 code", expected="10 digits"
        )
    partner, partners = pd.factorize(raw["partner"].astype(str))
    names = raw.get("partner_name", raw["partner"]).astype(str)
    return pd.DataFrame(
        {
            "hs10": _spread(codes, product),
            "hs8": _spread(codes.str.slice(0, 8), product),
            "hs6": _spread(codes.str.slice(0, 6), product),
            "chapter": _spread(codes.str.slice(0, 2), product),
            "partner": _spread(pd.Index(partners, dtype=object), partner),
            "partner_name": names.array,
            "month": months(raw["period"]),
        },
        index=raw.index,
    )


def _spread(values: pd.Index, codes: np.ndarray) -> Any:
    """Each row's value from the distinct values and the rows' positions into them (a text array)."""
    return pd.array(np.asarray(values, dtype=object), dtype="str").take(codes)


def months(period: pd.Series) -> pd.Series:
    """First days of months, from the readers' monthly periods or the timestamps the build stores."""
    if isinstance(period.dtype, pd.PeriodDtype):
        return period.dt.to_timestamp()
    return pd.to_datetime(period)


def month_id(month: pd.Series) -> pd.Series:
    """year·12 + month − 1: consecutive integers, so differences in months are differences of ids."""
    return (month.dt.year * 12 + month.dt.month - 1).astype("int32")


def imports_panel(
    raw: pd.DataFrame | pl.DataFrame,
    lines: pd.DataFrame,
    *,
    schedule: Any = None,
    product_ids: pd.Series | None = None,
    partner_ids: pd.Series | None = None,
) -> pd.DataFrame:
    """The imports panel from Census imports/hs rows and the HTS lines (see econ.panel.schemas).

    A build that makes the panel a year at a time passes the `schedule` it built once from `lines`, and the
    integer ids of every HS10 code and partner of the whole dataset (code → id), so that ids mean the
    same in every year; without them they are numbered over `raw` alone.
    """
    frame = imports_panel_frame(
        raw, lines, schedule=schedule, product_ids=product_ids, partner_ids=partner_ids
    )
    return frame.to_pandas()


def imports_panel_frame(
    raw: pd.DataFrame | pl.DataFrame,
    lines: pd.DataFrame,
    *,
    schedule: Any = None,
    product_ids: pd.Series | None = None,
    partner_ids: pd.Series | None = None,
) -> pl.DataFrame:
    """`imports_panel` as a polars frame, which `econ build` writes to Parquet without a pandas copy.

    The rows are numbered and sorted by integer keys and their columns made in polars, and the schedule
    reads the keys as categories (each distinct code looked up once): a year of a full HS10 pull is some
    4 million rows."""
    if isinstance(raw, pd.DataFrame):
        raw = raw.reset_index(drop=True).assign(period=months(raw["period"]).to_numpy())
    rows = raw if isinstance(raw, pl.DataFrame) else pl.from_pandas(raw)
    _check_hs10(rows)
    codes = _code_list(rows["commodity"], product_ids)
    partner_list = _code_list(rows["partner"], partner_ids)
    month = pl.col("period").dt.year().cast(pl.Int64) * 12 + pl.col("period").dt.month() - 1
    rows = rows.with_columns(
        _product=_positions(pl.col("commodity"), codes),
        _partner=_positions(pl.col("partner"), partner_list),
        _month=month,
    )
    unknown = rows.filter(pl.col("_product").is_null() | pl.col("_partner").is_null())
    if unknown.height:
        row = unknown.row(0, named=True)
        raise SchemaError(
            f"imports_panel: line {row['commodity']} or partner {row['partner']} is not among the ids "
            "given (product_ids, partner_ids must number every code of the rows)"
        )
    month_ids = rows["_month"].to_numpy()
    low = int(month_ids.min()) if len(month_ids) else 0
    span = int(month_ids.max()) - low + 1 if len(month_ids) else 1
    rows = rows.sort(
        (pl.col("_product") * len(partner_list) + pl.col("_partner")) * span + (pl.col("_month") - low)
    )
    value = "con_val" if "con_val" in rows.columns else "gen_val"
    has = set(rows.columns)
    quantity = pl.col("quantity")
    positive = pl.when(quantity > 0).then(quantity)
    panel = rows.select(
        hs10=pl.col("commodity").cast(pl.String),
        hs8=pl.col("commodity").str.slice(0, 8),
        hs6=pl.col("commodity").str.slice(0, 6),
        chapter=pl.col("commodity").str.slice(0, 2),
        partner=pl.col("partner").cast(pl.String),
        partner_name=pl.col("partner_name" if "partner_name" in has else "partner").cast(pl.String),
        month=pl.col("period").cast(pl.Datetime("us")),
        value=pl.col(value).cast(pl.Float64),
        general_value=pl.col("gen_val" if "gen_val" in has else value).cast(pl.Float64),
        # Calculated duty is only published with imports for consumption; without it, NaN (not zero).
        duty=pl.col("cal_dut").cast(pl.Float64) if "cal_dut" in has else pl.lit(float("nan")),
        # Census collects no quantity for some lines (unit X); a file may lack the variable altogether.
        quantity=pl.col("con_qy1").cast(pl.Float64) if "con_qy1" in has else pl.lit(0.0),
        quantity_unit=pl.col("unit_qy1").cast(pl.String) if "unit_qy1" in has else pl.lit(""),
    ).with_columns(
        unit_value=pl.col("value") / positive,
        unit_value_incl_duty=(pl.col("value") + pl.col("duty")) / positive,
        collected_rate=pl.col("duty") / pl.when(pl.col("value") > 0).then(pl.col("value")),
    )
    product = rows["_product"].to_numpy().astype(np.int32)
    partner = rows["_partner"].to_numpy().astype(np.int32)
    keys = pd.DataFrame(
        {
            "hs10": pd.Categorical.from_codes(product, categories=pd.Index(codes, dtype=object)),
            "hs8": _categories([code[:8] for code in codes], product),
            "partner": pd.Categorical.from_codes(partner, categories=pd.Index(partner_list, dtype=object)),
            "month": panel["month"].to_numpy(),
        }
    )
    from econ.tariffs import ad_valorem_equivalents

    # Specific and compound duties at their ad valorem equivalents from this panel's own unit values.
    ave = ad_valorem_equivalents(
        keys.assign(
            value=panel["value"].to_numpy(),
            quantity=panel["quantity"].to_numpy(),
            quantity_unit=panel["quantity_unit"].to_pandas(),
        ),
        lines,
    )
    schedule = schedule if schedule is not None else schedule_from_lines(lines)
    rates = schedule.monthly_rates(keys, ave=ave)
    columns: dict[str, Any] = {layer: rates[layer].to_numpy(dtype="float64") for layer in TARIFF_LAYERS}
    columns["statutory_rate"] = rates["total"].to_numpy(dtype="float64")
    columns["statutory_rate_after_preferences"] = rates["total_after_preferences"].to_numpy(dtype="float64")
    for column in ("section301_exclusion", "mfn_ave"):
        columns[column] = rates[column].to_numpy(dtype="float64")
    for column in ("mfn_is_ave", "de_minimis"):
        columns[column] = rates[column].to_numpy(dtype=bool)
    columns["tariff_projection"] = rates["projection"].to_numpy(dtype=bool)
    del rates, keys
    columns["product_id"] = _ids(product, codes, product_ids).astype("int32")
    columns["partner_id"] = _ids(partner, partner_list, partner_ids).astype("int16")
    columns["month_id"] = rows["_month"].to_numpy().astype("int32")
    panel = panel.with_columns([pl.Series(name, values) for name, values in columns.items()])
    # Missing, not NaN, in Parquet (as pandas writes it); either reads back as NaN in pandas.
    return panel.select(list(IMPORTS_SCHEMA)).with_columns(pl.col(pl.Float64).fill_nan(None))


def _check_hs10(rows: pl.DataFrame) -> None:
    # (`econ build` sorts files by their codes' lengths first: there a bad code never gets this far)
    bad = rows.filter(pl.col("commodity").str.len_chars() != 10)
    if bad.height:
        row = bad.row(0, named=True)
        raise InputFormatError(
            row.get("source_file") or "the imports rows",
            f"commodity {row['commodity']!r} is not an HS10 code",
            expected="10 digits",
        )


def _categories(values: list[str], positions: np.ndarray) -> pd.Categorical:
    """A categorical column of each row's value, from one value per distinct code (values may repeat)."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object))
    return pd.Categorical.from_codes(
        codes.astype(np.int32)[positions], categories=pd.Index(list(uniques), dtype=object)
    )


def _code_list(column: pl.Series, known: pd.Series | None) -> list[str]:
    """The codes rows are numbered by, sorted: those of `known` (code → id) where given (every code of
    the dataset), else the distinct codes of `column`."""
    if known is not None:
        return sorted(str(code) for code in known.index)
    return column.cast(pl.String).unique().sort().to_list()


def _positions(column: pl.Expr, codes: list[str]) -> pl.Expr:
    """Each row's position in `codes` (null for a code not among them)."""
    return column.cast(pl.String).replace_strict(
        codes, list(range(len(codes))), default=None, return_dtype=pl.Int64
    )


def _ids(positions: np.ndarray, codes: list[str], known: pd.Series | None) -> np.ndarray:
    """Each row's integer id: from `known` (code → id) where given, else its code's position."""
    if known is None:
        return positions
    return np.asarray(known.set_axis(known.index.astype(str)).reindex(codes).to_numpy())[positions]


def _values(raw: pd.DataFrame) -> dict[str, pd.Series]:
    """Value, general value, duty, quantity and its unit from Census import rows (suffixes removed)."""
    value_column = "con_val" if "con_val" in raw.columns else "gen_val"
    zero = pd.Series(0.0, index=raw.index)
    return {
        "value": raw[value_column].astype("float64"),
        "general_value": raw.get("gen_val", raw[value_column]).astype("float64"),
        # Calculated duty is only published with imports for consumption; without it, NaN (not zero).
        "duty": raw.get("cal_dut", pd.Series(np.nan, index=raw.index)).astype("float64"),
        # Census collects no quantity for some lines (unit X); a file may lack the variable altogether.
        "quantity": raw.get("con_qy1", zero).astype("float64"),
        "quantity_unit": raw.get("unit_qy1", pd.Series("", index=raw.index)).astype(str),
    }


def _rate(duty: pd.Series, value: pd.Series) -> pd.Series:
    with np.errstate(divide="ignore", invalid="ignore"):
        return duty / value.where(value > 0)


def imports_annual_panel(raw: pd.DataFrame) -> pd.DataFrame:
    """Annual or year-to-date imports by HS10 × partner (see econ.panel.schemas.IMPORTS_ANNUAL_SCHEMA)."""
    keys = trade_keys(raw)
    through = keys.pop("month")
    panel = keys.assign(
        year=through.dt.year.astype("int32"),
        through=through,
        months=through.dt.month.astype("int32"),
        **_values(raw),
    )
    panel["collected_rate"] = _rate(panel["duty"], panel["value"])
    panel = panel.sort_values(["hs10", "partner", "year"], ignore_index=True)
    return panel[list(IMPORTS_ANNUAL_SCHEMA)]


def imports_naics_panel(raw: pd.DataFrame) -> pd.DataFrame:
    """Imports by NAICS × partner × month (see econ.panel.schemas.IMPORTS_NAICS_SCHEMA)."""
    codes = raw["commodity"].astype(str)
    bad = ~codes.str.fullmatch(r"\d{3,6}")
    if bad.any():
        row = raw[bad].iloc[0]
        raise InputFormatError(
            row["source_file"],
            f"NAICS code {row['commodity']!r} is not 3 to 6 digits",
            expected="a NAICS code",
        )
    names = next((raw[c] for c in ("naics_sdesc", "naics_ldesc") if c in raw.columns), None)
    values = _values(raw)
    panel = pd.DataFrame(
        {
            "naics": codes,
            "naics_level": codes.str.len().astype("int32"),
            "naics_name": (names if names is not None else pd.Series("", index=raw.index)).astype(str),
            "partner": raw["partner"].astype(str),
            "partner_name": raw.get("partner_name", raw["partner"]).astype(str),
            "month": months(raw["period"]),
            "value": values["value"],
            "general_value": values["general_value"],
            "duty": values["duty"],
        }
    )
    panel["collected_rate"] = _rate(panel["duty"], panel["value"])
    panel["product_id"] = pd.factorize(panel["naics"], sort=True)[0].astype("int32")
    panel["partner_id"] = pd.factorize(panel["partner"], sort=True)[0].astype("int16")
    panel["month_id"] = month_id(panel["month"])
    panel = panel.sort_values(["naics", "partner", "month"], ignore_index=True)
    return panel[list(IMPORTS_NAICS_SCHEMA)]


def exports_panel(raw: pd.DataFrame, lines: pd.DataFrame) -> pd.DataFrame:
    """The exports panel from Census exports/hs rows: value and China's retaliatory tariff."""
    panel = trade_keys(raw).assign(value=raw["all_val"].astype("float64"))
    rates = schedule_from_lines(lines).monthly_rates(
        panel[["hs10", "hs8", "partner", "month"]], flow="exports"
    )
    panel["china_retaliation"] = rates["china_retaliation"].to_numpy(dtype="float64")
    panel["month_id"] = month_id(panel["month"])
    panel = panel.sort_values(["hs10", "partner", "month"], ignore_index=True)
    return panel[list(EXPORTS_SCHEMA)]


def industries_panel(
    imports: pd.DataFrame, hs_naics: Path, bea_naics: Path
) -> tuple[pd.DataFrame, list[Any]]:
    """HS10 → NAICS → BEA summary and detail for every HS10 line of the imports panel, with the match
    reports (shares of import value matched exactly, through a parent code, and not at all)."""
    from econ import concord

    lines = imports.groupby("hs10", observed=True)["value"].sum().reset_index()
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
