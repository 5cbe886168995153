"""The call-site resolver: the one place that decides "this expression is an LLM call".

It answers, for every call in a module: is it a call that spends (or sets up) LLM tokens, and
what are its provider, SDK, API, model, system prompt, messages and attribution tag. Rules ask
it; none re-derives it.

How it works: one light pass over Python's `ast` collects scopes and name bindings (imports,
assignments, parameters, `with ... as`, `self.x = ...` in any method), then each call's callee is
evaluated symbolically into a small value lattice (an SDK name, a client, a resource path on a
client, a project function or class, an unknown receiver with an attribute chain). SDK knowledge
comes from the catalog data; the resolver names no SDK. Project modules imported by the file are
read (never executed) through the `Project` on demand, so clients, constants and wrappers defined
elsewhere resolve too.
"""

from __future__ import annotations

import ast
import hashlib
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Iterator, Optional

from tokenlint.catalog import ClientType, Constructor, Method, SdkCatalog

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.project import ModuleSource, Project

MAX_DEPTH = 40

# ------------------------------------------------------------------ values


class Value:
    """Symbolic value of an expression. Subclasses below; UNKNOWN when nothing is known."""

    __slots__ = ()


class _Unknown(Value):
    __slots__ = ()

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()


@dataclass(frozen=True, eq=False)
class Qual(Value):
    """A name from an external (non-project) module, e.g. "openai.OpenAI" or "twilio.rest.Client()"."""

    qual: str
    called: bool = False  # the result of calling it: known, but nothing we model


@dataclass(frozen=True, eq=False)
class ProjModule(Value):
    module: "ModuleSource"
    dotted: str


@dataclass(eq=False)
class Client(Value):
    ctype: ClientType
    provider: str
    is_async: bool = False
    calls: tuple[tuple[ast.Call, "Scope"], ...] = ()  # constructor and with_options calls (tags, model)
    backend: str | None = None


@dataclass(frozen=True, eq=False)
class Resource(Value):
    client: Client
    path: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class ClientMethod(Value):
    """A bound client method returning the client (with_options, copy)."""

    client: Client


@dataclass(frozen=True, eq=False)
class Session(Value):
    ctypes: tuple[ClientType, ...]


@dataclass(frozen=True, eq=False)
class SessionMethod(Value):
    ctypes: tuple[ClientType, ...]


@dataclass(frozen=True, eq=False)
class Func(Value):
    node: ast.FunctionDef | ast.AsyncFunctionDef
    scope: "Scope"  # the function's own scope
    bound: Optional["Instance"] = None


@dataclass(frozen=True, eq=False)
class ClassV(Value):
    node: ast.ClassDef
    scope: "Scope"


@dataclass(frozen=True, eq=False)
class Instance(Value):
    cls: ClassV


@dataclass(frozen=True, eq=False)
class Str(Value):
    value: str | None
    kind: str  # literal | constant | env | config
    env: str | None = None


@dataclass(frozen=True, eq=False)
class Param(Value):
    name: str
    func: ast.AST
    scope: "Scope"
    default: ast.expr | None = None


@dataclass(frozen=True, eq=False)
class Chain(Value):
    """An attribute chain on a receiver of unknown type (an untyped parameter, an opaque attribute)."""

    path: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Opaque(Value):
    """A known object with no LLM meaning (a LangChain model object, a number, a None)."""

    what: str = ""


# ------------------------------------------------------------------ scopes


class Scope:
    __slots__ = ("node", "parent", "kind", "bindings", "lines", "module", "cls", "params", "self_name",
                 "attrs", "name", "qualname")

    def __init__(self, node: ast.AST, parent: Optional["Scope"], kind: str, module: "ModuleInfo",
                 name: str = "", qualname: str = "") -> None:
        self.node = node
        self.parent = parent
        self.kind = kind  # module | function | class
        self.bindings: dict[str, list[tuple[str, Any]]] = {}
        self.lines: dict[str, list[int]] = {}  # the line of the statement making each binding
        self.module = module
        self.cls: Optional[Scope] = None  # for methods: the class scope
        self.params: dict[str, ast.arg] = {}
        self.self_name: str | None = None
        self.attrs: dict[str, list[tuple[ast.expr, Scope]]] = {}  # class scopes: self.attr assignments
        self.name = name
        self.qualname = qualname

    def bind(self, name: str, kind: str, data: Any) -> None:
        self.bindings.setdefault(name, []).append((kind, data))
        self.lines.setdefault(name, []).append(self.module.line)


@dataclass
class CallRecord:
    node: ast.Call
    scope: Scope
    in_loop: bool
    parent_call: ast.Call | None = None  # the call this call's result is used on (x(...).with_config(...))


class ModuleInfo:
    """Scopes, bindings and calls of one parsed module."""

    def __init__(self, tree: ast.Module, source: "ModuleSource") -> None:
        self.tree = tree
        self.source = source
        self.scope = Scope(tree, None, "module", self, qualname="")
        self.calls: list[CallRecord] = []
        self.func_scopes: dict[ast.AST, Scope] = {}
        self.class_scopes: dict[ast.AST, Scope] = {}
        self.has_main_guard = False
        self.awaited: set[ast.Call] = set()
        self.line = 0  # while binding: the line of the statement being read
        _Binder(self).run()


class _Binder:
    """One pass: scopes, bindings, self attributes, calls with loop context."""

    def __init__(self, info: ModuleInfo) -> None:
        self.info = info
        self._outer: dict[ast.Call, ast.Call] = {}

    def run(self) -> None:
        self._body(self.info.tree.body, self.info.scope, 0)
        if self._outer:
            for rec in self.info.calls:
                rec.parent_call = self._outer.get(rec.node)

    # statements ------------------------------------------------------------
    def _body(self, stmts: list[ast.stmt], scope: Scope, loop: int) -> None:
        for s in stmts:
            self._stmt(s, scope, loop)

    def _stmt(self, s: ast.stmt, scope: Scope, loop: int) -> None:
        t = type(s)
        self.info.line = s.lineno
        if t is ast.FunctionDef or t is ast.AsyncFunctionDef:
            self._function(s, scope, loop)  # type: ignore[arg-type]
        elif t is ast.ClassDef:
            self._class(s, scope, loop)  # type: ignore[arg-type]
        elif t is ast.Import:
            for a in s.names:  # type: ignore[attr-defined]
                if a.asname:
                    scope.bind(a.asname, "import", a.name)
                else:
                    top = a.name.split(".")[0]
                    scope.bind(top, "import", top)
        elif t is ast.ImportFrom:
            mod = s.module or ""  # type: ignore[attr-defined]
            level = s.level  # type: ignore[attr-defined]
            for a in s.names:  # type: ignore[attr-defined]
                if a.name == "*":
                    scope.bind("*", "star", (level, mod))
                    continue
                scope.bind(a.asname or a.name, "from", (level, mod, a.name))
        elif t is ast.Assign:
            self._expr(s.value, scope, loop)  # type: ignore[attr-defined]
            for tgt in s.targets:  # type: ignore[attr-defined]
                self._target(tgt, s.value, scope, loop)  # type: ignore[attr-defined]
        elif t is ast.AnnAssign:
            if s.value is not None:  # type: ignore[attr-defined]
                self._expr(s.value, scope, loop)  # type: ignore[attr-defined]
            tgt = s.target  # type: ignore[attr-defined]
            if isinstance(tgt, ast.Name):
                if s.value is not None:  # type: ignore[attr-defined]
                    scope.bind(tgt.id, "assign", s.value)  # type: ignore[attr-defined]
                scope.bind(tgt.id, "annot", s.annotation)  # type: ignore[attr-defined]
            else:
                self._target(tgt, s.value, scope, loop, s.annotation)  # type: ignore[attr-defined]
        elif t is ast.AugAssign:
            self._expr(s.value, scope, loop)  # type: ignore[attr-defined]
            self._expr(s.target, scope, loop)  # type: ignore[attr-defined]
        elif t is ast.For or t is ast.AsyncFor:
            if t is ast.AsyncFor and type(s.iter) is ast.Call:  # type: ignore[attr-defined]
                self.info.awaited.add(s.iter)  # type: ignore[attr-defined]
            self._expr(s.iter, scope, loop)  # type: ignore[attr-defined]
            self._target(s.target, None, scope, loop)  # type: ignore[attr-defined]
            self._body(s.body, scope, loop + 1)  # type: ignore[attr-defined]
            self._body(s.orelse, scope, loop)  # type: ignore[attr-defined]
        elif t is ast.While:
            self._expr(s.test, scope, loop + 1)  # type: ignore[attr-defined]
            self._body(s.body, scope, loop + 1)  # type: ignore[attr-defined]
            self._body(s.orelse, scope, loop)  # type: ignore[attr-defined]
        elif t is ast.With or t is ast.AsyncWith:
            for item in s.items:  # type: ignore[attr-defined]
                if t is ast.AsyncWith and type(item.context_expr) is ast.Call:
                    self.info.awaited.add(item.context_expr)
                self._expr(item.context_expr, scope, loop)
                if item.optional_vars is not None:
                    if isinstance(item.optional_vars, ast.Name):
                        scope.bind(item.optional_vars.id, "with", item.context_expr)
                    else:
                        self._target(item.optional_vars, None, scope, loop)
            self._body(s.body, scope, loop)  # type: ignore[attr-defined]
        elif t is ast.If:
            test = s.test  # type: ignore[attr-defined]
            if scope.kind == "module" and _is_main_guard(test):
                self.info.has_main_guard = True
            self._expr(test, scope, loop)
            self._body(s.body, scope, loop)  # type: ignore[attr-defined]
            self._body(s.orelse, scope, loop)  # type: ignore[attr-defined]
        elif t is ast.Try or getattr(ast, "TryStar", None) is t:
            self._body(s.body, scope, loop)  # type: ignore[attr-defined]
            for h in s.handlers:  # type: ignore[attr-defined]
                if h.name:
                    scope.bind(h.name, "unknown", None)
                self._body(h.body, scope, loop)
            self._body(s.orelse, scope, loop)  # type: ignore[attr-defined]
            self._body(s.finalbody, scope, loop)  # type: ignore[attr-defined]
        elif t is ast.Match:
            self._expr(s.subject, scope, loop)  # type: ignore[attr-defined]
            for case in s.cases:  # type: ignore[attr-defined]
                for n in ast.walk(case.pattern):
                    nm = getattr(n, "name", None)
                    if isinstance(nm, str):
                        scope.bind(nm, "unknown", None)
                if case.guard is not None:
                    self._expr(case.guard, scope, loop)
                self._body(case.body, scope, loop)
        elif t is ast.Global or t is ast.Nonlocal:
            pass
        else:
            for child in ast.iter_child_nodes(s):
                if isinstance(child, ast.expr):
                    self._expr(child, scope, loop)
                elif isinstance(child, ast.stmt):
                    self._stmt(child, scope, loop)

    def _target(self, tgt: ast.expr, value: ast.expr | None, scope: Scope, loop: int,
                annotation: ast.expr | None = None) -> None:
        if isinstance(tgt, ast.Name):
            scope.bind(tgt.id, "assign" if value is not None else "unknown", value)
        elif isinstance(tgt, ast.Attribute):
            self._expr(tgt.value, scope, loop)
            base = tgt.value
            if isinstance(base, ast.Name) and scope.self_name and base.id == scope.self_name and scope.cls:
                lst = scope.cls.attrs.setdefault(tgt.attr, [])
                if value is not None:
                    lst.append((value, scope))
                if annotation is not None:
                    lst.append((ast.Call(func=annotation, args=[], keywords=[]), scope))
        elif isinstance(tgt, (ast.Tuple, ast.List)):
            vals = value.elts if isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(tgt.elts) else None
            for i, e in enumerate(tgt.elts):
                self._target(e, vals[i] if vals else None, scope, loop)
        elif isinstance(tgt, ast.Starred):
            self._target(tgt.value, None, scope, loop)
        else:
            self._expr(tgt, scope, loop)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, scope: Scope, loop: int) -> None:
        for d in node.decorator_list:
            self._expr(d, scope, loop)
        args = node.args
        for d in list(args.defaults) + [d for d in args.kw_defaults if d is not None]:
            self._expr(d, scope, loop)
        scope.bind(node.name, "def", node)
        qual = f"{scope.qualname}.{node.name}" if scope.qualname else node.name
        fs = Scope(node, scope, "function", self.info, name=node.name, qualname=qual)
        self.info.func_scopes[node] = fs
        all_args = list(args.posonlyargs) + list(args.args)
        defaults: dict[str, ast.expr] = {}
        for a, d in zip(all_args[len(all_args) - len(args.defaults):], args.defaults):
            defaults[a.arg] = d
        for a, d in zip(args.kwonlyargs, args.kw_defaults):
            if d is not None:
                defaults[a.arg] = d
        is_static = any(_decorator_name(d) == "staticmethod" for d in node.decorator_list)
        is_cls = any(_decorator_name(d) == "classmethod" for d in node.decorator_list)
        params = all_args + list(args.kwonlyargs)
        if args.vararg:
            fs.bind(args.vararg.arg, "unknown", None)
        if args.kwarg:
            fs.bind(args.kwarg.arg, "unknown", None)
        for i, a in enumerate(params):
            fs.params[a.arg] = a
            if i == 0 and scope.kind == "class" and not is_static:
                fs.cls = scope
                fs.self_name = a.arg
                fs.bind(a.arg, "cls" if is_cls else "self", scope)
                continue
            fs.bind(a.arg, "param", (a, node, defaults.get(a.arg)))
        if scope.kind == "function" and scope.cls is not None:
            fs.cls = None
        self._body(node.body, fs, 0)

    def _class(self, node: ast.ClassDef, scope: Scope, loop: int) -> None:
        for d in node.decorator_list:
            self._expr(d, scope, loop)
        for b in node.bases:
            self._expr(b, scope, loop)
        for k in node.keywords:
            self._expr(k.value, scope, loop)
        scope.bind(node.name, "class", node)
        qual = f"{scope.qualname}.{node.name}" if scope.qualname else node.name
        cs = Scope(node, scope, "class", self.info, name=node.name, qualname=qual)
        self.info.class_scopes[node] = cs
        self._body(node.body, cs, loop)

    # expressions -----------------------------------------------------------
    def _expr(self, e: ast.expr | None, scope: Scope, loop: int, parent_call: ast.Call | None = None) -> None:
        if e is None:
            return
        stack: list[tuple[ast.AST, int, ast.Call | None]] = [(e, loop, parent_call)]
        info = self.info
        while stack:
            node, lp, pc = stack.pop()
            t = type(node)
            if t is ast.Call:
                info.calls.append(CallRecord(node, scope, lp > 0, pc))  # type: ignore[arg-type]
                func = node.func  # type: ignore[attr-defined]
                # x(...).attr(...) : remember the outer call for the inner one (with_config tags)
                stack.append((func, lp, None))
                for a in node.args:  # type: ignore[attr-defined]
                    stack.append((a, lp, None))
                for k in node.keywords:  # type: ignore[attr-defined]
                    stack.append((k.value, lp, None))
                if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call):
                    # fix up the record of the inner call once it is visited
                    self._outer[func.value] = node  # type: ignore[assignment]
                continue
            if t is ast.Lambda:
                ls = Scope(node, scope, "function", info, name="<lambda>",
                           qualname=f"{scope.qualname}.<lambda>" if scope.qualname else "<lambda>")
                for a in node.args.args + node.args.kwonlyargs:  # type: ignore[attr-defined]
                    ls.bind(a.arg, "param", (a, node, None))
                    ls.params[a.arg] = a
                info.func_scopes[node] = ls
                self._expr(node.body, ls, 0)  # type: ignore[attr-defined]
                continue
            if t in (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp):
                for g in node.generators:  # type: ignore[attr-defined]
                    stack.append((g.iter, lp, None))
                    for n in ast.walk(g.target):
                        if isinstance(n, ast.Name):
                            scope.bind(n.id, "unknown", None)
                    for c in g.ifs:
                        stack.append((c, lp + 1, None))
                if t is ast.DictComp:
                    stack.append((node.key, lp + 1, None))  # type: ignore[attr-defined]
                    stack.append((node.value, lp + 1, None))  # type: ignore[attr-defined]
                else:
                    stack.append((node.elt, lp + 1, None))  # type: ignore[attr-defined]
                continue
            if t is ast.Await and type(node.value) is ast.Call:  # type: ignore[attr-defined]
                info.awaited.add(node.value)  # type: ignore[attr-defined]
            if t is ast.NamedExpr:
                tgt = node.target  # type: ignore[attr-defined]
                scope.bind(tgt.id, "assign", node.value)  # type: ignore[attr-defined]
            for fname in _child_fields(t):
                child = getattr(node, fname, None)
                if child is None:
                    continue
                if type(child) is list:
                    for c in child:
                        if type(c) not in _LEAVES and isinstance(c, ast.AST):
                            stack.append((c, lp, None))
                elif type(child) not in _LEAVES and isinstance(child, ast.AST):
                    stack.append((child, lp, None))




# Expression nodes with nothing inside that can hold a call; skipped without a visit.
_LEAVES = frozenset({ast.Name, ast.Constant, ast.Load, ast.Store, ast.Del, ast.Pass})
_NOT_CHILDREN = frozenset({"ctx", "op", "ops", "conversion", "type_comment", "kind", "is_async", "level",
                           "attr", "id", "arg", "name", "names", "module"})
_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields(t: type) -> tuple[str, ...]:
    got = _FIELDS.get(t)
    if got is None:
        got = _FIELDS[t] = tuple(f for f in t._fields if f not in _NOT_CHILDREN)  # type: ignore[attr-defined]
    return got


def _decorator_name(d: ast.expr) -> str:
    if isinstance(d, ast.Name):
        return d.id
    if isinstance(d, ast.Attribute):
        return d.attr
    if isinstance(d, ast.Call):
        return _decorator_name(d.func)
    return ""


def _is_main_guard(test: ast.expr) -> bool:
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id == "__name__"
            and len(test.comparators) == 1 and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value == "__main__")


# ------------------------------------------------------------------ site records


@dataclass
class Arg:
    """What an argument of a call site is: `{text, kind, value}` (model, tag)."""

    text: str | None
    kind: str  # literal | constant | env | config | parameter | dynamic | missing
    value: str | None = None
    env: str | None = None
    param: str | None = None  # for kind == parameter: the enclosing function's parameter name
    pinned: bool | None = None
    # where the string value is written (a literal here, in a constant, in an env default): rules
    # report and fix model names there, once, rather than at every call that uses them
    origin: ast.expr | None = field(default=None, repr=False, compare=False)
    origin_source: Optional["ModuleSource"] = field(default=None, repr=False, compare=False)

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"text": self.text, "kind": self.kind, "value": self.value}
        if self.env:
            d["env"] = self.env
        return d


@dataclass
class Prompt:
    """A prompt expression (system prompt or messages) and its static / dynamic structure."""

    text: str
    kind: str  # literal | constant | fstring | format | concat | percent | list | dynamic | parameter
    static: bool
    node: ast.expr | None = field(default=None, repr=False)
    scope: Optional[Scope] = field(default=None, repr=False)
    where: str = ""  # the kwarg or "messages[role=system]"

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "kind": self.kind, "static": self.static, "where": self.where}


@dataclass
class CallSite:
    path: str
    line: int
    column: int  # 1-based, in characters
    end_line: int
    end_column: int
    provider: str
    sdk: str
    api: str
    kind: str  # direct | wrapper
    confidence: str  # resolved | inferred
    function: str | None
    cls: str | None
    qualname: str
    model: Arg
    feature: str | None
    tag: Arg | None
    tag_via: str | None
    is_async: bool
    stream: bool
    in_loop: bool
    spends: bool
    backend: str | None = None
    system: Prompt | None = None
    messages: Prompt | None = None
    target: str | None = None  # wrapper: id of the underlying site
    wrapper: str | None = None  # wrapper: qualified name of the called project function
    id: str = ""
    node: ast.Call | None = field(default=None, repr=False, compare=False)
    scope: Optional[Scope] = field(default=None, repr=False, compare=False)
    method: Method | None = field(default=None, repr=False, compare=False)
    forwards: frozenset[str] = frozenset()  # parameters of the enclosing function this site forwards
    tag_style: str | None = None  # how a tag is added to this call (catalog data), for TKL101's fix

    def light(self) -> "CallSite":
        """A copy without syntax trees and scopes (for reports and for crossing process boundaries)."""

        def arg(a: Optional[Arg]) -> Optional[Arg]:
            return None if a is None else replace(a, origin=None, origin_source=None)

        def prompt(p: Optional[Prompt]) -> Optional[Prompt]:
            return None if p is None else replace(p, node=None, scope=None)

        return replace(self, node=None, scope=None, method=None, model=arg(self.model),  # type: ignore[arg-type]
                       tag=arg(self.tag), system=prompt(self.system), messages=prompt(self.messages))

    def as_dict(self) -> dict[str, Any]:
        d = {
            "id": self.id, "path": self.path, "line": self.line, "column": self.column,
            "end_line": self.end_line, "end_column": self.end_column, "provider": self.provider,
            "sdk": self.sdk, "api": self.api, "kind": self.kind, "confidence": self.confidence,
            "function": self.function, "class": self.cls,
            "model": {**self.model.as_dict(), "pinned": self.model.pinned},
            "feature": self.feature,
            "tag": None if self.tag is None else {**self.tag.as_dict(), "via": self.tag_via},
            "async": self.is_async, "stream": self.stream, "in_loop": self.in_loop, "spends": self.spends,
            "backend": self.backend,
            "system": self.system.as_dict() if self.system else None,
            "messages": self.messages.as_dict() if self.messages else None,
        }
        if self.kind == "wrapper":
            d["target"] = self.target
            d["wrapper"] = self.wrapper
        return d


# ------------------------------------------------------------------ the resolver


OPAQUE_TYPE_MODULES = ("typing.", "typing_extensions.", "collections.abc.", "builtins.")
# standard functions that call the function they are given with the keyword arguments they get
KEYWORD_FORWARDERS = frozenset({"asyncio.to_thread", "functools.partial", "starlette.concurrency.run_in_threadpool"})
CONFIG_HINTS = ("settings", "config", "conf", "cfg", "options", "opts", "env", "params", "args")


class Resolver:
    """Evaluates expressions of one project's modules. One per run; memoizes across modules."""

    def __init__(self, project: "Project", catalog: SdkCatalog, feature_key: str = "feature") -> None:
        self.project = project
        self.catalog = catalog
        self.feature_key = feature_key
        self._func_sites: dict[ast.AST, list[CallSite]] = {}
        self._in_progress: set[ast.AST] = set()
        self._returns: dict[ast.AST, Value] = {}
        self._param_returns: dict[ast.AST, list[tuple[str, str, ast.expr]]] = {}
        # last names of the catalog's request methods: a cheap test before evaluating an argument
        self._method_names = frozenset(path.rpartition(".")[2] for ct in catalog.client_types.values()
                                       for path in ct.methods)
        self._depth = 0
        self._memo: dict[ast.AST, Value] = {}
        self._active: set[ast.AST] = set()
        self._bind_memo: dict[Any, Value] = {}
        self._bind_active: set[Any] = set()
        project.resolver = self  # rules follow imported names through `definition()`

    # ---- names -------------------------------------------------------------
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
                            if _useful(v):
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

    def _known_qual(self, qual: str) -> bool:
        c = self.catalog
        q = c.canonical(qual)
        return (q in c.classes or q in c.constructors or q in c.factories or c.module_method(q) is not None
                or q in c.passthrough_functions or q in c.session_classes or q in c.wrappers
                or q in c.from_model_string)

    def _from_bindings(self, name: str, bindings: list[tuple[str, Any]], scope: Scope, n: int = 0) -> Value:
        """The value of a name from its bindings in `scope` (`n`: from the first n only)."""
        key: Any = (id(bindings), n) if n else id(bindings)
        v = self._bind_memo.get(key)
        if v is not None:
            return v
        if key in self._bind_active:
            return UNKNOWN
        self._bind_active.add(key)
        try:
            v = self._from_bindings_uncached(name, bindings[:n] if n else bindings, scope)
        finally:
            self._bind_active.discard(key)
        self._bind_memo[key] = v
        return v

    def _from_bindings_uncached(self, name: str, bindings: list[tuple[str, Any]], scope: Scope) -> Value:
        best: Value = UNKNOWN
        for kind, data in reversed(bindings):
            v = self._binding_value(name, kind, data, scope)
            if _useful(v):
                return v
            if best is UNKNOWN and v is not UNKNOWN and not isinstance(v, Opaque):
                best = v
        return best

    def _binding_value(self, name: str, kind: str, data: Any, scope: Scope) -> Value:
        if kind == "import":
            return self._import_module(scope.module, data)
        if kind == "from":
            level, mod, attr = data
            return self._import_from(scope.module, level, mod, attr)
        if kind == "assign":
            return self.infer(data, scope)
        if kind == "annot":
            return self._annotation(data, scope)
        if kind == "with":
            v = self.infer(data, scope)
            return v
        if kind == "param":
            arg, func, default = data
            if arg.annotation is not None:
                v = self._annotation(arg.annotation, scope.parent or scope)
                if v is not UNKNOWN:
                    return v
            return Param(name, func, scope, default)
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
        return UNKNOWN

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
            if sub is not None:
                return ProjModule(sub, sub.dotted)
            return self._module_attr(base, attr)
        full = f"{mod}.{attr}"
        sub = self.project.find_module(full, module.source)
        if sub is not None:
            return ProjModule(sub, full)
        ms = self.project.find_module(mod, module.source)
        if ms is not None:
            return self._module_attr(ms, attr)
        return Qual(self.catalog.canonical(full))

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
            if star:
                for _k, (level, mod) in star:
                    v = self._import_from(info, level, mod, attr)
                    if v is not UNKNOWN:
                        return v
            return UNKNOWN
        key = (ms.path, attr)
        if key in self._in_progress:
            return UNKNOWN
        self._in_progress.add(key)  # type: ignore[arg-type]
        try:
            return self._from_bindings(attr, b, info.scope)
        finally:
            self._in_progress.discard(key)  # type: ignore[arg-type]

    def _annotation(self, ann: ast.expr, scope: Scope, depth: int = 0) -> Value:
        if isinstance(ann, ast.Constant) and isinstance(ann.value, str):
            try:
                ann = ast.parse(ann.value, mode="eval").body
            except SyntaxError:
                return UNKNOWN
        if isinstance(ann, ast.BinOp) and isinstance(ann.op, ast.BitOr):
            for side in (ann.left, ann.right):
                v = self._annotation(side, scope, depth)
                if v is not UNKNOWN:
                    return v
            return UNKNOWN
        if isinstance(ann, (ast.Name, ast.Attribute)) and depth < 4:
            # a type alias: `ChatClient: TypeAlias = AsyncOpenAI | AsyncAzureOpenAI`, `Optional[OpenAI]`
            alias = _binding_of(ann.id, scope) if isinstance(ann, ast.Name) else None
            if alias is not None and alias[0] == "annot":  # X: TypeAlias = A | B
                got = _assigned(ann.id, scope)  # type: ignore[union-attr]
                alias = ("assign", got[0], got[1]) if got is not None else None
            if alias is not None and alias[0] == "from":
                d = self._import_def(alias[0], alias[1], alias[2])
                alias = ("assign", d[0], d[1]) if d is not None else None
            found = (alias[1], alias[2]) if alias is not None and alias[0] == "assign" else \
                self._attr_def(ann, scope) if isinstance(ann, ast.Attribute) else None
            if found is not None and isinstance(found[0], (ast.BinOp, ast.Subscript)):
                return self._annotation(found[0], found[1], depth + 1)
        if isinstance(ann, ast.Subscript):
            base = self.infer(ann.value, scope)
            if isinstance(base, Qual) and base.qual.rpartition(".")[2] in ("Optional", "Union", "Annotated"):
                sl = ann.slice
                elts = sl.elts if isinstance(sl, ast.Tuple) else [sl]
                for e in elts:
                    v = self._annotation(e, scope, depth)
                    if v is not UNKNOWN:
                        return v
            return UNKNOWN
        cls = self.infer(ann, scope)
        if isinstance(cls, Qual):
            if cls.qual.startswith(OPAQUE_TYPE_MODULES) or cls.qual in ("object", "Any"):
                return UNKNOWN
            return self._call_qual(cls, None, scope, annotation=True)
        if isinstance(cls, ClassV):
            return Instance(cls)
        return UNKNOWN

    # ---- expressions -------------------------------------------------------
    def infer(self, e: ast.expr, scope: Scope) -> Value:
        """The value of `e` (evaluated in `scope`), memoized per node; cycles give UNKNOWN."""
        memo = self._memo
        v = memo.get(e)
        if v is not None:
            return v
        if self._depth > MAX_DEPTH or e in self._active:
            return UNKNOWN
        self._depth += 1
        self._active.add(e)
        try:
            v = self._infer(e, scope)
        finally:
            self._depth -= 1
            self._active.discard(e)
        memo[e] = v
        return v

    def _infer(self, e: ast.expr, scope: Scope) -> Value:
        t = type(e)
        if t is ast.Name:
            return self.lookup(e.id, scope, e.lineno)  # type: ignore[attr-defined]
        if t is ast.Attribute:
            return self.attribute(self.infer(e.value, scope), e.attr, scope)  # type: ignore[attr-defined]
        if t is ast.Call:
            return self.call_value(e, scope)  # type: ignore[arg-type]
        if t is ast.Await:
            return self.infer(e.value, scope)  # type: ignore[attr-defined]
        if t is ast.Constant:
            if isinstance(e.value, str):  # type: ignore[attr-defined]
                return Str(e.value, "literal")  # type: ignore[attr-defined]
            return Opaque("constant")
        if t is ast.Subscript:
            return self._subscript(e, scope)  # type: ignore[arg-type]
        if t is ast.BoolOp:
            for v in e.values:  # type: ignore[attr-defined]
                r = self.infer(v, scope)
                if _useful(r):
                    return r
            return UNKNOWN
        if t is ast.IfExp:
            for v in (e.body, e.orelse):  # type: ignore[attr-defined]
                r = self.infer(v, scope)
                if _useful(r):
                    return r
            return UNKNOWN
        if t is ast.NamedExpr:
            return self.infer(e.value, scope)  # type: ignore[attr-defined]
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
        if not _useful(base):  # a dict literal: names bound to one evaluate to nothing useful
            return self._dict_item(e.value, e.slice, scope)
        return UNKNOWN

    def _dict_item(self, container: ast.expr, key: ast.expr | None, scope: Scope) -> Value:
        """`CLIENTS["claude"]`, `self.clients.get(kind)`: the value of a dict literal the container
        is bound to, for a key known here; for a key known only at run time, the value every
        entry shares (all clients of one SDK surface), else UNKNOWN."""
        found = self._dict_node(container, scope)
        if found is None:
            return UNKNOWN
        node, dscope = found
        kv = self.infer(key, scope) if key is not None else UNKNOWN
        want = kv.value if isinstance(kv, Str) and kv.kind in ("literal", "constant") else None
        values = []
        for k, v in zip(node.keys, node.values):
            if k is None:
                return UNKNOWN  # {**other}: entries not all known
            if want is not None:
                kk = self.infer(k, dscope)
                if isinstance(kk, Str) and kk.value == want:
                    return self.infer(v, dscope)
            else:
                values.append(self.infer(v, dscope))
        if values and all(isinstance(v, Client) and v.ctype is values[0].ctype for v in values):  # type: ignore[attr-defined]
            return values[0]
        return UNKNOWN

    def _dict_node(self, e: ast.expr, scope: Scope) -> tuple[ast.Dict, Scope] | None:
        if isinstance(e, ast.Name):
            b = _binding_of(e.id, scope)
            found = (b[1], b[2]) if b is not None and b[0] == "assign" else None
        elif isinstance(e, ast.Attribute):
            found = self._attr_def(e, scope)
        else:
            return None
        return found if found is not None and isinstance(found[0], ast.Dict) else None  # type: ignore[return-value]

    def attribute(self, base: Value, attr: str, scope: Scope) -> Value:
        t = type(base)
        if t is Qual:
            if base.called:  # type: ignore[attr-defined]
                return Qual(base.qual, called=True)  # type: ignore[attr-defined]
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
        if t is ClassV:
            return self._class_attr(base, attr, scope)  # type: ignore[arg-type]
        if t is Param or t is _Unknown:
            return Chain((attr,))
        if t is Chain:
            return Chain(base.path + (attr,))  # type: ignore[attr-defined]
        if t is Str and attr in ("format", "strip", "lower", "upper", "replace"):
            return Opaque("str-method")
        return Opaque("attr")

    def _class_chain(self, cls: ClassV, seen: Optional[set] = None) -> Iterator[ClassV]:
        seen = seen or set()
        if cls.node in seen:
            return
        seen.add(cls.node)
        yield cls
        parent = cls.scope.parent or cls.scope
        for b in cls.node.bases:
            bv = self.infer(b, parent)
            if isinstance(bv, ClassV):
                yield from self._class_chain(bv, seen)

    def _instance_attr(self, inst: Instance, attr: str) -> Value:
        chain = list(self._class_chain(inst.cls))
        for c in chain:
            for value, sc in reversed(c.scope.attrs.get(attr, ())):
                key = (id(value), attr)
                if key in self._in_progress:
                    continue
                self._in_progress.add(key)  # type: ignore[arg-type]
                try:
                    v = self.infer(value, sc)
                finally:
                    self._in_progress.discard(key)  # type: ignore[arg-type]
                if _useful(v):
                    return v
        for c in chain:
            b = c.scope.bindings.get(attr)
            if b:
                v = self._from_bindings(attr, b, c.scope)
                if isinstance(v, Func):
                    node, decorators = v.node, {_decorator_name(d) for d in v.node.decorator_list}
                    if "setter" in decorators or "deleter" in decorators:  # @x.setter: x's getter
                        node = next((d for k, d in b if k == "def" and _is_property(d)), node)
                        decorators = {"property"} if node is not v.node else decorators
                    bound = Func(node, c.scope.module.func_scopes.get(node) or v.scope, bound=inst)
                    if "property" in decorators or "cached_property" in decorators:
                        return self._func_return(bound, None)
                    return bound
                if _useful(v):
                    return v
        for c in chain:  # a property
            b = c.scope.bindings.get(attr)
            if b:
                return UNKNOWN
        for c in chain:
            if c.scope.attrs.get(attr):
                return Chain((attr,))  # set, but from something unknown (a parameter)
        # unknown base class (from a library): unknown attribute
        return Chain((attr,))

    def _class_attr(self, cls: ClassV, attr: str, scope: Scope) -> Value:
        for c in self._class_chain(cls):
            b = c.scope.bindings.get(attr)
            if b:
                return self._from_bindings(attr, b, c.scope)
        return Chain((attr,))

    # ---- calls -------------------------------------------------------------
    def call_value(self, call: ast.Call, scope: Scope) -> Value:
        callee = self.infer(call.func, scope)
        t = type(callee)
        if t is Qual:
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
        if t is Func:
            v = self._func_return(callee, call)  # type: ignore[arg-type]
            if not _useful(v):
                v = self._bound_return(callee, call, scope) or v  # type: ignore[arg-type]
            return v
        if t is ClassV:
            sdk_base = self._sdk_base(callee)  # type: ignore[arg-type]
            if sdk_base is not None:
                return self._call_qual(sdk_base, call, scope)
            return Instance(callee)  # type: ignore[arg-type]
        if (t is Chain or t is Opaque) and call.args and isinstance(call.func, ast.Attribute) \
                and call.func.attr == "get":  # CLIENTS.get("openai")
            v = self._dict_item(call.func.value, call.args[0], scope)
            if v is not UNKNOWN:
                return v
        if t is Chain or t is Param:
            return Opaque("unknown-call")
        if t is _Unknown and isinstance(call.func, ast.Name):  # builtins
            if call.func.id == "__import__":
                return self._dynamic_import(call, scope)
            if call.func.id == "getattr" and len(call.args) >= 2:  # getattr(client.chat.completions, "create")
                name = self.infer(call.args[1], scope)
                if isinstance(name, Str) and name.value and name.value.isidentifier():
                    return self.attribute(self.infer(call.args[0], scope), name.value, scope)
        return UNKNOWN

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
        return UNKNOWN

    def _bound_return(self, f: Func, call: ast.Call, scope: Scope) -> Value | None:
        """What a call of a project function returns when that depends on the caller's arguments:
        `return cls(**kw)` called with an SDK class, `return import_module(name)` called with a module
        name, `return client` (an identity helper). Evaluated per call; None when nothing is known."""
        forms = self._param_returns.get(f.node)
        if forms is None:
            forms = self._param_returns[f.node] = _param_return_forms(f)
        if not forms:
            return None
        bound = _bind_args(f.node, call, skip_self=f.bound is not None or _is_method(f))
        for kind, param, ret in forms:
            arg = bound.get(param)
            if arg is None:
                continue
            if kind == "import":
                fn = ret.func  # type: ignore[attr-defined]
                if not (isinstance(fn, ast.Name) and fn.id == "__import__"):
                    q = self.infer(fn, f.scope)
                    if not isinstance(q, Qual) or q.qual != "importlib.import_module":
                        continue
                v = self._dynamic_import(ret, f.scope, scope, arg)  # type: ignore[arg-type]
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
            if _useful(v) and not isinstance(v, Str):  # strings (models, prompts) are classified elsewhere
                return v
        return None

    def _sdk_base(self, cls: ClassV) -> Qual | None:
        """The SDK class a project class derives from (class MyClient(OpenAI), class Codex(ChatOpenAI))."""
        for c in self._class_chain(cls):
            parent = c.scope.parent or c.scope
            for b in c.node.bases:
                bv = self.infer(b, parent)
                if isinstance(bv, Qual) and not bv.called:
                    q = self.catalog.canonical(bv.qual)
                    if q in self.catalog.classes or q in self.catalog.constructors:
                        return Qual(q)
        return None

    def _call_qual(self, q: Qual, call: ast.Call | None, scope: Scope, annotation: bool = False) -> Value:
        if q.called:
            return q
        cat = self.catalog
        qual = cat.canonical(q.qual)
        ct = cat.classes.get(qual)
        if ct is not None:
            provider = ct.provider
            for cls, p in ct.class_providers.items():
                if qual == cls or qual.endswith("." + cls.rpartition(".")[2]):
                    provider = p
                    break
            is_async = any(qual == a or qual.endswith("." + a.rpartition(".")[2]) for a in ct.async_classes)
            backend = None
            if call is not None and ct.backend_kwarg:
                for k in call.keywords:
                    if k.arg == ct.backend_kwarg:
                        bv = self.infer(k.value, scope)
                        if isinstance(bv, Str) and bv.value:
                            backend = _host(bv.value)
            return Client(ct, provider, is_async, ((call, scope),) if call is not None else (), backend)
        if call is None:
            if annotation and qual in cat.session_classes:
                return Session(tuple(cat.session_classes.get(qual)))
            return Qual(qual, called=True)
        if qual == "importlib.import_module":
            return self._dynamic_import(call, scope)
        if qual in cat.passthrough_functions:
            idx = cat.passthrough_functions[qual]
            if len(call.args) > idx:
                return self.infer(call.args[idx], scope)
            for k in call.keywords:
                if k.arg == "client":
                    return self.infer(k.value, scope)
            return UNKNOWN
        wrap = cat.wrappers.get(qual)
        if wrap is not None:
            idx, sdk = wrap
            inner_expr = call.args[idx] if len(call.args) > idx else next(
                (k.value for k in call.keywords if k.arg in ("client", "create")), None)
            inner = self.infer(inner_expr, scope) if inner_expr is not None else UNKNOWN
            ct = cat.client_types.get(sdk)
            if ct is None:
                return inner
            if isinstance(inner, Client):
                return Client(ct, inner.provider, inner.is_async, inner.calls + ((call, scope),), inner.backend)
            if isinstance(inner, Qual):  # instructor.from_litellm(litellm.completion)
                mm = cat.module_method(cat.canonical(inner.qual))
                if mm is not None:
                    return Client(ct, mm[0].provider, False, ((call, scope),))
            if isinstance(inner, (Param, Chain)) or inner is UNKNOWN:  # a client passed in: keep the surface
                return Client(ct, ct.provider, False, ((call, scope),))
            return Opaque("wrapped-non-sdk")  # a fake or a project object: not an LLM client
        fms = cat.from_model_string.get(qual)
        if fms is not None:
            idx, sdk = fms
            ct = cat.client_types.get(sdk)
            arg = call.args[idx] if len(call.args) > idx else next(
                (k.value for k in call.keywords if k.arg == "model"), None)
            sv = self.infer(arg, scope) if arg is not None else UNKNOWN
            provider = ct.provider if ct else "unknown"
            if isinstance(sv, Str) and sv.value and "/" in sv.value:
                provider = _provider_name(sv.value.split("/", 1)[0])
            if ct is not None:
                return Client(ct, provider, False, ((call, scope),))
        facts = cat.factories.get(qual)
        if facts:
            return self._factory(tuple(facts), call, scope)
        sess = cat.session_classes.get(qual)
        if sess:
            return Session(tuple(sess))
        sf = cat.session_functions.get(qual)
        if sf:
            return Session(tuple(sf))
        mm = cat.module_method(qual)
        if mm is not None:
            found = mm[0].method(mm[1])
            if found and found[0].returns:
                rct = cat.client_types.get(found[0].returns)
                if rct is not None:
                    return Client(rct, rct.provider, found[1], ((call, scope),))
        return Qual(qual, called=True)

    def _factory(self, ctypes: tuple[ClientType, ...], call: ast.Call, scope: Scope) -> Value:
        service_expr = call.args[0] if call.args else None
        for k in call.keywords:
            if k.arg == "service_name":
                service_expr = k.value
        if service_expr is None:
            return Opaque("aws-client")
        sv = self.infer(service_expr, scope)
        if isinstance(sv, Str) and sv.value:
            for ct in ctypes:
                if ct.service == sv.value:
                    return Client(ct, ct.provider, False, ((call, scope),))
        return Opaque("aws-client")

    def _func_return(self, f: Func, call: ast.Call | None) -> Value:
        node = f.node
        if node in self._returns:
            return self._returns[node]
        if node in self._in_progress:
            return UNKNOWN
        self._in_progress.add(node)
        result: Value = UNKNOWN
        try:
            if node.returns is not None:
                result = self._annotation(node.returns, f.scope.parent or f.scope)
            if not isinstance(result, (Client, Session, Instance)):
                # a @contextmanager's value is what it yields (`with self._client() as c:`)
                cm = any(_decorator_name(d) in ("contextmanager", "asynccontextmanager") for d in node.decorator_list)
                for ret in _returns(node, yields=cm):
                    v = self.infer(ret, f.scope)
                    if _useful(v):
                        result = v
                        break
        finally:
            self._in_progress.discard(node)
        self._returns[node] = result
        return result

    # ---- sites -------------------------------------------------------------
    def module_sites(self, info: ModuleInfo) -> list[CallSite]:
        """Every call site of the module, in source order, with stable ids."""
        sites: list[CallSite] = []
        for owner in calls_by_owner(info):
            sites.extend(self.function_sites(owner, info))
        sites.sort(key=lambda s: (s.line, s.column))
        return sites

    def exports_client(self, info: ModuleInfo) -> bool:
        """Whether other modules can reach an LLM call through this one without naming an SDK:
        a module-level name bound to a client, or a class deriving from an SDK class."""
        for name, bindings in info.scope.bindings.items():
            kinds = {kind for kind, _ in bindings}
            if "assign" in kinds:
                if isinstance(self._from_bindings(name, bindings, info.scope), (Client, Resource)):
                    return True
            if "class" in kinds:
                v = self._from_bindings(name, bindings, info.scope)
                if isinstance(v, ClassV) and self._sdk_base(v) is not None:
                    return True
        return False

    def function_sites(self, owner: ast.AST, info: ModuleInfo) -> list[CallSite]:
        """Sites whose innermost enclosing function (or class, or module) is `owner`, memoized."""
        got = self._func_sites.get(owner)
        if got is not None:
            return got
        if owner in self._in_progress:
            return []
        self._in_progress.add(owner)
        try:
            out = []
            for rec in calls_by_owner(info).get(owner, ()):
                s = self.site_for(rec)
                if s is not None:
                    out.append(s)
            out.sort(key=lambda s: (s.line, s.column))
            assign_ids(out)
        finally:
            self._in_progress.discard(owner)
        self._func_sites[owner] = out
        return out

    def site_for(self, rec: CallRecord) -> CallSite | None:
        try:
            site = self._site_for(rec)
            if site is None and (rec.node.keywords or len(rec.node.args) > 1):
                site = self._forwarded(rec)
        except RecursionError:
            if self._may_be_method(rec.node.func, rec.scope):
                raise  # spelled as an SDK request: the file is reported (TKL000), never a site dropped unseen
            return None  # a binding or import cycle on a call that cannot be a request itself
        return site

    def _request_method(self, callee: Value) -> tuple[Client, Method, bool] | None:
        """The client, catalog method and async-prefix flag of an SDK request method value
        (`client.chat.completions.create`, `litellm.completion`), else None."""
        t = type(callee)
        if t is Resource:
            res: Resource = callee  # type: ignore[assignment]
            found = res.client.ctype.method(res.path)
            return (res.client, found[0], found[1]) if found else None
        if t is Qual and not callee.called:  # type: ignore[attr-defined]
            return self._module_request(self.catalog.canonical(callee.qual))  # type: ignore[attr-defined]
        return None

    def _module_request(self, qual: str) -> tuple[Client, Method, bool] | None:
        mm = self.catalog.module_method(qual)
        if mm is not None:
            found = mm[0].method(mm[1])
            if found:
                return Client(mm[0], mm[0].provider, False, ()), found[0], found[1]
        return None

    def _site_for(self, rec: CallRecord) -> CallSite | None:
        call, scope = rec.node, rec.scope
        callee = self.infer(call.func, scope)
        t = type(callee)
        if t is Resource:
            found = self._request_method(callee)
            return self._direct(rec, *found) if found is not None else None
        if t is Qual:
            q: Qual = callee  # type: ignore[assignment]
            if q.called:
                return None
            qual = self.catalog.canonical(q.qual)
            found = self._module_request(qual)
            if found is not None:
                return self._direct(rec, *found)
            con = self.catalog.constructors.get(qual)
            if con is not None:
                return self._constructor(rec, con)
            return None
        if t is Chain:
            return self._inferred(rec, callee) or self._by_module_name(rec)  # type: ignore[arg-type]
        if t is Func:
            return self._wrapper(rec, callee)  # type: ignore[arg-type]
        if t is ClassV:
            base = self._sdk_base(callee)  # type: ignore[arg-type]
            if base is not None:
                con = self.catalog.constructors.get(base.qual)
                if con is not None:
                    return self._constructor(rec, con)
            return None
        if t is Instance or t is Opaque or t is _Unknown:
            return self._by_module_name(rec)
        return None

    def _forwarded(self, rec: CallRecord) -> CallSite | None:
        """An SDK request method handed, uncalled, to another callable together with the request's
        keyword arguments: `asyncio.to_thread(client.models.generate_content, model=..., contents=...)`,
        `self._call(create, **params)`, `functools.partial(litellm.completion, model=...)`,
        `sync_to_async(client.audio.translations.create)(model=..., file=...)`, or with a dict of them
        (`call(client, client.converse, params)`, `params = {"modelId": ..., "messages": ...}`). The
        call that carries the arguments is the site. A method passed with no request arguments
        (`wraps(fn)`, `patch.object(...)`, `instrument(fn, tracer=t)`) is not. A tag can be added to
        the site only where the arguments are passed on as keywords (TKL101's fix)."""
        call, scope = rec.node, rec.scope
        holder = call
        if not call.args and isinstance(call.func, ast.Call):  # sync_to_async(fn)(**kwargs)
            holder = call.func
        for i, a in enumerate(holder.args[:3]):
            if not self._may_be_method(a, scope):
                continue
            found = self._request_method(self.infer(a, scope))
            if found is None:
                continue
            client, m, prefix_async = found
            names = set(m.model) | set(m.system)
            if m.messages:
                names.add(m.messages)
            request = None
            if not any(k.arg is None or k.arg in names for k in call.keywords):
                request = _request_dict(holder.args[i + 1:], names, scope) if holder is call else None
                if request is None:
                    return None
            if holder is call and m.model_position is not None:  # positional arguments after the method
                m = replace(m, model_position=m.model_position + i + 1)
            site = self._direct(rec, client, m, prefix_async)
            if request is not None:
                entries, dscope = request
                key = next((k for k in m.model if k in entries), None)
                if key is not None and site.model.kind == "missing":
                    site.model = self._classify(entries[key], dscope)
            if request is not None or not self._passes_keywords(call, holder, scope):
                site.tag_style = None
            return site
        return None

    def _may_be_method(self, a: ast.expr, scope: Scope, hops: int = MAX_DEPTH) -> bool:
        """Whether argument `a` may be an SDK request method, by its spelling and binding only
        (`hops` bounds a binding cycle such as `f = g if c else f`)."""
        if hops <= 0:
            return False
        t = type(a)
        if t is ast.Attribute:
            return a.attr in self._method_names  # type: ignore[attr-defined]
        if t is ast.IfExp:
            return (self._may_be_method(a.body, scope, hops - 1)  # type: ignore[attr-defined]
                    or self._may_be_method(a.orelse, scope, hops - 1))  # type: ignore[attr-defined]
        if t is ast.Call:  # getattr(client.chat.completions, "create")
            return isinstance(a.func, ast.Name) and a.func.id == "getattr"  # type: ignore[attr-defined]
        if t is not ast.Name:
            return False
        b = _binding_of(a.id, scope)  # type: ignore[attr-defined]
        if b is None:
            return False
        if b[0] == "from":
            return b[1][2] in self._method_names
        return b[0] == "assign" and type(b[1]) is not ast.Name and self._may_be_method(b[1], b[2], hops - 1)

    def _passes_keywords(self, call: ast.Call, holder: ast.Call, scope: Scope) -> bool:
        """Whether `call` hands its unknown keyword arguments on to the method it was given."""
        if holder is not call:  # sync_to_async(fn)(...): the wrapper takes the method's own arguments
            return True
        callee = self.infer(call.func, scope)
        if isinstance(callee, Func):
            return callee.node.args.kwarg is not None
        return isinstance(callee, Qual) and self.catalog.canonical(callee.qual) in KEYWORD_FORWARDERS

    def _by_module_name(self, rec: CallRecord) -> CallSite | None:
        """`litellm.completion(...)` where `litellm` is a lazy proxy or a module fetched at run time
        (`litellm = get_litellm()`): the receiver is named like an SDK module that acts as a client
        and the method is one of its request methods. Reported with confidence "inferred"."""
        names: list[str] = []
        e: ast.expr = rec.node.func
        while isinstance(e, ast.Attribute):
            names.append(e.attr)
            e = e.value
        if isinstance(e, ast.Call):  # _get_litellm().completion(...): a getter named after the module
            f = e.func
            fname = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            root = next((m for m in self.catalog.modules if "." not in m and fname.strip("_") in
                         (f"get_{m}", f"load_{m}", f"import_{m}", m)), None)
        else:
            root = e.id if isinstance(e, ast.Name) else None
        if root is None or not names:
            return None
        ct = self.catalog.modules.get(root)
        if ct is None:
            return None
        found = ct.method(tuple(reversed(names)))
        if not found:
            return None
        kws = {k.arg for k in rec.node.keywords}
        if found[0].model and not (kws & {"model", None}) and not rec.node.args:
            return None
        site = self._direct(rec, Client(ct, ct.provider, False, ()), found[0], found[1])
        site.confidence = "inferred"
        return site

    def _base(self, rec: CallRecord, provider: str, sdk: str, api: str, kind: str, confidence: str,
              model: Arg, is_async: bool, stream: bool, spends: bool) -> CallSite:
        call, scope = rec.node, rec.scope
        src = scope.module.source
        line, col, end_line, end_col = src.span(call)
        func_scope = _enclosing_function(scope)
        cls_scope = _enclosing_class(scope)
        owner = _owner(scope)
        return CallSite(
            path=src.relpath, line=line, column=col, end_line=end_line, end_column=end_col,
            provider=provider, sdk=sdk, api=api, kind=kind, confidence=confidence,
            function=func_scope.name if func_scope else None,
            cls=cls_scope.name if cls_scope else None,
            qualname=owner.qualname or "<module>",
            model=model, feature=None, tag=None, tag_via=None,
            is_async=is_async or _awaited(scope, call), stream=stream, in_loop=rec.in_loop, spends=spends,
            node=call, scope=scope,
        )

    def _direct(self, rec: CallRecord, client: Client, m: Method, prefix_async: bool) -> CallSite:
        call, scope = rec.node, rec.scope
        kw = {k.arg: k.value for k in call.keywords if k.arg}
        stream = m.stream or _truthy(kw.get("stream"))
        model = self._model_arg(call, scope, m.model, m.model_position, None)
        if m.model_from_client or model.kind == "missing":
            model = self._client_model(client) or model
        if not m.model:
            model = Arg(None, "missing")
        site = self._base(rec, client.provider, client.ctype.name, m.api, "direct", "resolved", model,
                          client.is_async or m.is_async or prefix_async, stream, m.spends)
        site.backend = client.backend
        site.method = m
        site.tag_style = m.tag_style or client.ctype.tag_style
        self._tags(site, [(call, scope)] + list(reversed(client.calls)), rec)
        self._prompts(site, call, scope, m, client)
        site.forwards = self._forwards(site)
        return site

    def _constructor(self, rec: CallRecord, con: Constructor) -> CallSite:
        call, scope = rec.node, rec.scope
        model = self._model_arg(call, scope, con.model, con.model_position, con.default_model)
        provider = con.provider
        if con.provider_kwarg:
            provider = self._langchain_provider(call, scope, con, model)
        site = self._base(rec, provider, con.sdk, con.api, "direct", "resolved", model, False, False, True)
        site.tag_style = con.tag_style
        if model.value and ":" in model.value and con.provider_kwarg:
            site.model.value = model.value.split(":", 1)[1]
        calls = [(call, scope)]
        if rec.parent_call is not None and isinstance(rec.parent_call.func, ast.Attribute) and \
                rec.parent_call.func.attr in ("with_config", "bind", "with_options"):
            calls.append((rec.parent_call, scope))
        self._tags(site, calls, rec)
        site.forwards = self._forwards(site)
        return site

    def _langchain_provider(self, call: ast.Call, scope: Scope, con: Constructor, model: Arg) -> str:
        for k in call.keywords:
            if k.arg == con.provider_kwarg:
                v = self.infer(k.value, scope)
                if isinstance(v, Str) and v.value:
                    return _provider_name(v.value)
        if model.value:
            if ":" in model.value:
                return _provider_name(model.value.split(":", 1)[0])
            for prefix, prov in self.catalog.langchain_infer.items():
                if model.value.startswith(prefix):
                    return prov
        return con.provider

    def _inferred(self, rec: CallRecord, chain: Chain) -> CallSite | None:
        call = rec.node
        kws = {k.arg for k in call.keywords if k.arg}
        for inf in self.catalog.inferred:
            n = len(inf.chain)
            if chain.path[-n:] == inf.chain and inf.kwargs <= kws and not (inf.forbid & kws):
                ct = self.catalog.client_types.get(inf.sdk)
                if ct is None:
                    continue
                found = ct.method(inf.chain[-n:] if ct.method(inf.chain) else inf.chain)
                if not found:
                    continue
                client = Client(ct, ct.provider, False, ())
                site = self._direct(rec, client, found[0], found[1])
                site.confidence = "inferred"
                return site
        return None

    def _wrapper(self, rec: CallRecord, f: Func) -> CallSite | None:
        info = f.scope.module
        inner = [s for s in self.function_sites(f.node, info) if s.forwards]
        if not inner:
            return None
        target = inner[0]
        call, scope = rec.node, rec.scope
        bound = _bind_args(f.node, call, skip_self=f.bound is not None or _is_method(f))
        model = self._map_arg(target.model, bound, scope, f)
        site = self._base(rec, target.provider, target.sdk, target.api, "wrapper", target.confidence, model,
                          target.is_async, target.stream, target.spends)
        site.target = target.id
        site.wrapper = f"{info.source.dotted}.{f.scope.qualname}" if info.source.dotted else f.scope.qualname
        site.backend = target.backend
        site.system, site.messages = target.system, target.messages
        if target.tag is not None:
            tag = self._map_arg(target.tag, bound, scope, f)
            site.tag, site.tag_via = tag, target.tag_via
            site.feature = tag.value if tag.kind in ("literal", "constant") else None
        # this call forwards its own function's parameters into the target's forwarded ones?
        fw = set()
        for pname in target.forwards:
            expr = bound.get(pname)
            if expr is not None:
                fw |= _param_refs(expr, scope)
        site.forwards = frozenset(fw)
        return site

    def _map_arg(self, arg: Arg, bound: dict[str, ast.expr], scope: Scope, f: Func) -> Arg:
        if arg.kind != "parameter" or not arg.param:
            return arg
        expr = bound.get(arg.param)
        if expr is not None:
            return self._classify(expr, scope)
        p = f.scope.params.get(arg.param)
        default = _param_default(f.node, arg.param)
        if default is not None:
            a = self._classify(default, f.scope)
            a.text = f"{arg.param}={a.text}"
            return a
        return Arg(arg.text, "missing") if p is not None else arg

    # ---- arguments ---------------------------------------------------------
    def _model_arg(self, call: ast.Call, scope: Scope, names: tuple[str, ...], position: int | None,
                   default: str | None) -> Arg:
        for k in call.keywords:
            if k.arg in names:
                return self._classify(k.value, scope)
        if position is not None and len(call.args) > position and not isinstance(call.args[position], ast.Starred):
            return self._classify(call.args[position], scope)
        if any(k.arg is None for k in call.keywords) or any(isinstance(a, ast.Starred) for a in call.args):
            return Arg("**kwargs", "dynamic")
        return Arg(None, "missing", default)

    def _client_model(self, client: Client) -> Arg | None:
        ct = client.ctype
        for call, scope in client.calls:
            if call is None:
                continue
            ms = self._model_string_arg(call, scope)
            if ms is not None and ms.kind != "missing":
                return ms
            src_ct = self._ctype_of_call(call, scope)
            names = src_ct.client_model if src_ct is not None and src_ct.client_model else ("model", "model_name")
            pos = src_ct.client_model_position if src_ct is not None else None
            a = self._model_arg(call, scope, names, pos, None)
            if a.kind != "missing":
                return a
        if ct.client_default_model:
            return Arg(None, "missing", ct.client_default_model)
        for call, scope in client.calls:
            src_ct = self._ctype_of_call(call, scope)
            if src_ct is not None and src_ct.client_default_model:
                return Arg(None, "missing", src_ct.client_default_model)
        return None

    def _model_string_arg(self, call: ast.Call, scope: Scope) -> Arg | None:
        v = self.infer(call.func, scope)
        if not isinstance(v, Qual):
            return None
        fms = self.catalog.from_model_string.get(self.catalog.canonical(v.qual))
        if fms is None:
            return None
        a = self._model_arg(call, scope, ("model",), fms[0], None)
        if a.value and "/" in a.value:
            a.value = a.value.split("/", 1)[1]
        return a

    def _ctype_of_call(self, call: ast.Call, scope: Scope) -> ClientType | None:
        v = self.infer(call.func, scope)
        if isinstance(v, Qual):
            return self.catalog.classes.get(self.catalog.canonical(v.qual))
        return None

    def _classify(self, e: ast.expr, scope: Scope, depth: int = 0) -> Arg:
        text = scope.module.source.segment(e)
        if isinstance(e, ast.Constant):
            if isinstance(e.value, str):
                return Arg(text, "literal", e.value, origin=e, origin_source=scope.module.source)
            if e.value is None:
                return Arg(text, "missing")
            return Arg(text, "dynamic")
        if depth > 8:
            return Arg(text, "dynamic")
        if isinstance(e, ast.Name):
            b = _binding_of(e.id, scope)
            if b is None:
                return Arg(text, "dynamic")
            kind, data, bscope = b
            if kind == "param":
                arg, func, default = data
                fs = _enclosing_function(scope)
                if fs is not None and bscope is fs:
                    return Arg(text, "parameter", param=e.id)
                return Arg(text, "parameter", param=e.id)
            if kind == "assign":
                inner = self._classify(data, bscope, depth + 1)
                inner.text = text
                if inner.kind == "literal":
                    inner.kind = "constant"
                return inner
            if kind in ("import", "from"):
                d = self._import_def(kind, data, bscope)
                if d is not None:
                    inner = self._classify(d[0], d[1], depth + 1)
                    inner.text = text
                    if inner.kind == "literal":
                        inner.kind = "constant"
                    return inner
                v = self._binding_value(e.id, kind, data, bscope)
                return self._from_value(v, text)
            return Arg(text, "dynamic")
        if isinstance(e, ast.Attribute):
            d = self._attr_def(e, scope)
            if d is not None:
                inner = self._classify(d[0], d[1], depth + 1)
                inner.text = text
                if inner.kind == "literal":
                    inner.kind = "constant"
                if inner.kind == "parameter":  # self.model = model in __init__: injected configuration
                    inner.kind, inner.param = "config", None
                if inner.kind != "dynamic":
                    return inner
            v = self.infer(e, scope)
            a = self._from_value(v, text)
            if a.kind != "dynamic":
                return a
            if _config_like(e):
                return Arg(text, "config")
            return a
        if isinstance(e, ast.Call):
            env = self._env_call(e, scope)
            if env is not None:
                return env
            if _config_like(e.func):
                return Arg(text, "config")
            return Arg(text, "dynamic")
        if isinstance(e, ast.Subscript):
            v = self.infer(e, scope)
            if isinstance(v, Str) and v.kind == "env":
                return Arg(text, "env", None, env=v.env)
            if _config_like(e.value):
                return Arg(text, "config")
            return Arg(text, "dynamic")
        if isinstance(e, ast.JoinedStr) or (isinstance(e, ast.BinOp) and isinstance(e.op, ast.Add)):
            value = self._const_string(e, scope, depth + 1)
            if value is not None:
                return Arg(text, "constant", value)
            return Arg(text, "dynamic")
        if isinstance(e, (ast.BoolOp, ast.IfExp)):
            parts = e.values if isinstance(e, ast.BoolOp) else [e.body, e.orelse]
            inner = [self._classify(p, scope, depth + 1) for p in parts]
            if len({a.param for a in inner if a.kind == "parameter"}) > 1:
                # `provider if looks_like_model(provider) else model`: which parameter carries the
                # model depends on the values; mapping one through a wrapper would guess
                return Arg(text, "dynamic")
            for kind in ("env", "config", "parameter", "constant", "literal"):
                for a in inner:
                    if a.kind == kind:
                        return Arg(text, a.kind, a.value, a.env, a.param, origin=a.origin,
                                   origin_source=a.origin_source)
            return Arg(text, "dynamic")
        return Arg(text, "dynamic")

    def _import_def(self, kind: str, data: Any, scope: Scope) -> tuple[ast.expr, Scope] | None:
        """The assigned expression an imported name refers to, in its own module."""
        if kind != "from":
            return None
        level, mod, attr = data
        module = scope.module
        if level:
            ms = self.project.relative_module(module.source, level, mod)
        else:
            ms = self.project.find_module(mod, module.source)
        if ms is None:
            return None
        return self._module_def(ms, attr)

    def _module_def(self, ms: "ModuleSource", attr: str, depth: int = 0) -> tuple[ast.expr, Scope] | None:
        info = self.project.module_info(ms)
        if info is None or depth > 5:
            return None
        for kind, data in reversed(info.scope.bindings.get(attr, ())):
            if kind == "assign" and data is not None:
                return data, info.scope
            if kind == "from":
                return self._import_def(kind, data, info.scope)
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

    def _const_string(self, e: ast.expr, scope: Scope, depth: int) -> str | None:
        """The value of an f-string or `+` of strings whose every part is a constant, else None."""
        if depth > 8:
            return None
        if isinstance(e, ast.Constant) and isinstance(e.value, str):
            return e.value
        if isinstance(e, ast.JoinedStr):
            out = []
            for v in e.values:
                if isinstance(v, ast.Constant):
                    out.append(str(v.value))
                elif isinstance(v, ast.FormattedValue) and v.conversion == -1 and v.format_spec is None:
                    part = self._classify(v.value, scope, depth + 1)
                    if part.kind not in ("literal", "constant") or part.value is None:
                        return None
                    out.append(part.value)
                else:
                    return None
            return "".join(out)
        if isinstance(e, ast.BinOp) and isinstance(e.op, ast.Add):
            left = self._const_string(e.left, scope, depth + 1)
            right = self._const_string(e.right, scope, depth + 1) if left is not None else None
            return left + right if left is not None and right is not None else None
        a = self._classify(e, scope, depth + 1)
        return a.value if a.kind in ("literal", "constant") else None

    def _from_value(self, v: Value, text: str) -> Arg:
        if isinstance(v, Str):
            kind = "constant" if v.kind == "literal" else v.kind
            return Arg(text, kind, v.value, v.env)
        return Arg(text, "dynamic")

    def _env_call(self, e: ast.Call, scope: Scope) -> Arg | None:
        v = self.infer(e.func, scope)
        if not isinstance(v, Qual):
            return None
        if v.qual not in ("os.getenv", "os.environ.get", "os.environ.setdefault"):
            return None
        text = scope.module.source.segment(e)
        name = e.args[0] if e.args else None
        env = name.value if isinstance(name, ast.Constant) and isinstance(name.value, str) else None
        default = e.args[1] if len(e.args) > 1 else next((k.value for k in e.keywords if k.arg == "default"), None)
        value = None
        origin = origin_source = None
        if default is not None:
            d = self._classify(default, scope)
            value, origin, origin_source = d.value, d.origin, d.origin_source
        return Arg(text, "env", value, env=env, origin=origin, origin_source=origin_source)

    # ---- tags --------------------------------------------------------------
    def _tags(self, site: CallSite, calls: list[tuple[ast.Call, Scope]], rec: CallRecord) -> None:
        cat = self.catalog
        for call, scope in calls:
            if call is None:
                continue
            for k in call.keywords:
                if k.arg is None or k.arg not in cat.tag_kwargs:
                    continue
                found = self._find_tag(k.value, scope, k.arg, 0)
                if found is not None:
                    expr, via, fscope = found
                    arg = self._tag_value(expr, fscope)
                    site.tag, site.tag_via = arg, via
                    site.feature = arg.value if arg.kind in ("literal", "constant") else None
                    return

    def _find_tag(self, e: ast.expr, scope: Scope, via: str, depth: int) -> tuple[ast.expr, str, Scope] | None:
        if depth > 4:
            return None
        key = self.feature_key
        if isinstance(e, ast.Name):
            b = _binding_of(e.id, scope)
            if b is not None and b[0] == "assign":
                return self._find_tag(b[1], b[2], via, depth + 1)
            return None
        if isinstance(e, ast.Dict):
            for k, v in zip(e.keys, e.values):
                if k is None:
                    if v is not None:
                        r = self._find_tag(v, scope, via, depth + 1)
                        if r:
                            return r
                    continue
                ks = k.value if isinstance(k, ast.Constant) and isinstance(k.value, str) else None
                if ks is None and isinstance(k, ast.Name):
                    kv = self.infer(k, scope)
                    ks = kv.value if isinstance(kv, Str) else None
                if ks is None:
                    continue
                low = ks.lower()
                if ks == key or low in self.catalog.tag_headers or low == f"x-{key.lower()}":
                    return v, f"{via}.{ks}", scope
                if low in ("tags", "metadata", "labels", "litellm_metadata", "requestmetadata"):
                    r = self._find_tag(v, scope, f"{via}.{ks}", depth + 1)
                    if r:
                        return r
            return None
        if isinstance(e, (ast.List, ast.Tuple, ast.Set)):
            prefix = f"{key}:"
            for item in e.elts:
                if isinstance(item, ast.Constant) and isinstance(item.value, str) and item.value.startswith(prefix):
                    return item, via, scope  # "feature:x": the value is the part after the prefix
                if isinstance(item, ast.JoinedStr) and item.values and isinstance(item.values[0], ast.Constant) \
                        and str(item.values[0].value).startswith(prefix):
                    # f"feature:{name}": the tag is `name` (a wrapper's parameter, a constant...)
                    if len(item.values) == 2 and item.values[0].value == prefix and \
                            isinstance(item.values[1], ast.FormattedValue) and item.values[1].format_spec is None:
                        return item.values[1].value, via, scope
                    return item, via, scope
            return None
        if isinstance(e, ast.Call):
            for k in e.keywords:
                if k.arg is None:
                    continue
                if k.arg == key:
                    return k.value, f"{via}.{k.arg}", scope
                if k.arg in ("labels", "metadata", "tags", "headers", "http_options", "extra_body",
                             "extra_headers", "request_metadata"):
                    r = self._find_tag(k.value, scope, f"{via}.{k.arg}", depth + 1)
                    if r:
                        return r
            if isinstance(e.func, ast.Name) and e.func.id == "dict":
                return None
        return None

    def _tag_value(self, e: ast.expr, scope: Scope) -> Arg:
        a = self._classify(e, scope)
        prefix = f"{self.feature_key}:"
        if a.kind == "literal" and a.value is not None and a.value.startswith(prefix):
            a.value = a.value[len(prefix):]  # a "feature:x" tag in a tags list
        return a

    # ---- prompts -----------------------------------------------------------
    def _prompts(self, site: CallSite, call: ast.Call, scope: Scope, m: Method, client: Client) -> None:
        kw = {k.arg: k.value for k in call.keywords if k.arg}
        for name in m.system:
            if name.startswith("config."):
                cfg = kw.get("config")
                field_name = name.split(".", 1)[1]
                expr = _field_of(cfg, field_name, scope) if cfg is not None else None
                if expr is not None:
                    site.system = self.prompt(expr, scope, name)
                    break
            elif name in kw:
                site.system = self.prompt(kw[name], scope, name)
                break
        if site.system is None and client.ctype.client_system:
            for c, s in client.calls:
                if c is None:
                    continue
                ckw = {k.arg: k.value for k in c.keywords if k.arg}
                for name in client.ctype.client_system:
                    if name in ckw:
                        site.system = self.prompt(ckw[name], s, name)
                        break
        if m.messages and m.messages in kw:
            site.messages = self.prompt(kw[m.messages], scope, m.messages)
            if site.system is None and m.system_in_messages:
                sm = _system_message(kw[m.messages], scope, self)
                if sm is not None:
                    site.system = self.prompt(sm, scope, f"{m.messages}[role=system]")

    def prompt(self, e: ast.expr, scope: Scope, where: str) -> Prompt:
        text = scope.module.source.segment(e)
        kind, static = self._prompt_kind(e, scope, 0)
        return Prompt(text=text, kind=kind, static=static, node=e, scope=scope, where=where)

    def _prompt_kind(self, e: ast.expr, scope: Scope, depth: int) -> tuple[str, bool]:
        if isinstance(e, ast.Constant):
            return "literal", True
        if isinstance(e, ast.JoinedStr):
            dyn = any(isinstance(v, ast.FormattedValue) for v in e.values)
            return ("fstring", False) if dyn else ("literal", True)
        if isinstance(e, ast.BinOp):
            if isinstance(e.op, ast.Mod):
                return "percent", False
            if isinstance(e.op, ast.Add):
                l_kind, l_static = self._prompt_kind(e.left, scope, depth + 1)
                r_kind, r_static = self._prompt_kind(e.right, scope, depth + 1)
                return "concat", l_static and r_static
        if isinstance(e, ast.Call) and isinstance(e.func, ast.Attribute) and e.func.attr == "format":
            return "format", False
        if isinstance(e, ast.Name) and depth < 6:
            b = _binding_of(e.id, scope)
            if b is not None:
                if b[0] == "param":
                    return "parameter", False
                if b[0] == "assign":
                    kind, static = self._prompt_kind(b[1], b[2], depth + 1)
                    return ("constant" if kind == "literal" else kind), static
                if b[0] in ("import", "from"):
                    v = self._binding_value(e.id, b[0], b[1], b[2])
                    if isinstance(v, Str):
                        return "constant", True
        if isinstance(e, (ast.List, ast.Tuple)):
            return "list", all(self._prompt_kind(x, scope, depth + 1)[1] for x in e.elts)
        if isinstance(e, ast.Dict):
            return "dict", all(v is not None and self._prompt_kind(v, scope, depth + 1)[1] for v in e.values)
        return "dynamic", False

    def _forwards(self, site: CallSite) -> frozenset[str]:
        """Parameters of the enclosing function that flow into the site's model, tag or prompt."""
        scope = site.scope
        if scope is None:
            return frozenset()
        fs = _enclosing_function(scope)
        if fs is None or not fs.params:
            return frozenset()
        refs: set[str] = set()
        if site.model.kind == "parameter" and site.model.param:
            refs.add(site.model.param)
        if site.tag is not None and site.tag.kind == "parameter" and site.tag.param:
            refs.add(site.tag.param)
        for p in (site.system, site.messages):
            if p is not None and p.node is not None:
                refs |= _param_refs(p.node, scope)
        refs.discard(fs.self_name or "")
        return frozenset(r for r in refs if r in fs.params)


# ------------------------------------------------------------------ helpers


def _useful(v: Value) -> bool:
    return v is not UNKNOWN and not isinstance(v, (Opaque, Chain, Param))


def _host(url: str) -> str:
    rest = url.split("://", 1)[-1]
    return rest.split("/", 1)[0]


def _provider_name(p: str) -> str:
    return {"google_genai": "google", "google_vertexai": "google", "bedrock": "aws_bedrock",
            "bedrock_converse": "aws_bedrock", "azure_openai": "azure_openai", "mistralai": "mistral"}.get(p, p)


def _truthy(e: ast.expr | None) -> bool:
    return isinstance(e, ast.Constant) and e.value is True


def _awaited(scope: Scope, call: ast.Call) -> bool:
    return call in scope.module.awaited


def _enclosing_function(scope: Scope) -> Scope | None:
    s: Optional[Scope] = scope
    while s is not None:
        if s.kind == "function" and s.name != "<lambda>":
            return s
        s = s.parent
    return None


def _owner(scope: Scope) -> Scope:
    s = scope
    while s.parent is not None and s.name == "<lambda>":
        s = s.parent
    return s


def calls_by_owner(info: ModuleInfo) -> dict[ast.AST, list[CallRecord]]:
    got = getattr(info, "_by_owner", None)
    if got is None:
        got = {}
        for rec in info.calls:
            got.setdefault(_owner(rec.scope).node, []).append(rec)
        info._by_owner = got  # type: ignore[attr-defined]
    return got


def _enclosing_class(scope: Scope) -> Scope | None:
    s: Optional[Scope] = scope
    while s is not None:
        if s.kind == "class":
            return s
        s = s.parent
    return None


def _is_property(node: ast.AST) -> bool:
    return any(_decorator_name(d) in ("property", "cached_property") for d in node.decorator_list)  # type: ignore[attr-defined]


def _is_method(f: Func) -> bool:
    return f.scope.cls is not None


def _returns(node: ast.AST, yields: bool = False) -> Iterator[ast.expr]:
    """The values a function returns (`yields`: the values of its `yield` statements instead)."""
    stack = list(getattr(node, "body", []))
    while stack:
        s = stack.pop(0)
        if not yields and isinstance(s, ast.Return) and s.value is not None:
            yield s.value
        elif yields and isinstance(s, ast.Expr) and isinstance(s.value, ast.Yield) and s.value.value is not None:
            yield s.value.value
        elif isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        else:
            for child in ast.iter_child_nodes(s):
                if isinstance(child, ast.stmt):
                    stack.append(child)
                elif isinstance(child, ast.excepthandler):
                    stack.extend(child.body)


def _request_dict(args: list[ast.expr], names: set[str], scope: Scope) -> tuple[dict[str, ast.expr], Scope] | None:
    """The entries of a dict literal among `args` (a name bound to one) holding one of a request's
    argument `names` (`params = {"modelId": ..., "messages": ...}`), with the scope it is written in."""
    for a in args:
        b = _assigned(a.id, scope) if isinstance(a, ast.Name) else None
        if b is None or not isinstance(b[0], ast.Dict):
            continue
        entries = {k.value: v for k, v in zip(b[0].keys, b[0].values)
                   if isinstance(k, ast.Constant) and isinstance(k.value, str)}
        if names & entries.keys():
            return entries, b[1]
    return None


def _assigned(name: str, scope: Scope) -> tuple[ast.expr, Scope] | None:
    """The value last assigned to `name` where it is bound (`params: Request = {...}` included)."""
    b = _binding_of(name, scope)
    if b is None or b[0] not in ("assign", "annot"):
        return None
    return next(((d, b[2]) for k, d in reversed(b[2].bindings[name]) if k == "assign" and d is not None), None)


def _param_return_forms(f: Func) -> list[tuple[str, str, ast.expr]]:
    """The returns of `f` whose value is decided by a parameter: ("value", p, ret) for `return p`,
    ("call", p, ret) for `return p(...)`, ("import", p, ret) for `return import_module(p)` /
    `return __import__(p)`."""
    params = f.scope.params
    out: list[tuple[str, str, ast.expr]] = []
    for ret in _returns(f.node):
        if isinstance(ret, ast.Name) and ret.id in params:
            out.append(("value", ret.id, ret))
        elif isinstance(ret, ast.Call):
            fn = ret.func
            if isinstance(fn, ast.Name) and fn.id in params:
                out.append(("call", fn.id, ret))
            elif (isinstance(fn, ast.Name) and fn.id in ("__import__", "import_module")
                  or isinstance(fn, ast.Attribute) and fn.attr == "import_module") \
                    and ret.args and isinstance(ret.args[0], ast.Name) and ret.args[0].id in params:
                out.append(("import", ret.args[0].id, ret))
    return out


def _binding_of(name: str, scope: Scope) -> tuple[str, Any, Scope] | None:
    s: Optional[Scope] = scope
    first = True
    while s is not None:
        if s.kind != "class" or first:
            b = s.bindings.get(name)
            if b:
                # prefer a real assignment over 'unknown' loop targets
                for kind, data in reversed(b):
                    if kind != "unknown" and not (kind == "assign" and isinstance(data, ast.Constant)
                                                  and data.value is None):
                        return kind, data, s
                return b[-1][0], b[-1][1], s
        first = False
        s = s.parent
    return None


def definition(name: str, scope: Scope) -> tuple[str, Any, Scope] | None:
    """(kind, data, scope) of the binding of `name` seen from `scope`, like `_binding_of`, except that
    a name imported from another project module is followed to its assignment there
    (`from app.prompts import GUIDELINES` gives ("assign", <the string>, app.prompts' scope))."""
    b = _binding_of(name, scope)
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


def _param_default(func: ast.AST, name: str) -> ast.expr | None:
    args = func.args  # type: ignore[attr-defined]
    pos = list(args.posonlyargs) + list(args.args)
    for a, d in zip(pos[len(pos) - len(args.defaults):], args.defaults):
        if a.arg == name:
            return d
    for a, d in zip(args.kwonlyargs, args.kw_defaults):
        if a.arg == name:
            return d
    return None


def _bind_args(func: ast.AST, call: ast.Call, skip_self: bool) -> dict[str, ast.expr]:
    args = func.args  # type: ignore[attr-defined]
    pos = [a.arg for a in list(args.posonlyargs) + list(args.args)]
    if skip_self and pos:
        pos = pos[1:]
    bound: dict[str, ast.expr] = {}
    for name, value in zip(pos, call.args):
        if isinstance(value, ast.Starred):
            break
        bound[name] = value
    for k in call.keywords:
        if k.arg:
            bound[k.arg] = k.value
    return bound


def _param_refs(e: ast.AST, scope: Scope) -> set[str]:
    fs = _enclosing_function(scope)
    if fs is None:
        return set()
    names: set[str] = set()
    seen: set[str] = set()
    todo = [e]
    while todo:
        node = todo.pop()
        for n in ast.walk(node):
            if isinstance(n, ast.Name) and n.id not in seen:
                seen.add(n.id)
                if n.id in fs.params:
                    names.add(n.id)
                else:  # one hop through a local assignment: msgs = [..., prompt]
                    for kind, data in fs.bindings.get(n.id, ()):
                        if kind == "assign" and data is not None:
                            todo.append(data)
    return names


def _field_of(cfg: ast.expr, name: str, scope: Scope) -> ast.expr | None:
    if isinstance(cfg, ast.Call):
        for k in cfg.keywords:
            if k.arg == name:
                return k.value
    if isinstance(cfg, ast.Dict):
        for k, v in zip(cfg.keys, cfg.values):
            if isinstance(k, ast.Constant) and k.value == name:
                return v
    if isinstance(cfg, ast.Name):
        b = _binding_of(cfg.id, scope)
        if b is not None and b[0] == "assign":
            return _field_of(b[1], name, b[2])
    return None


def _system_message(msgs: ast.expr, scope: Scope, resolver: Resolver) -> ast.expr | None:
    if isinstance(msgs, ast.Name):
        b = _binding_of(msgs.id, scope)
        if b is not None and b[0] == "assign" and isinstance(b[1], (ast.List, ast.Tuple)):
            msgs = b[1]
    if not isinstance(msgs, (ast.List, ast.Tuple)):
        return None
    for m in msgs.elts:
        if isinstance(m, ast.Dict):
            role = content = None
            for k, v in zip(m.keys, m.values):
                if isinstance(k, ast.Constant) and k.value == "role":
                    role = v.value if isinstance(v, ast.Constant) else None
                if isinstance(k, ast.Constant) and k.value == "content":
                    content = v
            if role in ("system", "developer") and content is not None:
                return content
        elif isinstance(m, ast.Call):
            name = m.func.id if isinstance(m.func, ast.Name) else getattr(m.func, "attr", "")
            if name == "SystemMessage":
                if m.args:
                    return m.args[0]
                for k in m.keywords:
                    if k.arg == "content":
                        return k.value
    return None


def _config_like(e: ast.expr) -> bool:
    while isinstance(e, (ast.Attribute, ast.Subscript, ast.Call)):
        if isinstance(e, ast.Attribute):
            if any(h in e.attr.lower() for h in CONFIG_HINTS):
                return True
            e = e.value
        elif isinstance(e, ast.Subscript):
            e = e.value
        else:
            e = e.func
    return isinstance(e, ast.Name) and any(h in e.id.lower() for h in CONFIG_HINTS)


def assign_ids(sites: list[CallSite]) -> None:
    """Stable ids: path, enclosing qualified name, api and ordinal within that (qualname, api).

    Unrelated lines moving does not change them; only adding a site of the same api and kind in the
    same function before this one does.
    """
    counts: dict[tuple[str, str, str], int] = {}
    for s in sites:
        key = (s.path, s.qualname, s.api, s.kind)
        n = counts.get(key, 0)
        counts[key] = n + 1
        raw = f"{s.path}::{s.qualname}::{s.api}::{s.kind}::{n}"
        s.id = hashlib.sha1(raw.encode("utf-8", "surrogateescape")).hexdigest()[:12]
