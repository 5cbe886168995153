"""What looks like an LLM request in a module but was not resolved into a call site, so that a report
never presents what was seen as the whole story.

Three kinds, each with file and line: `sdk-imported` (the module imports an SDK's client, module or
request function, and no call site was found in it), `withheld` (a request-shaped call on a receiver
of unknown type, with no evidence for an SDK, or an HTTP call to the project's own server), and
`llm-url` (a string holding an LLM endpoint's path that reaches no HTTP call found here). A fourth,
`unreadable`, comes from the engine: a file the prefilter chose that could not be parsed or analysed
(a syntax newer than the running Python's, an expression nested too deeply).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tokenlint.prefilter import in_docstring
from tokenlint.resolve.site import CallSite

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import SdkCatalog
    from tokenlint.resolve.binder import ModuleInfo

MAX_URL_STRING = 300  # longer strings are prose (docstrings, prompts), not URLs
# absolute imports: `from pkg.mod import (A, B as C)` (groups 1, 2) and `import pkg.mod as m, other` (group 3)
IMPORT = re.compile(rb"(?m)^[ \t]*(?:from[ \t]+([A-Za-z_][\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]*)"
                    rb"|import[ \t]+([^\n#;]+))")


@dataclass(frozen=True)
class Unresolved:
    """A place that looks like an LLM request but is not a call site."""

    path: str
    line: int
    kind: str  # sdk-imported | withheld | llm-url | unreadable
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "kind": self.kind, "detail": self.detail}


class UnresolvedMixin:
    """The `Resolver`'s account of what it saw but did not resolve (a mixin over `evidence` and `http`)."""

    catalog: "SdkCatalog"
    _withheld: dict[ast.Call, str]
    _url_used_lines: dict[str, set[int]]

    def withhold(self, call: ast.Call, why: str) -> None:
        """Record a request-shaped call that is not reported as a site, and why."""
        self._withheld[call] = why

    def module_unresolved(self, info: "ModuleInfo", sites: list[CallSite]) -> list[Unresolved]:
        """The module's unresolved places, in line order (after `module_sites` ran on it)."""
        rel = info.source.relpath
        out: list[Unresolved] = []
        if not sites:
            for line, name in self._sdk_imports(info):
                out.append(Unresolved(rel, line, "sdk-imported", f"imports {name}; no call site was found in this file"))
        site_lines = {s.line for s in sites}
        for rec in info.calls:
            why = self._withheld.get(rec.node)
            if why is not None and rec.node.lineno not in site_lines:
                out.append(Unresolved(rel, rec.node.lineno, "withheld", why))
        out += self._llm_urls(info, {u.line for u in out if u.kind == "withheld"})
        out.sort(key=lambda u: (u.line, u.kind))
        return out

    def _sdk_imports(self, info: "ModuleInfo") -> list[tuple[int, str]]:
        """(line, name) of imports binding an SDK client class, module proxy or request function, read
        from the module's bytes (any level: functions and `try` blocks included)."""
        raw = info.source.raw or b""
        found: dict[str, int] = {}
        for m in IMPORT.finditer(raw):
            if in_docstring(raw, m.start()):
                continue  # a usage example in a docstring (`from haystack... import OpenAIChatGenerator`)
            if m.group(1) is not None:
                mod = m.group(1).decode("utf-8", "replace")
                names = [n.split(" as ")[0].strip() for n in m.group(2).decode("utf-8", "replace").strip("() \t\r\n")
                         .replace("\n", ",").split(",")]
                quals = [f"{mod}.{n}" for n in names if n and n != "*" and n.isidentifier()]
            else:
                quals = [n.split(" as ")[0].strip() for n in m.group(3).decode("utf-8", "replace").split(",")]
            roots = self._sdk_top_names()
            for qual in quals:
                if qual.split(".", 1)[0] in roots and qual not in found and self._names_sdk(self.catalog.canonical(qual)):
                    found[qual] = raw.count(b"\n", 0, m.start()) + 1
        return sorted((line, q) for q, line in found.items())

    def _sdk_top_names(self) -> frozenset[str]:
        """Top-level package names of every SDK surface (and alias) in the catalog."""
        got = self.__dict__.get("_tops")
        if got is None:
            cat = self.catalog
            names = list(cat.modules) + list(cat.factories) + list(cat.session_functions) + list(cat.module_aliases)
            for index in (cat.classes, cat.constructors, cat.session_classes):
                names += [mod for bucket in index._by_last.values() for mod, _ in bucket]  # noqa: SLF001
            got = self.__dict__["_tops"] = frozenset(n.split(".", 1)[0] for n in names if n)
        return got

    def _names_sdk(self, q: str) -> bool:
        """A client class, constructor, factory, module proxy or request function (not a type or an error)."""
        cat = self.catalog
        if q in cat.modules or q in cat.classes or q in cat.constructors or q in cat.factories \
                or q in cat.session_classes or q in cat.session_functions:
            return True
        mm = cat.module_method(q)
        return mm is not None and mm[0].method(mm[1]) is not None

    def _llm_urls(self, info: "ModuleInfo", withheld_lines: set[int]) -> list[Unresolved]:
        """Strings naming an LLM endpoint that no HTTP site was built from (not on a withheld call's
        line, not a web route the project serves). Found in the module's bytes, never by walking its tree."""
        raw = info.source.raw or b""
        rel = info.source.relpath
        used = self._url_used_lines.get(rel, set())
        seen: set[int] = set()
        out = []
        for frag, suffix in self._url_fragments():
            f = frag.encode()
            i = raw.find(f)
            while i != -1:
                found = _quoted(raw, i, len(f))
                i = raw.find(f, i + len(f))
                if found is None:
                    continue
                line, text = found
                path = text.split("?", 1)[0].rstrip("/")
                if line in seen or line in used or line in withheld_lines or \
                        not (path.endswith(frag) if suffix else frag in path):
                    continue
                if path in self._served_paths():  # type: ignore[attr-defined]
                    continue
                seen.add(line)
                out.append(Unresolved(rel, line, "llm-url",
                                      f"{text[:80]!r} names an LLM endpoint ({frag}) but reaches no HTTP call found here"))
        return out

    def _url_fragments(self) -> tuple[tuple[str, bool], ...]:
        """(fragment, is a path suffix) of the endpoints distinctive on their own (not /embed or
        /api/chat, which need a body to tell)."""
        got = self.__dict__.get("_frags")
        if got is None:
            eps = [ep for ep in self.catalog.http.endpoints if not ep.body and not ep.host]
            got = tuple(sorted({(ep.suffix, True) for ep in eps if ep.suffix and len(ep.suffix) >= 6}
                               | {(ep.contains, False) for ep in eps if ep.contains}))
            self.__dict__["_frags"] = got
        return got


def _quoted(raw: bytes, i: int, n: int) -> tuple[int, str] | None:
    """(line, text) of the quoted string without spaces around raw[i:i+n], else None."""
    start = i
    while start > 0 and raw[start - 1] not in b"\"'\n \t" and i - start < MAX_URL_STRING:
        start -= 1
    end = i + n
    while end < len(raw) and raw[end] not in b"\"'\n \t" and end - i < MAX_URL_STRING:
        end += 1
    if start == 0 or end >= len(raw) or raw[start - 1] not in b"\"'" or raw[end] != raw[start - 1]:
        return None
    return raw.count(b"\n", 0, i) + 1, raw[start:end].decode("utf-8", "replace")
