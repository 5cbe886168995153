"""Which project functions send an HTTP request to the URL they are given, and the request each call of one sends.

A function passing its own parameter as the URL of a request of a known HTTP library (`def sync_request(method,
url, **kwargs): return client.request(method, url, **kwargs)`), or joining it to a base it holds (`url =
f"{self.api_host}{endpoint}"`), or handing it on to another such function (`def post(self, endpoint, **kwargs):
return self._make_request("POST", endpoint, **kwargs)`, at most MAX_HELPERS deep), is an HTTP helper: a call of
it from another module is a request when the URL it gives, joined as the helper joins it, is an LLM API's.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from tokenlint.resolve.binder import CallRecord, calls_by_owner
from tokenlint.resolve.scope import Scope, bind_args, is_method
from tokenlint.resolve.values import Func, Qual, Str

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import SdkCatalog
    from tokenlint.resolve.site import CallSite

# the keywords an HTTP or WebSocket call names its URL by: requests / httpx `url`, aiohttp `str_or_url`
# (ClientSession._request(method, str_or_url, ...)), websockets `uri` (websockets 15 asyncio/client.py
# connect(uri, *, ...), sync/client.py connect(uri, ...); checked 2026-12-07)
URL_KWARGS = ("url", "str_or_url", "uri")
MAX_HELPERS = 3  # project HTTP helpers followed through helpers calling them
# the URL a helper builds from its URL parameter (`url = f"{self.api_host}{endpoint}"`): the expression, its
# scope, and the parameters the URL passes through from the outermost helper's to the one read there
BuiltUrl = tuple[ast.expr, Scope, tuple[tuple[Scope, str], ...]]
# (URL parameter, HTTP-method parameter, body parameter, async, the body a helper builds itself and its
# scope, the URL built from the parameter or None when the parameter is the URL)
HttpHelper = tuple[str, "str | None", "str | None", bool, "tuple[ast.expr, Scope] | None", "BuiltUrl | None"]


class HttpHelperMixin:
    """The `Resolver`'s reading of project HTTP helpers (a mixin: `_http_to` of `http` builds the site)."""

    catalog: "SdkCatalog"

    def _http_helper_call(self, rec: CallRecord, func: Func) -> CallSite | None:
        """A call of a project function that sends an HTTP request to the URL it is given
        (`sync_request("POST", url, json=body)` in another module, forwarding `**kwargs` to
        `client.request(method, url, **kwargs)`): a site when the caller's URL is an LLM API's. A helper
        of the caller's own module is not: its request is a site already, its URL read from its callers."""
        if func.scope.module is rec.scope.module:
            return None
        helper = self._http_helper(func)
        if helper is None or any(s.sdk == "http" for s in self.function_sites(func.node, func.scope.module)):  # type: ignore[attr-defined]
            return None
        url_param, method_param, body_param, is_async, fixed_body, built = helper
        bound = bind_args(func.node, rec.node, skip_self=func.bound is not None or is_method(func))
        url = bound.get(url_param)
        if url is None:
            return None
        texts = None
        if built is not None:  # `api_client.post("/v1/t2a_v2", ...)` of a helper joining it to its base URL
            expr, escope, links = built
            given = {(id(links[0][0]), links[0][1]): (url, rec.scope)}
            for (outer, name), (inner, param) in zip(links, links[1:]):
                given[(id(inner), param)] = (ast.Name(id=name, ctx=ast.Load()), outer)
            texts = self.url_texts(expr, escope, given)
        if method_param is not None:
            m = bound.get(method_param)
            v = self.infer(m, rec.scope) if m is not None else None  # type: ignore[attr-defined]
            if not (isinstance(v, Str) and v.value and v.value.upper() == "POST"):
                return None
        if fixed_body is not None:  # the helper builds the body it hands to the helper it calls
            return self._http_to(rec, url, lambda: self._dict_entries(fixed_body[0], fixed_body[1], 0),
                                 True, is_async, texts=texts)
        if body_param is None:  # the body is forwarded with **kwargs: the caller's json= / data=
            return self._http_to(rec, url, lambda: self._http_body(rec.node, rec.scope), True, is_async, texts=texts)
        body = bound.get(body_param)
        return self._http_to(rec, url, lambda: self._dict_entries(body, rec.scope, 0, callers=True)
                             if body is not None else None, True, is_async, texts=texts)

    def _http_helper(self, func: Func, depth: int = 0) -> HttpHelper | None:
        """(URL parameter, HTTP-method parameter, body parameter, async, body built here) of a project
        function that passes its own parameter as the URL of a request of a known HTTP library, or of
        another such helper of the project (`def chat(url, messages): return post_json(url, {...})`,
        at most MAX_HELPERS deep), else None; the body is forwarded as a parameter or through `**kwargs`
        (None), or built by the function for the helper it calls. Read once per function."""
        memo = self.__dict__.setdefault("_http_helpers", {})
        if func.node in memo:
            return memo[func.node]
        memo[func.node] = None
        node, fs = func.node, func.scope
        params = fs.params
        kwargs = node.args.kwarg.arg if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) \
            and node.args.kwarg is not None else None
        h = self.catalog.http
        names = set(h.methods) | {q.rpartition(".")[2] for q in h.functions}
        for rec in calls_by_owner(fs.module).get(node, ()):
            f = rec.node.func
            last = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None
            library = last in names
            if not library and not (depth < MAX_HELPERS and _passes_param(rec.node, params)):
                continue
            callee = self.infer(f, rec.scope)  # type: ignore[attr-defined]
            if type(callee) is Func:  # a helper of the project's, handed this function's URL?
                inner = self._http_helper(callee, depth + 1) if depth < MAX_HELPERS and \
                    callee.node is not node else None  # type: ignore[arg-type,attr-defined]
                got = self._passed_on(inner, callee, rec, params, kwargs) if inner is not None else None  # type: ignore[arg-type]
                if got is not None:
                    memo[node] = got
                    return got
                continue
            if not library:
                continue
            if isinstance(callee, Qual) and not callee.called and callee.qual in h.functions \
                    and callee.qual not in h.request_builders and callee.qual not in h.send_functions:
                url_index, method_index = h.functions[callee.qual], h.method_args.get(callee.qual, 0)
                takes_method, is_async = url_index > 0, False
            elif isinstance(f, ast.Attribute) and isinstance(callee, Qual) and callee.called \
                    and callee.qual in h.clients and f.attr in h.methods:
                url_index, method_index = h.methods[f.attr], 0
                takes_method, is_async = f.attr in ("request", "stream"), callee.qual in h.async_clients
            else:
                continue
            url = call_arg(rec.node, url_index, URL_KWARGS)
            built = None
            if not (isinstance(url, ast.Name) and url.id in params):
                found = _built_url(url, rec.scope, params) if url is not None else None
                if found is None:
                    continue
                built, param = (found[0], rec.scope, ((fs, found[1]),)), found[1]
            else:
                param = url.id
            method = call_arg(rec.node, method_index, ("method",)) if takes_method else None
            if method is not None and not (isinstance(method, ast.Name) and method.id in params):
                continue  # a fixed method: a GET helper is no request to an LLM
            body = next((k.value for k in rec.node.keywords if k.arg in h.body_kwargs), None)
            if isinstance(body, ast.Name) and body.id in params:
                got = (param, method.id if method is not None else None, body.id, is_async, None, built)
            elif kwargs is not None and any(k.arg is None and isinstance(k.value, ast.Name) and k.value.id == kwargs
                                            for k in rec.node.keywords):
                got = (param, method.id if method is not None else None, None, is_async, None, built)
            else:
                continue
            memo[node] = got
            return got
        return None

    def _passed_on(self, inner: HttpHelper, callee: Func, rec: CallRecord, params: dict,
                   kwargs: str | None) -> HttpHelper | None:
        """What a function is as an HTTP helper when its call `rec` of the helper `callee` (`inner`) passes
        it the function's own URL parameter: the method passed on too, or POST written here; the body a
        parameter passed on, `**kwargs` passed on, or a dict built here. None for another call."""
        url_param, method_param, body_param, is_async, fixed, built = inner
        bound = bind_args(callee.node, rec.node, skip_self=callee.bound is not None or is_method(callee))
        url = bound.get(url_param)
        if not (isinstance(url, ast.Name) and url.id in params):
            return None
        if built is not None:  # the URL passes through this function's parameter on its way there
            built = (built[0], built[1], ((rec.scope, url.id), *built[2]))
        method = None
        if method_param is not None:
            m = bound.get(method_param)
            if isinstance(m, ast.Name) and m.id in params:
                method = m.id
            elif not (isinstance(m, ast.Constant) and isinstance(m.value, str) and m.value.upper() == "POST"):
                return None
        if fixed is not None:
            return url.id, method, None, is_async, fixed, built
        if body_param is None:  # `**kwargs` forwarded: this function forwards its own
            kw = next((k.value for k in rec.node.keywords if k.arg is None), None)
            return (url.id, method, None, is_async, None, built) if isinstance(kw, ast.Name) and kw.id == kwargs \
                else None
        b = bound.get(body_param)
        if isinstance(b, ast.Name) and b.id in params:
            return url.id, method, b.id, is_async, None, built
        return (url.id, method, None, is_async, (b, rec.scope), built) if b is not None else None


def _built_url(url: ast.expr, scope: Scope, params: dict) -> tuple[ast.expr, str] | None:
    """The expression a request's URL is built by from one of the function's `params` (`f"{self.api_host}
    {endpoint}"`, `self.base + path`, written in the call or assigned once to a local name before it), and
    that parameter; else None. (A parameter passed as it is is no built URL: the caller reads it.)"""
    if isinstance(url, ast.Name) and url.id not in params:
        b = scope.bindings.get(url.id)
        if not b or len(b) != 1 or b[0][0] != "assign" or not isinstance(b[0][1], ast.expr):
            return None
        url = b[0][1]
    if not isinstance(url, (ast.JoinedStr, ast.BinOp)):
        return None
    used = [n.id for n in ast.walk(url) if isinstance(n, ast.Name) and n.id in params and n.id != scope.self_name]
    return (url, used[0]) if len(set(used)) == 1 else None


def _passes_param(call: ast.Call, params: dict) -> bool:
    """Whether `call` passes one of `params` as it is, by position or keyword (a URL handed on)."""
    return any(type(a) is ast.Name and a.id in params for a in call.args) or \
        any(type(k.value) is ast.Name and k.value.id in params for k in call.keywords)


def call_arg(call: ast.Call, index: int, names: tuple[str, ...]) -> ast.expr | None:
    for k in call.keywords:
        if k.arg in names:
            return k.value
    if len(call.args) > index and not any(isinstance(a, ast.Starred) for a in call.args[:index + 1]):
        return call.args[index]
    return None
