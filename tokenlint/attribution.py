"""Attribution sinks: where a team reads spend per feature, whether a call's tag reaches one, and
where TKL101's fix may write a tag so that the request stays valid and the tag is read.

The sinks, their conventions, the API constraints and the frameworks' own tag conventions (which
reader reads a LangChain run's metadata, a model's headers, a LlamaIndex instrumentation tag) are
data (catalog/sinks.toml). The project's
sinks come from `[tool.tokenlint] attribution = [...]`, else they are inferred from its source text
(imports of litellm, langfuse, portkey_ai; a Helicone, Portkey or LiteLLM proxy URL), and the
inventory and audit say which were used and why.
"""

from __future__ import annotations

import ast
import fnmatch
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Optional

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.resolve.site import CallSite

SINKS_TOML = Path(__file__).parent / "catalog" / "sinks.toml"
HEADER_PREFIX = "header:"
_HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")  # an HTTP header token (RFC 9110)


@dataclass(frozen=True)
class Sink:
    name: str
    title: str
    export: str
    reads: tuple[str, ...] = ()
    reads_when_client: tuple[tuple[str, str], ...] = ()
    maps_keys: bool = False
    infer_imports: tuple[str, ...] = ()
    infer_urls: tuple[str, ...] = ()
    source: str = ""
    checked: str = ""
    header: Optional[str] = None  # header:<Name>

    @property
    def kind(self) -> str:
        """The name its [[write]] entries use ("header" for every header:<Name>)."""
        return "header" if self.header else self.name


@dataclass(frozen=True)
class Write:
    sink: str
    sdks: tuple[str, ...]
    kwarg: str
    path: tuple[str, ...]
    form: str
    providers: tuple[str, ...] = ()
    apis: tuple[str, ...] = ()
    source: str = ""
    at: str = "call"  # "request": a framework request's per-call config


@dataclass(frozen=True)
class Convention:
    """Where a framework carries a tag (`carries`: tag path patterns) and which sinks read it there."""

    framework: str  # an sdk name, or "*" for every call site
    name: str
    carries: tuple[str, ...]
    read_by: tuple[str, ...] = ()
    providers: tuple[str, ...] = ()
    sink_reads: bool = False  # the sink's own `reads` must match as well (headers)
    config_position: Optional[int] = None
    with_config_position: Optional[int] = None
    context_managers: tuple[str, ...] = ()
    readers: tuple[tuple[str, str], ...] = ()  # reader -> what it does with the tag (documentation)
    source: str = ""
    checked: str = ""

    def carries_tag(self, via: str, key: str) -> bool:
        return any(_path_matches(p, via, key) for p in self.carries)


@dataclass(frozen=True)
class Constraint:
    sdks: tuple[str, ...]
    kwarg: str
    reason: str
    apis: tuple[str, ...] = ()
    first_key: Optional[str] = None
    requires_call: tuple[tuple[str, str], ...] = ()
    requires_client: tuple[tuple[str, str], ...] = ()
    allowed_keys: Optional[tuple[str, ...]] = None
    source: str = ""


@dataclass(frozen=True)
class SinkCatalog:
    sinks: dict[str, Sink]
    writes: tuple[Write, ...]
    constraints: tuple[Constraint, ...]
    checked: str = ""
    conventions: tuple[Convention, ...] = ()


def _t(v: Any) -> tuple[str, ...]:
    return tuple(v) if isinstance(v, list) else ((v,) if isinstance(v, str) else ())


def _pairs(v: Any) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((str(k), str(x)) for k, x in v.items())) if isinstance(v, dict) else ()


@lru_cache(maxsize=None)
def load_sinks(path: Path = SINKS_TOML) -> SinkCatalog:
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    sinks = {name: Sink(name=name, title=e.get("title", name), export=e.get("export", ""), reads=_t(e.get("reads")),
                        reads_when_client=_pairs(e.get("reads_when_client")), maps_keys=e.get("maps") == "keys",
                        infer_imports=_t(e.get("infer_imports")), infer_urls=_t(e.get("infer_urls")),
                        source=e.get("source", ""), checked=e.get("checked", ""))
             for name, e in data.get("sink", {}).items()}
    writes = tuple(Write(sink=w["sink"], sdks=_t(w["sdks"]), kwarg=w["kwarg"], path=_t(w["path"]), form=w["form"],
                         providers=_t(w.get("providers")), apis=_t(w.get("apis")), source=w.get("source", ""),
                         at=w.get("at", "call"))
                   for w in data.get("write", []))
    constraints = tuple(Constraint(sdks=_t(c["sdks"]), kwarg=c["kwarg"], reason=c["reason"], apis=_t(c.get("apis")),
                                   first_key=c.get("first_key"), requires_call=_pairs(c.get("requires_call")),
                                   requires_client=_pairs(c.get("requires_client")),
                                   allowed_keys=_t(c["allowed_keys"]) if "allowed_keys" in c else None,
                                   source=c.get("source", ""))
                        for c in data.get("constraint", []))
    conventions = tuple(Convention(framework=c["framework"], name=c["name"], carries=_t(c.get("carries")),
                                   read_by=_t(c.get("read_by")), providers=_t(c.get("providers")),
                                   sink_reads=bool(c.get("sink_reads")), config_position=c.get("config_position"),
                                   with_config_position=c.get("with_config_position"),
                                   context_managers=_t(c.get("context_managers")), readers=_pairs(c.get("readers")),
                                   source=c.get("source", ""), checked=c.get("checked", ""))
                        for c in data.get("convention", []))
    return SinkCatalog(sinks, writes, constraints, data.get("meta", {}).get("checked", ""), conventions)


def conventions_for(sdk: str, provider: str = "", catalog: Optional[SinkCatalog] = None) -> list[Convention]:
    """The tag conventions that apply to a call site of `sdk` (its framework's, and those of every site)."""
    cat = catalog or load_sinks()
    return [c for c in cat.conventions if c.framework in (sdk, "*") and (not c.providers or provider in c.providers)]


def is_framework(sdk: str, catalog: Optional[SinkCatalog] = None) -> bool:
    """Whether `sdk` is a framework whose tags are read only as its [[convention]] entries say."""
    return any(c.framework == sdk for c in (catalog or load_sinks()).conventions)


def sink_names(catalog: Optional[SinkCatalog] = None) -> list[str]:
    return [*(catalog or load_sinks()).sinks, f"{HEADER_PREFIX}<Name>"]


def sink_named(name: str, catalog: Optional[SinkCatalog] = None) -> Sink:
    """The sink called `name`; ValueError naming the known ones when there is none."""
    cat = catalog or load_sinks()
    if name.startswith(HEADER_PREFIX):
        header = name[len(HEADER_PREFIX):].strip()
        if not _HEADER_NAME.match(header):
            raise ValueError(f"'{name}' is not a header sink: write header:<Name> with an HTTP header name")
        return Sink(name=f"{HEADER_PREFIX}{header}", title=f"in-house gateway reading the {header} header",
                    export=f"your gateway's log of the {header} header", reads=(f"*.{header.lower()}",),
                    header=header, source="[tool.tokenlint] attribution", checked="")
    sink = cat.sinks.get(name)
    if sink is None:
        raise ValueError(f"unknown attribution sink '{name}' (known: {', '.join(sink_names(cat))})")
    return sink


# ------------------------------------------------------------------ the project's sinks


@dataclass(frozen=True)
class Attribution:
    """The sinks a run checks tags against, and why: configured, inferred (with the evidence), or none."""

    sinks: tuple[Sink, ...] = ()
    how: str = "none"  # configured | inferred | none
    reasons: tuple[str, ...] = ()  # per sink, for an inferred one: "imports litellm (app/llm.py)"
    keys: tuple[tuple[str, str], ...] = ()  # [tool.tokenlint.attribution-keys]: project / key env -> feature

    def names(self) -> list[str]:
        return [s.name for s in self.sinks]

    def summary(self) -> str:
        if not self.sinks:
            return "none: no [tool.tokenlint] attribution and none inferable from the project"
        if self.how == "configured":
            return f"{', '.join(self.names())} (configured)"
        return "; ".join(f"{s.name} (inferred: {r})" for s, r in zip(self.sinks, self.reasons))

    def as_dict(self) -> dict[str, Any]:
        return {"sinks": self.names(), "how": self.how, "reasons": list(self.reasons)}

    @classmethod
    def from_dict(cls, d: Any) -> "Attribution":
        """Back from `as_dict` (a recorded run); a record of another shape reads as no sink."""
        try:
            return cls(tuple(sink_named(n) for n in d["sinks"]), str(d["how"]), tuple(str(r) for r in d["reasons"]))
        except (KeyError, TypeError, ValueError):
            return cls()


def configured(names: Iterable[str], keys: Iterable[tuple[str, str]] = ()) -> Attribution:
    sinks = tuple(sink_named(n) for n in names)
    return Attribution(sinks, "configured" if sinks else "none", (), tuple(keys))


_URL = re.compile(rb"""["'](https?://[^"'\s]{1,300})["']""")


def infer(files: Iterable[tuple[str, bytes]], keys: Iterable[tuple[str, str]] = (),
          catalog: Optional[SinkCatalog] = None) -> Attribution:
    """The sinks a project's source text shows it uses: `files` are (relpath, bytes), read as text
    only. Evidence per sink is the first file (in path order) that imports its module or names its URL.
    One pass per file: every sink's modules in one regex, the URLs found once."""
    cat = catalog or load_sinks()
    found: dict[str, str] = {}
    module_sink = {m: name for name, s in cat.sinks.items() for m in s.infer_imports}
    imports = re.compile(rb"^[ \t]*(?:import|from)[ \t]+(" + b"|".join(
        re.escape(m.encode()) for m in sorted(module_sink, key=len, reverse=True)) + rb")\b", re.M) \
        if module_sink else None
    # a file can import a sink's module only if it holds the module's name: a substring search per
    # name is far cheaper than running the line-anchored regex over every file that says "import"
    needles = tuple({m.split(".")[0].encode() for m in module_sink})
    url_sinks = [(name, s.infer_urls) for name, s in cat.sinks.items() if s.infer_urls]
    # a URL pattern can match only where its longest literal part is in the file: most files with
    # a URL (docstrings, links) name no sink, and finding every URL in them was most of the time
    fragments = tuple({max(re.split(r"[*?\[\]]", p), key=len).lower().encode() for _, ps in url_sinks for p in ps})
    for rel, raw in sorted(files):
        if len(found) == len(cat.sinks):
            break
        if imports is not None and b"import" in raw and any(n in raw for n in needles):
            for m in imports.finditer(raw):
                module = m.group(1).decode()
                found.setdefault(module_sink[module], f"imports {module} ({rel})")
        if b"://" not in raw or all(name in found for name, _ in url_sinks):
            continue
        low = raw.lower()
        if not any(f in low for f in fragments):
            continue
        for u in _URL.findall(raw):
            url = u.decode("utf-8", "replace")
            for name, patterns in url_sinks:
                if name not in found and any(fnmatch.fnmatch(url.lower(), p) for p in patterns):
                    found[name] = f"URL {url} ({rel})"
    order = [n for n in cat.sinks if n in found]
    return Attribution(tuple(cat.sinks[n] for n in order), "inferred" if order else "none",
                       tuple(found[n] for n in order), tuple(keys))


# ------------------------------------------------------------------ does a call's tag reach a sink


def _path_matches(pattern: str, via: str, key: str) -> bool:
    return fnmatch.fnmatchcase(via, pattern.replace("{key}", key.lower()))


def bypasses(site: "CallSite", sink: Sink) -> bool:
    """A gateway sink (one known by its URLs) that this call cannot pass: its client's base_url is a
    literal URL that is not the gateway's. (An environment variable, or no base_url, may point there.)"""
    url = site.client_args.get("base_url") or site.client_args.get("api_base") or ""
    return bool(sink.infer_urls) and url.startswith(("http://", "https://")) and \
        not any(fnmatch.fnmatch(url.lower(), p) for p in sink.infer_urls)


def reaches(site: "CallSite", sink: Sink, key: str) -> bool:
    """Whether the site's tag (as the resolver found it) sits where `sink` reads tags. A tag path a
    [[convention]] describes is read by the sinks it names (a LangChain run's metadata by LangSmith and
    Langfuse, not by a gateway); a framework's other tag paths by none."""
    if site.tag is None or not site.tag_via or bypasses(site, sink):
        return False
    if any(site.client_args.get(k) != v for k, v in sink.reads_when_client):
        return False
    via = site.tag_via.lower()
    own = any(_path_matches(p, via, key) for p in sink.reads)
    matching = [c for c in conventions_for(site.sdk, site.provider) if c.carries_tag(via, key)]
    if matching:
        return any(sink.kind in c.read_by and (own or not c.sink_reads) for c in matching)
    return own and not is_framework(site.sdk)


def mapped_feature(site: "CallSite", att: Attribution) -> Optional[tuple[Sink, str]]:
    """For project / workspace / key sinks: (sink, feature) when the client's project=,
    organization= or api_key environment variable is mapped to a feature in config."""
    keys = dict(att.keys)
    for sink in att.sinks:
        if not sink.maps_keys:
            continue
        for arg in ("project", "organization", "api_key", "workspace"):
            v = site.client_args.get(arg)
            if v is None:
                continue
            name = v[4:] if v.startswith("env:") else v
            if name in keys:
                return sink, keys[name]
    return None


def reached_sink(site: "CallSite", att: Attribution, key: str) -> Optional[Sink]:
    for sink in att.sinks:
        if reaches(site, sink, key):
            return sink
    found = mapped_feature(site, att)
    return found[0] if found else None


# ------------------------------------------------------------------ where the fix may write


@dataclass(frozen=True)
class Plan:
    """Where to write the tag: keyword `kwarg`, dict keys `path`, value text `leaf` (Python source)."""

    sink: Sink
    kwarg: str
    path: tuple[str, ...]
    leaf: str
    position: Optional[int] = None  # `kwarg` may be given by position (`invoke(input, config)`)


def _fill(part: str, key: str, sink: Sink) -> str:
    return part.replace("{key}", key).replace("{Key}", key.title()).replace("{header}", sink.header or "")


def _leaf(form: str, key: str, feature: str) -> Any:
    if form == "value":
        return feature
    if form == "tag":
        return f"{key}:{feature}"
    if form == "tags":
        return [f"{key}:{feature}"]
    if form == "json":
        import json

        return json.dumps({key: feature})
    raise ValueError(f"unknown write form {form!r}")


def _literal_kwargs(call: Optional[ast.Call]) -> dict[str, str]:
    if call is None:
        return {}
    return {k.arg: repr(k.value.value) if not isinstance(k.value.value, str) else k.value.value
            for k in call.keywords if k.arg and isinstance(k.value, ast.Constant)}


def refusal(site: "CallSite", kwarg: str, path: tuple[str, ...], catalog: Optional[SinkCatalog] = None) -> Optional[str]:
    """Why writing into `kwarg` at `path` on this call would make a request the SDK or the API
    rejects, or a tag nothing reads (the [[constraint]] data); None when nothing forbids it."""
    cat = catalog or load_sinks()
    for c in cat.constraints:
        if site.sdk not in c.sdks or c.kwarg != kwarg or (c.apis and site.api not in c.apis):
            continue
        if c.first_key is not None and (not path or path[0] != c.first_key):
            continue
        call_args = _literal_kwargs(site.node)
        if any(call_args.get(k) != v for k, v in c.requires_call):
            return c.reason
        if any(site.client_args.get(k) != v for k, v in c.requires_client):
            return c.reason
        if c.allowed_keys is not None and path and path[0] not in c.allowed_keys:
            return c.reason
    return None


def plan(site: "CallSite", att: Attribution, key: str, feature: str,
         catalog: Optional[SinkCatalog] = None) -> Optional[Plan]:
    """The first configured sink with a [[write]] for this call's SDK that no [[constraint]] forbids."""
    cat = catalog or load_sinks()
    for sink in att.sinks:
        if bypasses(site, sink):
            continue
        for w in cat.writes:
            if w.sink != sink.kind or site.sdk not in w.sdks:
                continue
            if (w.providers and site.provider not in w.providers) or (w.apis and site.api not in w.apis):
                continue
            if (w.at == "request") != (site.kind == "request"):
                continue  # a request's per-call config is no constructor keyword, and the reverse
            path = tuple(_fill(p, key, sink) for p in w.path)
            if refusal(site, w.kwarg, path, cat) is not None:
                continue
            position = next((c.config_position for c in conventions_for(site.sdk, site.provider, cat)
                             if c.config_position is not None), None) if w.at == "request" else None
            return Plan(sink, w.kwarg, path, repr_literal(_leaf(w.form, key, feature)), position)
    return None


def repr_literal(v: Any) -> str:
    """Python source for a str or a list of str, double-quoted (the style of the fixes)."""
    from tokenlint.fixes import python_string

    if isinstance(v, list):
        return "[" + ", ".join(python_string(x) for x in v) + "]"
    return python_string(v)
