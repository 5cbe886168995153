"""What text a prompt template read from a file holds: files found from the code that opens them, read as data.

A prompt is often kept in a file: `Path(__file__).parent / "system.txt"` read with `read_text()`,
`open("prompts/x.md").read()`, a Jinja2 `Environment(loader=FileSystemLoader("templates"))` whose
`get_template("x.j2")` is rendered, or `Template(text)`. The expression naming the file is followed
textually (string constants, `__file__`, `Path(...)`, `/`, `.parent`, `os.path.join` / `dirname`);
the file is read only when a prompt reaches it, at most once per run (by path, size and mtime),
never imported, rendered or executed. A file that is missing, over `MAX_BYTES`, binary or not UTF-8
gives None: the prompt is `unknown`. Jinja text is split textually: `{{ ... }}` is a dynamic part,
`{% ... %}` (a loop, a condition, an include) is unknown text, `{# ... #}` is nothing; an unclosed
tag makes the whole template unknown. A JSON or YAML file loaded with `json.load` / `json.loads` /
`yaml.safe_load` (or `yaml.load` / `full_load` / `unsafe_load`: whatever loader the code names, we
parse with pyyaml's safe loader only) is parsed as data, at most once per text, and indexed by
constant keys (`PROMPTS["system"]`, `data.get("agent")["system"]`). A YAML document whose nodes,
counted with every alias expanded, exceed `MAX_NODES` (a "billion laughs" file), or that is broken,
holds several documents or nests too deep, gives None: the prompt is `unknown`.
"""

from __future__ import annotations

import ast
import fnmatch
import hashlib
import json
import os
import re
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Optional

from tokenlint.resolve.imports import definition
from tokenlint.resolve.tokens import text_length

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.resolve.scope import Scope

# a `READS` entry that is a word search of the project's files, not a file (`callers.naming_files`)
NAMES_KEY = "\0names:"
MAX_BYTES = 512 * 1024  # a prompt template larger than this is not a prompt template
HOPS = 4
MAX_NODES = 100_000  # a YAML prompt file with more nodes than this (aliases expanded) is not read
DATA_LOADS = {"json": ("load", "loads"), "yaml": ("safe_load", "load", "full_load", "unsafe_load")}
_CACHE: dict[tuple[str, int, int], Optional[str]] = {}
_PARSED: dict[tuple[str, str], object] = {}  # (format, text) -> its data (None when it is not valid)
# every data file this process has read for a prompt (path -> data_digest): results computed after a
# read may depend on it (the resolver memoises across files), so they carry all of them


class _Reads(dict):
    """`READS`: a dict that counts its changes (`version`), so that each analysed file's record of what
    was read (`engine.reads_snapshot`) is one shared copy until something new is read, not a copy per
    file of a record that only grows (measured: 13.7 MiB of copies on langchain-community)."""

    version = 0

    def __setitem__(self, key: str, value: Optional[str]) -> None:
        self.version += 1
        super().__setitem__(key, value)

    def setdefault(self, key: str, default: Optional[str] = None) -> Optional[str]:
        if key not in self:
            self.version += 1
        return super().setdefault(key, default)

    def clear(self) -> None:
        self.version += 1
        super().clear()

    def _refused(self, *args: object, **kwargs: object) -> None:
        raise TypeError("READS changes only through item assignment, setdefault or clear (they count the changes)")

    update = pop = popitem = __delitem__ = __ior__ = _refused  # type: ignore[assignment]


READS: _Reads = _Reads()


def read_template(path: Path) -> Optional[str]:
    """The text of a template file, or None (missing, huge, binary, undecodable); read once per run.
    Every file asked for is noted in `READS` with its digest, so cached results that read it are
    reused only while it stays the same (`tokenlint.cache`, `tokenlint.replay`)."""
    try:
        st = path.stat()
    except (OSError, ValueError):
        READS.setdefault(str(path), None)
        return None
    if not path.is_file() or st.st_size > MAX_BYTES:
        READS.setdefault(str(path), data_digest(str(path)))
        return None
    key = (str(path), st.st_size, st.st_mtime_ns)
    if key in _CACHE:
        return _CACHE[key]
    try:
        raw = path.read_bytes()
        text: Optional[str] = None if b"\x00" in raw else raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        raw, text = b"", None
    READS[str(path)] = hashlib.sha256(raw).hexdigest() if raw else data_digest(str(path))
    if text is not None:
        text = text.replace("\r\n", "\n")
    _CACHE[key] = text
    return text


def reset() -> None:
    """Forget what earlier runs in this process read (a long-lived process runs many)."""
    READS.clear()
    _CACHE.clear()
    _PARSED.clear()


def note_reads(paths: "Iterable[str]", digest: "Callable[[], Optional[str]] | None" = None) -> None:
    """Note files (or folders: their listing) an answer rests on without reading them as templates
    (`callers.naming_files`' word search, `families`' siblings): cached results follow them too.
    `digest`: what each entry is now, for an entry that is no file (a word search of the project's
    files, `NAMES_KEY`: `unchanged` asks the project for it)."""
    for path in paths:
        if path not in READS:
            READS[path] = digest() if digest is not None else data_digest(path)


def data_digest(path: str) -> Optional[str]:
    """What a template file is now, as `READS` records it: its bytes' digest, its size when it is too
    large to be read, None when it is missing or no file; of a folder, its listing; of a name pattern
    (`folder/requirements?*.txt`), the names matching it."""
    if "*" in os.path.basename(path) and not os.path.lexists(path):  # a name pattern (pins.REQUIREMENTS_GLOBS)
        return _matching_digest(path)
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):  # a folder whose modules an answer weighed (resolve/families.py): its listing
            return "dir:" + hashlib.sha256("\n".join(sorted(os.listdir(path))).encode("utf-8", "replace")).hexdigest()
        if not stat.S_ISREG(st.st_mode):
            return None
        if st.st_size > MAX_BYTES:
            return f"size:{st.st_size}"
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except (OSError, ValueError):
        return None


def _matching_digest(pattern: str) -> str:
    """The digest of the names in the pattern's folder that match it (none when the folder is missing)."""
    folder, name = os.path.split(pattern)
    try:
        names = sorted(n for n in os.listdir(folder) if fnmatch.fnmatchcase(n, name))
    except (OSError, ValueError):
        names = []
    return "names:" + hashlib.sha256("\n".join(names).encode("utf-8", "replace")).hexdigest()


def unchanged(reads: dict[str, Optional[str]], names: "Callable[[str], Optional[str]] | None" = None) -> bool:
    """Whether every data file a cached result read is still what it was. `names`: what a word search
    of the project's files (an entry starting with `NAMES_KEY`) finds now; without it such entries are
    not compared (the caller compares every project file itself: a whole-run replay)."""
    return all((names(path) if names is not None else digest) == digest if path.startswith(NAMES_KEY)
               else data_digest(path) == digest for path, digest in reads.items())


def file_text(call: ast.Call, scope: "Scope") -> Optional[str]:
    """The text `call` reads from a project file (`p.read_text()`, `open(p).read()`, `f.read()` in a
    `with open(p) as f`), or None when it reads no file it can name."""
    f = call.func
    if not isinstance(f, ast.Attribute):
        return None
    if f.attr == "read_text":
        path = path_of(f.value, scope)
    elif f.attr == "read":
        opened = _opened(f.value, scope)
        path = path_of(opened.args[0], scope) if opened is not None and opened.args else None
    else:
        return None
    return read_template(path) if path is not None and _inside(path, scope) else None


def jinja_template(e: ast.expr, scope: "Scope") -> Optional[str]:
    """The text of the template `e` is: `env.get_template("x")` with a `FileSystemLoader(dir)`
    environment, or `Template(text)` (text a constant or read from a file); else None."""
    e, scope = _through(e, scope)
    if not isinstance(e, ast.Call):
        return None
    f = e.func
    name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
    if name == "get_template" and isinstance(f, ast.Attribute) and e.args:
        rel = _const(e.args[0], scope)
        env, escope = _through(f.value, scope)
        folder = _loader_dir(env, escope)
        if rel is None or folder is None or not _inside(folder / rel, scope):
            return None
        return read_template(folder / rel)
    if name in ("Template", "from_string") and e.args:
        arg, ascope = _through(e.args[0], scope)
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            return arg.value
        if isinstance(arg, ast.Call):
            return file_text(arg, ascope)
    return None


def data_text(e: ast.expr, scope: "Scope") -> Optional[str]:
    """The string a project JSON or YAML file holds under the constant keys `e` indexes it by
    (`json.load(open(p))["system"]`, `data["agent"]["system"]` with `data = yaml.safe_load(f)`,
    `data.get("system")`), or None when `e` is not such a lookup or the value is not a string."""
    keys: list[str] = []
    for _ in range(2 * HOPS):
        if isinstance(e, ast.Subscript):
            key, e = _const(e.slice, scope), e.value
        elif (isinstance(e, ast.Call) and isinstance(e.func, ast.Attribute) and e.func.attr == "get"
              and len(e.args) in (1, 2) and not e.keywords):
            key, e = _const(e.args[0], scope), e.func.value
        else:
            break
        if key is None:
            return None
        keys.append(key)
        e, scope = _through(e, scope)
    if not keys or not isinstance(e, ast.Call):
        return None
    data = _file_data(e, scope)
    for key in reversed(keys):
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, str) else None


def _loader(f: ast.expr, scope: "Scope") -> Optional[tuple[str, str]]:
    """(format, function) when `f` names a JSON or YAML loader: `json.loads`, `yaml.safe_load`, or
    `safe_load` imported with `from yaml import safe_load`."""
    if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id in DATA_LOADS:
        return (f.value.id, f.attr) if f.attr in DATA_LOADS[f.value.id] else None
    if isinstance(f, ast.Name):
        b = definition(f.id, scope)
        if b is not None and b[0] == "from" and not b[1][0] and b[1][1] in DATA_LOADS:
            return (b[1][1], b[1][2]) if b[1][2] in DATA_LOADS[b[1][1]] else None
    return None


def _file_data(call: ast.Call, scope: "Scope") -> object:
    """The data a loader call (`json.load(file)`, `yaml.safe_load(text or file)`) reads from a project
    file, else None."""
    loader = _loader(call.func, scope)
    if loader is None or not call.args or len(call.args) > 2:
        return None
    fmt, func = loader
    arg, ascope = _through(call.args[0], scope)
    text = None
    if isinstance(arg, ast.Call):
        text = file_text(arg, ascope)  # json.loads(Path(p).read_text()), yaml.safe_load(f.read())
    if text is None and func != "loads":
        opened = _opened(arg, ascope)  # json.load(fh), yaml.safe_load(open(p))
        path = path_of(opened.args[0], ascope) if opened is not None and opened.args else None
        text = read_template(path) if path is not None and _inside(path, ascope) else None
    if text is None:
        return None
    if (fmt, text) not in _PARSED:
        _PARSED[(fmt, text)] = _parse_yaml(text) if fmt == "yaml" else _parse_json(text)
    return _PARSED[(fmt, text)]


def _parse_json(text: str) -> object:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _parse_yaml(text: str) -> object:
    """One YAML document as data, built by pyyaml's safe loader (plain data types only, no code), or
    None: broken, several documents, too deep, or more than `MAX_NODES` nodes with aliases expanded."""
    import yaml  # a runtime dependency, imported only when a prompt reaches a YAML file

    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None or _expanded_nodes(node) > MAX_NODES:
            return None
        return loader.construct_document(node)
    except (yaml.YAMLError, RecursionError, ValueError, TypeError, OverflowError):
        return None
    finally:
        loader.dispose()


def _expanded_nodes(root) -> int:  # type: ignore[no-untyped-def]
    """How many nodes a composed YAML document has once every alias is expanded (a node an alias
    points to counts once per reference); a cycle counts as too many. Iterative: linear in the
    composed graph, however deep."""
    sizes: dict[int, int] = {}
    open_: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        kids = _children(node)
        if done:
            sizes[id(node)] = 1 + sum(sizes[id(k)] for k in kids)
            if sizes[id(node)] > MAX_NODES:
                return sizes[id(node)]
            continue
        if id(node) in sizes:
            continue
        if id(node) in open_:
            return MAX_NODES + 1  # a node inside itself: a recursive alias
        open_.add(id(node))
        stack.append((node, True))
        stack.extend((k, False) for k in kids if id(k) not in sizes)
    return sizes[id(root)]


def _children(node) -> list:  # type: ignore[no-untyped-def]
    value = node.value
    if not isinstance(value, list):
        return []  # a scalar
    return [x for pair in value for x in pair] if value and isinstance(value[0], tuple) else value


JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)


def jinja_parts(text: str) -> Optional[list[tuple[str, int]]]:
    """[(kind, chars)] of a Jinja template: static text, `dynamic` expressions, `unknown` tags; None
    when a tag is left open (broken syntax)."""
    out: list[tuple[str, int]] = []
    pos = 0
    for m in JINJA.finditer(text):
        if m.start() > pos:
            out.append(("static", text_length(text[pos:m.start()])))
        tag = m.group(0)
        out.append(("dynamic", 0) if tag.startswith("{{") else ("unknown", 0) if tag.startswith("{%") else ("", 0))
        pos = m.end()
    rest = text[pos:]
    if "{{" in rest or "{%" in rest or "{#" in rest:
        return None
    if rest:
        out.append(("static", text_length(rest)))
    return [p for p in out if p[0]]


# ---------------------------------------------------------------- following the expressions


def _through(e: ast.expr, scope: "Scope") -> tuple[ast.expr, "Scope"]:
    for _ in range(HOPS):
        if not isinstance(e, ast.Name):
            break
        b = definition(e.id, scope)
        if b is None or b[0] not in ("assign", "with") or b[1] is None:
            break
        e, scope = b[1], b[2]
    return e, scope


def _const(e: ast.expr, scope: "Scope") -> Optional[str]:
    e, scope = _through(e, scope)
    if isinstance(e, ast.Constant) and isinstance(e.value, str):
        return e.value
    if isinstance(e, ast.JoinedStr) and all(isinstance(v, ast.Constant) for v in e.values):
        return "".join(str(v.value) for v in e.values)  # type: ignore[attr-defined]
    return None


def _opened(e: ast.expr, scope: "Scope") -> Optional[ast.Call]:
    """The `open(...)` call `e` is (directly, or the name a `with open(...) as f` binds)."""
    e, scope = _through(e, scope)
    if isinstance(e, ast.Call) and isinstance(e.func, ast.Name) and e.func.id == "open":
        return e
    if isinstance(e, ast.Call) and isinstance(e.func, ast.Attribute) and e.func.attr == "open":
        return e if e.args else None
    return None


def _inside(path: Path, scope: "Scope") -> bool:
    """Only the project's own files are read (no `..` or link out of it)."""
    try:
        return Path(os.path.realpath(path)).is_relative_to(Path(os.path.realpath(_root(scope))))
    except (OSError, ValueError):
        return False


def _module_path(scope: "Scope") -> Path:
    return Path(scope.module.source.path)


def _root(scope: "Scope") -> Path:
    src = scope.module.source
    path = Path(src.path)
    parts = len(Path(src.relpath).parts)
    return path.parents[parts - 1] if parts else path.parent


def path_of(e: ast.expr, scope: "Scope", depth: int = 0) -> Optional[Path]:
    """The file a path expression names, when it can be followed textually; relative strings are
    tried against the module's folder, then the project root."""
    if depth > 8:
        return None
    e, scope = _through(e, scope)
    s = _const(e, scope)
    if s is not None:
        p = Path(s)
        if p.is_absolute():
            return None  # outside the project: not read
        here = _module_path(scope).parent / p
        return here if here.exists() else _root(scope) / p
    if isinstance(e, ast.Name) and e.id == "__file__":
        return _module_path(scope)
    if isinstance(e, ast.BinOp) and isinstance(e.op, ast.Div):
        left, right = path_of(e.left, scope, depth + 1), _const(e.right, scope)
        return left / right if left is not None and right is not None else None
    if isinstance(e, ast.Attribute) and e.attr == "parent":
        inner = path_of(e.value, scope, depth + 1)
        return inner.parent if inner is not None else None
    if isinstance(e, ast.Call):
        f = e.func
        name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
        if name in ("Path", "PurePath") and len(e.args) == 1:
            return path_of(e.args[0], scope, depth + 1)
        if name in ("resolve", "absolute") and isinstance(f, ast.Attribute) and not e.args:
            return path_of(f.value, scope, depth + 1)
        if name in ("abspath", "realpath", "normpath") and len(e.args) == 1:
            return path_of(e.args[0], scope, depth + 1)
        if name == "dirname" and len(e.args) == 1:
            inner = path_of(e.args[0], scope, depth + 1)
            return inner.parent if inner is not None else None
        if name in ("join", "joinpath") and e.args:
            base_expr = e.args[0] if name == "join" else f.value  # type: ignore[union-attr]
            rest = e.args[1:] if name == "join" else e.args
            base = path_of(base_expr, scope, depth + 1)
            tails = [_const(a, scope) for a in rest]
            if base is None or any(t is None for t in tails):
                return None
            return base.joinpath(*tails)  # type: ignore[arg-type]
    return None


def _loader_dir(env: ast.expr, scope: "Scope") -> Optional[Path]:
    """The folder of `Environment(loader=FileSystemLoader(dir))` (the first of a list of folders)."""
    if not isinstance(env, ast.Call):
        return None
    loader = next((k.value for k in env.keywords if k.arg == "loader"), env.args[0] if env.args else None)
    if loader is None:
        return None
    loader, lscope = _through(loader, scope)
    if not (isinstance(loader, ast.Call) and loader.args):
        return None
    f = loader.func
    if (f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")) != "FileSystemLoader":
        return None
    arg = loader.args[0]
    if isinstance(arg, (ast.List, ast.Tuple)) and arg.elts:
        arg = arg.elts[0]
    folder = path_of(arg, lscope)
    return folder if folder is not None and os.path.isdir(folder) else None
