"""Slow reads off the GUI thread: one worker, results delivered back as signals.

Workers never touch widgets; the callback runs on the GUI thread. A newer request
for the same purpose makes an older answer stale, so it is dropped unseen.

The worker is a daemon thread: quitting never waits for a read to end. `abandon` drops
every answer still to come; a job under way runs on unseen and ends with the process
(its connection is only ever read through, so nothing is left half-written).

A job that fails with a known problem (a busy database, a record gone, or a kind the
caller names) hands that error to its `on_error`. Anything else is unexpected: it goes
through the error door (logged safely, the user told), and `on_error` gets an
`Unexpected` that says only the incident's code, so no view shows an error's own text.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget


class _Relay(QObject):
    done = Signal(int, object)
    failed = Signal(int, object)


@dataclass(frozen=True)
class _Job:
    ticket: int
    work: Callable[[], Any]

    def run(self, relay: _Relay) -> None:
        try:
            result = self.work()
        except Exception as error:  # delivered to the GUI thread, which reports it
            relay.failed.emit(self.ticket, error)
        else:
            relay.done.emit(self.ticket, result)


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
        #: Jobs not yet started; the worker thread lives while there are any.
        self._jobs: deque[_Job] = deque()
        self._running = False
        #: Jobs queued or running. These three change only under the condition.
        self._pending = 0
        self._idle = threading.Condition()
        self._abandoned = False
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
        if self._abandoned:
            return
        self._tickets += 1
        ticket = self._tickets
        self._latest[purpose] = ticket
        self._waiting[ticket] = _Waiting(purpose, on_done, on_error, doing, known)
        with self._idle:
            self._pending += 1
            self._jobs.append(_Job(ticket, work))
            if not self._running:
                self._running = True
                worker = threading.Thread(
                    target=self._work, args=(self._relay,), name="background", daemon=True
                )
                worker.start()

    def _work(self, relay: _Relay) -> None:
        """One job after another, in order; the thread ends when none is left."""
        while True:
            with self._idle:
                if not self._jobs:
                    self._running = False
                    return
                job = self._jobs.popleft()
            try:
                job.run(relay)
            except RuntimeError:  # the relay is gone: abandoned, and nobody is listening
                if not self._abandoned:
                    raise
            finally:
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()

    def busy(self) -> bool:
        """A job is queued or running."""
        with self._idle:
            return self._pending > 0

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until every job queued has run; False if `msecs` passed first."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout=msecs / 1000)

    def abandon(self) -> None:
        """For quitting: run nothing more and deliver nothing more, at once. A job under
        way is not waited for; it ends on its daemon thread, its answer dropped."""
        self._abandoned = True
        self._waiting.clear()
        self._latest.clear()
        with self._idle:
            self._pending -= len(self._jobs)
            self._jobs.clear()  # the worker stops after the job it is on
            self._idle.notify_all()

    def _take(self, ticket: int) -> tuple[_Waiting | None, bool]:
        """The job's callbacks (None once abandoned), and whether its answer is wanted."""
        waiting = self._waiting.pop(ticket, None)
        if waiting is None:
            return None, False
        return waiting, self._latest.get(waiting.purpose) == ticket

    def _deliver(self, ticket: int, result: object) -> None:
        waiting, wanted = self._take(ticket)
        if waiting is not None and wanted:
            waiting.on_done(result)

    def _fail(self, ticket: int, error: object) -> None:
        from ui.errors import Unexpected, is_known, report_unexpected

        waiting, wanted = self._take(ticket)
        if waiting is None:
            return
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
