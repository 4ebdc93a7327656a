"""The card agrees with the prescription: one side means one side, a band is never in kg."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from tests import factories as f
from tests.handouts.reading import HandoutReader
from therapy_desk.db.database import Database
from therapy_desk.domain import Client, Exercise, ProgrammeItem
from therapy_desk.domain.vocabulary import Band, HandoutKind, Side
from therapy_desk.exchange import ImportError_, export_client, import_client
from therapy_desk.handouts.build import build_handout
from therapy_desk.library.catalogue import (
    LoadKind,
    exercises,
    load_kind,
    parse_exercise,
    steps_for,
)
from therapy_desk.services.demo import build_demo_clinic
from therapy_desk.services.errors import ValidationError
from therapy_desk.services.handouts import handout_snapshots
from therapy_desk.services.programmes import ItemSpec, start_programme

#: Words in a step that send the client to the other limb when done.
OTHER_SIDE = re.compile(
    r"change (legs|hands|arms|feet|sides)|change the weight|do the other|"
    r"same with (your|the) other|in the other hand|on the other leg|lead with the other",
    re.IGNORECASE,
)
#: Moves that use both limbs in turn by their nature (walking, pedalling, a stance).
BOTH_BY_NATURE = frozenset(
    {
        "aqua-cycling",
        "seated-arm-punches",
        "tandem-stance",
        "sideways-walking-along-counter",
        "heel-walking-with-support",
        "heel-to-toe-walk-along-counter",
        "pool-side-stepping",
        "rolling-in-bed",
        "neck-isometric-press",
        "seated-reaching-balance",
    }
)
DEMO_DAY = date(2026, 11, 29)


def _spec(code: str):  # type: ignore[no-untyped-def]
    return next(e for e in exercises() if e.code == code)


# --- steps per side -----------------------------------------------------------------------


def test_a_one_side_item_reads_its_side_and_never_the_change() -> None:
    knee = _spec("seated-knee-extension-ankle-weight")
    left = steps_for(knee.steps, Side.LEFT)
    assert "Do all the repeats with your left leg only." in left
    assert not any(OTHER_SIDE.search(s) for s in left)
    both = steps_for(knee.steps, Side.BOTH)
    assert "Do all the repeats, then change the weight to the other leg." in both
    assert not any("only" in s or "[" in s for s in both)
    assert steps_for(knee.steps, Side.NONE) == both


def test_every_catalogue_step_that_changes_limb_is_marked() -> None:
    # Balance, walking and alternating moves use both legs by their nature; they stay.
    for spec in exercises():
        if spec.code in BOTH_BY_NATURE:
            continue
        for side in (Side.LEFT, Side.RIGHT):
            for step in steps_for(spec.steps, side):
                assert not OTHER_SIDE.search(step), (spec.code, step)
                assert "{" not in step and not step.startswith("["), (spec.code, step)


@pytest.mark.parametrize(
    ("steps", "problem"),
    [
        (["Sit.", "[one side] Use your left leg."], "names the side once"),
        (["Sit.", "Use your {side} leg."], "only a '[one side]' step"),
        (["Sit.", "[one side] Use your {side} leg."], "replaces a '[both sides]' one"),
        (["Sit.", "[sides] Change legs."], "may start with"),
    ],
)
def test_the_loader_refuses_a_bad_side_marking(steps: list[str], problem: str) -> None:
    entry = {
        "code": "x-test",
        "name": "Test",
        "category": "functional",
        "regions": ["knee"],
        "suits": ["deconditioning"],
        "steps": steps,
    }
    with pytest.raises(ValueError, match=re.escape(problem)):
        parse_exercise(entry)


# --- band or weight -----------------------------------------------------------------------


def test_the_equipment_says_band_or_weight() -> None:
    assert load_kind(_spec("standing-hip-abduction-band").equipment) is LoadKind.BAND
    assert load_kind(_spec("seated-knee-extension-ankle-weight").equipment) is LoadKind.WEIGHT
    assert load_kind(_spec("bicep-curl-light-weight").equipment) is LoadKind.WEIGHT
    assert load_kind(_spec("bridging").equipment) is None


@pytest.mark.parametrize(
    ("item", "field", "words"),
    [
        (ItemSpec("standing-hip-abduction-band", reps=10, load_kg=2.0), "load_kg", "band"),
        (
            ItemSpec("seated-knee-extension-ankle-weight", reps=10, band=Band.LIGHT),
            "band",
            "kg",
        ),
    ],
)
def test_the_programme_refuses_the_wrong_kind_of_load_at_the_field(
    sqlite_clinic: Database, item: ItemSpec, field: str, words: str
) -> None:
    with sqlite_clinic.transaction() as session:
        cid = f.client(session)
        with pytest.raises(ValidationError) as refused:
            start_programme(session, client_id=cid, items=[item], on=f.TODAY, by="t")
    assert words in refused.value.errors[f"items[1].{field}"]


def test_the_right_kind_of_load_is_accepted(sqlite_clinic: Database) -> None:
    with sqlite_clinic.transaction() as session:
        cid = f.client(session)
        start_programme(
            session,
            client_id=cid,
            items=[
                ItemSpec("standing-hip-abduction-band", reps=10, band=Band.LIGHT),
                ItemSpec("seated-knee-extension-ankle-weight", reps=10, load_kg=1.5),
                ItemSpec("bridging", reps=10),
            ],
            on=f.TODAY,
            by="t",
        )


def test_the_importer_refuses_kg_on_a_band_exercise(sqlite_clinic: Database) -> None:
    with sqlite_clinic.transaction() as session:
        cid = f.client(session, reference="SRC-1")
        f.programme(session, cid, ItemSpec("standing-hip-abduction-band", reps=10, band=Band.LIGHT))
    with sqlite_clinic.reading() as session:
        document = export_client(session, client_id=cid, now=datetime(2026, 11, 1, tzinfo=UTC))
    with sqlite_clinic.transaction() as session:
        session.delete(session.get(Client, cid))
    item = document["client"]["programmes"][0]["revisions"][0]["items"][0]
    item.update(load_kg=2.0, band=None)
    with pytest.raises(ImportError_) as refused, sqlite_clinic.transaction() as session:
        import_client(session, document, today=f.TODAY)
    at = "client.programmes[0].revisions[0].items[0].load_kg"
    assert "band" in refused.value.problems[at], refused.value.problems


# --- the demo, read back from the PDF ------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from therapy_desk.services.opening import open_clinic

    db = open_clinic(str(tmp_path_factory.mktemp("demo") / "demo.sqlite3"), create=True)
    with db.transaction() as session:
        build_demo_clinic(session, clients=60, seed=7, today=DEMO_DAY)
    yield db
    db.close()


def test_the_demo_never_puts_kg_on_a_band_or_a_band_on_a_weight(demo: Database) -> None:
    with demo.reading() as session:
        rows = session.execute(
            select(Exercise.equipment, ProgrammeItem.load_kg, ProgrammeItem.band).join(
                ProgrammeItem.exercise
            )
        ).all()
    kinds = [(load_kind(kit), kg, band) for kit, kg, band in rows]
    assert not [k for k in kinds if k[0] is LoadKind.BAND and k[1] is not None]
    assert not [k for k in kinds if k[0] is LoadKind.WEIGHT and k[2] is not None]
    assert any(k[0] is LoadKind.BAND and k[2] is not None for k in kinds)


def test_demo_cards_print_one_side_steps_and_no_kg_on_a_band(demo: Database) -> None:
    with demo.reading() as session:
        ids = list(session.scalars(select(Client.id).order_by(Client.reference)))
        snapshots = handout_snapshots(session, client_ids=ids, today=DEMO_DAY)
    one_side = 0
    for snapshot in snapshots:
        if snapshot.programme is None or not snapshot.programme.cards:
            continue
        text = HandoutReader(
            build_handout(snapshot, [HandoutKind.PROGRAMME], large_print=False).pdf
        ).text
        for card in snapshot.programme.cards:
            dose = dict(card.dose)
            side = dose.get("Which side", "")
            if side.endswith("side only"):
                one_side += 1
                named = side.split()[0]
                marked = any("[one side]" in s for s in _spec(card.code).steps)
                if marked:  # the side is named in the steps, and printed
                    assert any(f"your {named} " in step for step in card.steps), card.steps
                for step in card.steps:
                    assert " ".join(step.split()) in text, (snapshot.reference, step)
                    if card.code not in BOTH_BY_NATURE:
                        assert not OTHER_SIDE.search(step), (snapshot.reference, card.code, step)
            if load_kind(card.equipment) is LoadKind.BAND:
                assert "Weight" not in dose and "Band" in dose, (snapshot.reference, card.code)
                assert "kg" not in dose.get("Band", "")
    assert one_side >= 20
