"""The catalogue: exercises, device guidance and outcome measures, loaded from resources/."""

from therapy_desk.library.catalogue import (
    CatalogueError,
    DeviceGuide,
    ExerciseSpec,
    MeasureSpec,
    device_guides,
    exercises,
    load_exercises,
    measures,
)

__all__ = [
    "CatalogueError",
    "DeviceGuide",
    "ExerciseSpec",
    "MeasureSpec",
    "device_guides",
    "exercises",
    "load_exercises",
    "measures",
]
