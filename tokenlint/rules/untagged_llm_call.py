"""TKL101 untagged-llm-call."""

from __future__ import annotations

import ast
from typing import Iterable, Optional

from tokenlint.attribution import mapped_feature, plan, reached_sink
from tokenlint.features import name_for
from tokenlint.findings import Fix
from tokenlint.fixes import insert_at_path, insert_keyword, make_fix, python_string
from tokenlint.resolve.prompts import request_noun
from tokenlint.rules.base import Rule, RuleContext


class UntaggedLlmCall(Rule):
    """## What it does
    Finds LLM call sites whose spend cannot be traced to a feature in the report your team reads:
    calls with no per-feature tag, and calls whose tag sits where none of the project's
    *attribution sinks* reads it.

    A sink is where spend per feature is reported: a gateway or observability tool (`litellm`
    spend tags, `helicone` custom properties, `portkey` metadata, `langfuse` traces, `langsmith`
    runs of LangChain code), Bedrock
    invocation logs (`bedrock`: `requestMetadata`), Vertex AI billing (`vertex`: `labels` on a
    Vertex client), one OpenAI project or Anthropic workspace / API key per feature
    (`openai-projects`, `anthropic-workspaces`), or an in-house gateway reading one header
    (`header:<Name>`). A tag counts when it reaches a sink: on the call, in the client's defaults
    (`OpenAI(default_headers=...)`), in `with_options(...)` / `.with_config(...)`, through a
    wrapper's `feature` parameter, or (for the project/key sinks) through the client's `project=`
    or `api_key=os.environ[...]` mapped to a feature in `[tool.tokenlint.attribution-keys]`.

    The sinks come from `[tool.tokenlint] attribution = [...]`; when it is not set they are inferred
    from the project (an import of `litellm`, `langfuse`, `langsmith` or `portkey_ai`; a Helicone,
    Portkey or LiteLLM proxy URL), and `tokenlint inventory` says which were used and why. With no sink
    configured or inferable, untagged calls are still reported and the message says to choose one.
    The message names the kind of call by its api: an LLM call, an embedding or rerank call, an image
    generation, speech or transcription call, a fine-tuning job, an AI service call (another hosted
    service: translation, OCR), or a model call (a paid inference endpoint, SageMaker's, whose payload
    and name show no LLM; an embedding call when the endpoint is named for one).

    LangChain and LlamaIndex spend where a model object is used, not where it is built: the rule
    reports each request (`chain.invoke(...)`, `llm.stream(...)`, `embeddings.embed_query(...)`),
    and a tag covers it when it is on the request (`config={"tags": ["feature:..."]}`,
    `config={"metadata": {"feature": ...}}`, the config given by position, a `RunnableConfig` built
    in `__init__` or returned by a helper), on a `.with_config(...)` on the way, on the model's
    constructor (`ChatOpenAI(tags=[...])`, `metadata=`, `default_headers=`), which covers all of its
    requests, or on a `with` block around the request (LlamaIndex `instrument_tags({...})`, Langfuse
    `propagate_attributes(metadata=...)`). The constructor itself (a binding) is not reported.
    Where a framework carries a tag decides who reads it (catalog/sinks.toml `[[convention]]`): a
    LangChain run's tags and metadata reach callbacks and tracers (`langsmith`, Langfuse's
    CallbackHandler: `langfuse`), never a gateway; a model's headers reach gateways (`helicone`,
    `portkey`, `litellm`, `header:<Name>`); `ChatLiteLLM(model_kwargs={"metadata": {"tags": [...]}})`
    reaches `litellm`; LlamaIndex instrumentation tags reach no report.

    The fix for a request writes the request's own config when a sink reads it there (`langfuse`,
    `langsmith`): `config={"metadata": {"feature": ...}}`, merged into a config dict or
    `RunnableConfig(...)` the call already passes (by keyword or by position). For the gateway
    sinks it writes the sink's header on the model's constructor (`default_headers=`; for
    `litellm` on a `ChatLiteLLM`, `model_kwargs={"metadata": {"tags": [...]}}`), and only
    when that model serves this one request (built in the same function, no other request on it),
    so no other feature's spend is tagged with this name.

    A wrapper function that forwards a `feature` parameter into the tag counts as tagged; each call
    of that wrapper that leaves the parameter out is reported instead.

    ## Why is this bad?
    Without a feature tag that reaches a report, the provider's usage export and your gateway's
    spend report show one number for the whole API key. Nobody can say which feature costs what,
    which one regressed, or which one to move to a cheaper model or the batch API. OpenAI's and
    Anthropic's own usage exports group spend by project, workspace and API key only: a tag in
    request metadata or an `X-Feature` header sent straight to them is read by nothing.

    ## Example
    ```python
    client.chat.completions.create(model=MODEL, messages=messages)
    ```

    ## Use instead
    With `attribution = ["helicone"]`:
    ```python
    client.chat.completions.create(model=MODEL, messages=messages,
                                   extra_headers={"Helicone-Property-Feature": "faq-bot"})
    ```

    ## Fix safety
    Unsafe: the fix adds the tag in the first configured (or inferred) sink's convention for the
    call's SDK (catalog/sinks.toml `[[write]]`), which changes the request that is sent. It is
    offered only when the result is a request the SDK and the API accept and the sink reads
    (`[[constraint]]`): never `metadata` on OpenAI chat completions without an existing
    `store=True` (the API rejects it, and turning `store` on is a data-retention decision), never a
    key other than `user_id` in Anthropic `metadata`, google-genai `labels` only on a client built
    with `vertexai=True`. No fix is offered when no sink is configured or inferable, for a tag that
    is present but reaches no sink, for the project/key sinks (the fix cannot create a project),
    for `langfuse` on SDK calls (its drop-in client is not told apart from plain `openai`; a
    LangChain request is fixed), and where the keyword is hidden (`**kwargs`, `*args`, a config
    variable or parameter, a list of configs for `batch`). The feature name comes from
    `[tool.tokenlint.features]` path globs, else from the nearest owner of the call (a web route,
    a task, a CLI command, a class and method, else module and function; a generic name such as
    `run` or `__call__` gives way to the class or function around it, and an async / stream twin
    such as `agenerate` takes the name of its sibling `generate`; a provider's implementation of
    your LLM base class's abstract method is named after the base and the method);
    `tokenlint inventory --features` lists the names for review before applying.

    ## Configuration
    `attribution` (sink names; default: inferred): where spend per feature is read.
    `[tool.tokenlint.attribution-keys]`: `"proj_abc" = "faq-bot"`, `"FAQ_OPENAI_KEY" = "faq-bot"`
    (a project id or an API key environment variable, for `openai-projects` / `anthropic-workspaces`).
    `feature-key` (default `"feature"`): the key looked for in metadata, labels and `key:value` tags.
    `[tool.tokenlint.features.<name>] paths = [...]`: the feature name the fix writes for those files.
    """

    code = "TKL101"
    name = "untagged-llm-call"
    message = "{noun} to {provider} {api} {problem}{hint}"
    fix_title = "Add a feature tag"
    fix_safety = "unsafe"

    def check(self, sites, source, ctx: RuleContext) -> Iterable:
        att = ctx.attribution
        key = ctx.feature_key
        for s in sites:
            if not s.spends:
                continue
            if s.kind == "facade":  # the implementations' own calls are judged where they are made
                continue
            if s.kind == "wrapper" or (s.kind == "request" and s.wrapper is not None):
                # the wrapper forwards a tag parameter the caller left out (an example's call of its library's
                # method, a framework request through the project's own code, is judged as a wrapper call:
                # the library's own request is tagged where it is made)
                if s.tag is not None and s.tag.kind == "missing":
                    ok = bool(att.sinks) and reached_sink(s, att, key) is not None
                    fix = _wrapper_fix(s, source, ctx) if ok else None
                    yield self.finding(s, fix, noun=request_noun(s), provider=s.provider_label, api=s.api,
                                       problem=f"has no '{key}' attribution tag", hint="")
                continue
            if s.tag is None:
                if att.sinks and mapped_feature(s, att) is not None:
                    continue  # its project / key is mapped to a feature
                fix = ((_fix(s, source, ctx) or _binding_fix(s, sites, source, ctx)) if s.kind == "request"
                       else _fix(s, source, ctx)) if att.sinks else None
                yield self.finding(s, fix, noun=request_noun(s), provider=s.provider_label, api=s.api, problem=f"has no '{key}' attribution tag",
                                   hint=_kwargs_hint(s))  # no sink: said once, in the run's summary
            elif att.sinks and reached_sink(s, att, key) is None:
                yield self.finding(s, None, noun=request_noun(s), provider=s.provider_label, api=s.api,
                                   problem=f"has a tag in `{s.tag_via}` that reaches no configured attribution sink",
                                   hint=f" ({', '.join(att.names())})")


def _kwargs_hint(site) -> str:  # type: ignore[no-untyped-def]
    """Library-style code passes `**kwargs` through: the tag may travel in them, unseen here."""
    call = site.node
    if isinstance(call, ast.Call) and any(k.arg is None for k in call.keywords):
        return " (a tag inside **kwargs cannot be seen: pass it by name)"
    return ""


def feature_name(site, ctx: RuleContext) -> str:  # type: ignore[no-untyped-def]
    return name_for(site, ctx.features)[0]


def _wrapper_fix(site, source, ctx: RuleContext) -> Optional[Fix]:  # type: ignore[no-untyped-def]
    param = site.tag.param if site.tag is not None else None
    call = site.node
    if not param or call is None or any(k.arg == param for k in call.keywords):
        return None
    name = feature_name(site, ctx)
    return make_fix("unsafe", f"Pass {param}={python_string(name)}",
                    insert_keyword(source, call, f"{param}={python_string(name)}"))


def _refused(site, call: ast.Call) -> bool:  # type: ignore[no-untyped-def]
    """Call shapes where no keyword the fix adds reaches the request as written."""
    f = call.func
    # openai<1 resources (openai.Embedding.create, openai.ChatCompletion.create): keywords they do
    # not know, `extra_headers` among them, go into the request body
    return site.sdk == "openai" and isinstance(f, ast.Attribute) and isinstance(f.value, ast.Attribute) \
        and f.value.attr[:1].isupper()


def _binding_fix(site, sites, source, ctx: RuleContext) -> Optional[Fix]:  # type: ignore[no-untyped-def]
    """A framework request is tagged on its model's constructor when that model serves this request
    alone: one binding, built in the same function of the same file (a shared model would carry one
    feature's tag into every feature's requests). The sink's convention for the constructor
    (`default_headers=` on ChatOpenAI / ChatAnthropic) is the one the conformance tests send."""
    if len(site.binding_calls) != 1 or not site.binding:
        return None
    binding = next((b for b in sites if b.id == site.binding and b.kind == "binding"), None)
    if binding is None or (binding.function, binding.cls) != (site.function, site.cls) or binding.tag is not None:
        return None
    if sum(1 for r in sites if r.kind == "request" and site.binding in (r.bindings or (r.binding,))) != 1:
        return None
    return _fix(binding, source, ctx, feature_of=site)


def _fix(site, source, ctx: RuleContext, feature_of=None) -> Optional[Fix]:  # type: ignore[no-untyped-def]
    call: ast.Call | None = site.node
    if call is None or site.tag_style is None or _refused(site, call):
        return None
    name = feature_name(feature_of or site, ctx)
    where = plan(site, ctx.attribution, ctx.feature_key, name)
    if where is None:
        return None
    edit = insert_at_path(source, call, where.kwarg, where.path, where.leaf, where.position)
    if edit is None:
        return None
    return make_fix("unsafe", f"Tag the call as feature {python_string(name)} for {where.sink.name}", edit)
