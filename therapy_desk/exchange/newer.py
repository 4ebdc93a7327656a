"""What a ``--replace`` import does with rows added since the file was exported.

Rows the database holds for the client but the file does not, and that were added
after the export, are kept under their parents unless ``discard_newer`` is given: an
older file must not silently undo what was recorded since. Some cannot stay (they
would contradict the file's older parent, clash with it, or name a row it lacks);
those are discarded and `ImportResult` says why.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from therapy_desk import words
from therapy_desk.domain import (
    AdvisoryDismissal,
    Client,
    DeviceStatusChange,
    ProgrammeRevision,
    Record,
    Trial,
)
from therapy_desk.exchange.layout import TREE, Node, read_timestamp


@dataclass
class ImportResult:
    """What an import wrote, and what it did with rows added since the file was made."""

    client: Client
    exported_at: datetime | None = None
    discard_newer: bool = False
    #: Rows the database had, the file did not, added after the export: kept, by kind.
    kept: Counter[str] = field(default_factory=Counter)
    #: The same, but removed (asked to, or they could not stay), by kind, with why.
    discarded: Counter[str] = field(default_factory=Counter)
    why: dict[str, str] = field(default_factory=dict)

    def explain(self) -> list[str]:
        """Lines for the person importing: what happened to newer rows, if there were any."""
        if self.exported_at is None:
            since = "that the file does not have (it gives no export time, so all count as newer)"
        else:
            since = f"since the file was exported ({words.moment(self.exported_at)})"
        lines = []
        if self.kept:
            lines.append(f"Kept {_amounts(self.kept)} added here {since}.")
        if self.discarded and self.discard_newer:
            lines.append(f"Discarded {_amounts(self.discarded)} added here {since}.")
        elif self.discarded:
            for label, count in self.discarded.items():
                lines.append(
                    f"Could not keep {_amount(label, count)} added here {since}: {self.why[label]}."
                )
        return lines


def _amounts(counts: Counter[str]) -> str:
    return ", ".join(_amount(label, count) for label, count in counts.items())


def _amount(label: str, count: int) -> str:
    """ "1 fall", "3 trial notes": the layout's labels are plurals of one word + "s"."""
    return words.count(count, label.removesuffix("s"), label)


@dataclass
class Keep:
    """A row added since the export that stays: its node, the parent it goes under, its entry."""

    node: Node
    parent_id: uuid.UUID
    entry: dict[str, Any]


#: Rows that, when added, also change their parent (a revision supersedes the one before;
#: a status change moves the device on): kept under the file's older parent they would
#: contradict it, so they are reported instead.
_CHANGES_PARENT: dict[type[Record], str] = {
    ProgrammeRevision: "each superseded a revision whose copy in the file is older",
    DeviceStatusChange: "each moved on a device whose copy in the file is older",
}


def subtree(node: Node, entry: dict[str, Any]) -> Iterator[tuple[Node, dict[str, Any]]]:
    """The entry and every entry under it, each with its node."""
    yield node, entry
    for child in node.children:
        for sub in entry.get(child.key, []):
            yield from subtree(child, sub)


def sort_newer(
    before: dict[str, Any],
    file_client: dict[str, Any],
    exported_at: datetime | None,
    result: ImportResult,
) -> list[Keep]:
    """Of the rows the database holds and the file does not, those added after the export:
    which to keep, and which are discarded (counted in `result` with why)."""
    # A row counts as in the file only as the same kind of row (a hand-edited file may
    # give a finding the id of a trial here).
    in_file = {uuid.UUID(e["id"]): n.model for n, e in subtree(TREE, file_client)}

    def newer(entry: dict[str, Any]) -> bool:
        return exported_at is None or read_timestamp(entry["created_at"]) > exported_at

    def discard(node: Node, entry: dict[str, Any], why: str) -> None:
        for sub_node, _sub in subtree(node, entry):
            result.discarded[sub_node.label] += 1
            result.why.setdefault(sub_node.label, why)

    candidates: list[Keep] = []

    def visit(node: Node, entry: dict[str, Any]) -> None:
        parent_id = uuid.UUID(entry["id"])
        for child in node.children:
            for sub in entry[child.key]:
                if in_file.get(uuid.UUID(sub["id"])) is child.model:
                    visit(child, sub)
                elif not newer(sub):  # the file's version removed it: so go rows added under it
                    for gone_node, gone in subtree(child, sub):
                        if gone is not sub and newer(gone):
                            label = gone_node.label
                            result.discarded[label] += 1
                            result.why.setdefault(
                                label,
                                f"the file no longer has the row they belong to ({child.label})",
                            )
                elif result.discard_newer:
                    discard(child, sub, "--discard-newer")
                elif child.model in _CHANGES_PARENT:
                    discard(child, sub, _CHANGES_PARENT[child.model])
                else:
                    candidates.append(Keep(child, parent_id, sub))

    visit(TREE, before)
    if not candidates:
        return []
    # What kept rows may clash with or point at.
    dismissed = {(d["code"], d["about"]) for d in file_client["dismissals"]}
    present = set(in_file)
    for keep in candidates:
        present.update(uuid.UUID(e["id"]) for _n, e in subtree(keep.node, keep.entry))
    # A correction made here since puts a new row in place of one the file still has as
    # current: kept, the file's older copy and the correction would both count.
    corrections = {
        e["superseded_by_id"]
        for _n, e in subtree(TREE, before)
        if e.get("superseded_by_id") and uuid.UUID(e["id"]) in in_file
    }
    kept: list[Keep] = []
    for keep in candidates:
        entry = keep.entry
        if keep.node.model is AdvisoryDismissal and (entry["code"], entry["about"]) in dismissed:
            discard(keep.node, entry, "the file dismisses the same advisory")
            continue
        if entry["id"] in corrections:
            discard(keep.node, entry, "each corrected a row whose copy in the file is older")
            continue
        kept.append(keep)
    # A kept trial must name only rows that stay; dropping one may strand a trial following it.
    changed = True
    while changed:
        changed = False
        for keep in list(kept):
            if keep.node.model is not Trial:
                continue
            refs = [keep.entry[k] for k in ("programme_revision_id", "device_assignment_id")]
            refs.append(keep.entry["follows_trial_id"])
            if any(r is not None and uuid.UUID(r) not in present for r in refs):
                kept.remove(keep)
                present.difference_update(
                    uuid.UUID(e["id"]) for _n, e in subtree(keep.node, keep.entry)
                )
                discard(
                    keep.node, keep.entry, "it names a revision, device or trial the file lacks"
                )
                changed = True
    for keep in kept:
        for sub_node, _sub in subtree(keep.node, keep.entry):
            result.kept[sub_node.label] += 1
    return kept
