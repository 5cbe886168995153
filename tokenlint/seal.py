"""Cache files only this user's tokenlint can have written: each carries an HMAC under a key kept
outside the checkout.

A pull request controls every file of its checkout, the cache folder included, and every input of a
cache key (file contents, settings, the published catalogs) is public: a key proves nothing about who
wrote an entry. So each cache file starts with a line holding HMAC-SHA256(key, its path in the cache
folder + its body), and is ignored when that does not verify. The key is 32 random bytes in the
user's cache folder (`$XDG_CACHE_HOME/tokenlint/key` or `~/.cache/tokenlint/key`; on macOS
`~/Library/Caches/tokenlint`, on Windows `%LOCALAPPDATA%\\tokenlint`), created on first use with mode
0600: written to a private temporary file, then linked into place, which (like O_EXCL) fails when
another process got there first, so concurrent first runs agree on one key and none reads half of
it. Worker processes are forked after the key is read, and would read the same file anyway.

Without a usable key there is no cache (nothing read, nothing written). Files that fail the check are
counted, and the command line warns once per run (`warnings()`), not once per file.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import os
import stat
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional

from tokenlint.fsutil import write_below
from tokenlint.project import read_source_bytes

KEY_NAME = "key"
_KEY_BYTES = 32

_key: Optional[bytes] = None
_key_problem: Optional[str] = None  # why there is no key, once we looked
_rejected: dict[str, int] = {}  # cache folder -> files that did not verify, this run


def user_cache_dir() -> Optional[Path]:
    """tokenlint's folder in the user's cache directory, as the platform places it (None: no home)."""
    try:
        if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
            base = os.environ.get("LOCALAPPDATA")
            return Path(base) / "tokenlint" if base else Path.home() / "AppData" / "Local" / "tokenlint"
        if sys.platform == "darwin":  # pragma: no cover - exercised on macOS only
            return Path.home() / "Library" / "Caches" / "tokenlint"
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        return (Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache") / "tokenlint"
    except RuntimeError:  # no HOME and no password entry
        return None


def key() -> Optional[bytes]:
    """This user's cache key, created on first use; None when it cannot be read or created (then
    `key_problem()` says why)."""
    global _key, _key_problem
    if _key is None and _key_problem is None:
        try:
            _key = _load_or_create()
        except OSError as exc:
            _key_problem = str(exc)
    return _key


def key_problem() -> Optional[str]:
    return _key_problem


def _load_or_create() -> bytes:
    folder = user_cache_dir()
    if folder is None:
        raise OSError("no home folder to keep the cache key in")
    path = folder / KEY_NAME
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=str(folder), prefix=".key.", suffix=".tmp")  # mode 0600
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(os.urandom(_KEY_BYTES).hex().encode("ascii") + b"\n")
                fh.flush()
                os.fsync(fh.fileno())
            try:
                os.link(tmp, path)  # atomic, complete, and fails if another process won
            except FileExistsError:
                pass
            except OSError as exc:  # a file system without hard links: take the O_EXCL route
                if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
                    raise
                _create_exclusive(path, Path(tmp).read_bytes())
        finally:
            os.unlink(tmp)
    except OSError as exc:
        raise OSError(f"cannot create the cache key {path}: {exc.strerror or exc}") from None
    return _read_key(path, wait=True)


def _create_exclusive(path: Path, data: bytes) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def _read_key(path: Path, wait: bool = False) -> bytes:
    """The key in `path`: a regular file (not a link) owned by this user, holding 64 hex digits."""
    for _ in range(50 if wait else 1):  # another process may still be writing it (the O_EXCL route)
        raw = read_source_bytes(path, follow_symlinks=False)
        text = raw.strip()
        if len(text) == 2 * _KEY_BYTES:
            break
        time.sleep(0.01)
    try:
        value = bytes.fromhex(text.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        value = b""
    if len(value) != _KEY_BYTES:
        raise OSError(f"the cache key {path} is not 64 hexadecimal digits; remove it to make a new one")
    if hasattr(os, "getuid"):
        st = os.lstat(path)
        if st.st_uid != os.getuid() or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            raise OSError(f"the cache key {path} is not owned and writable by you alone")
    return value


# ------------------------------------------------------------------ sealing


def _mac(rel: str, body: bytes, secret: Optional[bytes]) -> bytes:
    mac = hmac.new(secret if secret is not None else _need_key(), rel.encode("utf-8") + b"\0", hashlib.sha256)
    mac.update(body)
    return mac.hexdigest().encode("ascii")


def signed(rel: str, body: bytes, secret: Optional[bytes] = None) -> bytes:
    """`body` under its MAC line, for the cache file at `rel` (its "/"-separated path in the cache
    folder: an entry moved to another name does not verify)."""
    return _mac(rel, body, secret) + b"\n" + body


def opened(rel: str, data: bytes, secret: Optional[bytes] = None) -> Optional[bytes]:
    """The body of cache file `rel` as read, or None when its MAC does not verify."""
    line, _, body = data.partition(b"\n")
    return body if hmac.compare_digest(line, _mac(rel, body, secret)) else None


def _need_key() -> bytes:
    k = key()
    if k is None:
        raise OSError(_key_problem or "no cache key")
    return k


def read(folder: Path, rel: str) -> Optional[bytes]:
    """The verified body of cache file `folder/rel`; None when it is missing, unreadable, a link, or
    not written with this user's key (counted for the run's one warning)."""
    if key() is None:
        return None
    try:
        data = read_source_bytes(folder / rel, follow_symlinks=False, capped=False)
    except FileNotFoundError:
        return None
    except OSError:
        _reject(folder)
        return None
    body = opened(rel, data)
    if body is None:
        _reject(folder)
    return body


def write(folder: Path, rel: str, body: bytes) -> None:
    """Write cache file `folder/rel` sealed, atomically, never through a symbolic link; a cache that
    cannot be written is no error (the run goes on without it)."""
    if key() is None:
        return
    try:
        write_below(folder, rel, signed(rel, body))
    except (OSError, ValueError):
        pass


def _reject(folder: Path) -> None:
    _rejected[str(folder)] = _rejected.get(str(folder), 0) + 1


def warnings() -> list[str]:
    """One line per cache folder that held files this user's tokenlint did not write (then forgotten)."""
    out = [f"ignored {n} cache file{'s' if n != 1 else ''} in {folder} not written by tokenlint with this "
           "user's key (forged, or another user's); their results were computed afresh"
           for folder, n in sorted(_rejected.items())]
    _rejected.clear()
    return out
