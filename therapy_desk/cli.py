"""The command line: what admins script and what tests drive.

`therapy-desk` with no command opens the desktop app (see ui/main.py); every
command here works without PySide6.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TextIO

from therapy_desk import __version__

#: Who is acting (the older spelling THERAPY_DESK_USER is understood too).
USER_VAR = "THERAPY_DESK_CLINICIAN"
#: Stamped on the invented records of a demo clinic built with nobody named.
DEMO_BUILDER = "Demo clinic"
#: Said when a command that writes does not know who is acting.
WHO_IS_ACTING = (
    "say who is acting, for the record: --by NAME, or THERAPY_DESK_CLINICIAN=NAME in "
    "the environment, or remember your name on this computer with "
    '`therapy-desk clinician "YOUR NAME"` (the app asks for it when it first opens). '
    "Nothing was changed"
)


class CommandError(Exception):
    """A problem to tell the user in one plain message, exit status 2."""


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date; write it as YYYY-MM-DD"
        ) from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _output(
    command: argparse.ArgumentParser,
    metavar: str,
    *,
    required: bool = True,
    help: str = "the file to write",  # noqa: A002 - argparse's own word
) -> None:
    command.add_argument("-o", "--output", required=required, type=Path, metavar=metavar, help=help)
    command.add_argument(
        "--force", action="store_true", help="replace the output file if it already exists"
    )


def _print_size(command: argparse.ArgumentParser) -> None:
    size = command.add_mutually_exclusive_group()
    size.add_argument(
        "--large-print",
        dest="large_print",
        action="store_const",
        const=True,
        help="18 pt and up, one exercise per page (default: each client's own preference)",
    )
    size.add_argument("--standard-print", dest="large_print", action="store_const", const=False)


def build_parser() -> argparse.ArgumentParser:
    from therapy_desk.domain.vocabulary import Cause, HandoutKind, MSCourse, Region

    parser = argparse.ArgumentParser(
        prog="therapy-desk",
        description="Caseload manager for therapists treating muscle weakness in MS. "
        "With no command, opens the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"therapy-desk {__version__}")
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database: a file path, sqlite:///PATH or postgresql+psycopg://USER@HOST/NAME "
        "(default: $THERAPY_DESK_DB, else a file in your user data folder)",
    )
    parser.add_argument(
        "--by",
        "--user",
        dest="user",
        metavar="NAME",
        help=f"who is acting, for the record (default: ${USER_VAR}, else the name "
        "remembered on this computer; see the clinician command)",
    )
    parser.add_argument(
        "--exit-after-startup",
        action="store_true",
        help="open the app, quit as soon as the caseload is painted, and print how many "
        "milliseconds that took (to time start-up from outside)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser(
        "demo",
        help="build a realistic demo clinic: without --db (or $THERAPY_DESK_DB) in its own "
        "file, demo-clinic.sqlite3 in your user data folder, never your clinic's database; "
        "with --db, into that database if it is empty",
    )
    demo.add_argument(
        "--clients", type=_positive, default=200, help="how many clients (default 200)"
    )
    demo.add_argument("--seed", type=int, default=1, help="same seed, same clinic (default 1)")

    clients = commands.add_parser("clients", help="list the caseload")
    clients.add_argument("--search", default="", help="part of a name or reference")
    clients.add_argument(
        "--due-by", type=_date, metavar="DATE", help="follow-up due on or before DATE"
    )
    clients.add_argument("--status", choices=("active", "discharged", "all"), default="active")
    clients.add_argument(
        "--overdue-trials", action="store_true", help="only clients with a trial past review"
    )
    clients.add_argument(
        "--has-advisories", action="store_true", help="only clients with open advisories"
    )
    clients.add_argument("--course", choices=[c.value for c in MSCourse])
    clients.add_argument(
        "--region", choices=[r.value for r in Region], help="open weakness in this region"
    )
    clients.add_argument(
        "--cause", choices=[c.value for c in Cause], help="open weakness from this source"
    )
    clients.add_argument("--json", action="store_true", help="machine-readable output")

    advisories = commands.add_parser("advisories", help="a client's advisories, with their reasons")
    advisories.add_argument("reference")
    advisories.add_argument("--all", action="store_true", help="include dismissed ones")
    advisories.add_argument("--json", action="store_true")

    dismiss = commands.add_parser(
        "dismiss", help="dismiss one of a client's advisories, with a reason"
    )
    dismiss.add_argument("reference")
    dismiss.add_argument("code", help="the advisory's code (see `advisories --json`)")
    dismiss.add_argument("about", help="what it is about (see `advisories --json`)")
    dismiss.add_argument("--reason", required=True)

    export = commands.add_parser("export", help="write a client's whole record to a JSON file")
    export.add_argument("reference")
    _output(export, "FILE.json")

    import_ = commands.add_parser("import", help="read a client record file (all of it or nothing)")
    import_.add_argument("file", type=Path)
    import_.add_argument(
        "--replace",
        action="store_true",
        help="overwrite the same client if present; rows recorded here since the file was "
        "exported (falls, measurements, notes, handouts, dismissals...) are kept",
    )
    import_.add_argument(
        "--discard-newer",
        action="store_true",
        help="with --replace: also remove rows recorded here since the file was exported, "
        "so the client ends exactly as in the file",
    )

    exercises = commands.add_parser("exercises", help="the exercise catalogue")
    exercises_do = exercises.add_subparsers(dest="action", metavar="ACTION")
    exercises_list = exercises_do.add_parser("list", help="list the catalogue (the default)")
    exercises_list.add_argument("--json", action="store_true")
    exercises_add = exercises_do.add_parser(
        "import", help="add the clinic's own exercises from a TOML file"
    )
    exercises_add.add_argument("file", type=Path)

    kinds = [k.value for k in HandoutKind]
    kind_help = (
        f"which handout: {', '.join(kinds)} or all; repeat for several "
        "(default: programme, devices, follow_up — whichever apply)"
    )
    handout = commands.add_parser("handout", help="print a client's handouts to a PDF file")
    handout.add_argument("reference")
    handout.add_argument("--kind", action="append", choices=[*kinds, "all"], help=kind_help)
    handout.add_argument(
        "--not-given",
        dest="given",
        action="store_false",
        help="save the PDF to give later, without putting it on the client's record",
    )
    _print_size(handout)
    _output(handout, "FILE.pdf")

    withdraw = commands.add_parser(
        "withdraw-handout",
        help="mark a handout on record as not given after all (it stays, marked withdrawn)",
    )
    withdraw.add_argument("reference")
    withdraw.add_argument("--kind", required=True, choices=kinds, help="which handout")
    withdraw.add_argument(
        "--on", type=_date, metavar="DATE", help="the one given on this day (default: the latest)"
    )
    withdraw.add_argument("--reason", required=True)

    due = commands.add_parser(
        "print-due",
        help="one PDF of handouts for every client with a follow-up in a date range, and "
        "those overdue (as This week lists them)",
    )
    due.add_argument("--from", dest="start", required=True, type=_date, metavar="DATE")
    due.add_argument("--to", dest="end", required=True, type=_date, metavar="DATE")
    due.add_argument(
        "--no-overdue",
        dest="overdue",
        action="store_false",
        help="leave out follow-ups already overdue (booked before today)",
    )
    due.add_argument("--kind", action="append", choices=[*kinds, "all"], help=kind_help)
    due.add_argument(
        "--given",
        action="store_true",
        help="put the handouts on each client's record as given now (default: not recorded, "
        "for handouts printed ahead of the follow-up)",
    )
    _print_size(due)
    _output(due, "FILE.pdf")

    who = commands.add_parser(
        "clinician",
        help="who is using Therapy Desk on this computer, stamped on what they record "
        "(kept on this computer, not in the clinic database); with a name, remember it",
    )
    who.add_argument("name", nargs="?", help="your name, as it should appear on records")
    who.add_argument("--role", help="your role or initials, e.g. OT, PT (optional)")

    db = commands.add_parser("db", help="database upkeep")
    db_do = db.add_subparsers(dest="action", metavar="ACTION", required=True)
    db_do.add_parser("init", help="set up a new, empty clinic database at --db")
    db_do.add_parser("upgrade", help="bring the schema up to date (backs up SQLite first)")
    db_do.add_parser("check", help="integrity and schema version (changes nothing)")
    backup = db_do.add_parser(
        "backup", help="copy the SQLite database safely, even while open; the copy is checked"
    )
    _output(backup, "FILE", required=False, help="where (default: backups/ beside it)")
    restore = db_do.add_parser(
        "restore",
        help="replace a damaged SQLite database with its newest good backup "
        "(the damaged file is kept aside)",
    )
    restore.add_argument(
        "--from", dest="source", type=Path, metavar="FILE", help="this backup, not the newest"
    )
    restore.add_argument(
        "--force", action="store_true", help="restore even though the database is sound"
    )
    db_do.add_parser("where", help="print which database would be used")
    return parser


def acting_user(args: argparse.Namespace) -> str:
    """Who is acting: --by, else the environment, else the clinician remembered on this
    computer; never the login name. Checked before anything is written, so a bad or
    missing name changes nothing."""
    found = _named(args)
    if found is None:
        raise CommandError(WHO_IS_ACTING)
    return found


def _named(args: argparse.Namespace) -> str | None:
    from therapy_desk import workstation
    from therapy_desk.domain.base import USER_NAME_MAX

    given = workstation.from_environment()
    if args.user:
        name, source = str(args.user), "--by (or --user)"
    elif given is not None:
        name, source = given
    else:
        here = workstation.remembered()
        return here.stamp if here is not None else None
    name = " ".join(name.split())
    if not name or len(name) > USER_NAME_MAX or not name.isprintable():
        raise CommandError(f"{source} must be a name of 1 to {USER_NAME_MAX} printable characters")
    return name


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    from therapy_desk.files import private_umask

    private_umask()
    out = out or sys.stdout
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(out)
        return 0
    return run(args, out) if out is not sys.stdout else run_to_stdout(args)


def run_to_stdout(args: argparse.Namespace) -> int:
    """Run a command printing to stdout; a reader that stops early (`| head`) is no error."""
    try:
        status = run(args, sys.stdout)
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


#: Exit status of a command that hit an unexpected error (the details are in the log).
UNEXPECTED = 3


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Run one command through the one door for errors: a known problem is told in one
    plain message (exit 2); anything else is logged safely and told as an incident
    (exit 3). Nothing from a client's record reaches stderr either way."""
    from therapy_desk.db.backup import BackupFailed
    from therapy_desk.db.database import SchemaError
    from therapy_desk.db.faults import StorageFault
    from therapy_desk.exchange import ImportError_
    from therapy_desk.files import OutputRefused
    from therapy_desk.handouts.snapshot import HandoutUnavailable
    from therapy_desk.library import CatalogueError
    from therapy_desk.services.errors import Conflict, NotFound, ValidationError

    handler = COMMANDS[args.command]
    try:
        return handler(args, out)
    except ValidationError as invalid:
        for field, message in invalid.errors.items():
            print(f"therapy-desk: {field}: {message}", file=sys.stderr)
    except (
        ImportError_,
        CatalogueError,
        CommandError,
        NotFound,
        Conflict,
        SchemaError,
        HandoutUnavailable,
        StorageFault,
        OutputRefused,
        BackupFailed,
    ) as problem:
        print(f"therapy-desk: {problem}", file=sys.stderr)
    except KeyboardInterrupt:
        print("therapy-desk: stopped; nothing half-done was saved", file=sys.stderr)
        return 130
    except Exception as problem:
        from sqlalchemy.exc import ArgumentError

        if isinstance(problem, ArgumentError | ValueError) and _is_location_problem(problem):
            print(f"therapy-desk: {problem}", file=sys.stderr)
            return 2
        from therapy_desk.incidents import report

        incident = report(problem, doing=f"running `therapy-desk {args.command}`")
        print(f"therapy-desk: {incident.message()}", file=sys.stderr)
        return UNEXPECTED
    return 2


def _is_location_problem(problem: Exception) -> bool:
    """A bad --db URL: our own wording, safe to show as it is."""
    text = str(problem)
    return (
        "database location" in text
        or "databases are not supported" in text
        or (type(problem).__name__ == "ArgumentError")
    )


@contextmanager
def _open(args: argparse.Namespace, *, create: bool = False) -> Iterator[Any]:
    """The clinic database for one command, closed when it ends."""
    from therapy_desk.services.opening import open_clinic

    db = open_clinic(args.db, create=create)
    try:
        yield db
    finally:
        db.close()


def _today() -> date:
    return date.today()


def cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    """Without --db (or the environment) the demo goes to its own file, as the app's
    welcome-screen demo does, never into the clinic's default database."""
    from therapy_desk import words
    from therapy_desk.db.location import ENV_VAR, demo_location_text, describe
    from therapy_desk.services.demo import build_demo_clinic
    from therapy_desk.services.opening import open_clinic

    def progress(done: int, total: int) -> None:
        print(f"  {words.number(done)} of {words.count(total, 'client')}", file=sys.stderr)

    chosen = bool(args.db or os.environ.get(ENV_VAR))
    location = demo_location_text(args.db)
    db = open_clinic(location, create=True)
    try:
        with db.transaction(user=_named(args) or DEMO_BUILDER) as session:
            summary = build_demo_clinic(
                session,
                clients=args.clients,
                seed=args.seed,
                today=_today(),
                progress=progress if args.clients >= 2000 else None,
            )
    finally:
        db.close()
    counts = (
        f"{words.count(summary.clients, 'client')}, {words.count(summary.rows, 'row')}, "
        f"{summary.seconds:.1f} s"
    )
    if chosen:
        print(
            f"Demo clinic ready in {describe(db.url)}: {counts}. "
            "Try: therapy-desk advisories TD-00001",
            file=out,
        )
    else:
        where = _shell_word(location)
        print(
            f"Demo clinic ready in {location}: {counts}; open it with "
            f"`therapy-desk --db {where}`. Try: therapy-desk --db {where} advisories TD-00001",
            file=out,
        )
    return 0


def _shell_word(text: str) -> str:
    """A path as it can be pasted into a command line (quoted only when it must be)."""
    return f'"{text}"' if any(c.isspace() or c in "'\"$`&;|<>()" for c in text) else text


def cmd_clinician(args: argparse.Namespace, out: TextIO) -> int:
    """Show or remember this computer's clinician (the app's File ▸ Clinician… does the same)."""
    from therapy_desk import workstation
    from therapy_desk.services.errors import ValidationError

    if args.name is None:
        here = workstation.remembered()
        if here is None:
            print(
                "No clinician is remembered on this computer. Remember yours with "
                '`therapy-desk clinician "YOUR NAME"`, or give --by NAME to each command.',
                file=out,
            )
            return 1
        print(f"{here.stamp} (remembered in {workstation.preferences_file()})", file=out)
        return 0
    try:
        who = workstation.clinician(args.name, args.role)
    except ValidationError as invalid:
        raise CommandError("; ".join(invalid.errors.values())) from None
    path = workstation.remember(who)
    print(f"What you record on this computer will say “by {who.stamp}” (kept in {path}).", file=out)
    return 0


def cmd_clients(args: argparse.Namespace, out: TextIO) -> int:
    from therapy_desk import words
    from therapy_desk.domain.vocabulary import Cause, ClientStatus, MSCourse, Region
    from therapy_desk.services.caseload import CaseloadFilter, list_caseload

    filters = CaseloadFilter(
        search=args.search,
        status=None if args.status == "all" else ClientStatus(args.status),
        due_by=args.due_by,
        overdue_trials=args.overdue_trials,
        has_advisories=args.has_advisories,
        course=MSCourse(args.course) if args.course else None,
        region=Region(args.region) if args.region else None,
        cause=Cause(args.cause) if args.cause else None,
    )
    with _open(args) as db:
        with db.reading() as session:
            rows = list_caseload(session, filters=filters, today=_today())
    if args.json:
        json.dump([_plain(r._asdict()) for r in rows], out, ensure_ascii=False, indent=1)
        out.write("\n")
        return 0
    if not rows:
        wanted = f"“{args.search.strip()}”" if args.search.strip() else "these filters"
        print(f"No client matches {wanted}", file=out)
        return 0
    table = [
        (
            r.reference,
            r.name,
            r.ms_course.label,
            r.main_weakness or "—",
            words.day_or(r.next_follow_up, "—"),
            str(len(r.devices)),
            str(r.advisories),
        )
        for r in rows
    ]
    _print_table(
        out,
        ("Reference", "Name", "MS course", "Main weakness", "Follow-up", "Devices", "Advisories"),
        table,
    )
    print(words.count(len(rows), "client"), file=out)
    return 0


def _advisories(args: argparse.Namespace, session: Any) -> tuple[Any, list[Any]]:
    from therapy_desk.services.advisories import advisories_for
    from therapy_desk.services.clients import find_by_reference

    client = find_by_reference(session, args.reference)
    views = advisories_for(session, client_id=client.id, today=_today(), include_dismissed=args.all)
    return client, views


def cmd_advisories(args: argparse.Namespace, out: TextIO) -> int:
    from therapy_desk import words

    with _open(args) as db:
        with db.reading() as session:
            client, views = _advisories(args, session)
    if args.json:
        json.dump(
            [
                _plain(
                    {
                        **asdict(v.advisory),
                        "dismissed": asdict(v.dismissed) if v.dismissed else None,
                    }
                )
                for v in views
            ],
            out,
            ensure_ascii=False,
            indent=1,
        )
        out.write("\n")
        return 0
    print(f"{client.reference}  {client.name}", file=out)
    if not views:
        print("No open advisories.", file=out)
    for number, view in enumerate(views, start=1):
        a = view.advisory
        print(f"\n{number}. {a.title}  [{a.code} · {a.about}]", file=out)
        print(f"   Why: {a.reason}", file=out)
        print(f"   Suggestion: {a.suggestion}", file=out)
        if view.dismissed:
            d = view.dismissed
            print(
                f"   Dismissed by {d.by} on {words.moment(d.at)}: {d.reason}",
                file=out,
            )
    return 0


def cmd_dismiss(args: argparse.Namespace, out: TextIO) -> int:
    from therapy_desk.services.advisories import dismiss_advisory
    from therapy_desk.services.clients import find_by_reference

    by = acting_user(args)
    with _open(args) as db:
        with db.transaction(user=by) as session:
            client = find_by_reference(session, args.reference)
            dismiss_advisory(
                session,
                client_id=client.id,
                code=args.code,
                about=args.about,
                reason=args.reason,
                by=by,
                now=datetime.now(UTC),
            )
    print(f"Dismissed {args.code} for {args.reference}.", file=out)
    return 0


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    from therapy_desk.exchange import export_client
    from therapy_desk.services.clients import find_by_reference

    with _open(args) as db:
        with db.reading() as session:
            client = find_by_reference(session, args.reference)
            document = export_client(session, client_id=client.id, now=datetime.now(UTC))
        target: Path = args.output
        data = (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode()
        with _writing(args, db) as partial:
            partial.write_bytes(data)
    print(f"Exported {args.reference} to {target}", file=out)
    return 0


@contextmanager
def _writing(args: argparse.Namespace, db: Any) -> Iterator[Path]:
    """A private temporary file that becomes `-o` when the block ends well: never the
    open database by any name, an existing file only with --force."""
    from therapy_desk.files import staged_file

    try:
        with staged_file(args.output, replace=args.force, protect=_protected(db)) as partial:
            yield partial
    except OSError as problem:
        if problem.errno is None:  # not the file system's answer: for the one door
            raise
        raise CommandError(_cannot_write(args.output, problem)) from None


def _protected(db: Any) -> list[Path]:
    from therapy_desk.files import database_files

    return database_files(db.file) if db.file is not None else []


def _check_output(args: argparse.Namespace, db: Any) -> None:
    """Refuse a bad -o before the work of building what would go there."""
    from therapy_desk.files import check_output

    check_output(args.output, replace=args.force, protect=_protected(db))


def _cannot_write(target: Path, problem: OSError) -> str:
    import errno

    if problem.errno == errno.ENOSPC:
        return f"cannot write {target}: the disk is full. Free some space and try again"
    reason = problem.strerror or "the system refused"
    return f"cannot write {target} ({reason}); choose another folder"


def _kinds(args: argparse.Namespace) -> tuple[Any, ...]:
    from therapy_desk.domain.vocabulary import HandoutKind
    from therapy_desk.handouts.snapshot import USUAL_KINDS

    if not args.kind:
        return USUAL_KINDS
    if "all" in args.kind:
        return tuple(HandoutKind)
    return tuple(dict.fromkeys(HandoutKind(k) for k in args.kind))


def _skipped_lines(results: Sequence[Any]) -> list[str]:
    return [
        f"  {r.snapshot.reference}: {kind.label} left out. {reason}"
        for r in results
        for kind, reason in r.skipped.items()
    ]


def cmd_handout(args: argparse.Namespace, out: TextIO) -> int:
    from therapy_desk import words
    from therapy_desk.domain.vocabulary import HandoutKind
    from therapy_desk.handouts.build import build_handout
    from therapy_desk.services.clients import find_by_reference
    from therapy_desk.services.handouts import handout_flags, handout_snapshot

    by = acting_user(args) if args.given else ""  # a preview records nothing
    with _open(args) as db:
        _check_output(args, db)
        with db.reading() as session:
            client = find_by_reference(session, args.reference)
            snapshot = handout_snapshot(session, client_id=client.id, today=_today())
            kinds = _kinds(args)
            flags = (
                handout_flags(session, snapshot=snapshot, today=_today())
                if HandoutKind.PROGRAMME in kinds
                else []
            )
        for flag in flags:  # before the work of printing, as the dialog shows them
            print(f"Warning: {flag.sentence()}", file=out)
        large = snapshot.prefers_large_print if args.large_print is None else args.large_print
        pdf = build_handout(snapshot, kinds, large_print=large)
        _deliver(args, db, pdf.pdf, pdf.packets if args.given else (), by=by)
    (packet,) = pdf.packets
    names = ", ".join(kind.label for kind, _ in packet.given)
    size = "large print, " if large else ""
    pages = words.count(pdf.pages, "page")
    print(f"{names} for {args.reference}: {size}{pages} in {args.output}", file=out)
    if flags and args.given:
        print("Printed with the warnings above, and recorded as given.", file=out)
    if not args.given:
        print("Not recorded as given (--not-given).", file=out)
    for line in _skipped_lines(pdf.packets):
        print(line, file=out)
    return 0


def _deliver(args: argparse.Namespace, db: Any, pdf: bytes, packets: Any, *, by: str) -> None:
    """The PDF and the record of it land together or not at all: the PDF is complete
    under a temporary name, the record commits, and only then the PDF takes its name.
    A PDF at its name always has its record (a kill in the instant between the commit
    and the rename leaves the record, and the PDF under its private temporary name).
    With no packets the PDF is only written: nothing is recorded."""
    from therapy_desk.files import sync
    from therapy_desk.services.handouts import record_handouts_given

    with _writing(args, db) as partial:
        partial.write_bytes(pdf)
        if not packets:
            return
        sync(partial)  # so all that is left after the commit is the rename
        with db.transaction(user=by) as session:
            record_handouts_given(session, packets=packets, by=by, now=datetime.now(UTC))


def cmd_print_due(args: argparse.Namespace, out: TextIO) -> int:
    from therapy_desk import words
    from therapy_desk.handouts.build import Packet, build_batch
    from therapy_desk.services.handouts import handout_snapshots
    from therapy_desk.services.this_week import follow_ups_due

    by = acting_user(args) if args.given else ""  # a preview records nothing
    if args.end < args.start:
        raise CommandError(
            f"--to {words.day(args.end)} is before --from {words.day(args.start)}; swap them"
        )
    kinds = _kinds(args)
    today = _today()
    span = f"{words.day(args.start)} to {words.day(args.end)}"
    with _open(args) as db:
        _check_output(args, db)
        with db.reading() as session:
            due = follow_ups_due(
                session, today=today, start=args.start, end=args.end, overdue=args.overdue
            )
            if not due:
                overdue = " and none is overdue" if args.overdue else ""
                print(
                    f"No active client has a follow-up from {span}{overdue}; nothing printed.",
                    file=out,
                )
                return 0
            snapshots = handout_snapshots(
                session, client_ids=[d.client_id for d in due], today=today
            )

        def progress(done: int, total: int) -> bool:
            if total >= 20 and done and done % 20 == 0:
                print(f"  {words.number(done)} of {words.count(total, 'client')}", file=sys.stderr)
            return True

        packets = [
            Packet(
                s,
                kinds,
                s.prefers_large_print if args.large_print is None else args.large_print,
            )
            for s in snapshots
        ]
        pdf = build_batch(packets, title=f"Handouts for follow-ups {span}", progress=progress)
        printed = [p for p in pdf.packets if p.given]
        _deliver(args, db, pdf.pdf, printed if args.given else [], by=by)
    late = sum(d.overdue for d in due)
    with_overdue = f" ({words.number(late)} of them overdue)" if late else ""
    print(
        f"Handouts for {words.number(len(printed))} of {words.count(len(due), 'client')} due "
        f"{span}{with_overdue}: {words.count(pdf.pages, 'page')} in {args.output}",
        file=out,
    )
    print(
        "Recorded as given on each client's record."
        if args.given
        else "Not recorded as given: record them when they are handed out (--given).",
        file=out,
    )
    for line in _skipped_lines(pdf.packets):
        print(line, file=out)
    return 0


def cmd_withdraw_handout(args: argparse.Namespace, out: TextIO) -> int:
    from therapy_desk import words
    from therapy_desk.services.clients import find_by_reference
    from therapy_desk.services.handouts import handouts_given, withdraw_handout

    by = acting_user(args)
    with _open(args) as db:
        with db.transaction(user=by) as session:
            client = find_by_reference(session, args.reference)
            candidates = [
                h
                for h in handouts_given(session, client_id=client.id)
                if h.kind == args.kind
                and not h.withdrawn
                and (args.on is None or h.given_at.astimezone().date() == args.on)
            ]
            if not candidates:
                on = f" on {words.day(args.on)}" if args.on else ""
                raise CommandError(
                    f"{args.reference} has no {args.kind} handout on record{on} to withdraw"
                )
            chosen = candidates[0]  # newest first
            withdraw_handout(
                session,
                record_id=chosen.id,
                reason=args.reason,
                by=by,
                now=datetime.now(UTC),
                expected_version=chosen.version,
            )
    print(
        f"Withdrew the {chosen.label} given to {args.reference} on "
        f"{words.moment(chosen.given_at)}.",
        file=out,
    )
    return 0


def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    from therapy_desk.exchange import import_record, read_record_file

    if args.discard_newer and not args.replace:
        raise CommandError("--discard-newer goes with --replace")
    data = read_record_file(args.file)
    by = acting_user(args)
    with _open(args) as db:
        kept = _keep_before_replacing(db, data) if args.replace else None
        with db.transaction(user=by) as session:
            result = import_record(
                session,
                data,
                replace=args.replace,
                discard_newer=args.discard_newer,
                today=_today(),
            )
            reference = result.client.reference
    print(f"Imported {reference} from {args.file}", file=out)
    if kept is not None:
        print(f"The record as it was before is kept in {kept}", file=out)
    for line in result.explain():
        print(line, file=out)
    return 0


def _keep_before_replacing(db: Any, data: Any) -> Path | None:
    """Before `--replace` overwrites a client, their record as it is goes to a private
    file in the backups folder (None when the file names no client already here)."""
    import uuid

    from therapy_desk.db.backup import backups_folder
    from therapy_desk.db.location import user_data_dir
    from therapy_desk.domain import Client
    from therapy_desk.exchange import export_client
    from therapy_desk.files import private_folder, write_atomically

    try:
        client_id = uuid.UUID(str(data["client"]["id"]))
    except (TypeError, KeyError, ValueError):
        return None  # the import itself explains what is wrong with the file
    now = datetime.now(UTC)
    with db.reading() as session:
        client = session.get(Client, client_id)
        if client is None:
            return None
        reference = client.reference
        document = export_client(session, client_id=client_id, now=now)
    folder = private_folder(backups_folder(db.file) if db.file else user_data_dir() / "backups")
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in reference)
    target = folder / f"{safe}-before-replace-{now:%Y%m%dT%H%M%S%fZ}.json"
    write_atomically(target, (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode())
    return target


def cmd_exercises(args: argparse.Namespace, out: TextIO) -> int:
    from therapy_desk import words
    from therapy_desk.services.catalogue import import_clinic_exercises, list_exercises

    with _open(args) as db:
        if args.action == "import":
            with db.transaction() as session:
                added = import_clinic_exercises(session, args.file)
                names = [e.code for e in added]
            print(
                f"Added or updated {words.count(len(names), 'clinic exercise')}: "
                f"{', '.join(names)}",
                file=out,
            )
            return 0
        with db.reading() as session:
            rows: list[dict[str, Any]] = [
                {
                    "code": e.code,
                    "name": e.name,
                    "category": e.category.value,
                    "regions": e.regions,
                    "suits": e.suits,
                    "builtin": e.builtin,
                }
                for e in list_exercises(session)
            ]
    if getattr(args, "json", False):
        json.dump(rows, out, ensure_ascii=False, indent=1)
        out.write("\n")
        return 0
    _print_table(
        out,
        ("Code", "Name", "Category", "Regions", "Source"),
        [
            (
                r["code"],
                r["name"],
                r["category"],
                ", ".join(r["regions"]),
                "shipped" if r["builtin"] else "clinic",
            )
            for r in rows
        ],
    )
    return 0


def cmd_db(args: argparse.Namespace, out: TextIO) -> int:
    from therapy_desk.db import maintenance
    from therapy_desk.db.location import describe, resolve_url

    url = resolve_url(args.db)
    if args.action == "where":
        print(describe(url), file=out)
        return 0
    if args.action == "init":
        maintenance.init(url)
        print(f"New clinic database ready in {describe(url)}.", file=out)
        return 0
    if args.action == "upgrade":
        before, after, backup = maintenance.upgrade(url)
        if before == after:
            print(f"Schema already current ({after}).", file=out)
        else:
            print(f"Schema upgraded from {before or 'empty'} to {after}.", file=out)
        if backup:
            print(f"Backup taken first: {backup}", file=out)
        return 0
    if args.action == "check":
        report = maintenance.check(url)
        for line in report.lines():
            print(line, file=out)
        return 0 if report.ok else 1
    if args.action == "restore":
        restored = maintenance.restore(url, args.source, force=args.force)
        print(f"Restored {restored.database} from {restored.backup}.", file=out)
        if restored.set_aside:
            print(f"The file it replaced was kept as {restored.set_aside}.", file=out)
        return 0
    made = maintenance.backup(url, args.output, replace=args.force)
    print(f"Backup written and checked: {made}", file=out)
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "demo": cmd_demo,
    "clients": cmd_clients,
    "advisories": cmd_advisories,
    "dismiss": cmd_dismiss,
    "export": cmd_export,
    "import": cmd_import,
    "exercises": cmd_exercises,
    "handout": cmd_handout,
    "print-due": cmd_print_due,
    "withdraw-handout": cmd_withdraw_handout,
    "clinician": cmd_clinician,
    "db": cmd_db,
}


def _plain(value: Any) -> Any:
    """Make dataclass dumps JSON-ready: UUIDs, dates and enums as strings."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | frozenset | set):
        return [_plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def _print_table(out: TextIO, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [min(max([len(h), *(len(r[i]) for r in rows)]), 40) for i, h in enumerate(header)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c[:w].ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    print(line(header), file=out)
    print(line(["-" * w for w in widths]), file=out)
    for row in rows:
        print(line(row), file=out)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
