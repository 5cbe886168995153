"""What an expression can evaluate to: the small symbolic value lattice the resolver computes with."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Optional

from tokenlint.catalog import ClientType, Constructor

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.project import ModuleSource
    from tokenlint.resolve.scope import Scope


class Value:
    """Symbolic value of an expression. Subclasses below; UNKNOWN when nothing is known."""

    __slots__ = ()


class Unknown(Value):
    """Nothing is known; its one instance is UNKNOWN."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = Unknown()


@dataclass(frozen=True, eq=False)
class Qual(Value):
    """A name from an external (non-project) module, e.g. "openai.OpenAI" or "twilio.rest.Client()"."""

    qual: str
    called: bool = False  # the result of calling it: known, but nothing we model


@dataclass(frozen=True, eq=False)
class ProjModule(Value):
    """A module of the project being analysed (read through `Project`, never imported)."""

    module: "ModuleSource"
    dotted: str


@dataclass(eq=False)
class Client(Value):
    """An LLM client object of a catalog client type; `calls`: the calls that made and configured it."""

    ctype: ClientType
    provider: str
    is_async: bool = False
    calls: tuple[tuple[ast.Call, "Scope"], ...] = ()  # constructor and with_options calls (tags, model)
    backend: str | None = None
    typed: bool = False  # known only from a type annotation (`client: genai.GenerativeModel`): built unseen


@dataclass(frozen=True, eq=False)
class Resource(Value):
    """An attribute path on a client (`client.chat.completions`); called, it may be a request method."""

    client: Client
    path: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class ClientMethod(Value):
    """A bound client method returning the client (with_options, copy)."""

    client: Client


@dataclass(frozen=True, eq=False)
class Session(Value):
    """A session or factory that makes clients of these types (`boto3.Session()`)."""

    ctypes: tuple[ClientType, ...]


@dataclass(frozen=True, eq=False)
class SessionMethod(Value):
    """The client-making method of a session (`session.client`)."""

    ctypes: tuple[ClientType, ...]


@dataclass(frozen=True, eq=False)
class Func(Value):
    """A project function; `bound`: the instance it was fetched from, for a method; `made`: for a
    closure a call returned (`make_completion(config)` returning its nested `def complete(**kw)`), the
    calls it came back through, innermost first, each (function called, call, scope of the call): they
    bind the parameters the closure reads (resolve/fnvalues.py); `ahead`: the `functools.partial(f, ...)`
    call, with its scope, that bound arguments ahead of the calls of the value (`partial(f, model=m)`)."""

    node: ast.FunctionDef | ast.AsyncFunctionDef
    scope: "Scope"  # the function's own scope
    bound: Optional["Instance"] = None
    made: tuple[tuple[ast.AST, ast.Call, "Scope"], ...] = ()
    ahead: Optional[tuple[ast.Call, "Scope"]] = None


@dataclass(frozen=True, eq=False)
class ClassV(Value):
    """A project class."""

    node: ast.ClassDef
    scope: "Scope"


@dataclass(frozen=True, eq=False)
class Instance(Value):
    """An instance of a project class. `others`: the classes it may be instead, when it was declared
    one of several unrelated interfaces (`Union[LegacyEmbeddings, Embedding]`): a method only those
    define is theirs (`InferMixin._instance_attr`). `chosen`: a member of a union of objects of project
    classes built by name on several paths (`interfaces.chosen_instance`): every class it may be is known."""

    cls: ClassV
    others: tuple[ClassV, ...] = ()
    chosen: bool = False


@dataclass(frozen=True, eq=False)
class Holder(Value):
    """An object of a standard-library type that hands back what the program puts in it (a
    `ContextVar`, a queue: catalog `holders`) or whose attributes are its keywords (a `SimpleNamespace`:
    catalog `namespaces`), built by `call` in `scope` (resolve/holders.py reads what it holds)."""

    qual: str
    call: ast.Call
    scope: "Scope"


@dataclass(frozen=True, eq=False)
class Str(Value):
    """A string known here (`value`) or only by where it comes from (an env variable, a config object)."""

    value: str | None
    kind: str  # literal | constant | env | config
    env: str | None = None
    # the literal it was read from, when one: model rules report a default once where it is written
    # (`return self._model or DEFAULT_MODEL` in a property), not at every call that reaches it
    origin: ast.Constant | None = None
    origin_source: Optional["ModuleSource"] = None


@dataclass(frozen=True, eq=False)
class Param(Value):
    """A parameter of a project function, with its default."""

    name: str
    func: ast.AST
    scope: "Scope"
    default: ast.expr | None = None


@dataclass(frozen=True, eq=False)
class Chain(Value):
    """An attribute chain on a receiver of unknown type (an untyped parameter, an opaque attribute)."""

    path: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Runnable(Value):
    """A framework model object (`ChatOpenAI(...)`) or a runnable holding one (`prompt | llm`).

    `models`: the constructor calls of the models it holds (the bindings; several with fallbacks),
    none when only its declared type is known; `calls`: the calls that configured it on the way
    (`.with_config(tags=...)`, `.bind(...)`), whose tags cover its requests."""

    sdk: str  # the framework (catalog sdk name)
    api: str  # chat_model | llm | embeddings_model
    provider: str
    models: tuple[tuple[ast.Call, "Scope", Constructor], ...] = ()
    calls: tuple[tuple[ast.Call, "Scope"], ...] = ()
    inferred: bool = False  # known only by the name of the receiver it was built on (`llm` of unknown type)
    # a parameter's value read from its function's callers, some of whom pass what tokenlint cannot follow
    # (resolve/passed.py): its requests are "inferred"
    partial: bool = False
    # read from what the callers of the function holding it pass (resolve/passed.py): the model object is
    # built elsewhere, the request is made on whatever it is handed (TKL501 does not judge its cap there)
    passed: bool = False
    # built by a `model_needed` constructor without its model (`UserProxyAgent(llm_config=False)`): it calls none
    no_model: bool = False
    # the project model class the object is of (`llm: ChatOpenAI` with `class ChatOpenAI(BaseChatModel)` of the
    # project's own): its other attributes (`llm.client`) are that class's, read as on any of its objects
    project_class: Optional["ClassV"] = None
    # not the model object yet but what builds it when called (`partial(ChatOpenAI, model=...)`, a lazy
    # holder `LazyInit(OpenAIEmbedding)`, resolve/deferred.py): calling it gives the model object
    deferred: bool = False


@dataclass(frozen=True, eq=False)
class RunnableMethod(Value):
    """A method of a runnable: a request (`invoke`) or a combinator (`with_config`), by catalog data."""

    runnable: Runnable
    name: str


@dataclass(frozen=True, eq=False)
class Opaque(Value):
    """A known object with no LLM meaning (a LangChain model object, a number, a None)."""

    what: str = ""


@dataclass(frozen=True, eq=False)
class OneOf(Value):
    """Several clients (or resources or methods on them) a name may hold: bound to different clients
    on different branches, by different assignments, or returned by different `return`s. Members are
    distinct and in the order the resolver prefers them (the binding read last comes first)."""

    members: tuple[Value, ...]


def _member_key(v: Value) -> object:
    """Members with the same key are the same possibility (one client type of one provider)."""
    t = type(v)
    if t is Client:
        return ("client", v.ctype.name, v.provider, v.backend)  # type: ignore[attr-defined]
    if t is Resource:
        return ("resource", _member_key(v.client), v.path)  # type: ignore[attr-defined]
    if t is ClientMethod:
        return ("method", _member_key(v.client))  # type: ignore[attr-defined]
    return id(v)


def join(values: Iterable[Value]) -> Value:
    """The value that is any of `values`: their useful members, flattened and without repeats; one
    member stands for itself; none gives the first value (UNKNOWN when there is none). Repeats are
    dropped by client type and provider, so a union stays as small as the catalog's surfaces."""
    first: Value = UNKNOWN
    members: list[Value] = []
    seen: set[object] = set()
    for v in values:
        if first is UNKNOWN:
            first = v
        for m in (v.members if type(v) is OneOf else (v,)):  # type: ignore[attr-defined]
            if not useful(m):
                continue
            k = _member_key(m)
            if k not in seen:
                seen.add(k)
                members.append(m)
    if not members:
        return first
    return members[0] if len(members) == 1 else OneOf(tuple(members))


def useful(v: Value) -> bool:
    """Whether `v` says something the resolver can use (not unknown, opaque, a chain or a parameter)."""
    return v is not UNKNOWN and not isinstance(v, (Opaque, Chain, Param))


def holds_client(v: Value) -> bool:
    return type(v) is Client or type(v) is OneOf


def first_useful(values: Iterable[Value],
                 merge: Optional[Callable[[list["Runnable"]], Optional[Value]]] = None) -> Value | None:
    """The first useful value of `values` (read lazily); when that is a client, every client among
    them, joined: a name bound to `OpenAI()` on one branch and `Anthropic()` on another holds both,
    the last assignment never silently wins. When it is a framework model object and `merge` is
    given, every model object among them, merged by `merge` into one (a factory returning
    `ChatOpenAI(...)` on one path and `ChatOllama(...)` on another may run either). None when no
    value is useful. With `merge`, a model object on a later path wins over another kind of value read
    first (`return await cache.get_or_build(key)` before `return await build_agent()`)."""
    found: list[Value] | None = None
    runnables: list[Runnable] | None = None
    other: Value | None = None
    for v in values:
        if runnables is not None:
            if type(v) is Runnable:
                runnables.append(v)  # type: ignore[arg-type]
        elif found is not None:
            if holds_client(v):
                found.append(v)
        elif type(v) is Runnable and merge is not None:
            runnables = [v]  # type: ignore[list-item]
        elif other is not None:
            continue
        elif useful(v):
            if not holds_client(v):
                if merge is None:
                    return v
                other = v  # kept unless a model object turns up
            else:
                found = [v]
    if runnables is not None:
        return (merge(runnables) if len(runnables) > 1 else None) or runnables[0]
    return join(found) if found else other


def returned_through(v: Value, callee: Func, call: ast.Call, scope: "Scope") -> Value:
    """`v`, what `call` (a call of project function `callee`, made in `scope`) returns, with that call
    remembered by each closure in it: a function defined inside `callee` (the factory that made it), or
    a closure `callee` got back from another call and returns on (a pipeline of wrapping functions).
    That call binds the parameters of `callee` the closure reads (resolve/fnvalues.py)."""
    if type(v) is OneOf:
        return OneOf(tuple(returned_through(m, callee, call, scope) if type(m) is Func else m
                           for m in v.members))  # type: ignore[attr-defined]
    if type(v) is not Func:
        return v
    s = v.scope.parent  # type: ignore[attr-defined]
    while s is not None and s is not callee.scope:
        s = s.parent
    if s is None and not v.made:  # type: ignore[attr-defined]
        return v  # a function defined elsewhere (a module function, a method): no closure of this call
    return Func(v.node, v.scope, v.bound, v.made + ((callee.node, call, scope),))  # type: ignore[attr-defined]
