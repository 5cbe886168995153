"""Which calls on an object a project loads as a plugin from a file found at run time reach the plugins'
requests: the module built from a path (`spec_from_file_location(name, path)` then `module_from_spec(spec)`,
or a loader's `load_module()`), a class taken from it by a name known only at run time (`getattr(module,
class_name)`), an object of it returned by the loader and kept in an attribute (`self.tti =
self.load_service_from_folder(path, name)`), then called elsewhere (`app.tti.paint(prompt)`).

Nothing in the code names the class. The method called names the family, when it is one: every project
class (tests and doubles aside) defining that method is one project base or below it, and two or more
of its subclasses implement the method. The call is then a facade over that base's implementations,
"inferred". A method defined in two unrelated families, or by one class alone, gives nothing; so does a
family none of whose implementations reaches a request, or a plugin registry few of whose plugins call
a model (`interfaces._few_implementations_spend`).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Optional

from tokenlint.resolve.binder import CallRecord
from tokenlint.resolve.evidence import is_test_path
from tokenlint.resolve.facades import method_of, reaching
from tokenlint.resolve.site import CallSite
from tokenlint.resolve.values import ClassV

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.project import Project

# standard-library calls building a module from a file path (by their last name: `importlib.util.
# module_from_spec`, `SourceFileLoader(name, path).load_module()`, the old `imp.load_source`)
_FILE_LOADERS = frozenset({"module_from_spec", "load_module", "load_source"})
_LOADER_BYTES = (b"module_from_spec", b"load_module", b"load_source")
# modules defining the called method past which the family is not read (a name every class defines)
MAX_FAMILY_MODULES = 80


class PluginMixin:
    """The `Resolver`'s reading of plugin objects loaded from files (a mixin: classes, chains and
    implementations' targets come from `FacadeMixin`, the gates from `InterfaceMixin`)."""

    project: "Project"

    def _plugin_facade(self, rec: CallRecord) -> Optional[CallSite]:
        """`app.tti.paint(...)` (or `self.tti.paint(...)`) where some project class keeps in `tti` what a
        plugin loader of its module returns: a facade over the one project family defining `paint`."""
        func = rec.node.func
        if not isinstance(func, ast.Attribute) or func.attr.startswith("_") or \
                not isinstance(func.value, ast.Attribute) or func.value.attr not in self._plugin_attributes():
            return None
        base = self._plugin_family(func.attr)
        if base is None:
            return None
        targets = self._spend_targets(base, func.attr, 0)[0]  # type: ignore[attr-defined]
        if not targets or self._few_implementations_spend(base, func.attr, func.value):  # type: ignore[attr-defined]
            return None
        site = self._facade_site(rec, targets, base, func.attr)  # type: ignore[attr-defined]
        site.confidence = "inferred"
        return site

    def plugin_methods(self, info, sites: list[CallSite]) -> set[str]:  # type: ignore[no-untyped-def]
        """Public names of the methods of this module's classes that override the method of the one project
        family defining it (`_plugin_family`) and hold or reach a spending site, when the project keeps
        plugin objects (`_plugin_attributes`): callers
        of `.name(...)` on such an object may be facade sites, so the engine reads the files naming them."""
        out: set[str] = set()
        if not any(s.spends for s in sites) or not self._plugin_attributes():
            return out
        for chain, own, names in self.spending_classes(info, sites):  # type: ignore[attr-defined]
            for n in own:
                if n.startswith("_") or n in out or not reaching(own, n, names):
                    continue
                base = self._plugin_family(n) if any(method_of(c, n) is not None for c in chain) else None
                if base is not None and any(c.node is base.node for c in chain):
                    out.add(n)
        return out

    def _plugin_attributes(self) -> frozenset[str]:
        """Names of the attributes of `self` a project module assigns what a plugin loader of its own
        returns (read once per run, from the modules naming a file loader)."""
        got = self.__dict__.get("_plugin_attrs")
        if got is not None:
            return got
        out: set[str] = set()
        for ms in self._sources():  # type: ignore[attr-defined]
            if not any(w in ms.raw for w in _LOADER_BYTES) or is_test_path(ms.relpath):
                continue
            info = self.project.module_info(ms)
            if info is None:
                continue
            loaders = {n.name for n in ast.walk(info.tree)
                       if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and loads_plugin(n)}
            if not loaders:
                continue
            # (read from the syntax: the assignment may sit in a closure a method hands to a runner)
            for st in ast.walk(info.tree):
                if isinstance(st, ast.Assign) and _calls_one_of(st.value, loaders):
                    out |= {t.attr for t in st.targets if isinstance(t, ast.Attribute)
                            and isinstance(t.value, ast.Name) and t.value.id == "self"}
        got = self.__dict__["_plugin_attrs"] = frozenset(out)
        return got

    def _plugin_family(self, name: str) -> Optional[ClassV]:
        """The one project base every project class defining method `name` is or derives from, when two
        or more of its subclasses define it; else None (memoized per name)."""
        memo = self.__dict__.setdefault("_plugin_family_memo", {})
        if name in memo:
            return memo[name]
        memo[name] = None
        modules = self._project_defs().get(name.encode(), [])  # type: ignore[attr-defined]
        if len(modules) > MAX_FAMILY_MODULES:
            return None
        roots: dict = {}
        below = 0
        for ms in modules:
            if is_test_path(ms.relpath):
                continue
            info = self.project.module_info(ms)
            if info is None:
                continue
            for node, cs in info.class_scopes.items():
                cls = ClassV(node, cs)  # type: ignore[arg-type]
                if method_of(cls, name) is None:
                    continue
                top = self._declaring(cls, name)  # type: ignore[attr-defined]
                if top is None:
                    continue
                roots.setdefault(top.node, top)
                below += top.node is not node
                if len(roots) > 1:
                    return None
        if len(roots) == 1 and below >= 2:
            memo[name] = next(iter(roots.values()))
        return memo[name]


def loads_plugin(fnode: ast.AST) -> bool:
    """Whether a function returns an object of a class taken by a computed name from a module it builds
    from a file: `module = module_from_spec(spec)` (or `.load_module()`), `cls = getattr(module, name)`,
    then `return cls(...)` (or `obj = cls(...)` ... `return obj`, or `return getattr(module, name)(...)`)."""
    modules: set[str] = set()
    classes: set[str] = set()
    objects: set[str] = set()
    assigns = sorted((n for n in ast.walk(fnode) if isinstance(n, ast.Assign)),
                     key=lambda n: (n.lineno, n.col_offset))  # in the order written, whatever the nesting
    for st in assigns:
        if len(st.targets) != 1 or not isinstance(st.targets[0], ast.Name):
            continue
        target, value = st.targets[0].id, st.value
        if isinstance(value, ast.Call):
            if _last_name(value.func) in _FILE_LOADERS:
                modules.add(target)
            elif _fetched_class(value, modules):
                classes.add(target)
            elif _built(value, modules, classes):
                objects.add(target)
    if not modules:
        return False
    for st in ast.walk(fnode):
        if isinstance(st, ast.Return) and st.value is not None:
            v = st.value
            if isinstance(v, ast.Name) and v.id in objects or isinstance(v, ast.Call) and _built(v, modules, classes):
                return True
    return False


def _last_name(e: ast.expr) -> str:
    return e.attr if isinstance(e, ast.Attribute) else e.id if isinstance(e, ast.Name) else ""


def _fetched_class(call: ast.Call, modules: set[str]) -> bool:
    """`getattr(module, name)` on a module built from a file, the name not a literal."""
    return isinstance(call.func, ast.Name) and call.func.id == "getattr" and len(call.args) >= 2 and \
        isinstance(call.args[0], ast.Name) and call.args[0].id in modules and not isinstance(call.args[1], ast.Constant)


def _built(call: ast.Call, modules: set[str], classes: set[str]) -> bool:
    f = call.func
    return isinstance(f, ast.Name) and f.id in classes or isinstance(f, ast.Call) and _fetched_class(f, modules)


def _calls_one_of(expr: ast.expr, names: set[str]) -> bool:
    """Whether `expr` is a call of one of this module's functions `names`: `load(...)`, `self.load(...)`,
    `cls.load(...)`; not another object's method of the same name (`yaml.load(f)`)."""
    if not isinstance(expr, ast.Call):
        return False
    f = expr.func
    if isinstance(f, ast.Name):
        return f.id in names
    return isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id in ("self", "cls") \
        and f.attr in names
