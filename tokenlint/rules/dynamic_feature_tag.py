"""TKL102 dynamic-feature-tag."""

from __future__ import annotations

import ast
from typing import Iterable, Optional

from tokenlint.resolve.scope import binding_of
from tokenlint.rules.base import Rule, RuleContext


class DynamicFeatureTag(Rule):
    """## What it does
    Finds feature tags whose value is computed per call: an f-string or concatenation over a
    request's data, a function call, an attribute of a request or a user
    (`metadata={"feature": request.path}`, `tags=[f"feature:{user.plan}"]`).

    A tag written as a literal or a constant (also one built from constants, or an enum member),
    read from the environment or from settings, or forwarded from a wrapper's parameter (each
    caller of the wrapper binds it) is fine and not reported; so is a call of such a wrapper with a
    literal. An f-string over a parameter counts as forwarded too, unless the parameter's name says
    it identifies a user, a session or a request (`user_id`, `request`, `session`, `*id`).

    ## Why is this bad?
    A feature tag is a cost-allocation key: spend reports group by it. A per-user or per-request
    value gives the key unbounded cardinality, so the report splits one feature's spend into
    thousands of rows, gateways that index tags slow down or drop them, and nobody can list which
    features exist. Put the per-request value (user, tenant, request id) in its own field and keep
    the feature name a fixed string.

    ## Example
    ```python
    client.chat.completions.create(
        model=MODEL,
        messages=messages,
        metadata={"feature": f"chat-{request.user.id}"},
    )
    ```

    ## Use instead
    ```python
    client.chat.completions.create(
        model=MODEL,
        messages=messages,
        metadata={"feature": "chat", "user": str(request.user.id)},
    )
    ```

    ## Fix safety
    No fix: only the author knows which fixed feature name the call belongs to.

    ## Configuration
    `feature-key` (default `"feature"`): the key whose value is checked.
    """

    code = "TKL102"
    name = "dynamic-feature-tag"
    message = "Feature tag of {provider} {api} call is computed per request: {tag}"

    def check(self, sites, source, ctx: RuleContext) -> Iterable:
        for s in sites:
            if not s.spends or s.tag is None or s.tag.kind != "dynamic":
                continue
            node = tag_node(s, source, ctx.feature_key)
            if s.kind == "wrapper" and node is None:
                continue  # the wrapper's own tag, not bound at this call: judged at the wrapper's call
            if node is not None and bounded(node, s.scope):
                continue  # built from constants, parameters, env or settings: a fixed set of values
            text = _short(s.tag.text or (source.segment(node) if node is not None else "") or "?")
            if node is not None:
                yield self.finding_at(source, node, s, provider=s.provider_label, api=s.api, tag=text)
            else:
                yield self.finding(s, provider=s.provider_label, api=s.api, tag=text)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


# ------------------------------------------------------------------ where the tag value is written


def tag_node(site, source, feature_key: str) -> Optional[ast.expr]:  # type: ignore[no-untyped-def]
    """The expression holding the site's tag value in `source`, or None (a client-level tag set in
    another module, a value the resolver synthesised). Walks what the resolver already found: the
    call's keywords along `tag_via`, then any sub-expression of the call with the tag's text."""
    tag = site.tag
    call = site.node
    if tag is None or call is None:
        return None
    origin = tag.origin
    if origin is not None and getattr(origin, "lineno", None) and tag.origin_source is not None \
            and tag.origin_source.relpath == source.relpath:
        return origin
    if site.kind == "direct" and site.tag_via:
        parts = site.tag_via.split(".")
        for k in call.keywords:
            if k.arg == parts[0]:
                found = _follow(k.value, parts[1:], site.scope, feature_key, 0)
                if found is not None:
                    return found
    if tag.text:
        for n in ast.walk(call):
            if n is not call and isinstance(n, ast.expr) and getattr(n, "lineno", None) \
                    and source.segment(n) == tag.text:
                return n
    return None


def _follow(e: ast.expr, rest: list[str], scope, key: str, depth: int) -> Optional[ast.expr]:  # type: ignore
    if depth > 6:
        return None
    if isinstance(e, ast.Name) and scope is not None:
        b = binding_of(e.id, scope)
        if b is not None and b[0] == "assign" and isinstance(b[1], ast.expr) and b[2].module is scope.module:
            return _follow(b[1], rest, b[2], key, depth + 1)
        return None
    if not rest:
        if isinstance(e, (ast.List, ast.Tuple, ast.Set)):
            for item in e.elts:
                if isinstance(item, ast.JoinedStr) and item.values and isinstance(item.values[0], ast.Constant) \
                        and str(item.values[0].value).startswith(f"{key}:"):
                    return item
                if isinstance(item, ast.Constant) and isinstance(item.value, str) and item.value.startswith(f"{key}:"):
                    return item
            return None
        return e if getattr(e, "lineno", None) else None
    if isinstance(e, ast.Dict):
        for k, v in zip(e.keys, e.values):
            if k is None:
                found = _follow(v, rest, scope, key, depth + 1)
                if found is not None:
                    return found
            elif isinstance(k, ast.Constant) and k.value == rest[0]:
                return _follow(v, rest[1:], scope, key, depth + 1)
        return None
    if isinstance(e, ast.Call):
        for kw in e.keywords:
            if kw.arg == rest[0]:
                return _follow(kw.value, rest[1:], scope, key, depth + 1)
    return None


# ------------------------------------------------------------------ bounded values

_STR_METHODS = frozenset({"lower", "upper", "strip", "lstrip", "rstrip", "replace", "title", "format",
                          "removeprefix", "removesuffix", "casefold", "join"})
_ENV_CALLS = frozenset({"getenv", "get"})


def bounded(e: ast.expr, scope, depth: int = 0) -> bool:  # type: ignore[no-untyped-def]
    """True when the expression can only take a fixed, reviewable set of values: literals,
    constants, module or class constants, parameters (their callers bind them), environment
    variables and settings, and strings built only from those."""
    if depth > 8:
        return False
    if isinstance(e, ast.Constant):
        return True
    if isinstance(e, ast.JoinedStr):
        return all(bounded(v, scope, depth + 1) for v in e.values)
    if isinstance(e, ast.FormattedValue):
        return bounded(e.value, scope, depth + 1)
    if isinstance(e, ast.BinOp) and isinstance(e.op, (ast.Add, ast.Mod)):
        return bounded(e.left, scope, depth + 1) and bounded(e.right, scope, depth + 1)
    if isinstance(e, (ast.Tuple, ast.List)):
        return all(bounded(x, scope, depth + 1) for x in e.elts)
    if isinstance(e, ast.IfExp):
        return bounded(e.body, scope, depth + 1) and bounded(e.orelse, scope, depth + 1)
    if isinstance(e, ast.BoolOp):
        return all(bounded(v, scope, depth + 1) for v in e.values)
    if isinstance(e, ast.Name):
        return _bounded_name(e.id, scope, depth)
    if isinstance(e, ast.Attribute):
        return _bounded_attribute(e, scope, depth)
    if isinstance(e, ast.Subscript):
        # os.environ["FEATURE"], settings["feature"]
        return _config_root(e.value, scope)
    if isinstance(e, ast.Call):
        f = e.func
        args = list(e.args) + [k.value for k in e.keywords]
        if isinstance(f, ast.Name) and f.id == "str" and len(e.args) == 1:
            return bounded(e.args[0], scope, depth + 1)
        if isinstance(f, ast.Attribute) and f.attr in _STR_METHODS:
            return bounded(f.value, scope, depth + 1) and all(bounded(a, scope, depth + 1) for a in args)
        if isinstance(f, ast.Attribute) and f.attr in _ENV_CALLS and _config_root(f.value, scope):
            return True  # os.getenv(...), os.environ.get(...), settings.get(...)
        if isinstance(f, ast.Name) and f.id == "getenv":
            return True
    return False


_PER_REQUEST = ("user", "request", "req", "session", "uuid", "trace", "customer", "account", "email")
_CONFIG_NAMES = ("settings", "config", "conf", "cfg", "environ", "env", "os")


def _config_root(e: ast.expr, scope) -> bool:  # type: ignore[no-untyped-def]
    while isinstance(e, ast.Attribute):
        if e.attr.lower() in _CONFIG_NAMES:
            return True
        e = e.value
    return isinstance(e, ast.Name) and e.id.lower().strip("_") in _CONFIG_NAMES


def _bounded_name(name: str, scope, depth: int) -> bool:  # type: ignore[no-untyped-def]
    if scope is None:
        return False
    b = binding_of(name, scope)
    if b is None:
        return False
    kind, data, bscope = b
    if kind == "param":
        # forwarded: each caller binds it, unless its name says it identifies a user or a request
        low = name.lower()
        return not (any(w in low for w in _PER_REQUEST) or low.endswith("id"))
    if kind == "assign" and isinstance(data, ast.expr):
        return bounded(data, bscope, depth + 1)
    if kind in ("import", "from"):
        # an imported module constant (FEATURE) or class (an Enum of feature names)
        return name.isupper() or name[:1].isupper() or name.lower().strip("_") in _CONFIG_NAMES
    return False


def _bounded_attribute(e: ast.Attribute, scope, depth: int) -> bool:  # type: ignore[no-untyped-def]
    if _config_root(e, scope):
        return True
    base = e.value
    if isinstance(base, ast.Attribute) and e.attr in ("value", "name"):
        base = base.value  # Feature.FAQ.value
    if isinstance(base, ast.Name) and scope is not None:
        b = binding_of(base.id, scope)
        if b is None:
            return False
        kind = b[0]
        if kind in ("self", "cls"):
            return isinstance(e.value, ast.Name)  # self.feature: configuration of the instance
        if kind == "class" or (kind in ("import", "from") and base.id[:1].isupper()):
            return True  # Feature.FAQ: a class or enum constant
    return False
