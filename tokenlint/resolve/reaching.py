"""Which assignments of a name may reach a read of it: a small structural reaching-definitions pass
over one function or module body, so that `model = "a"` in one branch and `model = "b"` in the other
both reach `create(model=model)`, and the last assignment written never silently wins.

Branches join (`if`/`else`, `match` cases, `try` handlers), a loop body may not run, a branch ending
in `return`, `raise`, `break` or `continue` does not fall through. Only plain `name = value`
assignments are followed; any other binding on the way (a loop target, tuple unpacking, `with ... as`,
an augmented assignment) makes the answer None, and callers keep their single-binding reading.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Callable, Optional

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.resolve.scope import Scope

# a body walked per read is capped: beyond it the answer is None (the caller's single binding)
MAX_STATEMENTS = 2000
_TERMINAL = (ast.Return, ast.Raise, ast.Break, ast.Continue)


class _Opaque(Exception):
    """A binding of the name that is not a plain assignment, or a body too large to walk."""


Defs = Optional[tuple[ast.expr, ...]]  # None: this path does not fall through


def reaching(body: list[ast.stmt], name: str, line: int | None, entry: tuple = ()) -> tuple[ast.expr, ...] | None:
    """The values of the plain assignments of `name` that may reach a read on `line` (None: the end of
    the body, as a module global is read by functions called later), in written order; None when
    some binding on the way is not a plain assignment or the body is too large. `entry`: what the
    name holds when the body starts (a function's parameter: its `ast.arg`), reaching the read when
    no assignment replaces it on some path."""
    walker = _Walker(name)
    try:
        defs, _ = walker.block(body, entry, line)
    except _Opaque:
        return None
    return tuple(sorted(defs or (), key=lambda e: (e.lineno, e.col_offset)))


def reaching_use(use: ast.Name, scope: "Scope", bscope: "Scope") -> tuple[ast.expr, ...]:
    """The assigned values of `use`'s name that may reach it (several when branches assign it), `= None`
    dropped beside others; () when they cannot be told (the caller keeps the single binding)."""
    body = getattr(bscope.node, "body", None)
    if not isinstance(body, list):
        return ()
    # a module global read inside a function sees every assignment the module makes
    line = None if bscope is not scope and bscope.kind == "module" else use.lineno
    defs = reaching(body, use.id, line) or ()
    real = tuple(d for d in defs if not (isinstance(d, ast.Constant) and d.value is None))
    return real or defs


class _Walker:
    def __init__(self, name: str) -> None:
        self.name = name
        self.work = 0

    def block(self, body: list[ast.stmt], defs: Defs, line: int | None) -> tuple[Defs, bool]:
        """The definitions after `body` (or where `line` is read inside it; then True)."""
        for s in body:
            self.work += 1
            if self.work > MAX_STATEMENTS:
                raise _Opaque
            if defs is None:
                return None, False
            if line is not None and s.lineno <= line <= (s.end_lineno or s.lineno):
                return self.inside(s, defs, line), True
            defs = self.after(s, defs)
        return defs, False

    def inside(self, s: ast.stmt, defs: tuple, line: int) -> Defs:
        """The definitions reaching `line` inside statement `s` (entered with `defs`)."""
        for part in statement_blocks(s):
            out, found = self.block(part, defs, line)
            if found:
                return out
        return defs  # the read is in the statement's own expressions (the right side, a test, ...)

    def after(self, s: ast.stmt, defs: tuple) -> Defs:
        n = self.name
        if isinstance(s, ast.Assign):
            if any(isinstance(t, ast.Name) and t.id == n for t in s.targets):
                return (s.value,)
            if any(_binds(t, n) for t in s.targets):
                raise _Opaque
            return defs
        if isinstance(s, ast.AnnAssign):
            if isinstance(s.target, ast.Name) and s.target.id == n:
                return (s.value,) if s.value is not None else defs
            return defs
        if isinstance(s, ast.AugAssign):
            if isinstance(s.target, ast.Name) and s.target.id == n:
                raise _Opaque
            return defs
        if isinstance(s, _TERMINAL):
            return None
        if isinstance(s, ast.If):
            return _join(self.block(s.body, defs, None)[0], self.block(s.orelse, defs, None)[0])
        if isinstance(s, (ast.For, ast.AsyncFor)):
            if _binds(s.target, n):
                raise _Opaque
            return _join(defs, self.block(s.body, defs, None)[0], self.block(s.orelse, defs, None)[0])
        if isinstance(s, ast.While):
            return _join(defs, self.block(s.body, defs, None)[0], self.block(s.orelse, defs, None)[0])
        if isinstance(s, (ast.With, ast.AsyncWith)):
            if any(i.optional_vars is not None and _binds(i.optional_vars, n) for i in s.items):
                raise _Opaque
            return self.block(s.body, defs, None)[0]
        if isinstance(s, ast.Try) or type(s).__name__ == "TryStar":
            body = self.block(s.body, defs, None)[0]
            entry = _join(defs, body) or defs
            handlers = [self.block(h.body, entry, None)[0] for h in s.handlers]  # type: ignore[attr-defined]
            out = _join(self.block(s.orelse, body, None)[0] if body is not None else None, *handlers)  # type: ignore[attr-defined]
            if s.finalbody:  # type: ignore[attr-defined]
                return self.block(s.finalbody, out if out is not None else entry, None)[0]  # type: ignore[attr-defined]
            return out
        if isinstance(s, ast.Match):
            cases = [self.block(c.body, defs, None)[0] for c in s.cases]
            return _join(defs, *cases)
        if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if s.name == n:
                raise _Opaque
            return defs
        if isinstance(s, (ast.Import, ast.ImportFrom)):
            if any((a.asname or a.name.split(".")[0]) == n for a in s.names):
                raise _Opaque
            return defs
        if isinstance(s, (ast.Global, ast.Nonlocal)) and n in s.names:
            raise _Opaque
        return defs


def statement_blocks(s: ast.stmt) -> list[list[ast.stmt]]:
    """The statement lists inside a compound statement, in the order they run."""
    out = []
    for field in ("body", "orelse", "finalbody"):
        part = getattr(s, field, None)
        if isinstance(part, list) and part and isinstance(part[0], ast.stmt):
            out.append(part)
    for h in getattr(s, "handlers", ()):
        out.append(h.body)
    for c in getattr(s, "cases", ()):
        out.append(c.body)
    return out


def _binds(target: ast.expr, name: str) -> bool:
    return any(isinstance(t, ast.Name) and t.id == name for t in ast.walk(target))


def _join(*paths: Defs) -> Defs:
    """The union of the definitions of the paths that fall through (None if none does)."""
    live = [p for p in paths if p is not None]
    if not live:
        return None
    out: list[ast.expr] = []
    for p in live:
        for d in p:
            if all(d is not o for o in out):
                out.append(d)
    return tuple(out)


def overwritten_unread(value: ast.expr, body: list[ast.stmt]) -> bool:
    """Whether `value` is assigned to a name (`llm = ChatOpenAI(...)`) by a statement of `body` (or of
    a block nested in it, not in nested functions) whose next statement assigns that name again
    without reading it: the first value is never used."""
    for stmts in _blocks(body):
        for st, nxt in zip(stmts, stmts[1:]):
            if isinstance(st, ast.Assign) and st.value is value and len(st.targets) == 1 \
                    and isinstance(st.targets[0], ast.Name) and isinstance(nxt, ast.Assign) and len(nxt.targets) == 1:
                name = st.targets[0].id
                target = nxt.targets[0]
                return isinstance(target, ast.Name) and target.id == name and not any(
                    isinstance(n, ast.Name) and n.id == name for n in ast.walk(nxt.value))
    return False


def _blocks(body: list[ast.stmt]):  # type: ignore[no-untyped-def]
    """`body` and every statement list nested in it, not entering functions or classes."""
    stack = [body]
    while stack:
        stmts = stack.pop()
        yield stmts
        for st in stmts:
            if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            stack.extend(part for part in statement_blocks(st) if part)


# methods that write an object out without running it (dspy's `Module.save`, pydantic's `model_dump`,
# Hugging Face's `save_pretrained`, `dump_state`): calling one sends no request
SERIALISERS = frozenset({"save", "dump", "dumps", "dump_state", "save_pretrained", "save_state", "model_dump",
                         "model_dump_json", "to_json", "to_dict", "serialize", "serialise"})


def saved_unrun(value: ast.expr, fn: ast.AST,
                project_class: Optional[Callable[[ast.Call], Optional[ast.ClassDef]]] = None) -> bool:
    """Whether function `fn` assigns `value` (a model object's construction) to a local name that it
    reads only to build objects of a class (`module = DecomposeQueryModule(lm)`, a CamelCase callee)
    that it in turn only writes out (`module.save("program.json")`): the model is built for the saved
    program and never asked anything here. A name read any other way (handed to a function or a
    method, `dspy.configure(lm=lm)`, returned, stored on `self`, read by a nested function) runs. When
    `project_class` finds the holder's class in the project, its `__init__` must only store the
    argument (`self.lm = lm`): one that runs it (`self.items = [lm(q) for q in qs]`) asks the model."""
    if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) or \
            not any(isinstance(n, ast.Attribute) and n.attr in SERIALISERS for n in ast.walk(fn)):
        return False  # nothing written out here (one walk, where the rest walks the function five times)
    name = _assigned_name(value, fn)
    if name is None or any(isinstance(n, (ast.Global, ast.Nonlocal)) and name in n.names for n in ast.walk(fn)):
        return False
    parents = {id(c): n for n in ast.walk(fn) for c in ast.iter_child_nodes(n)}
    built: set[str] = set()
    for n in ast.walk(fn):
        if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load):
            holder = _built_with(n, parents, project_class)
            if holder is None:
                return False
            built.add(holder)
    if not built:
        return False  # never read: left to the unused-variable linters (it may be read through `locals()`)
    return all(_only_serialised(b, fn, parents) for b in built)


def _assigned_name(value: ast.expr, fn: ast.AST) -> Optional[str]:
    """The one name `fn` assigns `value` to, when the name is assigned nowhere else in `fn`."""
    found = [st.targets[0].id for st in ast.walk(fn) if isinstance(st, ast.Assign) and st.value is value
             and len(st.targets) == 1 and isinstance(st.targets[0], ast.Name)]
    if len(found) != 1:
        return None
    stores = [n for n in ast.walk(fn) if isinstance(n, ast.Name) and n.id == found[0] and isinstance(n.ctx, ast.Store)]
    return found[0] if len(stores) == 1 else None


def _built_with(n: ast.Name, parents: dict,
                project_class: Optional[Callable[[ast.Call], Optional[ast.ClassDef]]] = None) -> Optional[str]:
    """The name `holder` when `n` is an argument of `holder = SomeClass(..., n, ...)` (CamelCase callee;
    a project class's `__init__` only storing it, `_init_stores`)."""
    p = parents.get(id(n))
    kw = p if isinstance(p, ast.keyword) else None
    if kw is not None:
        p = parents.get(id(p))
    if not isinstance(p, ast.Call) or n is p.func:
        return None
    callee = p.func.attr if isinstance(p.func, ast.Attribute) else p.func.id if isinstance(p.func, ast.Name) else ""
    if not callee[:1].isupper() or callee.isupper():
        return None
    cls = project_class(p) if project_class is not None else None
    at = kw.arg if kw is not None else None if any(isinstance(a, ast.Starred) for a in p.args) else \
        next((i for i, a in enumerate(p.args) if a is n), None)
    if cls is not None and not _init_stores(cls, at):
        return None
    st = parents.get(id(p))
    if isinstance(st, ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], ast.Name):
        return st.targets[0].id
    return None


def _only_serialised(name: str, fn: ast.AST, parents: dict) -> bool:
    """Every read of `name` in `fn` calls one of its SERIALISERS (`module.save(path)`), at least one."""
    reads = [n for n in ast.walk(fn) if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)]
    for n in reads:
        attr = parents.get(id(n))
        call = parents.get(id(attr))
        if not (isinstance(attr, ast.Attribute) and attr.attr in SERIALISERS and isinstance(call, ast.Call)
                and call.func is attr):
            return False
    return bool(reads)


def _init_stores(cls: ast.ClassDef, at: "int | str | None") -> bool:
    """Whether project class `cls`'s own `__init__` only stores the argument at position `at` (or keyword
    `at`): each read of that parameter is a whole `self.x = param`, and no `self.x` so set is read in
    `__init__`. A class without its own `__init__` hands it to a base, as stored as before."""
    init = next((d for d in cls.body if isinstance(d, (ast.FunctionDef, ast.AsyncFunctionDef))
                 and d.name == "__init__"), None)
    if init is None:
        return True
    positional = [a.arg for a in (*init.args.posonlyargs, *init.args.args)]
    me, params = (positional[0], positional[1:]) if positional else (None, [])
    if isinstance(at, int):
        name = params[at] if at < len(params) else None
    else:
        name = at if at in params or at in {a.arg for a in init.args.kwonlyargs} else None
    if name is None:
        return False  # through *args / **kwargs: where it goes is not read here
    parents = {id(c): n for n in ast.walk(init) for c in ast.iter_child_nodes(n)}
    stored: set[str] = set()
    for n in ast.walk(init):
        if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load):
            st = parents.get(id(n))
            if not (isinstance(st, ast.Assign) and st.value is n and all(
                    isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == me
                    for t in st.targets)):
                return False
            stored.update(t.attr for t in st.targets)  # type: ignore[attr-defined]
    return not any(isinstance(n, ast.Attribute) and isinstance(n.ctx, ast.Load) and n.attr in stored
                   and isinstance(n.value, ast.Name) and n.value.id == me for n in ast.walk(init))
