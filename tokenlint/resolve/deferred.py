"""Which calls build a model object later from a model class handed to them as a value (DEFERREDCTOR).

A reader of Python knows that `functools.partial(OpenAIEmbedding, model_name="...")` and a lazy holder
`LazyInit(OpenAIEmbedding, model_name="...")` (a project class whose `__init__` keeps its first argument
and whose methods call it: `self._factory(*self._args, **self._kwargs)`) build an `OpenAIEmbedding`
with those arguments once called: the model is chosen there. Such a call is read as the constructor call
`OpenAIEmbedding(model_name="...")` at its line: a binding; what it gives when called
(`make_llm()`, `EmbeddingModel.load(name)()` over a table of holders) is that model object, whose
requests are found. A class that is no model class (a parser, a
dataclass), a `partial` of a function, and a holder that never calls what it keeps give nothing.

A parameter annotated as a class (`chat_cls: type[BaseChatModel]`, `Type[Any]`) called inside its
function builds what the callers pass for it: `chat_cls(model=model)` is the binding of the model classes
the project's calls hand it (`build(chat_cls=ChatOpenAI)`), with the keywords written at the call. An
unannotated parameter called (a callback) is not read: its callers are searched only for a class parameter.
"""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import TYPE_CHECKING, Optional

from tokenlint.resolve.binder import CallRecord
from tokenlint.resolve.scope import decorator_name
from tokenlint.resolve.values import ClassV, OneOf, Param, Qual, Runnable

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import SdkCatalog
    from tokenlint.resolve.scope import Scope
    from tokenlint.resolve.site import CallSite


class DeferredMixin:
    """The `Resolver`'s reading of model classes handed to `partial` or to a lazy holder (a mixin:
    `_constructor`, `_class_built` and `_chosen_binding` build the binding of the inner call)."""

    catalog: "SdkCatalog"

    def _deferred_construction(self, rec: CallRecord) -> Optional["CallSite"]:
        """The binding `rec` is when it hands a model class, with the arguments to build it with, to
        `functools.partial` or to a lazy holder class of the project; else None."""
        call, scope = rec.node, rec.scope
        if not _hands_first(call):
            return None  # (asked of every call with arguments: most hand no class first)
        maker = self.infer(call.func, scope)  # type: ignore[attr-defined]
        if not (type(maker) is Qual and not maker.called and maker.qual == "functools.partial"  # type: ignore[attr-defined]
                or type(maker) is ClassV and self._lazy_holder(maker)):  # type: ignore[arg-type]
            return None
        cls = self.infer(call.args[0], scope)  # type: ignore[attr-defined]
        built = CallRecord(self._inner_call(call), scope, rec.in_loop, None, rec.loop)
        if type(cls) is ClassV:  # a project model class (or one deriving from a catalogued class)
            return self._class_built(built, cls)  # type: ignore[attr-defined]
        if type(cls) is OneOf:  # `LazyInit(embedding_map[kind], **options)`: one of several classes,
            # of which the library ones count (a project class or a factory's result beside them builds
            # something tokenlint reads elsewhere, or nothing paid)
            classes = _library_classes(cls)
            return self._chosen_binding(built, OneOf(classes)) if classes else None  # type: ignore[attr-defined]
        if type(cls) is not Qual or cls.called:  # type: ignore[attr-defined]
            return None  # an object, not a class
        con = self.catalog.constructors.get(self.catalog.canonical(cls.qual))  # type: ignore[attr-defined]
        if con is None or con.sdk not in self.catalog.frameworks:
            return None  # a library class that is no model class (a parser, a splitter), or a client
        return self._constructor(built, con)  # type: ignore[attr-defined]

    def _deferred_model(self, call: ast.Call, scope: "Scope") -> Optional[Runnable]:
        """The value of `partial(C, ...)` / `LazyInit(C, ...)` (the caller knows the callee is one) when C
        is a model class: the model object `C(...)` would be, marked `deferred` (calling it gives that
        object); None for another class or a function."""
        if not _hands_first(call):
            return None
        cls = self.infer(call.args[0], scope)  # type: ignore[attr-defined]
        if type(cls) is OneOf:
            cls = OneOf(_library_classes(cls))
            if not cls.members:
                return None
        elif type(cls) not in (Qual, ClassV) or type(cls) is Qual and cls.called:  # type: ignore[attr-defined]
            return None
        got = self.infer(self._inner_call(call), scope)  # type: ignore[attr-defined]
        return replace(got, deferred=True) if type(got) is Runnable else None

    def _inner_call(self, call: ast.Call) -> ast.Call:
        """`C(*rest, **kw)` for `partial(C, *rest, **kw)`, at the outer call's place: one node per call,
        so that the binding site and the model objects it builds name the same call."""
        memo = self.__dict__.setdefault("_deferred_inner", {})
        got = memo.get(call)
        if got is None:
            got = memo[call] = ast.copy_location(
                ast.Call(func=call.args[0], args=call.args[1:], keywords=call.keywords), call)
        return got

    def _class_parameter_built(self, rec: CallRecord, p: Param) -> Optional["CallSite"]:
        """`chat_cls(model=model)` on a parameter annotated as a class (`type[...]`, `Type[...]`): the
        binding of the model classes every production caller passes for it (those among other classes,
        as for a class picked from a table), at this call; None when some caller passes nothing followed,
        or hands the function on out of sight."""
        args = getattr(p.func, "args", None)  # (a lambda's parameters carry no annotation)
        arg = next((a for a in args.posonlyargs + args.args + args.kwonlyargs if a.arg == p.name), None) \
            if isinstance(args, ast.arguments) else None
        if arg is None or not _class_annotation(arg.annotation):
            return None
        uses = self._uses(p.scope)  # type: ignore[attr-defined]
        prod = [u for u in uses or () if not u.test]
        classes = []
        for u in prod:
            e = u.bound.get(p.name) if u.bound is not None else None
            if e is None:
                return None
            v = self.infer(e, u.rec.scope)  # type: ignore[attr-defined]
            if type(v) is Qual and not v.called:  # type: ignore[attr-defined]
                classes.append(v)
        return self._chosen_binding(rec, OneOf(tuple(classes))) if classes else None  # type: ignore[attr-defined]

    def _lazy_holder(self, cls: ClassV) -> bool:
        """Whether project class `cls` is a lazy holder: its `__init__` keeps its first parameter in an
        attribute (`self._factory = factory`) that one of its methods calls (`self._factory(...)`).
        Memoized per class."""
        memo = self.__dict__.setdefault("_lazy_holders", {})
        got = memo.get(cls.node)
        if got is None:
            got = memo[cls.node] = _keeps_and_calls_first(cls.node)
        return got


def _keeps_and_calls_first(node: ast.ClassDef) -> bool:
    init = next((f for f in node.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                 and f.name == "__init__"), None)
    params = [a.arg for a in init.args.posonlyargs + init.args.args] if init is not None else []
    if len(params) < 2:
        return False
    first = params[1]
    kept = {t.attr for st in init.body if type(st) is ast.Assign and type(st.value) is ast.Name  # type: ignore[union-attr]
            and st.value.id == first for t in st.targets
            if type(t) is ast.Attribute and type(t.value) is ast.Name and t.value.id == params[0]}
    if not kept:
        return False
    for f in node.body:
        if not isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) or f is init or not f.args.args:
            continue
        me = f.args.args[0].arg
        for n in ast.walk(f):
            if type(n) is ast.Call and type(n.func) is ast.Attribute and n.func.attr in kept \
                    and type(n.func.value) is ast.Name and n.func.value.id == me:  # type: ignore[attr-defined]
                return True
    return False


def _class_annotation(ann: Optional[ast.expr]) -> bool:
    """Whether a parameter's annotation says it holds a class: `type`, `type[...]`, `Type[...]`,
    `typing.Type[...]` (or one of them in a string)."""
    if type(ann) is ast.Constant and isinstance(ann.value, str):  # type: ignore[union-attr]
        try:
            ann = ast.parse(ann.value, mode="eval").body  # type: ignore[union-attr]
        except SyntaxError:
            return False
    return ann is not None and decorator_name(ann) in ("type", "Type")  # (the name, also of a subscript)


def _hands_first(call: ast.Call) -> bool:
    """Whether the call's first argument may be a class handed over: a name, an attribute, an item
    (`table[kind]`, `table.get(kind)`)."""
    first = call.args[0] if call.args else None
    return type(first) in (ast.Name, ast.Attribute, ast.Subscript) or type(first) is ast.Call \
        and type(first.func) is ast.Attribute and first.func.attr == "get"  # type: ignore[union-attr]


def _library_classes(v: OneOf) -> tuple:
    """The library classes (not called) among the members of `v`."""
    return tuple(m for m in v.members if type(m) is Qual and not m.called)  # type: ignore[attr-defined]
