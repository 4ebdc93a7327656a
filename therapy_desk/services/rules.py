"""Clinic settings for the advisory rules: each rule can be turned off for the whole clinic.

Clinicians differ (for example on loading muscles weak from nerve damage), so a clinic
may turn a rule off. Who turned it off or on, and when, is kept beside it. The settings
live in one row of the `setting` table, so a change is checked against the version the
user saw like any other record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from therapy_desk import guidance
from therapy_desk.domain import Setting
from therapy_desk.services.errors import Conflict, ValidationError
from therapy_desk.services.records import expect_version

#: Setting key that holds the clinic's rule choices: {code: {"on", "by", "at"}}.
RULES_KEY = "advisory_rules"


@dataclass(frozen=True)
class RuleSetting:
    code: str
    title: str
    on: bool
    #: Who last turned the rule off or on, and when (None: never changed).
    changed_by: str | None = None
    changed_at: datetime | None = None


@dataclass(frozen=True)
class RuleSettings:
    """Every rule in the order advisories are shown, and the version to save against."""

    rules: tuple[RuleSetting, ...]
    #: The setting row's version; 0 before any rule has been changed.
    version: int

    @property
    def off(self) -> frozenset[str]:
        return frozenset(r.code for r in self.rules if not r.on)


def _row(session: Session) -> Setting | None:
    return session.scalar(select(Setting).where(Setting.key == RULES_KEY))


def _choices(row: Setting | None) -> dict[str, Any]:
    value = row.value if row is not None else None
    return value if isinstance(value, dict) else {}


def rule_settings(session: Session) -> RuleSettings:
    row = _row(session)
    choices = _choices(row)
    rules = []
    for code, title in guidance.TITLES.items():
        choice = choices.get(code)
        if isinstance(choice, dict):
            at = choice.get("at")
            rules.append(
                RuleSetting(
                    code,
                    title,
                    bool(choice.get("on", True)),
                    choice.get("by"),
                    datetime.fromisoformat(at) if isinstance(at, str) else None,
                )
            )
        else:
            rules.append(RuleSetting(code, title, True))
    return RuleSettings(tuple(rules), row.version if row is not None else 0)


def rules_off(session: Session) -> frozenset[str]:
    """The codes of the rules the clinic has turned off."""
    choices = _choices(_row(session))
    return frozenset(
        code
        for code, choice in choices.items()
        if code in guidance.TITLES and isinstance(choice, dict) and not choice.get("on", True)
    )


def set_rule(
    session: Session, *, code: str, on: bool, by: str, now: datetime, expected_version: int
) -> RuleSettings:
    """Turn one rule on or off for the clinic, keeping who and when."""
    if code not in guidance.TITLES:
        raise ValidationError({"code": f"There is no advisory rule {code}"})
    if not by.strip():
        raise ValidationError({"by": "Say who is changing the rule"})
    row = _row(session)
    choice = {"on": on, "by": by.strip(), "at": now.isoformat()}
    if row is None:
        if expected_version != 0:
            raise Conflict("advisory rule settings", current_version=0)
        session.add(Setting(key=RULES_KEY, value={code: choice}))
    else:
        expect_version(row, expected_version, what="advisory rule settings")
        row.value = {**_choices(row), code: choice}
    session.flush()
    return rule_settings(session)
