"""What a parameter called like a framework model object holds, read from what the function's callers
pass for it (caller-argument inference).

A parameter a request method is called on (`await agent.ainvoke(...)` in `def run_task(agent, ...)`,
`agent_factory().astream(...)`, `self.llm.invoke(...)` with `self.llm = llm` set in `__init__`) holds
what the function's callers pass when they pass framework model objects or runnables holding one (a
union when several), or a project factory returning one. A caller passing something else (a string,
a project object, a test double) withholds it; callers whose argument is not followed make the
requests "inferred". Test code's calls count only when nothing else calls the function. The callers
are searched in the files naming the function (`callers.naming_files`), capped.

A parameter an SDK request is made on (`aclient.chat.completions.create(...)` in `def send(aclient, ...)`)
holds the SDK clients its production callers hand it when every one of them hands a client followed
(`constructor_value`): one caller passing what is not followed leaves it unknown.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Iterator, Optional

from tokenlint.resolve.callers import called_name, naming_files
from tokenlint.resolve.binder import calls_by_owner
from tokenlint.resolve.evidence import in_test_function
from tokenlint.resolve.facades import BUILTIN_METHODS, GENERIC_METHODS, method_of
from tokenlint.resolve.frameworks import library_object, merge_runnables
from tokenlint.resolve.interfaces import runner_names
from tokenlint.resolve.scope import bind_args, binding_of, decorator_name, enclosing_class, is_method, param_default
from tokenlint.resolve.values import (UNKNOWN, ClassV, Client, Func, Instance, OneOf, Opaque, Param, Qual, Resource,
                                      Runnable, Str, Value, holds_client, join, useful)

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.project import Project
    from tokenlint.resolve.binder import CallRecord, ModuleInfo
    from tokenlint.resolve.scope import Scope

MAX_CALLER_FILES = 48  # files naming a function read for what its calls pass; beyond, nothing is inferred
MAX_CALLERS = 24  # calls and other uses of one function read for one parameter; beyond, nothing is inferred
MAX_HOPS = 3  # parameters handed on from caller to caller (`run(agent)` calling `stream(agent)`)
# what an argument evaluating to one of these Opaque kinds is: a value that is no model object
_NO_MODEL = frozenset({"constant", "JoinedStr", "List", "Dict", "Tuple", "Set", "ListComp", "DictComp", "SetComp",
                       "GeneratorExp", "Compare", "UnaryOp"})
_DOUBLE_WORDS = ("mock", "fake", "stub", "dummy")


@dataclass
class _Passed:
    """What the callers of a function pass for one parameter: model objects (or runnables holding one),
    project factories returning one, and whether some caller passes what is not followed (`unresolved`)
    or what is no model (`against`)."""

    models: list[Runnable] = field(default_factory=list)
    factories: list[Func] = field(default_factory=list)
    unresolved: bool = False
    against: bool = False

    def add(self, other: "_Passed") -> None:
        self.models += other.models
        self.factories += other.factories
        self.unresolved |= other.unresolved
        self.against |= other.against


@dataclass
class _Use:
    """One use of a function: the call made, its arguments by parameter name (None: the function is
    handed to something that calls it out of sight), whether it may pass more through `*args` /
    `**kwargs`, and whether it is test code."""

    rec: "CallRecord"
    bound: Optional[dict[str, ast.expr]]
    starred: bool
    test: bool


class _OrDeclared:
    """A set of request method names, and the project's abstract method names (the facade index's:
    name bytes -> the modules declaring it): `self.vectorizer.vectorize(...)` on a stored parameter
    is a request through a project interface (`Vectorizer.vectorize` raises NotImplementedError)."""

    def __init__(self, names: frozenset[str], declared: dict[bytes, list]) -> None:
        self._names, self._declared = names, declared

    def __contains__(self, name: object) -> bool:
        if name in self._names:
            return True
        # a data or built-in type's verb (`get`, `save`, `append`) declared abstract by some store or
        # serializer says nothing of a model: those parameters are not read (nor their callers parsed)
        return isinstance(name, str) and name not in GENERIC_METHODS and name not in BUILTIN_METHODS \
            and name.encode() in self._declared


class CallerMixin:
    """The `Resolver`'s caller-argument inference (a mixin: values come from `InferMixin`, runners from
    `InterfaceMixin`)."""

    project: "Project"

    def caller_value(self, name: str, fs: "Scope") -> Optional[Value]:
        """What parameter `name` of the function of scope `fs` holds by its callers, when the function
        calls a request method on it (`agent.ainvoke(...)`, catalog `caller_methods`) and its callers
        pass model objects: the runnable (merged when several; "partial" when some callers pass what
        is not followed) or the one project factory they pass; else None."""
        if name not in self._request_receivers(fs.module).get(fs.node, ()) or in_test_function(fs):
            return None  # a test's parameters are fixtures pytest passes, never a project call
        if getattr(fs.node, "name", None) == "__init__" and name not in self._receivers(
                fs.module, "_model_receivers", self._caller_method_names(holders=False), runners=True).get(fs.node, ()):
            # `Index(db)` with `self.db.similarity_search(...)`: a store kept by a constructor is read by
            # `constructor_value`, where every caller must agree
            return None
        return _value(self._passed(fs, name, MAX_HOPS))

    def constructor_value(self, name: str, fs: "Scope") -> Optional[Value]:
        """What an untyped (or `Any`) parameter of `__init__` holds by the project's constructor calls
        (`Knowledge(db=FAISS.load_local(...))`), when the class stores it on itself and sends a request
        through it (`self.db = db` ... `self.db.similarity_search(...)`): the value every caller that
        passes something followed agrees on by kind, model objects or runnables holding one (merged),
        SDK clients (joined) or objects of project classes (their common base). Only the project's
        own code counts (tests build it with doubles), and only a class whose every construction is
        written with its name (its own, or a subclass's inheriting this `__init__`; no `cls(...)` in a
        class method); a test double passes nothing (it stands in for the model); a caller passing
        something else, or nothing followed, withholds it (None). Read once per parameter.
        Another function's parameter a method of a project interface is called on
        (`def _dense(self, vectorizer, texts): vectorizer.vectorize(texts)`) is read the same way, for
        objects of a project class family only (what its callers pass: `self._dense(self.vectorizer,
        ...)`, a `Vectorizer` with subclasses), and so is one an SDK request method is called on, for SDK
        clients only (`send(self.aclient, payload)` with `self.aclient = AsyncOpenAI()`)."""
        if getattr(fs.node, "name", None) != "__init__" or fs.cls is None:
            if fs.kind != "function" or fs.name == "<lambda>" or \
                    name not in self._interface_receivers(fs.module).get(fs.node, ()) and \
                    not self._sends_through(fs, name) and not self._handed_to_storing_class(fs, name):
                return None  # (a framework method on a function's parameter: `caller_value`'s)
        if in_test_function(fs):
            return None
        called = False
        if name not in self._stored_receivers(fs.module).get(fs.node, ()):
            # `self._send = send_fn` ... `self._send(prompt)`: the attribute is called itself, and holds
            # what the constructions pass when that is a project function (a callback that sends); or the
            # parameter is handed on to another project class's construction, which asks for it
            called = name in self._called_receivers(fs.module).get(fs.node, ())
            if not called and not self._handed_to_class(fs, name) and not self._sends_through(fs, name) and \
                    not self._handed_to_storing_class(fs, name):
                return None
        memo = self.__dict__.setdefault("_constructor_values", {})
        key = (fs.node, name)
        if key in memo:
            return memo[key]
        memo[key] = None  # a constructor call reached again while its callers are read: nothing
        memo[key] = got = self._constructor_value(name, fs, functions=called)
        return got

    def _handed_to_class(self, fs: "Scope", name: str) -> bool:
        """Whether `__init__` hands its parameter `name` on unchanged to the construction of another
        project class (`self.transcriptions = self.Transcriptions(client)`), which is what asks for it
        when that class stores it and sends through it: the callers of this `__init__` say what it is."""
        if getattr(fs.node, "name", None) != "__init__" or fs.cls is None:
            return False
        return any(type(callee) is ClassV for _call, callee in self._handing_on(fs, name))

    def _handing_on(self, fs: "Scope", name: str) -> Iterator[tuple[ast.Call, Value]]:
        """The calls the function of `fs` makes itself that pass its parameter `name` unchanged, each with
        its callee's value."""
        for rec in calls_by_owner(fs.module).get(fs.node, ()):
            call = rec.node
            if rec.scope is fs and any(type(a) is ast.Name and a.id == name  # type: ignore[attr-defined]
                                       for a in [*call.args, *(k.value for k in call.keywords)]):
                yield call, self.infer(call.func, fs)  # type: ignore[attr-defined]

    def _handed_to_storing_class(self, fs: "Scope", name: str) -> bool:
        """Whether a function hands its parameter `name` on unchanged to the construction of a project class
        whose `__init__` stores it and sends a request through it (`MarketAnalyzer(analyzer=analyzer)` with
        `self.analyzer = analyzer` ... `self.analyzer._model.generate_content(...)`)."""
        for call, cls in self._handing_on(fs, name):
            init = method_of(cls, "__init__") if type(cls) is ClassV else None
            ins = cls.scope.module.func_scopes.get(init) if init is not None else None  # type: ignore[attr-defined]
            if ins is None or ins is fs:
                continue
            stored = self._stored_receivers(ins.module).get(init, ())
            if any(type(a) is ast.Name and a.id == name and p in stored
                   for p, a in bind_args(init, call, True).items()):
                return True
        return False

    def _constructor_value(self, name: str, fs: "Scope", functions: bool = False) -> Optional[Value]:
        if getattr(fs.node, "name", None) != "__init__" or fs.cls is None:
            if functions:
                return None
            # a function's parameter: an object of a project family only (a class with subclasses, the
            # callers' common base); one concrete class is left to the guess by name (`facades`); or the SDK
            # clients every caller hands over (`async def send(aclient, payload)` called with `self.aclient`)
            got = self._agreed_value(name, self._uses(fs), left_none=_defaults_to_none(fs, name))
            if type(got) is Instance:  # (handed on to a class keeping it: that class's calls on it decide)
                return got if self._has_subclass(got.cls) or self._handed_to_storing_class(fs, name) else None  # type: ignore[attr-defined]
            return got if got is not None and holds_client(got) and self._sends_through(fs, name) else None
        cls = ClassV(fs.cls.node, fs.cls)  # type: ignore[union-attr]
        if _builds_itself(cls.node):
            return None  # built where its name is not written (`cls(...)`): not every caller is seen
        uses = self._uses(fs)
        # a family: the subclasses inheriting this `__init__` are built with it too (`ShardedStore(v)`),
        # their constructions are callers as well; a subclass with its own `__init__` hands on what it
        # likes (not followed: nothing)
        for sub in self._subclasses(cls):  # type: ignore[attr-defined]
            if uses is None or any(method_of(c, "__init__") is not None
                                   for c in self._class_chain(sub) if c.node is not cls.node  # type: ignore[attr-defined]
                                   and any(k.node is cls.node for k in self._class_chain(c))):  # type: ignore[attr-defined]
                return None
            more = self._uses(fs, sub)
            uses = None if more is None else uses + more
        return self._agreed_value(name, uses, functions, _defaults_to_none(fs, name))

    def _agreed_value(self, name: str, uses: Optional[list[_Use]], functions: bool = False,
                      left_none: bool = False) -> Optional[Value]:
        """What every production use in `uses` passes for parameter `name`, when they agree by kind
        (see `constructor_value`); else None. `functions`: the parameter is called itself, and what
        they agree on is module functions of the project (joined), nothing else. `left_none`: the
        parameter defaults to None, so a use leaving it out (no `**kwargs` that may pass it) hands
        nothing to send through, and says nothing against what the others pass."""
        prod = [u for u in uses or () if not u.test]
        if not prod:
            return None  # built only by tests (their doubles stand in for the model), or by nothing seen
        values: list[Value] = []
        for u in prod:
            e = u.bound.get(name) if u.bound is not None else None
            if e is None and left_none and u.bound is not None and not u.starred:
                continue  # `MarketAnalyzer()`: None, no object to send through
            if e is None:
                return None  # handed on out of sight, or left to its default
            v = self.infer(e, u.rec.scope)  # type: ignore[attr-defined]
            if type(v) is Qual and v.called and any(w in v.qual.lower() for w in _DOUBLE_WORDS):  # type: ignore[attr-defined]
                continue  # MagicMock(): stands in for what the real callers pass
            values.append(v)
        kinds = {type(v) for v in values}
        if not values or not all(useful(v) for v in values):
            return None
        if functions:  # (a bound method, a class or a closure a factory made: not read here)
            plain = all(type(v) is Func and v.bound is None and not v.made and not is_method(v)  # type: ignore[attr-defined]
                        for v in values)
            return join(values) if plain else None
        if kinds == {Runnable}:
            return merge_runnables(values) if len(values) > 1 else values[0]  # type: ignore[arg-type]
        if kinds <= {Client, OneOf}:
            return join(values)
        if kinds == {Instance}:
            common = self._common_instance(values[0], values[1:])  # type: ignore[attr-defined,arg-type]
            if all(any(c.node is common.cls.node for c in self._class_chain(v.cls))  # type: ignore[attr-defined]
                   for v in values):
                return common
        return None

    def _stored_receivers(self, info: "ModuleInfo") -> dict[ast.AST, set[str]]:
        """Function node -> those of its parameters a request of any known surface (an SDK method's
        last name, a framework request or embedding request, a caller method) is called on (see
        `_receivers`): the parameters `constructor_value` reads the callers of."""
        names = self.__dict__.get("_request_name_set")
        if names is None:
            names = self.__dict__["_request_name_set"] = _OrDeclared(
                self._method_names | self.framework_request_names() | self._caller_method_names(),  # type: ignore[attr-defined]
                self._index()[1])  # type: ignore[attr-defined]
        return self._receivers(info, "_stored_receivers", names, runners=False)  # type: ignore[arg-type]

    def _called_receivers(self, info: "ModuleInfo") -> dict[ast.AST, set[str]]:
        """Function node -> those of its parameters stored on `self` and called through the attribute
        (`self._send = send_fn` in `__init__`, `self._send(prompt)` in a method), in the module. Once per
        module."""
        got = getattr(info, "_called_receivers", None)
        if got is None:
            got = {}
            for rec in info.calls:
                f = rec.node.func
                if type(f) is ast.Attribute and type(f.value) is ast.Name \
                        and _self_attribute(f, rec.scope) is not None:  # type: ignore[attr-defined]
                    _mark(f, rec.scope, got, 1)
            info._called_receivers = got  # type: ignore[attr-defined]
        return got

    def _client_receivers(self, info: "ModuleInfo") -> dict[ast.AST, set[str]]:
        """Function node -> those of its parameters an SDK request method of the catalog is called on
        (`aclient.chat.completions.create(...)`, see `_receivers`)."""
        return self._receivers(info, "_client_receivers", self._method_names, runners=True)  # type: ignore[attr-defined]

    def _sends_through(self, fs: "Scope", name: str, hops: int = MAX_HOPS) -> bool:
        """Whether the function of `fs` calls an SDK request method on its parameter `name`, or hands it on
        unchanged to a project function that does (`infer_batch(client=...)` passing `client=client` to
        `_one_job(*, client)`, which calls `client.batches.create`), up to `hops` functions down."""
        if name in self._client_receivers(fs.module).get(fs.node, ()):
            return True
        if hops <= 0:
            return False
        for call, callee in self._handing_on(fs, name):
            if type(callee) is not Func or callee.scope is None or callee.node is fs.node:  # type: ignore[attr-defined]
                continue
            skip = callee.bound is not None or is_method(callee)  # type: ignore[attr-defined,arg-type]
            for param, arg in bind_args(callee.node, call, skip).items():  # type: ignore[attr-defined]
                if type(arg) is ast.Name and arg.id == name and \
                        self._sends_through(callee.scope, param, hops - 1):  # type: ignore[attr-defined]
                    return True
        return False

    def _interface_receivers(self, info: "ModuleInfo") -> dict[ast.AST, set[str]]:
        """Function node -> those of its parameters a method the project declares abstract is called
        on (`vectorizer.vectorize(texts)`, see `_receivers`)."""
        names = self.__dict__.get("_interface_name_set")
        if names is None:
            names = self.__dict__["_interface_name_set"] = _OrDeclared(frozenset(), self._index()[1])  # type: ignore[attr-defined]
        return self._receivers(info, "_interface_receivers", names, runners=False)  # type: ignore[arg-type]

    def handed_modules(self, info: "ModuleInfo") -> set[str]:
        """Paths of the other project modules whose functions (or classes) this module's calls hand a
        model object or a runnable holding one (or a project factory returning one) for a parameter
        they call a request method on: those modules may hold request sites while naming no framework
        (`agent.invoke(...)` in `def run(agent)`), so the engine reads them too."""
        out: set[str] = set()
        memo = self._memo  # type: ignore[attr-defined]  # every callee was evaluated for the module's sites
        for rec in info.calls:
            call = rec.node
            if not (call.args or call.keywords):
                continue
            callee = memo.get(call.func) or self.infer(call.func, rec.scope)  # type: ignore[attr-defined]
            t = type(callee)
            if t is Func:
                fs = callee.scope  # type: ignore[attr-defined]
            elif t is ClassV:
                init = next((m for m in callee.node.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))  # type: ignore[attr-defined]
                             and m.name == "__init__"), None)
                fs = callee.scope.module.func_scopes.get(init) if init is not None else None  # type: ignore[attr-defined]
            else:
                continue
            if fs is None or fs.module is info or fs.module.source.relpath in out:
                continue
            wanted = self._request_receivers(fs.module).get(fs.node)
            if not wanted:
                continue
            skip = t is ClassV or callee.bound is not None or is_method(callee)  # type: ignore[attr-defined,arg-type]
            bound = bind_args(fs.node, call, skip_self=skip)
            for p in wanted:
                e = bound.get(p)
                got = self._argument(e, rec.scope, 0) if e is not None else None
                if got is not None and (got.models or got.factories):
                    out.add(fs.module.source.relpath)
                    break
        return out

    # which parameters are worth it ---------------------------------------------------------------
    def _request_receivers(self, info: "ModuleInfo") -> dict[ast.AST, set[str]]:
        """Function node -> those of its parameters a request method (catalog `caller_methods`) is
        called on, or handed to a standard runner on (`asyncio.to_thread(agent.invoke, q)`): see
        `_receivers`."""
        return self._receivers(info, "_request_receivers", self._caller_method_names(), runners=True)

    def _caller_method_names(self, holders: bool = True) -> frozenset[str]:
        """The frameworks' request methods a function calls on a model object it is handed (`holders`:
        also on an object holding one, a vector store: catalog `held_only`)."""
        key = "_caller_method_set" if holders else "_caller_method_models"
        methods = self.__dict__.get(key)
        if methods is None:
            methods = self.__dict__[key] = frozenset(
                m for fw in self.catalog.frameworks.values() if holders or not fw.held_only  # type: ignore[attr-defined]
                for m in fw.caller_methods)
        return methods

    def _receivers(self, info: "ModuleInfo", key: str, methods: frozenset[str],
                   runners: bool) -> dict[ast.AST, set[str]]:
        """Function node -> those of its parameters a method of `methods` is called on (with `runners`,
        also handed to a standard runner on: `to_thread(agent.invoke, q)`), in the module: the
        parameter itself (`llm.invoke`), what it returns when called (`agent_factory().astream`), a
        local bound to either (`agent = agent_factory(**kw)`, `chain = prompt | llm`) or an attribute
        `__init__` sets from it (`self.llm = llm` ... `self.llm.invoke`), see `_mark`. Once per module
        and `key` (the module's attribute keeping it)."""
        got = getattr(info, key, None)
        if got is None:
            found: dict[ast.AST, set[str]] = {}
            for rec in info.calls:
                f = rec.node.func
                if type(f) is ast.Attribute and f.attr in methods:  # type: ignore[attr-defined]
                    _mark(f.value, rec.scope, found, 2)  # type: ignore[attr-defined]
                elif runners and decorator_name(f) in runner_names(self.catalog):  # handed to a runner: `to_thread(agent.invoke, q)`
                    for a in rec.node.args[:2]:
                        if type(a) is ast.Attribute and a.attr in methods:  # type: ignore[attr-defined]
                            _mark(a.value, rec.scope, found, 2)  # type: ignore[attr-defined]
            got = found
            setattr(info, key, got)
        return got

    # what the callers pass -----------------------------------------------------------------------
    def _passed(self, fs: "Scope", name: str, hops: int) -> _Passed:
        """What the callers of the function of `fs` pass for parameter `name`, memoized; `hops`: how many
        more callers up a caller's own parameter is followed. A parameter asked for again while its
        callers are read (recursion) passes nothing new there."""
        memo = self.__dict__.setdefault("_caller_passed", {})
        key = (fs.node, name, hops)
        got = memo.get(key)
        if got is not None:
            return got
        if key[:2] in self._callers_open:
            return _Passed()
        self._callers_open.add(key[:2])
        try:
            got = memo[key] = self._passed_uncached(fs, name, hops)
        finally:
            self._callers_open.discard(key[:2])
        return got

    @property
    def _callers_open(self) -> set:
        """(function node, parameter) whose callers are being read."""
        return self.__dict__.setdefault("_callers_open_set", set())

    def _passed_uncached(self, fs: "Scope", name: str, hops: int) -> _Passed:
        uses = self._uses(fs)
        out = _Passed()
        if uses is None:  # too common a name, or too many calls to read
            out.unresolved = True
            return out
        prod = [u for u in uses if not u.test]
        default = param_default(fs.node, name)
        for u in prod or uses:  # a test's calls count only when nothing else calls the function
            if u.bound is None:
                out.unresolved = True  # handed on to something that calls it out of sight
                continue
            expr = u.bound.get(name)
            if expr is None:
                if u.starred:
                    out.unresolved = True
                elif default is not None:
                    out.add(self._argument(default, fs.parent or fs, hops))
                continue
            out.add(self._argument(expr, u.rec.scope, hops))
        return out

    def _argument(self, e: ast.expr, scope: "Scope", hops: int) -> _Passed:
        """What one argument expression passes."""
        out = _Passed()
        if isinstance(e, ast.Constant) and e.value is None:
            return out  # nothing: the function checks for None before its request, or fails
        handed: Optional["Scope"] = None  # the caller's own parameter, handed on unchanged
        if isinstance(e, ast.Name):
            b = binding_of(e.id, scope)
            if b is not None and b[0] == "param":
                if (b[2].node, e.id) in self._callers_open:
                    return out  # a recursive call handing on the parameter being read: nothing new
                handed = b[2] if isinstance(b[2].node, (ast.FunctionDef, ast.AsyncFunctionDef)) else None
        v = self.infer(e, scope)  # type: ignore[attr-defined]
        t = type(v)
        if handed is not None and hops > 0 and (t is Qual or v is UNKNOWN) and len(handed.bindings.get(e.id, ())) == 1:
            # `run_with_retry(agent: Agents)` handing `agent` on to `_stream(agent)`: its annotation names
            # no model type tokenlint knows (a union alias, a graph class), so what its own callers pass
            return self._passed(handed, e.id, hops - 1)
        if t is Runnable:
            out.models.append(v)  # type: ignore[arg-type]
        elif t is Func:
            made = self._func_return(v, None)  # type: ignore[attr-defined]
            if type(made) is Runnable:
                out.factories.append(v)  # type: ignore[arg-type]
            else:
                out.unresolved = True
        elif t is Param and hops > 0:  # the caller's own parameter: what its callers pass
            fs = _function_scope(v)  # type: ignore[arg-type]
            if fs is None:
                out.unresolved = True
            else:
                out.add(self._passed(fs, v.name, hops - 1))  # type: ignore[attr-defined]
                out.unresolved |= len(fs.bindings.get(v.name, ())) > 1  # rebound in its function
        elif t is Qual:
            low = v.qual.lower()  # type: ignore[attr-defined]
            if v.called and (library_object(v, self.catalog) or any(w in low for w in _DOUBLE_WORDS)):  # type: ignore[attr-defined]
                out.against = True  # a test double: what it runs is that object
            else:
                out.unresolved = True  # a library object the catalog does not know, or a class
        elif t is Opaque and v.what in _NO_MODEL:  # type: ignore[attr-defined]
            out.against = True  # a number, a list, a formatted string
        elif t in (Str, Client, Resource, OneOf, Instance):
            out.against = True  # a string, an SDK client, a project object holding no model
        else:  # unknown, a class handed over, a response: not followed (`self.agent` set from a parameter?)
            got = self._through_attribute(e, scope, hops) if hops > 0 and t is not Param else None
            if got is not None:
                return got
            out.unresolved = True
        return out

    def _through_attribute(self, e: ast.expr, scope: "Scope", hops: int) -> Optional[_Passed]:
        """`run(self.agent)` where `__init__` sets `self.agent = agent`: what the class's callers pass
        for that parameter (one attribute level), else None."""
        found = _self_attribute(e, scope)
        if found is None:
            return None
        cls, attr = found
        out = None
        for value, sc in cls.attrs.get(attr, ())[:4]:
            if isinstance(value, ast.Name):
                b = binding_of(value.id, sc)
                if b is not None and b[0] == "param":
                    fs = b[2]
                    out = out or _Passed()
                    out.add(self._passed(fs, value.id, hops - 1))
                    continue
            return None  # set from something else too: `infer` already read it
        return out

    def _uses(self, fs: "Scope", built: Optional[ClassV] = None) -> Optional[list[_Use]]:
        """Every use the project makes of the function of `fs` that tokenlint can tell is one: calls
        whose callee evaluates to it (`Class(...)` for `__init__`), `functools.partial(f, ...)` and
        standard runners (`asyncio.to_thread(f, ...)`) with the arguments they bind, and the function
        handed to any other call (bound None); None when the name is too common or the uses too many.
        `built`: for `__init__`, a subclass inheriting it, whose constructions are read instead.
        Memoized per function (and subclass)."""
        memo = self.__dict__.setdefault("_caller_uses", {})
        key = fs.node if built is None else (fs.node, built.node)
        if key in memo:
            return memo[key]
        memo[key] = None
        name = built.node.name if built is not None else called_name(fs)
        if not name:
            return None
        named = self.__dict__.setdefault("_caller_files", {})  # (name, tests) -> files naming it: one scan each
        uses: list[_Use] = []
        # test files are read only when nothing else calls the function (their doubles stand in for it)
        for test in (False, True):
            if test and any(not u.test for u in uses):
                break
            if (name, test) not in named:
                named[(name, test)] = naming_files(self.project, name, MAX_CALLER_FILES, test)
            files = named[(name, test)]
            if files is None:
                return None
            calling = _use_pattern(name)
            for ms in files:
                if ms.raw is not None and calling.search(ms.raw) is None:
                    continue  # named only where no call or argument can be (a docstring's prose): not parsed
                info = self.project.module_info(ms)
                if info is None:
                    continue
                for rec, arg in _naming_calls(info).get(name, ()):  # in source order: the first caller's model leads
                    use = self._use(fs, rec, arg, test, built)
                    if use is not None:
                        uses.append(use)
                        if len(uses) > MAX_CALLERS:
                            return None
        memo[key] = uses
        return uses

    def _use(self, fs: "Scope", rec: "CallRecord", arg: Optional[ast.expr], test: bool,
             built: Optional[ClassV] = None) -> Optional[_Use]:
        """The use of the function of `fs` that `rec` makes (calling it, or handed it as `arg`), else None;
        `built`: a subclass inheriting `__init__`, whose construction is the call read."""
        fn = fs.node
        test = test or in_test_function(rec.scope)
        call = rec.node
        if arg is None:
            callee = self.infer(call.func, rec.scope)  # type: ignore[attr-defined]
            if type(callee) is Func and callee.node is fn and built is None:  # type: ignore[attr-defined]
                skip = callee.bound is not None or is_method(callee)  # type: ignore[attr-defined,arg-type]
            elif type(callee) is ClassV and fn.name == "__init__" and fs.cls is not None and \
                    callee.node is (built.node if built is not None else fs.cls.node):  # type: ignore[attr-defined]
                skip = True
            else:
                return None
            return _Use(rec, bind_args(fn, call, skip_self=skip), _starred(call), test)
        handed = self.infer(arg, rec.scope)  # type: ignore[attr-defined]
        if type(handed) is not Func or handed.node is not fn:  # type: ignore[attr-defined]
            return None
        skip = handed.bound is not None or is_method(handed)  # type: ignore[attr-defined,arg-type]
        callee = self.infer(call.func, rec.scope)  # type: ignore[attr-defined]
        at = next((i for i, a in enumerate(call.args) if a is arg), None)
        if at is not None and isinstance(callee, Qual) and self.catalog.canonical(callee.qual) == "functools.partial":  # type: ignore[attr-defined]
            rest = ast.Call(func=arg, args=call.args[at + 1:], keywords=call.keywords)
            return _Use(rec, bind_args(fn, rest, skip_self=skip), True, test)  # the rest comes later
        ran = self.run_here(call, rec.scope)  # type: ignore[attr-defined]
        if ran is not None and ran[0].args[ran[1]] is arg:  # asyncio.to_thread(f, agent, ...)
            holder = ran[0]
            rest = ast.Call(func=arg, args=holder.args[ran[1] + 1:], keywords=holder.keywords)
            return _Use(rec, bind_args(fn, rest, skip_self=skip), _starred(rest), test)
        thread = self.thread_call(call, arg, rec.scope)  # type: ignore[attr-defined]  # Thread(target=f, args=(agent,))
        if thread is not None:
            return _Use(rec, bind_args(fn, thread, skip_self=skip), _starred(thread), test)
        return _Use(rec, None, True, test)


def _builds_itself(cls: ast.ClassDef) -> bool:
    """Whether a class method of `cls` builds the class through its first parameter (`return cls(llm)`)."""
    for m in cls.body:
        if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef)) and m.args.args and \
                any(decorator_name(d) == "classmethod" for d in m.decorator_list):
            first = m.args.args[0].arg
            if any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == first for n in ast.walk(m)):
                return True
    return False


def _value(p: _Passed) -> Optional[Value]:
    """The value a parameter holds by what its callers pass: their model objects merged (partial when
    some caller is not followed), or the one project factory they all pass; None when a caller passes
    no model, nothing is known, or models and factories are mixed."""
    if p.against or bool(p.models) == bool(p.factories):
        return None
    if p.factories:
        distinct = {f.node for f in p.factories}
        return p.factories[0] if len(distinct) == 1 and not p.unresolved else None
    r = merge_runnables(p.models) if len(p.models) > 1 else p.models[0]
    if r is None:
        return None
    return replace(r, partial=bool(p.unresolved) or r.partial, passed=True)


def _mark(e: ast.expr, scope: "Scope", found: dict, hops: int) -> None:
    """Note in `found` the parameters receiver `e` is built from (see `_request_receivers`); `hops`:
    locals and `self` attributes followed to their value."""
    while True:
        t = type(e)
        if t is ast.Call:
            e = e.func  # type: ignore[attr-defined]
        elif t is ast.Await:
            e = e.value  # type: ignore[attr-defined]
        elif t is ast.BinOp and type(e.op) is ast.BitOr:  # type: ignore[attr-defined]  # prompt | llm
            _mark(e.left, scope, found, hops)  # type: ignore[attr-defined]
            e = e.right  # type: ignore[attr-defined]
        elif t is ast.Attribute:
            at = _self_attribute(e, scope)
            if at is None:
                e = e.value  # type: ignore[attr-defined]  # llm.with_structured_output(X).invoke
                continue
            if hops > 0:  # self.llm: what __init__ (or another method) sets it to
                for value, sc in at[0].attrs.get(at[1], ())[:4]:
                    _mark(value, sc, found, hops - 1)
            return
        else:
            break
    if type(e) is not ast.Name:
        return
    b = binding_of(e.id, scope)  # type: ignore[attr-defined]
    if b is None:
        return
    if b[0] == "param":
        found.setdefault(b[2].node, set()).add(e.id)  # type: ignore[attr-defined]
    elif b[0] == "assign" and hops > 0 and isinstance(b[1], ast.expr):
        _mark(b[1], b[2], found, hops - 1)


def _self_attribute(e: ast.expr, scope: "Scope") -> Optional[tuple["Scope", str]]:
    """(class scope, attribute) when `e` is `self.<attribute>` in a method, else None."""
    if not (isinstance(e, ast.Attribute) and isinstance(e.value, ast.Name)):
        return None
    s: Optional["Scope"] = scope
    while s is not None and s.kind != "function":
        s = s.parent
    while s is not None and s.kind == "function" and s.self_name is None:  # a function nested in a method
        s = s.parent
    if s is None or s.self_name != e.value.id:
        return None
    cls = enclosing_class(s)
    return (cls, e.attr) if cls is not None else None


def _function_scope(p: Param) -> Optional["Scope"]:
    """The scope of the function whose parameter `p` is (not a lambda's)."""
    fs = p.scope
    return fs if fs.kind == "function" and isinstance(fs.node, (ast.FunctionDef, ast.AsyncFunctionDef)) else None


def _starred(call: ast.Call) -> bool:
    return any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords)


_USE_PATTERNS: dict[str, "re.Pattern[bytes]"] = {}


def _use_pattern(name: str) -> "re.Pattern[bytes]":
    """What a file's bytes hold where a call names `name` (`_naming_calls`): the word followed by the
    token after a callee (`(`) or after an argument (`,`, `)`), with only spaces, line breaks, comments
    or line continuations between (each read one way only: linear). A file without it holds no such
    call (compiled once per name)."""
    got = _USE_PATTERNS.get(name)
    if got is None:
        got = _USE_PATTERNS[name] = re.compile(rb"(?<!\w)" + re.escape(name.encode()) + rb"(?:\s|\\|#[^\r\n]*[\r\n])*[(,)]")
    return got


def _naming_calls(info: "ModuleInfo") -> dict[str, list[tuple["CallRecord", Optional[ast.expr]]]]:
    """The module's calls by the last name of what they call (`f(...)`, `obj.f(...)`: (call, None)) or of
    a name or attribute they hand on (`partial(f, ...)`, `to_thread(obj.f, ...)`: (call, that argument)).
    Built once per module."""
    got = getattr(info, "_naming_calls", None)
    if got is None:
        got = {}
        for rec in info.calls:
            f = rec.node.func
            n = f.id if type(f) is ast.Name else f.attr if type(f) is ast.Attribute else None  # type: ignore[attr-defined]
            if n:
                got.setdefault(n, []).append((rec, None))
            for a in [*rec.node.args, *(k.value for k in rec.node.keywords)]:
                n = a.id if type(a) is ast.Name else a.attr if type(a) is ast.Attribute else None  # type: ignore[attr-defined]
                if n:
                    got.setdefault(n, []).append((rec, a))
        for uses in got.values():
            uses.sort(key=lambda u: (u[0].node.lineno, u[0].node.col_offset))
        info._naming_calls = got  # type: ignore[attr-defined]
    return got


def _defaults_to_none(fs: "Scope", name: str) -> bool:
    """Whether parameter `name` of the function of `fs` defaults to None."""
    d = param_default(fs.node, name)
    return type(d) is ast.Constant and d.value is None  # type: ignore[attr-defined]
