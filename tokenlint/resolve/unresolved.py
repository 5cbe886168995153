"""What looks like an LLM request in a module but was not resolved into a call site, so that a report
never presents what was seen as the whole story.

Three kinds, each with file and line: `sdk-imported` (the module imports an SDK's client, module or
request function, and no call site was found in it), `withheld` (a request-shaped call on a receiver
of unknown type, with no evidence for an SDK, or an HTTP call to the project's own server), and
`llm-url` (a string holding an LLM endpoint's path that reaches no HTTP call found here).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tokenlint.resolve.site import CallSite

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import SdkCatalog
    from tokenlint.resolve.binder import ModuleInfo

MAX_URL_STRING = 300  # longer strings are prose (docstrings, prompts), not URLs


@dataclass(frozen=True)
class Unresolved:
    """A place that looks like an LLM request but is not a call site."""

    path: str
    line: int
    kind: str  # sdk-imported | withheld | llm-url
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "kind": self.kind, "detail": self.detail}


class UnresolvedMixin:
    """The `Resolver`'s account of what it saw but did not resolve (a mixin over `evidence` and `http`)."""

    catalog: "SdkCatalog"
    _withheld: dict[ast.Call, str]
    _url_used: set[ast.AST]

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
        """(line, name) of imports binding an SDK client class, module proxy or request function."""
        cat = self.catalog
        found: dict[str, int] = {}
        for scope in [info.scope, *info.func_scopes.values(), *info.class_scopes.values()]:
            for name, bindings in scope.bindings.items():
                lines = scope.lines.get(name, [])
                for i, (kind, data) in enumerate(bindings):
                    if kind == "import":
                        qual = data
                    elif kind == "from" and not data[0]:
                        qual = f"{data[1]}.{data[2]}" if data[1] else data[2]
                    else:
                        continue
                    if self._names_sdk(cat.canonical(qual)):
                        line = lines[i] if i < len(lines) else 1
                        found[qual] = min(found.get(qual, line), line)
        return sorted((line, q) for q, line in found.items())

    def _names_sdk(self, q: str) -> bool:
        """A client class, constructor, factory, module proxy or request function (not a type or an error)."""
        cat = self.catalog
        if q in cat.modules or q in cat.classes or q in cat.constructors or q in cat.factories \
                or q in cat.session_classes or q in cat.session_functions:
            return True
        mm = cat.module_method(q)
        return mm is not None and mm[0].method(mm[1]) is not None

    def _llm_urls(self, info: "ModuleInfo", withheld_lines: set[int]) -> list[Unresolved]:
        """Strings naming an LLM endpoint that no HTTP site here was built from (not on a withheld call's
        line, not a web route the project serves)."""
        raw = info.source.raw or b""
        frags = self._url_fragments()
        if not any(f.encode() in raw for f, _ in frags):
            return []
        out = []
        rel = info.source.relpath
        for node in ast.walk(info.tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node not in self._url_used \
                    and node.lineno not in withheld_lines:
                v = node.value
                if len(v) > MAX_URL_STRING or any(c.isspace() for c in v):
                    continue
                path = v.split("?", 1)[0].rstrip("/")
                frag = next((f for f, suffix in frags if (path.endswith(f) if suffix else f in path)), None)
                if frag is not None and path not in self._served_paths():  # type: ignore[attr-defined]
                    out.append(Unresolved(rel, node.lineno, "llm-url",
                                          f"{v[:80]!r} names an LLM endpoint ({frag}) but reaches no HTTP call found here"))
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
