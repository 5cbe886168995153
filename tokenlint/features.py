"""Feature names people would choose: from `[tool.tokenlint.features]` path globs, else from the
nearest meaningful owner of a call (a web route, a background task, a CLI command, a class and its
method), else from the module and function names. One name per function, the same on every run;
functions whose names say nothing of a feature (`run`, `__call__`, a closure `inner`) give way to
the function or class around them, and a sync / async / stream twin (`agenerate` beside `generate`)
takes its sibling's name.
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
    # TicketBot -> Ticket-Bot; an acronym ends before its next word: OpenAIEmbedding -> Open-AI-Embedding
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "-", text)
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


def _generic(name: str) -> bool:
    """A function or module name that says nothing of what it serves (`run`, `__call__`, `inner`)."""
    return name.strip("_").lower() in _owners()["names"]["generic"]


@lru_cache(maxsize=None)
def _twins() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in _owners()["names"]["twins"])


def _own_name(fn: "Scope") -> str:
    """The name a function stands under: its own, or a sibling's (a function of the same class or
    module) when it is that sibling's sync / async / stream twin or private helper (`agenerate`,
    `generate_stream`, `_generate` beside `generate`); "" when the name is generic."""
    return own_name(fn.name, fn.parent.bindings if fn.parent is not None else {})


def own_name(name: str, siblings: dict[str, list[tuple[str, Any]]]) -> str:
    """`name` as `_own_name` reads it, among the bindings of the class or module defining it."""
    for pat in _twins():
        m = pat.fullmatch(name)
        base = m.group(1) if m else None
        if base and base != name and any(k == "def" for k, _ in siblings.get(base, ())):
            name = base
            break
    name = _vendor_free(name, siblings)
    return "" if _generic(name) else name


@lru_cache(maxsize=None)
def _vendor_word() -> re.Pattern[str]:
    words = sorted(_owners()["vendors"]["words"], key=len, reverse=True)
    return re.compile(rf"(?:{'|'.join(map(re.escape, words))})(?:v?[0-9][0-9a-z]*)?")


@lru_cache(maxsize=4096)  # asked again for every call site in a function and for each sibling
def without_vendor(name: str) -> Optional[str]:
    """`name` without its provider and model words (a version or tier after one, `gpt_4o_mini`) and the
    connectors beside them (`solve_with_claude`: `solve`, `azure_gpt_4o_complete`: `complete`, `openai_fn`:
    `fn`), "" when nothing else is left; None when it has none."""
    cat = _owners()["vendors"]
    words, kept, cut = name.lower().split("_"), [], False
    i = 0
    while i < len(words):
        k = next((k for k in (2, 1) if i + k <= len(words) and all(words[i:i + k])
                  and _vendor_word().fullmatch("".join(words[i:i + k]))), 0)
        if not k:
            kept.append(words[i])
            i += 1
            continue
        cut, i = True, i + k
        while kept and kept[-1] in cat["connectors"]:
            kept.pop()
        while i < len(words) and (words[i] in cat["tiers"] or re.fullmatch(r"v?[0-9][0-9a-z]*", words[i])):
            i += 1
        while i < len(words) and words[i] in cat["connectors"]:
            i += 1
    return "_".join(kept).strip("_") if cut else None


def _vendor_free(name: str, siblings: dict[str, list[tuple[str, Any]]]) -> str:
    """`name` without its provider word when a sibling function differs from it only by another one
    (`openai_fn` beside `ollama_fn`: `fn`): one job done by several providers is one feature."""
    rest = without_vendor(name)
    if rest is None:
        return name
    same = any(other != name and any(k == "def" for k, _ in kinds) and without_vendor(other) == rest
               for other, kinds in siblings.items())
    return rest if same else name


def interface_owner(base: str, method: str, siblings: dict[str, list[tuple[str, Any]]]) -> str:
    """The owner of a call made in an implementation of `base`'s abstract `method` (each provider's
    adapter of one LLM interface is the same feature): "method:Base.name", "class:Base" when generic."""
    name = own_name(method, siblings)
    return f"method:{base}.{name}" if name else f"class:{base}"


def owner_of(scope: "Scope") -> Optional[str]:
    """The nearest route, task or command among the functions enclosing `scope` (inner first), else
    "method:Class.name" for a method (or a function nested in one), else "function:name" for a
    module's function; `name` is the innermost of those functions whose own name is not generic
    ("class:Class", "function:" when none is). None at module level."""
    s: Optional["Scope"] = scope
    fns: list["Scope"] = []  # named functions from the innermost out, up to the nearest class
    cls: Optional["Scope"] = None
    while s is not None:
        if s.kind == "function" and s.name != "<lambda>":
            found = _decorator_owner(s.node)
            if found:
                return found
            if cls is None:
                fns.append(s)
        elif s.kind == "class" and cls is None:
            cls = s
        s = s.parent
    if not fns:
        return None
    name = next((n for n in map(_own_name, fns) if n), "")
    if cls is not None:
        return f"method:{cls.name}.{name}" if name else f"class:{cls.name}"
    return f"function:{name}"


def name_for(site: "CallSite", features: tuple = ()) -> tuple[str, str]:
    """(feature name, why) for a call site: a configured feature whose paths match its file, else
    its owner (route, task, command, class and method), else module and function. A word run said
    twice in a row (`generate` module, `generate_image` function) is said once."""
    for name, spec in features:
        if any(fnmatch.fnmatch(site.path, g) for g in spec.paths):
            return name, "configured paths"
    name, why = _owned_name(site)
    return _once(name), why


def _owned_name(site: "CallSite") -> tuple[str, str]:
    owner = site.owner or ""
    kind, _, value = owner.partition(":")
    if kind in ("method", "class") and _entry_class(value.partition(".")[0], site.path):
        stem = slug(site.path.rsplit("/", 1)[-1].removesuffix(".py"))
        if stem:  # Django's `management/commands/ingest.py` `Command.handle`: the command `ingest`
            return stem, f"command {stem}"
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
    elif kind == "class":
        return slug(value) or "feature", f"class {value}"
    elif kind == "function":
        return _module_function(site.path, value), "module and function"
    return _module_function(site.path, site.function), "module and function"


def _entry_class(cls: str, relpath: str) -> bool:
    """A framework's entry class, named by its module rather than by itself (owners.toml
    [command] entry_classes: Django's management `Command`)."""
    return any(cls == e["class"] and fnmatch.fnmatch("/" + relpath, e["path"])
               for e in _owners()["command"].get("entry_classes", ()))


def _once(name: str) -> str:
    """`name` with a run of words repeated right after itself said once: `api-chat-chat` is
    `api-chat`, `generate-generate-image` is `generate-image`."""
    words = name.split("-")
    i = 0
    while i < len(words):
        for k in range((len(words) - i) // 2, 0, -1):
            if words[i:i + k] == words[i + k:i + 2 * k]:
                del words[i + k:i + 2 * k]
                break
        else:
            i += 1
    return "-".join(words)


def _module_function(relpath: str, function: Optional[str]) -> str:
    stem = relpath.rsplit("/", 1)[-1].removesuffix(".py")
    if stem == "__init__" or _generic(stem) or stem.lower() in _owners()["names"]["scripts"]:
        # trip_planner/main.py, chat_with_pdf/app.py: "trip-planner", "chat-with-pdf"
        parts = relpath.split("/")
        stem = parts[-2] if len(parts) > 1 else stem.strip("_") or "app"
    name = slug(stem)
    if function and slug(function) != name:  # run_prompt.run_prompt: "run-prompt", once
        name = f"{name}-{slug(function)}" if name else slug(function)
    return name or "feature"
