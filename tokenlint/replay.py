"""Replay a whole run when nothing it depended on has changed, without reading a single file.

The per-file cache (`tokenlint.cache`) still reads and hashes every file, scans it with the
prefilter and follows its imports: on a large tree that is most of a cold run. A re-run on an
unchanged tree (the common case in CI retries, editors and pre-commit over a whole repository)
needs none of that. So each cached run also writes one *run record*, keyed by everything that
selects and judges files (settings salt, root, paths asked for, prefilter), holding:

- every folder the discovery listed, with its stat and a hash of its entry names (a file added,
  removed or renamed changes the folder's mtime), and every `.gitignore` consulted (or its absence);
- every project file's stat (size, mtime, ctime, inode, as git's index compares them);
- the run's results: each checked file's call sites, findings and error.

A later run with the same key stats those folders and files (no reads) and, if all match, returns the
recorded results. The record starts with the MAC of its body under this user's key
(`tokenlint.seal`): a truncated, edited or committed record is ignored. Stats can lie when a change
lands in the same clock tick as the recording (git's "racy clean" problem): entries modified within
`RACY_NS` of the recorded run's start also store a content hash (files) or listing hash (folders),
and are compared by content. Anything that does not
match, cannot be read or has another shape means: no replay, run normally.

Two lighter reuses sit beside it:
- `RunRecord.previous` + `engine._incremental`: when only some files changed, the run record's
  companion (`*.state.json`: each analysed file's own output, the import graph, the modules that
  made their importers candidates) lets the engine re-analyse just those files and their importers.
- `WalkCache`: the list of files under the root, reused while no folder or ignore file changed.
  Every run needs it as import context, even a pre-commit run naming two files.

Only folder runs are recorded: named-file runs (pre-commit) differ at every commit and would fill the
cache with records.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from tokenlint import seal
from tokenlint.discovery import WalkRecord, listing_hash, stat_key

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.engine import FileResult
    from tokenlint.project import Project

FORMAT = 2  # 2: sealed (tokenlint.seal); results carry each file's unresolved places
# Filesystems keep timestamps at different granularities (ext4: a kernel tick; FAT: 2 s), so anything
# changed this close to the recording is checked by content.
RACY_NS = 3_000_000_000


def run_key(salt: str, root: Path, paths: list[Path], prefilter: bool) -> str:
    h = hashlib.sha256(f"{FORMAT}\0{salt}\0{root}\0{prefilter}\0".encode("utf-8", "surrogateescape"))
    for p in paths:
        h.update(f"{p.absolute()}\0".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_signed(folder: Path, rel: str) -> Optional[dict[str, Any]]:
    """A record this user's tokenlint wrote (its MAC verifies: `tokenlint.seal`), else None."""
    body = seal.read(folder, rel)
    if body is None:
        return None
    try:
        doc = json.loads(body)
    except ValueError:
        return None
    return doc if isinstance(doc, dict) and doc.get("format") == FORMAT else None


def _write_signed(folder: Path, rel: str, doc: dict[str, Any]) -> None:
    seal.write(folder, rel, json.dumps(doc, separators=(",", ":")).encode("utf-8"))


def _walk_entries(walk: WalkRecord, start_ns: int) -> Optional[tuple[dict, dict]]:
    """The folders and ignore files of a walk as recorded: listing hashes kept for folders changed
    within RACY_NS of `start_ns`. None when the walk cannot be trusted later."""
    racy = start_ns - RACY_NS
    folders = {}
    for d, (st, names) in walk.folders.items():
        if st is None:
            return None
        folders[d] = [*st, names if (st[1] >= racy or st[2] >= racy) else None]
    ignore_files = {}
    for path, st in walk.ignore_files.items():
        if st is not None and (st[1] >= racy or st[2] >= racy):
            return None  # an ignore file edited a moment ago: do not trust its stat
        if st is None and os.path.dirname(path) in folders:
            continue  # creating it would change its folder, which is recorded
        ignore_files[path] = st
    return folders, ignore_files


def _walk_unchanged(folders: dict[str, list], ignore_files: dict[str, Optional[list[int]]],
                    seen: Optional[WalkRecord] = None) -> bool:
    """`seen`: what this process saw of the same folders and files a moment ago (the walk, or the
    walk cache it just checked): an entry recorded as seen there is not stat'ed again."""
    known = seen.folders if seen is not None else {}
    for d, entry in folders.items():
        *st, names = entry
        k = known.get(d)
        if k is not None and k[0] == st and (not names or k[1] == names):
            continue
        if stat_key(d) != st:
            return False
        if names:
            try:
                if listing_hash(os.listdir(d)) != names:
                    return False
            except OSError:
                return False
    known_files = seen.ignore_files if seen is not None else {}
    return all((path in known_files and known_files[path] == st) or stat_key(path) == st
               for path, st in ignore_files.items())


class RunRecord:
    def __init__(self, cache_dir: Path, key: str) -> None:
        self.key = key
        self.folder = cache_dir
        self.rel = f"runs-v{FORMAT}/{key[:2]}/{key}.json"
        self.state_rel = f"runs-v{FORMAT}/{key[:2]}/{key}.state.json"
        self._doc: Optional[dict[str, Any]] = None  # as read by load(), for previous()

    # ---- replaying ----------------------------------------------------------
    def load(self, seen: Optional[WalkRecord] = None) -> Optional[dict[str, Any]]:
        """The recorded results if nothing they depend on has changed, else None. `seen`: the
        folders and ignore files this process has just seen (`_walk_unchanged`)."""
        doc = self._doc = _read_signed(self.folder, self.rel)
        try:
            if doc is None or doc.get("key") != self.key:
                return None
            return doc if _unchanged(doc, seen) else None
        except (ValueError, TypeError, KeyError, AttributeError):
            return None

    def previous(self, stats: dict[str, Optional[list[int]]],
                 project: "Project") -> Optional[tuple[dict[str, Any], set[str]]]:
        """For an incremental run: the previous run's per-file outputs and import graph, and the
        relpaths of the files changed since, when the project has the same files (else None)."""
        from tokenlint.resolve.callers import names_anew

        doc = self._doc if self._doc is not None else _read_signed(self.folder, self.rel)
        state = _read_signed(self.folder, self.state_rel)
        try:
            if doc is None or state is None or doc.get("key") != self.key or state.get("key") != self.key:
                return None
            if state.get("start_ns") != doc.get("start_ns"):
                return None  # written by two different runs
            if not _data_unchanged(doc):
                return None  # a prompt template changed: any output may rest on it
            recorded = doc["files"]
            if len(recorded) != len(stats) or any(path not in recorded for path in stats):
                return None  # files were added or removed: run in full
            changed = set()
            for ms in project.by_path.values():
                path = str(ms.path)
                entry = recorded[path]
                if stats[path] != entry[:4]:
                    changed.add(ms.relpath)
                elif len(entry) > 4:
                    try:
                        if _sha(ms.path.read_bytes()) != entry[4]:
                            changed.add(ms.relpath)
                    except OSError:
                        return None
            if changed and names_anew(project, doc.get("data") or {}, changed):
                return None  # a changed file names a function whose callers an output read: run in full
            if not isinstance(state["outputs"], dict) or not isinstance(state["deps"], dict):
                return None
            set(state["relevant"])
        except (TypeError, KeyError, AttributeError, ValueError):
            return None
        return state, changed

    # ---- recording ----------------------------------------------------------
    def save(self, start_ns: int, walk: WalkRecord, stats: dict[str, Optional[list[int]]], project: "Project",
             files: list["FileResult"], batch: Any, cache: Any) -> None:
        """Record a finished run. `stats`: each project file's stat taken before anything read it, so a
        change during the run shows as a mismatch next time. Beside it, each analysed file's own output
        (from the batch) and the import graph (from the cache), for an incremental run."""
        from tokenlint.cache import finding_to_json, site_to_json

        racy = start_ns - RACY_NS
        recorded_files: dict[str, list] = {}
        for ms in project.by_path.values():
            path = str(ms.path)
            st = stats.get(path)
            if st is None:
                return  # unreadable or gone: results may hinge on it; not worth recording
            entry: list = list(st)
            if st[1] >= racy or st[2] >= racy:
                if ms.raw is None and not os.path.isfile(path):
                    return  # never read a pipe or device here
                try:
                    # the bytes analysed, when read; else this file's content did not enter the results
                    entry.append(_sha(ms.raw if ms.raw is not None else ms.path.read_bytes()))
                except OSError:
                    return
            recorded_files[path] = entry
        entries = _walk_entries(walk, start_ns)
        if entries is None:
            return
        folders, ignore_files = entries
        results = {}
        for fr in files:
            if fr.sites or fr.findings or fr.error or fr.unresolved:
                results[fr.path] = {
                    "error": fr.error,
                    "unresolved": [u.as_dict() for u in fr.unresolved],
                    "sites": [site_to_json(s) for s in fr.sites],
                    "findings": [{**finding_to_json(f), "abspath": f.abspath} for f in fr.findings],
                }
        data: dict[str, Optional[str]] = {}
        for fr, _, _ in batch.outputs.values():
            data.update(fr.reads)
        doc = {"key": self.key, "format": FORMAT, "start_ns": start_ns, "folders": folders,
               "ignore_files": ignore_files, "files": recorded_files, "data": data,
               "order": [fr.path for fr in files],
               "results": results, "attribution": batch.run.ctx.attribution.as_dict()}
        _write_signed(self.folder, self.state_rel, _state(self.key, start_ns, batch, cache, project))
        _write_signed(self.folder, self.rel, doc)


def _state(key: str, start_ns: int, batch: Any, cache: Any, project: "Project") -> dict[str, Any]:
    from tokenlint.cache import finding_to_json, site_to_json

    outputs = {rel: {"error": fr.error, "sites": [site_to_json(s) for s in fr.sites],
                     "unresolved": [u.as_dict() for u in fr.unresolved], "reads": fr.reads,
                     "findings": [finding_to_json(f) for f in findings], "words": sorted(words)}
               for rel, (fr, findings, words) in batch.outputs.items()}
    deps = {ms.relpath: [d.relpath for d in got] for ms in project.by_path.values()
            if (got := cache.known_deps(ms)) is not None}
    return {"key": key, "format": FORMAT, "start_ns": start_ns, "outputs": outputs, "deps": deps,
            "relevant": sorted(batch.run.relevant_words), "attribution": batch.run.ctx.attribution.as_dict()}


def stat_files(project: "Project") -> dict[str, Optional[list[int]]]:
    return {str(ms.path): stat_key(str(ms.path)) for ms in project.by_path.values()}


def _data_unchanged(doc: dict[str, Any]) -> bool:
    """Whether the data files the run read (prompt templates, `resolve.templates.READS`) are the same."""
    data = doc.get("data") or {}
    if not data:
        return True
    from tokenlint.resolve.templates import unchanged

    return unchanged(dict(data))


def _unchanged(doc: dict[str, Any], seen: Optional[WalkRecord] = None) -> bool:
    if not _walk_unchanged(doc["folders"], doc["ignore_files"], seen):
        return False
    if not _data_unchanged(doc):
        return False
    for path, entry in doc["files"].items():
        if stat_key(path) != entry[:4]:
            return False
        if len(entry) > 4:
            try:
                with open(path, "rb") as fh:
                    if _sha(fh.read()) != entry[4]:
                        return False
            except OSError:
                return False
    return True


class WalkCache:
    """The files under the project root (Python files and nested configs), as a previous run found
    them: reused while no folder listed and no ignore file consulted has changed (a file edited in
    place changes neither; one added or removed changes its folder). Every run needs this walk (it is
    the context for imports, even when pre-commit names two files, and it finds the nested configs),
    and on a large tree it is the largest fixed cost after start-up (`tokenlint.tree`)."""

    def __init__(self, cache_dir: Path, root: Path, respect_gitignore: bool) -> None:
        from tokenlint.discovery import git_root

        # which .gitignore files apply starts at the repository root: a new .git elsewhere is another walk
        where = f"{FORMAT}\0{root}\0{respect_gitignore}\0{git_root(root)}"
        key = hashlib.sha256(where.encode("utf-8", "surrogateescape")).hexdigest()
        self.key = key
        self.root = str(root)
        self.folder = cache_dir
        self.rel = f"runs-v{FORMAT}/walks/{key}.json"
        self.walk: Optional[WalkRecord] = None  # what the files depend on, for the run record

    def load(self) -> Optional[tuple[list[str], list[Path]]]:
        """(Python files, pyproject.toml files) as recorded, when still valid."""
        doc = _read_signed(self.folder, self.rel)
        try:
            if doc is None or doc.get("key") != self.key or self.root not in doc["folders"]:
                return None  # the root's own listing is always part of a walk of it
            if not _walk_unchanged(doc["folders"], doc["ignore_files"]):
                return None
            walk = WalkRecord()
            for d, entry in doc["folders"].items():
                *st, names = entry
                walk.folders[d] = (st, names or "")
            walk.ignore_files.update(doc["ignore_files"])
            files = doc["files"]
            configs = [Path(f) for f in doc["configs"]]
            if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
                return None
        except (ValueError, TypeError, KeyError, AttributeError):
            return None
        self.walk = walk
        return files, configs

    def save(self, walk: WalkRecord, files: list[Path], configs: list[Path], start_ns: int) -> None:
        self.walk = walk
        entries = _walk_entries(walk, start_ns)
        if entries is not None:
            _write_signed(self.folder, self.rel, {"key": self.key, "format": FORMAT, "folders": entries[0],
                                                  "ignore_files": entries[1], "files": [str(f) for f in files],
                                                  "configs": [str(f) for f in configs]})


def results_from(doc: dict[str, Any]) -> list["FileResult"]:
    """The recorded per-file results, in the recorded order."""
    from tokenlint.cache import finding_from_json, site_from_json, unresolved_from_json
    from tokenlint.engine import FileResult

    out = []
    for rel in doc["order"]:
        got = doc["results"].get(rel)
        if got is None:
            out.append(FileResult(rel))
            continue
        findings = []
        for d in got["findings"]:
            f = finding_from_json(d)
            f.abspath = d.get("abspath")
            findings.append(f)
        out.append(FileResult(rel, sites=[site_from_json(d) for d in got["sites"]], findings=findings,
                              error=got["error"], unresolved=[unresolved_from_json(d) for d in got["unresolved"]]))
    return out
