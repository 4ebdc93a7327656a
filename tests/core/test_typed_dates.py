"""Typed dates: every format people use reads back to the date meant, in each numeric
order; impossible dates say what is wrong and what to type."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from therapy_desk import words
from therapy_desk.typed_dates import MONTHS, DateKind, numeric, read_date

TODAY = dt.date(2026, 11, 29)
ORDERS = ("DMY", "MDY", "YMD")
#: The locale whose words.day() and numeric order each property test uses.
LOCALES = {"DMY": "en_GB", "MDY": "en_US", "YMD": "en_CA"}

dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


@pytest.fixture(autouse=True)
def _house_locale() -> Iterator[None]:
    yield
    words.use_locale(words.HOUSE_LOCALE)


def _typed(text: str, order: str, **kwargs: object) -> dt.date | None:
    result = read_date(text, today=TODAY, order=order, **kwargs)  # type: ignore[arg-type]
    assert result.problem is None, (text, result.problem)
    return result.value


def _month(on: dt.date) -> str:
    return MONTHS[on.month - 1]


#: Each way a date is written out, in an order; all must read back.
FORMATS: dict[str, Callable[[dt.date, str], str]] = {
    "numbers with slashes": lambda d, o: numeric(d, o, "/"),
    "numbers with dots": lambda d, o: numeric(d, o, "."),
    "numbers with dashes": lambda d, o: numeric(d, o, "-"),
    "numbers with spaces": lambda d, o: numeric(d, o, " "),
    "zero-padded": lambda d, o: "/".join(
        {"D": f"{d.day:02d}", "M": f"{d.month:02d}", "Y": f"{d.year}"}[c] for c in o
    ),
    "ISO": lambda d, o: d.isoformat(),
    "day Mon year": lambda d, o: f"{d.day} {_month(d)[:3]} {d.year}",
    "day Month year": lambda d, o: f"{d.day} {_month(d)} {d.year}",
    "Mon day year": lambda d, o: f"{_month(d)[:3]} {d.day} {d.year}",
    "Month day, year": lambda d, o: f"{_month(d)} {d.day}, {d.year}",
    "day-Mon-year": lambda d, o: f"{d.day}-{_month(d)[:3]}-{d.year}",
    "ordinal": lambda d, o: f"{d.day}th of {_month(d)} {d.year}",
    "upper case": lambda d, o: f"{d.day} {_month(d).upper()} {d.year}",
    "lower case": lambda d, o: f"{_month(d).lower()[:3]} {d.day} {d.year}",
    "with spaces around": lambda d, o: f"  {numeric(d, o)} \t",
    "as the screens show it": lambda d, o: words.day(d),
    "with its weekday": lambda d, o: words.day_with_weekday(d),
}


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("style", FORMATS)
@given(on=dates)
def test_every_format_reads_back(order: str, style: str, on: dt.date) -> None:
    words.use_locale(LOCALES[order])
    text = FORMATS[style](on, order)
    assert _typed(text, order) == on


@pytest.mark.parametrize("order", ORDERS)
@given(on=dates)
def test_a_date_of_birth_reads_back_too(order: str, on: dt.date) -> None:
    text = numeric(on, order)
    if on > TODAY:
        assert "date of birth" in (
            read_date(text, today=TODAY, order=order, kind=DateKind.BIRTH).problem or ""
        )
    else:
        assert _typed(text, order, kind=DateKind.BIRTH) == on


@given(on=st.dates(min_value=dt.date(1927, 1, 1), max_value=TODAY))
def test_two_digit_birth_years_are_never_in_the_future(on: dt.date) -> None:
    text = f"{on.day}/{on.month}/{on.year % 100:02d}"
    assert _typed(text, "DMY", kind=DateKind.BIRTH) == on


@given(on=st.dates(min_value=dt.date(1946, 1, 1), max_value=dt.date(2045, 12, 31)))
def test_two_digit_years_fall_80_years_back_to_19_ahead(on: dt.date) -> None:
    assert _typed(f"{on.day} {_month(on)[:3]} {on.year % 100:02d}", "DMY") == on


def test_the_century_of_a_two_digit_year() -> None:
    assert _typed("14/3/68", "DMY") == dt.date(1968, 3, 14)
    assert _typed("14/3/45", "DMY") == dt.date(2045, 3, 14)
    assert _typed("14/3/46", "DMY") == dt.date(1946, 3, 14)
    assert _typed("14/3/26", "DMY", kind=DateKind.BIRTH) == dt.date(2026, 3, 14)
    assert _typed("14/12/26", "DMY", kind=DateKind.BIRTH) == dt.date(1926, 12, 14)


def test_the_same_numbers_follow_the_order() -> None:
    assert _typed("4/3/2024", "DMY") == dt.date(2024, 3, 4)
    assert _typed("4/3/2024", "MDY") == dt.date(2024, 4, 3)
    assert _typed("2024/4/3", "YMD") == dt.date(2024, 4, 3)
    assert _typed("1968-03-14", "MDY") == dt.date(1968, 3, 14)


def test_words_for_nearby_days() -> None:
    assert _typed("today", "DMY") == TODAY
    assert _typed(" Yesterday ", "DMY") == TODAY - dt.timedelta(days=1)
    assert _typed("TOMORROW", "MDY") == TODAY + dt.timedelta(days=1)


def test_a_day_and_month_mean_this_year_except_for_birth() -> None:
    assert _typed("14/3", "DMY") == dt.date(2026, 3, 14)
    assert _typed("Mar 14", "MDY") == dt.date(2026, 3, 14)
    problem = read_date("14/3", today=TODAY, order="DMY", kind=DateKind.BIRTH).problem
    assert problem == "Add the year of birth, like 14/3/1968."


def test_empty_is_nothing_unless_required() -> None:
    empty = read_date("  ", today=TODAY, order="DMY")
    assert empty.empty and empty.value is None and empty.ok
    required = read_date("", today=TODAY, order="DMY", required=True)
    assert required.problem == "Type the date, like 29/11/2026, 29 Nov 2026 or 2026-11-29."


@pytest.mark.parametrize(
    ("text", "order", "problem"),
    [
        ("31/2/2024", "DMY", "February 2024 has 29 days: type a day from 1 to 29."),
        ("29/2/2023", "DMY", "February 2023 has 28 days: type a day from 1 to 28."),
        ("31/4/2026", "DMY", "April 2026 has 30 days: type a day from 1 to 30."),
        ("0/3/2026", "DMY", "There is no day 0: type a day from 1 to 31."),
        (
            "3/14/1968",
            "DMY",
            "There is no month 14. Here dates are typed day/month/year, like 14/3/1968; "
            "or write the month's name: 14 Mar 1968.",
        ),
        (
            "14/3/1968",
            "MDY",
            "There is no month 14. Here dates are typed month/day/year, like 3/14/1968; "
            "or write the month's name: 14 Mar 1968.",
        ),
        (
            "14/13/2026",
            "DMY",
            "There is no month 13: type the month as 1 to 12, or its name, like "
            "29/11/2026, 29 Nov 2026 or 2026-11-29.",
        ),
        (
            "14/3/202",
            "DMY",
            "Type the year in full, like 1968, or as its last two digits, like 68.",
        ),
        ("14/3/1899", "DMY", "Type a year from 1900 to 2100."),
        ("Fri 14 Mar 1968", "DMY", "14 Mar 1968 is a Thursday, not a Friday: check the date."),
        (
            "14 Ma 1968",
            "DMY",
            "“Ma” is not a month: write its name or its first three letters, like 29 Nov 2026.",
        ),
        (
            "next week",
            "DMY",
            "Not a date we can read: type it like 29/11/2026, 29 Nov 2026 or 2026-11-29.",
        ),
        (
            "14 Mar 1968 10:00",
            "DMY",
            "Not a date we can read: type it like 29/11/2026, 29 Nov 2026 or 2026-11-29.",
        ),
        (
            "Not set968-03-14",
            "DMY",
            "Not a date we can read: type it like 29/11/2026, 29 Nov 2026 or 2026-11-29.",
        ),
    ],
)
def test_impossible_dates_say_what_is_wrong(text: str, order: str, problem: str) -> None:
    result = read_date(text, today=TODAY, order=order)
    assert result.value is None
    assert result.problem == problem


def test_bounds() -> None:
    birth = read_date("1/12/2026", today=TODAY, order="DMY", kind=DateKind.BIRTH)
    assert birth.problem == "A date of birth can't be after today (29 Nov 2026): check the year."
    late = read_date("1/12/2026", today=TODAY, order="DMY", latest=TODAY)
    assert late.problem == "Type a date on or before 29 Nov 2026."
    early = read_date("1/1/2020", today=TODAY, order="DMY", earliest=dt.date(2021, 1, 1))
    assert early.problem == "Type a date on or after 1 Jan 2021."
    assert _typed("29/11/2026", "DMY", latest=TODAY, earliest=TODAY) == TODAY


def test_the_locale_gives_the_order_when_none_is_said() -> None:
    words.use_locale("en_US")
    assert read_date("4/3/2024", today=TODAY).value == dt.date(2024, 4, 3)
    words.use_locale("en_GB")
    assert read_date("4/3/2024", today=TODAY).value == dt.date(2024, 3, 4)
