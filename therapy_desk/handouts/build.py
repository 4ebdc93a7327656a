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
    packet: Packet, kinds: list[HandoutKind], index: int, on_start: Callable[[int], None] | None
) -> list[Flowable]:
    style = look(packet.large_print)
    snapshot = packet.snapshot
    footer = Footer(snapshot.client_name, snapshot.printed_on, packet.large_print)
    story: list[Flowable] = [PacketMark(index, footer, on_start)]
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
    plans = []
    for packet in packets:
        ready, skipped = printable(packet.snapshot, packet.kinds)
        plans.append((packet, ready, skipped))
    if not any(ready for _, ready, _ in plans):
        reasons = [r for _, _, skipped in plans for r in skipped.values()]
        raise HandoutUnavailable(
            reasons[0] if len(set(reasons)) == 1 else "None of the chosen handouts can be printed"
        )
    total = sum(1 for _, ready, _ in plans if ready)

    def started(index: int) -> None:
        if progress is not None and progress(index, total) is False:
            raise BatchCancelled()

    story: list[Flowable] = []
    index = 0
    order: list[int] = []
    for position, (packet, ready, _) in enumerate(plans):
        if not ready:
            continue
        if story:
            story.append(PageBreak())
        story.extend(_story(packet, ready, index, started))
        order.append(position)
        index += 1
    counts = PageCounts()
    buffer = io.BytesIO()
    author = packets[0].snapshot.clinic.name
    document = HandoutDocument(buffer, title=title, author=author, counts=counts)
    document.build(story, canvasmaker=document.canvas)
    if progress is not None and progress(total, total) is False:
        raise BatchCancelled()
    printed = {position: n for n, position in enumerate(order)}
    results = []
    for position, (packet, ready, skipped) in enumerate(plans):
        given = tuple(
            (kind, content_hash(packet.snapshot, kind, large_print=packet.large_print))
            for kind in ready
        )
        pages = counts.pages.get(printed[position], 0) if position in printed else 0
        results.append(PacketResult(packet.snapshot, packet.large_print, given, skipped, pages))
    return HandoutPdf(buffer.getvalue(), tuple(results))


def build_handout(
    snapshot: HandoutSnapshot, kinds: Sequence[HandoutKind], *, large_print: bool
) -> HandoutPdf:
    """One client's handouts in one PDF; HandoutUnavailable if none of the kinds applies."""
    if not kinds:
        raise HandoutUnavailable("Choose at least one handout to print")
    ready, skipped = printable(snapshot, kinds)
    if not ready:
        raise HandoutUnavailable(" ".join(dict.fromkeys(skipped.values())))
    kinds_title = ", ".join(k.label for k in ready)
    return build_batch(
        [Packet(snapshot, tuple(kinds), large_print)],
        title=f"{kinds_title} — {snapshot.client_name}",
    )
