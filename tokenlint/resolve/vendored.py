"""Which project packages are copies of a catalogued package kept inside the project (a vendored SDK or
framework: `app/sdk/agents/` holding its own copy of the OpenAI Agents SDK), and which of their classes
stand for the catalogued framework's runners when the project's other code imports them.

A copy is recognised by its shape, never by its name alone: a package whose last name is a catalogued
top-level package (`agents`) and which defines, at the catalogued places, at least `MIN_MATCHES` of the
classes the catalog lists under that package (`agents.run.Runner` -> `<copy>/run.py` defining `Runner`,
`agents.agent.Agent` -> `<copy>/agent.py` defining `Agent`). The copy's own modules stay project code
(what they do inside is followed as written, its model classes are the project's own); only imports
from outside the copy of a class the catalog lists as running models (`Runner`) read as the catalogued
class, so that `Runner.run(agent, ...)` in the application is the framework request it is. A copy at a
source root is the package itself (the framework's own repository), left to project.py's rules.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import SdkCatalog
    from tokenlint.project import ModuleSource, Project

# distinct catalogued classes a package must define where the catalog places them to be a copy
MIN_MATCHES = 2


def fingerprints(catalog: "SdkCatalog") -> dict[str, frozenset[tuple[str, str]]]:
    """top-level package -> {(module below it, class)} of the classes the catalog places in a submodule:
    `agents.run.Runner` gives "agents" -> ("run", "Runner"). Names at the package's top (`agents.Runner`)
    say nothing about a copy's layout and are left out."""
    got: dict[str, set[tuple[str, str]]] = {}
    for index in (catalog.constructors, catalog.spending_builds, catalog.runners, catalog.composers):
        for mod, last, _value in index.entries():
            top, _, rest = mod.partition(".")
            if top and rest and last[:1].isupper():
                got.setdefault(top, set()).add((rest, last))
    return {top: frozenset(names) for top, names in got.items()}


class VendoredMixin:
    """The `Resolver`'s reading of vendored copies (a mixin: it shares the resolver's project and catalog)."""

    project: "Project"
    catalog: "SdkCatalog"

    def _prints(self) -> dict[str, frozenset[tuple[str, str]]]:
        prints = self.__dict__.get("_vendor_prints")
        if prints is None:
            prints = self.__dict__["_vendor_prints"] = fingerprints(self.catalog)
        return prints

    def catalogued_package(self, dotted: str) -> bool:
        """Whether `dotted`'s top-level package is one the catalog places classes in (`agents`)."""
        return dotted.partition(".")[0] in self._prints()

    def vendored_name(self, dotted: str, importer: "ModuleSource") -> Optional[str]:
        """The catalogued name a project module `dotted` stands for when it lies inside a vendored copy
        (`app.sdk.agents.run` -> "agents.run"), imported by a module outside that copy; else None."""
        parts = dotted.split(".")
        if len(parts) < 2:
            return None
        prints = self._prints()
        for i in range(1, len(parts)):
            if parts[i] not in prints:
                continue
            root = ".".join(parts[: i + 1])
            own = importer.dotted
            if own == root or own.startswith(root + "."):
                return None  # the copy's own code: project code, followed as written
            if self.is_vendored_copy(root, parts[i]):
                return ".".join(parts[i:])
        return None

    def vendored_runner(self, dotted: str, attr: str, importer: "ModuleSource") -> Optional[str]:
        """The catalogued name of `attr` imported from project module `dotted` inside a vendored copy, when
        the catalog lists it as a class running models it does not choose (`Runner`, whose `run` spends:
        `spending_builds`, `runners`); else None. The copy's model classes stay the project's own (a
        project's own model class is no binding)."""
        vendored = self.vendored_name(dotted, importer)
        if vendored is None:
            return None
        name = self.catalog.canonical(f"{vendored}.{attr}")
        return name if name in self.catalog.spending_builds or name in self.catalog.runners else None

    def is_vendored_copy(self, root: str, top: str) -> bool:
        """Whether the project package `root` (ending in the catalogued name `top`) defines at least
        `MIN_MATCHES` of the catalog's classes of `top` in the modules the catalog places them in."""
        memo = self.__dict__.setdefault("_vendored", {})
        got = memo.get(root)
        if got is None:
            found: set[str] = set()
            for rest, cls in self._prints().get(top, ()):
                if cls in found:
                    continue
                ms = self.project.find_module(f"{root}.{rest}", None)
                info = self.project.module_info(ms) if ms is not None else None
                if info is not None and any(type(node) is ast.ClassDef and node.name == cls and cs.parent is info.scope
                                            for node, cs in info.class_scopes.items()):
                    found.add(cls)
                    if len(found) >= MIN_MATCHES:
                        break
            got = memo[root] = len(found) >= MIN_MATCHES
        return got
