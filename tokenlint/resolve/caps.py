"""Whether a generation request bounds its output: an output-cap parameter given, none, or unknown."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Optional

from tokenlint.pins import runs_below
from tokenlint.resolve.imports import definition
from tokenlint.resolve.reaching import reaching_use
from tokenlint.resolve.scope import assigned

try:  # pragma: no cover - depends on the interpreter
    import tomllib
except ModuleNotFoundError:  # pragma: no cover
    import tomli as tomllib  # type: ignore[no-redef]

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.resolve.scope import Scope

CAPS = Path(__file__).resolve().parent.parent / "catalog" / "output_caps.toml"


@dataclass(frozen=True)
class CapSpec:
    params: tuple[str, ...]
    exclude: frozenset[str]
    exclude_providers: frozenset[str]
    sdk_params: dict[str, tuple[str, ...]]  # an SDK's own cap parameters, in place of `params`
    not_text: tuple[str, ...]  # parameters whose presence means the output is not text (speech, image)
    not_text_models: tuple[str, ...] = ()  # model-name patterns of models whose output is not text
    # parameters whose listed values include one of these (lower case) ask for output that is not text only
    # (`config.response_modalities=["TEXT", "IMAGE"]`)
    not_text_values: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # attributes of the answer that hold its image output (`part.inline_data`, `part.as_image()`), and those
    # that hold its text (`response.text`): an answer read through the first and never the second is an image
    not_text_reads: tuple[str, ...] = ()
    text_reads: tuple[str, ...] = ()

    def writes_text(self, models: Iterable[str]) -> bool:
        """False when every one of `models` (known model names) is a model whose output is not text."""
        names = [m.lower().rpartition("/")[2] for m in models if m]
        return not names or not all(any(fnmatchcase(n, p) for p in self.not_text_models) for n in names)

    def names(self, sdk: str) -> tuple[str, ...]:
        return self.sdk_params.get(sdk, self.params)


@lru_cache(maxsize=1)
def caps_data() -> dict:
    with open(CAPS, "rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=1)
def local_providers() -> frozenset[str]:
    """Providers that are model servers the user runs (Ollama, Xinference): they bill no tokens
    (catalog data: catalog/output_caps.toml `local_providers`)."""
    return frozenset(caps_data().get("local_providers", ()))


@lru_cache(maxsize=1)
def _local_orgs() -> frozenset[str]:
    return frozenset(o.lower() for o in caps_data().get("local_model_orgs", ()))


@lru_cache(maxsize=1)
def _local_names() -> tuple[str, ...]:
    return tuple(p.lower() for p in caps_data().get("local_model_names", ()))


def local_model(name: str) -> bool:
    """Whether model id `name` belongs to an organisation whose models run in process
    ("sentence-transformers/all-MiniLM-L6-v2", or the bare "all-MiniLM-L6-v2" the library completes;
    catalog/output_caps.toml `local_model_orgs`, `local_model_names`)."""
    low = name.strip().lower()
    org, sep, _ = low.partition("/")
    if sep:
        return org in _local_orgs()
    return any(fnmatchcase(low, p) for p in _local_names())


@lru_cache(maxsize=1)
def cap_specs() -> dict[str, CapSpec]:
    """The output-cap parameters per api (catalog data: catalog/output_caps.toml)."""
    data = caps_data()
    local = local_providers()
    return {c["api"]: CapSpec(tuple(c["params"]), frozenset(c.get("exclude", ())),
                              frozenset(c.get("exclude_providers", ())) | local,
                              {k: tuple(v) for k, v in c.get("sdk_params", {}).items()},
                              tuple(c.get("not_text", ())), tuple(c.get("not_text_models", ())),
                              tuple((k, tuple(v.lower() for v in vs)) for k, vs in c.get("not_text_values", {}).items()),
                              tuple(c.get("not_text_reads", ())), tuple(c.get("text_reads", ())))
            for c in data.get("cap", ())}


@lru_cache(maxsize=1)
def default_caps() -> dict[str, dict]:
    """sdk -> its [[default_cap]] entry: the library sends a cap of its own in releases before `until`."""
    return {d["sdk"]: d for d in caps_data().get("default_cap", ())}


def library_default(sdk: str, specs: dict[str, list[str]]) -> tuple[str, Optional[str]]:
    """A model object of `sdk` built with no cap: ("set", None) when its library sends a default cap in
    every release the project's dependency specifiers `specs` allow (tokenlint.pins.nearest_specs),
    ("missing", None) when it sends none in any of them, and ("missing", note) when they do not say which
    release runs: the note names the default and the release that dropped it (catalog/output_caps.toml
    [[default_cap]])."""
    entry = default_caps().get(sdk)
    if entry is None:
        return "missing", None
    below = runs_below(specs, entry["packages"], entry["until"])
    if below is None:
        return "missing", (f"{entry['packages'][0]} releases before {entry['until']} send {entry['sends']}, "
                           f"and no dependency file here pins which release runs")
    return ("set" if below else "missing"), None


def output_cap(sdk: str, api: str, provider: str, calls: Iterable[tuple[ast.Call, "Scope"]],
               models: Iterable[str] = ()) -> Optional[str]:
    """"set" when one of `calls` (the request, then the client or model object that configures it)
    passes an output cap, "unknown" when one passes arguments that cannot be read (`**kwargs`, a
    config built elsewhere), "missing" otherwise; None when the api is not judged, or when every
    model the request may use (`models`, the names known) writes images or audio, not text."""
    spec = cap_specs().get(api)
    sdk = sdk.split(":", 1)[0]  # a module's functions: "google-generativeai-functions:google.generativeai"
    if spec is None or sdk in spec.exclude or provider in spec.exclude_providers:
        return None
    if not spec.writes_text(models):
        return None
    calls = [(c, s) for c, s in calls if c is not None]
    if any(_given(c, s, name) is not None for name in spec.not_text for c, s in calls):
        return None  # a speech request (`speech_config=...`): its output is audio, not judged
    if any(_lists(c, s, name, values) for name, values in spec.not_text_values for c, s in calls):
        return None  # an image request (`response_modalities=["TEXT", "IMAGE"]`): not judged
    unknown = False
    for call, scope in calls:
        for name in spec.names(sdk):
            got = _given(call, scope, name)
            if got == "set":
                return "set"
            unknown = unknown or got == "unknown"
        if any(k.arg is None for k in call.keywords):
            unknown = True
    return "unknown" if unknown else "missing"


def request_cap(own: Optional[str], bindings: list[Optional[str]]) -> Optional[str]:
    """A framework request's cap: set by its own calls (`invoke(..., max_tokens=n)`, `.bind(...)`,
    `.with_config(...)`) or by every model object it may run on (the constructors, fallbacks too);
    None when no model object is known (not judged)."""
    if own == "set":
        return "set"
    judged = [b for b in bindings if b is not None]
    if not bindings or len(judged) < len(bindings):
        return None  # a model whose cap is not judged here (Anthropic, a local server) or not known
    if own == "unknown" or "unknown" in judged:
        return "unknown"
    return "missing" if "missing" in judged else "set"


def _lists(call: ast.Call, scope: "Scope", name: str, values: tuple[str, ...]) -> bool:
    """Whether the request passes parameter `name` ("a.b": key b of the dict or keyword b of the config
    object passed as a) as a list holding one of `values` (lower case): a string (`"IMAGE"`) or an enum
    member (`types.Modality.IMAGE`), written there or through names assigned once."""
    head, _, key = name.partition(".")
    value: Optional[ast.expr] = next((k.value for k in call.keywords if k.arg == head), None)
    for part in (key.split(".") if key else []):
        if value is None:
            return False
        value, scope = _followed(value, scope)
        if isinstance(value, ast.Dict):
            value = next((v for k, v in zip(value.keys, value.values)
                          if isinstance(k, ast.Constant) and k.value == part), None)
        elif isinstance(value, ast.Call):
            value = next((k.value for k in value.keywords if k.arg == part), None)
        else:
            return False
    if value is None:
        return False
    value, scope = _followed(value, scope)
    if not isinstance(value, (ast.List, ast.Tuple, ast.Set)):
        return False
    for elt in value.elts:
        elt, _ = _followed(elt, scope)
        text = elt.value if isinstance(elt, ast.Constant) and isinstance(elt.value, str) else \
            elt.attr if isinstance(elt, ast.Attribute) else None
        if text is not None and text.lower() in values:
            return True
    return False


def image_reads(api: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The answer's attributes that hold image output and those that hold its text, for `api`'s requests
    (catalog/output_caps.toml `not_text_reads`, `text_reads`); empty when the api writes no image."""
    spec = cap_specs().get(api)
    return (spec.not_text_reads, spec.text_reads) if spec is not None else ((), ())


def _given(call: ast.Call, scope: "Scope", name: str) -> Optional[str]:
    head, _, key = name.partition(".")
    value = next((k.value for k in call.keywords if k.arg == head), None)
    if value is None:
        return _in_positional_dict(call, scope, name)
    if isinstance(value, ast.Constant) and value.value is None:
        return None
    if not key:
        return "set"
    return _field(value, scope, key, 0)


def _in_positional_dict(call: ast.Call, scope: "Scope", name: str) -> Optional[str]:
    """A request's keywords passed as one dict to a helper that unpacks it (`send(create, params)`
    with `params = {"model": ..., **kwargs}`), or a runnable's config (`.with_config({"max_tokens":
    n})` on a configurable model): whether that dict holds parameter `name`."""
    got = None
    for arg in call.args:
        d: tuple[ast.expr, "Scope"] | None = (arg, scope) if isinstance(arg, ast.Dict) else None
        if isinstance(arg, ast.Name):
            b = definition(arg.id, scope)
            d = (b[1], b[2]) if b is not None and b[0] == "assign" else None
            if b is not None and b[0] == "annot":  # `params: ConverseRequestTypeDef = {...}`
                d = assigned(arg.id, scope)
            if d is not None and isinstance(d[0], ast.Call) and _filled_unseen(arg.id, d[1]):
                got = "unknown"  # `req = Request(); req.from_json_string(json.dumps(data))`: its fields unread
        if d is None or not isinstance(d[0], ast.Dict):
            continue
        head, _, key = name.partition(".")
        found = _field(d[0], d[1], head, 0)
        if key and found == "set":
            found = _nested(d[0], d[1], head, key)
        if found == "set":
            return "set"
        got = got or found
    return got


def _filled_unseen(name: str, scope: "Scope") -> bool:
    """Whether the request object bound to `name` is filled, in the scope that built it, by one of its own
    methods from data not written there (`request.from_json_string(json.dumps(request_data))`,
    `req.update(options)`): the fields it ends up with, a cap among them, cannot be read."""
    body = getattr(scope.node, "body", None)
    if not isinstance(body, list):
        return False
    for n in ast.walk(ast.Module(body=body, type_ignores=[])):
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and isinstance(n.func.value, ast.Name) \
                and n.func.value.id == name and any(not isinstance(a, ast.Constant) for a in n.args):
            return True
    return False


def _nested(d: ast.Dict, scope: "Scope", head: str, key: str) -> Optional[str]:
    value = next((v for k, v in zip(d.keys, d.values) if isinstance(k, ast.Constant) and k.value == head), None)
    return None if value is None else _field(value, scope, key, 1)


def _field(e: ast.expr, scope: "Scope", key: str, depth: int) -> Optional[str]:
    """Whether the config object / dict `e` sets `key`: "set", None (it does not) or "unknown". A dotted
    key reads the value set for its first part (`prompt_execution_settings.max_tokens` on the
    `add_function(..., prompt_execution_settings=settings)` that built `e`)."""
    if depth > 4:
        return "unknown"
    first, _, rest = key.partition(".")
    if first.endswith("[]"):  # every entry of the list held under `first` (`config_list[].max_tokens`)
        return _entries(e, scope, first[:-2], rest, depth)
    if isinstance(e, ast.Name):
        b = definition(e.id, scope)
        if b is None or b[0] != "assign" or b[1] is None:
            return "unknown"
        # the assignments that reach this read (`config = A(...)` here, `config = B(...)` on a later
        # branch): the answer when they agree, else unknown
        got = {_field(d, b[2], key, depth + 1) for d in reaching_use(e, scope, b[2]) or (b[1],)}
        found = got.pop() if len(got) == 1 else "unknown"
        return _stored(e.id, b[2], key) or found if found != "set" else found
    if isinstance(e, ast.Dict):
        if any(k is None for k in e.keys):
            return "unknown"
        for k, v in zip(e.keys, e.values):
            if isinstance(k, ast.Constant) and k.value == first:
                return _set_value(v, scope, rest, depth)
        return None
    if isinstance(e, ast.Call):
        if any(k.arg is None for k in e.keywords) or e.args or _project_helper(e.func, scope):
            return "unknown"  # (`config=build_config(model=m, max_tokens=n)`: what the helper sets is not read)
        for k in e.keywords:
            if k.arg == first:
                return _set_value(k.value, scope, rest, depth)
        return "unknown" if _built_by(e) else None
    return "unknown"


def _project_helper(func: ast.expr, scope: "Scope") -> bool:
    """Whether a call's callee is a function of the project (`build_generation_config`, defined or imported
    from a project module) or a method of `self` / `cls`: the config it returns is built elsewhere."""
    if isinstance(func, ast.Attribute):
        return isinstance(func.value, ast.Name) and func.value.id in ("self", "cls")
    if not isinstance(func, ast.Name):
        return False
    b = definition(func.id, scope)
    return b is not None and (b[0] == "def" or b[0] == "assign" and isinstance(b[1], (ast.FunctionDef, ast.AsyncFunctionDef)))


def _built_by(call: ast.Call) -> bool:
    """Whether the call, called with no arguments, is of a function or method (as written) rather than
    a class or `dict` (`settings.prepare_settings_dict()`, `options.to_generation_config()`): what it
    returns was filled elsewhere, from fields the request does not show. A class is named in CapWords
    (`GenerateContentConfig()`, `types.GenerationConfig()`): built empty, it holds no cap; a function
    handed arguments (`kernel.add_function(prompt=...)`) is read by them (or, positional, not at all)."""
    if call.args or call.keywords:
        return False
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return bool(name) and name != "dict" and not name[:1].isupper()


def _entries(e: ast.expr, scope: "Scope", name: str, rest: str, depth: int) -> Optional[str]:
    """What the entries of the list config `e` holds under `name` say of `rest` (`config_list[].max_tokens`):
    None when it holds no such list, "set" when every entry sets it, None when none does, "unknown" when
    the list is not written out here (`config_list_from_json(...)`) or its entries disagree."""
    held = _field(e, scope, name, depth)
    if held != "set":
        return held
    value = _entry(e, scope, name, depth)
    if value is None:
        return "unknown"
    items, iscope = value
    got = {_field(item, iscope, rest, depth + 1) for item in items}
    return got.pop() if len(got) == 1 else "unknown"


def _entry(e: ast.expr, scope: "Scope", name: str, depth: int) -> Optional[tuple[list, "Scope"]]:
    """The elements of the list literal `e` holds under `name` (followed through names), else None."""
    for _ in range(depth, 6):
        if isinstance(e, ast.Name):
            b = definition(e.id, scope)
            if b is None or b[0] != "assign" or b[1] is None:
                return None
            e, scope = b[1], b[2]
            continue
        value = None
        if isinstance(e, ast.Dict):
            value = next((v for k, v in zip(e.keys, e.values) if isinstance(k, ast.Constant) and k.value == name), None)
        elif isinstance(e, ast.Call):
            value = next((k.value for k in e.keywords if k.arg == name), None)
        for _ in range(3):
            if not isinstance(value, ast.Name):
                break
            b = definition(value.id, scope)
            if b is None or b[0] != "assign" or b[1] is None:
                return None
            value, scope = b[1], b[2]
        if isinstance(value, (ast.List, ast.Tuple)) and value.elts and \
                not any(isinstance(x, ast.Starred) for x in value.elts):
            return list(value.elts), scope
        return None
    return None


def _set_value(v: ast.expr, scope: "Scope", rest: str, depth: int) -> Optional[str]:
    """What a config's entry `v` says of the cap: set (None when it is None), or, for the rest of a
    dotted key, what `v` itself sets."""
    if isinstance(v, ast.Constant) and v.value is None:
        return None
    return _field(v, scope, rest, depth + 1) if rest else "set"


def _stored(name: str, scope: "Scope", key: str) -> Optional[str]:
    """A key added to the dict after it was built, in the scope that built it: `config["max_output_tokens"]
    = n` or `config.update(max_output_tokens=n)` / `config.update({"max_output_tokens": n})`. "set"
    when written at the function's top level, "unknown" when under a branch or loop (it may not run),
    or when keys not written there are added (`config.update(kwargs)`, `config.update(**options)`,
    `config |= overrides`, `config[k] = v`: the caller's keys, the cap among them), None when never
    written."""
    body = getattr(scope.node, "body", None)
    if not isinstance(body, list):
        return None
    found = None
    for top in body:
        for node in ast.walk(top):
            if _writes_key(node, name, key):
                if node is top or isinstance(top, ast.Expr) and top.value is node:
                    return "set"
                found = "unknown"
            elif _writes_unseen(node, name):
                found = "unknown"
    return found


def _writes_key(node: ast.AST, name: str, key: str) -> bool:
    if isinstance(node, ast.Assign):
        return any(isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name) and t.value.id == name
                   and isinstance(t.slice, ast.Constant) and t.slice.value == key for t in node.targets)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "update" \
            and isinstance(node.func.value, ast.Name) and node.func.value.id == name:
        return any(k.arg == key for k in node.keywords) or any(
            isinstance(a, ast.Dict) and any(isinstance(k, ast.Constant) and k.value == key for k in a.keys)
            for a in node.args)
    return False


def _writes_unseen(node: ast.AST, name: str) -> bool:
    """Whether `node` adds to the dict `name` keys not written there: `name.update(other)` /
    `name.update(**other)` with anything but a dict literal of constant keys, `name |= other`, or
    `name[key] = value` with a key that is not a constant."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "update" \
            and isinstance(node.func.value, ast.Name) and node.func.value.id == name:
        return any(k.arg is None for k in node.keywords) or any(
            not (isinstance(a, ast.Dict) and all(isinstance(k, ast.Constant) for k in a.keys)) for a in node.args)
    if isinstance(node, ast.AugAssign) and isinstance(node.op, ast.BitOr):
        return isinstance(node.target, ast.Name) and node.target.id == name
    if isinstance(node, ast.Assign):
        return any(isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name) and t.value.id == name
                   and not isinstance(t.slice, ast.Constant) for t in node.targets)
    return False


def output_tokens(api: str, calls: Iterable[tuple[ast.Call, "Scope"]]) -> Optional[int]:
    """The output cap a request sets as a number written in the code (`max_tokens=5`, a constant
    `MAX_TOKENS = 5`), else None."""
    spec = cap_specs().get(api)
    names = spec.params if spec is not None else ("max_tokens",)  # Anthropic: required, not judged
    for call, scope in calls:
        if call is None:
            continue
        for name in names:
            head, _, key = name.partition(".")
            value = next((k.value for k in call.keywords if k.arg == head), None)
            if value is None:
                continue
            value, vscope = _followed(value, scope)
            if key:
                if isinstance(value, ast.Dict):
                    inner = next((v for k, v in zip(value.keys, value.values)
                                  if isinstance(k, ast.Constant) and k.value == key), None)
                elif isinstance(value, ast.Call):
                    inner = next((k.value for k in value.keywords if k.arg == key), None)
                else:
                    inner = None
                if inner is None:
                    continue
                value, vscope = _followed(inner, vscope)
            if isinstance(value, ast.Constant) and type(value.value) is int:
                return value.value
    return None


def _followed(e: ast.expr, scope: "Scope") -> tuple[ast.expr, "Scope"]:
    """`e`, or the value the name `e` is assigned (followed up to three names)."""
    for _ in range(3):
        if not isinstance(e, ast.Name):
            break
        b = definition(e.id, scope)
        if b is None or b[0] != "assign" or b[1] is None:
            break
        e, scope = b[1], b[2]
    return e, scope
