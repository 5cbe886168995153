"""What the SDK catalog says a call is: clients made by SDK constructors and factories, and request
methods and constructors matched into direct call sites."""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import TYPE_CHECKING, Optional

from tokenlint.catalog import ClientType, Constructor, Method
from tokenlint.features import owner_of
from tokenlint.pins import nearest_specs, removed_where_run
from tokenlint.resolve.binder import CallRecord, is_declaration
from tokenlint.resolve.callers import MAX_FILES, naming_files, none_fallback
from tokenlint.resolve.configdicts import config_served
from tokenlint.resolve.caps import (default_caps, image_reads, library_default, local_providers, output_cap,
                                    output_tokens, request_cap)
from tokenlint.resolve.evidence import contradicts, looks_mocked, star_only
from tokenlint.resolve.facades import MAX_SUBCLASSES
from tokenlint.resolve.factories import as_called, head_text, provider_expr, provider_object_call, split_provider
from tokenlint.resolve.bodies import SPREAD
from tokenlint.resolve.loops import loop_bound
from tokenlint.resolve.reaching import overwritten_unread, reaching_use, saved_unrun
from tokenlint.resolve.imageanswers import reads_image_only
from tokenlint.resolve.scoring import reads_logprobs_only
from tokenlint.resolve.selfhosted import named_for_server, self_hosted
from tokenlint.resolve.serving import served_by
from tokenlint.resolve.scope import (Scope, binding_of, enclosing_class, enclosing_function, owner_scope,
                                     written_callee)
from tokenlint.resolve.site import Arg, CallSite
from tokenlint.resolve.templates import READS, data_digest
from tokenlint.resolve.urls import url_authority
from tokenlint.resolve.values import (UNKNOWN, Chain, ClassV, Client, Holder, Instance, OneOf, Opaque, Param, Qual,
                                      Resource, Session, SessionMethod, Str, Value, join, useful)

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import SdkCatalog

MAX_SUBCLASS_VALUES = 16  # subclasses read for the value of a `self` attribute their base class only declares


class SdkMixin:
    """The `Resolver`'s SDK matching (a mixin over the catalog data; the resolver names no SDK)."""

    catalog: "SdkCatalog"

    def _known_qual(self, qual: str) -> bool:
        c = self.catalog
        q = c.canonical(qual)
        return (q in c.classes or q in c.constructors or q in c.factories or c.module_method(q) is not None
                or q in c.passthrough_functions or q in c.session_classes or q in c.wrappers
                or q in c.from_model_string)

    def _project_class_of(self, call: ast.Call, scope: Scope) -> Optional[ast.ClassDef]:
        """The project class a call builds an object of (`Decompose(lm)`), or None."""
        v = self.infer(call.func, scope)  # type: ignore[attr-defined]
        return v.node if type(v) is ClassV else None

    def _sdk_base(self, cls: ClassV) -> Qual | None:
        """The SDK class a project class derives from (class MyClient(OpenAI), class Codex(ChatOpenAI),
        class Agent(BaseAgent[Context]): subscripts read through)."""
        for c in self._class_chain(cls):
            for qual in self._base_quals(c):  # type: ignore[attr-defined]
                q = self.catalog.canonical(qual)
                if q in self.catalog.classes or q in self.catalog.constructors:
                    return Qual(q)
        return None

    def _inherited_attr(self, cls: ClassV, attr: str) -> Value | None:
        """What a library base class of `cls` sets `attr` to on its instances, from the catalog's
        [inherited] table: an SDK client (`QianfanChatEndpoint.client` is a qianfan.ChatCompletion) or
        a default text (`ChatZhipuAI.zhipuai_api_base`, a URL); None when no base is listed."""
        cat = self.catalog
        if not cat.inherited_clients and not cat.inherited_strings:
            return None
        for c in self._class_chain(cls):
            parent = c.scope.parent or c.scope
            for b in c.node.bases:
                bv = self.infer(b, parent)
                if not (isinstance(bv, Qual) and not bv.called):
                    continue
                q = cat.canonical(bv.qual)
                for key, client in cat.inherited_clients.items():
                    owner, _, name = key.rpartition(".")
                    if name == attr and _same_class(q, owner):
                        return self._call_qual(Qual(client), None, parent)
                for key, text in cat.inherited_strings.items():
                    owner, _, name = key.rpartition(".")
                    if name == attr and _same_class(q, owner):
                        return Str(text, "constant")
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
                if _same_class(qual, cls):
                    provider = p
                    break
            is_async = any(_same_class(qual, a) for a in ct.async_classes)
            backend = None
            if call is not None and ct.backend_kwarg:
                for k in call.keywords:
                    if k.arg == ct.backend_kwarg:
                        bv = self.infer(k.value, scope)
                        if isinstance(bv, Str) and bv.value:
                            backend = url_authority(bv.value)  # the backend as written: host[:port]
            return Client(ct, provider, is_async, ((call, scope),) if call is not None else (), backend,
                          typed=annotation and call is None)
        owner, _, meth = qual.rpartition(".")
        if meth in cat.alternative_constructors and owner in cat.classes:
            # `Client.from_service_account_info(info)`: an alternative constructor builds the same client
            return self._call_qual(Qual(owner), call, scope, annotation)
        fw = self._framework_value(qual, call, scope)  # type: ignore[attr-defined]
        if fw is not None:
            return fw
        if call is not None and qual in cat.fillers:  # Depends(get_llm), field(default_factory=OpenAI)
            return self.filled(qual, call, scope)  # type: ignore[attr-defined]
        if call is not None and (qual in cat.holders or qual in cat.namespaces):
            return Holder(qual, call, scope)  # ContextVar(...), SimpleNamespace(...): resolve/holders.py
        if call is None:
            if annotation and qual in cat.session_classes:
                return Session(tuple(cat.session_classes.get(qual)))
            typed = cat.typed_clients.get(qual) if annotation else None
            if typed is not None:  # `client: Instructor` declared, or narrowed by `isinstance(c, AsyncInstructor)`
                return Client(typed, typed.provider, any(_same_class(qual, a) for a in typed.async_classes), ())
            return Qual(qual, called=True)
        if qual in cat.module_loaders:  # importlib.import_module("openai"), lazy_loader.load("openai")
            return self._dynamic_import(call, scope)
        if qual == "typing.cast" and len(call.args) == 2:  # cast(T, value) is value, typed T
            v = self.infer(call.args[1], scope)
            if isinstance(v, (Client, OneOf)):
                return v
            # a type saying nothing here (`cast("Callable", acompletion)`): the value as it is
            typed = self._annotation(call.args[0], scope)  # type: ignore[attr-defined]
            return typed if useful(typed) or not useful(v) else v
        run = cat.coroutine_runners.get(qual)
        if run is not None:  # `asyncio.run(get_model())`: what the coroutine returns (a call of an async
            return self.infer(call.args[run], scope) if len(call.args) > run else UNKNOWN  # function is its result)
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
            if isinstance(inner, OneOf):  # instructor.from_provider(a if x else b)
                return join([Client(ct, c.provider, c.is_async, c.calls + ((call, scope),), c.backend)
                             for c in inner.members if isinstance(c, Client)] or [Opaque("wrapped-non-sdk")])
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
        # a class (or builder) of a library the catalog does not know, handed a model choice: a model holder
        # (libraries.py)
        held = self.library_holder(qual, call, scope) if self.builds_holder(qual.rpartition(".")[2]) else None  # type: ignore[attr-defined]
        return held if held is not None else Qual(qual, called=True)

    def factory_types(self, callee: Value) -> tuple[ClientType, ...]:
        """The client types a service-name factory may build (`boto3.client`, `session.client`), else ()."""
        if type(callee) is SessionMethod:
            return callee.ctypes  # type: ignore[attr-defined,no-any-return]
        if type(callee) is Qual and not callee.called:  # type: ignore[attr-defined]
            return tuple(self.catalog.factories.get(self.catalog.canonical(callee.qual), ()))  # type: ignore[attr-defined]
        return ()

    def _factory(self, ctypes: tuple[ClientType, ...], call: ast.Call, scope: Scope,
                 service_at: Optional[tuple[ast.expr, Scope]] = None) -> Value:
        """The client a service-name factory call builds; `service_at`: the service name's expression and the
        scope it is read in, when not the call's own (a helper's parameter, bound by its caller)."""
        service_expr = call.args[0] if call.args else None
        for k in call.keywords:
            if k.arg == "service_name":
                service_expr = k.value
        sscope = scope  # the scope the service name is read in; the client keeps the call's own
        if service_at is not None:
            service_expr, sscope = service_at
        if service_expr is None:
            return Opaque("aws-client")
        # a service name written through a case method (`boto3.client(self.name.lower())` with
        # `name = "COMPREHEND"`): the string it makes
        case = None
        if isinstance(service_expr, ast.Call) and isinstance(service_expr.func, ast.Attribute) \
                and service_expr.func.attr in ("lower", "strip") and not service_expr.args:
            case, service_expr = service_expr.func.attr, service_expr.func.value
        sv = self.infer(service_expr, sscope)
        if isinstance(sv, Str) and sv.value:
            service = sv.value.lower() if case == "lower" else sv.value.strip() if case == "strip" else sv.value
            for ct in ctypes:
                if ct.service == service:
                    return Client(ct, ct.provider, False, ((call, scope),))
        return Opaque("aws-client")

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
        if t is Client:  # a client called itself (`api = InferenceApi(...); api(inputs)`): its `__call__` method
            client: Client = callee  # type: ignore[assignment]
            found = client.ctype.method(("__call__",))
            return (client, found[0], found[1]) if found else None
        return None

    def _request_methods(self, callee: Value) -> list[tuple[Client, Method, bool]]:
        """`_request_method` of every member of a value that is one of several clients (those
        members that have the method), or of the value itself."""
        members = callee.members if type(callee) is OneOf else (callee,)  # type: ignore[attr-defined]
        return [f for f in map(self._request_method, members) if f is not None]

    def _mark_providers(self, site: CallSite, found: list[tuple[Client, Method, bool]]) -> None:
        """A site reached through a value that is one of several clients lists every provider whose
        client has the method; its `provider` is then "multi"."""
        providers = tuple(sorted({f[0].provider for f in found}))
        if len(providers) > 1:
            site.provider, site.providers = "multi", providers
        # it spends when any of them does (a hosted embedding function or a local one, chosen by the model name)
        site.spends = any(m.spends for _c, m, _a in found) if found else site.spends
        if site.removed and any(not m.removed_in for _c, m, _a in found):
            site.removed = None  # another of them still has the method (OpenAI's `completions.create` beside
            # Anthropic's, gone in anthropic 1.0): the call may run, and its findings stand
        if len(found) > 1 and all(m.no_output_cap for _c, m, _a in found):
            site.output_cap = None  # no client's method takes a cap (`responses.compact`): not judged
        elif len(found) > 1:  # the request may run on any of them: capped only when every one is
            own = output_cap(site.sdk, site.api, self._cap_provider(found[0][0]), [(site.node, site.scope)],
                             site.model.names())
            site.output_cap = request_cap(own, [output_cap(c.ctype.name, m.api, self._cap_provider(c),
                                                           [(site.node, site.scope), *reversed(c.calls)],
                                                           site.model.names())
                                                for c, m, _a in found])

    def _cap_provider(self, client: Client) -> str:
        """The provider that serves `client`'s requests, for the output cap: the OpenAI-compatible
        backend's by its host (`base_url="http://localhost:11434/v1"`: Ollama), else the client's."""
        return (self.catalog.http.host_provider(client.backend) if client.backend else None) or client.provider

    def _module_request(self, qual: str) -> tuple[Client, Method, bool] | None:
        mm = self.catalog.module_method(qual)
        if mm is not None:
            found = mm[0].method(mm[1])
            if found:
                return Client(mm[0], mm[0].provider, False, ()), found[0], found[1]
        return None

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
        if root is None or not names or root not in self.catalog.modules:
            return None
        # the longest catalogued submodule on the path: `dashscope.audio.asr.Transcription.call` on a proxy
        mm = self.catalog.module_method(".".join([root, *reversed(names)]))
        found = mm[0].method(mm[1]) if mm is not None else None
        if not found:
            return None
        ct = mm[0]
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
        func_scope = enclosing_function(scope)
        cls_scope = enclosing_class(scope)
        owner = owner_scope(scope)
        return CallSite(
            path=src.relpath, line=line, column=col, end_line=end_line, end_column=end_col,
            provider=provider, providers=(provider,), sdk=sdk, api=api, kind=kind, confidence=confidence,
            function=func_scope.name if func_scope else None,
            cls=cls_scope.name if cls_scope else None,
            qualname=owner.qualname or "<module>",
            model=model, feature=None, tag=None, tag_via=None,
            is_async=is_async or _awaited(scope, call), stream=stream, in_loop=rec.in_loop, spends=spends,
            node=call, scope=scope, owner=owner_of(scope),
            loop=loop_bound(rec.loop, call, self.catalog.person_prompts, kind == "direct",
                            callee=lambda c: written_callee(c, scope)),
            loop_at=(rec.loop.lineno, rec.loop.col_offset + 1) if isinstance(rec.loop, ast.While) else None,
        )

    def _direct(self, rec: CallRecord, client: Client, m: Method, prefix_async: bool) -> CallSite:
        call, scope = rec.node, rec.scope
        client = self.module_client(client, call, scope)  # type: ignore[attr-defined]  # openai.api_type = "azure"
        kw = {k.arg: k.value for k in call.keywords if k.arg}
        stream = m.stream or _truthy(kw.get("stream"))
        model = self._model_arg(call, scope, m.model, m.model_position, None)
        if model.kind == "dynamic" and model.text == "**kwargs":  # kwargs = {"model": ...}; create(**kwargs)
            packed = self.kwargs_dict(call, scope)  # type: ignore[attr-defined]
            key = next((k for k in m.model if packed is not None and k in packed[0]), None)
            if key is not None:
                model = self._classify(packed[0][key], packed[1])  # type: ignore[union-attr]
        if m.model_from_client or model.kind == "missing":
            model = self._client_model(client) or model
        if not m.model:
            model = Arg(None, "missing")
        # resuming a started job only polls it (`continuation_token=None` resumes nothing: a new job)
        spends = m.spends and not any(k in kw and not (isinstance(kw[k], ast.Constant) and kw[k].value is None)
                                      for k in m.resumed_by)
        site = self._base(rec, client.provider, client.ctype.name, m.api, "direct", "resolved", model,
                          client.is_async or m.is_async or prefix_async, stream, spends)
        site.backend = client.backend
        if m.llm_evidence and not self.shows_llm(call, scope, m.llm_evidence,  # type: ignore[attr-defined]
                                                 model if m.llm_required else None):
            # a paid inference endpoint serving any model (SageMaker): spend all the same, its LLM not shown
            site.confidence, site.llm_shown = "inferred", False
            site.reason = f"{client.ctype.name} .{m.api} call: a paid endpoint whose payload and name show no LLM"
        cap_provider = self._cap_provider(client)
        routed = self._routed_provider(call, scope, client, m, model)
        if routed is not None and routed in local_providers():
            # `litellm.completion(model="ollama/" + name)`: a server the user runs serves the request
            site.provider, site.providers = routed, (routed,)
            cap_provider = routed
        site.serving = cap_provider if cap_provider != site.provider else \
            self._served_by([(call, scope), *reversed(client.calls)], site.provider)
        site.method = m
        site.removed = removed_where_run(m.removed_in, self._specs_near(scope) if m.removed_in else {},
                                         self.pins)  # type: ignore[attr-defined]
        site.tag_style = m.tag_style or client.ctype.tag_style
        self._tags(site, [(call, scope)] + list(reversed(client.calls)), rec)
        site.client_args = self._client_args(list(reversed(client.calls)))
        self._prompts(site, call, scope, m, client)
        requests = [(call, scope), *reversed(client.calls)]
        site.self_hosted = self_hosted(requests, site.model.names(), self._base_url_texts) or \
            named_for_server(requests, scope, site.model.names())
        fs = enclosing_function(scope)
        scores = fs is not None and reads_logprobs_only(call, fs.node)  # a reward model's scores: no text to cap
        image = fs is not None and reads_image_only(call, fs.node, *image_reads(site.api))  # `part.as_image()`
        site.output_cap = None if site.self_hosted or m.no_output_cap or scores or image else \
            output_cap(site.sdk, site.api, cap_provider, requests, site.model.names())
        self._library_cap(site, scope)
        site.output_tokens = output_tokens(site.api, requests)
        site.forwards = self._forwards(site)
        if client.ctype.framework_helpers:
            site.kind = "request"  # a framework's helper function (LightRAG's openai_complete_if_cache)
        return site

    def _routed_provider(self, call: ast.Call, scope: Scope, client: Client, m: Method, model: Arg) -> str | None:
        """The provider a prefix-routed SDK (LiteLLM; catalog [model_prefix_routes]) sends this request to,
        read from the model string's leading "provider/" text: a literal or constant ("ollama/llama3"),
        or the literal start of a concatenation, f-string or formatted string ("hosted_vllm/" + name,
        f"ollama_chat/{name}", "ollama_chat/{}".format(name), "ollama/%s" % name).
        None when the SDK does not route by prefix, the start is not known, the prefix is not in the
        table, or the strings that may reach the call do not all name the same provider."""
        if client.ctype.name not in self.catalog.routed_sdks:
            return None
        if model.value:
            texts = list(model.names())
        else:
            e = next((k.value for k in call.keywords if k.arg in m.model), None)
            if e is None and m.model_position is not None and len(call.args) > m.model_position:
                e = call.args[m.model_position]
            start = self._literal_start(e, scope) if e is not None else None
            texts = [start] if start else []
        routes = {self.catalog.route_prefixes.get(t.partition("/")[0]) if "/" in t else None for t in texts}
        return routes.pop() if len(routes) == 1 else None

    def _literal_start(self, e: ast.expr, scope: Scope, depth: int = 0) -> str | None:
        """The text a string expression is known to start with: a string's value, the leading literal
        part of an f-string, the start of the left operand of `+`, a `str.format` / `%` template's text
        before its first field, or the start every value written to the name or `self` attribute read
        shares (`self.model = "ollama/" + name` in `__init__`); None when not known."""
        if isinstance(e, ast.JoinedStr):
            first = e.values[0] if e.values else None
            return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
        if isinstance(e, ast.BinOp) and isinstance(e.op, ast.Add):
            return self._literal_start(e.left, scope)
        if isinstance(e, ast.BinOp) and isinstance(e.op, ast.Mod):  # "ollama/%s" % name
            start = self._literal_start(e.left, scope)
            return start.partition("%")[0] or None if start else None
        if isinstance(e, ast.Call) and isinstance(e.func, ast.Attribute) and e.func.attr == "format":
            start = self._literal_start(e.func.value, scope)  # "ollama_chat/{}".format(name)
            return start.partition("{")[0] or None if start else None
        v = self.infer(e, scope)  # type: ignore[attr-defined]
        if isinstance(v, Str) and v.value:
            return v.value
        written = self._written(e, scope) if depth < 3 else []
        starts = {self._literal_start(w, sc, depth + 1) for w, sc in written}
        return starts.pop() if len(starts) == 1 else None

    def _written(self, e: ast.expr, scope: Scope) -> list[tuple[ast.expr, Scope]]:
        """The expressions assigned to the local name or the `self` attribute `e` reads, each with its
        scope; [] when it is anything else or is also bound some other way (a parameter, a loop; for
        the attribute: a subclass writing it too, or code outside the class, `bot.model = ...`)."""
        if type(e) is ast.Name:
            b = binding_of(e.id, scope)
            if b is None:
                return []
            kinds = b[2].bindings.get(e.id, ())
            if not all(k == "assign" and d is not None for k, d in kinds):
                return []
            return [(d, b[2]) for _k, d in kinds]
        if type(e) is ast.Attribute and type(e.value) is ast.Name and e.value.id == scope.self_name:
            base = self.infer(e.value, scope)  # type: ignore[attr-defined]
            if type(base) is not Instance:
                return []
            written = [(w, sc) for c in self._class_chain(base.cls)  # type: ignore[attr-defined]
                       for w, sc in c.scope.attrs.get(e.attr, ()) if not is_declaration(w)]
            if not written or self._written_elsewhere(base.cls, e.attr):
                return []
            return written
        return []

    def _written_elsewhere(self, cls: ClassV, attr: str) -> bool:
        """Whether the attribute may be written besides in `cls` and its bases: a subclass writing it
        (`self.model = ...` there, or too many subclasses to read), or any project code writing it on
        another object (`bot.model = ...`, `self.bot.model = ...`; read once per attribute name from
        the files naming it, the callers' word index; too many such files count as a write)."""
        subs = self._subclasses(cls)  # type: ignore[attr-defined]
        if len(subs) >= MAX_SUBCLASSES or any(attr in c.scope.attrs for c in subs):
            return True
        memo = self.__dict__.setdefault("_outside_writes", {})
        if attr not in memo:
            project = self.project  # type: ignore[attr-defined]
            files = naming_files(project, attr, MAX_FILES)
            infos = [project.module_info(ms) for ms in files or ()]
            memo[attr] = files is None or any(_writes_attr(i.tree, attr) for i in infos if i is not None)
        return memo[attr]

    def _constructor(self, rec: CallRecord, con: Constructor, own_init: bool = False,
                     as_config: bool = False) -> CallSite | None:
        """The binding (or direct site) a model class's construction is; `own_init`: the class called is a
        project subclass with its own __init__, which decides what reaches the catalogued class; `as_config`:
        the facts of a `config_only` config, read for the `reads_config` constructor handed it."""
        call, scope = rec.node, rec.scope
        if con.string_models_only and not self.model_string_given(call, scope, con):  # type: ignore[attr-defined]
            return None  # `create_react_agent(llm, tools)`: the model object (or its caller) binds
        if con.config_only and not as_config:
            return None  # `OpenAIGPTConfig(chat_model=...)`: the agent or model object built from it binds
        held = self.config_held(call, scope, con) if con.reads_config else None  # type: ignore[attr-defined]
        # `ChatAgent(ChatAgentConfig(llm=cfg))`: the agent binds, with the config's model and provider
        inner = self._constructor(CallRecord(held[0], held[1], False), held[2], as_config=True) if held else None
        if con.wraps_models and not con.reads_config and self.wrapped_models(call, scope, con):  # type: ignore[attr-defined]
            return None  # `Agent(model=OpenAIChat(...))`: the model object is the binding
        if self.built_without_model(call, scope, con):  # type: ignore[attr-defined]
            return None  # `UserProxyAgent(name, llm_config=False)`: an agent that calls no model
        con = as_called(call, scope, con)  # ragas' `embedding_factory("text-embedding-ada-002")`: the model first
        model = self._model_arg(call, scope, con.model, con.model_position, con.default_model)
        if model.kind == "missing" and con.provider_split:
            model = self._split_model(call, scope, con) or model
        if model.kind == "missing" and (call.args and con.model_position is None or
                                        own_init and (call.args or call.keywords)):
            # given in a way not read, not missing (the SDK default): a positional argument where the class
            # takes its model by keyword (`ChatOpenAI(llm_params)`: a pydantic model's one dict, a client's
            # config object), or arguments to a project subclass's own __init__ that forwards them
            # (`ProjectChat(cfg)` whose __init__ calls `super().__init__(**cfg)`)
            first = call.args[0] if call.args else call.keywords[0].value
            model = Arg(scope.module.source.segment(first)[:80], "dynamic")
        held_model = next((k.value for k in call.keywords if k.arg in con.model_in and _holds_model(k.value, con)),
                          None) if con.model_in else None
        if model.kind == "missing" and held_model is not None:
            # `LiteLLMModel(llm_config=cfg)`: the config handed in carries the model, not the class's default
            model = Arg(scope.module.source.segment(held_model)[:80], "dynamic")
        provider = con.provider
        prefixed = _prefixed(con)
        if con.provider_kwarg or con.provider_position is not None or prefixed:
            provider = self._langchain_provider(call, scope, con, model)
        if provider in self.catalog.routed_sdks and model.value and "/" in model.value:
            routed = {self.catalog.route_prefixes.get(t.partition("/")[0]) for t in model.names()}
            if len(routed) == 1 and next(iter(routed)) in local_providers():
                provider = routed.pop()  # `LLM(model="ollama/llama3")`: LiteLLM routes it to a server the user runs
        served = config_served(self, call, scope, con, model) if con.config_models else None
        if served is not None:  # `get_chat_model({"model": ..., "model_server": "http://..."})`
            model, provider = served[0], served[1]
        if inner is not None:
            model, provider = replace(inner.model), inner.provider
        elif con.reads_config and model.kind in ("missing", "config") and not con.default_model:
            # no config read here (the library's default one, the model from the environment, or a config
            # object built without a model): not a model string
            model = Arg(model.text or "default config", "dynamic")
        # a framework model constructor chooses the model: a binding, not spend (its requests spend)
        fw = self.catalog.framework(con.sdk)
        binding = fw is not None
        site = self._base(rec, provider, con.sdk, con.api, "binding" if binding else "direct",
                          "inferred" if fw is not None and fw.guessed else "resolved", model, False, False, not binding)
        site.tag_style = con.tag_style
        if binding:
            site.constructor = scope.module.source.segment(call.func).rpartition(".")[2][:80]
            body = getattr(scope.node, "body", None)
            site.dead = isinstance(body, list) and overwritten_unread(call, body) or \
                saved_unrun(call, scope.node, lambda c, sc=scope: self._project_class_of(c, sc))
            fallback = none_fallback(scope.node, call) if scope.kind == "function" else None
            if fallback is not None and self._default_never_runs(scope, fallback):  # type: ignore[attr-defined]
                site.dead = True  # `if model is None: model = init_chat_model(...)`, every caller giving a model
        if model.value and ":" in model.value and prefixed:
            site.model.value = model.value.split(":", 1)[1]
        calls = [(call, scope)]
        if rec.parent_call is not None and isinstance(rec.parent_call.func, ast.Attribute) and \
                rec.parent_call.func.attr in ("with_config", "bind", "with_options"):
            calls.append((rec.parent_call, scope))
        self._tags(site, calls, rec)
        site.client_args = self._client_args(calls)
        held = provider_object_call(call, scope, con)  # `provider=OpenAIProvider(base_url="http://localhost...")`
        site.self_hosted = self_hosted(calls + ([held] if held else []), site.model.names(), self._base_url_texts) or \
            served is not None and served[2]
        site.serving = self._served_by(calls, site.provider)  # ChatOpenAI(base_url=<an Azure endpoint>)
        site.output_cap = None if site.self_hosted else \
            output_cap(site.sdk, site.api, site.provider, calls, site.model.names())
        if site.output_cap == "missing" and con.own_cap:  # the class always sends one (output_caps.toml own_cap)
            site.output_cap = "set"
        self._library_cap(site, scope)
        site.output_tokens = output_tokens(site.api, calls)
        site.forwards = self._forwards(site)
        return site

    def _served_by(self, calls: list[tuple[ast.Call, Scope]], provider: str) -> str | None:
        """The provider whose servers answer, when the base URL names another than `provider`
        (resolve/serving.py)."""
        served = served_by(calls, self.catalog.http, self._base_url_texts)
        return served if served != provider else None

    def _base_url_texts(self, e: ast.expr, scope: Scope) -> list[str]:
        """The texts a client's base URL argument may be (`url_texts`), once per argument: the clients
        of many requests are built by one constructor call."""
        memo = self.__dict__.setdefault("_base_url_memo", {})
        got = memo.get(id(e))
        if got is None or got[0] is not e:  # (the node is kept with its texts: its id is not reused)
            got = memo[id(e)] = (e, self.url_texts(e, scope))  # type: ignore[attr-defined]
        return got[1]

    def _library_cap(self, site: CallSite, scope: Scope) -> None:
        """A request given no cap whose library sends one of its own in some releases (output_caps.toml
        [[default_cap]]: dspy's LM, Reka's 1.x module functions): capped when the project's dependency files
        allow only those releases."""
        if site.output_cap == "missing" and site.sdk in default_caps():
            site.output_cap, site.cap_note = library_default(site.sdk, self._specs_near(scope))

    def _specs_near(self, scope: Scope) -> dict[str, list[str]]:
        """The dependency specifiers of the files nearest to the module of `scope` (tokenlint.pins)."""
        folder = scope.module.source.path.parent
        memo = self.__dict__.setdefault("_near_specs", {})
        if folder not in memo:
            looked: list = []
            memo[folder] = nearest_specs(folder, self.project.root, looked)  # type: ignore[attr-defined]
            for path in looked:  # the results rest on these files: a cached result is stale once one changes
                READS.setdefault(str(path), data_digest(str(path)))
        return memo[folder]

    def _langchain_provider(self, call: ast.Call, scope: Scope, con: Constructor, model: Arg) -> str:
        given = [k.value for k in call.keywords if k.arg == con.provider_kwarg]
        pos = con.provider_position
        if pos is not None and len(call.args) > pos and not any(isinstance(a, ast.Starred) for a in call.args[:pos + 1]):
            given.append(call.args[pos])
        for e in given:
            word = self._provider_word(e, scope, con)
            if word:
                return word
        if pos is not None:
            return con.provider  # a required provider argument (esperanto): the model string does not choose one
        if model.value:
            if ":" in model.value and _prefixed(con):
                return _provider_name(model.value.split(":", 1)[0], con)
            for prefix, prov in self.catalog.langchain_infer.items():
                if model.value.startswith(prefix):
                    return prov
        elif _prefixed(con):  # `Agent(f"openai:{name}")`, `"anthropic:" + name`: the written head names it
            head = head_text(self._model_expr(call, con), scope)  # type: ignore[attr-defined]
            if ":" in head:
                return _provider_name(head.split(":", 1)[0], con)
        return con.provider

    def _split_model(self, call: ast.Call, scope: Scope, con: Constructor) -> Arg | None:
        """The model of a "provider/model" string in the provider's place (`embedding_factory(
        "huggingface/BAAI/bge-small-en")`), else None."""
        e = provider_expr(call, con)
        got = self._classify(e, scope) if e is not None else None  # type: ignore[attr-defined]
        if got is None or not got.value or "/" not in got.value:
            return None
        return replace(got, value=got.value.split("/", 1)[1], alternatives=())

    def _provider_word(self, e: ast.expr, scope: Scope, con: Constructor, depth: int = 0) -> str | None:
        """The one provider `e` names (in tokenlint's words), else None: the branches of `a if t else b` /
        `a or b`, and the assignments of a local name reaching it, must all agree (`"anthropic" if compat
        else record.provider` names no provider, though its one literal would be a model's fallback)."""
        if depth > 4:
            return None
        parts: list[ast.expr] | tuple[ast.expr, ...] = ()
        where = scope
        if isinstance(e, (ast.IfExp, ast.BoolOp)):
            parts = [e.body, e.orelse] if isinstance(e, ast.IfExp) else e.values
        elif isinstance(e, ast.Name):
            b = binding_of(e.id, scope)
            if b is not None and b[0] == "assign":
                parts, where = reaching_use(e, scope, b[2]), b[2]
        if parts:
            words = {self._provider_word(p, where, con, depth + 1) for p in parts}
            return words.pop() if len(words) == 1 else None
        v = self.infer(e, scope)
        if isinstance(v, Qual) and v.called and con.provider_objects:  # `provider=OllamaProvider(...)`
            word = dict(con.provider_objects).get(v.qual)
            return _provider_name(word, con) if word else None
        return _provider_name(split_provider(v.value, con), con) if isinstance(v, Str) and v.value else None

    def _inferred(self, rec: CallRecord, chain: Chain) -> CallSite | None:
        """A request-shaped call on a receiver of unknown type (`evidence` module): a site with confidence
        "inferred" when its keywords fit the SDK method, or when some of them do (or it passes only
        `**kwargs` built elsewhere) and there is evidence: the file's (the SDK is imported, the class or
        module is named after the provider), else the project's (its dependency files declare an SDK
        with the method), else the chain's own (catalog `alone`: only LLM SDKs have it); and nothing
        contradicts it (a forbidden keyword, a positional argument, a test double). Fail open."""
        call, scope = rec.node, rec.scope
        shaped = [inf for inf in self.catalog.inferred if chain.path[-len(inf.chain):] == inf.chain]
        if not shaped:
            return None
        # the longest chain the call ends with speaks for it (`chat.completions.create` is no `completions.create`)
        longest = max(len(inf.chain) for inf in shaped)
        shaped = [inf for inf in shaped if len(inf.chain) == longest]
        kws = {k.arg for k in call.keywords if k.arg}
        packed = self.kwargs_dict(call, scope)  # type: ignore[attr-defined]
        if packed is not None:
            kws |= set(packed[0])
        for inf in shaped:
            n = len(inf.chain)
            if contradicts(call, inf.forbid, kws) or looks_mocked(call, scope):
                continue
            cts = self._evidence_ctypes(rec, inf.chain)
            ct = cts[0] if cts else None
            strict = inf.kwargs <= kws
            # (a dict passed as `**name` whose keys are not all known: a parameter, a copy `dict(kwargs)`, one
            # spreading another `{**base}`, holds what the request needs as far as anything tells)
            fits = bool(inf.kwargs & kws) or star_only(call) and (packed is None or not packed[0] or SPREAD in packed[0])
            reason = None
            if not strict and not (ct is not None and fits):
                if ct is None and fits:  # no evidence in the file: the project's, or the chain's own
                    recv: ast.expr | None = call.func  # the object the chain is called on (`self.bedrock` of `self.bedrock.converse`)
                    for _ in inf.chain:
                        recv = recv.value if isinstance(recv, ast.Attribute) else None
                    cts = self.declared_ctypes(scope, inf.chain, inf.sdk, recv)  # type: ignore[attr-defined]
                    ct = cts[0] if cts else self.catalog.client_types.get(inf.sdk) if inf.alone else None
                    reason = (f"the project's dependency files declare {', '.join(c.name for c in cts)}" if cts else
                              f".{'.'.join(inf.chain)}(...) is an LLM SDK's request shape on its own")
                if ct is None or not fits:
                    if inf.kwargs & kws or star_only(call):
                        self.withhold(call, f"request-shaped .{'.'.join(inf.chain)}(...) on an object of unknown "  # type: ignore[attr-defined]
                                            "type; no SDK with this method is imported here or declared by the project")
                    continue
            ct = ct or self.catalog.client_types.get(inf.sdk)
            if ct is None:
                continue
            found = ct.method(chain.path[-n:]) or ct.method(inf.chain)
            if not found:
                continue
            site = self._direct(rec, Client(ct, ct.provider, False, ()), found[0], found[1])
            site.confidence = "inferred"
            site.reason = reason
            if len(cts) > 1:  # the file imports several SDKs with the method: any of them may serve it
                founds = [(Client(c, c.provider, False, ()), *f) for c in cts
                          for f in [c.method(chain.path[-n:]) or c.method(inf.chain)] if f]
                self._mark_providers(site, founds)
            return site
        return None

    def _via_subclasses(self, rec: CallRecord) -> CallSite | None:
        """`self.client.create(...)` in a base class that declares `client` without a value, whose
        subclasses set `self.client` to a client or an SDK resource (`OpenAI(...).chat.completions`):
        a site when a subclass's value has the method, listing every such provider."""
        path: list[str] = []
        e: ast.expr = rec.node.func
        while isinstance(e, ast.Attribute):
            path.append(e.attr)
            e = e.value
        if len(path) < 2 or path[0] not in self._method_names or not isinstance(e, ast.Name):  # type: ignore[attr-defined]
            return None
        fs, cs = enclosing_function(rec.scope), enclosing_class(rec.scope)
        if fs is None or cs is None or fs.self_name != e.id:
            return None
        path.reverse()
        values: list[Value] = []
        for sub in self._subclasses(ClassV(cs.node, cs))[:MAX_SUBCLASS_VALUES]:  # type: ignore[attr-defined,arg-type]
            for v in self._attr_values([sub], path[0]):  # type: ignore[attr-defined]
                for attr in path[1:]:
                    v = self.attribute(v, attr, rec.scope)  # type: ignore[attr-defined]
                values.append(v)
        founds = self._request_methods(join(values)) if values else []
        if not founds:
            return None
        packed = self.kwargs_dict(rec.node, rec.scope)  # type: ignore[attr-defined]
        keys = {k.arg for k in rec.node.keywords if k.arg} | (set(packed[0]) if packed is not None else set())
        founds.sort(key=lambda f: f[1].messages not in keys)  # the surface whose messages argument is passed
        site = self._direct(rec, *founds[0])
        self._mark_providers(site, founds)
        return site

    def _evidence_ctypes(self, rec: CallRecord, path: tuple[str, ...]) -> list[ClientType]:
        """The client types of the SDKs the file imports that have the method `path`: for each SDK package
        imported, the first of its types (in catalog order) that has it, one per provider, in the order the
        imports are written; else the first catalog type the file is named after; else none. Every such
        SDK is listed (a file importing `cerebras` and `openai` may send `client.chat.completions.create`
        through either), never one picked by a set's order."""
        got: list[ClientType] = []
        roots: set[str] = set()
        for root, ct in self.imported_sdks(rec.scope.module):  # type: ignore[attr-defined]
            if root not in roots and ct.method(path):
                roots.add(root)
                if all(c.provider != ct.provider for c in got):
                    got.append(ct)
        if got:
            return got
        for ct in self.catalog.client_types.values():
            if ct.method(path) and self.named_after(rec.scope, ct):  # type: ignore[attr-defined]
                return [ct]
        return []


def _same_class(qual: str, name: str) -> bool:
    """Whether `qual` is the catalog class `name` ("pkg.Name"), or its re-export from a submodule of pkg
    ("pkg.sub.Name"); `azure.ai.inference.ChatCompletionsClient` is not `azure.ai.inference.aio.ChatCompletionsClient`."""
    if qual == name:
        return True
    mod, _, last = name.rpartition(".")
    qmod, _, qlast = qual.rpartition(".")
    return qlast == last and qmod.startswith(mod + ".")


def _prefixed(con: Constructor) -> bool:
    """Whether a "provider:model" string given to `con` names the provider (by default: when it
    also takes the provider by keyword, as `init_chat_model`)."""
    return con.provider_prefix if con.provider_prefix is not None else bool(con.provider_kwarg)


def _provider_name(p: str, con: Constructor | None = None) -> str:
    own = dict(con.provider_names).get(p) if con is not None and con.provider_names else None
    if own is not None:
        return own
    return {"google_genai": "google", "google_vertexai": "google", "bedrock": "aws_bedrock",
            "bedrock_converse": "aws_bedrock", "azure_openai": "azure_openai", "mistralai": "mistral"}.get(p, p)


def _truthy(e: ast.expr | None) -> bool:
    return isinstance(e, ast.Constant) and e.value is True


def _awaited(scope: Scope, call: ast.Call) -> bool:
    return call in scope.module.awaited


def _holds_model(value: ast.expr, con: Constructor) -> bool:
    """Whether a `model_in` keyword's value may carry the model: anything but a dict literal whose keys
    are all written out and none is one of the catalog's `model_in_keys` (`config={"temperature": 0}`)."""
    if not isinstance(value, ast.Dict) or not con.model_in_keys:
        return True
    return any(k is None or not isinstance(k, ast.Constant) or k.value in con.model_in_keys for k in value.keys)


def _writes_attr(tree: ast.AST, attr: str) -> bool:
    """Whether the module assigns `X.attr` on an object other than a method's `self` (`bot.model = ...`)."""
    return any(type(n) is ast.Attribute and n.attr == attr and type(n.ctx) is ast.Store and
               not (type(n.value) is ast.Name and n.value.id == "self") for n in ast.walk(tree))
