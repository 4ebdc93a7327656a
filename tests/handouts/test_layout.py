"""Pages a client can use: large print keeps an exercise with its warnings, standard print
is at least 12 pt and does not waste paper. Read back from the PDFs."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

import pytest
from reportlab.lib.units import mm
from sqlalchemy import select

from tests import factories as f
from tests.handouts.reading import HandoutReader
from therapy_desk.db.database import Database
from therapy_desk.domain import Client
from therapy_desk.domain.vocabulary import Band, DeviceKind, DeviceStatus, HandoutKind, Side
from therapy_desk.handouts.build import build_handout
from therapy_desk.handouts.page import FOOTER_ZONE
from therapy_desk.handouts.snapshot import (
    ExerciseCard,
    HandoutSnapshot,
    dose_lines,
    exercise_safety,
)
from therapy_desk.handouts.styles import LARGE_PRINT_MIN_PT, STANDARD_MIN_PT, look
from therapy_desk.library.catalogue import ExerciseSpec, LoadKind, exercises, load_kind, steps_for
from therapy_desk.services.clinic import ClinicDetails, save_clinic_details
from therapy_desk.services.demo import build_demo_clinic
from therapy_desk.services.devices import assign_device
from therapy_desk.services.handouts import handout_snapshot, handout_snapshots
from therapy_desk.services.programmes import CUE_LIMIT, ItemSpec

CLINIC = ClinicDetails(name="Riverside Neuro", address="12 Mill Lane", phone="01632 960 123")
TEN = (
    f.weighted_knee(),
    ItemSpec("calf-stretch", sets=3, hold_seconds=30, days_per_week=7, cue="Heel stays down"),
    ItemSpec("recumbent-bike", duration_minutes=12, days_per_week=3),
    ItemSpec("standing-hip-abduction-band", sets=2, reps=12, band=Band.LIGHT, side=Side.RIGHT),
    ItemSpec("chin-tucks", sets=1, reps=10, hold_seconds=5, days_per_week=7),
    ItemSpec("sit-to-stand", sets=2, reps=8, cue="Nose over toes, then push up."),
    ItemSpec("bridging", sets=2, reps=10, hold_seconds=3),
    ItemSpec("tandem-stance", sets=3, hold_seconds=20, days_per_week=5),
    ItemSpec("putty-squeeze", sets=2, reps=10, days_per_week=5, side=Side.LEFT),
    ItemSpec("seated-row-band", sets=2, reps=10, band=Band.MEDIUM),
)
DEMO_DAY = date(2026, 11, 29)
_FORM_SIZE = re.compile(r"-(\d+)x(\d+)$")


def _snapshot(db: Database, items: tuple[ItemSpec, ...], devices: int = 0) -> HandoutSnapshot:
    with db.transaction() as session:
        save_clinic_details(session, details=CLINIC)
        cid = f.client(session, primary_therapist="Alex Moreno (PT)")
        f.programme(session, cid, *items)
        kinds = [DeviceKind.ANKLE_FOOT_ORTHOSIS, DeviceKind.ROLLATOR][:devices]
        for kind in kinds:
            assign_device(
                session,
                client_id=cid,
                kind=kind,
                side=Side.LEFT if kind is DeviceKind.ANKLE_FOOT_ORTHOSIS else Side.NONE,
                started_on=f.TODAY,
                status=DeviceStatus.IN_USE,
            )
    with db.reading() as session:
        return handout_snapshot(session, client_id=cid, today=f.TODAY)


def _steps_in(text: str, card: ExerciseCard) -> bool:
    return all(" ".join(step.split()) in text for step in card.steps)


def _title_and_care_share_a_page(snapshot: HandoutSnapshot) -> HandoutReader:
    """Each card whole on one page: its title, its steps and its "Take care" box (every
    caution), and no large-print text under 18 pt."""
    assert snapshot.programme is not None
    pdf = build_handout(snapshot, [HandoutKind.PROGRAMME], large_print=True).pdf
    reader = HandoutReader(pdf)
    for card in snapshot.programme.cards:
        care = f"Take care with exercise {card.number}"
        title = f"{card.number}. {card.name}"
        pages = [n for n, text in enumerate(reader.page_texts) if text.startswith(title)]
        assert len(pages) == 1, (card.name, pages)
        text = reader.page_texts[pages[0]]
        assert "(continued)" not in text, card.name
        assert _steps_in(text, card), (card.name, text)
        if card.cautions:
            assert re.search(rf"{care}(?!\d)", text), (card.name, text)
        for caution in card.cautions:
            assert " ".join(caution.split()) in text, (card.name, caution)
        if card.cue:
            assert " ".join(card.cue.split()) in text, (card.name, card.cue)
    small = [run for run in reader.runs() if run.size < LARGE_PRINT_MIN_PT - 0.01]
    assert not small, small[:5]
    return reader


def test_large_print_keeps_each_exercise_whole_on_one_page(sqlite_clinic: Database) -> None:
    snapshot = _snapshot(sqlite_clinic, TEN)
    reader = _title_and_care_share_a_page(snapshot)
    # One page a card: the intro, ten cards, then pacing and the tick sheet.
    assert len(reader.pages) <= 1 + 10 + 6


def test_large_print_drawings_shrink_no_smaller_than_45_mm(sqlite_clinic: Database) -> None:
    snapshot = _snapshot(sqlite_clinic, TEN)
    reader = HandoutReader(build_handout(snapshot, [HandoutKind.PROGRAMME], large_print=True).pdf)
    sizes = [
        (int(match.group(1)), int(match.group(2)))
        for page in reader.drawings_per_page()
        for name in page
        if (match := _FORM_SIZE.search(name))
    ]
    assert len(sizes) == 10
    caption = look(True).caption.leading
    # Start and finish side by side: each picture is a square under its caption.
    for width, height in sizes:
        side = min(height - caption, (width - caption) / 2)
        assert side >= 45 * mm - 1, (width, height)
    # Where the page has room they grow (50 mm before, beside 18 pt text).
    assert max(height for _, height in sizes) >= round(60 * mm)
    assert look(True).stroke_weight > look(False).stroke_weight


def test_stop_and_rest_box_is_never_split(sqlite_clinic: Database) -> None:
    snapshot = _snapshot(sqlite_clinic, TEN[:2])
    stop, _ = exercise_safety(snapshot)
    for large in (False, True):
        reader = HandoutReader(
            build_handout(snapshot, [HandoutKind.PROGRAMME], large_print=large).pdf
        )
        page = next(t for t in reader.page_texts if stop.heading in t)
        for point in stop.points:
            assert " ".join(point.split()) in page, (large, point)


def test_standard_print_body_text_is_at_least_12_pt(sqlite_clinic: Database) -> None:
    snapshot = _snapshot(sqlite_clinic, TEN, devices=2)
    kinds = [HandoutKind.PROGRAMME, HandoutKind.DEVICES, HandoutKind.FOLLOW_UP]
    reader = HandoutReader(build_handout(snapshot, kinds, large_print=False).pdf)
    footer = {snapshot.client_name}
    small = [
        run
        for run in reader.runs()
        if run.size < STANDARD_MIN_PT - 0.01
        and run.text.strip() not in footer
        and not run.text.strip().startswith("Printed ")
    ]
    assert not small, small[:5]


def test_four_exercises_a_device_guide_and_the_plan_stay_short(sqlite_clinic: Database) -> None:
    snapshot = _snapshot(sqlite_clinic, TEN[:4], devices=1)
    kinds = [HandoutKind.PROGRAMME, HandoutKind.DEVICES, HandoutKind.FOLLOW_UP]
    handout = build_handout(snapshot, kinds, large_print=False)
    # At 12 pt, each kind starting a page: the programme in four pages, the device guide
    # in one ("Stay safe" beside "How to use it"), the plan in one (8 pages before).
    assert handout.pages <= 6
    # No page is left more than half empty unless its handout ends there.
    reader = HandoutReader(handout.pdf)
    used = _page_filled(reader)
    for number in range(len(used)):
        ends = number + 1 == len(used) or reader.page_texts[number + 1].startswith(CLINIC.name)
        assert ends or used[number] >= 0.5, (number + 1, used)


def _page_filled(reader: HandoutReader) -> list[float]:
    """How far down each page's body its lowest text reaches, from 0 (top) to 1 (foot)."""
    style = look(False)
    top = style.page[1] - style.margin
    foot = style.margin + FOOTER_ZONE
    filled = []
    for page in reader.pages:
        lows: list[float] = []

        def visit(
            text: str, cm: list[float], tm: list[float], *_: object, lows: list[float] = lows
        ) -> None:
            y = cm[5] + tm[5] * cm[3]
            if text.strip() and y > foot:
                lows.append(y)

        page.extract_text(visitor_text=visit)
        filled.append((top - min(lows, default=top)) / (top - foot))
    return filled


@pytest.fixture(scope="module")
def demo_first(tmp_path_factory: pytest.TempPathFactory) -> HandoutSnapshot:
    from therapy_desk.services.opening import open_clinic

    db = open_clinic(str(tmp_path_factory.mktemp("demo") / "demo.sqlite3"), create=True)
    with db.transaction() as session:
        build_demo_clinic(session, clients=12, seed=7, today=DEMO_DAY)
    with db.reading() as session:
        first = session.scalars(select(Client.id).order_by(Client.reference)).first()
        assert first is not None
        (snapshot,) = handout_snapshots(session, client_ids=[first], today=DEMO_DAY)
    db.close()
    return snapshot


def test_td_00001_in_large_print_keeps_each_exercise_whole_on_one_page(
    demo_first: HandoutSnapshot,
) -> None:
    assert demo_first.reference == "TD-00001"
    _title_and_care_share_a_page(demo_first)
    assert demo_first.programme is not None
    ten = tuple(
        replace(card, number=n) for n, card in enumerate(demo_first.programme.cards * 4, start=1)
    )[:10]
    _title_and_care_share_a_page(
        replace(demo_first, programme=replace(demo_first.programme, cards=ten))
    )


#: A therapist's reminder that runs to two lines in large print (about 95 characters).
TWO_LINE_CUE = (
    "Breathe out as you push, keep it slow and steady, and sit down at once if your legs shake."
)

#: The longest reminder the form allows (CUE_LIMIT, 200 characters): four or five lines.
LONGEST_CUE = (
    "Breathe out as you push, keep it slow and steady, and sit down at once if your knees "
    "shake. Rest one minute between sets, and stop if your ankle aches or your toes go "
    "numb; tell me at your next visit."
)


@dataclass
class _Dose:
    """A dose as a programme item carries it (snapshot.Dosed)."""

    sets: int | None = None
    reps: int | None = None
    hold_seconds: int | None = None
    duration_minutes: int | None = None
    load_kg: float | None = None
    band: Band | None = None
    days_per_week: int = 3
    side: Side = Side.LEFT


def _catalogue_card(number: int, spec: ExerciseSpec, cue: str) -> ExerciseCard:
    """The card for a catalogue exercise at its usual dose, on one side (the longest
    dose), with its band or weight and the reminder `cue`."""
    kind = load_kind(spec.equipment)
    item = _Dose(
        load_kg=1.5 if kind is LoadKind.WEIGHT else None,
        band=Band.MEDIUM if kind is LoadKind.BAND else None,
        sets=spec.dose.get("sets"),
        reps=spec.dose.get("reps"),
        hold_seconds=spec.dose.get("hold_seconds"),
        duration_minutes=spec.dose.get("duration_minutes"),
        days_per_week=spec.dose.get("days_per_week", 3),
    )
    return ExerciseCard(
        number=number,
        code=spec.code,
        name=spec.name,
        summary=spec.summary,
        steps=steps_for(spec.steps, item.side),
        equipment=spec.equipment,
        cautions=spec.cautions,
        dose=dose_lines(item),
        days_per_week=item.days_per_week,
        cue=cue,
        drawing=spec.illustration,
    )


def test_the_longest_reminder_is_the_one_the_form_allows() -> None:
    assert len(LONGEST_CUE) == CUE_LIMIT


@pytest.mark.parametrize("cue", [TWO_LINE_CUE, LONGEST_CUE], ids=["two-line", "longest"])
def test_every_catalogue_exercise_with_its_reminder_fits_one_large_print_page(
    sqlite_clinic: Database, cue: str
) -> None:
    base = _snapshot(sqlite_clinic, TEN[:1])
    assert base.programme is not None
    specs = exercises()
    assert len(specs) >= 85
    cards = tuple(_catalogue_card(n, spec, cue) for n, spec in enumerate(specs, start=1))
    snapshot = replace(base, programme=replace(base.programme, cards=cards))
    pdf = build_handout(snapshot, [HandoutKind.PROGRAMME], large_print=True).pdf
    reader = HandoutReader(pdf)
    split = []
    for card in cards:
        title = f"{card.number}. {card.name}"
        care = re.compile(rf"Take care with exercise {card.number}(?!\d)")
        last = f"{len(card.steps)}. {' '.join(card.steps[-1].split())}"
        pages = [n for n, text in enumerate(reader.page_texts) if text.startswith(title)]
        text = reader.page_texts[pages[0]] if len(pages) == 1 else ""
        whole = (
            len(pages) == 1
            and "(continued)" not in text
            and last in text
            and (not card.cautions or care.search(text) is not None)
            and cue in text
        )
        if not whole:
            split.append(card.code)
    assert not split, split
    small = [run for run in reader.runs() if run.size < LARGE_PRINT_MIN_PT - 0.01]
    assert not small, small[:5]
