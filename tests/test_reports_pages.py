"""What a page shows, without kernels: the formatting layer, names for codes, top-N tables, words generated
from figures, the validation block, escaping of text from data files, and the page's script policy."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from econ import formatting, names, tables
from econ.reports import stories, validation
from econ.reports.headline import Figure, headline_bundle, story_bundle
from econ.reports.render import content_security_policy, render_html

PAYLOADS = ("<script>alert('x')</script>", '"><img src=x onerror=alert(1)>')

# --------------------------------------------------------------------------- the formatting layer


@pytest.mark.parametrize(
    ("value", "unit", "cell", "words"),
    [
        (0.109, "percent", "10.9", "10.9%"),
        (-1.15, "points", "−115.0", "−115.0 points"),
        (-4.963267106e9, "usd_bn", "−5.0", "−$5.0 billion"),
        (1.705e8, "usd_mn", "170.5", "$170.5 million"),
        (1.101, "ratio", "1.10", "1.10"),
        (14422, "count", "14,422", "14,422"),
        (5473.0, "tonnes", "5,473", "5,473 t"),
        ("2025-04", "month", "Apr 2025", "April 2025"),
        (float("nan"), "percent", "—", "—"),
        (None, "usd_bn", "—", "—"),
        (pd.NA, "ratio", "—", "—"),
        (np.float64(-0.00001), "percent", "0.0", "0.0%"),  # never "−0.0"
    ],
)
def test_numbers_read_as_the_unit_says(value, unit, cell, words):
    assert formatting.number(value, unit) == cell
    assert formatting.quantity(value, unit) == words


def test_dollars_scale_themselves_in_prose():
    assert formatting.quantity(4.29e11, "usd") == "$429.0 billion"
    assert formatting.quantity(-1.7e8, "usd") == "−$170.0 million"
    assert formatting.quantity(2.5e12, "usd") == "$2.5 trillion"
    assert formatting.quantity(950, "usd") == "$950"


def test_intervals_headers_and_dates():
    assert formatting.interval(-5.3e9, -4.1e9, "usd_bn") == "−$5.3 to −$4.1 billion"
    assert formatting.interval(0.014, 0.021, "percent") == "1.4% to 2.1%"
    assert formatting.interval(None, 1, "ratio") == "—"
    assert (
        formatting.header("Cost to buyers", "usd_bn", period="a year") == "Cost to buyers ($ billion a year)"
    )
    assert formatting.header("σ", "ratio") == "σ"
    assert formatting.day("2025-05-14") == "14 May 2025"
    assert formatting.month(pd.Timestamp("2025-11-01")) == "November 2025"
    assert formatting.month(pd.NaT) == "—"


def test_the_formatting_layer_refuses_what_it_cannot_show():
    with pytest.raises(ValueError, match="unknown unit 'pct'"):
        formatting.number(0.1, "pct")
    with pytest.raises(TypeError, match="expected a number"):
        formatting.number("10%", "percent")
    with pytest.raises(ValueError, match="YYYY-MM"):
        formatting.month("April 2025")


def test_compare_words_follow_the_sign():
    assert formatting.compare(-0.12, unit="percent", up="higher", down="lower") == "12.0% lower"
    assert formatting.compare(0.12, unit="percent", up="higher", down="lower") == "12.0% higher"
    assert formatting.compare(0.0004, unit="percent", up="higher", down="lower") == "unchanged"


def test_text_from_data_is_escaped_for_html_and_markdown():
    for payload in PAYLOADS:
        assert "<" not in formatting.html(payload) and '"' not in formatting.html(payload)
        assert "<" not in formatting.markdown_text(payload)
    assert formatting.markdown_text("China's *best*") == "China's \\*best\\*"


# --------------------------------------------------------------------------- names


def test_countries_and_industries_by_name():
    assert names.country("5700") == "China"
    assert names.country("2010") == "Mexico"
    assert names.country("5520") == "Vietnam"
    assert names.country("4280") == "Germany"  # Schedule C's bracketed long form dropped
    assert names.country("9999") == "Census code 9999"
    assert names.industry("3361MV") == "Motor vehicles, bodies and trailers, and parts"
    assert names.industry("334") == "Computer and electronic products"
    assert names.industry("325180", "naics") == "Other Basic Inorganic Chemical Manufacturing"
    assert names.industry("ZZZ") == "BEA ZZZ"
    assert names.labelled("332999", "naics").endswith("(332999)")


def test_every_compiled_name_carries_its_source():
    for file in ("countries.csv", "industries.csv"):
        frame = pd.read_csv(names.DATA / file, dtype=str, keep_default_na=False)
        assert "source" in frame.columns and (frame["source"].str.len() > 0).all(), file
        assert not frame.duplicated([c for c in ("scheme", "code") if c in frame.columns]).any(), file


def test_hs_chapters_by_number_and_title():
    assert names.hs_chapter(85) == "85 Electrical machinery and equipment"
    assert names.hs_chapter("8") == "08 Fruit and nuts"
    assert names.hs_chapter("28") == "28 Inorganic chemicals, rare-earth compounds"
    assert names.hs_chapter_title("85", short=False).startswith(
        "Electrical machinery and equipment and parts"
    )
    assert names.hs_chapter_title("01") == "Live animals"
    assert names.hs_chapter("AB") == "HS chapter AB"  # never a blank label


def test_the_hs_chapter_list_is_whole_and_sourced():
    frame = pd.read_csv(names.DATA / "hs_chapters.csv", dtype=str, keep_default_na=False)
    assert list(frame.columns) == ["chapter", "title", "short_title", "source"]
    assert frame["chapter"].tolist() == [f"{n:02d}" for n in range(1, 100)]  # 97 HS chapters, 98–99 US
    assert frame["source"].str.contains("Harmonized System 2022").sum() == 97
    assert (frame["title"].str.len() > 0).all() and (frame["short_title"].str.len().between(1, 42)).all()
    assert (frame["short_title"].str.len() <= frame["title"].str.len()).all()


# words every chapter uses; a title must share one of its own words with its chapter's headings
_GENERIC = {"other", "parts", "thereof", "articles", "their", "similar", "kind", "specified", "included",
            "elsewhere", "certain", "products", "accessories", "such", "made", "whether", "containing", "and",
            "the", "for", "not", "all", "any", "its", "than"}  # fmt: skip


def _stems(text: str) -> set[str]:
    return {word[:5] for word in re.findall(r"[a-z]{3,}", text.lower()) if word not in _GENERIC}


@pytest.mark.real_data
def test_hs_chapter_titles_agree_with_the_hts_headings(shared_data):
    hts = pd.read_csv(shared_data / "hts" / "hts_2025_basic_edition.csv", dtype=str, keep_default_na=False,
                      encoding="utf-8-sig")  # fmt: skip
    numbered = hts[hts["HTS Number"].str.match(r"\d{4}")]
    # the headings' descriptions (chapters 98 and 99 number no bare headings: all their lines')
    chapter = numbered["HTS Number"].str[:2]
    headings = numbered[numbered["HTS Number"].str.fullmatch(r"\d{4}") | chapter.isin(["98", "99"])]
    by_chapter = headings.groupby(headings["HTS Number"].str[:2])["Description"].agg(" ".join)
    titles = pd.read_csv(names.DATA / "hs_chapters.csv", dtype=str, keep_default_na=False).set_index(
        "chapter"
    )
    assert set(by_chapter.index) == set(titles.index) - {"77"}  # 77 is reserved in the HS
    apart = [c for c in by_chapter.index if not _stems(titles.loc[c, "title"]) & _stems(by_chapter[c])]
    assert apart == ["96"]  # "Miscellaneous manufactured articles" names no good of its own


def test_usgs_price_series_by_name_and_unit():
    assert names.usgs_price_series("rare earths", "Price_Dy2O3_dkg") == "dysprosium oxide, $/kg"
    assert names.usgs_price_series("antimony", "Price_Metal_dlb") == "antimony metal, $/lb"
    assert names.usgs_price_series("germanium", "Price_Metal_dkg") == "germanium metal, $/kg"  # by commodity
    assert (
        names.usgs_price_series("rare earths", "Price_Sm2O3_dkg")
        == "rare earths (USGS series Price_Sm2O3_dkg)"
    )


def test_usgs_price_units_agree_with_the_code_suffix():
    from econ.sources import usgs

    frame = pd.read_csv(names.DATA / "usgs_price_series.csv", dtype=str, keep_default_na=False)
    assert (frame["source"].str.len() > 0).all() and not frame.duplicated(["commodity", "code"]).any()
    suffix_unit = frame["code"].str.rsplit("_", n=1).str[1].map(usgs._UNIT_SUFFIX)
    assert (suffix_unit == frame["unit"]).all()


@pytest.mark.real_data
def test_every_usgs_price_series_in_the_samples_has_a_name(shared_data):
    from econ.panel.minerals import minerals_panel
    from econ.sources import usgs

    frames = [usgs.read(path) for path in sorted((shared_data / "usgs").glob("mcs2025-*_salient.csv"))]
    panel = minerals_panel(frames)
    prices = panel[panel["measure"] == "price"][["commodity", "detail"]].drop_duplicates()
    assert len(prices) >= 20
    unnamed = [
        f"{c} {d}"
        for c, d in prices.itertuples(index=False)
        if "USGS series" in names.usgs_price_series(c, d)
    ]
    assert unnamed == []


def test_the_rare_earth_price_note_names_series_not_codes():
    from econ.models.rare_earths import shock

    minerals = pd.DataFrame(
        {"commodity": ["rare earths"], "detail": ["Price_Dy2O3_dkg"], "year": [2024], "value": [250.0]}
    )
    note = shock.price_base_note(shock.price_index(minerals))
    assert "dysprosium oxide, $/kg, 2024 (USGS salient statistics" in note
    assert "terbium oxide, $/kg, 2024" in note  # not in this panel: the package's table, named alike
    assert "Price_" not in note and "rare_earth_prices" not in note


def test_the_rare_earth_facts_table_names_price_series_not_codes():
    from econ.reports import rare_earth_story as page

    shown = page.named_facts()
    assert not shown.map(lambda cell: "Price_" in str(cell)).any().any()
    prices = shown.loc[shown["table"] == "rare_earth_prices", "source"]
    assert prices.str.contains("rare earths (dysprosium oxide, $/kg)", regex=False).any()
    assert (
        page.price_series_named("USGS MCS 2025, rare earths (Price_Sm2O3_dkg); FACTS §4")
        == "USGS MCS 2025, rare earths (USGS series Price_Sm2O3_dkg); FACTS §4"
    )  # a code the list does not know stays visible, named as a USGS series
    assert page.price_series_named("a (check) note") == "a (check) note"
    # Every table by a title, not its file name.
    assert set(shown["table"]) <= set(page.FACT_TABLE_TITLES)
    assert not shown["table_title"].str.contains("_").any()
    # The controlled lines by description, not a bare HTS code.
    lines = shown.loc[shown["table"] == "restricted_lines", "item"]
    assert lines.str.contains("sintered samarium-cobalt (HTS 8505.11.00.50)", regex=False).any()
    assert not lines.str.contains(r"(?<![.\d])\d{10}(?![.\d])").any()


def test_every_model_parameter_in_the_rare_earth_facts_table_has_words_and_a_unit():
    """The facts table showed the model's parameters by code ("inventory_weeks"); each row of
    ``rare_earth_parameters`` must now read in words, with its unit in brackets. A parameter added to the
    table without words in `facts.PARAMETER_WORDS` keeps its code on the page, and fails here."""
    from econ.models.rare_earths import facts
    from econ.reports import rare_earth_story as page

    codes = list(facts.table("rare_earth_parameters")["name"])
    shown = page.named_facts()
    items = list(shown.loc[shown["table"] == "rare_earth_parameters", "item"])
    assert len(items) == len(codes)
    left_as_codes = [item for item in items if item in codes or re.search(r"\w_\w", item)]
    assert left_as_codes == []
    without_unit = [item for item in items if not re.search(r"\([^()]+\)$", item)]
    assert without_unit == []
    assert items == [facts.PARAMETER_WORDS[code] for code in codes]  # each beside its own value
    assert set(facts.PARAMETER_WORDS) == set(codes)  # no words kept for a parameter the table dropped
    assert facts.parameter_words("not_a_parameter") == "not_a_parameter"  # unknown: the code, visible
    exports = shown.loc[shown["table"] == "magnet_exports", "item"]  # the same table's destinations
    assert exports.str.endswith("to the United States").any() and not exports.str.contains("_").any()


# --------------------------------------------------------------------------- top-N tables


def _industries() -> pd.DataFrame:
    # The rollback case of issue 16: costs positive, so ranking by the most negative shows the smallest.
    cost = [58.8, 29.2, 16.6, 14.7, 10.7, 10.1, 7.7, 7.4, 7.1, 5.5, 3.0, 2.0, 1.0, 0.5, 0.2, 0.0]
    frame = pd.DataFrame(
        {"cost": cost, "imports": [-x * 1.3 for x in cost]}, index=[f"ind{i:02d}" for i in range(16)]
    )
    return frame.sample(frac=1.0, random_state=3)  # in no particular order


def test_top_n_keeps_the_largest_and_sums_the_rest():
    frame = _industries()
    shown = tables.top_n(frame, by="cost", n=4)
    assert list(shown.index[:4]) == ["ind00", "ind01", "ind02", "ind03"]
    assert shown.index[-1] == "Other (11 more)"  # the zero row dropped, not counted in Other
    assert shown["cost"].sum() == pytest.approx(frame["cost"].sum())
    assert shown["imports"].sum() == pytest.approx(frame["imports"].sum())
    # the old way, head() of a frame sorted most negative first, shows the smallest: the bug in issue 16
    assert "ind00" not in frame.sort_values("cost").head(4).index


def test_top_n_by_magnitude_shows_the_largest_changes_of_either_sign():
    frame = pd.DataFrame({"change": [-9.0, 1.0, 8.0, -0.5, 0.2]}, index=list("abcde"))
    assert list(tables.top_n(frame, by="change", n=2).index[:2]) == ["a", "c"]
    assert list(tables.top_n(frame, by="change", n=2, order="largest").index[:2]) == ["c", "b"]
    assert list(tables.top_n(frame, by="change", n=2, order="smallest").index[:2]) == ["a", "d"]
    everything = tables.top_n(frame, by="change", n=10)
    assert len(everything) == 5 and not everything.index.str.startswith("Other").any()


def test_top_n_refuses_bad_options():
    with pytest.raises(Exception, match="no column 'nope'"):
        tables.top_n(_industries(), by="nope", n=3)
    with pytest.raises(Exception, match="at least 1"):
        tables.top_n(_industries(), by="cost", n=0)


def test_table_html_has_units_formatted_cells_and_escaped_names():
    frame = pd.DataFrame(
        {"cost": [12.34, -0.5, float("nan")], "rate": [0.109, 0.2, 0.3]}, index=[PAYLOADS[0], "b", "c"]
    )
    columns = {
        "cost": tables.Column("Cost", "usd_bn", period="a year", scale=1e9),
        "rate": tables.Column("Rate", "percent", additive=False),
    }
    shown = tables.show(
        tables.with_total(frame, columns), columns=columns, name="t", note="Negative: a saving."
    )
    page = shown.html
    assert "Cost ($ billion a year)" in page and "Rate (%)" in page
    assert ">12.3<" in page and ">−0.5<" in page and ">10.9<" in page and ">—<" in page
    assert "nan" not in page.lower().replace("nan;", "") and "NaN" not in page
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert 'class="econ-total"' in page and "Negative: a saving." in page
    assert 'download="t.csv"' in page and 'href="data:text/csv;base64,' in page
    # the CSV is in the units its headers name
    assert list(shown.data.columns) == ["Cost ($ billion a year)", "Rate (%)"]
    assert shown.data["Rate (%)"].iloc[0] == pytest.approx(10.9)


def test_only_the_summed_row_is_marked_other():
    frame = pd.DataFrame({"x": [3.0, 2.0, 1.0]}, index=["Other Plastics Product Manufacturing", "b", "c"])
    page = tables.html_table(tables.top_n(frame, by="x", n=1), columns={"x": tables.Column("x", "ratio")})
    assert page.count('class="econ-other"') == 1 and "Other (2 more)" in page


# --------------------------------------------------------------------------- words from figures


def _sentence_figures(sentence: str) -> tuple[str, float]:
    match = re.search(r"pay \$([\d.,]+) (billion|million) (more|less)", sentence)
    assert match, sentence
    size = float(match.group(1).replace(",", "")) * (1e9 if match.group(2) == "billion" else 1e6)
    return match.group(3), size


@pytest.mark.parametrize("value", [183.0e9, -12.3e9, 0.4e9, -250e6])
def test_the_cost_sentence_says_what_the_figure_shows(value):
    cost = Figure(value, "usd", label="Cost to US buyers", low=value * 0.9, high=value * 1.1, period="a year")
    sentence = stories.cost_sentence(cost, scenario="No Geneva accord", date="2025-06-15")
    word, size = _sentence_figures(sentence)
    assert word == ("more" if value > 0 else "less")
    assert size == pytest.approx(abs(value), rel=0.01)
    assert "15 June 2025" in sentence and "“No Geneva accord”" in sentence


def test_the_cost_sentence_says_when_the_sign_is_uncertain():
    cost = Figure(1e9, "usd", low=-0.5e9, high=2.5e9)
    assert "sign is uncertain" in stories.cost_sentence(cost, scenario="s", date="2025-06-15")
    assert "as under" in stories.cost_sentence(Figure(1e6, "usd"), scenario="s", date="2025-06-15")


def test_the_geneva_cut_is_read_from_the_timeline_as_the_legal_text_states():
    # EO 14298 (2025-05-12): the reciprocal rate on China from 125% to 10% from 2025-05-14 — FACTS §1
    cut = stories.geneva_cut()
    assert (cut.before, cut.after) == (pytest.approx(1.25), pytest.approx(0.10))
    sentence = stories.cut_sentence(cut)
    assert "by 115.0 points, from 125.0% to 10.0%" in sentence and "14 May 2025" in sentence


def test_titles_follow_the_scenario():
    no_geneva = stories.scenario_phrase("No Geneva accord: the 145% on China kept", "no_geneva")
    rollback = stories.scenario_phrase("Back to the 2024 schedule: every layer as in force", "rollback_2024")
    assert no_geneva == "No Geneva accord" and rollback == "Back to the 2024 schedule"
    assert stories.comparison_title(scenario=rollback, date="2025-06-15") != stories.comparison_title(
        scenario=no_geneva, date="2025-06-15"
    )
    assert "Geneva" not in stories.comparison_title(scenario=rollback, date="2025-06-15")
    estimated = stories.comparison_title(scenario=no_geneva, date="2025-06-15", passthrough="estimated")
    assert estimated != stories.comparison_title(scenario=no_geneva, date="2025-06-15")
    assert estimated.endswith("pass-through and σ estimated on the data")


# --------------------------------------------------------------------------- headline, story, validation


def test_figures_carry_units_periods_and_intervals_into_the_json():
    figure = Figure(-12.3e9, "usd", label="Cost", low=-14e9, high=-10e9, period="a year")
    bundle = headline_bundle({"cost": figure, "plain": 0.5})
    record = bundle["application/vnd.econ.headline+json"]
    assert record["cost"] == {
        "value": -12.3e9, "unit": "usd", "label": "Cost", "low": -14e9, "high": -10e9, "interval": "5–95%",
        "period": "a year", "note": "",
    }  # fmt: skip
    assert record["plain"] == 0.5
    assert Figure.from_json(record["cost"]) == figure
    assert figure.text() == "−$12.3 billion (5–95%: −$14.0 billion to −$10.0 billion)"
    with pytest.raises(ValueError, match="unknown unit"):
        Figure(1.0, "pct")  # type: ignore[arg-type]
    assert Figure(float("nan"), "percent").value is None


def test_story_cards_escape_their_text():
    bundle = story_bundle(PAYLOADS[0], PAYLOADS[1], {"x": Figure(0.1, "percent", label=PAYLOADS[0])})
    assert "<script>alert" not in bundle["text/html"]
    assert "<img" not in bundle["text/html"] and "&lt;script&gt;" in bundle["text/html"]
    assert bundle["application/vnd.econ.story+json"]["lead"] == ["x"]


def test_validation_sits_beside_the_published_anchor_with_its_source():
    html = validation.validation_html(
        [
            validation.Check(
                Figure(0.95, "ratio", label="Pass-through"),
                ["border_passthrough_2025"],
                truth=0.95,
                reason="preset",
            )
        ],
        synthetic=True,
    )  # fmt: skip
    assert "0.94 to 0.96" in html and "Gopinath" in html and "Truth (demo world)" in html
    every = validation.anchors()
    assert every["ybl_etr_after_geneva"].value == pytest.approx(0.178)
    assert every["piie_us_on_china_after_geneva"].value == pytest.approx(0.511)
    assert all(anchor.source for anchor in every.values())
    with pytest.raises(KeyError, match="no published anchor"):
        validation.anchor("nope")


# --------------------------------------------------------------------------- the page's script policy


def test_the_page_runs_only_its_own_scripts():
    policy = content_security_policy(["console.log(1)"])
    assert "default-src 'none'" in policy and "'unsafe-inline'" not in policy.split("style-src")[0]
    assert re.search(r"script-src 'sha256-[A-Za-z0-9+/=]+' 'unsafe-eval'", policy)
    assert "script-src 'none'" in content_security_policy([])
    from nbformat.v4 import new_notebook

    page = render_html(new_notebook(), title="t", run="r", parameters={}, is_demo=False, provenance={})
    assert 'http-equiv="Content-Security-Policy"' in page and "script-src 'none'" in page


def test_figure_alt_text_from_titles_when_none_is_given():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from econ import plots

    figure, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    ax.set(title="Duty rates", ylabel="duty rate", xlabel="month")
    assert plots.describe(figure) == "Chart: Duty rates; vertical axis: duty rate; horizontal axis: month."
    shown = plots.show(figure, alt="Two points rising", data=pd.DataFrame({"x": [1, 2]}), name="pts")
    assert 'alt="Two points rising"' in shown.html and 'download="pts.csv"' in shown.html
    with pytest.raises(ValueError, match="alt text"):
        plots.show(plt.figure(), alt=" ")


def test_a_table_by_month_reads_its_months_as_words() -> None:
    import pandas as pd

    from econ import tables

    frame = pd.DataFrame(
        {"value": [1.0, 2.0]}, index=pd.DatetimeIndex(["2025-04-01", "2025-05-14"], name="Month")
    )
    page = tables.html_table(frame, columns={"value": tables.Column("Value", "ratio")})
    assert ">April 2025</th>" in page and ">14 May 2025</th>" in page and "2025-04-01" not in page
