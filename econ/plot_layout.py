"""Keeping a chart's marks legible where matplotlib would let them collide: milestone labels that stack
instead of overlapping and that the data pass under, and one colour per series where several panels share
one legend (each panel's colour cycle starts again from the palette's first colour). Used by `econ.plots`."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import cast

import matplotlib.colors as mcolors
import matplotlib.transforms as transforms
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.collections import Collection, PathCollection
from matplotlib.container import Container
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.typing import ColorType

RGBA = tuple[float, float, float, float]


class MilestoneLabels(Artist):
    """Keeps an axis' milestone labels apart and clear of the data, at every drawing (so after any later
    layout: a legend below, `tight_layout`, a saved PNG's size, a series added after the labels).

    Each label hangs from the top of the plot beside its line, or, where it would touch a label already
    placed, just under the lowest one it touches. Then, where a line, a dot, an area or a bar would reach
    into a label (PIIE's published 125% on China sat on the "145%" of April 2025), the top of the vertical
    axis is raised just enough that every mark passes under every label: the labels keep their place at
    the top, in a band the data do not reach, and nothing is moved sideways off its date.

    Drawn before the labels and the axis (lowest z-order) and invisible itself; it only moves them. Both
    depend on the drawn size of the axes, so they cannot be set once when the labels are made."""

    GAP_POINTS = 2.0
    # The band never takes more than this share of the plot's height: below it the data would be squeezed
    # into too little of the chart, and a label crossed by a line is the lesser harm.
    MOST_HEADROOM = 0.4

    def __init__(self, labels: Sequence[Text]) -> None:
        super().__init__()
        self.labels = list(labels)
        self.set_zorder(-10)
        self.set_in_layout(False)
        # (the limits found, the limits set) at the last raise: a later drawing starts from the limits found
        # again, so that the raise is the same at every drawing and undone when no longer needed
        self._raised: tuple[tuple[float, float], tuple[float, float]] | None = None

    def draw(self, renderer: RendererBase) -> None:
        gap = self.GAP_POINTS * cast(float, renderer.points_to_pixels(1.0))
        self._stack(renderer, gap)
        self._clear_of_data(renderer, gap)
        self.stale = False

    def _stack(self, renderer: RendererBase, gap: float) -> None:
        placed: list[transforms.Bbox] = []
        for label in sorted(self.labels, key=lambda each: each.get_position()[0]):
            label.set_y(1.0)
            for _ in range(len(placed) + 1):  # each move goes below a label: no more moves than labels
                box = label.get_window_extent(renderer)
                hit = [other for other in placed if _touch(box, other, gap)]
                if not hit:
                    break
                # under the lowest label it touches, in axes fractions (the label's y is one)
                top = min(other.y0 for other in hit) - 1.5 * gap
                axes = label.axes
                assert axes is not None  # made by ax.text
                label.set_y(axes.transAxes.inverted().transform((0.0, top))[1])
            placed.append(label.get_window_extent(renderer))

    def _clear_of_data(self, renderer: RendererBase, gap: float) -> None:
        """Raise the top of the vertical axis until the data pass under every label (at most
        `MOST_HEADROOM` of the plot); the labels, placed in axes fractions, stay where they are."""
        axes = cast(Axes | None, self.axes)  # set by ax.add_artist
        if axes is None or not self.labels or axes.get_yscale() != "linear":
            return
        low, high = axes.get_ylim()
        if self._raised is not None and np.allclose((low, high), self._raised[1], rtol=1e-9, atol=0.0):
            low, high = self._raised[0]  # raised by the last drawing: start again from what it found
        if not high > low:  # an inverted axis: its top is its bottom, leave it
            return
        plot = axes.get_window_extent(renderer)
        if plot.height <= 0:
            return
        to_data = axes.transData.inverted()
        needed = high
        marks = list(_marks(axes, renderer))
        for label in self.labels:
            box = label.get_window_extent(renderer)
            for xs, ys, pad in marks:
                reach = _highest_within(xs, ys, box.x0 - gap - pad, box.x1 + gap + pad)
                if reach is None:
                    continue
                value = float(to_data.transform((box.x0, reach))[1])
                if not low < value <= high:  # under the plot, or above a top someone set on purpose
                    continue
                room = (box.y0 - plot.y0 - pad - gap) / plot.height  # where the mark must stay under
                needed = max(needed, low + (value - low) / room if room > 0 else math.inf)
        top = min(needed, low + (high - low) / (1.0 - self.MOST_HEADROOM))
        if not np.allclose((low, top), axes.get_ylim(), rtol=1e-9, atol=0.0):
            axes.set_ylim(low, top, auto=None)  # auto=None: a series added later still rescales the axis
        self._raised = ((low, high), axes.get_ylim()) if top != high else None


def _marks(axes: Axes, renderer: RendererBase) -> Iterator[tuple[np.ndarray, np.ndarray, float]]:
    """What the axes draw from data, as polylines in pixels (one point for a dot) with the half width
    they are drawn with (a line's half width, a dot's radius). Marks placed in axes fractions vertically
    (the milestones' own dotted lines, shaded spans) run the plot's whole height by design: left out."""
    pixels = cast(float, renderer.points_to_pixels(1.0))

    def data_y(transform: transforms.Transform) -> bool:
        return bool(transform.contains_branch_seperately(axes.transData)[1])

    for line in axes.lines:
        if not line.get_visible() or not data_y(line.get_transform()):
            continue
        drawn = line.get_transform().transform(line.get_xydata())
        half = max(float(line.get_linewidth()), float(line.get_markersize()) if line.get_marker() else 0.0)
        yield drawn[:, 0], drawn[:, 1], 0.5 * half * pixels
    for collection in axes.collections:
        if not collection.get_visible():
            continue
        offsets = np.asarray(collection.get_offsets())
        if isinstance(collection, PathCollection) and len(offsets):  # dots: a marker at each offset
            if not data_y(collection.get_offset_transform()):
                continue
            centres = collection.get_offset_transform().transform(offsets)
            sizes = collection.get_sizes()
            radius = math.sqrt(float(np.max(sizes))) / 2 if len(sizes) else 3.0  # sizes are areas, points²
            edges = np.atleast_1d(collection.get_linewidth())
            edge = float(np.max(edges)) if len(edges) else 0.0
            half = (radius + edge / 2) * pixels
            for x, y in centres:
                yield np.array([x]), np.array([y]), half
            continue
        if not data_y(collection.get_transform()):
            continue
        widths = np.atleast_1d(collection.get_linewidth())
        half = 0.5 * float(np.max(widths)) * pixels if len(widths) else 0.0
        for path in collection.get_paths():
            for polygon in collection.get_transform().transform_path(path).to_polygons(closed_only=False):
                drawn = np.asarray(polygon)
                yield drawn[:, 0], drawn[:, 1], half
    for patch in axes.patches:
        if not patch.get_visible() or not data_y(patch.get_transform()):
            continue
        for polygon in patch.get_transform().transform_path(patch.get_path()).to_polygons(closed_only=False):
            drawn = np.asarray(polygon)
            yield drawn[:, 0], drawn[:, 1], 0.5 * float(patch.get_linewidth()) * pixels


def _highest_within(xs: np.ndarray, ys: np.ndarray, left: float, right: float) -> float | None:
    """The highest point (pixels) of a polyline between two horizontal positions, None if it does not
    pass between them. A straight segment is highest at one end of its part inside, so the ends suffice."""
    if len(xs) == 1:
        inside = math.isfinite(xs[0]) and math.isfinite(ys[0]) and left <= xs[0] <= right
        return float(ys[0]) if inside else None
    xa, xb, ya, yb = xs[:-1], xs[1:], ys[:-1], ys[1:]
    finite = np.isfinite(xa) & np.isfinite(xb) & np.isfinite(ya) & np.isfinite(yb)
    first, last = np.minimum(xa, xb), np.maximum(xa, xb)
    crossing = finite & (last >= left) & (first <= right)
    if not crossing.any():
        return None
    xa, xb, ya, yb = xa[crossing], xb[crossing], ya[crossing], yb[crossing]
    start, end = np.maximum(first[crossing], left), np.minimum(last[crossing], right)
    run = xb - xa
    upright = run == 0
    slope = np.divide(yb - ya, run, out=np.zeros_like(run), where=~upright)
    at_start = np.where(upright, np.maximum(ya, yb), ya + slope * (start - xa))
    at_end = np.where(upright, np.maximum(ya, yb), ya + slope * (end - xa))
    return float(max(at_start.max(), at_end.max()))


def _touch(one: transforms.Bbox, other: transforms.Bbox, gap: float) -> bool:
    """Whether two label boxes overlap or come within ``gap`` pixels of each other."""
    return (
        one.x0 < other.x1 + gap
        and other.x0 < one.x1 + gap
        and one.y0 < other.y1 + gap
        and other.y0 < one.y1 + gap
    )


# ------------------------------------------------------------------------------- colours


def colour(handle: object) -> str | None:
    """The colour a legend entry shows (a line's, a marker's, a patch's face), as hex; None where the
    entry has none to read."""
    if isinstance(handle, Container):
        parts = [part for part in handle if part is not None]
        return colour(parts[0]) if parts else None
    if isinstance(handle, Line2D):
        return mcolors.to_hex(cast(ColorType, handle.get_color()))  # never the bare float the stub allows
    if isinstance(handle, Collection):
        faces = handle.get_facecolor()  # one RGBA row per item drawn
        if len(faces) == 0:
            faces = handle.get_edgecolor()
        return mcolors.to_hex(cast(RGBA, faces[0])) if len(faces) else None
    if isinstance(handle, Patch):
        return mcolors.to_hex(handle.get_facecolor())
    return None


def _recolour(handle: object, new: str) -> None:
    if isinstance(handle, Container):
        for part in handle:
            for piece in part if isinstance(part, tuple | list) else (part,):
                if piece is not None:
                    _recolour(piece, new)
    elif isinstance(handle, Line2D):
        old = mcolors.to_hex(handle.get_color())
        handle.set_color(new)
        for get, put in ((handle.get_markerfacecolor, handle.set_markerfacecolor),
                         (handle.get_markeredgecolor, handle.set_markeredgecolor)):  # fmt: skip
            if mcolors.to_hex(get()) == old:
                put(new)
    elif isinstance(handle, Collection | Patch):
        handle.set_color(new)


def distinct_colours(panels: Sequence[Axes], palette: Sequence[str]) -> None:
    """Give each series of several panels one colour, on the plot as in the legend, so that one legend
    for the panels names each series by its own colour: a series an earlier panel already drew (the same
    legend label) takes the colour it has there, and a series drawn in a colour an earlier panel gives
    another series gets the palette's next unused colour. Within a panel colours that entries share stay
    shared (a panel may draw a computed series and its published points in one colour on purpose);
    once the palette is used up, the rest keep theirs."""
    used: set[str] = set()
    by_series: dict[str, str] = {}  # a legend label → its colour where it was first drawn
    for panel in panels:
        handles, labels = panel.get_legend_handles_labels()
        entries = [(handle, label, colour(handle)) for handle, label in zip(handles, labels, strict=True)]
        own = {found for _, _, found in entries if found is not None}
        moved: dict[str, str] = {}  # an old colour of this panel → its new one, for all entries sharing it
        for _, label, found in entries:  # the series seen before set their colour first
            if found is not None and label in by_series:
                moved.setdefault(found, by_series[label])
        for handle, label, found in entries:
            if found is None:
                continue
            new = by_series.get(label) or moved.get(found)
            if new is None and found in used:
                free = [c for c in map(mcolors.to_hex, palette) if c not in used | own | set(moved.values())]
                if free:
                    new = moved[found] = free[0]
            if new is not None and new != found:
                _recolour(handle, new)
            by_series.setdefault(label, new or found)
        used |= {moved.get(found, found) for found in own}
