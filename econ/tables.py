"""Tables a reader can trust: the top N by the measure named, the rest summed as "Other", units in the
headers, numbers formatted by `econ.formatting`, and the data behind the table downloadable from the page.

    shown = tables.top_n(by_industry, by="cost_to_buyers_bn", n=10)            # largest |cost| first
    tables.show(shown, columns={"cost_to_buyers_bn": tables.Column("Cost to buyers", "usd_bn", scale=1e9)},
                name="cost_by_industry", caption="...", note="Negative: a saving to buyers.")

`top_n` ranks by the size of the measure (its absolute value, unless told otherwise), so that a table
of changes shows the largest changes whatever their sign; the rows it leaves out are summed into one
"Other (k more)" row for every additive column, so the table adds up to the total it stands for; rows
whose every measure is zero are dropped (and counted in the note), because a row of zeros says nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from econ import formatting
from econ.errors import ParameterError

Order = Literal["magnitude", "largest", "smallest"]
ORDERS: tuple[Order, ...] = ("magnitude", "largest", "smallest")
OTHER = "Other"
TOTAL = "Total"
_OTHER_ROW = re.compile(r"^.+ \(\d+ more\)$")


@dataclass(frozen=True)
class Column:
    """How a column is shown: its label, its unit (`econ.formatting.Unit`) and the period it covers.

    ``scale`` is what the stored value must be multiplied by to be in the unit's storage convention:
    a column already in $ billion has ``scale=1e9`` for the unit ``usd_bn``; a column of percentages
    (12.5 meaning 12.5%) ``scale=0.01`` for ``percent``.
    """

    label: str
    unit: formatting.Unit = "ratio"
    period: str = ""
    scale: float = 1.0
    additive: bool = True
    """Whether rows add up (values, costs) — "Other" and "Total" sum them; rates and ratios do not."""
    decimals: int | None = None

    def __post_init__(self) -> None:
        formatting.check_unit(self.unit)

    @property
    def header(self) -> str:
        return formatting.header(self.label, self.unit, period=self.period or None)


def top_n(
    frame: pd.DataFrame,
    *,
    by: str,
    n: int,
    order: Order = "magnitude",
    sum_columns: Sequence[str] | None = None,
    other_label: str = OTHER,
    drop_zero_rows: bool = True,
) -> pd.DataFrame:
    """The `n` rows of `frame` that matter most by column `by`, and one row summing the rest.

    ``order``: ``magnitude`` (largest absolute value first: the default, for changes of either sign),
    ``largest`` or ``smallest``. The rest are summed over ``sum_columns`` (default: every numeric
    column; other columns of the "Other" row are empty) into a row labelled ``"Other (k more)"``.
    Rows that are zero (or missing) in every numeric column are dropped first. The frame's index labels
    the rows; the result keeps it, with the "Other" row last.
    """
    if order not in ORDERS:
        raise ParameterError(
            [("order", f"expected one of {', '.join(ORDERS)}, got {order!r}")], context="top_n"
        )
    if by not in frame.columns:
        raise ParameterError([("by", f"no column {by!r} (columns: {', '.join(map(str, frame.columns))})")],
                             context="top_n")  # fmt: skip
    if n < 1:
        raise ParameterError([("n", f"must be at least 1 (got {n})")], context="top_n")
    numeric = [column for column in frame.columns if pd.api.types.is_numeric_dtype(frame[column])]
    table = frame
    if drop_zero_rows and numeric:
        table = table[table[numeric].fillna(0).ne(0).any(axis=1)]
    key = table[by].abs() if order == "magnitude" else table[by]
    ranked = table.loc[key.sort_values(ascending=order == "smallest", kind="stable").index]
    shown, rest = ranked.iloc[:n], ranked.iloc[n:]
    if rest.empty:
        return shown
    columns = list(sum_columns) if sum_columns is not None else numeric
    other = pd.DataFrame(
        [{column: rest[column].sum() if column in columns else None for column in frame.columns}],
        index=pd.Index([f"{other_label} ({len(rest)} more)"], name=frame.index.name),
    )
    return pd.concat([shown, other.astype({c: frame[c].dtype for c in columns}, errors="ignore")])


def dropped_zero_rows(frame: pd.DataFrame) -> int:
    """How many rows `top_n` drops as zero in every numeric column."""
    numeric = [column for column in frame.columns if pd.api.types.is_numeric_dtype(frame[column])]
    return int((~frame[numeric].fillna(0).ne(0).any(axis=1)).sum()) if numeric else 0


def with_total(frame: pd.DataFrame, columns: Mapping[str, Column], *, label: str = TOTAL) -> pd.DataFrame:
    """`frame` with a last row summing its additive columns (the others left empty)."""
    total = {
        name: frame[name].sum() if name in columns and columns[name].additive else None
        for name in frame.columns
    }
    return pd.concat([frame, pd.DataFrame([total], index=pd.Index([label], name=frame.index.name))])


def _row_label(key: object) -> str:
    """A row's label for reading: a month as "April 2025", a day as a date, anything else as itself (the
    CSV download keeps the ISO dates)."""
    if isinstance(key, pd.Period):
        key = key.to_timestamp()
    if isinstance(key, pd.Timestamp):
        if key == key.normalize() and key.day == 1:
            return formatting.month(key)
        return formatting.day(key)
    return str(key)


def html_table(
    frame: pd.DataFrame,
    *,
    columns: Mapping[str, Column],
    index_label: str | None = None,
    caption: str = "",
) -> str:
    """`frame` as an HTML table: the index as the first column, then `columns` in their order, headers
    with units, cells formatted and escaped, "Other" and "Total" rows marked."""
    missing = [name for name in columns if name not in frame.columns]
    if missing:
        raise ParameterError([("columns", f"not in the frame: {', '.join(missing)}")], context="html_table")
    label = index_label or str(frame.index.name or "")
    numeric = {name for name, column in columns.items() if column.unit not in ("text", "month")}
    head = f'<th scope="col">{formatting.html(label)}</th>' + "".join(
        f'<th scope="col" class="{"num" if name in numeric else "text"}">'
        f"{formatting.html(column.header)}</th>"
        for name, column in columns.items()
    )
    rows = []
    for key, row in frame.iterrows():
        text = _row_label(key)
        kind = (
            ' class="econ-other"'
            if _OTHER_ROW.match(text)
            else ' class="econ-total"'
            if text == TOTAL
            else ""
        )
        cells = []
        for name, column in columns.items():
            value = row[name]
            if name in numeric and not formatting.is_missing(value):
                value = float(value) * column.scale
            shown = formatting.number(value, column.unit, decimals=column.decimals)
            cells.append(f'<td class="{"num" if name in numeric else "text"}">{formatting.html(shown)}</td>')
        rows.append(f'<tr{kind}><th scope="row">{formatting.html(text)}</th>{"".join(cells)}</tr>')
    caption_html = f"<caption>{formatting.html(caption)}</caption>" if caption else ""
    return (
        f'<table class="econ-table">{caption_html}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


class PageTable:
    """A table as the page shows it (IPython displays it through `_repr_mimebundle_`)."""

    def __init__(self, html: str, data: pd.DataFrame) -> None:
        self.html, self.data = html, data

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, object]:
        return {"text/html": self.html, "text/plain": self.data.to_string()}


def show(
    frame: pd.DataFrame,
    *,
    columns: Mapping[str, Column],
    name: str,
    caption: str = "",
    note: str = "",
    index_label: str | None = None,
) -> PageTable:
    """A table for the page (`html_table`), a note under it (signs, what "Other" holds), and the rows
    shown as a CSV download named `name`.csv, with the headers' units and the stored values."""
    from econ.formatting import download_link

    body = html_table(frame, columns=columns, index_label=index_label, caption=caption)
    data = frame[list(columns)].copy()
    for key, column in columns.items():  # the CSV in the units its headers name
        if column.unit not in ("text", "month"):
            data[key] = (
                pd.to_numeric(data[key], errors="coerce")
                * column.scale
                * formatting.display_scale(column.unit)
            )
    data = data.rename(columns={key: column.header for key, column in columns.items()})
    data.index.name = index_label or frame.index.name
    csv = data.to_csv().encode("utf-8")
    link = download_link(csv, filename=f"{name}.csv", mime="text/csv", label="Download the table (CSV)")
    note_html = f'<p class="econ-table-note">{formatting.html(note)}</p>' if note else ""
    return PageTable(f'{body}{note_html}<p class="econ-download">{link}</p>', data)
