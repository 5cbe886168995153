"""What one module binds and calls: one light pass over its `ast` collecting scopes, bindings and calls.

The pass records imports, assignments, parameters, `with ... as`, `self.x = ...` in any method and
every call with its loop context; nothing is evaluated here (that is `infer`'s job).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tokenlint.resolve.scope import Scope, binding_of, decorator_name, owner_scope

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.project import ModuleSource


def _is_type_checking(test: ast.expr) -> bool:
    """`TYPE_CHECKING` / `typing.TYPE_CHECKING`: true only while a type checker reads the module."""
    return (type(test) is ast.Name and test.id == "TYPE_CHECKING") or \
        (type(test) is ast.Attribute and test.attr == "TYPE_CHECKING")


def is_declaration(node: ast.AST) -> bool:
    """Whether `node` is the call the binder writes for an attribute's declared type (`self.llm: ChatOpenAI`
    read as `ChatOpenAI()`): it has no position; it types the attribute and builds nothing."""
    return type(node) is ast.Call and not hasattr(node, "lineno")


@dataclass
class CallRecord:
    """A call as the binder saw it: the node, the scope it is made in and whether it runs in a loop."""

    node: ast.Call
    scope: Scope
    in_loop: bool
    parent_call: ast.Call | None = None  # the call this call's result is used on (x(...).with_config(...))
    loop: ast.stmt | None = None  # the innermost `for` / `while` statement it runs in, in its own function


class ModuleInfo:
    """Scopes, bindings and calls of one parsed module."""

    def __init__(self, tree: ast.Module, source: "ModuleSource") -> None:
        self.tree = tree
        self.source = source
        self.scope = Scope(tree, None, "module", self, qualname="")
        self.calls: list[CallRecord] = []
        self.func_scopes: dict[ast.AST, Scope] = {}
        self.class_scopes: dict[ast.AST, Scope] = {}
        self.has_main_guard = False
        self.awaited: set[ast.Call] = set()
        # a receiver (`x`, `self.x`) where an `isinstance` test made it one of some classes: the class
        # expressions (`if isinstance(self.model, KeyModel): self.model.execute(...)`)
        self.narrowed: dict[ast.expr, list[ast.expr]] = {}
        # a class held in a name (`client_class`) that an `issubclass` test made a subclass of some class,
        # where it is called: the class expressions (`assert issubclass(client_class, BaseLLMClient)`
        # then `client_class(...)`, the class read from configuration by `getattr(import_module(...), name)`)
        self.subclassed: dict[ast.expr, list[ast.expr]] = {}
        self.line = 0  # while binding: the line of the statement being read
        source.info = self  # type: ignore[attr-defined]  # fixes find a module's other literals (literals.py)
        _Binder(self).run()

    def imports(self, package: str) -> bool:
        """Whether the module imports `package` or a module of it at its top level (`import streamlit as
        st`, `from streamlit import session_state`)."""
        for bound in self.scope.bindings.values():
            for kind, data in bound:
                name = data if kind == "import" else data[1] if kind == "from" and not data[0] else None
                if isinstance(name, str) and (name == package or name.startswith(package + ".")):
                    return True
        return False


class _Binder:
    """One pass: scopes, bindings, self attributes, calls with loop context."""

    def __init__(self, info: ModuleInfo) -> None:
        self.info = info
        self._outer: dict[ast.Call, ast.Call] = {}
        self._loops: list[tuple[ast.stmt, int]] = []  # enclosing loop statements with their body's depth
        self._typing = 0  # inside `if TYPE_CHECKING:` (names are bound for the types; calls are not recorded)

    def run(self) -> None:
        self._body(self.info.tree.body, self.info.scope, 0)
        if self._outer:
            for rec in self.info.calls:
                rec.parent_call = self._outer.get(rec.node)

    # statements ------------------------------------------------------------
    def _body(self, stmts: list[ast.stmt], scope: Scope, loop: int) -> None:
        guards = 0
        for i, s in enumerate(stmts):
            self._stmt(s, scope, loop)
            if type(s) is ast.Assert and i + 1 < len(stmts):  # `assert issubclass(cls, Base)`: in the rest
                tests = _isinstance_tests(s.test, negated=False, fn="issubclass")
                if tests:
                    _narrow(self.info.subclassed, tests, stmts[i + 1:], called=True)
            if type(s) is ast.If and not s.orelse and type(s.body[-1]) in _LEAVES_BLOCK and i + 1 < len(stmts) \
                    and guards < MAX_GUARDS:
                # `if not isinstance(x, C): raise ...`: x is a C in the rest of the block
                tests = _isinstance_tests(s.test, negated=True)
                if tests:
                    guards += 1
                    _narrow(self.info.narrowed, tests, stmts[i + 1:])

    def _stmt(self, s: ast.stmt, scope: Scope, loop: int) -> None:
        t = type(s)
        self.info.line = s.lineno
        if t is ast.FunctionDef or t is ast.AsyncFunctionDef:
            self._function(s, scope, loop)  # type: ignore[arg-type]
        elif t is ast.ClassDef:
            self._class(s, scope, loop)  # type: ignore[arg-type]
        elif t is ast.Import:
            for a in s.names:  # type: ignore[attr-defined]
                if a.asname:
                    scope.bind(a.asname, "import", a.name)
                else:
                    top = a.name.split(".")[0]
                    scope.bind(top, "import", top)
        elif t is ast.ImportFrom:
            mod = s.module or ""  # type: ignore[attr-defined]
            level = s.level  # type: ignore[attr-defined]
            for a in s.names:  # type: ignore[attr-defined]
                if a.name == "*":
                    scope.bind("*", "star", (level, mod))
                    continue
                scope.bind(a.asname or a.name, "from", (level, mod, a.name))
        elif t is ast.Assign:
            self._expr(s.value, scope, loop)  # type: ignore[attr-defined]
            for tgt in s.targets:  # type: ignore[attr-defined]
                self._target(tgt, s.value, scope, loop)  # type: ignore[attr-defined]
        elif t is ast.AnnAssign:
            if s.value is not None:  # type: ignore[attr-defined]
                self._expr(s.value, scope, loop)  # type: ignore[attr-defined]
            tgt = s.target  # type: ignore[attr-defined]
            if isinstance(tgt, ast.Name):
                if s.value is not None:  # type: ignore[attr-defined]
                    scope.bind(tgt.id, "assign", s.value)  # type: ignore[attr-defined]
                scope.bind(tgt.id, "annot", s.annotation)  # type: ignore[attr-defined]
            else:
                self._target(tgt, s.value, scope, loop, s.annotation)  # type: ignore[attr-defined]
        elif t is ast.AugAssign:
            self._expr(s.value, scope, loop)  # type: ignore[attr-defined]
            self._expr(s.target, scope, loop)  # type: ignore[attr-defined]
        elif t is ast.For or t is ast.AsyncFor:
            if t is ast.AsyncFor and type(s.iter) is ast.Call:  # type: ignore[attr-defined]
                self.info.awaited.add(s.iter)  # type: ignore[attr-defined]
            self._expr(s.iter, scope, loop)  # type: ignore[attr-defined]
            if type(s.target) is ast.Name:  # type: ignore[attr-defined]
                scope.bind(s.target.id, "each", s.iter)  # type: ignore[attr-defined]
            elif not _bind_each(scope, s.target, s.iter):  # type: ignore[attr-defined]  # for i, m in enumerate(...)
                self._target(s.target, None, scope, loop)  # type: ignore[attr-defined]
            self._loops.append((s, loop + 1))
            self._body(s.body, scope, loop + 1)  # type: ignore[attr-defined]
            self._loops.pop()
            self._body(s.orelse, scope, loop)  # type: ignore[attr-defined]
        elif t is ast.While:
            self._loops.append((s, loop + 1))
            self._expr(s.test, scope, loop + 1)  # type: ignore[attr-defined]
            self._body(s.body, scope, loop + 1)  # type: ignore[attr-defined]
            self._loops.pop()
            self._body(s.orelse, scope, loop)  # type: ignore[attr-defined]
        elif t is ast.With or t is ast.AsyncWith:
            for item in s.items:  # type: ignore[attr-defined]
                if t is ast.AsyncWith and type(item.context_expr) is ast.Call:
                    self.info.awaited.add(item.context_expr)
                self._expr(item.context_expr, scope, loop)
                if item.optional_vars is not None:
                    if isinstance(item.optional_vars, ast.Name):
                        scope.bind(item.optional_vars.id, "with", item.context_expr)
                    else:
                        self._target(item.optional_vars, None, scope, loop)
            self._body(s.body, scope, loop)  # type: ignore[attr-defined]
        elif t is ast.If:
            test = s.test  # type: ignore[attr-defined]
            if scope.kind == "module" and _is_main_guard(test) and not _inert(s.body):  # type: ignore[attr-defined]
                self.info.has_main_guard = True  # a guard doing nothing (`pass`) does not say the file is run
            self._expr(test, scope, loop)
            tests = _isinstance_tests(test, negated=False)
            if tests:  # `if isinstance(x, C):` / `elif isinstance(x, (C, D)):`: x is a C (or D) in the body
                _narrow(self.info.narrowed, tests, s.body)  # type: ignore[attr-defined]
            tests = _isinstance_tests(test, negated=False, fn="issubclass")
            if tests:  # `if issubclass(cls, C): cls(...)`
                _narrow(self.info.subclassed, tests, s.body, called=True)  # type: ignore[attr-defined]
            negated = _isinstance_tests(test, negated=True) if s.orelse else []  # type: ignore[attr-defined]
            if negated:  # `if not isinstance(x, C): ... else:`: x is a C in the else branch
                _narrow(self.info.narrowed, negated, s.orelse)  # type: ignore[attr-defined]
            typing_only = _is_type_checking(test)
            self._typing += typing_only  # `if TYPE_CHECKING:` runs only in a type checker: its calls never run
            self._body(s.body, scope, loop)  # type: ignore[attr-defined]
            self._typing -= typing_only
            self._body(s.orelse, scope, loop)  # type: ignore[attr-defined]
        elif t is ast.Try or getattr(ast, "TryStar", None) is t:
            self._body(s.body, scope, loop)  # type: ignore[attr-defined]
            for h in s.handlers:  # type: ignore[attr-defined]
                if h.name:
                    scope.bind(h.name, "unknown", None)
                self._body(h.body, scope, loop)
            self._body(s.orelse, scope, loop)  # type: ignore[attr-defined]
            self._body(s.finalbody, scope, loop)  # type: ignore[attr-defined]
        elif t is ast.Match:
            self._expr(s.subject, scope, loop)  # type: ignore[attr-defined]
            for case in s.cases:  # type: ignore[attr-defined]
                for n in ast.walk(case.pattern):
                    nm = getattr(n, "name", None)
                    if isinstance(nm, str):
                        scope.bind(nm, "unknown", None)
                if case.guard is not None:
                    self._expr(case.guard, scope, loop)
                self._body(case.body, scope, loop)
        elif t is ast.Expr or t is ast.Return:  # their one child (the generic walk below, without its cost)
            self._expr(s.value, scope, loop)  # type: ignore[attr-defined]
        elif t is ast.Global or t is ast.Nonlocal:  # names this function binds in another scope
            target = self.info.scope if t is ast.Global else _enclosing_def(scope.parent)
            if target is not None and target is not scope:
                if scope.declared is None:
                    scope.declared = {}
                for n in s.names:  # type: ignore[attr-defined]
                    scope.declared[n] = target
        else:
            for child in ast.iter_child_nodes(s):
                if isinstance(child, ast.expr):
                    self._expr(child, scope, loop)
                elif isinstance(child, ast.stmt):
                    self._stmt(child, scope, loop)

    def _target(self, tgt: ast.expr, value: ast.expr | None, scope: Scope, loop: int,
                annotation: ast.expr | None = None) -> None:
        if isinstance(tgt, ast.Name):
            scope.bind(tgt.id, "assign" if value is not None else "unknown", value)
        elif isinstance(tgt, ast.Attribute):
            self._expr(tgt.value, scope, loop)
            base = tgt.value
            if type(base) is not ast.Name:
                return
            cls = self._class_named(base.id, scope)  # `Service.client = ...`, `cls.client = ...`
            if cls is not None:
                if value is not None:
                    cls.bind(tgt.attr, "assign_in", (value, scope))
            elif scope.self_name and base.id == scope.self_name and scope.cls:
                lst = scope.cls.attrs.setdefault(tgt.attr, [])
                if value is not None:
                    lst.append((value, scope))
                if annotation is not None:
                    lst.append((ast.Call(func=annotation, args=[], keywords=[]), scope))  # is_declaration
        elif isinstance(tgt, (ast.Tuple, ast.List)):
            vals = value.elts if isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(tgt.elts) else None
            call = value.value if isinstance(value, ast.Await) else value
            for i, e in enumerate(tgt.elts):
                if vals is None and isinstance(call, ast.Call) and isinstance(e, ast.Name) \
                        and not any(isinstance(x, ast.Starred) for x in tgt.elts):
                    # `client, model = self._pick(name)`: still unknown, but `infer` may read item i of
                    # the tuples the function returns
                    scope.bind(e.id, "unknown", (call, i))
                    continue
                if vals is None and isinstance(call, ast.Call) and isinstance(e, ast.Attribute) \
                        and not any(isinstance(x, ast.Starred) for x in tgt.elts):
                    # `self._complete, self._acomplete = make_pair(config)`: the attribute is item i of what
                    # the call returns, written as that expression (`make_pair(config)[i]`, see `_subscript`)
                    index = ast.copy_location(ast.Constant(i), e)
                    item = ast.copy_location(ast.Subscript(value=call, slice=index, ctx=ast.Load()), e)
                    self._target(e, item, scope, loop)
                    continue
                self._target(e, vals[i] if vals else None, scope, loop)
        elif isinstance(tgt, ast.Starred):
            self._target(tgt.value, None, scope, loop)
        else:
            self._expr(tgt, scope, loop)
            if isinstance(tgt, ast.Subscript) and value is not None and _validator_field(tgt, scope):
                # `values["client"] = OpenAI().embeddings` in a pydantic validator sets the field
                scope.cls.attrs.setdefault(tgt.slice.value, []).append((value, scope))  # type: ignore[union-attr,attr-defined]

    def _class_named(self, name: str, scope: Scope) -> Scope | None:
        """The class scope `name` stands for where it is assigned an attribute: the class bound to
        that name, or a classmethod's `cls`."""
        if name == scope.self_name and scope.cls is not None:
            return scope.cls if scope.bindings[name][0][0] == "cls" else None
        b = binding_of(name, scope)
        return self.info.class_scopes.get(b[1]) if b is not None and b[0] == "class" else None

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, scope: Scope, loop: int) -> None:
        for d in node.decorator_list:
            self._expr(d, scope, loop)
        args = node.args
        for d in list(args.defaults) + [d for d in args.kw_defaults if d is not None]:
            self._expr(d, scope, loop)
        scope.bind(node.name, "def", node)
        qual = f"{scope.qualname}.{node.name}" if scope.qualname else node.name
        fs = Scope(node, scope, "function", self.info, name=node.name, qualname=qual)
        self.info.func_scopes[node] = fs
        all_args = list(args.posonlyargs) + list(args.args)
        defaults: dict[str, ast.expr] = {}
        for a, d in zip(all_args[len(all_args) - len(args.defaults):], args.defaults):
            defaults[a.arg] = d
        for a, d in zip(args.kwonlyargs, args.kw_defaults):
            if d is not None:
                defaults[a.arg] = d
        is_static = any(decorator_name(d) == "staticmethod" for d in node.decorator_list)
        is_cls = any(decorator_name(d) == "classmethod" for d in node.decorator_list)
        params = all_args + list(args.kwonlyargs)
        if args.vararg:
            fs.bind(args.vararg.arg, "unknown", None)
        if args.kwarg:
            fs.bind(args.kwarg.arg, "unknown", None)
        for i, a in enumerate(params):
            fs.params[a.arg] = a
            if i == 0 and scope.kind == "class" and not is_static:
                fs.cls = scope
                fs.self_name = a.arg
                fs.bind(a.arg, "cls" if is_cls else "self", scope)
                continue
            fs.bind(a.arg, "param", (a, node, defaults.get(a.arg)))
        if scope.kind == "function" and scope.cls is not None:
            fs.cls = None
        self._body(node.body, fs, 0)

    def _class(self, node: ast.ClassDef, scope: Scope, loop: int) -> None:
        for d in node.decorator_list:
            self._expr(d, scope, loop)
        for b in node.bases:
            self._expr(b, scope, loop)
        for k in node.keywords:
            self._expr(k.value, scope, loop)
        scope.bind(node.name, "class", node)
        qual = f"{scope.qualname}.{node.name}" if scope.qualname else node.name
        cs = Scope(node, scope, "class", self.info, name=node.name, qualname=qual)
        self.info.class_scopes[node] = cs
        self._body(node.body, cs, loop)

    # expressions -----------------------------------------------------------
    def _expr(self, e: ast.expr | None, scope: Scope, loop: int, parent_call: ast.Call | None = None) -> None:
        if e is None:
            return
        stack: list[tuple[ast.AST, int, ast.Call | None]] = [(e, loop, parent_call)]
        info = self.info
        while stack:
            node, lp, pc = stack.pop()
            t = type(node)
            if t is ast.Call:
                top = self._loops[-1] if self._loops and self._loops[-1][1] == lp else None
                if not self._typing:
                    info.calls.append(CallRecord(node, scope, lp > 0, pc, top[0] if top else None))  # type: ignore[arg-type]
                func = node.func  # type: ignore[attr-defined]
                # x(...).attr(...) : remember the outer call for the inner one (with_config tags)
                stack.append((func, lp, None))
                for a in node.args:  # type: ignore[attr-defined]
                    stack.append((a, lp, None))
                for k in node.keywords:  # type: ignore[attr-defined]
                    stack.append((k.value, lp, None))
                if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call):
                    # fix up the record of the inner call once it is visited
                    self._outer[func.value] = node  # type: ignore[assignment]
                continue
            if t is ast.Lambda:
                ls = Scope(node, scope, "function", info, name="<lambda>",
                           qualname=f"{scope.qualname}.<lambda>" if scope.qualname else "<lambda>")
                for a in node.args.args + node.args.kwonlyargs:  # type: ignore[attr-defined]
                    ls.bind(a.arg, "param", (a, node, None))
                    ls.params[a.arg] = a
                info.func_scopes[node] = ls
                self._expr(node.body, ls, 0)  # type: ignore[attr-defined]
                continue
            if t in (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp):
                for g in node.generators:  # type: ignore[attr-defined]
                    stack.append((g.iter, lp, None))
                    if type(g.target) is ast.Name:
                        scope.bind(g.target.id, "each", g.iter)
                    elif not _bind_each(scope, g.target, g.iter):
                        for n in ast.walk(g.target):
                            if isinstance(n, ast.Name):
                                scope.bind(n.id, "unknown", None)
                    for c in g.ifs:
                        stack.append((c, lp + 1, None))
                if t is ast.DictComp:
                    stack.append((node.key, lp + 1, None))  # type: ignore[attr-defined]
                    stack.append((node.value, lp + 1, None))  # type: ignore[attr-defined]
                else:
                    stack.append((node.elt, lp + 1, None))  # type: ignore[attr-defined]
                continue
            if t is ast.Await and type(node.value) is ast.Call:  # type: ignore[attr-defined]
                info.awaited.add(node.value)  # type: ignore[attr-defined]
            if t is ast.NamedExpr:
                tgt = node.target  # type: ignore[attr-defined]
                scope.bind(tgt.id, "assign", node.value)  # type: ignore[attr-defined]
            for fname in _child_fields(t):
                child = getattr(node, fname, None)
                if child is None:
                    continue
                if type(child) is list:
                    for c in child:
                        if type(c) not in _LEAVES and isinstance(c, ast.AST):
                            stack.append((c, lp, None))
                elif type(child) not in _LEAVES and isinstance(child, ast.AST):
                    stack.append((child, lp, None))


# Expression nodes with nothing inside that can hold a call; skipped without a visit.
_LEAVES = frozenset({ast.Name, ast.Constant, ast.Load, ast.Store, ast.Del, ast.Pass})
_NOT_CHILDREN = frozenset({"ctx", "op", "ops", "conversion", "type_comment", "kind", "is_async", "level",
                           "attr", "id", "arg", "name", "names", "module"})
_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields(t: type) -> tuple[str, ...]:
    got = _FIELDS.get(t)
    if got is None:
        got = _FIELDS[t] = tuple(f for f in t._fields if f not in _NOT_CHILDREN)  # type: ignore[attr-defined]
    return got


# decorators of pydantic (v1 / v2) and LangChain validators that fill a model's fields from a dict
_VALIDATORS = frozenset({"root_validator", "model_validator", "validator", "pre_init"})


def _validator_field(tgt: ast.Subscript, scope: Scope) -> bool:
    """Whether `tgt` is `values["name"]` on a parameter of a class's validator method, or
    `kwargs["name"]` on the `**kwargs` of an `__init__` that hands them to `super().__init__(**kwargs)`
    (a pydantic model's field set before the base class stores it)."""
    node = scope.node
    if scope.cls is None or not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    if not (isinstance(tgt.value, ast.Name) and isinstance(tgt.slice, ast.Constant) and isinstance(tgt.slice.value, str)):
        return False
    kw = node.args.kwarg
    if node.name == "__init__" and kw is not None and tgt.value.id == kw.arg:
        return any(_super_init_with(st, kw.arg) for st in node.body)
    params = [a.arg for a in node.args.posonlyargs + node.args.args]
    return tgt.value.id in params[1:] and any(decorator_name(d) in _VALIDATORS for d in node.decorator_list)


def _super_init_with(st: ast.stmt, kwargs: str) -> bool:
    """Whether the statement is `super().__init__(**kwargs)` (a top-level statement of the body)."""
    call = st.value if isinstance(st, ast.Expr) else None
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "__init__"
            and isinstance(call.func.value, ast.Call) and isinstance(call.func.value.func, ast.Name)
            and call.func.value.func.id == "super"):
        return False
    return any(k.arg is None and isinstance(k.value, ast.Name) and k.value.id == kwargs for k in call.keywords)


def _enclosing_def(scope: Scope | None) -> Scope | None:
    """The nearest function scope at or around `scope` (class bodies skipped), for `nonlocal`."""
    while scope is not None and scope.kind != "function":
        scope = scope.parent
    return scope


def _inert(body: list[ast.stmt]) -> bool:
    """A block that does nothing: only `pass`, `...` or strings."""
    return all(isinstance(st, ast.Pass) or isinstance(st, ast.Expr) and isinstance(st.value, ast.Constant)
               for st in body)


def _is_main_guard(test: ast.expr) -> bool:
    return (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id == "__name__"
            and len(test.comparators) == 1 and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value == "__main__")


def calls_by_owner(info: ModuleInfo) -> dict[ast.AST, list[CallRecord]]:
    """The module's calls grouped by the node of the scope that owns them (see `owner_scope`), cached."""
    got = getattr(info, "_by_owner", None)
    if got is None:
        got = {}
        for rec in info.calls:
            got.setdefault(owner_scope(rec.scope).node, []).append(rec)
        info._by_owner = got  # type: ignore[attr-defined]
    return got


def _bind_each(scope: Scope, target: ast.expr, it: ast.expr, path: tuple[int, ...] = ()) -> bool:
    """Bind the names of a loop target over `it` as items of it ("each"): a name, or the names of a
    tuple target (`for i, m in enumerate(models)`, `for k, (a, b) in d.items()`), each with its place
    in the item (data `(it, path)`). False, binding nothing, for another target (`for self.x in ...`,
    a starred name)."""
    if type(target) is ast.Name:
        scope.bind(target.id, "each", (it, path) if path else it)
        return True
    if type(target) not in (ast.Tuple, ast.List) or not all(
            type(e) in (ast.Name, ast.Tuple, ast.List) for e in ast.walk(target) if isinstance(e, ast.expr)):
        return False
    for i, e in enumerate(target.elts):  # type: ignore[attr-defined]
        _bind_each(scope, e, it, path + (i,))
    return True


# `if not isinstance(x, C): raise` guards of one block that narrow: each reads the rest of its block, so
# a block of thousands of them (generated validation code) would be read thousands of times over
MAX_GUARDS = 16
# statements that leave a block: after `if not isinstance(x, C): <one of these>`, x is a C
_LEAVES_BLOCK = frozenset({ast.Return, ast.Raise, ast.Continue, ast.Break})
# classes an `isinstance` test names that hold no model object: no narrowing is recorded for them
_PLAIN_TYPES = frozenset({"str", "int", "float", "bool", "bytes", "dict", "list", "tuple", "set", "type",
                          "Exception", "BaseException", "Mapping", "Sequence", "Iterable", "Callable"})


def _isinstance_tests(test: ast.expr, negated: bool, fn: str = "isinstance") -> list[tuple[ast.expr, list[ast.expr]]]:
    """The (receiver, class expressions) of the `isinstance(x, C)` tests (`fn`: or `issubclass`) that
    hold where `test` is true (`negated`: where it is false, `not isinstance(x, C)`): the test itself or
    a part of an `and`; x a name or an attribute of a name (`self.model`), C a name or dotted name or a
    tuple of them."""
    if negated:
        if type(test) is not ast.UnaryOp or type(test.op) is not ast.Not:  # type: ignore[attr-defined]
            return []
        test = test.operand  # type: ignore[attr-defined]
        parts = [test]
    else:
        parts = test.values if type(test) is ast.BoolOp and type(test.op) is ast.And else [test]  # type: ignore[attr-defined]
    out = []
    for p in parts:
        if not (type(p) is ast.Call and type(p.func) is ast.Name and p.func.id == fn  # type: ignore[attr-defined]
                and len(p.args) == 2 and not p.keywords):  # type: ignore[attr-defined]
            continue
        x, c = p.args  # type: ignore[attr-defined]
        if not (type(x) is ast.Name or type(x) is ast.Attribute and type(x.value) is ast.Name):  # type: ignore[attr-defined]
            continue
        classes = list(c.elts) if type(c) is ast.Tuple else [c]  # type: ignore[attr-defined]
        if classes and all(type(k) in (ast.Name, ast.Attribute) for k in classes) and \
                not any(type(k) is ast.Name and k.id in _PLAIN_TYPES for k in classes):  # type: ignore[attr-defined]
            out.append((x, classes))
    return out


def _narrow(narrowed: dict[ast.expr, list[ast.expr]], tests: list[tuple[ast.expr, list[ast.expr]]],
            stmts: list[ast.stmt], called: bool = False) -> None:
    """Record, for each receiver of `tests` used as one in `stmts` (`x.method`, `self.x.method`; `called`:
    each class called, `x(...)`), the classes it was tested against; nothing when the statements assign
    it again (then it may be another object) or inside a nested function or class (it may run later)."""
    from tokenlint.resolve.loops import walk_local

    nodes = list(walk_local(stmts))
    for x, classes in tests:
        if type(x) is ast.Name:
            same = [n for n in nodes if type(n) is ast.Name and n.id == x.id]  # type: ignore[attr-defined]
        else:  # self.model
            base, attr = x.value.id, x.attr  # type: ignore[attr-defined]
            same = [n for n in nodes if type(n) is ast.Attribute and n.attr == attr  # type: ignore[attr-defined]
                    and type(n.value) is ast.Name and n.value.id == base]  # type: ignore[attr-defined]
        if any(type(n.ctx) is not ast.Load for n in same):  # type: ignore[attr-defined]
            continue
        used = {id(n.func) for n in nodes if type(n) is ast.Call} if called else \
            {id(n.value) for n in nodes if type(n) is ast.Attribute}  # type: ignore[attr-defined]
        for n in same:
            if id(n) in used:
                narrowed[n] = classes  # type: ignore[assignment]
