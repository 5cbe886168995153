"""What a URL expression can be: a few candidate texts with holes for what is unknown.

Literals, constants, f-strings, `base + path`, `urljoin`, `"/".join([...])`, `.format`, `os.getenv` /
`dict.get` defaults, attributes set in `__init__` (in a base class's method, also those its subclasses
set), an Enum member's `.value`, parameter defaults, project helpers (what they return; a
parameter they return is the caller's argument), and entries of dict tables (`table[name]["url"]`,
the union of the entries over the table's values, `table.update({...})` included). Work per URL is
capped (names followed, expressions evaluated, texts kept, characters per text, dict entries read):
past a cap a part is a hole, never an error.
"""

from __future__ import annotations

import ast
import string
from typing import TYPE_CHECKING, Iterator

from tokenlint.resolve.reaching import reaching_use
from tokenlint.resolve.scope import (Scope, bind_args, binding_of, enclosing_class, enclosing_function, is_method,
                                     is_property, return_values)
from tokenlint.resolve.values import UNKNOWN, ClassV, Func, Holder, Instance, ProjModule, Qual, Str, Value

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import SdkCatalog
    from tokenlint.resolve.binder import CallRecord, ModuleInfo

HOLE = "\x00"  # an unknown part of a URL
Given = dict[tuple[int, str], tuple[ast.expr, Scope]]  # (id of a function's scope, parameter) -> its argument
MAX_DEPTH = 8  # names and attributes followed per URL
MAX_TEXTS = 12  # candidate texts kept per expression
MAX_LEN = 400  # characters kept per candidate (the start for the host, the end for the path)
MAX_NODES = 300  # expressions evaluated per URL
MAX_ENTRIES = 64  # dict-table values read per subscript
_FORMATTER = string.Formatter()  # parses str.format templates into literal text and replacement fields
MAX_SCAN = 2000  # keys of one dict literal looked at
MAX_CALLERS = 8  # calls of a function read for what they pass to a URL parameter
MAX_SUBCLASSES = 8  # subclasses read for the value of `self.attr` in a base class's method
STRING_METHODS = ("strip", "rstrip", "lstrip", "lower", "removesuffix", "removeprefix")
# a field declared with its default: pydantic `Field(default=...)` / `Field("...")`, dataclasses `field(default=...)`
FIELD_FUNCTIONS = frozenset({"pydantic.Field", "pydantic.fields.Field", "dataclasses.field", "attr.ib", "attrs.field"})
# URL types built from their text (pydantic 2 networks AnyUrl / HttpUrl, yarl.URL, httpx.URL): the URL is the text
URL_TYPES = frozenset({"pydantic.AnyUrl", "pydantic.HttpUrl", "pydantic.AnyHttpUrl", "pydantic.networks.AnyUrl",
                       "pydantic.networks.HttpUrl", "yarl.URL", "httpx.URL"})


class _Budget:
    """Work left for one URL, and the names being followed (a name defined from itself is a hole)."""

    __slots__ = ("left", "active", "used", "given")

    def __init__(self, given: "Given | None" = None) -> None:
        self.given = given or {}  # parameters whose argument is known: (id of the function's scope, name) -> it
        self.left = MAX_NODES
        self.active: set[tuple[int, str]] = set()
        self.used: set[tuple[ast.AST, str]] = set()  # the string literals the URL is made of, and their file


def url_authority(text: str) -> str:
    """The part of a URL text between its scheme and its path (`user@host:port`, a query when no path
    comes first), as written; the text up to its first `/` when it names no scheme (`host:11434/v1`)."""
    return text.split("://", 1)[-1].split("/", 1)[0]


def host_part(e: ast.expr) -> ast.expr | None:
    """The expression a URL's host comes from, as written: its first operand (`base + "/v1/tts"`), the first
    field of an f-string (f"{base}/v1"), or the field after a bare scheme when it is the whole host
    (f"https://{host}/v1", f"https://{host}:8443"; not f"https://{region}.api.example.com"), `urljoin`'s
    base; None when the host is written in a literal. Never follows a name: the caller reads its assignments."""
    for _ in range(MAX_DEPTH):
        if isinstance(e, ast.BinOp) and isinstance(e.op, ast.Add):
            e = e.left
        elif isinstance(e, ast.JoinedStr) and e.values:
            first = e.values[0]
            if isinstance(first, ast.Constant) and _bare_scheme(str(first.value)) and len(e.values) > 1:
                first, after = e.values[1], e.values[2:3]
                if after and isinstance(after[0], ast.Constant) and not str(after[0].value).startswith(_HOST_ENDS):
                    return None  # the field is part of a host the literal names
            if not isinstance(first, ast.FormattedValue):
                return None
            e = first.value
        elif isinstance(e, ast.Call) and e.args and (getattr(e.func, "attr", None) or getattr(e.func, "id", None)) == "urljoin":
            e = e.args[0]
        else:
            return None if isinstance(e, ast.Constant) else e
    return None


_HOST_ENDS = ("/", ":", "?", "#")  # what may follow a whole host in a URL


def _bare_scheme(text: str) -> bool:
    """`https://` and no more: the host comes next."""
    return text.endswith("://") and text[:-3].isalpha()


def _clip(t: str) -> str:
    return t if len(t) <= MAX_LEN else t[:MAX_LEN // 2] + HOLE + t[-MAX_LEN // 2:]


def _product(a: list[str], b: list[str]) -> list[str]:
    """Every `x + y`, at most MAX_TEXTS: each alternative of `a` with the first of `b` before the rest, so
    that a URL built left to right keeps each of its hosts (an environment variable or its default
    `api.deepgram.com`) however many alternatives its query adds."""
    out: list[str] = []
    for row in ([(x, b[0]) for x in a] if len(a) > 1 and b else [], ((x, y) for x in a for y in b)):
        for x, y in row:
            t = _clip(x + y)
            if t not in out:
                out.append(t)
            if len(out) >= MAX_TEXTS:
                return out
    return out


def _hosts_first(texts: list[str]) -> list[str]:
    """`texts` with those naming their host first (`https://api.x.com/v1/...` before `\x00/v1/...`), in
    order otherwise: the endpoint a URL reaches is read from the first text that matches one."""
    return sorted(texts, key=lambda t: not _names_host(t))


def _names_host(t: str) -> bool:
    scheme, sep, rest = t.partition("://")
    return bool(sep) and HOLE not in scheme and rest[:1] not in ("", HOLE)


def _union(parts: Iterator[list[str]]) -> list[str]:
    out: list[str] = []
    for p in parts:
        for t in p:
            if t not in out:
                out.append(t)
            if len(out) >= MAX_TEXTS:
                return out
    return out or [HOLE]


class UrlMixin:
    """The `Resolver`'s URL evaluation (a mixin: names are followed with `infer` and the binder's scopes)."""

    catalog: "SdkCatalog"

    def url_texts(self, e: ast.expr, scope: Scope, given: Given | None = None) -> list[str]:
        """Candidate texts of the string expression `e`, with HOLE for unknown parts; `given`: parameters
        read as the argument one call passes (with its scope), not as whatever any caller may pass."""
        budget = _Budget(given)
        texts = _hosts_first(self._texts(e, scope, 0, budget))
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
        if t is ast.Subscript:
            if type(e.slice) is ast.Slice:  # type: ignore[attr-defined]  # url[8:] ("https://" cut off)
                return _sliced(self._texts(e.value, scope, depth + 1, budget), e.slice)  # type: ignore[attr-defined]
            # table[name]["url"]
            return self._entry_texts(self._entries(e, scope, depth, budget), depth, budget)  # type: ignore[arg-type]
        return [HOLE]

    def _entry_texts(self, entries: list[tuple[ast.expr, Scope]], depth: int, budget: _Budget) -> list[str]:
        """The texts of dict entries (an entry written the same way twice is read once)."""
        seen: set[object] = set()
        parts = []
        for v, s in entries:
            key = v.id if isinstance(v, ast.Name) else v.value if isinstance(v, ast.Constant) else id(v)
            if key not in seen:
                seen.add(key)
                parts.append((v, s))
        return _union(self._texts(v, s, depth + 1, budget) for v, s in parts) if parts else [HOLE]

    def _caller_args(self, fs: Scope, param: str) -> list[tuple[ast.expr, Scope]]:
        """The arguments passed for `param` of the function of `fs` by its calls in the same module:
        `name(...)` for a module-level function, `self.name(...)` / `cls.name(...)` for a method
        (a URL helper's callers: `self._request(path="/chat/completions", ...)`), `Class(...)` for
        `__init__`; capped."""
        node = fs.node
        if fs.kind != "function" or not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return []
        index = self._calls_by_name(fs.module)
        method = fs.cls is not None
        if method and node.name == "__init__":  # a constructor's callers: `ClassName(...)`
            calls = index.get((None, fs.cls.node.name), [])  # type: ignore[union-attr,attr-defined]
        elif method:  # `self.name(...)` in another class calls another method; in a subclass of this
            # module that does not override it, this one (`self._http_post(url, ...)` of each vendor's class)
            calls = [r for recv in ("self", "cls") for r in index.get((recv, node.name), ())
                     if (c := enclosing_class(r.scope)) is fs.cls or _inherits(c, fs.cls, node.name)]
        else:
            calls = index.get((None, node.name), [])
        out: list[tuple[ast.expr, Scope]] = []
        for rec in calls[:MAX_CALLERS]:
            a = bind_args(node, rec.node, skip_self=method).get(param)
            if a is not None:
                out.append((a, rec.scope))
        if not out and (node.name == "__init__" or not node.name.startswith("_")) and self._http_helper(Func(node, fs)) is None:  # type: ignore[attr-defined]
            # none here: a public function's callers in the project's other modules (`api_image_request(url=
            # self.options.url, ...)`, `ApiClient(key, "https://...")` for its `__init__`), as the caller-argument
            # inference finds them (files naming it, capped);
            # not a generic HTTP helper's (`sync_request(method, url, **kwargs)`): each of its calls is a site
            for use in (self._uses(fs) or ())[:MAX_CALLERS]:  # type: ignore[attr-defined]
                a = use.bound.get(param) if use.bound is not None else None
                if a is not None and use.rec.scope.module is not fs.module and not use.test:
                    out.append((a, use.rec.scope))
        return out

    # ------------------------------------------------------------------ dict tables
    def _entries(self, e: ast.Subscript, scope: Scope, depth: int, budget: _Budget) -> list[tuple[ast.expr, Scope]]:
        """The expressions `container[key]` can stand for: the key's entry in each dict the
        container can be, or every entry when the key is not known (capped)."""
        key = e.slice
        name = key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None
        return self._dict_values(self._dicts(e.value, scope, depth + 1, budget), name)

    def _dict_values(self, dicts: list[tuple[ast.Dict, Scope]], key: str | None) -> list[tuple[ast.expr, Scope]]:
        out: list[tuple[ast.expr, Scope]] = []
        each = max(4, MAX_ENTRIES // max(1, len(dicts)))  # every value of a table: a fair share of each dict
        for d, s in dicts:
            n = 0
            for k, v in zip(d.keys[:MAX_SCAN], d.values[:MAX_SCAN]):
                if key is None or (isinstance(k, ast.Constant) and k.value == key):
                    out.append((v, s))
                    n += 1
                    if len(out) >= MAX_ENTRIES or (key is None and n >= each):
                        break
            if len(out) >= MAX_ENTRIES:
                break
        return out

    def _dicts(self, e: ast.expr, scope: Scope, depth: int, budget: _Budget) -> list[tuple[ast.Dict, Scope]]:
        """The dict literals an expression can be: a literal, a name or attribute bound to one (with
        the dicts `name.update({...})` adds where it is bound), an entry of a dict of dicts."""
        budget.left -= 1
        if budget.left < 0 or depth > MAX_DEPTH:
            return []
        t = type(e)
        if t is ast.Dict:
            return [(e, scope)]  # type: ignore[list-item]
        if t is ast.Subscript:
            out: list[tuple[ast.Dict, Scope]] = []
            for v, s in self._entries(e, scope, depth, budget):  # type: ignore[arg-type]
                out += self._dicts(v, s, depth + 1, budget)
            return out
        found: list[tuple[ast.expr, Scope]] = []
        if t is ast.Name:
            b = binding_of(e.id, scope)  # type: ignore[attr-defined]
            if b is None:
                return []
            kind, data, s = b
            key = (id(s), e.id)
            if key in budget.active:
                return []
            if kind == "assign" and isinstance(data, ast.expr):
                found.append((data, s))
                found += self._updates(s, e.id)  # type: ignore[attr-defined]
            elif kind == "from":
                d = self._import_def(kind, data, s)  # type: ignore[attr-defined]
                if d is not None:
                    found.append(d)
                    found += self._updates(d[1], data[2])
            budget.active.add(key)
            try:
                out = []
                for v, s2 in found:
                    out += self._dicts(v, s2, depth + 1, budget)
                return out
            finally:
                budget.active.discard(key)
        if t is ast.Attribute:  # settings.TABLE, module.TABLE (with its updates), self.table
            d = self._attr_def(e, scope)  # type: ignore[attr-defined]
            if d is None:
                return []
            out = self._dicts(d[0], d[1], depth + 1, budget)
            for v, s2 in self._updates(d[1], e.attr) if d[1].kind == "module" else ():  # type: ignore[attr-defined]
                out += self._dicts(v, s2, depth + 1, budget)
            return out
        return []

    def _calls_by_name(self, info: "ModuleInfo") -> dict[tuple[str | None, str], list["CallRecord"]]:
        """The module's calls by (receiver name, called name): `f(...)` under (None, "f"),
        `self.f(...)` under ("self", "f"), `table.update(...)` under ("table", "update"); built once."""
        memo = self.__dict__.setdefault("_calls_by_name_memo", {})
        index = memo.get(info)
        if index is None:
            index = memo[info] = {}
            for rec in info.calls:
                f = rec.node.func
                if isinstance(f, ast.Name):
                    index.setdefault((None, f.id), []).append(rec)
                elif isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name):
                    index.setdefault((f.value.id, f.attr), []).append(rec)
        return index

    def _updates(self, scope: Scope, name: str) -> list[tuple[ast.expr, Scope]]:
        """The dicts passed to `name.update(...)` in the module of `scope` where `name` is `scope`'s."""
        updates = [(r.node.args[0], r.scope) for r in self._calls_by_name(scope.module).get((name, "update"), ())
                   if r.node.args]
        return [(d, s) for d, s in updates[:MAX_TEXTS]
                if s is scope or (b := binding_of(name, s)) is not None and b[2] is scope]

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
                        if first and len(b) > 1 and all(kind == "assign" for kind, _d in b):
                            # `if web: url = A; post(url)` / `else: url = B; post(url)`: each read, the
                            # assignments reaching it (its own branch's), when they can be told
                            reach = reaching_use(e, scope, s)
                            if reach:
                                some = [("assign", d) for d in reach[-MAX_TEXTS:]]
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
        if kind == "param" and (id(s), e.id) in budget.given:  # the argument of the call being read
            a, sc = budget.given[(id(s), e.id)]
            return self._texts(a, sc, depth + 1, budget)
        if kind == "param":  # unknown, its default, and what the function's callers in this module pass
            default = data[2] if isinstance(data, tuple) and len(data) > 2 else None  # type: ignore[index]
            return _union(iter([[HOLE], self._texts(default, s, depth + 1, budget) if default is not None else [],
                                *(self._texts(a, sc, depth + 1, budget) for a, sc in self._caller_args(s, e.id))]))
        if kind == "unknown" and isinstance(data, tuple) and len(data) == 2 and isinstance(data[0], ast.Call):
            # `api_url, headers, body = self.prepare_request(...)`: item i of the tuples it returns
            return self._unpacked_texts(data[0], data[1], s, depth, budget)
        if kind in ("import", "from"):
            d = self._import_def(kind, data, s)  # type: ignore[attr-defined]
            if d is not None:
                return self._texts(d[0], d[1], depth + 1, budget)
            return self._value_texts(self._binding_value(e.id, kind, data, s))  # type: ignore[attr-defined]
        return [HOLE]

    def _unpacked_texts(self, call: ast.Call, i: int, scope: Scope, depth: int, budget: _Budget) -> list[str]:
        """Texts of item `i` of the tuples a project function returns (`return url, headers, payload`),
        unpacked where `call` is made. A method called on `self` in a base class may run a subclass's
        override (an abstract `prepare_request` each provider implements): theirs are read too."""
        f = self.infer(call.func, scope)  # type: ignore[attr-defined]
        if not isinstance(f, Func):
            return [HOLE]
        funcs = [(f.node, f.scope)]
        method = enclosing_function(scope)
        if isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name) and method is not None \
                and method.self_name == call.func.value.id and method.cls is not None:
            for c in self._subclasses(ClassV(method.cls.node, method.cls))[:MAX_SUBCLASSES]:  # type: ignore[attr-defined]
                for k, d in c.scope.bindings.get(call.func.attr, ()):
                    fs = c.scope.module.func_scopes.get(d) if k == "def" else None
                    if fs is not None:
                        funcs.append((d, fs))
        items = [(r.elts[i], fs) for node, fs in funcs for r in list(return_values(node))[:4]
                 if isinstance(r, ast.Tuple) and len(r.elts) > i and not isinstance(r.elts[i], ast.Starred)]
        if not items:
            return [HOLE]
        return _union(self._texts(v, sc, depth + 1, budget) for v, sc in items[:MAX_TEXTS])

    def _attr_texts(self, e: ast.Attribute, scope: Scope, depth: int, budget: _Budget) -> list[str]:
        if e.attr == "value" and isinstance(e.value, ast.Attribute) \
                and isinstance(self.infer(e.value.value, scope), ClassV):  # type: ignore[attr-defined]
            # `Provider.GROQ.value`: an Enum member's value is what the class body assigns to the member
            return self._texts(e.value, scope, depth + 1, budget)
        base = self.infer(e.value, scope)  # type: ignore[attr-defined]
        if isinstance(base, Instance):
            values: list[tuple[ast.expr, Scope]] = []
            classes = list(self._class_chain(base.cls))  # type: ignore[attr-defined]
            method = enclosing_function(scope)
            if isinstance(e.value, ast.Name) and method is not None and method.self_name == e.value.id \
                    and method.cls is not None and method.cls.node is base.cls.node:
                # `self.API_URL` in a base class's method: the value of the subclass the method runs on,
                # any of those the project's subclasses set (`class MoonshotProvider(ChatProvider): API_URL = ...`)
                classes += self._subclasses(base.cls)[:MAX_SUBCLASSES]  # type: ignore[attr-defined]
            for c in classes:
                values += c.scope.attrs.get(e.attr, [])
                values += [(d, c.scope) for k, d in c.scope.bindings.get(e.attr, ()) if k == "assign" and d is not None]
                for k, d in c.scope.bindings.get(e.attr, ()):  # a @property: what its getter returns
                    fs = c.scope.module.func_scopes.get(d) if k == "def" and is_property(d) else None
                    if fs is not None:
                        values += [(r, fs) for r in list(return_values(d))[:4]]
            if values:
                return _union(self._texts(v, sc, depth + 1, budget) for v, sc in values[:MAX_TEXTS])
            # a library base's default (`self.zhipuai_api_base` of a ChatZhipuAI subclass), else unknown
            return self._value_texts(self._inherited_attr(base.cls, e.attr) or UNKNOWN)  # type: ignore[attr-defined]
        if isinstance(base, Holder):  # `config.url` of `config = SimpleNamespace(**{"url": "https://..."})`
            field = self.namespace_field(base, e.attr)  # type: ignore[attr-defined]
            if field is not None:
                return self._texts(field, base.scope, depth + 1, budget)
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
                if f.attr == "lstrip":  # `path.lstrip("/")`, `path.lstrip()`: what the characters given strip
                    chars = e.args[0].value if e.args and isinstance(e.args[0], ast.Constant) else None
                    if e.args and not isinstance(chars, str):
                        return out
                    return [x.lstrip(chars) for x in out]
                return [x.rstrip("/") if f.attr == "rstrip" else x for x in out]
            if f.attr == "replace" and len(e.args) == 2 and all(
                    isinstance(a, ast.Constant) and isinstance(a.value, str) for a in e.args):
                old, new = e.args[0].value, e.args[1].value  # type: ignore[attr-defined]
                return [_clip(x.replace(old, new)) for x in self._texts(f.value, scope, depth + 1, budget)]
            if f.attr == "format":  # "{}://{}/v1/listen".format(scheme, host): the arguments fill the fields
                return self._format_texts(self._texts(f.value, scope, depth + 1, budget), e, scope, depth, budget)
            if f.attr in ("get", "getenv") and len(e.args) >= 2:  # cfg.get("url", default), os.getenv(...)
                return _union(iter([[HOLE], self._texts(e.args[1], scope, depth + 1, budget)]))
            if f.attr == "join" and len(e.args) == 1 and isinstance(f.value, ast.Constant) \
                    and isinstance(f.value.value, str) and isinstance(e.args[0], (ast.List, ast.Tuple)):
                # "/".join([base, "chat/completions"]): the listed parts with the separator between them
                sep, out = f.value.value, [""]
                for i, part in enumerate(e.args[0].elts):
                    part_texts = [HOLE] if isinstance(part, ast.Starred) or i >= MAX_TEXTS \
                        else self._texts(part, scope, depth + 1, budget)
                    out = _product(_product(out, [sep]) if i else out, part_texts)
                return out
            if f.attr == "join" and e.args:  # os.path.join / posixpath.join
                v = self.infer(f.value, scope)  # type: ignore[attr-defined]
                if isinstance(v, Qual) and v.qual.endswith("path"):
                    out = self._texts(e.args[0], scope, depth + 1, budget)
                    for a in e.args[1:]:
                        out = _product(_product(out, ["/"]), self._texts(a, scope, depth + 1, budget))
                    return out
        callee = self.infer(f, scope)  # type: ignore[attr-defined]
        if isinstance(callee, Qual) and not callee.called and callee.qual in FIELD_FUNCTIONS:
            # `api_url: str = Field(default="https://...")`: the default, or what the model is given
            default = next((k.value for k in e.keywords if k.arg == "default"), e.args[0] if e.args else None)
            return _union(iter([[HOLE], self._texts(default, scope, depth + 1, budget) if default is not None else []]))
        if isinstance(callee, Qual) and not callee.called:
            name = callee.qual.rpartition(".")[2]
            if name == "urljoin" and len(e.args) >= 2:
                bases = self._texts(e.args[0], scope, depth + 1, budget)
                return _union(_product([_join_base(b, r) for b in bases], [r])
                              for r in self._texts(e.args[1], scope, depth + 1, budget))
            if name in ("getenv", "get") and len(e.args) >= 2:
                return _union(iter([[HOLE], self._texts(e.args[1], scope, depth + 1, budget)]))
            if (callee.qual == "str" or callee.qual in URL_TYPES) and e.args:
                return self._texts(e.args[0], scope, depth + 1, budget)
        if isinstance(f, ast.Name) and f.id == "str" and e.args:
            return self._texts(e.args[0], scope, depth + 1, budget)
        if isinstance(callee, Func):  # a project URL helper: what it returns, else its literal path argument
            tail = next((a.value for a in reversed(e.args) if isinstance(a, ast.Constant) and isinstance(a.value, str)),
                        None)
            rets = list(return_values(callee.node))[:4]
            if rets:  # a returned parameter is the caller's argument (`return endpoint` after checks)
                bound = bind_args(callee.node, e, skip_self=callee.bound is not None or is_method(callee))
                # (`return urljoin(base, path)`: the parameters are this call's arguments, not any caller's)
                given = {(id(callee.scope), p): (a, scope) for p, a in bound.items() if p in callee.scope.params}
                before = budget.given
                budget.given = {**before, **given}
                try:
                    out = _union(self._texts(bound[r.id], scope, depth + 1, budget)
                                 if isinstance(r, ast.Name) and r.id in bound and r.id in callee.scope.params
                                 else self._texts(r, callee.scope, depth + 1, budget) for r in rets)
                finally:
                    budget.given = before
                # `_resolve_api_path(base, DEFAULT, "upload")`: what it returns when that shows the literal
                # path given (the default host before it), else the path under an unknown base
                if tail is None or any(tail.strip("/") in t for t in out):
                    return out
            if tail is not None:
                return [_clip(HOLE + "/" + tail.lstrip("/"))]
        return self._value_texts(self.infer(e, scope))  # type: ignore[attr-defined]

    def _format_texts(self, templates: list[str], call: ast.Call, scope: Scope, depth: int,
                      budget: _Budget) -> list[str]:
        """`template.format(*args, **kwargs)`: each replacement field (`{}`, `{0}`, `{host}`) takes the texts
        of the argument it names (a conversion or format spec is ignored); a field naming an attribute or an
        item of an argument, or a missing argument, is a hole, and `*args` / `**kwargs` make every field one."""
        if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
            return [_format_holes(x) for x in templates]
        memo: dict[object, list[str]] = {}

        def arg(key: object) -> list[str]:
            if key not in memo:
                node = call.args[key] if isinstance(key, int) and key < len(call.args) else \
                    next((k.value for k in call.keywords if k.arg == key), None)
                memo[key] = [HOLE] if node is None else self._texts(node, scope, depth + 1, budget)
            return memo[key]

        out: list[str] = []
        for template in templates:
            try:
                fields = list(_FORMATTER.parse(template))
            except ValueError:  # an unbalanced brace: not a template str.format would accept
                out.append(_format_holes(template))
                continue
            texts, auto = [""], 0
            for literal, name, _spec, _conv in fields:
                texts = _product(texts, [literal]) if literal else texts
                if name is None:
                    continue
                head = name.split(".", 1)[0].split("[", 1)[0]
                if head == "":
                    key: object = auto
                    auto += 1
                else:
                    key = int(head) if head.isdigit() else head
                texts = _product(texts, arg(key) if head == name else [HOLE])
            out.extend(texts)
        return out[:MAX_TEXTS]

    def _value_texts(self, v: Value) -> list[str]:
        if isinstance(v, Str) and v.value is not None:
            return [_clip(v.value)]
        return [HOLE]


def _inherits(cls: Scope | None, base: Scope | None, name: str, depth: int = 0) -> bool:
    """Whether the class `cls` derives from `base` through classes of its module (bases written as
    plain names) none of which defines `name` (their `self.name` is `base`'s method)."""
    if cls is None or base is None or depth > 4 or cls.kind != "class" or name in cls.bindings:
        return False
    module = cls.module.scope
    for b in getattr(cls.node, "bases", ()):
        got = module.bindings.get(b.id) if isinstance(b, ast.Name) else None
        if got and got[-1][0] == "class":
            parent = cls.module.class_scopes.get(got[-1][1])
            if parent is base or _inherits(parent, base, name, depth + 1):
                return True
    return False


def _join_base(base: str, ref: str) -> str:
    """What `urljoin(base, ref)` keeps of `base` before a relative `ref` (`chat/completions`): up to its
    last `/`, the last segment replaced (an unknown end may be a folder: `/` is put after it); `base`
    as it is before a path from the root or an unknown `ref` (a full URL there is rare in a join)."""
    if ref.startswith(("/", HOLE)) or "://" in ref or ref == "":
        return base
    cut = base.rfind("/")
    if base.endswith(HOLE) or cut < 0 or "://" in base and cut < base.find("://") + 3 or HOLE in base[cut:]:
        return base + "/" if not base.endswith("/") else base
    return base[:cut + 1]


def _sliced(texts: list[str], sl: ast.Slice) -> list[str]:
    """`text[a:b]` with constant bounds, for texts known in full (a hole shifts every position)."""
    bounds = []
    for b in (sl.lower, sl.upper):
        if b is None or (isinstance(b, ast.Constant) and type(b.value) is int):
            bounds.append(b.value if b is not None else None)  # type: ignore[union-attr]
        else:
            return [HOLE]
    if sl.step is not None:
        return [HOLE]
    return _union(iter([[t[bounds[0]:bounds[1]]] if HOLE not in t else [HOLE] for t in texts]))


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

