"""Which provider's servers answer a client or model object aimed elsewhere by its base URL (the OpenAI SDK
or LangChain's ChatOpenAI at an Azure OpenAI resource): the provider the URL's host names (catalog
`[http.hosts]`), read from the texts the URL may be, or, the host not written in the code, the one a word
of the setting it is read from names (`os.getenv("AZURE_OPENAI_ENDPOINT")`: catalog `[http.setting_words]`)."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Optional

from tokenlint.resolve.caps import caps_data
from tokenlint.resolve.imports import definition
from tokenlint.resolve.selfhosted import NAME_WORDS
from tokenlint.resolve.urls import HOLE, host_part, url_authority

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import HttpCatalog
    from tokenlint.resolve.scope import Scope

_GETTERS = ("getenv", "get", "environ")
_STRING_METHODS = ("rstrip", "strip", "lstrip", "removesuffix", "removeprefix", "lower", "format")


def served_by(calls: Iterable[tuple[ast.Call, "Scope"]], http: "HttpCatalog",
              urls: Callable[[ast.expr, "Scope"], list[str]]) -> Optional[str]:
    """The provider whose servers answer the request: named by the host of every text the base URL argument
    of `calls` (the request, then the constructors of its client or model object; catalog [self_hosted]
    base_url_params) may be, else by the setting it is read from; None when neither says, or they name
    several."""
    params = set(caps_data().get("self_hosted", {}).get("base_url_params", ()))
    for call, scope in calls:
        if call is None:
            continue
        for k in call.keywords:
            if k.arg not in params:
                continue
            named = {http.host_provider(t) if _host_known(t) else None for t in urls(k.value, scope)}
            if None in named:  # a text naming no provider's host: the SDK's own when None is passed, or unknown
                words = {http.setting_words[w] for n in _setting_names(k.value, scope, 0)
                         for w in _words(n) if w in http.setting_words}
                # the setting tells that text's provider; the hosts written beside it still count (an Azure
                # endpoint setting or "https://api.openai.com/v1": either may serve it, review of post24a)
                named = (named - {None}) | words if words else set()
            if named:
                return named.pop() if len(named) == 1 else None
    return None


def _host_known(text: str) -> bool:
    """The URL text names some of its host (`https://{resource}.openai.azure.com/...` does)."""
    return "://" in text and bool(url_authority(text).replace(HOLE, ""))


def _words(name: str) -> set[str]:
    return {w.lower() for w in NAME_WORDS.findall(name)}


def _setting_names(e: ast.expr, scope: "Scope", depth: int) -> Iterator[str]:
    """The names of the settings, environment variables and variables the host of URL expression `e` is
    read from: `AZURE_OPENAI_ENDPOINT` of `os.getenv("AZURE_OPENAI_ENDPOINT", "").rstrip("/")`, `endpoint`
    and `azure` of `settings.azure.endpoint`, through names (each assignment), f-strings and `+`."""
    if depth > 4:
        return
    head = host_part(e)
    if head is not None and head is not e:
        yield from _setting_names(head, scope, depth + 1)
        return
    if isinstance(e, ast.Name):
        yield e.id
        b = definition(e.id, scope)
        if b is not None and b[0] == "assign":
            for kind, value in b[2].bindings.get(e.id) or [("assign", b[1])]:
                if kind == "assign" and isinstance(value, ast.expr):
                    yield from _setting_names(value, b[2], depth + 1)
    elif isinstance(e, ast.Attribute):
        yield e.attr
        if not (isinstance(e.value, ast.Name) and e.value.id in ("self", "cls")):
            yield from _setting_names(e.value, scope, depth + 1)
    elif isinstance(e, ast.Subscript):  # os.environ["AZURE_OPENAI_ENDPOINT"], config["azure_endpoint"]
        if isinstance(e.slice, ast.Constant) and isinstance(e.slice.value, str):
            yield e.slice.value
        yield from _setting_names(e.value, scope, depth + 1)
    elif isinstance(e, ast.Call):
        f = e.func
        if isinstance(f, ast.Attribute) and f.attr in _GETTERS or isinstance(f, ast.Name) and f.id in _GETTERS:
            for a in e.args[:1]:  # the variable's or key's name; a default URL is read by its host
                if isinstance(a, ast.Constant) and isinstance(a.value, str):
                    yield a.value
        elif isinstance(f, ast.Attribute) and f.attr in _STRING_METHODS:
            yield from _setting_names(f.value, scope, depth + 1)
        elif isinstance(f, ast.Name) and f.id == "str" and e.args:
            yield from _setting_names(e.args[0], scope, depth + 1)
    elif isinstance(e, ast.BoolOp):
        for v in e.values:
            yield from _setting_names(v, scope, depth + 1)
    elif isinstance(e, ast.IfExp):
        yield from _setting_names(e.body, scope, depth + 1)
        yield from _setting_names(e.orelse, scope, depth + 1)
