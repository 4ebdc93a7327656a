"""What the demo clinic's therapists write: a personal cue for each exercise, why a device
is tried and how its trial is judged, and follow-up notes that fit what is being tried.

Made up for the demo, in a therapist's plain words; each cue is written for its own
exercise, so a sit-to-stand gets a sit-to-stand cue.
"""

from __future__ import annotations

from therapy_desk.domain.vocabulary import DeviceKind, TrialSubject

#: Personal cues by exercise code (the catalogue's codes): one is picked for an item now
#: and then, never one written for another exercise.
CUES: dict[str, tuple[str, ...]] = {
    # cardio
    "recumbent-bike": ("Easy pace: you should still be able to chat.", "Fan on, water in reach."),
    "walking-intervals": (
        "Sit down at the bench before your legs get heavy.",
        "Stop the walk if your foot starts to drag.",
    ),
    "arm-ergometer": ("Keep your shoulders down and relaxed.", "Two minutes forwards, then back."),
    "seated-marching": ("Sit tall; lift from the hip, not by leaning back.",),
    "seated-arm-punches": ("Punch across your body, not up.", "Breathe out with each punch."),
    "treadmill-walking": (
        "Start slow; hold the rails the whole time.",
        "Clip the safety key on first.",
    ),
    # resistance
    "seated-knee-extension-ankle-weight": (
        "Hold the knee straight for a count of two.",
        "Slow on the way down.",
    ),
    "standing-hip-abduction-band": (
        "Keep your toes pointing forwards.",
        "Hold the counter; don't lean to the side.",
    ),
    "calf-raises": ("Up on two, down on four.", "Both hands on the counter."),
    "bridging": ("Squeeze your buttocks before you lift.", "Breathe out as you lift."),
    "leg-press-band": ("Push through your heel.", "Don't lock the knee at the end."),
    "mini-squats-holding-weight": (
        "Only as far as your knees stay over your feet.",
        "Chair behind you, just in case.",
    ),
    "seated-hamstring-curl-band": ("Slide the heel back slowly.", "Let the band back slowly."),
    "seated-hip-march-ankle-weight": ("Lift only as high as you can without leaning back.",),
    "standing-hip-extension-band": ("Keep your back straight; the leg does the work.",),
    "ankle-dorsiflexion-band": (
        "Pull the toes up towards you and hold for two.",
        "Slow on the way back down.",
    ),
    "side-lying-hip-abduction": ("Top leg slightly behind you, toes forwards.",),
    "bicep-curl-light-weight": ("Elbow stays tucked in at your side.", "Slow on the way down."),
    "wrist-curls-light-weight": ("Rest your forearm on the table edge.",),
    "wrist-extension-light-weight": ("Lift the back of the hand only; forearm stays down.",),
    "putty-squeeze": ("Squeeze slowly, then let go slowly.", "Warm the putty in your hands first."),
    "putty-pinch": ("Thumb against each fingertip in turn.",),
    "finger-spreading-band": ("Spread slowly and hold for two.",),
    "seated-row-band": ("Squeeze your shoulder blades together.", "Breathe out as you pull."),
    "wall-push-up": ("Feet a step back from the wall.", "Breathe out as you push."),
    "overhead-press-light-weight": ("Stop at shoulder height if it pinches.",),
    "elbow-straightening-band": ("Upper arm stays still; only the forearm moves.",),
    "neck-isometric-press": ("Press gently: the head does not move.", "Breathe normally."),
    "seated-trunk-rotation-band": ("Turn from the waist; hips face forwards.",),
    "seated-lean-back-hold": ("Only lean back as far as you can come up again.",),
    # flexibility
    "calf-stretch": ("Back heel stays on the floor.", "Hold 30 seconds, no bouncing."),
    "hamstring-stretch": ("Sit tall and lean from the hips.", "Stretch, not pain."),
    "hip-flexor-stretch": ("Tuck your bottom under to feel the stretch.",),
    "chest-stretch": ("Open the elbows back gently; breathe slowly.",),
    "neck-side-stretch": ("Ear towards the shoulder; shoulders stay down.",),
    "neck-turns": ("Slowly, as far as it's comfortable.",),
    "chin-tucks": ("Make a double chin and hold for three.",),
    "shoulder-rolls": ("Roll backwards, slow and big.",),
    "wrist-and-finger-stretch": ("Hold 20 seconds each way.",),
    "seated-trunk-rotation": ("Turn from the waist, look over your shoulder.",),
    "active-ankle-dorsiflexion": (
        "Pull the foot right up, then point.",
        "Do these before you get up.",
    ),
    "ankle-circles": ("Big slow circles, both directions.",),
    "inner-thigh-stretch": ("Let the knees fall out only as far as is comfortable.",),
    "knee-to-chest-stretch": ("Hold behind the knee, not on top of it.",),
    "arm-raises-with-stick": ("The stronger arm helps the weaker one up.",),
    "finger-bends": ("Make a full fist, then spread wide.",),
    # functional
    "sit-to-stand": (
        "Nose over toes as you stand.",
        "Feet back under the chair before you stand.",
        "Sit down slowly; don't drop.",
    ),
    "step-ups": ("Up with the stronger leg, down with the weaker.", "Hold the banister."),
    "rolling-in-bed": ("Bend your knees and turn them first.",),
    "lying-to-sitting": ("Roll onto your side, then push up with your arms.",),
    "floor-to-standing-with-helper": ("Onto your knees, then a chair to push up on.",),
    "carrying-items": ("Carry close to your body; two light bags, not one heavy.",),
    "peg-pick-up": ("Pick up with thumb and first finger only.",),
    "coin-pick-up": ("Slide the coin to the table edge first.",),
    "buttoning-practice": ("Start with the big buttons at the bottom.",),
    "reaching-practice": ("Step closer rather than stretching.", "Hold the counter with one hand."),
    "facial-expressions": ("Hold each face for three in the mirror.",),
    "cheek-and-lip-exercises": ("Puff, hold for three, then release.",),
    "eye-and-eyebrow-exercises": ("Close the eyes gently, then tightly.",),
    "seated-toe-taps": ("Lift the toes, keep the heel down.",),
    "heel-walking-with-support": ("Toes up, short steps, hand on the counter.",),
    # balance
    "standing-with-support": (
        "Fingertips on the counter, not your whole weight.",
        "Chair behind you.",
    ),
    "tandem-stance": ("Stand in the corner of the kitchen.", "Eyes on a spot ahead."),
    "side-to-side-weight-shifts": ("Shift slowly; feet stay flat.",),
    "forward-back-weight-shifts": ("Move from the ankles, body straight.",),
    "single-leg-stance-with-support": ("Hold the counter; lift the foot just off the floor.",),
    "seated-reaching-balance": ("Reach only as far as you can come back.",),
    "heel-to-toe-walk-along-counter": ("Hand on the counter all the way.",),
    "sideways-walking-along-counter": ("Step, then bring the feet together.",),
    "standing-head-turns": ("Stop if you feel dizzy; hold the counter.",),
    # aquatic
    "water-walking": ("Waist-deep, near the side.", "Not too warm a pool."),
    "pool-leg-swings": ("Hold the side; swing from the hip.",),
    "aqua-cycling": ("Noodle under the arms; slow circles.",),
    "arm-sweeps-in-water": ("Shoulders under the water.",),
    "floating-relaxation": ("Let the noodles hold you; breathe out slowly.",),
    "pool-side-stepping": ("Face the side, hands on the rail.",),
    "pool-marching": ("Knees up, arms swinging.",),
    "pool-heel-raises": ("Hold the rail; up slowly.",),
    # breathing
    "diaphragmatic-breathing": ("Hand on your tummy: feel it rise.",),
    "pursed-lip-breathing": ("In through the nose for two, out for four.",),
    "inspiratory-muscle-training": ("Sit upright; rest a minute between sets.",),
    "expiratory-muscle-training": ("Seal your lips round the mouthpiece.",),
    "huffing": ("Huff as if misting a mirror.",),
    "rib-expansion-breathing": ("Hands on your ribs: breathe into them.",),
    "breathing-with-arm-raises": ("Breathe in as the arms go up, out as they come down.",),
}

#: Why a device is tried and how its trial is judged, by kind (the others: see DEVICE_TRIAL).
DEVICE_TRIALS: dict[DeviceKind, tuple[str, str]] = {
    DeviceKind.ANKLE_FOOT_ORTHOSIS: (
        "Foot drop: the toe catches when walking, worse when tired",
        "Walks to the shops without the toe catching; 25-foot walk no slower",
    ),
    DeviceKind.FES_FOOT_DROP_STIMULATOR: (
        "Foot drop the AFO did not suit; wants to walk further",
        "No trips on the usual walk; skin fine under the electrodes",
    ),
    DeviceKind.CANE: (
        "Unsteady outdoors on uneven ground",
        "Walks to the bus stop without holding walls or railings",
    ),
    DeviceKind.QUAD_CANE: (
        "Needs more support than a stick on the weaker side",
        "Walks round the house safely; no falls",
    ),
    DeviceKind.FOREARM_CRUTCH: (
        "Leg gives way on longer walks",
        "Manages the walk to the shops and back",
    ),
    DeviceKind.ROLLATOR: (
        "Tires and stops every few minutes outdoors",
        "Walks to the park with one sit-down on the seat",
    ),
    DeviceKind.JAR_OPENER: ("Weak grip: cannot open jars", "Makes lunch without asking for help"),
    DeviceKind.BUILT_UP_GRIPS: (
        "Cutlery slips from a weak hand",
        "Eats a meal without dropping the fork",
    ),
    DeviceKind.REACHER: (
        "Bending to the floor is unsteady",
        "Picks things up from the floor without bending",
    ),
    DeviceKind.BUTTON_HOOK: (
        "Fingers too weak for small buttons",
        "Dresses in the morning without help",
    ),
    DeviceKind.COOLING_VEST: (
        "Legs weaken in the heat",
        "Keeps up the afternoon walk on warm days",
    ),
}
#: Any other kind of device.
DEVICE_TRIAL = ("Safer and less tiring day to day", "Uses it daily and finds it helps")

#: Follow-up notes by what is being tried.
TRIAL_NOTES: dict[TrialSubject, tuple[str, ...]] = {
    TrialSubject.PROGRAMME_REVISION: (
        "Doing the programme on most days; finds the mornings easier.",
        "Tired for a day after the longer sessions; reduced the sets.",
        "Missed a week with a cold, back to routine now.",
        "Finds the band exercises hard to set up alone.",
        "Managing stairs with the rail only.",
    ),
    TrialSubject.DEVICE: (
        "Using it every day; family say the walk looks steadier.",
        "Reports less tripping on the walk to the shops.",
        "Skin check fine, no red marks.",
        "Forgets it in the mornings; put it by the front door.",
    ),
    TrialSubject.STRATEGY: (
        "Keeping to the plan on most days.",
        "Hard to stick to on busy days; adjusted the timings.",
        "Says the afternoons are easier.",
    ),
    TrialSubject.MEDICATION_CHANGE: (
        "Reports less stiffness at night.",
        "Drowsy in the first week, settling now.",
        "No change noticed yet; the doctor reviews next month.",
    ),
}


def device_trial_words(kind: DeviceKind) -> tuple[str, str]:
    """Why this kind of device is tried, and what success looks like."""
    return DEVICE_TRIALS.get(kind, DEVICE_TRIAL)
