"""Which raw HTTP calls (requests, httpx, aiohttp, urllib) send a request to an LLM API, and to which.

An HTTP call is a site when its URL resolves to an endpoint of the catalog's `[http]` table: the URL
expression is evaluated (`urls`) into a few candidate texts with holes for what is unknown, a relative
path joined to the base URL its client was built with (`httpx.AsyncClient(base_url=...)`). The
provider comes from the host, else from the endpoint, else "unknown"; the model from the JSON body.

The evidence rule for URLs not known in full: a path other services serve too (`generic`:
/embeddings, /rerank) on a host not known as a provider's needs a body holding `model` when the body
is read in full; a URL unknown altogether needs a body of an LLM request's shape, and a shape other
requests share (`model` + `input`) the shape's word in the names around the call (`embed`).
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING, Callable

from tokenlint.resolve.binder import CallRecord
from tokenlint.resolve.bodies import SPREAD, BodyMixin
from tokenlint.resolve.handed import HandedHttpMixin
from tokenlint.resolve.httphelpers import URL_KWARGS, HttpHelperMixin, call_arg
from tokenlint.resolve.scope import Scope, binding_of, enclosing_class, return_values
from tokenlint.resolve.routes import SCHEME_HOST, RouteMixin
from tokenlint.resolve.site import Arg, CallSite
from tokenlint.resolve.evidence import looks_mocked
from tokenlint.resolve.families import FamilyMixin
from tokenlint.resolve.urls import HOLE, MAX_TEXTS, UrlMixin, url_authority
from tokenlint.resolve.values import Chain, Func, Opaque, Qual, Resource, Str, Value

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import HttpEndpoint, SdkCatalog
    from tokenlint.resolve.binder import ModuleInfo



BODY_KWARGS = ("json", "data", "content", "files", "body")
class HttpMixin(UrlMixin, RouteMixin, HandedHttpMixin, FamilyMixin, BodyMixin, HttpHelperMixin):
    """The `Resolver`'s raw-HTTP matching (a mixin: names are followed with `infer` and the binder's scopes;
    URLs are evaluated by `urls`, the project's own routes read by `routes`, request functions handed
    as values by `handed`, provider families by `families`, JSON bodies by `bodies`, project functions
    sending to the URL they are given by `httphelpers`)."""

    catalog: "SdkCatalog"

    # ------------------------------------------------------------------ which calls send HTTP requests
    def _http(self, rec: CallRecord, callee: Value) -> CallSite | None:
        """The site of an HTTP call `rec` whose callee evaluated to `callee`, when its URL is an LLM API
        (confidence "resolved" on a known HTTP library, "inferred" on a `.post` of an unknown object),
        or, on an unknown URL, when its JSON body has the shape of an LLM request ("inferred")."""
        h = self.catalog.http
        call, scope = rec.node, rec.scope
        f = call.func
        is_async, known = False, True
        method_index = 0
        if isinstance(callee, Qual) and not callee.called and callee.qual in h.get_functions:
            qual = callee.qual  # requests.get(url, params=...): a request only to a service billing GETs
            url_index, method = h.get_functions[qual], "get"
            is_async = qual in h.async_functions
        elif isinstance(callee, Qual) and not callee.called:
            qual = callee.qual
            if qual not in h.functions or qual in h.request_builders:
                return None
            url_index, method = h.functions[qual], qual.rpartition(".")[2]
            if qual in h.method_args:  # connect_sse(client, "POST", url)
                method, method_index = "request", h.method_args[qual]
            is_async = qual in h.async_functions  # `await niquests.apost(url, json=...)`
        elif isinstance(f, ast.Attribute) and f.attr in h.websocket_methods and isinstance(callee, Qual) \
                and callee.called and callee.qual in h.websocket_apps:
            # ws = WebSocketApp(url, on_open=...); ws.run_forever(): the URL is the constructor's
            return self._websocket(rec, f, h.websocket_apps[callee.qual])
        elif isinstance(f, ast.Attribute) and f.attr in h.get_methods and isinstance(callee, Qual) \
                and callee.qual in h.clients:
            qual = callee.qual  # session.get(url): a known HTTP client's GET, as requests.get
            url_index, method = h.get_methods[f.attr], "get"
            is_async = qual in h.async_clients
        elif isinstance(f, ast.Attribute) and f.attr in h.methods and isinstance(callee, (Qual, Chain, Opaque, Resource)):
            # session.post(...): an HTTP client object, or an object of unknown type (or the session an
            # SDK client holds: `self.client.session.post`)
            qual = callee.qual if isinstance(callee, Qual) else ""
            known = qual in h.clients
            url_index, method = h.methods[f.attr], f.attr
            is_async = qual in h.async_clients
            if not known and looks_mocked(call, scope):
                return None
        else:
            return None
        body_index = h.body_args.get(qual) if known and method == "request" else None  # conn.request("POST", path, body)
        if qual in h.send_functions:  # urlopen(Request(url, data=...)) or urlopen(req)
            req = self._request_builder(call.args[0] if call.args else None, scope)
            if req is None:
                return None
            call_for_url, url_index = req, 0
            body_index = h.body_args.get(qual_of_builder(req, self, scope) or "")
        else:
            call_for_url = self._spread_keywords(call, scope)
        if method in ("request", "stream") and not self._is_post(call_for_url, scope, method_index):
            return None
        url = call_arg(call_for_url, url_index, URL_KWARGS)
        body_of: Callable[[], tuple[dict[str, ast.expr], Scope] | None] = \
            lambda: self._http_body(call_for_url, scope, body_index)
        has_body = any(k.arg in BODY_KWARGS for k in call_for_url.keywords)
        if url is None and known:  # `client.post(**build_request())`: the keywords a builder returns
            return self._built_request(rec, is_async)
        if url is None:
            return None
        if not known and not has_body:
            return None  # `router.post("/v1/chat/completions")` declares a route: a request sends a body
        base = self._client_base(f.value, scope) if known and isinstance(f, ast.Attribute) else None
        # a request of a known library that sends a body or opens a WebSocket: one a provider family's class may send
        shaped = known and (has_body or body_index is not None or method in ("connect", "ws_connect"))
        return self._http_to(rec, url, body_of, known, is_async, base, get=method == "get", shaped=shaped)

    def _built_request(self, rec: CallRecord, is_async: bool) -> CallSite | None:
        """The site of a known client's request whose keywords all come from a builder's dict
        (`client.post(**build_request())`, `build_request` a project function or what the callers pass
        for that parameter): its URLs those dicts' `url` entries, its body the first one's."""
        built = [(d, s) for d, s in self._spread_builders(rec.node, rec.scope) if "url" in d]
        if not built:
            return None
        texts = list(dict.fromkeys(t for d, s in built for t in self.url_texts(d["url"], s)))[:MAX_TEXTS]
        body = next(((d[k], s) for d, s in built for k in self.catalog.http.body_kwargs if k in d), None)
        body_of: Callable[[], tuple[dict[str, ast.expr], Scope] | None] = \
            lambda: self._dict_entries(body[0], body[1], 0) if body is not None else None
        return self._http_to(rec, built[0][0]["url"], body_of, True, is_async, texts=texts)

    def _client_base(self, recv: ast.expr, scope: Scope) -> tuple[ast.expr, Scope, str] | None:
        """The base URL (its expression, scope, and the scheme put before a bare host) the HTTP client
        `recv` was built with (`httpx.AsyncClient(base_url=...)`, `aiohttp.ClientSession(base_url=...)`,
        `http.client.HTTPSConnection(host)`), when `recv` is a name assigned or bound by `with ... as`
        to the constructor's call (or to a project function returning one), or a `self.client` of the
        class assigned one; else None."""
        made: tuple[ast.expr, Scope] | None = None
        if isinstance(recv, ast.Name):
            b = binding_of(recv.id, scope)
            if b is not None and b[0] in ("assign", "with"):
                made = (b[1], b[2])
        elif isinstance(recv, ast.Attribute) and isinstance(recv.value, ast.Name) and recv.value.id == "self":
            cls = enclosing_class(scope)
            made = next(((v, s) for v, s in cls.attrs.get(recv.attr, ()) if isinstance(v, ast.Call)), None) \
                if cls is not None else None
        if made is None or not isinstance(made[0], ast.Call):
            return None
        call, s = made
        callee = self.infer(call.func, s)  # type: ignore[attr-defined]
        if isinstance(callee, Func):  # `client = self._client()`: the client the factory returns
            call = next((r for r in return_values(callee.node) if isinstance(r, ast.Call)), None) \
                or _yielded_call(callee)  # type: ignore[assignment]
            if call is None:
                return None
            s = callee.scope
            callee = self.infer(call.func, s)  # type: ignore[attr-defined]
        spec = self.catalog.http.client_bases.get(callee.qual) \
            if isinstance(callee, Qual) and not callee.called else None
        if spec is None:
            return None
        keyword, index, scheme = spec
        base = call_arg(call, index, (keyword,)) if index is not None else \
            next((k.value for k in call.keywords if k.arg == keyword), None)
        return (base, s, scheme) if base is not None else None

    def _http_to(self, rec: CallRecord, url: ast.expr, body_of: Callable[[], tuple[dict[str, ast.expr], Scope] | None],
                 known: bool, is_async: bool, base: tuple[ast.expr, Scope, str] | None = None,
                 get: bool = False, shaped: bool = False, texts: list[str] | None = None) -> CallSite | None:
        """The site of the HTTP request `rec` sends to `url` (an expression of `rec`'s scope), when the
        URL (or, when unknown, the body `body_of()` reads) shows an LLM API. `base`: the base URL of
        the client sending it (`_client_base`), which a relative URL is joined to. `get`: the request
        is a GET, a site only at an endpoint billing GETs (the URL tells; no body shape is read). `shaped`:
        a known library's request sending a body or opening a WebSocket, which a class that is one provider
        among siblings sends to its service whatever the URL (`_family_site`). `texts`: the URL's texts when
        worked out already (a helper's URL built from `url`)."""
        call, scope = rec.node, rec.scope
        # an empty default (`endpoint: str = ""` in a settings class) is a URL set elsewhere: unknown
        texts = [t or HOLE for t in (texts if texts is not None else self.url_texts(url, scope))]
        if base is not None and any(_relative(t) for t in texts):
            used = self._last_url_nodes
            bases = [base[2] + (b or HOLE) for b in self.url_texts(base[0], base[1])]  # the scheme before a bare host
            texts = list(dict.fromkeys(b.rstrip("/") + "/" + t.lstrip("/") if _relative(t) else t
                                       for t in texts for b in bases))[:MAX_TEXTS]
            self._last_url_nodes = used | self._last_url_nodes
        if get:
            found = self._endpoint(texts, None, any_body=True)
            if found is None or not found[0].get:
                return None
            body_of = lambda: None  # noqa: E731 - a GET's parameters are its query: no JSON body
        if all(HOLE not in t for t in texts) and self._endpoint(texts, None, any_body=True) is None:
            # a URL known in full that is no LLM API: the body cannot change that (a provider family's can)
            return self._family_site(rec, url, texts, body_of, is_async) if shaped else None
        if base is None and known and not _literal(url, scope):
            # `requests.post(f"{self.valves.BASE_URL}/v1/chat/completions")` on an empty default: a library
            # function or a client built with no base sends no bare path, the base is set elsewhere
            texts = [HOLE + t if t.startswith("/") else t for t in texts]
        body = body_of()
        # a body one of the function's callers passes is one request of several: never an idle one
        idle = body is not None and body[1] is scope
        found = self._endpoint(texts, body, idle=idle)
        if found is None and body is None:
            found = self._proxied_endpoint(texts, rec)
        confidence = "resolved" if known else "inferred"
        if found is None:
            found = self._body_shape(texts, body, url, scope)
            confidence = "inferred"
        if found is None and shaped:
            site = self._family_site(rec, url, texts, lambda: body, is_async)
            if site is not None:
                return site
        if found is None:
            shape = "" if self._non_llm_host(texts) or self._non_llm_path(texts) else self._chat_shaped(body)
            if shape:  # too little to call it a site, enough for a reader to check (the inventory's list)
                self.withhold(call, f"HTTP call with a JSON body of an LLM request's shape ({shape}) to a URL "  # type: ignore[attr-defined]
                                    "not known here", kind="http?")
            return None
        ep, provider = found
        if provider in ("unknown", ep.provider) and self._own_route(self._under_base(texts, base), ep, rec, url):
            shown = ep.suffix or ep.contains or texts[0].replace(HOLE, "{...}")  # a body shape's endpoint: the URL
            self.withhold(call, f"HTTP request to {shown} served by this project's own "  # type: ignore[attr-defined]
                                "routes (a client of its own server, not a provider)")
            return None
        for node, path in self._last_url_nodes:  # the strings this site's URL is made of are accounted for
            self._url_used_lines.setdefault(path, set()).add(node.lineno)  # type: ignore[attr-defined]
        site = self._http_site(rec, ep, provider, body, is_async)
        site.confidence = confidence
        providers = {p for t in texts if (m := self._endpoint([t], body, idle=idle)) is not None for p in [m[1]]} - {"unknown"}
        if len(providers) > 1:  # table[name]["endpoint"]: one of several providers' endpoints
            site.provider, site.providers = "multi", tuple(sorted(providers))
        elif providers and site.provider == "unknown":  # a base URL of unknown host, or its known default
            site.provider = next(iter(providers))
            site.providers = (site.provider,)
        return site

    def _under_base(self, texts: list[str], base: tuple[ast.expr, Scope, str] | None) -> list[str]:
        """`texts` as the client sends them when its base URL holds a path of its own (`base_url=
        f"{instance}/v1/orchestrate"`): a text opening with an unknown part (`f"{agent_id}/chat/completions"`)
        is then a path under that base, not a URL of the project's own server."""
        if base is None or not any(t.startswith(HOLE) for t in texts):
            return texts
        used = self._last_url_nodes
        bases = [b for b in self.url_texts(base[0], base[1]) if b and _base_path(b)]
        self._last_url_nodes = used
        if not bases:
            return texts
        return list(dict.fromkeys(b.rstrip("/") + "/" + t.lstrip("/") if t.startswith(HOLE) else t
                                  for t in texts for b in bases))[:MAX_TEXTS]

    def _websocket(self, rec: CallRecord, f: ast.Attribute, url_index: int) -> CallSite | None:
        """`ws.run_forever()` on a WebSocket app whose constructor, assigned to `ws` in this function,
        takes an LLM API's URL (the request is written by its callbacks: no body to read)."""
        if not isinstance(f.value, ast.Name):
            return None
        made = next((v for v, _ in reversed(self._local_assignments(f.value.id, rec.scope)) if isinstance(v, ast.Call)),
                    None)
        url = call_arg(made, url_index, ("url",)) if made is not None else None
        if url is None:
            return None
        texts = self.url_texts(url, rec.scope)
        found = self._endpoint(texts, None)
        if found is None:
            return None
        return self._http_site(rec, found[0], found[1], None, False)

    def exports_url(self, info: "ModuleInfo") -> bool:
        """Whether the module binds a module-level name to an LLM API's URL (`openai_endpoint =
        "https://api.openai.com/v1/chat/completions"`) or defines a function returning one
        (`def build_api_url(base): return base + "/chat/completions"`): its importers may post to it.
        Read from the module scope's bindings; a function's returns are evaluated only when a string
        literal in them holds an endpoint fragment."""
        frags = [f for f, _ in self._url_fragments()]  # type: ignore[attr-defined]
        rx = self.__dict__.get("_frags_rx")
        if rx is None:  # one scan of the bytes for every fragment (cheaper than one `in` per fragment)
            rx = self.__dict__["_frags_rx"] = re.compile("|".join(re.escape(f) for f in frags).encode())
        if not frags or rx.search(info.source.raw or b"") is None:
            return False
        for bindings in info.scope.bindings.values():
            for kind, data in bindings:
                if kind == "assign" and isinstance(data, ast.Constant) and isinstance(data.value, str) \
                        and len(data.value) < 300 and "/" in data.value \
                        and self._endpoint([data.value], None, any_body=True) is not None:
                    return True
                if kind != "def" or (fs := info.func_scopes.get(data)) is None:
                    continue
                for r in list(return_values(data))[:4]:
                    if type(r) in _BUILT_STRINGS and any(
                            isinstance(c, ast.Constant) and isinstance(c.value, str) and any(f in c.value for f in frags)
                            for c in ast.walk(r)) \
                            and self._endpoint(self.url_texts(r, fs), None, any_body=True) is not None:
                        return True
        return False

    def _non_llm_host(self, texts: list[str]) -> bool:
        """Every URL the call may post to is on a known service that runs no model (GitHub, Slack)."""
        hosts = [_host(t) for t in texts]
        return bool(hosts) and all(host and host.endswith(self.catalog.http.non_llm_hosts) for host in hosts)

    def _non_llm_path(self, texts: list[str]) -> bool:
        """Every URL the call may post to ends with a model server's utility route that generates nothing
        (`/tokenize`, `/health`: catalog `non_llm_paths`), its last path segment written out."""
        ends = [t.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1] for t in texts]
        return bool(ends) and all("/" in t and end in self.catalog.http.non_llm_paths for t, end in zip(texts, ends))

    def _is_post(self, call: ast.Call, scope: Scope, index: int = 0) -> bool:
        m = call_arg(call, index, ("method",))
        v = self.infer(m, scope) if m is not None else None  # type: ignore[attr-defined]
        return not (isinstance(v, Str) and v.value and v.value.upper() != "POST")

    def _request_builder(self, e: ast.expr | None, scope: Scope) -> ast.Call | None:
        h = self.catalog.http
        for _ in range(3):
            if isinstance(e, ast.Call):
                v = self.infer(e.func, scope)  # type: ignore[attr-defined]
                return e if isinstance(v, Qual) and not v.called and v.qual in h.request_builders else None
            if isinstance(e, ast.Name):
                got = self._local_assignments(e.id, scope)
                e = got[-1][0] if got else None
                continue
            return None
        return None

    # ------------------------------------------------------------------ matching a URL
    def _endpoint(self, texts: list[str], body: tuple[dict[str, ast.expr], Scope] | None, any_body: bool = False,
                  idle: bool = False) -> tuple["HttpEndpoint", str] | None:
        """The endpoint and provider a URL reaches (`any_body`: ignoring what the body must hold; `idle`:
        the body is the request's own, so one that generates nothing, a model unload, reaches none)."""
        h = self.catalog.http
        keys = set(body[0]) if body is not None else set()
        for text in texts:
            if text.strip(HOLE) == "":
                continue
            path = text.split("?", 1)[0].rstrip("/")
            for ep in h.endpoints:
                if ep.suffix is not None and not path.endswith(ep.suffix):
                    continue
                if ep.contains is not None and ep.contains not in path:
                    continue
                if ep.host is not None and ep.host not in text:
                    continue
                if ep.hostless and not text.startswith(HOLE):
                    continue  # the host is written: it tells whose path this is
                if ep.excludes and any(x in path for x in ep.excludes):
                    continue
                if ep.body and not any_body and not set(ep.body) <= keys:
                    continue
                if ep.idle_body and idle and body is not None and not any_body and _holds(body[0], ep.idle_body):
                    continue  # a request that generates nothing (a model unload)
                # an endpoint naming its host and provider knows the service (Baidu's moderation on the
                # host that also serves Qianfan's models); else the host tells, else the endpoint
                provider = ep.provider if ep.host and ep.provider else h.host_provider(text)
                if (ep.generic or ep.model_body) and not any_body and provider is None and ep.host is None and keys \
                        and not keys & {"model", SPREAD}:
                    continue  # `{base}/embeddings` on an unknown server with a body that is no LLM request
                return ep, provider or ep.provider or "unknown"
        return None

    def _http_site(self, rec: CallRecord, ep: "HttpEndpoint", provider: str,
                   body: tuple[dict[str, ast.expr], Scope] | None, is_async: bool) -> CallSite:
        model = Arg(None, "missing")
        stream = ep.stream
        if body is not None:
            entries, bscope = body
            if "model" in entries:
                model = self._classify(entries["model"], bscope)  # type: ignore[attr-defined]
            s = entries.get("stream")
            stream = stream or (isinstance(s, ast.Constant) and s.value is True)
        site = self._base(rec, provider, "http", ep.api, "direct", "resolved", model, is_async, stream,  # type: ignore[attr-defined]
                          True)
        site.backend = ep.backend  # a plan's backend (`chatgpt-plan`), not the metered API
        site.snapshots = ep.snapshots
        self._tags(site, [(rec.node, rec.scope)], rec)  # type: ignore[attr-defined]
        site.forwards = self._forwards(site)  # type: ignore[attr-defined]
        return site


# return values that build a string (`base + "/chat/completions"`, f-strings, literals)
_BUILT_STRINGS = (ast.BinOp, ast.JoinedStr, ast.Constant)


def _holds(entries: dict[str, ast.expr], literals: tuple[tuple[str, object], ...]) -> bool:
    """Whether a body's entries are these literal values (`"keep_alive": 0, "prompt": ""`)."""
    return all(isinstance(e := entries.get(k), ast.Constant) and type(e.value) is type(v) and e.value == v
               for k, v in literals)


def qual_of_builder(req: ast.Call, resolver: "HttpMixin", scope: Scope) -> str | None:
    """The qualified name of the request builder `req` calls (`urllib.request.Request`)."""
    v = resolver.infer(req.func, scope)  # type: ignore[attr-defined]
    return v.qual if isinstance(v, Qual) and not v.called else None


def _yielded_call(func: Func) -> ast.Call | None:
    """The client a context-manager factory yields (`async with httpx.AsyncClient(...) as client: yield
    client`, or `yield httpx.Client(...)`): the call building it, else None."""
    for v in return_values(func.node, yields=True):
        if isinstance(v, ast.Call):
            return v
        if isinstance(v, ast.Name):
            b = binding_of(v.id, func.scope)
            if b is not None and b[0] in ("assign", "with") and isinstance(b[1], ast.Call):
                return b[1]
    return None


def _literal(url: ast.expr, scope: Scope, depth: int = 0) -> bool:
    """Whether the URL expression `url` is written out in full: a string, an f-string or `+` of strings
    without a value put in, or a name assigned one (`"/api/conversations"`, not `f"{base}/v1/chat"`)."""
    if isinstance(url, ast.Constant):
        return isinstance(url.value, str)
    if isinstance(url, ast.JoinedStr):
        return all(isinstance(v, ast.Constant) for v in url.values)
    if isinstance(url, ast.BinOp) and isinstance(url.op, ast.Add):
        return _literal(url.left, scope, depth) and _literal(url.right, scope, depth)
    if isinstance(url, ast.Name) and depth < 3:
        b = binding_of(url.id, scope)
        return b is not None and b[0] == "assign" and isinstance(b[1], ast.expr) and _literal(b[1], b[2], depth + 1)
    return False


def _base_path(text: str) -> bool:
    """Whether a base URL text holds a path written out after its host (`\x00/v1/orchestrate`,
    `https://host/api`), not only a host or an unknown part."""
    rest = text[len(HOLE):] if text.startswith(HOLE) else SCHEME_HOST.sub("", text)
    return any(seg and HOLE not in seg for seg in rest.split("/")[1:])


def _relative(text: str) -> bool:
    """Whether a URL text is a path a client's base URL is put before (`/chat/completions`,
    `api/chat`): not written in full, and not starting with an unknown part (a URL read from elsewhere)."""
    return "://" not in text and not text.startswith(HOLE) and text != ""


def _host(text: str) -> str:
    """The host of a URL text when it is written out (`https://host/...`), else "" (a hole in it, no scheme)."""
    scheme, sep, _rest = text.partition("://")
    if not sep or HOLE in scheme:
        return ""
    host = url_authority(text).split("?", 1)[0]
    return "" if HOLE in host else host.rsplit("@", 1)[-1].split(":", 1)[0].lower()
