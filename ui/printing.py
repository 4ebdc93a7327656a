"""Print a client's record summary through the system print dialog.

The client handouts come with the handouts module; this is the therapist's own
one-page summary of the record for a paper file or a referral letter.
"""

from __future__ import annotations

from html import escape

from PySide6.QtGui import QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QWidget

from therapy_desk.services.programmes import ItemSpec
from therapy_desk.services.record_view import ClientRecord


def record_html(record: ClientRecord) -> str:
    c = record.client
    out = [f"<h2>{escape(c.name)} ({escape(c.reference)})</h2>"]
    follow_up = f"{c.next_follow_up:%d %b %Y}" if c.next_follow_up else "not booked"
    out.append(
        f"<p>MS course: {escape(c.ms_course.label)}<br>"
        f"Therapist: {escape(c.primary_therapist or 'not set')}<br>"
        f"Next follow-up: {follow_up}</p>"
    )
    findings = [f for f in c.findings if f.resolved_on is None]
    if findings:
        out.append("<h3>Open weakness findings</h3><ul>")
        for f in findings:
            grade = f", MRC {f.strength_grade}" if f.strength_grade is not None else ""
            out.append(
                f"<li>{escape(f.region.label)} ({escape(f.side.label.lower())}): "
                f"{escape(f.cause.label)}{grade}</li>"
            )
        out.append("</ul>")
    live = [p for p in c.programmes if p.ended_on is None and p.revisions]
    for programme in live:
        revision = programme.revisions[-1]
        out.append(
            f"<h3>{escape(programme.title)}, revision {revision.number} "
            f"({revision.issued_on:%d %b %Y})</h3><ul>"
        )
        for item in revision.items:
            out.append(
                f"<li>{escape(item.exercise.name)}: {escape(ItemSpec.of(item).dose_text())}</li>"
            )
        out.append("</ul>")
    if record.open_advisories:
        out.append("<h3>Advisories</h3><ul>")
        for view in record.open_advisories:
            out.append(
                f"<li><b>{escape(view.advisory.title)}</b>: {escape(view.advisory.reason)}</li>"
            )
        out.append("</ul>")
    out.append("<h3>Recent history</h3><ul>")
    for event in record.timeline[:25]:
        out.append(f"<li>{event.on:%d %b %Y}: {escape(event.title)}</li>")
    out.append("</ul>")
    return "".join(out)


def print_record(record: ClientRecord, parent: QWidget) -> bool:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"Print record summary — {record.client.name}")
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    document = QTextDocument()
    document.setHtml(record_html(record))
    document.print_(printer)
    return True
