"""Decide from bytes alone which files can hold an LLM call site, so only those are parsed.

A file can matter when its bytes name an SDK (a provider package, a LangChain model class, a
request-method chain the resolver recognises on untyped receivers, a request only framework objects
make, such as `.astream_events(`, on any receiver) or an HTTP library together with
an LLM endpoint's URL fragment, or when it names a project
module that itself holds call sites or clients (a wrapper's callers, a shared client's users).
The second set is found by iterating: analyse the candidates, learn which modules matter, scan the
remaining files for those module names, repeat until nothing new turns up.
"""

from __future__ import annotations

import os
import re

from tokenlint.catalog import Constructor, SdkCatalog, load_model_catalog

# Package prefixes too generic to mark a file on their own; the next component is used instead.
_GENERIC = {"google", "azure", "ai", "cloud", "lib", "client", "sdk", "chat_models", "llms", "aio"}


def _distinctive(qual: str) -> str | None:
    for part in qual.split("."):
        if part and part not in _GENERIC:
            return part
    return None


# Class names too generic to mark a file; the package's distinctive name is used instead.
_GENERIC_CLASSES = {"Client", "AsyncClient", "ClientV2", "AsyncClientV2", "Session", "Router", "Chat", "Embeddings",
                    "Writer", "AsyncWriter", "Embedding", "Completion", "ChatCompletion", "Reranker", "Recognition",
                    "SpeechSynthesizer", "SpeechRecognizer", "Transcriber", "AsyncTranscriber", "Model", "Agent",
                    "Claude", "OpenRouter", "Redis", "WebsocketClient", "BatchClient",
                    # builder functions named as everyday code names them (Django's `apps.get_model`): Inspect's
                    # `inspect_ai.model.get_model` marks a file by its package
                    "get_model"}


# model interfaces named as projects name their own base classes (chatgpt-on-wechat's `LLMModel`): a
# file naming one is not marked by it
_PROJECT_INTERFACES = {"LLMModel", "LanguageModel", "EmbeddingModel", "SpeechToTextModel", "TextToSpeechModel"}


def marker_patterns(cat: SdkCatalog) -> tuple[set[str], set[str]]:
    """Regex fragments whose presence means a file may hold a call site.

    Precision matters as much as recall: in an SDK-heavy codebase "openai" appears in every file
    that imports a type, so a module counts only where it is imported as a module
    (`import openai`, `from openai import ...`) or called through (`openai.chat...`).
    """
    words: set[str] = set()
    mods: set[str] = set()
    for ct in cat.client_types.values():
        for path in ct.methods:
            parts = path.split(".")
            if len(parts) >= 2:
                words.add(".".join(parts[-2:]))
    for mod, ct in cat.modules.items():
        mods.add(mod)
        for path in ct.methods:
            words.add(f"{mod.rsplit('.', 1)[-1]}.{path.split('.')[0]}")
    for name in list(cat.factories) + list(cat.passthrough_functions) + list(cat.wrappers) + \
            list(cat.from_model_string) + list(cat.session_functions):
        w = _distinctive(name)
        if w:
            words.add(w)
    # a framework whose package is a common word (`agents`): its classes mark a file only where it imports them
    by_import = {name for name, fw in cat.frameworks.items() if fw.prefilter == "import"}
    for index in (cat.constructors, cat.runners, cat.spending_builds):
        for last, bucket in index._by_last.items():  # noqa: SLF001 - same package
            for mod, value in bucket:
                if (value.sdk if isinstance(value, Constructor) else value[0]) in by_import:
                    mod = mod or last  # a module's own functions (`alpaca_eval` for `alpaca_eval.evaluate`)
                    mods.update(".".join(mod.split(".")[:i]) for i in range(1, mod.count(".") + 2))
    for index in (cat.classes, cat.constructors):
        for last, bucket in index._by_last.items():  # noqa: SLF001 - same package
            if index is cat.constructors:
                # a class of a constructor family's modules (`langchain_community.llms.AlephAlpha`) marks a file
                # where it is imported from there (family_markers), as the family's unlisted classes do: its
                # name alone (`Anthropic`, `Cohere`) or its package (`langchain`) is in too many files
                bucket = [(mod, v) for mod, v in bucket if v.sdk not in by_import
                          and not cat.constructors.covered(f"{mod}.{last}")]
                if not bucket:
                    continue
            owners = [mod.rpartition(".")[2] for mod, _ in bucket]
            if last[:1].islower() and all(o[:1].isupper() for o in owners):
                # a class method that builds the client (`TextEmbeddingModel.from_pretrained`): marked by
                # its class's name, not by the method's (`from_pretrained` is everywhere)
                words.update(o for o in owners if o not in _GENERIC_CLASSES and len(o) >= 5)
            elif last not in _GENERIC_CLASSES and len(last) >= 5:
                words.add(last)
            else:
                for mod, value in bucket:
                    w = _distinctive(mod)
                    if w and getattr(value, "prefilter", "") == "dotted":  # an English word (replicate):
                        words.add(f"{w}.{last}")  # `replicate.Client`; imports are found by the module check
                    elif w:
                        words.add(w)
    for bucket in cat.agent_builders._by_last.values():  # noqa: SLF001 - `from langchain.agents import create_agent`:
        mods.update(mod for mod, _fw in bucket)  # an agent runs a model even when the one handed is not followed
    # runners that spend only through a model object they hold (`held_only`: LangChain vector stores)
    held = {name for name, fw in cat.frameworks.items() if fw.held_only}
    for last, bucket in cat.runners._by_last.items():  # noqa: SLF001 - `Crew`, `Task`: the package's name
        if all(v[0] in held for _mod, v in bucket):
            # a store's package is langchain_community itself (every file of a LangChain project names it):
            # its class marks the file (`FAISS`, `PGVector`); the embeddings it holds mark theirs
            if last not in _GENERIC_CLASSES and len(last) >= 5:
                words.add(last)  # the interface too: `store: VectorStore` is a store chosen by the caller
            continue
        words.update(w for w in (_distinctive(mod) for mod, v in bucket if v[0] not in by_import and v[0] not in held) if w)
    for bucket in cat.call_decorators._by_last.values():  # noqa: SLF001 - `@llm.call(...)`: the decorator's package
        words.update(w for w in (_distinctive(mod) for mod, _entry in bucket) if w)
    for inf in cat.inferred:
        words.add(".".join(inf.chain[-2:]) if len(inf.chain) > 1 else inf.chain[0])
    words.update(cat.module_aliases)
    return words, mods


# Linear by construction, as every regex run on a file's bytes must be: the dots and the module name
# cannot trade characters (`(\.*)([\w.]*)` backtracked quadratically over `from .....`), and a name
# list in parentheses stops at the next parenthesis (an unclosed one scanned to the end of the file,
# once per import).
FROM_IMPORT = re.compile(rb"(?m)^[ \t]*from[ \t]+(\.*)((?:\w[\w.]*)?)[ \t]+import[ \t]+(\([^()]*\)|[^\n#;]*)")
ALL = None  # a star import: every name may be re-exported


def _imported_names(spec: bytes) -> list[tuple[str, str]]:
    """(name, bound as) pairs of a from-import's name list."""
    out = []
    for item in spec.decode("utf-8", "replace").strip("() \t\r\n").replace("\n", ",").split(","):
        item = item.split("#")[0].strip()
        if not item:
            continue
        name, _, alias = item.partition(" as ")
        out.append((name.strip(), (alias or name).strip()))
    return out


class Reexports:
    """Packages that re-export what modules that matter define: `__init__.py` relpath -> the names it
    binds from them (None: a star import, any name). `from .llm import ask` in `app/__init__.py`
    makes `from app import ask` as good as importing `app.llm`, while `from app import settings` is
    not: matching the names keeps a package that imports everything (langchain_community's lazy
    `chat_models`) from making all its importers candidates. Followed through packages of packages.
    Each package's imports are read once (from its bytes, never parsed)."""

    def __init__(self, project) -> None:  # type: ignore[no-untyped-def]
        self.packages = [ms for ms in project.by_path.values() if ms.is_package]
        self.imports: dict[str, list] = {}
        for ms in self.packages:
            try:
                raw = ms.raw if ms.raw is not None else _read(ms)
            except OSError:
                continue
            rows = []
            for m in FROM_IMPORT.finditer(raw):
                level, mod = len(m.group(1)), m.group(2).decode("utf-8", "replace")
                names = _imported_names(m.group(3))
                if level:
                    src = project.relative_module(ms, level, mod)
                    subs = {n: project.relative_module(ms, level, f"{mod}.{n}" if mod else n) for n, _ in names
                            if n != "*"}
                else:
                    src = project.find_module(mod, ms) if mod else None
                    subs = {n: project.find_module(f"{mod}.{n}", ms) for n, _ in names if n != "*"} if mod else {}
                rows.append((src, names, {n: sub.relpath for n, sub in subs.items() if sub is not None}))
            if rows:
                self.imports[ms.relpath] = rows

    def compute(self, relevant: set[str]) -> dict[str, "frozenset[str] | None"]:
        found: dict[str, "frozenset[str] | None"] = {}
        changed = True
        while changed:
            changed = False
            for rel, rows in self.imports.items():
                cur = found.get(rel, frozenset())
                if cur is None:
                    continue
                add: set[str] = set()
                every = False
                for src, names, subs in rows:
                    for name, bound in names:
                        if subs.get(name) in relevant:  # `from . import llm`: the module itself
                            add.add(bound)
                    if src is None or src.relpath == rel:
                        continue
                    if src.relpath in relevant or (src.relpath in found and found[src.relpath] is None):
                        every = every or any(n == "*" for n, _ in names)
                        add.update(b for n, b in names if n != "*")
                    elif src.relpath in found:
                        given = found[src.relpath] or frozenset()
                        add.update(b for n, b in names if n in given)
                if every:
                    found[rel] = None
                    changed = True
                elif add - cur:
                    found[rel] = cur | add
                    changed = True
        return found


def _read(ms):  # type: ignore[no-untyped-def]
    from tokenlint.project import read_source_bytes

    ms.raw = read_source_bytes(ms.path)
    return ms.raw


# The heads of a file's import statements (`from X`, `import X`): a literal-led scan, several times
# cheaper than one pattern starting with `(?:from|import)`. The name is matched in a lookahead, so a
# head cannot hide the next one.
_FROM_HEAD = re.compile(rb"from[ \t]+(?=([\w.]+))")
_IMPORT_HEAD = re.compile(rb"import[ \t]+(?=([\w.]+))")
# after a from-import's module: its name list, inside one pair of parentheses or on one logical line
# (a backslash continues it) and before the next `import`. Each scan stops where the next import's
# would start, so the work stays linear however many imports share a line or miss their closing
# parenthesis (scanning to the end of the line or file, once per import, took minutes on a few
# hundred kilobytes).
_LISTED = re.compile(rb"[ \t]+import[ \t]*(?:\(([^()]*)|((?:(?!import(?!\w))(?:[^\n(\\]|\\\r?\n|\\))*))")
_LISTED_NAME = re.compile(rb"(?<![\w.])\w+")
# a module imported by its name written as a literal (`importlib.import_module("app.generator")`,
# `__import__("app.llm")`): an import of it, its classes then fetched by name (`getattr(mod, "Bot")`)
_DYNAMIC_HEAD = re.compile(rb"(?:import_module|__import__)\s*\(\s*[\"']([\w.]+)[\"']")
# after `import pkg`: the end of that name
_BARE_END = re.compile(rb"[ \t]*(?:$|[,;#\r\n]| as )")


class _Heads:
    """A file's import heads, read once per run however many rounds ask: the absolute module names
    (each with the positions just after it) and their first components, and the relative ones of
    from-imports."""

    __slots__ = ("absolute", "tops", "relative", "dynamic")

    def __init__(self, raw: bytes) -> None:
        self.absolute: dict[bytes, list[int]] = {}
        self.relative: list[tuple[bytes, int]] = []
        for rx in (_FROM_HEAD, _IMPORT_HEAD):
            for m in rx.finditer(raw):
                head = m.group(1)
                if head[:1] != b".":
                    self.absolute.setdefault(head, []).append(m.end() + len(head))
                elif rx is _FROM_HEAD:
                    self.relative.append((head, m.end() + len(head)))
        # a module named by a head's dotted prefix shares its first component: most files share none
        # with a matcher's modules, and their heads' prefixes are never spelled out
        self.tops = frozenset(head.partition(b".")[0] for head in self.absolute)
        self.dynamic: frozenset[bytes] = frozenset(_DYNAMIC_HEAD.findall(raw)) \
            if b"import_module" in raw or b"__import__" in raw else frozenset()


def _under(head: bytes, modules: "set[bytes]") -> bool:
    """Whether `head` is one of `modules` or inside one (`app.llm.sub` under `app.llm`)."""
    while True:
        if head in modules:
            return True
        cut = head.rfind(b".")
        if cut < 0:
            return False
        head = head[:cut]


def _listed(raw: bytes, at: int) -> "tuple[bool, set[bytes]] | None":
    """The from-import name list starting at `at` (just after the module): whether it is `*`, and its
    names; None when no `import` follows."""
    m = _LISTED.match(raw, at)
    if m is None:
        return None
    if m.group(1) is not None:
        return False, set(_LISTED_NAME.findall(raw, m.start(1), m.end(1)))
    return raw.startswith(b"*", m.start(2)), set(_LISTED_NAME.findall(raw, m.start(2), m.end(2)))


class ImportMatcher:
    """Whether a file imports one of some project modules: by their full dotted name from anywhere
    (`from app.llm import ask`, `import app.llm`, `from app import llm`), or by a relative import
    from the module's own folder or below (`from .llm import ask`, `from .. import llm`), or by its bare
    name from a script beside it (`from llm import ask`). Matching full names keeps this precise in big
    packages where every folder has its own `base.py`.

    Each file's import heads are read once (`heads`, shared by the matchers of one run); a matcher
    then answers with set lookups, whatever the number of modules."""

    def __init__(self, modules: list, names: "dict | None" = None, project=None,  # type: ignore[no-untyped-def]
                 heads: "dict | None" = None) -> None:
        """`modules`: ModuleSources; `names`: for packages (ModuleSource -> frozenset of names), only
        importing one of those names from it counts (`import pkg` and `from pkg import *` always do);
        `project`: also match each module's name from a package folder on the path (`Project.path_name`);
        `heads`: relpath -> (the bytes read, their import heads), kept between matchers of one run."""
        self.heads: dict = heads if heads is not None else {}
        self.prefixes: set[bytes] = set()  # `import app.llm`, `from app.llm(.sub) import x`
        # `from app import llm` (names: {llm}), `from pkg import ask` / `*` / `import pkg`
        self.exact: dict[bytes, list[tuple[frozenset, bool]]] = {}
        # relative imports, by the folder whose files (and those below) may make them: the modules'
        # names, and the packages' names with the names that count
        self.rel_modules: dict[str, set[bytes]] = {}
        self.rel_packages: dict[str, dict[bytes, frozenset]] = {}
        self.rel_paths: set[str] = set()  # relative imports from a folder above (`from .utils.llm import ask`)
        for ms, allowed in (names or {}).items():
            if not allowed:
                continue
            words = frozenset(n.encode() for n in allowed)
            if ms.dotted:
                self.exact.setdefault(ms.dotted.encode(), []).append((words, True))
            folder = ms.relpath.rsplit("/", 1)[0] if "/" in ms.relpath else ""
            parent = folder.rsplit("/", 1)[0] if "/" in folder else ""
            last = (folder.rsplit("/", 1)[-1] if folder else "").encode()
            if last:
                known = self.rel_packages.setdefault(parent, {})
                known[last] = known.get(last, frozenset()) | words
        for ms in modules:
            for dotted in (ms.dotted, *((project.path_name(ms), *project.other_names(ms)) if project is not None else ())):
                if not dotted:
                    continue
                parent, _, last = dotted.rpartition(".")
                self.prefixes.add(dotted.encode())
                if parent:
                    self.exact.setdefault(parent.encode(), []).append((frozenset({last.encode()}), False))
            folder = ms.relpath.rsplit("/", 1)[0] if "/" in ms.relpath else ""
            last = ms.relpath.rsplit("/", 1)[-1].removesuffix(".py")
            if last == "__init__":
                last = folder.rsplit("/", 1)[-1] if folder else ""
            if last:
                self.rel_modules.setdefault(folder, set()).add(last.encode())
            # the module's path less `.py` (a package's: its folder), for relative imports from above
            self.rel_paths.add(ms.relpath.removesuffix(".py").removesuffix("/__init__"))
        self.tops = frozenset(p.partition(b".")[0] for p in self.prefixes)  # see `_Heads.tops`

    def imports(self, ms) -> bool:  # type: ignore[no-untyped-def]
        raw = ms.raw or b""
        if b"import" not in raw:
            return False
        kept = self.heads.get(ms.relpath)
        if kept is not None and kept[0] is raw:
            heads = kept[1]
        else:
            heads = _Heads(raw)
            self.heads[ms.relpath] = (raw, heads)
        if not heads.tops.isdisjoint(self.tops) and any(_under(h, self.prefixes) for h in heads.absolute):
            return True
        for head in heads.absolute.keys() & self.exact.keys():
            for at in heads.absolute[head]:
                for allowed, package in self.exact[head]:
                    if package and _BARE_END.match(raw, at):
                        return True  # import pkg
                    listed = _listed(raw, at)
                    if listed is not None and ((package and listed[0]) or not listed[1].isdisjoint(allowed)):
                        return True
        for head in heads.dynamic:  # `import_module("app.llm")`: as `import app.llm`
            if _under(head, self.prefixes) or any(package for _allowed, package in self.exact.get(head, ())):
                return True
        # a script's import of a module beside it (`from crew import StockCrew` in the folder holding
        # crew.py): run directly, a file has its own folder first on the path (Project._beside_script)
        beside = self.rel_modules.get(ms.relpath.rsplit("/", 1)[0] if "/" in ms.relpath else "")
        if beside and not heads.tops.isdisjoint(beside):
            return True
        if heads.relative and (self.rel_modules or self.rel_packages):
            return self._relative(raw, ms.relpath, heads.relative)
        return False

    def _relative(self, raw: bytes, relpath: str, relative: list[tuple[bytes, int]]) -> bool:
        here = relpath.rsplit("/", 1)[0] if "/" in relpath else ""
        folders = [""]
        if here:
            parts = here.split("/")
            folders += ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
        modules: set[bytes] = set()
        packages: dict[bytes, frozenset] = {}
        for f in folders:
            modules.update(self.rel_modules.get(f, ()))
            for name, words in self.rel_packages.get(f, {}).items():
                packages[name] = packages.get(name, frozenset()) | words
        if self.rel_paths and any(_relative_target(here, head) in self.rel_paths for head, _ in relative):
            return True
        if not modules and not packages:
            return False
        for head, at in relative:
            parts = head.lstrip(b".").split(b".") if head.strip(b".") else []
            if not parts:  # `from . import llm`, `from .. import pkg`
                listed = _listed(raw, at)
                if listed is not None and not listed[1].isdisjoint(modules.union(packages)):
                    return True
                continue
            for part in parts:  # `from .llm import ask`, `from ..app.llm.sub import x`
                if part in modules:
                    return True
                if not part:
                    break
            if parts[-1] in packages:  # `from .pkg import ask`
                listed = _listed(raw, at)
                if listed is not None and (listed[0] or not listed[1].isdisjoint(packages[parts[-1]])):
                    return True
        return False


def _relative_target(here: str, head: bytes) -> str:
    """The relpath (less `.py`) a relative import's module names from a file in folder `here`
    (`.utils.llm` from `app` -> `app/utils/llm`; `..llm` from `app/jobs` -> `app/llm`); "" when it
    climbs above the root or names no module (`from . import x`)."""
    text = head.decode("ascii", "replace")
    rest = text.lstrip(".")
    level = len(text) - len(rest)
    parts = here.split("/") if here else []
    if not rest or level - 1 > len(parts):
        return ""
    base = parts[:len(parts) - (level - 1)]
    return "/".join(base + rest.split("."))


_WORD = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
# every byte that cannot be part of an identifier, as a space: split() then gives the runs of word bytes
_SPACED = bytes(c if chr(c).isascii() and (chr(c).isalnum() or c == ord("_")) else 0x20 for c in range(256))


def word_runs(raw: bytes) -> set[bytes]:
    """The distinct runs of word bytes (ASCII letters, digits, `_`) in `raw`: a word is one of them
    exactly where `(?<!\\w)word(?!\\w)` finds it in `raw`."""
    return set(raw.translate(_SPACED).split())


def word_line(runs: "set[bytes]") -> bytes:
    """`runs` as one line, each run between spaces: `b" " + word + b" " in line` is then the
    whole-word search of `raw` (`word_runs`), on a fifth of its bytes (measured on the benchmark
    corpus: 6 MB of distinct runs for 31 MB of sources)."""
    return b" " + b" ".join(runs) + b" "


def identifiers(raw: bytes, runs: "set[bytes] | None" = None) -> set[bytes]:
    """The set `_WORD.findall(raw)` gives (a run of word bytes, less its leading digits), made about
    half as costly: the runs come from C (`translate`, `split`), and only distinct runs starting with
    a digit are trimmed in Python. It runs on every file of a project. `runs`: `word_runs(raw)`
    already made, trimmed in place into the answer."""
    if runs is None:
        runs = word_runs(raw)
    odd = [r for r in runs if r[0] < 0x41]  # a digit first: letters and "_" are 0x41 and above
    if odd:
        runs.difference_update(odd)
        runs.update(t for t in (r.lstrip(b"0123456789") for r in odd) if t)
    return runs


class SdkPattern:
    """Whether a file's bytes name an SDK: the set of identifiers in the file against the marker
    words (a set intersection is far cheaper than one regex with hundreds of alternatives), then
    a substring check for dotted markers and an import check for module proxies."""

    def __init__(self, cat: SdkCatalog) -> None:
        words, mods = marker_patterns(cat)
        self.single = frozenset(w.encode() for w in words if "." not in w)
        # `a.b` by its first word: the pattern of it written whole, run only when every word of it is
        # among the file's identifiers (each is then a whole word there, as `identifiers` splits them);
        # compiled the first time a file needs it (most of the hundreds never are)
        self.dotted: dict[bytes, list[tuple[bytes, frozenset[bytes]]]] = {}
        self._whole: dict[bytes, re.Pattern[bytes]] = {}
        for w in words:
            if "." in w:
                b = w.encode()
                self.dotted.setdefault(b.split(b".")[0], []).append((b, frozenset(identifiers(b))))
        # a dotted module (google.generativeai) is named in the file's words by its distinctive part
        self.mods = frozenset(w.encode() for w in (_distinctive(m) for m in mods) if w)
        alt = b"|".join(re.escape(m.encode()) for m in sorted(mods, key=len, reverse=True))
        self.imports = re.compile(rb"(?:import\s+(?:" + alt + rb")(?![\w.])|from\s+(?:" + alt + rb")\s+import)") \
            if mods else None
        self.family_gate, self.family_imports = family_markers(cat)
        self.constructors = cat.constructors
        self.http_libs, self.url_fragments = http_markers(cat)
        # each fragment can be in a file only if its longest word is among the file's identifiers
        self.fragment_words: dict[bytes, list[bytes]] = {}
        for f in self.url_fragments:
            self.fragment_words.setdefault(max(_WORD.findall(f), key=len, default=b""), []).append(f)
        self.receiver_methods, self.receivers = framework_receivers(cat)
        # a framework's model interface in an annotation (`model: BaseChatModel`, `-> BaseLanguageModel`,
        # `Optional[BaseChatModel]`): a file declaring a model object by its type holds one, and may run it
        # only through a chain (`(prompt | model).astream(...)`); a file only subclassing it (a library's
        # model class) or naming it otherwise is not marked by it
        interfaces = sorted(last for last in cat.model_types._by_last  # noqa: SLF001 - same package
                            if last not in _GENERIC_CLASSES and last not in _PROJECT_INTERFACES and len(last) >= 5)
        self.interfaces = frozenset(i.encode() for i in interfaces)
        self.annotated = re.compile(rb"(?:[:\[,|]|->)[ \t]*(?:" + b"|".join(re.escape(i.encode()) for i in interfaces)
                                    + rb")(?!\w)") if interfaces else None
        # a chain built here from a prompt template and a model object handed in (`prompt | self.llm | parser`,
        # then `.invoke(...)`): a prompt template class named and a runnable's request called
        self.chain_templates = frozenset(c.encode() for c in cat.chain_templates)
        self.chain_calls = re.compile(rb"\.(?:" + b"|".join(re.escape(m.encode()) for m in sorted(cat.chain_requests))
                                      + rb")\s*\(") if cat.chain_requests else None
        # requests only framework objects make, on any receiver (a parameter its callers hand a model)
        marked = sorted({m for fw in cat.frameworks.values() for m in fw.marker_methods})
        self.marker_methods = frozenset(m.encode() for m in marked)
        self.marker_calls = re.compile(rb"\.(?:" + b"|".join(re.escape(m.encode()) for m in marked) + rb")\s*\(") \
            if marked else None
        # a quoted model id the model catalog knows (`"gpt-4o-mini"`, `"anthropic/claude-sonnet-4-5"`): a model
        # choice that may be handed to a library the catalog does not know (resolve/libraries.py); found by
        # the first word of some id among the file's identifiers, then the quoted strings' last parts
        # (an id of one word, `o1`, is also a name of anything: not looked for)
        ids = [i for i, info in load_model_catalog(None).models.items()
               if info.kind not in ("placeholder", "invalid") and len(_WORD.findall(i.encode())) > 1]
        self.model_ids = frozenset(i.encode() for i in ids)
        self.model_words = frozenset(w for w in (next((w for w in _WORD.findall(i.encode()) if w not in _COMMON_WORDS), None)
                                                 for i in ids) if w)
        # each body shape's keys, as double- and single-quoted strings, the words one of which a shared
        # shape needs in the names around its call (matched in the file's bytes, any case), and the
        # identifiers its quoted keys hold (a file lacking one cannot quote them all)
        # (a nested key, "outer.inner" or "outer[].inner", is quoted part by part)
        self.body_keys = tuple((tuple((f'"{k}"'.encode(), f"'{k}'".encode())
                                      for k in sorted({p for key in b.body for p in key.replace("[]", "").split(".")})),
                                re.compile("|".join(re.escape(w) for w in b.names).encode(), re.I) if b.names else None,
                                frozenset(w for k in b.body for w in identifiers(k.encode())))
                               for b in cat.http.bodies)

    def _whole_word(self, dotted: bytes) -> re.Pattern[bytes]:
        """The pattern of a dotted marker written whole (`replicate.run`, not `xreplicate.runs`)."""
        whole = self._whole.get(dotted)
        if whole is None:
            whole = self._whole[dotted] = re.compile(rb"(?<![\w])" + re.escape(dotted) + rb"(?!\w)")
        return whole

    def _family_import(self, raw: bytes) -> bool:
        """An import of a model class of a constructor family: each name imported from a family's
        module is asked as the resolver asks it (`langchain_community.llms.utils.enforce_stop_tokens`,
        as a model class's own file imports, is none)."""
        for m in self.family_imports.finditer(raw):  # type: ignore[union-attr]
            if raw[raw.rfind(b"\n", 0, m.start()) + 1:m.start()].strip(b" \t"):
                continue  # not at the start of its line (a comment, a string)
            module = m.group(1).decode("utf-8", "replace")
            if any(self.constructors.get(f"{module}.{name}") is not None for name, _ in _imported_names(m.group(2))) \
                    and not in_docstring(raw, m.start()):  # a usage example in a model class's own docstring
                return True
        return False

    def _receiver_call(self, raw: bytes) -> bool:
        """A `receiver.method(` call whose receiver is named like a model object: found from the
        `.method(` occurrences (a literal-led pattern), each receiver read backwards and matched."""
        calls, receivers = self.receivers  # type: ignore[misc]
        for m in calls.finditer(raw):
            name = _TAIL_WORD.search(raw, max(0, m.start() - 80), m.start())
            if name is not None and receivers.fullmatch(name.group(0).lstrip(b"_").lower() + b"." + m.group(1)) \
                    and not in_docstring(raw, m.start()):
                return True
        return False

    def _model_id(self, raw: bytes) -> bool:
        """A quoted string naming a catalogued model, with or without a provider prefix ("openai/", "openai:")."""
        for m in _QUOTED_ID.finditer(raw):
            text = m.group(1)
            if text in self.model_ids or text.rpartition(b"/")[2] in self.model_ids or \
                    text.partition(b":")[2] in self.model_ids:
                return True
        return False

    def search_module(self, ms) -> bool:  # type: ignore[no-untyped-def]
        """`search` on a module's bytes (read), keeping their word runs on it as one line (`ms.words`)
        for the searches of the files naming a function that may follow (resolve/callers.py)."""
        raw = ms.raw
        runs = word_runs(raw)
        ms.words = (raw, word_line(runs))
        return self.search(raw, runs)

    def search(self, raw: bytes, runs: "set[bytes] | None" = None) -> bool:
        """Whether `raw` may hold a call site; `runs`: its `word_runs`, if made already (consumed)."""
        idents = identifiers(raw, runs)
        if not idents.isdisjoint(self.single):
            return True
        for first in idents.intersection(self.dotted):
            for w, words in self.dotted[first]:
                if words <= idents and w in raw and self._whole_word(w).search(raw):
                    return True
        if self.receivers is not None and not idents.isdisjoint(self.receiver_methods) and self._receiver_call(raw):
            return True
        if self.imports is not None and not idents.isdisjoint(self.mods) and self.imports.search(raw):
            return True
        if self.family_imports is not None and self.family_gate in raw and self._family_import(raw):
            return True
        if self.marker_calls is not None and not idents.isdisjoint(self.marker_methods) and \
                any(not in_docstring(raw, m.start()) for m in self.marker_calls.finditer(raw)):
            return True
        if not idents.isdisjoint(self.model_words) and self._model_id(raw):
            return True
        if self.annotated is not None and not idents.isdisjoint(self.interfaces) and self.annotated.search(raw):
            return True
        if self.chain_calls is not None and not idents.isdisjoint(self.chain_templates) and \
                any(not in_docstring(raw, m.start()) for m in self.chain_calls.finditer(raw)):
            return True
        words = idents.intersection(self.fragment_words)
        if not idents.isdisjoint(self.http_libs):
            # raw HTTP: a library and an LLM URL fragment, or a JSON body of an LLM request's shape
            # posted to a URL from elsewhere
            return any(f in raw for w in words for f in self.fragment_words[w]) or \
                any(needed <= idents and all(dq in raw or sq in raw for dq, sq in keys) and
                    (names is None or names.search(raw) is not None) for keys, names, needed in self.body_keys)
        # a module-level name bound to an LLM URL (`OPENAI_CHAT = "https://.../chat/completions"`, a
        # table of endpoints): the modules importing it may post to it, and learn so from this one
        frags = [f for w in words for f in self.fragment_words[w] if f in raw]
        return bool(frags) and any(f in m.group(1) for m in _STRING_CONSTANT.finditer(raw) for f in frags)


# a module-level name bound to a one-line string literal (group 1: the literal's text); linear: the
# name and the literal cannot trade characters
_STRING_CONSTANT = re.compile(rb"""(?m)^[A-Za-z_]\w*[ \t]*=[ \t]*[rRuUfFbB]{0,2}["']([^"'\n]*)""")


def family_markers(cat: SdkCatalog) -> tuple[bytes, re.Pattern[bytes] | None]:
    """A word every family import holds, and the pattern of an import from a constructor family's model
    modules or partner packages (`from langchain_ibm import ChatWatsonx`, `from langchain.llms.cohere
    import Cohere`): the classes are not listed one by one, so their names cannot mark a file; the
    names a match imports are then asked one by one (`SdkPattern._family_import`)."""
    fams = cat.constructors.families
    if not fams:
        return b"", None
    alts = [re.escape(prefix) + r"(?:\.\w+)*" for f in fams for prefix, _ in f.modules]
    alts += [re.escape(f.packages) + "(?!(?:" + "|".join(re.escape(p[len(f.packages):]) for p in sorted(f.skip_packages)
                                                  if p.startswith(f.packages)) + r")\b)\w+(?:\.\w+)*"
             for f in fams if f.packages]
    gate = os.path.commonprefix([prefix for f in fams for prefix, _ in f.modules] + [f.packages for f in fams if f.packages])
    # group 1 the module, group 2 the names (as FROM_IMPORT reads them, linear for the same reasons); led by
    # the literal `from` so that the regex engine skips to it (the caller checks that it starts its line)
    return gate.encode(), re.compile(("from[ \t]+(" + "|".join(alts) + r")[ \t]+import[ \t]+(\([^()]*\)|[^\n#;]*)").encode())


def http_markers(cat: SdkCatalog) -> tuple[frozenset[bytes], tuple[bytes, ...]]:
    """The HTTP libraries' names (`requests`, `httpx`, ...) and the URL fragments of LLM endpoints and
    hosts: a file naming a library and holding a fragment may send a raw HTTP request to an LLM API."""
    h = cat.http
    # a library by its top package; the standard library's http.client by its class (`http` is in every URL)
    libs = {q.split(".")[0] if not q.startswith("http.") else q.rpartition(".")[2]
            for q in list(h.functions) + list(h.clients) + list(h.websocket_apps)}
    # a path matched by two parts (`/v1/workspace/` ... `/chat`) is in a file only when both are: the
    # longer one marks it (a short suffix such as `/chat` is in every web app)
    frags = {f for ep in h.endpoints
             for f in ((ep.host,) if ep.host else (max(ep.suffix, ep.contains, key=len),) if ep.suffix and ep.contains
                       else (ep.suffix, ep.contains)) if f}
    frags.update(h.hosts)
    return frozenset(x.encode() for x in libs), tuple(sorted(x.encode() for x in frags))


_TAIL_WORD = re.compile(rb"\w+$")
# words that begin some model ids (`text-embedding-3-small`, `open-mistral-nemo`, `us.anthropic...`) but name
# everyday things in any code base: an id is looked for by its next word (`embedding`, `mistral`, `anthropic`),
# so that the quoted strings of most files are never read
_COMMON_WORDS = {b"text", b"open", b"chat", b"meta", b"us", b"eu", b"global", b"amazon", b"omni", b"apac", b"jp",
                 b"au", b"ca", b"uk"}
# a short quoted string with no spaces, as a model id is written (`"gpt-4o"`, `'anthropic/claude-sonnet-4-5'`)
_QUOTED_ID = re.compile(rb"""["']([A-Za-z0-9][\w.:/@-]{1,80})["']""")


def in_docstring(raw: bytes, pos: int) -> bool:
    """Whether `pos` lies inside a triple-quoted string (a docstring's usage example), counted from
    the quotes before it; approximate, as befits a prefilter (the parse decides)."""
    return raw.count(b'"""', 0, pos) % 2 == 1 or raw.count(b"'''", 0, pos) % 2 == 1


def framework_receivers(cat: SdkCatalog) -> "tuple[frozenset[bytes], tuple[re.Pattern[bytes], re.Pattern[bytes]] | None]":
    """The method names, a pattern of their `.method(` calls and one of `receiver.method` pairs the
    resolver takes for framework requests on receivers of unknown type named like a model object
    (`llm.invoke(`)."""
    methods: set[str] = set()
    alts: set[bytes] = set()
    for fw in cat.frameworks.values():
        for patterns, names, _api, in_module in fw.inferred:
            if in_module:
                continue  # asked only in a module importing an LLM SDK or framework: the import marks the file
            if "invoke" in names:  # `prompt | llm.bind_tools(...)`: a runnable built on the receiver
                names = names | fw.combinators
            methods |= names
            recv = b"|".join(re.escape(p.encode()).replace(rb"\*", rb"\w*") for p in patterns)
            meth = b"|".join(re.escape(m.encode()) for m in sorted(names))
            alts.add(rb"(?:" + recv + rb")\.(?:" + meth + rb")")
    if not alts:
        return frozenset(), None
    calls = re.compile(rb"\.(" + b"|".join(re.escape(m.encode()) for m in sorted(methods)) + rb")\s*\(")
    return frozenset(m.encode() for m in methods), (calls, re.compile(b"|".join(sorted(alts))))


def sdk_pattern(cat: SdkCatalog) -> SdkPattern:
    return SdkPattern(cat)
