"""Run a command and kill it with SIGKILL at a chosen or random moment.

The parent polls every half millisecond while the child runs. A `trigger` (a cheap
callable) marks the moment the interesting part of the work begins — a file appearing
in the output folder, the database's write-ahead log growing, the server giving the
child's transaction an id — so that a kill can be aimed at a random point after it as
well as at a random point of the whole run. `on_poll` is called on every poll, to
watch what the child leaves on disk while it works.
"""

from __future__ import annotations

import math
import os
import random
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

#: Seconds between looks at the child.
POLL = 0.0005
#: The shortest delay after a trigger that a random kill aims for (seconds).
EARLIEST = 0.0002


@dataclass(frozen=True)
class Run:
    #: True when the child exited on its own before the kill was due.
    completed: bool
    returncode: int
    #: Seconds from start to exit (or to the kill).
    elapsed: float
    #: Seconds from start to the moment `trigger` first held, if it did.
    trigger_at: float | None
    #: The delay asked for (None: no kill) and what it counted from.
    delay: float | None
    after_trigger: bool
    stdout: str
    stderr: str

    def describe(self) -> str:
        if self.delay is None:
            aim = "no kill"
        else:
            start = "the trigger" if self.after_trigger else "start"
            aim = f"kill {self.delay * 1000:.0f} ms after {start}"
        how = f"exited {self.returncode}" if self.completed else "killed"
        return f"{aim}: {how} at {self.elapsed * 1000:.0f} ms"


@dataclass(frozen=True)
class Timing:
    """An operation's typical duration, and how long it runs on after its trigger."""

    total: float
    tail: float | None

    @classmethod
    def of(cls, run: Run) -> Timing:
        tail = None if run.trigger_at is None else max(run.elapsed - run.trigger_at, 0.001)
        return cls(run.elapsed, tail)


def run_and_kill(
    command: Sequence[str],
    *,
    delay: float | None,
    after_trigger: bool = False,
    trigger: Callable[[], bool] | None = None,
    on_poll: Callable[[], None] | None = None,
    env: Mapping[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
    timeout: float = 300.0,
) -> Run:
    """Run `command`; SIGKILL it `delay` seconds after it starts (or after `trigger` first
    holds, with `after_trigger`), unless it exits first. `delay=None` never kills."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(
            list(command),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=dict(env) if env is not None else None,
            cwd=cwd,
            start_new_session=True,
        )
        trigger_at: float | None = None
        killed = False
        try:
            while True:
                now = time.perf_counter() - started
                if trigger_at is None and trigger is not None and trigger():
                    trigger_at = now
                if on_poll is not None:
                    on_poll()
                if child.poll() is not None:
                    break
                if delay is not None:
                    start = trigger_at if after_trigger else 0.0
                    if start is not None and now >= start + delay:
                        os.killpg(child.pid, signal.SIGKILL)
                        # It may have exited on its own just before the signal.
                        killed = child.wait() == -signal.SIGKILL
                        break
                if now > timeout:
                    os.killpg(child.pid, signal.SIGKILL)
                    child.wait()
                    raise TimeoutError(f"{command[:6]} ran over {timeout:.0f} s")
                time.sleep(POLL)
        finally:
            if child.poll() is None:  # an exception in a callback: leave nothing running
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
        elapsed = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        return Run(
            completed=not killed,
            returncode=child.returncode,
            elapsed=elapsed,
            trigger_at=trigger_at,
            delay=delay,
            after_trigger=after_trigger,
            stdout=out.read().decode(errors="replace"),
            stderr=err.read().decode(errors="replace"),
        )


def kill_at_random(
    command: Sequence[str],
    rng: random.Random,
    timing: Timing,
    *,
    aim: bool | None = None,
    **options: Any,
) -> Run:
    """Run `command` and SIGKILL it at a random moment; `run.completed` says whether it
    finished first.

    Half the kills (`aim` False, or a coin toss) fall anywhere in a typical run (uniform
    over 0 to `timing.total`). When the command has a trigger, the other half (`aim`
    True) fall after it, log-uniform over
    `EARLIEST` to `timing.tail`: as many in its first millisecond as between 10 and 100
    ms, because the steps that matter (write, commit, rename) follow the trigger within
    milliseconds while the rest of the tail is the interpreter shutting down.
    """
    if aim is None:
        aim = rng.random() < 0.5
    if timing.tail is not None and aim:
        low, high = math.log(EARLIEST), math.log(max(timing.tail, EARLIEST * 2))
        delay = math.exp(rng.uniform(low, high))
        return run_and_kill(command, delay=delay, after_trigger=True, **options)
    return run_and_kill(command, delay=rng.uniform(0.0, timing.total), **options)
