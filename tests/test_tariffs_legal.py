"""The schedule against the legal texts: (product, partner, date) cases across every authority and every
change date, the day before and the day of, each with its citation.

The expected rates are written here from the executive orders, proclamations and USTR notices (the
citation column), not read from econ/tariffs/data: a wrong date or rate in the timeline fails a case.
Products are real HTS lines with their column 1 rates; a line's Section 301 list is given as its HTS
footnote would give it. Where the legal reading rests on an uncertain fact the citation says (check), as
the timeline does.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from econ.tariffs import Schedule

CN, HK, MO, JP, VN, KR, IN, BR, CH, CA, MX, DE, UK, AU, TW = (
    "5700", "5820", "5660", "5880", "5520", "5800", "5330", "3510", "4419", "1220", "2010", "4280",
    "4120", "6021", "5830",
)  # fmt: skip
L1, L2, L3, L4A, L4B = "9903.88.01", "9903.88.02", "9903.88.03", "9903.88.15", "9903.88.16"

# name: (hs8, chapter 99 footnotes, MFN column 1 general rate)
PRODUCTS: dict[str, tuple[str, list[str], float]] = {
    "toy": ("95030000", [L4B], 0.0),  # toys: List 4B only, never applied
    "furniture": ("94036080", [L3], 0.0),  # wooden furniture: List 3
    "tshirt": ("61091000", [L4A], 0.165),  # cotton T-shirts: List 4A, 16.5%
    "lathe": ("84581100", [L1], 0.044),  # horizontal lathes: List 1, 4.4%
    "polyethylene": ("39012010", [L2], 0.065),  # List 2, 6.5%
    "steel": ("72081015", [L1], 0.0),  # hot-rolled flat steel: Section 232, List 1
    "rare_earth": ("28053000", [L3], 0.05),  # rare-earth metals: Annex II (FACTS §1), List 3
    "laptop": ("84713001", [L4B], 0.0),  # portable computers: electronics memorandum of 2025-04-11
    "coffee": ("09011100", [], 0.0),  # coffee, not roasted: EO 14360 agricultural exemption
    "car": ("87032301", [], 0.025),  # passenger cars 1.5-3 l: Section 232 autos, 2.5%
    "truck": ("87042301", [], 0.25),  # trucks GVW over 20 t: Section 232 (2025-11-01), 25%
    "lumber": ("44071100", [], 0.0),  # sawn pine: Section 232 lumber
    "copper_wire": ("74081160", [], 0.03),  # refined copper wire over 6 mm: Section 232 copper, 3%
    "loader": ("84295110", [], 0.0),  # front-end shovel loaders: Section 232 inclusions of 2025-08-18
    "seat": ("94017100", [], 0.0),  # upholstered seats with metal frames: inclusions, then Annex II
    "solar": ("85414300", [L3], 0.0),  # PV modules: Section 201, 2024 review 50% (China)
    "washer": ("84501100", [], 0.01),  # large residential washers: Section 201
    "crude": ("27090020", [], 0.0),  # crude petroleum: Canadian energy at 10%
    "potash": ("31042000", [], 0.0),  # potassium chloride
    "beer": ("22030000", [], 0.0),  # beer: Section 338 alcohol basket (Canada)
    "nails": ("73170055", [], 0.0),  # steel nails: Section 232 derivatives of 2020
    "ev": ("87038000", [L1], 0.025),  # electric cars: 2024 review 100% (China)
    "chip": ("85423100", [L1], 0.0),  # processors: 2024 review step of 2025-01-01 50% (China)
    "pharma": ("30049092", [], 0.0),  # medicaments: Annex II, Section 122 Annex I
    "auto_part": ("87089968", [], 0.025),  # other motor-vehicle parts 8708.99.68: in note 33(g)
    "auto_part_other": ("87089981", [], 0.025),  # 8708.99.81: not in note 33(g)
    "wheel_hub": ("87089941", [], 0.0),  # wheel hubs for tractors: truck parts of note 38
    "cast_iron_pipe": ("73030000", [], 0.0),  # not in Proclamation 10896's Annex I
    "steel_structure": ("73089095", [], 0.0),  # structures of steel: Proclamation 10896 Annex I
    "gold": ("71081250", [], 0.041),  # gold, unwrought: added to Annex II by EO 14346
    "plywood": ("44123106", [], 0.0),  # birch plywood: Annex II (lumber) until Section 232 wood
    "bedroom_furniture": ("94035090", [], 0.0),  # wooden bedroom furniture: Section 338 third basket
    "animal_feed": ("05119930", [], 0.0),  # in Annex II Part A of the forced-labour action, not in Annex II
    "primates": ("01061100", [], 0.0),  # in the first Annex II, not in Part A
    "iron_ore": (
        "26011100",
        [],
        0.0,
    ),  # iron ores, non-agglomerated: in the Brazil order's Annex I (9903.01.81)
    "liqueur": ("22087000", [], 0.0),  # liqueurs and cordials: first Section 338 basket until 2026-09-14
    "salt": ("25010000", [], 0.0),  # salt: third Section 338 basket until 2026-09-14
    "tin": ("80011000", [], 0.0),  # unwrought tin: in Annex II, not in the Brazil order's Annex I
}


def products() -> pd.DataFrame:
    return pd.DataFrame(
        [{"hs8": hs8, "mfn_ad_valorem": mfn, "chapter99": refs} for hs8, refs, mfn in PRODUCTS.values()]
    )


@pytest.fixture(scope="module")
def schedule() -> Schedule:
    return Schedule(products())


# (product, partner, date, expected total statutory rate before preferences, citation)
CASES: list[tuple[str, str, str, float, str]] = [
    # Section 301, China
    ("lathe", CN, "2018-07-05", 0.044, "List 1 from 2018-07-06, 83 FR 28710"),
    ("lathe", CN, "2018-07-06", 0.294, "List 1 25%, 83 FR 28710"),
    ("polyethylene", CN, "2018-08-22", 0.065, "List 2 from 2018-08-23, 83 FR 40823"),
    ("polyethylene", CN, "2018-08-23", 0.315, "List 2 25%, 83 FR 40823"),
    ("furniture", CN, "2018-09-23", 0.0, "List 3 from 2018-09-24, 83 FR 47974"),
    ("furniture", CN, "2018-09-24", 0.10, "List 3 10%, 83 FR 47974"),
    ("furniture", CN, "2019-05-09", 0.10, "List 3 raised from 2019-05-10, 84 FR 20459"),
    ("furniture", CN, "2019-05-10", 0.25, "List 3 25%, 84 FR 20459"),
    ("tshirt", CN, "2019-08-31", 0.165, "List 4A from 2019-09-01, 84 FR 43304"),
    ("tshirt", CN, "2019-09-01", 0.315, "List 4A 15%, 84 FR 43304"),
    ("tshirt", CN, "2020-02-13", 0.315, "List 4A halved from 2020-02-14, 85 FR 3741"),
    ("tshirt", CN, "2020-02-14", 0.24, "List 4A 7.5% (Phase One), 85 FR 3741"),
    ("toy", CN, "2019-12-15", 0.0, "List 4B suspended before 2019-12-15, 84 FR 69447"),
    ("toy", HK, "2019-01-01", 0.0, "Section 301 applies to goods of the PRC, not Hong Kong"),
    ("furniture", HK, "2019-06-01", 0.0, "Section 301: Hong Kong is a separate customs territory"),
    ("ev", CN, "2024-09-26", 0.275, "List 1 25% before the review, 83 FR 28710"),
    ("ev", CN, "2024-09-27", 1.025, "Four-year review: EVs 100% from 2024-09-27, 89 FR 76581"),
    ("solar", CN, "2024-09-26", 0.3925, "List 3 25% + Section 201 14.25% (Proclamation 10339, year 7)"),
    ("solar", CN, "2024-09-27", 0.6425, "Review: solar cells 50%, 89 FR 76581; + Section 201 14.25%"),
    ("chip", CN, "2024-12-31", 0.25, "List 1 25% (semiconductors' 50% from 2025-01-01), 89 FR 76581"),
    ("chip", CN, "2025-01-01", 0.50, "Review second step: semiconductors 50%, 89 FR 76581"),
    # IEEPA on China and Hong Kong (toys: no 301 list in force, MFN free)
    ("toy", CN, "2025-02-03", 0.0, "Fentanyl duty from 2025-02-04, EO 14195"),
    ("toy", CN, "2025-02-04", 0.10, "Fentanyl 10%, EO 14195 (9903.01.20)"),
    ("toy", CN, "2025-03-03", 0.10, "Fentanyl raised from 2025-03-04, EO 14228"),
    ("toy", CN, "2025-03-04", 0.20, "Fentanyl 20%, EO 14228 (9903.01.24)"),
    ("toy", CN, "2025-04-04", 0.20, "Reciprocal baseline from 2025-04-05, EO 14257"),
    ("toy", CN, "2025-04-05", 0.30, "Reciprocal 10%, EO 14257 (9903.01.25)"),
    ("toy", CN, "2025-04-08", 0.30, "China's 84% from 2025-04-09, EO 14259"),
    ("toy", CN, "2025-04-09", 1.04, "Reciprocal 84% on China, EO 14259"),
    ("toy", CN, "2025-04-10", 1.45, "Reciprocal 125% on China, EO 14266"),
    ("toy", CN, "2025-05-13", 1.45, "Geneva cut from 2025-05-14, EO 14298"),
    ("toy", CN, "2025-05-14", 0.30, "Geneva: reciprocal 10%, EO 14298"),
    ("toy", CN, "2025-11-09", 0.30, "Busan: fentanyl cut from 2025-11-10, orders of 2025-11-04"),
    ("toy", CN, "2025-11-10", 0.20, "Fentanyl 10% + reciprocal 10%, orders of 2025-11-04"),
    ("toy", CN, "2026-02-23", 0.20, "IEEPA collected until 12:00 a.m. 2026-02-24 (HTS 2026 rev. 4)"),
    ("toy", CN, "2026-02-24", 0.10, "IEEPA void (Learning Resources v. Trump); Section 122 10%"),
    ("toy", CN, "2026-07-23", 0.10, "Section 122 in force through 2026-07-23 (150 days)"),
    ("toy", CN, "2026-07-24", 0.125, "Section 122 expired; forced-labour 301 12.5% (check China's tier)"),
    ("toy", HK, "2025-04-10", 1.45, "EO 14195 and EO 14257 cover goods of Hong Kong"),
    ("toy", HK, "2025-05-14", 0.30, "Geneva applies to Hong Kong, EO 14298"),
    ("toy", MO, "2025-04-10", 1.25, "Reciprocal 125% covers Macao (EO 14257 Annex I 'China'); no fentanyl"),
    ("rare_earth", CN, "2025-04-10", 0.50, "Annex II: rare-earth metals exempt; MFN 5% + List 3 + fentanyl"),
    ("laptop", CN, "2025-04-10", 0.20, "Electronics exempt from the reciprocal duty (memo of 2025-04-11)"),
    ("laptop", CN, "2025-11-10", 0.10, "Electronics: fentanyl 10% only after Busan"),
    ("laptop", CN, "2026-02-24", 0.0, "Section 122 Annex I exempts computers (9903.03.02-.11)"),
    ("steel", CN, "2025-06-04", 0.95, "232 50% + List 1 25% + fentanyl 20%; no reciprocal on 232 goods"),
    # Japan
    ("toy", JP, "2025-04-04", 0.0, "Reciprocal from 2025-04-05, EO 14257"),
    ("toy", JP, "2025-04-05", 0.10, "Reciprocal baseline 10%, EO 14257"),
    ("toy", JP, "2025-04-09", 0.24, "EO 14257 Annex I: Japan 24% on 2025-04-09"),
    ("toy", JP, "2025-04-10", 0.10, "Annex I rates paused from 2025-04-10, EO 14266"),
    ("toy", JP, "2025-08-06", 0.10, "Country rates from 2025-08-07, EO 14326"),
    ("toy", JP, "2025-08-07", 0.15, "Japan 15% inclusive of MFN, EO 14345 (retroactive to 2025-08-07)"),
    ("tshirt", JP, "2025-08-06", 0.265, "MFN 16.5% + reciprocal 10%"),
    ("tshirt", JP, "2025-08-07", 0.165, "15% all-in: MFN above 15% leaves no reciprocal duty, EO 14345"),
    ("toy", JP, "2026-02-24", 0.10, "IEEPA void; Section 122 10%"),
    ("toy", JP, "2026-07-24", 0.125, "Forced-labour 301: Japan 12.5% less MFN (USTR notice of 2026-07-23)"),
    ("tshirt", JP, "2026-07-24", 0.165, "Forced-labour 301 net of MFN: 12.5% - 16.5% < 0, so 0"),
    ("car", JP, "2025-04-02", 0.025, "Section 232 autos from 2025-04-03, Proclamation 10908"),
    ("car", JP, "2025-04-03", 0.275, "232 autos 25%; no reciprocal on 232 goods, Proclamation 10908"),
    ("car", JP, "2025-09-15", 0.275, "Japan's 15% on autos from 2025-09-16, EO 14345"),
    ("car", JP, "2025-09-16", 0.15, "Japan autos 15% inclusive of MFN, EO 14345"),
    ("car", JP, "2026-02-24", 0.15, "Section 122 does not apply to Section 232 goods"),
    ("truck", JP, "2025-10-31", 0.25, "MFN 25% >= 15%: no reciprocal duty under Japan's all-in rate"),
    ("truck", JP, "2025-11-01", 0.50, "Section 232 trucks 25%, Proclamation 10984"),
    ("nails", JP, "2026-04-05", 0.50, "232 steel derivatives (Proclamation 9980) at 50% since 2025-06-04"),
    (
        "nails",
        JP,
        "2026-04-06",
        0.50,
        "2026-04-06 annexes: 7317.00.55 listed in Annex I-A, 50% on full value",
    ),
    (
        "copper_wire",
        JP,
        "2025-07-31",
        0.03,
        "MFN 3%: copper was in the first Annex II (EO 14257; its fact sheet names copper, lumber, "
        "pharmaceuticals and semiconductors) until Section 232 copper on 08-01",
    ),
    (
        "copper_wire",
        JP,
        "2025-08-01",
        0.53,
        "Proclamation 10962, US note 36(b): 7408.11.60 copper 50%; no reciprocal",
    ),
    ("copper_wire", JP, "2026-04-06", 0.53, "2026-04-06 annexes: 7408.11.60 in Annex I-A, 50% on full value"),
    ("loader", VN, "2025-08-17", 0.20, "Reciprocal 20% (EO 14326); the inclusions take effect 2025-08-18"),
    (
        "loader",
        VN,
        "2025-08-18",
        0.35,
        "90 FR 40326: 8429.51.10 a steel derivative, 50% on its steel content (half the value (check)); "
        "the reciprocal 20% on the rest (US note 2(v))",
    ),
    (
        "loader",
        VN,
        "2026-04-06",
        0.25,
        "8429.51.10 in Annex I-B: 25% on full value; no Section 122 on 232 goods",
    ),
    ("seat", VN, "2026-04-05", 0.30, "Inclusions: 50% on half the value; Section 122 10% on the rest"),
    ("seat", VN, "2026-04-06", 0.10, "9401.71.00 in Annex II: out of Section 232; Section 122 10%"),
    # Vietnam
    ("toy", VN, "2025-04-08", 0.10, "Baseline 10%, EO 14257"),
    ("toy", VN, "2025-04-09", 0.46, "EO 14257 Annex I: Vietnam 46% on 2025-04-09"),
    ("toy", VN, "2025-04-10", 0.10, "Paused, EO 14266"),
    ("toy", VN, "2025-08-06", 0.10, "Country rates from 2025-08-07, EO 14326"),
    ("toy", VN, "2025-08-07", 0.20, "EO 14326 Annex I: Vietnam 20%"),
    ("toy", VN, "2026-02-23", 0.20, "IEEPA collected until 2026-02-24"),
    ("toy", VN, "2026-02-24", 0.10, "IEEPA void; Section 122 10%"),
    ("toy", VN, "2026-07-24", 0.125, "Forced-labour 301: Vietnam 12.5%"),
    ("steel", VN, "2025-03-11", 0.25, "Section 232 steel 25%, Proclamation 9705"),
    ("steel", VN, "2025-06-04", 0.50, "Section 232 steel 50%, Proclamation 10947; no reciprocal"),
    ("coffee", VN, "2025-11-12", 0.20, "Coffee exempt from 2025-11-13, EO 14360"),
    ("coffee", VN, "2025-11-13", 0.0, "EO 14360: agricultural products exempt from the reciprocal duty"),
    # South Korea, Taiwan, India, Switzerland, Brazil
    ("tshirt", KR, "2025-08-07", 0.315, "EO 14326 Annex I: Korea 15% additive; MFN 16.5% (KORUS aside)"),
    ("tshirt", KR, "2025-11-14", 0.165, "Korea 15% inclusive of MFN (framework; check the date)"),
    ("toy", TW, "2025-08-07", 0.20, "EO 14326 Annex I: Taiwan 20%"),
    ("toy", TW, "2026-07-24", 0.10, "Forced-labour 301: Taiwan 10% less MFN"),
    ("toy", IN, "2025-08-06", 0.10, "Baseline 10% until 2025-08-07"),
    ("toy", IN, "2025-08-07", 0.25, "EO 14326 Annex I: India 25%"),
    ("toy", IN, "2025-08-26", 0.25, "Russian-oil duty from 2025-08-27, EO 14329"),
    ("toy", IN, "2025-08-27", 0.50, "EO 14329: India +25%"),
    ("toy", IN, "2026-02-06", 0.50, "India framework from 2026-02-07 (FACTS §1b)"),
    ("toy", IN, "2026-02-07", 0.18, "India: Russian-oil duty removed, reciprocal 18%"),
    ("pharma", IN, "2025-08-27", 0.0, "Annex II exempts medicaments from the reciprocal and EO 14329 duties"),
    ("pharma", IN, "2026-02-24", 0.0, "Section 122 Annex I exempts pharmaceuticals"),
    ("toy", IN, "2026-02-24", 0.10, "IEEPA void; Section 122 10%"),
    ("toy", IN, "2026-07-24", 0.10, "Forced-labour 301: India 10% tier"),
    ("toy", CH, "2025-08-07", 0.39, "EO 14326 Annex I: Switzerland 39%"),
    ("toy", CH, "2025-11-14", 0.15, "US-Switzerland framework, 15% inclusive of MFN (check the date)"),
    ("toy", BR, "2025-08-05", 0.10, "Brazil order from 2025-08-06, EO 14323 (check 08-06 or 08-07)"),
    ("toy", BR, "2025-08-06", 0.50, "EO 14323: Brazil +40% on top of the 10% baseline"),
    (
        "iron_ore",
        BR,
        "2025-08-06",
        0.10,
        "EO 14323 Annex I exempts iron ore from the 40%; the 10% baseline stays",
    ),
    (
        "tin",
        BR,
        "2025-08-06",
        0.40,
        "EO 14323: tin is not in Annex I, so the 40% applies; Annex II spares the 10%",
    ),
    ("coffee", BR, "2025-11-12", 0.50, "Coffee: 10% baseline + 40% Brazil order"),
    ("coffee", BR, "2025-11-13", 0.40, "EO 14360 removes the reciprocal 10% on coffee"),
    ("toy", BR, "2026-07-21", 0.10, "Section 122 10%; Brazil 301 from 2026-07-22"),
    ("toy", BR, "2026-07-22", 0.35, "Section 301 on Brazil 25% (notice of 2026-07-15) + Section 122"),
    ("toy", BR, "2026-07-24", 0.375, "Brazil 301 25% + forced-labour 12.5%; Section 122 expired"),
    # Canada and Mexico (goods not qualifying under USMCA: before preferences)
    ("toy", CA, "2025-03-03", 0.0, "Fentanyl duty on Canada paused until 2025-03-04, EO 14193"),
    ("toy", CA, "2025-03-04", 0.25, "EO 14193: Canada 25% (9903.01.10); no reciprocal duty"),
    ("toy", CA, "2025-07-31", 0.25, "Canada raised from 2025-08-01, EO 14325"),
    ("toy", CA, "2025-08-01", 0.35, "EO 14325: Canada 35%"),
    ("toy", CA, "2026-02-23", 0.35, "IEEPA collected until 2026-02-24"),
    ("toy", CA, "2026-02-24", 0.10, "Section 122 10% on goods not qualifying under USMCA"),
    ("toy", CA, "2026-07-24", 0.10, "Forced-labour 301: Canada 10% tier"),
    ("crude", CA, "2025-03-04", 0.10, "EO 14193: Canadian energy 10% (9903.01.13)"),
    ("crude", CA, "2025-08-01", 0.10, "Energy stays at 10% under EO 14325"),
    (
        "steel",
        CA,
        "2025-03-11",
        0.25,
        "No 232 on Canada (Proclamation 9894) so the 25% fentanyl duty applies",
    ),
    (
        "steel",
        CA,
        "2025-03-12",
        0.25,
        "Exemptions end, Proclamation 10896; no fentanyl on 232 steel (EO 14289)",
    ),
    ("steel", CA, "2025-06-04", 0.50, "232 steel 50%, Proclamation 10947"),
    ("lumber", CA, "2025-10-13", 0.35, "Canadian lumber pays the 35% fentanyl duty until 232 lumber"),
    ("lumber", CA, "2025-10-14", 0.10, "232 lumber 10%, Proclamation 10976; no fentanyl on 232 goods"),
    ("beer", CA, "2026-08-21", 0.10, "Section 338's 2026-08-19 start suspended to 2026-08-22 (Proc. 11056)"),
    ("beer", CA, "2026-08-22", 0.60, "Section 338 proclamation of 2026-07-20: alcohol 50% (CSMS #69606660)"),
    ("toy", MX, "2025-03-04", 0.25, "EO 14194: Mexico 25% (9903.01.01)"),
    ("toy", MX, "2026-02-24", 0.10, "Section 122 10% on goods not qualifying under USMCA"),
    ("potash", MX, "2025-03-06", 0.25, "Mexican potash at 25% until 2025-03-07"),
    ("potash", MX, "2025-03-07", 0.10, "EO 14231: Mexican potash 10% (9903.01.05)"),
    # EU, UK, Australia
    ("toy", DE, "2025-04-09", 0.20, "EO 14257 Annex I: EU 20% on 2025-04-09"),
    ("toy", DE, "2025-04-10", 0.10, "Paused, EO 14266"),
    ("toy", DE, "2025-08-07", 0.15, "EU 15% inclusive of MFN, EO 14326"),
    ("tshirt", DE, "2025-08-07", 0.165, "EU all-in: MFN 16.5% leaves no reciprocal duty"),
    ("toy", DE, "2026-07-24", 0.10, "Forced-labour 301: EU 10% less MFN"),
    ("tshirt", DE, "2026-07-24", 0.165, "Forced-labour 301 net of MFN: 0 on a 16.5% line"),
    ("toy", UK, "2025-08-07", 0.10, "EO 14326: United Kingdom 10%"),
    ("toy", UK, "2026-07-24", 0.10, "Forced-labour 301: United Kingdom 10% tier"),
    ("steel", UK, "2025-06-04", 0.25, "Proclamation 10947 keeps the UK at 25%"),
    ("steel", AU, "2025-03-11", 0.0, "Australia exempt from 232 steel, Proclamation 9711"),
    ("steel", AU, "2025-03-12", 0.25, "Exemptions end, Proclamation 10896"),
    # Section 201
    ("washer", KR, "2018-02-06", 0.01, "Washers safeguard from 2018-02-07, Proclamation 9694"),
    ("washer", KR, "2018-02-07", 0.21, "Proclamation 9694: washers 20% (in-quota)"),
    ("washer", KR, "2023-02-07", 0.01, "Washers safeguard ended 2023-02-07, Proclamation 10128"),
    ("solar", KR, "2018-02-06", 0.0, "Solar safeguard from 2018-02-07, Proclamation 9693"),
    ("solar", KR, "2018-02-07", 0.30, "Proclamation 9693: solar 30% in year 1"),
    ("solar", KR, "2025-02-07", 0.14, "Proclamation 10339: 14% in year 8 (check: one tracker uses 14.5%)"),
    ("solar", KR, "2026-02-06", 0.29, "Section 201 14% + Korea's 15% (PV modules are not in the memo)"),
    ("solar", KR, "2026-02-07", 0.15, "Solar safeguard ended after 2026-02-06; Korea's 15% remains"),
    # Section 232 parts lists, line by line
    ("auto_part", VN, "2025-05-02", 0.125, "MFN 2.5% + reciprocal 10%; auto parts from 2025-05-03"),
    ("auto_part", VN, "2025-05-03", 0.275, "Proclamation 10908: note 33(g) lists 8708.99.68, 25%"),
    ("auto_part_other", VN, "2025-05-03", 0.125, "8708.99.81 is not in note 33(g): MFN + reciprocal 10%"),
    ("wheel_hub", VN, "2025-10-31", 0.20, "Reciprocal 20% (EO 14326); truck parts from 2025-11-01"),
    ("wheel_hub", VN, "2025-11-01", 0.25, "Proclamation 10984, note 38 lists 8708.99.41: 25%, no reciprocal"),
    ("cast_iron_pipe", VN, "2025-03-12", 0.0, "7303 is not in Proclamation 10896's Annex I of derivatives"),
    ("steel_structure", VN, "2025-03-11", 0.0, "Derivatives of Proclamation 10896 from 2025-03-12"),
    (
        "steel_structure",
        VN,
        "2025-03-12",
        0.125,
        "Proclamation 10896 Annex I lists 7308.90.95: 25% on the steel content (50% of value: check)",
    ),
    # Annex II by date
    ("gold", CH, "2025-09-07", 0.431, "MFN 4.1% + Switzerland's 39% (EO 14326)"),
    ("gold", CH, "2025-09-08", 0.041, "EO 14346 adds unwrought gold to Annex II from 2025-09-08"),
    ("primates", VN, "2025-08-07", 0.0, "Live animals of 0106 are in the first Annex II (EO 14257)"),
    ("plywood", VN, "2025-10-13", 0.0, "Plywood in Annex II with the lumber articles (EO 14257)"),
    ("plywood", VN, "2025-10-14", 0.20, "Out of Annex II when Section 232 wood began (Proclamation 10976)"),
    # Section 338 and the forced-labour Part A
    ("bedroom_furniture", CA, "2026-08-21", 0.10, "Forced-labour 301: Canada's 10% tier (before USMCA)"),
    ("bedroom_furniture", CA, "2026-08-22", 0.60, "Section 338 on Canada: third basket 9903.03.14, 50%"),
    ("steel_structure", CA, "2026-09-14", 0.50, "Section 232 steel 50%; not yet in the third basket"),
    ("steel_structure", CA, "2026-09-15", 1.00, "Proc. 11065: third basket, 50% on top of Section 232"),
    ("liqueur", CA, "2026-09-14", 0.60, "First basket 9903.03.12, 50%, with the forced-labour 10% tier"),
    ("liqueur", CA, "2026-09-15", 0.10, "Proc. 11064: liqueurs are not on the first basket's new list"),
    ("salt", CA, "2026-09-15", 0.10, "Proc. 11065 takes salt out of the third basket"),
    ("animal_feed", CN, "2026-07-24", 0.0, "Forced-labour 301 Annex II Part A lists 0511.99.30: exempt"),
    ("primates", CN, "2026-07-24", 0.125, "0106.11 is not in Part A: forced labour 12.5% (check tier)"),
]


def _frame(cases: list[tuple[str, str, str, float, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "hs8": [PRODUCTS[p][0] for p, *_ in cases],
            "partner": [c[1] for c in cases],
            "date": pd.to_datetime([c[2] for c in cases]),
        }
    )


def test_at_least_a_hundred_cases_with_citations() -> None:
    assert len(CASES) >= 100
    assert all(len(case[4]) > 10 for case in CASES)


def test_every_case_against_the_legal_texts(schedule: Schedule) -> None:
    got = schedule.rates(_frame(CASES))
    failures = [
        f"{product} {partner} {day}: {total:.4f} != {want:.4f} ({citation})"
        for (product, partner, day, want, citation), total in zip(CASES, got["total"], strict=True)
        if not np.isclose(total, want)
    ]
    assert not failures, "\n".join(failures)


# China's retaliation on US exports (the State Council Tariff Commission's announcements, FACTS §2)
RETALIATION: list[tuple[str, str, float, str]] = [
    ("97019100", "2025-04-09", 0.0, "paintings: on no earlier list"),
    ("97019100", "2025-04-10", 0.84, "34% of 2025-04-04 raised to 84%, both effective 2025-04-10"),
    ("97019100", "2025-04-12", 1.25, "raised to 125% (announcement of 2025-04-11)"),
    ("97019100", "2025-05-14", 0.10, "Geneva: 10% (24 points suspended)"),
    ("12019000", "2018-07-05", 0.0, "soybeans: the List 1 retaliation from 2018-07-06"),
    ("12019000", "2018-07-06", 0.25, "retaliation for List 1, 25%"),
    ("12019000", "2019-09-01", 0.30, "part of the $75B list, 5%"),
    ("12019000", "2020-02-14", 0.275, "the $75B list halved with Phase One"),
    ("12019000", "2025-03-10", 0.375, "farm products 10% (announcement of 2025-03-04)"),
    ("12019000", "2025-05-14", 0.475, "Geneva 10% on top of the earlier lists"),
    ("12019000", "2025-11-10", 0.375, "after Busan: the March 2025 farm tariffs lifted (check which lines)"),
    ("27111100", "2025-02-09", 0.25, "LNG: the $60B list's upper tier, 25% since 2019-06-01"),
    ("27111100", "2025-02-10", 0.40, "coal and LNG 15% (announcement of 2025-02-04)"),
]


# Actions of 2026 listed at HTS10: (hts10, MFN, chapter 99 footnotes) and cases as in CASES.
LINES10: dict[str, tuple[float, list[str]]] = {
    "8806220000": (0.0, []),  # drones of 2-7 kg
    "8806240000": (0.0, []),  # drones of 25-150 kg
    "6810990020": (0.0, []),  # quartz surface slabs of 3 m or more
    "8541430080": (0.0, [L3]),  # PV modules: List 3, review 50% (China)
    "3004909215": (0.0, []),  # medicaments of 3004.90.92.15: in Annex I of Proclamation 11020
    "3004909245": (0.0, []),  # medicaments of 3004.90.92.45: not in Annex I
}
CASES10: list[tuple[str, str, str, float, str]] = [
    ("8806220000", CN, "2026-09-02", 0.0, "Drones: in Part A of the forced-labour action (check)"),
    ("8806220000", CN, "2026-09-03", 0.25, "Proclamation 11055, note 43: 25 kg or less 25% (9903.08.22)"),
    ("8806240000", CN, "2026-09-03", 1.00, "Proclamation 11055, note 43(c)(1): over 25 kg 100% (9903.08.21)"),
    ("8806220000", JP, "2026-09-03", 0.15, "Note 43(d): Japan 15% including MFN (9903.08.24)"),
    ("8806220000", DE, "2026-09-03", 0.15, "Note 43(d): the EU 15% including MFN (9903.08.24)"),
    ("8806220000", UK, "2026-09-03", 0.10, "Note 43(d): United Kingdom 10% including MFN (9903.08.23)"),
    ("6810990020", CN, "2026-08-14", 0.125, "Forced-labour 12.5% (check tier); safeguard from 2026-08-15"),
    ("6810990020", CN, "2026-08-15", 0.375, "Proclamation 11051: 25% in quota, cumulative (note 41(b))"),
    ("6810990020", CA, "2026-08-15", 0.10, "Note 41(c) excludes Canada; forced-labour 10% tier"),
    ("8541430080", CN, "2026-12-03", 0.625, "PV modules: review 50% + forced-labour 12.5%"),
    ("8541430080", CN, "2026-12-04", 0.65, "Polysilicon 232 15%; the forced-labour duty yields to it"),
    ("8541430080", KR, "2026-12-04", 0.15, "Polysilicon proclamation: Korea 15% including MFN"),
    ("8541430080", UK, "2026-12-04", 0.10, "Polysilicon proclamation: United Kingdom 10%"),
    ("3004909215", CN, "2026-09-28", 0.0, "Medicaments: Part A; patented-medicine duty from 2026-09-29"),
    (
        "3004909215",
        CN,
        "2026-09-29",
        0.03,
        "Proclamation 11020: 100% on the patented part, 3% of China's imports (data/content.csv, check)",
    ),
    ("3004909215", DE, "2026-09-29", 0.03, "EU 15% including MFN on the 20% in scope (check)"),
    ("3004909215", UK, "2026-09-29", 0.0, "United Kingdom 0 (Commerce notice, FR Doc 2026-15799)"),
    ("3004909245", VN, "2026-09-29", 0.0, "3004.90.92.45 is not in Annex I"),
]


def test_actions_of_2026_at_hts10_lines() -> None:
    lines = pd.DataFrame(
        [
            {"hs8": code[:8], "hs10": code, "mfn_ad_valorem": mfn, "chapter99": refs}
            for code, (mfn, refs) in LINES10.items()
        ]
    )
    frame = pd.DataFrame(
        {
            "hs10": [c[0] for c in CASES10],
            "hs8": [c[0][:8] for c in CASES10],
            "partner": [c[1] for c in CASES10],
            "date": pd.to_datetime([c[2] for c in CASES10]),
        }
    )
    schedule = Schedule(lines)
    got = schedule.rates(frame)
    failures = [
        f"{code} {partner} {day}: {value:.4f} != {want:.4f} ({why})"
        for (code, partner, day, want, why), value in zip(CASES10, got["total"], strict=True)
        if not np.isclose(value, want)
    ]
    assert not failures, "\n".join(failures)
    # The polysilicon duty of 2026-12-04 is proclaimed but past the date the timeline is known through.
    late = frame["date"] > schedule.known_through
    assert late.any() and got.loc[late.to_numpy(), "projection"].all()
    assert not got.loc[~late.to_numpy(), "projection"].any()


def test_china_retaliation_on_us_exports(schedule: Schedule) -> None:
    frame = pd.DataFrame(
        {
            "hs8": [r[0] for r in RETALIATION],
            "partner": CN,
            "date": pd.to_datetime([r[1] for r in RETALIATION]),
        }
    )
    got = schedule.rates(frame, flow="exports")
    failures = [
        f"{code} {day}: {value:.4f} != {want:.4f} ({why})"
        for (code, day, want, why), value in zip(RETALIATION, got["china_retaliation"], strict=True)
        if not np.isclose(value, want)
    ]
    assert not failures, "\n".join(failures)


def test_ieepa_can_end_on_the_day_of_the_ruling(schedule: Schedule) -> None:
    frame = _frame([("toy", CN, day, 0.0, "") for day in ("2026-02-19", "2026-02-20", "2026-02-23")])
    by_collection = schedule.rates(frame)["total"].to_numpy()
    by_ruling = schedule.rates(frame, ieepa_end="ruling")["total"].to_numpy()
    np.testing.assert_allclose(by_collection, [0.20, 0.20, 0.20])  # collected until 2026-02-24
    np.testing.assert_allclose(by_ruling, [0.20, 0.0, 0.0])  # void from the ruling, no 122 yet


def test_ieepa_upheld_keeps_the_duties_and_drops_what_replaced_them(schedule: Schedule) -> None:
    frame = _frame([("toy", p, "2026-05-01", 0.0, "") for p in (CN, VN, CA, IN)])
    actual = schedule.rates(frame)["total"].to_numpy()
    upheld = schedule.rates(frame, scenario="ieepa_upheld")["total"].to_numpy()
    np.testing.assert_allclose(actual, [0.10, 0.10, 0.10, 0.10])  # Section 122 everywhere
    np.testing.assert_allclose(upheld, [0.20, 0.20, 0.35, 0.18])  # the IEEPA stack of 2026-02-19


def test_usmca_share_lowers_the_rate_after_preferences(schedule: Schedule) -> None:
    got = schedule.rates(_frame([("toy", CA, "2025-09-01", 0.0, ""), ("toy", JP, "2025-09-01", 0.0, "")]))
    assert got["total"].iloc[0] == pytest.approx(0.35)
    # 67% of Canada's imports claimed USMCA in 2025 (data/preferences.csv): they pay no fentanyl duty.
    assert got["total_after_preferences"].iloc[0] == pytest.approx(0.35 * (1 - 0.67))
    assert got["total_after_preferences"].iloc[1] == pytest.approx(got["total"].iloc[1])


def test_measured_preference_shares_replace_the_default() -> None:
    measured = pd.DataFrame(
        {
            "partner": [CA],
            "start": ["2025-03-07"],
            "share": [0.9],
            "layers": ["ieepa_fentanyl"],
            "source": ["RP"],
        }
    )
    got = Schedule(products(), preferences=measured).rates(_frame([("toy", CA, "2025-09-01", 0.0, "")]))
    assert got["total_after_preferences"].iloc[0] == pytest.approx(0.35 * 0.1)
    from econ.errors import ScenarioError

    with pytest.raises(ScenarioError, match="share"):
        Schedule(products(), preferences=measured.assign(share=[1.5]))


@pytest.mark.parametrize(
    ("partner", "before", "on"), [(CN, "2025-05-01", "2025-05-02"), (JP, "2025-08-28", "2025-08-29")]
)
def test_de_minimis_ends(schedule: Schedule, partner: str, before: str, on: str) -> None:
    # EO 14256: China and Hong Kong from 2025-05-02; EO 14324: every country from 2025-08-29.
    got = schedule.rates(_frame([("toy", partner, before, 0, ""), ("toy", partner, on, 0, "")]))
    assert got["de_minimis"].tolist() == [True, False]
    monthly = schedule.monthly_rates(
        pd.DataFrame({"hs8": "95030000", "partner": partner, "month": pd.to_datetime([before[:8] + "01"])})
    )
    assert not monthly["de_minimis"].iloc[0]  # not every day of that month


def test_a_date_past_known_through_is_marked(schedule: Schedule, caplog: pytest.LogCaptureFixture) -> None:
    through = schedule.known_through
    days = [through, through + pd.Timedelta(days=1), pd.Timestamp("2030-01-01")]
    frame = pd.DataFrame({"hs8": "95030000", "partner": CN, "date": days})
    with caplog.at_level("WARNING", logger="econ.tariffs.engine"):
        got = schedule.rates(frame)
    assert got["projection"].tolist() == [False, True, True]
    warnings = [r for r in caplog.records if "known-through" in r.getMessage()]
    assert len(warnings) == 1 and "2 of 3 rows" in warnings[0].getMessage()
    monthly = schedule.monthly_rates(
        pd.DataFrame({"hs8": "95030000", "partner": CN, "month": [through.replace(day=1)]})
    )
    assert monthly["projection"].iloc[0] == (through != through + pd.offsets.MonthEnd(0))


def test_projection_note_for_notebooks() -> None:
    from econ.tariffs import known_through, projection_note

    through = known_through()
    assert projection_note(pd.to_datetime([through])) == ""
    note = projection_note(pd.Series(pd.to_datetime(["2025-01-01", "2030-06-01"])))
    assert "Projection" in note and f"{through:%Y-%m-%d}" in note
