"""The `therapy-desk` entry point: commands go to the core's CLI; no command opens the app.

Kept free of Qt imports so the command line starts fast and works without a display.
"""

from __future__ import annotations

from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from therapy_desk import cli

    args = cli.build_parser().parse_args(argv)
    if args.command is not None:
        return cli.run_to_stdout(args)
    return open_app(args)


def open_app(args: object) -> int:
    """Until the desktop window lands, open the database and say what is in it."""
    from therapy_desk.db.location import describe
    from therapy_desk.services.caseload import CaseloadFilter, list_caseload
    from therapy_desk.services.opening import open_clinic

    db = open_clinic(getattr(args, "db", None))
    try:
        from datetime import date

        with db.reading() as session:
            active = len(list_caseload(session, filters=CaseloadFilter(), today=date.today()))
    finally:
        db.close()
    print(
        f"Therapy Desk: database ready at {describe(db.url)} with {active} active clients.\n"
        "The desktop window arrives in the next release; meanwhile every task is a command:\n"
        "  therapy-desk --help"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
