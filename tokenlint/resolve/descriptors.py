"""Which decorators make a method the getter of an attribute, as `@property` does: a project decorator whose
own code returns a property (`@lazy_property()` whose inner decorator wraps the function in `@property`) or a
descriptor (a class with `__get__` calling the wrapped function with the instance: a `reify` / `cached_property`
clone), a catalogued library one (frameworks.toml [attribute_getters]), and, when the decorator's code is not
in the project, a property-like name (frameworks.toml [attribute_getters] words) on a method whose return
annotation names an SDK client (`@reify def client(self) -> OpenAI`). `self.client` is then what the method
returns, so `self.client.messages.create(...)` is a request on the client it builds."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Any

from tokenlint.resolve.scope import Scope, decorator_name, is_property, return_values
from tokenlint.resolve.values import ClassV, Client, Func, Qual

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import SdkCatalog

_PROPERTIES = ("property", "cached_property")
_FUNCS = (ast.FunctionDef, ast.AsyncFunctionDef)


class DescriptorMixin:
    """The `Resolver`'s property-making decorators (a mixin over inference and the catalog)."""

    catalog: "SdkCatalog"

    def _getter(self, node: ast.AST, scope: Scope) -> bool:
        """Whether a decorator of the method `node` (defined in the class scope `scope`) makes it an
        attribute's getter: `self.<name>` is then what the method returns."""
        for d in node.decorator_list:  # type: ignore[attr-defined]
            target = d.func if isinstance(d, ast.Call) else d
            v = self.infer(target, scope)  # type: ignore[attr-defined]
            if isinstance(v, Qual) and not v.called:
                if v.qual in self.catalog.attribute_getters:
                    return True
                if decorator_name(d) in self.catalog.property_words and self._returns_client(node, scope):
                    return True
            elif isinstance(v, Func) and v.node is not node:
                # `@lazy_property()`: the factory's returned decorator; `@lazy`: the decorator itself
                if _makes_property(v.node, v.scope, factory=isinstance(d, ast.Call)):
                    return True
            elif isinstance(v, ClassV) and not isinstance(d, ast.Call) and _descriptor_class(v.node):
                return True  # `@reify`: the class's instance replaces the method and reads it on access
        return False

    def _returns_client(self, node: Any, scope: Scope) -> bool:
        """Whether the method's return annotation names an SDK client class (`-> OpenAI`, `-> Client`
        imported under `if TYPE_CHECKING:`)."""
        if node.returns is None:
            return False
        return isinstance(self._annotation(node.returns, scope), Client)  # type: ignore[attr-defined]


def _makes_property(fn: Any, scope: Scope, factory: bool) -> bool:
    """Whether the decorator function `fn` returns a property made of the function it is given (`factory`:
    `fn` is called first, `@lazy_property()`, and returns that decorator)."""
    for ret in return_values(fn):
        ret = _uncast(ret)
        if isinstance(ret, ast.Call) and decorator_name(ret.func) in _PROPERTIES:
            return not factory  # `return property(wrapper)`
        if not isinstance(ret, ast.Name):
            continue
        defs = [d for k, d in scope.bindings.get(ret.id, ()) if k == "def" and isinstance(d, _FUNCS)]
        if not factory and any(is_property(d) for d in defs):
            return True  # `@property def wrapper(self): ...; return wrapper`
        if factory:
            for d in defs:
                inner = scope.module.func_scopes.get(d)
                if inner is not None and _makes_property(d, inner, factory=False):
                    return True
    return False


def _uncast(e: ast.expr) -> ast.expr:
    """`cast("R", wrapper)` -> `wrapper`: a typing cast changes nothing at run time."""
    if isinstance(e, ast.Call) and decorator_name(e.func) == "cast" and len(e.args) == 2:
        return e.args[1]
    return e


def _descriptor_class(cls: ast.ClassDef) -> bool:
    """Whether a decorator class is a getter descriptor: its `__get__(self, instance, owner)` calls the
    wrapped function it holds with the instance (`self.func(instance)`), so reading the attribute gives
    what the method returns (a descriptor binding a method, `partial(self.func, instance)`, is not one)."""
    for st in cls.body:
        if not isinstance(st, _FUNCS) or st.name != "__get__" or len(st.args.args) < 2:
            continue
        me, inst = st.args.args[0].arg, st.args.args[1].arg
        for n in ast.walk(st):
            if (isinstance(n, ast.Call) and n.args and isinstance(n.args[0], ast.Name) and n.args[0].id == inst
                    and isinstance(n.func, ast.Attribute) and isinstance(n.func.value, ast.Name)
                    and n.func.value.id == me):
                return True
    return False
