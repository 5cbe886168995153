"""Which project classes implement a project `typing.Protocol` structurally: the classes a call on an
object declared as the Protocol may run, though none of them names it as a base.

Python's static typing matches a Protocol by shape: a class providing every member the Protocol
declares (its methods, and the attributes it annotates) implements it, with no `class
ChatLLM(LLMClient)` anywhere. `facades` dispatches a call on such an object to its nominal subclasses;
this module adds the structural ones (`facades` imports it: it imports nothing of theirs). Candidates
come from the project's function-name index first (the modules defining every method the Protocol
declares), so a Protocol is matched without parsing modules that cannot implement it; the answer is
memoized per Protocol.
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from tokenlint.resolve.scope import decorator_name
from tokenlint.resolve.values import ClassV

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.project import Project

MAX_STRUCTURAL = 16  # structural implementations read per Protocol


class ProtocolMixin:
    """The `Resolver`'s reading of structural Protocol implementations (a mixin: sources, classes
    and chains come from `FacadeMixin`)."""

    project: "Project"

    def structural_implementations(self, proto: ClassV) -> list[ClassV]:
        """Project classes providing every method and annotated attribute of the project Protocol
        `proto` (and of its Protocol bases in the project) without deriving from it; [] when `proto`
        is not a Protocol or declares no method (a marker is matched by nothing)."""
        memo = self.__dict__.setdefault("_structural_memo", {})
        got = memo.get(proto.node)
        if got is not None:
            return got
        memo[proto.node] = []
        chain = [c for c in self._fchain(proto) if is_protocol(c.node)]  # type: ignore[attr-defined]
        if not chain or chain[0].node is not proto.node:
            return []
        methods = {m.name for c in chain for m in c.node.body  # type: ignore[attr-defined]
                   if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef)) and not m.name.startswith("__")}
        if not methods:
            return []
        attrs = {t.target.id for c in chain for t in c.node.body  # type: ignore[attr-defined]
                 if isinstance(t, ast.AnnAssign) and isinstance(t.target, ast.Name)}
        # the modules defining every method, from the project's function-name index: those defining the
        # rarest method, kept when they define the others too
        defs = self._project_defs()  # type: ignore[attr-defined]
        found = sorted((defs.get(m.encode(), []) for m in methods), key=len)
        others = [set(mods) for mods in found[1:]]
        sources = [ms for ms in found[0] if all(ms in o for o in others)]
        rarest = next(m for m in methods if defs.get(m.encode(), []) is found[0])
        out: list[ClassV] = []
        for cls in self._classes_defining(rarest, sources):  # type: ignore[attr-defined]
            if len(out) >= MAX_STRUCTURAL:
                break
            own = list(self._fchain(cls))  # type: ignore[attr-defined]
            if cls.node is proto.node or is_protocol(cls.node) or any(c.node is proto.node for c in own):
                continue  # the Protocol itself, another Protocol, or a nominal subclass (found by header)
            # a member is provided when a class of the chain binds its name (a method, a class attribute:
            # the binder's class bindings), an attribute also when `self.<name> = ...` sets it
            if all(any(m in c.scope.bindings for c in own) for m in methods) and \
                    all(any(a in c.scope.attrs or a in c.scope.bindings for c in own) for a in attrs):
                out.append(cls)
        memo[proto.node] = out
        return out


def is_protocol(cnode: ast.AST) -> bool:
    """Whether a class names `Protocol` (`typing.Protocol`, `Protocol[T]`) among its bases."""
    return any(decorator_name(b.value if isinstance(b, ast.Subscript) else b) == "Protocol"
               for b in getattr(cnode, "bases", ()))


# `def name(...)...: ...` / `pass`, after a docstring at most: a Protocol's member declared as a stub
_STUB_HEAD = re.compile(rb"def\s+(\w+)\([^)]*\)[^:\n]*:\s*")
_SPACES = re.compile(rb"\s*")


def stub_methods(raw: bytes) -> list[bytes]:
    """Names of the methods `raw` writes as stubs (a body of `...` or `pass`, a docstring before it
    at most): in a Protocol, the declarations of its members (`facades.is_abstract` checks the class)."""
    out: list[bytes] = []
    for m in _STUB_HEAD.finditer(raw):
        at = m.end()
        quote = raw[at:at + 3]
        if quote in (b'"""', b"'''"):
            close = raw.find(quote, at + 3)
            if close < 0:
                continue
            at = _SPACES.match(raw, close + 3).end()  # type: ignore[union-attr]
        if raw.startswith(b"...", at) or (raw.startswith(b"pass", at) and not raw[at + 4:at + 5].isalnum()
                                          and raw[at + 4:at + 5] != b"_"):
            out.append(m.group(1))
    return out
