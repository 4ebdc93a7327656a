"""Client record files: export → import round trip, and bad files that change nothing."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests import factories
from tests.factories import TODAY
from therapy_desk.domain import Base, Client
from therapy_desk.domain.vocabulary import Cause, DeviceKind, Region, Side, TrialSubject
from therapy_desk.exchange import ImportError_, export_client, import_client, read_record_file
from therapy_desk.exchange.layout import record_schema
from therapy_desk.resources import resource
from therapy_desk.services import devices, falls, measures, programmes, trials
from therapy_desk.services.findings import FindingDetails, add_finding

NOW = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)


def full_client(session, reference: str = "X-1") -> Any:  # type: ignore[no-untyped-def]
    client_id = factories.client(session, reference, "Zoë Łukasiewicz", email="zoe@example.org")
    factories.finding(session, client_id, Region.KNEE, Cause.NERVE_DAMAGE, strength_grade=3)
    programme_id = factories.programme(session, client_id, factories.weighted_knee())
    revision = programmes.revise_programme(
        session,
        programme_id=programme_id,
        on=TODAY,
        by="t",
        items=[programmes.ItemSpec("sit-to-stand", sets=2, reps=8)],
    )
    afo = devices.assign_device(
        session,
        client_id=client_id,
        kind=DeviceKind.ANKLE_FOOT_ORTHOSIS,
        side=Side.LEFT,
        started_on=TODAY - timedelta(days=9),
        training_given="Skin checks taught",
    )
    trial = trials.open_trial(
        session,
        client_id=client_id,
        subject=TrialSubject.DEVICE,
        what="AFO",
        device_assignment_id=afo.id,
        started_on=TODAY - timedelta(days=9),
        review_on=TODAY,
    )
    trials.open_trial(
        session,
        client_id=client_id,
        subject=TrialSubject.PROGRAMME_REVISION,
        what="New programme",
        programme_revision_id=revision.id,
        follows_trial_id=trial.id,
        started_on=TODAY,
        review_on=TODAY + timedelta(days=28),
    )
    trials.add_trial_note(session, trial_id=trial.id, text="Fine so far", on=TODAY)
    measures.record_measurement(
        session,
        client_id=client_id,
        today=TODAY,
        result=measures.Result("mas", 2.0, TODAY, Side.LEFT, Region.KNEE),
    )
    falls.log_fall(
        session,
        client_id=client_id,
        today=TODAY,
        details=falls.FallDetails(TODAY - timedelta(days=3), place="Stairs", injury="Bruise"),
    )
    return client_id


def row_counts(clinic) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with clinic.reading() as session:
        return {
            t.name: session.scalar(select(func.count()).select_from(t))
            for t in Base.metadata.sorted_tables
        }


def export(clinic, client_id) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    with clinic.reading() as session:
        return export_client(session, client_id=client_id, now=NOW)


def test_published_schema_file_matches_the_code() -> None:
    published = json.loads(
        resource("schema", "client-record.v1.schema.json").read_text(encoding="utf-8")
    )
    assert published == record_schema()


def test_round_trip_into_another_database(clinic, sqlite_template, tmp_path: Path) -> None:
    with clinic.transaction() as session:
        client_id = full_client(session)
    document = export(clinic, client_id)
    import shutil

    from therapy_desk.services.opening import open_clinic

    other_path = tmp_path / "other.sqlite3"
    shutil.copy(sqlite_template, other_path)
    other = open_clinic(str(other_path))
    try:
        with other.transaction() as session:
            import_client(session, json.loads(json.dumps(document)), today=TODAY)
        again = export(other, client_id)
    finally:
        other.close()
    assert again == document


def test_import_over_an_existing_client_needs_replace(clinic) -> None:
    with clinic.transaction() as session:
        client_id = full_client(session)
    document = export(clinic, client_id)
    before = row_counts(clinic)
    with pytest.raises(ImportError_, match="--replace"), clinic.transaction() as session:
        import_client(session, document, today=TODAY)
    assert row_counts(clinic) == before
    document["client"]["phone"] = "01632 960999"
    with clinic.transaction() as session:
        import_client(session, document, replace=True, today=TODAY)
    assert row_counts(clinic) == before
    assert export(clinic, client_id)["client"]["phone"] == "01632 960999"


def _set(document: dict[str, Any], path: list[Any], value: Any) -> dict[str, Any]:
    broken = copy.deepcopy(document)
    target = broken
    for part in path[:-1]:
        target = target[part]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return broken


@pytest.mark.parametrize(
    ("path", "value", "named"),
    [
        (["client", "findings", 0, "strength_grade"], 7, "client.findings[0].strength_grade"),
        (["client", "findings", 0, "region"], "elbow", "client.findings[0].region"),
        (["client", "name"], KeyError, "client"),
        (["client", "id"], "not-a-uuid", "client.id"),
        (["client", "date_of_birth"], "1979-02-30", "client.date_of_birth"),
        (["client", "nickname"], "Zo", "client"),
        (["format_version"], 99, "format_version"),
        (
            ["client", "programmes", 0, "revisions", 0, "items", 0, "exercise_code"],
            "moonwalk",
            "client.programmes[0].revisions[0].items[0].exercise_code",
        ),
        (
            ["client", "trials", 0, "device_assignment_id"],
            "00000000-0000-4000-8000-000000000000",
            "client.trials[0].device_assignment_id",
        ),
        (["client", "measurements", 0, "value"], 9.0, "client.measurements[0].value"),
        (["client", "falls", 0, "fell_on"], "2999-01-01", None),
    ],
)
def test_bad_file_changes_nothing_and_names_the_field(clinic, path, value, named) -> None:
    with clinic.transaction() as session:
        client_id = full_client(session, "SRC-1")
    document = export(clinic, client_id)
    with clinic.transaction() as session:
        session.delete(session.get(Client, client_id))
    before = row_counts(clinic)
    broken = _set(document, path, value)
    if named is None:  # a plan-like future date in an old record is allowed
        with clinic.transaction() as session:
            import_client(session, broken, today=TODAY)
        return
    with pytest.raises(ImportError_) as raised, clinic.transaction() as session:
        import_client(session, broken, today=TODAY)
    assert named in raised.value.problems, raised.value.problems
    assert str(raised.value).startswith("Nothing was imported.")
    assert row_counts(clinic) == before


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b'{"format": "therapy-desk/client-record", "client": {',
        b"\xff\xfe\x00",
        b"[" * 100_000,
        b'"just text"',
        b"null",
    ],
)
def test_truncated_or_hostile_files_are_refused(
    sqlite_clinic, tmp_path: Path, content: bytes
) -> None:
    file = tmp_path / "bad.json"
    file.write_bytes(content)
    before = row_counts(sqlite_clinic)
    with pytest.raises(ImportError_) as raised:
        data = read_record_file(file)
        with sqlite_clinic.transaction() as session:
            import_client(session, data, today=TODAY)
    assert raised.value.problems
    assert row_counts(sqlite_clinic) == before


def test_trials_may_come_in_any_order(clinic) -> None:
    with clinic.transaction() as session:
        client_id = full_client(session)
    document = export(clinic, client_id)
    document["client"]["trials"].reverse()
    with clinic.transaction() as session:
        session.delete(session.get(Client, client_id))
    with clinic.transaction() as session:
        imported = import_client(session, document, today=TODAY)
        follower = next(t for t in imported.trials if t.follows_trial_id)
        assert follower.follows is not None and follower.follows.what == "AFO"


def test_duplicate_ids_inside_a_file_are_refused(sqlite_clinic) -> None:
    with sqlite_clinic.transaction() as session:
        client_id = full_client(session)
    document = export(sqlite_clinic, client_id)
    with sqlite_clinic.transaction() as session:
        session.delete(session.get(Client, client_id))
    document["client"]["falls"].append(dict(document["client"]["falls"][0]))
    with (
        pytest.raises(ImportError_, match="repeats the id"),
        sqlite_clinic.transaction() as session,
    ):
        import_client(session, document, today=TODAY)


finding_strategy = st.fixed_dictionaries(
    {
        "region": st.sampled_from(Region),
        "side": st.sampled_from(Side),
        "cause": st.sampled_from(Cause),
        "strength_grade": st.none() | st.integers(0, 5),
        "fatigue_linked": st.booleans(),
        "notes": st.none() | st.text(max_size=60),
        "onset_on": st.none() | st.dates(date(1990, 1, 1), TODAY),
    }
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=200).filter(
        str.strip
    ),
    findings=st.lists(finding_strategy, max_size=5),
)
def test_round_trip_property(sqlite_clinic, name: str, findings: list[dict[str, Any]]) -> None:
    with sqlite_clinic.transaction() as session:
        for existing in session.scalars(select(Client)):
            session.delete(existing)
        client_id = factories.client(session, "P-1", name)
        for f in findings:
            add_finding(session, client_id=client_id, details=FindingDetails(**f), today=TODAY)
    document = export(sqlite_clinic, client_id)
    with sqlite_clinic.transaction() as session:
        import_client(session, json.loads(json.dumps(document)), replace=True, today=TODAY)
    assert export(sqlite_clinic, client_id) == document


def _mutations() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**12), 10**12),
        st.floats(allow_nan=False),
        st.text(max_size=20),
        st.lists(st.integers(), max_size=2),
        st.just(KeyError),
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_mutation_imports_whole_or_not_at_all(sqlite_clinic, data: st.DataObject) -> None:
    with sqlite_clinic.transaction() as session:
        for existing in session.scalars(select(Client)):
            session.delete(existing)
        client_id = full_client(session, "M-1")
    document = export(sqlite_clinic, client_id)
    with sqlite_clinic.transaction() as session:
        session.delete(session.get(Client, client_id))
    # Walk to a random field and put something random there.
    path: list[Any] = []
    node: Any = document
    while isinstance(node, dict | list) and node:
        key = data.draw(
            st.sampled_from(list(node) if isinstance(node, dict) else list(range(len(node))))
        )
        path.append(key)
        node = node[key]
        if not data.draw(st.booleans()):
            break
    broken = _set(document, path, data.draw(_mutations()))
    before = row_counts(sqlite_clinic)
    try:
        with sqlite_clinic.transaction() as session:
            import_client(session, broken, today=TODAY)
    except ImportError_ as refused:
        assert refused.problems
        assert row_counts(sqlite_clinic) == before
    else:
        assert row_counts(sqlite_clinic) != before
