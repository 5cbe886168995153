"""Which calls reach an SDK request through project code: wrapper functions that forward their
parameters into a site, and request methods handed uncalled to another callable."""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import TYPE_CHECKING

from tokenlint.catalog import Method
from tokenlint.resolve.binder import CallRecord, calls_by_owner
from tokenlint.resolve.examples import example_folder
from tokenlint.resolve.facades import nested_calls
from tokenlint.resolve.selfhosted import handed_self_hosted
from tokenlint.resolve.guards import within
from tokenlint.resolve.infer import MAX_DEPTH
from tokenlint.resolve.interfaces import POOL_METHODS
from tokenlint.resolve.loops import loop_bound, person_decides, returns_response, walk_local
from tokenlint.resolve.scope import (Scope, assigned, bind_args, binding_of, decorator_name, enclosing_function,
                                     is_method, name_uses, param_default, param_refs, return_values,
                                     spread_items, written_callee)
from tokenlint.resolve.site import Arg, CallSite
from tokenlint.resolve.values import Client, Func, Instance, OneOf, Qual, Runnable, RunnableMethod

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import SdkCatalog

# standard functions that call the function they are given with the keyword arguments they get
KEYWORD_FORWARDERS = frozenset({"asyncio.to_thread", "functools.partial", "starlette.concurrency.run_in_threadpool"})
MAX_NESTED = 16  # functions nested in a callback's receiver looked at for the call of the method
MAX_UNION = 12  # members of a union of project functions (a table of handlers) whose calls are read


class WrapperMixin:
    """The `Resolver`'s wrapper propagation (a mixin: a wrapper's sites come from `function_sites`)."""

    catalog: "SdkCatalog"
    _method_names: frozenset[str]

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
            if not self._may_be_method(a, scope, handed=True):
                continue
            v = self.infer(a, scope)
            founds = self._request_methods(v)
            if not founds:
                if type(v) is RunnableMethod and holder is call:  # `self.embed(text, self.fallback.get_text_embedding)`
                    site = self._callback(rec, i, v)
                    if site is not None:
                        return site
                continue
            client, m, prefix_async = founds[0]
            names = set(m.model) | set(m.system)
            if m.messages:
                names.add(m.messages)
            request = None
            if not any(k.arg is None or k.arg in names for k in call.keywords) and \
                    not self._bound_ahead(call, holder, i, m, scope):
                request = _request_dict(holder.args[i + 1:], names, scope) if holder is call else None
                if request is None:
                    return self._callback(rec, i, founds) if holder is call else None
            if holder is call and m.model_position is not None:  # positional arguments after the method
                m = replace(m, model_position=m.model_position + i + 1)
            site = self._direct(rec, client, m, prefix_async)
            self._mark_providers(site, founds)
            if request is not None:
                entries, dscope = request
                key = next((k for k in m.model if k in entries), None)
                if key is not None and site.model.kind == "missing":
                    site.model = self._classify(entries[key], dscope)
            elif site.model.kind == "missing" and holder is call:  # `create = partial(method, temperature=0)`
                site.model = self._partial_callers_model(call, scope, m.model) or site.model
            if request is not None or not self._passes_keywords(call, holder, scope):
                site.tag_style = None
            return site
        for k in call.keywords if holder is call else ():  # with_retries(call=client.chat.completions.create)
            if k.arg and self._may_be_method(k.value, scope, handed=True):
                v = self.infer(k.value, scope)
                founds = self._request_methods(v)
                if founds or type(v) is RunnableMethod:
                    return self._callback(rec, k.arg, founds or v)  # type: ignore[arg-type]
        return None

    def _handed_request(self, rec: CallRecord) -> CallSite | None:
        """A request method handed to a standard runner that calls it now, whatever arguments go
        with it: `asyncio.to_thread(llm.invoke, messages)`, `asyncio.to_thread(dashscope.Application.call,
        app_id=..., prompt=...)`, `loop.run_in_executor(None, client.embeddings.create, texts)`,
        `sync_to_async(chain.invoke)(inputs)`. The runner's call is the site, as the method's own call
        would be: an SDK method or module function of the catalog, or a request method of a framework
        model object or a runnable holding one. Anything else handed over (a project function, whose
        own requests are counted inside it) is not."""
        found = self.run_here(rec.node, rec.scope)  # type: ignore[attr-defined]
        if found is None:
            return None
        holder, at = found
        handed = holder.args[at]
        if not isinstance(handed, (ast.Attribute, ast.Name, ast.Call)):
            return None
        v = self.infer(handed, rec.scope)  # a call: `functools.partial(llm.invoke, messages)`, see `_called`
        if isinstance(handed, ast.Call) and type(v) is not RunnableMethod:
            return None
        founds = self._request_methods(v)
        if founds:
            client, m, prefix_async = founds[0]
            if holder is rec.node and m.model_position is not None:  # positional arguments after the method
                m = replace(m, model_position=m.model_position + at + 1)
            site = self._direct(rec, client, m, prefix_async)
            self._mark_providers(site, founds)
        elif isinstance(v, RunnableMethod):
            site = self._framework_site(rec, v)  # type: ignore[attr-defined]
        else:
            return None
        if site is None:
            return None
        if not self._passes_keywords(rec.node, holder, rec.scope):
            site.tag_style = None  # `run_in_executor` takes no keywords: no tag can be added there
        _mark_runner(site, rec.node, True)
        return site

    def _handed_function(self, rec: CallRecord) -> CallSite | None:
        """A project function handed, uncalled, to something that calls it: a standard runner that runs it
        now (`loop.run_in_executor(None, self.generate, history)`, `executor.submit(self.generate, h)`,
        `asyncio.to_thread(self.generate, h)`, `sync_to_async(self.generate)(h)`) or a thread started
        with it (`threading.Thread(target=self.generate, args=(h,))`). That call is a call of the
        function with the arguments that go with it, at that line: a wrapper or a facade site, as
        `self.generate(h)` would be. A `functools.partial` of the function handed there is the function
        with its bound arguments first (`run_in_executor(None, partial(self.client.generate, messages=m))`).
        (A `functools.partial` of it called later is the function itself, see `_called`.)"""
        call = rec.node
        found = self.run_here(call, rec.scope)  # type: ignore[attr-defined]
        if found is not None:
            holder, at = found
            handed = holder.args[at]
            if holder is call:
                args, keywords = list(holder.args[at + 1:]), list(call.keywords)
            else:  # sync_to_async(fn)(...): the adapter's result takes the function's arguments
                args, keywords = list(call.args), list(call.keywords)
            if isinstance(handed, ast.Call) and handed.args and \
                    self.catalog.canonical(_qual_of(self.infer(handed.func, rec.scope))) == "functools.partial":  # type: ignore[attr-defined]
                args, keywords = [*handed.args[1:], *args], [*handed.keywords, *keywords]
                handed = handed.args[0]
            inner: ast.Call | None = ast.Call(func=handed, args=args, keywords=keywords)
        else:
            handed = next((k.value for k in call.keywords if k.arg == "target"), None)
            if handed is None:
                return None
            inner = self.thread_call(call, handed, rec.scope)  # type: ignore[attr-defined]
        if inner is None or not isinstance(handed, (ast.Attribute, ast.Name)):
            return None
        f = self.infer(handed, rec.scope)  # type: ignore[attr-defined]
        if type(f) is not Func:
            return None
        ast.copy_location(inner, call)
        site = self.func_call_site(CallRecord(inner, rec.scope, rec.in_loop, rec.parent_call, rec.loop), f)  # type: ignore[attr-defined]
        if site is None:
            return None
        site.node, site.tag_style = call, None  # the runner's call is where it is written; no tag goes through it
        _mark_runner(site, call, found is not None)
        return site

    def _may_be_method(self, a: ast.expr, scope: Scope, hops: int = MAX_DEPTH, handed: bool = False) -> bool:
        """Whether argument `a` may be an SDK request method (`handed`: or a framework model object's
        request method, `llm.ainvoke`), by its spelling and binding only (`hops` bounds a binding cycle
        such as `f = g if c else f`)."""
        if hops <= 0:
            return False
        t = type(a)
        if t is ast.Attribute:
            return a.attr in self._method_names or (handed and a.attr in self.framework_request_names())  # type: ignore[attr-defined]
        if t is ast.IfExp:
            return (self._may_be_method(a.body, scope, hops - 1, handed)  # type: ignore[attr-defined]
                    or self._may_be_method(a.orelse, scope, hops - 1, handed))  # type: ignore[attr-defined]
        if t is ast.Call:  # getattr(client.chat.completions, "create"); cast("Callable", acompletion)
            if decorator_name(a.func) == "cast" and len(a.args) == 2:  # type: ignore[attr-defined]
                return self._may_be_method(a.args[1], scope, hops - 1, handed)  # type: ignore[attr-defined]
            return isinstance(a.func, ast.Name) and a.func.id == "getattr"  # type: ignore[attr-defined]
        if t is not ast.Name:
            return False
        b = binding_of(a.id, scope)  # type: ignore[attr-defined]
        if b is None:
            return False
        if b[0] == "from":
            return b[1][2] in self._method_names
        return b[0] == "assign" and type(b[1]) is not ast.Name and self._may_be_method(b[1], b[2], hops - 1, handed)

    def _bound_ahead(self, call: ast.Call, holder: ast.Call, at: int, m: Method, scope: Scope) -> bool:
        """Whether `call`, a standard function passing its arguments on to the method handed it at `at`,
        makes it a request with no model keyword: `partial(client.text_generation, max_new_tokens=n)` binds
        arguments for the request it stands for (its model the client's or passed later), and any
        forwarder passes the method's model positionally (`partial(acompletion, model_name)`)."""
        if holder is not call:
            return False
        callee = self.infer(call.func, scope)
        qual = self.catalog.canonical(callee.qual) if isinstance(callee, Qual) else ""
        if qual not in KEYWORD_FORWARDERS:
            return False
        after = call.args[at + 1:]
        if qual == "functools.partial" and at == 0 and (after or call.keywords):
            return True
        return m.model_position is not None and len(after) > m.model_position and \
            not any(isinstance(a, ast.Starred) for a in after[:m.model_position + 1])

    def _partial_callers_model(self, call: ast.Call, scope: Scope, keywords: tuple[str, ...]) -> Arg | None:
        """The model the calls of a name a partial binding no model is assigned to pass (`create =
        partial(client.chat.completions.create, temperature=0)`, then `create(model="gpt-4o", ...)` in
        its module), as keyword `keywords`; None when it is assigned no name or no call passes one."""
        name = next((n for n, b in scope.bindings.items() if len(b) == 1 and b[0][0] == "assign" and b[0][1] is call),
                    None)
        if name is None:
            return None
        found = []
        for owner, use, how in name_uses(scope.module).get(name, ()):
            if use is None or how != "name" or len(found) >= MAX_UNION:
                continue
            b = binding_of(name, owner)
            model = next((k.value for k in use.keywords if k.arg in keywords), None)
            if b is not None and b[1] is call and model is not None:
                found.append(self._classify(model, owner))  # type: ignore[attr-defined]
        if not found:
            return None
        return found[0] if len(found) == 1 else self._several(found, found[0].text)  # type: ignore[attr-defined]

    def _passes_keywords(self, call: ast.Call, holder: ast.Call, scope: Scope) -> bool:
        """Whether `call` hands its unknown keyword arguments on to the method it was given."""
        if holder is not call:  # sync_to_async(fn)(...): the wrapper takes the method's own arguments
            return True
        callee = self.infer(call.func, scope)
        if isinstance(callee, Func):
            return callee.node.args.kwarg is not None
        return isinstance(callee, Qual) and self.catalog.canonical(callee.qual) in KEYWORD_FORWARDERS

    def _wrapper(self, rec: CallRecord, f: Func) -> CallSite | None:
        info = f.scope.module
        inner = [s for s in self.function_sites(f.node, info) if s.forwards]
        if inner:  # a request in a branch the call's arguments rule out (`isinstance(action, EditAction)`)
            spans = self.ruled_out(rec.node, rec.scope, f.node, f.scope,  # type: ignore[attr-defined]
                                   skip_self=f.bound is not None or is_method(f))
            if spans:
                inner = [s for s in inner if not within(s.node, spans)]
                if not inner:
                    return None
        closure_params: frozenset[str] = frozenset()
        if not inner:
            inner, closure_params = self._closure_requests(f)
        example, reached = self._runs_the_framework(rec, f), False
        if not inner and example and type(f.bound) is Instance:
            # an example's call of its library's public method (`Console(agent.run_stream(task=...))` in
            # `samples/`) the catalog lists as a request of the framework's class of that public name:
            # what the method reaches on that object, through the class's own dispatch on `self`, though
            # no request there takes the example's arguments (examples.py: a run entry), when a name on
            # the way speaks of models (`BaseChatAgent`; not a UI shell running the session it is handed)
            fw = self._catalogued_class(f)
            client = fw is None and self.catalogued_client_call(rec)  # type: ignore[attr-defined]
            if fw is None and not client and f.node.name in self.catalog.example_runs:
                # a run entry of the library's own agent class (`agent.run(input_schema)`) whose request
                # takes the conversation the object holds, not the example's arguments: what it reaches, but
                # a facade over an object it is handed only when a name on the way speaks of models (a UI
                # shell running the session object it is handed is no agent)
                # (not an application's own `playground/` beside the class it runs, and never a request an
                # example's own override makes: that one is counted where it is written)
                if not self._example_outside_library(rec, f):  # type: ignore[attr-defined]
                    return None
                words = self.catalog.example_words
                inner = [s for s in self._reached_on(f.bound.cls, f)  # type: ignore[union-attr]
                         if example_folder(s.path, words) is None]
                if not self._names_models(rec, [f.bound.cls], f.node.name):  # type: ignore[attr-defined, union-attr]
                    inner = [s for s in inner if s.kind != "facade"]
                if not inner:
                    return None
            elif fw is None and not client:
                return None
            # (the library's own client, `client.chat.completions.create(...)`: the catalog names its request)
            elif client or self._names_models(rec, [f.bound.cls], f.node.name):  # type: ignore[attr-defined, union-attr]
                inner = self._reached_on(f.bound.cls, f)  # type: ignore[union-attr]
            reached = bool(inner)
            if not inner and fw is None:
                return None
            if not inner:  # (a team run through the framework's message runtime: nothing tokenlint follows)
                return self._framework_site(rec, RunnableMethod(Runnable(fw[0], fw[1], fw[0]), f.node.name))  # type: ignore[attr-defined, index]
        if not inner:
            return None
        # the wrapper's representative: its first request that can still send. A branch through a method
        # the pinned SDK removed (`openai.ChatCompletion.create` beside `client.chat.completions.create`)
        # raises before sending, so it speaks for the wrapper only when every branch is one
        target = next((s for s in inner if not s.removed), inner[0])
        site = self._relay(rec, target, f, "wrapper")
        if site.loop == "unbounded" and person_decides(rec.loop, rec.node, f.node, lambda c: self._callee_def(c, f)):
            site.loop = None  # `while repeat: repeat = self.phase()`, the phase repeating on a person's answer
        elif site.loop == "unbounded" and returns_response(f.node, {id(s.node) for s in inner}):
            # `while ret is None: ret = make_request(...)`, which returns the SDK's response as is: a retry
            site.loop = loop_bound(rec.loop, rec.node, self.catalog.person_prompts, True)
        site.requests = min(2, requests_per_call(f.node.body, self.function_sites(f.node, info)))
        if reached:  # (the method's own body holds none: one request at least, through `self`)
            site.requests = max(1, site.requests)
        site.held_object = all(s.held_object for s in inner)  # every request runs a model object held in `self`
        site.target = target.id
        site.wrapper = f"{info.source.dotted}.{f.scope.qualname}" if info.source.dotted else f.scope.qualname
        if example:
            site.kind = "request"  # an example running its library's entry: a framework request (examples.py)
        if closure_params:  # what this call passes for them is its own function's to forward in turn
            a = f.node.args  # type: ignore[attr-defined]
            if any(p is not None and p.arg in closure_params for p in (a.vararg, a.kwarg)):
                handed = [*rec.node.args, *(k.value for k in rec.node.keywords)]  # (all of them may land there)
            else:
                bound = bind_args(f.node, rec.node, skip_self=f.bound is not None or is_method(f))
                handed = [v for k, v in bound.items() if k in closure_params]
            site.forwards = site.forwards | _spread_params(rec) | frozenset(
                r for v in handed for r in param_refs(v, rec.scope))
        return site

    def _callee_def(self, call: ast.Call, f: Func) -> "ast.AST | None":
        """The function a call written in `f`'s body runs, read from the source alone (`written_callee`)."""
        return written_callee(call, f.scope)

    def _closure_requests(self, f: Func) -> tuple[list[CallSite], frozenset[str]]:
        """The requests `f` makes through closures it defines and calls (the tenacity retry idiom: `@retry
        def _with_retry(**kw): return client.create(**kw)`, then `return _with_retry(**params)`), when it
        hands them parameters of its own (named ones, or its `*args` / `**kwargs` spread): a local closure
        is the function's own code, so the function wraps the request for its callers as if the request
        were written in its body. Those parameters' names are returned with the sites."""
        node = f.node
        closures = {d.name: d for d in nested_calls(node)} if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else {}
        if not closures:  # (most functions: nothing more to read)
            return [], frozenset()
        a = node.args  # type: ignore[attr-defined]
        own = {p.arg for p in (*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg) if p is not None}
        own.discard(a.args[0].arg if a.args and (f.bound is not None or is_method(f)) else "")
        handed: set[str] = set()
        sites: list[CallSite] = []
        for call in ast.walk(node):
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in closures:
                args = [*call.args, *(k.value for k in call.keywords)]
                names = {n.id for e in args for n in ast.walk(e) if isinstance(n, ast.Name) and n.id in own}
                if names:
                    handed |= names
                    sites += [s for s in self.function_sites(closures[call.func.id], f.scope.module) if s.spends]
        return sites, frozenset(handed)

    def _union_call(self, rec: CallRecord, callee: OneOf) -> CallSite | None:
        """A call of any of several project functions: an entry of a table of handlers or bound methods
        (`self.handlers[name](history)` with `self.handlers = {"openai": self._openai_fn, ...}`), a
        method of an object built from a registry of project classes. It reaches what each member
        reaches: the site of the first member that makes one (a wrapper, a facade), listing every
        provider the members reach ("multi" when they differ) and forwarding what any of them forwards.
        Its requests per call are those of the member making the most (the members are alternatives, as
        the branches of an `if` are): a registry holding a one-request class beside a pipeline of chained
        requests is a pipeline for TKL401."""
        if not all(type(m) is Func for m in callee.members):
            return None
        sites_by = {id(f): self.func_call_site(rec, f) for f in callee.members[:MAX_UNION]}  # type: ignore[attr-defined]
        sites = [s for s in sites_by.values() if s is not None]
        if not sites:
            return self._chosen_object_call(rec, callee)
        # the implementations the members run (a subclass inheriting the method runs its base's), and
        # the request each reaches (a facade's: by the method reached; None: none tokenlint follows)
        reach: dict = {}
        for f in callee.members[:MAX_UNION]:  # type: ignore[attr-defined]
            reach.setdefault(f.node, set()).add(_reached(sites_by[id(f)]))
        keys = {k for ks in reach.values() for k in ks}
        shared = len(keys) == 1 and None not in keys
        bound = [f.bound for f in callee.members]  # type: ignore[attr-defined]
        if len(reach) > 1 and not shared and all(type(b) is Instance for b in bound) and \
                len({b.cls.node for b in bound}) > 1:  # type: ignore[union-attr]  # (a table of one object's methods: no)
            # the same method of objects of several classes with implementations of their own (`client().
            # send_message(...)`, the factory returning any client of a registry: OpenAI's or Ollama's):
            # chosen at run time, a facade over their requests. Implementations reaching one shared request
            # (two metrics calling the project's one LLM gateway) make a wrapper of it, as one class does
            if all(b.chosen for b in bound) and not any(s.kind == "facade" for s in sites) and \
                    not self._sends_its_own(bound, callee.members[0].node.name):  # type: ignore[union-attr]
                # objects built by name on several paths, each using a model it holds (see below); not
                # when a member is itself an interface over models (a wrapper of any `Model`, or the base)
                return None
            targets = [t for t in (s.request or s for s in sites) if t.kind != "facade"] or sites
            root = callee.members[0].bound.cls  # type: ignore[attr-defined]
            site = self._facade_site(rec, targets, root, callee.members[0].node.name)  # type: ignore[attr-defined]
            site.forwards = frozenset().union(*(s.forwards for s in sites))  # its function wraps it on
            site.requests = max(s.requests for s in sites)  # members are alternatives: the longest counts
            return site
        site = sites[0]
        site.requests = max(s.requests for s in sites)
        providers = sorted({p for s in sites for p in s.providers})
        if len(providers) > 1:
            site.provider, site.providers = "multi", tuple(providers)
        site.forwards = frozenset().union(*(s.forwards for s in sites))
        site.held_object = all(s.held_object for s in sites)
        return site

    def _chosen_object_call(self, rec: CallRecord, callee: OneOf) -> CallSite | None:
        """The same method of an object chosen at run time among project classes sharing no interface
        (`get_generator(config)` returning `OpenaiGenerator(...)` or a local `VLLMGenerator(...)`,
        `interfaces.chosen_instance`), none of whose methods forwards the call's arguments into a
        request (the wrapper sites `_union_call` reads): a facade over the requests the members'
        methods reach all the same (an API generator batching its prompts through an event loop),
        "inferred" as the choice is the program's at run time, when a member's class sends one of its own
        (an SDK, HTTP or framework request written in it, not in its subclasses, on no model object it
        holds). None when no
        member's method reaches one: the same method on classes that make no request is no site."""
        funcs = callee.members[:MAX_UNION]  # type: ignore[attr-defined]
        bound = [f.bound for f in funcs]
        if not all(type(b) is Instance for b in bound) or len({b.cls.node for b in bound}) < 2:  # type: ignore[union-attr]
            return None
        name = funcs[0].node.name
        if name.startswith("_") and name != "__call__" or any(f.node.name != name for f in funcs):
            return None  # (a private method called on another object is plumbing, not a facade's surface)
        if not self._sends_its_own(bound, name):  # type: ignore[arg-type]
            return None
        targets = [t for b in bound for t in self._spend_targets(b.cls, name, 0)[0]]  # type: ignore[attr-defined,union-attr]
        site = self._facade_site(rec, targets, bound[0].cls, name)  # type: ignore[attr-defined,union-attr]
        site.confidence = "inferred"
        return site

    def _sends_its_own(self, bound: list[Instance], name: str) -> bool:
        """Whether the class of one of the objects `bound` sends a request of its own in its method `name`
        (an SDK, HTTP or framework request written in it, not in its subclasses, on no model object it
        holds). Not when they reach requests only through another object's (a pipeline stage running the
        translation engine it holds, a router or a chat session calling the project's model helper), or
        through the subclasses of a member (an agent switching between two roles' interfaces, each a
        facade of its own): a use of a model, not the choice of one."""
        for b in bound:
            ts, dispatched = self._spend_targets(b.cls, name, 0)  # type: ignore[attr-defined]
            if not dispatched and any(t.kind in ("direct", "request") and not t.held_object for t in ts):
                return True
        return False

    def _relay(self, rec: CallRecord, target: CallSite, f: Func, kind: str) -> CallSite:
        """A site at `rec`, a call of project function `f`, for the request `target` made inside `f`:
        its model and tag mapped through the arguments `rec` binds to `f`'s parameters."""
        call, scope = rec.node, rec.scope
        if f.ahead is not None and f.ahead[1] is scope:  # `fn = partial(f, model=m)` then `fn(x)`: m and x
            first = f.ahead[0]
            call = ast.Call(func=call.func, args=[*first.args[1:], *call.args], keywords=[*first.keywords, *call.keywords])
        bound = bind_args(f.node, call, skip_self=f.bound is not None or is_method(f))
        call = rec.node
        params = f.scope.params if f.scope is not None else {}
        # a `**kwargs` the caller built with the key written gives that argument (`dict(model_name=m)`)
        bound.update({k: v for k, v in spread_items(call, scope).items() if k in params and k not in bound})
        model = self._map_arg(target.model, bound, scope, f)
        if model.kind == "dynamic" and target.model.text == "**kwargs":  # `create(**config)`: the caller's dict
            model = self._spread_model(target, bound, scope) or model
        site = self._base(rec, target.provider, target.sdk, target.api, kind, target.confidence, model,
                          target.is_async, target.stream, target.spends)
        site.backend = target.backend
        site.self_hosted, site.serving = target.self_hosted, target.serving
        if not site.self_hosted and target.kind == "direct" and isinstance(target.node, ast.Call):
            # `fewshot(client=local_client)`: the request runs on the client the caller hands in
            site.self_hosted = handed_self_hosted(target.node, bound, scope, target.model.names())
        site.providers = target.providers
        site.system, site.messages = target.system, target.messages
        site.arguments = {**target.arguments, **{(f.node, k): (v, scope) for k, v in bound.items()}}
        if target.tag is not None:
            tag = self._map_arg(target.tag, bound, scope, f)
            site.tag, site.tag_via = tag, target.tag_via
            site.feature = tag.value if tag.kind in ("literal", "constant") else None
        site.tag_on, site.client_args = target.tag_on, target.client_args
        site.removed = target.removed  # a wrapper of a call the pinned SDK cannot make cannot make it either
        if kind == "wrapper":
            site.request = target.request if target.request is not None else target if target.kind == "direct" else None
            # a framework request's model is written at its binding (judged there), unless this call
            # passes it (`ask("gpt-4o")` into `ChatOpenAI(model=model)`): then it is written here
            site.held_model = (target.kind == "request" or target.held_model) and model is target.model
            site.held_object = target.held_object
        # this call forwards its own function's parameters into the target's forwarded ones?
        fw = set()
        for pname in target.forwards:
            expr = bound.get(pname)
            if expr is not None:
                fw |= param_refs(expr, scope)
            else:  # a `*args` / `**kwargs` of `f` (`def retry(*args, **kwargs): return ask(*args, **kwargs)`)
                for e in _packed_arguments(f.node, call, pname, f.bound is not None or is_method(f)):
                    fw |= param_refs(e, scope)
        if target.forwards and not target.forwards <= bound.keys() and _passes_through(rec):
            # this call spreads its own `*args` / `**kwargs` into a function making the request (a
            # pass-through: what it is handed may be any parameter of `f` the target forwards)
            fw |= _spread_params(rec)
        site.forwards = frozenset(fw)
        return site

    def _spread_model(self, target: CallSite, bound: dict[str, ast.expr], scope: Scope) -> Arg | None:
        """The model of a request made with a dict parameter spread into it (`create(**config)` in
        `def request(config)`), read from the dict the caller passes for that parameter: a literal, a
        name bound to one, or a builder function's call returning one (`make_config(prompt,
        model="gpt-4o")`), a builder's parameter mapped through that call's arguments."""
        call, names = target.node, target.method.model if target.method is not None else ()
        spread = next((k.value for k in call.keywords if k.arg is None), None) if call is not None else None
        if not names or not isinstance(spread, ast.Name) or spread.id not in bound:
            return None
        expr, where = bound[spread.id], scope
        if isinstance(expr, ast.Name):  # config = make_config(...); request(config)
            b = assigned(expr.id, scope)
            if b is not None:
                expr, where = b
        d = self._dict_entries(expr, where, 0)  # type: ignore[attr-defined]
        key = next((k for k in names if k in d[0]), None) if d is not None else None
        if key is None:
            return None
        arg = self._classify(d[0][key], d[1])  # type: ignore[index]
        builder = self.infer(expr.func, where) if isinstance(expr, ast.Call) else None
        if type(builder) is Func and arg.kind == "parameter":  # the builder's `model` parameter
            skip = builder.bound is not None or is_method(builder)
            arg = self._map_arg(arg, bind_args(builder.node, expr, skip_self=skip), where, builder)  # type: ignore[arg-type]
        return arg

    def _bound_later(self, rec: CallRecord) -> CallSite | None:
        """A chain or agent, or its request method, handed to a project helper that binds it with
        arguments for a later call (`target = bind_later(chain, inputs)` where `bind_later(func, *args)`
        returns `functools.partial(func, *args)`, run afterwards by whatever is handed the result): the
        helper's call is the request's site, as the hand-over of a request to a helper calling it is
        (`_callback`). Only a parameter the helper itself hands to `functools.partial` is read; a
        project function or an SDK method handed so is not (their requests are found where written)."""
        call = rec.node
        f = self.infer(call.func, rec.scope)
        if type(f) is not Func:
            return None
        params = self._partial_params(f)
        if not params:
            return None  # most project functions: no parameter bound ahead (asked of every such call)
        names = [a.arg for a in list(f.node.args.posonlyargs) + list(f.node.args.args)]  # type: ignore[attr-defined]
        if f.bound is not None or is_method(f):  # type: ignore[arg-type]
            names = names[1:]
        for name, a in zip(names, call.args):
            if name not in params or isinstance(a, ast.Starred):
                continue
            v = self.infer(a, rec.scope)
            if type(v) is RunnableMethod or type(v) is Runnable:
                site = self._framework_site(rec, v)  # type: ignore[attr-defined]
                if site is not None:
                    site.tag_style = None  # the arguments are bound in the helper: no tag goes through it
                return site
        return None

    def _partial_params(self, f: Func) -> frozenset[str]:
        """The parameters of project function `f` it hands, as the callable, to `functools.partial`
        (`functools.partial(func, *args, **kwargs)`), read once per function."""
        memo = self.__dict__.setdefault("_partial_params_memo", {})
        got = memo.get(f.node)
        if got is None:
            args = f.node.args  # type: ignore[attr-defined]
            own = {a.arg for a in list(args.posonlyargs) + list(args.args)}
            found = set()
            for r in calls_by_owner(f.scope.module).get(f.node, ()):  # type: ignore[attr-defined]
                c = r.node
                if c.args and type(c.args[0]) is ast.Name and c.args[0].id in own and \
                        decorator_name(c.func) == "partial" and \
                        self.catalog.canonical(_qual_of(self.infer(c.func, r.scope))) == "functools.partial":  # type: ignore[attr-defined]
                    found.add(c.args[0].id)
            got = memo[f.node] = frozenset(found)
        return got

    def _callback(self, rec: CallRecord, param: int | str,
                  founds: list[tuple[Client, Method, bool]] | RunnableMethod) -> CallSite | None:
        """An SDK request method passed as a callback to a project function that calls it with the
        request's arguments: `run(client.chat.completions.create, prompt)` where `run(fn, prompt)` does
        `fn(model=..., messages=...)`. The call passing the method is the site (the client is known
        there); model, prompts and tag come from the call inside the function, mapped through the
        arguments. `param`: the position (or keyword) the method is passed at. No tag fix is offered:
        the arguments are written in the other function. The same for a framework model object's
        request method (`founds` a RunnableMethod: `self.cached(text, self.fallback.get_text_embedding)`
        where `cached(text, embedder)` calls `embedder(text)`): a call passing it any argument (the
        request's input) is enough, and the site is that request's, on the object known here."""
        f = self.infer(rec.node.func, rec.scope)
        if type(f) is not Func:
            return None
        args = f.node.args  # type: ignore[attr-defined]
        params = [a.arg for a in list(args.posonlyargs) + list(args.args)]
        if f.bound is not None or is_method(f):  # type: ignore[arg-type]
            params = params[1:]
        if isinstance(param, int):
            if param >= len(params):
                return None
            param = params[param]
        elif param not in params and param not in {a.arg for a in args.kwonlyargs}:
            return None
        if type(founds) is RunnableMethod:
            names, m = None, None
        else:
            client, m, prefix_async = founds[0]  # type: ignore[index]
            names = set(m.model) | set(m.system) | ({m.messages} if m.messages else set())
        pname = param
        by_owner = calls_by_owner(f.scope.module)  # type: ignore[attr-defined]
        # the method is called in the function or in a function nested in it (`async def gen(): ...
        # await method(**params)`), with the request's keywords or a `**dict` of them; not in one the
        # function returns uncalled (a decorator's `return wrapped`: the method runs when that is called,
        # later, and `model.embed = retrier(model.embed)` sends nothing)
        returned = {r.id for r in return_values(f.node) if isinstance(r, ast.Name)}  # type: ignore[attr-defined]
        owners = [f.node] + [n for n in ast.walk(f.node) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))  # type: ignore[attr-defined]
                             and n is not f.node and n.name not in returned
                             and pname not in {a.arg for a in ast.walk(n.args) if isinstance(a, ast.arg)}]  # type: ignore[attr-defined]
        inner = next((r for o in owners[:MAX_NESTED] for r in by_owner.get(o, ())
                      if type(r.node.func) is ast.Name and r.node.func.id == pname  # type: ignore[attr-defined]
                      and (any(k.arg is None or k.arg in names for k in r.node.keywords) if names is not None
                           else bool(r.node.args or r.node.keywords))), None)
        if inner is None:
            return None
        if type(founds) is RunnableMethod:
            site = self._framework_site(rec, founds)  # type: ignore[attr-defined]
            if site is not None:
                site.tag_style = None
            return site
        site = self._relay(rec, self._direct(inner, client, m, prefix_async), f, "direct")  # type: ignore[arg-type]
        site.method, site.tag_style = m, None
        self._mark_providers(site, founds)
        return site

    def _map_arg(self, arg: Arg, bound: dict[str, ast.expr], scope: Scope, f: Func) -> Arg:
        if arg.kind != "parameter" or not arg.param:
            return arg
        expr = bound.get(arg.param)
        if expr is not None:
            return self._classify(expr, scope)
        p = f.scope.params.get(arg.param)
        default = param_default(f.node, arg.param)
        if default is not None:
            a = self._classify(default, f.scope)
            a.text = f"{arg.param}={a.text}"
            a.param = a.param or arg.param  # the parameter a caller may pass (TKL101's wrapper fix)
            return a
        return Arg(arg.text, "missing", param=arg.param) if p is not None else arg

    def _forwards(self, site: CallSite) -> frozenset[str]:
        """Parameters of the enclosing function that flow into the site's model, tag or prompt."""
        scope = site.scope
        if scope is None:
            return frozenset()
        fs = enclosing_function(scope)
        if fs is None or not fs.params:
            return frozenset()
        refs: set[str] = set()
        if site.model.kind == "parameter" and site.model.param:
            refs.add(site.model.param)
        if site.tag is not None and site.tag.kind == "parameter" and site.tag.param:
            refs.add(site.tag.param)
        for p in (site.system, site.messages):
            # a prompt written in another function (a message builder's, an agent builder's call in
            # another method) names that function's variables, not this one's parameters
            if p is not None and p.node is not None and (p.scope is None or enclosing_function(p.scope) is fs):
                refs |= param_refs(p.node, scope)
        call = site.node
        if isinstance(call, ast.Call) and fs.self_name and (site.kind == "request" or site.sdk == "http"):
            # a method of a project class making a framework request or an HTTP request whose input is
            # written from its parameters (`self.llm.astream_complete(prompt)`, `requests.post(url,
            # json={"messages": [... prompt ...]})`) forwards them as an SDK call's messages would: the
            # class is a model wrapper, its callers write the prompt. (A plain function handed the model
            # object, `run_task(agent, q)`, is read through its callers' arguments instead: resolve/passed.py.)
            # Not a model class's own method (`class MyChat(ChatOpenAI)`: `super()._generate(...)`,
            # `self.invoke(...)` are the model's internals) nor a helper posting to the URL its callers
            # give (`_post(url, payload)`: the endpoint is theirs, its request the one site).
            if not _own_model_request(call, fs.self_name) and not (
                    site.sdk == "http" and any(p != fs.self_name for a in _url_arguments(call) for p in param_refs(a, scope))):
                for a in _input_arguments(call, site.sdk == "http"):
                    refs |= param_refs(a, scope)
        if isinstance(call, ast.Call) and site.model.kind == "dynamic" and site.model.text == "**kwargs":
            # a dict parameter spread into the request gives its model: `create(**config)`, a wrapper
            # whose callers write the whole request (`config = {"model": ..., "messages": ...}`); a
            # dict of options spread beside a model written here (`create(model="x", **opts)`) is not
            for k in call.keywords:
                if k.arg is None:
                    refs |= param_refs(k.value, scope)
        refs.discard(fs.self_name or "")
        return frozenset(r for r in refs if r in fs.params)


# keywords of a framework request that carry no input (LangChain's per-call config and callbacks)
_NOT_INPUT = frozenset({"config", "callbacks", "run_manager"})
# keywords carrying an HTTP request's body (requests / httpx / aiohttp: `json=`, `data=`, `content=`)
_HTTP_BODIES = frozenset({"json", "data", "content"})


def _packed_arguments(func: ast.AST, call: ast.Call, pname: str, skip_self: bool) -> list[ast.expr]:
    """The arguments of `call` that land in `func`'s `*args` or `**kwargs` parameter named `pname`: the
    positionals past its named ones, or the keywords none of its named parameters takes; none else."""
    a = getattr(func, "args", None)
    if a is None:
        return []
    if a.kwarg is not None and a.kwarg.arg == pname:
        named = {p.arg for p in (*a.posonlyargs, *a.args, *a.kwonlyargs)}
        return [k.value for k in call.keywords if k.arg is not None and k.arg not in named]
    if a.vararg is not None and a.vararg.arg == pname:
        n = len(a.posonlyargs) + len(a.args) - (1 if skip_self and (a.posonlyargs or a.args) else 0)
        return [x.value if isinstance(x, ast.Starred) else x for x in call.args[n:]]
    return []


def _passes_through(rec: CallRecord) -> bool:
    """Whether `rec` is written in a function of a module or a class (a helper: `def retry(*args, **kwargs):
    return ask(*args, **kwargs)`) and calls no method of its own object. Not a method handing its
    arguments on to another of its object (`def __call__(self, *args, **kwargs): return self.call(*args,
    **kwargs)`, a framework's dispatch plumbing, whose callers reach whatever subclass they hold), nor
    a closure (a decorator's or a patch's `wrapped(*args, **kwargs)`, read where it is installed)."""
    fs = enclosing_function(rec.scope)
    if fs is None or fs.parent is None or fs.parent.kind not in ("module", "class"):
        return False
    f = rec.node.func
    return not (fs.self_name and isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name)
                and f.value.id == fs.self_name)


def _spread_params(rec: CallRecord) -> frozenset[str]:
    """The `*args` / `**kwargs` parameters of the function making `rec` that the call spreads (`f(**params)`)."""
    fs = enclosing_function(rec.scope)
    node = fs.node if fs is not None else None
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return frozenset()
    own = {a.arg for a in (node.args.vararg, node.args.kwarg) if a is not None}
    spread = [a.value for a in rec.node.args if isinstance(a, ast.Starred)] + \
        [k.value for k in rec.node.keywords if k.arg is None]
    return frozenset(e.id for e in spread if isinstance(e, ast.Name) and e.id in own)


def _input_arguments(call: ast.Call, http: bool) -> list[ast.expr]:
    """The arguments of a request that carry its input: an HTTP request's body keywords (not its URL,
    headers or timeout), a framework request's arguments but its config."""
    if http:
        return [k.value for k in call.keywords if k.arg in _HTTP_BODIES]
    return [*call.args, *(k.value for k in call.keywords if k.arg not in _NOT_INPUT)]


def _url_arguments(call: ast.Call) -> list[ast.expr]:
    """The URL of an HTTP request: its first argument or `url=`."""
    return [*call.args[:1], *(k.value for k in call.keywords if k.arg == "url")]


def _own_model_request(call: ast.Call, self_name: str) -> bool:
    """Whether a request is made on the object itself (`self.invoke(...)`, `super()._generate(...)`):
    a method of a project model class, not of a class holding one."""
    recv = call.func.value if isinstance(call.func, ast.Attribute) else None
    return (isinstance(recv, ast.Name) and recv.id == self_name) or \
        (isinstance(recv, ast.Call) and isinstance(recv.func, ast.Name) and recv.func.id == "super")


def _request_dict(args: list[ast.expr], names: set[str], scope: Scope) -> tuple[dict[str, ast.expr], Scope] | None:
    """The entries of a dict literal among `args` (a name bound to one) holding one of a request's
    argument `names` (`params = {"modelId": ..., "messages": ...}`), with the scope it is written in."""
    for a in args:
        b = assigned(a.id, scope) if isinstance(a, ast.Name) else None
        if b is None or not isinstance(b[0], ast.Dict):
            continue
        entries = {k.value: v for k, v in zip(b[0].keys, b[0].values)
                   if isinstance(k, ast.Constant) and isinstance(k.value, str)}
        if names & entries.keys():
            return entries, b[1]
    return None


def requests_per_call(body: list[ast.stmt], sites: list[CallSite]) -> int:
    """How many requests one run of `body` makes on its longest path, counting each of `sites` (the
    spending sites of the function, a wrapper's as many as its own function makes) where its call is
    written: branches of an `if` / `match` / `try` are alternatives (the larger counts), a path ends
    at a `return` or `raise`, a loop body may run twice unless it returns (a retry loop), nested
    functions and classes do not run. A loop that returns is a retry only when it sends the same
    request again: one whose body hands an answer to the next request (`messages.append(reply)`, an
    agent's turns until it returns its answer) is a conversation, its turns counted."""
    weight = {id(s.node): s.requests for s in sites if s.spends and s.node is not None and s.kind != "binding"}
    if not weight:
        return 0
    calls = [s.node for s in sites if id(s.node) in weight and isinstance(s.node, ast.Call)]

    def here(node: ast.AST) -> int:
        return sum(weight.get(id(n), 0) for n in walk_local([node]))

    def seq(stmts: list[ast.stmt], after: int) -> int:
        for st in reversed(stmts):
            after = stmt(st, after)
        return after

    def stmt(st: ast.stmt, after: int) -> int:
        if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return after
        if isinstance(st, (ast.Return, ast.Raise)):
            return here(st)
        if isinstance(st, (ast.Break, ast.Continue)):
            return 0
        if isinstance(st, ast.If):
            return here(st.test) + max(seq(st.body, after), seq(st.orelse, after))
        if isinstance(st, ast.Match):
            return here(st.subject) + max([after, *(seq(c.body, after) for c in st.cases)])
        if isinstance(st, (ast.For, ast.AsyncFor, ast.While)):
            head = here(st.iter if isinstance(st, (ast.For, ast.AsyncFor)) else st.test)
            retry = any(isinstance(n, ast.Return) for n in walk_local(st.body)) and not _feeds_back(st.body, calls)
            return head + (1 if retry else 2) * seq(st.body, 0) + seq(st.orelse, 0) + after
        if isinstance(st, ast.Try) or type(st).__name__ == "TryStar":
            tail = seq(st.finalbody, after)  # type: ignore[attr-defined]
            handlers = [seq(h.body, tail) for h in st.handlers]  # type: ignore[attr-defined]
            return max([seq(st.body, seq(st.orelse, tail)), *handlers])  # type: ignore[attr-defined]
        if isinstance(st, (ast.With, ast.AsyncWith)):
            return sum(here(i.context_expr) for i in st.items) + seq(st.body, after)
        return here(st) + after

    return seq(body, 0)


def _feeds_back(body: list[ast.stmt], calls: list[ast.Call]) -> bool:
    """Whether `body` hands a request's answer to the next request: it adds to what one of `calls`
    written in it reads with a value made from a name an answer was bound to (`reply = ask(messages)`
    then `messages.append(reply)`, `messages += [...reply...]`, `prompt = prompt + reply`). Rebuilding the
    same request (`prompt = build(x)` in a retry) feeds nothing back."""
    here = {id(n) for n in walk_local(body)}
    mine = [c for c in calls if id(c) in here]
    read = {n.id for c in mine for a in (*c.args, *(k.value for k in c.keywords))
            for n in ast.walk(a) if isinstance(n, ast.Name)}
    ids = {id(m) for m in mine}
    answers: set[str] = set()

    def made_of_answer(e: ast.AST) -> bool:
        return any(id(x) in ids or isinstance(x, ast.Name) and x.id in answers for x in ast.walk(e))

    binds = [n for n in walk_local(body) if isinstance(n, (ast.Assign, ast.AnnAssign)) and n.value is not None]
    grew = True
    while grew and read:  # names an answer is bound to (`reply = ask(m)`, then `text = reply.choices[0]...`)
        grew = False
        for n in binds:
            if made_of_answer(n.value):  # type: ignore[arg-type]
                new = {t.id for tg in (n.targets if isinstance(n, ast.Assign) else [n.target])
                       for t in ast.walk(tg) if isinstance(t, ast.Name)} - answers - read
                grew, answers = grew or bool(new), answers | new
    if not read or not answers:
        return False

    repair = _repairs(body)
    for n in walk_local(body):
        if id(n) in repair:
            continue
        if isinstance(n, (ast.Assign, ast.AugAssign)) and made_of_answer(n.value) and \
                any(isinstance(t, ast.Name) and t.id in read
                    for tg in (n.targets if isinstance(n, ast.Assign) else [n.target]) for t in ast.walk(tg)):
            return True
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and isinstance(n.func.value, ast.Name) \
                and n.func.attr in ("append", "extend", "insert") and n.func.value.id in read \
                and any(made_of_answer(a) for a in n.args):
            return True
    return False


_COMPLAINT_CALLS = frozenset({"append", "extend", "insert", "str", "repr", "len", "format"})


def _repairs(body: list[ast.stmt]) -> set[int]:
    """The nodes of a loop body that only run when its answer failed the return test: the `except`
    handlers of a `try` that returns (`try: return json.loads(out)` / `except ValueError:
    messages.append(...)`), and a branch that only tells the model what was wrong and `continue`s (no
    call but adding to a list or formatting). An answer handed back there asks for a repair, the
    same request again, not an agent's next turn."""
    out: set[int] = set()
    for n in walk_local(body):
        if isinstance(n, ast.Try) or type(n).__name__ == "TryStar":
            if any(isinstance(r, ast.Return) for r in walk_local(n.body)):  # type: ignore[attr-defined]
                out |= {id(x) for h in n.handlers for x in walk_local(h.body)}  # type: ignore[attr-defined]
        elif isinstance(n, ast.If):
            for block in (n.body, n.orelse):
                if block and isinstance(block[-1], ast.Continue) and all(
                        isinstance(f, ast.Name) and f.id in _COMPLAINT_CALLS
                        or isinstance(f, ast.Attribute) and f.attr in _COMPLAINT_CALLS
                        for c in walk_local(block) if isinstance(c, ast.Call) for f in [c.func]):
                    out |= {id(x) for x in walk_local(block)}
    return out


def _reached(site: CallSite | None) -> object:
    """What a member's site reaches, to tell implementations sharing one request apart: the request's
    position, or for a facade below the method which one; None for no site."""
    if site is None:
        return None
    r = site.request
    return (r.path, r.line, r.column) if r is not None else site.wrapper


def _qual_of(v: object) -> str:
    """The qualified name of an external name's value (`functools.partial`), else ""."""
    return v.qual if type(v) is Qual and not v.called else ""  # type: ignore[attr-defined]


def _mark_runner(site: CallSite, call: ast.Call, ran_now: bool) -> None:
    """What the runner a request or function was handed to makes of its call: `map` (an executor's,
    a process pool's or the builtin) runs it once per element, in a loop; `submit` returns a future;
    the others (`to_thread`, `run_in_executor`, an adapter's result) an awaitable, awaited or not here."""
    runner = decorator_name(call.func)
    if runner == "map":
        site.in_loop = True
    elif ran_now and runner not in POOL_METHODS:
        site.is_async = True
