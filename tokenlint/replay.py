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
recorded results. The record starts with a hash of its body: a truncated or edited record is
ignored. Stats can lie when a change lands in the same clock tick as the recording (git's
"racy clean" problem): entries modified within `RACY_NS` of the recorded run's start also store a
content hash (files) or listing hash (folders), and are compared by content. Anything that does not
match, cannot be read or has another shape means: no replay, run normally.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from tokenlint.discovery import WalkRecord, listing_hash, stat_key

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.engine import FileResult
    from tokenlint.project import Project

FORMAT = 1
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


class RunRecord:
    def __init__(self, cache_dir: Path, key: str) -> None:
        self.key = key
        self.path = cache_dir / f"runs-v{FORMAT}" / key[:2] / f"{key}.json"

    # ---- replaying ----------------------------------------------------------
    def load(self) -> Optional[dict[str, Any]]:
        """The recorded results if nothing they depend on has changed, else None."""
        try:
            digest, _, body = self.path.read_bytes().partition(b"\n")
            if digest.decode("ascii") != _sha(body):
                return None  # truncated or edited: not what this tool wrote
            doc = json.loads(body)
            if not isinstance(doc, dict) or doc.get("key") != self.key or doc.get("format") != FORMAT:
                return None
            return doc if _unchanged(doc) else None
        except (OSError, ValueError, TypeError, KeyError, AttributeError, UnicodeError):
            return None

    # ---- recording ----------------------------------------------------------
    def save(self, start_ns: int, walk: WalkRecord, stats: dict[str, Optional[list[int]]], project: "Project",
             files: list["FileResult"]) -> None:
        """Record a finished run. `stats`: each project file's stat taken before anything read it, so a
        change during the run shows as a mismatch next time."""
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
        folders = {}
        for d, (st, names) in walk.folders.items():
            if st is None:
                return
            folders[d] = [*st, names if (st[1] >= racy or st[2] >= racy) else None]
        ignore_files = {}
        for path, st in walk.ignore_files.items():
            if st is not None and (st[1] >= racy or st[2] >= racy):
                return  # an ignore file edited a moment ago: do not trust its stat
            if st is None and os.path.dirname(path) in folders:
                continue  # creating it would change its folder, which is recorded
            ignore_files[path] = st
        results = {}
        for fr in files:
            if fr.sites or fr.findings or fr.error:
                results[fr.path] = {
                    "error": fr.error,
                    "sites": [site_to_json(s) for s in fr.sites],
                    "findings": [{**finding_to_json(f), "abspath": f.abspath} for f in fr.findings],
                }
        doc = {"key": self.key, "format": FORMAT, "start_ns": start_ns, "folders": folders,
               "ignore_files": ignore_files, "files": recorded_files, "order": [fr.path for fr in files],
               "results": results}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            body = json.dumps(doc, separators=(",", ":")).encode("utf-8")
            fd, tmp = tempfile.mkstemp(dir=str(self.path.parent), suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                fh.write(_sha(body).encode("ascii") + b"\n" + body)
            os.replace(tmp, self.path)
        except OSError:
            pass  # a read-only cache: no record, no harm


def stat_files(project: "Project") -> dict[str, Optional[list[int]]]:
    return {str(ms.path): stat_key(str(ms.path)) for ms in project.by_path.values()}


def _unchanged(doc: dict[str, Any]) -> bool:
    for d, entry in doc["folders"].items():
        *st, names = entry
        if stat_key(d) != st:
            return False
        if names:
            try:
                if listing_hash(os.listdir(d)) != names:
                    return False
            except OSError:
                return False
    for path, st in doc["ignore_files"].items():
        if stat_key(path) != st:
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


def results_from(doc: dict[str, Any]) -> list["FileResult"]:
    """The recorded per-file results, in the recorded order."""
    from tokenlint.cache import finding_from_json, site_from_json
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
                              error=got["error"]))
    return out
