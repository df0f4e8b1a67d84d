"""The open-economy network of `econ.models.open_network`, calibrated to BEA's tables and the satellite row.

From the Use, Make and (when given) Import tables, at their own level (summary or detail):

* domestic goods: market shares × (Use − Import), by supplying and buying industry (BEA ch. 12's ``D U``);
  foreign inputs: the buyer's imported intermediates (Import table column sums); labour: value added and
  what no domestic industry supplies (scrap, noncomparable imports without an Import table), negative
  cells set to zero. Without an Import table every purchase counts as domestic (the closed approximation,
  said in ``Calibrated.notes``);
* the critical input: ``α_j = satellite_j / g_j``, carved out of the industry's costs in proportion;
* the exposed line: ``φ_j`` from `exposed_lines` (the rows of the tables' level for the groups in the
  satellite), with the components that line buys; an industry using the input with no row is one line as
  a whole (``φ_j = 1``), and ``Calibrated.lines`` says which;
* final expenditure: each industry's sales not bought by other industries, ``g_i − Σ_j T_ji g_j``, so that
  the Domar weights are outputs over final expenditure, and ``λ_R⁰ / GDP⁰`` is the satellite over GDP.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from econ.errors import ParameterError
from econ.models import io
from econ.models.open_network import OpenNetwork
from econ.models.rare_earths import facts
from econ.sources.bea import IOTable


@dataclass(frozen=True)
class Calibrated:
    """A calibrated network with the dollar figures it was calibrated to."""

    network: OpenNetwork
    final_usd: float  # final expenditure on domestic goods, $ millions (E⁰)
    gdp_usd: float  # GDP⁰ in $ millions: labour payments plus domestic payments for the critical input
    value_added_usd: float  # BEA's value added, for comparison with gdp_usd
    critical_usd: float  # the satellite's total, $ millions
    lines: pd.DataFrame  # the exposed line of every industry using the input, with its basis
    notes: list[str] = field(default_factory=list)

    @property
    def critical_share_of_gdp(self) -> float:
        return self.network.critical_share_of_gdp()


def calibrate(
    use: IOTable,
    make: IOTable,
    satellite: pd.Series,
    *,
    groups: Sequence[str],
    import_share: float,
    imports: IOTable | None = None,
    line_elasticity: float | None = None,
) -> Calibrated:
    """Calibrate the open network (see the module docstring). ``satellite`` is the critical input by
    industry in $ millions (`inputs.satellite_row`), ``groups`` the restricted groups it covers (they pick
    the exposed lines), ``import_share`` the imported share of its supply."""
    c = io.coefficients(use, make)
    industries = pd.Index([str(code) for code in c.industries], name="industry")
    n = len(industries)
    unknown = sorted(set(map(str, satellite.index)) - set(industries))
    problems: list[tuple[str, str]] = []
    if unknown:
        problems.append(("satellite", f"industries not in the Use table: {unknown}"))
    if not 0.0 <= import_share <= 1.0:
        problems.append(("import_share", f"{import_share} must lie in [0, 1]"))
    if problems:
        raise ParameterError(problems, context="calibrate")
    notes: list[str] = []
    U = use.matrix.to_numpy("float64")
    g = np.where(c.g > 0, c.g, 1.0)
    if imports is not None:
        M = imports.matrix.reindex(index=use.matrix.index, columns=use.matrix.columns, fill_value=0.0)
        M_all = imports.matrix.reindex(columns=use.matrix.columns, fill_value=0.0).to_numpy("float64")
        domestic = c.D @ (U - M.to_numpy("float64"))
        foreign = np.clip(M_all.sum(axis=0), 0.0, None) / g
    else:
        domestic = c.D @ U
        foreign = np.zeros(n)
        notes.append(
            "no Import table: imported intermediates counted as domestic goods (closed approximation)"
        )
    # A few cells are negative (sales of used goods, government enterprises' own use, imports re-exported):
    # a cost share cannot be, so they are set to zero and their value left with labour.
    goods_total = np.clip((domestic / g[np.newaxis, :]).T, 0.0, None)  # buyer × supplier
    labour_total = 1.0 - goods_total.sum(axis=1) - foreign
    if np.any(labour_total <= 0):
        bad = list(industries[labour_total <= 0][:5])
        raise ParameterError([("use", f"industries with no value added left: {bad}")], context="calibrate")
    alpha = satellite.reindex(industries, fill_value=0.0).to_numpy("float64") / g
    if np.any(alpha >= 1):
        raise ParameterError(
            [("satellite", "critical input exceeds an industry's output")], context="calibrate"
        )
    keep = 1.0 - alpha
    goods_total, labour_total, foreign = goods_total * keep[:, None], labour_total * keep, foreign * keep

    phi, components, lines = _exposed_lines(industries, alpha, goods_total, groups=groups, level=use.level)
    line_components = phi[:, None] * components
    composite = 1.0 - alpha - line_components.sum(axis=1)
    rest_goods = (goods_total - line_components) / composite[:, None]
    network = OpenNetwork(
        industries=industries,
        goods=rest_goods,
        labour=labour_total / composite,
        foreign=foreign / composite,
        critical=alpha,
        exposed=phi,
        components=components,
        final=_final_shares(c.g, goods_total, notes),
        import_share=float(import_share),
        line_elasticity=np.full(
            n, facts.parameter("line_elasticity") if line_elasticity is None else line_elasticity
        ),
    )
    final_usd = float(np.clip(c.g - goods_total.T @ c.g, 0.0, None).sum())
    shares = network.factor_shares()
    return Calibrated(
        network=network,
        final_usd=final_usd,
        gdp_usd=shares["gdp"] * final_usd,
        value_added_usd=float(use.value_added.to_numpy().sum()),
        critical_usd=float(satellite.sum()),
        lines=lines,
        notes=notes,
    )


def _final_shares(output: np.ndarray, goods_total: np.ndarray, notes: list[str]) -> np.ndarray:
    final = output - goods_total.T @ output
    if np.any(final < -1e-9 * output.sum()):
        notes.append("some industries sell more to others than they make: their final sales set to zero")
    final = np.clip(final, 0.0, None)
    return final / final.sum()


def _exposed_lines(
    industries: pd.Index, alpha: np.ndarray, goods_total: np.ndarray, *, groups: Sequence[str], level: str
) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    n = len(industries)
    table = facts.table("exposed_lines")
    table = table[table["level"] == level]
    wanted = set(groups)
    table = table[[bool(wanted & set(str(g).split(";"))) for g in table["groups"]]]
    position = {code: i for i, code in enumerate(industries)}
    phi = np.where(alpha > 0, 1.0, 0.0)
    components = np.zeros((n, n))
    rows = []
    problems: list[tuple[str, str]] = []
    seen: set[str] = set()
    for record in table.to_dict(orient="records"):
        code = str(record["industry"])
        if code not in position:
            continue  # a line of an industry these tables do not have (detail rows at summary level …)
        if code in seen:
            problems.append(("exposed_lines", f"two rows for {code} and groups {sorted(wanted)}"))
            continue
        seen.add(code)
        j = position[code]
        phi[j] = float(record["share"])
        absent = []
        for k in filter(None, str(record["components"]).split(";")):
            if k not in position:
                absent.append(k)  # an aggregate table without that industry: the line buys none of it
                continue
            components[j, position[k]] = goods_total[j, position[k]]
        basis = f"exposed_lines ({record['status']}): {record['source']}"
        if absent:
            basis += f"; components {', '.join(absent)} not in these tables"
        rows.append((code, record["line"], phi[j], alpha[j], str(record["components"]), basis))
    for i in np.flatnonzero(alpha > 0):
        code = str(industries[int(i)])
        if code not in seen:
            rows.append(
                (
                    code,
                    "the whole industry",
                    1.0,
                    alpha[i],
                    "",
                    "no exposed_lines row: the industry is one line",
                )
            )
        if alpha[i] / phi[i] + components[i].sum() > 1.0:
            problems.append(
                ("exposed_lines", f"{code}: the line is too small for its critical input and components")
            )
    if problems:
        raise ParameterError(problems, context="calibrate")
    frame = pd.DataFrame(
        rows, columns=["industry", "line", "line_share", "critical_share", "components", "basis"]
    ).set_index("industry")
    frame["critical_share_of_line"] = frame["critical_share"] / frame["line_share"]
    return phi, components, frame


def exposure(calibrated: Calibrated, use: IOTable) -> pd.DataFrame:
    """Per industry using the input, directly or through suppliers: ``output`` and ``value_added`` ($
    millions), ``critical_input`` ($ millions), ``direct_requirement`` (per dollar of output),
    ``total_requirement`` (per dollar delivered to final users, ``αᵀ (I − A)⁻¹``), ``line_share``; sorted by
    total requirement."""
    net = calibrated.network
    shares = net.base_shares()
    A = shares["goods"].T  # input of supplier i per dollar of buyer j
    total = np.linalg.solve(np.eye(len(net.industries)) - A.T, net.critical)
    output = net.domar() * calibrated.final_usd
    va = use.value_added.sum(axis=0)
    va.index = va.index.map(str)
    frame = pd.DataFrame(
        {
            "name": [use.names.get(code, "") for code in net.industries],
            "output": output,
            "value_added": va.reindex(net.industries, fill_value=0.0).to_numpy(),
            "critical_input": net.critical * output,
            "direct_requirement": net.critical,
            "total_requirement": total,
            "line_share": np.where(net.critical > 0, net.exposed, np.nan),
        },
        index=net.industries,
    )
    return frame.sort_values("total_requirement", ascending=False)
