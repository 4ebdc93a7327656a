"""Slow reads off the GUI thread: one worker, results delivered back as signals.

Workers never touch widgets; the callback runs on the GUI thread. A newer request
for the same purpose makes an older answer stale, so it is dropped unseen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


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
        self._waiting: dict[
            int, tuple[str, Callable[[Any], None], Callable[[Exception], None]]
        ] = {}
        self._latest: dict[str, int] = {}

    def run(
        self,
        purpose: str,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        self._tickets += 1
        ticket = self._tickets
        self._latest[purpose] = ticket
        self._waiting[ticket] = (purpose, on_done, on_error)
        self._pool.start(_Job(ticket, work, self._relay))

    def wait(self, msecs: int = 30_000) -> bool:
        return self._pool.waitForDone(msecs)

    def _take(
        self, ticket: int
    ) -> tuple[Callable[[Any], None], Callable[[Exception], None]] | None:
        purpose, on_done, on_error = self._waiting.pop(ticket)
        if self._latest.get(purpose) != ticket:
            return None
        return on_done, on_error

    def _deliver(self, ticket: int, result: object) -> None:
        callbacks = self._take(ticket)
        if callbacks is not None:
            callbacks[0](result)

    def _fail(self, ticket: int, error: object) -> None:
        callbacks = self._take(ticket)
        if callbacks is not None:
            callbacks[1](error if isinstance(error, Exception) else RuntimeError(str(error)))
