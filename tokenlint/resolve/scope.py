"""Where a name is bound, seen from a scope, and where a module uses it: the scope record and the queries
rules and resolver share."""

from __future__ import annotations

import ast
import weakref
from typing import TYPE_CHECKING, Any, Iterator, Optional

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.resolve.binder import ModuleInfo
    from tokenlint.resolve.values import Func


class Scope:
    """A module, class or function (or lambda) body: its bindings, parameters and `self.x` attributes."""

    __slots__ = ("node", "parent", "kind", "bindings", "lines", "module", "cls", "params", "self_name",
                 "attrs", "name", "qualname", "declared")

    def __init__(self, node: ast.AST, parent: Optional["Scope"], kind: str, module: "ModuleInfo",
                 name: str = "", qualname: str = "") -> None:
        self.node = node
        self.parent = parent
        self.kind = kind  # module | function | class
        self.bindings: dict[str, list[tuple[str, Any]]] = {}
        self.lines: dict[str, list[int]] = {}  # the line of the statement making each binding
        self.module = module
        self.cls: Optional[Scope] = None  # for methods: the class scope
        self.params: dict[str, ast.arg] = {}
        self.self_name: str | None = None
        self.attrs: dict[str, list[tuple[ast.expr, Scope]]] = {}  # class scopes: self.attr assignments
        self.name = name
        self.qualname = qualname
        self.declared: dict[str, Scope] | None = None  # `global x` / `nonlocal x`: the scope x binds in

    def bind(self, name: str, kind: str, data: Any) -> None:
        s = self if self.declared is None else self.declared.get(name, self)
        s.bindings.setdefault(name, []).append((kind, data))
        s.lines.setdefault(name, []).append(self.module.line)


def binding_of(name: str, scope: Scope) -> tuple[str, Any, Scope] | None:
    """(kind, data, scope) of the binding of `name` seen from `scope` (class bodies skipped as Python
    does), preferring a real assignment over loop targets and `= None`; None when unbound."""
    s: Optional[Scope] = scope
    first = True
    while s is not None:
        if s.kind != "class" or first:
            b = s.bindings.get(name)
            if b:
                # prefer a real assignment over loop targets ("each") and other unknowns
                for kind, data in reversed(b):
                    if kind != "unknown" and kind != "each" and not (kind == "assign" and isinstance(data, ast.Constant)
                                                  and data.value is None):
                        return kind, data, s
                return b[-1][0], b[-1][1], s
        first = False
        s = s.parent
    return None


def assigned(name: str, scope: Scope) -> tuple[ast.expr, Scope] | None:
    """The value last assigned to `name` where it is bound (`params: Request = {...}` included)."""
    b = binding_of(name, scope)
    if b is None or b[0] not in ("assign", "annot"):
        return None
    return next(((d, b[2]) for k, d in reversed(b[2].bindings[name]) if k == "assign" and d is not None), None)


def enclosing_function(scope: Scope) -> Scope | None:
    """The innermost named function around `scope` (lambdas skipped), or None."""
    s: Optional[Scope] = scope
    while s is not None:
        if s.kind == "function" and s.name != "<lambda>":
            return s
        s = s.parent
    return None


def written_callee(call: ast.Call, scope: Scope) -> ast.AST | None:
    """The function a call written in `scope` runs, read from the source alone: `self.m(...)`, a method
    of the enclosing function's class, or `m(...)`, a function of its module. (No inference: asking the
    resolver's caches in another order could change which implementation it picks elsewhere.)"""
    fs = enclosing_function(scope)
    if isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name) and call.func.value.id == "self":
        owner = fs.parent if fs is not None else None
        body = owner.node.body if owner is not None and owner.kind == "class" else []
        name = call.func.attr
    elif isinstance(call.func, ast.Name):
        body, name = scope.module.tree.body, call.func.id
    else:
        return None
    return next((d for d in body if isinstance(d, (ast.FunctionDef, ast.AsyncFunctionDef)) and d.name == name), None)


def enclosing_class(scope: Scope) -> Scope | None:
    """The innermost class around `scope`, or None."""
    s: Optional[Scope] = scope
    while s is not None:
        if s.kind == "class":
            return s
        s = s.parent
    return None


def owner_scope(scope: Scope) -> Scope:
    """The scope that owns calls made in `scope`: itself, or for a lambda the scope around it."""
    s = scope
    while s.parent is not None and s.name == "<lambda>":
        s = s.parent
    return s


def decorator_name(d: ast.expr) -> str:
    """The last name of a decorator, base class or raised exception (`functools.cached_property`,
    `@retry(...)`, `Generic[T]`, `NotImplementedError("...")` give the name); "" for anything else."""
    if isinstance(d, ast.Name):
        return d.id
    if isinstance(d, ast.Attribute):
        return d.attr
    if isinstance(d, ast.Call):
        return decorator_name(d.func)
    if isinstance(d, ast.Subscript):
        return decorator_name(d.value)
    return ""


def is_property(node: ast.AST) -> bool:
    """Whether a function is a `@property` / `@functools.cached_property` getter."""
    return any(decorator_name(d) in ("property", "cached_property") for d in node.decorator_list)  # type: ignore[attr-defined]


def is_method(f: Func) -> bool:
    """Whether a function value is defined in a class body (its first parameter is the instance)."""
    return f.scope.cls is not None


# statements holding no statement (nor `except` clause): nothing below them can return or yield
_SIMPLE_STATEMENTS = frozenset({ast.Return, ast.Delete, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Raise,
                                ast.Assert, ast.Import, ast.ImportFrom, ast.Global, ast.Nonlocal, ast.Expr,
                                ast.Pass, ast.Break, ast.Continue})


def return_values(node: ast.AST, yields: bool = False) -> Iterator[ast.expr]:
    """The values a function returns (`yields`: the values of its `yield` statements instead)."""
    stack = list(getattr(node, "body", []))
    while stack:
        s = stack.pop(0)
        if not yields and isinstance(s, ast.Return) and s.value is not None:
            yield s.value
        elif yields and isinstance(s, ast.Expr) and isinstance(s.value, ast.Yield) and s.value.value is not None:
            yield s.value.value
        elif isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) or type(s) in _SIMPLE_STATEMENTS:
            continue
        else:
            for child in ast.iter_child_nodes(s):
                if isinstance(child, ast.stmt):
                    stack.append(child)
                elif isinstance(child, (ast.excepthandler, ast.match_case)):  # `except:` / `case ...:` blocks
                    stack.extend(child.body)


# computed once per module or function node; weak keys: the entries go with the module's tree
_ITEMS: "weakref.WeakKeyDictionary[ast.AST, dict[str, dict[str, ast.expr]]]" = weakref.WeakKeyDictionary()


def item_assignments(block: ast.AST) -> dict[str, dict[str, ast.expr]]:
    """NAME -> {key: value} of the `NAME["key"] = value` statements a function or a module runs (the
    last one written wins): in a function anywhere in its body (`body["stream"] = True` under `if
    stream:`), in a module at its top level only (what importing it surely runs). Indexed once per node."""
    got = _ITEMS.get(block)
    if got is None:
        got = _ITEMS[block] = {}
        body = getattr(block, "body", [])
        for st in body if isinstance(block, ast.Module) else statements(body):
            if not isinstance(st, ast.Assign):
                continue
            for t in st.targets:
                if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name) \
                        and isinstance(t.slice, ast.Constant) and isinstance(t.slice.value, str):
                    got.setdefault(t.value.id, {})[t.slice.value] = st.value
    return got


_UPDATES: "weakref.WeakKeyDictionary[ast.AST, dict[str, dict[str | None, ast.expr]]]" = weakref.WeakKeyDictionary()


def item_updates(block: ast.AST) -> dict[str, dict[str | None, ast.expr]]:
    """NAME -> {key: value} of the entries a function adds to a dict in place, anywhere in its body:
    `NAME.update(k=v)`, `NAME.update({"k": v})`, `NAME |= {"k": v}`; the key None holds an update whose
    keys are not written out (`NAME.update(cfg)`, `**extra`). Indexed once per node."""
    got = _UPDATES.get(block)
    if got is None:
        got = _UPDATES[block] = {}
        for st in statements(getattr(block, "body", [])):
            name, added = None, []
            if type(st) is ast.Expr and type(st.value) is ast.Call and type(st.value.func) is ast.Attribute \
                    and st.value.func.attr == "update" and type(st.value.func.value) is ast.Name:
                name = st.value.func.value.id
                added = list(st.value.args) + [k.value if k.arg is None else ast.Dict([ast.Constant(k.arg)], [k.value])
                                               for k in st.value.keywords]
            elif type(st) is ast.AugAssign and type(st.op) is ast.BitOr and type(st.target) is ast.Name:
                name, added = st.target.id, [st.value]
            for a in added:
                entries = got.setdefault(name, {})  # type: ignore[arg-type]
                if type(a) is ast.Dict:
                    for k, v in zip(a.keys, a.values):
                        entries[k.value if isinstance(k, ast.Constant) and isinstance(k.value, str) else None] = v
                else:
                    entries[None] = a
    return got


_FILLS: "weakref.WeakKeyDictionary[ast.AST, dict[str, list[tuple[ast.expr, ast.expr]]]]" = weakref.WeakKeyDictionary()


def item_fills(block: ast.AST) -> dict[str, list[tuple[ast.expr, ast.expr]]]:
    """NAME -> [(key, value)] of every `NAME[key] = value` statement a function runs (anywhere in its
    body) or a module runs (its statements outside functions and classes), whatever the key: the
    entries a registry gets after its literal (`REGISTRY = {}` then `REGISTRY["openai"] = ChatOpenAI`,
    `for k, c in pairs: REGISTRY[k] = c`). Indexed once per node."""
    got = _FILLS.get(block)
    if got is None:
        got = _FILLS[block] = {}
        for st in statements(getattr(block, "body", [])):
            if type(st) is ast.Assign:
                for t in st.targets:
                    if type(t) is ast.Subscript and type(t.value) is ast.Name:
                        got.setdefault(t.value.id, []).append((t.slice, st.value))
    return got


_SLOTS: "weakref.WeakKeyDictionary[ast.AST, dict[str, list[tuple[ast.expr, ast.expr, ast.AST]]]]" = \
    weakref.WeakKeyDictionary()


def slot_fills(cls: ast.ClassDef) -> dict[str, list[tuple[ast.expr, ast.expr, ast.AST]]]:
    """ATTR -> [(key, value, method)] of the entries a class's methods put in a dict held on `self`:
    `self.tools["agent"] = Agent()`, `self.tools = {"agent": Agent()}`, `self.tools.update({"agent":
    Agent()})` or `.update(agent=Agent())`, anywhere in a method's body (nested functions aside).
    The keys are as written (a keyword's name as a constant). Indexed once per class."""
    got = _SLOTS.get(cls)
    if got is not None:
        return got
    got = _SLOTS[cls] = {}
    for fn in cls.body:
        if type(fn) is not ast.FunctionDef and type(fn) is not ast.AsyncFunctionDef or not fn.args.args:
            continue
        me = fn.args.args[0].arg
        for st in statements(fn.body):
            t = type(st)
            if t is ast.Assign or t is ast.AnnAssign:
                value = st.value  # type: ignore[attr-defined]
                for tgt in (st.targets if t is ast.Assign else [st.target]):  # type: ignore[attr-defined]
                    if value is None:
                        continue
                    if type(tgt) is ast.Subscript and _self_attr(tgt.value, me):
                        got.setdefault(tgt.value.attr, []).append((tgt.slice, value, fn))  # type: ignore[attr-defined]
                    elif type(value) is ast.Dict and _self_attr(tgt, me):
                        got.setdefault(tgt.attr, []).extend(  # type: ignore[attr-defined]
                            (k, v, fn) for k, v in zip(value.keys, value.values) if k is not None)
            elif t is ast.Expr and type(st.value) is ast.Call and type(st.value.func) is ast.Attribute \
                    and st.value.func.attr == "update" and _self_attr(st.value.func.value, me):  # type: ignore[attr-defined]
                call = st.value  # type: ignore[attr-defined]
                slot = got.setdefault(call.func.value.attr, [])
                if len(call.args) == 1 and type(call.args[0]) is ast.Dict:
                    slot.extend((k, v, fn) for k, v in zip(call.args[0].keys, call.args[0].values) if k is not None)
                slot.extend((ast.copy_location(ast.Constant(kw.arg), kw.value), kw.value, fn)
                            for kw in call.keywords if kw.arg is not None)
    return got


def _self_attr(e: ast.expr, me: str) -> bool:
    """Whether `e` is `<me>.<attr>` (`self.tools`)."""
    return type(e) is ast.Attribute and type(e.value) is ast.Name and e.value.id == me  # type: ignore[attr-defined]


def statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Every statement of a function body, nested blocks included, without entering expressions."""
    stack = list(reversed(body))
    while stack:
        st = stack.pop()
        yield st
        for name in ("body", "orelse", "finalbody", "handlers", "cases"):
            inner = getattr(st, name, None)
            if inner and not isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                stack.extend(reversed(inner))


def param_default(func: ast.AST, name: str) -> ast.expr | None:
    """The default value of parameter `name` of function `func`, or None."""
    args = func.args  # type: ignore[attr-defined]
    pos = list(args.posonlyargs) + list(args.args)
    for a, d in zip(pos[len(pos) - len(args.defaults):], args.defaults):
        if a.arg == name:
            return d
    for a, d in zip(args.kwonlyargs, args.kw_defaults):
        if a.arg == name:
            return d
    return None


def bind_args(func: ast.AST, call: ast.Call, skip_self: bool) -> dict[str, ast.expr]:
    """The argument expressions of `call` by the parameter names of `func` (up to a `*args`); `skip_self`:
    the call's first argument is not the first parameter (a method's instance), unless `func` is a
    `@staticmethod` (`self._build(base, path)` binds `base` first)."""
    args = func.args  # type: ignore[attr-defined]
    pos = [a.arg for a in list(args.posonlyargs) + list(args.args)]
    if skip_self and pos and not any(isinstance(d, ast.Name) and d.id == "staticmethod"
                                     for d in getattr(func, "decorator_list", ())):
        pos = pos[1:]
    bound: dict[str, ast.expr] = {}
    for name, value in zip(pos, call.args):
        if isinstance(value, ast.Starred):
            break
        bound[name] = value
    for k in call.keywords:
        if k.arg:
            bound[k.arg] = k.value
    return bound


_CHANGING = frozenset({"pop", "popitem", "clear", "update", "setdefault"})


def written_items(value: ast.expr) -> dict[str, ast.expr]:
    """The keys a dict display or `dict(...)` call writes, with their expressions (`dict(model=m, **extra)`
    gives `model`; what `**extra` carries is not known)."""
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "dict" and not value.args:
        return {k.arg: k.value for k in value.keywords if k.arg}
    if isinstance(value, ast.Dict):
        return {k.value: v for k, v in zip(value.keys, value.values)
                if isinstance(k, ast.Constant) and isinstance(k.value, str)}
    return {}


def changes_dict(fn: ast.AST, name: str) -> bool:
    """Whether `fn`'s body may change the dict `name` holds: an item stored or deleted, `pop`, `update`..."""
    for n in ast.walk(fn):
        if isinstance(n, ast.Subscript) and isinstance(n.value, ast.Name) and n.value.id == name \
                and isinstance(n.ctx, (ast.Store, ast.Del)):
            return True
        if isinstance(n, ast.Attribute) and n.attr in _CHANGING and isinstance(n.value, ast.Name) and n.value.id == name:
            return True
    return False


def spread_items(call: ast.Call, scope: Scope) -> dict[str, ast.expr]:
    """The arguments a call's `**name` gives by keyword when `name` is a dict the function around `scope`
    builds once, with those keys written, and never changes (`kwargs = dict(model_name=name, **extra)`
    then `helper(x, **kwargs)`): key -> its expression. Empty when nothing is known."""
    fs = enclosing_function(scope)
    out: dict[str, ast.expr] = {}
    if fs is None:
        return out
    for k in call.keywords:
        if k.arg is not None or not isinstance(k.value, ast.Name) or k.value.id in fs.params:
            continue
        b = fs.bindings.get(k.value.id, ())
        if len(b) == 1 and b[0][0] == "assign" and not changes_dict(fs.node, k.value.id):
            out.update(written_items(b[0][1]))
    return out


def param_refs(e: ast.AST, scope: Scope) -> set[str]:
    """Parameters of the function around `scope` that `e` uses, directly or through one local name."""
    fs = enclosing_function(scope)
    if fs is None:
        return set()
    names: set[str] = set()
    seen: set[str] = set()
    todo = [e]
    while todo:
        node = todo.pop()
        for n in ast.walk(node):
            if isinstance(n, ast.Name) and n.id not in seen:
                seen.add(n.id)
                if n.id in fs.params:
                    names.add(n.id)
                else:  # one hop through a local assignment: msgs = [..., prompt]
                    for kind, data in fs.bindings.get(n.id, ()):
                        if kind == "assign" and data is not None:
                            todo.append(data)
    return names


def declared_annotation(e: ast.expr, scope: Scope) -> tuple[ast.expr | None, Scope]:
    """The annotation a name (`x: T`, a parameter `x: T`) or an attribute of `self` (`self.x: T = ...`
    in a method, `x: T` in the class body, `self.x = x` or `self.x = x or []` from a parameter `x: T`)
    is declared with, and the scope to read it in."""
    if isinstance(e, ast.Name):
        b = binding_of(e.id, scope)
        if b is not None:
            if b[0] == "param":
                return b[1][0].annotation, b[2].parent or b[2]
            ann = next((d for k, d in b[2].bindings.get(e.id, ()) if k == "annot"), None)
            return ann, b[2]
        return None, scope
    fs = enclosing_function(scope)
    if not (isinstance(e, ast.Attribute) and isinstance(e.value, ast.Name) and fs is not None
            and fs.cls is not None and e.value.id == fs.self_name):
        return None, scope
    set_from = None
    for v, vscope in fs.cls.attrs.get(e.attr, ()):
        if type(v) is ast.Call and not v.args and not v.keywords and type(v.func) is ast.Subscript:
            return v.func, vscope.parent or vscope  # `self.x: T = ...`, written as a call of T
        if type(v) is ast.BoolOp and type(v.op) is ast.Or:
            v = v.values[0]  # `self.stores = stores or []`
        if type(v) is ast.Name and set_from is None:
            b = binding_of(v.id, vscope)
            if b is not None and b[0] == "param" and b[1][0].annotation is not None:
                set_from = b[1][0].annotation, b[2].parent or b[2]
    ann = next((d for k, d in fs.cls.bindings.get(e.attr, ()) if k == "annot"), None)
    if ann is None and set_from is not None:
        return set_from
    return ann, fs.cls.parent or fs.cls


def name_uses(info) -> dict[str, list]:  # type: ignore[no-untyped-def]
    """Every use of a name in the module, read in one walk and kept: name -> [(scope of the enclosing
    function or module, the call it is the callee of or None for another use, how it is written:
    "name", "attr" (`x.name`) or "str" (a string constant equal to it: `__all__`, `getattr`))]."""
    got = info.__dict__.get("_name_uses")
    if got is not None:
        return got
    out: dict[str, list] = {}
    owners = info.func_scopes
    stack: list[tuple[ast.AST, object]] = [(info.tree, info.scope)]
    while stack:
        node, owner = stack.pop()
        if isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Name):
                out.setdefault(f.id, []).append((owner, node, "name"))
                stack.extend((a, owner) for a in (*node.args, *node.keywords))
                continue
            if isinstance(f, ast.Attribute):
                out.setdefault(f.attr, []).append((owner, node, "attr"))
                stack.extend((a, owner) for a in (f.value, *node.args, *node.keywords))
                continue
        elif isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                out.setdefault(node.id, []).append((owner, None, "name"))
            continue
        elif isinstance(node, ast.Attribute):
            if isinstance(node.ctx, ast.Load):
                out.setdefault(node.attr, []).append((owner, None, "attr"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.isidentifier():
            out.setdefault(node.value, []).append((owner, None, "str"))
            continue
        inner = owners.get(node, owner)
        stack.extend((child, inner) for child in ast.iter_child_nodes(node))
    info.__dict__["_name_uses"] = out
    return out
