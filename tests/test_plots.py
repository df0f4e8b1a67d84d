"""House-style figures: every chart made from the demo world carries the synthetic label; real ones don't."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from econ import plots

MONTHS = pd.date_range("2018-01-01", "2025-12-01", freq="MS")
SERIES = pd.DataFrame(
    {
        "month": list(MONTHS) * 2,
        "rate": [0.03] * len(MONTHS) + [0.1] * len(MONTHS),
        "who": ["a", "b"] * len(MONTHS),
    }
)
LAYERS = pd.DataFrame({"date": MONTHS, "mfn": 0.03, "section301": 0.1, "ieepa_fentanyl": 0.0})
PUBLISHED = pd.DataFrame({"date": [pd.Timestamp("2020-03-01")], "direction": ["a"], "average": [0.19]})


def _charts(dataset: str) -> list[plt.Figure]:
    return [
        plots.rate_lines(SERIES, x="month", y="rate", hue="who", title="t", dataset=dataset),
        plots.rate_bars(SERIES.head(4), x="who", y="rate", hue=None, title="t", dataset=dataset),
        plots.layer_areas(LAYERS, x="date", layers=list(LAYERS.columns[1:]), title="t", dataset=dataset),
        plots.published_comparison(
            SERIES.rename(columns={"month": "date", "who": "direction"}), PUBLISHED,
            x="date", y="rate", hue="direction", title="t", dataset=dataset,
        ),
    ]  # fmt: skip


@pytest.mark.parametrize("dataset", ["demo", "real"])
def test_synthetic_label_exactly_on_demo_figures(dataset: str) -> None:
    for figure in _charts(dataset):
        texts = [text.get_text() for text in figure.texts]
        assert (plots.SYNTHETIC_LABEL in texts) == (dataset == "demo")
        axis = figure.axes[0]
        assert axis.get_title() == "t"
        plt.close(figure)


def test_milestones_inside_the_range_only() -> None:
    figure = plots.rate_lines(SERIES, x="month", y="rate", hue="who", title="t", dataset="real")
    labels = [text.get_text().strip() for text in figure.axes[0].texts]
    assert "Geneva" in labels and "301 List 1" in labels
    plt.close(figure)


@pytest.mark.parametrize(("start", "width"), [("2013-01-01", 9.0), ("2017-01-01", 9.0), ("2013-01-01", 6.0)])
def test_milestone_labels_never_overlap_and_stay_beside_their_lines(start: str, width: float) -> None:
    """On a decade's axis 2025's IEEPA, 145% and Geneva are a few pixels apart: the drawn labels must not
    overlap one another, and each must still start at its own dotted line, inside the plot."""
    months = pd.date_range(start, "2026-11-01", freq="MS")
    frame = pd.DataFrame(
        {"month": list(months) * 2, "rate": [0.03, 1.2] * len(months), "who": ["a", "b"] * len(months)}
    )
    figure = plots.rate_lines(frame, x="month", y="rate", hue="who", title="t", dataset="demo")
    figure.set_size_inches(width, 4.8)
    figure.tight_layout()  # a later layout: the labels are placed again at the drawing
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    axis = figure.axes[0]
    labels = {text.get_text().strip(): text for text in axis.texts}
    assert {"IEEPA", "145%", "Geneva", "Busan"} <= set(labels)
    boxes = {name: text.get_window_extent(renderer) for name, text in labels.items()}
    names = list(boxes)
    crowded = [(a, b) for i, a in enumerate(names) for b in names[i + 1 :] if boxes[a].overlaps(boxes[b])]
    assert crowded == []
    plot = axis.get_window_extent(renderer)
    for name, text in labels.items():
        line_x = axis.transData.transform((text.get_position()[0], 0.0))[0]
        assert abs(boxes[name].x0 - line_x) < 1.0  # beside its own line, not pushed sideways
        assert plot.y0 < boxes[name].y0 and boxes[name].y1 <= plot.y1 + 0.5
    assert boxes["IEEPA"].y1 == pytest.approx(plot.y1, abs=0.5)  # the first of a crowd hangs from the top
    assert boxes["Geneva"].y1 < boxes["145%"].y0  # the next ones under it
    plt.close(figure)


def _china_like(published_dots: bool = True) -> plt.Figure:
    """China's monthly rates as the tariff page draws them: a spike to 119% in April 2025, and PIIE's
    published averages added as black dots after the chart (and its labels) were made."""
    months = pd.date_range("2017-01-01", "2025-12-01", freq="MS")
    china = [0.03 if m < pd.Timestamp("2018-07-01") else 0.1 if m < pd.Timestamp("2025-02-01") else 0.4
             for m in months]  # fmt: skip
    china[list(months).index(pd.Timestamp("2025-03-01"))] = 0.3
    china[list(months).index(pd.Timestamp("2025-04-01"))] = 1.19
    frame = pd.DataFrame(
        {
            "month": list(months) * 2,
            "rate": china + [0.03] * len(months),
            "who": ["a"] * len(months) + ["b"] * len(months),
        }
    )
    figure = plots.rate_lines(frame, x="month", y="rate", hue="who", title="t", dataset="demo")
    if published_dots:
        dates = pd.to_datetime(
            ["2018-01-15", "2018-12-15", "2020-03-01", "2025-01-20", "2025-04-15", "2025-05-20"]
        )
        published = [0.031, 0.12, 0.193, 0.208, 1.255, 0.511]
        figure.axes[0].scatter(dates, published, color="black", zorder=3, s=30, label="published")
        plots.legend_below(figure.axes[0])
    return figure


def _dots(axis: plt.Axes, renderer: object) -> list[tuple[float, float, float]]:
    """Each dot of the axis' scatters as drawn: centre and radius in pixels."""
    import math

    from matplotlib.collections import PathCollection

    found = []
    for collection in axis.collections:
        if isinstance(collection, PathCollection):
            radius = renderer.points_to_pixels(math.sqrt(float(collection.get_sizes().max())) / 2)  # type: ignore[attr-defined]
            for x, y in collection.get_offset_transform().transform(collection.get_offsets()):
                found.append((float(x), float(y), float(radius)))
    return found


@pytest.mark.parametrize("width", [9.0, 6.0])
def test_published_dots_added_after_the_labels_pass_under_them(width: float) -> None:
    """PIIE's 125% of April 2025 sat on the label "145%": every dot, and every line, now passes under
    every label, whichever series came after the labels, while the labels keep their place at the top."""
    figure = _china_like()
    figure.set_size_inches(width, 4.8)
    figure.tight_layout()
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    axis = figure.axes[0]
    plot = axis.get_window_extent(renderer)
    labels = {text.get_text().strip(): text.get_window_extent(renderer) for text in axis.texts}
    assert {"IEEPA", "145%", "Geneva"} <= set(labels)
    for name, box in labels.items():
        for x, y, radius in _dots(axis, renderer):
            apart = x + radius < box.x0 or x - radius > box.x1 or y + radius < box.y0 or y - radius > box.y1
            assert apart, f"a dot at {axis.transData.inverted().transform((x, y))} on the label {name}"
        for line in axis.get_lines()[:2]:  # the two series; the rest are the milestones' dotted lines
            drawn = line.get_transform().transform(line.get_xydata())
            dense = np.linspace(drawn[0, 0], drawn[-1, 0], 5000)
            heights = np.interp(dense, drawn[:, 0], drawn[:, 1])
            within = (dense >= box.x0) & (dense <= box.x1)
            assert heights[within].max(initial=-np.inf) < box.y0, f"a line through the label {name}"
        assert box.y1 <= plot.y1 + 0.5
    assert labels["IEEPA"].y1 == pytest.approx(plot.y1, abs=0.5)  # still hanging from the top of the plot
    assert axis.get_ylim()[1] > 1.255  # raised above the dots, not the labels pushed down among the lines
    plt.close(figure)


def test_the_raise_is_the_same_at_every_drawing_and_only_where_needed() -> None:
    figure = _china_like()
    figure.canvas.draw()
    first = figure.axes[0].get_ylim()
    figure.canvas.draw()
    assert figure.axes[0].get_ylim() == first  # not raised again on each drawing
    high_between = SERIES.assign(rate=SERIES["rate"].where(SERIES["month"].dt.year.between(2021, 2023), 0.03))
    quiet = plots.rate_lines(high_between, x="month", y="rate", hue="who", title="t", dataset="real")
    before = quiet.axes[0].get_ylim()
    quiet.canvas.draw()
    assert quiet.axes[0].get_ylim() == before  # high only in years without a milestone: nothing to clear
    plt.close(figure)
    plt.close(quiet)


def test_empty_layers_are_left_out_of_the_legend() -> None:
    figure = plots.layer_areas(
        LAYERS, x="date", layers=["mfn", "section301", "ieepa_fentanyl"], title="t", dataset="real"
    )
    legend = [text.get_text() for text in figure.axes[0].get_legend().get_texts()]
    assert legend == ["mfn", "section301"]
    plt.close(figure)


def _boxes(figure: plt.Figure) -> tuple[object, object, list[object]]:
    """The drawn boxes of the first axes, its legend and its milestone labels (display coordinates)."""
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    axis = figure.axes[0]
    legend = axis.get_legend()
    assert legend is not None
    texts = [text.get_window_extent(renderer) for text in axis.texts]
    return axis.get_window_extent(renderer), legend.get_window_extent(renderer), texts


@pytest.mark.parametrize("dataset", ["demo", "real"])
def test_legends_sit_below_the_plot_clear_of_its_labels(dataset: str) -> None:
    charts = _charts(dataset)
    plt.close(charts.pop(1))  # bars without hue have no legend
    for figure in charts:
        axes, legend, milestones = _boxes(figure)
        assert legend.y1 < axes.y0  # below the plot, not over the lines or the first events' labels
        assert not any(legend.overlaps(box) for box in milestones)
        renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
        ticks = figure.axes[0].xaxis.get_tightbbox(renderer)
        assert legend.y1 <= ticks.y0 + 0.5  # under the dates, not over them
        for text in figure.texts:  # the synthetic label
            assert not legend.overlaps(text.get_window_extent(renderer))
        plt.close(figure)


def test_a_legend_below_measures_the_axis_label_and_can_be_reset() -> None:
    figure = plots.rate_bars(
        SERIES.tail(8), x="rate", y="who", hue="month", title="t", dataset="real", xlabel="collected rate (%)"
    )
    axes, legend, _ = _boxes(figure)
    label = figure.axes[0].xaxis.label.get_window_extent(figure.canvas.get_renderer())  # type: ignore[attr-defined]
    assert legend.y1 < label.y0 and legend.y1 < axes.y0
    figure.axes[0].scatter([0.1], [0], label="published")
    plots.legend_below(figure.axes[0])  # a series added after: the legend holds it, still below
    assert "published" in [t.get_text() for t in figure.axes[0].get_legend().get_texts()]
    assert _boxes(figure)[1].y1 < axes.y0
    plt.close(figure)


def test_stacked_panels_share_one_legend_under_the_lowest() -> None:
    figure, (top, bottom) = plt.subplots(2, 1, sharex=True)
    top.plot(MONTHS, range(len(MONTHS)), label="shipped")
    top.legend()
    bottom.plot(MONTHS, range(len(MONTHS)), label="shortfall")
    figure.tight_layout()
    plots.legend_below(bottom, also=[top], columns=2)
    assert top.get_legend() is None
    assert [t.get_text() for t in bottom.get_legend().get_texts()] == ["shipped", "shortfall"]
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    legend = bottom.get_legend().get_window_extent(renderer)
    assert legend.y1 < bottom.get_window_extent(renderer).y0
    assert legend.y0 >= 0  # inside the figure: laid out again, not hanging below it over the synthetic label
    plt.close(figure)


def _legend_colours(axis: plt.Axes) -> list[str]:
    from matplotlib.colors import to_hex

    legend = axis.get_legend()
    assert legend is not None
    return [to_hex(handle.get_color()) for handle in legend.legend_handles]


def test_one_legend_for_stacked_panels_gives_every_series_its_own_colour() -> None:
    """Each panel starts the palette again: the merged legend of the rare-earth shock chart showed two
    entries in the first blue (and two reds, two greens) until the later panel's series were recoloured."""
    from matplotlib.colors import to_hex

    figure, (top, bottom) = plt.subplots(2, 1, sharex=True)
    for name in ("to the US", "to the world", "others"):
        top.plot(MONTHS, range(len(MONTHS)), marker="o", label=name)
    for name in ("magnets", "gallium", "antimony"):
        bottom.plot(MONTHS, range(len(MONTHS)), marker="o", label=name)
    bottom.plot(MONTHS, range(len(MONTHS)), "k--", label="hypothesis")
    bottom.errorbar([MONTHS[0]], [1.0], yerr=[0.5], fmt="o", label="estimate")
    first = [to_hex(line.get_color()) for line in top.get_lines()]
    plots.legend_below(bottom, also=[top], columns=2)
    colours = _legend_colours(bottom)
    assert len(colours) == 8 and len(set(colours)) == len(colours)  # no two entries share a colour
    drawn = [to_hex(line.get_color()) for line in (*top.get_lines(), *bottom.get_lines()[:4])]
    assert drawn == colours[:7]  # the series on the plot in the colours the legend gives them
    assert to_hex(bottom.containers[0].lines[0].get_color()) == colours[7]
    assert all(
        to_hex(line.get_markerfacecolor()) == to_hex(line.get_color()) for line in bottom.get_lines()[:3]
    )
    assert colours[:3] == first  # the first panel keeps its colours
    plt.close(figure)


def test_a_series_drawn_in_two_panels_keeps_one_colour_and_one_legend_entry() -> None:
    """The same series in two panels is one series: the same colour in both, named once in the legend;
    the other series of the later panel still move off the colours the earlier one uses."""
    from matplotlib.colors import to_hex

    figure, (top, bottom) = plt.subplots(2, 1, sharex=True)
    top.plot(MONTHS, range(len(MONTHS)), label="quantity")
    top.plot(MONTHS, range(len(MONTHS)), label="value")
    bottom.plot(MONTHS, range(len(MONTHS)), label="price")  # the palette's first colour, as quantity's
    bottom.plot(MONTHS, range(len(MONTHS)), label="value")  # the second colour here, as above: by chance
    bottom.lines[1].set_color("#9bbb59")  # drawn in another colour than above: must be made the same
    plots.legend_below(bottom, also=[top], columns=3)
    assert [t.get_text() for t in bottom.get_legend().get_texts()] == ["quantity", "value", "price"]
    colours = _legend_colours(bottom)
    assert len(set(colours)) == 3
    assert to_hex(top.lines[1].get_color()) == to_hex(bottom.lines[1].get_color()) == colours[1]
    assert to_hex(bottom.lines[0].get_color()) == colours[2] != to_hex(top.lines[0].get_color())
    plt.close(figure)


def test_a_computed_series_and_its_published_points_keep_their_shared_colour() -> None:
    """Within one panel a shared colour is on purpose (published dots beside the computed line)."""
    figure = plots.published_comparison(
        SERIES.rename(columns={"month": "date", "who": "direction"}), PUBLISHED,
        x="date", y="rate", hue="direction", title="t", dataset="real",
    )  # fmt: skip
    from matplotlib.colors import to_hex

    legend = figure.axes[0].get_legend()
    by_label = {
        text.get_text(): handle
        for text, handle in zip(legend.get_texts(), legend.legend_handles, strict=True)
    }
    line, dots = by_label["a (computed)"], by_label["a (published)"]
    assert to_hex(line.get_color()) == to_hex(dots.get_facecolor()[0])
    plt.close(figure)
