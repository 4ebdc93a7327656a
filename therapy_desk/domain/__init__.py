"""SQLAlchemy models, one module per aggregate.

Asking this package for any model maps them all (so relationships between them
resolve), but importing the package itself loads nothing: `domain.vocabulary`, the
clinic's words, is needed by start-up long before SQLAlchemy is (docs/performance.md:
its import alone outweighs a whole bare Qt window).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from therapy_desk.domain.advisory import AdvisoryDismissal
    from therapy_desk.domain.base import Base, Record
    from therapy_desk.domain.client import Client
    from therapy_desk.domain.device import DeviceAssignment, DeviceStatusChange
    from therapy_desk.domain.exercise import Exercise
    from therapy_desk.domain.fall import Fall
    from therapy_desk.domain.finding import WeaknessFinding
    from therapy_desk.domain.handout import HandoutRecord
    from therapy_desk.domain.measurement import Measurement
    from therapy_desk.domain.programme import Programme, ProgrammeItem, ProgrammeRevision
    from therapy_desk.domain.setting import Setting
    from therapy_desk.domain.trial import Trial, TrialNote

#: Each model and the module that defines it.
_MODELS = {
    "AdvisoryDismissal": "advisory",
    "Base": "base",
    "Client": "client",
    "DeviceAssignment": "device",
    "DeviceStatusChange": "device",
    "Exercise": "exercise",
    "Fall": "fall",
    "HandoutRecord": "handout",
    "Measurement": "measurement",
    "Programme": "programme",
    "ProgrammeItem": "programme",
    "ProgrammeRevision": "programme",
    "Record": "base",
    "Setting": "setting",
    "Trial": "trial",
    "TrialNote": "trial",
    "WeaknessFinding": "finding",
}

__all__ = [
    "AdvisoryDismissal",
    "Base",
    "Client",
    "DeviceAssignment",
    "DeviceStatusChange",
    "Exercise",
    "Fall",
    "HandoutRecord",
    "Measurement",
    "Programme",
    "ProgrammeItem",
    "ProgrammeRevision",
    "Record",
    "Setting",
    "Trial",
    "TrialNote",
    "WeaknessFinding",
]


def load_models() -> None:
    """Import every model module, so the mappers all know each other."""
    for name, module in _MODELS.items():
        globals()[name] = getattr(importlib.import_module(f"{__name__}.{module}"), name)


def __getattr__(name: str) -> Any:
    if name not in _MODELS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    load_models()
    return globals()[name]
