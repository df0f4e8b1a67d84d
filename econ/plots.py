"""Figures in one house style (seaborn), and the label that synthetic data must carry wherever shown."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

PALETTE = ["#1f4e79", "#c0504d", "#9bbb59", "#8064a2", "#4bacc6", "#f79646", "#7f7f7f"]
SYNTHETIC_LABEL = "SYNTHETIC DEMO DATA — not real statistics"

# Dates that readers look for on every tariff chart (FACTS §1).
MILESTONES: tuple[tuple[str, str], ...] = (
    ("2018-07-06", "301 List 1"),
    ("2018-09-24", "List 3"),
    ("2019-09-01", "List 4A"),
    ("2025-02-04", "IEEPA"),
    ("2025-04-10", "145%"),
    ("2025-05-14", "Geneva"),
    ("2025-11-10", "Busan"),
)


def use_house_style() -> None:
    """Apply the house style to every figure that follows."""
    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE, font_scale=0.95)
    plt.rcParams.update(
        {
            "figure.figsize": (9.0, 4.8),
            "figure.dpi": 110,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "legend.frameon": False,
        }
    )


def label_synthetic(figure: Figure, dataset: str) -> None:
    """Stamp a figure made from the demo world so that it is never mistaken for real statistics."""
    if dataset == "demo":
        figure.text(
            0.995, 0.01, SYNTHETIC_LABEL, ha="right", va="bottom", fontsize=8, color="#c0504d", alpha=0.9
        )


def mark_milestones(ax: Axes, milestones: Sequence[tuple[str, str]] = MILESTONES) -> None:
    """Dotted vertical lines with short labels at the policy dates inside the axis' range."""
    low, high = mdates.num2date(ax.get_xlim()[0]), mdates.num2date(ax.get_xlim()[1])
    for day, text in milestones:
        when = pd.Timestamp(day)
        if low.replace(tzinfo=None) <= when.to_pydatetime() <= high.replace(tzinfo=None):
            ax.axvline(mdates.date2num(when), color="#7f7f7f", linestyle=":", linewidth=0.9)
            ax.text(mdates.date2num(when), 1.0, f" {text}", transform=ax.get_xaxis_transform(), fontsize=7.5,
                    rotation=90, va="top", ha="left", color="#595959")  # fmt: skip


def percent_axis(ax: Axes, axis: str = "y", decimals: int = 0) -> None:
    """Format an axis holding fractions as percentages."""
    formatter = PercentFormatter(1.0, decimals=decimals)
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def _finish(figure: Figure, ax: Axes, *, title: str, ylabel: str, dataset: str, milestones: bool) -> Figure:
    """The common ending of every rate chart: percent axis, titles, milestones, the synthetic label."""
    percent_axis(ax)
    ax.set(title=title, xlabel="", ylabel=ylabel)
    if milestones:
        mark_milestones(ax)
    label_synthetic(figure, dataset)
    figure.tight_layout()
    return figure


def rate_lines(
    frame: pd.DataFrame, *, x: str, y: str, hue: str, title: str, dataset: str, ylabel: str = "duty rate"
) -> Figure:
    """Lines of rates over time, one per `hue`, with the policy milestones marked."""
    figure, ax = plt.subplots()
    sns.lineplot(data=frame, x=x, y=y, hue=hue, ax=ax, linewidth=1.8)
    ax.legend(loc="upper left", title=None, fontsize=8)
    return _finish(figure, ax, title=title, ylabel=ylabel, dataset=dataset, milestones=True)


def rate_bars(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    hue: str | None,
    title: str,
    dataset: str,
    ylabel: str = "duty rate",
) -> Figure:
    """Bars of rates by category (for example HS chapter)."""
    figure, ax = plt.subplots()
    sns.barplot(data=frame, x=x, y=y, hue=hue, ax=ax)
    return _finish(figure, ax, title=title, ylabel=ylabel, dataset=dataset, milestones=False)


def layer_areas(
    frame: pd.DataFrame, *, x: str, layers: Sequence[str], title: str, dataset: str, ylabel: str = "tariff"
) -> Figure:
    """A stacked area of tariff layers over time (their sum is the total rate)."""
    figure, ax = plt.subplots()
    present = [layer for layer in layers if layer in frame.columns and frame[layer].abs().sum() > 0]
    ax.stackplot(frame[x], *(frame[layer] for layer in present), labels=present, alpha=0.85)
    ax.legend(loc="upper left", fontsize=8)
    return _finish(figure, ax, title=title, ylabel=ylabel, dataset=dataset, milestones=True)


def published_comparison(
    frame: pd.DataFrame,
    published: pd.DataFrame,
    *,
    x: str,
    y: str,
    hue: str,
    title: str,
    dataset: str,
    ylabel: str = "average tariff",
) -> Figure:
    """Computed series as lines, published figures for the same series as dots of the same colour."""
    figure, ax = plt.subplots()
    for colour, (key, series) in zip(PALETTE, frame.groupby(hue, sort=True), strict=False):
        ax.plot(series[x], series[y], color=colour, linewidth=1.8, label=f"{key} (computed)")
        points = published[published[hue] == key]
        if len(points):
            ax.scatter(points["date"], points["average"], color=colour, edgecolor="black", zorder=3,
                       s=36, label=f"{key} (published)")  # fmt: skip
    ax.legend(loc="upper left", fontsize=8)
    return _finish(figure, ax, title=title, ylabel=ylabel, dataset=dataset, milestones=True)
