"""Input-output requirements and the cost-push (Leontief) price model on BEA's Use, Make and Import tables.

Notation follows BEA, *Concepts and Methods of the U.S. Input-Output Accounts*, ch. 12 ("Mathematics of the
requirements tables"):

* ``U`` commodity × industry intermediate use (Use table), ``V`` industry × commodity make (Make table);
* ``g`` industry output (row sums of ``V``, scrap included), ``q`` commodity output (column sums of ``V``);
* ``B = U ĝ⁻¹`` direct requirements (commodity × industry);
* ``D = V q̂⁻¹`` market shares (industry × commodity), with the scrap columns set to zero;
* ``p = h / g`` the scrap ratio, ``h`` each industry's output of scrap (and used and secondhand goods);
* ``W = (I − p̂)⁻¹ D`` the transformation matrix, so that scrap used as an input does not generate output in
  the industries where it arises;
* total requirements: commodity × commodity ``(I − B W)⁻¹``, industry × commodity ``W (I − B W)⁻¹``,
  industry × industry ``(I − W B)⁻¹`` (industry-technology assumption).

Domestic requirements replace ``U`` by ``U − M``, ``M`` the Import table's intermediate block (BEA's
domestic requirements tables).

Prices (cost push). With ``B_d = (U − M) ĝ⁻¹`` and ``B_m = M ĝ⁻¹``, a change ``π_m`` in import prices by
commodity raises domestic commodity prices by

    constant dollar margin:      π_dᵀ = π_mᵀ B_m W (I − B_d W)⁻¹
    constant percentage markup:  π_dᵀ = π_mᵀ B_m μ̂ W (I − B_d μ̂ W)⁻¹,  μ_j = g_j / (g_j − GOS_j)

(row vectors). Under a constant dollar margin value added per unit of output is fixed in dollars, so
prices rise by the cost increase only; under a constant percentage markup, gross operating surplus
(``V003``) is a fixed share of the price, so each industry marks up its cost increase by ``μ_j``
(compensation and taxes stay fixed in dollars). Industry prices are ``π_ind = B_dᵀ π_d + B_mᵀ π_m`` (times
``μ`` under the percentage markup); the PCE price change weights each commodity's domestic and imported
purchases by households (Use and Import column ``F010``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import pandas as pd

from econ.errors import InputFormatError, ParameterError
from econ.sources.bea import IOTable

Requirements = Literal["commodity_by_commodity", "industry_by_commodity", "industry_by_industry"]
Markup = Literal["constant_dollar", "constant_percentage"]

# Scrap and used goods: "Used" at the summary level, S00401 (scrap) and S00402 (used and secondhand goods)
# at the detail level. Their Make columns are the scrap output h that W takes out of the market shares.
SCRAP_CODES: tuple[str, ...] = ("Used", "S00401", "S00402")
PCE_COLUMN = "F010"
IMPORTS_COLUMN = "F050"


@dataclass(frozen=True)
class Coefficients:
    """The matrices of BEA ch. 12 for one pair of Use and Make tables, aligned on their codes."""

    commodities: pd.Index
    industries: pd.Index
    B: np.ndarray  # commodity × industry direct requirements
    D: np.ndarray  # industry × commodity market shares (scrap columns zero)
    W: np.ndarray  # industry × commodity transformation matrix
    g: np.ndarray  # industry output
    q: np.ndarray  # commodity output
    scrap_ratio: np.ndarray  # p, industry


def coefficients(use: IOTable, make: IOTable, *, scrap: tuple[str, ...] = SCRAP_CODES) -> Coefficients:
    """B, D, W, g, q and the scrap ratio from a Use and a Make table (as `econ.sources.bea.read` gives)."""
    _check_kind(use, "use", "use")
    _check_kind(make, "make", "make")
    commodities = pd.Index(use.matrix.index, name="commodity")
    industries = pd.Index(use.matrix.columns, name="industry")
    extra_ind = sorted(set(make.matrix.index) - set(industries))
    extra_com = sorted(set(make.matrix.columns) - set(commodities))
    if extra_ind or extra_com:
        raise InputFormatError(
            make.source,
            f"Make table has codes the Use table lacks: industries {extra_ind[:5]}, "
            f"commodities {extra_com[:5]}",
            expected="Use and Make tables of the same level and vintage",
        )
    V = make.matrix.reindex(index=industries, columns=commodities, fill_value=0.0).to_numpy(dtype="float64")
    U = use.matrix.to_numpy(dtype="float64")
    g = V.sum(axis=1)
    q = V.sum(axis=0)
    is_scrap = np.array([code in scrap for code in commodities])
    h = V[:, is_scrap].sum(axis=1)
    B = U * _safe_inverse(g)[np.newaxis, :]
    D = V * _safe_inverse(q)[np.newaxis, :]
    D[:, is_scrap] = 0.0
    p = h * _safe_inverse(g)
    W = D / (1.0 - p)[:, np.newaxis]
    return Coefficients(commodities, industries, B, D, W, g, q, p)


def total_requirements(
    use: IOTable,
    make: IOTable,
    *,
    kind: Requirements = "commodity_by_commodity",
    imports: IOTable | None = None,
    scrap: tuple[str, ...] = SCRAP_CODES,
) -> pd.DataFrame:
    """BEA total requirements (industry-technology assumption, scrap as BEA treats it).

    ``kind``: ``commodity_by_commodity`` ``(I − BW)⁻¹`` (default), ``industry_by_commodity``
    ``W (I − BW)⁻¹`` or ``industry_by_industry`` ``(I − WB)⁻¹``. With ``imports`` (the Import table), the
    domestic requirements: ``B`` is computed from ``U − M``. Labelled by BEA codes; each column is the output
    required, directly and indirectly, per dollar of that column's product delivered to final users.
    """
    _check_option("kind", kind, Requirements)
    c = coefficients(use, make, scrap=scrap)
    B = c.B if imports is None else c.B - _import_coefficients(imports, c)
    n_com, n_ind = len(c.commodities), len(c.industries)
    if kind == "industry_by_industry":
        inverse = np.linalg.solve(np.eye(n_ind) - c.W @ B, np.eye(n_ind))
        return _frame(inverse, c.industries, c.industries)
    inverse = np.linalg.solve(np.eye(n_com) - B @ c.W, np.eye(n_com))
    if kind == "industry_by_commodity":
        return _frame(c.W @ inverse, c.industries, c.commodities)
    return _frame(inverse, c.commodities, c.commodities)


def domestic_requirements(
    use: IOTable, make: IOTable, imports: IOTable, *, kind: Requirements = "commodity_by_commodity"
) -> pd.DataFrame:
    """BEA's domestic total requirements: the same as `total_requirements` with ``U`` net of imports."""
    return total_requirements(use, make, kind=kind, imports=imports)


def import_content(use: IOTable, make: IOTable, imports: IOTable) -> pd.Series:
    """Imports embodied, directly and indirectly, per dollar of each domestic commodity:
    ``1ᵀ B_m W (I − B_d W)⁻¹`` — the price rise of each commodity when every import price rises by 1
    (constant dollar margins)."""
    c = coefficients(use, make)
    Bm = _import_coefficients(imports, c)
    Bd = c.B - Bm
    n = len(c.commodities)
    leontief = np.linalg.solve((np.eye(n) - Bd @ c.W).T, np.eye(n)).T
    content = Bm.sum(axis=0) @ c.W @ leontief
    return pd.Series(content, index=c.commodities, name="import_content")


@dataclass(frozen=True)
class PriceEffects:
    """The result of the cost-push model; every change is a fraction (0.01 = 1%)."""

    commodity: pd.Series  # domestic commodity prices
    industry: pd.Series  # industry output prices
    pce_by_commodity: pd.Series  # prices households pay, domestic and imported mixed by F010 weights
    pce: float  # the PCE price index (F010-weighted)
    markup: Markup


def cost_push(
    use: IOTable,
    make: IOTable,
    imports: IOTable,
    import_price_change: pd.Series | float,
    *,
    markup: Markup = "constant_dollar",
) -> PriceEffects:
    """Propagate import price changes (by commodity, a fraction; a scalar applies to every import) through
    the domestic input-output network to industry, commodity and PCE prices. See the module docstring for
    the equations and the two markup rules."""
    _check_option("markup", markup, Markup)
    c = coefficients(use, make)
    pi_m = _commodity_vector(import_price_change, c.commodities, name="import_price_change")
    Bm = _import_coefficients(imports, c)
    Bd = c.B - Bm
    if markup == "constant_percentage":
        gos = _gross_operating_surplus(use, c.industries)
        margin = c.g - gos
        if np.any((margin <= 0) & (c.g > 0)):
            bad = list(c.industries[(margin <= 0) & (c.g > 0)][:5])
            raise InputFormatError(use.source, f"gross operating surplus ≥ output in {bad}", where="V003")
        mu = np.where(c.g > 0, c.g * _safe_inverse(margin), 1.0)
    else:
        mu = np.ones(len(c.industries))
    Bd_mu = Bd * mu[np.newaxis, :]
    Bm_mu = Bm * mu[np.newaxis, :]
    n = len(c.commodities)
    direct = pi_m @ Bm_mu @ c.W
    pi_d = np.linalg.solve((np.eye(n) - Bd_mu @ c.W).T, direct)
    pi_ind = pi_d @ Bd_mu + pi_m @ Bm_mu
    pce_use = use.final_demand[PCE_COLUMN].reindex(c.commodities, fill_value=0.0).to_numpy()
    pce_imp = (
        imports.final_demand[PCE_COLUMN].reindex(c.commodities, fill_value=0.0).to_numpy()
        if PCE_COLUMN in imports.final_demand.columns
        else np.zeros(n)
    )
    pce_dom = pce_use - pce_imp
    with np.errstate(invalid="ignore", divide="ignore"):
        pce_c = np.where(pce_use != 0, (pce_dom * pi_d + pce_imp * pi_m) / pce_use, pi_d)
    total_pce = pce_use.sum()
    pce = float((pce_dom * pi_d + pce_imp * pi_m).sum() / total_pce) if total_pce else float("nan")
    return PriceEffects(
        commodity=pd.Series(pi_d, index=c.commodities, name="price_change"),
        industry=pd.Series(pi_ind, index=c.industries, name="price_change"),
        pce_by_commodity=pd.Series(pce_c, index=c.commodities, name="pce_price_change"),
        pce=pce,
        markup=markup,
    )


# --------------------------------------------------------------------------------------------------------


def _import_coefficients(imports: IOTable, c: Coefficients) -> np.ndarray:
    _check_kind(imports, "import", "imports")
    extra = sorted(set(imports.matrix.index) - set(c.commodities)) + sorted(
        set(imports.matrix.columns) - set(c.industries)
    )
    if extra:
        raise InputFormatError(
            imports.source, f"Import table has codes the Use table lacks: {extra[:5]}", expected="same level"
        )
    M = imports.matrix.reindex(index=c.commodities, columns=c.industries, fill_value=0.0).to_numpy("float64")
    return M * _safe_inverse(c.g)[np.newaxis, :]


def _gross_operating_surplus(use: IOTable, industries: pd.Index) -> np.ndarray:
    rows = [r for r in use.value_added.index if str(r).startswith("V003")]
    if not rows:
        raise InputFormatError(
            use.source, "no gross operating surplus row", where="value added", expected="a V003 row"
        )
    return use.value_added.loc[rows].sum(axis=0).reindex(industries, fill_value=0.0).to_numpy("float64")


def _commodity_vector(value: pd.Series | float, commodities: pd.Index, *, name: str) -> np.ndarray:
    if isinstance(value, pd.Series):
        unknown = sorted(set(map(str, value.index)) - set(commodities))
        if unknown:
            raise ParameterError([(name, f"unknown commodity codes {unknown[:5]}")], context="cost_push")
        vector = value.reindex(commodities, fill_value=0.0).to_numpy(dtype="float64")
    else:
        vector = np.full(len(commodities), float(value))
    if not np.all(np.isfinite(vector)):
        raise ParameterError([(name, "must be finite")], context="cost_push")
    if np.any(vector <= -1):
        raise ParameterError([(name, "a price change must be above -100%")], context="cost_push")
    return vector


def _safe_inverse(x: np.ndarray) -> np.ndarray:
    out = np.zeros_like(x, dtype="float64")
    nonzero = x != 0
    out[nonzero] = 1.0 / x[nonzero]
    return out


def _frame(values: np.ndarray, index: pd.Index, columns: pd.Index) -> pd.DataFrame:
    return pd.DataFrame(values, index=index.copy(), columns=columns.copy())


def _check_kind(table: IOTable, kind: str, name: str) -> None:
    if not isinstance(table, IOTable) or table.kind != kind:
        got = getattr(table, "kind", type(table).__name__)
        raise ParameterError([(name, f"expected a BEA {kind} table, got {got}")])


def _check_option(name: str, value: str, alias: object) -> None:
    allowed = get_args(alias)
    if value not in allowed:
        raise ParameterError([(name, f"{value!r} is not one of {', '.join(allowed)}")])


def aggregate(table: IOTable, mapping: Mapping[str, str], *, other: str | None = None) -> IOTable:
    """The table with industries and commodities summed into groups: ``mapping`` code → group; codes not in
    it keep their own code, or go to ``other`` when given (scrap ``Used`` and noncomparable imports
    ``Other`` always keep theirs, so the scrap treatment still applies). Totals are dropped (recompute
    them from the blocks); value-added rows and final-demand columns keep their codes."""

    def group(code: str) -> str:
        if code in mapping:
            return mapping[code]
        if other is None or code in SCRAP_CODES or code in {"Other", "S00300", "S00900"}:
            return code
        return other

    def rows(frame: pd.DataFrame) -> pd.DataFrame:
        if frame.empty and len(frame.index) == 0:
            return frame
        keys = [group(str(code)) for code in frame.index]
        out = frame.groupby(np.asarray(keys, dtype=object), sort=False).sum()
        out.index.name = frame.index.name
        return out

    def cols(frame: pd.DataFrame) -> pd.DataFrame:
        out = rows(frame.T).T
        out.index.name, out.columns.name = frame.index.name, frame.columns.name
        return out

    return IOTable(
        kind=table.kind,
        level=table.level,
        year=table.year,
        matrix=cols(rows(table.matrix)),
        final_demand=rows(table.final_demand),
        value_added=cols(table.value_added),
        row_totals=pd.DataFrame(dtype="float64"),
        column_totals=pd.DataFrame(dtype="float64"),
        names={},
        source=table.source,
    )
