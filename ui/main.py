"""The `therapy-desk` entry point: commands go to the core's CLI; no command opens the app.

Kept free of Qt imports so the command line starts fast and works without a display.
Opening the app reads only the app's own options: building the whole command-line
parser (every command and its choices) would cost a fifth of start-up.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

#: When the entry point began: start-up is timed from here unless the launcher says when
#: it launched us (see ui.app.LAUNCHED_AT_VAR).
STARTED = time.time()

#: The options that open the app; anything else on the line is for the full CLI.
APP_OPTIONS = ("--db", "--by", "--user", "--exit-after-startup")


def main(argv: Sequence[str] | None = None) -> int:
    import os
    import sys

    # Health data: whatever the app or Qt writes is the user's alone (as
    # therapy_desk.files.private_umask, without importing it before the first paint).
    os.umask(0o077)

    words = list(sys.argv[1:] if argv is None else argv)
    app_args = _app_options(words)
    if app_args is not None:
        return open_app(app_args)
    from therapy_desk import cli

    args = cli.build_parser().parse_args(words)
    if args.command is not None:
        return cli.run_to_stdout(args)
    return open_app(args)


def _app_options(words: list[str]) -> dict[str, object] | None:
    """The app's options when the line holds nothing else (no command, no --help), else
    None: the full parser then explains or runs whatever was asked."""
    found: dict[str, object] = {"db": None, "user": None, "exit_after_startup": False}
    rest = iter(words)
    for word in rest:
        name, equals, value = word.partition("=")
        if name not in APP_OPTIONS:
            return None
        key = "user" if name == "--by" else name[2:].replace("-", "_")
        if name == "--exit-after-startup":
            if equals:
                return None
            found[key] = True
            continue
        if not equals:
            value = next(rest, "")
            if not value or value.startswith("-"):
                return None
        found[key] = value
    return found


def open_app(args: object) -> int:
    """The desktop window on the chosen (or default) database."""
    import gc
    import sys

    from ui import platform_check

    # Told plainly here, where Qt would abort with a core dump (ui/platform_check.py).
    trouble = platform_check.problem()
    if trouble is not None:
        print(trouble, file=sys.stderr)
        return 2
    # Start-up makes a great many objects and frees few: collecting cycles meanwhile
    # only costs time. `run` turns collection back on once the first window is up.
    gc.disable()
    try:
        from ui.app import run
    except ImportError as error:  # Qt's own libraries need one the system lacks
        gc.enable()
        missing = platform_check.unopened(str(error))
        if missing is None:
            raise
        print(platform_check.missing_message([missing]), file=sys.stderr)
        return 2

    def option(name: str) -> object:
        return args.get(name) if isinstance(args, dict) else getattr(args, name, None)

    db, user = option("db"), option("user")
    return run(
        db if isinstance(db, str) else None,
        user if isinstance(user, str) else None,
        exit_after_startup=bool(option("exit_after_startup")),
        started=STARTED,
    )


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
