"""Where an imported name or an attribute comes from: project modules, external names, and the
expression assigned to them in their own module."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Any, Optional

from tokenlint.resolve.facades import spending_method
from tokenlint.resolve.scope import Scope, binding_of, decorator_name, return_values
from tokenlint.resolve.values import UNKNOWN, ClassV, Instance, OneOf, ProjModule, Qual, Str, Value, join

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import SdkCatalog
    from tokenlint.project import ModuleSource, Project
    from tokenlint.resolve.binder import ModuleInfo


# a plugin package read as "any of its modules" (`import_module(f"extensions.{name}")`): past these, the
# loaded module or class is left unknown (a name that could load anything)
MAX_PLUGIN_MODULES = 128
MAX_PLUGIN_CLASSES = 64


def plugin_package(name: ast.expr) -> Optional[str]:
    """The package a module name computed at run time is inside, when its text fixes it:
    `f"app.extensions.{name}"`, `"app.extensions." + name` -> "app.extensions"; else None."""
    head: object = None
    if type(name) is ast.JoinedStr and len(name.values) >= 2 and type(name.values[0]) is ast.Constant:
        head = name.values[0].value  # type: ignore[attr-defined]
    elif type(name) is ast.BinOp and type(name.op) is ast.Add and type(name.left) is ast.Constant:
        head = name.left.value  # type: ignore[attr-defined]
    if not isinstance(head, str) or not head.endswith(".") or len(head) < 2:
        return None
    package = head[:-1]
    return package if all(p.isidentifier() for p in package.split(".")) else None


def lazy_exports(tree: ast.Module) -> dict[str, tuple[int, str, str]]:
    """The names a module's `__getattr__` imports on demand, each with (level, module, name) to import it
    from: those its body imports itself (`if name == "Agent": from .agent import Agent; return Agent`)
    and the keys of a module-level table of string literals it reads (`_LAZY = {"Agent": ".agent"}`,
    `{"Agent": "pkg.agent"}`, `{"Agent": ("pkg.agent", "Agent")}`, `{"Agent": "agent"}` for
    `import_module(f"{__name__}.{_LAZY[name]}")`). A module name without dots' level is read by
    `ImportMixin._lazy_export` (a module of the package first, then an absolute module)."""
    getter = next((n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
                   and n.name == "__getattr__"), None)
    out: dict[str, tuple[int, str, str]] = {}
    if getter is None:
        return out
    read: set[str] = set()
    for n in ast.walk(getter):
        if isinstance(n, ast.ImportFrom) and (n.module is not None or n.level):
            for a in n.names:
                out.setdefault(a.asname or a.name, (n.level, n.module or "", a.name))
        elif isinstance(n, ast.Name):
            read.add(n.id)
    for stmt in tree.body:
        target = stmt.targets[0] if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 else \
            stmt.target if isinstance(stmt, ast.AnnAssign) else None
        value = stmt.value if target is not None else None  # type: ignore[union-attr]
        if not (isinstance(target, ast.Name) and target.id in read and isinstance(value, ast.Dict)):
            continue
        for k, v in zip(value.keys, value.values):
            if not (isinstance(k, ast.Constant) and isinstance(k.value, str)):
                continue
            parts = v.elts if isinstance(v, (ast.Tuple, ast.List)) else [v]
            texts = [p.value for p in parts[:2] if isinstance(p, ast.Constant) and isinstance(p.value, str)]
            if not texts or len(texts) < min(len(parts), 2):
                continue
            mod = texts[0]
            level = len(mod) - len(mod.lstrip("."))
            mod = mod[level:]
            if (mod or level) and all(p.isidentifier() for p in mod.split(".") if mod):
                out.setdefault(k.value, (level, mod, texts[1] if len(texts) > 1 else k.value))
    return out


def namespace_writes(tree: ast.Module) -> bool:
    """Whether a module's top-level code writes its own namespace by a computed name: `vars()[m] = ...` or
    `globals()[m] = ...` (in a loop or not), or `globals().update(...)`."""
    for stmt in tree.body:
        for n in ast.walk(stmt) if isinstance(stmt, (ast.For, ast.If, ast.Try, ast.With, ast.Assign, ast.Expr)) else ():
            if isinstance(n, ast.Assign):
                got = [t.value for t in n.targets if isinstance(t, ast.Subscript)]
            elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "update":
                got = [n.func.value]
            else:
                continue
            if any(isinstance(g, ast.Call) and isinstance(g.func, ast.Name) and g.func.id in ("vars", "globals")
                   and not g.args for g in got):
                return True
    return False


class ImportMixin:
    """The `Resolver`'s import resolution (a mixin: it shares the resolver's memo tables and `infer`)."""

    project: "Project"
    catalog: "SdkCatalog"

    def _import_module(self, module: "ModuleInfo", dotted: str) -> Value:
        ms = self.project.find_module(dotted, module.source)
        if ms is not None:
            return ProjModule(ms, dotted)
        return Qual(self.catalog.canonical(dotted))

    def _import_from(self, module: "ModuleInfo", level: int, mod: str, attr: str) -> Value:
        if level:
            base = self.project.relative_module(module.source, level, mod)
            if base is None:
                return UNKNOWN
            sub = self.project.relative_module(module.source, level, f"{mod}.{attr}" if mod else attr)
            if sub is not None and not self._package_binds(base, attr, module):
                return ProjModule(sub, sub.dotted)
            return self._module_attr(base, attr)
        full = f"{mod}.{attr}"
        sub = self.project.find_module(full, module.source)
        ms = self.project.find_module(mod, module.source)
        if ms is not None:
            vendored = self.vendored_runner(ms.dotted, attr, module.source)  # type: ignore[attr-defined]
            if vendored is not None:  # `from app.sdk.agents import Runner`: the copy's runner is the framework's
                return Qual(vendored)
        if sub is not None and not (ms is not None and self._package_binds(ms, attr, module)):
            return ProjModule(sub, full)
        if ms is not None:
            if self.catalogued_package(mod) and self._lacks(ms, attr):  # type: ignore[attr-defined]
                # `from agents import Runner` beside an `agents/` folder of the project's own that has no
                # `Runner`: that import can only be the installed package the catalog knows
                return Qual(self.catalog.canonical(full))
            return self._module_attr(ms, attr)
        return Qual(self.catalog.canonical(full))

    def _lacks(self, ms: "ModuleSource", attr: str) -> bool:
        """Whether project module `ms` cannot give `attr`: no binding of it, no submodule of that name, no
        star import that might re-export it, no module `__getattr__` that might make it on demand (a
        package's lazy exports)."""
        info = self.project.module_info(ms)
        if info is None or info.scope.bindings.get(attr) or info.scope.bindings.get("*") or \
                info.scope.bindings.get("__getattr__"):
            return False
        return not (ms.is_package and self.project.find_module(f"{ms.dotted}.{attr}", ms) is not None)

    def _package_binds(self, package: "ModuleSource", attr: str, importer: "ModuleInfo") -> bool:
        """Whether a package's `__init__` binds `attr` itself (`from .get_store import get_store`): then
        `from package import attr` is that binding, not the submodule of the same name (Python reads the
        package's attribute first). Never for the package importing from itself."""
        if not package.is_package or package is importer.source:
            return False
        info = self.project.module_info(package)
        return info is not None and bool(info.scope.bindings.get(attr))

    def _module_attr(self, ms: "ModuleSource", attr: str) -> Value:
        info = self.project.module_info(ms)
        if info is None:
            return UNKNOWN
        b = info.scope.bindings.get(attr)
        if not b:
            sub = self.project.find_module(f"{ms.dotted}.{attr}", ms) if ms.is_package else None
            if sub is not None:
                return ProjModule(sub, sub.dotted)
            star = info.scope.bindings.get("*")
            key = (ms.path, attr, "*")
            if not star or key in self._in_progress:
                # (star imports in a cycle: `from .a import *` in b, `from .b import *` in a)
                return UNKNOWN if star else self._lazy_export(info, attr)
            self._in_progress.add(key)  # type: ignore[arg-type]
            try:
                for _k, (level, mod) in star:
                    v = self._import_from(info, level, mod, attr)
                    if v is not UNKNOWN:
                        return v
            finally:
                self._in_progress.discard(key)  # type: ignore[arg-type]
            return self._lazy_export(info, attr)
        key = (ms.path, attr)
        if key in self._in_progress:
            return UNKNOWN
        self._in_progress.add(key)  # type: ignore[arg-type]
        try:
            return self._from_bindings(attr, b, info.scope)
        finally:
            self._in_progress.discard(key)  # type: ignore[arg-type]

    def _lazy_export(self, info: "ModuleInfo", attr: str) -> Value:
        """A name a module makes on demand in its module-level `__getattr__` (a package's lazy exports,
        PEP 562): what the module and name it imports for `attr` give (`lazy_exports`); else UNKNOWN."""
        if not info.scope.bindings.get("__getattr__"):
            return self._wrapped_package(info, attr)
        table = getattr(info, "_lazy_exports", None)
        if table is None:
            table = info._lazy_exports = lazy_exports(info.tree)  # type: ignore[attr-defined]
        found = table.get(attr)
        if found is None:
            return UNKNOWN
        level, mod, name = found
        key = (info.source.path, attr, "lazy")
        if key in self._in_progress:
            return UNKNOWN
        self._in_progress.add(key)  # type: ignore[arg-type]
        try:
            if level:
                return self._import_from(info, level, mod, name)
            if info.source.is_package:  # `import_module(f"{__name__}.{module}")`: a module of the package
                sub = self.project.find_module(f"{info.source.dotted}.{mod}", info.source)
                if sub is not None:
                    return self._module_attr(sub, name)
            return self._import_from(info, 0, mod, name)
        finally:
            self._in_progress.discard(key)  # type: ignore[arg-type]

    def _wrapped_package(self, info: "ModuleInfo", attr: str) -> Value:
        """A catalogued package a module binds by a computed name (`for m in modules: vars()[m] =
        PackageWrapper(m)`, `globals()[name] = LazyModule(name)`: an optional-dependency shim importing it on
        first use): `from pkg.thirdparty import zhipuai` is that package; else UNKNOWN. Only a name the
        module binds no other way, and only a package the catalog knows (any name may be made so)."""
        if attr not in self.project.external and not self.catalogued_package(attr):  # type: ignore[attr-defined]
            return UNKNOWN
        writes = getattr(info, "_namespace_writes", None)
        if writes is None:
            writes = info._namespace_writes = namespace_writes(info.tree)  # type: ignore[attr-defined]
        return Qual(self.catalog.canonical(attr)) if writes else UNKNOWN  # type: ignore[attr-defined]

    def _dynamic_import(self, call: ast.Call, scope: Scope, name_scope: Optional[Scope] = None,
                        name: ast.expr | None = None) -> Value:
        """`importlib.import_module("openai")`, `__import__("litellm")`: the module, when its name is a
        string known here (`name` evaluated in `name_scope`: a caller's argument); else UNKNOWN."""
        if name is None:
            name = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "name"), None)
            name_scope = scope
        v = self.infer(name, name_scope or scope) if name is not None else UNKNOWN
        if isinstance(v, Str) and v.value and v.value.replace(".", "").replace("_", "").isalnum():
            return self._import_module(scope.module, v.value)
        package = plugin_package(name) if name is not None else None
        if package is not None:  # `import_module(f"app.extensions.{name}")`: one of that package's modules
            return self.package_modules(package)
        return UNKNOWN

    def package_modules(self, package: str) -> Value:
        """Any of the project modules directly inside package `package` (a plugin folder: `extensions`
        for `import_module(f"extensions.{name}")`), as a union of modules; UNKNOWN when the project has
        none, or more than `MAX_PLUGIN_MODULES` (a name that could load anything). Memoized."""
        memo = self.__dict__.setdefault("_package_modules", {})
        got = memo.get(package)
        if got is None:
            prefix = package + "."
            found: dict[str, "ModuleSource"] = {}
            for dotted, mss in self.project.by_name.items():
                if dotted.startswith(prefix) and "." not in dotted[len(prefix):] and mss:
                    found.setdefault(mss[0].relpath, mss[0])
            if not found or len(found) > MAX_PLUGIN_MODULES:
                got = UNKNOWN
            else:
                got = join(ProjModule(ms, ms.dotted) for _, ms in sorted(found.items()))
            memo[package] = got
        return got

    def plugin_packages(self, info: "ModuleInfo", sites: list) -> set[str]:
        """The last name of the package this module is in (`extensions` for `app/extensions/openai.py`)
        when a class of it holds a spending site: a module of that package imported by a computed name
        (`package_modules`) may be this one, so the engine reads the files loading such plugins."""
        parent = info.source.dotted.rpartition(".")[0]
        if not parent or info.source.is_package:
            return set()
        if any(spending_method(s) is not None for s in sites):
            return {parent.rpartition(".")[2]}
        return set()

    def module_classes(self, v: Value) -> Value:
        """`getattr(module, name)` with a name known only at run time, on a project module (or any of
        several, see `package_modules`): any of the classes the modules define themselves (not those
        they import), as a union; UNKNOWN for anything else, or past `MAX_PLUGIN_CLASSES`."""
        modules = v.members if type(v) is OneOf else (v,)  # type: ignore[attr-defined]
        if not modules or any(type(m) is not ProjModule for m in modules):
            return UNKNOWN
        classes: list[Value] = []
        for m in modules:
            info = self.project.module_info(m.module)  # type: ignore[attr-defined]
            if info is None:
                continue
            own = _own_classes(info)
            # a package whose `__init__` defines none gathers its modules' (`from .openai_gen import *`,
            # `from pkg.generator.local import LocalGenerator`): those it exports are the family
            classes += own if own or not m.module.is_package else \
                self._exported_classes(info, MAX_PLUGIN_CLASSES - len(classes))  # type: ignore[attr-defined]
            if len(classes) > MAX_PLUGIN_CLASSES:
                return UNKNOWN  # too large a family to stand for: left dynamic
        return join(classes)

    def _exported_classes(self, info: "ModuleInfo", limit: int) -> list[Value]:
        """The classes a package's `__init__` (`info`) imports from the package's own modules, by name
        or by `*` (a module's own classes), in the order written; read no further once past `limit`
        (a family too large to stand for: the modules left need no parse)."""
        folder = info.source.path.parent
        out: list[Value] = []
        for name, bindings in info.scope.bindings.items():
            if name != "*" and any(kind == "from" for kind, _data in bindings):
                v = self._module_attr(info.source, name)
                if type(v) is ClassV and folder in v.scope.module.source.path.parents:  # type: ignore[attr-defined]
                    out.append(v)
                    if len(out) > limit:
                        return out
        for _kind, (level, mod) in info.scope.bindings.get("*", ()):
            ms = self.project.from_module(info.source, level, mod)
            sub = self.project.module_info(ms) if ms is not None and folder in ms.path.parents else None
            if sub is not None:
                out += _own_classes(sub)
                if len(out) > limit:
                    return out
        return out

    def _import_def(self, kind: str, data: Any, scope: Scope, depth: int = 0) -> tuple[ast.expr, Scope] | None:
        """The assigned expression an imported name refers to, in its own module (`depth`: re-exports
        followed so far; a cycle of `from a import x` / `from b import x` ends at the cap)."""
        if kind != "from":
            return None
        level, mod, attr = data
        ms = self.project.from_module(scope.module.source, level, mod)
        if ms is None:
            return None
        return self._module_def(ms, attr, depth)

    def _module_def(self, ms: "ModuleSource", attr: str, depth: int = 0) -> tuple[ast.expr, Scope] | None:
        info = self.project.module_info(ms)
        if info is None or depth > 5:
            return None
        for kind, data in reversed(info.scope.bindings.get(attr, ())):
            if kind == "assign" and data is not None:
                return data, info.scope
            if kind == "from":
                return self._import_def(kind, data, info.scope, depth + 1)
        return None

    def _attr_def(self, e: ast.Attribute, scope: Scope) -> tuple[ast.expr, Scope] | None:
        base = self.infer(e.value, scope)
        if isinstance(base, ProjModule):
            return self._module_def(base.module, e.attr)
        if isinstance(base, Instance):
            for c in self._class_chain(base.cls):
                vals = c.scope.attrs.get(e.attr)
                if vals:
                    return vals[-1][0], vals[-1][1]
                for kind, data in reversed(c.scope.bindings.get(e.attr, ())):
                    if kind == "assign" and data is not None:
                        return data, c.scope
        if isinstance(base, ClassV):
            for c in self._class_chain(base):
                for kind, data in reversed(c.scope.bindings.get(e.attr, ())):
                    if kind == "assign" and data is not None:
                        return data, c.scope
        return None


def definition(name: str, scope: Scope) -> tuple[str, Any, Scope] | None:
    """(kind, data, scope) of the binding of `name` seen from `scope`, like `binding_of`, except that
    a name imported from another project module is followed to its assignment there
    (`from app.prompts import GUIDELINES` gives ("assign", <the string>, app.prompts' scope))."""
    b = binding_of(name, scope)
    if b is None or b[0] != "from":
        return b
    resolver = getattr(scope.module, "resolver", None)
    if resolver is None:
        return b
    d = resolver._import_def(b[0], b[1], b[2])
    return ("assign", d[0], d[1]) if d is not None else b


def attribute_definition(e: ast.Attribute, scope: Scope) -> tuple[ast.expr, Scope] | None:
    """The assigned expression behind `module.NAME` or `self.name` / `Class.NAME`, when known."""
    resolver = getattr(scope.module, "resolver", None)
    return resolver._attr_def(e, scope) if resolver is not None else None


def property_definition(e: ast.Attribute, scope: Scope) -> tuple[ast.expr, Scope] | None:
    """The expression a `@property` getter returns for `obj.name` (`self.system_prompt`, a prompt built on
    every access), in the getter's own scope, when the getter has one `return` and no `yield`; None for
    anything else (a `cached_property`, computed once per instance, is not read as built per access)."""
    resolver = getattr(scope.module, "resolver", None)
    base = resolver.infer(e.value, scope) if resolver is not None else None
    if not isinstance(base, Instance):
        return None
    for c in resolver._class_chain(base.cls):  # type: ignore[union-attr]
        defs = [d for k, d in c.scope.bindings.get(e.attr, ()) if k == "def"]
        if not defs:
            continue
        getter = defs[0]
        if not any(decorator_name(d) == "property" for d in getter.decorator_list):
            return None
        values = list(return_values(getter))
        fscope = c.scope.module.func_scopes.get(getter)
        if len(values) != 1 or fscope is None or any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in ast.walk(getter)):
            return None
        return values[0], fscope
    return None


def _own_classes(info: "ModuleInfo") -> list[Value]:
    """The classes a module defines at its top level (not those it imports)."""
    return [ClassV(node, cs) for node, cs in info.class_scopes.items() if cs.parent is info.scope]  # type: ignore[arg-type]
