"""What the calls a project makes of a function pass: whether a parameter's default can run, and the
files naming a function (where its calls are searched, `passed` reads them for a parameter's value).

`default_never_runs`: not when every call of the function in the project passes that argument and
the function is used no other way (nor then does the fallback an `if param is None:` builds for a
parameter defaulting to None: `none_fallback`) (so a model default nobody relies on is no finding). Conservative:
a call with `*args` / `**kwargs` that may leave it out, any other use of the name (a callback, a
decorator, a registry, `__all__`), or no call at all keeps the default live. Two things are no use:
a type annotation naming it (`-> Provider`), and the project's test files (their calls run against
doubles, not billed requests), unless the function is itself defined in one; nor is a call of the
same-named method of another class on an object the module builds from it (`model = OnnxRVC(...)` then
`model.inference(wav)`, `OnnxRVC` defining its own `inference`). Two things are calls:
the function handed to a runner with its arguments (`pool.submit(f, a, m)`, `run_in_executor(None, f,
a)`, `asyncio.to_thread(f, a)`, `functools.partial(f, m=m)`), a function that is an entry of a dict a
function builds once and only calls through (`factory = {"ppt": ppt_report, ...}` then every use is
`factory[kind](task, model)`: each such call is a call of each entry), and a `**kwargs` that is a dict the
calling function builds once with the key written (`kwargs = dict(model=m, **extra)`) passes that key.
"""

from __future__ import annotations

import ast
import hashlib
import re
from typing import TYPE_CHECKING, Optional

from tokenlint.prefilter import word_runs
from tokenlint.project import SourceError
from tokenlint.resolve.evidence import is_test_path
from tokenlint.resolve.facades import is_abstract
from tokenlint.resolve.scope import changes_dict, decorator_name, written_items
from tokenlint.resolve.templates import NAMES_KEY, note_reads

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.project import ModuleSource, Project
    from tokenlint.resolve.scope import Scope

MAX_FILES = 200  # files naming the function read for its calls; beyond, the default is kept live
# whole projects' worth of files scanned for words before the word index is built (most projects ask a
# few questions, a library's tree hundreds; a question about the callers in production code, or in the
# tests, scans those files only). On the benchmark corpus (5,100 files, 31 MB) the index cost about as much
# as thirty whole scans and held 21 MB (2026-12-06): 48 spares that memory to the projects asking a few
# dozen questions (counting questions, not files, built it there for 55 questions, half of them on half
# the files)
INDEX_AFTER = 48


def default_never_runs(project: "Project", func: "Scope", param: str, memo: dict) -> bool:
    """True when every call of `func` (a function or method scope) the project makes passes `param`.

    The files searched are those whose bytes name the function; each one read is recorded as a data
    file of the result (`templates.READS`), and so is the search itself (`names_key`), so a cached
    result is recomputed when one changes or a file names the function for the first time."""
    key = (func.node, param)
    if key not in memo:
        memo[key] = _never_runs(project, func, param)
    return memo[key]


def none_fallback(fn: ast.AST, node: ast.AST) -> Optional[str]:
    """The parameter of function `fn` whose absence `node` stands in for: `node` sits in the body of an
    `if param is None:` / `if not param:` at the top of `fn`'s statements (outside nested functions),
    `param` defaulting to None (`def __init__(self, model=None): if model is None: model = Default(...)`)."""
    if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None  # (a lambda's body is one expression)
    args = fn.args
    defaults = dict(zip([a.arg for a in (*args.posonlyargs, *args.args)][::-1], args.defaults[::-1]))
    defaults.update({a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None})
    for st in getattr(fn, "body", []):
        if not isinstance(st, ast.If) or not any(n is node for b in st.body for n in ast.walk(b)):
            continue
        t = st.test
        if isinstance(t, ast.UnaryOp) and isinstance(t.op, ast.Not):
            t = t.operand
        elif isinstance(t, ast.Compare) and len(t.ops) == 1 and isinstance(t.ops[0], ast.Is) and \
                isinstance(t.comparators[0], ast.Constant) and t.comparators[0].value is None:
            t = t.left
        else:
            return None
        d = defaults.get(t.id) if isinstance(t, ast.Name) else None
        return t.id if isinstance(d, ast.Constant) and d.value is None else None  # type: ignore[union-attr]
    return None


def _never_runs(project: "Project", func: "Scope", param: str) -> bool:
    fn = func.node
    if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    in_class = func.parent is not None and func.parent.kind == "class"
    name = called_name(func)
    if not name:
        return False  # a dunder method runs by protocol, not by calls written with its name
    position = _position(fn, param, skip_self=in_class)
    # a class's constructor: reading one of the class's own static members (`Cls.helper(x)`, `Cls.LIMIT`)
    # builds no instance; a classmethod may (`cls()`), and so may one it inherits
    is_init = fn.name == "__init__" and in_class
    members = _static_members(func.parent.node) if is_init else frozenset()
    home = func.module.source
    files = naming_files(project, name, MAX_FILES, None if is_test_path(home.relpath) else False)
    if files is None:
        return False
    calls = 0
    subclassed = 0  # subclasses whose own constructor hands `param` to this one
    for ms in files:
        info = project.module_info(ms)
        if info is None:
            return False
        names = _local_names(project, ms, info.tree, name, func.module.source)
        # one walk: it visits a call before the nodes inside it, so the callee and the class an
        # `isinstance(x, Cls)` / `issubclass(...)` tests (named without being called) are known when met
        called: dict[int, ast.Call] = {}
        tested: set[int] = set()  # also the names inside annotations: a type, not a use
        dicts = _DictKeys(info.tree)
        tables = _Tables(info.tree)
        foreign = _Foreign(project, ms, info.tree, name, func.parent.name if in_class else None)
        for n in ast.walk(info.tree):
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.AnnAssign, ast.arg)):
                tested.update(id(a) for a in _annotation_names(n))
            if isinstance(n, ast.Attribute) and n.attr in members:
                tested.add(id(n.value))
            if is_init and isinstance(n, ast.ClassDef):  # `class Extra(Base):` with its own constructor
                passing = [b for b in n.bases if _own_init_passes(n, param, position, dicts)]
                tested.update(id(b) for b in passing)
                subclassed += sum(1 for b in passing if _names(b, names))
            if isinstance(n, ast.Call):
                called[id(n.func)] = n
                handed = _handed_call(n)
                if handed is not None:
                    called[id(handed.func)] = handed
                if isinstance(n.func, ast.Name) and n.func.id in ("isinstance", "issubclass") and len(n.args) == 2:
                    tested.update(id(a) for a in (n.args[1], *getattr(n.args[1], "elts", ())))
            if _exported(n, name):
                return False
            ref = (isinstance(n, ast.Name) and n.id in names) or (isinstance(n, ast.Attribute) and n.attr == name)
            if not ref or not isinstance(getattr(n, "ctx", None), ast.Load) or id(n) in tested:
                continue
            if in_class and isinstance(n, ast.Attribute) and foreign.receiver(n.value):
                continue  # `model = OnnxRVC(...)` then `model.inference(wav)`: another class's own method
            call = called.get(id(n))
            through = [call] if call is not None else tables.calls(n)
            if not through or not all(_passes(c, param, position, dicts) for c in through):
                return False  # used as a value, or a call that may leave the argument out
            calls += len(through)
    # an abstract class is built only as one of its subclasses: when each of those hands the parameter on,
    # nothing in the project runs its default, though nothing calls the constructor by the class's name
    return calls > 0 or subclassed > 0 and is_init and _abstract_class(func.parent.node)


def _own_init_passes(cls: ast.ClassDef, param: str, position: int | None, dicts: "_DictKeys") -> bool:
    """Whether subclass `cls` has its own `__init__` and each `super().__init__(...)` it makes passes
    `param`: building it runs no default of the base constructor's `param`. No `__init__` of its own
    (the base's runs), or the base's called by name (`Base.__init__(self)`): False. A subclass handing
    on a parameter of its own with a default (`def __init__(self, model_name='text-davinci-002')`) runs
    its own default, not the base's: that default is reported where it is written (`handed_defaults`)."""
    init = _own_init(cls)
    if init is None:
        return False
    for n in ast.walk(init):
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "__init__":
            if not _super_call(n) or not _passes(n, param, position, dicts):
                return False
    return True


def handed_defaults(cls: ast.ClassDef, base_init: ast.FunctionDef | ast.AsyncFunctionDef,
                    param: str) -> list[tuple[ast.FunctionDef | ast.AsyncFunctionDef, str]]:
    """The parameters of subclass `cls`'s own `__init__` that have a default (not None) and that it hands
    to `super().__init__` as the base constructor `base_init`'s `param` (`def __init__(self, api_key,
    model='gpt-4o'): super().__init__(model=model)`): (that `__init__`, the parameter), for each."""
    init = _own_init(cls)
    if init is None:
        return []
    args = init.args
    defaulted = {a.arg for a, d in zip([*args.posonlyargs, *args.args][::-1], args.defaults[::-1])
                 if not (isinstance(d, ast.Constant) and d.value is None)}
    defaulted.update(a.arg for a, d in zip(args.kwonlyargs, args.kw_defaults)
                     if d is not None and not (isinstance(d, ast.Constant) and d.value is None))
    position = _position(base_init, param, skip_self=True)
    out: list[tuple[ast.FunctionDef | ast.AsyncFunctionDef, str]] = []
    for n in ast.walk(init):
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "__init__" \
                and _super_call(n):
            given = next((k.value for k in n.keywords if k.arg == param), None)
            if given is None and position is not None and position < len(n.args):
                given = n.args[position]
            if isinstance(given, ast.Name) and given.id in defaulted and (init, given.id) not in out:
                out.append((init, given.id))
    return out


def _names(base: ast.expr, names: set[str]) -> bool:
    """The base-class expression names the class asked about (`Base`, `module.Base`)."""
    return isinstance(base, ast.Name) and base.id in names or isinstance(base, ast.Attribute) and base.attr in names


def _abstract_class(cls: ast.AST) -> bool:
    """A class with an abstract method (`@abstractmethod`, or a stub in an ABC; facades.is_abstract): it
    is not instantiated itself."""
    return isinstance(cls, ast.ClassDef) and any(
        isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef)) and is_abstract(st, cls) for st in cls.body)


def _own_init(cls: ast.ClassDef) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    return next((st for st in cls.body if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef))
                 and st.name == "__init__"), None)


def _super_call(call: ast.Call) -> bool:
    """`super().__init__(...)` (not `Base.__init__(self, ...)`)."""
    sup = call.func.value  # type: ignore[attr-defined]
    return isinstance(sup, ast.Call) and isinstance(sup.func, ast.Name) and sup.func.id == "super"


def _static_members(cls: ast.AST) -> frozenset[str]:
    """The names a class body defines that build no instance when read on the class: its methods,
    static methods and attributes, and a classmethod that uses its `cls` only to read those."""
    out: set[str] = set()
    classmethods = []
    for st in getattr(cls, "body", ()):
        if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if any(isinstance(d, ast.Name) and d.id == "classmethod" for d in st.decorator_list):
                classmethods.append(st)
            else:
                out.add(st.name)
        elif isinstance(st, ast.Assign):
            out.update(t.id for t in st.targets if isinstance(t, ast.Name))
        elif isinstance(st, ast.AnnAssign) and isinstance(st.target, ast.Name):
            out.add(st.target.id)
    for fn in classmethods:
        first = fn.args.posonlyargs[:1] or fn.args.args[:1]
        if first and _reads_only(fn, first[0].arg, out):
            out.add(fn.name)
    return frozenset(out)


def _reads_only(fn: ast.AST, name: str, members: set[str]) -> bool:
    """Whether every use of `name` in `fn`'s body reads one of `members` (`cls.LIMIT`, `cls.helper(x)`)."""
    reading = {id(n.value) for n in ast.walk(fn) if isinstance(n, ast.Attribute) and n.attr in members}
    return all(id(n) in reading for n in ast.walk(fn) if isinstance(n, ast.Name) and n.id == name)


def _annotation_names(n: ast.AST) -> list[ast.AST]:
    """The nodes inside the annotations a definition, parameter or annotated assignment writes."""
    if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
        notes = [n.returns]
    else:
        notes = [n.annotation]  # type: ignore[attr-defined]
    return [x for a in notes if a is not None for x in ast.walk(a)]


def project_files(project: "Project", tests: bool) -> list["ModuleSource"]:
    """The project's test files (by their path, evidence.is_test_path), or its other files; split once."""
    split = project.__dict__.get("_callers_split")
    if split is None:
        split = project.__dict__["_callers_split"] = ([], [])
        for ms in list(project.by_path.values()):
            split[is_test_path(ms.relpath)].append(ms)
    return split[tests]


def _local_names(project: "Project", ms: "ModuleSource", tree: ast.Module, name: str,
                 home: "ModuleSource") -> set[str]:
    """The names module `ms` calls the function (defined in `home`) by: its own, and those it imports
    it under (`from .llm.claude_llm import AsyncLLM as ClaudeLLM`, or through a package re-exporting
    it). A module importing a same-named function that another module defines (`from
    .openai_compatible_llm import AsyncLLM`), or defining one itself, means that one by the bare name."""
    out = {name}
    imported = False
    for n in tree.body if isinstance(tree, ast.Module) else ():
        if not isinstance(n, ast.ImportFrom) or not any(a.name == name for a in n.names):
            continue
        imported = True
        target = project.from_module(ms, n.level, n.module or "")  # where `_import_def` follows it
        if target is None:
            ours = (n.module or "").rsplit(".", 1)[-1] == home.path.stem
        else:  # the module itself, or one that imports it on (a package's `__init__` re-export), not
            # the package's submodule of that name (`from nodes import LLMNode` beside nodes/LLMNode.py)
            ours = target is home or not _defines(target, name) and not _submodule(project, ms, n, name, target)
        for a in n.names:
            if a.name != name:
                continue
            if ours and a.asname:
                out.add(a.asname)
            elif not ours and not a.asname:
                out.discard(name)
    if not imported and ms is not home and _defines(ms, name):
        out.discard(name)  # another module's own function of that name (eval/synthesize.py's `synth`)
    return out


def _submodule(project: "Project", ms: "ModuleSource", imp: ast.ImportFrom, name: str,
               package: "ModuleSource") -> bool:
    """Whether `from pkg import name` in `ms` reads a module of the project, pkg/name.py: Python
    imports the submodule only when the package's `__init__` (`package`) binds no `name` at its top
    level (an import, `from .LLMNode import LLMNode` re-exporting the class, an assignment or a
    definition)."""
    info = project.module_info(package)
    if info is None or name in info.scope.bindings:
        return False
    mod = f"{imp.module}.{name}" if imp.module else name
    found = project.from_module(ms, imp.level, mod)
    return found is not None and found.path.stem == name


def _defines(ms: "ModuleSource", name: str) -> bool:
    """Whether the module's text defines `name` (a class or function of that name)."""
    raw = _raw(ms)
    return raw is not None and re.search(rb"(?m)^\s*(?:async\s+)?(?:def|class)\s+" + re.escape(name.encode()) + rb"\b",
                                         raw) is not None


_POOLS = {None: "all", False: "code", True: "tests"}


def naming_files(project: "Project", name: str, cap: int,
                 tests: Optional[bool] = None) -> Optional[list["ModuleSource"]]:
    """The project's files (its test files for `tests` True, its other files for False, as
    `project_files` splits them) that name `name` as a word; None when more than `cap` do (a name
    too common to follow). Each file found is recorded as a data file of the result being worked out
    (`templates.READS`), and so is the search (`names_key`): a cached result is recomputed when a
    file it read changes, and when another file starts naming `name` (a new caller)."""
    files = _naming(project, name, cap, tests)
    note_reads(str(ms.path) for ms in files or ())
    key = f"{NAMES_KEY}{_POOLS[tests]}:{cap}:{name}"
    note_reads([key], lambda: _names_digest(files))
    return files


def names_digest(project: "Project", key: str) -> Optional[str]:
    """What the word search `key` (a `NAMES_KEY` entry of `READS`) finds in `project` now, as
    `naming_files` recorded it; None for a key of another shape. Memoised per project and key."""
    memo = project.__dict__.setdefault("_names_digests", {})
    if key not in memo:
        pool, _, rest = key[len(NAMES_KEY):].partition(":")
        cap, _, name = rest.partition(":")
        tests = next((t for t, p in _POOLS.items() if p == pool), "?")
        memo[key] = _names_digest(_naming(project, name, int(cap), tests)) \
            if tests != "?" and cap.isdigit() and name else None  # type: ignore[arg-type]
    return memo[key]


def names_anew(project: "Project", reads: dict, changed: set[str]) -> bool:
    """Whether a file of `changed` (relpaths) names the word of one of the searches `reads` records
    (`NAMES_KEY` entries) and is no file `reads` holds: a file the search would find now and did not
    then (a file it found that changed shows as a changed data file)."""
    held = set(reads)
    words = [key[len(NAMES_KEY):].split(":", 2) for key in reads if key.startswith(NAMES_KEY)]
    for rel in changed:
        ms = project.by_rel(rel)
        raw = _raw(ms) if ms is not None and str(ms.path) not in held else None
        if raw is None:
            continue
        test = is_test_path(rel)
        for pool, _, name in words:
            if pool != _POOLS[not test] and name.encode() in raw and \
                    re.search(rb"(?<!\w)" + re.escape(name.encode()) + rb"(?!\w)", raw) is not None:
                return True
    return False


def _names_digest(files: Optional[list["ModuleSource"]]) -> str:
    if files is None:
        return "names:over"
    return "names:" + hashlib.sha256("\n".join(sorted(ms.relpath for ms in files)).encode("utf-8", "replace")).hexdigest()


def _naming(project: "Project", name: str, cap: int, tests: Optional[bool]) -> Optional[list["ModuleSource"]]:
    """`naming_files`' search, recording nothing. Answered by scanning the files' bytes until they have
    been scanned `INDEX_AFTER` times over, then from the project's word index (`_word_index`), built then
    and shared by all later questions."""
    among = None if tests is None else project_files(project, tests)
    word = name.encode()
    scanned = project.__dict__.get("_naming_scanned", 0)
    if word.isascii() and scanned > INDEX_AFTER * len(project.by_path):
        named = _word_index(project).get(word, ())
        if among is not None:
            keep = _members(project, among)
            named = [ms for ms in named if id(ms) in keep]
        files = list(named)
        if len(files) > cap:
            return None
    else:  # the first questions (or a non-ASCII name, the index holds ASCII words only): a scan each
        files = []
        whole = re.compile(rb"(?<!\w)" + re.escape(word) + rb"(?!\w)")  # a word, as the index holds it
        # a name of word bytes only is searched in the word runs the prefilter kept, where they are kept
        padded = b" " + word + b" " if word and word_runs(word) == {word} else None
        pool = among if among is not None else list(project.by_path.values())
        project.__dict__["_naming_scanned"] = scanned + len(pool)
        for ms in pool:
            raw = _raw(ms)
            if raw is None:
                continue
            kept = ms.words
            if padded is not None and kept is not None and kept[0] is raw:
                found = padded in kept[1]
            else:
                found = word in raw and whole.search(raw) is not None
            if found:
                files.append(ms)
                if len(files) > cap:
                    return None
    return files


def _raw(ms: "ModuleSource") -> Optional[bytes]:
    if ms.raw is None:
        try:
            ms.read()
        except SourceError:
            return None  # unreadable: reported as TKL000 where it is checked, holds no call
    return ms.raw


def _word_index(project: "Project") -> dict[bytes, list["ModuleSource"]]:
    """Word -> the project's files whose bytes hold it as a whole word (ASCII letters, digits and `_`,
    as `prefilter.identifiers` splits them), in the project's order: built once per run, the first
    time a function's callers are searched (each search used to read every file's bytes again)."""
    index = project.__dict__.get("_word_index")
    if index is None:
        from tokenlint.prefilter import identifiers

        index = {}
        for ms in list(project.by_path.values()):
            raw = _raw(ms)
            if raw is None:
                continue
            for w in identifiers(raw):
                files = index.get(w)
                if files is None:
                    index[w] = [ms]
                else:
                    files.append(ms)
        project.__dict__["_word_index"] = index
    return index


def _members(project: "Project", among: list["ModuleSource"]) -> set[int]:
    """The ids of `among`'s files, kept per list (the callers' split of a project is made once)."""
    kept = project.__dict__.setdefault("_word_index_among", {})
    got = kept.get(id(among))
    if got is None or got[0] is not among:
        got = kept[id(among)] = (among, {id(ms) for ms in among})
    return got[1]


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


def _passes(call: ast.Call, param: str, position: int | None, dicts: Optional["_DictKeys"] = None) -> bool:
    """Whether the call gives `param`: by its keyword, or positionally before any `*args` (then a
    `**kwargs` beside cannot carry it too), or in a `**kwargs` that is a dict built once in the calling
    function with that key written (`kwargs = dict(model=model, **extra)`); otherwise `*args` /
    `**kwargs` may or may not carry it."""
    if any(k.arg == param for k in call.keywords):
        return True
    if dicts is not None and any(k.arg is None and dicts.has(k.value, param, call) for k in call.keywords):
        return True
    starred = next((i for i, a in enumerate(call.args) if isinstance(a, ast.Starred)), len(call.args))
    return position is not None and starred > position


def _exported(n: ast.AST, name: str) -> bool:
    """`__all__ = [..., "name", ...]`: the module offers it to code outside the project."""
    if not (isinstance(n, (ast.Assign, ast.AugAssign)) and isinstance(n.value, (ast.List, ast.Tuple))):
        return False
    targets = n.targets if isinstance(n, ast.Assign) else [n.target]
    return any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets) and any(
        isinstance(e, ast.Constant) and e.value == name for e in n.value.elts)


# runners calling the function handed to them with the arguments that follow it, by the function's position:
# an executor's `submit`, an event loop's `run_in_executor`, `asyncio.to_thread`, and `functools.partial`
# (which binds them for a later call: an argument it leaves out may still come then, so it counts as a call
# that leaves it out). A call of the function as much as one written with its name.
_RUNNERS = {"submit": 0, "run_in_executor": 1, "to_thread": 0, "partial": 0}


def _handed_call(call: ast.Call) -> Optional[ast.Call]:
    """`pool.submit(f, a, b=c)` read as the call `f(a, b=c)` it makes (the same for the other `_RUNNERS`);
    None for another call, or when the function's place is reached through `*args`."""
    at = _RUNNERS.get(decorator_name(call.func)) if isinstance(call.func, (ast.Name, ast.Attribute)) else None
    if at is None or len(call.args) <= at or any(isinstance(a, ast.Starred) for a in call.args[:at + 1]):
        return None
    return ast.copy_location(ast.Call(func=call.args[at], args=call.args[at + 1:], keywords=call.keywords), call)


class _DictKeys:
    """The keys written in the dicts a module's functions build once and unpack into a call
    (`kwargs = dict(model_name=name, **extra)` then `helper(x, **kwargs)`): such a call gives those keys.
    A name stored more than once in its function, a parameter, or a dict something may change (an item
    stored or deleted, `pop`, `update`) gives none. Worked out per function, when a call first asks."""

    def __init__(self, tree: ast.AST) -> None:
        self._tree = tree
        self._functions: Optional[list[ast.AST]] = None
        self._built: dict[int, dict[str, frozenset[str]]] = {}

    def has(self, value: ast.expr, key: str, call: ast.Call) -> bool:
        if not isinstance(value, ast.Name):
            return False
        fn = self._around(call)
        if fn is None:
            return False
        built = self._built.get(id(fn))
        if built is None:
            built = self._built[id(fn)] = _built_dicts(fn)
        return key in built.get(value.id, ())

    def _around(self, call: ast.Call) -> Optional[ast.AST]:
        """The innermost function whose lines hold the call."""
        if self._functions is None:
            self._functions = [n for n in ast.walk(self._tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        line = getattr(call, "lineno", None)
        if line is None:
            return None
        best = None
        for fn in self._functions:
            if fn.lineno <= line <= (fn.end_lineno or fn.lineno) and (best is None or fn.lineno >= best.lineno):
                best = fn
        return best


def _built_dicts(fn: ast.AST) -> dict[str, frozenset[str]]:
    """Name -> the keys of the one dict `fn` binds it to (`dict(k=...)` or `{"k": ...}`), for the names
    stored once there, never a parameter, never changed (`scope.changes_dict`)."""
    args = fn.args  # type: ignore[attr-defined]
    params = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg) if a}
    stores: dict[str, int] = {}
    keys: dict[str, frozenset[str]] = {}
    for n in ast.walk(fn):
        if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)):
            stores[n.id] = stores.get(n.id, 0) + 1
        if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name):
            written = written_items(n.value)
            if written:
                keys[n.targets[0].id] = frozenset(written)
    return {k: v for k, v in keys.items() if stores.get(k) == 1 and k not in params and not changes_dict(fn, k)}


class _Tables:
    """The dicts of functions a module's functions build once and use only by calling an entry
    (`factory = {"ppt": ppt_report, "md": md_report}` then `factory[kind](task, files, model)`, every load of
    the name so): an entry's calls are those calls. A name stored more than once in its function, a
    parameter, a dict something may change, or one read any other way (`factory.get(kind)`, handed on,
    returned) gives none. Worked out for the whole module when an entry is first asked about."""

    def __init__(self, tree: ast.AST) -> None:
        self._tree = tree
        self._entries: Optional[dict[int, list[ast.Call]]] = None

    def calls(self, ref: ast.AST) -> list[ast.Call]:
        """The calls made of the function `ref` names as an entry of such a dict; [] when it is none."""
        if self._entries is None:
            self._entries = {}
            for fn in ast.walk(self._tree):
                if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    self._read(fn)
        return self._entries.get(id(ref), [])

    def _read(self, fn: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        args = fn.args
        params = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg) if a}
        tables: dict[str, ast.Dict] = {}
        stores: dict[str, int] = {}
        loads: dict[str, int] = {}
        called: dict[str, list[ast.Call]] = {}
        shared: set[str] = set()  # `global T` / `nonlocal T`: the table is read elsewhere too
        for n in ast.walk(fn):
            if isinstance(n, (ast.Global, ast.Nonlocal)):
                shared.update(n.names)
            elif isinstance(n, ast.Name):
                counts = loads if isinstance(n.ctx, ast.Load) else stores
                counts[n.id] = counts.get(n.id, 0) + 1
            elif isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name) \
                    and isinstance(n.value, ast.Dict) and None not in n.value.keys:
                tables[n.targets[0].id] = n.value
            elif isinstance(n, ast.Call) and isinstance(n.func, ast.Subscript) and isinstance(n.func.value, ast.Name):
                called.setdefault(n.func.value.id, []).append(n)
        for name, table in tables.items():
            calls = called.get(name, [])
            if stores.get(name) != 1 or name in params or name in shared or not calls or loads.get(name) != len(calls) \
                    or changes_dict(fn, name):
                continue
            for v in table.values:
                if isinstance(v, ast.Name):
                    self._entries[id(v)] = calls  # type: ignore[index]


class _Foreign:
    """Receivers, in one module, that are instances of another project class defining its own method of
    the name asked about: every assignment to the name in the module is `x = Other(...)`, `Other` is
    not the method's class and is defined (in the module, or in the project module it is imported
    from) with a method of that name. A call on them runs that class's method, not the one asked about."""

    def __init__(self, project: "Project", ms: "ModuleSource", tree: ast.AST, method: str,
                 own: Optional[str]) -> None:
        self._project, self._ms, self._tree, self._method, self._own = project, ms, tree, method, own
        self._built: Optional[dict[str, set[str]]] = None
        self._memo: dict[str, bool] = {}

    def receiver(self, e: ast.expr) -> bool:
        if not isinstance(e, ast.Name) or self._own is None:
            return False
        if self._built is None:
            self._built = {}
            assigned: set[int] = set()
            for n in ast.walk(self._tree):
                if isinstance(n, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
                    value = n.value
                    targets = n.targets if isinstance(n, ast.Assign) else [n.target]
                    cls = value.func.id if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) else "?"
                    for t in targets:
                        for x in ast.walk(t):
                            if isinstance(x, ast.Name):
                                assigned.add(id(x))
                                self._built.setdefault(x.id, set()).add(cls if x is t else "?")
                elif isinstance(n, ast.arg):  # a parameter of that name: whatever the callers hand in
                    self._built.setdefault(n.arg, set()).add("?")
                elif isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store) and id(n) not in assigned:
                    self._built.setdefault(n.id, set()).add("?")  # a `for` / `with` target...
        classes = self._built.get(e.id, set())
        if len(classes) != 1:
            return False
        cls = next(iter(classes))
        if cls in ("?", self._own):
            return False
        if cls not in self._memo:
            self._memo[cls] = self._defines_method(cls)
        return self._memo[cls]

    def _defines_method(self, cls: str) -> bool:
        """Whether class `cls`, as the module names it, is defined with its own method `self._method`."""
        home = self._ms
        for n in getattr(self._tree, "body", ()):
            if isinstance(n, ast.ImportFrom) and any(a.name == cls and not a.asname for a in n.names):
                home = self._project.from_module(self._ms, n.level, n.module or "")  # type: ignore[assignment]
        info = self._project.module_info(home) if home is not None else None
        if info is None:
            return False
        return any(isinstance(c, ast.ClassDef) and c.name == cls and any(
            isinstance(d, (ast.FunctionDef, ast.AsyncFunctionDef)) and d.name == self._method for d in c.body)
            for c in info.tree.body)
