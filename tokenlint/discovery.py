"""Which files to analyse: paths given, recursing into *.py, skipping what users never lint.

Rules, in order: an explicitly named file is always read; folders are walked in sorted order;
well-known non-source folders (.git, __pycache__, node_modules, build output, by name) and
virtualenvs (a `pyvenv.cfg` beside a `bin/python` or `Scripts/python.exe`) are skipped;
`.gitignore` files (root and nested) are honoured; `exclude` / `extend-exclude` globs from config
are applied to paths relative to the project root.

In a git work tree, git's word on what it tracks comes first (one `git ls-files` a run, see
`tokenlint.gitinfo`): a tracked file is analysed even inside a folder skipped by name, inside a
virtualenv or under a `.gitignore` pattern (as git itself never hides a tracked file), and only the
config's excludes remove it. Such a folder is walked for its tracked files only.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Optional

from tokenlint import gitinfo
from tokenlint.project import SKIP_DIRS

# skipped folder names a project may also give one of its packages (onyx's `server/features/build/`):
# such a folder holding an `__init__.py` is source, not build output
PACKAGE_NAMED = frozenset({"build", "dist", "env"})

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.ignorespec import Spec


class PathError(ValueError):
    """A path given on the command line that does not exist."""


def skip_dir(name: str, path: str) -> bool:
    """A folder skipped by its name (build output, caches, virtualenv names), unless it is a package
    of the project named like one: it holds an `__init__.py`, or sits in a package (a namespace
    subpackage, `server/features/build/` beside `server/features/__init__.py`). Build output sits at
    a project's root, beside no `__init__.py`."""
    if name not in SKIP_DIRS:
        return False
    if name not in PACKAGE_NAMED:
        return True
    return not (os.path.isfile(os.path.join(path, "__init__.py"))
                or os.path.isfile(os.path.join(os.path.dirname(path), "__init__.py")))

def is_venv(d: str) -> bool:
    """A virtualenv: its `pyvenv.cfg` and its interpreter (a file or a link, maybe dangling)."""
    return os.path.isfile(os.path.join(d, "pyvenv.cfg")) and (
        os.path.lexists(os.path.join(d, "bin", "python")) or
        os.path.lexists(os.path.join(d, "Scripts", "python.exe")))


def stat_key(path: str) -> Optional[list[int]]:
    """What changes when a file or folder changes: size, modification and change times, inode (as git
    compares its index). None when it is gone."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return _key(st)


def _key(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def listing_hash(names: Iterable[str]) -> str:
    return hashlib.sha256("\0".join(sorted(names)).encode("utf-8", "surrogateescape")).hexdigest()[:32]


@dataclass
class WalkRecord:
    """What a discovery read, so a later run can tell whether it would find the same files: every
    folder listed (its stat when listed, and a hash of its entry names), and every ignore file
    consulted (its stat, or None when absent)."""

    folders: dict[str, tuple[Optional[list[int]], str]] = field(default_factory=dict)
    ignore_files: dict[str, Optional[list[int]]] = field(default_factory=dict)


class GitIgnore:
    """All .gitignore files from the root down, each applying to its own folder."""

    def __init__(self, root: Path, enabled: bool, record: Optional[WalkRecord] = None) -> None:
        self.root = root
        self.enabled = enabled
        self.record = record
        self._specs: dict[str, Optional["Spec"]] = {}

    def _spec(self, d: str) -> Optional["Spec"]:
        """The .gitignore of folder `d` (a path string: asked once per folder walked), stat'ed once."""
        if d in self._specs:
            return self._specs[d]
        spec = None
        gi = os.path.join(d, ".gitignore")
        try:  # a folder that cannot be searched (no x bit) makes even stat() raise
            st: Optional[os.stat_result] = os.stat(gi)
        except OSError:
            st = None
        if self.record is not None:
            self.record.ignore_files[gi] = None if st is None else _key(st)
        if st is not None and stat.S_ISREG(st.st_mode):
            try:
                from tokenlint.ignorespec import Spec  # pathspec: only for a walk (a replay needs none)

                with open(gi, encoding="utf-8", errors="replace") as fh:
                    spec = Spec(fh.read().splitlines())
            except (OSError, ValueError):
                spec = None
        self._specs[d] = spec
        return spec

    def spec_for(self, d: str) -> Optional["Spec"]:
        return self._spec(d) if self.enabled else None

    def chain(self, top: Path) -> tuple:
        """The (folder, spec) pairs that apply inside `top`: from the repository root down to it."""
        if not self.enabled:
            return ()
        try:
            rel = top.absolute().relative_to(self.root)
        except ValueError:
            return ()
        out = []
        d = self.root
        for part in ("",) + rel.parts:
            if part:
                d = d / part
            spec = self._spec(str(d))
            if spec is not None:
                out.append((str(d), spec))
        return tuple(out)

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
            spec = self._spec(str(d))
            if spec is None:
                continue
            rel = path.relative_to(d).as_posix() + ("/" if is_dir else "")
            res = spec.check(rel)
            if res is not None:
                verdict = res
        return verdict


git_root = gitinfo.top_level


class Excluder:
    """The config's exclude globs, each config's relative to its own folder: the root's, and those
    of nested configs (`tokenlint.hierarchy`), the closest folder's deciding for paths under it."""

    def __init__(self, root: Path, patterns: Iterable[str],
                 nested: Iterable[tuple[str, Iterable[str]]] = ()) -> None:
        from tokenlint.ignorespec import Spec

        self.root = root
        pats = list(patterns)
        self.spec = Spec(pats) if pats else None
        # deepest folder first, so that the closest config decides
        self.nested = sorted(((folder, Spec(list(p)) if p else None)
                              for folder, p in nested), key=lambda fs: len(fs[0]), reverse=True)

    def _scope(self, path: str, root: str):  # type: ignore[no-untyped-def]
        for folder, spec in self.nested:
            if path.startswith(folder + os.sep):
                return folder, spec
        return root, self.spec

    def excluded_str(self, path: str, root: str, is_dir: bool) -> bool:
        if self.nested:
            root, spec = self._scope(path, root)
        else:
            spec = self.spec
        if spec is None:
            return False
        if path.startswith(root + os.sep):
            rel = path[len(root) + 1:].replace(os.sep, "/")
        else:
            return self.excluded(Path(path), is_dir)
        return spec.match(rel + ("/" if is_dir else "")) or spec.match(rel)

    def excluded(self, path: Path, is_dir: bool) -> bool:
        root, spec = self._scope(str(path), str(self.root))
        if spec is None:
            return False
        try:
            rel = path.relative_to(root).as_posix()
        except ValueError:
            rel = path.as_posix()
        return spec.match(rel + ("/" if is_dir else "")) or spec.match(rel)


def discover(paths: Iterable[Path], root: Path, exclude: Iterable[str] = (), respect_gitignore: bool = True,
             force_exclude: bool = False, record: Optional[WalkRecord] = None,
             nested_exclude: Iterable[tuple[str, Iterable[str]]] = (),
             configs: Optional[list[Path]] = None) -> list[Path]:
    """Absolute paths of the Python files to analyse, deterministic and without duplicates.
    `record` collects what the walk depended on (for the run replay, `tokenlint.replay`);
    `nested_exclude`: (folder, globs) of nested configs; `configs`: a list that collects, from the
    same walk (same skips, same git view), every `pyproject.toml` in the folders walked (the nested
    configs, `tokenlint.hierarchy`)."""
    root = root.absolute()
    top = git_root(root)
    gitignore = GitIgnore(top or root, respect_gitignore, record)
    excluder = Excluder(root, exclude, nested_exclude)
    git = _GitView(top, record)
    out: list[Path] = []
    seen: set[Path] = set()
    for p in paths:
        ap = p.absolute()
        if not ap.exists() and not ap.is_symlink():
            raise PathError(f"{p}: no such file or directory")
        if ap.is_dir():
            for f in _walk(ap, gitignore, excluder, git, record, configs):
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


class _GitView:
    """The tracked files, as discovery asks about them: git is asked only when a folder or file would
    be skipped (most walks never need it), and the index is recorded then (for the run replay),
    since `git add` changes the answer."""

    def __init__(self, top: Optional[Path], record: Optional[WalkRecord]) -> None:
        self.top = top
        self.record = record
        self._tracked: Optional[gitinfo.Tracked] = None
        self._asked = False

    def _ask(self) -> Optional[gitinfo.Tracked]:
        if not self._asked:
            self._asked = True
            self._tracked = gitinfo.tracked(self.top)
            if self.record is not None and self._tracked is not None:
                index = str(self._tracked.index)
                self.record.ignore_files.setdefault(index, stat_key(index))
        return self._tracked

    def holds(self, folder: str) -> bool:
        tracked = self._ask()
        return tracked is not None and tracked.holds(folder)

    def tracks(self, file: str) -> bool:
        tracked = self._ask()
        return tracked is not None and file in tracked.files


def _walk(top: Path, gitignore: GitIgnore, excluder: Excluder, git: _GitView,
          record: Optional[WalkRecord] = None, configs: Optional[list[Path]] = None) -> Iterator[Path]:
    """Python files under `top`, sorted per folder (and, into `configs`, the `pyproject.toml` files);
    string paths and per-folder .gitignore chains keep this cheap on trees of thousands of files. A
    folder that would be skipped (by name, as a virtualenv, by .gitignore) but holds tracked files is
    walked for those files only (`only_tracked`)."""
    visited: set[tuple[int, int]] = set()
    root_s = str(excluder.root)
    # a symbolic link is followed only when it stays inside the project (or the folder walked): a
    # link to /, to a home folder or to /dev/zero is never walked, read or fixed
    bounds = tuple({os.path.realpath(root_s), os.path.realpath(str(top))})
    stack: list[tuple[str, tuple, bool]] = [(str(top), gitignore.chain(top), False)]
    while stack:
        d, active, only_tracked = stack.pop()
        try:
            st = os.stat(d)
        except OSError:
            continue
        key = (st.st_dev, st.st_ino)
        if key in visited:  # symlink loop
            continue
        visited.add(key)
        try:
            entries = sorted(os.scandir(d), key=lambda e: e.name)
        except PermissionError:
            yield Path(d)  # a folder we may not list: reported (TKL000 "cannot read"), never skipped unseen
            continue
        except OSError:
            continue
        if record is not None:
            record.folders[d] = ([st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino],
                                 listing_hash(e.name for e in entries))
        subdirs = []
        for e in entries:
            try:
                is_dir = e.is_dir()
                link = e.is_symlink()
            except OSError:
                continue
            if link and not _inside(e.path, bounds):
                continue
            name = e.name
            if is_dir:
                if name == ".git" or excluder.excluded_str(e.path, root_s, True):
                    continue
                skipped = only_tracked or skip_dir(name, e.path) or name.endswith(".egg-info")
                if name in PACKAGE_NAMED and record is not None:  # it becomes a package when __init__.py comes
                    record.folders[e.path] = (stat_key(e.path), "")
                if not skipped and is_venv(e.path):
                    skipped = True
                    if record is not None:  # it stops being a virtualenv when pyvenv.cfg or python goes
                        for sub in (e.path, os.path.join(e.path, "bin"), os.path.join(e.path, "Scripts")):
                            if os.path.isdir(sub):
                                record.folders[sub] = (stat_key(sub), "")
                if not skipped:
                    skipped = _ignored(e.path, True, active)
                if skipped and not git.holds(e.path):
                    continue
                sub = e.path
                spec = gitignore.spec_for(sub)
                subdirs.append((sub, active + ((sub, spec),) if spec is not None else active, skipped))
            else:
                config = name == "pyproject.toml" and configs is not None
                if not (config or name.endswith(".py")):
                    continue
                if not link and not _is_file(e):
                    continue  # a FIFO, socket or device named *.py: reading it could block forever
                if excluder.excluded_str(e.path, root_s, False):
                    continue
                if (only_tracked or _ignored(e.path, False, active)) and not git.tracks(e.path):
                    continue
                if config:
                    configs.append(Path(e.path))  # type: ignore[union-attr]
                else:
                    yield Path(e.path)
        stack.extend(reversed(subdirs))


def _inside(path: str, bounds: tuple[str, ...]) -> bool:
    real = os.path.realpath(path)
    return any(real == b or real.startswith(b.rstrip(os.sep) + os.sep) for b in bounds)


def _is_file(e: os.DirEntry) -> bool:
    try:
        return e.is_file()
    except OSError:
        return False


def _ignored(path: str, is_dir: bool, active: tuple) -> bool:
    verdict = False
    for prefix, spec in active:
        rel = path[len(prefix) + 1:].replace(os.sep, "/") + ("/" if is_dir else "")
        res = spec.check(rel)
        if res is not None:
            verdict = res
    return verdict


def why_skipped(paths: Iterable[Path], root: Path, exclude: Iterable[str] = (), respect_gitignore: bool = True,
                force_exclude: bool = False) -> dict[str, int]:
    """Why a run found nothing to check: the entries under `paths` that discovery leaves out, counted
    by the rule that leaves each out (a folder left out counts once, its files are not visited), and
    folders given that hold nothing at all. tokenlint's own cache folder (which a run may just have
    made in a folder given) is not the user's and is not counted.
    Asked only when a run checked no file, so it may walk again what `discover` skipped quickly."""
    from tokenlint.cachedir import MARKER

    def ours(folder: Path) -> bool:
        try:
            with open(folder / ".gitignore", "rb") as fh:
                return fh.read(len(MARKER)) == MARKER.encode("utf-8")
        except OSError:
            return False

    root = root.absolute()
    gitignore = GitIgnore(git_root(root) or root, respect_gitignore)
    excluder = Excluder(root, exclude)
    out: dict[str, int] = {}

    def count(reason: str) -> None:
        out[reason] = out.get(reason, 0) + 1

    for p in paths:
        ap = p.absolute()
        if not ap.is_dir():
            if force_exclude and ap.exists():
                count("excluded by the configuration")
            continue
        for d, dirs, files in os.walk(ap):
            keep = []
            if d == str(ap) and not files and all(n == ".git" or ours(ap / n) for n in dirs):
                count("empty folder")
            for name in sorted(dirs):
                sub = Path(d) / name
                if name == ".git" or ours(sub):
                    continue
                if skip_dir(name, str(sub)) or name.endswith(".egg-info") or is_venv(str(sub)):
                    count("in skipped folders (virtualenvs, build output, caches)")
                elif excluder.excluded(sub, True):
                    count("excluded by the configuration")
                elif gitignore.ignored(sub, True):
                    count("ignored by .gitignore")
                else:
                    keep.append(name)
            dirs[:] = keep
            for name in files:
                f = Path(d) / name
                if not name.endswith(".py"):
                    count("not Python")
                elif excluder.excluded(f, False):
                    count("excluded by the configuration")
                elif gitignore.ignored(f, False):
                    count("ignored by .gitignore")
    return out
