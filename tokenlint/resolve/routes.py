"""Which paths the project serves itself, and so whether an HTTP request to an LLM path goes to the
project's own server (whose handler makes the provider call) or out to a provider through a proxy.

Routes are read from the bytes of the project's modules once per run (`@router.post("/chat/completions")`,
`add_api_route`), under the prefix their router is mounted at; the routes of a module running a model
in process are a self-hosted model's, not a proxy's. A request made by the handler of a route its path
ends with is a proxy forwarding what it serves.
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING

from tokenlint.project import read_source_bytes
from tokenlint.resolve.binder import CallRecord
from tokenlint.resolve.evidence import is_test_path
from tokenlint.resolve.facades import name_words
from tokenlint.resolve.scope import enclosing_function
from tokenlint.resolve.urls import HOLE

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import HttpEndpoint, SdkCatalog
    from tokenlint.resolve.scope import Scope

_IDENT = re.compile(r"[A-Za-z_]\w{0,60}")  # a dict key or setting name written as a string (`cfg["llm_url"]`)
SCHEME_HOST = re.compile(r"^[^/]*://[^/]*")
PLACEHOLDER = re.compile(r"<[^<>/]*>|\{[^{}/]*\}")
MAX_ROUTE_FILE = 2_000_000  # bytes: larger files are data, not route tables
MAX_HANDLER_CALLERS = 16  # calls of a request-making function read for the route handlers among them
ROUTE_DECORATORS = ("post", "api_route", "route")
VERSION_SEGMENT = re.compile(r"^/v\d+(?:beta|alpha)?\d*(?=/)")  # the API version opening an endpoint's path
LOCAL_HOSTS = ("localhost", "localhost.localdomain", "host.docker.internal")  # the user's own machine
LOCAL_SUFFIXES = (".local", ".internal", ".lan", ".localhost")  # mDNS, cloud-private and home-network names
MAX_PREFIXES = 8  # prefixes a module's router is mounted under, read per module
# a router mounted under a prefix: app.include_router(ollama.router, prefix="/ollama"), register_blueprint(bp, url_prefix=...)
MOUNT = re.compile(rb"""(?:include_router|register_blueprint)\(\s*(?:[\w.]*\.)?(\w+)\.\w+\s*,[^()]{0,200}?"""
                   rb"""\b(?:url_)?prefix\s*=\s*[rb]?["'](/[^"'\n]{0,200})["']""")
# a router declaring its own prefix: APIRouter(prefix="/v1"), Blueprint("chat", __name__, url_prefix="/chat")
OWN_PREFIX = re.compile(rb"""(?:APIRouter|Blueprint)\([^()]{0,200}?\b(?:url_)?prefix\s*=\s*[rb]?["'](/[^"'\n]{0,200})["']""")
# a web route declared in code: @app.post("/v1/chat/completions"), router.add_api_route("/chat", ...)
ROUTE = re.compile(rb"""(?:@[\w.]+\.(?:post|api_route|route)|\.(?:add_api_route|add_url_rule|add_route))\(\s*[rb]?["'](/[^"'\n]{0,200})["']""")


class RouteMixin:
    """The `Resolver`'s reading of the project's own web routes (a mixin: `_endpoint` matches a path,
    `_calls_by_name` indexes a module's calls)."""

    catalog: "SdkCatalog"

    def _own_route(self, texts: list[str], ep: "HttpEndpoint", rec: CallRecord, url: ast.expr | None = None) -> bool:
        """Whether the project serves the path it posts to (`@router.post("/chat/completions")`):
        then the request goes to its own server, whose handler makes the provider call (routes of a
        module running a model in process are not counted: they are the model's). Not when
        the request is made by the handler of a route its path ends with (or a function of the
        module that handler calls): a proxy forwarding what it serves to an upstream server; nor when
        the base or host read at run time is named for an upstream service (`url`'s names: `upstream_url`,
        `self.valves.OLLAMA_BASE_URL`, `llm_url = cfg["llm_url"] + ...`: `upstream_name`)."""
        routes = self._served_paths()
        if not routes:
            return False
        if url is not None and any(_host_unknown(t) for t in texts) and self.upstream_name(url, rec.scope):
            return False
        hosts = self.catalog.http.hosts
        forwarded: list[str] | None = None
        if any(_third_party_host(t) for t in texts):
            # a literal host of another server (`https://llm.chutes.ai`, maybe the default of a
            # configured base) is where the request goes, whatever paths the project serves itself
            return False
        for text in texts:
            if any(frag in text for frag in hosts):  # a provider's host is not the project's server
                continue
            path = text.split("?", 1)[0].rstrip("/")
            if text.startswith(HOLE):  # an upstream base from configuration: is this a proxy's handler?
                forwarded = self._handler_routes(rec) if forwarded is None else forwarded
                if any(path.endswith(r) for r in forwarded):
                    continue
            for r in routes:
                if (ep.suffix or ep.contains or "") in r and path.endswith(r):
                    rest = SCHEME_HOST.sub("", path[:-len(r)])
                    if "/" not in rest:  # only a base URL before the route, no path of another server
                        return True
        return False

    def upstream_name(self, url: ast.expr, scope: "Scope", depth: int = 0) -> bool:
        """Whether a name in the URL expression (or in the value a local name of it was assigned, two
        steps at most) is named for an upstream model service: a word of the catalog's `upstream_words`
        or a provider's id, as a whole word of the identifier (`llm_url`, `OLLAMA_BASE_URL`), never a
        part of one (`server_url`, `api_base` name the project's own server as well as anyone's)."""
        words = self.__dict__.get("_upstream_words")
        if words is None:
            h = self.catalog.http
            words = self.__dict__["_upstream_words"] = frozenset(h.upstream_words) | frozenset(h.hosts.values())
        for node in ast.walk(url):
            ident = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else \
                node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                _IDENT.fullmatch(node.value) else None
            if ident is None:
                continue
            joined = "_" + "_".join(name_words(ident)) + "_"
            if any("_" + w + "_" in joined for w in words):
                return True
            if isinstance(node, ast.Name) and depth < 2:
                for value, s in self._local_assignments(node.id, scope)[-2:]:  # type: ignore[attr-defined]
                    if self.upstream_name(value, s, depth + 1):
                        return True
        return False

    def _proxied_endpoint(self, texts: list[str], rec: CallRecord) -> tuple["HttpEndpoint", str] | None:
        """The endpoint an unread body is sent to by a proxy: the handler of a route ending in the
        endpoint's path (`@router.post("/responses")`) posting to a configured base + that path
        forwards the request it serves, which shows the body's shape (a path other services serve
        too, `generic`, does not)."""
        routes: list[str] | None = None
        for t in texts:
            if not t.startswith(HOLE):
                continue
            routes = self._handler_routes(rec) if routes is None else routes
            if not routes:
                return None
            path = t.split("?", 1)[0].rstrip("/")
            found = self._endpoint([t], None, any_body=True)  # type: ignore[attr-defined]
            if found is not None and found[0].suffix is not None and not found[0].generic \
                    and any(path.endswith(r) and r.endswith(found[0].suffix) for r in routes):
                return found
            # a versioned path it serves (/api/v1/messages: Anthropic's /v1/messages) forwarded to a base
            # holding the version (`https://api.anthropic.com/v1` + "/messages")
            for r in routes:
                served = self._endpoint([r], None, any_body=True)  # type: ignore[attr-defined]
                if served is not None and served[0].suffix is not None and not served[0].generic:
                    tail = VERSION_SEGMENT.sub("", served[0].suffix, count=1)
                    if tail != served[0].suffix and path.endswith(tail):
                        return served
        return None

    def _handler_routes(self, rec: CallRecord) -> list[str]:
        """The paths served by the web-route handler making the request `rec`, or by the handlers
        of its module that call the function making it by name (`send_request(...)`, capped)."""
        fs = enclosing_function(rec.scope)
        if fs is None:
            return []
        out = _routes_of(fs.node)
        name = getattr(fs.node, "name", None)
        if fs.cls is None and name:
            for caller in self._calls_by_name(fs.module).get((None, name), ())[:MAX_HANDLER_CALLERS]:  # type: ignore[attr-defined]
                cf = enclosing_function(caller.scope)
                if cf is not None and cf is not fs:
                    out += _routes_of(cf.node)
        return out

    def _served_paths(self) -> frozenset[str]:
        """Paths the project's modules declare as web routes, read from their bytes once per run. A
        module's routes on a router mounted under a prefix (`app.include_router(ollama.router,
        prefix="/ollama")`, `APIRouter(prefix=...)`, Flask's `url_prefix`) are served under it."""
        got = self.__dict__.get("_routes")
        if got is None:
            found: set[str] = set()
            frags = tuple(f for ep in self.catalog.http.endpoints for f in (ep.suffix, ep.contains) if f)
            local = tuple(m.encode() for m in self.catalog.http.local_model_markers)
            mounted: dict[str, set[str]] = {}  # module name -> prefixes its router is included under
            declared: list[tuple[str, bytes]] = []
            for ms in list(self.project.by_path.values()):  # type: ignore[attr-defined]
                if is_test_path(ms.relpath):  # a mock LLM server for tests is not the project's own route
                    continue
                raw = ms.raw
                if raw is None:
                    try:
                        raw = read_source_bytes(ms.path)
                    except OSError:
                        continue
                if len(raw) > MAX_ROUTE_FILE:
                    continue
                if b"include_router(" in raw or b"register_blueprint(" in raw:
                    for m in MOUNT.finditer(raw):
                        mounted.setdefault(m.group(1).decode(), set()).add(m.group(2).decode().rstrip("/"))
                if not (b"post(" in raw or b"route(" in raw or b"add_url_rule(" in raw):
                    continue
                if any(m in raw for m in local):  # a self-hosted model server: its routes are the model's
                    continue
                declared.append((ms.relpath, raw))
            for relpath, raw in declared:
                stem = relpath.removesuffix(".py").removesuffix("/__init__").rpartition("/")[2]
                own = OWN_PREFIX.search(raw)
                prefixes = [p + (own.group(1).decode().rstrip("/") if own else "") for p in mounted.get(stem, {""})]
                for m in ROUTE.finditer(raw):  # placeholders (<chat_id>, {model}) are holes, as in URLs
                    route = m.group(1).decode("utf-8", "replace")
                    if any(f in route for f in frags):
                        for p in prefixes[:MAX_PREFIXES]:
                            found.add(PLACEHOLDER.sub(HOLE, p + route).rstrip("/"))
            got = self.__dict__["_routes"] = frozenset(p for p in found if p)
        return got


def _host_unknown(text: str) -> bool:
    """Whether the URL's host is read at run time: a base opening it, or a hole in its host
    (`f"http://{host}:{port}/v1/responses"`)."""
    m = SCHEME_HOST.match(text)
    return text.startswith(HOLE) or (m is not None and HOLE in m.group(0))


def _third_party_host(text: str) -> bool:
    """Whether the URL `text` names its host literally and the host is a public domain name (a dot and
    a letter in its last label): not a hole, not localhost, not an IP address (a local or private
    server may well be the project's own), not a bare service name (`http://agixt:7437` in compose)."""
    m = SCHEME_HOST.match(text)
    if m is None or HOLE in m.group(0):
        return False
    host = m.group(0).partition("://")[2].rpartition("@")[2].partition(":")[0].lower()
    if host in LOCAL_HOSTS or "." not in host or host.endswith(LOCAL_SUFFIXES):
        return False
    return any(c.isalpha() for c in host.rpartition(".")[2])


def _routes_of(func: ast.AST) -> list[str]:
    """The paths a function's route decorators declare (`@router.post("/audio/speech")`), holes for
    placeholders, without a trailing slash."""
    out = []
    for d in getattr(func, "decorator_list", ()):
        if isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr in ROUTE_DECORATORS \
                and d.args and isinstance(d.args[0], ast.Constant) and isinstance(d.args[0].value, str):
            path = PLACEHOLDER.sub(HOLE, d.args[0].value).rstrip("/")
            if path.strip(HOLE + "/"):
                out.append(path)
    return out
