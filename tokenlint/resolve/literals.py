"""Where else a module writes the same default: the twins of a model name a fix must change together."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.project import ModuleSource

# calls whose second argument is a default: os.getenv("X", "gpt-4o"), environ.get, dict.get, Field
DEFAULT_CALLS = frozenset({"getenv", "get", "setdefault", "Field"})


def same_defaults(source: "ModuleSource", node: ast.Constant) -> tuple[ast.Constant, ...]:
    """The string defaults of `source`'s module with `node`'s value (`node` included), in order, when
    `node` is itself a default; else just `node`.

    A default is a string written as a parameter default, a name's or a class field's assigned
    value, a `default=` keyword, or the fallback of `os.getenv` / `.get` / `Field`. A model name
    written as two defaults of one module (a function default and a CLI option's default) is one
    setting to people: a fix that swaps it changes every copy or none. A literal passed in a call
    (`model="gpt-4o"`, an Azure deployment name) is its own thing and is never a twin. The index is
    built once per module, on first use, from the tree the binder already holds.
    """
    info = getattr(source, "info", None)
    if info is None:
        return (node,)
    index = getattr(info, "_defaults", None)
    if index is None:
        index = {}
        for n in _defaults(info.tree):
            index.setdefault(n.value, []).append(n)
        info._defaults = index
    got = index.get(node.value)
    if not got or not any(n is node for n in got):
        return (node,)
    return tuple(sorted(got, key=lambda n: (n.lineno, n.col_offset)))


def _defaults(tree: ast.AST) -> Iterator[ast.Constant]:
    for n in ast.walk(tree):
        t = type(n)
        if t is ast.FunctionDef or t is ast.AsyncFunctionDef:
            yield from _strings([*n.args.defaults, *n.args.kw_defaults])  # type: ignore[attr-defined]
        elif t is ast.Assign or t is ast.AnnAssign:
            yield from _strings([n.value])  # type: ignore[attr-defined]
        elif t is ast.Call:
            yield from _strings([k.value for k in n.keywords if k.arg == "default"])  # type: ignore[attr-defined]
            f = n.func  # type: ignore[attr-defined]
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None
            if name in DEFAULT_CALLS:
                args = n.args  # type: ignore[attr-defined]
                yield from _strings(args[1:2] if name != "Field" else args[:1])


def _strings(nodes: list) -> Iterator[ast.Constant]:  # type: ignore[type-arg]
    for v in nodes:
        if type(v) is ast.Constant and type(v.value) is str:
            yield v
