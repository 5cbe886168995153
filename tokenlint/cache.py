"""A per-file result cache, so an unchanged tree re-checks in a fraction of the first run.

A file's result depends on its own bytes and on the project modules it can reach by import (a
client, a constant or a wrapper defined elsewhere), so the key hashes the file, every module in
its import closure (found from the import statements in the bytes, without parsing), the
tokenlint version and code, the catalog data, the configuration and the date. Those inputs are public, so
an entry is only trusted when its MAC verifies under this user's key (`tokenlint.seal`): a cache
folder committed to a repository can neither run code (entries are JSON, never pickle) nor change a
result. Writes go to a temporary file and are renamed into place, so concurrent runs never see half
an entry; an entry that cannot be read, does not verify or does not match is a miss.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import fields
from pathlib import Path
from typing import Any, Optional

from tokenlint import __version__, seal
from tokenlint.cachedir import mark
from tokenlint.catalog import HERE as CATALOG_DIR
from tokenlint.findings import Edit, Finding, Fix
from tokenlint.prefilter import FROM_IMPORT as _FROM
from tokenlint.project import ModuleSource, Project, read_source_bytes
from tokenlint.resolve.site import Arg, CallSite, Prompt
from tokenlint.resolve.unresolved import Unresolved

FORMAT = 2  # 2: sealed (tokenlint.seal); sites with `providers`; each file's unresolved places

_IMPORT = re.compile(rb"(?m)^[ \t]*import[ \t]+([^\n#;]+)")


@functools.lru_cache(maxsize=1)
def _own_code() -> bytes:
    """A digest of tokenlint's own modules and catalog data: a result computed by other analyser code
    (an editable install, a build whose version was not bumped) is never reused."""
    h = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted([*package.rglob("*.py"), *CATALOG_DIR.glob("*.toml")]):
        try:
            h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
        except (OSError, ValueError):
            pass
    return h.digest()


def settings_salt(config: Any, today: Any, rule_codes: list[str], extra: str = "") -> str:
    """`extra`: what else the results depend on (whether unresolved places are listed)."""
    h = hashlib.sha256()
    h.update(f"{__version__}\0{FORMAT}\0{today}\0{sorted(rule_codes)}\0{extra}\0".encode())
    h.update(_own_code())
    if getattr(config, "model_catalog", None):
        try:
            h.update(Path(config.model_catalog).read_bytes())
        except OSError:
            pass
    cfg = {f.name: getattr(config, f.name) for f in fields(config) if f.name not in ("source",)}
    h.update(repr(sorted(cfg.items(), key=lambda kv: kv[0])).encode())
    return h.hexdigest()


class Cache:
    def __init__(self, directory: Path, salt: str) -> None:
        self.base = directory
        self._marked = False
        self.salt = salt
        self._hash: dict[Path, Optional[str]] = {}
        self._deps: dict[Path, list[ModuleSource]] = {}
        self._digest: dict[Path, str] = {}  # each module's import-closure digest (Cache._closure)

    # ---- keys ---------------------------------------------------------------
    def _content(self, ms: ModuleSource) -> Optional[str]:
        if ms.path not in self._hash:
            try:
                raw = ms.raw if ms.raw is not None else read_source_bytes(ms.path)
                ms.raw = raw
                self._hash[ms.path] = hashlib.sha256(raw).hexdigest()
            except OSError:
                self._hash[ms.path] = None
        return self._hash[ms.path]

    def _direct_deps(self, ms: ModuleSource, project: Project) -> list[ModuleSource]:
        got = self._deps.get(ms.path)
        if got is not None:
            return got
        out: list[ModuleSource] = []
        raw = ms.raw or b""

        def add(found: Optional[ModuleSource]) -> None:
            if found is not None and found.path != ms.path:
                out.append(found)

        for m in _FROM.finditer(raw):
            dots, mod, names = m.group(1).decode(), m.group(2).decode(), m.group(3).decode("utf-8", "replace")
            level = len(dots)
            targets = [n.split(" as ")[0].strip() for n in names.strip("() \t\r\n").replace("\n", ",").split(",")]
            if level:
                add(project.relative_module(ms, level, mod))
                for n in targets:
                    if n and n != "*":
                        add(project.relative_module(ms, level, f"{mod}.{n}" if mod else n))
            else:
                parts = mod.split(".")
                for i in range(1, len(parts) + 1):
                    add(project.find_module(".".join(parts[:i]), ms))
                for n in targets:
                    if n and n != "*":
                        add(project.find_module(f"{mod}.{n}", ms))
        for m in _IMPORT.finditer(raw):
            for item in m.group(1).decode("utf-8", "replace").split(","):
                name = item.split(" as ")[0].strip()
                parts = name.split(".")
                for i in range(1, len(parts) + 1):
                    add(project.find_module(".".join(parts[:i]), ms))
        self._deps[ms.path] = out
        return out

    def seed_deps(self, ms: ModuleSource, deps: list[ModuleSource]) -> None:
        """What a previous run found `ms` imports (its bytes unchanged since)."""
        self._deps.setdefault(ms.path, deps)

    def known_deps(self, ms: ModuleSource) -> Optional[list[ModuleSource]]:
        """The project modules `ms` imports, if this run looked (None if not)."""
        return self._deps.get(ms.path)

    def key(self, ms: ModuleSource, project: Project) -> Optional[str]:
        """The file's own bytes and its import closure, salted with the settings: its result's key."""
        if self._content(ms) is None:
            return None
        h = hashlib.sha256(self.salt.encode())
        h.update(f"{ms.relpath}\0{self._closure(ms, project)}".encode())  # modules importing each other share a closure
        return h.hexdigest()

    def _imports(self, ms: ModuleSource, project: Project) -> list[ModuleSource]:
        return [] if self._content(ms) is None else self._direct_deps(ms, project)

    def _closure(self, start: ModuleSource, project: Project) -> str:
        """A digest of every module `start` reaches by import (their paths and bytes), computed once
        per strongly connected component of the import graph (Tarjan's algorithm, iteratively): a
        component's digest covers its members and the digests of the components it imports, so the
        work is linear in files + imports, where hashing each file's whole closure was quadratic
        over a long import chain."""
        done = self._digest
        if start.path in done:
            return done[start.path]
        index: dict[Path, int] = {start.path: 0}
        low: dict[Path, int] = {start.path: 0}
        stack, on_stack = [start], {start.path}
        work = [(start, iter(self._imports(start, project)))]
        while work:
            node, deps = work[-1]
            for dep in deps:
                if dep.path in done:
                    continue
                if dep.path not in index:
                    index[dep.path] = low[dep.path] = len(index)
                    stack.append(dep)
                    on_stack.add(dep.path)
                    work.append((dep, iter(self._imports(dep, project))))
                    break
                if dep.path in on_stack:
                    low[node.path] = min(low[node.path], index[dep.path])
            else:
                work.pop()
                if work:
                    parent = work[-1][0].path
                    low[parent] = min(low[parent], low[node.path])
                if low[node.path] == index[node.path]:
                    self._finish(node, stack, on_stack, project)
        return done[start.path]

    def _finish(self, root: ModuleSource, stack: list[ModuleSource], on_stack: set[Path], project: Project) -> None:
        """Pop the component rooted at `root` off the stack and record its digest for each member."""
        members = []
        while True:
            m = stack.pop()
            on_stack.discard(m.path)
            members.append(m)
            if m is root:
                break
        inside = {m.path for m in members}
        h = hashlib.sha256()
        for m in sorted(members, key=lambda m: m.relpath):
            h.update(f"{m.relpath}\0{self._content(m)}\0".encode())
        below = {self._digest[d.path] for m in members for d in self._imports(m, project) if d.path not in inside}
        h.update("\0".join(sorted(below)).encode())
        digest = h.hexdigest()
        for m in members:
            self._digest[m.path] = digest

    def mark(self) -> None:
        """A .gitignore in the cache folder: git ignores it, and `tokenlint clean` knows it is ours.
        Created only where there is nothing (a link or someone's file in its place stays as it is)."""
        if self._marked:
            return
        self._marked = True
        mark(self.base)

    # ---- entries ------------------------------------------------------------
    def _rel(self, key: str) -> str:
        return f"v{FORMAT}/{key[:2]}/{key}.json"

    def get(self, key: str) -> Optional[dict[str, Any]]:
        body = seal.read(self.base, self._rel(key))
        if body is None:
            return None
        try:
            doc = json.loads(body)
        except ValueError:
            return None
        if not isinstance(doc, dict) or doc.get("key") != key:
            return None
        return doc

    def put(self, key: str, entry: dict[str, Any]) -> None:
        self.mark()
        seal.write(self.base, self._rel(key), json.dumps({**entry, "key": key}, separators=(",", ":")).encode("utf-8"))


# ------------------------------------------------------------------ (de)serialising results

_ARG_FIELDS = ("text", "kind", "value", "env", "param", "pinned")
_PROMPT_FIELDS = ("text", "kind", "static", "where")
_SKIP = {"node", "scope", "method", "model", "tag", "system", "messages", "binding_calls", "arguments", "request"}


def site_to_json(s: CallSite) -> dict[str, Any]:
    d = {f.name: getattr(s, f.name) for f in fields(CallSite) if f.name not in _SKIP}
    d["forwards"] = sorted(s.forwards)
    d["model"] = {k: getattr(s.model, k) for k in _ARG_FIELDS}
    d["tag"] = None if s.tag is None else {k: getattr(s.tag, k) for k in _ARG_FIELDS}
    d["system"] = None if s.system is None else {k: getattr(s.system, k) for k in _PROMPT_FIELDS}
    d["messages"] = None if s.messages is None else {k: getattr(s.messages, k) for k in _PROMPT_FIELDS}
    return d


def site_from_json(d: dict[str, Any]) -> CallSite:
    d = dict(d)
    d["forwards"] = frozenset(d.get("forwards", ()))
    d["providers"] = tuple(d.get("providers", ()))
    d["model"] = Arg(**d["model"])
    d["tag"] = None if d.get("tag") is None else Arg(**d["tag"])
    d["system"] = None if d.get("system") is None else Prompt(**d["system"])
    d["messages"] = None if d.get("messages") is None else Prompt(**d["messages"])
    return CallSite(**d)


def unresolved_from_json(d: dict[str, Any]) -> Unresolved:
    return Unresolved(path=str(d["path"]), line=int(d["line"]), kind=str(d["kind"]), detail=str(d["detail"]))


def finding_to_json(f: Finding) -> dict[str, Any]:
    return {"code": f.code, "name": f.name, "message": f.message, "path": f.path, "row": f.row,
            "column": f.column, "end_row": f.end_row, "end_column": f.end_column, "site_id": f.site_id,
            "fix": None if f.fix is None else {"applicability": f.fix.applicability, "message": f.fix.message,
                                                "edits": [[e.row, e.column, e.end_row, e.end_column, e.content]
                                                          for e in f.fix.edits]}}


def finding_from_json(d: dict[str, Any]) -> Finding:
    fix = d.get("fix")
    return Finding(code=d["code"], name=d["name"], message=d["message"], path=d["path"], row=d["row"],
                   column=d["column"], end_row=d["end_row"], end_column=d["end_column"], site_id=d.get("site_id"),
                   fix=None if fix is None else Fix(fix["applicability"], fix["message"],
                                                    tuple(Edit(*e) for e in fix["edits"])))
