"""Whether a request goes to a model server the user runs (a self-hosted server), read from the
constructor of the client or model object that makes it: such a server bills no tokens."""

from __future__ import annotations

import ast
import re
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Callable, Iterable, Optional

from tokenlint.catalog import load_model_catalog
from tokenlint.resolve.caps import caps_data
from tokenlint.resolve.hosts import local_host
from tokenlint.resolve.imports import definition

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.resolve.scope import Scope

# a name that says "local": LOCAL_LLM_URL, local_base_url, self.localUrl (not "locale", "LOCALE")
# the words of a CamelCase or snake_case name: VLLMClient -> VLLM, Client; llama_cpp_backend -> llama, cpp, backend
NAME_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
UrlTexts = Callable[[ast.expr, "Scope"], list[str]]  # a URL expression's candidate texts (Resolver.url_texts)
_LOCAL_WORD = re.compile(r"(?:^|[^A-Za-z])(?:local(?![a-z])|Local(?![a-z])|LOCAL(?![A-Z]))")


def _spec() -> dict:
    return caps_data().get("self_hosted", {})


def self_hosted(calls: Iterable[tuple[ast.Call, "Scope"]], models: Iterable[str] = (),
                urls: Optional[UrlTexts] = None) -> bool:
    """True when one of `calls` (the request, then the constructors of the client or model object it
    runs on) points at a server the user runs: a base URL on a loopback or private address or read
    from a setting named "local", or a dummy API key (catalog/output_caps.toml [self_hosted]); or when
    every known model name is one that names the user's own server ("Local LLM", "local-model").
    `urls`: the resolver's evaluation of a URL expression (`Resolver.url_texts`), for a base URL built
    where it is not written (`f"http://{args.get('host', '0.0.0.0')}:{port}/v1"`, `self.base_url` set
    from a parameter's default, a module constant): local when a text it may be names a local host and
    none names another (resolve/hosts.py)."""
    spec = _spec()
    names = [m.lower().rpartition("/")[2] for m in models if m]
    if names and all(any(fnmatchcase(n, p) for p in spec.get("models", ())) for n in names):
        return True
    if any(_billed_model(m, spec) for m in models if m):
        return False  # a provider's own model through a gateway the user runs (a LiteLLM proxy): billed
    bases, keys = set(spec.get("base_url_params", ())), set(spec.get("api_key_params", ()))
    for call, scope in calls:
        if call is None:
            continue
        for k in call.keywords:
            if k.arg in bases and (_local_url(k.value, scope, 0) or
                                   urls is not None and _local_texts(urls(k.value, scope))):
                return True
            if k.arg in keys and any(_dummy_key(t) for t in _key_literals(k.value, scope)):
                return True
    return False


def _local_texts(texts: list[str]) -> bool:
    """Some of the texts a URL may be name a local host, and none names another host."""
    verdicts = {local_host(t) for t in texts}
    return True in verdicts and False not in verdicts


def named_for_server(calls: Iterable[tuple[ast.Call, "Scope"]], scope: "Scope", models: Iterable[str] = ()) -> bool:
    """True when the request is made in a class named after a model server the user runs
    (`class OllamaCompletionTasks`, `VLLMClient`, `LlamaCppBackend`: [self_hosted] server_words) on a client
    whose base URL the code sets (`AsyncOpenAI(base_url=config.base_url, ...)`: an OpenAI-compatible
    client aimed at that server), and no model the catalog lists for a billing provider is named."""
    spec = _spec()
    words = set(spec.get("server_words", ()))
    s = scope
    named = False
    while s is not None and not named:
        if s.kind == "class":
            tokens = [t.lower() for t in NAME_WORDS.findall(s.name)]
            named = bool(words & (set(tokens) | {a + b for a, b in zip(tokens, tokens[1:])}))
        s = s.parent
    if not named or any(_billed_model(m, spec) for m in models if m):
        return False
    urls = set(spec.get("base_url_params", ()))
    return any(k.arg in urls for call, _ in calls if call is not None for k in call.keywords)


def handed_self_hosted(request: ast.Call, bound: dict, scope: "Scope", models: Iterable[str] = ()) -> bool:
    """True when `request` (`client.completions.create(...)` in a project function) is made on a parameter
    that the caller binds (`bound`: parameter -> argument, in `scope`) to a client built, in the caller,
    for a server the user runs (`client = OpenAI(api_key="none", base_url=f"http://localhost:{port}/v1")`
    handed on as `fewshot(client=client)`)."""
    root = request.func
    while isinstance(root, (ast.Attribute, ast.Call)):
        root = root.value if isinstance(root, ast.Attribute) else root.func
    arg = bound.get(root.id) if isinstance(root, ast.Name) else None
    if isinstance(arg, ast.Name):
        b = definition(arg.id, scope)
        if b is not None and b[0] == "assign" and isinstance(b[1], ast.expr):
            arg, scope = b[1], b[2]
    if isinstance(arg, ast.Await):
        arg = arg.value
    return isinstance(arg, ast.Call) and self_hosted([(arg, scope)], models)


def _billed_model(model: str, spec: dict) -> bool:
    """Whether the model catalog lists `model` for a provider that bills it ([self_hosted]
    gateway_providers): "gpt-4o", "anthropic/claude-sonnet-4-5" sent to localhost go through a proxy."""
    info = load_model_catalog(None).lookup(model)
    return info is not None and info.provider in spec.get("gateway_providers", ())


def local_url(e: ast.expr, scope: "Scope") -> bool:
    """Whether `e` is a base URL of a server the user runs (see `_local_url`)."""
    return _local_url(e, scope, 0)


def _local_url(e: ast.expr, scope: "Scope", depth: int) -> bool:
    """A base URL on a loopback / private host ("http://127.0.0.1:8080/v1", f"http://localhost:{port}"),
    or one read from a setting named local (`LOCAL_LLM_URL`, `os.getenv("LOCAL_BASE", ...)`,
    `settings.local_url`), or falling back to such a host (`os.getenv("API_BASE", "http://localhost:8000")`)."""
    if depth > 3:
        return False
    if _local_texts(_literals(e)):  # (`x if c else "https://api..."`: not only a local server)
        return True
    if isinstance(e, ast.JoinedStr):  # f"http://localhost:{port}/v1"
        return any(isinstance(v, ast.Constant) and isinstance(v.value, str) and local_host(v.value, whole=False)
                   for v in e.values[:1])
    if isinstance(e, ast.BinOp) and isinstance(e.op, ast.Add):  # SAKURA_API_BASE + "/v1"
        return _local_url(e.left, scope, depth + 1)
    if isinstance(e, ast.Call):  # os.getenv("LOCAL_LLM_URL", "") / os.environ.get / settings.get
        f = e.func
        if isinstance(f, ast.Attribute) and f.attr in ("getenv", "get") and e.args:
            return any(_local_url(a, scope, depth + 1) for a in e.args[:2]) or \
                any(_LOCAL_WORD.search(t) for t in _literals(e.args[0]))
        return False
    if isinstance(e, ast.Subscript):  # os.environ["LOCAL_LLM_URL"]
        return any(_LOCAL_WORD.search(t) for t in _literals(e.slice))
    if isinstance(e, ast.Attribute):  # settings.LOCAL_LLM_URL, self.local_url
        return bool(_LOCAL_WORD.search(e.attr))
    if isinstance(e, ast.Name):
        if _LOCAL_WORD.search(e.id):
            return True
        b = definition(e.id, scope)  # API_BASE = os.getenv("API_BASE", "http://127.0.0.1:8080/v1")
        if b is not None and b[0] == "assign" and isinstance(b[1], ast.expr):
            return _local_url(b[1], b[2], depth + 1)
    return False


def _dummy_key(text: str) -> bool:
    """A literal API key shorter than any provider's keys and not a "fill in your key" placeholder
    ("EMPTY", "123456", "sk-114514", "not-needed"): the server it is sent to checks no key."""
    low = text.lower()
    return 0 < len(text.strip()) < _spec().get("dummy_key_max", 0) and \
        not any(p in low for p in _spec().get("key_placeholders", ()))


def _key_literals(e: ast.expr, scope: "Scope") -> list[str]:
    """The string constants an API key argument may be: written there, or through a name every binding
    of which is a literal (`openai_api_key = "EMPTY"` a line above `OpenAI(api_key=openai_api_key)`);
    none when one binding of the name is anything else (an environment read may give a real key)."""
    if not isinstance(e, ast.Name):
        return _literals(e)
    b = definition(e.id, scope)
    if b is None or b[0] != "assign" or not isinstance(b[1], ast.expr):
        return []
    bound = b[2].bindings.get(e.id) or [("assign", b[1])]  # (imported under another name: its one value)
    values = [d for _k, d in bound]
    if any(k != "assign" for k, _d in bound) or not all(isinstance(v, ast.expr) and _literals(v) for v in values):
        return []
    return [t for v in values for t in _literals(v)]


def _literals(e: ast.expr) -> list[str]:
    """The string constants `e` may be: itself, or the alternatives of `a or "x"` / `x if c else "y"`."""
    if isinstance(e, ast.Constant) and isinstance(e.value, str):
        return [e.value]
    if isinstance(e, ast.BoolOp):
        return [t for v in e.values for t in _literals(v)]
    if isinstance(e, ast.IfExp):
        return _literals(e.body) + _literals(e.orelse)
    return []
