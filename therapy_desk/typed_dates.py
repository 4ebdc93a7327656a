"""Dates as people type them: "14/3/1968", "14 Mar 1968", "Mar 14, 1968", "1968-03-14", "today".

`read_date` turns what was typed into a `TypedDate`: a date, nothing (an empty optional
field), or a message that says what is wrong and what to type instead. It never guesses
silently: whatever it reads, the screen shows back as words ("Thu 14 Mar 1968").

What is read
- Numbers in the locale's order (`words.numeric_order()`: "DMY", "MDY" or "YMD"),
  separated by "/", ".", "-" or spaces: 14/3/1968, 14.3.1968, 14-3-1968 (3/14/1968 where
  the month comes first). A four-digit first number is always a year (1968-03-14, ISO).
  Where the locale writes the year first, a four-digit last number means day, month, year.
- A month by name, in any case, whole or from its first three letters ("Mar", "march",
  "Sept"), before or after the day: 14 Mar 1968, Mar 14 1968, Mar 14, 1968, 14th of March
  1968. A weekday in front ("Thu 14 Mar 1968", as the screens show dates) is checked.
- "today", "yesterday", "tomorrow".
- A day and month without a year ("14/3", "14 Mar") mean this year, except for a date of
  birth, which needs its year.

Two-digit years
- A date of birth is never in the future: "14/3/68" is 1968, and "14/3/26" typed on
  29 Nov 2026 is 2026 but "14/12/26" is 1926 — the latest such date on or before today.
- Any other date (onset, review, fall, measure) lies within 80 years before and 19 after
  this year: on 29 Nov 2026 "45" is 2045 and "46" is 1946. Clinical dates are mostly
  recent or soon; the parsed date shown beside the field makes any surprise visible.

Years outside 1900–2100 are refused: they are slips of the keyboard, not dates in a
caseload. The core never imports Qt; `ui/widgets/date_field.py` is the widget on top.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import Enum

from therapy_desk import words

#: The years a typed date may fall in.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100
#: The window two-digit years fall in, relative to this year (dates other than birth).
YEARS_BACK, YEARS_AHEAD = 80, 19

MONTHS = tuple(calendar.month_name[1:])  # English, whatever the process locale says
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_RELATIVE = {"today": 0, "yesterday": -1, "tomorrow": 1}
_ORDINALS = {"st", "nd", "rd", "th"}
_TOKEN = re.compile(r"\d+|[^\W\d_]+")
_SEPARATORS = re.compile(r"[\s/.,\-]*")


class DateKind(Enum):
    """What a date field holds; it decides two-digit years and where a calendar opens."""

    ANY = "any"
    BIRTH = "birth"


@dataclass(frozen=True)
class TypedDate:
    """What was typed, read: a date, or a message, or neither (nothing typed)."""

    value: dt.date | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def empty(self) -> bool:
        return self.value is None and self.problem is None


class _Unreadable(Exception):
    """A message for the user: what is wrong, and what to type."""


def read_date(
    text: str,
    *,
    today: dt.date,
    order: str | None = None,
    kind: DateKind = DateKind.ANY,
    required: bool = False,
    earliest: dt.date | None = None,
    latest: dt.date | None = None,
) -> TypedDate:
    """Read a typed date. `order` defaults to the locale's; `earliest`/`latest` bound it."""
    order = order or words.numeric_order()
    if not text.strip():
        return (
            TypedDate(problem=f"Type the date, like {examples(order, today)}.")
            if required
            else TypedDate()
        )
    try:
        value = _read(text.strip().lower(), today=today, order=order, kind=kind)
        _check_bounds(value, today=today, kind=kind, earliest=earliest, latest=latest)
    except _Unreadable as problem:
        return TypedDate(problem=str(problem))
    return TypedDate(value=value)


def examples(order: str, on: dt.date) -> str:
    """ "21/11/2026, 21 Nov 2026 or 2026-11-21": what to type, in this order."""
    return f"{numeric(on, order)}, {_named(on)} or {on:%Y-%m-%d}"


def numeric(on: dt.date, order: str, separator: str = "/") -> str:
    """The date in numbers in `order`: numeric(date(1968, 3, 14), "MDY") → "3/14/1968"."""
    parts = {"D": str(on.day), "M": str(on.month), "Y": f"{on.year:04d}"}
    return separator.join(parts[c] for c in order)


# --- reading ------------------------------------------------------------------------------


def _read(text: str, *, today: dt.date, order: str, kind: DateKind) -> dt.date:
    if text in _RELATIVE:
        return today + dt.timedelta(days=_RELATIVE[text])
    tokens = _tokens(text, today=today, order=order)
    weekday = _weekday(tokens[0]) if tokens and tokens[0].isalpha() else None
    if weekday is not None:
        tokens = tokens[1:]
    names = [t for t in tokens if t.isalpha()]
    numbers = [t for t in tokens if t.isdigit()]
    if len(names) > 1 or not numbers or len(numbers) > 3 or (names and len(numbers) > 2):
        raise _Unreadable(_not_a_date(order, today))
    if names:
        day, month, year = _with_month_name(names[0], numbers, order, today)
    else:
        day, month, year = _all_numbers(numbers, order, today)
    value = _make(day, month, year, today=today, order=order, kind=kind)
    if weekday is not None and value.weekday() != weekday:
        raise _Unreadable(
            f"{words.day(value)} is a {WEEKDAYS[value.weekday()]}, not a {WEEKDAYS[weekday]}:"
            " check the date."
        )
    return value


def _tokens(text: str, *, today: dt.date, order: str) -> list[str]:
    """Numbers and words, without ordinal endings ("14th") or "of"; anything but
    separators between them makes the text unreadable."""
    found = list(_TOKEN.finditer(text))
    position = 0
    for match in found:
        if not _SEPARATORS.fullmatch(text[position : match.start()]):
            raise _Unreadable(_not_a_date(order, today))
        position = match.end()
    if not _SEPARATORS.fullmatch(text[position:]):
        raise _Unreadable(_not_a_date(order, today))
    tokens: list[str] = []
    for match in found:
        token = match.group()
        glued = match.start() > 0 and text[match.start() - 1].isdigit()
        if token == "of" or (token in _ORDINALS and glued and tokens[-1:] != []):
            continue
        tokens.append(token)
    return tokens


def _weekday(token: str) -> int | None:
    if len(token) < 2:
        return None
    matches = [n for n, name in enumerate(WEEKDAYS) if name.lower().startswith(token)]
    return matches[0] if len(matches) == 1 and not _months_for(token) else None


def _months_for(token: str) -> list[int]:
    if len(token) < 3:
        return []
    return [n + 1 for n, name in enumerate(MONTHS) if name.lower().startswith(token)]


def _with_month_name(
    name: str, numbers: list[str], order: str, today: dt.date
) -> tuple[str, int, str | None]:
    months = _months_for(name)
    if len(months) != 1:
        raise _Unreadable(
            f"“{name.capitalize()}” is not a month: write its name or its first three letters,"
            f" like {_named(today)}."
        )
    if len(numbers) == 1:
        return numbers[0], months[0], None
    first, second = numbers
    # "1968 Mar 14" puts the year first; otherwise the day comes before the year.
    return (second, months[0], first) if len(first) == 4 else (first, months[0], second)


def _all_numbers(numbers: list[str], order: str, today: dt.date) -> tuple[str, int, str | None]:
    if len(numbers) == 1:
        raise _Unreadable(_not_a_date(order, today))
    if len(numbers) == 2:
        by_field = dict(zip(order.replace("Y", ""), numbers, strict=True))
        return by_field["D"], _month_number(by_field, order, today), None
    typed_order = order
    if len(numbers[0]) == 4:
        order = "YMD"
    elif len(numbers[2]) == 4 and order == "YMD":
        order = "DMY"
    by_field = dict(zip(order, numbers, strict=True))
    return by_field["D"], _month_number(by_field, typed_order, today), by_field["Y"]


def _month_number(by_field: dict[str, str], order: str, today: dt.date) -> int:
    month, day = int(by_field["M"]), int(by_field["D"])
    if 1 <= month <= 12:
        return month
    year = int(by_field["Y"]) if len(by_field.get("Y", "")) == 4 else today.year
    if 1 <= day <= 12 and _exists(year, day, month):
        # 14/3/1968 typed where the month comes first, or the other way round.
        meant = dt.date(year, day, month)
        raise _Unreadable(
            f"There is no month {month}. Here dates are typed {_order_words(order)}, like"
            f" {numeric(meant, order)}; or write the month's name: {_named(meant)}."
        )
    raise _Unreadable(
        f"There is no month {month}: type the month as 1 to 12, or its name, like"
        f" {examples(order, today)}."
    )


def _order_words(order: str) -> str:
    return "/".join({"D": "day", "M": "month", "Y": "year"}[c] for c in order)


def _named(on: dt.date) -> str:
    return words.day(on)


def _make(
    day_text: str, month: int, year_text: str | None, *, today: dt.date, order: str, kind: DateKind
) -> dt.date:
    day = int(day_text)
    if len(day_text) > 2 or day == 0:
        raise _Unreadable(f"There is no day {day}: type a day from 1 to 31.")
    if year_text is None:
        if kind is DateKind.BIRTH:
            raise _Unreadable(
                f"Add the year of birth, like {numeric(dt.date(1968, 3, 14), order)}."
            )
        year = today.year
    else:
        year = _year(year_text, day=day, month=month, today=today, kind=kind)
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise _Unreadable(f"Type a year from {EARLIEST_YEAR} to {LATEST_YEAR}.")
    last = calendar.monthrange(year, month)[1]
    if day > last:
        raise _Unreadable(
            f"{MONTHS[month - 1]} {year} has {last} days: type a day from 1 to {last}."
        )
    return dt.date(year, month, day)


def _year(text: str, *, day: int, month: int, today: dt.date, kind: DateKind) -> int:
    if len(text) == 4:
        return int(text)
    if len(text) != 2:
        raise _Unreadable("Type the year in full, like 1968, or as its last two digits, like 68.")
    two = int(text)
    if kind is DateKind.BIRTH:
        year = today.year - (today.year - two) % 100
        if _exists(year, month, day) and dt.date(year, month, day) > today:
            year -= 100
        return year
    return today.year - YEARS_BACK + (two - (today.year - YEARS_BACK)) % 100


def _exists(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _check_bounds(
    value: dt.date,
    *,
    today: dt.date,
    kind: DateKind,
    earliest: dt.date | None,
    latest: dt.date | None,
) -> None:
    if kind is DateKind.BIRTH and value > today:
        raise _Unreadable(
            f"A date of birth can't be after today ({words.day(today)}): check the year."
        )
    if earliest is not None and value < earliest:
        raise _Unreadable(f"Type a date on or after {words.day(earliest)}.")
    if latest is not None and value > latest:
        raise _Unreadable(f"Type a date on or before {words.day(latest)}.")


def _not_a_date(order: str, today: dt.date) -> str:
    return f"Not a date we can read: type it like {examples(order, today)}."
