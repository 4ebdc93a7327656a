"""The leaflet "Why your muscles are weak, and what helps", read back from both prints."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests import factories as f
from tests.core.test_cli import run
from tests.handouts.reading import HandoutReader
from tests.ui.conftest import _no_modal_boxes, client_id, desk, show  # noqa: F401
from therapy_desk.db.database import Database
from therapy_desk.domain.vocabulary import Cause, HandoutKind, Region, Side
from therapy_desk.handouts.build import build_handout
from therapy_desk.handouts.snapshot import (
    LEAFLET_OF,
    USUAL_KINDS,
    ClinicHeader,
    HandoutSnapshot,
    HandoutUnavailable,
    content_hash,
)
from therapy_desk.handouts.styles import LARGE_PRINT_MIN_PT
from therapy_desk.library.education import Leaflet, leaflet, leaflets
from therapy_desk.services.clinic import ClinicDetails, save_clinic_details
from therapy_desk.services.handouts import handout_snapshot
from ui.desk import Desk


def _snapshot(**changes: object) -> HandoutSnapshot:
    fields: dict[str, object] = {
        "client_id": uuid.uuid4(),
        "clinic": ClinicHeader("Riverside Neuro Therapy"),
        "reference": "C-1",
        "client_name": "Ana Silva",
        "therapist": "Alex Moreno (OT)",
        "printed_on": date(2026, 11, 29),
        "prefers_large_print": False,
        "programme": None,
        "leaflets": {key: leaflets()[key] for key in LEAFLET_OF.values()},
    }
    fields.update(changes)
    return HandoutSnapshot(**fields)  # type: ignore[arg-type]


def _read(snapshot: HandoutSnapshot, *, large: bool) -> HandoutReader:
    pdf = build_handout(snapshot, [HandoutKind.WEAKNESS], large_print=large)
    return HandoutReader(pdf.pdf)


def _words(item: Leaflet) -> list[str]:
    found = [item.title, item.intro]
    for part in item.sections:
        found += [part.heading, *([part.intro] if part.intro else []), *part.points]
    return found


def test_the_kind_prints_the_weakness_leaflet_under_its_own_name() -> None:
    assert LEAFLET_OF[HandoutKind.WEAKNESS] == "weakness"
    assert HandoutKind.WEAKNESS.label == leaflet("weakness").title
    assert HandoutKind.parse("weakness") is HandoutKind.WEAKNESS
    # A leaflet to give when it helps, not with every visit's handouts.
    assert HandoutKind.WEAKNESS not in USUAL_KINDS


@pytest.mark.parametrize("large", [False, True], ids=["standard", "large"])
def test_every_section_and_point_prints_in_both_prints(large: bool) -> None:
    reader = _read(_snapshot(), large=large)
    text = reader.text
    for words in _words(leaflet("weakness")):
        assert words in text, words
    assert "Ana Silva" in text and "Riverside Neuro Therapy" in text
    # The leaflet is a kind of its own: no exercise cards, tick sheet or follow-up plan.
    for other in ("Exercising safely", "Your follow-up plan", "Energy, heat"):
        assert other not in text


def test_large_print_has_no_text_under_18_pt_and_takes_more_pages() -> None:
    large = _read(_snapshot(), large=True)
    runs = large.runs()
    assert len(runs) > 100
    assert [(r.page, r.text, r.size) for r in runs if r.size < LARGE_PRINT_MIN_PT - 0.01] == []
    standard = _read(_snapshot(), large=False)
    assert min(r.size for r in standard.runs()) < LARGE_PRINT_MIN_PT
    assert len(standard.pages) <= 3 < len(large.pages) <= 6


def test_the_leaflet_explains_both_causes_heat_relapse_and_aids() -> None:
    text = HandoutReader(
        build_handout(_snapshot(), [HandoutKind.WEAKNESS], large_print=False).pdf
    ).text
    for heading in (
        "How MS makes muscles weak",
        "Weak from not being used",
        "Weak from nerve damage",
        "Why your programme is your own",
        "Heat and relapses",
        "Aids and splints help you do more",
    ):
        assert heading in text
    # The central rule: no weights on a muscle weak from nerve damage; weights help disuse.
    assert "will not give you weights for this muscle" in text
    assert "exercises with a weight or a stretchy band" in text
    assert "cool down" in text and "relapse" in text
    assert "stay independent" in text


def test_without_the_leaflet_the_kind_is_unavailable_and_says_why() -> None:
    bare = _snapshot(
        leaflets={
            k: v for k, v in leaflets().items() if k in LEAFLET_OF.values() and k != "weakness"
        }
    )
    with pytest.raises(HandoutUnavailable, match="'weakness' leaflet is missing"):
        build_handout(bare, [HandoutKind.WEAKNESS], large_print=False)


# --- what it says about this client --------------------------------------------------------

BOX = "What your therapist found"
DISUSE = "some of your muscles are weak from not being used"
NERVE = "some of your muscles are weak from nerve damage"
UNKNOWN = "still finding out why some of your muscles are weak"


def _box(causes: set[Cause], *, large: bool = False) -> str:
    """The words from the top of the leaflet to its first general section."""
    text = _read(_snapshot(weakness_causes=frozenset(causes)), large=large).text
    return text[: text.index("How MS makes muscles weak")]


@pytest.mark.parametrize(
    ("causes", "said", "not_said"),
    [
        ({Cause.DECONDITIONING}, [DISUSE], [NERVE, UNKNOWN]),
        ({Cause.NERVE_DAMAGE}, [NERVE], [DISUSE, UNKNOWN]),
        ({Cause.MIXED}, [DISUSE, NERVE], [UNKNOWN]),
        ({Cause.NERVE_DAMAGE, Cause.UNKNOWN}, [NERVE, UNKNOWN], [DISUSE]),
    ],
    ids=["disuse", "nerve", "mixed", "nerve+unknown"],
)
def test_the_box_names_the_sections_about_this_clients_weakness(
    causes: set[Cause], said: list[str], not_said: list[str]
) -> None:
    for large in (False, True):
        top = _box(causes, large=large)
        assert BOX in top
        for words in said:
            assert words in top
        for words in not_said:
            assert words not in top
    assert "Read “Weak from nerve damage” below." in _box({Cause.NERVE_DAMAGE})


def test_a_client_with_no_open_finding_reads_the_leaflet_as_written() -> None:
    top = _box(set())
    assert BOX not in top and DISUSE not in top and NERVE not in top


def test_the_content_hash_follows_what_the_box_says() -> None:
    plain = _snapshot()
    nerve = replace(plain, weakness_causes=frozenset({Cause.NERVE_DAMAGE}))
    kind = HandoutKind.WEAKNESS
    assert content_hash(plain, kind, large_print=False) != content_hash(
        nerve, kind, large_print=False
    )
    # Other handouts do not change with the causes.
    assert content_hash(plain, HandoutKind.ENERGY, large_print=False) == content_hash(
        nerve, HandoutKind.ENERGY, large_print=False
    )


def test_the_snapshot_holds_the_causes_of_open_findings_only(clinic: Database) -> None:
    with clinic.transaction() as session:
        save_clinic_details(session, details=ClinicDetails(name="Riverside Neuro Therapy"))
        cid = f.client(session)
        f.finding(session, cid, Region.KNEE, Cause.NERVE_DAMAGE, Side.LEFT)
        f.finding(session, cid, Region.HIP, Cause.DECONDITIONING, Side.BOTH)
        f.finding(
            session,
            cid,
            Region.ANKLE_FOOT,
            Cause.UNKNOWN,
            Side.RIGHT,
            onset_on=f.TODAY - timedelta(days=90),
            resolved_on=f.TODAY - timedelta(days=10),
        )
        bare = f.client(session, reference="C-2", name="Ben Ode")
    with clinic.reading() as session:
        snapshot = handout_snapshot(session, client_id=cid, today=f.TODAY)
        empty = handout_snapshot(session, client_id=bare, today=f.TODAY)
    # Causes only: no region, side, grade, notes or dates reach the handout.
    assert snapshot.weakness_causes == {Cause.NERVE_DAMAGE, Cause.DECONDITIONING}
    assert empty.weakness_causes == frozenset()
    top = _box(snapshot.weakness_causes)
    assert DISUSE in top and NERVE in top and UNKNOWN not in top


# --- where a user chooses it ---------------------------------------------------------------


def test_the_cli_offers_and_prints_the_kind(tmp_path: Path) -> None:
    db = str(tmp_path / "w.sqlite3")
    assert run("--db", db, "demo", "--clients", "3", "--seed", "4")[0] == 0
    target = tmp_path / "weak.pdf"
    status, said = run(
        "--db", db, "handout", "TD-00001", "--kind", "weakness", "--large-print", "-o", str(target)
    )
    assert status == 0, said
    assert "Why your muscles are weak, and what helps for TD-00001" in said
    reader = HandoutReader(target.read_bytes())
    assert "Weak from nerve damage" in reader.text
    assert min(r.size for r in reader.runs()) >= LARGE_PRINT_MIN_PT - 0.01


def test_the_handouts_dialog_lists_the_leaflet_and_previews_it(
    qtbot: QtBot,
    desk: Desk,  # noqa: F811
    client_id: uuid.UUID,  # noqa: F811
) -> None:
    from ui.dialogs.handouts import HandoutsDialog

    with desk.database.transaction() as session:
        save_clinic_details(session, details=ClinicDetails(name="Riverside Neuro Therapy"))
        f.programme(session, client_id, f.weighted_knee())
    dialog = show(qtbot, HandoutsDialog(desk, client_id))
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=10_000)
    box = dialog.kinds.boxes[HandoutKind.WEAKNESS]
    assert box.isEnabled() and not box.isChecked()
    assert box.text().replace("&", "") == "Why your muscles are weak, and what helps"
    dialog.kinds.set_chosen([HandoutKind.WEAKNESS])
    assert dialog.kinds.chosen() == [HandoutKind.WEAKNESS]
    assert dialog.pdf is None  # the old preview is not what would be printed
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=10_000)
    assert dialog.pdf is not None
    assert [kind for kind, _ in dialog.pdf.packets[0].given] == [HandoutKind.WEAKNESS]
    assert "Weak from nerve damage" in HandoutReader(dialog.pdf.pdf).text
    assert dialog.preview.page_count() == dialog.pdf.pages >= 2
