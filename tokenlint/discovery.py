"""Which files to analyse: paths given, recursing into *.py, skipping what users never lint.

Rules, in order: an explicitly named file is always read; folders are walked in sorted order;
well-known non-source folders (.git, virtualenvs, __pycache__, node_modules, build output) are
skipped; `.gitignore` files (root and nested) are honoured; `exclude` / `extend-exclude` globs
from config are applied to paths relative to the project root.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Iterator, Optional

import pathspec

from tokenlint.project import SKIP_DIRS


class PathError(ValueError):
    """A path given on the command line that does not exist."""


def _is_venv(d: Path) -> bool:
    return (d / "pyvenv.cfg").is_file()


class GitIgnore:
    """All .gitignore files from the root down, each applying to its own folder."""

    def __init__(self, root: Path, enabled: bool) -> None:
        self.root = root
        self.enabled = enabled
        self._specs: dict[Path, Optional[pathspec.PathSpec]] = {}

    def _spec(self, d: Path) -> Optional[pathspec.PathSpec]:
        if d not in self._specs:
            spec = None
            gi = d / ".gitignore"
            if gi.is_file():
                try:
                    lines = gi.read_text(encoding="utf-8", errors="replace").splitlines()
                    spec = pathspec.GitIgnoreSpec.from_lines(lines)
                except (OSError, ValueError):
                    spec = None
            self._specs[d] = spec
        return self._specs[d]

    def ignored(self, path: Path, is_dir: bool) -> bool:
        """As git decides: every .gitignore from the repository root down; the deepest match wins."""
        if not self.enabled:
            return False
        try:
            rel_root = path.relative_to(self.root)
        except ValueError:
            return False
        verdict = False
        d = self.root
        for i in range(len(rel_root.parts)):
            if i:
                d = d / rel_root.parts[i - 1]
            spec = self._spec(d)
            if spec is None:
                continue
            rel = path.relative_to(d).as_posix() + ("/" if is_dir else "")
            res = spec.check_file(rel)
            if res.include is not None:
                verdict = bool(res.include)
        return verdict


def git_root(start: Path) -> Path | None:
    for d in (start, *start.parents):
        if (d / ".git").exists():
            return d
    return None


class Excluder:
    def __init__(self, root: Path, patterns: Iterable[str]) -> None:
        self.root = root
        pats = list(patterns)
        self.spec = pathspec.GitIgnoreSpec.from_lines(pats) if pats else None

    def excluded(self, path: Path, is_dir: bool) -> bool:
        if self.spec is None:
            return False
        try:
            rel = path.relative_to(self.root).as_posix()
        except ValueError:
            rel = path.as_posix()
        return self.spec.match_file(rel + ("/" if is_dir else "")) or self.spec.match_file(rel)


def discover(paths: Iterable[Path], root: Path, exclude: Iterable[str] = (), respect_gitignore: bool = True,
             force_exclude: bool = False) -> list[Path]:
    """Absolute paths of the Python files to analyse, deterministic and without duplicates."""
    root = root.absolute()
    gitignore = GitIgnore(git_root(root) or root, respect_gitignore)
    excluder = Excluder(root, exclude)
    out: list[Path] = []
    seen: set[Path] = set()
    for p in paths:
        ap = p.absolute()
        if not ap.exists() and not ap.is_symlink():
            raise PathError(f"{p}: no such file or directory")
        if ap.is_dir():
            for f in _walk(ap, gitignore, excluder):
                if f not in seen:
                    seen.add(f)
                    out.append(f)
        else:
            # an explicitly named file is always read, unless --force-exclude (pre-commit passes
            # every changed file and expects the configured excludes to hold)
            if force_exclude and (excluder.excluded(ap, False) or
                                  any(excluder.excluded(parent, True) for parent in ap.parents)):
                continue
            if ap not in seen:
                seen.add(ap)
                out.append(ap)
    return out


def _walk(top: Path, gitignore: GitIgnore, excluder: Excluder) -> Iterator[Path]:
    visited: set[tuple[int, int]] = set()
    stack = [top]
    while stack:
        d = stack.pop()
        try:
            st = d.stat()
        except OSError:
            continue
        key = (st.st_dev, st.st_ino)
        if key in visited:  # symlink loop
            continue
        visited.add(key)
        try:
            entries = sorted(os.scandir(d), key=lambda e: e.name)
        except OSError:
            continue
        subdirs = []
        for e in entries:
            path = Path(e.path)
            try:
                is_dir = e.is_dir()
            except OSError:
                continue
            if is_dir:
                if e.name in SKIP_DIRS or e.name.endswith(".egg-info") or _is_venv(path):
                    continue
                if gitignore.ignored(path, True) or excluder.excluded(path, True):
                    continue
                subdirs.append(path)
            elif e.name.endswith((".py", ".pyi")) and not e.name.endswith(".pyi"):
                if gitignore.ignored(path, False) or excluder.excluded(path, False):
                    continue
                yield path
        stack.extend(reversed(subdirs))
