"""What the resolver reports about a call: the `CallSite` record, its arguments and prompts, and stable ids."""

from __future__ import annotations

import ast
import hashlib
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Optional

from tokenlint.catalog import Method

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.project import ModuleSource
    from tokenlint.resolve.scope import Scope


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
    # the other strings that may reach the call in its place (`"a" if fast else "b"`, `x or "b"`
    # beside another literal), each an Arg with its own origin: model rules judge every one
    alternatives: tuple["Arg", ...] = field(default=(), repr=False, compare=False)

    def names(self) -> tuple[str, ...]:
        """Every string known to reach the call here: its value and its alternatives'."""
        return tuple(a.value for a in (self, *self.alternatives) if a.value)

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
    """One LLM call site: where it is, what it calls (provider, SDK, API) and its model, prompts and tag."""

    path: str
    line: int
    column: int  # 1-based, in characters
    end_line: int
    end_column: int
    provider: str
    sdk: str
    api: str
    kind: str  # direct | wrapper | binding (a framework model constructor) | request (a call on one) | facade
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
    snapshots: bool = True  # False: the service takes bare model names only (catalog endpoint `snapshots`)
    providers: tuple[str, ...] = ()  # every provider the call may reach (one, or several for "multi")
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
    binding: str | None = None  # request: id of the binding site of the model it runs on
    bindings: tuple[str, ...] = ()  # request: ids of every model's binding (fallbacks), first = `binding`
    alternatives: tuple[str, ...] = ()  # request on several models: "provider model" of each
    binding_calls: tuple[ast.Call, ...] = field(default=(), repr=False, compare=False)  # the constructors
    constructor: str | None = None  # binding: the class or function called, as written (`ChatOpenAI`)
    tag_on: str | None = None  # where the tag was found: "call", "client" (constructor) or "options" (with_options...)
    # the client's constructor arguments that say where spend is reported: {kwarg: literal value or "env:VAR"}
    client_args: dict[str, str] = field(default_factory=dict)
    owner: str | None = None  # the enclosing route / task / command ("route:/path") or "method:Class.name"
    # wrapper: what the caller passes for the wrapped functions' parameters, {(function node, name):
    # (expression, scope)}, through every wrapper between the caller and the SDK call; a prompt that
    # is a wrapper's parameter is read from the caller's argument (prompt rules report it there)
    arguments: dict = field(default_factory=dict, repr=False, compare=False)
    # a generation request's output cap (catalog/output_caps.toml): "set" | "missing" | "unknown";
    # None when the api is not judged (Anthropic requires one; embeddings write none)
    output_cap: str | None = None
    output_tokens: int | None = None  # the cap when written as a number (max_tokens=5)
    # a missing cap's caveat: the library sends a default cap in releases the project may run (dspy < 3.0.4)
    cap_note: str | None = None
    # the request or model object goes to a server the user runs (a loopback base URL, a dummy API key,
    # a "Local LLM" model name: resolve/selfhosted.py): it bills no tokens, no rule judges its cost
    self_hosted: bool = False
    # the provider whose servers answer when it is not `provider`: an OpenAI-compatible client aimed at
    # another provider's endpoint by its host (the OpenAI SDK at generativelanguage.googleapis.com: google)
    serving: str | None = None
    # the `while` loop it runs in, when only the model's output ends it: "unbounded" | "bounded" (a
    # counter or limit too); None when not in such a loop (resolve/loops.py)
    loop: str | None = None
    # the `while` statement it runs in, (line, column), when it runs in one: every request of one loop
    # shares the loop's verdict (resolve/loops.py `same_loop`), and TKL402 reports a loop once
    loop_at: tuple[int, int] | None = None
    # wrapper: how many requests one call of the wrapped function makes on its longest path, 1 or 2
    # (two or more: a pipeline of requests, or one in a loop); 1 for any other site
    requests: int = 1
    # binding: its model object is replaced before any use (`llm = ChatOpenAI(...)` then `llm =
    # ChatAnthropic(...)`): the model it names never runs
    dead: bool = False
    # a request through an SDK method the project's pinned SDK no longer has (`openai.ChatCompletion.create`
    # with openai>=1 required): it raises before sending anything. The reason, else None
    removed: str | None = None
    # wrapper: the SDK request its wrapped function makes (through every wrapper in between), for
    # the rules that read the request as written (its cache breakpoints); None for any other site
    request: Optional["CallSite"] = field(default=None, repr=False, compare=False)
    # wrapper: the request it reaches is a framework request on a model object, and the model it
    # carries is that object's (written at the binding, where the model rules judge it), not one this
    # call passes
    held_model: bool = False
    # facade or wrapper: the model object it runs is one an attribute of `self` holds (`self.llm.chat(...)`
    # in a method, or a call of a method making one, through every wrapper in between): the class
    # holding it uses a model its callers do not hand in, so a base over such classes is no LLM interface
    held_object: bool = False
    # an SDK method returned uncalled by a provider hook (resolve/returned.py), or a facade over only
    # such methods: the request happens where what it gives back is called
    handed: bool = False
    # an inferred site that was a guess of the "not resolved" list (resolve/unresolved.py): the evidence
    # that makes it a site, in words; else None
    reason: str | None = None
    # False: a paid inference endpoint (SageMaker) whose payload and name show no LLM: it may serve an
    # embedder or a classifier (prompts.request_noun words the messages so)
    llm_shown: bool = True

    @property
    def provider_label(self) -> str:
        """The provider for messages: `groq|openai` for a call that may reach several."""
        return "|".join(self.providers) if self.provider == "multi" and self.providers else self.provider

    @property
    def surface(self) -> str:
        """The API for messages: the catalog's api name when the call is written on that path
        (`client.chat.completions.create`), else the SDK and the method as written
        (`dashscope MultiModalConversation.call`, `mistral chat.complete`), as an api name shared by
        several SDKs' methods would misname them."""
        path: list[str] = []
        f = self.node.func if isinstance(self.node, ast.Call) else None
        while isinstance(f, ast.Attribute):
            path.insert(0, f.attr)
            f = f.value
        if isinstance(f, ast.Name):
            path.insert(0, f.id)
        written = ".".join(path)
        if not path or f".{self.api}." in f".{written}." or self.kind not in ("direct",):
            return self.api
        tail = [p for p in path[-2:] if p != "self"]
        return f"{self.sdk} {'.'.join(tail)}"

    def light(self) -> "CallSite":
        """A copy without syntax trees and scopes (for reports and for crossing process boundaries)."""

        def arg(a: Optional[Arg]) -> Optional[Arg]:
            return None if a is None else replace(a, origin=None, origin_source=None, alternatives=())

        def prompt(p: Optional[Prompt]) -> Optional[Prompt]:
            return None if p is None else replace(p, node=None, scope=None)

        return replace(self, node=None, scope=None, method=None, binding_calls=(), arguments={},  # type: ignore[arg-type]
                       request=None,
                       model=arg(self.model),  # type: ignore[arg-type]
                       tag=arg(self.tag), system=prompt(self.system), messages=prompt(self.messages))

    def as_dict(self) -> dict[str, Any]:
        d = {
            "id": self.id, "path": self.path, "line": self.line, "column": self.column,
            "end_line": self.end_line, "end_column": self.end_column, "provider": self.provider,
            "providers": list(self.providers or (self.provider,)),
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
        if self.kind in ("wrapper", "facade"):
            d["target"] = self.target
            d["wrapper"] = self.wrapper
        if self.kind == "binding":
            d["constructor"] = self.constructor
        if self.kind == "request":
            d["binding"] = self.binding
            if len(self.bindings) > 1:
                d["bindings"] = list(self.bindings)
        if self.alternatives:  # a request on fallbacks, a facade over several implementations
            d["alternatives"] = list(self.alternatives)
        if self.removed:  # an SDK method the pinned SDK no longer has
            d["removed"] = self.removed
        if self.reason:  # an inferred site promoted from a guess: its evidence
            d["reason"] = self.reason
        return d


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
