"""How the app says counts and dates: one place, from the locale's own rules (Babel/CLDR).

Every screen, handout and CLI line formats a date or a count through here, so "1 clients",
ISO dates inside sentences and two spellings of the same day cannot creep back in.

The words are English; the locale decides the order of day and month and the clock. It is
read once from the environment (LC_ALL, LC_TIME, LANG). A bare "C"/POSIX environment, as on
servers and in CI, gets the house default, en_GB ("3 Dec 2026"), so output does not change
with how a terminal happens to be set up. A non-English system keeps its region with
English words (de_DE → en_DE), falling back to en_GB where CLDR has no such locale.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

# Babel is imported where it is used, so a start that says only what it said last time
# (below) never loads it before the caseload paints.
if TYPE_CHECKING:
    from babel import Locale

HOUSE_LOCALE = "en_GB"


# --- what was said last time --------------------------------------------------------------
# Babel and a locale's CLDR data take about 25 ms to load (60 ms on a slow machine), which
# the app cannot spend before its caseload paints. So what the first screen said last time
# (its dates, its counts) is kept in a small file in the user's cache folder, and read back
# at the next start; anything not in it is asked of Babel as usual. The file is tied to the
# locale settings and the Babel installation that wrote it, and is ignored if either changed.

#: What was said last time, when it still applies (None: ask Babel every time).
_remembered: dict[str, str] | None = None
#: What Babel said this run, to keep for next time.
_learned: dict[str, str] = {}
#: At most this many things are kept: a caseload's first screen needs a few hundred.
KEEP_AT_MOST = 2000


def _stamp() -> str:
    from importlib.util import find_spec

    spec = find_spec("babel")
    where = Path(spec.origin) if spec is not None and spec.origin else None
    built = where.stat() if where is not None and where.exists() else None
    settings = [os.environ.get(name, "") for name in ("LC_ALL", "LC_TIME", "LANG")]
    return json.dumps([settings, str(where), built.st_mtime_ns if built else 0])


def remember_from(path: Path) -> None:
    """Say again what was said last time (kept by `keep_in`), where it still applies."""
    global _remembered
    if _chosen is not None:
        return
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if isinstance(kept, dict) and kept.get("stamp") == _stamp():
        values = kept.get("said")
        if isinstance(values, dict) and all(isinstance(v, str) for v in values.values()):
            _remembered = values


def keep_in(path: Path) -> None:
    """Keep what Babel said this run for the next start (the user's alone, 0600)."""
    from therapy_desk.files import private_folder, write_atomically

    if _chosen is not None or not _learned:
        return
    said = {**_learned, **(_remembered or {})}
    said = dict(list(said.items())[:KEEP_AT_MOST])
    private_folder(path.parent)
    data = json.dumps({"stamp": _stamp(), "said": said}, ensure_ascii=False)
    write_atomically(path, data.encode("utf-8"), replace=True)
    _learned.clear()


def _said(key: str, ask: Callable[[], str]) -> str:
    if _remembered is not None:
        known = _remembered.get(key)
        if known is not None:
            return known
    value = ask()
    if _chosen is None and len(_learned) < KEEP_AT_MOST:
        _learned[key] = value
    return value


_chosen: Locale | None = None


def use_locale(name: str | None) -> None:
    """Pin the locale (tests, a preference); None goes back to the environment's."""
    global _chosen, _remembered
    _chosen = _english_for(name) if name else None
    _remembered = None
    _learned.clear()


@cache
def _environment_locale() -> Locale:
    from babel import default_locale

    return _english_for(default_locale(("LC_ALL", "LC_TIME", "LANG")))


def _english_for(name: str | None) -> Locale:
    from babel import Locale, UnknownLocaleError

    if not name or name.split(".")[0] in {"C", "POSIX", "en_US_POSIX"}:
        return Locale.parse(HOUSE_LOCALE)
    try:
        found = Locale.parse(name.split(".")[0].split("@")[0])
    except (ValueError, UnknownLocaleError):
        return Locale.parse(HOUSE_LOCALE)
    if found.language == "en":
        return found
    try:
        return (
            Locale.parse(f"en_{found.territory}") if found.territory else Locale.parse(HOUSE_LOCALE)
        )
    except (ValueError, UnknownLocaleError):
        return Locale.parse(HOUSE_LOCALE)


def locale() -> Locale:
    return _chosen or _environment_locale()


# --- counts -------------------------------------------------------------------------------


def count(n: int, one: str, many: str | None = None) -> str:
    """ "1 client", "2 clients", "1 follow-up due", "3 follow-ups due" (give `many` when
    the plural is not `one` + "s")."""
    return f"{number(n)} {noun(n, one, many)}"


def noun(n: float, one: str, many: str | None = None) -> str:
    """The word alone, agreeing with n: noun(3, "result") → "results"."""
    form = _said(f"plural {n!r}", lambda: "one" if _is_one(n, locale()) else "other")
    return one if form == "one" else (many or one + "s")


def number(n: float) -> str:
    return _said(f"number {n!r}", lambda: _decimal(n, locale()))


def times(n: int) -> str:
    """How often, in words: "once", "twice", "3 times"."""
    return {1: "once", 2: "twice"}.get(n) or f"{number(n)} times"


def mid_sentence(label: str) -> str:
    """A label as it reads inside a sentence: "Ankle-foot orthosis (AFO)" → "ankle-foot
    orthosis (AFO)". Words are lower-cased, abbreviations (two or more capitals) kept."""
    return " ".join(w if sum(c.isupper() for c in w) > 1 else w.lower() for w in label.split(" "))


def listing(items: list[str], last_joiner: str = "and") -> str:
    """ "a", "a and b", "a, b and c" — the house style has no serial comma."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last_joiner} {items[-1]}"


# --- dates --------------------------------------------------------------------------------


def day(on: dt.date) -> str:
    """The date as every screen and handout shows it: "3 Dec 2026"."""
    return _said(f"day {on.isoformat()}", lambda: _date(on, "medium", locale()))


def day_with_weekday(on: dt.date) -> str:
    """ "Thu 3 Dec 2026": when the weekday matters (appointments, follow-ups)."""
    return _skeleton("yMMMEd", on)


def short_day(on: dt.date) -> str:
    """ "Thu 3 Dec": inside this week's lists, where the year is plain."""
    return _skeleton("MMMEd", on)


def long_day(on: dt.date) -> str:
    """ "3 December 2026": handouts, which people read away from the screen."""
    return _date(on, "long", locale())


def long_day_with_weekday(on: dt.date) -> str:
    """ "Thursday 3 December 2026": an appointment on a handout; today on This week."""
    return _date(on, "full", locale()).replace(",", "", 1)


def day_month(on: dt.date) -> str:
    """ "3 Dec": a chart's axis, where the year is written once."""
    return _skeleton("MMMd", on)


def month(on: dt.date) -> str:
    """ "Dec": a bar under a chart."""
    return _skeleton("MMM", on)


def month_year(on: dt.date, *, long: bool = False) -> str:
    """ "Dec 2026" (a chart's axis) or "December 2026" (the month in a sentence)."""
    return _skeleton("yMMMM" if long else "yMMM", on)


def clock(at: dt.datetime) -> str:
    """ "14:05" in local time (the locale decides 24- or 12-hour)."""
    local = at.astimezone() if at.tzinfo else at
    from babel.dates import format_time

    return format_time(local.time(), "short", locale=locale())


def moment(at: dt.datetime) -> str:
    """ "3 Dec 2026, 14:05" in local time: when something was saved or given."""
    local = at.astimezone() if at.tzinfo else at
    return f"{day(local.date())}, {clock(local)}"


def day_or(on: dt.date | None, missing: str) -> str:
    return day(on) if on else missing


def numeric_order() -> str:
    """The order people here type a numeric date in: "DMY", "MDY" or "YMD"."""
    from babel.dates import get_date_format

    pattern = get_date_format("short", locale=locale()).pattern.lower()
    positions = sorted((pattern.find(c), c) for c in "dmy" if c in pattern)
    return "".join(c for _, c in positions).upper()


def _skeleton(skeleton: str, on: dt.date) -> str:
    # CLDR puts a comma after the weekday in some English locales ("Thu, 3 Dec"); the
    # screens have always shown it without, and both read the same.
    return _said(f"{skeleton} {on.isoformat()}", lambda: _skeleton_text(skeleton, on, locale()))


# Babel builds a pattern and walks the locale's data on every call, which a record with
# hundreds of dated rows felt on opening; the same day or count in the same locale always
# reads the same, so each is formatted once. `typed` keeps 1 and 1.0 apart.


@lru_cache(maxsize=4096, typed=True)
def _is_one(n: float, where: Locale) -> bool:
    return where.plural_form(n) == "one"


@lru_cache(maxsize=4096, typed=True)
def _decimal(n: float, where: Locale) -> str:
    from babel.numbers import format_decimal

    return format_decimal(n, locale=where)


@lru_cache(maxsize=8192, typed=True)
def _date(on: dt.date, form: str, where: Locale) -> str:
    from babel.dates import format_date

    return format_date(on, form, locale=where)


@lru_cache(maxsize=8192, typed=True)
def _skeleton_text(skeleton: str, on: dt.date, where: Locale) -> str:
    from babel.dates import format_skeleton

    return format_skeleton(skeleton, on, locale=where).replace(",", "", 1)
