"""Finds the data files in resources/, from a source checkout or an installed wheel."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def resources_dir() -> Path:
    # A wheel carries resources/ inside the package as _resources; an editable
    # install or a checkout finds it at the top of the source tree.
    for candidate in (_PACKAGE / "_resources", _PACKAGE.parent / "resources"):
        if (candidate / "catalogue").is_dir():
            return candidate
    raise FileNotFoundError("Therapy Desk's resources folder is missing; reinstall the application")


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
