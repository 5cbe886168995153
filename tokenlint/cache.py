"""A per-file result cache, so an unchanged tree re-checks in a fraction of the first run.

A file's result depends on its own bytes and on the project modules it can reach by import (a
client, a constant or a wrapper defined elsewhere), so the key hashes the file, every module in
its import closure (found from the import statements in the bytes, without parsing), the
tokenlint version, the catalog data, the configuration and the date. Entries are JSON, never
pickle: a cache directory committed to a repository cannot make tokenlint run code. Writes go to a
temporary file and are renamed into place, so concurrent runs never see half an entry; an entry
that cannot be read or does not match is a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import fields
from pathlib import Path
from typing import Any, Optional

from tokenlint import __version__
from tokenlint.catalog import HERE as CATALOG_DIR
from tokenlint.findings import Edit, Finding, Fix
from tokenlint.prefilter import FROM_IMPORT as _FROM
from tokenlint.project import ModuleSource, Project, read_source_bytes
from tokenlint.resolve.site import Arg, CallSite, Prompt

FORMAT = 1

_IMPORT = re.compile(rb"(?m)^[ \t]*import[ \t]+([^\n#;]+)")


def settings_salt(config: Any, today: Any, rule_codes: list[str]) -> str:
    h = hashlib.sha256()
    h.update(f"{__version__}\0{FORMAT}\0{today}\0{sorted(rule_codes)}\0".encode())
    for name in ("sdks.toml", "models.toml", "sinks.toml", "owners.toml"):
        try:
            h.update((CATALOG_DIR / name).read_bytes())
        except OSError:
            pass
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
        self.dir = directory / f"v{FORMAT}"
        self.salt = salt
        self._hash: dict[Path, Optional[str]] = {}
        self._deps: dict[Path, list[ModuleSource]] = {}

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
        own = self._content(ms)
        if own is None:
            return None
        seen = {ms.path: ms}
        todo = [ms]
        while todo:
            cur = todo.pop()
            if self._content(cur) is None:
                continue
            for dep in self._direct_deps(cur, project):
                if dep.path not in seen:
                    seen[dep.path] = dep
                    todo.append(dep)
        h = hashlib.sha256(self.salt.encode())
        h.update(f"{ms.relpath}\0".encode())  # modules importing each other share a closure
        for path in sorted(seen, key=str):
            h.update(f"{seen[path].relpath}\0{self._content(seen[path])}\0".encode())
        return h.hexdigest()

    def mark(self) -> None:
        """A .gitignore in the cache folder: git ignores it, and `tokenlint clean` knows it is ours."""
        marker = self.dir.parent / ".gitignore"
        try:
            if not marker.exists():
                marker.parent.mkdir(parents=True, exist_ok=True)
                marker.write_text("# created by tokenlint\n*\n", encoding="utf-8")
        except OSError:
            pass  # a read-only tree: run without a cache

    # ---- entries ------------------------------------------------------------
    def _file(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.json"

    def get(self, key: str) -> Optional[dict[str, Any]]:
        try:
            doc = json.loads(self._file(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(doc, dict) or doc.get("key") != key:
            return None
        return doc

    def put(self, key: str, entry: dict[str, Any]) -> None:
        path = self._file(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.mark()
            fd, tmp = tempfile.mkstemp(dir=str(path.parent), suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({**entry, "key": key}, fh, separators=(",", ":"))
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only tree: run without a cache


# ------------------------------------------------------------------ (de)serialising results

_ARG_FIELDS = ("text", "kind", "value", "env", "param", "pinned")
_PROMPT_FIELDS = ("text", "kind", "static", "where")
_SKIP = {"node", "scope", "method", "model", "tag", "system", "messages", "arguments"}


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
    d["model"] = Arg(**d["model"])
    d["tag"] = None if d.get("tag") is None else Arg(**d["tag"])
    d["system"] = None if d.get("system") is None else Prompt(**d["system"])
    d["messages"] = None if d.get("messages") is None else Prompt(**d["messages"])
    return CallSite(**d)


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
