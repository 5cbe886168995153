"""Where the result cache may live, and which folder `tokenlint clean` may remove.

`cache-dir` can come from the repository's own configuration, so it must not make tokenlint write,
or `clean` remove, anything outside: the folder is resolved (symbolic links included) and must lie
strictly inside the project root or tokenlint's user cache folder (`seal.user_cache_dir`), else it
is an error. A folder git tracks a file in was committed by someone: it is neither read nor written
(the run goes on without a cache, and says so), whatever its files claim; the MAC on every cache
file (`tokenlint.seal`) is what makes an untracked folder safe to read. Asking git costs a process
and a read of its index (5-20 ms), so the answer "nothing tracked" is remembered in the user cache
folder while the index file is unchanged. Below the resolved folder, writes never follow a symbolic
link (`fsutil.write_below`).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path
from typing import Optional

from tokenlint import seal
from tokenlint.project import read_source_bytes
from tokenlint.report.safe import clean

MARKER = "# created by tokenlint\n*\n"  # the .gitignore in a cache folder: git ignores it, `clean` knows it


class CacheDirError(Exception):
    """A cache folder tokenlint must not use or remove; the message is the one-line reason."""


def shown(path: object) -> str:
    """A path or value on one line, without control characters (it may come from the repository)."""
    return " ".join(clean(str(path)).split())


def _inside(path: str, folder: str) -> bool:
    """Strictly below `folder` (both resolved): the folder itself is never the cache."""
    return path != folder and path.startswith(folder.rstrip(os.sep) + os.sep)


def _named(root: Path, value: str) -> Path:
    return Path(value) if os.path.isabs(value) else root / value


def resolve(root: Path, value: str) -> Path:
    """The cache folder `value` names (relative to `root`), symbolic links resolved; CacheDirError
    unless it lies inside the project root or the user cache folder."""
    real = os.path.realpath(_named(root, value))
    user = seal.user_cache_dir()
    bases = [os.path.realpath(root)] + ([os.path.realpath(user)] if user is not None else [])
    if not any(_inside(real, b) for b in bases):
        where = f"the project root ({shown(root)})" + (f" or the user cache folder ({shown(user)})" if user else "")
        raise CacheDirError(f"cache-dir '{shown(value)}' resolves to {shown(real)}: a cache is kept only "
                            f"inside {where}")
    return Path(real)


def _in_checkout(root: Path, value: str) -> list[Path]:
    """The cache folder as named and as resolved, those of them inside the project root."""
    named = _named(root, value)
    real = Path(os.path.realpath(named))
    out = [named] if _inside(os.path.normpath(named), os.path.normpath(root)) else []
    return out + ([real] if real != named and _inside(str(real), os.path.realpath(root)) else [])


def tracked(root: Path, *paths: Path) -> bool:
    """Whether git tracks a file at or below one of `paths` (False outside a git work tree, without
    git, or when none of them exists)."""
    there = sorted({str(p) for p in paths if os.path.lexists(p)})
    if not there:
        return False
    try:
        done = subprocess.run(["git", "--literal-pathspecs", "-c", "core.fsmonitor=false", "ls-files", "-z", "--",
                               *there], cwd=str(root), capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0 and bool(done.stdout)


def _index_state(root: Path) -> Optional[list]:
    """The stat of the git index that says what is tracked under `root`, when it is a plain `.git`
    folder's; [] when no repository holds `root` (nothing is tracked); None when not known this way
    (ask git). git replaces its index by renaming a new file over it, so an equal stat means the
    same index."""
    if any(os.environ.get(v) for v in ("GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE", "GIT_COMMON_DIR")):
        return None
    d = os.path.realpath(root)
    while not os.path.isdir(os.path.join(d, ".git")):
        if os.path.lexists(os.path.join(d, ".git")):
            return None  # a worktree or submodule: its index is elsewhere
        if os.path.dirname(d) == d:
            return []
        d = os.path.dirname(d)
    index = os.path.join(d, ".git", "index")
    try:
        st = os.stat(index)
    except OSError:
        return None
    return [index, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def _tracked_since(root: Path, paths: list[Path]) -> bool:
    """`tracked()`, remembered (sealed, in the user cache folder) while the git index is unchanged:
    a warm run, or pre-commit's, need not start git just to learn that nothing is tracked."""
    there = [p for p in paths if os.path.lexists(p)]
    user, state = seal.user_cache_dir(), _index_state(root) if there else []
    if state == []:
        return False
    if user is None or state is None or seal.key() is None:
        return tracked(root, *there)
    name = hashlib.sha256("\0".join(map(str, [root, *there])).encode("utf-8", "surrogateescape")).hexdigest()
    rel, seen = f"untracked-v1/{name}.json", json.dumps(state).encode("utf-8", "surrogateescape")
    if seal.read(user, rel) == seen:
        return False
    if tracked(root, *there):
        return True
    seal.write(user, rel, seen)
    return False


def locate(root: Path, value: str) -> tuple[Optional[Path], Optional[str]]:
    """The resolved folder to cache in, or (None, why the run goes without a cache). CacheDirError
    when `value` points outside."""
    if _tracked_since(root, _in_checkout(root, value)):  # before resolving: a committed link is just ignored
        return None, f"{shown(value)}: git tracks files in this cache folder; the cache is neither read nor written"
    real = resolve(root, value)
    if seal.key() is None:
        return None, f"no cache: {shown(seal.key_problem())}"
    return real, None


def removable(root: Path, value: str) -> Optional[Path]:
    """The folder `tokenlint clean` may remove (None: there is none); CacheDirError saying why a
    folder that is there must stay: a symbolic link, outside the project root and user cache,
    tracked by git, or without the marker tokenlint writes."""
    named = _named(root, value)
    if os.path.islink(named):
        raise CacheDirError(f"{shown(named)}: a symbolic link; not removed")
    real = resolve(root, value)
    if not os.path.lexists(named):
        return None
    if tracked(root, *_in_checkout(root, value)):
        raise CacheDirError(f"{shown(named)}: git tracks files in it; not removed")
    try:
        ours = read_source_bytes(real / ".gitignore", follow_symlinks=False).startswith(MARKER.encode("utf-8"))
    except OSError:
        ours = False
    if not ours:  # a misconfigured cache-dir must never remove someone's folder
        raise CacheDirError(f"{shown(named)}: not a tokenlint cache (no .gitignore written by tokenlint); not removed")
    return real


def mark(folder: Path) -> None:
    """Create the cache folder with its .gitignore (git ignores it, `tokenlint clean` knows it is
    ours), only where there is nothing: a link or someone's file in its place stays as it is."""
    from tokenlint.fsutil import write_below

    try:
        write_below(folder, ".gitignore", MARKER.encode("utf-8"), replace=False)
    except (OSError, ValueError):
        pass  # there already, or a read-only tree: run without a cache
