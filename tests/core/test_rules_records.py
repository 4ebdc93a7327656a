"""The advisory rules read from real records, and the clinic's rule settings (both backends)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests import factories
from tests.factories import TODAY
from therapy_desk import guidance as g
from therapy_desk.domain import Client, Programme, WeaknessFinding
from therapy_desk.domain.vocabulary import Cause, DeviceKind, DeviceStatus, Region, Side
from therapy_desk.services import advisories, rules
from therapy_desk.services.caseload import CaseloadFilter, list_caseload
from therapy_desk.services.clients import ClientDetails, update_client
from therapy_desk.services.devices import assign_device
from therapy_desk.services.errors import Conflict, ValidationError
from therapy_desk.services.findings import FindingDetails, update_finding
from therapy_desk.services.measures import Result, record_measurement
from therapy_desk.services.programmes import ItemSpec, revise_programme
from therapy_desk.services.record_view import read_record

NOW = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)


def codes(session, client_id) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        v.advisory.code
        for v in advisories.advisories_for(session, client_id=client_id, today=TODAY)
    ]


def counted(session, client_id) -> int:  # type: ignore[no-untyped-def]
    return advisories.open_advisory_counts(session, None, today=TODAY).get(client_id, 0)


def test_progression_due_reads_the_programme_revisions(clinic) -> None:
    with clinic.transaction() as session:
        client_id = factories.client(session, ot_involved=True)
        factories.finding(session, client_id, Region.KNEE, Cause.DECONDITIONING)
        programme_id = factories.programme(
            session, client_id, factories.weighted_knee(), days_ago=120
        )
    with clinic.transaction() as session:
        # a revision that keeps the knee dose and adds a stretch: still unchanged since day 120
        revise_programme(
            session,
            programme_id=programme_id,
            items=[
                factories.weighted_knee(),
                ItemSpec("hamstring-stretch", sets=1, hold_seconds=30, side=Side.BOTH),
            ],
            on=TODAY - timedelta(days=30),
            by="tester",
            expected_version=factories.version(session, Programme, programme_id),
        )
    with clinic.reading() as session:
        found = advisories.advisories_for(session, client_id=client_id, today=TODAY)
        (due,) = [v.advisory for v in found if v.advisory.code == g.PROGRESSION_DUE]
        assert "17 weeks" in due.reason and "1.5 kg" in due.reason
        assert counted(session, client_id) == len(found)
    with clinic.transaction() as session:
        revise_programme(
            session,
            programme_id=programme_id,
            items=[factories.weighted_knee(load=2.0)],
            on=TODAY - timedelta(days=10),
            by="tester",
            expected_version=factories.version(session, Programme, programme_id),
        )
    with clinic.reading() as session:
        assert g.PROGRESSION_DUE not in codes(session, client_id)
        assert counted(session, client_id) == len(codes(session, client_id))


def test_new_rules_read_devices_measures_and_flags(clinic) -> None:
    with clinic.transaction() as session:
        client_id = factories.client(session, heat_sensitive=True, ot_involved=True)
        assign_device(
            session,
            client_id=client_id,
            kind=DeviceKind.WRIST_HAND_SPLINT,
            side=Side.LEFT,
            started_on=TODAY - timedelta(days=90),
            status=DeviceStatus.IN_USE,
            review_on=TODAY - timedelta(days=4),
        )
        for value, days in ((420.0, 200), (386.0, 5)):
            record_measurement(
                session,
                client_id=client_id,
                result=Result("6mwt", value, TODAY - timedelta(days=days)),
                today=TODAY,
            )
        record_measurement(
            session,
            client_id=client_id,
            result=Result("bbs", 35.0, TODAY - timedelta(days=5)),
            today=TODAY,
        )
        record_measurement(
            session,
            client_id=client_id,
            result=Result("mas", 3.0, TODAY - timedelta(days=5), Side.RIGHT, Region.ARM),
            today=TODAY,
        )
        factories.programme(
            session, client_id, ItemSpec("recumbent-bike", duration_minutes=15, side=Side.BOTH)
        )
    with clinic.reading() as session:
        found = codes(session, client_id)
        assert {
            g.DEVICE_REVIEW_OVERDUE,
            g.MEASURE_WORSE,
            g.FALL_RISK_WITHOUT_FALL,
            g.SPASTICITY_NO_STRETCH,
            g.HEAT_SENSITIVITY,
        } <= set(found)
        assert counted(session, client_id) == len(found)


def test_finding_flags_change_the_foot_drop_and_relapse_advisories(clinic) -> None:
    with clinic.transaction() as session:
        client_id = factories.client(session, ot_involved=True)
        finding_id = factories.finding(
            session,
            client_id,
            Region.ANKLE_FOOT,
            Cause.DECONDITIONING,
            during_relapse=True,
            onset_on=TODAY - timedelta(days=20),
        )
    with clinic.reading() as session:
        found = codes(session, client_id)
        assert g.FOOT_DROP_ORTHOSIS not in found and g.RELAPSE_INTENSITY in found
    with clinic.transaction() as session:
        update_finding(
            session,
            finding_id=finding_id,
            details=FindingDetails(
                Region.ANKLE_FOOT,
                Side.LEFT,
                Cause.DECONDITIONING,
                during_relapse=True,
                onset_on=TODAY - timedelta(days=20),
                foot_drop=True,
                relapse_over_on=TODAY - timedelta(days=2),
            ),
            today=TODAY,
            expected_version=factories.version(session, WeaknessFinding, finding_id),
        )
    with clinic.reading() as session:
        found = codes(session, client_id)
        assert g.FOOT_DROP_ORTHOSIS in found and g.RELAPSE_INTENSITY not in found
        assert counted(session, client_id) == len(found)


@pytest.mark.parametrize(
    ("relapse", "over_days_ago", "message"),
    [
        (False, 2, "only for weakness recorded during a relapse"),
        (True, -3, "cannot be in the future"),
        (True, 30, "before the onset"),
    ],
)
def test_relapse_over_is_checked_at_its_field(sqlite_clinic, relapse, over_days_ago, message):
    details = FindingDetails(
        Region.KNEE,
        Side.LEFT,
        during_relapse=relapse,
        onset_on=TODAY - timedelta(days=20),
        relapse_over_on=TODAY - timedelta(days=over_days_ago),
    )
    with pytest.raises(ValidationError) as caught, sqlite_clinic.transaction() as session:
        client_id = factories.client(session)
        factories.finding(
            session,
            client_id,
            **{
                k: getattr(details, k)
                for k in (
                    "region",
                    "cause",
                    "side",
                    "during_relapse",
                    "onset_on",
                    "relapse_over_on",
                )
            },
        )
    assert message in caught.value.errors["relapse_over_on"]


def test_client_flags_are_saved(sqlite_clinic) -> None:
    with sqlite_clinic.transaction() as session:
        client_id = factories.client(session)
        update_client(
            session,
            client_id=client_id,
            details=ClientDetails("C-1", "Zoë Łukasiewicz", heat_sensitive=True, ot_involved=True),
            today=TODAY,
            expected_version=factories.version(session, Client, client_id),
        )
    with sqlite_clinic.reading() as session:
        client = session.get(Client, client_id)
        assert client is not None and client.heat_sensitive and client.ot_involved


def test_a_rule_turned_off_raises_and_counts_nothing_and_says_who(clinic) -> None:
    with clinic.transaction() as session:
        client_id = factories.client(session)
        factories.finding(session, client_id, Region.ANKLE_FOOT, Cause.NERVE_DAMAGE)
    with clinic.reading() as session:
        assert g.FOOT_DROP_ORTHOSIS in codes(session, client_id)
        before = counted(session, client_id)
        settings = rules.rule_settings(session)
        assert settings.version == 0 and settings.off == frozenset()
    with clinic.transaction() as session:
        settings = rules.set_rule(
            session,
            code=g.FOOT_DROP_ORTHOSIS,
            on=False,
            by="Ana Ruiz",
            now=NOW,
            expected_version=0,
        )
    assert settings.off == {g.FOOT_DROP_ORTHOSIS}
    (rule,) = [r for r in settings.rules if r.code == g.FOOT_DROP_ORTHOSIS]
    assert rule.changed_by == "Ana Ruiz" and rule.changed_at == NOW
    with clinic.reading() as session:
        assert g.FOOT_DROP_ORTHOSIS not in codes(session, client_id)
        assert counted(session, client_id) == before - 1
        record = read_record(session, client_id=client_id, today=TODAY)
        assert record.rules_off == (g.TITLES[g.FOOT_DROP_ORTHOSIS],)
        (row,) = [r for r in list_caseload(session, filters=CaseloadFilter(), today=TODAY)]
        assert row.advisories == before - 1
    # a stale version is a conflict, not a silent overwrite
    with pytest.raises(Conflict), clinic.transaction() as session:
        rules.set_rule(session, code=g.FALL_REVIEW, on=False, by="Ben", now=NOW, expected_version=0)
    with clinic.transaction() as session:
        version = rules.rule_settings(session).version
        rules.set_rule(
            session,
            code=g.FOOT_DROP_ORTHOSIS,
            on=True,
            by="Ben",
            now=NOW,
            expected_version=version,
        )
    with clinic.reading() as session:
        assert g.FOOT_DROP_ORTHOSIS in codes(session, client_id)
        assert rules.rule_settings(session).off == frozenset()


def test_unknown_rule_is_refused(sqlite_clinic) -> None:
    with pytest.raises(ValidationError), sqlite_clinic.transaction() as session:
        rules.set_rule(session, code="no-such-rule", on=False, by="x", now=NOW, expected_version=0)
