"""Slow reads off the GUI thread: one worker, results delivered back as signals.

Workers never touch widgets; the callback runs on the GUI thread. A newer request
for the same purpose makes an older answer stale, so it is dropped unseen.

A job that fails with a known problem (a busy database, a record gone, or a kind the
caller names) hands that error to its `on_error`. Anything else is unexpected: it goes
through the error door (logged safely, the user told), and `on_error` gets an
`Unexpected` that says only the incident's code, so no view shows an error's own text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QWidget


class _Relay(QObject):
    done = Signal(int, object)
    failed = Signal(int, object)


class _Job(QRunnable):
    def __init__(self, ticket: int, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.ticket = ticket
        self.work = work
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as error:  # delivered to the GUI thread, which reports it
            self.relay.failed.emit(self.ticket, error)
        else:
            self.relay.done.emit(self.ticket, result)


@dataclass(frozen=True)
class _Waiting:
    purpose: str
    on_done: Callable[[Any], None]
    on_error: Callable[[Exception], None]
    doing: str
    known: tuple[type[BaseException], ...]


class Background(QObject):
    """Run `work` on the worker; `on_done(result)` or `on_error(error)` on the GUI thread."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.done.connect(self._deliver)
        self._relay.failed.connect(self._fail)
        self._tickets = 0
        self._waiting: dict[int, _Waiting] = {}
        self._latest: dict[str, int] = {}

    def run(
        self,
        purpose: str,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None],
        *,
        doing: str = "reading from the database",
        known: tuple[type[BaseException], ...] = (),
    ) -> None:
        """`doing` says what the job was for, should it fail unexpectedly; `known` names
        the caller's own kinds of failure that `on_error` explains."""
        self._tickets += 1
        ticket = self._tickets
        self._latest[purpose] = ticket
        self._waiting[ticket] = _Waiting(purpose, on_done, on_error, doing, known)
        self._pool.start(_Job(ticket, work, self._relay))

    def wait(self, msecs: int = 30_000) -> bool:
        return self._pool.waitForDone(msecs)

    def _take(self, ticket: int) -> tuple[_Waiting, bool]:
        """The job's callbacks, and whether its answer is still wanted."""
        waiting = self._waiting.pop(ticket)
        return waiting, self._latest.get(waiting.purpose) == ticket

    def _deliver(self, ticket: int, result: object) -> None:
        waiting, wanted = self._take(ticket)
        if wanted:
            waiting.on_done(result)

    def _fail(self, ticket: int, error: object) -> None:
        from ui.errors import Unexpected, is_known, report_unexpected

        waiting, wanted = self._take(ticket)
        if not isinstance(error, Exception):
            error = RuntimeError("a job failed without an error to show")
        if is_known(error) or isinstance(error, waiting.known):
            if wanted:
                waiting.on_error(error)
            return
        if not wanted:  # nobody waits for it, but it is logged all the same
            from therapy_desk import incidents

            incidents.report(error, doing=waiting.doing)
            return
        owner = self.parent()
        window = owner.window() if isinstance(owner, QWidget) else None
        incident = report_unexpected(window, error, doing=waiting.doing)
        waiting.on_error(Unexpected(incident))
