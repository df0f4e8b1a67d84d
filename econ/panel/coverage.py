"""What a build built and what did not match, in numbers a reader can check.

For each trade panel: rows, partners, months (or years), products and value. For the joins the panels
rest on: the import value whose HS10 code is not a line of the HTS revision used (and how much of it found
its HS8 line instead), and the value that found no NAICS industry or no BEA industry — each with the
largest codes by value. `econ build` writes these into the manifest (``coverage``), prints them, and every
report's data section shows them.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import polars as pl

TOP = 10
"""How many of the largest unmatched codes are listed."""


def trade_coverage(panel: pd.DataFrame, *, product: str, period: str = "month") -> dict[str, Any]:
    """Rows, partners, periods, products and value of one trade panel."""
    periods = panel[period]
    if pd.api.types.is_datetime64_any_dtype(periods):
        first, last = (
            (periods.min().strftime("%Y-%m"), periods.max().strftime("%Y-%m")) if len(panel) else ("", "")
        )
    else:
        first, last = (str(periods.min()), str(periods.max())) if len(panel) else ("", "")
    value = panel["value"].astype("float64")
    by_partner = value.groupby(panel["partner"]).sum().sort_values(ascending=False)
    record: dict[str, Any] = {
        "rows": len(panel),
        "partners": len(by_partner),
        "partner_codes": [str(code) for code in by_partner.index],
        "period": [first, last],
        "products": int(panel[product].nunique()),
        "level": product,
        "value": float(value.sum()),
    }
    if "duty" in panel.columns:
        record["duty"] = float(panel["duty"].sum(min_count=1)) if panel["duty"].notna().any() else None
    return record


def trade_coverage_lazy(panel: pl.LazyFrame, *, product: str) -> dict[str, Any]:
    """`trade_coverage` of a monthly panel too large to hold, computed by polars over its files."""
    totals = (
        panel.select(
            pl.len().alias("rows"),
            pl.col("month").min().alias("first"),
            pl.col("month").max().alias("last"),
            pl.col(product).n_unique().alias("products"),
            pl.col("value").sum().alias("value"),
            pl.col("duty").sum().alias("duty"),
        )
        .collect()
        .row(0, named=True)
    )
    by_partner = panel.group_by("partner").agg(pl.col("value").sum()).sort("value", descending=True).collect()
    return {
        "rows": int(totals["rows"]),
        "partners": by_partner.height,
        "partner_codes": [str(code) for code in by_partner["partner"]],
        "period": [totals["first"].strftime("%Y-%m"), totals["last"].strftime("%Y-%m")]
        if totals["rows"]
        else ["", ""],
        "products": int(totals["products"]),
        "level": product,
        "value": float(totals["value"] or 0.0),
        "duty": float(totals["duty"]) if totals["duty"] is not None else None,
    }


def unmatched_lines(imports: pd.DataFrame, lines: pd.DataFrame) -> dict[str, Any]:
    """Import value whose HS10 code is not an HTS line: found through its HS8 line, or not at all."""
    hts10 = set(lines["hts10"].astype(str))
    hts8 = set(lines["hts8"].astype(str))
    by_code = imports.groupby("hs10", observed=True)["value"].sum()
    total = float(by_code.sum())
    not10 = by_code[~by_code.index.isin(hts10)]
    not8 = not10[~not10.index.str[:8].isin(hts8)]
    return {
        "join": "HS10 → HTS line",
        "value": total,
        "hs8_only": float(not10.sum() - not8.sum()),
        "unmatched": float(not8.sum()),
        "top": _top(not8),
        "top_hs8_only": _top(not10.drop(not8.index)),
    }


def match_report(report: Any) -> dict[str, Any]:
    """An `econ.concord.MatchReport` as a manifest record (shares of value and the largest lost codes)."""
    return {
        "join": report.join,
        "value": float(report.value),
        "exact": float(report.exact),
        "fallback": float(report.fallback),
        "unmatched": float(report.unmatched),
        "top": [str(code) for code in report.lost[:TOP]],
    }


def _top(values: pd.Series) -> list[list[Any]]:
    largest = values.sort_values(ascending=False).head(TOP)
    return [[str(code), float(value)] for code, value in largest.items()]


def lines(coverage: dict[str, Any]) -> list[str]:
    """The coverage record in words, one line per panel or join, for `econ build` and the reports."""
    out = []
    for name, record in coverage.get("panels", {}).items():
        first, last = record["period"]
        value = f"${record['value'] / 1e9:,.1f}B"
        out.append(
            f"{name}: {record['rows']:,} rows, {record['partners']} partners, {first} to {last}, "
            f"{record['products']:,} {record['level']} codes, {value}"
        )
    hts = coverage.get("hts")
    if hts and hts["value"]:
        out.append(
            f"HS10 → HTS line: {hts['hs8_only'] / hts['value']:.2%} of import value found only its HS8 line, "
            f"{hts['unmatched'] / hts['value']:.2%} (${hts['unmatched'] / 1e6:,.1f}M) neither"
            + (f" (largest: {', '.join(code for code, _ in hts['top'][:3])})" if hts["top"] else "")
        )
    for join in coverage.get("joins", []):
        out.append(
            f"{join['join']}: {join['exact']:.1%} of value exact, "
            f"{join['fallback']:.1%} through a parent code, {join['unmatched']:.2%} unmatched"
            + (f" (largest: {', '.join(join['top'][:3])})" if join["top"] else "")
        )
    return out
