"""Counts, dates and labels reach people through therapy_desk/words.py, nowhere else.

The source of the core and the UI is read line by line for the hand-made ways that gave
"1 clients", "exercise(s)", "(afo)" and ISO dates inside sentences; each one found fails
the test with its file and line, so they cannot creep back in.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SWEPT = ("therapy_desk", "ui")

#: (what is wrong and what to use instead, how it looks in source).
RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "a date formatted by hand: use words.day / day_with_weekday / short_day / moment",
        # Compact stamps in file names ("%Y%m%dT%H%M%SZ") are data and stay.
        re.compile(r"%[aAbB]|%H:%M|%Y-%m-%d|%d %|strftime\((?!\"%Y%m%dT)"),
    ),
    (
        "an ISO date inside a sentence: use words.day",
        re.compile(r"\{[^{}\"']*\.isoformat\(\)[^{}\"']*\}"),
    ),
    (
        "a plural made by hand: use words.count / words.noun",
        re.compile(
            r"[a-z]\(s\)(?!.*\bfor s in\b)"  # exercise(s), not escape(s) for s in …
            r"|(['\"])(s|es|ies)\1 if "  # {'s' if n != 1 else ''}
            r"|else (['\"])(s|es|ies)\3"  # {'' if n == 1 else 's'}
            r"|(['\"])([a-z-]+)\5 if [^\n]*?(==|!=|>) ?1 else (['\"])\6s\8"  # "fall" if … "falls"
        ),
    ),
    (
        "a bare count before its noun: use words.count(len(…), 'noun')",
        re.compile(r"\{len\([^{}]*\)(:,)?\} [a-z]"),
    ),
    (
        "a label lower-cased whole ('(afo)'): use words.mid_sentence",
        re.compile(r"\.label\.lower\(\)"),
    ),
)

#: (file, text on the line) → why that line may keep its hand-made form.
ALLOWED: dict[tuple[str, str], str] = {
    ("therapy_desk/typed_dates.py", "{on:%Y-%m-%d}"): "names ISO as one of the forms to type",
    ("ui/handout_output.py", "{on.isoformat()}.pdf"): "a file name, which sorts by date",
    ("therapy_desk/exchange/layout.py", ".isoformat()} is "): (
        "an import problem quotes the file's own value, as the file spells it"
    ),
    ("therapy_desk/domain/vocabulary.py", "member.label.lower()"): "matching typed text",
}


def problems_in(path: str, text: str) -> list[str]:
    """Each offending line as "path:line: what is wrong — the line"."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        code = line.split("#", 1)[0] if line.lstrip().startswith("#") else line
        for what, pattern in RULES:
            if not pattern.search(code):
                continue
            if any(path == file and part in line for file, part in ALLOWED):
                continue
            found.append(f"{path}:{number}: {what} — {line.strip()}")
    return found


def swept_files() -> list[Path]:
    return sorted(
        p
        for top in SWEPT
        for p in (ROOT / top).rglob("*.py")
        if "migrations" not in p.parts and p.name != "words.py"
    )


def test_counts_dates_and_labels_go_through_words() -> None:
    found = [
        problem
        for path in swept_files()
        for problem in problems_in(path.relative_to(ROOT).as_posix(), path.read_text("utf-8"))
    ]
    assert not found, "Say it through therapy_desk/words.py:\n" + "\n".join(found)


def test_the_sweep_reads_the_whole_tree() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in swept_files()}
    assert {"therapy_desk/guidance.py", "therapy_desk/cli.py", "ui/pages/this_week.py"} <= names
    assert len(names) > 100


def test_each_hand_made_form_is_caught() -> None:
    planted = [
        'f"{n} clinic exercise(s)"',
        "f\"{n} client{'s' if n != 1 else ''}\"",
        "f\"{n} {word}{'' if n == 1 else 's'}\"",
        'noun = "fall" if total == 1 else "falls"',
        'f"{len(rows)} clients"',
        'f"{due:%a} {due.day} {due:%b}"',
        'f"{made.day} {made:%b %Y}, {made:%H:%M}"',
        'f"due on {review_on.isoformat()}"',
        'value.strftime("%d/%m/%Y")',
        'f"the {kind.label.lower()}"',
    ]
    for line in planted:
        assert problems_in("x.py", line), line
    kept = [
        'stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")',
        '"exported_at": now.isoformat(),',
        '("Hold (s)", "hold_seconds"),',
        'choice = {"on": on, "by": by.strip(), "at": now.isoformat()}',
        'steps = "".join(f"<li>{escape(s)}</li>" for s in shown)',
        "widest = max(metrics.horizontalAdvance(self._legend_text(s)) for s in LEGEND)",
        "f\"{words.count(n, 'client')}\"",
    ]
    for line in kept:
        assert not problems_in("x.py", line), line
