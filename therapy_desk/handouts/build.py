"""Turns snapshots into PDF bytes: one client's handouts, or an admin's batch in one file.

Each kind starts on a fresh page; each client's packet numbers its own pages
("page 2 of 5"), so a printed batch can be split by client at the printer.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from reportlab.platypus import Flowable, PageBreak

from therapy_desk.domain.vocabulary import HandoutKind
from therapy_desk.handouts.devices import devices_handout
from therapy_desk.handouts.follow_up import follow_up_handout
from therapy_desk.handouts.leaflet import leaflet_handout
from therapy_desk.handouts.page import Footer, HandoutDocument, PacketMark, PageCounts
from therapy_desk.handouts.programme import programme_handout
from therapy_desk.handouts.snapshot import (
    HandoutSnapshot,
    HandoutUnavailable,
    content_hash,
    printable,
)
from therapy_desk.handouts.styles import Look, look

Builder = Callable[[HandoutSnapshot, Look], list[Flowable]]

BUILDERS: dict[HandoutKind, Builder] = {
    HandoutKind.PROGRAMME: programme_handout,
    HandoutKind.DEVICES: devices_handout,
    HandoutKind.HOME_SAFETY: lambda s, lk: leaflet_handout(s, lk, "home_safety"),
    HandoutKind.ENERGY: lambda s, lk: leaflet_handout(s, lk, "energy"),
    HandoutKind.WEAKNESS: lambda s, lk: leaflet_handout(s, lk, "weakness"),
    HandoutKind.FOLLOW_UP: follow_up_handout,
}


class BatchCancelled(Exception):
    """The person printing pressed Cancel; nothing was written."""


@dataclass(frozen=True)
class Packet:
    """One client's handouts in a document: which kinds, in which print."""

    snapshot: HandoutSnapshot
    kinds: tuple[HandoutKind, ...]
    large_print: bool


@dataclass(frozen=True)
class PacketResult:
    snapshot: HandoutSnapshot
    large_print: bool
    #: Each kind printed, with its content hash (for the HandoutRecord).
    given: tuple[tuple[HandoutKind, str], ...]
    #: Kinds left out, with the reason to show the person printing.
    skipped: dict[HandoutKind, str]
    pages: int


@dataclass(frozen=True)
class HandoutPdf:
    pdf: bytes
    packets: tuple[PacketResult, ...] = field(default=())

    @property
    def pages(self) -> int:
        return sum(p.pages for p in self.packets)


def _story(
    packet: Packet, kinds: list[HandoutKind], position: int, on_start: Callable[[int], None] | None
) -> list[Flowable]:
    style = look(packet.large_print)
    snapshot = packet.snapshot
    footer = Footer(snapshot.client_name, snapshot.printed_on, packet.large_print)
    story: list[Flowable] = [PacketMark(position, footer, on_start)]
    for number, kind in enumerate(kinds):
        if number:
            story.append(PageBreak())
        story.extend(BUILDERS[kind](snapshot, style))
    return story


def build_batch(
    packets: Sequence[Packet],
    *,
    title: str = "Handouts",
    progress: Callable[[int, int], bool] | None = None,
) -> HandoutPdf:
    """All packets in one PDF. `progress(done, total)` returning False cancels.

    Packets with nothing printable are left out (their `skipped` says why); if no
    packet has anything to print, HandoutUnavailable says so.
    """
    plans = [(packet, *printable(packet.snapshot, packet.kinds)) for packet in packets]
    ready_at = [position for position, (_, ready, _) in enumerate(plans) if ready]
    if not ready_at:
        reasons = list(dict.fromkeys(r for _, _, skipped in plans for r in skipped.values()))
        if len(reasons) == 1 or len(packets) == 1:
            raise HandoutUnavailable(" ".join(reasons))
        raise HandoutUnavailable("None of the chosen handouts can be printed")
    # Packets are marked by their position; progress counts the printable ones.
    done_before = {position: n for n, position in enumerate(ready_at)}
    total = len(ready_at)

    def started(position: int) -> None:
        if progress is not None and progress(done_before[position], total) is False:
            raise BatchCancelled()

    story: list[Flowable] = []
    for position in ready_at:
        packet, ready, _ = plans[position]
        if story:
            story.append(PageBreak())
        story.extend(_story(packet, ready, position, started))
    counts = PageCounts()
    buffer = io.BytesIO()
    author = packets[0].snapshot.clinic.name
    document = HandoutDocument(buffer, title=title, author=author, counts=counts)
    document.build(story, canvasmaker=document.canvas)
    if progress is not None and progress(total, total) is False:
        raise BatchCancelled()
    results = [
        PacketResult(
            packet.snapshot,
            packet.large_print,
            tuple(
                (kind, content_hash(packet.snapshot, kind, large_print=packet.large_print))
                for kind in ready
            ),
            skipped,
            counts.pages.get(position, 0),
        )
        for position, (packet, ready, skipped) in enumerate(plans)
    ]
    return HandoutPdf(buffer.getvalue(), tuple(results))


def build_handout(
    snapshot: HandoutSnapshot, kinds: Sequence[HandoutKind], *, large_print: bool
) -> HandoutPdf:
    """One client's handouts in one PDF; HandoutUnavailable if none of the kinds applies."""
    if not kinds:
        raise HandoutUnavailable("Choose at least one handout to print")
    kinds_title = ", ".join(k.label for k in dict.fromkeys(kinds))
    return build_batch(
        [Packet(snapshot, tuple(kinds), large_print)],
        title=f"{kinds_title} — {snapshot.client_name}",
    )
