"""Reads a client record file and makes the first, cheap passes over it.

The file itself (size, UTF-8, JSON syntax, a key given twice), then three layers that
look only at the parsed data: how much there is (list sizes and rows in all), every
value on its own (nesting, keys, text that cannot be stored, numbers that are not
finite or too large), and the published JSON Schema, its errors put in words. Each
layer returns the problems it found by field path; `ImportError_` carries them.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Any

from therapy_desk import words
from therapy_desk.exchange.layout import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_ROWS,
    TREE,
    Node,
    text_problem,
)

#: Most clinic exercises one file may carry (as the schema says).
MAX_CLINIC_EXERCISES = 1000
#: Most problems gathered before giving up on a layer: enough to fix a file by.
MAX_PROBLEMS = 50
#: Whole numbers beyond this are refused wherever they appear (no column holds them).
_INT64 = 2**63


def _printable(text: str) -> str:
    """Text safe to print on any terminal: control characters and lone surrogates escaped."""
    return "".join(
        f"\\u{ord(c):04x}" if c < " " or "\x7f" <= c <= "\x9f" or "\ud800" <= c <= "\udfff" else c
        for c in text
    )


class ImportError_(ValueError):  # noqa: N801 - keeps clear of the builtin ImportError
    """The file cannot be imported; `problems` lists each field path and what is wrong."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = {_printable(p): _printable(m) for p, m in problems.items()}
        lines = [f"{path}: {message}" for path, message in list(self.problems.items())[:20]]
        more = len(self.problems) - len(lines)
        if more > 0:
            lines.append(f"… and {more} more")
        super().__init__("Nothing was imported.\n" + "\n".join(lines))


# -- Reading the file -------------------------------------------------------------------------


def read_record_file(path: Path) -> Any:
    """Parse the file as JSON, refusing ones too large, not JSON, or giving a key twice."""
    try:
        size = path.stat().st_size
    except OSError as problem:
        raise ImportError_({"file": f"cannot be read ({problem.strerror})"}) from None
    if size > MAX_FILE_BYTES:
        raise ImportError_(
            {"file": f"is {size:,} bytes; a client record is under {MAX_FILE_BYTES:,}"}
        )
    twice: list[tuple[dict[str, Any], str]] = []

    def once(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        made = dict(pairs)
        if len(made) != len(pairs):
            seen: set[str] = set()
            for key, _value in pairs:
                if key in seen:
                    twice.append((made, key))
                    break
                seen.add(key)
        return made

    try:
        text = path.read_bytes().decode("utf-8")
        data = json.loads(text, object_pairs_hook=once)
    except OSError as problem:
        raise ImportError_({"file": f"cannot be read ({problem.strerror})"}) from None
    except UnicodeDecodeError:
        raise ImportError_({"file": "is not UTF-8 text; is this a client record file?"}) from None
    except json.JSONDecodeError as problem:
        raise ImportError_(
            {
                "file": f"is not valid JSON (line {problem.lineno}, column {problem.colno}: "
                f"{problem.msg}); it may be cut short"
            }
        ) from None
    except ValueError:  # a number of more than 4,300 digits
        raise ImportError_({"file": "holds a number too long to be read"}) from None
    except RecursionError:
        raise ImportError_({"file": "nests too deeply to be a client record"}) from None
    if twice:
        where = _paths_of(data, {id(obj) for obj, _ in twice})
        raise ImportError_(
            {
                where.get(id(obj), "file"): f"gives the key '{key}' twice; "
                "a key may appear only once, so which one is meant is unclear"
                for obj, key in twice[:MAX_PROBLEMS]
            }
        )
    return data


def _paths_of(data: Any, wanted: set[int]) -> dict[int, str]:
    """Where each wanted object sits in the parsed data, by identity."""
    found: dict[int, str] = {}
    stack: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    while stack and len(found) < len(wanted):
        value, at = stack.pop()
        if id(value) in wanted:
            found[id(value)] = _path(at)
        if isinstance(value, dict):
            stack.extend((sub, (*at, key)) for key, sub in value.items())
        elif isinstance(value, list):
            stack.extend((sub, (*at, i)) for i, sub in enumerate(value))
    return found


def _path(parts: Any) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "file"


# -- Layer 1: how much there is, before anything is looked at closely ---------------------------


def size_problems(data: Any) -> dict[str, str]:
    """Refuse lists longer than a real record holds, and too many rows in all: fast, so a
    huge file costs no more than reading it."""
    if not isinstance(data, dict):
        return {"file": "is not a client record (it should be one JSON object)"}
    problems: dict[str, str] = {}
    exercises = data.get("clinic_exercises")
    if isinstance(exercises, list) and len(exercises) > MAX_CLINIC_EXERCISES:
        problems["clinic_exercises"] = (
            f"has {words.count(len(exercises), 'exercise')}; a file carries at most "
            f"{words.number(MAX_CLINIC_EXERCISES)}"
        )
    client = data.get("client")
    stack: list[tuple[Node, dict[str, Any], str]] = []
    if isinstance(client, dict):
        stack.append((TREE, client, "client"))
    rows = 0
    while stack and len(problems) < MAX_PROBLEMS:
        node, entry, at = stack.pop()
        rows += 1
        if rows > MAX_ROWS:
            problems["client"] = (
                f"holds more than {MAX_ROWS:,} rows in all; no client's record is that large"
            )
            break
        for child in node.children:
            entries = entry.get(child.key)
            if not isinstance(entries, list):
                continue
            if len(entries) > child.max_items:
                problems[f"{at}.{child.key}"] = (
                    f"has {len(entries):,} {child.label}; a client's record holds at most "
                    f"{child.max_items:,}"
                )
                continue
            stack.extend(
                (child, sub, f"{at}.{child.key}[{i}]")
                for i, sub in enumerate(entries)
                if isinstance(sub, dict)
            )
    return problems


# -- Layer 2: every value on its own -----------------------------------------------------------


def value_problems(data: Any) -> dict[str, str]:
    """Nesting, keys, and values no field may hold: text with NUL or lone surrogates,
    NaN or Infinity, whole numbers beyond 64 bits, anything that is not JSON."""
    problems: dict[str, str] = {}
    stack: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    while stack and len(problems) < MAX_PROBLEMS:
        value, at = stack.pop()
        if isinstance(value, dict | list):
            if len(at) >= MAX_DEPTH:
                problems[_path(at)] = "nests too deeply to be part of a client record"
                continue
            if isinstance(value, list):
                stack.extend((sub, (*at, i)) for i, sub in enumerate(value))
                continue
            for key, sub in value.items():
                if not isinstance(key, str):
                    problems[_path(at)] = "has a key that is not text"
                elif (message := text_problem(key, single_line=True)) is not None:
                    problems[_path(at)] = f"has a key that {message}"
                else:
                    stack.append((sub, (*at, key)))
        elif isinstance(value, str):
            if (message := text_problem(value, single_line=None)) is not None:
                problems[_path(at)] = message
        elif value is None or isinstance(value, bool):
            pass
        elif isinstance(value, int):
            if not -_INT64 <= value < _INT64:
                problems[_path(at)] = "is too large a number for any field"
        elif isinstance(value, float):
            if not math.isfinite(value):
                problems[_path(at)] = "must be a finite number (not NaN or Infinity)"
        else:
            problems[_path(at)] = f"is not a JSON value ({type(value).__name__})"
    return problems


# -- Layer 3: the published JSON Schema ----------------------------------------------------------


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    from therapy_desk.exchange.layout import record_schema

    return Draft202012Validator(record_schema())


_JSON_TYPES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
    "array": "a list",
    "object": "an object",
}


def _describe(error: Any) -> str:
    """A schema error in words, without repeating the value (it may be clinical text)."""
    keyword, expected, instance = error.validator, error.validator_value, error.instance
    if keyword == "anyOf" and error.context:  # a nullable field: say what the value should be
        first = [e for e in error.context if list(e.schema_path)[:1] == [0]]
        if first:
            inner = _describe(first[0])
            return inner + " or null" if first[0].validator == "type" else inner
    if keyword == "type":
        kinds = expected if isinstance(expected, list) else [expected]
        return "must be " + " or ".join(_JSON_TYPES.get(k, str(k)) for k in kinds)
    if keyword == "maxLength":
        return f"is {words.count(len(instance), 'character')} long; at most {expected:,} fit"
    if keyword == "minLength":
        return "must not be empty"
    if keyword in ("minimum", "maximum"):
        return f"must be from {error.schema.get('minimum')} to {error.schema.get('maximum')}"
    if keyword == "maxItems":
        entries = words.count(len(instance), "entry", "entries")
        return f"has {entries}; at most {expected:,} are allowed"
    if keyword == "enum":
        choices = ", ".join(str(v) for v in expected)
        return f"must be one of: {choices}"[:600]
    if keyword == "const":
        return f"must be {json.dumps(expected)}"
    if keyword == "pattern":
        kind = error.schema.get("format", "value")
        return f"is not a {kind} in the expected form" + (" (YYYY-MM-DD)" if kind == "date" else "")
    if keyword in ("required", "additionalProperties"):
        return str(error.message)[:300]
    return f"does not fit the schema ({keyword})"


def schema_problems(data: Any) -> dict[str, str]:
    """Where the data departs from the published JSON Schema, each in words."""
    problems: dict[str, str] = {}
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.path)))
    for error in errors:
        problems.setdefault(_path(error.absolute_path), _describe(error))
        if len(problems) >= MAX_PROBLEMS:
            break
    return problems
