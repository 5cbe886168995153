"""TKL101 untagged-llm-call."""

from __future__ import annotations

import ast
import fnmatch
import re
from typing import Iterable, Optional

from tokenlint.findings import Edit, Fix
from tokenlint.fixes import insert_dict_item, insert_keyword, make_fix, python_string
from tokenlint.rules.base import Rule, RuleContext


class UntaggedLlmCall(Rule):
    """## What it does
    Finds LLM call sites that carry no per-feature attribution tag in any convention tokenlint
    recognises: OpenAI-style `metadata={"feature": ...}`, an `X-Feature` or
    `Helicone-Property-Feature` header in `extra_headers` / `default_headers`, LiteLLM
    `metadata={"tags": ["feature:..."]}`, Bedrock `requestMetadata`, google-genai `config.labels`,
    and tags set on the client (`OpenAI(default_headers=...)`, `client.with_options(...)`).

    LangChain and LlamaIndex spend where a model object is used, not where it is built: the rule
    reports each request (`chain.invoke(...)`, `llm.stream(...)`, `embeddings.embed_query(...)`),
    and a tag covers it when it is on the request (`config={"tags": ["feature:..."]}`,
    `config={"metadata": {"feature": ...}}`, a `RunnableConfig`), on a `.with_config(...)` on the
    way, or on the model's constructor (`ChatOpenAI(tags=[...])`, `metadata=`), which covers all of
    its requests. The constructor itself (a binding) is not reported.

    A wrapper function that forwards a `feature` parameter into the tag counts as tagged; each call
    of that wrapper that leaves the parameter out is reported instead.

    ## Why is this bad?
    Without a feature tag, the provider's usage export and your gateway's spend report show one
    number for the whole API key. Nobody can say which feature costs what, which one regressed,
    or which one to move to a cheaper model or the batch API.

    ## Example
    ```python
    client.chat.completions.create(model=MODEL, messages=messages)
    ```

    ## Use instead
    ```python
    client.chat.completions.create(model=MODEL, messages=messages, metadata={"feature": "faq-bot"})
    ```

    ## Fix safety
    Unsafe: the fix adds the tag in the convention the SDK accepts (`metadata` for OpenAI, Mistral
    and Groq chat calls, an `X-Feature` header for Anthropic, whose `metadata` rejects unknown keys,
    LiteLLM spend tags, Bedrock `requestMetadata`, google-genai `labels`, LangChain per-call
    `config={"metadata": {...}}`, added inside an existing `config=` dict or `RunnableConfig`), which
    changes the request that is sent. The feature name comes from `[tool.tokenlint.features]`
    path globs when one matches the file, else from the module and function names. No fix is
    offered where no tag the fix knows would be accepted: LangChain embeddings (`embed_query` takes
    no config), legacy chain calls (`chain.run(...)`, `chain(...)`: keywords are chain inputs), a
    config passed positionally or as a variable, LlamaIndex objects, google-genai `embed_content`, batch and cache calls (their
    config has no `labels`), and `openai<1` module resources such as `openai.Embedding.create`.

    ## Configuration
    `feature-key` (default `"feature"`): the key looked for in metadata, labels and `key:value` tags.
    `[tool.tokenlint.features.<name>] paths = [...]`: the feature name the fix writes for those files.
    """

    code = "TKL101"
    name = "untagged-llm-call"
    message = "LLM call to {provider} {api} has no '{key}' attribution tag{hint}"
    fix_title = "Add a feature tag"
    fix_safety = "unsafe"

    def check(self, sites, source, ctx: RuleContext) -> Iterable:
        for s in sites:
            if not s.spends:
                continue
            if s.kind == "facade":  # the implementations' own calls are judged where they are made
                continue
            if s.kind == "wrapper":
                # the wrapper forwards a tag parameter the caller left out
                if s.tag is not None and s.tag.kind == "missing":
                    fix = _wrapper_fix(s, source, ctx)
                    yield self.finding(s, fix, provider=s.provider, api=s.api, key=ctx.feature_key, hint="")
                continue
            if s.tag is None:
                yield self.finding(s, _fix(s, source, ctx), provider=s.provider, api=s.api, key=ctx.feature_key,
                                   hint=_kwargs_hint(s))


def _kwargs_hint(site) -> str:  # type: ignore[no-untyped-def]
    """Library-style code passes `**kwargs` through: the tag may travel in them, unseen here."""
    call = site.node
    if isinstance(call, ast.Call) and any(k.arg is None for k in call.keywords):
        return " (a tag inside **kwargs cannot be seen: pass it by name)"
    return ""


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def feature_name(site, source, ctx: RuleContext) -> str:  # type: ignore[no-untyped-def]
    for name, spec in ctx.features:
        if any(fnmatch.fnmatch(source.relpath, g) for g in spec.paths):
            return name
    stem = source.relpath.rsplit("/", 1)[-1].removesuffix(".py")
    if stem == "__init__":
        parts = source.relpath.split("/")
        stem = parts[-2] if len(parts) > 1 else "app"
    name = slug(stem)
    if site.function and slug(site.function) != name:  # run_prompt.run_prompt: "run-prompt", once
        name = f"{name}-{slug(site.function)}" if name else slug(site.function)
    return name or "feature"


def _wrapper_fix(site, source, ctx: RuleContext) -> Optional[Fix]:  # type: ignore[no-untyped-def]
    param = site.tag.param if site.tag is not None else None
    call = site.node
    if not param or call is None or any(k.arg == param for k in call.keywords):
        return None
    name = feature_name(site, source, ctx)
    return make_fix("unsafe", f"Pass {param}={python_string(name)}",
                    insert_keyword(source, call, f"{param}={python_string(name)}"))


# google-genai: the config types that take `labels` (GenerateContentConfig, GenerateImagesConfig,
# GenerateVideosConfig, EditImageConfig, LiveConnectConfig). EmbedContentConfig, CreateBatchJobConfig
# and CreateCachedContentConfig have no such field and forbid unknown ones (PyPI google-genai 3.6.1
# google/genai/types.py, _common.BaseModel extra='forbid'; checked 2026-11-29).
GENAI_LABEL_APIS = frozenset({"generate_content", "images", "send_message", "live"})


def _refused(site, call: ast.Call, style: str) -> bool:  # type: ignore[no-untyped-def]
    """Calls where every tag the fix could write would make the request fail."""
    if style == "genai_labels" and site.api not in GENAI_LABEL_APIS:
        return True
    if site.sdk == "langchain" and site.api == "embeddings_model":
        # LangChain embeddings are not runnables: an unknown keyword such as `metadata` is moved
        # into model_kwargs and sent to the embeddings endpoint, which rejects it
        # (PyPI langchain-openai 1.7.4 embeddings/base.py build_extra)
        return True
    f = call.func
    if site.sdk == "openai" and isinstance(f, ast.Attribute) and isinstance(f.value, ast.Attribute) \
            and f.value.attr[:1].isupper():
        # openai<1 resources (openai.Embedding.create, openai.ChatCompletion.create): keywords they
        # do not know, `extra_headers` among them, go into the request body
        return True
    return False


def _fix(site, source, ctx: RuleContext) -> Optional[Fix]:  # type: ignore[no-untyped-def]
    call: ast.Call | None = site.node
    style = site.tag_style
    if call is None or style is None or any(k.arg is None for k in call.keywords):
        return None
    if _refused(site, call, style):
        return None
    name = python_string(feature_name(site, source, ctx))
    key = python_string(ctx.feature_key)
    kw = {k.arg: k.value for k in call.keywords}
    edit: Optional[Edit] = None
    if style == "metadata":
        edit = _into_dict(source, call, kw, "metadata", f"{key}: {name}")
    elif style == "headers":
        header = python_string(f"X-{ctx.feature_key.title()}")
        edit = _into_dict(source, call, kw, "extra_headers", f"{header}: {name}")
    elif style == "request_metadata":
        edit = _into_dict(source, call, kw, "requestMetadata", f"{key}: {name}")
    elif style == "litellm_tags":
        tag = python_string(f"{ctx.feature_key}:{feature_name(site, source, ctx)}")
        md = kw.get("metadata")
        if md is None:
            edit = insert_keyword(source, call, f'metadata={{"tags": [{tag}]}}')
        elif isinstance(md, ast.Dict) and not any(isinstance(k, ast.Constant) and k.value == "tags" for k in md.keys):
            edit = insert_dict_item(source, md, f'"tags": [{tag}]')
    elif style == "genai_labels":
        cfg = kw.get("config")
        if cfg is None:
            edit = insert_keyword(source, call, f'config={{"labels": {{{key}: {name}}}}}')
        elif isinstance(cfg, ast.Dict) and not any(isinstance(k, ast.Constant) and k.value == "labels"
                                                   for k in cfg.keys):
            edit = insert_dict_item(source, cfg, f'"labels": {{{key}: {name}}}')
        elif isinstance(cfg, ast.Call) and not any(k.arg in ("labels", None) for k in cfg.keywords):
            edit = insert_keyword(source, cfg, f"labels={{{key}: {name}}}")
    elif style == "langchain_config":
        edit = _langchain_config(source, call, kw, key, name)
    if edit is None:
        return None
    return make_fix("unsafe", f"Tag the call as feature {name}", edit)


def _langchain_config(source, call: ast.Call, kw: dict, key: str, name: str) -> Optional[Edit]:  # type: ignore
    """LangChain's per-call form, `config={"metadata": {key: name}}`, kept inside an existing
    `config=` dict or `RunnableConfig(...)` call; none when the config is passed positionally or
    is a variable (where the tag would go cannot be told)."""
    if len(call.args) > 1:  # invoke(input, config): positional config
        return None
    cfg = kw.get("config")
    if cfg is None:
        return insert_keyword(source, call, f'config={{"metadata": {{{key}: {name}}}}}')
    if isinstance(cfg, ast.Dict):
        md = next((v for k, v in zip(cfg.keys, cfg.values) if isinstance(k, ast.Constant) and k.value == "metadata"),
                  None)
        if md is None:
            return None if None in cfg.keys else insert_dict_item(source, cfg, f'"metadata": {{{key}: {name}}}')
        return insert_dict_item(source, md, f"{key}: {name}") if isinstance(md, ast.Dict) else None
    if isinstance(cfg, ast.Call) and not any(k.arg in ("metadata", None) for k in cfg.keywords):
        return insert_keyword(source, cfg, f"metadata={{{key}: {name}}}")
    return None


def _into_dict(source, call: ast.Call, kw: dict, arg: str, item: str) -> Optional[Edit]:  # type: ignore
    existing = kw.get(arg)
    if existing is None:
        return insert_keyword(source, call, f"{arg}={{{item}}}")
    if isinstance(existing, ast.Dict):
        return insert_dict_item(source, existing, item)
    return None  # a variable or a call: cannot tell where the tag would go
