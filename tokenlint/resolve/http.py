"""Which raw HTTP calls (requests, httpx, aiohttp, urllib) send a request to an LLM API, and to which.

An HTTP call is a site when its URL resolves to an endpoint of the catalog's `[http]` table: the URL
expression is evaluated into a few candidate texts with holes for what is unknown (literals,
constants, f-strings, `base + path`, `urljoin`, `.format`, `os.getenv` / `dict.get` defaults,
attributes set in `__init__`, parameter defaults). The provider comes from the host, else from the
endpoint, else "unknown"; the model from the JSON body. Work per URL is capped: past the cap a part
is a hole, never an error.
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING, Iterator

from tokenlint.project import read_source_bytes
from tokenlint.resolve.binder import CallRecord
from tokenlint.resolve.scope import Scope, enclosing_function, return_values
from tokenlint.resolve.site import Arg, CallSite
from tokenlint.resolve.evidence import looks_mocked
from tokenlint.resolve.values import Chain, ClassV, Func, Instance, Opaque, ProjModule, Qual, Str, Value

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import HttpEndpoint, SdkCatalog

HOLE = "\x00"  # an unknown part of a URL
MAX_DEPTH = 8  # names and attributes followed per URL
MAX_TEXTS = 12  # candidate texts kept per expression
MAX_LEN = 400  # characters kept per candidate (the start for the host, the end for the path)
MAX_NODES = 300  # expressions evaluated per URL
STRING_METHODS = ("strip", "rstrip", "lstrip", "lower", "removesuffix", "removeprefix")
SCHEME_HOST = re.compile(r"^[^/]*://[^/]*")
PLACEHOLDER = re.compile(r"<[^<>/]*>|\{[^{}/]*\}")
BODY_KWARGS = ("json", "data", "content", "files", "body")
MAX_ROUTE_FILE = 2_000_000  # bytes: larger files are data, not route tables
# a web route declared in code: @app.post("/v1/chat/completions"), router.add_api_route("/chat", ...)
ROUTE = re.compile(rb"""(?:@[\w.]+\.(?:post|api_route|route)|\.(?:add_api_route|add_url_rule|add_route))\(\s*[rb]?["'](/[^"'\n]{0,200})["']""")


class _Budget:
    """Work left for one URL, and the names being followed (a name defined from itself is a hole)."""

    __slots__ = ("left", "active", "used")

    def __init__(self) -> None:
        self.left = MAX_NODES
        self.active: set[tuple[int, str]] = set()
        self.used: set[tuple[ast.AST, str]] = set()  # the string literals the URL is made of, and their file


def _clip(t: str) -> str:
    return t if len(t) <= MAX_LEN else t[:MAX_LEN // 2] + HOLE + t[-MAX_LEN // 2:]


def _product(a: list[str], b: list[str]) -> list[str]:
    out: list[str] = []
    for x in a:
        for y in b:
            t = _clip(x + y)
            if t not in out:
                out.append(t)
            if len(out) >= MAX_TEXTS:
                return out
    return out


def _union(parts: Iterator[list[str]]) -> list[str]:
    out: list[str] = []
    for p in parts:
        for t in p:
            if t not in out:
                out.append(t)
            if len(out) >= MAX_TEXTS:
                return out
    return out or [HOLE]


class HttpMixin:
    """The `Resolver`'s raw-HTTP matching (a mixin: names are followed with `infer` and the binder's scopes)."""

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
        if isinstance(callee, Qual) and not callee.called:
            qual = callee.qual
            if qual not in h.functions or qual in h.request_builders:
                return None
            url_index, method = h.functions[qual], qual.rpartition(".")[2]
            if qual in h.method_args:  # connect_sse(client, "POST", url)
                method, method_index = "request", h.method_args[qual]
        elif isinstance(f, ast.Attribute) and f.attr in h.methods and isinstance(callee, (Qual, Chain, Opaque)):
            # session.post(...): an HTTP client object, or an object of unknown type
            qual = callee.qual if isinstance(callee, Qual) else ""
            known = qual in h.clients
            url_index, method = h.methods[f.attr], f.attr
            is_async = qual in h.async_clients
            if not known and looks_mocked(call, scope):
                return None
        else:
            return None
        if qual in h.send_functions:  # urlopen(Request(url, data=...)) or urlopen(req)
            req = self._request_builder(call.args[0] if call.args else None, scope)
            if req is None:
                return None
            call_for_url, url_index = req, 0
        else:
            call_for_url = call
        if method in ("request", "stream") and not self._is_post(call_for_url, scope, method_index):
            return None
        url = _arg(call_for_url, url_index, ("url", "str_or_url"))
        if url is None:
            return None
        if not known and not any(k.arg in BODY_KWARGS for k in call_for_url.keywords):
            return None  # `router.post("/v1/chat/completions")` declares a route: a request sends a body
        texts = self.url_texts(url, scope)
        if all(HOLE not in t for t in texts) and self._endpoint(texts, None, any_body=True) is None:
            return None  # a URL known in full that is no LLM API: the body cannot change that
        body = self._http_body(call_for_url, scope)
        found = self._endpoint(texts, body)
        confidence = "resolved" if known else "inferred"
        if found is None:
            found = self._body_shape(texts, body)
            confidence = "inferred"
        if found is None:
            return None
        ep, provider = found
        if provider in ("unknown", ep.provider) and self._own_route(texts, ep):
            self.withhold(call, f"HTTP request to {ep.suffix or ep.contains} served by this project's own "  # type: ignore[attr-defined]
                                "routes (a client of its own server, not a provider)")
            return None
        for node, path in self._last_url_nodes:  # the strings this site's URL is made of are accounted for
            self._url_used_lines.setdefault(path, set()).add(node.lineno)  # type: ignore[attr-defined]
        site = self._http_site(rec, ep, provider, body, is_async)
        site.confidence = confidence
        return site

    def _own_route(self, texts: list[str], ep: "HttpEndpoint") -> bool:
        """Whether the project serves the path it posts to (`@router.post("/chat/completions")`):
        then the request goes to its own server, whose handler makes the provider call."""
        routes = self._served_paths()
        if not routes:
            return False
        for text in texts:
            path = text.split("?", 1)[0].rstrip("/")
            for r in routes:
                if (ep.suffix or ep.contains or "") in r and path.endswith(r):
                    rest = SCHEME_HOST.sub("", path[:-len(r)])
                    if "/" not in rest:  # only a base URL before the route, no path of another server
                        return True
        return False

    def _served_paths(self) -> frozenset[str]:
        """Paths the project's modules declare as web routes, read from their bytes once per run."""
        got = self.__dict__.get("_routes")
        if got is None:
            found: set[str] = set()
            frags = tuple(f for ep in self.catalog.http.endpoints for f in (ep.suffix, ep.contains) if f)
            for ms in list(self.project.by_path.values()):  # type: ignore[attr-defined]
                raw = ms.raw
                if raw is None:
                    try:
                        raw = read_source_bytes(ms.path)
                    except OSError:
                        continue
                if len(raw) > MAX_ROUTE_FILE or not (b"post(" in raw or b"route(" in raw or b"add_url_rule(" in raw):
                    continue
                for m in ROUTE.finditer(raw):  # placeholders (<chat_id>, {model}) are holes, as in URLs
                    path = PLACEHOLDER.sub(HOLE, m.group(1).decode("utf-8", "replace")).rstrip("/")
                    if any(f in path for f in frags):
                        found.add(path)
            got = self.__dict__["_routes"] = frozenset(p for p in found if p)
        return got

    def _body_shape(self, texts: list[str], body: tuple[dict[str, ast.expr], Scope] | None
                    ) -> tuple["HttpEndpoint", str] | None:
        """An endpoint from the JSON body's keys alone, for a URL not known to be elsewhere: a body
        with `model` and `messages` posted to an unknown URL is a chat request."""
        if body is None or all(HOLE not in t for t in texts):  # a URL known in full that is not an LLM API
            return None
        keys = set(body[0])
        for shape in self.catalog.http.bodies:
            if set(shape.body) <= keys:
                provider = next((p for frag, p in self.catalog.http.hosts.items() for t in texts if frag in t), None)
                return shape, provider or shape.provider or "unknown"
        return None

    def _is_post(self, call: ast.Call, scope: Scope, index: int = 0) -> bool:
        m = _arg(call, index, ("method",))
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

    # ------------------------------------------------------------------ the JSON body
    def _http_body(self, call: ast.Call, scope: Scope) -> tuple[dict[str, ast.expr], Scope] | None:
        """The entries of the request's JSON body, when it is a dict written in this function."""
        for k in call.keywords:
            if k.arg in self.catalog.http.body_kwargs:
                return self._dict_entries(k.value, scope, 0)
        return None

    def _dict_entries(self, e: ast.expr, scope: Scope, depth: int) -> tuple[dict[str, ast.expr], Scope] | None:
        if depth > 3:
            return None
        if isinstance(e, ast.Call):  # json.dumps(body), json.dumps(body).encode()
            f = e.func
            if isinstance(f, ast.Attribute) and f.attr in ("dumps", "encode"):
                inner = e.args[0] if e.args and f.attr == "dumps" else f.value if f.attr == "encode" else None
                return self._dict_entries(inner, scope, depth + 1) if inner is not None else None
            if isinstance(f, ast.Name) and f.id == "dict":
                return {k.arg: k.value for k in e.keywords if k.arg}, scope
            callee = self.infer(f, scope)  # type: ignore[attr-defined]
            if isinstance(callee, Func):  # body = self._build_payload(texts): the dict it returns
                for ret in return_values(callee.node):
                    d = self._dict_entries(ret, callee.scope, depth + 1)
                    if d is not None:
                        return d
            return None
        if isinstance(e, ast.Name):
            got = self._local_assignments(e.id, scope)
            for value, sc in reversed(got):
                d = self._dict_entries(value, sc, depth + 1)
                if d is not None:
                    entries, dscope = d
                    return {**entries, **self._item_assignments(e.id, scope)}, dscope
            return None
        if isinstance(e, ast.Dict):
            return {k.value: v for k, v in zip(e.keys, e.values)
                    if isinstance(k, ast.Constant) and isinstance(k.value, str)}, scope
        return None

    def _item_assignments(self, name: str, scope: Scope) -> dict[str, ast.expr]:
        """`body["model"] = ...` statements in the function that holds `scope` (read once per function)."""
        fs = enclosing_function(scope)
        if fs is None:
            return {}
        memo = self.__dict__.setdefault("_items_memo", {})
        items = memo.get(fs.node)
        if items is None:
            items = memo[fs.node] = {}
            for n in _statements(fs.node.body):  # type: ignore[attr-defined]
                if isinstance(n, ast.Assign):
                    for t in n.targets:
                        if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name) \
                                and isinstance(t.slice, ast.Constant) and isinstance(t.slice.value, str):
                            items.setdefault(t.value.id, {})[t.slice.value] = n.value
        return items.get(name, {})

    def _local_assignments(self, name: str, scope: Scope) -> list[tuple[ast.expr, Scope]]:
        s: Scope | None = scope
        while s is not None:
            b = s.bindings.get(name)
            if b:
                return [(d, s) for k, d in b if k == "assign" and d is not None]
            s = s.parent
        return []

    # ------------------------------------------------------------------ what a URL can be
    def url_texts(self, e: ast.expr, scope: Scope) -> list[str]:
        """Candidate texts of the string expression `e`, with HOLE for unknown parts."""
        budget = _Budget()
        texts = self._texts(e, scope, 0, budget)
        self._last_url_nodes = budget.used
        return texts

    def _texts(self, e: ast.expr, scope: Scope, depth: int, budget: _Budget) -> list[str]:
        t = type(e)
        if t is ast.Constant:  # free: a literal part is never lost to the budget
            budget.used.add((e, scope.module.source.relpath))
            return [_clip(e.value)] if isinstance(e.value, str) else [HOLE]  # type: ignore[attr-defined]
        budget.left -= 1
        if budget.left < 0 or depth > MAX_DEPTH:
            return [HOLE]
        if t is ast.JoinedStr:
            out = [""]
            for part in e.values:  # type: ignore[attr-defined]
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    budget.used.add((part, scope.module.source.relpath))
                    out = _product(out, [part.value])
                elif isinstance(part, ast.FormattedValue):
                    out = _product(out, self._texts(part.value, scope, depth + 1, budget))
                else:
                    out = _product(out, [HOLE])
            return out
        if t is ast.BinOp:
            if isinstance(e.op, ast.Add):  # type: ignore[attr-defined]
                return _product(self._texts(e.left, scope, depth + 1, budget),  # type: ignore[attr-defined]
                                self._texts(e.right, scope, depth + 1, budget))  # type: ignore[attr-defined]
            if isinstance(e.op, ast.Div):  # yarl / pathlib: URL(base) / "v1" / "rerank"
                right = self._texts(e.right, scope, depth + 1, budget)  # type: ignore[attr-defined]
                if right == [HOLE]:
                    return [HOLE]
                return _product(_product(self._texts(e.left, scope, depth + 1, budget), ["/"]), right)  # type: ignore[attr-defined]
            if isinstance(e.op, ast.Mod):  # type: ignore[attr-defined]
                return [x.replace("%s", HOLE) for x in self._texts(e.left, scope, depth + 1, budget)]  # type: ignore[attr-defined]
            return [HOLE]
        if t is ast.BoolOp:
            return _union(self._texts(v, scope, depth + 1, budget) for v in e.values)  # type: ignore[attr-defined]
        if t is ast.IfExp:
            return _union(self._texts(v, scope, depth + 1, budget) for v in (e.body, e.orelse))  # type: ignore[attr-defined]
        if t is ast.Name:
            return self._name_texts(e, scope, depth, budget)  # type: ignore[arg-type]
        if t is ast.Attribute:
            return self._attr_texts(e, scope, depth, budget)  # type: ignore[arg-type]
        if t is ast.Call:
            return self._call_texts(e, scope, depth, budget)  # type: ignore[arg-type]
        return [HOLE]

    def _name_texts(self, e: ast.Name, scope: Scope, depth: int, budget: _Budget) -> list[str]:
        s: Scope | None = scope
        first = True
        while s is not None:
            if s.kind != "class" or first:
                b = s.bindings.get(e.id)
                if b:
                    key = (id(s), e.id)
                    if key in budget.active:
                        return [HOLE]
                    budget.active.add(key)
                    try:
                        some = b if len(b) <= MAX_TEXTS else b[:1] + b[1 - MAX_TEXTS:]
                        return _union(self._binding_texts(e, kind, data, s, depth, budget) for kind, data in some)
                    finally:
                        budget.active.discard(key)
            first = False
            s = s.parent
        return self._value_texts(self.infer(e, scope))  # type: ignore[attr-defined]

    def _binding_texts(self, e: ast.Name, kind: str, data: object, s: Scope, depth: int,
                       budget: _Budget) -> list[str]:
        if kind == "assign" and isinstance(data, ast.expr):
            return self._texts(data, s, depth + 1, budget)
        if kind == "param":
            default = data[2] if isinstance(data, tuple) and len(data) > 2 else None  # type: ignore[index]
            return _union(iter([[HOLE], self._texts(default, s, depth + 1, budget) if default is not None else []]))
        if kind in ("import", "from"):
            d = self._import_def(kind, data, s)  # type: ignore[attr-defined]
            if d is not None:
                return self._texts(d[0], d[1], depth + 1, budget)
            return self._value_texts(self._binding_value(e.id, kind, data, s))  # type: ignore[attr-defined]
        return [HOLE]

    def _attr_texts(self, e: ast.Attribute, scope: Scope, depth: int, budget: _Budget) -> list[str]:
        base = self.infer(e.value, scope)  # type: ignore[attr-defined]
        if isinstance(base, Instance):
            values: list[tuple[ast.expr, Scope]] = []
            for c in self._class_chain(base.cls):  # type: ignore[attr-defined]
                values += c.scope.attrs.get(e.attr, [])
                values += [(d, c.scope) for k, d in c.scope.bindings.get(e.attr, ()) if k == "assign" and d is not None]
            if values:
                return _union(self._texts(v, sc, depth + 1, budget) for v, sc in values[:MAX_TEXTS])
            return [HOLE]
        if isinstance(base, (ProjModule, ClassV)):
            d = self._attr_def(e, scope)  # type: ignore[attr-defined]
            if d is not None:
                return self._texts(d[0], d[1], depth + 1, budget)
        return self._value_texts(self.infer(e, scope))  # type: ignore[attr-defined]

    def _call_texts(self, e: ast.Call, scope: Scope, depth: int, budget: _Budget) -> list[str]:
        f = e.func
        if isinstance(f, ast.Attribute):
            if f.attr in STRING_METHODS:
                out = self._texts(f.value, scope, depth + 1, budget)
                if f.attr in ("rstrip", "strip") and not e.args:
                    return out
                return [x.rstrip("/") if f.attr == "rstrip" else x for x in out]
            if f.attr == "format":
                return [_format_holes(x) for x in self._texts(f.value, scope, depth + 1, budget)]
            if f.attr in ("get", "getenv") and len(e.args) >= 2:  # cfg.get("url", default), os.getenv(...)
                return _union(iter([[HOLE], self._texts(e.args[1], scope, depth + 1, budget)]))
            if f.attr == "join" and e.args:  # os.path.join / posixpath.join / "/".join is left alone
                v = self.infer(f.value, scope)  # type: ignore[attr-defined]
                if isinstance(v, Qual) and v.qual.endswith("path"):
                    out = self._texts(e.args[0], scope, depth + 1, budget)
                    for a in e.args[1:]:
                        out = _product(_product(out, ["/"]), self._texts(a, scope, depth + 1, budget))
                    return out
        callee = self.infer(f, scope)  # type: ignore[attr-defined]
        if isinstance(callee, Qual) and not callee.called:
            name = callee.qual.rpartition(".")[2]
            if name == "urljoin" and len(e.args) >= 2:
                return _product(self._texts(e.args[0], scope, depth + 1, budget),
                                self._texts(e.args[1], scope, depth + 1, budget))
            if name in ("getenv", "get") and len(e.args) >= 2:
                return _union(iter([[HOLE], self._texts(e.args[1], scope, depth + 1, budget)]))
            if callee.qual == "str" and e.args:
                return self._texts(e.args[0], scope, depth + 1, budget)
        if isinstance(f, ast.Name) and f.id == "str" and e.args:
            return self._texts(e.args[0], scope, depth + 1, budget)
        if isinstance(callee, Func):  # a project URL helper: what it returns, else its literal path argument
            tail = next((a.value for a in reversed(e.args) if isinstance(a, ast.Constant) and isinstance(a.value, str)),
                        None)
            if tail is not None:
                return [_clip(HOLE + "/" + tail.lstrip("/"))]
            rets = list(return_values(callee.node))[:4]
            if rets:
                return _union(self._texts(r, callee.scope, depth + 1, budget) for r in rets)
        return self._value_texts(self.infer(e, scope))  # type: ignore[attr-defined]

    def _value_texts(self, v: Value) -> list[str]:
        if isinstance(v, Str) and v.value is not None:
            return [_clip(v.value)]
        return [HOLE]

    # ------------------------------------------------------------------ matching a URL
    def _endpoint(self, texts: list[str], body: tuple[dict[str, ast.expr], Scope] | None, any_body: bool = False
                  ) -> tuple["HttpEndpoint", str] | None:
        """The endpoint and provider a URL reaches (`any_body`: ignoring what the body must hold)."""
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
                if ep.body and not any_body and not set(ep.body) <= keys:
                    continue
                provider = next((p for frag, p in h.hosts.items() if frag in text), None)
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
        self._tags(site, [(rec.node, rec.scope)], rec)  # type: ignore[attr-defined]
        site.forwards = self._forwards(site)  # type: ignore[attr-defined]
        return site


def _statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Every statement of a function body, nested blocks included, without entering expressions."""
    stack = list(reversed(body))
    while stack:
        st = stack.pop()
        yield st
        for name in ("body", "orelse", "finalbody", "handlers", "cases"):
            inner = getattr(st, name, None)
            if inner and not isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                stack.extend(reversed(inner))


def _arg(call: ast.Call, index: int, names: tuple[str, ...]) -> ast.expr | None:
    for k in call.keywords:
        if k.arg in names:
            return k.value
    if len(call.args) > index and not any(isinstance(a, ast.Starred) for a in call.args[:index + 1]):
        return call.args[index]
    return None


def _format_holes(template: str) -> str:
    out, depth = [], 0
    for ch in template:
        if ch == "{":
            depth += 1
            if depth == 1:
                out.append(HOLE)
            continue
        if ch == "}" and depth:
            depth -= 1
            continue
        if not depth:
            out.append(ch)
    return "".join(out)

