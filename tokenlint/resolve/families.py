"""Which project classes are one provider among siblings: a class deriving from a base that other
modules of its package subclass too, in modules that name an LLM SDK or endpoint (a `tts/` package of
one module per vendor, each `class XTTS(TTSProviderBase)`, some of them calling OpenAI or Azure).

Read from the modules' bytes (class headers and the prefilter's SDK pattern), never from their
analysis, so that the answer is the same whichever module is analysed first and the prefilter can ask
it before any analysis: a module naming an HTTP library with such a class is worth analysing, and an
HTTP request of such a class sends to one more service of the family (resolve/http.py). The package
or the base must be named for an AI service (catalog `family_words`: `tts`, `llms`, `transcriber`): a
`channels/` or `search/providers/` family whose members may call an LLM is no family of AI services. The package
is the module's folder; a folder of one vendor (`tti/novita/service.py`, at most SMALL_FOLDER modules)
counts its parent's other folders' modules as siblings too. A class of no base is one provider among its
folder's modules when most of them name an LLM SDK or endpoint (`folder_providers`).
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING, Callable, Iterable

from tokenlint.project import read_source_bytes
from tokenlint.resolve.binder import CallRecord
from tokenlint.resolve.evidence import is_test_path
from tokenlint.resolve.facades import name_words
from tokenlint.resolve.routes import SCHEME_HOST
from tokenlint.resolve.scope import Scope, enclosing_class, enclosing_function
from tokenlint.resolve.site import CallSite
from tokenlint.resolve.urls import HOLE, host_part
from tokenlint.resolve.values import ClassV, Str

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.prefilter import SdkPattern
    from tokenlint.catalog import SdkCatalog
    from pathlib import Path

    from tokenlint.project import ModuleSource, Project

# `class Name(Base1, pkg.Base2, metaclass=M):` at the start of a line (group 2: the bases as written)
CLASS_HEADER = re.compile(rb"(?m)^[ \t]*class[ \t]+(\w+)[ \t]*(?:\(([^()]{0,300})\))?[ \t]*:")
MIN_SIBLINGS = 2  # other modules subclassing the same base and naming an LLM SDK or endpoint
MIN_FOLDER_SIBLINGS = 3  # ... for a class of no base: other modules of its folder naming one, half of them at least
MAX_SIBLINGS = 120  # modules of a package read for its family (a larger folder is no family of vendors)
SMALL_FOLDER = 3  # modules in a folder of one vendor, whose siblings are its parent's other folders


def class_bases(raw: bytes) -> dict[str, tuple[str, ...]]:
    """The last names of the bases each class of `raw` derives from (`metaclass=` and `Generic[...]`
    left out), by class name."""
    out: dict[str, tuple[str, ...]] = {}
    for m in CLASS_HEADER.finditer(raw):
        bases = []
        for part in (m.group(2) or b"").decode("utf-8", "replace").split(","):
            part = part.strip().split("[", 1)[0]
            if part and "=" not in part and part.rpartition(".")[2] not in ("object", "ABC", "Generic"):
                bases.append(part.rpartition(".")[2])
        out[m.group(1).decode()] = tuple(bases)
    return out


class Families:
    """Per run: the folder index of the project's modules and, per (module, base), the sibling modules
    subclassing the base whose bytes name an LLM SDK or endpoint (`marked`)."""

    def __init__(self, project: "Project", pattern: "SdkPattern", words: frozenset[str]) -> None:
        self.project = project
        self.pattern = pattern  # the prefilter's: whether a module's bytes name an LLM SDK or endpoint
        self.words = words  # catalog `family_words`: what the package or the base must be named for
        self._marks: dict[str, bool] = {}
        self._class_bases: dict[str, dict[str, tuple[str, ...]]] = {}
        self._folders: dict[str, list["ModuleSource"]] | None = None
        self._children: dict[str, list[str]] = {}
        self._counts: dict[tuple[str, str], frozenset[str]] = {}

    def marked(self, ms: "ModuleSource") -> bool:
        """Whether the module's bytes (read) name an LLM SDK or endpoint, memoized."""
        got = self._marks.get(ms.relpath)
        if got is None:
            got = self._marks[ms.relpath] = ms.raw is not None and bool(self.pattern.search(ms.raw))
        return got

    def unmarked(self, relpaths: list[str]) -> None:
        """Record modules the prefilter found naming no LLM SDK or endpoint (never searched again)."""
        self._marks.update(dict.fromkeys(relpaths, False))

    def _index(self) -> dict[str, list["ModuleSource"]]:
        if self._folders is None or sum(map(len, self._folders.values())) != len(self.project.by_path):
            folders: dict[str, list["ModuleSource"]] = {}
            for ms in self.project.by_path.values():
                folders.setdefault(ms.relpath.rpartition("/")[0], []).append(ms)
            self._folders = folders
            children: dict[str, list[str]] = {}  # parent folder -> its folders holding modules (cousins, once)
            for f in folders:
                if "/" in f:
                    children.setdefault(f.rpartition("/")[0], []).append(f)
            self._children = children
        return self._folders

    def _siblings(self, relpath: str) -> list["ModuleSource"]:
        folders = self._index()
        folder = relpath.rpartition("/")[0]
        own = [ms for ms in folders.get(folder, ()) if not ms.relpath.endswith("__init__.py")]
        if len(own) > SMALL_FOLDER or not folder:
            return own
        cousins = [ms for f in self._children.get(folder.rpartition("/")[0], ()) if f != folder
                   for ms in folders[f] if not ms.relpath.endswith("__init__.py")]
        return own + cousins

    def ai_named(self, relpath: str, base: str) -> bool:
        """Whether the package's folder (the module's own; for a folder of one vendor, its parent's too)
        or the base class are named for an AI service (`tts/`, `llms/`, `BaseTranscriber`: a word of `words`), not for a family of
        anything else whose members may happen to call an LLM (`channels/`, `search/providers/`)."""
        folder = relpath.rpartition("/")[0]
        own = [ms for ms in self._index().get(folder, ()) if not ms.relpath.endswith("__init__.py")]
        names = folder.split("/")[-2 if len(own) <= SMALL_FOLDER else -1:] + [base]
        return any(w in self.words for n in names for w in name_words(n))

    def sibling_providers(self, relpath: str, base: str) -> frozenset[str]:
        """The modules, other than `relpath`, of its package (see `_siblings`) defining a class that
        derives from a base named `base` and naming an LLM SDK or endpoint (test modules left out), when
        the package or the base is named for an AI service (`ai_named`); else none. Read once per
        folder and base (the modules of a family ask of the same siblings)."""
        if is_test_path(relpath):
            return frozenset()
        key = (relpath.rpartition("/")[0], base)
        got = self._counts.get(key)
        if got is None:
            found: set[str] = set()
            mods = self._siblings(relpath)
            if len(mods) <= MAX_SIBLINGS and self.ai_named(relpath, base):
                needle = base.encode()
                _noted(mods, relpath, self.project.root)  # the answer rests on the siblings: cached results are keyed on them
                for ms in mods:
                    if is_test_path(ms.relpath):
                        continue
                    raw = _raw(ms)
                    if raw is None or needle not in raw:
                        continue
                    if any(base in bases for bases in self._bases(ms, raw).values()) and self.marked(ms):
                        found.add(ms.relpath)
            got = self._counts[key] = frozenset(found)
        return got - {relpath}

    def _bases(self, ms: "ModuleSource", raw: bytes) -> dict[str, tuple[str, ...]]:
        got = self._class_bases.get(ms.relpath)
        if got is None:
            got = self._class_bases[ms.relpath] = class_bases(raw)
        return got

    def folder_providers(self, relpath: str) -> bool:
        """For a class of no project base (`class Koboldcpp:` beside `class Chatgpt:` in `gpt_model/`):
        whether its folder is named for an AI service and at least MIN_FOLDER_SIBLINGS of its other
        modules, and half of them, name an LLM SDK or endpoint (a folder of one module per vendor)."""
        key = (relpath, "\0")  # per module: its folder's other modules
        got = self._counts.get(key)
        if got is None:
            found: set[str] = set()
            folder = relpath.rpartition("/")[0]
            own = [ms for ms in self._index().get(folder, ()) if not ms.relpath.endswith("__init__.py")
                   and ms.relpath != relpath and not is_test_path(ms.relpath)]
            if folder and len(own) <= MAX_SIBLINGS and not is_test_path(relpath) and self.ai_named(relpath, ""):
                _noted(own, relpath, self.project.root)
                found = {ms.relpath for ms in own if _raw(ms) is not None and self.marked(ms)}
                if 2 * len(found) < len(own):
                    found = set()
            got = self._counts[key] = frozenset(found)
        return len(got) >= MIN_FOLDER_SIBLINGS

    def in_family(self, ms: "ModuleSource") -> bool:
        """Whether a class of the module derives from a base at least MIN_SIBLINGS sibling modules
        naming an LLM SDK or endpoint derive from too (from bytes: the prefilter's question)."""
        raw = _raw(ms)
        if raw is None or b"class" not in raw:
            return False
        classes = self._bases(ms, raw)
        return any(len(self.sibling_providers(ms.relpath, b)) >= MIN_SIBLINGS for bases in classes.values() for b in bases) \
            or (any(not bases for bases in classes.values()) and self.folder_providers(ms.relpath))

    def member_of_http_base(self, ms: "ModuleSource", libs: frozenset[bytes]) -> bool:
        """Whether a class of the module is one provider among siblings (as `in_family` asks) through a
        base that a module of its package (its folder, `__init__.py` included, or the parent folder) defines
        while naming an HTTP library in `libs`: a member posting through a session its base builds
        (`self.session.post(...)`) names no HTTP library itself."""
        raw = _raw(ms)
        if raw is None or b"class" not in raw:
            return False
        for bases in self._bases(ms, raw).values():
            for b in bases:
                if len(self.sibling_providers(ms.relpath, b)) >= MIN_SIBLINGS and self._defined_with(ms.relpath, b, libs):
                    return True
        return False

    def _defined_with(self, relpath: str, base: str, libs: frozenset[bytes]) -> bool:
        from tokenlint.prefilter import identifiers

        folder = relpath.rpartition("/")[0]
        key = (folder, "\1" + base)
        got = self._counts.get(key)
        if got is None:
            name = base.rpartition(".")[2]
            folders = self._index()
            mods = folders.get(folder, []) + (folders.get(folder.rpartition("/")[0], []) if folder else [])
            needle = b"class " + name.encode()
            found = {ms.relpath for ms in mods[:MAX_SIBLINGS] if (raw := _raw(ms)) is not None and needle in raw
                     and name in self._bases(ms, raw) and not identifiers(raw).isdisjoint(libs)}
            if found:
                _noted([ms for ms in mods if ms.relpath in found], relpath, self.project.root)
            got = self._counts[key] = frozenset(found)
        return bool(got)


class FamilyMixin:
    """The `Resolver`'s question (a mixin: bases are evaluated with `infer`): is a class one provider
    among siblings, and is its raw HTTP request then one more service of the family (`_family_site`,
    asked by resolve/http.py)?"""

    catalog: "SdkCatalog"

    def provider_sibling(self, node: ast.ClassDef, scope: Scope) -> bool:
        """Whether the class derives from a project class that MIN_SIBLINGS sibling modules subclass
        in modules naming an LLM SDK or endpoint, or, deriving from nothing, sits in a folder most of
        whose modules name one (`families`)."""
        fams = self.__dict__.get("_families")
        if fams is None:
            from tokenlint.prefilter import sdk_pattern
            fams = self.__dict__["_families"] = Families(self.project, sdk_pattern(self.catalog),  # type: ignore[attr-defined]
                                                         frozenset(self.catalog.http.family_words))
        relpath = scope.module.source.relpath
        bases = [b for b in node.bases if not (isinstance(b, ast.Name) and b.id in ("object", "ABC"))]
        if not bases and not node.keywords:  # `class Koboldcpp:` among its folder's vendor modules
            return fams.folder_providers(relpath)
        for b in bases:
            if isinstance(b, ast.Subscript):  # `TTSBase[dict]`: the generic base itself
                b = b.value
            name = b.attr if isinstance(b, ast.Attribute) else b.id if isinstance(b, ast.Name) else None
            if name is None or len(fams.sibling_providers(relpath, name)) < MIN_SIBLINGS:
                continue
            if isinstance(self.infer(b, scope.module.scope), ClassV):  # type: ignore[attr-defined]  # the project's own
                return True
        return False

    def _family_site(self, rec: CallRecord, url: ast.expr, texts: list[str],
                     body_of: Callable[[], tuple[dict[str, ast.expr], Scope] | None], is_async: bool) -> CallSite | None:
        """The site ("inferred") of a request sending a body or opening a WebSocket to a URL no catalog
        entry knows, made by a method of a class that is one provider among siblings (`families`: its
        project base class subclassed in MIN_SIBLINGS sibling modules naming an LLM SDK or endpoint), as
        a TTS vendor's class beside OpenAI's and Azure's. The provider comes from the host when known.
        Never a request to a URL the method is handed (a helper's), to a known service running no model,
        to a route the project serves, nor one whose last path segment or whose method's name names no
        inference (a token, a status poll, an encoding: catalog `family_skip_words`, `family_skip_functions`)."""
        scope = rec.scope
        fs = enclosing_function(scope)
        cls = enclosing_class(scope)
        if fs is None or cls is None or fs.cls is not cls or not isinstance(cls.node, ast.ClassDef):
            return None
        if self._handed_url(url, fs, scope):
            return None  # `def _post(self, url, payload)`, `base + "/v1/tts"`: a helper; its callers' URLs tell
        if self._non_llm_host(texts) or self._non_llm_path(texts) or self._skipped_path(texts):  # type: ignore[attr-defined]
            return None
        name = fs.node.name if isinstance(fs.node, (ast.FunctionDef, ast.AsyncFunctionDef)) else ""
        if names_any(name, self.catalog.http.family_skip_functions):
            return None  # `def _get_token(self)`, `def _encode(self, text)`: named for a request running no inference
        from tokenlint.catalog import HttpEndpoint

        endpoint = HttpEndpoint(api="unknown")
        if self._own_route(texts, endpoint, rec, url):  # type: ignore[attr-defined]
            return None  # a client of the project's own server (not a base named for an upstream one)
        if not self.provider_sibling(cls.node, scope):
            return None
        provider = self.catalog.http.host_provider(*texts) or "unknown"
        site = self._http_site(rec, endpoint, provider, body_of(), is_async)  # type: ignore[attr-defined]
        site.confidence = "inferred"
        for node, path in self._last_url_nodes:  # type: ignore[attr-defined]
            self._url_used_lines.setdefault(path, set()).add(node.lineno)  # type: ignore[attr-defined]
        return site

    def _handed_url(self, url: ast.expr, fs: Scope, scope: Scope) -> bool:
        """Whether the method `fs` requests a URL its callers tell: the parameter itself (`def _post(self,
        url, payload)`), or a URL whose host comes from a parameter (`base + "/v1/tts"`,
        f"https://{host}/v1/tts", a local name assigned only such URLs) that some call of the method in the
        project hands a URL written as a literal or constant; handed only what the instance holds
        (`self._post(self.config["api_url"], ...)`), the method's request is the class's own."""
        if isinstance(url, ast.Name) and url.id in fs.params and not self._local_assignments(url.id, scope):  # type: ignore[attr-defined]
            return True
        params = self._host_params(url, fs, scope)
        return bool(params) and any(self._hands_written_url(fs, p) for p in params)

    def _host_params(self, url: ast.expr, fs: Scope, scope: Scope, depth: int = 0) -> set[str]:
        """The parameters of `fs` the URL's host comes from (through local names assigned only such
        URLs); empty when some of it comes from elsewhere."""
        e = host_part(url)
        if not isinstance(e, ast.Name) or e.id == fs.self_name or depth > 2:
            return set()
        assigned = self._local_assignments(e.id, scope)  # type: ignore[attr-defined]
        if not assigned:
            return {e.id} if e.id in fs.params else set()
        found: set[str] = set()
        for v, s in assigned:
            got = self._host_params(v, fs, s, depth + 1)
            if not got:
                return set()
            found |= got
        return found

    def _hands_written_url(self, fs: Scope, param: str) -> bool:
        """Whether some call of the function of `fs` in the project passes for `param` a string written
        as a literal or a constant (`self._post(API, ...)`), or a URL whose host is written in it."""
        for use in self._uses(fs) or ():  # type: ignore[attr-defined]
            e = use.bound.get(param) if use.bound is not None else None
            if e is None:
                continue
            v = self.infer(e, use.rec.scope)  # type: ignore[attr-defined]
            if type(v) is Str and v.value is not None and v.kind in ("literal", "constant"):
                return True
            if isinstance(e, (ast.JoinedStr, ast.BinOp)) and host_part(e) is None:
                return True
        return False

    def _skipped_path(self, texts: list[str]) -> bool:
        """Whether a URL's last path segment, as written, holds a word of a request that runs no inference."""
        words = self.catalog.http.family_skip_words
        for t in texts:
            path = SCHEME_HOST.sub("", t.split("?", 1)[0].rstrip("/"))
            last = path.rpartition("/")[2].replace(HOLE, " ")
            if "/" in path and names_any(last, words):
                return True
        return False


def _raw(ms: "ModuleSource") -> bytes | None:
    if ms.raw is None:
        try:
            ms.raw = read_source_bytes(ms.path)
        except (OSError, ValueError):
            return None
    return ms.raw


def _noted(mods: list["ModuleSource"], relpath: str, root: "Path") -> None:
    """Note the modules' files among those read (`templates.READS`), as `callers.naming_files` does, and
    the folders they were found in (their listings: a sibling added later changes the answer too)."""
    from tokenlint.resolve.templates import note_reads

    folder = relpath.rpartition("/")[0]
    folders = {folder, folder.rpartition("/")[0]} | {ms.relpath.rpartition("/")[0] for ms in mods}
    note_reads([str(ms.path) for ms in mods] + [str(root / f) if f else str(root) for f in sorted(folders)])


def names_any(text: str, words: "Iterable[str]") -> bool:
    """Whether one of `words` (each one or more whole words, `get_token`) is among the words of `text`
    (`_get_token`, `/v1/status`; never a part of one: `listen` holds no `list`)."""
    have = " " + " ".join(name_words(text)) + " "
    for w in words:
        parts = " ".join(name_words(w))
        if f" {parts} " in have or f" {parts}s " in have:  # a word, or its plural (`tokens`)
            return True
    return False
