"""Writes one client's whole record as a client record file."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from therapy_desk import __version__
from therapy_desk.exchange.layout import FORMAT, FORMAT_VERSION, TREE, dump
from therapy_desk.services.clients import load_record


def export_client(session: Session, *, client_id: uuid.UUID, now: datetime) -> dict[str, Any]:
    client = load_record(session, client_id)
    clinic_exercises = {
        item.exercise.code: item.exercise
        for programme in client.programmes
        for revision in programme.revisions
        for item in revision.items
        if not item.exercise.builtin
    }
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": now.isoformat(),
        "app_version": __version__,
        "client": dump(TREE, client),
        "clinic_exercises": [
            {
                "code": e.code,
                "name": e.name,
                "category": e.category.value,
                "summary": e.summary,
                "regions": e.regions,
                "equipment": e.equipment,
                "suits": e.suits,
                "steps": e.steps,
                "cautions": e.cautions,
                "illustration": e.illustration,
                "dose": e.dose,
            }
            for e in sorted(clinic_exercises.values(), key=lambda e: e.code)
        ],
    }
