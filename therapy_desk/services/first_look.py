"""Start-up's first look at the clinic: the top of the caseload, before the ORM loads.

The desktop app paints this while SQLAlchemy, the catalogue and the rest of the
window load behind it. Only a database that exists, holds clients and already has
this version's schema gets a first look; anything else (a new clinic, an upgrade, a
server that does not answer) returns None, and the app opens the full way, which
migrates, creates and explains.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from therapy_desk.db.direct import client_count, connect, schema_is_current
from therapy_desk.db.location import describe_plain, plain_location
from therapy_desk.services.caseload import CaseloadRow, read_caseload

#: Rows read before the first paint: more than a screen shows at once (a window the
#: height of a 1440-pixel screen shows about 50); the rest follow a moment later.
FIRST_ROWS = 120


@dataclass(frozen=True)
class FirstLook:
    #: The first clients by name, every column but advisories filled in.
    rows: list[CaseloadRow]
    #: How many clients the clinic has in all.
    total: int
    #: The database's location as safe to show (no password).
    where: str


def first_look(location: str, *, today: date, first: int | None = None) -> FirstLook | None:
    plain = plain_location(location)
    if plain is None:
        return None
    direct = connect(plain)
    if direct is None:
        return None
    try:
        if not schema_is_current(direct):
            return None
        total = client_count(direct)
        if not total:
            return None
        rows = read_caseload(direct, today=today, first=first or FIRST_ROWS)
        return FirstLook(rows, total, describe_plain(plain))
    except Exception:  # whatever it is, the full open reports it properly
        return None
    finally:
        direct.close()
