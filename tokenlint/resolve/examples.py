"""Whether a call of the project's own function is a library's example running the framework as its users do, and
what such a call reaches on the object it runs on (`ExampleMixin`).

A framework analysed as itself ships example code beside its package (`examples/`, `contributing/samples/`,
`playground/`: folders named by catalog `[examples] words`). A call there of a public method of an object of
the package that reaches a request (`agent.run(...)`, `Runner(...).run()`, `rails.generate(...)`) is how a
user spends through the framework: a framework request site (study decision, round 13), not a wrapper of the
project's own code. A call of another example file's helper stays a wrapper call (the helper's own call of
the framework is the site), and so does a call into a private name (`_send`), which no user calls. A
module-level convenience function (`lib.run("task")`) stays a wrapper call too: the study's labels of
frameworks analysed as themselves count their examples' method calls on agents, runners and clients, and
leave such functions out (marvin's `marvin.run`: "public entry point, no extra site"; controlflow's `cf.run`).
"""

from __future__ import annotations

import ast
import functools
import os
import re
from typing import TYPE_CHECKING, Optional

from tokenlint.resolve.binder import CallRecord
from tokenlint.resolve.facades import self_calls
from tokenlint.resolve.scope import is_method
from tokenlint.resolve.site import CallSite
from tokenlint.resolve.values import ClassV, Func, Instance

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import SdkCatalog

_SPLIT = re.compile(r"[-_.\s]+")
MAX_SELF_HOPS = 4  # methods called on `self`, one from another, followed from an example's call (`_reached_on`)
# what an example's call of its library's method may reach on the object (`_reached_on`)
_REACHED = ("direct", "request", "wrapper", "facade")


@functools.lru_cache(maxsize=None)
def example_folder(relpath: str, words: frozenset[str]) -> Optional[str]:
    """The folder prefix of `relpath` (a "/"-separated project path) that is example code: the path up to
    and including the first folder one of whose words (split at `-`, `_`, `.`) is in `words`; None when no
    folder of the path is one. (Asked at every call of a project function: memoized per path.)"""
    parts = relpath.split("/")[:-1]
    for i, part in enumerate(parts):
        if any(w in words for w in _SPLIT.split(part.lower()) if w):
            return "/".join(parts[:i + 1])
    return None


def runs_the_framework(caller: str, callee: str, callee_is_package_module: bool, qualname: str, method: bool,
                       words: frozenset[str]) -> bool:
    """Whether a call in the file `caller` of the project function `qualname` defined in the file
    `callee` (both project-relative paths) is an example's call of its library's public entry: the caller
    is in an example folder, the callee a method (`method`) in a regular package outside every example
    folder, and no part of its qualified name is private."""
    if not method or not words or example_folder(caller, words) is None or example_folder(callee, words) is not None:
        return False
    if not callee_is_package_module:
        return False  # a script beside the examples (`run_demo.py` at the root) is no library
    return not any(part.startswith("_") and not part.startswith("__") for part in qualname.split("."))


class ExampleMixin:
    """The `Resolver`'s reading of an example's call of its library (a mixin: the sites a method reaches come
    from `function_sites`, the class chain from `FacadeMixin`)."""

    catalog: "SdkCatalog"

    def _runs_the_framework(self, rec: CallRecord, f: Func) -> bool:
        """Whether `rec`, a call of project function `f`, is a library's example running its public entry
        (examples.py)."""
        info = f.scope.module
        if example_folder(rec.scope.module.source.relpath, self.catalog.example_words) is None:
            return False  # (most files: no folder so named)
        in_package = self.project.is_package_dir(os.path.dirname(info.source.path))  # type: ignore[attr-defined]
        in_class = f.bound is not None or is_method(f) or (f.scope.parent is not None and f.scope.parent.kind == "class")
        return runs_the_framework(rec.scope.module.source.relpath, info.source.relpath, in_package, f.scope.qualname,
                                  in_class, self.catalog.example_words)  # (a static method too: `Runner.run_sync`)

    def _example_outside_library(self, rec: CallRecord, f: Func) -> bool:
        """Whether the example folder `rec` is in lies outside the top folder of the library module defining
        `f` (`atomic-examples/...` running `atomic-agents/atomic_agents/...`): an application's own
        `myapp/playground/` calling `myapp/agent.py` is the application, not an example of a library."""
        folder = example_folder(rec.scope.module.source.relpath, self.catalog.example_words)
        return folder is not None and folder.split("/")[0] != f.scope.module.source.relpath.split("/")[0]

    def _catalogued_class(self, f: Func) -> tuple[str, str] | None:
        """(framework, api) when method `f` of an object of a framework analysed as itself is a request the
        catalog lists for a class of the object's chain by its public name, as a composer or runner
        (`autogen_agentchat.teams.RoundRobinGroupChat` and `run_stream`): a downstream application's same
        call is that request. None when no class of the chain is catalogued so, or the method is no request."""
        for c in self._class_chain(f.bound.cls):  # type: ignore[attr-defined, union-attr]
            dotted = c.scope.module.source.dotted
            got = self.catalog.composers.get(f"{dotted}.{c.node.name}" if dotted else c.node.name) or \
                self.catalog.runners.get(f"{dotted}.{c.node.name}" if dotted else c.node.name)
            if got is None:
                continue
            fw = self.catalog.framework(got[0])
            if fw is None or f.node.name not in fw.requests:
                return None
            return fw.name, got[1] if isinstance(got[1], str) else "chat_model"  # (a runner's api; a composer's specs)
        return None

    def catalogued_client_call(self, rec: CallRecord) -> bool:
        """Whether `rec`, an example's call (`client.chat.completions.create(...)`), is a request method the
        SDK catalog lists for a client class of the library analysed as itself, by the class's public name
        (aisuite's own `aisuite.Client` in aisuite's `examples/`): the root of the call's attribute path is
        an object of that project class and the path is one of the catalogued client's methods. A
        downstream application's same call is that SDK's request."""
        path: list[str] = []
        e = rec.node.func
        while isinstance(e, ast.Attribute):
            path.append(e.attr)
            e = e.value
        if len(path) < 2:
            return False
        root = self.infer(e, rec.scope)  # type: ignore[attr-defined]
        if type(root) is not Instance:
            return False
        method = ".".join(reversed(path))
        for c in self._class_chain(root.cls):  # type: ignore[attr-defined]
            dotted = c.scope.module.source.dotted
            # the class where it is defined (`aisuite.client.Client`) or re-exported by its package (`aisuite.Client`)
            for mod in (dotted, dotted.rpartition(".")[0]) if dotted else ():
                ct = self.catalog.classes.get(f"{mod}.{c.node.name}") if mod else None
                if ct is not None:
                    return method in ct.methods
        return False

    def _reached_on(self, cls: ClassV, f: Func) -> list[CallSite]:
        """The spending sites method `f` reaches run on an object of `cls`: its own, and those of the
        methods it calls on `self` as `cls` resolves them (an override runs), to MAX_SELF_HOPS; a guess
        by a name (an "inferred" facade over a model client) counts as the object's own sites do."""
        return self._reached_from(cls, f.scope.module, f.node)

    def _reached_from(self, cls: ClassV, info, node) -> list[CallSite]:  # type: ignore[no-untyped-def]
        """`_reached_on` from method `node` of module `info`."""
        out: list[CallSite] = []
        seen: set[int] = set()
        todo: list[tuple] = [(info, node, 0)]
        while todo:
            info, node, depth = todo.pop(0)
            if id(node) in seen:
                continue
            seen.add(id(node))
            out += [s for s in self.function_sites(node, info) if s.spends and s.kind in _REACHED]
            args = getattr(node, "args", None)
            if depth >= MAX_SELF_HOPS or args is None or not args.args:
                continue
            for name in self_calls(node, args.args[0].arg):
                m = self._method_in_chain(cls, name)  # type: ignore[attr-defined]
                if m is not None:
                    todo.append((m[0].scope.module, m[1], depth + 1))
        return out

    def example_runner(self, v: object, relpath: str) -> bool:
        """Whether `v`, a module-level name's value in the example file `relpath`, is an object of the library's
        own class whose run entry (catalog `[examples] runs`) reaches a request: the examples importing it run
        the library (`from youtube_summarizer.agent import agent` then `agent.run(...)`), so they are read."""
        if type(v) is not Instance or example_folder(relpath, self.catalog.example_words) is None:
            return False
        for name in sorted(self.catalog.example_runs):
            m = self._method_in_chain(v.cls, name)  # type: ignore[attr-defined]
            if m is not None and example_folder(m[0].scope.module.source.relpath, self.catalog.example_words) is None \
                    and self._reached_from(v.cls, m[0].scope.module, m[1]):
                return True
        return False

