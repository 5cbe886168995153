"""TKL101 untagged-llm-call."""

from __future__ import annotations

from typing import Iterable

from tokenlint.rules.base import Rule, RuleContext


class UntaggedLlmCall(Rule):
    """## What it does
    Finds LLM call sites that carry no per-feature attribution tag in any convention tokenlint
    recognises: OpenAI-style `metadata={"feature": ...}`, an `X-Feature` or
    `Helicone-Property-Feature` header in `extra_headers` / `default_headers`, LiteLLM
    `metadata={"tags": ["feature:..."]}`, Bedrock `requestMetadata`, google-genai `config.labels`,
    LangChain `tags=["feature:..."]` / `metadata=` on the model or `.with_config(...)`, and tags set
    on the client (`OpenAI(default_headers=...)`, `client.with_options(...)`).

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
    No automatic fix yet: inserting a tag changes the request that is sent.

    ## Configuration
    `feature-key` (default `"feature"`): the key looked for in metadata, labels and `key:value` tags.
    """

    code = "TKL101"
    name = "untagged-llm-call"
    message = "LLM call to {provider} {api} has no '{key}' attribution tag"

    def check(self, sites, source, ctx: RuleContext) -> Iterable:
        for s in sites:
            if not s.spends:
                continue
            if s.kind == "wrapper":
                # the wrapper forwards a tag parameter the caller left out
                if s.tag is not None and s.tag.kind == "missing":
                    yield self.finding(s, provider=s.provider, api=s.api, key=ctx.feature_key)
                continue
            if s.tag is None:
                yield self.finding(s, provider=s.provider, api=s.api, key=ctx.feature_key)
