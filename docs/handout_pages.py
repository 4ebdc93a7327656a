"""Render the README's handout pictures: the first page of every kind, standard and large.

    .venv/bin/python docs/handout_pages.py

Builds a demo clinic in a throwaway folder, picks a client with a programme and
a device, and writes docs/handouts/<kind>-<print>.png with pdftoppm (poppler-utils).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "handouts"
sys.path.insert(0, str(HERE.parent))


def main() -> int:
    from therapy_desk.domain.vocabulary import HandoutKind
    from therapy_desk.handouts.build import build_handout
    from therapy_desk.handouts.snapshot import unavailable_reason
    from therapy_desk.services.demo import build_demo_clinic
    from therapy_desk.services.handouts import handout_snapshots
    from therapy_desk.services.opening import open_clinic

    work = Path(tempfile.mkdtemp(prefix="td-handouts-"))
    db = open_clinic(str(work / "demo.sqlite3"), create=True)
    today = date(2026, 11, 21)
    with db.transaction() as session:
        build_demo_clinic(session, clients=60, seed=7, today=today)
    from sqlalchemy import select

    from therapy_desk.domain import Client

    with db.reading() as session:
        ids = list(session.scalars(select(Client.id).order_by(Client.reference)))
        snapshots = handout_snapshots(session, client_ids=ids, today=today)
    db.close()
    # A client whose every kind prints, with a drawing-rich programme and a follow-up booked.
    chosen = next(
        s
        for s in snapshots
        if all(unavailable_reason(s, k) is None for k in HandoutKind)
        and s.trials
        and s.next_follow_up
        and s.programme is not None
        and len(s.programme.cards) >= 4
    )
    OUT.mkdir(exist_ok=True)
    for kind in HandoutKind:
        for large in (False, True):
            pdf = build_handout(chosen, [kind], large_print=large)
            source = work / f"{kind.value}.pdf"
            source.write_bytes(pdf.pdf)
            name = f"{kind.value.replace('_', '-')}-{'large' if large else 'standard'}"
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "60",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    str(source),
                    str(OUT / name),
                ],
                check=True,
            )
            print(f"{name}.png  ({pdf.pages} pages)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
