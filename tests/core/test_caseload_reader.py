"""The caseload's plain-SQL reader and start-up's first look, on both backends.

The reader serves start-up (a bare driver connection, before SQLAlchemy loads) and the
app and the command line (the session's own connection); both must give the same rows,
and the same rows the records hold.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from tests import factories
from tests.factories import TODAY
from therapy_desk.db.database import Database
from therapy_desk.db.direct import connect
from therapy_desk.db.location import describe_plain, plain_location
from therapy_desk.domain.vocabulary import Cause, DeviceKind, Region, Side, TrialSubject
from therapy_desk.services.caseload import (
    CaseloadFilter,
    by_name,
    caseload_rows,
    client_row,
    list_caseload,
    read_caseload,
)
from therapy_desk.services.devices import assign_device
from therapy_desk.services.first_look import first_look
from therapy_desk.services.trials import open_trial


def _fill(clinic: Database, count: int) -> list[str]:
    names = [f"{given} {family}" for family in ("Ødegaard", "Adams", "Łukasik") for given in "ABC"]
    with clinic.transaction() as session:
        for number in range(count):
            factories.client(session, f"TD-{number:05d}", names[number % len(names)])
    return names


def test_rows_hold_what_the_records_hold(clinic: Database) -> None:
    with clinic.transaction() as session:
        ada = factories.client(session, "TD-1", "Ada Okafor")
        # Two findings of the same grade: the weakest is the lower grade, then by region.
        factories.finding(session, ada, Region.KNEE, Cause.MIXED, strength_grade=3)
        factories.finding(session, ada, Region.ANKLE_FOOT, Cause.NERVE_DAMAGE, strength_grade=2)
        factories.finding(
            session, ada, Region.HIP, Cause.DECONDITIONING, side=Side.BOTH, strength_grade=2
        )
        for kind, days in ((DeviceKind.ANKLE_FOOT_ORTHOSIS, 10), (DeviceKind.CANE, 40)):
            assign_device(
                session,
                client_id=ada,
                kind=kind,
                side=Side.LEFT,
                started_on=TODAY - timedelta(days=days),
            )
        open_trial(
            session,
            client_id=ada,
            subject=TrialSubject.STRATEGY,
            what="Pacing diary",
            started_on=TODAY - timedelta(days=40),
            review_on=TODAY - timedelta(days=3),
        )
        factories.client(session, "TD-2", "Ben Müller")
    with clinic.reading() as session:
        rows = {r.reference: r for r in caseload_rows(session, today=TODAY)}
    ada_row = rows["TD-1"]
    assert ada_row.main_weakness == "Ankle and foot (left), nerve damage"
    assert ada_row.open_findings == {
        (Region.KNEE, Cause.MIXED),
        (Region.ANKLE_FOOT, Cause.NERVE_DAMAGE),
        (Region.HIP, Cause.DECONDITIONING),
    }
    assert ada_row.devices == (
        DeviceKind.CANE,
        DeviceKind.ANKLE_FOOT_ORTHOSIS,
    )  # in the order started
    assert ada_row.overdue_trials == 1
    assert ada_row.advisories is None  # counted apart
    ben = rows["TD-2"]
    assert (ben.main_weakness, ben.devices, ben.overdue_trials) == (None, (), 0)
    assert ben.open_findings == frozenset()


def test_every_way_of_reading_gives_the_same_rows(clinic: Database, database_url: str) -> None:
    _fill(clinic, 320)  # more than one chunk of keys
    with clinic.reading() as session:
        everyone = {r.id: r for r in caseload_rows(session, today=TODAY)}
        some_ids = list(everyone)[::3]
        some = caseload_rows(session, today=TODAY, ids=some_ids)
        one = client_row(session, client_id=some_ids[0], today=TODAY)
    assert len(everyone) == 320
    assert {r.id: r for r in some} == {i: everyone[i] for i in some_ids}
    assert one is not None and one._replace(advisories=None) == everyone[some_ids[0]]
    assert one.advisories == 0

    plain = plain_location(database_url)
    assert plain is not None
    direct = connect(plain)
    assert direct is not None
    try:
        bare = read_caseload(direct, today=TODAY)
        first = read_caseload(direct, today=TODAY, first=50)
    finally:
        direct.close()
    assert {r.id: r for r in bare} == everyone
    assert len(first) == 50 and all(everyone[r.id] == r for r in first)


def test_the_list_is_in_name_order_on_every_backend(clinic: Database) -> None:
    _fill(clinic, 9)
    with clinic.reading() as session:
        rows = list_caseload(session, filters=CaseloadFilter(), today=TODAY)
    assert rows == sorted(rows, key=by_name)
    # Python's order on both backends, not SQLite's ASCII-only lower().
    assert [r.name for r in rows][:3] == ["A Adams", "A Ødegaard", "A Łukasik"]


def test_first_look_only_at_a_clinic_ready_to_show(
    clinic: Database, database_url: str, tmp_path: Path
) -> None:
    assert first_look(database_url, today=TODAY) is None  # no clients yet: the full way
    _fill(clinic, 12)
    look = first_look(database_url, today=TODAY, first=5)
    assert look is not None and look.total == 12 and len(look.rows) == 5
    assert first_look(str(tmp_path / "missing.sqlite3"), today=TODAY) is None
    assert not (tmp_path / "missing.sqlite3").exists()  # never creates a file
    assert first_look("mysql://nobody@nowhere/clinic", today=TODAY) is None


def test_an_older_schema_takes_the_full_way(sqlite_clinic: Database) -> None:
    _fill(sqlite_clinic, 3)
    path = sqlite_clinic.file
    assert path is not None
    sqlite_clinic.close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '20250101_0000'")
    assert first_look(str(path), today=TODAY) is None


def test_plain_locations_say_what_the_full_way_says() -> None:
    from therapy_desk.db.location import describe, to_url

    for text in (
        "/srv/clinic/data.sqlite3",
        "sqlite:////srv/clinic/data.sqlite3",
        "postgresql://therapist:secret@db.clinic.local:5433/desk",
        "postgresql+psycopg://therapist@db/desk",
    ):
        plain = plain_location(text)
        assert plain is not None
        assert describe_plain(plain) == describe(to_url(text))
    assert plain_location("sqlite://") is None  # in memory: only the full way knows it


def test_a_first_look_loads_no_sqlalchemy(sqlite_clinic: Database) -> None:
    _fill(sqlite_clinic, 3)
    script = (
        "import sys\nfrom datetime import date\n"
        "from therapy_desk.services.first_look import first_look\n"
        f"look = first_look({str(sqlite_clinic.file)!r}, today=date(2026, 11, 21))\n"
        "assert look is not None and look.total == 3, look\n"
        "print(sorted(m for m in sys.modules if m.startswith(('sqlalchemy', 'alembic'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
