"""Feature names people would choose: from `[tool.tokenlint.features]` path globs, else from the
nearest meaningful owner of a call (a web route, a background task, a CLI command, a class and its
method), else from the module and function names. One name per function, the same on every run.
"""

from __future__ import annotations

import ast
import fnmatch
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from tokenlint.resolve.scope import decorator_name

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.resolve.scope import Scope
    from tokenlint.resolve.site import CallSite

OWNERS_TOML = Path(__file__).parent / "catalog" / "owners.toml"


@lru_cache(maxsize=None)
def _owners() -> dict[str, Any]:
    with open(OWNERS_TOML, "rb") as fh:
        return tomllib.load(fh)


def slug(text: str) -> str:
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", text)  # TicketBot -> Ticket-Bot
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _literal(e: Optional[ast.expr]) -> Optional[str]:
    return e.value if isinstance(e, ast.Constant) and isinstance(e.value, str) and e.value else None


def _decorator_owner(fn: ast.AST) -> Optional[str]:
    """"route:/path", "task:name" or "command:name" from a function's decorators, or None."""
    cat = _owners()
    for d in getattr(fn, "decorator_list", ()):
        name = decorator_name(d)
        args = d.args if isinstance(d, ast.Call) else []
        kws = {k.arg: k.value for k in d.keywords if k.arg} if isinstance(d, ast.Call) else {}
        first = _literal(args[0]) if args else None
        if name in cat["route"]["methods"]:
            path = first or _literal(kws.get("path"))
            if path and path.startswith("/"):
                return f"route:{path}"
        elif name in cat["task"]["decorators"]:
            named = next((_literal(kws.get(k)) for k in cat["task"]["name_kwargs"] if _literal(kws.get(k))), None)
            return f"task:{named or fn.name}"  # type: ignore[attr-defined]
        elif name in cat["command"]["decorators"]:
            named = first or next((_literal(kws.get(k)) for k in cat["command"]["name_kwargs"]
                                   if _literal(kws.get(k))), None)
            return f"command:{named or fn.name.replace('_', '-')}"  # type: ignore[attr-defined]
    return None


def owner_of(scope: "Scope") -> Optional[str]:
    """The nearest route, task or command among the functions enclosing `scope` (inner first), else
    "method:Class.name" for a method, else None (module and function names will do)."""
    s: Optional["Scope"] = scope
    innermost = None
    while s is not None:
        if s.kind == "function" and s.name != "<lambda>":
            innermost = innermost or s
            found = _decorator_owner(s.node)
            if found:
                return found
        s = s.parent
    if innermost is not None and innermost.parent is not None and innermost.parent.kind == "class":
        return f"method:{innermost.parent.name}.{innermost.name}"
    return None


def name_for(site: "CallSite", features: tuple = ()) -> tuple[str, str]:
    """(feature name, why) for a call site: a configured feature whose paths match its file, else
    its owner (route, task, command, class and method), else module and function."""
    for name, spec in features:
        if any(fnmatch.fnmatch(site.path, g) for g in spec.paths):
            return name, "configured paths"
    owner = site.owner or ""
    kind, _, value = owner.partition(":")
    if kind == "route":
        parts = [p for p in value.split("/") if p and not p.startswith(("{", "<", ":"))]
        if parts:
            return slug("-".join(parts)), f"route {value}"
    elif kind == "task" and slug(value.rpartition(".")[2]):
        return slug(value.rpartition(".")[2]), f"task {value}"
    elif kind == "command" and slug(value):
        return slug(value), f"command {value}"
    elif kind == "method":
        cls, _, meth = value.partition(".")
        return slug(f"{cls}-{meth}") or "feature", f"method {value}"
    return _module_function(site.path, site.function), "module and function"


def _module_function(relpath: str, function: Optional[str]) -> str:
    stem = relpath.rsplit("/", 1)[-1].removesuffix(".py")
    if stem == "__init__":
        parts = relpath.split("/")
        stem = parts[-2] if len(parts) > 1 else "app"
    name = slug(stem)
    if function and slug(function) != name:  # run_prompt.run_prompt: "run-prompt", once
        name = f"{name}-{slug(function)}" if name else slug(function)
    return name or "feature"
