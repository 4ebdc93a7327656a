"""The caseload table model: Qt's model contract, search over kept rows, a changed row
put back in place, and advisory counts filled in later."""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtCore import Qt

from therapy_desk.domain.vocabulary import ClientStatus, MSCourse
from therapy_desk.services.caseload import CaseloadRow
from ui.models.caseload import ADVISORIES, FOLLOW_UP, NAME, CaseloadTableModel

TODAY = date(2026, 11, 21)


def _row(name: str, reference: str, **more: object) -> CaseloadRow:
    values: dict[str, object] = {
        "id": uuid.uuid4(),
        "reference": reference,
        "name": name,
        "status": ClientStatus.ACTIVE,
        "ms_course": MSCourse.RELAPSING_REMITTING,
        "next_follow_up": None,
        "main_weakness": None,
        "devices": (),
        "overdue_trials": 0,
    }
    values.update(more)
    return CaseloadRow(**values)  # type: ignore[arg-type]


def _names(model: CaseloadTableModel) -> list[str]:
    return [model.row_at(r).name for r in range(model.rowCount())]


def test_the_model_keeps_qts_contract_through_every_change(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = CaseloadTableModel()
    rows = [_row(f"Client {n}", f"TD-{n}") for n in (3, 1, 2)]
    model.set_rows(rows, today=TODAY)
    qtmodeltester.check(model)
    assert _names(model) == ["Client 1", "Client 2", "Client 3"]

    model.set_search("client 2")
    assert _names(model) == ["Client 2"]
    model.set_search("td-3")
    assert _names(model) == ["Client 3"]
    model.set_search("")
    model.sort(NAME, Qt.SortOrder.DescendingOrder)
    assert _names(model) == ["Client 3", "Client 2", "Client 1"]
    qtmodeltester.check(model)


def test_a_changed_row_goes_back_where_it_sorts() -> None:
    model = CaseloadTableModel()
    ada, ben, cy = (_row(n, f"TD-{i}") for i, n in enumerate(("Ada", "Ben", "Cy")))
    model.set_rows([ada, ben, cy], today=TODAY)
    changed: list[int] = []
    model.dataChanged.connect(lambda top, bottom: changed.append(top.row()))

    model.put_row(ben.id, ben._replace(next_follow_up=TODAY))  # same place: one row repainted
    assert changed == [1] and model.data(model.index(1, FOLLOW_UP)) == "21 Nov 2026"
    model.put_row(ben.id, ben._replace(name="Zed"))  # renamed: moves to the end
    assert _names(model) == ["Ada", "Cy", "Zed"]
    model.set_search("ze")
    assert _names(model) == ["Zed"]
    model.set_search("")
    model.put_row(cy.id, None)  # gone
    assert _names(model) == ["Ada", "Zed"] and model.total() == 2


def test_advisories_are_blank_until_counted_then_carry_over_a_reload() -> None:
    model = CaseloadTableModel()
    ada, ben = _row("Ada", "TD-1"), _row("Ben", "TD-2")
    model.set_rows([ada, ben], today=TODAY)
    assert not model.counted() and model.data(model.index(0, ADVISORIES)) == ""
    model.set_advisories({ben.id: 2})
    assert model.counted() and model.data(model.index(1, ADVISORIES)) == "2"
    model.set_rows([ada, ben], today=TODAY)  # re-read rows come uncounted
    assert model.data(model.index(1, ADVISORIES)) == "2"


def test_the_roles_named_by_number_are_qts_own() -> None:
    from ui.models import caseload as model_module

    assert model_module.DISPLAY_ROLE == Qt.ItemDataRole.DisplayRole.value
    assert model_module.TOOL_TIP_ROLE == Qt.ItemDataRole.ToolTipRole.value
    assert model_module.TEXT_ALIGNMENT_ROLE == Qt.ItemDataRole.TextAlignmentRole.value
    assert model_module.ACCESSIBLE_TEXT_ROLE == Qt.ItemDataRole.AccessibleTextRole.value
    assert model_module.CLIENT_ID_ROLE == Qt.ItemDataRole.UserRole.value + 1
    assert model_module.ALIGN_CENTER == Qt.AlignmentFlag.AlignCenter.value


def test_the_model_has_its_columns_once_rows_arrive_and_names_them_for_screen_readers() -> None:
    model = CaseloadTableModel()
    assert model.columnCount() == 0
    model.set_rows([], today=TODAY)
    assert model.columnCount() == 7
    assert model.headerData(NAME, Qt.Orientation.Horizontal) == "Name"
    assert model.headerData(NAME, Qt.Orientation.Vertical) is None


def test_search_folds_accents_and_punctuation_both_ways() -> None:
    model = CaseloadTableModel()
    rows = [_row(n, f"TD-{i}") for i, n in enumerate(("Ana García", "Luis Garcia", "O'Neill"))]
    model.set_rows(rows, today=TODAY)
    model.set_search("garcia")
    assert _names(model) == ["Ana García", "Luis Garcia"]
    model.set_search("GARCÍA")
    assert _names(model) == ["Ana García", "Luis Garcia"]
    model.sort(NAME, Qt.SortOrder.DescendingOrder)  # folded text follows the rows
    assert _names(model) == ["Luis Garcia", "Ana García"]
    model.set_search("o’neill")
    assert _names(model) == ["O'Neill"]
