"""What the timeline is known through, and the note a report shows when its data reach past it.

    from econ import tariffs
    tariffs.known_through()                      # Timestamp('2026-09-29')
    note = tariffs.projection_note(panel["month"])   # "" when every date is known
    if note:
        display(Markdown(note))

Rates on dates after the known-through date are projections: the schedule in force on that date carried
forward, with nothing of what may have been decided since. The engine marks them (``projection``) and logs
a warning once per call; this is the visible note for readers.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from econ.tariffs.timeline import Timeline, load_timeline

_TIMELINE: Timeline | None = None


def _package_timeline() -> Timeline:
    global _TIMELINE
    if _TIMELINE is None:
        _TIMELINE = load_timeline()
    return _TIMELINE


def known_through(timeline: Timeline | None = None) -> pd.Timestamp:
    """The last day for which the tariff timeline is known (data/dates.csv, with its source)."""
    return (timeline or _package_timeline()).known_through


def projection_note(
    dates: Iterable[pd.Timestamp] | pd.Series | pd.DatetimeIndex, *, timeline: Timeline | None = None
) -> str:
    """A Markdown note when any of `dates` (days, or month starts: a month counts from its first day to
    its last) falls after the known-through date; an empty string otherwise."""
    values = pd.DatetimeIndex(
        pd.to_datetime(pd.Series(list(dates) if not isinstance(dates, pd.Series) else dates))
    )
    if values.empty:
        return ""
    through = known_through(timeline)
    last = values.max()
    # A month start stands for the whole month.
    last_day = last + pd.offsets.MonthEnd(0) if (values.day == 1).all() else last
    if last_day <= through:
        return ""
    return (
        f"**Projection.** The tariff timeline is known through {through:%Y-%m-%d}; the rates shown for "
        f"dates after it (here up to {last_day:%Y-%m-%d}) are the schedule in force then carried forward, "
        "not known rates."
    )
