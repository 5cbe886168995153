"""What an expression evaluates to: names, attributes, subscripts and calls, symbolically, over `values`.

Each call's callee is evaluated into the value lattice (an SDK name, a client, a resource path on a
client, a project function or class, an unknown receiver with an attribute chain); evaluation is
memoized per node, cycles give UNKNOWN and depth is capped.
"""

from __future__ import annotations

import ast
import weakref
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Callable, Collection, Iterable, Iterator, Optional

from tokenlint.resolve.binder import is_declaration
from tokenlint.resolve.frames import MISSING, place_of
from tokenlint.resolve.frameworks import STORE_TYPE, library_object, merge_runnables
from tokenlint.resolve.interfaces import POOL_METHODS, runner_names
from tokenlint.resolve.protocols import is_protocol
from tokenlint.resolve.scope import (Scope, assigned, bind_args, binding_of, decorator_name, enclosing_class, is_method,
                                     is_property, param_default, return_values, statements)
from tokenlint.resolve.values import (UNKNOWN, Chain, ClassV, Client, ClientMethod, Func, Holder, Instance, OneOf,
                                      Opaque, Param, ProjModule, Qual, Resource, Runnable, RunnableMethod, Session,
                                      SessionMethod, Str, Unknown, Value, first_useful, holds_client, join,
                                      returned_through, useful)

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import SdkCatalog

MAX_DEPTH = 40
OPAQUE_TYPE_MODULES = ("typing.", "typing_extensions.", "collections.abc.", "builtins.")
# the class a lazily loaded module object derives from (`class LazyImport(ModuleType)`): Python's own
MODULE_TYPES = frozenset({"types.ModuleType"})
# the modules of test doubles (`Mock()`), bound in place of an optional module that failed to import
MOCK_MODULES = ("unittest.mock.", "mock.")


def _stand_in(v: Value) -> bool:
    """Whether `v` is a test double built from `unittest.mock` (`Mock()`, `MagicMock()`)."""
    return type(v) is Qual and v.called and v.qual.startswith(MOCK_MODULES)  # type: ignore[attr-defined]


class InferMixin:
    """The `Resolver`'s symbolic evaluation (a mixin: SDK calls are evaluated by `SdkMixin._call_qual`,
    imports by `ImportMixin`)."""

    catalog: "SdkCatalog"

    def lookup(self, name: str, scope: Scope, line: int = 0) -> Value:
        """The value of `name` seen from `scope`; `line`: where it is used, so that in its own scope
        the bindings made before that line are preferred (`try: from google import genai` /
        `except ImportError: import google.generativeai as genai`, a name rebound to another client)."""
        s: Optional[Scope] = scope
        first = True
        while s is not None:
            if s.kind != "class" or first:
                b = s.bindings.get(name)
                if b:
                    if first and line and len(b) > 1:
                        n = sum(1 for ln in s.lines[name] if ln < line)
                        if 0 < n < len(b):
                            v = self._from_bindings(name, b, s, n)
                            if useful(v):
                                return v
                    return self._from_bindings(name, b, s)
            first = False
            s = s.parent
        star = scope.module.scope.bindings.get("*")
        if star:
            for _kind, (level, mod) in star:
                v = self._import_from(scope.module, level, mod, name)
                if v is not UNKNOWN and not (isinstance(v, Qual) and v.qual.endswith("." + name) and
                                             not self._known_qual(v.qual)):
                    return v
        return UNKNOWN

    def _from_bindings(self, name: str, bindings: list[tuple[str, Any]], scope: Scope, n: int = 0) -> Value:
        """The value of a name from its bindings in `scope` (`n`: from the first n only)."""
        key: Any = (id(bindings), n) if n else id(bindings)
        v = self._bind_memo.get(key)
        if v is not None:
            return v
        if key in self._bind_active:
            return UNKNOWN
        v = self.provisional_get(("bind", key))  # type: ignore[attr-defined]
        if v is not MISSING:
            return v
        self._bind_active.add(key)
        floor = self.floor_mark()  # type: ignore[attr-defined]
        low = -1
        try:
            v = self._from_bindings_uncached(name, bindings[:n] if n else bindings, scope)
        finally:
            self._bind_active.discard(key)
            low = self.floor_low(floor)  # type: ignore[attr-defined]
        if low >= self.frames_height():  # type: ignore[attr-defined]
            self._bind_memo[key] = v
        else:  # read from a loop's open or provisional answers: kept while they stand (frames.py)
            self.provisional_put(("bind", key), v, low)  # type: ignore[attr-defined]
        return v

    def _from_bindings_uncached(self, name: str, bindings: list[tuple[str, Any]], scope: Scope) -> Value:
        best: Value = UNKNOWN
        clients: list[Value] | None = None  # once the binding read last is a client: every client
        runnables: list[Runnable] | None = None  # once it is a framework model object: every one, merged
        library: Value | None = None  # a read binding to another object of a framework's packages
        imported = any(k == "import" or k == "from" for k, _d in bindings)
        for kind, data in reversed(bindings):
            v = self._binding_value(name, kind, data, scope)
            if imported and kind == "assign" and _stand_in(v):
                continue  # `except ImportError: litellm = Mock()`: a double for the module when it is absent
            if kind == "assign" and type(data) is ast.Constant and data.value is None and len(bindings) > 1:
                continue  # `else: client = None`: no object on that branch; the others tell what it holds
            if clients is not None:
                if holds_client(v):
                    clients.append(v)
                continue
            if runnables is not None:
                if type(v) is Runnable:
                    runnables.append(v)  # type: ignore[arg-type]
                continue
            if library is not None:
                # `emb = OpenAIEmbeddings()` on one branch, `emb = HuggingFaceEmbeddings()` (a local model
                # tokenlint does not count) read last: the name may hold the model object, as
                # `OpenAIEmbeddings() if hosted else HuggingFaceEmbeddings()` does; else the last binding
                if type(v) is Runnable:
                    runnables = [v]  # type: ignore[list-item]
                continue
            if useful(v) and len(bindings) > 1 and self._framework_object(v):
                library = v
                continue
            if useful(v):
                if type(v) is Instance and len(bindings) > 1 and kind != "annot":
                    # `agent = OpenAIAgent()` on one branch, `agent = ClaudeAgent()` on another;
                    # `client: GeminiClient = model.client`: the declared subclass;
                    # `SELECTED: Model` set at run time to `LiteLLMModel()` or `HUB[name]`: the declared base
                    return self._declared(v, name, bindings, scope) or \
                        self._bound_interface(v, name, bindings, scope)  # type: ignore[arg-type]
                if type(v) is Runnable:
                    runnables = [v]  # type: ignore[list-item]
                elif not holds_client(v):
                    return v
                else:
                    clients = [v]
            elif best is UNKNOWN and v is not UNKNOWN and not isinstance(v, Opaque):
                best = v
        if clients:
            return join(clients)
        if runnables:
            return (merge_runnables(runnables) if len(runnables) > 1 else None) or runnables[0]
        return library if library is not None else best

    def _framework_object(self, v: Value) -> bool:
        """Whether `v` is an object built by a class of a framework's packages that tokenlint does not
        read as a model (`HuggingFaceEmbeddings(...)`, run locally)."""
        return type(v) is Qual and v.called and v.qual.split(".", 1)[0] in self.catalog.composer_packages  # type: ignore[attr-defined]

    def _binding_value(self, name: str, kind: str, data: Any, scope: Scope) -> Value:
        if kind == "import":
            return self._import_module(scope.module, data)
        if kind == "from":
            level, mod, attr = data
            return self._import_from(scope.module, level, mod, attr)
        if kind == "assign":
            return self.infer(data, scope)
        if kind == "assign_in":  # Service.client = ... in a method: evaluated where it is written
            return self.infer(data[0], data[1])
        if kind == "each":  # for client in CLIENTS: / [... for client in CLIENTS] / for i, m in enumerate(...)
            return self._element(data[0], scope, data[1]) if type(data) is tuple else self._element(data, scope)
        if kind == "annot":
            return self._annotation(data, scope)
        if kind == "with":
            v = self.infer(data, scope)
            return v
        if kind == "param":
            arg, func, default = data
            v = UNKNOWN
            if arg.annotation is not None:
                v = self._annotation(arg.annotation, scope.parent or scope)
                if type(v) is Opaque and v.what == STORE_TYPE:  # type: ignore[attr-defined]  # `db: MyFaiss`
                    v = self.caller_chosen(arg.annotation, scope.parent or scope) or v  # type: ignore[attr-defined]
                if not _callers_may_tell(v):
                    return v
            # `agent.ainvoke(...)` on a parameter: what the function's callers pass (resolve/passed.py)
            passed = self.caller_value(name, scope)  # type: ignore[attr-defined]
            if passed is not None and (v is UNKNOWN or type(v) is Qual or
                                       type(passed) is Runnable and passed.models and not passed.partial  # type: ignore[attr-defined]
                                       and passed.api == v.api):  # type: ignore[attr-defined]
                return passed
            if (v is UNKNOWN or _any_type(v)) and self.filler_call(default, scope.parent or scope):  # type: ignore[attr-defined]
                filled = self.infer(default, scope.parent or scope)  # `client=Depends(get_llm)`: what it fills
                if useful(filled):
                    return filled
            # `def __init__(self, db): self.db = db`: what the class is built with, also when the annotation
            # names a type of no LLM meaning here (`client: BaseClient`, botocore's untyped client class)
            if v is UNKNOWN or _any_type(v) or type(v) is Qual:
                built = self.constructor_value(name, scope)  # type: ignore[attr-defined]
                if built is not None:
                    return built
                # `def __init__(self, llm: BaseLLM = OpenAI(model_name=...))`: a model object or client built
                # in the default is what the parameter holds when no caller passes one (none is seen)
                held = self.infer(default, scope.parent or scope) if type(default) is ast.Call else None
                if type(held) is Runnable or type(held) is Client:
                    return held  # type: ignore[return-value]
            return v if v is not UNKNOWN else Param(name, func, scope, default)
        if kind == "def":
            fs = scope.module.func_scopes.get(data)
            return Func(data, fs) if fs else UNKNOWN
        if kind == "class":
            cs = scope.module.class_scopes.get(data)
            return ClassV(data, cs) if cs else UNKNOWN
        if kind == "self":
            return Instance(ClassV(data.node, data))
        if kind == "cls":
            return ClassV(data.node, data)
        if kind == "unknown" and data is not None:  # `client, model = self._pick(name)`
            return self._unpacked(data[0], data[1], scope)
        return UNKNOWN

    def _narrowed(self, e: ast.expr, scope: Scope) -> Value:
        """A receiver where an `isinstance` test made it an object of the classes it names (see
        `ModuleInfo.narrowed`): an object of that class, overriding what it is declared with (a wider
        base, a sibling interface), when the class is one a request can be made on (a project class, a
        framework model class, a client); else UNKNOWN."""
        classes = scope.module.narrowed[e]
        v = self._annotation(classes[0], scope) if len(classes) == 1 else \
            self._annotation_union(classes, scope, 0)
        return v if type(v) in (Instance, Runnable, Client, OneOf) else UNKNOWN

    def _annotation(self, ann: ast.expr, scope: Scope, depth: int = 0) -> Value:
        if isinstance(ann, ast.Constant) and isinstance(ann.value, str):
            try:
                ann = ast.parse(ann.value, mode="eval").body
            except SyntaxError:
                return UNKNOWN
        if isinstance(ann, ast.BinOp) and isinstance(ann.op, ast.BitOr):
            return self._annotation_union((ann.left, ann.right), scope, depth)
        if isinstance(ann, (ast.Name, ast.Attribute)) and depth < 4:
            # a type alias: `ChatClient: TypeAlias = AsyncOpenAI | AsyncAzureOpenAI`, `Optional[OpenAI]`
            alias = binding_of(ann.id, scope) if isinstance(ann, ast.Name) else None
            if alias is not None and alias[0] == "annot":  # X: TypeAlias = A | B
                got = assigned(ann.id, scope)  # type: ignore[union-attr]
                alias = ("assign", got[0], got[1]) if got is not None else None
            if alias is not None and alias[0] == "from":
                d = self._import_def(alias[0], alias[1], alias[2])
                alias = ("assign", d[0], d[1]) if d is not None else None
            found = (alias[1], alias[2]) if alias is not None and alias[0] == "assign" else \
                self._attr_def(ann, scope) if isinstance(ann, ast.Attribute) else None
            if found is not None and isinstance(found[0], (ast.BinOp, ast.Subscript)):
                return self._annotation(found[0], found[1], depth + 1)
            if found is not None and isinstance(found[0], ast.Call) and \
                    decorator_name(found[0].func).rpartition(".")[2] == "TypeVar":
                # `T = TypeVar("T", bound=BaseLLM)`: what T stands for; `TypeVar("T", A, B)`: A or B
                bound = next((k.value for k in found[0].keywords if k.arg == "bound"), None)
                parts = [bound] if bound is not None else found[0].args[1:]
                return self._annotation_union(parts, found[1], depth + 1) if parts else UNKNOWN
        if isinstance(ann, ast.Subscript):
            if decorator_name(ann.value).rpartition(".")[2] in ("Type", "type") and depth < 4:
                # `Type[Base]` / `type[Base]`: the class itself (a registry's `_cls: Type[BaseTTS] =
                # get_class(name)`), so `_cls(...)` is an object of Base, dispatching to its subclasses
                inner = self._annotation(ann.slice, scope, depth + 1)
                return inner.cls if type(inner) is Instance else UNKNOWN  # type: ignore[attr-defined]
            base = self.infer(ann.value, scope)
            if isinstance(base, Qual) and base.qual.rpartition(".")[2] in ("Optional", "Union", "Annotated"):
                sl = ann.slice
                return self._annotation_union(sl.elts if isinstance(sl, ast.Tuple) else [sl], scope, depth)
            if isinstance(base, ClassV):  # a generic project class, parameterised (`BaseLLM[OpenAIConfig]`): an object of it
                return self._annotation(ann.value, scope, depth + 1)
            return UNKNOWN
        cls = self.infer(ann, scope)
        if isinstance(cls, Qual):
            if cls.qual.startswith(OPAQUE_TYPE_MODULES) or cls.qual in ("object", "Any"):
                return UNKNOWN
            return self._call_qual(cls, None, scope, annotation=True)
        if isinstance(cls, ClassV):
            own = self._project_model(cls)  # type: ignore[attr-defined]  # class Mine(Embeddings) calling an API
            if own is not None:
                return Runnable(own.sdk, own.api, own.provider, project_class=cls)
            base = self._sdk_base(cls)  # type: ignore[attr-defined]  # class Mine(ChatOpenAI): a model object
            if base is not None:
                fw = self._framework_value(base.qual, None, scope)  # type: ignore[attr-defined]
                if fw is not None:
                    return fw
            return self.composer_base(cls, None, scope) or self._runner_base(cls) or Instance(cls)  # type: ignore[attr-defined]
        return UNKNOWN

    def _annotation_union(self, parts: Iterable[ast.expr], scope: Scope, depth: int) -> Value:
        """`A | B`, `Union[A, B]`, `Optional[A]`: every client among the parts, else the first known."""
        known = [v for v in (self._annotation(p, scope, depth) for p in parts) if v is not UNKNOWN]
        clients = [v for v in known if holds_client(v)]
        if len(clients) > 1:
            return join(clients)
        if len(known) > 1 and all(type(v) is Instance for v in known):
            # `OpenAIProvider | AnthropicProvider`: an object of the interface they implement, so a
            # call on it dispatches to every implementation, not to the first one written
            common = self._interface_of([v.cls for v in known])  # type: ignore[attr-defined]
            if common is not None:
                return Instance(common)
            # `backend: Union[BackendConfig, Backend]`, the config-or-object idiom (`__init__` turns a
            # config into an object): unrelated classes, one of them an interface, which is what the
            # code calls methods on; the others are the data it is built from
            interfaces = [v for v in known if self._declares_abstract(v.cls)]  # type: ignore[attr-defined]
            if len(interfaces) == 1:
                return interfaces[0]
            if len(interfaces) == len(known):
                # `Union[LegacyEmbeddings, Embedding]`: unrelated interfaces kept side by side (an old one
                # and its successor); an object of the first, whose methods only the others define are theirs
                return Instance(interfaces[0].cls, others=tuple(v.cls for v in interfaces[1:]))  # type: ignore[attr-defined]
        return known[0] if known else UNKNOWN

    def infer(self, e: ast.expr, scope: Scope) -> Value:
        """The value of `e` (evaluated in `scope`), memoized per node; cycles give UNKNOWN."""
        memo = self._memo
        v = memo.get(e)
        if v is not None:
            return v
        if self._depth > MAX_DEPTH or e in self._active:
            return UNKNOWN
        got = self.provisional_get(("infer", e))  # type: ignore[attr-defined]
        if got is not MISSING:
            return got
        self._depth += 1
        self._active.add(e)
        floor = self.floor_mark()  # type: ignore[attr-defined]
        low = -1
        try:
            v = self._infer(e, scope)
        finally:
            self._depth -= 1
            self._active.discard(e)
            low = self.floor_low(floor)  # type: ignore[attr-defined]
        if low >= self.frames_height():  # type: ignore[attr-defined]
            memo[e] = v
        else:  # read from a loop's open or provisional answers: kept only while they stand (frames.py)
            self.provisional_put(("infer", e), v, low)  # type: ignore[attr-defined]
        return v

    def _infer(self, e: ast.expr, scope: Scope) -> Value:
        t = type(e)
        if (t is ast.Name or t is ast.Attribute) and e in scope.module.narrowed:
            v = self._narrowed(e, scope)
            if v is not UNKNOWN:
                return v
        if t is ast.Name and e in scope.module.subclassed:  # `client_class(...)` after `assert issubclass(...)`
            classes = scope.module.subclassed[e]
            v = self.infer(classes[0], scope) if len(classes) == 1 else UNKNOWN
            if type(v) is ClassV and not useful(self.lookup(e.id, scope, e.lineno)):  # type: ignore[attr-defined]
                return v  # (a class known where it is bound needs no test to say what it is)
        if t is ast.Name:
            return self.lookup(e.id, scope, e.lineno)  # type: ignore[attr-defined]
        if t is ast.Attribute:
            if type(e.value) is ast.Call and _is_super(e.value):  # type: ignore[attr-defined]
                got = self._super_attr(e.attr, scope)  # type: ignore[attr-defined]
                if got is not None:
                    return got
            base = self.infer(e.value, scope)  # type: ignore[attr-defined]
            if type(base) is Runnable and e.attr[:1] == "_":  # type: ignore[attr-defined]
                held = self._held_internal(base, e, scope)  # type: ignore[arg-type,attr-defined]
                if held is not None:
                    return held
            return self.attribute(base, e.attr, scope)  # type: ignore[attr-defined]
        if t is ast.Call:
            return self.call_value(e, scope)  # type: ignore[arg-type]
        if t is ast.Await:
            return self.infer(e.value, scope)  # type: ignore[attr-defined]
        if t is ast.Constant:
            if isinstance(e.value, str):  # type: ignore[attr-defined]
                return Str(e.value, "literal", origin=e, origin_source=scope.module.source)  # type: ignore[attr-defined,arg-type]
            return Opaque("constant")
        if t is ast.Subscript:
            return self._subscript(e, scope)  # type: ignore[arg-type]
        if t is ast.BoolOp:
            # `a or b`: the first that is set; `a and b`: the last (the others are its guards, the
            # value only when false)
            ops = e.values if type(e.op) is ast.Or else e.values[-1:]  # type: ignore[attr-defined]
            for i, v in enumerate(ops):
                r = self.infer(v, scope)
                if useful(r):
                    if _stand_in_type(r):  # `client or make_client()`, client declared as a Protocol for mocks
                        return next((w for w in map(lambda x: self.infer(x, scope), ops[i + 1:])
                                     if _concrete_client(w)), r)
                    return r
            return UNKNOWN
        if t is ast.IfExp:  # `AzureOpenAI(...) if azure else OpenAI()`: both
            r = first_useful((self.infer(v, scope) for v in (e.body, e.orelse)),  # type: ignore[attr-defined]
                             merge_runnables)
            return UNKNOWN if r is None else r
        if t is ast.NamedExpr:
            return self.infer(e.value, scope)  # type: ignore[attr-defined]
        if t is ast.BinOp and type(e.op) is ast.BitOr:  # type: ignore[attr-defined]
            return self._pipe(e, scope)  # type: ignore[attr-defined,arg-type]
        if t in (ast.JoinedStr, ast.BinOp, ast.List, ast.Dict, ast.Tuple, ast.Set, ast.ListComp,
                 ast.DictComp, ast.Compare, ast.UnaryOp, ast.Lambda, ast.GeneratorExp, ast.SetComp):
            return Opaque(t.__name__)
        return UNKNOWN

    def _subscript(self, e: ast.Subscript, scope: Scope) -> Value:
        base = self.infer(e.value, scope)
        if isinstance(base, Qual) and base.qual == "os.environ":
            key = e.slice
            env = key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None
            return Str(None, "env", env)
        if type(base) is Qual and type(e.slice) is ast.Constant and base.qual in self.catalog.session_stores:  # type: ignore[attr-defined]
            stored = self.stored_value(base, e.slice.value, "item", scope)  # type: ignore[attr-defined]  # `st.session_state["llm"]`
            if stored is not None:
                return stored
        if type(e.value) is ast.Call and type(e.slice) is ast.Constant and type(e.slice.value) is int \
                and e.slice.value >= 0:  # `make_pair(config)[0]`: item 0 of the tuples the function returns
            got = self._unpacked(e.value, e.slice.value, scope)  # type: ignore[attr-defined]
            if useful(got):
                return got
        if type(base) is Qual and not base.called and base.qual.rpartition(".")[2][:1].isupper() \
                and _type_arguments(e.slice):  # type: ignore[attr-defined]
            return base  # `Agent[Deps, str]`: a generic class parametrized is the same class
        if type(base) is ClassV and _type_arguments(e.slice):  # type: ignore[attr-defined]
            return base  # `Pipeline[In, Out](config)`: a generic project class parametrized builds an object of it
        if not useful(base):  # a dict literal: names bound to one evaluate to nothing useful
            got = self._dict_item(e.value, e.slice, scope)
            return got if got is not UNKNOWN else self._declared_item(e.value, scope)
        if type(base) is Instance:  # `MODELS[kind]` on a project registry object
            return self._registry_object_item(base, e.value, e.slice, scope)  # type: ignore[attr-defined]
        return UNKNOWN

    def attribute(self, base: Value, attr: str, scope: Scope) -> Value:
        t = type(base)
        if t is OneOf:
            return join([self.attribute(m, attr, scope) for m in base.members])  # type: ignore[attr-defined]
        if t is Qual:
            if base.called:  # type: ignore[attr-defined]
                method = f"{base.qual}.{attr}"  # type: ignore[attr-defined]
                if method in self.catalog.passthrough_functions:  # type: ignore[attr-defined]
                    # a library object's method handing back what it is given (`stack.enter_async_context(cm)`)
                    return Qual(method)
                return Qual(base.qual, called=True)  # type: ignore[attr-defined]
            if base.qual in self.catalog.session_stores:  # type: ignore[attr-defined]  # `st.session_state.llm`
                stored = self.stored_value(base, attr, "item", scope)  # type: ignore[attr-defined]
                if stored is not None:
                    return stored
            # a member of a catalogued library enum (`ModelPlatformType.OPENAI`) is its string value
            members = self.catalog.enum_members.get(base.qual)  # type: ignore[attr-defined]
            if members is not None and attr in members:
                return Str(members[attr], "constant")
            return Qual(f"{base.qual}.{attr}")  # type: ignore[attr-defined]
        if t is ProjModule:
            return self._module_attr(base.module, attr)  # type: ignore[attr-defined]
        if t is Client:
            if attr in self.catalog.path_skip:
                return base
            if attr in self.catalog.client_methods:
                return ClientMethod(base)  # type: ignore[arg-type]
            return Resource(base, (attr,))  # type: ignore[arg-type]
        if t is Resource:
            if attr in self.catalog.path_skip:
                return base
            return Resource(base.client, base.path + (attr,))  # type: ignore[attr-defined]
        if t is Session:
            if attr in self.catalog.session_methods:
                return SessionMethod(base.ctypes)  # type: ignore[attr-defined]
            return Opaque("session")
        if t is Instance:
            return self._instance_attr(base, attr)  # type: ignore[arg-type]
        if t is Holder:
            return self.holder_attr(base, attr)  # type: ignore[attr-defined,arg-type]
        if t is Runnable:
            return self._runnable_attr(base, attr)  # type: ignore[attr-defined,arg-type]
        if t is ClassV:
            return self._class_attr(base, attr, scope)  # type: ignore[arg-type]
        if t is Param or t is Unknown:
            return Chain((attr,))
        if t is Chain:
            return Chain(base.path + (attr,))  # type: ignore[attr-defined]
        if t is Str and attr in ("format", "strip", "lower", "upper", "replace"):
            return Opaque("str-method")
        return Opaque("attr")

    def _class_chain(self, cls: ClassV, seen: Optional[set] = None,
                     by_name: Optional[Callable[[ast.expr], Optional[ClassV]]] = None) -> Iterator[ClassV]:
        """`cls` and its project base classes, depth first (a subscripted generic base read through:
        `Layer[Context]`); `by_name`: what a base that does not resolve to a project class (nor to an
        SDK call) is taken to be, when anything."""
        seen = seen if seen is not None else set()
        if cls.node in seen:
            return
        seen.add(cls.node)
        yield cls
        parent = cls.scope.parent or cls.scope
        for b in cls.node.bases:
            bv = self.infer(b, parent)
            if type(b) is ast.Subscript and not isinstance(bv, ClassV):  # `class Agent(Layer[Context])`
                bv = self.infer(b.value, parent)
            if not isinstance(bv, ClassV) and by_name is not None and not (isinstance(bv, Qual) and bv.called):
                bv = by_name(b)
            if isinstance(bv, ClassV):
                yield from self._class_chain(bv, seen, by_name)

    def _instance_attr(self, inst: Instance, attr: str) -> Value:
        chain = list(self._class_chain(inst.cls))
        if inst.others and not _binds(chain, attr, set_too=True):
            other = next((o for o in inst.others if _binds(list(self._class_chain(o)), attr)), None)
            if other is not None:  # `embeddings.aembed_text(...)` on `Union[Legacy, Modern]`: Modern's
                return self._instance_attr(Instance(other), attr)
        got = first_useful(self._attr_values(chain, attr), merge_runnables)
        if type(got) is Instance:  # `self.llm = OpenAILLM()` in one branch, `ClaudeLLM()` in another
            return self.chosen_instance(got, self._attr_values(chain, attr))  # type: ignore[attr-defined,arg-type]
        if got is not None:
            return got
        for c in chain:
            b = c.scope.bindings.get(attr)
            if b:
                v = self._from_bindings(attr, b, c.scope)
                if isinstance(v, Func):
                    node, decorators = v.node, {decorator_name(d) for d in v.node.decorator_list}
                    if "setter" in decorators or "deleter" in decorators:  # @x.setter: x's getter
                        node = next((d for k, d in b if k == "def" and is_property(d)), node)
                        decorators = {"property"} if node is not v.node else decorators
                    bound = Func(node, c.scope.module.func_scopes.get(node) or v.scope, bound=inst)
                    if "property" in decorators or "cached_property" in decorators or self._getter(node, c.scope):  # type: ignore[attr-defined]
                        return self._func_return(bound, None)
                    return bound
                if useful(v):
                    return v
        for c in chain:  # a property
            b = c.scope.bindings.get(attr)
            if b:
                return UNKNOWN
        for c in chain:
            if c.scope.attrs.get(attr):
                return Chain((attr,))  # set, but from something unknown (a parameter)
        # a request method of a framework model class the class derives from (`self.generate_prompt(...)`)
        request = self.inherited_request(inst.cls, attr)  # type: ignore[attr-defined]
        if request is not None:
            return request
        # a library base class: what the catalog says it sets (`self.client` of a QianfanChatEndpoint)
        inherited = self._inherited_attr(inst.cls, attr)  # type: ignore[attr-defined]
        return inherited if inherited is not None else Chain((attr,))

    def _project_wrapper(self, value: ast.expr, scope: Scope) -> bool:
        """Whether a rewrap of functions held in attributes is an item of a call of a project function
        wrapping several (`self._complete, self._acomplete = with_pipeline(model_fn=self._complete, ...)`,
        a pipeline of middleware: cache, retries, metrics): it runs what it is handed, so each attribute
        reaches what it held before. A single rewrap (`self._send = with_cache(self._send)`) is read as
        written, through the closure it returns (resolve/fnvalues.py)."""
        return type(value) is ast.Subscript and type(value.value) is ast.Call and \
            type(self.infer(value.value.func, scope)) is Func  # type: ignore[attr-defined]

    def _attr_values(self, chain: list[ClassV], attr: str) -> Iterator[Value]:
        """The values assigned to `self.<attr>` (or `Class.<attr>` in a method) in the classes of
        `chain`, the last assignment first."""
        method = None
        declared: list[Value] = []  # `self.client: Optional[OpenAI]`'s client: only when nothing assigned is one
        assigned_client = False
        for c in chain:
            for value, sc in reversed(c.scope.attrs.get(attr, ())):
                if _rewraps(value, attr, sc):
                    if method is None:  # (a function held in the attribute, wrapped: that value is read;
                        # nothing but rewraps: the method a library base defines, `self.embed_query =
                        # cacher(...)(self.embed_query)` in a subclass of LangChain's `Embeddings`)
                        method = any(k == "def" for k2 in chain for k, _ in k2.scope.bindings.get(attr, ())) or \
                            all(_rewraps(v2, attr, sc2) for k2 in chain for v2, sc2 in k2.scope.attrs.get(attr, ()))
                    if method or self._project_wrapper(value, sc):
                        continue  # `self.generate = cacher(...)(self.generate)`: the method still runs, wrapped
                key = (id(value), attr)
                if key in self._in_progress:
                    continue
                if c is not chain[0]:  # `self.client = client or self.create_client()`: a subclass's factory
                    made = self.overridden_factory_value(chain, c, value, sc)  # type: ignore[attr-defined]
                    if made is not None and useful(made):
                        yield made
                        continue
                self._in_progress.add(key)  # type: ignore[arg-type]
                try:
                    v = self.infer(value, sc)
                finally:
                    self._in_progress.discard(key)  # type: ignore[arg-type]
                if type(v) is Client:
                    if is_declaration(value):  # the declaration: the type, not the object assigned
                        declared.append(v)  # (an `AzureOpenAI(...)` assigned to `Optional[OpenAI]`)
                        continue
                    assigned_client = True
                yield v
        if declared and not assigned_client:
            yield from declared
        if any(kind == "annot" for c in chain for kind, _d in c.scope.bindings.get(attr, ())):
            # a field the class declares (`client: Any`, a pydantic model's or a dataclass's), filled by the
            # keyword of that name an `__init__` of the family hands to `super().__init__(client=...)`
            for c in chain:
                for value, sc in self._super_init_fields(c).get(attr, ()):
                    yield self.infer(value, sc)

    def _super_init_fields(self, c: ClassV) -> dict[str, list[tuple[ast.expr, Scope]]]:
        """The keywords the `__init__` of class `c` hands to `super().__init__(...)`, by name, each with the
        scope it is evaluated in (the `__init__`'s). Once per class."""
        memo = self.__dict__.setdefault("_super_fields", {})
        got = memo.get(c.node)
        if got is None:
            got = memo[c.node] = {}
            init = next((n for n in c.node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))  # type: ignore[attr-defined]
                         and n.name == "__init__"), None)
            fs = c.scope.module.func_scopes.get(init) if init is not None else None
            if fs is not None:
                for n in ast.walk(init):  # type: ignore[arg-type]
                    if type(n) is ast.Call and type(n.func) is ast.Attribute and n.func.attr == "__init__" \
                            and type(n.func.value) is ast.Call and _is_super(n.func.value):
                        for k in n.keywords:
                            if k.arg is not None:
                                got.setdefault(k.arg, []).append((k.value, fs))
        return got

    def _super_attr(self, attr: str, scope: Scope) -> Value | None:
        """`super().<attr>` in a method: a framework model class's request method when the class derives
        from one (`super()._generate` in `class MyChat(ChatOpenAI)`, see `inherited_request`), except a
        public request passed on by its own override; an SDK class's request method (`super().create` in
        `class ChatCompletion(openai.ChatCompletion)`, see `sdksubclass`); None for anything else (the
        attribute is then not followed)."""
        cs = enclosing_class(scope)
        if cs is None or scope.kind != "function":
            return None
        if getattr(scope.node, "name", None) == attr and attr in self.framework_request_names():  # type: ignore[attr-defined]
            # `def invoke(...): return normalize(super().invoke(...))`: the override passes on the public
            # request its callers make (`llm.invoke(...)` on the subclass's object, a site already)
            return None
        cls = ClassV(cs.node, cs)
        got = self.inherited_request(cls, attr, cs.node)  # type: ignore[attr-defined]
        # `super().create(...)` in `class ChatCompletion(openai.ChatCompletion)`: the SDK's request
        return got if got is not None else self.sdk_base_request(cls, attr)  # type: ignore[attr-defined]

    def _lazy_module(self, cls: ClassV, call: ast.Call, scope: Scope) -> Value | None:
        """An object of a project class deriving from `types.ModuleType` built with the dotted name of a
        project module (`LazyImport("onnx", globals(), "pkg.embedding.onnx")`, which loads that module on
        first use): the module itself; else None."""
        if not any(type(b) is Qual and b.qual in MODULE_TYPES for b in (self.infer(e, cls.scope.parent or cls.scope)
                                                                         for e in cls.node.bases)):  # type: ignore[attr-defined]
            return None
        for a in call.args:
            v = self.infer(a, scope)
            if type(v) is Str and v.value and "." in v.value:  # type: ignore[attr-defined]
                ms = self.project.find_module(v.value, scope.module.source)  # type: ignore[attr-defined]
                if ms is not None:
                    return ProjModule(ms, v.value)  # type: ignore[attr-defined]
        return None

    def _class_attr(self, cls: ClassV, attr: str, scope: Scope) -> Value:
        for c in self._class_chain(cls):
            b = c.scope.bindings.get(attr)
            if b:
                return self._from_bindings(attr, b, c.scope)
        inherited = self._runner_classmethod(cls, attr)  # type: ignore[attr-defined]  # `class SSDB(SingleStoreDB)`
        if inherited is None:  # `Mine.create(...)` of `class Mine(openai.ChatCompletion)` not overriding it
            inherited = self.sdk_base_request(cls, attr)  # type: ignore[attr-defined]
        return inherited if inherited is not None else Chain((attr,))

    def call_value(self, call: ast.Call, scope: Scope) -> Value:
        if _optional_type(call.func):
            # `self.agent: Optional[BaseAgent] = None` (the binder writes an attribute's declaration as a
            # call of its annotation): an object of the declared project class; working code never calls
            # one. (A library class declared so, `Optional[Agent]` of browser_use, is left as it was: the
            # values assigned may be a project subclass overriding its request methods.)
            declared = self._annotation(call.func, scope)
            if type(declared) is Instance or type(declared) is Client:  # (`Optional[OpenAI]`: that client)
                return declared
        if is_declaration(call):
            # a declaration the binder wrote (`self.client: Optional[object] = None`, `self.llm: Any`): a type
            # of no meaning here says nothing of what the attribute holds (UNKNOWN, not a called `typing.X`,
            # which would stand for it when the assignments are not followed). A type variable
            # (`self._agent: T = agent`, a generic wrapper of whatever it is handed) is left as it was.
            declared = self.infer(call.func, scope)
            if type(declared) is Qual and (declared.qual.startswith(OPAQUE_TYPE_MODULES) or  # type: ignore[attr-defined]
                                           declared.qual in ("object", "Any")) and \
                    declared.qual.rpartition(".")[2] != "TypeVar":  # type: ignore[attr-defined]
                return UNKNOWN
        if decorator_name(call.func) in runner_names(self.catalog):  # `await asyncio.to_thread(build_agent, ...)`
            ran = self._ran_here(call, scope)
            if ran is not None:
                return ran
        if type(call.func) is ast.Attribute and call.func.attr in self.catalog.holder_gets:  # type: ignore[attr-defined]
            held = self.held_value(call, scope)  # type: ignore[attr-defined]  # `current.get()` of a ContextVar
            if held is not None:
                return held
            if call.args and type(call.args[0]) is ast.Constant:  # `cl.user_session.get("chain")`
                store = self.infer(call.func.value, scope)
                if type(store) is Qual and call.func.attr in self.catalog.session_stores.get(store.qual, ((), ()))[1]:  # type: ignore[attr-defined]
                    stored = self.stored_value(store, call.args[0].value, "get", scope)  # type: ignore[attr-defined]
                    if stored is not None:
                        return stored
        callee = self.infer(call.func, scope)
        if type(callee) is OneOf:
            got = [self._called(m, call, scope) for m in callee.members]  # type: ignore[attr-defined]
            models = [v for v in got if type(v) is Runnable]
            if models and all(type(m) is Qual and not m.called for m in callee.members):  # type: ignore[attr-defined]
                # one of several library classes built (`self._lc_class(**params)`): a model object when
                # some are model classes (the others, a local model, send nothing counted)
                return merge_runnables(models) or models[0]  # type: ignore[arg-type]
            return join(got)
        return self._called(callee, call, scope)

    def _called(self, callee: Value, call: ast.Call, scope: Scope) -> Value:
        """The value of `call` whose callee evaluates to `callee`."""
        t = type(callee)
        if t is Qual:
            if callee.qual == "functools.partial" and call.args:  # type: ignore[attr-defined]
                # a framework request method with arguments bound ahead (`partial(llm.ainvoke, messages)`):
                # still that request method, sent where the partial is called
                v = self.infer(call.args[0], scope)
                if type(v) is Func and v.ahead is None and (len(call.args) > 1 or call.keywords):
                    # (a project function with arguments bound ahead, `partial(self.generate, history)`:
                    # still that function, run where the partial is called with those arguments first)
                    return replace(v, ahead=(call, scope))
                if type(v) is RunnableMethod or type(v) is Func:
                    return v
                if type(v) is Instance and self._method_in_chain(v.cls, "__call__") is not None:  # type: ignore[attr-defined]
                    # an object of a project class called with keywords bound ahead (`partial(api,
                    # base_model=M)` of a prompt callable): still that object, called where the partial is
                    return v
                if type(v) is Qual and not v.called and v.qual in self.catalog.http.functions and len(call.args) == 1:  # type: ignore[attr-defined]
                    # `post = partial(requests.post, timeout=30)`: still the HTTP function when only keywords
                    # are bound ahead (the URL and body are read where the partial is called)
                    return v
                built = self._deferred_model(call, scope)  # type: ignore[attr-defined]  # partial(ChatOpenAI, ...)
                if built is not None:
                    return built
            return self._call_qual(callee, call, scope)  # type: ignore[arg-type]
        if t is Resource:
            res: Resource = callee  # type: ignore[assignment]
            found = res.client.ctype.method(res.path)
            if found and found[0].returns:
                ct = self.catalog.client_types.get(found[0].returns)
                if ct is not None:
                    return Client(ct, ct.provider, res.client.is_async or found[1],
                                  calls=res.client.calls + ((call, scope),), backend=res.client.backend)
            return Opaque("response")
        if t is ClientMethod:
            c: Client = callee.client  # type: ignore[attr-defined]
            return Client(c.ctype, c.provider, c.is_async, c.calls + ((call, scope),), c.backend)
        if t is SessionMethod:
            return self._factory(callee.ctypes, call, scope)  # type: ignore[attr-defined]
        if t is RunnableMethod:
            return self._runnable_method_call(callee, call, scope)  # type: ignore[attr-defined,arg-type]
        if t is Runnable:
            if callee.deferred:  # type: ignore[attr-defined]  # `make_llm()` with `make_llm = partial(ChatOpenAI, ...)`
                return replace(callee, deferred=False)  # type: ignore[arg-type]
            return Opaque("response")  # llm(...): legacy __call__
        if t is Holder:
            return Qual(callee.qual, called=True)  # type: ignore[attr-defined]
        if t is Func:
            v = self._func_return(callee, call)  # type: ignore[arg-type]
            if not useful(v):
                v = self._bound_return(callee, call, scope) or self._abstract_return(callee) or v  # type: ignore[arg-type,attr-defined]
            elif type(v) is Qual and v.called and type(b := self._bound_return(callee, call, scope)) is Runnable:  # type: ignore[arg-type]
                v = b  # `RunnableLambda(fn)` the helper returns is, for this call, the model handed it as `fn`
            elif type(v) is Qual and v.called and callee.node.returns is not None and type(b) is Client:  # type: ignore[attr-defined]
                v = b  # `def make_client(cfg, service="bedrock-runtime") -> BaseClient`: the service's client
            elif type(v) is Qual and v.called and callee.node.returns is not None:  # type: ignore[attr-defined]
                # a hook declared with a library type (`async def get_graph(self) -> CompiledStateGraph`,
                # abstract): what the subclasses' overrides build, when each returns a model object or a
                # runnable holding one; the declared type says nothing of the model
                hooked = self._abstract_return(callee)  # type: ignore[arg-type,attr-defined]
                if type(hooked) is Runnable or type(hooked) is Client:
                    v = hooked
            if type(v) is Func or type(v) is OneOf:
                v = returned_through(v, callee, call, scope)  # type: ignore[arg-type]  # a closure: this call made it
            if type(v) is Instance and type(call.func) is ast.Attribute:
                v = self._on_receiver_class(callee, v, call.func.value, scope)  # type: ignore[arg-type]
            return v
        if t is ClassV:
            own = self._project_model(callee)  # type: ignore[attr-defined]
            if own is not None:
                built = ((call, scope, own),) if not is_declaration(call) else ()  # not a declaration's stand-in
                return Runnable(own.sdk, own.api, own.provider, built, project_class=callee)  # type: ignore[arg-type]
            sdk_base = self._sdk_base(callee)  # type: ignore[arg-type]
            if sdk_base is not None:
                return self._call_qual(sdk_base, call, scope)
            lazy = self._lazy_module(callee, call, scope)  # type: ignore[arg-type]
            if lazy is not None:  # `onnx = LazyImport("onnx", globals(), "pkg.embedding.onnx")`: that module
                return lazy
            wrapped = self.wrapped_model(callee, call, scope)  # type: ignore[attr-defined,arg-type]
            if wrapped is not None:  # `CachedLLM(llm=OpenAI())`: a layer over the model it is handed
                return wrapped
            if self._lazy_holder(callee):  # type: ignore[attr-defined,arg-type]  # LazyInit(OpenAIEmbedding, ...)
                built = self._deferred_model(call, scope)  # type: ignore[attr-defined]
                if built is not None:
                    return built
            return self.composer_base(callee, call, scope) or self._runner_base(callee, call, scope) or \
                Instance(callee)  # type: ignore[arg-type,attr-defined]
        if (t is Chain or t is Opaque) and call.args and isinstance(call.func, ast.Attribute) \
                and call.func.attr == "get":  # CLIENTS.get("openai")
            v = self._dict_item(call.func.value, call.args[0], scope)
            if v is not UNKNOWN:
                return v
        if (t is Chain or t is Param) and type(call.func) is ast.Attribute \
                and call.func.attr in self.catalog.client_methods and not call.args:
            # `client.with_options(timeout=t)` on a client passed in: the same client, options changed,
            # so `.chat.completions.create(...)` on it reads as on the parameter itself
            return self.infer(call.func.value, scope)
        if t is Chain or t is Param:
            return Opaque("unknown-call")
        if t is Unknown and isinstance(call.func, ast.Name):  # builtins
            if call.func.id == "__import__":
                return self._dynamic_import(call, scope)
            if call.func.id == "getattr" and len(call.args) >= 2:  # getattr(client.chat.completions, "create")
                name = self.infer(call.args[1], scope)
                if isinstance(name, Str) and name.value and name.value.isidentifier():
                    return self.attribute(self.infer(call.args[0], scope), name.value, scope)
                obj = self.infer(call.args[0], scope)
                if type(call.args[1]) is ast.JoinedStr and type(obj) is Instance:
                    return self._methods_like(obj, call.args[1])  # getattr(self, f"_{name}_fn"): any method so named
                if type(obj) in (ProjModule, OneOf):  # getattr(module, class_name): any class it defines
                    return self._module_members(obj, call.args[1])
        return UNKNOWN

    def _on_receiver_class(self, f: Func, v: "Instance", recv: ast.expr, scope: Scope) -> Value:
        """A classmethod returning an object of the class it is declared on (`return cls(...)`,
        `from_config(cls: Type[T], ...) -> T`), called on a subclass (`LLMClient.from_config(cfg)`):
        an object of the class it is called on, as `cls` is bound to it at run time. Else `v`."""
        if f.scope.cls is None or v.cls.node is not f.scope.cls.node or \
                not any(decorator_name(d) == "classmethod" for d in f.node.decorator_list):
            return v
        got = self.infer(recv, scope)
        if type(got) is not ClassV or got.node is v.cls.node:  # type: ignore[attr-defined]
            return v
        if any(c.node is v.cls.node for c in self._class_chain(got)):  # type: ignore[arg-type]
            return Instance(got)  # type: ignore[arg-type]
        return v

    def _methods_like(self, obj: Value, name: ast.JoinedStr) -> Value:
        """`getattr(self, f"_{provider}_fn")` on an object of a project class: any of the methods of its
        class (and project bases) whose name has the f-string's fixed start and end, bound to it (a
        union: its call reaches what each reaches); UNKNOWN when the object is of no project class or the
        name fixes neither end."""
        if type(obj) is not Instance:
            return UNKNOWN
        parts = name.values
        start = parts[0].value if parts and type(parts[0]) is ast.Constant else ""
        end = parts[-1].value if len(parts) > 1 and type(parts[-1]) is ast.Constant else ""
        if not (start or end) or not isinstance(start, str) or not isinstance(end, str):
            return UNKNOWN
        names = {m.name for c in self._class_chain(obj.cls) for m in c.node.body  # type: ignore[attr-defined]
                 if type(m) in (ast.FunctionDef, ast.AsyncFunctionDef) and len(m.name) > len(start) + len(end)
                 and m.name.startswith(start) and m.name.endswith(end)}
        got = [self._instance_attr(obj, n) for n in sorted(names)]  # type: ignore[arg-type]
        return join(v for v in got if type(v) is Func) if got else UNKNOWN

    def _module_members(self, obj: Value, name: ast.expr) -> Value:
        """`getattr(module, name)` with a name known at run time, on a project module (or any of the
        modules of a plugin package, `package_modules`): for `f"complete_{provider}"`, any of the
        module's functions and classes so named (fixed start and end, as `_methods_like`); for another
        name, any of the classes the modules define (a plugin's class picked by name)."""
        if type(name) is not ast.JoinedStr:
            return self.module_classes(obj)  # type: ignore[attr-defined]
        parts = name.values
        start = parts[0].value if parts and type(parts[0]) is ast.Constant else ""
        end = parts[-1].value if len(parts) > 1 and type(parts[-1]) is ast.Constant else ""
        if not (start or end) or not isinstance(start, str) or not isinstance(end, str):
            return self.module_classes(obj)  # type: ignore[attr-defined]
        got: list[Value] = []
        for m in (obj.members if type(obj) is OneOf else (obj,)):  # type: ignore[attr-defined]
            if type(m) is not ProjModule:
                return UNKNOWN
            info = self.project.module_info(m.module)  # type: ignore[attr-defined]
            if info is None:
                continue
            for n in sorted(info.scope.bindings):
                if len(n) > len(start) + len(end) and n.startswith(start) and n.endswith(end):
                    got.append(self._module_attr(m.module, n))  # type: ignore[attr-defined]
        return join(v for v in got if type(v) in (Func, ClassV))

    def _return_values(self, node: ast.AST, returns: list[ast.expr], scope: Scope) -> Iterator[Value]:
        """The values of a function's `returns`, read lazily; a slot the function fills on a miss
        (`_cached`) first gives what it stores there, when that is clients or model objects only (a
        cache of bots of several kinds, `self.bots[kind] = create_bot(...)`, is left to the slot)."""
        for ret in returns:
            fills = _cached(node, ret)
            if fills:
                got = [self.infer(v, scope) for v in fills]
                if all(type(g) is Client or type(g) is Runnable for g in got):
                    yield from got
            yield self.infer(ret, scope)

    def _ran_here(self, call: ast.Call, scope: Scope) -> Value | None:
        """What a standard runner returns (awaited) for the project function it runs now: that
        function's return (`await asyncio.to_thread(build_agent, ...)` is the agent it builds)."""
        if decorator_name(call.func) in POOL_METHODS:
            return None  # `pool.submit(fn)` is a future, `map(fn, xs)` an iterator: not what `fn` returns
        found = self.run_here(call, scope)  # type: ignore[attr-defined]
        if found is None:
            return None
        f = self.infer(found[0].args[found[1]], scope)
        if type(f) is not Func:
            return None
        v = self._func_return(f, None)  # type: ignore[arg-type]
        return v if useful(v) else None

    def _bound_return(self, f: Func, call: ast.Call, scope: Scope) -> Value | None:
        """What a call of a project function returns when that depends on the caller's arguments:
        `return cls(**kw)` called with an SDK class, `return import_module(name)` called with a module
        name, `return client` (an identity helper). Evaluated per call; None when nothing is known."""
        forms = self._param_returns.get(f.node)
        if forms is None:  # (an import form only where its callee is a module loader: evaluated once)
            forms = self._param_returns[f.node] = [self._service_form(form, f) for form in _param_return_forms(f)
                                                   if form[0] != "import" or self._loads_module(form[2], f)
                                                   or self._service_form(form, f)[0] == "service"]
        if not forms:
            return None
        bound = bind_args(f.node, call, skip_self=f.bound is not None or is_method(f))
        for kind, param, ret in forms:
            arg = bound.get(param)
            if kind == "service":  # `return session.client(service_name)`: the service the caller names,
                # else the parameter's default (`def make_client(config, service_name="bedrock-runtime")`)
                at = (arg, scope) if arg is not None else (param_default(f.node, param), f.scope.parent or f.scope)
                v = self._factory(self.factory_types(self.infer(ret.func, f.scope)), ret, f.scope,  # type: ignore[attr-defined]
                                  at) if at[0] is not None else UNKNOWN
            elif arg is None:
                continue
            elif kind == "import":
                v = self._dynamic_import(ret, f.scope, scope, arg)  # type: ignore[arg-type]
            elif kind == "wrap":
                v = self._wrapped_runnable(self.infer(arg, scope), ret, f.scope)
            else:
                v = self.infer(arg, scope)
                if kind == "call":
                    if isinstance(v, Qual) and not v.called:
                        v = self._call_qual(v, ret, f.scope)  # type: ignore[arg-type]
                    elif isinstance(v, ClassV):
                        base = self._sdk_base(v)
                        v = self._call_qual(base, ret, f.scope) if base is not None else Instance(v)  # type: ignore[arg-type]
                    else:
                        continue
            if useful(v) and not isinstance(v, Str):  # strings (models, prompts) are classified elsewhere
                return v
        return None

    def _wrapped_runnable(self, v: Value, ret: ast.expr, fscope: Scope) -> Value:
        """The model a helper's return `ret` runs when it wraps the parameter handed `v` in its framework's
        own runnables and combinators (`return RunnableLambda(fn).with_retry(...)` handed `llm.ainvoke`):
        a model object, or a model's request method, handed there; else UNKNOWN."""
        if type(v) is RunnableMethod and v.name in self.framework_request_names():  # type: ignore[attr-defined]
            v = v.runnable
        if type(v) is not Runnable:
            return UNKNOWN
        combinators = self.catalog.frameworks[v.sdk].combinators if v.sdk in self.catalog.frameworks else frozenset()
        for call in _wrapping_calls(ret, fscope):
            fn = call.func
            if isinstance(fn, ast.Attribute) and fn.attr in combinators:
                continue
            q = self.infer(fn, fscope)
            if not (type(q) is Qual and not q.called and q.qual.split(".", 1)[0] in self.catalog.composer_packages):
                return UNKNOWN  # (a call of anything else: `str(fn)`, a project function)
        return v

    def _service_form(self, form: tuple[str, str, ast.expr], f: Func) -> tuple[str, str, ast.expr]:
        """An "import" form (`return x.client(p, ...)`) whose callee is a service-name client factory
        (`session.client`, `boto3.client`): ("service", p, ret); any other form as it is."""
        if form[0] == "import" and self.factory_types(self.infer(form[2].func, f.scope)):  # type: ignore[attr-defined]
            return ("service", form[1], form[2])
        return form

    def _loads_module(self, call: ast.Call, f: Func) -> bool:
        """Whether `call` (in `f`) is `__import__(...)` or a call of one of the catalog's module loaders
        (`import_module`, `lazy_loader.load`, under any alias)."""
        fn = call.func
        if isinstance(fn, ast.Name) and fn.id == "__import__":
            return True
        q = self.infer(fn, f.scope)
        return isinstance(q, Qual) and q.qual in self.catalog.module_loaders  # type: ignore[attr-defined]

    def _func_return(self, f: Func, call: ast.Call | None) -> Value:
        """What function `f` returns (its declared type, else its `return` values), memoized. A function
        whose return reaches itself (`return self.x or self.make()` where `make` returns through `f`) is a
        loop of the frames (frames.py): its answer does not depend on which of its functions a file asked
        first, where an in-progress guard answered UNKNOWN inside whichever was entered first and the
        answers worked out inside were remembered as final (results then differed with the order files were
        analysed in, that is with the worker processes)."""
        node = f.node
        got = self.recall("returns", self._returns, node)  # type: ignore[attr-defined]
        if got is not MISSING:
            return got
        return self.solve("returns", self._returns, node, UNKNOWN, lambda: self._worked_return(f),  # type: ignore[attr-defined]
                          place_of(f.scope.module, node))

    def _worked_return(self, f: Func) -> Value:
        node = f.node
        result: Value = UNKNOWN
        if node.returns is not None:
            result = self._annotation(node.returns, f.scope.parent or f.scope)
        if not isinstance(result, (Client, Session, Instance, OneOf)) or _stand_in_type(result) or \
                _typed_only(result):
            # (a Protocol declared for mocks, `-> TogetherClient`, says less than `return together.Together()`;
            # `-> AsyncOpenAI` less than `return AsyncOpenAI(base_url=..., api_key=...)`, the client it builds)
            # a @contextmanager's value is what it yields (`with self._client() as c:`)
            cm = any(decorator_name(d) in ("contextmanager", "asynccontextmanager") for d in node.decorator_list)
            returns = list(return_values(node, yields=cm))
            got = first_useful(self._return_values(node, returns, f.scope), merge_runnables)
            if type(got) is Instance:
                got = self._returned_interface(got, returns, f.scope)
            # a declared model type (`-> BaseChatModel`) stands unless a return shows the object itself:
            # a model object, or another object of the framework's packages (a fake model, a parser);
            # `return model_class(**settings)` of a class looked up at run time says less
            if got is not None and (type(result) is not Runnable or type(got) is Runnable or
                                    library_object(got, self.catalog)) and \
                    (not _stand_in_type(result) or _concrete_client(got)) and \
                    (not _typed_only(result) or type(got) is Client):
                result = got
        return result


def _typed_only(v: Value) -> bool:
    """A client known only from the declared return type (`-> AsyncOpenAI`): the one the function builds
    says more (its constructor's base URL, key, tags)."""
    return type(v) is Client and v.typed  # type: ignore[attr-defined]


def _stand_in_type(v: Value) -> bool:
    """An object of a project `typing.Protocol`: a declared shape (often written so tests can pass a fake),
    which a concrete value beside it (`client or make_client()`, the function's own `return`) says more of."""
    return type(v) is Instance and is_protocol(v.cls.node)  # type: ignore[attr-defined]


def _concrete_client(v: Value) -> bool:
    """What a stand-in type gives way to: a client, one of several (`AzureOpenAI(...) if azure else
    OpenAI()`), or a framework model object."""
    return holds_client(v) or type(v) is Runnable


def _cached(fnode: ast.AST, ret: ast.expr) -> list[ast.expr]:
    """The values the function itself stores in the slot a `return` reads (none when it reads no slot).
    A cache filled on a miss (`try: return tl.client / except AttributeError: tl.client =
    OpenAI(...)` on a `threading.local()`, `if key not in _CLIENTS: _CLIENTS[key] = Anthropic()` then
    `return _CLIENTS[key]`) returns what it fills, whatever object holds it. A slot is an attribute
    (`tl.client`, `self._client`) or an item of a container (`_CLIENTS[key]`, any key)."""
    if type(ret) is ast.Attribute:
        key = ast.dump(ret.value) + "." + ret.attr  # (the slot's own node is stored in one place, loaded in the other)
    elif type(ret) is ast.Subscript:
        key = "item " + ast.dump(ret.value)
    else:
        return []
    slots = _SLOTS.get(fnode)
    if slots is None:
        slots = _SLOTS[fnode] = {}
        for st in statements(fnode.body):  # type: ignore[attr-defined]
            if type(st) is ast.Assign:
                for t in st.targets:
                    if type(t) is ast.Attribute:
                        slots.setdefault(ast.dump(t.value) + "." + t.attr, []).append(st.value)
                    elif type(t) is ast.Subscript:
                        slots.setdefault("item " + ast.dump(t.value), []).append(st.value)
    return slots.get(key, [])


_SLOTS: "weakref.WeakKeyDictionary[ast.AST, dict[str, list[ast.expr]]]" = weakref.WeakKeyDictionary()


def _optional_type(e: ast.expr) -> bool:
    """Whether `e` is spelled as an optional or union type: `X | None`, `Optional[X]`, `Union[X, Y]`."""
    if type(e) is ast.BinOp:
        return type(e.op) is ast.BitOr and any(type(s) is ast.Constant and s.value is None  # type: ignore[attr-defined]
                                               for s in (e.left, e.right))  # type: ignore[attr-defined]
    return type(e) is ast.Subscript and decorator_name(e.value).rpartition(".")[2] in ("Optional", "Union")  # type: ignore[attr-defined]


def _is_super(call: ast.Call) -> bool:
    """`super()` / `super(Cls, self)`."""
    return type(call.func) is ast.Name and call.func.id == "super"


def _any_type(v: Value) -> bool:
    """Whether an annotation's value is `typing.Any`: no type stated."""
    return type(v) is Qual and not v.called and v.qual.rsplit(".", 1)[-1] == "Any" and \
        v.qual.split(".", 1)[0] in ("typing", "typing_extensions")  # type: ignore[attr-defined]


def _callers_may_tell(v: Value) -> bool:
    """Whether a parameter's callers may say more than its annotation's value `v`: nothing known, or a
    type of no LLM meaning to tokenlint (`agent: CompiledStateGraph`, `app: Runnable`). A model type
    (`llm: BaseChatModel`) makes its requests sites already; its callers' models are not read (in a
    library's tree every such parameter is one, and reading their callers cost a third of the run)."""
    return v is UNKNOWN or (type(v) is Qual and v.called)  # type: ignore[attr-defined]


def _param_return_forms(f: Func) -> list[tuple[str, str, ast.expr]]:
    """The returns of `f` whose value is decided by a parameter: ("value", p, ret) for `return p`,
    ("call", p, ret) for `return p(...)`, ("import", p, ret) for `return import_module(p)` /
    `return __import__(p)` or another module loader's call of `p` (`return lazy_loader.load(p)`) or a
    `service_name=p` keyword (`return session.client(service_name=p)`), and for an optional-import helper
    returning only what it imported (names,
    items of a list it filled: `mods.append(import_module(name))` for each `name` of the parameter, then
    `return mods[0] if len(mods) == 1 else mods`) ("import", p, the import call)."""
    params = f.scope.params
    out: list[tuple[str, str, ast.expr]] = []
    returns = list(return_values(f.node))
    for ret in returns:
        if isinstance(ret, ast.Name) and ret.id in params:
            out.append(("value", ret.id, ret))
        elif isinstance(ret, ast.Call):
            fn = ret.func
            if isinstance(fn, ast.Name) and fn.id in params:
                out.append(("call", fn.id, ret))
            elif ret.args and isinstance(ret.args[0], ast.Name) and ret.args[0].id in params and \
                    isinstance(fn, (ast.Name, ast.Attribute)):
                # `return import_module(name)`, `return _lazy_load(name)` (an alias): a module loader's is
                # known only once its callee is evaluated (`_bound_return` keeps the catalog's loaders)
                out.append(("import", ret.args[0].id, ret))
            elif isinstance(fn, (ast.Name, ast.Attribute)) and (p := _service_keyword(ret, params)) is not None:
                out.append(("import", p, ret))  # `return session.client(service_name=service_name)`
        if isinstance(ret, (ast.Call, ast.Name)) and not (isinstance(ret, ast.Name) and ret.id in params) and \
                not (isinstance(ret, ast.Call) and isinstance(ret.func, ast.Name) and ret.func.id in params) and \
                (p := _wrapped_param(ret, f.scope)) is not None:
            # `runnable = RunnableLambda(fn); return runnable.with_retry(...)`: a runnable around the parameter
            out.append(("wrap", p, ret))
    if not out and returns and all(_holds_value(r) for r in returns):
        each = {n.target.id: n.iter.id for n in ast.walk(f.node)  # `for name in module_names:`
                if isinstance(n, (ast.For, ast.AsyncFor)) and isinstance(n.target, ast.Name)
                and isinstance(n.iter, ast.Name) and n.iter.id in params}
        for n in ast.walk(f.node):
            if isinstance(n, ast.Call) and _imports(n) and n.args and isinstance(n.args[0], ast.Name):
                p = n.args[0].id if n.args[0].id in params else each.get(n.args[0].id)
                if p is not None:
                    out.append(("import", p, n))
                    break
    return out


MAX_WRAPS = 6  # calls followed from a return down to the parameter they wrap


def _wrapping_calls(ret: ast.expr, scope: Scope) -> Iterator[ast.Call]:
    """The calls a return is built by on its way down to what it wraps: each call's receiver
    (`x.with_retry(...)`) or else its first argument (`RunnableLambda(fn)`), a local name assigned once
    followed to its value; at most MAX_WRAPS."""
    e = ret
    for _ in range(MAX_WRAPS):
        if isinstance(e, ast.Name) and e.id not in scope.params:
            b = scope.bindings.get(e.id)
            if not b or len(b) != 1 or b[0][0] != "assign" or not isinstance(b[0][1], ast.expr):
                return
            e = b[0][1]
        if not isinstance(e, ast.Call):
            return
        yield e
        fn = e.func
        if isinstance(fn, ast.Attribute) and not (isinstance(fn.value, ast.Name) and fn.value.id not in scope.params
                                                  and fn.value.id not in scope.bindings):
            e = fn.value
        elif e.args and not isinstance(e.args[0], ast.Starred):
            e = e.args[0]
        else:
            return


def _wrapped_param(ret: ast.expr, scope: Scope) -> Optional[str]:
    """The parameter the calls building `ret` wrap (`_wrapping_calls`), when they end at one; else None."""
    last: Optional[ast.Call] = None
    for last in _wrapping_calls(ret, scope):
        pass
    if last is None:
        return None
    fn = last.func
    inner = fn.value if isinstance(fn, ast.Attribute) and (isinstance(fn.value, ast.Name) and fn.value.id in scope.params) \
        else (last.args[0] if last.args else None)
    return inner.id if isinstance(inner, ast.Name) and inner.id in scope.params and inner.id != scope.self_name else None

def _service_keyword(call: ast.Call, params: Collection[str]) -> str | None:
    """The parameter a call passes as its `service_name=` keyword (`session.client(service_name=name)`),
    else None (`_bound_return` keeps it only where the callee is a service-name client factory)."""
    for k in call.keywords:
        if k.arg == "service_name" and isinstance(k.value, ast.Name) and k.value.id in params:
            return k.value.id
    return None


def _imports(call: ast.Call) -> bool:
    """Whether a call is spelled as a dynamic import (`importlib.import_module(x)`, `__import__(x)`)."""
    fn = call.func
    return isinstance(fn, ast.Name) and fn.id in ("__import__", "import_module") or \
        isinstance(fn, ast.Attribute) and fn.attr == "import_module"


def _holds_value(e: ast.expr) -> bool:
    """Whether a returned expression gives back a value held, not one made here: a name, an item
    (`mods[0]`), or either of two such (`mods[0] if len(mods) == 1 else mods`)."""
    if isinstance(e, ast.IfExp):
        return _holds_value(e.body) and _holds_value(e.orelse)
    return isinstance(e, ast.Name) or isinstance(e, ast.Subscript) and isinstance(e.value, ast.Name)


def _rewraps(value: ast.expr, attr: str, scope: Scope) -> bool:
    """Whether `value`, assigned to `self.<attr>` in a method, wraps what the attribute held at run time
    (`self.generate = cache(self.generate)`, `self.generate = retry(n=3)(self.generate)`; an item of a
    call wrapping several, `self.fn, self.afn = with_pipeline(model_fn=self.fn, async_model_fn=self.afn)`)."""
    if type(value) is ast.Subscript and type(value.slice) is ast.Constant:
        value = value.value
    if type(value) is not ast.Call or scope.kind != "function":
        return False
    params = getattr(scope.node, "args", None)
    first = params.args[0].arg if params is not None and params.args else None
    return first is not None and any(type(a) is ast.Attribute and a.attr == attr and type(a.value) is ast.Name
                                     and a.value.id == first for a in (*value.args, *(k.value for k in value.keywords)))


def _binds(chain: list[ClassV], attr: str, set_too: bool = False) -> bool:
    """Whether a class of `chain` (a project class and its project bases) defines `attr` in its body
    (`set_too`: or sets `self.<attr>` in a method)."""
    return any(c.scope.bindings.get(attr) or (set_too and c.scope.attrs.get(attr)) for c in chain)


def _type_arguments(e: ast.expr) -> bool:
    """Whether a subscript's index reads as type arguments (`Any`, `str`, `list[int]`, `Deps, str`), not a key."""
    if type(e) is ast.Tuple:
        return all(_type_arguments(x) for x in e.elts)
    if type(e) is ast.Constant:
        return e.value is None
    if type(e) is ast.BinOp and type(e.op) is ast.BitOr:  # a union (`Agent[Deps, Flight | NoFlight]`)
        return _type_arguments(e.left) and _type_arguments(e.right)
    return type(e) in (ast.Name, ast.Attribute, ast.Subscript)
