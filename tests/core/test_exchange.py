"""Client record files: export → import round trip, and bad files that change nothing."""

from __future__ import annotations

import copy
import json
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Date, func, select

from tests import factories
from tests.factories import TODAY
from therapy_desk.domain import Base, Client, Programme
from therapy_desk.domain.vocabulary import Cause, DeviceKind, Region, Side, TrialSubject
from therapy_desk.exchange import ImportError_, export_client, import_client, read_record_file
from therapy_desk.exchange.layout import has_visible, record_schema
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
        expected_version=factories.version(session, Programme, programme_id),
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
        (["client", "falls", 0, "fell_on"], "2999-01-01", "client.falls[0].fell_on"),
        (["client", "next_follow_up"], "2027-06-01", None),
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
    if named is None:  # a planned date ahead of today is allowed
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
        # Free text: any character but control characters (tab and line breaks aside).
        "notes": st.none()
        | st.text(
            st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\t\n\r"),
            max_size=60,
        ),
        "onset_on": st.none() | st.dates(date(1990, 1, 1), TODAY),
    }
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    # A name as the form takes it: no control characters, something visible.
    name=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=200).filter(
        has_visible
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


# -- Hostile and implausible files: each refused with the field's path, nothing written --------


def source_document(clinic) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A full client's export, with the client then removed so the file imports afresh."""
    with clinic.transaction() as session:
        client_id = full_client(session, "SRC-1")
    document = export(clinic, client_id)
    with clinic.transaction() as session:
        session.delete(session.get(Client, client_id))
    return document


def refused(clinic, document: Any, **options: Any) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Import, expecting a refusal that names fields and leaves the database as it was."""
    before = row_counts(clinic)
    with pytest.raises(ImportError_) as raised, clinic.transaction() as session:
        import_client(session, document, today=TODAY, **options)
    assert str(raised.value).startswith("Nothing was imported.")
    assert row_counts(clinic) == before
    return raised.value.problems


def _trial_index(document: dict[str, Any], *, follower: bool) -> int:
    trials = document["client"]["trials"]
    return next(i for i, t in enumerate(trials) if (t["follows_trial_id"] is None) != follower)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (["client", "created_at"], "0001-01-01T00:00:00+05:00"),
        (["client", "updated_at"], "9999-12-31T23:00:00-05:00"),
        (["client", "findings", 0, "created_at"], "0001-01-01T00:00:00+14:00"),
        (["client", "trials", 0, "notes", 0, "updated_at"], "9999-12-31T23:59:59-12:00"),
        (["client", "falls", 0, "created_at"], "0001-01-01T00:00:00Z"),
        (["client", "measurements", 0, "updated_at"], "9999-12-31T00:00:00+00:00"),
    ],
)
def test_timestamps_at_the_ends_of_the_calendar_are_refused(clinic, path, value) -> None:
    document = source_document(clinic)
    problems = refused(clinic, _set(document, path, value))
    named = _path_text(path)
    assert named in problems, problems


def _path_text(path: list[Any]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
@pytest.mark.parametrize(
    "path",
    [
        ["client", "programmes", 0, "revisions", 0, "items", 0, "load_kg"],
        ["client", "measurements", 0, "value"],
    ],
)
def test_numbers_must_be_finite(clinic, path, value) -> None:
    problems = refused(clinic, _set(source_document(clinic), path, value))
    assert "finite" in problems[_path_text(path)], problems


def test_nan_and_infinity_in_a_file_are_refused(sqlite_clinic, tmp_path: Path) -> None:
    document = source_document(sqlite_clinic)
    text = json.dumps(document).replace('"value": 2.0', '"value": NaN')
    assert "NaN" in text
    file = tmp_path / "nan.json"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(ImportError_) as raised:
        data = read_record_file(file)
        with sqlite_clinic.transaction() as session:
            import_client(session, data, today=TODAY)
    assert any("finite" in m for m in raised.value.problems.values()), raised.value.problems


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (["client", "notes"], "Walks\u0000 well"),
        (["client", "name"], "Zo\u0000ë"),
        (["client", "trials", 0, "notes", 0, "text"], "Fine\u0000"),
        (["client", "falls", 0, "place"], "Stairs\x07"),
        (["client", "notes"], "Bell\x07 rang"),
        (["client", "notes"], "Escape \x1b[31m red"),
        (["client", "name"], "Zoë\nŁukasiewicz"),
        (["client", "reference"], "SRC-1\t"),
        (["client", "primary_therapist"], "Sam\r"),
        (["client", "notes"], "half a pair \ud800"),
        (["client", "findings", 0, "notes"], "\udfff"),
    ],
)
def test_control_characters_and_lone_surrogates_are_refused(clinic, path, value) -> None:
    problems = refused(clinic, _set(source_document(clinic), path, value))
    assert _path_text(path) in problems, problems


def test_free_text_keeps_tabs_and_line_breaks(clinic) -> None:
    document = _set(source_document(clinic), ["client", "notes"], "Line one\r\nLine\ttwo\n")
    with clinic.transaction() as session:
        import_client(session, document, today=TODAY)
    client_id = uuid.UUID(document["client"]["id"])
    assert export(clinic, client_id)["client"]["notes"] == "Line one\r\nLine\ttwo\n"


@pytest.mark.parametrize(
    "name",
    [" ", "\u200b", "\ufeff", "\u2060", "\u0301\u0308", "\u200b \u200c\u200d", "\u00a0\u3000"],
)
def test_a_name_needs_a_visible_character(sqlite_clinic, name: str) -> None:
    document = _set(source_document(sqlite_clinic), ["client", "name"], name)
    problems = refused(sqlite_clinic, document)
    assert "client.name" in problems, problems


def test_duplicate_keys_are_refused_by_name_and_place(sqlite_clinic, tmp_path: Path) -> None:
    document = source_document(sqlite_clinic)
    text = json.dumps(document)
    grade = '"strength_grade": 3'
    assert text.count(grade) == 1
    file = tmp_path / "twice.json"
    file.write_text(text.replace(grade, f'"strength_grade": 1, {grade}'), encoding="utf-8")
    with pytest.raises(ImportError_) as raised:
        read_record_file(file)
    problem = raised.value.problems.get("client.findings[0]", "")
    assert "strength_grade" in problem and "twice" in problem, raised.value.problems


TOO_EARLY = "1899-12-31"
TOMORROW = (TODAY + timedelta(days=1)).isoformat()
SIX_YEARS_ON = (TODAY + timedelta(days=6 * 366)).isoformat()


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (["client", "date_of_birth"], TOO_EARLY),
        (["client", "date_of_birth"], TOMORROW),
        (["client", "next_follow_up"], TOO_EARLY),
        (["client", "next_follow_up"], SIX_YEARS_ON),
        (["client", "findings", 0, "onset_on"], "0001-01-01"),
        (["client", "findings", 0, "onset_on"], TOMORROW),
        (["client", "findings", 0, "resolved_on"], TOMORROW),
        (["client", "measurements", 0, "measured_on"], TOMORROW),
        (["client", "measurements", 0, "measured_on"], TOO_EARLY),
        (["client", "falls", 0, "fell_on"], TOMORROW),
        (["client", "falls", 0, "fell_on"], "1000-01-01"),
        (["client", "devices", 0, "review_on"], SIX_YEARS_ON),
        (["client", "devices", 0, "history", 0, "changed_on"], TOO_EARLY),
        (["client", "trials", 0, "review_on"], "9999-12-31"),
        (["client", "trials", 0, "notes", 0, "written_on"], TOO_EARLY),
        (["client", "programmes", 0, "revisions", 0, "issued_on"], TOO_EARLY),
        (["client", "created_at"], "1899-12-31T23:00:00+00:00"),
        (["client", "updated_at"], (NOW + timedelta(days=400)).isoformat()),
    ],
)
def test_dates_must_be_plausible(sqlite_clinic, path, value) -> None:
    problems = refused(sqlite_clinic, _set(source_document(sqlite_clinic), path, value))
    assert _path_text(path) in problems, problems


def test_planned_dates_may_lie_ahead(clinic) -> None:
    document = source_document(clinic)
    document["client"]["next_follow_up"] = (TODAY + timedelta(days=4 * 365)).isoformat()
    trial = document["client"]["trials"][0]
    trial["review_on"] = (TODAY + timedelta(days=365)).isoformat()
    with clinic.transaction() as session:
        import_client(session, document, today=TODAY)


def test_every_date_column_is_a_fact_or_a_plan() -> None:
    from therapy_desk.domain.base import UTCDateTime
    from therapy_desk.exchange.layout import FACT_DATES, PLAN_DATES

    dates = {
        (t.name, c.key)
        for t in Base.metadata.sorted_tables
        for c in t.columns
        if isinstance(c.type, Date) and not isinstance(c.type, UTCDateTime)
    }
    assert FACT_DATES.isdisjoint(PLAN_DATES)
    assert dates == FACT_DATES | PLAN_DATES


def _many_findings(document: dict[str, Any], count: int) -> dict[str, Any]:
    template = document["client"]["findings"][0]
    document["client"]["findings"] = [{**template, "id": str(uuid.uuid4())} for _ in range(count)]
    return document


def test_lists_longer_than_a_real_record_are_refused_quickly(sqlite_clinic, tmp_path: Path) -> None:
    import time

    document = _many_findings(source_document(sqlite_clinic), 100_000)
    file = tmp_path / "huge.json"
    file.write_text(json.dumps(document), encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(ImportError_) as raised:
        data = read_record_file(file)
        with sqlite_clinic.transaction() as session:
            import_client(session, data, today=TODAY)
    from_file = time.perf_counter() - started
    started = time.perf_counter()
    with pytest.raises(ImportError_) as parsed, sqlite_clinic.transaction() as session:
        import_client(session, document, today=TODAY)
    from_data = time.perf_counter() - started
    print(f"100,000 findings refused: from the file {from_file:.3f} s, parsed {from_data:.3f} s")
    assert raised.value.problems and "client.findings" in parsed.value.problems
    assert from_file < 2 and from_data < 2


def test_too_many_rows_in_all_are_refused(sqlite_clinic) -> None:
    from therapy_desk.exchange.layout import MAX_ROWS, TREE

    document = source_document(sqlite_clinic)
    limits = {child.key: child.max_items for child in TREE.children}
    client = document["client"]
    client["handouts"] = [
        {
            "kind": "programme",
            "given_at": NOW.isoformat(),
            "given_by": None,
            "large_print": False,
            "content_hash": "0" * 64,
        }
    ]
    for key in ("measurements", "handouts", "falls"):
        client[key] = [{**client[key][0], "id": str(uuid.uuid4())} for _ in range(limits[key])]
    assert sum(limits[key] for key in ("measurements", "handouts", "falls")) > MAX_ROWS
    problems = refused(sqlite_clinic, document)
    assert "client" in problems and "rows" in problems["client"], problems


@pytest.mark.parametrize("loop", [1, 2, 3])
def test_a_loop_of_trials_is_refused(clinic, loop: int) -> None:
    document = source_document(clinic)
    trials = document["client"]["trials"]
    first = trials[_trial_index(document, follower=False)]
    chain = [first]
    while len(chain) < loop:
        extra = copy.deepcopy(first)
        extra["id"], extra["notes"] = str(uuid.uuid4()), []
        trials.append(extra)
        chain.append(extra)
    for earlier, later in zip(chain, chain[1:] + chain[:1], strict=True):
        later["follows_trial_id"] = earlier["id"]
    problems = refused(clinic, document)
    looped = [m for p, m in problems.items() if p.endswith(".follows_trial_id")]
    assert looped and all("loop" in m for m in looped), problems


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (["client", "measurements", 0, "value"], 10**400),
        (["client", "findings", 0, "strength_grade"], 2**70),
        (["client", "diagnosis_year"], -(2**64)),
        (["client", "programmes", 0, "revisions", 0, "number"], 2**40),
        (["client", "programmes", 0, "revisions", 0, "items", 0, "reps"], 3.0),
        (["client", "programmes", 0, "revisions", 0, "items", 0, "load_kg"], 0),
        (["client", "programmes", 0, "revisions", 0, "items", 0, "load_kg"], 10**400),
        (["client", "name"], "Z" * 201),
        (["client", "phone"], "0" * 61),
        (["client", "programmes", 0, "title"], "T" * 121),
        (["client", "programmes", 0, "title"], "\u200b"),
        (["client", "trials", 0, "what"], "W" * 501),
        (["client", "falls", 0, "place"], "P" * 201),
        (["client", "devices", 0, "size_settings"], "S" * 2001),
        (["client", "devices", 0, "status"], "returned"),
        (["client", "devices", 0, "side"], "none"),
        (["client", "devices", 0, "ended_on"], "2000-01-01"),
        (["client", "discharged_on"], "2026-01-01"),
        (["client", "trials", 0, "device_assignment_id"], None),
        (["client", "trials", 0, "reviewed_on"], "2026-11-20"),
        (["client", "trials", 0, "outcome"], "helped"),
        (["client", "trials", 0, "decision"], "stop"),
        (["client", "trials", 0, "review_on"], "2000-01-01"),
        (["client", "trials", 0, "notes", 0, "text"], " "),
        (["client", "notes"], [[[[[[["deep"]]]]]]]),
        (["client", "findings", 0], {1: "a number as a key"}),
        (["client", "findings", 0, "side"], {"value": "left"}),
    ],
)
def test_values_the_database_would_refuse_never_reach_it(clinic, path, value) -> None:
    document = source_document(clinic)
    if path[1] == "trials":
        path = [*path[:2], _trial_index(document, follower=False), *path[3:]]
    problems = refused(clinic, _set(document, path, value))
    assert any(p.startswith(_path_text(path[:3])) for p in problems), problems
    assert all("SQL" not in m and "DETAIL" not in m for m in problems.values()), problems


def test_deep_nesting_is_refused_without_recursion(sqlite_clinic) -> None:
    deep: Any = "bottom"
    for _ in range(50_000):
        deep = [deep]
    document = _set(source_document(sqlite_clinic), ["client", "notes"], deep)
    problems = refused(sqlite_clinic, document)
    assert any(p.startswith("client.notes") for p in problems), problems


def test_ids_of_another_clients_rows_are_refused(clinic) -> None:
    document = source_document(clinic)
    with clinic.transaction() as session:
        other = full_client(session, "OTHER-1")
    theirs = export(clinic, other)
    document["client"]["falls"][0]["id"] = theirs["client"]["falls"][0]["id"]
    problems = refused(clinic, document)
    assert "client.falls[0].id" in problems, problems


def test_clinic_exercises_that_clash_are_refused(clinic) -> None:
    document = source_document(clinic)
    own = {
        "code": "wall-push",
        "name": "Wall push",
        "category": "functional",
        "summary": "Push against a wall",
        "regions": ["arm"],
        "equipment": [],
        "suits": ["deconditioning"],
        "steps": ["Push"],
        "cautions": [],
        "illustration": None,
        "dose": {"reps": 10},
    }
    document["clinic_exercises"] = [own, dict(own)]
    problems = refused(clinic, document)
    assert "clinic_exercises[1].code" in problems, problems
    document["clinic_exercises"] = [{**own, "code": "sit-to-stand"}]
    problems = refused(clinic, document)
    assert "clinic_exercises[0].code" in problems, problems
    document["clinic_exercises"] = [{**own, "name": "Wall\u0000push"}]
    problems = refused(clinic, document)
    assert "clinic_exercises[0].name" in problems, problems


def test_repeated_dismissals_and_revision_numbers_are_refused(clinic) -> None:
    document = source_document(clinic)
    dismissal = {
        "code": "afo",
        "about": "region:ankle_foot",
        "dismissed_by": "t",
        "dismissed_at": NOW.isoformat(),
        "reason": "Declined",
    }
    document["client"]["dismissals"] = [
        {**dismissal, "id": str(uuid.uuid4())},
        {**dismissal, "id": str(uuid.uuid4())},
    ]
    revisions = document["client"]["programmes"][0]["revisions"]
    revisions[1]["number"] = revisions[0]["number"]
    problems = refused(clinic, document)
    assert "client.dismissals[1].about" in problems, problems
    assert "client.programmes[0].revisions[1].number" in problems, problems


def test_messages_never_echo_long_clinical_text(sqlite_clinic) -> None:
    secret = "Confidential history " * 10
    document = _set(source_document(sqlite_clinic), ["client", "phone"], secret)
    problems = refused(sqlite_clinic, document)
    assert all("Confidential" not in m for m in problems.values()), problems


def test_import_client_refuses_what_is_not_a_record(sqlite_clinic) -> None:
    for data in (None, [], "text", 3, {"format": object()}, {1: 2}):
        problems = refused(sqlite_clinic, data)
        assert problems


# -- Replacing a client with an older file keeps what was added since ---------------------------


def _add_since_export(clinic, client_id, trial_id) -> None:  # type: ignore[no-untyped-def]
    from therapy_desk.domain import AdvisoryDismissal, HandoutRecord

    with clinic.transaction() as session:
        session.add(
            AdvisoryDismissal(
                client_id=client_id,
                code="afo",
                about="region:ankle_foot",
                dismissed_by="t",
                dismissed_at=datetime.now(UTC),
                reason="Declined for now",
            )
        )
        session.add(
            HandoutRecord(
                client_id=client_id,
                kind="programme",
                given_at=datetime.now(UTC),
                given_by="t",
                content_hash="0" * 64,
            )
        )
        trials.add_trial_note(session, trial_id=trial_id, text="Later note", on=TODAY)
        measures.record_measurement(
            session,
            client_id=client_id,
            today=TODAY,
            result=measures.Result("mas", 1.0, TODAY, Side.RIGHT, Region.KNEE),
        )
        falls.log_fall(session, client_id=client_id, today=TODAY, details=falls.FallDetails(TODAY))


NEWER = {"dismissals": 1, "handouts": 1, "measurements": 1, "falls": 1}


def _counts(document: dict[str, Any]) -> dict[str, int]:
    client = document["client"]
    counts = {key: len(client[key]) for key in NEWER}
    counts["trial notes"] = sum(len(t["notes"]) for t in client["trials"])
    return counts


@pytest.mark.parametrize("discard", [False, True])
def test_replace_with_an_older_file_keeps_rows_added_since(clinic, discard: bool) -> None:
    from therapy_desk.exchange import import_record

    with clinic.transaction() as session:
        client_id = full_client(session)
    with clinic.reading() as session:
        old = export_client(session, client_id=client_id, now=datetime.now(UTC))
    trial_id = old["client"]["trials"][0]["id"]
    _add_since_export(clinic, client_id, uuid.UUID(trial_id))
    newest = export(clinic, client_id)
    with clinic.transaction() as session:
        result = import_record(session, old, replace=True, discard_newer=discard, today=TODAY)
    after = export(clinic, client_id)
    if discard:
        assert _counts(after) == _counts(old)
        assert sum(result.discarded.values()) == 5 and not result.kept
    else:
        assert _counts(after) == _counts(newest)
        assert sum(result.kept.values()) == 5 and not result.discarded
        assert result.kept["trial notes"] == 1


def test_rows_added_since_under_a_removed_parent_are_reported(clinic) -> None:
    from therapy_desk.exchange import import_record

    with clinic.transaction() as session:
        client_id = full_client(session)
    with clinic.reading() as session:
        old = export_client(session, client_id=client_id, now=datetime.now(UTC))
    first = _trial_index(old, follower=False)
    trial_id = old["client"]["trials"][first]["id"]
    _add_since_export(clinic, client_id, uuid.UUID(trial_id))
    # The file no longer has that trial (nor the one that follows it).
    old["client"]["trials"] = []
    with clinic.transaction() as session:
        result = import_record(session, old, replace=True, today=TODAY)
    assert result.discarded == {"trial notes": 1}
    assert any("trial" in line for line in result.explain())
    assert sum(result.kept.values()) == 4


def test_a_file_without_exported_at_treats_database_only_rows_as_newer(clinic) -> None:
    from therapy_desk.exchange import import_record

    with clinic.transaction() as session:
        client_id = full_client(session)
    document = export(clinic, client_id)
    del document["exported_at"]
    kept_fall = document["client"]["falls"].pop()
    with clinic.transaction() as session:
        result = import_record(session, document, replace=True, today=TODAY)
    assert result.kept == {"falls": 1}
    falls_now = export(clinic, client_id)["client"]["falls"]
    assert [f["id"] for f in falls_now] == [kept_fall["id"]]


def test_replace_deletes_rows_older_than_the_file(clinic) -> None:
    with clinic.transaction() as session:
        client_id = full_client(session)
    with clinic.reading() as session:
        document = export_client(session, client_id=client_id, now=datetime.now(UTC))
    document["client"]["falls"] = []
    with clinic.transaction() as session:
        import_client(session, document, replace=True, today=TODAY)
    assert export(clinic, client_id)["client"]["falls"] == []


def test_the_import_command_says_what_became_of_newer_rows(
    database_url: str, tmp_path: Path, capsys
) -> None:
    import io

    from therapy_desk.cli import main
    from therapy_desk.services.opening import open_clinic

    def run(*argv: str) -> tuple[int, str]:
        out = io.StringIO()
        return main(["--db", database_url, *argv], out=out), out.getvalue()

    def log_a_fall() -> None:
        clinic = open_clinic(database_url)
        try:
            with clinic.transaction() as session:
                client = session.scalar(select(Client))
                falls.log_fall(
                    session, client_id=client.id, today=TODAY, details=falls.FallDetails(TODAY)
                )
        finally:
            clinic.close()

    clinic = open_clinic(database_url)
    try:
        with clinic.transaction() as session:
            full_client(session, "CLI-1")
    finally:
        clinic.close()
    file = tmp_path / "cli-1.json"
    assert run("export", "CLI-1", "-o", str(file))[0] == 0
    log_a_fall()
    status, said = run("import", str(file), "--replace")
    assert status == 0 and "Kept 1 fall added here since the file was exported" in said
    status, said = run("import", str(file), "--replace", "--discard-newer")
    assert status == 0 and "Discarded 1 fall" in said
    assert run("import", str(file), "--discard-newer")[0] == 2
    assert "--discard-newer goes with --replace" in capsys.readouterr().err
