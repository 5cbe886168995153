"""TKL501 missing-output-cap."""

from __future__ import annotations

from typing import Iterable

from tokenlint.rules.base import Rule, RuleContext


class MissingOutputCap(Rule):
    """## What it does
    Finds generation requests that set no output cap where the SDK allows none: OpenAI chat
    completions and responses, LiteLLM, Cohere / xAI chat, Gemini `generate_content`, Bedrock
    Converse, and LangChain chat models at their constructor. Which parameters count as a cap
    (`max_tokens`, `max_completion_tokens`, `max_output_tokens`, `config.max_output_tokens`,
    `inferenceConfig.maxTokens`, ...) is catalog data (`tokenlint/catalog/output_caps.toml`, from the
    SDKs' signatures); a cap set on the client or model object that makes the request counts. A
    request passing `**kwargs` or a config built elsewhere is not reported (the cap may be in it).
    Anthropic Messages is never reported: `max_tokens` is required there.

    ## Why is this bad?
    Output tokens cost four to eight times input tokens, and without a cap the provider's own limit
    applies: the model's maximum output length (tens of thousands of tokens for current OpenAI and
    Gemini models, more with reasoning). A prompt regression or a looping generation then spends
    that much on every call instead of failing short.

    ## Example
    ```python
    client.chat.completions.create(model="gpt-6.1-terra", messages=messages)
    ```

    ## Use instead
    ```python
    client.chat.completions.create(model="gpt-6.1-terra", messages=messages, max_completion_tokens=800)
    ```

    ## Fix safety
    No fix: the right cap depends on the feature (a one-word classification, a long report), and a
    cap too low truncates answers.

    ## Configuration
    Off by default: on the study corpus of real applications most chat requests (and every LiteLLM
    proxy or agent framework call) leave the output uncapped on purpose, so the rule would mostly
    repeat one project-wide decision at every call. Turn it on with `extend-select = ["TKL501"]`
    when your policy is that every request carries a cap.
    """

    code = "TKL501"
    name = "missing-output-cap"
    message = "No output cap on this {api} request: the model's own maximum output length applies"
    default_on = False

    def check(self, sites, source, ctx: RuleContext) -> Iterable:
        for s in sites:
            if s.kind == "direct" and s.spends and s.output_cap == "missing":
                yield self.finding(s, api=s.api)
