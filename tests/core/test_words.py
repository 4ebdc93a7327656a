"""Counts and dates are said one way, from CLDR's rules for the locale."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from therapy_desk import words


@pytest.fixture
def locale_of() -> Iterator[object]:
    yield words.use_locale
    words.use_locale(words.HOUSE_LOCALE)


def test_counts_agree_with_their_number() -> None:
    assert words.count(1, "client") == "1 client"
    assert words.count(0, "client") == "0 clients"
    assert words.count(2, "follow-up due", "follow-ups due") == "2 follow-ups due"
    assert words.count(1, "follow-up due", "follow-ups due") == "1 follow-up due"
    assert words.count(1200, "result") == "1,200 results"
    assert words.noun(1, "exercise") == "exercise"


def test_listing_has_no_serial_comma() -> None:
    assert words.listing([]) == ""
    assert words.listing(["a stick"]) == "a stick"
    assert words.listing(["a stick", "an AFO"]) == "a stick and an AFO"
    assert words.listing(["a", "b", "c"], "or") == "a, b or c"


def test_house_dates() -> None:
    on = dt.date(2026, 12, 3)
    assert words.day(on) == "3 Dec 2026"
    assert words.day_with_weekday(on) == "Thu 3 Dec 2026"
    assert words.short_day(on) == "Thu 3 Dec"
    assert words.numeric_order() == "DMY"
    assert words.day_or(None, "not booked") == "not booked"


@pytest.mark.parametrize(
    ("environment", "expected_day", "order"),
    [
        ("en_US.UTF-8", "Dec 3, 2026", "MDY"),
        ("en_AU.UTF-8", "3 Dec 2026", "DMY"),
        ("C.UTF-8", "3 Dec 2026", "DMY"),
        ("POSIX", "3 Dec 2026", "DMY"),
        ("de_DE.UTF-8", "3 Dec 2026", "DMY"),
        ("xx_YY", "3 Dec 2026", "DMY"),
    ],
)
def test_the_locale_sets_the_order_and_english_stays(
    locale_of: object, environment: str, expected_day: str, order: str
) -> None:
    words.use_locale(environment)
    assert words.day(dt.date(2026, 12, 3)) == expected_day
    assert words.numeric_order() == order
    assert words.locale().language == "en"


def test_a_moment_is_in_local_time() -> None:
    at = dt.datetime(2026, 12, 3, 14, 5)
    assert words.moment(at) == "3 Dec 2026, 14:05"


def test_long_dates_months_and_clock_for_handouts_and_charts(locale_of: object) -> None:
    on = dt.date(2026, 12, 3)
    assert words.long_day(on) == "3 December 2026"
    assert words.long_day_with_weekday(on) == "Thursday 3 December 2026"
    assert words.month(on) == "Dec" and words.day_month(on) == "3 Dec"
    assert words.month_year(on) == "Dec 2026"
    assert words.month_year(on, long=True) == "December 2026"
    assert words.clock(dt.datetime(2026, 12, 3, 14, 5)) == "14:05"
    words.use_locale("en_US.UTF-8")
    assert words.long_day(on) == "December 3, 2026"
    assert words.clock(dt.datetime(2026, 12, 3, 14, 5)) == "2:05\u202fPM"


def test_how_often_and_labels_mid_sentence() -> None:
    assert [words.times(n) for n in (1, 2, 3)] == ["once", "twice", "3 times"]
    assert words.mid_sentence("Ankle-foot orthosis (AFO)") == "ankle-foot orthosis (AFO)"
    assert words.mid_sentence("In use") == "in use"


@pytest.fixture
def environment_locale(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The locale from the environment (en_GB here), as the app has it, not pinned."""
    for name in ("LC_ALL", "LC_TIME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    words._environment_locale.cache_clear()
    words.use_locale(None)
    yield
    words.use_locale(words.HOUSE_LOCALE)
    words._environment_locale.cache_clear()


def test_what_the_first_screen_said_is_said_again_without_babel(
    environment_locale: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = tmp_path / "cache" / "words-said.json"
    words.remember_from(kept)  # nothing kept yet: Babel says it
    said = (words.count(5000, "client"), words.day(dt.date(2026, 12, 3)))
    assert said == ("5,000 clients", "3 Dec 2026")
    words.keep_in(kept)
    assert kept.stat().st_mode & 0o777 == 0o600

    words.use_locale(None)  # a new start
    words.remember_from(kept)

    def babel_asked(*args: object) -> str:
        raise AssertionError("asked Babel for what was kept")

    monkeypatch.setattr(words, "_decimal", babel_asked)
    monkeypatch.setattr(words, "_date", babel_asked)
    monkeypatch.setattr(words, "_is_one", babel_asked)
    assert (words.count(5000, "client"), words.day(dt.date(2026, 12, 3))) == said
    with pytest.raises(AssertionError, match="asked Babel"):
        words.day(dt.date(2026, 12, 4))  # not kept: Babel is asked


def test_what_was_kept_under_other_settings_or_damaged_is_not_used(
    environment_locale: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = tmp_path / "words-said.json"
    words.remember_from(kept)
    words.day(dt.date(2026, 12, 3))
    words.keep_in(kept)

    monkeypatch.setenv("LANG", "en_US.UTF-8")  # the computer's region changed
    words._environment_locale.cache_clear()
    words.use_locale(None)
    words.remember_from(kept)
    assert words.day(dt.date(2026, 12, 3)) == "Dec 3, 2026"

    kept.write_text('{"stamp": ', encoding="utf-8")  # cut short
    words.use_locale(None)
    words.remember_from(kept)
    assert words.day(dt.date(2026, 12, 3)) == "Dec 3, 2026"


def test_a_pinned_locale_neither_reads_nor_keeps(tmp_path: Path) -> None:
    kept = tmp_path / "words-said.json"
    words.day(dt.date(2026, 12, 3))
    words.keep_in(kept)
    assert not kept.exists()
