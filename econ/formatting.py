"""One formatting layer: every number, unit, date and piece of text a reader sees on a page goes through here.

Units are named once (`Unit`), in the economist's words, each with how its values are stored and how
they are shown:

==============  ==========================================  ===================  =======================
unit            stored as                                   in a table cell      in a sentence
==============  ==========================================  ===================  =======================
``percent``     a fraction (0.109)                          ``10.9``             ``10.9%``
``points``      a difference of fractions (−1.15)           ``−115.0``           ``−115.0 points``
``usd_bn``      US dollars (4.96e9)                         ``5.0``              ``$5.0 billion``
``usd_mn``      US dollars (1.7e8)                          ``170.5``            ``$170.5 million``
``usd``         US dollars, auto-scaled in prose            ``1,234``            ``$1.2 million``
``ratio``       a plain coefficient (0.95, σ = 2.5)         ``0.95``             ``0.95``
``count``       a whole number                              ``14,422``           ``14,422``
``tonnes``      metric tonnes                               ``5,473``            ``5,473 t``
``month``       a month ("2025-04", a date)                 ``Apr 2025``         ``April 2025``
``text``        text                                        escaped              escaped
==============  ==========================================  ===================  =======================

A table's header carries the unit (`header`), its cells only the number, so a column reads
"Cost to buyers ($ billion a year)" over "−12.3". Minus signs are the typographic minus (−), missing
values the em dash (—): a page never shows ``nan``, ``None`` or ``-0.0``.

`html` and `markdown_text` are the only ways text from a data file (a country name, a product
description, an industry title) reaches a page: both escape it, so that a Census record holding
``<script>`` shows as that text and never runs.

Light on purpose (no pandas, no numpy): notebooks import it inside their kernels, and the report runner
in the parent process.
"""

from __future__ import annotations

import html as _html
import math
import numbers
import re
from datetime import date, datetime
from typing import Any, Literal, get_args

Unit = Literal["percent", "points", "usd_bn", "usd_mn", "usd", "ratio", "count", "tonnes", "month", "text"]
UNITS: tuple[Unit, ...] = get_args(Unit)

MINUS = "\u2212"
MISSING = "\u2014"

# How a unit is named in a table's header, after the measure's name.
_HEADER_UNIT: dict[str, str] = {
    "percent": "%",
    "points": "percentage points",
    "usd_bn": "$ billion",
    "usd_mn": "$ million",
    "usd": "$",
    "tonnes": "tonnes",
}
_DECIMALS: dict[str, int] = {
    "percent": 1,
    "points": 1,
    "usd_bn": 1,
    "usd_mn": 1,
    "usd": 0,
    "ratio": 2,
    "count": 0,
    "tonnes": 0,
}
_SCALE: dict[str, float] = {"percent": 100.0, "points": 100.0, "usd_bn": 1e-9, "usd_mn": 1e-6}


def display_scale(unit: str) -> float:
    """What a stored value is multiplied by to be in the unit its header names (0.109 → 10.9 %)."""
    return _SCALE.get(check_unit(unit), 1.0)


def check_unit(unit: str) -> Unit:
    """`unit` if it is one of `UNITS`, else ValueError naming the choices."""
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}; expected one of {', '.join(UNITS)}")
    return unit  # type: ignore[return-value]  # checked against the Literal's values just above


def is_missing(value: Any) -> bool:
    """None, NaN (float, numpy or pandas) and pandas' NA/NaT."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return True
    try:
        return bool(value != value)  # NaN, NaT and NA are not equal to themselves
    except (TypeError, ValueError):
        return False


def _number(value: Any, *, decimals: int, signed: bool = False) -> str:
    number = float(value)
    text = f"{abs(number):,.{decimals}f}"
    if float(text.replace(",", "")) == 0:  # rounds to zero: never "−0.0"
        return text
    sign = MINUS if number < 0 else ("+" if signed else "")
    return sign + text


def number(value: Any, unit: str = "ratio", *, decimals: int | None = None, signed: bool = False) -> str:
    """A value as a table cell shows it: scaled to the unit of the header, no unit sign.

    >>> number(0.109, "percent"), number(-4.96e9, "usd_bn"), number(float("nan"), "ratio")
    ('10.9', '−5.0', '—')
    """
    unit = check_unit(unit)
    if is_missing(value):
        return MISSING
    if unit == "month":
        return month(value, short=True)
    if unit == "text":
        return str(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"expected a number for unit {unit!r}, got {type(value).__name__} {value!r}")
    places = _DECIMALS[unit] if decimals is None else decimals
    return _number(float(value) * _SCALE.get(unit, 1.0), decimals=places, signed=signed)


def quantity(value: Any, unit: str = "ratio", *, decimals: int | None = None, signed: bool = False) -> str:
    """A value as a sentence says it, with its unit: ``10.9%``, ``−115.0 points``, ``$5.0 billion``.

    ``usd`` picks the scale (thousand, million, billion) from the size of the number.
    """
    unit = check_unit(unit)
    if is_missing(value):
        return MISSING
    if unit in ("month", "text"):
        return month(value) if unit == "month" else str(value)
    if unit == "usd":
        size = abs(float(value))
        for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
            if size >= scale:
                shown = _number(
                    float(value) / scale, decimals=1 if decimals is None else decimals, signed=signed
                )
                return _dollars(shown, f" {word}")
        return _dollars(number(value, "usd", decimals=decimals, signed=signed), "")
    shown = number(value, unit, decimals=decimals, signed=signed)
    if unit == "percent":
        return f"{shown}%"
    if unit == "points":
        return f"{shown} points"
    if unit in ("usd_bn", "usd_mn"):
        return _dollars(shown, " billion" if unit == "usd_bn" else " million")
    if unit == "tonnes":
        return f"{shown} t"
    return shown


def _dollars(shown: str, word: str) -> str:
    # the sign goes before the dollar sign: −$5.0 billion
    if shown[:1] in (MINUS, "+"):
        return f"{shown[0]}${shown[1:]}{word}"
    return f"${shown}{word}"


def interval(low: Any, high: Any, unit: str = "ratio", *, decimals: int | None = None) -> str:
    """A 5–95% (or any) interval in words: ``$4.1 to $5.3 billion``, ``−2.1% to −1.4%``."""
    if is_missing(low) or is_missing(high):
        return MISSING
    if unit in ("usd_bn", "usd_mn"):
        word = " billion" if unit == "usd_bn" else " million"
        left = _dollars(number(low, unit, decimals=decimals), "")
        return f"{left} to {_dollars(number(high, unit, decimals=decimals), word)}"
    return f"{quantity(low, unit, decimals=decimals)} to {quantity(high, unit, decimals=decimals)}"


def header(label: str, unit: str | None = None, *, period: str | None = None) -> str:
    """A column's or an axis' title with its unit: ``Cost to buyers ($ billion a year)``."""
    parts = [_HEADER_UNIT.get(unit or "", "")]
    if period:
        parts.append(period)
    inside = " ".join(part for part in parts if part)
    return f"{label} ({inside})" if inside else label


_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


def _as_date(value: Any) -> date:
    if isinstance(value, datetime | date):
        return value if isinstance(value, date) else value.date()
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp or Period
        return value.to_pydatetime().date()
    if hasattr(value, "to_timestamp"):
        return value.to_timestamp().to_pydatetime().date()
    text = str(value)
    match = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?(?:[T ].*)?", text)
    if not match:
        raise ValueError(f"expected a date or a month as YYYY-MM[-DD], got {text!r}")
    return date(int(match.group(1)), int(match.group(2)), int(match.group(3) or 1))


def month(value: Any, *, short: bool = False) -> str:
    """``April 2025`` (``Apr 2025`` with `short`) from a month, a date or "2025-04"."""
    if is_missing(value):
        return MISSING
    when = _as_date(value)
    name = _MONTHS[when.month - 1]
    return f"{name[:3] if short else name} {when.year}"


def day(value: Any) -> str:
    """``14 May 2025`` from a date or "2025-05-14"."""
    if is_missing(value):
        return MISSING
    when = _as_date(value)
    return f"{when.day} {_MONTHS[when.month - 1]} {when.year}"


def html(text: Any) -> str:
    """Text from anywhere (a data file, a parameter) made safe to place in an HTML page."""
    return _html.escape(MISSING if is_missing(text) else str(text), quote=True)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>-])")


def markdown_text(text: Any) -> str:
    """Text from a data file made safe to place in Markdown: Markdown's own signs escaped, then HTML's."""
    plain = MISSING if is_missing(text) else str(text)
    return _html.escape(_MARKDOWN_SPECIAL.sub(r"\\\1", plain), quote=False)


def compare(change: float, *, unit: str, up: str, down: str, same: str = "unchanged") -> str:
    """Words for a change, chosen from its sign and carrying its size: ``compare(-0.12, unit="percent",
    up="higher", down="lower")`` → ``12.0% lower``. A change that rounds to zero in `unit` is `same`."""
    if is_missing(change):
        return MISSING
    if float(number(abs(change), unit).replace(",", "")) == 0:
        return same
    return f"{quantity(abs(change), unit)} {up if change > 0 else down}"


def is_finite_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(float(value))
