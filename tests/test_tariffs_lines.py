"""Product coverage, revisions, ad valorem equivalents and the reconciliation.

* several dated HTS revisions: MFN from the revision in force; a 2017 code finds its lists through the
  code map; unmatched codes reported by value;
* ad valorem equivalents of a specific and a compound rate from unit values, and the fallback rule;
* the reconciliation's terms add up;
* the compiled lists against the real files in ../shared/data (precision and recall; skipped where absent).
"""

from __future__ import annotations

import csv
from collections import defaultdict

import numpy as np
import pandas as pd
import pytest

from econ.tariffs import Schedule, ad_valorem_equivalents, load_timeline, reconcile

CN, KR, CA, FR = "5700", "5800", "1220", "4279"


def _lines() -> pd.DataFrame:
    """Two revisions as the tariff_lines panel has them: 2017 (solar cells under 8541.40.60, a line at
    5%) and 2025 (solar cells renumbered to 8541.42.00 in 2022, the line cut to 3%)."""
    rows = [
        ("2017_basic", "2017-01-01", "85414060", None, 0.0, ["9903.88.03"]),
        ("2017_basic", "2017-01-01", "85414060", "8541406020", np.nan, []),
        ("2017_basic", "2017-01-01", "39269099", None, 0.05, ["9903.88.03"]),
        ("2025_basic", "2025-01-01", "85414200", None, 0.0, ["9903.88.03"]),
        ("2025_basic", "2025-01-01", "85414200", "8541420010", np.nan, []),
        ("2025_basic", "2025-01-01", "39269099", None, 0.03, ["9903.88.03"]),
    ]
    return pd.DataFrame(
        rows, columns=["revision", "effective", "hts8", "hts10", "mfn_ad_valorem", "chapter99"]
    ).assign(rate_kind="ad_valorem", description="", general="")


def test_mfn_from_the_revision_in_force() -> None:
    schedule = Schedule.from_lines(_lines())
    frame = pd.DataFrame(
        {"hs8": "39269099", "partner": KR, "date": pd.to_datetime(["2018-06-01", "2024-12-31", "2025-01-01"])}
    )
    np.testing.assert_allclose(schedule.rates(frame)["mfn"], [0.05, 0.05, 0.03])


def test_a_2017_code_finds_the_lists_of_its_successor() -> None:
    # The 2024 review's 50% on solar cells (89 FR 76581) names 8541.42/.43, codes created in 2022.
    frame = pd.DataFrame({"hs10": ["8541406020"], "partner": CN, "date": pd.Timestamp("2025-01-01")})
    plain = Schedule.from_lines(_lines()).rates(frame)
    assert plain["section301"].iloc[0] == pytest.approx(0.25)  # List 3 only: the 2017 code is not named
    mapping = pd.DataFrame({"from_code": ["8541406020"], "to_code": ["8541420010"]})
    mapped = Schedule.from_lines(_lines(), code_map=mapping).rates(frame)
    assert mapped["section301"].iloc[0] == pytest.approx(0.50)


def test_unmatched_codes_are_reported_by_value_once(caplog: pytest.LogCaptureFixture) -> None:
    schedule = Schedule.from_lines(_lines())
    frame = pd.DataFrame(
        {
            "hs10": ["9999999999", "9999999999", "8888888888", "8541420010"],
            "partner": KR,
            "date": pd.Timestamp("2025-03-01"),
            "value": [10.0, 5.0, 100.0, 1.0],
        }
    )
    with caplog.at_level("WARNING", logger="econ.tariffs.engine"):
        got = schedule.rates(frame)
    report = got.attrs["tariffs"]["unmatched"]
    assert report["code"].tolist() == ["88888888", "99999999"]  # fell back to HS8: in no revision either
    assert report["value"].tolist() == [100.0, 15.0]
    assert len([r for r in caplog.records if "in no revision" in r.getMessage()]) == 1


def test_several_revisions_need_their_dates() -> None:
    from econ.errors import SchemaError

    # Revisions the package knows are dated from data/revisions.csv; others must say when they took effect.
    lines = _lines().drop(columns="effective")
    names = {"2017_basic": "2017 Basic", "2025_basic": "2025 Basic"}
    named = lines.assign(revision=lines["revision"].map(names))
    days = pd.to_datetime(["2018-06-01", "2025-06-01"])
    frame = pd.DataFrame({"hs8": "39269099", "partner": KR, "date": days})
    np.testing.assert_allclose(Schedule.from_lines(named).rates(frame)["mfn"], [0.05, 0.03])
    with pytest.raises(SchemaError, match="2017_basic"):
        Schedule.from_lines(lines)


# -------------------------------------------------------------------------------------------- AVE
def test_ave_of_a_specific_and_a_compound_rate() -> None:
    lines = pd.DataFrame(
        {
            "hts8": ["22042150", "07031020"],
            "hts10": [None, None],
            "general": ["6.3¢/liter", "2.2¢/kg + 5%"],
            "rate_kind": ["specific", "compound"],
            "mfn_ad_valorem": [np.nan, np.nan],
            "ad_valorem_part": [np.nan, 0.05],
            "chapter99": [[], []],
        }
    )
    panel = pd.DataFrame(
        {
            "hs10": ["2204215020", "2204215020", "0703102000", "0703102000"],
            "partner": [FR, FR, KR, CA],
            "month": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-01", "2024-01-01"]),
            "value": [1000.0, 3000.0, 1000.0, 500.0],
            "quantity": [100.0, 300.0, 500.0, 0.0],  # Canada reports no quantity
            "quantity_unit": ["L", "L", "KG", "KG"],
        }
    )
    ave = ad_valorem_equivalents(panel, lines).set_index(["hs10", "partner"])
    # 6.3¢ × 400 l / $4,000 = 0.63%; 2.2¢ × 500 kg / $1,000 + 5% = 6.1%.
    assert ave.loc[("2204215020", FR), "mfn_ave"] == pytest.approx(0.0063)
    assert ave.loc[("0703102000", KR), "mfn_ave"] == pytest.approx(0.061)
    assert ave.loc[("0703102000", KR), "rule"] == "own"
    # No quantity: the HS10's AVE over all partners that year.
    assert ave.loc[("0703102000", CA), "mfn_ave"] == pytest.approx(0.061)
    assert ave.loc[("0703102000", CA), "rule"] == "hs10_year"
    schedule = Schedule.from_lines(lines)
    rated = schedule.monthly_rates(panel, ave=ave.reset_index())
    np.testing.assert_allclose(rated["mfn"], [0.0063, 0.0063, 0.061, 0.061])
    assert rated["mfn_is_ave"].all()
    np.testing.assert_allclose(rated["mfn_ave"], [0.0063, 0.0063, 0.011, 0.011])  # above the 5% part
    plain = schedule.monthly_rates(panel)
    np.testing.assert_allclose(plain["mfn"], [0.0, 0.0, 0.05, 0.05])  # without: the ad valorem part only


# ---------------------------------------------------------------------------------- reconciliation
def test_reconciliation_terms_add_up() -> None:
    products = pd.DataFrame(
        {
            "hs8": ["95030000", "85011040", "22042150"],
            "mfn_ad_valorem": [0.0, 0.04, np.nan],
            "rate_kind": ["free", "ad_valorem", "specific"],
            "chapter99": [[], ["9903.88.01", "9903.88.69"], []],
        }
    )
    schedule = Schedule(products)
    panel = pd.DataFrame(
        {
            "hs8": ["95030000", "85011040", "95030000", "22042150"],
            "hs10": ["9503000090", "8501104020", "9503000090", "2204215020"],
            "partner": [CN, CN, CA, FR],
            "month": pd.Timestamp("2025-09-01"),
            "value": [100.0, 200.0, 300.0, 50.0],
            "duty": [30.0, 40.0, 20.0, 1.0],
        }
    )
    ave = pd.DataFrame({"hs10": ["2204215020"], "partner": [FR], "year": [2025], "mfn_ave": [0.02]})
    rated = schedule.monthly_rates(panel, ave=ave)
    table = reconcile(rated, by=["partner", "month"]).set_index("partner")
    terms = table["ave"] + table["preferences"] + table["exclusions"] + table["residual"]
    np.testing.assert_allclose(table["collected_rate"] - table["statutory_ad_valorem"], terms)
    np.testing.assert_allclose(table["statutory_ad_valorem"] + table["ave"], table["statutory_rate"])
    assert table.loc[CA, "preferences"] < 0  # USMCA share
    assert table.loc[CN, "exclusions"] < 0  # the lathe motor line refers to 9903.88.69
    assert table.loc[FR, "ave"] == pytest.approx(0.02)
    assert table.loc[CN, "preferences"] == 0 and table.loc[FR, "exclusions"] == 0


# ---------------------------------------------------------------------- lists against shared data
def _basic_edition_hs10(shared_data) -> dict[str, set[str]]:
    by8: dict[str, set[str]] = defaultdict(set)
    with open(shared_data / "hts" / "hts_2025_basic_edition.csv", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            code = row["HTS Number"].replace(".", "")
            if len(code) == 10:
                by8[code[:8]].add(code)
    return by8


def test_annex_ii_line_exact_precision_and_recall(shared_data) -> None:
    listed = pd.read_csv(shared_data / "hts" / "ieepa_exempt_products.csv", dtype=str).iloc[:, 0]
    listed = {c[:10] for c in listed}
    prefixes = load_timeline().coverage_prefixes()
    annex = {g: tuple(codes) for g, codes in prefixes.items() if g.startswith(("annex_ii", "reciprocal_"))}
    # The compiled list is one list for the year, a snapshot that holds the lines added in September and
    # November, those EO 14346 removed and some of the wood lines that left for Section 232 in October;
    # recall is measured on every dated group, precision on those still exempt at the end of 2025.
    ours = tuple(p for codes in annex.values() for p in codes)
    recall = np.mean([code.startswith(ours) for code in listed])
    left = ("annex_ii_removed_2025_08_01", "annex_ii_removed_2025_10_14")
    kept = tuple(p for g, codes in annex.items() if g not in left for p in codes)
    # Precision: the 2025 lines our prefixes cover are listed, or sit under an HS8 listed whole (hs8+"00").
    by8 = _basic_edition_hs10(shared_data)
    covered = [c for cs in by8.values() for c in cs if c.startswith(kept)]
    whole = {c[:8] for c in listed if c.endswith("00")}
    precision = np.mean([c in listed or c[:8] in whole for c in covered])
    assert recall >= 0.999 and precision >= 0.97, (recall, precision)


def test_section_122_exemptions_are_on_no_duty_list_twice() -> None:
    lists = pd.read_csv(load_timeline().path.replace("timeline.csv", "product_lists.csv"), dtype=str)
    s122 = lists[lists["coverage"] == "s122_exempt"]["hs_prefix"]
    assert s122.str.fullmatch(r"\d{8}|\d{10}").all() and not s122.duplicated().any()
    assert len(s122) > 1000  # ~1,100 codes of Annex I (FACTS §1c) and more at HS8


def test_compiled_301_lists_against_the_hts_footnotes(shared_data) -> None:
    from econ.sources import hts

    compiled = load_timeline().s301_lists
    compiled = compiled[compiled["list"] != "list4b"]
    heading = {"9903.88.01": "list1", "9903.88.02": "list2", "9903.88.03": "list3", "9903.88.04": "list3"}
    heading["9903.88.15"] = "list4a"
    footnoted: set[tuple[str, str]] = set()
    chapters = []
    for chapter in ("01", "28", "85"):
        lines = hts.read(shared_data / "hts" / f"chapter{chapter}.json")
        chapters.append(chapter)
        for code8, refs in zip(lines["hts8"], lines["chapter99"], strict=True):
            if isinstance(code8, str):
                footnoted |= {(code8, heading[h]) for h in refs if h in heading}
    ours = {(h, name) for h, name in zip(compiled["hs8"], compiled["list"], strict=True) if h[:2] in chapters}
    recall = len(ours & footnoted) / len(footnoted)
    precision = len(ours & footnoted) / len(ours)
    # Lines renumbered since the lists were published sit under other codes in the 2025 JSON.
    assert recall >= 0.95 and precision >= 0.90, (recall, precision)


def test_compiled_301_lists_match_the_shared_compiled_file(shared_data) -> None:
    theirs = pd.read_csv(shared_data / "hts" / "s301_product_lists.csv", dtype=str)
    names = {"1": "list1", "2": "list2", "3": "list3", "3_addl": "list3", "4A": "list4a", "4B": "list4b"}
    theirs = {(h, names[x]) for h, x in zip(theirs["hts8"], theirs["list"], strict=True) if x in names}
    compiled = load_timeline().s301_lists
    ours = set(zip(compiled["hs8"], compiled["list"], strict=True))
    assert ours == theirs


def test_a_csv_schedule_takes_the_compiled_301_lists(shared_data, caplog) -> None:
    with caplog.at_level("WARNING"):
        schedule = Schedule.from_hts([shared_data / "hts" / "hts_2025_basic_edition.csv"])
    assert any("compiled Section 301 lists" in r.getMessage() for r in caplog.records)
    frame = pd.DataFrame({"hs8": ["84581100", "94036080"], "partner": CN, "date": pd.Timestamp("2024-06-01")})
    np.testing.assert_allclose(schedule.rates(frame)["section301"], [0.25, 0.25])  # Lists 1 and 3
