"""This workstation's own preferences, kept on this computer and never in the clinic's
database: for now, who is using Therapy Desk here, until clinic accounts arrive.

Every record says who made it (`edited_by`, a revision's "issued by", a handout's
"given by"). That name is the clinician's own, asked once on this computer and
remembered here; it is never guessed from the operating system's login (which says
"root" or "admin" on many a shared workstation).

The preferences are one small JSON file in the user's config folder, readable by the
user alone (0600). Nothing is read at import: callers ask when they need it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from therapy_desk.services.errors import ValidationError

APP_NAME = "therapy-desk"
#: The preferences file, in the user's config folder.
FILE_NAME = "workstation.json"
#: Who is acting, for scripts and the command line (as `--by NAME`).
CLINICIAN_VAR = "THERAPY_DESK_CLINICIAN"
#: The older name of the same variable, still understood.
OLD_USER_VAR = "THERAPY_DESK_USER"
#: Longest name and role: the stamp "Name (Role)" fits a record's 120-character field.
NAME_MAX = 80
ROLE_MAX = 30


@dataclass(frozen=True)
class Clinician:
    """Who is using Therapy Desk on this workstation."""

    name: str
    #: Role or initials, as they wish to be known on records ("OT", "PT", "AG").
    role: str | None = None

    @property
    def stamp(self) -> str:
        """What their records say: "Ana García (OT)", or the name alone."""
        return f"{self.name} ({self.role})" if self.role else self.name


def config_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def preferences_file() -> Path:
    return config_dir() / FILE_NAME


def clinician(name: str, role: str | None = None) -> Clinician:
    """A clinician from what was typed; ValidationError({"name"/"role": why}) when not."""
    name, role = " ".join(name.split()), " ".join((role or "").split()) or None
    problems: dict[str, str] = {}
    if not name:
        problems["name"] = "Type your name, as it should appear on what you record"
    elif len(name) > NAME_MAX:
        problems["name"] = f"Shorten the name to {NAME_MAX} characters or fewer"
    elif not name.isprintable():
        problems["name"] = "Use letters, spaces and punctuation only"
    if role is not None and len(role) > ROLE_MAX:
        problems["role"] = f"Shorten the role or initials to {ROLE_MAX} characters or fewer"
    elif role is not None and not role.isprintable():
        problems["role"] = "Use letters, spaces and punctuation only"
    if problems:
        raise ValidationError(problems)
    return Clinician(name, role)


def remembered(path: Path | None = None) -> Clinician | None:
    """The clinician remembered on this computer; None when none is (or the file is
    unreadable: they are then asked again, which does no harm)."""
    entry = _read(path or preferences_file()).get("clinician")
    if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str):
        return None
    role = entry.get("role")
    try:
        return clinician(entry["name"], role if isinstance(role, str) else None)
    except ValidationError:
        return None


def remember(who: Clinician, path: Path | None = None) -> Path:
    """Keep `who` as this computer's clinician; the other preferences stay as they were."""
    from therapy_desk.files import private_folder, write_atomically

    path = path or preferences_file()
    preferences = _read(path)
    preferences["clinician"] = {"name": who.name, "role": who.role}
    private_folder(path.parent)
    data = json.dumps(preferences, ensure_ascii=False, indent=2).encode() + b"\n"
    write_atomically(path, data, replace=True)  # a private file (0600), whole or not at all
    return path


def from_environment(environ: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    """The name given in the environment, and the variable that gave it."""
    environ = os.environ if environ is None else environ
    for variable in (CLINICIAN_VAR, OLD_USER_VAR):
        if environ.get(variable, "").strip():
            return environ[variable], variable
    return None


def _read(path: Path) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}
