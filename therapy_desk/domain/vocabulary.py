"""The clinic's fixed words: every enumerated value the records may hold.

Each enum's value is what is stored and exchanged; `label` is what a person reads.
"""

from __future__ import annotations

from enum import StrEnum


class Labelled(StrEnum):
    """A StrEnum whose members carry a plain-word label for screens and handouts."""

    @property
    def label(self) -> str:
        return _LABELS.get(self, self.value.replace("_", " ").capitalize())

    @classmethod
    def parse(cls, text: str) -> Labelled:
        """Accept a stored value or a label, any case; raise ValueError naming the choices."""
        wanted = text.strip().lower().replace("-", "_").replace(" ", "_")
        for member in cls:
            if wanted in (member.value, member.label.lower().replace(" ", "_")):
                return member
        choices = ", ".join(m.value for m in cls)
        raise ValueError(f"'{text}' is not one of: {choices}")


class Region(Labelled):
    FACE = "face"
    NECK = "neck"
    SHOULDER = "shoulder"
    ARM = "arm"
    WRIST_HAND = "wrist_hand"
    TRUNK = "trunk"
    HIP = "hip"
    KNEE = "knee"
    ANKLE_FOOT = "ankle_foot"
    BREATHING = "breathing"


#: Regions a therapist calls "the legs" and "the arms".
LEG_REGIONS = frozenset({Region.HIP, Region.KNEE, Region.ANKLE_FOOT})
ARM_REGIONS = frozenset({Region.SHOULDER, Region.ARM, Region.WRIST_HAND})

#: The neighbours whose nerves may still work when a region's nerves are damaged:
#: the "surrounding muscles" docs/clinical.md asks therapists to strengthen instead.
SURROUNDING_REGIONS: dict[Region, tuple[Region, ...]] = {
    Region.FACE: (Region.NECK,),
    Region.NECK: (Region.SHOULDER, Region.TRUNK),
    Region.SHOULDER: (Region.TRUNK, Region.ARM),
    Region.ARM: (Region.SHOULDER, Region.WRIST_HAND),
    Region.WRIST_HAND: (Region.ARM,),
    Region.TRUNK: (Region.HIP, Region.SHOULDER),
    Region.HIP: (Region.TRUNK, Region.KNEE),
    Region.KNEE: (Region.HIP, Region.ANKLE_FOOT),
    Region.ANKLE_FOOT: (Region.KNEE, Region.HIP),
    Region.BREATHING: (Region.TRUNK,),
}


class Side(Labelled):
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"
    NONE = "none"


class Cause(Labelled):
    """The source of a weakness: it decides which exercise helps."""

    DECONDITIONING = "deconditioning"
    NERVE_DAMAGE = "nerve_damage"
    MIXED = "mixed"
    UNKNOWN = "unknown"


class MSCourse(Labelled):
    CIS = "cis"
    RELAPSING_REMITTING = "relapsing_remitting"
    SECONDARY_PROGRESSIVE_ACTIVE = "secondary_progressive_active"
    SECONDARY_PROGRESSIVE = "secondary_progressive"
    PRIMARY_PROGRESSIVE = "primary_progressive"
    UNKNOWN = "unknown"


class ClientStatus(Labelled):
    ACTIVE = "active"
    DISCHARGED = "discharged"


class ExerciseCategory(Labelled):
    CARDIO = "cardio"
    RESISTANCE = "resistance"
    FLEXIBILITY = "flexibility"
    BALANCE = "balance"
    AQUATIC = "aquatic"
    FUNCTIONAL = "functional"
    BREATHING = "breathing"


class Band(Labelled):
    """Resistance band strength, in words that do not depend on a brand's colours."""

    EXTRA_LIGHT = "extra_light"
    LIGHT = "light"
    MEDIUM = "medium"
    HEAVY = "heavy"
    EXTRA_HEAVY = "extra_heavy"


class DeviceKind(Labelled):
    CANE = "cane"
    QUAD_CANE = "quad_cane"
    FOREARM_CRUTCH = "forearm_crutch"
    WALKING_FRAME = "walking_frame"
    ROLLATOR = "rollator"
    MANUAL_WHEELCHAIR = "manual_wheelchair"
    POWERED_WHEELCHAIR = "powered_wheelchair"
    MOBILITY_SCOOTER = "mobility_scooter"
    ANKLE_FOOT_ORTHOSIS = "ankle_foot_orthosis"
    FES_FOOT_DROP_STIMULATOR = "fes_foot_drop_stimulator"
    KNEE_BRACE = "knee_brace"
    WRIST_HAND_SPLINT = "wrist_hand_splint"
    HIP_FLEXION_ASSIST = "hip_flexion_assist"
    REACHER = "reacher"
    JAR_OPENER = "jar_opener"
    BUILT_UP_GRIPS = "built_up_grips"
    BUTTON_HOOK = "button_hook"
    SHOWER_SEAT = "shower_seat"
    RAISED_TOILET_SEAT = "raised_toilet_seat"
    GRAB_RAILS = "grab_rails"
    COOLING_VEST = "cooling_vest"


#: Devices that answer foot drop; any of them trialled satisfies the AFO advisory.
FOOT_DROP_DEVICES = frozenset({DeviceKind.ANKLE_FOOT_ORTHOSIS, DeviceKind.FES_FOOT_DROP_STIMULATOR})
#: Daily-living aids for weak arms and hands.
DAILY_LIVING_AIDS = frozenset(
    {
        DeviceKind.REACHER,
        DeviceKind.JAR_OPENER,
        DeviceKind.BUILT_UP_GRIPS,
        DeviceKind.BUTTON_HOOK,
        DeviceKind.WRIST_HAND_SPLINT,
    }
)


class DeviceStatus(Labelled):
    TRIAL = "trial"
    ISSUED = "issued"
    IN_USE = "in_use"
    RETURNED = "returned"
    STOPPED = "stopped"


#: The device lifecycle: which status may follow which.
DEVICE_TRANSITIONS: dict[DeviceStatus, frozenset[DeviceStatus]] = {
    DeviceStatus.TRIAL: frozenset(
        {DeviceStatus.ISSUED, DeviceStatus.IN_USE, DeviceStatus.RETURNED, DeviceStatus.STOPPED}
    ),
    DeviceStatus.ISSUED: frozenset(
        {DeviceStatus.IN_USE, DeviceStatus.RETURNED, DeviceStatus.STOPPED}
    ),
    DeviceStatus.IN_USE: frozenset({DeviceStatus.RETURNED, DeviceStatus.STOPPED}),
    DeviceStatus.RETURNED: frozenset(),
    DeviceStatus.STOPPED: frozenset(),
}
#: Statuses in which the client has the device.
DEVICE_HELD = frozenset({DeviceStatus.TRIAL, DeviceStatus.ISSUED, DeviceStatus.IN_USE})


class TrialSubject(Labelled):
    PROGRAMME_REVISION = "programme_revision"
    DEVICE = "device"
    STRATEGY = "strategy"
    MEDICATION_CHANGE = "medication_change"


class TrialOutcome(Labelled):
    HELPED = "helped"
    NO_CHANGE = "no_change"
    WORSE = "worse"
    NOT_TOLERATED = "not_tolerated"


class TrialDecision(Labelled):
    CONTINUE = "continue"
    ADJUST = "adjust"
    STOP = "stop"
    TRY_SOMETHING_ELSE = "try_something_else"


class Better(Labelled):
    LOWER = "lower"
    HIGHER = "higher"


class HandoutKind(Labelled):
    """The handouts a client can be given; each prints as its own leaflet."""

    PROGRAMME = "programme"
    DEVICES = "devices"
    HOME_SAFETY = "home_safety"
    ENERGY = "energy"
    WEAKNESS = "weakness"
    FOLLOW_UP = "follow_up"


_LABELS: dict[StrEnum, str] = {
    Region.ARM: "Arm and elbow",
    Region.WRIST_HAND: "Wrist and hand",
    Region.TRUNK: "Trunk and core",
    Region.HIP: "Hip and buttock",
    Region.KNEE: "Thigh and knee",
    Region.ANKLE_FOOT: "Ankle and foot",
    Region.BREATHING: "Breathing muscles",
    Side.NONE: "Not sided",
    Cause.DECONDITIONING: "Deconditioning (disuse)",
    Cause.NERVE_DAMAGE: "Nerve damage (demyelination)",
    Cause.MIXED: "Mixed",
    Cause.UNKNOWN: "Not yet known",
    MSCourse.CIS: "Clinically isolated syndrome",
    MSCourse.RELAPSING_REMITTING: "Relapsing-remitting",
    MSCourse.SECONDARY_PROGRESSIVE_ACTIVE: "Secondary progressive with relapses",
    MSCourse.SECONDARY_PROGRESSIVE: "Secondary progressive without relapses",
    MSCourse.PRIMARY_PROGRESSIVE: "Primary progressive",
    MSCourse.UNKNOWN: "Not known",
    DeviceKind.FOREARM_CRUTCH: "Forearm crutch",
    DeviceKind.ANKLE_FOOT_ORTHOSIS: "Ankle-foot orthosis (AFO)",
    DeviceKind.FES_FOOT_DROP_STIMULATOR: "FES foot-drop stimulator",
    DeviceKind.WRIST_HAND_SPLINT: "Wrist/hand splint",
    DeviceKind.HIP_FLEXION_ASSIST: "Hip flexion assist",
    DeviceKind.BUILT_UP_GRIPS: "Built-up grips",
    DeviceStatus.IN_USE: "In use",
    TrialSubject.PROGRAMME_REVISION: "Programme revision",
    TrialSubject.MEDICATION_CHANGE: "Medication change (reported)",
    TrialOutcome.NO_CHANGE: "No change",
    TrialOutcome.NOT_TOLERATED: "Not tolerated",
    TrialDecision.TRY_SOMETHING_ELSE: "Try something else",
    HandoutKind.PROGRAMME: "Home exercise programme",
    HandoutKind.DEVICES: "Device guide",
    HandoutKind.HOME_SAFETY: "Home safety and falls checklist",
    HandoutKind.ENERGY: "Energy, heat and daily routine",
    HandoutKind.WEAKNESS: "Why your muscles are weak, and what helps",
    HandoutKind.FOLLOW_UP: "Follow-up plan",
}
