"""What looks like an LLM request in a module but was not resolved into a call site, so that a report
never presents what was seen as the whole story.

Kinds, each with file and line: `sdk-imported` (the module imports an SDK's client, module or
request function, and no call site was found in it), `withheld` (a request-shaped call on a receiver
of unknown type, with no evidence for an SDK, or an HTTP call to the project's own server), and
`llm-url` (a string holding an LLM endpoint's path that reaches no HTTP call found here). In a file
with LLM evidence (a call site, or an import of an LLM SDK or framework), calls the resolver could
not place on a receiver of unknown type: `framework?` (a framework's request method, `.invoke`,
`.kickoff`, named in the catalog, or a request verb on an object of a library the catalog does not know,
built with no model choice tokenlint read) and `facade?` (a method project base classes declare whose
subclasses make LLM requests: a facade the resolver did not confirm); and `http?` (an HTTP call whose
JSON body has an LLM request's shape but whose URL is unknown). Those three are guesses for a reader
to check, at most MAX_GUESSES per file (the rest counted in one more entry). A last kind,
`unreadable`, comes from the engine: a file the prefilter chose that could not be parsed or analysed
(a syntax newer than the running Python's, an expression nested too deeply).
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tokenlint.catalog import Constructor
from tokenlint.prefilter import in_docstring
from tokenlint.resolve.evidence import MOCK_WORDS
from tokenlint.resolve.facades import BUILTIN_METHODS, GENERIC_METHODS, name_words, speaks_of_models
from tokenlint.resolve.infer import _is_super
from tokenlint.resolve.site import CallSite
from tokenlint.resolve.values import Chain, Opaque, Param, Qual, Unknown, Value

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import SdkCatalog
    from tokenlint.resolve.binder import CallRecord, ModuleInfo

MAX_GUESSES = 10  # "framework?" / "facade?" places listed per file: the list stays reviewable
MAX_RECEIVER = 40  # characters of a receiver's source shown in a guess's detail
MAX_URL_STRING = 300  # longer strings are prose (docstrings, prompts), not URLs
# absolute imports: `from pkg.mod import (A, B as C)` (groups 1, 2) and `import pkg.mod as m, other` (group 3)
IMPORT = re.compile(rb"(?m)^[ \t]*(?:from[ \t]+([A-Za-z_][\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]*)"
                    rb"|import[ \t]+([^\n#;]+))")


@dataclass(frozen=True)
class Unresolved:
    """A place that looks like an LLM request but is not a call site."""

    path: str
    line: int
    kind: str  # sdk-imported | withheld | llm-url | framework? | facade? | http? | unreadable
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "kind": self.kind, "detail": self.detail}


class UnresolvedMixin:
    """The `Resolver`'s account of what it saw but did not resolve (a mixin over `evidence` and `http`)."""

    catalog: "SdkCatalog"
    _withheld: dict[ast.Call, tuple[str, str]]
    _url_used_lines: dict[str, set[int]]

    def withhold(self, call: ast.Call, why: str, kind: str = "withheld") -> None:
        """Record a request-shaped call that is not reported as a site, and why."""
        self._withheld[call] = (kind, why)

    def module_unresolved(self, info: "ModuleInfo", sites: list[CallSite]) -> list[Unresolved]:
        """The module's unresolved places, in line order (after `module_sites` ran on it)."""
        rel = info.source.relpath
        out: list[Unresolved] = []
        imported, framework = self._import_evidence(info) if not sites else ([], False)
        for line, name in imported:
            out.append(Unresolved(rel, line, "sdk-imported", f"imports {name}; no call site was found in this file"))
        site_lines = {s.line for s in sites}
        for rec in info.calls:
            got = self._withheld.get(rec.node)
            if got is not None and rec.node.lineno not in site_lines:
                out.append(Unresolved(rel, rec.node.lineno, got[0], got[1]))
        out += self._llm_urls(info, {u.line for u in out if u.kind in ("withheld", "http?")})
        llm_file = bool(sites or imported) or framework
        out += self._unplaced_calls(info, llm_file, site_lines | {u.line for u in out})
        out.sort(key=lambda u: (u.line, u.kind))
        return out

    def _unplaced_calls(self, info: "ModuleInfo", llm_file: bool, taken: set[int]) -> list[Unresolved]:
        """Calls on a receiver of unknown type that may be LLM requests the resolver could not place: a
        framework's request method in a file with LLM evidence (`llm_file`: a site of its own, or an
        import of an LLM SDK or framework: "framework?"), or a method project base classes declare
        whose subclasses make LLM requests, in any file ("facade?": the subclasses are the evidence);
        and a class of a framework's package of model classes that the catalog does not know ("framework?").
        One entry per line, at most MAX_GUESSES per file for the calls on unknown receivers."""
        requests = self.catalog.listed_requests if llm_file else frozenset()
        rel = info.source.relpath
        out: list[Unresolved] = []
        more = 0
        for rec in info.calls:
            f, line = rec.node.func, rec.node.lineno
            if line in taken or rec.node in self._withheld:
                continue
            if not isinstance(f, ast.Attribute) or f.attr[:1].isupper():  # `AlephAlpha(...)`, `llms.Cohere(...)`
                # (the resolver makes such a class an inferred binding, `_package_model_class`, and its line is
                # then taken: listed here only should that have found no neighbour to read it with)
                qual = self._uncatalogued_model(rec) if isinstance(f, (ast.Name, ast.Attribute)) else None
                if qual is not None:
                    taken.add(line)
                    out.append(Unresolved(rel, line, "framework?", f"{qual.rpartition('.')[2]}(...): a class of "
                                          f"{qual.rpartition('.')[0]}, a package of model classes, that the catalog does not know"))
                continue
            # (a framework's request method called without the input its frameworks' signatures start with,
            # `task.complete()`, `response_item.astream_events()`, has another API's shape, as `_framework_by_name`
            # reads a receiver known by its name: no framework guess, still a facade or library one)
            framework = f.attr in requests and self._passes_input(rec.node, f.attr)
            verb = llm_file and f.attr in self._library_verbs()
            if not framework and not verb and not self._may_be_facade(f.attr):
                continue  # cheap name tests first: the receiver is inferred only for a candidate name
            words = name_words(_receiver_name(f.value))
            if words and words[-1] in self.catalog.not_model_nouns:
                continue  # `prompt_builder.run(...)`, `mcp_tool.ainvoke(...)`: the name says what it is
            if not framework and f.attr in GENERIC_METHODS and not speaks_of_models(_receiver_name(f.value),
                                                                                   self.catalog.facade_words):
                continue  # `ctrl.run()`, `f.read()`: a common name on an object not named after a model
            recv = self.infer(f.value, rec.scope)  # type: ignore[attr-defined]
            library = None
            if verb and not framework and isinstance(recv, Qual) and recv.called and \
                    self._unknown_library(recv.qual):  # type: ignore[attr-defined]
                # an object of a library the catalog does not know, built with no model choice tokenlint
                # read (resolve/libraries.py), asked a request verb: a guess, not a site
                library = recv.qual.split(".", 1)[0]
            if not _untyped(recv) or not framework and not library and isinstance(recv, Qual):
                continue  # (a library's object is no project facade)
            recv = _source(f.value)
            if library:
                kind, detail = "framework?", (f".{f.attr}(...) on {recv}, an object of {library} (a library the catalog "
                                              "does not know) built with no model choice tokenlint read: a request verb")
            elif framework:
                kind, detail = "framework?", f".{f.attr}(...) on {recv}, of unknown type: a framework's request method"
            else:
                if type(f.value) is ast.Call and _is_super(f.value):
                    continue  # `super().think(...)` in an override: the class hierarchy's own delegation, whose
                    # request (if any) is found in the base's implementation, not in unknown subclasses
                bases = self._spending_bases(f.attr)
                if not bases:
                    continue
                kind, detail = "facade?", (f".{f.attr}(...) on {recv}, of unknown type: {', '.join(bases)} "
                                           f"declare{'s' if len(bases) == 1 else ''} it, and subclasses make LLM requests")
            taken.add(line)
            if len(out) < MAX_GUESSES:
                out.append(Unresolved(rel, line, kind, detail))
            else:
                more += 1
        if more:
            out.append(Unresolved(rel, out[-1].line, "framework?", f"and {more} more calls like the ones above, not listed"))
        return out

    def _passes_input(self, call: ast.Call, method: str) -> bool:
        """Whether `call` passes the first parameter some framework's `method` takes (catalog first_params:
        positionally, by that keyword, or through `*args` / `**kwargs`); True when no framework names one."""
        got = self.__dict__.get("_first_params")
        if got is None:
            got = {}
            for fw in self.catalog.frameworks.values():
                for m, p in fw.first_params.items():
                    got.setdefault(m, set()).add(p)
            self.__dict__["_first_params"] = got
        params = got.get(method)
        return not params or bool(call.args) or any(k.arg is None or k.arg in params for k in call.keywords)

    def _library_verbs(self) -> frozenset[str]:
        """The request verbs of a library the catalog does not know (frameworks.toml [libraries]) but the
        everyday ones ([unresolved] generic_requests): a guess on one of its objects."""
        lib = self.catalog.libraries
        return lib.listed if lib is not None else frozenset()

    def _uncatalogued_model(self, rec: "CallRecord") -> str | None:
        """The qualified name of the class built here when a framework's package of model classes exports
        it (`langchain_community.llms.AlephAlpha`: a module, or the parent of one, where the catalog's
        model classes live, named after models: `llms`, `chat_models`, `embeddings`) and the catalog
        does not know it; else None. A class named as data (`ChatMessage`) is none, and so is one of a module
        the project's own files define (the framework's repository analysed as itself)."""
        v = self.infer(rec.node.func, rec.scope)  # type: ignore[attr-defined]
        if not isinstance(v, Qual) or v.called:
            return None
        qual = self.catalog.canonical(v.qual)
        mod, _, cls = qual.rpartition(".")
        words = name_words(cls)
        if not cls[:1].isupper() or not words or words[-1] in self.catalog.not_model_nouns or words[0] in MOCK_WORDS \
                or qual in self.catalog.constructors or self.catalog.constructors.covered(qual) \
                or self.catalog.runners.get(qual) is not None or qual in self._local_model_classes():
            return None  # a data class (`ChatMessage`), a test double (`MockEmbedding`, a constructor's
            # `local_models`: pydantic-ai's TestModel), a catalogued model,
            # one a family of model classes decides about (LangChain's local `VLLM` is left out on purpose)
            # or a catalogued runner of models chosen elsewhere (openai-agents' `VoicePipeline`)
        parts = mod.split(".")
        if not any((name_words(p) or [""])[-1] in self.catalog.facade_words for p in parts[1:]):
            return None  # `llama_index.core.VectorStoreIndex`, `crewai.Task`: not a package of model classes
        mods = self._model_modules()
        if not (mod in mods or mod.rpartition(".")[0] in mods):
            return None
        if self.project.by_name.get(mod):  # type: ignore[attr-defined]
            return None  # the project holds that module's source (the library analysed as itself: agno's own
            # `agno/models/response.py`): its classes are what that source says, not a guess from the package
        return qual

    def _package_model_class(self, rec: "CallRecord", qual: str) -> CallSite | None:
        """`Fireworks(...)` imported from `llama_index.llms.fireworks`: a class of a framework's package of
        model classes that the catalog does not know (`_uncatalogued_model`, once a "framework?" guess: on
        the tune corpus every one was a model binding) is an inferred binding, read as the catalogued
        classes of the same package are read (their framework, api and model keywords), provider unknown.
        A data class, a test double or a class outside such a package stays what it was. (`qual`: what
        the call's callee names, asked before anything else, as most external names called are no class.)"""
        if not qual.rpartition(".")[2][:1].isupper():
            return None
        got = self._uncatalogued_model(rec)
        if got is None:
            return None
        qual = got
        mod = qual.rpartition(".")[0]
        groups = self._model_groups()
        like = groups.get(mod) or groups.get(mod.rpartition(".")[0])
        if like is None:
            return None
        site = self._constructor(rec, like)  # type: ignore[attr-defined]
        site.confidence = "inferred"
        site.reason = (f"{qual.rpartition('.')[2]}(...) is a class of {mod}, in a package of {like.sdk} model "
                       "classes: a model the catalog does not list")
        return site

    def _local_model_classes(self) -> frozenset[str]:
        """The model classes the catalog's constructors name as run in process (`local_models`), built once."""
        got = self.__dict__.get("_local_models")
        if got is None:
            got = self.__dict__["_local_models"] = frozenset(
                q for _mod, _last, v in self.catalog.constructors.entries() for q in v.local_models)
        return got

    def _model_groups(self) -> dict[str, Constructor]:
        """Per package of the catalog's model classes (`llama_index.llms`: the parent of each catalogued
        class's module), the constructor a class of it the catalog does not list is read with: the
        framework and api of the first catalogued class there, the model keywords of them all (built once)."""
        got = self.__dict__.get("_model_grps")
        if got is None:
            found: dict[str, list[Constructor]] = {}
            for mod, _last, v in self.catalog.constructors.entries():
                if v.sibling_models:
                    found.setdefault(mod.rpartition(".")[0], []).append(v)
            got = self.__dict__["_model_grps"] = {
                g: Constructor(provider="unknown", sdk=cons[0].sdk, api=cons[0].api,
                               model=tuple(dict.fromkeys(k for c in cons if c.sdk == cons[0].sdk for k in c.model)))
                for g, cons in found.items()}
        return got

    def _model_modules(self) -> frozenset[str]:
        """The modules of the catalog's model classes (`langchain_community.llms`, `llama_index.llms`)."""
        got = self.__dict__.get("_model_mods")
        if got is None:
            got = self.__dict__["_model_mods"] = frozenset(
                mod.rpartition(".")[0] for mod, _last, v in self.catalog.constructors.entries() if v.sibling_models)
        return got

    def _may_be_facade(self, name: str) -> bool:
        """Whether a project class may declare method `name` as a facade's surface: a public name, not a
        built-in type's, defined in a file declaring abstract methods (the facades' indexes, built once)."""
        if name.startswith("_") or name in BUILTIN_METHODS:
            return False
        key = name.encode()
        return bool(self._index()[1].get(key)) or key in self._defining_modules()  # type: ignore[attr-defined]

    def _spending_bases(self, name: str) -> list[str]:
        """Names of the project base classes declaring method `name` (abstract, or concrete on the way to
        an abstract one) whose subclasses' implementations make LLM requests: what `facades` would
        dispatch to, were the receiver known to be one of them (memoized per name)."""
        memo = self.__dict__.setdefault("_spending_bases_memo", {})
        got = memo.get(name)
        if got is None:
            bases = self._abstract_declarations(name) + self._concrete_declarations(name)  # type: ignore[attr-defined]
            floor = self.floor_mark()  # type: ignore[attr-defined]
            got = sorted({b.node.name for b in bases if self._spend_targets(b, name, 0)[0]})  # type: ignore[attr-defined]
            if self.floor_final(floor):  # type: ignore[attr-defined]
                memo[name] = got
        return got

    def _framework_top_names(self) -> frozenset[str]:
        """Top-level package names of the frameworks' classes in the catalog (model classes, runners,
        composers, collectors): importing anything of them is LLM evidence."""
        got = self.__dict__.get("_fw_tops")
        if got is None:
            cat = self.catalog
            names: list[str] = []
            for index in (cat.constructors, cat.model_types, cat.runners, cat.spending_builds, cat.collectors,
                          cat.composers, cat.agent_builders):
                names += [mod for mod, _last, _v in index.entries()]
            got = self.__dict__["_fw_tops"] = frozenset(n.split(".", 1)[0] for n in names if n)
        return got

    def _import_evidence(self, info: "ModuleInfo") -> tuple[list[tuple[int, str]], bool]:
        """From one reading of the module's imports in its bytes (any level: functions and `try` blocks
        included; not a usage example in a docstring): (line, name) of those binding an SDK client
        class, module proxy or request function, and whether it imports anything of a framework's
        packages (`from langchain_core.prompts import ...`)."""
        raw = info.source.raw or b""
        roots, tops = self._sdk_top_names(), self._framework_top_names()
        own = self.project._is_own_top  # type: ignore[attr-defined]  # noqa: SLF001
        found: dict[str, int] = {}
        framework = False
        for m in IMPORT.finditer(raw):
            if in_docstring(raw, m.start()):
                continue  # a usage example in a docstring (`from haystack... import OpenAIChatGenerator`)
            if m.group(1) is not None:
                mod = m.group(1).decode("utf-8", "replace")
                names = [n.split(" as ")[0].strip() for n in m.group(2).decode("utf-8", "replace").strip("() \t\r\n")
                         .replace("\n", ",").split(",")]
                quals = [f"{mod}.{n}" for n in names if n and n != "*" and n.isidentifier()]
                mods = [mod]
            else:
                mods = m.group(3).decode("utf-8", "replace").split(",")
                quals = [n.split(" as ")[0].strip() for n in mods]
            if not framework:
                framework = any(top in tops and not own(top)
                                for top in (mod.strip().split(".", 1)[0].split(" ", 1)[0] for mod in mods))
            for qual in quals:
                if qual.split(".", 1)[0] in roots and qual not in found and self._names_sdk(self.catalog.canonical(qual)):
                    found[qual] = raw.count(b"\n", 0, m.start()) + 1
        return sorted((line, q) for q, line in found.items()), framework

    def _sdk_top_names(self) -> frozenset[str]:
        """Top-level package names of every SDK surface (and alias) in the catalog."""
        got = self.__dict__.get("_tops")
        if got is None:
            cat = self.catalog
            names = list(cat.modules) + list(cat.factories) + list(cat.session_functions) + list(cat.module_aliases)
            for index in (cat.classes, cat.constructors, cat.session_classes):
                names += [mod for mod, _last, _v in index.entries()]
            got = self.__dict__["_tops"] = frozenset(n.split(".", 1)[0] for n in names if n)
        return got

    def _names_sdk(self, q: str) -> bool:
        """A client class, constructor, factory, module proxy or request function (not a type or an error)."""
        cat = self.catalog
        if q in cat.modules or q in cat.classes or q in cat.constructors or q in cat.factories \
                or q in cat.session_classes or q in cat.session_functions:
            return True
        mm = cat.module_method(q)
        return mm is not None and mm[0].method(mm[1]) is not None

    def _llm_urls(self, info: "ModuleInfo", withheld_lines: set[int]) -> list[Unresolved]:
        """Strings naming an LLM endpoint that no HTTP site was built from (not on a withheld call's
        line, not a web route the project serves). Found in the module's bytes, never by walking its tree."""
        raw = info.source.raw or b""
        rel = info.source.relpath
        used = self._url_used_lines.get(rel, set())
        seen: set[int] = set()
        out = []
        for frag, suffix in self._url_fragments():
            f = frag.encode()
            i = raw.find(f)
            while i != -1:
                found = _quoted(raw, i, len(f))
                i = raw.find(f, i + len(f))
                if found is None:
                    continue
                line, text = found
                path = text.split("?", 1)[0].rstrip("/")
                if line in seen or line in used or line in withheld_lines or \
                        not (path.endswith(frag) if suffix else frag in path):
                    continue
                if path in self._served_paths():  # type: ignore[attr-defined]
                    continue
                seen.add(line)
                out.append(Unresolved(rel, line, "llm-url",
                                      f"{text[:80]!r} names an LLM endpoint ({frag}) but reaches no HTTP call found here"))
        return out

    def _url_fragments(self) -> tuple[tuple[str, bool], ...]:
        """(fragment, is a path suffix) of the endpoints distinctive on their own (not /embed or
        /api/chat, which need a body to tell, nor a path matched by two parts: /v1/workspace/ ... /chat)."""
        got = self.__dict__.get("_frags")
        if got is None:
            eps = [ep for ep in self.catalog.http.endpoints if not ep.body and not ep.host
                   and not (ep.suffix and ep.contains)]
            got = tuple(sorted({(ep.suffix, True) for ep in eps if ep.suffix and len(ep.suffix) >= 6}
                               | {(ep.contains, False) for ep in eps if ep.contains}))
            self.__dict__["_frags"] = got
        return got


def _quoted(raw: bytes, i: int, n: int) -> tuple[int, str] | None:
    """(line, text) of the quoted string without spaces around raw[i:i+n], else None."""
    start = i
    while start > 0 and raw[start - 1] not in b"\"'\n \t" and i - start < MAX_URL_STRING:
        start -= 1
    end = i + n
    while end < len(raw) and raw[end] not in b"\"'\n \t" and end - i < MAX_URL_STRING:
        end += 1
    if start == 0 or end >= len(raw) or raw[start - 1] not in b"\"'" or raw[end] != raw[start - 1]:
        return None
    return raw.count(b"\n", 0, i) + 1, raw[start:end].decode("utf-8", "replace")


def _untyped(v: Value) -> bool:
    """A receiver the resolver could not type: an attribute chain on an unknown object, an untyped
    parameter, an unknown call's result, or an object a library outside the catalog built (not the
    standard library's)."""
    if isinstance(v, (Chain, Param, Unknown)):
        return True
    if isinstance(v, Opaque):
        return v.what in ("unknown-call", "attr")
    return isinstance(v, Qual) and v.called and v.qual.split(".", 1)[0] not in sys.stdlib_module_names


def _receiver_name(e: ast.expr) -> str:
    """The name a receiver goes by: `x` of `self.x`, `get_llm` of `get_llm()`, `tools` of `tools[0]`."""
    while isinstance(e, (ast.Call, ast.Subscript)):
        e = e.func if isinstance(e, ast.Call) else e.value
    return e.id if isinstance(e, ast.Name) else e.attr if isinstance(e, ast.Attribute) else ""


def _source(e: ast.expr) -> str:
    """The receiver's source, shortened for a detail line."""
    text = ast.unparse(e)
    return f"`{text}`" if len(text) <= MAX_RECEIVER else f"`{text[:MAX_RECEIVER - 3]}...`"
