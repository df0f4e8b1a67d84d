"""Monte Carlo study of the estimators on the structural demo world (econ.demo.structural, synthetic).

Each draw is a new world (seed), with its own truth: the parameters (ρ = 0.9, σ = 3, η = 1.2) and the
true effects of the 2025 events on China's imports relative to other partners in the same product,
computed from the same world with 2025–26 tariffs held at January 2025 (same shocks). For every estimator
we record the estimate, its analytic standard error (clustered by product) and whether the 95% interval
covers the truth; the table gives bias, RMSE, mean standard error, the standard deviation of the
estimates and the coverage, over the draws.

    .venv/bin/python benchmarks/montecarlo.py                     # 200 draws at scale 0.3, 2 processes
    .venv/bin/python benchmarks/montecarlo.py --draws 20 --out /tmp/mc.csv

The table is written as package data (econ/estimate/data/montecarlo.csv, with this command in its first
line) so the passthrough notebook cites it.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "econ" / "estimate" / "data" / "montecarlo.csv"


def one_draw(seed: int, scale: float) -> list[dict]:
    """Estimates, standard errors and truths of every estimator on one world."""
    from econ.demo import structural
    from econ.estimate import did_2025, joint_parameters, passthrough

    warnings.simplefilter("ignore")
    panel, truth = structural.simulate(seed=seed, scale=scale)
    params = truth["parameters"]
    rows = []

    def add(estimand: str, estimator: str, estimate: float, se: float, true: float) -> None:
        rows.append(
            {"seed": seed, "estimand": estimand, "estimator": estimator, "estimate": estimate,
             "std_error": se, "truth": true}
        )  # fmt: skip

    joint = joint_parameters(panel)
    for name, true in (
        ("passthrough", params["passthrough"]),
        ("sigma", params["import_elasticity"]),
        ("eta", params["aggregate_elasticity"]),
    ):
        estimate, se = joint[name]
        label = {"passthrough": "passthrough_statutory", "sigma": "import_demand_iv", "eta": "aggregate_iv"}
        add(name, label[name], estimate, se, true)
    iv = passthrough(panel, measure="collected_iv", prices=("duty_inclusive",))["duty_inclusive"]
    add(
        "passthrough",
        "passthrough_collected_iv",
        float(iv.coef.iloc[0]),
        float(iv.se.iloc[0]),
        params["passthrough"],
    )
    design = did_2025(panel, panel.attrs["rates"])
    for event, estimator, effect, se in design.events[
        ["event", "estimator", "effect", "std_error"]
    ].to_numpy():
        add(f"event_{event}", str(estimator), float(effect), float(se), truth["events"][event])
    return rows


def summarise(draws: pd.DataFrame) -> pd.DataFrame:
    d = draws.assign(error=draws["estimate"] - draws["truth"])
    d["covered"] = d["error"].abs() <= 1.96 * d["std_error"]
    grouped = d.groupby(["estimand", "estimator"], sort=False)
    table = pd.DataFrame(
        {
            "truth": grouped["truth"].mean(),
            "mean_estimate": grouped["estimate"].mean(),
            "bias": grouped["error"].mean(),
            "rmse": grouped["error"].apply(lambda e: float(np.sqrt(np.mean(e**2)))),
            "mean_se": grouped["std_error"].mean(),
            "sd_estimate": grouped["estimate"].std(),
            "coverage_95": grouped["covered"].mean(),
            "draws": grouped.size(),
        }
    )
    # Monte Carlo error of the coverage share, to read "within its stated coverage" against
    table["coverage_mc_se"] = np.sqrt(0.95 * 0.05 / table["draws"])
    return table.reset_index()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=200)
    parser.add_argument("--scale", type=float, default=0.3)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--first-seed", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    start = time.perf_counter()
    seeds = range(args.first_seed, args.first_seed + args.draws)
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(one_draw, seeds, [args.scale] * args.draws))
    draws = pd.DataFrame([row for rows in results for row in rows])
    table = summarise(draws)
    seconds = time.perf_counter() - start
    command = " ".join(["python benchmarks/montecarlo.py", *sys.argv[1:]])
    from econ import atomic

    header = (
        f"# Monte Carlo of econ.estimate on the structural demo world (synthetic): {args.draws} draws at "
        f"scale {args.scale}, seeds {seeds.start}-{seeds.stop - 1}, {seconds:.0f} s; command: {command}\n"
    )
    atomic.write_text(args.out, header + table.to_csv(index=False, float_format="%.6g"))
    with pd.option_context("display.width", 200, "display.max_rows", 100):
        print(header + table.round(4).to_string(index=False))


if __name__ == "__main__":
    main()
