"""Which calls run an HTTP request function handed to them as a value, and with which arguments.

`requests.post` (or `httpx.post`, a session's `post`) is often not called where it is written but
passed to something that calls it: a standard runner (`asyncio.to_thread(requests.post, url, json=b)`,
`loop.run_in_executor(None, requests.post, url)`, `executor.submit(...)`), a `functools.partial`
handed to one (`run_in_executor(None, partial(requests.post, url, json=b))`), or a project helper
that forwards a callable with its arguments (`async def run_sync(func, *args, **kwargs)` running
`func(*args, **kwargs)` in a thread). That call is the request, at its line, with the URL and body
from the arguments bound to the function: it is read as the call `requests.post(url, json=b)`.
"""

from __future__ import annotations

import ast
import weakref
from typing import TYPE_CHECKING, Optional

from tokenlint.resolve.binder import CallRecord
from tokenlint.resolve.scope import decorator_name
from tokenlint.resolve.values import Func, Qual

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import SdkCatalog
    from tokenlint.resolve.site import CallSite

HANDED_AT = 2  # positions of a call's arguments read for a handed request function (`run_in_executor(None, f)`)


class HandedHttpMixin:
    """The `Resolver`'s reading of HTTP request functions handed as values (a mixin: `_http` builds
    the site of the call the handed function makes, `run_here` knows the standard runners)."""

    catalog: "SdkCatalog"

    def _handed_http(self, rec: CallRecord) -> Optional["CallSite"]:
        """The HTTP site of `rec` when it hands an HTTP request function, or a `partial` of one, to a
        standard runner or to a project helper forwarding a callable with `*args`, which calls it
        with the arguments that go with it; else None."""
        call, scope = rec.node, rec.scope
        if not call.args:
            return None  # (a call with no positional argument hands nothing here)
        names = self._http_function_names()
        at = next((i for i, a in enumerate(call.args[:HANDED_AT]) if _spelled_http(a, names)), None)
        if at is None:
            return None  # most calls: no argument spelled as a request function (asked of every call)
        args, keywords, awaitable = self._handed_arguments(call, at, scope)
        if args is None:
            return None
        handed = call.args[at]
        if isinstance(handed, ast.Call):  # partial(requests.post, url, json=body): its bound arguments first
            q = self.infer(handed.func, scope)  # type: ignore[attr-defined]
            if not (isinstance(q, Qual) and q.qual == "functools.partial" and handed.args):
                return None
            args = [*handed.args[1:], *args]
            keywords = [*handed.keywords, *keywords]
            handed = handed.args[0]
        inner = ast.copy_location(ast.Call(func=handed, args=args, keywords=keywords), call)
        site = self._http(CallRecord(inner, scope, rec.in_loop, rec.parent_call, rec.loop),  # type: ignore[attr-defined]
                          self.infer(handed, scope))  # type: ignore[attr-defined]
        if site is None:
            return None
        site.node, site.tag_style = call, None  # the handing call is where it is written; no tag goes through it
        site.is_async = site.is_async or awaitable
        return site

    def _getattr_http(self, rec: CallRecord) -> Optional["CallSite"]:
        """The HTTP site of `getattr(client, verb)(url, ...)`, or of `request(url, ...)` after `request =
        getattr(client, method.lower(), None)` in the same function, when `verb` may be "post" (a literal, or
        what the function's callers pass for it) and `client` an HTTP client: read as `client.post(url, ...)`."""
        call, scope = rec.node, rec.scope
        got: Optional[ast.expr] = call.func
        if isinstance(got, ast.Name):
            assigned = self._local_assignments(got.id, scope)  # type: ignore[attr-defined]
            got = assigned[0][0] if len(assigned) == 1 and assigned[0][1] is scope else None
        if not (isinstance(got, ast.Call) and isinstance(got.func, ast.Name) and got.func.id == "getattr"
                and len(got.args) >= 2 and not isinstance(got.args[0], ast.Starred)):
            return None
        client = self.infer(got.args[0], scope)  # type: ignore[attr-defined]
        if not (isinstance(client, Qual) and client.qual in self.catalog.http.clients):
            return None  # first: the verb may be a parameter, whose callers are searched project-wide
        verbs = self.url_texts(got.args[1], scope)  # type: ignore[attr-defined]
        if "post" not in {v.lower() for v in verbs}:
            return None
        func = ast.copy_location(ast.Attribute(value=got.args[0], attr="post", ctx=ast.Load()), call.func)
        inner = ast.copy_location(ast.Call(func=func, args=call.args, keywords=call.keywords), call)
        site = self._http(CallRecord(inner, scope, rec.in_loop, rec.parent_call, rec.loop), client)  # type: ignore[attr-defined]
        if site is not None:
            site.node = call
        return site

    def _handed_arguments(self, call: ast.Call, at: int, scope) -> tuple[Optional[list], list, bool]:
        """The positional and keyword arguments the callable at `call.args[at]` is called with: those
        after it in a standard runner's call (`to_thread(f, *a, **k)`, `run_in_executor(None, f, *a)`)
        or in a call of a project helper forwarding its callable parameter with `*args`; and whether
        the call returns an awaitable (an async runner or helper). (None, [], False) when `call` does
        neither. A pool's `map` calls the function once per element of an iterable: not read."""
        runner = decorator_name(call.func)
        if runner in ("partial", "map"):
            return None, [], False  # a partial is called where it is called; map's arguments are iterables
        found = self.run_here(call, scope)  # type: ignore[attr-defined]
        if found is not None and found[0] is call and found[1] == at:
            return list(call.args[at + 1:]), list(call.keywords), runner != "submit"
        if found is not None or runner == "submit":
            return None, [], False
        f = self.infer(call.func, scope)  # type: ignore[attr-defined]
        if type(f) is not Func:
            return None, [], False
        params = [a.arg for a in (*f.node.args.posonlyargs, *f.node.args.args)]
        if params and params[0] in ("self", "cls") and isinstance(call.func, ast.Attribute):
            params = params[1:]  # `self._run(requests.post, ...)`: the bound method's own parameters
        if at >= len(params) or not forwards(f.node, params[at]):
            return None, [], False
        return list(call.args[at + 1:]), list(call.keywords), isinstance(f.node, ast.AsyncFunctionDef)

    def _http_function_names(self) -> frozenset[str]:
        """The last names of the catalog's HTTP request functions and client methods (`post`,
        `request`, `stream`, `urlopen`), computed once."""
        got = self.__dict__.get("_handed_names")
        if got is None:
            h = self.catalog.http
            got = self.__dict__["_handed_names"] = frozenset(h.methods) | \
                frozenset(q.rpartition(".")[2] for q in h.functions if q not in h.request_builders)
        return got


def _spelled_http(a: ast.expr, names: frozenset[str]) -> bool:
    """Whether argument `a` is spelled as an HTTP request function (`requests.post`, `session.post`,
    `post` imported by name) or a `partial(...)` of one, by its spelling only."""
    if isinstance(a, ast.Call):
        return decorator_name(a.func) == "partial" and bool(a.args) and _spelled_http(a.args[0], names)
    if isinstance(a, ast.Attribute):
        return a.attr in names
    return isinstance(a, ast.Name) and a.id in names


# computed once per function node; weak keys: the entries go with the module's tree
FORWARDS_MEMO: "weakref.WeakKeyDictionary[ast.AST, dict[str, bool]]" = weakref.WeakKeyDictionary()


def forwards(fnode: ast.AST, param: str) -> bool:
    """Whether function `fnode` calls its parameter `param` with its own `*args`, directly
    (`param(*args, **kwargs)`) or by handing both to another call (`partial(param, *args, **kwargs)`,
    `loop.run_in_executor(None, param, *args)`, `asyncio.to_thread(param, *args, **kwargs)`)."""
    memo = FORWARDS_MEMO.setdefault(fnode, {})
    got = memo.get(param)
    if got is None:
        vararg = fnode.args.vararg.arg if fnode.args.vararg is not None else None  # type: ignore[attr-defined]
        got = False
        if vararg is not None:
            for n in ast.walk(fnode):
                if not isinstance(n, ast.Call):
                    continue
                spreads = any(isinstance(a, ast.Starred) and isinstance(a.value, ast.Name) and a.value.id == vararg
                              for a in n.args)
                calls = isinstance(n.func, ast.Name) and n.func.id == param
                hands = any(isinstance(a, ast.Name) and a.id == param for a in n.args)
                if spreads and (calls or hands):
                    got = True
                    break
        memo[param] = got
    return got
