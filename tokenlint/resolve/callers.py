"""What the calls a project makes of a function pass: whether a parameter's default can run, and the
files naming a function (where its calls are searched, `passed` reads them for a parameter's value).

`default_never_runs`: not when every call of the function in the project passes that argument and
the function is used no other way (so a model default nobody relies on is no finding). Conservative:
a call with `*args` / `**kwargs` that may leave it out, any other use of the name (a callback, a
decorator, a registry, `__all__`), or no call at all keeps the default live.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Optional

from tokenlint.project import SourceError
from tokenlint.resolve.templates import READS, data_digest

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.project import ModuleSource, Project
    from tokenlint.resolve.scope import Scope

MAX_FILES = 200  # files naming the function read for its calls; beyond, the default is kept live


def default_never_runs(project: "Project", func: "Scope", param: str, memo: dict) -> bool:
    """True when every call of `func` (a function or method scope) the project makes passes `param`.

    The files searched are those whose bytes name the function; each one read is recorded as a data
    file of the result (`templates.READS`), so a cached result is recomputed when one changes. A file
    that names the function for the first time is not seen by a cached result until the function's
    own module or its imports change (a documented limit of the result cache)."""
    key = (func.node, param)
    if key not in memo:
        memo[key] = _never_runs(project, func, param)
    return memo[key]


def _never_runs(project: "Project", func: "Scope", param: str) -> bool:
    fn = func.node
    if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    in_class = func.parent is not None and func.parent.kind == "class"
    name = called_name(func)
    if not name:
        return False  # a dunder method runs by protocol, not by calls written with its name
    position = _position(fn, param, skip_self=in_class)
    files = naming_files(project, name, MAX_FILES)
    if files is None:
        return False
    calls = 0
    for ms in files:
        info = project.module_info(ms)
        if info is None:
            return False
        called = {id(n.func): n for n in ast.walk(info.tree) if isinstance(n, ast.Call)}
        for n in ast.walk(info.tree):
            if _exported(n, name):
                return False
            ref = (isinstance(n, ast.Name) and n.id == name) or (isinstance(n, ast.Attribute) and n.attr == name)
            if not ref or not isinstance(getattr(n, "ctx", None), ast.Load):
                continue
            call = called.get(id(n))
            if call is None or not _passes(call, param, position):
                return False  # used as a value, or a call that may leave the argument out
            calls += 1
    return calls > 0


def naming_files(project: "Project", name: str, cap: int,
                 among: Optional[list["ModuleSource"]] = None) -> Optional[list["ModuleSource"]]:
    """The project's files (or those of `among`) whose bytes name `name`, each recorded as a data file
    of the result being worked out (`templates.READS`); None when more than `cap` do (a name too
    common to follow)."""
    word = name.encode()
    files = []
    for ms in among if among is not None else list(project.by_path.values()):
        if ms.raw is None:
            try:
                ms.read()
            except SourceError:
                continue  # unreadable: reported as TKL000 where it is checked, holds no call
        if ms.raw is not None and word in ms.raw:
            files.append(ms)
            if len(files) > cap:
                return None
    for ms in files:
        if str(ms.path) not in READS:
            READS[str(ms.path)] = data_digest(str(ms.path))
    return files


def called_name(func: "Scope") -> str:
    """The name calls of a function scope are written with: its own, or its class's for `__init__`;
    "" for another dunder method (run by protocol) or a lambda."""
    fn = func.node
    if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return ""
    if fn.name == "__init__":
        return func.parent.name if func.parent is not None and func.parent.kind == "class" else ""
    return "" if fn.name.startswith("__") else fn.name


def _position(fn: ast.FunctionDef | ast.AsyncFunctionDef, param: str, skip_self: bool) -> int | None:
    """The index a positional argument for `param` takes in a call (self skipped), None if keyword-only."""
    names = [a.arg for a in [*fn.args.posonlyargs, *fn.args.args]]
    if skip_self and names:
        names = names[1:]
    return names.index(param) if param in names else None


def _passes(call: ast.Call, param: str, position: int | None) -> bool:
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return False  # `*args` / `**kwargs`: may or may not carry it
    if any(k.arg == param for k in call.keywords):
        return True
    return position is not None and len(call.args) > position


def _exported(n: ast.AST, name: str) -> bool:
    """`__all__ = [..., "name", ...]`: the module offers it to code outside the project."""
    if not (isinstance(n, (ast.Assign, ast.AugAssign)) and isinstance(n.value, (ast.List, ast.Tuple))):
        return False
    targets = n.targets if isinstance(n, ast.Assign) else [n.target]
    return any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets) and any(
        isinstance(e, ast.Constant) and e.value == name for e in n.value.elts)
