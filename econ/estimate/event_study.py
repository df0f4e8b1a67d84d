"""Event studies around tariff changes, stacked: every dated change of the schedule is its own event.

    log y_ict,s = Σ_{k=a..b, k≠−1} β_k · 1[pair ic has event s, t − E_s = k] + μ_ic,s + α_{i,t,s} + ε

Events are the months in which a pair's scheduled log(1 + τ) moves by at least `threshold` in the chosen
direction, between `since` and `until` and, with `event_partners`, only for those partners (China's
2018–19 Section 301 waves: event_partners=["5700"], until=2019 × 12 + 11). They come from the schedule
evaluated on the full grid of pairs and months (`rates`, see econ.estimate.design), so a month with no
row neither hides nor moves an event. A pair hit twice (List 3: 10% in September 2018, 25% in May
2019) has two events. Each event month s is a stack: its event pairs in months [E_s + a, E_s + b], cut
before their next event and after their previous one, and as controls every pair with no event of its
own in that window; μ and α are pair and product × month effects within the stack (Cengiz, Dube,
Lindner & Zipperer 2019), so an event pair is compared with other partners of the same product in the
same month, never with a pair that is itself changing. Windows are trimmed, not binned. Without a rate
source the panel's own `statutory_rate` is used, and events are only found where both months have rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

import numpy as np
import pandas as pd

from econ.errors import EstimationError, ParameterError
from econ.estimate.design import RateSource, schedule_grid
from econ.estimate.differences import require, safe_log
from econ.estimate.ols import absorbed_ols
from econ.estimate.results import Result

Outcome = Literal["value", "quantity", "unit_value", "unit_value_incl_duty"]
Direction = Literal["increase", "decrease"]


@dataclass
class EventStudy:
    """The regression and its event-time profile: rel_time, estimate, std_error, ci_low, ci_high, n_obs;
    the events (pair, month) it stacked."""

    result: Result
    profile: pd.DataFrame
    n_event_pairs: int
    outcome: str
    events: pd.DataFrame | None = None


def schedule_events(
    panel: pd.DataFrame,
    rates: RateSource | None,
    *,
    threshold: float,
    direction: Direction,
    first: int,
    last: int,
    since: int,
    until: int,
    partners: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Every (product_id, partner_id, month_id) at which the scheduled log(1 + τ) moves by `threshold`."""
    grid = schedule_grid(panel, rates, first=first - 1, last=last)
    grid = grid.sort_values(["product_id", "partner_id", "month_id"], ignore_index=True)
    change = grid.groupby(["product_id", "partner_id"])["log_tariff"].diff().to_numpy()
    hit = change >= threshold if direction == "increase" else change <= -threshold
    hit &= grid["month_id"].between(since, until).to_numpy()
    if partners is not None:
        hit &= grid["partner"].astype(str).isin([str(p) for p in partners]).to_numpy()
    return grid.loc[hit, ["product_id", "partner_id", "month_id"]].reset_index(drop=True)


def event_study(
    panel: pd.DataFrame,
    *,
    rates: RateSource | None = None,
    outcome: Outcome = "value",
    window: tuple[int, int] = (-6, 12),
    threshold: float = 0.05,
    direction: Direction = "increase",
    since: int | None = None,
    until: int | None = None,
    event_partners: Sequence[str] | None = None,
    cluster: str = "product_id",
) -> EventStudy:
    """Stacked leads and lags of log `outcome` around each scheduled tariff change (see the module doc)."""
    problems = []
    if outcome not in get_args(Outcome):
        problems.append(("outcome", f"expected one of {get_args(Outcome)}, got {outcome!r}"))
    if direction not in get_args(Direction):
        problems.append(("direction", f"expected one of {get_args(Direction)}, got {direction!r}"))
    lo, hi = window
    if not (lo <= -2 and hi >= 0):
        problems.append(("window", f"need a ≤ −2 and b ≥ 0 (−1 is the reference), got {window}"))
    if problems:
        raise ParameterError(problems, context="event_study")
    require(
        panel,
        ["product_id", "partner_id", "month_id", "hs10", "partner", outcome, cluster,
         *([] if rates is not None else ["statutory_rate"])],
        "event_study",
    )  # fmt: skip
    months = panel["month_id"].to_numpy()
    since = int(months.min()) + 1 if since is None else since
    until = int(months.max()) if until is None else until
    first, last = max(int(months.min()), since + lo), min(int(months.max()), until + hi)
    sample = panel.loc[(months >= first) & (months <= last)]
    events = schedule_events(
        sample, rates, threshold=threshold, direction=direction, first=first, last=last, since=since,
        until=until, partners=event_partners,
    )  # fmt: skip
    if events.empty:
        raise EstimationError(
            f"event_study: no pair has a scheduled tariff {direction} of at least {threshold} in log(1 + τ)"
        )
    pair_key = sample["product_id"].to_numpy(np.int64) * 100_000 + sample["partner_id"].to_numpy()
    events["pair"] = events["product_id"].to_numpy(np.int64) * 100_000 + events["partner_id"].to_numpy()
    events = events.sort_values(["pair", "month_id"], ignore_index=True)
    events["previous"] = events.groupby("pair")["month_id"].shift(1)
    events["next"] = events.groupby("pair")["month_id"].shift(-1)
    log_y = safe_log(sample[outcome])
    base = pd.DataFrame(
        {
            "log_y": log_y,
            "pair": pair_key,
            "product_id": sample["product_id"].to_numpy(),
            "month_id": sample["month_id"].to_numpy(np.int64),
            cluster: sample[cluster].to_numpy(),
        }
    )
    base = base.loc[np.isfinite(log_y)]
    stacks = []
    for month in sorted(int(m) for m in events["month_id"].unique()):
        group = events[events["month_id"] == month]
        in_window = base["month_id"].between(month + lo, month + hi)
        rows = base.loc[in_window]
        own = group.set_index("pair")
        is_event = rows["pair"].isin(own.index).to_numpy()
        # event pairs: cut at their neighbouring events; controls: no event of their own in the window
        nearby = events[events["month_id"].between(month + lo, month + hi)]["pair"].unique()
        previous = own["previous"].reindex(rows["pair"]).to_numpy()
        following = own["next"].reindex(rows["pair"]).to_numpy()
        t = rows["month_id"].to_numpy()
        clean_event = (
            is_event & ~(t <= np.nan_to_num(previous, nan=-1e9)) & ~(t >= np.nan_to_num(following, nan=1e9))
        )
        control = ~rows["pair"].isin(nearby).to_numpy()
        stack = rows.loc[clean_event | control].copy()
        stack["stack"] = month
        stack["rel"] = np.where(clean_event[clean_event | control], stack["month_id"] - month, np.nan)
        stacks.append(stack)
    frame = pd.concat(stacks, ignore_index=True)
    names = []
    for k in range(lo, hi + 1):
        if k == -1:
            continue
        name = f"rel_{'m' if k < 0 else 'p'}{abs(k)}"
        frame[name] = (frame["rel"] == k).astype(np.float64)
        names.append(name)
    absorb: list[str | tuple[str, ...]] = [("pair", "stack"), ("product_id", "month_id", "stack")]
    result = absorbed_ols(frame, "log_y", names, absorb, cluster=cluster)
    result.specification.update(
        estimator="stacked_event_study", outcome=outcome, window=window, threshold=threshold,
        direction=direction, stacks=int(events["month_id"].nunique()),
    )  # fmt: skip
    ks = [k for k in range(lo, hi + 1) if k != -1]
    counts = frame["rel"].value_counts()
    tidy = result.tidy()
    profile = pd.DataFrame(
        {
            "rel_time": ks,
            "estimate": tidy["estimate"].to_numpy(),
            "std_error": tidy["std_error"].to_numpy(),
            "ci_low": tidy["ci_low"].to_numpy(),
            "ci_high": tidy["ci_high"].to_numpy(),
            "n_obs": [int(counts.get(float(k), 0)) for k in ks],
        }
    )
    ref = pd.DataFrame(
        [{"rel_time": -1, "estimate": 0.0, "std_error": 0.0, "ci_low": 0.0, "ci_high": 0.0,
          "n_obs": int(counts.get(-1.0, 0))}]
    )  # fmt: skip
    profile = pd.concat([profile, ref]).sort_values("rel_time", ignore_index=True)
    return EventStudy(
        result=result,
        profile=profile,
        n_event_pairs=int(events["pair"].nunique()),
        outcome=outcome,
        events=events[["product_id", "partner_id", "month_id"]],
    )


OUTCOME_WORDS: dict[str, str] = {
    "value": "Value of imports (customs value)",
    "quantity": "Quantity imported",
    "unit_value": "Unit value before duty (price)",
    "unit_value_incl_duty": "Duty-inclusive unit value (price paid)",
}
"""Each `Outcome` as a figure's legend names it."""


def outcome_words(outcome: str) -> str:
    """An event study's outcome in words (`OUTCOME_WORDS`); an outcome the list does not know, as it is."""
    return OUTCOME_WORDS.get(outcome, outcome)


def plot_event_study(
    study: EventStudy | dict[str, EventStudy],
    *,
    ax: Any = None,
    title: str | None = None,
    colours: Mapping[str, str] | None = None,
) -> Any:
    """Figure of the event-time profile(s) with 95% intervals, each under its key in the legend (a single
    study under its outcome in words); returns the matplotlib Figure.

    With ``colours`` (a colour for each key), each series is drawn in its own colour; without, the keys
    take the palette's colours in order. Figures of several panels pass one mapping to every panel
    (`plot_event_study_panels`): each panel alone would start the palette again, and a price in one
    panel would share its blue with a quantity in the next."""
    import matplotlib.pyplot as plt

    from econ import plots

    studies = study if isinstance(study, dict) else {outcome_words(study.outcome): study}
    chosen = plots.series_colours(studies) if colours is None else colours
    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 4))
    else:
        fig = ax.figure
    width = 0.8 / max(len(studies), 1)
    for j, (label, s) in enumerate(studies.items()):
        p = s.profile
        shift = (j - (len(studies) - 1) / 2) * width * 0.5
        ax.errorbar(
            p["rel_time"] + shift,
            p["estimate"],
            yerr=[p["estimate"] - p["ci_low"], p["ci_high"] - p["estimate"]],
            fmt="o-",
            ms=3,
            capsize=2,
            color=chosen[label],
            label=label,
        )
    ax.axhline(0.0, color="grey", lw=0.8)
    ax.axvline(-0.5, color="grey", lw=0.8, ls="--")
    ax.set_xlabel("months relative to the tariff change (end points binned)")
    ax.set_ylabel("log points relative to month −1")
    if title:
        ax.set_title(title)
    # below the plot, as on every other chart: inside it, it sat over the estimates of the first months
    plots.legend_below(ax)
    return fig


def plot_event_study_panels(
    panels: Mapping[str, Sequence[EventStudy]], *, ylabel: str = "log points relative to month −1"
) -> Any:
    """Event-time profiles in panels side by side, one panel per title of ``panels`` holding its studies,
    each named in its legend by its outcome in words (`OUTCOME_WORDS`). Every outcome has one colour of
    its own, the same in every panel it appears in, so that no two series of the figure share a colour
    while the palette lasts. Returns the matplotlib Figure."""
    import matplotlib.pyplot as plt

    from econ import plots

    if not panels:
        raise ParameterError([("panels", "no panel to draw")], context="plot_event_study_panels")
    colours = plots.series_colours(outcome_words(s.outcome) for studies in panels.values() for s in studies)
    fig, axes = plt.subplots(1, len(panels), figsize=(max(7.0, 5.5 * len(panels)), 4), squeeze=False)
    for ax, (title, studies) in zip(axes[0], panels.items(), strict=True):
        plot_event_study({outcome_words(s.outcome): s for s in studies}, ax=ax, title=title, colours=colours)
        ax.set_ylabel(ylabel)
    fig.tight_layout()
    return fig
