"""The therapist's summary of a client's record, for a paper file or a referral letter.

Not a handout: it is for colleagues, so it carries the open advisories. It is laid out
on the handouts' own page (the clinic's header at the top, the client's name and
"page x of y" at the foot), so a printed summary looks like everything else the clinic
prints. Built from the record as the screen read it; nothing here touches the database.
"""

from __future__ import annotations

import io
from datetime import date

from reportlab.platypus import Flowable, Spacer

from therapy_desk import words
from therapy_desk.domain.vocabulary import ClientStatus
from therapy_desk.handouts.page import Footer, HandoutDocument, PacketMark, PageCounts
from therapy_desk.handouts.parts import bullets, clinic_banner, details_table, para
from therapy_desk.handouts.snapshot import ClinicHeader
from therapy_desk.handouts.styles import Look, look
from therapy_desk.services.programmes import ItemSpec
from therapy_desk.services.record_view import ClientRecord

#: How many of the latest timeline events the summary lists.
HISTORY_EVENTS = 25


def summary_title(record: ClientRecord) -> str:
    return f"Record summary – {record.client.name}"


def record_summary_pdf(
    record: ClientRecord, *, clinic: ClinicHeader | None, printed_on: date
) -> bytes:
    """The summary as PDF bytes; without the clinic's details the header is left out."""
    style = look(False)
    client = record.client
    story: list[Flowable] = [PacketMark(0, Footer(client.name, printed_on, False), None)]
    if clinic is not None:
        story += [clinic_banner(clinic, style), Spacer(0, style.space(0.4))]
    story.append(para(f"Record summary: {client.name} ({client.reference})", style.title))
    story.append(details_table(_about(record, printed_on), style))
    story += _findings(record, style)
    story += _programmes(record, style)
    story += _advisories(record, style)
    story += _history(record, style)
    buffer = io.BytesIO()
    document = HandoutDocument(
        buffer,
        title=summary_title(record),
        author=clinic.name if clinic else "Therapy Desk",
        counts=PageCounts(),
    )
    document.subject = "Record summary"
    document.build(story, canvasmaker=document.canvas)
    return buffer.getvalue()


def _about(record: ClientRecord, printed_on: date) -> list[tuple[str, str]]:
    c = record.client
    if c.status is ClientStatus.DISCHARGED:
        follow_up = f"discharged {words.day(c.discharged_on)}" if c.discharged_on else "discharged"
    else:
        follow_up = words.day_with_weekday(c.next_follow_up) if c.next_follow_up else "not booked"
    return [
        ("Born", words.day(c.date_of_birth) if c.date_of_birth else "not recorded"),
        ("MS course", c.ms_course.label),
        ("Therapist", c.primary_therapist or "not set"),
        ("Next follow-up", follow_up),
        ("Printed", words.day(printed_on)),
    ]


def _section(title: str, points: list[str], style: Look) -> list[Flowable]:
    if not points:
        return []
    return [Spacer(0, style.space(0.4)), para(title, style.heading), bullets(points, style)]


def _findings(record: ClientRecord, style: Look) -> list[Flowable]:
    points = []
    for f in record.client.findings:
        if f.resolved_on is not None:
            continue
        grade = f", MRC {f.strength_grade}" if f.strength_grade is not None else ""
        points.append(
            f"{f.region.label} ({words.mid_sentence(f.side.label)}): {f.cause.label}{grade}"
        )
    return _section("Open weakness findings", points, style)


def _programmes(record: ClientRecord, style: Look) -> list[Flowable]:
    out: list[Flowable] = []
    for programme in record.client.programmes:
        if programme.ended_on is not None or not programme.revisions:
            continue
        revision = programme.revisions[-1]
        title = (
            f"{programme.title}, revision {revision.number} "
            f"(issued {words.day(revision.issued_on)})"
        )
        points = [
            f"{item.exercise.name}: {ItemSpec.of(item).dose_text()}" for item in revision.items
        ]
        out += _section(title, points, style)
    return out


def _advisories(record: ClientRecord, style: Look) -> list[Flowable]:
    points = [f"{v.advisory.title}: {v.advisory.reason}" for v in record.open_advisories]
    return _section("Open advisories", points, style)


def _history(record: ClientRecord, style: Look) -> list[Flowable]:
    points = [f"{words.day(e.on)}: {e.title}" for e in record.timeline[:HISTORY_EVENTS]]
    return _section("Recent history", points, style)
