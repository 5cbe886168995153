"""What a file tells about a request-shaped call whose receiver is unknown: which SDKs it imports
(anywhere, functions and `try` blocks included), whether the enclosing class or module is named after a
provider, and which keys a `**kwargs` dict built in the same function holds; and what the project
tells (the SDK packages its dependency files declare).

The resolver reports such a call with confidence "inferred" on this evidence (fail open) and withholds
it only on negative evidence (a receiver that is a known non-LLM object, arguments that contradict
the SDK's signature).
"""

from __future__ import annotations

import ast
import functools
import re
from typing import TYPE_CHECKING

from tokenlint.pins import declared_packages, package_name
from tokenlint.resolve.scope import Scope, enclosing_class, enclosing_function
from tokenlint.resolve.templates import READS, data_digest

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.resolve.site import Arg
    from tokenlint.catalog import ClientType, SdkCatalog
    from tokenlint.resolve.binder import ModuleInfo

# package names too generic to stand for one SDK (google.genai and google.generativeai differ)
_GENERIC_ROOTS = frozenset({"google", "azure", "langchain_community"})


def _root(qual: str) -> str:
    parts = qual.split(".")
    return ".".join(parts[:2]) if parts[0] in _GENERIC_ROOTS and len(parts) > 1 else parts[0]


class EvidenceMixin:
    """The `Resolver`'s evidence for inferred sites (a mixin over the binder's scopes and the catalog)."""

    catalog: "SdkCatalog"

    def _sdk_roots(self) -> dict[str, list["ClientType"]]:
        """Import root ("openai", "google.genai") -> the catalog client types it provides."""
        got = self.__dict__.get("_roots")
        if got is None:
            got = {}
            cat = self.catalog
            quals: list[tuple[str, "ClientType"]] = [(m, ct) for m, ct in cat.modules.items()]
            for index in (cat.classes,):
                for last, bucket in index._by_last.items():  # noqa: SLF001 - same package
                    quals += [(f"{mod}.{last}", ct) for mod, ct in bucket]
            for q, ct in quals:
                lst = got.setdefault(_root(q), [])
                if ct not in lst:
                    lst.append(ct)
            self.__dict__["_roots"] = got
        return got

    def imported_sdks(self, info: "ModuleInfo") -> list[tuple[str, "ClientType"]]:
        """Client types of the SDKs the module imports anywhere (module, class or function level), each
        with its import root, in a fixed order: the module's own imports first, then the functions' and
        classes', each in the order written (never a set's order: the answer must not change between runs)."""
        memo = self.__dict__.setdefault("_imported", {})
        got = memo.get(info)
        if got is not None:
            return got
        roots = self._sdk_roots()
        got = []
        for n in _imported_names(info):
            root = _root(n)
            for ct in roots.get(root, ()):
                if all(ct is not c for _r, c in got):
                    got.append((root, ct))
        memo[info] = got
        return got

    def declared_ctypes(self, scope: Scope, path: tuple[str, ...], sdk: str,
                        receiver: ast.expr | None = None) -> list["ClientType"]:
        """Project-level evidence for a request-shaped call on a receiver of unknown type: the client types
        with the method `path` of the SDK packages the project's dependency files name (every one from
        the module's folder up to the project root: pins.declared_packages, read as data), one per
        provider, the inferred chain's own SDK `sdk` first and the others in import-root order. A package
        is an SDK's when its name is the SDK's import root (`openai`, `google.genai` as google-genai) or one
        of the distributions the catalog lists for it (`packages`: boto3 for bedrock-runtime); distributions
        serving many services (`packages_shared`: most projects declare boto3 for S3) count only in a file
        importing one of them or around a `receiver`, class or file named for the SDK (`self.bedrock`)."""
        folder = scope.module.source.path.parent
        memo = self.__dict__.setdefault("_declared_packages", {})
        names = memo.get(folder)
        if names is None:
            looked: list = []
            names = memo[folder] = declared_packages(folder, self.project.root, looked)  # type: ignore[attr-defined]
            for p in looked:  # the results rest on these files: a cached result is stale once one changes
                READS.setdefault(str(p), data_digest(str(p)))
        got: list["ClientType"] = []
        for root, cts in sorted(self._sdk_roots().items()):
            named = package_name(root) in names
            ct = next((c for c in cts if (named or c.packages & names and self._shared_shown(c, scope, receiver))
                       and c.method(path)), None)
            if ct is not None and all(c.provider != ct.provider for c in got):
                got.append(ct)
        got.sort(key=lambda c: c.name != sdk)
        return got

    def _shared_shown(self, ct: "ClientType", scope: Scope, receiver: ast.expr | None) -> bool:
        """Whether a declared distribution of `ct` counts here: it serves only this SDK, or the module
        imports one of them (`import boto3`), or the receiver, class or file is named for the SDK."""
        if not ct.packages_shared:
            return True
        if any(package_name(n.split(".")[0]) in ct.packages for n in _imported_names(scope.module)):
            return True
        word = ct.name.split("-")[0].lower()
        return any(word in n for n in names_around(scope, extra=receiver))

    def named_after(self, scope: Scope, ct: "ClientType") -> bool:
        """Whether the enclosing class or the module's file is named after `ct`'s provider or SDK."""
        words = {ct.provider.lower().replace("_", ""), ct.name.split("-")[0].lower()}
        names = names_around(scope)
        return any(w and len(w) >= 4 and w in n for w in words for n in names)

    def shows_llm(self, call: ast.Call, scope: Scope, kwargs: tuple[str, ...], model: "Arg | None" = None) -> bool:
        """Whether a general inference call (SageMaker `invoke_endpoint`) reaches an LLM: its payload
        kwarg (`kwargs[0]`) holds an LLM request's keys (or, a list, one of its dicts: Vertex AI's
        `instances`), its parameters kwarg (`kwargs[2]`) a key only generation takes, or its endpoint
        name (`kwargs[1]`, or `model`) an LLM word or a publisher model's path. The payload is also the
        first positional argument when not passed by name (SageMaker's `predictor.predict(payload)`;
        boto3 methods take keywords only)."""
        kw = {k.arg: k.value for k in call.keywords if k.arg}
        cat = self.catalog
        body = kw.get(kwargs[0]) if kwargs else None
        if body is None and kwargs and call.args and not isinstance(call.args[0], ast.Starred):
            body = call.args[0]
        items = body.elts if isinstance(body, (ast.List, ast.Tuple)) else [body] if body is not None else []
        for item in items:
            d = self._dict_entries(item, scope, 0)  # type: ignore[attr-defined]
            if d is not None:
                keys = set(d[0])
                params = d[0].get("parameters")
                if isinstance(params, ast.Dict):
                    keys |= {k.value for k in params.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
                if any(b <= keys for b in cat.llm_bodies) or model is not None and keys & cat.llm_inputs and keys & cat.llm_caps:
                    return True
        params_kw = kw.get(kwargs[2]) if len(kwargs) > 2 else None
        d = self._dict_entries(params_kw, scope, 0) if params_kw is not None else None  # type: ignore[attr-defined]
        if d is not None and set(d[0]) & cat.llm_parameters:
            return True
        texts = [(model.value or model.env or "").lower()] if model is not None else []
        name = kw.get(kwargs[1]) if len(kwargs) > 1 and kwargs[1] else None
        if name is not None:
            v = self.infer(name, scope)  # type: ignore[attr-defined]
            texts.append((getattr(v, "value", None) or getattr(v, "env", None) or "").lower())
        return any(w in t for t in texts for w in cat.llm_names) or \
            any(re.search(p, t) for t in texts for p in cat.llm_name_patterns)

    def kwargs_dict(self, call: ast.Call, scope: Scope) -> tuple[dict[str, ast.expr], Scope] | None:
        """The entries of the dict passed as `**name`, when built in this function (`kwargs = {...}`,
        `kwargs["system"] = ...`, `dict(model=...)`), else None."""
        for k in call.keywords:
            if k.arg is None:
                return self._dict_entries(k.value, scope, 0)  # type: ignore[attr-defined]
        return None


def _imported_names(info: "ModuleInfo") -> dict[str, None]:
    """The dotted names the module imports anywhere (module, class or function level), in the order written."""
    names: dict[str, None] = {}  # insertion-ordered
    for scope in [info.scope, *info.func_scopes.values(), *info.class_scopes.values()]:
        for bindings in scope.bindings.values():
            for kind, data in bindings:
                if kind == "import":
                    names[data] = None
                elif kind == "from" and not data[0]:
                    names[f"{data[1]}.{data[2]}" if data[1] else data[2]] = None
    return names


def names_around(scope: Scope, function: bool = False, extra: ast.expr | None = None) -> list[str]:
    """The names around a call, lowercased without underscores: the module's file, the enclosing class,
    with `function` the enclosing function, and the last name of `extra` (`self.rerank_url`)."""
    names = [scope.module.source.relpath.rsplit("/", 1)[-1].lower().replace("_", "")]
    cls = enclosing_class(scope)
    if cls is not None:
        names.append(cls.name.lower().replace("_", ""))
    fs = enclosing_function(scope) if function else None
    if fs is not None:
        names.append(fs.name.lower().replace("_", ""))
    last = extra.attr if isinstance(extra, ast.Attribute) else extra.id if isinstance(extra, ast.Name) else None
    if last:
        names.append(last.lower().replace("_", ""))
    return names


def star_only(call: ast.Call) -> bool:
    """Whether the call passes only `*args` / `**kwargs` (nothing to check its shape against)."""
    return not [k for k in call.keywords if k.arg] and all(isinstance(a, ast.Starred) for a in call.args) \
        and bool(call.args or call.keywords)


def contradicts(call: ast.Call, forbid: frozenset[str], keys: set[str]) -> bool:
    """Negative evidence from the arguments: a forbidden keyword (Twilio's `body`, `to`, `from_`), or a
    positional argument where the SDK method takes keywords only."""
    return bool(forbid & keys) or any(not isinstance(a, ast.Starred) for a in call.args)


def passes_first(call: ast.Call, param: str | None) -> bool:
    """Whether the call passes the method's first parameter `param` (positionally, by keyword or
    through `*args` / `**kwargs`): a receiver known only by its name fits a framework's API only
    then (`handle.stream_chat(query=...)` on a local model object has another API's shape)."""
    return param is None or bool(call.args) or any(k.arg in (param, None) for k in call.keywords)


MOCK_WORDS = ("mock", "fake", "stub", "dummy")


@functools.lru_cache(maxsize=1 << 16)
def is_test_path(relpath: str) -> bool:
    """Whether a file is test code or a test double by its path (`tests/`, `test_*.py`, `scripts/e2e/
    mock_llm.py`). Remembered: the route and caller scans ask it of every file of the project."""
    parts = relpath.lower().split("/")
    return any(p in ("test", "tests", "e2e", "testing") or p.startswith("test_") or p.endswith("_test.py")
               or any(w in p for w in MOCK_WORDS) for p in parts)


def in_test_function(scope: Scope) -> bool:
    """Whether `scope` is, or is inside, a test function (`test` / `test_*`)."""
    s: Scope | None = scope
    while s is not None:
        if s.kind == "function" and (s.name == "test" or s.name.startswith("test_")):
            return True
        s = s.parent
    return False


def looks_mocked(call: ast.Call, scope: Scope) -> bool:
    """Negative evidence: the receiver is named like a test double, or the call is in a test function."""
    e: ast.expr = call.func
    while isinstance(e, ast.Attribute):
        e = e.value
    name = e.id.lower() if isinstance(e, ast.Name) else ""
    return any(w in name for w in MOCK_WORDS) or in_test_function(scope)
