"""SQLAlchemy models, one module per aggregate. Importing this package maps them all."""

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
