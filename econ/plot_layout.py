"""Keeping a chart's marks legible where matplotlib would let them collide: milestone labels that stack
instead of overlapping, and one colour per series where several panels share one legend (each panel's
colour cycle starts again from the palette's first colour). Used by `econ.plots`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import matplotlib.colors as mcolors
import matplotlib.transforms as transforms
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.collections import Collection
from matplotlib.container import Container
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.typing import ColorType

RGBA = tuple[float, float, float, float]


class MilestoneLabels(Artist):
    """Keeps an axis' milestone labels apart, at every drawing (so after any later layout: a legend
    below, `tight_layout`, a saved PNG's size): each label hangs from the top of the plot beside its
    line, or, where it would touch a label already placed, just under the lowest one it touches.

    Drawn before the labels (lowest z-order) and invisible itself; it only moves them. Positions depend
    on the drawn size of the axes, so they cannot be set once when the labels are made."""

    GAP_POINTS = 2.0

    def __init__(self, labels: Sequence[Text]) -> None:
        super().__init__()
        self.labels = list(labels)
        self.set_zorder(-10)
        self.set_in_layout(False)

    def draw(self, renderer: RendererBase) -> None:
        gap = self.GAP_POINTS * cast(float, renderer.points_to_pixels(1.0))
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
        self.stale = False


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
    """Series of later panels drawn in a colour an earlier panel already uses get the palette's next
    unused colour, on the plot as in the legend, so that one legend for the panels names each series by
    its own colour. Within a panel colours are left alone (a panel may draw a computed series and its
    published points in one colour on purpose); once the palette is used up, the rest keep theirs."""
    used: set[str] = set()
    for panel in panels:
        handles, _ = panel.get_legend_handles_labels()
        own = {found for found in map(colour, handles) if found is not None}
        moved: dict[str, str] = {}  # the same new colour for entries of this panel that shared one
        for handle in handles:
            found = colour(handle)
            if found is None or found not in used:
                continue
            if found not in moved:
                free = [c for c in map(mcolors.to_hex, palette) if c not in used | own | set(moved.values())]
                if not free:
                    continue
                moved[found] = free[0]
            _recolour(handle, moved[found])
        used |= {moved.get(found, found) for found in own}
