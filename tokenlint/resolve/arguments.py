"""What a call's model (or other string) argument is: literal, constant, env, config, parameter or dynamic."""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import TYPE_CHECKING

from tokenlint.catalog import ClientType
from tokenlint.resolve.callers import default_never_runs, handed_defaults
from tokenlint.resolve.reaching import reaching_use
from tokenlint.resolve.scope import Scope, assigned, binding_of
from tokenlint.resolve.site import Arg
from tokenlint.resolve.values import ClassV, Client, Instance, Qual, Str, Value

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import SdkCatalog

MAX_SUBCLASS_DEFAULTS = 8  # direct subclasses read for the defaults they hand a base constructor
# a parameter named for a deployment (Azure OpenAI's `azure_deployment`, `deployment_name`, openai<1's
# `deployment_id`: PyPI openai 1.x lib/azure.py, openai 0.28 api_resources) holds a deployment's name
DEPLOYMENT_WORD = "deployment"
CONFIG_HINTS = ("settings", "config", "conf", "cfg", "options", "opts", "env", "params", "args")


class ArgumentMixin:
    """The `Resolver`'s argument classification (a mixin: it follows names with `infer` and imports)."""

    catalog: "SdkCatalog"

    def _model_arg(self, call: ast.Call, scope: Scope, names: tuple[str, ...], position: int | None,
                   default: str | None) -> Arg:
        for k in call.keywords:
            if k.arg in names:
                return self._classify(k.value, scope)
        if position is not None and len(call.args) > position and not isinstance(call.args[position], ast.Starred):
            return self._classify(call.args[position], scope)
        if any(k.arg is None for k in call.keywords) or any(isinstance(a, ast.Starred) for a in call.args):
            return Arg("**kwargs", "dynamic")
        return Arg(None, "missing", default)

    def _client_model(self, client: Client) -> Arg | None:
        ct = client.ctype
        for call, scope in client.calls:
            if call is None:
                continue
            ms = self._model_string_arg(call, scope)
            if ms is not None and ms.kind != "missing":
                return ms
            src_ct = self._ctype_of_call(call, scope)
            if src_ct is not None and src_ct.client_model:
                names, pos = src_ct.client_model, src_ct.client_model_position
            else:  # a call returning the client (LanceDB's `.create(name=...)`): the returned client's own names
                names, pos = ct.client_model or ("model", "model_name"), None
            a = self._model_arg(call, scope, names, pos, None)
            if a.kind != "missing":
                return a
        if client.typed and not client.calls:
            # `def ask(client: genai.GenerativeModel)`: built elsewhere, with whatever model its builder chose;
            # the class's default is reached only when that builder gives none, which is not seen here
            return Arg("the client passed in", "dynamic")
        if ct.client_default_model:
            return Arg(None, "missing", ct.client_default_model)
        for call, scope in client.calls:
            src_ct = self._ctype_of_call(call, scope)
            if src_ct is not None and src_ct.client_default_model:
                return Arg(None, "missing", src_ct.client_default_model)
        return None

    def _model_string_arg(self, call: ast.Call, scope: Scope) -> Arg | None:
        v = self.infer(call.func, scope)
        if not isinstance(v, Qual):
            return None
        fms = self.catalog.from_model_string.get(self.catalog.canonical(v.qual))
        if fms is None:
            return None
        a = self._model_arg(call, scope, ("model",), fms[0], None)
        if a.value and "/" in a.value:
            a.value = a.value.split("/", 1)[1]
        return a

    def _ctype_of_call(self, call: ast.Call, scope: Scope) -> ClientType | None:
        v = self.infer(call.func, scope)
        if isinstance(v, Qual):
            return self.catalog.classes.get(self.catalog.canonical(v.qual))
        return None

    def _classify(self, e: ast.expr, scope: Scope, depth: int = 0) -> Arg:
        text = scope.module.source.segment(e)
        if isinstance(e, ast.Constant):
            if isinstance(e.value, str):
                return Arg(text, "literal", e.value, origin=e, origin_source=scope.module.source)
            if e.value is None:
                return Arg(text, "missing")
            return Arg(text, "dynamic")
        if depth > 8:
            return Arg(text, "dynamic")
        if isinstance(e, ast.Name):
            b = binding_of(e.id, scope)
            if b is None:
                return Arg(text, "dynamic")
            kind, data, bscope = b
            if kind == "param":
                out = Arg(text, "parameter", param=e.id)
                default = data[2]
                if default is not None:
                    # what runs when a caller passes nothing: reported where it is written, once
                    # (callers that pass their own value are mapped by the wrapper propagation);
                    # whether every caller passes one is asked last, as it reads the callers' files
                    d = self._classify(default, bscope, depth + 1)
                    if d.value is not None and d.kind in ("literal", "constant", "env") \
                            and not self._default_never_runs(bscope, e.id):
                        out.value, out.origin, out.origin_source = d.value, d.origin, d.origin_source
                        out.alternatives = d.alternatives
                return out
            if kind == "assign":
                defs = reaching_use(e, scope, bscope)
                if len(defs) > 1:  # several branches assign it: each value may reach the call
                    inner = self._several([self._classify(d, bscope, depth + 1) for d in defs], text)
                else:
                    inner = self._classify(defs[0] if defs else _assigned_before(e, data, bscope), bscope, depth + 1)
                inner.text = text
                if inner.kind == "literal":
                    inner.kind = "constant"
                return inner
            if kind in ("import", "from"):
                d = self._import_def(kind, data, bscope)
                if d is not None:
                    inner = self._classify(d[0], d[1], depth + 1)
                    inner.text = text
                    if inner.kind == "literal":
                        inner.kind = "constant"
                    return inner
                v = self._binding_value(e.id, kind, data, bscope)
                return self._from_value(v, text)
            return Arg(text, "dynamic")
        if isinstance(e, ast.Attribute):
            d = self._attr_def(e, scope)
            if d is not None:
                inner = self._classify(d[0], d[1], depth + 1)
                inner.text = text
                if inner.kind == "literal":
                    inner.kind = "constant"
                if inner.kind == "parameter":  # self.model = model in __init__: injected configuration
                    inner = self._injected(inner, d[1], depth)
                elif inner.kind == "missing":
                    # a settings field declared `= None` and set later (by pydantic from the
                    # environment, or by an assignment): configuration, not "no model given"
                    inner = Arg(text, "config")
                if inner.kind != "dynamic":
                    return inner
            v = self.infer(e, scope)
            a = self._from_value(v, text)
            if a.kind != "dynamic":
                return a
            if _config_like(e):
                return Arg(text, "config")
            return a
        if isinstance(e, ast.Call):
            env = self._env_call(e, scope)
            if env is not None:
                return env
            if _config_like(e.func):
                # `config["configurable"].get("model", "gpt-4o")`: the default runs when the key is absent
                return self._config_get(e, text, scope, depth)
            return Arg(text, "dynamic")
        if isinstance(e, ast.Subscript):
            v = self.infer(e, scope)
            if isinstance(v, Str) and v.kind == "env":
                return Arg(text, "env", None, env=v.env)
            if _config_like(e.value):
                return Arg(text, "config")
            return Arg(text, "dynamic")
        if isinstance(e, ast.JoinedStr) or (isinstance(e, ast.BinOp) and isinstance(e.op, ast.Add)):
            value = self._const_string(e, scope, depth + 1)
            if value is not None:
                return Arg(text, "constant", value)
            return Arg(text, "dynamic")
        if isinstance(e, ast.IfExp) and self._always_set(e.test, scope):
            # `self.model if hasattr(self, "model") else "gpt-4"` in a class whose `__init__` sets
            # `self.model`: the fallback never runs
            return self._classify(e.body, scope, depth + 1)
        if isinstance(e, ast.IfExp) and _looked_up_or_as_is(e):
            # `ROLES[name] if name in ROLES else name`: a caller's value is a key (a role) or the model
            # itself, as the mapping's keys decide; mapped through a wrapper it would name a role a model.
            # A name known here (`name = "gpt-3.5-turbo"`) is no caller's: the branch it takes, when the
            # mapping is a literal dict, or both branches as any conditional's
            key = self.infer(e.test.left, scope)  # type: ignore[attr-defined]
            if not (isinstance(key, Str) and key.value is not None and key.kind in ("literal", "constant")):
                return Arg(text, "dynamic")
            taken = _branch_for(e, key.value, scope)
            if taken is not None:
                return self._classify(taken, scope, depth + 1)
        if isinstance(e, (ast.BoolOp, ast.IfExp)):
            parts = e.values if isinstance(e, ast.BoolOp) else [e.body, e.orelse]
            inner = [self._classify(p, scope, depth + 1) for p in parts]
            if len({a.param for a in inner if a.kind == "parameter"}) > 1:
                # `provider if looks_like_model(provider) else model`: which parameter carries the
                # model depends on the values; mapping one through a wrapper would guess
                return Arg(text, "dynamic")
            return self._several(inner, text)
        return Arg(text, "dynamic")

    def _several(self, inner: list[Arg], text: str) -> Arg:
        """One of several values reaches the call (`a or b`, `a if t else b`, a name assigned on two
        branches): the most informative kind, with every other string kept as an alternative."""
        # `settings.model or "gpt-4o"`: the fallback literal runs whenever the setting is empty,
        # so it is kept (value and where it is written) beside the kind of the first part
        fallback = next((a for a in inner if a.kind in ("constant", "literal") and a.value is not None), None)
        for kind in ("env", "config", "parameter", "constant", "literal"):
            for a in inner:
                if a.kind == kind:
                    if a.value is None and fallback is not None:
                        out = Arg(text, a.kind, fallback.value, a.env, a.param, origin=fallback.origin,
                                  origin_source=fallback.origin_source)
                    else:
                        out = Arg(text, a.kind, a.value, a.env, a.param, origin=a.origin,
                                  origin_source=a.origin_source)
                    out.alternatives = _others(out, inner)
                    return out
        return Arg(text, "dynamic")

    def _config_get(self, e: ast.Call, text: str, scope: Scope, depth: int) -> Arg:
        """A configuration read; with `.get(key, default)`, its string default, kept (value and where
        it is written) like an `os.getenv` default."""
        out = Arg(text, "config")
        if isinstance(e.func, ast.Attribute) and e.func.attr == "get" and len(e.args) == 2 and not e.keywords:
            d = self._classify(e.args[1], scope, depth + 1)
            if d.value is not None and d.kind in ("literal", "constant", "env") \
                    and not self._kwarg_always_passed(e, scope):
                out.value, out.origin, out.origin_source = d.value, d.origin, d.origin_source
        return out

    def _kwarg_always_passed(self, e: ast.Call, scope: Scope) -> bool:
        """`kwargs.get("model_name", "gpt-4o")` on the function's own `**kwargs`, where every call of
        the function in the project passes `model_name=`: the fallback never runs, like a parameter
        default nobody relies on (resolve/callers.py)."""
        recv, key = e.func.value, e.args[0]  # type: ignore[attr-defined]
        if not (isinstance(recv, ast.Name) and isinstance(key, ast.Constant) and isinstance(key.value, str)):
            return False
        b = binding_of(recv.id, scope)
        if b is None or b[0] != "unknown" or b[2].kind != "function":
            return False  # `**kwargs` is bound with no value of its own; reassigned, it is another dict
        fn = b[2].node
        kwarg = getattr(getattr(fn, "args", None), "kwarg", None)
        if kwarg is None or kwarg.arg != recv.id or not key.value.isidentifier():
            return False
        return self._default_never_runs(b[2], key.value)

    def _always_set(self, test: ast.expr, scope: Scope) -> bool:
        """`hasattr(self, "name")` where the instance's class (or a base) sets `self.name` in
        `__init__` or declares it in the class body: always true."""
        if not (isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "hasattr"
                and len(test.args) == 2 and isinstance(test.args[0], ast.Name)
                and isinstance(test.args[1], ast.Constant) and isinstance(test.args[1].value, str)):
            return False
        base = self.infer(test.args[0], scope)
        if not isinstance(base, Instance):
            return False
        name = test.args[1].value
        for c in self._class_chain(base.cls):
            if any(s.kind == "function" and s.name == "__init__" for _, s in c.scope.attrs.get(name, ())):
                return True
            if any(kind == "assign" for kind, _ in c.scope.bindings.get(name, ())):
                return True
        return False

    def _injected(self, inner: Arg, init_scope: Scope, depth: int) -> Arg:
        """`self.model = model` with `def __init__(self, model="gpt-4o")`: configuration injected by
        whoever builds the object, whose default (when it is a string) runs whenever they pass none;
        else the fallback it is joined with (`self.model = model or DEFAULT_MODEL`), when one."""
        out = Arg(inner.text, "config", inner.value, origin=inner.origin, origin_source=inner.origin_source)
        out.alternatives = inner.alternatives
        b = binding_of(inner.param, init_scope) if inner.param else None
        if b is None or b[0] != "param":
            return out
        d = self._classify(b[1][2], b[2], depth + 1) if b[1][2] is not None else None
        if d is not None and d.value is not None and d.kind in ("literal", "constant", "env") \
                and not self._default_never_runs(b[2], inner.param):  # type: ignore[arg-type]
            out.value, out.origin, out.origin_source = d.value, d.origin, d.origin_source
            out.alternatives = d.alternatives
            return out
        # the base's default never runs, or there is none: the defaults its subclasses hand it
        # (`def __init__(self, key, model="gpt-4o"): super().__init__(model=model)`) run instead
        found = self._subclass_defaults(b[2], inner.param, depth)  # type: ignore[arg-type]
        if found:
            first = found[0]
            out.value, out.origin, out.origin_source = first.value, first.origin, first.origin_source
            out.alternatives = (*first.alternatives, *found[1:])
        return out

    def _subclass_defaults(self, init_scope: Scope, param: str, depth: int) -> list[Arg]:
        """The defaults of the parameters the direct subclasses of the class of constructor `init_scope`
        hand its `param` through `super().__init__` (resolve/callers.py `handed_defaults`), each that runs
        (some construction of the subclass leaves it out): a model default the object is built with."""
        cls = init_scope.parent
        base_init = init_scope.node
        if cls is None or cls.kind != "class" or not isinstance(base_init, (ast.FunctionDef, ast.AsyncFunctionDef)) \
                or base_init.name != "__init__":
            return []  # (`self.model = model` in another method: set by its callers, not by the constructors)
        out: list[Arg] = []
        for n, sub in enumerate(self._direct_subclasses(ClassV(cls.node, cls))):  # type: ignore[attr-defined,arg-type]
            if n >= MAX_SUBCLASS_DEFAULTS:
                break
            for init, name in handed_defaults(sub.node, base_init, param):
                if DEPLOYMENT_WORD in name.lower():
                    continue  # `deployment_id="gpt-35-turbo"` of an Azure subclass: a deployment's name, not a model
                fs = sub.scope.module.func_scopes.get(init)
                b = binding_of(name, fs) if fs is not None else None
                if b is None or b[0] != "param" or b[1][2] is None:
                    continue
                d = self._classify(b[1][2], b[2], depth + 1)
                if d.value is not None and d.kind in ("literal", "constant", "env") \
                        and not self._default_never_runs(b[2], name):
                    out.append(d)
        return out

    def _default_never_runs(self, func: Scope, param: str) -> bool:
        """Every call of the function `func` in the project passes `param` (resolve/callers.py)."""
        if func.kind != "function":
            return False
        memo = self.__dict__.setdefault("_live_defaults", {})
        return default_never_runs(self.project, func, param, memo)  # type: ignore[attr-defined]

    def _const_string(self, e: ast.expr, scope: Scope, depth: int) -> str | None:
        """The value of an f-string or `+` of strings whose every part is a constant, else None."""
        if depth > 8:
            return None
        if isinstance(e, ast.Constant) and isinstance(e.value, str):
            return e.value
        if isinstance(e, ast.JoinedStr):
            out = []
            for v in e.values:
                if isinstance(v, ast.Constant):
                    out.append(str(v.value))
                elif isinstance(v, ast.FormattedValue) and v.conversion == -1 and v.format_spec is None:
                    part = self._classify(v.value, scope, depth + 1)
                    if part.kind not in ("literal", "constant") or part.value is None:
                        return None
                    out.append(part.value)
                else:
                    return None
            return "".join(out)
        if isinstance(e, ast.BinOp) and isinstance(e.op, ast.Add):
            left = self._const_string(e.left, scope, depth + 1)
            right = self._const_string(e.right, scope, depth + 1) if left is not None else None
            return left + right if left is not None and right is not None else None
        a = self._classify(e, scope, depth + 1)
        return a.value if a.kind in ("literal", "constant") else None

    def _from_value(self, v: Value, text: str) -> Arg:
        if isinstance(v, Str):
            kind = "constant" if v.kind == "literal" else v.kind
            return Arg(text, kind, v.value, v.env, origin=v.origin, origin_source=v.origin_source)
        return Arg(text, "dynamic")

    def _env_call(self, e: ast.Call, scope: Scope) -> Arg | None:
        v = self.infer(e.func, scope)
        if not isinstance(v, Qual):
            return None
        if v.qual not in ("os.getenv", "os.environ.get", "os.environ.setdefault"):
            return None
        text = scope.module.source.segment(e)
        name = e.args[0] if e.args else None
        env = name.value if isinstance(name, ast.Constant) and isinstance(name.value, str) else None
        default = e.args[1] if len(e.args) > 1 else next((k.value for k in e.keywords if k.arg == "default"), None)
        value = None
        origin = origin_source = None
        if default is not None:
            d = self._classify(default, scope)
            value, origin, origin_source = d.value, d.origin, d.origin_source
        return Arg(text, "env", value, env=env, origin=origin, origin_source=origin_source)


def _assigned_before(use: ast.Name, data: ast.expr, scope: Scope) -> ast.expr:
    """The value a function-local name holds where it is read: the last assignment written before
    that line (`model = cfg.get("model", "gpt-4o")`, then `ChatOpenAI(model=model)`, then `model =
    llm.bind(...)` reads the first), else `data` (the binding the scope records last)."""
    if scope.kind != "function" or data.lineno < use.lineno:
        return data
    before = [d for k, d in scope.bindings.get(use.id, ()) if k == "assign" and d is not None
              and d.lineno < use.lineno and not (isinstance(d, ast.Constant) and d.value is None)]
    return before[-1] if before else data


def _others(chosen: Arg, parts: list[Arg]) -> tuple[Arg, ...]:
    """The strings of `parts` (and their own alternatives) that may reach the call besides `chosen`'s."""
    out: list[Arg] = []
    for a in parts:
        for alt in (a, *a.alternatives):
            if alt.value is None or alt.origin is None or alt.origin is chosen.origin:
                continue
            # a setting's written default (`self.AI_MODEL` from `OPENAI_AI_MODEL: str = "gpt-4o"`) is kept like
            # a constant: `self.CODING_MODEL if smartest else self.AI_MODEL` may send either default
            if alt.kind in ("literal", "constant", "env", "config") and all(o.origin is not alt.origin for o in out):
                out.append(replace(alt, alternatives=()))
    return tuple(out)


def _looked_up_or_as_is(e: ast.IfExp) -> bool:
    """`M[x] if x in M else x` (or `x if x not in M else M[x]`): the name is looked up when it is a key of
    `M`, and used as is otherwise."""
    t = e.test
    if not (isinstance(t, ast.Compare) and len(t.ops) == 1 and isinstance(t.ops[0], (ast.In, ast.NotIn))
            and isinstance(t.left, ast.Name)):
        return False
    as_is, other = (e.orelse, e.body) if isinstance(t.ops[0], ast.In) else (e.body, e.orelse)
    return isinstance(as_is, ast.Name) and as_is.id == t.left.id and \
        any(isinstance(n, ast.Name) and n.id == t.left.id for n in ast.walk(other))


def _branch_for(e: ast.IfExp, key: str, scope: Scope) -> ast.expr | None:
    """What `M[x] if x in M else x` gives for `x == key` when `M` is a name bound to a literal dict with
    string keys: `x` itself, or the dict's entry for it (None: unknown)."""
    table = e.test.comparators[0]  # type: ignore[attr-defined]
    found = assigned(table.id, scope) if isinstance(table, ast.Name) else None
    if found is None or not isinstance(found[0], ast.Dict) or \
            not all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in found[0].keys):
        return None
    values = {k.value: v for k, v in zip(found[0].keys, found[0].values)}  # type: ignore[union-attr]
    looked_up, as_is = (e.body, e.orelse) if isinstance(e.test.ops[0], ast.In) else (e.orelse, e.body)  # type: ignore[attr-defined]
    if key not in values:
        return as_is
    if isinstance(looked_up, ast.Subscript) and isinstance(looked_up.value, ast.Name) and looked_up.value.id == table.id:
        return values[key]  # the dict's own entry
    return looked_up


def _config_like(e: ast.expr) -> bool:
    while isinstance(e, (ast.Attribute, ast.Subscript, ast.Call)):
        if isinstance(e, ast.Attribute):
            if any(h in e.attr.lower() for h in CONFIG_HINTS):
                return True
            e = e.value
        elif isinstance(e, ast.Subscript):
            e = e.value
        else:
            e = e.func
    return isinstance(e, ast.Name) and any(h in e.id.lower() for h in CONFIG_HINTS)
