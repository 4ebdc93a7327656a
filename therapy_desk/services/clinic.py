"""The clinic's own details, printed on every handout: name, address, phone and logo."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from therapy_desk.domain import Setting
from therapy_desk.services.checks import Problems

#: Setting key that holds the clinic details.
CLINIC_KEY = "clinic"
#: Largest logo kept in the database; a handout logo is printed about 3 cm wide.
LOGO_LIMIT_BYTES = 1_000_000
_IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


@dataclass(frozen=True)
class ClinicDetails:
    name: str
    address: str | None = None
    phone: str | None = None
    #: PNG or JPEG bytes, or None for a handout header without a logo.
    logo: bytes | None = None


def check_clinic(details: ClinicDetails) -> None:
    p = Problems()
    p.text("name", details.name, label="Clinic name", limit=120, required=True)
    p.text("address", details.address, label="Address", limit=500)
    p.text("phone", details.phone, label="Phone", limit=60)
    if details.logo is not None:
        if len(details.logo) > LOGO_LIMIT_BYTES:
            p.add("logo", "The logo is larger than 1 MB; save a smaller PNG or JPEG and choose it")
        elif not any(details.logo.startswith(magic) for magic in _IMAGE_MAGIC):
            p.add("logo", "The logo must be a PNG or JPEG picture")
    p.raise_if_any()


def clinic_details(session: Session) -> ClinicDetails | None:
    """The saved details, or None before the clinic has been set up."""
    value = session.scalar(select(Setting.value).where(Setting.key == CLINIC_KEY))
    if not isinstance(value, dict) or not value.get("name"):
        return None
    logo = value.get("logo")
    return ClinicDetails(
        name=value["name"],
        address=value.get("address"),
        phone=value.get("phone"),
        logo=base64.b64decode(logo) if logo else None,
    )


def save_clinic_details(session: Session, *, details: ClinicDetails) -> ClinicDetails:
    check_clinic(details)
    cleaned = ClinicDetails(
        name=details.name.strip(),
        address=(details.address or "").strip() or None,
        phone=(details.phone or "").strip() or None,
        logo=details.logo,
    )
    value = {
        "name": cleaned.name,
        "address": cleaned.address,
        "phone": cleaned.phone,
        "logo": base64.b64encode(cleaned.logo).decode("ascii") if cleaned.logo else None,
    }
    setting = session.scalar(select(Setting).where(Setting.key == CLINIC_KEY))
    if setting is None:
        session.add(Setting(key=CLINIC_KEY, value=value))
    else:
        setting.value = value
    session.flush()
    return cleaned
