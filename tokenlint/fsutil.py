"""Writing files without ever leaving a half-written one: temporary file, fsync, rename."""

from __future__ import annotations

import os
import signal
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# Signals that would end the process while a file is half replaced: held back until that one file is
# complete (a temporary file written in full, then renamed over the old one), then delivered.
_HELD = tuple(getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT") if hasattr(signal, n))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace `path` with `data` atomically, keeping its permission bits when it exists.

    A symbolic link stays a link: the file it points to is replaced. A file we may not write (a
    read-only file) raises PermissionError, as a plain write would, instead of being replaced by
    a rename that the folder's permissions happen to allow. An interrupting signal (Ctrl-C, a CI
    timeout's SIGTERM) takes effect once the file is complete, so it is either old or new.
    """
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o666 & ~_umask()  # a new file: what open() would have given it
    else:
        os.close(os.open(path, os.O_WRONLY | getattr(os, "O_NONBLOCK", 0)))  # may we write it at all?
    held = _hold_signals()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tokenlint-tmp", dir=str(path.parent or "."))
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, mode)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    finally:
        _release_signals(held)


def _hold_signals():  # type: ignore[no-untyped-def]
    if not _HELD or not hasattr(signal, "pthread_sigmask"):
        return None
    try:
        return signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    except (OSError, ValueError):
        return None


def _release_signals(previous) -> None:  # type: ignore[no-untyped-def]
    if previous is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))
