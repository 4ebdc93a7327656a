"""Widgets hold no queries: nothing in ui/ but the Desk may touch SQLAlchemy; every read
and write goes through a service function."""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "ui"
#: The one door to the services, which owns the transaction of each user action.
DOOR = UI / "desk.py"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_only_the_desk_touches_sqlalchemy() -> None:
    offenders = {
        str(path.relative_to(UI.parent)): sorted(m for m in _imports(path) if "sqlalchemy" in m)
        for path in UI.rglob("*.py")
        if path != DOOR
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_widgets_never_open_a_session() -> None:
    for path in UI.rglob("*.py"):
        if path == DOOR:
            continue
        text = path.read_text(encoding="utf-8")
        for needle in (".transaction()", ".reading()", "sessionmaker", ".execute("):
            assert needle not in text, f"{path.name} uses {needle}; call a service via Desk"
