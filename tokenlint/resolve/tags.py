"""Which attribution tag a call carries, and where: metadata, tags lists, headers, labels, with_config,
a framework request's per-call config (a keyword, the positional config of `invoke(input, config)`, a
RunnableConfig built in `__init__` or by a helper), and the `with` blocks that tag every request inside
them (LlamaIndex `instrument_tags`, Langfuse `propagate_attributes`). Where each framework carries a
tag is data: catalog/sinks.toml [[convention]]."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from tokenlint.attribution import conventions_for
from tokenlint.resolve.binder import CallRecord
from tokenlint.resolve.scope import Scope, bind_args, binding_of, enclosing_class, enclosing_function, return_values
from tokenlint.resolve.site import Arg, CallSite
from tokenlint.resolve.values import Func, Qual, Str

# dict keys a tag is looked for under (besides the feature key and the tag headers)
_NESTING = ("tags", "metadata", "labels", "litellm_metadata", "requestmetadata", "langfuse_tags", "extra_headers",
            "extra_body", "default_headers", "headers")

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import SdkCatalog


class TagMixin:
    """The `Resolver`'s tag finder (a mixin: tag values are classified like model arguments)."""

    catalog: "SdkCatalog"
    feature_key: str

    def _tags(self, site: CallSite, calls: list[tuple[ast.Call, Scope]], rec: CallRecord) -> None:
        cat = self.catalog
        for i, (call, scope) in enumerate(calls):
            if call is None:
                continue
            for arg, value in _tag_arguments(site, call, i):
                if arg not in cat.tag_kwargs:
                    continue
                found = self._find_tag(value, scope, arg, 0)
                if found is not None:
                    expr, via, fscope = found
                    arg = self._tag_value(expr, fscope)
                    site.tag, site.tag_via = arg, via
                    site.feature = arg.value if arg.kind in ("literal", "constant") else None
                    f = call.func
                    site.tag_on = "call" if i == 0 else "options" if isinstance(f, ast.Attribute) and \
                        f.attr in (*cat.client_methods, "with_config", "bind") else "client"
                    return
        self._context_tag(site, rec)

    def _context_tag(self, site: CallSite, rec: CallRecord) -> None:
        """A tag from a `with f(...):` block around the call, `f` a context manager a [[convention]]
        names (`with instrument_tags({"feature": ...}):`, `with propagate_attributes(metadata=...):`)."""
        managers = {m: c for c in conventions_for(site.sdk, site.provider) for m in c.context_managers}
        if not managers:
            return
        module = rec.scope.module
        named = self.__dict__.setdefault("_cm_named", {})  # per module and set of managers: does it name one?
        key = (id(module), frozenset(managers))
        if key not in named:
            text = module.source.read()
            named[key] = any(m.rpartition(".")[2] in text for m in managers)
        if not named[key]:
            return  # the file names none of them: no `with` to look for
        fn = enclosing_function(rec.scope)
        scope = fn or rec.scope.module.scope
        call = rec.node
        for node in ast.walk(scope.node):
            if not isinstance(node, (ast.With, ast.AsyncWith)) or not node.body or \
                    not node.body[0].lineno <= call.lineno <= (node.end_lineno or 0):
                continue
            for item in node.items:
                cm = item.context_expr
                if not isinstance(cm, ast.Call):
                    continue
                q = self.infer(cm.func, scope)  # type: ignore[attr-defined]
                name = q.qual if isinstance(q, Qual) else ""
                if name not in managers:
                    continue
                short = name.rpartition(".")[2]
                for arg, value in [*((None, a) for a in cm.args[:1]), *((k.arg, k.value) for k in cm.keywords)]:
                    found = self._find_tag(value, scope, f"{short}.{arg}" if arg else short, 0)
                    if found is not None:
                        expr, via, fscope = found
                        arg_v = self._tag_value(expr, fscope)
                        site.tag, site.tag_via, site.tag_on = arg_v, via, "context"
                        site.feature = arg_v.value if arg_v.kind in ("literal", "constant") else None
                        return

    def _client_args(self, calls: list[tuple[ast.Call, Scope]]) -> dict[str, str]:
        """The literal and environment-variable keyword arguments of a client's constructor and
        with_options calls (base_url, project, api_key=os.environ[...], vertexai=True): where its
        spend is reported. The latest call wins."""
        out: dict[str, str] = {}
        for call, scope in calls:
            if call is None:
                continue
            for k in call.keywords:
                if k.arg is None or k.arg in out:
                    continue
                if isinstance(k.value, ast.Constant) and isinstance(k.value.value, (bool, int)):
                    out[k.arg] = repr(k.value.value)
                    continue
                a = self._classify(k.value, scope)
                if a.kind == "env" and a.env:
                    out[k.arg] = f"env:{a.env}"
                elif a.kind in ("literal", "constant") and a.value is not None:
                    out[k.arg] = a.value
        return out

    def _find_tag(self, e: ast.expr, scope: Scope, via: str, depth: int) -> tuple[ast.expr, str, Scope] | None:
        if depth > 4:
            return None
        key = self.feature_key
        if isinstance(e, ast.Name):
            b = binding_of(e.id, scope)
            if b is not None and b[0] == "assign":
                return self._find_tag(b[1], b[2], via, depth + 1)
            return None
        if isinstance(e, ast.Attribute) and isinstance(e.value, ast.Name) and e.value.id == "self":
            cls = enclosing_class(scope)  # self.config = {...} / RunnableConfig(...) in a method of the class
            for value, sc in reversed(cls.attrs.get(e.attr, ()) if cls is not None else ()):
                r = self._find_tag(value, sc, via, depth + 1)
                if r:
                    return r
            return None
        if isinstance(e, ast.Dict):
            for k, v in zip(e.keys, e.values):
                if k is None:
                    if v is not None:
                        r = self._find_tag(v, scope, via, depth + 1)
                        if r:
                            return r
                    continue
                ks = k.value if isinstance(k, ast.Constant) and isinstance(k.value, str) else None
                if ks is None and isinstance(k, ast.Name):
                    kv = self.infer(k, scope)
                    ks = kv.value if isinstance(kv, Str) else None
                if ks is None:
                    continue
                low = ks.lower()
                if ks == key or low in self.catalog.tag_headers or low == f"x-{key.lower()}":
                    return v, f"{via}.{ks}", scope
                if low in _NESTING:
                    r = self._find_tag(v, scope, f"{via}.{ks}", depth + 1)
                    if r:
                        return r
            return None
        if isinstance(e, (ast.List, ast.Tuple, ast.Set)):
            prefix = f"{key}:"
            for item in e.elts:
                if isinstance(item, ast.Constant) and isinstance(item.value, str) and item.value.startswith(prefix):
                    return item, via, scope  # "feature:x": the value is the part after the prefix
                if isinstance(item, ast.JoinedStr) and item.values and isinstance(item.values[0], ast.Constant) \
                        and str(item.values[0].value).startswith(prefix):
                    # f"feature:{name}": the tag is `name` (a wrapper's parameter, a constant...)
                    if len(item.values) == 2 and item.values[0].value == prefix and \
                            isinstance(item.values[1], ast.FormattedValue) and item.values[1].format_spec is None:
                        return item.values[1].value, via, scope
                    return item, via, scope
            return None
        if isinstance(e, ast.Call):
            for k in e.keywords:
                if k.arg is None:
                    continue
                if k.arg == key:
                    return k.value, f"{via}.{k.arg}", scope
                if k.arg in ("labels", "metadata", "tags", "headers", "http_options", "extra_body",
                             "extra_headers", "request_metadata"):
                    r = self._find_tag(k.value, scope, f"{via}.{k.arg}", depth + 1)
                    if r:
                        return r
            if isinstance(e.func, ast.Name) and e.func.id == "dict":
                return None
            return self._returned_tag(e, scope, via, depth)
        return None

    def _returned_tag(self, e: ast.Call, scope: Scope, via: str, depth: int) -> tuple[ast.expr, str, Scope] | None:
        """The tag in what a project function returns (`config=config_for("faq")`): a returned
        parameter maps to the caller's argument."""
        f = self.infer(e.func, scope)  # type: ignore[attr-defined]
        if not isinstance(f, Func):
            return None
        for ret in return_values(f.node):
            r = self._find_tag(ret, f.scope, via, depth + 1)
            if r is None:
                continue
            expr, where, fscope = r
            if isinstance(expr, ast.Name) and fscope is f.scope and expr.id in f.scope.params:
                passed = bind_args(f.node, e, skip_self=f.scope.cls is not None).get(expr.id)
                if passed is not None:
                    return passed, where, scope
            return r
        return None

    def _tag_value(self, e: ast.expr, scope: Scope) -> Arg:
        a = self._classify(e, scope)
        prefix = f"{self.feature_key}:"
        if a.kind == "literal" and a.value is not None and a.value.startswith(prefix):
            a.value = a.value[len(prefix):]  # a "feature:x" tag in a tags list
        return a


def _tag_arguments(site: CallSite, call: ast.Call, i: int) -> list[tuple[str, ast.expr]]:
    """The (keyword, value) pairs of `call` that may carry a tag: its keywords, and for a framework
    request (`i` 0) or a `.with_config(...)` on its way the config given by position
    (`chain.invoke(x, {"metadata": ...})`, `.with_config({"tags": [...]})`)."""
    out = [(k.arg, k.value) for k in call.keywords if k.arg is not None]
    if site.kind != "request" or any(isinstance(a, ast.Starred) for a in call.args):
        return out
    for c in conventions_for(site.sdk, site.provider):
        if i == 0:
            pos = c.config_position if site.tag_style is not None else None  # a method taking config
        else:
            pos = c.with_config_position if isinstance(call.func, ast.Attribute) and \
                call.func.attr == "with_config" else None
        if pos is not None and pos < len(call.args):
            out.append(("config", call.args[pos]))
            break
    return out
