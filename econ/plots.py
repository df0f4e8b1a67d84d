"""Figures in one house style (seaborn), and the label that synthetic data must carry wherever shown."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import matplotlib.transforms as transforms
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from econ import plot_layout

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
    """Apply the house style to every figure that follows; in a notebook, every matplotlib figure shown
    without `show` still gets alt text on the page (made from its titles and axis labels)."""
    _alt_text_for_every_figure()
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


def describe(figure: Figure) -> str:
    """Alt text made from a figure's own words: its titles and axis labels (`show` takes a better one)."""
    parts = []
    title = figure.get_suptitle() if hasattr(figure, "get_suptitle") else ""
    if title:
        parts.append(title)
    for ax in figure.axes:
        bits = [ax.get_title() or ax.get_title(loc="left")]
        if ax.get_ylabel():
            bits.append(f"vertical axis: {ax.get_ylabel()}")
        if ax.get_xlabel():
            bits.append(f"horizontal axis: {ax.get_xlabel()}")
        parts.append("; ".join(bit for bit in bits if bit))
    text = ". ".join(part for part in parts if part)
    return f"Chart: {text}." if text else "Chart (no title or axis labels)."


def _alt_text_for_every_figure() -> None:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with ipykernel
        return
    shell = get_ipython()
    if shell is None:
        return

    def as_html(figure: Figure) -> str:
        from econ import formatting
        from econ.formatting import data_uri

        alt = describe(figure)
        image = f'<img src="{data_uri(_png(figure), "image/png")}" alt="{formatting.html(alt)}">'
        return f'<figure class="econ-figure">{image}</figure>'

    shell.display_formatter.formatters["text/html"].for_type(Figure, as_html)


def label_synthetic(figure: Figure, dataset: str) -> None:
    """Stamp a figure made from the demo world so that it is never mistaken for real statistics."""
    if dataset == "demo":
        # hung below the figure's bottom edge (the saved image grows to hold it), so that a legend set
        # below the plot never runs into it
        figure.text(0.995, 0.0, SYNTHETIC_LABEL, ha="right", va="top", fontsize=8, color="#c0504d", alpha=0.9)


# a pale ground under each milestone label, so that the next event's dotted line (days away on a long axis)
# does not strike through its words; the data pass under the labels (the axis' top is raised for them,
# `econ.plot_layout.MilestoneLabels`), and where the raise is capped, labels sit under every series
# (z-order 0.9; lines draw at 2, areas at 1), which stay whole
_LABEL_GROUND = {"boxstyle": "square,pad=0.05", "facecolor": "white", "edgecolor": "none", "alpha": 0.75}


def mark_milestones(ax: Axes, milestones: Sequence[tuple[str, str]] = MILESTONES) -> None:
    """Dotted vertical lines with short labels at the policy dates inside the axis' range; labels that
    would run into each other (2025's IEEPA, 145% and Geneva, months apart on a decade's axis) are
    stacked, each beside its own line, and the data (lines, dots, areas, bars, series added after this
    call included) pass under them: the top of the axis is raised at drawing time where they would reach
    into a label (`econ.plot_layout.MilestoneLabels`)."""
    low, high = mdates.num2date(ax.get_xlim()[0]), mdates.num2date(ax.get_xlim()[1])
    labels = []
    for day, text in milestones:
        when = pd.Timestamp(day)
        if low.replace(tzinfo=None) <= when.to_pydatetime() <= high.replace(tzinfo=None):
            ax.axvline(mdates.date2num(when), color="#7f7f7f", linestyle=":", linewidth=0.9, zorder=0.7)
            labels.append(
                ax.text(mdates.date2num(when), 1.0, f" {text}", transform=ax.get_xaxis_transform(),
                        fontsize=7.5, rotation=90, va="top", ha="left", color="#595959", bbox=_LABEL_GROUND,
                        zorder=0.9)
            )  # fmt: skip
    if labels:
        ax.add_artist(plot_layout.MilestoneLabels(labels))


def series_colours(series: Iterable[str]) -> dict[str, str]:
    """One palette colour for each distinct series, in the order they first come: for a figure whose
    panels draw some of the same series, passed to every panel, so that a series has the same colour in
    each and no two series share one (while the palette lasts; past it the colours start again)."""
    order = list(dict.fromkeys(series))
    return {name: PALETTE[place % len(PALETTE)] for place, name in enumerate(order)}


def legend_below(ax: Axes, *, columns: int | None = None, also: Sequence[Axes] = ()) -> None:
    """The axis' legend below the plot, under its tick labels and axis label, in up to three columns;
    with ``also``, the entries of those axes too (panels stacked over a shared date axis get one legend,
    under the lowest, which is ``ax``), each series in its own colour and named once, however many panels
    draw it (`econ.plot_layout.distinct_colours`: every panel starts the palette again).

    Inside the axes a legend sits where the first milestones' labels and the lines of 2018–19 are (the
    top left corner), and "best" placement moves it about from page to page. Call it once the axis'
    labels are set: the gap below the axes is measured from them; the figure is laid out again (tight)."""
    handles, labels = [], []
    for each in (*also, ax):
        more, words = each.get_legend_handles_labels()
        handles += more
        labels += words
        old = each.get_legend()
        if old is not None and (each is not ax or not handles):
            old.remove()
    if not handles:
        return
    if also:
        plot_layout.distinct_colours([*also, ax], PALETTE)
        # a series drawn in several panels (in one colour, above) is named once
        kept = [place for place, label in enumerate(labels) if labels.index(label) == place]
        handles, labels = [handles[place] for place in kept], [labels[place] for place in kept]
    figure = ax.get_figure()
    assert isinstance(figure, Figure)  # an Axes made by plt.subplots always has its figure
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]  # Agg, every backend here
    axes_box = ax.get_window_extent(renderer)
    under = ax.xaxis.get_tightbbox(renderer)
    gap = max(axes_box.y0 - under.y0, 0.0) if under is not None else 0.0
    below = transforms.offset_copy(
        ax.transAxes, fig=figure, y=-(gap * 72.0 / figure.dpi + 4.0), units="points"
    )
    ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 0.0), bbox_transform=below,
              ncol=columns or min(len(handles), 3), fontsize=8, title=None, frameon=False)  # fmt: skip
    figure.tight_layout()  # room for the legend inside the figure, above the synthetic label hung below it


def month_axis(ax: Axes) -> None:
    """Dates on the horizontal axis as short months and years ("Feb", "2025"), so that a year of monthly
    points does not print a row of overlapping "2025-02" labels."""
    locator = mdates.AutoDateLocator(maxticks=12)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def percent_axis(ax: Axes, axis: str = "y", decimals: int = 0) -> None:
    """Format an axis holding fractions as percentages."""
    formatter = PercentFormatter(1.0, decimals=decimals)
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def _finish(
    figure: Figure, ax: Axes, *, title: str, ylabel: str, dataset: str, milestones: bool, xlabel: str = ""
) -> Figure:
    """The common ending of every rate chart: percent axis, titles, milestones, the legend below the
    plot, the synthetic label."""
    percent_axis(ax)
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    if milestones:
        mark_milestones(ax)
    label_synthetic(figure, dataset)
    figure.tight_layout()
    legend_below(ax)
    return figure


def rate_lines(
    frame: pd.DataFrame, *, x: str, y: str, hue: str, title: str, dataset: str, ylabel: str = "duty rate"
) -> Figure:
    """Lines of rates over time, one per `hue`, with the policy milestones marked."""
    figure, ax = plt.subplots()
    sns.lineplot(data=frame, x=x, y=y, hue=hue, ax=ax, linewidth=1.8)
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
    xlabel: str = "",
) -> Figure:
    """Bars of rates by category (for example HS chapter)."""
    figure, ax = plt.subplots()
    sns.barplot(data=frame, x=x, y=y, hue=hue, ax=ax)
    return _finish(figure, ax, title=title, ylabel=ylabel, xlabel=xlabel, dataset=dataset, milestones=False)


def layer_areas(
    frame: pd.DataFrame, *, x: str, layers: Sequence[str], title: str, dataset: str, ylabel: str = "tariff"
) -> Figure:
    """A stacked area of tariff layers over time (their sum is the total rate)."""
    figure, ax = plt.subplots()
    present = [layer for layer in layers if layer in frame.columns and frame[layer].abs().sum() > 0]
    ax.stackplot(frame[x], *(frame[layer] for layer in present), labels=present, alpha=0.85)
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
    return _finish(figure, ax, title=title, ylabel=ylabel, dataset=dataset, milestones=True)


# ------------------------------------------------------------------------ figures on the page
#
# Every figure reaches the page through `show` (matplotlib) or `chart` (Vega-Lite, interactive): a
# <figure> with alt text, a caption, and the data behind it as a CSV download embedded in the page.
# Interactive charts are Vega-Lite specifications (written with Altair or as dicts), drawn in the browser
# by the Vega library that econ.reports.render embeds in the page (no network); each carries a static PNG
# of itself (rendered offline by vl-convert), shown until the library has drawn the chart — and for good
# where scripts do not run (JupyterLab's untrusted output, a mail client's preview).

CHART_CLASS = "econ-chart"

_BOOT = """(function () {
  document.querySelectorAll(".econ-chart").forEach(function (box) {
    var spec = JSON.parse(document.getElementById(box.dataset.spec).textContent);
    var target = box.querySelector(".econ-live");
    vegaEmbed(target, spec, {actions: false, renderer: "svg"}).then(function () {
      box.classList.add("econ-drawn");
      var svg = target.querySelector("svg");
      if (svg) { svg.setAttribute("role", "img"); svg.setAttribute("aria-label", box.dataset.alt); }
    }).catch(function (error) { console.warn("chart left as its static image: " + error); });
  });
})();"""


def _vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one script (vl-convert bundles them offline; 0.9 MB), cached
    under ECON_HOME/.cache by vl-convert's version, since bundling takes seconds."""
    from importlib.metadata import version

    import vl_convert

    from econ import atomic, paths

    cache = paths.home() / ".cache" / f"vega-bundle-{version('vl-convert-python')}-ascii.js"
    if cache.is_file():
        return cache.read_text(encoding="utf-8")
    # "</script" inside the library would end the page's <script> element early, and the browser hashes
    # a script's text as it decoded it (the page's policy admits the library by that hash): so the text
    # is made plain ASCII, each other character escaped as JavaScript reads it inside the strings where
    # the library has them ("…" as "\u2026"), and "</" is written "<\/", the same text to JavaScript.
    library = vl_convert.javascript_bundle()  # type: ignore[call-arg]  # the stub omits snippet's default
    bundle = library.encode("ascii", "backslashreplace").decode("ascii")
    bundle = bundle.replace("</script", "<\\/script")
    with contextlib.suppress(OSError):  # a read-only home still renders, only slower
        atomic.write_text(cache, bundle)
    return bundle


_SCRIPTS: list[str] = []


def chart_scripts() -> list[str]:
    """The scripts a page with charts needs, in order (the renderer embeds them and admits them by hash)."""
    if not _SCRIPTS:
        _SCRIPTS.extend([_vega_bundle(), _BOOT])
    return list(_SCRIPTS)


def _csv_link(data: pd.DataFrame, name: str) -> str:
    from econ.formatting import download_link

    text = data.to_csv(index=not isinstance(data.index, pd.RangeIndex)).encode("utf-8")
    return download_link(text, filename=f"{name}.csv", mime="text/csv", label="Download the data (CSV)")


def _figure_html(inner: str, *, alt: str, caption: str, data: pd.DataFrame | None, name: str) -> str:
    from econ import formatting

    parts = [formatting.html(caption or alt)]
    if data is not None:
        parts.append(_csv_link(data, name))
    return f'<figure class="econ-figure">{inner}<figcaption>{" ".join(parts)}</figcaption></figure>'


class PageFigure:
    """A figure as the page shows it (IPython displays it through `_repr_mimebundle_`)."""

    def __init__(self, html: str, alt: str, png: bytes | None = None) -> None:
        self.html, self.alt, self.png = html, alt, png

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, object]:
        import base64

        bundle: dict[str, object] = {"text/html": self.html, "text/plain": self.alt}
        if self.png is not None:
            bundle["image/png"] = base64.b64encode(self.png).decode()
        return bundle


def _png(figure: Figure) -> bytes:
    import io

    buffer = io.BytesIO()
    # Drawn once first: the milestone labels raise the top of an axis at drawing time when the data reach
    # into them (`econ.plot_layout.MilestoneLabels`), and the tight box of the saved image must be
    # measured on the axis as it will be drawn, its new tick labels included.
    figure.canvas.draw()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return buffer.getvalue()


def show(
    figure: Figure, *, alt: str, caption: str = "", data: pd.DataFrame | None = None, name: str = "figure"
) -> PageFigure:
    """A matplotlib figure for the page: embedded PNG with `alt` text, a caption, the data as CSV.

    Closes the figure (so the inline backend does not show it a second time, without its alt text)."""
    from econ import formatting
    from econ.formatting import data_uri

    if not alt.strip():
        raise ValueError("a figure needs alt text: one sentence saying what it shows")
    png = _png(figure)
    plt.close(figure)
    image = f'<img src="{data_uri(png, "image/png")}" alt="{formatting.html(alt)}">'
    return PageFigure(_figure_html(image, alt=alt, caption=caption, data=data, name=name), alt, png)


def chart(
    spec: object, *, alt: str, caption: str = "", data: pd.DataFrame | None = None, name: str = "chart"
) -> PageFigure:
    """An interactive Vega-Lite chart (an Altair chart or a spec dict) for the page, with a static PNG
    of itself as fallback, `alt` text, a caption and the data as CSV (see the comment above)."""
    import json
    import uuid

    import vl_convert

    from econ import formatting
    from econ.formatting import data_uri

    if not alt.strip():
        raise ValueError("a chart needs alt text: one sentence saying what it shows")
    as_dict = spec.to_dict() if hasattr(spec, "to_dict") else dict(spec)  # type: ignore[call-overload]
    png = bytes(vl_convert.vegalite_to_png(as_dict, scale=1.5))
    # "<" escaped: a label from a data file holding "</script>" cannot end the data block
    text = json.dumps(as_dict, ensure_ascii=False).replace("<", "\\u003c")
    ident = f"econ-spec-{uuid.uuid4().hex[:12]}"
    alt_attr = formatting.html(alt)
    inner = (
        f'<div class="{CHART_CLASS}" data-spec="{ident}" data-alt="{alt_attr}">'
        f'<div class="econ-live"></div>'
        f'<img class="econ-static" src="{data_uri(png, "image/png")}" alt="{alt_attr}">'
        f'</div><script type="application/json" id="{ident}">{text}</script>'
    )
    return PageFigure(_figure_html(inner, alt=alt, caption=caption, data=data, name=name), alt, png)
