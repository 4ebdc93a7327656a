"""Handouts read back from the PDF: what the client sees, in both prints, at the edges."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image
from sqlalchemy.orm import Session

from tests import factories as f
from tests.handouts.reading import HandoutReader
from therapy_desk.db.database import Database
from therapy_desk.domain.vocabulary import (
    Band,
    ClientStatus,
    DeviceKind,
    DeviceStatus,
    HandoutKind,
    Side,
    TrialSubject,
)
from therapy_desk.handouts.build import (
    BatchCancelled,
    Packet,
    build_batch,
    build_handout,
)
from therapy_desk.handouts.snapshot import HandoutSnapshot, HandoutUnavailable, content_hash
from therapy_desk.handouts.styles import LARGE_PRINT_MIN_PT
from therapy_desk.library.catalogue import device_guides, exercises
from therapy_desk.services.clients import ClientDetails, update_client
from therapy_desk.services.clinic import ClinicDetails, save_clinic_details
from therapy_desk.services.devices import assign_device, change_device_status
from therapy_desk.services.handouts import (
    NO_CLINIC,
    handout_snapshot,
    handout_snapshots,
    record_handouts_given,
)
from therapy_desk.services.programmes import ItemSpec
from therapy_desk.services.record_view import read_record
from therapy_desk.services.this_week import follow_ups_due
from therapy_desk.services.trials import open_trial

CLINIC = ClinicDetails(
    name="Ríverside Neuro Thérapie", address="12 Mill Lane\nRiverside", phone="01632 960 123"
)
PROGRAMME = (
    f.weighted_knee(),
    ItemSpec("calf-stretch", sets=3, hold_seconds=30, days_per_week=7, cue="Heel stays down"),
    ItemSpec("recumbent-bike", duration_minutes=12, days_per_week=3),
    ItemSpec("standing-hip-abduction-band", sets=2, reps=12, band=Band.LIGHT, side=Side.RIGHT),
    ItemSpec("chin-tucks", sets=1, reps=10, hold_seconds=5, days_per_week=7),
)
#: What each item's dose must read as on its card.
DOSES = (
    (f.WEIGHTED_KNEE, ["2 sets of 10", "1.5 kg", "left side only"]),
    ("calf-stretch", ["Hold for 30 seconds, 3 times", "every day"]),
    ("recumbent-bike", ["12 minutes", "3 days a week"]),
    ("standing-hip-abduction-band", ["2 sets of 12", "light band", "right side only"]),
    ("chin-tucks", ["10 times, hold each for 5 seconds"]),
)


def _names() -> dict[str, str]:
    return {e.code: e.name for e in exercises()}


def _full_client(
    session: Session, name: str = "Zoë Łukasiewicz", reference: str = "C-1"
) -> uuid.UUID:
    cid = f.client(session, reference=reference, name=name, primary_therapist="Alex Moreno (PT)")
    f.programme(session, cid, *PROGRAMME)
    afo = assign_device(
        session,
        client_id=cid,
        kind=DeviceKind.ANKLE_FOOT_ORTHOSIS,
        side=Side.LEFT,
        started_on=f.TODAY - timedelta(days=20),
        status=DeviceStatus.ISSUED,
        review_on=f.TODAY + timedelta(days=40),
        size_settings="Medium, left, worn with trainers",
        training_given="Putting it on seated; skin check after walks",
    )
    cane = assign_device(
        session,
        client_id=cid,
        kind=DeviceKind.CANE,
        side=Side.RIGHT,
        started_on=f.TODAY - timedelta(days=200),
        status=DeviceStatus.IN_USE,
    )
    change_device_status(
        session,
        assignment_id=cane.id,
        status=DeviceStatus.RETURNED,
        on=f.TODAY - timedelta(days=5),
        expected_version=cane.version,
    )
    open_trial(
        session,
        client_id=cid,
        subject=TrialSubject.DEVICE,
        device_assignment_id=afo.id,
        what="Ankle-foot orthosis for foot drop",
        why="The left foot catches on the kerb",
        success_looks_like="No trips on the walk to the shop",
        started_on=f.TODAY - timedelta(days=20),
        review_on=f.TODAY + timedelta(days=10),
    )
    return cid


@pytest.fixture
def snapshot(sqlite_clinic: Database) -> HandoutSnapshot:
    with sqlite_clinic.transaction() as session:
        save_clinic_details(session, details=CLINIC)
        cid = _full_client(session)
    with sqlite_clinic.reading() as session:
        return handout_snapshot(session, client_id=cid, today=f.TODAY)


def _replace(snapshot: HandoutSnapshot, **changes: object) -> HandoutSnapshot:
    from dataclasses import replace

    return replace(snapshot, **changes)  # type: ignore[arg-type]


# --- what the client reads ---------------------------------------------------------------


@pytest.mark.parametrize("large", [False, True], ids=["standard", "large-print"])
def test_programme_names_the_client_clinic_every_exercise_and_its_dose(
    snapshot: HandoutSnapshot, large: bool
) -> None:
    pdf = build_handout(snapshot, [HandoutKind.PROGRAMME], large_print=large)
    reader = HandoutReader(pdf.pdf)
    text = reader.text
    assert "Zoë Łukasiewicz" in text
    assert "Ríverside Neuro Thérapie" in text and "01632 960 123" in text
    assert "Alex Moreno (PT)" in text
    for code, doses in DOSES:
        name = _names()[code]
        assert name in text
        for dose in doses:
            assert dose in text, f"{name}: '{dose}' missing"
    assert "Heel stays down" in text  # the therapist's personal cue
    assert "Stop and rest if…" in text
    assert "Pacing your exercises" in text
    assert "Your four-week tick sheet" in text
    pages = len(reader.pages)
    assert pdf.pages == pages
    assert f"Page 1 of {pages}" in reader.page_texts[0]
    assert f"Page {pages} of {pages}" in reader.page_texts[-1]


@pytest.mark.parametrize("large", [False, True], ids=["standard", "large-print"])
def test_one_drawing_per_exercise(snapshot: HandoutSnapshot, large: bool) -> None:
    pdf = build_handout(snapshot, [HandoutKind.PROGRAMME], large_print=large)
    per_page = HandoutReader(pdf.pdf).drawings_per_page()
    placed = [name for page in per_page for name in page]
    codes = [item.exercise_code for item in PROGRAMME]
    assert len(placed) == len(PROGRAMME)
    for code, name in zip(codes, placed, strict=True):
        assert name.startswith(f"drawing-{code}-")
    if large:  # one exercise per page
        assert all(len(page) <= 1 for page in per_page)


def test_large_print_has_no_text_under_18_pt_anywhere(snapshot: HandoutSnapshot) -> None:
    pdf = build_handout(snapshot, list(HandoutKind), large_print=True)
    runs = HandoutReader(pdf.pdf).runs()
    assert len(runs) > 300
    small = [(r.page, r.text, r.size) for r in runs if r.size < LARGE_PRINT_MIN_PT - 0.01]
    assert small == []


def test_standard_print_is_smaller_than_large(snapshot: HandoutSnapshot) -> None:
    standard = build_handout(snapshot, [HandoutKind.PROGRAMME], large_print=False)
    large = build_handout(snapshot, [HandoutKind.PROGRAMME], large_print=True)
    assert min(r.size for r in HandoutReader(standard.pdf).runs()) < LARGE_PRINT_MIN_PT
    assert large.pages > standard.pages


def test_device_guide_covers_each_device_held_and_not_the_returned_one(
    snapshot: HandoutSnapshot,
) -> None:
    pdf = build_handout(snapshot, [HandoutKind.DEVICES], large_print=False)
    text = HandoutReader(pdf.pdf).text
    afo = device_guides()[DeviceKind.ANKLE_FOOT_ORTHOSIS]
    cane = device_guides()[DeviceKind.CANE]
    assert f"{afo.name} (left side)" in text
    assert cane.name not in text  # returned five days ago
    assert "Medium, left, worn with trainers" in text
    assert "Putting it on seated" in text
    for heading in ("How to use it", "Getting the fit right", "Looking after it", "Stay safe"):
        assert heading in text
    assert " ".join(afo.safety[0].split()) in text


def test_home_safety_is_a_checklist_and_energy_covers_heat_and_pacing(
    snapshot: HandoutSnapshot,
) -> None:
    safety = HandoutReader(
        build_handout(snapshot, [HandoutKind.HOME_SAFETY], large_print=False).pdf
    ).text
    assert "Home safety and falls checklist" in safety
    assert safety.count("☐") >= 30
    assert "If you do fall" in safety
    energy = HandoutReader(
        build_handout(snapshot, [HandoutKind.ENERGY], large_print=False).pdf
    ).text
    for heading in (
        "Pacing yourself",
        "Your sleep routine",
        "Staying cool",
        "Drinking enough",
        "Caffeine and alcohol",
        "Staying connected",
    ):
        assert heading in energy


def test_follow_up_plan_says_what_is_tried_how_judged_when_reviewed_and_whom_to_call(
    snapshot: HandoutSnapshot,
) -> None:
    text = HandoutReader(
        build_handout(snapshot, [HandoutKind.FOLLOW_UP], large_print=False).pdf
    ).text
    assert "Ankle-foot orthosis for foot drop" in text
    assert "No trips on the walk to the shop" in text
    assert "1 December 2026" in text  # review date: today + 10 days
    assert "Whom to call" in text and "01632 960 123" in text
    assert "Not booked yet" in text  # the test client has no follow-up booked


def test_names_in_any_script_print_with_the_embedded_font(snapshot: HandoutSnapshot) -> None:
    for name in ("Nguyễn Thị Hà", "Zoë Łukasiewicz", "Ιωάννης Παπαδόπουλος", "Ольга Петрова"):
        pdf = build_handout(
            _replace(snapshot, client_name=name), [HandoutKind.FOLLOW_UP], large_print=False
        )
        reader = HandoutReader(pdf.pdf)
        assert name in reader.text
        assert all("DejaVuSans" in font or font == "/Helvetica" for font in reader.fonts())


def _ten_cards(snapshot: HandoutSnapshot) -> HandoutSnapshot:
    """The fixture's five exercises twice over, numbered 1 to 10."""
    assert snapshot.programme is not None
    cards = snapshot.programme.cards
    ten = tuple(_replace(card, number=number) for number, card in enumerate(cards + cards, start=1))
    return _replace(snapshot, programme=_replace(snapshot.programme, cards=ten))


def _tick_pages(reader: HandoutReader) -> list[str]:
    first = next(n for n, t in enumerate(reader.page_texts) if "four-week tick sheet" in t)
    return reader.page_texts[first:]


def test_tick_sheet_says_once_a_week_as_1_day(snapshot: HandoutSnapshot) -> None:
    assert snapshot.programme is not None
    cards = list(snapshot.programme.cards)
    cards[2] = _replace(cards[2], days_per_week=1)
    once = _replace(snapshot, programme=_replace(snapshot.programme, cards=tuple(cards)))
    reader = HandoutReader(build_handout(once, [HandoutKind.PROGRAMME], large_print=False).pdf)
    ticks = " ".join(_tick_pages(reader))
    assert f"3. {cards[2].name}: 1 day a week" in ticks
    assert "1 days" not in reader.text
    assert f"2. {cards[1].name}: every day" in ticks
    assert f"4. {cards[3].name}: 3 days a week" in ticks


def test_large_print_tick_sheet_keeps_each_week_whole_on_a_page(
    snapshot: HandoutSnapshot,
) -> None:
    ten = _ten_cards(snapshot)
    assert ten.programme is not None
    reader = HandoutReader(build_handout(ten, [HandoutKind.PROGRAMME], large_print=True).pdf)
    pages = _tick_pages(reader)
    # The title never stands alone: it follows the pacing advice or leads week 1.
    assert "Pacing your exercises" in pages[0] or "Week 1" in pages[0]
    week_pages = [page for page in pages if "Mo Tu We Th Fr Sa Su" in page]
    for week in range(1, 5):
        holding = [page for page in week_pages if f"Week {week} " in page]
        # One page per week, and on it every one of the ten exercises.
        assert len(holding) == 1, (week, len(holding))
        for card in ten.programme.cards:
            assert f"{card.number}. {card.name}:" in holding[0]
    assert len(pages) <= 5


def test_programme_without_the_exercise_safety_leaflet_is_unavailable(
    snapshot: HandoutSnapshot,
) -> None:
    leaflets = {k: v for k, v in snapshot.leaflets.items() if k != "exercise_safety"}
    bare = _replace(snapshot, leaflets=leaflets)
    with pytest.raises(HandoutUnavailable, match="'exercise_safety' leaflet is missing"):
        build_handout(bare, [HandoutKind.PROGRAMME], large_print=False)
    # The rest of a packet still prints, and says why the programme was left out.
    pdf = build_handout(bare, [HandoutKind.PROGRAMME, HandoutKind.FOLLOW_UP], large_print=False)
    (packet,) = pdf.packets
    assert [kind for kind, _ in packet.given] == [HandoutKind.FOLLOW_UP]
    assert "exercise_safety" in packet.skipped[HandoutKind.PROGRAMME]
    # A leaflet whose sections cannot be told apart is refused the same way.
    safety = snapshot.leaflets["exercise_safety"]
    one = _replace(safety, sections=safety.sections[:1])
    shrunk = _replace(snapshot, leaflets={**snapshot.leaflets, "exercise_safety": one})
    with pytest.raises(HandoutUnavailable, match="exactly two sections"):
        build_handout(shrunk, [HandoutKind.PROGRAMME], large_print=True)
    follow_up = {k: v for k, v in snapshot.leaflets.items() if k != "follow_up"}
    with pytest.raises(HandoutUnavailable, match="'follow_up' leaflet is missing"):
        build_handout(
            _replace(snapshot, leaflets=follow_up), [HandoutKind.FOLLOW_UP], large_print=False
        )


# --- edges: nothing to print, a lot to print, a very long name -----------------------------


def test_no_programme_or_no_devices_gives_a_clear_message(snapshot: HandoutSnapshot) -> None:
    bare = _replace(snapshot, programme=None, devices=())
    with pytest.raises(HandoutUnavailable, match="no current home exercise programme"):
        build_handout(bare, [HandoutKind.PROGRAMME], large_print=False)
    with pytest.raises(HandoutUnavailable, match="No device is on trial, issued or in use"):
        build_handout(bare, [HandoutKind.DEVICES], large_print=False)
    with pytest.raises(HandoutUnavailable, match="Choose at least one"):
        build_handout(bare, [], large_print=False)
    # Asking for several prints what applies and says why the rest was left out.
    pdf = build_handout(bare, [HandoutKind.PROGRAMME, HandoutKind.FOLLOW_UP], large_print=False)
    (packet,) = pdf.packets
    assert [kind for kind, _ in packet.given] == [HandoutKind.FOLLOW_UP]
    assert "Programme tab" in packet.skipped[HandoutKind.PROGRAMME]
    assert "Your follow-up plan" in HandoutReader(pdf.pdf).text


@pytest.mark.parametrize("large", [False, True], ids=["standard", "large-print"])
def test_a_thirty_exercise_programme_prints_every_card_and_tick_row(
    sqlite_clinic: Database, large: bool
) -> None:
    codes = [e.code for e in exercises() if e.illustration][:30]
    with sqlite_clinic.transaction() as session:
        save_clinic_details(session, details=CLINIC)
        cid = f.client(session)
        f.programme(session, cid, *(ItemSpec(code, sets=2, reps=10) for code in codes))
    with sqlite_clinic.reading() as session:
        snap = handout_snapshot(session, client_id=cid, today=f.TODAY)
    pdf = build_handout(snap, [HandoutKind.PROGRAMME], large_print=large)
    reader = HandoutReader(pdf.pdf)
    names = _names()
    for number, code in enumerate(codes, start=1):
        assert f"{number}. {names[code]}" in reader.text
    placed = [name for page in reader.drawings_per_page() for name in page]
    assert len(placed) == 30
    tick_pages = " ".join(t for t in reader.page_texts if "tick sheet" in t or "Week " in t)
    assert f"30. {names[codes[29]]}" in tick_pages
    _nothing_runs_off_the_page(reader)


def _nothing_runs_off_the_page(reader: HandoutReader) -> None:
    width = float(reader.pages[0].mediabox.width)
    for run in reader.runs():
        assert run.x >= 0, run
        assert run.x + run.width <= width - 20, run


@pytest.mark.parametrize(
    "name",
    [
        " ".join(["Maximiliana-Theodora Wolfeschlegelsteinhausen"] * 5)[:200],
        "Ŵ" * 200,  # no spaces at all: the line must still break
    ],
    ids=["long-words", "one-word"],
)
@pytest.mark.parametrize("large", [False, True], ids=["standard", "large-print"])
def test_a_200_character_name_wraps_and_is_shortened_only_in_the_footer(
    snapshot: HandoutSnapshot, name: str, large: bool
) -> None:
    assert len(name) == 200
    pdf = build_handout(_replace(snapshot, client_name=name), list(HandoutKind), large_print=large)
    reader = HandoutReader(pdf.pdf)
    assert "".join(name.split()) in "".join(reader.text.split())
    assert "…" in reader.page_texts[-1]  # the footer's shortened name
    _nothing_runs_off_the_page(reader)


def test_a_damaged_logo_is_left_out_and_a_good_one_printed(snapshot: HandoutSnapshot) -> None:
    picture = io.BytesIO()
    Image.new("RGB", (300, 120), (30, 90, 120)).save(picture, "PNG")
    with_logo = _replace(snapshot, clinic=_replace(snapshot.clinic, logo=picture.getvalue()))
    reader = HandoutReader(build_handout(with_logo, [HandoutKind.ENERGY], large_print=False).pdf)
    assert reader.image_count() == 1
    damaged = _replace(snapshot, clinic=_replace(snapshot.clinic, logo=b"\x89PNG\r\n\x1a\nrubbish"))
    reader = HandoutReader(build_handout(damaged, [HandoutKind.ENERGY], large_print=False).pdf)
    assert reader.image_count() == 0
    assert "Ríverside Neuro Thérapie" in reader.text


# --- batch: one file, each client's own page numbers, progress and cancel ------------------


def test_batch_numbers_each_clients_pages_and_reports_progress(sqlite_clinic: Database) -> None:
    with sqlite_clinic.transaction() as session:
        save_clinic_details(session, details=CLINIC)
        first = _full_client(session, "Nguyễn Thị Hà", "C-1")
        second = f.client(session, reference="C-2", name="Ola Nordmann")
    with sqlite_clinic.reading() as session:
        snaps = handout_snapshots(session, client_ids=[first, second], today=f.TODAY)
    kinds = (HandoutKind.PROGRAMME, HandoutKind.FOLLOW_UP)
    seen: list[tuple[int, int]] = []
    pdf = build_batch(
        [Packet(s, kinds, large_print=False) for s in snaps],
        progress=lambda done, total: seen.append((done, total)) is None,
    )
    reader = HandoutReader(pdf.pdf)
    first_result, second_result = pdf.packets
    assert first_result.pages + second_result.pages == len(reader.pages)
    assert f"Page 1 of {first_result.pages}" in reader.page_texts[0]
    second_start = first_result.pages
    assert "Ola Nordmann" in reader.page_texts[second_start]
    assert f"Page 1 of {second_result.pages}" in reader.page_texts[second_start]
    assert [k for k, _ in second_result.given] == [HandoutKind.FOLLOW_UP]
    assert HandoutKind.PROGRAMME in second_result.skipped
    assert seen == [(0, 2), (1, 2), (2, 2)]

    def cancel_after_first(done: int, total: int) -> bool:
        return done < 1

    with pytest.raises(BatchCancelled):
        build_batch(
            [Packet(s, kinds, large_print=False) for s in snaps], progress=cancel_after_first
        )


def test_batch_with_nothing_to_print_says_why(snapshot: HandoutSnapshot) -> None:
    bare = _replace(snapshot, programme=None)
    with pytest.raises(HandoutUnavailable, match="no current home exercise programme"):
        build_batch([Packet(bare, (HandoutKind.PROGRAMME,), False)])


# --- content hash ----------------------------------------------------------------------------


def test_content_hash_follows_the_words_not_the_print_date(snapshot: HandoutSnapshot) -> None:
    kind = HandoutKind.PROGRAMME
    today = content_hash(snapshot, kind, large_print=False)
    later = _replace(snapshot, printed_on=f.TODAY + timedelta(days=9))
    assert content_hash(later, kind, large_print=False) == today
    assert content_hash(snapshot, kind, large_print=True) != today
    assert content_hash(snapshot, HandoutKind.DEVICES, large_print=False) != today
    assert snapshot.programme is not None
    cards = list(snapshot.programme.cards)
    cards[0] = _replace(cards[0], dose=(("How much", "3 sets of 10"),))
    changed = _replace(snapshot, programme=_replace(snapshot.programme, cards=tuple(cards)))
    assert content_hash(changed, kind, large_print=False) != today


# --- services (SQLite and PostgreSQL) -------------------------------------------------------


@pytest.fixture
def filled(clinic: Database) -> Iterator[tuple[Database, uuid.UUID]]:
    with clinic.transaction() as session:
        save_clinic_details(session, details=CLINIC)
        cid = _full_client(session)
    yield clinic, cid


def test_snapshot_holds_what_the_client_may_read(filled: tuple[Database, uuid.UUID]) -> None:
    clinic, cid = filled
    with clinic.reading() as session:
        snap = handout_snapshot(session, client_id=cid, today=f.TODAY)
    assert snap.client_name == "Zoë Łukasiewicz" and snap.clinic.name == CLINIC.name
    assert snap.programme is not None and len(snap.programme.cards) == len(PROGRAMME)
    assert [d.name for d in snap.devices] == [device_guides()[DeviceKind.ANKLE_FOOT_ORTHOSIS].name]
    assert [t.what for t in snap.trials] == ["Ankle-foot orthosis for foot drop"]
    assert not hasattr(snap, "notes")


def test_snapshot_needs_the_clinic_details(clinic: Database) -> None:
    with clinic.transaction() as session:
        cid = f.client(session)
    with clinic.reading() as session, pytest.raises(HandoutUnavailable) as refused:
        handout_snapshot(session, client_id=cid, today=f.TODAY)
    assert str(refused.value) == NO_CLINIC


def test_handouts_given_are_recorded_and_on_the_timeline(
    filled: tuple[Database, uuid.UUID],
) -> None:
    clinic, cid = filled
    with clinic.reading() as session:
        snap = handout_snapshot(session, client_id=cid, today=f.TODAY)
    pdf = build_handout(snap, [HandoutKind.PROGRAMME, HandoutKind.DEVICES], large_print=True)
    (packet,) = pdf.packets
    with clinic.transaction() as session:
        record_handouts_given(
            session,
            packets=pdf.packets,
            by="tester",
            now=datetime(2026, 11, 21, 10, 30, tzinfo=UTC),
        )
    with clinic.reading() as session:
        record = read_record(session, client_id=cid, today=f.TODAY)
    handouts = sorted(record.client.handouts, key=lambda h: h.kind)
    assert [(h.kind, h.given_by, h.large_print) for h in handouts] == [
        ("devices", "tester", True),
        ("programme", "tester", True),
    ]
    assert {h.content_hash for h in handouts} == {digest for _, digest in packet.given}
    titles = [e.title for e in record.timeline if e.kind == "handout"]
    assert "Handout given: Home exercise programme (large print)" in titles
    assert "Handout given: Device guide (large print)" in titles


def test_clients_due_in_a_range_are_active_and_in_date_order(clinic: Database) -> None:
    with clinic.transaction() as session:
        ids = {}
        for ref, days in (("C-1", 3), ("C-2", 1), ("C-3", 9), ("C-4", 2)):
            ids[ref] = f.client(session, reference=ref, name=f"Client {ref}")
            _set_follow_up(session, ids[ref], f.TODAY + timedelta(days=days))
        _set_follow_up(session, ids["C-4"], f.TODAY + timedelta(days=2), discharged=True)
    with clinic.reading() as session:
        due = follow_ups_due(session, today=f.TODAY, start=f.TODAY, end=f.TODAY + timedelta(days=7))
        assert [d.reference for d in due] == ["C-2", "C-1"]
        with pytest.raises(ValueError, match="ends"):
            follow_ups_due(session, today=f.TODAY, start=f.TODAY, end=f.TODAY - timedelta(days=1))


def _set_follow_up(session: Session, cid: uuid.UUID, day: object, discharged: bool = False) -> None:
    from therapy_desk.domain import Client

    client = session.get(Client, cid)
    assert client is not None
    client.next_follow_up = day  # type: ignore[assignment]
    if discharged:
        client.status = ClientStatus.DISCHARGED
        client.discharged_on = f.TODAY
    session.flush()


_ = update_client, ClientDetails
