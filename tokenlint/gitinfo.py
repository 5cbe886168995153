"""What git says about a work tree: where its top level is, and which files it tracks.

Discovery asks "does git track files in this folder?" (a tracked file is analysed even in a folder
named `build` or matched by `.gitignore`, as git itself never hides one) and the config search asks
"where does the repository stop?". Both come from one `git ls-files` per work tree and run (kept
while the index is unchanged), run with options no repository file can alter: NUL-separated names,
no quoting of non-ASCII names, no fsmonitor hook. Without git, or outside a work tree, every
question has the answer "nothing is known" and callers fall back to the folder walk alone.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

# options that make git's output machine-readable whatever the user's or repository's config says
SAFE = ("-c", "core.quotepath=off", "-c", "core.fsmonitor=false", "-c", "color.ui=never")


class GitError(Exception):
    """git is missing, timed out or failed; the message is its first error line."""


def run(args: list[str], cwd: Path, timeout: float = 60) -> bytes:
    """`git SAFE... args` in `cwd`: its raw standard output (names may be any bytes)."""
    try:
        proc = subprocess.run(["git", *SAFE, *args], cwd=str(cwd), capture_output=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {' '.join(args)} timed out") from None
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror or exc}") from None
    if proc.returncode != 0:
        msg = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip().splitlines()
        raise GitError(msg[0] if msg else f"git {' '.join(args)} failed")
    return proc.stdout


def fsdecode_z(out: bytes) -> list[str]:
    """NUL-separated names as the file system spells them (undecodable bytes kept as surrogates)."""
    return [os.fsdecode(n) for n in out.split(b"\0") if n]


def top_level(start: Path) -> Optional[Path]:
    """The nearest folder at or above `start` holding `.git` (a folder, or a file for worktrees and
    submodules), as git finds its work tree; None outside one."""
    d = Path(os.path.abspath(start))
    if not d.is_dir():
        d = d.parent
    for cand in (d, *d.parents):
        if os.path.lexists(cand / ".git"):
            return cand
    return None


def index_file(top: Path) -> Path:
    """The index of the work tree at `top` (`.git/index`, or the worktree's own under `gitdir:`)."""
    dot = top / ".git"
    if dot.is_file():
        try:
            line = dot.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            return dot / "index"
        if line.startswith("gitdir:"):
            gitdir = Path(line[len("gitdir:"):].strip())
            return (gitdir if gitdir.is_absolute() else top / gitdir) / "index"
    return dot / "index"


@dataclass(frozen=True)
class Tracked:
    """The files git tracks under `top`, as absolute path strings, and every folder above them."""

    top: Path
    index: Path
    files: frozenset[str]
    folders: frozenset[str]

    def holds(self, folder: str) -> bool:
        """Does git track any file in `folder` (an absolute path) or below it?"""
        return folder in self.folders


_memo: dict[tuple[str, Optional[tuple[int, ...]]], Optional[Tracked]] = {}


def tracked(top: Optional[Path]) -> Optional[Tracked]:
    """The tracked files of the work tree at `top`; None when there is none or git cannot say."""
    if top is None:
        return None
    index = index_file(top)
    try:
        st = os.stat(index)
        stamp: Optional[tuple[int, ...]] = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    except OSError:
        stamp = None
    key = (str(top), stamp)
    if key in _memo:
        return _memo[key]
    try:
        names = fsdecode_z(run(["ls-files", "-z", "--cached"], top))
    except GitError:
        got = None
    else:
        base = str(top)
        files = set()
        folders = {base}
        for n in names:
            full = os.path.join(base, n.replace("/", os.sep))
            files.add(full)
            parent = os.path.dirname(full)
            while parent not in folders and len(parent) > len(base):
                folders.add(parent)
                parent = os.path.dirname(parent)
        got = Tracked(top, index, frozenset(files), frozenset(folders))
    if len(_memo) > 16:
        _memo.clear()
    _memo[key] = got
    return got
