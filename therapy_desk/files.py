"""Writing the user's files safely: all of the file or none of it, readable by the user alone.

Every file the app writes goes through here. A file is first written under a fresh
temporary name in the target's folder — created exclusively with mode 0600, so never
through a link someone planted — and takes its real name only when complete. A target
that is the open database (by any name: a symlink, a hard link, its WAL or journal) is
refused, and an existing file is replaced only when the caller says so.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

#: Modes for what the app creates: the user's alone, whatever the umask.
PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700
#: SQLite's companions of a database file, which must never be overwritten either.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")
#: Open flag that refuses to follow a symlink at the last step (0 where there is none).
NOFOLLOW: int = getattr(os, "O_NOFOLLOW", 0)


class OutputRefused(ValueError):
    """The chosen output path cannot be used; the message says why and what to do."""


def private_umask() -> None:
    """Make everything this process creates private unless it says otherwise."""
    os.umask(0o077)


def private_folder(folder: Path) -> Path:
    """Create `folder` (and any missing parents) as 0700; an existing one is left as it is."""
    missing: list[Path] = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):
            path.mkdir(mode=PRIVATE_FOLDER)
            path.chmod(PRIVATE_FOLDER)
    return folder


def make_private(path: Path) -> None:
    """Take away other accounts' access to a file of ours (one an older version made 0644)."""
    try:
        info = path.lstat()
        if stat.S_ISREG(info.st_mode) and info.st_mode & 0o077 and info.st_uid == os.getuid():
            path.chmod(stat.S_IMODE(info.st_mode) & ~0o077)
    except (OSError, AttributeError):  # gone meanwhile, or no POSIX owners here
        pass


def database_files(database: Path) -> list[Path]:
    """The database file and the companions SQLite keeps beside it."""
    return [database, *(database.with_name(database.name + s) for s in SQLITE_COMPANIONS)]


def _same_file(a: Path, b: Path) -> bool:
    with contextlib.suppress(OSError):
        if os.path.samefile(a, b):
            return True
    with contextlib.suppress(OSError, RuntimeError):
        return a.resolve() == b.resolve()
    return False


def check_output(target: Path, *, replace: bool, protect: Iterable[Path] = ()) -> None:
    """Refuse a target that is a protected file by any name, a folder, or (without
    `replace`) an existing file. Raises OutputRefused."""
    for guarded in protect:
        if _same_file(target, guarded):
            raise OutputRefused(
                f"{target} is the clinic's open database (or part of it); writing there "
                "would destroy it. Choose another file name"
            )
    if target.is_dir():
        raise OutputRefused(f"{target} is a folder; give a file name inside it")
    if not replace and (target.exists() or target.is_symlink()):
        raise OutputRefused(
            f"{target} already exists; choose another name, or add --force to replace it"
        )


#: A temporary file `staged_file` made: `.NAME.PID.RANDOM.partial`, and the journal
#: SQLite may keep beside one while a backup is written into it.
_LEFTOVER = re.compile(r"^\..+\.(?P<pid>\d+)\.[A-Za-z0-9_]{8}\.partial(-journal|-wal|-shm)?$")


def sweep_leftovers(folder: Path) -> None:
    """Remove temporary files a killed process left in `folder` (its own are kept while
    it lives). They were private (0600) all along; this only tidies up."""
    try:
        names = [
            entry.name
            for entry in os.scandir(folder)
            if entry.name.endswith(("partial", "-journal", "-wal", "-shm"))
        ]
    except OSError:
        return
    for name in names:
        found = _LEFTOVER.match(name)
        if found is not None and not _alive(int(found["pid"])):
            (folder / name).unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


@contextlib.contextmanager
def staged_file(
    target: Path, *, replace: bool = False, protect: Iterable[Path] = ()
) -> Iterator[Path]:
    """A private temporary file beside `target`, for the caller to fill; it takes the
    target's name when the block ends without error, and is removed otherwise."""
    protect = list(protect)
    check_output(target, replace=replace, protect=protect)
    folder = target.parent
    sweep_leftovers(folder)
    fd, name = tempfile.mkstemp(
        dir=folder, prefix=f".{target.name}.{os.getpid()}.", suffix=".partial"
    )
    os.close(fd)
    partial = Path(name)
    try:
        yield partial
        sync(partial)
        check_output(target, replace=replace, protect=protect)  # the folder may have changed
        _publish(partial, target, replace=replace)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def write_atomically(
    target: Path, data: bytes, *, replace: bool = False, protect: Iterable[Path] = ()
) -> None:
    """Write all of `data` at `target` or nothing (disk full, crash, kill). Raises
    OutputRefused for a target it must not write, OSError when the disk says no."""
    with staged_file(target, replace=replace, protect=protect) as partial:
        with partial.open("wb") as out:
            out.write(data)


def sync(path: Path) -> None:
    """Make a written file survive a power cut before anything depends on it."""
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def _publish(partial: Path, target: Path, *, replace: bool) -> None:
    if replace:
        os.replace(partial, target)
    else:
        try:
            os.link(partial, target)  # fails if the name was taken meanwhile: no clobbering
        except FileExistsError:
            raise OutputRefused(
                f"{target} appeared while it was being written; nothing was replaced"
            ) from None
        except OSError:  # a file system without hard links (FAT, some shares)
            if target.exists() or target.is_symlink():
                raise OutputRefused(f"{target} already exists; nothing was replaced") from None
            os.replace(partial, target)
        else:
            partial.unlink()
    with contextlib.suppress(OSError):  # make the new name survive a power cut
        folder = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
