"""Which attribution tag a call carries, and where: metadata, tags lists, headers, labels, with_config."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from tokenlint.resolve.binder import CallRecord
from tokenlint.resolve.scope import Scope, binding_of
from tokenlint.resolve.site import Arg, CallSite
from tokenlint.resolve.values import Str

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
            for k in call.keywords:
                if k.arg is None or k.arg not in cat.tag_kwargs:
                    continue
                found = self._find_tag(k.value, scope, k.arg, 0)
                if found is not None:
                    expr, via, fscope = found
                    arg = self._tag_value(expr, fscope)
                    site.tag, site.tag_via = arg, via
                    site.feature = arg.value if arg.kind in ("literal", "constant") else None
                    f = call.func
                    site.tag_on = "call" if i == 0 else "options" if isinstance(f, ast.Attribute) and \
                        f.attr in (*cat.client_methods, "with_config", "bind") else "client"
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
                if low in ("tags", "metadata", "labels", "litellm_metadata", "requestmetadata"):
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
        return None

    def _tag_value(self, e: ast.expr, scope: Scope) -> Arg:
        a = self._classify(e, scope)
        prefix = f"{self.feature_key}:"
        if a.kind == "literal" and a.value is not None and a.value.startswith(prefix):
            a.value = a.value[len(prefix):]  # a "feature:x" tag in a tags list
        return a
