"""Which provider serves an SDK module's own client, given the module globals the project sets on it
(`openai.api_type = "azure"` makes legacy `openai.ChatCompletion.create(...)` an Azure request)."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from tokenlint.project import SourceError
from tokenlint.resolve.values import Client, Qual

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import SdkCatalog
    from tokenlint.project import ModuleSource, Project
    from tokenlint.resolve.scope import Scope


class ModuleGlobalsMixin:
    """The `Resolver`'s reading of SDK module globals (a mixin: it shares `infer` and the project)."""

    project: "Project"
    catalog: "SdkCatalog"

    def module_client(self, client: Client, call: ast.Call, scope: "Scope") -> Client:
        """`client` as configured by its module's globals when `call` is made on the SDK module itself
        (`openai.ChatCompletion.create`, not `OpenAI().chat...`) and the calling module, or a package
        above it, sets one the catalog lists (`module_providers`); else `client` unchanged."""
        settings = client.ctype.module_providers
        if not settings or client.calls:
            return client
        root = call.func
        while isinstance(root, ast.Attribute):
            root = root.value
        if not isinstance(root, ast.Name) or not self._names_sdk_module(root, scope, client):
            return client
        ms = scope.module.source
        for src in (ms, *self._packages_above(ms)):
            for provider in self._module_settings(src, client):
                return Client(client.ctype, provider, client.is_async, client.calls, client.backend)
        return client

    def _names_sdk_module(self, name: ast.Name, scope: "Scope", client: Client) -> bool:
        v = self.infer(name, scope)  # type: ignore[attr-defined]
        return isinstance(v, Qual) and not v.called and self.catalog.modules.get(
            self.catalog.canonical(v.qual)) is client.ctype

    def _packages_above(self, ms: "ModuleSource") -> list["ModuleSource"]:
        """The `__init__.py` of each package holding `ms`, nearest first (those in the project)."""
        parts = ms.dotted.split(".")
        out = []
        for n in range(len(parts) - (0 if ms.is_package else 1), 0, -1):
            pkg = self.project.find_module(".".join(parts[:n]), ms)
            if pkg is not None and pkg.is_package and pkg is not ms:
                out.append(pkg)
        return out

    def _module_settings(self, ms: "ModuleSource", client: Client) -> list[str]:
        """The providers `ms` selects for `client`'s module (`openai.api_type = "azure"` anywhere in it:
        a module global, read by every later request). Read once per module and SDK."""
        memo = self.__dict__.setdefault("_modglobals", {})
        key = (ms.path, client.ctype.name)
        got = memo.get(key)
        if got is None:
            got = memo[key] = []
            settings = client.ctype.module_providers
            try:
                text = ms.read()
            except SourceError:
                return got
            if not any(name in text for name in settings):  # the usual case: no parse, no walk
                return got
            info = self.project.module_info(ms)
            if info is None:
                return got
            for node in ast.walk(info.tree):
                if not isinstance(node, ast.Assign) or not isinstance(node.value, ast.Constant) \
                        or not isinstance(node.value.value, str):
                    continue
                for t in node.targets:
                    if isinstance(t, ast.Attribute) and t.attr in settings and isinstance(t.value, ast.Name):
                        provider = settings[t.attr].get(node.value.value.lower())
                        if provider and self._names_sdk_module(t.value, info.scope, client):
                            got.append(provider)
        return got
