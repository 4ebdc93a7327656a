"""Correcting and striking out measure results and falls, timed trials, several devices per
result, change in % and the overview: through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import shutil
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select, text

from tests import factories
from tests.factories import TODAY
from therapy_desk import guidance
from therapy_desk.db import migrate
from therapy_desk.domain import Fall, Measurement
from therapy_desk.domain.vocabulary import DeviceKind, Side
from therapy_desk.exchange import export_client, import_client
from therapy_desk.library import measures as catalogue
from therapy_desk.services import falls, measures
from therapy_desk.services.advisories import advisories_for
from therapy_desk.services.clients import load_record
from therapy_desk.services.errors import Conflict, ValidationError
from therapy_desk.services.opening import open_clinic
from therapy_desk.services.this_week import this_week

NOW = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)
WALK = catalogue()["t25fw"]


def walk(value: float, days_ago: int, *trials: float) -> measures.Result:
    return measures.Result(
        "t25fw", value, TODAY - timedelta(days=days_ago), trial_values=trials or None
    )


def record(session, client_id, result):  # type: ignore[no-untyped-def]
    return measures.record_measurement(session, client_id=client_id, result=result, today=TODAY)


def codes(clinic, client_id) -> set[str]:  # type: ignore[no-untyped-def]
    with clinic.reading() as session:
        return {v.advisory.code for v in advisories_for(session, client_id=client_id, today=TODAY)}


def test_a_correction_supersedes_the_result_and_keeps_the_earlier_one(clinic) -> None:
    with clinic.transaction() as session:
        client_id = factories.client(session)
        record(session, client_id, walk(8.0, 100, 8.1, 7.9))
        typo = record(session, client_id, walk(12.4, 10, 16.7, 8.1))
        typo_id, version = typo.id, typo.version
    with clinic.transaction(user="Sam") as session:
        fixed = measures.correct_measurement(
            session,
            measurement_id=typo_id,
            result=walk(8.4, 10, 8.7, 8.1),
            reason="Typed the wrong trial",
            by="Sam",
            now=NOW,
            today=TODAY,
            expected_version=version,
        )
        fixed_id = fixed.id
    with clinic.reading() as session:
        rows = {m.id: m for m in session.scalars(select(Measurement))}
        # The database holds both: the earlier one superseded, with who, when and why.
        assert len(rows) == 3
        old, new = rows[typo_id], rows[fixed_id]
        assert old.superseded_by_id == fixed_id and not old.is_current
        assert old.corrected_by == "Sam" and old.correction_reason == "Typed the wrong trial"
        assert old.corrected_at == NOW and old.value == 12.4
        assert new.is_current and new.value == 8.4 and new.trial_values == (8.7, 8.1)
        assert new.edited_by == "Sam"
        # Charts read only current results.
        assert [
            v for _, v in measures.series(session, client_id=client_id, measure_code="t25fw")
        ] == [
            8.0,
            8.4,
        ]
        shown = measures.result_rows(load_record(session, client_id).measurements)
    (series,) = shown.values()
    current = [r for r in series if r.current]
    assert [r.value for r in current] == [8.0, 8.4]
    assert current[-1].history == (
        "corrected 21 Nov 2026 by Sam: was 12.4 s; trials were 16.7 s and 8.1 s "
        "— Typed the wrong trial",
    )
    assert current[-1].change == "+5% (+0.4 s)"
    (earlier,) = [r for r in series if not r.current]
    assert earlier.value == 12.4 and "now 8.4 s" in earlier.history[0]


def test_a_struck_result_leaves_the_chart_the_overview_and_the_advisories(clinic) -> None:
    with clinic.transaction() as session:
        client_id = factories.client(session)
        record(session, client_id, walk(8.0, 100, 8.0, 8.0))
        wrong = record(session, client_id, walk(12.0, 10, 12.0, 12.0))
        wrong_id, version = wrong.id, wrong.version
    assert guidance.MEASURE_WORSE in codes(clinic, client_id)
    with clinic.transaction() as session:
        measures.strike_out_measurement(
            session,
            measurement_id=wrong_id,
            reason="Entered for the wrong client",
            by="Sam",
            now=NOW,
            expected_version=version,
        )
    assert guidance.MEASURE_WORSE not in codes(clinic, client_id)
    with clinic.reading() as session:
        struck = session.get(Measurement, wrong_id)
        assert struck is not None and struck.struck_by == "Sam" and not struck.is_current
        assert [
            v for _, v in measures.series(session, client_id=client_id, measure_code="t25fw")
        ] == [8.0]
        client = load_record(session, client_id)
    (row,) = measures.overview(client.measurements)
    assert (row.latest, row.previous, row.direction) == ("8.0 s", "", "first result")
    history = [r for rows in measures.result_rows(client.measurements).values() for r in rows]
    (gone,) = [r for r in history if r.struck]
    assert gone.history == ("struck out 21 Nov 2026 by Sam — Entered for the wrong client",)


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_reason_is_required(clinic, reason: str) -> None:
    with clinic.transaction() as session:
        client_id = factories.client(session)
        m = record(session, client_id, walk(9.0, 3, 9.0, 9.0))
        f = falls.log_fall(
            session, client_id=client_id, today=TODAY, details=falls.FallDetails(TODAY)
        )
        ids = (m.id, m.version, f.id, f.version)
    attempts = [
        lambda s: measures.correct_measurement(
            s,
            measurement_id=ids[0],
            result=walk(9.5, 3, 9.5, 9.5),
            reason=reason,
            by="t",
            now=NOW,
            today=TODAY,
            expected_version=ids[1],
        ),
        lambda s: measures.strike_out_measurement(
            s, measurement_id=ids[0], reason=reason, by="t", now=NOW, expected_version=ids[1]
        ),
        lambda s: falls.correct_fall(
            s,
            fall_id=ids[2],
            details=falls.FallDetails(TODAY, place="Hall"),
            reason=reason,
            by="t",
            now=NOW,
            today=TODAY,
            expected_version=ids[3],
        ),
        lambda s: falls.strike_out_fall(
            s, fall_id=ids[2], reason=reason, by="t", now=NOW, expected_version=ids[3]
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as refused, clinic.transaction() as session:
            attempt(session)
        assert "reason" in refused.value.errors["reason"].lower()
    with clinic.reading() as session:
        assert all(m.is_current for m in session.scalars(select(Measurement)))
        assert all(f.is_current for f in session.scalars(select(Fall)))
        assert len(session.scalars(select(Measurement)).all()) == 1


def test_a_stale_version_is_a_conflict_and_history_cannot_be_corrected(clinic) -> None:
    with clinic.transaction() as session:
        client_id = factories.client(session)
        m = record(session, client_id, walk(9.0, 3, 9.0, 9.0))
        measurement_id, version = m.id, m.version

    def correct(expected: int, value: float) -> Measurement:
        with clinic.transaction() as session:
            return measures.correct_measurement(
                session,
                measurement_id=measurement_id,
                result=walk(value, 3, value, value),
                reason="Typo",
                by="t",
                now=NOW,
                today=TODAY,
                expected_version=expected,
            )

    with pytest.raises(Conflict):
        correct(version + 1, 9.5)
    correct(version, 9.5)
    # Someone else corrected it first: the row this screen showed is history now.
    with pytest.raises(Conflict):
        correct(version, 9.7)
    with pytest.raises(ValidationError, match="already corrected"):
        correct(version + 1, 9.7)
    with clinic.reading() as session:
        assert sorted(m.value for m in session.scalars(select(Measurement))) == [9.0, 9.5]


def test_nothing_changed_is_not_a_correction(clinic) -> None:
    with clinic.transaction() as session:
        client_id = factories.client(session)
        m = record(session, client_id, walk(9.0, 3, 9.0, 9.0))
        measurement_id, version = m.id, m.version
    with pytest.raises(ValidationError, match="Nothing was changed"), clinic.transaction() as s:
        measures.correct_measurement(
            s,
            measurement_id=measurement_id,
            result=walk(9.0, 3, 9.0, 9.0),
            reason="Checking",
            by="t",
            now=NOW,
            today=TODAY,
            expected_version=version,
        )


def test_a_fall_corrected_and_one_struck_out(clinic) -> None:
    with clinic.transaction() as session:
        client_id = factories.client(session)
        told = falls.log_fall(
            session,
            client_id=client_id,
            today=TODAY,
            details=falls.FallDetails(TODAY - timedelta(days=2), place="Kitchen"),
        )
        other = falls.log_fall(
            session,
            client_id=client_id,
            today=TODAY,
            details=falls.FallDetails(TODAY - timedelta(days=5), place="Garden"),
        )
        told_id, told_version, other_id, other_version = (
            told.id,
            told.version,
            other.id,
            other.version,
        )
    with clinic.transaction() as session:
        falls.correct_fall(
            session,
            fall_id=told_id,
            details=falls.FallDetails(TODAY - timedelta(days=40), place="Kitchen"),
            reason="Logged with the day it was reported",
            by="Sam",
            now=NOW,
            today=TODAY,
            expected_version=told_version,
        )
        falls.strike_out_fall(
            session,
            fall_id=other_id,
            reason="Not a fall: sat down on purpose",
            by="Sam",
            now=NOW,
            expected_version=other_version,
        )
    with clinic.reading() as session:
        assert len(session.scalars(select(Fall)).all()) == 3
        week = this_week(session, today=TODAY)
        # Only the corrected fall counts: 40 days ago, outside this week's 30 days.
        assert week.recent_falls == []
        assert falls.falls_per_month(session, client_id=client_id) == [(2026, 10, 1)]
        rows = falls.fall_rows(load_record(session, client_id).falls)
    current = [r for r in rows if r.current]
    assert [(r.fell_on, r.place) for r in current] == [(TODAY - timedelta(days=40), "Kitchen")]
    assert current[0].history == (
        "corrected 21 Nov 2026 by Sam: date was 19 Nov 2026 — Logged with the day it was reported",
    )
    (struck,) = [r for r in rows if r.struck]
    assert struck.place == "Garden" and "Not a fall" in struck.history[0]
    assert guidance.FALL_REVIEW in codes(clinic, client_id)


def test_a_struck_fall_raises_no_fall_review(clinic) -> None:
    with clinic.transaction() as session:
        client_id = factories.client(session)
        fall = falls.log_fall(
            session, client_id=client_id, today=TODAY, details=falls.FallDetails(TODAY)
        )
        fall_id, version = fall.id, fall.version
    assert guidance.FALL_REVIEW in codes(clinic, client_id)
    with clinic.transaction() as session:
        falls.strike_out_fall(
            session,
            fall_id=fall_id,
            reason="Wrong client",
            by="t",
            now=NOW,
            expected_version=version,
        )
    assert guidance.FALL_REVIEW not in codes(clinic, client_id)
    with clinic.reading() as session:
        assert this_week(session, today=TODAY).recent_falls == []


def test_timed_walk_trials_and_their_mean(clinic) -> None:
    assert WALK.trials == 2 and WALK.mean_of([8.43, 8.61]) == 8.5
    with clinic.transaction() as session:
        client_id = factories.client(session)
        saved = record(session, client_id, walk(8.5, 1, 8.4, 8.6))
        saved_id = saved.id
    for result, field in (
        (walk(8.5, 1, 8.4), "trials"),  # one trial of two
        (walk(9.0, 1, 8.4, 8.6), "value"),  # not their mean
        (walk(8.5, 1, 8.4, 999.0), "trial_2"),  # a trial out of range
        (measures.Result("tug", 9.0, TODAY, trial_values=(9.0, 9.0)), "trials"),  # taken once
    ):
        with pytest.raises(ValidationError) as refused, clinic.transaction() as session:
            record(session, client_id, result)
        assert field in refused.value.errors, refused.value.errors
    with clinic.reading() as session:
        m = session.get(Measurement, saved_id)
        assert m is not None and m.trial_values == (8.4, 8.6) and m.value == 8.5


def test_several_devices_are_kept_in_order(clinic) -> None:
    afo, cane = DeviceKind.ANKLE_FOOT_ORTHOSIS, DeviceKind.CANE
    with clinic.transaction() as session:
        client_id = factories.client(session)
        saved = record(
            session,
            client_id,
            measures.Result("tug", 14.2, TODAY, devices_used=(cane, afo, cane)),
        )
        saved_id = saved.id
    with clinic.reading() as session:
        m = session.get(Measurement, saved_id)
        assert m is not None and m.devices_used == (cane, afo)
        assert measures.devices_text(m.devices_used) == "Cane and ankle-foot orthosis (AFO)"
    assert measures.devices_text(()) == "None"


def test_change_in_percent_for_timed_measures_and_the_overview() -> None:
    assert WALK.format_change(10.0, 8.8) == "\u221212% (\u22121.2 s)"
    assert WALK.verdict(10.0, 8.8) == "no real change"  # inside the 20% threshold
    assert WALK.verdict(10.0, 7.9) == "better" and WALK.verdict(10.0, 12.5) == "worse"
    assert catalogue()["bbs"].format_change(40, 43) == "+3 points"
    assert catalogue()["6mwt"].format_change(300, 340) == "+40 m"  # not timed: no %

    def m(code: str, value: float, days_ago: int, side: Side = Side.NONE) -> Measurement:
        return Measurement(
            id=uuid.uuid4(),
            measure_code=code,
            value=value,
            measured_on=TODAY - timedelta(days=days_ago),
            side=side,
            region=None,
            created_at=NOW,
        )

    struck = m("t25fw", 20.0, 1)
    struck.struck_at = NOW
    rows = measures.overview(
        [
            m("t25fw", 10.0, 200),
            m("t25fw", 12.5, 20),
            struck,
            m("bbs", 40, 300),
            m("bbs", 47, 30),
            m("nhpt", 25.0, 30, Side.LEFT),
        ]
    )
    assert [(r.label, r.latest, r.change, r.direction) for r in rows] == [
        ("Berg Balance Scale", "47 points", "+7 points", "better"),
        ("Nine-Hole Peg Test (left)", "25.0 s", "", "first result"),
        ("Timed 25-Foot Walk", "12.5 s", "+25% (+2.5 s)", "worse"),
    ]


def test_export_carries_the_history_and_an_older_file_still_imports(
    clinic, sqlite_template, tmp_path: Path
) -> None:
    with clinic.transaction() as session:
        client_id = factories.client(session, "EX-1")
        wrong = record(session, client_id, walk(12.4, 10, 16.7, 8.1))
        measures.correct_measurement(
            session,
            measurement_id=wrong.id,
            result=measures.Result(
                "t25fw",
                8.4,
                TODAY - timedelta(days=10),
                devices_used=(DeviceKind.CANE, DeviceKind.ANKLE_FOOT_ORTHOSIS),
                trial_values=(8.7, 8.1),
            ),
            reason="Typed the wrong trial",
            by="Sam",
            now=NOW,
            today=TODAY,
            expected_version=wrong.version,
        )
        fall = falls.log_fall(
            session, client_id=client_id, today=TODAY, details=falls.FallDetails(TODAY)
        )
        falls.strike_out_fall(
            session, fall_id=fall.id, reason="Wrong client", by="Sam", now=NOW, expected_version=1
        )
    with clinic.reading() as session:
        document = export_client(session, client_id=client_id, now=NOW)
    entries = document["client"]["measurements"]
    assert sorted(e["value"] for e in entries) == [8.4, 12.4]
    (kept,) = [e for e in entries if e["superseded_by_id"] is None]
    assert kept["devices_used"] == ["cane", "ankle_foot_orthosis"]
    assert kept["trial_values"] == [8.7, 8.1]
    assert document["client"]["falls"][0]["struck_reason"] == "Wrong client"

    # A file from before: one `device_used`, none of the new fields.
    older = json.loads(json.dumps(document))
    older["client"]["id"] = str(uuid.uuid4())
    older["client"]["reference"] = "EX-2"
    older["client"]["falls"] = []
    for entry in older["client"]["measurements"]:
        for key in ("devices_used", "trial_values", "struck_at", "struck_by", "struck_reason"):
            del entry[key]
        for key in ("superseded_by_id", "corrected_at", "corrected_by", "correction_reason"):
            del entry[key]
        entry["id"] = str(uuid.uuid4())
        entry["device_used"] = "rollator"

    other_path = tmp_path / "other.sqlite3"
    shutil.copy(sqlite_template, other_path)
    other = open_clinic(str(other_path))
    try:
        with other.transaction() as session:
            import_client(session, json.loads(json.dumps(document)), today=TODAY)
            import_client(session, older, today=TODAY)
        with other.reading() as session:
            again = export_client(session, client_id=client_id, now=NOW)
            rows = session.scalars(
                select(Measurement).where(Measurement.client_id == uuid.UUID(older["client"]["id"]))
            ).all()
    finally:
        other.close()
    assert again == document
    assert [m.devices_used for m in rows] == [(DeviceKind.ROLLATOR,)] * 2
    assert all(m.is_current and m.trial_values is None for m in rows)


def test_a_file_naming_a_missing_correction_is_refused(clinic) -> None:
    with clinic.transaction() as session:
        client_id = factories.client(session, "EX-3")
        record(session, client_id, walk(9.0, 3, 9.0, 9.0))
    with clinic.reading() as session:
        document = export_client(session, client_id=client_id, now=NOW)
    entry = document["client"]["measurements"][0]
    entry.update(
        superseded_by_id=str(uuid.uuid4()),
        corrected_at=NOW.isoformat(),
        correction_reason="Typo",
    )
    from therapy_desk.exchange import ImportError_

    with pytest.raises(ImportError_) as refused, clinic.transaction() as session:
        import_client(session, document, replace=True, today=TODAY)
    assert "client.measurements[0].superseded_by_id" in refused.value.problems


def test_the_migration_moves_the_one_device_into_the_list(clinic) -> None:
    """Down to the schema before, a result with one device; up again: it is in the list."""
    engine = clinic.engine

    def run(step, revision: str) -> None:  # type: ignore[no-untyped-def]
        config = migrate.alembic_config(engine)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            step(config, revision)

    with clinic.transaction() as session:
        client_id = factories.client(session, "MIG-1")
    run(command.downgrade, "20261129_0004")
    try:
        key = client_id.hex if engine.dialect.name == "sqlite" else client_id
        with engine.begin() as connection:
            for device in ("cane", None):
                connection.execute(
                    text(
                        "INSERT INTO measurement (id, client_id, measure_code, value, side, "
                        "measured_on, device_used, created_at, updated_at, version) VALUES "
                        "(:id, :client, 'tug', 9.0, 'none', :on, :device, :at, :at, 1)"
                    ),
                    {
                        "id": uuid.uuid4().hex if engine.dialect.name == "sqlite" else uuid.uuid4(),
                        "client": key,
                        "on": TODAY,
                        "device": device,
                        "at": NOW.replace(tzinfo=None),
                    },
                )
    finally:
        run(command.upgrade, "head")
    with clinic.reading() as session:
        rows = session.scalars(select(Measurement)).all()
    assert sorted(len(m.devices_used) for m in rows) == [0, 1]
    assert {d for m in rows for d in m.devices_used} == {DeviceKind.CANE}
    assert all(m.is_current for m in rows)


def test_replacing_with_an_older_file_drops_a_correction_made_since(clinic) -> None:
    """The file still has the result as current: the correction made here since cannot
    stay beside it (both would count), and the import says so."""
    from therapy_desk.exchange import import_record

    with clinic.transaction() as session:
        client_id = factories.client(session, "EX-4")
        typo = record(session, client_id, walk(12.4, 10, 16.7, 8.1))
        typo_id = typo.id
    with clinic.reading() as session:  # rows are stamped by the clock: export at its time
        document = export_client(session, client_id=client_id, now=datetime.now(UTC))
    with clinic.transaction() as session:
        measures.correct_measurement(
            session,
            measurement_id=typo_id,
            result=walk(8.4, 10, 8.7, 8.1),
            reason="Typo",
            by="t",
            now=datetime.now(UTC),
            today=TODAY,
            expected_version=1,
        )
    with clinic.transaction() as session:
        result = import_record(session, document, replace=True)
    assert result.discarded["measurements"] == 1
    assert "corrected a row whose copy in the file is older" in " ".join(result.explain())
    with clinic.reading() as session:
        rows = session.scalars(select(Measurement)).all()
    assert [(m.value, m.is_current) for m in rows] == [(12.4, True)]
