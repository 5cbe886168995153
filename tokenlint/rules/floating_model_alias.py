"""TKL201 floating-model-alias.

This module also holds what the model rules (TKL201-TKL204) share: which model id a call site uses,
where that id is written, and how to rewrite it in place.
"""

from __future__ import annotations

import ast
import datetime as _dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Optional

from tokenlint.findings import Edit, Finding, Fix
from tokenlint.fixes import make_fix, span_edit
from tokenlint.resolve.literals import same_defaults
from tokenlint.resolve.pieces import resolve
from tokenlint.rules.base import Rule, RuleContext

if TYPE_CHECKING:  # pragma: no cover
    from tokenlint.catalog import ModelCatalog, ModelInfo
    from tokenlint.project import ModuleSource
    from tokenlint.resolve.site import Arg, CallSite

FLOATING_KINDS = frozenset({"alias", "floating", "router"})
# `model=` names a deployment, not a model: the string says nothing about the model behind it
# a SageMaker endpoint name names an endpoint (the model behind it is chosen when the endpoint is created),
# as an Azure deployment does (docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html:
# EndpointName, "the name of the endpoint that you specified when you created the endpoint"; checked 2026-12-07)
DEPLOYMENT_PROVIDERS = frozenset({"azure_openai", "aws_sagemaker"})
# a LiteLLM Router's `model=` names a model group of its model_list ("auto", "fast"), whose
# deployments name the provider models (docs.litellm.ai/docs/routing, checked 2026-12-05)
# a Vertex AI endpoint's resource name or display name (`aiplatform.Endpoint("projects/p/.../endpoints/123")`,
# `PredictionServiceClient.predict(endpoint=...)`) names an endpoint, whatever model is deployed on it
# (cloud.google.com/vertex-ai/docs/predictions/overview; google-cloud-aiplatform 2.7.0 models.py
# Endpoint(endpoint_name); fix22a 2026-12-07)
DEPLOYMENT_SDKS = frozenset({"litellm-router", "vertex-endpoint"})
# an SDK whose named apis take an endpoint (PredictionServiceClient's predict family, api "inference"), its others
# a model (its generate_content's `model=".../publishers/google/models/gemini-..."`)
DEPLOYMENT_APIS = {"vertex-prediction": frozenset({"inference"})}
DEPLOYMENT_PREFIXES = ("azure/", "azure_ai/")  # LiteLLM "azure/<deployment>"
# a client or model object given an Azure OpenAI endpoint, whatever its class (openai's AzureOpenAI,
# LangChain's AzureChatOpenAI, Microsoft Agent Framework's OpenAIChatClient(azure_endpoint=...)), sends
# `model=` as the deployment's name (PyPI openai 1.x lib/azure.py AzureOpenAI(azure_endpoint=...,
# azure_deployment=...); agent-framework openai chat client azure_endpoint; checked 2026-12-07)
DEPLOYMENT_CLIENT_ARGS = ("azure_endpoint", "azure_deployment")
GENERATION_CONFIGS = ("config", "generation_config")  # google-genai / google-generativeai sampling settings
MODEL_KWARGS = ("model", "model_name", "model_id", "modelId", "azure_deployment", "deployment_name")


@dataclass(frozen=True)
class ModelRef:
    """The model id a call site uses and where that id is written."""

    site: "CallSite"
    written: str  # the string as written ("openai:gpt-4o", "anthropic/claude-...") or the default
    model: str  # the model id judged against the catalog ("gpt-4o")
    node: Optional[ast.Constant]  # the string literal, wherever it is (another module too)
    source: Optional["ModuleSource"]  # the module holding `node`
    implicit: bool  # no model given: the SDK's default (catalog data)


def model_refs(site: "CallSite", requests: bool = False) -> list[ModelRef]:
    """Every model a site may use (`"a" if fast else "b"` gives two), known and a model id. A
    framework request's model is written at its binding and judged there once, unless `requests`; so
    is a wrapper's whose wrapped function makes such a request on a model it does not pass."""
    if (site.kind == "request" or site.held_model) and not requests or site.dead or site.removed:
        return []  # a dead binding (replaced before any use), or a method the pinned SDK removed: never runs
    if site.kind == "facade":
        # a call of a project base-class method: its model is the one its implementations' own requests
        # use, judged there (where the string is written); the facade call may pass its own (`model=`)
        return []
    refs = [model_ref(site, m) for m in (site.model, *site.model.alternatives)]
    return [r for r in refs if r is not None]


def names_deployment(site: "CallSite", every: bool = False) -> bool:
    """Whether the site's `model=` names a deployment rather than a model: an Azure OpenAI client or
    model object (by provider, endpoint or constructor arguments), a LiteLLM Router's model group, a
    Vertex AI endpoint.
    `every`: on each provider the site may reach, not on one of them (OpenAI or Azure chosen at run time)."""
    providers = set(site.providers or (site.provider,))
    by_provider = providers <= DEPLOYMENT_PROVIDERS if every else not providers.isdisjoint(DEPLOYMENT_PROVIDERS)
    return by_provider or bool(site.backend and "azure" in site.backend) or site.sdk in DEPLOYMENT_SDKS \
        or site.serving in DEPLOYMENT_PROVIDERS or site.api in DEPLOYMENT_APIS.get(site.sdk, ()) \
        or any(a in site.client_args for a in DEPLOYMENT_CLIENT_ARGS)


def model_ref(site: "CallSite", m: Optional["Arg"] = None) -> Optional[ModelRef]:
    """The model a site uses (or `m`, one of the strings that may reach it), or None when unknown or
    not a model id (Azure deployment names, LiteLLM Router model groups)."""
    m = site.model if m is None else m
    if not m.value or names_deployment(site):
        return None
    node = m.origin if isinstance(m.origin, ast.Constant) and isinstance(m.origin.value, str) else None
    written = node.value if node is not None else m.value
    # the resolver strips "provider:" (LangChain) and "provider/" (LiteLLM helpers) from the value
    model = m.value if written.endswith(m.value) else written
    if "/" in model:  # LiteLLM / OpenRouter "provider/model": the model part decides
        if model.lower().startswith(DEPLOYMENT_PREFIXES):
            return None
        model = model.rsplit("/", 1)[1]
    if not model.strip():
        return None
    return ModelRef(site, written, model, node, m.origin_source if node is not None else None,
                    implicit=m.kind == "missing")


def exact_entry(catalog: "ModelCatalog", model: str) -> Optional["ModelInfo"]:
    """The catalog entry whose id is exactly `model` (no routing prefix stripped): safe to rewrite."""
    info = catalog.lookup(model)
    return info if info is not None and info.id == model else None


def parse_date(value: Optional[str]) -> Optional[_dt.date]:
    try:
        return _dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def catalogued(sites, catalog: "ModelCatalog", requests: bool = False):  # type: ignore[no-untyped-def]
    """Each site whose model the catalog knows: (site, reference, entry, the entry an alias points to)."""
    for site in sites:
        for ref in model_refs(site, requests):
            info = catalog.lookup(ref.model)
            if info is not None:
                yield site, ref, info, target_of(catalog, info)


def target_of(catalog: "ModelCatalog", info: Optional["ModelInfo"]) -> Optional["ModelInfo"]:
    """The entry an alias points to, when the catalog knows it."""
    if info is None or not info.points_to or info.points_to == info.id:
        return None
    return catalog.lookup(info.points_to)


def shutdown_date(info: "ModelInfo", target: Optional["ModelInfo"]) -> Optional[_dt.date]:
    """The id's shutdown date; an alias without one of its own takes its target's."""
    return parse_date(info.retires) or (parse_date(target.retires) if target is not None else None)


def model_arg_node(site: "CallSite") -> Optional[ast.expr]:
    """The expression passed as the model in the call itself, if any."""
    call = site.node
    if not isinstance(call, ast.Call):
        return None
    names = site.method.model if site.method is not None and site.method.model else MODEL_KWARGS
    for k in call.keywords:
        if k.arg in names:
            return k.value
    pos = site.method.model_position if site.method is not None else None
    if pos is not None and len(call.args) > pos and not isinstance(call.args[pos], ast.Starred):
        return call.args[pos]
    return argument_holding(call, site.model.origin)


def argument_holding(call: ast.Call, node: Optional[ast.AST]) -> Optional[ast.expr]:
    """The argument expression of `call` (positional or keyword value) that contains `node`."""
    if node is None:
        return None
    for arg in [*call.args, *(k.value for k in call.keywords)]:
        if any(n is node for n in ast.walk(arg)):
            return arg
    return None


def report_at(rule: Rule, ref: ModelRef, fix: Optional[Fix] = None, **fields: str) -> Finding:
    """A finding where the model string is written; else at the call's model argument; else the call."""
    if ref.node is not None and ref.source is not None:
        return rule.finding_at(ref.source, ref.node, ref.site, fix, **fields)
    return at_call(rule, ref.site, **fields)


def at_call(rule: Rule, site: "CallSite", fix: Optional[Fix] = None, **fields: str) -> Finding:
    arg = model_arg_node(site)
    if arg is not None and site.scope is not None:
        return rule.finding_at(site.scope.module.source, arg, site, fix, **fields)
    return rule.finding(site, fix, **fields)


def passed_parameters(site: "CallSite") -> Optional[dict[str, object]]:
    """The keyword arguments the call sends (name -> literal value, or NOT_LITERAL), with a
    `model_kwargs={...}` literal's keys (LangChain); for a wrapper, the wrapped request's too; for
    an HTTP request, the keys of its JSON body. None when `**kwargs` (or a body that cannot be
    read) may carry more than can be seen."""
    out: dict[str, object] = {}
    for s in (site, site.request) if site.request is not None else (site,):
        call = s.node
        if not isinstance(call, ast.Call):
            continue
        for k in call.keywords:
            if k.arg is None:
                return None
            value = k.value
            if s.sdk == "http":
                if k.arg != "json":
                    continue  # headers, timeout: not the provider's parameters
                body = resolve(value, s.scope)[0] if s.scope is not None else value
                if not isinstance(body, ast.Dict) or not _add_items(out, body):
                    return None
            elif k.arg == "model_kwargs" and isinstance(value, ast.Dict):
                if not _add_items(out, value):
                    return None
            elif k.arg in GENERATION_CONFIGS and s.sdk.startswith("google"):
                # google-genai `config=GenerateContentConfig(temperature=...)` / a dict: its fields
                config = resolve(value, s.scope)[0] if s.scope is not None else value
                if isinstance(config, ast.Call) and not config.args and all(c.arg for c in config.keywords):
                    out.update({c.arg: _literal(c.value) for c in config.keywords if c.arg})
                elif not (isinstance(config, ast.Dict) and _add_items(out, config)):
                    return None
            if s.sdk != "http":
                out[k.arg] = _literal(value)
    return out


def _add_items(out: dict[str, object], d: ast.Dict) -> bool:
    """Add a dict literal's string keys and literal values to `out`; False when `**spread` hides some."""
    if any(key is None for key in d.keys):
        return False
    out.update({key.value: _literal(v) for key, v in zip(d.keys, d.values)
                if isinstance(key, ast.Constant) and isinstance(key.value, str)})
    return True


def _literal(node: ast.expr) -> object:
    from tokenlint.catalog import NOT_LITERAL

    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return NOT_LITERAL


def rejects_new_parameters(site: "CallSite", current: Optional["ModelInfo"], new: "ModelInfo",
                           catalog: "ModelCatalog") -> tuple[str, ...]:
    """Parameters the call passes (or may pass, through `**kwargs`) that the provider rejects for
    `new` but accepted for `current` (catalog [[rejects]]): a fix swapping in `new` would make a
    request the provider refuses."""
    from tokenlint.catalog import NOT_LITERAL

    passed = passed_parameters(site)
    if passed is None:  # unseen keywords: assume any parameter `new` rejects
        passed = {name: NOT_LITERAL for r in catalog.rejects for name in r.params}
    before = set(catalog.rejected(current, passed, site.sdk, site.api)) if current is not None else set()
    return tuple(p for p in catalog.rejected(new, passed, site.sdk, site.api) if p not in before)


_LITERAL = re.compile(r"(?P<prefix>[rRuU]?)(?P<quote>\"\"\"|'''|\"|')(?P<body>.*)(?P=quote)", re.S)


def replace_model(ref: ModelRef, new_model: str) -> Optional[tuple[Edit, ...]]:
    """Rewrite the model part of the literal where it is written, keeping its quotes and prefix, and
    of every other literal of that module with the same value (`same_defaults`): all, or None."""
    node, source = ref.node, ref.source
    if node is None or source is None or not ref.written.endswith(ref.model):
        return None
    body = ref.written[: len(ref.written) - len(ref.model)] + new_model
    if any(c in body for c in "\\'\"\n\r"):
        return None
    if ref.written in compared_strings(source):
        return None  # `if model == "gpt-4o":` tests for the name: a new default would skip that branch
    edits = []
    for twin in same_defaults(source, node):
        m = _LITERAL.fullmatch(source.segment(twin))
        if m is None or m.group("body") != twin.value or "\\" in m.group("body"):
            return None  # escapes, implicit concatenation, an f-string part: leave it to a human
        edits.append(span_edit(source, twin, f"{m.group('prefix')}{m.group('quote')}{body}{m.group('quote')}"))
    return tuple(edits)


def compared_strings(source: "ModuleSource") -> frozenset[str]:
    """The string literals `source`'s module compares something with (`==`, `!=`, `in`, a `match`
    case): code that tests for a model name by value. Built once per module."""
    info = getattr(source, "info", None)
    if info is None:
        return frozenset()
    found = getattr(info, "_compared", None)
    if found is None:
        out: set[str] = set()
        for n in ast.walk(info.tree):
            if isinstance(n, ast.Compare):
                for side in (n.left, *n.comparators):
                    items = side.elts if isinstance(side, (ast.Tuple, ast.List, ast.Set)) else (side,)
                    out.update(e.value for e in items if isinstance(e, ast.Constant) and isinstance(e.value, str))
            elif isinstance(n, ast.MatchValue) and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str):
                out.add(n.value.value)
        found = info._compared = frozenset(out)
    return found


class FloatingModelAlias(Rule):
    """## What it does
    Finds model names that float: an undated alias of a dated snapshot (`gpt-4o`, `gpt-5.4`,
    `claude-haiku-4-5`), a `*-latest` name (`gemini-flash-latest`, `mistral-large-latest`) or a
    LiteLLM router alias (`gpt-luna-latest`). Which names float is catalog data
    (`tokenlint/catalog/models.toml`, from each provider's model-id rules); names the provider pins by
    design (Anthropic 4.6+ dateless ids such as `claude-opus-5`, OpenAI GPT-5.6 / GPT-6.x plain ids,
    Gemini stable names, embedding models without snapshots) do not fire, nor do ids the catalog does
    not know. LiteLLM `provider/model` strings are judged by their model part; Azure OpenAI `model=`
    is a deployment name and is never judged (an `AzureOpenAI` client, a client or model object given
    an `azure_endpoint=` / `azure_deployment=`, a base URL on an Azure OpenAI resource, the OpenAI SDK's
    `OpenAI(base_url=...)` or LangChain's `ChatOpenAI(base_url=...)`: its host `*.openai.azure.com`, or the
    host not written, a setting named azure such as `AZURE_OPENAI_ENDPOINT`, catalog `[http.setting_words]`;
    or the legacy module client of
    a module or package that sets `openai.api_type = "azure"`). A call of a project base-class method
    (a facade, `bot.call_vision(model=m)`) is not judged either: its implementations' own requests
    are, where their model is written (the same for TKL203-TKL205). An alias that is already shut
    down, or that shuts down within `retirement-warning-days` together with the snapshot it points
    to, is left to TKL203, which names its successor: pinning a dead or dying model is moot, and two findings
    on one literal would ask for two contradictory edits. A name sent to a subscription plan's backend
    (the codex backend of a ChatGPT plan, `https://chatgpt.com/backend-api/codex/responses`; catalog
    `backend` of an HTTP endpoint) is not judged: that backend serves the plan's bare model names and no
    dated snapshot, so there is nothing to pin.

    The finding sits where the name is written: a constant in a settings module used by three calls
    is one finding there, a wrapper's default model is reported at the default (not when every
    call of the wrapper passes its own model: see TKL203). The message names the snapshot the alias
    points to when the catalog knows it.

    ## Why is this bad?
    A floating name is repointed by the provider without any change to your code: the model that
    answers, its behaviour, its latency and its price per token change on the provider's schedule.
    Evaluations and cost forecasts made against one snapshot silently stop applying, and a spend
    regression cannot be traced to a commit.

    ## Example
    ```python
    client.chat.completions.create(model="gpt-5.4", messages=messages)
    ```

    ## Use instead
    ```python
    client.chat.completions.create(model="gpt-5.4-2026-03-05", messages=messages)
    ```

    ## Fix safety
    Unsafe. The fix replaces the alias by the snapshot the catalog says it points to, in the same
    quotes (and keeps any `provider/` prefix). That keeps the same model only if the alias still
    points there: the catalog is a dated snapshot of the providers' documentation and aliases are
    repointed without notice in code, so the fix may pin an older model than the one the alias serves
    today. Review the target (or run `tokenlint catalog refresh`) before accepting it. No fix is
    offered when the catalog does not know the target, when the target shuts down within
    `retirement-warning-days` (TKL203 proposes the successor instead), or when the string carries
    escapes or is built by implicit concatenation. A default is pinned together with every other
    default of the same module holding the same name (see TKL203), or not at all.

    ## Configuration
    `model-catalog`: a catalog file (e.g. written by `tokenlint catalog refresh`) replacing the
    built-in one; your own aliases and router names go there as `kind = "alias"` / `"router"`.
    `retirement-warning-days` (default 90): a target shutting down within it is not pinned.
    """

    code = "TKL201"
    name = "floating-model-alias"
    message = "Model '{model}' is a floating alias{target}"
    fix_title = "Pin the snapshot the alias points to"
    fix_safety = "unsafe"

    def check(self, sites, source, ctx: RuleContext) -> Iterable:
        catalog = ctx.models
        if catalog is None:
            return
        for ref in (r for site in sites for r in model_refs(site)):
            if ref.implicit:
                continue  # an SDK's implicit default is TKL203's business when it retires
            if not ref.site.snapshots:
                continue  # a ChatGPT plan's backend serves bare model names only: no snapshot to pin
            kind = catalog.kind_of(ref.model)
            if kind not in FLOATING_KINDS:
                continue
            info = catalog.lookup(ref.model)
            target = target_of(catalog, info)
            if info is not None and retirement(info, target, ctx) is not None:
                continue  # a dead or dying id: pinning it is moot, TKL203 reports it with its successor
            if info is not None and target is not None:
                suffix = f" for '{target.id}' (catalog checked {info.checked})"
            elif kind == "router":
                suffix = " (a LiteLLM router name, not a provider model id)"
            else:
                suffix = ""
            yield report_at(self, ref, self._fix(ref, ctx, target), model=ref.written, target=suffix)

    def _fix(self, ref: ModelRef, ctx: RuleContext, target: Optional["ModelInfo"]) -> Optional[Fix]:
        catalog = ctx.models
        if target is None or catalog is None or exact_entry(catalog, ref.model) is None:
            return None
        if catalog.kind_of(target.id) in FLOATING_KINDS:
            return None
        retires = parse_date(target.retires)
        if retires is not None and (retires - ctx.today).days <= ctx.retirement_warning_days:
            return None  # pinning a snapshot that shuts down soon helps nobody: TKL203 names the successor
        edits = replace_model(ref, target.id)
        if edits is None:
            return None
        return make_fix("unsafe", f"Replace '{ref.model}' with its snapshot '{target.id}'{copies(edits)}", *edits)


def retirement(info: "ModelInfo", target: Optional["ModelInfo"], ctx: RuleContext) -> Optional[str]:
    """'retired on D' / 'retires on D (in N days)' / None, by comparing dates with ctx.today."""
    retires = shutdown_date(info, target)
    if retires is None:
        # no date at all: the catalog's flag says the id was already shut down when it was checked
        checked = parse_date(info.checked)
        if info.retired and checked is not None and checked <= ctx.today:
            return f"is retired (as of the catalog check on {checked.isoformat()}; no shutdown date known)"
        return None
    days = (retires - ctx.today).days
    if days <= 0:
        return f"retired on {retires.isoformat()}"
    if days <= ctx.retirement_warning_days:
        return f"retires on {retires.isoformat()} (in {days} day{'s' if days != 1 else ''})"
    return None


def copies(edits: tuple[Edit, ...]) -> str:
    """The fix title's note when it changes more than the reported literal."""
    return f" ({len(edits)} copies in this module)" if len(edits) > 1 else ""
