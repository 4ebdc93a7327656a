"""`python -m therapy_desk`: the command line without the desktop app."""

from therapy_desk.cli import main

raise SystemExit(main())
