"""An embedded ten-industry input-output table, so that the models run on a machine without BEA's files.

Aggregated (with `econ.models.io.aggregate`) from BEA's summary Use, Make and Import tables for 2023,
before redefinitions, producers' prices, $ millions (release of 2024-09-06): the nine manufacturing
industries that buy or make rare earths, magnets, gallium, germanium and antimony (325 chemicals, 327
nonmetallic minerals, 331 primary metals, 332 fabricated metals, 333 machinery, 334 computers and
electronics, 335 electrical equipment, 3361MV motor vehicles, 3364OT aerospace and other transportation),
``OTHER`` for the other 62 industries, with BEA's ``Used`` (scrap, used and secondhand goods) and
``Other`` (noncomparable imports) commodities kept apart. Final uses are personal consumption ``F010``,
exports ``F040``, imports ``F050`` (negative) and ``F0OT`` — *not a BEA code* — the sum of investment,
inventories and government. Rounded to $1 million after aggregation.

`econ build` takes these tables for a dataset without BEA's files (always for the demo world); the catalog
records which tables a dataset has, and reports built on these say so.
"""

from __future__ import annotations

import io as _io

import pandas as pd

from econ.sources.bea import IOTable

SOURCE = "BEA summary input-output tables 2023 (before redefinitions), aggregated to ten industries"

_USE = """\
commodity,325,327,331,332,333,334,335,3361MV,3364OT,OTHER,F010,F040,F050,F0OT
325,233255,4372,2021,7308,2498,2082,2612,14531,1838,485348,337722,194606,-350741,9112
327,1279,16723,2691,1215,1391,263,1644,7213,323,132633,15758,8456,-32651,-362
331,40,2121,93498,90923,47439,4971,20681,58758,9767,54021,1268,34167,-101074,165
332,8514,2442,6284,39465,24620,6313,11582,27333,14540,278079,31617,36050,-89621,14533
333,5813,159,1248,4732,37275,333,2353,35122,4132,140020,17842,109790,-233266,308484
334,5230,753,2095,5903,7449,38629,4317,22549,28706,197819,115581,96340,-398909,215780
335,1332,134,1979,3410,17311,2364,13401,8306,1877,111051,72835,35004,-168788,62322
3361MV,1164,505,886,1200,10885,772,734,215733,3038,121113,274675,113251,-418772,423401
3364OT,0,0,0,77,276,0,0,1186,90469,79517,37109,106078,-57136,134356
OTHER,238897,57548,100372,87807,101297,48048,34343,207628,69296,16497961,17858458,1677125,-1226381,8702975
Used,0,0,23004,342,4,0,0,0,0,76071,93132,29959,-19610,-188442
Other,2031,282,792,613,1127,2090,325,2343,556,157339,-33227,198736,-339956,12955
V001,130894,37609,40164,122779,116527,197451,44972,93737,99450,13325984,,,,
V002,23161,2136,3435,4973,4986,11454,1228,5052,3977,1729898,,,,
V003,377774,36983,40395,60868,78880,99190,29911,77619,86875,10832342,,,,
"""

_MAKE = """\
industry,325,327,331,332,333,334,335,3361MV,3364OT,OTHER,Used,Other
325,902310,120,3,50,144,1384,112,1,0,125262,0,0
327,209,155052,1,32,8,0,68,21,1,6367,9,0
331,226,129,311722,1596,275,1,346,0,0,3746,826,0
332,35,233,4002,403734,3112,416,244,880,199,15172,3589,0
333,84,191,25,1949,426315,556,1262,948,312,19934,385,0
334,290,18,57,108,590,336726,577,7,547,75042,0,0
335,0,100,713,188,481,203,158782,73,1,7563,0,0
3361MV,2,0,17,1106,1542,62,156,741643,6131,26060,389,0
3364OT,40,0,1,53,596,676,510,2929,384603,25397,39,0
OTHER,43370,732,206,2929,977,2217,482,2081,137,44150812,9223,6010
"""

_IMPORT = """\
commodity,325,327,331,332,333,334,335,3361MV,3364OT,OTHER,F010,F040,F050,F0OT
325,83600,1077,418,2164,285,339,411,1690,282,121178,137337,0,-350741,1962
327,220,3504,592,487,551,82,359,1452,143,18438,6910,0,-32651,-88
331,14,483,38989,16129,8378,1879,6088,11742,2140,14611,421,0,-101074,201
332,1470,158,390,4062,3861,583,900,4798,1767,53259,12892,0,-89621,5484
333,2800,68,391,2063,16646,191,1264,17424,1589,60950,8746,0,-233266,121133
334,1894,235,546,2427,2904,16968,951,15420,12664,116359,105572,0,-398909,122968
335,641,115,1025,2133,10434,1409,6900,3491,1069,61131,52063,0,-168788,28375
3361MV,694,271,521,622,4707,431,371,74831,1419,55958,89699,0,-418772,189251
3364OT,0,0,0,0,0,0,0,0,20543,3234,10697,0,-57136,22660
OTHER,11399,1655,2258,1845,4561,1105,887,10391,1267,688449,524238,0,-1338176,90077
Used,0,0,2216,33,0,0,0,0,0,390,17070,0,-19610,-98
Other,2031,282,792,613,1127,2090,325,2343,556,157339,159498,0,-339956,12955
"""


def tables() -> tuple[IOTable, IOTable, IOTable]:
    """(Use, Make, Import) of the embedded ten-industry economy, as `econ.sources.bea.read` returns tables."""
    use = _frame(_USE)
    make = _frame(_MAKE)
    imports = _frame(_IMPORT)
    industries = [c for c in make.index]
    final = [c for c in use.columns if c.startswith("F")]
    value_added = [r for r in use.index if r.startswith("V")]
    commodities = [r for r in use.index if r not in value_added]
    return (
        _table(
            "use",
            use.loc[commodities, industries],
            use.loc[commodities, final],
            use.loc[value_added, industries],
        ),
        _table("make", make, None, None),
        _table("import", imports.loc[commodities, industries], imports.loc[commodities, final], None),
    )


def _frame(text: str) -> pd.DataFrame:
    frame = pd.read_csv(_io.StringIO(text), index_col=0, dtype={0: str})
    frame.index = pd.Index([str(x) for x in frame.index], dtype=object)
    frame.columns = pd.Index([str(x) for x in frame.columns], dtype=object)
    return frame.fillna(0.0).astype("float64")


def _table(
    kind: str, matrix: pd.DataFrame, final: pd.DataFrame | None, value_added: pd.DataFrame | None
) -> IOTable:
    rows, cols = ("industry", "commodity") if kind == "make" else ("commodity", "industry")
    matrix = matrix.rename_axis(index=rows, columns=cols)
    empty_final = pd.DataFrame(index=matrix.index, columns=pd.Index([], dtype=object), dtype="float64")
    empty_va = pd.DataFrame(columns=matrix.columns, dtype="float64")
    return IOTable(
        kind=kind,  # type: ignore[arg-type]
        level="summary",
        year=2023,
        matrix=matrix,
        final_demand=(final if final is not None else empty_final).rename_axis(
            index=rows, columns="final_use"
        ),
        value_added=(value_added if value_added is not None else empty_va).rename_axis(
            index="value_added", columns=cols
        ),
        row_totals=pd.DataFrame(dtype="float64"),
        column_totals=pd.DataFrame(dtype="float64"),
        names={},
        source=SOURCE,
    )
