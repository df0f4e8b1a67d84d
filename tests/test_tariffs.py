"""The tariff engine against FACTS §1: checkpoints the day before and the day of every change, stacking,
scenarios, monthly day-weighting, and bad data named at load.

The expected values come from `reference_rate`, a plain transcription of FACTS §1 for the test lines,
written independently of the engine's data files: if a date in timeline.csv is wrong, these tests fail.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from econ.errors import ScenarioError, SchemaError
from econ.tariffs import Schedule, load_scenario, load_timeline, scenario_names

CHINA, HONG_KONG, JAPAN, CANADA = "5700", "5820", "5880", "1220"

# One line on each Section 301 list, one on none (List 4B only: never applied), one steel line (also on
# List 1 and in the 2024 review's steel group), one Annex II line (rare-earth metals).
LINES = {
    "list1": ("84581100", ["9903.88.01"], 0.044),
    "list2": ("39012010", ["9903.88.02"], 0.031),  # polyethylene: on List 2, not in Annex II
    "list3": ("94036080", ["9903.88.03"], 0.0),
    "list4a": ("61091000", ["9903.88.15"], 0.165),
    "none": ("95030000", ["9903.88.16"], 0.0),
    "steel": ("72081015", ["9903.88.01"], 0.0),
}
FACTS_CHANGES = [
    "2018-03-23", "2018-07-06", "2018-08-23", "2018-09-24", "2019-05-10", "2019-09-01", "2020-02-14",
    "2024-09-27", "2025-01-01", "2026-01-01", "2025-02-04", "2025-03-04", "2025-04-05", "2025-04-09",
    "2025-04-10", "2025-05-14", "2025-08-12", "2025-11-10", "2025-03-12", "2025-06-04", "2025-04-03",
    "2025-05-03", "2025-08-07",
]  # fmt: skip


def products() -> pd.DataFrame:
    rows = [
        {"hs8": hs8, "hs10": None, "mfn_ad_valorem": mfn, "chapter99": refs}
        for hs8, refs, mfn in LINES.values()
    ]
    rows += [
        {"hs8": "28053000", "hs10": None, "mfn_ad_valorem": 0.05, "chapter99": ["9903.88.03"]},  # Annex II
        {"hs8": "84799999", "hs10": None, "mfn_ad_valorem": 0.025, "chapter99": ["9903.88.01", "9903.88.03"]},
        {"hs8": "85076000", "hs10": None, "mfn_ad_valorem": 0.034, "chapter99": ["9903.88.15"]},
        {"hs8": "85076000", "hs10": "8507600010", "mfn_ad_valorem": np.nan, "chapter99": []},
        {"hs8": "85076000", "hs10": "8507600020", "mfn_ad_valorem": np.nan, "chapter99": []},
        {"hs8": "22042150", "hs10": None, "mfn_ad_valorem": np.nan, "chapter99": []},  # a specific rate
    ]
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def schedule() -> Schedule:
    return Schedule(products())


def d(text: str) -> date:
    return date.fromisoformat(text)


def reference_rate(line: str, partner: str, day: date) -> dict[str, float]:
    """FACTS §1 for the test lines, plus for Japan the steel quota of 2022-04-01 to 2025-03-12, the
    Annex I rate of EO 14257 on 2025-04-09 (paused from 12:01 a.m. 2025-04-10 by EO 14266) and the 15%
    all-in reciprocal rate from 2025-08-07."""
    china = partner == CHINA
    s301 = 0.0
    if china:
        if line in ("list1", "steel") and day >= d("2018-07-06"):
            s301 = 0.25
        if line == "list2" and day >= d("2018-08-23"):
            s301 = 0.25
        if line == "list3" and day >= d("2018-09-24"):
            s301 = 0.25 if day >= d("2019-05-10") else 0.10
        if line == "list4a" and day >= d("2019-09-01"):
            s301 = 0.075 if day >= d("2020-02-14") else 0.15
    s232 = 0.0
    if line == "steel" and day >= d("2018-03-23"):
        s232 = 0.25
        if partner == JAPAN and d("2022-04-01") <= day < d("2025-03-12"):
            s232 = 0.0
        if day >= d("2025-06-04"):
            s232 = 0.50
    fentanyl = 0.0
    if china and day >= d("2025-02-04"):
        fentanyl = 0.10 if day < d("2025-03-04") or day >= d("2025-11-10") else 0.20
    mfn = LINES[line][2]
    reciprocal = 0.0
    if line != "steel" and day >= d("2025-04-05"):  # Section 232 goods are exempt
        reciprocal = 0.10
        if china and d("2025-04-09") <= day < d("2025-05-14"):
            reciprocal = 0.84 if day == d("2025-04-09") else 1.25
        if partner == JAPAN and day == d("2025-04-09"):  # EO 14257 Annex I: 24%, in force for one day
            reciprocal = 0.24
        if partner == JAPAN and day >= d("2025-08-07"):  # 15% all-in: what MFN leaves of 15%
            reciprocal = max(0.0, 0.15 - mfn)
    layers = {"mfn": mfn, "section301": s301, "section232": s232, "ieepa_fentanyl": fentanyl}
    layers["ieepa_reciprocal"] = reciprocal
    layers["total"] = sum(layers.values())
    return layers


def checkpoint_frame() -> pd.DataFrame:
    days = sorted({d(t) + delta for t in FACTS_CHANGES for delta in (timedelta(days=-1), timedelta(0))})
    rows = [
        {"line": line, "hs8": LINES[line][0], "partner": partner, "date": pd.Timestamp(day)}
        for line in LINES
        for partner in (CHINA, JAPAN)
        for day in days
    ]
    return pd.DataFrame(rows)


def test_checkpoints_day_before_and_day_of_every_change(schedule: Schedule) -> None:
    frame = checkpoint_frame()
    got = schedule.rates(frame)
    assert len(got) == len(frame) and len(frame) > 300
    failures = []
    for row in got.itertuples(index=False):
        want = reference_rate(row.line, row.partner, row.date.date())
        for layer, value in want.items():
            if not np.isclose(getattr(row, layer), value):
                failures.append(
                    f"{row.line} {row.partner} {row.date.date()} {layer}: {getattr(row, layer)} != {value}"
                )
    assert not failures, "\n".join(failures[:20])
    assert (got["china_retaliation"] == 0).all()  # imports: China's duties are not a US layer


def test_peak_and_geneva_totals_for_a_line_on_no_list(schedule: Schedule) -> None:
    frame = pd.DataFrame(
        {
            "hs8": "95030000",
            "partner": CHINA,
            "date": pd.to_datetime(["2025-04-10", "2025-05-13", "2025-05-14"]),
        }
    )
    got = schedule.rates(frame)
    np.testing.assert_allclose(got["total"], [1.45, 1.45, 0.30])  # 125 + 20; Geneva: 10 + 20


def test_hong_kong_pays_ieepa_but_not_section_301(schedule: Schedule) -> None:
    frame = pd.DataFrame({"hs8": "94036080", "partner": HONG_KONG, "date": pd.to_datetime(["2025-04-20"])})
    got = schedule.rates(frame).iloc[0]
    assert got["section301"] == 0 and got["ieepa_fentanyl"] == 0.20 and got["ieepa_reciprocal"] == 1.25


def test_stacking_one_301_rate_232_and_annex_ii_exempt_from_reciprocal(schedule: Schedule) -> None:
    days = pd.to_datetime(["2018-09-24", "2019-05-10", "2025-04-20", "2025-05-20"])
    frame = pd.DataFrame({"hs8": "84799999", "partner": CHINA, "date": days})  # Lists 1 and 3
    got = schedule.rates(frame)
    np.testing.assert_allclose(got["section301"], [0.25, 0.25, 0.25, 0.25])  # the highest, not the sum
    steel = schedule.rates(frame.assign(hs8="72081015"))
    assert (steel["section232"] > 0).all() and (steel["ieepa_reciprocal"].iloc[2:] == 0).all()
    assert (steel["ieepa_fentanyl"].iloc[2:] == 0.20).all()  # fentanyl still stacks on 232 goods
    rare_earth = schedule.rates(frame.assign(hs8="28053000"))
    np.testing.assert_allclose(rare_earth["ieepa_reciprocal"], 0.0)  # Annex II
    np.testing.assert_allclose(rare_earth["total"].iloc[2:], 0.05 + 0.25 + 0.20)


def test_canada_steel_exemptions_come_and_go(schedule: Schedule) -> None:
    days = pd.to_datetime(["2018-05-31", "2018-06-01", "2019-05-20", "2025-03-12", "2025-06-04"])
    got = schedule.rates(pd.DataFrame({"hs8": "72081015", "partner": CANADA, "date": days}))
    np.testing.assert_allclose(got["section232"], [0.0, 0.25, 0.0, 0.25, 0.50])
    assert (got["ieepa_reciprocal"] == 0).all()


def test_hs10_lines_and_fallback_to_hs8(schedule: Schedule) -> None:
    frame = pd.DataFrame(
        {
            "hs10": ["8507600010", "8507600020", "8507609999", None],
            "hs8": ["85076000"] * 4,
            "partner": CHINA,
            "date": pd.Timestamp("2024-10-01"),
        }
    )
    got = schedule.rates(frame)
    # EV batteries (HS10) rose to 25% in the 2024 review; the other lines keep List 4A's 7.5%.
    np.testing.assert_allclose(got["section301"], [0.25, 0.075, 0.075, 0.075])
    np.testing.assert_allclose(got["mfn"], 0.034)  # HS10 lines inherit the HS8 rate
    assert got.attrs["tariffs"]["rows_hs10_fell_back_to_hs8"] == 2
    later = schedule.rates(frame.assign(date=pd.Timestamp("2026-01-01")))
    np.testing.assert_allclose(later["section301"], 0.25)  # non-EV lithium-ion batteries from 2026


def test_unmatched_and_non_ad_valorem_are_counted(schedule: Schedule) -> None:
    frame = pd.DataFrame(
        {"hs8": ["22042150", "01019999"], "partner": JAPAN, "date": pd.Timestamp("2024-01-01")}
    )
    got = schedule.rates(frame)
    assert got.attrs["tariffs"]["rows_unmatched"] == 1
    assert got.attrs["tariffs"]["non_ad_valorem_lines"] == 1  # 22042150; HS10 lines inherit
    np.testing.assert_allclose(got["mfn"], 0.0)


def test_mfn_ad_valorem_equivalent_fills_specific_rates() -> None:
    p = products().assign(mfn_ad_valorem_equivalent=0.011)
    got = Schedule(p).rates(
        pd.DataFrame({"hs8": ["22042150"], "partner": JAPAN, "date": pd.Timestamp("2024-01-01")})
    )
    assert got["mfn"].iloc[0] == pytest.approx(0.011)


def test_monthly_rates_weight_days_in_force(schedule: Schedule) -> None:
    got = schedule.monthly_rates(
        pd.DataFrame({"hs8": ["95030000"], "partner": CHINA, "month": [pd.Timestamp("2025-05-01")]})
    )
    assert got["ieepa_reciprocal"].iloc[0] == pytest.approx((13 * 1.25 + 18 * 0.10) / 31)
    assert got["total"].iloc[0] == pytest.approx(0.20 + (13 * 1.25 + 18 * 0.10) / 31)


@pytest.mark.parametrize(
    "month", ["2018-09-01", "2019-05-01", "2025-03-01", "2025-04-01", "2025-06-01", "2025-11-01"]
)
def test_monthly_rates_equal_the_mean_of_daily_rates(schedule: Schedule, month: str) -> None:
    start = pd.Timestamp(month)
    days = pd.date_range(start, start + pd.offsets.MonthEnd(0), freq="D")
    lines = [v[0] for v in LINES.values()] + ["28053000"]
    daily = pd.DataFrame(
        [(h, p, t) for h in lines for p in (CHINA, JAPAN) for t in days], columns=["hs8", "partner", "date"]
    )
    means = (
        schedule.rates(daily)
        .groupby(["hs8", "partner"])[["section301", "section232", "ieepa_reciprocal", "total"]]
        .mean()
    )
    monthly = schedule.monthly_rates(means.reset_index()[["hs8", "partner"]].assign(month=start)).set_index(
        ["hs8", "partner"]
    )
    pd.testing.assert_frame_equal(monthly[means.columns], means, check_exact=False, rtol=1e-12)


def test_exports_to_china_carry_retaliation_only(schedule: Schedule) -> None:
    days = pd.to_datetime(
        ["2025-04-09", "2025-04-10", "2025-04-11", "2025-04-12", "2025-05-13", "2025-05-14"]
    )
    frame = pd.DataFrame({"hs8": "97019100", "partner": CHINA, "date": days})  # paintings: on no 2018 list
    got = schedule.rates(frame, flow="exports")
    np.testing.assert_allclose(got["china_retaliation"], [0.0, 0.84, 0.84, 1.25, 1.25, 0.10])
    np.testing.assert_allclose(got["total"], got["china_retaliation"])
    assert (got[["mfn", "section301", "section232", "ieepa_fentanyl", "ieepa_reciprocal"]] == 0).all().all()
    soy = schedule.rates(frame.assign(hs8="12019000"), flow="exports")
    assert (soy["china_retaliation"] > got["china_retaliation"]).all()  # 2018 and 2025 farm lists stack
    japan = schedule.rates(frame.assign(partner=JAPAN), flow="exports")
    assert (japan["total"] == 0).all()


def test_no_geneva_keeps_145_and_escalation_takes_a_rate(schedule: Schedule) -> None:
    frame = pd.DataFrame(
        {
            "hs8": "95030000",
            "partner": CHINA,
            "date": pd.to_datetime(["2025-05-13", "2025-06-01", "2025-12-01"]),
        }
    )
    np.testing.assert_allclose(schedule.rates(frame, scenario="no_geneva")["total"], [1.45, 1.45, 1.45])
    np.testing.assert_allclose(schedule.rates(frame, scenario="geneva")["total"], [1.45, 0.30, 0.20])
    np.testing.assert_allclose(schedule.rates(frame, scenario="london")["total"], [1.45, 0.30, 0.20])
    escalation = load_scenario("escalation", rate=0.6, **{"from": "2025-12-01"})
    np.testing.assert_allclose(schedule.rates(frame, scenario=escalation)["total"], [1.45, 0.30, 0.70])
    exports = schedule.rates(frame.assign(hs8="97019100"), scenario=escalation, flow="exports")
    np.testing.assert_allclose(exports["china_retaliation"], [1.25, 0.10, 0.60])


def test_rollback_2024_freezes_every_layer_at_the_end_of_2024(schedule: Schedule) -> None:
    frame = checkpoint_frame()
    frame = frame[frame["date"] >= "2025-01-01"]
    frozen = schedule.rates(frame.assign(date=pd.Timestamp("2024-12-31")))
    rolled = schedule.rates(frame, scenario="rollback_2024")
    for layer in ("section301", "section232", "ieepa_fentanyl", "ieepa_reciprocal", "total"):
        np.testing.assert_allclose(rolled[layer].to_numpy(), frozen[layer].to_numpy(), err_msg=layer)


def test_every_shipped_scenario_loads_against_the_timeline() -> None:
    timeline = load_timeline()
    names = scenario_names()
    assert {"geneva", "no_geneva", "london", "rollback_2024", "escalation"} <= set(names)
    for name in names:
        scenario = load_scenario(name, timeline=timeline)
        assert scenario.description


def test_a_user_scenario_file(schedule: Schedule, fixtures) -> None:
    path = fixtures / "tariffs" / "steel_relief.yaml"
    frame = pd.DataFrame(
        {"hs8": "72081015", "partner": JAPAN, "date": pd.to_datetime(["2025-06-30", "2025-07-01"])}
    )
    np.testing.assert_allclose(schedule.rates(frame, scenario=path)["section232"], [0.50, 0.25])


@pytest.mark.parametrize(
    ("override", "named"),
    [
        ({"layer": "section999", "from": "2025-01-01", "rate": 0.1}, "overrides[0].layer"),
        ({"layer": "ieepa_reciprocal", "partner": "chna", "from": "2025-01-01", "rate": 0.1}, "'chna'"),
        (
            {"layer": "ieepa_reciprocal", "partner": "China", "from": "2025-01-01", "rate": 0.1},
            "overrides[0].partner",
        ),
        ({"layer": "ieepa_reciprocal", "from": "01/05/2025", "rate": 0.1}, "overrides[0].from"),
        ({"layer": "ieepa_reciprocal", "from": "2025-01-01", "rate": "high"}, "overrides[0].rate"),
        ({"layer": "ieepa_reciprocal", "from": "2025-01-01", "rate": 0.1, "untill": 3}, "'untill'"),
        ({"layer": "ieepa_reciprocal", "from": "2025-01-01"}, "missing rate"),
        ({"layer": "section301", "coverage": "list9", "from": "2025-01-01", "rate": 0.1}, "'list9'"),
    ],
)
def test_bad_scenarios_are_rejected_naming_the_key(
    tmp_path, schedule: Schedule, override: dict, named: str
) -> None:
    import yaml

    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({"name": "bad", "overrides": [override]}))
    with pytest.raises(
        ScenarioError, match=named.replace("[", r"\[").replace("]", r"\]").replace(".", r"\.")
    ):
        schedule.rates(
            pd.DataFrame({"hs8": ["95030000"], "partner": CHINA, "date": pd.Timestamp("2025-01-01")}),
            scenario=path,
        )


def test_unknown_scenario_name_and_parameter() -> None:
    with pytest.raises(ScenarioError, match="no_genva"):
        load_scenario("no_genva")
    with pytest.raises(ScenarioError, match="'level'"):
        load_scenario("escalation", level=0.5)


def _timeline_copy(tmp_path, edit) -> str:
    source = load_timeline().path
    with open(source, encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    lines = edit(lines)
    path = tmp_path / "timeline.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("bad", "named"),
    [
        (("section301", "section310"), "unknown layer 'section310'"),
        (("2018-07-06", "2018-7-6"), "'2018-7-6' is not a date"),
        (("china_mainland", "china_main"), "unknown partner 'china_main'"),
        (("0.25", "25%"), "rate '25%'"),
    ],
)
def test_bad_timeline_rows_are_named_at_load(tmp_path, bad: tuple[str, str], named: str) -> None:
    def edit(lines: list[str]) -> list[str]:
        lines[1] = lines[1].replace(*bad, 1)  # the first data row: row 2 as a spreadsheet shows it
        return lines

    path = _timeline_copy(tmp_path, edit)
    with pytest.raises(ScenarioError, match="row 2") as info:
        Schedule(products(), timeline=path)
    assert named in str(info.value)


def test_duplicate_timeline_rows_are_named(tmp_path) -> None:
    path = _timeline_copy(tmp_path, lambda lines: [*lines, lines[1]])
    with pytest.raises(ScenarioError, match="duplicate") as info:
        load_timeline(path)
    assert "row 2" in str(info.value)


def test_a_corrected_date_in_the_timeline_moves_the_rate(tmp_path) -> None:
    # Geneva dated a month early, as one public tracker has it: one edit, and the engine follows.
    path = _timeline_copy(
        tmp_path,
        lambda lines: [
            line.replace("2025-05-14,0.10,9903.01.25", "2025-04-14,0.10,9903.01.25") for line in lines
        ],
    )
    frame = pd.DataFrame({"hs8": ["95030000"], "partner": CHINA, "date": pd.Timestamp("2025-04-20")})
    assert Schedule(products(), timeline=path).rates(frame)["ieepa_reciprocal"].iloc[0] == pytest.approx(0.10)


def test_products_and_frames_are_checked(schedule: Schedule) -> None:
    with pytest.raises(SchemaError, match="hs8"):
        Schedule(pd.DataFrame({"hs8": ["8505"], "mfn_ad_valorem": [0.0]}))
    with pytest.raises(SchemaError, match="mfn_ad_valorem"):
        Schedule(pd.DataFrame({"hs8": ["85051100"]}))
    with pytest.raises(SchemaError, match="'date'"):
        schedule.rates(pd.DataFrame({"hs8": ["85051100"], "partner": CHINA}))
    with pytest.raises(SchemaError, match="datetime64"):
        schedule.rates(pd.DataFrame({"hs8": ["85051100"], "partner": CHINA, "date": ["2025-01-01"]}))
    with pytest.raises(ScenarioError, match="flow"):
        schedule.rates(
            pd.DataFrame({"hs8": ["85051100"], "partner": CHINA, "date": pd.Timestamp("2025-01-01")}),
            flow="import",
        )  # type: ignore[arg-type]


def test_every_timeline_row_has_an_instrument_and_a_source() -> None:
    rows = load_timeline().rows
    assert (rows["instrument"].str.len() > 0).all() and (rows["source"].str.len() > 0).all()
    assert len(rows) > 90


def test_bad_coverage_and_partner_rows_are_named(tmp_path) -> None:
    coverage = tmp_path / "coverage.csv"
    coverage.write_text(
        "coverage,hs_prefix,description,source\ns232_steel,7208,steel,P9705\ns232_steel,72O8,typo,P9705\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError, match=r"row 3: hs_prefix '72O8'"):
        load_timeline(coverage=coverage)
    partners = tmp_path / "partners.csv"
    partners.write_text("group,partner,name,source\nchina_hk,5700,China,EO\nchina_hk,HK,Hong Kong,EO\n")
    with pytest.raises(ScenarioError, match=r"row 3: partner 'HK'"):
        load_timeline(partners=partners)


def test_bad_content_rows_are_named(tmp_path) -> None:
    from econ.tariffs.timeline import load_content

    content = tmp_path / "content.csv"
    header = "coverage,partner,share,basis,source\n"
    everyone = "s232_pharma,all,0.5,share of the line in scope,P11020\n"
    content.write_text(header + everyone + "s232_pharma,5700,1.5,x,P\n")
    with pytest.raises(ScenarioError, match=r"row 3: share '1.5'"):
        load_content(content)
    content.write_text(header + "s232_pharma,5700,0.03,share of the line in scope,P11020\n")
    with pytest.raises(ScenarioError, match=r"'s232_pharma' has partner shares but no row for partner all"):
        load_content(content)
    content.write_text(header + everyone + "s232_pharma,EU,0.2,x,P\n")
    with pytest.raises(ScenarioError, match=r"row 3: partner 'EU' is not all, a partner group"):
        load_content(content, groups={"eu": frozenset({"4280"})})
    content.write_text(header + everyone + "s232_pharma,eu,0.2,x,P\n")
    shares = load_content(content, groups={"eu": frozenset({"4280"})})["s232_pharma"]
    assert (shares.share, shares.metal, shares.by_partner) == (0.5, False, {"eu": 0.2})
    content.write_text(header + everyone + "s232_pharma,eu,0.2,x,P\ns232_pharma,nato,0.3,x,P\n")
    with pytest.raises(ScenarioError, match=r"groups .eu. and .nato. different shares, and both hold"):
        load_content(content, groups={"eu": frozenset({"4280"}), "nato": frozenset({"4280", "1220"})})
