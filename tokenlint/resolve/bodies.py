"""What JSON body a raw HTTP request sends: the dict it is (a literal, a name bound to one, `json.dumps` of
one, what a project function returns or the function's callers pass), its keys at every depth, and the
LLM request shape those keys make when the URL alone does not tell (resolve/http.py asks)."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Iterator

from tokenlint.resolve.evidence import names_around
from tokenlint.resolve.scope import Scope, enclosing_function, item_assignments, item_updates, return_values
from tokenlint.resolve.urls import HOLE
from tokenlint.resolve.values import Func

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import HttpEndpoint, SdkCatalog

SPREAD = "**"  # the key under which a body dict's `**other` entries are kept (their keys are unknown)
MAX_NESTED_KEYS = 32
# steps followed from a request's body argument to the dict literal it is (a helper's return, a name, the
# `str.encode(json.dumps(data))` around it: `body` from `self._wrap_body(messages)` returning that takes six)
MAX_BODY_STEPS = 6
# ... of which a body one of the function's callers passes gets these (a relay's payload built by another
# helper of its callers is seldom the request's own: fastchat's API server forwarding to its workers)
CALLER_BODY_STEPS = 3
MAX_BUILDERS = 8  # request builders read for one `client.post(**build_request())` (one per caller)


class BodyMixin:
    """The `Resolver`'s reading of HTTP request bodies (a mixin: names are followed with `infer` and the
    binder's scopes; callers' arguments with `_caller_args`)."""

    catalog: "SdkCatalog"

    def _spread_keywords(self, call: ast.Call, scope: Scope) -> ast.Call:
        """`call` with its `**request` arguments read out, when `request` is a dict written in the same
        function (`_request = {"url": self.api_url, "json": data}; requests.post(**_request)`): a call
        passing its keys as keywords (never evaluated; only its URL and body are read). Else `call`."""
        if all(k.arg is not None for k in call.keywords):
            return call
        keywords = [k for k in call.keywords if k.arg is not None]
        for k in call.keywords:
            if k.arg is not None:
                continue
            found = self._dict_entries(k.value, scope, 0)
            if found is None or found[1] is not scope:
                return call  # a dict from elsewhere: its expressions do not belong to this scope
            keywords += [ast.keyword(arg=key, value=v) for key, v in found[0].items() if key.isidentifier()]
        return ast.Call(func=call.func, args=call.args, keywords=keywords)

    def _spread_builders(self, call: ast.Call, scope: Scope) -> list[tuple[dict[str, ast.expr], Scope]]:
        """The dicts a call's only `**` argument may be when it calls a builder (`**build_request()`): what a
        project function returns, or, for a parameter, what the functions its callers pass return (capped)."""
        spread = [k.value for k in call.keywords if k.arg is None]
        if len(spread) != 1 or not isinstance(spread[0], ast.Call) or spread[0].args or spread[0].keywords:
            return []
        f = spread[0].func
        funcs: list[Func] = []
        callee = self.infer(f, scope)  # type: ignore[attr-defined]
        if isinstance(callee, Func):
            funcs.append(callee)
        elif isinstance(f, ast.Name) and (fs := enclosing_function(scope)) is not None and f.id in fs.params:
            for arg, sc in self._caller_args(fs, f.id)[:MAX_BUILDERS]:  # type: ignore[attr-defined]
                v = self.infer(arg, sc)  # type: ignore[attr-defined]
                if isinstance(v, Func):
                    funcs.append(v)
        out = []
        for func in funcs:
            d = next((d for r in return_values(func.node) if (d := self._dict_entries(r, func.scope, 1)) is not None),
                     None)
            if d is not None:
                out.append(d)
        return out

    def _http_body(self, call: ast.Call, scope: Scope, index: int | None = None
                   ) -> tuple[dict[str, ast.expr], Scope] | None:
        """The entries of the request's JSON body, when it is a dict written in this function (a
        keyword argument, or the argument at `index`: `Request(url, body, headers)`)."""
        for k in call.keywords:
            if k.arg in self.catalog.http.body_kwargs or (index is not None and k.arg == "body"):
                return self._dict_entries(k.value, scope, 0, callers=True)
        if index is not None and len(call.args) > index and not any(isinstance(a, ast.Starred) for a in call.args):
            return self._dict_entries(call.args[index], scope, 0, callers=True)
        return None

    def _dict_entries(self, e: ast.expr, scope: Scope, depth: int, callers: bool = False
                      ) -> tuple[dict[str, ast.expr], Scope] | None:
        """The entries of the dict `e` is (a literal, a name bound to one, `json.dumps(...)` of one, what a
        project function returns; with `callers`, what this function's callers pass for a parameter)."""
        if depth > MAX_BODY_STEPS:
            return None
        if isinstance(e, ast.Await):  # body = await self._build_payload(query)
            e = e.value
        if isinstance(e, ast.Call):  # json.dumps(body), json.dumps(body).encode(), str.encode(json.dumps(body))
            f = e.func
            if isinstance(f, ast.Attribute) and f.attr in ("dumps", "encode"):
                str_encode = f.attr == "encode" and isinstance(f.value, ast.Name) and f.value.id in ("str", "bytes")
                inner = e.args[0] if e.args and (f.attr == "dumps" or str_encode) else \
                    f.value if f.attr == "encode" and not str_encode else None
                return self._dict_entries(inner, scope, depth + 1, callers) if inner is not None else None
            if isinstance(f, ast.Name) and f.id == "dict":
                return {k.arg if k.arg else SPREAD: k.value for k in e.keywords}, scope
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
                d = self._dict_entries(value, sc, depth + 1, callers)
                if d is not None:
                    entries, dscope = d
                    fs = enclosing_function(scope)
                    updated = item_updates(fs.node).get(e.id, {}) if fs is not None else {}
                    return {**entries, **self._item_assignments(e.id, scope),
                            **{SPREAD if k is None else k: v for k, v in updated.items()}}, dscope
            fs = enclosing_function(scope)
            if callers and fs is not None and e.id in fs.params:  # `def send(data): post(url, json=data)`: what callers pass
                for arg, sc in self._caller_args(fs, e.id):  # type: ignore[attr-defined]
                    d = self._dict_entries(arg, sc, depth + 1 + MAX_BODY_STEPS - CALLER_BODY_STEPS)
                    if d is not None:
                        return d
            return None
        if isinstance(e, ast.Dict):
            out = {k.value: v for k, v in zip(e.keys, e.values)
                   if isinstance(k, ast.Constant) and isinstance(k.value, str)}
            spread = next((v for k, v in zip(e.keys, e.values) if k is None), None)
            if spread is not None:
                out[SPREAD] = spread
            return out, scope
        return None

    def _item_assignments(self, name: str, scope: Scope) -> dict[str, ast.expr]:
        """`body["model"] = ...` statements in the function that holds `scope` (`item_assignments`)."""
        fs = enclosing_function(scope)
        return item_assignments(fs.node).get(name, {}) if fs is not None else {}

    def _local_assignments(self, name: str, scope: Scope) -> list[tuple[ast.expr, Scope]]:
        s: Scope | None = scope
        while s is not None:
            b = s.bindings.get(name)
            if b:
                return [(d, s) for k, d in b if k == "assign" and d is not None]
            s = s.parent
        return []

    def _body_shape(self, texts: list[str], body: tuple[dict[str, ast.expr], Scope] | None,
                    url: ast.expr, scope: Scope) -> tuple["HttpEndpoint", str] | None:
        """An endpoint from the JSON body's keys alone, for a URL not known to be elsewhere: a body
        with `model` and `messages` posted to an unknown URL is a chat request. A shape other requests
        have too (`model` + `input`: embeddings, but also moderations) counts only beside one of its
        words in the names around the call (`embed` in `embed_documents`, `OpenAPIEmbeddings`). A shape
        of keys at any depth (`*.messages`, a vendor's envelope) only on a body this function writes."""
        if body is None or all(HOLE not in t for t in texts):  # a URL known in full that is not an LLM API
            return None
        if self._non_llm_host(texts):  # type: ignore[attr-defined]
            return None  # `f"https://api.github.com/repos/{repo}/issues"`: a known service that runs no model
        if self._non_llm_path(texts):  # type: ignore[attr-defined]
            return None  # `f"{base}/tokenize"` with model + prompt: a model server's utility route
        keys = _body_keys(body[0])
        names: list[str] | None = None
        for shape in self.catalog.http.bodies:
            if body[1] is not scope and any(k.startswith("*.") for k in shape.body):
                continue  # an envelope read anywhere in a body the callers pass: a relay's, to its own worker
            if shape.names and set(shape.body) <= keys:
                names = names_around(scope, True, url) if names is None else names
                if not any(w in n for w in shape.names for n in names):
                    continue
            if set(shape.body) <= keys:
                provider = next((p for frag, p in self.catalog.http.hosts.items() for t in texts if frag in t), None)
                return shape, provider or shape.provider or "unknown"
        return None

    def _chat_shaped(self, body: tuple[dict[str, ast.expr], Scope] | None) -> str:
        """The keys (joined by "+") of the catalog's LLM request shapes a JSON body holds, else "": a body
        shape (`[[http.body]]`, whatever names are around, unless marked `hint = false`) or an LLM payload's
        keys (`[llm_evidence]`)."""
        if body is None:
            return ""
        keys = _body_keys(body[0])
        for shape in [ep.body for ep in self.catalog.http.bodies if ep.hint] + \
                [tuple(sorted(b)) for b in self.catalog.llm_bodies]:
            if shape and set(shape) <= keys:
                return "+".join(shape)
        return ""


def _body_keys(body: dict[str, ast.expr]) -> set[str]:
    """A JSON body's keys, with those one level down as "outer.inner" ({"input_data": {"input_string":
    ...}}) and of a list's dict items as "outer[].inner" ({"messages": [{"role": ...}]}), and every key
    of the first three levels of dicts as "*.key" (a vendor's envelope around the request). A key written
    as an empty string asks for nothing (Ollama's unload: `"prompt": ""` beside keep_alive 0; an empty
    list is a conversation filled in later)."""
    keys = {k for k, v in body.items() if not (isinstance(v, ast.Constant) and v.value == "")}
    keys.update(f"*.{k}" for k in _nested_keys(body, 3))
    for k, v in body.items():
        if isinstance(v, ast.Dict):
            keys.update(f"{k}.{ik.value}" for ik in v.keys[:MAX_NESTED_KEYS]
                        if isinstance(ik, ast.Constant) and isinstance(ik.value, str))
        elif isinstance(v, ast.List):
            keys.update(f"{k}[].{ik.value}" for item in v.elts[:MAX_NESTED_KEYS] if isinstance(item, ast.Dict)
                        for ik in item.keys[:MAX_NESTED_KEYS] if isinstance(ik, ast.Constant) and isinstance(ik.value, str))
    return keys


def _nested_keys(body: dict[str, ast.expr], levels: int) -> Iterator[str]:
    """The keys of `body` and of the dict literals it holds, `levels` deep (none written as "")."""
    for k, v in list(body.items())[:MAX_NESTED_KEYS]:
        if k == SPREAD or isinstance(v, ast.Constant) and v.value == "":
            continue
        yield k
        if levels > 1 and isinstance(v, ast.Dict):
            yield from _nested_keys({ik.value: iv for ik, iv in zip(v.keys, v.values)
                                     if isinstance(ik, ast.Constant) and isinstance(ik.value, str)}, levels - 1)
