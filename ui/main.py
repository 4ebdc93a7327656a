"""The `therapy-desk` entry point: commands go to the core's CLI; no command opens the app.

Kept free of Qt imports so the command line starts fast and works without a display.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

#: When the entry point began: start-up is timed from here unless the launcher says when
#: it launched us (see ui.app.LAUNCHED_AT_VAR).
STARTED = time.time()


def main(argv: Sequence[str] | None = None) -> int:
    from therapy_desk import cli

    args = cli.build_parser().parse_args(argv)
    if args.command is not None:
        return cli.run_to_stdout(args)
    return open_app(args)


def open_app(args: object) -> int:
    """The desktop window on the chosen (or default) database."""
    from ui.app import run

    return run(
        getattr(args, "db", None),
        getattr(args, "user", None),
        exit_after_startup=bool(getattr(args, "exit_after_startup", False)),
        started=STARTED,
    )


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
