# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # China's rare-earth and critical-mineral controls: which US industries are exposed, and how much is lost
#
# Exposure through the input-output table, a month-by-month supply shortfall net of inventories and
# rerouting, losses from a CES production network across elasticities of substitution (beside Hulten's
# first-order effect), shipments against the agreed level, and the published estimates for comparison.
# Every model is in `econ.models`; this notebook only chooses parameters and draws.

# %% tags=["parameters"]
dataset: str = "demo"
base_year: int = 2024
restriction: float = 0.9
rerouting: float = 0.1
inventory_weeks: float = 8.0
agreed_share: float = 1.0
start: str = "2024-11"
end: str = "2025-12"

# %%
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from econ import panel, plots
from econ.models import rare_earths
from econ.reports import headline

SEVEN = ["Sm", "Gd", "Tb", "Dy", "Lu", "Sc", "Y"]
io_tables = panel.io_tables(dataset)
plots.use_house_style()
display(Markdown(panel.dataset_note(dataset)))
imports = panel.load("imports", dataset, columns=["hs10", "month", "value"])
restricted_imports = rare_earths.imports_by_hs(imports, year=base_year)
satellite = rare_earths.satellite_row(restricted_imports, industries=io_tables.use.industries)
network = rare_earths.network_from_bea(io_tables.use, io_tables.make, satellite)
gdp = float(io_tables.use.value_added.to_numpy().sum())  # $ millions

# %% [markdown]
# Input-output tables: the source is printed below. Imports in the restricted HS lines (2805.30 rare-earth
# metals, 2846 compounds, 8505.11 permanent magnets) come from the `imports` panel of the dataset, split
# over industries by end-use shares that are *assumptions* (USGS publishes only their ranking).

# %%
print(io_tables.source)
print(f"Imports in {base_year}, $ million:", (restricted_imports / 1e6).round(1).to_dict())
print(f"Critical input as a share of GDP (Hulten's multiplier): {network.critical_share_of_gdp():.2e}")

# %% [markdown]
# ## Exposure by industry
# Direct requirement: restricted inputs per dollar of the industry's output. Total requirement: per dollar
# of its output delivered to final users, counting what its suppliers use.

# %%
exposure = rare_earths.exposure(io_tables.use, io_tables.make, satellite)
exposure.head(10)

# %%
ax = (exposure["total_requirement"].head(10) * 1e6).plot.barh(figsize=(7, 4))
ax.invert_yaxis()
ax.set_xlabel(r"restricted inputs per \$1 million of final demand (\$)")
ax.set_title("Exposure to rare earths and magnets, direct and through suppliers")
plots.label_synthetic(ax.figure, dataset)
plt.tight_layout()

# %% [markdown]
# ## The shock path
# China's share of supply withheld (`restriction`) from the control dates (Ga, Ge, Sb from 2024-12-03;
# the seven rare earths from 2025-04-04), times China's share of US supply, less what reroutes through
# third countries, after inventories of `inventory_weeks` run out.

# %%
months = pd.date_range(f"{start}-01", f"{end}-01", freq="MS")
path = rare_earths.shock_path(
    months, elements=SEVEN, restriction=restriction, rerouting=rerouting, inventory_weeks=inventory_weeks
)
shortfall = rare_earths.aggregate_shortfall(path)
ax = path.pivot(index="month", columns="element", values="shortfall").plot(figsize=(7, 3.5))
shortfall.plot(ax=ax, color="black", linewidth=2, label="value-weighted")
ax.set_ylabel("share of normal supply missing")
ax.legend(ncol=4, fontsize=8)
plt.tight_layout()  # model parameters only, no trade data: no synthetic label

# %% [markdown]
# ## Losses across elasticities of substitution and inventory buffers
# The exact loss of the CES network against Hulten's first-order effect: below an elasticity of about
# 0.3 the network amplifies a tiny input into a large loss.

# %%
sigmas = (0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0)
buffers = {}
for weeks in (0.0, inventory_weeks, 26.0):
    weekly = rare_earths.shock_path(
        months, elements=SEVEN, restriction=restriction, rerouting=rerouting, inventory_weeks=weeks
    )
    losses = rare_earths.loss_path(network, rare_earths.aggregate_shortfall(weekly), sigmas=sigmas, gdp=gdp)
    buffers[weeks] = losses.groupby("sigma")[["loss", "hulten_loss"]].sum() / 1e3  # $ billion over the path
grid = pd.concat(buffers, names=["inventory_weeks"])
grid.round(2)

# %%
fig, ax = plt.subplots(figsize=(7, 4))
for weeks, frame in buffers.items():
    ax.plot(frame.index, frame["loss"], marker="o", label=f"CES network, {weeks:g} weeks of inventory")
hulten = buffers[inventory_weeks]["hulten_loss"]
ax.plot(hulten.index, hulten, "k--", label="Hulten, first order")
ax.set_xscale("log")
ax.set_yscale("symlog", linthresh=0.01)
ax.set_ylim(bottom=0)  # losses are never negative; a buffer that covers the shortfall shows as zero
ax.set_xlabel("elasticity of substitution σ")
ax.set_ylabel(rf"loss over {start} to {end}, \$ billion")
ax.legend(fontsize=8)
plots.label_synthetic(fig, dataset)
plt.tight_layout()

# %% [markdown]
# ## Which industries lose output (peak shortfall, σ = 0.1)

# %%
by_industry = rare_earths.industry_losses(
    network, shortfall=float(shortfall.max()), sigma=0.1, value_added=io_tables.use.value_added.sum()
)
by_industry.head(10)

# %% [markdown]
# ## Compliance: magnet shipments from China to the US
# Against the pre-control monthly baseline implied by the press figures (FACTS §4) and the agreed level
# (`agreed_share` of the baseline).

# %%
tracker = rare_earths.compliance(agreed_share=agreed_share)
ax = tracker.plot(x="month", y=["tonnes", "baseline", "agreed"], marker="o", figsize=(7, 3.5))
ax.set_ylabel("tonnes per month")
plt.tight_layout()  # press figures (FACTS §4), not the demo world: no synthetic label
tracker

# %% [markdown]
# ## Beside the published estimates (FACTS §5)
# Each published scenario is run through the same network at an annual rate; the gallium and germanium
# ban uses its own satellite row (HS 8112.92 and 8110.10) when the dataset has those imports.

# %%
minor_imports = rare_earths.imports_by_hs(imports, codes=rare_earths.MINOR_METAL_HS, year=base_year)
minor_metals = None
if minor_imports.sum() > 0:
    minor_satellite = rare_earths.satellite_row(minor_imports, industries=io_tables.use.industries)
    minor_metals = rare_earths.network_from_bea(io_tables.use, io_tables.make, minor_satellite)
comparison = rare_earths.comparison(network, gdp=gdp, minor_metals=minor_metals)
comparison

# %%
short_run = buffers[inventory_weeks].loc[0.05]
long_run = buffers[inventory_weeks].loc[0.5]
figures = headline(
    critical_share_of_gdp=network.critical_share_of_gdp(),
    most_exposed_industry=str(exposure.index[0]),
    peak_shortfall=float(shortfall.max()),
    loss_bn_sigma_0_05=float(short_run["loss"]),
    loss_bn_sigma_0_5=float(long_run["loss"]),
    hulten_loss_bn=float(short_run["hulten_loss"]),
    magnet_shipments_share_of_agreed_latest=float(tracker["share_of_agreed"].iloc[-1]),
    io_tables_embedded=io_tables.embedded,
)
