"""The compiled row loop (econ.tariffs.rows) against the numpy formulas it replaced.

The engine hands the loop its tables; here the same tables are looked up row by row with plain numpy (the
engine's code before the loop: one searchsorted, one gather per quantity, the all-in rates added on the
rows they apply to), and every output must agree to the last bit. A second check runs whole panels —
several revisions, specific rates with ad valorem equivalents, exports, a scenario, both IEEPA end dates —
and asks float32 layers to match float64 ones within float32 precision.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import econ.tariffs.engine as engine_module
from econ.tariffs import Schedule
from econ.tariffs.rows import RowTables, evaluate_rows

PARTNERS = ["5700", "5820", "1220", "2010", "5880", "5520", "4280", "5800", "4419", "3510", "5330", "9999"]


def numpy_rows(
    codes: np.ndarray, partners: np.ndarray, ticks: np.ndarray, t: RowTables
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    period = np.searchsorted(t.bounds, ticks, side="right") - 1
    key = (
        t.class_of_code[codes].astype(np.int64) * t.n_partner_classes + t.class_of_partner[partners]
    ) * len(t.bounds) + period
    if len(t.mfn_rows):
        mfn = t.mfn_rows
    else:
        on = t.bounds[period] if t.revision_at_period_start else ticks
        revision = np.maximum(np.searchsorted(t.revision_bounds, on, side="right") - 1, 0)
        mfn = t.mfn_table[revision, codes]
    total = mfn + t.stack[key]
    if len(t.mfn_preference):
        after = mfn * (1.0 - t.mfn_preference[key]) + t.stack_after[key]
    else:
        after = mfn + t.stack_after[key]
    layers = t.layers[:, key].copy()
    if t.mfn_layer >= 0:
        layers[t.mfn_layer] = mfn
    for a in range(len(t.all_in_layer)):
        weight = t.all_in_weight[a, key]
        applies = weight != 0
        extra = weight[applies] * np.maximum(t.all_in_level[a, key][applies] - mfn[applies], 0.0)
        total[applies] += extra
        after[applies] += extra
        if t.all_in_layer[a] >= 0:
            layers[t.all_in_layer[a], applies] += extra
    if t.de_minimis_by_period:
        de_minimis = t.de_minimis_open[partners, period]
        projection = t.projection_by_period[period]
    else:
        de_minimis = ticks < t.de_minimis_end[partners]
        projection = ticks >= t.projection_from
    return total, after, layers, de_minimis, projection


def lines() -> pd.DataFrame:
    """Real HTS8 lines of several kinds (Section 301 lists, Section 232 groups, Annex II, specific rates)
    under two revisions with different MFN rates."""
    base = [
        ("95030000", ["9903.88.16"], 0.0, "ad valorem"),
        ("94036080", ["9903.88.03"], 0.0, "ad valorem"),
        ("61091000", ["9903.88.15"], 0.165, "ad valorem"),
        ("84581100", ["9903.88.01"], 0.044, "ad valorem"),
        ("72081015", ["9903.88.01"], 0.0, "ad valorem"),
        ("28053000", ["9903.88.03"], 0.05, "ad valorem"),
        ("84713001", [], 0.0, "ad valorem"),
        ("87032301", [], 0.025, "ad valorem"),
        ("87042301", [], 0.25, "ad valorem"),
        ("74081100", [], 0.03, "ad valorem"),
        ("73170055", [], 0.0, "ad valorem"),
        ("22030000", [], np.nan, "specific"),
        ("04061008", [], np.nan, "compound"),
        ("30049092", [], 0.0, "ad valorem"),
        ("85423100", ["9903.88.01", "9903.88.69"], 0.0, "ad valorem"),
    ]
    rows = []
    for revision, effective, bump in (("2024 Basic", "2024-01-01", 0.0), ("2026 Basic", "2026-01-01", 0.01)):
        for hs8, refs, mfn, kind in base:
            rows.append(
                {
                    "hs8": hs8,
                    "mfn_ad_valorem": mfn + bump if kind == "ad valorem" else np.nan,
                    "chapter99": refs,
                    "rate_kind": kind,
                    "revision": revision,
                    "effective": pd.Timestamp(effective),
                }
            )
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def schedule() -> Schedule:
    return Schedule(lines())


def panel(rng: np.random.Generator, n: int, time: str) -> pd.DataFrame:
    codes = lines()["hs8"].unique()
    hs8 = rng.choice(codes, n)
    if time == "month":
        when = pd.to_datetime("2017-01-01") + pd.to_timedelta(rng.integers(0, 120, n) * 31, unit="D")
        when = when.to_period("M").to_timestamp()
    else:
        when = pd.to_datetime("2017-01-01") + pd.to_timedelta(rng.integers(0, 3650, n), unit="D")
    return pd.DataFrame(
        {
            "hs8": hs8,
            "hs10": [f"{h}00" for h in hs8],
            "partner": rng.choice(PARTNERS, n),
            time: when,
            "value": rng.uniform(1, 1e6, n),
        }
    )


def spy_on_rows(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """Every call of the compiled row pass through the engine: its inputs and its outputs, in a list."""
    seen: list[tuple] = []

    def spy(codes, partners, ticks, tables, *, layer_dtype=np.float64):  # type: ignore[no-untyped-def]
        out = evaluate_rows(codes, partners, ticks, tables, layer_dtype=layer_dtype)
        seen.append((codes, partners, ticks, tables, out))
        return out

    monkeypatch.setattr(engine_module, "evaluate_rows", spy)
    return seen


@pytest.mark.parametrize(
    ("time", "options"),
    [
        ("month", {}),
        ("date", {}),
        ("month", {"flow": "exports"}),
        ("date", {"scenario": "no_geneva"}),
        ("date", {"ieepa_end": "ruling"}),
        ("month", {"layers": []}),
        ("month", {"ave": "yes"}),
    ],
)
def test_row_loop_equals_the_numpy_lookups(
    schedule: Schedule, monkeypatch: pytest.MonkeyPatch, time: str, options: dict
) -> None:
    frame = panel(np.random.default_rng(7), 5_000, time)
    kwargs = dict(options)
    if kwargs.get("ave") == "yes":
        years = frame[time].dt.year
        kwargs["ave"] = pd.DataFrame(
            {"hs10": frame["hs10"], "partner": frame["partner"], "year": years, "mfn_ave": 0.031}
        ).drop_duplicates(["hs10", "partner", "year"])
    seen = spy_on_rows(monkeypatch)
    call = schedule.monthly_rates if time == "month" else schedule.rates
    call(frame, **kwargs)
    (codes, partners, ticks, tables, out) = seen[0]
    expected = numpy_rows(np.asarray(codes), np.asarray(partners), np.asarray(ticks), tables)
    for got, want in zip(out, expected, strict=True):
        assert got.dtype == want.dtype or got.dtype == np.float64
        assert np.array_equal(got, want)
    if kwargs.get("ave") is not None:
        assert tables.mfn_rows.size == len(frame)
    # The tables this panel reaches carry something: the check is not vacuous.
    assert out[0].max() > 0.2 or kwargs.get("flow") == "exports"


def test_days_found_for_any_time_of_day_and_before_1970(
    schedule: Schedule, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The loop finds a row's day by multiplication: check it on the last nanosecond of days, on days
    # before 1970 (negative ticks) and on change dates themselves, in seconds as in nanoseconds.
    days = [
        "1965-03-01 00:00:00",
        "1969-12-31 23:59:59.999999999",
        "1970-01-01 00:00:00",
        "2025-04-09 23:59:59.999999999",
        "2025-04-10 00:00:00",
        "2025-05-13 23:59:59",
        "2025-05-14 00:00:00",
        "2026-02-23 23:59:59.999999999",
        "2026-02-24 00:00:00",
    ]
    when = pd.to_datetime(days, format="ISO8601")
    frame = pd.DataFrame({"hs8": "95030000", "partner": "5700", "date": when})
    seen = spy_on_rows(monkeypatch)
    for column in (frame["date"], frame["date"].astype("datetime64[s]")):
        seen.clear()
        out = schedule.rates(frame.assign(date=column))
        codes, partners, ticks, tables, got = seen[0]
        expected = numpy_rows(np.asarray(codes), np.asarray(partners), np.asarray(ticks), tables)
        for a, b in zip(got, expected, strict=True):
            assert np.array_equal(a, b)
        # Toys from China: 10% fentanyl from 2025-02-04, +125% reciprocal from 2025-04-10 to 05-13.
        assert list(out["ieepa_reciprocal"].round(3)) == [0, 0, 0, 0.84, 1.25, 1.25, 0.1, 0.1, 0]


def test_float32_layers_match_float64(schedule: Schedule) -> None:
    frame = panel(np.random.default_rng(3), 20_000, "month")
    wide = schedule.monthly_rates(frame)
    narrow = schedule.monthly_rates(frame, dtype="float32")
    for column in ("mfn", "section301", "section232", "ieepa_reciprocal", "ieepa_fentanyl", "section122"):
        assert narrow[column].dtype == np.float32
        np.testing.assert_allclose(narrow[column], wide[column], rtol=1e-6, atol=1e-7)
    for column in ("total", "total_after_preferences"):
        assert narrow[column].dtype == np.float64
        assert np.array_equal(narrow[column], wide[column])
    assert wide["section301"].max() > 0 and wide["ieepa_reciprocal"].max() > 0


def test_layers_nobody_pays_share_one_zero_column(schedule: Schedule) -> None:
    # Japan's toys in 2018: most layers are zero and cost no memory of their own.
    frame = pd.DataFrame(
        {"hs8": ["95030000"] * 3, "partner": ["5880"] * 3, "date": pd.to_datetime(["2018-01-01"] * 3)}
    )
    out = schedule.rates(frame)
    assert np.shares_memory(out["section338"].to_numpy(), out["section201"].to_numpy())
    assert (out["section338"] == 0).all()


def test_unknown_dtype_is_an_error(schedule: Schedule) -> None:
    from econ.errors import SchemaError

    frame = pd.DataFrame({"hs8": ["95030000"], "partner": ["5700"], "date": pd.to_datetime(["2020-01-01"])})
    with pytest.raises(SchemaError, match="dtype"):
        schedule.rates(frame, dtype="float16")  # type: ignore[arg-type]
