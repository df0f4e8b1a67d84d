"""From trade codes (HS, Census NAICS, BEA) to the commodity codes of the input-output table in use.

The models price imports by BEA commodity; what a trade frame carries depends on the data: HS codes with
the approximate chapter crosswalk (`bea_industry`, for data without concordance files), BEA summary codes
from the industries panel (`econ.concord`, Census's HS10 → NAICS and BEA's NAICS workbook), or Census
NAICS codes (the ``imports_naics`` panel, 3 to 6 digits, `naics_to_bea`). The table may be BEA's summary
tables (71 industries, 73 commodities), the detail tables (402), or the embedded ten-industry aggregate
whose ``OTHER`` pools the rest. `table_codes` places each code in the table's own commodities:

============ ==================================================================================
how          meaning
============ ==================================================================================
exact        the code is a commodity of the table
pooled       not in the table, pooled into its ``other`` commodity (the embedded aggregate only)
unmatched    neither: left out of the price shock, and said (`unmatched` gives the value)
============ ==================================================================================

Nothing is pooled into a code the table does not have (the source of ``unknown commodity codes
['OTHER']`` on BEA's real tables).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from importlib import resources

import numpy as np
import pandas as pd

from econ.errors import ParameterError

# An approximate HS → BEA summary industry crosswalk, for when the Census and BEA concordance files that
# `econ.concord` reads are absent (the demo world). Chapter level, with the headings of chapters 84 and 85
# that belong to computers and electronics (334) rather than machinery (333) or electrical equipment (335).
# Every code is one of BEA's 71 summary industries. Use `econ.concord.hs10_to_naics` and `naics_to_bea`
# for published concordances.
_CHAPTER_RANGES: tuple[tuple[int, int, str], ...] = (
    (1, 1, "111CA"), (2, 2, "311FT"), (3, 3, "113FF"), (4, 4, "311FT"), (5, 8, "111CA"), (9, 9, "311FT"),
    (10, 10, "111CA"), (11, 11, "311FT"), (12, 14, "111CA"), (15, 24, "311FT"), (25, 26, "212"),
    (27, 27, "211"), (28, 38, "325"), (39, 40, "326"), (41, 43, "315AL"), (44, 46, "321"), (47, 48, "322"),
    (49, 49, "323"), (50, 60, "313TT"), (61, 62, "315AL"), (63, 63, "313TT"), (64, 67, "315AL"),
    (68, 70, "327"), (71, 71, "339"), (72, 72, "331"), (73, 73, "332"), (74, 81, "331"), (82, 83, "332"),
    (84, 84, "333"), (85, 85, "335"), (86, 86, "3364OT"), (87, 87, "3361MV"), (88, 89, "3364OT"),
    (90, 91, "334"), (92, 92, "339"), (93, 93, "332"), (94, 94, "337"), (95, 97, "339"),
)  # fmt: skip
_HEADINGS_334: frozenset[str] = frozenset(
    {"8471", "8473", "8517", "8518", "8519", "8521", "8522", "8523", "8525", "8526", "8527", "8528", "8529"}
    | {"8540", "8541", "8542", "8543"}
)
CHAPTER_TO_BEA: dict[str, str] = {
    f"{chapter:02d}": code for low, high, code in _CHAPTER_RANGES for chapter in range(low, high + 1)
}
UNMATCHED = "unmatched"


def bea_industry(hs: pd.Series) -> pd.Series:
    """Approximate BEA summary industry of HS codes (any length ≥ 4, str): see `CHAPTER_TO_BEA`."""
    codes = hs.astype("str")
    heading = codes.str[:4]
    by_chapter = codes.str[:2].map(CHAPTER_TO_BEA)
    out = by_chapter.where(~heading.isin(_HEADINGS_334), "334")
    return out.fillna(UNMATCHED).rename("bea")


@functools.cache
def naics_table() -> pd.DataFrame:
    """Census trade NAICS prefixes → BEA summary commodity, with status and source (package data compiled
    from BEA's NAICS concordance workbook; Census's special codes 910–990 are placed by us, marked check)."""
    text = resources.files("econ.models").joinpath("data/naics_bea_summary.csv").read_text("utf-8")
    from io import StringIO

    return pd.read_csv(StringIO(text), dtype=str)


def naics_to_bea(naics: pd.Series, *, weights: pd.Series | None = None) -> pd.DataFrame:
    """BEA summary commodities of Census NAICS codes (3 to 6 digits): one row per code and commodity, with
    ``share`` (1 unless the code spans several) and ``how`` (``exact``, ``split``, ``unmatched``).

    A code matches its longest prefix in `naics_table`. A code coarser than the table (NAICS ``336``,
    transportation equipment, spans summary ``3361MV`` and ``3364OT``) is split among its children's
    commodities in proportion to `weights` (commodity → value, e.g. `import_weights` of the table in use),
    equally when none are given; the split is said in ``how``."""
    table = naics_table()
    prefixes = dict(zip(table["naics"], table["bea_summary"], strict=True))
    rows: list[tuple[str, str, float, str]] = []
    for code in pd.unique(naics.astype("str").str.strip()):
        found = next((prefixes[code[:k]] for k in range(len(code), 2, -1) if code[:k] in prefixes), None)
        if found is not None:
            rows.append((code, found, 1.0, "exact"))
            continue
        children = sorted({bea for prefix, bea in prefixes.items() if prefix.startswith(code) and code})
        if not children:
            rows.append((code, UNMATCHED, 1.0, UNMATCHED))
            continue
        size = pd.Series(1.0, index=children)
        if weights is not None:
            known = weights.reindex(children).fillna(0.0).clip(lower=0.0)
            size = known if known.sum() > 0 else size
        for bea, share in (size / size.sum()).items():
            rows.append((code, str(bea), float(share), "split"))
    return pd.DataFrame(rows, columns=["naics", "bea", "share", "how"])


def import_weights(use_final_demand: pd.DataFrame, *, column: str = "F050") -> pd.Series:
    """Each commodity's imports in a Use table (its final-demand column ``F050``, negative in BEA's
    layout): the weights `naics_to_bea` splits a coarse code by."""
    if column not in use_final_demand.columns:
        return pd.Series(dtype="float64")
    return (-use_final_demand[column]).astype("float64")


def table_codes(codes: pd.Series, commodities: Sequence[str], *, other: str = "OTHER") -> pd.DataFrame:
    """Each code placed in the table's `commodities`: ``commodity`` and ``how`` (see the module doc), aligned
    with `codes`. Codes outside the table go to `other` only when the table has such a commodity."""
    known = {str(code) for code in commodities}
    text = codes.astype("str")
    exact = text.isin(known).to_numpy()
    pooled = ~exact & (other in known) & ~text.eq(UNMATCHED).to_numpy()
    commodity = np.where(exact, text.to_numpy(), np.where(pooled, other, UNMATCHED))
    how = np.where(exact, "exact", np.where(pooled, "pooled", UNMATCHED))
    return pd.DataFrame({"commodity": commodity, "how": how}, index=codes.index)


def unmatched(
    trade: pd.DataFrame, *, by: str, commodities: Sequence[str], value: str = "value", other: str = "OTHER"
) -> pd.DataFrame:
    """The value in `trade` whose ``by`` code finds no commodity of the table: by code, largest first, with
    its share of the whole (empty when everything matched) — what a report says it left out."""
    if by not in trade.columns or value not in trade.columns:
        raise ParameterError(
            [("trade", f"needs columns {by!r} and {value!r}")], context="crosswalk.unmatched"
        )
    placed = table_codes(trade[by], commodities, other=other)
    lost = trade.loc[placed["how"].to_numpy() == UNMATCHED]
    total = float(trade[value].sum())
    out = lost.groupby(by)[value].sum().sort_values(ascending=False).rename("value").to_frame()
    out["share"] = out["value"] / total if total else np.nan
    return out
