"""Writing files without ever leaving a half-written one (temporary file, fsync, rename), and cache
files without ever writing through a symbolic link."""

from __future__ import annotations

import os
import signal
import stat
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
        st = path.stat()
    except FileNotFoundError:
        mode = 0o666 & ~_umask()  # a new file: what open() would have given it
    else:
        if stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode) or stat.S_ISSOCK(st.st_mode):
            # `-o /dev/null`, `-o /dev/stdout`, a pipe: written to, never replaced (renaming a file
            # over /dev/null as root turned the device into a file for every process on the machine)
            with open(path, "wb") as fh:
                fh.write(data)
            return
        mode = st.st_mode & 0o7777
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


# ------------------------------------------------------------------ inside a folder, never through a link

_BELOW_BY_FD = {os.open, os.mkdir, os.rename, os.unlink} <= os.supports_dir_fd
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


def write_below(base: Path, rel: str, data: bytes, replace: bool = True) -> None:
    """Write `base/rel` (a "/"-separated path), creating folders, without following a symbolic
    link anywhere below `base`: folders are opened relative to their parent with O_NOFOLLOW (a link
    where a folder should be is an error), and the file is a new one (O_EXCL) renamed over the old,
    so a link in its place is replaced, never written through. `replace=False` only creates the
    file, leaving anything already there. Mode 0600. Raises OSError."""
    *folders, name = rel.split("/")
    if any(part in ("", ".", "..") for part in (*folders, name)):
        raise ValueError(f"not a plain relative path: {rel!r}")
    if not _BELOW_BY_FD:  # pragma: no cover - Windows: check each folder, then write by path
        os.makedirs(base, exist_ok=True)
        here = base
        for part in folders:
            here = here / part
            here.mkdir(exist_ok=True)
            if here.is_symlink() or not here.is_dir():
                raise OSError(f"{here}: not a plain folder")
        target = here / name
        if not replace:
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        fd, tmp = tempfile.mkstemp(dir=str(here), suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
        return
    os.makedirs(base, exist_ok=True)  # the caller's folder (resolved); below it, nothing is followed
    fd = os.open(base, os.O_RDONLY | _DIRECTORY | _NOFOLLOW)
    try:
        for part in folders:
            try:
                os.mkdir(part, 0o777, dir_fd=fd)
            except FileExistsError:
                pass
            inner = os.open(part, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = inner
        if not replace:
            _write_fd(os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600, dir_fd=fd), data)
            return
        tmp = f".{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
        _write_fd(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600, dir_fd=fd), data)
        try:
            os.rename(tmp, name, src_dir_fd=fd, dst_dir_fd=fd)
        except BaseException:
            try:
                os.unlink(tmp, dir_fd=fd)
            except OSError:
                pass
            raise
    finally:
        os.close(fd)


def _write_fd(fd: int, data: bytes) -> None:
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)

